//! Speaker labels: a paragraph that opens with a speaker's name and a colon, as transcripts
//! ("PENCE: Well, look, …") and headlines ("Sanders: Clinton needs to …") write them. The
//! colon is the cue, the rest of the paragraph the content (PolNeAR's convention). And
//! signatures: a quotation that ends its paragraph with a dash and a name.

use std::collections::HashSet;

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
    // an unnamed host, "DB:"), which a one-off "UPDATE:" does not. Counted once.
    let mut label_counts: std::collections::HashMap<&str, usize> = Default::default();
    for label in &labels {
        *label_counts.entry(text_of(label)).or_default() += 1;
    }
    let repeated = |label: &(usize, usize)| {
        let text = text_of(label);
        label.1 == label.0 + 1
            && text.chars().count() >= 2
            && text.chars().all(|c| !c.is_lowercase())
            && label_counts.get(text).is_some_and(|&n| n >= 2)
    };
    let names = if labels.is_empty() {
        Names::default()
    } else {
        Names::new(doc, toks)
    };
    let mut out = Vec::new();
    for label in &labels {
        let &(first, colon) = label;
        let source = Span::new(doc.tokens[first].start, doc.tokens[colon - 1].end);
        if taken.any(source) || !(repeated(label) || names.speak(toks, first..colon)) {
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

/// A quotation signed at the end of its paragraph with a dash and a name, as collections of
/// readers' voices and epigraphs print them: "“Mr. Trump embodies …” ― Sonya Herridge". The
/// dash is the cue, the name the source, the quotation the content.
pub(super) fn signature_candidates(
    doc: &Document,
    toks: &Tokens,
    taken: &[Candidate],
) -> Vec<Candidate> {
    // Attributions inside the quotation stay; one whose cue or content already holds the
    // signature (a rule's "“…” ― said X") takes its place.
    let taken = Overlaps::new(taken.iter().flat_map(|c| [c.cue, c.content]));
    let mut out = Vec::new();
    for &paragraph in &doc.paragraphs {
        let range = doc.token_range(paragraph);
        let (lo, mut hi) = (range.start, range.end);
        while hi > lo && toks.lower[hi - 1] == "." {
            hi -= 1;
        }
        // The name: one to four capitalised words (initials and their dots inside) at the end.
        let mut first = hi;
        while first > lo
            && hi - first < 6
            && (toks.capital[first - 1]
                || toks.lower[first - 1] == "." && first - 1 > lo && toks.capital[first - 2])
        {
            first -= 1;
        }
        if first == hi || first < lo + 3 || !toks.capital[first] {
            continue;
        }
        // The dash (a long one, or "--" as two hyphens) right after a closing quotation mark.
        let dash = if matches!(&*toks.lower[first - 1], "―" | "—" | "–") {
            first - 1..first
        } else if toks.lower[first - 1] == "-" && toks.lower[first - 2] == "-" {
            first - 2..first
        } else {
            continue;
        };
        let close = dash.start - 1;
        let is_mark = |w: &str| matches!(w, "\"" | "“" | "”" | "«" | "»" | "„");
        if close <= lo || !is_mark(&toks.lower[close]) || !is_mark(&toks.lower[lo]) {
            continue;
        }
        let content = Span::new(doc.tokens[lo].start, doc.tokens[close].end);
        let signature = Span::new(doc.tokens[dash.start].start, doc.tokens[hi - 1].end);
        if taken.any(signature) {
            continue;
        }
        out.push(Candidate {
            source: Some(Span::new(doc.tokens[first].start, doc.tokens[hi - 1].end)),
            cue: Span::new(doc.tokens[dash.start].start, doc.tokens[dash.end - 1].end),
            content,
            verb: None,
            from_rules: true,
        });
    }
    out
}

/// The label that opens `paragraph`, as (its first token, the colon after it): one to
/// three capitalised words and a colon, at least two words said after it.
fn label_of(doc: &Document, toks: &Tokens, paragraph: Span) -> Option<(usize, usize)> {
    let std::ops::Range { start: lo, end: hi } = doc.token_range(paragraph);
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

/// The names written in the text outside labels, lower-cased, read once: a label names
/// someone who can speak when it is one of them.
#[derive(Default)]
struct Names {
    /// Surnames after a given name or an honorific ("pence" of "Gov. Mike Pence").
    surnames: HashSet<String>,
    /// Runs of two or three capitalised words ("pat caddell").
    full: HashSet<String>,
}

impl Names {
    fn new(doc: &Document, toks: &Tokens) -> Names {
        let mut names = Names::default();
        let capital_word = |k: usize| doc.tokens[k].kind == TokenKind::Word && toks.capital[k];
        for i in 1..toks.lower.len() {
            let before_colon = toks.lower.get(i + 1).is_some_and(|w| w == ":");
            let same_sentence =
                doc.sentence_at(doc.tokens[i].start) == doc.sentence_at(doc.tokens[i - 1].start);
            if before_colon || !same_sentence || !capital_word(i) {
                continue;
            }
            if after_a_given_name(doc, toks, i) {
                names.surnames.insert(toks.lower[i].to_string());
            }
            for len in 2..=MAX_LABEL_WORDS {
                let Some(start) = (i + 1).checked_sub(len) else {
                    break;
                };
                if !(start..i).all(capital_word) {
                    break;
                }
                let run: Vec<&str> = (start..=i).map(|k| &*toks.lower[k]).collect();
                names.full.insert(run.join(" "));
            }
        }
        names
    }

    /// Whether the label `label` names someone who can speak: a person written in full
    /// elsewhere ("PENCE" and "Gov. Mike Pence", "Pat Caddell:" and "pollster Pat
    /// Caddell"), or a poll or study ("Poll:"). Headings ("The Deep State:", "Present
    /// Problems:", "UPDATE:") name nobody.
    fn speak(&self, toks: &Tokens, label: std::ops::Range<usize>) -> bool {
        let last = &*toks.lower[label.end - 1];
        if label.len() == 1 {
            return is_document_word(last) || self.surnames.contains(last);
        }
        let words: Vec<&str> = label.clone().map(|i| &*toks.lower[i]).collect();
        toks.lower[label.start] != "the" && self.full.contains(&words.join(" "))
    }
}

/// Whether the word at `i` follows a given name or an honorific ("Mike Pence", "Gov. Pence").
fn after_a_given_name(doc: &Document, toks: &Tokens, i: usize) -> bool {
    let before = doc.slice(doc.tokens[i - 1].span());
    doc.tokens[i - 1].kind == TokenKind::Word
        && doc.tokens[i].start > doc.tokens[i - 1].end
        && (lexicon::is_given_name(before) || lexicon::honorifics().contains(&&*toks.lower[i - 1]))
}

/// Whether candidate `c` is a speaker label: a name, then the colon that is its cue.
pub(super) fn is_speaker_label(doc: &Document, c: &Candidate) -> bool {
    c.verb.is_none() && doc.slice(c.cue) == ":" && c.source.is_some_and(|s| s.end <= c.cue.start)
}

/// Whether candidate `c` is a signature ("“…” ― Sonya Herridge"): no verb, the name after
/// the quotation it signs.
pub(super) fn is_signature(c: &Candidate) -> bool {
    c.verb.is_none() && c.source.is_some_and(|s| s.start >= c.content.end)
}

/// Whether `src` stands in a speaker's own words `said`: inside its quotation marks, or
/// after a transcript's label (its colon before `said`), where the unlabelled paragraphs
/// that follow are still the labelled speaker's.
pub(super) fn in_own_words(doc: &Document, said: Span, src: Span) -> bool {
    if src.start < said.start {
        return false;
    }
    let before = doc.slice(Span::new(said.start.saturating_sub(3), said.start));
    let quoted = doc.slice(said).starts_with(['“', '«', '"', '„', '‘', '\'']);
    if before.trim_end().ends_with(':') && !quoted {
        return true;
    }
    if src.start >= said.end {
        return false;
    }
    // Quotation marks opened and not closed between the start of `said` and `src`.
    let (mut open, mut straight) = (0i32, false);
    for c in doc.slice(Span::new(said.start, src.start)).chars() {
        match c {
            '“' | '«' | '„' => open += 1,
            '”' | '»' => open -= 1,
            '"' => straight = !straight,
            _ => {}
        }
    }
    open > 0 || straight
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
