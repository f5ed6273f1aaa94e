//! Property tests for the invariants every report keeps (ARCHITECTURE.md, "Invariants"):
//! spans lie inside the text, segments tile it in order, `lower_of` is lower-casing,
//! the offset map round-trips, and analysis never panics on arbitrary Unicode.

use proptest::prelude::*;
use sift::{Document, Pipeline, Report, Span};

/// Text that mixes what real articles hold and what breaks naive code: Latin and
/// Cyrillic words, digits with separators, quotes, dashes, line breaks, combining
/// marks, zero-width and bidi controls, case-changing letters (İ, ẞ), emoji.
fn article_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("The minister said ".to_string()),
        Just("«Мы не согласны», — заявил Песков. ".to_string()),
        Just("14,000 km in 15 hours".to_string()),
        Just("52 % ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("\"".to_string()),
        Just("— ".to_string()),
        Just("İstanbul ẞ ".to_string()),
        Just("e\u{301} ".to_string()),
        Just("\u{200b}\u{202e}".to_string()),
        Just("🚀 ".to_string()),
        "[a-zA-Zа-яА-Я0-9 .,!?]{0,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn inside(report: &Report, span: Span, what: &str) {
    let n = report.text.chars().count();
    assert!(
        span.start <= span.end && span.end <= n,
        "{what} {span:?} outside a text of {n} chars"
    );
}

fn check_report(report: &Report) {
    for (i, p) in report.paragraphs.iter().enumerate() {
        inside(report, *p, "paragraph");
        if i > 0 {
            assert!(
                report.paragraphs[i - 1].end <= p.start,
                "paragraphs overlap"
            );
        }
    }
    assert_eq!(report.paragraphs.len(), report.paragraph_languages.len());
    for (i, s) in report.sentences.iter().enumerate() {
        inside(report, *s, "sentence");
        if i > 0 {
            assert!(report.sentences[i - 1].end <= s.start, "sentences overlap");
        }
        assert!(
            report.paragraphs.iter().any(|p| p.contains(*s)),
            "sentence {s:?} crosses a paragraph boundary"
        );
    }
    for e in &report.entities {
        inside(report, Span::new(e.start, e.end), "entity");
    }
    for q in &report.quantities {
        inside(report, Span::new(q.start, q.end), "quantity");
    }
    for a in &report.attributions {
        inside(report, Span::new(a.cue.start, a.cue.end), "cue");
        inside(report, a.content, "content");
        if let Some(s) = &a.source {
            inside(report, Span::new(s.start, s.end), "source");
        }
    }
    for t in &report.techniques {
        inside(report, Span::new(t.start, t.end), "technique");
    }
    for f in &report.findings {
        assert!(!f.evidence.is_empty(), "finding without evidence");
        for e in &f.evidence {
            inside(report, *e, "evidence");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn analysis_never_panics_and_spans_stay_inside(text in article_like()) {
        let report = Pipeline::default().analyze(&Document::from_text(&text));
        check_report(&report);
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,300}") {
        let report = Pipeline::default().analyze(&Document::from_text(&text));
        check_report(&report);
    }

    #[test]
    fn lower_of_is_lower_casing_on_every_token(text in article_like()) {
        let doc = Document::from_text(&text);
        for t in &doc.tokens {
            let span = t.span();
            prop_assert_eq!(doc.lower_of(span).into_owned(), doc.slice(span).to_lowercase());
        }
    }

    #[test]
    fn offset_map_round_trips(text in article_like()) {
        let doc = Document::from_text(&text);
        let n = doc.len_chars();
        let input_chars = text.chars().count();
        let mut last = 0;
        for c in 0..=n {
            prop_assert_eq!(doc.char_of(doc.byte_of(c)), c);
            let source = doc.source_char_of(c);
            prop_assert!(source <= input_chars, "source char {} past the input", source);
            prop_assert!(source >= last, "source offsets go backwards at {}", c);
            last = source;
        }
        prop_assert!(doc.text().is_char_boundary(doc.byte_of(n)));
    }
}
