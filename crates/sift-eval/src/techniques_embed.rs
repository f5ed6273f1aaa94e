//! Embeddings mode for the technique corpora: paragraph embeddings from
//! [`Embedder`], cached on disk outside the repository (default
//! `/tmp/sift-embeddings-cache/minilm.bin`, `e5.bin` for multilingual-e5-small) so
//! repeated cross-validation runs skip the forward passes. The cache is keyed by a hash
//! of each paragraph's text, so it never carries labels or fold information.

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use sift::train::techniques::embed::{EmbedError, Embedder};

use crate::techniques_corpus::LabelledDoc;

/// Text → embedding, persisted as `(u64 key, u32 length, f32 × length)` records.
pub struct EmbeddingCache {
    path: Option<PathBuf>,
    vectors: HashMap<u64, Vec<f32>>,
    added: usize,
    /// `added` at the last save.
    saved: usize,
}

/// FNV-1a over the text's bytes: stable across runs and platforms.
fn key_of(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl EmbeddingCache {
    /// The default cache file: `$SIFT_EMBEDDINGS_CACHE`, else
    /// `/tmp/sift-embeddings-cache/minilm.bin`.
    pub fn default_path() -> PathBuf {
        std::env::var_os("SIFT_EMBEDDINGS_CACHE")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/tmp/sift-embeddings-cache/minilm.bin"))
    }

    /// The cache file for `embedder`: [`Self::default_path`] for all-MiniLM-L6-v2;
    /// `e5.bin` in the same directory for multilingual-e5-small (the two models'
    /// vectors must never mix).
    pub fn path_for(embedder: &Embedder) -> PathBuf {
        let path = Self::default_path();
        match embedder {
            Embedder::MiniLm(_) => path,
            Embedder::E5(_) => path.with_file_name("e5.bin"),
        }
    }

    /// Open (or start) the cache at `path`; `None` keeps it in memory only.
    pub fn open(path: Option<&Path>) -> io::Result<EmbeddingCache> {
        let mut vectors = HashMap::new();
        if let Some(bytes) = path.and_then(|p| fs::read(p).ok()) {
            let mut at = 0;
            while at + 12 <= bytes.len() {
                let key = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
                let n = u32::from_le_bytes(bytes[at + 8..at + 12].try_into().unwrap()) as usize;
                at += 12;
                if at + 4 * n > bytes.len() {
                    break;
                }
                let v = bytes[at..at + 4 * n]
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
                    .collect();
                at += 4 * n;
                vectors.insert(key, v);
            }
        }
        Ok(EmbeddingCache {
            path: path.map(Path::to_path_buf),
            vectors,
            added: 0,
            saved: 0,
        })
    }

    /// Embeddings of `texts`, computing (and remembering) the ones not cached yet.
    pub fn embed(
        &mut self,
        embedder: &Embedder,
        texts: &[&str],
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        let missing: Vec<&str> = texts
            .iter()
            .copied()
            .filter(|t| !self.vectors.contains_key(&key_of(t)))
            .collect();
        // Batches of a few hundred texts keep the padding waste of sorting by length
        // low and let progress be saved.
        for chunk in missing.chunks(256) {
            let vectors = embedder.embed(chunk)?;
            for (t, v) in chunk.iter().zip(vectors) {
                self.insert(t, v);
            }
            // Saved as it goes: a 12-layer model takes minutes per thousand texts.
            if self.added >= self.saved + 1024 {
                eprintln!("  {} texts embedded so far", self.added);
                self.save()
                    .map_err(|e| EmbedError::Model(format!("cache: {e}")))?;
            }
        }
        Ok(texts
            .iter()
            .map(|t| self.vectors[&key_of(t)].clone())
            .collect())
    }

    /// Remember `vector` as the embedding of `text`.
    pub fn insert(&mut self, text: &str, vector: Vec<f32>) {
        self.vectors.insert(key_of(text), vector);
        self.added += 1;
    }

    /// The cached embedding of `text`, if any.
    pub fn get(&self, text: &str) -> Option<&[f32]> {
        self.vectors.get(&key_of(text)).map(Vec::as_slice)
    }

    /// Write the cache back if anything was added since the last save.
    pub fn save(&mut self) -> io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if self.added == self.saved {
            return Ok(());
        }
        self.saved = self.added;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("tmp");
        let mut out = BufWriter::new(fs::File::create(&tmp)?);
        let mut keys: Vec<&u64> = self.vectors.keys().collect();
        keys.sort_unstable();
        for key in keys {
            let v = &self.vectors[key];
            out.write_all(&key.to_le_bytes())?;
            out.write_all(&(v.len() as u32).to_le_bytes())?;
            for x in v {
                out.write_all(&x.to_le_bytes())?;
            }
        }
        out.flush()?;
        drop(out);
        fs::rename(tmp, path)
    }
}

/// Fill `paragraph_embeddings` of every document in `language` (only languages the
/// embedder covers should be asked for). Returns how many paragraphs were embedded.
pub fn embed_paragraphs(
    embedder: &Embedder,
    cache: &mut EmbeddingCache,
    docs: &mut [LabelledDoc],
    language: &str,
) -> Result<usize, EmbedError> {
    embed_each(
        embedder,
        cache,
        docs,
        language,
        |d| d.paragraphs.iter().map(|p| d.doc.slice(p.1)).collect(),
        |d, vectors| d.paragraph_embeddings = vectors,
    )
}

/// Fill `sentence_embeddings` (one per `doc.sentences`) of every document in
/// `language`. Returns how many sentences were embedded.
pub fn embed_sentences(
    embedder: &Embedder,
    cache: &mut EmbeddingCache,
    docs: &mut [LabelledDoc],
    language: &str,
) -> Result<usize, EmbedError> {
    embed_each(
        embedder,
        cache,
        docs,
        language,
        |d| d.doc.sentences.iter().map(|s| d.doc.slice(*s)).collect(),
        |d, vectors| d.sentence_embeddings = vectors,
    )
}

/// Embed the texts `texts_of` picks from each document in `language` and hand the
/// vectors to `store`. Returns how many texts were embedded.
fn embed_each(
    embedder: &Embedder,
    cache: &mut EmbeddingCache,
    docs: &mut [LabelledDoc],
    language: &str,
    texts_of: impl for<'d> Fn(&'d LabelledDoc) -> Vec<&'d str>,
    store: impl Fn(&mut LabelledDoc, Vec<Vec<f32>>),
) -> Result<usize, EmbedError> {
    let mut count = 0;
    for d in docs.iter_mut().filter(|d| d.language == language) {
        let vectors = cache.embed(embedder, &texts_of(d))?;
        count += vectors.len();
        store(d, vectors);
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_survives_a_save_and_reopen() {
        let path = std::env::temp_dir().join(format!("sift-cache-test-{}.bin", std::process::id()));
        let mut cache = EmbeddingCache::open(Some(&path)).unwrap();
        cache.insert("Они лгут.", vec![0.5, -0.25]);
        cache.insert("They lie.", vec![1.0, 0.0, 2.0]);
        cache.save().unwrap();
        let reopened = EmbeddingCache::open(Some(&path)).unwrap();
        assert_eq!(reopened.get("They lie."), Some(&[1.0, 0.0, 2.0][..]));
        assert_eq!(reopened.get("Они лгут."), Some(&[0.5, -0.25][..]));
        assert_eq!(reopened.get("They lie"), None);
        fs::remove_file(&path).unwrap();
    }
}
