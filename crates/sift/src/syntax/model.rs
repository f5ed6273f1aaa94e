//! One language's syntax model: tag set, tagger, lemmatiser, relation labels and
//! parser, in one gzip-compressed little-endian file (`models/syntax-{en,ru}.bin`).

use std::io::{Read, Write};

use super::lemma::Lemmatizer;
use super::parser::{self, Node};
use super::perceptron::{write_string, FeatureHash, Reader, Weights};
use super::tagger::{self, TagInfo, WordView};
use super::tags::{intern, Feats, Upos};

const MAGIC: &[u8; 8] = b"SIFTSYN1";

/// A trained syntax model for one language.
#[derive(Debug, Clone, Default)]
pub struct SyntaxModel {
    /// What each joint tag means.
    pub tags: Vec<TagInfo>,
    /// Tagger weights (classes = `tags`).
    pub tagger: Weights,
    /// Lemmatiser.
    pub lemmas: Lemmatizer,
    /// Full relation labels (`nsubj:pass`), interned.
    pub labels: Vec<&'static str>,
    /// Parser weights (classes = [`parser::n_classes`]).
    pub parser: Weights,
}

/// The analysis of one word of a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Joint tag index.
    pub tag: usize,
    /// Lemma.
    pub lemma: String,
    /// Head, 1-based within the sentence; 0 = root.
    pub head: usize,
    /// Label index.
    pub label: usize,
}

/// The parser's view of words with known tags (index 0 = root).
pub fn nodes(views: &[WordView], tags: &[TagInfo]) -> Vec<Node> {
    let mut out = Vec::with_capacity(views.len() + 1);
    out.push(Node {
        word: 2,
        pos: 0,
        case: 0,
    });
    for (v, t) in views.iter().zip(tags) {
        out.push(Node {
            word: FeatureHash::new(200).str(&v.lower).done(),
            pos: t.upos as u64 + 1,
            case: t.feats.case().map_or(0, |c| c as u64 + 1),
        });
    }
    out
}

impl SyntaxModel {
    /// Tag, lemmatise and parse one sentence of word forms.
    pub fn analyze(&self, forms: &[&str]) -> Vec<Analysis> {
        if forms.is_empty() || self.tags.is_empty() {
            return Vec::new();
        }
        let views: Vec<WordView> = forms.iter().map(|f| WordView::new(f)).collect();
        let tag_ids = tagger::tag(&self.tagger, &self.tags, &views);
        let infos: Vec<TagInfo> = tag_ids.iter().map(|&t| self.tags[t]).collect();
        let arcs = parser::parse(&self.parser, &nodes(&views, &infos));
        forms
            .iter()
            .zip(tag_ids)
            .zip(arcs)
            .map(|((form, tag), (head, label))| Analysis {
                tag,
                lemma: self.lemmas.lemma(form, tag, self.tags[tag].upos as usize),
                head,
                label,
            })
            .collect()
    }

    /// Serialise, gzip-compressed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&(self.tags.len() as u32).to_le_bytes());
        for t in &self.tags {
            write_string(&mut raw, t.upos.as_str());
            write_string(&mut raw, t.feats.as_str());
        }
        self.tagger.write(&mut raw);
        self.lemmas.write(&mut raw);
        raw.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        for l in &self.labels {
            write_string(&mut raw, l);
        }
        self.parser.write(&mut raw);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw).expect("writing to memory");
        gz.finish().expect("writing to memory")
    }

    /// Read what [`SyntaxModel::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<SyntaxModel, String> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(|e| format!("not a gzip stream: {e}"))?;
        if !raw.starts_with(MAGIC) {
            return Err("not a sift syntax model".into());
        }
        let mut r = Reader::new(&raw[MAGIC.len()..]);
        let mut m = SyntaxModel::default();
        for _ in 0..r.u32()? {
            let upos = r.string()?;
            let upos = Upos::from_ud(upos).ok_or_else(|| format!("unknown UPOS {upos}"))?;
            let feats = Feats::parse(r.string()?);
            m.tags.push(TagInfo { upos, feats });
        }
        m.tagger = Weights::read(&mut r)?;
        m.lemmas = Lemmatizer::read(&mut r)?;
        for _ in 0..r.u32()? {
            m.labels.push(intern(r.string()?));
        }
        m.parser = Weights::read(&mut r)?;
        if m.tagger.n_classes() != m.tags.len()
            || m.parser.n_classes() != parser::n_classes(m.labels.len())
        {
            return Err("class counts do not match the tag and label sets".into());
        }
        Ok(m)
    }
}
