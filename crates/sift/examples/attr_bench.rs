//! Throughput of the attribution layer and its parts on a folder of articles:
//! `cargo run --release -p sift --example attr_bench -- ../shared/data/ptc/train/articles [ROUNDS]`.
//! Best of ROUNDS wall-clock passes (the entity layer runs once, outside the timing).
mod common;

use std::time::Instant;

use sift::train::attribution::{self, crf, rules};
use sift::Document;

fn best(rounds: usize, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        n = f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, n)
}

fn main() {
    let (texts, rounds) = common::articles_and_rounds();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let docs: Vec<Document> = texts.iter().map(|t| Document::from_text(t)).collect();
    let pipeline = sift::Pipeline::only(&["entities"]).unwrap();
    let reports: Vec<sift::Report> = docs.iter().map(|d| pipeline.analyze(d)).collect();
    let model = crf::embedded().expect("embedded model");
    let mb = bytes as f64 / 1e6;
    // `ATTR_BENCH_ONLY=analyze` (a substring of the part's name) times one part, for profiling.
    let only = std::env::var("ATTR_BENCH_ONLY").unwrap_or_default();
    let wanted = |name: &str| name.contains(only.as_str());
    let show = |name: &str, (s, n): (f64, usize)| {
        println!(
            "{name:28} {:8.1} ms  {:7.1} MB/s  (n = {n})",
            s * 1e3,
            mb / s
        );
    };
    if wanted("attribution::analyze") {
        show(
            "attribution::analyze",
            best(rounds, || {
                docs.iter()
                    .zip(&reports)
                    .map(|(d, r)| attribution::analyze(d, r).attributions.len())
                    .sum()
            }),
        );
    }
    if wanted("rules::Tokens::new") {
        show(
            "rules::Tokens::new",
            best(rounds, || {
                docs.iter().map(|d| rules::Tokens::new(d).lower.len()).sum()
            }),
        );
    }
    if wanted("Tokens + rules::find") {
        show(
            "Tokens + rules::find",
            best(rounds, || {
                docs.iter()
                    .map(|d| rules::find(&rules::Tokens::new(d)).len())
                    .sum()
            }),
        );
    }
    if wanted("tagger, every sentence") {
        show(
            "tagger, every sentence",
            best(rounds, || {
                let mut n = 0;
                for d in &docs {
                    for s in &d.sentences {
                        let seq = crf::Sequence::from_doc(d, *s);
                        n += model.tag(&seq).len();
                    }
                }
                n
            }),
        );
    }
}
