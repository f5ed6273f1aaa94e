//! Speaker labels: a paragraph that opens with a speaker's name and a colon, as transcripts
//! ("PENCE: Well, look, …") and headlines ("Sanders: Clinton needs to …") write them. The
//! colon is the cue, the rest of the paragraph the content (PolNeAR's convention).

use crate::document::{Document, Span, TokenKind};

use super::lexicon;
use super::overlap::Overlaps;
use super::rules::{Candidate, Tokens};
use super::source::is_document_word;

/// Words in a label before its colon, at most.
const MAX_LABEL_WORDS: usize = 3;

/// Attributions of paragraphs that open with a speaker label, where no other candidate
/// already covers the label.
pub(super) fn label_candidates(
    doc: &Document,
    toks: &Tokens,
    taken: &[Candidate],
) -> Vec<Candidate> {
    let taken = Overlaps::new(
        taken
            .iter()
            .flat_map(|c| [c.cue].into_iter().chain(c.source)),
    );
    // (first label token, colon) of each paragraph that opens with a label.
    let labels: Vec<(usize, usize)> = doc
        .paragraphs
        .iter()
        .filter_map(|&paragraph| label_of(doc, toks, paragraph))
        .collect();
    let text_of = |&(first, colon): &(usize, usize)| {
        doc.slice(Span::new(
            doc.tokens[first].start,
            doc.tokens[colon - 1].end,
        ))
    };
    // A transcript: the same capitalised label opens several paragraphs ("WALLACE:" of
    // an unnamed host, "DB:"), which a one-off "UPDATE:" does not.
    let repeated = |label: &(usize, usize)| {
        let text = text_of(label);
        label.1 == label.0 + 1
            && text.chars().count() >= 2
            && text.chars().all(|c| !c.is_lowercase())
            && labels.iter().filter(|l| text_of(l) == text).count() >= 2
    };
    let mut out = Vec::new();
    for label in &labels {
        let &(first, colon) = label;
        let source = Span::new(doc.tokens[first].start, doc.tokens[colon - 1].end);
        if taken.any(source) || !(repeated(label) || names_a_speaker(doc, toks, first..colon)) {
            continue;
        }
        let paragraph = doc.paragraphs[doc.paragraphs.partition_point(|p| p.end <= source.start)];
        let hi = doc.tokens.partition_point(|t| t.start < paragraph.end);
        out.push(Candidate {
            source: Some(source),
            cue: doc.tokens[colon].span(),
            content: Span::new(doc.tokens[colon + 1].start, doc.tokens[hi - 1].end),
            verb: None,
            from_rules: true,
        });
    }
    out
}

/// The label that opens `paragraph`, as (its first token, the colon after it): one to
/// three capitalised words and a colon, at least two words said after it.
fn label_of(doc: &Document, toks: &Tokens, paragraph: Span) -> Option<(usize, usize)> {
    let lo = doc.tokens.partition_point(|t| t.end <= paragraph.start);
    let hi = doc.tokens.partition_point(|t| t.start < paragraph.end);
    // A transcript's leftover opening quotation mark ("\"WALLACE: …") is no part of it.
    let first = (lo..hi)
        .find(|&i| doc.tokens[i].kind != TokenKind::Punct || toks.lower[i] == ":")
        .filter(|&i| i - lo <= 1)?;
    let colon = (first..hi.min(first + MAX_LABEL_WORDS + 1)).find(|&i| toks.lower[i] == ":")?;
    let all_words = colon > first
        && (first..colon).all(|i| doc.tokens[i].kind == TokenKind::Word && toks.capital[i]);
    let said = (colon + 1..hi)
        .filter(|&i| doc.tokens[i].kind == TokenKind::Word)
        .count();
    (all_words && said >= 2).then_some((first, colon))
}

/// Whether a label names someone who can speak: a person written in full elsewhere in
/// the text ("PENCE" and "Gov. Mike Pence", "Pat Caddell:" and "pollster Pat Caddell"),
/// or a poll or study ("Poll:"). Headings ("The Deep State:", "Present Problems:",
/// "UPDATE:") name nobody.
fn names_a_speaker(doc: &Document, toks: &Tokens, label: std::ops::Range<usize>) -> bool {
    let last = &*toks.lower[label.end - 1];
    if label.len() == 1 && is_document_word(last) {
        return true;
    }
    if toks.lower[label.start] == "the" {
        return false;
    }
    // Every label word, in order, elsewhere in the text, the last one ending a full name.
    let words: Vec<&str> = label.clone().map(|i| &*toks.lower[i]).collect();
    (1..toks.lower.len()).any(|i| {
        let start = (i + 1).checked_sub(words.len());
        let Some(start) = start else { return false };
        !label.contains(&i)
            && (start..=i)
                .zip(&words)
                .all(|(k, w)| toks.lower[k] == *w && toks.capital[k])
            && toks.lower.get(i + 1).is_none_or(|w| w != ":")
            && doc.sentence_at(doc.tokens[i].start) == doc.sentence_at(doc.tokens[i - 1].start)
            && (words.len() > 1 || after_a_given_name(doc, toks, i))
    })
}

/// Whether the word at `i` follows a given name or an honorific ("Mike Pence", "Gov. Pence").
fn after_a_given_name(doc: &Document, toks: &Tokens, i: usize) -> bool {
    let before = doc.slice(doc.tokens[i - 1].span());
    doc.tokens[i - 1].kind == TokenKind::Word
        && doc.tokens[i].start > doc.tokens[i - 1].end
        && (lexicon::is_given_name(before) || lexicon::honorifics().contains(&&*toks.lower[i - 1]))
}

#[cfg(test)]
mod tests {
    /// Each attribution as (source text, cue text, content text).
    fn found(text: &str) -> Vec<(String, String, String)> {
        let report = crate::analyze_text(text);
        let chars: Vec<char> = report.text.chars().collect();
        report
            .attributions
            .iter()
            .map(|a| {
                (
                    a.source
                        .as_ref()
                        .map(|s| s.text.clone())
                        .unwrap_or_default(),
                    a.cue.text.clone(),
                    chars[a.content.start..a.content.end].iter().collect(),
                )
            })
            .collect()
    }

    #[test]
    fn transcript_labels_of_named_people_attribute_their_paragraphs() {
        let text = "Chris Wallace interviewed Mike Pence on Sunday.\n\nWALLACE: Will Gennifer \
            Flowers be there tomorrow night?\n\nPENCE: Well, look, she will not be attending \
            the debate.\n\nUPDATE: The debate starts at nine.\n\nWATCH: the full interview below.\n\n\
            Present Problems: the hall is small.\n\nPresent Problems: the tickets are sold.";
        let found = found(text);
        for (source, content) in [
            ("WALLACE", "Will Gennifer Flowers be there tomorrow night?"),
            ("PENCE", "Well, look, she will not be attending the debate."),
        ] {
            assert!(
                found
                    .iter()
                    .any(|f| f.0 == source && f.1 == ":" && f.2 == content),
                "{source}: {found:?}"
            );
        }
        assert!(
            !found
                .iter()
                .any(|f| f.0 == "UPDATE" || f.0 == "WATCH" || f.0 == "Present Problems"),
            "{found:?}"
        );
    }
}
