//! The consistency engine: arithmetic checks between figures and words.

use crate::document::Document;
use crate::report::{Finding, Report};

pub fn analyze(_doc: &Document, _report: &Report) -> Vec<Finding> {
    Vec::new()
}
