//! Attributions (source, cue, content), source types and the sourcing profile.

use crate::document::Document;
use crate::report::{Attribution, Finding, Report, SourcingProfile};

/// The attribution layer: attributions, unattributed-assertion findings, and the profile.
pub struct AttributionLayer {
    pub attributions: Vec<Attribution>,
    pub findings: Vec<Finding>,
    pub sourcing: Option<SourcingProfile>,
}

pub fn analyze(_doc: &Document, _report: &Report) -> AttributionLayer {
    AttributionLayer {
        attributions: Vec::new(),
        findings: Vec::new(),
        sourcing: None,
    }
}
