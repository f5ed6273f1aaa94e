//! Calendar checks: weekday against date, a period that ends before it starts, age against
//! birth date.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::{fmt_num, re, Ctx};
use crate::analyze::calendar::{date_order, parse_iso, weekday_of};
use crate::report::{FindingCode, Severity};

static RANGE_GAP: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:-|–|—|to|until|till|through|thru|and|по|до)\s*(?:the\s+)?$"));

static RANGE_OPEN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:\bfrom|\bbetween|\bс|\bсо)\s*(?:the\s+)?(?:\p{L}+,?\s+)?$"));

static START_VERB: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:began|begun|started|opened|launched|commenced|начал\p{L}*|стартовал\p{L}*|открыл\p{L}*|открыт\p{L}*)\b",
    )
});

static END_VERB: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:ended|finished|closed|concluded|completed|завершил\p{L}*|закончил\p{L}*|окончил\p{L}*|закрыл\p{L}*|закрыт\p{L}*|завершен\p{L}*|завершён\p{L}*)\b",
    )
});

static BORN_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\bborn(?:\s+(?:in|on))?|\bродил\p{L}*(?:\s+в)?|\bрождения|\bb\.|\bр\.)\s*(?:the\s+)?$",
    )
});

/// A full date (year, month, day).
type Ymd = (i64, u32, u32);

/// The first full date of each paragraph that is not a birth date, with its quantity
/// index: the reference an age is counted to when the publication date is unknown.
/// Built once per document, so the age check stays linear.
fn reference_dates(cx: &Ctx) -> HashMap<Option<usize>, (usize, Ymd)> {
    let mut first = HashMap::new();
    for (i, q) in cx.qs.iter().enumerate() {
        if q.dimension != "date" {
            continue;
        }
        let Some(s) = cx.sent[i] else { continue };
        let p = cx.paragraph_of_sentence(s);
        if first.contains_key(&p) || BORN_BEFORE.is_match(cx.before(q.start, 20)) {
            continue;
        }
        if let Some((Some(y), m, d)) = q.date.as_deref().and_then(parse_iso) {
            first.insert(p, (i, (y, m, d)));
        }
    }
    first
}

/// The date an age in paragraph `para` is counted to: the publication date, else a
/// dateline or a full date in the first paragraph or the age's paragraph.
fn reference_year(
    report_published: Option<&str>,
    references: &HashMap<Option<usize>, (usize, Ymd)>,
    para: Option<usize>,
) -> Option<Ymd> {
    if let Some(p) = report_published {
        if let Some((Some(y), m, d)) = parse_iso(p.get(..10).unwrap_or(p)) {
            return Some((y, m, d));
        }
    }
    [references.get(&Some(0)), references.get(&para)]
        .into_iter()
        .flatten()
        .min_by_key(|(i, _)| *i)
        .map(|(_, ymd)| *ymd)
}

pub(super) fn check_calendar(cx: &mut Ctx, published: Option<&str>) {
    // The year for dates written without one: the publication year, else the one
    // year every full date in the article shares.
    let doc_year: Option<i64> = published
        .and_then(|p| p.get(..4))
        .and_then(|y| y.parse().ok());
    // Without a publication date a yearless date has no safe year: articles mix
    // the present with the history they recount.
    // a. weekday vs date
    for i in 0..cx.qs.len() {
        let q = &cx.qs[i];
        let (Some(wd), Some(d)) = (q.weekday.as_deref(), q.date.as_deref()) else {
            continue;
        };
        let Some((y, m, dd)) = parse_iso(d) else {
            continue;
        };
        let Some(y) = y.or(doc_year) else { continue };
        let actual = weekday_of(y, m, dd);
        if actual != wd {
            cx.push(
                FindingCode::WeekdayMismatch,
                Severity::Medium,
                format!("{} is a {}, not a {}.", q.text, actual, wd),
                vec![cx.span_of(i)],
                format!("{y:04}-{m:02}-{dd:02} falls on a {actual}; the text says {wd}"),
            );
        }
    }
    // b. end before start: "from D1 to D2", "с D1 по D2", "2019–2017"; began D1 … ended D2.
    for a in 0..cx.qs.len().saturating_sub(1) {
        let b = a + 1;
        let (aq, bq) = (&cx.qs[a], &cx.qs[b]);
        if aq.dimension != "date" || bq.dimension != "date" {
            continue;
        }
        let (Some(da), Some(db)) = (aq.date.as_deref(), bq.date.as_deref()) else {
            continue;
        };
        let gap = cx.between(aq.end, bq.start);
        let dash = matches!(gap.trim(), "-" | "–" | "—");
        if !(RANGE_GAP.is_match(gap) && (dash || RANGE_OPEN.is_match(cx.before(aq.start, 30)))) {
            continue;
        }
        if let Some(order) = date_order(da, db, doc_year) {
            if order == std::cmp::Ordering::Greater {
                cx.push(
                    FindingCode::EndBeforeStart,
                    Severity::High,
                    format!(
                        "The period ends ({}) before it starts ({}).",
                        bq.text, aq.text
                    ),
                    vec![cx.span_of(a), cx.span_of(b)],
                    format!("{} is later than {}", da, db),
                );
            }
        }
    }
    let starts: Vec<usize> = (0..cx.qs.len())
        .filter(|&i| {
            cx.qs[i].dimension == "date" && START_VERB.is_match(cx.before(cx.qs[i].start, 40))
        })
        .collect();
    let ends: Vec<usize> = (0..cx.qs.len())
        .filter(|&i| {
            cx.qs[i].dimension == "date" && END_VERB.is_match(cx.before(cx.qs[i].start, 40))
        })
        .collect();
    if starts.len() == 1 && ends.len() == 1 {
        let (a, b) = (starts[0], ends[0]);
        // Same or adjacent sentence: farther apart they may be different events.
        let near = matches!((cx.sent[a], cx.sent[b]), (Some(x), Some(y)) if x.abs_diff(y) <= 1);
        if near && a != b {
            if let (Some(da), Some(db)) = (cx.qs[a].date.as_deref(), cx.qs[b].date.as_deref()) {
                if date_order(da, db, doc_year) == Some(std::cmp::Ordering::Greater) {
                    cx.push(
                        FindingCode::EndBeforeStart,
                        Severity::High,
                        format!(
                            "It ends ({}) before it starts ({}).",
                            cx.qs[b].text, cx.qs[a].text
                        ),
                        vec![cx.span_of(a), cx.span_of(b)],
                        format!("start {} is later than end {}", da, db),
                    );
                }
            }
        }
    }
    // c. age vs birth date.
    let mut references = None;
    for bi in 0..cx.qs.len() {
        let bq = &cx.qs[bi];
        if bq.dimension != "date" || !BORN_BEFORE.is_match(cx.before(bq.start, 25)) {
            continue;
        }
        let Some((Some(by), bm, bd)) = bq
            .date
            .as_deref()
            .and_then(|d| parse_iso(d).or_else(|| d.parse::<i64>().ok().map(|y| (Some(y), 0, 0))))
        else {
            continue;
        };
        let Some(bs) = cx.sent[bi] else { continue };
        let para = cx.paragraph_of_sentence(bs);
        let ages: Vec<usize> = (bs.saturating_sub(1)..=bs + 1)
            .filter(|&s| s < cx.doc.sentences.len())
            .flat_map(|s| cx.in_sentence(s))
            .filter(|&i| cx.qs[i].dimension == "age")
            .collect();
        if ages.len() != 1 {
            continue;
        }
        let ai = ages[0];
        let age = cx.qs[ai].si_value.unwrap_or(cx.qs[ai].value);
        let references = references.get_or_insert_with(|| reference_dates(cx));
        let Some((ry, rm, rd)) = reference_year(published, references, para) else {
            continue;
        };
        let mut expected = (ry - by) as f64;
        let birthday_known = bm > 0;
        if birthday_known && (rm, rd) < (bm, bd) {
            expected -= 1.0;
        }
        let ok = if birthday_known {
            (age - expected).abs() < 0.5
        } else {
            age >= expected - 1.0 && age <= expected
        };
        if !ok && age >= 0.0 {
            cx.push(
                FindingCode::AgeBirthMismatch,
                Severity::Medium,
                format!(
                    "The stated age ({}) does not fit the birth date ({}).",
                    cx.qs[ai].text, bq.text
                ),
                vec![cx.span_of(ai), cx.span_of(bi)],
                format!(
                    "born {}, reference date {ry:04}-{rm:02}-{rd:02} → age {}, not {}",
                    bq.date.clone().unwrap_or_default(),
                    if birthday_known {
                        fmt_num(expected)
                    } else {
                        format!("{}–{}", fmt_num(expected - 1.0), fmt_num(expected))
                    },
                    fmt_num(age)
                ),
            );
        }
    }
}
