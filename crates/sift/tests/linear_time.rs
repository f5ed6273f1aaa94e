//! Issue 13: shapes that were quadratic in the whole pipeline (many quotes, many
//! technique cues, one long sentence of cues, many named speakers, many speeds) must
//! grow linearly. Each shape is analysed at 1× and 4×; the larger may take at most 8×
//! as long (linear is ≈ 4×; the quadratic passes made it 12× and more). Times are
//! the best of two runs, so a busy machine inflates both sizes alike.

use std::time::{Duration, Instant};

use sift::{Document, Pipeline};

fn best_of_two(pipeline: &Pipeline, text: &str) -> Duration {
    (0..2)
        .map(|_| {
            let started = Instant::now();
            let report = pipeline.analyze(&Document::from_text(text));
            assert!(!report.text.is_empty());
            started.elapsed()
        })
        .min()
        .unwrap()
}

fn assert_linear(name: &str, shape: impl Fn(usize) -> String) {
    let pipeline = Pipeline::default();
    let _ = pipeline.analyze(&Document::from_text(&shape(10)));
    let small = best_of_two(&pipeline, &shape(1_000));
    let large = best_of_two(&pipeline, &shape(4_000));
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-3);
    assert!(
        ratio < 8.0,
        "{name}: 1,000 units {small:?}, 4,000 units {large:?} ({ratio:.1}×)"
    );
}

#[test]
fn many_quotes_scale_linearly() {
    assert_linear("quotes", |n| "\"We will win,\" he said. ".repeat(n));
}

#[test]
fn many_technique_cues_scale_linearly() {
    assert_linear("cues", |n| {
        "The corrupt traitors destroyed our great nation! ".repeat(n)
    });
}

#[test]
fn one_long_sentence_of_cues_scales_linearly() {
    assert_linear("long sentence", |n| {
        "the corrupt minister said that the 5 km road, ".repeat(n)
    });
}

#[test]
fn many_named_speakers_scale_linearly() {
    const GIVEN: [&str; 4] = ["Anna", "John", "Maria", "Peter"];
    assert_linear("speakers", |n| {
        (0..n)
            .map(|i| {
                let surname: String = format!("{i:x}")
                    .chars()
                    .map(|c| (b'a' + c.to_digit(16).unwrap() as u8) as char)
                    .collect();
                format!(
                    "\"We will win,\" said Mayor {} Q{surname}. He said it again. ",
                    GIVEN[i % 4]
                )
            })
            .collect()
    });
}

#[test]
fn many_speeds_scale_linearly() {
    assert_linear("speeds", |n| "It flew 9 km in 1 hour. ".repeat(n));
}
