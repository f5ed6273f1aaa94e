//! Answers to one question that add up to more than 100 %.
//!
//! Percentages of a news article rarely split one whole: two groups ("52 % of
//! opponents … 70 % of the indifferent"), two questions, two versions of one poll,
//! two years. The check fires only on the premise it can read: in **one sentence**,
//! each share's own clause carries an answer of one question — for, against, undecided
//! ("48 % support the plan, 41 % oppose it and 11 % are undecided", «за высказались
//! 56 %, против — 38 %, 12 % затруднились») — each answer at most once, every share of
//! the same population, and nothing that makes them different wholes ("respectively",
//! "compared", a change, "while" between two populations, pairs like "89%-6%"). Shares without such an answer are never summed.

use std::sync::LazyLock;

use regex::Regex;

use super::{fmt_num, re, Ctx};
use crate::report::{FindingCode, Severity};

static SHARES_NOT_ONE_WHOLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:each|both|respectively|more than one|multiple|several answers|turnout|compared|previous|last year|earlier|up from|down from|rose|fell|increase\p{L}*|decrease\p{L}*|growth|grew|declin\p{L}*|несколько вариантов|соответственно|явк\p{L}*|по сравнению|ранее|в прошлом|рост\p{L}*|снижени\p{L}*|вырос\p{L}*|снизил\p{L}*|увелич\p{L}*|сократил\p{L}*)\b",
    )
});

/// Contrasts between populations ("Democrats back it, while Republicans oppose it") and
/// subgroups ("among men"): the shares around them are of different wholes.
static TWO_POPULATIONS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:while|whereas|but|among|среди|тогда как|в то время как|однако)\b")
});

/// Two shares written as a pair ("89%-6%", "62 % to 32 %"): a split of its own.
static PAIR_GAP: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*(?:-|–|—|to|к)\s*$"));

static PERCENT_CHANGE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:by|up|down|from|to|rose|fell|grew|increased|decreased|на|с|до|от)\s*(?:about\s+|nearly\s+|около\s+|почти\s+)?)$",
    )
});

/// The population a share is of: "of (the) Republicans", "a 69 % majority of Democrats".
static GROUP_AFTER_PERCENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:(?:majority|plurality|minority|share)\s+)?of\s+(?:the\s+|all\s+)?(?:(?:young|old|older|younger|likely|registered|white|black|hispanic|female|male)\s+)?(?P<g>\p{L}+)",
    )
});

/// Where one item of a list ends and the next begins.
static LIST_BREAK: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)[,;:(]|\b(?:and|or|while|whereas|и|а|или)\b"));

/// Answers that refuse or reject (read first: «не поддерживают» is not support).
static ANSWER_AGAINST: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:oppos\p{L}*|against|disapprov\p{L}*|disagree\p{L}*|reject\p{L}*|(?:do not|don't|does not|doesn't|did not|didn't) (?:support|back|favou?r|approve|agree)\p{L}*|против|не поддерж\p{L}*|не одобр\p{L}*|не соглас\p{L}*)\b",
    )
});

/// Answers that neither support nor reject.
static ANSWER_UNDECIDED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:undecided|unsure|not sure|don't know|do not know|no opinion|затрудн\p{L}*|не определил\p{L}*|не знают|не знает)\b",
    )
});

/// Answers that support or approve.
static ANSWER_FOR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:support\p{L}*|favou?r\p{L}*|approv\p{L}*|agree\p{L}*|back(?:s|ed)?|поддерж\p{L}*|одобр\p{L}*|соглас\p{L}*|за)\b",
    )
});

/// The answer one clause gives, if it gives exactly one.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Answer {
    For,
    Against,
    Undecided,
}

impl Answer {
    fn of_clause(clause: &str) -> Option<Answer> {
        let against = ANSWER_AGAINST.is_match(clause);
        let undecided = ANSWER_UNDECIDED.is_match(clause);
        // "do not support" holds "support": the positive reading only without a negative.
        let for_ = !against && ANSWER_FOR.is_match(clause);
        match (for_, against, undecided) {
            (true, false, false) => Some(Answer::For),
            (false, true, false) => Some(Answer::Against),
            (false, false, true) => Some(Answer::Undecided),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Answer::For => "for",
            Answer::Against => "against",
            Answer::Undecided => "undecided",
        }
    }
}

pub(super) fn check_shares(cx: &mut Ctx) {
    for s in 0..cx.doc.sentences.len() {
        let pcts: Vec<usize> = cx
            .in_sentence(s)
            .into_iter()
            .filter(|&i| cx.qs[i].dimension == "percentage")
            .collect();
        let text = cx.sentence_text(s);
        if pcts.len() < 2 || SHARES_NOT_ONE_WHOLE.is_match(text) || TWO_POPULATIONS.is_match(text) {
            continue;
        }
        let pairs = pcts
            .windows(2)
            .any(|w| PAIR_GAP.is_match(cx.between(cx.qs[w[0]].end, cx.qs[w[1]].start)));
        if pairs {
            continue;
        }
        if let Some(answers) = answers_to_one_question(cx, s, &pcts) {
            report_shares(cx, &answers);
        }
    }
}

/// The shares of sentence `s` that answer one question, each with its answer; `None`
/// unless at least two do, with different answers, of one population.
fn answers_to_one_question(cx: &Ctx, s: usize, pcts: &[usize]) -> Option<Vec<(usize, Answer)>> {
    let sentence = cx.sentence_span(s);
    let mut answers: Vec<(usize, Answer)> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    for (k, &i) in pcts.iter().enumerate() {
        let q = &cx.qs[i];
        let from = if k == 0 {
            sentence.start
        } else {
            cx.qs[pcts[k - 1]].end
        };
        let to = pcts.get(k + 1).map_or(sentence.end, |&n| cx.qs[n].start);
        let (before, after) = (cx.between(from, q.start), cx.between(q.end, to));
        let (clause_before, clause_after) = own_clause(before, after);
        let Some(answer) = Answer::of_clause(&format!("{clause_before} {clause_after}")) else {
            continue;
        };
        if q.low.is_some() || q.bound.is_some() || !(0.0..=100.0).contains(&q.value) {
            return None;
        }
        if PERCENT_CHANGE_BEFORE.is_match(cx.before(q.start, 25)) {
            return None;
        }
        if let Some(c) = GROUP_AFTER_PERCENT.captures(clause_after) {
            groups.push(c["g"].to_lowercase());
        }
        answers.push((i, answer));
    }
    groups.sort();
    groups.dedup();
    let mut kinds: Vec<Answer> = answers.iter().map(|&(_, a)| a).collect();
    kinds.sort();
    kinds.dedup();
    let one_question = answers.len() >= 2 && kinds.len() == answers.len() && groups.len() <= 1;
    one_question.then_some(answers)
}

/// A share's own clause, given the text back to the previous share and on to the next:
/// from the last list break before it (a comma, a semicolon, "and", «и», «а») to the
/// first after it.
fn own_clause<'t>(before: &'t str, after: &'t str) -> (&'t str, &'t str) {
    let breaks = |s: &str| -> Vec<(usize, usize)> {
        LIST_BREAK
            .find_iter(s)
            .map(|m| (m.start(), m.end()))
            .collect()
    };
    let from = breaks(before).last().map_or(0, |&(_, e)| e);
    let to = breaks(after).first().map_or(after.len(), |&(b, _)| b);
    (&before[from..], &after[..to])
}

fn report_shares(cx: &mut Ctx, answers: &[(usize, Answer)]) {
    let sum: f64 = answers.iter().map(|&(i, _)| cx.qs[i].value).sum();
    let rounding = (0.5 * answers.len() as f64).max(1.0);
    if sum <= 100.0 + rounding {
        return;
    }
    let terms: Vec<String> = answers
        .iter()
        .map(|&(i, a)| format!("{} % {}", fmt_num(cx.qs[i].value), a.name()))
        .collect();
    let severity = if sum > 110.0 {
        Severity::High
    } else {
        Severity::Medium
    };
    cx.push(
        FindingCode::SharesSum,
        severity,
        "The answers to one question (for, against, undecided) add up to more than 100 %.".into(),
        answers.iter().map(|&(i, _)| cx.span_of(i)).collect(),
        format!(
            "{} = {} % > 100 % (rounding allows at most {} %)",
            terms.join(" + "),
            fmt_num(sum),
            fmt_num(100.0 + rounding)
        ),
    );
}
