//! A multi-class averaged perceptron over hashed sparse features, shared by the tagger
//! and the parser.
//!
//! Features are 64-bit hashes of a template number and its string/number parts
//! ([`FeatureHash`]); each feature keeps weights only for the classes that were ever
//! updated on it, so a tag set of a thousand joint UPOS+FEATS tags costs no more than
//! the classes actually seen with each feature. Training keeps the running sum for the
//! averaged weights (Collins 2002; the lazy-timestamp trick), and [`Trainer::finish`]
//! writes a compact read-only [`Weights`].

use std::io::Read;

#[cfg(feature = "train")]
use rustc_hash::FxHashMap;

/// Builds one feature's hash from its template id and parts (FNV-1a, then a final mix).
#[derive(Clone, Copy)]
pub struct FeatureHash(u64);

impl FeatureHash {
    /// Start a feature of template `template`.
    #[inline]
    pub fn new(template: u32) -> FeatureHash {
        FeatureHash(0xcbf2_9ce4_8422_2325 ^ u64::from(template).wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }
    /// Add a string part.
    #[inline]
    pub fn str(mut self, s: &str) -> FeatureHash {
        for &b in s.as_bytes() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = (self.0 ^ 0xff).wrapping_mul(0x0000_0100_0000_01b3);
        self
    }
    /// Add a number part.
    #[inline]
    pub fn num(mut self, n: u64) -> FeatureHash {
        self.0 = (self.0 ^ n).wrapping_mul(0x0000_0100_0000_01b3);
        self.0 = (self.0 ^ (n >> 32) ^ 0xfe).wrapping_mul(0x0000_0100_0000_01b3);
        self
    }
    /// The finished hash.
    #[inline]
    pub fn done(self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// The 32-bit key a 64-bit feature hash is stored under (a million features collide
/// in a few hundred pairs, which costs nothing measurable and halves the key bytes).
#[inline]
fn fold(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// Read-only averaged weights, quantised to 16 bits (`value = weight * scale`).
///
/// Laid out for the lookup, which is what tagging and parsing spend their time on:
/// an open-addressed table (at most two thirds full) of 16-byte slots `[key, meta,
/// pair, pair]`, each pair `class | weight << 16`; `meta` 0 is an empty slot.
/// - Most features carry two weights (a perceptron update adds to one class and takes
///   from another): a run of up to two pairs lives in its slot (`meta` = `INLINE |
///   len`), and finding it costs one cache miss.
/// - Longer runs live in `runs` (`meta` = offset + 1), their length first.
/// - A run over a quarter of the classes (the frequent features: a tag bigram, the
///   bias) is a row of `dense` (its `runs` word is `DENSE | row`), added with vector
///   instructions instead of one scattered add per class.
///
/// [`Weights::score`] reads the home slots of a batch before comparing any, and the
/// run headers of a batch before adding any, so the cache misses overlap.
#[derive(Debug, Clone)]
pub struct Weights {
    n_classes: usize,
    scale: f32,
    slots: Vec<[u32; 4]>,
    runs: Vec<u32>,
    dense: Vec<i16>,
    pairs: usize,
    features: usize,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights::with_features(0, 1.0, 0)
    }
}

/// How many features [`Weights::score`] looks up together.
const BATCH: usize = 32;

/// The `meta` bit of a slot whose pairs are inline.
const INLINE: u32 = 1 << 31;

/// The bit of a `runs` header whose weights are a dense row.
const DENSE: u32 = 1 << 31;

/// Where a key's probe starts: its top bits, so the model file's keys (sorted) fill
/// the table front to back while it loads instead of landing anywhere in it.
#[inline]
fn home_of(key: u32, shift: u32) -> usize {
    (u64::from(key) >> shift) as usize
}

/// One `(class, weight)` pair as stored.
#[inline]
fn pack(class: u16, weight: i16) -> u32 {
    u32::from(class) | (u32::from(weight as u16) << 16)
}

/// A stored pair's class and weight.
#[inline]
fn unpack(pair: u32) -> (u16, i16) {
    (pair as u16, (pair >> 16) as u16 as i16)
}

/// Ask Linux to back a large table with 2 MB pages before it is first written: its
/// lookups land anywhere in it, and with 4 KB pages nearly each one also missed the TLB.
fn advise_huge_pages<T>(table: &mut [T]) {
    let bytes = std::mem::size_of_val(table);
    if bytes < 4 << 20 {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        let start = table.as_mut_ptr() as usize;
        let aligned = (start + PAGE - 1) & !(PAGE - 1);
        let len = (start + bytes - aligned) & !(PAGE - 1);
        // SAFETY: the range lies inside `table`'s own allocation, and MADV_HUGEPAGE only
        // changes how the kernel backs those pages, never their contents; a failure
        // (no transparent huge pages) leaves the table as it was.
        unsafe {
            libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
        }
    }
}

#[inline]
fn add_pairs(pairs: &[u32], scores: &mut [i32]) {
    for &pair in pairs {
        let (class, weight) = unpack(pair);
        scores[class as usize] += i32::from(weight);
    }
}

#[inline]
fn add_row(row: &[i16], scores: &mut [i32]) {
    for (s, &w) in scores.iter_mut().zip(row) {
        *s += i32::from(w);
    }
}

impl Weights {
    /// An empty store with room for `n_features` features.
    fn with_features(n_classes: usize, scale: f32, n_features: usize) -> Weights {
        let n_slots = (n_features + n_features / 2).max(2).next_power_of_two();
        let mut slots = vec![[0; 4]; n_slots];
        advise_huge_pages(&mut slots);
        Weights {
            n_classes,
            scale,
            slots,
            runs: Vec::new(),
            dense: Vec::new(),
            pairs: 0,
            features: 0,
        }
    }

    /// Slot `i`.
    #[inline]
    fn slot(&self, i: usize) -> &[u32; 4] {
        &self.slots[i]
    }

    /// The slot index mask (the table's size is a power of two).
    #[inline]
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// How far [`home_of`] shifts a key: it keeps log2(slots) top bits.
    #[inline]
    fn shift(&self) -> u32 {
        32u32.saturating_sub(self.slots.len().trailing_zeros())
    }

    /// A slot's `(class, weight)` pairs, in class order.
    fn pairs_of(&self, slot: &[u32; 4]) -> Vec<(u16, i16)> {
        if slot[1] & INLINE != 0 {
            return slot[2..2 + (slot[1] & 3) as usize]
                .iter()
                .map(|&p| unpack(p))
                .collect();
        }
        let at = slot[1] as usize;
        let header = self.runs[at - 1];
        if header & DENSE != 0 {
            let row = (header & !DENSE) as usize * self.n_classes;
            (0..self.n_classes)
                .filter(|&c| self.dense[row + c] != 0)
                .map(|c| (c as u16, self.dense[row + c]))
                .collect()
        } else {
            self.runs[at..at + header as usize]
                .iter()
                .map(|&p| unpack(p))
                .collect()
        }
    }

    /// Store one feature's `(class, quantised weight)` run (zero weights dropped, and a
    /// run left empty not stored); a later run under the same folded key replaces the
    /// earlier one. The table doubles when it would be over two thirds full.
    fn insert(&mut self, key: u32, run: &mut Vec<(u16, i16)>) {
        run.retain(|p| p.1 != 0);
        if run.is_empty() {
            return;
        }
        run.sort_unstable();
        let mut slot = [key, INLINE | run.len() as u32, 0, 0];
        if run.len() <= 2 {
            for (to, &(class, weight)) in slot[2..].iter_mut().zip(run.iter()) {
                *to = pack(class, weight);
            }
        } else if run.len() * 4 >= self.n_classes {
            let row = self.dense.len() / self.n_classes;
            self.dense.resize(self.dense.len() + self.n_classes, 0);
            for &(class, weight) in run.iter() {
                self.dense[row * self.n_classes + class as usize] = weight;
            }
            self.runs.push(DENSE | row as u32);
            slot[1] = self.runs.len() as u32;
        } else {
            self.runs.push(run.len() as u32);
            slot[1] = self.runs.len() as u32;
            self.runs
                .extend(run.iter().map(|&(class, weight)| pack(class, weight)));
        }
        if (self.features + 1) * 3 > self.slots.len() * 2 {
            self.grow();
        }
        let i = self.place_of(key);
        if self.slot(i)[1] != 0 {
            self.pairs -= self.pairs_of(self.slot(i)).len();
        } else {
            self.features += 1;
        }
        self.slots[i] = slot;
        self.pairs += run.len();
    }

    /// The slot holding `key`, or the empty slot where it goes.
    fn place_of(&self, key: u32) -> usize {
        let mask = self.mask();
        let mut i = home_of(key, self.shift());
        while self.slot(i)[1] != 0 && self.slot(i)[0] != key {
            i = (i + 1) & mask;
        }
        i
    }

    /// Double the table (a slot is self-contained: its runs do not move).
    fn grow(&mut self) {
        let mut slots = vec![[0; 4]; self.slots.len() * 2];
        advise_huge_pages(&mut slots);
        let old = std::mem::replace(&mut self.slots, slots);
        for slot in old.into_iter().filter(|s| s[1] != 0) {
            let i = self.place_of(slot[0]);
            self.slots[i] = slot;
        }
    }

    /// Move the runs into an allocation of their own size, backed by huge pages
    /// where it is large (they are read as randomly as the slots).
    fn seal(&mut self) {
        let mut runs = vec![0u32; self.runs.len()];
        advise_huge_pages(&mut runs);
        runs.copy_from_slice(&self.runs);
        self.runs = runs;
        self.dense.shrink_to_fit();
    }

    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Number of stored (feature, class) weights.
    pub fn len(&self) -> usize {
        self.pairs
    }

    /// Whether no weight is stored.
    pub fn is_empty(&self) -> bool {
        self.pairs == 0
    }

    /// Add the quantised weights of `features` into `scores` (length `n_classes`,
    /// zeroed by the caller). Summed as integers, so the order of the features does
    /// not change a score; multiply by the scale for the real value (the argmax does
    /// not need it).
    #[inline]
    pub fn score(&self, features: &[u64], scores: &mut [i32]) {
        let (mask, shift) = (self.mask(), self.shift());
        let mut home = [[0u32; 4]; BATCH];
        let mut pending = [0usize; BATCH];
        let mut headers = [0u32; BATCH];
        for batch in features.chunks(BATCH) {
            // Every home slot is read before any is compared: independent loads,
            // which the processor overlaps instead of waiting on one miss at a time.
            for (h, f) in home.iter_mut().zip(batch) {
                *h = *self.slot(home_of(fold(*f), shift));
            }
            let mut waiting = 0;
            for (first, f) in home.iter().zip(batch) {
                let key = fold(*f);
                let (mut i, mut slot) = (home_of(key, shift), first);
                while slot[1] != 0 {
                    if slot[0] == key {
                        if slot[1] & INLINE != 0 {
                            add_pairs(&slot[2..2 + (slot[1] & 3) as usize], scores);
                        } else {
                            pending[waiting] = slot[1] as usize;
                            waiting += 1;
                        }
                        break;
                    }
                    i = (i + 1) & mask;
                    slot = self.slot(i);
                }
            }
            // The longer runs' headers, read together for the same reason.
            for (h, &at) in headers.iter_mut().zip(&pending[..waiting]) {
                *h = self.runs[at - 1];
            }
            for (&at, &header) in pending[..waiting].iter().zip(&headers) {
                if header & DENSE != 0 {
                    let row = (header & !DENSE) as usize * self.n_classes;
                    add_row(&self.dense[row..row + self.n_classes], scores);
                } else {
                    add_pairs(&self.runs[at..at + header as usize], scores);
                }
            }
        }
    }

    /// Serialise: class count, feature count, the weight scale, then per feature (in
    /// key order) its folded hash, run length and `(class u16, weight i16)` pairs (in
    /// class order), little-endian.
    pub fn write(&self, out: &mut Vec<u8>) {
        let mut live: Vec<&[u32; 4]> = self.slots.iter().filter(|s| s[1] != 0).collect();
        live.sort_unstable_by_key(|s| s[0]);
        out.extend_from_slice(&(self.n_classes as u32).to_le_bytes());
        out.extend_from_slice(&(live.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        for slot in live {
            let pairs = self.pairs_of(slot);
            out.extend_from_slice(&slot[0].to_le_bytes());
            out.extend_from_slice(&(pairs.len() as u16).to_le_bytes());
            for (class, weight) in pairs {
                out.extend_from_slice(&class.to_le_bytes());
                out.extend_from_slice(&weight.to_le_bytes());
            }
        }
    }

    /// Read what [`Weights::write`] wrote.
    pub fn read(input: &mut Reader<'_>) -> Result<Weights, String> {
        let n_classes = input.u32()? as usize;
        let n_features = input.u32()? as usize;
        let scale = input.f32()?;
        // A corrupt count must not allocate before the bytes run out. The remaining
        // count comes from the container, which may be corrupt too, so the table is
        // sized from the count only up to 2M features (64 MB; the largest model has
        // 1.3M) and beyond that grows with what is actually read.
        if n_features > input.remaining() / 6 {
            return Err(format!(
                "{n_features} features in {} bytes",
                input.remaining()
            ));
        }
        if n_classes > usize::from(u16::MAX) + 1 {
            return Err(format!("{n_classes} classes (at most 65536)"));
        }
        let mut w = Weights::with_features(n_classes, scale, n_features.min(1 << 21));
        let mut run = Vec::new();
        for _ in 0..n_features {
            let key = input.u32()?;
            let len = input.u16()?;
            run.clear();
            for _ in 0..len {
                let class = input.u16()?;
                if class as usize >= n_classes {
                    return Err(format!("class {class} out of range {n_classes}"));
                }
                run.push((class, input.u16()? as i16));
            }
            w.insert(key, &mut run);
        }
        w.seal();
        Ok(w)
    }
}

/// A little-endian byte reader for the model files, over a stream: a model is read
/// as it is decompressed, so its uncompressed bytes (27 MB for English) are never
/// held next to the tables built from them.
pub struct Reader<'a> {
    input: Box<dyn Read + 'a>,
    /// Bytes the stream still holds, as its container declares; a count read from a
    /// corrupt file is checked against it before anything that size is allocated.
    left: usize,
    at: usize,
    /// Read ahead from `input`; `chunk[next..]` is not consumed yet. Values are a few
    /// bytes each, so each is a slice of this buffer, not a call on the stream.
    chunk: Vec<u8>,
    next: usize,
}

/// How much [`Reader`] reads from its stream at a time.
const CHUNK: usize = 1 << 16;

impl<'a> Reader<'a> {
    /// Read from the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader::from_stream(bytes, bytes.len())
    }
    /// Read `len` bytes from `input`.
    pub fn from_stream(input: impl Read + 'a, len: usize) -> Reader<'a> {
        Reader {
            input: Box::new(input),
            left: len,
            at: 0,
            chunk: Vec::new(),
            next: 0,
        }
    }
    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.left
    }
    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&[u8], String> {
        if n > self.left {
            return Err(format!("truncated at byte {}", self.at));
        }
        if self.chunk.len() - self.next < n {
            self.chunk.drain(..self.next);
            self.next = 0;
            let have = self.chunk.len();
            let want = n.max(CHUNK).min(self.left) - have;
            self.chunk.resize(have + want, 0);
            self.input
                .read_exact(&mut self.chunk[have..])
                .map_err(|e| format!("at byte {}: {e}", self.at))?;
        }
        let out = &self.chunk[self.next..self.next + n];
        self.next += n;
        self.left -= n;
        self.at += n;
        Ok(out)
    }
    /// A `u16`.
    pub fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }
    /// A `u32`.
    pub fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    /// A `u64`.
    pub fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    /// An `f32`.
    pub fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    /// A length-prefixed UTF-8 string.
    pub fn string(&mut self) -> Result<&str, String> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|e| e.to_string())
    }
}

/// Append a length-prefixed UTF-8 string.
pub fn write_string(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// The index of the best-scoring class among those `allowed`.
#[inline]
pub fn argmax<T: PartialOrd + Copy>(
    scores: &[T],
    allowed: impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut best: Option<(usize, T)> = None;
    for (c, &s) in scores.iter().enumerate() {
        if allowed(c) && best.is_none_or(|(_, b)| s > b) {
            best = Some((c, s));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(feature = "train")]
#[derive(Clone, Copy)]
struct Entry {
    class: u16,
    weight: f32,
    total: f64,
    stamp: u32,
}

/// Averaged-perceptron training state.
#[cfg(feature = "train")]
#[derive(Default)]
pub struct Trainer {
    n_classes: usize,
    entries: FxHashMap<u64, Vec<Entry>>,
    step: u32,
}

#[cfg(feature = "train")]
impl Trainer {
    /// A trainer for `n_classes` classes.
    pub fn new(n_classes: usize) -> Trainer {
        Trainer {
            n_classes,
            ..Trainer::default()
        }
    }

    /// Current (not averaged) scores of `features`.
    pub fn score(&self, features: &[u64], scores: &mut [f32]) {
        for f in features {
            if let Some(run) = self.entries.get(f) {
                for e in run {
                    scores[e.class as usize] += e.weight;
                }
            }
        }
    }

    /// Count one training example (call once per prediction, updated or not).
    pub fn tick(&mut self) {
        self.step += 1;
    }

    /// Move weight from `guess` to `truth` on `features`.
    pub fn update(&mut self, features: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        let step = self.step;
        for f in features {
            let run = self.entries.entry(*f).or_default();
            for (class, delta) in [(truth, 1.0f32), (guess, -1.0f32)] {
                let e = match run.iter_mut().position(|e| e.class as usize == class) {
                    Some(i) => &mut run[i],
                    None => {
                        run.push(Entry {
                            class: class as u16,
                            weight: 0.0,
                            total: 0.0,
                            stamp: step,
                        });
                        run.last_mut().expect("just pushed")
                    }
                };
                e.total += f64::from(step - e.stamp) * f64::from(e.weight);
                e.stamp = step;
                e.weight += delta;
            }
        }
    }

    /// The averaged weights, dropping those whose magnitude is below `min_weight`,
    /// quantised as the model file stores them (so what training evaluates, in the
    /// jackknife too, is what ships).
    pub fn finish(&self, min_weight: f32) -> Weights {
        let steps = f64::from(self.step.max(1));
        let mut keys: Vec<&u64> = self.entries.keys().collect();
        keys.sort_unstable();
        let mut kept: Vec<(u32, Vec<(u16, f32)>)> = Vec::new();
        for key in keys {
            let run: Vec<(u16, f32)> = self.entries[key]
                .iter()
                .map(|e| {
                    let total = e.total + f64::from(self.step - e.stamp) * f64::from(e.weight);
                    (e.class, (total / steps) as f32)
                })
                .filter(|(_, avg)| avg.abs() >= min_weight)
                .collect();
            if !run.is_empty() {
                kept.push((fold(*key), run));
            }
        }
        let max = kept
            .iter()
            .flat_map(|(_, run)| run.iter())
            .fold(0.0f32, |m, (_, v)| m.max(v.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut w = Weights::with_features(self.n_classes, scale, kept.len());
        let mut quantised = Vec::new();
        for (key, run) in &kept {
            quantised.clear();
            quantised.extend(run.iter().map(|&(c, v)| (c, (v / scale).round() as i16)));
            w.insert(*key, &mut quantised);
        }
        w.seal();
        w
    }
}

#[cfg(all(test, feature = "train"))]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_round_trips() {
        let a = FeatureHash::new(1).str("a").done();
        let b = FeatureHash::new(1).str("b").done();
        let mut t = Trainer::new(2);
        for _ in 0..5 {
            for (f, truth) in [(a, 0), (b, 1)] {
                t.tick();
                let mut s = [0.0; 2];
                t.score(&[f], &mut s);
                let guess = argmax(&s, |_| true).unwrap();
                t.update(&[f], truth, guess);
            }
        }
        let w = t.finish(0.0);
        let mut bytes = Vec::new();
        w.write(&mut bytes);
        let w = Weights::read(&mut Reader::new(&bytes)).unwrap();
        let mut s = [0; 2];
        w.score(&[b], &mut s);
        assert_eq!(argmax(&s, |_| true), Some(1));
        let mut s = [0; 2];
        w.score(&[a], &mut s);
        assert_eq!(argmax(&s, |_| true), Some(0));
    }
}
