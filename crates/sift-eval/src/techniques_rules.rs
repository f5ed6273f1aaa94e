//! Paragraph decisions (subtask 3): per paragraph the evidence of each source (the
//! paragraph labeller, the detected spans, the embedding head) and the per-label
//! thresholds tuned on held-out articles.

use sift::train::techniques::features::DocContext;
use sift::train::techniques::model::{vote, ParagraphRule, TechniqueModel};
use sift::Span;

use crate::techniques_corpus::LabelledDoc;
use crate::techniques_fit::paragraph_input;

/// One gold paragraph with the model's evidence: the paragraph labeller's
/// probabilities and, per label, the best classifier probability among the detected
/// spans that overlap it.
pub struct ParagraphEvidence {
    pub line: usize,
    pub labeller: Vec<f32>,
    pub spans: Vec<f32>,
    /// The embedding head's probabilities (embeddings mode; empty otherwise).
    pub embedding: Vec<f32>,
    pub gold: Vec<u16>,
}

/// [`ParagraphEvidence`] for every gold paragraph of `d`, as the report computes it
/// ([`TechniqueModel::paragraph_evidence`]).
pub fn paragraph_evidence(model: &TechniqueModel, d: &LabelledDoc) -> Vec<ParagraphEvidence> {
    let ctx = DocContext::new(&d.doc);
    let guesses = model.find_spans(&ctx);
    let spans: Vec<Span> = d.paragraphs.iter().map(|p| p.1).collect();
    let inputs: Vec<Option<Vec<f32>>> = (0..d.paragraphs.len())
        .map(|i| paragraph_input(d, i))
        .collect();
    model
        .paragraph_evidence(&ctx, &guesses, &spans, &inputs)
        .into_iter()
        .zip(&d.paragraphs)
        .map(|(e, (line, _, gold))| ParagraphEvidence {
            line: *line,
            labeller: e.labeller,
            spans: e.spans,
            embedding: e.embedding,
            gold: gold.clone(),
        })
        .collect()
}

const RULE_LABELLER: [f32; 12] = [
    0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 2.0,
];
const RULE_SPANS: [f32; 9] = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 2.0];
const RULE_EMBEDDING: [f32; 11] = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 2.0];
const RULE_MEAN: [f32; 9] = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 2.0];
/// Labels with fewer gold paragraphs than this among the held-out ones keep the
/// default rule (span argmax-like 0.5, labeller off): too few to tune on.
const RULE_MIN_SUPPORT: usize = 5;

/// Per-label thresholds maximising paragraph micro-F1 on `evidence` (coordinate
/// ascent over labels, two rounds, each label's (labeller, spans) pair on a grid).
pub fn tune_paragraph_rule(
    language: &str,
    evidence: &[ParagraphEvidence],
    labels: usize,
) -> ParagraphRule {
    let with_embedding = evidence.iter().all(|e| e.embedding.len() == labels);
    let mut rule = ParagraphRule {
        language: language.to_string(),
        labeller: vec![2.0; labels],
        spans: vec![0.5; labels],
        embedding: if with_embedding {
            vec![2.0; labels]
        } else {
            Vec::new()
        },
        mean: vec![2.0; labels],
        precision: Vec::new(),
    };
    let embedding_grid: &[f32] = if with_embedding {
        &RULE_EMBEDDING
    } else {
        &[2.0]
    };
    let counts = |k: usize, ta: f32, tb: f32, tc: f32, tm: f32| -> (usize, usize, usize) {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for e in evidence {
            let predicted = e.labeller[k] >= ta
                || e.spans[k] >= tb
                || e.embedding.get(k).is_some_and(|&p| p >= tc)
                || vote(e.labeller[k], e.spans[k], e.embedding.get(k).copied()) >= tm;
            let gold = e.gold.contains(&(k as u16));
            match (predicted, gold) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
        }
        (tp, fp, fn_)
    };
    let mut per_label: Vec<(usize, usize, usize)> = (0..labels)
        .map(|k| counts(k, rule.labeller[k], rule.spans[k], 2.0, 2.0))
        .collect();
    let support: Vec<usize> = (0..labels)
        .map(|k| {
            evidence
                .iter()
                .filter(|e| e.gold.contains(&(k as u16)))
                .count()
        })
        .collect();
    let f1 = |c: &[(usize, usize, usize)]| -> f64 {
        let (tp, fp, fn_) = c
            .iter()
            .fold((0, 0, 0), |a, x| (a.0 + x.0, a.1 + x.1, a.2 + x.2));
        if tp == 0 {
            0.0
        } else {
            2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
        }
    };
    for _round in 0..2 {
        for k in 0..labels {
            if support[k] < RULE_MIN_SUPPORT {
                continue;
            }
            let mut best = (
                f1(&per_label),
                rule.labeller[k],
                rule.spans[k],
                rule.embedding.get(k).copied().unwrap_or(2.0),
                rule.mean[k],
                per_label[k],
            );
            for &ta in &RULE_LABELLER {
                for &tb in &RULE_SPANS {
                    for &tc in embedding_grid {
                        for &tm in &RULE_MEAN {
                            let c = counts(k, ta, tb, tc, tm);
                            let saved = per_label[k];
                            per_label[k] = c;
                            let score = f1(&per_label);
                            per_label[k] = saved;
                            if score > best.0 + 1e-9 {
                                best = (score, ta, tb, tc, tm, c);
                            }
                        }
                    }
                }
            }
            rule.labeller[k] = best.1;
            rule.spans[k] = best.2;
            if with_embedding {
                rule.embedding[k] = best.3;
            }
            rule.mean[k] = best.4;
            per_label[k] = best.5;
        }
    }
    // The confidence the report gives an assertion: its held-out precision, smoothed
    // towards one half (a label asserted once and right is no certainty).
    rule.precision = per_label
        .iter()
        .map(|&(tp, fp, _)| (tp as f32 + 1.0) / ((tp + fp) as f32 + 2.0))
        .collect();
    rule
}

#[cfg(test)]
mod rule_tests {
    use super::*;

    fn evidence(labeller: [f32; 2], spans: [f32; 2], gold: &[u16]) -> ParagraphEvidence {
        ParagraphEvidence {
            line: 1,
            labeller: labeller.to_vec(),
            spans: spans.to_vec(),
            embedding: Vec::new(),
            gold: gold.to_vec(),
        }
    }

    #[test]
    fn tuned_rule_separates_what_each_source_separates() {
        // Label 0: the labeller separates gold at 0.45 while spans are noise;
        // label 1: spans separate it at 0.75 while the labeller is noise.
        let mut cases = Vec::new();
        for i in 0..12 {
            let positive = i % 2 == 0;
            let noise = if i % 3 == 0 { 0.9 } else { 0.05 };
            cases.push(evidence(
                [if positive { 0.5 } else { 0.2 }, noise],
                [noise, if positive { 0.8 } else { 0.3 }],
                if positive { &[0, 1] } else { &[] },
            ));
        }
        let rule = tune_paragraph_rule("en", &cases, 2);
        assert_eq!(rule.language, "en");
        for e in &cases {
            let want: Vec<usize> = e.gold.iter().map(|&g| g as usize).collect();
            assert_eq!(rule.decide(&e.labeller, &e.spans), want);
        }
    }

    #[test]
    fn labels_too_rare_to_tune_keep_the_default_rule() {
        let cases: Vec<ParagraphEvidence> = (0..20)
            .map(|i| evidence([0.9, 0.9], [0.1, 0.1], if i < 2 { &[1] } else { &[] }))
            .collect();
        let rule = tune_paragraph_rule("ru", &cases, 2);
        assert_eq!(rule.labeller[1], 2.0);
        assert_eq!(rule.spans[1], 0.5);
    }
}
