//! The `sift` command line: a thin layer over the `sift` library.

mod analyze;
mod exit;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Analyze(args) => analyze::run(args),
    };
    ExitCode::from(code)
}
