//! One language's syntax model: tag set, tagger, lemmatiser, relation labels and
//! parser, in one gzip-compressed little-endian file (`models/syntax-{en,ru}.bin`).

use std::io::Write;

use super::lemma::Lemmatizer;
use super::lexicon;
use super::parser::{self, Node, Templates};
use super::perceptron::{write_string, FeatureHash, Reader, Weights};
use super::tagger::{self, TagInfo, WordView};
use super::tags::{intern, Feats, Upos};

/// Version 1 had no flags; version 2 adds a flags byte (bit 0: dictionary readings);
/// version 3 adds the parser's feature templates (a little-endian `u128` bit set).
const MAGIC_V1: &[u8; 8] = b"SIFTSYN1";
const MAGIC_V2: &[u8; 8] = b"SIFTSYN2";
const MAGIC: &[u8; 8] = b"SIFTSYN3";

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
    /// The feature templates the parser reads.
    pub templates: Templates,
    /// The tagger reads the Russian dictionary's readings ([`lexicon`]) and the
    /// lemmatiser prefers the dictionary's lemma.
    pub dictionary: bool,
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

/// The parser's view of words with known tags and lemmas (index 0 = root).
pub fn nodes(views: &[WordView], tags: &[TagInfo], lemmas: &[String]) -> Vec<Node> {
    let mut out = Vec::with_capacity(views.len() + 1);
    out.push(Node {
        word: 2,
        pos: 0,
        case: 0,
        lemma: 2,
        agreement: 0,
        verb_form: 0,
    });
    for ((v, t), lemma) in views.iter().zip(tags).zip(lemmas) {
        let f = &t.feats;
        let code = |x: Option<u64>| x.map_or(0, |x| x + 1);
        out.push(Node {
            word: FeatureHash::new(200).str(&v.lower).done(),
            pos: t.upos as u64 + 1,
            case: code(f.case().map(|c| c as u64)),
            lemma: FeatureHash::new(201).str(&lemma.to_lowercase()).done(),
            agreement: code(f.number().map(|x| x as u64))
                + 8 * code(f.gender().map(|x| x as u64))
                + 64 * code(f.person().map(|x| x as u64)),
            verb_form: code(f.verb_form().map(|x| x as u64))
                + 16 * code(f.voice().map(|x| x as u64)),
        });
    }
    out
}

/// See [`SyntaxModel::lemma`] (the trainer calls it before the model exists).
pub fn lemma_of(
    lemmas: &Lemmatizer,
    tags: &[TagInfo],
    form: &str,
    view: &WordView,
    tag: usize,
) -> String {
    let info = tags[tag];
    if let Some(seen) = lemmas.seen(form, tag, info.upos as usize) {
        return seen.to_string();
    }
    view.dict
        .as_ref()
        .and_then(|d| lexicon::lemma(d, form, info.upos.as_str(), info.feats.as_str()))
        .unwrap_or_else(|| lemmas.lemma(form, tag, info.upos as usize))
}

impl SyntaxModel {
    /// Tag, lemmatise and parse one sentence of word forms.
    pub fn analyze(&self, forms: &[&str]) -> Vec<Analysis> {
        if forms.is_empty() || self.tags.is_empty() {
            return Vec::new();
        }
        let views = WordView::of_sentence(forms, self.dictionary);
        let tag_ids = tagger::tag(&self.tagger, &self.tags, &views);
        let infos: Vec<TagInfo> = tag_ids.iter().map(|&t| self.tags[t]).collect();
        let lemmas: Vec<String> = forms
            .iter()
            .zip(&views)
            .zip(&tag_ids)
            .map(|((form, view), &tag)| self.lemma(form, view, tag))
            .collect();
        let arcs = parser::parse(
            &self.parser,
            self.templates,
            &nodes(&views, &infos, &lemmas),
        );
        tag_ids
            .into_iter()
            .zip(lemmas)
            .zip(arcs)
            .map(|((tag, lemma), (head, label))| Analysis {
                tag,
                lemma,
                head,
                label,
            })
            .collect()
    }

    /// The lemma of `form` with joint tag `tag`: a form-and-tag pair seen in training
    /// keeps its treebank lemma; otherwise the dictionary's reading with that tag, then
    /// the learned edit scripts.
    pub fn lemma(&self, form: &str, view: &WordView, tag: usize) -> String {
        lemma_of(&self.lemmas, &self.tags, form, view, tag)
    }

    /// Serialise, gzip-compressed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.push(u8::from(self.dictionary));
        raw.extend_from_slice(&self.templates.bits().to_le_bytes());
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

    /// Read what [`SyntaxModel::to_bytes`] wrote, decompressing as it goes.
    pub fn from_bytes(bytes: &[u8]) -> Result<SyntaxModel, String> {
        // A gzip member ends with its uncompressed size mod 2^32 (RFC 1952, ISIZE;
        // the models are far below 4 GB), which deflate cannot make over 1032 times
        // its input: a corrupt trailer cannot claim more.
        let size = match bytes.len().checked_sub(4).map(|at| &bytes[at..]) {
            Some(tail) if bytes.starts_with(&[0x1f, 0x8b]) => {
                let declared = u32::from_le_bytes(tail.try_into().expect("4 bytes"));
                (declared as usize).min(bytes.len().saturating_mul(1032))
            }
            _ => return Err("not a gzip stream".into()),
        };
        let mut r = Reader::from_stream(flate2::read::GzDecoder::new(bytes), size);
        let magic = r.take(MAGIC.len())?;
        let (dictionary, templates) = if magic == MAGIC {
            let flags = r.take(1)?[0];
            let bits = u128::from_le_bytes(r.take(16)?.try_into().expect("16 bytes"));
            (flags & 1 != 0, Templates::from_bits(bits)?)
        } else if magic == MAGIC_V2 {
            (r.take(1)?[0] & 1 != 0, Templates::ALL)
        } else if magic == MAGIC_V1 {
            (false, Templates::ALL)
        } else {
            return Err("not a sift syntax model".into());
        };
        let mut m = SyntaxModel {
            dictionary,
            templates,
            ..SyntaxModel::default()
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A damaged model file is an error, never a panic or a runaway allocation: every
    /// prefix of the English model, and the model with its size trailer claiming more.
    #[test]
    fn damaged_models_are_errors() {
        let bytes: &[u8] = include_bytes!("../../models/syntax-en.bin");
        assert!(SyntaxModel::from_bytes(bytes).is_ok());
        for cut in [0, 1, 3, 10, 100, 5_000, bytes.len() / 3, bytes.len() - 5] {
            assert!(
                SyntaxModel::from_bytes(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.to_vec();
        let at = longer.len() - 4;
        longer[at..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(SyntaxModel::from_bytes(&longer).is_err());
        let mut not_ours = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        not_ours.write_all(b"SIFTSYN9 and more").unwrap();
        let not_ours = not_ours.finish().unwrap();
        assert_eq!(
            SyntaxModel::from_bytes(&not_ours).unwrap_err(),
            "not a sift syntax model"
        );
    }

    /// A model stores the parser templates it was trained with and reads them back; the
    /// committed models read the measured sets, not every template.
    #[test]
    fn a_model_keeps_its_parser_templates() {
        let bytes: &[u8] = include_bytes!("../../models/syntax-en.bin");
        let mut m = SyntaxModel::from_bytes(bytes).unwrap();
        assert_eq!(m.templates, Templates::without(parser::ENGLISH_DROPPED));
        m.templates = Templates::without(&[3, 94]);
        let again = SyntaxModel::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(again.templates.dropped(), vec![3, 94]);
        let ru: &[u8] = include_bytes!("../../models/syntax-ru.bin");
        let ru = SyntaxModel::from_bytes(ru).unwrap();
        assert_eq!(ru.templates, Templates::without(parser::RUSSIAN_DROPPED));
    }

    /// A template this build does not compute is a load error, not a silent change of
    /// features.
    #[test]
    fn an_unknown_template_is_an_error() {
        assert!(Templates::from_bits(Templates::ALL.bits()).is_ok());
        assert!(Templates::from_bits(1u128 << parser::N_TEMPLATES).is_err());
        assert_eq!(Templates::without(&[0, 200]).dropped(), vec![0]);
    }
}
