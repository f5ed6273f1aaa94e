//! `sift eval quantities` and `sift eval consistency`.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand};
use sift_eval::quantities::{eval_consistency, run_all, SetScore};
use sift_eval::quantities_news;

use crate::exit;

#[derive(Args, Debug)]
pub struct QuantitiesArgs {
    /// Folder holding the quantity sets (default: ../shared/data/quantities).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Print JSON instead of a Markdown table.
    #[arg(long)]
    pub json: bool,
    /// Score the hand-annotated English and Russian news sets instead
    /// (docs/annotation/quantities-news.md); `--data` is then the shared data
    /// folder (default ../shared/data).
    #[arg(long)]
    pub news: bool,
    /// With `--news`: also print up to N misses and false alarms per language.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub errors: usize,
}

#[derive(Args, Debug)]
pub struct ConsistencyArgs {
    /// Folder of `expect: …` articles (default: the committed test set).
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// Value F1 and value+unit F1 of quantity extraction on MeasEval, Recognizers-Text,
    /// quantulum3 and Duckling (../shared/data/quantities), or with `--news` on the
    /// hand-annotated news articles.
    Quantities(QuantitiesArgs),
    /// Precision and recall of the consistency engine on the committed test set.
    Consistency(ConsistencyArgs),
}

pub fn eval(cmd: Eval) -> u8 {
    match cmd {
        Eval::Quantities(a) => quantities(a),
        Eval::Consistency(a) => consistency(a),
    }
}

fn quantities(args: QuantitiesArgs) -> u8 {
    if args.news {
        return news(args);
    }
    let root = match args
        .data
        .or_else(|| sift_eval::shared_data_dir().map(|d| d.join("quantities")))
    {
        Some(r) if r.is_dir() => r,
        _ => {
            eprintln!("sift: ../shared/data/quantities not found (set SIFT_SHARED_DATA or --data)");
            return exit::ALL_INPUTS_FAILED;
        }
    };
    let t = Instant::now();
    let scores = run_all(&root);
    if args.json {
        let rows: Vec<serde_json::Value> = scores.iter().map(score_json).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())
        );
    } else {
        print_table("cases", &scores);
        println!("\nAnchor (CQE, English news): value F1 0.920, value+unit F1 0.856.");
        eprintln!("({:.1} s)", t.elapsed().as_secs_f64());
    }
    exit::OK
}

/// The Markdown table of value and value+unit precision, recall and F1, one row per set;
/// `cases` names the second column (test cases or articles).
fn print_table<'a>(cases: &str, scores: impl IntoIterator<Item = &'a SetScore>) {
    println!("| set | {cases} | gold | value P | value R | value F1 | value+unit P | value+unit R | value+unit F1 |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for s in scores {
        println!(
            "| {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            s.name,
            s.cases,
            s.gold,
            s.value.precision(),
            s.value.recall(),
            s.value.f1(),
            s.value_unit.precision(),
            s.value_unit.recall(),
            s.value_unit.f1()
        );
    }
}

fn news(args: QuantitiesArgs) -> u8 {
    let root = match args.data.or_else(sift_eval::shared_data_dir) {
        Some(r) if r.is_dir() => r,
        _ => {
            eprintln!("sift: ../shared/data not found (set SIFT_SHARED_DATA or --data)");
            return exit::ALL_INPUTS_FAILED;
        }
    };
    let t = Instant::now();
    let mut scores = Vec::new();
    for (name, gold) in [
        ("news EN", quantities_news::GOLD_EN),
        ("news RU", quantities_news::GOLD_RU),
    ] {
        match quantities_news::score_news(name, gold, &root) {
            Ok(s) => scores.push(s),
            Err(e) => {
                eprintln!("sift: {name}: {e}");
                return exit::ALL_INPUTS_FAILED;
            }
        }
    }
    if args.json {
        let rows: Vec<serde_json::Value> = scores.iter().map(|s| score_json(&s.score)).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())
        );
        return exit::OK;
    }
    print_table("articles", scores.iter().map(|s| &s.score));
    println!("\nTarget (CQE on NewsQuant, English): value F1 0.920, value+unit F1 0.856.");
    for s in &scores {
        if args.errors > 0 && !s.errors.is_empty() {
            println!("\n{} errors ({} in all):", s.score.name, s.errors.len());
            for e in s.errors.iter().take(args.errors) {
                println!("  {e}");
            }
        }
    }
    eprintln!("({:.1} s)", t.elapsed().as_secs_f64());
    exit::OK
}

fn score_json(s: &SetScore) -> serde_json::Value {
    serde_json::json!({
        "set": s.name,
        "cases": s.cases,
        "gold": s.gold,
        "value": {"tp": s.value.tp, "fp": s.value.fp, "fn": s.value.fn_,
                  "precision": s.value.precision(), "recall": s.value.recall(), "f1": s.value.f1()},
        "value_unit": {"tp": s.value_unit.tp, "fp": s.value_unit.fp, "fn": s.value_unit.fn_,
                       "precision": s.value_unit.precision(), "recall": s.value_unit.recall(),
                       "f1": s.value_unit.f1()},
    })
}

fn consistency(args: ConsistencyArgs) -> u8 {
    let dir = args.dir.unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sift/tests/data/consistency")
    });
    match eval_consistency(&dir) {
        Ok(s) => {
            println!(
                "articles {} · controls {} (clean {}) · findings tp {} fp {} fn {}",
                s.articles, s.controls, s.clean_controls, s.counts.tp, s.counts.fp, s.counts.fn_
            );
            println!(
                "precision {:.3} · recall {:.3} · F1 {:.3}",
                s.counts.precision(),
                s.counts.recall(),
                s.counts.f1()
            );
            for (name, expected, found) in &s.mismatches {
                println!("  {name}: expected {expected:?}, found {found:?}");
            }
            exit::OK
        }
        Err(e) => {
            eprintln!("sift: {e}");
            exit::ALL_INPUTS_FAILED
        }
    }
}
