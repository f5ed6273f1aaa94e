//! The scanner: its working state, the digit windows that bound every regex search, and number tokens.

use std::sync::LazyLock;

use regex::Regex;

use super::numerals::{parse_digits, DIGIT_NUMBER};
use super::QuantityParts;
use crate::document::{Document, Span};
use crate::report::Quantity;

pub(super) static ORDINAL_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:st|nd|rd|th|-?(?:й|я|е|го|ого|ому|ым|ом|ая|ой|ый|ий|ое|ые|ых)|-(?:ти|ми|х|му|м))\b",
    )
    .expect("ordinal regex")
});

/// Numbers that name a figure, table, section or article rather than measure anything.
pub(super) static REFERENCE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bfigs?\.|\bfigures?|\btables?|\beqs?\.|\bequations?|\bsections?|\bchapters?|\bno\.|№|\bpp?\.|\bрис\.|\bтабл\.|\bстр\.|\bст\.|\bстатьи|\bстатья|\barticle|\bitem|\bpart)\s*$")
        .expect("reference regex")
});

/// Telephone numbers ("800-273-8255", "(202) 456-1111"): digits that count nothing.
static PHONE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\(\d{3}\)\s?|(?-u:\b)\d{3}[-.])\d{3}-\d{4}(?-u:\b)").expect("phone regex")
});

#[derive(Debug, Clone)]
pub(super) struct NumTok {
    /// Byte range in the text.
    pub(super) b0: usize,
    pub(super) b1: usize,
    pub(super) value: f64,
    /// Written with digits (vs words).
    pub(super) digits: bool,
    /// A bare 4-digit integer in 1000..=2100 written without separators.
    pub(super) year_like: bool,
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The extractor's working state for one document.
pub(super) struct Scanner<'a> {
    pub(super) doc: &'a Document,
    pub(super) text: &'a str,
    pub(super) russian: bool,
    /// Byte ranges already taken by dates and times, sorted and disjoint.
    pub(super) taken: Vec<(usize, usize)>,
    /// Byte windows around the text's digits (see [`digit_windows`]): every pattern that
    /// needs a digit is searched only there.
    pub(super) digit_windows: Vec<(usize, usize)>,
    pub(super) out: Vec<Quantity>,
}

/// How far (bytes) a digit-bearing match can reach from its digits: a weekday, a month name
/// and "the"/"of" before the day, or a year and «года» after it, with room to spare.
const DIGIT_REACH: usize = 96;

/// Merged byte windows of `DIGIT_REACH` around every ASCII digit of `text`. Every date,
/// time and number pattern contains a digit, so searching only these windows finds exactly
/// the matches a scan of the whole text finds — and most prose has no digit at all.
pub(super) fn digit_windows(text: &str) -> Vec<(usize, usize)> {
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for (i, b) in text.bytes().enumerate() {
        if !b.is_ascii_digit() {
            continue;
        }
        let start = floor_boundary(text, i.saturating_sub(DIGIT_REACH));
        let end = ceil_boundary(text, (i + 1 + DIGIT_REACH).min(text.len()));
        match windows.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => windows.push((start, end)),
        }
    }
    windows
}

/// Leftmost-first matches inside the windows, with offsets into `text`: `search(haystack,
/// at)` is a regex search that starts at `at`, and `bounds` gives a match's byte range.
/// Look-around (`^`, `\b`) sees the text before each window, as in a whole-text scan.
pub(super) fn search_windows<'t, T>(
    text: &'t str,
    windows: &[(usize, usize)],
    search: impl Fn(&'t str, usize) -> Option<T>,
    bounds: impl Fn(&T) -> (usize, usize),
) -> Vec<T> {
    let mut out = Vec::new();
    for &(start, end) in windows {
        let haystack = &text[..end];
        let mut at = start;
        while at <= end {
            let Some(found) = search(haystack, at) else {
                break;
            };
            let (m0, m1) = bounds(&found);
            at = if m1 > m0 {
                m1
            } else {
                ceil_boundary(text, m1 + 1)
            };
            out.push(found);
        }
    }
    out
}

pub(super) fn captures_in_windows<'t>(
    re: &Regex,
    text: &'t str,
    windows: &[(usize, usize)],
) -> Vec<regex::Captures<'t>> {
    search_windows(
        text,
        windows,
        |h, at| re.captures_at(h, at),
        |c| c.get(0).map_or((0, 0), |m| (m.start(), m.end())),
    )
}

pub(super) fn matches_in_windows<'t>(
    re: &Regex,
    text: &'t str,
    windows: &[(usize, usize)],
) -> Vec<regex::Match<'t>> {
    search_windows(
        text,
        windows,
        |h, at| re.find_at(h, at),
        |m| (m.start(), m.end()),
    )
}

impl<'a> Scanner<'a> {
    pub(super) fn new(doc: &'a Document) -> Self {
        // How digits are read ("1,5" as 1.5 or "14,000" as 14000) follows the script of
        // the text itself, never the language label: `--lang ru` on an English article
        // must not turn "9,000 kilometres" into 9 km.
        let russian = doc
            .text()
            .chars()
            .filter(|c| matches!(c, 'а'..='я'))
            .count()
            * 4
            > doc.text().len() / 2;
        Scanner {
            doc,
            text: doc.text(),
            russian,
            taken: Vec::new(),
            digit_windows: digit_windows(doc.text()),
            out: Vec::new(),
        }
    }

    /// Whether `[b0, b1)` overlaps a date or time already found (a binary search: the
    /// taken ranges are kept sorted and never overlap one another).
    pub(super) fn is_taken(&self, b0: usize, b1: usize) -> bool {
        overlaps_sorted(&self.taken, b0, b1)
    }

    /// Reserve `[b0, b1)` for a date or time; callers check [`Self::is_taken`] first.
    pub(super) fn take(&mut self, b0: usize, b1: usize) {
        let at = self.taken.partition_point(|&(s, _)| s < b0);
        self.taken.insert(at, (b0, b1));
    }

    pub(super) fn span(&self, b0: usize, b1: usize) -> Span {
        self.doc.span_of_bytes(b0, b1)
    }

    pub(super) fn push(&mut self, b0: usize, b1: usize, q: QuantityParts) {
        let span = self.span(b0, b1);
        self.out.push(Quantity {
            start: span.start,
            end: span.end,
            text: self.text[b0..b1].to_string(),
            value: q.value,
            low: q.low,
            high: q.high,
            unit: q.unit,
            dimension: q.dimension.to_string(),
            si_value: q.si_value,
            si_unit: q.si_unit,
            approx: q.approx,
            bound: q.bound,
            date: q.date,
            weekday: q.weekday,
        });
    }
}

impl Scanner<'_> {
    pub(super) fn number_tokens(&self) -> Vec<NumTok> {
        let mut toks = Vec::new();
        let bytes = self.text.as_bytes();
        let phones: Vec<(usize, usize)> =
            matches_in_windows(&PHONE_NUMBER, self.text, &self.digit_windows)
                .iter()
                .map(|m| (m.start(), m.end()))
                .collect();
        for m in matches_in_windows(&DIGIT_NUMBER, self.text, &self.digit_windows) {
            let (mut b0, mut b1) = (m.start(), m.end());
            if self.is_taken(b0, b1) || overlaps_sorted(&phones, b0, b1) {
                continue;
            }
            // A grouping read stopped inside a longer decimal ("73,6824" is 73.6824,
            // not 73,682 and a 4): take the whole run of digits.
            if m.as_str().contains(',') && bytes.get(b1).is_some_and(u8::is_ascii_digit) {
                while bytes.get(b1).is_some_and(u8::is_ascii_digit) {
                    b1 += 1;
                }
            }
            let s = m.as_str();
            let starts_with_sign = s.starts_with(['-', '−', '–']);
            // A sign is a minus only after a space, an opening bracket or the start.
            let after_number = self.text[..b0]
                .trim_end()
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit());
            if starts_with_sign && after_number {
                b0 += s.chars().next().expect("sign").len_utf8();
                while self.text[b0..].starts_with(char::is_whitespace) {
                    b0 += 1;
                }
            } else if starts_with_sign {
                let prev = self.text[..b0].chars().next_back();
                if prev.is_some_and(|c| !c.is_whitespace() && !matches!(c, '(' | '[' | '«' | '"'))
                {
                    b0 += s.chars().next().expect("sign").len_utf8();
                    while self.text[b0..].starts_with(char::is_whitespace) {
                        b0 += 1;
                    }
                }
            }
            // Not inside a word or code ("MH17", "F-35", "COVID-19", "G7").
            let prev = self.text[..b0].chars().next_back();
            let before_prev = prev.and_then(|p| self.text[..b0 - p.len_utf8()].chars().next_back());
            if prev.is_some_and(|c| {
                c.is_alphabetic()
                    || matches!(c, '_' | '/' | '@' | '=')
                    || c == '.'
                        && before_prev.is_some_and(|d| d.is_ascii_digit() || d.is_alphabetic())
            }) {
                continue;
            }
            if prev == Some('-') {
                let before = self.text[..b0 - 1].chars().next_back();
                if before.is_some_and(|c| c.is_alphabetic()) {
                    continue;
                }
            }
            // Ordinals ("21st", "3rd", "5-й", "10-го") are positions, not quantities.
            let tail = &self.text[b1..ceil_boundary(self.text, (b1 + 8).min(self.text.len()))];
            if ORDINAL_AFTER.is_match(tail) || ordinal_range_after(&self.text[b1..]) {
                continue;
            }
            let lead = &self.text[floor_boundary(self.text, b0.saturating_sub(16))..b0];
            if REFERENCE_BEFORE.is_match(lead) {
                continue;
            }
            // Part of a code that goes on with letters and digits ("92mOg1XNqu" in a link).
            let word_end = self.text[b1..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(self.text.len(), |p| b1 + p);
            let glued = &self.text[b1..word_end];
            if glued.chars().next().is_some_and(char::is_alphabetic)
                && glued.chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            let raw = &self.text[b0..b1];
            let raw_trim = raw.trim_end();
            let b1 = b0 + raw_trim.len();
            let Some(value) = parse_digits(raw_trim, self.russian) else {
                continue;
            };
            // «21 века», «в 5 веке»: a century named by its number is a position in time
            // (a count of centuries from five up would say «веков»).
            if (5.0..=21.0).contains(&value)
                && value.fract() == 0.0
                && century_after(&self.text[b1..])
            {
                continue;
            }
            let year_like = raw_trim.len() == 4
                && raw_trim.bytes().all(|b| b.is_ascii_digit())
                && (1000.0..=2100.0).contains(&value);
            toks.push(NumTok {
                b0,
                b1,
                value,
                digits: true,
                year_like,
            });
        }
        let mut words = self.word_numbers(&toks);
        toks.append(&mut words);
        toks.sort_by_key(|t| t.b0);
        for t in toks.iter_mut() {
            self.and_a_half(t);
        }
        toks
    }

    /// «два с половиной раза», «3 с половиной года»: a whole number and a half.
    fn and_a_half(&self, t: &mut NumTok) {
        if t.value.fract() != 0.0 {
            return;
        }
        let rest = &self.text[t.b1..];
        let Some(after_space) = rest.strip_prefix([' ', '\u{00A0}']) else {
            return;
        };
        let Some(after) = after_space
            .strip_prefix("с половиной")
            .or_else(|| after_space.strip_prefix("с\u{00A0}половиной"))
        else {
            return;
        };
        if after.chars().next().is_some_and(char::is_alphanumeric) {
            return;
        }
        t.value += 0.5;
        t.b1 = self.text.len() - after.len();
    }
}

/// A dash and a number with an ordinal ending after a number: "3 – 6-ой", "5-7th" — the
/// first number is an ordinal too.
fn ordinal_range_after(rest: &str) -> bool {
    let r = rest.trim_start_matches(' ');
    let Some(r) = r.strip_prefix(['-', '–', '—', '−']) else {
        return false;
    };
    let r = r.trim_start_matches(' ');
    let digits = r.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return false;
    }
    let tail = &r[digits..];
    let tail = &tail[..ceil_boundary(tail, tail.len().min(8))];
    ORDINAL_AFTER.is_match(tail)
}

/// «век», «века», «веке», «веку», «веком» right after a number, as a whole word.
fn century_after(rest: &str) -> bool {
    let Some(r) = rest.strip_prefix([' ', '\u{00A0}']) else {
        return false;
    };
    let Some(r) = r.strip_prefix("век") else {
        return false;
    };
    let r = r
        .strip_prefix("ом")
        .or_else(|| r.strip_prefix(['а', 'е', 'у']))
        .unwrap_or(r);
    !r.chars().next().is_some_and(char::is_alphanumeric)
}

/// Whether `[b0, b1)` overlaps any of the sorted, non-nested ranges.
pub(super) fn overlaps_sorted(ranges: &[(usize, usize)], b0: usize, b1: usize) -> bool {
    let i = ranges.partition_point(|&(_, e)| e <= b0);
    ranges.get(i).is_some_and(|&(s, _)| s < b1)
}

/// The part of `s` after its last sentence or clause break.
pub(crate) fn clause_tail(s: &str) -> &str {
    match s.rfind(['.', '!', '?', ';', '\n']) {
        Some(p) => &s[p + 1..],
        None => s,
    }
}

/// The part of `s` before its first sentence or clause break.
pub(crate) fn clause_head(s: &str) -> &str {
    match s.find(['.', '!', '?', ';', '\n']) {
        Some(p) => &s[..p],
        None => s,
    }
}

pub(super) fn floor_boundary(s: &str, mut b: usize) -> usize {
    while b > 0 && !s.is_char_boundary(b) {
        b -= 1;
    }
    b
}

pub(super) fn ceil_boundary(s: &str, mut b: usize) -> usize {
    while b < s.len() && !s.is_char_boundary(b) {
        b += 1;
    }
    b
}
