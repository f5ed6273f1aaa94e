//! Technique label sets and the mapping between them: the 23 techniques of
//! SemEval-2023 Task 3 (the report's set, [`TechniqueName`]) and the 14 of SemEval-2020
//! Task 11 (PTC). The mapping is data, `lexicon/techniques-ptc-mapping.tsv`
//! (documented in `docs/techniques-mapping.md`).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::report::TechniqueName;

/// The 23 techniques of SemEval-2023 Task 3 subtask 3 (the report's label set).
pub const SEMEVAL23_TECHNIQUES: [&str; 23] = [
    "Appeal_to_Authority",
    "Appeal_to_Popularity",
    "Appeal_to_Values",
    "Appeal_to_Fear-Prejudice",
    "Flag_Waving",
    "Causal_Oversimplification",
    "False_Dilemma-No_Choice",
    "Consequential_Oversimplification",
    "Straw_Man",
    "Red_Herring",
    "Whataboutism",
    "Slogans",
    "Appeal_to_Time",
    "Conversation_Killer",
    "Loaded_Language",
    "Repetition",
    "Exaggeration-Minimisation",
    "Obfuscation-Vagueness-Confusion",
    "Name_Calling-Labeling",
    "Doubt",
    "Guilt_by_Association",
    "Appeal_to_Hypocrisy",
    "Questioning_the_Reputation",
];

/// The 14 techniques of SemEval-2020 Task 11 (PTC).
pub const PTC_TECHNIQUES: [&str; 14] = [
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
];

/// One row of the mapping: SemEval-2023 label, its PTC label, whether the PTC label
/// comes back to it.
struct Mapping {
    to_ptc: HashMap<&'static str, &'static str>,
    from_ptc: HashMap<&'static str, &'static str>,
}

fn mapping() -> &'static Mapping {
    static MAPPING: OnceLock<Mapping> = OnceLock::new();
    MAPPING.get_or_init(|| {
        let rows = crate::lexicon::rows(
            "techniques-ptc-mapping",
            include_str!("../../../lexicon/techniques-ptc-mapping.tsv"),
            3,
        );
        let mut to_ptc = HashMap::new();
        let mut from_ptc = HashMap::new();
        for row in rows {
            let (semeval, ptc, back) = (row[0], row[1], row[2]);
            if ptc != "-" {
                to_ptc.insert(semeval, ptc);
                if back == "back" {
                    from_ptc.insert(ptc, semeval);
                }
            }
        }
        Mapping { to_ptc, from_ptc }
    })
}

/// SemEval-2023 technique → the PTC technique that covers it, if any.
pub fn to_ptc(technique: &str) -> Option<&'static str> {
    mapping().to_ptc.get(technique).copied()
}

/// PTC technique → the SemEval-2023 technique it becomes when the mapping is
/// one-to-one; `None` for PTC's merged classes (Bandwagon/Reductio, Whataboutism/Straw/Red herring).
pub fn from_ptc(technique: &str) -> Option<&'static str> {
    mapping().from_ptc.get(technique).copied()
}

/// The report's technique for a model label: a SemEval-2023 name as it is, a PTC name
/// through its one-to-one mapping (`None` for PTC's merged classes).
pub fn technique_name(label: &str) -> Option<TechniqueName> {
    TechniqueName::from_name(label).or_else(|| from_ptc(label).and_then(TechniqueName::from_name))
}

/// Techniques that mostly mark a word or two (loaded words, labels, exaggeration,
/// flag-waving), in either label set; the tagger has a separate output for them.
pub fn is_lexical(technique: &str) -> bool {
    matches!(
        technique,
        "Loaded_Language"
            | "Name_Calling-Labeling"
            | "Name_Calling,Labeling"
            | "Exaggeration-Minimisation"
            | "Exaggeration,Minimisation"
            | "Flag_Waving"
            | "Flag-Waving"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_semeval23_label_maps_to_a_ptc_label_or_is_documented_as_unmapped() {
        let unmapped: Vec<&str> = SEMEVAL23_TECHNIQUES
            .iter()
            .copied()
            .filter(|t| to_ptc(t).is_none())
            .collect();
        assert_eq!(
            unmapped,
            [
                "Appeal_to_Values",
                "Appeal_to_Time",
                "Obfuscation-Vagueness-Confusion"
            ]
        );
        for t in SEMEVAL23_TECHNIQUES {
            if let Some(p) = to_ptc(t) {
                assert!(PTC_TECHNIQUES.contains(&p), "{t} → {p}");
            }
        }
    }

    #[test]
    fn one_to_one_ptc_labels_round_trip() {
        for p in PTC_TECHNIQUES {
            if let Some(t) = from_ptc(p) {
                assert!(SEMEVAL23_TECHNIQUES.contains(&t));
                assert_eq!(to_ptc(t), Some(p));
            }
        }
        assert_eq!(from_ptc("Bandwagon,Reductio_ad_hitlerum"), None);
    }

    #[test]
    fn the_report_enum_lists_the_semeval23_names_in_order() {
        let names: Vec<&str> = TechniqueName::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(names, SEMEVAL23_TECHNIQUES);
        for t in TechniqueName::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(technique_name(t.as_str()), Some(t));
        }
        assert_eq!(
            technique_name("Thought-terminating_Cliches"),
            Some(TechniqueName::ConversationKiller)
        );
        assert_eq!(technique_name("Bandwagon,Reductio_ad_hitlerum"), None);
    }
}
