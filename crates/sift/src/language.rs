//! Language identification per document and per paragraph: en, ru, uk or other.

use serde::{Deserialize, Serialize};

use crate::document::{Document, LanguageHint};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageInfo {
    /// ISO 639-1 code (`en`, `ru`, `uk`) or `other`/`und`.
    pub code: String,
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
    pub fn is_russian(&self) -> bool {
        self.code == "ru"
    }
}

fn detect(text: &str) -> LanguageInfo {
    match whatlang::detect(text) {
        Some(info) => {
            let code = match info.lang() {
                whatlang::Lang::Eng => "en",
                whatlang::Lang::Rus => "ru",
                whatlang::Lang::Ukr => "uk",
                _ => "other",
            };
            LanguageInfo {
                code: code.into(),
                confidence: (info.confidence() * 1000.0).round() / 1000.0,
            }
        }
        None => LanguageInfo::default(),
    }
}

/// Document language and one language per paragraph.
pub fn identify(doc: &Document, hint: LanguageHint) -> (LanguageInfo, Vec<LanguageInfo>) {
    let per_paragraph: Vec<LanguageInfo> = doc
        .paragraphs
        .iter()
        .map(|p| detect(doc.slice(*p)))
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
        LanguageHint::Auto => {
            // Long documents: a prefix is plenty and keeps detection O(1).
            let text = doc.text();
            let mut end = text.len().min(20_000);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            detect(&text[..end])
        }
    };
    (doc_lang, per_paragraph)
}
