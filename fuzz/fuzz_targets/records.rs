//! Any bytes read as JSONL and as JSON records (and sniffed): never a panic;
//! every document that comes out has text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sift::input::{read_bytes_with, Format, InputOptions};

fuzz_target!(|bytes: &[u8]| {
    let options = InputOptions::default();
    for format in [Some(Format::Jsonl), Some(Format::Json), None] {
        for doc in read_bytes_with("fuzz", "fuzz", bytes, format, &options)
            .into_iter()
            .flatten()
        {
            assert!(!doc.text.trim().is_empty());
        }
    }
});
