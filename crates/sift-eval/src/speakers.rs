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
