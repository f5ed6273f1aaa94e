//! Dates, times of day and relative days, found before numbers so their digits are not read again.

use std::sync::LazyLock;

use regex::Regex;

use super::scan::{captures_in_windows, floor_boundary, Scanner};
use super::QuantityParts;
use crate::analyze::calendar::{days_in_month, month_number, weekday_name};
use crate::document::Span;

const EN_MONTHS: &str = r"january|february|march|april|may|june|july|august|september|october|november|december|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?";
const EN_WEEKDAYS: &str = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday";
const RU_MONTHS_GEN: &str = r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|(?:янв|февр?|апр|июн|июл|авг|сент?|окт|нояб?|дек)\.?";
const RU_WEEKDAYS: &str =
    r"понедельник|вторник|сред[ауы]|четверг|пятниц[ауы]|суббот[ауы]|воскресенье";

static DATE_PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let p = [
        // Monday, October 27, 2025 / October 27 / Oct. 27th, 2025
        format!(r"(?i)(?-u:\b)(?:(?P<wd>{EN_WEEKDAYS}),?\s+)?(?P<mon>{EN_MONTHS})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?-u:\b)(?:,?\s+(?P<year>\d{{4}})(?-u:\b))?"),
        // Monday, 27 October 2025 / the 27th of October
        format!(r"(?i)(?-u:\b)(?:(?P<wd>{EN_WEEKDAYS}),?\s+)?(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{EN_MONTHS})(?-u:\b)(?:,?\s+(?P<year>\d{{4}})(?-u:\b))?"),
        // в понедельник, 27 октября 2025 года
        format!(r"(?i)(?:(?P<wd>{RU_WEEKDAYS}),?\s+)?(?-u:\b)(?P<day>\d{{1,2}})\s+(?P<mon>{RU_MONTHS_GEN})(?:\s+(?P<year>\d{{4}})(?:\s*(?:года|году|г\.))?)?"),
        // October 2025
        format!(r"(?i)(?-u:\b)(?P<mon>{EN_MONTHS})\s+(?P<year>\d{{4}})(?-u:\b)"),
        // в октябре 2025 года
        r"(?i)(?:^|[^\p{L}])(?P<mon>январ[ьея]|феврал[ьея]|март[аеу]?|апрел[ьея]|ма[йяе]|июн[ьея]|июл[ьея]|август[аеу]?|сентябр[ьея]|октябр[ьея]|ноябр[ьея]|декабр[ьея])\s+(?P<year>\d{4})(?:\s*(?:года|году|г\.))?".to_string(),
        // 2025-10-27
        r"(?-u:\b)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?-u:\b)".to_string(),
        // 27.10.2025
        r"(?-u:\b)(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?-u:\b)".to_string(),
        // 10/27/2025 (US order)
        r"(?-u:\b)(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})(?-u:\b)".to_string(),
        // 2019 году / 2019 г.
        r"(?i)(?-u:\b)(?P<year>\d{4})\s*(?:года|году|год|г\.)".to_string(),
        // 06-22-2017 (US order with hyphens)
        r"(?-u:\b)(?P<month>\d{1,2})-(?P<day>\d{1,2})-(?P<year>\d{4})(?-u:\b)".to_string(),
    ];
    p.iter()
        .map(|s| Regex::new(s).expect("date regex"))
        .collect()
});

/// All date patterns as one alternation (one scan of the text instead of nine);
/// alternative `i` is group `p{i}` and its parts are `wd{i}`, `day{i}`, ….
static DATE_COMBINED: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = DATE_PATTERNS
        .iter()
        .enumerate()
        .map(|(i, re)| {
            let mut src = re.as_str().to_string();
            for g in ["wd", "day", "mon", "month", "year"] {
                src = src.replace(&format!("(?P<{g}>"), &format!("(?P<{g}{i}>"));
            }
            format!("(?P<p{i}>{src})")
        })
        .collect();
    Regex::new(&alternatives.join("|")).expect("combined date regex")
});

/// Group indices of one alternative of [`DATE_COMBINED`], looked up once instead of by
/// formatted name on every match.
struct DateGroups {
    whole: usize,
    parts: [(&'static str, Option<usize>); 5],
}

impl DateGroups {
    fn part(&self, name: &str) -> Option<usize> {
        self.parts
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, k)| *k)
    }
}

static DATE_GROUPS: LazyLock<Vec<DateGroups>> = LazyLock::new(|| {
    let index = |name: String| DATE_COMBINED.capture_names().position(|n| n == Some(&name));
    (0..DATE_PATTERNS.len())
        .map(|i| DateGroups {
            whole: index(format!("p{i}")).expect("alternative group"),
            parts: ["wd", "day", "mon", "month", "year"].map(|n| (n, index(format!("{n}{i}")))),
        })
        .collect()
});

static TIME_PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>[ap]\.m\.|[ap]m(?-u:\b))|(?-u:\b)(?P<h2>[01]?\d|2[0-3]):(?P<m2>[0-5]\d)(?-u:\b)")
        .expect("time regex")
});

/// Relative day words; a match counts only between non-letters (checked by hand, so the
/// regex stays a plain literal set that its prefilter finds fast).
static RELATIVE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)yesterday|today|tomorrow|позавчера|послезавтра|вчера|сегодня|завтра")
        .expect("relative date regex")
});

/// The second day of a day range after a month-day date, not followed by a unit.
static SECOND_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:-|–|—|to|and|through|until|till|по|и)\s*(?P<d>\d{1,2})(?-u:\b)")
        .expect("second day regex")
});

/// The first day of a day range before a day-month date ("13-19 May", «с 13 по 19 мая»).
static FIRST_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^\d.,])(?P<d>\d{1,2})\s*(?:-|–|—|to|and|through|по|и|до)\s*$")
        .expect("first day regex")
});

impl Scanner<'_> {
    pub(super) fn dates(&mut self) {
        {
            for c in captures_in_windows(&DATE_COMBINED, self.text, &self.digit_windows) {
                let groups = &*DATE_GROUPS;
                let Some(pi) = groups.iter().position(|g| c.get(g.whole).is_some()) else {
                    continue;
                };
                let g = |n: &str| groups[pi].part(n).and_then(|k| c.get(k));
                let whole = c.get(0).expect("match");
                // The span starts at the first named part (a guard char may precede it).
                let first = ["wd", "day", "mon", "month", "year"]
                    .iter()
                    .filter_map(|n| g(n).map(|x| x.start()))
                    .min()
                    .unwrap_or(whole.start());
                let m = Span::new(first, whole.end());
                // A month name runs into a longer word ("5 маяков", "дек" of "декабрьский"):
                // checked here rather than with `\b`, which would keep the regex off its DFA.
                if let Some(mon) = g("mon") {
                    let runs_on = !mon.as_str().ends_with('.')
                        && self.text[mon.end()..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphabetic);
                    if runs_on {
                        continue;
                    }
                }
                if self.is_taken(m.start, m.end) {
                    continue;
                }
                let year: Option<i64> = g("year").and_then(|y| y.as_str().parse().ok());
                let month: Option<u32> = g("mon")
                    .and_then(|x| month_number(x.as_str()))
                    .or_else(|| g("month").and_then(|x| x.as_str().parse().ok()));
                let day: Option<u32> = g("day").and_then(|x| x.as_str().parse().ok());
                if let Some(mo) = month {
                    if !(1..=12).contains(&mo) {
                        continue;
                    }
                    if let Some(d) = day {
                        if d == 0 || d > days_in_month(year.unwrap_or(2000), mo) {
                            continue;
                        }
                    }
                }
                // "May 5" as a modal verb is rare with a number after it; "may"
                // lowercase followed by a number is still read as a date.
                if pi == 8 {
                    // a bare year followed by год/г.
                    if let Some(y) = year {
                        let ym = g("year").expect("year");
                        self.take(m.start, m.end);
                        self.push(
                            ym.start(),
                            m.end,
                            QuantityParts::date(y as f64, Some(format!("{y:04}")), None),
                        );
                    }
                    continue;
                }
                let weekday = g("wd")
                    .and_then(|w| weekday_name(w.as_str()))
                    .map(str::to_string);
                let (value, iso) = match (year, month, day) {
                    (Some(y), Some(mo), Some(d)) => (
                        (y * 10000 + mo as i64 * 100 + d as i64) as f64,
                        format!("{y:04}-{mo:02}-{d:02}"),
                    ),
                    (None, Some(mo), Some(d)) => {
                        ((mo * 100 + d) as f64, format!("--{mo:02}-{d:02}"))
                    }
                    (Some(y), Some(mo), None) => {
                        ((y * 100 + mo as i64) as f64, format!("{y:04}-{mo:02}"))
                    }
                    _ => continue,
                };
                // "Sept. 19 to 22", "November 10-13", "December 11 and 21": the second
                // day belongs to the date, not a bare number.
                let mut end = m.end;
                if let (Some(mo), Some(d), true) = (month, day, g("year").is_none()) {
                    if let Some(c2) = SECOND_DAY.captures(&self.text[m.end..]) {
                        let d2: u32 = c2["d"].parse().unwrap_or(0);
                        let e2 = m.end + c2.get(0).expect("m").end();
                        // "по 15 марта", "and 21 people", "to 22%": not a second day.
                        let next = self.text[e2..].trim_start().chars().next();
                        let free = next.is_none_or(|c| !c.is_alphanumeric() && c != '%');
                        if free && d2 > d && d2 <= days_in_month(year.unwrap_or(2000), mo) {
                            end = m.end + c2.get(0).expect("m").end();
                        }
                    }
                }
                if end > m.end && self.is_taken(m.end, end) {
                    end = m.end;
                }
                // «с 13 по 19 мая», "13-19 May": the first day belongs to the date too.
                let mut start = m.start;
                if let (true, Some(d), Some(_)) = (matches!(pi, 1 | 2), day, month) {
                    let lead = floor_boundary(self.text, m.start.saturating_sub(24));
                    if let Some(c1) = FIRST_DAY.captures(&self.text[lead..m.start]) {
                        let d1: u32 = c1["d"].parse().unwrap_or(0);
                        let s1 = lead + c1.name("d").expect("d").start();
                        if d1 >= 1 && d1 < d && !self.is_taken(s1, m.start) {
                            start = s1;
                        }
                    }
                }
                self.take(start, end);
                self.push(start, end, QuantityParts::date(value, Some(iso), weekday));
            }
        }
        for c in captures_in_windows(&TIME_PATTERN, self.text, &self.digit_windows) {
            let m = c.get(0).expect("match");
            if self.is_taken(m.start(), m.end()) {
                continue;
            }
            let (h, mi, ampm) = if let Some(h) = c.name("h") {
                (
                    h.as_str().parse::<f64>().unwrap_or(0.0),
                    c.name("m")
                        .and_then(|x| x.as_str().parse::<f64>().ok())
                        .unwrap_or(0.0),
                    c.name("ampm").map(|x| x.as_str().to_lowercase()),
                )
            } else {
                (
                    c["h2"].parse::<f64>().unwrap_or(0.0),
                    c["m2"].parse::<f64>().unwrap_or(0.0),
                    None,
                )
            };
            if h > 24.0 || (ampm.is_some() && h > 12.0) {
                continue;
            }
            let mut hours = h + mi / 60.0;
            if let Some(a) = &ampm {
                if a.starts_with('p') && h < 12.0 {
                    hours += 12.0;
                } else if a.starts_with('a') && h == 12.0 {
                    hours -= 12.0;
                }
            }
            self.take(m.start(), m.end());
            let mut q = QuantityParts::bare(hours, "time");
            q.unit = Some("hour of day".into());
            q.si_value = Some(hours * 3600.0);
            q.si_unit = Some("s".into());
            self.push(m.start(), m.end(), q);
        }
        for m in RELATIVE_DATE.find_iter(self.text) {
            let letter_before = self.text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic);
            let letter_after = self.text[m.end()..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic);
            if letter_before || letter_after {
                continue;
            }
            let w = m.as_str().to_lowercase();
            let offset = match w.as_str() {
                "yesterday" | "вчера" => -1.0,
                "tomorrow" | "завтра" => 1.0,
                "позавчера" => -2.0,
                "послезавтра" => 2.0,
                _ => 0.0,
            };
            let mut q = QuantityParts::date(offset, None, None);
            q.unit = Some("relative day".into());
            self.push(m.start(), m.end(), q);
        }
    }
}
