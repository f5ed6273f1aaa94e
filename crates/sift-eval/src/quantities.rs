//! Quantity extraction benchmarks over `../shared/data/quantities`, and the
//! consistency test set.
//!
//! Matching rule (the same for every set, documented in docs/benchmarks/quant.md):
//! a predicted quantity and a gold one are a **value match** when their spans
//! overlap (or, for one-quantity inputs, the prediction covers the input) and the
//! values agree within a relative 1e-6 — where the set gives no value (MeasEval),
//! span overlap alone decides; they are a **value+unit match** when, in addition,
//! the units normalise to the same key ([`unit_key`]): an ISO 4217 code for money,
//! the canonical name from sift's unit lexicon otherwise, else the lowercased
//! singular surface form. Matching is one-to-one and greedy in text order; a
//! second prediction overlapping an already matched gold span (a list split in
//! parts) is neither a hit nor a false alarm.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sift::train::quantities::{extract, parse_unit};
use sift::Document;
use sift::Quantity;

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        crate::f1(p, r)
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// One gold quantity: a char span of the input, the value if the set gives one, the unit if any.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldQuantity {
    pub start: usize,
    pub end: usize,
    pub value: Option<f64>,
    pub unit: Option<String>,
}

/// One evaluation case: a text and its gold quantities.
#[derive(Debug, Clone)]
pub struct Case {
    pub text: String,
    pub gold: Vec<GoldQuantity>,
    /// Which predicted dimensions count (a set that annotates only money is not
    /// penalised for the lengths it leaves out). Empty: all.
    pub dimensions: Vec<&'static str>,
    /// The whole input is one quantity (Duckling): predictions reduce to the one
    /// covering most of it.
    pub single: bool,
}

/// Results for one set.
#[derive(Debug, Clone, Default)]
pub struct SetScore {
    pub name: String,
    pub cases: usize,
    pub gold: usize,
    pub value: Counts,
    pub value_unit: Counts,
}

fn values_equal(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1e-12)
}

/// Normalise a unit name or surface form to a comparable key.
pub fn unit_key(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    if let Some(code) = currency_code(&lower) {
        return code.to_string();
    }
    let special = match lower.as_str() {
        "c" | "celsius" | "degree celsius" => Some("degree Celsius"),
        "f" | "fahrenheit" | "degree fahrenheit" => Some("degree Fahrenheit"),
        "percentage" | "percent" | "%" => Some("percent"),
        "m" => Some("metre"),
        _ => None,
    };
    if let Some(s) = special {
        return s.to_string();
    }
    if let Some(info) = parse_unit(&lower) {
        return if info.dimension == "money" {
            info.si_unit.to_string()
        } else {
            info.canonical.to_string()
        };
    }
    let singular = lower.strip_suffix('s').unwrap_or(&lower);
    singular.replace("meter", "metre").replace("liter", "litre")
}

fn currency_code(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "dollar" | "us dollar" | "united states dollar" | "usd" | "$" | "dollars" => "USD",
        "euro" | "eur" | "€" | "euros" => "EUR",
        "pound" | "british pound" | "pound sterling" | "gbp" | "£" => "GBP",
        "chinese yuan" | "yuan" | "cny" => "CNY",
        "japanese yen" | "yen" | "jpy" => "JPY",
        "russian ruble" | "ruble" | "rub" | "rouble" => "RUB",
        "canadian dollar" | "cad" => "CAD",
        "australian dollar" | "aud" => "AUD",
        "swiss franc" | "franc" | "chf" => "CHF",
        "cent" | "penny" => "USD",
        "rupee" => "INR",
        _ => return None,
    })
}

/// Key of a predicted quantity's unit: ISO code for money, lexicon canonical otherwise.
pub fn predicted_unit_key(q: &Quantity) -> Option<String> {
    if q.dimension == "money" {
        return q.si_unit.clone();
    }
    if q.dimension == "percentage" {
        return Some("percent".into());
    }
    if q.dimension == "age" {
        let u = q.unit.as_deref().unwrap_or("year");
        // A Russian measure adjective fused with its numeral («шестимесячной») reports
        // the adjective («месячной»), which the lexicon knows in its hyphenated form.
        let key = match parse_unit(u) {
            None => parse_unit(&format!("- {u}"))
                .map_or_else(|| unit_key(u), |i| i.canonical.to_string()),
            Some(_) => unit_key(u),
        };
        return Some(match key.as_str() {
            k if k.contains("month") => "month".into(),
            k if k.contains("week") => "week".into(),
            k if k.contains("day") => "day".into(),
            _ => "year".into(),
        });
    }
    q.unit.as_deref().map(unit_key)
}

fn prediction_matches_unit(q: &Quantity, gold: &GoldQuantity) -> bool {
    match &gold.unit {
        None => matches!(q.dimension.as_str(), "number" | "count" | "date" | "time"),
        Some(u) => {
            let g = unit_key(u);
            let p = predicted_unit_key(q);
            p.as_deref() == Some(g.as_str())
                || q.unit
                    .as_deref()
                    .is_some_and(|pu| pu.trim().to_lowercase() == u.trim().to_lowercase())
        }
    }
}

/// Score one case into value and value+unit counts.
pub fn score_case(case: &Case, predicted: &[Quantity]) -> (Counts, Counts) {
    let mut preds: Vec<&Quantity> = predicted
        .iter()
        .filter(|q| q.unit.as_deref() != Some("relative day"))
        .filter(|q| case.dimensions.is_empty() || case.dimensions.contains(&q.dimension.as_str()))
        .collect();
    if case.single {
        preds.sort_by_key(|q| std::cmp::Reverse(q.end - q.start));
        preds.truncate(1);
    }
    let mut value = Counts::default();
    let mut value_unit = Counts::default();
    let mut gold_hit_v = vec![false; case.gold.len()];
    let mut gold_hit_vu = vec![false; case.gold.len()];
    for q in preds {
        let overlapping: Vec<usize> = (0..case.gold.len())
            .filter(|&g| {
                let gq = &case.gold[g];
                case.single || (q.start < gq.end && gq.start < q.end)
            })
            .collect();
        let value_ok = |g: usize| {
            let gq = &case.gold[g];
            gq.value.is_none_or(|v| {
                values_equal(q.value, v)
                    || q.low.is_some_and(|l| values_equal(l, v))
                    || q.si_value.is_some_and(|s| {
                        // sets that normalise (Duckling: "0.002 кг" → 2 g) compare in SI
                        gq.unit
                            .as_deref()
                            .and_then(parse_unit)
                            .is_some_and(|u| values_equal(s, v * u.factor + u.offset))
                    })
            })
        };
        // value
        if let Some(&g) = overlapping.iter().find(|&&g| !gold_hit_v[g] && value_ok(g)) {
            gold_hit_v[g] = true;
            value.tp += 1;
        } else if !overlapping.iter().any(|&g| gold_hit_v[g]) {
            value.fp += 1;
        }
        // value + unit
        if let Some(&g) = overlapping
            .iter()
            .find(|&&g| !gold_hit_vu[g] && value_ok(g) && prediction_matches_unit(q, &case.gold[g]))
        {
            gold_hit_vu[g] = true;
            value_unit.tp += 1;
        } else if !overlapping.iter().any(|&g| gold_hit_vu[g]) {
            value_unit.fp += 1;
        }
    }
    value.fn_ = gold_hit_v.iter().filter(|h| !**h).count();
    value_unit.fn_ = gold_hit_vu.iter().filter(|h| !**h).count();
    (value, value_unit)
}

/// Cases where value+unit matching lost something, described for error analysis.
pub fn errors(cases: &[Case], max: usize) -> Vec<String> {
    let mut out = Vec::new();
    for case in cases {
        if out.len() >= max {
            break;
        }
        let doc = Document::from_text(&case.text);
        let predicted = extract(&doc);
        let (_, vu) = score_case(case, &predicted);
        if vu.fp == 0 && vu.fn_ == 0 {
            continue;
        }
        let chars: Vec<char> = case.text.chars().collect();
        let slice = |a: usize, b: usize| -> String {
            chars[a.min(chars.len())..b.min(chars.len())]
                .iter()
                .collect()
        };
        let gold: Vec<String> = case
            .gold
            .iter()
            .map(|g| format!("«{}» {:?} {:?}", slice(g.start, g.end), g.value, g.unit))
            .collect();
        let pred: Vec<String> = predicted
            .iter()
            .filter(|q| {
                case.dimensions.is_empty() || case.dimensions.contains(&q.dimension.as_str())
            })
            .map(|q| {
                format!(
                    "«{}» {} {:?} {} key={:?}",
                    q.text,
                    q.value,
                    q.unit,
                    q.dimension,
                    predicted_unit_key(q)
                )
            })
            .collect();
        let text: String = chars.iter().take(160).collect();
        out.push(format!(
            "TEXT {text}\n  GOLD {}\n  PRED {}",
            gold.join(" | "),
            pred.join(" | ")
        ));
    }
    out
}

/// Run sift's extractor over every case of a set and total the counts.
pub fn score_set(name: &str, cases: &[Case]) -> SetScore {
    let mut s = SetScore {
        name: name.to_string(),
        cases: cases.len(),
        ..Default::default()
    };
    for case in cases {
        let doc = Document::from_text(&case.text);
        // Offsets in the gold are chars of the raw input; sift normalises only
        // newlines/controls, which these sets do not contain.
        let predicted = extract(&doc);
        let (v, vu) = score_case(case, &predicted);
        s.value.add(v);
        s.value_unit.add(vu);
        s.gold += case.gold.len();
    }
    s
}

fn read_json(path: &Path) -> Result<Value, String> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&raw).map_err(|e| format!("{}: {e}", path.display()))
}

/// MeasEval (`measeval/data/{train,trial}`): texts plus TSV rows of type `Quantity`.
pub fn load_measeval(root: &Path, split: &str) -> Result<Vec<Case>, String> {
    let base = root.join("measeval/data").join(split);
    let text_dir = if base.join("text").is_dir() {
        base.join("text")
    } else {
        base.join("txt")
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(base.join("tsv"))
        .map_err(|e| format!("{}: {e}", base.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for tsv in files {
        let stem = tsv.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let Ok(text) = std::fs::read_to_string(text_dir.join(format!("{stem}.txt"))) else {
            continue;
        };
        let raw = std::fs::read_to_string(&tsv).map_err(|e| e.to_string())?;
        let mut gold = Vec::new();
        for line in raw.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 7 || cols[2] != "Quantity" {
                continue;
            }
            let (Ok(start), Ok(end)) = (cols[3].parse::<usize>(), cols[4].parse::<usize>()) else {
                continue;
            };
            let unit = cols
                .get(7)
                .and_then(|o| serde_json::from_str::<Value>(o).ok())
                .and_then(|v| v.get("unit").and_then(|u| u.as_str()).map(str::to_string));
            gold.push(GoldQuantity {
                start,
                end,
                value: None,
                unit,
            });
        }
        gold.sort_by_key(|g| (g.start, g.end));
        gold.dedup_by_key(|g| (g.start, g.end));
        cases.push(Case {
            text,
            gold,
            // MeasEval annotates measurements: calendar dates and clock times are not scored.
            dimensions: MEASUREMENT_DIMENSIONS.to_vec(),
            single: false,
        });
    }
    Ok(cases)
}

/// Every dimension except calendar dates and clock times.
const MEASUREMENT_DIMENSIONS: [&str; 15] = [
    "length",
    "duration",
    "speed",
    "mass",
    "area",
    "volume",
    "energy",
    "power",
    "temperature",
    "money",
    "percentage",
    "percentage_points",
    "count",
    "age",
    "number",
];

/// Recognizers-Text `Specs/NumberWithUnit/English/*Model.json` (End is inclusive there).
pub fn load_recognizers(root: &Path) -> Result<Vec<(String, Vec<Case>)>, String> {
    let dir = root.join("recognizers_text_specs/Specs/NumberWithUnit/English");
    let models: [(&str, &[&'static str]); 4] = [
        ("AgeModel", &["age"]),
        ("CurrencyModel", &["money"]),
        (
            "DimensionModel",
            &[
                "length", "area", "volume", "speed", "mass", "energy", "power",
            ],
        ),
        ("TemperatureModel", &["temperature"]),
    ];
    let mut out = Vec::new();
    for (model, dims) in models {
        let v = read_json(&dir.join(format!("{model}.json")))?;
        let mut cases = Vec::new();
        for item in v.as_array().into_iter().flatten() {
            let Some(text) = item.get("Input").and_then(|x| x.as_str()) else {
                continue;
            };
            let mut gold = Vec::new();
            for r in item
                .get("Results")
                .and_then(|x| x.as_array())
                .into_iter()
                .flatten()
            {
                let start = r.get("Start").and_then(|x| x.as_u64()).unwrap_or(0) as usize;
                let end = r.get("End").and_then(|x| x.as_u64()).unwrap_or(0) as usize + 1;
                let res = r.get("Resolution");
                let value = res
                    .and_then(|x| x.get("value"))
                    .and_then(|x| {
                        x.as_str()
                            .map(str::to_string)
                            .or_else(|| x.as_f64().map(|f| f.to_string()))
                    })
                    .and_then(|s| s.parse::<f64>().ok());
                let unit = res
                    .and_then(|x| x.get("unit"))
                    .and_then(|x| x.as_str())
                    .map(str::to_string);
                gold.push(GoldQuantity {
                    start,
                    end,
                    value,
                    unit,
                });
            }
            cases.push(Case {
                text: text.to_string(),
                gold,
                dimensions: dims.to_vec(),
                single: false,
            });
        }
        out.push((model.to_string(), cases));
    }
    Ok(out)
}

/// quantulum3's `tests/quantities.json`: `req` plus `res[{value, unit, surface}]`.
pub fn load_quantulum(root: &Path) -> Result<Vec<Case>, String> {
    let path = root.join("quantulum3_tests/quantulum3/_lang/en_US/tests/quantities.json");
    let v = read_json(&path)?;
    let mut cases = Vec::new();
    for item in v.as_array().into_iter().flatten() {
        let Some(text) = item.get("req").and_then(|x| x.as_str()) else {
            continue;
        };
        let mut gold = Vec::new();
        let mut from_byte = 0;
        for r in item
            .get("res")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
        {
            let surface = r
                .get("surface")
                .and_then(|x| x.as_str())
                .unwrap_or_default();
            let Some(pos) = text[from_byte..].find(surface).map(|p| p + from_byte) else {
                continue;
            };
            from_byte = pos + surface.len();
            let start = text[..pos].chars().count();
            let end = start + surface.chars().count();
            let unit = r
                .get("unit")
                .and_then(|x| x.as_str())
                .filter(|u| *u != "dimensionless")
                .map(str::to_string);
            gold.push(GoldQuantity {
                start,
                end,
                value: r.get("value").and_then(|x| x.as_f64()),
                unit,
            });
        }
        cases.push(Case {
            text: text.to_string(),
            gold,
            dimensions: Vec::new(),
            single: false,
        });
    }
    Ok(cases)
}

/// Duckling's corpus (`duckling_corpus_ru_en.json`), one language: every input
/// is one quantity, the expected value a Duckling expression.
pub fn load_duckling(root: &Path, lang: &str) -> Result<Vec<(String, Vec<Case>)>, String> {
    let v = read_json(&root.join("duckling_corpus_ru_en/duckling_corpus_ru_en.json"))?;
    let expr = regex::Regex::new(
        r"^\((?:simple\s+)?(?P<a>[A-Za-z]+)\s+(?P<b>-?[0-9.]+)(?:\s+(?P<c>[A-Za-z]+))?(?:\s+(?:Nothing|\(Just[^)]*\)))?\)$",
    )
    .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let Some(obj) = v.as_object() else {
        return Err("duckling: not an object".into());
    };
    for (key, section) in obj {
        let Some((l, dim)) = key.split_once('/') else {
            continue;
        };
        if l != lang || dim == "Ordinal" {
            continue;
        }
        let mut cases = Vec::new();
        for ex in section
            .get("examples")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
        {
            let expected = ex
                .get("expected")
                .and_then(|x| x.as_str())
                .unwrap_or_default();
            let Some(c) = expr.captures(expected.trim()) else {
                continue;
            };
            // (NumeralValue 3) · (simple Kilometre 3) · (DurationData 15 Minute)
            let (value, unit) = match (&c["a"], c.name("c")) {
                ("NumeralValue", _) => (c["b"].parse::<f64>().ok(), None),
                ("DurationData", Some(u)) => {
                    (c["b"].parse::<f64>().ok(), Some(u.as_str().to_string()))
                }
                ("Unnamed", _) => (c["b"].parse::<f64>().ok(), None),
                (u, _) => (
                    c["b"].parse::<f64>().ok(),
                    Some(duckling_unit(u).to_string()),
                ),
            };
            let Some(value) = value else { continue };
            for input in ex
                .get("inputs")
                .and_then(|x| x.as_array())
                .into_iter()
                .flatten()
            {
                let Some(text) = input.as_str() else { continue };
                cases.push(Case {
                    text: text.to_string(),
                    gold: vec![GoldQuantity {
                        start: 0,
                        end: text.chars().count(),
                        value: Some(value),
                        unit: unit.clone(),
                    }],
                    dimensions: Vec::new(),
                    single: true,
                });
            }
        }
        out.push((format!("{lang}/{dim}"), cases));
    }
    Ok(out)
}

fn duckling_unit(u: &str) -> &str {
    match u {
        "Kilometre" => "kilometre",
        "Metre" | "M" => "metre",
        "Centimetre" => "centimetre",
        "Millimetre" => "millimetre",
        "Mile" => "mile",
        "Foot" => "foot",
        "Inch" => "inch",
        "Yard" => "yard",
        "Gram" => "gram",
        "Pound" => "pound",
        "Ounce" => "ounce",
        "Litre" => "litre",
        "Millilitre" => "millilitre",
        "Gallon" => "gallon",
        "Celsius" | "Degree" => "degree Celsius",
        "Fahrenheit" => "degree Fahrenheit",
        "Dollar" => "USD",
        "Cent" => "cent",
        "Pound_" => "GBP",
        "Euro" | "EUR" => "EUR",
        "RUB" => "RUB",
        "GBP" => "GBP",
        "USD" => "USD",
        other => other,
    }
}

/// Every quantity set that is present under `root`, scored. Missing sets are skipped.
pub fn run_all(root: &Path) -> Vec<SetScore> {
    let mut out = Vec::new();
    for split in ["train", "trial"] {
        if let Ok(cases) = load_measeval(root, split) {
            out.push(score_set(&format!("MeasEval {split}"), &cases));
        }
    }
    if let Ok(models) = load_recognizers(root) {
        let mut all = Vec::new();
        for (name, cases) in models {
            out.push(score_set(&format!("Recognizers-Text EN {name}"), &cases));
            all.extend(cases);
        }
        out.push(score_set("Recognizers-Text EN NumberWithUnit (all)", &all));
    }
    if let Ok(cases) = load_quantulum(root) {
        out.push(score_set("quantulum3 tests", &cases));
    }
    for lang in ["RU", "EN"] {
        if let Ok(sections) = load_duckling(root, lang) {
            let mut all = Vec::new();
            for (name, cases) in sections {
                out.push(score_set(&format!("Duckling {name}"), &cases));
                all.extend(cases);
            }
            out.push(score_set(&format!("Duckling {lang} (all)"), &all));
        }
    }
    out
}

/// Result of the consistency test set.
#[derive(Debug, Clone, Default)]
pub struct ConsistencyScore {
    pub articles: usize,
    pub controls: usize,
    pub clean_controls: usize,
    pub counts: Counts,
    /// Per-file mismatches: (file, expected codes, found codes).
    pub mismatches: Vec<(String, Vec<String>, Vec<String>)>,
}

/// Score the consistency engine on a directory of `expect: …` articles: a found
/// code that the header lists is a true positive, one it does not list a false
/// positive, a listed code not found a false negative.
pub fn eval_consistency(dir: &Path) -> Result<ConsistencyScore, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut score = ConsistencyScore::default();
    for path in files {
        let raw = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let Some((header, body)) = raw.split_once("\n\n") else {
            continue;
        };
        let Some(list) = header.strip_prefix("expect:") else {
            continue;
        };
        let expected: Vec<String> = list
            .split_whitespace()
            .filter(|c| *c != "none")
            .map(str::to_string)
            .collect();
        let doc = Document::from_text(body);
        let qs = extract(&doc);
        let mut found: Vec<String> = sift::train::consistency::check(&doc, &qs, None)
            .into_iter()
            .map(|f| f.code.to_string())
            .collect();
        found.sort();
        found.dedup();
        score.articles += 1;
        if expected.is_empty() {
            score.controls += 1;
            if found.is_empty() {
                score.clean_controls += 1;
            }
        }
        let tp = found.iter().filter(|c| expected.contains(c)).count();
        score.counts.tp += tp;
        score.counts.fp += found.len() - tp;
        score.counts.fn_ += expected.iter().filter(|c| !found.contains(c)).count();
        if found != expected {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            score.mismatches.push((name, expected, found));
        }
    }
    Ok(score)
}

/// Per-code breakdown helper for reports: code → count of expected articles.
pub fn expected_codes(dir: &Path) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if let Ok(raw) = std::fs::read_to_string(e.path()) {
            if let Some(h) = raw.lines().next().and_then(|l| l.strip_prefix("expect:")) {
                for c in h.split_whitespace() {
                    *m.entry(c.to_string()).or_insert(0) += 1;
                }
            }
        }
    }
    m
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
            dimension: dimension.into(),
            si_value: None,
            si_unit: if dimension == "money" {
                Some("USD".into())
            } else {
                None
            },
            approx: false,
            bound: None,
            date: None,
            weekday: None,
        }
    }

    fn case(gold: Vec<GoldQuantity>) -> Case {
        Case {
            text: String::new(),
            gold,
            dimensions: Vec::new(),
            single: false,
        }
    }

    #[test]
    fn fused_measure_adjectives_keep_their_unit() {
        let month = q(0, 13, 6.0, Some("месячной"), "age");
        assert_eq!(predicted_unit_key(&month).as_deref(), Some("month"));
        let year = q(0, 13, 6.0, Some("years"), "age");
        assert_eq!(predicted_unit_key(&year).as_deref(), Some("year"));
    }

    #[test]
    fn counts_give_precision_recall_f1() {
        let c = Counts {
            tp: 3,
            fp: 1,
            fn_: 2,
        };
        assert!((c.precision() - 0.75).abs() < 1e-9);
        assert!((c.recall() - 0.6).abs() < 1e-9);
        assert!((c.f1() - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-9);
        assert_eq!(Counts::default().f1(), 0.0);
    }

    #[test]
    fn value_and_unit_matching() {
        let gold = vec![GoldQuantity {
            start: 10,
            end: 20,
            value: Some(14000.0),
            unit: Some("kilometre".into()),
        }];
        let c = case(gold);
        // right value, unit written differently
        let (v, vu) = score_case(&c, &[q(10, 27, 14000.0, Some("kilometers"), "length")]);
        assert_eq!((v.tp, vu.tp), (1, 1));
        // right value, wrong unit
        let (v, vu) = score_case(&c, &[q(10, 20, 14000.0, Some("miles"), "length")]);
        assert_eq!((v.tp, vu.tp, vu.fp, vu.fn_), (1, 0, 1, 1));
        // wrong value
        let (v, _) = score_case(&c, &[q(10, 20, 1400.0, Some("km"), "length")]);
        assert_eq!((v.tp, v.fp, v.fn_), (0, 1, 1));
        // no overlap: a false alarm and a miss
        let (v, _) = score_case(&c, &[q(30, 35, 14000.0, Some("km"), "length")]);
        assert_eq!((v.tp, v.fp, v.fn_), (0, 1, 1));
    }

    #[test]
    fn list_parts_inside_one_gold_span_are_not_false_alarms() {
        let c = case(vec![GoldQuantity {
            start: 0,
            end: 20,
            value: None,
            unit: None,
        }]);
        let (v, _) = score_case(
            &c,
            &[q(0, 4, 5.0, None, "number"), q(6, 8, 7.0, None, "number")],
        );
        assert_eq!((v.tp, v.fp, v.fn_), (1, 0, 0));
    }

    #[test]
    fn unit_keys_normalise_names_and_codes() {
        assert_eq!(unit_key("United States dollar"), "USD");
        assert_eq!(unit_key("Kilometer per hour"), "kilometre per hour");
        assert_eq!(unit_key("C"), "degree Celsius");
        assert_eq!(unit_key("participants"), "participant");
        assert_eq!(unit_key("km"), unit_key("kilometre"));
    }

    #[test]
    fn duckling_expressions_parse() {
        let Some(root) = crate::shared_or_skip("quantities/duckling_corpus_ru_en") else {
            return;
        };
        let root = root.parent().expect("quantities dir");
        let sections = load_duckling(root, "RU").expect("duckling");
        let distance = sections
            .iter()
            .find(|(n, _)| n == "RU/Distance")
            .expect("distance section");
        assert!(distance
            .1
            .iter()
            .any(|c| c.text == "3 км" && c.gold[0].value == Some(3.0)));
    }
}
