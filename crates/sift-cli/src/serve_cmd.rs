//! `sift serve`: the local web app and JSON API (crate `sift-serve`).

use std::time::Duration;

use clap::Args;

use crate::exit;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on. Anything but loopback needs a token.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Require `Authorization: Bearer <TOKEN>` on analysis routes. Prefer the
    /// SIFT_TOKEN environment variable: a command line is visible to other users.
    #[arg(long)]
    pub token: Option<String>,
    /// Largest request body, in KiB.
    #[arg(long, default_value_t = 2048)]
    pub max_body_kib: usize,
    /// Whole-request timeout, in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout_secs: u64,
    /// A fact-check store: check-worthy claims get their closest fact-checks.
    #[arg(long, value_name = "DIR")]
    pub factchecks: Option<std::path::PathBuf>,
    /// With --factchecks: the multilingual-e5-small directory for semantic matching.
    #[arg(long, value_name = "DIR", requires = "factchecks")]
    pub factcheck_embeddings: Option<std::path::PathBuf>,
}

pub fn serve(args: ServeArgs) -> u8 {
    let token = args
        .token
        .or_else(|| std::env::var("SIFT_TOKEN").ok().filter(|t| !t.is_empty()));
    let mut pipeline = sift::Pipeline::default();
    let factchecks = args.factchecks.as_deref();
    let embeddings = args.factcheck_embeddings.as_deref();
    if let Err(e) = crate::factcheck_cmd::add_layer(&mut pipeline, factchecks, embeddings) {
        eprintln!("sift: {e}");
        return exit::USAGE;
    }
    let config = sift_serve::Config {
        pipeline: std::sync::Arc::new(pipeline),
        token,
        max_body_bytes: args.max_body_kib.saturating_mul(1024),
        timeout: Duration::from_secs(args.timeout_secs.max(1)),
        ..sift_serve::Config::default()
    };
    match sift_serve::run(&args.host, args.port, config) {
        Ok(()) => exit::OK,
        Err(
            e @ (sift_serve::ServeError::TokenRequired(_)
            | sift_serve::ServeError::EmptyToken
            | sift_serve::ServeError::TokenSpaces),
        ) => {
            eprintln!("sift: {e}");
            exit::USAGE
        }
        Err(e) => {
            eprintln!("sift: cannot serve: {e}");
            exit::OUTPUT
        }
    }
}
