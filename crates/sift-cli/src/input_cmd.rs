//! `sift eval extraction`: score HTML extractors on the Article Extraction
//! Benchmark with its own metric, and time them on one core.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand};
use sift_eval::extraction::{self, Extractor, PageMatch};

use crate::exit;

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// HTML article extraction on ../shared/data/extraction/aeb (181 pages):
    /// 4-word-shingle precision and recall averaged over pages, F1 from the
    /// averages; pages/s on one thread, peak RSS of the process.
    Extraction(ExtractionArgs),
}

#[derive(Args, Debug)]
pub struct ExtractionArgs {
    /// Extractor(s) to run: sift, rs-trafilatura, trafilatura, dom-smoothie, or
    /// all (the peers need a build with `--features compare-extractors`).
    #[arg(long, short, default_value = "sift")]
    pub extractor: Vec<String>,
    /// Score a predictions file (`{"id": {"articleBody": ...}}`, .json or .json.gz)
    /// instead of running an extractor.
    #[arg(long)]
    pub predictions: Vec<PathBuf>,
    /// The AEB folder (default: ../shared/data/extraction/aeb).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Print each page's precision and recall.
    #[arg(long)]
    pub per_page: bool,
}

pub fn eval(cmd: Eval) -> u8 {
    match cmd {
        Eval::Extraction(args) => eval_extraction(args),
    }
}

/// The peak resident set size of this process, from /proc (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn print_row(name: &str, s: &extraction::Scores, pages_per_s: Option<f64>) {
    let speed = pages_per_s.map_or("-".to_string(), |p| format!("{p:.1}"));
    println!(
        "{name:<16} {:>9.3} {:>7.3} {:>6.3} {:>9} {:>6}",
        s.precision, s.recall, s.f1, speed, s.pages
    );
}

fn eval_extraction(args: ExtractionArgs) -> u8 {
    let dir = match args
        .data
        .clone()
        .or_else(|| sift_eval::shared_data_dir().map(|d| d.join(extraction::AEB_DIR)))
    {
        Some(d) => d,
        None => {
            eprintln!("sift: ../shared/data not found (set SIFT_SHARED_DATA or pass --data)");
            return exit::ALL_INPUTS_FAILED;
        }
    };
    let pages = match extraction::load_aeb(&dir) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("sift: cannot load the benchmark: {e}");
            return exit::ALL_INPUTS_FAILED;
        }
    };
    let mut extractors = Vec::new();
    for name in &args.extractor {
        if name == "all" {
            extractors.extend(Extractor::available());
        } else if let Some(e) = Extractor::from_name(name) {
            extractors.push(e);
        } else {
            eprintln!("sift: unknown extractor {name:?}");
            return exit::USAGE;
        }
    }
    if !args.predictions.is_empty() && args.extractor == ["sift"] {
        extractors.clear();
    }

    println!(
        "AEB: {} pages from {}\n{:<16} {:>9} {:>7} {:>6} {:>9} {:>6}",
        pages.len(),
        dir.display(),
        "system",
        "precision",
        "recall",
        "F1",
        "pages/s",
        "pages"
    );
    for path in &args.predictions {
        let predicted = match extraction::load_predictions(path) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("sift: {e}");
                return exit::ALL_INPUTS_FAILED;
            }
        };
        let matches: Vec<PageMatch> = pages
            .iter()
            .map(|p| {
                let pred = predicted.get(&p.id).map_or("", String::as_str);
                extraction::match_page(&p.truth, pred)
            })
            .collect();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        print_row(&name, &extraction::score(&matches), None);
    }
    for extractor in extractors {
        // Decoding is the same for every extractor and is not timed.
        let htmls: Vec<String> = pages
            .iter()
            .map(|p| match sift::input::decode_html_bytes(&p.html) {
                Ok(d) => d.text,
                Err(_) => String::from_utf8_lossy(&p.html).into_owned(),
            })
            .collect();
        let mut matches = Vec::with_capacity(pages.len());
        let mut elapsed = 0.0;
        for (page, html) in pages.iter().zip(&htmls) {
            let start = Instant::now();
            let text = match extractor.extract(html, page.url.as_deref()) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("sift: {e}");
                    return exit::USAGE;
                }
            };
            elapsed += start.elapsed().as_secs_f64();
            let m = extraction::match_page(&page.truth, &text);
            if args.per_page {
                eprintln!(
                    "{} {} P={:.3} R={:.3}",
                    extractor.name(),
                    page.id,
                    m.precision().unwrap_or(f64::NAN),
                    m.recall().unwrap_or(f64::NAN)
                );
            }
            matches.push(m);
        }
        print_row(
            extractor.name(),
            &extraction::score(&matches),
            Some(pages.len() as f64 / elapsed),
        );
    }
    if let Some(rss) = peak_rss_mib() {
        println!("peak RSS of this process: {rss:.0} MiB");
    }
    exit::OK
}
