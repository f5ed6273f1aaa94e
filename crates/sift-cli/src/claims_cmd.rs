//! `sift train claims`, `sift eval checkworthy`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
use sift::train::claims::model::ClaimsModel;
use sift_eval::checkworthy::{self, PositiveF1};

use crate::exit;

/// CheckThat! 2024 Task 1 English, under ../shared/data.
const CHECKTHAT: &str = "claims/clef2024/english";
/// The Russian articles the hand labels point into.
const RUSSIAN_ARTICLES: &str = "semeval23/ru/train-articles-subtask-3";

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Seed for the example order.
    #[arg(long, default_value_t = 20_260_101)]
    seed: u64,
    /// Epochs over the training sentences (default: the shipped model's).
    #[arg(long)]
    epochs: Option<usize>,
    /// AdaGrad learning rate (default: the shipped model's).
    #[arg(long)]
    learning_rate: Option<f32>,
    /// Weight of check-worthy examples (default: the shipped model's).
    #[arg(long)]
    positive_weight: Option<f32>,
    /// Where to write the model.
    #[arg(long, default_value = "crates/sift/models/claims.bin")]
    out: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum Train {
    /// Train the check-worthiness model on CheckThat! 2024 English train and dev
    /// (thresholds from grouped out-of-fold scores).
    Claims(TrainArgs),
}

#[derive(Args, Debug)]
pub struct CheckworthyArgs {
    /// Splits to score (dev-test; dev and train are the shipped model's training data).
    #[arg(long, value_delimiter = ',', default_value = "dev-test")]
    splits: Vec<String>,
    /// A model file to score instead of the committed one.
    #[arg(long)]
    model: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// Check-worthiness F1 (positive class): CheckThat! 2024 English and the
    /// hand-labelled Russian sentences.
    Checkworthy(CheckworthyArgs),
}

fn split_path(data: &Path, split: &str) -> PathBuf {
    data.join(CHECKTHAT)
        .join(format!("CT24_checkworthy_english_{split}.tsv"))
}

fn load(data: &Path, split: &str) -> Option<Vec<checkworthy::Sentence>> {
    let path = split_path(data, split);
    match checkworthy::load_checkthat(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("sift: cannot read {}: {e}", path.display());
            None
        }
    }
}

pub fn train(cmd: Train) -> u8 {
    let Train::Claims(args) = cmd;
    let Some(data) = sift_eval::shared_data_dir() else {
        eprintln!("sift: ../shared/data not found (set SIFT_SHARED_DATA)");
        return exit::ALL_INPUTS_FAILED;
    };
    let (Some(train), Some(dev)) = (load(&data, "train"), load(&data, "dev")) else {
        return exit::ALL_INPUTS_FAILED;
    };
    let started = Instant::now();
    let mut config = checkworthy::default_config(args.seed);
    config.epochs = args.epochs.unwrap_or(config.epochs);
    config.learning_rate = args.learning_rate.unwrap_or(config.learning_rate);
    config.positive_weight = args.positive_weight.unwrap_or(config.positive_weight);
    let (model, cross_validated) = checkworthy::train(&train, &dev, &config);
    let mut bytes = Vec::new();
    if let Err(e) = model.write_to(&mut bytes) {
        eprintln!("sift: cannot serialise the model: {e}");
        return exit::OUTPUT;
    }
    if let Err(e) = std::fs::write(&args.out, &bytes) {
        eprintln!("sift: cannot write {}: {e}", args.out.display());
        return exit::OUTPUT;
    }
    print_score(
        &format!("{}-fold CV, train+dev", checkworthy::FOLDS),
        &cross_validated,
    );
    println!(
        "trained on {} sentences in {:.1}s; wrote {} ({} bytes)",
        train.len() + dev.len(),
        started.elapsed().as_secs_f64(),
        args.out.display(),
        bytes.len()
    );
    exit::OK
}

fn read_model(path: &Path) -> std::io::Result<ClaimsModel> {
    let bytes = std::fs::read(path)?;
    ClaimsModel::read_from(&mut &bytes[..])
}

fn print_score(name: &str, s: &PositiveF1) {
    println!(
        "{name:<28} P {:.3}  R {:.3}  F1(positive) {:.3}  (positives {})",
        s.precision, s.recall, s.f1, s.support
    );
}

pub fn eval(cmd: Eval) -> u8 {
    let Eval::Checkworthy(args) = cmd;
    let Some(data) = sift_eval::shared_data_dir() else {
        eprintln!("sift: ../shared/data not found (set SIFT_SHARED_DATA)");
        return exit::ALL_INPUTS_FAILED;
    };
    let model = match &args.model {
        None => None,
        Some(path) => match read_model(path) {
            Ok(m) => Some(m),
            Err(e) => {
                eprintln!("sift: cannot read the model {}: {e}", path.display());
                return exit::ALL_INPUTS_FAILED;
            }
        },
    };
    let pipeline = checkworthy::pipeline_with(model);
    for split in &args.splits {
        let Some(sentences) = load(&data, split) else {
            return exit::ALL_INPUTS_FAILED;
        };
        let score = checkworthy::evaluate_english(&pipeline, &sentences);
        print_score(&format!("CheckThat 2024 en {split}"), &score);
    }
    let labels = checkworthy::load_labelled_spans(checkworthy::RUSSIAN_LABELS);
    match checkworthy::evaluate_articles(&pipeline, &data.join(RUSSIAN_ARTICLES), &labels) {
        Ok(score) => print_score(
            &format!("SemEval-2023 ru ({} hand-labelled)", labels.len()),
            &score,
        ),
        Err(e) => {
            eprintln!("sift: cannot read the Russian articles: {e}");
            return exit::SOME_INPUTS_FAILED;
        }
    }
    exit::OK
}
