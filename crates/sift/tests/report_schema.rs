//! Every report sift produces validates against `schema/report.schema.json`, and
//! every span in every layer lies inside the text it indexes.

use std::path::PathBuf;

use sift::{Document, LanguageHint, Pipeline, RawDocument, Report, Source};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn validator() -> jsonschema::Validator {
    let schema_text = std::fs::read_to_string(root().join("schema/report.schema.json"))
        .expect("schema/report.schema.json is readable");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn report_for(text: &str) -> Report {
    let raw = RawDocument {
        id: "t".into(),
        source: Source::default(),
        text: text.into(),
    };
    Pipeline::default().analyze(&Document::build(raw, LanguageHint::Auto))
}

fn assert_valid(report: &Report) {
    let value = serde_json::to_value(report).expect("report serialises");
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
}

/// Every span of every layer must index `report.text` correctly.
fn assert_spans_in_bounds(report: &Report) {
    let chars: Vec<char> = report.text.chars().collect();
    let n = chars.len();
    let slice = |s: usize, e: usize| -> String { chars[s..e].iter().collect() };
    let check = |what: &str, s: usize, e: usize| {
        assert!(s <= e && e <= n, "{what} span {s}..{e} outside 0..{n}");
    };
    for p in &report.paragraphs {
        check("paragraph", p.start, p.end);
    }
    for w in report.sentences.windows(2) {
        assert!(w[0].end <= w[1].start, "sentences overlap: {w:?}");
    }
    for s in &report.sentences {
        check("sentence", s.start, s.end);
        assert!(!slice(s.start, s.end).trim().is_empty(), "empty sentence");
    }
    for e in &report.entities {
        check("entity", e.start, e.end);
        assert_eq!(
            slice(e.start, e.end),
            e.text,
            "entity text must equal its span"
        );
    }
    for q in &report.quantities {
        check("quantity", q.start, q.end);
        assert_eq!(
            slice(q.start, q.end),
            q.text,
            "quantity text must equal its span"
        );
    }
    for a in &report.attributions {
        check("cue", a.cue.start, a.cue.end);
        assert_eq!(slice(a.cue.start, a.cue.end), a.cue.text);
        check("content", a.content.start, a.content.end);
        if let Some(src) = &a.source {
            check("source", src.start, src.end);
            assert_eq!(slice(src.start, src.end), src.text);
        }
        if let Some(i) = a.speaker_entity {
            assert!(i < report.entities.len(), "speaker_entity {i} out of range");
        }
    }
    for t in &report.techniques {
        check("technique", t.start, t.end);
    }
    for c in &report.claims {
        check("claim", c.start, c.end);
    }
    for f in &report.findings {
        assert!(!f.evidence.is_empty(), "finding {} has no evidence", f.code);
        for e in &f.evidence {
            check("evidence", e.start, e.end);
        }
    }
}

fn examples() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("examples")).expect("examples/ exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&path).expect("example is UTF-8");
            out.push((path.display().to_string(), text));
        }
    }
    assert!(out.len() >= 2, "expected English and Russian examples");
    out
}

#[test]
fn example_reports_validate_and_their_spans_are_in_bounds() {
    for (name, text) in examples() {
        let report = report_for(&text);
        assert!(!report.sentences.is_empty(), "{name}: no sentences");
        assert_valid(&report);
        assert_spans_in_bounds(&report);
    }
}

#[test]
fn tricky_text_reports_validate() {
    for text in [
        "x",
        "«Да», — сказал он. 14 000 км за 15 ч.",
        "Ünïcödé\u{301} café \u{1F600} emoji.\r\nSecond line\twith tab.",
        "<script>alert(1)</script> \"quoted\" 'single' </style>",
        "1. 2. 3. ... !!! ???",
    ] {
        let report = report_for(text);
        assert_valid(&report);
        assert_spans_in_bounds(&report);
    }
}

#[test]
fn schema_rejects_a_malformed_report() {
    let mut value = serde_json::to_value(report_for("A short text.")).unwrap();
    value["language"]["confidence"] = serde_json::json!("high");
    assert!(!validator().is_valid(&value), "string confidence must fail");
    let mut value = serde_json::to_value(report_for("A short text.")).unwrap();
    value.as_object_mut().unwrap().remove("findings");
    assert!(!validator().is_valid(&value), "missing findings must fail");
}

#[test]
fn the_seed_article_validates() {
    let path = root().join("../shared/data/articles/burevestnik-test-report.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: ../shared/data/articles/burevestnik-test-report.txt not found");
        return;
    };
    let report = report_for(&text);
    assert_eq!(report.language.code, "en");
    assert_valid(&report);
    assert_spans_in_bounds(&report);
}
