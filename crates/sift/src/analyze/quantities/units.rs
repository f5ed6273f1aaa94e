//! The unit lexicon: units after a number, currency signs before it, multipliers.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::lexicon;

/// What the lexicon knows about a unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitInfo {
    /// Canonical unit name (`kilometre`, `hour`, `USD`).
    pub canonical: &'static str,
    /// One of the dimension names used in [`Quantity::dimension`].
    pub dimension: &'static str,
    /// `si = value * factor + offset`.
    pub factor: f64,
    pub offset: f64,
    /// SI unit, or ISO 4217 code for money, or `%`/`pp`/`year`.
    pub si_unit: &'static str,
}

/// Speed of sound used for Mach numbers (ISA sea level), m/s.
pub const MACH_MPS: f64 = 340.29;

/// A factor or offset as the lexicon writes it: a number, or `a / b`.
pub(super) fn parse_factor(list: &str, field: &str) -> f64 {
    let number = |t: &str| -> f64 {
        t.trim()
            .parse()
            .unwrap_or_else(|_| panic!("lexicon {list}: bad number {field:?}"))
    };
    match field.split_once('/') {
        Some((a, b)) => number(a) / number(b),
        None => number(field),
    }
}

/// One row of `quantities-units.tsv`: a surface pattern and its unit.
struct UnitRow {
    pattern: &'static str,
    info: UnitInfo,
}

/// The unit lexicon in file order (see the file's header for the pattern syntax).
fn unit_table() -> Vec<UnitRow> {
    const NAME: &str = "quantities-units.tsv";
    lexicon::rows(
        NAME,
        include_str!("../../../lexicon/quantities-units.tsv"),
        6,
    )
    .into_iter()
    .map(|r| UnitRow {
        pattern: r[0],
        info: UnitInfo {
            canonical: r[1],
            dimension: r[2],
            factor: parse_factor(NAME, r[3]),
            offset: parse_factor(NAME, r[4]),
            si_unit: r[5],
        },
    })
    .collect()
}

/// Currency signs and codes written before the number, in match order.
pub(super) static CURRENCY_PREFIX: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| {
        lexicon::rows(
            "quantities-currency-prefixes.tsv",
            include_str!("../../../lexicon/quantities-currency-prefixes.tsv"),
            2,
        )
        .into_iter()
        .map(|r| (r[0], r[1]))
        .collect()
    });

/// A multiplier written after the number ("4.2 billion", "2,4 млрд").
pub(super) struct Multiplier {
    pub(super) form: &'static str,
    pub(super) factor: f64,
    /// The form is a stem that takes up to three more letters (Russian case endings).
    pub(super) stem: bool,
}

pub(super) static MULTIPLIERS: LazyLock<Vec<Multiplier>> = LazyLock::new(|| {
    const NAME: &str = "quantities-multipliers.tsv";
    lexicon::rows(
        NAME,
        include_str!("../../../lexicon/quantities-multipliers.tsv"),
        3,
    )
    .into_iter()
    .map(|r| Multiplier {
        form: r[0],
        factor: parse_factor(NAME, r[1]),
        stem: match r[2] {
            "stem" => true,
            "exact" => false,
            other => panic!("lexicon {NAME}: match must be stem or exact, got {other:?}"),
        },
    })
    .collect()
});

struct UnitPattern {
    words: Vec<PatWord>,
    info: UnitInfo,
}

enum PatWord {
    Exact(&'static str),
    Stem(&'static str),
    Plural(&'static str),
}

impl PatWord {
    fn matches(&self, w: &str) -> bool {
        match self {
            PatWord::Exact(p) => w == *p,
            PatWord::Stem(p) => {
                w.starts_with(p) && w[p.len()..].chars().count() <= 4 && {
                    w[p.len()..].chars().all(|c| c.is_alphabetic())
                }
            }
            PatWord::Plural(p) => {
                w == *p
                    || (w.len() == p.len() + 1 && w.starts_with(p) && w.ends_with('s'))
                    || (w.len() == p.len() + 2 && w.starts_with(p) && w.ends_with("es"))
            }
        }
    }
}

/// Unit patterns indexed by the first char of their first word.
static UNIT_INDEX: LazyLock<HashMap<char, Vec<UnitPattern>>> = LazyLock::new(|| {
    let mut index: HashMap<char, Vec<UnitPattern>> = HashMap::new();
    for UnitRow { pattern, info } in unit_table() {
        let words: Vec<PatWord> = pattern
            .split(' ')
            .map(|w| {
                if let Some(s) = w.strip_suffix('*') {
                    PatWord::Stem(s)
                } else if let Some(s) = w.strip_suffix('?') {
                    PatWord::Plural(s)
                } else {
                    PatWord::Exact(w)
                }
            })
            .collect();
        let first = pattern.chars().next().expect("non-empty unit pattern");
        index
            .entry(first)
            .or_default()
            .push(UnitPattern { words, info });
    }
    // Longer patterns first so "km / h" beats "km"; stable sort keeps table order otherwise.
    for list in index.values_mut() {
        list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
    }
    index
});

/// A lowercase word or a single symbol following a number, with its byte end
/// relative to the scanned slice.
#[derive(Debug)]
pub(super) struct LookWord {
    pub(super) text: String,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Up to `max` words/symbols from the start of `s`, on the same line.
pub(super) fn look_words(s: &str, max: usize) -> Vec<LookWord> {
    let mut out = Vec::with_capacity(max);
    let mut it = s.char_indices().peekable();
    while out.len() < max {
        let Some(&(i, c)) = it.peek() else { break };
        if c == '\n' {
            break;
        }
        if c.is_whitespace() {
            it.next();
            continue;
        }
        if c.is_alphabetic() {
            let mut end = i;
            let mut text = String::new();
            while let Some(&(j, d)) = it.peek() {
                if d.is_alphabetic() {
                    text.extend(d.to_lowercase());
                    end = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            out.push(LookWord {
                text,
                start: i,
                end,
            });
        } else {
            it.next();
            let mut text = String::new();
            text.extend(c.to_lowercase());
            out.push(LookWord {
                text,
                start: i,
                end: i + c.len_utf8(),
            });
        }
    }
    out
}

/// Match the unit lexicon at the start of `words`; returns the unit and how many
/// words it took.
pub(super) fn match_unit(words: &[LookWord]) -> Option<(UnitInfo, usize)> {
    let first = words.first()?.text.chars().next()?;
    let list = UNIT_INDEX.get(&first)?;
    'pattern: for p in list {
        if p.words.len() > words.len() {
            continue;
        }
        for (k, (pw, w)) in p.words.iter().zip(words).enumerate() {
            if !pw.matches(&w.text) {
                continue 'pattern;
            }
            // "m2" is square metres; "12 m 2 dm" is not.
            if k > 0 && w.text.chars().all(|c| c.is_ascii_digit()) && w.start != words[k - 1].end {
                continue 'pattern;
            }
        }
        // The word after a one-letter or symbol unit must not continue a word
        // ("5 m" is metres, but "5 mice" is not: the lexicon word must be whole).
        return Some((p.info, p.words.len()));
    }
    None
}

/// Look up a unit written on its own ("kilometres", "km/h", "долларов"): the
/// lexicon the extractor uses, exposed for evaluators.
pub fn parse_unit(surface: &str) -> Option<UnitInfo> {
    let words = look_words(surface.trim(), 6);
    let (info, n) = match_unit(&words)?;
    (n == words.len()).then_some(info)
}

pub(super) fn currency_info(code: &str) -> UnitInfo {
    let canonical: &'static str = match code {
        "USD" => "USD",
        "EUR" => "EUR",
        "GBP" => "GBP",
        "RUB" => "RUB",
        "JPY" => "JPY",
        "CNY" => "CNY",
        "UAH" => "UAH",
        "CAD" => "CAD",
        "AUD" => "AUD",
        "HKD" => "HKD",
        "NZD" => "NZD",
        "BRL" => "BRL",
        _ => "XXX",
    };
    UnitInfo {
        canonical,
        dimension: "money",
        factor: 1.0,
        offset: 0.0,
        si_unit: canonical,
    }
}
