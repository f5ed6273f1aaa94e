//! The document model: normalised text, an immutable offset map, and the
//! structural layers (paragraphs, sentences, tokens, language) every analyser reads.
//!
//! Offsets are Unicode scalar value (char) indices into [`Document::text`],
//! half-open `[start, end)`. Never slice the UTF-8 text with them directly: use
//! [`Document::slice`] or [`Document::byte_of`], which go through the offset map.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

use crate::language::{self, LanguageInfo};
use crate::segment;
use crate::syntax::Syntax;

/// A half-open range of char indices into the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First char index.
    pub start: usize,
    /// One past the last char index.
    pub end: usize,
}

impl Span {
    /// The span `[start, end)`.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span { start, end }
    }
    /// Its length in chars.
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    /// True when it covers no char.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
    /// True when `other` lies inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// True when the two spans share at least one char.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Letters, with inner hyphens and apostrophes; dotted acronyms ("U.S.").
    Word,
    /// Digits, with decimal and grouping separators.
    Number,
    /// Punctuation.
    Punct,
    /// Any other symbol (currency signs, %, emoji).
    Symbol,
}

/// A word, number, punctuation mark or symbol of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// First char index.
    pub start: usize,
    /// One past the last char index.
    pub end: usize,
    /// What the token is.
    pub kind: TokenKind,
}

impl Token {
    /// Its char span.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// Where a document came from and what the input layer learned about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The file it was read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The page's address, when the input gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// The publication date as given.
    pub published: Option<String>,
    /// The publisher.
    pub outlet: Option<String>,
    /// The author line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// The character encoding the bytes were decoded from (`UTF-8`, `windows-1251`, …).
    pub encoding: Option<String>,
    /// `text`, `html` or `jsonl`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

/// The result of decoding and extraction, before normalisation.
#[derive(Debug, Clone, Default)]
pub struct RawDocument {
    /// The report id: file stem, JSONL `id`, or `stdin`.
    pub id: String,
    /// Where it came from.
    pub source: Source,
    /// The decoded (and, for HTML, extracted) text.
    pub text: String,
}

/// Maps char indices of the normalised text to byte offsets in it, and back
/// to char indices of the text as it came from the input layer.
#[derive(Debug, Clone)]
struct OffsetMap {
    /// `byte_of_char[i]` is the byte offset of char `i`; one extra entry holds the text length.
    byte_of_char: Vec<u32>,
    /// `source_char[i]` is the char index in the pre-normalisation text that char `i` came from;
    /// one extra entry holds the source length.
    source_char: Vec<u32>,
}

/// A normalised document with its structural layers. Immutable once built.
#[derive(Debug, Clone)]
pub struct Document {
    /// The report id.
    pub id: String,
    /// Where it came from.
    pub source: Source,
    text: String,
    /// `text` lower-cased char by char where that keeps each char's UTF-8 length, so byte
    /// offsets into `text` are offsets into `lower` too (see [`Document::lower_of`]).
    lower: String,
    /// Byte offsets of the few chars that `lower` had to leave as they are (their lower
    /// case has another length, or depends on context: Greek final sigma). Sorted.
    inexact_lower: Vec<u32>,
    offsets: OffsetMap,
    /// Paragraphs, in order, non-overlapping.
    pub paragraphs: Vec<Span>,
    /// Sentences, in order, each inside one paragraph.
    pub sentences: Vec<Span>,
    /// Tokens, in order.
    pub tokens: Vec<Token>,
    /// The document's language (a length-weighted vote over paragraphs, or the hint).
    pub language: LanguageInfo,
    /// One entry per paragraph, same order as `paragraphs`.
    pub paragraph_languages: Vec<LanguageInfo>,
    /// Computed by the first call to [`Document::syntax`].
    syntax: OnceLock<Syntax>,
}

/// Language choice for [`Document::build`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LanguageHint {
    /// Detect per paragraph and vote.
    #[default]
    Auto,
    /// Treat the document as English.
    English,
    /// Treat the document as Russian.
    Russian,
}

impl Document {
    /// Normalise, segment and identify the language of a raw document.
    pub fn build(raw: RawDocument, hint: LanguageHint) -> Document {
        let (text, source_char) = normalise(&raw.text);
        let mut byte_of_char = Vec::with_capacity(source_char.len());
        for (b, _) in text.char_indices() {
            byte_of_char.push(b as u32);
        }
        byte_of_char.push(text.len() as u32);
        let offsets = OffsetMap {
            byte_of_char,
            source_char,
        };
        let (lower, inexact_lower) = lower_in_place(&text);
        let mut doc = Document {
            id: raw.id,
            source: raw.source,
            text,
            lower,
            inexact_lower,
            offsets,
            paragraphs: Vec::new(),
            sentences: Vec::new(),
            tokens: Vec::new(),
            language: LanguageInfo::default(),
            paragraph_languages: Vec::new(),
            syntax: OnceLock::new(),
        };
        doc.paragraphs = segment::paragraphs(&doc);
        doc.sentences = segment::sentences(&doc);
        doc.tokens = segment::tokens(&doc);
        let (lang, per_paragraph) = language::identify(&doc, hint);
        doc.language = lang;
        doc.paragraph_languages = per_paragraph;
        doc
    }

    /// Convenience for tests and the library API: build from a plain string.
    pub fn from_text(text: &str) -> Document {
        Document::build(
            RawDocument {
                id: "doc".into(),
                source: Source::default(),
                text: text.into(),
            },
            LanguageHint::Auto,
        )
    }

    /// Lemmas, UPOS, morphological features and dependency trees of every sentence,
    /// computed on the first call (tens of milliseconds per article) and cached.
    pub fn syntax(&self) -> &Syntax {
        self.syntax.get_or_init(|| crate::syntax::analyze(self))
    }

    /// The normalised text every offset indexes.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text of a char span in lower case — exactly `self.slice(span).to_lowercase()`,
    /// but borrowed from a lower-cased copy of the text made once per document, so layers
    /// that compare words case-insensitively do not each allocate per token.
    pub fn lower_of(&self, span: Span) -> Cow<'_, str> {
        let (b0, b1) = (self.byte_of(span.start), self.byte_of(span.end));
        let i = self.inexact_lower.partition_point(|&b| (b as usize) < b0);
        match self.inexact_lower.get(i) {
            Some(&b) if (b as usize) < b1 => Cow::Owned(self.text[b0..b1].to_lowercase()),
            _ => Cow::Borrowed(&self.lower[b0..b1]),
        }
    }

    /// Length of the text in chars.
    pub fn len_chars(&self) -> usize {
        self.offsets.byte_of_char.len() - 1
    }

    /// Byte offset in `text()` of char index `c` (`c == len_chars()` is allowed).
    pub fn byte_of(&self, c: usize) -> usize {
        self.offsets.byte_of_char[c] as usize
    }

    /// Char index of byte offset `b`, which must lie on a char boundary.
    pub fn char_of(&self, b: usize) -> usize {
        match self.offsets.byte_of_char.binary_search(&(b as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Char span of a byte range of `text()`.
    pub fn span_of_bytes(&self, start: usize, end: usize) -> Span {
        Span::new(self.char_of(start), self.char_of(end))
    }

    /// The text of a char span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[self.byte_of(span.start)..self.byte_of(span.end)]
    }

    /// The char index in the input text (before normalisation) that char `c` came from.
    pub fn source_char_of(&self, c: usize) -> usize {
        self.offsets.source_char[c] as usize
    }

    /// Index of the sentence containing char `c`, if any.
    pub fn sentence_at(&self, c: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= c);
        (i < self.sentences.len() && self.sentences[i].start <= c).then_some(i)
    }

    /// Index of the paragraph containing char `c`, if any.
    pub fn paragraph_at(&self, c: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|s| s.end <= c);
        (i < self.paragraphs.len() && self.paragraphs[i].start <= c).then_some(i)
    }

    /// Indices of the tokens lying inside `span` (each overlapping it).
    pub fn token_range(&self, span: Span) -> std::ops::Range<usize> {
        let lo = self.tokens.partition_point(|t| t.end <= span.start);
        let hi = self.tokens.partition_point(|t| t.start < span.end);
        lo..hi.max(lo)
    }

    /// Tokens lying inside `span`.
    pub fn tokens_in(&self, span: Span) -> &[Token] {
        &self.tokens[self.token_range(span)]
    }

    /// Number of word tokens.
    pub fn word_count(&self) -> usize {
        self.tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .count()
    }
}

/// `text` lower-cased in place (same byte offsets) and the byte offsets of the chars left as
/// they were because their lower case is longer or shorter, or context-dependent (Σ).
fn lower_in_place(text: &str) -> (String, Vec<u32>) {
    if text.is_ascii() {
        return (text.to_ascii_lowercase(), Vec::new());
    }
    let mut lower = String::with_capacity(text.len());
    let mut inexact = Vec::new();
    for (b, c) in text.char_indices() {
        if c.is_ascii() {
            lower.push(c.to_ascii_lowercase());
            continue;
        }
        let mut l = c.to_lowercase();
        match (l.next(), l.next()) {
            (Some(one), None) if one.len_utf8() == c.len_utf8() && c != 'Σ' => lower.push(one),
            _ => {
                lower.push(c);
                inexact.push(b as u32);
            }
        }
    }
    (lower, inexact)
}

/// Whether [`normalise`]'s first pass would leave `input` as it is: no BOM, carriage return,
/// tab, Unicode line separator, other control character (C0, DEL, C1) but `\n`, nor an
/// [`is_invisible_format`] character.
fn needs_no_cleaning(input: &str) -> bool {
    let bytes = input.as_bytes();
    let controls_ok = bytes.iter().enumerate().all(|(i, &b)| match b {
        b'\n' => true,
        0..=0x1F | 0x7F => false,
        // U+0080–U+009F (C1 controls, U+0085 among them) are 0xC2 0x80–0x9F in UTF-8.
        0xC2 => !matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
        // U+2028 and U+2029 are 0xE2 0x80 0xA8/0xA9.
        0xE2 => !(bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9))),
        _ => true,
    });
    controls_ok && (input.is_ascii() || !input.chars().any(is_invisible_format))
}

/// Invisible formatting characters (Unicode general category Cf): zero-width
/// spaces and joiners, the soft hyphen, byte-order marks, bidirectional marks,
/// embeddings, overrides and isolates, and the tag characters. They change how
/// text reads without being seen — `$5\u{200B} million` must read as $5
/// million, and U+202E must never reach a terminal — so normalisation drops
/// them (the offset map skips them, so offsets into the input stay exact).
pub(crate) fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// `text` without control characters (but `\n`) and [`is_invisible_format`]
/// characters: for metadata (titles, bylines) that reaches the user unnormalised.
pub(crate) fn strip_invisible(text: &str) -> std::borrow::Cow<'_, str> {
    let drop = |c: char| (c.is_control() && c != '\n') || is_invisible_format(c);
    if text.chars().any(drop) {
        std::borrow::Cow::Owned(text.chars().filter(|&c| !drop(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// NFC, one newline convention (`\n`), no NULs, stray control characters or
/// invisible formatting characters ([`is_invisible_format`]),
/// non-breaking and other exotic spaces kept as they are inside lines (they
/// matter for "14 000"). Returns the text and, for
/// each output char plus one past the end, the input char index it came from.
fn normalise(input: &str) -> (String, Vec<u32>) {
    // First pass: newline convention and control characters, tracking source offsets.
    // Most inputs need nothing: copy them whole and map each char to itself.
    if needs_no_cleaning(input) {
        let n = input.chars().count() as u32;
        let cleaned = input.to_string();
        let origin: Vec<u32> = (0..n).collect();
        return finish_normalise(cleaned, origin, n);
    }
    let mut cleaned = String::with_capacity(input.len());
    let mut origin: Vec<u32> = Vec::with_capacity(input.len());
    let mut chars = input.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if is_invisible_format(c) => {}
            '\r' => {
                if matches!(chars.peek(), Some((_, '\n'))) {
                    continue;
                }
                cleaned.push('\n');
                origin.push(i as u32);
            }
            '\u{2028}' | '\u{2029}' | '\u{0085}' => {
                cleaned.push('\n');
                origin.push(i as u32);
            }
            '\t' => {
                cleaned.push(' ');
                origin.push(i as u32);
            }
            c if c.is_control() && c != '\n' => {}
            c => {
                cleaned.push(c);
                origin.push(i as u32);
            }
        }
    }
    let source_len = input.chars().count() as u32;
    finish_normalise(cleaned, origin, source_len)
}

/// Second pass of [`normalise`]: NFC, and the end-of-text entry of the source map.
fn finish_normalise(cleaned: String, origin: Vec<u32>, source_len: u32) -> (String, Vec<u32>) {
    // Only recompose when needed (the common case is already NFC).
    let (text, mut map) = if unicode_normalization::is_nfc_quick(cleaned.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        (cleaned, origin)
    } else {
        nfc_with_map(&cleaned, &origin)
    };
    map.push(source_len);
    (text, map)
}

/// NFC per run of chars between starters, so each output char maps to the
/// first input char of the run it came from.
fn nfc_with_map(cleaned: &str, origin: &[u32]) -> (String, Vec<u32>) {
    let mut out = String::with_capacity(cleaned.len());
    let mut map = Vec::with_capacity(origin.len());
    let chars: Vec<char> = cleaned.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let mut j = i + 1;
        while j < chars.len()
            && unicode_normalization::char::canonical_combining_class(chars[j]) != 0
        {
            j += 1;
        }
        // Hangul and a few other compositions join two starters; handle them by
        // letting a run extend while composition would merge the next starter.
        while j < chars.len() {
            let pair: String = [chars[j - 1], chars[j]].iter().collect();
            if pair.nfc().count() < 2 {
                j += 1;
            } else {
                break;
            }
        }
        let run: String = chars[i..j].iter().collect();
        for c in run.nfc() {
            out.push(c);
            map.push(origin[i]);
        }
        i = j;
    }
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_of_equals_to_lowercase_for_every_token() {
        let doc = Document::from_text(
            "The KREMLIN said «Москва» — İstanbul ΟΔΟΣ Straße ǅemal; Kelvin \u{212A} ok.",
        );
        for t in &doc.tokens {
            let span = t.span();
            assert_eq!(
                doc.lower_of(span),
                doc.slice(span).to_lowercase(),
                "{span:?}"
            );
        }
        assert!(matches!(
            doc.lower_of(doc.tokens[1].span()),
            Cow::Borrowed("kremlin")
        ));
    }

    #[test]
    fn the_fast_path_is_taken_only_for_text_that_needs_no_cleaning() {
        for clean in [
            "plain text\nsecond line",
            "Москва — «кавычки» … ok",
            "",
            "é\u{00A0}x",
        ] {
            assert!(needs_no_cleaning(clean), "{clean:?}");
        }
        for dirty in [
            "a\r\nb",
            "a\tb",
            "\u{FEFF}bom",
            "a\u{0085}b",
            "a\u{0090}b",
            "a\u{2028}b",
            "a\u{2029}b",
            "a\u{007F}b",
            "a\u{0001}b",
            "a\u{200B}b",
            "a\u{202E}b",
            "a\u{00AD}b",
            "x\u{FEFF}",
        ] {
            assert!(!needs_no_cleaning(dirty), "{dirty:?}");
        }
        // The fast path maps each char to itself.
        let (text, map) = normalise("Привет, мир");
        assert_eq!(text, "Привет, мир");
        assert_eq!(map, (0..=11).collect::<Vec<u32>>());
    }

    #[test]
    fn crlf_and_bom_are_normalised_with_offsets_back_to_source() {
        let doc = Document::from_text("\u{FEFF}One.\r\nTwo.");
        assert_eq!(doc.text(), "One.\nTwo.");
        // 'T' is char 5 of the output and char 7 of the input (BOM, CR).
        assert_eq!(doc.slice(Span::new(5, 6)), "T");
        assert_eq!(doc.source_char_of(5), 7);
    }

    #[test]
    fn invisible_and_bidi_characters_are_dropped_with_offsets_exact() {
        let input = "Cost: $5\u{200B} million.\u{202E}evil\u{202C} \u{FEFF}mil\u{00AD}lion \u{2066}x\u{2069}";
        let doc = Document::from_text(input);
        assert_eq!(doc.text(), "Cost: $5 million.evil million x");
        assert!(!doc.text().chars().any(is_invisible_format));
        // Every char maps back to the same char of the input.
        let source: Vec<char> = input.chars().collect();
        for (c, ch) in doc.text().chars().enumerate() {
            assert_eq!(source[doc.source_char_of(c)], ch, "char {c}");
        }
        assert_eq!(doc.source_char_of(doc.len_chars()), source.len());
        // "million" after the zero-width space starts at input char 10.
        let m = doc.text().find("million").unwrap();
        assert_eq!(doc.source_char_of(doc.char_of(m)), 10);
    }

    #[test]
    fn source_map_round_trips_on_mixed_input() {
        let input = "\u{FEFF}A\r\nb\u{0001}c\u{200D}d\tCafe\u{301}\u{2028}Ω\u{E0041}z\r";
        let doc = Document::from_text(input);
        let source: Vec<char> = input.chars().collect();
        let mut previous = 0;
        for (c, ch) in doc.text().chars().enumerate() {
            let at = doc.source_char_of(c);
            assert!(at >= previous, "the map is monotone");
            previous = at;
            let from = source[at];
            assert!(
                from == ch
                    || matches!(
                        (from, ch),
                        ('\r' | '\u{2028}', '\n') | ('\t', ' ') | ('e', 'é')
                    ),
                "char {c}: {ch:?} from {from:?}"
            );
        }
        assert_eq!(doc.text(), "A\nbcd Café\nΩz\n");
    }

    #[test]
    fn metadata_loses_controls_and_invisibles() {
        assert_eq!(strip_invisible("Ti\u{202E}tle\u{0007}"), "Title");
        assert!(matches!(strip_invisible("Plain"), Cow::Borrowed("Plain")));
    }

    #[test]
    fn decomposed_text_is_composed_to_nfc() {
        let doc = Document::from_text("Cafe\u{301} de Pari\u{301}s");
        assert_eq!(doc.text(), "Café de París");
        assert_eq!(doc.len_chars(), 13);
        assert_eq!(doc.source_char_of(4), 5);
    }

    #[test]
    fn char_offsets_survive_multibyte_text() {
        let doc = Document::from_text("Путин сказал «да».");
        let span = Span::new(6, 12);
        assert_eq!(doc.slice(span), "сказал");
        assert_eq!(doc.char_of(doc.byte_of(6)), 6);
    }
}
