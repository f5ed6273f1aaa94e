//! Physical sanity: shares over 100 %, negative durations, faster than light, below absolute zero.

use std::sync::LazyLock;

use regex::Regex;

use super::changes::{CHANGE_DOWN, CHANGE_UP};
use super::{fmt_num, re, Ctx, LIGHT_MPS};
use crate::report::{FindingCode, Severity};

static SHARE_GROUP_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:of\s+(?:the\s+|all\s+)?(?:population|respondents|voters|residents|people|citizens|adults|students|workers|employees|households|children|women|men|those\s+(?:polled|surveyed|asked)|participants|electorate|members|patients|americans|russians|britons|the\s+vote)\b|(?:населения|опрошенных|избирателей|жителей|граждан|россиян|респондентов|участников|голосов|сотрудников|работников|студентов|детей|женщин|мужчин|пациентов|взрослых)\b)",
    )
});

pub(super) fn check_physical(cx: &mut Ctx) {
    for i in 0..cx.qs.len() {
        let q = &cx.qs[i];
        match q.dimension.as_str() {
            "percentage"
                if q.value > 100.0
                    && q.low.is_none()
                    && SHARE_GROUP_AFTER.is_match(cx.after(q.end, 40))
                    && !CHANGE_UP.is_match(cx.before(q.start, 40))
                    && !CHANGE_DOWN.is_match(cx.before(q.start, 40)) =>
            {
                cx.push(
                    FindingCode::ShareOver100,
                    Severity::High,
                    format!("A share of a group cannot be {}.", q.text),
                    vec![cx.span_of(i)],
                    format!(
                        "{} % > 100 %: a part cannot exceed its whole",
                        fmt_num(q.value)
                    ),
                );
            }
            "duration" if q.value < 0.0 => {
                cx.push(
                    FindingCode::NegativeDuration,
                    Severity::High,
                    format!("A duration cannot be negative: {}.", q.text),
                    vec![cx.span_of(i)],
                    format!("{} < 0", q.text),
                );
            }
            "speed" if q.si_value.is_some_and(|v| v > LIGHT_MPS) => {
                cx.push(
                    FindingCode::FasterThanLight,
                    Severity::High,
                    format!("{} is faster than light.", q.text),
                    vec![cx.span_of(i)],
                    format!(
                        "{} = {} km/s > 299,792 km/s (the speed of light)",
                        q.text,
                        fmt_num(q.si_value.unwrap_or(0.0) / 1000.0)
                    ),
                );
            }
            "temperature" if q.si_value.is_some_and(|v| v < -0.01) => {
                cx.push(
                    FindingCode::BelowAbsoluteZero,
                    Severity::High,
                    format!("{} is below absolute zero.", q.text),
                    vec![cx.span_of(i)],
                    format!(
                        "{} = {} K < 0 K",
                        q.text,
                        fmt_num(q.si_value.unwrap_or(0.0))
                    ),
                );
            }
            _ => {}
        }
    }
}
