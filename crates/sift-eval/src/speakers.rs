//! Speaker resolution on sift's own test articles (`data/speakers/`, written
//! for this project): each article lists, in text order, the cue of every
//! attribution with the speaker and source type it should resolve to.

use sift::{Attribution, SourceType};

/// One hand-written test article with its expected attributions.
pub struct SpeakerCase {
    pub name: &'static str,
    pub text: &'static str,
    pub expected: &'static str,
}

pub const CASES: &[SpeakerCase] = &[
    SpeakerCase {
        name: "en-transit",
        text: include_str!("../data/speakers/en-transit.txt"),
        expected: include_str!("../data/speakers/en-transit.tsv"),
    },
    SpeakerCase {
        name: "en-grain",
        text: include_str!("../data/speakers/en-grain.txt"),
        expected: include_str!("../data/speakers/en-grain.tsv"),
    },
    SpeakerCase {
        name: "ru-kremlin",
        text: include_str!("../data/speakers/ru-kremlin.txt"),
        expected: include_str!("../data/speakers/ru-kremlin.tsv"),
    },
    SpeakerCase {
        name: "ru-airline",
        text: include_str!("../data/speakers/ru-airline.txt"),
        expected: include_str!("../data/speakers/ru-airline.tsv"),
    },
    SpeakerCase {
        name: "en-hospital (held out)",
        text: include_str!("../data/speakers/en-hospital.txt"),
        expected: include_str!("../data/speakers/en-hospital.tsv"),
    },
    SpeakerCase {
        name: "ru-school (held out)",
        text: include_str!("../data/speakers/ru-school.txt"),
        expected: include_str!("../data/speakers/ru-school.tsv"),
    },
];

/// One expected attribution and what sift made of it.
#[derive(Debug, Clone)]
pub struct SpeakerCheck {
    pub cue: String,
    pub expected_speaker: Option<String>,
    pub expected_type: String,
    /// None when no attribution with this cue was found.
    pub found_speaker: Option<Option<String>>,
    pub found_type: Option<String>,
}

impl SpeakerCheck {
    pub fn speaker_ok(&self) -> bool {
        self.found_speaker.as_ref() == Some(&self.expected_speaker)
    }
    pub fn type_ok(&self) -> bool {
        self.found_type.as_deref() == Some(self.expected_type.as_str())
    }
}

pub fn source_type_name(t: SourceType) -> &'static str {
    match t {
        SourceType::NamedPerson => "named_person",
        SourceType::NamedOrg => "named_org",
        SourceType::Anonymous => "anonymous",
        SourceType::Vague => "vague",
        SourceType::SelfSource => "self",
        SourceType::Document => "document",
    }
}

/// Match expectations to attributions in order: the n-th expectation with a
/// cue takes the first not-yet-used attribution at or after the previous
/// match whose cue text contains it.
pub fn check(attributions: &[Attribution], expected: &str) -> Vec<SpeakerCheck> {
    let mut out = Vec::new();
    let mut next = 0usize;
    for line in expected.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 3 {
            continue;
        }
        let (cue, speaker, stype) = (f[0], f[1], f[2]);
        let cue_lower = cue.to_lowercase();
        let hit = attributions
            .iter()
            .enumerate()
            .skip(next)
            .find(|(_, a)| a.cue.text.to_lowercase().contains(&cue_lower));
        let (found_speaker, found_type) = match hit {
            Some((i, a)) => {
                next = i + 1;
                (
                    Some(a.speaker.clone()),
                    Some(source_type_name(a.source_type).to_string()),
                )
            }
            None => (None, None),
        };
        out.push(SpeakerCheck {
            cue: cue.to_string(),
            expected_speaker: (speaker != "-").then(|| speaker.to_string()),
            expected_type: stype.to_string(),
            found_speaker,
            found_type,
        });
    }
    out
}

/// Run every case through the full pipeline.
pub fn run_all() -> Vec<(&'static str, Vec<SpeakerCheck>)> {
    CASES
        .iter()
        .map(|c| {
            let report = sift::analyze_text(c.text);
            (c.name, check(&report.attributions, c.expected))
        })
        .collect()
}

/// The hand-checked sets on real articles: (name, rows).
pub const CHECKED_SETS: &[(&str, &str)] = &[
    (
        "PolNeAR dev (English)",
        include_str!("../data/speakers/checked-en.tsv"),
    ),
    (
        "SemEval-2023 ru",
        include_str!("../data/speakers/checked-ru.tsv"),
    ),
];

/// A hand-checked attribution in an article of `../shared/data` (the sets in
/// `data/speakers/checked-*.tsv`, protocol in `docs/annotation/attribution.md`): the
/// article's path under the shared data folder, the cue's char offsets into the
/// report's text, the cue itself (a check that the offsets still point where they
/// did), the speaker a careful reader names (`-`: none, the source is unnamed), and
/// how the text points to the speaker (`name`, `pronoun`, `title`, `surname`).
#[derive(Debug, Clone)]
pub struct Checked {
    pub path: String,
    pub cue_start: usize,
    pub cue_end: usize,
    pub cue: String,
    pub speaker: Option<String>,
    pub how: String,
}

/// The rows of a checked set; malformed rows are an error naming the line.
pub fn parse_checked(tsv: &str) -> Result<Vec<Checked>, String> {
    let mut out = Vec::new();
    for (n, line) in tsv.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let bad = || format!("line {}: {line:?}", n + 1);
        if f.len() != 6 {
            return Err(bad());
        }
        out.push(Checked {
            path: f[0].to_string(),
            cue_start: f[1].parse().map_err(|_| bad())?,
            cue_end: f[2].parse().map_err(|_| bad())?,
            cue: f[3].to_string(),
            speaker: (f[4] != "-").then(|| f[4].to_string()),
            how: f[5].to_string(),
        });
    }
    Ok(out)
}

/// What sift made of one checked attribution.
#[derive(Debug, Clone)]
pub struct CheckedOutcome {
    pub row: Checked,
    /// `None` when no attribution has a cue overlapping the checked one.
    pub found: Option<Option<String>>,
}

impl CheckedOutcome {
    /// The speaker is right: the same name, ignoring case and a leading article ("The New
    /// York Post" is "New York Post"), or both unnamed.
    pub fn ok(&self) -> bool {
        let key = |name: &str| {
            let lower = name.to_lowercase();
            lower.strip_prefix("the ").unwrap_or(&lower).to_string()
        };
        match &self.found {
            Some(found) => found.as_deref().map(key) == self.row.speaker.as_deref().map(key),
            None => false,
        }
    }
}

/// The report `sift analyze` gives for the article at `path` under the shared data folder
/// `data` (the reading path of the checked sets' offsets); `None` when it cannot be read.
pub fn shared_article_report(
    pipeline: &sift::Pipeline,
    data: &std::path::Path,
    path: &str,
) -> Option<sift::Report> {
    let raw = sift::input::read_path(&data.join(path))
        .into_iter()
        .next()?
        .ok()?;
    Some(pipeline.analyze(&sift::Document::build(raw, Default::default())))
}

/// Score checked rows against reports: `report_of(path)` analyses the article at
/// `path` (relative to the shared data folder) the way `sift analyze` does.
pub fn score_checked(
    rows: &[Checked],
    mut report_of: impl FnMut(&str) -> Option<sift::Report>,
) -> Vec<CheckedOutcome> {
    let mut cache: Option<(String, sift::Report)> = None;
    rows.iter()
        .map(|row| {
            if cache.as_ref().is_none_or(|(p, _)| *p != row.path) {
                cache = report_of(&row.path).map(|r| (row.path.clone(), r));
            }
            let found = cache.as_ref().and_then(|(_, report)| {
                report
                    .attributions
                    .iter()
                    .find(|a| a.cue.start < row.cue_end && row.cue_start < a.cue.end)
                    .map(|a| a.speaker.clone())
            });
            CheckedOutcome {
                row: row.clone(),
                found,
            }
        })
        .collect()
}

#[cfg(test)]
mod checked_tests {
    use super::*;

    #[test]
    fn checked_rows_parse_and_score_by_cue_overlap() {
        let rows = parse_checked("# header\na.txt\t4\t8\tsaid\tJohn Smith\tpronoun\n").unwrap();
        assert_eq!(rows[0].speaker.as_deref(), Some("John Smith"));
        assert!(parse_checked("a.txt\tx\t8\tsaid\t-\tname\n").is_err());
        let report = sift::analyze_text("John Smith said the bridge was closed.");
        let cue = &report.attributions[0].cue;
        let rows = vec![Checked {
            path: "a.txt".into(),
            cue_start: cue.start,
            cue_end: cue.end,
            cue: "said".into(),
            speaker: Some("john smith".into()),
            how: "name".into(),
        }];
        let out = score_checked(&rows, |_| Some(report.clone()));
        assert!(out[0].ok(), "{out:?}");
        let missing = score_checked(&rows, |_| None);
        assert!(!missing[0].ok());
    }
}
