//! The annotated HTML view: boundary sweep, escaping, every layer shown.

use std::collections::BTreeMap;
use std::time::Instant;

use sift::render::html::{self, Mark};
use sift::{
    Attribution, AttributionKind, Entity, EntityKind, Finding, Quantity, Severity, SourceType,
    SourcingProfile, Technique, TechniqueSummary, TextSpan,
};
use sift::{Report, Span, TechniqueName};

/// Char span of the first `needle` at or after char `from`.
fn find(text: &str, needle: &str) -> Span {
    let b = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let start = text[..b].chars().count();
    Span::new(start, start + needle.chars().count())
}

fn text_span(text: &str, needle: &str) -> TextSpan {
    let s = find(text, needle);
    TextSpan {
        start: s.start,
        end: s.end,
        text: needle.to_string(),
    }
}

const ARTICLE: &str = "Drone «Буревестник» flies far\n\n\
The drone flew 9,000 kilometres in 12 hours, officials said. \
\"This is a historic day,\" Minister Laura Brennan told reporters. \
A source close to the programme said the reckless spending would continue.";

/// A report filling every layer, with overlapping and crossing spans.
fn full_report(text: &str) -> Report {
    let distance = find(text, "9,000 kilometres");
    let hours = find(text, "12 hours");
    let brennan = find(text, "Laura Brennan");
    let quote = find(text, "This is a historic day,");
    let reckless = find(text, "reckless spending would");
    let crossing = find(text, "kilometres in 12");
    Report {
        schema: 1,
        id: "fixture".into(),
        text: text.to_string(),
        entities: vec![Entity {
            start: brennan.start,
            end: brennan.end,
            text: "Laura Brennan".into(),
            kind: EntityKind::Person,
            canonical: "Laura Brennan".into(),
            role: Some("Minister".into()),
        }],
        quantities: vec![
            Quantity {
                start: distance.start,
                end: distance.end,
                text: "9,000 kilometres".into(),
                value: 9000.0,
                low: None,
                high: None,
                unit: Some("kilometres".into()),
                dimension: "length".into(),
                si_value: Some(9.0e6),
                si_unit: Some("m".into()),
                approx: false,
                bound: None,
                date: None,
                weekday: None,
            },
            Quantity {
                start: hours.start,
                end: hours.end,
                text: "12 hours".into(),
                value: 12.0,
                low: None,
                high: None,
                unit: Some("hours".into()),
                dimension: "duration".into(),
                si_value: Some(43200.0),
                si_unit: Some("s".into()),
                approx: false,
                bound: None,
                date: None,
                weekday: None,
            },
        ],
        attributions: vec![
            Attribution {
                source: Some(text_span(text, "Minister Laura Brennan")),
                cue: text_span(text, "told"),
                content: quote,
                kind: AttributionKind::Direct,
                speaker: Some("Laura Brennan".into()),
                speaker_via: Some(sift::SpeakerVia::Name),
                speaker_entity: Some(0),
                role: Some("Minister".into()),
                source_type: SourceType::NamedPerson,
                confidence: 0.9,
            },
            Attribution {
                source: Some(text_span(text, "A source close to the programme")),
                cue: text_span(text, "said the"),
                content: find(text, "the reckless spending would continue"),
                kind: AttributionKind::Indirect,
                speaker: None,
                speaker_via: None,
                speaker_entity: None,
                role: None,
                source_type: SourceType::Anonymous,
                confidence: 0.9,
            },
        ],
        techniques: vec![
            Technique {
                start: reckless.start,
                end: reckless.end,
                technique: TechniqueName::LoadedLanguage,
                confidence: 0.87,
            },
            Technique {
                start: quote.start,
                end: quote.end,
                technique: TechniqueName::AppealToValues,
                confidence: 0.41,
            },
        ],
        findings: vec![Finding {
            kind: sift::FindingKind::Inconsistency,
            code: sift::FindingCode::ImpliedSpeed,
            severity: Severity::High,
            message: "9,000 km in 12 hours implies 750 km/h, not hypersonic".into(),
            // Crosses the boundary between the two quantities.
            evidence: vec![distance, crossing, hours],
            computation: Some("9000 km / 12 h = 750 km/h < Mach 5 (6174 km/h)".into()),
        }],
        sourcing: Some(SourcingProfile {
            by_source_type: BTreeMap::from([("named_person".into(), 1), ("anonymous".into(), 1)]),
            factual_sentences: 3,
            attributed_sentences: 2,
            attributed_share: 2.0 / 3.0,
            named_sources: vec!["Laura Brennan".into()],
            multiple_sides: false,
            unattributed_assertions: 1,
            sides: vec!["government".into()],
        }),
        technique_summary: Some(TechniqueSummary {
            counts: BTreeMap::from([
                ("Loaded_Language".into(), 1),
                ("Appeal_to_Values".into(), 1),
            ]),
            words: 40,
            per_1000_words: 50.0,
        }),
        ..Report::default()
    }
}

/// Undo `escape_html` and drop every tag: what a browser shows as text.
fn visible_text(markup: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn mark(start: usize, end: usize, id: &str) -> Mark {
    Mark {
        start,
        end,
        classes: "l-x".into(),
        id: id.into(),
    }
}

#[test]
fn sweep_tiles_the_text_and_tracks_crossing_spans() {
    // a: [2,8)  b: [5,12) crosses a;  c: [5,6) nested in both; d: [12,14) touches b.
    let marks = vec![
        mark(2, 8, "a"),
        mark(5, 12, "b"),
        mark(5, 6, "c"),
        mark(12, 14, "d"),
    ];
    let segs = html::segments(&marks, 16);
    let got: Vec<(usize, usize, Vec<usize>)> = segs
        .iter()
        .map(|s| (s.start, s.end, s.active.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (0, 2, vec![]),
            (2, 5, vec![0]),
            (5, 6, vec![0, 1, 2]),
            (6, 8, vec![0, 1]),
            (8, 12, vec![1]),
            (12, 14, vec![3]),
            (14, 16, vec![]),
        ]
    );
}

#[test]
fn sweep_handles_identical_and_empty_inputs() {
    let marks = vec![mark(0, 4, "a"), mark(0, 4, "b")];
    let segs = html::segments(&marks, 4);
    assert_eq!(segs.len(), 1);
    assert_eq!(segs[0].active, vec![0, 1]);
    assert!(html::segments(&[], 0).is_empty());
    let segs = html::segments(&[], 5);
    assert_eq!((segs.len(), segs[0].start, segs[0].end), (1, 0, 5));
}

#[test]
fn markup_keeps_every_character_once_and_in_order() {
    let report = full_report(ARTICLE);
    let markup = html::article_markup(&report);
    assert_eq!(visible_text(&markup), ARTICLE);
    // Flat spans only: no span element opens inside another.
    let mut depth = 0i32;
    for piece in markup.split('<').skip(1) {
        if piece.starts_with("span") {
            depth += 1;
            assert_eq!(depth, 1, "nested span in {markup}");
        } else if piece.starts_with("/span") {
            depth -= 1;
        }
    }
    assert_eq!(depth, 0);
}

#[test]
fn overlapping_segments_carry_all_their_layers() {
    let report = full_report(ARTICLE);
    let markup = html::article_markup(&report);
    // "12" is a quantity, finding evidence twice (crossing span + hours span).
    assert!(
        markup.contains("<span class=\"l-qty l-fnd sev-high\" data-s=\"q1 f0\">12</span>"),
        "{markup}"
    );
    // Quoted content under a technique, with the direct quote's source beside it.
    assert!(markup.contains("class=\"l-cnt l-tec\" data-s=\"ax0 t1\">This is a historic day,"));
    assert!(markup.contains("class=\"l-src st-named_person\" data-s=\"as0\">Minister </span>"));
    assert!(markup.contains(
        "class=\"l-ent ent-person l-src st-named_person\" data-s=\"e0 as0\">Laura Brennan</span>"
    ));
    assert!(markup.contains("class=\"l-cue\" data-s=\"ac0\">told</span>"));
    assert!(markup.contains(
        "class=\"l-src st-anonymous\" data-s=\"as1\">A source close to the programme</span>"
    ));
}

#[test]
fn page_shows_every_layer_and_panel_in_order() {
    let page = html::page(&[full_report(ARTICLE)]);
    // Kept for looking at: target/tmp/sift-fixture.html.
    let _ = std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sift-fixture.html"),
        &page,
    );
    for needle in [
        "l-ent ent-person",
        "l-qty",
        "l-src st-anonymous",
        "l-cue",
        "l-cnt",
        "l-tec",
        "l-fnd sev-high",
        "9000 km / 12 h = 750 km/h &lt; Mach 5 (6174 km/h)",
        "implies 750 km/h, not hypersonic",
        "<b>67%</b> of factual sentences attributed (2 of 3)",
        "Named sources: Laura Brennan",
        "1 sentence(s) asserted with no source.",
        "Sides: government",
        "<td>Appeal to Values</td><td>1</td>",
        "<b>50.0</b> per 1,000 words",
        "data-layer=\"findings\"",
        "data-layer=\"quantities\"",
        "data-layer=\"attributions\"",
        "data-layer=\"techniques\"",
        "data-layer=\"entities\"",
    ] {
        assert!(page.contains(needle), "page lacks {needle:?}");
    }
    let f = page.find("class=\"panel findings\"").unwrap();
    let s = page.find("class=\"panel sourcing\"").unwrap();
    let t = page.find("class=\"panel techniques\"").unwrap();
    assert!(f < s && s < t);
    // Self-contained: nothing loads from elsewhere.
    for external in ["src=\"http", "href=\"http", "@import", "url(", "<link"] {
        assert!(!page.contains(external), "page references {external}");
    }
    assert!(page.contains("default-src 'none'"));
}

#[test]
fn hostile_article_renders_as_text() {
    let text = "Title </title><script>alert(1)</script>\n\n\
                <img src=x onerror=\"alert(2)\"> \" onmouseover=\"alert(3)\" ' x='y \
                </style><style>body{display:none}</style> </script><script>alert(4)</script> \
                <!-- comment --> &amp; \u{2028}\u{2029} end";
    let mut report = full_report(&format!("{ARTICLE}\n\n{text}"));
    report.source.title = Some("</title><script>alert(5)</script>".into());
    report.findings[0].message = "<b onclick=alert(6)>bold</b>".into();
    report.findings[0].computation = Some("</script><script>alert(7)</script>".into());
    report.entities.push(Entity {
        start: 0,
        end: 5,
        text: "\"><script>alert(8)</script>".into(),
        kind: EntityKind::Misc,
        canonical: "</script>".into(),
        role: None,
    });
    let page = html::page(&[report]);
    // The markup outside the embedded JSON (which escapes quotes its own way).
    let data_at = page.find("<script type=\"application/json\"").unwrap();
    let data_end = data_at + page[data_at..].find("</script>").unwrap();
    let markup = format!("{}{}", &page[..data_at], &page[data_end..]);
    assert!(!markup.contains("\" onmouseover"));
    assert!(!page.contains("alert(1)</script>"));
    for n in 1..=8 {
        assert!(
            !page.contains(&format!("<script>alert({n})")),
            "script {n} survived"
        );
    }
    assert!(!page.contains("<img"));
    assert!(!page.contains("<b onclick"));
    assert!(!page.contains("<!-- comment"));
    // Exactly our own elements: one style, the data block and the page script.
    assert_eq!(page.matches("</style>").count(), 1);
    assert_eq!(page.matches("<style>").count(), 1);
    assert_eq!(page.matches("</script>").count(), 2);
    assert_eq!(page.matches("<script").count(), 2);
    assert!(page.contains("&lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt;"));
    assert!(page.contains("&quot; onmouseover=&quot;alert(3)&quot; &#39; x=&#39;y"));
}

#[test]
fn embedded_json_is_inert_and_round_trips() {
    let text = "a </script><script>alert(1)</script> & <!-- \u{2028}\u{2029} b";
    let mut report = full_report(ARTICLE);
    report.text = text.to_string();
    let json = html::json_for_script(&report);
    for bad in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
        assert!(!json.contains(bad), "raw {bad:?} in embedded JSON");
    }
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}

#[test]
fn out_of_range_and_inverted_spans_are_dropped_not_fatal() {
    let mut report = full_report(ARTICLE);
    let len = ARTICLE.chars().count();
    report.techniques.push(Technique {
        start: len - 3,
        end: len + 50,
        technique: TechniqueName::Doubt,
        confidence: 0.5,
    });
    report.techniques.push(Technique {
        start: 9,
        end: 4,
        technique: TechniqueName::Doubt,
        confidence: 0.5,
    });
    report.quantities[0].start = len + 10;
    report.quantities[0].end = len + 20;
    let markup = html::article_markup(&report);
    assert_eq!(visible_text(&markup), ARTICLE);
    assert!(
        markup.contains("data-s=\"ax1 t2\">ue</span><span class=\"l-tec\" data-s=\"t2\">.</span>"),
        "{markup}"
    );
    assert!(!markup.contains("t3"));
    assert!(!markup.contains("q0"));
}

#[test]
fn empty_report_renders() {
    let page = html::page(&[Report::default()]);
    assert!(page.contains("No findings."));
    assert!(page.contains("No sourcing profile"));
    assert!(html::page(&[]).contains("No articles."));
}

/// A ~20,000-word article with dense overlapping layers: generation stays fast
/// and the page stays a small multiple of the text.
#[test]
fn long_article_renders_fast_and_compact() {
    let paragraph = format!("{ARTICLE}\n\n");
    let copies = 20_000 / ARTICLE.split_whitespace().count() + 1;
    let text = paragraph.repeat(copies);
    let template = full_report(&paragraph);
    let mut report = Report {
        text: text.clone(),
        ..Report::default()
    };
    let step = paragraph.chars().count();
    for k in 0..copies {
        let off = k * step;
        let shift = |s: usize| s + off;
        for q in &template.quantities {
            let mut q = q.clone();
            (q.start, q.end) = (shift(q.start), shift(q.end));
            report.quantities.push(q);
        }
        for e in &template.entities {
            let mut e = e.clone();
            (e.start, e.end) = (shift(e.start), shift(e.end));
            report.entities.push(e);
        }
        for t in &template.techniques {
            let mut t = t.clone();
            (t.start, t.end) = (shift(t.start), shift(t.end));
            report.techniques.push(t);
        }
        for a in &template.attributions {
            let mut a = a.clone();
            a.cue.start = shift(a.cue.start);
            a.cue.end = shift(a.cue.end);
            a.content = Span::new(shift(a.content.start), shift(a.content.end));
            if let Some(s) = &mut a.source {
                (s.start, s.end) = (shift(s.start), shift(s.end));
            }
            report.attributions.push(a);
        }
        let mut f = template.findings[0].clone();
        for ev in &mut f.evidence {
            *ev = Span::new(shift(ev.start), shift(ev.end));
        }
        report.findings.push(f);
    }
    let words = text.split_whitespace().count();
    let started = Instant::now();
    let page = html::page(&[report]);
    let took = started.elapsed();
    eprintln!(
        "{words} words, {} spans, text {} KB → page {} KB in {:.1} ms",
        copies * 12,
        text.len() / 1024,
        page.len() / 1024,
        took.as_secs_f64() * 1e3
    );
    assert!(words >= 20_000);
    // Text + markup + embedded JSON; generous bound, but catches quadratic blow-ups.
    assert!(page.len() < text.len() * 20, "page {} bytes", page.len());
    assert!(took.as_secs_f64() < 3.0, "took {took:?}");
}
