//! Any page through HTML extraction (depth bound, trafilatura, our paragraph
//! walk): never a panic, never a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let page = String::from_utf8_lossy(bytes);
    if let Ok(extracted) = sift::input::html::extract(&page) {
        assert!(!extracted.text.trim().is_empty());
    }
});
