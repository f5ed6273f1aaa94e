//! Subcommands owned by the web app work. Placeholders until that work lands.

use clap::Args;

use crate::exit;

#[derive(Args, Debug)]
pub struct Placeholder {}

#[derive(Args, Debug)]
pub struct ServeArgs {}

pub fn serve(_args: ServeArgs) -> u8 {
    eprintln!("sift: not built yet");
    exit::OUTPUT
}
