//! Bytes → text. In order: a byte-order mark; UTF-16 without a mark (the NUL
//! pattern of mostly-ASCII or Cyrillic text); valid UTF-8; for HTML, a
//! declared `charset`; otherwise chardetng's guess decoded by encoding_rs,
//! with a tie-break among the Cyrillic single-byte encodings, which
//! chardetng confuses on short texts.

use encoding_rs::{
    Encoding, IBM866, ISO_8859_5, KOI8_R, KOI8_U, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1251,
    X_MAC_CYRILLIC,
};

use super::InputErrorKind;

/// Decoded text and the name of the encoding it was decoded from.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The decoded text, without a byte-order mark.
    pub text: String,
    /// The WHATWG name of the encoding (`UTF-8`, `UTF-16LE`, `windows-1251`,
    /// `KOI8-R`, `windows-1252` for Latin-1, …).
    pub encoding: &'static str,
}

type DecodeError = (InputErrorKind, String);

/// Decode plain text of unknown encoding.
pub fn decode_bytes(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_with_hint(bytes, None)
}

/// Decode an HTML page: like [`decode_bytes`], but a `<meta charset>` (or
/// `http-equiv` content type) in the first 4 KiB is believed before guessing.
pub fn decode_html_bytes(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_with_hint(bytes, declared_charset(bytes))
}

fn decode_with_hint(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err((InputErrorKind::Empty, "input is empty".into()));
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return strict(enc, &bytes[bom_len..], "after its byte-order mark");
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return strict(enc, bytes, "(detected from its NUL pattern)");
    }
    if bytes.contains(&0) {
        return Err((
            InputErrorKind::Binary,
            "binary data (NUL bytes), not text".into(),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => return checked(s.to_string(), UTF_8.name()),
        Err(_) if mostly_utf8(bytes) => {
            let at = std::str::from_utf8(bytes).unwrap_err().valid_up_to();
            return Err((
                InputErrorKind::Undecodable,
                format!("undecodable bytes: invalid UTF-8 at byte {at}"),
            ));
        }
        Err(_) => {}
    }
    if let Some(enc) = declared.filter(|e| *e != UTF_8 && *e != UTF_16LE && *e != UTF_16BE) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return checked(text.into_owned(), enc.name());
        }
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    let enc = cyrillic_tie_break(bytes, guess);
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err((
            InputErrorKind::Undecodable,
            format!("undecodable bytes: not valid {}", enc.name()),
        ));
    }
    checked(text.into_owned(), enc.name())
}

/// Decode all of `bytes` as `enc`, failing on any malformed sequence.
fn strict(enc: &'static Encoding, bytes: &[u8], context: &str) -> Result<Decoded, DecodeError> {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err((
            InputErrorKind::Undecodable,
            format!("undecodable bytes: invalid {} {context}", enc.name()),
        ));
    }
    checked(text.into_owned(), enc.name())
}

/// Reject text that decoded but is really binary: control characters that
/// no document contains.
fn checked(text: String, encoding: &'static str) -> Result<Decoded, DecodeError> {
    let sample = text.chars().take(65536);
    let (mut controls, mut total) = (0usize, 0usize);
    for c in sample {
        total += 1;
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || c == '\u{fffd}' {
            controls += 1;
        }
    }
    if total > 0 && controls * 20 > total {
        return Err((
            InputErrorKind::Binary,
            "binary data (control characters), not text".into(),
        ));
    }
    Ok(Decoded { text, encoding })
}

/// UTF-16 without a byte-order mark: the NULs sit almost all on one parity
/// (the high byte of ASCII characters), and the code units decode to
/// characters that text is made of.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(16384) & !1];
    if sample.len() < 4 {
        return None;
    }
    let units = sample.len() / 2;
    let nul_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let nul_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // Text has a space or newline at least every few dozen characters; in
    // UTF-16 each is a NUL on the high-byte side and none on the other.
    let (enc, high_nuls, low_nuls) = if nul_odd >= nul_even {
        (UTF_16LE, nul_odd, nul_even)
    } else {
        (UTF_16BE, nul_even, nul_odd)
    };
    if high_nuls * 20 < units || low_nuls * 50 > units {
        return None;
    }
    let plausible = sample
        .chunks_exact(2)
        .map(|p| {
            if enc == UTF_16LE {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        })
        .filter(|&u| {
            matches!(u, 0x09 | 0x0a | 0x0d | 0x20..=0x7e | 0xa0..=0x24f | 0x370..=0x52f | 0x2000..=0x206f | 0x20a0..=0x20cf | 0x2100..=0x218f | 0xd800..=0xdfff | 0xfeff)
        })
        .count();
    (plausible * 10 >= units * 9).then_some(enc)
}

/// Invalid UTF-8 that is still mostly UTF-8 (plenty of valid multi-byte
/// sequences, few broken ones) is damaged UTF-8, not a legacy encoding.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid_multibyte, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multibyte += s.chars().filter(|c| c.len_utf8() > 1).count();
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                valid_multibyte += std::str::from_utf8(good)
                    .map(|s| s.chars().filter(|c| c.len_utf8() > 1).count())
                    .unwrap_or(0);
                invalid += 1;
                let skip = e.error_len().unwrap_or(bad.len()).max(1);
                rest = &bad[skip.min(bad.len())..];
            }
        }
    }
    valid_multibyte >= 4 && valid_multibyte >= invalid * 10
}

/// The Cyrillic single-byte encodings, in order of preference when two decode
/// a text identically (KOI8-U differs from KOI8-R only in Ukrainian letters).
const CYRILLIC: [&Encoding; 6] = [
    WINDOWS_1251,
    KOI8_R,
    IBM866,
    KOI8_U,
    ISO_8859_5,
    X_MAC_CYRILLIC,
];

/// chardetng tells Cyrillic from Latin well but, on a sentence or two,
/// sometimes takes KOI8-R for windows-1251 or the reverse (their letters sit in
/// the same byte range with upper and lower case swapped). Among the Cyrillic
/// encodings, take the one whose decoding reads most like Russian text:
/// mostly lower-case letters, the frequent ones frequent.
fn cyrillic_tie_break(bytes: &[u8], guess: &'static Encoding) -> &'static Encoding {
    if !CYRILLIC.contains(&guess) {
        return guess;
    }
    let mut best = (guess, i64::MIN);
    for enc in CYRILLIC {
        let score = russian_score(enc, bytes);
        if score > best.1 {
            best = (enc, score);
        }
    }
    best.0
}

/// How Russian (or Ukrainian) the decoding looks: per letter of the Russian
/// alphabet, +1 for a lower-case letter (+2 for one of the eight most
/// frequent) or a capital starting a word, −1 for a capital inside a word.
/// Ukrainian letters cost 1, any other Cyrillic letter 3 (they are what a
/// wrong code page turns Russian letters into), and anything that is not a
/// letter, digit, punctuation or space costs 2.
fn russian_score(enc: &'static Encoding, bytes: &[u8]) -> i64 {
    let (text, had_errors) = enc.decode_without_bom_handling(&bytes[..bytes.len().min(65536)]);
    if had_errors {
        return i64::MIN + 1;
    }
    let mut score = 0i64;
    let mut prev_is_letter = false;
    for c in text.chars() {
        let russian = ('А'..='я').contains(&c) || c == 'ё' || c == 'Ё';
        if russian {
            score += match (c.is_lowercase(), prev_is_letter) {
                (true, _) if "оеаинтср".contains(c) => 2,
                (true, _) | (false, false) => 1,
                (false, true) => -1,
            };
        } else if ('\u{400}'..='\u{4ff}').contains(&c) {
            score -= if "іїєґІЇЄҐ".contains(c) { 1 } else { 3 };
        } else if !(c.is_ascii() || c.is_whitespace() || is_punct(c)) {
            score -= 2;
        }
        prev_is_letter = c.is_alphabetic();
    }
    score
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        '«' | '»' | '—' | '–' | '…' | '„' | '“' | '”' | '’' | '№' | '\u{a0}'
    )
}

/// The charset an HTML page declares in its first 4 KiB, if encoding_rs knows it.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        while i < lower.len() && lower[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < lower.len() && lower[i] == b'=' {
            i += 1;
            while i < lower.len() && matches!(lower[i], b' ' | b'"' | b'\'') {
                i += 1;
            }
            let start = i;
            while i < lower.len()
                && (lower[i].is_ascii_alphanumeric() || b"-_:.".contains(&lower[i]))
            {
                i += 1;
            }
            if let Some(enc) = Encoding::for_label(&lower[start..i]) {
                return Some(enc);
            }
        }
        from = i.max(from + pos + 1);
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RU: &str = "Правительство утвердило бюджет на следующий год.";
    const RU_LONG: &str = "Министр финансов заявил журналистам, что дефицит бюджета \
        в этом году составит около двух процентов, а расходы на здравоохранение вырастут.";
    const EN: &str = "The council approved the budget on Tuesday.";

    fn encode(enc: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = enc.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode_bytes(RU.as_bytes()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (RU, "UTF-8"));
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice(EN.as_bytes());
        let d = decode_bytes(&bom).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (EN, "UTF-8"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xff, 0xfe];
        le.extend(utf16(RU, false));
        let d = decode_bytes(&le).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (RU, "UTF-16LE"));
        let mut be = vec![0xfe, 0xff];
        be.extend(utf16(EN, true));
        let d = decode_bytes(&be).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (EN, "UTF-16BE"));
    }

    #[test]
    fn utf16_without_bom_by_nul_pattern() {
        for text in [EN, RU, RU_LONG] {
            let d = decode_bytes(&utf16(text, false)).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (text, "UTF-16LE"));
            let d = decode_bytes(&utf16(text, true)).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (text, "UTF-16BE"));
        }
    }

    #[test]
    fn short_windows_1251_and_koi8_r_russian() {
        for text in [RU, RU_LONG, "Путин заявил.", "Привет, мир!"] {
            let d = decode_bytes(&encode(WINDOWS_1251, text)).unwrap();
            assert_eq!(
                (d.text.as_str(), d.encoding),
                (text, "windows-1251"),
                "1251"
            );
            let d = decode_bytes(&encode(KOI8_R, text)).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (text, "KOI8-R"), "koi8");
        }
    }

    #[test]
    fn latin1_text() {
        let text = "Le ministre a déclaré que la réforme était nécessaire à l'économie française.";
        let d = decode_bytes(&encode(encoding_rs::WINDOWS_1252, text)).unwrap();
        assert_eq!(d.text, text);
        assert_eq!(d.encoding, "windows-1252");
        let d = decode_bytes(b"Caf\xe9 cr\xe8me, na\xefve fa\xe7ade").unwrap();
        assert_eq!(d.text, "Café crème, naïve façade");
    }

    #[test]
    fn html_declared_charset_wins_over_guessing() {
        let mut page = b"<html><head><meta charset=\"koi8-r\"></head><body><p>".to_vec();
        page.extend(encode(KOI8_R, "Да."));
        page.extend_from_slice(b"</p></body></html>");
        let d = decode_html_bytes(&page).unwrap();
        assert_eq!(d.encoding, "KOI8-R");
        assert!(d.text.contains("<p>Да.</p>"));
        let meta =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">";
        assert_eq!(declared_charset(meta), Some(WINDOWS_1251));
        assert_eq!(declared_charset(b"<p>no declaration</p>"), None);
    }

    #[test]
    fn empty_binary_and_broken_inputs_are_errors() {
        assert_eq!(decode_bytes(b"").unwrap_err().0, InputErrorKind::Empty);
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0";
        assert_eq!(decode_bytes(png).unwrap_err().0, InputErrorKind::Binary);
        let controls: Vec<u8> = (0..200u32)
            .map(|i| [0x01, 0x02, b'a', 0x7f][i as usize % 4])
            .collect();
        assert_eq!(
            decode_bytes(&controls).unwrap_err().0,
            InputErrorKind::Binary
        );
        let mut broken = "Всё в порядке, сказал министр.".as_bytes().to_vec();
        broken.insert(10, 0xff);
        let (kind, reason) = decode_bytes(&broken).unwrap_err();
        assert_eq!(kind, InputErrorKind::Undecodable);
        assert!(reason.contains("invalid UTF-8 at byte 10"), "{reason}");
        let (kind, _) = decode_bytes(b"\xff\xfe\x00\xd8").unwrap_err();
        assert_eq!(
            kind,
            InputErrorKind::Undecodable,
            "lone surrogate after a BOM"
        );
    }
}
