//! Claims: which sentences state something a fact-checker should check.
//!
//! Every sentence of three words or more becomes a [`Claim`]. Its yes/no questions
//! ([`questions`], after Full Fact's PASTEL: a number? a comparison? a cause? a
//! prediction? someone's statement? an opinion? the first person?) are answered from
//! the layers that ran before and from cue lists; a logistic regression over the
//! answers (and, for English, word unigrams and bigrams) gives the check-worthiness
//! probability ([`model`], trained by `sift train claims` on CheckThat! 2024 English).
//! A claim lists the questions answered "yes" whose weight raised its score: the
//! explanation a reader sees. The kind (statistic, comparison, causal, …) follows from
//! the same answers by a fixed priority, the most specific first.
//!
//! Matching claims against fact-checks is not done here: it needs a store on disk,
//! so the `sift-factcheck` crate adds it as a separate layer (`--factchecks DIR`).

pub mod model;
pub mod questions;

use std::sync::OnceLock;

use crate::document::{Document, Span, TokenKind};
use crate::pipeline::Layer;
use crate::report::{Claim, ClaimFeature, ClaimKind, Report};
use model::ClaimsModel;
use questions::Answers;

/// Sentences with fewer words are not claims (datelines, headings, "Thank you.").
const MIN_WORDS: usize = 3;

static SHIPPED: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/models/claims.bin"));

/// The committed model, loaded once; the error says why it could not be.
pub fn shipped_model() -> Result<&'static ClaimsModel, &'static str> {
    static MODEL: OnceLock<Result<ClaimsModel, String>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            ClaimsModel::read_from(&mut &SHIPPED[..])
                .map_err(|e| format!("claims: the check-worthiness model failed to load ({e})"))
        })
        .as_ref()
        .map_err(String::as_str)
}

/// What a claim asserts, from its answers: the most specific kind first.
pub fn kind_of(answers: &Answers) -> ClaimKind {
    let order = [
        (ClaimFeature::Number, ClaimKind::Statistic),
        (ClaimFeature::Comparison, ClaimKind::Comparison),
        (ClaimFeature::Causal, ClaimKind::Causal),
        (ClaimFeature::Prediction, ClaimKind::Prediction),
        (ClaimFeature::Capability, ClaimKind::Capability),
        (ClaimFeature::Policy, ClaimKind::Legal),
        (ClaimFeature::DirectQuote, ClaimKind::Quote),
        (ClaimFeature::Opinion, ClaimKind::Opinion),
    ];
    order
        .iter()
        .find(|(f, _)| answers.has(*f))
        .map_or(ClaimKind::Event, |&(_, kind)| kind)
}

fn word_count(doc: &Document, span: Span) -> usize {
    doc.tokens_in(span)
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .count()
}

/// The claims of a document: one per sentence of [`MIN_WORDS`] words or more.
pub fn analyze(model: &ClaimsModel, doc: &Document, report: &Report) -> Vec<Claim> {
    let index = questions::SentenceIndex::new(doc, report);
    doc.sentences
        .iter()
        .enumerate()
        .filter(|&(_, &span)| word_count(doc, span) >= MIN_WORDS)
        .map(|(k, &span)| {
            let answers = questions::answer_sentence(doc, report, &index, k);
            let verdict = model.score(doc, span, &answers);
            Claim {
                start: span.start,
                end: span.end,
                text: doc.slice(span).to_string(),
                checkworthy: verdict.checkworthy,
                score: f64::from(verdict.score),
                kind: kind_of(&answers),
                attributed: answers.has(ClaimFeature::Attributed),
                speaker: answers.speaker.clone(),
                quantities: answers.quantities.clone(),
                attributions: answers.attributions.clone(),
                entities: answers.entities.clone(),
                features: verdict.reasons,
                matches: Vec::new(),
            }
        })
        .collect()
}

/// The `claims` layer: fills `report.claims` with the shipped model, or with another
/// one (`sift eval checkworthy --model FILE`, the trainer's own report).
#[derive(Default)]
pub struct ClaimsLayer {
    model: Option<Box<ClaimsModel>>,
}

impl ClaimsLayer {
    /// The layer with the committed model.
    pub fn shipped() -> ClaimsLayer {
        ClaimsLayer::default()
    }

    /// The layer with another model.
    pub fn with_model(model: ClaimsModel) -> ClaimsLayer {
        ClaimsLayer {
            model: Some(Box::new(model)),
        }
    }
}

impl Layer for ClaimsLayer {
    fn name(&self) -> &'static str {
        "claims"
    }
    /// Techniques are read when they ran (the `persuasion` question) but not
    /// required, so `--without techniques` keeps claims.
    fn requires(&self) -> &'static [&'static str] {
        &["entities", "quantities", "attribution"]
    }
    fn run(&self, doc: &Document, report: &mut Report) {
        let model = match &self.model {
            Some(model) => Ok(&**model),
            None => shipped_model(),
        };
        match model {
            Ok(model) => report.claims = analyze(model, doc, report),
            Err(why) => report.warnings.push(why.to_string()),
        }
    }
    fn warm(&self) {
        if self.model.is_none() {
            let _ = shipped_model();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Pipeline;

    fn claims(text: &str) -> Vec<Claim> {
        Pipeline::default()
            .analyze(&Document::from_text(text))
            .claims
    }

    #[test]
    fn the_shipped_model_loads() {
        assert!(shipped_model().is_ok(), "{:?}", shipped_model().err());
    }

    #[test]
    fn a_statistic_is_checkworthy_and_a_greeting_is_not() {
        let found = claims(
            "Thank you all for coming. Unemployment fell to 3.5 percent last year, \
             the lowest rate in fifty years.",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(!found[0].checkworthy, "{:?}", found[0]);
        assert!(found[1].checkworthy, "{:?}", found[1]);
        assert_eq!(found[1].kind, ClaimKind::Statistic);
        assert!(found[1].features.contains(&ClaimFeature::Number));
        assert!(found[1].score > found[0].score);
    }

    #[test]
    fn a_claim_links_the_quantities_inside_it() {
        let text = "It's late. The rocket flew 14,000 kilometers in 15 hours.";
        let report = Pipeline::default().analyze(&Document::from_text(text));
        let claim = report.claims.last().unwrap();
        assert_eq!(claim.quantities.len(), 2, "{claim:?}");
        for &q in &claim.quantities {
            assert!(report.quantities[q].start >= claim.start);
        }
    }
}
