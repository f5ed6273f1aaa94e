//! `sift analyze`: inputs → `sift::batch` on `--jobs` threads → one writer per format.

mod output;
mod progress;
mod resume;
mod writer;

use std::collections::HashSet;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use sift::batch::{self, BatchInput, BatchOptions};
use sift::input::{self, InputError, InputOptions};
use sift::{LanguageHint, Pipeline, RawDocument};

use crate::exit;
use output::AtomicFile;
use progress::Progress;
use writer::{Ready, ReportWriter};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Jsonl,
    Html,
    /// Technique spans for the SemEval-2020 scorers: `id<TAB>technique<TAB>start<TAB>end`.
    Ptc,
    /// The same lines with the SemEval-2023 technique names.
    Ptc23,
    /// The document table (docs/table-schema.md), flat columns, one line per document.
    Csv,
    /// The document table with nested span lists, as Parquet; needs `-o FILE`.
    Parquet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    Auto,
    En,
    Ru,
}

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Files or directories (read recursively: .txt .html .htm .json .jsonl, and .gz of each).
    /// `-` or nothing reads stdin.
    pub paths: Vec<PathBuf>,
    /// Output format. Default: text on a terminal; json when piped for one
    /// document; jsonl for several. `json` with several documents is one JSON array.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Language of the input, or auto-detect.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: Lang,
    /// Write the output here instead of stdout: written to FILE.partial and renamed
    /// when done. Refused when FILE is an input or inside an input directory.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Documents analysed at once (worker threads). Default: the available cores.
    /// The output is the same, in input order, whatever the number.
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,
    /// With `-o FILE --format jsonl`: keep the reports already in FILE (or in the
    /// FILE.partial of an interrupted run) and analyse only documents whose id is not there.
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// No progress bar (it shows only on a terminal anyway).
    #[arg(long, short)]
    pub quiet: bool,
    /// No ANSI colour in text output.
    #[arg(long)]
    pub no_color: bool,
    /// Largest input accepted, in bytes, before or after gzip decompression;
    /// larger inputs fail without being read.
    #[arg(long, value_name = "BYTES", default_value_t = input::MAX_INPUT_BYTES)]
    pub max_input_bytes: u64,
    /// Opt-in embeddings mode: the all-MiniLM-L6-v2 directory fetched by
    /// scripts/fetch-embeddings.sh. English technique spans then pass a sentence gate
    /// (fewer false highlights; slower). Needs a build with `--features embeddings`.
    #[arg(long, value_name = "DIR")]
    pub embeddings: Option<PathBuf>,
    /// A fact-check store (`sift factcheck import --store DIR`): check-worthy claims
    /// get their closest fact-checks in `claims[].matches`.
    #[arg(long, value_name = "DIR")]
    pub factchecks: Option<PathBuf>,
    /// With --factchecks: match semantically too, with the multilingual-e5-small
    /// directory (the store must have been imported with the same model).
    #[arg(long, value_name = "DIR", requires = "factchecks")]
    pub factcheck_embeddings: Option<PathBuf>,
}

/// The embeddings mode's techniques layer, loaded from `dir`.
#[cfg(feature = "embeddings")]
fn embeddings_layer(dir: &std::path::Path) -> Result<Box<dyn sift::Layer>, String> {
    use sift::train::techniques::embed::{Embedder, EmbeddingsTechniquesLayer};
    let embedder = Embedder::load(dir).map_err(|e| e.to_string())?;
    Ok(Box::new(EmbeddingsTechniquesLayer { embedder }))
}

#[cfg(not(feature = "embeddings"))]
fn embeddings_layer(_dir: &std::path::Path) -> Result<Box<dyn sift::Layer>, String> {
    Err("--embeddings needs a sift built with `--features embeddings`".into())
}

fn read_stdin(options: &InputOptions) -> Vec<input::InputResult> {
    input::read_stream("-", "stdin", io::stdin().lock(), None, options)
}

/// The size of an input for the progress bar: the file's length, or the record's text.
fn input_size(input: &BatchInput) -> u64 {
    match input {
        BatchInput::Path(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
        BatchInput::Read(Ok(raw)) => raw.text.len() as u64,
        BatchInput::Read(Err(_)) => 0,
    }
}

/// Where the reports go.
enum Destination {
    Stdout(BufWriter<io::Stdout>),
    File(AtomicFile),
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Destination::Stdout(out) => out.write(buf),
            Destination::File(file) => file.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Destination::Stdout(out) => out.flush(),
            Destination::File(file) => file.flush(),
        }
    }
}

impl Destination {
    /// Flush; for `-o FILE`, rename the partial file onto it.
    fn commit(self) -> io::Result<()> {
        match self {
            Destination::Stdout(mut out) => out.flush(),
            Destination::File(file) => file.commit(),
        }
    }
}

pub fn run(args: AnalyzeArgs) -> u8 {
    let stdin_only = args.paths.is_empty() || args.paths.iter().all(|p| p.as_os_str() == "-");
    let mut sources: Vec<Result<PathBuf, InputError>> = Vec::new();
    let mut use_stdin = false;
    if stdin_only {
        use_stdin = true;
    } else {
        let (dash, files): (Vec<PathBuf>, Vec<PathBuf>) = args
            .paths
            .iter()
            .cloned()
            .partition(|p| p.as_os_str() == "-");
        use_stdin = use_stdin || !dash.is_empty();
        sources.extend(input::expand_paths(&files));
    }
    if let Some(out) = &args.out {
        if let Some(conflict) = output::conflicts_with_inputs(out, &args.paths) {
            eprintln!("sift: {conflict}");
            return exit::USAGE;
        }
    }

    let input_options = InputOptions {
        max_bytes: args.max_input_bytes,
    };
    // stdin is read up front (through the size limit) so that the default
    // format can depend on how many records it held.
    let stdin_results = if use_stdin {
        read_stdin(&input_options)
    } else {
        Vec::new()
    };
    let to_terminal = args.out.is_none() && io::stdout().is_terminal();
    let several = sources.len() + usize::from(use_stdin) > 1
        || stdin_results.len() > 1
        || sources.iter().flatten().any(|p| {
            matches!(
                input::Format::from_name(&p.to_string_lossy()),
                Some(input::Format::Json | input::Format::Jsonl)
            )
        });
    let format = args.format.unwrap_or(if to_terminal {
        Format::Text
    } else if several {
        Format::Jsonl
    } else {
        Format::Json
    });
    if format == Format::Parquet && args.out.is_none() {
        eprintln!("sift: --format parquet needs -o FILE (Parquet is a file format, not a stream)");
        return exit::USAGE;
    }
    if args.resume && format != Format::Jsonl {
        eprintln!("sift: --resume needs --format jsonl (the ids are read back from the lines)");
        return exit::USAGE;
    }

    let color = to_terminal && !args.no_color && std::env::var_os("NO_COLOR").is_none();
    let hint = match args.lang {
        Lang::Auto => LanguageHint::Auto,
        Lang::En => LanguageHint::English,
        Lang::Ru => LanguageHint::Russian,
    };
    let mut pipeline = Pipeline::default();
    if let Some(dir) = args.embeddings.as_deref() {
        match embeddings_layer(dir) {
            Ok(layer) => {
                pipeline.replace(layer);
            }
            Err(e) => {
                eprintln!("sift: {e}");
                return exit::USAGE;
            }
        }
    }
    let factchecks = args.factchecks.as_deref();
    let embeddings = args.factcheck_embeddings.as_deref();
    if let Err(e) = crate::factcheck_cmd::add_layer(&mut pipeline, factchecks, embeddings) {
        eprintln!("sift: {e}");
        return exit::USAGE;
    }

    let mut done_ids = HashSet::new();
    let destination = match &args.out {
        Some(path) => {
            let opened = if args.resume {
                resume::prepare(path).and_then(|ids| {
                    done_ids = ids;
                    AtomicFile::append(path)
                })
            } else {
                AtomicFile::create(path)
            };
            match opened {
                Ok(file) => Destination::File(file),
                Err(e) => {
                    eprintln!("sift: cannot write {}: {e}", path.display());
                    return exit::OUTPUT;
                }
            }
        }
        None => Destination::Stdout(BufWriter::new(io::stdout())),
    };
    // The writer owns the output; it comes back from `finish` to be committed.
    let partial_file = args.out.as_deref().map(output::partial_path);
    let mut writer = match ReportWriter::new(format, destination, color, several) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("sift: cannot write output: {e}");
            return exit::OUTPUT;
        }
    };

    let inputs: Vec<BatchInput> = stdin_results
        .into_iter()
        .map(BatchInput::Read)
        .chain(sources.into_iter().map(|source| match source {
            Ok(path) => BatchInput::Path(path),
            Err(e) => BatchInput::Read(Err(e)),
        }))
        .collect();
    let show_progress = !args.quiet && !to_terminal;
    let mut progress = Progress::new(inputs.iter().map(input_size).collect(), show_progress);

    let jobs = args.jobs.map_or(0, |n| n as usize);
    let options = BatchOptions {
        hint,
        input: input_options,
        ..BatchOptions::with_jobs(jobs)
    };
    let keep = |raw: &RawDocument| !done_ids.contains(&raw.id);
    let keep: Option<batch::KeepFilter<'_>> = if args.resume { Some(&keep) } else { None };
    let mut analysed = 0usize;
    let mut failed = 0usize;
    let mut write_error = None;
    // Each report is rendered on the worker that analysed it (`Ready::prepare`), so
    // rendering runs in parallel too; this thread only writes.
    let prepare = |analysed| Ready::prepare(format, color, analysed);
    let _ = batch::analyze_batch_then(&pipeline, inputs, &options, keep, &prepare, |result| {
        progress.document(result.input);
        match result.outcome {
            Ok(Err(e)) => {
                write_error = Some(e);
                return ControlFlow::Break(());
            }
            Ok(Ok(done)) => {
                for warning in done.warnings() {
                    progress.eprintln(&format!("sift: {}: {warning}", done.id()));
                }
                analysed += 1;
                if let Err(e) = writer.write(done) {
                    write_error = Some(e);
                    return ControlFlow::Break(());
                }
            }
            Err(e) => {
                progress.eprintln(&format!("sift: {e}"));
                failed += 1;
            }
        }
        ControlFlow::Continue(())
    });
    progress.finish();

    let finished = match write_error {
        Some(e) => Err(e),
        None => writer.finish(),
    };
    if let Err(e) = finished.and_then(Destination::commit) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("sift: cannot write output: {e}");
            if let Some(partial) = partial_file.filter(|p| p.exists()) {
                if format == Format::Jsonl {
                    eprintln!(
                        "sift: the reports written so far are in {}; run again with --resume to go on",
                        partial.display()
                    );
                } else {
                    let _ = std::fs::remove_file(partial);
                }
            }
            return exit::OUTPUT;
        }
    }
    if failed > 0 {
        eprintln!("sift: {failed} of {} inputs failed", failed + analysed);
        return if analysed == 0 {
            exit::ALL_INPUTS_FAILED
        } else {
            exit::SOME_INPUTS_FAILED
        };
    }
    exit::OK
}
