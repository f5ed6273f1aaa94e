//! The `sift` Python module: `analyze` (one text → the JSON report as a dict) and
//! `analyze_batch` (many texts or an Arrow table → the document table as a
//! `pyarrow.Table`, on all cores with the GIL released). Both go through the same
//! library calls as the CLI: `Document::build` + `Pipeline::analyze`, and
//! `sift::batch::analyze_batch` for batches, so a report is the CLI's report.

use std::sync::{Arc, OnceLock};

use arrow_array::{Array, LargeStringArray, RecordBatch, StringArray, StringViewArray};
use arrow_pyarrow::{FromPyArrow, IntoPyArrow, Table, ToPyArrow};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyString;
use sift::batch::{self, BatchInput, BatchOptions};
use sift::input::{InputError, InputErrorKind};
use sift::{Document, LanguageHint, Pipeline, RawDocument, Source};

/// The default pipeline, built once per process and shared by every call and thread.
fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(Pipeline::default)
}

fn language_hint(lang: Option<String>) -> PyResult<LanguageHint> {
    match lang.as_deref() {
        None | Some("auto") => Ok(LanguageHint::Auto),
        Some("en") => Ok(LanguageHint::English),
        Some("ru") => Ok(LanguageHint::Russian),
        Some(other) => Err(PyValueError::new_err(format!(
            "lang must be None, 'auto', 'en' or 'ru', not {other:?}"
        ))),
    }
}

/// A document given as a plain string, as the CLI builds one from a text file.
fn raw_text(id: String, text: String) -> RawDocument {
    RawDocument {
        id,
        text,
        source: Source {
            format: Some("text".into()),
            ..Source::default()
        },
    }
}

/// Analyse one text and return its report as a dict: the same JSON the CLI writes
/// (`docs/report-schema.md`). `id` names the report (default "text").
#[pyfunction]
#[pyo3(signature = (text, lang=None, id=None))]
fn analyze<'py>(
    py: Python<'py>,
    text: String,
    lang: Option<String>,
    id: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let hint = language_hint(lang)?;
    let raw = raw_text(id.unwrap_or_else(|| "text".into()), text);
    let json = py
        .detach(|| {
            let document = Document::build(raw, hint);
            serde_json::to_string(&pipeline().analyze(&document))
        })
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (json,))
}

/// The strings of column `name`, whatever Arrow string type it has; `None` when absent.
fn string_column(batch: &RecordBatch, name: &str) -> PyResult<Option<Vec<Option<String>>>> {
    let Some(column) = batch.column_by_name(name) else {
        return Ok(None);
    };
    let any = column.as_any();
    let values: Vec<Option<String>> = if let Some(a) = any.downcast_ref::<StringArray>() {
        a.iter().map(|v| v.map(str::to_string)).collect()
    } else if let Some(a) = any.downcast_ref::<LargeStringArray>() {
        a.iter().map(|v| v.map(str::to_string)).collect()
    } else if let Some(a) = any.downcast_ref::<StringViewArray>() {
        a.iter().map(|v| v.map(str::to_string)).collect()
    } else {
        return Err(PyTypeError::new_err(format!(
            "column {name:?} must hold strings, not {}",
            column.data_type()
        )));
    };
    Ok(Some(values))
}

/// Documents from an Arrow batch: `text` (required), `id` (else the row number across
/// the table) and the optional source columns `title`, `url`, `published`, `outlet`,
/// `byline`.
fn documents_of_batch(batch: &RecordBatch, first_row: usize) -> PyResult<Vec<RawDocument>> {
    let texts = string_column(batch, "text")?
        .ok_or_else(|| PyValueError::new_err("the table needs a string column `text`"))?;
    let ids = string_column(batch, "id")?;
    let title = string_column(batch, "title")?;
    let url = string_column(batch, "url")?;
    let published = string_column(batch, "published")?;
    let outlet = string_column(batch, "outlet")?;
    let byline = string_column(batch, "byline")?;
    let cell = |column: &Option<Vec<Option<String>>>, row: usize| {
        column.as_ref().and_then(|values| values[row].clone())
    };
    Ok(texts
        .into_iter()
        .enumerate()
        .map(|(row, text)| {
            let id = cell(&ids, row).unwrap_or_else(|| (first_row + row).to_string());
            let mut raw = raw_text(id, text.unwrap_or_default());
            raw.source.title = cell(&title, row);
            raw.source.url = cell(&url, row);
            raw.source.published = cell(&published, row);
            raw.source.outlet = cell(&outlet, row);
            raw.source.byline = cell(&byline, row);
            raw
        })
        .collect())
}

/// The documents `analyze_batch` was given: a list of strings, a `pyarrow.RecordBatch`,
/// or anything with the Arrow C stream interface (`pyarrow.Table`, a reader, …).
fn documents_of(inputs: &Bound<'_, PyAny>) -> PyResult<Vec<RawDocument>> {
    if inputs.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "analyze_batch takes a list of texts or an Arrow table; use analyze for one text",
        ));
    }
    let batches: Vec<RecordBatch> = if inputs.hasattr("__arrow_c_stream__")? {
        Table::from_pyarrow_bound(inputs)?.into_inner().0
    } else if inputs.hasattr("__arrow_c_array__")? {
        vec![RecordBatch::from_pyarrow_bound(inputs)?]
    } else {
        let texts: Vec<String> = inputs.extract().map_err(|_| {
            PyTypeError::new_err("analyze_batch takes a list of str or an Arrow table")
        })?;
        return Ok(texts
            .into_iter()
            .enumerate()
            .map(|(n, text)| raw_text(n.to_string(), text))
            .collect());
    };
    let mut documents = Vec::new();
    for batch in &batches {
        documents.extend(documents_of_batch(batch, documents.len())?);
    }
    Ok(documents)
}

/// A text with nothing but white space is a bad input, as it is for the CLI ("record text
/// is empty"): it fails, and the batch goes on without it.
fn batch_input(raw: RawDocument) -> BatchInput {
    if raw.text.trim().is_empty() {
        BatchInput::Read(Err(InputError::new(
            raw.id,
            InputErrorKind::Empty,
            "text is empty",
        )))
    } else {
        BatchInput::from(raw)
    }
}

/// Analyse many documents on `jobs` threads (default: every core) with the GIL released
/// and return the document table (`docs/table-schema.md`) as a `pyarrow.Table`, one row
/// per document in input order. A document that is empty or whose analysis failed is left
/// out with a `RuntimeWarning` naming it (the CLI skips the same documents, exit code 3).
#[pyfunction]
#[pyo3(signature = (texts_or_table, jobs=None, lang=None))]
fn analyze_batch<'py>(
    py: Python<'py>,
    texts_or_table: &Bound<'py, PyAny>,
    jobs: Option<usize>,
    lang: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let hint = language_hint(lang)?;
    let documents = documents_of(texts_or_table)?;
    let options = BatchOptions {
        hint,
        ..BatchOptions::with_jobs(jobs.unwrap_or(0))
    };
    let (reports, failures) = py.detach(|| {
        let mut reports = Vec::with_capacity(documents.len());
        let mut failures = Vec::new();
        let inputs = documents.into_iter().map(batch_input);
        let _ = batch::analyze_batch(pipeline(), inputs, &options, None, |result| {
            match result.outcome {
                Ok(analysed) => reports.push(analysed.report),
                Err(e) => failures.push(e.to_string()),
            }
            std::ops::ControlFlow::Continue(())
        });
        (reports, failures)
    });
    if !failures.is_empty() {
        let warnings = py.import("warnings")?;
        let category = py.get_type::<pyo3::exceptions::PyRuntimeWarning>();
        for failure in failures {
            warnings.call_method1("warn", (format!("sift: {failure}"), &category))?;
        }
    }
    let table = py
        .detach(|| sift_table::to_record_batch(&reports))
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let schema = table.schema();
    Table::try_new(vec![table], schema)
        .map_err(|e| PyValueError::new_err(e.to_string()))?
        .into_pyarrow(py)
}

/// The schema of the table `analyze_batch` returns, as a `pyarrow.Schema` (for Spark's
/// `mapInArrow`, which needs the output schema up front).
#[pyfunction]
fn table_schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    Arc::unwrap_or_clone(sift_table::schema()).to_pyarrow(py)
}

/// sift: audit news articles — who says so, whether the numbers add up, how the text
/// tries to persuade. `analyze(text)` for one article, `analyze_batch(texts)` for many.
#[pymodule]
#[pyo3(name = "sift")]
fn sift_module(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add_function(wrap_pyfunction!(analyze, module)?)?;
    module.add_function(wrap_pyfunction!(analyze_batch, module)?)?;
    module.add_function(wrap_pyfunction!(table_schema, module)?)?;
    Ok(())
}
