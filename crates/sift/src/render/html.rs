//! The annotated HTML view: one self-contained page (inline CSS and JS, no
//! external assets) with every layer of a [`Report`] highlighted over the
//! article text, a toggle per layer, details on hover or click, and a side
//! panel (findings, sourcing profile, technique summary).
//!
//! The article markup comes from a boundary sweep over every span start and
//! end ([`segments`]): each run of text between two boundaries becomes one flat
//! `<span>` carrying the classes and ids of all spans active over it, so
//! overlapping and crossing spans never need nested tags. Every piece of
//! article or report text goes through [`escape_html`]; the report itself is
//! embedded for the script as JSON made safe by [`json_for_script`].
//!
//! `sift serve` reuses [`STYLE`], [`SCRIPT`], [`legend`] and
//! [`article_fragment`], so the static page and the web app look the same.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::report::{Claim, EntityKind, Report, Severity, SourceType};

/// The page's stylesheet (also used by `sift serve`).
pub const STYLE: &str = include_str!("html/style.css");
/// The page's script: toggles, tooltips, pinned details, evidence jumps.
/// It builds every node with `textContent`, never from HTML strings.
pub const SCRIPT: &str = include_str!("html/script.js");

/// Content-Security-Policy of the static page: nothing may load from anywhere.
const STATIC_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/// The layers a reader can switch on and off, in legend order:
/// (toggle name, label, CSS sample class, description).
pub const LAYERS: [(&str, &str, &str, &str); 6] = [
    (
        "claims",
        "Claims",
        "l-clm",
        "check-worthy claim (pale yellow)",
    ),
    (
        "findings",
        "Findings",
        "l-fnd",
        "evidence of a finding (red bar below)",
    ),
    (
        "quantities",
        "Quantities",
        "l-qty",
        "numbers with units (green)",
    ),
    (
        "attributions",
        "Attributions",
        "l-src st-named_person",
        "source (bold, coloured by type), cue (double underline), content (blue highlighter)",
    ),
    (
        "techniques",
        "Techniques",
        "l-tec",
        "persuasion technique (orange bar above)",
    ),
    (
        "entities",
        "Entities",
        "l-ent",
        "named entity (dotted purple)",
    ),
];

/// Escape text for HTML element content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    escape_into(&mut out, s);
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Serialise `value` as JSON that is safe inside `<script type="application/json">`:
/// `<`, `>`, `&`, U+2028 and U+2029 become `\u` escapes, so no `</script>` or
/// `<!--` can end or confuse the element. (These characters only ever occur inside
/// JSON strings, where the escapes mean the same thing.)
pub fn json_for_script<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let raw = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    let mut out = String::with_capacity(raw.len() + 64);
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

/// One highlighted span of some layer, with the classes it gives its text and
/// the id the script uses to find its details in the embedded report.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// First char index.
    pub start: usize,
    /// One past the last char index.
    pub end: usize,
    /// CSS classes, e.g. `l-src st-anonymous`.
    pub classes: String,
    /// `e3` entity, `q1` quantity, `f0` finding, `as2`/`ac2`/`ax2` attribution
    /// source/cue/content, `t5` technique (index into the report's list).
    pub id: String,
}

/// A run of text between two consecutive span boundaries, with the marks
/// (indices into the mark list) active over all of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// First char index.
    pub start: usize,
    /// One past the last char index.
    pub end: usize,
    /// Indices into the mark list of the marks over the whole segment.
    pub active: Vec<usize>,
}

fn source_type_name(t: SourceType) -> &'static str {
    match t {
        SourceType::NamedPerson => "named_person",
        SourceType::NamedOrg => "named_org",
        SourceType::Anonymous => "anonymous",
        SourceType::Vague => "vague",
        SourceType::SelfSource => "self",
        SourceType::Document => "document",
    }
}

fn entity_kind_name(k: EntityKind) -> &'static str {
    match k {
        EntityKind::Person => "person",
        EntityKind::Org => "org",
        EntityKind::Place => "place",
        EntityKind::Date => "date",
        EntityKind::Misc => "misc",
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
    }
}

/// Every highlighted span of the report, clamped to the text (`len` chars);
/// empty or inverted spans are dropped.
pub fn marks(report: &Report, len: usize) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut push = |start: usize, end: usize, classes: String, id: String| {
        let (start, end) = (start.min(len), end.min(len));
        if start < end {
            out.push(Mark {
                start,
                end,
                classes,
                id,
            });
        }
    };
    for (i, e) in report.entities.iter().enumerate() {
        push(
            e.start,
            e.end,
            format!("l-ent ent-{}", entity_kind_name(e.kind)),
            format!("e{i}"),
        );
    }
    for (i, q) in report.quantities.iter().enumerate() {
        push(q.start, q.end, "l-qty".into(), format!("q{i}"));
    }
    for (i, a) in report.attributions.iter().enumerate() {
        let st = source_type_name(a.source_type);
        push(
            a.content.start,
            a.content.end,
            "l-cnt".into(),
            format!("ax{i}"),
        );
        push(a.cue.start, a.cue.end, "l-cue".into(), format!("ac{i}"));
        if let Some(src) = &a.source {
            push(
                src.start,
                src.end,
                format!("l-src st-{st}"),
                format!("as{i}"),
            );
        }
    }
    for (i, t) in report.techniques.iter().enumerate() {
        push(t.start, t.end, "l-tec".into(), format!("t{i}"));
    }
    for (i, c) in report
        .claims
        .iter()
        .enumerate()
        .filter(|(_, c)| c.checkworthy)
    {
        push(c.start, c.end, "l-clm".into(), format!("c{i}"));
    }
    for (i, f) in report.findings.iter().enumerate() {
        for ev in &f.evidence {
            push(
                ev.start,
                ev.end,
                format!("l-fnd sev-{}", severity_name(f.severity)),
                format!("f{i}"),
            );
        }
    }
    out
}

/// The boundary sweep: split `[0, len)` at every mark start and end; each
/// segment lists the marks covering it (in mark order). Segments tile the text
/// exactly, so text is emitted once and in order whatever the overlaps.
pub fn segments(marks: &[Mark], len: usize) -> Vec<Segment> {
    // (position, is_open, mark index); closes sort before opens at a position.
    let mut events: Vec<(usize, bool, usize)> = Vec::with_capacity(marks.len() * 2);
    for (i, m) in marks.iter().enumerate() {
        events.push((m.start, true, i));
        events.push((m.end, false, i));
    }
    events.sort_unstable();
    let mut out = Vec::new();
    let mut active: Vec<usize> = Vec::new();
    let mut pos = 0usize;
    let mut k = 0usize;
    while pos < len {
        while k < events.len() && events[k].0 == pos {
            let (_, open, i) = events[k];
            if open {
                let at = active.partition_point(|&x| x < i);
                active.insert(at, i);
            } else if let Ok(at) = active.binary_search(&i) {
                active.remove(at);
            }
            k += 1;
        }
        let next = if k < events.len() {
            events[k].0.min(len)
        } else {
            len
        };
        let next = if next <= pos { len } else { next };
        out.push(Segment {
            start: pos,
            end: next,
            active: active.clone(),
        });
        pos = next;
    }
    out
}

/// The annotated article text: plain escaped text outside any mark, one flat
/// `<span class=… data-s=…>` per segment inside marks.
pub fn article_markup(report: &Report) -> String {
    // Byte offset of each char index, so segments slice the UTF-8 text safely.
    let byte_of = char_starts(&report.text);
    let len = byte_of.len() - 1;
    let marks = marks(report, len);
    let segs = segments(&marks, len);
    let mut out = String::with_capacity(report.text.len() * 2 + marks.len() * 48);
    let mut classes: Vec<&str> = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for seg in &segs {
        let text = &report.text[byte_of[seg.start]..byte_of[seg.end]];
        if seg.active.is_empty() {
            escape_into(&mut out, text);
            continue;
        }
        classes.clear();
        ids.clear();
        for &i in &seg.active {
            for c in marks[i].classes.split(' ') {
                if !classes.contains(&c) {
                    classes.push(c);
                }
            }
            if !ids.contains(&marks[i].id.as_str()) {
                ids.push(&marks[i].id);
            }
        }
        out.push_str("<span class=\"");
        escape_into(&mut out, &classes.join(" "));
        out.push_str("\" data-s=\"");
        escape_into(&mut out, &ids.join(" "));
        out.push_str("\">");
        escape_into(&mut out, text);
        out.push_str("</span>");
    }
    out
}

/// Byte offset of every char index of `text`, plus one past the end.
fn char_starts(text: &str) -> Vec<usize> {
    let mut byte_of: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    byte_of.push(text.len());
    byte_of
}

/// `text` between char indices, clamped to the text.
fn slice_chars<'a>(text: &'a str, byte_of: &[usize], start: usize, end: usize) -> &'a str {
    let last = byte_of.len() - 1;
    let (start, end) = (start.min(last), end.min(last));
    if start >= end {
        return "";
    }
    &text[byte_of[start]..byte_of[end]]
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

fn title_of(report: &Report) -> String {
    report
        .source
        .title
        .clone()
        .or_else(|| report.source.path.clone())
        .or_else(|| report.source.url.clone())
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| {
            if report.id.is_empty() {
                "article".to_string()
            } else {
                report.id.clone()
            }
        })
}

/// The legend with one checkbox per layer (`data-layer`), shared by the
/// static page and the web app.
pub fn legend() -> String {
    let mut out = String::from("<div class=\"sift-legend\" role=\"group\" aria-label=\"Layers\">");
    for (name, label, sample, desc) in LAYERS {
        let _ = write!(
            out,
            "<label title=\"{desc}\"><input type=\"checkbox\" checked data-layer=\"{name}\"> \
             <span class=\"swatch {sample}\">{label}</span></label>",
            desc = escape_html(desc),
        );
    }
    out.push_str(
        "<span class=\"st-key\">sources: <span class=\"l-src st-named_person\">person</span> \
         <span class=\"l-src st-named_org\">organisation</span> \
         <span class=\"l-src st-anonymous\">anonymous</span> \
         <span class=\"l-src st-vague\">vague</span> \
         <span class=\"l-src st-self\">self</span></span>",
    );
    out.push_str("</div>");
    out
}

fn findings_panel(out: &mut String, report: &Report) {
    let _ = write!(
        out,
        "<section class=\"panel findings\"><h3>Findings ({})</h3>",
        report.findings.len()
    );
    if report.findings.is_empty() {
        out.push_str("<p class=\"muted\">No findings.</p>");
    } else {
        // Most severe first; stable within a severity.
        let mut order: Vec<usize> = (0..report.findings.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(report.findings[i].severity));
        let byte_of = char_starts(&report.text);
        out.push_str("<ol class=\"finding-list\">");
        for i in order {
            let f = &report.findings[i];
            let sev = severity_name(f.severity);
            let _ = write!(
                out,
                "<li class=\"finding sev-{sev}\" data-f=\"f{i}\"><span class=\"sev\">{sev}</span> \
                 <span class=\"code\">{}</span><p class=\"msg\">{}</p>",
                escape_html(f.code.as_str()),
                escape_html(&f.message)
            );
            if let Some(c) = &f.computation {
                let _ = write!(out, "<p class=\"computation\">{}</p>", escape_html(c));
            }
            for ev in &f.evidence {
                let quote = shorten(slice_chars(&report.text, &byte_of, ev.start, ev.end), 90);
                let _ = write!(
                    out,
                    "<button type=\"button\" class=\"ev\" data-target=\"f{i}\">“{}”</button>",
                    escape_html(&quote)
                );
            }
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }
    out.push_str("</section>");
}

/// The check-worthy claims, best first: score, kind, why, and any fact-checks
/// matched (verdict and link).
fn claims_panel(out: &mut String, report: &Report) {
    let mut worthy: Vec<(usize, &Claim)> = report
        .claims
        .iter()
        .enumerate()
        .filter(|(_, c)| c.checkworthy)
        .collect();
    worthy.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
    let _ = write!(
        out,
        "<section class=\"panel claims\"><h3>Check-worthy claims ({})</h3>",
        worthy.len()
    );
    if worthy.is_empty() {
        out.push_str("<p class=\"muted\">No check-worthy claims.</p></section>");
        return;
    }
    out.push_str("<ol class=\"claim-list\">");
    for (i, c) in worthy {
        let kind = c.kind.as_str();
        let _ = write!(
            out,
            "<li class=\"claim\"><span class=\"kind\">{} · {:.0}%</span> \
             <button type=\"button\" class=\"ev\" data-target=\"c{i}\">“{}”</button>",
            escape_html(kind),
            c.score * 100.0,
            escape_html(&shorten(&c.text, 140))
        );
        for m in &c.matches {
            let _ = write!(
                out,
                "<p class=\"match\"><b>{}</b> {}",
                escape_html(m.rating.as_deref().unwrap_or("no verdict")),
                escape_html(&shorten(&m.claim, 120))
            );
            if let Some(url) = m.url.as_deref().filter(|u| u.starts_with("http")) {
                let _ = write!(
                    out,
                    " <a href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\">fact-check</a>",
                    escape_html(url)
                );
            }
            out.push_str("</p>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ol></section>");
}

fn sourcing_panel(out: &mut String, report: &Report) {
    out.push_str("<section class=\"panel sourcing\"><h3>Sourcing</h3>");
    match &report.sourcing {
        None => {
            let _ = write!(
                out,
                "<p class=\"muted\">No sourcing profile ({} attributions).</p>",
                report.attributions.len()
            );
        }
        Some(s) => {
            let _ = write!(
                out,
                "<p><b>{:.0}%</b> of factual sentences attributed ({} of {}).{}</p>",
                s.attributed_share * 100.0,
                s.attributed_sentences,
                s.factual_sentences,
                if s.multiple_sides {
                    " More than one side is quoted."
                } else {
                    " Only one side is quoted."
                }
            );
            if !s.by_source_type.is_empty() {
                out.push_str("<table><tr><th>source type</th><th>attributions</th></tr>");
                let mut rows: Vec<_> = s.by_source_type.iter().collect();
                rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                for (k, v) in rows {
                    let _ = write!(
                        out,
                        "<tr><td><span class=\"l-src st-{}\">{}</span></td><td>{v}</td></tr>",
                        escape_html(k),
                        escape_html(&k.replace('_', " "))
                    );
                }
                out.push_str("</table>");
            }
            if s.unattributed_assertions > 0 {
                let _ = write!(
                    out,
                    "<p>{} sentence(s) asserted with no source.</p>",
                    s.unattributed_assertions
                );
            }
            if !s.sides.is_empty() {
                out.push_str("<p>Sides: ");
                escape_into(out, &s.sides.join(", "));
                out.push_str("</p>");
            }
            if !s.named_sources.is_empty() {
                out.push_str("<p>Named sources: ");
                for (i, n) in s.named_sources.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    escape_into(out, n);
                }
                out.push_str("</p>");
            }
        }
    }
    out.push_str("</section>");
}

fn techniques_panel(out: &mut String, report: &Report) {
    out.push_str("<section class=\"panel techniques\"><h3>Persuasion techniques</h3>");
    match &report.technique_summary {
        None => {
            let _ = write!(
                out,
                "<p class=\"muted\">No technique summary ({} spans).</p>",
                report.techniques.len()
            );
        }
        Some(t) => {
            let total: usize = t.counts.values().sum();
            let _ = write!(
                out,
                "<p><b>{:.1}</b> per 1,000 words ({total} in {} words).</p>",
                t.per_1000_words, t.words
            );
            if !t.counts.is_empty() {
                out.push_str("<table><tr><th>technique</th><th>count</th></tr>");
                let mut rows: Vec<_> = t.counts.iter().collect();
                rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                for (k, v) in rows {
                    let _ = write!(
                        out,
                        "<tr><td>{}</td><td>{v}</td></tr>",
                        escape_html(&k.replace('_', " "))
                    );
                }
                out.push_str("</table>");
            }
        }
    }
    paragraph_techniques_list(out, report);
    out.push_str("</section>");
}

/// The paragraphs with techniques asserted for them, by number.
fn paragraph_techniques_list(out: &mut String, report: &Report) {
    let labelled: Vec<(usize, &Vec<crate::report::ParagraphTechnique>)> = report
        .paragraph_techniques
        .iter()
        .enumerate()
        .filter(|(_, labels)| !labels.is_empty())
        .collect();
    if labelled.is_empty() {
        return;
    }
    out.push_str("<h4>Per paragraph</h4><ul class=\"paragraph-techniques\">");
    for (i, labels) in labelled {
        let names: Vec<String> = labels
            .iter()
            .map(|t| {
                format!(
                    "{} ({:.2})",
                    escape_html(&t.technique.as_str().replace('_', " ")),
                    t.confidence
                )
            })
            .collect();
        let _ = write!(out, "<li>¶{}: {}</li>", i + 1, names.join(", "));
    }
    out.push_str("</ul>");
}

/// One article's view: header, annotated text, side panel, details box and the
/// embedded report. Several fragments can share one page (a batch).
pub fn article_fragment(report: &Report) -> String {
    let mut out = String::with_capacity(report.text.len() * 3 + 4096);
    let title = title_of(report);
    out.push_str("<article class=\"sift-report\">");
    let _ = write!(
        out,
        "<header class=\"doc-head\"><h2>{}</h2><p class=\"meta\">language {} ({:.2}) · \
         {} entities · {} quantities · {} attributions · {} techniques · {} findings</p></header>",
        escape_html(&title),
        escape_html(&report.language.code),
        report.language.confidence,
        report.entities.len(),
        report.quantities.len(),
        report.attributions.len(),
        report.techniques.len(),
        report.findings.len()
    );
    out.push_str("<div class=\"doc-body\"><div class=\"sift-text\" lang=\"");
    escape_into(&mut out, &report.language.code);
    out.push_str("\">");
    out.push_str(&article_markup(report));
    out.push_str("</div><aside class=\"side\">");
    out.push_str(
        "<section class=\"panel details\" aria-live=\"polite\"><h3>Details</h3>\
         <div class=\"details-body muted\">Hover or click highlighted text.</div></section>",
    );
    findings_panel(&mut out, report);
    claims_panel(&mut out, report);
    sourcing_panel(&mut out, report);
    techniques_panel(&mut out, report);
    out.push_str("</aside></div><script type=\"application/json\" class=\"sift-data\">");
    out.push_str(&json_for_script(report));
    out.push_str("</script></article>");
    out
}

/// The whole self-contained page for one or more reports.
pub fn page(reports: &[Report]) -> String {
    let title = match reports {
        [one] => title_of(one),
        _ => format!("{} articles", reports.len()),
    };
    let mut out = String::with_capacity(
        STYLE.len() + SCRIPT.len() + reports.iter().map(|r| r.text.len() * 3).sum::<usize>(),
    );
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{STATIC_CSP}\">\
         <meta name=\"generator\" content=\"sift {}\">\
         <title>sift · {}</title><style>{STYLE}</style></head><body>\
         <header class=\"topbar\"><span class=\"brand\">sift</span>{}</header><main>",
        env!("CARGO_PKG_VERSION"),
        escape_html(&title),
        legend()
    );
    for r in reports {
        out.push_str(&article_fragment(r));
    }
    if reports.is_empty() {
        out.push_str("<p class=\"muted\">No articles.</p>");
    }
    let _ = writeln!(
        out,
        "</main><div class=\"sift-tip\" hidden></div><script>{SCRIPT}</script></body></html>"
    );
    out
}

/// Write [`page`] for `reports`.
pub fn write_html<W: Write + ?Sized>(out: &mut W, reports: &[Report]) -> io::Result<()> {
    out.write_all(page(reports).as_bytes())
}
