//! `sift eval claim-matching` (CheckThat! 2020 task 2, MAP@5) and `sift train
//! claim-matching` (the re-ranker that scores the pool of lexical and semantic
//! candidates, fitted on the task's train queries).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
use sift_factcheck::fusion::{self, Fusion, Pool, Reranker};
use sift_factcheck::import::{self, CsvColumns, Format};
use sift_factcheck::{Semantic, Store};

use crate::exit;
use crate::factcheck_cmd::read_queries;

/// CheckThat! 2020 task 2, under ../shared/data.
const TASK: &str = "claims/clef2020_task2";
/// Queries embedded per call.
const EMBED_BATCH: usize = 32;

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
    /// With embeddings: how lexical and semantic candidates are scored, one or more
    /// (default: the shipped re-ranker, `learned`). Compare them on the train split.
    #[arg(long, value_delimiter = ',', value_parser = ["learned", "rrf", "linear"])]
    fusion: Vec<String>,
    /// `--fusion linear`: weights of the lexical score to try (default 0.4).
    #[arg(long, value_name = "W", value_delimiter = ',')]
    lexical_weight: Vec<f64>,
    /// `--fusion rrf`: constants k to try (default 60).
    #[arg(long, value_name = "K", value_delimiter = ',')]
    rrf_k: Vec<f64>,
    /// `--fusion linear|rrf`: candidates taken from each retriever, sizes to try
    /// (default 30).
    #[arg(long, value_name = "N", value_delimiter = ',')]
    pool: Vec<usize>,
    /// `--fusion learned`: a re-ranker file instead of the shipped one.
    #[arg(long, value_name = "FILE")]
    reranker: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// CheckThat! 2020 task 2 (verified-claim retrieval): MAP@5, the official metric.
    ClaimMatching(ClaimMatchingArgs),
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// The multilingual-e5-small directory (scripts/fetch-embeddings.sh e5; a build
    /// with `--features embeddings`).
    #[arg(long, value_name = "DIR", default_value = "models/e5")]
    embeddings: PathBuf,
    /// Keep the CheckThat store (with its embeddings) in DIR and reuse it.
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
    /// Seed of the assignment of queries to cross-validation folds.
    #[arg(long, default_value_t = 20_260_101)]
    seed: u64,
    /// Candidates taken from each retriever.
    #[arg(long, default_value_t = 30)]
    pool: usize,
    /// Features of the logistic regression (see `sift_factcheck::fusion::FEATURES`).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "bm25_rel,dice,lexical,lexical_rr,cosine,cosine_gap,semantic_rr"
    )]
    features: Vec<String>,
    /// L2 penalty on the standardised weights.
    #[arg(long, default_value_t = 1.0)]
    l2: f64,
    /// Choose the listing floor as the lowest whose out-of-fold listed top matches are at
    /// least this precise (default: the floor with the fewest errors). The cross-script
    /// re-ranker uses 0.9: its pairs are scored with less evidence than the training
    /// pairs had.
    #[arg(long)]
    min_precision: Option<f64>,
    /// Also write every train query's pool (with and without its fact-check) as TSV.
    #[arg(long, value_name = "FILE")]
    dump: Option<PathBuf>,
    /// Where to write the re-ranker.
    #[arg(long, default_value = "crates/sift-factcheck/models/reranker.json")]
    out: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum Train {
    /// Train the claim-matching re-ranker on the CheckThat! 2020 task 2 train queries
    /// (5-fold cross-validated MAP@5 printed; listing floor from out-of-fold scores).
    ClaimMatching(TrainArgs),
}

/// Average precision over the top 5 (CheckThat! 2020's official MAP@5 per query).
pub fn average_precision_at_5(ranked: &[String], relevant: &[String]) -> f64 {
    average_precision_at(ranked, relevant, 5)
}

/// Average precision over the top `k` (the task's scorer: hits' precisions summed,
/// divided by the number of relevant claims capped at `k`).
pub fn average_precision_at(ranked: &[String], relevant: &[String], k: usize) -> f64 {
    if relevant.is_empty() {
        return 0.0;
    }
    let mut hits = 0;
    let mut sum = 0.0;
    for (i, id) in ranked.iter().take(k).enumerate() {
        if relevant.contains(id) {
            hits += 1;
            sum += hits as f64 / (i + 1) as f64;
        }
    }
    sum / relevant.len().min(k) as f64
}

fn qrels(path: &Path) -> std::io::Result<HashMap<String, Vec<String>>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
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

/// A split's queries that have relevant claims: `(id, text, relevant ids)`.
type Queries = Vec<(String, String, Vec<String>)>;

fn load_split(root: &Path, split: &str) -> Result<Queries, String> {
    let dir = root.join(split);
    let queries = read_queries(&dir.join("tweets.queries.tsv")).map_err(|e| e.to_string())?;
    let relevant = qrels(&dir.join("tweet-vclaim-pairs.qrels")).map_err(|e| e.to_string())?;
    Ok(queries
        .into_iter()
        .filter_map(|(id, text)| {
            let gold = relevant.get(&id)?.clone();
            Some((id, text, gold))
        })
        .collect())
}

/// The CheckThat store (the 10k verified claims), embedded when `semantic` is on.
fn open_store(root: &Path, dir: &Path, semantic: &Semantic) -> Result<(Store, usize), String> {
    let mut store = Store::open(dir, true).map_err(|e| e.to_string())?;
    let records = import::read_file(
        &root.join("verified_claims.docs.tsv"),
        Format::CheckThat,
        &CsvColumns::default(),
    )
    .map_err(|e| e.to_string())?;
    store.import(&records).map_err(|e| e.to_string())?;
    semantic.embed_store(&mut store)?;
    Ok((store, records.len()))
}

/// One embedding per query, in the split's order.
type QueryVectors = Vec<Vec<f32>>;

/// Embeddings of every query (`None` without an embedder) and ms per query (`None`
/// when read back from `cache`, a file of an earlier run's vectors in the store
/// directory, by query id).
fn embed_queries(
    semantic: &Semantic,
    queries: &Queries,
    cache: &Path,
) -> Result<(Option<QueryVectors>, Option<f64>), String> {
    if !semantic.is_on() {
        return Ok((None, None));
    }
    let cached: HashMap<String, Vec<f32>> = std::fs::read_to_string(cache)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    let known: Option<QueryVectors> = queries.iter().map(|q| cached.get(&q.0).cloned()).collect();
    if let Some(vectors) = known {
        return Ok((Some(vectors), None));
    }
    let started = Instant::now();
    let mut out = Vec::with_capacity(queries.len());
    for chunk in queries.chunks(EMBED_BATCH) {
        let texts: Vec<&str> = chunk.iter().map(|q| q.1.as_str()).collect();
        out.extend(semantic.vectors(&texts)?.unwrap_or_default());
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0 / queries.len().max(1) as f64;
    let by_id: HashMap<&str, &Vec<f32>> = queries.iter().map(|q| q.0.as_str()).zip(&out).collect();
    let json = serde_json::to_string(&by_id).map_err(|e| e.to_string())?;
    std::fs::write(cache, json).map_err(|e| format!("{}: {e}", cache.display()))?;
    Ok((Some(out), Some(ms)))
}

/// The query-vector cache of a split in the store directory.
fn cache_of(dir: &Path, split: &str) -> PathBuf {
    dir.join(format!("query-vectors-{split}.json"))
}

/// The fusions to compare (`--fusion` and its lists), with a label each.
fn fusions(args: &ClaimMatchingArgs) -> Result<Vec<(String, Fusion)>, String> {
    let pools = if args.pool.is_empty() {
        vec![30]
    } else {
        args.pool.clone()
    };
    let methods = if args.fusion.is_empty() {
        vec!["learned".to_string()]
    } else {
        args.fusion.clone()
    };
    let mut out = Vec::new();
    for method in &methods {
        match method.as_str() {
            "linear" => {
                let weights = if args.lexical_weight.is_empty() {
                    vec![sift_factcheck::vectors::LEXICAL_WEIGHT]
                } else {
                    args.lexical_weight.clone()
                };
                for &pool in &pools {
                    for &w in &weights {
                        out.push((
                            format!("linear w={w} pool={pool}"),
                            Fusion::Linear {
                                lexical_weight: w.clamp(0.0, 1.0),
                                pool,
                            },
                        ));
                    }
                }
            }
            "rrf" => {
                let ks = if args.rrf_k.is_empty() {
                    vec![60.0]
                } else {
                    args.rrf_k.clone()
                };
                for &pool in &pools {
                    for &k in &ks {
                        out.push((
                            format!("rrf k={k} pool={pool}"),
                            Fusion::Reciprocal { k, pool },
                        ));
                    }
                }
            }
            _ => {
                let (reranker, source) = match &args.reranker {
                    Some(path) => {
                        let text = std::fs::read_to_string(path)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                        let r = Reranker::from_json(&text)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                        (r, path.display().to_string())
                    }
                    None => (Reranker::shipped(), "shipped".to_string()),
                };
                let label = format!("learned ({source}) pool={}", reranker.pool);
                out.push((label, Fusion::Learned(reranker)));
            }
        }
    }
    Ok(out)
}

/// MAP@1 and MAP@5 of `store`'s search (as `sift factcheck match` runs it) and ms
/// per query.
fn score_split(
    store: &mut Store,
    queries: &Queries,
    vectors: Option<&[Vec<f32>]>,
) -> Result<(f64, f64, f64), String> {
    let started = Instant::now();
    let (mut total, mut total_1) = (0.0, 0.0);
    for (n, (_, text, gold)) in queries.iter().enumerate() {
        let vector = vectors.and_then(|v| v.get(n)).map(Vec::as_slice);
        let found = store
            .search_with(text, vector, 5)
            .map_err(|e| e.to_string())?;
        let ranked: Vec<String> = found.into_iter().map(|c| c.fact_check.id).collect();
        total += average_precision_at_5(&ranked, gold);
        total_1 += average_precision_at(&ranked, gold, 1);
    }
    let n = queries.len().max(1) as f64;
    let ms = started.elapsed().as_secs_f64() * 1000.0 / n;
    Ok((total_1 / n, total / n, ms))
}

/// Runs `job` with the store folder: `store` if given (kept), else a temporary one removed
/// afterwards; an error is printed on one line and is the exit status.
fn in_store(store: Option<&Path>, job: impl FnOnce(&Path) -> Result<(), String>) -> u8 {
    let dir = store.map(Path::to_path_buf).unwrap_or_else(|| {
        std::env::temp_dir().join(format!("sift-claim-matching-{}", std::process::id()))
    });
    let result = job(&dir);
    if store.is_none() {
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

pub fn eval(cmd: Eval) -> u8 {
    let Eval::ClaimMatching(args) = cmd;
    let Some(data) = sift_eval::shared_data_dir() else {
        eprintln!("sift: ../shared/data not found (set SIFT_SHARED_DATA)");
        return exit::ALL_INPUTS_FAILED;
    };
    let root = data.join(TASK);
    in_store(args.store.as_deref(), |dir| {
        let semantic = Semantic::load(args.embeddings.as_deref())?;
        let (mut store, claims) = open_store(&root, dir, &semantic)?;
        let fusions = if semantic.is_on() {
            fusions(&args)?
        } else {
            vec![("lexical".to_string(), store.fusion().clone())]
        };
        for split in &args.splits {
            let queries = load_split(&root, split)?;
            let (vectors, embed_ms) = embed_queries(&semantic, &queries, &cache_of(dir, split))?;
            let embedding = match (&vectors, embed_ms) {
                (None, _) => "no embeddings".to_string(),
                (Some(_), Some(ms)) => format!("{ms:.0} ms/query embedding"),
                (Some(_), None) => "query vectors cached".to_string(),
            };
            for (label, fusion) in &fusions {
                store.set_fusion(fusion.clone());
                let (map_1, map, ms) = score_split(&mut store, &queries, vectors.as_deref())?;
                println!(
                    "CheckThat 2020 task 2 {split:<5} MAP@5 {map:.3}  MAP@1 {map_1:.3}  [{label}]  ({} queries, {claims} claims, {ms:.2} ms/query matching, {embedding})",
                    queries.len()
                );
            }
        }
        Ok(())
    })
}

/// A train query's pools: with its fact-checks stored, and with them left out.
struct Example {
    fold: usize,
    gold: Vec<i64>,
    pool: Pool,
    without: Pool,
}

/// The fold of a query id (SplitMix64 of the seed and the id's bytes).
fn fold_of(seed: u64, id: &str, folds: usize) -> usize {
    let mut h = seed;
    for b in id.bytes() {
        h = h
            .wrapping_add(u64::from(b))
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        h ^= h >> 31;
    }
    (h % folds as u64) as usize
}

const FOLDS: usize = 5;

/// Rowids of a pool, best first by `reranker`.
fn ranked(reranker: &Reranker, pool: &Pool) -> Vec<(i64, f64)> {
    let mut scored = Fusion::Learned(reranker.clone()).score(pool);
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
}

fn fit(examples: &[&Example], features: &[String], l2: f64, pool: usize) -> Reranker {
    let mut x = Vec::new();
    let mut y = Vec::new();
    for e in examples {
        for c in &e.pool.candidates {
            x.push(fusion::values(features, &e.pool, c));
            y.push(e.gold.contains(&c.rowid));
        }
    }
    let (weights, bias) = fusion::fit_logistic(&x, &y, l2);
    Reranker {
        features: features.to_vec(),
        weights,
        bias,
        pool,
        min_score: 0.5,
        provenance: String::new(),
    }
}

/// The listing floor that best separates right top matches from wrong ones and
/// from the top matches of queries whose fact-check is not stored: `(floor,
/// precision, recall)` of the listed top matches.
fn choose_floor(right: &[f64], wrong: &[f64]) -> (f64, f64, f64) {
    let mut thresholds: Vec<f64> = right.iter().chain(wrong).copied().collect();
    thresholds.sort_by(f64::total_cmp);
    thresholds.dedup();
    let mut best = (0.5, 0.0, 0.0, usize::MAX);
    for &t in &thresholds {
        let missed = right.iter().filter(|&&s| s < t).count();
        let listed_wrong = wrong.iter().filter(|&&s| s >= t).count();
        let errors = missed + listed_wrong;
        if errors < best.3 {
            let listed_right = right.len() - missed;
            let precision = listed_right as f64 / (listed_right + listed_wrong).max(1) as f64;
            let recall = listed_right as f64 / right.len().max(1) as f64;
            best = (t, precision, recall, errors);
        }
    }
    ((best.0 * 1000.0).floor() / 1000.0, best.1, best.2)
}

/// The lowest listing floor whose listed top matches reach `min_precision` (the highest
/// score seen when none does): `(floor, precision, recall)`.
fn choose_precise_floor(right: &[f64], wrong: &[f64], min_precision: f64) -> (f64, f64, f64) {
    let mut thresholds: Vec<f64> = right.iter().chain(wrong).copied().collect();
    thresholds.sort_by(f64::total_cmp);
    thresholds.dedup();
    let at = |t: f64| {
        let listed_right = right.iter().filter(|&&s| s >= t).count();
        let listed_wrong = wrong.iter().filter(|&&s| s >= t).count();
        let precision = listed_right as f64 / (listed_right + listed_wrong).max(1) as f64;
        (
            t,
            precision,
            listed_right as f64 / right.len().max(1) as f64,
        )
    };
    let (floor, precision, recall) = thresholds
        .iter()
        .map(|&t| at(t))
        .find(|&(_, precision, _)| precision >= min_precision)
        .unwrap_or_else(|| at(thresholds.last().copied().unwrap_or(1.0)));
    ((floor * 1000.0).floor() / 1000.0, precision, recall)
}

fn write_dump(path: &Path, ids: &[String], examples: &[Example]) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        out,
        "query\tfold\texcluded\trelevant\trowid\tbm25\ttop_bm25\tdice\tlexical\tlexical_rank\tcosine\ttop_cosine\tsemantic_rank\tstems"
    )?;
    let rank = |r: Option<usize>| r.map_or(-1, |r| r as i64);
    for (id, e) in ids.iter().zip(examples) {
        for (excluded, pool) in [(0, &e.pool), (1, &e.without)] {
            for c in &pool.candidates {
                writeln!(
                    out,
                    "{id}\t{}\t{excluded}\t{}\t{}\t{:.6}\t{:.6}\t{:.6}\t{:.6}\t{}\t{:.6}\t{:.6}\t{}\t{}",
                    e.fold,
                    u8::from(e.gold.contains(&c.rowid)),
                    c.rowid,
                    c.bm25,
                    pool.top_bm25,
                    c.dice,
                    c.lexical,
                    rank(c.lexical_rank),
                    c.cosine,
                    pool.top_cosine,
                    rank(c.semantic_rank),
                    pool.stems
                )?;
            }
        }
    }
    out.flush()
}

pub fn train(cmd: Train) -> u8 {
    let Train::ClaimMatching(args) = cmd;
    let Some(data) = sift_eval::shared_data_dir() else {
        eprintln!("sift: ../shared/data not found (set SIFT_SHARED_DATA)");
        return exit::ALL_INPUTS_FAILED;
    };
    if let Some(f) = args
        .features
        .iter()
        .find(|f| !fusion::FEATURES.contains(&f.as_str()))
    {
        eprintln!(
            "sift: unknown feature `{f}` (known: {})",
            fusion::FEATURES.join(", ")
        );
        return exit::USAGE;
    }
    let root = data.join(TASK);
    let started = Instant::now();
    in_store(args.store.as_deref(), |dir| {
        let semantic = Semantic::load(Some(&args.embeddings))?;
        let (mut store, _) = open_store(&root, dir, &semantic)?;
        let queries = load_split(&root, "train")?;
        let (vectors, _) = embed_queries(&semantic, &queries, &cache_of(dir, "train"))?;
        let vectors = vectors.ok_or("the re-ranker needs embeddings")?;
        let mut examples = Vec::with_capacity(queries.len());
        for ((id, text, gold), vector) in queries.iter().zip(&vectors) {
            let mut rowids = Vec::new();
            for g in gold {
                rowids.extend(store.rowid_of(g).map_err(|e| e.to_string())?);
            }
            let pool = store
                .pool(text, vector, args.pool, &[])
                .map_err(|e| e.to_string())?;
            let without = store
                .pool(text, vector, args.pool, &rowids)
                .map_err(|e| e.to_string())?;
            examples.push(Example {
                fold: fold_of(args.seed, id, FOLDS),
                gold: rowids,
                pool,
                without,
            });
        }
        if let Some(path) = &args.dump {
            let ids: Vec<String> = queries.iter().map(|q| q.0.clone()).collect();
            write_dump(path, &ids, &examples).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        let (mut total, mut total_1, mut right, mut wrong) = (0.0, 0.0, Vec::new(), Vec::new());
        for fold in 0..FOLDS {
            let fitted: Vec<&Example> = examples.iter().filter(|e| e.fold != fold).collect();
            let reranker = fit(&fitted, &args.features, args.l2, args.pool);
            for e in examples.iter().filter(|e| e.fold == fold) {
                let found = ranked(&reranker, &e.pool);
                let ids: Vec<String> = found.iter().take(5).map(|c| c.0.to_string()).collect();
                let gold: Vec<String> = e.gold.iter().map(i64::to_string).collect();
                total += average_precision_at_5(&ids, &gold);
                total_1 += average_precision_at(&ids, &gold, 1);
                if let Some(&(rowid, score)) = found.first() {
                    if e.gold.contains(&rowid) {
                        right.push(score);
                    } else {
                        wrong.push(score);
                    }
                }
                wrong.extend(ranked(&reranker, &e.without).first().map(|c| c.1));
            }
        }
        let map = total / examples.len().max(1) as f64;
        let map_1 = total_1 / examples.len().max(1) as f64;
        let (floor, precision, recall) = match args.min_precision {
            Some(p) => choose_precise_floor(&right, &wrong, p),
            None => choose_floor(&right, &wrong),
        };
        let all: Vec<&Example> = examples.iter().collect();
        let mut reranker = fit(&all, &args.features, args.l2, args.pool);
        reranker.min_score = floor;
        reranker.provenance = format!(
            "sift train claim-matching --pool {} --l2 {} --seed {} --features {}{}: CheckThat! 2020 task 2 train ({} queries, {} verified claims, multilingual-e5-small); {FOLDS}-fold CV MAP@5 {map:.3} (MAP@1 {map_1:.3}); floor {floor} from out-of-fold top matches (with and without the query's fact-check stored): precision {precision:.3}, recall {recall:.3}",
            args.pool,
            args.l2,
            args.seed,
            args.features.join(","),
            args.min_precision
                .map_or(String::new(), |p| format!(" --min-precision {p}")),
            examples.len(),
            store.len().map_err(|e| e.to_string())?,
        );
        let json = serde_json::to_string_pretty(&reranker).map_err(|e| e.to_string())?;
        std::fs::write(&args.out, json + "\n")
            .map_err(|e| format!("{}: {e}", args.out.display()))?;
        println!(
            "{FOLDS}-fold CV, train   MAP@5 {map:.3}  MAP@1 {map_1:.3}  ({} queries)",
            examples.len()
        );
        println!(
            "listing floor {floor} (out-of-fold top matches: precision {precision:.3}, recall {recall:.3})"
        );
        for (f, w) in reranker.features.iter().zip(&reranker.weights) {
            println!("  {f:<14} {w:+.4}");
        }
        println!("  {:<14} {:+.4}", "bias", reranker.bias);
        println!(
            "trained in {:.0}s; wrote {}",
            started.elapsed().as_secs_f64(),
            args.out.display()
        );
        Ok(())
    })
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

    #[test]
    fn a_precise_floor_is_the_lowest_that_reaches_the_precision() {
        let right = [0.9, 0.8, 0.7, 0.6];
        let wrong = [0.85, 0.65, 0.5];
        // At 0.7: 3 right, 1 wrong listed (0.75); at 0.86: only 0.9, precision 1.
        let (floor, precision, recall) = choose_precise_floor(&right, &wrong, 0.75);
        assert_eq!((floor, precision, recall), (0.7, 0.75, 0.75));
        let (floor, precision, _) = choose_precise_floor(&right, &wrong, 0.95);
        assert_eq!((floor, precision), (0.9, 1.0));
    }

    #[test]
    fn the_floor_separates_right_from_wrong() {
        let (floor, precision, recall) = choose_floor(&[0.8, 0.9, 0.7], &[0.2, 0.3, 0.75]);
        assert!(floor > 0.3 && floor <= 0.7, "{floor}");
        assert!(precision >= 0.75 && recall == 1.0);
    }

    #[test]
    fn folds_are_stable_and_spread() {
        let folds: Vec<usize> = (0..100).map(|i| fold_of(7, &format!("q{i}"), 5)).collect();
        assert_eq!(
            folds,
            (0..100)
                .map(|i| fold_of(7, &format!("q{i}"), 5))
                .collect::<Vec<_>>()
        );
        assert!((0..5).all(|f| folds.iter().filter(|&&x| x == f).count() >= 10));
    }
}
