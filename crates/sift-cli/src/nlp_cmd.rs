//! `sift eval sentences` and `sift bench`: the document model's evaluation and speed.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand};
use serde_json::json;
use sift::{Document, LanguageHint, Pipeline, RawDocument};
use sift_eval::sentences::{self, Method};

use crate::exit;

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// Sentence-boundary precision/recall/F1 on the PTC articles (one sentence
    /// per line there): each paragraph's lines are joined with a space, split
    /// by each method, and boundaries compared with the line starts.
    Sentences(SentencesArgs),
    /// Entity mention precision/recall/F1 on sift's own hand-annotated
    /// articles (crates/sift/tests/data/entities; written for sift, small).
    Entities(EntitiesArgs),
}

#[derive(Args, Debug)]
pub struct EntitiesArgs {
    /// Directory of `NAME.txt` + `NAME.expected` pairs.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Print every missed and spurious mention.
    #[arg(long)]
    pub verbose: bool,
}

#[derive(Args, Debug)]
pub struct SentencesArgs {
    /// Directory of PTC-style articles (default: ../shared/data/ptc/train/articles).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also print up to N missed and N spurious boundaries of sift's splitter, in context.
    #[arg(long, default_value_t = 0)]
    pub show_errors: usize,
}

pub fn eval(cmd: Eval) -> u8 {
    match cmd {
        Eval::Sentences(args) => eval_sentences(args),
        Eval::Entities(args) => eval_entities(args),
    }
}

fn eval_entities(args: EntitiesArgs) -> u8 {
    use sift_eval::entities::{parse_expected, score, EntityScores};
    let dir = args.dir.unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sift/tests/data/entities")
    });
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("sift: {}: cannot read directory", dir.display());
        return exit::ALL_INPUTS_FAILED;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "expected"))
        .collect();
    files.sort();
    let mut total = EntityScores::default();
    println!(
        "{:28} {:>5} {:>5} {:>5} {:>9} {:>7} {:>7} {:>10} {:>6}",
        "file", "gold", "pred", "match", "precision", "recall", "F1", "canonical", "role"
    );
    for expected_path in files {
        let text_path = expected_path.with_extension("txt");
        let (Ok(expected), Ok(text)) = (
            std::fs::read_to_string(&expected_path),
            std::fs::read_to_string(&text_path),
        ) else {
            eprintln!("sift: {}: missing its .txt", expected_path.display());
            continue;
        };
        let expected = parse_expected(&expected);
        let report = sift::analyze_text(&text);
        let s = score(&expected, &report.entities);
        if args.verbose {
            for e in &report.entities {
                let kind = serde_json::to_value(e.kind).unwrap_or_default();
                let hit = expected
                    .iter()
                    .any(|x| x.text == e.text && kind.as_str() == Some(x.kind.as_str()));
                if !hit {
                    println!("  spurious {} {:?}", kind, e.text);
                }
            }
            for x in &expected {
                let hit = report.entities.iter().any(|e| {
                    e.text == x.text
                        && serde_json::to_value(e.kind).unwrap_or_default().as_str()
                            == Some(x.kind.as_str())
                });
                if !hit {
                    println!("  missed   {} {:?}", x.kind, x.text);
                }
            }
        }
        let name = expected_path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        print_entity_row(&name, &s);
        total.add(s);
    }
    print_entity_row("all", &total);
    exit::OK
}

fn print_entity_row(name: &str, s: &sift_eval::entities::EntityScores) {
    println!(
        "{:28} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>7.3} {:>10} {:>6}",
        name,
        s.expected,
        s.predicted,
        s.matched,
        s.precision(),
        s.recall(),
        s.f1(),
        format!("{}/{}", s.canonical_correct, s.matched),
        format!("{}/{}", s.role_correct, s.matched)
    );
}

fn default_dir(rel: &str) -> Option<PathBuf> {
    sift_eval::shared_data_dir().map(|d| d.join(rel))
}

fn eval_sentences(args: SentencesArgs) -> u8 {
    let Some(dir) = args
        .dir
        .or_else(|| default_dir("ptc/train/articles"))
        .filter(|d| d.is_dir())
    else {
        eprintln!("sift: PTC articles not found (give --dir or set SIFT_SHARED_DATA)");
        return exit::ALL_INPUTS_FAILED;
    };
    let paragraphs = match sentences::load_ptc(&dir) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("sift: {}: {e}", dir.display());
            return exit::ALL_INPUTS_FAILED;
        }
    };
    let gold: usize = paragraphs.iter().map(|p| p.gold.len()).sum();
    let results: Vec<_> = Method::ALL
        .iter()
        .map(|&m| sentences::evaluate(m, &paragraphs))
        .collect();
    if args.json {
        let out = json!({
            "corpus": dir.display().to_string(),
            "paragraphs": paragraphs.len(),
            "gold_boundaries": gold,
            "methods": results,
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        println!(
            "{} — {} paragraphs, {} gold boundaries (lines joined with a space)",
            dir.display(),
            paragraphs.len(),
            gold
        );
        println!(
            "{:22} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7} {:>9}",
            "method", "precision", "recall", "F1", "TP", "FP", "FN", "MB/s"
        );
        for r in &results {
            println!(
                "{:22} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>7} {:>7} {:>9.1}",
                r.method,
                r.precision,
                r.recall,
                r.f1,
                r.counts.true_positives,
                r.counts.false_positives,
                r.counts.false_negatives,
                r.mb_per_s
            );
        }
    }
    let case_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sift/tests/data/sentences");
    let mut case_rows = Vec::new();
    for lang in ["en", "ru"] {
        if let Ok(file) = std::fs::read_to_string(case_dir.join(format!("{lang}.txt"))) {
            let cases = sentences::parse_cases(&file);
            for m in Method::ALL {
                let passed = sentences::cases_passed(m, &cases, lang);
                case_rows.push((lang, m.name(), passed, cases.len()));
            }
        }
    }
    if args.json {
        let rows: Vec<_> = case_rows
            .iter()
            .map(|(l, m, p, n)| json!({"lang": l, "method": m, "passed": p, "cases": n}))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({"hand_made_cases": rows})).unwrap_or_default()
        );
    } else if !case_rows.is_empty() {
        println!("\nhand-made cases (crates/sift/tests/data/sentences), exact split:");
        for (lang, method, passed, n) in &case_rows {
            println!("  {lang}  {method:22} {passed:>3} / {n}");
        }
    }
    if args.show_errors > 0 {
        show_errors(&paragraphs, args.show_errors);
    }
    exit::OK
}

fn show_errors(paragraphs: &[sentences::Paragraph], limit: usize) {
    let (mut missed, mut spurious) = (Vec::new(), Vec::new());
    for p in paragraphs {
        let predicted = Method::Sift.boundaries(&p.text);
        let chars: Vec<char> = p.text.chars().collect();
        let context = |at: usize| {
            let lo = at.saturating_sub(50);
            let hi = (at + 30).min(chars.len());
            let left: String = chars[lo..at].iter().collect();
            let right: String = chars[at..hi].iter().collect();
            format!("{left}‖{right}")
        };
        for g in &p.gold {
            if !predicted.contains(g) && missed.len() < limit {
                missed.push(context(*g));
            }
        }
        for q in &predicted {
            if !p.gold.contains(q) && spurious.len() < limit {
                spurious.push(context(*q));
            }
        }
    }
    println!("\nmissed boundaries (‖ marks the gold boundary):");
    for m in missed {
        println!("  {m}");
    }
    println!("\nspurious boundaries (‖ marks sift's boundary):");
    for s in spurious {
        println!("  {s}");
    }
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Extra files or directories to include (default: ../shared/data/ptc/train/articles).
    pub paths: Vec<PathBuf>,
    /// Bench only the document model (normalise, segment, language), no analysers.
    #[arg(long)]
    pub layers: bool,
    /// Timed repetitions over the whole corpus (after one untimed warm-up pass).
    #[arg(long, default_value_t = 5)]
    pub reps: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Leave a layer out (repeatable), with the layers that read it: `--without
    /// techniques` measures the pipeline an attribution-only user runs. Layers:
    /// entities, quantities, consistency, attribution, techniques, claims.
    #[arg(long, value_name = "LAYER")]
    pub without: Vec<String>,
    /// Instead of a corpus, run generated worst-case inputs (deep HTML, long
    /// lines, many quantities and quotes, pathological Unicode) once each and
    /// print each one's time and peak memory.
    #[arg(long)]
    pub worst_case: bool,
    /// Also compute the syntax of every document (tagging, lemmas, parsing; timed as
    /// `syntax`), as a pipeline whose layers read `Document::syntax` would.
    #[arg(long)]
    pub syntax: bool,
}

/// Peak resident set size of this process in KiB (`VmHWM`), Linux only.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// CPU time (user + system) this process has used, in seconds, from
/// `/proc/self/stat` (clock ticks, assumed 100 per second as on Linux).
/// On a busy machine wall time overstates the cost; CPU time is per core.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn load_corpus(paths: &[PathBuf]) -> (Vec<RawDocument>, usize) {
    let mut docs = Vec::new();
    let mut failed = 0;
    for p in sift::input::expand_paths(paths) {
        match p {
            Ok(path) => {
                for r in sift::input::read_path(&path) {
                    match r {
                        Ok(d) => docs.push(d),
                        Err(_) => failed += 1,
                    }
                }
            }
            Err(_) => failed += 1,
        }
    }
    (docs, failed)
}

pub fn bench(args: BenchArgs) -> u8 {
    if args.worst_case {
        return crate::worst_case::run(args.json);
    }
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        match default_dir("ptc/train/articles").filter(|d| d.is_dir()) {
            Some(d) => paths.push(d),
            None => {
                eprintln!("sift: no input (give a path or make ../shared/data available)");
                return exit::ALL_INPUTS_FAILED;
            }
        }
    }
    let (docs, failed) = load_corpus(&paths);
    if docs.is_empty() {
        eprintln!("sift: no document could be read from the given paths");
        return exit::ALL_INPUTS_FAILED;
    }
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    let pipeline = match Pipeline::without(&args.without) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("sift: {e}");
            return exit::USAGE;
        }
    };
    let reps = args.reps.max(1);

    let mut layer_ms = std::collections::BTreeMap::<String, f64>::new();
    let mut rep_secs = Vec::with_capacity(reps);
    let mut rep_cpu = Vec::with_capacity(reps);
    let mut checksum = 0usize;
    for rep in 0..=reps {
        let timed = rep > 0;
        let t = Instant::now();
        let cpu0 = cpu_seconds();
        for raw in &docs {
            let t_doc = Instant::now();
            let doc = Document::build(raw.clone(), LanguageHint::Auto);
            let doc_ms = t_doc.elapsed().as_secs_f64() * 1e3;
            checksum += doc.sentences.len();
            if timed {
                *layer_ms.entry("document".into()).or_default() += doc_ms;
            }
            if args.syntax {
                let t_syntax = Instant::now();
                checksum += doc.syntax().words.len();
                if timed {
                    *layer_ms.entry("syntax".into()).or_default() +=
                        t_syntax.elapsed().as_secs_f64() * 1e3;
                }
            }
            if !args.layers {
                let report = pipeline.analyze(&doc);
                checksum += report.entities.len();
                if timed {
                    for (k, v) in &report.timing_ms {
                        *layer_ms.entry(k.clone()).or_default() += v;
                    }
                }
            }
        }
        if timed {
            rep_secs.push(t.elapsed().as_secs_f64());
            if let (Some(a), Some(b)) = (cpu0, cpu_seconds()) {
                rep_cpu.push(b - a);
            }
        }
    }
    rep_secs.sort_by(f64::total_cmp);
    let median = rep_secs[rep_secs.len() / 2];
    let best = rep_secs[0];
    rep_cpu.sort_by(f64::total_cmp);
    let cpu_median = rep_cpu.get(rep_cpu.len() / 2).copied();
    let mb_s_cpu = cpu_median.map(|c| bytes as f64 / 1e6 / c.max(0.01));
    let mb_s = bytes as f64 / 1e6 / median;
    let docs_s = docs.len() as f64 / median;
    let words_s = words as f64 / median;
    let rss = peak_rss_kib();
    for v in layer_ms.values_mut() {
        *v /= reps as f64;
    }
    let what = if args.layers {
        "document model (normalise + segment + language)".to_string()
    } else if args.without.is_empty() {
        "full pipeline (document model + analysers)".to_string()
    } else {
        format!(
            "pipeline without {} (document model + the other analysers)",
            args.without.join(", ")
        )
    };
    if args.json {
        let out = json!({
            "what": what,
            "documents": docs.len(),
            "failed_inputs": failed,
            "bytes": bytes,
            "words": words,
            "reps": reps,
            "median_s": median,
            "best_s": best,
            "mb_per_s_wall": mb_s,
            "cpu_s_median": cpu_median,
            "mb_per_s_per_core_cpu": mb_s_cpu,
            "docs_per_s": docs_s,
            "words_per_s": words_s,
            "peak_rss_kib": rss,
            "layer_ms_per_pass": layer_ms,
            "checksum": checksum,
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        println!("{what}, one thread");
        println!(
            "corpus: {} documents, {:.2} MB, {} words ({} inputs failed)",
            docs.len(),
            bytes as f64 / 1e6,
            words,
            failed
        );
        println!("passes: 1 warm-up + {reps} timed; median {median:.3} s, best {best:.3} s");
        println!("{:24} {:>12}", "MB/s (wall clock)", format!("{mb_s:.2}"));
        if let (Some(c), Some(m)) = (cpu_median, mb_s_cpu) {
            println!(
                "{:24} {:>12}   (median CPU {c:.2} s per pass)",
                "MB/s per core (CPU time)",
                format!("{m:.2}")
            );
        }
        println!("{:24} {:>12}", "documents/s", format!("{docs_s:.0}"));
        println!("{:24} {:>12}", "words/s", format!("{words_s:.0}"));
        match rss {
            Some(kib) => println!(
                "{:24} {:>12}",
                "peak RSS (VmHWM)",
                format!("{:.1} MiB", kib as f64 / 1024.0)
            ),
            None => println!("{:24} {:>12}", "peak RSS (VmHWM)", "n/a"),
        }
        println!("per layer, ms per pass over the corpus:");
        for (k, v) in &layer_ms {
            println!("  {k:22} {v:>10.1}");
        }
    }
    exit::OK
}
