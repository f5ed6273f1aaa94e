//! Per-label logistic regression over dense vectors (sentence embeddings): the heads of
//! the opt-in embeddings mode. Small (labels × dimensions floats), trained in Rust with
//! a fixed seed, stored as JSON beside the sparse model.

use serde::{Deserialize, Serialize};

use super::linear::SplitMix;

/// One sigmoid output per label over a dense input vector.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DenseLogistic {
    pub dimensions: usize,
    pub outputs: usize,
    /// Row-major: output `k`'s weights are `weights[k * dimensions..(k + 1) * dimensions]`.
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
}

/// Training settings for [`DenseLogistic::train`].
#[derive(Debug, Clone, Copy)]
pub struct DenseConfig {
    pub epochs: usize,
    pub learning_rate: f32,
    /// L2 penalty per example step (weight decay).
    pub l2: f32,
    pub seed: u64,
}

impl Default for DenseConfig {
    fn default() -> Self {
        DenseConfig {
            epochs: 30,
            learning_rate: 0.05,
            l2: 1e-4,
            seed: 20_260_101,
        }
    }
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

impl DenseLogistic {
    /// Fit on `inputs` (each `dimensions` long) with multi-label `targets` (label
    /// indices per input): plain SGD on the log loss, examples shuffled each epoch,
    /// learning rate decaying as 1/√epoch.
    pub fn train(
        inputs: &[&[f32]],
        targets: &[&[u16]],
        dimensions: usize,
        outputs: usize,
        config: &DenseConfig,
    ) -> DenseLogistic {
        let mut model = DenseLogistic {
            dimensions,
            outputs,
            weights: vec![0.0; dimensions * outputs],
            bias: vec![0.0; outputs],
        };
        // Start each bias at the label's log-odds so rare labels need no long walk.
        for k in 0..outputs {
            let positives = targets.iter().filter(|t| t.contains(&(k as u16))).count();
            let p = (positives as f32 + 0.5) / (inputs.len() as f32 + 1.0);
            model.bias[k] = (p / (1.0 - p)).ln();
        }
        let mut order: Vec<usize> = (0..inputs.len()).collect();
        let mut rng = SplitMix::new(config.seed);
        let mut target = vec![0f32; outputs];
        for epoch in 0..config.epochs {
            rng.shuffle(&mut order);
            let rate = config.learning_rate / ((epoch + 1) as f32).sqrt();
            let decay = 1.0 - rate * config.l2;
            for &i in &order {
                let x = inputs[i];
                target.iter_mut().for_each(|t| *t = 0.0);
                for &t in targets[i] {
                    if (t as usize) < outputs {
                        target[t as usize] = 1.0;
                    }
                }
                let rows = model.weights.chunks_mut(dimensions);
                for ((row, bias), &t) in rows.zip(model.bias.iter_mut()).zip(&target) {
                    let z = *bias + row.iter().zip(x).map(|(w, v)| w * v).sum::<f32>();
                    let g = sigmoid(z) - t;
                    for (w, v) in row.iter_mut().zip(x) {
                        *w = *w * decay - rate * g * v;
                    }
                    *bias -= rate * g;
                }
            }
        }
        model
    }

    /// Probability per label for `x`.
    pub fn predict(&self, x: &[f32]) -> Vec<f32> {
        (0..self.outputs)
            .map(|k| {
                let row = &self.weights[k * self.dimensions..(k + 1) * self.dimensions];
                sigmoid(self.bias[k] + row.iter().zip(x).map(|(w, v)| w * v).sum::<f32>())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_direction_per_label() {
        // Label 0 is on where x[0] > 0, label 1 where x[1] > 0: independent labels.
        let mut rng = SplitMix::new(7);
        let mut inputs = Vec::new();
        let mut targets = Vec::new();
        for _ in 0..400 {
            let x: Vec<f32> = (0..4)
                .map(|_| (rng.below(2001) as f32 - 1000.0) / 1000.0)
                .collect();
            let mut t = Vec::new();
            if x[0] > 0.0 {
                t.push(0u16);
            }
            if x[1] > 0.0 {
                t.push(1u16);
            }
            inputs.push(x);
            targets.push(t);
        }
        let xs: Vec<&[f32]> = inputs.iter().map(|x| x.as_slice()).collect();
        let ts: Vec<&[u16]> = targets.iter().map(|t| t.as_slice()).collect();
        let model = DenseLogistic::train(&xs, &ts, 4, 2, &DenseConfig::default());
        let p = model.predict(&[0.8, -0.8, 0.0, 0.0]);
        assert!(p[0] > 0.9 && p[1] < 0.1, "{p:?}");
        let q = model.predict(&[-0.8, 0.8, 0.5, -0.5]);
        assert!(q[0] < 0.1 && q[1] > 0.9, "{q:?}");
    }
}
