use std::io::{self, Write};

use crate::report::Report;

/// Pretty JSON, one document.
pub fn write_json<W: Write + ?Sized>(out: &mut W, report: &Report) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

/// One compact JSON line per document.
pub fn write_jsonl<W: Write + ?Sized>(out: &mut W, report: &Report) -> io::Result<()> {
    serde_json::to_writer(&mut *out, report)?;
    out.write_all(b"\n")
}
