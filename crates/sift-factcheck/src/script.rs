//! Which alphabet a text is written in.
//!
//! A Russian claim and an English fact-check share no words, only digits and Latin
//! names, so their lexical scores say nothing, and a re-ranker that learnt to trust
//! word overlap on English pairs would reject every such pair. The store notes each
//! record's alphabet, and a pair written in two alphabets is scored by the semantic
//! re-ranker ([`crate::fusion::Reranker::cross_script`]).

/// The alphabet most of a text's letters are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Script {
    /// No Latin or Cyrillic letter (digits, punctuation, other alphabets).
    #[default]
    Unknown,
    /// Latin letters, with their accented forms.
    Latin,
    /// Cyrillic letters.
    Cyrillic,
}

impl Script {
    /// The alphabet of most of `text`'s letters (Latin on a tie).
    pub fn of(text: &str) -> Script {
        let (mut latin, mut cyrillic) = (0usize, 0usize);
        for c in text.chars() {
            match c {
                'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' => latin += 1,
                '\u{0400}'..='\u{04FF}' => cyrillic += 1,
                _ => {}
            }
        }
        match (latin, cyrillic) {
            (0, 0) => Script::Unknown,
            (l, c) if c > l => Script::Cyrillic,
            _ => Script::Latin,
        }
    }

    /// Both alphabets are known and they differ.
    pub fn differs_from(self, other: Script) -> bool {
        self != Script::Unknown && other != Script::Unknown && self != other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_majority_of_letters_decides_and_digits_do_not_count() {
        assert_eq!(
            Script::of("Вакцина Pfizer убила 29 человек"),
            Script::Cyrillic
        );
        assert_eq!(
            Script::of("29 people died after the Pfizer vaccine"),
            Script::Latin
        );
        assert_eq!(Script::of("Müller's café"), Script::Latin);
        assert_eq!(Script::of("2014 — 29"), Script::Unknown);
        assert!(Script::Cyrillic.differs_from(Script::Latin));
        assert!(!Script::Latin.differs_from(Script::Latin));
        assert!(!Script::Unknown.differs_from(Script::Latin));
    }
}
