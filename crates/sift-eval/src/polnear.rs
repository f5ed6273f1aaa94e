//! PolNeAR loader: brat standoff `.ann` beside `.txt`, one annotation file per article
//! (the first annotator's, by file name, when several annotated the same article).

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use sift::train::attribution::crf::{self, CrfModel, Sequence, TagRole};
use sift::Document;

use crate::attribution::{trim_span, Role, RoleSpan};

/// One article with its gold source/cue/content spans (char offsets, half-open).
/// Discontinuous brat spans are kept as their fragments.
#[derive(Debug, Clone)]
pub struct Article {
    pub name: String,
    pub text: String,
    pub spans: Vec<RoleSpan>,
}

/// Parse a brat `.ann` file: every `T` line labelled Source, Cue or Content.
pub fn parse_ann(ann: &str) -> Vec<RoleSpan> {
    let mut out = Vec::new();
    for line in ann.lines() {
        if !line.starts_with('T') {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(_id), Some(head)) = (fields.next(), fields.next()) else {
            continue;
        };
        let mut parts = head.splitn(2, ' ');
        let role = match parts.next() {
            Some("Source") => Role::Source,
            Some("Cue") => Role::Cue,
            Some("Content") => Role::Content,
            _ => continue,
        };
        let Some(ranges) = parts.next() else { continue };
        for frag in ranges.split(';') {
            let mut nums = frag.split_whitespace().map(|n| n.parse::<usize>());
            if let (Some(Ok(start)), Some(Ok(end))) = (nums.next(), nums.next()) {
                if start < end {
                    out.push(RoleSpan { role, start, end });
                }
            }
        }
    }
    out.sort_by_key(|s| (s.start, s.end, s.role));
    out.dedup();
    out
}

/// Load `polnear/data/<split>` (train or dev), sorted by article name.
pub fn load_split(polnear_dir: &Path, split: &str) -> io::Result<Vec<Article>> {
    let base = polnear_dir.join("data").join(split);
    let mut ann_by_article: BTreeMap<String, String> = BTreeMap::new();
    let mut names: Vec<String> = std::fs::read_dir(base.join("attributions"))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ann"))
        .collect();
    names.sort();
    for n in names {
        // `<article>_<annotator>.ann`; the annotator code is the last `_` field.
        let stem = n.trim_end_matches(".ann");
        let article = stem.rsplit_once('_').map(|(a, _)| a).unwrap_or(stem);
        ann_by_article.entry(article.to_string()).or_insert(n);
    }
    let mut out = Vec::new();
    for (article, ann_name) in ann_by_article {
        let txt = base.join("text").join(format!("{article}.txt"));
        let Ok(text) = std::fs::read_to_string(&txt) else {
            continue;
        };
        let ann = std::fs::read_to_string(base.join("attributions").join(&ann_name))?;
        let chars: Vec<char> = text.chars().collect();
        let mut spans: Vec<RoleSpan> = parse_ann(&ann)
            .into_iter()
            .filter(|s| s.end <= chars.len())
            .map(|s| {
                let (start, end) = trim_span(&chars, s.start, s.end);
                RoleSpan { start, end, ..s }
            })
            .filter(|s| s.start < s.end)
            .collect();
        spans.dedup();
        out.push(Article {
            name: article,
            text,
            spans,
        });
    }
    Ok(out)
}

/// The article as CRF training sequences (one per paragraph) with BIO label ids.
pub fn sequences(article: &Article) -> Vec<(Sequence<'static>, Vec<usize>)> {
    let doc = Document::from_text(&article.text);
    let n = article.text.chars().count();
    // Per source char: (role, span number) of the gold span covering it.
    let mut cover: Vec<Option<(Role, usize)>> = vec![None; n + 1];
    for (k, s) in article.spans.iter().enumerate() {
        for c in cover.iter_mut().take(s.end).skip(s.start) {
            *c = Some((s.role, k));
        }
    }
    let mut out = Vec::new();
    for p in &doc.paragraphs {
        let seq = Sequence::from_doc(&doc, *p);
        let mut labels = Vec::with_capacity(seq.len());
        let mut prev: Option<usize> = None;
        for span in &seq.spans {
            let c = doc.source_char_of(span.start).min(n);
            let label = match cover[c] {
                None => {
                    prev = None;
                    0
                }
                Some((role, k)) => {
                    let base = match role {
                        Role::Source => 1,
                        Role::Cue => 3,
                        Role::Content => 5,
                    };
                    let begins = prev != Some(k);
                    prev = Some(k);
                    if begins {
                        base
                    } else {
                        base + 1
                    }
                }
            };
            labels.push(label);
        }
        out.push((seq, labels));
    }
    out
}

/// Tag an article with a CRF model and return its spans in source char offsets.
pub fn predict(model: &CrfModel, article: &Article) -> Vec<RoleSpan> {
    let doc = Document::from_text(&article.text);
    let mut out = Vec::new();
    for p in &doc.paragraphs {
        let seq = Sequence::from_doc(&doc, *p);
        let labels = model.tag(&seq);
        out.extend(runs_to_spans(&doc, &seq, &crf::decode(&labels)));
    }
    out
}

/// Token runs to role spans in the source text's char offsets.
pub fn runs_to_spans(
    doc: &Document,
    seq: &Sequence,
    runs: &[(TagRole, usize, usize)],
) -> Vec<RoleSpan> {
    runs.iter()
        .map(|&(role, a, b)| RoleSpan {
            role: match role {
                TagRole::Source => Role::Source,
                TagRole::Cue => Role::Cue,
                TagRole::Content => Role::Content,
            },
            start: doc.source_char_of(seq.spans[a].start),
            end: doc.source_char_of(seq.spans[b - 1].end - 1) + 1,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brat_lines_with_fragments_and_noise_are_parsed() {
        let ann = "T1\tSource 0 3\tHe\nT2\tCue 4 8\tsaid\nT3\tContent 9 12;14 20\tab cd\n\
                   T4\tAttribution 4 8\tsaid\nE1\tAttribution:T4 Cue:T2\n#1\tnote\n";
        let spans = parse_ann(ann);
        assert_eq!(
            spans,
            vec![
                RoleSpan {
                    role: Role::Source,
                    start: 0,
                    end: 3
                },
                RoleSpan {
                    role: Role::Cue,
                    start: 4,
                    end: 8
                },
                RoleSpan {
                    role: Role::Content,
                    start: 9,
                    end: 12
                },
                RoleSpan {
                    role: Role::Content,
                    start: 14,
                    end: 20
                },
            ]
        );
    }
}
