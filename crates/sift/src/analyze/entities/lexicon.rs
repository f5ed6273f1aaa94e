//! The entity layer's gazetteers and word lists, keyed for one lookup per word.

use super::*;
use crate::lexicon;

pub(super) const PLACES: &str = include_str!("../../../lexicon/entities-places.tsv");
pub(super) const ORGS: &str = include_str!("../../../lexicon/entities-orgs.tsv");
pub(super) const ROLES: &str = include_str!("../../../lexicon/roles.tsv");
pub(super) const FIRST_NAMES: &str = include_str!("../../../lexicon/first-names.txt");

/// Words that may sit inside a multiword name without a capital.
pub(super) fn name_particles() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        lexicon::lines(include_str!("../../../lexicon/entities-name-particles.txt")).collect()
    })
}

/// Honorifics: they introduce a name but are not a role.
pub(super) const HONORIFICS: &[&str] =
    &["mr", "mrs", "ms", "miss", "mr.", "mrs.", "ms.", "dr", "dr."];

/// Last words that make a capitalised phrase an organisation.
pub(super) fn org_heads() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        lexicon::lines(include_str!("../../../lexicon/entities-org-heads.txt")).collect()
    })
}

/// Heads that open an organisation name before "of": "Ministry of Defence".
pub(super) fn org_openers() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        lexicon::lines(include_str!("../../../lexicon/entities-org-openers.txt")).collect()
    })
}

/// Capitalised words that are never part of a person's name.
pub(super) fn not_name() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        lexicon::lines(include_str!("../../../lexicon/entities-not-names.txt")).collect()
    })
}

/// Prepositions the date pattern needs for bare years but that are not part of the date.
pub(super) const DATE_PREPOSITIONS: &[&str] = &["in", "since", "until", "by", "в", "с", "до", "к"];

/// Function words allowed lower-case inside an organisation name.
pub(super) const ORG_INNER: &[&str] = &["of", "the", "for", "and", "on", "de"];

// The lexicon keys are short strings looked up once per word, where SipHash's DoS
// resistance buys nothing and costs a fifth of the run time; Fx hashes a word per step.
pub(super) type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;
pub(super) type FastSet<K> = HashSet<K, rustc_hash::FxBuildHasher>;

pub(super) struct Lexicon {
    /// Key (token keys joined by spaces) → (kind, canonical, all caps required).
    /// Entry key -> (kind, canonical name, all capitals, ends with a lower-case word).
    pub(super) gazetteer: FastMap<String, GazetteerEntry>,
    /// Longest gazetteer entry in tokens.
    pub(super) gazetteer_max: usize,
    /// Role keys (token keys joined by spaces).
    pub(super) roles: FastMap<String, ()>,
    pub(super) roles_max: usize,
    /// Word key → [`WordFlags`] bits: every single-key lexicon test in one lookup per word.
    pub(super) word_flags: FastMap<String, u16>,
    pub(super) dates: Regex,
}

/// What the lexicons say about one word key, looked up once per word (see `words_of`).
pub(super) struct WordFlags;

impl WordFlags {
    pub(super) const FIRST_NAME: u16 = 1;
    pub(super) const ROLE_FIRST: u16 = 1 << 1;
    pub(super) const ROLE: u16 = 1 << 2;
    pub(super) const GAZETTEER_FIRST: u16 = 1 << 3;
    pub(super) const HONORIFIC: u16 = 1 << 4;
    pub(super) const ORG_INNER: u16 = 1 << 5;
    pub(super) const ORG_HEAD: u16 = 1 << 6;
    pub(super) const ORG_OPENER: u16 = 1 << 7;
    pub(super) const NOT_NAME: u16 = 1 << 8;
    pub(super) const NAME_PARTICLE: u16 = 1 << 9;
}

pub(super) fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::Russian))
}

pub(super) fn is_cyrillic(word: &str) -> bool {
    word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// The comparison key of a word: lower case, Russian and Ukrainian stemmed,
/// possessive "’s" dropped.
pub(super) fn word_key(word: &str) -> Cow<'_, str> {
    stem_if_cyrillic(Cow::Owned(word.to_lowercase()))
}

/// [`word_key`] of a span of the document, from its lower-cased copy (no allocation for
/// words that are not Cyrillic).
pub(super) fn span_key(doc: &Document, span: Span) -> Cow<'_, str> {
    stem_if_cyrillic(doc.lower_of(span))
}

/// A lower-cased word as a key: Cyrillic words by their Snowball stem.
pub(super) fn stem_if_cyrillic(lower: Cow<'_, str>) -> Cow<'_, str> {
    if is_cyrillic(&lower) {
        Cow::Owned(stemmer().stem(&lower).into_owned())
    } else {
        lower
    }
}

/// Split a lexicon phrase into word keys, the way document tokens are split.
pub(super) fn phrase_keys(phrase: &str) -> Vec<String> {
    crate::segment::token_spans(phrase)
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .map(|t| {
            let chars: String = phrase.chars().skip(t.start).take(t.end - t.start).collect();
            word_key(&chars).into_owned()
        })
        .collect()
}

/// One name of a gazetteer (`lexicon/entities-places.tsv`, `lexicon/entities-orgs.tsv`).
pub(super) struct GazetteerEntry {
    pub(super) kind: EntityKind,
    pub(super) canonical: String,
    /// Written in capitals only ("WHO"): matches only words in capitals.
    pub(super) all_caps: bool,
    /// Its last word is lower case («Белый дом»).
    pub(super) ends_lower: bool,
}

pub(super) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut gazetteer = FastMap::default();
        let mut gazetteer_first = FastSet::default();
        let mut roles_first = FastSet::default();
        let mut gazetteer_max = 1;
        for (name, file, kind) in [
            ("entities-places", PLACES, EntityKind::Place),
            ("entities-orgs", ORGS, EntityKind::Org),
        ] {
            for row in lexicon::rows(name, file, 2) {
                let (canonical, variants) = (row[0], row[1]);
                for variant in variants.split('|') {
                    let variant = variant.strip_prefix("the ").unwrap_or(variant);
                    let keys = phrase_keys(variant);
                    if keys.is_empty() {
                        continue;
                    }
                    gazetteer_max = gazetteer_max.max(keys.len());
                    gazetteer_first.insert(keys[0].clone());
                    let all_caps = variant.chars().filter(|c| c.is_alphabetic()).count() > 1
                        && variant
                            .chars()
                            .filter(|c| c.is_alphabetic())
                            .all(char::is_uppercase);
                    // «Белый дом», «Министерство обороны»: Russian names whose last word
                    // is not capitalised, so a match cannot ask for a capitalised last word.
                    let ends_lower = variant
                        .split_whitespace()
                        .last()
                        .and_then(|w| w.chars().next())
                        .is_some_and(char::is_lowercase);
                    gazetteer.entry(keys.join(" ")).or_insert(GazetteerEntry {
                        kind,
                        canonical: canonical.to_string(),
                        all_caps,
                        ends_lower,
                    });
                }
            }
        }
        let mut roles = FastMap::default();
        let mut roles_max = 1;
        for line in lexicon::lines(ROLES) {
            let keys = phrase_keys(line);
            roles_max = roles_max.max(keys.len());
            roles_first.insert(keys[0].clone());
            roles.insert(keys.join(" "), ());
        }
        let first_names: FastMap<String, ()> = lexicon::words(FIRST_NAMES)
            .map(|n| (word_key(n).into_owned(), ()))
            .collect();
        let months_en = "January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.|Feb\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.";
        let months_ru = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря";
        let days_en = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";
        let days_ru = "понедельник|вторник|четверг|пятниц[ау]|суббот[ау]|воскресенье";
        let dates = Regex::new(&format!(
            r"(?x)
            # ASCII word boundaries (?-u:\b) keep the fast DFA engines usable;
            # Cyrillic alternatives start after whitespace instead.
            (?-u:\b)\d{{4}}-\d{{2}}-\d{{2}}(?-u:\b)
            | (?-u:\b)\d{{1,2}}\.\d{{1,2}}\.\d{{4}}(?-u:\b)
            | (?-u:\b)(?:{months_en})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,\s*\d{{4}})?(?-u:\b)
            | (?-u:\b)\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{months_en})(?:,?\s+\d{{4}})?(?-u:\b)
            | (?-u:\b)(?:{months_en})\s+\d{{4}}(?-u:\b)
            | (?-u:\b)\d{{1,2}}\s+(?:{months_ru})(?:\s+\d{{4}}(?:\s*(?:г\.|года|году))?)?
            | (?:^|\s)(?:[вВ]|[сС]|до|к)\s+\d{{4}}\s*(?:г\.|году|года)
            | (?-u:\b)(?:{days_en})(?-u:\b)
            | (?:^|\s)(?:{days_ru})
            | (?-u:\b)(?:in|since|until|by)\s+(?:1[89]\d\d|20\d\d)(?-u:\b)
            "
        ))
        .expect("date pattern compiles");
        let mut word_flags: FastMap<String, u16> = FastMap::default();
        let mut flag = |key: &str, bit: u16| *word_flags.entry(key.to_string()).or_default() |= bit;
        first_names.keys().for_each(|k| flag(k, WordFlags::FIRST_NAME));
        roles_first.iter().for_each(|k| flag(k, WordFlags::ROLE_FIRST));
        roles.keys().for_each(|k| flag(k, WordFlags::ROLE));
        gazetteer_first.iter().for_each(|k| flag(k, WordFlags::GAZETTEER_FIRST));
        for (list, bit) in [
            (HONORIFICS, WordFlags::HONORIFIC),
            (ORG_INNER, WordFlags::ORG_INNER),
            (org_heads(), WordFlags::ORG_HEAD),
            (org_openers(), WordFlags::ORG_OPENER),
            (not_name(), WordFlags::NOT_NAME),
            (name_particles(), WordFlags::NAME_PARTICLE),
        ] {
            // Keys as document words are keyed: Russian ones by their stem.
            list.iter().for_each(|k| flag(&word_key(k), bit));
        }
        Lexicon {
            gazetteer,
            gazetteer_max,
            roles,
            roles_max,
            word_flags,
            dates,
        }
    })
}
