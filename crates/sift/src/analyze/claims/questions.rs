//! The yes/no questions asked of every sentence (after Full Fact's PASTEL): each
//! answer is a model feature and, when it raised the score, part of the claim's
//! explanation. Answers come from the layers that ran before (quantities, entities,
//! attributions, techniques) and from cue phrases in `lexicon/claims-cues.tsv`,
//! English and Russian, so the same questions hold across languages.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::document::{Document, Span, TokenKind};
use crate::lexicon;
use crate::report::{AttributionKind, ClaimFeature, EntityKind, Report};

/// Every question, in a fixed order (a feature's bit is its index here).
pub const ALL: [ClaimFeature; 19] = [
    ClaimFeature::Number,
    ClaimFeature::Date,
    ClaimFeature::NamedEntity,
    ClaimFeature::Attributed,
    ClaimFeature::DirectQuote,
    ClaimFeature::Comparison,
    ClaimFeature::Causal,
    ClaimFeature::Prediction,
    ClaimFeature::Capability,
    ClaimFeature::Policy,
    ClaimFeature::Absolute,
    ClaimFeature::EventVerb,
    ClaimFeature::Opinion,
    ClaimFeature::FirstPerson,
    ClaimFeature::SecondPerson,
    ClaimFeature::Hedge,
    ClaimFeature::Question,
    ClaimFeature::Persuasion,
    ClaimFeature::Short,
];

/// Sentences with fewer words than this are `Short`.
const SHORT_WORDS: usize = 8;

/// The answers for one sentence, and the report items inside it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    yes: u32,
    pub quantities: Vec<usize>,
    pub entities: Vec<usize>,
    pub attributions: Vec<usize>,
    /// The named speaker of the first attribution covering the sentence.
    pub speaker: Option<String>,
}

impl Answers {
    pub fn has(&self, feature: ClaimFeature) -> bool {
        self.yes & bit(feature) != 0
    }
    fn set(&mut self, feature: ClaimFeature) {
        self.yes |= bit(feature);
    }
    /// The questions answered "yes", in [`ALL`] order.
    pub fn yes(&self) -> impl Iterator<Item = ClaimFeature> + '_ {
        ALL.iter().copied().filter(|&f| self.has(f))
    }
}

/// The bit of a feature in [`Answers`].
fn bit(feature: ClaimFeature) -> u32 {
    1 << index(feature)
}

/// A feature's position in [`ALL`].
pub fn index(feature: ClaimFeature) -> usize {
    ALL.iter().position(|&f| f == feature).unwrap_or(0)
}

/// The cue language of a document: Russian cues for Russian, English otherwise.
pub fn cue_language(doc: &Document) -> &'static str {
    if doc.language.is_russian() {
        "ru"
    } else {
        "en"
    }
}

/// Ask every question of `span`.
pub fn answer(doc: &Document, report: &Report, span: Span) -> Answers {
    let mut answers = Answers::default();
    report_signals(report, span, &mut answers);
    finish(doc, span, answers)
}

/// [`answer`] for sentence `k` of `doc`, the earlier layers' items looked up in
/// `index` (built once per document) instead of scanned per sentence.
pub fn answer_sentence(
    doc: &Document,
    report: &Report,
    index: &SentenceIndex,
    k: usize,
) -> Answers {
    let span = doc.sentences[k];
    let mut answers = Answers::default();
    match index {
        SentenceIndex::PerSentence {
            quantities,
            entities,
            attributions,
            persuasion,
        } => signals_of(
            report,
            quantities[k].iter().copied(),
            entities[k].iter().copied(),
            attributions[k].iter().copied(),
            persuasion[k],
            &mut answers,
        ),
        SentenceIndex::Scan => report_signals(report, span, &mut answers),
    }
    finish(doc, span, answers)
}

/// For each sentence of a document, the items of the earlier layers that
/// [`answer`] would find in it: quantities and entities inside it, attributions
/// whose content overlaps it, whether a technique overlaps it. Each item visits
/// only the sentences around it, so building it is linear in the items (and in
/// what the claims list); asking per sentence was quadratic.
pub enum SentenceIndex {
    /// Per sentence, indices into `report.quantities`, `entities`, `attributions`
    /// (ascending) and whether a technique overlaps it.
    PerSentence {
        quantities: Vec<Vec<usize>>,
        entities: Vec<Vec<usize>>,
        attributions: Vec<Vec<usize>>,
        persuasion: Vec<bool>,
    },
    /// Sentences out of order (never from [`Document::build`]): scan per sentence.
    Scan,
}

impl SentenceIndex {
    pub fn new(doc: &Document, report: &Report) -> SentenceIndex {
        let sentences = &doc.sentences;
        let ordered = sentences
            .windows(2)
            .all(|w| w[0].start <= w[1].start && w[0].end <= w[1].end);
        if !ordered {
            return SentenceIndex::Scan;
        }
        // The sentences that may contain or overlap `item`, in order; the caller
        // checks its own relation.
        let around = |item: Span| {
            let from = sentences.partition_point(|s| s.end < item.start);
            (from..sentences.len()).take_while(move |&k| sentences[k].start <= item.end)
        };
        let per_sentence = |items: Vec<Span>, keep: fn(Span, Span) -> bool| {
            let mut lists = vec![Vec::new(); sentences.len()];
            for (i, item) in items.into_iter().enumerate() {
                for k in around(item) {
                    if keep(item, sentences[k]) {
                        lists[k].push(i);
                    }
                }
            }
            lists
        };
        let inside = |item: Span, sentence: Span| sentence.contains(item);
        let overlaps = |item: Span, sentence: Span| item.overlaps(sentence);
        let quantities = per_sentence(
            report
                .quantities
                .iter()
                .map(|q| Span::new(q.start, q.end))
                .collect(),
            inside,
        );
        let entities = per_sentence(
            report
                .entities
                .iter()
                .map(|e| Span::new(e.start, e.end))
                .collect(),
            inside,
        );
        let attributions = per_sentence(
            report.attributions.iter().map(|a| a.content).collect(),
            overlaps,
        );
        let techniques = per_sentence(
            report
                .techniques
                .iter()
                .map(|t| Span::new(t.start, t.end))
                .collect(),
            overlaps,
        );
        SentenceIndex::PerSentence {
            quantities,
            entities,
            attributions,
            persuasion: techniques.iter().map(|t| !t.is_empty()).collect(),
        }
    }
}

/// The questions that do not depend on the earlier layers.
fn finish(doc: &Document, span: Span, mut answers: Answers) -> Answers {
    cue_signals(doc, span, &mut answers);
    let words = doc
        .tokens_in(span)
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .count();
    if words < SHORT_WORDS {
        answers.set(ClaimFeature::Short);
    }
    if doc.slice(span).trim_end().ends_with('?') {
        answers.set(ClaimFeature::Question);
    }
    answers
}

/// Questions the earlier layers answer: numbers, names, sources, techniques.
fn report_signals(report: &Report, span: Span, answers: &mut Answers) {
    let inside = |start: usize, end: usize| span.contains(Span::new(start, end));
    signals_of(
        report,
        (0..report.quantities.len())
            .filter(|&i| inside(report.quantities[i].start, report.quantities[i].end)),
        (0..report.entities.len())
            .filter(|&i| inside(report.entities[i].start, report.entities[i].end)),
        (0..report.attributions.len()).filter(|&i| report.attributions[i].content.overlaps(span)),
        report
            .techniques
            .iter()
            .any(|t| Span::new(t.start, t.end).overlaps(span)),
        answers,
    );
}

/// The answers from the items of the earlier layers found in a sentence (indices,
/// ascending; whether a technique overlaps it).
fn signals_of(
    report: &Report,
    quantities: impl Iterator<Item = usize>,
    entities: impl Iterator<Item = usize>,
    attributions: impl Iterator<Item = usize>,
    persuasion: bool,
    answers: &mut Answers,
) {
    for i in quantities {
        answers.quantities.push(i);
        let dated = matches!(report.quantities[i].dimension.as_str(), "date" | "time");
        answers.set(if dated {
            ClaimFeature::Date
        } else {
            ClaimFeature::Number
        });
    }
    for i in entities {
        answers.entities.push(i);
        match report.entities[i].kind {
            EntityKind::Date => answers.set(ClaimFeature::Date),
            EntityKind::Misc => {}
            _ => answers.set(ClaimFeature::NamedEntity),
        }
    }
    for i in attributions {
        let a = &report.attributions[i];
        answers.attributions.push(i);
        answers.set(ClaimFeature::Attributed);
        if a.kind == AttributionKind::Direct {
            answers.set(ClaimFeature::DirectQuote);
        }
        if answers.speaker.is_none() {
            answers.speaker = a.speaker.clone();
        }
    }
    if persuasion {
        answers.set(ClaimFeature::Persuasion);
    }
}

/// One word of a cue: the exact word, or a prefix (`*` in the list).
#[derive(Debug, Clone, PartialEq)]
enum CueWord {
    Exact(&'static str),
    Prefix(&'static str),
}

impl CueWord {
    fn parse(word: &'static str) -> CueWord {
        match word.strip_suffix('*') {
            Some(prefix) => CueWord::Prefix(prefix),
            None => CueWord::Exact(word),
        }
    }
    fn matches(&self, word: &str) -> bool {
        match self {
            CueWord::Exact(w) => *w == word,
            CueWord::Prefix(p) => word.starts_with(p),
        }
    }
}

/// A cue phrase and the question it answers.
struct Cue {
    feature: ClaimFeature,
    words: Vec<CueWord>,
}

/// The cues of one language, indexed by their first word.
#[derive(Default)]
struct CueIndex {
    by_first_word: FxHashMap<&'static str, Vec<Cue>>,
    by_first_prefix: Vec<(&'static str, Cue)>,
}

fn feature_named(name: &str) -> ClaimFeature {
    let quoted = format!("\"{name}\"");
    serde_json::from_str(&quoted)
        .unwrap_or_else(|_| panic!("lexicon claims-cues: unknown question {name:?}"))
}

/// The cue lists (`lexicon/claims-cues.tsv`), parsed once: `(english, russian)`.
fn cues(language: &str) -> &'static CueIndex {
    static CUES: OnceLock<(CueIndex, CueIndex)> = OnceLock::new();
    let (en, ru) = CUES.get_or_init(|| {
        let text = include_str!("../../../lexicon/claims-cues.tsv");
        let mut en = CueIndex::default();
        let mut ru = CueIndex::default();
        for row in lexicon::rows("claims-cues", text, 3) {
            let index = if row[1] == "ru" { &mut ru } else { &mut en };
            let words: Vec<CueWord> = row[2].split_whitespace().map(CueWord::parse).collect();
            let cue = Cue {
                feature: feature_named(row[0]),
                words,
            };
            match cue.words[0] {
                CueWord::Exact(w) => index.by_first_word.entry(w).or_default().push(cue),
                CueWord::Prefix(p) => index.by_first_prefix.push((p, cue)),
            }
        }
        (en, ru)
    });
    if language == "ru" {
        ru
    } else {
        en
    }
}

/// Questions answered by cue phrases: one pass over the sentence's words.
fn cue_signals(doc: &Document, span: Span, answers: &mut Answers) {
    let index = cues(cue_language(doc));
    let words: Vec<_> = doc
        .tokens_in(span)
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| doc.lower_of(t.span()))
        .collect();
    let fits = |cue: &Cue, at: usize| {
        cue.words.len() <= words.len() - at
            && cue.words[1..]
                .iter()
                .zip(&words[at + 1..])
                .all(|(c, w)| c.matches(w))
    };
    for (at, word) in words.iter().enumerate() {
        let word: &str = word;
        if let Some(list) = index.by_first_word.get(word) {
            for cue in list.iter().filter(|c| fits(c, at)) {
                answers.set(cue.feature);
            }
        }
        for (prefix, cue) in &index.by_first_prefix {
            if word.starts_with(prefix) && fits(cue, at) {
                answers.set(cue.feature);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_index_answers_as_the_scan_does() {
        for example in ["missile-test.txt", "zapusk.txt"] {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/");
            let text = std::fs::read_to_string(format!("{path}{example}")).unwrap();
            let doc = Document::from_text(&text);
            let report = crate::pipeline::Pipeline::without(&["claims"])
                .unwrap()
                .analyze(&doc);
            assert!(!report.attributions.is_empty() && !report.quantities.is_empty());
            let index = SentenceIndex::new(&doc, &report);
            assert!(matches!(index, SentenceIndex::PerSentence { .. }));
            for (k, &span) in doc.sentences.iter().enumerate() {
                assert_eq!(
                    answer_sentence(&doc, &report, &index, k),
                    answer(&doc, &report, span),
                    "{example}: {:?}",
                    doc.slice(span)
                );
            }
        }
    }

    fn ask(text: &str) -> Vec<ClaimFeature> {
        let doc = Document::from_text(text);
        let report = crate::pipeline::Pipeline::without(&["claims"])
            .unwrap()
            .analyze(&doc);
        let span = Span::new(0, doc.len_chars());
        answer(&doc, &report, span).yes().collect()
    }

    #[test]
    fn numbers_comparisons_and_capability_are_found() {
        let yes = ask("The missile is able to fly more than 14,000 kilometers.");
        assert!(yes.contains(&ClaimFeature::Number), "{yes:?}");
        assert!(yes.contains(&ClaimFeature::Comparison), "{yes:?}");
        assert!(yes.contains(&ClaimFeature::Capability), "{yes:?}");
        assert!(!yes.contains(&ClaimFeature::FirstPerson), "{yes:?}");
    }

    #[test]
    fn russian_cues_match_by_prefix() {
        let yes = ask("Правительство планирует сократить налоги, потому что бюджет вырос.");
        for f in [
            ClaimFeature::Prediction,
            ClaimFeature::Policy,
            ClaimFeature::Causal,
        ] {
            assert!(yes.contains(&f), "{f:?} missing in {yes:?}");
        }
    }

    #[test]
    fn opinions_in_the_first_person_are_marked() {
        let yes = ask("I think we should thank everyone here tonight?");
        for f in [
            ClaimFeature::Opinion,
            ClaimFeature::FirstPerson,
            ClaimFeature::Question,
        ] {
            assert!(yes.contains(&f), "{f:?} missing in {yes:?}");
        }
    }

    #[test]
    fn every_cue_names_a_known_question() {
        assert!(!cues("en").by_first_word.is_empty());
        assert!(!cues("ru").by_first_prefix.is_empty());
    }
}
