//! Subcommands owned by the segmentation/language/entities work. Placeholders until that work lands.

use clap::{Args, Subcommand};

use crate::exit;

#[derive(Args, Debug)]
pub struct Placeholder {}

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// Not built yet.
    Sentences(Placeholder),
}

pub fn eval(_cmd: Eval) -> u8 {
    eprintln!("sift: not built yet");
    exit::OUTPUT
}

#[derive(Args, Debug)]
pub struct BenchArgs {}

pub fn bench(_args: BenchArgs) -> u8 {
    eprintln!("sift: not built yet");
    exit::OUTPUT
}
