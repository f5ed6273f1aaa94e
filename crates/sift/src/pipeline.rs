//! The pipeline: a `Document` goes through an ordered list of [`Layer`]s, each of
//! which writes its part of the [`Report`].
//!
//! A layer declares the layers whose report fields it reads (`requires`); the
//! pipeline checks at construction that every requirement runs earlier, times each
//! layer into `timing_ms`, and is configured by layer names (`--without`, `bench`).
//! An alternative implementation of a layer (the embeddings-backed techniques layer)
//! is swapped in by name with [`Pipeline::replace`], so no caller re-runs a layer.

use std::fmt;
use std::time::Instant;

use crate::analyze;
use crate::document::Document;
use crate::report::{Report, SCHEMA_VERSION};

/// One analysis layer: reads the document and the report fields of the layers it
/// requires, writes its own report fields. Layers never print, never touch files.
pub trait Layer: Send + Sync {
    /// The stable name: `timing_ms` key, `--without` value.
    fn name(&self) -> &'static str;
    /// Names of the layers whose report fields this one reads.
    fn requires(&self) -> &'static [&'static str] {
        &[]
    }
    /// Compute this layer's part of `report`. A layer that cannot do its work (a
    /// model that failed to load) pushes a line to `report.warnings` instead.
    fn run(&self, doc: &Document, report: &mut Report);
    /// Load now what `run` would load on first use (a model, a lexicon). A batch on
    /// several workers warms its layers on different workers before the first document,
    /// so the loads overlap instead of every worker waiting on each in turn. A failed
    /// load is not reported here: `run` reports it on every document.
    fn warm(&self) {}
}

/// The default layers, in order. Adding a layer is one line here.
pub fn default_layers() -> Vec<Box<dyn Layer>> {
    vec![
        Box::new(analyze::entities::EntitiesLayer),
        Box::new(analyze::quantities::QuantitiesLayer),
        Box::new(analyze::consistency::ConsistencyLayer),
        Box::new(analyze::attribution::AttributionLayer),
        Box::new(analyze::techniques::TechniquesLayer),
        Box::new(analyze::claims::ClaimsLayer::shipped()),
    ]
}

/// A misconfigured pipeline: an unknown layer name, or a layer whose requirement
/// does not run before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipelineError {
    /// No layer has this name.
    UnknownLayer(String),
    /// `layer` requires `missing`, which is not in the pipeline before it.
    MissingRequirement {
        /// The layer that cannot run.
        layer: &'static str,
        /// The layer it reads from.
        missing: &'static str,
    },
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipelineError::UnknownLayer(name) => {
                let known: Vec<&str> = default_layers().iter().map(|l| l.name()).collect();
                write!(f, "unknown layer `{name}` (known: {})", known.join(", "))
            }
            PipelineError::MissingRequirement { layer, missing } => {
                write!(
                    f,
                    "layer `{layer}` needs `{missing}`, which is switched off"
                )
            }
        }
    }
}

impl std::error::Error for PipelineError {}

/// An ordered, checked list of layers.
pub struct Pipeline {
    layers: Vec<Box<dyn Layer>>,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline {
            layers: default_layers(),
        }
    }
}

impl fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.layer_names()).finish()
    }
}

/// The default layers, after checking that each of `names` is one of them.
fn default_layers_named<S: AsRef<str>>(names: &[S]) -> Result<Vec<Box<dyn Layer>>, PipelineError> {
    let all = default_layers();
    match names
        .iter()
        .find(|n| !all.iter().any(|l| l.name() == n.as_ref()))
    {
        Some(unknown) => Err(PipelineError::UnknownLayer(unknown.as_ref().to_string())),
        None => Ok(all),
    }
}

impl Pipeline {
    /// The given layers, in this order, checked.
    pub fn from_layers(layers: Vec<Box<dyn Layer>>) -> Result<Self, PipelineError> {
        let pipeline = Pipeline { layers };
        pipeline.check()?;
        Ok(pipeline)
    }

    /// The default layers less those named and less every layer that reads one of
    /// them (`without(["quantities"])` also drops `consistency`).
    pub fn without<S: AsRef<str>>(names: &[S]) -> Result<Self, PipelineError> {
        let all = default_layers_named(names)?;
        let mut removed: Vec<&'static str> = Vec::new();
        let mut layers = Vec::new();
        for layer in all {
            let named = names.iter().any(|n| n.as_ref() == layer.name());
            let orphaned = layer.requires().iter().any(|r| removed.contains(r));
            if named || orphaned {
                removed.push(layer.name());
            } else {
                layers.push(layer);
            }
        }
        Pipeline::from_layers(layers)
    }

    /// Only the named layers (in the default order); requirements must be named too.
    pub fn only<S: AsRef<str>>(names: &[S]) -> Result<Self, PipelineError> {
        let all = default_layers_named(names)?;
        let layers = all
            .into_iter()
            .filter(|l| names.iter().any(|n| n.as_ref() == l.name()))
            .collect();
        Pipeline::from_layers(layers)
    }

    /// Swap in another implementation of the layer with the same name (e.g. the
    /// embeddings-backed techniques layer). Returns false when no layer has that name.
    pub fn replace(&mut self, layer: Box<dyn Layer>) -> bool {
        match self.layers.iter().position(|l| l.name() == layer.name()) {
            Some(i) => {
                self.layers[i] = layer;
                true
            }
            None => false,
        }
    }

    /// Append a layer that is not in the default list (e.g. fact-check matching,
    /// which needs a store on disk), checking its requirements.
    pub fn push(&mut self, layer: Box<dyn Layer>) -> Result<(), PipelineError> {
        self.layers.push(layer);
        if let Err(e) = self.check() {
            self.layers.pop();
            return Err(e);
        }
        Ok(())
    }

    /// The layer names, in running order.
    pub fn layer_names(&self) -> Vec<&'static str> {
        self.layers.iter().map(|l| l.name()).collect()
    }

    fn check(&self) -> Result<(), PipelineError> {
        for (i, layer) in self.layers.iter().enumerate() {
            for &needed in layer.requires() {
                if !self.layers[..i].iter().any(|l| l.name() == needed) {
                    return Err(PipelineError::MissingRequirement {
                        layer: layer.name(),
                        missing: needed,
                    });
                }
            }
        }
        Ok(())
    }

    /// Warm (see [`Layer::warm`]) this worker's share of the layers: those whose
    /// position is `worker` modulo `workers`.
    pub fn warm_share(&self, worker: usize, workers: usize) {
        for layer in self.layers.iter().skip(worker).step_by(workers.max(1)) {
            layer.warm();
        }
    }

    /// Run every layer over a built document.
    pub fn analyze(&self, doc: &Document) -> Report {
        let mut report = base_report(doc);
        for layer in &self.layers {
            let started = Instant::now();
            layer.run(doc, &mut report);
            report.timing_ms.insert(layer.name().into(), ms(started));
        }
        report
    }
}

/// The report with the document's own fields filled and every layer empty.
fn base_report(doc: &Document) -> Report {
    Report {
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
    }
}

fn ms(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1e6).round() / 1e3
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A layer that only notes when it is warmed.
    struct Noted(&'static str, Arc<Mutex<Vec<&'static str>>>);

    impl Layer for Noted {
        fn name(&self) -> &'static str {
            self.0
        }
        fn run(&self, _: &Document, _: &mut Report) {}
        fn warm(&self) {
            self.1.lock().unwrap().push(self.0);
        }
    }

    #[test]
    fn each_worker_warms_its_share_and_together_they_warm_every_layer_once() {
        let warmed = Arc::new(Mutex::new(Vec::new()));
        let layers = ["a", "b", "c", "d", "e"]
            .map(|name| Box::new(Noted(name, warmed.clone())) as Box<dyn Layer>);
        let pipeline = Pipeline::from_layers(layers.into()).unwrap();
        pipeline.warm_share(0, 2);
        assert_eq!(*warmed.lock().unwrap(), ["a", "c", "e"]);
        pipeline.warm_share(1, 2);
        assert_eq!(*warmed.lock().unwrap(), ["a", "c", "e", "b", "d"]);
    }

    #[test]
    fn default_order_satisfies_every_requirement() {
        let p = Pipeline::default();
        assert_eq!(
            p.layer_names(),
            [
                "entities",
                "quantities",
                "consistency",
                "attribution",
                "techniques",
                "claims"
            ]
        );
        assert!(p.check().is_ok());
    }

    #[test]
    fn switching_off_a_layer_switches_off_its_readers() {
        let p = Pipeline::without(&["quantities"]).unwrap();
        assert!(!p.layer_names().contains(&"consistency"));
        assert_eq!(
            Pipeline::without(&["nope"]).unwrap_err(),
            PipelineError::UnknownLayer("nope".into())
        );
    }

    #[test]
    fn a_layer_before_its_requirement_is_an_error() {
        let mut layers = default_layers();
        layers.swap(1, 2); // consistency before quantities
        assert_eq!(
            Pipeline::from_layers(layers).unwrap_err(),
            PipelineError::MissingRequirement {
                layer: "consistency",
                missing: "quantities"
            }
        );
        let mut p = Pipeline::only(&["entities"]).unwrap();
        assert!(p
            .push(Box::new(analyze::consistency::ConsistencyLayer))
            .is_err());
        assert_eq!(p.layer_names(), ["entities"]);
    }

    #[test]
    fn every_layer_is_timed_and_only_listed_layers_run() {
        let doc = Document::from_text("The minister said 5 km were built in 2 hours.");
        let report = Pipeline::only(&["quantities"]).unwrap().analyze(&doc);
        assert_eq!(report.timing_ms.keys().collect::<Vec<_>>(), ["quantities"]);
        assert!(!report.quantities.is_empty());
        assert!(report.entities.is_empty() && report.techniques.is_empty());
    }
}
