//! Inputs the fuzz targets (`fuzz/`, run with `scripts/fuzz.sh`) found or that
//! reproduce issue 13, run through the same code as the targets: none may
//! panic, overflow the stack or hang. Each target's cases live in
//! `tests/data/fuzz/<target>/`.

use std::path::Path;

use sift::input::{decode_bytes, decode_html_bytes, html, read_bytes_with, Format, InputOptions};
use sift::{Document, Pipeline};

fn cases(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no cases in {}", dir.display());
    out
}

#[test]
fn decode_cases() {
    for (_, bytes) in cases("decode") {
        let _ = decode_bytes(&bytes);
        let _ = decode_html_bytes(&bytes);
    }
}

#[test]
fn html_cases() {
    for (name, bytes) in cases("html") {
        if let Ok(extracted) = html::extract(&String::from_utf8_lossy(&bytes)) {
            assert!(!extracted.text.trim().is_empty(), "{name}");
        }
    }
}

#[test]
fn records_cases() {
    for (name, bytes) in cases("records") {
        for format in [Some(Format::Jsonl), Some(Format::Json), None] {
            for doc in read_bytes_with("fuzz", "fuzz", &bytes, format, &InputOptions::default())
                .into_iter()
                .flatten()
            {
                assert!(!doc.text.trim().is_empty(), "{name}");
            }
        }
    }
}

#[test]
fn analyze_cases() {
    let pipeline = Pipeline::default();
    for (name, bytes) in cases("analyze") {
        let doc = Document::from_text(&String::from_utf8_lossy(&bytes));
        let report = pipeline.analyze(&doc);
        let chars = doc.len_chars();
        assert!(report.techniques.iter().all(|t| t.end <= chars), "{name}");
    }
}
