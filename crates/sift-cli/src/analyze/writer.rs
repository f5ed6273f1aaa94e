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

    pub fn write(&mut self, analysed: Analysed) -> io::Result<()> {
        let Analysed { document, report } = analysed;
        match self {
            ReportWriter::Text {
                out,
                color,
                written,
            } => {
                if *written > 0 {
                    writeln!(out)?;
                }
                text::write_text(out, &report, &text::TextStyle { color: *color })?;
                *written += 1;
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
                json::write_json(out, &report)?;
                *written += 1;
                out.flush()
            }
            ReportWriter::Jsonl(out) => {
                json::write_jsonl(out, &report)?;
                out.flush()
            }
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
