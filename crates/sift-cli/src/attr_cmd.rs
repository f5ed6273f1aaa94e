//! Subcommands owned by the attribution work. Placeholders until that work lands.

use clap::{Args, Subcommand};

use crate::exit;

#[derive(Args, Debug)]
pub struct Placeholder {}

#[derive(Subcommand, Debug)]
pub enum Train {
    /// Not built yet.
    Attribution(Placeholder),
}

pub fn train(_cmd: Train) -> u8 {
    eprintln!("sift: not built yet");
    exit::OUTPUT
}

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// Not built yet.
    Polnear(Placeholder),
    /// Not built yet.
    Speakers(Placeholder),
}

pub fn eval(_cmd: Eval) -> u8 {
    eprintln!("sift: not built yet");
    exit::OUTPUT
}
