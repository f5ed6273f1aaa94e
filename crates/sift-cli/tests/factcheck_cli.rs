//! `sift factcheck import|search|match` and `sift analyze --factchecks` end to end:
//! idempotent import, a `kill -9` in the middle of an import, batch matching output,
//! matches in the report.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn sift(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sift"))
        .args(args)
        .output()
        .expect("run sift")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A CheckThat-style TSV of `n` distinct claims.
fn write_claims(path: &Path, n: usize) {
    let mut text = String::from("\tvclaim\ttitle\n");
    for i in 0..n {
        text.push_str(&format!(
            "{i}\tClaim number {i} says that region {} spent {} million on project {}.\tTitle {i}\n",
            i % 97,
            i * 7,
            i % 13
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// `sift factcheck search` for a claim the test files hold.
fn search(store: &Path) -> Output {
    sift(&[
        "factcheck",
        "search",
        "--store",
        store.to_str().unwrap(),
        "--top",
        "1",
        "region 42 spent 2940 million",
    ])
}

fn stored(store: &Path) -> usize {
    let o = search(store);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o.stdout.len()
}

/// What `stored` measures, while an import may be running (0 when the store is not
/// readable yet).
fn committed(store: &Path) -> usize {
    let o = search(store);
    if o.status.success() {
        o.stdout.len()
    } else {
        0
    }
}

fn imported_count(out: &str) -> (usize, usize) {
    // "<file>: N records, M new"
    let tail = out.trim().rsplit(": ").next().unwrap();
    let mut numbers = tail
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty());
    (
        numbers.next().unwrap().parse().unwrap(),
        numbers.next().unwrap().parse().unwrap(),
    )
}

#[test]
fn import_is_idempotent_and_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("claims.tsv");
    let store = dir.path().join("store");
    let total = 60_000;
    write_claims(&file, total);
    let (file_s, store_s) = (file.to_str().unwrap(), store.to_str().unwrap());

    // Kill the import as soon as a reader sees committed records. (The size of the
    // write-ahead log is no sign of a commit: SQLite may spill a transaction's pages
    // into it before committing, and a kill then left an empty store.)
    let mut child = Command::new(env!("CARGO_BIN_EXE_sift"))
        .args(["factcheck", "import", "--store", store_s, file_s])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut saw_records = false;
    while started.elapsed() < Duration::from_secs(60) {
        if child.try_wait().unwrap().is_some() {
            break; // finished before a reader caught it: nothing to kill
        }
        if committed(&store) > 0 {
            saw_records = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix; Ok when it has already exited
    let status = child.wait().unwrap();
    let killed_mid_import = saw_records && !status.success();

    // The store opens, is consistent, and completing the import adds the rest.
    let o = sift(&["factcheck", "import", "--store", store_s, file_s]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (records, added) = imported_count(&stdout(&o));
    assert_eq!(records, total);
    if killed_mid_import {
        assert!(
            added < total,
            "the killed import committed nothing: {added}"
        );
    }
    // Re-importing adds nothing.
    let o = sift(&["factcheck", "import", "--store", store_s, file_s]);
    assert_eq!(imported_count(&stdout(&o)), (total, 0));
    assert!(stored(&store) > 0);
}

#[test]
fn match_writes_the_top_five_per_query() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("claims.tsv");
    let store = dir.path().join("store");
    write_claims(&file, 200);
    let o = sift(&[
        "factcheck",
        "import",
        "--store",
        store.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let queries = dir.path().join("queries.tsv");
    std::fs::write(
        &queries,
        "id\ttext\nq1\tRegion 53 spent 1050 million on project 7, says claim 150\n",
    )
    .unwrap();
    let o = sift(&[
        "factcheck",
        "match",
        "--store",
        store.to_str().unwrap(),
        queries.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert!((1..=5).contains(&lines.len()), "{out}");
    assert_eq!(lines[0][..3], ["q1", "150", "1"], "{out}");
    assert!(lines
        .iter()
        .enumerate()
        .all(|(i, l)| l.len() == 4 && l[2] == (i + 1).to_string()));
}

#[test]
fn a_missing_store_is_one_clear_line_and_exit_4() {
    let dir = tempfile::tempdir().unwrap();
    let o = sift(&[
        "factcheck",
        "search",
        "--store",
        dir.path().join("none").to_str().unwrap(),
        "x",
    ]);
    assert_eq!(o.status.code(), Some(4));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not a fact-check store"), "{err}");
}

#[test]
fn analyze_with_factchecks_lists_matches() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("checks.json");
    std::fs::write(
        &file,
        r#"[{"@type":"ClaimReview","claimReviewed":"Unemployment fell to 3.5 percent, the lowest rate in fifty years",
            "url":"https://checks.example/unemployment","reviewRating":{"alternateName":"Mostly true"}}]"#,
    )
    .unwrap();
    let store = dir.path().join("store");
    assert!(sift(&[
        "factcheck",
        "import",
        "--store",
        store.to_str().unwrap(),
        file.to_str().unwrap()
    ])
    .status
    .success());
    let article = dir.path().join("a.txt");
    std::fs::write(
        &article,
        "Unemployment fell to 3.5 percent last year, the lowest rate in fifty years.\n",
    )
    .unwrap();
    let o = sift(&[
        "analyze",
        "--factchecks",
        store.to_str().unwrap(),
        "--format",
        "json",
        article.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let matches = &report["claims"][0]["matches"];
    assert_eq!(
        matches[0]["url"], "https://checks.example/unemployment",
        "{report}"
    );
    assert_eq!(matches[0]["rating"], "Mostly true");
}
