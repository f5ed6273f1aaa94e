//! The opt-in semantic side of matching: multilingual-e5-small (feature `embeddings`;
//! the model comes from `scripts/fetch-embeddings.sh e5`) embeds the store's records
//! at import and each query at search. Without the feature, asking for it is an error
//! that says how to build it; without `--embeddings DIR`, matching is lexical.

use std::path::Path;

use crate::store::Store;

/// The model name recorded beside each vector.
pub const MODEL: &str = "multilingual-e5-small";
/// Records embedded per transaction (each chunk commits, so embedding resumes).
#[cfg(feature = "embeddings")]
const CHUNK: usize = 256;

/// An embedder, or none (lexical matching only).
#[derive(Default)]
pub struct Semantic {
    #[cfg(feature = "embeddings")]
    embedder: Option<sift::train::techniques::e5::E5Embedder>,
}

impl Semantic {
    /// No embedder: lexical matching.
    pub fn none() -> Semantic {
        Semantic::default()
    }

    /// Load the model from `dir` (`None`: no embedder).
    #[cfg(feature = "embeddings")]
    pub fn load(dir: Option<&Path>) -> Result<Semantic, String> {
        use sift::train::techniques::e5::E5Embedder;
        let embedder = match dir {
            Some(dir) => Some(E5Embedder::load(dir).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(Semantic { embedder })
    }

    /// Load the model from `dir` (`None`: no embedder).
    #[cfg(not(feature = "embeddings"))]
    pub fn load(dir: Option<&Path>) -> Result<Semantic, String> {
        match dir {
            Some(_) => Err("--embeddings needs a sift built with `--features embeddings`".into()),
            None => Ok(Semantic::none()),
        }
    }

    /// Is there an embedder?
    #[cfg(feature = "embeddings")]
    pub fn is_on(&self) -> bool {
        self.embedder.is_some()
    }

    /// Is there an embedder?
    #[cfg(not(feature = "embeddings"))]
    pub fn is_on(&self) -> bool {
        false
    }

    /// Embed texts (`None` without an embedder).
    pub fn vectors(&self, texts: &[&str]) -> Result<Option<Vec<Vec<f32>>>, String> {
        #[cfg(feature = "embeddings")]
        if let Some(embedder) = &self.embedder {
            return embedder.embed(texts).map(Some).map_err(|e| e.to_string());
        }
        let _ = texts;
        Ok(None)
    }

    /// Embed every record of `store` without a vector; returns how many.
    pub fn embed_store(&self, store: &mut Store) -> Result<usize, String> {
        #[cfg(feature = "embeddings")]
        if self.embedder.is_some() {
            let mut done = 0;
            loop {
                let todo = store
                    .records_without_vectors(CHUNK)
                    .map_err(|e| e.to_string())?;
                if todo.is_empty() {
                    return Ok(done);
                }
                let texts: Vec<&str> = todo.iter().map(|(_, t)| t.as_str()).collect();
                let vectors = self.vectors(&texts)?.unwrap_or_default();
                let rows: Vec<(i64, Vec<f32>)> =
                    todo.iter().map(|(r, _)| *r).zip(vectors).collect();
                store.put_vectors(MODEL, &rows).map_err(|e| e.to_string())?;
                done += rows.len();
            }
        }
        let _ = store;
        Ok(0)
    }
}
