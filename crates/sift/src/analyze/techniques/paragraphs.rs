//! Paragraph labels (SemEval-2023 subtask 3) as the report gives them,
//! `Report.paragraph_techniques`: for each paragraph, the techniques the model's rule
//! for the language asserts from three kinds of evidence — the paragraph labeller's
//! probability per label, the best classifier probability per label among the
//! candidate spans that overlap the paragraph, and (embeddings mode) the embedding
//! head's. The rule's per-label thresholds were tuned on held-out articles; each
//! asserted label carries the rule's held-out precision for that label as its
//! confidence (what share of such assertions were right on articles the model had not
//! seen). A language without a rule falls back to the spans' evidence.

use super::features::DocContext;
use super::model::{ParagraphRule, SpanGuess, TechniqueModel};
use crate::document::Span;

/// What the model sees in one paragraph, per label.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphEvidence {
    /// The paragraph labeller's probabilities.
    pub labeller: Vec<f32>,
    /// Best classifier probability among the candidate spans overlapping the paragraph.
    pub spans: Vec<f32>,
    /// The embedding head's probabilities (embeddings mode; empty otherwise).
    pub embedding: Vec<f32>,
}

/// Confidence given to a label asserted by a rule without held-out precisions (older
/// models) or by the spans fallback.
const UNCALIBRATED: f32 = 0.5;

/// Without a rule for the language, a label is asserted when an overlapping span's
/// classifier gives it this much (the untuned rule's span threshold).
pub const FALLBACK_SPAN_PROBABILITY: f32 = 0.5;

impl TechniqueModel {
    /// [`ParagraphEvidence`] for each of `paragraphs`, from the candidate spans
    /// `guesses` ([`TechniqueModel::find_spans`]) and, in the embeddings mode, the
    /// paragraph head's input per paragraph (`None` where there is none).
    pub fn paragraph_evidence(
        &self,
        ctx: &DocContext,
        guesses: &[SpanGuess],
        paragraphs: &[Span],
        head_inputs: &[Option<Vec<f32>>],
    ) -> Vec<ParagraphEvidence> {
        let k = self.header.labels.len();
        let tokens = &ctx.doc.tokens;
        let chars = |g: &SpanGuess| (tokens[g.lo].start, tokens[g.hi - 1].end);
        let mut best_spans = vec![vec![0f32; k]; paragraphs.len()];
        let take = |best: &mut Vec<f32>, g: &SpanGuess| {
            for (best, &p) in best.iter_mut().zip(&g.label_probs) {
                *best = best.max(p);
            }
        };
        let ordered = paragraphs
            .windows(2)
            .all(|w| w[0].start <= w[1].start && w[0].end <= w[1].end);
        if ordered {
            // Each guess visits only the paragraphs it overlaps (a contiguous run when
            // paragraphs are ordered), not every paragraph every guess.
            for g in guesses {
                let (start, end) = chars(g);
                let from = paragraphs.partition_point(|p| p.end <= start);
                for (p, best) in paragraphs[from..].iter().zip(&mut best_spans[from..]) {
                    if p.start >= end {
                        break;
                    }
                    if p.end > start {
                        take(best, g);
                    }
                }
            }
        } else {
            for (span, best) in paragraphs.iter().zip(&mut best_spans) {
                for g in guesses {
                    let (start, end) = chars(g);
                    if start < span.end && span.start < end {
                        take(best, g);
                    }
                }
            }
        }
        paragraphs
            .iter()
            .zip(best_spans)
            .enumerate()
            .map(|(i, (span, spans))| {
                let embedding = match (&self.paragraph_head, head_inputs.get(i)) {
                    (Some(head), Some(Some(x))) => head.predict(x),
                    _ => Vec::new(),
                };
                ParagraphEvidence {
                    labeller: self.paragraph_probabilities(ctx, *span),
                    spans,
                    embedding,
                }
            })
            .collect()
    }

    /// The rule for `language` (`en`, `ru`), if the model has one.
    pub fn paragraph_rule(&self, language: &str) -> Option<&ParagraphRule> {
        self.header
            .paragraph_rules
            .iter()
            .find(|r| r.language == language)
    }

    /// The labels (indices) asserted for one paragraph, each with its confidence;
    /// without a rule, the labels some overlapping span gives at least
    /// [`FALLBACK_SPAN_PROBABILITY`].
    pub fn paragraph_labels(
        &self,
        rule: Option<&ParagraphRule>,
        evidence: &ParagraphEvidence,
    ) -> Vec<(usize, f32)> {
        match rule {
            Some(rule) => rule
                .decide_with(&evidence.labeller, &evidence.spans, &evidence.embedding)
                .into_iter()
                .map(|k| (k, rule.precision.get(k).copied().unwrap_or(UNCALIBRATED)))
                .collect(),
            None => (0..evidence.spans.len())
                .filter(|&k| evidence.spans[k] >= FALLBACK_SPAN_PROBABILITY)
                .map(|k| (k, UNCALIBRATED))
                .collect(),
        }
    }
}
