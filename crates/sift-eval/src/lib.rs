//! Evaluators: each benchmark's official metric and a loader for its corpus in `../shared/data`.

pub mod attribution;
pub mod entities;
pub mod extraction;
pub mod polnear;
pub mod quotes_ru;
pub mod sentences;
pub mod speakers;
pub mod ud;

use std::path::PathBuf;

/// Where the shared benchmark data lives: `$SIFT_SHARED_DATA`, else `../shared/data`
/// beside the workspace root. `None` when absent (tests then skip).
pub fn shared_data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SIFT_SHARED_DATA") {
        let dir = PathBuf::from(dir);
        return dir.is_dir().then_some(dir);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("../shared/data");
    dir.is_dir().then(|| dir.canonicalize().unwrap_or(dir))
}

/// `shared_data_dir()/rel`, or print a skip message and return `None` (for tests).
pub fn shared_or_skip(rel: &str) -> Option<PathBuf> {
    match shared_data_dir() {
        Some(d) if d.join(rel).exists() => Some(d.join(rel)),
        _ => {
            eprintln!("skipping: ../shared/data/{rel} not found");
            None
        }
    }
}
pub mod checkworthy;
pub mod quantities;
pub mod quantities_news;
pub mod techniques;
pub mod techniques_corpus;
pub mod techniques_cv;
#[cfg(feature = "embeddings")]
pub mod techniques_embed;
pub mod techniques_fit;
pub mod techniques_groups;
pub mod techniques_predict;
pub mod techniques_rules;

/// The harmonic mean of precision and recall; 0 when both are 0 (never NaN).
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    }
}
