//! Error analysis for the quantity sets: `cargo run -p sift-eval --example qerr -- SET N`.
use sift_eval::quantities::*;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).cloned().unwrap_or_default();
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let root = sift_eval::shared_data_dir()
        .expect("shared")
        .join("quantities");
    let mut sets: Vec<(String, Vec<Case>)> = Vec::new();
    for split in ["train", "trial"] {
        sets.push((
            format!("measeval-{split}"),
            load_measeval(&root, split).unwrap(),
        ));
    }
    for (name, c) in load_recognizers(&root).unwrap() {
        sets.push((format!("rt-{name}"), c));
    }
    sets.push(("quantulum".into(), load_quantulum(&root).unwrap()));
    for lang in ["RU", "EN"] {
        for (name, c) in load_duckling(&root, lang).unwrap() {
            sets.push((format!("duckling-{name}"), c));
        }
    }
    for (name, cases) in sets {
        if name.contains(&which) {
            println!("===== {name}");
            for e in errors(&cases, n) {
                println!("{e}");
            }
        }
    }
}
