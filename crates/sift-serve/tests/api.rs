//! Every rule of the server, through the router with tower's `oneshot`.

use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::Value;
use sift_serve::{check_bind, router, Config, ServeError};
use tower::ServiceExt;

const ARTICLE: &str = "The drone flew 9,000 kilometres in 12 hours, officials said. \
\"This is a historic day,\" Defence Minister Laura Brennan told reporters on Tuesday.";

fn app() -> Router {
    router(Config::default())
}

fn with_token() -> Router {
    router(Config {
        token: Some("s3cret-token".into()),
        ..Config::default()
    })
}

fn post_json(path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap()
}

async fn send(app: Router, req: Request<Body>) -> (StatusCode, Value, String) {
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let content_type = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, json, content_type)
}

/// Errors are JSON with the status repeated inside.
fn assert_error(status: StatusCode, body: &Value, content_type: &str, expected: StatusCode) {
    assert_eq!(status, expected, "body: {body}");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    assert_eq!(body["error"]["status"], expected.as_u16(), "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn analyze_text_returns_the_report() {
    let body = serde_json::json!({ "text": ARTICLE }).to_string();
    let (status, report, ct) = send(app(), post_json("/api/analyze", body)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(ct.starts_with("application/json"));
    assert_eq!(report["text"].as_str().unwrap(), ARTICLE);
    assert_eq!(report["schema"], 1);
    // The same layers as the library gives (timings and ids differ).
    let mut back: sift::Report = serde_json::from_value(report).unwrap();
    let mut direct = sift::analyze_text(ARTICLE);
    back.timing_ms.clear();
    direct.timing_ms.clear();
    (back.id, back.source) = (direct.id.clone(), direct.source.clone());
    assert_eq!(back, direct);
}

#[tokio::test]
async fn analyze_html_extracts_text() {
    let page = format!(
        "<!doctype html><html><head><title>T</title></head><body><p>{}</p></body></html>",
        ARTICLE.replace('"', "&quot;")
    );
    let body = serde_json::json!({ "html": page, "lang": "en" }).to_string();
    let (status, report, _) = send(app(), post_json("/api/analyze", body)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(report["text"]
        .as_str()
        .unwrap()
        .contains("9,000 kilometres"));
}

#[tokio::test]
async fn health_and_openapi() {
    let req = Request::get("/api/health").body(Body::empty()).unwrap();
    let (status, body, _) = send(app(), req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");

    let req = Request::get("/api/openapi.json")
        .body(Body::empty())
        .unwrap();
    let (status, doc, ct) = send(app(), req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("application/json"));
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for (path, method) in [
        ("/api/analyze", "post"),
        ("/api/view", "post"),
        ("/api/health", "get"),
        ("/api/openapi.json", "get"),
        ("/", "get"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "openapi lacks {method} {path}"
        );
        // And the route really exists (no 404/405 for the documented method).
        let req = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap();
        let status = app().oneshot(req).await.unwrap().status();
        assert!(
            status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {status}"
        );
    }
}

#[tokio::test]
async fn index_serves_the_app_with_a_strict_policy() {
    let req = Request::get("/").body(Body::empty()).unwrap();
    let resp = app().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = resp.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"));
    assert_eq!(resp.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let page = String::from_utf8(
        to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(page.contains("<textarea"));
    assert!(page.contains("type=\"file\""));
    assert!(page.contains("data-layer=\"findings\""));
    assert!(
        !page.contains("name=\"token\""),
        "no token field without a token"
    );
}

#[tokio::test]
async fn malformed_bodies_get_json_errors_not_panics() {
    let cases: Vec<(Request<Body>, StatusCode)> = vec![
        (
            post_json("/api/analyze", "{not json"),
            StatusCode::BAD_REQUEST,
        ),
        (post_json("/api/analyze", ""), StatusCode::BAD_REQUEST),
        (
            post_json("/api/analyze", vec![0xff, 0xfe, 0x00, 0x9f]),
            StatusCode::BAD_REQUEST,
        ),
        (
            post_json("/api/analyze", "[1,2,3]"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            post_json("/api/analyze", "{}"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            post_json("/api/analyze", r#"{"text": 5}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            post_json("/api/analyze", r#"{"text": "   \n "}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            post_json("/api/analyze", r#"{"text": "a", "html": "<p>b</p>"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            post_json("/api/analyze", r#"{"text": "a", "bogus": 1}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            post_json("/api/analyze", r#"{"text": "a b c", "lang": "fr"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            post_json("/api/view", r#"{"documents": []}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Request::post("/api/analyze")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from(r#"{"text":"a"}"#))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            Request::post("/api/analyze")
                .body(Body::from(r#"{"text":"a"}"#))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            Request::get("/api/analyze").body(Body::empty()).unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Request::get("/api/nothing").body(Body::empty()).unwrap(),
            StatusCode::NOT_FOUND,
        ),
    ];
    for (req, expected) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let (status, body, ct) = send(app(), req).await;
        assert_eq!(status, expected, "{what}: {body}");
        assert_error(status, &body, &ct, expected);
    }
}

#[tokio::test]
async fn odd_but_valid_texts_are_analysed() {
    // Control characters, lone combining marks, RTL, emoji, NUL, huge numbers.
    for text in [
        "\u{0}\u{1}\u{7f} x",
        "\u{301}\u{301}\u{301}",
        "שלום עולם 12 km",
        "🚀🚀 9999999999999999999999999999 km in 0 hours 0% of 0",
        "<script>alert(1)</script>",
        "Ф\r\n\r\n\r\nИ",
    ] {
        let body = serde_json::json!({ "text": text }).to_string();
        let (status, report, _) = send(app(), post_json("/api/analyze", body)).await;
        assert_eq!(status, StatusCode::OK, "{text:?}: {report}");
    }
}

#[tokio::test]
async fn body_limit_is_enforced_with_413() {
    let small = router(Config {
        max_body_bytes: 1024,
        ..Config::default()
    });
    let big = serde_json::json!({ "text": "word ".repeat(400) }).to_string();
    let (status, body, ct) = send(small.clone(), post_json("/api/analyze", big)).await;
    assert_error(status, &body, &ct, StatusCode::PAYLOAD_TOO_LARGE);
    let fits = serde_json::json!({ "text": "word ".repeat(100) }).to_string();
    let (status, _, _) = send(small, post_json("/api/analyze", fits)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn slow_requests_time_out_with_408() {
    let quick = router(Config {
        timeout: Duration::from_millis(100),
        ..Config::default()
    });
    // A body that never finishes arriving.
    let (_tx, rx) = tokio::sync::mpsc::channel::<Result<axum::body::Bytes, std::io::Error>>(1);
    let stream = tokio_stream_from(rx);
    let req = Request::post("/api/analyze")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(stream))
        .unwrap();
    let (status, body, ct) = send(quick, req).await;
    assert_error(status, &body, &ct, StatusCode::REQUEST_TIMEOUT);
}

/// A stream over an mpsc receiver (without pulling in tokio-stream).
fn tokio_stream_from(
    rx: tokio::sync::mpsc::Receiver<Result<axum::body::Bytes, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<axum::body::Bytes, std::io::Error>> {
    futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    })
}

#[tokio::test]
async fn token_is_required_on_analysis_routes() {
    let body = || serde_json::json!({ "text": ARTICLE }).to_string();
    // No header, wrong token, wrong scheme, token as a prefix: all 401.
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("Basic s3cret-token"),
        Some("Bearer s3cret"),
        Some("Bearer s3cret-token-and-more"),
    ] {
        let mut req = post_json("/api/analyze", body());
        if let Some(a) = auth {
            req.headers_mut()
                .insert(header::AUTHORIZATION, a.parse().unwrap());
        }
        let resp = with_token().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(resp.headers()[header::WWW_AUTHENTICATE], "Bearer");
    }
    let mut req = post_json("/api/view", r#"{"documents":[{"text":"x y"}]}"#);
    req.headers_mut()
        .insert(header::AUTHORIZATION, "Bearer nope".parse().unwrap());
    let (status, error, ct) = send(with_token(), req).await;
    assert_error(status, &error, &ct, StatusCode::UNAUTHORIZED);

    let mut req = post_json("/api/analyze", body());
    req.headers_mut().insert(
        header::AUTHORIZATION,
        "Bearer s3cret-token".parse().unwrap(),
    );
    let (status, _, _) = send(with_token(), req).await;
    assert_eq!(status, StatusCode::OK);
    // Open routes stay open; the page asks for the token.
    for path in ["/", "/api/health", "/api/openapi.json"] {
        let req = Request::get(path).body(Body::empty()).unwrap();
        let resp = with_token().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        if path == "/" {
            let page = to_bytes(resp.into_body(), usize::MAX).await.unwrap();
            assert!(String::from_utf8_lossy(&page).contains("name=\"token\""));
        }
    }
}

#[tokio::test]
async fn loopback_server_rejects_foreign_host_headers() {
    for (host, expected) in [
        ("localhost:8080", StatusCode::OK),
        ("127.0.0.1:8080", StatusCode::OK),
        ("[::1]:8080", StatusCode::OK),
        ("LOCALHOST", StatusCode::OK),
        ("evil.example:8080", StatusCode::FORBIDDEN),
        ("127.0.0.1.evil.example", StatusCode::FORBIDDEN),
        ("localhost.evil.example:80", StatusCode::FORBIDDEN),
    ] {
        let req = Request::get("/api/health")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        let (status, body, _) = send(app(), req).await;
        assert_eq!(status, expected, "{host}: {body}");
    }
    // With a token the server may sit behind any name.
    let mut req = post_json(
        "/api/analyze",
        serde_json::json!({ "text": ARTICLE }).to_string(),
    );
    req.headers_mut()
        .insert(header::HOST, "sift.example".parse().unwrap());
    req.headers_mut().insert(
        header::AUTHORIZATION,
        "Bearer s3cret-token".parse().unwrap(),
    );
    assert_eq!(
        with_token().oneshot(req).await.unwrap().status(),
        StatusCode::OK
    );
}

#[test]
fn bind_rule_loopback_or_token() {
    assert!(check_bind("127.0.0.1", 0, None).is_ok());
    assert!(check_bind("::1", 0, None).is_ok());
    assert!(check_bind("localhost", 0, None).is_ok());
    assert!(matches!(
        check_bind("0.0.0.0", 0, None),
        Err(ServeError::TokenRequired(_))
    ));
    assert!(matches!(
        check_bind("192.168.1.10", 0, None),
        Err(ServeError::TokenRequired(_))
    ));
    assert!(check_bind("0.0.0.0", 0, Some("tok")).is_ok());
    assert!(matches!(
        check_bind("0.0.0.0", 0, Some("  ")),
        Err(ServeError::EmptyToken)
    ));
    assert!(matches!(
        check_bind("no such host.invalid", 0, None),
        Err(ServeError::BadAddress(_))
    ));
}

#[tokio::test]
async fn view_renders_a_batch_and_reports_bad_documents() {
    let body = serde_json::json!({
        "documents": [
            { "text": ARTICLE, "id": "one.txt" },
            { "text": "  " , "id": "empty.txt"},
            { "html": "<p>Второй текст: ракета пролетела 100 км.</p>", "id": "two.html" }
        ]
    })
    .to_string();
    let (status, body, _) = send(app(), post_json("/api/view", body)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["analysed"], 2);
    assert_eq!(body["errors"][0]["index"], 1);
    assert_eq!(body["errors"][0]["id"], "empty.txt");
    let html = body["html"].as_str().unwrap();
    assert_eq!(html.matches("<article class=\"sift-report\"").count(), 2);
    assert!(html.contains("one.txt"));

    let too_many: Vec<Value> = (0..21)
        .map(|_| serde_json::json!({ "text": "a b" }))
        .collect();
    let body = serde_json::json!({ "documents": too_many }).to_string();
    let (status, body, ct) = send(app(), post_json("/api/view", body)).await;
    assert_error(status, &body, &ct, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn view_escapes_hostile_text() {
    let body = serde_json::json!({
        "documents": [{ "text": "x </script><script>alert(1)</script> <img src=x onerror=alert(2)>", "id": "<b>id</b>" }]
    })
    .to_string();
    let (status, body, _) = send(app(), post_json("/api/view", body)).await;
    assert_eq!(status, StatusCode::OK);
    let html = body["html"].as_str().unwrap();
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>id"));
    assert_eq!(
        html.matches("</script>").count(),
        1,
        "only the data block closes"
    );
}

/// Uploaded files travel as raw bytes and are decoded like files on disk:
/// a Windows-1251 Russian text arrives intact.
#[tokio::test]
async fn uploaded_file_bytes_are_decoded_like_files() {
    const CP1251: &str = "zOjt6PHy8CDu4e7w7u37IOfg/+Lo6yDm8/Dt4Ovo8fLg7Cwg9/LuIO3u4uD/IPDg6uXy4CDv8O7r5fLl6+AgMTAwIOro6+7s5fLw7uIg5+Ag5OXx//L8IOzo7fPyLiDI8e/78uDt6P8g7/Du+OvoIPPx7+X47e4sIPHu7uH56OvoIOIg4uXk7uzx8uLlLg==";
    let body = serde_json::json!({ "file_base64": CP1251, "id": "statement.txt" }).to_string();
    let (status, report, _) = send(app(), post_json("/api/analyze", body)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(
        report["text"]
            .as_str()
            .unwrap()
            .starts_with("Министр обороны заявил"),
        "{report}"
    );
    assert_eq!(report["language"]["code"], "ru");

    for (bad, expected) in [
        (
            serde_json::json!({ "file_base64": "%%not base64" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            serde_json::json!({ "file_base64": "", "id": "empty.txt" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            serde_json::json!({ "file_base64": CP1251, "text": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            serde_json::json!({ "file_base64": CP1251, "html": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // Binary junk is refused by the input layer, not analysed.
        (
            serde_json::json!({ "file_base64": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, body, ct) = send(app(), post_json("/api/analyze", bad.to_string())).await;
        assert_error(status, &body, &ct, expected);
    }
}
