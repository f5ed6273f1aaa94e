//! The pipeline: `Document` → analysers in order → `Report`.

use std::time::Instant;

use crate::analyze::{attribution, consistency, entities, quantities, techniques};
use crate::document::Document;
use crate::report::{Report, SCHEMA_VERSION};

/// Which optional layers to compute.
#[derive(Debug, Clone)]
pub struct Options {
    pub entities: bool,
    pub quantities: bool,
    pub attribution: bool,
    pub techniques: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            entities: true,
            quantities: true,
            attribution: true,
            techniques: true,
        }
    }
}

fn ms(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1e6).round() / 1e3
}

/// Run every analyser over a built document.
pub fn analyze(doc: &Document, options: &Options) -> Report {
    let mut report = Report {
        schema: SCHEMA_VERSION,
        sift_version: env!("CARGO_PKG_VERSION").to_string(),
        id: doc.id.clone(),
        source: doc.source.clone(),
        language: doc.language.clone(),
        text: doc.text().to_string(),
        paragraphs: doc.paragraphs.clone(),
        paragraph_languages: doc.paragraph_languages.clone(),
        sentences: doc.sentences.clone(),
        ..Report::default()
    };

    if options.entities {
        let t = Instant::now();
        report.entities = entities::analyze(doc, &report);
        report.timing_ms.insert("entities".into(), ms(t));
    }
    if options.quantities {
        let t = Instant::now();
        report.quantities = quantities::analyze(doc, &report);
        report.timing_ms.insert("quantities".into(), ms(t));
        let t = Instant::now();
        let findings = consistency::analyze(doc, &report);
        report.findings.extend(findings);
        report.timing_ms.insert("consistency".into(), ms(t));
    }
    if options.attribution {
        let t = Instant::now();
        let layer = attribution::analyze(doc, &report);
        report.attributions = layer.attributions;
        report.findings.extend(layer.findings);
        report.sourcing = layer.sourcing;
        report.timing_ms.insert("attribution".into(), ms(t));
    }
    if options.techniques {
        let t = Instant::now();
        let layer = techniques::analyze(doc, &report);
        report.techniques = layer.techniques;
        report.technique_summary = layer.summary;
        report.timing_ms.insert("techniques".into(), ms(t));
    }
    report
}
