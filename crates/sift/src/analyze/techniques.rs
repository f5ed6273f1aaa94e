//! Persuasion and propaganda techniques as labelled spans.
//!
//! Three hashed linear models (see [`linear`]) over hand-built features (see [`features`]):
//! a token tagger that finds persuasive spans, a span classifier that names the technique,
//! and a paragraph labeller (SemEval-2023 subtask 3). The shipped model uses the 23
//! SemEval-2023 techniques; [`to_ptc`] maps them onto the 14 of SemEval-2020 Task 11.

pub mod dense;
#[cfg(feature = "embeddings")]
pub mod e5;
#[cfg(feature = "embeddings")]
pub mod embed;
pub mod features;
pub mod linear;

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::document::{Document, Span, TokenKind};
use crate::report::{Report, Technique, TechniqueSummary};
use features::{DocContext, FirstStage};
use linear::{Interleaved, LinearModel};

/// The 23 techniques of SemEval-2023 Task 3 subtask 3 (the report's label set).
pub const SEMEVAL23_TECHNIQUES: [&str; 23] = [
    "Appeal_to_Authority",
    "Appeal_to_Popularity",
    "Appeal_to_Values",
    "Appeal_to_Fear-Prejudice",
    "Flag_Waving",
    "Causal_Oversimplification",
    "False_Dilemma-No_Choice",
    "Consequential_Oversimplification",
    "Straw_Man",
    "Red_Herring",
    "Whataboutism",
    "Slogans",
    "Appeal_to_Time",
    "Conversation_Killer",
    "Loaded_Language",
    "Repetition",
    "Exaggeration-Minimisation",
    "Obfuscation-Vagueness-Confusion",
    "Name_Calling-Labeling",
    "Doubt",
    "Guilt_by_Association",
    "Appeal_to_Hypocrisy",
    "Questioning_the_Reputation",
];

/// The 14 techniques of SemEval-2020 Task 11 (PTC).
pub const PTC_TECHNIQUES: [&str; 14] = [
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
];

/// SemEval-2023 technique → the PTC technique that covers it, if any
/// (documented in `docs/techniques-mapping.md`).
pub fn to_ptc(technique: &str) -> Option<&'static str> {
    Some(match technique {
        "Appeal_to_Authority" => "Appeal_to_Authority",
        "Appeal_to_Popularity" => "Bandwagon,Reductio_ad_hitlerum",
        "Guilt_by_Association" => "Bandwagon,Reductio_ad_hitlerum",
        "Appeal_to_Fear-Prejudice" => "Appeal_to_fear-prejudice",
        "Flag_Waving" => "Flag-Waving",
        "Causal_Oversimplification" => "Causal_Oversimplification",
        "Consequential_Oversimplification" => "Causal_Oversimplification",
        "False_Dilemma-No_Choice" => "Black-and-White_Fallacy",
        "Straw_Man" | "Red_Herring" | "Whataboutism" | "Appeal_to_Hypocrisy" => {
            "Whataboutism,Straw_Men,Red_Herring"
        }
        "Slogans" => "Slogans",
        "Conversation_Killer" => "Thought-terminating_Cliches",
        "Loaded_Language" => "Loaded_Language",
        "Repetition" => "Repetition",
        "Exaggeration-Minimisation" => "Exaggeration,Minimisation",
        "Name_Calling-Labeling" => "Name_Calling,Labeling",
        "Doubt" => "Doubt",
        "Questioning_the_Reputation" => "Name_Calling,Labeling",
        // Appeal_to_Values, Appeal_to_Time, Obfuscation-Vagueness-Confusion: no PTC class.
        _ => return None,
    })
}

/// PTC technique → the SemEval-2023 technique it becomes when the mapping is
/// one-to-one; `None` for PTC's merged classes (Bandwagon/Reductio, Whataboutism/Straw/Red herring).
pub fn from_ptc(technique: &str) -> Option<&'static str> {
    Some(match technique {
        "Appeal_to_Authority" => "Appeal_to_Authority",
        "Appeal_to_fear-prejudice" => "Appeal_to_Fear-Prejudice",
        "Black-and-White_Fallacy" => "False_Dilemma-No_Choice",
        "Causal_Oversimplification" => "Causal_Oversimplification",
        "Doubt" => "Doubt",
        "Exaggeration,Minimisation" => "Exaggeration-Minimisation",
        "Flag-Waving" => "Flag_Waving",
        "Loaded_Language" => "Loaded_Language",
        "Name_Calling,Labeling" => "Name_Calling-Labeling",
        "Repetition" => "Repetition",
        "Slogans" => "Slogans",
        "Thought-terminating_Cliches" => "Conversation_Killer",
        _ => return None,
    })
}

/// A trained technique detector: tagger, classifier and paragraph labeller.
#[derive(Debug, Clone)]
pub struct TechniqueModel {
    pub header: ModelHeader,
    /// One sigmoid output: is this token inside a persuasive span?
    pub tagger: LinearModel,
    /// Second stage: the same question, seeing the first stage's probabilities around the token.
    pub context_tagger: LinearModel,
    /// One sigmoid output: is this candidate span (a run of tagged tokens) really persuasive?
    pub verifier: LinearModel,
    /// Softmax over `header.labels`: which technique does a span use?
    pub classifier: LinearModel,
    /// Sigmoid per label: which techniques does a paragraph use?
    pub paragraph: LinearModel,
    /// Opt-in embeddings mode: sigmoid per label over the paragraph's sentence embedding
    /// (stored apart from the model file, see [`EmbeddingHeads`]); `None` by default.
    pub paragraph_head: Option<dense::DenseLogistic>,
    /// Opt-in embeddings mode: one sigmoid over a sentence's embedding, "this sentence
    /// holds a persuasive span"; spans in sentences below `header.sentence_gate` are
    /// dropped. `None` by default.
    pub sentence_head: Option<dense::DenseLogistic>,
    /// `tagger` and `context_tagger` interleaved (one memory access per feature for
    /// both stages); `None` when their hash sizes differ.
    tagging: Option<Interleaved>,
}

/// What a model file says about itself besides its weights.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelHeader {
    pub labels: Vec<String>,
    /// Tokens whose tagger probability reaches this start or extend a span.
    pub span_threshold: f32,
    /// Candidate spans whose verifier probability is below this are dropped.
    #[serde(default)]
    pub verify_threshold: f32,
    /// Tokens whose lexical-output probability reaches this form word-level spans
    /// (above 1: off).
    #[serde(default = "off")]
    pub lexical_threshold: f32,
    /// Cue-lexicon words rated at least this by the tagger get a word-level span when the
    /// classifier agrees (above 1: off). See [`TechniqueModel::cue_runs`].
    #[serde(default = "off")]
    pub cue_threshold: f32,
    /// Spans whose confidence (strength × technique probability) is below this are
    /// not reported (precision: chosen on held-out articles; 0 in older models).
    #[serde(default)]
    pub min_confidence: f32,
    /// Embeddings mode: spans whose sentence's head probability is below this are
    /// dropped (0: no gate; chosen on held-out articles).
    #[serde(default)]
    pub sentence_gate: f32,
    /// Reported spans of one sentence at most this many words apart are joined into one
    /// span (0: never; chosen on held-out articles). Loaded words close together
    /// ("corrupt, treasonous thugs") are annotated as one phrase.
    #[serde(default)]
    pub merge_gap: usize,
    /// Per label: spans named this technique are widened to their sentence (the labels
    /// whose training spans cover most of their sentence — Doubt, Causal
    /// Oversimplification, …; empty: never). Learned from the training spans, switched
    /// on by held-out SI F1.
    #[serde(default)]
    pub sentence_labels: Vec<bool>,
    /// Paragraph labels at or above this probability are reported.
    pub paragraph_threshold: f32,
    /// Per-language, per-label paragraph decisions (subtask 3), tuned on held-out
    /// articles; empty in older models.
    #[serde(default)]
    pub paragraph_rules: Vec<ParagraphRule>,
    /// How the model was made (corpora, seed, command), for the record.
    pub provenance: String,
}

/// Which techniques a paragraph uses, per label: the paragraph labeller's probability
/// reaches `labeller[k]`, or some detected span overlapping the paragraph gets
/// classifier probability at least `spans[k]` for the label (thresholds above 1: off).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ParagraphRule {
    /// `en` or `ru`.
    pub language: String,
    pub labeller: Vec<f32>,
    pub spans: Vec<f32>,
    /// Thresholds on the embedding head's probability (embeddings mode; empty: off).
    #[serde(default)]
    pub embedding: Vec<f32>,
    /// Thresholds on the mean of the available sources' probabilities (a soft vote;
    /// empty: off).
    #[serde(default)]
    pub mean: Vec<f32>,
}

/// The opt-in embeddings mode's trained parts, stored apart from the sparse model
/// (`models/techniques-minilm.json`): the paragraph head over all-MiniLM-L6-v2
/// embeddings and the paragraph rules tuned with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EmbeddingHeads {
    /// Which embedding model the heads read (`all-MiniLM-L6-v2`).
    pub embedding_model: String,
    pub paragraph: dense::DenseLogistic,
    pub paragraph_rules: Vec<ParagraphRule>,
    /// The sentence head and its gate (see [`TechniqueModel::sentence_head`]).
    #[serde(default)]
    pub sentence: Option<dense::DenseLogistic>,
    #[serde(default)]
    pub sentence_gate: f32,
    /// Languages whose sentences trained the sentence head (the gate applies to those
    /// only); files without the field were trained on English.
    #[serde(default = "english_only")]
    pub sentence_languages: Vec<String>,
    pub provenance: String,
}

fn english_only() -> Vec<String> {
    vec!["en".to_string()]
}

impl ParagraphRule {
    /// Labels (indices) the rule assigns, given the paragraph labeller's probabilities
    /// and the best span probability per label.
    pub fn decide(&self, labeller: &[f32], spans: &[f32]) -> Vec<usize> {
        self.decide_with(labeller, spans, &[])
    }

    /// [`Self::decide`], with the embedding head's probabilities as a third source
    /// (empty `embedding`: no embeddings, the rule's embedding thresholds are ignored).
    pub fn decide_with(&self, labeller: &[f32], spans: &[f32], embedding: &[f32]) -> Vec<usize> {
        (0..labeller.len())
            .filter(|&k| {
                labeller[k] >= self.labeller.get(k).copied().unwrap_or(2.0)
                    || spans[k] >= self.spans.get(k).copied().unwrap_or(2.0)
                    || embedding.get(k).copied().unwrap_or(0.0)
                        >= self.embedding.get(k).copied().unwrap_or(2.0)
                    || vote(labeller[k], spans[k], embedding.get(k).copied())
                        >= self.mean.get(k).copied().unwrap_or(2.0)
            })
            .collect()
    }
}

/// Mean of the paragraph rule's sources for one label (the embedding head's only when
/// present).
pub fn vote(labeller: f32, spans: f32, embedding: Option<f32>) -> f32 {
    match embedding {
        Some(e) => (labeller + spans + e) / 3.0,
        None => (labeller + spans) / 2.0,
    }
}

fn off() -> f32 {
    2.0
}

const MAGIC: &[u8; 8] = b"SIFTTEC2";

/// A span found in a document, in token indices, with its technique probabilities.
#[derive(Debug, Clone)]
pub struct SpanGuess {
    pub lo: usize,
    pub hi: usize,
    /// Verifier probability that the span is persuasive.
    pub strength: f32,
    /// Classifier probability per label.
    pub label_probs: Vec<f32>,
}

impl TechniqueModel {
    /// A model from its parts.
    pub fn new(
        header: ModelHeader,
        tagger: LinearModel,
        context_tagger: LinearModel,
        verifier: LinearModel,
        classifier: LinearModel,
        paragraph: LinearModel,
    ) -> TechniqueModel {
        let tagging = Interleaved::new(&[&tagger, &context_tagger]);
        TechniqueModel {
            header,
            tagger,
            context_tagger,
            verifier,
            classifier,
            paragraph,
            paragraph_head: None,
            sentence_head: None,
            tagging,
        }
    }

    /// Attach the embeddings mode's heads: the paragraph head, and its rules in place
    /// of the model's own for the languages they cover.
    pub fn with_embedding_heads(mut self, heads: &EmbeddingHeads) -> TechniqueModel {
        self.paragraph_head = Some(heads.paragraph.clone());
        self.sentence_head = heads.sentence.clone();
        self.header.sentence_gate = heads.sentence_gate;
        for rule in &heads.paragraph_rules {
            self.header
                .paragraph_rules
                .retain(|r| r.language != rule.language);
            self.header.paragraph_rules.push(rule.clone());
        }
        self
    }

    /// Embeddings mode: per sentence, the sentence head's probability that it holds a
    /// persuasive span (all 1 without a head, so nothing is gated).
    pub fn sentence_probabilities(&self, embeddings: &[Vec<f32>]) -> Vec<f32> {
        match &self.sentence_head {
            Some(head) => embeddings
                .iter()
                .map(|x| {
                    if x.iter().all(|&v| v == 0.0) {
                        1.0
                    } else {
                        head.predict(x)[0]
                    }
                })
                .collect(),
            None => vec![1.0; embeddings.len()],
        }
    }

    /// Indices of the sentences of `doc` that hold a reported span: the only ones the
    /// sentence gate needs embeddings for.
    pub fn sentences_with_spans(&self, doc: &Document) -> Vec<usize> {
        let ctx = DocContext::new(doc);
        let mut out: Vec<usize> = self
            .reported_spans(&ctx)
            .iter()
            .map(|(g, _, _)| {
                let start = doc.tokens[g.lo].start;
                doc.sentences.partition_point(|s| s.end <= start)
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether a span starting at token `lo` passes the sentence gate, given
    /// [`Self::sentence_probabilities`] of `doc`'s sentences.
    pub fn passes_gate(&self, doc: &Document, sentence_probs: &[f32], lo: usize) -> bool {
        let start = doc.tokens[lo].start;
        let sentence = doc.sentences.partition_point(|s| s.end <= start);
        !matches!(sentence_probs.get(sentence), Some(&p) if p < self.header.sentence_gate)
    }

    /// Serialise (uncompressed, so loading the embedded model is a copy).
    pub fn write_to<W: Write>(&self, mut gz: W) -> io::Result<()> {
        gz.write_all(MAGIC)?;
        let header = serde_json::to_vec(&self.header)?;
        gz.write_all(&(header.len() as u32).to_le_bytes())?;
        gz.write_all(&header)?;
        self.tagger.write_to(&mut gz)?;
        self.context_tagger.write_to(&mut gz)?;
        self.verifier.write_to(&mut gz)?;
        self.classifier.write_to(&mut gz)?;
        self.paragraph.write_to(&mut gz)?;
        gz.flush()
    }

    /// Read what [`TechniqueModel::write_to`] wrote.
    pub fn read_from<R: Read>(mut gz: R) -> io::Result<TechniqueModel> {
        let mut magic = [0u8; 8];
        gz.read_exact(&mut magic)?;
        if &magic != MAGIC {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "not a sift technique model",
            ));
        }
        let mut len = [0u8; 4];
        gz.read_exact(&mut len)?;
        let mut header = vec![0u8; u32::from_le_bytes(len) as usize];
        gz.read_exact(&mut header)?;
        let header: ModelHeader = serde_json::from_slice(&header)?;
        let tagger = LinearModel::read_from(&mut gz)?;
        let context_tagger = LinearModel::read_from(&mut gz)?;
        let verifier = LinearModel::read_from(&mut gz)?;
        let classifier = LinearModel::read_from(&mut gz)?;
        let paragraph = LinearModel::read_from(&mut gz)?;
        Ok(TechniqueModel::new(
            header,
            tagger,
            context_tagger,
            verifier,
            classifier,
            paragraph,
        ))
    }

    /// Both tagging stages over every token.
    pub fn tag(&self, ctx: &DocContext) -> Tagged {
        let n = ctx.doc.tokens.len();
        let mut feats = Vec::with_capacity(64);
        let mut base_logits = Vec::with_capacity(n);
        let mut first = Vec::with_capacity(n);
        let mut lexical = Vec::with_capacity(n);
        let context_column = self.tagger.outputs;
        let context_bias = self.context_tagger.bias()[0];
        match &self.tagging {
            Some(tagging) => {
                // Features of every token end to end, then all sums in one prefetched sweep.
                let mut all = Vec::with_capacity(n * 48);
                let mut ends = Vec::with_capacity(n);
                for i in 0..n {
                    features::token_features(ctx, i, &mut feats);
                    all.extend_from_slice(&feats);
                    ends.push(all.len());
                }
                let mut sums = Vec::with_capacity(n);
                tagging.sums_many(&all, &ends, &mut sums);
                for s in &sums {
                    first.push(sigmoid(tagging.bias(0) + s[0]));
                    lexical.push(if context_column > 1 {
                        sigmoid(tagging.bias(1) + s[1])
                    } else {
                        0.0
                    });
                    base_logits.push(s[context_column]);
                }
                let stage = FirstStage::new(ctx, &first);
                all.clear();
                ends.clear();
                for i in 0..n {
                    features::context_features(ctx, &stage, i, &mut all);
                    ends.push(all.len());
                }
                tagging.sums_many(&all, &ends, &mut sums);
                let second = sums
                    .iter()
                    .zip(&base_logits)
                    .map(|(s, base)| sigmoid(context_bias + base + s[context_column]))
                    .collect();
                Tagged {
                    second,
                    first,
                    lexical,
                }
            }
            None => {
                let mut out = Vec::with_capacity(2);
                for i in 0..n {
                    features::token_features(ctx, i, &mut feats);
                    self.tagger.predict_into(&feats, &mut out);
                    first.push(out[0]);
                    lexical.push(out.get(1).copied().unwrap_or(0.0));
                    self.context_tagger.logits_into(&feats, &mut out);
                    base_logits.push(out[0] - context_bias);
                }
                let stage = FirstStage::new(ctx, &first);
                let second = (0..n)
                    .map(|i| {
                        feats.clear();
                        features::context_features(ctx, &stage, i, &mut feats);
                        self.context_tagger.logits_into(&feats, &mut out);
                        sigmoid(base_logits[i] + out[0])
                    })
                    .collect();
                Tagged {
                    second,
                    first,
                    lexical,
                }
            }
        }
    }

    /// Verifier probability for each run (`strength` replaced by it).
    pub fn verify(
        &self,
        ctx: &DocContext,
        first: &[f32],
        runs: Vec<(usize, usize, f32)>,
    ) -> Vec<(usize, usize, f32)> {
        let mut feats = Vec::with_capacity(160);
        let mut out = Vec::with_capacity(1);
        runs.into_iter()
            .map(|(lo, hi, _)| {
                features::verifier_features(ctx, first, lo, hi, &mut feats);
                self.verifier.predict_into(&feats, &mut out);
                (lo, hi, out[0])
            })
            .collect()
    }

    /// Runs of the lexical output (short word-level techniques) at `threshold`,
    /// leaving out those identical to one of `general`.
    pub fn lexical_runs(
        ctx: &DocContext,
        tagged: &Tagged,
        threshold: f32,
        general: &[(usize, usize, f32)],
    ) -> Vec<(usize, usize, f32)> {
        if threshold > 1.0 {
            return Vec::new();
        }
        decode_runs(ctx, &tagged.lexical, threshold)
            .into_iter()
            .filter(|r| !general.iter().any(|g| g.0 == r.0 && g.1 == r.1))
            .collect()
    }

    /// Word-level spans around cue-lexicon words (loaded, superlative, labels, villains,
    /// nation) that the tagger rates at least `threshold` (second stage or word-level
    /// output, whichever is higher): a few windows around the cue word are classified and the best window is
    /// kept when the classifier names a word-level technique with probability ≥ 0.6.
    /// Leaves out spans identical to one of `existing`.
    pub fn cue_runs(
        &self,
        ctx: &DocContext,
        tagged: &Tagged,
        threshold: f32,
        existing: &[(usize, usize, f32)],
    ) -> Vec<(usize, usize, f32)> {
        if threshold > 1.0 {
            return Vec::new();
        }
        let n = ctx.doc.tokens.len();
        let mut out: Vec<(usize, usize, f32)> = Vec::new();
        for i in 0..n {
            // The word-level output speaks for single words; the second stage for spans.
            let rating = tagged.second[i].max(tagged.lexical[i]);
            // A word of the hand-written loaded-language lexicon is evidence in itself:
            // the tagger need only rate it [`LEXICON_BAR`] (the classifier must still agree).
            let loaded = 1 << features::Cue::Loaded as u32 | 1 << features::Cue::Superlative as u32;
            let bar = if ctx.cues[i] & loaded != 0 {
                threshold.min(LEXICON_BAR)
            } else {
                threshold
            };
            if ctx.cues[i] & features::STRONG_CUES == 0 || rating < bar {
                continue;
            }
            // A nation word alone ("Russia", "NATO", "West") is news, not name calling:
            // its window counts only as flag-waving.
            let nation_only =
                ctx.cues[i] & features::STRONG_CUES == 1 << features::Cue::Nation as u32;
            let sentence = ctx.sentence[i];
            let mut best: Option<(usize, usize, f32)> = None;
            for (left, right) in [(0, 0), (1, 0), (2, 0), (0, 1), (0, 2)] {
                let (mut lo, mut hi) = (i.saturating_sub(left), (i + 1 + right).min(n));
                while lo < i && (ctx.function_word[lo] || ctx.sentence[lo] != sentence) {
                    lo += 1;
                }
                while hi > i + 1 && (ctx.function_word[hi - 1] || ctx.sentence[hi - 1] != sentence)
                {
                    hi -= 1;
                }
                if (lo..hi).any(|t| ctx.doc.tokens[t].kind != TokenKind::Word) {
                    continue;
                }
                let probs = self.classify(ctx, lo, hi);
                let (label, p) = argmax(&probs);
                let name = self.header.labels[label].as_str();
                if is_lexical(name)
                    && (!nation_only || matches!(name, "Flag_Waving" | "Flag-Waving"))
                    && p >= 0.6
                    && best.is_none_or(|b| p > b.2)
                {
                    best = Some((lo, hi, p));
                }
            }
            if let Some((lo, hi, p)) = best {
                let taken = existing.iter().chain(&out).any(|r| r.0 == lo && r.1 == hi);
                if !taken {
                    out.push((lo, hi, p * rating));
                }
            }
        }
        out
    }

    /// The spans the model reports, in token indices, with their strength.
    pub fn runs(&self, ctx: &DocContext) -> Vec<(usize, usize, f32)> {
        let h = &self.header;
        let tagged = self.tag(ctx);
        let mut runs: Vec<(usize, usize, f32)> = self
            .verify(
                ctx,
                &tagged.first,
                decode_runs(ctx, &tagged.second, h.span_threshold),
            )
            .into_iter()
            .filter(|r| r.2 >= h.verify_threshold)
            .collect();
        let lexical = Self::lexical_runs(ctx, &tagged, h.lexical_threshold, &runs);
        runs.extend(lexical);
        let cued = self.cue_runs(ctx, &tagged, h.cue_threshold, &runs);
        runs.extend(cued);
        runs.sort_by_key(|r| (r.0, r.1));
        runs
    }

    /// Classifier probabilities for the span of tokens `[lo, hi)`.
    pub fn classify(&self, ctx: &DocContext, lo: usize, hi: usize) -> Vec<f32> {
        let mut feats = Vec::with_capacity(128);
        features::span_features(ctx, lo, hi, &mut feats);
        self.classifier.predict(&feats)
    }

    /// Paragraph labeller probabilities for `span`.
    pub fn paragraph_probabilities(&self, ctx: &DocContext, span: Span) -> Vec<f32> {
        let mut feats = Vec::with_capacity(256);
        features::paragraph_features(ctx, span, &mut feats);
        self.paragraph.predict(&feats)
    }

    /// The spans [`detect`] reports: [`TechniqueModel::find_spans`] at or above the
    /// model's `min_confidence`, with their best technique and confidence.
    pub fn reported_spans(&self, ctx: &DocContext) -> Vec<(SpanGuess, usize, f32)> {
        self.report(ctx, self.find_spans(ctx))
    }

    /// What [`Self::reported_spans`] makes of the candidate spans `guesses` (from
    /// [`Self::find_spans`]): close ones joined (`header.merge_gap`), those at or above
    /// the confidence floor kept (a joined span has its best part's confidence),
    /// sentence-level techniques widened (`header.sentence_labels`).
    pub fn report(
        &self,
        ctx: &DocContext,
        guesses: Vec<SpanGuess>,
    ) -> Vec<(SpanGuess, usize, f32)> {
        let spans: Vec<(SpanGuess, usize, f32)> = guesses
            .into_iter()
            .map(|guess| {
                let (best, p) = argmax(&guess.label_probs);
                let confidence = guess.strength * p;
                (guess, best, confidence)
            })
            .collect();
        let mut spans = self.join_close(ctx, spans, self.header.merge_gap);
        // "our", "all", "very" alone are no highlight (15 % of such spans hit a gold
        // span in cross-validation).
        spans.retain(|(g, _, confidence)| {
            *confidence >= self.header.min_confidence
                && (g.lo..g.hi).any(|t| {
                    ctx.doc.tokens[t].kind == TokenKind::Word && !features::is_stop_word(ctx, t)
                })
        });
        self.widen_to_sentences(ctx, spans, &self.header.sentence_labels)
    }

    /// Spans of one sentence at most `gap` words apart (or overlapping) joined into
    /// one, classified again; its confidence is the best of its parts'.
    pub fn join_close(
        &self,
        ctx: &DocContext,
        spans: Vec<(SpanGuess, usize, f32)>,
        gap: usize,
    ) -> Vec<(SpanGuess, usize, f32)> {
        if gap == 0 || spans.len() < 2 {
            return spans;
        }
        let words_between = |a: usize, b: usize| {
            (a..b)
                .filter(|&t| matches!(ctx.doc.tokens[t].kind, TokenKind::Word | TokenKind::Number))
                .count()
        };
        let mut out: Vec<(SpanGuess, usize, f32)> = Vec::with_capacity(spans.len());
        let mut joined: Vec<bool> = Vec::new();
        for (guess, best, confidence) in spans {
            if let Some((last, _, last_confidence)) = out.last_mut() {
                let close = guess.lo < last.hi
                    || (ctx.sentence[guess.lo] == ctx.sentence[last.hi - 1]
                        && ctx.sentence[guess.lo] != usize::MAX
                        && words_between(last.hi, guess.lo) <= gap);
                if close {
                    last.hi = last.hi.max(guess.hi);
                    last.strength = last.strength.max(guess.strength);
                    *last_confidence = last_confidence.max(confidence);
                    *joined.last_mut().unwrap() = true;
                    continue;
                }
            }
            out.push((guess, best, confidence));
            joined.push(false);
        }
        for ((guess, best, _), joined) in out.iter_mut().zip(joined) {
            if joined {
                guess.label_probs = self.classify(ctx, guess.lo, guess.hi);
                *best = argmax(&guess.label_probs).0;
            }
        }
        out
    }

    /// Spans whose technique is one of `labels` widened to their sentence (edge
    /// punctuation left out); a sentence is reported once per technique.
    pub fn widen_to_sentences(
        &self,
        ctx: &DocContext,
        spans: Vec<(SpanGuess, usize, f32)>,
        labels: &[bool],
    ) -> Vec<(SpanGuess, usize, f32)> {
        if !labels.iter().any(|&b| b) {
            return spans;
        }
        let mut out: Vec<(SpanGuess, usize, f32)> = Vec::with_capacity(spans.len());
        for (mut guess, best, confidence) in spans {
            let s = ctx.sentence[guess.lo];
            let widen = labels.get(best).copied().unwrap_or(false) && s != usize::MAX;
            if widen {
                let (lo, hi) = ctx.sentence_tokens[s];
                let (lo, hi) = trim_edges(lo, hi, |t| is_edge_punctuation(ctx, t));
                if lo < hi {
                    guess.lo = guess.lo.min(lo);
                    guess.hi = guess.hi.max(hi);
                }
            }
            let duplicate = out
                .iter_mut()
                .filter(|_| widen)
                .find(|(g, b, _)| g.lo == guess.lo && g.hi == guess.hi && *b == best);
            match duplicate {
                Some(kept) => kept.2 = kept.2.max(confidence),
                None => out.push((guess, best, confidence)),
            }
        }
        out.sort_by_key(|(g, _, _)| (g.lo, g.hi));
        out
    }

    /// Every candidate span, each classified.
    pub fn find_spans(&self, ctx: &DocContext) -> Vec<SpanGuess> {
        self.runs(ctx)
            .into_iter()
            .map(|(lo, hi, strength)| SpanGuess {
                lo,
                hi,
                strength,
                label_probs: self.classify(ctx, lo, hi),
            })
            .collect()
    }
}

/// Tagger rating at which a loaded-lexicon word may become a cue-word span (or the
/// model's cue-word threshold, if lower).
const LEXICON_BAR: f32 = 0.15;

/// Per-token probabilities from the taggers.
#[derive(Debug, Clone)]
pub struct Tagged {
    /// Second stage: inside any persuasive span.
    pub second: Vec<f32>,
    /// First stage, same question.
    pub first: Vec<f32>,
    /// First stage: inside a short word-level technique (see [`is_lexical`]).
    pub lexical: Vec<f32>,
}

/// Techniques that mostly mark a word or two (loaded words, labels, exaggeration,
/// flag-waving), in either label set; the tagger has a separate output for them.
pub fn is_lexical(technique: &str) -> bool {
    matches!(
        technique,
        "Loaded_Language"
            | "Name_Calling-Labeling"
            | "Name_Calling,Labeling"
            | "Exaggeration-Minimisation"
            | "Exaggeration,Minimisation"
            | "Flag_Waving"
            | "Flag-Waving"
    )
}

/// Punctuation other than `!`, `?` and quotes (token shapes 5–7: comma, period, other),
/// which a highlight neither starts nor ends with.
fn is_edge_punctuation(ctx: &DocContext, t: usize) -> bool {
    matches!(ctx.shape[t], 5..=7)
}

/// `[lo, hi)` without the tokens at either end for which `trimmable` holds.
fn trim_edges(mut lo: usize, mut hi: usize, trimmable: impl Fn(usize) -> bool) -> (usize, usize) {
    while lo < hi && trimmable(lo) {
        lo += 1;
    }
    while hi > lo && trimmable(hi - 1) {
        hi -= 1;
    }
    (lo, hi)
}

/// Runs of tokens at or above `threshold` (one-token dips to half the threshold are
/// bridged), cut at sentence and paragraph ends and trimmed of edge punctuation.
pub fn decode_runs(ctx: &DocContext, probs: &[f32], threshold: f32) -> Vec<(usize, usize, f32)> {
    let doc = ctx.doc;
    let n = probs.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        if probs[i] < threshold {
            i += 1;
            continue;
        }
        let (paragraph, sentence) = (ctx.paragraph[i], ctx.sentence[i]);
        let same = |t: usize| ctx.paragraph[t] == paragraph && ctx.sentence[t] == sentence;
        let mut j = i + 1;
        while j < n && same(j) {
            if probs[j] >= threshold {
                j += 1;
            } else if j + 1 < n
                && probs[j] >= threshold * 0.5
                && probs[j + 1] >= threshold
                && same(j + 1)
            {
                j += 2;
            } else {
                break;
            }
        }
        let (lo, hi) = trim_edges(i, j, |t| {
            is_edge_punctuation(ctx, t) || ctx.function_word[t]
        });
        if (lo..hi).any(|t| {
            matches!(doc.tokens[t].kind, TokenKind::Word | TokenKind::Number)
                && !ctx.function_word[t]
        }) {
            let strength = probs[lo..hi].iter().sum::<f32>() / (hi - lo) as f32;
            out.push((lo, hi, strength));
        }
        i = j;
    }
    out
}

static SHIPPED: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/techniques.bin"
));

/// The model committed under `models/techniques.bin` (trained by `sift train techniques`).
pub fn shipped_model() -> Option<&'static TechniqueModel> {
    shipped_model_loaded().ok()
}

/// The committed model, or why it failed to load.
pub fn shipped_model_loaded() -> Result<&'static TechniqueModel, &'static str> {
    static MODEL: OnceLock<Result<TechniqueModel, String>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            TechniqueModel::read_from(SHIPPED).map_err(|e| {
                format!(
                    "techniques: models/techniques.bin failed to load ({e}); no technique spans"
                )
            })
        })
        .as_ref()
        .map_err(String::as_str)
}

/// Output of [`analyze`].
pub struct TechniquesOutput {
    pub techniques: Vec<Technique>,
    pub summary: Option<TechniqueSummary>,
}

/// Label the persuasive spans of `doc` with the shipped model.
pub fn analyze(doc: &Document, _report: &Report) -> TechniquesOutput {
    match shipped_model() {
        Some(model) => detect(model, doc),
        None => TechniquesOutput {
            techniques: Vec::new(),
            summary: None,
        },
    }
}

/// The techniques layer with the committed model.
pub struct TechniquesLayer;

impl crate::pipeline::Layer for TechniquesLayer {
    fn name(&self) -> &'static str {
        "techniques"
    }
    fn run(&self, doc: &Document, report: &mut Report) {
        match shipped_model_loaded() {
            Ok(model) => {
                let out = detect(model, doc);
                report.techniques = out.techniques;
                report.technique_summary = out.summary;
            }
            Err(why) => report.warnings.push(why.to_string()),
        }
    }
}

/// Label the persuasive spans of `doc` with `model`.
pub fn detect(model: &TechniqueModel, doc: &Document) -> TechniquesOutput {
    detect_with(model, doc, None)
}

/// [`detect`] in the embeddings mode: `sentence_probs` (the sentence head's
/// probability per `doc.sentences`, see [`TechniqueModel::sentence_probabilities`])
/// gate the spans; `None` gives exactly [`detect`]'s output.
pub fn detect_with(
    model: &TechniqueModel,
    doc: &Document,
    sentence_probs: Option<&[f32]>,
) -> TechniquesOutput {
    let ctx = DocContext::new(doc);
    let mut techniques = Vec::new();
    for (guess, best, confidence) in model.reported_spans(&ctx) {
        if let Some(probs) = sentence_probs {
            if !model.passes_gate(doc, probs, guess.lo) {
                continue;
            }
        }
        let start = doc.tokens[guess.lo].start;
        let end = doc.tokens[guess.hi - 1].end;
        techniques.push(Technique {
            start,
            end,
            technique: model.header.labels[best].clone(),
            confidence: round3(confidence as f64),
        });
    }
    let words = doc.word_count();
    let mut counts = BTreeMap::new();
    for t in &techniques {
        *counts.entry(t.technique.clone()).or_insert(0) += 1;
    }
    let per_1000_words = if words == 0 {
        0.0
    } else {
        round3(techniques.len() as f64 * 1000.0 / words as f64)
    };
    TechniquesOutput {
        techniques,
        summary: Some(TechniqueSummary {
            counts,
            words,
            per_1000_words,
        }),
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Index and value of the largest probability.
pub fn argmax(probs: &[f32]) -> (usize, f32) {
    probs.iter().copied().enumerate().fold(
        (0, f32::MIN),
        |acc, (i, p)| if p > acc.1 { (i, p) } else { acc },
    )
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_semeval23_label_maps_to_a_ptc_label_or_is_documented_as_unmapped() {
        let unmapped: Vec<&str> = SEMEVAL23_TECHNIQUES
            .iter()
            .copied()
            .filter(|t| to_ptc(t).is_none())
            .collect();
        assert_eq!(
            unmapped,
            [
                "Appeal_to_Values",
                "Appeal_to_Time",
                "Obfuscation-Vagueness-Confusion"
            ]
        );
        for t in SEMEVAL23_TECHNIQUES {
            if let Some(p) = to_ptc(t) {
                assert!(PTC_TECHNIQUES.contains(&p), "{t} → {p}");
            }
        }
    }

    fn run(text: &str) -> (Document, TechniquesOutput) {
        let doc = Document::from_text(text);
        let layer = analyze(&doc, &Report::default());
        (doc, layer)
    }

    #[test]
    fn shipped_model_loads_with_the_semeval23_labels() {
        let model = shipped_model().expect("models/techniques.bin loads");
        assert_eq!(model.header.labels, SEMEVAL23_TECHNIQUES);
        assert!(model.header.span_threshold > 0.0 && model.header.span_threshold < 1.0);
    }

    #[test]
    fn loaded_english_invective_is_flagged() {
        let (doc, layer) = run(
            "These corrupt, treasonous thugs are destroying our great nation with their \
             disgusting lies. Shameful! The radical left wants to burn America down.",
        );
        assert!(!layer.techniques.is_empty());
        let names: Vec<&str> = layer
            .techniques
            .iter()
            .map(|t| t.technique.as_str())
            .collect();
        assert!(
            names
                .iter()
                .any(|n| matches!(*n, "Loaded_Language" | "Name_Calling-Labeling")),
            "{names:?}"
        );
        for t in &layer.techniques {
            assert!(t.start < t.end && t.end <= doc.len_chars());
            assert!((0.0..=1.0).contains(&t.confidence));
        }
    }

    #[test]
    fn loaded_russian_invective_is_flagged() {
        let (_, layer) = run(
            "Этот преступный марионеточный режим уничтожает нашу великую страну! \
             Позор лжецам и предателям, которые продались Западу.",
        );
        assert!(!layer.techniques.is_empty());
    }

    #[test]
    fn a_dry_factual_report_gets_few_highlights() {
        let text = "The city council met on Tuesday. It approved a budget of 3.2 million dollars \
                    for road repairs in the northern district. The vote was seven to two. \
                    Work is scheduled to begin in March and to last about six months.";
        let (_, layer) = run(text);
        let summary = layer.summary.unwrap();
        // The third-round model marked "budget" and "dollars" here (confidence < 0.5);
        // the fourth round's floor after joining (0.15) and 3-pass taggers leave nothing.
        assert!(layer.techniques.is_empty(), "{:?}", layer.techniques);
        assert_eq!(summary.words, 39);
    }

    #[test]
    fn summary_counts_and_density_match_the_spans() {
        let (doc, layer) = run("Our glorious heroes crushed the evil, cowardly invaders! Victory!");
        let summary = layer.summary.unwrap();
        assert_eq!(
            summary.counts.values().sum::<usize>(),
            layer.techniques.len()
        );
        let expected = layer.techniques.len() as f64 * 1000.0 / doc.word_count() as f64;
        assert!((summary.per_1000_words - expected).abs() < 0.001);
    }

    #[test]
    fn tagger_gives_a_probability_for_every_token() {
        let model = shipped_model().unwrap();
        let doc = Document::from_text("What a disgraceful, shameful betrayal of our nation!");
        let ctx = DocContext::new(&doc);
        let tagged = model.tag(&ctx);
        assert_eq!(tagged.second.len(), doc.tokens.len());
        assert!(tagged.second.iter().all(|p| (0.0..=1.0).contains(p)));
    }

    #[test]
    fn sentence_gate_drops_only_the_spans_of_gated_sentences() {
        let mut model = shipped_model().unwrap().clone();
        model.header.sentence_gate = 0.5;
        let doc = Document::from_text(
            "These corrupt traitors are destroying our glorious nation! \
             What a disgraceful, shameful betrayal of the people!",
        );
        assert_eq!(doc.sentences.len(), 2);
        let spans = |layer: TechniquesOutput| -> Vec<(usize, usize)> {
            layer.techniques.iter().map(|t| (t.start, t.end)).collect()
        };
        let plain = spans(detect(&model, &doc));
        let first_end = doc.sentences[0].end;
        assert!(plain.iter().any(|s| s.1 <= first_end), "{plain:?}");
        assert!(plain.iter().any(|s| s.0 >= first_end), "{plain:?}");
        assert_eq!(spans(detect_with(&model, &doc, Some(&[0.9, 0.5]))), plain);
        let gated = spans(detect_with(&model, &doc, Some(&[0.2, 0.9])));
        let second: Vec<(usize, usize)> =
            plain.iter().copied().filter(|s| s.0 >= first_end).collect();
        assert_eq!(gated, second);
        assert_eq!(
            model.sentences_with_spans(&doc),
            [0, 1],
            "both sentences hold spans"
        );
    }

    #[test]
    fn paragraph_rule_takes_either_source_per_label() {
        let rule = ParagraphRule {
            language: "en".into(),
            labeller: vec![0.4, 2.0, 0.3],
            spans: vec![2.0, 0.5, 0.6],
            embedding: Vec::new(),
            mean: Vec::new(),
        };
        assert_eq!(rule.decide(&[0.5, 0.9, 0.1], &[0.9, 0.2, 0.59]), [0]);
        assert_eq!(rule.decide(&[0.1, 0.9, 0.3], &[0.0, 0.5, 0.0]), [1, 2]);
        assert!(rule
            .decide(&[0.39, 0.99, 0.29], &[1.0, 0.49, 0.59])
            .is_empty());
        // With embedding thresholds, the head is a third way in; without its
        // probabilities the rule decides as before.
        let with_head = ParagraphRule {
            embedding: vec![2.0, 2.0, 0.7],
            ..rule.clone()
        };
        assert_eq!(
            with_head.decide_with(&[0.1, 0.1, 0.1], &[0.0; 3], &[0.9, 0.9, 0.71]),
            [2]
        );
        assert!(with_head.decide(&[0.1, 0.1, 0.1], &[0.0; 3]).is_empty());
    }

    #[test]
    fn a_nation_named_in_plain_news_is_not_name_calling() {
        let (doc, layer) = run(
            "NATO defence ministers met in Brussels on Tuesday to discuss the budget. \
             The West and Russia exchanged letters about the inspection schedule.",
        );
        for t in &layer.techniques {
            let text = doc.slice(Span::new(t.start, t.end));
            assert!(
                !(t.technique == "Name_Calling-Labeling"
                    && ["NATO", "West", "Russia"].contains(&text)),
                "{text} as {}",
                t.technique
            );
        }
    }

    /// Token index of the word `w` in `doc` (first occurrence).
    fn token_of(doc: &Document, w: &str) -> usize {
        doc.tokens
            .iter()
            .position(|t| doc.slice(t.span()) == w)
            .unwrap_or_else(|| panic!("no token {w}"))
    }

    fn guess(model: &TechniqueModel, lo: usize, hi: usize, label: usize) -> SpanGuess {
        let mut label_probs = vec![0.0; model.header.labels.len()];
        label_probs[label] = 0.9;
        SpanGuess {
            lo,
            hi,
            strength: 0.8,
            label_probs,
        }
    }

    fn label(name: &str) -> usize {
        SEMEVAL23_TECHNIQUES
            .iter()
            .position(|l| *l == name)
            .unwrap()
    }

    #[test]
    fn close_spans_of_one_sentence_are_joined_and_others_are_not() {
        let model = shipped_model().unwrap();
        let doc = Document::from_text(
            "The corrupt and treasonous thugs ruined the town. Corrupt officials fled.",
        );
        let ctx = DocContext::new(&doc);
        let loaded = label("Loaded_Language");
        let (corrupt, thugs) = (token_of(&doc, "corrupt"), token_of(&doc, "thugs"));
        let officials = token_of(&doc, "officials");
        let spans = || {
            vec![
                (guess(model, corrupt, corrupt + 1, loaded), loaded, 0.3),
                (guess(model, thugs, thugs + 1, loaded), loaded, 0.6),
                (guess(model, officials, officials + 1, loaded), loaded, 0.4),
            ]
        };
        // "and treasonous" (two words) lies between "corrupt" and "thugs".
        let lone = model.join_close(&ctx, spans(), 1);
        assert_eq!(lone.len(), 3);
        let joined = model.join_close(&ctx, spans(), 2);
        let ranges: Vec<(usize, usize)> = joined.iter().map(|(g, _, _)| (g.lo, g.hi)).collect();
        // The next sentence's span stays apart however wide the gap.
        assert_eq!(ranges, [(corrupt, thugs + 1), (officials, officials + 1)]);
        assert_eq!(
            joined[0].2, 0.6,
            "a joined span keeps its best part's confidence"
        );
        assert_eq!(model.join_close(&ctx, spans(), 0).len(), 3);
    }

    #[test]
    fn sentence_level_techniques_are_widened_to_their_sentence_once() {
        let model = shipped_model().unwrap();
        let doc = Document::from_text(
            "Nobody knows whether the minister ever told the truth about it. It rained.",
        );
        let ctx = DocContext::new(&doc);
        let doubt = label("Doubt");
        let loaded = label("Loaded_Language");
        let (whether, truth) = (token_of(&doc, "whether"), token_of(&doc, "truth"));
        let mut labels = vec![false; SEMEVAL23_TECHNIQUES.len()];
        labels[doubt] = true;
        let spans = vec![
            (guess(model, whether, whether + 1, doubt), doubt, 0.3),
            (guess(model, truth, truth + 1, doubt), doubt, 0.5),
            (guess(model, truth, truth + 1, loaded), loaded, 0.2),
        ];
        let widened = model.widen_to_sentences(&ctx, spans, &labels);
        let texts: Vec<(&str, usize, f32)> = widened
            .iter()
            .map(|(g, l, c)| {
                let span = Span::new(doc.tokens[g.lo].start, doc.tokens[g.hi - 1].end);
                (doc.slice(span), *l, *c)
            })
            .collect();
        assert_eq!(
            texts,
            [
                (
                    "Nobody knows whether the minister ever told the truth about it",
                    doubt,
                    0.5
                ),
                ("truth", loaded, 0.2),
            ]
        );
    }

    #[test]
    fn reported_spans_of_stop_words_alone_are_dropped() {
        let mut model = shipped_model().unwrap().clone();
        model.header.min_confidence = 0.0;
        model.header.merge_gap = 0;
        model.header.sentence_labels.clear();
        let doc = Document::from_text("All of our glorious heroes came home.");
        let ctx = DocContext::new(&doc);
        let loaded = label("Loaded_Language");
        let (our, glorious) = (token_of(&doc, "our"), token_of(&doc, "glorious"));
        let reported = model.report(
            &ctx,
            vec![
                guess(&model, 0, 1, loaded),
                guess(&model, our, our + 1, loaded),
                guess(&model, our, glorious + 1, loaded),
            ],
        );
        let ranges: Vec<(usize, usize)> = reported.iter().map(|(g, _, _)| (g.lo, g.hi)).collect();
        assert_eq!(ranges, [(our, glorious + 1)]);
    }

    #[test]
    fn runs_stop_at_sentence_ends() {
        let doc = Document::from_text("Shameful lies everywhere. Disgusting traitors rule.");
        assert_eq!(doc.sentences.len(), 2);
        let ctx = DocContext::new(&doc);
        let probs = vec![0.9; doc.tokens.len()];
        let runs = decode_runs(&ctx, &probs, 0.5);
        let texts: Vec<&str> = runs
            .iter()
            .map(|r| doc.slice(Span::new(doc.tokens[r.0].start, doc.tokens[r.1 - 1].end)))
            .collect();
        assert_eq!(
            texts,
            ["Shameful lies everywhere", "Disgusting traitors rule"]
        );
    }

    #[test]
    fn one_to_one_ptc_labels_round_trip() {
        for p in PTC_TECHNIQUES {
            if let Some(t) = from_ptc(p) {
                assert!(SEMEVAL23_TECHNIQUES.contains(&t));
                assert_eq!(to_ptc(t), Some(p));
            }
        }
        assert_eq!(from_ptc("Bandwagon,Reductio_ad_hitlerum"), None);
    }
}
