//! The shape the architecture keeps (ARCHITECTURE.md): small files, a small public
//! API, word lists as data, nothing embedded from outside the crate, short docs.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name == "target" || name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, out);
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

fn line_count(path: &Path) -> usize {
    fs::read_to_string(path).unwrap().lines().count()
}

#[test]
fn no_source_file_over_1000_lines() {
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter(|f| line_count(f) > 1000)
        .map(|f| format!("{} ({} lines)", f.display(), line_count(f)))
        .collect();
    assert!(long.is_empty(), "split these by concept: {long:?}");
}

#[test]
fn at_most_four_public_modules() {
    // input, render, batch (the many-documents entry point) and train (behind a feature).
    let lib = fs::read_to_string(root().join("crates/sift/src/lib.rs")).unwrap();
    let public = lib.lines().filter(|l| l.starts_with("pub mod ")).count();
    assert!(public <= 4, "{public} `pub mod` in lib.rs");
}

#[test]
fn word_lists_are_data() {
    let n = fs::read_dir(root().join("crates/sift/lexicon"))
        .unwrap()
        .count();
    assert!(n >= 8, "{n} lexicon files");
}

#[test]
fn nothing_is_embedded_from_outside_its_crate() {
    let crates = root().join("crates");
    let mut files = Vec::new();
    rust_files(&crates, &mut files);
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let crate_dir = file
            .strip_prefix(&crates)
            .unwrap()
            .components()
            .next()
            .unwrap();
        let crate_root = crates.join(crate_dir).canonicalize().unwrap();
        for (n, line) in text.lines().enumerate() {
            for mac in ["include_bytes!(\"", "include_str!(\""] {
                if let Some(i) = line.find(mac) {
                    let rest = &line[i + mac.len()..];
                    let rel = &rest[..rest.find('"').unwrap()];
                    let target = file.parent().unwrap().join(rel);
                    let target = target.canonicalize().unwrap_or(target);
                    assert!(
                        target.starts_with(&crate_root),
                        "{}:{}: embeds {rel}, outside its crate",
                        file.display(),
                        n + 1
                    );
                }
            }
        }
    }
}

#[test]
fn docs_stay_short() {
    assert!(line_count(&root().join("ARCHITECTURE.md")) <= 250);
    assert!(line_count(&root().join("docs/benchmarks.md")) <= 400);
}
