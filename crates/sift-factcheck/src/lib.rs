//! A local store of fact-checks and the pipeline layer that matches claims against it.
//!
//! - [`Store`]: one SQLite file (`DIR/factchecks.sqlite`, WAL journal) holding the
//!   fact-checked claims and an FTS5 table of their stemmed words. Imports are
//!   idempotent (a record's id is its key; a record without an id gets one hashed from
//!   its claim and url) and crash-safe (each batch is one transaction: a `kill -9`
//!   loses at most the batch in flight, and re-running the import completes it).
//! - [`terms`]: the analyser shared by indexing and querying: words, Snowball stems
//!   (English or Russian by script), tweet debris (links, handles) removed.
//! - Search ([`lexical`]): BM25 over the query's informative stems (stems in more
//!   than a tenth of the store are dropped from the query), computed in memory from
//!   the stored stems, gives candidates; they are re-ranked by a blend of normalised BM25 and the IDF-weighted Dice overlap of
//!   stems, which is also the match score in [0, 1].
//! - [`FactCheckLayer`]: for each check-worthy claim of a report, the best matches
//!   above a score floor go into `claims[].matches`.
//! - [`vectors`], [`semantic`]: opt-in multilingual-e5-small vectors (feature
//!   `embeddings`), searched exhaustively, so a Russian sentence can match an English
//!   summary; [`fusion`]: the pool of both retrievers' candidates and its scoring (the
//!   shipped one: a logistic-regression re-ranker trained by `sift train
//!   claim-matching`).
//! - [`import`]: ClaimReview JSON-LD (array, object, `@graph` or JSONL), CSV with
//!   chosen columns, CheckThat! TSV.

pub mod fusion;
pub mod import;
mod layer;
pub mod lexical;
pub mod script;
pub mod semantic;
mod store;
pub mod terms;
pub mod vectors;

pub use fusion::{Fusion, Pool, Pooled, Reranker};
pub use layer::FactCheckLayer;
pub use semantic::Semantic;
pub use store::{Candidate, Store, StoreError};

/// One fact-checked claim.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct FactCheck {
    /// Stable id (the source's, or hashed from claim and url).
    pub id: String,
    /// The claim that was checked.
    pub claim: String,
    /// More text about it (a title, a headline), indexed with the claim.
    #[serde(default)]
    pub context: String,
    pub url: Option<String>,
    pub rating: Option<String>,
    pub date: Option<String>,
}
