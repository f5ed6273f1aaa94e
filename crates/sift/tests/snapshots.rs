//! Snapshots of what sift ships for the example articles: the JSON report (timings
//! aside) and the terminal view. A change in any layer shows up here as a reviewable
//! diff; accept a deliberate one with `cargo insta review` (or `INSTA_UPDATE=always`).

use std::fs;
use std::path::PathBuf;

use sift::render::text::{write_text, TextStyle};
use sift::{Document, Pipeline, Report};

fn example(name: &str) -> Report {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    let text = fs::read_to_string(&path).unwrap();
    let mut report = Pipeline::default().analyze(&Document::from_text(&text));
    report.id = name.to_string();
    report.timing_ms.clear();
    report
}

fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap()
}

fn text_view(report: &Report) -> String {
    let mut out = Vec::new();
    write_text(&mut out, report, &TextStyle { color: false }).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn missile_test_json() {
    insta::assert_snapshot!(json(&example("missile-test.txt")));
}

#[test]
fn missile_test_text() {
    insta::assert_snapshot!(text_view(&example("missile-test.txt")));
}

#[test]
fn zapusk_json() {
    insta::assert_snapshot!(json(&example("zapusk.txt")));
}

#[test]
fn zapusk_text() {
    insta::assert_snapshot!(text_view(&example("zapusk.txt")));
}
