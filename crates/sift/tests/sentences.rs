//! Sentence splitting, tests as data: see `tests/data/sentences/README.md`.

use std::path::Path;

use sift::train::segment::sentence_spans;

struct Case {
    file: String,
    input: String,
    expected: Vec<String>,
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn load_cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sentences");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/data/sentences exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for block in text.split("\n-----\n") {
            let lines: Vec<&str> = block.lines().skip_while(|l| l.starts_with('#')).collect();
            let arrow = lines
                .iter()
                .position(|l| *l == "=>")
                .unwrap_or_else(|| panic!("{name}: case without `=>`: {block}"));
            cases.push(Case {
                file: name.clone(),
                input: lines[..arrow].join("\n"),
                expected: lines[arrow + 1..]
                    .iter()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| collapse(l))
                    .collect(),
            });
        }
    }
    cases
}

#[test]
fn sentence_cases_split_as_expected() {
    let cases = load_cases();
    assert!(cases.len() >= 20, "expected the EN and RU case files");
    let mut failures = Vec::new();
    for case in &cases {
        let chars: Vec<char> = case.input.chars().collect();
        let got: Vec<String> = sentence_spans(&case.input)
            .iter()
            .map(|s| collapse(&chars[s.start..s.end].iter().collect::<String>()))
            .collect();
        if got != case.expected {
            failures.push(format!(
                "{}:\n  input:    {}\n  expected: {:#?}\n  got:      {:#?}",
                case.file,
                collapse(&case.input),
                case.expected,
                got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
