//! Inputs: files, directories, stdin → decoded, extracted [`RawDocument`]s.
//!
//! Every failure is an [`InputError`] naming the input and the reason; a batch
//! yields one `Result` per document so one bad file never stops the others.
//! Memory stays bounded: a file's size is checked before it is read, stdin and
//! gzip streams are read through a limit, and nothing is read past it.
//!
//! Formats, by extension (after stripping `.gz`), else by content:
//! `.txt` plain text in any common encoding ([`decode`]), `.html`/`.htm` a
//! web page ([`html`]), `.jsonl` one JSON record per line and `.json` one
//! record or an array of them ([`records`]).

mod decode;
pub mod html;
mod html_depth;
mod records;

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::document::{RawDocument, Source};

pub use decode::{decode_bytes, decode_html_bytes, Decoded};
pub use records::Record;

/// Largest input accepted by default, in bytes (after decompression).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Why an input could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputErrorKind {
    /// No content: zero bytes, only whitespace, or an empty record text.
    Empty,
    /// Binary data rather than text (NUL bytes, or too many control characters).
    Binary,
    /// Bytes that are not valid in the encoding they were detected or declared as.
    Undecodable,
    /// Over [`InputOptions::max_bytes`], before or after gzip decompression.
    TooLarge,
    /// The file or directory could not be opened or read (I/O error).
    Unreadable,
    /// A JSON or JSONL record that does not parse as a [`Record`].
    MalformedJson,
    /// Not something sift reads: a directory given as a file, a FIFO, socket or device.
    Unsupported,
    /// No text to analyse: an HTML page with no extractable article, or a
    /// record with neither `text` nor `html`.
    NoText,
}

/// One input that could not be analysed, and why.
#[derive(Debug, Clone)]
pub struct InputError {
    /// The path, `-`, or `path:line` for a JSONL record.
    pub input: String,
    /// The class of failure, for callers that branch on it.
    pub kind: InputErrorKind,
    /// A short human-readable reason, lower case (`input is empty`).
    pub reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A file name is shown with its control and bidi characters escaped:
        // `a\u{202E}txt.exe` must not reorder the terminal line it is printed on.
        for c in self.input.chars() {
            if c.is_control() || crate::document::is_invisible_format(c) {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for InputError {}

impl InputError {
    /// An error for `input` (a path, `-`, or `path:line`) of the given kind.
    pub fn new(input: impl Into<String>, kind: InputErrorKind, reason: impl Into<String>) -> Self {
        InputError {
            input: input.into(),
            kind,
            reason: reason.into(),
        }
    }
}

/// One document read from an input, or why it could not be.
pub type InputResult = Result<RawDocument, InputError>;

/// How inputs are read.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// Largest input, in bytes, before or after gzip decompression.
    pub max_bytes: u64,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            max_bytes: MAX_INPUT_BYTES,
        }
    }
}

/// What kind of document some bytes hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text in any common encoding.
    Text,
    /// An HTML page, reduced to its main article text.
    Html,
    /// One JSON record per line.
    Jsonl,
    /// One JSON record, or an array of them.
    Json,
}

impl Format {
    /// The format a file name implies (`.gz` stripped), if any.
    pub fn from_name(name: &str) -> Option<Format> {
        let name = name.to_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = Path::new(name).extension()?.to_str()?;
        match ext {
            "txt" | "text" => Some(Format::Text),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Expand paths (directories recursively) to the files sift reads; each
/// directory's files sorted. Symbolic links to directories are not followed,
/// so a link loop cannot recurse forever.
pub fn expand_paths(paths: &[PathBuf]) -> Vec<Result<PathBuf, InputError>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files, &mut out);
            files.sort();
            out.extend(files.into_iter().map(Ok));
        } else {
            out.push(Ok(p.clone()));
        }
    }
    out
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<Result<PathBuf, InputError>>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(Err(InputError::new(
                dir.display().to_string(),
                InputErrorKind::Unreadable,
                format!("cannot read directory: {}", io_reason(&e)),
            )));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            walk(&path, files, errors);
        } else if !is_supported(&path) {
            continue;
        } else if let Some(what) = special_file_kind(&file_type) {
            errors.push(Err(not_regular(&path, what)));
        } else {
            files.push(path);
        }
    }
}

/// What a file that is not a regular file (nor a directory or link) is: FIFOs,
/// sockets and devices are never opened, since reading one can block forever.
fn special_file_kind(file_type: &std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("a device");
        }
    }
    if file_type.is_file() || file_type.is_dir() || file_type.is_symlink() {
        None
    } else {
        Some("not a regular file")
    }
}

fn not_regular(path: &Path, what: &str) -> InputError {
    InputError::new(
        path.display().to_string(),
        InputErrorKind::Unsupported,
        format!("skipped: {what}, not a regular file (use `-` to read a stream)"),
    )
}

/// Open a file for reading without blocking on a FIFO that appeared after the
/// metadata check: non-blocking open, then the opened file's own type decides.
fn open_regular(path: &Path) -> Result<std::fs::File, InputError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| {
        InputError::new(
            path.display().to_string(),
            InputErrorKind::Unreadable,
            format!("cannot read: {}", io_reason(&e)),
        )
    })?;
    match file.metadata() {
        Ok(meta) => match special_file_kind(&meta.file_type()) {
            Some(what) => Err(not_regular(path, what)),
            None => Ok(file),
        },
        Err(e) => Err(InputError::new(
            path.display().to_string(),
            InputErrorKind::Unreadable,
            format!("cannot read: {}", io_reason(&e)),
        )),
    }
}

/// Extensions read when walking a directory.
pub fn is_supported(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| Format::from_name(&n.to_string_lossy()))
        .is_some()
}

/// An I/O error as a short lower-case reason.
fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_lowercase()
        }
    }
}

fn too_large(name: &str, what: &str, limit: u64) -> InputError {
    InputError::new(
        name,
        InputErrorKind::TooLarge,
        format!("{what} over the {} limit", human_bytes(limit)),
    )
}

fn human_bytes(n: u64) -> String {
    if n >= 1024 * 1024 && n & (1024 * 1024 - 1) == 0 {
        format!("{} MiB", n / (1024 * 1024))
    } else {
        format!("{n}-byte")
    }
}

/// Read one file into one or more raw documents (JSONL gives one per line),
/// with the default limits.
pub fn read_path(path: &Path) -> Vec<InputResult> {
    read_path_with(path, &InputOptions::default())
}

/// Read one file into one or more raw documents. The size is checked before
/// anything is read.
pub fn read_path_with(path: &Path, options: &InputOptions) -> Vec<InputResult> {
    let name = path.display().to_string();
    let fail = |kind, reason: String| vec![Err(InputError::new(name.clone(), kind, reason))];
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return fail(
                InputErrorKind::Unreadable,
                format!("cannot read: {}", io_reason(&e)),
            )
        }
    };
    if meta.is_dir() {
        return fail(InputErrorKind::Unsupported, "is a directory".into());
    }
    if let Some(what) = special_file_kind(&meta.file_type()) {
        return vec![Err(not_regular(path, what))];
    }
    if meta.is_file() && meta.len() > options.max_bytes {
        return vec![Err(too_large(
            &name,
            &format!("file is {} bytes,", meta.len()),
            options.max_bytes,
        ))];
    }
    let file = match open_regular(path) {
        Ok(f) => f,
        Err(e) => return vec![Err(e)],
    };
    let id = path
        .file_name()
        .map(|s| {
            let s = s.to_string_lossy();
            let s = s.strip_suffix(".gz").unwrap_or(&s);
            Path::new(s)
                .file_stem()
                .map(|x| x.to_string_lossy().to_string())
                .unwrap_or_else(|| s.to_string())
        })
        .unwrap_or_else(|| name.clone());
    let hint = path
        .file_name()
        .and_then(|n| Format::from_name(&n.to_string_lossy()));
    read_stream(&name, &id, file, hint, options)
}

/// Read a stream (stdin, a pipe, a file) through the size limit, then
/// decompress, decode and extract. Never reads more than `max_bytes + 1`.
pub fn read_stream(
    name: &str,
    id: &str,
    reader: impl Read,
    format: Option<Format>,
    options: &InputOptions,
) -> Vec<InputResult> {
    let mut bytes = Vec::new();
    // Saturating: `--max-input-bytes 18446744073709551615` means "no limit", not 0.
    let cap = options.max_bytes.saturating_add(1);
    if let Err(e) = reader.take(cap).read_to_end(&mut bytes) {
        return vec![Err(InputError::new(
            name,
            InputErrorKind::Unreadable,
            format!("cannot read: {}", io_reason(&e)),
        ))];
    }
    if bytes.len() as u64 > options.max_bytes {
        return vec![Err(too_large(name, "input is", options.max_bytes))];
    }
    read_bytes_with(name, id, &bytes, format, options)
}

/// Read bytes that came from `name` (a path or `-`), sniffing the format.
pub fn read_bytes(name: &str, id: &str, bytes: &[u8]) -> Vec<InputResult> {
    read_bytes_with(name, id, bytes, None, &InputOptions::default())
}

/// Read bytes that came from `name`; `format` is the format the name implies,
/// `None` to sniff it from the content.
pub fn read_bytes_with(
    name: &str,
    id: &str,
    bytes: &[u8],
    format: Option<Format>,
    options: &InputOptions,
) -> Vec<InputResult> {
    if bytes.len() as u64 > options.max_bytes {
        return vec![Err(too_large(
            name,
            &format!("input is {} bytes,", bytes.len()),
            options.max_bytes,
        ))];
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let plain = match gunzip(bytes, options.max_bytes) {
            Ok(p) => p,
            Err(Gunzip::TooLarge) => {
                return vec![Err(too_large(
                    name,
                    "decompressed input is",
                    options.max_bytes,
                ))]
            }
            Err(Gunzip::Corrupt(e)) => {
                return vec![Err(InputError::new(
                    name,
                    InputErrorKind::Undecodable,
                    format!("corrupt gzip data: {e}"),
                ))]
            }
        };
        return read_plain(name, id, &plain, format);
    }
    read_plain(name, id, bytes, format)
}

enum Gunzip {
    TooLarge,
    Corrupt(String),
}

/// Decompress gzip (all members), stopping as soon as the output passes `limit`:
/// a small bomb cannot make sift allocate more than the limit.
fn gunzip(bytes: &[u8], limit: u64) -> Result<Vec<u8>, Gunzip> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| Gunzip::Corrupt(io_reason(&e)))?;
    if out.len() as u64 > limit {
        return Err(Gunzip::TooLarge);
    }
    Ok(out)
}

fn source(name: &str, encoding: &str, format: &str) -> Source {
    Source {
        path: (name != "-").then(|| name.to_string()),
        encoding: Some(encoding.to_string()),
        format: Some(format.to_string()),
        ..Source::default()
    }
}

fn read_plain(name: &str, id: &str, bytes: &[u8], format: Option<Format>) -> Vec<InputResult> {
    let fail = |kind, reason: String| vec![Err(InputError::new(name, kind, reason))];
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return fail(InputErrorKind::Empty, "input is empty".into());
    }
    let decoded = if format == Some(Format::Html) {
        decode_html_bytes(bytes)
    } else {
        decode_bytes(bytes)
    };
    let decoded = match decoded {
        Ok(d) => d,
        Err((kind, reason)) => return fail(kind, reason),
    };
    if decoded.text.trim().is_empty() {
        return fail(InputErrorKind::Empty, "input is empty".into());
    }
    let format = format.unwrap_or_else(|| sniff(&decoded.text));
    match format {
        Format::Text => vec![Ok(RawDocument {
            id: id.to_string(),
            source: source(name, decoded.encoding, "text"),
            text: decoded.text,
        })],
        Format::Html => {
            // A page whose declared charset disagrees with its bytes was
            // decoded as text; decode again honouring the declaration.
            let decoded = if decoded.encoding != "UTF-8" {
                decode_html_bytes(bytes).unwrap_or(decoded)
            } else {
                decoded
            };
            vec![html_document(
                name,
                id,
                &decoded.text,
                source(name, decoded.encoding, "html"),
            )]
        }
        Format::Jsonl => records::read_jsonl(name, id, &decoded.text, decoded.encoding),
        Format::Json => records::read_json(name, id, &decoded.text, decoded.encoding),
    }
}

/// The format of decoded content with no telling name: HTML, JSON records, or text.
pub fn sniff(text: &str) -> Format {
    if html::looks_like_html(text) {
        return Format::Html;
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let first_line = trimmed.lines().next().unwrap_or("");
        if records::is_record_line(first_line) {
            return Format::Jsonl;
        }
        if serde_json::from_str::<serde_json::Value>(trimmed).is_ok_and(|v| v.is_object()) {
            return Format::Json;
        }
    }
    if trimmed.starts_with('[') && serde_json::from_str::<Vec<Record>>(trimmed).is_ok() {
        return Format::Json;
    }
    Format::Text
}

/// Extract an HTML page into a document, filling the source's metadata.
fn html_document(name: &str, id: &str, page: &str, mut source: Source) -> InputResult {
    let extracted = html::extract(page)
        .map_err(|reason| InputError::new(name, InputErrorKind::NoText, reason))?;
    source.title = extracted.title;
    source.published = extracted.published;
    source.byline = extracted.byline;
    source.outlet = extracted.outlet;
    if source.url.is_none() {
        source.url = extracted.url;
    }
    Ok(RawDocument {
        id: id.to_string(),
        source,
        text: extracted.text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(max_bytes: u64) -> InputOptions {
        InputOptions { max_bytes }
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn formats_from_names() {
        assert_eq!(Format::from_name("a.TXT"), Some(Format::Text));
        assert_eq!(Format::from_name("page.html.gz"), Some(Format::Html));
        assert_eq!(Format::from_name("x.htm"), Some(Format::Html));
        assert_eq!(Format::from_name("r.jsonl.gz"), Some(Format::Jsonl));
        assert_eq!(Format::from_name("r.json"), Some(Format::Json));
        assert_eq!(Format::from_name("notes.md"), None);
        assert_eq!(Format::from_name("archive.gz"), None);
    }

    #[test]
    fn sniffs_content() {
        assert_eq!(sniff("<!doctype html><p>x</p>"), Format::Html);
        assert_eq!(
            sniff("{\"id\": \"a\", \"text\": \"Hi.\"}\n{\"text\": \"Yo.\"}"),
            Format::Jsonl
        );
        assert_eq!(sniff("[{\"text\": \"Hi.\"}]"), Format::Json);
        assert_eq!(sniff("[Updated] The council met on Monday."), Format::Text);
        assert_eq!(sniff("{curly} prose is still prose."), Format::Text);
    }

    #[test]
    fn gzip_of_text_is_read_and_bounded() {
        let text = "Officials said the dam held. ".repeat(100);
        let gz = gzip(text.as_bytes());
        let docs = read_bytes_with("a.txt.gz", "a", &gz, Some(Format::Text), &opts(1 << 20));
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].as_ref().unwrap().text, text);

        // A bomb: 8 MiB of zeros squeezes into a few KiB, and must stop at the limit.
        let bomb = gzip(&vec![b' '; 8 << 20]);
        assert!(bomb.len() < 64 << 10);
        let err = read_bytes_with("b.txt.gz", "b", &bomb, None, &opts(1 << 20))
            .remove(0)
            .unwrap_err();
        assert_eq!(err.kind, InputErrorKind::TooLarge);
        assert!(err.reason.contains("decompressed"), "{}", err.reason);

        let mut corrupt = gz.clone();
        corrupt.truncate(gz.len() / 2);
        let err = read_bytes_with("c.txt.gz", "c", &corrupt, None, &opts(1 << 20))
            .remove(0)
            .unwrap_err();
        assert_eq!(err.kind, InputErrorKind::Undecodable);
        assert!(
            err.to_string().starts_with("c.txt.gz: corrupt gzip"),
            "{err}"
        );
    }

    #[test]
    fn stream_is_cut_at_the_limit() {
        let endless = io::repeat(b'a');
        let err = read_stream("-", "stdin", endless, None, &opts(1000))
            .remove(0)
            .unwrap_err();
        assert_eq!(err.kind, InputErrorKind::TooLarge);
        assert_eq!(err.to_string(), "-: input is over the 1000-byte limit");
    }

    #[test]
    fn the_largest_limit_means_no_limit() {
        let docs = read_stream(
            "-",
            "stdin",
            &b"Officials said the dam held."[..],
            None,
            &opts(u64::MAX),
        );
        assert_eq!(
            docs[0].as_ref().unwrap().text,
            "Officials said the dam held."
        );
        let gz = gzip(b"The dam held.");
        let docs = read_bytes_with("a.txt.gz", "a", &gz, None, &opts(u64::MAX));
        assert_eq!(docs[0].as_ref().unwrap().text, "The dam held.");
    }

    #[cfg(unix)]
    #[test]
    fn fifos_are_skipped_never_opened() {
        let dir = std::env::temp_dir().join(format!("sift-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("stuck.txt");
        let _ = std::fs::remove_file(&fifo);
        let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
        std::fs::write(dir.join("good.txt"), "The council met on Monday.").unwrap();

        // In a directory: an error naming it, and the good file still listed.
        let listed = expand_paths(std::slice::from_ref(&dir));
        let err = listed.iter().find_map(|r| r.as_ref().err()).unwrap();
        assert_eq!(err.kind, InputErrorKind::Unsupported);
        assert!(err.reason.contains("a FIFO"), "{}", err.reason);
        assert!(listed
            .iter()
            .any(|r| r.as_ref().is_ok_and(|p| p.ends_with("good.txt"))));
        // Named directly: the same, at once (a blocking open would hang this test).
        let err = read_path(&fifo).remove(0).unwrap_err();
        assert!(err.reason.contains("a FIFO"), "{}", err.reason);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn names_are_shown_with_controls_escaped() {
        let err = InputError::new("a\u{202E}txt.exe", InputErrorKind::Empty, "input is empty");
        assert_eq!(err.to_string(), "a\\u{202e}txt.exe: input is empty");
    }

    #[test]
    fn whitespace_only_is_empty() {
        let err = read_bytes("e.txt", "e", b" \n\t\n").remove(0).unwrap_err();
        assert_eq!(err.kind, InputErrorKind::Empty);
    }

    #[test]
    fn text_document_records_its_encoding() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Москва заявила о новых мерах.");
        let doc = read_bytes("m.txt", "m", &bytes).remove(0).unwrap();
        assert_eq!(doc.text, "Москва заявила о новых мерах.");
        assert_eq!(doc.source.encoding.as_deref(), Some("windows-1251"));
        assert_eq!(doc.source.format.as_deref(), Some("text"));
        assert_eq!(doc.source.path.as_deref(), Some("m.txt"));
    }

    #[test]
    fn html_in_a_legacy_charset() {
        let page = "<html><head><meta charset=\"windows-1251\"><title>Новости</title></head>\
            <body><article><p>Мэрия сообщила, что ремонт моста завершится в апреле, \
            а движение будет открыто уже в мае следующего года.</p>\
            <p>По словам чиновников, работы обойдутся городу в двенадцать миллионов рублей.</p>\
            </article></body></html>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(page);
        let doc = read_bytes_with("n.html", "n", &bytes, Some(Format::Html), &opts(1 << 20))
            .remove(0)
            .unwrap();
        assert!(doc.text.contains("ремонт моста"), "{}", doc.text);
        assert_eq!(doc.source.encoding.as_deref(), Some("windows-1251"));
        assert_eq!(doc.source.format.as_deref(), Some("html"));
    }
}
