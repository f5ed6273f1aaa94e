//! The learned half of attribution: a linear-chain CRF that tags each token of
//! a paragraph as source, cue or content (BIO), trained on PolNeAR with the
//! `crfs` crate and stored in a compact format of our own (`models/attribution-crf.bin`).
//!
//! Training goes through `crfs` (CRFsuite's L-BFGS); inference does not: the
//! model is flattened into a hash table from feature hash to per-label weights,
//! so tagging allocates no feature strings and costs one table lookup per
//! feature. The same [`extract`] function feeds both, so training and inference
//! cannot drift apart.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io;
use std::sync::OnceLock;

use crate::document::{Document, Span, TokenKind};

use super::lexicon::{cue_class, CueClass};

/// Tag set, in the order of the model's label ids.
pub const LABELS: [&str; 7] = ["O", "B-S", "I-S", "B-C", "I-C", "B-Q", "I-Q"];

/// The role of a span found by the tagger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TagRole {
    Source,
    Cue,
    Content,
}

/// A sequence to tag: the tokens of one paragraph.
#[derive(Debug, Clone)]
pub struct Sequence {
    /// Char spans of the tokens in the document.
    pub spans: Vec<Span>,
    /// Lowercased token text; numbers collapse to "0".
    pub lower: Vec<String>,
    pub kinds: Vec<TokenKind>,
    /// Whether the token begins a capitalised word.
    pub capital: Vec<bool>,
    /// Whether the token opens a sentence.
    pub sentence_start: Vec<bool>,
}

impl Sequence {
    /// The tokens of `doc` inside `span` (a paragraph), with their features' raw material.
    pub fn from_doc(doc: &Document, span: Span) -> Sequence {
        let toks = doc.tokens_in(span);
        let mut seq = Sequence {
            spans: Vec::with_capacity(toks.len()),
            lower: Vec::with_capacity(toks.len()),
            kinds: Vec::with_capacity(toks.len()),
            capital: Vec::with_capacity(toks.len()),
            sentence_start: Vec::with_capacity(toks.len()),
        };
        let mut sent = doc.sentence_at(span.start).unwrap_or(0);
        for t in toks {
            let text = doc.slice(t.span());
            let mut starts = false;
            while sent < doc.sentences.len() && doc.sentences[sent].end <= t.start {
                sent += 1;
            }
            if sent < doc.sentences.len() && doc.sentences[sent].start == t.start {
                starts = true;
            }
            seq.spans.push(t.span());
            seq.kinds.push(t.kind);
            seq.capital
                .push(text.chars().next().is_some_and(|c| c.is_uppercase()));
            seq.sentence_start.push(starts || seq.spans.len() == 1);
            seq.lower.push(match t.kind {
                TokenKind::Number => "0".to_string(),
                _ => text.to_lowercase(),
            });
        }
        seq
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

fn is_open_quote(w: &str) -> bool {
    matches!(w, "“" | "«" | "„" | "‘")
}

fn is_close_quote(w: &str) -> bool {
    matches!(w, "”" | "»" | "’")
}

/// Feed every feature of every token to `emit(token, template, value)`.
/// Templates are single bytes; values are short strings.
pub fn extract(seq: &Sequence, emit: &mut impl FnMut(usize, u8, &str)) {
    let n = seq.len();
    let cue: Vec<Option<CueClass>> = seq.lower.iter().map(|w| cue_class(w)).collect();
    // Inside-quotation state: curly and guillemet quotes open and close, straight quotes toggle.
    let mut in_quote = vec![false; n];
    let mut open = false;
    for i in 0..n {
        let w = seq.lower[i].as_str();
        if is_open_quote(w) || (w == "\"" && !open) {
            open = true;
            in_quote[i] = true;
            continue;
        }
        if is_close_quote(w) || w == "\"" {
            in_quote[i] = open;
            open = false;
            continue;
        }
        in_quote[i] = open;
    }
    // Sentence index of each token, for the distance-to-cue feature.
    let mut sentence_of = vec![0usize; n];
    let mut s = 0;
    for i in 0..n {
        if i > 0 && seq.sentence_start[i] {
            s += 1;
        }
        sentence_of[i] = s;
    }
    let word = |i: isize| -> &str {
        if i < 0 {
            "<s>"
        } else if i as usize >= n {
            "</s>"
        } else {
            seq.lower[i as usize].as_str()
        }
    };
    let mut buf = String::new();
    for i in 0..n {
        let w = seq.lower[i].as_str();
        let ii = i as isize;
        emit(i, b'w', w);
        emit(i, b'p', word(ii - 1));
        emit(i, b'n', word(ii + 1));
        emit(i, b'P', word(ii - 2));
        emit(i, b'N', word(ii + 2));
        buf.clear();
        buf.push_str(word(ii - 1));
        buf.push('|');
        buf.push_str(w);
        emit(i, b'b', &buf);
        buf.clear();
        buf.push_str(w);
        buf.push('|');
        buf.push_str(word(ii + 1));
        emit(i, b'B', &buf);
        let chars = w.chars().count();
        if chars > 3 {
            let suffix: String = w.chars().skip(chars - 3).collect();
            emit(i, b's', &suffix);
        }
        let shape = match seq.kinds[i] {
            TokenKind::Number => "d",
            TokenKind::Word if seq.capital[i] => "X",
            TokenKind::Word => "x",
            TokenKind::Punct if is_open_quote(w) => "qo",
            TokenKind::Punct if is_close_quote(w) => "qc",
            TokenKind::Punct => w,
            TokenKind::Symbol => "sym",
        };
        emit(i, b'h', shape);
        if let Some(c) = cue[i] {
            emit(i, b'c', cue_name(c));
        }
        if i > 0 {
            if let Some(c) = cue[i - 1] {
                emit(i, b'C', cue_name(c));
            }
        }
        if i + 1 < n {
            if let Some(c) = cue[i + 1] {
                emit(i, b'D', cue_name(c));
            }
        }
        emit(i, b'q', if in_quote[i] { "1" } else { "0" });
        if seq.sentence_start[i] {
            emit(i, b'f', "1");
        }
        // Nearest cue in the same sentence, by direction and distance.
        let mut best: Option<isize> = None;
        let mut j = i;
        while j > 0 && sentence_of[j - 1] == sentence_of[i] && i - j < 12 {
            j -= 1;
            if cue[j].is_some() {
                best = Some(j as isize - ii);
                break;
            }
        }
        let mut k = i + 1;
        while k < n && sentence_of[k] == sentence_of[i] && k - i <= 12 {
            if cue[k].is_some() {
                let d = k as isize - ii;
                if best.is_none_or(|b| d < -b) {
                    best = Some(d);
                }
                break;
            }
            k += 1;
        }
        let dist = match best {
            None => "none",
            Some(-1) => "L1",
            Some(-2) => "L2",
            Some(-4..=-3) => "L3",
            Some(d) if d < 0 => "L5",
            Some(1) => "R1",
            Some(2) => "R2",
            Some(3..=4) => "R3",
            Some(_) => "R5",
        };
        emit(i, b'd', dist);
        if i > 0 && matches!(word(ii - 1), "that" | "что" | "чтобы" | ":") {
            emit(i, b't', "1");
        }
    }
}

fn cue_name(c: CueClass) -> &'static str {
    match c {
        CueClass::Speech => "v",
        CueClass::Cognition => "k",
        CueClass::Prepositional => "a",
    }
}

/// FNV-1a over the template byte and the value: the key of a feature in the model.
pub fn feature_hash(template: u8, value: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    h ^= template as u64;
    h = h.wrapping_mul(0x0000_0100_0000_01b3);
    for b in value.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Keys are already hashes; pass them through.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

const MAGIC: &[u8; 8] = b"SIFTCRF1";

/// A trained tagger in inference form.
pub struct CrfModel {
    num_labels: usize,
    /// `transitions[from * L + to]`.
    transitions: Vec<f32>,
    /// Feature hash → offset into `weights` (L weights each).
    index: HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>,
    weights: Vec<f32>,
}

impl CrfModel {
    /// Read our model format (see [`compile`]).
    pub fn from_bytes(bytes: &[u8]) -> io::Result<CrfModel> {
        let bad = || io::Error::new(io::ErrorKind::InvalidData, "bad attribution model");
        if bytes.len() < 16 || &bytes[..8] != MAGIC {
            return Err(bad());
        }
        let u32_at = |o: usize| -> io::Result<u32> {
            bytes
                .get(o..o + 4)
                .map(|b| u32::from_le_bytes(b.try_into().unwrap()))
                .ok_or_else(bad)
        };
        let f32_at = |o: usize| -> io::Result<f32> {
            bytes
                .get(o..o + 4)
                .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
                .ok_or_else(bad)
        };
        let num_labels = u32_at(8)? as usize;
        if num_labels != LABELS.len() {
            return Err(bad());
        }
        let mut o = 12;
        let mut transitions = Vec::with_capacity(num_labels * num_labels);
        for _ in 0..num_labels * num_labels {
            transitions.push(f32_at(o)?);
            o += 4;
        }
        let entries = u32_at(o)? as usize;
        o += 4;
        let mut index = HashMap::with_capacity_and_hasher(entries, Default::default());
        let mut weights = Vec::with_capacity(entries * num_labels);
        for e in 0..entries {
            let h = bytes
                .get(o..o + 8)
                .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
                .ok_or_else(bad)?;
            o += 8;
            index.insert(h, (e * num_labels) as u32);
            for _ in 0..num_labels {
                weights.push(f32_at(o)?);
                o += 4;
            }
        }
        Ok(CrfModel {
            num_labels,
            transitions,
            index,
            weights,
        })
    }

    /// Number of state-feature entries.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The most likely label id per token (Viterbi).
    pub fn tag(&self, seq: &Sequence) -> Vec<usize> {
        let n = seq.len();
        let l = self.num_labels;
        if n == 0 {
            return Vec::new();
        }
        let mut state = vec![0f32; n * l];
        extract(seq, &mut |i, t, v| {
            if let Some(&off) = self.index.get(&feature_hash(t, v)) {
                let w = &self.weights[off as usize..off as usize + l];
                for (s, x) in state[i * l..(i + 1) * l].iter_mut().zip(w) {
                    *s += x;
                }
            }
        });
        let mut score = state[..l].to_vec();
        let mut back = vec![0u8; n * l];
        let mut next = vec![0f32; l];
        for i in 1..n {
            for to in 0..l {
                let mut best = f32::NEG_INFINITY;
                let mut arg = 0;
                for (from, s) in score.iter().enumerate() {
                    let v = s + self.transitions[from * l + to];
                    if v > best {
                        best = v;
                        arg = from;
                    }
                }
                next[to] = best + state[i * l + to];
                back[i * l + to] = arg as u8;
            }
            std::mem::swap(&mut score, &mut next);
        }
        let mut last = (0..l)
            .max_by(|&a, &b| score[a].total_cmp(&score[b]))
            .unwrap_or(0);
        let mut out = vec![0usize; n];
        for i in (0..n).rev() {
            out[i] = last;
            last = back[i * l + last] as usize;
        }
        out
    }
}

/// Turn label ids into (role, first token, last token + 1) runs.
pub fn decode(labels: &[usize]) -> Vec<(TagRole, usize, usize)> {
    let role_of = |id: usize| match id {
        1 | 2 => Some(TagRole::Source),
        3 | 4 => Some(TagRole::Cue),
        5 | 6 => Some(TagRole::Content),
        _ => None,
    };
    let mut out: Vec<(TagRole, usize, usize)> = Vec::new();
    for (i, &id) in labels.iter().enumerate() {
        let Some(role) = role_of(id) else { continue };
        let begins = id % 2 == 1;
        match out.last_mut() {
            Some((r, _, end)) if *r == role && *end == i && !begins => *end = i + 1,
            _ => out.push((role, i, i + 1)),
        }
    }
    out
}

/// The embedded model, loaded once.
pub fn embedded() -> Option<&'static CrfModel> {
    static MODEL: OnceLock<Option<CrfModel>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let bytes: &[u8] = include_bytes!("../../../../../models/attribution-crf.bin");
            CrfModel::from_bytes(bytes).ok()
        })
        .as_ref()
}

/// How the CRF weights are fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// Averaged perceptron: one Viterbi pass per sequence per epoch; minutes on 2 cores.
    Perceptron,
    /// L-BFGS on the regularised likelihood: better optimum, ~10× the time per iteration.
    Lbfgs,
}

/// Training parameters (see `sift train attribution`).
#[derive(Debug, Clone)]
pub struct TrainParams {
    pub algorithm: Algorithm,
    /// Epochs (perceptron) or iterations (L-BFGS).
    pub max_iterations: usize,
    /// L1 and L2 regularisation (L-BFGS only).
    pub c1: f64,
    pub c2: f64,
    /// Features seen fewer times than this are dropped.
    pub min_freq: f64,
    /// Shuffle seed (perceptron).
    pub seed: u64,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            algorithm: Algorithm::Perceptron,
            max_iterations: 10,
            c1: 0.05,
            c2: 0.01,
            min_freq: 2.0,
            seed: 42,
        }
    }
}

/// Feed the data to a `crfs` trainer, train to a temporary file, return its bytes.
/// (A macro because `crfs` does not export the trait its trainers share.)
macro_rules! fit {
    ($trainer:expr, $data:expr, $params:expr, $verbose:expr) => {{
        let trainer = &mut $trainer;
        trainer.verbose($verbose);
        trainer.set_feature_minfreq($params.min_freq)?;
        for (seq, labels) in $data {
            if seq.is_empty() {
                continue;
            }
            let mut items: Vec<Vec<crfs::Attribute>> = vec![Vec::new(); seq.len()];
            extract(seq, &mut |i, t, v| {
                items[i].push(crfs::Attribute::new(format!("{}{}", t as char, v), 1.0))
            });
            let ys: Vec<&str> = labels.iter().map(|&l| LABELS[l]).collect();
            trainer.append(&items, &ys)?;
        }
        let dir = std::env::temp_dir().join(format!("sift-crf-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("model.crfsuite");
        trainer.train(&path)?;
        let raw = std::fs::read(&path)?;
        let _ = std::fs::remove_dir_all(&dir);
        raw
    }};
}

/// Train on tagged sequences (label ids per token) and return the model in our format.
/// L-BFGS is deterministic, so the same data gives the same model.
pub fn train(
    data: &[(Sequence, Vec<usize>)],
    params: &TrainParams,
    verbose: bool,
) -> io::Result<Vec<u8>> {
    let raw = match params.algorithm {
        Algorithm::Lbfgs => {
            let mut trainer = crfs::train::Trainer::lbfgs()
                .with_c1(params.c1)?
                .with_c2(params.c2)?
                .with_max_iterations(params.max_iterations)?;
            fit!(trainer, data, params, verbose)
        }
        Algorithm::Perceptron => {
            let mut trainer = crfs::train::Trainer::averaged_perceptron()
                .with_max_iterations(params.max_iterations)?;
            trainer.params_mut().set_shuffle_seed(Some(params.seed));
            fit!(trainer, data, params, verbose)
        }
    };
    compile(&raw)
}

/// Convert a CRFsuite model into our format: labels in [`LABELS`] order, the
/// transition matrix, then (feature hash, L weights) per attribute with any weight.
pub fn compile(crfsuite: &[u8]) -> io::Result<Vec<u8>> {
    let model = crfs::Model::new(crfsuite)?;
    let mut dump = Vec::new();
    model.dump(&mut dump)?;
    let dump = String::from_utf8_lossy(&dump);
    let l = LABELS.len();
    let label_id = |s: &str| LABELS.iter().position(|x| *x == s.trim());
    let mut transitions = vec![0f32; l * l];
    let mut states: HashMap<String, Vec<f32>> = HashMap::new();
    let mut section = "";
    for line in dump.lines() {
        if line.ends_with("= {") {
            section = if line.starts_with("TRANSITIONS") {
                "t"
            } else if line.starts_with("STATE_FEATURES") {
                "s"
            } else {
                ""
            };
            continue;
        }
        if section.is_empty() {
            continue;
        }
        // "  (1) NAME --> LABEL: WEIGHT"
        let Some(rest) = line.trim_start().split_once(") ").map(|(_, r)| r) else {
            continue;
        };
        let Some((lhs, rhs)) = rest.rsplit_once(" --> ") else {
            continue;
        };
        let Some((label, weight)) = rhs.rsplit_once(": ") else {
            continue;
        };
        let (Some(to), Ok(weight)) = (label_id(label), weight.trim().parse::<f32>()) else {
            continue;
        };
        if section == "t" {
            if let Some(from) = label_id(lhs) {
                transitions[from * l + to] = weight;
            }
        } else if weight != 0.0 {
            states
                .entry(lhs.to_string())
                .or_insert_with(|| vec![0.0; l])[to] = weight;
        }
    }
    // Labels never seen in training cannot follow anything.
    for (id, name) in LABELS.iter().enumerate() {
        if model.to_label_id(name).is_none() {
            for from in 0..l {
                transitions[from * l + id] = -1e4;
            }
        }
    }
    let mut entries: Vec<(u64, Vec<f32>)> = states
        .into_iter()
        .filter_map(|(name, w)| {
            let mut chars = name.chars();
            let t = chars.next()?;
            Some((feature_hash(t as u8, chars.as_str()), w))
        })
        .collect();
    entries.sort_by_key(|e| e.0);
    let mut out = Vec::with_capacity(16 + entries.len() * (8 + 4 * l));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(l as u32).to_le_bytes());
    for w in &transitions {
        out.extend_from_slice(&w.to_le_bytes());
    }
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for (h, w) in entries {
        out.extend_from_slice(&h.to_le_bytes());
        for x in w {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bio_runs_split_on_begin_tags_and_role_changes() {
        // O B-S I-S B-C B-Q I-Q B-Q I-C
        let runs = decode(&[0, 1, 2, 3, 5, 6, 5, 4]);
        assert_eq!(
            runs,
            vec![
                (TagRole::Source, 1, 3),
                (TagRole::Cue, 3, 4),
                (TagRole::Content, 4, 6),
                (TagRole::Content, 6, 7),
                (TagRole::Cue, 7, 8),
            ]
        );
    }

    #[test]
    fn features_mark_cues_quotes_and_distance() {
        let doc = Document::from_text("“We will win,” she said.");
        let seq = Sequence::from_doc(&doc, doc.paragraphs[0]);
        let mut feats: Vec<(usize, u8, String)> = Vec::new();
        extract(&seq, &mut |i, t, v| feats.push((i, t, v.to_string())));
        let has = |i: usize, t: u8, v: &str| feats.iter().any(|f| f.0 == i && f.1 == t && f.2 == v);
        let said = seq.lower.iter().position(|w| w == "said").unwrap();
        assert!(has(said, b'c', "v"));
        assert!(has(1, b'q', "1"), "“We” is inside the quote");
        assert!(has(said, b'q', "0"));
        assert!(has(said - 1, b'd', "R1"), "“she” is just left of the cue");
    }

    #[test]
    fn a_tiny_model_learns_and_round_trips_through_our_format() {
        let doc = Document::from_text("Anna said that prices rose. Boris said that rents fell.");
        let seq = Sequence::from_doc(&doc, doc.paragraphs[0]);
        // Anna said that prices rose . Boris said that rents fell .
        let gold = vec![1, 3, 5, 6, 6, 0, 1, 3, 5, 6, 6, 0];
        assert_eq!(seq.len(), gold.len());
        let data = vec![(seq.clone(), gold.clone())];
        let params = TrainParams {
            algorithm: Algorithm::Lbfgs,
            max_iterations: 50,
            c1: 0.0,
            c2: 0.1,
            min_freq: 0.0,
            seed: 1,
        };
        let bytes = train(&data, &params, false).unwrap();
        let model = CrfModel::from_bytes(&bytes).unwrap();
        assert!(!model.is_empty());
        assert_eq!(model.tag(&seq), gold);
    }

    #[test]
    fn the_embedded_model_loads() {
        let model = embedded().expect("models/attribution-crf.bin is committed and valid");
        assert!(model.len() > 1000);
    }
}
