//! Parts that add up to more than their stated whole.

use std::sync::LazyLock;

use regex::Regex;

use super::{fmt_num, head_within, measure_value, re, same_measure, tail_within, Ctx};
use crate::analyze::quantities::clause_head;
use crate::report::{FindingCode, Severity};

static WHOLE_CUE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:budget|total|totall?ing|overall|in all|altogether|fund|package|programme|program|всего|общ\p{L}*|бюджет\p{L}*|итого|в целом|в общей сложности)\b)",
    )
});

/// A whole named right before its figure: "of the 180 passengers" (the parts follow),
/// «из 1 500 опрошенных», or any noun phrase that costs or totals it ("the bridge cost
/// $2bn", «проект обойдётся в 4 млрд»).
static WHOLE_RIGHT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:^|[^\p{L}])(?:of\s+the|из|cost|costs|costing|will\s+cost|would\s+cost|totals?|totall?ed|amounts?\s+to|amounted\s+to|стоит|стоил\p{L}*|обойд[её]тся(?:\s+в)?|обош[её]л\p{L}*(?:\s+в)?|обошл\p{L}*(?:\s+в)?)\s*(?:\p{Sc}|US\$)?\s*$",
    )
});

static WHOLE_CUE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:in total|in all|altogether|overall|budget|всего|в общей сложности|в целом)\b")
});

static PART_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:earmarked|allocated|set aside|goes to|go to|going to|spent on|for|including|of which|were|was|are|выделен\p{L}*|пойд\p{L}*|направ\p{L}*|потрат\p{L}*|на|в том числе|из них|составил\p{L}*|приход\p{L}*|ответил\p{L}*|answered|said|chose|выбрал\p{L}*|сказал\p{L}*)\b",
    )
});

static PART_NESTED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:of them|of these|of those|among them|among|из них|из которых|среди них|среди|including|в том числе|last year|previous|compared|than|from|up from|down from|в прошлом году|по сравнению|чем|против)\b",
    )
});

/// Up to 30 bytes before a figure, within its clause and after any other number.
fn whole_cue_window(s: &str) -> &str {
    let t = tail_within(s, 60);
    match t.rfind(|c: char| c.is_ascii_digit()) {
        Some(p) => &t[p + 1..],
        None => t,
    }
}

/// How many figures after a total are read as its possible parts: a news sentence lists
/// a handful; the cap keeps a table flattened into one "sentence" linear.
const MAX_FIGURES_AFTER_WHOLE: usize = 32;

pub(super) fn check_parts_vs_whole(cx: &mut Ctx) {
    for w in 0..cx.qs.len() {
        let wq = &cx.qs[w];
        if !matches!(wq.dimension.as_str(), "money" | "count") || wq.low.is_some() {
            continue;
        }
        if wq.bound.is_some() || wq.approx {
            continue;
        }
        let Some(ws) = cx.sent[w] else { continue };
        let pre = cx.before(wq.start, 50);
        let whole_cue = WHOLE_CUE_BEFORE.is_match(whole_cue_window(pre))
            || WHOLE_RIGHT_BEFORE.is_match(pre)
            || WHOLE_CUE_AFTER.is_match(clause_head(head_within(cx.after(wq.end, 40), 30)));
        if !whole_cue {
            continue;
        }
        // Parts: later quantities of the same measure in this sentence or the next one
        // of the same paragraph, listed side by side.
        let mut parts: Vec<usize> = Vec::new();
        for p in (w + 1)..cx.qs.len().min(w + 1 + MAX_FIGURES_AFTER_WHOLE) {
            let pq = &cx.qs[p];
            let Some(ps) = cx.sent[p] else { break };
            if ps > ws + 1 {
                break;
            }
            let comparable = same_measure(wq, pq)
                || (wq.dimension == "count" && pq.dimension == "number" && pq.value.fract() == 0.0);
            if !comparable {
                if pq.dimension == wq.dimension {
                    // another currency in the list: not parts of this whole
                    parts.clear();
                    break;
                }
                continue;
            }
            if pq.low.is_some() || pq.bound.is_some() {
                parts.clear();
                break;
            }
            parts.push(p);
        }
        if parts.len() < 2 {
            continue;
        }
        let whole = measure_value(wq);
        if parts.iter().any(|&p| measure_value(&cx.qs[p]) >= whole) {
            continue;
        }
        // Side by side: nothing between the parts says "of them", "last year", "than"...
        let mut ok = true;
        let span_text = cx.between(wq.end, cx.qs[*parts.last().expect("parts")].end);
        if PART_NESTED.is_match(span_text) {
            ok = false;
        }
        if !PART_CUE.is_match(span_text) {
            ok = false;
        }
        // A part that is itself a new whole ("a $3bn fund, of which ...") stops the chain.
        let mut prev_end = cx.qs[parts[0]].end;
        for &p in &parts[1..] {
            let lead = cx.between(prev_end, cx.qs[p].start).to_lowercase();
            if [
                "budget",
                "total",
                "бюджет",
                "всего",
                "of which",
                "из которых",
            ]
            .iter()
            .any(|w| lead.contains(w))
            {
                ok = false;
            }
            prev_end = cx.qs[p].end;
        }
        if !ok {
            continue;
        }
        let sum: f64 = parts.iter().map(|&p| measure_value(&cx.qs[p])).sum();
        let tolerance = whole * 0.005;
        if sum > whole + tolerance {
            let sev = if sum > whole * 1.1 {
                Severity::High
            } else {
                Severity::Medium
            };
            let terms: Vec<String> = parts.iter().map(|&p| cx.qs[p].text.clone()).collect();
            let mut evidence = vec![cx.span_of(w)];
            evidence.extend(parts.iter().map(|&p| cx.span_of(p)));
            let unit = if wq.dimension == "money" {
                format!(" {}", wq.si_unit.clone().unwrap_or_default())
            } else {
                String::new()
            };
            cx.push(
                FindingCode::PartsExceedWhole,
                sev,
                format!(
                    "The parts add up to more than the stated total of {}.",
                    wq.text
                ),
                evidence,
                format!(
                    "{} = {}{} > {} ({}{})",
                    terms.join(" + "),
                    fmt_num(sum),
                    unit,
                    wq.text,
                    fmt_num(whole),
                    unit
                ),
            );
        }
    }
}
