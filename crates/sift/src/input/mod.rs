//! Inputs: files, directories, stdin → decoded, extracted [`RawDocument`]s.
//!
//! Every failure is an [`InputError`] naming the input and the reason; a batch
//! yields one `Result` per document so one bad file never stops the others.

mod decode;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::document::{RawDocument, Source};

pub use decode::{decode_bytes, Decoded};

/// Largest input accepted, in bytes (after decompression).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputErrorKind {
    Empty,
    Binary,
    Undecodable,
    TooLarge,
    Unreadable,
    MalformedJson,
    Unsupported,
    NoText,
}

#[derive(Debug, Clone)]
pub struct InputError {
    /// The path, `-`, or `path:line` for a JSONL record.
    pub input: String,
    pub kind: InputErrorKind,
    pub reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.input, self.reason)
    }
}

impl std::error::Error for InputError {}

impl InputError {
    pub fn new(input: impl Into<String>, kind: InputErrorKind, reason: impl Into<String>) -> Self {
        InputError {
            input: input.into(),
            kind,
            reason: reason.into(),
        }
    }
}

pub type InputResult = Result<RawDocument, InputError>;

/// Expand paths (directories recursively) to the files sift reads, sorted.
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
                format!("cannot read directory: {e}"),
            )));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files, errors);
        } else if is_supported(&path) {
            files.push(path);
        }
    }
}

/// Extensions read when walking a directory.
pub fn is_supported(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".txt", ".html", ".htm", ".json", ".jsonl"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Read one file into one or more raw documents (JSONL gives one per line).
pub fn read_path(path: &Path) -> Vec<InputResult> {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return vec![Err(InputError::new(
                name,
                InputErrorKind::Unreadable,
                format!("cannot read: {e}"),
            ))]
        }
    };
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| name.clone());
    read_bytes(&name, &id, &bytes)
}

/// Read bytes that came from `name` (a path or `-`).
pub fn read_bytes(name: &str, id: &str, bytes: &[u8]) -> Vec<InputResult> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return vec![Err(InputError::new(
            name,
            InputErrorKind::TooLarge,
            format!(
                "input is {} bytes, over the {} MiB limit",
                bytes.len(),
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        ))];
    }
    let decoded = match decode_bytes(bytes) {
        Ok(d) => d,
        Err((kind, reason)) => return vec![Err(InputError::new(name, kind, reason))],
    };
    if decoded.text.trim().is_empty() {
        return vec![Err(InputError::new(
            name,
            InputErrorKind::Empty,
            "input is empty",
        ))];
    }
    vec![Ok(RawDocument {
        id: id.to_string(),
        source: Source {
            path: Some(name.to_string()),
            encoding: Some(decoded.encoding.to_string()),
            format: Some("text".into()),
            ..Source::default()
        },
        text: decoded.text,
    })]
}
