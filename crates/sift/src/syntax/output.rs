//! Syntax as CoNLL-U: a document's words ([`document_sentences`]), and a model's
//! analysis written into sentences whose words are given ([`fill_sentence`]), the
//! standard way to score with gold tokenisation.

use super::conllu::{Row, Sentence};
use super::model::SyntaxModel;
use super::Syntax;
use crate::document::Document;

/// The document's sentences with their words' analyses (`# sent_id`, `# text`).
pub fn document_sentences(doc: &Document, syntax: &Syntax) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (k, range) in syntax.sentences.iter().enumerate() {
        if range.is_empty() {
            continue;
        }
        let text = doc.slice(doc.sentences[k]).replace(['\n', '\r'], " ");
        let mut s = Sentence {
            comments: vec![
                format!(" sent_id = {}-{}", doc.id, k + 1),
                format!(" text = {text}"),
            ],
            rows: Vec::new(),
        };
        for i in range.clone() {
            let w = &syntax.words[i];
            let next_start = syntax.words.get(i + 1).map(|n| n.span.start);
            let misc = if next_start == Some(w.span.end) && i + 1 < range.end {
                "SpaceAfter=No"
            } else {
                "_"
            };
            let head = w.head.map_or(0, |h| h - range.start + 1);
            s.rows.push(row(
                i - range.start + 1,
                doc.slice(w.span),
                &w.lemma,
                w.upos.as_str(),
                w.feats.as_str(),
                head,
                w.relation,
                misc,
            ));
        }
        out.push(s);
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn row(
    id: usize,
    form: &str,
    lemma: &str,
    upos: &str,
    feats: &str,
    head: usize,
    rel: &str,
    misc: &str,
) -> Row {
    let clean = |s: &str| {
        let s: String = s
            .chars()
            .map(|c| if c.is_whitespace() { '_' } else { c })
            .collect();
        if s.is_empty() {
            "_".to_string()
        } else {
            s
        }
    };
    Row {
        columns: [
            id.to_string(),
            clean(form),
            clean(lemma),
            upos.to_string(),
            "_".to_string(),
            clean(feats),
            head.to_string(),
            rel.to_string(),
            "_".to_string(),
            misc.to_string(),
        ],
    }
}

/// Fill LEMMA, UPOS, FEATS, HEAD and DEPREL of `sentence`'s words from `model`,
/// keeping ids, forms and every other column and line.
pub fn fill_sentence(model: &SyntaxModel, sentence: &mut Sentence) {
    let forms: Vec<String> = sentence.words().map(|r| r.form().to_string()).collect();
    let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
    let analyses = model.analyze(&forms);
    for (r, a) in sentence.words_mut().zip(analyses) {
        let tag = model.tags[a.tag];
        let feats = tag.feats.as_str();
        r.columns[2] = if a.lemma.is_empty() {
            "_".into()
        } else {
            a.lemma
        };
        r.columns[3] = tag.upos.as_str().to_string();
        r.columns[5] = if feats.is_empty() {
            "_".into()
        } else {
            feats.to_string()
        };
        r.columns[6] = a.head.to_string();
        r.columns[7] = if a.head == 0 {
            "root".to_string()
        } else {
            model.labels[a.label].to_string()
        };
    }
}
