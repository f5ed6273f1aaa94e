//! CoNLL-U reading and writing (<https://universaldependencies.org/format.html>).
//!
//! A sentence keeps every line as it came (comments, multiword-token ranges `1-2`,
//! empty nodes `8.1`), so a file read and written back is unchanged; [`Sentence::words`]
//! gives the syntactic words (integer ids) that taggers and parsers see.

use std::fmt::Write as _;

/// The ten columns of one CoNLL-U line, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// ID, FORM, LEMMA, UPOS, XPOS, FEATS, HEAD, DEPREL, DEPS, MISC.
    pub columns: [String; 10],
}

impl Row {
    /// A syntactic word (an integer id), not a multiword range or an empty node.
    pub fn is_word(&self) -> bool {
        !self.columns[0].is_empty() && self.columns[0].bytes().all(|b| b.is_ascii_digit())
    }
    /// FORM.
    pub fn form(&self) -> &str {
        &self.columns[1]
    }
    /// LEMMA.
    pub fn lemma(&self) -> &str {
        &self.columns[2]
    }
    /// UPOS.
    pub fn upos(&self) -> &str {
        &self.columns[3]
    }
    /// FEATS (`_` when none).
    pub fn feats(&self) -> &str {
        &self.columns[5]
    }
    /// HEAD as a number (0 = root); `None` when `_` or malformed.
    pub fn head(&self) -> Option<usize> {
        self.columns[6].parse().ok()
    }
    /// DEPREL.
    pub fn deprel(&self) -> &str {
        &self.columns[7]
    }
}

/// One sentence: its comment lines and its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    /// Comment lines without the leading `#`.
    pub comments: Vec<String>,
    /// Every token line, in order.
    pub rows: Vec<Row>,
}

impl Sentence {
    /// The syntactic words (integer ids), in order.
    pub fn words(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.is_word())
    }
    /// Mutable syntactic words.
    pub fn words_mut(&mut self) -> impl Iterator<Item = &mut Row> {
        self.rows.iter_mut().filter(|r| r.is_word())
    }
}

/// A line that is neither a comment, a blank nor ten tab-separated columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CoNLL-U line {}: {}", self.line, self.message)
    }
}

/// Parse a CoNLL-U document.
pub fn parse(text: &str) -> Result<Vec<Sentence>, ParseError> {
    let mut out = Vec::new();
    let mut current = Sentence::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.rows.is_empty() || !current.comments.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else if let Some(comment) = line.strip_prefix('#') {
            current.comments.push(comment.to_string());
        } else {
            current.rows.push(parse_row(line, i + 1)?);
        }
    }
    if !current.rows.is_empty() || !current.comments.is_empty() {
        out.push(current);
    }
    Ok(out)
}

fn parse_row(line: &str, number: usize) -> Result<Row, ParseError> {
    let fields: Vec<&str> = line.split('\t').collect();
    if fields.len() != 10 {
        return Err(ParseError {
            line: number,
            message: format!("{} columns, expected 10", fields.len()),
        });
    }
    Ok(Row {
        columns: std::array::from_fn(|i| fields[i].to_string()),
    })
}

/// Write sentences as CoNLL-U (each followed by a blank line).
pub fn write(sentences: &[Sentence]) -> String {
    let mut out = String::new();
    for s in sentences {
        write_sentence(s, &mut out);
    }
    out
}

/// Append one sentence as CoNLL-U.
pub fn write_sentence(sentence: &Sentence, out: &mut String) {
    for c in &sentence.comments {
        let _ = writeln!(out, "#{c}");
    }
    for r in &sentence.rows {
        out.push_str(&r.columns.join("\t"));
        out.push('\n');
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# sent_id = 1\n# text = I can't.\n1\tI\tI\tPRON\tPRP\tCase=Nom\t3\tnsubj\t_\t_\n2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n2\tca\tcan\tAUX\tMD\t_\t0\troot\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t2\tadvmod\t_\t_\n3.1\tx\tx\tX\t_\t_\t_\t_\t2:dep\t_\n4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n1\tДа\tда\tPART\t_\t_\t0\troot\t_\t_\n\n";

    #[test]
    fn round_trip_keeps_every_line() {
        let sentences = parse(SAMPLE).unwrap();
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[0].comments[1], " text = I can't.");
        let words: Vec<&str> = sentences[0].words().map(|r| r.form()).collect();
        assert_eq!(words, ["I", "ca", "n't", "."]);
        assert_eq!(sentences[0].rows[2].head(), Some(0));
        assert_eq!(write(&sentences), SAMPLE);
    }

    #[test]
    fn bad_line_is_an_error_with_its_number() {
        let err = parse("# c\n1\tonly\tthree\n").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
