//! The speaker's noun phrase beside a reporting verb: walking left from the verb
//! ("Mr. Clarke said"), right from it ("…,” said Mayor Ana Ruiz"), over an apposition
//! ("Steve Moody, a small-business owner, said") or a parenthetical ("Officials, who asked
//! not to be named, said"), from the parse for a verb that shares another's subject ("…
//! and said", "…, saying"), and what cannot be one ("this", "it", "which").

use crate::document::TokenKind;

use super::lexicon::{is_aux, is_object_pronoun};
use super::rules::{is_determiner, opens_clause, Tokens};

/// Words that end a subject noun phrase when walking left from the verb.
pub(super) fn stops_noun_phrase(w: &str) -> bool {
    matches!(
        w,
        "that"
            | "which"
            | "who"
            | "whom"
            | "while"
            | "as"
            | "because"
            | "but"
            | "when"
            | "if"
            | "although"
            | "though"
            | "so"
            | "after"
            | "before"
            | "where"
            | "whereas"
            | "and"
            | "or"
            | "said"
            | "says"
            | "than"
            | "what"
            | "why"
            | "how"
            | "whether"
            | "и"
            | "а"
            | "но"
            | "что"
            | "который"
            | "которая"
            | "которые"
            | "когда"
            | "как"
            | "хотя"
            | "если"
            | "чтобы"
            | "поскольку"
            | "то"
            | "ли"
            | "или"
    )
}

pub(super) const MAX_NP: usize = 9;

/// The subject noun phrase ending just before `end` (exclusive), walking left.
/// Returns its token range.
pub(super) fn subject_left(toks: &Tokens, lo: usize, end: usize) -> Option<(usize, usize)> {
    // A pronoun right before the verb is the whole subject ("При этом он признал").
    if end > lo
        && super::lexicon::is_speaker_pronoun(toks.w(end - 1))
        && !matches!(toks.w(end - 1), "его" | "её" | "ее")
    {
        return Some((end - 1, end));
    }
    let mut s = end;
    while s > lo {
        let k = s - 1;
        let w = toks.w(k);
        let ok = if toks.is_word(k) {
            !stops_noun_phrase(w) && !is_aux(w)
                || (end - s > 0
                    && matches!(w, "and" | "и")
                    && toks.capital.get(k + 1) == Some(&true))
        } else {
            // Abbreviation dots, hyphens and possessive marks stay inside names.
            matches!(w, "." | "-" | "'" | "’") && k > lo && toks.is_word(k - 1)
        };
        if !ok || end - k > MAX_NP || toks.quote[k].is_some() {
            break;
        }
        s = k;
    }
    (s < end).then_some((s, end))
}

/// The source noun phrase starting at `start`, walking right to the sentence end or a comma.
pub(super) fn subject_right(toks: &Tokens, mut start: usize, hi: usize) -> Option<(usize, usize)> {
    // A passive's agent: "…, reported by the newspaper Die Tagespost".
    if start + 1 < hi && toks.w(start) == "by" {
        start += 1;
    }
    // "…, said that the dam held", "…, said in a statement" and "…, said of the course":
    // what follows the verb is a clause, an adverbial or the topic, not the speaker.
    if start < hi
        && (opens_clause(toks.w(start))
            || super::source::is_preposition(toks.w(start))
            || toks.w(start) == "of")
    {
        return None;
    }
    // "…, asked them for ID": an object pronoun is the addressee, never the speaker.
    if start < hi && is_object_pronoun(toks.doc.slice(toks.doc.tokens[start].span())) {
        return None;
    }
    let mut e = start;
    while e < hi {
        let w = toks.w(e);
        let ok = if toks.is_word(e) {
            !matches!(
                w,
                "that" | "что" | "in" | "on" | "at" | "during" | "after" | "when" | "who"
            ) || e == start
        } else {
            matches!(w, "." | "-" | "'" | "’") && e + 1 < hi && toks.is_word(e + 1)
        };
        if !ok || e - start >= MAX_NP || toks.quote[e].is_some() {
            break;
        }
        e += 1;
    }
    (e > start).then_some((start, e))
}

/// The subject "Name, apposition," ending at the comma before token `a` (the verb):
/// a noun phrase, a comma, a noun phrase.
pub(super) fn named_with_apposition_left(
    toks: &Tokens,
    lo: usize,
    a: usize,
) -> Option<(usize, usize)> {
    if a < lo + 4 || toks.w(a - 1) != "," {
        return None;
    }
    let (apposition, _) = subject_left(toks, lo, a - 1)?;
    if apposition < lo + 2 || toks.w(apposition - 1) != "," {
        return None;
    }
    // The apposition opens as a noun phrase does ("a small-business owner", "the city
    // manager", "Republican of New York", "Kate's father"), not as a verb phrase ("“…”
    // Catholic, echoed this concern, saying"), and the name is one.
    let opens_noun_phrase = toks.capital[apposition]
        || is_determiner(toks.w(apposition))
        || toks.doc.tokens[apposition].kind == TokenKind::Number;
    let (name, _) = subject_left(toks, lo, apposition - 1)?;
    (opens_noun_phrase && is_capitalised_name(toks, name, apposition - 1)).then_some((name, a - 1))
}

/// Whether tokens `lo..hi` are a name: capitalised words (with a name's dots, hyphens and
/// apostrophes), none a date or an adverb ("Late Thursday", "Last July", "Distressingly").
pub(super) fn is_capitalised_name(toks: &Tokens, lo: usize, hi: usize) -> bool {
    use super::lexicon::{is_month, is_weekday};
    let first = toks.w(lo);
    !(first.ends_with("ly") || first.ends_with("ing") || super::source::is_sentence_adverb(first))
        && (lo..hi).all(|k| {
            let w = toks.w(k);
            if toks.is_word(k) {
                toks.capital[k] && !is_month(w) && !is_weekday(w) && !matches!(w, "last" | "late")
            } else {
                matches!(w, "." | "-" | "'" | "’")
            }
        })
}

/// Whether a subject starting at token `s` opens the clause of sentence `lo..`: at its
/// start, after a clause boundary, or after a sentence adverb that opens it («Ранее журнал
/// Forbes сообщил», "Earlier, officials said"). (A pronoun may follow an adverbial: the
/// caller lets one-word subjects through.)
pub(super) fn opens_clause_at(toks: &Tokens, lo: usize, s: usize) -> bool {
    let after_opening_adverb = s > lo
        && super::source::is_sentence_adverb(toks.w(s - 1))
        && (s - 1 == lo || toks.w(s - 2) == ",");
    s == lo
        || after_opening_adverb
        || matches!(
            toks.w(s - 1),
            "," | "—"
                | "–"
                | "-"
                | ";"
                | ":"
                | "and"
                | "but"
                | "и"
                | "а"
                | "но"
                | "while"
                | "as"
                | "however"
                | "although"
                | "though"
                | "because"
                | "хотя"
                | "поскольку"
                | "ведь"
        )
}

/// A US politician's party and state: "R-Fla.", "D-N.Y.", "I-Vt".
pub(super) fn is_party_tag(text: &str) -> bool {
    let mut parts = text.splitn(2, '-');
    let (Some(party), Some(state)) = (parts.next(), parts.next()) else {
        return false;
    };
    matches!(party, "R" | "D" | "I")
        && (2..=6).contains(&state.chars().count())
        && state.starts_with(|c: char| c.is_ascii_uppercase())
        && state.chars().all(|c| c.is_ascii_alphabetic() || c == '.')
}

/// The token range of the subject of the verb that token `v` (a verb after "and") is
/// joined to, in the parse of the sentence `lo..hi`; none for a passive subject.
pub(super) fn conjoined_subject(
    toks: &Tokens,
    lo: usize,
    hi: usize,
    v: usize,
) -> Option<(usize, usize)> {
    use crate::syntax::{self, Deprel};
    let doc = toks.doc;
    let words = syntax::analyze_window(doc, toks.span(lo, hi), 0);
    let mut at = words
        .iter()
        .position(|w| w.span.start == doc.tokens[v].start)?;
    for _ in 0..4 {
        if words[at].deprel != Deprel::Conj {
            return None;
        }
        at = words[at].head?;
        // "… noted that “Iran [was] playing with fire” and added …": a verb inside a
        // quotation the reporting verb is outside of is a parse error, not its conjunct.
        let head_token = doc.token_range(words[at].span).start;
        if toks.quote.get(head_token).copied().flatten() != toks.quote[v] {
            return None;
        }
        let subject = words
            .iter()
            .position(|w| w.head == Some(at) && w.deprel == Deprel::Nsubj);
        if let Some(k) = subject {
            if words[k].relation != "nsubj" {
                return None;
            }
            let range = doc.token_range(syntax::subtree_span(&words, k));
            return (range.start < range.end && range.end <= v).then_some((range.start, range.end));
        }
    }
    None
}

/// Subjects that are not speakers: "This demonstration", "it", relative pronouns.
pub(super) fn subject_is_implausible(toks: &Tokens, s: usize, e: usize) -> bool {
    let first = toks.w(s);
    let last = toks.w(e - 1);
    matches!(
        first,
        "this" | "these" | "that" | "it" | "there" | "это" | "этот" | "эта" | "оно"
    ) || matches!(last, "it" | "which" | "who" | "что" | "это")
        || (e - s == 1 && !toks.is_word(s))
}

/// "Kasich bemoaned America's reputation around the world, saying that …": the token range
/// of the subject of the clause the participle at `v` hangs on, in the parse of sentence
/// `lo..hi`; none when the parse puts that clause after the participle or gives it no
/// subject, or the subject is quoted.
pub(super) fn participle_subject(
    toks: &Tokens,
    lo: usize,
    hi: usize,
    v: usize,
) -> Option<(usize, usize)> {
    let doc = toks.doc;
    // Only the words up to the participle: the clause it hangs on is before it (the same
    // subjects on PTC train as the whole sentence's parse, at about half the cost).
    let words = crate::syntax::analyze_window(doc, toks.span(lo, (v + 1).min(hi)), 0);
    let verb_start = doc.tokens[v].start;
    let participle = words.iter().position(|w| w.span.start == verb_start)?;
    let head = words[participle].head.filter(|&h| h < participle)?;
    let subject = (0..head).find(|&k| {
        words[k].head == Some(head) && words[k].deprel == crate::syntax::Deprel::Nsubj
    })?;
    let range = doc.token_range(crate::syntax::subtree_span(&words, subject));
    // The parser often leaves a name out of its title's subtree ("The Byzantine scholar
    // [Bessarion]", "A senior member of the corps, [Archbishop Miguel Maury]"): the
    // capitalised words right after the subject, or between commas after it, are its own.
    let capitalised_run = |from: usize| (from..v).take_while(|&k| toks.capital[k]).count();
    let mut end = range.end;
    end += capitalised_run(end);
    if end + 1 < v && toks.w(end) == "," {
        let run = capitalised_run(end + 1);
        if run > 0 && toks.w(end + 1 + run) == "," {
            end += 1 + run;
        }
    }
    // Parse errors seen on PTC: "[issued] …, saying", "Schaaf [only] saying", "[forcing the
    // commission to issue a statement] saying".
    let first = toks.w(range.start);
    let lone_lower_word = end - range.start == 1
        && !toks.capital[range.start]
        && !super::lexicon::is_speaker_pronoun(first);
    (range.start >= lo
        && end <= v
        && !lone_lower_word
        && !first.ends_with("ing")
        && (range.start..end).all(|k| toks.quote[k].is_none()))
    .then_some((range.start, end))
}
