//! People: names, roles before them, and their complements.

use super::*;

/// Longest gazetteer match starting at `i`: (length, kind, canonical).
pub(super) fn gazetteer_at(
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
        let last_cap = slice.last().is_some_and(|w| w.cap);
        if let Some(entry) = lex.gazetteer.get(&join_keys(slice)) {
            if !last_cap && !entry.ends_lower || entry.all_caps && !slice.iter().all(|w| w.all_caps)
            {
                continue;
            }
            return Some((len, entry.kind, entry.canonical.as_str()));
        }
    }
    None
}

/// Longest role starting at `i`, in words.
pub(super) fn role_at(words: &[Word], i: usize, lex: &Lexicon) -> Option<usize> {
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
pub(super) fn complement_before_given_name(words: &[Word], k: usize) -> bool {
    !words[k].is(WordFlags::FIRST_NAME)
        && words
            .get(k + 1)
            .is_some_and(|n| n.is(WordFlags::FIRST_NAME) && adjacent(&words[k], n))
}

/// Whether one of `quotes`, alone, is all that stands between `words[k - 1]` and `words[k]`
/// (`"pastor," Jeremiah` has a comma too: no quotation opens before "Jeremiah").
pub(super) fn quote_between(doc: &Document, words: &[Word], k: usize, quotes: &[char]) -> bool {
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
pub(super) fn after_quoted_complement(
    doc: &Document,
    words: &[Word],
    at: usize,
) -> Option<Option<usize>> {
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

pub(super) fn can_be_name_word(w: &Word) -> bool {
    w.cap
        && !w.is(WordFlags::NOT_NAME)
        && !w.is(WordFlags::ROLE)
        && !w.all_caps
        // «Центра», «Института»: a Russian organisation head is no name; English ones
        // can be ("Court", "Post").
        && (w.key.is_ascii() || !w.is(WordFlags::ORG_HEAD))
}

pub(super) fn in_list(list: &[&str], key: &str) -> bool {
    list.contains(&key)
}

/// A person's name starting at `i`: initials and capitalised words (with
/// particles), at most four words, within one sentence. Returns its length.
pub(super) fn name_at(words: &[Word], i: usize) -> Option<usize> {
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
    // Trailing particles are not part of the name; a capitalised particle alone
    // ("De", "Van") is no name at all (found by the `analyze` fuzz target: the empty
    // name that was left panicked in `person`).
    while j > i && words[j - 1].is(WordFlags::NAME_PARTICLE) {
        j -= 1;
    }
    (name_words > 0 && j > i).then_some(j - i)
}

pub(super) fn text_of(doc: &Document, words: &[Word]) -> String {
    match (words.first(), words.last()) {
        (Some(a), Some(b)) => doc.slice(Span::new(a.span.start, b.span.end)).to_string(),
        _ => String::new(),
    }
}

pub(super) fn person(
    doc: &Document,
    words: &[Word],
    role: Option<String>,
    priority: Priority,
) -> Candidate {
    let last = words.last().expect("a name has a word");
    let full = words.iter().filter(|w| !w.initial).count() >= 2;
    // "C. Stewart Verdery Jr." is Mr. Verdery: a generational suffix is no surname.
    let surname = words
        .iter()
        .rev()
        .find(|w| !matches!(&*w.key, "jr" | "jr." | "sr" | "sr." | "ii" | "iii" | "iv"))
        .unwrap_or(last);
    Candidate {
        span: Span::new(words[0].span.start, last.span.end),
        kind: EntityKind::Person,
        canonical: text_of(doc, words),
        role,
        priority,
        surname_key: full.then(|| surname.key.to_string()),
    }
}

/// «Мика Аалтола заявил», «по словам Генри Киссинджера»: inside a Russian sentence, two
/// capitalised Cyrillic words that no list knows — the first shaped like no adjective (so
/// not «Северной Кореи», «Латинской Америки»), neither a place, an organisation's head, a
/// role or a non-name, and no third capitalised word after them — are a foreign given name
/// and surname written in Cyrillic, which the given-name list cannot hold in full.
pub(super) fn unlisted_russian_name(doc: &Document, words: &[Word], i: usize) -> bool {
    let plain = |w: &Word| {
        can_be_name_word(w)
            && is_cyrillic(&w.key)
            && w.gazetteer.is_none()
            && !w.is(WordFlags::ORG_HEAD)
            && !w.title_case
            && doc.slice(w.span).chars().count() >= 3
    };
    let adjective = |w: &Word| {
        let text = doc.slice(w.span).to_lowercase();
        [
            "ой", "ый", "ий", "ая", "яя", "ое", "ее", "ого", "его", "ому", "ему", "ым", "им", "ых",
            "их", "ую", "юю", "ие", "ые",
        ]
        .iter()
        .any(|e| text.ends_with(e))
    };
    let Some(next) = words.get(i + 1) else {
        return false;
    };
    let first = &words[i];
    let third_capitalised = words
        .get(i + 2)
        .is_some_and(|w| adjacent(next, w) && w.sentence == first.sentence && w.cap);
    let before_capitalised = i > 0 && adjacent(&words[i - 1], first) && words[i - 1].cap;
    // «в комментарии Царьграду Затулин», «с Киевом Зеленский»: a dative or instrumental noun
    // before a surname in the nominative (a consonant ending) is no given name; the surname
    // stands alone, linked to its full name elsewhere.
    let oblique_before_nominative = {
        let first_text = doc.slice(first.span);
        let next_text = doc.slice(next.span);
        ["у", "ю", "ом", "ям"]
            .iter()
            .any(|e| first_text.ends_with(e))
            && next_text
                .chars()
                .last()
                .is_some_and(|c| "бвгджзклмнпрстфхцчшщ".contains(c))
    };
    !first.sentence_initial
        && adjacent(first, next)
        && next.sentence == first.sentence
        && !first.punct_after
        && plain(first)
        && plain(next)
        && !adjective(first)
        && !third_capitalised
        && !before_capitalised
        && !oblique_before_nominative
        && !first.is(WordFlags::FIRST_NAME)
}
