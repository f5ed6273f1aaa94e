//! Russian measure adjectives fused with their numeral: «шестимесячный», «двухлетний»,
//! «трёхдневного», «двадцатипятилетний». The word is a number and a unit at once; its
//! hyphenated form («6-месячный») is read by the unit lexicon (`- месячн*`).

use std::sync::LazyLock;

use super::scan::Scanner;
use super::units::{parse_factor, parse_unit, UnitInfo};
use super::QuantityParts;
use crate::document::TokenKind;
use crate::lexicon;

/// The stems of `quantities-fused-measures.tsv`, by kind, in file order.
struct Stems {
    /// Tens, teens and «сто» (genitive), tried before the units.
    tens: Vec<(&'static str, f64)>,
    /// One to nine (genitive).
    units: Vec<(&'static str, f64)>,
    /// The measure stems a compound may end in.
    measures: Vec<&'static str>,
}

static STEMS: LazyLock<Stems> = LazyLock::new(|| {
    const NAME: &str = "quantities-fused-measures.tsv";
    let mut s = Stems {
        tens: Vec::new(),
        units: Vec::new(),
        measures: Vec::new(),
    };
    let text = include_str!("../../../lexicon/quantities-fused-measures.tsv");
    for r in lexicon::rows(NAME, text, 3) {
        match r[1] {
            "ten" => s.tens.push((r[0], parse_factor(NAME, r[2]))),
            "unit" => s.units.push((r[0], parse_factor(NAME, r[2]))),
            "measure" => s.measures.push(r[0]),
            other => panic!("lexicon {NAME}: unknown kind {other:?}"),
        }
    }
    s
});

/// The number and unit of a fused compound (lowercase), with the byte length of its
/// numeral part.
fn fused(lower: &str) -> Option<(f64, usize, UnitInfo)> {
    let stems = &*STEMS;
    let mut value = 0.0;
    let mut rest = lower;
    if let Some((p, v)) = stems.tens.iter().find(|(p, _)| rest.starts_with(p)) {
        value += v;
        rest = &rest[p.len()..];
    }
    // «двадцатипятилетний»: units after a round ten; none after a teen or «сто».
    let units_allowed = value == 0.0 || (20.0..100.0).contains(&value);
    if units_allowed {
        if let Some((p, v)) = stems.units.iter().find(|(p, _)| rest.starts_with(p)) {
            value += v;
            rest = &rest[p.len()..];
        }
    }
    if value == 0.0 || !stems.measures.iter().any(|s| rest.starts_with(s)) {
        return None;
    }
    let info = parse_unit(&format!("- {rest}"))?;
    Some((value, lower.len() - rest.len(), info))
}

impl Scanner<'_> {
    /// Add the fused measure compounds of the text.
    pub(super) fn fused_measures(&mut self) {
        if !self.russian {
            return;
        }
        let doc = self.doc;
        let mut found = Vec::new();
        for t in doc.tokens.iter().filter(|t| t.kind == TokenKind::Word) {
            let (b0, b1) = (doc.byte_of(t.start), doc.byte_of(t.end));
            // The shortest compound, «сто» + «летн» + an ending, is over 12 bytes; a
            // compound holds its measure stem (cheap to test before lowercasing).
            let word = &self.text[b0..b1];
            if b1 - b0 < 12 || !STEMS.measures.iter().any(|m| word.contains(m)) {
                continue;
            }
            let lower = doc.lower_of(t.span());
            let Some((value, numeral_len, info)) = fused(&lower) else {
                continue;
            };
            if self.is_taken(b0, b1) {
                continue;
            }
            let mut parts = QuantityParts::bare(value, info.dimension);
            parts.unit = Some(self.text[b0 + numeral_len..b1].to_string());
            parts.info = Some(info);
            parts.si_unit = Some(info.si_unit.to_string());
            parts.si_value = Some(value * info.factor);
            found.push((b0, b1, parts));
        }
        for (b0, b1, parts) in found {
            self.push(b0, b1, parts);
        }
    }
}
