//! Inputs the fuzz targets (`fuzz/`, run with `scripts/fuzz.sh`) found or that
//! reproduce issue 13, run through the same code as the targets: none may
//! panic, overflow the stack or hang. Each target's cases live in
//! `tests/data/fuzz/<target>/`.

use std::path::Path;

use sift::input::{decode_bytes, decode_html_bytes, html, read_bytes_with, Format, InputOptions};
use sift::{Document, Pipeline};

/// The target's kept cases and its seed corpus (`fuzz/seeds/<target>/`): the
/// stable-toolchain replay of what the fuzzer starts from, run by `cargo test`.
fn cases(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for dir in [
        root.join("tests/data/fuzz").join(target),
        root.join("../../fuzz/seeds").join(target),
    ] {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let before = out.len();
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.display().to_string();
            out.push((name, std::fs::read(&path).unwrap()));
        }
        assert!(out.len() > before, "no cases in {}", dir.display());
    }
    out.sort();
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
