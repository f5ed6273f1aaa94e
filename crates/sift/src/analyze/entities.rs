//! People, organisations, places and dates, with roles and canonical names.
//!
//! Rules and gazetteers, tuned for precision: a capitalised word becomes an
//! entity only through evidence — a gazetteer entry (`lexicon/places.tsv`,
//! `lexicon/orgs.tsv`), a title or role before a name (`lexicon/roles.tsv`), a
//! known given name (`lexicon/first_names.txt`), initials, an honorific, an
//! organisation head word ("… Committee"), a date pattern, or an earlier full
//! mention of the same surname. Sentence-initial capitals ("The", "However")
//! therefore never become entities on their own.
//!
//! Russian words are compared by Snowball stem (`rust-stemmers`), so "Пескова"
//! links to "Дмитрий Песков" and "России" matches the gazetteer's "Россия".

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;
use rust_stemmers::{Algorithm, Stemmer};

use crate::document::{Document, Span, TokenKind};
use crate::lexicon;
use crate::report::{Entity, EntityKind, Report};

const PLACES: &str = include_str!("../../lexicon/entities-places.tsv");
const ORGS: &str = include_str!("../../lexicon/entities-orgs.tsv");
const ROLES: &str = include_str!("../../lexicon/roles.tsv");
const FIRST_NAMES: &str = include_str!("../../lexicon/first-names.txt");

/// Words that may sit inside a multiword name without a capital.
const NAME_PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "den", "da", "di", "du", "bin", "ibn", "al", "le", "la",
];

/// Honorifics: they introduce a name but are not a role.
const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "miss", "mr.", "mrs.", "ms.", "dr", "dr."];

/// Last words that make a capitalised phrase an organisation.
const ORG_HEADS: &[&str] = &[
    "ministry",
    "department",
    "agency",
    "committee",
    "commission",
    "council",
    "party",
    "bank",
    "university",
    "college",
    "institute",
    "foundation",
    "association",
    "organization",
    "organisation",
    "union",
    "court",
    "army",
    "navy",
    "police",
    "service",
    "office",
    "corporation",
    "corp.",
    "company",
    "inc.",
    "ltd",
    "group",
    "center",
    "centre",
    "network",
    "news",
    "times",
    "post",
    "journal",
    "church",
    "seminary",
    "assembly",
    "parliament",
    "forces",
    "guard",
    "administration",
    "authority",
    "board",
    "league",
    "federation",
    "society",
    "fund",
    "coalition",
    "alliance",
    "brigade",
    "battalion",
    "regiment",
    "corps",
    "staff",
    "media",
];

/// Heads that open an organisation name before "of": "Ministry of Defence".
const ORG_OPENERS: &[&str] = &[
    "ministry",
    "department",
    "university",
    "bank",
    "institute",
    "council",
    "court",
    "office",
    "bureau",
    "house",
    "church",
    "league",
    "federation",
];

/// Capitalised words that are never part of a person's name.
const NOT_NAME: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "but",
    "or",
    "however",
    "during",
    "after",
    "before",
    "when",
    "while",
    "in",
    "on",
    "at",
    "of",
    "for",
    "this",
    "that",
    "these",
    "those",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "his",
    "her",
    "their",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "said",
    "says",
    "told",
    "staff",
    "department",
    "ministry",
    "office",
    "house",
    "administration",
    "government",
    "to",
    "from",
    "with",
    "by",
    "as",
    "is",
    "was",
    "who",
    "what",
    "not",
    "no",
    "if",
    "so",
    "twitter",
    "facebook",
    "youtube",
    "motors",
    "electric",
    "dynamics",
    "hospital",
    "assembly",
];

/// Prepositions the date pattern needs for bare years but that are not part of the date.
const DATE_PREPOSITIONS: &[&str] = &["in", "since", "until", "by", "в", "с", "до", "к"];

/// Function words allowed lower-case inside an organisation name.
const ORG_INNER: &[&str] = &["of", "the", "for", "and", "on", "de"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Priority {
    RolePerson,
    Person,
    Gazetteer,
    Date,
    Org,
    Mention,
    Misc,
}

struct Candidate {
    span: Span,
    kind: EntityKind,
    canonical: String,
    role: Option<String>,
    priority: Priority,
    /// Name tokens, for linking later mentions (persons only).
    surname_key: Option<String>,
}

// The lexicon keys are short strings looked up once per word, where SipHash's DoS
// resistance buys nothing and costs a fifth of the run time; Fx hashes a word per step.
type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;
type FastSet<K> = HashSet<K, rustc_hash::FxBuildHasher>;

struct Lexicon {
    /// Key (token keys joined by spaces) → (kind, canonical, all caps required).
    gazetteer: FastMap<String, (EntityKind, String, bool)>,
    /// Longest gazetteer entry in tokens.
    gazetteer_max: usize,
    /// Role keys (token keys joined by spaces).
    roles: FastMap<String, ()>,
    roles_max: usize,
    /// Word key → [`WordFlags`] bits: every single-key lexicon test in one lookup per word.
    word_flags: FastMap<String, u16>,
    dates: Regex,
}

/// What the lexicons say about one word key, looked up once per word (see `words_of`).
struct WordFlags;

impl WordFlags {
    const FIRST_NAME: u16 = 1;
    const ROLE_FIRST: u16 = 1 << 1;
    const ROLE: u16 = 1 << 2;
    const GAZETTEER_FIRST: u16 = 1 << 3;
    const HONORIFIC: u16 = 1 << 4;
    const ORG_INNER: u16 = 1 << 5;
    const ORG_HEAD: u16 = 1 << 6;
    const ORG_OPENER: u16 = 1 << 7;
    const NOT_NAME: u16 = 1 << 8;
    const NAME_PARTICLE: u16 = 1 << 9;
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::Russian))
}

fn is_cyrillic(word: &str) -> bool {
    word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// The comparison key of a word: lower case, Russian and Ukrainian stemmed,
/// possessive "’s" dropped.
fn word_key(word: &str) -> Cow<'_, str> {
    stem_if_cyrillic(Cow::Owned(word.to_lowercase()))
}

/// [`word_key`] of a span of the document, from its lower-cased copy (no allocation for
/// words that are not Cyrillic).
fn span_key(doc: &Document, span: Span) -> Cow<'_, str> {
    stem_if_cyrillic(doc.lower_of(span))
}

/// A lower-cased word as a key: Cyrillic words by their Snowball stem.
fn stem_if_cyrillic(lower: Cow<'_, str>) -> Cow<'_, str> {
    if is_cyrillic(&lower) {
        Cow::Owned(stemmer().stem(&lower).into_owned())
    } else {
        lower
    }
}

/// Split a lexicon phrase into word keys, the way document tokens are split.
fn phrase_keys(phrase: &str) -> Vec<String> {
    crate::segment::token_spans(phrase)
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .map(|t| {
            let chars: String = phrase.chars().skip(t.start).take(t.end - t.start).collect();
            word_key(&chars).into_owned()
        })
        .collect()
}

fn lexicon() -> &'static Lexicon {
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
                    gazetteer
                        .entry(keys.join(" "))
                        .or_insert((kind, canonical.to_string(), all_caps));
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
            (ORG_HEADS, WordFlags::ORG_HEAD),
            (ORG_OPENERS, WordFlags::ORG_OPENER),
            (NOT_NAME, WordFlags::NOT_NAME),
            (NAME_PARTICLES, WordFlags::NAME_PARTICLE),
        ] {
            list.iter().for_each(|k| flag(k, bit));
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

/// A word token with what the rules need to know about it.
struct Word<'t> {
    /// Span without a possessive ending.
    span: Span,
    key: Cow<'t, str>,
    cap: bool,
    all_caps: bool,
    /// Index of the sentence, to keep names inside one sentence.
    sentence: usize,
    /// First word of its sentence (after opening punctuation).
    sentence_initial: bool,
    /// A single capital letter followed by a period, or a dotted acronym ("J.B.").
    initial: bool,
    /// Followed directly by a comma, period or other punctuation (a name ends there).
    punct_after: bool,
    /// Written with a possessive ending ("Peskov’s"): a name ends there.
    possessive: bool,
    /// Index in `doc.tokens`: names and organisations need adjacent words.
    tok: usize,
    /// In a headline-like sentence where most words are capitalised.
    title_case: bool,
    /// The longest gazetteer entry starting here: (words, kind, canonical).
    gazetteer: Option<(usize, EntityKind, &'static str)>,
    /// [`WordFlags`] of the key.
    flags: u16,
}

impl Word<'_> {
    fn is(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }
}

/// Whether `b` follows `a` with only whitespace (or an initial's period) between.
fn adjacent(a: &Word, b: &Word) -> bool {
    b.tok == a.tok + 1 || (a.initial && b.tok == a.tok + 2)
}

fn strip_possessive(text: &str) -> &str {
    for suffix in ["’s", "'s", "’", "'"] {
        if let Some(s) = text.strip_suffix(suffix) {
            if !s.is_empty() {
                return s;
            }
        }
    }
    text
}

fn words_of<'t>(doc: &'t Document, lex: &Lexicon) -> Vec<Word<'t>> {
    let mut words = Vec::with_capacity(doc.tokens.len());
    let mut prev_sentence = usize::MAX;
    let tokens = &doc.tokens;
    // Tokens come in text order, so the sentence index only moves forward.
    let mut cursor = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Word {
            continue;
        }
        while cursor < doc.sentences.len() && doc.sentences[cursor].end <= t.start {
            cursor += 1;
        }
        let sentence = if doc
            .sentences
            .get(cursor)
            .is_some_and(|s| s.start <= t.start)
        {
            cursor
        } else {
            usize::MAX
        };
        let sentence_initial = sentence != prev_sentence;
        prev_sentence = sentence;
        let raw = doc.slice(t.span());
        let text = strip_possessive(raw);
        let stripped = raw[text.len()..].chars().count();
        let span = Span::new(t.start, t.end - stripped);
        let first = text.chars().next().unwrap_or(' ');
        let (mut letters, mut all_upper) = (0usize, true);
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            all_upper &= c.is_uppercase();
        }
        let next = tokens.get(i + 1);
        let adjacent_period = next.is_some_and(|n| n.start == t.end && doc.slice(n.span()) == ".");
        let initial = (letters == 1 && first.is_uppercase() && adjacent_period)
            || (text.ends_with('.') && text.len() <= 6 && first.is_uppercase());
        let punct_after = next.is_some_and(|n| n.kind != TokenKind::Word && n.start == t.end);
        let key = span_key(doc, span);
        let flags = lex.word_flags.get(key.as_ref()).copied().unwrap_or(0);
        words.push(Word {
            span,
            key,
            flags,
            cap: first.is_uppercase(),
            all_caps: letters > 1 && all_upper,
            sentence,
            sentence_initial,
            initial,
            punct_after: punct_after && !adjacent_period,
            tok: i,
            title_case: false,
            possessive: stripped > 0,
            gazetteer: None,
        });
    }
    // Headline-like sentences: capitals there say little about names.
    let mut start = 0;
    while start < words.len() {
        let sentence = words[start].sentence;
        let mut end = start;
        while end < words.len() && words[end].sentence == sentence {
            end += 1;
        }
        let caps = words[start..end].iter().filter(|w| w.cap).count();
        let title_case = end - start >= 4 && caps * 10 >= (end - start) * 7;
        for w in &mut words[start..end] {
            w.title_case = title_case;
        }
        start = end;
    }
    words
}

fn join_keys(words: &[Word]) -> String {
    let mut key = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        key.push_str(&w.key);
    }
    key
}

/// Longest gazetteer match starting at `i`: (length, kind, canonical).
fn gazetteer_at(
    words: &[Word],
    i: usize,
    lex: &'static Lexicon,
) -> Option<(usize, EntityKind, &'static str)> {
    if !words[i].cap
        && !words[i]
            .key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    {
        return None;
    }
    if !words[i].is(WordFlags::GAZETTEER_FIRST) {
        return None;
    }
    let max = lex.gazetteer_max.min(words.len() - i);
    for len in (1..=max).rev() {
        let slice = &words[i..i + len];
        if slice.iter().any(|w| w.sentence != words[i].sentence) {
            continue;
        }
        if !slice.last().is_some_and(|w| w.cap) {
            continue;
        }
        if let Some((kind, canonical, all_caps)) = lex.gazetteer.get(&join_keys(slice)) {
            if *all_caps && !slice.iter().all(|w| w.all_caps) {
                continue;
            }
            return Some((len, *kind, canonical.as_str()));
        }
    }
    None
}

/// Longest role starting at `i`, in words.
fn role_at(words: &[Word], i: usize, lex: &Lexicon) -> Option<usize> {
    if !words[i].is(WordFlags::ROLE_FIRST) {
        return None;
    }
    let max = lex.roles_max.min(words.len() - i);
    (1..=max).rev().find(|&len| {
        let slice = &words[i..i + len];
        slice.iter().all(|w| w.sentence == words[i].sentence)
            && lex.roles.contains_key(&join_keys(slice))
    })
}

/// «Глава Росавиации Елена Орлова»: after a role, a word that is not a given name, right
/// before a known given name, is the role's complement, not part of the name.
fn complement_before_given_name(words: &[Word], k: usize) -> bool {
    !words[k].is(WordFlags::FIRST_NAME)
        && words
            .get(k + 1)
            .is_some_and(|n| n.is(WordFlags::FIRST_NAME) && adjacent(&words[k], n))
}

/// Whether one of `quotes`, alone, is all that stands between `words[k - 1]` and `words[k]`
/// (`"pastor," Jeremiah` has a comma too: no quotation opens before "Jeremiah").
fn quote_between(doc: &Document, words: &[Word], k: usize, quotes: &[char]) -> bool {
    if k == 0 || words[k].tok != words[k - 1].tok + 2 {
        return false;
    }
    let mut between = doc.slice(doc.tokens[words[k].tok - 1].span()).chars();
    between.next().is_some_and(|c| quotes.contains(&c)) && between.next().is_none()
}

/// «председатель партии «Грузинская мечта» Ираклий Кобахидзе»: a quoted name after a role
/// belongs to the role's complement. When `words[at]` opens a quotation, the index of the
/// word right after the closing quote (within the sentence, at most six quoted words), or
/// `None` if the quotation does not close there: then no name follows the role.
fn after_quoted_complement(doc: &Document, words: &[Word], at: usize) -> Option<Option<usize>> {
    const OPENING: [char; 4] = ['«', '"', '“', '„'];
    const CLOSING: [char; 4] = ['»', '"', '”', '“'];
    if !quote_between(doc, words, at, &OPENING) {
        return None;
    }
    let sentence = words[at].sentence;
    let end = (at + 7).min(words.len());
    let after = (at + 1..end)
        .take_while(|&k| words[k].sentence == sentence)
        .find(|&k| quote_between(doc, words, k, &CLOSING));
    Some(after)
}

fn can_be_name_word(w: &Word) -> bool {
    w.cap && !w.is(WordFlags::NOT_NAME) && !w.is(WordFlags::ROLE) && !w.all_caps
}

fn in_list(list: &[&str], key: &str) -> bool {
    list.contains(&key)
}

/// A person's name starting at `i`: initials and capitalised words (with
/// particles), at most four words, within one sentence. Returns its length.
fn name_at(words: &[Word], i: usize) -> Option<usize> {
    let sentence = words.get(i)?.sentence;
    let mut j = i;
    while j < words.len()
        && j - i < 3
        && words[j].initial
        && words[j].sentence == sentence
        && words[j].gazetteer.is_none()
    {
        j += 1;
    }
    let mut name_words = 0;
    let max_words = if words[i].title_case { 2 } else { 3 };
    while j < words.len() && name_words < max_words && words[j].sentence == sentence {
        let w = &words[j];
        if j > i && !adjacent(&words[j - 1], w) {
            break;
        }
        // Particles and middle initials: "Charles de Gaulle", "Jacob G. Hornberger".
        let inner = (w.is(WordFlags::NAME_PARTICLE) || w.initial) && name_words > 0;
        if !(inner || can_be_name_word(w)) || words[j].gazetteer.is_some() {
            break;
        }
        j += 1;
        if !inner {
            name_words += 1;
        }
        if w.punct_after || w.possessive {
            break;
        }
    }
    // Trailing particles are not part of the name.
    while j > i && words[j - 1].is(WordFlags::NAME_PARTICLE) {
        j -= 1;
    }
    (name_words > 0).then_some(j - i)
}

fn text_of(doc: &Document, words: &[Word]) -> String {
    match (words.first(), words.last()) {
        (Some(a), Some(b)) => doc.slice(Span::new(a.span.start, b.span.end)).to_string(),
        _ => String::new(),
    }
}

fn person(doc: &Document, words: &[Word], role: Option<String>, priority: Priority) -> Candidate {
    let last = words.last().expect("a name has a word");
    let full = words.iter().filter(|w| !w.initial).count() >= 2;
    Candidate {
        span: Span::new(words[0].span.start, last.span.end),
        kind: EntityKind::Person,
        canonical: text_of(doc, words),
        role,
        priority,
        surname_key: full.then(|| last.key.to_string()),
    }
}

/// Entities in order of position, none overlapping.
pub fn analyze(doc: &Document, _report: &Report) -> Vec<Entity> {
    let lex = lexicon();
    let mut words = words_of(doc, lex);
    let found: Vec<_> = (0..words.len())
        .map(|i| gazetteer_at(&words, i, lex))
        .collect();
    for (w, g) in words.iter_mut().zip(found) {
        w.gazetteer = g;
    }
    let mut cands: Vec<Candidate> = Vec::new();

    for i in 0..words.len() {
        // Title or role + name: "Press Secretary Dmitry Peskov",
        // "пресс-секретарь мэрии Ольга Иванова".
        // A title right after a given name is part of the name: "Martin Luther King".
        let after_given_name = (1..=2).any(|back| {
            i >= back
                && adjacent(&words[i - back], &words[i - back + 1])
                && words[i - back].is(WordFlags::FIRST_NAME)
        });
        if let Some(rlen) = role_at(&words, i, lex).filter(|_| !after_given_name) {
            let role_end = i + rlen;
            // Russian roles take a short lower-case complement: "пресс-секретарь мэрии".
            let max_complement = if is_cyrillic(&words[i].key) { 3 } else { 0 };
            for extra in 0..=max_complement {
                let at = role_end + extra;
                // The complement is lower case or a known place/organisation: "президент России".
                let complement_ok = (role_end..at).all(|k| {
                    words[k].sentence == words[i].sentence
                        && (!words[k].cap
                            || words[k].gazetteer.is_some()
                            || complement_before_given_name(&words, k))
                });
                if at >= words.len() || !complement_ok {
                    break;
                }
                if words[at].sentence != words[i].sentence {
                    break;
                }
                if extra < max_complement && complement_before_given_name(&words, at) {
                    continue;
                }
                let (at, quoted) = match after_quoted_complement(doc, &words, at) {
                    None => (at, false),
                    Some(Some(next)) => (next, true),
                    Some(None) => break,
                };
                if let Some(nlen) = name_at(&words, at) {
                    // In headlines ("Judge Rejects Bid") only a known given name makes a person.
                    if words[at].title_case && !words[at].is(WordFlags::FIRST_NAME) {
                        break;
                    }
                    let role_text = if quoted {
                        // Up to and with the closing quote.
                        let end = doc.tokens[words[at].tok - 1].end;
                        doc.slice(Span::new(words[i].span.start, end)).to_string()
                    } else {
                        text_of(doc, &words[i..at])
                    };
                    cands.push(person(
                        doc,
                        &words[at..at + nlen],
                        Some(role_text),
                        Priority::RolePerson,
                    ));
                    break;
                }
            }
        }
        let w = &words[i];
        // Honorific + name: "Mr. Ellison".
        if w.cap && w.is(WordFlags::HONORIFIC) {
            if let Some(nlen) = name_at(&words, i + 1) {
                cands.push(person(
                    doc,
                    &words[i + 1..i + 1 + nlen],
                    None,
                    Priority::Person,
                ));
            }
        }
        // Given name + surname, or initials + surname.
        let initial = w.initial && w.gazetteer.is_none();
        if w.cap && (w.is(WordFlags::FIRST_NAME) || initial) {
            if let Some(nlen) = name_at(&words, i) {
                let named = &words[i..i + nlen];
                let real_words = named.iter().filter(|x| !x.initial).count();
                let has_initial = named.iter().any(|x| x.initial);
                if real_words >= 2 || (has_initial && real_words >= 1) {
                    cands.push(person(doc, named, None, Priority::Person));
                }
            }
        }
        // Gazetteer places and organisations.
        if let Some((len, kind, canonical)) = w.gazetteer {
            cands.push(Candidate {
                span: Span::new(w.span.start, words[i + len - 1].span.end),
                kind,
                canonical: canonical.to_string(),
                role: None,
                priority: Priority::Gazetteer,
                surname_key: None,
            });
        }
        // Organisations by head word: "Home Affairs Select Committee", "Ministry of Defence".
        if w.cap && (!w.sentence_initial || w.is(WordFlags::ORG_OPENER)) {
            if let Some(len) = org_at(&words, i) {
                cands.push(Candidate {
                    span: Span::new(w.span.start, words[i + len - 1].span.end),
                    kind: EntityKind::Org,
                    canonical: text_of(doc, &words[i..i + len]),
                    role: None,
                    priority: Priority::Org,
                    surname_key: None,
                });
            }
        }
    }

    for m in lex.dates.find_iter(doc.text()) {
        let text = m.as_str().trim_start();
        let span = doc.span_of_bytes(m.end() - text.len(), m.end());
        // "in 2017" is a date; the preposition is not part of it.
        let skip = match text.split_once(char::is_whitespace) {
            Some((first, rest)) if in_list(DATE_PREPOSITIONS, first) => {
                text.chars().count() - rest.trim_start().chars().count()
            }
            _ => 0,
        };
        let span = Span::new(span.start + skip, span.end);
        let value = doc.slice(span).to_string();
        cands.push(Candidate {
            span,
            canonical: value,
            kind: EntityKind::Date,
            role: None,
            priority: Priority::Date,
            surname_key: None,
        });
    }

    misc_in_quotes(doc, &mut cands);

    let mut accepted = select(cands);
    link_mentions(doc, &words, &mut accepted);
    accepted.sort_by_key(|c| (c.span.start, c.span.end));
    accepted
        .into_iter()
        .map(|c| Entity {
            start: c.span.start,
            end: c.span.end,
            text: doc.slice(c.span).to_string(),
            kind: c.kind,
            canonical: c.canonical,
            role: c.role,
        })
        .collect()
}

/// A capitalised run ending in an organisation head word, or opening with one
/// and "of": returns its length in words.
fn org_at(words: &[Word], i: usize) -> Option<usize> {
    if words[i].title_case || words[i].is(WordFlags::ROLE) {
        return None;
    }
    let sentence = words[i].sentence;
    let mut j = i;
    let mut best = None;
    while j < words.len() && j - i < 8 && words[j].sentence == sentence {
        let w = &words[j];
        if j > i && !adjacent(&words[j - 1], w) {
            break;
        }
        let inner = w.is(WordFlags::ORG_INNER) && j > i;
        if !(w.cap || inner) {
            break;
        }
        if w.cap && w.is(WordFlags::ORG_HEAD) && j > i {
            best = Some(j - i + 1);
        }
        if w.cap && j > i + 1 && words[i].is(WordFlags::ORG_OPENER) && words[i + 1].key == "of" {
            best = Some(j - i + 1);
        }
        if w.punct_after || w.possessive {
            break;
        }
        j += 1;
    }
    best
}

/// Capitalised names in single quotes or guillemets: ‘Burevestnik’, «Буревестник».
fn misc_in_quotes(doc: &Document, cands: &mut Vec<Candidate>) {
    let text = doc.text();
    // Straight single quotes are left out: they double as apostrophes.
    for (open, close) in [('‘', '’'), ('«', '»')] {
        let mut search = 0;
        while let Some(rel) = text[search..].find(open) {
            let b0 = search + rel + open.len_utf8();
            let Some(rel_end) = text[b0..].find(close) else {
                break;
            };
            let b1 = b0 + rel_end;
            let inner = &text[b0..b1];
            let n_words = inner.split_whitespace().count();
            let ok = (1..=3).contains(&n_words)
                && inner.len() < 60
                && inner
                    .split_whitespace()
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
                && inner
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == ' ' || c == '-');
            if ok {
                let span = doc.span_of_bytes(b0, b1);
                cands.push(Candidate {
                    span,
                    kind: EntityKind::Misc,
                    canonical: inner.to_string(),
                    role: None,
                    priority: Priority::Misc,
                    surname_key: None,
                });
            }
            search = b1;
        }
    }
}

/// Keep the best candidates: by priority, then length, never overlapping.
fn select(mut cands: Vec<Candidate>) -> Vec<Candidate> {
    cands.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then(b.span.len().cmp(&a.span.len()))
            .then(a.span.start.cmp(&b.span.start))
    });
    // Accepted spans, sorted by start and disjoint: an overlap can only be
    // with the neighbours of the insertion point.
    let mut taken: Vec<Span> = Vec::new();
    let mut out = Vec::new();
    for c in cands {
        let i = taken.partition_point(|s| s.start < c.span.start);
        let clash = (i > 0 && taken[i - 1].overlaps(c.span))
            || (i < taken.len() && taken[i].overlaps(c.span));
        if clash {
            continue;
        }
        taken.insert(i, c.span);
        out.push(c);
    }
    out
}

/// Link surnames ("Peskov", "Пескова") and one-word titled names ("President
/// Putin") to the full names found in the document; spread roles to every mention.
fn link_mentions(doc: &Document, words: &[Word], accepted: &mut Vec<Candidate>) {
    let mut full: FastMap<String, (String, Option<String>)> = FastMap::default();
    for c in accepted.iter() {
        if let Some(key) = &c.surname_key {
            let entry = full
                .entry(key.clone())
                .or_insert_with(|| (c.canonical.clone(), None));
            if entry.1.is_none() {
                entry.1 = c.role.clone();
            }
        }
    }
    // One-word names take the full name and role of their surname.
    for c in accepted.iter_mut() {
        if c.kind == EntityKind::Person && c.surname_key.is_none() {
            let key = word_key(strip_possessive(
                doc.slice(c.span).rsplit(' ').next().unwrap_or(""),
            ));
            if let Some((canonical, role)) = full.get(key.as_ref()) {
                c.canonical = canonical.clone();
                if c.role.is_none() {
                    c.role = role.clone();
                }
            }
        }
    }
    // Full names take a role given at any of their mentions.
    let mut roles: FastMap<String, String> = FastMap::default();
    for c in accepted.iter() {
        if let (EntityKind::Person, Some(role)) = (c.kind, &c.role) {
            roles
                .entry(c.canonical.clone())
                .or_insert_with(|| role.clone());
        }
    }
    for c in accepted.iter_mut() {
        if c.kind == EntityKind::Person && c.role.is_none() {
            c.role = roles.get(&c.canonical).cloned();
        }
    }
    if full.is_empty() {
        return;
    }
    let mut taken: Vec<Span> = accepted.iter().map(|c| c.span).collect();
    taken.sort_by_key(|s| s.start);
    for w in words {
        if !w.cap || w.all_caps {
            continue;
        }
        let Some((canonical, role)) = full.get(w.key.as_ref()) else {
            continue;
        };
        let i = taken.partition_point(|s| s.end <= w.span.start);
        if i < taken.len() && taken[i].overlaps(w.span) {
            continue;
        }
        if w.is(WordFlags::FIRST_NAME) {
            continue;
        }
        taken.insert(i, w.span);
        accepted.push(Candidate {
            span: w.span,
            kind: EntityKind::Person,
            canonical: canonical.clone(),
            role: role.clone().or_else(|| roles.get(canonical).cloned()),
            priority: Priority::Mention,
            surname_key: None,
        });
    }
}

/// The entities layer: people, organisations, places, dates.
pub struct EntitiesLayer;

impl crate::pipeline::Layer for EntitiesLayer {
    fn name(&self) -> &'static str {
        "entities"
    }
    fn run(&self, doc: &Document, report: &mut Report) {
        report.entities = analyze(doc, report);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entities(text: &str) -> Vec<Entity> {
        let doc = Document::from_text(text);
        analyze(&doc, &Report::default())
    }

    fn find<'a>(es: &'a [Entity], text: &str) -> &'a Entity {
        es.iter()
            .find(|e| e.text == text)
            .unwrap_or_else(|| panic!("no entity {text:?} in {es:#?}"))
    }

    #[test]
    fn role_before_a_name_is_attached_and_later_mentions_link() {
        let es =
            entities("Press Secretary Dmitry Peskov spoke on Monday. Peskov’s remarks were brief.");
        let p = find(&es, "Dmitry Peskov");
        assert_eq!(p.kind, EntityKind::Person);
        assert_eq!(p.role.as_deref(), Some("Press Secretary"));
        let later = find(&es, "Peskov");
        assert_eq!(later.canonical, "Dmitry Peskov");
        assert_eq!(later.role.as_deref(), Some("Press Secretary"));
    }

    #[test]
    fn nationality_is_not_part_of_the_role() {
        let es = entities("Russian President Vladimir Putin met reporters in Moscow.");
        let p = find(&es, "Vladimir Putin");
        assert_eq!(p.role.as_deref(), Some("President"));
        assert_eq!(find(&es, "Moscow").kind, EntityKind::Place);
        assert!(es.iter().all(|e| e.text != "Russian"));
    }

    #[test]
    fn russian_role_with_complement_and_oblique_surname() {
        let es = entities(
            "Пресс-секретарь мэрии Ольга Иванова ответила на вопросы. Слова Ивановой подтвердили в России.",
        );
        let p = find(&es, "Ольга Иванова");
        assert_eq!(p.role.as_deref(), Some("Пресс-секретарь мэрии"));
        assert_eq!(find(&es, "Ивановой").canonical, "Ольга Иванова");
        // Gazetteer canonicals are English, so mentions match across languages.
        assert_eq!(find(&es, "России").canonical, "Russia");
    }

    #[test]
    fn a_quoted_party_name_after_a_role_is_its_complement() {
        let es = entities(
            "Председатель правящей партии «Грузинская мечта» Ираклий Кобахидзе заявил об этом.",
        );
        let p = find(&es, "Ираклий Кобахидзе");
        assert_eq!(p.kind, EntityKind::Person);
        assert_eq!(
            p.role.as_deref(),
            Some("Председатель правящей партии «Грузинская мечта»")
        );
        assert!(es.iter().all(|e| e.text != "Грузинская"), "{es:#?}");
        let es = entities("Remember when his \"pastor,\" Jeremiah Wright uttered \"God help us\"?");
        assert_eq!(find(&es, "Jeremiah Wright").kind, EntityKind::Person);
        assert!(es.iter().all(|e| e.text != "God"), "{es:#?}");
        // A quotation that does not close before the sentence ends names nobody.
        let es = entities("Председатель партии «Грузинская мечта и другие.");
        assert!(es.iter().all(|e| e.kind != EntityKind::Person), "{es:#?}");
    }

    #[test]
    fn sentence_initial_words_are_not_entities() {
        let es =
            entities("However, the talks failed. During the night, nothing happened. The end.");
        assert!(es.is_empty(), "{es:#?}");
    }

    #[test]
    fn dates_in_both_languages() {
        let es = entities("On October 26 the test ended; 26 октября 2024 г. и 2024-10-26.");
        let dates: Vec<&str> = es
            .iter()
            .filter(|e| e.kind == EntityKind::Date)
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(dates, ["October 26", "26 октября 2024 г.", "2024-10-26"]);
    }

    #[test]
    fn all_caps_variants_need_capitals() {
        let es = entities("Let us talk about the US and NATO.");
        let names: Vec<&str> = es.iter().map(|e| e.canonical.as_str()).collect();
        assert_eq!(names, ["United States", "NATO"]);
    }
}
