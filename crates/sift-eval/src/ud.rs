//! Universal Dependencies scoring with the CoNLL 2018 shared task definitions: every
//! syntactic word counts (punctuation too); UFeats compares the whole feature set;
//! LAS compares heads and the universal part of the relation (before `:`). With gold
//! tokenisation precision = recall = F1 = accuracy. Over raw text, system and gold words
//! are aligned by their character spans ignoring whitespace, and scores are F1.

use sift::train::syntax::conllu::{Row, Sentence};

/// Counts behind the scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UdCounts {
    /// Gold words.
    pub gold: usize,
    /// System words.
    pub system: usize,
    /// Aligned words (same span).
    pub words: usize,
    /// Aligned words with the right UPOS.
    pub upos: usize,
    /// … the right feature set.
    pub ufeats: usize,
    /// … the right lemma.
    pub lemma: usize,
    /// … the right head.
    pub uas: usize,
    /// … the right head and universal relation.
    pub las: usize,
}

impl UdCounts {
    /// F1 of a count against the gold and system word totals, in percent.
    pub fn f1(&self, correct: usize) -> f64 {
        if self.gold + self.system == 0 {
            return 0.0;
        }
        200.0 * correct as f64 / (self.gold + self.system) as f64
    }

    /// Add another set of counts.
    pub fn add(&mut self, o: &UdCounts) {
        self.gold += o.gold;
        self.system += o.system;
        self.words += o.words;
        self.upos += o.upos;
        self.ufeats += o.ufeats;
        self.lemma += o.lemma;
        self.uas += o.uas;
        self.las += o.las;
    }

    /// One line: `Words … UPOS … UFeats … Lemma … UAS … LAS …`.
    pub fn summary(&self) -> String {
        format!(
            "Words {:.2}  UPOS {:.2}  UFeats {:.2}  Lemma {:.2}  UAS {:.2}  LAS {:.2}  ({} gold words)",
            self.f1(self.words),
            self.f1(self.upos),
            self.f1(self.ufeats),
            self.f1(self.lemma),
            self.f1(self.uas),
            self.f1(self.las),
            self.gold
        )
    }
}

fn universal(rel: &str) -> &str {
    rel.split(':').next().unwrap_or(rel)
}

fn feats_equal(a: &str, b: &str) -> bool {
    sorted_feats(a) == sorted_feats(b)
}

fn sorted_feats(s: &str) -> Vec<&str> {
    let mut v: Vec<&str> = s
        .split('|')
        .filter(|p| !p.is_empty() && *p != "_")
        .collect();
    v.sort_unstable();
    v
}

/// Score one aligned word pair; `heads_match` says whether the heads correspond.
fn score_pair(g: &Row, s: &Row, heads_match: bool, c: &mut UdCounts) {
    c.words += 1;
    c.upos += usize::from(g.upos() == s.upos());
    c.ufeats += usize::from(feats_equal(g.feats(), s.feats()));
    c.lemma += usize::from(g.lemma() == s.lemma() || g.lemma() == "_");
    if heads_match {
        c.uas += 1;
        c.las += usize::from(universal(g.deprel()) == universal(s.deprel()));
    }
}

/// Score system sentences against gold ones with the same words (gold tokenisation).
pub fn score_gold_tokens(gold: &[Sentence], system: &[Sentence]) -> Result<UdCounts, String> {
    if gold.len() != system.len() {
        return Err(format!(
            "{} gold sentences, {} system",
            gold.len(),
            system.len()
        ));
    }
    let mut c = UdCounts::default();
    for (k, (g, s)) in gold.iter().zip(system).enumerate() {
        let (gw, sw): (Vec<&Row>, Vec<&Row>) = (g.words().collect(), s.words().collect());
        if gw.len() != sw.len() {
            return Err(format!("sentence {}: word counts differ", k + 1));
        }
        c.gold += gw.len();
        c.system += sw.len();
        for (a, b) in gw.iter().zip(&sw) {
            score_pair(a, b, a.head() == b.head(), &mut c);
        }
    }
    Ok(c)
}

/// A word of a whole document with its span in the whitespace-free character stream
/// and its head as a document-level word index (`None` = root).
pub struct SpannedWord<'a> {
    /// Start, end (half-open) in non-whitespace chars.
    pub span: (usize, usize),
    /// The CoNLL-U row.
    pub row: &'a Row,
    /// Document-level head index.
    pub head: Option<usize>,
}

/// The words of `sentences` with spans: each word consumes its form's non-whitespace
/// chars; words inside a multiword token share the token's span proportionally when
/// their forms do not spell the token.
pub fn spanned_words(sentences: &[Sentence]) -> Vec<SpannedWord<'_>> {
    let mut out = Vec::new();
    let mut at = 0usize;
    for s in sentences {
        let base = out.len();
        let mut pending_mwt_end: Option<(usize, usize)> = None;
        for r in &s.rows {
            if r.columns[0].contains('-') {
                let len = r.form().chars().filter(|c| !c.is_whitespace()).count();
                let last: usize = r.columns[0]
                    .split('-')
                    .nth(1)
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(0);
                pending_mwt_end = Some((at + len, last));
                continue;
            }
            if !r.is_word() {
                continue;
            }
            let id: usize = r.columns[0].parse().unwrap_or(0);
            let len = r.form().chars().filter(|c| !c.is_whitespace()).count();
            let mut end = at + len;
            if let Some((mwt_end, last)) = pending_mwt_end {
                if id == last || end > mwt_end {
                    end = mwt_end;
                }
                if id == last {
                    pending_mwt_end = None;
                }
            }
            let head = r.head().and_then(|h| (h > 0).then(|| base + h - 1));
            out.push(SpannedWord {
                span: (at, end.max(at)),
                row: r,
                head,
            });
            at = end.max(at);
        }
    }
    out
}

/// Score system words against gold words over the same raw text, aligned by span.
pub fn score_aligned(gold: &[SpannedWord<'_>], system: &[SpannedWord<'_>]) -> UdCounts {
    let mut c = UdCounts {
        gold: gold.len(),
        system: system.len(),
        ..UdCounts::default()
    };
    let mut align_g = vec![None; gold.len()];
    let (mut i, mut j) = (0, 0);
    while i < gold.len() && j < system.len() {
        let (g, s) = (gold[i].span, system[j].span);
        if g == s {
            align_g[i] = Some(j);
            i += 1;
            j += 1;
        } else if g.0 < s.0 || (g.0 == s.0 && g.1 < s.1) {
            i += 1;
        } else {
            j += 1;
        }
    }
    for (gi, sj) in align_g.iter().enumerate() {
        let Some(sj) = *sj else { continue };
        let heads_match = match (gold[gi].head, system[sj].head) {
            (None, None) => true,
            (Some(gh), Some(sh)) => align_g[gh] == Some(sh),
            _ => false,
        };
        score_pair(gold[gi].row, system[sj].row, heads_match, &mut c);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use sift::train::syntax::conllu::parse;

    const GOLD: &str = "1\tThey\tthey\tPRON\t_\tCase=Nom|Number=Plur\t2\tnsubj\t_\t_\n2\tleft\tleave\tVERB\t_\tTense=Past\t0\troot\t_\t_\n3\tearly\tearly\tADV\t_\t_\t2\tadvmod\t_\t_\n4\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n";
    // UPOS wrong on word 3; feats order differs on word 1 (still equal); lemma wrong on
    // word 2; word 3 has the right head with a subtype of the right relation; word 4 has
    // the wrong head.
    const SYSTEM: &str = "1\tThey\tthey\tPRON\t_\tNumber=Plur|Case=Nom\t2\tnsubj\t_\t_\n2\tleft\tleft\tVERB\t_\tTense=Past\t0\troot\t_\t_\n3\tearly\tearly\tADJ\t_\t_\t2\tadvmod:x\t_\t_\n4\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_\n\n";

    #[test]
    fn gold_token_metrics_follow_conll_2018() {
        let c = score_gold_tokens(&parse(GOLD).unwrap(), &parse(SYSTEM).unwrap()).unwrap();
        assert_eq!(
            (c.gold, c.upos, c.ufeats, c.lemma, c.uas, c.las),
            (4, 3, 4, 3, 3, 3)
        );
        assert!((c.f1(c.las) - 75.0).abs() < 1e-9);
    }

    #[test]
    fn raw_text_alignment_counts_split_words_as_missing() {
        let gold = parse(GOLD).unwrap();
        // The system glued "early." into one word: 3 aligned of 4 gold, 3 system words.
        let system = parse("1\tThey\tthey\tPRON\t_\t_\t2\tnsubj\t_\t_\n2\tleft\tleave\tVERB\t_\t_\t0\troot\t_\t_\n3\tearly.\tearly\tADV\t_\t_\t2\tadvmod\t_\t_\n\n").unwrap();
        let c = score_aligned(&spanned_words(&gold), &spanned_words(&system));
        assert_eq!((c.gold, c.system, c.words, c.uas), (4, 3, 2, 2));
        assert!((c.f1(c.words) - 200.0 * 2.0 / 7.0).abs() < 1e-9);
    }
}
