//! `sift serve`: a local web app (paste text, upload files, see the annotated
//! view) and a JSON API over the sift pipeline.
//!
//! Safe by default: [`check_bind`] refuses a non-loopback address unless a
//! token is configured; with a token every route that runs analysis needs
//! `Authorization: Bearer <token>`; without one, requests must name a loopback
//! `Host` (no DNS rebinding). Bodies are capped ([`Config::max_body_bytes`]),
//! requests time out ([`Config::timeout`]), connections are bounded in number
//! and time ([`connections`]), responses in size ([`Config::max_response_bytes`]),
//! and every error is JSON with the right status.
//!
//! Analysis runs on its own thread per request, with a large stack
//! ([`Config::analysis_stack_bytes`]) and behind `catch_unwind`: a stack overflow
//! would abort the whole process, which `catch_unwind` cannot stop, so the stack
//! is made deep enough that input cannot exhaust it (HTML nesting is bounded
//! before extraction). A request that times out marks its work cancelled; a
//! `/api/view` batch stops before its next document, and a single document is
//! bounded instead: the body limit caps its size and every layer is linear,
//! so its slot is held for at most the time one maximal document takes.

mod connections;

pub use connections::serve_connections;

use std::net::{SocketAddr, ToSocketAddrs};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use sift::render::html;
use sift::{Document, LanguageHint, Pipeline, RawDocument, Report, Source};
use tower_http::timeout::TimeoutLayer;

/// The OpenAPI 3.1 description of the API, served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("assets/openapi.json");
const APP_SCRIPT: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");

/// Routes anyone who can reach the server may call: they run no analysis and
/// return no data.
const OPEN_PATHS: [&str; 3] = ["/", "/api/health", "/api/openapi.json"];

/// Server settings. `Default` is the CLI's default.
#[derive(Debug, Clone)]
pub struct Config {
    /// Bearer token required on analysis routes; `None` = loopback only.
    pub token: Option<String>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Whole-request deadline (reading the body, analysing, answering).
    pub timeout: Duration,
    /// Most documents in one `/api/view` batch.
    pub max_batch: usize,
    /// Analyses running at once; the rest wait their turn (FIFO). Analysis is
    /// CPU-bound, so more than the core count only adds switching and contention.
    pub max_concurrent: usize,
    /// The layers every request runs (the CLI appends fact-check matching when
    /// `--factchecks DIR` is given).
    pub pipeline: Arc<Pipeline>,
    /// Connections open at once; past it new ones wait in the kernel's backlog.
    pub max_connections: usize,
    /// Time a client has to send a request head, and the longest a keep-alive
    /// connection may sit idle between requests.
    pub header_timeout: Duration,
    /// After this long a connection finishes its current request and closes.
    pub connection_lifetime: Duration,
    /// Largest response body; a larger report is answered 413 (send less text).
    pub max_response_bytes: usize,
    /// Stack of each analysis thread (reserved address space; only pages used
    /// are committed).
    pub analysis_stack_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            token: None,
            max_body_bytes: 2 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            max_batch: 20,
            max_concurrent: std::thread::available_parallelism().map_or(2, |n| n.get()),
            pipeline: Arc::new(Pipeline::default()),
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
            connection_lifetime: Duration::from_secs(300),
            max_response_bytes: 32 * 1024 * 1024,
            analysis_stack_bytes: 256 * 1024 * 1024,
        }
    }
}

/// Why the server will not start.
#[derive(Debug)]
pub enum ServeError {
    /// A non-loopback address without a token.
    TokenRequired(SocketAddr),
    /// An empty `--token`.
    EmptyToken,
    /// A token with leading or trailing white space (a copy-paste slip that
    /// no client would send back).
    TokenSpaces,
    /// The host did not resolve.
    BadAddress(String),
    Io(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::TokenRequired(a) => write!(
                f,
                "refusing to listen on {a}, which is not a loopback address, without a token \
                 (set --token or SIFT_TOKEN)"
            ),
            ServeError::EmptyToken => write!(f, "the token is empty"),
            ServeError::TokenSpaces => {
                write!(f, "the token starts or ends with white space; remove it")
            }
            ServeError::BadAddress(s) => write!(f, "cannot resolve {s}"),
            ServeError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// Resolve `host:port` and apply the bind rule: loopback, or a token.
pub fn check_bind(host: &str, port: u16, token: Option<&str>) -> Result<SocketAddr, ServeError> {
    if token.is_some_and(|t| t.trim().is_empty()) {
        return Err(ServeError::EmptyToken);
    }
    if token.is_some_and(|t| t.trim() != t) {
        return Err(ServeError::TokenSpaces);
    }
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|_| ServeError::BadAddress(format!("{host}:{port}")))?
        .collect();
    let addr = *addrs
        .first()
        .ok_or_else(|| ServeError::BadAddress(format!("{host}:{port}")))?;
    if token.is_none() {
        if let Some(open) = addrs.iter().find(|a| !a.ip().is_loopback()) {
            return Err(ServeError::TokenRequired(*open));
        }
    }
    Ok(addr)
}

struct AppState {
    config: Config,
    analyses: Arc<tokio::sync::Semaphore>,
}

/// A JSON error with its HTTP status: `{"error": {"status", "code", "message"}}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }
}

fn error_body(status: StatusCode, message: &str) -> Body {
    let code = status
        .canonical_reason()
        .unwrap_or("error")
        .to_lowercase()
        .replace([' ', '-'], "_");
    let value = serde_json::json!({
        "error": { "status": status.as_u16(), "code": code, "message": message }
    });
    Body::from(value.to_string())
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = Response::new(error_body(self.status, &self.message));
        *resp.status_mut() = self.status;
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        resp
    }
}

/// One document to analyse: exactly one of `text`, `html` or `file_base64`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRequest {
    pub text: Option<String>,
    pub html: Option<String>,
    /// An uploaded file's raw bytes, base64: decoded (any encoding) and, for
    /// `.html`/`.htm` names in `id`, extracted exactly as `sift analyze` reads files.
    pub file_base64: Option<String>,
    /// Shown as the title when the document has none (e.g. a file name).
    pub id: Option<String>,
    /// `auto` (default), `en` or `ru`.
    pub lang: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ViewRequest {
    documents: Vec<DocumentRequest>,
    lang: Option<String>,
}

#[derive(Debug, Serialize)]
struct ViewError {
    index: usize,
    id: Option<String>,
    message: String,
}

#[derive(Debug, Serialize)]
struct ViewResponse {
    html: String,
    analysed: usize,
    errors: Vec<ViewError>,
    elapsed_ms: f64,
}

const ONE_FIELD: &str = "give exactly one of \"text\", \"html\" or \"file_base64\"";

fn language_hint(lang: Option<&str>) -> Result<LanguageHint, ApiError> {
    match lang.unwrap_or("auto") {
        "auto" => Ok(LanguageHint::Auto),
        "en" => Ok(LanguageHint::English),
        "ru" => Ok(LanguageHint::Russian),
        other => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("unknown lang {other:?}: use auto, en or ru"),
        )),
    }
}

/// Turn one request document into a report (blocking; call off the async runtime).
fn analyse_document(
    pipeline: &Pipeline,
    req: DocumentRequest,
    default_lang: Option<&str>,
) -> Result<Report, ApiError> {
    let hint = language_hint(req.lang.as_deref().or(default_lang))?;
    let id = req.id.clone().unwrap_or_else(|| "request".to_string());
    let html_source = match (req.html, req.file_base64) {
        (Some(_), Some(_)) => {
            return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ONE_FIELD))
        }
        (Some(html), None) => Some((
            format!("{}.html", id.trim_end_matches(".html")),
            html.into_bytes(),
        )),
        (None, Some(b64)) => {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|e| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!("file_base64 is not valid base64: {e}"),
                    )
                })?;
            Some((id.clone(), bytes))
        }
        (None, None) => None,
    };
    let raw = match (req.text, html_source) {
        (Some(text), None) => {
            if text.trim().is_empty() {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "text is empty",
                ));
            }
            RawDocument {
                id: id.clone(),
                source: Source {
                    path: req.id,
                    format: Some("text".into()),
                    ..Source::default()
                },
                text,
            }
        }
        (None, Some((name, bytes))) => {
            // The input layer decodes and extracts exactly as for files; the name's
            // extension says what it is.
            let first = sift::input::read_bytes(&name, &id, &bytes)
                .into_iter()
                .next();
            match first {
                Some(Ok(raw)) => raw,
                Some(Err(e)) => {
                    return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.reason))
                }
                None => {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "no text found in the document",
                    ))
                }
            }
        }
        (Some(_), Some(_)) | (None, None) => {
            return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ONE_FIELD))
        }
    };
    let doc = Document::build(raw, hint);
    Ok(pipeline.analyze(&doc))
}

/// Set when the request that started some work is gone (it timed out, or the
/// client left): work that can stop early checks it.
#[derive(Clone, Default)]
struct Cancelled(Arc<AtomicBool>);

impl Cancelled {
    fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Sets [`Cancelled`] when dropped: the request future is dropped on timeout.
struct CancelOnDrop(Cancelled);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0 .0.store(true, Ordering::Relaxed);
    }
}

/// Run `work` on its own large-stack thread once an analysis slot is free; a
/// panic becomes a 500, never a dropped connection. The slot is held until the
/// work ends, even if the request has timed out by then.
async fn off_runtime<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(Cancelled) -> Result<T, ApiError> + Send + 'static,
{
    let permit = state.analyses.clone().acquire_owned().await.map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down",
        )
    })?;
    let cancelled = Cancelled::default();
    let _guard = CancelOnDrop(cancelled.clone());
    let (send, receive) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("sift-analysis".into())
        .stack_size(state.config.analysis_stack_bytes)
        .spawn(move || {
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| work(cancelled)));
            drop(permit);
            let _ = send.send(result);
        });
    if spawned.is_err() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "cannot start an analysis thread; try again",
        ));
    }
    match receive.await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) | Err(_) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the analysis failed on this input (internal error)",
        )),
    }
}

/// Check the content type and parse a JSON body, with JSON errors for each way it can fail.
fn parse_json<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    let body = body.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the body as Content-Type: application/json",
        ));
    }
    serde_json::from_slice(&body).map_err(|e| {
        let status = if e.is_data() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::BAD_REQUEST
        };
        ApiError::new(status, format!("invalid JSON body: {e}"))
    })
}

/// A JSON response, or 413 when it would pass `max_bytes`.
fn json_response<T: Serialize>(value: &T, max_bytes: usize) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) if bytes.len() > max_bytes => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the result is {} bytes, over the {max_bytes}-byte response limit; send less text",
                bytes.len()
            ),
        )
        .into_response(),
        Ok(bytes) => {
            let mut resp = Response::new(Body::from(bytes));
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            resp
        }
        Err(e) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn analyze_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req: DocumentRequest = parse_json(&headers, body)?;
    let pipeline = state.config.pipeline.clone();
    let report = off_runtime(&state, move |_| analyse_document(&pipeline, req, None)).await?;
    Ok(json_response(&report, state.config.max_response_bytes))
}

async fn view_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req: ViewRequest = parse_json(&headers, body)?;
    if req.documents.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "\"documents\" is empty",
        ));
    }
    if req.documents.len() > state.config.max_batch {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "{} documents; at most {} per request",
                req.documents.len(),
                state.config.max_batch
            ),
        ));
    }
    language_hint(req.lang.as_deref())?;
    let started = Instant::now();
    let pipeline = state.config.pipeline.clone();
    let response = off_runtime(&state, move |cancelled| {
        let mut html_out = String::new();
        let mut errors = Vec::new();
        let mut analysed = 0;
        for (index, doc) in req.documents.into_iter().enumerate() {
            if cancelled.is_set() {
                return Err(ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "the request took too long",
                ));
            }
            let id = doc.id.clone();
            match analyse_document(&pipeline, doc, req.lang.as_deref()) {
                Ok(report) => {
                    html_out.push_str(&html::article_fragment(&report));
                    analysed += 1;
                }
                Err(e) => errors.push(ViewError {
                    index,
                    id,
                    message: e.message,
                }),
            }
        }
        Ok(ViewResponse {
            html: html_out,
            analysed,
            errors,
            elapsed_ms: started.elapsed().as_secs_f64() * 1e3,
        })
    })
    .await?;
    Ok(json_response(&response, state.config.max_response_bytes))
}

async fn health() -> Response {
    let body = serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
    });
    json_response(&body, usize::MAX)
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

const APP_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; \
                       connect-src 'self'; img-src data:; form-action 'none'; frame-ancestors 'none'; \
                       base-uri 'none'";

/// The app page: the form, and the same legend, style and script as `--format html`.
pub fn app_page(token_required: bool) -> String {
    let token_field = if token_required {
        "<label class=\"token\">Access token <input type=\"password\" name=\"token\" \
         autocomplete=\"off\" required></label>"
    } else {
        ""
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>sift</title><style>{style}{app_css}</style></head><body>\
         <header class=\"topbar\"><span class=\"brand\">sift</span>{legend}</header><main>\
         <form class=\"sift-form\" autocomplete=\"off\">\
         <label for=\"sift-input\">Paste an article (English or Russian)</label>\
         <textarea id=\"sift-input\" name=\"text\" rows=\"9\" placeholder=\"Paste the article text here…\"></textarea>\
         <div class=\"row\"><label>or upload .txt / .html files (several = a batch, at most {max}) \
         <input type=\"file\" name=\"files\" multiple accept=\".txt,.html,.htm,text/plain,text/html\"></label>\
         <label>Language <select name=\"lang\"><option value=\"auto\">auto</option>\
         <option value=\"en\">English</option><option value=\"ru\">Russian</option></select></label>\
         {token_field}<button type=\"submit\">Analyse</button></div>\
         <p class=\"status\" role=\"status\"></p></form>\
         <div class=\"results\"></div></main><div class=\"sift-tip\" hidden></div>\
         <script>{script}</script><script>{app_script}</script></body></html>\n",
        style = html::STYLE,
        app_css = APP_CSS,
        legend = html::legend(),
        max = Config::default().max_batch,
        script = html::SCRIPT,
        app_script = APP_SCRIPT,
    )
}

async fn index(State(state): State<Arc<AppState>>) -> Response {
    let page = app_page(state.config.token.is_some());
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, APP_CSP),
        ],
        page,
    )
        .into_response()
}

/// Compare without an early exit, so response time says nothing about the token.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The token of an `Authorization: Bearer <token>` header; the scheme name is
/// case-insensitive (RFC 9110, section 11.1).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

async fn guard(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    match &state.config.token {
        None => {
            // Loopback-only server: a page on another site must not reach it through a
            // DNS name that resolves to 127.0.0.1.
            let host = req
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok());
            if let Some(host) = host {
                if !is_loopback_host(host) {
                    return ApiError::new(
                        StatusCode::FORBIDDEN,
                        "this server only answers requests addressed to localhost",
                    )
                    .into_response();
                }
            }
        }
        Some(token) => {
            if !OPEN_PATHS.contains(&req.uri().path()) {
                let given = req
                    .headers()
                    .get(header::AUTHORIZATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(bearer_token);
                let ok = given.is_some_and(|g| same_secret(g.as_bytes(), token.as_bytes()));
                if !ok {
                    let mut resp = ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "missing or wrong token: send Authorization: Bearer <token>",
                    )
                    .into_response();
                    resp.headers_mut()
                        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                    return resp;
                }
            }
        }
    }
    next.run(req).await
}

/// Give error responses made outside the handlers (404, 405, timeouts, body
/// limits) the same JSON shape as the handlers' own; add `nosniff` everywhere.
async fn json_errors(mut resp: Response) -> Response {
    resp.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        let message = match status {
            StatusCode::NOT_FOUND => "no such route; see /api/openapi.json",
            StatusCode::METHOD_NOT_ALLOWED => "method not allowed on this route",
            StatusCode::REQUEST_TIMEOUT => "the request took too long",
            StatusCode::PAYLOAD_TOO_LARGE => "the request body is too large",
            _ => status.canonical_reason().unwrap_or("error"),
        };
        *resp.body_mut() = error_body(status, message);
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        resp.headers_mut().remove(header::CONTENT_LENGTH);
    }
    resp
}

/// The whole app: routes, guard, body limit, timeout, JSON errors.
pub fn router(config: Config) -> Router {
    let timeout = config.timeout;
    let max_body = config.max_body_bytes;
    let analyses = Arc::new(tokio::sync::Semaphore::new(config.max_concurrent.max(1)));
    let state = Arc::new(AppState { config, analyses });
    Router::new()
        .route("/", get(index))
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .route("/api/analyze", post(analyze_handler))
        .route("/api/view", post(view_handler))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(middleware::map_response(json_errors))
        .with_state(state)
}

/// Serve on an already bound listener until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, config: Config) -> std::io::Result<()> {
    let app = router(config.clone());
    serve_connections(listener, app, config, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Check the bind rule, bind, print the address and serve (blocks until Ctrl-C).
pub fn run(host: &str, port: u16, config: Config) -> Result<(), ServeError> {
    let addr = check_bind(host, port, config.token.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Io)?;
    runtime.block_on(async move {
        // Models and regexes load lazily: pay for that now, not on the first request.
        let _ = tokio::task::spawn_blocking(|| {
            sift::analyze_text("Warm-up: the minister said the drone flew 10 km in 2 hours.")
        })
        .await;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(ServeError::Io)?;
        let bound = listener.local_addr().map_err(ServeError::Io)?;
        let shown = if bound.ip().is_loopback() {
            format!("http://localhost:{}/", bound.port())
        } else {
            format!("http://{bound}/")
        };
        eprintln!(
            "sift: serving on {shown}{}  (Ctrl-C to stop)",
            if config.token.is_some() {
                " with a bearer token"
            } else {
                ""
            }
        );
        serve(listener, config).await.map_err(ServeError::Io)
    })
}
