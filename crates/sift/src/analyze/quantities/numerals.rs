//! Numbers written in digits and in words.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::scan::{overlaps_sorted, NumTok, Scanner};
use super::units::{look_words, match_unit, parse_factor};
use crate::document::TokenKind;
use crate::lexicon;

#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum NumWord {
    /// 0–999 that adds to the running value.
    Add(f64),
    /// `hundred`: multiplies the running value.
    Hundred,
    /// thousand, million, …: closes a group.
    Scale(f64),
    /// `dozen`: ×12.
    Dozen,
    /// A fraction noun after `a`/`one`/a count: quarter, third, half.
    Fraction(f64),
    /// `a`, `an`: starts a number only before a scale/dozen/fraction.
    Article,
    /// `and`: joins numerals in English ("two hundred and five", "one and a half").
    And,
}

/// The numeral table is looked up once per word, and SipHash's DoS resistance buys
/// nothing for a fixed table of our own.
type FastBuild = rustc_hash::FxBuildHasher;

pub(super) static NUM_WORDS: LazyLock<HashMap<&'static str, NumWord, FastBuild>> =
    LazyLock::new(|| {
        const NAME: &str = "quantities-number-words.tsv";
        let text = include_str!("../../../lexicon/quantities-number-words.tsv");
        lexicon::rows(NAME, text, 3)
            .into_iter()
            .map(|r| {
                let value = parse_factor(NAME, r[2]);
                let kind = match r[1] {
                    "add" => NumWord::Add(value),
                    "hundred" => NumWord::Hundred,
                    "scale" => NumWord::Scale(value),
                    "dozen" => NumWord::Dozen,
                    "fraction" => NumWord::Fraction(value),
                    "article" => NumWord::Article,
                    "and" => NumWord::And,
                    other => panic!("lexicon {NAME}: unknown kind {other:?}"),
                };
                (r[0], kind)
            })
            .collect()
    });

/// Words glued to a unit that mean "half a …" (полчаса = 0.5 h): (word, unit halved).
pub(super) static HALF_UNIT_WORDS: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| {
        lexicon::rows(
            "quantities-half-units.tsv",
            include_str!("../../../lexicon/quantities-half-units.tsv"),
            2,
        )
        .into_iter()
        .map(|r| (r[0], r[1]))
        .collect()
    });

pub(super) static DIGIT_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:[-−–])?
        (?:
            \d+(?:\.\d+)?[eE][-+−]?\d+(?-u:\b)               # 4e14  9.83e-3
          | \d{1,3}\x20\d{1,2}/\d{1,2}(?-u:\b)              # 10 1/2
          | \d{1,3}(?:,\d{3})+(?:\.\d+)?            # 14,000  1,500,000.5
          | \d{1,3}(?:[\u{00A0}\u{2009}\u{202F}\u{2007}\x20]\d{3})+(?:[.,]\d+)?   # 14 000
          | \d{1,3}(?:\.\d{3}){2,}                  # 1.500.000 (continental grouping)
          | \d+(?:[.,]\d+)?                         # 14.5  1,5  2019
        )
        (?:\s?/\s?\d+)?                             # 1/2
        ",
    )
    .expect("digit regex")
});

/// Denominators of fractions written with a slash ("1/2", "3/4", "10 1/2").
const FRACTION_DENOMINATORS: [f64; 12] = [
    2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 16.0, 32.0, 64.0, 100.0,
];

pub(super) fn parse_digits(s: &str, russian: bool) -> Option<f64> {
    let mut neg = false;
    let mut t = s.trim();
    if let Some(r) = t
        .strip_prefix('-')
        .or_else(|| t.strip_prefix('−'))
        .or_else(|| t.strip_prefix('–'))
    {
        neg = true;
        t = r.trim_start();
    }
    if let Some((a, b)) = t.split_once('/') {
        let (whole, a) = match a.trim().split_once(' ') {
            Some((w, f)) => (w.parse::<f64>().ok()?, f),
            None => (0.0, a),
        };
        let a: f64 = a.trim().parse().ok()?;
        let b: f64 = b.trim().parse().ok()?;
        // A fraction is a proper one over a usual denominator; "9/11" and "24/7" are names.
        if a >= b || !FRACTION_DENOMINATORS.contains(&b) {
            return None;
        }
        let v = whole + a / b;
        return Some(if neg { -v } else { v });
    }
    if t.contains(['e', 'E']) {
        let v: f64 = t.replace('−', "-").parse().ok()?;
        return Some(if neg { -v } else { v });
    }
    let spaceless: String = t
        .chars()
        .filter(|c| !matches!(c, '\u{00A0}' | '\u{2009}' | '\u{202F}' | '\u{2007}' | ' '))
        .collect();
    let commas = spaceless.matches(',').count();
    let dots = spaceless.matches('.').count();
    let normal = if dots >= 2 {
        spaceless.replace('.', "").replace(',', ".")
    } else if commas == 0 {
        spaceless
    } else if commas == 1 && dots == 0 {
        // "1,5" is a decimal in Russian; "14,000" is grouping in English.
        let (_, frac) = spaceless.split_once(',').unwrap_or(("", ""));
        if russian || frac.len() != 3 {
            spaceless.replace(',', ".")
        } else {
            spaceless.replace(',', "")
        }
    } else {
        spaceless.replace(',', "")
    };
    let v: f64 = normal.parse().ok()?;
    Some(if neg { -v } else { v })
}

impl Scanner<'_> {
    /// Numerals written as words, outside the digit numbers already found.
    pub(super) fn word_numbers(&self, digit_toks: &[NumTok]) -> Vec<NumTok> {
        let doc = self.doc;
        let mut out = Vec::new();
        let taken = &self.taken;
        let digits: Vec<(usize, usize)> = digit_toks.iter().map(|d| (d.b0, d.b1)).collect();
        // Every word token (and every part of a hyphenated one: "six-mile", "twenty-five")
        // that is a numeral word. Written as a plain loop: this runs over every token of
        // every document, so it must not allocate for the words it rejects.
        let mut words: Vec<(usize, usize, Cow<'_, str>)> = Vec::new();
        for t in doc.tokens.iter().filter(|t| t.kind == TokenKind::Word) {
            let (b0, b1) = (doc.byte_of(t.start), doc.byte_of(t.end));
            // Borrowed from the document's lower-cased copy, which keeps byte offsets.
            let token_lower = doc.lower_of(t.span());
            let mut checked_overlap = false;
            let mut from = b0;
            for part in self.text[b0..b1].split('-') {
                let (p0, p1) = (from, from + part.len());
                from = p1 + 1;
                // Numerals are short.
                if part.is_empty() || part.len() > 32 {
                    continue;
                }
                let lower: Cow<'_, str> = match &token_lower {
                    Cow::Borrowed(l) => Cow::Borrowed(&l[p0 - b0..p1 - b0]),
                    Cow::Owned(_) => Cow::Owned(part.to_lowercase()),
                };
                if NUM_WORDS.contains_key(lower.as_ref())
                    || HALF_UNIT_WORDS.iter().any(|(h, _)| *h == lower.as_ref())
                {
                    // The whole word must lie outside dates, times and digit numbers.
                    if !checked_overlap {
                        if overlaps_sorted(taken, b0, b1) || overlaps_sorted(&digits, b0, b1) {
                            break;
                        }
                        checked_overlap = true;
                    }
                    words.push((p0, p1, lower));
                }
            }
        }
        let mut i = 0;
        while i < words.len() {
            if let Some((v, n)) = self.parse_word_number(&words, i) {
                let b0 = words[i].0;
                let b1 = words[i + n - 1].1;
                out.push(NumTok {
                    b0,
                    b1,
                    value: v,
                    digits: false,
                    year_like: false,
                });
                i += n;
            } else {
                // полчаса, полгода: a half glued to its unit.
                let w = words[i].2.as_ref();
                if HALF_UNIT_WORDS.iter().any(|(h, _)| *h == w) {
                    out.push(NumTok {
                        b0: words[i].0,
                        b1: words[i].0 + "пол".len(),
                        value: 0.5,
                        digits: false,
                        year_like: false,
                    });
                }
                i += 1;
            }
        }
        out
    }

    /// A numeral phrase starting at word `i`: its value and length in words.
    pub(super) fn parse_word_number(
        &self,
        words: &[(usize, usize, Cow<'_, str>)],
        i: usize,
    ) -> Option<(f64, usize)> {
        use NumWord::*;
        let adjacent = |a: usize, b: usize| -> bool {
            // Only spaces (or a hyphen) between two words of one numeral.
            self.text[words[a].1..words[b].0]
                .chars()
                .all(|c| c == ' ' || c == '-' || c == '\u{00A0}')
        };
        let mut total = 0.0;
        let mut current = 0.0;
        let mut seen = false;
        let mut n = 0;
        let mut j = i;
        let mut last_kind: Option<NumWord> = None;
        let mut fraction_done = false;
        while j < words.len() {
            if j > i && !adjacent(j - 1, j) {
                break;
            }
            let w = &words[j].2;
            // "twenty-five", "one-third": split hyphenated English numerals.
            let parts: Vec<&str> = if w.contains('-') {
                w.split('-').collect()
            } else {
                vec![w.as_ref()]
            };
            let mut kinds = Vec::with_capacity(parts.len());
            for p in &parts {
                match NUM_WORDS.get(p) {
                    Some(k) => kinds.push(*k),
                    None => {
                        kinds.clear();
                        break;
                    }
                }
            }
            if kinds.is_empty() {
                break;
            }
            let mut ok = true;
            for k in kinds {
                match k {
                    Add(v) => {
                        if fraction_done {
                            ok = false;
                            break;
                        }
                        // "five six" is two numbers; "twenty five" is one.
                        if seen && current > 0.0 {
                            let rem100 = current % 100.0;
                            let bad = if v < 10.0 {
                                rem100 % 10.0 != 0.0 || (rem100 > 0.0 && rem100 < 20.0)
                            } else if v < 100.0 {
                                rem100 != 0.0
                            } else {
                                current % 1000.0 != 0.0
                            };
                            if bad {
                                ok = false;
                                break;
                            }
                        }
                        current += v;
                        seen = true;
                    }
                    Hundred => {
                        if !seen && last_kind != Some(Article) {
                            ok = false;
                            break;
                        }
                        current = if current == 0.0 {
                            100.0
                        } else {
                            current * 100.0
                        };
                        seen = true;
                    }
                    Scale(s) => {
                        if !seen && last_kind != Some(Article) && !self.russian_scale_alone(w) {
                            ok = false;
                            break;
                        }
                        total += if current == 0.0 { 1.0 } else { current } * s;
                        current = 0.0;
                        seen = true;
                    }
                    Dozen => {
                        if !seen && last_kind != Some(Article) {
                            ok = false;
                            break;
                        }
                        current = if current == 0.0 { 12.0 } else { current * 12.0 };
                        seen = true;
                    }
                    Fraction(f) => {
                        // "a quarter", "two thirds", "one and a half", "четверть".
                        let after_article = last_kind == Some(Article);
                        let russian_word = w.chars().next().is_some_and(|c| c > '\u{400}');
                        if !(after_article || seen || russian_word) {
                            ok = false;
                            break;
                        }
                        if seen && !after_article {
                            current *= f;
                        } else {
                            current += f;
                        }
                        seen = true;
                        fraction_done = true;
                    }
                    Article => {
                        // "one and a half": the article after "and".
                        if seen && last_kind != Some(And) {
                            ok = false;
                            break;
                        }
                    }
                    And => {
                        if !seen {
                            ok = false;
                            break;
                        }
                    }
                }
                last_kind = Some(k);
            }
            if !ok {
                break;
            }
            j += 1;
            if seen && !matches!(last_kind, Some(And) | Some(Article)) {
                n = j - i;
            }
        }
        if n == 0 || !seen {
            return None;
        }
        let value = total + current;
        // Bare "one"/"a"/"один" read as numbers only before a unit (checked later);
        // "one of", "no one" are pronouns.
        let first = words[i].2.as_ref();
        if n == 1
            && matches!(
                first,
                "one"
                    | "один"
                    | "одна"
                    | "одно"
                    | "одну"
                    | "одного"
                    | "одной"
                    | "одним"
                    | "одном"
                    | "одному"
            )
        {
            let after = &self.text[words[i].1..];
            let next = look_words(after, 2);
            let unit_next = match_unit(&next).is_some();
            if !unit_next {
                return None;
            }
        }
        Some((value, n))
    }

    pub(super) fn russian_scale_alone(&self, w: &str) -> bool {
        matches!(w, "тысяча" | "тысячу" | "миллион" | "миллиард")
    }
}
