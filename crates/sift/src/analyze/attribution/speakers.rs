//! The people an article speaks of, in reading order, for resolving later
//! pronouns, surnames and titles to a speaker.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::document::{Document, Span, TokenKind};
use crate::report::{EntityKind, Report};

use super::agreement::name_gender;
use super::lexicon;
use super::rules::Tokens;
use super::source::{is_org_word, is_title_word};

/// A speaker introduced in the article, for resolving later pronouns and surnames.
/// Names and roles borrow from the entity layer where they come from it: a
/// mention is touched once per attribution after it, so it is cloned often.
#[derive(Debug, Clone)]
pub(super) struct Known<'r> {
    pub(super) name: Cow<'r, str>,
    pub(super) role: Option<Cow<'r, str>>,
    pub(super) female: Option<bool>,
    pub(super) person: bool,
    pub(super) entity: Option<usize>,
    /// Where the person was last mentioned or spoke (char offset).
    pub(super) pos: usize,
}

/// The entity layer's output, indexed once per document for the lookups below
/// (each was a scan of every entity, once or twice per attribution).
pub(super) struct Entities<'r> {
    report: &'r Report,
    /// First entity index per canonical name.
    first_named: std::collections::HashMap<&'r str, usize, lexicon::WordHasher>,
    /// Whether entities are sorted by start, and the longest one, for windowed scans.
    sorted: bool,
    longest: usize,
    /// Person entities as (end, highest index of a person entity ending there or
    /// before), ordered by end: the last person before a point in one search.
    persons_by_end: Vec<(usize, usize)>,
    /// Last words of the person entities named with two words or more: "Buchanan said"
    /// after "Pat Buchanan" is a person even where the entity layer did not link it.
    surnames: std::collections::HashSet<&'r str, lexicon::WordHasher>,
}

impl<'r> Entities<'r> {
    pub(super) fn new(report: &'r Report) -> Entities<'r> {
        let mut first_named = std::collections::HashMap::with_capacity_and_hasher(
            report.entities.len(),
            Default::default(),
        );
        for (i, e) in report.entities.iter().enumerate() {
            first_named.entry(e.canonical.as_str()).or_insert(i);
        }
        let mut persons_by_end: Vec<(usize, usize)> = report
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EntityKind::Person)
            .map(|(i, e)| (e.end, i))
            .collect();
        persons_by_end.sort_unstable();
        let mut highest = 0;
        for entry in &mut persons_by_end {
            highest = highest.max(entry.1);
            entry.1 = highest;
        }
        let surnames = report
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Person)
            .filter_map(|e| {
                let mut words = e.canonical.split_whitespace();
                let last = words.next_back()?;
                words.next().is_some().then_some(last)
            })
            .collect();
        Entities {
            report,
            first_named,
            persons_by_end,
            surnames,
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
    pub(super) fn at(&self, span: Span) -> Option<usize> {
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

    /// The last person entity (highest index) that ends at or before `pos`.
    pub(super) fn last_person_ending_by(&self, pos: usize) -> Option<usize> {
        let n = self.persons_by_end.partition_point(|&(end, _)| end <= pos);
        n.checked_sub(1).map(|k| self.persons_by_end[k].1)
    }

    /// The first entity whose canonical name is `name`.
    pub(super) fn named(&self, name: &str) -> Option<usize> {
        self.first_named.get(name).copied()
    }

    /// Whether `word` ends the name of a person entity of two words or more.
    pub(super) fn is_surname(&self, word: &str) -> bool {
        self.surnames.contains(word)
    }
}

/// The source span often carries a fuller title than the entity layer's
/// lexicon knows ("Government spokeswoman Helen Carter" → "Government
/// spokeswoman", not just "spokeswoman"): keep the words before the name when
/// they end in the known role.
pub(super) fn widened_role(source: &str, name: &str, role: &str) -> String {
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
pub(super) fn surname_matches(known: &str, mention: &str) -> bool {
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
pub(super) struct Mention<'r> {
    pub(super) pos: usize,
    pub(super) known: Known<'r>,
}

/// Lowercased last word of a name, for [`surname_matches`].
pub(super) fn surname_of(name: &str) -> String {
    // "C. Stewart Verdery Jr." is Verdery.
    name.split_whitespace()
        .rev()
        .find(|w| {
            !matches!(
                w.trim_end_matches([',', '.']).to_lowercase().as_str(),
                "jr" | "sr" | "ii" | "iii" | "iv"
            )
        })
        .unwrap_or("")
        .to_lowercase()
}

/// People named in the article: from the entity layer when it has run, else
/// from capitalised runs that carry a title or a recognisable first name.
pub(super) fn person_mentions<'r>(
    doc: &Document,
    toks: &Tokens,
    report: &'r Report,
    written_lowercase: &HashSet<&str>,
) -> Vec<Mention<'r>> {
    let persons: Vec<(usize, &crate::report::Entity)> = report
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityKind::Person)
        .collect();
    if !persons.is_empty() {
        let mut out: Vec<Mention<'r>> = persons
            .iter()
            .filter(|(_, e)| e.canonical.split_whitespace().count() >= 2)
            .map(|&(i, e)| Mention {
                pos: e.start,
                known: Known {
                    name: Cow::Borrowed(&e.canonical),
                    role: e.role.as_deref().map(Cow::Borrowed),
                    female: name_gender(&e.canonical),
                    person: true,
                    entity: Some(i),
                    pos: e.start,
                },
            })
            .collect();
        out.extend(lone_given_names(
            doc,
            toks,
            report,
            &persons,
            written_lowercase,
        ));
        out.sort_by_key(|m| m.pos);
        return out;
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
                    is_title_word(&toks.lower[k])
                        || lexicon::honorifics().contains(&&*toks.lower[k])
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
                                .filter(|&&k| !lexicon::honorifics().contains(&&*toks.lower[k]))
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
                            pos: doc.tokens[i].start,
                        },
                    });
                }
            }
            i = j;
        }
    }
    out
}

/// People named by a lone given name of known gender that the entity layer left out
/// ("Melanie thought the whole thing was outrageous"), for the pronouns that follow. A given
/// name that is a word of a person entity's name ("Hillary" for Hillary Clinton, "Warren"
/// for Elizabeth Warren), that the text also writes in lower case ("Bill", "Rob") or that
/// follows a preposition ("in Charlotte") is left out: that person, a common word, a place.
/// English only: Russian given names inflect, and Russian texts name people in full.
fn lone_given_names<'r>(
    doc: &Document,
    toks: &Tokens,
    report: &Report,
    persons: &[(usize, &crate::report::Entity)],
    lowercase: &HashSet<&str>,
) -> Vec<Mention<'r>> {
    let word = |i: usize| doc.tokens[i].kind == TokenKind::Word;
    let capitalised_word = |i: usize| word(i) && toks.capital[i];
    let mut candidates = Vec::new();
    for i in 0..doc.tokens.len() {
        if !capitalised_word(i) {
            continue;
        }
        let alone = (i == 0 || !capitalised_word(i - 1))
            && (i + 1 >= doc.tokens.len() || !capitalised_word(i + 1));
        // "in Charlotte", "from Florence": a place.
        let after_preposition = i > 0
            && matches!(
                &*toks.lower[i - 1],
                "in" | "at" | "from" | "to" | "of" | "near" | "into" | "outside" | "around"
            );
        // "Ferguson and Charlotte": one of a list of capitalised words, likely places.
        let listed =
            i > 1 && matches!(&*toks.lower[i - 1], "and" | "or") && capitalised_word(i - 2);
        // "I love Larry," he said; "I would, Donald": inside a quotation, a name before a
        // punctuation mark is talked about or to. One before a word may be a subject.
        let quoted = toks.quote[i].is_some()
            && !(i + 1 < doc.tokens.len() && word(i + 1) && !toks.capital[i + 1]);
        let name = doc.slice(doc.tokens[i].span());
        if alone
            && !after_preposition
            && !listed
            && !quoted
            && name.is_ascii()
            && lexicon::is_given_name(name)
        {
            candidates.push(i);
        }
    }
    // "Hillary" is Hillary Clinton's given name; "Warren", "Graham" are surnames.
    let words_of_persons: HashSet<&str> = persons
        .iter()
        .flat_map(|(_, e)| e.canonical.split_whitespace())
        .collect();
    let in_entity = |at: usize| {
        let k = report.entities.partition_point(|e| e.start <= at);
        report.entities[k.saturating_sub(4)..k]
            .iter()
            .any(|e| e.start <= at && at < e.end)
    };
    candidates
        .into_iter()
        .filter_map(|i| {
            let name = doc.slice(doc.tokens[i].span());
            let female = name_gender(name)?;
            let keep = !words_of_persons.contains(name)
                && !lowercase.contains(&*toks.lower[i])
                && !in_entity(doc.tokens[i].start);
            keep.then(|| Mention {
                pos: doc.tokens[i].start,
                known: Known {
                    name: Cow::Owned(name.to_string()),
                    role: None,
                    female: Some(female),
                    person: true,
                    entity: None,
                    pos: doc.tokens[i].start,
                },
            })
        })
        .collect()
}

/// The words the text writes in lower case somewhere: common words, so no given name where
/// they are capitalised ("Bill", "Accuses"). Built once per document for [`person_mentions`]
/// and the written full names.
pub(super) fn words_written_lowercase<'t>(doc: &Document, toks: &'t Tokens) -> HashSet<&'t str> {
    (0..doc.tokens.len())
        .filter(|&i| doc.tokens[i].kind == TokenKind::Word && !toks.capital[i])
        .map(|i| &*toks.lower[i])
        .collect()
}

/// How many people [`touch`] remembers: the most recently mentioned. Every lookup
/// of a pronoun, surname or title scans them, once per attribution and mention, so
/// the list is bounded to keep attribution linear; a news article names far fewer.
pub(super) const MAX_KNOWN: usize = 256;

/// Record that `k` was just mentioned: it becomes the most recent (the least recent
/// is forgotten past [`MAX_KNOWN`]).
pub(super) fn touch<'r>(known: &mut Vec<Known<'r>>, k: Known<'r>) {
    if known.len() >= MAX_KNOWN && !known.iter().any(|x| x.name == k.name) {
        known.remove(0);
    }
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
            old.pos = k.pos;
            known.push(old);
        }
        None => known.push(k),
    }
}

#[cfg(test)]
mod touch_tests {
    use super::*;

    fn person(name: String) -> Known<'static> {
        Known {
            name: Cow::Owned(name),
            role: None,
            female: None,
            person: true,
            entity: None,
            pos: 0,
        }
    }

    #[test]
    fn the_most_recent_people_are_kept_up_to_the_bound() {
        let mut known = Vec::new();
        for i in 0..MAX_KNOWN + 10 {
            touch(&mut known, person(format!("Person {i}")));
        }
        assert_eq!(known.len(), MAX_KNOWN);
        assert_eq!(known[0].name, "Person 10");
        // Mentioning someone already known moves them last and forgets no one.
        touch(&mut known, person("Person 10".into()));
        assert_eq!(known.len(), MAX_KNOWN);
        assert_eq!(known.last().unwrap().name, "Person 10");
        assert_eq!(known[0].name, "Person 11");
    }
}
