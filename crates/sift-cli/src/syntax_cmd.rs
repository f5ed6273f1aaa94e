//! `sift train syntax`, `sift parse`, `sift eval ud`: the syntax models' trainer,
//! CoNLL-U output, and dev-set scores with the CoNLL 2018 definitions.

use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};
use sift::input::{self, InputOptions};
use sift::train::syntax::parser::{self, Templates};
use sift::train::syntax::{conllu, output, train, SyntaxLanguage, SyntaxModel};
use sift::{Document, LanguageHint};
use sift_eval::ud;

use crate::exit;

/// Which treebank(s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UdLang {
    /// English EWT.
    En,
    /// Russian (GramEval-2020 + UD).
    Ru,
    /// Both.
    Both,
}

impl UdLang {
    fn languages(self) -> Vec<SyntaxLanguage> {
        match self {
            UdLang::En => vec![SyntaxLanguage::English],
            UdLang::Ru => vec![SyntaxLanguage::Russian],
            UdLang::Both => vec![SyntaxLanguage::English, SyntaxLanguage::Russian],
        }
    }
}

fn code(l: SyntaxLanguage) -> &'static str {
    match l {
        SyntaxLanguage::English => "en",
        SyntaxLanguage::Russian => "ru",
    }
}

/// `ud/...` paths of a language's train and dev files.
fn treebank(l: SyntaxLanguage, split: &str) -> String {
    match l {
        SyntaxLanguage::English => format!("ud/en_ewt/en_ewt-ud-{split}.conllu"),
        SyntaxLanguage::Russian => format!("ud/ru/ru-{split}.conllu"),
    }
}

#[derive(Subcommand, Debug)]
pub enum Train {
    /// Train the syntax models (tagger, lemmatiser, parser) on UD train splits.
    Syntax(TrainArgs),
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Language(s) to train.
    #[arg(long, value_enum, default_value = "both")]
    pub lang: UdLang,
    /// Directory the models are written to (`syntax-en.bin`, `syntax-ru.bin`).
    #[arg(long, default_value = "crates/sift/models")]
    pub out: PathBuf,
    /// Tagger epochs.
    #[arg(long, default_value_t = train::Options::default().tagger_epochs)]
    pub tagger_epochs: usize,
    /// Parser epochs.
    #[arg(long, default_value_t = train::Options::default().parser_epochs)]
    pub parser_epochs: usize,
    /// Jackknife folds for the parser's training tags (0 = gold tags).
    #[arg(long, default_value_t = train::Options::default().folds)]
    pub folds: usize,
    /// Seed.
    #[arg(long, default_value_t = train::Options::default().seed)]
    pub seed: u64,
    /// Drop averaged weights smaller than this (model size against accuracy).
    #[arg(long, default_value_t = train::Options::default().min_weight)]
    pub min_weight: f32,
    /// Parser feature templates to leave out, comma-separated ids of
    /// `syntax/parser.rs::features` (`none` = read them all), for every language trained;
    /// default: each language's measured set (`ENGLISH_DROPPED`, `RUSSIAN_DROPPED`).
    #[arg(long, value_parser = parse_template_ids)]
    pub drop_templates: Option<Vec<usize>>,
    /// Train Russian without the dictionary's readings (to measure what they add).
    #[arg(long)]
    pub no_dictionary: bool,
}

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// UPOS, UFeats, Lemma, UAS, LAS on the UD dev sets (CoNLL 2018 definitions).
    Ud(EvalArgs),
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Language(s).
    #[arg(long, value_enum, default_value = "both")]
    pub lang: UdLang,
    /// Score models from this directory instead of the embedded ones.
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// Also score from raw text (sentence splitting and tokenisation by sift).
    #[arg(long)]
    pub raw: bool,
    /// Write the gold-token system output as CoNLL-U to `DIR/{en,ru}-dev.conllu` (to read
    /// the errors).
    #[arg(long, value_name = "DIR")]
    pub system_out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ParseArgs {
    /// Files or directories (any input `analyze` accepts); `-` or nothing reads stdin.
    pub paths: Vec<PathBuf>,
    /// `conllu`: keep the given sentences and words (columns 1–2), fill the rest.
    #[arg(long, value_enum, default_value = "auto")]
    pub input_format: ParseInput,
    /// Language of the input (needed for `--input-format conllu` unless its script tells).
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: crate::analyze::Lang,
}

/// What `sift parse` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseInput {
    /// Whatever `analyze` reads (text, HTML, JSONL).
    Auto,
    /// CoNLL-U with the words given.
    Conllu,
}

/// `--drop-templates`: `none`, or template ids below [`parser::N_TEMPLATES`].
fn parse_template_ids(list: &str) -> Result<Vec<usize>, String> {
    if list.trim() == "none" {
        return Ok(Vec::new());
    }
    list.split(',')
        .map(|id| match id.trim().parse::<usize>() {
            Ok(t) if t < parser::N_TEMPLATES => Ok(t),
            _ => Err(format!(
                "'{id}' is not a template id (0 to {})",
                parser::N_TEMPLATES - 1
            )),
        })
        .collect()
}

fn read_treebank(rel: &str) -> Result<Vec<conllu::Sentence>, String> {
    let dir = sift_eval::shared_data_dir().ok_or("../shared/data not found")?;
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    conllu::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn train(cmd: Train) -> u8 {
    let Train::Syntax(args) = cmd;
    let options = train::Options {
        tagger_epochs: args.tagger_epochs,
        parser_epochs: args.parser_epochs,
        folds: args.folds,
        seed: args.seed,
        min_weight: args.min_weight,
        ..train::Options::default()
    };
    for l in args.lang.languages() {
        let options = train::Options {
            dictionary: l == SyntaxLanguage::Russian && !args.no_dictionary,
            templates: Templates::without(args.drop_templates.as_deref().unwrap_or(match l {
                SyntaxLanguage::English => parser::ENGLISH_DROPPED,
                SyntaxLanguage::Russian => parser::RUSSIAN_DROPPED,
            })),
            ..options
        };
        let sentences = match read_treebank(&treebank(l, "train")) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("sift: {e}");
                return exit::ALL_INPUTS_FAILED;
            }
        };
        let started = Instant::now();
        let mut log = |line: &str| eprintln!("syntax-{}: {line}", code(l));
        let model = train::train(&sentences, options, &mut log);
        let path = args.out.join(format!("syntax-{}.bin", code(l)));
        let bytes = model.to_bytes();
        if let Err(e) = std::fs::write(&path, &bytes) {
            eprintln!("sift: cannot write {}: {e}", path.display());
            return exit::OUTPUT;
        }
        eprintln!(
            "syntax-{}: {} tags, {} labels, {} tagger + {} parser weights, {:.1} MB, {:.0} s → {}",
            code(l),
            model.tags.len(),
            model.labels.len(),
            model.tagger.len(),
            model.parser.len(),
            bytes.len() as f64 / 1e6,
            started.elapsed().as_secs_f64(),
            path.display()
        );
    }
    exit::OK
}

fn load_model(dir: Option<&Path>, l: SyntaxLanguage) -> Result<&'static SyntaxModel, String> {
    match dir {
        None => sift::train::syntax::model(l).map_err(str::to_string),
        Some(dir) => {
            let path = dir.join(format!("syntax-{}.bin", code(l)));
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let model =
                SyntaxModel::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            // One model per language per process: the CLI exits after scoring.
            Ok(Box::leak(Box::new(model)))
        }
    }
}

pub fn eval(cmd: Eval) -> u8 {
    let Eval::Ud(args) = cmd;
    for l in args.lang.languages() {
        let rel = treebank(l, "dev");
        let result = load_model(args.models.as_deref(), l).and_then(|m| {
            let gold = read_treebank(&rel)?;
            let mut system = gold.clone();
            let started = Instant::now();
            system.iter_mut().for_each(|s| output::fill_sentence(m, s));
            let secs = started.elapsed().as_secs_f64();
            let counts = ud::score_gold_tokens(&gold, &system)?;
            if let Some(dir) = &args.system_out {
                let path = dir.join(format!("{}-dev.conllu", code(l)));
                std::fs::write(&path, conllu::write(&system))
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
            println!("{} dev, gold tokens: {}", code(l), counts.summary());
            println!("  {:.0} words/s tagging+parsing", counts.gold as f64 / secs);
            if args.raw {
                let raw = raw_scores(&gold, l, m);
                println!("{} dev, raw text:    {}", code(l), raw.summary());
            }
            Ok(())
        });
        if let Err(e) = result {
            eprintln!("sift: {e}");
            return exit::ALL_INPUTS_FAILED;
        }
    }
    exit::OK
}

/// Rebuild the raw text of the gold documents (`# text`, or the forms joined by
/// spaces when there is none), analyse it as a document, and align words by span.
fn raw_scores(
    gold: &[conllu::Sentence],
    l: SyntaxLanguage,
    m: &'static SyntaxModel,
) -> ud::UdCounts {
    let mut text = String::new();
    for s in gold {
        let t = s
            .comments
            .iter()
            .find_map(|c| c.trim().strip_prefix("text = ").map(str::to_string))
            .unwrap_or_else(|| s.words().map(|r| r.form()).collect::<Vec<_>>().join(" "));
        if s.comments.iter().any(|c| c.trim().starts_with("newdoc")) && !text.is_empty() {
            text.push_str("\n\n");
        } else if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&t);
    }
    let hint = match l {
        SyntaxLanguage::English => LanguageHint::English,
        SyntaxLanguage::Russian => LanguageHint::Russian,
    };
    let doc = Document::build(
        sift::RawDocument {
            id: "dev".into(),
            text,
            ..Default::default()
        },
        hint,
    );
    let syntax = sift::train::syntax::analyze_with(&doc, &|_| Ok(m));
    let system = output::document_sentences(&doc, &syntax);
    ud::score_aligned(&ud::spanned_words(gold), &ud::spanned_words(&system))
}

pub fn parse(args: ParseArgs) -> u8 {
    let mut out = BufWriter::new(io::stdout().lock());
    let result = match args.input_format {
        ParseInput::Conllu => parse_conllu(&args, &mut out),
        ParseInput::Auto => parse_documents(&args, &mut out),
    };
    let code = match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => exit::OK,
        Err(e) => {
            eprintln!("sift: cannot write output: {e}");
            exit::OUTPUT
        }
    };
    if out.flush().is_err() {
        return exit::OUTPUT;
    }
    code
}

fn language_of(lang: crate::analyze::Lang, sample: &str) -> SyntaxLanguage {
    match lang {
        crate::analyze::Lang::En => SyntaxLanguage::English,
        crate::analyze::Lang::Ru => SyntaxLanguage::Russian,
        crate::analyze::Lang::Auto => {
            let cyrillic = sample
                .chars()
                .filter(|c| ('\u{400}'..='\u{4ff}').contains(c))
                .count();
            let latin = sample.chars().filter(|c| c.is_ascii_alphabetic()).count();
            if cyrillic > latin {
                SyntaxLanguage::Russian
            } else {
                SyntaxLanguage::English
            }
        }
    }
}

fn parse_conllu(args: &ParseArgs, out: &mut dyn Write) -> io::Result<u8> {
    let mut failed = 0;
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        let mut text = String::new();
        let read = if path.as_os_str() == "-" {
            io::stdin().read_to_string(&mut text).map(|_| ())
        } else {
            std::fs::read_to_string(path).map(|t| text = t)
        };
        let sentences = read
            .map_err(|e| e.to_string())
            .and_then(|_| conllu::parse(&text).map_err(|e| e.to_string()));
        let mut sentences = match sentences {
            Ok(s) => s,
            Err(e) => {
                eprintln!("sift: {}: {e}", path.display());
                failed += 1;
                continue;
            }
        };
        let sample: String = text.chars().take(20_000).collect();
        let model = match sift::train::syntax::model(language_of(args.lang, &sample)) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("sift: {e}");
                return Ok(exit::OUTPUT);
            }
        };
        for s in &mut sentences {
            output::fill_sentence(model, s);
            let mut buf = String::new();
            conllu::write_sentence(s, &mut buf);
            out.write_all(buf.as_bytes())?;
        }
    }
    Ok(outcome(failed, paths.len()))
}

fn outcome(failed: usize, total: usize) -> u8 {
    if failed == 0 {
        exit::OK
    } else if failed == total {
        exit::ALL_INPUTS_FAILED
    } else {
        exit::SOME_INPUTS_FAILED
    }
}

fn parse_documents(args: &ParseArgs, out: &mut dyn Write) -> io::Result<u8> {
    let options = InputOptions::default();
    let mut results = Vec::new();
    let files: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    if files.len() < args.paths.len() || args.paths.is_empty() {
        results.extend(input::read_stream(
            "-",
            "stdin",
            io::stdin().lock(),
            None,
            &options,
        ));
    }
    for source in input::expand_paths(&files) {
        match source {
            Ok(path) => results.extend(input::read_path_with(&path, &options)),
            Err(e) => results.push(Err(e)),
        }
    }
    let hint = match args.lang {
        crate::analyze::Lang::Auto => LanguageHint::Auto,
        crate::analyze::Lang::En => LanguageHint::English,
        crate::analyze::Lang::Ru => LanguageHint::Russian,
    };
    let (total, mut failed) = (results.len(), 0);
    for r in results {
        match r {
            Ok(raw) => {
                let doc = Document::build(raw, hint);
                let syntax = doc.syntax();
                for w in &syntax.warnings {
                    eprintln!("sift: {}: {w}", doc.id);
                }
                out.write_all(format!("# newdoc id = {}\n", doc.id).as_bytes())?;
                let text = conllu::write(&output::document_sentences(&doc, syntax));
                out.write_all(text.as_bytes())?;
            }
            Err(e) => {
                eprintln!("sift: {e}");
                failed += 1;
            }
        }
    }
    Ok(outcome(failed, total.max(1)))
}
