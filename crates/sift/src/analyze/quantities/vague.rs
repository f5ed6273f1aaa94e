//! Amounts written without a figure: "tens of thousands", "dozens", «сотни тысяч»,
//! "half the money". Each reads as the multiplier it names, marked approximate.

use std::sync::LazyLock;

use regex::Regex;

use super::scan::{overlaps_sorted, Scanner};
use super::units::{look_words, match_unit, parse_factor, UnitInfo};
use super::QuantityParts;
use crate::lexicon;

struct Vague {
    /// Lowercase phrase, words separated by single spaces.
    phrase: &'static str,
    value: f64,
    /// Words one of which must follow (empty: none needed).
    next: Vec<&'static str>,
}

const NAME: &str = "quantities-vague-multipliers.tsv";

static VAGUE: LazyLock<Vec<Vague>> = LazyLock::new(|| {
    lexicon::rows(
        NAME,
        include_str!("../../../lexicon/quantities-vague-multipliers.tsv"),
        3,
    )
    .into_iter()
    .map(|r| Vague {
        phrase: r[0],
        value: parse_factor(NAME, r[1]),
        next: if r[2] == "-" {
            Vec::new()
        } else {
            r[2].split('|').collect()
        },
    })
    .collect()
});

/// All phrases as one alternation, longest first, any spacing. Whole words are checked
/// after the match, not with `\b`: a Unicode word boundary keeps the regex crate off its
/// DFA on any non-ASCII text, which made this scan the slowest part of the pipeline.
static VAGUE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let mut phrases: Vec<&str> = VAGUE.iter().map(|v| v.phrase).collect();
    phrases.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
    let alts: Vec<String> = phrases
        .iter()
        .map(|p| {
            p.split(' ')
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+")
        })
        .collect();
    Regex::new(&format!(r"(?i)(?:{})", alts.join("|"))).expect("vague regex")
});

impl Scanner<'_> {
    /// Add the vague amounts that no date, time or other quantity already covers.
    pub(super) fn vague(&mut self) {
        let mut covered: Vec<(usize, usize)> = self
            .out
            .iter()
            .map(|q| (self.doc.byte_of(q.start), self.doc.byte_of(q.end)))
            .chain(self.taken.iter().copied())
            .collect();
        covered.sort_unstable();
        // Keep the ranges disjoint for the binary search: merge overlaps.
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(covered.len());
        for (s, e) in covered {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        let text = self.text;
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(m) = VAGUE_RE.find_at(text, at) {
            let word_before = text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let word_after = text[m.end()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            if word_before || word_after {
                // Inside a longer word: look again from the next character, so that a
                // whole-word phrase starting inside this match is still found.
                at = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            at = m.end();
            if overlaps_sorted(&merged, m.start(), m.end()) {
                continue;
            }
            let key = m
                .as_str()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            let Some(v) = VAGUE.iter().find(|v| v.phrase == key) else {
                continue;
            };
            if !v.next.is_empty() {
                let next: String = text[m.end()..]
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphabetic())
                    .collect::<String>()
                    .to_lowercase();
                if !v.next.contains(&next.as_str()) {
                    continue;
                }
            }
            // A figure right before it makes it a multiplier ("3 тысячи"), read elsewhere.
            let before = text[..m.start()].trim_end();
            if before.ends_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let mut parts = QuantityParts::bare(v.value, "number");
            parts.approx = v.value != 0.5;
            let mut end = m.end();
            if let Some((surface, info, unit_end)) = unit_after_vague(&text[end..]) {
                parts.unit = Some(surface);
                parts.info = Some(info);
                parts.dimension = info.dimension;
                parts.si_unit = Some(info.si_unit.to_string());
                parts.si_value = Some(if info.dimension == "money" {
                    v.value * info.factor
                } else {
                    v.value * info.factor + info.offset
                });
                end += unit_end;
            }
            found.push((m.start(), end, parts));
        }
        for (b0, b1, parts) in found {
            self.push(b0, b1, parts);
        }
    }
}

/// The unit right after a vague amount («миллиарды рублей», "millions of dollars", "half a
/// percentage point"): its surface, what it is, and the byte end relative to `after`.
/// English plurals take their unit through "of", `half` through "a"/"an".
fn unit_after_vague(after: &str) -> Option<(String, UnitInfo, usize)> {
    let words = look_words(after, 6);
    let first = words.first()?;
    if !after[..first.start]
        .chars()
        .all(|c| c == ' ' || c == '\u{00A0}')
    {
        return None;
    }
    let skip = usize::from(matches!(first.text.as_str(), "of" | "a" | "an"));
    let rest = &words[skip..];
    let (info, n) = match_unit(rest)?;
    let last = &rest[n - 1];
    // Whole words only, and no date: "thousands of years" is a duration, not a year.
    let word_after = after[last.end..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric);
    if word_after || !last.text.chars().all(char::is_alphabetic) || info.dimension == "date" {
        return None;
    }
    let surface = after[rest[0].start..last.end].to_string();
    Some((surface, info, last.end))
}
