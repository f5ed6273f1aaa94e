//! Word lists as data. Every list lives once, in `crates/sift/lexicon/*.{txt,tsv}`,
//! embedded with `include_str!` and parsed here on first use.
//!
//! Formats: `#` starts a comment line; blank lines are skipped.
//! - `.txt`: one entry per line (or several whitespace-separated words per line
//!   where the file's header says so; read with [`words`]);
//! - `.tsv`: tab-separated columns, the column count fixed per file ([`rows`]).
//!
//! A layer keeps its typed accessor (a `OnceLock` over [`lines`], [`words`] or
//! [`rows`]) next to the code that reads it; `every_lexicon_file_parses` below checks
//! every file in the folder.

/// The non-comment, non-blank lines of a list, trimmed.
pub fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Every whitespace-separated word of a list.
pub fn words(text: &'static str) -> impl Iterator<Item = &'static str> {
    lines(text).flat_map(str::split_whitespace)
}

/// The rows of a `.tsv` list, each exactly `columns` tab-separated fields.
///
/// # Panics
/// On a row with another number of fields, naming the list and the row: lists are
/// committed data, checked by the test suite, so this is a build defect.
pub fn rows(name: &str, text: &'static str, columns: usize) -> Vec<Vec<&'static str>> {
    lines(text)
        .map(|line| {
            let fields: Vec<&'static str> = line.split('\t').map(str::trim).collect();
            assert!(
                fields.len() == columns,
                "lexicon {name}: expected {columns} tab-separated fields, got {}: {line:?}",
                fields.len()
            );
            fields
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        let text = "# header\n\nalpha beta\n  gamma  \n";
        assert_eq!(lines(text).collect::<Vec<_>>(), ["alpha beta", "gamma"]);
        assert_eq!(words(text).collect::<Vec<_>>(), ["alpha", "beta", "gamma"]);
    }

    #[test]
    #[should_panic(expected = "lexicon t: expected 2")]
    fn a_short_row_is_a_defect() {
        rows("t", "a\tb\nc\n", 2);
    }

    /// Every data file: UTF-8 (it is read as a string), no row with stray
    /// whitespace around a tab, and `.tsv` files keep one column count throughout.
    #[test]
    fn every_lexicon_file_parses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicon");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let text: &'static str = Box::leak(text.into_boxed_str());
            assert!(lines(text).next().is_some(), "{} is empty", path.display());
            if path.extension().is_some_and(|e| e == "tsv") {
                let columns = lines(text).next().unwrap().split('\t').count();
                rows(&path.display().to_string(), text, columns);
            }
            seen += 1;
        }
        assert!(seen >= 4, "lexicon files found: {seen}");
    }
}
