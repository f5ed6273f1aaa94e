//! Language identification: accuracy on short written paragraphs, and speed.

use std::time::Instant;

use lingua::{Language, LanguageDetectorBuilder};

fn code_of_whatlang(l: Option<whatlang::Lang>) -> &'static str {
    match l {
        Some(whatlang::Lang::Eng) => "en",
        Some(whatlang::Lang::Rus) => "ru",
        Some(whatlang::Lang::Ukr) => "uk",
        Some(_) => "other",
        None => "und",
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("paragraphs.tsv");
    let data = std::fs::read_to_string(path).expect("readable");
    let items: Vec<(String, String)> = data
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let bytes: usize = items.iter().map(|(_, t)| t.len()).sum();

    let t = Instant::now();
    let lingua = LanguageDetectorBuilder::from_languages(&[
        Language::English,
        Language::Russian,
        Language::Ukrainian,
    ])
    .build();
    let lingua_load = t.elapsed().as_secs_f64();
    let allow = whatlang::Detector::with_allowlist(vec![
        whatlang::Lang::Eng,
        whatlang::Lang::Rus,
        whatlang::Lang::Ukr,
    ]);

    type Method<'a> = (&'a str, Box<dyn Fn(&str) -> String + 'a>);
    let methods: Vec<Method> = vec![
        (
            "sift (script + letters + whatlang)",
            Box::new(|t: &str| sift::language::detect_text(t).code),
        ),
        (
            "whatlang (all languages)",
            Box::new(|t: &str| code_of_whatlang(whatlang::detect_lang(t)).to_string()),
        ),
        (
            "whatlang (en/ru/uk allowlist)",
            Box::new(|t: &str| code_of_whatlang(allow.detect_lang(t)).to_string()),
        ),
        (
            "lingua 1.x (en/ru/uk)",
            Box::new(|t: &str| match lingua.detect_language_of(t) {
                Some(Language::English) => "en".into(),
                Some(Language::Russian) => "ru".into(),
                Some(Language::Ukrainian) => "uk".into(),
                _ => "und".into(),
            }),
        ),
    ];
    println!(
        "{} paragraphs, {} bytes; lingua model load {:.2} s",
        items.len(),
        bytes,
        lingua_load
    );
    println!(
        "{:36} {:>6} {:>6} {:>6} {:>8} {:>10}",
        "method", "en", "ru", "uk", "all", "MB/s"
    );
    for (name, f) in &methods {
        let mut right = std::collections::BTreeMap::<&str, (usize, usize)>::new();
        for (lang, text) in &items {
            let e = right.entry(lang.as_str()).or_default();
            e.1 += 1;
            if f(text) == *lang {
                e.0 += 1;
            }
        }
        let reps = 200;
        let t = Instant::now();
        let mut n = 0;
        for _ in 0..reps {
            for (_, text) in &items {
                n += f(text).len();
            }
        }
        let secs = t.elapsed().as_secs_f64();
        let acc = |l: &str| {
            right
                .get(l)
                .map(|(a, b)| format!("{a}/{b}"))
                .unwrap_or_default()
        };
        let total: (usize, usize) = right.values().fold((0, 0), |s, v| (s.0 + v.0, s.1 + v.1));
        println!(
            "{:36} {:>6} {:>6} {:>6} {:>8} {:>10.2}{}",
            name,
            acc("en"),
            acc("ru"),
            acc("uk"),
            format!("{:.3}", total.0 as f64 / total.1 as f64),
            (bytes * reps) as f64 / 1e6 / secs,
            if n == 0 { "!" } else { "" }
        );
    }
}
