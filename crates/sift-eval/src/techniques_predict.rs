//! What a trained model predicts on annotated articles, in the corpora's terms: SI spans
//! in raw-file offsets, paragraph label sets; and the gold in the same terms.

use std::collections::{BTreeMap, BTreeSet};

use sift::train::techniques::features::DocContext;
use sift::train::techniques::{TechniqueModel, TrainedTechniquesLayer};
use sift::{Pipeline, Span};

use crate::techniques::ArticleSpan;
use crate::techniques_corpus::LabelledDoc;

/// The model's spans in a document, in raw-file offsets (with their token ranges).
pub fn predicted_spans(
    model: &TechniqueModel,
    d: &LabelledDoc,
) -> Vec<(ArticleSpan, usize, usize)> {
    predicted_spans_with_confidence(model, d)
        .into_iter()
        .map(|(span, lo, hi, _)| (span, lo, hi))
        .collect()
}

/// The model's spans in a document (raw-file offsets) with their technique and confidence.
pub fn predicted_spans_labelled(
    model: &TechniqueModel,
    d: &LabelledDoc,
) -> Vec<(ArticleSpan, String, f32)> {
    gated_spans(model, d)
        .into_iter()
        .map(|(span, _, _, best, confidence)| (span, model.header.labels[best].clone(), confidence))
        .collect()
}

/// [`predicted_spans`] with each span's reported confidence.
pub fn predicted_spans_with_confidence(
    model: &TechniqueModel,
    d: &LabelledDoc,
) -> Vec<(ArticleSpan, usize, usize, f32)> {
    gated_spans(model, d)
        .into_iter()
        .map(|(span, lo, hi, _, confidence)| (span, lo, hi, confidence))
        .collect()
}

/// The reported spans that pass the sentence gate (when the model has one and `d` is
/// embedded): raw-file span, token range, best technique, confidence.
fn gated_spans(
    model: &TechniqueModel,
    d: &LabelledDoc,
) -> Vec<(ArticleSpan, usize, usize, usize, f32)> {
    let ctx = DocContext::new(&d.doc);
    let gate = sentence_gate_of(model, d);
    model
        .reported_spans(&ctx)
        .into_iter()
        .filter(|(g, _, _)| {
            gate.as_ref()
                .is_none_or(|probs| model.passes_gate(&d.doc, probs, g.lo))
        })
        .map(|(g, best, confidence)| {
            let (s, e) = (d.doc.tokens[g.lo].start, d.doc.tokens[g.hi - 1].end);
            let span = ArticleSpan::new(&d.id, d.raw_of(s), d.raw_of(e));
            (span, g.lo, g.hi, best, confidence)
        })
        .collect()
}

/// Confidence floors at which cross-validation also scores SI: how precise the spans a reader
/// sees are when a view hides the fainter ones (the text renderer's floor is one of them).
pub const SI_REPORT_FLOORS: [f32; 5] = [0.05, 0.10, 0.20, 0.30, 0.50];

/// The sentence head's probabilities for `d`'s sentences, when both exist.
pub(crate) fn sentence_gate_of(model: &TechniqueModel, d: &LabelledDoc) -> Option<Vec<f32>> {
    let embedded =
        !d.sentence_embeddings.is_empty() && d.sentence_embeddings.len() == d.doc.sentences.len();
    (model.sentence_head.is_some() && embedded)
        .then(|| model.sentence_probabilities(&d.sentence_embeddings))
}

pub(crate) fn gold_si(docs: &[&LabelledDoc]) -> Vec<ArticleSpan> {
    docs.iter()
        .flat_map(|d| {
            d.si.iter()
                .map(move |s| ArticleSpan::new(&d.id, d.raw_of(s.start), d.raw_of(s.end)))
        })
        .collect()
}

pub(crate) fn paragraph_gold(docs: &[&LabelledDoc], labels: &[String]) -> ParagraphLabels {
    let mut gold = BTreeMap::new();
    for d in docs {
        for (line, _, ls) in &d.paragraphs {
            gold.insert(
                (d.id.clone(), *line),
                ls.iter().map(|&l| labels[l as usize].clone()).collect(),
            );
        }
    }
    gold
}

/// Labels per paragraph: (article id, line) → technique names.
pub type ParagraphLabels = BTreeMap<(String, usize), BTreeSet<String>>;

/// Paragraph predictions from the paragraph labeller at `threshold`.
pub fn paragraph_predictions(
    model: &TechniqueModel,
    docs: &[&LabelledDoc],
    threshold: f32,
) -> ParagraphLabels {
    let mut out = BTreeMap::new();
    for d in docs {
        let ctx = DocContext::new(&d.doc);
        for (line, span, _) in &d.paragraphs {
            let probs = model.paragraph_probabilities(&ctx, *span);
            let set = probs
                .iter()
                .enumerate()
                .filter(|(_, &p)| p >= threshold)
                .map(|(i, _)| model.header.labels[i].clone())
                .collect();
            out.insert((d.id.clone(), *line), set);
        }
    }
    out
}

/// Paragraph predictions as `sift analyze` reports them: `Report.paragraph_techniques`
/// from the default pipeline with `model` as its techniques layer. Each gold paragraph
/// gets the labels of the report paragraph that overlaps it most (none: no labels).
pub fn paragraph_predictions_reported(
    model: &TechniqueModel,
    docs: &[&LabelledDoc],
) -> ParagraphLabels {
    let mut pipeline = Pipeline::default();
    pipeline.replace(Box::new(TrainedTechniquesLayer {
        model: model.clone(),
    }));
    let mut out = BTreeMap::new();
    for d in docs {
        let report = pipeline.analyze(&d.doc);
        for (line, gold, _) in &d.paragraphs {
            let overlap = |p: &Span| p.end.min(gold.end).saturating_sub(p.start.max(gold.start));
            let best = (0..report.paragraphs.len())
                .filter(|&i| overlap(&report.paragraphs[i]) > 0)
                .max_by_key(|&i| (overlap(&report.paragraphs[i]), std::cmp::Reverse(i)));
            let set: BTreeSet<String> = best
                .and_then(|i| report.paragraph_techniques.get(i))
                .map(|labels| {
                    labels
                        .iter()
                        .map(|t| t.technique.as_str().to_string())
                        .collect()
                })
                .unwrap_or_default();
            out.insert((d.id.clone(), *line), set);
        }
    }
    out
}
