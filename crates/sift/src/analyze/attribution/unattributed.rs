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

/// Words showing that a sentence reports what someone found, published or said, beyond the
/// reporting verbs the cue tagger knows ("a poll shows", "the memo put it", «по данным»).
fn sourcing_words() -> &'static lexicon::WordSet {
    static SET: std::sync::OnceLock<lexicon::WordSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        lexicon::WordSet::new(word_list!(include_str!(
            "../../../lexicon/attribution-sourcing-words.txt"
        )))
    })
}

/// Whether a cue holds a stance word the tagger may anchor on ("criticized", "refuses")
/// and no reporting verb: PolNeAR's stance, no source of what the sentence asserts.
fn is_stance_only(doc: &Document, toks: &Tokens, cue: Span) -> bool {
    let mut inside = doc.token_range(cue);
    inside.clone().all(|i| toks.cue[i].is_none())
        && inside.any(|i| {
            super::lexicon::is_tagger_anchor(&toks.lower[i]) && toks.lower[i] != "according"
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
    // A stance the tagger read ("He's never criticized the fascist president …") does not
    // source the sentence: its judgement words are still the narrator's.
    let attributed_spans = Overlaps::new(
        attributions
            .iter()
            .filter(|a| !is_stance_only(doc, toks, Span::new(a.cue.start, a.cue.end)))
            .flat_map(|a| [a.content, Span::new(a.cue.start, a.cue.end)]),
    );
    // Whether the text is inside quotation marks where each sentence starts: a quote
    // that runs over several sentences ('"It's not easy. It never was," he said') is
    // someone's speech, not the narrator's, in every sentence, not only the last.
    let mut quoted = QuoteState::default();
    let mut paragraph = 0usize;
    let (mut introduces_quote, mut block_quote_until) = (false, 0usize);
    for (sent, &(lo, hi)) in doc.sentences.iter().zip(&toks.sentence_tokens) {
        while paragraph < doc.paragraphs.len() && doc.paragraphs[paragraph].end <= sent.start {
            paragraph += 1;
            // A quote left open at the end of its paragraph may run on into the next one
            // (a speech of several paragraphs); never further.
            quoted = QuoteState {
                open: quoted.open && !quoted.carried,
                carried: quoted.open,
            };
        }
        let text = doc.slice(*sent);
        // Text introduced by a colon ("he will say:", "explains the passage this way:") is
        // the words of whoever the colon introduces, to the end of that paragraph.
        // So is a paragraph that opens with a speaker's label ("A: No, no one did. ...").
        let paragraph_end = doc.paragraphs.get(paragraph).map_or(sent.end, |p| p.end);
        let opens_paragraph = doc.paragraphs.get(paragraph).is_some_and(|p| {
            p.start >= sent.start || doc.slice(Span::new(p.start, sent.start)).trim().is_empty()
        });
        if introduces_quote || (opens_paragraph && speaker_label(text)) {
            block_quote_until = paragraph_end;
        }
        introduces_quote = text.trim_end().ends_with(':');
        let in_quote = quoted.open
            || sent.start < block_quote_until
            || starts_with_quote(text)
            || quotes_someone(text);
        quoted.read(text);
        let words = (lo..hi)
            .filter(|&i| doc.tokens[i].kind == TokenKind::Word)
            .count();
        if words < 6 || text.trim_end().ends_with('?') {
            continue;
        }
        factual += 1;
        // A reporting verb anywhere in the sentence, even one the tagger did not take as a
        // cue, means someone else's words may be in it; not a capitalised one ("the United
        // States"), which is a name.
        // A Russian sentence may open with its verb of speech and no named subject («Говорят о
        // введении эмбарго…», «Рассуждают о…»): others' words, reported.
        let sourced = (lo..hi).any(|i| {
            let opening_russian_verb =
                doc.tokens[i].start == sent.start && !toks.lower[i].is_ascii();
            (toks.cue[i].is_some() && (!toks.capital[i] || opening_russian_verb))
                || sourcing_words().contains(&toks.lower[i])
        });
        let covered = in_quote || sourced || attributed_spans.any(*sent);
        if covered {
            attributed += 1;
            continue;
        }
        // A headline, a caption, an advertisement or a line of page residue has no closing
        // full stop (or carries a copyright sign); a sentence that starts in lower case or with an ellipsis continues
        // someone's words from the sentence before. Neither is the narrator asserting.
        if !ends_a_sentence(text)
            || continues_another(text)
            || text.contains('©')
            || is_heading(text)
            || speaker_label(text)
        {
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
                    // "most" only as a superlative ("the most important"), not as
                    // a quantity ("most trading").
                    let superlative = w == "most" && i > lo && &*toks.lower[i - 1] == "the";
                    judgement += (judging.contains(w) || superlative) as usize;
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
        // A hedged sentence ("could raise questions") forecasts or speculates; it does not
        // assert a fact a reader could check.
        if hedged {
            continue;
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
    /// The quote was opened in an earlier paragraph.
    carried: bool,
}

impl QuoteState {
    fn read(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '“' | '«' | '„' => (self.open, self.carried) = (true, false),
                '”' | '»' => self.open = false,
                '"' => (self.open, self.carried) = (!self.open, false),
                _ => {}
            }
        }
    }
}

/// Whether the sentence quotes someone's words: a stretch of at least three words inside
/// double quotation marks (four inside «», which also enclose names: «Украина.ру»).
fn quotes_someone(text: &str) -> bool {
    let mut inside: Option<(char, usize)> = None; // (closing mark, words so far)
    let mut previous = ' ';
    for c in text.chars() {
        match inside {
            Some((close, words)) if c == close => {
                let words = words + previous.is_alphanumeric() as usize;
                if words >= if close == '»' { 4 } else { 3 } {
                    return true;
                }
                inside = None;
            }
            Some((close, words)) => {
                let ends_word = c.is_whitespace() && previous.is_alphanumeric();
                inside = Some((close, words + ends_word as usize));
            }
            None => match c {
                '"' => inside = Some(('"', 0)),
                '“' => inside = Some(('”', 0)),
                '«' => inside = Some(('»', 0)),
                _ => {}
            },
        }
        previous = c;
    }
    false
}

/// Whether the sentence ends as written prose does: a full stop, an exclamation mark or an
/// ellipsis, perhaps inside a closing quotation mark or bracket.
fn ends_a_sentence(text: &str) -> bool {
    let end = text
        .trim_end()
        .trim_end_matches(['"', '”', '»', '\'', '’', ')']);
    end.ends_with(['.', '!', '…'])
}

/// Whether the sentence continues another (it starts in lower case or with an ellipsis) or
/// is a post quoted from social media (it starts with a hashtag or a handle).
fn continues_another(text: &str) -> bool {
    let start = text.trim_start();
    start.starts_with(['…', '.', '#', '@']) || start.chars().next().is_some_and(char::is_lowercase)
}

/// A heading that ends in a full stop: written in capitals ("BEST THING THAT HAPPENED TO
/// REPUBLICANS.") or an indirect question ("Why New York is pivotal for Clinton.").
fn is_heading(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic());
    let (mut upper, mut all) = (0usize, 0usize);
    for c in letters {
        upper += c.is_uppercase() as usize;
        all += 1;
    }
    let first = text.split_whitespace().next().unwrap_or("");
    // Title case: "Bernie Sanders Isn’t Too Impressed By The Historic Climate Agreement."
    let long_words: Vec<&str> = text
        .split_whitespace()
        .skip(1)
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
        .filter(|w| w.chars().count() >= 4)
        .collect();
    let capitalised = long_words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    let title_case = long_words.len() >= 4 && capitalised * 10 >= long_words.len() * 9;
    title_case
        || (all >= 10 && upper * 10 >= all * 9)
        || matches!(
            first,
            "Why" | "How" | "What" | "Who" | "Почему" | "Как" | "Что" | "Кто"
        )
}

/// A transcript's speaker label: the sentence opens with a name and a colon ("John Pilger:
/// I have never known anything like it.").
fn speaker_label(text: &str) -> bool {
    let Some((before, _)) = text.split_once(':') else {
        return false;
    };
    let words: Vec<&str> = before.split_whitespace().collect();
    (1..=3).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

fn starts_with_quote(text: &str) -> bool {
    text.trim_start().starts_with(['"', '“', '«', '„', '\''])
}

#[cfg(test)]
mod tests {
    /// The sentences the layer flags as the narrator's unsourced assertions.
    fn flagged(text: &str) -> Vec<String> {
        let report = crate::analyze_text(text);
        report
            .findings
            .iter()
            .filter(|f| f.kind == "unattributed")
            .map(|f| {
                let span = f.evidence[0];
                report
                    .text
                    .chars()
                    .skip(span.start)
                    .take(span.len())
                    .collect()
            })
            .collect()
    }

    const JUDGEMENT: &str = "The reckless plan was clearly a disastrous failure for the city.";

    #[test]
    fn a_narrator_judgement_is_flagged() {
        assert_eq!(flagged(JUDGEMENT), vec![JUDGEMENT.to_string()]);
    }

    // Each case below is a false alarm read in real articles (docs/annotation/attribution.md).
    #[test]
    fn words_after_a_colon_are_the_speaker_s_to_the_end_of_the_paragraph() {
        let text = format!("The scholar explains the passage this way:\n\n{JUDGEMENT}");
        assert!(flagged(&text).is_empty(), "{:?}", flagged(&text));
    }

    #[test]
    fn a_transcript_answer_is_speech() {
        let text = format!("A: No, nobody came. {JUDGEMENT}");
        assert!(flagged(&text).is_empty(), "{:?}", flagged(&text));
        let label = format!("John Pilger: {JUDGEMENT}");
        assert!(flagged(&label).is_empty(), "{:?}", flagged(&label));
    }

    #[test]
    fn a_sentence_that_names_its_evidence_is_sourced() {
        for text in [
            "A new poll shows the reckless plan was clearly a disastrous failure for the city.",
            "The reckless plan was reportedly a disastrous failure for the whole city.",
            "Critics charged that the reckless plan was clearly a disastrous failure.",
        ] {
            assert!(flagged(text).is_empty(), "{text}: {:?}", flagged(text));
        }
    }

    /// A stance the tagger reads ("criticized") keeps the narrator's judgement words his.
    #[test]
    fn a_stance_is_no_source_of_the_narrator_s_judgement() {
        let text = "He has never criticized the fascist president, a disgraceful and \
            shameful failure of leadership.";
        assert_eq!(flagged(text).len(), 1, "{:?}", flagged(text));
    }

    #[test]
    fn a_hedged_sentence_is_not_an_assertion() {
        let text = "The reckless plan could clearly become a disastrous failure for the city.";
        assert!(flagged(text).is_empty(), "{:?}", flagged(text));
    }

    #[test]
    fn a_russian_sentence_that_opens_with_a_verb_of_speech_reports_others() {
        let claim =
            "о чудовищной и позорной ошибке властей Киева, полностью уничтоживших экономику.";
        let own = format!("Речь {claim}");
        assert_eq!(flagged(&own), vec![own.clone()]);
        for text in [format!("Говорят {claim}"), format!("Рассуждают {claim}")] {
            assert!(flagged(&text).is_empty(), "{text}: {:?}", flagged(&text));
        }
    }

    #[test]
    fn headings_captions_and_posts_are_not_assertions() {
        for text in [
            "THE RECKLESS PLAN WAS CLEARLY A DISASTROUS FAILURE FOR THE CITY.",
            "Why the reckless plan was clearly a disastrous failure for the city.",
            "© Press Release The reckless plan was clearly a disastrous failure.",
            "#CBP The reckless plan was clearly a disastrous failure for the city.",
            "The reckless plan was clearly a disastrous failure for the city",
            "Reckless Mayor Clearly Failed The City With His Disastrous Housing Plan.",
        ] {
            assert!(flagged(text).is_empty(), "{text}: {:?}", flagged(text));
        }
    }

    #[test]
    fn a_quote_left_open_runs_on_into_the_next_paragraph_only() {
        let text = format!(
            "\u{201c}We will not stop here, and we will not wait for anyone to help us.\n\n\
             {JUDGEMENT}\n\n{JUDGEMENT}"
        );
        assert_eq!(flagged(&text).len(), 1, "{:?}", flagged(&text));
    }

    #[test]
    fn a_quotation_of_three_words_or_more_makes_the_sentence_someone_s() {
        let text =
            "The plan was clearly a \u{201c}disastrous failure for everyone\u{201d} in the city.";
        assert!(flagged(text).is_empty(), "{:?}", flagged(text));
    }
}
