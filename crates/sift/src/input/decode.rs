//! Bytes → text: BOM sniffing, then chardetng's guess, decoded by encoding_rs.

use super::InputErrorKind;

pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

pub fn decode_bytes(bytes: &[u8]) -> Result<Decoded, (InputErrorKind, String)> {
    if bytes.is_empty() {
        return Err((InputErrorKind::Empty, "input is empty".into()));
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err((
                InputErrorKind::Undecodable,
                format!("invalid {} after its byte-order mark", enc.name()),
            ));
        }
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: enc.name(),
        });
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let nul = sample.iter().filter(|&&b| b == 0).count();
    if nul > 0 {
        return Err((
            InputErrorKind::Binary,
            "binary data (NUL bytes), not text".into(),
        ));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: s.to_string(),
            encoding: "UTF-8",
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, had_errors) = enc.decode(bytes);
    if had_errors {
        return Err((
            InputErrorKind::Undecodable,
            format!("bytes are not valid {}", enc.name()),
        ));
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
    })
}
