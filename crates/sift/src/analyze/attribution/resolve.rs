//! From candidates to attributions: each source typed and resolved to a speaker.

use std::borrow::Cow;

use crate::document::{Document, Span};
use crate::report::{Attribution, AttributionKind, EntityKind, Report, SourceType, TextSpan};

use super::agreement::{name_gender, verb_gender};
use super::lexicon::is_plural_pronoun;
use super::rules::{Candidate, Tokens};
use super::russian::{is_russian_non_source, russian_lone_surname, russian_org_nominative};
use super::source::parse_source;
use super::speakers::{
    person_mentions, surname_matches, surname_of, touch, widened_role, Entities, Known,
};

/// Type and resolve each candidate, in reading order.
pub(super) fn resolve(
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
