//! `sift analyze` over many documents: `--jobs`, input order, JSON arrays, `-o` written
//! atomically, `--resume`, `--format csv|parquet`, and the progress bar on a terminal.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn sift(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sift"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("sift runs")
}

/// Run sift, expect exit 0 (else fail with its stderr), return its standard output.
fn sift_ok(args: &[&str]) -> String {
    let out = sift(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "sift {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A corpus of small articles: text files in a directory and a JSONL file of records.
fn corpus(dir: &Path) -> PathBuf {
    let articles = dir.join("articles");
    fs::create_dir_all(&articles).unwrap();
    for n in 0..9 {
        let text = if n % 3 == 2 {
            format!(
                "Министр заявил, что расходы вырастут на {n}%. Ракета пролетела 14 000 км за 15 часов."
            )
        } else {
            format!(
                "The council approved {n} new schools on Tuesday, officials said. \
                 \"It is historic,\" said Mayor Ines Alvarez. The rocket flew 14,000 km in 15 hours."
            )
        };
        fs::write(articles.join(format!("a{n:02}.txt")), text).unwrap();
    }
    let records: String = (0..5)
        .map(|n| {
            format!(
                "{{\"id\":\"rec{n}\",\"text\":\"Experts say prices rose {n}% in a year. Everyone knows it.\"}}\n"
            )
        })
        .collect();
    fs::write(articles.join("records.jsonl"), records).unwrap();
    articles
}

/// JSONL reports with `timing_ms` (wall-clock, differs run to run) removed.
fn reports_without_timing(jsonl: &str) -> Vec<Value> {
    jsonl
        .lines()
        .map(|line| {
            let mut v: Value = serde_json::from_str(line).unwrap();
            v.as_object_mut().unwrap().remove("timing_ms");
            v
        })
        .collect()
}

fn ids(reports: &[Value]) -> Vec<String> {
    reports
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn jobs_one_and_two_write_the_same_reports_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let articles = corpus(dir.path());
    let run = |jobs: &str| {
        let args = [
            "analyze",
            path(&articles),
            "--format",
            "jsonl",
            "--jobs",
            jobs,
        ];
        reports_without_timing(&sift_ok(&args))
    };
    let (one, two) = (run("1"), run("2"));
    assert_eq!(one.len(), 14);
    assert_eq!(one, two);
    let expected: Vec<String> = (0..9)
        .map(|n| format!("a{n:02}"))
        .chain((0..5).map(|n| format!("rec{n}")))
        .collect();
    assert_eq!(
        ids(&one),
        expected,
        "directory order, then records in file order"
    );

    // The document table carries no timings: byte for byte the same.
    let csv1 = sift(&["analyze", path(&articles), "--format", "csv", "-j", "1"]);
    let csv2 = sift(&["analyze", path(&articles), "--format", "csv", "-j", "2"]);
    assert_eq!(csv1.stdout, csv2.stdout);
}

#[test]
fn json_with_several_documents_is_one_array() {
    let dir = tempfile::tempdir().unwrap();
    let articles = corpus(dir.path());
    let out = sift(&["analyze", path(&articles), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let parsed: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let array = parsed.as_array().expect("an array");
    assert_eq!(array.len(), 14);
    assert_eq!(array[0]["id"], "a00");

    // One document stays one object.
    let one = sift(&[
        "analyze",
        path(&articles.join("a00.txt")),
        "--format",
        "json",
    ]);
    let parsed: Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(parsed["id"], "a00");
}

#[test]
fn an_output_that_is_an_input_or_inside_an_input_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let articles = corpus(dir.path());
    let inside = articles.join("out.jsonl");
    let out = sift(&["analyze", path(&articles), "-o", path(&inside)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inside the input directory"));
    assert!(!inside.exists());

    let input = articles.join("a00.txt");
    let before = fs::read(&input).unwrap();
    let out = sift(&["analyze", path(&input), "-o", path(&input)]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read(&input).unwrap(), before, "the input is untouched");
}

#[test]
fn output_is_renamed_into_place_and_good_reports_survive_a_bad_document() {
    let dir = tempfile::tempdir().unwrap();
    let articles = corpus(dir.path());
    // Not UTF-8 JSON: the JSONL reader rejects these records; the rest goes on.
    fs::write(
        articles.join("broken.jsonl"),
        "{\"id\": \"x\", \"text\": \n",
    )
    .unwrap();
    let target = dir.path().join("out.jsonl");
    let out = sift(&["analyze", path(&articles), "-o", path(&target), "-j", "2"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports = reports_without_timing(&fs::read_to_string(&target).unwrap());
    assert_eq!(reports.len(), 14);
    assert!(!dir.path().join("out.jsonl.partial").exists());

    // A write that fails leaves no target behind (a directory where the partial file
    // would go makes it fail).
    let blocked = dir.path().join("blocked.jsonl");
    fs::create_dir(dir.path().join("blocked.jsonl.partial")).unwrap();
    let out = sift(&["analyze", path(&articles), "-o", path(&blocked)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!blocked.exists());
}

#[test]
fn resume_analyses_only_documents_not_yet_written() {
    let dir = tempfile::tempdir().unwrap();
    let articles = corpus(dir.path());
    let full = dir.path().join("full.jsonl");
    sift_ok(&[
        "analyze",
        path(&articles),
        "-o",
        path(&full),
        "--format",
        "jsonl",
    ]);
    let full_reports = reports_without_timing(&fs::read_to_string(&full).unwrap());

    // An interrupted run: the partial file holds three reports and half of a fourth.
    let target = dir.path().join("out.jsonl");
    let full_text = fs::read_to_string(&full).unwrap();
    let lines: Vec<&str> = full_text.lines().collect();
    let mut partial = lines[..3].join("\n");
    partial.push('\n');
    partial.push_str(&lines[3][..lines[3].len() / 2]);
    fs::write(dir.path().join("out.jsonl.partial"), partial).unwrap();
    let resume = [
        "analyze",
        path(&articles),
        "-o",
        path(&target),
        "--format",
        "jsonl",
        "--resume",
    ];
    sift_ok(&resume);
    let text = fs::read_to_string(&target).unwrap();
    assert!(
        text.starts_with(&lines[..3].join("\n")),
        "the first three lines are kept as they were"
    );
    let resumed = reports_without_timing(&text);
    assert_eq!(
        resumed, full_reports,
        "the same reports, each once, in the same order"
    );

    // Resuming a finished output analyses nothing more.
    sift_ok(&resume);
    assert_eq!(fs::read_to_string(&target).unwrap(), text);

    let wrong_format = sift(&[
        "analyze",
        path(&articles),
        "-o",
        path(&target),
        "--resume",
        "--format",
        "csv",
    ]);
    assert_eq!(wrong_format.status.code(), Some(2));
}

#[test]
fn csv_and_parquet_have_one_row_per_document() {
    use parquet::file::reader::{FileReader, SerializedFileReader};

    let dir = tempfile::tempdir().unwrap();
    let articles = corpus(dir.path());
    let csv_path = dir.path().join("docs.csv");
    let out = sift(&[
        "analyze",
        path(&articles),
        "--format",
        "csv",
        "-o",
        path(&csv_path),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let csv = fs::read_to_string(&csv_path).unwrap();
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("id,source_path,source_url,title"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 14);
    assert!(rows[0].starts_with("a00,"));

    let parquet_path = dir.path().join("docs.parquet");
    let out = sift(&[
        "analyze",
        path(&articles),
        "--format",
        "parquet",
        "-o",
        path(&parquet_path),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reader = SerializedFileReader::new(fs::File::open(&parquet_path).unwrap()).unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows(), 14);
    let columns: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .root_schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    assert!(columns.contains(&"quantity_spans".to_string()));

    let no_file = sift(&["analyze", path(&articles), "--format", "parquet"]);
    assert_eq!(no_file.status.code(), Some(2), "parquet needs -o");
}

/// `script` (util-linux) runs sift on a pseudo-terminal: the bar is drawn there, and not
/// when stderr is a pipe or with `--quiet`.
#[test]
fn the_progress_bar_shows_on_a_terminal_only() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let articles = corpus(dir.path());
    let out_file = dir.path().join("out.jsonl");
    let command = |extra: &str| {
        format!(
            "{} analyze {} -o {} -j 2 {extra}",
            env!("CARGO_BIN_EXE_sift"),
            path(&articles),
            path(&out_file)
        )
    };
    let on_terminal = Command::new("script")
        .args(["-qefc", &command(""), "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&on_terminal.stdout);
    assert!(on_terminal.status.success(), "{shown}");
    assert!(
        shown.contains("14 documents"),
        "no progress bar on the terminal: {shown:?}"
    );
    assert!(shown.contains("ETA"), "{shown:?}");

    let quiet = Command::new("script")
        .args(["-qefc", &command("--quiet"), "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stdout).contains("documents"));

    let piped = sift(&["analyze", path(&articles), "-o", path(&out_file)]);
    assert!(piped.status.success());
    assert!(
        piped.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
}
