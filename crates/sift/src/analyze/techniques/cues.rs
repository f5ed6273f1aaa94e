//! The hand-written cue lexicons the technique features consult: cue categories per
//! word (English whole words, Russian stems matched as prefixes), function words and
//! stop words. The lists are data: `lexicon/techniques-cues-{en,ru}.tsv`,
//! `lexicon/techniques-function-words.txt`, `lexicon/techniques-stop-words.txt`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::hashing::{lower_hash, lower_hash_char, lower_hash_finish, PreHashed, HASH_SEED};
use crate::lexicon;

/// Cue categories; a token's lexicon entry is a bit mask over them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Cue {
    Loaded = 0,
    Superlative,
    Fear,
    Doubt,
    Nation,
    NameCalling,
    Authority,
    Causal,
    BlackWhite,
    Cliche,
    Whatabout,
    Values,
    Exaggeration,
    Minimise,
    Popularity,
    Time,
    Villain,
    Reputation,
    We,
}

impl Cue {
    /// Every category in discriminant order (the bit each sets is its index here).
    pub const ALL: [Cue; 19] = {
        use Cue::*;
        [
            Loaded,
            Superlative,
            Fear,
            Doubt,
            Nation,
            NameCalling,
            Authority,
            Causal,
            BlackWhite,
            Cliche,
            Whatabout,
            Values,
            Exaggeration,
            Minimise,
            Popularity,
            Time,
            Villain,
            Reputation,
            We,
        ]
    };
}

pub const CUE_COUNT: u32 = Cue::ALL.len() as u32;

/// Cues strong enough to propose a word-level span on their own (loaded, superlative,
/// name calling, villains, nation).
pub const STRONG_CUES: u32 = 1 << Cue::Loaded as u32
    | 1 << Cue::Superlative as u32
    | 1 << Cue::NameCalling as u32
    | 1 << Cue::Villain as u32
    | 1 << Cue::Nation as u32;

impl Cue {
    /// The category named in the cue lexicon files (the variant's name).
    fn from_name(name: &str) -> Option<Cue> {
        Cue::ALL.into_iter().find(|c| format!("{c:?}") == name)
    }
}

/// The rows of a cue lexicon: category and its whitespace-separated words, in file order.
fn cue_rows(name: &str, text: &'static str) -> Vec<(Cue, &'static str)> {
    lexicon::rows(name, text, 2)
        .into_iter()
        .map(|row| {
            let cue = Cue::from_name(row[0])
                .unwrap_or_else(|| panic!("lexicon {name}: unknown cue category {:?}", row[0]));
            (cue, row[1])
        })
        .collect()
}

/// English cues: whole lower-case words.
fn english_cues() -> Vec<(Cue, &'static str)> {
    cue_rows(
        "techniques-cues-en",
        include_str!("../../../lexicon/techniques-cues-en.tsv"),
    )
}

/// Russian cues: stems, matched as prefixes of lower-case words (Russian inflects).
fn russian_cues() -> Vec<(Cue, &'static str)> {
    cue_rows(
        "techniques-cues-ru",
        include_str!("../../../lexicon/techniques-cues-ru.tsv"),
    )
}

/// Function words the features treat apart (articles, prepositions, conjunctions,
/// copulas), as [`lower_hash`]es.
pub(super) fn function_words() -> &'static HashSet<u64, PreHashed> {
    static SET: OnceLock<HashSet<u64, PreHashed>> = OnceLock::new();
    SET.get_or_init(|| {
        lexicon::words(include_str!(
            "../../../lexicon/techniques-function-words.txt"
        ))
        .map(lower_hash)
        .collect()
    })
}

/// Words that make no highlight on their own (pronouns, auxiliaries, determiners,
/// degree words): a reported span of nothing else is dropped (see
/// `TechniqueModel::report`). Wider than [`function_words`], which the features use.
pub(super) fn stop_words() -> &'static HashSet<u64, PreHashed> {
    static SET: OnceLock<HashSet<u64, PreHashed>> = OnceLock::new();
    SET.get_or_init(|| {
        lexicon::words(include_str!("../../../lexicon/techniques-stop-words.txt"))
            .map(lower_hash)
            .collect()
    })
}

struct Lexicon {
    english: HashMap<u64, u32, PreHashed>,
    /// Russian stem hash → mask, keyed by stem length in chars.
    russian: HashMap<u64, u32, PreHashed>,
    /// Stem lengths in chars, as a bit set (bit n: some stem has n chars).
    russian_lengths: u64,
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut english = HashMap::default();
        for (cue, words) in english_cues() {
            for w in words.split_whitespace() {
                *english.entry(lower_hash(w)).or_insert(0) |= 1 << (cue as u32);
            }
        }
        let mut russian = HashMap::default();
        let mut lengths = 0u64;
        for (cue, words) in russian_cues() {
            for w in words.split_whitespace() {
                *russian.entry(lower_hash(w)).or_insert(0) |= 1 << (cue as u32);
                lengths |= 1 << w.chars().count().min(63);
            }
        }
        Lexicon {
            english,
            russian,
            russian_lengths: lengths,
        }
    })
}

/// The cue mask of one word (English exact match, Russian longest stem prefix).
pub fn cue_mask(word: &str) -> u32 {
    cue_mask_hashed(word, None)
}

/// [`cue_mask`], reusing the word's [`lower_hash`] when the caller has it.
pub(super) fn cue_mask_hashed(word: &str, word_hash: Option<u64>) -> u32 {
    let lex = lexicon();
    let stripped = word
        .strip_suffix("’s")
        .or_else(|| word.strip_suffix("'s"))
        .unwrap_or(word);
    let hash = match word_hash {
        Some(h) if stripped.len() == word.len() => h,
        _ => lower_hash(stripped),
    };
    let word = stripped;
    let mut mask = lex.english.get(&hash).copied().unwrap_or(0);
    if word.is_ascii() {
        if word.len() > 5 && word.ends_with("est") {
            mask |= 1 << Cue::Superlative as u32;
        }
    } else if word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
        // Every prefix hash in one pass; a stem of n chars matches prefix n.
        let mut h = HASH_SEED;
        for (n, c) in word.chars().enumerate() {
            h = lower_hash_char(h, c);
            let len = n + 1;
            if len < 64 && lex.russian_lengths & (1 << len) != 0 {
                if let Some(m) = lex.russian.get(&lower_hash_finish(h)) {
                    mask |= m;
                }
            }
        }
    } else if word.len() > 5 && word.ends_with("est") {
        mask |= 1 << Cue::Superlative as u32;
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_match_english_words_and_russian_stems() {
        assert_ne!(cue_mask("Unprecedented") & (1 << Cue::Loaded as u32), 0);
        assert_ne!(cue_mask("our") & (1 << Cue::We as u32), 0);
        assert_ne!(cue_mask("Russia’s") & (1 << Cue::Nation as u32), 0);
        assert_ne!(cue_mask("русофобской") & (1 << Cue::Loaded as u32), 0);
        assert_ne!(cue_mask("угрозы") & (1 << Cue::Fear as u32), 0);
        assert_eq!(cue_mask("table"), 0);
        assert_eq!(cue_mask("стол"), 0);
    }

    #[test]
    fn every_cue_category_has_words_in_both_languages() {
        for rows in [english_cues(), russian_cues()] {
            assert_eq!(rows.len() as u32, CUE_COUNT);
            assert!(rows.iter().all(|(_, words)| !words.trim().is_empty()));
        }
    }

    #[test]
    fn all_lists_each_category_at_its_bit() {
        for (i, cue) in Cue::ALL.into_iter().enumerate() {
            assert_eq!(cue as usize, i, "{cue:?}");
            assert_eq!(Cue::from_name(&format!("{cue:?}")), Some(cue));
        }
    }
}
