//! Changes "from X to Y" against the direction, percentage and multiple the text states.

use std::sync::LazyLock;

use regex::Regex;

use super::{fmt_num, measure_value, re, same_measure, Ctx};
use crate::document::Span;
use crate::report::{FindingCode, Quantity, Severity};

pub(super) static CHANGE_UP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:rose|risen|rise|rises|grew|grown|increased|increase|jumped|climbed|soared|surged|went up|gained|raised|doubled|tripled|quadrupled|вырос\p{L}*|выросл\p{L}*|увеличил\p{L}*|увеличен\p{L}*|возрос\p{L}*|подорожал\p{L}*|повысил\p{L}*|повышен\p{L}*|рост\p{L}*)\b",
    )
});

pub(super) static CHANGE_DOWN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:fell|fallen|fall|dropped|declined|decreased|slipped|shrank|shrunk|plunged|cut|reduced|lowered|went down|halved|сократил\p{L}*|сокращен\p{L}*|снизил\p{L}*|снижен\p{L}*|упал\p{L}*|уменьшил\p{L}*|уменьшен\p{L}*|подешевел\p{L}*|опустил\p{L}*|спад\p{L}*)\b",
    )
});

static MULTIPLE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?P<w>doubled|tripled|trebled|quadrupled|halved|twofold|threefold|fourfold|fivefold|tenfold|вдвое|втрое|вчетверо|впятеро|вдесятеро)\b|\bв\s+(?P<n>два|две|три|четыре|пять|десять|\d+(?:[.,]\d+)?|полтора)\s+раза?\b|\b(?P<n2>two|three|four|five|ten|\d+)\s+times\b",
    )
});

static FROM_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:\bfrom|\bс|\bсо|\bот)\s*(?:\p{Sc}|US\$)?\s*$"));

static TO_BETWEEN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:\p{Sc}\s*)?(?:to|до)\s*(?:\p{Sc}|US\$)?\s*$"));

static STATED_PERCENT_CONTEXT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:an?|by|up|down|of|на|или|т\.\s?е\.|то есть|что составляет|т\.е\.)\s*(?:about\s+|nearly\s+|almost\s+|roughly\s+|около\s+|почти\s+|примерно\s+)?|\(\s*[+−-]?\s*)$",
    )
});

fn word_factor(w: &str) -> Option<f64> {
    Some(match w.to_lowercase().as_str() {
        "два" | "две" | "two" | "twofold" | "doubled" | "вдвое" => 2.0,
        "три" | "three" | "threefold" | "tripled" | "trebled" | "втрое" => 3.0,
        "четыре" | "four" | "fourfold" | "quadrupled" | "вчетверо" => 4.0,
        "пять" | "five" | "fivefold" | "впятеро" => 5.0,
        "десять" | "ten" | "tenfold" | "вдесятеро" => 10.0,
        "полтора" => 1.5,
        "halved" => 0.5,
        other => other.replace(',', ".").parse().ok()?,
    })
}

/// Two figures of one sentence written "from X to Y" ("с X до Y") with a direction verb
/// before them: the change the checks below test.
struct Change {
    from: usize,
    to: usize,
    sentence: usize,
    /// Both figures in one measure.
    from_value: f64,
    to_value: f64,
    /// The direction verb says "up" (else "down").
    up: bool,
    /// (to − from) / from, in per cent.
    percent: f64,
    evidence: Vec<Span>,
    arithmetic: String,
}

pub(super) fn check_changes(cx: &mut Ctx) {
    for a in 0..cx.qs.len().saturating_sub(1) {
        let Some(change) = change_at(cx, a) else {
            continue;
        };
        if !check_direction(cx, &change) {
            check_stated_percent(cx, &change);
            check_multiples(cx, &change);
        }
    }
}

/// The change starting at quantity `a`, if `a` and the next quantity form one.
fn change_at(cx: &Ctx, a: usize) -> Option<Change> {
    let b = a + 1;
    let (aq, bq) = (&cx.qs[a], &cx.qs[b]);
    let s = cx.sent[a]?;
    if cx.sent[b] != Some(s) {
        return None;
    }
    if !FROM_BEFORE.is_match(cx.before(aq.start, 20))
        || !TO_BETWEEN.is_match(cx.between(aq.end, bq.start))
    {
        return None;
    }
    let comparable = same_measure(aq, bq)
        || (aq.dimension == "number" && bq.unit.is_some() && bq.dimension != "date")
        || (aq.dimension == "number" && bq.dimension == "number");
    if !comparable || matches!(aq.dimension.as_str(), "date" | "time") {
        return None;
    }
    let (va, vb) = change_values(aq, bq);
    if va == 0.0 {
        return None;
    }
    let pre_from = cx.between(cx.sentence_span(s).start, aq.start);
    let up = CHANGE_UP.is_match(pre_from);
    let down = CHANGE_DOWN.is_match(pre_from);
    if !(up ^ down) {
        return None;
    }
    let percent = (vb - va) / va * 100.0;
    let arithmetic = format!(
        "({} − {}) / {} = {}{} %",
        fmt_num(vb),
        fmt_num(va),
        fmt_num(va),
        if percent > 0.0 { "+" } else { "" },
        fmt_num(percent)
    );
    Some(Change {
        from: a,
        to: b,
        sentence: s,
        from_value: va,
        to_value: vb,
        up,
        percent,
        evidence: vec![cx.span_of(a), cx.span_of(b)],
        arithmetic,
    })
}

/// Both figures in one measure: a bare start takes the end's multiplier and unit
/// ("from 120 to 150 million roubles").
fn change_values(aq: &Quantity, bq: &Quantity) -> (f64, f64) {
    if aq.dimension == bq.dimension {
        return (measure_value(aq), measure_value(bq));
    }
    let written = leading_number(&bq.text).unwrap_or(bq.value);
    let multiplier = if written != 0.0
        && aq
            .text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{00A0}'))
    {
        bq.value / written
    } else {
        1.0
    };
    let ratio = if bq.value.abs() > 0.0 {
        measure_value(bq) / bq.value
    } else {
        1.0
    };
    (aq.value * multiplier * ratio, measure_value(bq))
}

/// Direction words against the figures ("rose from 5 to 3"). True when it raised a
/// finding (the other checks then have nothing to add).
fn check_direction(cx: &mut Ctx, ch: &Change) -> bool {
    let (va, vb) = (ch.from_value, ch.to_value);
    if !((ch.up && vb < va) || (!ch.up && vb > va)) {
        return false;
    }
    let sent_start = cx.sentence_span(ch.sentence).start;
    let pre_from = cx.between(sent_start, cx.qs[ch.from].start);
    let verb = if ch.up {
        CHANGE_UP.find(pre_from)
    } else {
        CHANGE_DOWN.find(pre_from)
    };
    let verb_span = verb.map(|m| {
        let base = cx.byte(sent_start);
        cx.doc.span_of_bytes(base + m.start(), base + m.end())
    });
    let mut evidence = ch.evidence.clone();
    evidence.extend(verb_span);
    let (aq, bq) = (&cx.qs[ch.from], &cx.qs[ch.to]);
    let message = format!(
        "The text says the figure {} but it goes from {} to {}.",
        if ch.up { "rose" } else { "fell" },
        aq.text,
        bq.text
    );
    cx.push(
        FindingCode::ChangeMismatch,
        Severity::High,
        message,
        evidence,
        ch.arithmetic.clone(),
    );
    true
}

/// A stated percentage change in the same sentence (not one of the two figures) that the
/// figures do not give.
fn check_stated_percent(cx: &mut Ctx, ch: &Change) {
    let (va, vb) = (ch.from_value, ch.to_value);
    for p in cx.in_sentence(ch.sentence) {
        if p == ch.from || p == ch.to {
            continue;
        }
        let pq = &cx.qs[p];
        // Only a percentage in the change's own clause states it: "fell 21%, from 3.8% to
        // 3.0%; … from 4.2% to 3.7%" pairs each change with nothing across the semicolon.
        let (c0, c1) = (cx.qs[ch.from].start, cx.qs[ch.to].end);
        let gap = if pq.start >= c1 {
            cx.between(c1, pq.start)
        } else {
            cx.between(pq.end, c0)
        };
        if gap.contains(';') {
            continue;
        }
        let points = pq.dimension == "percentage_points";
        if pq.dimension != "percentage" && !points || pq.low.is_some() {
            continue;
        }
        if !STATED_PERCENT_CONTEXT_BEFORE.is_match(cx.before(pq.start, 25))
            && !cx
                .after(pq.end, 25)
                .to_lowercase()
                .trim_start()
                .starts_with(|c: char| c.is_alphabetic())
        {
            continue;
        }
        let stated = pq.value.abs();
        let candidates: Vec<f64> = if cx.qs[ch.from].dimension == "percentage" {
            if points {
                vec![(vb - va).abs()]
            } else {
                vec![ch.percent.abs(), (vb - va).abs()]
            }
        } else if points {
            continue;
        } else {
            vec![ch.percent.abs()]
        };
        let tol = (0.05 * stated).max(1.0);
        let mismatch = candidates.iter().all(|c| (c - stated).abs() > tol);
        if !mismatch {
            continue;
        }
        let sev = if candidates.iter().all(|c| (c - stated).abs() > 3.0 * tol) {
            Severity::High
        } else {
            Severity::Medium
        };
        let mut evidence = ch.evidence.clone();
        evidence.push(cx.span_of(p));
        let (aq, bq) = (&cx.qs[ch.from], &cx.qs[ch.to]);
        let message = format!(
            "The stated change of {} does not match the figures {} → {}.",
            pq.text, aq.text, bq.text
        );
        let computation = format!(
            "{}, not {}{}",
            ch.arithmetic,
            fmt_num(stated),
            if points { " percentage points" } else { " %" }
        );
        cx.push(
            FindingCode::ChangeMismatch,
            sev,
            message,
            evidence,
            computation,
        );
    }
}

/// Multiples against the figures: doubled, tripled, halved, «в два раза», «вдвое»,
/// "three times".
fn check_multiples(cx: &mut Ctx, ch: &Change) {
    let sentence = cx.sentence_text(ch.sentence);
    let base = cx.byte(cx.sentence_span(ch.sentence).start);
    for c in MULTIPLE_WORD.captures_iter(sentence) {
        let m = c.get(0).expect("m");
        let w = c
            .name("w")
            .or_else(|| c.name("n"))
            .or_else(|| c.name("n2"))
            .map(|x| x.as_str())
            .unwrap_or("");
        let Some(mut factor) = word_factor(w) else {
            continue;
        };
        if factor == 1.0 || factor <= 0.0 {
            continue;
        }
        // "halved" is ½; Russian «в два раза»/«вдвое» with a falling verb is ½ too.
        if !ch.up && factor > 1.0 && w.to_lowercase() != "halved" {
            factor = 1.0 / factor;
        }
        let ratio = ch.to_value / ch.from_value;
        let mismatch = (ratio / factor - 1.0).abs() > 0.1;
        if !mismatch {
            continue;
        }
        let mut evidence = ch.evidence.clone();
        evidence.push(cx.doc.span_of_bytes(base + m.start(), base + m.end()));
        let (aq, bq) = (&cx.qs[ch.from], &cx.qs[ch.to]);
        let message = format!(
            "'{}' does not match the figures {} → {}.",
            m.as_str(),
            aq.text,
            bq.text
        );
        let computation = format!(
            "{} / {} = ×{}, not ×{}",
            fmt_num(ch.to_value),
            fmt_num(ch.from_value),
            fmt_num(ratio),
            fmt_num(factor)
        );
        cx.push(
            FindingCode::ChangeMismatch,
            Severity::High,
            message,
            evidence,
            computation,
        );
    }
}

/// The first number written in digits in `s` ("150 млн руб." → 150).
fn leading_number(s: &str) -> Option<f64> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let digits: String = s[start..]
        .chars()
        .take_while(|c| {
            c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{00A0}' | '\u{202F}')
        })
        .filter(|c| !matches!(c, ' ' | '\u{00A0}' | '\u{202F}'))
        .collect();
    let digits = digits.trim_end_matches(['.', ',']);
    let normal = if digits.matches(',').count() == 1 && !digits.contains('.') {
        let frac = digits.split(',').nth(1).unwrap_or("");
        if frac.len() == 3 {
            digits.replace(',', "")
        } else {
            digits.replace(',', ".")
        }
    } else {
        digits.replace(',', "")
    };
    normal.parse().ok()
}
