//! Many documents on many threads, results in input order.
//!
//! [`analyze_batch`] is the one batch entry point: the CLI, the Python package and any
//! other caller with more than one document go through it, so they all get the same
//! guarantees:
//!
//! - **Input order.** Results are handed to the caller's `emit` in the order the inputs
//!   were given (a JSONL file's records in file order), whatever the number of workers,
//!   so `--jobs 1` and `--jobs 16` write identical bytes.
//! - **Bounded memory.** At most `window` inputs are in flight (queued, being analysed,
//!   or finished and waiting for an earlier one); the feeder stops taking inputs until the
//!   oldest one has been emitted.
//! - **One bad document never stops the batch.** An input error or a panic inside a layer
//!   becomes a [`BatchError`] for that document; the others go on.
//! - **Deep input does not kill the process.** Each worker runs on a thread with a large
//!   stack ([`DEFAULT_STACK_BYTES`]): a stack overflow aborts the whole process, which
//!   `catch_unwind` cannot stop, and analysis of hostile input may recurse deeply. Only
//!   the pages a thread touches are committed, so the size costs address space, not memory.
//!
//! Reading (decoding, HTML extraction) happens on the workers too, so a directory of HTML
//! pages is extracted in parallel as well as analysed.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};
use std::sync::Mutex;

use crate::document::{Document, LanguageHint, RawDocument};
use crate::input::{self, InputError, InputOptions, InputResult};
use crate::pipeline::Pipeline;
use crate::report::Report;

/// Stack of each worker thread: room for the deepest recursion hostile input can cause.
pub const DEFAULT_STACK_BYTES: usize = 256 * 1024 * 1024;

/// One unit of work. The order of the inputs is the order of the results.
#[derive(Debug)]
// Each input is moved once into the job queue, at most `window` at a time; boxing the
// larger variant would cost an allocation per document and save nothing.
#[allow(clippy::large_enum_variant)]
pub enum BatchInput {
    /// A document already read (stdin records, strings from Python), or the error
    /// reading it gave.
    Read(InputResult),
    /// A file that the worker reads itself with the batch's [`InputOptions`]; a JSONL
    /// file yields one result per record, in file order.
    Path(PathBuf),
}

impl From<RawDocument> for BatchInput {
    fn from(raw: RawDocument) -> Self {
        BatchInput::Read(Ok(raw))
    }
}

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Inputs in flight at once; bounds memory. At least `jobs`.
    pub window: usize,
    /// Stack of each worker thread.
    pub stack_bytes: usize,
    /// Language hint for every document.
    pub hint: LanguageHint,
    /// How [`BatchInput::Path`] inputs are read.
    pub input: InputOptions,
}

impl Default for BatchOptions {
    /// One worker per available core, a window of four inputs per worker.
    fn default() -> Self {
        BatchOptions::with_jobs(available_jobs())
    }
}

impl BatchOptions {
    /// `jobs` workers (0 means one per available core) and the other defaults.
    pub fn with_jobs(jobs: usize) -> Self {
        let jobs = if jobs == 0 { available_jobs() } else { jobs };
        BatchOptions {
            jobs,
            window: jobs * 4,
            stack_bytes: DEFAULT_STACK_BYTES,
            hint: LanguageHint::Auto,
            input: InputOptions::default(),
        }
    }
}

/// The number of cores this process may use (1 when that cannot be known).
pub fn available_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A document analysed: the document (for renderers that map offsets back to the
/// input, such as PTC) and its report.
#[derive(Debug)]
pub struct Analysed {
    /// The document as built.
    pub document: Document,
    /// Its report.
    pub report: Report,
}

/// Why one document of a batch has no report.
#[derive(Debug)]
pub enum BatchError {
    /// It could not be read.
    Input(InputError),
    /// A layer panicked on it (a bug; the message says where).
    Panicked {
        /// The document's id.
        id: String,
        /// The panic's message.
        message: String,
    },
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::Input(e) => e.fmt(f),
            BatchError::Panicked { id, message } => {
                write!(f, "{id}: internal error, document skipped: {message}")
            }
        }
    }
}

impl std::error::Error for BatchError {}

/// One result of a batch, handed to `emit` in input order: the analysis (or, with
/// [`analyze_batch_then`], what the workers made of it), or why there is none.
#[derive(Debug)]
pub struct BatchResult<T = Analysed> {
    /// Index of the [`BatchInput`] it came from (0-based, in the order given).
    pub input: usize,
    /// The analysis, or why there is none.
    pub outcome: Result<T, BatchError>,
}

/// Decides, after reading and before analysis, whether a document is analysed at all
/// (`--resume` skips the ids already written). A skipped document yields no result.
pub type KeepFilter<'a> = &'a (dyn Fn(&RawDocument) -> bool + Sync);

/// Analyse every input with `pipeline` on `options.jobs` threads and hand each result
/// to `emit` on the calling thread, in input order. `emit` may return
/// [`ControlFlow::Break`] to stop the batch (the output went away): no further result
/// is emitted, each worker stops after the document it is on, and the call returns.
///
/// `keep` (when given) is asked about each document once it has been read.
pub fn analyze_batch<I, F>(
    pipeline: &Pipeline,
    inputs: I,
    options: &BatchOptions,
    keep: Option<KeepFilter<'_>>,
    emit: F,
) -> ControlFlow<()>
where
    I: IntoIterator<Item = BatchInput>,
    F: FnMut(BatchResult) -> ControlFlow<()>,
{
    analyze_batch_then(pipeline, inputs, options, keep, &|analysed| analysed, emit)
}

/// [`analyze_batch`] with one more step on the workers: `then` turns each analysis into
/// what `emit` receives (a renderer's bytes, say), so that work runs in parallel too
/// instead of on the one thread that emits. A panic in `then` is that document's
/// [`BatchError::Panicked`], like a panic in a layer.
pub fn analyze_batch_then<I, T, F>(
    pipeline: &Pipeline,
    inputs: I,
    options: &BatchOptions,
    keep: Option<KeepFilter<'_>>,
    then: &(dyn Fn(Analysed) -> T + Sync),
    mut emit: F,
) -> ControlFlow<()>
where
    I: IntoIterator<Item = BatchInput>,
    T: Send,
    F: FnMut(BatchResult<T>) -> ControlFlow<()>,
{
    let jobs = options.jobs.max(1);
    let window = options.window.max(jobs);
    let (job_sender, job_receiver) = mpsc::sync_channel::<(usize, BatchInput)>(window);
    let job_receiver = Mutex::new(job_receiver);
    let (result_sender, result_receiver) = mpsc::channel::<(usize, Vec<BatchResult<T>>)>();
    let worker = Worker {
        pipeline,
        options,
        keep,
        then,
    };

    std::thread::scope(|scope| {
        for n in 0..jobs {
            let result_sender = result_sender.clone();
            let (worker, job_receiver) = (&worker, &job_receiver);
            std::thread::Builder::new()
                .name(format!("sift-batch-{n}"))
                .stack_size(options.stack_bytes)
                .spawn_scoped(scope, move || {
                    if jobs > 1 {
                        worker.pipeline.warm_share(n, jobs);
                    }
                    worker.run(job_receiver, &result_sender)
                })
                .expect("cannot start a batch worker thread");
        }
        drop(result_sender);

        // The calling thread feeds inputs and emits results. `in_flight` counts inputs
        // sent but not yet emitted; it never exceeds `window`, so the job channel (of that
        // capacity) never blocks and finished results wait in `pending` only while an
        // earlier input is still being analysed.
        let mut inputs = inputs.into_iter();
        let mut sent = 0usize;
        let mut next_to_emit = 0usize;
        let mut pending: BTreeMap<usize, Vec<BatchResult<T>>> = BTreeMap::new();
        let mut exhausted = false;
        let mut flow = ControlFlow::Continue(());
        loop {
            while !exhausted && sent - next_to_emit < window {
                match inputs.next() {
                    Some(input) => {
                        job_sender
                            .send((sent, input))
                            .expect("batch workers stopped early");
                        sent += 1;
                    }
                    None => exhausted = true,
                }
            }
            if flow.is_break() || (exhausted && next_to_emit == sent) {
                break;
            }
            let Ok((index, results)) = result_receiver.recv() else {
                break;
            };
            pending.insert(index, results);
            while let Some(results) = pending.remove(&next_to_emit) {
                next_to_emit += 1;
                for result in results {
                    if flow.is_continue() {
                        flow = emit(result);
                    }
                }
            }
        }
        // Closing both channels lets the workers finish: after a break each one stops
        // at its next result, so queued inputs are dropped unanalysed.
        drop(job_sender);
        drop(result_receiver);
        flow
    })
}

struct Worker<'a, T> {
    pipeline: &'a Pipeline,
    options: &'a BatchOptions,
    keep: Option<KeepFilter<'a>>,
    then: &'a (dyn Fn(Analysed) -> T + Sync),
}

impl<T> Worker<'_, T> {
    fn run(
        &self,
        jobs: &Mutex<Receiver<(usize, BatchInput)>>,
        results: &mpsc::Sender<(usize, Vec<BatchResult<T>>)>,
    ) {
        loop {
            // The lock is held only while taking one job, never during analysis.
            let job = match jobs.lock() {
                Ok(receiver) => receiver.recv(),
                Err(_) => return,
            };
            let Ok((index, input)) = job else { return };
            // Reading is guarded too: a job that sends no result would stall the batch.
            let analysed = catch_unwind(AssertUnwindSafe(|| self.process(index, input)))
                .unwrap_or_else(|payload| {
                    vec![BatchResult {
                        input: index,
                        outcome: Err(BatchError::Panicked {
                            id: format!("input {index}"),
                            message: panic_message(payload.as_ref()),
                        }),
                    }]
                });
            if results.send((index, analysed)).is_err() {
                return;
            }
        }
    }

    fn process(&self, index: usize, input: BatchInput) -> Vec<BatchResult<T>> {
        let read = match input {
            BatchInput::Read(result) => vec![result],
            BatchInput::Path(path) => input::read_path_with(&path, &self.options.input),
        };
        read.into_iter()
            .filter(|result| match (result, self.keep) {
                (Ok(raw), Some(keep)) => keep(raw),
                _ => true,
            })
            .map(|result| BatchResult {
                input: index,
                outcome: match result {
                    Ok(raw) => self.analyse(raw),
                    Err(e) => Err(BatchError::Input(e)),
                },
            })
            .collect()
    }

    fn analyse(&self, raw: RawDocument) -> Result<T, BatchError> {
        let id = raw.id.clone();
        let hint = self.options.hint;
        catch_unwind(AssertUnwindSafe(|| {
            let document = Document::build(raw, hint);
            let report = self.pipeline.analyze(&document);
            (self.then)(Analysed { document, report })
        }))
        .map_err(|payload| BatchError::Panicked {
            id,
            message: panic_message(payload.as_ref()),
        })
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Analyse plain texts in parallel with the default layers and return one report per
/// text, in order. A text whose analysis panicked gets `Err` with the message.
pub fn analyze_texts<S: AsRef<str> + Sync>(
    pipeline: &Pipeline,
    texts: &[S],
    ids: Option<&[String]>,
    options: &BatchOptions,
) -> Vec<Result<Report, BatchError>> {
    let inputs = texts.iter().enumerate().map(|(n, text)| {
        let id = ids
            .and_then(|ids| ids.get(n).cloned())
            .unwrap_or_else(|| n.to_string());
        let mut raw = RawDocument {
            id,
            text: text.as_ref().to_string(),
            ..RawDocument::default()
        };
        raw.source.format = Some("text".into());
        BatchInput::from(raw)
    });
    let mut reports = Vec::with_capacity(texts.len());
    let _ = analyze_batch(pipeline, inputs, options, None, |result| {
        reports.push(result.outcome.map(|a| a.report));
        ControlFlow::Continue(())
    });
    reports
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> Vec<String> {
        (0..23)
            .map(|n| {
                format!("Officials said {n} rockets flew 14,000 km in 15 hours. Paragraph {n}.")
            })
            .collect()
    }

    #[test]
    fn results_come_in_input_order_whatever_the_number_of_workers() {
        let pipeline = Pipeline::default();
        let texts = texts();
        let one = analyze_texts(&pipeline, &texts, None, &BatchOptions::with_jobs(1));
        let mut three = BatchOptions::with_jobs(3);
        three.window = 3;
        let many = analyze_texts(&pipeline, &texts, None, &three);
        assert_eq!(one.len(), texts.len());
        let strip = |r: &Result<Report, BatchError>| {
            let mut report = r.as_ref().unwrap().clone();
            report.timing_ms.clear();
            report
        };
        for (n, (a, b)) in one.iter().zip(&many).enumerate() {
            assert_eq!(strip(a).id, n.to_string());
            assert_eq!(strip(a), strip(b));
        }
    }

    #[test]
    fn a_bad_input_is_reported_and_the_batch_goes_on() {
        let pipeline = Pipeline::default();
        let bad = InputError::new("broken.txt", input::InputErrorKind::Unreadable, "gone");
        let inputs = vec![
            BatchInput::from(RawDocument {
                id: "a".into(),
                text: "One.".into(),
                ..RawDocument::default()
            }),
            BatchInput::Read(Err(bad)),
            BatchInput::Path(PathBuf::from("/nonexistent/sift/batch/test.txt")),
            BatchInput::from(RawDocument {
                id: "b".into(),
                text: "Two.".into(),
                ..RawDocument::default()
            }),
        ];
        let mut seen = Vec::new();
        let _ = analyze_batch(&pipeline, inputs, &BatchOptions::with_jobs(2), None, |r| {
            seen.push((
                r.input,
                r.outcome.map(|a| a.report.id).map_err(|e| e.to_string()),
            ));
            ControlFlow::Continue(())
        });
        assert_eq!(seen.len(), 4);
        assert_eq!(seen[0], (0, Ok("a".to_string())));
        assert!(seen[1].1.as_ref().unwrap_err().contains("gone"));
        assert!(seen[2].1.is_err());
        assert_eq!(seen[3], (3, Ok("b".to_string())));
    }

    #[test]
    fn the_keep_filter_skips_documents_and_break_stops_the_batch() {
        let pipeline = Pipeline::default();
        let texts = texts();
        let inputs = || {
            texts.iter().enumerate().map(|(n, t)| {
                BatchInput::from(RawDocument {
                    id: format!("d{n}"),
                    text: t.clone(),
                    ..RawDocument::default()
                })
            })
        };
        let keep = |raw: &RawDocument| raw.id != "d1";
        let mut ids = Vec::new();
        let flow = analyze_batch(
            &pipeline,
            inputs(),
            &BatchOptions::with_jobs(2),
            Some(&keep),
            |r| {
                ids.push(r.outcome.unwrap().report.id);
                if ids.len() == 3 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert!(flow.is_break());
        assert_eq!(ids, ["d0", "d2", "d3"]);
    }

    #[test]
    fn the_then_step_runs_on_the_workers_and_its_panic_is_that_documents_error() {
        let pipeline = Pipeline::default();
        let texts = texts();
        let inputs = texts.iter().enumerate().map(|(n, t)| {
            BatchInput::from(RawDocument {
                id: format!("d{n}"),
                text: t.clone(),
                ..RawDocument::default()
            })
        });
        let caller = std::thread::current().id();
        let then = |analysed: Analysed| {
            assert_ne!(analysed.report.id, "d4", "rendering d4 fails");
            (analysed.report.id, std::thread::current().id() != caller)
        };
        let mut seen = Vec::new();
        let _ = analyze_batch_then(
            &pipeline,
            inputs,
            &BatchOptions::with_jobs(2),
            None,
            &then,
            |r| {
                seen.push(r.outcome.map_err(|e| e.to_string()));
                ControlFlow::Continue(())
            },
        );
        assert_eq!(seen.len(), texts.len());
        for (n, outcome) in seen.iter().enumerate() {
            match outcome {
                Ok((id, on_worker)) => {
                    assert_eq!(id, &format!("d{n}"));
                    assert!(on_worker, "d{n} was finished on the emitting thread");
                }
                Err(e) => {
                    assert_eq!(n, 4);
                    assert!(e.contains("rendering d4 fails"), "{e}");
                }
            }
        }
        assert!(seen[4].is_err());
    }
}
