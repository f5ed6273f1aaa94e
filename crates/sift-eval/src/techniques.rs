//! The official metrics of SemEval-2020 Task 11 (span identification, technique
//! classification) and SemEval-2023 Task 3 subtask 3 (paragraph-level multi-label).
//!
//! Offsets are char indices, half-open, as in the corpora.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Precision, recall and F1 (all 0 when undefined).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn from_parts(p_num: f64, p_den: f64, r_num: f64, r_den: f64) -> Prf {
        let precision = if p_den > 0.0 { p_num / p_den } else { 0.0 };
        let recall = if r_den > 0.0 { r_num / r_den } else { 0.0 };
        let f1 = crate::f1(precision, recall);
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// A technique-agnostic span of one article.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleSpan {
    pub article: String,
    pub start: usize,
    pub end: usize,
}

impl ArticleSpan {
    pub fn new(article: &str, start: usize, end: usize) -> ArticleSpan {
        ArticleSpan {
            article: article.to_string(),
            start,
            end,
        }
    }
}

/// Overlapping spans merged, per article, sorted.
pub fn merge_overlapping(spans: &[ArticleSpan]) -> BTreeMap<String, Vec<(usize, usize)>> {
    let mut by_article: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for s in spans.iter().filter(|s| s.end > s.start) {
        by_article
            .entry(s.article.clone())
            .or_default()
            .push((s.start, s.end));
    }
    for list in by_article.values_mut() {
        list.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(list.len());
        for &(s, e) in list.iter() {
            match merged.last_mut() {
                Some(last) if s < last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        *list = merged;
    }
    by_article
}

fn intersection(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// SemEval-2020 Task 11 span identification: P = Σ_s Σ_t |s∩t|/|s| / |S|,
/// R = Σ_t Σ_s |s∩t|/|t| / |T|, over the corpus, every overlapping pair counting.
/// Overlapping gold spans are merged first; so are overlapping predicted spans
/// (the official scorer refuses submissions with overlaps).
pub fn span_identification(predicted: &[ArticleSpan], gold: &[ArticleSpan]) -> Prf {
    let pred = merge_overlapping(predicted);
    let gold = merge_overlapping(gold);
    let p_den: usize = pred.values().map(Vec::len).sum();
    let r_den: usize = gold.values().map(Vec::len).sum();
    let (mut p_num, mut r_num) = (0.0, 0.0);
    for (article, ps) in &pred {
        let Some(gs) = gold.get(article) else {
            continue;
        };
        for &s in ps {
            for &t in gs {
                let both = intersection(s, t) as f64;
                if both > 0.0 {
                    p_num += both / (s.1 - s.0) as f64;
                    r_num += both / (t.1 - t.0) as f64;
                }
            }
        }
    }
    Prf::from_parts(p_num, p_den as f64, r_num, r_den as f64)
}

/// A labelled span: the technique of `span`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LabelledSpan {
    pub span: ArticleSpan,
    pub technique: String,
}

/// Micro-F1 overall and P/R/F1 per technique.
#[derive(Debug, Clone, Default)]
pub struct LabelScores {
    pub micro: Prf,
    pub per_label: BTreeMap<String, (Prf, usize)>,
}

fn label_scores(
    tp: &HashMap<String, usize>,
    predicted: &HashMap<String, usize>,
    gold: &HashMap<String, usize>,
) -> LabelScores {
    let (t, p, g) = (
        tp.values().sum::<usize>() as f64,
        predicted.values().sum::<usize>() as f64,
        gold.values().sum::<usize>() as f64,
    );
    let labels: BTreeSet<&String> = predicted.keys().chain(gold.keys()).collect();
    let per_label = labels
        .into_iter()
        .map(|l| {
            let tl = *tp.get(l).unwrap_or(&0) as f64;
            let pl = *predicted.get(l).unwrap_or(&0) as f64;
            let gl = *gold.get(l).unwrap_or(&0);
            (l.clone(), (Prf::from_parts(tl, pl, tl, gl as f64), gl))
        })
        .collect();
    LabelScores {
        micro: Prf::from_parts(t, p, t, g),
        per_label,
    }
}

/// SemEval-2020 Task 11 technique classification: each gold span carries one technique
/// per line (a span with two techniques appears twice); predictions name spans the same
/// way. Matching is by identical span, counting labels as multisets; micro-F1.
pub fn technique_classification(predicted: &[LabelledSpan], gold: &[LabelledSpan]) -> LabelScores {
    let mut gold_at: HashMap<&ArticleSpan, Vec<&str>> = HashMap::new();
    for g in gold {
        gold_at.entry(&g.span).or_default().push(&g.technique);
    }
    let mut tp = HashMap::new();
    let mut pred_n = HashMap::new();
    let mut gold_n = HashMap::new();
    for g in gold {
        *gold_n.entry(g.technique.clone()).or_insert(0) += 1;
    }
    for p in predicted {
        *pred_n.entry(p.technique.clone()).or_insert(0) += 1;
        if let Some(labels) = gold_at.get_mut(&p.span) {
            if let Some(i) = labels.iter().position(|l| *l == p.technique) {
                labels.swap_remove(i);
                *tp.entry(p.technique.clone()).or_insert(0) += 1;
            }
        }
    }
    label_scores(&tp, &pred_n, &gold_n)
}

/// SemEval-2023 Task 3 subtask 3: multi-label micro-F1 over the gold paragraphs
/// (`(article, paragraph)` → techniques). Predicted paragraphs not in the gold are ignored;
/// gold paragraphs with no prediction count as predicted empty.
pub fn paragraph_multilabel(
    predicted: &BTreeMap<(String, usize), BTreeSet<String>>,
    gold: &BTreeMap<(String, usize), BTreeSet<String>>,
) -> LabelScores {
    let mut tp = HashMap::new();
    let mut pred_n = HashMap::new();
    let mut gold_n = HashMap::new();
    let empty = BTreeSet::new();
    for (key, g) in gold {
        let p = predicted.get(key).unwrap_or(&empty);
        for l in g {
            *gold_n.entry(l.clone()).or_insert(0) += 1;
        }
        for l in p {
            *pred_n.entry(l.clone()).or_insert(0) += 1;
            if g.contains(l) {
                *tp.entry(l.clone()).or_insert(0) += 1;
            }
        }
    }
    label_scores(&tp, &pred_n, &gold_n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(a: &str, start: usize, end: usize) -> ArticleSpan {
        ArticleSpan::new(a, start, end)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn si_exact_match_scores_one() {
        let gold = [s("1", 0, 10), s("2", 5, 9)];
        let prf = span_identification(&gold, &gold);
        assert!(close(prf.f1, 1.0));
    }

    #[test]
    fn si_partial_overlap_counts_fractions_both_ways() {
        // Predicted [0,10), gold [5,25): intersection 5.
        // P = 5/10 / 1 = 0.5; R = 5/20 / 1 = 0.25; F1 = 2·0.125/0.75 = 1/3.
        let prf = span_identification(&[s("1", 0, 10)], &[s("1", 5, 25)]);
        assert!(close(prf.precision, 0.5));
        assert!(close(prf.recall, 0.25));
        assert!(close(prf.f1, 1.0 / 3.0));
    }

    #[test]
    fn si_every_overlapping_pair_counts_and_gold_overlaps_merge() {
        // Gold [0,10) and [5,20) merge into [0,20). Predictions [0,5) and [10,20), plus a
        // miss [30,40). P = (5/5 + 10/10 + 0) / 3 = 2/3; R = (5/20 + 10/20) / 1 = 0.75.
        let gold = [s("1", 0, 10), s("1", 5, 20)];
        let pred = [s("1", 0, 5), s("1", 10, 20), s("1", 30, 40)];
        let prf = span_identification(&pred, &gold);
        assert!(close(prf.precision, 2.0 / 3.0));
        assert!(close(prf.recall, 0.75));
    }

    #[test]
    fn si_spans_only_match_in_their_own_article() {
        let prf = span_identification(&[s("1", 0, 10)], &[s("2", 0, 10)]);
        assert!(close(prf.f1, 0.0));
        let empty = span_identification(&[], &[s("2", 0, 10)]);
        assert!(close(empty.precision, 0.0) && close(empty.recall, 0.0));
    }

    fn l(a: &str, start: usize, end: usize, t: &str) -> LabelledSpan {
        LabelledSpan {
            span: s(a, start, end),
            technique: t.into(),
        }
    }

    #[test]
    fn tc_micro_f1_with_a_duplicated_gold_span() {
        // Span (1,0,5) is both Doubt and Loaded_Language; predictions give it Doubt twice:
        // only one Doubt can match. Span (1,8,9) right. TP = 2 of 3 → micro-F1 = 2/3.
        let gold = [
            l("1", 0, 5, "Doubt"),
            l("1", 0, 5, "Loaded_Language"),
            l("1", 8, 9, "Slogans"),
        ];
        let pred = [
            l("1", 0, 5, "Doubt"),
            l("1", 0, 5, "Doubt"),
            l("1", 8, 9, "Slogans"),
        ];
        let scores = technique_classification(&pred, &gold);
        assert!(close(scores.micro.f1, 2.0 / 3.0));
        let (doubt, support) = scores.per_label["Doubt"];
        assert_eq!(support, 1);
        assert!(close(doubt.precision, 0.5) && close(doubt.recall, 1.0));
        let (loaded, _) = scores.per_label["Loaded_Language"];
        assert!(close(loaded.recall, 0.0));
    }

    #[test]
    fn paragraph_micro_f1_on_a_known_case() {
        let set = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<BTreeSet<_>>();
        let mut gold = BTreeMap::new();
        gold.insert(("1".to_string(), 1), set(&["Doubt", "Slogans"]));
        gold.insert(("1".to_string(), 3), set(&[]));
        gold.insert(("1".to_string(), 5), set(&["Loaded_Language"]));
        let mut pred = BTreeMap::new();
        pred.insert(("1".to_string(), 1), set(&["Doubt"]));
        pred.insert(("1".to_string(), 3), set(&["Repetition"]));
        // Paragraph 5 missing: predicted empty. TP 1, predicted 2, gold 3.
        // P = 0.5, R = 1/3, F1 = 0.4.
        let scores = paragraph_multilabel(&pred, &gold);
        assert!(close(scores.micro.precision, 0.5));
        assert!(close(scores.micro.recall, 1.0 / 3.0));
        assert!(close(scores.micro.f1, 0.4));
    }
}
