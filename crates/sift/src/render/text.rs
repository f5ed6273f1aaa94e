//! The terminal view: title, language, counts per layer, every finding with
//! its evidence quoted, colour when asked for.

use std::io::{self, Write};

use crate::document::Span;
use crate::report::{ParagraphTechnique, Report, Severity};

/// Technique spans below this confidence are left out of the text view, which a person reads;
/// they stay in the JSON, JSONL and PTC outputs, whose SI F1 is best with every span kept.
/// Cross-validated on PTC (`sift eval ptc`, docs/benchmarks.md "Confidence floors"), this floor
/// hides a quarter of the spans for −0.007 SI F1; on the shipped examples it hides pronouns and
/// function words («Она», "what", "Russia's") and keeps "unprecedented", "prowess", flag-waving.
/// Technique spans under this confidence are not shown in the terminal view.
pub const TEXT_TECHNIQUE_FLOOR: f64 = 0.10;

/// How the terminal view looks.
pub struct TextStyle {
    /// ANSI colours.
    pub color: bool,
}

struct Paint<'a> {
    color: bool,
    _marker: std::marker::PhantomData<&'a ()>,
}

impl Paint<'_> {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn severity(&self, sev: Severity) -> String {
        match sev {
            Severity::High => self.wrap("1;31", "HIGH"),
            Severity::Medium => self.wrap("1;33", "MEDIUM"),
            Severity::Low => self.wrap("36", "LOW"),
        }
    }
}

/// Slice `Report.text` by char span.
pub fn span_text(report: &Report, span: Span) -> String {
    report
        .text
        .chars()
        .skip(span.start)
        .take(span.end.saturating_sub(span.start))
        .collect()
}

fn shorten(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        s
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The check-worthy claims, best first, with why and any fact-checks matched.
fn write_claims<W: Write + ?Sized>(out: &mut W, report: &Report, p: &Paint) -> io::Result<()> {
    let mut worthy: Vec<_> = report.claims.iter().filter(|c| c.checkworthy).collect();
    if worthy.is_empty() {
        return Ok(());
    }
    worthy.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        p.bold(&format!(
            "Check-worthy claims ({} of {})",
            worthy.len(),
            report.claims.len()
        ))
    )?;
    for c in worthy {
        let speaker = c
            .speaker
            .as_deref()
            .map(|s| format!(" — {s}"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:.2} {:10} {}{}",
            c.score,
            c.kind.as_str(),
            shorten(&format!("“{}”", c.text), 160),
            speaker
        )?;
        if !c.features.is_empty() {
            let why: Vec<&str> = c.features.iter().map(|f| f.as_str()).collect();
            writeln!(out, "      {}", p.dim(&format!("why: {}", why.join(", "))))?;
        }
        for m in &c.matches {
            writeln!(
                out,
                "      fact-check [{:.2}] {} — {}{}",
                m.score,
                shorten(&m.claim, 120),
                m.rating.as_deref().unwrap_or("no verdict"),
                m.url
                    .as_deref()
                    .map(|u| format!(" {u}"))
                    .unwrap_or_default()
            )?;
        }
    }
    Ok(())
}

/// Write the terminal view of one report: findings with evidence, attributions,
/// techniques, quantities and entities.
pub fn write_text<W: Write + ?Sized>(
    out: &mut W,
    report: &Report,
    style: &TextStyle,
) -> io::Result<()> {
    let p = Paint {
        color: style.color,
        _marker: std::marker::PhantomData,
    };
    let title = report
        .source
        .title
        .clone()
        .or_else(|| report.source.path.clone())
        .or_else(|| report.source.url.clone())
        .unwrap_or_else(|| report.id.clone());
    writeln!(out, "{}", p.bold(&title))?;
    let mut meta = vec![format!(
        "language {} ({:.2})",
        report.language.code, report.language.confidence
    )];
    if let Some(enc) = &report.source.encoding {
        meta.push(format!("encoding {enc}"));
    }
    if let Some(outlet) = &report.source.outlet {
        meta.push(format!("outlet {outlet}"));
    }
    if let Some(date) = &report.source.published {
        meta.push(format!("published {date}"));
    }
    writeln!(out, "{}", p.dim(&meta.join(" · ")))?;
    writeln!(
        out,
        "{} paragraphs · {} sentences · {} entities · {} quantities · {} attributions · {} techniques · {} findings",
        report.paragraphs.len(),
        report.sentences.len(),
        report.entities.len(),
        report.quantities.len(),
        report.attributions.len(),
        report.techniques.len(),
        report.findings.len()
    )?;

    if !report.findings.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", p.bold("Findings"))?;
        let mut order: Vec<usize> = (0..report.findings.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(report.findings[i].severity));
        for i in order {
            let f = &report.findings[i];
            writeln!(
                out,
                "  {} [{}] {}: {}",
                p.severity(f.severity),
                f.kind,
                f.code,
                f.message
            )?;
            for e in &f.evidence {
                writeln!(
                    out,
                    "      {} {}",
                    p.dim(&format!("{}..{}", e.start, e.end)),
                    shorten(&format!("“{}”", span_text(report, *e)), 160)
                )?;
            }
            if let Some(c) = &f.computation {
                writeln!(out, "      = {c}")?;
            }
        }
    }

    write_claims(out, report, &p)?;

    if let Some(s) = &report.sourcing {
        writeln!(out)?;
        writeln!(out, "{}", p.bold("Sourcing"))?;
        let counts: Vec<String> = s
            .by_source_type
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        writeln!(out, "  sources: {}", counts.join(", "))?;
        writeln!(
            out,
            "  attributed: {} of {} factual sentences ({:.0}%)",
            s.attributed_sentences,
            s.factual_sentences,
            s.attributed_share * 100.0
        )?;
        if !s.named_sources.is_empty() {
            writeln!(out, "  named: {}", s.named_sources.join("; "))?;
        }
        writeln!(
            out,
            "  more than one side quoted: {}",
            if s.multiple_sides { "yes" } else { "no" }
        )?;
    }

    if !report.attributions.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", p.bold("Attributions"))?;
        for a in &report.attributions {
            let who = attribution_who(a);
            let role = a
                .role
                .as_deref()
                .map(|r| format!(", {r}"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {}{} ({:?}) {} {}",
                p.bold(&who),
                role,
                a.source_type,
                p.dim(&a.cue.text),
                shorten(&span_text(report, a.content), 120)
            )?;
        }
    }

    if !report.entities.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", p.bold("Entities"))?;
        let mut seen =
            std::collections::BTreeMap::<(String, String), (usize, Option<String>)>::new();
        for e in &report.entities {
            let key = (format!("{:?}", e.kind).to_lowercase(), e.canonical.clone());
            let entry = seen.entry(key).or_insert((0, None));
            entry.0 += 1;
            if entry.1.is_none() {
                entry.1 = e.role.clone();
            }
        }
        for ((kind, canonical), (n, role)) in seen {
            let role = role.map(|r| format!(" — {r}")).unwrap_or_default();
            writeln!(out, "  {kind:7} {canonical}{role} ×{n}")?;
        }
    }

    if !report.quantities.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", p.bold("Quantities"))?;
        for q in &report.quantities {
            let si = match (q.si_value, &q.si_unit) {
                (Some(v), Some(u)) => format!(" = {v} {u}"),
                _ => String::new(),
            };
            writeln!(out, "  {:12} “{}”{}", q.dimension, q.text, si)?;
        }
    }

    if let Some(summary) = &report.technique_summary {
        // A reader at a terminal sees the spans the detector is at least somewhat sure of; the
        // faint ones stay in the JSON report for scoring and for tools that rank them.
        let shown: Vec<_> = report
            .techniques
            .iter()
            .filter(|t| t.confidence >= TEXT_TECHNIQUE_FLOOR)
            .collect();
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for t in &shown {
            *counts.entry(t.technique.as_str()).or_default() += 1;
        }
        let per_1000 = if summary.words == 0 {
            0.0
        } else {
            shown.len() as f64 * 1000.0 / summary.words as f64
        };
        writeln!(out)?;
        writeln!(
            out,
            "{} ({:.1} per 1,000 words)",
            p.bold("Persuasion techniques"),
            per_1000
        )?;
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        for (t, n) in counts {
            writeln!(out, "  {t} ×{n}")?;
        }
        for t in &shown {
            writeln!(
                out,
                "    {} {:.2} {}",
                t.technique,
                t.confidence,
                shorten(
                    &format!("“{}”", span_text(report, Span::new(t.start, t.end))),
                    100
                )
            )?;
        }
        let hidden = report.techniques.len() - shown.len();
        if hidden > 0 {
            writeln!(
                out,
                "  {}",
                p.dim(&format!(
                    "{hidden} fainter span{} (confidence < {TEXT_TECHNIQUE_FLOOR:.2}) not shown; --format json lists every span",
                    if hidden == 1 { "" } else { "s" }
                ))
            )?;
        }
    }
    paragraph_techniques(out, report, &p)?;
    Ok(())
}

/// Paragraphs with the techniques asserted for them (SemEval-2023 subtask 3).
fn paragraph_techniques<W: Write + ?Sized>(
    out: &mut W,
    report: &Report,
    p: &Paint<'_>,
) -> io::Result<()> {
    let labelled: Vec<(usize, &Vec<ParagraphTechnique>)> = report
        .paragraph_techniques
        .iter()
        .enumerate()
        .filter(|(_, labels)| !labels.is_empty())
        .collect();
    if labelled.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", p.bold("Techniques per paragraph"))?;
    for (i, labels) in labelled {
        let names: Vec<String> = labels
            .iter()
            .map(|t| format!("{} {:.2}", t.technique, t.confidence))
            .collect();
        let text = report
            .paragraphs
            .get(i)
            .map(|s| span_text(report, *s))
            .unwrap_or_default();
        writeln!(out, "  ¶{} {}", i + 1, names.join(", "))?;
        writeln!(out, "    {}", p.dim(&shorten(&format!("“{text}”"), 100)))?;
    }
    Ok(())
}

/// Who an attribution names: the speaker, shown with the words that pointed to it when
/// they were a pronoun, surname, title or the first person ("he → Michael Flynn (pronoun)").
fn attribution_who(a: &crate::report::Attribution) -> String {
    use crate::report::SpeakerVia;
    let source = a.source.as_ref().map(|s| s.text.as_str());
    match (&a.speaker, a.speaker_via, source) {
        (
            Some(speaker),
            Some(
                via @ (SpeakerVia::Pronoun
                | SpeakerVia::Surname
                | SpeakerVia::Title
                | SpeakerVia::Author),
            ),
            Some(src),
        ) if src != speaker => {
            format!("{src} → {speaker} ({})", via.as_str())
        }
        (Some(speaker), _, _) => speaker.clone(),
        (None, _, Some(src)) => src.to_string(),
        (None, _, None) => "?".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Technique, TechniqueName, TechniqueSummary};

    #[test]
    fn faint_technique_spans_are_counted_but_not_listed() {
        let mut report =
            crate::analyze_text("A shameful, disgraceful betrayal. The council met on Tuesday.");
        let technique = |start, end, confidence| Technique {
            start,
            end,
            technique: TechniqueName::LoadedLanguage,
            confidence,
        };
        report.techniques = vec![technique(2, 10, 0.8), technique(12, 23, 0.04)];
        report.technique_summary = Some(TechniqueSummary {
            counts: [("Loaded_Language".to_string(), 2)].into_iter().collect(),
            words: 10,
            per_1000_words: 200.0,
        });
        let mut out = Vec::new();
        write_text(&mut out, &report, &TextStyle { color: false }).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("Persuasion techniques (100.0 per 1,000 words)"),
            "{out}"
        );
        assert!(out.contains("Loaded_Language 0.80 “shameful”"), "{out}");
        assert!(!out.contains("disgraceful”"), "{out}");
        assert!(
            out.contains("1 fainter span (confidence < 0.10) not shown"),
            "{out}"
        );
    }
}
