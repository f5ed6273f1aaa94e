//! Attributions the PolNeAR-trained tagger adds where no rule fired.

use crate::document::{Document, Span, TokenKind};

use super::crf;
use super::lexicon::{self, is_personal_pronoun, is_plural_pronoun};
use super::overlap::{tokens_inside, Overlaps};
use super::rules::{Candidate, Tokens};
use super::source::{
    is_document_word, is_org_word, is_preposition, is_relative_source, is_title_word,
};

/// Attributions the tagger finds in paragraphs with a cue word, where no rule fired.
pub(super) fn tagger_candidates(
    doc: &Document,
    toks: &Tokens,
    model: &crf::CrfModel,
    taken: &[Candidate],
) -> Vec<Candidate> {
    let mut out = Vec::new();
    // What the rules took, indexed once (scanning every rule candidate per token and
    // per tagged run was quadratic in a document of many quotes).
    let explained = tokens_inside(&doc.tokens, taken.iter().flat_map(|c| [c.cue, c.content]));
    let cue_or_content = Overlaps::new(taken.iter().flat_map(|c| [c.cue, c.content]));
    let contents = Overlaps::new(taken.iter().map(|c| c.content));
    // Tagged per sentence (the model was trained per paragraph): only sentences
    // holding a cue word no rule explained are tagged, which keeps the tagger's
    // cost proportional to what the rules missed rather than to the article.
    // A reporting verb, or a word PolNeAR's annotators mark inside cues ("citing",
    // "criticized", "called"): without one the tagger's cues are mostly narration.
    let anchors = |i: usize| toks.cue[i].is_some() || lexicon::is_tagger_anchor(&toks.lower[i]);
    for (p, &(lo, hi)) in doc.sentences.iter().zip(&toks.sentence_tokens) {
        // Only sentences with a cue word that no rule has already explained and that could
        // anchor a tagged cue below: not inside a rule's cue or content (a tagged cue may not
        // overlap those) and not in a noun phrase.
        let has_cue = (lo..hi).any(|i| {
            anchors(i)
                && !in_noun_phrase(toks, i)
                && !toks.is_name_inside_sentence(i, lo)
                && !explained[i]
        });
        if !has_cue {
            continue;
        }
        let seq = crf::Sequence::from_tokens(toks, *p);
        let runs = crf::decode(&model.tag(&seq));
        let span_of = |a: usize, b: usize| Span::new(seq.spans[a].start, seq.spans[b - 1].end);
        // The sentence's source runs, in order (each cue takes the nearest).
        let sentence = doc.sentence_at(p.start);
        let sources: Vec<Span> = runs
            .iter()
            .filter(|r| r.0 == crf::TagRole::Source)
            .map(|r| span_of(r.1, r.2))
            .filter(|s| doc.sentence_at(s.start) == sentence)
            .collect();
        for (k, &(role, a, b)) in runs.iter().enumerate() {
            if role != crf::TagRole::Cue {
                continue;
            }
            let cue = span_of(a, b);
            if cue_or_content.any(cue) {
                continue;
            }
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
            let content = clause_cut_short(doc, toks, lo, hi, content);
            if contents.any(content) {
                continue;
            }
            // The tagger decides spans; a known reporting word must anchor the cue
            // ("received a report" is not Putin speaking).
            // A noun phrase ("a comprehensive report") is no reporting verb.
            // The sentence's tokens inside the cue: a contiguous run.
            let sentence_tokens = &doc.tokens[lo..hi];
            let inside = lo + sentence_tokens.partition_point(|t| t.start < cue.start)
                ..lo + sentence_tokens.partition_point(|t| t.end <= cue.end);
            let Some(verb) = inside.into_iter().find(|&i| {
                anchors(i) && !in_noun_phrase(toks, i) && !toks.is_name_inside_sentence(i, lo)
            }) else {
                continue;
            };
            // Without a source that can speak the tagger's guess is too often narration
            // ("This demonstration underscored …"); PolNeAR's sourceless cues are left out.
            // (Taking the parsed subject of the cue's verb instead added 5 of 1,321 PolNeAR dev
            // attributions and no F1, for a fifth more attribution time: not kept.)
            let Some(source) = nearest_source(&sources, cue)
                .filter(|s| !s.overlaps(content) && plausible_speaker(doc, toks, *s))
                // A possessive speaks through the noun right after it ("[[Dr. Fastiggi’s]]
                // claim"), not through a verb further on ("[[China's]] coal consumption
                // appears").
                .filter(|s| {
                    let written = doc.slice(*s);
                    let written = written.trim_end();
                    let possessive = written.ends_with("'s") || written.ends_with("’s");
                    !possessive
                        || s.end <= cue.start
                            && doc.slice(Span::new(s.end, cue.start)).trim().is_empty()
                })
            else {
                continue;
            };
            if source.start >= cue.end && super::rules::takes_the_addressee(&toks.lower[verb]) {
                continue; // "told AP": the addressee, not the speaker
            }
            // "Attorneys backed by George Soros", "Haig was named as …": a passive
            // participle's subject is no source.
            let after_be = verb > lo
                && matches!(
                    &*toks.lower[verb - 1],
                    "is" | "are" | "was" | "were" | "be" | "been" | "being"
                );
            let passive = toks.lower.get(verb + 1).is_some_and(|w| w == "by")
                || after_be && toks.lower[verb].ends_with("ed");
            if source.end <= cue.start && passive {
                continue;
            }
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

/// A tagged content that opens a "that" clause and stops within three words ("that it",
/// "that the guards") was cut short by the tagger: it runs to the sentence's end, before
/// its closing punctuation.
fn clause_cut_short(doc: &Document, toks: &Tokens, lo: usize, hi: usize, content: Span) -> Span {
    let first = lo + doc.tokens[lo..hi].partition_point(|t| t.start < content.start);
    let last = lo + doc.tokens[lo..hi].partition_point(|t| t.end <= content.end);
    if first >= hi || toks.lower[first] != "that" || last - first > 3 || last >= hi {
        return content;
    }
    let end = (last..hi)
        .rev()
        .find(|&i| doc.tokens[i].kind == TokenKind::Word || doc.tokens[i].kind == TokenKind::Number)
        .map_or(content.end, |i| doc.tokens[i].end);
    Span::new(content.start, end.max(content.end))
}

/// The source run nearest to `cue` among `sources` (ordered, disjoint): the closest
/// one ending before it, or the closest one after it, one char further counted
/// (so the one before wins a tie).
fn nearest_source(sources: &[Span], cue: Span) -> Option<Span> {
    let distance = |s: &Span| {
        if s.end <= cue.start {
            cue.start - s.end
        } else {
            s.start.saturating_sub(cue.end) + 1
        }
    };
    let split = sources.partition_point(|s| s.end <= cue.start);
    let before = split.checked_sub(1).map(|k| sources[k]);
    let after = sources.get(split).copied();
    match (before, after) {
        (Some(b), Some(a)) if distance(&a) < distance(&b) => Some(a),
        (Some(b), _) => Some(b),
        (None, a) => a,
    }
}

/// A reporting word right after a determiner is a noun ("a comprehensive report"), no verb.
pub(super) fn in_noun_phrase(toks: &Tokens, i: usize) -> bool {
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
    // A phrase opening with a preposition is an adverbial ("Beyond pressuring our allies,"),
    // whatever its last word.
    if is_preposition(&toks.lower[lo])
        || matches!(
            &*toks.lower[lo],
            "beyond" | "despite" | "among" | "without" | "under" | "over" | "through" | "against"
        )
    {
        return false;
    }
    // An object pronoun ("asked [[them for ID, …]]"; "US" is no "us") or a passive's agent
    // ("as [[defined by Washington]]") speaks not.
    let first = &*toks.lower[lo];
    if lexicon::is_object_pronoun(doc.slice(doc.tokens[lo].span()))
        || (hi > lo + 1 && first.ends_with("ed") && &*toks.lower[lo + 1] == "by")
    {
        return false;
    }
    let sentence_start = doc
        .sentence_at(source.start)
        .map(|s| doc.sentences[s].start)
        .unwrap_or(0);
    if lo > 0 && doc.tokens[lo - 1].start > sentence_start && !is_a_subject_after(toks, lo, hi) {
        return false;
    }
    // PolNeAR marks a relative pronoun as the source; the speaker is its antecedent.
    let relative = hi - lo == 1 && is_relative_source(doc, w);
    relative
        || (toks.capital[last] && (doc.tokens[last].start != sentence_start || hi - lo == 1))
        || lexicon::is_speaker_pronoun(w)
        || word_set!(lexicon::vague_heads()).contains(w)
        || word_set!(lexicon::anonymous_markers()).contains(w)
        || is_org_word(w)
        || is_document_word(w)
        || is_title_word(w)
        || lexicon::is_tagger_source_head(w)
}

/// Whether the tagged run `lo..hi` can be a subject given the word before it: not the
/// object of a preposition ("diplomats in [[Cuba]] reported", "into [[Syria]]"; "according
/// to [[CNN]]" is the exception), nor the tail of a longer name ("United [[States]]",
/// "U.S.-[[Russia]]"), unless that word is a title ("Secretary [[Kerry]]"). The word
/// before is not the sentence's first.
fn is_a_subject_after(toks: &Tokens, lo: usize, hi: usize) -> bool {
    let before = &*toks.lower[lo - 1];
    let according_to = before == "to" && lo >= 2 && &*toks.lower[lo - 2] == "according";
    // A subject pronoun is never a preposition's object: "after [[he]] appeared to suggest".
    let subject_pronoun =
        is_personal_pronoun(&toks.lower[lo]) || is_plural_pronoun(&toks.lower[lo]);
    let object_of_preposition = !according_to
        && !subject_pronoun
        && (is_preposition(before) && before != "by" || matches!(before, "into" | "of"));
    let name_tail = (toks.capital[lo - 1] || before == "-")
        && hi - lo == 1
        && !is_title_word(before)
        && !lexicon::honorifics().contains(&before);
    !object_of_preposition && !name_tail
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each attribution as (source text, cue text) of `crate::analyze_text`.
    fn sources_and_cues(text: &str) -> Vec<(String, String)> {
        crate::analyze_text(text)
            .attributions
            .into_iter()
            .map(|a| (a.source.map(|s| s.text).unwrap_or_default(), a.cue.text))
            .collect()
    }

    /// A cue word PolNeAR's annotators mark but no rule knows ("criticized") anchors the
    /// tagger's cue; a passive participle's subject ("backed by", "was named") speaks not.
    #[test]
    fn learned_anchor_words_find_stance_cues_and_passives_are_no_sources() {
        let text = "The council met on Tuesday to vote on the budget.\n\nSenator Jane Smith \
            criticized the plan as reckless. Attorneys backed by George Soros are helping \
            migrants get asylum. Haig was named as a person of interest by the police.";
        let found = sources_and_cues(text);
        assert!(
            found.contains(&("Senator Jane Smith".into(), "criticized".into())),
            "{found:?}"
        );
        assert!(
            !found
                .iter()
                .any(|(_, cue)| cue.contains("backed") || cue.contains("named")),
            "{found:?}"
        );
    }

    /// PolNeAR marks "who" as the source of a relative clause; its antecedent speaks, but a
    /// place after a preposition is no antecedent.
    #[test]
    fn a_relative_pronoun_is_the_source_and_its_antecedent_the_speaker() {
        let text = "The hospital was full on Monday.\n\nThe board later hired Dr. John Bentel, \
            who said the wards had been closed for a week.\n\nOfficials met a senator from \
            Illinois, who said the budget was late.";
        let found: Vec<(String, Option<String>)> = crate::analyze_text(text)
            .attributions
            .into_iter()
            .map(|a| (a.source.map(|s| s.text).unwrap_or_default(), a.speaker))
            .collect();
        assert!(
            found.contains(&("who".into(), Some("John Bentel".into()))),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|f| f.1.as_deref() == Some("Illinois")),
            "{found:?}"
        );
    }

    #[test]
    fn nearest_source_is_the_closest_with_ties_to_the_one_before() {
        let sources = [
            Span::new(0, 4),
            Span::new(10, 14),
            Span::new(30, 33),
            Span::new(40, 41),
        ];
        // What the scan over every source run did.
        let scan = |cue: Span| {
            sources.iter().copied().min_by_key(|s| {
                if s.end <= cue.start {
                    cue.start - s.end
                } else {
                    s.start.saturating_sub(cue.end) + 1
                }
            })
        };
        for start in 0..45 {
            for end in start + 1..46 {
                let cue = Span::new(start, end);
                assert_eq!(nearest_source(&sources, cue), scan(cue), "{cue:?}");
            }
        }
        assert_eq!(nearest_source(&[], Span::new(3, 5)), None);
    }
}
