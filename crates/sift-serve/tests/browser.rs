//! The web app in a real browser: Debian's `chromium` driven headless through
//! `chromedriver` (package `chromium-driver`) with fantoccini.
//!
//! Paste an article, submit, check the highlights and findings, switch a layer
//! off and on, open the details of a span, and save a screenshot to
//! `target/browser-test/`. Skips (passes, with a message) when chromium or
//! chromedriver is missing, except under CI (`CI` set), where that fails.

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// The README's example article, read at run time (nothing is embedded from outside
/// the crate).
fn article() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/missile-test.txt"
    );
    std::fs::read_to_string(path).expect("examples/missile-test.txt")
}

fn find_binary(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([
            PathBuf::from("/usr/bin"),
            PathBuf::from("/usr/lib/chromium"),
        ])
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Kills chromedriver (and with it the browser) however the test ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn artifact_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("browser-test");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn start_browser(chromium: &Path, chromedriver: &Path) -> (Driver, Client, tempdir::Dir) {
    let port = free_port();
    let driver = Driver(
        Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let url = format!("http://127.0.0.1:{port}");
    let profile = tempdir::Dir::new("sift-browser-profile");
    let args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--window-size=1280,900".into(),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": chromium, "args": args }),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let client = loop {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => break c,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(e) => panic!("cannot start a chromium session via {url}: {e}"),
        }
    };
    (driver, client, profile)
}

/// A fresh directory removed on drop (no extra crate for it).
mod tempdir {
    use std::path::{Path, PathBuf};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new(prefix: &str) -> Dir {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            let dir = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            Dir(dir)
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

async fn js(client: &Client, script: &str) -> Value {
    client.execute(script, vec![]).await.expect(script)
}

async fn count(client: &Client, css: &str) -> usize {
    client.find_all(Locator::Css(css)).await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_app_in_headless_chromium() {
    let chromium = find_binary(&["chromium", "chromium-browser"]);
    let chromedriver = find_binary(&["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but chromium/chromedriver are missing: .ci/run installs them");
        }
        eprintln!(
            "skipping: chromium or chromedriver not found \
             (apt-get install chromium chromium-driver to run the browser test)"
        );
        return;
    };

    // The server under test, on a free loopback port.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, sift_serve::router(sift_serve::Config::default()))
            .await
            .unwrap();
    });
    let article = article();
    let expected = sift::analyze_text(&article);

    let (_driver, client, _profile) = start_browser(&chromium, &chromedriver).await;
    let result = drive(
        &client,
        &format!("http://localhost:{}/", addr.port()),
        &expected,
    )
    .await;
    let _ = client.close().await;
    result.unwrap();
}

async fn drive(client: &Client, url: &str, expected: &sift::Report) -> Result<(), String> {
    let article = article();
    client.goto(url).await.map_err(|e| e.to_string())?;
    let textarea = client
        .find(Locator::Css("textarea[name=text]"))
        .await
        .map_err(|e| e.to_string())?;
    textarea
        .send_keys(&article)
        .await
        .map_err(|e| e.to_string())?;
    client
        .find(Locator::Css("button[type=submit]"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(".results .sift-report .sift-text"))
        .await
        .map_err(|e| format!("no annotated view appeared: {e}"))?;

    // The text arrived whole and the view shows what the library finds.
    let shown = js(
        client,
        "return document.querySelector('.results .sift-text').textContent",
    )
    .await;
    let pasted = article.replace("\r\n", "\n");
    assert_eq!(shown.as_str().unwrap().trim(), pasted.trim());
    let highlights = count(client, ".results .sift-text [data-s]").await;
    let spans = expected.entities.len()
        + expected.quantities.len()
        + expected.attributions.len()
        + expected.techniques.len()
        + expected.findings.len();
    assert_eq!(
        highlights > 0,
        spans > 0,
        "{highlights} highlighted runs for {spans} spans"
    );
    // The example is written to trip the consistency engine (750 km/h "hypersonic").
    assert!(
        !expected.findings.is_empty(),
        "examples/missile-test.txt gives no finding"
    );
    let findings = count(client, ".results .finding").await;
    assert_eq!(findings, expected.findings.len(), "findings listed");
    if !expected.findings.is_empty() {
        assert!(
            count(client, ".results .sift-text .l-fnd").await > 0,
            "no evidence highlighted"
        );
    }
    screenshot(client, "screenshot.png").await;

    // A batch of two uploaded files (one Russian) instead of pasted text.
    upload_batch(client).await?;

    // The fixed annotated page (every layer present) in the same browser.
    fixture_page(client).await
}

async fn upload_batch(client: &Client) -> Result<(), String> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let files = ["missile-test.txt", "zapusk.txt"].map(|f| {
        examples
            .join(f)
            .canonicalize()
            .unwrap()
            .display()
            .to_string()
    });
    js(
        client,
        "document.querySelector('textarea[name=text]').value = ''; \
                document.querySelector('.results').replaceChildren(); return 0",
    )
    .await;
    client
        .find(Locator::Css("input[type=file]"))
        .await
        .map_err(|e| e.to_string())?
        .send_keys(&files.join("\n"))
        .await
        .map_err(|e| e.to_string())?;
    client
        .find(Locator::Css("button[type=submit]"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while count(client, ".results .sift-report").await < 2 {
        if Instant::now() > deadline {
            let status = js(
                client,
                "return document.querySelector('.status').textContent",
            )
            .await;
            return Err(format!("batch never rendered: {status}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let titles = js(
        client,
        "return Array.from(document.querySelectorAll('.results .doc-head h2')).map(h => h.textContent)",
    )
    .await;
    assert_eq!(titles, json!(["missile-test.txt", "zapusk.txt"]));
    let russian = js(
        client,
        "return document.querySelectorAll('.results .sift-text')[1].textContent",
    )
    .await;
    assert!(
        russian.as_str().unwrap().contains("беспилотника"),
        "{russian}"
    );
    Ok(())
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    let path = artifact_dir().join(name);
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
}

/// A static `--format html` page with every layer filled: highlights, a finding,
/// the toggle, and the details panel.
async fn fixture_page(client: &Client) -> Result<(), String> {
    let page = sift::render::html::page(&[fixture::report()]);
    let file = artifact_dir().join("fixture.html");
    std::fs::write(&file, page).unwrap();
    client
        .goto(&format!("file://{}", file.display()))
        .await
        .map_err(|e| e.to_string())?;
    for layer in [
        ".l-ent", ".l-qty", ".l-src", ".l-cue", ".l-cnt", ".l-tec", ".l-fnd",
    ] {
        assert!(
            count(client, &format!(".sift-text {layer}")).await > 0,
            "{layer} missing"
        );
    }
    assert_eq!(count(client, ".finding").await, 1);
    let bar = "return getComputedStyle(document.querySelector('.sift-text .l-fnd')).boxShadow";
    let before = js(client, bar).await;
    assert!(before.as_str().unwrap().contains("inset"), "{before}");

    // Findings off: the bar goes, the body says so; on again: it is back.
    let toggle = client
        .find(Locator::Css("input[data-layer=findings]"))
        .await
        .map_err(|e| e.to_string())?;
    toggle.click().await.map_err(|e| e.to_string())?;
    let hidden = js(
        client,
        "return document.body.classList.contains('hide-findings')",
    )
    .await;
    assert_eq!(hidden, Value::Bool(true));
    let off = js(client, bar).await;
    assert!(
        !off.as_str().unwrap().contains("rgb(220, 38, 38)"),
        "still red: {off}"
    );
    screenshot(client, "findings-off.png").await;
    toggle.click().await.map_err(|e| e.to_string())?;
    assert_eq!(js(client, bar).await, before);

    // Click a quantity that is also finding evidence: both appear in the details,
    // with the finding's arithmetic.
    client
        .find(Locator::Css(".sift-text [data-s~=q1]"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let details = js(
        client,
        "return document.querySelector('.details-body').textContent",
    )
    .await;
    let details = details.as_str().unwrap();
    assert!(details.contains("quantity · duration"), "{details}");
    assert!(details.contains("9000 km / 12 h = 750 km/h"), "{details}");
    // The resolved speaker and source type of an attribution.
    client
        .find(Locator::Css(".sift-text [data-s~=ac0]"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let details = js(
        client,
        "return document.querySelector('.details-body').textContent",
    )
    .await;
    let details = details.as_str().unwrap();
    assert!(details.contains("speaker: Laura Brennan"), "{details}");
    assert!(details.contains("source type: named person"), "{details}");
    // Hostile text stayed text: no script from the article ran.
    assert_eq!(
        js(client, "return typeof window.pwned").await,
        json!("undefined")
    );
    screenshot(client, "fixture.png").await;
    long_page(client).await
}

/// A ~20,000-word page with every layer on every paragraph: it loads, and a
/// layer toggle (a full restyle) stays interactive.
async fn long_page(client: &Client) -> Result<(), String> {
    let one = fixture::report();
    let copies = 20_000 / one.text.split_whitespace().count() + 1;
    let report = fixture::repeated(&one, copies);
    let words = report.text.split_whitespace().count();
    let page = sift::render::html::page(&[report]);
    let file = artifact_dir().join("long.html");
    std::fs::write(&file, &page).unwrap();
    client
        .goto(&format!("file://{}", file.display()))
        .await
        .map_err(|e| e.to_string())?;
    let load = js(
        client,
        "const t = performance.getEntriesByType('navigation')[0]; return t.loadEventEnd || t.domComplete",
    )
    .await;
    let toggle = js(
        client,
        "const box = document.querySelector('input[data-layer=attributions]');\
         const t0 = performance.now(); box.click(); document.body.offsetHeight;\
         box.click(); document.body.offsetHeight; return performance.now() - t0",
    )
    .await;
    let highlighted = count(client, ".sift-text [data-s]").await;
    let (load, toggle) = (load.as_f64().unwrap(), toggle.as_f64().unwrap());
    eprintln!(
        "long page: {words} words, {} KB, {highlighted} highlighted runs; \
         load {load:.0} ms, two toggles {toggle:.0} ms",
        page.len() / 1024
    );
    assert!(words >= 20_000);
    assert!(highlighted >= copies * 7, "{highlighted} runs");
    assert!(load < 15_000.0, "load took {load} ms");
    assert!(toggle < 2_000.0, "toggling took {toggle} ms");
    Ok(())
}

mod fixture {
    use sift::*;
    use sift::{Report, Span};

    fn find(text: &str, needle: &str) -> Span {
        let b = text.find(needle).unwrap();
        let start = text[..b].chars().count();
        Span::new(start, start + needle.chars().count())
    }

    /// `one` repeated `copies` times (paragraphs), spans shifted along.
    pub fn repeated(one: &Report, copies: usize) -> Report {
        let unit = format!("{}\n\n", one.text);
        let step = unit.chars().count();
        let mut out = Report {
            text: unit.repeat(copies),
            ..Report::default()
        };
        for k in 0..copies {
            let d = k * step;
            let sp = |s: Span| Span::new(s.start + d, s.end + d);
            let ts = |t: &TextSpan| TextSpan {
                start: t.start + d,
                end: t.end + d,
                text: t.text.clone(),
            };
            for e in &one.entities {
                out.entities.push(Entity {
                    start: e.start + d,
                    end: e.end + d,
                    ..e.clone()
                });
            }
            for q in &one.quantities {
                out.quantities.push(Quantity {
                    start: q.start + d,
                    end: q.end + d,
                    ..q.clone()
                });
            }
            for a in &one.attributions {
                out.attributions.push(Attribution {
                    source: a.source.as_ref().map(ts),
                    cue: ts(&a.cue),
                    content: sp(a.content),
                    ..a.clone()
                });
            }
            for t in &one.techniques {
                out.techniques.push(Technique {
                    start: t.start + d,
                    end: t.end + d,
                    ..t.clone()
                });
            }
            for f in &one.findings {
                out.findings.push(Finding {
                    evidence: f.evidence.iter().map(|&e| sp(e)).collect(),
                    ..f.clone()
                });
            }
        }
        out
    }

    pub fn report() -> Report {
        let text =
            "Drone flies far\n\nThe drone flew 9,000 kilometres in 12 hours, officials said. \
                    \"This is a historic day,\" Minister Laura Brennan told reporters. \
                    <script>window.pwned = 1</script> \"><img src=x onerror=\"window.pwned=2\">";
        let q = |needle: &str, value: f64, dim: &str| {
            let s = find(text, needle);
            Quantity {
                start: s.start,
                end: s.end,
                text: needle.into(),
                value,
                low: None,
                high: None,
                unit: None,
                dimension: dim.into(),
                si_value: None,
                si_unit: None,
                approx: false,
                bound: None,
                date: None,
                weekday: None,
            }
        };
        let ts = |needle: &str| {
            let s = find(text, needle);
            TextSpan {
                start: s.start,
                end: s.end,
                text: needle.into(),
            }
        };
        let brennan = find(text, "Laura Brennan");
        let quote = find(text, "This is a historic day,");
        Report {
            text: text.into(),
            entities: vec![Entity {
                start: brennan.start,
                end: brennan.end,
                text: "Laura Brennan".into(),
                kind: EntityKind::Person,
                canonical: "Laura Brennan".into(),
                role: Some("Minister".into()),
            }],
            quantities: vec![
                q("9,000 kilometres", 9000.0, "length"),
                q("12 hours", 12.0, "duration"),
            ],
            attributions: vec![Attribution {
                source: Some(ts("Minister Laura Brennan")),
                cue: ts("told"),
                content: quote,
                kind: AttributionKind::Direct,
                speaker: Some("Laura Brennan".into()),
                speaker_via: Some(sift::SpeakerVia::Name),
                speaker_entity: Some(0),
                role: Some("Minister".into()),
                source_type: SourceType::NamedPerson,
                confidence: 0.9,
            }],
            techniques: vec![Technique {
                start: quote.start,
                end: quote.end,
                technique: TechniqueName::AppealToValues,
                confidence: 0.6,
            }],
            findings: vec![Finding {
                kind: sift::FindingKind::Inconsistency,
                code: sift::FindingCode::ImpliedSpeed,
                severity: Severity::High,
                message: "9,000 km in 12 hours is 750 km/h, not hypersonic".into(),
                evidence: vec![find(text, "9,000 kilometres in 12 hours")],
                computation: Some("9000 km / 12 h = 750 km/h < Mach 5".into()),
            }],
            ..Report::default()
        }
    }
}
