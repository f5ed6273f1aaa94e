//! Word lists for attribution: reporting cues, source words, titles (English and Russian).

/// What kind of cue a word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueClass {
    /// A verb of saying or writing: said, told, заявил.
    Speech,
    /// A verb of thinking or believing: believes, считает.
    Cognition,
    /// Part of a prepositional cue: according (to), по (словам).
    Prepositional,
}

/// Hasher for the word tables: the keys are short and not attacker-chosen.
pub type WordHasher = rustc_hash::FxBuildHasher;

/// The cue class of a lowercased word, if it is a reporting cue.
#[inline]
pub fn cue_class(lower: &str) -> Option<CueClass> {
    let &first = lower.as_bytes().first()?;
    if first.is_ascii() {
        // Every token of every document comes here: turn away English words whose
        // (first letter, last letter, length) no cue word has before hashing them.
        let last = lower.as_bytes()[lower.len() - 1];
        if !first.is_ascii_lowercase()
            || !last.is_ascii_lowercase()
            || lower.len() > 16
            || cue_shapes()[(first - b'a') as usize][(last - b'a') as usize] & (1 << lower.len())
                == 0
        {
            return None;
        }
    }
    cue_class_looked_up(lower)
}

/// English verbs of saying and writing, every inflected form: said, told.
pub fn en_speech() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-cues-en-speech.txt"
    ))
}

/// English verbs of thinking and believing, every inflected form: believes, thought.
pub fn en_cognition() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-cues-en-cognition.txt"
    ))
}

/// Russian reporting-verb stems, matched as prefixes of the lowercased word.
fn ru_speech_stems() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-cues-ru-speech.txt"
    ))
}

/// Russian cognition-verb stems, matched as prefixes of the lowercased word.
fn ru_cognition_stems() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-cues-ru-cognition.txt"
    ))
}

/// Words besides the reporting verbs that anchor a cue the tagger proposes ("citing",
/// "criticized", "called"): learned from PolNeAR train, English only.
pub fn tagger_anchors() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-tagger-anchors-en.txt"
    ))
}

/// Whether `word` (lower case) is one of [`tagger_anchors`].
pub fn is_tagger_anchor(word: &str) -> bool {
    word_set!(tagger_anchors()).contains(word)
}

/// Lower-case words that may end a source the tagger proposes ("journalists", "regulators"):
/// learned from PolNeAR train, English only.
pub fn tagger_source_heads() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-source-heads-en.txt"
    ))
}

/// Whether `word` (lower case) is one of [`tagger_source_heads`].
pub fn is_tagger_source_head(word: &str) -> bool {
    word_set!(tagger_source_heads()).contains(word)
}

/// Words naming a document, a poll or data as a source; Russian entries are stems.
pub fn document_words() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-document-words.txt"
    ))
}

/// Words naming a collective, unidentified source: "analysts", «эксперты».
/// Capitalised plurals of a party or a people ("Democrats", «Консерваторы»): collective.
pub fn group_plurals() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-group-plurals.txt"
    ))
}

pub fn vague_heads() -> &'static [&'static str] {
    word_list!(include_str!("../../../lexicon/attribution-vague-heads.txt"))
}

/// Words marking an anonymous source: "a source close to the talks", «источник».
pub fn anonymous_markers() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-anonymous-markers.txt"
    ))
}

/// Is `lower` an English month name (not "may": see the list's header)?
pub fn is_month(lower: &str) -> bool {
    word_list!(include_str!("../../../lexicon/attribution-months.txt")).contains(&lower)
}

/// Is `lower` an English weekday name?
pub fn is_weekday(lower: &str) -> bool {
    word_list!(include_str!("../../../lexicon/attribution-weekdays.txt")).contains(&lower)
}

/// Titles and roles that precede or follow a person's name (some hold a space).
pub fn titles() -> &'static [&'static str] {
    word_list!(include_str!("../../../lexicon/attribution-titles.txt"))
}

/// Honorifics before a name: "Mr.", «г-жа».
pub fn honorifics() -> &'static [&'static str] {
    word_list!(include_str!("../../../lexicon/attribution-honorifics.txt"))
}

/// Single words that make a capitalised run a title: "Press Secretary", "Sen.".
pub fn title_words() -> &'static [&'static str] {
    word_list!(include_str!("../../../lexicon/attribution-title-words.txt"))
}

/// Title words that only modify another title word: "Foreign" in "Foreign Minister".
pub fn title_modifiers() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-title-modifiers.txt"
    ))
}

/// Nouns that alone refer back to the outlet named before ("the newspaper", «издание»).
pub fn outlet_nouns() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-outlet-nouns.txt"
    ))
}

type Words = std::sync::OnceLock<std::collections::HashSet<&'static str, WordHasher>>;

/// Whether a list with several words per line holds `word` (as written).
fn holds(set: &'static Words, list: &'static str, word: &str) -> bool {
    set.get_or_init(|| crate::lexicon::words(list).collect())
        .contains(word)
}

/// Is `name` (as written) a common given name ("Rick", «Сергей»)?
pub fn is_given_name(name: &str) -> bool {
    static SET: Words = Words::new();
    holds(&SET, include_str!("../../../lexicon/first-names.txt"), name)
}

/// Is `name` (as written) a one-word organisation name ("Reuters", "Gazprom")?
pub fn is_org_name(name: &str) -> bool {
    static SET: Words = Words::new();
    holds(
        &SET,
        include_str!("../../../lexicon/attribution-org-names.txt"),
        name,
    )
}

/// Is `lower` a capitalised word that never names anyone ("it", "you", "ever")?
pub fn is_not_a_name(lower: &str) -> bool {
    word_set!(word_list!(include_str!(
        "../../../lexicon/entities-not-names.txt"
    )))
    .contains(lower)
}

/// Nouns that make a source an organisation; the Russian ones in the nominative.
pub fn org_words() -> &'static [&'static str] {
    word_list!(include_str!("../../../lexicon/attribution-org-words.txt"))
}

/// Bit `len` of `cue_shapes()[first letter][last letter]` is set when some English cue
/// word (all are lower-case ASCII letters, at most 16; a unit test checks) has that shape.
fn cue_shapes() -> &'static [[u32; 26]; 26] {
    static SHAPES: std::sync::OnceLock<[[u32; 26]; 26]> = std::sync::OnceLock::new();
    SHAPES.get_or_init(|| {
        let mut bits = [[0u32; 26]; 26];
        let words = en_speech()
            .iter()
            .chain(en_cognition())
            .chain(&["according"]);
        for w in words.map(|w| w.as_bytes()) {
            let (a, z) = (w[0], w[w.len() - 1]);
            if a.is_ascii_lowercase() && z.is_ascii_lowercase() && w.len() <= 16 {
                bits[(a - b'a') as usize][(z - b'a') as usize] |= 1 << w.len();
            }
        }
        bits
    })
}

fn cue_class_looked_up(lower: &str) -> Option<CueClass> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    // Every token of every document is looked up: hash the English words (with
    // a cheap hash: the keys are short and not attacker-chosen) and bucket the
    // Russian stems by first letter instead of scanning the lists.
    static ENGLISH: OnceLock<HashMap<&'static str, CueClass, WordHasher>> = OnceLock::new();
    static RUSSIAN: OnceLock<HashMap<char, Vec<(&'static str, CueClass)>>> = OnceLock::new();
    let &first_byte = lower.as_bytes().first()?;
    if first_byte.is_ascii() {
        let first = first_byte;
        if !first.is_ascii_lowercase() || lower.len() > 16 {
            return None;
        }
        let table = ENGLISH.get_or_init(|| {
            let mut m = HashMap::with_hasher(WordHasher::default());
            for w in en_cognition() {
                m.insert(*w, CueClass::Cognition);
            }
            for w in en_speech() {
                m.insert(*w, CueClass::Speech);
            }
            m.insert("according", CueClass::Prepositional);
            m
        });
        return table.get(lower).copied();
    }
    let first = lower.chars().next()?;
    let stems = RUSSIAN.get_or_init(|| {
        let mut m: HashMap<char, Vec<(&'static str, CueClass)>> = HashMap::new();
        for (list, class) in [
            (ru_speech_stems(), CueClass::Speech),
            (ru_cognition_stems(), CueClass::Cognition),
        ] {
            for s in list {
                if let Some(c) = s.chars().next() {
                    m.entry(c).or_default().push((*s, class));
                }
            }
        }
        m
    });
    if let Some(&(_, class)) = stems
        .get(&first)
        .and_then(|v| v.iter().find(|(s, _)| lower.starts_with(s)))
    {
        return Some(class);
    }
    if matches!(
        lower,
        "словам" | "данным" | "мнению" | "сведениям" | "информации"
    ) {
        return Some(CueClass::Prepositional);
    }
    None
}

/// A set of lower-case words with a cheap first test: a bit per (first byte,
/// last byte, length) shape, so most words of running text are turned away
/// without hashing. Exact: a word passes [`WordSet::contains`] iff it is in the list.
pub struct WordSet {
    shapes: Box<[u32; 1024]>,
    words: std::collections::HashSet<&'static str, WordHasher>,
}

impl WordSet {
    pub fn new(list: &[&'static str]) -> WordSet {
        let mut shapes = Box::new([0u32; 1024]);
        for w in list {
            if let Some((slot, bit)) = Self::shape(w) {
                shapes[slot] |= bit;
            }
        }
        WordSet {
            shapes,
            words: list.iter().copied().collect(),
        }
    }

    #[inline]
    fn shape(w: &str) -> Option<(usize, u32)> {
        let b = w.as_bytes();
        let (&first, &last) = (b.first()?, b.last()?);
        let slot = (first as usize * 31 + last as usize) & 1023;
        Some((slot, 1 << b.len().min(31)))
    }

    #[inline]
    pub fn contains(&self, w: &str) -> bool {
        match Self::shape(w) {
            Some((slot, bit)) => self.shapes[slot] & bit != 0 && self.words.contains(w),
            None => self.words.contains(w),
        }
    }
}

/// English object pronouns as written ("them", not "US"): an addressee ("asked them for
/// ID"), never a speaker.
pub fn is_object_pronoun(written: &str) -> bool {
    matches!(written, "them" | "him" | "me" | "us" | "whom")
}

/// Pronouns that refer back to a person (English and Russian).
pub fn is_personal_pronoun(lower: &str) -> bool {
    matches!(lower, "he" | "she" | "он" | "она" | "его" | "её" | "ее")
}

/// First-person and collective pronouns that speak for an organisation or group.
pub fn is_plural_pronoun(lower: &str) -> bool {
    matches!(lower, "they" | "они")
}

/// A pronoun that can be a speaker on its own: personal, plural or first person.
pub fn is_speaker_pronoun(lower: &str) -> bool {
    is_personal_pronoun(lower) || is_plural_pronoun(lower) || is_first_person(lower)
}

/// First-person pronouns: the author quoting themselves.
pub fn is_first_person(lower: &str) -> bool {
    // "I'd add", "We’ve said": the tokeniser keeps a contraction in one word.
    let pronoun = lower
        .split_once(['\'', '’'])
        .filter(|(_, rest)| matches!(*rest, "d" | "m" | "ve" | "ll" | "re"))
        .map_or(lower, |(head, _)| head);
    matches!(pronoun, "i" | "we" | "я" | "мы")
}

/// Words opening a subordinate clause.
pub(super) fn opens_subordinate(w: &str) -> bool {
    matches!(
        w,
        "when"
            | "while"
            | "as"
            | "if"
            | "because"
            | "although"
            | "though"
            | "since"
            | "until"
            | "unless"
            | "after"
            | "before"
            | "once"
            | "whether"
    )
}

pub(super) fn is_aux(w: &str) -> bool {
    matches!(
        w,
        "have"
            | "has"
            | "had"
            | "is"
            | "was"
            | "were"
            | "are"
            | "been"
            | "be"
            | "also"
            | "previously"
            | "repeatedly"
            | "reportedly"
            | "recently"
            | "later"
            | "earlier"
            | "again"
            | "publicly"
            | "privately"
            | "openly"
            | "will"
            | "would"
            | "could"
            | "might"
            | "may"
            | "should"
            | "must"
            | "can"
            | "cannot"
            | "shall"
            | "not"
            | "never"
            | "already"
            | "once"
            | "further"
            | "consistently"
            | "often"
            | "frequently"
            | "long"
            | "since"
            | "just"
            | "first"
            | "then"
            | "still"
            | "even"
            | "however"
            | "separately"
            | "flatly"
            | "firmly"
            | "также"
            | "ранее"
            | "уже"
            | "неоднократно"
            | "не"
            | "вчера"
            | "сегодня"
            | "однако"
            | "позже"
            | "впоследствии"
            | "тогда"
            | "вновь"
            | "снова"
            | "прямо"
            | "открыто"
            | "публично"
            | "всё"
            | "еще"
            | "ещё"
            | "же"
            | "лишь"
            | "только"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_english_cue_is_found_and_other_words_are_not() {
        // The length filter in front of the hash table must never turn a listed cue away.
        for w in en_speech() {
            assert_eq!(cue_class(w), Some(CueClass::Speech), "{w}");
        }
        for w in en_cognition().iter().filter(|w| !en_speech().contains(w)) {
            assert_eq!(cue_class(w), Some(CueClass::Cognition), "{w}");
        }
        assert_eq!(cue_class("according"), Some(CueClass::Prepositional));
        for w in ["the", "sai", "saids", "x", "tolds", "reporter", "said-"] {
            assert_eq!(cue_class(w), None, "{w}");
        }
    }
}
