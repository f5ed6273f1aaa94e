//! Russian source phrases: sentence openers that name nobody, lone surnames,
//! organisation names put back in the nominative.

use crate::document::{Document, Span};

use super::lexicon;
use super::rules::Tokens;
use super::source::is_org_word;

/// Capitalised Russian sentence openers before a reporting verb that name nobody.
fn non_sources() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-ru-non-sources.txt"
    ))
}

/// Endings of Russian and Ukrainian surnames.
fn surname_endings() -> &'static [&'static str] {
    word_list!(include_str!(
        "../../../lexicon/attribution-ru-surname-endings.txt"
    ))
}

/// Capitalised Russian words that open a sentence before a reporting verb without naming
/// anyone: «Стоит отметить, что…», «Следует подчеркнуть…», «Вы скажете…», «Фактически
/// признал…». The sentence is the narrator's own voice, not an attribution.
pub(super) fn is_russian_non_source(source: &str) -> bool {
    let word = source.trim();
    !word.is_empty()
        && !word.contains(' ')
        && !word.is_ascii()
        && non_sources().contains(&word.to_lowercase().as_str())
}

/// Whether a lone capitalised Russian word that the entity layer does not know, speaking
/// through a reporting verb, is a person's surname rather than an organisation: it has a
/// surname's ending («Холмогоров», «Денисова», «Кобахидзе», «Шевченко»), or the verb is
/// feminine and the word does not end like an organisation, a country, an adjective or an
/// oblique case («Палмер сказала», but «Еврокомиссия заявила», «Всемирная …», «Украине»). Agency-style compounds («Минфин», «Росстат») stay
/// organisations.
pub(super) fn russian_lone_surname(word: &str, verb_female: Option<bool>) -> bool {
    if word.is_ascii() || word.chars().all(|c| !c.is_lowercase()) {
        return false;
    }
    let lower = word.to_lowercase();
    if ["мин", "рос", "гос"].iter().any(|p| lower.starts_with(p)) || is_org_word(&lower) {
        return false;
    }
    (lower.chars().count() >= 4 && surname_endings().iter().any(|e| lower.ends_with(e)))
        || verb_female == Some(true)
            && !["ия", "ья", "ая", "яя", "е", "и", "ы", "у", "ю"]
                .iter()
                .any(|e| lower.ends_with(e))
}

/// Russian given names in the nominative (from the shared first-name list).
fn russian_first_names() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        crate::lexicon::words(include_str!("../../../lexicon/first-names.txt"))
            .filter(|w| !w.is_ascii())
            .collect()
    })
}

/// The case a Russian given name is in, with its nominative: «Дмитрия» → (genitive,
/// «Дмитрий»), «Марии» → (genitive, «Мария»), «Сергею» → (dative, «Сергей»).
fn first_name_case(word: &str) -> Option<(RussianCase, &'static str)> {
    use RussianCase::*;
    russian_first_names().iter().find_map(|&nom| {
        let (stem, last) = nom.char_indices().last().map(|(i, c)| (&nom[..i], c))?;
        let forms: &[(&str, RussianCase)] = match last {
            'й' | 'ь' => &[
                ("я", Genitive),
                ("ю", Dative),
                ("ем", Instrumental),
                ("е", Prepositional),
            ],
            'я' => &[("и", Genitive), ("ей", Instrumental)],
            'а' => &[
                ("ы", Genitive),
                ("и", Genitive),
                ("е", Dative),
                ("ой", Instrumental),
            ],
            _ => &[],
        };
        let oblique = forms
            .iter()
            .find(|(ending, _)| word.strip_prefix(stem) == Some(ending))
            .map(|&(_, case)| (case, nom));
        let consonant = ["а", "у", "ом", "е"]
            .iter()
            .zip([Genitive, Dative, Instrumental, Prepositional])
            .find(|(ending, _)| word.strip_prefix(nom) == Some(ending))
            .map(|(_, case)| (case, nom));
        oblique.or(consonant.filter(|_| !matches!(last, 'й' | 'ь' | 'я' | 'а')))
    })
}

/// The grammatical cases a source name may stand in after «по словам», «по мнению»,
/// «как заявила», «с …».
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RussianCase {
    Genitive,
    Dative,
    Instrumental,
    Prepositional,
}

/// A Russian surname in `case` put back in the nominative, masculine or feminine as
/// the given name says: «Пескова» → «Песков», «Захаровой» → «Захарова», «Арахамии» →
/// «Арахамия»; indeclinable surnames («Мироненко», «Кобахидзе») stay as they are.
fn surname_nominative(surname: &str, case: RussianCase, female: bool) -> String {
    use RussianCase::*;
    let rules: &[(&str, &str)] = match (case, female) {
        (_, true) => &[
            ("овой", "ова"),
            ("евой", "ева"),
            ("иной", "ина"),
            ("ской", "ская"),
            ("цкой", "цкая"),
        ],
        (Genitive, false) => &[
            ("ского", "ский"),
            ("цкого", "цкий"),
            ("ии", "ия"),
            ("а", ""),
            ("я", "й"),
        ],
        (Dative, false) => &[("скому", "ский"), ("цкому", "цкий"), ("у", ""), ("ю", "й")],
        (Instrumental, false) => &[
            ("ским", "ский"),
            ("цким", "цкий"),
            ("ым", ""),
            ("ом", ""),
            ("ем", "й"),
        ],
        (Prepositional, false) => &[("ском", "ский"), ("е", "")],
    };
    for (ending, nominative) in rules {
        if let Some(stem) = surname.strip_suffix(ending) {
            if stem.chars().count() >= 3 {
                return format!("{stem}{nominative}");
            }
        }
    }
    surname.to_string()
}

/// A Russian person's name as its cue governs it («по словам Дмитрия Пескова», «с Марией
/// Захаровой») put back in the nominative («Дмитрий Песков», «Мария Захарова») when the
/// given name is a known one in an oblique case; any other name is returned as it is.
pub(super) fn russian_person_nominative(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let [first, surname] = words.as_slice() else {
        return name.to_string();
    };
    let Some((case, nominative)) = first_name_case(first) else {
        return name.to_string();
    };
    let female = nominative.ends_with(['а', 'я']);
    format!("{nominative} {}", surname_nominative(surname, case, female))
}

/// A Russian organisation source named in the form its cue governs («по данным министерства
/// обороны», «сообщили в пресс-службе») put back in the nominative («министерство обороны»,
/// «пресс-служба»), so the sourcing profile names it as a reader would. Only a leading
/// organisation noun changes: its complement keeps the case it has in the name, and a name that
/// starts with anything else (an adjective, a proper name) is returned as it is.
pub(super) fn russian_org_nominative(name: &str) -> String {
    let (head, rest) = name.split_once(' ').unwrap_or((name, ""));
    let lower = head.to_lowercase();
    let nominative = lexicon::org_words()
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

/// The name written at `span` («Дмитрия Пескова», «Всемирного Банка», «Министерства
/// обороны») put in the nominative as the syntax layer reads it: the phrase's head and the
/// words that agree with it (adjectives, the rest of a person's name) take the nominative of
/// the dictionary reading the tagger chose; complements keep their case («обороны»).
/// `None` when the head is already nominative or carries no case.
pub(super) fn nominative_by_syntax(doc: &Document, span: Span) -> Option<String> {
    use crate::syntax::{Case, Deprel, Upos};
    // The cheap test first: a governing word is a lower-case word right before the name.
    let before = doc.slice(Span::new(span.start.saturating_sub(24), span.start));
    if !before.ends_with(' ') || !before.trim_end().ends_with(char::is_lowercase) {
        return None;
    }
    let words = crate::syntax::analyze_window(doc, span, 3);
    let inside: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].span.start >= span.start && words[i].span.end <= span.end)
        .collect();
    let head = *inside
        .iter()
        .find(|&&i| words[i].head.is_none_or(|h| !inside.contains(&h)))?;
    let case = words[head].feats.case()?;
    // Only a name that a preposition or a noun governs («по словам Дмитрия Пескова», «в
    // Аэрофлоте») is oblique; a subject («заявил Роб Йеттен») is nominative however an
    // unknown name is tagged («Роб» read as the genitive plural of «роба»).
    let governed = inside[0]
        .checked_sub(1)
        .is_some_and(|p| matches!(words[p].upos, Upos::Adp | Upos::Noun));
    // The head must be a complement (of «словам», of «заявили в …»), not an apposition
    // to a role («министр … Нику Попеску»), and the phrase a plain name: a preposition
    // or a verb inside («одного из чиновников», «опубликованном комитетом документе»)
    // is a structure this does not rebuild.
    let complement = matches!(
        words[head].deprel,
        Deprel::Nmod | Deprel::Obl | Deprel::Iobj
    );
    let plain = inside
        .iter()
        .all(|&i| !matches!(words[i].upos, Upos::Adp | Upos::Verb | Upos::Aux));
    if case == Case::Nom || !governed || !complement || !plain {
        return None;
    }
    // Parts of a person's name in the head's case belong to it whatever relation the
    // parser gave them («Дмитрия Пескова» read as a noun and its complement).
    let person = |x: &crate::syntax::SyntaxWord| {
        x.upos == Upos::Propn && x.feats.animacy() == Some(crate::syntax::Animacy::Anim)
    };
    let mut change = vec![false; words.len()];
    change[head] = true;
    for _ in 0..inside.len() {
        for &i in &inside {
            let w = &words[i];
            let name_part = person(w) && person(&words[head]);
            // A flat or appositive inanimate name is a place or an organisation named
            // beside the head in its own right («МВД Польши»): it keeps its case.
            let agrees = w.feats.case() == Some(case)
                && (name_part || matches!(w.deprel, Deprel::Amod | Deprel::Det));
            if agrees && w.head.is_some_and(|h| change[h]) {
                change[i] = true;
            }
        }
    }
    // Whatever stands before the head must agree with it («Всемирного Банка»); «МВД Польши»
    // read with «Польши» as the head is no name to inflect.
    if inside
        .iter()
        .take_while(|&&i| i != head)
        .any(|&i| !change[i])
    {
        return None;
    }
    let mut out = String::new();
    let mut at = span.start;
    for &i in &inside {
        let w = &words[i];
        out.push_str(doc.slice(Span::new(at, w.span.start)));
        let form = doc.slice(w.span);
        let nominative = change[i]
            .then(|| crate::syntax::lexicon::nominative(form, w.upos.as_str(), w.feats.as_str()))
            .flatten();
        out.push_str(nominative.as_deref().unwrap_or(form));
        at = w.span.end;
    }
    out.push_str(doc.slice(Span::new(at, span.end)));
    Some(out)
}

/// «…, — заявляет бывший премьер-министр Грузии, лидер партии «За Грузию» Георгий
/// Гахария.»: a Russian post-posed source whose name comes after its appositions. When the
/// phrase `s..e` names nobody yet (no two capitalised words in a row) and the rest of the
/// sentence after its comma is a short run of words that ends in a two-word capitalised
/// name, the source runs to the sentence end; otherwise it stays `s..e`.
pub(super) fn apposition_end(toks: &Tokens, s: usize, e: usize, hi: usize) -> usize {
    if e >= hi || toks.w(e) != "," || toks.lower[s].is_ascii() {
        return e;
    }
    let name_pair = |a: usize, b: usize| {
        let words: Vec<usize> = (a..b).filter(|&k| toks.is_word(k)).collect();
        words
            .windows(2)
            .any(|w| w[1] == w[0] + 1 && toks.capital[w[0]] && toks.capital[w[1]])
    };
    let mut end = hi;
    while end > e + 1 && matches!(toks.w(end - 1), "." | "!" | "?" | "…" | ")") {
        end -= 1;
    }
    let rest = e + 1..end;
    let plain = rest.clone().all(|k| {
        toks.cue[k].is_none()
            && !matches!(toks.w(k), "что" | "который" | "которая" | "," | ":" | ";")
    });
    let ends_in_a_name = end >= e + 3
        && toks.capital[end - 1]
        && toks.capital[end - 2]
        && toks.is_word(end - 1)
        && toks.is_word(end - 2);
    if !name_pair(s, e) && plain && rest.len() <= 10 && ends_in_a_name {
        end
    } else {
        e
    }
}

/// Whether most letters of `text` are Cyrillic.
pub(super) fn is_mostly_cyrillic(text: &str) -> bool {
    let (mut cyrillic, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        cyrillic += usize::from(('\u{400}'..='\u{4ff}').contains(&c));
    }
    cyrillic * 2 > letters
}

/// Two Russian words that differ only in a case ending of up to two letters
/// («госсекретарь», «госсекретаря», «госсекретарём»).
pub(super) fn same_russian_stem(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let (la, lb) = (a.chars().count(), b.chars().count());
    common >= 4 && la - common <= 2 && lb - common <= 2
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn russian_person_sources_are_named_in_the_nominative() {
        assert_eq!(
            russian_person_nominative("Дмитрия Пескова"),
            "Дмитрий Песков"
        );
        assert_eq!(
            russian_person_nominative("Владимира Путина"),
            "Владимир Путин"
        );
        assert_eq!(
            russian_person_nominative("Виктора Мироненко"),
            "Виктор Мироненко"
        );
        assert_eq!(
            russian_person_nominative("Марии Захаровой"),
            "Мария Захарова"
        );
        assert_eq!(
            russian_person_nominative("Сергеем Лавровым"),
            "Сергей Лавров"
        );
        assert_eq!(
            russian_person_nominative("Дмитрий Песков"),
            "Дмитрий Песков"
        );
        assert_eq!(russian_person_nominative("Жозеп Боррель"), "Жозеп Боррель");
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
}
