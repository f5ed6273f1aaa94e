//! Shares of one group that add up to more than 100 %.

use std::sync::LazyLock;

use regex::Regex;

use super::{fmt_num, re, Ctx};
use crate::report::{FindingCode, Severity};

static POLL_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:support\p{L}*|oppos\p{L}*|back\p{L}*|favou?r\p{L}*|against|undecided|unsure|don't know|respondents?|voted|vote|votes|approve\p{L}*|disapprove\p{L}*|polled|surveyed|поддерж\p{L}*|против|затрудн\p{L}*|не определил\p{L}*|опрошенн\p{L}*|респондент\p{L}*|проголосова\p{L}*|высказал\p{L}*|одобря\p{L}*|выступа\p{L}*|голос\p{L}*)\b",
    )
});

static SHARES_NOT_ONE_WHOLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:each|both|respectively|more than one|multiple|several answers|turnout|compared|previous|last year|earlier|up from|down from|rose|fell|increase\p{L}*|decrease\p{L}*|growth|grew|declin\p{L}*|несколько вариантов|соответственно|явк\p{L}*|по сравнению|ранее|в прошлом|рост\p{L}*|снижени\p{L}*|вырос\p{L}*|снизил\p{L}*|увелич\p{L}*|сократил\p{L}*)\b",
    )
});

static PERCENT_CHANGE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:by|up|down|from|to|rose|fell|grew|increased|decreased|на|с|до|от)\s*(?:about\s+|nearly\s+|около\s+|почти\s+)?)$",
    )
});

static GROUP_AFTER_PERCENT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*of\s+(?:the\s+|all\s+)?(?P<g>\p{L}+)"));

pub(super) fn check_shares(cx: &mut Ctx) {
    let n_sent = cx.doc.sentences.len();
    // Percentages per sentence, counted once (most sentences have none).
    let mut pct_count = vec![0usize; n_sent];
    for (i, q) in cx.qs.iter().enumerate() {
        if q.dimension == "percentage" {
            if let Some(s) = cx.sent[i] {
                pct_count[s] += 1;
            }
        }
    }
    let mut s = 0;
    while s < n_sent {
        if pct_count[s] == 0 {
            s += 1;
            continue;
        }
        // A group: this sentence, plus following sentences of the same paragraph
        // that carry percentages and a poll cue.
        let mut group_sents = vec![s];
        let para = cx.paragraph_of_sentence(s);
        let mut nxt = s + 1;
        while nxt < n_sent
            && pct_count[nxt] > 0
            && cx.paragraph_of_sentence(nxt) == para
            && POLL_CUE.is_match(cx.sentence_text(nxt))
            && POLL_CUE.is_match(cx.sentence_text(s))
        {
            group_sents.push(nxt);
            nxt += 1;
        }
        let total: usize = group_sents.iter().map(|&g| pct_count[g]).sum();
        if total < 2 {
            s = nxt;
            continue;
        }
        let text_all: String = group_sents
            .iter()
            .map(|&g| cx.sentence_text(g))
            .collect::<Vec<_>>()
            .join(" ");
        let pcts: Vec<usize> = group_sents
            .iter()
            .flat_map(|&g| cx.in_sentence(g))
            .filter(|&i| cx.qs[i].dimension == "percentage")
            .collect();
        s = nxt;
        if pcts.len() < 2
            || !POLL_CUE.is_match(&text_all)
            || SHARES_NOT_ONE_WHOLE.is_match(&text_all)
        {
            continue;
        }
        let mut ok = true;
        let mut groups: Vec<String> = Vec::new();
        for &i in &pcts {
            let q = &cx.qs[i];
            if q.low.is_some() || q.bound.is_some() || q.value < 0.0 || q.value > 100.0 {
                ok = false;
            }
            if PERCENT_CHANGE_BEFORE.is_match(cx.before(q.start, 25)) {
                ok = false;
            }
            if let Some(c) = GROUP_AFTER_PERCENT.captures(cx.after(q.end, 30)) {
                groups.push(c["g"].to_lowercase());
            }
        }
        groups.sort();
        groups.dedup();
        if groups.len() > 1 || !ok {
            continue;
        }
        let sum: f64 = pcts.iter().map(|&i| cx.qs[i].value).sum();
        let rounding = 0.5 * pcts.len() as f64;
        if sum > 100.0 + rounding.max(1.0) {
            let terms: Vec<String> = pcts
                .iter()
                .map(|&i| format!("{} %", fmt_num(cx.qs[i].value)))
                .collect();
            let sev = if sum > 110.0 {
                Severity::High
            } else {
                Severity::Medium
            };
            cx.push(
                FindingCode::SharesSum,
                sev,
                "Shares of one group add up to more than 100 %.".into(),
                pcts.iter().map(|&i| cx.span_of(i)).collect(),
                format!(
                    "{} = {} % > 100 % (rounding allows at most {} %)",
                    terms.join(" + "),
                    fmt_num(sum),
                    fmt_num(100.0 + rounding.max(1.0))
                ),
            );
        }
    }
}
