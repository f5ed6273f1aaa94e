//! From candidates to attributions: each source typed and resolved to a speaker.
//!
//! Every attribution records how its speaker was found ([`SpeakerVia`]) and a
//! confidence: a fixed prior per path (a name in the source phrase is surer than a
//! pronoun resolved to the last person of its gender), lowered where the path had to
//! guess (no agreeing person, a pronoun with no earlier person at all).

use std::borrow::Cow;
use std::collections::HashSet;

use crate::document::{Document, Span};
use crate::report::{
    Attribution, AttributionKind, EntityKind, Report, SourceType, SpeakerVia, TextSpan,
};

use super::agreement::{listed_gender, name_gender, verb_gender};
use super::apposition::with_apposition;
use super::labels::{in_own_words, is_signature, is_speaker_label};
use super::lexicon::{self, is_plural_pronoun, CueClass};
use super::names::FullNames;
use super::rules::{Candidate, Tokens};
use super::russian::{is_mostly_cyrillic, same_russian_stem};
use super::russian::{
    is_russian_non_source, nominative_by_syntax, russian_lone_surname, russian_org_nominative,
    russian_person_nominative,
};
use super::source::{
    is_document_word, is_org_word, parse_source, relative_antecedent, trimmed_source, SourceParse,
};
use super::speakers::{
    person_mentions, surname_matches, surname_of, touch, widened_role, words_written_lowercase,
    Entities, Known,
};

/// Who a source phrase turned out to be.
struct Resolved {
    speaker: Option<String>,
    role: Option<String>,
    entity: Option<usize>,
    source_type: SourceType,
    via: Option<SpeakerVia>,
    confidence: f64,
}

impl Resolved {
    /// A source with no speaker to name: anonymous, vague or the author.
    fn unnamed(source_type: SourceType, role: Option<String>, confidence: f64) -> Resolved {
        Resolved {
            speaker: None,
            role,
            entity: None,
            source_type,
            via: None,
            confidence,
        }
    }

    /// A speaker found earlier in the article.
    fn known(k: &Known<'_>, role: Option<String>, via: SpeakerVia, confidence: f64) -> Resolved {
        Resolved {
            speaker: Some(k.name.to_string()),
            role: role.or(k.role.as_deref().map(String::from)),
            entity: k.entity,
            source_type: SourceType::NamedPerson,
            via: Some(via),
            confidence,
        }
    }
}

/// What resolution reads besides the source phrase.
struct Context<'a, 'r> {
    doc: &'a Document,
    report: &'r Report,
    entities: &'a Entities<'r>,
    known: &'a [Known<'r>],
    /// The person who spoke in the previous attribution, and what they said.
    previous: Option<&'a (Known<'r>, Span)>,
    verb_female: Option<bool>,
    full_names: &'a FullNames,
    /// The author, when the byline or an opinion headline names one (see [`author_of`]).
    author: Option<&'a str>,
    /// Where the attribution starts (its source or cue).
    at: usize,
}

/// Type and resolve each candidate, in reading order; one attribution per
/// (source, cue, content).
pub(super) fn resolve(
    doc: &Document,
    toks: &Tokens,
    report: &Report,
    cands: &[Candidate],
) -> Vec<Attribution> {
    let mut known: Vec<Known<'_>> = Vec::new();
    let written_lowercase = words_written_lowercase(doc, toks);
    let mentions = person_mentions(doc, toks, report, &written_lowercase);
    let entities = Entities::new(report);
    let mut next_mention = 0;
    let mut out: Vec<Attribution> = Vec::with_capacity(cands.len());
    let mut previous: Option<(Known<'_>, Span)> = None;
    // (content, cue, speaker) of each attribution kept: one attribution per triple.
    let mut seen: HashSet<(Span, String, Option<String>)> = HashSet::with_capacity(cands.len());
    let full_names = FullNames::new(doc, toks, &written_lowercase);
    let author = author_of(doc);
    for c in cands {
        let at = c.source.map_or(c.cue.start, |s| s.start.min(c.cue.start));
        while next_mention < mentions.len() && mentions[next_mention].pos < at {
            touch(&mut known, mentions[next_mention].known.clone());
            next_mention += 1;
        }
        let source = match c.source.map(|s| trimmed_source(doc, toks, s)) {
            Some(None) => continue,
            Some(Some(s)) => Some(s),
            None => None,
        };
        if source.is_some_and(|src| is_russian_non_source(doc.slice(src))) {
            continue;
        }
        let cx = Context {
            doc,
            report,
            entities: &entities,
            known: &known,
            previous: previous.as_ref(),
            verb_female: c.verb.and_then(|v| verb_gender(&toks.lower[v])),
            full_names: &full_names,
            author: author.as_deref(),
            at,
        };
        // "who said": the antecedent's speaker, the pronoun kept as the source. A relative
        // clause is an aside: the speaker a later "she" continues stays the one before.
        let antecedent = source.and_then(|src| relative_antecedent(doc, toks, src));
        let mut r = match source {
            None => Resolved::unnamed(SourceType::Anonymous, None, 0.5),
            Some(src) => {
                let named = antecedent.unwrap_or(src);
                resolve_source(&cx, &parse_source(doc, toks, named), named)
            }
        };
        if is_speaker_label(doc, c) && r.source_type == SourceType::NamedOrg {
            r = label_speaker(&cx, r);
        }
        let verb_female = cx.verb_female;
        let a = attribution(doc, toks, report, &entities, c, source, r);
        if let (Some(name), SourceType::NamedPerson | SourceType::NamedOrg) =
            (&a.speaker, a.source_type)
        {
            let speaker = Known {
                name: Cow::Owned(name.clone()),
                role: a.role.clone().map(Cow::Owned),
                female: name_gender(name).or(verb_female),
                person: a.source_type == SourceType::NamedPerson,
                entity: a.speaker_entity,
                pos: a.cue.start,
            };
            // A signature ("“…” ― Sonya Herridge") closes its quotation: the next one is
            // somebody else's, and its "he" is not the signer.
            if antecedent.is_none() && !is_signature(c) {
                previous = speaker.person.then(|| (speaker.clone(), a.content));
            }
            touch(&mut known, speaker);
        }
        let key = (a.content, a.cue.text.clone(), a.speaker.clone());
        if seen.insert(key) {
            out.push(a);
        }
    }
    out
}

/// A transcript's label written in capitals ("DB:", "WALLACE:") names a person who speaks,
/// not an organisation, unless the entity layer knows it as one or the text defines it as
/// an acronym ("AROS").
fn label_speaker(cx: &Context<'_, '_>, r: Resolved) -> Resolved {
    let Some(name) = r.speaker.as_deref() else {
        return r;
    };
    let capitals = !name.contains(' ')
        && name.chars().count() >= 2
        && name.chars().all(|c| c.is_uppercase() || c == '.');
    let org = r
        .entity
        .is_some_and(|i| cx.report.entities[i].kind == EntityKind::Org)
        || cx.full_names.acronym(name).is_some();
    if capitals && !org {
        Resolved {
            source_type: SourceType::NamedPerson,
            ..r
        }
    } else {
        r
    }
}

/// The attribution of candidate `c`, its entity and role completed from the entity layer.
fn attribution(
    doc: &Document,
    toks: &Tokens,
    report: &Report,
    entities: &Entities<'_>,
    c: &Candidate,
    source: Option<Span>,
    r: Resolved,
) -> Attribution {
    let Resolved {
        mut speaker,
        mut role,
        mut entity,
        ..
    } = r;
    if entity.is_none() {
        entity = speaker.as_deref().and_then(|name| entities.named(name));
    }
    if role.is_none() {
        role = entity.and_then(|i| report.entities[i].role.clone());
    }
    if let (Some(rl), Some(src), Some(name)) = (&role, source, &speaker) {
        role = Some(widened_role(doc.slice(src), name, rl));
    }
    if speaker.as_deref() == Some("") {
        speaker = None;
    }
    if matches!(
        r.source_type,
        SourceType::NamedPerson | SourceType::NamedOrg
    ) {
        if let (Some(src), Some(name)) = (source, &speaker) {
            let written = is_mostly_cyrillic(name)
                .then(|| written_at(doc, src, name))
                .flatten();
            if let Some(nominative) = written.and_then(|at| nominative_by_syntax(doc, at)) {
                speaker = Some(nominative);
            }
        }
    }
    if r.source_type == SourceType::NamedPerson {
        speaker = speaker.map(|s| russian_person_nominative(&s));
    }
    Attribution {
        // English only: the convention is PolNeAR's, and Russian appositions are not
        // told from gerund clauses («Шоумен, комментируя замену …,») by their first word.
        source: source.map(|s| {
            let s = if doc.language.is_russian() {
                s
            } else {
                with_apposition(doc, s, c.cue, c.content)
            };
            text_span(doc, s)
        }),
        cue: text_span(doc, c.cue),
        content: c.content,
        kind: attribution_kind(toks, c.content),
        speaker_via: speaker.as_ref().and(r.via),
        speaker,
        speaker_entity: entity,
        role,
        source_type: r.source_type,
        confidence: r.confidence,
    }
}

/// Type a parsed source phrase and find its speaker.
fn resolve_source(cx: &Context<'_, '_>, sp: &SourceParse, src: Span) -> Resolved {
    if let Some(p) = &sp.pronoun {
        if is_plural_pronoun(p) {
            return Resolved::unnamed(SourceType::Vague, None, 0.7);
        }
        return resolve_pronoun(cx, p, src);
    }
    if sp.first_person {
        let singular = cx
            .doc
            .slice(src)
            .split_whitespace()
            .any(|w| matches!(w.to_lowercase().as_str(), "i" | "я"));
        return match cx.author.filter(|_| singular) {
            Some(author) => Resolved {
                speaker: Some(author.to_string()),
                role: None,
                entity: cx.entities.named(author),
                source_type: SourceType::SelfSource,
                via: Some(SpeakerVia::Author),
                confidence: 0.8,
            },
            None => Resolved::unnamed(SourceType::SelfSource, None, 0.9),
        };
    }
    // "The newspaper reported", «Издание отмечает»: the outlet that spoke last.
    if let Some(outlet) = previous_outlet(cx, src) {
        return outlet;
    }
    // «В США считают», «У Зеленского заявили»: the people of a state or a person's office
    // speak, not a person — so no later «он» can resolve to them.
    if let Some(r) = russian_locative_source(cx, src) {
        return r;
    }
    if sp.anonymous {
        return Resolved::unnamed(SourceType::Anonymous, sp.role.clone(), 0.85);
    }
    if sp.vague {
        return Resolved::unnamed(SourceType::Vague, None, 0.8);
    }
    // "court documents", but not "a GOP data expert".
    let mut entity = cx.entities.at(src);
    // «в письме Кавелашвили говорится»: a person's letter speaks for its author, named
    // right after the document word.
    let author = entity.filter(|&i| {
        let e = &cx.report.entities[i];
        let before: Vec<&str> = cx
            .doc
            .slice(Span::new(src.start, e.start.max(src.start)))
            .split_whitespace()
            .collect();
        e.kind == EntityKind::Person
            && before.len() <= 2
            && before
                .last()
                .is_some_and(|w| is_document_word(&w.to_lowercase()))
    });
    if sp.document && sp.title_head.is_none() && author.is_none() {
        return Resolved::unnamed(SourceType::Document, None, 0.75);
    }
    // "Clinton’s top foreign policy aide Jake Sullivan": a possessive names whose aide
    // speaks; the speaker is the person after it.
    if let Some(i) = entity {
        let e = &cx.report.entities[i];
        let after = &cx.doc.text()[cx.doc.byte_of(e.end.min(cx.doc.len_chars()))..];
        if e.kind == EntityKind::Person && (after.starts_with("’s") || after.starts_with("'s")) {
            let later = cx.report.entities[i + 1..]
                .iter()
                .take_while(|x| x.start < src.end)
                .position(|x| x.kind == EntityKind::Person && x.start >= e.end);
            if let Some(k) = later {
                entity = Some(i + 1 + k);
            }
        }
    }
    let person_entity = entity.filter(|&i| cx.report.entities[i].kind == EntityKind::Person);
    if person_entity.is_none() {
        // "Goldman Sachs partner Dina Powell": a person's name beside the organisation
        // (not the organisation's own name, "Morgan Stanley").
        let beside = |name: &str| {
            entity.is_some_and(|i| {
                let org = cx.report.entities[i].canonical.as_str();
                !org.contains(name) && !name.contains(org)
            })
        };
        if let Some(name) = sp
            .name
            .as_deref()
            .filter(|n| beside(n) && looks_like_a_persons_name(n, sp.role.is_some()))
        {
            return resolve_name(cx, sp, name);
        }
        // "the director of debate at the University of Michigan": a post, not its employer.
        // Unless the title word ends an organisation's name ("The New Hampshire Union Leader").
        let in_org_name = |h: Span| {
            entity.is_some_and(|i| {
                let e = &cx.report.entities[i];
                e.start <= h.start && h.end <= e.end
            })
        };
        if sp.title_head.is_some_and(|h| !in_org_name(h)) {
            let role = sp
                .role
                .clone()
                .unwrap_or_else(|| cx.doc.slice(src).to_string());
            return resolve_title(cx, role);
        }
    }
    if let Some(i) = entity {
        let e = &cx.report.entities[i];
        let person = e.kind == EntityKind::Person;
        // "Flynn" that the entity layer linked to "Michael Flynn".
        let by_surname = person
            && sp
                .name
                .as_deref()
                .is_some_and(|n| !n.contains(' ') && n != e.canonical);
        return Resolved {
            speaker: Some(e.canonical.clone()),
            // Organisations have no role: "The Associated Press" is not a press title.
            role: e.role.clone().or(sp.role.clone().filter(|_| person)),
            entity: Some(i),
            source_type: if person {
                SourceType::NamedPerson
            } else {
                SourceType::NamedOrg
            },
            via: Some(if by_surname {
                SpeakerVia::Surname
            } else {
                SpeakerVia::Name
            }),
            confidence: if by_surname { 0.85 } else { 0.9 },
        };
    }
    // «уроженец Чернигова заявил»: a common noun before a place in the genitive describes a
    // person by where they come from; the place does not speak.
    let after_common_noun = |name: &str| {
        let phrase = cx.doc.slice(src);
        phrase.rfind(name).is_some_and(|at| {
            phrase[..at]
                .split_whitespace()
                .next_back()
                .and_then(|w| w.chars().next())
                .is_some_and(|c| c.is_lowercase() && !c.is_ascii())
        })
    };
    if let Some(name) = sp
        .name
        .as_deref()
        .filter(|n| !n.contains(' ') && after_common_noun(n))
    {
        let entities = &cx.report.entities;
        let from = entities.partition_point(|e| e.end <= src.start);
        let place = entities[from..]
            .iter()
            .take_while(|e| e.start < src.end)
            .any(|e| {
                e.kind == EntityKind::Place && cx.doc.slice(Span::new(e.start, e.end)) == name
            });
        if place {
            return resolve_title(cx, cx.doc.slice(src).to_string());
        }
    }
    if let Some(name) = &sp.name {
        return resolve_name(cx, sp, name);
    }
    if sp.org_noun {
        let text = cx.doc.slice(src);
        let name = ["the ", "The ", "в ", "В ", "во ", "in ", "from "]
            .iter()
            .fold(text, |t, p| t.strip_prefix(p).unwrap_or(t));
        return Resolved {
            speaker: Some(russian_org_nominative(name)),
            role: None,
            entity: None,
            source_type: SourceType::NamedOrg,
            via: Some(SpeakerVia::Phrase),
            confidence: 0.7,
        };
    }
    match sp.role.clone() {
        Some(r) => resolve_title(cx, r),
        None => Resolved::unnamed(SourceType::Vague, None, 0.5),
    }
}

/// How far back (chars) the previous speaker outranks a person mentioned since.
const PREVIOUS_SPEAKER_REACH: usize = 1000;

/// "he said": the last person spoken of whose gender agrees with the pronoun (or
/// the Russian verb's ending); failing that the last person of unknown gender.
fn resolve_pronoun(cx: &Context<'_, '_>, p: &str, src: Span) -> Resolved {
    let want_female = cx.verb_female.or(match p {
        "she" | "она" | "её" | "ее" => Some(true),
        "he" | "он" | "его" => Some(false),
        _ => None,
    });
    // Inside the previous speaker's own words, quoted or after their label ("JP: … He feels
    // strongly about WikiLeaks"), a third person is somebody else: the speaker says "I".
    let quoting = cx
        .previous
        .filter(|(_, said)| in_own_words(cx.doc, *said, src));
    let not_the_quoted = |k: &&Known<'_>| quoting.is_none_or(|(p, _)| p.name != k.name);
    let agreeing = cx
        .known
        .iter()
        .rev()
        .filter(not_the_quoted)
        .find(|k| k.person && want_female.is_some() && k.female == want_female);
    if let Some(k) = agreeing {
        // "Spokesman Josh Earnest said that President Obama … He said": a person named
        // only inside the previous speaker's words yields to that speaker; so does one
        // merely mentioned since a recent speaker of the same gender spoke — unless a
        // sentence since opened with them: «Буркхардт представил слайды…, — предупредил он».
        if let Some((p, said)) = cx.previous.filter(|_| quoting.is_none()) {
            let within = said.start <= k.pos && k.pos < said.end;
            let recent = src.start.saturating_sub(p.pos) <= PREVIOUS_SPEAKER_REACH
                && !(k.pos > p.pos && is_sentence_subject(cx, k));
            let agrees = p.female.is_none_or(|f| Some(f) == want_female);
            if (within || recent) && p.name != k.name && agrees {
                return Resolved::known(p, None, SpeakerVia::Pronoun, 0.7);
            }
        }
        return Resolved::known(k, None, SpeakerVia::Pronoun, 0.75);
    }
    let unknown_gender = cx
        .known
        .iter()
        .rev()
        .filter(not_the_quoted)
        .find(|k| k.person && (k.female.is_none() || want_female.is_none()));
    if let Some(k) = unknown_gender {
        return Resolved::known(k, None, SpeakerVia::Pronoun, 0.55);
    }
    // Fall back to the last person entity before the cue, unless its name says the pronoun
    // is not theirs ("she" after only "Donald Trump").
    let last_person = cx.entities.last_person_ending_by(src.start).filter(|&i| {
        let gender = listed_gender(&cx.report.entities[i].canonical);
        gender.is_none() || want_female.is_none() || gender == want_female
    });
    match last_person {
        Some(i) => Resolved {
            speaker: Some(cx.report.entities[i].canonical.clone()),
            role: cx.report.entities[i].role.clone(),
            entity: Some(i),
            source_type: SourceType::NamedPerson,
            via: Some(SpeakerVia::Pronoun),
            confidence: 0.4,
        },
        None => Resolved::unnamed(SourceType::NamedPerson, None, 0.3),
    }
}

/// Whether person `k`'s latest mention is its sentence's subject, as a rule: it opens the
/// sentence (see [`opens_a_sentence`]), or, in Russian, a finite verb follows the name
/// («Ранее глава МИД России Сергей Лавров сравнил …»).
fn is_sentence_subject(cx: &Context<'_, '_>, k: &Known<'_>) -> bool {
    let (doc, female) = (cx.doc, k.female);
    if opens_a_sentence(doc, k.pos, female) {
        return true;
    }
    // The mention as written there (the entity may be named in full elsewhere).
    let Some(mention) = cx
        .entities
        .at(Span::new(k.pos, k.pos + 1))
        .map(|i| &cx.report.entities[i])
        .filter(|e| e.start == k.pos && e.kind == EntityKind::Person)
    else {
        return false;
    };
    let name_words = doc
        .slice(Span::new(mention.start, mention.end))
        .split_whitespace()
        .count();
    let mut words = doc.text()[doc.byte_of(k.pos)..]
        .split(|c: char| !(c.is_alphabetic() || c == '-'))
        .filter(|w| !w.is_empty());
    let name: Vec<&str> = words.by_ref().take(name_words).collect();
    // The name as written: capitalised, in the nominative (not «Сергея Лаврова»).
    let nominative = name
        .first()
        .is_some_and(|w| !w.is_ascii() && w.chars().next().is_some_and(char::is_uppercase))
        && name.last().is_some_and(|w| {
            !["а", "я", "у", "ю", "ом", "ем", "ым", "им", "ой"]
                .iter()
                .any(|e| w.ends_with(e))
                || female == Some(true)
        });
    let verb = words.next().is_some_and(|w| {
        w.chars().next().is_some_and(char::is_lowercase)
            && w.chars().count() >= 4
            && ["л", "ла", "ло", "ли", "ет", "ит", "ют", "ят"]
                .iter()
                .any(|e| w.ends_with(e))
    });
    // «О кризисе говорит мэр Варшавы Рафл Тшасковский.»: the name ends a sentence whose verb
    // of saying comes before it.
    let inverted = || {
        let Some(i) = doc.sentence_at(k.pos) else {
            return false;
        };
        let sentence = doc.sentences[i];
        let after = doc.slice(Span::new(mention.end.min(sentence.end), sentence.end));
        let before = doc.slice(Span::new(sentence.start, k.pos)).to_lowercase();
        after.chars().all(|c| !c.is_alphanumeric())
            && before
                .split(|c: char| !c.is_alphabetic())
                .any(|w| !w.is_ascii() && lexicon::cue_class(w) == Some(CueClass::Speech))
    };
    nominative && (verb || inverted())
}

/// The organisation that spoke last, when the source phrase is only an outlet noun ("the
/// newspaper", «Издание»); `None` otherwise or when no organisation spoke before.
fn previous_outlet(cx: &Context<'_, '_>, src: Span) -> Option<Resolved> {
    let phrase = cx.doc.slice(src).to_lowercase();
    let noun = match phrase.split_whitespace().collect::<Vec<_>>()[..] {
        [noun] | ["the", noun] => noun,
        _ => return None,
    };
    // Russian only: English "the paper" too often means a study or another outlet than the
    // last organisation that spoke (read on SemEval-2023 en).
    if noun.is_ascii() || !lexicon::outlet_nouns().contains(&noun) {
        return None;
    }
    let org = cx.known.iter().rev().find(|k| !k.person).filter(|k| {
        k.name.chars().next().is_some_and(char::is_uppercase)
            && cx.at.saturating_sub(k.pos) <= 2 * PREVIOUS_SPEAKER_REACH
    })?;
    Some(Resolved {
        speaker: Some(org.name.to_string()),
        role: None,
        entity: org.entity,
        source_type: SourceType::NamedOrg,
        via: Some(SpeakerVia::Phrase),
        confidence: 0.6,
    })
}

/// Whether the name at char `at` is the first word of its sentence (after quotes, dashes
/// and bullets), and not in an oblique case («Байдена мочат свои же»): the sentence's
/// subject, as a rule.
fn opens_a_sentence(doc: &Document, at: usize, female: Option<bool>) -> bool {
    let word: String = doc.text()[doc.byte_of(at)..]
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-')
        .collect();
    let oblique = ["а", "я", "у", "ю", "ом", "ем", "ым", "им", "е"]
        .iter()
        .any(|e| word.ends_with(e))
        && female != Some(true)
        && !lexicon::is_given_name(&word);
    !oblique
        && doc.sentence_at(at).is_some_and(|i| {
            let start = doc.sentences[i].start;
            doc.slice(Span { start, end: at })
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, '«' | '"' | '“' | '—' | '–' | '-' | '•'))
        })
}

/// A name in the source phrase: a lone surname links to an earlier full name; else
/// the name stands, typed person or organisation by its shape.
fn resolve_name(cx: &Context<'_, '_>, sp: &SourceParse, name: &str) -> Resolved {
    let words: Vec<&str> = name.split_whitespace().collect();
    let surname = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
    if words.len() == 1 {
        let prior = cx
            .known
            .iter()
            .rev()
            .find(|k| k.person && surname_matches(&surname_of(&k.name), &surname));
        let written = cx.full_names.before(name, cx.at);
        match (prior, written) {
            // "Jeh Johnson" written after the entity layer's "Gary Johnson": the latest wins.
            (Some(k), Some((at, full, false))) if *at > k.pos && full.as_str() != &*k.name => {
                return written_full_name(sp, full);
            }
            (Some(k), _) => {
                let mut r = Resolved::known(k, sp.role.clone(), SpeakerVia::Surname, 0.85);
                // «Честер признал» after «Чарли Честера»: the subject gives the nominative
                // the entity layer could not read from an indeclinable given name.
                if let Some((given, known_surname)) = k.name.rsplit_once(' ') {
                    let oblique_of_this = !name.is_ascii()
                        && name
                            .chars()
                            .last()
                            .is_some_and(|c| "бвгджзклмнпрстфхцчшщ".contains(c))
                        && known_surname
                            .strip_prefix(name)
                            .is_some_and(|e| matches!(e, "а" | "у" | "ом" | "е"));
                    if oblique_of_this {
                        r.speaker = Some(format!("{given} {name}"));
                    }
                }
                return r;
            }
            (None, Some((_, full, _))) => return written_full_name(sp, full),
            (None, None) => {}
        }
        // "AROS said" after "Alliance to Reclaim Our Schools (AROS)".
        if let Some(full) = cx.full_names.acronym(name) {
            return Resolved {
                speaker: Some(full.to_string()),
                role: sp.role.clone(),
                entity: cx.entities.named(full),
                source_type: SourceType::NamedOrg,
                via: Some(SpeakerVia::Name),
                confidence: 0.7,
            };
        }
    }
    let verb_female = cx.verb_female;
    // «премьер-министр Грузии», «глава Центра»: after a post, a lone place or organisation
    // is the post's affiliation, and the post is the speaker.
    let entity_kind = cx.entities.named(name).map(|i| cx.report.entities[i].kind);
    if let Some(role) = sp.role.as_deref().filter(|_| {
        words.len() == 1
            && !name.is_ascii()
            && (matches!(entity_kind, Some(EntityKind::Org | EntityKind::Place))
                || is_org_word(&surname))
    }) {
        return resolve_title(cx, role.to_string());
    }
    if words.len() == 1 && lexicon::is_not_a_name(&surname) {
        // "It said", "You also agree to", "Ever thought": a capitalised function word.
        return Resolved::unnamed(SourceType::Vague, None, 0.4);
    }
    // A lone English word written like a name ("Hollande said", "Rick said") is a
    // person's, unless it is known as an organisation or a place, is an organisation
    // noun, or is an acronym ("CNN", "FBI").
    let lone_person_name = words.len() == 1
        && !is_org_word(&surname)
        && !matches!(entity_kind, Some(EntityKind::Org | EntityKind::Place))
        && (lexicon::is_given_name(name)
            || cx.entities.is_surname(name)
            || entity_kind == Some(EntityKind::Person)
            || is_written_as_a_name(name) && !lexicon::is_org_name(name));
    // «как передает Münchner Merkur»: in a Russian sentence, a name left in the Latin
    // alphabet is an outlet's or a company's, not a person's (whose names are transcribed),
    // unless it opens with a known given name.
    let latin_in_russian = !is_mostly_cyrillic(name)
        && name.chars().any(char::is_alphabetic)
        && !lexicon::is_given_name(words[0])
        && entity_kind != Some(EntityKind::Person)
        && cx
            .doc
            .sentence_at(cx.at)
            .is_some_and(|i| is_mostly_cyrillic(cx.doc.slice(cx.doc.sentences[i])));
    let person = !sp.org_hint
        && !latin_in_russian
        && (sp.person_hint
            || lone_person_name
            || (words.len() >= 2 && words.len() <= 4)
            || verb_female.is_some() && words.len() >= 2
            || words.len() == 1
                && cx.entities.named(name).is_none()
                && russian_lone_surname(name, verb_female));
    Resolved {
        speaker: Some(name.to_string()),
        role: sp.role.clone(),
        entity: cx.entities.named(name),
        source_type: if person {
            SourceType::NamedPerson
        } else {
            SourceType::NamedOrg
        },
        via: Some(SpeakerVia::Name),
        confidence: if words.len() >= 2 { 0.8 } else { 0.6 },
    }
}

/// Where `name` is written inside `src`, as a char span.
fn written_at(doc: &Document, src: Span, name: &str) -> Option<Span> {
    let text = doc.slice(src);
    let byte = text.find(name)?;
    let start = src.start + text[..byte].chars().count();
    Some(Span::new(start, start + name.chars().count()))
}

/// «В США», «во Франции», «на Украине», «У Зеленского»: a Russian source that is a
/// preposition and a capitalised name.
fn russian_locative_source(cx: &Context<'_, '_>, src: Span) -> Option<Resolved> {
    let text = cx.doc.slice(src);
    let (preposition, rest) = text.split_once(' ')?;
    let office = matches!(preposition, "У" | "у");
    if !(office || matches!(preposition, "В" | "в" | "Во" | "во" | "На" | "на")) {
        return None;
    }
    if !rest.chars().next().is_some_and(char::is_uppercase) || rest.is_ascii() {
        return None;
    }
    let speaker = if office {
        russian_person_nominative(rest)
    } else {
        rest.to_string()
    };
    Some(Resolved {
        speaker: Some(speaker),
        role: None,
        entity: None,
        source_type: SourceType::NamedOrg,
        via: Some(SpeakerVia::Phrase),
        confidence: 0.6,
    })
}

/// A lone surname linked to the full name written before it.
fn written_full_name(sp: &SourceParse, full: &str) -> Resolved {
    Resolved {
        speaker: Some(full.to_string()),
        role: sp.role.clone(),
        entity: None,
        source_type: SourceType::NamedPerson,
        via: Some(SpeakerVia::Surname),
        confidence: 0.75,
    }
}

/// The author of a first-person text: the byline's name ("By Jane Doe"), or the name an
/// opinion piece's headline opens with ("АРНО ХИДИРБЕГИШВИЛИ: КОГДА …", "Jane Doe: Why …"),
/// capitalised as a name. The headline is the input's title or else the first paragraph; its
/// name must start with a known given name, so "Ukraine war: …" names nobody.
fn author_of(doc: &Document) -> Option<String> {
    let byline = doc.source.byline.as_deref().and_then(|b| {
        let b = b.trim();
        let b = ["By ", "by ", "BY ", "Автор: ", "Автор "]
            .iter()
            .find_map(|p| b.strip_prefix(p))
            .unwrap_or(b);
        let name = b.split([',', '|', '(']).next()?.trim();
        person_name_as_written(name)
    });
    let first_paragraph = doc.paragraphs.first().map(|&p| doc.slice(p));
    byline.or_else(|| {
        doc.source
            .title
            .as_deref()
            .into_iter()
            .chain(first_paragraph)
            .find_map(|headline| {
                let (name, rest) = headline.split_once(':')?;
                (rest.split_whitespace().count() >= 2)
                    .then(|| person_name_as_written(name.trim()))
                    .flatten()
            })
    })
}

/// `name` as a person's name ("Jane Doe", "ARNO KHIDIRBEGISHVILI" → "Arno Khidirbegishvili"):
/// two or three capitalised words, the first a known given name.
fn person_name_as_written(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = |w: &&str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
    };
    if !(2..=3).contains(&words.len()) || !words.iter().all(capitalised) {
        return None;
    }
    let as_name = |w: &str| -> String {
        if w.chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
        {
            let mut chars = w.chars();
            chars
                .next()
                .into_iter()
                .chain(chars.flat_map(char::to_lowercase))
                .collect()
        } else {
            w.to_string()
        }
    };
    let words: Vec<String> = words.into_iter().map(as_name).collect();
    lexicon::is_given_name(&words[0]).then(|| words.join(" "))
}

/// A name of two to four words that opens with a known given name ("Hope Hicks"), or,
/// after a title ("partner Dina Powell"), of two or three words each written as a name.
fn looks_like_a_persons_name(name: &str, after_a_title: bool) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    (2..=4).contains(&words.len()) && lexicon::is_given_name(words[0])
        || after_a_title
            && (2..=3).contains(&words.len())
            && words.iter().all(|w| is_written_as_a_name(w))
}

/// A word in the Latin alphabet with a capital first letter and a lower-case rest
/// ("Hollande", "O'Malley", "DuVernay", "Rosselló"), as surnames are written and acronyms
/// are not.
pub(super) fn is_written_as_a_name(word: &str) -> bool {
    // ASCII letters and the accented letters of Latin-1 and Latin Extended-A/B.
    let latin = |c: char| c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&c);
    let lower = |c: char| latin(c) && c.is_lowercase();
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| latin(c) || matches!(c, '\'' | '’' | '-'))
        && word
            .chars()
            .nth(1)
            .is_some_and(|c| lower(c) || c == '’' || c == '\'')
        && word.chars().filter(|&c| lower(c)).count() >= 2
}

/// "the mayor said": the person last introduced with that title; else an unnamed
/// but specific person ("a government spokesman").
fn resolve_title(cx: &Context<'_, '_>, role: String) -> Resolved {
    // An English post is headed by its last word ("the French president"), a Russian one
    // by its first after «бывший»/«экс-» («экс-госсекретарь США»), compared by stem across
    // cases («госсекретаря»).
    let post = |w: &str| w.to_lowercase().trim_start_matches("экс-").to_string();
    let last = role.split_whitespace().last().map(post);
    let head = if role.is_ascii() {
        last
    } else {
        role.split_whitespace()
            .map(post)
            .find(|w| super::source::is_title_word(w))
            .or(last)
    }
    .unwrap_or_default();
    let same_post = |w: &str| {
        let w = post(w);
        w == head || !head.is_ascii() && head.chars().count() >= 5 && same_russian_stem(&w, &head)
    };
    let hit = cx.known.iter().rev().find(|k| {
        k.person
            && k.role
                .as_ref()
                .is_some_and(|kr| kr.split_whitespace().any(same_post))
    });
    if let Some(k) = hit {
        return Resolved::known(k, None, SpeakerVia::Title, 0.7);
    }
    // «…», — считает Буданов. Глава разведки, …, отметил»: a post no one was introduced
    // with, right after a person spoke and with no one named since, is that person — unless
    // their known post is another («президент Соединенных Штатов» is not «Президент России»).
    let previous = cx.previous.map(|(p, _)| p).filter(|p| {
        let latest_named = cx.known.iter().rev().find(|k| k.person);
        let nobody_since = latest_named.is_some_and(|k| k.name == p.name);
        let close = cx.at.saturating_sub(p.pos) <= PREVIOUS_SPEAKER_REACH;
        let same_post = p.role.as_deref().is_none_or(|r| {
            let theirs: Vec<String> = r.split_whitespace().map(post).collect();
            let ours: Vec<String> = role.split_whitespace().map(post).collect();
            theirs.iter().any(|w| same_post(w))
                && theirs.len().min(ours.len()) >= 2
                && same_russian_stem(&theirs[1], &ours[1])
        });
        // «по мнению многих экспертов», «ряд аналитиков»: many people, not the previous one.
        let many = role.split_whitespace().any(|w| {
            let w = w.to_lowercase();
            matches!(
                &*w,
                "многих"
                    | "многие"
                    | "некоторых"
                    | "некоторые"
                    | "ряд"
                    | "ряда"
                    | "других"
                    | "большинство"
                    | "части"
            ) || w.ends_with("ов")
                || w.ends_with("ев")
                || w.ends_with("ей")
        });
        // «По словам художника и публициста, …, Евгения Антипова»: the name follows the post
        // in the same sentence.
        // Not across a gerund clause («Глава разведки, отвечая на вопрос, останется ли Путин …»).
        let named_after = cx.doc.sentence_at(cx.at).is_some_and(|i| {
            let end = cx.doc.sentences[i].end;
            cx.report
                .entities
                .iter()
                .skip(cx.report.entities.partition_point(|e| e.start < cx.at))
                .take_while(|e| e.start < end)
                .find(|e| e.kind == EntityKind::Person)
                .is_some_and(|e| {
                    let between = cx.doc.slice(Span::new(cx.at, e.start)).to_lowercase();
                    !between.split(|c: char| !c.is_alphabetic()).any(|w| {
                        w.chars().count() >= 5
                            && ["уя", "юя", "ая", "яя", "ясь", "вшись", "ив", "ав"]
                                .iter()
                                .any(|e| w.ends_with(e))
                    })
                })
        });
        nobody_since && close && same_post && !many && !named_after && !role.is_ascii()
    });
    match previous {
        Some(p) => Resolved::known(p, None, SpeakerVia::Title, 0.55),
        None => Resolved::unnamed(SourceType::Anonymous, Some(role), 0.7),
    }
}

fn attribution_kind(toks: &Tokens, content: Span) -> AttributionKind {
    let doc = toks.doc;
    let lo = doc.tokens.partition_point(|t| t.end <= content.start);
    let hi = doc.tokens.partition_point(|t| t.start < content.end);
    if hi <= lo {
        return AttributionKind::Indirect;
    }
    let quoted = toks.quoted_before[hi] - toks.quoted_before[lo];
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
