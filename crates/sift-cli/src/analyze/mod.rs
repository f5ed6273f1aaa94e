use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use sift::input::{self, InputError, InputOptions};
use sift::render::{html, json, ptc, text};
use sift::{Document, LanguageHint, Pipeline};

use crate::exit;

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
    /// document; jsonl for several.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Language of the input, or auto-detect.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: Lang,
    /// Write the output here instead of stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
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
    // HTML is one page for all inputs, written once they are analysed.
    let mut html_reports = Vec::new();

    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => match File::create(path) {
            Ok(f) => Box::new(BufWriter::new(f)),
            Err(e) => {
                eprintln!("sift: cannot write {}: {e}", path.display());
                return exit::OUTPUT;
            }
        },
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
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

    let mut analysed = 0usize;
    let mut failed = 0usize;
    let mut first = true;
    let mut process = |result: input::InputResult, out: &mut dyn Write| -> io::Result<()> {
        match result {
            Ok(raw) => {
                let doc = Document::build(raw, hint);
                let report = pipeline.analyze(&doc);
                for warning in &report.warnings {
                    eprintln!("sift: {}: {warning}", report.id);
                }
                match format {
                    Format::Json => json::write_json(out, &report)?,
                    Format::Jsonl => json::write_jsonl(out, &report)?,
                    Format::Text => {
                        if !first {
                            writeln!(out)?;
                        }
                        text::write_text(out, &report, &text::TextStyle { color })?
                    }
                    Format::Ptc | Format::Ptc23 => {
                        let labels = if format == Format::Ptc {
                            ptc::LabelSet::Ptc
                        } else {
                            ptc::LabelSet::Semeval23
                        };
                        let map = |c: usize| doc.source_char_of(c);
                        ptc::write_ptc(out, &report, &map, labels)?
                    }
                    Format::Html => html_reports.push(report),
                }
                first = false;
                analysed += 1;
            }
            Err(e) => {
                eprintln!("sift: {e}");
                failed += 1;
            }
        }
        Ok(())
    };

    let mut write_result = Ok(());
    for r in stdin_results {
        write_result = write_result.and_then(|_| process(r, &mut out));
    }
    for source in sources {
        let results = match source {
            Ok(path) => input::read_path_with(&path, &input_options),
            Err(e) => vec![Err(e)],
        };
        for r in results {
            write_result = write_result.and_then(|_| process(r, &mut out));
        }
    }
    if format == Format::Html && analysed > 0 {
        write_result = write_result.and_then(|_| html::write_html(&mut out, &html_reports));
    }
    if let Err(e) = write_result.and_then(|_| out.flush()) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("sift: cannot write output: {e}");
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
