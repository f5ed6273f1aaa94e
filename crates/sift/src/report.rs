//! The report: plain serde data, the contract between analysers and renderers.
//! Documented in `docs/report-schema.md`; JSON Schema in `schema/report.schema.json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::{Source, Span};
use crate::language::LanguageInfo;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: u32,
    pub sift_version: String,
    pub id: String,
    pub source: Source,
    pub language: LanguageInfo,
    pub text: String,
    pub paragraphs: Vec<Span>,
    /// Language per paragraph, same order as `paragraphs`.
    pub paragraph_languages: Vec<LanguageInfo>,
    pub sentences: Vec<Span>,
    pub entities: Vec<Entity>,
    pub quantities: Vec<Quantity>,
    pub attributions: Vec<Attribution>,
    pub techniques: Vec<Technique>,
    /// Techniques asserted per paragraph (SemEval-2023 subtask 3), same order as
    /// `paragraphs`.
    #[serde(default)]
    pub paragraph_techniques: Vec<Vec<ParagraphTechnique>>,
    pub claims: Vec<Claim>,
    pub findings: Vec<Finding>,
    /// How well sourced the article is (issue: attribution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourcing: Option<SourcingProfile>,
    /// Counts per technique and persuasion density (issue: techniques).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technique_summary: Option<TechniqueSummary>,
    pub timing_ms: BTreeMap<String, f64>,
    /// What could not be done, one line each (a model that failed to load); absent
    /// when empty. Also printed to stderr by the CLI.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Org,
    Place,
    Date,
    Misc,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: EntityKind,
    /// The full form this mention refers to ("Peskov" → "Dmitry Peskov").
    pub canonical: String,
    /// Title or role attached to the person ("Press Secretary").
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The unit as written ("kilometers", "км", "$").
    pub unit: Option<String>,
    /// length, duration, speed, mass, area, volume, energy, power, temperature,
    /// money, percentage, percentage_points, count, age, date, time, number.
    pub dimension: String,
    pub si_value: Option<f64>,
    /// SI unit ("m", "s", "m/s") or ISO 4217 code for money.
    pub si_unit: Option<String>,
    pub approx: bool,
    /// `lower` (more than, at least), `upper` (up to, less than) or null.
    pub bound: Option<String>,
    /// For `date` quantities: ISO 8601 as far as written (`2025-10-26`, `--10-26`, `2025-10`, `2025`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// For `date` quantities: the weekday as stated in the text (English name), kept to check it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceType {
    NamedPerson,
    NamedOrg,
    Anonymous,
    Vague,
    #[serde(rename = "self")]
    SelfSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttributionKind {
    Direct,
    Indirect,
    Mixed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub source: Option<TextSpan>,
    pub cue: TextSpan,
    pub content: Span,
    pub kind: AttributionKind,
    /// Resolved full name or organisation.
    pub speaker: Option<String>,
    /// Index into `entities`.
    pub speaker_entity: Option<usize>,
    pub role: Option<String>,
    pub source_type: SourceType,
}

/// A persuasion technique: the 23 of SemEval-2023 Task 3 subtask 3 (the report's label
/// set), serialised under their SemEval names (`Loaded_Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TechniqueName {
    #[serde(rename = "Appeal_to_Authority")]
    AppealToAuthority,
    #[serde(rename = "Appeal_to_Popularity")]
    AppealToPopularity,
    #[serde(rename = "Appeal_to_Values")]
    AppealToValues,
    #[serde(rename = "Appeal_to_Fear-Prejudice")]
    AppealToFearPrejudice,
    #[serde(rename = "Flag_Waving")]
    FlagWaving,
    #[serde(rename = "Causal_Oversimplification")]
    CausalOversimplification,
    #[serde(rename = "False_Dilemma-No_Choice")]
    FalseDilemmaNoChoice,
    #[serde(rename = "Consequential_Oversimplification")]
    ConsequentialOversimplification,
    #[serde(rename = "Straw_Man")]
    StrawMan,
    #[serde(rename = "Red_Herring")]
    RedHerring,
    #[serde(rename = "Whataboutism")]
    Whataboutism,
    #[serde(rename = "Slogans")]
    Slogans,
    #[serde(rename = "Appeal_to_Time")]
    AppealToTime,
    #[serde(rename = "Conversation_Killer")]
    ConversationKiller,
    #[serde(rename = "Loaded_Language")]
    LoadedLanguage,
    #[serde(rename = "Repetition")]
    Repetition,
    #[serde(rename = "Exaggeration-Minimisation")]
    ExaggerationMinimisation,
    #[serde(rename = "Obfuscation-Vagueness-Confusion")]
    ObfuscationVaguenessConfusion,
    #[serde(rename = "Name_Calling-Labeling")]
    NameCallingLabeling,
    #[serde(rename = "Doubt")]
    Doubt,
    #[serde(rename = "Guilt_by_Association")]
    GuiltByAssociation,
    #[serde(rename = "Appeal_to_Hypocrisy")]
    AppealToHypocrisy,
    #[serde(rename = "Questioning_the_Reputation")]
    QuestioningTheReputation,
}

impl TechniqueName {
    /// Every technique, in the SemEval-2023 order (the shipped model's label order).
    pub const ALL: [TechniqueName; 23] = [
        TechniqueName::AppealToAuthority,
        TechniqueName::AppealToPopularity,
        TechniqueName::AppealToValues,
        TechniqueName::AppealToFearPrejudice,
        TechniqueName::FlagWaving,
        TechniqueName::CausalOversimplification,
        TechniqueName::FalseDilemmaNoChoice,
        TechniqueName::ConsequentialOversimplification,
        TechniqueName::StrawMan,
        TechniqueName::RedHerring,
        TechniqueName::Whataboutism,
        TechniqueName::Slogans,
        TechniqueName::AppealToTime,
        TechniqueName::ConversationKiller,
        TechniqueName::LoadedLanguage,
        TechniqueName::Repetition,
        TechniqueName::ExaggerationMinimisation,
        TechniqueName::ObfuscationVaguenessConfusion,
        TechniqueName::NameCallingLabeling,
        TechniqueName::Doubt,
        TechniqueName::GuiltByAssociation,
        TechniqueName::AppealToHypocrisy,
        TechniqueName::QuestioningTheReputation,
    ];

    /// The SemEval-2023 name (`Loaded_Language`), as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            TechniqueName::AppealToAuthority => "Appeal_to_Authority",
            TechniqueName::AppealToPopularity => "Appeal_to_Popularity",
            TechniqueName::AppealToValues => "Appeal_to_Values",
            TechniqueName::AppealToFearPrejudice => "Appeal_to_Fear-Prejudice",
            TechniqueName::FlagWaving => "Flag_Waving",
            TechniqueName::CausalOversimplification => "Causal_Oversimplification",
            TechniqueName::FalseDilemmaNoChoice => "False_Dilemma-No_Choice",
            TechniqueName::ConsequentialOversimplification => "Consequential_Oversimplification",
            TechniqueName::StrawMan => "Straw_Man",
            TechniqueName::RedHerring => "Red_Herring",
            TechniqueName::Whataboutism => "Whataboutism",
            TechniqueName::Slogans => "Slogans",
            TechniqueName::AppealToTime => "Appeal_to_Time",
            TechniqueName::ConversationKiller => "Conversation_Killer",
            TechniqueName::LoadedLanguage => "Loaded_Language",
            TechniqueName::Repetition => "Repetition",
            TechniqueName::ExaggerationMinimisation => "Exaggeration-Minimisation",
            TechniqueName::ObfuscationVaguenessConfusion => "Obfuscation-Vagueness-Confusion",
            TechniqueName::NameCallingLabeling => "Name_Calling-Labeling",
            TechniqueName::Doubt => "Doubt",
            TechniqueName::GuiltByAssociation => "Guilt_by_Association",
            TechniqueName::AppealToHypocrisy => "Appeal_to_Hypocrisy",
            TechniqueName::QuestioningTheReputation => "Questioning_the_Reputation",
        }
    }

    /// The technique with this SemEval-2023 name, if any.
    pub fn from_name(name: &str) -> Option<TechniqueName> {
        TechniqueName::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl std::fmt::Display for TechniqueName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A technique asserted for a whole paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParagraphTechnique {
    /// SemEval-2023 label.
    pub technique: TechniqueName,
    /// Share of such assertions that were right on held-out articles.
    pub confidence: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Technique {
    pub start: usize,
    pub end: usize,
    /// SemEval-2023 label (the finer set), e.g. `Loaded_Language`.
    pub technique: TechniqueName,
    pub confidence: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub start: usize,
    pub end: usize,
    /// Check-worthiness score in [0, 1].
    pub score: f64,
    pub attributed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
}

/// What sort of problem a finding reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// The article's own figures contradict each other or a stated label.
    Inconsistency,
    /// An assertion in the narrator's voice that rests on no source.
    Unattributed,
}

/// The stable machine-readable code of a finding (its serde name is the code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingCode {
    /// Distance over duration contradicts a speed label ("hypersonic").
    ImpliedSpeed,
    /// A stated or implied speed above the speed of light.
    FasterThanLight,
    /// Parts that add up to more than their stated whole.
    PartsExceedWhole,
    /// Shares of one whole that add up to more than 100 %.
    SharesSum,
    /// One share of a group above 100 %.
    #[serde(rename = "share-over-100")]
    ShareOver100,
    /// A stated change that does not match its stated levels.
    ChangeMismatch,
    /// A date whose stated weekday is wrong.
    WeekdayMismatch,
    /// A period that ends before it starts.
    EndBeforeStart,
    /// An age that does not match a stated birth year.
    AgeBirthMismatch,
    /// A negative duration.
    NegativeDuration,
    /// A temperature below absolute zero.
    BelowAbsoluteZero,
    /// An assertion with no source.
    UnattributedAssertion,
}

macro_rules! str_enum {
    ($ty:ty { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $ty {
            /// The serde name.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),* }
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl PartialEq<&str> for $ty {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

str_enum!(FindingKind {
    Inconsistency => "inconsistency",
    Unattributed => "unattributed",
});

str_enum!(FindingCode {
    ImpliedSpeed => "implied-speed",
    FasterThanLight => "faster-than-light",
    PartsExceedWhole => "parts-exceed-whole",
    SharesSum => "shares-sum",
    ShareOver100 => "share-over-100",
    ChangeMismatch => "change-mismatch",
    WeekdayMismatch => "weekday-mismatch",
    EndBeforeStart => "end-before-start",
    AgeBirthMismatch => "age-birth-mismatch",
    NegativeDuration => "negative-duration",
    BelowAbsoluteZero => "below-absolute-zero",
    UnattributedAssertion => "unattributed-assertion",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// What sort of problem this is.
    pub kind: FindingKind,
    /// Stable machine-readable code, e.g. `implied-speed`.
    pub code: FindingCode,
    pub severity: Severity,
    pub message: String,
    pub evidence: Vec<Span>,
    /// The arithmetic or reasoning in plain words.
    pub computation: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourcingProfile {
    pub by_source_type: BTreeMap<String, usize>,
    pub factual_sentences: usize,
    pub attributed_sentences: usize,
    pub attributed_share: f64,
    pub named_sources: Vec<String>,
    pub multiple_sides: bool,
    /// Sentences asserted in the narrator's voice with no source (all of them;
    /// only the strongest become findings).
    #[serde(default)]
    pub unattributed_assertions: usize,
    /// Affiliations detected among the sources (`russia`, `united-states`, …);
    /// `multiple_sides` is true when there are two or more.
    #[serde(default)]
    pub sides: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TechniqueSummary {
    pub counts: BTreeMap<String, usize>,
    pub words: usize,
    pub per_1000_words: f64,
}
