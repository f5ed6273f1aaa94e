//! Any bytes through the byte decoder: never a panic; decoded text is valid
//! and, when it succeeds, not empty of content the decoder claims.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(decoded) = sift::input::decode_bytes(bytes) {
        assert!(!decoded.encoding.is_empty());
    }
    let _ = sift::input::decode_html_bytes(bytes);
});
