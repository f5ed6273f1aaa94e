//! Where `sift analyze` writes: stdout, or `-o FILE` written atomically.
//!
//! `-o FILE` is written to `FILE.partial` beside it, flushed after each report, and renamed
//! onto `FILE` only when the run finished writing: a reader of `FILE` never sees half a
//! corpus, and an interrupted JSONL run leaves `FILE.partial` for `--resume`. The rename
//! stays on one file system because the partial file is in the same directory.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The file being written for `-o FILE`.
pub struct AtomicFile {
    target: PathBuf,
    partial: PathBuf,
    file: BufWriter<File>,
}

/// `FILE.partial`, beside `FILE`.
pub fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    target.with_file_name(name)
}

impl AtomicFile {
    /// Start `target`'s partial file afresh.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let partial = partial_path(target);
        let file = File::create(&partial)?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            partial,
            file: BufWriter::new(file),
        })
    }

    /// Go on appending to a partial file that `resume` prepared.
    pub fn append(target: &Path) -> io::Result<AtomicFile> {
        let partial = partial_path(target);
        let file = OpenOptions::new().append(true).open(&partial)?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            partial,
            file: BufWriter::new(file),
        })
    }

    /// Flush, sync and rename the partial file onto the target.
    pub fn commit(self) -> io::Result<()> {
        let file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&self.partial, &self.target)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// An absolute, symlink-free form of `path`, also when it does not exist yet (its parent
/// is resolved and its name appended).
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some(parent.canonicalize().ok()?.join(name))
}

/// Why `out` may not be written while `inputs` are analysed: it is one of the inputs, or
/// lies inside an input directory (the next run would read its own output). `None` when
/// it is fine.
pub fn conflicts_with_inputs(out: &Path, inputs: &[PathBuf]) -> Option<String> {
    let out_resolved = resolved(out)?;
    let partial_resolved = resolved(&partial_path(out))?;
    for input in inputs.iter().filter(|p| p.as_os_str() != "-") {
        let Ok(input_resolved) = input.canonicalize() else {
            continue;
        };
        if input_resolved.is_dir() {
            if out_resolved.starts_with(&input_resolved) {
                return Some(format!(
                    "output {} is inside the input directory {}; write it elsewhere",
                    out.display(),
                    input.display()
                ));
            }
        } else if input_resolved == out_resolved || input_resolved == partial_resolved {
            return Some(format!(
                "output {} is also an input; write it elsewhere",
                out.display()
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_inside_an_input_directory_or_equal_to_an_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("a.txt");
        fs::write(&input, "text").unwrap();
        let inputs = vec![dir.path().to_path_buf()];
        assert!(conflicts_with_inputs(&dir.path().join("out.jsonl"), &inputs).is_some());
        assert!(conflicts_with_inputs(&input, std::slice::from_ref(&input)).is_some());
        let elsewhere = tempfile::tempdir().unwrap();
        assert!(conflicts_with_inputs(&elsewhere.path().join("out.jsonl"), &inputs).is_none());
    }

    #[test]
    fn commit_renames_the_partial_file_onto_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"{}\n").unwrap();
        assert!(!target.exists());
        file.commit().unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"{}\n");
        assert!(!partial_path(&target).exists());
    }
}
