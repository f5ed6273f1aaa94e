//! `sift train attribution`, `sift eval polnear`, `sift eval speakers`, `sift eval quotes-ru`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
use sift::analyze::attribution::crf::{self, CrfModel, TrainParams};
use sift_eval::attribution::AttributionScore;
use sift_eval::polnear::{self, Article};

use crate::exit;

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// L-BFGS iterations.
    #[arg(long, default_value_t = 100)]
    iterations: usize,
    /// Where to write the model.
    #[arg(long, default_value = "models/attribution-crf.bin")]
    out: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum Train {
    /// Train the attribution tagger (CRF, BIO source/cue/content) on PolNeAR train.
    Attribution(TrainArgs),
}

#[derive(Args, Debug)]
pub struct PolnearArgs {
    /// A model file to score instead of the embedded one.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Cross-validation folds over PolNeAR train (0 to skip).
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// L-BFGS iterations per cross-validation fold.
    #[arg(long, default_value_t = 100)]
    cv_iterations: usize,
}

#[derive(Args, Debug)]
pub struct SpeakersArgs {}

#[derive(Args, Debug)]
pub struct QuotesRuArgs {}

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// Source/cue/content exact and overlap F1 on PolNeAR dev, and k-fold CV on train.
    Polnear(PolnearArgs),
    /// Speaker-resolution accuracy on sift's own test articles (English and Russian).
    Speakers(SpeakersArgs),
    /// Russian rules on quotes-ru: token-level source/cue/content F1.
    QuotesRu(QuotesRuArgs),
}

fn polnear_dir() -> Option<PathBuf> {
    let dir = sift_eval::shared_data_dir()?.join("polnear");
    dir.is_dir().then_some(dir)
}

fn load(dir: &Path, split: &str) -> Result<Vec<Article>, u8> {
    polnear::load_split(dir, split).map_err(|e| {
        eprintln!("sift: cannot read PolNeAR {split}: {e}");
        exit::ALL_INPUTS_FAILED
    })
}

fn train_on(
    articles: &[&Article],
    params: &TrainParams,
    verbose: bool,
) -> std::io::Result<Vec<u8>> {
    let data: Vec<_> = articles
        .iter()
        .flat_map(|a| polnear::sequences(a))
        .collect();
    crf::train(&data, params, verbose)
}

pub fn train(cmd: Train) -> u8 {
    let Train::Attribution(args) = cmd;
    let Some(dir) = polnear_dir() else {
        eprintln!("sift: ../shared/data/polnear not found (set SIFT_SHARED_DATA)");
        return exit::ALL_INPUTS_FAILED;
    };
    let articles = match load(&dir, "train") {
        Ok(a) => a,
        Err(code) => return code,
    };
    let refs: Vec<&Article> = articles.iter().collect();
    let params = TrainParams {
        max_iterations: args.iterations,
        ..TrainParams::default()
    };
    eprintln!(
        "training on {} PolNeAR train articles, {params:?}",
        refs.len()
    );
    let t = Instant::now();
    let bytes = match train_on(&refs, &params, true) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("sift: training failed: {e}");
            return exit::OUTPUT;
        }
    };
    if let Err(e) = std::fs::write(&args.out, &bytes) {
        eprintln!("sift: cannot write {}: {e}", args.out.display());
        return exit::OUTPUT;
    }
    eprintln!(
        "wrote {} ({:.1} MB) in {:.0} s",
        args.out.display(),
        bytes.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    exit::OK
}

fn score_model(model: &CrfModel, articles: &[&Article]) -> AttributionScore {
    let mut score = AttributionScore::default();
    for a in articles {
        score.add_document(&a.spans, &polnear::predict(model, a));
    }
    score
}

fn eval_polnear(args: PolnearArgs) -> u8 {
    let Some(dir) = polnear_dir() else {
        eprintln!("skipping: ../shared/data/polnear not found");
        return exit::OK;
    };
    let dev = match load(&dir, "dev") {
        Ok(a) => a,
        Err(code) => return code,
    };
    let loaded;
    let model: &CrfModel = match &args.model {
        Some(path) => {
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("sift: cannot read {}: {e}", path.display());
                    return exit::ALL_INPUTS_FAILED;
                }
            };
            loaded = match CrfModel::from_bytes(&bytes) {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("sift: {}: {e}", path.display());
                    return exit::ALL_INPUTS_FAILED;
                }
            };
            &loaded
        }
        None => match crf::embedded() {
            Some(m) => m,
            None => {
                eprintln!("sift: no embedded attribution model; run `sift train attribution`");
                return exit::OUTPUT;
            }
        },
    };
    let dev_refs: Vec<&Article> = dev.iter().collect();
    let t = Instant::now();
    let score = score_model(model, &dev_refs);
    println!(
        "PolNeAR dev ({} articles), CRF tagger trained on train ({:.1} s):",
        dev.len(),
        t.elapsed().as_secs_f64()
    );
    println!("{score}");

    if args.folds > 1 {
        let train = match load(&dir, "train") {
            Ok(a) => a,
            Err(code) => return code,
        };
        let params = TrainParams {
            max_iterations: args.cv_iterations,
            ..TrainParams::default()
        };
        let mut total = AttributionScore::default();
        for fold in 0..args.folds {
            let t = Instant::now();
            let (test, fit): (Vec<(usize, &Article)>, Vec<(usize, &Article)>) = train
                .iter()
                .enumerate()
                .partition(|(i, _)| i % args.folds == fold);
            let fit: Vec<&Article> = fit.into_iter().map(|(_, a)| a).collect();
            let test: Vec<&Article> = test.into_iter().map(|(_, a)| a).collect();
            let bytes = match train_on(&fit, &params, false) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("sift: fold {fold}: {e}");
                    return exit::OUTPUT;
                }
            };
            let model = match CrfModel::from_bytes(&bytes) {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("sift: fold {fold}: {e}");
                    return exit::OUTPUT;
                }
            };
            let s = score_model(&model, &test);
            eprintln!(
                "fold {fold}: {} test articles, {:.0} s; content exact F1 {:.1}",
                test.len(),
                t.elapsed().as_secs_f64(),
                s.role(sift_eval::attribution::Role::Content).exact().f1
            );
            total.merge(&s);
        }
        println!(
            "PolNeAR train, {}-fold cross-validation (articles by index mod {}, {} L-BFGS iterations per fold), pooled:",
            args.folds, args.folds, args.cv_iterations
        );
        println!("{total}");
    }
    exit::OK
}

pub fn eval(cmd: Eval) -> u8 {
    match cmd {
        Eval::Polnear(args) => eval_polnear(args),
        Eval::Speakers(_) | Eval::QuotesRu(_) => {
            eprintln!("sift: not built yet");
            exit::OUTPUT
        }
    }
}
