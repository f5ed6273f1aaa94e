//! Sentence-boundary evaluation on the PTC articles (one sentence per line).
//!
//! Protocol: each article is cut into paragraphs at blank lines; the lines of
//! a paragraph are trimmed and joined with one space into running text. The
//! gold boundaries are the char offsets where the second, third, … line starts
//! in that joined text. A method splits the joined text; its boundaries are the
//! char offsets of the first non-space char of every sentence but the first.
//! Precision, recall and F1 count exact matches of boundary offsets, summed
//! over all paragraphs (micro-average). Paragraph edges are given to every
//! method and are not counted.

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

/// One paragraph of a PTC article, its lines joined by spaces.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub text: String,
    /// Char offsets in `text` where a gold sentence (line) starts, first excluded.
    pub gold: Vec<usize>,
}

/// Join the lines of each blank-line-separated paragraph and record where each line began.
pub fn paragraphs_of(article: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let flush = |lines: &mut Vec<&str>, out: &mut Vec<Paragraph>| {
        if lines.is_empty() {
            return;
        }
        let mut text = String::new();
        let mut gold = Vec::new();
        let mut chars = 0;
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                text.push(' ');
                chars += 1;
                gold.push(chars);
            }
            text.push_str(line);
            chars += line.chars().count();
        }
        out.push(Paragraph { text, gold });
        lines.clear();
    };
    for line in article.lines() {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut current, &mut out);
        } else {
            current.push(line);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// Read every `*.txt` article in `dir` (sorted) and cut it into paragraphs.
pub fn load_ptc(dir: &Path) -> std::io::Result<Vec<Paragraph>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        out.extend(paragraphs_of(&std::fs::read_to_string(f)?));
    }
    Ok(out)
}

/// Boundary counts; precision/recall/F1 derive from them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Counts {
    /// Compare two sorted lists of boundary offsets.
    pub fn of(gold: &[usize], predicted: &[usize]) -> Counts {
        let (mut g, mut p) = (0, 0);
        let mut tp = 0;
        while g < gold.len() && p < predicted.len() {
            match gold[g].cmp(&predicted[p]) {
                std::cmp::Ordering::Equal => {
                    tp += 1;
                    g += 1;
                    p += 1;
                }
                std::cmp::Ordering::Less => g += 1,
                std::cmp::Ordering::Greater => p += 1,
            }
        }
        Counts {
            true_positives: tp,
            false_positives: predicted.len() - tp,
            false_negatives: gold.len() - tp,
        }
    }

    pub fn add(&mut self, other: Counts) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }

    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        crate::f1(p, r)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The splitters compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `sift::train::segment` (the rules sift ships).
    Sift,
    /// The `sentencex` crate, language `en`.
    Sentencex,
    /// `unicode-segmentation`'s UAX #29 sentence bounds.
    Uax29,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Sift, Method::Sentencex, Method::Uax29];

    pub fn name(self) -> &'static str {
        match self {
            Method::Sift => "sift",
            Method::Sentencex => "sentencex",
            Method::Uax29 => "unicode-segmentation",
        }
    }

    /// Char offsets where sentences 2..n of `text` start.
    pub fn boundaries(self, text: &str) -> Vec<usize> {
        match self {
            Method::Sift => sift::train::segment::sentence_spans(text)
                .iter()
                .skip(1)
                .map(|s| s.start)
                .collect(),
            Method::Sentencex => starts_from_bytes(
                text,
                sentencex::get_sentence_boundaries("en", text)
                    .iter()
                    .map(|b| b.start_byte),
            ),
            Method::Uax29 => {
                use unicode_segmentation::UnicodeSegmentation;
                starts_from_bytes(text, text.split_sentence_bound_indices().map(|(b, _)| b))
            }
        }
    }
}

/// Sentence start bytes → char offsets of their first non-space char, first sentence dropped.
fn starts_from_bytes(text: &str, starts: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut out = Vec::new();
    for b in starts {
        let rest = &text[b..];
        let skipped = rest.len() - rest.trim_start().len();
        let start = b + skipped;
        if start == 0 || start >= text.len() {
            continue;
        }
        let c = text[..start].chars().count();
        if out.last() != Some(&c) {
            out.push(c);
        }
    }
    out
}

/// Scores and speed of one method over a set of paragraphs.
#[derive(Debug, Clone, Serialize)]
pub struct MethodResult {
    pub method: String,
    pub counts: Counts,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Megabytes of joined text per second, one thread (splitting only).
    pub mb_per_s: f64,
}

/// Run `method` over `paragraphs`.
pub fn evaluate(method: Method, paragraphs: &[Paragraph]) -> MethodResult {
    let mut counts = Counts::default();
    let bytes: usize = paragraphs.iter().map(|p| p.text.len()).sum();
    let t = Instant::now();
    for p in paragraphs {
        counts.add(Counts::of(&p.gold, &method.boundaries(&p.text)));
    }
    let secs = t.elapsed().as_secs_f64().max(1e-9);
    MethodResult {
        method: method.name().into(),
        counts,
        precision: counts.precision(),
        recall: counts.recall(),
        f1: counts.f1(),
        mb_per_s: bytes as f64 / 1e6 / secs,
    }
}

/// One hand-made case: input text and the expected sentences (whitespace collapsed).
#[derive(Debug, Clone)]
pub struct Case {
    pub input: String,
    pub expected: Vec<String>,
}

/// Parse a case file of `crates/sift/tests/data/sentences` (format in its README).
pub fn parse_cases(file: &str) -> Vec<Case> {
    let mut out = Vec::new();
    for block in file.split("\n-----\n") {
        let lines: Vec<&str> = block.lines().skip_while(|l| l.starts_with('#')).collect();
        let Some(arrow) = lines.iter().position(|l| *l == "=>") else {
            continue;
        };
        out.push(Case {
            input: lines[..arrow].join("\n"),
            expected: lines[arrow + 1..]
                .iter()
                .filter(|l| !l.trim().is_empty())
                .map(|l| collapse(l))
                .collect(),
        });
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Method {
    /// The sentences of `text` as strings, whitespace collapsed (`lang` for sentencex).
    pub fn split(self, text: &str, lang: &str) -> Vec<String> {
        match self {
            Method::Sift => {
                let chars: Vec<char> = text.chars().collect();
                sift::train::segment::sentence_spans(text)
                    .iter()
                    .map(|s| collapse(&chars[s.start..s.end].iter().collect::<String>()))
                    .collect()
            }
            Method::Sentencex => sentencex::segment(lang, text)
                .into_iter()
                .map(collapse)
                .filter(|s| !s.is_empty())
                .collect(),
            Method::Uax29 => {
                use unicode_segmentation::UnicodeSegmentation;
                text.split_sentence_bounds()
                    .map(collapse)
                    .filter(|s| !s.is_empty())
                    .collect()
            }
        }
    }
}

/// How many cases a method splits exactly as expected.
pub fn cases_passed(method: Method, cases: &[Case], lang: &str) -> usize {
    cases
        .iter()
        .filter(|c| method.split(&c.input, lang) == c.expected)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_boundaries_are_line_starts_in_the_joined_paragraph() {
        let paras = paragraphs_of("Title here\n\nOne. \nTwo two.\nЁж.\n\nLast.\n");
        assert_eq!(paras.len(), 3);
        assert_eq!(paras[0].gold, Vec::<usize>::new());
        assert_eq!(paras[1].text, "One. Two two. Ёж.");
        assert_eq!(paras[1].gold, vec![5, 14]);
    }

    #[test]
    fn counts_match_exact_offsets_only() {
        let c = Counts::of(&[5, 14, 30], &[5, 13, 30, 40]);
        assert_eq!(
            c,
            Counts {
                true_positives: 2,
                false_positives: 2,
                false_negatives: 1
            }
        );
        assert!((c.precision() - 0.5).abs() < 1e-12);
        assert!((c.recall() - 2.0 / 3.0).abs() < 1e-12);
        assert!((c.f1() - 4.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn case_files_parse_into_inputs_and_expected_sentences() {
        let cases = parse_cases("# note\nThe cat sat. The dog ran.\n=>\nThe cat sat.\nThe  dog ran.\n-----\nEnd.\n=>\nEnd.\n");
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].input, "The cat sat. The dog ran.");
        assert_eq!(cases[0].expected, ["The cat sat.", "The dog ran."]);
        assert_eq!(cases_passed(Method::Sift, &cases, "en"), 2);
    }

    #[test]
    fn empty_counts_score_zero_not_nan() {
        let c = Counts::of(&[], &[]);
        assert_eq!(c.f1(), 0.0);
    }

    #[test]
    fn every_method_reports_char_offsets_of_sentence_starts() {
        let text = "Ёж спал. Кот не спал.";
        for m in Method::ALL {
            assert_eq!(m.boundaries(text), vec![9], "{}", m.name());
        }
    }
}
