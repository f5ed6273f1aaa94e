//! Check-worthiness: the CheckThat! 2024 Task 1 corpus (English), the hand-labelled
//! Russian sentences (`data/checkworthy-ru.tsv`), the trainer of the shipped model,
//! and the official metric (F1 of the positive class).
//!
//! Evaluation runs the default pipeline on each sentence as its own document and reads
//! `report.claims`: a sentence is predicted check-worthy when one of its claims is,
//! exactly what `sift analyze` reports.

use std::path::Path;

use sift::train::claims::model::{self, ClaimsModel, Variant};
use sift::train::claims::questions;
use sift::train::claims::ClaimsLayer;
pub use sift::train::techniques::linear::TrainConfig;
use sift::{Document, LanguageHint, Pipeline, RawDocument, Source, Span};

use crate::f1;

/// One labelled sentence.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub id: String,
    pub text: String,
    pub checkworthy: bool,
}

/// Read a CheckThat! 2024 Task 1 TSV (`Sentence_id, Text, class_label`).
pub fn load_checkthat(path: &Path) -> std::io::Result<Vec<Sentence>> {
    let text = std::fs::read_to_string(path)?;
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 3 {
            continue;
        }
        out.push(Sentence {
            id: fields[0].to_string(),
            text: fields[1].to_string(),
            checkworthy: fields[fields.len() - 1].trim() == "Yes",
        });
    }
    Ok(out)
}

/// An English sentence as its own document.
pub fn english_document(sentence: &Sentence) -> Document {
    Document::build(
        RawDocument {
            id: sentence.id.clone(),
            source: Source::default(),
            text: sentence.text.clone(),
        },
        LanguageHint::English,
    )
}

/// Features of a whole sentence-document for both variants (the trainer's input).
pub fn sentence_features(pipeline: &Pipeline, doc: &Document) -> (Vec<u32>, Vec<u32>) {
    let report = pipeline.analyze(doc);
    let span = Span::new(0, doc.len_chars());
    let answers = questions::answer(doc, &report, span);
    (
        model::features(doc, span, &answers, Variant::English),
        model::features(doc, span, &answers, Variant::Questions),
    )
}

/// The layers the claims layer reads (the default pipeline less `claims`).
pub fn feature_pipeline() -> Pipeline {
    Pipeline::without(&["claims"]).expect("the default pipeline has a claims layer")
}

/// Precision, recall and F1 of the positive class.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PositiveF1 {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// F1 of the positive class from (gold, predicted) pairs.
pub fn positive_f1(pairs: impl IntoIterator<Item = (bool, bool)>) -> PositiveF1 {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (gold, predicted) in pairs {
        match (gold, predicted) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            _ => {}
        }
    }
    let precision = if tp + fp == 0 {
        0.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if tp + fn_ == 0 {
        0.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    PositiveF1 {
        precision,
        recall,
        f1: f1(precision, recall),
        support: tp + fn_,
    }
}

/// The threshold in [0.05, 0.95] (step 0.01) with the best positive-class F1.
pub fn best_threshold(scored: &[(f32, bool)]) -> (f32, f64) {
    let mut best = (0.5, -1.0);
    for step in 5..=95 {
        let t = step as f32 / 100.0;
        let f = positive_f1(scored.iter().map(|&(p, y)| (y, p >= t))).f1;
        if f > best.1 {
            best = (t, f);
        }
    }
    best
}

/// Folds of the threshold search. CheckThat's sentence ids number each debate's
/// sentences consecutively, so a block of ids stays in one fold: a debate is never
/// both fitted and scored.
pub const FOLDS: usize = 5;
/// Ids per block (about one debate).
const ID_BLOCK: u64 = 1_000;

fn fold_of(sentence: &Sentence) -> usize {
    let id: u64 = sentence.id.trim().parse().unwrap_or(0);
    ((id / ID_BLOCK) % FOLDS as u64) as usize
}

type Features = (Vec<u32>, Vec<u32>, bool);

fn features_of(pipeline: &Pipeline, sentences: &[&Sentence]) -> Vec<Features> {
    sentences
        .iter()
        .map(|s| {
            let (english, asked) = sentence_features(pipeline, &english_document(s));
            (english, asked, s.checkworthy)
        })
        .collect()
}

fn variant_features(example: &Features, variant: Variant) -> &[u32] {
    if variant == Variant::English {
        &example.0
    } else {
        &example.1
    }
}

/// Train the shipped model on `train` and `dev` together (dev's debates are closer in
/// time to unseen ones than train's). Each variant's threshold is the best one for
/// out-of-fold probabilities: [`FOLDS`] models, each fitted without one fold of
/// debates and scoring it. Returns the model and the English variant's out-of-fold
/// score at its threshold (the cross-validated figure). `sift train claims` uses
/// [`default_config`].
pub fn train(
    train: &[Sentence],
    dev: &[Sentence],
    config: &TrainConfig,
) -> (ClaimsModel, PositiveF1) {
    let pipeline = feature_pipeline();
    let all: Vec<&Sentence> = train.iter().chain(dev).collect();
    let examples = features_of(&pipeline, &all);
    let folds: Vec<usize> = all.iter().map(|s| fold_of(s)).collect();
    let mut out_of_fold: [Vec<(f32, bool)>; 2] = [Vec::new(), Vec::new()];
    for fold in 0..FOLDS {
        let fitting: Vec<Features> = examples
            .iter()
            .zip(&folds)
            .filter(|(_, &f)| f != fold)
            .map(|(e, _)| e.clone())
            .collect();
        let model = ClaimsModel::train(&fitting, config);
        for (example, _) in examples.iter().zip(&folds).filter(|(_, &f)| f == fold) {
            for (i, variant) in [Variant::English, Variant::Questions]
                .into_iter()
                .enumerate()
            {
                let p = model.probability(variant, variant_features(example, variant));
                out_of_fold[i].push((p, example.2));
            }
        }
    }
    let mut fitted = ClaimsModel::train(&examples, config);
    let mut english = PositiveF1::default();
    for (i, variant) in [Variant::English, Variant::Questions]
        .into_iter()
        .enumerate()
    {
        let (threshold, _) = best_threshold(&out_of_fold[i]);
        fitted.set_threshold(variant, threshold);
        if variant == Variant::English {
            english = positive_f1(out_of_fold[i].iter().map(|&(p, y)| (y, p >= threshold)));
        }
    }
    (fitted, english)
}

/// The training settings of the shipped model. The learning rate was chosen by the
/// grouped out-of-fold F1 of [`train`] (0.05: 0.675; 0.1: 0.667; 0.2: 0.651; 0.4:
/// 0.635), never by a held-out split.
pub fn default_config(seed: u64) -> TrainConfig {
    TrainConfig {
        seed,
        learning_rate: 0.05,
        ..TrainConfig::default()
    }
}

/// The shipped path: is any claim of this document check-worthy?
pub fn predicted_checkworthy(pipeline: &Pipeline, doc: &Document) -> bool {
    pipeline.analyze(doc).claims.iter().any(|c| c.checkworthy)
}

/// The default pipeline, its claims layer using `model` when given.
pub fn pipeline_with(model: Option<ClaimsModel>) -> Pipeline {
    let mut pipeline = Pipeline::default();
    if let Some(model) = model {
        pipeline.replace(Box::new(ClaimsLayer::with_model(model)));
    }
    pipeline
}

/// Score a pipeline on English sentences (each its own document).
pub fn evaluate_english(pipeline: &Pipeline, sentences: &[Sentence]) -> PositiveF1 {
    positive_f1(sentences.iter().map(|s| {
        let doc = english_document(s);
        (s.checkworthy, predicted_checkworthy(pipeline, &doc))
    }))
}

/// A hand-labelled sentence of a SemEval-2023 Russian article: char offsets into the
/// article's normalised text (`Report.text`).
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledSpan {
    pub article: String,
    pub start: usize,
    pub end: usize,
    pub checkworthy: bool,
}

/// Read `article<TAB>start<TAB>end<TAB>label` (label `1`/`0`; `#` comments).
pub fn load_labelled_spans(text: &str) -> Vec<LabelledSpan> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some(LabelledSpan {
                article: f.first()?.to_string(),
                start: f.get(1)?.parse().ok()?,
                end: f.get(2)?.parse().ok()?,
                checkworthy: f.get(3)?.trim() == "1",
            })
        })
        .collect()
}

/// The committed Russian labels.
pub const RUSSIAN_LABELS: &str = include_str!("../data/checkworthy-ru.tsv");

/// Score a pipeline on labelled sentences of whole articles read from
/// `articles` (`article<ID>.txt`): a sentence is predicted check-worthy when a
/// check-worthy claim overlaps it.
pub fn evaluate_articles(
    pipeline: &Pipeline,
    articles: &Path,
    labels: &[LabelledSpan],
) -> std::io::Result<PositiveF1> {
    let mut pairs = Vec::new();
    let mut ids: Vec<&str> = labels.iter().map(|l| l.article.as_str()).collect();
    ids.dedup();
    for id in ids {
        let name = format!("article{id}.txt");
        let bytes = std::fs::read(articles.join(&name))?;
        // The same input path as `sift analyze FILE`, so offsets agree with its reports.
        let Some(Ok(raw)) = sift::input::read_bytes(&name, &name, &bytes)
            .into_iter()
            .next()
        else {
            return Err(std::io::Error::other(format!("{name}: no text")));
        };
        let report = pipeline.analyze(&Document::build(raw, LanguageHint::Auto));
        for label in labels.iter().filter(|l| l.article == id) {
            let span = Span::new(label.start, label.end);
            let predicted = report
                .claims
                .iter()
                .any(|c| c.checkworthy && Span::new(c.start, c.end).overlaps(span));
            pairs.push((label.checkworthy, predicted));
        }
    }
    Ok(positive_f1(pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_f1_counts_only_the_positive_class() {
        let s = positive_f1([(true, true), (true, false), (false, true), (false, false)]);
        assert_eq!((s.precision, s.recall, s.support), (0.5, 0.5, 2));
        assert!((s.f1 - 0.5).abs() < 1e-12);
    }

    #[test]
    fn labelled_spans_parse_and_skip_comments() {
        let spans = load_labelled_spans("# c\n111\t0\t10\t1\n111\t11\t20\t0\n");
        assert_eq!(spans.len(), 2);
        assert!(spans[0].checkworthy && !spans[1].checkworthy);
    }
}
