//! Exit codes, documented in the README and `sift --help`.

/// Every input was analysed and every report written.
pub const OK: u8 = 0;
/// Could not write the output, or an internal error.
pub const OUTPUT: u8 = 1;
/// Bad command line (clap's own code).
#[allow(dead_code)]
pub const USAGE: u8 = 2;
/// Some inputs failed (each named on stderr); the others were analysed.
pub const SOME_INPUTS_FAILED: u8 = 3;
/// No input could be analysed.
pub const ALL_INPUTS_FAILED: u8 = 4;

pub const EXIT_CODES_HELP: &str = "Exit codes:
  0  every input analysed
  1  output could not be written, or internal error
  2  bad command line
  3  some inputs failed (each named on stderr); the rest were analysed
  4  no input could be analysed";
