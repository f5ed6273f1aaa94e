//! From the document's tokens to the syntactic words the treebanks use.
//!
//! Russian treebanks keep the document tokenisation (hyphenated `по-прежнему` is one
//! word). English Web Treebank splits clitics (`do|n't`, `it|'s`, `ca|n't`, `can|not`)
//! and hyphenated compounds (`al|-|Ani`), so English tokens are split the same way;
//! it keeps an abbreviation's period in the word (`Mr.`, `Inc.`, `J.`, `a.m.`), which
//! the document's tokens keep apart, so those are joined.

use crate::document::{Document, Span, Token, TokenKind};

/// Which treebank convention (and model) a sentence follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyntaxLanguage {
    /// English (UD English EWT).
    English,
    /// Russian (GramEval-2020 / UD Russian).
    Russian,
}

const CLITICS: &[&str] = &["'s", "'re", "'ve", "'ll", "'d", "'m"];

/// Word spans of the tokens inside `sentence`.
pub fn sentence_words(doc: &Document, sentence: Span, language: SyntaxLanguage) -> Vec<Span> {
    let mut out = Vec::new();
    let tokens = doc.tokens_in(sentence);
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if language == SyntaxLanguage::English && t.kind == TokenKind::Word {
            if let Some(last) = abbreviation_end(doc, tokens, i) {
                out.push(Span::new(t.start, tokens[last].end));
                i = last + 1;
                continue;
            }
            split_english(doc.slice(t.span()), t.start, &mut out);
        } else {
            out.push(t.span());
        }
        i += 1;
    }
    out
}

/// The index of the period that ends an abbreviation starting at word token `i`: a
/// title-case abbreviation ("Mr.", "Sen.", "Inc.", "Jan."), a few lower-case ones
/// ("etc.", "vs."), or a run of single letters and periods ("J.", "a.m."), each period
/// touching the letters before it. Capitals ("US.") and words like "no." at a sentence's
/// end keep their period apart.
fn abbreviation_end(doc: &Document, tokens: &[Token], i: usize) -> Option<usize> {
    let period_after = |k: usize| {
        tokens
            .get(k + 1)
            .is_some_and(|p| p.start == tokens[k].end && doc.slice(p.span()) == ".")
    };
    if !period_after(i) {
        return None;
    }
    let word = doc.slice(tokens[i].span());
    let mut letters = word.chars();
    let first = letters.next()?;
    let single = letters.next().is_none() && first.is_ascii_alphabetic();
    if single {
        // "a.m.", "J.R.": further letters each touching the period before them.
        let mut last = i + 1;
        while tokens.get(last + 1).is_some_and(|w| {
            w.start == tokens[last].end
                && w.kind == TokenKind::Word
                && w.end - w.start == 1
                && doc.slice(w.span()).chars().all(|c| c.is_ascii_alphabetic())
        }) && period_after(last + 1)
        {
            last += 2;
        }
        return Some(last);
    }
    let lower = word.to_ascii_lowercase();
    let title_case =
        first.is_ascii_uppercase() && word.chars().skip(1).all(|c| c.is_ascii_lowercase());
    let known = (title_case && crate::segment::is_abbreviation(&lower))
        || matches!(lower.as_str(), "etc" | "vs" | "approx" | "cf" | "viz");
    known.then_some(i + 1)
}

/// Split one English word token starting at char `start`.
fn split_english(word: &str, start: usize, out: &mut Vec<Span>) {
    let chars: Vec<char> = word
        .chars()
        .map(|c| {
            if c == '’' {
                '\''
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    let mut from = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '-' && i > from {
            split_clitics(&chars[from..i], start + from, out);
            out.push(Span::new(start + i, start + i + 1));
            from = i + 1;
        }
    }
    split_clitics(&chars[from..], start + from, out);
}

fn split_clitics(chars: &[char], start: usize, out: &mut Vec<Span>) {
    let n = chars.len();
    if n == 0 {
        return;
    }
    let text: String = chars.iter().collect();
    let cut = if n > 3 && text.ends_with("n't") {
        Some(n - 3)
    } else if text == "cannot" {
        Some(3)
    } else {
        CLITICS
            .iter()
            .find(|c| n > c.len() && text.ends_with(*c))
            .map(|c| n - c.len())
    };
    match cut {
        Some(k) => {
            out.push(Span::new(start, start + k));
            out.push(Span::new(start + k, start + n));
        }
        None => out.push(Span::new(start, start + n)),
    }
}

/// The language of a sentence: its paragraph's language when that is English or
/// Russian (Ukrainian goes to Russian), otherwise the script most of its letters use.
pub fn sentence_language(doc: &Document, sentence: Span) -> SyntaxLanguage {
    let paragraph = doc
        .paragraph_at(sentence.start)
        .and_then(|p| doc.paragraph_languages.get(p));
    match paragraph.map(|l| l.code.as_str()) {
        Some("ru" | "uk") => SyntaxLanguage::Russian,
        Some("en") => SyntaxLanguage::English,
        _ => {
            let (mut cyrillic, mut latin) = (0usize, 0usize);
            for c in doc.slice(sentence).chars() {
                if ('\u{400}'..='\u{4ff}').contains(&c) {
                    cyrillic += 1;
                } else if c.is_ascii_alphabetic() {
                    latin += 1;
                }
            }
            if cyrillic > latin {
                SyntaxLanguage::Russian
            } else {
                SyntaxLanguage::English
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let doc = Document::from_text(text);
        let s = doc.sentences[0];
        sentence_words(&doc, s, SyntaxLanguage::English)
            .into_iter()
            .map(|w| doc.slice(w).to_string())
            .collect()
    }

    #[test]
    fn english_clitics_and_hyphens_split_like_ewt() {
        assert_eq!(
            words("I can't say it's al-Ani's."),
            ["I", "ca", "n't", "say", "it", "'s", "al", "-", "Ani", "'s", "."]
        );
        assert_eq!(words("We cannot go."), ["We", "can", "not", "go", "."]);
    }

    /// The document splits "Mr." into a word and a period; EWT (and so the tagger and
    /// parser) read one word, and a title torn from its period wrecked the parse of
    /// "Mr. Schultz … and said …".
    #[test]
    fn abbreviations_keep_their_period_like_ewt() {
        assert_eq!(
            words("Mr. Smith met J. R. Ewing of Acme Inc. at 9 a.m. on Jan. 5 in the US."),
            [
                "Mr.", "Smith", "met", "J.", "R.", "Ewing", "of", "Acme", "Inc.", "at", "9",
                "a.m.", "on", "Jan.", "5", "in", "the", "US", "."
            ]
        );
        assert_eq!(words("He said no."), ["He", "said", "no", "."]);
    }
}
