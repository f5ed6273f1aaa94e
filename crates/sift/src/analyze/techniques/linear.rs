//! Hashed linear models: logistic regression (one or several sigmoid outputs) and
//! multinomial logistic regression (softmax), trained by AdaGrad SGD with a fixed seed,
//! stored quantised to `i8` per output so the committed model stays small.

use std::io::{self, Read, Write};

/// How the outputs of a [`LinearModel`] turn into probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// Independent binary decisions, one per output (one-vs-rest).
    Sigmoid,
    /// One label among all outputs.
    Softmax,
}

/// A linear model over hashed feature ids in `[0, 2^bits)`.
///
/// Weights are feature-major (`weights[f * outputs + k]`) so scoring a feature
/// touches one cache line for all outputs. A trained model holds `f32` weights; a
/// loaded one keeps the stored `i8` weights and their per-output scales (a quarter of
/// the memory, and loading is a copy).
#[derive(Debug, Clone)]
pub struct LinearModel {
    pub bits: u32,
    pub outputs: usize,
    pub loss: Loss,
    weights: Vec<f32>,
    quantised: Vec<i8>,
    scales: Vec<f32>,
    bias: Vec<f32>,
}

/// Training settings; the defaults are what `sift train techniques` uses.
#[derive(Debug, Clone, Copy)]
pub struct TrainConfig {
    pub epochs: usize,
    pub learning_rate: f32,
    pub seed: u64,
    /// Weight of positive examples for sigmoid outputs (class imbalance).
    pub positive_weight: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 6,
            learning_rate: 0.2,
            seed: 20_260_101,
            positive_weight: 1.0,
        }
    }
}

/// One training example: hashed features and its targets.
/// For softmax, `targets` holds one label index; for sigmoid, the indices of positive outputs.
#[derive(Debug, Clone, Default)]
pub struct Example {
    pub features: Vec<u32>,
    pub targets: Vec<u16>,
}

/// A small deterministic PRNG (SplitMix64) so shuffles are reproducible
/// without pulling a dependency into the library.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl LinearModel {
    pub fn new(bits: u32, outputs: usize, loss: Loss) -> LinearModel {
        LinearModel {
            bits,
            outputs,
            loss,
            weights: vec![0.0; (1usize << bits) * outputs],
            quantised: Vec::new(),
            scales: Vec::new(),
            bias: vec![0.0; outputs],
        }
    }

    /// The bias per output.
    pub fn bias(&self) -> &[f32] {
        &self.bias
    }

    fn mask(&self) -> u32 {
        (1u32 << self.bits) - 1
    }

    /// Raw scores (logits), one per output.
    pub fn logits_into(&self, features: &[u32], out: &mut Vec<f32>) {
        out.clear();
        out.extend_from_slice(&self.bias);
        let k = self.outputs;
        let mask = self.mask();
        if self.quantised.is_empty() {
            for &f in features {
                let row = (f & mask) as usize * k;
                for (o, w) in out.iter_mut().zip(&self.weights[row..row + k]) {
                    *o += *w;
                }
            }
        } else if k == 1 {
            let sum: i32 = features
                .iter()
                .map(|&f| self.quantised[(f & mask) as usize] as i32)
                .sum();
            out[0] += sum as f32 * self.scales[0];
        } else {
            const AHEAD: usize = 8;
            let mut sums = [0i32; 64];
            let sums = &mut sums[..k.min(64)];
            for (j, &f) in features.iter().enumerate() {
                if let Some(&ahead) = features.get(j + AHEAD) {
                    let at = (ahead & mask) as usize * k;
                    prefetch(&self.quantised[at]);
                    prefetch(&self.quantised[at + k - 1]);
                }
                let row = (f & mask) as usize * k;
                for (s, w) in sums.iter_mut().zip(&self.quantised[row..row + k]) {
                    *s += *w as i32;
                }
            }
            for ((o, s), scale) in out.iter_mut().zip(sums.iter()).zip(&self.scales) {
                *o += *s as f32 * scale;
            }
        }
    }

    /// Probabilities: sigmoid per output or softmax over outputs.
    pub fn predict_into(&self, features: &[u32], out: &mut Vec<f32>) {
        self.logits_into(features, out);
        match self.loss {
            Loss::Sigmoid => out.iter_mut().for_each(|x| *x = sigmoid(*x)),
            Loss::Softmax => softmax(out),
        }
    }

    pub fn predict(&self, features: &[u32]) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.outputs);
        self.predict_into(features, &mut out);
        out
    }

    /// Fit on `examples` (AdaGrad SGD, examples shuffled with `config.seed`).
    pub fn train(
        bits: u32,
        outputs: usize,
        loss: Loss,
        examples: &[Example],
        config: &TrainConfig,
    ) -> LinearModel {
        let mut model = LinearModel::new(bits, outputs, loss);
        let mut g2 = vec![1e-6f32; model.weights.len()];
        let mut g2_bias = vec![1e-6f32; outputs];
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = SplitMix::new(config.seed);
        let mut probs = Vec::with_capacity(outputs);
        let mut grad = vec![0f32; outputs];
        let mask = model.mask();
        for _ in 0..config.epochs {
            rng.shuffle(&mut order);
            for &i in &order {
                let ex = &examples[i];
                model.predict_into(&ex.features, &mut probs);
                match loss {
                    Loss::Sigmoid => {
                        for (k, g) in grad.iter_mut().enumerate() {
                            let positive = ex.targets.contains(&(k as u16));
                            let y = if positive { 1.0 } else { 0.0 };
                            let weight = if positive {
                                config.positive_weight
                            } else {
                                1.0
                            };
                            *g = (probs[k] - y) * weight;
                        }
                    }
                    Loss::Softmax => {
                        for (k, g) in grad.iter_mut().enumerate() {
                            let y = if ex.targets.first() == Some(&(k as u16)) {
                                1.0
                            } else {
                                0.0
                            };
                            *g = probs[k] - y;
                        }
                    }
                }
                for &f in &ex.features {
                    let row = (f & mask) as usize * outputs;
                    for (k, &g) in grad.iter().enumerate() {
                        if g.abs() < 1e-5 {
                            continue;
                        }
                        let idx = row + k;
                        g2[idx] += g * g;
                        model.weights[idx] -= config.learning_rate * g / g2[idx].sqrt();
                    }
                }
                for (k, &g) in grad.iter().enumerate() {
                    g2_bias[k] += g * g;
                    model.bias[k] -= config.learning_rate * g / g2_bias[k].sqrt();
                }
            }
        }
        model
    }

    /// Serialise, quantising each output's weights to `i8` with its own scale.
    pub fn write_to<W: Write>(&self, out: &mut W) -> io::Result<()> {
        if !self.quantised.is_empty() {
            return Err(io::Error::other(
                "model was loaded quantised; write the trained one",
            ));
        }
        out.write_all(&self.bits.to_le_bytes())?;
        out.write_all(&(self.outputs as u32).to_le_bytes())?;
        out.write_all(&[match self.loss {
            Loss::Sigmoid => 0u8,
            Loss::Softmax => 1u8,
        }])?;
        let k = self.outputs;
        let mut scales = vec![0f32; k];
        for (i, w) in self.weights.iter().enumerate() {
            let s = &mut scales[i % k];
            *s = s.max(w.abs());
        }
        for s in scales.iter_mut() {
            *s = if *s > 0.0 { *s / 127.0 } else { 1.0 };
        }
        for (b, s) in self.bias.iter().zip(&scales) {
            out.write_all(&b.to_le_bytes())?;
            out.write_all(&s.to_le_bytes())?;
        }
        let quantised: Vec<u8> = self
            .weights
            .iter()
            .enumerate()
            .map(|(i, w)| (w / scales[i % k]).round().clamp(-127.0, 127.0) as i8 as u8)
            .collect();
        out.write_all(&quantised)
    }

    /// Read what [`LinearModel::write_to`] wrote.
    pub fn read_from<R: Read>(input: &mut R) -> io::Result<LinearModel> {
        let mut u32b = [0u8; 4];
        input.read_exact(&mut u32b)?;
        let bits = u32::from_le_bytes(u32b);
        input.read_exact(&mut u32b)?;
        let outputs = u32::from_le_bytes(u32b) as usize;
        if bits > 26 || outputs == 0 || outputs > 256 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "bad model header",
            ));
        }
        let mut lb = [0u8; 1];
        input.read_exact(&mut lb)?;
        let loss = if lb[0] == 0 {
            Loss::Sigmoid
        } else {
            Loss::Softmax
        };
        let mut bias = Vec::with_capacity(outputs);
        let mut scales = Vec::with_capacity(outputs);
        for _ in 0..outputs {
            input.read_exact(&mut u32b)?;
            bias.push(f32::from_le_bytes(u32b));
            input.read_exact(&mut u32b)?;
            scales.push(f32::from_le_bytes(u32b));
        }
        if outputs > 64 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "too many outputs",
            ));
        }
        let mut raw = vec![0u8; (1usize << bits) * outputs];
        input.read_exact(&mut raw)?;
        let quantised = raw.into_iter().map(|b| b as i8).collect();
        Ok(LinearModel {
            bits,
            outputs,
            loss,
            weights: Vec::new(),
            quantised,
            scales,
            bias,
        })
    }
}

/// Up to four sigmoid outputs of several [`LinearModel`]s over the same hashed
/// feature space, interleaved row by row, so that scoring a feature for all of them
/// touches one 4-byte (quantised) cell instead of one cache line per model.
#[derive(Debug, Clone)]
pub struct Interleaved {
    bits: u32,
    rows: Rows,
    scales: [f32; 4],
    bias: [f32; 4],
}

#[derive(Debug, Clone)]
enum Rows {
    Quantised(Vec<[i8; 4]>),
    Float(Vec<[f32; 4]>),
}

impl Interleaved {
    /// The outputs of `models`, in order, as columns; `None` when the models differ in
    /// hash size or storage, or have more than four outputs between them.
    pub fn new(models: &[&LinearModel]) -> Option<Interleaved> {
        let bits = models.first()?.bits;
        let quantised = !models[0].quantised.is_empty();
        let total: usize = models.iter().map(|m| m.outputs).sum();
        if total > 4
            || models
                .iter()
                .any(|m| m.bits != bits || m.quantised.is_empty() != !quantised)
        {
            return None;
        }
        let n = 1usize << bits;
        let mut scales = [0f32; 4];
        let mut bias = [0f32; 4];
        let mut column = 0;
        let mut columns = Vec::new();
        for m in models {
            for k in 0..m.outputs {
                scales[column] = m.scales.get(k).copied().unwrap_or(1.0);
                bias[column] = m.bias[k];
                columns.push((*m, k));
                column += 1;
            }
        }
        let rows = if quantised {
            let mut rows = vec![[0i8; 4]; n];
            for (c, (m, k)) in columns.iter().enumerate() {
                for (f, row) in rows.iter_mut().enumerate() {
                    row[c] = m.quantised[f * m.outputs + k];
                }
            }
            Rows::Quantised(rows)
        } else {
            let mut rows = vec![[0f32; 4]; n];
            for (c, (m, k)) in columns.iter().enumerate() {
                for (f, row) in rows.iter_mut().enumerate() {
                    row[c] = m.weights[f * m.outputs + k];
                }
            }
            Rows::Float(rows)
        };
        Some(Interleaved {
            bits,
            rows,
            scales,
            bias,
        })
    }

    /// The weight sums of `features` per column, bias not included.
    #[inline]
    pub fn sums(&self, features: &[u32]) -> [f32; 4] {
        let mask = (1u32 << self.bits) - 1;
        match &self.rows {
            Rows::Quantised(rows) => {
                let mut acc = [0i32; 4];
                for &f in features {
                    let row = rows[(f & mask) as usize];
                    for (a, w) in acc.iter_mut().zip(row) {
                        *a += w as i32;
                    }
                }
                let mut out = [0f32; 4];
                for c in 0..4 {
                    out[c] = acc[c] as f32 * self.scales[c];
                }
                out
            }
            Rows::Float(rows) => {
                let mut out = [0f32; 4];
                for &f in features {
                    let row = rows[(f & mask) as usize];
                    for (o, w) in out.iter_mut().zip(row) {
                        *o += w;
                    }
                }
                out
            }
        }
    }

    /// [`Interleaved::sums`] for many feature lists at once: `features` holds them
    /// end to end, list `i` being `features[ends[i - 1]..ends[i]]` (`ends[-1]` = 0).
    /// Rows are prefetched a few dozen features ahead, so the cache misses of
    /// consecutive tokens overlap instead of queueing one token at a time.
    pub fn sums_many(&self, features: &[u32], ends: &[usize], out: &mut Vec<[f32; 4]>) {
        const AHEAD: usize = 32;
        out.clear();
        let mask = (1u32 << self.bits) - 1;
        let Rows::Quantised(rows) = &self.rows else {
            let mut start = 0;
            for &end in ends {
                out.push(self.sums(&features[start..end]));
                start = end;
            }
            return;
        };
        let mut start = 0;
        for &end in ends {
            let mut acc = [0i32; 4];
            for j in start..end {
                if let Some(&ahead) = features.get(j + AHEAD) {
                    prefetch(&rows[(ahead & mask) as usize]);
                }
                let row = rows[(features[j] & mask) as usize];
                for (a, w) in acc.iter_mut().zip(row) {
                    *a += w as i32;
                }
            }
            let mut sums = [0f32; 4];
            for c in 0..4 {
                sums[c] = acc[c] as f32 * self.scales[c];
            }
            out.push(sums);
            start = end;
        }
    }

    /// The bias of column `c`.
    pub fn bias(&self, c: usize) -> f32 {
        self.bias[c]
    }
}

/// Hint the CPU to bring `row` into cache (no effect on results).
#[inline(always)]
fn prefetch<T>(row: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint; it never faults, even for a bad address,
    // and the pointer comes from a live reference.
    unsafe {
        std::arch::x86_64::_mm_prefetch(
            (row as *const T).cast::<i8>(),
            std::arch::x86_64::_MM_HINT_T0,
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = row;
}

fn softmax(xs: &mut [f32]) {
    let max = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for x in xs.iter_mut() {
        *x = (*x - max).exp();
        sum += *x;
    }
    for x in xs.iter_mut() {
        *x /= sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy(n: usize) -> Vec<Example> {
        // Feature 1 means class 0, feature 2 means class 1; feature 3 is noise.
        (0..n)
            .map(|i| Example {
                features: vec![(i % 2) as u32 + 1, 3],
                targets: vec![(i % 2) as u16],
            })
            .collect()
    }

    #[test]
    fn softmax_model_learns_a_separable_toy_problem() {
        let model = LinearModel::train(4, 2, Loss::Softmax, &toy(200), &TrainConfig::default());
        assert!(model.predict(&[1, 3])[0] > 0.9);
        assert!(model.predict(&[2, 3])[1] > 0.9);
    }

    #[test]
    fn sigmoid_model_learns_and_survives_quantised_round_trip() {
        let examples: Vec<Example> = toy(200)
            .into_iter()
            .map(|mut e| {
                // Positive only for class 1.
                e.targets.retain(|&t| t == 1);
                e.targets.iter_mut().for_each(|t| *t = 0);
                e
            })
            .collect();
        let model = LinearModel::train(4, 1, Loss::Sigmoid, &examples, &TrainConfig::default());
        assert!(model.predict(&[2, 3])[0] > 0.8);
        assert!(model.predict(&[1, 3])[0] < 0.2);
        let mut bytes = Vec::new();
        model.write_to(&mut bytes).unwrap();
        let back = LinearModel::read_from(&mut bytes.as_slice()).unwrap();
        let (a, b) = (model.predict(&[2, 3])[0], back.predict(&[2, 3])[0]);
        assert!((a - b).abs() < 0.02, "{a} vs {b}");
    }

    #[test]
    fn interleaved_columns_score_like_their_models() {
        let examples: Vec<Example> = (0..300)
            .map(|i| Example {
                features: vec![(i % 5) as u32, 7 + (i % 3) as u32, 40 + (i % 11) as u32],
                targets: if i % 3 == 0 { vec![0] } else { vec![1] },
            })
            .collect();
        let two = LinearModel::train(6, 2, Loss::Sigmoid, &examples, &TrainConfig::default());
        let one = LinearModel::train(6, 1, Loss::Sigmoid, &examples, &TrainConfig::default());
        let load = |m: &LinearModel| {
            let mut bytes = Vec::new();
            m.write_to(&mut bytes).unwrap();
            LinearModel::read_from(&mut bytes.as_slice()).unwrap()
        };
        for (a, b) in [(two.clone(), one.clone()), (load(&two), load(&one))] {
            let table = Interleaved::new(&[&a, &b]).expect("same hash size");
            let lists: [&[u32]; 3] = [&[1, 8, 45], &[0, 0, 9], &[]];
            let mut flat = Vec::new();
            let mut ends = Vec::new();
            for l in lists {
                flat.extend_from_slice(l);
                ends.push(flat.len());
            }
            let mut many = Vec::new();
            table.sums_many(&flat, &ends, &mut many);
            let mut out = Vec::new();
            for (l, batch) in lists.iter().zip(&many) {
                let single = table.sums(l);
                assert_eq!(&single, batch);
                a.logits_into(l, &mut out);
                for k in 0..2 {
                    assert!((table.bias(k) + single[k] - out[k]).abs() < 1e-4);
                }
                b.logits_into(l, &mut out);
                assert!((table.bias(2) + single[2] - out[0]).abs() < 1e-4);
                assert_eq!(single[3], 0.0);
            }
        }
        let other = LinearModel::train(5, 1, Loss::Sigmoid, &examples, &TrainConfig::default());
        assert!(Interleaved::new(&[&two, &other]).is_none());
    }

    #[test]
    fn training_is_reproducible_with_a_fixed_seed() {
        let a = LinearModel::train(4, 2, Loss::Softmax, &toy(50), &TrainConfig::default());
        let b = LinearModel::train(4, 2, Loss::Softmax, &toy(50), &TrainConfig::default());
        assert_eq!(a.predict(&[1, 2, 3]), b.predict(&[1, 2, 3]));
    }
}
