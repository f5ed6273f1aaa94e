//! `sift bench --worst-case`: inputs shaped to hit super-linear time or memory
//! (deep HTML, long lines, many quantities and quotes, pathological Unicode),
//! each read, normalised and analysed exactly as `sift analyze` does, with its
//! time and the peak resident memory it needed.
//!
//! Peak memory per input: the kernel's high-water mark is reset before each
//! input (`/proc/self/clear_refs`, Linux), so each row is that input's own peak
//! (the process's baseline, models included, is part of every row).

use std::time::Instant;

use sift::input::{self, Format, InputOptions};
use sift::{Document, LanguageHint, Pipeline};

/// One generated input.
struct Shape {
    name: &'static str,
    format: Format,
    bytes: Vec<u8>,
}

fn html(name: &'static str, page: String) -> Shape {
    Shape {
        name,
        format: Format::Html,
        bytes: page.into_bytes(),
    }
}

fn text(name: &'static str, text: String) -> Shape {
    Shape {
        name,
        format: Format::Text,
        bytes: text.into_bytes(),
    }
}

/// A varied English sentence (numbers, a name, a quote, an attribution).
fn sentence(i: usize) -> String {
    format!(
        "Officials said on Tuesday that the council approved {} new projects worth ${}.{} \
         million, according to Mayor Ines Alvarez, who called it \"a historic day\". ",
        i % 97,
        i % 13,
        i % 10
    )
}

/// Prose of at least `bytes` bytes with no line break.
fn long_line(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 200);
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&sentence(i));
        i += 1;
    }
    out
}

/// Given names the entity layer knows.
const GIVEN: [&str; 10] = [
    "Anna", "John", "Maria", "Peter", "Laura", "David", "Sarah", "Michael", "Elena", "James",
];

/// A distinct capitalised made-up surname per `i` (letters of `i` in base 26).
fn surname(i: usize) -> String {
    let mut rest = i + 1;
    let mut out = String::new();
    while rest > 0 {
        out.push((b'a' + (rest % 26) as u8) as char);
        rest /= 26;
    }
    let mut chars = out.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// A distinct capitalised made-up Cyrillic surname stem per `i`.
fn surname_ru(i: usize) -> String {
    const SYLLABLES: [&str; 12] = [
        "Ба", "Ве", "Го", "Ду", "Ка", "Ле", "Мо", "Ну", "Па", "Ре", "Со", "Ту",
    ];
    let mut rest = i;
    let mut out = String::from(SYLLABLES[rest % 12]);
    rest /= 12;
    while rest > 0 {
        out.push_str(&SYLLABLES[rest % 12].to_lowercase());
        rest /= 12;
    }
    out
}

const PARAGRAPH: &str = "The harbour bridge reopened on Thursday after eight months of \
    repairs that cost the city 14 million euros, officials said. ";

fn shapes() -> Vec<Shape> {
    let mb = 1 << 20;
    vec![
        html(
            "html: <p> + 35,000 nested <span>",
            format!("<p>{}{}", "<span>".repeat(35_000), PARAGRAPH.repeat(3)),
        ),
        html(
            "html: 20,000 nested <div>",
            format!(
                "<html><body>{}{}{}</body></html>",
                "<div>".repeat(20_000),
                PARAGRAPH.repeat(3),
                "</div>".repeat(20_000)
            ),
        ),
        html(
            "html: 20,000 reopened <b> in <p>",
            format!(
                "<body>{}{}",
                "<p><b class=x>word</p>".repeat(20_000),
                PARAGRAPH
            ),
        ),
        html(
            "html: 1 MB of one paragraph",
            format!("<html><body><p>{}</p></body></html>", long_line(mb)),
        ),
        text(
            "text: \"It flew 9 km in 1 hour.\" x 8,738",
            "It flew 9 km in 1 hour. ".repeat(8_738),
        ),
        text("text: 1 MB on one line", long_line(mb)),
        text(
            "text: 1 MB on one line, no sentence ends",
            long_line(mb).replace(['.', '"'], ""),
        ),
        text("text: 1 MB word without spaces", "a".repeat(mb)),
        text(
            "text: 50,000 quantities",
            "5 km, 7 kg and 3%; ".repeat(50_000),
        ),
        text(
            "text: 30,000 quotes",
            "\"Yes,\" the minister said. «Да», сказал он. ".repeat(30_000),
        ),
        text(
            "text: 30,000 quoted sentences, a pronoun",
            "\"We will win,\" he said. ".repeat(30_000),
        ),
        text(
            "text: 15,000 different named speakers",
            (0..15_000)
                .map(|i| {
                    format!(
                        "\"We will win,\" said Mayor {} {}. He said it again. ",
                        GIVEN[i % GIVEN.len()],
                        surname(i)
                    )
                })
                .collect(),
        ),
        text(
            "text: 10,000 x people, pronouns, titles",
            (0..10_000)
                .map(|i| {
                    format!(
                        "Minister {} {} spoke. \"No,\" she said. \"Yes,\" he said. \
                         The mayor said so. ",
                        GIVEN[i % GIVEN.len()],
                        surname(i % 50)
                    )
                })
                .collect(),
        ),
        text(
            "text: 15,000 x according to, said",
            "According to officials, the bridge was closed, the minister said. ".repeat(15_000),
        ),
        text(
            "text: 30,000 technique cue sentences",
            "The corrupt traitors destroyed our great nation! ".repeat(30_000),
        ),
        text(
            "text: one 1.3 MB sentence of cues and said",
            "the corrupt minister said that the 5 km road, ".repeat(30_000),
        ),
        text(
            "text: 30,000 Russian quotes, a pronoun",
            "«Мы победим», — заявил он. ".repeat(30_000),
        ),
        text(
            "text: 15,000 Russian named speakers",
            (0..15_000)
                .map(|i| {
                    format!(
                        "«Да», — сказал Иван {}ов. По его словам, всё хорошо. ",
                        surname_ru(i)
                    )
                })
                .collect(),
        ),
        text(
            "text: 200,000 unmatched quote marks",
            "« \" “ ".repeat(50_000),
        ),
        text(
            "text: 100,000 combining marks on one letter",
            format!("Cafe{} said.", "\u{301}".repeat(100_000)),
        ),
        text(
            "text: 300,000 zero-width and bidi chars",
            "$5\u{200B} mil\u{00AD}lion\u{202E} ".repeat(60_000),
        ),
        text("text: 200,000 paragraphs", "Word.\n\n".repeat(200_000)),
        text(
            "text: Hangul jamo run",
            "\u{1100}\u{1161}\u{11A8}".repeat(100_000),
        ),
    ]
}

/// Reset the peak-RSS mark (Linux); false when unsupported.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

/// Run every shape once; print a table (or JSON lines). Returns the exit code.
pub fn run(json: bool) -> u8 {
    let pipeline = Pipeline::default();
    // Load the models before the first measurement.
    let _ = pipeline.analyze(&Document::from_text(PARAGRAPH));
    let per_input_peak = reset_peak_rss();
    if !json {
        println!(
            "{:44} {:>9} {:>9} {:>10}  outcome",
            "input", "KiB", "seconds", "peak MiB"
        );
    }
    for shape in shapes() {
        reset_peak_rss();
        let started = Instant::now();
        let results = input::read_bytes_with(
            "worst-case",
            "worst-case",
            &shape.bytes,
            Some(shape.format),
            &InputOptions::default(),
        );
        let mut outcome = String::new();
        for result in results {
            match result {
                Ok(raw) => {
                    let doc = Document::build(raw, LanguageHint::Auto);
                    let report = pipeline.analyze(&doc);
                    outcome = format!(
                        "{} chars, {} findings",
                        report.text.chars().count(),
                        report.findings.len()
                    );
                }
                Err(e) => outcome = format!("refused: {}", e.reason),
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        let peak = peak_rss_mib().filter(|_| per_input_peak);
        let kib = shape.bytes.len() as f64 / 1024.0;
        if json {
            let row = serde_json::json!({
                "input": shape.name, "kib": kib, "seconds": seconds,
                "peak_rss_mib": peak, "outcome": outcome,
            });
            println!("{row}");
        } else {
            let peak = peak.map_or("n/a".into(), |p| format!("{p:.0}"));
            println!(
                "{:44} {kib:>9.0} {seconds:>9.2} {peak:>10}  {outcome}",
                shape.name
            );
        }
    }
    crate::exit::OK
}
