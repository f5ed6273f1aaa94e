//! Hashed features for the technique models: per token (span tagger), per span
//! (technique classifier) and per paragraph (paragraph labeller), over the hand-written
//! cue lexicons of [`super::cues`].

use std::collections::HashMap;
use std::sync::OnceLock;

use super::cues::{cue_mask_hashed, function_words, stop_words, CUE_COUNT};
pub use super::cues::{Cue, STRONG_CUES};
pub use super::hashing::{lower_hash, mix, PreHashed};
use crate::document::{Document, Span, TokenKind};

/// Is token `i` a word that makes no highlight on its own (see [`cues::stop_words`])?
pub fn is_stop_word(ctx: &DocContext, i: usize) -> bool {
    ctx.function_word[i] || stop_words().contains(&ctx.hash[i])
}

/// Per-document precomputation shared by all three feature extractors.
pub struct DocContext<'a> {
    pub doc: &'a Document,
    pub russian: bool,
    /// Lower-case hash per token.
    pub hash: Vec<u64>,
    pub suffix: Vec<u64>,
    pub shape: Vec<u8>,
    pub cues: Vec<u32>,
    /// Sentence index per token (`usize::MAX` outside sentences).
    pub sentence: Vec<usize>,
    /// Paragraph index per token (`None` outside paragraphs).
    pub paragraph: Vec<Option<usize>>,
    /// Per sentence: OR of cue masks, flags (bit0 '!', bit1 '?', bit2 quote), token range.
    pub sentence_cues: Vec<u32>,
    pub sentence_flags: Vec<u8>,
    pub sentence_tokens: Vec<(usize, usize)>,
    /// How often each token's lower-case form occurs in the document.
    pub doc_freq: Vec<u32>,
    /// Whether the trigram centred on the token occurs more than once.
    pub trigram_repeated: Vec<bool>,
    pub in_quotes: Vec<bool>,
    /// Articles, prepositions, conjunctions, auxiliaries: never a span on their own
    /// and trimmed from span edges.
    pub function_word: Vec<bool>,
    /// Token index of the end of the first paragraph (the title, in news corpora).
    pub title_end: usize,
    /// Per sequence length `len` (1..=[`MAX_REPEATED_LEN`], index `len - 1`): how often
    /// each sequence of `len` tokens occurs (by the hash of its forms, counts saturated
    /// at [`REPEATS_COUNTED`]), built on the first span of that length. Walking the
    /// occurrences of a span's first word instead was quadratic in a repetitive text.
    ngram_counts: [OnceLock<HashMap<u64, u8, PreHashed>>; MAX_REPEATED_LEN],
}

/// The longest span whose repetitions [`span_features`] counts.
const MAX_REPEATED_LEN: usize = 12;
/// [`span_features`] buckets occurrences as 1, 2, 3, more: counting stops here.
const REPEATS_COUNTED: u8 = 4;

/// Hash of the token forms `forms` as one sequence.
fn sequence_hash(forms: &[u64]) -> u64 {
    forms.iter().fold(forms.len() as u64, |h, &f| mix(h, f))
}

fn shape_of(s: &str, kind: TokenKind) -> u8 {
    match kind {
        TokenKind::Number => 1,
        TokenKind::Punct | TokenKind::Symbol => match s {
            "!" => 2,
            "?" => 3,
            "\"" | "“" | "”" | "«" | "»" | "„" => 4,
            "," => 5,
            "." => 6,
            _ => 7,
        },
        TokenKind::Word => {
            let mut chars = s.chars();
            let first_upper = chars.next().is_some_and(|c| c.is_uppercase());
            let all_upper = s
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase());
            match (first_upper, all_upper && s.chars().count() > 1) {
                (_, true) => 8,
                (true, false) => 9,
                _ => 10,
            }
        }
    }
}

impl<'a> DocContext<'a> {
    pub fn new(doc: &'a Document) -> DocContext<'a> {
        let n = doc.tokens.len();
        let mut hash = Vec::with_capacity(n);
        let mut suffix = Vec::with_capacity(n);
        let mut shape = Vec::with_capacity(n);
        let mut cues = Vec::with_capacity(n);
        let mut in_quotes = Vec::with_capacity(n);
        let mut quoted = false;
        let mut current_paragraph = usize::MAX;
        let mut paragraph = Vec::with_capacity(n);
        let mut next_paragraph = 0;
        for t in &doc.tokens {
            let s = doc.slice(t.span());
            let h = lower_hash(s);
            hash.push(h);
            let tail = if s.is_ascii() {
                s.len().saturating_sub(3)
            } else {
                let nchars = s.chars().count();
                s.char_indices()
                    .nth(nchars.saturating_sub(3))
                    .map_or(0, |(b, _)| b)
            };
            suffix.push(if tail == 0 {
                mix(h, 0x5F)
            } else {
                mix(lower_hash(&s[tail..]), 0x5F)
            });
            shape.push(shape_of(s, t.kind));
            cues.push(if t.kind == TokenKind::Word {
                cue_mask_hashed(s, Some(h))
            } else {
                0
            });
            // Tokens come in text order: walk the paragraphs instead of searching them.
            while next_paragraph < doc.paragraphs.len()
                && doc.paragraphs[next_paragraph].end <= t.start
            {
                next_paragraph += 1;
            }
            let in_paragraph = (next_paragraph < doc.paragraphs.len()
                && doc.paragraphs[next_paragraph].start <= t.start)
                .then_some(next_paragraph);
            paragraph.push(in_paragraph);
            let p = in_paragraph.unwrap_or(usize::MAX);
            if p != current_paragraph {
                current_paragraph = p;
                quoted = false;
            }
            let is_quote = matches!(s, "\"" | "“" | "”" | "«" | "»" | "„");
            if is_quote {
                quoted = match s {
                    "“" | "«" | "„" => true,
                    "”" | "»" => false,
                    _ => !quoted,
                };
            }
            in_quotes.push(quoted || is_quote);
        }
        let mut sentence = vec![usize::MAX; n];
        let mut sentence_cues = vec![0u32; doc.sentences.len()];
        let mut sentence_flags = vec![0u8; doc.sentences.len()];
        let mut sentence_tokens = vec![(0usize, 0usize); doc.sentences.len()];
        for (si, s) in doc.sentences.iter().enumerate() {
            let lo = doc.tokens.partition_point(|t| t.end <= s.start);
            let hi = doc.tokens.partition_point(|t| t.start < s.end).max(lo);
            sentence_tokens[si] = (lo, hi);
            for ti in lo..hi {
                sentence[ti] = si;
                sentence_cues[si] |= cues[ti];
                sentence_flags[si] |= match shape[ti] {
                    2 => 1,
                    3 => 2,
                    4 => 4,
                    _ => 0,
                };
            }
        }
        // form → how often it occurs.
        let mut forms: HashMap<u64, u32, PreHashed> =
            HashMap::with_capacity_and_hasher(n / 2, rustc_hash::FxBuildHasher);
        for &h in &hash {
            *forms.entry(h).or_insert(0) += 1;
        }
        let doc_freq = hash.iter().map(|h| forms[h]).collect();
        let tri = |i: usize| -> u64 {
            let a = if i > 0 { hash[i - 1] } else { 1 };
            let c = if i + 1 < n { hash[i + 1] } else { 2 };
            mix(mix(a, hash[i]), c)
        };
        let trigrams: Vec<u64> = (0..n).map(tri).collect();
        let mut tri_counts: HashMap<u64, u32, PreHashed> =
            HashMap::with_capacity_and_hasher(n, rustc_hash::FxBuildHasher);
        for &t in &trigrams {
            *tri_counts.entry(t).or_insert(0) += 1;
        }
        let trigram_repeated = (0..n)
            .map(|i| doc.tokens[i].kind == TokenKind::Word && tri_counts[&trigrams[i]] > 1)
            .collect();
        let title_end = doc
            .paragraphs
            .first()
            .map_or(0, |p| doc.tokens.partition_point(|t| t.start < p.end));
        let function = function_words();
        let function_word = hash.iter().map(|h| function.contains(h)).collect();
        DocContext {
            doc,
            function_word,
            russian: doc.language.is_russian(),
            hash,
            suffix,
            shape,
            cues,
            sentence,
            paragraph,
            sentence_cues,
            sentence_flags,
            sentence_tokens,
            doc_freq,
            trigram_repeated,
            in_quotes,
            title_end,
            ngram_counts: Default::default(),
        }
    }

    /// How often the token forms of `[lo, hi)` occur as a sequence in the document
    /// (overlapping occurrences counted, at most [`REPEATS_COUNTED`]); `1 ≤ hi - lo ≤
    /// MAX_REPEATED_LEN`.
    fn occurrences(&self, lo: usize, hi: usize) -> usize {
        let len = hi - lo;
        let counts = self.ngram_counts[len - 1].get_or_init(|| {
            let mut counts: HashMap<u64, u8, PreHashed> = HashMap::with_capacity_and_hasher(
                self.hash.len().saturating_sub(len - 1),
                rustc_hash::FxBuildHasher,
            );
            for window in self.hash.windows(len) {
                let c = counts.entry(sequence_hash(window)).or_insert(0);
                *c = (*c + 1).min(REPEATS_COUNTED);
            }
            counts
        });
        counts
            .get(&sequence_hash(&self.hash[lo..hi]))
            .map_or(0, |&c| c as usize)
    }

    fn h(&self, i: isize) -> u64 {
        if i < 0 {
            0xB05
        } else if i as usize >= self.hash.len() {
            0xE05
        } else {
            self.hash[i as usize]
        }
    }

    fn cue(&self, i: isize) -> u32 {
        if i < 0 || i as usize >= self.cues.len() {
            0
        } else {
            self.cues[i as usize]
        }
    }

    fn is_content(&self, i: usize) -> bool {
        let t = &self.doc.tokens[i];
        t.kind == TokenKind::Word && t.end - t.start > 3
    }
}

#[inline]
fn feat(template: u64, value: u64) -> u32 {
    (mix(template.wrapping_mul(0x9E37_79B9), value) >> 29) as u32
}

fn bucket(n: usize, edges: &[usize]) -> u64 {
    edges.iter().position(|&e| n <= e).unwrap_or(edges.len()) as u64
}

fn push_cues(out: &mut Vec<u32>, template: u64, mask: u32) {
    let mut m = mask;
    while m != 0 {
        let bit = m.trailing_zeros();
        out.push(feat(template, bit as u64));
        m &= m - 1;
        if bit >= CUE_COUNT {
            break;
        }
    }
}

/// Features of token `i` for the span tagger.
pub fn token_features(ctx: &DocContext, i: usize, out: &mut Vec<u32>) {
    out.clear();
    let ii = i as isize;
    let lang = ctx.russian as u64;
    out.push(feat(0, lang));
    out.push(feat(1, ctx.h(ii)));
    out.push(feat(2, ctx.h(ii - 1)));
    out.push(feat(3, ctx.h(ii + 1)));
    out.push(feat(4, ctx.h(ii - 2)));
    out.push(feat(5, ctx.h(ii + 2)));
    out.push(feat(6, mix(ctx.h(ii - 1), ctx.h(ii))));
    out.push(feat(7, mix(ctx.h(ii), ctx.h(ii + 1))));
    out.push(feat(8, ctx.suffix[i]));
    let shape = |j: isize| -> u64 {
        if j < 0 || j as usize >= ctx.shape.len() {
            0
        } else {
            ctx.shape[j as usize] as u64
        }
    };
    out.push(feat(9, shape(ii)));
    out.push(feat(
        10,
        shape(ii - 1) * 16 + shape(ii) + shape(ii + 1) * 256,
    ));
    push_cues(out, 11, ctx.cues[i]);
    let mut window = 0u32;
    for d in [-3isize, -2, -1, 1, 2, 3] {
        window |= ctx.cue(ii + d);
    }
    push_cues(out, 12, window);
    let s = ctx.sentence[i];
    if s != usize::MAX {
        let (lo, hi) = ctx.sentence_tokens[s];
        push_cues(out, 13, ctx.sentence_cues[s]);
        let flags = ctx.sentence_flags[s] as u64;
        out.push(feat(14, flags));
        let len = hi - lo;
        let len_b = bucket(len, &[3, 6, 10, 20, 35]);
        out.push(feat(15, len_b));
        let from_start = bucket(i - lo, &[0, 1, 2, 4, 8]);
        let to_end = bucket(hi - 1 - i, &[0, 1, 2, 4, 8]);
        out.push(feat(16, from_start * 8 + to_end));
        out.push(feat(17, len_b * 64 + from_start * 8 + to_end));
        out.push(feat(18, mix(ctx.hash[lo], from_start)));
        out.push(feat(19, (ctx.sentence_cues[s].count_ones() as u64).min(6)));
    }
    out.push(feat(20, ctx.in_quotes[i] as u64));
    let freq = bucket(ctx.doc_freq[i] as usize, &[1, 2, 4]);
    out.push(feat(21, freq * 2 + ctx.is_content(i) as u64));
    out.push(feat(22, ctx.trigram_repeated[i] as u64));
    out.push(feat(23, (i < ctx.title_end) as u64));
    out.push(feat(
        24,
        mix(
            ctx.h(ii),
            ctx.in_quotes[i] as u64 + 2 * (i < ctx.title_end) as u64,
        ),
    ));
}

/// First-stage probabilities with their per-sentence summaries, computed once per
/// document so that the second stage's features cost O(1) per token.
pub struct FirstStage<'p> {
    pub probs: &'p [f32],
    /// Per sentence: mean, max, marked share (0..=4, tokens ≥ 0.4).
    sentence_stats: Vec<(f32, f32, u64)>,
    /// Marked tokens before each token (prefix count; one extra entry at the end).
    marked_prefix: Vec<u32>,
    /// The whole document's mean first-stage probability, bucketed (0..=9): how
    /// persuasive the article reads as a whole (annotation density varies tenfold
    /// between articles, and the same word is marked more often in a dense one).
    document_level: u64,
}

impl<'p> FirstStage<'p> {
    pub fn new(ctx: &DocContext, probs: &'p [f32]) -> FirstStage<'p> {
        let mut marked_prefix = Vec::with_capacity(probs.len() + 1);
        let mut marked = 0u32;
        marked_prefix.push(0);
        for &p in probs {
            marked += (p >= 0.4) as u32;
            marked_prefix.push(marked);
        }
        let sentence_stats = ctx
            .sentence_tokens
            .iter()
            .map(|&(slo, shi)| {
                if shi <= slo || shi > probs.len() {
                    return (0.0, 0.0, 0);
                }
                let sent = &probs[slo..shi];
                let mean = sent.iter().sum::<f32>() / sent.len() as f32;
                let max = sent.iter().copied().fold(0.0, f32::max);
                let count = (marked_prefix[shi] - marked_prefix[slo]) as usize;
                (mean, max, (count * 4 / sent.len()) as u64)
            })
            .collect();
        let mean = probs.iter().sum::<f32>() / probs.len().max(1) as f32;
        let document_level = (mean * 40.0).clamp(0.0, 9.0) as u64;
        FirstStage {
            probs,
            sentence_stats,
            marked_prefix,
            document_level,
        }
    }
}

/// Second-stage tagger features: the first-stage probabilities around token `i`
/// (a cheap stand-in for a CRF's label context), appended to `out`.
pub fn context_features(ctx: &DocContext, stage: &FirstStage, i: usize, out: &mut Vec<u32>) {
    let first = stage.probs;
    let q = |p: f32| -> u64 { (p * 10.0).clamp(0.0, 9.0) as u64 };
    let at = |j: isize| -> u64 {
        if j < 0 || j as usize >= first.len() {
            10
        } else {
            q(first[j as usize])
        }
    };
    let ii = i as isize;
    out.push(feat(300, at(ii)));
    out.push(feat(301, at(ii - 1)));
    out.push(feat(302, at(ii + 1)));
    out.push(feat(303, at(ii - 1) * 16 + at(ii + 1)));
    out.push(feat(304, at(ii - 2) * 16 + at(ii + 2)));
    let lo = i.saturating_sub(4);
    let hi = (i + 5).min(first.len());
    let window_max = first[lo..hi].iter().copied().fold(0.0, f32::max);
    let window_mean = first[lo..hi].iter().sum::<f32>() / (hi - lo) as f32;
    out.push(feat(305, q(window_max)));
    out.push(feat(306, q(window_mean)));
    out.push(feat(307, q(window_mean) * 16 + at(ii)));
    let s = ctx.sentence[i];
    if s != usize::MAX {
        let (slo, shi) = ctx.sentence_tokens[s];
        if shi > slo {
            let (mean, max, marked) = stage.sentence_stats[s];
            out.push(feat(308, q(mean)));
            out.push(feat(309, q(max)));
            out.push(feat(310, marked * 16 + at(ii)));
            // Is there a marked token before / after this one in the sentence?
            let prefix = &stage.marked_prefix;
            let before = (prefix[i] > prefix[slo]) as u64;
            let after = (prefix[shi] > prefix[i + 1]) as u64;
            out.push(feat(311, before * 2 + after + at(ii) * 4));
        }
    }
    out.push(feat(312, at(ii) * 16 + ctx.shape[i] as u64));
    out.push(feat(313, stage.document_level));
    out.push(feat(314, stage.document_level * 16 + at(ii)));
}

/// Features of the span covering tokens `[lo, hi)` for the technique classifier.
pub fn span_features(ctx: &DocContext, lo: usize, hi: usize, out: &mut Vec<u32>) {
    out.clear();
    let lang = ctx.russian as u64;
    out.push(feat(100, lang));
    let len = hi - lo;
    let len_b = bucket(len, &[1, 2, 3, 5, 8, 12, 20, 35]);
    out.push(feat(101, len_b));
    let mut cues = 0u32;
    let mut max_freq = 0u32;
    let mut flags = 0u64;
    let mut caps = 0usize;
    for i in lo..hi {
        out.push(feat(102, ctx.hash[i]));
        if i + 1 < hi {
            out.push(feat(103, mix(ctx.hash[i], ctx.hash[i + 1])));
        }
        out.push(feat(104, ctx.suffix[i]));
        cues |= ctx.cues[i];
        if ctx.is_content(i) {
            max_freq = max_freq.max(ctx.doc_freq[i]);
        }
        flags |= match ctx.shape[i] {
            2 => 1,
            3 => 2,
            4 => 4,
            8 => 8,
            _ => 0,
        };
        caps += (ctx.shape[i] == 9) as usize;
    }
    push_cues(out, 105, cues);
    for c in 0..CUE_COUNT {
        if cues & (1 << c) != 0 {
            out.push(feat(106, c as u64 * 16 + len_b));
        }
    }
    let (a, b) = (lo as isize, hi as isize);
    let mut around = 0u32;
    for d in 1..=3 {
        around |= ctx.cue(a - d) | ctx.cue(b - 1 + d);
    }
    push_cues(out, 107, around);
    out.push(feat(108, ctx.h(a)));
    out.push(feat(109, ctx.h(b - 1)));
    out.push(feat(110, ctx.h(a - 1)));
    out.push(feat(111, ctx.h(b)));
    out.push(feat(112, mix(ctx.h(a - 2), ctx.h(a - 1))));
    out.push(feat(113, flags));
    out.push(feat(114, ctx.h(b) ^ flags));
    out.push(feat(115, bucket(max_freq as usize, &[1, 2, 3, 5])));
    out.push(feat(116, bucket(caps, &[0, 1, 3])));
    if len <= 3 {
        out.push(feat(117, mix(ctx.hash[lo], len as u64)));
    }
    // Repetition: how often the exact token sequence occurs in the document.
    let occurrences = if len > 0 && len <= MAX_REPEATED_LEN {
        ctx.occurrences(lo, hi)
    } else {
        0
    };
    out.push(feat(118, bucket(occurrences, &[1, 2, 3])));
    out.push(feat(119, bucket(occurrences, &[1, 2, 3]) * 16 + len_b));
    // Span against its sentence: whole sentence, inside, crossing.
    let s = ctx.sentence[lo];
    if s != usize::MAX {
        let (slo, shi) = ctx.sentence_tokens[s];
        let covers = (lo <= slo + 1) as u64 * 2 + (hi + 1 >= shi) as u64;
        out.push(feat(120, covers));
        out.push(feat(121, ctx.sentence_flags[s] as u64));
        out.push(feat(122, covers * 16 + len_b));
    }
    out.push(feat(123, ctx.in_quotes[lo] as u64));
    out.push(feat(124, (lo < ctx.title_end) as u64));
}

/// Features of a candidate span `[lo, hi)` for the span verifier: the span's own
/// features plus how strongly the first-stage tagger marked it and its surroundings.
pub fn verifier_features(
    ctx: &DocContext,
    first: &[f32],
    lo: usize,
    hi: usize,
    out: &mut Vec<u32>,
) {
    let sentence_mean = sentence_mean(ctx, first, ctx.sentence[lo]);
    verifier_features_with(ctx, first, sentence_mean, lo, hi, out);
}

/// The mean first-stage probability over sentence `s` (`None` outside sentences or
/// for an empty one), as [`verifier_features`] uses it.
pub fn sentence_mean(ctx: &DocContext, first: &[f32], s: usize) -> Option<f32> {
    let &(slo, shi) = ctx.sentence_tokens.get(s)?;
    (shi > slo).then(|| {
        let sent = &first[slo..shi];
        sent.iter().sum::<f32>() / sent.len() as f32
    })
}

/// [`verifier_features`] given the span's [`sentence_mean`] (a caller with many
/// spans in one long sentence computes it once).
pub fn verifier_features_with(
    ctx: &DocContext,
    first: &[f32],
    sentence_mean: Option<f32>,
    lo: usize,
    hi: usize,
    out: &mut Vec<u32>,
) {
    span_features(ctx, lo, hi, out);
    let q = |p: f32| -> u64 { (p * 10.0).clamp(0.0, 9.0) as u64 };
    let inside = &first[lo..hi];
    let mean = inside.iter().sum::<f32>() / inside.len().max(1) as f32;
    let max = inside.iter().copied().fold(0.0, f32::max);
    let min = inside.iter().copied().fold(1.0, f32::min);
    let len_b = bucket(hi - lo, &[1, 2, 3, 5, 8, 12, 20, 35]);
    out.push(feat(400, q(mean)));
    out.push(feat(401, q(max)));
    out.push(feat(402, q(min)));
    out.push(feat(403, q(mean) * 16 + len_b));
    out.push(feat(404, q(max) * 16 + len_b));
    let before = if lo > 0 { q(first[lo - 1]) } else { 10 };
    let after = if hi < first.len() { q(first[hi]) } else { 10 };
    out.push(feat(405, before * 16 + after));
    if let Some(smean) = sentence_mean {
        out.push(feat(406, q(smean)));
        out.push(feat(407, q(smean) * 16 + q(mean)));
    }
}

/// Features of the paragraph `span` for the paragraph labeller.
pub fn paragraph_features(ctx: &DocContext, span: Span, out: &mut Vec<u32>) {
    out.clear();
    let doc = ctx.doc;
    let lo = doc.tokens.partition_point(|t| t.end <= span.start);
    let hi = doc.tokens.partition_point(|t| t.start < span.end).max(lo);
    out.push(feat(200, ctx.russian as u64));
    let len = hi - lo;
    out.push(feat(201, bucket(len, &[3, 8, 15, 30, 60, 120])));
    let mut cue_counts = [0u8; CUE_COUNT as usize];
    let mut flags = 0u64;
    let mut repeated = 0usize;
    for i in lo..hi {
        out.push(feat(202, ctx.hash[i]));
        if i + 1 < hi {
            out.push(feat(203, mix(ctx.hash[i], ctx.hash[i + 1])));
        }
        out.push(feat(204, ctx.suffix[i]));
        let mut m = ctx.cues[i];
        while m != 0 {
            let bit = m.trailing_zeros() as usize;
            cue_counts[bit] = cue_counts[bit].saturating_add(1);
            m &= m - 1;
        }
        flags |= match ctx.shape[i] {
            2 => 1,
            3 => 2,
            4 => 4,
            8 => 8,
            _ => 0,
        };
        repeated += (ctx.trigram_repeated[i] && ctx.is_content(i)) as usize;
    }
    out.sort_unstable();
    out.dedup();
    for (c, &n) in cue_counts.iter().enumerate() {
        if n > 0 {
            out.push(feat(205, c as u64 * 8 + bucket(n as usize, &[1, 2, 4])));
        }
    }
    out.push(feat(206, flags));
    out.push(feat(207, bucket(repeated, &[0, 2, 5])));
    out.push(feat(208, (lo < ctx.title_end) as u64));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repetitions_are_counted_as_a_scan_counts_them() {
        let doc = Document::from_text(
            "Build the wall, build the wall! They said build the wall again and again. \
             The wall, the wall, the wall.",
        );
        let ctx = DocContext::new(&doc);
        let n = ctx.hash.len();
        for lo in 0..n {
            for hi in lo + 1..=(lo + MAX_REPEATED_LEN).min(n) {
                let seq = &ctx.hash[lo..hi];
                let scan = ctx.hash.windows(hi - lo).filter(|w| *w == seq).count();
                assert_eq!(
                    ctx.occurrences(lo, hi),
                    scan.min(REPEATS_COUNTED as usize),
                    "{lo}..{hi}"
                );
            }
        }
    }

    #[test]
    fn repeated_trigrams_and_quotes_are_seen() {
        let doc = Document::from_text("Build the wall. They said \"build the wall\" again.");
        let ctx = DocContext::new(&doc);
        let the = doc
            .tokens
            .iter()
            .position(|t| doc.slice(t.span()) == "the")
            .unwrap();
        assert!(ctx.trigram_repeated[the]);
        let again = doc
            .tokens
            .iter()
            .position(|t| doc.slice(t.span()) == "again")
            .unwrap();
        assert!(!ctx.in_quotes[again]);
        let wall2 = doc
            .tokens
            .iter()
            .rposition(|t| doc.slice(t.span()) == "wall")
            .unwrap();
        assert!(ctx.in_quotes[wall2]);
    }
}
