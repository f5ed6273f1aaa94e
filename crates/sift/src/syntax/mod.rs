//! Syntax: per word its lemma, UPOS, morphological features, head and dependency
//! relation, for English and Russian, from models trained here on Universal
//! Dependencies (`sift train syntax`).
//!
//! Other layers read it through [`Document::syntax`](crate::Document::syntax), computed
//! on first use and cached in the document; nobody pays for it unless asked. Words
//! follow the treebanks' tokenisation ([`words`]): a document token can be several
//! words (English `do|n't`), each word's `span` is a char span into `Document::text`.
//!
//! Pipeline per sentence: joint UPOS+FEATS averaged-perceptron tagger ([`tagger`]),
//! dictionary + edit-script lemmatiser ([`lemma`]), greedy arc-hybrid parser with a
//! dynamic oracle ([`parser`], trained in `train.rs`). Model files: [`model`].

// CoNLL-U reading/writing and Syntax → CoNLL-U: only the trainers and evaluators use them.
#[cfg(feature = "train")]
pub mod conllu;
pub mod lemma;
pub mod lexicon;
pub mod model;
#[cfg(feature = "train")]
pub mod output;
pub mod parser;
pub mod perceptron;
pub mod tagger;
pub mod tags;
#[cfg(feature = "train")]
pub mod train;
pub mod words;

use std::ops::Range;
use std::sync::OnceLock;

use crate::document::{Document, Span};
pub use model::SyntaxModel;
pub use tags::{
    Animacy, Aspect, Case, Deprel, Feats, Gender, Mood, Number, Person, Tense, Upos, VerbForm,
    Voice,
};
pub use words::SyntaxLanguage;

/// One syntactic word.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxWord {
    /// Char span in `Document::text`.
    pub span: Span,
    /// Lemma.
    pub lemma: String,
    /// Universal part of speech.
    pub upos: Upos,
    /// Morphological features.
    pub feats: Feats,
    /// Index of the head in [`Syntax::words`]; `None` for the sentence root.
    pub head: Option<usize>,
    /// Universal relation to the head (`Root` for the root).
    pub deprel: Deprel,
    /// The full relation label with its subtype (`nsubj:pass`, `obl:tmod`).
    pub relation: &'static str,
}

/// The syntax of a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Syntax {
    /// Every word, in text order.
    pub words: Vec<SyntaxWord>,
    /// Per `Document::sentences[i]`, the range of its words in `words`.
    pub sentences: Vec<Range<usize>>,
    /// Why some sentences have no words (a model that failed to load).
    pub warnings: Vec<String>,
}

impl Syntax {
    /// Indices of the words inside `span`.
    pub fn word_range(&self, span: Span) -> Range<usize> {
        let lo = self.words.partition_point(|w| w.span.end <= span.start);
        let hi = self.words.partition_point(|w| w.span.start < span.end);
        lo..hi.max(lo)
    }

    /// The words inside `span`.
    pub fn words_in(&self, span: Span) -> &[SyntaxWord] {
        &self.words[self.word_range(span)]
    }

    /// Index of the word containing char `c`.
    pub fn word_at(&self, c: usize) -> Option<usize> {
        let i = self.words.partition_point(|w| w.span.end <= c);
        (i < self.words.len() && self.words[i].span.start <= c).then_some(i)
    }

    /// Index of the sentence (in `Document::sentences`) of word `i`.
    pub fn sentence_of(&self, i: usize) -> Option<usize> {
        let k = self.sentences.partition_point(|r| r.end <= i);
        (k < self.sentences.len() && self.sentences[k].contains(&i)).then_some(k)
    }

    /// Indices of the dependents of word `i`, in text order.
    pub fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let range = self
            .sentence_of(i)
            .map_or(0..0, |k| self.sentences[k].clone());
        range.filter(move |&d| self.words[d].head == Some(i))
    }
}

/// The embedded model for `language`, loaded once, or why it failed.
pub fn model(language: SyntaxLanguage) -> Result<&'static SyntaxModel, &'static str> {
    static EN: OnceLock<Result<SyntaxModel, String>> = OnceLock::new();
    static RU: OnceLock<Result<SyntaxModel, String>> = OnceLock::new();
    let (cell, bytes, name): (_, &[u8], _) = match language {
        SyntaxLanguage::English => (&EN, include_bytes!("../../models/syntax-en.bin"), "en"),
        SyntaxLanguage::Russian => (&RU, include_bytes!("../../models/syntax-ru.bin"), "ru"),
    };
    cell.get_or_init(|| {
        let model = SyntaxModel::from_bytes(bytes)
            .map_err(|e| format!("syntax: models/syntax-{name}.bin failed to load ({e})"));
        crate::embedded::release_pages(bytes);
        model
    })
    .as_ref()
    .map_err(String::as_str)
}

/// Analyse every sentence of `doc` with the embedded models.
pub fn analyze(doc: &Document) -> Syntax {
    analyze_with(doc, &|language| model(language).map_err(str::to_string))
}

/// Analyse every sentence of `doc` with the models `models` gives.
pub fn analyze_with(
    doc: &Document,
    models: &dyn Fn(SyntaxLanguage) -> Result<&'static SyntaxModel, String>,
) -> Syntax {
    let mut out = Syntax::default();
    for &sentence in &doc.sentences {
        let start = out.words.len();
        let language = words::sentence_language(doc, sentence);
        let spans = words::sentence_words(doc, sentence, language);
        match models(language) {
            Ok(m) => push_sentence(doc, m, &spans, &mut out.words),
            Err(e) if !out.warnings.contains(&e) => out.warnings.push(e),
            Err(_) => {}
        }
        out.sentences.push(start..out.words.len());
    }
    out
}

/// The syntax of the words overlapping `span` and up to `context` words on either side,
/// within the sentence that holds `span.start`; heads index the returned words (`None` for
/// a head outside the window). The tagger reads two words each side, so a window of a few
/// words tags a name as the whole sentence would, at a cost that does not grow with the
/// sentence: for layers that need the case of one phrase, not the whole tree.
pub fn analyze_window(doc: &Document, span: Span, context: usize) -> Vec<SyntaxWord> {
    let Some(sentence) = doc.sentence_at(span.start).map(|k| doc.sentences[k]) else {
        return Vec::new();
    };
    let language = words::sentence_language(doc, sentence);
    let Ok(m) = model(language) else {
        return Vec::new();
    };
    let spans = words::sentence_words(doc, sentence, language);
    let first = spans.partition_point(|w| w.end <= span.start);
    let last = spans.partition_point(|w| w.start < span.end);
    if first >= last {
        return Vec::new();
    }
    let window = &spans[first.saturating_sub(context)..(last + context).min(spans.len())];
    let mut out = Vec::with_capacity(window.len());
    push_sentence(doc, m, window, &mut out);
    out
}

/// The span from the first to the last word of the subtree of word `root` in `words`
/// (one sentence's words, heads indexing them).
pub fn subtree_span(words: &[SyntaxWord], root: usize) -> Span {
    let mut span = words[root].span;
    for (i, w) in words.iter().enumerate() {
        // Walk up at most the sentence's length (a malformed head chain cannot loop).
        let mut at = Some(i);
        for _ in 0..=words.len() {
            match at {
                Some(a) if a == root => {
                    span = Span::new(span.start.min(w.span.start), span.end.max(w.span.end));
                    break;
                }
                Some(a) => at = words[a].head,
                None => break,
            }
        }
    }
    span
}

fn push_sentence(doc: &Document, m: &SyntaxModel, spans: &[Span], out: &mut Vec<SyntaxWord>) {
    let base = out.len();
    let forms: Vec<&str> = spans.iter().map(|&s| doc.slice(s)).collect();
    for (span, a) in spans.iter().zip(m.analyze(&forms)) {
        let tag = m.tags[a.tag];
        let relation = if a.head == 0 {
            "root"
        } else {
            m.labels[a.label]
        };
        out.push(SyntaxWord {
            span: *span,
            lemma: a.lemma,
            upos: tag.upos,
            feats: tag.feats,
            head: (a.head > 0).then(|| base + a.head - 1),
            deprel: Deprel::of_relation(relation),
            relation,
        });
    }
}
