//! The Article Extraction Benchmark (AEB, `extraction/aeb`): its corpus loader
//! and its official metric.
//!
//! The metric follows the benchmark's own evaluation: the text is cut into
//! word tokens (maximal runs of Unicode word characters, like Python's `\w+`),
//! tokens are joined into 4-token shingles, and per page the matched,
//! extra and missing shingle counts (a multiset comparison) are normalised to
//! sum to one. Precision is averaged over the pages that predicted anything,
//! recall over the pages whose truth has any text, and F1 is computed from
//! those two averages (not averaged per page).

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Shingle length used by the benchmark.
pub const SHINGLE_LEN: usize = 4;

/// Matched, extra and missing shingles of one page, normalised to sum to 1
/// (all zero when both texts are empty).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PageMatch {
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
}

impl PageMatch {
    /// Precision of this page; `None` when nothing was predicted (the page
    /// then does not count towards the precision average).
    pub fn precision(&self) -> Option<f64> {
        if self.tp + self.fp <= 0.0 {
            return None;
        }
        Some(if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else {
            self.tp / (self.tp + self.fp)
        })
    }

    /// Recall of this page; `None` when the truth is empty.
    pub fn recall(&self) -> Option<f64> {
        if self.tp + self.fn_ <= 0.0 {
            return None;
        }
        Some(if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else {
            self.tp / (self.tp + self.fn_)
        })
    }
}

/// Precision and recall averaged over pages, F1 from the two averages.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Pages scored.
    pub pages: usize,
}

/// Word tokens as the benchmark sees them: maximal runs of letters, digits,
/// and `_`.
pub fn tokenize(text: &str) -> Vec<&str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                tokens.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push(&text[s..]);
    }
    tokens
}

/// Shingle counts of `text`. A text shorter than `n` tokens gives one
/// shorter shingle (as the benchmark does); an empty text gives none.
fn shingles(text: &str, n: usize) -> HashMap<Vec<&str>, u32> {
    let tokens = tokenize(text);
    let mut counts = HashMap::new();
    if tokens.is_empty() {
        return counts;
    }
    let windows = tokens.len().saturating_sub(n) + 1;
    for i in 0..windows {
        let end = (i + n).min(tokens.len());
        *counts.entry(tokens[i..end].to_vec()).or_insert(0) += 1;
    }
    counts
}

/// Compare one page's predicted text with its truth.
pub fn match_page(truth: &str, pred: &str) -> PageMatch {
    let truth = shingles(truth, SHINGLE_LEN);
    let pred = shingles(pred, SHINGLE_LEN);
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    for (shingle, &t) in &truth {
        let p = pred.get(shingle).copied().unwrap_or(0);
        tp += u64::from(t.min(p));
        fn_ += u64::from(t.saturating_sub(p));
    }
    for (shingle, &p) in &pred {
        let t = truth.get(shingle).copied().unwrap_or(0);
        fp += u64::from(p.saturating_sub(t));
    }
    let total = (tp + fp + fn_) as f64;
    if total == 0.0 {
        return PageMatch::default();
    }
    PageMatch {
        tp: tp as f64 / total,
        fp: fp as f64 / total,
        fn_: fn_ as f64 / total,
    }
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// The benchmark's aggregate over pages.
pub fn score(pages: &[PageMatch]) -> Scores {
    let precision = mean(pages.iter().filter_map(PageMatch::precision));
    let recall = mean(pages.iter().filter_map(PageMatch::recall));
    let f1 = crate::f1(precision, recall);
    Scores {
        precision,
        recall,
        f1,
        pages: pages.len(),
    }
}

/// One benchmark page: its id, its HTML (decompressed bytes) and the true article body.
#[derive(Debug, Clone)]
pub struct AebPage {
    pub id: String,
    pub url: Option<String>,
    pub html: Vec<u8>,
    pub truth: String,
}

#[derive(Deserialize)]
struct TruthEntry {
    #[serde(rename = "articleBody", default)]
    article_body: String,
    #[serde(default)]
    url: Option<String>,
}

/// Where the AEB corpus lives under the shared data folder.
pub const AEB_DIR: &str = "extraction/aeb";

/// Load every page of the AEB corpus at `dir` (the folder holding
/// `ground-truth.json` and `html/`), sorted by id.
pub fn load_aeb(dir: &Path) -> Result<Vec<AebPage>, String> {
    let truth_path = dir.join("ground-truth.json");
    let truth_text =
        fs::read_to_string(&truth_path).map_err(|e| format!("{}: {e}", truth_path.display()))?;
    let truth: HashMap<String, TruthEntry> =
        serde_json::from_str(&truth_text).map_err(|e| format!("{}: {e}", truth_path.display()))?;
    let mut pages = Vec::with_capacity(truth.len());
    for (id, entry) in truth {
        let path: PathBuf = dir.join("html").join(format!("{id}.html.gz"));
        let file = fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut html = Vec::new();
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut html)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        pages.push(AebPage {
            id,
            url: entry.url,
            html,
            truth: entry.article_body,
        });
    }
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(pages)
}

/// An HTML extractor that `sift eval extraction` can score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extractor {
    /// sift's own input layer (`sift::input::html`, trafilatura 0.6 favouring
    /// precision), as `sift analyze` uses it.
    Sift,
    /// `rs-trafilatura`, called directly.
    RsTrafilatura,
    /// `trafilatura` 0.6 (a port of Python trafilatura) with the Python
    /// defaults the benchmark used: balanced focus, fallback on, comments off.
    Trafilatura,
    /// `dom_smoothie` (a port of Mozilla Readability), its plain text.
    DomSmoothie,
}

impl Extractor {
    /// Every extractor this build can run (the peers need the
    /// `compare-extractors` feature).
    pub fn available() -> Vec<Extractor> {
        let mut all = vec![Extractor::Sift];
        if cfg!(feature = "compare-extractors") {
            all.extend([
                Extractor::RsTrafilatura,
                Extractor::Trafilatura,
                Extractor::DomSmoothie,
            ]);
        }
        all
    }

    pub fn name(self) -> &'static str {
        match self {
            Extractor::Sift => "sift",
            Extractor::RsTrafilatura => "rs-trafilatura",
            Extractor::Trafilatura => "trafilatura",
            Extractor::DomSmoothie => "dom_smoothie",
        }
    }

    pub fn from_name(name: &str) -> Option<Extractor> {
        [
            Extractor::Sift,
            Extractor::RsTrafilatura,
            Extractor::Trafilatura,
            Extractor::DomSmoothie,
        ]
        .into_iter()
        .find(|e| e.name() == name || e.name().replace('_', "-") == name)
    }

    /// The article text of one page (empty when the extractor finds none).
    /// `Err` when this build lacks the extractor.
    pub fn extract(self, html: &str, url: Option<&str>) -> Result<String, String> {
        let _ = url;
        match self {
            Extractor::Sift => Ok(sift::input::html::extract(html)
                .map(|e| e.text)
                .unwrap_or_default()),
            #[cfg(feature = "compare-extractors")]
            Extractor::RsTrafilatura => Ok(rs_trafilatura::extract(html)
                .map(|r| r.content_text)
                .unwrap_or_default()),
            #[cfg(feature = "compare-extractors")]
            Extractor::Trafilatura => {
                let options = trafilatura::Options::default()
                    .with_fallback(true)
                    .with_exclude_comments(true);
                Ok(trafilatura::extract(html, &options)
                    .map(|r| r.content_text)
                    .unwrap_or_default())
            }
            #[cfg(feature = "compare-extractors")]
            Extractor::DomSmoothie => {
                let Ok(mut readability) = dom_smoothie::Readability::new(html, url, None) else {
                    return Ok(String::new());
                };
                Ok(readability
                    .parse()
                    .map(|a| a.text_content.to_string())
                    .unwrap_or_default())
            }
            #[cfg(not(feature = "compare-extractors"))]
            other => Err(format!(
                "{} is not in this build: rebuild with `--features compare-extractors`",
                other.name()
            )),
        }
    }
}

/// Per-page predictions from a file: `{"<id>": {"articleBody": "..."}}` or
/// `{"output": {"<id>": ...}, "version": ...}`, optionally gzip-compressed (the format of the benchmark's `output_predictions/`).
pub fn load_predictions(path: &Path) -> Result<HashMap<String, String>, String> {
    let raw = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let raw = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        out
    } else {
        raw
    };
    // Besides the pages, the benchmark's files carry entries such as
    // `"version": "..."`; only objects are predictions.
    let mut map: HashMap<String, serde_json::Value> =
        serde_json::from_slice(&raw).map_err(|e| format!("{}: {e}", path.display()))?;
    // Newer files wrap the pages: `{"output": {...}, "version": "..."}`.
    if let Some(serde_json::Value::Object(inner)) = map.remove("output") {
        map = inner.into_iter().collect();
    }
    Ok(map
        .into_iter()
        .filter_map(|(k, v)| {
            let body = v.as_object()?.get("articleBody");
            Some((k, body.and_then(|b| b.as_str()).unwrap_or("").to_string()))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn tokens_are_word_runs_in_any_script() {
        assert_eq!(
            tokenize("Hello, world! It's 3.5%—Москва_1"),
            vec!["Hello", "world", "It", "s", "3", "5", "Москва_1"]
        );
        assert!(tokenize(" ,.;— ").is_empty());
    }

    #[test]
    fn identical_texts_match_perfectly() {
        let t = "The council approved the budget on Tuesday after a long debate.";
        let m = match_page(t, t);
        assert!(close(m.tp, 1.0) && m.fp == 0.0 && m.fn_ == 0.0);
        assert_eq!(m.precision(), Some(1.0));
        assert_eq!(m.recall(), Some(1.0));
    }

    #[test]
    fn extra_boilerplate_lowers_precision_only() {
        // truth: 6 tokens → 3 shingles; prediction adds 2 tokens → 5 shingles, 3 matching.
        let truth = "one two three four five six";
        let pred = "one two three four five six seven eight";
        let m = match_page(truth, pred);
        assert!(close(m.tp, 3.0 / 5.0), "{m:?}");
        assert!(close(m.fp, 2.0 / 5.0));
        assert_eq!(m.fn_, 0.0);
        assert!(close(m.precision().unwrap(), 0.6));
        assert!(close(m.recall().unwrap(), 1.0));
    }

    #[test]
    fn missing_text_lowers_recall_only() {
        let truth = "a b c d e f g";
        let pred = "a b c d e";
        let m = match_page(truth, pred);
        // truth 4 shingles, pred 2, both of which match.
        assert!(close(m.precision().unwrap(), 1.0));
        assert!(close(m.recall().unwrap(), 0.5));
    }

    #[test]
    fn repeated_shingles_count_as_a_multiset() {
        let truth = "w x y z";
        let pred = "w x y z. w x y z";
        let m = match_page(truth, pred);
        // pred shingles: wxyz, xyzw, yzwx, zwxy, wxyz → 1 tp, 4 fp.
        assert!(close(m.precision().unwrap(), 0.2), "{m:?}");
        assert!(close(m.recall().unwrap(), 1.0));
    }

    #[test]
    fn short_texts_make_one_short_shingle() {
        assert_eq!(
            match_page("Breaking news", "Breaking news").precision(),
            Some(1.0)
        );
        assert_eq!(
            match_page("Breaking news", "Breaking").precision(),
            Some(0.0)
        );
    }

    #[test]
    fn empty_prediction_is_left_out_of_precision_but_counts_zero_recall() {
        let pages = [
            match_page("a b c d e", "a b c d e"),
            match_page("a b c d e", ""),
        ];
        assert_eq!(pages[1].precision(), None);
        assert_eq!(pages[1].recall(), Some(0.0));
        let s = score(&pages);
        assert!(close(s.precision, 1.0));
        assert!(close(s.recall, 0.5));
        assert!(close(s.f1, 2.0 * 0.5 / 1.5));
        assert_eq!(s.pages, 2);
    }

    #[test]
    fn f1_comes_from_the_averages_not_per_page() {
        // page 1: precision 1, recall 0.5; page 2: precision 0.6, recall 1.
        let pages = [
            match_page("a b c d e f g", "a b c d e"),
            match_page(
                "one two three four five six",
                "one two three four five six seven eight",
            ),
        ];
        let s = score(&pages);
        assert!(close(s.precision, 0.8));
        assert!(close(s.recall, 0.75));
        assert!(close(s.f1, 2.0 * 0.8 * 0.75 / 1.55));
    }

    #[test]
    fn loads_the_corpus_when_present() {
        let Some(dir) = crate::shared_or_skip(AEB_DIR) else {
            return;
        };
        let pages = load_aeb(&dir).expect("AEB loads");
        assert_eq!(pages.len(), 181);
        assert!(pages.iter().all(|p| !p.html.is_empty()));
        assert!(pages.iter().filter(|p| !p.truth.is_empty()).count() > 170);
    }
}
