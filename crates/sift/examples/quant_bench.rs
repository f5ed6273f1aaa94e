//! Throughput of the quantities + consistency layers on a folder of articles:
//! `cargo run --release -p sift --example quant_bench -- ../shared/data/ptc/train/articles [ROUNDS]`.
mod common;

use std::time::Instant;

use sift::train::{consistency, quantities};
use sift::Document;

fn main() {
    let (texts, rounds) = common::articles_and_rounds();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let docs: Vec<Document> = texts.iter().map(|t| Document::from_text(t)).collect();
    let mut build_s = f64::MAX;
    let mut layer_s = f64::MAX;
    let mut n_q = 0;
    let mut n_f = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let rebuilt: Vec<Document> = texts.iter().map(|t| Document::from_text(t)).collect();
        build_s = build_s.min(t.elapsed().as_secs_f64());
        drop(rebuilt);
        let t = Instant::now();
        n_q = 0;
        n_f = 0;
        for d in &docs {
            let qs = quantities::extract(d);
            let fs = consistency::check(d, &qs, None);
            n_q += qs.len();
            n_f += fs.len();
        }
        layer_s = layer_s.min(t.elapsed().as_secs_f64());
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "{} articles, {:.2} MB, {} quantities, {} findings",
        texts.len(),
        mb,
        n_q,
        n_f
    );
    println!(
        "Document::build            {:>8.1} MB/s ({:.3} s)",
        mb / build_s,
        build_s
    );
    println!(
        "quantities + consistency   {:>8.1} MB/s ({:.3} s)",
        mb / layer_s,
        layer_s
    );
    let t = Instant::now();
    let all: Vec<_> = docs.iter().map(quantities::extract).collect();
    let ex = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for (d, qs) in docs.iter().zip(&all) {
        consistency::check(d, qs, None);
    }
    let ck = t.elapsed().as_secs_f64();
    println!("  of which extract {ex:.3} s, consistency {ck:.3} s");
    println!(
        "build + both layers        {:>8.1} MB/s",
        mb / (build_s + layer_s)
    );
}
