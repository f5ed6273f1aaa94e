//! Reports to bytes, one format each, as they arrive in input order.
//!
//! Every format but HTML (one page for all reports) and Parquet (row groups of
//! `sift_table::ROWS_PER_BATCH`) writes a report as soon as it comes, and the output is
//! flushed after each one, so a killed JSONL run leaves every finished report on disk.

use std::io::{self, Write};

use sift::batch::Analysed;
use sift::render::{html, json, ptc, text};
use sift::Report;
use sift_table::{CsvTableWriter, ParquetTableWriter, TableError};

use super::Format;

pub enum ReportWriter<W: Write + Send> {
    Text {
        out: W,
        color: bool,
        written: usize,
    },
    /// `array`: several documents are written as one JSON array.
    Json {
        out: W,
        array: bool,
        written: usize,
    },
    Jsonl(W),
    Ptc {
        out: W,
        labels: ptc::LabelSet,
    },
    Html {
        out: W,
        reports: Vec<Report>,
    },
    /// Boxed, like Parquet: the table writers' state is large next to the other variants.
    Csv(Box<CsvTableWriter<W>>),
    Parquet(Box<ParquetTableWriter<W>>),
}

/// A report on its way from a worker to the writer. Formats that render each report on
/// its own (JSONL, JSON, text) are rendered on the worker that analysed it, so that work
/// runs in parallel; the writer then only adds the framing (array brackets, blank lines)
/// and copies bytes. The other formats need the whole analysis, or all reports at once.
// Each value is moved once, from a worker to the writer; boxing the analysis would cost
// an allocation per document and save nothing.
#[allow(clippy::large_enum_variant)]
pub enum Ready {
    Rendered {
        id: String,
        warnings: Vec<String>,
        bytes: Vec<u8>,
    },
    Analysed(Analysed),
}

/// `report` rendered on its own, for the formats that render one report at a time;
/// `None` for the formats that need the document or every report.
fn render_one(format: Format, color: bool, report: &Report) -> Option<io::Result<Vec<u8>>> {
    let mut bytes = Vec::new();
    let rendered = match format {
        Format::Jsonl => json::write_jsonl(&mut bytes, report),
        Format::Json => json::write_json(&mut bytes, report),
        Format::Text => text::write_text(&mut bytes, report, &text::TextStyle { color }),
        _ => return None,
    };
    Some(rendered.map(|()| bytes))
}

impl Ready {
    /// `analysed` as the writer for `format` wants it from a worker (`color` for text).
    pub fn prepare(format: Format, color: bool, analysed: Analysed) -> io::Result<Ready> {
        match render_one(format, color, &analysed.report) {
            None => Ok(Ready::Analysed(analysed)),
            Some(bytes) => Ok(Ready::Rendered {
                bytes: bytes?,
                id: analysed.report.id,
                warnings: analysed.report.warnings,
            }),
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Ready::Rendered { id, .. } => id,
            Ready::Analysed(analysed) => &analysed.report.id,
        }
    }

    pub fn warnings(&self) -> &[String] {
        match self {
            Ready::Rendered { warnings, .. } => warnings,
            Ready::Analysed(analysed) => &analysed.report.warnings,
        }
    }
}

fn not_alone() -> io::Error {
    io::Error::other("internal error: a report rendered alone for a format that is not")
}

fn table_error(e: TableError) -> io::Error {
    io::Error::other(e.to_string())
}

impl<W: Write + Send> ReportWriter<W> {
    pub fn new(format: Format, out: W, color: bool, several: bool) -> io::Result<Self> {
        Ok(match format {
            Format::Text => ReportWriter::Text {
                out,
                color,
                written: 0,
            },
            Format::Json => ReportWriter::Json {
                out,
                array: several,
                written: 0,
            },
            Format::Jsonl => ReportWriter::Jsonl(out),
            Format::Ptc => ReportWriter::Ptc {
                out,
                labels: ptc::LabelSet::Ptc,
            },
            Format::Ptc23 => ReportWriter::Ptc {
                out,
                labels: ptc::LabelSet::Semeval23,
            },
            Format::Html => ReportWriter::Html {
                out,
                reports: Vec::new(),
            },
            Format::Csv => ReportWriter::Csv(Box::new(CsvTableWriter::new(out))),
            Format::Parquet => {
                ReportWriter::Parquet(Box::new(ParquetTableWriter::new(out).map_err(table_error)?))
            }
        })
    }

    pub fn write(&mut self, ready: Ready) -> io::Result<()> {
        let analysed = match ready {
            Ready::Rendered { bytes, .. } => return self.write_rendered(&bytes),
            Ready::Analysed(analysed) => analysed,
        };
        let Analysed { document, report } = analysed;
        match self {
            ReportWriter::Text { color, .. } => {
                let color = *color;
                self.write_one(Format::Text, color, &report)
            }
            ReportWriter::Json { .. } => self.write_one(Format::Json, false, &report),
            ReportWriter::Jsonl(_) => self.write_one(Format::Jsonl, false, &report),
            ReportWriter::Ptc { out, labels } => {
                let map = |c: usize| document.source_char_of(c);
                ptc::write_ptc(out, &report, &map, *labels)?;
                out.flush()
            }
            ReportWriter::Html { reports, .. } => {
                reports.push(report);
                Ok(())
            }
            ReportWriter::Csv(writer) => writer.push(&report).map_err(table_error),
            ReportWriter::Parquet(writer) => writer.push(report).map_err(table_error),
        }
    }

    /// Render `report` here (it came unrendered) and write it.
    fn write_one(&mut self, format: Format, color: bool, report: &Report) -> io::Result<()> {
        match render_one(format, color, report) {
            Some(bytes) => self.write_rendered(&bytes?),
            None => Err(not_alone()),
        }
    }

    /// One report rendered by [`Ready::prepare`], with its format's framing.
    fn write_rendered(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            ReportWriter::Text { out, written, .. } => {
                if *written > 0 {
                    writeln!(out)?;
                }
                *written += 1;
                out.write_all(bytes)?;
                out.flush()
            }
            ReportWriter::Json {
                out,
                array,
                written,
            } => {
                if *array {
                    out.write_all(if *written == 0 { b"[\n" } else { b",\n" })?;
                }
                *written += 1;
                out.write_all(bytes)?;
                out.flush()
            }
            ReportWriter::Jsonl(out) => {
                out.write_all(bytes)?;
                out.flush()
            }
            _ => Err(not_alone()),
        }
    }

    /// Close the format (JSON array, HTML page, Parquet footer) and return the output.
    pub fn finish(self) -> io::Result<W> {
        let mut out = match self {
            ReportWriter::Text { out, .. }
            | ReportWriter::Jsonl(out)
            | ReportWriter::Ptc { out, .. } => out,
            ReportWriter::Json {
                mut out,
                array,
                written,
            } => {
                if array {
                    // An empty array when nothing could be analysed: still valid JSON.
                    out.write_all(if written == 0 { b"[]\n" } else { b"]\n" })?;
                }
                out
            }
            ReportWriter::Html { mut out, reports } => {
                if !reports.is_empty() {
                    html::write_html(&mut out, &reports)?;
                }
                out
            }
            ReportWriter::Csv(writer) => (*writer).into_inner(),
            ReportWriter::Parquet(writer) => writer.finish().map_err(table_error)?,
        };
        out.flush()?;
        Ok(out)
    }
}
