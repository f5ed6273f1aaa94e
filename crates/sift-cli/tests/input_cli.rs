//! `sift analyze` end to end on the inputs a user may hand it: encodings,
//! HTML, JSON records, directories, stdin, and every kind of bad input, with
//! the documented exit codes (0 ok, 2 usage, 3 some inputs failed, 4 none analysed).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const EN: &str = "The city council approved a new budget on Tuesday. \
    Mayor Ines Alvarez said the plan would fund two new schools and repair the harbour bridge.\n";
const RU: &str = "Правительство утвердило бюджет на следующий год. \
    Министр финансов заявил, что расходы на образование вырастут.\n";

/// A fresh, empty scratch directory for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("sift-input-cli-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn sift(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sift"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sift runs");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // sift may stop reading at its size limit: a broken pipe is expected then.
        let _ = pipe.write_all(bytes);
    }
    child.wait_with_output().unwrap()
}

fn analyze(paths: &[&Path], extra: &[&str]) -> Output {
    let mut args = vec!["analyze"];
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    args.extend(paths.iter().map(String::as_str));
    args.extend_from_slice(extra);
    sift(&args, None)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

fn jsonl(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// A failing input: the exit code, and one stderr line naming it and the reason.
fn assert_fails(o: &Output, code: i32, input: &Path, reason: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    let line = format!("sift: {}: ", input.display());
    let hit = err
        .lines()
        .find(|l| l.starts_with(&line))
        .unwrap_or_else(|| panic!("no error line for {}: {err}", input.display()));
    assert!(hit.contains(reason), "{hit:?} lacks {reason:?}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn utf8_text_gives_one_json_report_by_default_when_piped() {
    let s = Scratch::new("utf8");
    let path = s.file("story.txt", EN.as_bytes());
    let o = analyze(&[&path], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(report["text"].as_str().unwrap().trim_end(), EN.trim_end());
    assert_eq!(report["source"]["encoding"], "UTF-8");
    assert_eq!(report["source"]["path"], path.display().to_string());
    assert_eq!(report["id"], "story");
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn legacy_and_utf16_encodings_decode_and_are_recorded() {
    let s = Scratch::new("enc");
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(RU);
    let (koi8, _, _) = encoding_rs::KOI8_R.encode(RU);
    let (latin1, _, _) = encoding_rs::WINDOWS_1252
        .encode("Le maire a présenté un budget équilibré pour l'année prochaine.");
    let utf16le: Vec<u8> = RU.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut utf16be_bom = vec![0xfe, 0xff];
    utf16be_bom.extend(EN.encode_utf16().flat_map(u16::to_be_bytes));
    let mut utf8_bom = b"\xef\xbb\xbf".to_vec();
    utf8_bom.extend_from_slice(RU.as_bytes());
    let cases: [(&str, &[u8], &str, &str); 6] = [
        (
            "cp1251.txt",
            &cp1251,
            "windows-1251",
            "Правительство утвердило",
        ),
        ("koi8.txt", &koi8, "KOI8-R", "Министр финансов"),
        (
            "latin1.txt",
            &latin1,
            "windows-1252",
            "présenté un budget équilibré",
        ),
        (
            "utf16le.txt",
            &utf16le,
            "UTF-16LE",
            "расходы на образование",
        ),
        ("utf16be.txt", &utf16be_bom, "UTF-16BE", "harbour bridge"),
        ("bom.txt", &utf8_bom, "UTF-8", "Правительство"),
    ];
    for (name, bytes, encoding, expect) in cases {
        let path = s.file(name, bytes);
        let o = analyze(&[&path], &["--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let report = json(&o);
        assert_eq!(report["source"]["encoding"], encoding, "{name}");
        let text = report["text"].as_str().unwrap();
        assert!(text.contains(expect), "{name}: {text}");
        assert!(!text.starts_with('\u{feff}'), "{name}: BOM kept");
    }
}

#[test]
fn russian_file_is_detected_as_russian_and_lang_overrides() {
    let s = Scratch::new("lang");
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(RU);
    let path = s.file("ru.txt", &cp1251);
    let auto = json(&analyze(&[&path], &[]));
    assert_eq!(auto["language"]["code"], "ru");
    let forced = json(&analyze(&[&path], &["--lang", "en"]));
    assert_eq!(forced["language"]["code"], "en");
    let o = analyze(&[&path], &["--lang", "klingon"]);
    assert_eq!(o.status.code(), Some(2), "bad --lang is a usage error");
}

#[test]
fn html_file_gives_article_text_and_metadata() {
    let s = Scratch::new("html");
    let page = format!(
        "<!DOCTYPE html><html><head><title>Budget approved | Harbour Gazette</title>\
         <meta property=\"og:site_name\" content=\"Harbour Gazette\">\
         <meta name=\"author\" content=\"Tom Baker\">\
         <meta property=\"article:published_time\" content=\"2024-02-06T10:00:00Z\"></head>\
         <body><nav><a href=\"/\">Home</a><a href=\"/sport\">Sport</a></nav><article><h1>Budget approved</h1>\
         <p>{}</p><p>Opposition members said the spending plan relied on optimistic tax forecasts and voted against it.</p>\
         </article><footer>Subscribe to our newsletter</footer></body></html>",
        EN.trim()
    );
    let path = s.file("page.html", page.as_bytes());
    let o = analyze(&[&path], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    let text = r["text"].as_str().unwrap();
    assert!(text.contains("approved a new budget"), "{text}");
    assert!(
        !text.contains("Subscribe") && !text.contains("<p>"),
        "{text}"
    );
    assert_eq!(r["source"]["format"], "html");
    assert_eq!(r["source"]["outlet"], "Harbour Gazette");
    assert_eq!(r["source"]["byline"], "Tom Baker");
    assert_eq!(r["source"]["published"], "2024-02-06");
    assert!(r["source"]["title"]
        .as_str()
        .unwrap()
        .contains("Budget approved"));

    // Truncated mid-tag: what is there is still analysed.
    let cut = &page[..page.find("Opposition").unwrap() + 30];
    let truncated = s.file("cut.htm", cut.as_bytes());
    let o = analyze(&[&truncated], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(json(&o)["text"]
        .as_str()
        .unwrap()
        .contains("approved a new budget"));

    // Gzipped HTML.
    let gz = s.file("page.html.gz", &gzip(page.as_bytes()));
    let o = analyze(&[&gz], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["source"]["format"], "html");

    // Markup with no article in it.
    let hollow = s.file(
        "hollow.html",
        b"<html><body><script>track()</script></body></html>",
    );
    assert_fails(&analyze(&[&hollow], &[]), 4, &hollow, "no article text");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn jsonl_records_one_report_each_and_a_bad_line_named() {
    let s = Scratch::new("jsonl");
    let good = serde_json::json!({"id": "a", "text": EN, "url": "https://example.org/a",
        "title": "Budget", "published": "2024-02-06", "outlet": "Example Daily"});
    let html = serde_json::json!({"id": "b", "html": format!("<html><body><article><p>{RU}</p><p>{RU}</p></article></body></html>")});
    let data = format!("{good}\n{{\"id\": \"broken\", \"text\": \n{html}\n");
    let path = s.file("batch.jsonl", data.as_bytes());
    let o = analyze(&[&path], &[]);
    let line = PathBuf::from(format!("{}:2", path.display()));
    assert_fails(&o, 3, &line, "not a JSON record");
    assert!(
        stderr(&o)
            .lines()
            .any(|l| l == "sift: 1 of 3 inputs failed"),
        "{}",
        stderr(&o)
    );
    let reports = jsonl(&o);
    assert_eq!(reports.len(), 2, "jsonl is the default for a record file");
    assert_eq!(reports[0]["id"], "a");
    assert_eq!(reports[0]["source"]["url"], "https://example.org/a");
    assert_eq!(reports[0]["source"]["outlet"], "Example Daily");
    assert_eq!(reports[0]["source"]["published"], "2024-02-06");
    assert_eq!(reports[1]["id"], "b");
    assert!(reports[1]["text"]
        .as_str()
        .unwrap()
        .contains("Министр финансов"));

    // A .json file holding an array of records.
    let array = s.file(
        "two.json",
        format!("[{good}, {{\"text\": \"Second story here.\"}}]").as_bytes(),
    );
    let o = analyze(&[&array], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(jsonl(&o).len(), 2);
}

#[test]
fn bad_inputs_each_fail_with_a_named_reason() {
    let s = Scratch::new("bad");
    let empty = s.file("empty.txt", b"");
    assert_fails(&analyze(&[&empty], &[]), 4, &empty, "input is empty");

    let blank = s.file("blank.txt", b"  \n\n\t ");
    assert_fails(&analyze(&[&blank], &[]), 4, &blank, "input is empty");

    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4000u32).map(|i| (i * 7919 % 251) as u8));
    let binary = s.file("image.txt", &png);
    assert_fails(&analyze(&[&binary], &[]), 4, &binary, "binary data");

    let mut broken = "Всё в порядке, сказал министр финансов журналистам."
        .as_bytes()
        .to_vec();
    broken.insert(12, 0xff);
    let undecodable = s.file("broken.txt", &broken);
    assert_fails(
        &analyze(&[&undecodable], &[]),
        4,
        &undecodable,
        "invalid UTF-8 at byte 12",
    );

    let missing = s.0.join("no-such-file.txt");
    assert_fails(
        &analyze(&[&missing], &[]),
        4,
        &missing,
        "no such file or directory",
    );

    let not_json = s.file("bad.json", b"{\"text\": \"unterminated");
    assert_fails(&analyze(&[&not_json], &[]), 4, &not_json, "not valid JSON");

    let corrupt_gz = s.file("story.txt.gz", &gzip(EN.as_bytes())[..20]);
    assert_fails(
        &analyze(&[&corrupt_gz], &[]),
        4,
        &corrupt_gz,
        "corrupt gzip",
    );
}

#[test]
fn huge_file_is_refused_without_being_read() {
    let s = Scratch::new("huge");
    let path = s.0.join("huge.txt");
    // 500 MB, sparse: costs no disk and proves sift checks the size first.
    fs::File::create(&path)
        .unwrap()
        .set_len(500_000_000)
        .unwrap();
    let o = analyze(&[&path], &[]);
    assert_fails(&o, 4, &path, "over the 64 MiB limit");

    // A gzip bomb: small on disk, over the limit once inflated.
    let bomb = s.file("bomb.txt.gz", &gzip(&vec![b'a'; 3 << 20]));
    let o = analyze(&[&bomb], &["--max-input-bytes", "1048576"]);
    assert_fails(&o, 4, &bomb, "decompressed input is over the 1 MiB limit");
}

#[test]
fn unreadable_file_fails_alone() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new("perm");
    let path = s.file("secret.txt", EN.as_bytes());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&path).is_ok() {
        eprintln!("skipping: running as a user who can read mode-000 files (root)");
        return;
    }
    assert_fails(&analyze(&[&path], &[]), 4, &path, "permission denied");
}

#[test]
fn directory_is_walked_and_bad_files_do_not_stop_the_rest() {
    let s = Scratch::new("dir");
    s.file("a.txt", EN.as_bytes());
    s.file("nested/deeper/b.txt.gz", &gzip(RU.as_bytes()));
    s.file(
        "nested/c.html",
        format!("<html><body><article><p>{EN}</p></article></body></html>").as_bytes(),
    );
    let empty = s.file("nested/empty.txt", b"");
    s.file("notes.md", b"# not an input: ignored");
    s.file("image.png", b"\x89PNG\r\n\x1a\n\0\0");
    let o = analyze(&[&s.0], &[]);
    assert_fails(&o, 3, &empty, "input is empty");
    let err = stderr(&o);
    assert_eq!(
        err.lines().last(),
        Some("sift: 1 of 4 inputs failed"),
        "{err}"
    );
    assert_eq!(
        err.lines().count(),
        2,
        "one line per failure plus the summary: {err}"
    );
    let reports = jsonl(&o);
    let ids: Vec<&str> = reports.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["a", "c", "b"],
        "sorted walk, jsonl by default for a directory"
    );
}

#[test]
fn all_inputs_failing_exits_4_and_mixed_paths_exit_3() {
    let s = Scratch::new("mixed");
    let good = s.file("good.txt", EN.as_bytes());
    let missing = s.0.join("missing.txt");
    let o = analyze(&[&good, &missing], &[]);
    assert_fails(&o, 3, &missing, "no such file");
    assert_eq!(jsonl(&o).len(), 1);
    let o = analyze(&[&missing, &missing], &[]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("sift: 2 of 2 inputs failed"));
    assert!(o.stdout.is_empty());
}

#[test]
fn formats_and_out_file() {
    let s = Scratch::new("formats");
    let path = s.file("story.txt", EN.as_bytes());

    let text = analyze(&[&path], &["--format", "text"]);
    assert_eq!(text.status.code(), Some(0));
    let shown = String::from_utf8(text.stdout).unwrap();
    assert!(
        !shown.trim_start().starts_with('{') && shown.contains("en"),
        "{shown}"
    );
    assert!(
        !shown.contains('\u{1b}'),
        "no colour when not on a terminal"
    );

    let lines = analyze(&[&path], &["--format", "jsonl"]);
    assert_eq!(jsonl(&lines).len(), 1);
    assert_eq!(String::from_utf8(lines.stdout).unwrap().lines().count(), 1);

    let html = analyze(&[&path], &["--format", "html"]);
    assert_eq!(html.status.code(), Some(2));
    assert!(
        stderr(&html).contains("not implemented"),
        "{}",
        stderr(&html)
    );

    let out = s.0.join("report.json");
    let o = analyze(&[&path], &["--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let written: serde_json::Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(written["id"], "story");

    let unwritable = s.0.join("no-such-dir/report.json");
    let o = analyze(&[&path], &["--out", unwritable.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "unwritable output is exit 1");
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
}

#[test]
fn stdin_text_html_records_and_limit() {
    let o = sift(&["analyze"], Some(EN.as_bytes()));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["id"], "stdin");
    assert!(r["source"].get("path").is_none());

    let page = format!(
        "<!doctype html><html><body><article><p>{EN}</p><p>{EN}</p></article></body></html>"
    );
    let o = sift(&["analyze", "-"], Some(page.as_bytes()));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["source"]["format"], "html");

    let records = "{\"id\": \"r1\", \"text\": \"First story.\"}\n{\"id\": \"r2\", \"text\": \"Second story.\"}\n";
    let o = sift(&["analyze"], Some(records.as_bytes()));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ids: Vec<String> = jsonl(&o)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["r1", "r2"]);

    let big = vec![b'a'; 200_000];
    let o = sift(&["analyze", "--max-input-bytes", "100000"], Some(&big));
    assert_eq!(o.status.code(), Some(4));
    assert!(
        stderr(&o).contains("sift: -: input is over the 100000-byte limit"),
        "{}",
        stderr(&o)
    );

    let o = sift(&["analyze"], Some(b""));
    assert_eq!(o.status.code(), Some(4));
    assert!(
        stderr(&o).contains("sift: -: input is empty"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn help_documents_inputs_and_exit_codes() {
    let o = sift(&["--help"], None);
    let help = String::from_utf8(o.stdout).unwrap();
    for code in [
        "0  every input analysed",
        "3  some inputs failed",
        "4  no input could be analysed",
    ] {
        assert!(help.contains(code), "{help}");
    }
    let o = sift(&["analyze", "--help"], None);
    let help = String::from_utf8(o.stdout).unwrap();
    assert!(
        help.contains("--max-input-bytes") && help.contains(".jsonl"),
        "{help}"
    );
}
