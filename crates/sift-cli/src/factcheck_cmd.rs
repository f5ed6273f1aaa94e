//! `sift factcheck import|search|match` (the local fact-check store, crate
//! `sift-factcheck`) and `sift eval claim-matching` (CheckThat! 2020 task 2, MAP@5).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
use sift_factcheck::import::{self, CsvColumns, Format};
use sift_factcheck::{FactCheckLayer, Semantic, Store};

use crate::exit;

#[derive(Subcommand, Debug)]
pub enum FactcheckCommand {
    /// Add fact-checks to a store (created if absent); re-importing adds nothing.
    Import(ImportArgs),
    /// The best matches for one text.
    Search(SearchArgs),
    /// Batch matching: `id<TAB>text` queries in, `query_id<TAB>claim_id<TAB>rank<TAB>score` out (top 5).
    Match(MatchArgs),
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The store directory.
    #[arg(long)]
    store: PathBuf,
    /// Files: ClaimReview JSON-LD (.json/.jsonl), CSV (.csv), CheckThat TSV (.tsv).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Format of every file, instead of guessing by extension.
    #[arg(long, value_parser = ["claimreview", "csv", "checkthat"])]
    format: Option<String>,
    /// CSV column holding the claim.
    #[arg(long, default_value = "claim")]
    claim_column: String,
    /// CSV column holding the fact-check's url.
    #[arg(long, default_value = "url")]
    url_column: String,
    /// CSV column holding the date.
    #[arg(long, default_value = "date")]
    date_column: String,
    /// CSV column holding the verdict.
    #[arg(long, default_value = "rating")]
    rating_column: String,
    /// CSV column holding the id.
    #[arg(long, default_value = "id")]
    id_column: String,
    /// Verdict of records without one (e.g. `disinformation` for EUvsDisinfo).
    #[arg(long)]
    default_rating: Option<String>,
    /// Opt-in semantic matching: the multilingual-e5-small directory
    /// (scripts/fetch-embeddings.sh e5; a build with `--features embeddings`).
    #[arg(long, value_name = "DIR")]
    embeddings: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// The store directory.
    #[arg(long)]
    store: PathBuf,
    /// The text to match.
    text: String,
    /// How many matches.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// Opt-in semantic matching: the multilingual-e5-small directory
    /// (scripts/fetch-embeddings.sh e5; a build with `--features embeddings`).
    #[arg(long, value_name = "DIR")]
    embeddings: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct MatchArgs {
    /// The store directory.
    #[arg(long)]
    store: PathBuf,
    /// `id<TAB>text` per line (a header line whose id is empty is skipped).
    queries: PathBuf,
    /// Opt-in semantic matching: the multilingual-e5-small directory
    /// (scripts/fetch-embeddings.sh e5; a build with `--features embeddings`).
    #[arg(long, value_name = "DIR")]
    embeddings: Option<PathBuf>,
}

fn semantic(dir: Option<&Path>) -> Result<Semantic, u8> {
    Semantic::load(dir).map_err(|e| {
        eprintln!("sift: {e}");
        exit::USAGE
    })
}

/// Search with the query's embedding when there is an embedder.
fn search_one(
    store: &mut Store,
    semantic: &Semantic,
    text: &str,
    k: usize,
) -> Result<Vec<sift_factcheck::Candidate>, String> {
    let vector = semantic.vectors(&[text])?.and_then(|mut v| v.pop());
    store
        .search_with(text, vector.as_deref(), k)
        .map_err(|e| e.to_string())
}

fn open(dir: &Path, create: bool) -> Result<Store, u8> {
    Store::open(dir, create).map_err(|e| {
        eprintln!("sift: {e}");
        exit::ALL_INPUTS_FAILED
    })
}

fn format_of(args: &ImportArgs, path: &Path) -> Option<Format> {
    match args.format.as_deref() {
        Some("claimreview") => Some(Format::ClaimReview),
        Some("csv") => Some(Format::Csv),
        Some("checkthat") => Some(Format::CheckThat),
        _ => Format::guess(path),
    }
}

fn embed_store(store: &mut Store, dir: Option<&Path>) -> Result<(), u8> {
    let semantic = semantic(dir)?;
    if !semantic.is_on() {
        return Ok(());
    }
    match semantic.embed_store(store) {
        Ok(n) => {
            println!("embedded {n} records");
            Ok(())
        }
        Err(e) => {
            eprintln!("sift: {e}");
            Err(exit::OUTPUT)
        }
    }
}

fn import_files(args: ImportArgs) -> u8 {
    let mut store = match open(&args.store, true) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let columns = CsvColumns {
        claim: args.claim_column.clone(),
        url: args.url_column.clone(),
        date: args.date_column.clone(),
        rating: args.rating_column.clone(),
        id: args.id_column.clone(),
        default_rating: args.default_rating.clone(),
    };
    let mut failed = 0;
    for path in &args.files {
        let Some(format) = format_of(&args, path) else {
            eprintln!("sift: {}: unknown format (use --format)", path.display());
            failed += 1;
            continue;
        };
        let records = match import::read_file(path, format, &columns) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("sift: {}: {e}", path.display());
                failed += 1;
                continue;
            }
        };
        match store.import(&records) {
            Ok(added) => println!("{}: {} records, {added} new", path.display(), records.len()),
            Err(e) => {
                eprintln!("sift: {e}");
                return exit::OUTPUT;
            }
        }
    }
    if let Err(code) = embed_store(&mut store, args.embeddings.as_deref()) {
        return code;
    }
    match failed {
        0 => exit::OK,
        n if n == args.files.len() => exit::ALL_INPUTS_FAILED,
        _ => exit::SOME_INPUTS_FAILED,
    }
}

fn search(args: SearchArgs) -> u8 {
    let mut store = match open(&args.store, false) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let semantic = match semantic(args.embeddings.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match search_one(&mut store, &semantic, &args.text, args.top) {
        Ok(found) => {
            for (rank, c) in found.iter().enumerate() {
                let f = &c.fact_check;
                println!(
                    "{}. [{:.3}] {} — {} ({}) {}",
                    rank + 1,
                    c.score,
                    f.claim,
                    f.rating.as_deref().unwrap_or("no rating"),
                    f.date.as_deref().unwrap_or("no date"),
                    f.url.as_deref().unwrap_or(&f.id)
                );
            }
            exit::OK
        }
        Err(e) => {
            eprintln!("sift: {e}");
            exit::OUTPUT
        }
    }
}

/// `id<TAB>text` lines; a header whose first field is empty or `id` is skipped.
pub fn read_queries(path: &Path) -> std::io::Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path)?;
    Ok(text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(id, _)| !id.trim().is_empty() && id.trim() != "id")
        .map(|(id, t)| (id.trim().to_string(), t.to_string()))
        .collect())
}

fn match_queries(args: MatchArgs) -> u8 {
    let mut store = match open(&args.store, false) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let queries = match read_queries(&args.queries) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("sift: {}: {e}", args.queries.display());
            return exit::ALL_INPUTS_FAILED;
        }
    };
    let semantic = match semantic(args.embeddings.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (id, text) in &queries {
        let found = match search_one(&mut store, &semantic, text, 5) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("sift: {e}");
                return exit::OUTPUT;
            }
        };
        for (rank, c) in found.iter().enumerate() {
            let line = format!("{id}\t{}\t{}\t{:.4}", c.fact_check.id, rank + 1, c.score);
            if writeln!(out, "{line}").is_err() {
                return exit::OUTPUT;
            }
        }
    }
    if out.flush().is_err() {
        return exit::OUTPUT;
    }
    exit::OK
}

pub fn run(cmd: FactcheckCommand) -> u8 {
    match cmd {
        FactcheckCommand::Import(a) => import_files(a),
        FactcheckCommand::Search(a) => search(a),
        FactcheckCommand::Match(a) => match_queries(a),
    }
}

/// Add fact-check matching to `pipeline` when `--factchecks DIR` was given (the
/// same for `analyze` and `serve`).
pub fn add_layer(
    pipeline: &mut sift::Pipeline,
    dir: Option<&Path>,
    embeddings: Option<&Path>,
) -> Result<(), String> {
    let Some(dir) = dir else { return Ok(()) };
    let layer = layer(dir, embeddings)?;
    pipeline.push(layer).map_err(|e| e.to_string())
}

/// The fact-check matching layer for `analyze`/`serve --factchecks DIR`.
pub fn layer(dir: &Path, embeddings: Option<&Path>) -> Result<Box<dyn sift::Layer>, String> {
    let semantic = Semantic::load(embeddings)?;
    FactCheckLayer::open_with(dir, semantic)
        .map(|l| Box::new(l) as Box<dyn sift::Layer>)
        .map_err(|e| e.to_string())
}

#[derive(Args, Debug)]
pub struct ClaimMatchingArgs {
    /// Splits to score (dev, train).
    #[arg(long, value_delimiter = ',', default_value = "dev,train")]
    splits: Vec<String>,
    /// Opt-in semantic matching: the multilingual-e5-small directory
    /// (scripts/fetch-embeddings.sh e5; a build with `--features embeddings`).
    #[arg(long, value_name = "DIR")]
    embeddings: Option<PathBuf>,
    /// Keep the evaluation store in DIR and reuse it (its embeddings are computed
    /// once); by default a temporary store is built and removed.
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
    /// Weight of the lexical score in fused matching (default: the shipped one),
    /// to choose it on the train split.
    #[arg(long, value_name = "W")]
    lexical_weight: Option<f64>,
}

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// CheckThat! 2020 task 2 (verified-claim retrieval): MAP@5, the official metric.
    ClaimMatching(ClaimMatchingArgs),
}

/// Average precision over the top 5 (CheckThat! 2020's MAP@5 per query).
pub fn average_precision_at_5(ranked: &[String], relevant: &[String]) -> f64 {
    if relevant.is_empty() {
        return 0.0;
    }
    let mut hits = 0;
    let mut sum = 0.0;
    for (i, id) in ranked.iter().take(5).enumerate() {
        if relevant.contains(id) {
            hits += 1;
            sum += hits as f64 / (i + 1) as f64;
        }
    }
    sum / relevant.len().min(5) as f64
}

fn qrels(path: &Path) -> std::io::Result<std::collections::HashMap<String, Vec<String>>> {
    let mut out: std::collections::HashMap<String, Vec<String>> = Default::default();
    for line in std::fs::read_to_string(path)?.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() >= 4 && f[3].trim() == "1" {
            out.entry(f[0].to_string())
                .or_default()
                .push(f[2].to_string());
        }
    }
    Ok(out)
}

fn score_split(
    store: &mut Store,
    semantic: &Semantic,
    root: &Path,
    split: &str,
) -> Result<(f64, usize, f64), String> {
    let dir = root.join(split);
    let queries = read_queries(&dir.join("tweets.queries.tsv")).map_err(|e| e.to_string())?;
    let relevant = qrels(&dir.join("tweet-vclaim-pairs.qrels")).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut total = 0.0;
    let mut counted = 0;
    for (id, text) in &queries {
        let Some(gold) = relevant.get(id) else {
            continue;
        };
        let found = search_one(store, semantic, text, 5)?;
        let ranked: Vec<String> = found.into_iter().map(|c| c.fact_check.id).collect();
        total += average_precision_at_5(&ranked, gold);
        counted += 1;
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0 / counted.max(1) as f64;
    Ok((total / counted.max(1) as f64, counted, ms))
}

pub fn eval(cmd: Eval) -> u8 {
    let Eval::ClaimMatching(args) = cmd;
    let Some(data) = sift_eval::shared_data_dir() else {
        eprintln!("sift: ../shared/data not found (set SIFT_SHARED_DATA)");
        return exit::ALL_INPUTS_FAILED;
    };
    let root = data.join("claims/clef2020_task2");
    let dir = args.store.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("sift-claim-matching-{}", std::process::id()))
    });
    let result = (|| -> Result<(), String> {
        let mut store = Store::open(&dir, true).map_err(|e| e.to_string())?;
        if let Some(weight) = args.lexical_weight {
            store.set_lexical_weight(weight);
        }
        let records = import::read_file(
            &root.join("verified_claims.docs.tsv"),
            Format::CheckThat,
            &CsvColumns::default(),
        )
        .map_err(|e| e.to_string())?;
        store.import(&records).map_err(|e| e.to_string())?;
        let semantic = Semantic::load(args.embeddings.as_deref())?;
        semantic.embed_store(&mut store)?;
        for split in &args.splits {
            let (map, n, ms) = score_split(&mut store, &semantic, &root, split)?;
            println!(
                "CheckThat 2020 task 2 {split:<5} MAP@5 {map:.3}  ({n} queries, {} claims, {ms:.2} ms/query)",
                records.len()
            );
        }
        Ok(())
    })();
    if args.store.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    match result {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("sift: {e}");
            exit::ALL_INPUTS_FAILED
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_precision_rewards_an_early_hit() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(average_precision_at_5(&ids(&["a", "b"]), &ids(&["a"])), 1.0);
        assert_eq!(average_precision_at_5(&ids(&["b", "a"]), &ids(&["a"])), 0.5);
        assert_eq!(average_precision_at_5(&ids(&["b"]), &ids(&["a"])), 0.0);
    }
}
