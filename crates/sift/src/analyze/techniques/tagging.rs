//! Candidate spans: the two-stage token tagger, runs of tagged tokens, the span
//! verifier, the word-level output and the cue-lexicon windows, each candidate
//! classified.

use std::collections::{HashMap, HashSet};

use super::features::{self, DocContext, FirstStage};
use super::labels::is_lexical;
use super::model::{SpanGuess, TechniqueModel};
use super::{argmax, sigmoid};
use crate::document::TokenKind;

impl TechniqueModel {
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
        // Each sentence's mean once (per run, it was quadratic in a long sentence).
        let mut means: HashMap<usize, Option<f32>> = HashMap::new();
        runs.into_iter()
            .map(|(lo, hi, _)| {
                let s = ctx.sentence[lo];
                let mean = *means
                    .entry(s)
                    .or_insert_with(|| features::sentence_mean(ctx, first, s));
                features::verifier_features_with(ctx, first, mean, lo, hi, &mut feats);
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
        let general: HashSet<(usize, usize)> = general.iter().map(|g| (g.0, g.1)).collect();
        decode_runs(ctx, &tagged.lexical, threshold)
            .into_iter()
            .filter(|r| !general.contains(&(r.0, r.1)))
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
        let mut taken: HashSet<(usize, usize)> = existing.iter().map(|r| (r.0, r.1)).collect();
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
                if taken.insert((lo, hi)) {
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

/// Punctuation other than `!`, `?` and quotes (token shapes 5–7: comma, period, other),
/// which a highlight neither starts nor ends with.
pub(super) fn is_edge_punctuation(ctx: &DocContext, t: usize) -> bool {
    matches!(ctx.shape[t], 5..=7)
}

/// `[lo, hi)` without the tokens at either end for which `trimmable` holds.
pub(super) fn trim_edges(
    mut lo: usize,
    mut hi: usize,
    trimmable: impl Fn(usize) -> bool,
) -> (usize, usize) {
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

#[cfg(test)]
mod tests {
    use super::super::shipped_model;
    use super::*;
    use crate::document::{Document, Span};

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
}
