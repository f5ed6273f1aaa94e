//! The `factchecks` layer: matches each check-worthy claim against a store.

use std::path::Path;
use std::sync::Mutex;

use sift::{Document, FactCheckMatch, Layer, Report};

use crate::semantic::Semantic;
use crate::store::{Candidate, Store, StoreError};

/// Matches kept per claim.
const MATCHES_PER_CLAIM: usize = 3;
/// Lexical matches scoring below this are not reported (tuned on the CheckThat! 2020
/// train queries: most wrong top matches score below it, most right ones above). With
/// embeddings, each candidate carries the floor of the model that scored it
/// ([`crate::fusion::Scored`]).
pub const MIN_SCORE: f64 = 0.35;

/// Fills `claims[].matches` from a fact-check store (`sift analyze --factchecks DIR`).
pub struct FactCheckLayer {
    store: Mutex<Store>,
    semantic: Semantic,
}

impl FactCheckLayer {
    /// Open the store in `dir` (it must exist); lexical matching.
    pub fn open(dir: &Path) -> Result<FactCheckLayer, StoreError> {
        FactCheckLayer::open_with(dir, Semantic::none())
    }

    /// Open the store in `dir`, matching with `semantic`'s embeddings when it has a model.
    pub fn open_with(dir: &Path, semantic: Semantic) -> Result<FactCheckLayer, StoreError> {
        let store = Store::open(dir, false)?;
        Ok(FactCheckLayer {
            store: Mutex::new(store),
            semantic,
        })
    }
}

fn to_match(c: Candidate) -> FactCheckMatch {
    FactCheckMatch {
        id: c.fact_check.id,
        claim: c.fact_check.claim,
        url: c.fact_check.url,
        rating: c.fact_check.rating,
        date: c.fact_check.date,
        score: (c.score * 1000.0).round() / 1000.0,
    }
}

impl Layer for FactCheckLayer {
    fn name(&self) -> &'static str {
        "factchecks"
    }
    fn requires(&self) -> &'static [&'static str] {
        &["claims"]
    }
    fn run(&self, _doc: &Document, report: &mut Report) {
        let mut store = match self.store.lock() {
            Ok(store) => store,
            Err(poisoned) => poisoned.into_inner(),
        };
        let worthy: Vec<usize> = (0..report.claims.len())
            .filter(|&i| report.claims[i].checkworthy)
            .collect();
        let texts: Vec<&str> = worthy
            .iter()
            .map(|&i| report.claims[i].text.as_str())
            .collect();
        let vectors = match self.semantic.vectors(&texts) {
            Ok(v) => v,
            Err(e) => {
                report.warnings.push(format!("factchecks: {e}"));
                None
            }
        };
        for (n, &i) in worthy.iter().enumerate() {
            let vector = vectors.as_ref().and_then(|v| v.get(n)).map(Vec::as_slice);
            match store.search_with(&report.claims[i].text, vector, MATCHES_PER_CLAIM) {
                Ok(found) => {
                    report.claims[i].matches = found
                        .into_iter()
                        .filter(|c| c.score >= c.floor)
                        .map(to_match)
                        .collect();
                }
                Err(e) => {
                    report.warnings.push(format!("factchecks: {e}"));
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FactCheck;
    use sift::Pipeline;

    #[test]
    fn a_checkworthy_claim_gets_its_fact_check() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path(), true).unwrap();
        store
            .import(&[FactCheck {
                id: "k1".into(),
                claim: "Unemployment fell to 3.5 percent, the lowest rate in fifty years".into(),
                rating: Some("Mostly true".into()),
                ..FactCheck::default()
            }])
            .unwrap();
        drop(store);
        let mut pipeline = Pipeline::default();
        pipeline
            .push(Box::new(FactCheckLayer::open(dir.path()).unwrap()))
            .unwrap();
        let report = pipeline.analyze(&Document::from_text(
            "Unemployment fell to 3.5 percent last year, the lowest rate in fifty years.",
        ));
        let claim = &report.claims[0];
        assert!(claim.checkworthy, "{claim:?}");
        assert_eq!(claim.matches.len(), 1, "{claim:?}");
        assert_eq!(claim.matches[0].id, "k1");
        assert_eq!(claim.matches[0].rating.as_deref(), Some("Mostly true"));
    }
}
