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

const EN_SPEECH: &[&str] = &[
    "say",
    "says",
    "said",
    "saying",
    "tell",
    "tells",
    "told",
    "telling",
    "state",
    "states",
    "stated",
    "add",
    "adds",
    "added",
    "note",
    "notes",
    "noted",
    "argue",
    "argues",
    "argued",
    "warn",
    "warns",
    "warned",
    "claim",
    "claims",
    "claimed",
    "insist",
    "insists",
    "insisted",
    "explain",
    "explains",
    "explained",
    "acknowledge",
    "acknowledges",
    "acknowledged",
    "emphasize",
    "emphasizes",
    "emphasized",
    "emphasise",
    "emphasises",
    "emphasised",
    "stress",
    "stresses",
    "stressed",
    "announce",
    "announces",
    "announced",
    "report",
    "reports",
    "reported",
    "write",
    "writes",
    "wrote",
    "written",
    "ask",
    "asks",
    "asked",
    "suggest",
    "suggests",
    "suggested",
    "indicate",
    "indicates",
    "indicated",
    "describe",
    "describes",
    "described",
    "accuse",
    "accuses",
    "accused",
    "deny",
    "denies",
    "denied",
    "admit",
    "admits",
    "admitted",
    "confirm",
    "confirms",
    "confirmed",
    "declare",
    "declares",
    "declared",
    "reply",
    "replies",
    "replied",
    "respond",
    "responds",
    "responded",
    "tweet",
    "tweets",
    "tweeted",
    "predict",
    "predicts",
    "predicted",
    "urge",
    "urges",
    "urged",
    "recall",
    "recalls",
    "recalled",
    "concede",
    "concedes",
    "conceded",
    "contend",
    "contends",
    "contended",
    "maintain",
    "maintains",
    "maintained",
    "allege",
    "alleges",
    "alleged",
    "complain",
    "complains",
    "complained",
    "promise",
    "promises",
    "promised",
    "vow",
    "vows",
    "vowed",
    "pledge",
    "pledges",
    "pledged",
    "testify",
    "testifies",
    "testified",
    "reveal",
    "reveals",
    "revealed",
    "disclose",
    "discloses",
    "disclosed",
    "assert",
    "asserts",
    "asserted",
    "remark",
    "remarks",
    "remarked",
    "comment",
    "comments",
    "commented",
    "mention",
    "mentions",
    "mentioned",
    "caution",
    "cautions",
    "cautioned",
    "observe",
    "observes",
    "observed",
    "underscore",
    "underscores",
    "underscored",
    "highlight",
    "highlights",
    "highlighted",
    "estimate",
    "estimates",
    "estimated",
    "quipped",
    "shouted",
    "yelled",
    "joked",
    "boasted",
    "lamented",
    "conclude",
    "concludes",
    "concluded",
    "continued",
    "stressed",
    "speculated",
    "insisted",
    "countered",
    "retorted",
    "explained",
    "wrote",
    "posted",
    "pointed",
];

const EN_COGNITION: &[&str] = &[
    "believe",
    "believes",
    "believed",
    "think",
    "thinks",
    "thought",
    "feel",
    "feels",
    "felt",
    "hope",
    "hopes",
    "hoped",
    "expect",
    "expects",
    "expected",
    "fear",
    "fears",
    "feared",
    "worry",
    "worries",
    "worried",
    "doubt",
    "doubts",
    "doubted",
    "want",
    "wants",
    "wanted",
    "know",
    "knows",
    "knew",
    "consider",
    "considers",
    "considered",
    "agree",
    "agrees",
    "agreed",
    "disagree",
    "disagrees",
    "disagreed",
    "view",
    "views",
    "viewed",
    "see",
    "sees",
    "saw",
];

/// Russian reporting-verb stems, matched as prefixes of the lowercased word.
const RU_SPEECH_STEMS: &[&str] = &[
    "заяви",
    "разъясн",
    "заявля",
    "сообщи",
    "сообща",
    "отмети",
    "отмеча",
    "подчеркну",
    "подчеркива",
    "сказа",
    "говори",
    "добави",
    "добавля",
    "поясни",
    "поясня",
    "уточни",
    "уточня",
    "призна",
    "замети",
    "замеча",
    "указа",
    "указыва",
    "рассказа",
    "рассказыва",
    "предупреди",
    "предупрежда",
    "напомни",
    "напомина",
    "объясни",
    "объясня",
    "завери",
    "заверя",
    "утвержда",
    "написа",
    "пиш",
    "подтверди",
    "подтвержда",
    "опроверг",
    "отрица",
    "выразил",
    "выразила",
    "высказа",
    "ответи",
    "отвеча",
    "спроси",
    "сообщает",
    "передает",
    "передаёт",
    "цитиру",
    "констатирова",
    "пообеща",
    "обеща",
    "потребова",
    "призва",
    "признава",
    "обвини",
    "обвиня",
    "настаива",
    "возрази",
    "прокомментирова",
    "анонсирова",
];

const RU_COGNITION_STEMS: &[&str] = &[
    "счита",
    "полага",
    "уверен",
    "увере",
    "дума",
    "убежд",
    "надеет",
    "надеют",
    "опасает",
    "опасают",
    "сомнева",
    "ожида",
    "оценива",
    "предполага",
];

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
            || CUE_SHAPES[(first - b'a') as usize][(last - b'a') as usize] & (1 << lower.len()) == 0
        {
            return None;
        }
    }
    cue_class_looked_up(lower)
}

/// Bit `len` of `CUE_SHAPES[first letter][last letter]` is set when some English cue word
/// (all are lower-case ASCII letters, at most 16; a unit test checks) has that shape.
const CUE_SHAPES: [[u32; 26]; 26] = {
    let mut bits = [[0u32; 26]; 26];
    let lists: [&[&str]; 3] = [EN_SPEECH, EN_COGNITION, &["according"]];
    let mut l = 0;
    while l < lists.len() {
        let mut k = 0;
        while k < lists[l].len() {
            let w = lists[l][k].as_bytes();
            let (a, z) = (w[0], w[w.len() - 1]);
            assert!(a.is_ascii_lowercase() && z.is_ascii_lowercase() && w.len() <= 16);
            bits[(a - b'a') as usize][(z - b'a') as usize] |= 1 << w.len();
            k += 1;
        }
        l += 1;
    }
    bits
};

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
            for w in EN_COGNITION {
                m.insert(*w, CueClass::Cognition);
            }
            for w in EN_SPEECH {
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
            (RU_SPEECH_STEMS, CueClass::Speech),
            (RU_COGNITION_STEMS, CueClass::Cognition),
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

/// Words naming a collective, unidentified source: "analysts", «эксперты».
pub const VAGUE_HEADS: &[&str] = &[
    "analysts",
    "experts",
    "critics",
    "observers",
    "officials",
    "commentators",
    "scholars",
    "economists",
    "researchers",
    "scientists",
    "diplomats",
    "lawmakers",
    "politicians",
    "commentators",
    "some",
    "many",
    "others",
    "people",
    "residents",
    "opponents",
    "supporters",
    "skeptics",
    "sceptics",
    "activists",
    "authorities",
    "leaders",
    "insiders",
    "historians",
    "specialists",
    "voters",
    "investors",
    "traders",
    "western",
    "reports",
    "studies",
    "media",
    "parents",
    "teachers",
    "doctors",
    "nurses",
    "students",
    "workers",
    "employees",
    "witnesses",
    "locals",
    "родители",
    "учителя",
    "врачи",
    "сотрудники",
    "очевидцы",
    "свидетели",
    "горожане",
    "лица",
    "officials",
    "пользователи",
    "военные",
    "administrators",
    "members",
    "аналитики",
    "эксперты",
    "критики",
    "наблюдатели",
    "чиновники",
    "официальные",
    "специалисты",
    "политологи",
    "экономисты",
    "учёные",
    "ученые",
    "власти",
    "многие",
    "некоторые",
    "источники",
    "СМИ",
    "сми",
    "депутаты",
    "политики",
    "представители",
    "жители",
    "медики",
    "врачи",
    "эпидемиологи",
    "историки",
    "журналисты",
    "юристы",
    "социологи",
];

/// Words marking an anonymous source: "a source close to the talks", «источник».
pub const ANONYMOUS_MARKERS: &[&str] = &[
    "source",
    "sources",
    "familiar",
    "anonymity",
    "unnamed",
    "anonymous",
    "insider",
    "источник",
    "источники",
    "источника",
    "собеседник",
    "пожелавший",
    "пожелавшая",
    "анонимный",
    "осведомленный",
    "осведомлённый",
];

/// Titles and roles that precede or follow a person's name.
pub const TITLES: &[&str] = &[
    "president",
    "press secretary",
    "secretary",
    "minister",
    "prime minister",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "senator",
    "sen.",
    "rep.",
    "representative",
    "governor",
    "gov.",
    "mayor",
    "chief",
    "director",
    "chairman",
    "chairwoman",
    "ceo",
    "general",
    "professor",
    "dr.",
    "judge",
    "ambassador",
    "analyst",
    "official",
    "commander",
    "leader",
    "deputy",
    "head",
    "chancellor",
    "king",
    "queen",
    "candidate",
    "adviser",
    "advisor",
    "economist",
    "expert",
    "lawyer",
    "attorney",
    "colonel",
    "captain",
    "officer",
    "президент",
    "пресс-секретарь",
    "министр",
    "премьер-министр",
    "глава",
    "губернатор",
    "мэр",
    "директор",
    "председатель",
    "депутат",
    "сенатор",
    "спикер",
    "генерал",
    "представитель",
    "посол",
    "замминистра",
    "советник",
    "эксперт",
    "аналитик",
    "профессор",
    "руководитель",
    "начальник",
    "командующий",
    "лидер",
    "официальный",
    "политолог",
    "социолог",
    "историк",
    "публицист",
    "экономист",
    "парламентарий",
    "канцлер",
    "чиновник",
    "чиновница",
    "патриарх",
    "писатель",
    "артист",
    "шоумен",
    "адвокат",
];

/// Pronouns that refer back to a person (English and Russian).
pub fn is_personal_pronoun(lower: &str) -> bool {
    matches!(lower, "he" | "she" | "он" | "она" | "его" | "её" | "ее")
}

/// First-person and collective pronouns that speak for an organisation or group.
pub fn is_plural_pronoun(lower: &str) -> bool {
    matches!(lower, "they" | "они")
}

/// First-person pronouns: the author quoting themselves.
pub fn is_first_person(lower: &str) -> bool {
    matches!(lower, "i" | "we" | "я" | "мы")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_english_cue_is_found_and_other_words_are_not() {
        // The length filter in front of the hash table must never turn a listed cue away.
        for w in EN_SPEECH {
            assert_eq!(cue_class(w), Some(CueClass::Speech), "{w}");
        }
        for w in EN_COGNITION.iter().filter(|w| !EN_SPEECH.contains(w)) {
            assert_eq!(cue_class(w), Some(CueClass::Cognition), "{w}");
        }
        assert_eq!(cue_class("according"), Some(CueClass::Prepositional));
        for w in ["the", "sai", "saids", "x", "tolds", "reporter", "said-"] {
            assert_eq!(cue_class(w), None, "{w}");
        }
    }
}
