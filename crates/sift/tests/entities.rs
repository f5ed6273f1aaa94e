//! Entities on sift's own annotated articles (tests/data/entities) and on the
//! Burevestnik report in ../shared/data (skipped when absent).

use std::path::Path;

use sift::{Entity, EntityKind};

fn kind(e: &Entity) -> &'static str {
    match e.kind {
        EntityKind::Person => "person",
        EntityKind::Org => "org",
        EntityKind::Place => "place",
        EntityKind::Date => "date",
        EntityKind::Misc => "misc",
    }
}

#[test]
fn annotated_articles_reach_high_precision_and_recall() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/entities");
    for name in ["en-ministry", "ru-mayor"] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
        let expected = std::fs::read_to_string(dir.join(format!("{name}.expected"))).unwrap();
        let mut gold: Vec<(String, String)> = expected
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let p: Vec<&str> = l.split('|').map(str::trim).collect();
                (p[0].to_string(), p[1].to_string())
            })
            .collect();
        let report = sift::analyze_text(&text);
        let predicted = report.entities.len();
        let mut matched = 0;
        let mut spurious = Vec::new();
        for e in &report.entities {
            let key = (kind(e).to_string(), e.text.clone());
            if let Some(i) = gold.iter().position(|g| *g == key) {
                gold.remove(i);
                matched += 1;
            } else {
                spurious.push(key);
            }
        }
        let precision = matched as f64 / predicted.max(1) as f64;
        let recall = matched as f64 / (matched + gold.len()).max(1) as f64;
        assert!(
            precision >= 0.95 && recall >= 0.9,
            "{name}: precision {precision:.3} recall {recall:.3}\nspurious {spurious:?}\nmissed {gold:?}"
        );
    }
}

#[test]
fn burevestnik_report_has_the_expected_entities_and_no_junk() {
    let Some(dir) = sift_shared() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("articles/burevestnik-test-report.txt")).unwrap();
    let report = sift::analyze_text(&text);
    assert_eq!(report.sentences.len(), 25);
    assert_eq!(report.language.code, "en");
    let has = |k: &str, canonical: &str, role: Option<&str>| {
        report.entities.iter().any(|e| {
            kind(e) == k
                && e.canonical == canonical
                && (role.is_none() || e.role.as_deref() == role)
        })
    };
    assert!(has("person", "Vladimir Putin", Some("President")));
    assert!(has(
        "person",
        "Valery Gerasimov",
        Some("Chief of the General Staff")
    ));
    assert!(has("person", "Dmitry Peskov", Some("Press Secretary")));
    for place in ["Russia", "Ukraine", "Donbass", "United States"] {
        assert!(has("place", place, None), "missing place {place}");
    }
    assert!(has("org", "NATO", None));
    assert!(has("org", "Kremlin", None));
    // Later mentions link to the full name.
    let peskov = report
        .entities
        .iter()
        .find(|e| e.text == "Peskov")
        .expect("Peskov’s");
    assert_eq!(peskov.canonical, "Dmitry Peskov");
    for junk in [
        "The", "However", "During", "This", "As", "While", "Russian", "Western",
    ] {
        assert!(
            report.entities.iter().all(|e| e.text != junk),
            "junk entity {junk}"
        );
    }
}

/// `$SIFT_SHARED_DATA` or `../shared/data` beside the workspace, else skip.
fn sift_shared() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("SIFT_SHARED_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    if dir.join("articles/burevestnik-test-report.txt").is_file() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared/data not found");
        None
    }
}
