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
use std::io;
use std::sync::OnceLock;

use std::borrow::Cow;

use crate::document::{Document, Span, TokenKind};

use super::rules::Tokens;

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

/// A sequence to tag: the tokens of one paragraph or sentence.
#[derive(Debug, Clone)]
pub struct Sequence<'a> {
    /// Char spans of the tokens in the document.
    pub spans: Vec<Span>,
    /// Lowercased token text; numbers collapse to "0".
    pub lower: Vec<Cow<'a, str>>,
    pub kinds: Vec<TokenKind>,
    /// Whether the token begins a capitalised word.
    pub capital: Vec<bool>,
    /// Whether the token opens a sentence.
    pub sentence_start: Vec<bool>,
    /// The reporting-cue class of each token.
    pub cue: Vec<Option<CueClass>>,
}

impl Sequence<'static> {
    /// The tokens of `doc` inside `span` (a paragraph), with their features' raw material.
    pub fn from_doc(doc: &Document, span: Span) -> Sequence<'static> {
        let toks = doc.tokens_in(span);
        let mut seq = Sequence {
            spans: Vec::with_capacity(toks.len()),
            lower: Vec::with_capacity(toks.len()),
            kinds: Vec::with_capacity(toks.len()),
            capital: Vec::with_capacity(toks.len()),
            sentence_start: Vec::with_capacity(toks.len()),
            cue: Vec::with_capacity(toks.len()),
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
                TokenKind::Number => Cow::Borrowed("0"),
                // As `rules::Tokens` reads them: a doubled apostrophe quotes like `"`.
                _ if matches!(text, "''" | "``") => Cow::Borrowed("\""),
                _ => Cow::Owned(text.to_lowercase()),
            });
            seq.cue.push(cue_class(seq.lower.last().map_or("", |w| w)));
        }
        seq
    }
}

impl<'a> Sequence<'a> {
    /// The tokens of `span` (a sentence), borrowing the lowercased words of `toks`:
    /// the same features as [`Sequence::from_doc`] without copying any text.
    pub fn from_tokens(toks: &'a Tokens<'_>, span: Span) -> Sequence<'a> {
        let doc = toks.doc;
        let lo = doc.tokens.partition_point(|t| t.end <= span.start);
        let hi = doc.tokens.partition_point(|t| t.start < span.end);
        let n = hi.saturating_sub(lo);
        let mut seq = Sequence {
            spans: Vec::with_capacity(n),
            lower: Vec::with_capacity(n),
            kinds: Vec::with_capacity(n),
            capital: Vec::with_capacity(n),
            sentence_start: Vec::with_capacity(n),
            cue: Vec::with_capacity(n),
        };
        let mut sent = doc.sentence_at(span.start).unwrap_or(0);
        for i in lo..hi {
            let t = &doc.tokens[i];
            while sent < doc.sentences.len() && doc.sentences[sent].end <= t.start {
                sent += 1;
            }
            let starts = sent < doc.sentences.len() && doc.sentences[sent].start == t.start;
            seq.spans.push(t.span());
            seq.kinds.push(t.kind);
            seq.capital.push(toks.capital[i]);
            seq.sentence_start.push(starts || i == lo);
            seq.lower.push(match t.kind {
                TokenKind::Number => Cow::Borrowed("0"),
                _ => Cow::Borrowed(&*toks.lower[i]),
            });
            seq.cue.push(toks.cue[i]);
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

/// The word-valued templates: the token itself, its neighbours at -1/+1/-2/+2, and
/// its three-letter suffix. Their values come from the vocabulary, so inference
/// looks them up through one per-word row instead of one hash per template.
const WORD_TEMPLATES: [u8; 5] = [b'w', b'p', b'n', b'P', b'N'];
/// Offsets of the token a word-template feature of word `j` lands on: `w` at j,
/// `p` (previous word) at j+1, `n` (next word) at j-1, `P` at j+2, `N` at j-2.
const WORD_TEMPLATE_SHIFT: [isize; 5] = [0, 1, -1, 2, -2];
const SENTENCE_START: &str = "<s>";
const SENTENCE_END: &str = "</s>";

fn suffix_of(w: &str) -> Option<&str> {
    let chars = w.chars().count();
    if chars > 3 {
        let (b, _) = w.char_indices().nth(chars - 3)?;
        Some(&w[b..])
    } else {
        None
    }
}

/// Feed every feature of every token to `emit(token, template, value)`.
/// Templates are single bytes; values are short strings. Training uses this;
/// inference computes the same features through [`CrfModel`]'s tables.
pub fn extract(seq: &Sequence, emit: &mut impl FnMut(usize, u8, &str)) {
    let n = seq.len();
    let word = |i: isize| -> &str {
        if i < 0 {
            SENTENCE_START
        } else if i as usize >= n {
            SENTENCE_END
        } else {
            &seq.lower[i as usize]
        }
    };
    let mut buf = String::new();
    for i in 0..n {
        let w = &*seq.lower[i];
        let ii = i as isize;
        for (t, shift) in WORD_TEMPLATES.iter().zip(WORD_TEMPLATE_SHIFT) {
            emit(i, *t, word(ii - shift));
        }
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
        if let Some(suffix) = suffix_of(w) {
            emit(i, b's', suffix);
        }
    }
    extract_context(seq, emit);
}

/// The features whose values come from a small closed set (shape, cue class,
/// quotation state, distance to a cue …): cheap to look up, the table stays in cache.
pub fn extract_context(seq: &Sequence, emit: &mut impl FnMut(usize, u8, &str)) {
    let n = seq.len();
    let cue = &seq.cue;
    // Inside-quotation state: curly and guillemet quotes open and close, straight quotes toggle.
    let mut in_quote = vec![false; n];
    let mut open = false;
    for (q, w) in in_quote.iter_mut().zip(&seq.lower) {
        let w: &str = w;
        if is_open_quote(w) || (w == "\"" && !open) {
            open = true;
            *q = true;
            continue;
        }
        if is_close_quote(w) || w == "\"" {
            *q = open;
            open = false;
            continue;
        }
        *q = open;
    }
    // Sentence index of each token, for the distance-to-cue feature.
    let mut sentence_of = vec![0usize; n];
    let mut s = 0;
    for (i, (so, &starts)) in sentence_of.iter_mut().zip(&seq.sentence_start).enumerate() {
        if i > 0 && starts {
            s += 1;
        }
        *so = s;
    }
    // The closest cue token before and after each token in its sentence.
    let mut cue_before: Vec<Option<usize>> = vec![None; n];
    let mut cue_after: Vec<Option<usize>> = vec![None; n];
    for i in 1..n {
        if sentence_of[i - 1] == sentence_of[i] {
            cue_before[i] = if cue[i - 1].is_some() {
                Some(i - 1)
            } else {
                cue_before[i - 1]
            };
        }
    }
    for i in (0..n.saturating_sub(1)).rev() {
        if sentence_of[i + 1] == sentence_of[i] {
            cue_after[i] = if cue[i + 1].is_some() {
                Some(i + 1)
            } else {
                cue_after[i + 1]
            };
        }
    }
    for i in 0..n {
        let w = &*seq.lower[i];
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
        // Nearest cue in the same sentence within 12 tokens, by direction and distance
        // (the right one only when strictly closer).
        let ii = i as isize;
        let mut best: Option<isize> = cue_before[i]
            .filter(|&j| i - j <= 12)
            .map(|j| j as isize - ii);
        if let Some(k) = cue_after[i].filter(|&k| k - i <= 12) {
            let d = k as isize - ii;
            if best.is_none_or(|b| d < -b) {
                best = Some(d);
            }
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
        if i > 0 && matches!(&*seq.lower[i - 1], "that" | "что" | "чтобы" | ":") {
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

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv_continue(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// FNV-1a over the template byte and the value: the key of a context feature.
pub fn feature_hash(template: u8, value: &str) -> u64 {
    fnv_continue(fnv_continue(FNV_OFFSET, &[template]), value.as_bytes())
}

/// The key of a word (template-free): FNV-1a of its bytes.
fn word_hash(w: &str) -> u64 {
    fnv_continue(FNV_OFFSET, w.as_bytes())
}

/// The key of the bigram "a|b", continuing from `word_hash(a)`.
fn bigram_hash(a_hash: u64, b: &str) -> u64 {
    fnv_continue(fnv_continue(a_hash, b"|"), b.as_bytes())
}

/// An open-addressing hash table from a 64-bit feature key to its weights,
/// stored inline so a lookup touches one slot (one or two cache lines) rather
/// than a bucket and then a separate row. Built once at load; never shrinks.
struct Table<R: Copy> {
    shift: u32,
    slots: Vec<(u64, R)>,
    len: usize,
}

impl<R: Copy> Table<R> {
    /// Key 0 marks an empty slot, so a real key of 0 is stored as 1.
    fn stored(key: u64) -> u64 {
        key.max(1)
    }

    fn with_capacity(n: usize, empty: R) -> Table<R> {
        let size = (n.max(4) * 2).next_power_of_two();
        Table {
            shift: 64 - size.trailing_zeros(),
            slots: vec![(0, empty); size],
            len: 0,
        }
    }

    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    fn get(&self, key: u64) -> Option<&R> {
        let key = Self::stored(key);
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let slot = &self.slots[i];
            if slot.0 == key {
                return Some(&slot.1);
            }
            if slot.0 == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Ask the CPU to start loading `key`'s home slot: a sentence's lookups
    /// are independent, so issuing them all first overlaps their cache misses.
    fn prefetch(&self, key: u64) {
        let slot = &self.slots[self.home(Self::stored(key))];
        #[cfg(target_arch = "x86_64")]
        // SAFETY: prefetching is a hint; it never faults, even on a bad address.
        #[allow(unused_unsafe)]
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            let base: *const i8 = (slot as *const (u64, R)).cast();
            for line in (0..std::mem::size_of::<(u64, R)>()).step_by(64) {
                _mm_prefetch::<_MM_HINT_T0>(base.wrapping_add(line));
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = slot;
    }

    /// The row for `key`, inserted as `empty` if absent.
    fn entry(&mut self, key: u64, empty: R) -> &mut R {
        let key = Self::stored(key);
        if (self.len + 1) * 2 > self.slots.len() {
            let mut bigger = Table::with_capacity(self.slots.len(), empty);
            for &(k, r) in self.slots.iter().filter(|s| s.0 != 0) {
                *bigger.entry(k, empty) = r;
            }
            *self = bigger;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        while self.slots[i].0 != key && self.slots[i].0 != 0 {
            i = (i + 1) & mask;
        }
        if self.slots[i].0 == 0 {
            self.slots[i] = (key, empty);
            self.len += 1;
        }
        &mut self.slots[i].1
    }
}

const MAGIC: &[u8; 8] = b"SIFTCRF2";
const L: usize = LABELS.len();
type Row = [f32; L];

/// Per vocabulary word, its weights as each word template (`w p n P N`) and as
/// the suffix feature of that word, so one lookup serves six features.
#[derive(Clone, Copy)]
struct WordRow {
    templates: [Row; 5],
    suffix: Row,
}

/// Per bigram "a|b": weights as `b` (on the token b) and as `B` (on the token a).
#[derive(Clone, Copy)]
struct BigramRow {
    on_second: Row,
    on_first: Row,
}

/// A trained tagger in inference form.
pub struct CrfModel {
    /// `transitions[from][to]`.
    transitions: [Row; L],
    /// Vocabulary words by [`word_hash`].
    words: Table<WordRow>,
    /// Suffix features by [`word_hash`] of the suffix, for words outside the vocabulary.
    suffixes: Table<Row>,
    /// Bigrams by [`bigram_hash`].
    bigrams: Table<BigramRow>,
    /// Context features by [`feature_hash`].
    context: Table<Row>,
    entries: usize,
}

const EMPTY_ROW: Row = [0.0; L];
const EMPTY_WORD: WordRow = WordRow {
    templates: [EMPTY_ROW; 5],
    suffix: EMPTY_ROW,
};
const EMPTY_BIGRAM: BigramRow = BigramRow {
    on_second: EMPTY_ROW,
    on_first: EMPTY_ROW,
};

fn add(into: &mut Row, w: &Row) {
    for (s, x) in into.iter_mut().zip(w) {
        *s += x;
    }
}

impl CrfModel {
    /// Read our model format (see [`compile`]).
    pub fn from_bytes(bytes: &[u8]) -> io::Result<CrfModel> {
        let bad = || io::Error::new(io::ErrorKind::InvalidData, "bad attribution model");
        if bytes.len() < 16 || &bytes[..8] != MAGIC {
            return Err(bad());
        }
        let mut o = 8;
        let mut take = |k: usize| -> io::Result<&[u8]> {
            let s = bytes.get(o..o + k).ok_or_else(bad)?;
            o += k;
            Ok(s)
        };
        let u32_le = |b: &[u8]| u32::from_le_bytes(b.try_into().unwrap());
        let f32_le = |b: &[u8]| f32::from_le_bytes(b.try_into().unwrap());
        if u32_le(take(4)?) as usize != L {
            return Err(bad());
        }
        let mut transitions = [[0f32; L]; L];
        for row in transitions.iter_mut() {
            for x in row.iter_mut() {
                *x = f32_le(take(4)?);
            }
        }
        let entries = u32_le(take(4)?) as usize;
        let mut model = CrfModel {
            transitions,
            words: Table::with_capacity(1 << 14, EMPTY_WORD),
            suffixes: Table::with_capacity(1 << 11, EMPTY_ROW),
            bigrams: Table::with_capacity(1 << 16, EMPTY_BIGRAM),
            context: Table::with_capacity(1 << 8, EMPTY_ROW),
            entries,
        };
        let mut word_suffixes: Vec<(u64, u64)> = Vec::new();
        for _ in 0..entries {
            let template = take(1)?[0];
            let len = u32_le(take(4)?) as usize;
            let value = std::str::from_utf8(take(len)?).map_err(|_| bad())?;
            let mut w = [0f32; L];
            for x in w.iter_mut() {
                *x = f32_le(take(4)?);
            }
            if let Some(k) = WORD_TEMPLATES.iter().position(|t| *t == template) {
                let h = word_hash(value);
                if model.words.get(h).is_none() {
                    if let Some(s) = suffix_of(value) {
                        word_suffixes.push((h, word_hash(s)));
                    }
                }
                model.words.entry(h, EMPTY_WORD).templates[k] = w;
            } else if template == b's' {
                *model.suffixes.entry(word_hash(value), EMPTY_ROW) = w;
            } else if template == b'b' || template == b'B' {
                let Some((a, b)) = value.split_once('|') else {
                    return Err(bad());
                };
                let row = model
                    .bigrams
                    .entry(bigram_hash(word_hash(a), b), EMPTY_BIGRAM);
                if template == b'b' {
                    row.on_second = w;
                } else {
                    row.on_first = w;
                }
            } else {
                *model
                    .context
                    .entry(feature_hash(template, value), EMPTY_ROW) = w;
            }
        }
        for (word, suffix) in word_suffixes {
            if let Some(&s) = model.suffixes.get(suffix) {
                model.words.entry(word, EMPTY_WORD).suffix = s;
            }
        }
        Ok(model)
    }

    /// Number of state-feature entries.
    pub fn len(&self) -> usize {
        self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// Per token, the summed weight of its features for each label.
    fn state_scores(&self, seq: &Sequence) -> Vec<Row> {
        let n = seq.len();
        let mut state = vec![[0f32; L]; n];
        // Word templates: word j's row adds to the tokens it is a neighbour of;
        // the sentence-boundary pseudo-words stand at -2, -1, n and n+1.
        let mut apply_word = |j: isize, h: u64, known_suffix: bool, w: &str| match self.words.get(h)
        {
            Some(row) => {
                for (k, shift) in WORD_TEMPLATE_SHIFT.iter().enumerate() {
                    let at = j + shift;
                    if at >= 0 && (at as usize) < n {
                        add(&mut state[at as usize], &row.templates[k]);
                    }
                }
                if known_suffix {
                    add(&mut state[j as usize], &row.suffix);
                }
            }
            None if known_suffix => {
                if let Some(s) = suffix_of(w).and_then(|s| self.suffixes.get(word_hash(s))) {
                    add(&mut state[j as usize], s);
                }
            }
            None => {}
        };
        let start = word_hash(SENTENCE_START);
        let end = word_hash(SENTENCE_END);
        for j in [-2isize, -1] {
            apply_word(j, start, false, SENTENCE_START);
        }
        let hashes: Vec<u64> = seq.lower.iter().map(|w| word_hash(w)).collect();
        let bigram_keys: Vec<u64> = (0..=n)
            .map(|j| {
                if j == 0 {
                    bigram_hash(start, &seq.lower[0])
                } else if j == n {
                    bigram_hash(hashes[n - 1], SENTENCE_END)
                } else {
                    bigram_hash(hashes[j - 1], &seq.lower[j])
                }
            })
            .collect();
        for (&w, &b) in hashes.iter().zip(&bigram_keys) {
            self.words.prefetch(w);
            self.bigrams.prefetch(b);
        }
        for (j, (w, &h)) in seq.lower.iter().zip(&hashes).enumerate() {
            apply_word(j as isize, h, true, w);
        }
        for j in [n as isize, n as isize + 1] {
            apply_word(j, end, false, SENTENCE_END);
        }
        // Bigrams over <s> w0 … w(n-1) </s>.
        for (j, &key) in bigram_keys.iter().enumerate() {
            if let Some(row) = self.bigrams.get(key) {
                if j < n {
                    add(&mut state[j], &row.on_second);
                }
                if j > 0 {
                    add(&mut state[j - 1], &row.on_first);
                }
            }
        }
        extract_context(seq, &mut |i, t, v| {
            if let Some(r) = self.context.get(feature_hash(t, v)) {
                add(&mut state[i], r);
            }
        });
        state
    }

    /// The most likely label id per token (Viterbi).
    pub fn tag(&self, seq: &Sequence) -> Vec<usize> {
        let n = seq.len();
        if n == 0 {
            return Vec::new();
        }
        let state = self.state_scores(seq);
        let mut score = state[0];
        let mut back = vec![[0u8; L]; n];
        for i in 1..n {
            let mut next = [0f32; L];
            for to in 0..L {
                let mut best = f32::NEG_INFINITY;
                let mut arg = 0;
                for (from, s) in score.iter().enumerate() {
                    let v = s + self.transitions[from][to];
                    if v > best {
                        best = v;
                        arg = from;
                    }
                }
                next[to] = best + state[i][to];
                back[i][to] = arg as u8;
            }
            score = next;
        }
        let mut last = (0..L)
            .max_by(|&a, &b| score[a].total_cmp(&score[b]))
            .unwrap_or(0);
        let mut out = vec![0usize; n];
        for i in (0..n).rev() {
            out[i] = last;
            last = back[i][last] as usize;
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
    embedded_loaded().ok()
}

/// The embedded model, or why it failed to load.
pub fn embedded_loaded() -> Result<&'static CrfModel, &'static str> {
    static MODEL: OnceLock<Result<CrfModel, String>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let bytes: &'static [u8] = include_bytes!("../../../models/attribution-crf.bin");
            let model = CrfModel::from_bytes(bytes).map_err(|e| {
                format!("attribution: models/attribution-crf.bin failed to load ({e}); rules only")
            });
            crate::embedded::release_pages(bytes);
            model
        })
        .as_ref()
        .map_err(String::as_str)
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
    let mut entries: Vec<(String, Vec<f32>)> = states
        .into_iter()
        .filter(|(name, _)| name.len() > 1 && name.is_char_boundary(1))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::with_capacity(16 + entries.len() * (16 + 4 * l));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(l as u32).to_le_bytes());
    for w in &transitions {
        out.extend_from_slice(&w.to_le_bytes());
    }
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for (name, w) in entries {
        // "tVALUE": the template byte, then the value's length and bytes.
        let value = &name.as_bytes()[1..];
        out.push(name.as_bytes()[0]);
        out.extend_from_slice(&(value.len() as u32).to_le_bytes());
        out.extend_from_slice(value);
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

    /// The tables must give every token exactly the weights a plain lookup of
    /// each [`extract`]ed feature would.
    #[test]
    fn table_lookups_equal_a_lookup_of_every_extracted_feature() {
        let bytes: &[u8] = include_bytes!("../../../models/attribution-crf.bin");
        let model = CrfModel::from_bytes(bytes).unwrap();
        // The reference: (template, value) → weights, read straight from the file.
        let mut plain: HashMap<(u8, String), Row> = HashMap::new();
        let mut o = 12 + 4 * L * L;
        let entries = u32::from_le_bytes(bytes[o..o + 4].try_into().unwrap());
        o += 4;
        for _ in 0..entries {
            let t = bytes[o];
            let len = u32::from_le_bytes(bytes[o + 1..o + 5].try_into().unwrap()) as usize;
            let value = String::from_utf8(bytes[o + 5..o + 5 + len].to_vec()).unwrap();
            o += 5 + len;
            let mut w = [0f32; L];
            for (k, x) in w.iter_mut().enumerate() {
                *x = f32::from_le_bytes(bytes[o + 4 * k..o + 4 * k + 4].try_into().unwrap());
            }
            o += 4 * L;
            plain.insert((t, value), w);
        }
        for text in [
            "“We will not back down,” Senator Maria Lopez said on Tuesday, adding that the vote was “a disgrace.”",
            "According to officials familiar with the talks, the deal is close. He denied it.",
            "Ok.",
        ] {
            let doc = Document::from_text(text);
            let seq = Sequence::from_doc(&doc, doc.paragraphs[0]);
            let mut expected = vec![[0f32; L]; seq.len()];
            extract(&seq, &mut |i, t, v| {
                if let Some(w) = plain.get(&(t, v.to_string())) {
                    add(&mut expected[i], w);
                }
            });
            let got = model.state_scores(&seq);
            for (i, (e, g)) in expected.iter().zip(&got).enumerate() {
                for (a, b) in e.iter().zip(g) {
                    assert!((a - b).abs() < 1e-3, "{text:?} token {i}: {e:?} vs {g:?}");
                }
            }
        }
    }

    #[test]
    fn the_embedded_model_loads() {
        let model = embedded().expect("models/attribution-crf.bin is committed and valid");
        assert!(model.len() > 1000);
    }
}
