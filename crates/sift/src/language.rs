//! Language identification per document and per paragraph: en, ru, uk or other.

use serde::{Deserialize, Serialize};

use crate::document::{Document, LanguageHint};

/// A detected language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageInfo {
    /// ISO 639-1 code (`en`, `ru`, `uk`) or `other`/`und`.
    pub code: String,
    /// How sure the detector is, in [0, 1].
    pub confidence: f64,
}

impl Default for LanguageInfo {
    fn default() -> Self {
        LanguageInfo {
            code: "und".into(),
            confidence: 0.0,
        }
    }
}

impl LanguageInfo {
    /// True for Russian.
    pub fn is_russian(&self) -> bool {
        self.code == "ru"
    }
}

/// Letters only Ukrainian uses (among ru/uk): і ї є ґ.
fn is_ukrainian_letter(c: char) -> bool {
    matches!(c, 'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ')
}

/// Letters only Russian uses (among ru/uk): ы э ё ъ.
fn is_russian_letter(c: char) -> bool {
    matches!(c, 'ы' | 'э' | 'ё' | 'ъ' | 'Ы' | 'Э' | 'Ё' | 'Ъ')
}

/// Frequent English function words: enough of them settles a short Latin-script text.
/// Sorted, for binary search.
/// English function words (lowercase ASCII), by which English text is recognised without
/// a statistical model. A `match` on the bytes compiles to length-then-byte comparisons,
/// which profiling showed to be several times faster than a binary search per word.
fn is_english_function_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > 5 {
        return false;
    }
    let mut buf = [0u8; 5];
    for (b, c) in buf.iter_mut().zip(bytes) {
        *b = c.to_ascii_lowercase();
    }
    matches!(
        &buf[..bytes.len()],
        b"a" | b"an"
            | b"and"
            | b"are"
            | b"as"
            | b"at"
            | b"be"
            | b"been"
            | b"but"
            | b"by"
            | b"for"
            | b"from"
            | b"had"
            | b"has"
            | b"have"
            | b"he"
            | b"in"
            | b"is"
            | b"it"
            | b"not"
            | b"of"
            | b"on"
            | b"or"
            | b"said"
            | b"she"
            | b"that"
            | b"the"
            | b"they"
            | b"this"
            | b"to"
            | b"was"
            | b"we"
            | b"were"
            | b"which"
            | b"who"
            | b"will"
            | b"with"
    )
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn info(code: &str, confidence: f64) -> LanguageInfo {
    LanguageInfo {
        code: code.into(),
        confidence: round3(confidence.clamp(0.0, 1.0)),
    }
}

/// Identify the language of one text: `en`, `ru`, `uk`, `other`, or `und` when
/// there are no letters. Script first (Cyrillic or Latin); Cyrillic is split
/// into ru/uk by the letters only one of them has, falling back to whatlang
/// restricted to those two; Latin text is English when whatlang says so or when
/// English function words are frequent (whatlang is unsure on short text).
pub fn detect_text(text: &str) -> LanguageInfo {
    let (mut latin, mut cyrillic, mut other, mut uk, mut ru) = (0usize, 0usize, 0usize, 0, 0);
    // Words (maximal alphabetic runs) and English function words, counted in the same pass.
    let (mut words, mut function_words) = (0usize, 0usize);
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if c.is_ascii() || !c.is_alphabetic() {
            if let Some(s) = word_start.take() {
                words += 1;
                function_words += usize::from(is_english_function_word(&text[s..i]));
            }
            continue;
        } else if ('\u{00C0}'..='\u{024F}').contains(&c) {
            latin += 1;
        } else if ('\u{0400}'..='\u{04FF}').contains(&c) {
            cyrillic += 1;
            uk += usize::from(is_ukrainian_letter(c));
            ru += usize::from(is_russian_letter(c));
        } else {
            other += 1;
        }
        word_start.get_or_insert(i);
    }
    if let Some(s) = word_start {
        words += 1;
        function_words += usize::from(is_english_function_word(&text[s..]));
    }
    let letters = latin + cyrillic + other;
    if letters == 0 {
        return LanguageInfo::default();
    }
    if cyrillic * 2 > letters {
        let script_share = cyrillic as f64 / letters as f64;
        if uk != ru {
            let (code, hits, against) = if uk > ru {
                ("uk", uk, ru)
            } else {
                ("ru", ru, uk)
            };
            // More distinctive letters, more certainty; a few letters of the other
            // language (names, quotes) lower it.
            let margin = (hits - against) as f64 / (hits + against) as f64;
            let evidence = 1.0 - 0.5f64.powi(hits as i32);
            return info(code, script_share * margin * (0.5 + 0.5 * evidence));
        }
        // Neither set: "і" is so frequent in Ukrainian that a sentence without it is
        // almost surely Russian; very short text goes to whatlang (ru/uk only).
        if cyrillic >= 12 {
            return info("ru", script_share * 0.7);
        }
        let detector =
            whatlang::Detector::with_allowlist(vec![whatlang::Lang::Rus, whatlang::Lang::Ukr]);
        return match detector.detect(text) {
            Some(i) if i.lang() == whatlang::Lang::Ukr => {
                info("uk", script_share * i.confidence() * 0.8)
            }
            Some(i) => info("ru", script_share * i.confidence().max(0.5)),
            None => info("ru", script_share * 0.5),
        };
    }
    if latin * 2 > letters {
        let script_share = latin as f64 / letters as f64;
        let share = function_words as f64 / words.max(1) as f64;
        // Frequent English function words settle it without the (slower) trigram model.
        if share >= 0.12 && words >= 3 {
            return info("en", script_share * (0.6 + share).min(0.99));
        }
        // Short Latin text with no English function words (a heading, a name):
        // in English news most likely English; the trigram model can't tell either.
        if words <= 6 {
            return info("en", 0.3);
        }
        let guess = whatlang::detect(text);
        return match guess {
            Some(i) if i.lang() == whatlang::Lang::Eng => {
                info("en", script_share * i.confidence().max(0.5 + share))
            }
            _ if share >= 0.12 => info("en", script_share * (0.5 + share).min(0.95)),
            Some(i) if i.is_reliable() => info("other", i.confidence()),
            Some(i) => info("other", i.confidence()),
            None => info("other", 0.3),
        };
    }
    info("other", other as f64 / letters as f64)
}

/// The document's language from its paragraphs': a vote weighted by paragraph
/// length, confidence the weighted mean confidence of the winner times its share.
fn document_language(doc: &Document, per_paragraph: &[LanguageInfo]) -> LanguageInfo {
    let mut weight: Vec<(&str, f64, f64)> = Vec::new();
    let mut total = 0.0;
    for (p, info) in doc.paragraphs.iter().zip(per_paragraph) {
        if info.code == "und" {
            continue;
        }
        let w = p.len() as f64;
        total += w;
        match weight.iter_mut().find(|(c, _, _)| *c == info.code) {
            Some(entry) => {
                entry.1 += w;
                entry.2 += w * info.confidence;
            }
            None => weight.push((info.code.as_str(), w, w * info.confidence)),
        }
    }
    weight
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(code, w, conf)| info(code, (conf / w) * (w / total)))
        .unwrap_or_default()
}

/// Document language and one language per paragraph.
pub fn identify(doc: &Document, hint: LanguageHint) -> (LanguageInfo, Vec<LanguageInfo>) {
    let per_paragraph: Vec<LanguageInfo> = doc
        .paragraphs
        .iter()
        .map(|p| detect_text(doc.slice(*p)))
        .collect();
    let doc_lang = match hint {
        LanguageHint::English => LanguageInfo {
            code: "en".into(),
            confidence: 1.0,
        },
        LanguageHint::Russian => LanguageInfo {
            code: "ru".into(),
            confidence: 1.0,
        },
        LanguageHint::Auto => document_language(doc, &per_paragraph),
    };
    (doc_lang, per_paragraph)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ukrainian_letters_separate_uk_from_ru() {
        assert_eq!(
            detect_text("Міністр заявив, що переговори відновляться.").code,
            "uk"
        );
        assert_eq!(
            detect_text("Министр заявил, что переговоры возобновятся.").code,
            "ru"
        );
    }

    #[test]
    fn short_english_and_empty_text() {
        assert_eq!(detect_text("Nobody was hurt.").code, "en");
        assert_eq!(detect_text("2024 — 15 %").code, "und");
    }

    #[test]
    fn other_languages_are_other() {
        let fr =
            detect_text("Le gouvernement a annoncé une nouvelle réforme des retraites hier soir.");
        assert_eq!(fr.code, "other");
    }

    #[test]
    fn written_paragraphs_are_identified() {
        let data = include_str!("../tests/data/language/paragraphs.tsv");
        let mut wrong = Vec::new();
        let mut total = 0;
        for line in data.lines().filter(|l| !l.starts_with('#')) {
            let (lang, text) = line.split_once('\t').unwrap();
            total += 1;
            let got = detect_text(text);
            if got.code != lang {
                wrong.push(format!("{lang} → {}: {text}", got.code));
            }
        }
        assert!(
            wrong.len() * 20 <= total,
            "{} of {total} wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}
