//! Persuasion and propaganda techniques as labelled spans.

use crate::document::Document;
use crate::report::{Report, Technique, TechniqueSummary};

pub struct TechniqueLayer {
    pub techniques: Vec<Technique>,
    pub summary: Option<TechniqueSummary>,
}

pub fn analyze(_doc: &Document, _report: &Report) -> TechniqueLayer {
    TechniqueLayer {
        techniques: Vec::new(),
        summary: None,
    }
}
