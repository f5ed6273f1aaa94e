//! `sift factcheck import|search|match` (the local fact-check store, crate
//! `sift-factcheck`); `sift eval claim-matching` is in [`crate::claim_matching`].

use std::io::Write;
use std::path::{Path, PathBuf};

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
