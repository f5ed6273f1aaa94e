//! Any text through the document model and every layer: never a panic, and
//! every span of the report lies inside the text on char boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sift::{Document, Pipeline};

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let doc = Document::from_text(&text);
    let chars = doc.len_chars();
    let source_chars = text.chars().count();
    for c in 0..=chars {
        assert!(doc.source_char_of(c) <= source_chars);
    }
    let report = Pipeline::default().analyze(&doc);
    for entity in &report.entities {
        assert!(entity.start <= entity.end && entity.end <= chars);
    }
    for technique in &report.techniques {
        assert!(technique.start <= technique.end && technique.end <= chars);
    }
});
