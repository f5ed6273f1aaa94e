//! Gender agreement: from given names, Russian surname endings and Russian
//! past-tense verb endings.

use std::borrow::Cow;

/// Given names that mark a woman (lower-case).
fn female_names() -> &'static [&'static str] {
    word_list!(include_str!("../../../lexicon/names-female.txt"))
}

/// Given names that mark a man (lower-case).
fn male_names() -> &'static [&'static str] {
    word_list!(include_str!("../../../lexicon/names-male.txt"))
}

/// The gender the given-name lists give the first word of `name` (as written, in the
/// nominative); None for an unlisted or inflected name. Unlike [`name_gender`], no guess
/// from endings, which reads «Михаила» or "Mika" as a woman's.
pub(super) fn listed_gender(name: &str) -> Option<bool> {
    let first = lowercase(name.split_whitespace().next()?);
    if word_set!(female_names()).contains(&*first) {
        Some(true)
    } else if word_set!(male_names()).contains(&*first) {
        Some(false)
    } else {
        None
    }
}

/// Guess gender from a (Russian or English) full name; None when unsure.
pub(super) fn name_gender(name: &str) -> Option<bool> {
    let mut words = name.split_whitespace();
    let first = lowercase(words.next()?);
    let count = 1 + words.clone().count();
    if word_set!(female_names()).contains(&*first) {
        return Some(true);
    }
    if word_set!(male_names()).contains(&*first) {
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
    // A listed Russian given name ending in a consonant, «й» or «ь» (Пётр, Сэм, Валдис) is a
    // man's; the women's that end so (Карин, Кэтрин) are in the women's list above.
    if count >= 2 && !first.is_ascii() {
        // The list holds names as written, so look the word up before lower-casing.
        let written = name.split_whitespace().next().unwrap_or("");
        let consonant = first
            .chars()
            .last()
            .is_some_and(|c| "бвгджзклмнпрстфхцчшщйь".contains(c));
        if consonant && super::lexicon::is_given_name(written) {
            return Some(false);
        }
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
pub(super) fn lowercase(w: &str) -> Cow<'_, str> {
    if !w.is_ascii() {
        Cow::Owned(w.to_lowercase())
    } else if w.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(w.to_ascii_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

/// Russian past-tense verbs carry gender: заявила (f), заявил (m).
pub(super) fn verb_gender(lower: &str) -> Option<bool> {
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
