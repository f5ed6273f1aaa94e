//! Attributions (source, cue, content), source types and the sourcing profile.
//!
//! Two finders feed one resolver: [`rules`] (quotation marks, "X said that",
//! "according to", Russian «…», — заявил X / по словам X) and, for English, the
//! PolNeAR-trained [`crf`] tagger, which adds attributions the rules miss
//! (cognition verbs, unusual cues) where it does not collide with a rule.
//! Each attribution's source is then classified (named person / organisation,
//! anonymous, vague, self) and resolved to a speaker: pronouns and surnames
//! go back to the last full name introduced, roles come from titles and
//! appositions. Sentences asserting something in the narrator's own voice
//! become ranked `unattributed` findings.

pub mod crf;
pub mod lexicon;
pub mod rules;

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::document::{Document, Span, TokenKind};
use crate::report::{
    Attribution, AttributionKind, EntityKind, Finding, Report, Severity, SourceType,
    SourcingProfile, TextSpan,
};

use lexicon::{is_first_person, is_personal_pronoun, is_plural_pronoun};
use rules::{Candidate, Tokens};

type WordSet = std::collections::HashSet<&'static str, lexicon::WordHasher>;

/// A word list as a hash set, built on first use (the lists are looked up per
/// token and per source word: a linear scan of ~100 strings each time showed in profiles).
macro_rules! word_set {
    ($list:expr) => {{
        static SET: std::sync::OnceLock<WordSet> = std::sync::OnceLock::new();
        SET.get_or_init(|| $list.iter().copied().collect())
    }};
}

/// The attribution layer: attributions, unattributed-assertion findings, and the profile.
pub struct AttributionOutput {
    pub attributions: Vec<Attribution>,
    pub findings: Vec<Finding>,
    pub sourcing: Option<SourcingProfile>,
}

/// How many unattributed assertions become findings; the rest are counted in the profile.
pub const MAX_UNATTRIBUTED_FINDINGS: usize = 6;

pub fn analyze(doc: &Document, report: &Report) -> AttributionOutput {
    let toks = Tokens::new(doc);
    let mut candidates = rules::find(&toks);
    if !doc.language.is_russian() {
        if let Some(model) = crf::embedded() {
            let extra = tagger_candidates(doc, &toks, model, &candidates);
            candidates.extend(extra);
        }
    }
    candidates.sort_by_key(|c| (c.cue.start, c.cue.end));
    let attributions = resolve(doc, &toks, report, &candidates);
    let (findings, unattributed, factual, attributed) = unattributed(doc, &toks, &attributions);
    let sourcing = profile(doc, &attributions, factual, attributed, unattributed);
    AttributionOutput {
        attributions,
        findings,
        sourcing: Some(sourcing),
    }
}

/// Attributions the tagger finds in paragraphs with a cue word, where no rule fired.
fn tagger_candidates(
    doc: &Document,
    toks: &Tokens,
    model: &crf::CrfModel,
    taken: &[Candidate],
) -> Vec<Candidate> {
    let mut out = Vec::new();
    // Tagged per sentence (the model was trained per paragraph): only sentences
    // holding a cue word no rule explained are tagged, which keeps the tagger's
    // cost proportional to what the rules missed rather than to the article.
    for (p, &(lo, hi)) in doc.sentences.iter().zip(&toks.sentence_tokens) {
        // Only sentences with a cue word that no rule has already explained and that could
        // anchor a tagged cue below: not inside a rule's cue or content (a tagged cue may not
        // overlap those) and not in a noun phrase.
        let has_cue = (lo..hi).any(|i| {
            let span = doc.tokens[i].span();
            toks.cue[i].is_some()
                && !in_noun_phrase(toks, i)
                && !taken
                    .iter()
                    .any(|c| c.cue.contains(span) || c.content.contains(span))
        });
        if !has_cue {
            continue;
        }
        let seq = crf::Sequence::from_tokens(toks, *p);
        let runs = crf::decode(&model.tag(&seq));
        let span_of = |a: usize, b: usize| Span::new(seq.spans[a].start, seq.spans[b - 1].end);
        for (k, &(role, a, b)) in runs.iter().enumerate() {
            if role != crf::TagRole::Cue {
                continue;
            }
            let cue = span_of(a, b);
            if taken
                .iter()
                .any(|c| c.cue.overlaps(cue) || c.content.overlaps(cue))
            {
                continue;
            }
            let sentence = doc.sentence_at(cue.start);
            let same_sentence = |s: Span| doc.sentence_at(s.start) == sentence;
            // Nearest content run: after the cue first, then before it.
            let content = runs[k + 1..]
                .iter()
                .take(3)
                .find(|r| r.0 == crf::TagRole::Content)
                .or_else(|| {
                    runs[..k]
                        .iter()
                        .rev()
                        .take(3)
                        .find(|r| r.0 == crf::TagRole::Content)
                })
                .map(|r| span_of(r.1, r.2));
            let Some(content) = content else { continue };
            if taken.iter().any(|c| c.content.overlaps(content)) {
                continue;
            }
            let source = runs
                .iter()
                .filter(|r| r.0 == crf::TagRole::Source)
                .map(|r| span_of(r.1, r.2))
                .filter(|s| same_sentence(*s))
                .min_by_key(|s| {
                    if s.end <= cue.start {
                        cue.start - s.end
                    } else {
                        s.start.saturating_sub(cue.end) + 1
                    }
                });
            // Without a source the tagger's guess is too often narration ("This
            // demonstration underscored …"); PolNeAR's sourceless cues are left out.
            let Some(source) = source else { continue };
            if source.overlaps(content) || !plausible_speaker(doc, toks, source) {
                continue;
            }
            // The tagger decides spans; a known reporting word must anchor the cue
            // ("received a report" is not Putin speaking).
            // A noun phrase ("a comprehensive report") is no reporting verb.
            let Some(verb) = (lo..hi).find(|&i| {
                cue.contains(doc.tokens[i].span())
                    && toks.cue[i].is_some()
                    && !in_noun_phrase(toks, i)
            }) else {
                continue;
            };
            let verb = Some(verb);
            out.push(Candidate {
                source: Some(source),
                cue,
                content,
                verb,
                from_rules: false,
            });
        }
    }
    out
}

/// A reporting word right after a determiner is a noun ("a comprehensive report"), no verb.
fn in_noun_phrase(toks: &Tokens, i: usize) -> bool {
    (i.saturating_sub(3)..i).any(|k| {
        matches!(
            &*toks.lower[k],
            "a" | "an" | "the" | "his" | "her" | "its" | "their" | "this"
        )
    })
}

/// Whether a tagged source can speak: its last word is a name, a pronoun, a
/// collective or anonymous noun, an organisation or a title ("prowess" and
/// "Peskov's remarks" are not).
fn plausible_speaker(doc: &Document, toks: &Tokens, source: Span) -> bool {
    let lo = doc.tokens.partition_point(|t| t.end <= source.start);
    let hi = doc.tokens.partition_point(|t| t.start < source.end);
    let Some(last) = (lo..hi)
        .rev()
        .find(|&i| doc.tokens[i].kind == TokenKind::Word)
    else {
        return false;
    };
    let w = &*toks.lower[last];
    let sentence_start = doc
        .sentence_at(source.start)
        .map(|s| doc.sentences[s].start)
        .unwrap_or(0);
    (toks.capital[last] && (doc.tokens[last].start != sentence_start || hi - lo == 1))
        || is_personal_pronoun(w)
        || is_plural_pronoun(w)
        || is_first_person(w)
        || word_set!(lexicon::VAGUE_HEADS).contains(w)
        || word_set!(lexicon::ANONYMOUS_MARKERS).contains(w)
        || is_org_word(w)
        || is_title_word(w)
}

/// A speaker introduced in the article, for resolving later pronouns and surnames.
/// Names and roles borrow from the entity layer where they come from it: a
/// mention is touched once per attribution after it, so it is cloned often.
#[derive(Debug, Clone)]
struct Known<'r> {
    name: Cow<'r, str>,
    role: Option<Cow<'r, str>>,
    female: Option<bool>,
    person: bool,
    entity: Option<usize>,
}

/// What the words of a source phrase say about it.
#[derive(Debug, Default)]
struct SourceParse {
    name: Option<String>,
    role: Option<String>,
    pronoun: Option<String>,
    first_person: bool,
    anonymous: bool,
    vague: bool,
    org_noun: bool,
    person_hint: bool,
    org_hint: bool,
    female: Option<bool>,
}

const HONORIFICS: &[&str] = &[
    "mr.", "mrs.", "ms.", "mr", "mrs", "ms", "dr.", "dr", "г-н", "г-жа",
];

const TITLE_WORDS: &[&str] = &[
    "president",
    "press",
    "secretary",
    "minister",
    "prime",
    "foreign",
    "defense",
    "defence",
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
    "gen.",
    "professor",
    "prof.",
    "judge",
    "ambassador",
    "commander",
    "chancellor",
    "leader",
    "adviser",
    "advisor",
    "deputy",
    "head",
    "analyst",
    "official",
    "colonel",
    "col.",
    "captain",
    "sergeant",
    "officer",
    "attorney",
    "speaker",
    "economist",
    "executive",
    "founder",
    "manager",
    "coach",
    "candidate",
    "nominee",
    "chair",
    "lt.",
    "sgt.",
    "vice",
    "justice",
    "inspector",
    "commissioner",
    "councilman",
    "councilwoman",
    "congressman",
    "congresswoman",
    "researcher",
    "scientist",
    "expert",
    "lawyer",
    "editor",
    "correspondent",
];

const ORG_WORDS: &[&str] = &[
    "ministry",
    "department",
    "party",
    "agency",
    "times",
    "news",
    "post",
    "house",
    "council",
    "union",
    "bank",
    "inc",
    "corp",
    "company",
    "kremlin",
    "committee",
    "university",
    "institute",
    "court",
    "office",
    "service",
    "army",
    "force",
    "forces",
    "government",
    "administration",
    "campaign",
    "commission",
    "association",
    "foundation",
    "group",
    "reuters",
    "tass",
    "interfax",
    "ria",
    "press",
    "journal",
    "network",
    "bureau",
    "pentagon",
    "nato",
    "police",
    "navy",
    "senate",
    "congress",
    "parliament",
    "duma",
    "embassy",
    "министерство",
    "минобороны",
    "мид",
    "кремль",
    "правительство",
    "ведомство",
    "компания",
    "служба",
    "пресс-служба",
    "агентство",
    "администрация",
    "партия",
    "комитет",
    "суд",
    "перевозчик",
    "банк",
    "штаб",
    "посольство",
    "дума",
    "росстат",
    "роскосмос",
    "тасс",
    "интерфакс",
    "риа",
    "states",
    "kingdom",
    "nations",
    "board",
    "authority",
    "organization",
    "organisation",
    "federation",
    "fund",
    "center",
    "centre",
    "school",
    "hospital",
    "firm",
    "corporation",
    "regulator",
    "watchdog",
    "министерства",
    "мэрия",
    "прокуратура",
    "полиция",
    "мвд",
];

const FEMALE_NAMES: &[&str] = &[
    "maria",
    "mary",
    "anna",
    "sarah",
    "elizabeth",
    "hillary",
    "jennifer",
    "linda",
    "susan",
    "karen",
    "nancy",
    "lisa",
    "emily",
    "emma",
    "olivia",
    "sophia",
    "julia",
    "laura",
    "helen",
    "catherine",
    "kate",
    "angela",
    "ursula",
    "theresa",
    "kamala",
    "nikki",
    "amy",
    "jane",
    "grace",
    "alice",
    "claire",
    "rachel",
    "rebecca",
    "michelle",
    "melania",
    "ivanka",
    "nadia",
    "fatima",
    "aisha",
    "marie",
    "sophie",
    "ruth",
    "ann",
    "anne",
    "jill",
    "ellen",
    "diane",
    "margaret",
    "patricia",
    "barbara",
    "jessica",
    "ashley",
    "amanda",
    "stephanie",
    "nicole",
    "мария",
    "анна",
    "елена",
    "ольга",
    "наталья",
    "татьяна",
    "ирина",
    "светлана",
    "екатерина",
    "мария",
    "валентина",
    "людмила",
    "юлия",
    "марина",
];

const MALE_NAMES: &[&str] = &[
    "thomas",
    "john",
    "james",
    "robert",
    "michael",
    "william",
    "david",
    "richard",
    "joseph",
    "charles",
    "donald",
    "joe",
    "barack",
    "george",
    "mike",
    "paul",
    "peter",
    "pavel",
    "mark",
    "steven",
    "kevin",
    "brian",
    "vladimir",
    "dmitry",
    "dmitri",
    "sergei",
    "sergey",
    "igor",
    "alexei",
    "alexey",
    "andrei",
    "andrey",
    "ivan",
    "nikolai",
    "boris",
    "viktor",
    "yuri",
    "владимир",
    "дмитрий",
    "сергей",
    "игорь",
    "алексей",
    "андрей",
    "иван",
    "николай",
    "борис",
    "виктор",
    "юрий",
    "михаил",
    "александр",
    "павел",
    "олег",
    "антон",
    "максим",
    "евгений",
];

fn is_title_word(w: &str) -> bool {
    // One-word titles of the lexicon, matched as prefixes of inflected Russian words.
    static ONE_WORD_TITLES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    word_set!(TITLE_WORDS).contains(w)
        || (!w.is_ascii()
            && ONE_WORD_TITLES
                .get_or_init(|| {
                    lexicon::TITLES
                        .iter()
                        .copied()
                        .filter(|t| !t.contains(' '))
                        .collect()
                })
                .iter()
                .any(|t| w.starts_with(t)))
}

fn is_org_word(w: &str) -> bool {
    // Stems (four letters or more) of the Russian organisation words, for inflected forms.
    static RUSSIAN_STEMS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    word_set!(ORG_WORDS).contains(w)
        || (!w.is_ascii()
            && w.chars().count() >= 5
            && RUSSIAN_STEMS
                .get_or_init(|| {
                    ORG_WORDS
                        .iter()
                        .filter(|o| !o.is_ascii())
                        .map(|o| o.trim_end_matches(['а', 'я', 'о', 'е', 'ь', 'й', 'ы', 'и']))
                        .filter(|stem| stem.chars().count() >= 4)
                        .collect()
                })
                .iter()
                .any(|stem| w.starts_with(stem)))
}

/// Capitalised Russian words that open a sentence before a reporting verb without naming
/// anyone: «Стоит отметить, что…», «Следует подчеркнуть…», «Вы скажете…», «Фактически
/// признал…». The sentence is the narrator's own voice, not an attribution.
fn is_russian_non_source(source: &str) -> bool {
    const NOT_SOURCES: &[&str] = &[
        "стоит",
        "следует",
        "нужно",
        "надо",
        "нельзя",
        "можно",
        "важно",
        "необходимо",
        "вы",
        "ты",
        "пока",
        "фактически",
        "трижды",
        "дважды",
        "также",
        "однако",
        "впрочем",
        "кстати",
        "вероятно",
        "возможно",
        "видимо",
        "конечно",
        "итак",
        "поэтому",
        "теперь",
        "сейчас",
        "уже",
        "вновь",
        "снова",
        "далее",
        "напомним",
        "отмена",
    ];
    let word = source.trim();
    !word.is_empty()
        && !word.contains(' ')
        && !word.is_ascii()
        && NOT_SOURCES.contains(&word.to_lowercase().as_str())
}

/// Whether a lone capitalised Russian word that the entity layer does not know, speaking
/// through a reporting verb, is a person's surname rather than an organisation: it has a
/// surname's ending («Холмогоров», «Денисова», «Кобахидзе», «Шевченко»), or the verb is
/// feminine and the word does not end like an organisation, a country, an adjective or an
/// oblique case («Палмер сказала», but «Еврокомиссия заявила», «Всемирная …», «Украине»). Agency-style compounds («Минфин», «Росстат») stay
/// organisations.
fn russian_lone_surname(word: &str, verb_female: Option<bool>) -> bool {
    const SURNAME_ENDINGS: &[&str] = &[
        "ов",
        "ев",
        "ёв",
        "ин",
        "ова",
        "ева",
        "ёва",
        "ина",
        "ский",
        "ская",
        "цкий",
        "цкая",
        "енко",
        "дзе",
        "швили",
        "ян",
        "ич",
        "ук",
        "юк",
    ];
    if word.is_ascii() || word.chars().all(|c| !c.is_lowercase()) {
        return false;
    }
    let lower = word.to_lowercase();
    if ["мин", "рос", "гос"].iter().any(|p| lower.starts_with(p)) || is_org_word(&lower) {
        return false;
    }
    (lower.chars().count() >= 4 && SURNAME_ENDINGS.iter().any(|e| lower.ends_with(e)))
        || verb_female == Some(true)
            && !["ия", "ья", "ая", "яя", "е", "и", "ы", "у", "ю"]
                .iter()
                .any(|e| lower.ends_with(e))
}

/// A Russian organisation source named in the form its cue governs («по данным министерства
/// обороны», «сообщили в пресс-службе») put back in the nominative («министерство обороны»,
/// «пресс-служба»), so the sourcing profile names it as a reader would. Only a leading
/// organisation noun changes: its complement keeps the case it has in the name, and a name that
/// starts with anything else (an adjective, a proper name) is returned as it is.
fn russian_org_nominative(name: &str) -> String {
    let (head, rest) = name.split_once(' ').unwrap_or((name, ""));
    let lower = head.to_lowercase();
    let nominative = ORG_WORDS
        .iter()
        .filter(|n| !n.is_ascii())
        .find(|n| russian_oblique_forms(n).contains(&lower));
    let Some(nominative) = nominative else {
        return name.to_string();
    };
    let mut out = String::with_capacity(name.len() + 2);
    let mut first = true;
    for c in nominative.chars() {
        if first && head.chars().next().is_some_and(char::is_uppercase) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        first = false;
    }
    if !rest.is_empty() {
        out.push(' ');
        out.push_str(rest);
    }
    out
}

/// The genitive and prepositional singular of a Russian organisation noun in its dictionary
/// form — the two cases sources take after «по данным», «по словам», «в», «из»; an
/// indeclinable abbreviation (МИД, ТАСС) has none.
fn russian_oblique_forms(nominative: &str) -> Vec<String> {
    let (stem, ending) = match nominative.char_indices().last() {
        Some((i, c)) => (&nominative[..i], c),
        None => return Vec::new(),
    };
    let forms: &[&str] = match ending {
        'о' => &["а", "е"],
        'а' if stem.ends_with(['к', 'г', 'х', 'ж', 'ш', 'ч', 'щ']) => &["и", "е"],
        'а' => &["ы", "е"],
        'я' if stem.ends_with('и') => &["и"],
        'я' => &["и", "е"],
        'ь' => &["я", "е"],
        'й' => &["я", "е"],
        c if "бвгджзклмнпрстфхцчшщ".contains(c) && nominative.chars().count() > 4 =>
        {
            return vec![format!("{nominative}а"), format!("{nominative}е")];
        }
        _ => &[],
    };
    forms.iter().map(|f| format!("{stem}{f}")).collect()
}

/// Guess gender from a (Russian or English) full name; None when unsure.
fn name_gender(name: &str) -> Option<bool> {
    let mut words = name.split_whitespace();
    let first = lowercase(words.next()?);
    let count = 1 + words.clone().count();
    if word_set!(FEMALE_NAMES).contains(&*first) {
        return Some(true);
    }
    if word_set!(MALE_NAMES).contains(&*first) {
        return Some(false);
    }
    if count >= 2
        && (first.ends_with('a') || first.ends_with('а') || first.ends_with('я'))
        && !matches!(
            &*first,
            "nikita" | "ilya" | "luca" | "joshua" | "никита" | "илья" | "кузьма" | "фома"
        )
    {
        return Some(true);
    }
    let last = match words.last() {
        Some(w) => lowercase(w),
        None => first,
    };
    if !last.is_ascii() {
        if ["ова", "ева", "ина", "ская", "цкая", "ёва"]
            .iter()
            .any(|s| last.ends_with(s))
        {
            return Some(true);
        }
        if ["ов", "ев", "ин", "ский", "цкий", "ёв"]
            .iter()
            .any(|s| last.ends_with(s))
        {
            return Some(false);
        }
    }
    None
}

/// `w` lower-cased, borrowed when it has no upper-case letter.
fn lowercase(w: &str) -> Cow<'_, str> {
    if !w.is_ascii() {
        Cow::Owned(w.to_lowercase())
    } else if w.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(w.to_ascii_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

/// Russian past-tense verbs carry gender: заявила (f), заявил (m).
fn verb_gender(lower: &str) -> Option<bool> {
    if lower.is_ascii() {
        return None;
    }
    if lower.ends_with("ла") {
        Some(true)
    } else if lower.ends_with('л') {
        Some(false)
    } else {
        None
    }
}

fn parse_source(doc: &Document, toks: &Tokens, span: Span) -> SourceParse {
    let mut sp = SourceParse::default();
    let lo = doc.tokens.partition_point(|t| t.end <= span.start);
    let hi = doc.tokens.partition_point(|t| t.start < span.end);
    let idx: Vec<usize> = (lo..hi)
        .filter(|&i| matches!(doc.tokens[i].kind, TokenKind::Word | TokenKind::Number))
        .collect();
    if idx.is_empty() {
        return sp;
    }
    let words: Vec<&str> = idx.iter().map(|&i| &*toks.lower[i]).collect();
    if words.len() == 1 && (is_personal_pronoun(words[0]) || is_plural_pronoun(words[0])) {
        sp.pronoun = Some(words[0].to_string());
        return sp;
    }
    if words.len() <= 2 && words.iter().any(|w| is_first_person(w)) {
        sp.first_person = true;
        return sp;
    }
    // Each phrase holds a space, so a one-word source cannot contain it.
    sp.anonymous = words
        .iter()
        .any(|w| word_set!(lexicon::ANONYMOUS_MARKERS).contains(w))
        || words.len() >= 2 && {
            let phrase = words.join(" ");
            [
                "not to be named",
                "not be named",
                "not to be identified",
                "not be identified",
                "not authorized to",
                "пожелал остаться",
                "пожелавший остаться",
            ]
            .iter()
            .any(|p| phrase.contains(p))
        };
    let head = *words.last().unwrap_or(&"");
    sp.org_noun = words.iter().any(|w| is_org_word(w));
    // A capitalised run that is not merely the sentence's first word.
    let sentence_start = doc
        .sentence_at(span.start)
        .map(|s| doc.sentences[s].start)
        .unwrap_or(0);
    let mut run: Vec<usize> = Vec::new();
    let mut best: Vec<usize> = Vec::new();
    for &i in &idx {
        let w = &*toks.lower[i];
        let cap = toks.capital[i];
        let common_first = doc.tokens[i].start == sentence_start
            && matches!(
                w,
                "the" | "a" | "an" | "however" | "but" | "and" | "many" | "some" | "most"
            );
        if cap && !common_first {
            run.push(i);
        } else {
            if !run.is_empty() {
                best = std::mem::take(&mut run);
            }
        }
    }
    if !run.is_empty() {
        best = run;
    }
    // A lone capitalised first word before lowercase words is an adjective or a
    // common noun ("Российские официальные лица", "Hospital administrators").
    if best.len() == 1
        && doc.tokens[best[0]].start == sentence_start
        && idx.len() > 1
        && best[0] == idx[0]
        && idx[1] == best[0] + 1
    {
        best.clear();
    }
    // Titles at the front of the run ("Press Secretary Dmitry Peskov") become the role.
    let mut name_from = 0;
    for (k, &i) in best.iter().enumerate() {
        let w = &*toks.lower[i];
        if is_title_word(w) || HONORIFICS.contains(&w) {
            name_from = k + 1;
        }
    }
    let title_tokens: Vec<usize> = best[..name_from]
        .iter()
        .copied()
        .filter(|&i| !HONORIFICS.contains(&&*toks.lower[i]))
        .collect();
    if best[..name_from]
        .iter()
        .any(|&i| matches!(&*toks.lower[i], "ms." | "mrs." | "ms" | "mrs" | "г-жа"))
    {
        sp.female = Some(true);
    }
    let mut name_tokens: &[usize] = &best[name_from..];
    let text_of = |ts: &[usize]| -> String {
        ts.iter()
            .map(|&i| doc.slice(doc.tokens[i].span()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut role_tokens: Vec<usize> = title_tokens.clone();
    // Lowercase role words before the name: «пресс-секретарь президента Дмитрий Песков».
    if let Some(&first_name_tok) = name_tokens.first() {
        let before: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| i < first_name_tok)
            .collect();
        if role_tokens.is_empty() && before.iter().any(|&i| is_title_word(&toks.lower[i])) {
            role_tokens = before
                .into_iter()
                .skip_while(|&i| matches!(&*toks.lower[i], "the" | "a" | "an"))
                .collect();
        }
    }
    // With a role present, a long capitalised run is "<organisation> <First> <Last>":
    // «представитель МИД Мария Захарова», «глава Росавиации Елена Орлова».
    let is_acronym = |i: usize| {
        toks.lower[i].chars().count() >= 2
            && doc
                .slice(doc.tokens[i].span())
                .chars()
                .all(|c| c.is_uppercase())
    };
    if !role_tokens.is_empty() && name_tokens.len() >= 3 {
        let cut = name_tokens.len() - 2;
        role_tokens.extend_from_slice(&name_tokens[..cut]);
        name_tokens = &name_tokens[cut..];
    } else if name_tokens.len() >= 3 && is_acronym(name_tokens[0]) {
        // A leading acronym is an affiliation: "FBI Director …" handled above; "NATO Jens Stoltenberg".
        role_tokens.push(name_tokens[0]);
        name_tokens = &name_tokens[1..];
    }
    // A lone acronym after a role is the role's affiliation, not a name: «Канцлер ФРГ».
    if !role_tokens.is_empty() && name_tokens.len() == 1 && is_acronym(name_tokens[0]) {
        role_tokens.push(name_tokens[0]);
        name_tokens = &[];
    }
    if !role_tokens.is_empty() {
        sp.role = Some(text_of(&role_tokens));
        sp.person_hint = true;
    }
    let last = *idx.last().unwrap_or(&lo);
    let first = idx[0];
    let vague_heads = word_set!(lexicon::VAGUE_HEADS);
    let vague_head = (vague_heads.contains(head)
        && (!toks.capital[last] || doc.tokens[last].start == sentence_start))
        || (vague_heads.contains(words[0])
            && doc.tokens[first].start == sentence_start
            && !idx[1..].iter().any(|&i| toks.capital[i]));
    if !name_tokens.is_empty() && !vague_head {
        // Possessive names ("Peskov's office") are not the speaker.
        let name = text_of(name_tokens)
            .trim_end_matches("’s")
            .trim_end_matches("'s")
            .to_string();
        let lower_name: Vec<&str> = name_tokens.iter().map(|&i| &*toks.lower[i]).collect();
        if lower_name.iter().any(|w| is_org_word(w)) {
            sp.org_hint = true;
        }
        sp.name = Some(name);
    } else if vague_head {
        sp.vague = true;
    } else if head_is_title_only(&words) {
        // "a government spokesman" with no name.
        sp.role = Some(words.join(" "));
    }
    sp
}

fn head_is_title_only(words: &[&str]) -> bool {
    words.last().is_some_and(|w| is_title_word(w))
}

fn attribution_kind(toks: &Tokens, content: Span) -> AttributionKind {
    let doc = toks.doc;
    let lo = doc.tokens.partition_point(|t| t.end <= content.start);
    let hi = doc.tokens.partition_point(|t| t.start < content.end);
    if hi <= lo {
        return AttributionKind::Indirect;
    }
    let quoted = (lo..hi).filter(|&i| toks.quote[i].is_some()).count();
    if quoted == hi - lo {
        AttributionKind::Direct
    } else if quoted > 0 {
        AttributionKind::Mixed
    } else {
        AttributionKind::Indirect
    }
}

fn text_span(doc: &Document, span: Span) -> TextSpan {
    TextSpan {
        start: span.start,
        end: span.end,
        text: doc.slice(span).to_string(),
    }
}

/// The entity layer's output, indexed once per document for the lookups below
/// (each was a scan of every entity, once or twice per attribution).
struct Entities<'r> {
    report: &'r Report,
    /// First entity index per canonical name.
    first_named: std::collections::HashMap<&'r str, usize, lexicon::WordHasher>,
    /// Whether entities are sorted by start, and the longest one, for windowed scans.
    sorted: bool,
    longest: usize,
}

impl<'r> Entities<'r> {
    fn new(report: &'r Report) -> Entities<'r> {
        let mut first_named = std::collections::HashMap::with_capacity_and_hasher(
            report.entities.len(),
            Default::default(),
        );
        for (i, e) in report.entities.iter().enumerate() {
            first_named.entry(e.canonical.as_str()).or_insert(i);
        }
        Entities {
            report,
            first_named,
            sorted: report.entities.windows(2).all(|w| w[0].start <= w[1].start),
            longest: report
                .entities
                .iter()
                .map(|e| e.end.saturating_sub(e.start))
                .max()
                .unwrap_or(0),
        }
    }

    /// Index of the entity overlapping `span`, a person before an organisation:
    /// in "Kremlin spokesman Dmitry Peskov" the speaker is Peskov, not the Kremlin.
    fn at(&self, span: Span) -> Option<usize> {
        let entities = &self.report.entities;
        // Sorted by start, only entities starting within `longest` before the span can overlap it.
        let (lo, hi) = if self.sorted {
            let from = span.start.saturating_sub(self.longest);
            (
                entities.partition_point(|e| e.start < from),
                entities.partition_point(|e| e.start < span.end),
            )
        } else {
            (0, entities.len())
        };
        let overlapping = |kind: EntityKind| {
            entities[lo..hi.max(lo)]
                .iter()
                .position(|e| e.kind == kind && e.start < span.end && span.start < e.end)
                .map(|p| lo + p)
        };
        overlapping(EntityKind::Person).or_else(|| overlapping(EntityKind::Org))
    }

    /// The first entity whose canonical name is `name`.
    fn named(&self, name: &str) -> Option<usize> {
        self.first_named.get(name).copied()
    }
}

/// The source span often carries a fuller title than the entity layer's
/// lexicon knows ("Government spokeswoman Helen Carter" → "Government
/// spokeswoman", not just "spokeswoman"): keep the words before the name when
/// they end in the known role.
fn widened_role(source: &str, name: &str, role: &str) -> String {
    let surname = name.split_whitespace().last().unwrap_or(name);
    let Some(cut) = source.find(name).or_else(|| source.find(surname)) else {
        return role.to_string();
    };
    let prefix = source[..cut].trim();
    let words = prefix.split_whitespace().count();
    if prefix.len() > role.len()
        && words <= 5
        && prefix.to_lowercase().ends_with(&role.to_lowercase())
    {
        prefix.to_string()
    } else {
        role.to_string()
    }
}

/// Surnames inflect in Russian (Песков, Пескова, Пескову): match on a shared stem.
fn surname_matches(known: &str, mention: &str) -> bool {
    if known == mention {
        return true;
    }
    if known.is_ascii() || mention.is_ascii() {
        return false;
    }
    let k: Vec<char> = known.chars().collect();
    let m: Vec<char> = mention.chars().collect();
    let stem = k.len().min(m.len()).saturating_sub(2).max(4);
    k.len() >= 4
        && m.len() >= 4
        && k.len().abs_diff(m.len()) <= 2
        && k.iter().take(stem).eq(m.iter().take(stem))
}

/// A person named in the text (speaker or not), for pronoun resolution.
#[derive(Debug, Clone)]
struct Mention<'r> {
    pos: usize,
    known: Known<'r>,
}

/// Lowercased last word of a name, for [`surname_matches`].
fn surname_of(name: &str) -> String {
    name.split_whitespace().last().unwrap_or("").to_lowercase()
}

/// People named in the article: from the entity layer when it has run, else
/// from capitalised runs that carry a title or a recognisable first name.
fn person_mentions<'r>(doc: &Document, toks: &Tokens, report: &'r Report) -> Vec<Mention<'r>> {
    let persons: Vec<(usize, &crate::report::Entity)> = report
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityKind::Person)
        .collect();
    if !persons.is_empty() {
        return persons
            .into_iter()
            .filter(|(_, e)| e.canonical.split_whitespace().count() >= 2)
            .map(|(i, e)| Mention {
                pos: e.start,
                known: Known {
                    name: Cow::Borrowed(&e.canonical),
                    role: e.role.as_deref().map(Cow::Borrowed),
                    female: name_gender(&e.canonical),
                    person: true,
                    entity: Some(i),
                },
            })
            .collect();
    }
    let mut out = Vec::new();
    for &(lo, hi) in &toks.sentence_tokens {
        let mut i = lo;
        while i < hi {
            if !(toks.capital[i] && doc.tokens[i].kind == TokenKind::Word) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < hi && toks.capital[j] && doc.tokens[j].kind == TokenKind::Word {
                j += 1;
            }
            let run: Vec<usize> = (i..j).collect();
            let name_from = run
                .iter()
                .rposition(|&k| {
                    is_title_word(&toks.lower[k]) || HONORIFICS.contains(&&*toks.lower[k])
                })
                .map(|p| p + 1)
                .unwrap_or(0);
            let titled = name_from > 0 || (i > lo && is_title_word(&toks.lower[i - 1]));
            let mut name_toks = &run[name_from..];
            if name_toks.len() > 3 || (titled && name_toks.len() == 3) {
                name_toks = &name_toks[name_toks.len() - 2..];
            }
            if name_toks.len() >= 2 && !name_toks.iter().any(|&k| is_org_word(&toks.lower[k])) {
                let name = name_toks
                    .iter()
                    .map(|&k| doc.slice(doc.tokens[k].span()))
                    .collect::<Vec<_>>()
                    .join(" ")
                    .trim_end_matches("’s")
                    .trim_end_matches("'s")
                    .to_string();
                let female = name_gender(&name);
                if titled || female.is_some() {
                    let role = (name_from > 0)
                        .then(|| {
                            run[..name_from]
                                .iter()
                                .filter(|&&k| !HONORIFICS.contains(&&*toks.lower[k]))
                                .map(|&k| doc.slice(doc.tokens[k].span()))
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .filter(|r| !r.is_empty());
                    out.push(Mention {
                        pos: doc.tokens[i].start,
                        known: Known {
                            name: Cow::Owned(name),
                            role: role.map(Cow::Owned),
                            female,
                            person: true,
                            entity: None,
                        },
                    });
                }
            }
            i = j;
        }
    }
    out
}

/// Record that `k` was just mentioned: it becomes the most recent.
fn touch<'r>(known: &mut Vec<Known<'r>>, k: Known<'r>) {
    match known.iter().position(|x| x.name == k.name) {
        Some(p) => {
            let mut old = known.remove(p);
            if old.role.is_none() {
                old.role = k.role;
            }
            if old.female.is_none() {
                old.female = k.female;
            }
            if old.entity.is_none() {
                old.entity = k.entity;
            }
            known.push(old);
        }
        None => known.push(k),
    }
}

fn resolve(
    doc: &Document,
    toks: &Tokens,
    report: &Report,
    cands: &[Candidate],
) -> Vec<Attribution> {
    let mut known: Vec<Known<'_>> = Vec::new();
    let mentions = person_mentions(doc, toks, report);
    let entities = Entities::new(report);
    let mut next_mention = 0;
    let mut out = Vec::with_capacity(cands.len());
    for c in cands {
        let at = c.source.map_or(c.cue.start, |s| s.start.min(c.cue.start));
        while next_mention < mentions.len() && mentions[next_mention].pos < at {
            touch(&mut known, mentions[next_mention].known.clone());
            next_mention += 1;
        }
        let verb_female = c.verb.and_then(|v| verb_gender(&toks.lower[v]));
        if c.source
            .is_some_and(|src| is_russian_non_source(doc.slice(src)))
        {
            continue;
        }
        let (mut speaker, mut role, mut entity, source_type) = match c.source {
            None => (None, None, None, SourceType::Anonymous),
            Some(src) => {
                let sp = parse_source(doc, toks, src);
                let ent = entities.at(src);
                if let Some(p) = &sp.pronoun {
                    if is_plural_pronoun(p) {
                        (None, None, None, SourceType::Vague)
                    } else {
                        let want_female = verb_female.or(match p.as_str() {
                            "she" | "она" | "её" | "ее" => Some(true),
                            "he" | "он" | "его" => Some(false),
                            _ => None,
                        });
                        // The last person spoken of, of a compatible gender.
                        let hit = known
                            .iter()
                            .rev()
                            .find(|k| k.person && want_female.is_some() && k.female == want_female)
                            .or_else(|| {
                                known.iter().rev().find(|k| {
                                    k.person && (k.female.is_none() || want_female.is_none())
                                })
                            });
                        match hit {
                            Some(k) => (
                                Some(k.name.to_string()),
                                k.role.as_deref().map(String::from),
                                k.entity,
                                SourceType::NamedPerson,
                            ),
                            None => {
                                // Fall back to the last person entity before the cue.
                                let e = report.entities.iter().enumerate().rfind(|(_, e)| {
                                    e.kind == EntityKind::Person && e.end <= src.start
                                });
                                match e {
                                    Some((i, e)) => (
                                        Some(e.canonical.clone()),
                                        e.role.clone(),
                                        Some(i),
                                        SourceType::NamedPerson,
                                    ),
                                    None => (None, None, None, SourceType::NamedPerson),
                                }
                            }
                        }
                    }
                } else if sp.first_person {
                    (None, None, None, SourceType::SelfSource)
                } else if sp.anonymous {
                    (None, sp.role.clone(), None, SourceType::Anonymous)
                } else if sp.vague {
                    (None, None, None, SourceType::Vague)
                } else if let Some(i) = ent {
                    let e = &report.entities[i];
                    let t = if e.kind == EntityKind::Person {
                        SourceType::NamedPerson
                    } else {
                        SourceType::NamedOrg
                    };
                    (
                        Some(e.canonical.clone()),
                        e.role.clone().or(sp.role.clone()),
                        Some(i),
                        t,
                    )
                } else if let Some(name) = &sp.name {
                    let words: Vec<&str> = name.split_whitespace().collect();
                    let surname = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
                    let prior = if words.len() == 1 {
                        known
                            .iter()
                            .rev()
                            .find(|k| k.person && surname_matches(&surname_of(&k.name), &surname))
                    } else {
                        None
                    };
                    if let Some(k) = prior {
                        (
                            Some(k.name.to_string()),
                            sp.role.clone().or(k.role.as_deref().map(String::from)),
                            k.entity,
                            SourceType::NamedPerson,
                        )
                    } else {
                        let person = !sp.org_hint
                            && (sp.person_hint
                                || (words.len() >= 2 && words.len() <= 4)
                                || verb_female.is_some() && words.len() >= 2
                                || words.len() == 1
                                    && entities.named(name).is_none()
                                    && russian_lone_surname(name, verb_female));
                        let t = if person {
                            SourceType::NamedPerson
                        } else {
                            SourceType::NamedOrg
                        };
                        (Some(name.clone()), sp.role.clone(), entities.named(name), t)
                    }
                } else if sp.org_noun {
                    let text = doc.slice(src);
                    let name = ["the ", "The ", "в ", "В ", "во ", "in ", "from "]
                        .iter()
                        .fold(text, |t, p| t.strip_prefix(p).unwrap_or(t));
                    (
                        Some(russian_org_nominative(name)),
                        None,
                        None,
                        SourceType::NamedOrg,
                    )
                } else if let Some(r) = sp.role.clone() {
                    // "the mayor said": the person last introduced with that title.
                    let head = r.split_whitespace().last().unwrap_or("").to_lowercase();
                    let hit = known.iter().rev().find(|k| {
                        k.person
                            && k.role.as_ref().is_some_and(|kr| {
                                kr.to_lowercase().split_whitespace().any(|w| w == head)
                            })
                    });
                    match hit {
                        Some(k) => (
                            Some(k.name.to_string()),
                            k.role.as_deref().map(String::from),
                            k.entity,
                            SourceType::NamedPerson,
                        ),
                        // "a government spokesman": an unnamed but specific person.
                        None => (None, Some(r), None, SourceType::Anonymous),
                    }
                } else {
                    (None, None, None, SourceType::Vague)
                }
            }
        };
        if entity.is_none() {
            if let Some(name) = &speaker {
                entity = entities.named(name);
            }
        }
        if role.is_none() {
            if let Some(i) = entity {
                role = report.entities[i].role.clone();
            }
        }
        if let (Some(r), Some(src), Some(name)) = (&role, c.source, &speaker) {
            role = Some(widened_role(doc.slice(src), name, r));
        }
        if let (Some(name), SourceType::NamedPerson | SourceType::NamedOrg) =
            (&speaker, source_type)
        {
            let person = source_type == SourceType::NamedPerson;
            touch(
                &mut known,
                Known {
                    name: Cow::Owned(name.clone()),
                    role: role.clone().map(Cow::Owned),
                    female: name_gender(name).or(verb_female),
                    person,
                    entity,
                },
            );
        }
        if speaker.as_deref() == Some("") {
            speaker = None;
        }
        out.push(Attribution {
            source: c.source.map(|s| text_span(doc, s)),
            cue: text_span(doc, c.cue),
            content: c.content,
            kind: attribution_kind(toks, c.content),
            speaker,
            speaker_entity: entity,
            role,
            source_type,
        });
    }
    out
}

/// Words that make a narrator's sentence a judgement rather than a plain report.
const JUDGEMENT_WORDS: &[&str] = &[
    "убедительно",
    "доказала",
    "доказал",
    "превосходство",
    "superiority",
    "proved",
    "complied",
    "fully",
    "strictly",
    "unprecedented",
    "historic",
    "pivotal",
    "robust",
    "successful",
    "successfully",
    "significant",
    "significantly",
    "crucial",
    "critical",
    "clearly",
    "undeniably",
    "obviously",
    "destabilizing",
    "destabilising",
    "aggression",
    "prowess",
    "commitment",
    "stark",
    "merely",
    "essential",
    "fragile",
    "dominance",
    "protector",
    "legitimate",
    "illegal",
    "brutal",
    "heroic",
    "massive",
    "devastating",
    "remarkable",
    "extraordinary",
    "reckless",
    "dangerous",
    "disastrous",
    "failed",
    "corrupt",
    "false",
    "true",
    "proved",
    "proven",
    "undoubtedly",
    "certainly",
    "always",
    "never",
    "only",
    "best",
    "worst",
    "most",
    "unparalleled",
    "adhered",
    "obligations",
    "showcased",
    "underscored",
    "demonstrated",
    "deterrent",
    "aggressive",
    "hostile",
    "defensive",
    "провокация",
    "беспрецедентный",
    "беспрецедентные",
    "исторический",
    "успешно",
    "успешный",
    "успешного",
    "успешное",
    "строго",
    "очевидно",
    "безусловно",
    "агрессия",
    "агрессии",
    "провокации",
    "неоспоримо",
    "уникальный",
    "уникальные",
    "надежный",
    "надёжный",
    "мощный",
    "мощь",
    "величайший",
    "полностью",
    "строгом",
    "соответствии",
    "обязательствами",
];

fn judgement_words() -> &'static lexicon::WordSet {
    static SET: std::sync::OnceLock<lexicon::WordSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| lexicon::WordSet::new(JUDGEMENT_WORDS))
}

fn hedge_words() -> &'static lexicon::WordSet {
    static SET: std::sync::OnceLock<lexicon::WordSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| lexicon::WordSet::new(HEDGE_WORDS))
}

/// Words of hedged forecasts: not assertions of fact.
const HEDGE_WORDS: &[&str] = &[
    "may",
    "might",
    "could",
    "likely",
    "perhaps",
    "possibly",
    "will",
    "would",
    "может",
    "могут",
    "возможно",
    "вероятно",
    "будет",
    "будут",
];

/// Rank the narrator's own unattributed sentences; return findings for the
/// strongest, and the counts for the profile.
fn unattributed(
    doc: &Document,
    toks: &Tokens,
    attributions: &[Attribution],
) -> (Vec<Finding>, usize, usize, usize) {
    let mut scored: Vec<(f64, Span, Vec<&'static str>)> = Vec::new();
    let (judging, hedging) = (judgement_words(), hedge_words());
    let mut factual = 0usize;
    let mut attributed = 0usize;
    for (sent, &(lo, hi)) in doc.sentences.iter().zip(&toks.sentence_tokens) {
        let words = (lo..hi)
            .filter(|&i| doc.tokens[i].kind == TokenKind::Word)
            .count();
        let text = doc.slice(*sent);
        if words < 6 || text.trim_end().ends_with('?') {
            continue;
        }
        factual += 1;
        let covered = attributions.iter().any(|a| {
            a.content.overlaps(*sent) || Span::new(a.cue.start, a.cue.end).overlaps(*sent)
        });
        if covered {
            attributed += 1;
            continue;
        }
        let mut score = 0.0;
        let mut why: Vec<&'static str> = Vec::new();
        // One pass over the sentence for what the score counts.
        let (mut judgement, mut numbers, mut names, mut hedged) = (0usize, 0usize, 0usize, false);
        for i in lo..hi {
            match doc.tokens[i].kind {
                TokenKind::Number => numbers += 1,
                TokenKind::Word => {
                    // Both lists hold words only.
                    let w = &*toks.lower[i];
                    judgement += judging.contains(w) as usize;
                    hedged |= hedging.contains(w);
                    names += (toks.capital[i] && doc.tokens[i].start != sent.start) as usize
                }
                _ => {}
            }
        }
        if judgement > 0 {
            score += 1.5 + 0.5 * (judgement.min(4) as f64);
            why.push("judgement words");
        }
        if numbers > 0 {
            score += 1.0;
            why.push("figures");
        }
        if names > 0 {
            score += 0.5;
        }
        if hedged {
            score -= 1.5;
        }
        // Background: a dated event with no judgement (who met whom, on which day).
        let dated = (lo..hi.min(lo + 4)).any(|i| {
            matches!(
                &*toks.lower[i],
                "on" | "in"
                    | "january"
                    | "february"
                    | "march"
                    | "april"
                    | "june"
                    | "july"
                    | "august"
                    | "september"
                    | "october"
                    | "november"
                    | "december"
            )
        }) && numbers > 0;
        if dated && judgement == 0 {
            score -= 1.0;
        }
        if score >= 2.0 {
            scored.push((score, *sent, why));
        }
    }
    let total = scored.len();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.start.cmp(&b.1.start)));
    let findings = scored
        .into_iter()
        .take(MAX_UNATTRIBUTED_FINDINGS)
        .map(|(score, span, why)| Finding {
            kind: crate::report::FindingKind::Unattributed,
            code: crate::report::FindingCode::UnattributedAssertion,
            severity: if score >= 3.5 {
                Severity::Medium
            } else {
                Severity::Low
            },
            message: format!(
                "asserted in the narrator's voice with no source ({}; score {score:.1})",
                if why.is_empty() {
                    "names".to_string()
                } else {
                    why.join(", ")
                }
            ),
            evidence: vec![span],
            computation: None,
        })
        .collect();
    (findings, total, factual, attributed)
}

/// Affiliation keys by side, in order of precedence: the first side with a key
/// contained in the (lower-cased) label wins.
const SIDE_KEYS: &[(&str, &[&str])] = &[
    (
        "russia",
        &[
            "russia",
            "kremlin",
            "moscow",
            "росси",
            "кремл",
            "москв",
            "минобороны рф",
        ],
    ),
    ("ukraine", &["ukrain", "kyiv", "kiev", "украин", "киев"]),
    (
        "united-states",
        &[
            "u.s.",
            "american",
            "washington",
            "white house",
            "pentagon",
            "state department",
            "сша",
            "американ",
            "вашингтон",
            "пентагон",
        ],
    ),
    (
        "west",
        &["nato", "western", "european", "нато", "запад", "евросоюз"],
    ),
    ("china", &["chin", "beijing", "китай", "пекин"]),
    ("democrats", &["democrat", "clinton", "демократ"]),
    (
        "republicans",
        &["republican", "gop", "trump", "республикан"],
    ),
];

/// Affiliation of a source, from the words of its phrase, role and name.
fn side_of(text: &str) -> Option<&'static str> {
    // Keys by first byte, with their side's rank: one pass over the label instead of
    // one substring search per key (UTF-8 keys can only match at a char boundary).
    /// Per first byte, the keys starting with it and their side's rank.
    type KeysByFirstByte = Vec<Vec<(&'static [u8], usize)>>;
    static BY_FIRST_BYTE: std::sync::OnceLock<KeysByFirstByte> = std::sync::OnceLock::new();
    let keys = BY_FIRST_BYTE.get_or_init(|| {
        let mut by = vec![Vec::new(); 256];
        for (rank, (_, keys)) in SIDE_KEYS.iter().enumerate() {
            for k in keys.iter() {
                by[k.as_bytes()[0] as usize].push((k.as_bytes(), rank));
            }
        }
        by
    });
    let t = text.to_lowercase();
    let t = t.as_bytes();
    let mut best = usize::MAX;
    for i in 0..t.len() {
        for &(k, rank) in &keys[t[i] as usize] {
            if rank < best && t[i..].starts_with(k) {
                best = rank;
            }
        }
    }
    SIDE_KEYS.get(best).map(|(side, _)| *side)
}

fn profile(
    doc: &Document,
    attributions: &[Attribution],
    factual: usize,
    attributed: usize,
    unattributed: usize,
) -> SourcingProfile {
    const TYPES: [&str; 5] = ["named_person", "named_org", "anonymous", "vague", "self"];
    let mut counts = [0usize; TYPES.len()];
    let mut named: Vec<String> = Vec::new();
    let mut sides: Vec<&'static str> = Vec::new();
    let mut label = String::new();
    for a in attributions {
        counts[match a.source_type {
            SourceType::NamedPerson => 0,
            SourceType::NamedOrg => 1,
            SourceType::Anonymous => 2,
            SourceType::Vague => 3,
            SourceType::SelfSource => 4,
        }] += 1;
        if let Some(s) = &a.speaker {
            if matches!(
                a.source_type,
                SourceType::NamedPerson | SourceType::NamedOrg
            ) && !named.contains(s)
            {
                named.push(s.clone());
            }
        }
        label.clear();
        for (k, part) in [
            a.source.as_ref().map(|s| s.text.as_str()),
            a.speaker.as_deref(),
            a.role.as_deref(),
        ]
        .into_iter()
        .enumerate()
        {
            if k > 0 {
                label.push(' ');
            }
            label.push_str(part.unwrap_or(""));
        }
        if let Some(side) = side_of(&label) {
            if !sides.contains(&side) {
                sides.push(side);
            }
        }
    }
    let _ = doc;
    SourcingProfile {
        by_source_type: TYPES
            .iter()
            .zip(counts)
            .map(|(t, n)| (t.to_string(), n))
            .collect::<BTreeMap<String, usize>>(),
        factual_sentences: factual,
        attributed_sentences: attributed,
        attributed_share: if factual == 0 {
            0.0
        } else {
            attributed as f64 / factual as f64
        },
        named_sources: named,
        multiple_sides: sides.len() > 1,
        unattributed_assertions: unattributed,
        sides: sides.iter().map(|s| s.to_string()).collect(),
    }
}

/// The attribution layer: reads the entities layer for speakers.
pub struct AttributionLayer;

impl crate::pipeline::Layer for AttributionLayer {
    fn name(&self) -> &'static str {
        "attribution"
    }
    fn requires(&self) -> &'static [&'static str] {
        &["entities"]
    }
    fn run(&self, doc: &Document, report: &mut Report) {
        if !doc.language.is_russian() {
            if let Err(why) = crf::embedded_loaded() {
                report.warnings.push(why.to_string());
            }
        }
        let out = analyze(doc, report);
        report.attributions = out.attributions;
        report.findings.extend(out.findings);
        report.sourcing = out.sourcing;
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn russian_sentence_openers_are_not_sources_and_lone_surnames_are_people() {
        assert!(is_russian_non_source("Стоит"));
        assert!(is_russian_non_source("Следует"));
        assert!(!is_russian_non_source("Песков"));
        assert!(!is_russian_non_source("Стоит ли"));
        assert!(russian_lone_surname("Холмогоров", Some(false)));
        assert!(russian_lone_surname("Кобахидзе", None));
        assert!(russian_lone_surname("Палмер", Some(true)));
        assert!(!russian_lone_surname("Палмер", Some(false)));
        assert!(!russian_lone_surname("Еврокомиссия", Some(true)));
        assert!(!russian_lone_surname("Всемирная", Some(true)));
        assert!(!russian_lone_surname("Украине", Some(true)));
        assert!(!russian_lone_surname("Минфин", Some(false)));
        assert!(!russian_lone_surname("УНИАН", None));
        assert!(!russian_lone_surname("Petrov", None));
    }

    #[test]
    fn russian_lone_surname_speaks_as_a_person_and_stoit_otmetit_is_the_narrator() {
        let text = "Холмогоров заявил, что переговоры продолжатся.\n\nСтоит отметить, что рынок вырос на 5%.";
        let report = crate::analyze_text(text);
        let speakers: Vec<(Option<&str>, SourceType)> = report
            .attributions
            .iter()
            .map(|a| (a.speaker.as_deref(), a.source_type))
            .collect();
        assert_eq!(
            speakers,
            vec![(Some("Холмогоров"), SourceType::NamedPerson)]
        );
    }

    #[test]
    fn russian_organisation_sources_are_named_in_the_nominative() {
        assert_eq!(russian_org_nominative("министерства"), "министерство");
        assert_eq!(
            russian_org_nominative("Министерства обороны"),
            "Министерство обороны"
        );
        assert_eq!(
            russian_org_nominative("пресс-службе Кремля"),
            "пресс-служба Кремля"
        );
        assert_eq!(russian_org_nominative("компании"), "компания");
        assert_eq!(russian_org_nominative("перевозчика"), "перевозчик");
        assert_eq!(russian_org_nominative("Кремля"), "Кремль");
        // Already nominative, indeclinable, or led by something else: unchanged.
        assert_eq!(russian_org_nominative("министерство"), "министерство");
        assert_eq!(russian_org_nominative("МИД"), "МИД");
        assert_eq!(
            russian_org_nominative("российского министерства"),
            "российского министерства"
        );
        assert_eq!(russian_org_nominative("the ministry"), "the ministry");
    }
    use super::*;
    use crate::report::AttributionKind;

    fn attrs(text: &str) -> (Report, Vec<Attribution>) {
        let r = crate::analyze_text(text);
        let a = r.attributions.clone();
        (r, a)
    }

    fn content(r: &Report, a: &Attribution) -> String {
        r.text
            .chars()
            .skip(a.content.start)
            .take(a.content.len())
            .collect()
    }

    #[test]
    fn quotation_with_inverted_cue_is_direct_speech_with_title() {
        let (r, a) = attrs("“We will finish the bridge by May,” said Mayor Jane Doe.");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].kind, AttributionKind::Direct);
        assert_eq!(a[0].speaker.as_deref(), Some("Jane Doe"));
        assert_eq!(a[0].role.as_deref(), Some("Mayor"));
        assert_eq!(a[0].source_type, SourceType::NamedPerson);
        assert_eq!(a[0].cue.text, "said");
        assert_eq!(content(&r, &a[0]), "“We will finish the bridge by May,”");
    }

    #[test]
    fn according_to_an_organisation() {
        let (r, a) = attrs("According to the health ministry, 40 people were hurt in the blast.");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].cue.text, "According to");
        assert_eq!(a[0].source_type, SourceType::NamedOrg);
        assert_eq!(content(&r, &a[0]), "40 people were hurt in the blast");
        assert_eq!(a[0].kind, AttributionKind::Indirect);
    }

    #[test]
    fn anonymous_and_vague_sources_are_kept_apart() {
        let (_, a) = attrs(
            "A source close to the negotiations said the deal was off. \
             Critics argue that the plan is too expensive. \
             Officials familiar with the matter said a vote was unlikely.",
        );
        let types: Vec<SourceType> = a.iter().map(|x| x.source_type).collect();
        assert_eq!(
            types,
            vec![
                SourceType::Anonymous,
                SourceType::Vague,
                SourceType::Anonymous
            ]
        );
        assert!(a.iter().all(|x| x.speaker.is_none()));
    }

    #[test]
    fn nouns_that_look_like_cues_are_not_attributions() {
        let (_, a) = attrs(
            "The state report was published on Monday. His remarks drew a small crowd. \
             This demonstration underscored the city's commitment to cycling.",
        );
        assert!(a.is_empty(), "{a:?}");
    }

    #[test]
    fn russian_quote_dash_cue_and_inflected_surname() {
        let (r, a) = attrs(
            "«Мы готовы к переговорам», — заявила министр Мария Иванова.\n\n\
             По словам Ивановой, встреча пройдёт в Женеве.",
        );
        assert_eq!(a.len(), 2, "{a:?}");
        assert_eq!(a[0].kind, AttributionKind::Direct);
        assert_eq!(a[0].speaker.as_deref(), Some("Мария Иванова"));
        assert_eq!(a[0].role.as_deref(), Some("министр"));
        assert_eq!(content(&r, &a[0]), "«Мы готовы к переговорам»");
        assert_eq!(a[1].cue.text, "По словам");
        assert_eq!(a[1].speaker.as_deref(), Some("Мария Иванова"));
        assert_eq!(content(&r, &a[1]), "встреча пройдёт в Женеве");
    }

    #[test]
    fn pronouns_follow_gender_across_two_interleaved_speakers() {
        let (_, a) = attrs(
            "Senator John Miller said the bill would pass. Governor Anna Kowalski said it would fail.\n\n\
             He added that the vote was set for Friday. She said she would veto it.",
        );
        let who: Vec<Option<&str>> = a.iter().map(|x| x.speaker.as_deref()).collect();
        assert_eq!(
            who,
            vec![
                Some("John Miller"),
                Some("Anna Kowalski"),
                Some("John Miller"),
                Some("Anna Kowalski")
            ]
        );
        assert_eq!(a[2].role.as_deref(), Some("Senator"));
    }

    #[test]
    fn unattributed_judgements_are_flagged_and_attributed_text_is_not() {
        let r = crate::analyze_text(
            "The launch, which strictly followed every treaty, was an unprecedented success.\n\n\
             Minister Paul Grant said the rocket flew 900 kilometres.",
        );
        let flagged: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.kind == "unattributed")
            .collect();
        assert_eq!(flagged.len(), 1);
        let ev = flagged[0].evidence[0];
        let text: String = r.text.chars().skip(ev.start).take(ev.len()).collect();
        assert!(text.starts_with("The launch, which strictly"));

        let clean = crate::analyze_text(
            "Minister Paul Grant said the rocket flew 900 kilometres. \
             He added that the next launch would follow in May.",
        );
        assert!(
            clean.findings.iter().all(|f| f.kind != "unattributed"),
            "{:?}",
            clean.findings
        );
        let s = clean.sourcing.expect("profile");
        assert_eq!(s.attributed_sentences, 2);
        assert_eq!(s.factual_sentences, 2);
        assert!((s.attributed_share - 1.0).abs() < 1e-9);
    }

    #[test]
    fn side_keys_follow_their_precedence_wherever_they_occur() {
        assert_eq!(side_of("Ukrainian and Russian officials"), Some("russia"));
        assert_eq!(side_of("Trump aide in Washington"), Some("united-states"));
        assert_eq!(side_of("представитель Кремля"), Some("russia"));
        assert_eq!(side_of("NATO chief"), Some("west"));
        assert_eq!(side_of("Beijing"), Some("china"));
        assert_eq!(side_of("the mayor of Lyon"), None);
    }

    #[test]
    fn profile_counts_types_names_and_sides() {
        let r = crate::analyze_text(
            "Kremlin spokesman Dmitry Peskov said Russia wanted talks. \
             Ukrainian Foreign Minister Olena Bondar said Kyiv would not negotiate. \
             Analysts said a ceasefire was unlikely.",
        );
        let s = r.sourcing.expect("profile");
        assert_eq!(s.by_source_type["named_person"], 2);
        assert_eq!(s.by_source_type["vague"], 1);
        assert_eq!(s.named_sources, vec!["Dmitry Peskov", "Olena Bondar"]);
        assert!(s.multiple_sides, "{:?}", s.sides);

        let one = crate::analyze_text(
            "Kremlin spokesman Dmitry Peskov said Russia wanted talks. \
             Russian officials said the offer stood.",
        );
        assert!(!one.sourcing.expect("profile").multiple_sides);
    }
}
