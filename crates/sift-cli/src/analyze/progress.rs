//! The progress bar of a long `sift analyze`: documents, input MB/s, ETA, on stderr.
//!
//! Shown only when stderr is a terminal, the report is not going to that same terminal
//! (text on stdout would tear through the bar), and `--quiet` is off. Progress is counted
//! in input bytes (file sizes as read), advanced when every document of an input has been
//! written, so MB/s and the ETA hold for a directory of HTML pages and for one large JSONL
//! file alike. Messages printed while the bar is up go above it (`eprintln`).

use std::io::{self, IsTerminal};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
    /// Bytes of each input, in input order.
    input_bytes: Vec<u64>,
    /// Inputs counted so far (all of their documents written).
    inputs_done: usize,
    documents: u64,
}

impl Progress {
    /// A bar over inputs of these sizes; hidden unless `wanted` and stderr is a terminal.
    pub fn new(input_bytes: Vec<u64>, wanted: bool) -> Progress {
        let bar = (wanted && io::stderr().is_terminal()).then(|| {
            let total = input_bytes.iter().sum();
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} \
                 {bytes_per_sec} · {msg} · ETA {eta}",
            )
            .expect("the progress template is valid");
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
                .with_style(style)
                .with_message("0 documents");
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            input_bytes,
            inputs_done: 0,
            documents: 0,
        }
    }

    /// A document of input `input` was written (or failed).
    pub fn document(&mut self, input: usize) {
        self.documents += 1;
        // Results come in input order: reaching input `n` means every earlier one is done.
        self.inputs_to(input);
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{} documents", self.documents));
        }
    }

    fn inputs_to(&mut self, end: usize) {
        let end = end.min(self.input_bytes.len());
        if end > self.inputs_done {
            let bytes: u64 = self.input_bytes[self.inputs_done..end].iter().sum();
            self.inputs_done = end;
            if let Some(bar) = &self.bar {
                bar.inc(bytes);
            }
        }
    }

    /// Print a line above the bar (or plainly on stderr when there is none).
    pub fn eprintln(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Every input is done: the bar is left showing the totals.
    pub fn finish(mut self) {
        self.inputs_to(self.input_bytes.len());
        if let Some(bar) = &self.bar {
            bar.finish_with_message(format!("{} documents", self.documents));
        }
    }
}
