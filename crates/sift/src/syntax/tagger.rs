//! The morphological tagger: one greedy left-to-right pass of an averaged perceptron
//! over joint tags (UPOS + the whole FEATS set, e.g. `NOUN|Case=Gen|Gender=Masc|…`),
//! so agreement between neighbours is learned through the previous tags.
//!
//! Features (hashed): the word, its prefixes and suffixes (1–4 chars), its shape, the
//! two words on each side with their 3-char suffixes, and the two previous joint tags
//! and UPOS alone and combined with the word.

use std::sync::Arc;

use super::lexicon::{self, DictView};
use super::perceptron::{argmax, FeatureHash, Weights};
use super::tags::{Feats, Upos};

/// One entry of the tag set: what a joint tag means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagInfo {
    /// UPOS.
    pub upos: Upos,
    /// FEATS.
    pub feats: Feats,
}

/// The per-word strings the feature templates read, computed once per sentence.
pub struct WordView {
    pub(crate) lower: String,
    shape: String,
    prefix: [usize; 2],
    suffix: [usize; 4],
    /// The dictionary's readings (Russian models only).
    pub(crate) dict: Option<Arc<DictView>>,
}

impl WordView {
    /// View a word form.
    pub fn new(form: &str) -> WordView {
        let lower = form.to_lowercase();
        let mut prefix = [lower.len(); 2];
        for (n, (b, _)) in lower.char_indices().skip(1).take(2).enumerate() {
            prefix[n] = b;
        }
        let mut suffix = [0usize; 4];
        let starts: Vec<usize> = lower.char_indices().map(|(b, _)| b).collect();
        for (n, s) in suffix.iter_mut().enumerate() {
            *s = starts.len().checked_sub(n + 1).map_or(0, |i| starts[i]);
        }
        WordView {
            shape: shape(form),
            lower,
            prefix,
            suffix,
            dict: None,
        }
    }
    /// View a word form with its dictionary readings.
    pub fn with_dictionary(form: &str) -> WordView {
        WordView {
            dict: Some(lexicon::lookup_cached(form)),
            ..WordView::new(form)
        }
    }
    /// Views of a sentence's forms, with dictionary readings when `dictionary`.
    pub fn of_sentence<S: AsRef<str>>(forms: &[S], dictionary: bool) -> Vec<WordView> {
        forms
            .iter()
            .map(|f| {
                if dictionary {
                    WordView::with_dictionary(f.as_ref())
                } else {
                    WordView::new(f.as_ref())
                }
            })
            .collect()
    }
    /// The last `n` (1–4) chars of the lower-cased form.
    pub fn suffix(&self, n: usize) -> &str {
        &self.lower[self.suffix[n - 1]..]
    }
    fn prefix(&self, n: usize) -> &str {
        &self.lower[..self.prefix[n - 1]]
    }
}

/// The shape of a form, runs cut at two: `Xxxxx` → `Xxx`, `U.S.` → `X.X.`, `1,000` → `d,dd`.
fn shape(form: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    let mut run = 0;
    for c in form.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if k == last {
            run += 1;
            if run >= 2 {
                continue;
            }
        } else {
            run = 0;
        }
        last = k;
        out.push(k);
        if out.len() > 8 {
            break;
        }
    }
    out
}

const NONE: &str = "\u{1}";

/// Feature hashes for word `i` given the previous predicted tags.
pub fn features(
    views: &[WordView],
    i: usize,
    prev: [usize; 2],
    tags: &[TagInfo],
    out: &mut Vec<u64>,
) {
    out.clear();
    let word = |j: isize| -> &str {
        usize::try_from(j)
            .ok()
            .and_then(|j| views.get(j))
            .map_or(NONE, |v| v.lower.as_str())
    };
    let suf3 = |j: isize| -> &str {
        usize::try_from(j)
            .ok()
            .and_then(|j| views.get(j))
            .map_or(NONE, |v| v.suffix(3))
    };
    let v = &views[i];
    let i = i as isize;
    let upos = |t: usize| tags.get(t).map_or(NONE, |t| t.upos.as_str());
    let f = FeatureHash::new;
    out.push(f(0).done());
    out.push(f(1).str(&v.lower).done());
    for n in 1..=4 {
        out.push(f(2 + n as u32).str(v.suffix(n)).done());
    }
    out.push(f(7).str(v.prefix(1)).done());
    out.push(f(8).str(v.prefix(2)).done());
    out.push(f(9).str(&v.shape).done());
    out.push(f(10).str(word(i - 1)).done());
    out.push(f(11).str(word(i + 1)).done());
    out.push(f(12).str(word(i - 2)).done());
    out.push(f(13).str(word(i + 2)).done());
    out.push(f(14).str(suf3(i - 1)).done());
    out.push(f(15).str(suf3(i + 1)).done());
    out.push(f(16).num(prev[0] as u64).done());
    out.push(f(17).num(prev[0] as u64).num(prev[1] as u64).done());
    out.push(f(18).num(prev[0] as u64).str(&v.lower).done());
    out.push(f(19).str(upos(prev[0])).str(v.suffix(3)).done());
    out.push(f(20).str(upos(prev[0])).str(upos(prev[1])).done());
    out.push(f(21).str(&v.lower).str(word(i + 1)).done());
    out.push(f(22).str(word(i - 1)).str(&v.lower).done());
    out.push(f(23).num(prev[0] as u64).str(suf3(i + 1)).done());
    out.push(f(24).str(&v.shape).str(word(i - 1)).done());
    if let Some(d) = &v.dict {
        dictionary_features(views, i, d, upos(prev[0]), out);
    }
}

/// What the dictionary says about word `i` and its neighbours.
fn dictionary_features(
    views: &[WordView],
    i: isize,
    d: &DictView,
    prev_upos: &str,
    out: &mut Vec<u64>,
) {
    let classes = |j: isize| -> &str {
        usize::try_from(j)
            .ok()
            .and_then(|j| views.get(j))
            .and_then(|v| v.dict.as_ref())
            .map_or(NONE, |d| d.classes.as_str())
    };
    let f = FeatureHash::new;
    out.push(f(40).str(&d.classes).done());
    out.push(f(41).str(&d.cases).done());
    out.push(f(42).str(d.source).done());
    out.push(f(43).str(classes(i - 1)).str(&d.classes).done());
    out.push(f(44).str(&d.classes).str(classes(i + 1)).done());
    out.push(f(45).str(prev_upos).str(&d.classes).done());
    out.push(
        f(46)
            .str(&d.classes)
            .str(views[i as usize].suffix(2))
            .done(),
    );
    if let Some(top) = d.readings.first() {
        out.push(f(47).str(top.upos).str(&top.feats).done());
    }
    for r in &d.readings {
        out.push(f(48).str(r.upos).str(&r.feats).done());
    }
    for class in d.classes.split('+') {
        out.push(f(49).str(class).done());
    }
}

/// "No previous tag" marker (beyond every real tag index).
pub const START: usize = u16::MAX as usize;

/// Tag a sentence: one joint tag index per word.
pub fn tag(weights: &Weights, tags: &[TagInfo], views: &[WordView]) -> Vec<usize> {
    let mut out = Vec::with_capacity(views.len());
    let mut feats = Vec::with_capacity(32);
    let mut scores = vec![0i32; weights.n_classes()];
    let mut prev = [START, START];
    for i in 0..views.len() {
        features(views, i, prev, tags, &mut feats);
        scores.fill(0);
        weights.score(&feats, &mut scores);
        let best = argmax(&scores, |_| true).unwrap_or(0);
        out.push(best);
        prev = [best, prev[0]];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_and_shapes() {
        let v = WordView::new("Шойгу");
        assert_eq!(v.suffix(3), "йгу");
        assert_eq!(v.suffix(4), "ойгу");
        assert_eq!(v.prefix(2), "шо");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("1,000"), "d,dd");
        assert_eq!(WordView::new("a").suffix(4), "a");
    }
}
