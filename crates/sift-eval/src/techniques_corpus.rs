//! Technique corpora: PTC (SemEval-2020 Task 11) and SemEval-2023 Task 3 articles with
//! their gold spans and paragraph labels, built into [`Document`]s.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;

use sift::{Document, LanguageHint, RawDocument, Source, Span};

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
            let Some(name) = sift::train::techniques::labels::from_ptc(ptc_labels[*l as usize])
            else {
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
