//! quotes-ru: Russian sentences with token-level source/cue/content tags
//! (`ru_tokens.tsv`: lemma, text, sentence id, token index, tag).
//!
//! Each sentence is rebuilt by joining its tokens with single spaces; gold
//! spans are runs of one tag. sift's attributions are scored on it with the
//! same exact/overlap metric as PolNeAR, and per token.

use std::io;
use std::path::Path;

use crate::attribution::{Role, RoleSpan};

/// One sentence: its rebuilt text, token char spans, and gold tag per token.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub id: String,
    pub text: String,
    pub tokens: Vec<(usize, usize)>,
    pub tags: Vec<Option<Role>>,
}

impl Sentence {
    /// Gold spans: maximal runs of one tag.
    pub fn gold_spans(&self) -> Vec<RoleSpan> {
        let mut out: Vec<RoleSpan> = Vec::new();
        let mut prev: Option<Role> = None;
        for (k, tag) in self.tags.iter().enumerate() {
            match (*tag, prev) {
                (Some(r), Some(p)) if r == p => {
                    if let Some(last) = out.last_mut() {
                        last.end = self.tokens[k].1;
                    }
                }
                (Some(r), _) => out.push(RoleSpan {
                    role: r,
                    start: self.tokens[k].0,
                    end: self.tokens[k].1,
                }),
                (None, _) => {}
            }
            prev = *tag;
        }
        out
    }
}

/// Parse `ru_tokens.tsv` (header line first), keeping sentence order.
pub fn parse_tokens(tsv: &str) -> Vec<Sentence> {
    let mut out: Vec<Sentence> = Vec::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            continue;
        }
        let (word, id, tag) = (f[1], f[2], f[4].trim());
        // The file's CSV quoting left `""""` where the text has one `"`.
        let word = if word == "\"\"\"\"" { "\"" } else { word };
        if out.last().is_none_or(|s| s.id != id) {
            out.push(Sentence {
                id: id.to_string(),
                text: String::new(),
                tokens: Vec::new(),
                tags: Vec::new(),
            });
        }
        let s = out.last_mut().expect("just pushed");
        if !s.text.is_empty() {
            s.text.push(' ');
        }
        let start = s.text.chars().count();
        s.text.push_str(word);
        let end = s.text.chars().count();
        s.tokens.push((start, end));
        s.tags.push(match tag {
            "source" => Some(Role::Source),
            "cue" => Some(Role::Cue),
            "content" => Some(Role::Content),
            _ => None,
        });
    }
    out
}

/// Load `quotes-ru/data/ru_tokens.tsv`.
pub fn load(dir: &Path) -> io::Result<Vec<Sentence>> {
    let tsv = std::fs::read_to_string(dir.join("data").join("ru_tokens.tsv"))?;
    Ok(parse_tokens(&tsv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_become_sentences_and_tag_runs() {
        let tsv = "lemmas\ttext\tsentence_num\tindex_of_token_sent\ttags\n\
                   мама\tМама\ts1\t1\tsource\n\
                   сказать\tсказала\ts1\t2\tcue\n\
                   :\t:\ts1\t3\tNone\n\
                   идти\tиди\ts1\t4\tcontent\n\
                   домой\tдомой\ts1\t5\tcontent\n\
                   мы\tМы\ts2\t1\tNone\n";
        let s = parse_tokens(tsv);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "Мама сказала : иди домой");
        let gold = s[0].gold_spans();
        assert_eq!(gold.len(), 3);
        assert_eq!(
            (gold[2].role, gold[2].start, gold[2].end),
            (Role::Content, 15, 24)
        );
        assert!(s[1].gold_spans().is_empty());
    }
}
