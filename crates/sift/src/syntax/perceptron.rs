//! A multi-class averaged perceptron over hashed sparse features, shared by the tagger
//! and the parser.
//!
//! Features are 64-bit hashes of a template number and its string/number parts
//! ([`FeatureHash`]); each feature keeps weights only for the classes that were ever
//! updated on it, so a tag set of a thousand joint UPOS+FEATS tags costs no more than
//! the classes actually seen with each feature. Training keeps the running sum for the
//! averaged weights (Collins 2002; the lazy-timestamp trick), and [`Trainer::finish`]
//! writes a compact read-only [`Weights`].

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

/// Read-only averaged weights: per feature, a run of `(class, weight)` pairs.
#[derive(Debug, Clone, Default)]
pub struct Weights {
    n_classes: usize,
    index: FxHashMap<u32, (u32, u32)>,
    classes: Vec<u16>,
    values: Vec<f32>,
}

impl Weights {
    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Number of stored (feature, class) weights.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no weight is stored.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Add the weights of `features` into `scores` (length `n_classes`, zeroed by the caller).
    #[inline]
    pub fn score(&self, features: &[u64], scores: &mut [f32]) {
        for f in features {
            if let Some(&(start, len)) = self.index.get(&fold(*f)) {
                let (s, e) = (start as usize, (start + len) as usize);
                for (c, w) in self.classes[s..e].iter().zip(&self.values[s..e]) {
                    scores[*c as usize] += w;
                }
            }
        }
    }

    /// Serialise: class count, feature count, the weight scale, then per feature its
    /// folded hash, run length and `(class u16, weight i16)` pairs, little-endian.
    /// Weights are quantised to 16 bits (relative error below 1e-4 of the largest).
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.n_classes as u32).to_le_bytes());
        out.extend_from_slice(&(self.index.len() as u32).to_le_bytes());
        let max = self.values.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        out.extend_from_slice(&scale.to_le_bytes());
        let mut keys: Vec<(&u32, &(u32, u32))> = self.index.iter().collect();
        keys.sort_unstable();
        for (key, &(start, len)) in keys {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&(len as u16).to_le_bytes());
            for i in start as usize..(start + len) as usize {
                out.extend_from_slice(&self.classes[i].to_le_bytes());
                let q = (self.values[i] / scale).round() as i16;
                out.extend_from_slice(&q.to_le_bytes());
            }
        }
    }

    /// Read what [`Weights::write`] wrote.
    pub fn read(input: &mut Reader<'_>) -> Result<Weights, String> {
        let n_classes = input.u32()? as usize;
        let n_features = input.u32()? as usize;
        let scale = input.f32()?;
        let mut w = Weights {
            n_classes,
            index: FxHashMap::default(),
            classes: Vec::new(),
            values: Vec::new(),
        };
        w.index.reserve(n_features);
        for _ in 0..n_features {
            let key = input.u32()?;
            let len = input.u16()? as u32;
            w.index.insert(key, (w.values.len() as u32, len));
            for _ in 0..len {
                let class = input.u16()?;
                if class as usize >= n_classes {
                    return Err(format!("class {class} out of range {n_classes}"));
                }
                w.classes.push(class);
                w.values.push(f32::from(input.u16()? as i16) * scale);
            }
        }
        Ok(w)
    }
}

/// A little-endian byte reader for the model files.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// Read from the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("truncated at byte {}", self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
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
    pub fn string(&mut self) -> Result<&'a str, String> {
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
pub fn argmax(scores: &[f32], allowed: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
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

    /// The averaged weights, dropping those whose magnitude is below `min_weight`.
    pub fn finish(&self, min_weight: f32) -> Weights {
        let steps = f64::from(self.step.max(1));
        let mut keys: Vec<&u64> = self.entries.keys().collect();
        keys.sort_unstable();
        let mut w = Weights {
            n_classes: self.n_classes,
            ..Weights::default()
        };
        for key in keys {
            let start = w.values.len() as u32;
            for e in &self.entries[key] {
                let total = e.total + f64::from(self.step - e.stamp) * f64::from(e.weight);
                let avg = (total / steps) as f32;
                if avg.abs() >= min_weight {
                    w.classes.push(e.class);
                    w.values.push(avg);
                }
            }
            let len = w.values.len() as u32 - start;
            if len > 0 {
                w.index.insert(fold(*key), (start, len));
            }
        }
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
        let mut s = [0.0; 2];
        w.score(&[b], &mut s);
        assert_eq!(argmax(&s, |_| true), Some(1));
        let mut s = [0.0; 2];
        w.score(&[a], &mut s);
        assert_eq!(argmax(&s, |_| true), Some(0));
    }
}
