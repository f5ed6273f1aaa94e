//! `sift analyze` on hostile and odd input (issue 13): pages nested thousands
//! deep, FIFOs, the largest `--max-input-bytes`, invisible and bidi characters.
//! Each test bounds its own wait: a hang fails the test instead of the suite.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const PARAGRAPH: &str = "The harbour bridge reopened on Thursday after eight months of \
    repairs that cost the city 14 million euros, officials said. ";

/// A fresh scratch directory for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("sift-hostile-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Run sift, killing it (and failing) if it has not finished within `limit`.
fn sift_within(args: &[&str], limit: Duration) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sift"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sift runs");
    // Drain stdout on a thread so a large report cannot block the child.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut out).unwrap();
        out
    });
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("sift {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = started.elapsed();
    let mut output = child.wait_with_output().unwrap();
    output.stdout = reader.join().unwrap();
    (output, elapsed)
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn reports(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON report per line"))
        .collect()
}

#[test]
fn deeply_nested_pages_neither_abort_nor_lose_the_batch() {
    let dir = Scratch::new("deep");
    let spans = dir.file(
        "spans.html",
        &format!("<p>{}{}", "<span>".repeat(35_000), PARAGRAPH.repeat(3)),
    );
    let divs = dir.file(
        "divs.html",
        &format!(
            "<html><body>{}{}{}</body></html>",
            "<div>".repeat(20_000),
            PARAGRAPH.repeat(3),
            "</div>".repeat(20_000)
        ),
    );
    let good = dir.file("good.txt", PARAGRAPH);
    let (o, elapsed) = sift_within(
        &[
            "analyze",
            "--format",
            "jsonl",
            path(&spans),
            path(&divs),
            path(&good),
        ],
        Duration::from_secs(120),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let reports = reports(&o);
    assert_eq!(reports.len(), 3);
    for r in &reports {
        assert!(
            r["text"].as_str().unwrap().contains("harbour bridge"),
            "{r}"
        );
    }
    // 20,000 nested divs took over 30 s before the depth bound.
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_directory_is_skipped_not_read() {
    let dir = Scratch::new("fifo");
    let fifo = dir.0.join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    dir.file("good.txt", PARAGRAPH);
    let (o, _) = sift_within(
        &["analyze", "--format", "jsonl", path(&dir.0)],
        Duration::from_secs(60),
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("pipe.txt: skipped: a FIFO"), "{stderr}");
    assert_eq!(reports(&o).len(), 1);
    // Named directly: the same message, exit 4 (nothing analysed).
    let (o, _) = sift_within(&["analyze", path(&fifo)], Duration::from_secs(60));
    assert_eq!(o.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&o.stderr).contains("a FIFO"));
}

#[test]
fn the_largest_input_limit_saturates_instead_of_wrapping_to_zero() {
    let dir = Scratch::new("limit");
    let good = dir.file("good.txt", PARAGRAPH);
    let (o, _) = sift_within(
        &[
            "analyze",
            "--max-input-bytes",
            "18446744073709551615",
            "--format",
            "jsonl",
            path(&good),
        ],
        Duration::from_secs(60),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(reports(&o).len(), 1);
}

#[test]
fn invisible_and_bidi_characters_never_reach_the_output() {
    let dir = Scratch::new("bidi");
    let file = dir.file(
        "bidi.txt",
        "The ministry said the repairs cost $5\u{200B} million.\u{202E} Officials \
         confirmed the figure on Tuesday.\u{2066}\n",
    );
    let (o, _) = sift_within(
        &["analyze", "--format", "json", path(&file)],
        Duration::from_secs(60),
    );
    assert_eq!(o.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = report["text"].as_str().unwrap();
    assert!(text.contains("$5 million."), "{text}");
    assert!(!text.contains('\u{202E}') && !text.contains('\u{200B}'));
    let (o, _) = sift_within(
        &["analyze", "--format", "text", "--no-color", path(&file)],
        Duration::from_secs(60),
    );
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(
        !shown.contains('\u{202E}') && !shown.contains('\u{2066}'),
        "{shown}"
    );
}
