//! Technique corpora (PTC, SemEval-2023 subtask 3), training of a
//! [`TechniqueModel`], and k-fold cross-validation scored with the official metrics.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::Path;

use sift::train::techniques::dense::{DenseConfig, DenseLogistic};
use sift::train::techniques::features::{self, DocContext};
use sift::train::techniques::linear::{Example, LinearModel, Loss, SplitMix, TrainConfig};
use sift::train::techniques::{
    argmax, decode_runs, is_lexical, vote, ModelHeader, ParagraphRule, SpanGuess, Tagged,
    TechniqueModel,
};
use sift::{Document, LanguageHint, RawDocument, Source, Span};

use crate::techniques::{
    paragraph_multilabel, span_identification, technique_classification, ArticleSpan, LabelScores,
    LabelledSpan, Prf,
};

/// One annotated article, built into a [`Document`], with gold offsets in
/// normalised-text chars.
pub struct LabelledDoc {
    pub id: String,
    pub language: &'static str,
    pub doc: Document,
    /// Gold technique spans (label indices into the label set in use).
    pub spans: Vec<(Span, u16)>,
    /// Technique-agnostic gold spans (SI), when the corpus has its own; else the spans above.
    pub si: Vec<Span>,
    /// Gold paragraphs (subtask 3): line number (1-based) as in the templates, span, labels.
    pub paragraphs: Vec<(usize, Span, Vec<u16>)>,
    /// Sentence embedding of each gold paragraph (embeddings mode; empty otherwise).
    pub paragraph_embeddings: Vec<Vec<f32>>,
    /// Embedding of each of `doc.sentences` (embeddings mode; empty otherwise).
    pub sentence_embeddings: Vec<Vec<f32>>,
}

impl LabelledDoc {
    /// Raw-file char offset of normalised char `c` (the corpora's offsets).
    pub fn raw_of(&self, c: usize) -> usize {
        self.doc.source_char_of(c)
    }
}

/// Adds PTC annotations to the SemEval-2023 English articles with the same id (the 2023
/// English set re-annotates the PTC articles; the texts differ in line breaks and some
/// edits, so each PTC span is found again by its text, at the occurrence nearest its
/// PTC offset). PTC SI spans join the tagger's gold, and PTC technique spans whose label
/// maps one-to-one join the classifier's gold where the 2023 annotation has no span at
/// the same offsets. Returns how many spans were added.
pub fn augment_with_ptc(
    semeval_en: &mut [LabelledDoc],
    ptc: &[LabelledDoc],
    ptc_labels: &[&str],
    labels: &[&str],
) -> usize {
    let by_id: HashMap<&str, &LabelledDoc> = ptc.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut added = 0;
    for d in semeval_en.iter_mut() {
        let Some(p) = by_id.get(d.id.as_str()) else {
            continue;
        };
        let find = |d: &LabelledDoc, s: Span| -> Option<Span> {
            let needle = p.doc.slice(s);
            if needle.trim().chars().count() < 3 {
                return None;
            }
            let text = d.doc.text();
            text.match_indices(needle)
                .map(|(b, m)| d.doc.span_of_bytes(b, b + m.len()))
                .min_by_key(|found| found.start.abs_diff(s.start))
        };
        let extra_si: Vec<Span> = p.si.iter().filter_map(|s| find(d, *s)).collect();
        added += extra_si.len();
        d.si.extend(extra_si);
        let mut extra = Vec::new();
        for (s, l) in &p.spans {
            let Some(name) = sift::train::techniques::from_ptc(ptc_labels[*l as usize]) else {
                continue;
            };
            let Some(label) = label_index(labels, name) else {
                continue;
            };
            if let Some(span) = find(d, *s) {
                if !d.spans.iter().any(|(x, _)| *x == span) {
                    extra.push((span, label));
                }
            }
        }
        added += extra.len();
        d.spans.extend(extra);
    }
    added
}

/// Builds the document and maps raw char offsets to normalised ones.
fn build(id: &str, text: &str, hint: LanguageHint) -> (Document, Vec<usize>) {
    let doc = Document::build(
        RawDocument {
            id: id.to_string(),
            source: Source::default(),
            text: text.to_string(),
        },
        hint,
    );
    let raw_len = text.chars().count();
    let mut norm_of = vec![usize::MAX; raw_len + 1];
    for c in (0..=doc.len_chars()).rev() {
        let r = doc.source_char_of(c).min(raw_len);
        norm_of[r] = c;
    }
    for r in (0..raw_len).rev() {
        if norm_of[r] == usize::MAX {
            norm_of[r] = norm_of[r + 1];
        }
    }
    (doc, norm_of)
}

fn to_norm(norm_of: &[usize], start: usize, end: usize) -> Option<Span> {
    let last = norm_of.len() - 1;
    let (s, e) = (norm_of[start.min(last)], norm_of[end.min(last)]);
    (e > s).then(|| Span::new(s, e))
}

fn label_index(labels: &[&str], name: &str) -> Option<u16> {
    labels.iter().position(|l| *l == name).map(|i| i as u16)
}

fn article_id(file_name: &str) -> Option<String> {
    let stem = file_name.strip_suffix(".txt")?;
    let digits: String = stem.chars().filter(|c| c.is_ascii_digit()).collect();
    (!digits.is_empty()).then_some(digits)
}

fn read_tsv(path: &Path) -> io::Result<Vec<Vec<String>>> {
    Ok(fs::read_to_string(path)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').map(|f| f.trim().to_string()).collect())
        .collect())
}

fn sorted_articles(dir: &Path) -> io::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if let Some(id) = article_id(name) {
            out.push((id, fs::read_to_string(&path)?));
        }
    }
    out.sort();
    Ok(out)
}

/// PTC train split (`ptc/train`): TC spans with the 14 PTC labels, SI spans.
pub fn load_ptc(dir: &Path, labels: &[&str]) -> io::Result<Vec<LabelledDoc>> {
    let mut tc: HashMap<String, Vec<(String, usize, usize)>> = HashMap::new();
    for row in read_tsv(&dir.join("train-task-flc-tc.labels"))? {
        if row.len() >= 4 {
            let (s, e) = (row[2].parse().unwrap_or(0), row[3].parse().unwrap_or(0));
            tc.entry(row[0].clone())
                .or_default()
                .push((row[1].clone(), s, e));
        }
    }
    let mut si: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for row in read_tsv(&dir.join("train-task-si.labels"))? {
        if row.len() >= 3 {
            let (s, e) = (row[1].parse().unwrap_or(0), row[2].parse().unwrap_or(0));
            si.entry(row[0].clone()).or_default().push((s, e));
        }
    }
    let mut docs = Vec::new();
    for (id, text) in sorted_articles(&dir.join("articles"))? {
        let (doc, norm_of) = build(&id, &text, LanguageHint::English);
        let spans = tc
            .get(&id)
            .into_iter()
            .flatten()
            .filter_map(|(l, s, e)| Some((to_norm(&norm_of, *s, *e)?, label_index(labels, l)?)))
            .collect();
        let si_spans = si
            .get(&id)
            .into_iter()
            .flatten()
            .filter_map(|(s, e)| to_norm(&norm_of, *s, *e))
            .collect();
        docs.push(LabelledDoc {
            id,
            language: "en",
            doc,
            spans,
            si: si_spans,
            paragraphs: Vec::new(),
            paragraph_embeddings: Vec::new(),
            sentence_embeddings: Vec::new(),
        });
    }
    Ok(docs)
}

/// SemEval-2023 Task 3 subtask 3 train split of one language (`semeval23/en`, `semeval23/ru`).
pub fn load_semeval23(
    dir: &Path,
    language: &'static str,
    labels: &[&str],
) -> io::Result<Vec<LabelledDoc>> {
    let mut paragraph_labels: HashMap<String, Vec<(usize, Vec<String>)>> = HashMap::new();
    for line in fs::read_to_string(dir.join("train-labels-subtask-3.txt"))?.lines() {
        let row: Vec<&str> = line.split('\t').collect();
        if row.len() < 2 {
            continue;
        }
        let Ok(line_no) = row[1].trim().parse::<usize>() else {
            continue;
        };
        let techniques = row
            .get(2)
            .map(|t| {
                t.split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        paragraph_labels
            .entry(row[0].trim().to_string())
            .or_default()
            .push((line_no, techniques));
    }
    let hint = if language == "ru" {
        LanguageHint::Russian
    } else {
        LanguageHint::English
    };
    let span_dir = dir.join("train-labels-subtask-3-spans");
    let mut docs = Vec::new();
    for (id, text) in sorted_articles(&dir.join("train-articles-subtask-3"))? {
        let (doc, norm_of) = build(&id, &text, hint);
        let span_file = span_dir.join(format!("article{id}-labels-subtask-3.txt"));
        let spans: Vec<(Span, u16)> = match read_tsv(&span_file) {
            Ok(rows) => rows
                .iter()
                .filter(|r| r.len() >= 4)
                .filter_map(|r| {
                    let (s, e) = (r[2].parse().ok()?, r[3].parse().ok()?);
                    Some((to_norm(&norm_of, s, e)?, label_index(labels, &r[1])?))
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        // Paragraph n is line n of the raw file (1-based).
        let mut line_spans = Vec::new();
        let mut offset = 0usize;
        for line in text.split('\n') {
            let n = line.chars().count();
            let trimmed = line.trim_end_matches('\r').chars().count();
            line_spans.push((offset, offset + trimmed));
            offset += n + 1;
        }
        let paragraphs = paragraph_labels
            .get(&id)
            .into_iter()
            .flatten()
            .filter_map(|(line_no, techniques)| {
                let &(s, e) = line_spans.get(line_no.checked_sub(1)?)?;
                let span = to_norm(&norm_of, s, e)?;
                let labels = techniques
                    .iter()
                    .filter_map(|t| label_index(labels, t))
                    .collect();
                Some((*line_no, span, labels))
            })
            .collect();
        let si = spans.iter().map(|(s, _)| *s).collect();
        docs.push(LabelledDoc {
            id,
            language,
            doc,
            spans,
            si,
            paragraphs,
            paragraph_embeddings: Vec::new(),
            sentence_embeddings: Vec::new(),
        });
    }
    Ok(docs)
}

/// Settings for [`fit`].
#[derive(Debug, Clone)]
pub struct FitOptions {
    pub seed: u64,
    pub tagger_bits: u32,
    pub classifier_bits: u32,
    pub paragraph_bits: u32,
    /// Passes over the data for the span classifier and the paragraph labeller.
    pub epochs: usize,
    /// Passes for the token taggers and the span verifier: fewer than the others, as
    /// with more the taggers memorise article-specific words (PTC SI, 5-fold CV:
    /// 6 passes 0.336, 3 passes 0.346, 2 passes 0.342).
    pub tagger_epochs: usize,
    /// Share of the training articles held out to choose the decision thresholds
    /// (0.3: PTC SI 0.3605 → 0.3616 with precision 0.292 → 0.316, subtask 3 en 0.346 →
    /// 0.350, ru 0.361 → 0.375 against 0.2; the threshold choices were noisy on 20 %).
    pub calibration_share: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            seed: 20_260_101,
            tagger_bits: 18,
            classifier_bits: 17,
            paragraph_bits: 18,
            epochs: 6,
            tagger_epochs: 3,
            calibration_share: 0.3,
        }
    }
}

/// Per-document training material, computed once and shared by every model fitted
/// on the document (calibration, refit, cross-fitting).
struct Prepared<'a> {
    doc: &'a LabelledDoc,
    ctx: DocContext<'a>,
    tokens: Vec<Example>,
    spans: Vec<Example>,
    paragraphs: Vec<Example>,
}

fn prepare<'a>(d: &'a LabelledDoc, lexical: &[bool]) -> Prepared<'a> {
    let ctx = DocContext::new(&d.doc);
    let mut gold: Vec<Span> =
        d.si.iter()
            .copied()
            .chain(d.spans.iter().map(|s| s.0))
            .collect();
    gold.sort_unstable();
    let lexical_gold: Vec<Span> = d
        .spans
        .iter()
        .filter(|(_, l)| lexical[*l as usize])
        .map(|s| s.0)
        .collect();
    let tokens = d
        .doc
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let inside = gold
                .iter()
                .take_while(|g| g.start < t.end)
                .any(|g| g.end > t.start);
            let mut ex = Example::default();
            features::token_features(&ctx, i, &mut ex.features);
            if inside {
                ex.targets.push(0);
            }
            if lexical_gold
                .iter()
                .any(|g| g.start < t.end && g.end > t.start)
            {
                ex.targets.push(1);
            }
            ex
        })
        .collect();
    let spans = d
        .spans
        .iter()
        .filter_map(|&(span, label)| {
            let (lo, hi) = token_range(&d.doc, span)?;
            let mut ex = Example {
                targets: vec![label],
                ..Example::default()
            };
            features::span_features(&ctx, lo, hi, &mut ex.features);
            Some(ex)
        })
        .collect();
    let paragraphs = d
        .paragraphs
        .iter()
        .map(|(_, span, labels)| {
            let mut ex = Example {
                targets: labels.clone(),
                ..Example::default()
            };
            features::paragraph_features(&ctx, *span, &mut ex.features);
            ex
        })
        .collect();
    Prepared {
        doc: d,
        ctx,
        tokens,
        spans,
        paragraphs,
    }
}

fn gather<'p>(
    prepared: &[&'p Prepared<'p>],
    pick: impl Fn(&'p Prepared<'p>) -> &'p Vec<Example>,
) -> Vec<Example> {
    prepared
        .iter()
        .flat_map(|p| pick(p).iter().cloned())
        .collect()
}

/// Token range `[lo, hi)` covering a char span.
fn token_range(doc: &Document, span: Span) -> Option<(usize, usize)> {
    let lo = doc.tokens.partition_point(|t| t.end <= span.start);
    let hi = doc.tokens.partition_point(|t| t.start < span.end);
    (hi > lo).then_some((lo, hi))
}

const SPAN_THRESHOLDS: [f32; 9] = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];
const LEXICAL_THRESHOLDS: [f32; 6] = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
const CUE_THRESHOLDS: [f32; 4] = [0.1, 0.15, 0.2, 0.25];
const VERIFY_THRESHOLDS: [f32; 7] = [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
/// How much held-out SI F1 a higher confidence floor may cost.
const FLOOR_TOLERANCE: f64 = 0.005;
const CONFIDENCE_FLOORS: [f32; 9] = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4];
const PARAGRAPH_THRESHOLDS: [f32; 9] = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55];

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
fn sentence_gate_of(model: &TechniqueModel, d: &LabelledDoc) -> Option<Vec<f32>> {
    let embedded =
        !d.sentence_embeddings.is_empty() && d.sentence_embeddings.len() == d.doc.sentences.len();
    (model.sentence_head.is_some() && embedded)
        .then(|| model.sentence_probabilities(&d.sentence_embeddings))
}

fn gold_si(docs: &[&LabelledDoc]) -> Vec<ArticleSpan> {
    docs.iter()
        .flat_map(|d| {
            d.si.iter()
                .map(move |s| ArticleSpan::new(&d.id, d.raw_of(s.start), d.raw_of(s.end)))
        })
        .collect()
}

fn paragraph_gold(docs: &[&LabelledDoc], labels: &[String]) -> ParagraphLabels {
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

type ParagraphLabels = BTreeMap<(String, usize), BTreeSet<String>>;

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

/// Paragraph predictions read off the detected spans (each span's technique lands in
/// the paragraphs it overlaps).
pub fn paragraph_predictions_from_spans(
    model: &TechniqueModel,
    docs: &[&LabelledDoc],
) -> ParagraphLabels {
    let mut out = BTreeMap::new();
    for d in docs {
        let ctx = DocContext::new(&d.doc);
        let guesses = model.find_spans(&ctx);
        for (line, span, _) in &d.paragraphs {
            let set: BTreeSet<String> = guesses
                .iter()
                .filter(|g| {
                    d.doc.tokens[g.lo].start < span.end && span.start < d.doc.tokens[g.hi - 1].end
                })
                .map(|g| model.header.labels[argmax(&g.label_probs).0].clone())
                .collect();
            out.insert((d.id.clone(), *line), set);
        }
    }
    out
}

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

/// [`ParagraphEvidence`] for every gold paragraph of `d`.
pub fn paragraph_evidence(model: &TechniqueModel, d: &LabelledDoc) -> Vec<ParagraphEvidence> {
    let ctx = DocContext::new(&d.doc);
    let guesses = model.find_spans(&ctx);
    let k = model.header.labels.len();
    d.paragraphs
        .iter()
        .enumerate()
        .map(|(i, (line, span, gold))| {
            let mut spans = vec![0f32; k];
            for g in guesses.iter().filter(|g| {
                d.doc.tokens[g.lo].start < span.end && span.start < d.doc.tokens[g.hi - 1].end
            }) {
                for (best, &p) in spans.iter_mut().zip(&g.label_probs) {
                    *best = best.max(p);
                }
            }
            ParagraphEvidence {
                line: *line,
                labeller: model.paragraph_probabilities(&ctx, *span),
                spans,
                embedding: match (&model.paragraph_head, paragraph_input(d, i)) {
                    (Some(head), Some(x)) => head.predict(&x),
                    _ => Vec::new(),
                },
                gold: gold.clone(),
            }
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
    rule
}

/// Paragraph predictions from the model's per-language rules (read off the spans'
/// argmax where the model has no rule for the language).
pub fn paragraph_predictions_tuned(
    model: &TechniqueModel,
    docs: &[&LabelledDoc],
) -> ParagraphLabels {
    let mut out = BTreeMap::new();
    for d in docs {
        let rule = model
            .header
            .paragraph_rules
            .iter()
            .find(|r| r.language == d.language);
        let Some(rule) = rule else {
            out.extend(paragraph_predictions_from_spans(model, &[d]));
            continue;
        };
        for e in paragraph_evidence(model, d) {
            let set = rule
                .decide_with(&e.labeller, &e.spans, &e.embedding)
                .into_iter()
                .map(|k| model.header.labels[k].clone())
                .collect();
            out.insert((d.id.clone(), e.line), set);
        }
    }
    out
}

/// Train tagger, classifier and paragraph labeller on `docs`; thresholds are chosen on a
/// held-out share of `docs`, then all models are refitted on all of `docs`.
pub fn fit(
    docs: &[&LabelledDoc],
    labels: &[&str],
    options: &FitOptions,
    provenance: &str,
) -> TechniqueModel {
    let lexical: Vec<bool> = labels.iter().map(|l| is_lexical(l)).collect();
    let prepared: Vec<Prepared> = docs.iter().map(|d| prepare(d, &lexical)).collect();
    let all: Vec<&Prepared> = prepared.iter().collect();
    let mut order: Vec<usize> = (0..docs.len()).collect();
    SplitMix::new(options.seed ^ 0xCA1B).shuffle(&mut order);
    let n_cal = ((docs.len() as f64) * options.calibration_share).round() as usize;
    let cal: Vec<&Prepared> = order[..n_cal].iter().map(|&i| &prepared[i]).collect();
    let fit_part: Vec<&Prepared> = order[n_cal..].iter().map(|&i| &prepared[i]).collect();
    let label_strings: Vec<String> = labels.iter().map(|s| s.to_string()).collect();

    let mut provisional = train_models(
        &fit_part,
        &label_strings,
        options,
        [0.4, 0.0, 2.0, 2.0, 0.3],
        provenance,
    );
    // Embeddings mode when some documents carry paragraph embeddings (the English
    // ones: MiniLM's vocabulary is English); the others keep the sparse evidence only.
    let embedded = docs
        .iter()
        .any(|d| !d.paragraphs.is_empty() && d.paragraph_embeddings.len() == d.paragraphs.len());
    if embedded {
        let fit_docs: Vec<&LabelledDoc> = fit_part.iter().map(|p| p.doc).collect();
        provisional.paragraph_head = Some(train_paragraph_head(&fit_docs, labels.len(), options));
    }
    let sentences_embedded = docs.iter().any(|d| !d.sentence_embeddings.is_empty());
    if sentences_embedded {
        let fit_docs: Vec<&LabelledDoc> = fit_part.iter().map(|p| p.doc).collect();
        provisional.sentence_head = Some(train_sentence_head(&fit_docs, options));
    }
    let mut sentence_gate = 0.0;
    let (mut span_threshold, mut paragraph_threshold, mut verify_threshold) = (0.4, 0.3, 0.0);
    let mut lexical_threshold = 2.0;
    let mut cue_threshold = 2.0;
    let mut paragraph_rules = Vec::new();
    let mut min_confidence = 0.0;
    let mut merge_gap = 0;
    let mut sentence_labels = Vec::new();
    let sentence_level = sentence_level_labels(docs, labels.len());
    if !cal.is_empty() {
        let cal_docs: Vec<&LabelledDoc> = cal.iter().map(|p| p.doc).collect();
        let gold = gold_si(&cal_docs);
        let tagged: Vec<Tagged> = cal.iter().map(|p| provisional.tag(&p.ctx)).collect();
        let to_span = |p: &Prepared, lo: usize, hi: usize| {
            let (s, e) = (p.doc.doc.tokens[lo].start, p.doc.doc.tokens[hi - 1].end);
            ArticleSpan::new(&p.doc.id, p.doc.raw_of(s), p.doc.raw_of(e))
        };
        let mut best = -1.0;
        for &t in &SPAN_THRESHOLDS {
            let verified: Vec<Vec<(usize, usize, f32)>> = cal
                .iter()
                .zip(&tagged)
                .map(|(p, tg)| {
                    provisional.verify(&p.ctx, &tg.first, decode_runs(&p.ctx, &tg.second, t))
                })
                .collect();
            for &vt in &VERIFY_THRESHOLDS {
                let mut pred = Vec::new();
                for (p, runs) in cal.iter().zip(&verified) {
                    pred.extend(
                        runs.iter()
                            .filter(|r| r.2 >= vt)
                            .map(|r| to_span(p, r.0, r.1)),
                    );
                }
                let f1 = span_identification(&pred, &gold).f1;
                if f1 > best {
                    best = f1;
                    span_threshold = t;
                    verify_threshold = vt;
                }
            }
        }
        // Then the word-level output, on top of the chosen general spans.
        let mut general = Vec::new();
        let mut kept: Vec<Vec<(usize, usize, f32)>> = Vec::new();
        for (p, tg) in cal.iter().zip(&tagged) {
            let runs: Vec<(usize, usize, f32)> = provisional
                .verify(
                    &p.ctx,
                    &tg.first,
                    decode_runs(&p.ctx, &tg.second, span_threshold),
                )
                .into_iter()
                .filter(|r| r.2 >= verify_threshold)
                .collect();
            general.extend(runs.iter().map(|r| to_span(p, r.0, r.1)));
            kept.push(runs);
        }
        for &lt in &LEXICAL_THRESHOLDS {
            let mut pred = general.clone();
            for ((p, tg), runs) in cal.iter().zip(&tagged).zip(&kept) {
                for r in TechniqueModel::lexical_runs(&p.ctx, tg, lt, runs) {
                    pred.push(to_span(p, r.0, r.1));
                }
            }
            let f1 = span_identification(&pred, &gold).f1;
            if f1 > best {
                best = f1;
                lexical_threshold = lt;
            }
        }
        // Then the cue-word spans, on top of both.
        let mut with_lexical = general.clone();
        for ((p, tg), runs) in cal.iter().zip(&tagged).zip(kept.iter_mut()) {
            let lexical = TechniqueModel::lexical_runs(&p.ctx, tg, lexical_threshold, runs);
            with_lexical.extend(lexical.iter().map(|r| to_span(p, r.0, r.1)));
            runs.extend(lexical);
        }
        for &ct in &CUE_THRESHOLDS {
            let mut pred = with_lexical.clone();
            for ((p, tg), runs) in cal.iter().zip(&tagged).zip(&kept) {
                for r in provisional.cue_runs(&p.ctx, tg, ct, runs) {
                    pred.push(to_span(p, r.0, r.1));
                }
            }
            let f1 = span_identification(&pred, &gold).f1;
            if f1 > best {
                best = f1;
                cue_threshold = ct;
            }
        }
        // Then the confidence floor over everything, on the model as it will report.
        let mut calibrated = provisional.clone();
        calibrated.header.span_threshold = span_threshold;
        calibrated.header.verify_threshold = verify_threshold;
        calibrated.header.lexical_threshold = lexical_threshold;
        calibrated.header.cue_threshold = cue_threshold;
        // Then the confidence floor and the span boundaries (joining close spans,
        // widening the sentence-level techniques to their sentence), on the model as it
        // will report: for each floor the best boundary settings (ties keep the plainer
        // spans); precision first, the highest floor whose held-out F1 is within
        // FLOOR_TOLERANCE of the best (editors pay for every false highlight).
        let guesses: Vec<Vec<SpanGuess>> =
            cal.iter().map(|p| calibrated.find_spans(&p.ctx)).collect();
        let mut per_floor: Vec<(f32, f64, usize, bool)> = Vec::new();
        for &floor in &CONFIDENCE_FLOORS {
            let mut best = (-1.0, 0, false);
            for &gap in &MERGE_GAPS {
                for widen in [false, true] {
                    calibrated.header.min_confidence = floor;
                    calibrated.header.merge_gap = gap;
                    calibrated.header.sentence_labels = if widen {
                        sentence_level.clone()
                    } else {
                        Vec::new()
                    };
                    let pred: Vec<ArticleSpan> = cal
                        .iter()
                        .zip(&guesses)
                        .flat_map(|(p, g)| {
                            calibrated
                                .report(&p.ctx, g.clone())
                                .into_iter()
                                .map(|(g, _, _)| to_span(p, g.lo, g.hi))
                        })
                        .collect();
                    let f1 = span_identification(&pred, &gold).f1;
                    if f1 > best.0 + 1e-9 {
                        best = (f1, gap, widen);
                    }
                }
            }
            per_floor.push((floor, best.0, best.1, best.2));
        }
        let top = per_floor.iter().map(|f| f.1).fold(0.0, f64::max);
        if let Some(&(floor, _, gap, widen)) = per_floor
            .iter()
            .filter(|f| f.1 >= top - FLOOR_TOLERANCE)
            .max_by(|a, b| a.0.total_cmp(&b.0))
        {
            min_confidence = floor;
            merge_gap = gap;
            if widen {
                sentence_labels = sentence_level.clone();
            }
        }
        calibrated.header.min_confidence = min_confidence;
        calibrated.header.merge_gap = merge_gap;
        calibrated.header.sentence_labels = sentence_labels.clone();
        // Embeddings mode: the sentence gate over the floored spans, best held-out F1.
        if sentences_embedded {
            let gated: Vec<Vec<(ArticleSpan, f32, f32)>> = cal
                .iter()
                .map(|p| {
                    let probs = sentence_gate_of(&provisional, p.doc);
                    calibrated
                        .reported_spans(&p.ctx)
                        .into_iter()
                        .filter(|(_, _, c)| *c >= min_confidence)
                        .map(|(g, _, c)| {
                            let start = p.doc.doc.tokens[g.lo].start;
                            let s = p.doc.doc.sentences.partition_point(|s| s.end <= start);
                            let gate = probs
                                .as_ref()
                                .and_then(|pr| pr.get(s).copied())
                                .unwrap_or(1.0);
                            (to_span(p, g.lo, g.hi), c, gate)
                        })
                        .collect()
                })
                .collect();
            let mut best = -1.0;
            for &g in &SENTENCE_GATES {
                let pred: Vec<ArticleSpan> = gated
                    .iter()
                    .flatten()
                    .filter(|x| x.2 >= g)
                    .map(|x| x.0.clone())
                    .collect();
                let f1 = span_identification(&pred, &gold).f1;
                if f1 > best + 1e-9 {
                    best = f1;
                    sentence_gate = g;
                }
            }
        }
        let mut languages: Vec<&'static str> = cal_docs.iter().map(|d| d.language).collect();
        languages.sort_unstable();
        languages.dedup();
        for lang in languages {
            let evidence: Vec<ParagraphEvidence> = cal_docs
                .iter()
                .filter(|d| d.language == lang && !d.paragraphs.is_empty())
                .flat_map(|d| paragraph_evidence(&provisional, d))
                .collect();
            if !evidence.is_empty() {
                paragraph_rules.push(tune_paragraph_rule(lang, &evidence, labels.len()));
            }
        }
        let gold = paragraph_gold(&cal_docs, &label_strings);
        if !gold.is_empty() {
            let mut best = -1.0;
            for &t in &PARAGRAPH_THRESHOLDS {
                let pred = paragraph_predictions(&provisional, &cal_docs, t);
                let f1 = paragraph_multilabel(&pred, &gold).micro.f1;
                if f1 > best {
                    best = f1;
                    paragraph_threshold = t;
                }
            }
        }
    }
    let mut model = train_models(
        &all,
        &label_strings,
        options,
        [
            span_threshold,
            verify_threshold,
            lexical_threshold,
            cue_threshold,
            paragraph_threshold,
        ],
        provenance,
    );
    model.header.paragraph_rules = paragraph_rules;
    model.header.min_confidence = min_confidence;
    model.header.merge_gap = merge_gap;
    model.header.sentence_labels = sentence_labels;
    if embedded {
        model.paragraph_head = Some(train_paragraph_head(docs, labels.len(), options));
    }
    if sentences_embedded {
        model.sentence_head = Some(train_sentence_head(docs, options));
        model.header.sentence_gate = sentence_gate;
    }
    model
}

/// Word gaps tried for joining close spans (0: never).
const MERGE_GAPS: [usize; 5] = [0, 1, 2, 3, 5];

/// Per label: do its training spans cover at least half of their sentence (median over
/// the label's spans; labels with fewer than 5 spans: no)?
pub fn sentence_level_labels(docs: &[&LabelledDoc], labels: usize) -> Vec<bool> {
    let mut shares: Vec<Vec<f64>> = vec![Vec::new(); labels];
    for d in docs {
        for (span, label) in &d.spans {
            let s = d.doc.sentences.partition_point(|s| s.end <= span.start);
            let Some(sentence) = d.doc.sentences.get(s) else {
                continue;
            };
            let len = (sentence.end - sentence.start).max(1) as f64;
            shares[*label as usize].push((span.end - span.start) as f64 / len);
        }
    }
    shares
        .iter_mut()
        .map(|v| {
            if v.len() < 5 {
                return false;
            }
            v.sort_by(f64::total_cmp);
            v[v.len() / 2] >= 0.5
        })
        .collect()
}

/// Sentence-gate thresholds tried on the held-out articles (0: no gate).
const SENTENCE_GATES: [f32; 10] = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5];

/// The embeddings mode's sentence head: does a sentence overlap a gold SI span?
pub fn train_sentence_head(docs: &[&LabelledDoc], options: &FitOptions) -> DenseLogistic {
    let mut inputs: Vec<&[f32]> = Vec::new();
    let mut targets: Vec<&[u16]> = Vec::new();
    const YES: [u16; 1] = [0];
    for d in docs {
        if d.sentence_embeddings.len() != d.doc.sentences.len() {
            continue;
        }
        for (s, x) in d.doc.sentences.iter().zip(&d.sentence_embeddings) {
            let inside =
                d.si.iter()
                    .chain(d.spans.iter().map(|p| &p.0))
                    .any(|g| g.start < s.end && s.start < g.end);
            inputs.push(x);
            targets.push(if inside { &YES } else { &[] });
        }
    }
    let dimensions = inputs.first().map_or(0, |x| x.len());
    DenseLogistic::train(
        &inputs,
        &targets,
        dimensions,
        1,
        &DenseConfig {
            seed: options.seed ^ 0x5E7,
            ..DenseConfig::default()
        },
    )
}

/// The paragraph head's input for paragraph `i` of `d`: its embedding, then the mean
/// embedding of the article's paragraphs (techniques cluster by article: a paragraph
/// of a propaganda piece is likelier to use one; adding the two neighbours' mean
/// measured no better, 0.3671 vs 0.3677). `None` without embeddings.
pub fn paragraph_input(d: &LabelledDoc, i: usize) -> Option<Vec<f32>> {
    if d.paragraph_embeddings.len() != d.paragraphs.len() {
        return None;
    }
    let x = d.paragraph_embeddings.get(i)?;
    let mut input = x.clone();
    input.extend(article_mean(&d.paragraph_embeddings));
    Some(input)
}

fn article_mean(vectors: &[Vec<f32>]) -> Vec<f32> {
    let n = vectors.first().map_or(0, Vec::len);
    let mut mean = vec![0f32; n];
    let nonzero: Vec<&Vec<f32>> = vectors
        .iter()
        .filter(|v| v.iter().any(|&x| x != 0.0))
        .collect();
    for v in &nonzero {
        for (m, x) in mean.iter_mut().zip(v.iter()) {
            *m += x;
        }
    }
    if !nonzero.is_empty() {
        mean.iter_mut().for_each(|m| *m /= nonzero.len() as f32);
    }
    mean
}

/// The embeddings mode's paragraph head: per-label logistic regression over
/// [`paragraph_input`].
pub fn train_paragraph_head(
    docs: &[&LabelledDoc],
    labels: usize,
    options: &FitOptions,
) -> DenseLogistic {
    let mut inputs: Vec<Vec<f32>> = Vec::new();
    let mut targets: Vec<&[u16]> = Vec::new();
    for d in docs {
        for (i, (_, _, gold)) in d.paragraphs.iter().enumerate() {
            if let Some(x) = paragraph_input(d, i) {
                inputs.push(x);
                targets.push(gold);
            }
        }
    }
    let dimensions = inputs.first().map_or(0, |x| x.len());
    let inputs: Vec<&[f32]> = inputs.iter().map(Vec::as_slice).collect();
    DenseLogistic::train(
        &inputs,
        &targets,
        dimensions,
        labels,
        &DenseConfig {
            seed: options.seed ^ 0xE3B,
            ..DenseConfig::default()
        },
    )
}

/// Second-stage examples (token features plus context features) and verifier examples
/// (candidate runs), both from first-stage probabilities of a tagger not trained on the
/// document (2-way cross-fitting).
fn stacked_examples(
    prepared: &[&Prepared],
    options: &FitOptions,
    config: &TrainConfig,
) -> (Vec<Example>, Vec<Example>) {
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    SplitMix::new(options.seed ^ 0x57AC).shuffle(&mut order);
    let half = order.len() / 2;
    let (a, b): (Vec<&Prepared>, Vec<&Prepared>) = (
        order[..half].iter().map(|&i| prepared[i]).collect(),
        order[half..].iter().map(|&i| prepared[i]).collect(),
    );
    let mut out = Vec::new();
    let mut verifier = Vec::new();
    for (train_on, apply_to) in [(&a, &b), (&b, &a)] {
        if train_on.is_empty() {
            continue;
        }
        let tagger = LinearModel::train(
            options.tagger_bits,
            2,
            Loss::Sigmoid,
            &gather(train_on, |p| &p.tokens),
            config,
        );
        for p in apply_to.iter() {
            let mut scratch = Vec::with_capacity(2);
            let first: Vec<f32> = p
                .tokens
                .iter()
                .map(|ex| {
                    tagger.predict_into(&ex.features, &mut scratch);
                    scratch[0]
                })
                .collect();
            let stage = features::FirstStage::new(&p.ctx, &first);
            for (i, ex) in p.tokens.iter().enumerate() {
                let mut stacked = ex.clone();
                features::context_features(&p.ctx, &stage, i, &mut stacked.features);
                out.push(stacked);
            }
            for (lo, hi, _) in decode_runs(&p.ctx, &first, VERIFIER_CANDIDATE_THRESHOLD) {
                let inside = p.tokens[lo..hi]
                    .iter()
                    .filter(|t| t.targets.contains(&0))
                    .count();
                let mut ex = Example::default();
                features::verifier_features(&p.ctx, &first, lo, hi, &mut ex.features);
                if inside * 2 >= hi - lo {
                    ex.targets.push(0);
                }
                verifier.push(ex);
            }
        }
    }
    (out, verifier)
}

/// First-stage probability at which the verifier's training candidates are cut.
const VERIFIER_CANDIDATE_THRESHOLD: f32 = 0.2;

fn train_models(
    prepared: &[&Prepared],
    labels: &[String],
    options: &FitOptions,
    [span_threshold, verify_threshold, lexical_threshold, cue_threshold, paragraph_threshold]: [f32; 5],
    provenance: &str,
) -> TechniqueModel {
    let config = TrainConfig {
        epochs: options.epochs,
        seed: options.seed,
        ..TrainConfig::default()
    };
    let tagger_config = TrainConfig {
        epochs: options.tagger_epochs,
        ..config
    };
    let k = labels.len();
    let tagger = LinearModel::train(
        options.tagger_bits,
        2,
        Loss::Sigmoid,
        &gather(prepared, |p| &p.tokens),
        &tagger_config,
    );
    let (context, verify) = stacked_examples(prepared, options, &tagger_config);
    let context_tagger = LinearModel::train(
        options.tagger_bits,
        1,
        Loss::Sigmoid,
        &context,
        &tagger_config,
    );
    drop(context);
    let verifier = LinearModel::train(
        options.classifier_bits,
        1,
        Loss::Sigmoid,
        &verify,
        &tagger_config,
    );
    let classifier = LinearModel::train(
        options.classifier_bits,
        k,
        Loss::Softmax,
        &gather(prepared, |p| &p.spans),
        &config,
    );
    let paragraph = LinearModel::train(
        options.paragraph_bits,
        k,
        Loss::Sigmoid,
        &gather(prepared, |p| &p.paragraphs),
        &TrainConfig {
            positive_weight: 2.0,
            ..config
        },
    );
    TechniqueModel::new(
        ModelHeader {
            labels: labels.to_vec(),
            span_threshold,
            verify_threshold,
            lexical_threshold,
            cue_threshold,
            paragraph_threshold,
            paragraph_rules: Vec::new(),
            sentence_gate: 0.0,
            min_confidence: 0.0,
            merge_gap: 0,
            sentence_labels: Vec::new(),
            provenance: provenance.to_string(),
        },
        tagger,
        context_tagger,
        verifier,
        classifier,
        paragraph,
    )
}

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
    /// Subtask 3 from the paragraph labeller (empty without paragraph gold).
    pub paragraphs: LabelScores,
    /// Subtask 3 read off the detected spans.
    pub paragraphs_from_spans: LabelScores,
    /// Subtask 3: union of the two above.
    pub paragraphs_union: LabelScores,
    /// Subtask 3 from the per-label rules tuned on held-out articles (see [`ParagraphRule`]).
    pub paragraphs_tuned: LabelScores,
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

/// k-fold cross-validation: for each fold, fit on the others and score the fold.
/// Articles are scored per language (`docs` may mix languages; folds are by article id).
pub fn cross_validate(
    docs: &[LabelledDoc],
    labels: &[&str],
    folds: usize,
    options: &FitOptions,
    mut progress: impl FnMut(usize, f64),
) -> BTreeMap<&'static str, CvScores> {
    let ids: Vec<String> = docs
        .iter()
        .map(|d| format!("{}:{}", d.language, d.id))
        .collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let fold = fold_of(&id_refs, folds, options.seed);
    let label_strings: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
    let mut languages: Vec<&'static str> = docs.iter().map(|d| d.language).collect();
    languages.sort_unstable();
    languages.dedup();

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
        par_pred_spans: ParagraphLabels,
        par_pred_tuned: ParagraphLabels,
        par_gold: ParagraphLabels,
        articles: usize,
    }
    let mut acc: BTreeMap<&'static str, Acc> = BTreeMap::new();
    let mut span_thresholds = Vec::new();
    let mut verify_thresholds = Vec::new();
    let mut lexical_cue_thresholds = Vec::new();
    let mut paragraph_thresholds = Vec::new();
    let mut sentence_gates = Vec::new();
    let mut span_boundaries = Vec::new();
    for f in 0..folds {
        let started = std::time::Instant::now();
        let in_fold = |i: usize| fold[&ids[i]] == f;
        let train: Vec<&LabelledDoc> = (0..docs.len())
            .filter(|&i| !in_fold(i))
            .map(|i| &docs[i])
            .collect();
        let test: Vec<&LabelledDoc> = (0..docs.len())
            .filter(|&i| in_fold(i))
            .map(|i| &docs[i])
            .collect();
        let model = fit(&train, labels, options, "cross-validation fold");
        span_thresholds.push(model.header.span_threshold);
        verify_thresholds.push(model.header.verify_threshold);
        lexical_cue_thresholds.push((model.header.lexical_threshold, model.header.cue_threshold));
        paragraph_thresholds.push(model.header.paragraph_threshold);
        sentence_gates.push(model.header.sentence_gate);
        span_boundaries.push((
            model.header.min_confidence,
            model.header.merge_gap,
            model.header.sentence_labels.iter().any(|&b| b),
        ));
        for d in &test {
            let a = acc.entry(d.language).or_default();
            a.articles += 1;
            for (span, label, confidence) in predicted_spans_labelled(&model, d) {
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
            a.tc_pred.extend(classify_gold_spans(&model, d));
            a.tc_gold.extend(gold_tc(d, &label_strings));
        }
        for &lang in &languages {
            let lang_docs: Vec<&LabelledDoc> = test
                .iter()
                .copied()
                .filter(|d| d.language == lang)
                .collect();
            if lang_docs.iter().all(|d| d.paragraphs.is_empty()) {
                continue;
            }
            let a = acc.entry(lang).or_default();
            a.par_pred.extend(paragraph_predictions(
                &model,
                &lang_docs,
                model.header.paragraph_threshold,
            ));
            a.par_pred_spans
                .extend(paragraph_predictions_from_spans(&model, &lang_docs));
            a.par_pred_tuned
                .extend(paragraph_predictions_tuned(&model, &lang_docs));
            a.par_gold
                .extend(paragraph_gold(&lang_docs, &label_strings));
        }
        progress(f, started.elapsed().as_secs_f64());
    }
    acc.into_iter()
        .map(|(lang, a)| {
            let si_recall_by_technique = a
                .by_technique
                .iter()
                .map(|(t, gold)| {
                    let articles: BTreeSet<&str> =
                        gold.iter().map(|g| g.article.as_str()).collect();
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
                .collect();
            let scores = CvScores {
                si: span_identification(&a.si_pred, &a.si_gold),
                si_by_floor: SI_REPORT_FLOORS
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
                    .collect(),
                si_predicted: a.si_pred.len(),
                si_recall_by_technique,
                tc: technique_classification(&a.tc_pred, &a.tc_gold),
                paragraphs: paragraph_multilabel(&a.par_pred, &a.par_gold),
                paragraphs_from_spans: paragraph_multilabel(&a.par_pred_spans, &a.par_gold),
                paragraphs_tuned: paragraph_multilabel(&a.par_pred_tuned, &a.par_gold),
                paragraphs_union: {
                    let mut union = a.par_pred.clone();
                    for (key, labels) in &a.par_pred_spans {
                        union
                            .entry(key.clone())
                            .or_default()
                            .extend(labels.iter().cloned());
                    }
                    paragraph_multilabel(&union, &a.par_gold)
                },
                articles: a.articles,
                span_thresholds: span_thresholds.clone(),
                verify_thresholds: verify_thresholds.clone(),
                lexical_cue_thresholds: lexical_cue_thresholds.clone(),
                paragraph_thresholds: paragraph_thresholds.clone(),
                sentence_gates: sentence_gates.clone(),
                span_boundaries: span_boundaries.clone(),
                si_predictions: a.si_pred.clone(),
                si_prediction_labels: a
                    .si_pred_label
                    .iter()
                    .cloned()
                    .zip(a.si_pred_confidence.iter().copied())
                    .collect(),
            };
            (lang, scores)
        })
        .collect()
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
