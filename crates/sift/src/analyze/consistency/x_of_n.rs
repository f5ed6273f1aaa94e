//! A part larger than the whole it is taken from, in one phrase: "318 of the 50 seats",
//! «30 из 25 лабораторий». The premise is stated by the words themselves ("X of N",
//! «X из N»), so the arithmetic is certain: whole counts only, no ranges or bounds.

use std::sync::LazyLock;

use regex::Regex;

use super::{fmt_num, re, Ctx};
use crate::report::{FindingCode, Quantity, Severity};

/// The words between a part and its whole: "of", "out of", "of the", «из».
static OF_BETWEEN: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\s*(?:out\s+of|of|из)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+|all\s+)?$")
});

/// A ratio's "in N" after a figure ("3 in 10 voters"): that figure is not a whole.
static RATIO_AFTER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*(?:in|out\s+of|из)\s+\d"));

/// A count written as a whole number, with no range or bound on it.
fn whole_count(q: &Quantity) -> bool {
    matches!(q.dimension.as_str(), "number" | "count")
        && q.low.is_none()
        && q.bound.is_none()
        && q.value >= 0.0
        && q.value.fract() == 0.0
}

pub(super) fn check_x_of_n(cx: &mut Ctx) {
    for a in 0..cx.qs.len().saturating_sub(1) {
        let b = a + 1;
        let (part, whole) = (&cx.qs[a], &cx.qs[b]);
        if cx.sent[a].is_none() || cx.sent[a] != cx.sent[b] {
            continue;
        }
        if !whole_count(part) || !whole_count(whole) || part.value <= whole.value {
            continue;
        }
        if !OF_BETWEEN.is_match(cx.between(part.end, whole.start)) {
            continue;
        }
        // "6 in 10 of the 3 in 10 voters": ratios, not a part and its whole.
        if RATIO_AFTER.is_match(cx.after(whole.end, 12))
            || cx.before(part.start, 12).trim_end().ends_with(" in")
        {
            continue;
        }
        let counted = whole
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        let message = format!(
            "{} of {}{counted}: the part is larger than the whole it is taken from.",
            part.text, whole.text
        );
        let computation = format!(
            "{} > {}: a part cannot exceed its whole",
            fmt_num(part.value),
            fmt_num(whole.value)
        );
        let evidence = vec![cx.span_of(a), cx.span_of(b)];
        cx.push(
            FindingCode::XOfN,
            Severity::High,
            message,
            evidence,
            computation,
        );
    }
}
