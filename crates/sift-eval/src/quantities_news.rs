//! `sift eval quantities --news`: quantity extraction scored on hand-annotated
//! English and Russian news articles from `../shared/data`.
//!
//! The gold (`data/quantities-news-{en,ru}.tsv`, protocol in
//! docs/annotation/quantities-news.md) holds article paths, char offsets and labels
//! only; the texts stay in the shared folder. Each article goes through the shipped
//! path of `sift analyze FILE`: [`sift::input::read_path`], [`Document::build`] with
//! automatic language detection, the pipeline's `quantities` layer, and the
//! report's `quantities` field.
//!
//! Matching is [`score_case`]'s, the rule every quantity set here uses: a
//! prediction and a gold quantity are a **value match** when their char spans
//! overlap and the values agree within a relative 1e-6 (a gold range
//! matches a prediction whose value or low end is the range's low end); a **value+unit
//! match** also needs the same unit key ([`super::quantities::unit_key`]; a gold
//! quantity without a unit matches a bare number or count). Matching is one-to-one,
//! greedy in text order. Dates, years and times of day are out of scope
//! (as in CQE's NewsQuant): predictions of dimension `date` or `time` are dropped
//! before matching, so they are neither hits nor false alarms — a year or a clock
//! time read as a bare number still counts as a false alarm.

use std::collections::BTreeMap;
use std::path::Path;

use sift::{Document, LanguageHint, Pipeline, Quantity};

use crate::quantities::{predicted_unit_key, score_case, Case, Counts, GoldQuantity, SetScore};

/// The English gold: article path (relative to the shared data folder), offsets, labels.
pub const GOLD_EN: &str = include_str!("../data/quantities-news-en.tsv");
/// The Russian gold.
pub const GOLD_RU: &str = include_str!("../data/quantities-news-ru.tsv");

/// One annotated article: its path under the shared data folder and its gold quantities.
#[derive(Debug, Clone)]
pub struct NewsArticle {
    pub path: String,
    pub gold: Vec<GoldQuantity>,
}

/// Parse a gold TSV (`article, start, end, value, high, unit`; `#` comments;
/// `-` for no high end or no unit), grouping rows by article in file order.
pub fn parse_gold(tsv: &str) -> Result<Vec<NewsArticle>, String> {
    let mut order: Vec<String> = Vec::new();
    let mut by_article: BTreeMap<String, Vec<GoldQuantity>> = BTreeMap::new();
    for (n, line) in tsv.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let bad = |what: &str| format!("gold line {}: {what}: {line:?}", n + 1);
        if f.len() != 6 {
            return Err(bad("expected 6 tab-separated fields"));
        }
        let start: usize = f[1].parse().map_err(|_| bad("start"))?;
        let end: usize = f[2].parse().map_err(|_| bad("end"))?;
        let value: f64 = f[3].parse().map_err(|_| bad("value"))?;
        if end <= start {
            return Err(bad("empty span"));
        }
        if f[4] != "-" {
            let high: f64 = f[4].parse().map_err(|_| bad("high"))?;
            if high < value {
                return Err(bad("high end below the value"));
            }
        }
        let unit = (f[5] != "-").then(|| f[5].to_string());
        if !by_article.contains_key(f[0]) {
            order.push(f[0].to_string());
        }
        by_article
            .entry(f[0].to_string())
            .or_default()
            .push(GoldQuantity {
                start,
                end,
                value: Some(value),
                unit,
            });
    }
    Ok(order
        .into_iter()
        .map(|path| {
            let gold = by_article.remove(&path).unwrap_or_default();
            NewsArticle { path, gold }
        })
        .collect())
}

/// Whether a prediction is in the scope of the news protocol (dates, years and
/// clock times are not annotated).
pub fn in_scope(q: &Quantity) -> bool {
    !matches!(q.dimension.as_str(), "date" | "time")
}

/// Score one article's predictions against its gold: (value, value+unit) counts.
pub fn score_article(
    text: &str,
    gold: &[GoldQuantity],
    predicted: &[Quantity],
) -> (Counts, Counts) {
    let preds: Vec<Quantity> = predicted.iter().filter(|q| in_scope(q)).cloned().collect();
    let case = Case {
        text: text.to_string(),
        gold: gold.to_vec(),
        dimensions: Vec::new(),
        single: false,
    };
    score_case(&case, &preds)
}

/// Run `sift analyze`'s path on one file and return the normalised text and the
/// report's quantities.
pub fn analyze_file(path: &Path) -> Result<(String, Vec<Quantity>), String> {
    let raw = sift::input::read_path(path)
        .into_iter()
        .next()
        .ok_or_else(|| format!("{}: no document", path.display()))?
        .map_err(|e| e.to_string())?;
    let doc = Document::build(raw, LanguageHint::Auto);
    let pipeline = Pipeline::only(&["quantities"]).map_err(|e| e.to_string())?;
    let report = pipeline.analyze(&doc);
    Ok((report.text, report.quantities))
}

/// Scores of one language's news set, with its error list.
#[derive(Debug, Clone, Default)]
pub struct NewsScore {
    pub score: SetScore,
    /// One line per lost gold quantity or false alarm (value+unit), for reading.
    pub errors: Vec<String>,
}

/// Score a gold set over the articles under `data_root` (the shared data folder).
pub fn score_news(name: &str, gold_tsv: &str, data_root: &Path) -> Result<NewsScore, String> {
    let articles = parse_gold(gold_tsv)?;
    let mut out = NewsScore {
        score: SetScore {
            name: name.to_string(),
            cases: articles.len(),
            ..Default::default()
        },
        errors: Vec::new(),
    };
    for article in &articles {
        let path = data_root.join(&article.path);
        let (text, predicted) = analyze_file(&path)?;
        let chars: Vec<char> = text.chars().collect();
        if let Some(g) = article.gold.iter().find(|g| g.end > chars.len()) {
            return Err(format!(
                "{}: gold span {}..{} is past the end of the text ({} chars): the data changed",
                article.path,
                g.start,
                g.end,
                chars.len()
            ));
        }
        let (v, vu) = score_article(&text, &article.gold, &predicted);
        out.score.value.tp += v.tp;
        out.score.value.fp += v.fp;
        out.score.value.fn_ += v.fn_;
        out.score.value_unit.tp += vu.tp;
        out.score.value_unit.fp += vu.fp;
        out.score.value_unit.fn_ += vu.fn_;
        out.score.gold += article.gold.len();
        out.errors.extend(describe_errors(
            &article.path,
            &chars,
            &article.gold,
            &predicted,
        ));
    }
    Ok(out)
}

/// Value+unit misses and false alarms of one article, one line each, with context.
fn describe_errors(
    path: &str,
    chars: &[char],
    gold: &[GoldQuantity],
    predicted: &[Quantity],
) -> Vec<String> {
    let slice = |a: usize, b: usize| -> String {
        chars[a.min(chars.len())..b.min(chars.len())]
            .iter()
            .collect::<String>()
            .replace('\n', " ")
    };
    let context = |a: usize, b: usize| {
        format!(
            "…{}[{}]{}…",
            slice(a.saturating_sub(30), a),
            slice(a, b),
            slice(b, b + 30)
        )
    };
    let preds: Vec<&Quantity> = predicted.iter().filter(|q| in_scope(q)).collect();
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut out = Vec::new();
    for g in gold {
        let one = |q: &Quantity| {
            let (_, vu) = score_article("", std::slice::from_ref(g), std::slice::from_ref(q));
            vu.tp == 1
        };
        if !preds.iter().any(|q| one(q)) {
            let near: Vec<String> = preds
                .iter()
                .filter(|q| q.start < g.end && g.start < q.end)
                .map(|q| describe(q))
                .collect();
            out.push(format!(
                "{name} MISS {} gold {:?} {:?} · predicted {}",
                context(g.start, g.end),
                g.value.unwrap_or(f64::NAN),
                g.unit.as_deref().unwrap_or("-"),
                if near.is_empty() {
                    "nothing".to_string()
                } else {
                    near.join(" ; ")
                }
            ));
        }
    }
    for q in preds {
        if !gold.iter().any(|g| q.start < g.end && g.start < q.end) {
            out.push(format!(
                "{name} FALSE {} {}",
                context(q.start, q.end),
                describe(q)
            ));
        }
    }
    out
}

fn describe(q: &Quantity) -> String {
    format!(
        "{} {} {:?} key={:?}",
        q.value,
        q.dimension,
        q.unit.as_deref().unwrap_or("-"),
        predicted_unit_key(q).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(start: usize, end: usize, value: f64, unit: Option<&str>, dimension: &str) -> Quantity {
        Quantity {
            start,
            end,
            text: String::new(),
            value,
            low: None,
            high: None,
            unit: unit.map(str::to_string),
            dimension: dimension.to_string(),
            si_value: None,
            si_unit: None,
            approx: false,
            bound: None,
            date: None,
            weekday: None,
        }
    }

    #[test]
    fn gold_parses_ranges_units_and_articles_in_order() {
        let tsv = "# comment\nb.txt\t0\t3\t18\t24\tyear\na.txt\t5\t7\t2\t-\t-\nb.txt\t9\t12\t1e6\t-\tUSD\n";
        let arts = parse_gold(tsv).unwrap();
        assert_eq!(arts.len(), 2);
        assert_eq!(arts[0].path, "b.txt");
        assert_eq!(arts[0].gold.len(), 2);
        assert_eq!(arts[0].gold[0].value, Some(18.0));
        assert_eq!(arts[0].gold[0].unit.as_deref(), Some("year"));
        assert_eq!(arts[0].gold[1].value, Some(1e6));
        assert_eq!(arts[1].gold[0].unit, None);
        assert!(parse_gold("a.txt\t5\t5\t2\t-\t-\n").is_err());
        assert!(parse_gold("a.txt\t5\t7\t2\t1\t-\n").is_err());
        assert!(parse_gold("a.txt\t5\t7\ttwo\t-\t-\n").is_err());
    }

    #[test]
    fn dates_are_out_of_scope_but_misread_years_are_false_alarms() {
        // "In 2016, 46 percent of 1,001 adults ..."
        let gold = vec![
            GoldQuantity {
                start: 9,
                end: 19,
                value: Some(46.0),
                unit: Some("percent".into()),
            },
            GoldQuantity {
                start: 23,
                end: 35,
                value: Some(1001.0),
                unit: None,
            },
        ];
        let preds = vec![
            q(3, 7, 2016.0, None, "date"),
            q(9, 19, 46.0, Some("percent"), "percentage"),
            q(23, 28, 1001.0, Some("adults"), "count"),
        ];
        let (v, vu) = score_article("", &gold, &preds);
        assert_eq!((v.tp, v.fp, v.fn_), (2, 0, 0));
        assert_eq!((vu.tp, vu.fp, vu.fn_), (2, 0, 0));
        // The same year read as a bare number is a false alarm.
        let preds = vec![q(3, 7, 2016.0, None, "number")];
        let (v, _) = score_article("", &gold, &preds);
        assert_eq!((v.tp, v.fp, v.fn_), (0, 1, 2));
    }

    #[test]
    fn value_and_unit_are_scored_separately() {
        // "7 points" annotated as percentage points, predicted as a bare 7.
        let gold = vec![GoldQuantity {
            start: 0,
            end: 8,
            value: Some(7.0),
            unit: Some("percentage point".into()),
        }];
        let (v, vu) = score_article("", &gold, &[q(0, 1, 7.0, None, "number")]);
        assert_eq!((v.tp, v.fp, v.fn_), (1, 0, 0));
        assert_eq!((vu.tp, vu.fp, vu.fn_), (0, 1, 1));
        // A wrong value overlapping the span is a miss and a false alarm.
        let (v, _) = score_article("", &gold, &[q(0, 1, 8.0, None, "number")]);
        assert_eq!((v.tp, v.fp, v.fn_), (0, 1, 1));
    }

    #[test]
    fn a_range_matches_on_its_low_end_and_its_second_half_is_not_a_false_alarm() {
        // "18 to 62 years": gold value 18 (the low end).
        let gold = vec![GoldQuantity {
            start: 0,
            end: 14,
            value: Some(18.0),
            unit: Some("year".into()),
        }];
        let mut range = q(0, 14, 40.0, Some("years"), "duration");
        range.low = Some(18.0);
        range.high = Some(62.0);
        let (v, vu) = score_article("", &gold, &[range]);
        assert_eq!((v.tp, vu.tp), (1, 1));
        let split = [
            q(0, 2, 18.0, Some("years"), "duration"),
            q(6, 14, 62.0, Some("years"), "duration"),
        ];
        let (v, vu) = score_article("", &gold, &split);
        assert_eq!((v.tp, v.fp, v.fn_), (1, 0, 0));
        assert_eq!((vu.tp, vu.fp, vu.fn_), (1, 0, 0));
    }

    #[test]
    fn committed_gold_files_parse() {
        let en = parse_gold(GOLD_EN).unwrap();
        let ru = parse_gold(GOLD_RU).unwrap();
        assert!(en.len() >= 20, "{} English articles", en.len());
        assert!(en.iter().map(|a| a.gold.len()).sum::<usize>() >= 250);
        assert!(ru.len() >= 10, "{} Russian articles", ru.len());
        for a in en.iter().chain(&ru) {
            for w in a.gold.windows(2) {
                assert!(
                    w[0].start <= w[1].start,
                    "{}: gold not in text order",
                    a.path
                );
            }
        }
    }
}
