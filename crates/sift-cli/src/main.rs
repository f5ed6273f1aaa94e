//! The `sift` command line: a thin layer over the `sift` library.

mod analyze;
mod attr_cmd;
mod claim_matching;
mod claims_cmd;
mod exit;
mod factcheck_cmd;
mod input_cmd;
mod nlp_cmd;
mod quant_cmd;
mod serve_cmd;
mod syntax_cmd;
mod tech_cmd;
mod worst_case;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Audit news articles: what they claim, who says so, whether their numbers
/// add up, and how they try to persuade.
#[derive(Parser, Debug)]
#[command(name = "sift", version, about, long_about = None, after_help = exit::EXIT_CODES_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyse articles (text, HTML, JSONL; files, directories or stdin).
    Analyze(analyze::AnalyzeArgs),
    /// Train a model from ../shared/data (fixed seed, reproducible).
    #[command(subcommand)]
    Train(TrainCommand),
    /// Score sift on a benchmark in ../shared/data with its official metric.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Measure throughput (MB/s per core) and peak memory.
    Bench(nlp_cmd::BenchArgs),
    /// Serve the web app and JSON API.
    Serve(serve_cmd::ServeArgs),
    /// Lemmas, parts of speech, features and dependency trees as CoNLL-U.
    Parse(syntax_cmd::ParseArgs),
    /// The local fact-check store: import, search, batch match.
    #[command(subcommand)]
    Factcheck(factcheck_cmd::FactcheckCommand),
}

#[derive(Subcommand, Debug)]
enum TrainCommand {
    #[command(flatten)]
    Attribution(attr_cmd::Train),
    #[command(flatten)]
    Techniques(tech_cmd::Train),
    #[command(flatten)]
    Syntax(syntax_cmd::Train),
    #[command(flatten)]
    Claims(claims_cmd::Train),
    #[command(flatten)]
    ClaimMatching(claim_matching::Train),
}

#[derive(Subcommand, Debug)]
enum EvalCommand {
    #[command(flatten)]
    Input(input_cmd::Eval),
    #[command(flatten)]
    Nlp(nlp_cmd::Eval),
    #[command(flatten)]
    Quantities(quant_cmd::Eval),
    #[command(flatten)]
    Attribution(attr_cmd::Eval),
    #[command(flatten)]
    Techniques(tech_cmd::Eval),
    #[command(flatten)]
    Syntax(syntax_cmd::Eval),
    #[command(flatten)]
    Claims(claims_cmd::Eval),
    #[command(flatten)]
    ClaimMatching(claim_matching::Eval),
}

/// Writing to a closed pipe (`sift eval … | head`) ends the process quietly, as it
/// does for other Unix filters. Rust starts programs with SIGPIPE ignored, which turns
/// every `println!` after the reader has gone into a panic. The server keeps it
/// ignored: a client that hangs up must cost one connection, not the process; and
/// `analyze` handles the broken pipe itself (it stops writing and exits 0).
fn end_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_) | Command::Analyze(_)) {
        end_quietly_on_closed_pipe();
    }
    let code = match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Train(TrainCommand::Attribution(t)) => attr_cmd::train(t),
        Command::Train(TrainCommand::Techniques(t)) => tech_cmd::train(t),
        Command::Train(TrainCommand::Syntax(t)) => syntax_cmd::train(t),
        Command::Train(TrainCommand::Claims(t)) => claims_cmd::train(t),
        Command::Train(TrainCommand::ClaimMatching(t)) => claim_matching::train(t),
        Command::Eval(EvalCommand::Input(e)) => input_cmd::eval(e),
        Command::Eval(EvalCommand::Nlp(e)) => nlp_cmd::eval(e),
        Command::Eval(EvalCommand::Quantities(e)) => quant_cmd::eval(e),
        Command::Eval(EvalCommand::Attribution(e)) => attr_cmd::eval(e),
        Command::Eval(EvalCommand::Techniques(e)) => tech_cmd::eval(e),
        Command::Eval(EvalCommand::Syntax(e)) => syntax_cmd::eval(e),
        Command::Eval(EvalCommand::Claims(e)) => claims_cmd::eval(e),
        Command::Eval(EvalCommand::ClaimMatching(e)) => claim_matching::eval(e),
        Command::Factcheck(c) => factcheck_cmd::run(c),
        Command::Bench(args) => nlp_cmd::bench(args),
        Command::Serve(args) => serve_cmd::serve(args),
        Command::Parse(args) => syntax_cmd::parse(args),
    };
    ExitCode::from(code)
}
