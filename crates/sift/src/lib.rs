//! sift: audit news articles for fact-checkers.
//!
//! input → [`Document`] → analysers → [`Report`] → renderers. See `ARCHITECTURE.md`.

pub mod analyze;
pub mod document;
pub mod input;
pub mod language;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod segment;

pub use document::{Document, LanguageHint, RawDocument, Source, Span};
pub use pipeline::{analyze, Options};
pub use report::Report;

/// Build and analyse a plain string in one call.
pub fn analyze_text(text: &str) -> Report {
    let doc = Document::from_text(text);
    pipeline::analyze(&doc, &Options::default())
}
