//! The trained technique detector: its parts, its header (thresholds chosen on
//! held-out articles), the paragraph rules, the embeddings mode's heads, and its file
//! format.

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

use super::dense;
use super::features::{self, DocContext};
use super::linear::{Interleaved, LinearModel};
use crate::document::{Document, Span};

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
    pub(super) tagging: Option<Interleaved>,
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
    /// Per label: precision of the rule's assertions on the held-out articles it was
    /// tuned on (smoothed; the confidence the report gives; empty in older models).
    #[serde(default)]
    pub precision: Vec<f32>,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_rule_takes_either_source_per_label() {
        let rule = ParagraphRule {
            language: "en".into(),
            labeller: vec![0.4, 2.0, 0.3],
            spans: vec![2.0, 0.5, 0.6],
            embedding: Vec::new(),
            mean: Vec::new(),
            precision: Vec::new(),
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
}
