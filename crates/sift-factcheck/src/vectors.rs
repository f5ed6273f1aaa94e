//! Semantic matching: sentence embeddings stored beside the records.
//!
//! Vectors (L2-normalised, little-endian f32) live in the `vectors` table with the
//! name of the model that made them; they are computed at import when the opt-in
//! embeddings model is given (feature `embeddings`: multilingual-e5-small, which puts
//! English and Russian in one space, so a Russian sentence can match an English
//! summary). Search is exhaustive (a dot product per record: 10k × 384 floats is well
//! under a millisecond); the semantic candidates join the lexical ones in a pool that
//! [`crate::fusion`] scores.

use rusqlite::params;

use crate::store::{Store, StoreError};

/// Weight of the lexical score in linear fusion ([`crate::fusion::Fusion::Linear`]).
pub const LEXICAL_WEIGHT: f64 = 0.4;
/// Cosines at or below this count as no similarity (e5's cosines between unrelated
/// texts sit around 0.75).
pub const COSINE_FLOOR: f64 = 0.75;

fn to_blob(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn from_blob(blob: &[u8]) -> Vec<f32> {
    blob.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(x, y)| f64::from(x * y)).sum()
}

/// A cosine rescaled to `[0, 1]` (see the module documentation).
pub fn semantic_score(cosine: f64) -> f64 {
    ((cosine - COSINE_FLOOR) / (1.0 - COSINE_FLOOR)).clamp(0.0, 1.0)
}

impl Store {
    /// Rowids and texts of the records without a vector, at most `limit`.
    pub fn records_without_vectors(&self, limit: usize) -> Result<Vec<(i64, String)>, StoreError> {
        let mut statement = self
            .connection
            .prepare(
                "SELECT f.rowid, f.claim FROM factchecks f LEFT JOIN vectors v ON v.rowid = f.rowid
                 WHERE v.rowid IS NULL ORDER BY f.rowid LIMIT ?1",
            )
            .map_err(|e| self.wrap(e))?;
        let rows = statement
            .query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        drop(statement);
        rows.map_err(|e| self.wrap(e))
    }

    /// Store vectors made by `model` (one transaction).
    pub fn put_vectors(
        &mut self,
        model: &str,
        vectors: &[(i64, Vec<f32>)],
    ) -> Result<(), StoreError> {
        let result = (|| {
            let tx = self.connection.transaction()?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT OR REPLACE INTO vectors (rowid, model, vector) VALUES (?1, ?2, ?3)",
                )?;
                for (rowid, vector) in vectors {
                    insert.execute(params![rowid, model, to_blob(vector)])?;
                }
            }
            tx.commit()
        })();
        self.vectors = None;
        result.map_err(|e| self.wrap(e))
    }

    /// The model that made the stored vectors, if any.
    pub fn vector_model(&self) -> Result<Option<String>, StoreError> {
        let mut statement = self
            .connection
            .prepare("SELECT model FROM vectors LIMIT 1")
            .map_err(|e| self.wrap(e))?;
        let model = statement
            .query_map([], |r| r.get::<_, String>(0))
            .and_then(|mut rows| rows.next().transpose());
        drop(statement);
        model.map_err(|e| self.wrap(e))
    }

    pub(crate) fn load_vectors(&mut self) -> Result<(), StoreError> {
        if self.vectors.is_some() {
            return Ok(());
        }
        let mut statement = self
            .connection
            .prepare("SELECT rowid, vector FROM vectors ORDER BY rowid")
            .map_err(|e| self.wrap(e))?;
        let rows = statement
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, from_blob(&r.get::<_, Vec<u8>>(1)?)))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        drop(statement);
        self.vectors = Some(rows.map_err(|e| self.wrap(e))?);
        Ok(())
    }

    /// The `k` records closest to `query` by cosine: `(rowid, cosine)`, best first.
    pub(crate) fn semantic_candidates(&self, query: &[f32], k: usize) -> Vec<(i64, f64)> {
        let Some(vectors) = &self.vectors else {
            return Vec::new();
        };
        let mut scored: Vec<(i64, f64)> =
            vectors.iter().map(|(r, v)| (*r, dot(query, v))).collect();
        let k = k.min(scored.len());
        if k == 0 {
            return Vec::new();
        }
        scored.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1));
        scored.truncate(k);
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored
    }

    /// The cosine of `query` and a record's vector (0 without one).
    pub(crate) fn cosine_of(&self, query: &[f32], rowid: i64) -> f64 {
        let Some(vectors) = &self.vectors else {
            return 0.0;
        };
        vectors
            .binary_search_by_key(&rowid, |v| v.0)
            .map_or(0.0, |at| dot(query, &vectors[at].1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FactCheck;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn a_semantic_neighbour_without_shared_words_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path(), true).unwrap();
        let records: Vec<FactCheck> = [
            "Navalny was poisoned by German special services",
            "The moon is made of cheese",
        ]
        .iter()
        .enumerate()
        .map(|(i, c)| FactCheck {
            id: i.to_string(),
            claim: c.to_string(),
            ..FactCheck::default()
        })
        .collect();
        store.import(&records).unwrap();
        let missing = store.records_without_vectors(10).unwrap();
        assert_eq!(missing.len(), 2);
        let vectors = vec![
            (missing[0].0, unit(&[1.0, 0.1, 0.0])),
            (missing[1].0, unit(&[0.0, 1.0, 0.2])),
        ];
        store.put_vectors("test", &vectors).unwrap();
        assert!(store.records_without_vectors(10).unwrap().is_empty());
        assert_eq!(store.vector_model().unwrap().as_deref(), Some("test"));
        // A Russian query shares no stem with either record; its vector points at the first.
        let query = unit(&[1.0, 0.05, 0.0]);
        let hits = store
            .search_with("Немецкие спецслужбы отравили Навального", Some(&query), 2)
            .unwrap();
        assert_eq!(hits[0].fact_check.id, "0", "{hits:?}");
        assert!(hits[0].score > hits[1].score);
    }
}
