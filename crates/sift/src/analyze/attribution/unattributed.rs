//! The narrator's own assertions with no source, ranked.

use crate::document::{Document, Span, TokenKind};
use crate::report::{Attribution, Finding, Severity};

use super::lexicon;
use super::overlap::Overlaps;
use super::rules::Tokens;
use super::MAX_UNATTRIBUTED_FINDINGS;

/// Words that make a narrator's sentence a judgement rather than a plain report.
fn judgement_words() -> &'static lexicon::WordSet {
    static SET: std::sync::OnceLock<lexicon::WordSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        lexicon::WordSet::new(word_list!(include_str!(
            "../../../lexicon/attribution-judgement-words.txt"
        )))
    })
}

/// Words of hedged forecasts: not assertions of fact.
fn hedge_words() -> &'static lexicon::WordSet {
    static SET: std::sync::OnceLock<lexicon::WordSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        lexicon::WordSet::new(word_list!(include_str!(
            "../../../lexicon/attribution-hedge-words.txt"
        )))
    })
}

/// Rank the narrator's own unattributed sentences; return findings for the
/// strongest, and the counts for the profile.
pub(super) fn unattributed(
    doc: &Document,
    toks: &Tokens,
    attributions: &[Attribution],
) -> (Vec<Finding>, usize, usize, usize) {
    let mut scored: Vec<(f64, Span, Vec<&'static str>)> = Vec::new();
    let (judging, hedging) = (judgement_words(), hedge_words());
    let mut factual = 0usize;
    let mut attributed = 0usize;
    let attributed_spans = Overlaps::new(
        attributions
            .iter()
            .flat_map(|a| [a.content, Span::new(a.cue.start, a.cue.end)]),
    );
    // Whether the text is inside quotation marks where each sentence starts: a quote
    // that runs over several sentences ('"It's not easy. It never was," he said') is
    // someone's speech, not the narrator's, in every sentence, not only the last.
    let mut quoted = QuoteState::default();
    let mut paragraph = 0usize;
    for (sent, &(lo, hi)) in doc.sentences.iter().zip(&toks.sentence_tokens) {
        while paragraph < doc.paragraphs.len() && doc.paragraphs[paragraph].end <= sent.start {
            paragraph += 1;
            quoted = QuoteState::default(); // a quote never runs past its paragraph
        }
        let text = doc.slice(*sent);
        let in_quote = quoted.open || starts_with_quote(text);
        quoted.read(text);
        let words = (lo..hi)
            .filter(|&i| doc.tokens[i].kind == TokenKind::Word)
            .count();
        if words < 6 || text.trim_end().ends_with('?') {
            continue;
        }
        factual += 1;
        let covered = in_quote || attributed_spans.any(*sent);
        if covered {
            attributed += 1;
            continue;
        }
        let mut score = 0.0;
        let mut why: Vec<&'static str> = Vec::new();
        // One pass over the sentence for what the score counts.
        let (mut judgement, mut numbers, mut names, mut hedged) = (0usize, 0usize, 0usize, false);
        for i in lo..hi {
            match doc.tokens[i].kind {
                TokenKind::Number => numbers += 1,
                TokenKind::Word => {
                    // Both lists hold words only.
                    let w = &*toks.lower[i];
                    judgement += judging.contains(w) as usize;
                    hedged |= hedging.contains(w);
                    names += (toks.capital[i] && doc.tokens[i].start != sent.start) as usize
                }
                _ => {}
            }
        }
        if judgement > 0 {
            score += 1.5 + 0.5 * (judgement.min(4) as f64);
            why.push("judgement words");
        }
        if numbers > 0 {
            score += 1.0;
            why.push("figures");
        }
        if names > 0 {
            score += 0.5;
        }
        if hedged {
            score -= 1.5;
        }
        // Background: a dated event with no judgement (who met whom, on which day).
        let dated = (lo..hi.min(lo + 4)).any(|i| {
            let w = &*toks.lower[i];
            matches!(w, "on" | "in") || lexicon::is_month(w)
        }) && numbers > 0;
        if dated && judgement == 0 {
            score -= 1.0;
        }
        if score >= 2.0 {
            scored.push((score, *sent, why));
        }
    }
    let total = scored.len();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.start.cmp(&b.1.start)));
    let findings = scored
        .into_iter()
        .take(MAX_UNATTRIBUTED_FINDINGS)
        .map(|(score, span, why)| Finding {
            kind: crate::report::FindingKind::Unattributed,
            code: crate::report::FindingCode::UnattributedAssertion,
            severity: if score >= 3.5 {
                Severity::Medium
            } else {
                Severity::Low
            },
            message: format!(
                "asserted in the narrator's voice with no source ({}; score {score:.1})",
                if why.is_empty() {
                    "names".to_string()
                } else {
                    why.join(", ")
                }
            ),
            evidence: vec![span],
            computation: None,
        })
        .collect();
    (findings, total, factual, attributed)
}

/// Whether a quotation is open after the text read so far.
#[derive(Default)]
struct QuoteState {
    open: bool,
}

impl QuoteState {
    fn read(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '“' | '«' | '„' => self.open = true,
                '”' | '»' => self.open = false,
                '"' => self.open = !self.open,
                _ => {}
            }
        }
    }
}

fn starts_with_quote(text: &str) -> bool {
    text.trim_start().starts_with(['"', '“', '«', '„', '\''])
}
