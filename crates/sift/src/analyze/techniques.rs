//! Persuasion and propaganda techniques as labelled spans.
//!
//! Three hashed linear models (see [`linear`]) over hand-built features (see [`features`]):
//! a token tagger that finds persuasive spans, a span classifier that names the technique,
//! and a paragraph labeller (SemEval-2023 subtask 3). The shipped model uses the 23
//! SemEval-2023 techniques; [`to_ptc`] maps them onto the 14 of SemEval-2020 Task 11.
//!
//! Modules: [`model`] (parts, header, file format), [`tagging`] (candidate spans),
//! [`reported`] (what the report lists), [`labels`] (label sets and their mapping),
//! [`cues`] (hand-written cue lexicons), [`features`], [`linear`], [`dense`]. The
//! shared items are used through their modules
//! (`techniques::model::ParagraphRule`).

pub mod cues;
pub mod dense;
#[cfg(feature = "embeddings")]
pub mod e5;
#[cfg(feature = "embeddings")]
pub mod embed;
pub mod features;
mod hashing;
pub mod labels;
pub mod linear;
pub mod model;
pub mod paragraphs;
pub mod reported;
pub mod tagging;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::document::Document;
use crate::report::{ParagraphTechnique, Report, Technique, TechniqueSummary};
use features::DocContext;

use labels::technique_name;
pub use labels::to_ptc;
pub use model::TechniqueModel;

static SHIPPED: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/techniques.bin"
));

/// The model committed under `models/techniques.bin` (trained by `sift train techniques`).
pub fn shipped_model() -> Option<&'static TechniqueModel> {
    shipped_model_loaded().ok()
}

/// The committed model, or why it failed to load.
pub fn shipped_model_loaded() -> Result<&'static TechniqueModel, &'static str> {
    static MODEL: OnceLock<Result<TechniqueModel, String>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let model = TechniqueModel::read_from(SHIPPED).map_err(|e| {
                format!(
                    "techniques: models/techniques.bin failed to load ({e}); no technique spans"
                )
            });
            crate::embedded::release_pages(SHIPPED);
            model
        })
        .as_ref()
        .map_err(String::as_str)
}

/// Output of [`analyze`].
pub struct TechniquesOutput {
    /// The spans the report lists.
    pub techniques: Vec<Technique>,
    /// Counts and density of `techniques`.
    pub summary: Option<TechniqueSummary>,
    /// Techniques asserted per paragraph of the document (`doc.paragraphs` order).
    pub paragraphs: Vec<Vec<ParagraphTechnique>>,
}

/// Label the persuasive spans of `doc` with the shipped model.
pub fn analyze(doc: &Document, _report: &Report) -> TechniquesOutput {
    match shipped_model() {
        Some(model) => detect(model, doc),
        None => TechniquesOutput {
            techniques: Vec::new(),
            summary: None,
            paragraphs: Vec::new(),
        },
    }
}

/// The techniques layer with the committed model.
pub struct TechniquesLayer;

impl crate::pipeline::Layer for TechniquesLayer {
    fn name(&self) -> &'static str {
        "techniques"
    }
    fn run(&self, doc: &Document, report: &mut Report) {
        match shipped_model_loaded() {
            Ok(model) => fill_report(detect(model, doc), report),
            Err(why) => report.warnings.push(why.to_string()),
        }
    }
    fn warm(&self) {
        let _ = shipped_model_loaded();
    }
}

/// The techniques layer with a model of the caller's (cross-validation scores the
/// report a fold's model gives, through the same pipeline as `sift analyze`).
pub struct TrainedTechniquesLayer {
    /// The model in place of the committed one.
    pub model: TechniqueModel,
}

impl crate::pipeline::Layer for TrainedTechniquesLayer {
    fn name(&self) -> &'static str {
        "techniques"
    }
    fn run(&self, doc: &Document, report: &mut Report) {
        fill_report(detect(&self.model, doc), report);
    }
}

/// The techniques layer's report fields.
pub fn fill_report(out: TechniquesOutput, report: &mut Report) {
    report.techniques = out.techniques;
    report.technique_summary = out.summary;
    report.paragraph_techniques = out.paragraphs;
}

/// Label the persuasive spans of `doc` with `model`.
pub fn detect(model: &TechniqueModel, doc: &Document) -> TechniquesOutput {
    detect_with(model, doc, None)
}

/// [`detect`] in the embeddings mode: `sentence_probs` (the sentence head's
/// probability per `doc.sentences`, see [`TechniqueModel::sentence_probabilities`])
/// gate the spans; `None` gives exactly [`detect`]'s output.
pub fn detect_with(
    model: &TechniqueModel,
    doc: &Document,
    sentence_probs: Option<&[f32]>,
) -> TechniquesOutput {
    let ctx = DocContext::new(doc);
    let guesses = model.find_spans(&ctx);
    let mut techniques = Vec::new();
    for (guess, best, confidence) in model.report(&ctx, guesses.clone()) {
        if let Some(probs) = sentence_probs {
            if !model.passes_gate(doc, probs, guess.lo) {
                continue;
            }
        }
        // A PTC-labelled model's merged classes have no report name.
        let Some(technique) = technique_name(&model.header.labels[best]) else {
            continue;
        };
        let start = doc.tokens[guess.lo].start;
        let end = doc.tokens[guess.hi - 1].end;
        techniques.push(Technique {
            start,
            end,
            technique,
            confidence: round3(confidence as f64),
        });
    }
    let summary = summarise(&techniques, doc.word_count());
    TechniquesOutput {
        techniques,
        summary: Some(summary),
        paragraphs: paragraph_techniques(model, &ctx, &guesses),
    }
}

/// Counts per technique and density per 1,000 words.
fn summarise(techniques: &[Technique], words: usize) -> TechniqueSummary {
    let mut counts = BTreeMap::new();
    for t in techniques {
        *counts.entry(t.technique.as_str().to_string()).or_insert(0) += 1;
    }
    let per_1000_words = if words == 0 {
        0.0
    } else {
        round3(techniques.len() as f64 * 1000.0 / words as f64)
    };
    TechniqueSummary {
        counts,
        words,
        per_1000_words,
    }
}

/// The techniques asserted per paragraph of the document (see [`paragraphs`]).
fn paragraph_techniques(
    model: &TechniqueModel,
    ctx: &DocContext,
    guesses: &[model::SpanGuess],
) -> Vec<Vec<ParagraphTechnique>> {
    let language = if ctx.russian { "ru" } else { "en" };
    let rule = model.paragraph_rule(language);
    model
        .paragraph_evidence(ctx, guesses, &ctx.doc.paragraphs, &[])
        .iter()
        .map(|evidence| {
            model
                .paragraph_labels(rule, evidence)
                .into_iter()
                .filter_map(|(k, confidence)| {
                    Some(ParagraphTechnique {
                        technique: technique_name(&model.header.labels[k])?,
                        confidence: round3(confidence as f64),
                    })
                })
                .collect()
        })
        .collect()
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Index and value of the largest probability.
pub fn argmax(probs: &[f32]) -> (usize, f32) {
    probs.iter().copied().enumerate().fold(
        (0, f32::MIN),
        |acc, (i, p)| if p > acc.1 { (i, p) } else { acc },
    )
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::labels::SEMEVAL23_TECHNIQUES;
    use super::*;
    use crate::document::Span;
    use crate::report::TechniqueName;

    fn run(text: &str) -> (Document, TechniquesOutput) {
        let doc = Document::from_text(text);
        let layer = analyze(&doc, &Report::default());
        (doc, layer)
    }

    #[test]
    fn shipped_model_loads_with_the_semeval23_labels() {
        let model = shipped_model().expect("models/techniques.bin loads");
        assert_eq!(model.header.labels, SEMEVAL23_TECHNIQUES);
        assert!(model.header.span_threshold > 0.0 && model.header.span_threshold < 1.0);
    }

    #[test]
    fn loaded_english_invective_is_flagged() {
        let (doc, layer) = run(
            "These corrupt, treasonous thugs are destroying our great nation with their \
             disgusting lies. Shameful! The radical left wants to burn America down.",
        );
        assert!(!layer.techniques.is_empty());
        let names: Vec<&str> = layer
            .techniques
            .iter()
            .map(|t| t.technique.as_str())
            .collect();
        assert!(
            names
                .iter()
                .any(|n| matches!(*n, "Loaded_Language" | "Name_Calling-Labeling")),
            "{names:?}"
        );
        for t in &layer.techniques {
            assert!(t.start < t.end && t.end <= doc.len_chars());
            assert!((0.0..=1.0).contains(&t.confidence));
        }
    }

    #[test]
    fn loaded_russian_invective_is_flagged() {
        let (_, layer) = run(
            "Этот преступный марионеточный режим уничтожает нашу великую страну! \
             Позор лжецам и предателям, которые продались Западу.",
        );
        assert!(!layer.techniques.is_empty());
    }

    #[test]
    fn a_dry_factual_report_gets_few_highlights() {
        let text = "The city council met on Tuesday. It approved a budget of 3.2 million dollars \
                    for road repairs in the northern district. The vote was seven to two. \
                    Work is scheduled to begin in March and to last about six months.";
        let (_, layer) = run(text);
        let summary = layer.summary.unwrap();
        // The third-round model marked "budget" and "dollars" here (confidence < 0.5);
        // the fourth round's floor after joining (0.15) and 3-pass taggers leave nothing.
        assert!(layer.techniques.is_empty(), "{:?}", layer.techniques);
        assert_eq!(summary.words, 39);
    }

    #[test]
    fn summary_counts_and_density_match_the_spans() {
        let (doc, layer) = run("Our glorious heroes crushed the evil, cowardly invaders! Victory!");
        let summary = layer.summary.unwrap();
        assert_eq!(
            summary.counts.values().sum::<usize>(),
            layer.techniques.len()
        );
        let expected = layer.techniques.len() as f64 * 1000.0 / doc.word_count() as f64;
        assert!((summary.per_1000_words - expected).abs() < 0.001);
    }

    #[test]
    fn sentence_gate_drops_only_the_spans_of_gated_sentences() {
        let mut model = shipped_model().unwrap().clone();
        model.header.sentence_gate = 0.5;
        let doc = Document::from_text(
            "These corrupt traitors are destroying our glorious nation! \
             What a disgraceful, shameful betrayal of the people!",
        );
        assert_eq!(doc.sentences.len(), 2);
        let spans = |layer: TechniquesOutput| -> Vec<(usize, usize)> {
            layer.techniques.iter().map(|t| (t.start, t.end)).collect()
        };
        let plain = spans(detect(&model, &doc));
        let first_end = doc.sentences[0].end;
        assert!(plain.iter().any(|s| s.1 <= first_end), "{plain:?}");
        assert!(plain.iter().any(|s| s.0 >= first_end), "{plain:?}");
        assert_eq!(spans(detect_with(&model, &doc, Some(&[0.9, 0.5]))), plain);
        let gated = spans(detect_with(&model, &doc, Some(&[0.2, 0.9])));
        let second: Vec<(usize, usize)> =
            plain.iter().copied().filter(|s| s.0 >= first_end).collect();
        assert_eq!(gated, second);
        assert_eq!(
            model.sentences_with_spans(&doc),
            [0, 1],
            "both sentences hold spans"
        );
    }

    #[test]
    fn a_nation_named_in_plain_news_is_not_name_calling() {
        let (doc, layer) = run(
            "NATO defence ministers met in Brussels on Tuesday to discuss the budget. \
             The West and Russia exchanged letters about the inspection schedule.",
        );
        for t in &layer.techniques {
            let text = doc.slice(Span::new(t.start, t.end));
            assert!(
                !(t.technique == TechniqueName::NameCallingLabeling
                    && ["NATO", "West", "Russia"].contains(&text)),
                "{text} as {}",
                t.technique
            );
        }
    }
}
