//! k-fold cross-validation of the technique detector, scored with the official metrics.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sift::train::techniques::features::DocContext;
use sift::train::techniques::linear::SplitMix;
use sift::train::techniques::TechniqueModel;
use sift::Span;

use crate::techniques::{
    paragraph_multilabel, span_identification, technique_classification, ArticleSpan, LabelScores,
    LabelledSpan, Prf,
};
use crate::techniques_corpus::LabelledDoc;
use crate::techniques_fit::{fit, token_range, FitOptions};
use crate::techniques_groups::{grouped_folds, near_duplicate_groups};
use crate::techniques_predict::{
    gold_si, paragraph_gold, paragraph_predictions_reported, predicted_spans_labelled,
    ParagraphLabels, SI_REPORT_FLOORS,
};

/// Fold of each article id: ids sorted, shuffled with `seed`, dealt round-robin.
pub fn fold_of(ids: &[&str], folds: usize, seed: u64) -> HashMap<String, usize> {
    let mut sorted: Vec<&str> = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    SplitMix::new(seed).shuffle(&mut sorted);
    sorted
        .iter()
        .enumerate()
        .map(|(i, id)| (id.to_string(), i % folds))
        .collect()
}

/// Labels for the gold TC spans of `d`: a span annotated k times gets the top-k labels.
pub fn classify_gold_spans(model: &TechniqueModel, d: &LabelledDoc) -> Vec<LabelledSpan> {
    let ctx = DocContext::new(&d.doc);
    let mut by_span: BTreeMap<Span, usize> = BTreeMap::new();
    for (s, _) in &d.spans {
        *by_span.entry(*s).or_insert(0) += 1;
    }
    let mut out = Vec::new();
    for (span, k) in by_span {
        let Some((lo, hi)) = token_range(&d.doc, span) else {
            continue;
        };
        let probs = model.classify(&ctx, lo, hi);
        let mut ranked: Vec<usize> = (0..probs.len()).collect();
        ranked.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
        for &label in ranked.iter().take(k) {
            out.push(LabelledSpan {
                span: ArticleSpan::new(&d.id, d.raw_of(span.start), d.raw_of(span.end)),
                technique: model.header.labels[label].clone(),
            });
        }
    }
    out
}

fn gold_tc(d: &LabelledDoc, labels: &[String]) -> Vec<LabelledSpan> {
    d.spans
        .iter()
        .map(|(s, l)| LabelledSpan {
            span: ArticleSpan::new(&d.id, d.raw_of(s.start), d.raw_of(s.end)),
            technique: labels[*l as usize].clone(),
        })
        .collect()
}

/// Cross-validated scores of one language or corpus.
#[derive(Debug, Clone, Default)]
pub struct CvScores {
    pub si: Prf,
    /// SI recall per technique: the share of each technique's gold characters that
    /// predicted spans cover (gold spans of that technique only).
    pub si_recall_by_technique: BTreeMap<String, (f64, usize)>,
    pub tc: LabelScores,
    /// Subtask 3 as the report gives it (`Report.paragraph_techniques` from the
    /// pipeline; empty without paragraph gold).
    pub paragraphs: LabelScores,
    /// Near-duplicate groups the folds kept whole (as many as articles when ungrouped).
    pub groups: usize,
    pub articles: usize,
    pub span_thresholds: Vec<f32>,
    pub verify_thresholds: Vec<f32>,
    /// Word-level and cue-word thresholds per fold (above 1: off).
    pub lexical_cue_thresholds: Vec<(f32, f32)>,
    pub paragraph_thresholds: Vec<f32>,
    /// Embeddings mode: the sentence gate chosen per fold (0: none).
    pub sentence_gates: Vec<f32>,
    /// Per fold: confidence floor, join gap (words), sentence-level techniques widened.
    pub span_boundaries: Vec<(f32, usize, bool)>,
    /// SI over only the spans at or above each of [`SI_REPORT_FLOORS`]: (floor, spans kept, scores).
    pub si_by_floor: Vec<(f32, usize, Prf)>,
    /// How many spans the cross-validated SI figure scores.
    pub si_predicted: usize,
    /// The cross-validated SI predictions (raw-file offsets), for the official scorer.
    pub si_predictions: Vec<ArticleSpan>,
    /// Beside each of `si_predictions`: its technique and confidence (error analysis).
    pub si_prediction_labels: Vec<(String, f32)>,
}

/// What the folds' test articles of one language add up to.
#[derive(Default)]
struct Acc {
    si_pred: Vec<ArticleSpan>,
    si_pred_confidence: Vec<f32>,
    si_pred_label: Vec<String>,
    si_gold: Vec<ArticleSpan>,
    by_technique: BTreeMap<String, Vec<ArticleSpan>>,
    tc_pred: Vec<LabelledSpan>,
    tc_gold: Vec<LabelledSpan>,
    par_pred: ParagraphLabels,
    par_gold: ParagraphLabels,
    articles: usize,
}

/// The settings each fold's model chose (the same for every language).
#[derive(Default, Clone)]
struct FoldSettings {
    span_thresholds: Vec<f32>,
    verify_thresholds: Vec<f32>,
    lexical_cue_thresholds: Vec<(f32, f32)>,
    paragraph_thresholds: Vec<f32>,
    sentence_gates: Vec<f32>,
    span_boundaries: Vec<(f32, usize, bool)>,
}

impl FoldSettings {
    fn record(&mut self, model: &TechniqueModel) {
        let h = &model.header;
        self.span_thresholds.push(h.span_threshold);
        self.verify_thresholds.push(h.verify_threshold);
        self.lexical_cue_thresholds
            .push((h.lexical_threshold, h.cue_threshold));
        self.paragraph_thresholds.push(h.paragraph_threshold);
        self.sentence_gates.push(h.sentence_gate);
        self.span_boundaries.push((
            h.min_confidence,
            h.merge_gap,
            h.sentence_labels.iter().any(|&b| b),
        ));
    }
}

/// Fold per article: whole near-duplicate groups per fold when `grouped` (see
/// [`crate::techniques_groups`]), else by article id; and how many groups there are.
pub fn folds_of(
    docs: &[LabelledDoc],
    folds: usize,
    seed: u64,
    grouped: bool,
) -> (Vec<usize>, usize) {
    if grouped {
        let texts: Vec<&str> = docs.iter().map(|d| d.doc.text()).collect();
        let groups = near_duplicate_groups(&texts);
        let count = groups.iter().copied().max().map_or(0, |g| g + 1);
        return (grouped_folds(&groups, folds, seed), count);
    }
    let ids: Vec<String> = docs
        .iter()
        .map(|d| format!("{}:{}", d.language, d.id))
        .collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let fold = fold_of(&id_refs, folds, seed);
    (ids.iter().map(|id| fold[id]).collect(), docs.len())
}

/// k-fold cross-validation: for each fold, fit on the others and score the fold.
/// Articles are scored per language (`docs` may mix languages); folds keep
/// near-duplicate groups whole when `grouped`.
pub fn cross_validate(
    docs: &[LabelledDoc],
    labels: &[&str],
    folds: usize,
    options: &FitOptions,
    grouped: bool,
    mut progress: impl FnMut(usize, f64),
) -> BTreeMap<&'static str, CvScores> {
    let (fold, groups) = folds_of(docs, folds, options.seed, grouped);
    let label_strings: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
    let mut languages: Vec<&'static str> = docs.iter().map(|d| d.language).collect();
    languages.sort_unstable();
    languages.dedup();
    let mut acc: BTreeMap<&'static str, Acc> = BTreeMap::new();
    let mut settings = FoldSettings::default();
    for f in 0..folds {
        let started = std::time::Instant::now();
        let in_fold = |i: usize| fold[i] == f;
        let train: Vec<&LabelledDoc> = (0..docs.len())
            .filter(|&i| !in_fold(i))
            .map(|i| &docs[i])
            .collect();
        let test: Vec<&LabelledDoc> = (0..docs.len())
            .filter(|&i| in_fold(i))
            .map(|i| &docs[i])
            .collect();
        let model = fit(&train, labels, options, "cross-validation fold");
        settings.record(&model);
        score_spans(&model, &test, &label_strings, &mut acc);
        score_paragraphs(&model, &test, &languages, &label_strings, &mut acc);
        progress(f, started.elapsed().as_secs_f64());
    }
    acc.into_iter()
        .map(|(lang, a)| (lang, scores_of(a, &settings, groups)))
        .collect()
}

/// SI and TC of one fold's test articles.
fn score_spans(
    model: &TechniqueModel,
    test: &[&LabelledDoc],
    label_strings: &[String],
    acc: &mut BTreeMap<&'static str, Acc>,
) {
    for d in test {
        let a = acc.entry(d.language).or_default();
        a.articles += 1;
        for (span, label, confidence) in predicted_spans_labelled(model, d) {
            a.si_pred_label.push(label);
            a.si_pred_confidence.push(confidence);
            a.si_pred.push(span);
        }
        a.si_gold.extend(gold_si(&[d]));
        for (s, l) in &d.spans {
            a.by_technique
                .entry(label_strings[*l as usize].clone())
                .or_default()
                .push(ArticleSpan::new(&d.id, d.raw_of(s.start), d.raw_of(s.end)));
        }
        a.tc_pred.extend(classify_gold_spans(model, d));
        a.tc_gold.extend(gold_tc(d, label_strings));
    }
}

/// Subtask 3 of one fold's test articles, per language.
fn score_paragraphs(
    model: &TechniqueModel,
    test: &[&LabelledDoc],
    languages: &[&'static str],
    label_strings: &[String],
    acc: &mut BTreeMap<&'static str, Acc>,
) {
    for &lang in languages {
        let lang_docs: Vec<&LabelledDoc> = test
            .iter()
            .copied()
            .filter(|d| d.language == lang)
            .collect();
        if lang_docs.iter().all(|d| d.paragraphs.is_empty()) {
            continue;
        }
        let a = acc.entry(lang).or_default();
        a.par_pred
            .extend(paragraph_predictions_reported(model, &lang_docs));
        a.par_gold.extend(paragraph_gold(&lang_docs, label_strings));
    }
}

/// SI recall per technique: the share of each technique's gold characters that the
/// predicted spans of the same articles cover.
fn si_recall_by_technique(a: &Acc) -> BTreeMap<String, (f64, usize)> {
    a.by_technique
        .iter()
        .map(|(t, gold)| {
            let articles: BTreeSet<&str> = gold.iter().map(|g| g.article.as_str()).collect();
            let pred: Vec<ArticleSpan> = a
                .si_pred
                .iter()
                .filter(|p| articles.contains(p.article.as_str()))
                .cloned()
                .collect();
            (
                t.clone(),
                (span_identification(&pred, gold).recall, gold.len()),
            )
        })
        .collect()
}

/// SI over only the spans at or above each of [`SI_REPORT_FLOORS`].
fn si_by_floor(a: &Acc) -> Vec<(f32, usize, Prf)> {
    SI_REPORT_FLOORS
        .iter()
        .map(|&floor| {
            let kept: Vec<ArticleSpan> = a
                .si_pred
                .iter()
                .zip(&a.si_pred_confidence)
                .filter(|(_, &c)| c >= floor)
                .map(|(s, _)| s.clone())
                .collect();
            (floor, kept.len(), span_identification(&kept, &a.si_gold))
        })
        .collect()
}

fn scores_of(a: Acc, settings: &FoldSettings, groups: usize) -> CvScores {
    CvScores {
        si: span_identification(&a.si_pred, &a.si_gold),
        si_by_floor: si_by_floor(&a),
        si_predicted: a.si_pred.len(),
        si_recall_by_technique: si_recall_by_technique(&a),
        tc: technique_classification(&a.tc_pred, &a.tc_gold),
        paragraphs: paragraph_multilabel(&a.par_pred, &a.par_gold),
        groups,
        articles: a.articles,
        span_thresholds: settings.span_thresholds.clone(),
        verify_thresholds: settings.verify_thresholds.clone(),
        lexical_cue_thresholds: settings.lexical_cue_thresholds.clone(),
        paragraph_thresholds: settings.paragraph_thresholds.clone(),
        sentence_gates: settings.sentence_gates.clone(),
        span_boundaries: settings.span_boundaries.clone(),
        si_predictions: a.si_pred.clone(),
        si_prediction_labels: a
            .si_pred_label
            .iter()
            .cloned()
            .zip(a.si_pred_confidence.iter().copied())
            .collect(),
    }
}
