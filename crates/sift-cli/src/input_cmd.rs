//! Subcommands owned by the input work. Placeholders until that work lands.

use clap::{Args, Subcommand};

use crate::exit;

#[derive(Args, Debug)]
pub struct Placeholder {}

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// Not built yet.
    Extraction(Placeholder),
}

pub fn eval(_cmd: Eval) -> u8 {
    eprintln!("sift: not built yet");
    exit::OUTPUT
}
