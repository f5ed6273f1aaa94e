//! The consistency test set: short articles of our own (English and Russian),
//! about half of them consistent controls with near-miss traps. Each file starts
//! with `expect: <codes…>` or `expect: none`, then a blank line, then the article.

use std::collections::BTreeSet;
use std::path::PathBuf;

use sift::Document;
use sift::Pipeline;

fn set_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/consistency")
}

fn inconsistency_codes(text: &str) -> BTreeSet<String> {
    let doc = Document::from_text(text);
    Pipeline::only(&["quantities", "consistency"])
        .unwrap()
        .analyze(&doc)
        .findings
        .into_iter()
        .filter(|f| f.kind == "inconsistency")
        .map(|f| f.code.to_string())
        .collect()
}

fn load() -> Vec<(String, BTreeSet<String>, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(set_dir()).expect("test set directory") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let raw = std::fs::read_to_string(&path).expect("read");
        let (header, body) = raw.split_once("\n\n").expect("header, blank line, body");
        let codes = header
            .strip_prefix("expect:")
            .expect("expect: header")
            .split_whitespace()
            .filter(|c| *c != "none")
            .map(str::to_string)
            .collect();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        out.push((name, codes, body.to_string()));
    }
    out.sort();
    out
}

#[test]
fn the_set_is_big_enough_and_balanced() {
    let set = load();
    assert!(set.len() >= 40, "only {} articles", set.len());
    let clean = set.iter().filter(|(_, c, _)| c.is_empty()).count();
    assert!(
        clean * 10 >= set.len() * 4 && clean * 10 <= set.len() * 6,
        "{clean} controls of {}",
        set.len()
    );
    let russian = set.iter().filter(|(n, _, _)| n.starts_with("ru-")).count();
    assert!(russian * 3 >= set.len(), "{russian} Russian articles");
}

#[test]
fn controls_stay_clean() {
    let mut noisy = Vec::new();
    for (name, expected, body) in load() {
        if expected.is_empty() {
            let got = inconsistency_codes(&body);
            if !got.is_empty() {
                noisy.push(format!("{name}: {got:?}"));
            }
        }
    }
    assert!(noisy.is_empty(), "controls with findings: {noisy:#?}");
}

#[test]
fn inconsistent_articles_are_caught_with_the_right_code() {
    let mut wrong = Vec::new();
    for (name, expected, body) in load() {
        if !expected.is_empty() {
            let got = inconsistency_codes(&body);
            if got != expected {
                wrong.push(format!("{name}: expected {expected:?}, got {got:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn burevestnik_report_yields_the_implied_speed_finding() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/articles/burevestnik-test-report.txt");
    let path = std::env::var_os("SIFT_SHARED_DATA")
        .map(|d| PathBuf::from(d).join("articles/burevestnik-test-report.txt"))
        .unwrap_or(path);
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: ../shared/data not found");
        return;
    };
    let (report, quoted, computation) = implied_speed(&text);
    for needle in ["14,000 kilometers", "15 hours", "hypersonic"] {
        assert!(quoted.contains(needle), "{needle} not in {quoted:?}");
    }
    assert!(
        computation.starts_with(
            "14,000 km / 15 h = 933 km/h ≈ Mach 0.76; 'hypersonic' means ≥ Mach 5 ≈ 6,100 km/h"
        ),
        "{computation}"
    );
    let inconsistencies = report
        .findings
        .iter()
        .filter(|f| f.kind == "inconsistency")
        .count();
    assert_eq!(inconsistencies, 1, "{:#?}", report.findings);
}

/// The two examples that ship with the repository (the README runs the first): each
/// reports its trip as far too slow for the speed word, with the figures and the arithmetic.
#[test]
fn shipped_examples_show_the_implied_speed_arithmetic() {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for (file, distance, duration, word, average) in [
        (
            "missile-test.txt",
            "9,000 kilometres",
            "12 hours",
            "hypersonic",
            "750 km/h",
        ),
        (
            "zapusk.txt",
            "9 000 километров",
            "12 часов",
            "гиперзвуковым",
            "750 km/h",
        ),
    ] {
        let text = std::fs::read_to_string(examples.join(file)).expect("example");
        let (_, evidence, computation) = implied_speed(&text);
        let expected = [distance, duration, word].map(str::to_string);
        assert_eq!(evidence, BTreeSet::from(expected), "{file}");
        assert!(computation.contains(average), "{file}: {computation}");
    }
}

/// The report, the evidence texts and the computation of the first implied-speed finding.
fn implied_speed(text: &str) -> (sift::Report, BTreeSet<String>, String) {
    let doc = Document::from_text(text);
    let report = Pipeline::default().analyze(&doc);
    let finding = report
        .findings
        .iter()
        .find(|f| f.code == "implied-speed")
        .expect("an implied-speed finding");
    let evidence = finding
        .evidence
        .iter()
        .map(|e| doc.slice(*e).to_string())
        .collect();
    let computation = finding.computation.clone().unwrap_or_default();
    (report, evidence, computation)
}
