//! sift: audit news articles for fact-checkers.
//!
//! input → [`Document`] → [`Pipeline`] of [`Layer`]s → [`Report`] → renderers.
//! See `ARCHITECTURE.md` for the map.
//!
//! ```
//! let report = sift::analyze_text("The rocket flew 14,000 km in 15 hours.");
//! assert!(!report.quantities.is_empty());
//! ```
#![cfg_attr(not(feature = "train"), deny(missing_docs))]

mod analyze;
mod document;
mod embedded;
mod language;
pub(crate) mod lexicon;
mod pipeline;
mod report;
mod segment;
mod syntax;

pub mod batch;
pub mod input;
pub mod render;

/// Internals that the trainers and evaluators (`sift-eval`, `sift train`, `sift eval`)
/// need: the analysers' modules, segmentation, language detection. Not a stable API;
/// compiled only with the `train` feature.
#[cfg(feature = "train")]
#[allow(missing_docs)]
pub mod train {
    pub use crate::analyze::{attribution, claims, consistency, entities, quantities, techniques};
    /// Language identification.
    pub mod language {
        pub use crate::language::*;
    }
    /// Paragraphs, sentences, tokens.
    pub mod segment {
        pub use crate::segment::*;
    }
    /// Tagger, lemmatiser, parser, CoNLL-U, training.
    pub mod syntax {
        pub use crate::syntax::*;
    }
}

pub use document::{Document, LanguageHint, RawDocument, Source, Span, Token, TokenKind};
pub use language::LanguageInfo;
pub use pipeline::{default_layers, Layer, Pipeline, PipelineError};
pub use report::*;
pub use syntax::{
    Animacy, Aspect, Case, Deprel, Feats, Gender, Mood, Number, Person, Syntax, SyntaxLanguage,
    SyntaxWord, Tense, Upos, VerbForm, Voice,
};

pub use batch::{analyze_batch, BatchInput, BatchOptions};

/// Build and analyse a plain string in one call, with the default layers.
pub fn analyze_text(text: &str) -> Report {
    Pipeline::default().analyze(&Document::from_text(text))
}
