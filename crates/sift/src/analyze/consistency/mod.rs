//! The consistency engine: arithmetic checks between an article's figures and
//! the words around them.
//!
//! Every check pairs figures conservatively (precision over recall): figures of
//! one event must share a sentence (or a clause chain in one paragraph), carry
//! the cue words of their role (a travel verb and a duration cue for a trip, a
//! "total"/"budget" cue for a whole), and any ambiguity (two candidate distances,
//! a distance *from* something, a speed *limit*) drops the check rather than
//! guessing. Each finding quotes every figure and word involved and spells out
//! the arithmetic.

mod calendar;
mod changes;
mod parts;
mod physical;
mod shares;
mod speed;
#[cfg(test)]
mod tests;
mod x_of_n;

use std::collections::HashSet;

use regex::Regex;

use crate::analyze::quantities::clause_tail;
use crate::document::{Document, Span};
use crate::report::{Finding, FindingCode, FindingKind, Quantity, Report, Severity};

/// Speed of light in vacuum, m/s.
pub(super) const LIGHT_MPS: f64 = 299_792_458.0;

fn re(s: &str) -> Regex {
    Regex::new(s).expect("consistency regex")
}

fn sentence_of(doc: &Document, q: &Quantity) -> Option<usize> {
    doc.sentence_at(q.start)
}

/// Format a number for the arithmetic: grouped thousands, sensible precision.
pub fn fmt_num(x: f64) -> String {
    let ax = x.abs();
    let s = if ax >= 100.0 {
        format!("{:.0}", x)
    } else if ax >= 10.0 {
        let r = format!("{:.1}", x);
        r.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        let r = format!("{:.2}", x);
        r.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    group_thousands(&s)
}

fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map(|r| ("-", r)).unwrap_or(("", s));
    let (int, frac) = rest
        .split_once('.')
        .map(|(a, b)| (a, Some(b)))
        .unwrap_or((rest, None));
    if int.len() <= 3 {
        return s.to_string();
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

struct Ctx<'a> {
    doc: &'a Document,
    text: &'a str,
    qs: &'a [Quantity],
    /// Sentence index per quantity.
    sent: Vec<Option<usize>>,
    findings: Vec<Finding>,
    /// (code, evidence) of every finding so far: one finding per code and evidence set.
    seen: HashSet<(FindingCode, Vec<Span>)>,
}

impl<'a> Ctx<'a> {
    fn byte(&self, c: usize) -> usize {
        self.doc.byte_of(c)
    }
    /// Up to `n` bytes of text before char `c`, on a char boundary, within its sentence.
    fn before(&self, c: usize, n: usize) -> &'a str {
        let b = self.byte(c);
        let floor = self
            .doc
            .sentence_at(c)
            .map(|s| self.byte(self.doc.sentences[s].start))
            .unwrap_or(0);
        let mut from = b.saturating_sub(n).max(floor);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        &self.text[from..b]
    }
    /// Up to `n` bytes of text after char `c`.
    fn after(&self, c: usize, n: usize) -> &'a str {
        let b = self.byte(c);
        let mut to = (b + n).min(self.text.len());
        while !self.text.is_char_boundary(to) {
            to -= 1;
        }
        &self.text[b..to]
    }
    fn between(&self, a: usize, b: usize) -> &'a str {
        if a >= b {
            return "";
        }
        &self.text[self.byte(a)..self.byte(b)]
    }
    fn sentence_text(&self, s: usize) -> &'a str {
        let sp = self.doc.sentences[s];
        &self.text[self.byte(sp.start)..self.byte(sp.end)]
    }
    fn sentence_span(&self, s: usize) -> Span {
        self.doc.sentences[s]
    }
    fn paragraph_of_sentence(&self, s: usize) -> Option<usize> {
        self.doc.paragraph_at(self.doc.sentences[s].start)
    }
    fn in_sentence(&self, s: usize) -> Vec<usize> {
        let span = self.doc.sentences[s];
        let lo = self.qs.partition_point(|q| q.start < span.start);
        let hi = self.qs.partition_point(|q| q.start < span.end);
        (lo..hi.max(lo))
            .filter(|&i| self.sent[i] == Some(s))
            .collect()
    }
    fn push(
        &mut self,
        code: FindingCode,
        severity: Severity,
        message: String,
        mut evidence: Vec<Span>,
        computation: String,
    ) {
        evidence.sort();
        evidence.dedup();
        // One finding per code and evidence set.
        if !self.seen.insert((code, evidence.clone())) {
            return;
        }
        self.findings.push(Finding {
            kind: FindingKind::Inconsistency,
            code,
            severity,
            message,
            evidence,
            computation: Some(computation),
        });
    }
    fn span_of(&self, i: usize) -> Span {
        Span::new(self.qs[i].start, self.qs[i].end)
    }
}

/// The clause-final part of `s`, at most `n` bytes.
fn tail_within(s: &str, n: usize) -> &str {
    let t = clause_tail(s);
    let mut from = t.len().saturating_sub(n);
    while !t.is_char_boundary(from) {
        from += 1;
    }
    &t[from..]
}

/// The clause-initial part of `s`, at most `n` bytes.
fn head_within(s: &str, n: usize) -> &str {
    let mut to = n.min(s.len());
    while !s.is_char_boundary(to) {
        to -= 1;
    }
    &s[..to]
}

fn same_measure(a: &Quantity, b: &Quantity) -> bool {
    if a.dimension != b.dimension {
        return false;
    }
    match a.dimension.as_str() {
        "money" => a.si_unit == b.si_unit,
        "count" => true,
        _ => a.si_unit == b.si_unit && a.si_unit.is_some(),
    }
}

fn measure_value(q: &Quantity) -> f64 {
    match q.dimension.as_str() {
        "count" | "number" => q.value,
        _ => q.si_value.unwrap_or(q.value),
    }
}

/// Run every check over the document's quantities.
pub fn analyze(doc: &Document, report: &Report) -> Vec<Finding> {
    check(doc, &report.quantities, report.source.published.as_deref())
}

/// The checks, given the quantities (as the quantities layer found them) and the
/// publication date if known (`YYYY-MM-DD…`).
pub fn check(doc: &Document, quantities: &[Quantity], published: Option<&str>) -> Vec<Finding> {
    if quantities.is_empty() {
        return Vec::new();
    }
    let sent = quantities.iter().map(|q| sentence_of(doc, q)).collect();
    let mut cx = Ctx {
        doc,
        text: doc.text(),
        qs: quantities,
        sent,
        findings: Vec::new(),
        seen: HashSet::new(),
    };
    speed::check_implied_speed(&mut cx);
    parts::check_parts_vs_whole(&mut cx);
    shares::check_shares(&mut cx);
    x_of_n::check_x_of_n(&mut cx);
    changes::check_changes(&mut cx);
    calendar::check_calendar(&mut cx, published);
    physical::check_physical(&mut cx);
    cx.findings
}

/// The consistency layer: arithmetic checks over the quantities.
pub struct ConsistencyLayer;

impl crate::pipeline::Layer for ConsistencyLayer {
    fn name(&self) -> &'static str {
        "consistency"
    }
    fn requires(&self) -> &'static [&'static str] {
        &["quantities"]
    }
    fn run(&self, doc: &Document, report: &mut Report) {
        let findings = analyze(doc, report);
        report.findings.extend(findings);
    }
}
