//! The check-worthiness model: two hashed logistic regressions (see
//! [`crate::analyze::techniques::linear`]) trained on CheckThat! 2024 English.
//!
//! - `english`: the yes/no questions plus word unigrams and bigrams (numbers folded
//!   to one token), for English text;
//! - `questions`: the questions alone, for every other language (Russian): the
//!   questions are answered from language-neutral signals and per-language cue lists,
//!   so a model over them carries across languages where English n-grams cannot.
//!
//! Each has its decision threshold, chosen on the dev split by `sift train claims`.
//! Scores are the regression's probabilities: trained without class re-weighting, they
//! follow the training data's label rate (calibrated in that sense).

use std::io::{self, Read, Write};

use super::questions::{self, Answers, ALL};
use crate::analyze::techniques::features::{lower_hash, mix};
use crate::analyze::techniques::linear::{Example, LinearModel, Loss, TrainConfig};
use crate::document::{Document, Span, TokenKind};
use crate::report::ClaimFeature;

/// Hash bits of the feature space.
const BITS: u32 = 18;
/// File magic of `models/claims.bin`.
const MAGIC: &[u8; 4] = b"SCW1";
/// Seeds the hashes of question features, n-grams, and the folded number token.
const QUESTION_SEED: u64 = 0x5157;
const UNIGRAM_SEED: u64 = 0x5557;
const BIGRAM_SEED: u64 = 0x4257;
const NUMBER_TOKEN: u64 = 0x4E55;

/// Which of the two regressions scores a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Questions and English n-grams.
    English,
    /// Questions alone (other languages).
    Questions,
}

impl Variant {
    /// The variant for a document's language.
    pub fn for_document(doc: &Document) -> Variant {
        if doc.language.code == "en" {
            Variant::English
        } else {
            Variant::Questions
        }
    }
}

/// The trained check-worthiness model.
#[derive(Debug, Clone)]
pub struct ClaimsModel {
    english: LinearModel,
    questions: LinearModel,
    english_threshold: f32,
    questions_threshold: f32,
}

/// A scored sentence: probability, decision, and the questions that raised it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub score: f32,
    pub checkworthy: bool,
    pub reasons: Vec<ClaimFeature>,
}

/// The weight a model gives one feature (its logit less the bias).
fn weight_of(model: &LinearModel, feature: u32) -> f32 {
    let mut logit = Vec::with_capacity(1);
    model.logits_into(&[feature], &mut logit);
    logit[0] - model.bias()[0]
}

fn question_feature(feature: ClaimFeature) -> u32 {
    mix(QUESTION_SEED, questions::index(feature) as u64) as u32
}

/// The hashed features of `span` for `variant`.
pub fn features(doc: &Document, span: Span, answers: &Answers, variant: Variant) -> Vec<u32> {
    let mut out: Vec<u32> = answers.yes().map(question_feature).collect();
    if variant == Variant::Questions {
        return out;
    }
    let mut previous = mix(BIGRAM_SEED, 0);
    for token in doc.tokens_in(span) {
        let word = match token.kind {
            TokenKind::Word => lower_hash(doc.slice(token.span())),
            TokenKind::Number => NUMBER_TOKEN,
            _ => continue,
        };
        out.push(mix(UNIGRAM_SEED, word) as u32);
        out.push(mix(previous, word) as u32);
        previous = mix(BIGRAM_SEED, word);
    }
    out
}

impl ClaimsModel {
    fn regression(&self, variant: Variant) -> (&LinearModel, f32) {
        match variant {
            Variant::English => (&self.english, self.english_threshold),
            Variant::Questions => (&self.questions, self.questions_threshold),
        }
    }

    /// Score one sentence whose questions are answered.
    pub fn score(&self, doc: &Document, span: Span, answers: &Answers) -> Verdict {
        let variant = Variant::for_document(doc);
        let (model, threshold) = self.regression(variant);
        let score = model.predict(&features(doc, span, answers, variant))[0];
        let mut weighted: Vec<(f32, ClaimFeature)> = answers
            .yes()
            .map(|f| (weight_of(model, question_feature(f)), f))
            .filter(|(w, _)| *w > 0.0)
            .collect();
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
        Verdict {
            score,
            checkworthy: score >= threshold,
            reasons: weighted.into_iter().map(|(_, f)| f).collect(),
        }
    }

    /// The weight of each question in a variant, in [`ALL`] order (for the docs).
    pub fn question_weights(&self, variant: Variant) -> Vec<(ClaimFeature, f32)> {
        let (model, _) = self.regression(variant);
        ALL.iter()
            .map(|&f| (f, weight_of(model, question_feature(f))))
            .collect()
    }

    /// Fit both regressions on labelled English examples `(features for English,
    /// features for questions only, label)`; thresholds start at 0.5.
    pub fn train(examples: &[(Vec<u32>, Vec<u32>, bool)], config: &TrainConfig) -> ClaimsModel {
        let target = |yes: bool| if yes { vec![0] } else { vec![] };
        let english: Vec<Example> = examples
            .iter()
            .map(|(f, _, y)| Example {
                features: f.clone(),
                targets: target(*y),
            })
            .collect();
        let asked: Vec<Example> = examples
            .iter()
            .map(|(_, f, y)| Example {
                features: f.clone(),
                targets: target(*y),
            })
            .collect();
        ClaimsModel {
            english: LinearModel::train(BITS, 1, Loss::Sigmoid, &english, config),
            questions: LinearModel::train(BITS, 1, Loss::Sigmoid, &asked, config),
            english_threshold: 0.5,
            questions_threshold: 0.5,
        }
    }

    /// Set a variant's decision threshold.
    pub fn set_threshold(&mut self, variant: Variant, threshold: f32) {
        match variant {
            Variant::English => self.english_threshold = threshold,
            Variant::Questions => self.questions_threshold = threshold,
        }
    }

    /// A variant's probability for precomputed features.
    pub fn probability(&self, variant: Variant, features: &[u32]) -> f32 {
        self.regression(variant).0.predict(features)[0]
    }

    /// Serialise (weights quantised to `i8`).
    pub fn write_to<W: Write>(&self, out: &mut W) -> io::Result<()> {
        out.write_all(MAGIC)?;
        out.write_all(&self.english_threshold.to_le_bytes())?;
        out.write_all(&self.questions_threshold.to_le_bytes())?;
        self.english.write_to(out)?;
        self.questions.write_to(out)
    }

    /// Read a model written by [`ClaimsModel::write_to`].
    pub fn read_from<R: Read>(input: &mut R) -> io::Result<ClaimsModel> {
        let mut magic = [0u8; 4];
        input.read_exact(&mut magic)?;
        if &magic != MAGIC {
            return Err(io::Error::other("not a claims model (bad magic)"));
        }
        let mut four = [0u8; 4];
        input.read_exact(&mut four)?;
        let english_threshold = f32::from_le_bytes(four);
        input.read_exact(&mut four)?;
        let questions_threshold = f32::from_le_bytes(four);
        Ok(ClaimsModel {
            english: LinearModel::read_from(input)?,
            questions: LinearModel::read_from(input)?,
            english_threshold,
            questions_threshold,
        })
    }
}
