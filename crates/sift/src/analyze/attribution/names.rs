//! Full names and acronyms written in the text, for linking a lone surname ("Caddell") or an
//! acronym ("AROS") to the name the entity layer did not give it.

use std::collections::{HashMap, HashSet};

use crate::document::{Document, Span, TokenKind};

use super::lexicon;
use super::resolve::is_written_as_a_name;
use super::rules::Tokens;
use super::source::{is_org_word, is_title_word};

/// Every "Given Surname" pair written in the text, by surname: (where, full name, weak), in
/// reading order. A lone surname whose bearer the entity layer missed ("Caddell" after
/// "Pat Caddell", "DuVernay" after "Ava DuVernay") links to the latest of them. A pair that
/// opens its sentence with an unknown given name ("Amelize Joseph loves …") is weak: it
/// names a lone surname only when no person of that surname is known. Also every acronym
/// defined in brackets ("Alliance to Reclaim Our Schools (AROS)"). Built once per document,
/// so each lookup is a binary search or a hash, not a scan of the text.
pub(super) struct FullNames {
    by_surname: HashMap<String, Vec<(usize, String, bool)>>,
    acronyms: HashMap<String, String>,
}

impl FullNames {
    /// `written_lowercase`: see [`super::speakers::words_written_lowercase`].
    pub(super) fn new(
        doc: &Document,
        toks: &Tokens,
        written_lowercase: &HashSet<&str>,
    ) -> FullNames {
        let mut by_surname: HashMap<String, Vec<(usize, String, bool)>> = HashMap::new();
        let sentence_starts: HashSet<usize> = doc.sentences.iter().map(|s| s.start).collect();
        for i in 1..doc.tokens.len() {
            let (given, surname) = (&doc.tokens[i - 1], &doc.tokens[i]);
            if given.kind != TokenKind::Word
                || surname.kind != TokenKind::Word
                || surname.start != given.end + 1
                || !toks.capital[i - 1]
                || !toks.capital[i]
            {
                continue;
            }
            let (g, n) = (doc.slice(given.span()), doc.slice(surname.span()));
            let lower = &*toks.lower[i - 1];
            let opens_sentence = sentence_starts.contains(&given.start);
            // A pair that opens its sentence, is no longer name and whose first word is never
            // written in lower case: a weak guess at an unlisted given name.
            // Not in the headline ("Viganò Accuses Pope"), and not a verb or a plural
            // ("Accuses", "Proponents").
            let in_headline = doc
                .paragraphs
                .first()
                .is_some_and(|p| p.start <= given.start && given.start < p.end);
            let weak = opens_sentence
                && !in_headline
                && !lexicon::is_given_name(g)
                && !g.ends_with('s')
                && !g.ends_with("’s")
                && !written_lowercase.contains(lower)
                && !(i + 1 < doc.tokens.len()
                    && doc.tokens[i + 1].kind == TokenKind::Word
                    && toks.capital[i + 1]);
            // "President Obama", "Mr. Obama", "The Times" are no given names; a word that
            // opens its sentence counts only when it is a known given name, or weakly.
            let plausible = (lexicon::is_given_name(g)
                || is_written_as_a_name(g) && (!opens_sentence || weak))
                && !is_title_word(lower)
                && !lexicon::honorifics().contains(&lower)
                && !lexicon::is_not_a_name(lower)
                && !is_org_word(&toks.lower[i])
                && is_written_as_a_name(n);
            if plausible {
                by_surname.entry(n.to_string()).or_default().push((
                    given.start,
                    format!("{g} {n}"),
                    weak,
                ));
            }
        }
        FullNames {
            by_surname,
            acronyms: defined_acronyms(doc, toks),
        }
    }

    /// The latest "Given `surname`" before `pos`, and whether it is weak.
    pub(super) fn before(&self, surname: &str, pos: usize) -> Option<&(usize, String, bool)> {
        let all = self.by_surname.get(surname)?;
        let k = all.partition_point(|(at, _, _)| *at < pos);
        k.checked_sub(1).map(|k| &all[k])
    }

    /// What an acronym defined in the text stands for.
    pub(super) fn acronym(&self, name: &str) -> Option<&str> {
        self.acronyms.get(name).map(String::as_str)
    }
}

/// Acronyms defined in brackets after the name they shorten, whose capitalised words'
/// initials spell them: "Alliance to Reclaim Our Schools (AROS)", "Foreign Policy (FP)".
fn defined_acronyms(doc: &Document, toks: &Tokens) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for i in 1..doc.tokens.len().saturating_sub(2) {
        if toks.lower[i] != "(" || toks.lower[i + 2] != ")" {
            continue;
        }
        let acronym = doc.slice(doc.tokens[i + 1].span());
        let letters = acronym.chars().count();
        if !(2..=8).contains(&letters) || !acronym.chars().all(char::is_uppercase) {
            continue;
        }
        // The capitalised words before the bracket, over lower-case connectors.
        let mut start = i;
        let mut capitals = 0;
        while start > 0 && capitals < letters {
            let k = start - 1;
            let word = doc.tokens[k].kind == TokenKind::Word;
            if word && toks.capital[k] {
                capitals += 1;
            } else if !(word && matches!(&*toks.lower[k], "of" | "for" | "on" | "to" | "and")) {
                break;
            }
            start = k;
        }
        let initials: String = (start..i)
            .filter(|&k| toks.capital[k])
            .filter_map(|k| doc.slice(doc.tokens[k].span()).chars().next())
            .collect();
        if initials == acronym {
            let full = doc.slice(Span::new(doc.tokens[start].start, doc.tokens[i - 1].end));
            out.entry(acronym.to_string())
                .or_insert_with(|| full.to_string());
        }
    }
    out
}
