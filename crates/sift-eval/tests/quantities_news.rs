//! The hand-annotated news sets through the shipped quantities layer: the figures
//! must not fall below what was measured when the set was built (docs/benchmarks.md),
//! less a small margin. Skips when ../shared/data is absent.

use sift_eval::quantities_news::{score_news, GOLD_EN, GOLD_RU};

/// Measured figures (value F1, value+unit F1; docs/benchmarks.md) and the allowed drop.
const EN_FLOOR: (f64, f64) = (0.973, 0.962);
const RU_FLOOR: (f64, f64) = (0.987, 0.973);
const MARGIN: f64 = 0.01;

fn check(name: &str, gold: &str, floor: (f64, f64)) {
    let Some(root) = sift_eval::shared_data_dir() else {
        eprintln!("skipping {name}: ../shared/data not found (set SIFT_SHARED_DATA)");
        return;
    };
    let s = score_news(name, gold, &root).unwrap();
    let errors = s.errors.len();
    for e in s.errors.iter().take(400) {
        eprintln!("{e}");
    }
    let (v, vu) = (s.score.value.f1(), s.score.value_unit.f1());
    eprintln!(
        "{name}: {} articles, {} gold, value P {:.3} R {:.3} F1 {v:.3}, value+unit P {:.3} R {:.3} F1 {vu:.3}, {errors} error lines",
        s.score.cases,
        s.score.gold,
        s.score.value.precision(),
        s.score.value.recall(),
        s.score.value_unit.precision(),
        s.score.value_unit.recall(),
    );
    assert!(
        v >= floor.0 - MARGIN,
        "{name} value F1 {v:.3} fell below {:.3}",
        floor.0
    );
    assert!(
        vu >= floor.1 - MARGIN,
        "{name} value+unit F1 {vu:.3} fell below {:.3}",
        floor.1
    );
}

#[test]
fn english_news_quantities() {
    check("news EN", GOLD_EN, EN_FLOOR);
}

#[test]
fn russian_news_quantities() {
    check("news RU", GOLD_RU, RU_FLOOR);
}
