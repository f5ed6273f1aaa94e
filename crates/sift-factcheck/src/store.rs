//! The SQLite store: schema, idempotent batched import, BM25 candidates, re-ranking.

use crate::script::Script;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use rustc_hash::FxHashSet;

use crate::fusion::{Fusion, Pool, Pooled, Scored};
use crate::lexical::LexicalIndex;
use crate::terms::terms;
use crate::FactCheck;

/// The database file inside a store directory.
pub const FILE: &str = "factchecks.sqlite";
/// Records per transaction during import.
const BATCH: usize = 500;
/// Query stems found in more than this share of the store are left out of the query.
const MAX_DOCUMENT_SHARE: f64 = 0.1;
/// BM25 candidates re-ranked per query.
pub(crate) const CANDIDATES: usize = 30;
/// Weight of normalised BM25 against the IDF-weighted Dice overlap in the final score.
pub(crate) const BM25_WEIGHT: f64 = 0.5;

/// Why the store could not do something.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("fact-check store {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot create the store directory {path}: {source}")]
    Directory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} is not a fact-check store (no {FILE} inside)")]
    Missing(PathBuf),
}

/// A search result: the fact-check and its scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub fact_check: FactCheck,
    /// The final score in [0, 1] (higher is closer).
    pub score: f64,
    /// The lowest score at which the model that scored it lists a match (claims below
    /// it get no match in the report).
    pub floor: f64,
}

/// A fact-check store on disk.
pub struct Store {
    pub(crate) connection: Connection,
    path: PathBuf,
    /// The in-memory BM25 index (loaded for querying, dropped on import).
    lexical: Option<LexicalIndex>,
    /// Every stored embedding, in rowid order (loaded for semantic search).
    pub(crate) vectors: Option<Vec<(i64, Vec<f32>)>>,
    /// How lexical and semantic candidates are scored together ([`Fusion::shipped`]).
    fusion: Fusion,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS factchecks (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    claim TEXT NOT NULL,
    context TEXT NOT NULL,
    url TEXT, rating TEXT, date TEXT
);
CREATE VIRTUAL TABLE IF NOT EXISTS stems USING fts5(terms, tokenize = 'unicode61', detail = 'column');
CREATE TABLE IF NOT EXISTS vectors (rowid INTEGER PRIMARY KEY, model TEXT NOT NULL, vector BLOB NOT NULL);
";

impl Store {
    pub(crate) fn wrap(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Open (creating when `create`) the store in `dir`.
    pub fn open(dir: &Path, create: bool) -> Result<Store, StoreError> {
        let path = dir.join(FILE);
        if !create && !path.exists() {
            return Err(StoreError::Missing(dir.to_path_buf()));
        }
        if create {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Directory {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let sqlite = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let connection = Connection::open(&path).map_err(sqlite)?;
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite)?;
        connection
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(sqlite)?;
        connection.execute_batch(SCHEMA).map_err(sqlite)?;
        Ok(Store {
            connection,
            path,
            lexical: None,
            vectors: None,
            fusion: Fusion::shipped(),
        })
    }

    /// Number of fact-checks stored.
    pub fn len(&self) -> Result<usize, StoreError> {
        self.connection
            .query_row("SELECT count(*) FROM factchecks", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as usize)
            .map_err(|e| self.wrap(e))
    }

    /// True when the store holds nothing.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    /// Add records not already stored (by id); returns how many were new. Each batch
    /// of records is one transaction.
    pub fn import(&mut self, records: &[FactCheck]) -> Result<usize, StoreError> {
        let mut added = 0;
        for batch in records.chunks(BATCH) {
            added += self.import_batch(batch).map_err(|e| self.wrap(e))?;
        }
        self.lexical = None;
        Ok(added)
    }

    fn import_batch(&mut self, batch: &[FactCheck]) -> rusqlite::Result<usize> {
        let tx = self.connection.transaction()?;
        let mut added = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO factchecks (id, claim, context, url, rating, date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut index =
                tx.prepare_cached("INSERT INTO stems (rowid, terms) VALUES (?1, ?2)")?;
            for r in batch {
                let inserted =
                    insert.execute(params![r.id, r.claim, r.context, r.url, r.rating, r.date])?;
                if inserted == 1 {
                    let stems = terms(&format!("{} {}", r.claim, r.context)).join(" ");
                    index.execute(params![tx.last_insert_rowid(), stems])?;
                    added += 1;
                }
            }
        }
        tx.commit()?;
        Ok(added)
    }

    /// SQLite's own consistency check ("ok" when sound).
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.connection
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.wrap(e))
    }

    pub(crate) fn load_lexical(&mut self) -> Result<&LexicalIndex, StoreError> {
        if self.lexical.is_none() {
            let mut statement = self
                .connection
                .prepare("SELECT rowid, terms FROM stems ORDER BY rowid")
                .map_err(|e| self.wrap(e))?;
            let rows = statement
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
            drop(statement);
            let rows = rows.map_err(|e| self.wrap(e))?;
            self.lexical = Some(LexicalIndex::build(rows));
        }
        Ok(self.lexical.as_ref().expect("just loaded"))
    }

    /// The informative distinct stems of a query: known, and not in more than
    /// [`MAX_DOCUMENT_SHARE`] of the records.
    fn query_stems(index: &LexicalIndex, text: &str) -> Vec<String> {
        let limit = (index.len() as f64 * MAX_DOCUMENT_SHARE).max(1.0);
        let mut seen = FxHashSet::default();
        terms(text)
            .into_iter()
            .filter(|t| {
                let df = index.document_frequency(t);
                df > 0 && (df as f64) <= limit
            })
            .filter(|t| seen.insert(t.clone()))
            .collect()
    }

    /// The `k` best fact-checks for `text`, best first (lexical only).
    pub fn search(&mut self, text: &str, k: usize) -> Result<Vec<Candidate>, StoreError> {
        self.search_with(text, None, k)
    }

    /// The `k` best fact-checks for `text`; with `query_vector` (an embedding of
    /// `text` by the model that embedded the store), semantic candidates join the
    /// lexical ones and both are scored by the store's [`Fusion`].
    pub fn search_with(
        &mut self,
        text: &str,
        query_vector: Option<&[f32]>,
        k: usize,
    ) -> Result<Vec<Candidate>, StoreError> {
        let mut scored: Vec<Scored> = match query_vector {
            Some(vector) => {
                let pool = self.pool(text, vector, self.fusion.pool(), &[])?;
                self.fusion.scored(&pool)
            }
            None => {
                let index = self.load_lexical()?;
                let stems = Store::query_stems(index, text);
                lexical_scores(index, &stems, CANDIDATES)
                    .into_iter()
                    .map(|(doc, _, _, score)| Scored {
                        rowid: index.rowid(doc),
                        score,
                        floor: crate::layer::MIN_SCORE,
                    })
                    .collect()
            }
        };
        scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.rowid.cmp(&b.rowid)));
        scored.truncate(k);
        scored
            .into_iter()
            .map(|s| {
                let fact_check = self.by_rowid(s.rowid).map_err(|e| self.wrap(e))?;
                Ok(Candidate {
                    fact_check,
                    score: s.score,
                    floor: s.floor,
                })
            })
            .collect()
    }

    /// How candidates are scored when there is a query vector.
    pub fn fusion(&self) -> &Fusion {
        &self.fusion
    }

    /// Score candidates with `fusion` instead of the shipped one (to compare fusions
    /// on the train queries: `sift eval claim-matching --fusion`).
    pub fn set_fusion(&mut self, fusion: Fusion) {
        self.fusion = fusion;
    }

    /// The candidate pool of a query with an embedding: the `size` best records by
    /// BM25 (ranked by lexical score) and the `size` closest by cosine, each measured
    /// by both retrievers. Records whose rowid is in `exclude` are left out (training
    /// uses it to see what a query scores when its fact-check is not stored).
    pub fn pool(
        &mut self,
        text: &str,
        vector: &[f32],
        size: usize,
        exclude: &[i64],
    ) -> Result<Pool, StoreError> {
        self.load_lexical()?;
        self.load_vectors()?;
        let index = self.lexical.as_ref().expect("just loaded");
        let stems = Store::query_stems(index, text);
        let script = Script::of(text);
        let cross_script = |doc: u32| script.differs_from(index.script(doc));
        let mut found = index.bm25(&stems, size + exclude.len());
        found.retain(|c| !exclude.contains(&index.rowid(c.0)));
        found.truncate(size);
        let lexical = rank_lexically(index, &stems, found);
        let top_bm25 = lexical.iter().map(|c| c.1).fold(0.0, f64::max);
        let mut semantic = self.semantic_candidates(vector, size + exclude.len());
        semantic.retain(|c| !exclude.contains(&c.0));
        semantic.truncate(size);
        let top_cosine = semantic.first().map_or(0.0, |c| c.1);
        let mut candidates: Vec<Pooled> = Vec::with_capacity(2 * size);
        for (rank, &(doc, bm25, dice, lexical)) in lexical.iter().enumerate() {
            let rowid = index.rowid(doc);
            candidates.push(Pooled {
                rowid,
                bm25,
                dice,
                lexical,
                lexical_rank: Some(rank),
                cosine: self.cosine_of(vector, rowid),
                semantic_rank: None,
                cross_script: cross_script(doc),
            });
        }
        for (rank, &(rowid, cosine)) in semantic.iter().enumerate() {
            if let Some(c) = candidates.iter_mut().find(|c| c.rowid == rowid) {
                c.semantic_rank = Some(rank);
                continue;
            }
            let (bm25, dice, cross) = match index.doc_of(rowid) {
                Some(doc) => (
                    index.bm25_of(&stems, doc),
                    index.dice(&stems, doc),
                    cross_script(doc),
                ),
                None => (0.0, 0.0, false),
            };
            candidates.push(Pooled {
                rowid,
                bm25,
                dice,
                lexical: lexical_score((bm25 / top_bm25.max(1e-9)).min(1.0), dice),
                lexical_rank: None,
                cosine,
                semantic_rank: Some(rank),
                cross_script: cross,
            });
        }
        Ok(Pool {
            top_bm25,
            top_cosine,
            stems: stems.len(),
            candidates,
        })
    }

    /// The rowid of a stored fact-check id.
    pub fn rowid_of(&self, id: &str) -> Result<Option<i64>, StoreError> {
        self.connection
            .query_row("SELECT rowid FROM factchecks WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.wrap(e))
    }

    fn by_rowid(&self, rowid: i64) -> rusqlite::Result<FactCheck> {
        self.connection
            .query_row(&select_where("rowid"), [rowid], fact_check_of_row)
    }

    /// A stored fact-check by id.
    pub fn get(&self, id: &str) -> Result<Option<FactCheck>, StoreError> {
        self.connection
            .query_row(&select_where("id"), [id], fact_check_of_row)
            .optional()
            .map_err(|e| self.wrap(e))
    }
}

/// The query for one fact-check by `column = ?1`, in [`fact_check_of_row`]'s order.
fn select_where(column: &str) -> String {
    format!("SELECT id, claim, context, url, rating, date FROM factchecks WHERE {column} = ?1")
}

fn fact_check_of_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FactCheck> {
    Ok(FactCheck {
        id: r.get(0)?,
        claim: r.get(1)?,
        context: r.get(2)?,
        url: r.get(3)?,
        rating: r.get(4)?,
        date: r.get(5)?,
    })
}

/// The lexical score: BM25 relative to the query's best, damped by the square root of
/// the IDF-weighted Dice overlap, blended with that overlap.
pub(crate) fn lexical_score(bm25_relative: f64, dice: f64) -> f64 {
    BM25_WEIGHT * bm25_relative * dice.sqrt() + (1.0 - BM25_WEIGHT) * dice
}

/// BM25 candidates `(doc, bm25)` as `(doc, bm25, dice, lexical score)`, ranked by
/// lexical score (ties by doc).
fn rank_lexically(
    index: &LexicalIndex,
    query: &[String],
    found: Vec<(u32, f64)>,
) -> Vec<(u32, f64, f64, f64)> {
    let top = found.first().map_or(1.0, |f| f.1).max(1e-9);
    let mut scored: Vec<(u32, f64, f64, f64)> = found
        .into_iter()
        .map(|(doc, bm25)| {
            let dice = index.dice(query, doc);
            (doc, bm25, dice, lexical_score(bm25 / top, dice))
        })
        .collect();
    scored.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)));
    scored
}

/// The `k` best records by BM25 as `(doc, bm25, dice, lexical score)`, ranked by
/// lexical score.
fn lexical_scores(index: &LexicalIndex, query: &[String], k: usize) -> Vec<(u32, f64, f64, f64)> {
    rank_lexically(index, query, index.bm25(query, k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, claim: &str) -> FactCheck {
        FactCheck {
            id: id.into(),
            claim: claim.into(),
            ..FactCheck::default()
        }
    }

    fn sample() -> Vec<FactCheck> {
        vec![
            record(
                "1",
                "Obama released 122 Guantanamo detainees who returned to terrorism",
            ),
            record("2", "Bill Gates patented the coronavirus vaccine"),
            record("3", "Новая ракета способна обойти любую систему ПВО"),
            record("4", "The moon landing was staged in a studio"),
        ]
    }

    #[test]
    fn import_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path(), true).unwrap();
        assert_eq!(store.import(&sample()).unwrap(), 4);
        assert_eq!(store.import(&sample()).unwrap(), 0);
        assert_eq!(store.len().unwrap(), 4);
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn search_finds_the_closest_claim_in_either_language() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path(), true).unwrap();
        store.import(&sample()).unwrap();
        let hits = store.search("Did Bill Gates patent a vaccine?", 2).unwrap();
        assert_eq!(hits[0].fact_check.id, "2");
        assert!(hits[0].score > 0.3 && hits[0].score <= 1.0, "{hits:?}");
        let hits = store.search("Ракеты способны обойти ПВО", 1).unwrap();
        assert_eq!(hits[0].fact_check.id, "3");
    }

    #[test]
    fn opening_a_missing_store_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Store::open(&dir.path().join("none"), false),
            Err(StoreError::Missing(_))
        ));
    }
}
