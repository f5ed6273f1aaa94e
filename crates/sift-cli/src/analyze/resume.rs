//! `--resume`: go on with a JSONL run that was interrupted or that new inputs extend.
//!
//! The reports already written are kept and their ids skipped. They are found in
//! `FILE.partial` when an earlier run was interrupted (it never renamed), else in `FILE`
//! when an earlier run finished. Each line is read back as JSON; the first line that does
//! not parse (the one being written when the run was killed) and everything after it is cut
//! off, so those documents are analysed again.

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

use super::output::partial_path;

/// Make `FILE.partial` hold the complete reports written so far for `target` (possibly
/// none) and return their ids.
pub fn prepare(target: &Path) -> io::Result<HashSet<String>> {
    let partial = partial_path(target);
    if !partial.exists() {
        if target.exists() {
            fs::copy(target, &partial)?;
        } else {
            fs::File::create(&partial)?;
        }
    }
    let mut reader = BufReader::new(fs::File::open(&partial)?);
    let mut ids = HashSet::new();
    let mut complete_bytes = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line)?;
        if read == 0 || line.last() != Some(&b'\n') {
            break;
        }
        let id = serde_json::from_slice::<Value>(&line)
            .ok()
            .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string));
        let Some(id) = id else { break };
        ids.insert(id);
        complete_bytes += read as u64;
    }
    OpenOptions::new()
        .write(true)
        .open(&partial)?
        .set_len(complete_bytes)?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_last_line_is_cut_and_earlier_ids_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        fs::write(
            partial_path(&target),
            "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\"}\n{\"id\":\"c\",\"te",
        )
        .unwrap();
        let ids = prepare(&target).unwrap();
        assert_eq!(ids, HashSet::from(["a".to_string(), "b".to_string()]));
        assert_eq!(
            fs::read_to_string(partial_path(&target)).unwrap(),
            "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\"}\n"
        );
    }

    #[test]
    fn a_finished_output_is_copied_to_the_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        fs::write(&target, "{\"id\":\"a\"}\n").unwrap();
        assert_eq!(prepare(&target).unwrap().len(), 1);
        assert_eq!(
            fs::read(&target).unwrap(),
            fs::read(partial_path(&target)).unwrap()
        );
        let fresh = dir.path().join("new.jsonl");
        assert!(prepare(&fresh).unwrap().is_empty());
    }
}
