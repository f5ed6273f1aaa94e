//! Calendar arithmetic shared by the date extractor and the calendar checks.

/// Days from 1970-01-01 for a proleptic Gregorian date.
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// English weekday name of a date.
pub(crate) fn weekday_of(y: i64, m: u32, d: u32) -> &'static str {
    const NAMES: [&str; 7] = [
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
    ];
    NAMES[days_from_civil(y, m, d).rem_euclid(7) as usize]
}

pub(crate) fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

pub(crate) fn month_number(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let n = n.trim_end_matches('.');
    const EN: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const RU: [&str; 12] = [
        "январ",
        "феврал",
        "март",
        "апрел",
        "ма",
        "июн",
        "июл",
        "август",
        "сентябр",
        "октябр",
        "ноябр",
        "декабр",
    ];
    for (i, p) in EN.iter().enumerate() {
        if n.starts_with(p) {
            return Some(i as u32 + 1);
        }
    }
    for (i, p) in RU.iter().enumerate() {
        if n.starts_with(p) {
            return Some(i as u32 + 1);
        }
    }
    // Abbreviations: «янв.», «сент.», «дек.» (three letters at least, «мар» is March).
    if n.chars().count() >= 3 {
        for (i, p) in RU.iter().enumerate() {
            if p.starts_with(n) {
                return Some(i as u32 + 1);
            }
        }
    }
    None
}

/// Canonical English name of a weekday written in English or Russian.
pub(crate) fn weekday_name(w: &str) -> Option<&'static str> {
    let w = w.to_lowercase();
    const MAP: [(&str, &str); 14] = [
        ("mon", "Monday"),
        ("tue", "Tuesday"),
        ("wed", "Wednesday"),
        ("thu", "Thursday"),
        ("fri", "Friday"),
        ("sat", "Saturday"),
        ("sun", "Sunday"),
        ("понед", "Monday"),
        ("втор", "Tuesday"),
        ("сред", "Wednesday"),
        ("четв", "Thursday"),
        ("пятн", "Friday"),
        ("субб", "Saturday"),
        ("воскр", "Sunday"),
    ];
    MAP.iter().find(|(p, _)| w.starts_with(p)).map(|(_, n)| *n)
}

/// `YYYY-MM-DD` or `--MM-DD` (no year) as (year, month, day).
pub(crate) fn parse_iso(d: &str) -> Option<(Option<i64>, u32, u32)> {
    if let Some(rest) = d.strip_prefix("--") {
        let (m, dd) = rest.split_once('-')?;
        return Some((None, m.parse().ok()?, dd.parse().ok()?));
    }
    let mut it = d.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let dd: u32 = it.next()?.parse().ok()?;
    Some((Some(y), m, dd))
}

/// Order of two ISO-ish dates; `None` when they cannot be compared safely.
pub(crate) fn date_order(a: &str, b: &str, doc_year: Option<i64>) -> Option<std::cmp::Ordering> {
    let key = |d: &str| -> Option<(Option<i64>, u32, u32)> {
        if let Some(p) = parse_iso(d) {
            return Some(p);
        }
        if let Some((y, m)) = d.split_once('-') {
            return Some((y.parse().ok(), m.parse().ok()?, 0));
        }
        d.parse::<i64>().ok().map(|y| (Some(y), 0, 0))
    };
    let (ya, ma, da) = key(a)?;
    let (yb, mb, db) = key(b)?;
    match (ya, yb) {
        (Some(ya), Some(yb)) => {
            if ya != yb {
                return Some(ya.cmp(&yb));
            }
            if ma == 0 || mb == 0 {
                return None;
            }
            Some((ma, da).cmp(&(mb, db)))
        }
        (None, None) => {
            // "from December 20 to January 5" crosses a year: only a same-month
            // pair can be compared without one.
            if ma != mb {
                let _ = doc_year;
                return None;
            }
            Some(da.cmp(&db))
        }
        (Some(y), None) | (None, Some(y)) => {
            let _ = y;
            None
        }
    }
}
