//! From candidate spans to the spans the report lists: close spans of a sentence
//! joined, the confidence floor, spans of stop words alone dropped, sentence-level
//! techniques widened to their sentence.

use std::collections::HashMap;

use super::argmax;
use super::features::{self, DocContext};
use super::model::{SpanGuess, TechniqueModel};
use super::tagging::{is_edge_punctuation, trim_edges};
use crate::document::TokenKind;

impl TechniqueModel {
    /// The spans [`detect`] reports: [`TechniqueModel::find_spans`] at or above the
    /// model's `min_confidence`, with their best technique and confidence.
    pub fn reported_spans(&self, ctx: &DocContext) -> Vec<(SpanGuess, usize, f32)> {
        self.report(ctx, self.find_spans(ctx))
    }

    /// What [`Self::reported_spans`] makes of the candidate spans `guesses` (from
    /// [`Self::find_spans`]): close ones joined (`header.merge_gap`), those at or above
    /// the confidence floor kept (a joined span has its best part's confidence),
    /// sentence-level techniques widened (`header.sentence_labels`).
    pub fn report(
        &self,
        ctx: &DocContext,
        guesses: Vec<SpanGuess>,
    ) -> Vec<(SpanGuess, usize, f32)> {
        let spans: Vec<(SpanGuess, usize, f32)> = guesses
            .into_iter()
            .map(|guess| {
                let (best, p) = argmax(&guess.label_probs);
                let confidence = guess.strength * p;
                (guess, best, confidence)
            })
            .collect();
        let mut spans = self.join_close(ctx, spans, self.header.merge_gap);
        // "our", "all", "very" alone are no highlight (15 % of such spans hit a gold
        // span in cross-validation).
        spans.retain(|(g, _, confidence)| {
            *confidence >= self.header.min_confidence
                && (g.lo..g.hi).any(|t| {
                    ctx.doc.tokens[t].kind == TokenKind::Word && !features::is_stop_word(ctx, t)
                })
        });
        let mut spans = self.widen_to_sentences(ctx, spans, &self.header.sentence_labels);
        spans.retain(|(g, _, _)| {
            (g.hi - g.lo > 1 || is_loaded_word(ctx, g.lo)) && !is_bare_name(ctx, g.lo, g.hi)
        });
        spans
    }

    /// Spans of one sentence at most `gap` words apart (or overlapping) joined into
    /// one, classified again; its confidence is the best of its parts'.
    pub fn join_close(
        &self,
        ctx: &DocContext,
        spans: Vec<(SpanGuess, usize, f32)>,
        gap: usize,
    ) -> Vec<(SpanGuess, usize, f32)> {
        if gap == 0 || spans.len() < 2 {
            return spans;
        }
        let words_between = |a: usize, b: usize| {
            (a..b)
                .filter(|&t| matches!(ctx.doc.tokens[t].kind, TokenKind::Word | TokenKind::Number))
                .count()
        };
        let mut out: Vec<(SpanGuess, usize, f32)> = Vec::with_capacity(spans.len());
        let mut joined: Vec<bool> = Vec::new();
        for (guess, best, confidence) in spans {
            if let Some((last, _, last_confidence)) = out.last_mut() {
                let close = guess.lo < last.hi
                    || (ctx.sentence[guess.lo] == ctx.sentence[last.hi - 1]
                        && ctx.sentence[guess.lo] != usize::MAX
                        && words_between(last.hi, guess.lo) <= gap);
                if close {
                    last.hi = last.hi.max(guess.hi);
                    last.strength = last.strength.max(guess.strength);
                    *last_confidence = last_confidence.max(confidence);
                    *joined.last_mut().unwrap() = true;
                    continue;
                }
            }
            out.push((guess, best, confidence));
            joined.push(false);
        }
        for ((guess, best, _), joined) in out.iter_mut().zip(joined) {
            if joined {
                guess.label_probs = self.classify(ctx, guess.lo, guess.hi);
                *best = argmax(&guess.label_probs).0;
            }
        }
        out
    }

    /// Spans whose technique is one of `labels` widened to their sentence (edge
    /// punctuation left out); a sentence is reported once per technique.
    pub fn widen_to_sentences(
        &self,
        ctx: &DocContext,
        spans: Vec<(SpanGuess, usize, f32)>,
        labels: &[bool],
    ) -> Vec<(SpanGuess, usize, f32)> {
        if !labels.iter().any(|&b| b) {
            return spans;
        }
        let mut out: Vec<(SpanGuess, usize, f32)> = Vec::with_capacity(spans.len());
        // (lo, hi, technique) → index in `out` of the first span kept with them.
        let mut first_same: HashMap<(usize, usize, usize), usize> = HashMap::new();
        for (mut guess, best, confidence) in spans {
            let s = ctx.sentence[guess.lo];
            let widen = labels.get(best).copied().unwrap_or(false) && s != usize::MAX;
            if widen {
                let (lo, hi) = ctx.sentence_tokens[s];
                let (lo, hi) = trim_edges(lo, hi, |t| is_edge_punctuation(ctx, t));
                if lo < hi {
                    guess.lo = guess.lo.min(lo);
                    guess.hi = guess.hi.max(hi);
                }
            }
            // A widened span already kept (widened or not) with the same bounds and
            // technique takes the better confidence instead of a second entry.
            let key = (guess.lo, guess.hi, best);
            match first_same.get(&key).filter(|_| widen) {
                Some(&kept) => out[kept].2 = out[kept].2.max(confidence),
                None => {
                    first_same.entry(key).or_insert(out.len());
                    out.push((guess, best, confidence));
                }
            }
        }
        out.sort_by_key(|(g, _, _)| (g.lo, g.hi));
        out
    }
}

/// Whether a one-word span may stand alone: the word is in a cue lexicon of loaded,
/// superlative, name-calling or villain words. Hand-read one-word spans were mostly
/// ordinary words ("nearly", "night", "prepared", "voters") or names ("UK's"): a word
/// alone is a highlight only when it is loaded in itself.
fn is_loaded_word(ctx: &DocContext, t: usize) -> bool {
    let alone = features::STRONG_CUES & !(1 << features::Cue::Nation as u32);
    ctx.cues[t] & alone != 0
}

/// The longest sentence, in tokens, that [`is_bare_name`] considers as a headline.
const HEADLINE_TOKENS: usize = 64;

/// Whether the tokens `[lo, hi)` are a name and nothing else: one to four words, every
/// one capitalised or a short acronym ("Donald Trump", "UK's", "NATO", "Госдума США"), the
/// first not the sentence's first word and the sentence not a title-case headline (where
/// capitals say nothing), none of them a loaded or name-calling cue word. A
/// name is who or what a sentence is about, not the technique it uses (hand-read: Name_Calling
/// on "UK's", Flag_Waving on "NATO").
fn is_bare_name(ctx: &DocContext, lo: usize, hi: usize) -> bool {
    let tokens = &ctx.doc.tokens;
    let words: Vec<usize> = (lo..hi)
        .filter(|&t| tokens[t].kind == TokenKind::Word)
        .collect();
    let Some(&first) = words.first() else {
        return false;
    };
    let sentence = ctx.sentence[first];
    let sentence_start = sentence != usize::MAX
        && (ctx.sentence_tokens[sentence].0..first).all(|t| tokens[t].kind != TokenKind::Word);
    // In a title-case line (a headline: no content word in lower case) capitals say
    // nothing either. Headlines are short: a sentence of more than HEADLINE_TOKENS tokens
    // is not scanned (a span's check stays bounded however long its sentence).
    let title_case = sentence != usize::MAX && {
        let (a, b) = ctx.sentence_tokens[sentence];
        b - a <= HEADLINE_TOKENS && {
            let content: Vec<usize> = (a..b)
                .filter(|&t| tokens[t].kind == TokenKind::Word && !ctx.function_word[t])
                .collect();
            content.len() >= 2 && content.iter().all(|&t| ctx.shape[t] != 10)
        }
    };
    let loaded = features::STRONG_CUES & !(1 << features::Cue::Nation as u32);
    // A name is capitalised, or an acronym of a few letters ("NATO", "ФСБ"); a long
    // word in capitals is shouting ("TRAITORS"), a slogan in capitals no name.
    let name_like = |t: usize| match ctx.shape[t] {
        9 => true,
        8 => ctx.doc.slice(tokens[t].span()).chars().count() <= 5,
        _ => matches!(ctx.doc.slice(tokens[t].span()), "s" | "'s" | "’s"),
    };
    !sentence_start
        && !title_case
        && words.len() <= 4
        && words
            .iter()
            .all(|&t| name_like(t) && ctx.cues[t] & loaded == 0)
        && (lo..hi).all(|t| {
            matches!(tokens[t].kind, TokenKind::Word)
                || matches!(ctx.doc.slice(tokens[t].span()), "'" | "’" | "-" | "." | "&")
        })
}

#[cfg(test)]
mod tests {
    use super::super::labels::SEMEVAL23_TECHNIQUES;
    use super::super::shipped_model;
    use super::*;
    use crate::document::{Document, Span};

    /// Token index of the word `w` in `doc` (first occurrence).
    fn token_of(doc: &Document, w: &str) -> usize {
        doc.tokens
            .iter()
            .position(|t| doc.slice(t.span()) == w)
            .unwrap_or_else(|| panic!("no token {w}"))
    }

    fn guess(model: &TechniqueModel, lo: usize, hi: usize, label: usize) -> SpanGuess {
        let mut label_probs = vec![0.0; model.header.labels.len()];
        label_probs[label] = 0.9;
        SpanGuess {
            lo,
            hi,
            strength: 0.8,
            label_probs,
        }
    }

    fn label(name: &str) -> usize {
        SEMEVAL23_TECHNIQUES
            .iter()
            .position(|l| *l == name)
            .unwrap()
    }

    #[test]
    fn close_spans_of_one_sentence_are_joined_and_others_are_not() {
        let model = shipped_model().unwrap();
        let doc = Document::from_text(
            "The corrupt and treasonous thugs ruined the town. Corrupt officials fled.",
        );
        let ctx = DocContext::new(&doc);
        let loaded = label("Loaded_Language");
        let (corrupt, thugs) = (token_of(&doc, "corrupt"), token_of(&doc, "thugs"));
        let officials = token_of(&doc, "officials");
        let spans = || {
            vec![
                (guess(model, corrupt, corrupt + 1, loaded), loaded, 0.3),
                (guess(model, thugs, thugs + 1, loaded), loaded, 0.6),
                (guess(model, officials, officials + 1, loaded), loaded, 0.4),
            ]
        };
        // "and treasonous" (two words) lies between "corrupt" and "thugs".
        let lone = model.join_close(&ctx, spans(), 1);
        assert_eq!(lone.len(), 3);
        let joined = model.join_close(&ctx, spans(), 2);
        let ranges: Vec<(usize, usize)> = joined.iter().map(|(g, _, _)| (g.lo, g.hi)).collect();
        // The next sentence's span stays apart however wide the gap.
        assert_eq!(ranges, [(corrupt, thugs + 1), (officials, officials + 1)]);
        assert_eq!(
            joined[0].2, 0.6,
            "a joined span keeps its best part's confidence"
        );
        assert_eq!(model.join_close(&ctx, spans(), 0).len(), 3);
    }

    #[test]
    fn sentence_level_techniques_are_widened_to_their_sentence_once() {
        let model = shipped_model().unwrap();
        let doc = Document::from_text(
            "Nobody knows whether the minister ever told the truth about it. It rained.",
        );
        let ctx = DocContext::new(&doc);
        let doubt = label("Doubt");
        let loaded = label("Loaded_Language");
        let (whether, truth) = (token_of(&doc, "whether"), token_of(&doc, "truth"));
        let mut labels = vec![false; SEMEVAL23_TECHNIQUES.len()];
        labels[doubt] = true;
        let spans = vec![
            (guess(model, whether, whether + 1, doubt), doubt, 0.3),
            (guess(model, truth, truth + 1, doubt), doubt, 0.5),
            (guess(model, truth, truth + 1, loaded), loaded, 0.2),
        ];
        let widened = model.widen_to_sentences(&ctx, spans, &labels);
        let texts: Vec<(&str, usize, f32)> = widened
            .iter()
            .map(|(g, l, c)| {
                let span = Span::new(doc.tokens[g.lo].start, doc.tokens[g.hi - 1].end);
                (doc.slice(span), *l, *c)
            })
            .collect();
        assert_eq!(
            texts,
            [
                (
                    "Nobody knows whether the minister ever told the truth about it",
                    doubt,
                    0.5
                ),
                ("truth", loaded, 0.2),
            ]
        );
    }

    #[test]
    fn reported_spans_of_stop_words_alone_are_dropped() {
        let mut model = shipped_model().unwrap().clone();
        model.header.min_confidence = 0.0;
        model.header.merge_gap = 0;
        model.header.sentence_labels.clear();
        let doc = Document::from_text("All of our glorious heroes came home.");
        let ctx = DocContext::new(&doc);
        let loaded = label("Loaded_Language");
        let (our, glorious) = (token_of(&doc, "our"), token_of(&doc, "glorious"));
        let reported = model.report(
            &ctx,
            vec![
                guess(&model, 0, 1, loaded),
                guess(&model, our, our + 1, loaded),
                guess(&model, our, glorious + 1, loaded),
            ],
        );
        let ranges: Vec<(usize, usize)> = reported.iter().map(|(g, _, _)| (g.lo, g.hi)).collect();
        assert_eq!(ranges, [(our, glorious + 1)]);
    }

    #[test]
    fn spans_of_a_bare_name_are_dropped() {
        let mut model = shipped_model().unwrap().clone();
        model.header.min_confidence = 0.0;
        model.header.merge_gap = 0;
        model.header.sentence_labels.clear();
        let doc = Document::from_text(
            "Yesterday Donald Trump met the corrupt Joe Biden. Traitors met NATO chief. \
             They chanted MAKE AMERICA GREAT AGAIN.\n\nWhy Trump Fears Hillary Clinton Most",
        );
        let ctx = DocContext::new(&doc);
        let name_calling = label("Name_Calling-Labeling");
        let (donald, corrupt) = (token_of(&doc, "Donald"), token_of(&doc, "corrupt"));
        let (traitors, nato) = (token_of(&doc, "Traitors"), token_of(&doc, "NATO"));
        let (make, fears) = (token_of(&doc, "MAKE"), token_of(&doc, "Fears"));
        let reported = model.report(
            &ctx,
            vec![
                guess(&model, donald, donald + 2, name_calling),
                guess(&model, corrupt, corrupt + 3, name_calling),
                guess(&model, traitors, traitors + 2, name_calling),
                guess(&model, nato, token_of(&doc, "chief"), name_calling),
                guess(&model, make, make + 4, name_calling),
                guess(&model, fears, fears + 3, name_calling),
            ],
        );
        let kept: Vec<&str> = reported
            .iter()
            .map(|(g, _, _)| doc.slice(Span::new(doc.tokens[g.lo].start, doc.tokens[g.hi - 1].end)))
            .collect();
        // A name alone goes; a name with a loaded word stays, and so do a
        // sentence-initial capitalised word, a slogan in capitals and a stretch of a
        // title-case headline (capitals say nothing there).
        assert_eq!(
            kept,
            [
                "corrupt Joe Biden",
                "Traitors met",
                "MAKE AMERICA GREAT AGAIN",
                "Fears Hillary Clinton"
            ]
        );
    }

    #[test]
    fn spans_of_pronouns_alone_are_dropped_in_russian_too() {
        // Hand-read false alarm (docs/annotation/techniques-handread.tsv, ru article2433):
        // Loaded_Language on «нас что-то».
        let mut model = shipped_model().unwrap().clone();
        model.header.min_confidence = 0.0;
        model.header.merge_gap = 0;
        model.header.sentence_labels.clear();
        let doc = Document::from_text("Маловероятно, что нас что-то остановит у границы.");
        let ctx = DocContext::new(&doc);
        let loaded = label("Loaded_Language");
        let nas = token_of(&doc, "нас");
        let stop = token_of(&doc, "остановит");
        let reported = model.report(
            &ctx,
            vec![
                guess(&model, nas, stop, loaded),
                guess(&model, nas, stop + 1, loaded),
            ],
        );
        let ranges: Vec<(usize, usize)> = reported.iter().map(|(g, _, _)| (g.lo, g.hi)).collect();
        assert_eq!(ranges, [(nas, stop + 1)]);
    }

    #[test]
    fn one_word_spans_stay_only_when_the_word_is_loaded() {
        let mut model = shipped_model().unwrap().clone();
        model.header.min_confidence = 0.0;
        model.header.merge_gap = 0;
        model.header.sentence_labels.clear();
        let doc = Document::from_text("The UK voters met at night in a shameful meeting.");
        let ctx = DocContext::new(&doc);
        let loaded = label("Loaded_Language");
        let words = ["UK", "voters", "night", "shameful"].map(|w| token_of(&doc, w));
        let reported = model.report(
            &ctx,
            words
                .iter()
                .map(|&t| guess(&model, t, t + 1, loaded))
                .collect(),
        );
        let kept: Vec<&str> = reported
            .iter()
            .map(|(g, _, _)| doc.slice(doc.tokens[g.lo].span()))
            .collect();
        assert_eq!(kept, ["shameful"]);
    }
}
