//! The SQLite store: schema, idempotent batched import, BM25 candidates, re-ranking.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use rustc_hash::FxHashSet;

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
}

/// A fact-check store on disk.
pub struct Store {
    pub(crate) connection: Connection,
    path: PathBuf,
    /// The in-memory BM25 index (loaded for querying, dropped on import).
    lexical: Option<LexicalIndex>,
    /// Every stored embedding, by rowid (loaded for semantic search).
    pub(crate) vectors: Option<Vec<(i64, Vec<f32>)>>,
    /// Weight of the lexical score in the fused one ([`crate::vectors::LEXICAL_WEIGHT`]).
    pub(crate) lexical_weight: f64,
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
            lexical_weight: crate::vectors::LEXICAL_WEIGHT,
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
    /// lexical ones and the scores are fused (see [`crate::vectors`]).
    pub fn search_with(
        &mut self,
        text: &str,
        query_vector: Option<&[f32]>,
        k: usize,
    ) -> Result<Vec<Candidate>, StoreError> {
        let index = self.load_lexical()?;
        let stems = Store::query_stems(index, text);
        let mut scored: Vec<(i64, f64)> = lexical_scores(index, &stems)
            .into_iter()
            .map(|(doc, score)| (index.rowid(doc), score))
            .collect();
        if let Some(vector) = query_vector {
            self.load_vectors()?;
            let semantic = self.semantic_candidates(vector, CANDIDATES);
            scored = self.fuse(&stems, scored, &semantic, vector);
        }
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(k);
        scored
            .into_iter()
            .map(|(rowid, score)| {
                let fact_check = self.by_rowid(rowid).map_err(|e| self.wrap(e))?;
                Ok(Candidate { fact_check, score })
            })
            .collect()
    }

    /// The lexical score of one record outside the BM25 list (its Dice term only,
    /// as its BM25 is below every listed candidate's).
    pub(crate) fn lexical_score_of(&self, query: &[String], rowid: i64) -> f64 {
        match (
            &self.lexical,
            self.lexical.as_ref().and_then(|i| i.doc_of(rowid)),
        ) {
            (Some(index), Some(doc)) => (1.0 - BM25_WEIGHT) * index.dice(query, doc),
            _ => 0.0,
        }
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

/// The lexical score of each BM25 candidate: BM25 relative to the best one, damped
/// by the square root of the IDF-weighted Dice overlap, blended with that overlap.
fn lexical_scores(index: &LexicalIndex, query: &[String]) -> Vec<(u32, f64)> {
    let found = index.bm25(query, CANDIDATES);
    let top = found.first().map_or(1.0, |f| f.1).max(1e-9);
    found
        .into_iter()
        .map(|(doc, bm25)| {
            let dice = index.dice(query, doc);
            let score = BM25_WEIGHT * (bm25 / top) * dice.sqrt() + (1.0 - BM25_WEIGHT) * dice;
            (doc, score)
        })
        .collect()
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
