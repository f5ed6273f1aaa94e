//! The SemEval span format: one line per technique span,
//! `article_id<TAB>technique<TAB>start<TAB>end`, which the official PTC and
//! SemEval-2023 scorers read directly.

use std::io::{self, Write};
use std::path::Path;

use crate::analyze::techniques::to_ptc;
use crate::report::Report;

/// Which technique names to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelSet {
    /// The 14 techniques of SemEval-2020 Task 11 (PTC); spans whose technique has no
    /// PTC counterpart are left out.
    Ptc,
    /// The 23 techniques of SemEval-2023 Task 3, as in the report.
    Semeval23,
}

/// The article id the scorers expect: the corpora's `article<digits>` file names
/// give their digits (`article111111111.txt` → `111111111`); any other file gives
/// its whole stem (`2024-03-01 bridge.txt` → `2024-03-01 bridge`), so two files
/// never share an id the way "the digits of any name" made them; a document
/// without a path keeps its report id.
pub fn article_id(report: &Report) -> String {
    let Some(stem) = report
        .source
        .path
        .as_deref()
        .and_then(|p| Path::new(p).file_stem())
        .map(|s| s.to_string_lossy().to_string())
    else {
        return report.id.clone();
    };
    match stem.strip_prefix("article") {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            digits.to_string()
        }
        _ => stem,
    }
}

/// Write the report's technique spans. Offsets go through `map`: the identity gives
/// offsets into `report.text`; `|c| doc.source_char_of(c)` maps them back to the input
/// text as read (before newline and Unicode normalisation), which is what the
/// corpora's offsets index.
pub fn write_ptc<W: Write + ?Sized>(
    out: &mut W,
    report: &Report,
    map: &dyn Fn(usize) -> usize,
    labels: LabelSet,
) -> io::Result<()> {
    let id = article_id(report);
    for t in &report.techniques {
        let name = match labels {
            LabelSet::Ptc => match to_ptc(t.technique.as_str()) {
                Some(n) => n,
                None => continue,
            },
            LabelSet::Semeval23 => t.technique.as_str(),
        };
        writeln!(out, "{id}\t{name}\t{}\t{}", map(t.start), map(t.end))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Document, Source};
    use crate::report::{Technique, TechniqueName};

    fn report(path: &str) -> Report {
        let technique = |start, end, name: &str| Technique {
            start,
            end,
            technique: TechniqueName::from_name(name).unwrap(),
            confidence: 0.9,
        };
        Report {
            id: "article111111111".into(),
            source: Source {
                path: Some(path.into()),
                ..Source::default()
            },
            techniques: vec![
                technique(4, 17, "Loaded_Language"),
                technique(20, 30, "Appeal_to_Values"),
                technique(31, 40, "Questioning_the_Reputation"),
            ],
            ..Report::default()
        }
    }

    #[test]
    fn ptc_lines_use_file_digits_and_ptc_names() {
        let mut out = Vec::new();
        write_ptc(
            &mut out,
            &report("corpus/article111111111.txt"),
            &|c| c,
            LabelSet::Ptc,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "111111111\tLoaded_Language\t4\t17\n111111111\tName_Calling,Labeling\t31\t40\n"
        );
    }

    #[test]
    fn semeval23_lines_keep_every_technique() {
        let mut out = Vec::new();
        write_ptc(
            &mut out,
            &report("a/article7.txt"),
            &|c| c,
            LabelSet::Semeval23,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 3);
        assert!(text.starts_with("7\tLoaded_Language\t4\t17\n"));
        assert!(text.contains("7\tAppeal_to_Values\t20\t30\n"));
    }

    #[test]
    fn offsets_map_back_through_normalisation() {
        // "\r\n" becomes "\n": char 10 of the text is char 11 of the input.
        let doc = Document::from_text("Line one.\r\nShameful lies!");
        let mut r = report("x/article5.txt");
        r.techniques = vec![Technique {
            start: 10,
            end: 18,
            technique: TechniqueName::LoadedLanguage,
            confidence: 0.5,
        }];
        let mut out = Vec::new();
        write_ptc(&mut out, &r, &|c| doc.source_char_of(c), LabelSet::Ptc).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "5\tLoaded_Language\t11\t19\n"
        );
    }

    #[test]
    fn ids_are_the_corpus_digits_or_the_whole_stem() {
        let mut r = report("notes/plain.txt");
        assert_eq!(article_id(&r), "plain");
        r.source.path = None;
        assert_eq!(article_id(&r), "article111111111");
        // Names whose digits agree must still get distinct ids.
        let ids: std::collections::BTreeSet<String> = [
            "a/article12.txt",
            "a/article12b.txt",
            "a/report-1-2.txt",
            "a/article12 (copy).txt",
            "a/article-12.txt",
        ]
        .iter()
        .map(|p| article_id(&report(p)))
        .collect();
        assert_eq!(ids.len(), 5, "{ids:?}");
        assert!(ids.contains("12") && ids.contains("article12b"));
    }
}
