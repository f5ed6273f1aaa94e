//! Fusing the lexical and the semantic rankings (with a query vector).
//!
//! Both retrievers give a pool of candidates: the [`Fusion::pool`] best records by
//! BM25 (re-ranked by the lexical score) and the as many closest by cosine. Every
//! record of the union gets the same [`Pooled`] measurements (its exact BM25, Dice
//! overlap, lexical score, cosine, and its rank in either list), and a [`Fusion`]
//! turns them into one score in `[0, 1]`:
//!
//! - [`Fusion::Linear`]: `w × lexical + (1 − w) × rescaled cosine`;
//! - [`Fusion::Reciprocal`]: reciprocal-rank fusion, `1/(k + r_lex) + 1/(k + r_sem)`
//!   (ranks from 1; a list the record is not in adds nothing), divided by its
//!   maximum `2/(k + 1)`;
//! - [`Fusion::Learned`]: a logistic regression over named features ([`Reranker`]),
//!   trained by `sift train claim-matching` on the CheckThat! 2020 train queries and
//!   shipped in `models/reranker.json`.

use serde::{Deserialize, Serialize};

/// One record of a query's candidate pool, with what both retrievers say about it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pooled {
    pub rowid: i64,
    /// BM25 of the record for the query's stems.
    pub bm25: f64,
    /// IDF-weighted Dice overlap of the query's stems and the record's.
    pub dice: f64,
    /// The lexical score (normalised BM25 damped by Dice, blended with Dice).
    pub lexical: f64,
    /// Rank (from 0) among the lexical candidates, by lexical score; `None` outside.
    pub lexical_rank: Option<usize>,
    /// Cosine of the query's and the record's embeddings.
    pub cosine: f64,
    /// Rank (from 0) among the semantic candidates, by cosine; `None` outside.
    pub semantic_rank: Option<usize>,
    /// The query and the record are written in different alphabets (a Russian claim,
    /// an English fact-check): their lexical measures mean nothing.
    pub cross_script: bool,
}

/// A pooled candidate's score, and the lowest score at which the model that gave it
/// lists a match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub rowid: i64,
    pub score: f64,
    pub floor: f64,
}

/// A query's candidate pool.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pool {
    /// The best BM25 in the store for the query (0 when no stem is known).
    pub top_bm25: f64,
    /// The best cosine in the store for the query.
    pub top_cosine: f64,
    /// Informative stems in the query.
    pub stems: usize,
    pub candidates: Vec<Pooled>,
}

/// How pooled candidates are scored.
#[derive(Debug, Clone, PartialEq)]
pub enum Fusion {
    /// `lexical_weight × lexical + (1 − lexical_weight) × semantic_score(cosine)`.
    Linear { lexical_weight: f64, pool: usize },
    /// Reciprocal-rank fusion with constant `k`, rescaled to `[0, 1]`.
    Reciprocal { k: f64, pool: usize },
    /// A trained logistic regression.
    Learned(Reranker),
}

/// The re-ranker shipped in this crate (`sift train claim-matching` writes it).
static SHIPPED: &str = include_str!("../models/reranker.json");
/// The semantic-only re-ranker for pairs in two alphabets (`sift train claim-matching
/// --features cosine,cosine_gap,semantic_rr --out …`).
static CROSS_SCRIPT: &str = include_str!("../models/reranker-crosslingual.json");

impl Fusion {
    /// The fusion used when there is a query vector: the shipped re-ranker.
    pub fn shipped() -> Fusion {
        Fusion::Learned(Reranker::shipped())
    }

    /// Candidates taken from each retriever.
    pub fn pool(&self) -> usize {
        match self {
            Fusion::Linear { pool, .. } | Fusion::Reciprocal { pool, .. } => *pool,
            Fusion::Learned(r) => r.pool,
        }
    }

    /// The lowest score worth listing as a match (`claims[].matches`).
    pub fn min_score(&self) -> f64 {
        match self {
            Fusion::Linear { .. } => LINEAR_MIN_SCORE,
            Fusion::Reciprocal { .. } => RECIPROCAL_MIN_SCORE,
            Fusion::Learned(r) => r.min_score,
        }
    }

    /// `(rowid, score)` of every pooled candidate (unsorted).
    pub fn score(&self, pool: &Pool) -> Vec<(i64, f64)> {
        self.scored(pool)
            .into_iter()
            .map(|s| (s.rowid, s.score))
            .collect()
    }

    /// Every pooled candidate's score and listing floor (unsorted). A learned fusion
    /// scores a pair written in two alphabets with [`Reranker::cross_script`], whose
    /// features are all semantic, and that model's floor.
    pub fn scored(&self, pool: &Pool) -> Vec<Scored> {
        pool.candidates
            .iter()
            .map(|c| {
                let (score, floor) = match self {
                    Fusion::Learned(shipped) => {
                        let r = if c.cross_script {
                            Reranker::cross_script()
                        } else {
                            shipped
                        };
                        (r.probability(pool, c), r.min_score)
                    }
                    Fusion::Linear { lexical_weight, .. } => (
                        lexical_weight * c.lexical
                            + (1.0 - lexical_weight) * crate::vectors::semantic_score(c.cosine),
                        LINEAR_MIN_SCORE,
                    ),
                    Fusion::Reciprocal { k, .. } => {
                        let part =
                            |rank: Option<usize>| rank.map_or(0.0, |r| 1.0 / (k + r as f64 + 1.0));
                        (
                            (part(c.lexical_rank) + part(c.semantic_rank)) * (k + 1.0) / 2.0,
                            RECIPROCAL_MIN_SCORE,
                        )
                    }
                };
                Scored {
                    rowid: c.rowid,
                    score,
                    floor,
                }
            })
            .collect()
    }
}

/// The listing floor of linear fusion (its score before the re-ranker).
pub const LINEAR_MIN_SCORE: f64 = 0.5;
/// The listing floor of reciprocal-rank fusion: first in one list and outside the other.
pub const RECIPROCAL_MIN_SCORE: f64 = 0.5;

/// Names of the features a [`Reranker`] may use, each computed by [`feature`].
pub const FEATURES: &[&str] = &[
    "bm25_rel",
    "dice",
    "lexical",
    "lexical_rr",
    "in_lexical",
    "cosine",
    "cosine_gap",
    "semantic",
    "semantic_rr",
    "in_semantic",
    "stems",
    "cosine_x_dice",
];

/// The value of a named feature for a pooled candidate (`None`: unknown name).
pub fn feature(name: &str, pool: &Pool, c: &Pooled) -> Option<f64> {
    let rr = |rank: Option<usize>| rank.map_or(0.0, |r| 1.0 / (r as f64 + 1.0));
    Some(match name {
        "bm25_rel" => c.bm25 / pool.top_bm25.max(1e-9),
        "dice" => c.dice,
        "lexical" => c.lexical,
        "lexical_rr" => rr(c.lexical_rank),
        "in_lexical" => f64::from(u8::from(c.lexical_rank.is_some())),
        "cosine" => c.cosine,
        "cosine_gap" => pool.top_cosine - c.cosine,
        "semantic" => crate::vectors::semantic_score(c.cosine),
        "semantic_rr" => rr(c.semantic_rank),
        "in_semantic" => f64::from(u8::from(c.semantic_rank.is_some())),
        "stems" => (1.0 + pool.stems as f64).ln(),
        "cosine_x_dice" => c.cosine * c.dice,
        _ => return None,
    })
}

/// A logistic regression over named features of a pooled candidate: the probability
/// that the record is a fact-check of the query's claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reranker {
    /// Feature names, from [`FEATURES`].
    pub features: Vec<String>,
    /// One weight per feature (on the raw feature values).
    pub weights: Vec<f64>,
    pub bias: f64,
    /// Candidates taken from each retriever.
    pub pool: usize,
    /// The lowest probability listed as a match.
    pub min_score: f64,
    /// How it was made (command, data, seed, cross-validated figures).
    #[serde(default)]
    pub provenance: String,
}

impl Reranker {
    /// The re-ranker committed in `models/reranker.json`.
    pub fn shipped() -> Reranker {
        serde_json::from_str(SHIPPED).expect("models/reranker.json is a valid re-ranker")
    }

    /// The re-ranker for a query and a record in two alphabets, committed in
    /// `models/reranker-crosslingual.json`: cosine features only, trained like the
    /// shipped one on the English CheckThat! queries, with its own listing floor.
    pub fn cross_script() -> &'static Reranker {
        static MODEL: std::sync::OnceLock<Reranker> = std::sync::OnceLock::new();
        MODEL.get_or_init(|| {
            serde_json::from_str(CROSS_SCRIPT)
                .expect("models/reranker-crosslingual.json is a valid re-ranker")
        })
    }

    /// Read and check a re-ranker file.
    pub fn from_json(text: &str) -> Result<Reranker, String> {
        let r: Reranker = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if r.features.len() != r.weights.len() {
            return Err("one weight per feature is needed".into());
        }
        if let Some(f) = r.features.iter().find(|f| !FEATURES.contains(&f.as_str())) {
            return Err(format!("unknown feature `{f}`"));
        }
        Ok(r)
    }

    /// The feature values of a candidate, in [`Reranker::features`] order.
    pub fn values(&self, pool: &Pool, c: &Pooled) -> Vec<f64> {
        values(&self.features, pool, c)
    }

    /// The probability of a candidate.
    pub fn probability(&self, pool: &Pool, c: &Pooled) -> f64 {
        let z: f64 = self.bias
            + self
                .features
                .iter()
                .zip(&self.weights)
                .map(|(f, w)| w * feature(f, pool, c).unwrap_or(0.0))
                .sum::<f64>();
        sigmoid(z)
    }
}

/// The values of named features of a candidate (unknown names give 0).
pub fn values(names: &[String], pool: &Pool, c: &Pooled) -> Vec<f64> {
    names
        .iter()
        .map(|f| feature(f, pool, c).unwrap_or(0.0))
        .collect()
}

/// The logistic function.
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Fit a logistic regression (bias unpenalised, L2 `l2` on standardised features) by
/// Newton's method: deterministic, no learning rate. Returns `(weights, bias)` on the
/// raw feature scale.
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
pub fn fit_logistic(x: &[Vec<f64>], y: &[bool], l2: f64) -> (Vec<f64>, f64) {
    let n = x.len();
    let d = x.first().map_or(0, Vec::len);
    if n == 0 {
        return (vec![0.0; d], 0.0);
    }
    let mut mean = vec![0.0; d];
    for row in x {
        for (m, v) in mean.iter_mut().zip(row) {
            *m += v / n as f64;
        }
    }
    let mut scale = vec![0.0; d];
    for row in x {
        for ((s, v), m) in scale.iter_mut().zip(row).zip(&mean) {
            *s += (v - m) * (v - m) / n as f64;
        }
    }
    let scale: Vec<f64> = scale.iter().map(|s| s.sqrt().max(1e-9)).collect();
    let z: Vec<Vec<f64>> = x
        .iter()
        .map(|row| {
            let mut r: Vec<f64> = row
                .iter()
                .zip(&mean)
                .zip(&scale)
                .map(|((v, m), s)| (v - m) / s)
                .collect();
            r.push(1.0);
            r
        })
        .collect();
    let p = d + 1;
    let mut beta = vec![0.0; p];
    for _ in 0..50 {
        let mut gradient = vec![0.0; p];
        let mut hessian = vec![vec![0.0; p]; p];
        for (row, &label) in z.iter().zip(y) {
            let mu = sigmoid(row.iter().zip(&beta).map(|(a, b)| a * b).sum());
            let residual = mu - f64::from(u8::from(label));
            let w = (mu * (1.0 - mu)).max(1e-12);
            for i in 0..p {
                gradient[i] += residual * row[i];
                for j in 0..=i {
                    hessian[i][j] += w * row[i] * row[j];
                }
            }
        }
        for i in 0..p {
            for j in 0..i {
                hessian[j][i] = hessian[i][j];
            }
            if i < d {
                gradient[i] += l2 * beta[i];
                hessian[i][i] += l2;
            }
        }
        let step = solve(hessian, gradient);
        let mut largest: f64 = 0.0;
        for (b, s) in beta.iter_mut().zip(&step) {
            *b -= s;
            largest = largest.max(s.abs());
        }
        if largest < 1e-9 {
            break;
        }
    }
    let weights: Vec<f64> = (0..d).map(|i| beta[i] / scale[i]).collect();
    let bias = beta[d] - (0..d).map(|i| beta[i] * mean[i] / scale[i]).sum::<f64>();
    (weights, bias)
}

/// Solve `a x = b` (Gaussian elimination with partial pivoting; `a` symmetric
/// positive definite here).
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        b.swap(col, pivot);
        let diagonal = if a[col][col].abs() < 1e-12 {
            1e-12
        } else {
            a[col][col]
        };
        for row in col + 1..n {
            let factor = a[row][col] / diagonal;
            if factor != 0.0 {
                for k in col..n {
                    a[row][k] -= factor * a[col][k];
                }
                b[row] -= factor * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let rest: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        let diagonal = if a[row][row].abs() < 1e-12 {
            1e-12
        } else {
            a[row][row]
        };
        x[row] = (b[row] - rest) / diagonal;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_reranker_reads_and_names_known_features() {
        let text = include_str!("../models/reranker.json");
        let r = Reranker::from_json(text).unwrap();
        assert_eq!(r, Reranker::shipped());
        assert!(r.pool > 0 && (0.0..1.0).contains(&r.min_score));
    }

    #[test]
    fn logistic_regression_separates_a_separable_feature() {
        let x: Vec<Vec<f64>> = (0..40).map(|i| vec![f64::from(i) / 10.0, 1.0]).collect();
        let y: Vec<bool> = (0..40).map(|i| i >= 20).collect();
        let (w, b) = fit_logistic(&x, &y, 1.0);
        assert!(w[0] > 0.0);
        assert!(sigmoid(w[0] * 3.5 + w[1] + b) > 0.9);
        assert!(sigmoid(w[0] * 0.5 + w[1] + b) < 0.1);
    }

    #[test]
    fn reciprocal_rank_fusion_puts_a_double_first_at_one() {
        let pool = Pool {
            candidates: vec![
                Pooled {
                    rowid: 1,
                    lexical_rank: Some(0),
                    semantic_rank: Some(0),
                    ..Pooled::default()
                },
                Pooled {
                    rowid: 2,
                    lexical_rank: Some(1),
                    ..Pooled::default()
                },
            ],
            ..Pool::default()
        };
        let scores = Fusion::Reciprocal { k: 60.0, pool: 10 }.score(&pool);
        assert!((scores[0].1 - 1.0).abs() < 1e-12);
        assert!(scores[1].1 < 0.5);
    }

    fn candidate(rowid: i64, lexical: f64, cosine: f64) -> Pooled {
        Pooled {
            rowid,
            lexical,
            cosine,
            ..Pooled::default()
        }
    }

    #[test]
    fn linear_fusion_blends_the_lexical_score_and_the_rescaled_cosine() {
        let pool = Pool {
            candidates: vec![candidate(1, 1.0, 0.75), candidate(2, 0.0, 1.0)],
            ..Pool::default()
        };
        let scores = Fusion::Linear {
            lexical_weight: 0.4,
            pool: 10,
        }
        .score(&pool);
        // A cosine at the floor adds nothing; a cosine of 1 adds the whole semantic part.
        assert!((scores[0].1 - 0.4).abs() < 1e-12, "{scores:?}");
        assert!((scores[1].1 - 0.6).abs() < 1e-12, "{scores:?}");
        let lexical_only = Fusion::Linear {
            lexical_weight: 1.0,
            pool: 10,
        }
        .score(&pool);
        assert!(lexical_only[0].1 > lexical_only[1].1);
    }

    #[test]
    fn the_learned_reranker_is_a_logistic_of_its_weighted_features() {
        let r = Reranker {
            features: vec!["lexical".into(), "cosine_gap".into(), "in_semantic".into()],
            weights: vec![2.0, -10.0, 1.0],
            bias: -1.0,
            pool: 10,
            min_score: 0.5,
            provenance: String::new(),
        };
        let pool = Pool {
            top_cosine: 0.9,
            candidates: vec![
                Pooled {
                    semantic_rank: Some(0),
                    ..candidate(1, 0.5, 0.9)
                },
                candidate(2, 0.8, 0.8),
            ],
            ..Pool::default()
        };
        let scores = Fusion::Learned(r.clone()).score(&pool);
        // 2 × 0.5 − 10 × 0 + 1 − 1 = 1; 2 × 0.8 − 10 × 0.1 + 0 − 1 = −0.4.
        assert!((scores[0].1 - sigmoid(1.0)).abs() < 1e-12, "{scores:?}");
        assert!((scores[1].1 - sigmoid(-0.4)).abs() < 1e-12, "{scores:?}");
        assert_eq!(r.values(&pool, &pool.candidates[0]), vec![0.5, 0.0, 1.0]);
    }

    #[test]
    fn every_listed_feature_is_computed_and_bad_rerankers_are_refused() {
        let pool = Pool::default();
        let c = Pooled::default();
        for name in FEATURES {
            assert!(feature(name, &pool, &c).is_some(), "{name}");
        }
        assert!(feature("nonsense", &pool, &c).is_none());
        let unknown =
            r#"{"features":["nonsense"],"weights":[1.0],"bias":0.0,"pool":5,"min_score":0.5}"#;
        assert!(Reranker::from_json(unknown).is_err());
        let uneven =
            r#"{"features":["dice"],"weights":[1.0,2.0],"bias":0.0,"pool":5,"min_score":0.5}"#;
        assert!(Reranker::from_json(uneven).is_err());
    }

    /// EUvsDisinfo against Russian articles: «был привит от полиомиелита 29 октября» was
    /// listed as a match of "29 people have died in Norway after receiving the Pfizer
    /// vaccine" on the shared number alone. A pair in two alphabets is scored on its
    /// cosine by the cross-script re-ranker, whatever its lexical overlap.
    #[test]
    fn a_pair_in_two_alphabets_is_scored_without_its_lexical_overlap() {
        let number_only = Pooled {
            rowid: 1,
            bm25: 5.0,
            dice: 1.0,
            lexical: 1.0,
            lexical_rank: Some(0),
            cosine: 0.80,
            semantic_rank: Some(0),
            cross_script: false,
        };
        let pool = |c: Pooled| Pool {
            top_bm25: 5.0,
            top_cosine: 0.80,
            stems: 1,
            candidates: vec![c],
        };
        let shipped = Fusion::shipped();
        let same = shipped.scored(&pool(number_only.clone()))[0];
        assert_eq!(same.floor, Reranker::shipped().min_score);
        let cross = shipped.scored(&pool(Pooled {
            cross_script: true,
            ..number_only
        }))[0];
        let model = Reranker::cross_script();
        assert_eq!(cross.floor, model.min_score);
        assert_eq!(model.features, ["cosine", "cosine_gap", "semantic_rr"]);
        assert!(cross.score < cross.floor, "{cross:?}");
        assert!(same.score > cross.score, "{same:?} {cross:?}");
    }
}
