//! sift reports as a table: one row per document, for pandas, pyarrow, DuckDB and Spark.
//!
//! [`to_record_batch`] turns reports into an Arrow `RecordBatch` with [`schema`]: flat
//! columns (id, source fields, language, counts, sourcing profile, technique density,
//! finding counts) and, for Parquet, nested list columns with the spans of each layer.
//! [`ParquetTableWriter`] and [`CsvTableWriter`] stream batches to a file; CSV has no
//! nested types, so it gets the flat columns only ([`flat_schema`]).
//!
//! The schema is documented column by column in `docs/table-schema.md`; a test keeps the
//! two in step. Rows are built by serialising plain serde structs ([`DocumentRow`])
//! through `arrow-json`'s serde decoder, so a column is one struct field and one schema
//! entry, never hand-written builder code.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use arrow_array::RecordBatch;
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use serde::Serialize;
use sift::{Report, Severity};

/// Why a table could not be built or written.
#[derive(Debug)]
pub enum TableError {
    /// Building the Arrow arrays or writing CSV failed.
    Arrow(ArrowError),
    /// Writing Parquet failed.
    Parquet(ParquetError),
}

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TableError::Arrow(e) => write!(f, "arrow: {e}"),
            TableError::Parquet(e) => write!(f, "parquet: {e}"),
        }
    }
}

impl std::error::Error for TableError {}

impl From<ArrowError> for TableError {
    fn from(e: ArrowError) -> Self {
        TableError::Arrow(e)
    }
}

impl From<ParquetError> for TableError {
    fn from(e: ParquetError) -> Self {
        TableError::Parquet(e)
    }
}

/// One document as a table row. Field order is column order; see `docs/table-schema.md`.
#[derive(Debug, Serialize)]
pub struct DocumentRow<'a> {
    id: &'a str,
    source_path: Option<&'a str>,
    source_url: Option<&'a str>,
    title: Option<&'a str>,
    published: Option<&'a str>,
    outlet: Option<&'a str>,
    byline: Option<&'a str>,
    encoding: Option<&'a str>,
    input_format: Option<&'a str>,
    language: &'a str,
    language_confidence: f64,
    chars: i64,
    words: Option<i64>,
    paragraphs: i64,
    sentences: i64,
    entities: i64,
    quantities: i64,
    attributions: i64,
    techniques: i64,
    techniques_per_1000_words: Option<f64>,
    claims: i64,
    checkworthy_claims: i64,
    factual_sentences: Option<i64>,
    attributed_sentences: Option<i64>,
    attributed_share: Option<f64>,
    unattributed_assertions: Option<i64>,
    named_sources: Option<i64>,
    multiple_sides: Option<bool>,
    findings: i64,
    findings_high: i64,
    findings_medium: i64,
    findings_low: i64,
    warnings: i64,
    entity_spans: Vec<EntitySpan<'a>>,
    quantity_spans: Vec<QuantitySpan<'a>>,
    attribution_spans: Vec<AttributionSpan<'a>>,
    technique_spans: Vec<TechniqueSpan<'a>>,
    claim_spans: Vec<ClaimSpan>,
    finding_items: Vec<FindingItem<'a>>,
}

#[derive(Debug, Serialize)]
struct EntitySpan<'a> {
    start: i64,
    end: i64,
    kind: sift::EntityKind,
    text: &'a str,
    canonical: &'a str,
}

#[derive(Debug, Serialize)]
struct QuantitySpan<'a> {
    start: i64,
    end: i64,
    text: &'a str,
    dimension: &'a str,
    si_value: Option<f64>,
    si_unit: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct AttributionSpan<'a> {
    start: i64,
    end: i64,
    source_type: sift::SourceType,
    speaker: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct TechniqueSpan<'a> {
    start: i64,
    end: i64,
    technique: &'a str,
    confidence: f64,
}

#[derive(Debug, Serialize)]
struct ClaimSpan {
    start: i64,
    end: i64,
    checkworthy: bool,
    score: f64,
}

#[derive(Debug, Serialize)]
struct FindingItem<'a> {
    code: sift::FindingCode,
    severity: Severity,
    message: &'a str,
}

/// Counts and offsets are signed 64-bit in the table: Spark has no unsigned types and
/// reads Parquet's UINT_64 as a decimal, while int64 is understood everywhere.
fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl<'a> DocumentRow<'a> {
    /// The row of one report.
    pub fn of(report: &'a Report) -> Self {
        let sourcing = report.sourcing.as_ref();
        let summary = report.technique_summary.as_ref();
        let severity_count =
            |s: Severity| count(report.findings.iter().filter(|f| f.severity == s).count());
        DocumentRow {
            id: &report.id,
            source_path: report.source.path.as_deref(),
            source_url: report.source.url.as_deref(),
            title: report.source.title.as_deref(),
            published: report.source.published.as_deref(),
            outlet: report.source.outlet.as_deref(),
            byline: report.source.byline.as_deref(),
            encoding: report.source.encoding.as_deref(),
            input_format: report.source.format.as_deref(),
            language: &report.language.code,
            language_confidence: report.language.confidence,
            chars: count(report.text.chars().count()),
            words: summary.map(|s| count(s.words)),
            paragraphs: count(report.paragraphs.len()),
            sentences: count(report.sentences.len()),
            entities: count(report.entities.len()),
            quantities: count(report.quantities.len()),
            attributions: count(report.attributions.len()),
            techniques: count(report.techniques.len()),
            techniques_per_1000_words: summary.map(|s| s.per_1000_words),
            claims: count(report.claims.len()),
            checkworthy_claims: count(report.claims.iter().filter(|c| c.checkworthy).count()),
            factual_sentences: sourcing.map(|s| count(s.factual_sentences)),
            attributed_sentences: sourcing.map(|s| count(s.attributed_sentences)),
            attributed_share: sourcing.map(|s| s.attributed_share),
            unattributed_assertions: sourcing.map(|s| count(s.unattributed_assertions)),
            named_sources: sourcing.map(|s| count(s.named_sources.len())),
            multiple_sides: sourcing.map(|s| s.multiple_sides),
            findings: count(report.findings.len()),
            findings_high: severity_count(Severity::High),
            findings_medium: severity_count(Severity::Medium),
            findings_low: severity_count(Severity::Low),
            warnings: count(report.warnings.len()),
            entity_spans: report
                .entities
                .iter()
                .map(|e| EntitySpan {
                    start: count(e.start),
                    end: count(e.end),
                    kind: e.kind,
                    text: &e.text,
                    canonical: &e.canonical,
                })
                .collect(),
            quantity_spans: report
                .quantities
                .iter()
                .map(|q| QuantitySpan {
                    start: count(q.start),
                    end: count(q.end),
                    text: &q.text,
                    dimension: &q.dimension,
                    si_value: q.si_value,
                    si_unit: q.si_unit.as_deref(),
                })
                .collect(),
            attribution_spans: report
                .attributions
                .iter()
                .map(|a| AttributionSpan {
                    start: count(a.content.start),
                    end: count(a.content.end),
                    source_type: a.source_type,
                    speaker: a.speaker.as_deref(),
                })
                .collect(),
            technique_spans: report
                .techniques
                .iter()
                .map(|t| TechniqueSpan {
                    start: count(t.start),
                    end: count(t.end),
                    technique: t.technique.as_str(),
                    confidence: t.confidence,
                })
                .collect(),
            claim_spans: report
                .claims
                .iter()
                .map(|c| ClaimSpan {
                    start: count(c.start),
                    end: count(c.end),
                    checkworthy: c.checkworthy,
                    score: c.score,
                })
                .collect(),
            finding_items: report
                .findings
                .iter()
                .map(|f| FindingItem {
                    code: f.code,
                    severity: f.severity,
                    message: &f.message,
                })
                .collect(),
        }
    }
}

fn text(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

fn int(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Int64, nullable)
}

fn float(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Float64, nullable)
}

fn spans(name: &str, extra: Vec<Field>) -> Field {
    let mut fields = vec![int("start", false), int("end", false)];
    fields.extend(extra);
    let item = Field::new("item", DataType::Struct(Fields::from(fields)), false);
    Field::new(name, DataType::List(Arc::new(item)), false)
}

/// The flat columns: every column of [`schema`] but the nested span lists. CSV gets these.
pub fn flat_schema() -> SchemaRef {
    static FLAT: OnceLock<SchemaRef> = OnceLock::new();
    FLAT.get_or_init(|| {
        Arc::new(Schema::new(vec![
            text("id", false),
            text("source_path", true),
            text("source_url", true),
            text("title", true),
            text("published", true),
            text("outlet", true),
            text("byline", true),
            text("encoding", true),
            text("input_format", true),
            text("language", false),
            float("language_confidence", false),
            int("chars", false),
            int("words", true),
            int("paragraphs", false),
            int("sentences", false),
            int("entities", false),
            int("quantities", false),
            int("attributions", false),
            int("techniques", false),
            float("techniques_per_1000_words", true),
            int("claims", false),
            int("checkworthy_claims", false),
            int("factual_sentences", true),
            int("attributed_sentences", true),
            float("attributed_share", true),
            int("unattributed_assertions", true),
            int("named_sources", true),
            Field::new("multiple_sides", DataType::Boolean, true),
            int("findings", false),
            int("findings_high", false),
            int("findings_medium", false),
            int("findings_low", false),
            int("warnings", false),
        ]))
    })
    .clone()
}

/// The full document table: [`flat_schema`] followed by one list column per layer.
pub fn schema() -> SchemaRef {
    static FULL: OnceLock<SchemaRef> = OnceLock::new();
    FULL.get_or_init(|| {
        let mut fields: Vec<Field> = flat_schema()
            .fields()
            .iter()
            .map(|f| f.as_ref().clone())
            .collect();
        fields.extend([
            spans(
                "entity_spans",
                vec![
                    text("kind", false),
                    text("text", false),
                    text("canonical", false),
                ],
            ),
            spans(
                "quantity_spans",
                vec![
                    text("text", false),
                    text("dimension", false),
                    float("si_value", true),
                    text("si_unit", true),
                ],
            ),
            spans(
                "attribution_spans",
                vec![text("source_type", false), text("speaker", true)],
            ),
            spans(
                "technique_spans",
                vec![text("technique", false), float("confidence", false)],
            ),
            spans(
                "claim_spans",
                vec![
                    Field::new("checkworthy", DataType::Boolean, false),
                    float("score", false),
                ],
            ),
            Field::new(
                "finding_items",
                DataType::List(Arc::new(Field::new(
                    "item",
                    DataType::Struct(Fields::from(vec![
                        text("code", false),
                        text("severity", false),
                        text("message", false),
                    ])),
                    false,
                ))),
                false,
            ),
        ]);
        Arc::new(Schema::new(fields))
    })
    .clone()
}

/// The reports as one batch with [`schema`], one row per report, in order.
pub fn to_record_batch(reports: &[Report]) -> Result<RecordBatch, TableError> {
    let rows: Vec<DocumentRow<'_>> = reports.iter().map(DocumentRow::of).collect();
    let mut decoder = arrow_json::ReaderBuilder::new(schema())
        .with_batch_size(rows.len().max(1))
        .build_decoder()?;
    decoder.serialize(&rows)?;
    Ok(decoder
        .flush()?
        .unwrap_or_else(|| RecordBatch::new_empty(schema())))
}

/// The flat columns of `batch` (a batch with [`schema`]).
pub fn flat_columns(batch: &RecordBatch) -> Result<RecordBatch, TableError> {
    let flat = flat_schema();
    let indices: Vec<usize> = (0..flat.fields().len()).collect();
    Ok(batch.project(&indices)?)
}

/// How many reports go into one Arrow batch (and so one Parquet row group at most):
/// large enough for good compression, small enough that memory stays bounded.
pub const ROWS_PER_BATCH: usize = 1024;

/// Streams reports into a Parquet file with [`schema`], [`ROWS_PER_BATCH`] at a time.
pub struct ParquetTableWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
    buffered: Vec<Report>,
}

impl<W: Write + Send> ParquetTableWriter<W> {
    /// A writer over `out` (Snappy-compressed pages).
    pub fn new(out: W) -> Result<Self, TableError> {
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        Ok(ParquetTableWriter {
            writer: ArrowWriter::try_new(out, schema(), Some(properties))?,
            buffered: Vec::new(),
        })
    }

    /// Add one report; a full batch is encoded and written.
    pub fn push(&mut self, report: Report) -> Result<(), TableError> {
        self.buffered.push(report);
        if self.buffered.len() >= ROWS_PER_BATCH {
            self.write_buffered()?;
        }
        Ok(())
    }

    fn write_buffered(&mut self) -> Result<(), TableError> {
        if !self.buffered.is_empty() {
            let batch = to_record_batch(&self.buffered)?;
            self.writer.write(&batch)?;
            // Each full batch is its own row group, so written rows leave memory.
            self.writer.flush()?;
            self.buffered.clear();
        }
        Ok(())
    }

    /// Write what is buffered and the file footer; returns the output.
    pub fn finish(mut self) -> Result<W, TableError> {
        self.write_buffered()?;
        Ok(self.writer.into_inner()?)
    }
}

/// Streams reports into CSV (with a header line) with the [`flat_schema`] columns, one
/// line per report, written as it arrives.
pub struct CsvTableWriter<W: Write> {
    writer: arrow_csv::Writer<W>,
}

impl<W: Write> CsvTableWriter<W> {
    /// A writer over `out`.
    pub fn new(out: W) -> Self {
        CsvTableWriter {
            writer: arrow_csv::WriterBuilder::new().with_header(true).build(out),
        }
    }

    /// Write one report's line.
    pub fn push(&mut self, report: &Report) -> Result<(), TableError> {
        let batch = to_record_batch(std::slice::from_ref(report))?;
        self.writer.write(&flat_columns(&batch)?)?;
        Ok(())
    }

    /// The output (a header is written only with the first report).
    pub fn into_inner(self) -> W {
        self.writer.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reports() -> Vec<Report> {
        let mut a = sift::analyze_text(
            "The rocket flew 14,000 km in 15 hours, officials said. \"It is hypersonic,\" said Dmitry Peskov.",
        );
        a.id = "a".into();
        let mut b = sift::analyze_text("Short, \"quoted\", text.");
        b.id = "b,with comma".into();
        vec![a, b]
    }

    #[test]
    fn one_row_per_report_with_the_documented_schema() {
        let reports = reports();
        let batch = to_record_batch(&reports).unwrap();
        assert_eq!(batch.num_rows(), 2);
        assert_eq!(batch.schema(), schema());
        let ids = batch
            .column_by_name("id")
            .unwrap()
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .unwrap();
        assert_eq!(ids.value(1), "b,with comma");
        let quantities = batch
            .column_by_name("quantities")
            .unwrap()
            .as_any()
            .downcast_ref::<arrow_array::Int64Array>()
            .unwrap();
        assert_eq!(quantities.value(0), reports[0].quantities.len() as i64);
        let spans = batch
            .column_by_name("quantity_spans")
            .unwrap()
            .as_any()
            .downcast_ref::<arrow_array::ListArray>()
            .unwrap();
        assert_eq!(spans.value(0).len(), reports[0].quantities.len());
    }

    #[test]
    fn empty_input_gives_an_empty_batch() {
        let batch = to_record_batch(&[]).unwrap();
        assert_eq!(batch.num_rows(), 0);
        assert_eq!(batch.schema(), schema());
    }

    #[test]
    fn parquet_reads_back_one_row_per_report() {
        let mut writer = ParquetTableWriter::new(Vec::new()).unwrap();
        for report in reports() {
            writer.push(report).unwrap();
        }
        let bytes = bytes::Bytes::from(writer.finish().unwrap());
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(bytes)
            .unwrap()
            .build()
            .unwrap();
        let rows: usize = reader.map(|b| b.unwrap().num_rows()).sum();
        assert_eq!(rows, 2);
    }

    #[test]
    fn csv_has_a_header_and_one_quoted_line_per_report() {
        let mut writer = CsvTableWriter::new(Vec::new());
        for report in reports() {
            writer.push(&report).unwrap();
        }
        let csv = String::from_utf8(writer.into_inner()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        let header: Vec<&str> = lines[0].split(',').collect();
        let names: Vec<String> = flat_schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(header, names);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].starts_with("\"b,with comma\","));
    }

    /// Every column of the schema is documented in docs/table-schema.md, and the
    /// document names no column the schema lacks.
    #[test]
    fn schema_matches_docs_table_schema_md() {
        let doc = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/table-schema.md"),
        )
        .unwrap();
        let documented: Vec<String> = doc
            .lines()
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|rest| rest.split('`').next())
            .map(str::to_string)
            .collect();
        let mut expected = Vec::new();
        for field in schema().fields() {
            let type_name = field_type_name(field.data_type());
            expected.push(format!("{} {}", field.name(), type_name));
        }
        let documented_with_types: Vec<String> = doc
            .lines()
            .filter(|line| line.starts_with("| `"))
            .map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                format!(
                    "{} {}",
                    cells[1].trim_matches('`'),
                    cells[2].trim_matches('`')
                )
            })
            .collect();
        assert_eq!(documented.len(), schema().fields().len(), "{documented:?}");
        assert_eq!(documented_with_types, expected);
    }

    fn field_type_name(data_type: &DataType) -> String {
        match data_type {
            DataType::Utf8 => "string".into(),
            DataType::Int64 => "int64".into(),
            DataType::Float64 => "float64".into(),
            DataType::Boolean => "bool".into(),
            DataType::List(item) => format!("list<{}>", field_type_name(item.data_type())),
            DataType::Struct(fields) => {
                let inner: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.name(), field_type_name(f.data_type())))
                    .collect();
                format!("struct<{}>", inner.join(", "))
            }
            other => format!("{other}"),
        }
    }
}
