//! Quantities with units, normalised to SI (money to an ISO 4217 code).
//!
//! The extractor is a deterministic scanner, English and Russian:
//! 1. dates, times and years are found first (regexes compiled once), and their
//!    spans are reserved so their digits are not read again as bare numbers;
//! 2. numerals in digits (`14,000`, `14 000` with NBSP/thin spaces, `1,5`, `−3`,
//!    `2.4bn`) and in words (`fifteen`, `two dozen`, `a quarter`, `пятнадцать`,
//!    `полтора`, `тысяча`, Russian numerals in every case) become number tokens;
//! 3. each number token takes the words around it: a currency or `Mach` before it,
//!    a multiplier (`million`, `млрд`) and a unit after it (a lexicon of surface
//!    forms, Russian ones matched by stem so `километр/километра/километров` all
//!    resolve), approximation and bound words before it, a range partner after it;
//! 4. lists (`5, 7 and 9 km`) pass the last unit back to the bare numbers before it.

mod attach;
mod compounds;
mod dates;
mod numerals;
mod ranges;
mod scan;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_news;
mod units;
mod vague;

use crate::document::Document;
use crate::report::{Quantity, Report};

pub(crate) use scan::{clause_head, clause_tail};
pub use units::{parse_unit, UnitInfo, MACH_MPS};

use numerals::HALF_UNIT_WORDS;
use scan::Scanner;

/// A quantity under construction.
#[derive(Debug, Clone, Default)]
struct QuantityParts {
    start: usize,
    value: f64,
    raw_value: f64,
    multiplier: f64,
    low: Option<f64>,
    high: Option<f64>,
    unit: Option<String>,
    info: Option<UnitInfo>,
    dimension: &'static str,
    si_value: Option<f64>,
    si_unit: Option<String>,
    approx: bool,
    bound: Option<String>,
    date: Option<String>,
    weekday: Option<String>,
}

impl QuantityParts {
    fn bare(value: f64, dimension: &'static str) -> Self {
        QuantityParts {
            value,
            raw_value: value,
            multiplier: 1.0,
            dimension,
            ..Default::default()
        }
    }
    fn date(value: f64, iso: Option<String>, weekday: Option<String>) -> Self {
        QuantityParts {
            value,
            raw_value: value,
            multiplier: 1.0,
            dimension: "date",
            date: iso,
            weekday,
            ..Default::default()
        }
    }
    fn into_parts(self) -> Self {
        self
    }
}

/// Find every quantity in the document, in text order.
pub fn analyze(doc: &Document, _report: &Report) -> Vec<Quantity> {
    extract(doc)
}

/// The extractor itself, independent of earlier layers.
pub fn extract(doc: &Document) -> Vec<Quantity> {
    let mut s = Scanner::new(doc);
    s.dates();
    let toks = s.number_tokens();
    s.build(&toks);
    s.fused_measures();
    s.vague();
    let mut out = s.out;
    // Half-glued words (полчаса) carry their unit in the same word.
    for q in out.iter_mut() {
        if q.value == 0.5 && q.text == "пол" {
            let word_end = doc.text()[doc.byte_of(q.end)..]
                .find(|c: char| !c.is_alphabetic())
                .map(|p| doc.byte_of(q.end) + p)
                .unwrap_or(doc.text().len());
            let word = &doc.text()[doc.byte_of(q.start)..word_end];
            let lower = word.to_lowercase();
            if let Some((_, unit_stem)) = HALF_UNIT_WORDS.iter().find(|(h, _)| *h == lower) {
                let span = doc.span_of_bytes(doc.byte_of(q.start), word_end);
                q.end = span.end;
                q.text = word.to_string();
                if let Some(info) = parse_unit(unit_stem) {
                    q.unit = Some(unit_stem.to_string());
                    q.dimension = info.dimension.to_string();
                    q.si_unit = Some(info.si_unit.to_string());
                    q.si_value = Some(0.5 * info.factor);
                } else {
                    let scale = if unit_stem.starts_with("миллион") {
                        1e6
                    } else {
                        1e9
                    };
                    q.value = 0.5 * scale;
                }
            }
        }
    }
    // "a four-way race", "two-way street": the number names a kind, it counts nothing.
    out.retain(|q| {
        !(q.dimension == "number" && doc.text()[doc.byte_of(q.end)..].starts_with("-way"))
    });
    out.sort_by_key(|q| (q.start, q.end));
    out.dedup_by(|b, a| a.start == b.start && a.end == b.end);
    join_kopecks(doc, &mut out);
    out
}

/// «866 рублей 81 копейки»: roubles and kopecks written together are one amount.
fn join_kopecks(doc: &Document, out: &mut Vec<Quantity>) {
    let unit_starts = |q: &Quantity, stem: &str| {
        q.dimension == "money"
            && q.low.is_none()
            && q.unit
                .as_deref()
                .is_some_and(|u| u.to_lowercase().starts_with(stem))
    };
    let mut i = 0;
    while i + 1 < out.len() {
        let (a, b) = (&out[i], &out[i + 1]);
        let joined = unit_starts(a, "руб")
            && unit_starts(b, "коп")
            && b.value < 100.0
            && b.value.fract() == 0.0
            && a.end < b.start
            && doc.text()[doc.byte_of(a.end)..doc.byte_of(b.start)]
                .chars()
                .all(|c| c == ' ' || c == '\u{00A0}');
        if joined {
            let (kopecks, end) = (b.value, b.end);
            let a = &mut out[i];
            a.value += kopecks / 100.0;
            a.si_value = Some(a.value);
            a.text = doc.text()[doc.byte_of(a.start)..doc.byte_of(end)].to_string();
            a.end = end;
            out.remove(i + 1);
        }
        i += 1;
    }
}

/// The quantities layer: numbers with units, normalised.
pub struct QuantitiesLayer;

impl crate::pipeline::Layer for QuantitiesLayer {
    fn name(&self) -> &'static str {
        "quantities"
    }
    fn run(&self, doc: &Document, report: &mut Report) {
        report.quantities = analyze(doc, report);
    }
}
