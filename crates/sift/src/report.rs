//! The report: plain serde data, the contract between analysers and renderers.
//! Documented in `docs/report-schema.md`; JSON Schema in `schema/report.schema.json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::{Source, Span};
use crate::language::LanguageInfo;

/// The report format's version; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything sift found in one document: the JSON contract between the layers and the renderers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema: u32,
    /// The sift release that wrote it.
    pub sift_version: String,
    /// File stem, JSONL `id`, or `stdin`.
    pub id: String,
    /// Where the document came from.
    pub source: Source,
    /// The document's language.
    pub language: LanguageInfo,
    /// The normalised text every offset indexes.
    pub text: String,
    /// Paragraph spans, in order.
    pub paragraphs: Vec<Span>,
    /// Language per paragraph, same order as `paragraphs`.
    pub paragraph_languages: Vec<LanguageInfo>,
    /// Sentence spans, in order, each inside one paragraph.
    pub sentences: Vec<Span>,
    /// People, organisations, places, dates.
    pub entities: Vec<Entity>,
    /// Numbers with units, normalised.
    pub quantities: Vec<Quantity>,
    /// Who says what.
    pub attributions: Vec<Attribution>,
    /// Persuasion-technique spans.
    pub techniques: Vec<Technique>,
    /// Techniques asserted per paragraph (SemEval-2023 subtask 3), same order as
    /// `paragraphs`.
    #[serde(default)]
    pub paragraph_techniques: Vec<Vec<ParagraphTechnique>>,
    /// Check-worthy statements.
    pub claims: Vec<Claim>,
    /// Inconsistencies and unattributed assertions, with evidence.
    pub findings: Vec<Finding>,
    /// How well sourced the article is (issue: attribution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourcing: Option<SourcingProfile>,
    /// Counts per technique and persuasion density (issue: techniques).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technique_summary: Option<TechniqueSummary>,
    /// Milliseconds spent per layer, keyed by layer name.
    pub timing_ms: BTreeMap<String, f64>,
    /// What could not be done, one line each (a model that failed to load); absent
    /// when empty. Also printed to stderr by the CLI.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person.
    Person,
    /// An organisation.
    Org,
    /// A place.
    Place,
    /// A date.
    Date,
    /// Anything else with a name.
    Misc,
}

/// A named mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// First char index into `Report.text`.
    pub start: usize,
    /// One past the last char index.
    pub end: usize,
    /// The text of the span.
    pub text: String,
    /// What it is.
    pub kind: EntityKind,
    /// The full form this mention refers to ("Peskov" → "Dmitry Peskov").
    pub canonical: String,
    /// Title or role attached to the person ("Press Secretary").
    pub role: Option<String>,
}

/// A number with its unit, as written and normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// First char index into `Report.text`.
    pub start: usize,
    /// One past the last char index.
    pub end: usize,
    /// The text of the span.
    pub text: String,
    /// The figure as written times its multiplier (a range's middle).
    pub value: f64,
    /// A range's low end.
    pub low: Option<f64>,
    /// A range's high end.
    pub high: Option<f64>,
    /// The unit as written ("kilometers", "км", "$").
    pub unit: Option<String>,
    /// length, duration, speed, mass, area, volume, energy, power, temperature,
    /// money, percentage, percentage_points, count, age, date, time, number.
    pub dimension: String,
    /// The value in `si_unit`.
    pub si_value: Option<f64>,
    /// SI unit ("m", "s", "m/s") or ISO 4217 code for money.
    pub si_unit: Option<String>,
    /// "about", "nearly", "около": the figure is approximate.
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

/// A span with its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSpan {
    /// First char index into `Report.text`.
    pub start: usize,
    /// One past the last char index.
    pub end: usize,
    /// The text of the span.
    pub text: String,
}

/// What kind of source an attribution names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceType {
    /// A person by name.
    NamedPerson,
    /// An organisation by name.
    NamedOrg,
    /// An unnamed source ("a source close to the talks", an unnamed official).
    Anonymous,
    /// A vague collective ("analysts", "officials", "experts").
    Vague,
    /// The writer ("I", "we").
    #[serde(rename = "self")]
    SelfSource,
    /// A document, a poll or data ("a poll shows", "court documents say", "according to
    /// a copy of the letter"), whoever published it.
    Document,
}

/// How the content is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttributionKind {
    /// A quotation.
    Direct,
    /// Reported speech.
    Indirect,
    /// Reported speech with a quoted part.
    Mixed,
}

/// Who says what: a source, the cue that attributes, and the content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// The source as written, when the text names one.
    pub source: Option<TextSpan>,
    /// The reporting verb or phrase ("said", "according to").
    pub cue: TextSpan,
    /// What is attributed.
    pub content: Span,
    /// Quotation, reported speech, or both.
    pub kind: AttributionKind,
    /// Resolved full name or organisation.
    pub speaker: Option<String>,
    /// How the speaker was found (`None` when there is no speaker).
    #[serde(default)]
    pub speaker_via: Option<SpeakerVia>,
    /// Index into `entities`.
    pub speaker_entity: Option<usize>,
    /// The speaker's role or title.
    pub role: Option<String>,
    /// What kind of source it is.
    pub source_type: SourceType,
    /// Confidence in the speaker (or, with none, the source type), in [0, 1]: a fixed
    /// prior per resolution path, lower where the path had to guess.
    #[serde(default)]
    pub confidence: f64,
}

/// How an attribution's speaker was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpeakerVia {
    /// The source phrase names the speaker ("Dmitry Peskov said").
    Name,
    /// A lone surname linked to an earlier full name ("Peskov said").
    Surname,
    /// A pronoun resolved to an earlier person ("he said" → the last man spoken of).
    Pronoun,
    /// A title resolved to the person last introduced with it ("the mayor said").
    Title,
    /// An organisation named by a common noun phrase ("the health ministry said").
    Phrase,
    /// "I"/«я» outside quotation marks: the author, named by the byline or by an opinion
    /// piece's headline ("АРНО ХИДИРБЕГИШВИЛИ: …").
    Author,
}

impl SpeakerVia {
    /// The serde name, for the text and HTML views.
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerVia::Name => "name",
            SpeakerVia::Surname => "surname",
            SpeakerVia::Pronoun => "pronoun",
            SpeakerVia::Title => "title",
            SpeakerVia::Phrase => "phrase",
            SpeakerVia::Author => "author",
        }
    }
}

/// A persuasion technique: the 23 of SemEval-2023 Task 3 subtask 3 (the report's label
/// set), serialised under their SemEval names (`Loaded_Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TechniqueName {
    /// Claiming something is true because an authority or expert says so, with no other support.
    #[serde(rename = "Appeal_to_Authority")]
    AppealToAuthority,
    /// Claiming something is right because many or most people believe or do it (bandwagon).
    #[serde(rename = "Appeal_to_Popularity")]
    AppealToPopularity,
    /// Tying an idea to values the audience holds dear (tradition, religion, freedom, ethics).
    #[serde(rename = "Appeal_to_Values")]
    AppealToValues,
    /// Promoting or rejecting an idea by stirring fear, anxiety or prejudice.
    #[serde(rename = "Appeal_to_Fear-Prejudice")]
    AppealToFearPrejudice,
    /// Justifying an idea by appeal to pride in, or the good of, a group (nation, people, party).
    #[serde(rename = "Flag_Waving")]
    FlagWaving,
    /// Crediting a complex outcome to a single cause.
    #[serde(rename = "Causal_Oversimplification")]
    CausalOversimplification,
    /// Presenting two options as the only ones, or one as the only possible course.
    #[serde(rename = "False_Dilemma-No_Choice")]
    FalseDilemmaNoChoice,
    /// Claiming a first step leads inevitably to a chain of (usually bad) consequences (slippery slope).
    #[serde(rename = "Consequential_Oversimplification")]
    ConsequentialOversimplification,
    /// Refuting a distorted version of the opponent's position instead of the real one.
    #[serde(rename = "Straw_Man")]
    StrawMan,
    /// Diverting attention from the issue to an irrelevant one.
    #[serde(rename = "Red_Herring")]
    RedHerring,
    /// Answering criticism by pointing to someone else's (alleged) wrongdoing ("what about …?").
    #[serde(rename = "Whataboutism")]
    Whataboutism,
    /// A short, catchy phrase standing in for an argument.
    #[serde(rename = "Slogans")]
    Slogans,
    /// Insisting that now is the moment to act, urgency in place of reasons (kairos).
    #[serde(rename = "Appeal_to_Time")]
    AppealToTime,
    /// A phrase meant to end discussion and discourage critical thought (thought-terminating cliché).
    #[serde(rename = "Conversation_Killer")]
    ConversationKiller,
    /// Words with strong emotional connotations chosen to sway the reader.
    #[serde(rename = "Loaded_Language")]
    LoadedLanguage,
    /// Repeating a word, phrase or idea so that the audience accepts it.
    #[serde(rename = "Repetition")]
    Repetition,
    /// Making something seem larger, better or worse than it is, or playing it down.
    #[serde(rename = "Exaggeration-Minimisation")]
    ExaggerationMinimisation,
    /// Deliberately vague or unclear wording that lets readers infer what they like.
    #[serde(rename = "Obfuscation-Vagueness-Confusion")]
    ObfuscationVaguenessConfusion,
    /// Labelling the target with a term meant to make the audience love or loathe it.
    #[serde(rename = "Name_Calling-Labeling")]
    NameCallingLabeling,
    /// Casting doubt on the credibility of a person, group or claim.
    #[serde(rename = "Doubt")]
    Doubt,
    /// Discrediting the target by linking it to a person, group or idea viewed negatively.
    #[serde(rename = "Guilt_by_Association")]
    GuiltByAssociation,
    /// Attacking the target as a hypocrite, inconsistent with its own words or acts (tu quoque).
    #[serde(rename = "Appeal_to_Hypocrisy")]
    AppealToHypocrisy,
    /// Attacking the target's character or reputation rather than its arguments.
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

/// A persuasion-technique span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Technique {
    /// First char index into `Report.text`.
    pub start: usize,
    /// One past the last char index.
    pub end: usize,
    /// SemEval-2023 label (the finer set), e.g. `Loaded_Language`.
    pub technique: TechniqueName,
    /// The model's confidence in [0, 1].
    pub confidence: f64,
}

/// A sentence that states something, scored for check-worthiness (the `claims` layer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// First char index into `Report.text`.
    pub start: usize,
    /// One past the last char index.
    pub end: usize,
    /// The text of the claim.
    pub text: String,
    /// The model's decision: worth a fact-checker's time.
    pub checkworthy: bool,
    /// Check-worthiness probability in [0, 1] (logistic regression, calibrated on the
    /// training data's label rate).
    pub score: f64,
    /// What sort of claim it is.
    pub kind: ClaimKind,
    /// Inside a reported statement (an attribution's content).
    pub attributed: bool,
    /// Who says it, when attributed and the source is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Indexes into `quantities` inside the claim.
    pub quantities: Vec<usize>,
    /// Indexes into `attributions` whose content overlaps the claim.
    pub attributions: Vec<usize>,
    /// Indexes into `entities` inside the claim.
    pub entities: Vec<usize>,
    /// The yes/no questions answered "yes" that raised the score, strongest first.
    pub features: Vec<ClaimFeature>,
    /// Fact-checks of similar claims from a local store (`--factchecks DIR`), best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<FactCheckMatch>,
}

/// What sort of statement a claim is, by what it asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// A number, amount, rate or measurement.
    Statistic,
    /// More, less, the most, a rise or a fall.
    Comparison,
    /// One thing caused or led to another.
    Causal,
    /// What will happen.
    Prediction,
    /// What something or someone can do.
    Capability,
    /// Laws, obligations, policies, agreements.
    Legal,
    /// A statement quoted word for word.
    Quote,
    /// A view rather than a fact.
    Opinion,
    /// Something that happened or is the case.
    Event,
}

/// A yes/no question about a sentence (after Full Fact's PASTEL), one model feature each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimFeature {
    /// Does it contain a number or amount (not a date)?
    Number,
    /// Does it contain a date or time?
    Date,
    /// Does it name a person, organisation or place?
    NamedEntity,
    /// Is it someone's reported statement?
    Attributed,
    /// Is it quoted word for word?
    DirectQuote,
    /// Does it compare, or speak of a rise or fall?
    Comparison,
    /// Does it say what caused what?
    Causal,
    /// Does it predict?
    Prediction,
    /// Does it say what something can do?
    Capability,
    /// Is it about laws, money, the economy or government?
    Policy,
    /// Does it use absolutes (never, always, only, first)?
    Absolute,
    /// Does it report an action or state in the past?
    EventVerb,
    /// Does it voice an opinion or wish?
    Opinion,
    /// Is it in the first person?
    FirstPerson,
    /// Does it address the reader or listener?
    SecondPerson,
    /// Is it hedged (maybe, reportedly)?
    Hedge,
    /// Is it a question?
    Question,
    /// Does it use a persuasion technique?
    Persuasion,
    /// Is it short (under eight words)?
    Short,
}

/// A fact-check of a similar claim, from a local store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactCheckMatch {
    /// The store's id of the fact-checked claim.
    pub id: String,
    /// The fact-checked claim as the store words it.
    pub claim: String,
    /// The fact-check article's address, when the store has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The verdict ("False", "Disinformation", …) as the fact-checker wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<String>,
    /// When the fact-check was published, as the store has it (not parsed;
    /// a ClaimReview's `datePublished`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Match score in [0, 1] (higher is closer).
    pub score: f64,
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look.
    Low,
    /// Likely a problem, under an assumption the message states.
    Medium,
    /// Certain arithmetic on premises stated in the text.
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
    /// A part larger than the whole it is taken from ("318 of the 50 seats").
    #[serde(rename = "x-of-n")]
    XOfN,
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

str_enum!(ClaimKind {
    Statistic => "statistic",
    Comparison => "comparison",
    Causal => "causal",
    Prediction => "prediction",
    Capability => "capability",
    Legal => "legal",
    Quote => "quote",
    Opinion => "opinion",
    Event => "event",
});

str_enum!(ClaimFeature {
    Number => "number",
    Date => "date",
    NamedEntity => "named_entity",
    Attributed => "attributed",
    DirectQuote => "direct_quote",
    Comparison => "comparison",
    Causal => "causal",
    Prediction => "prediction",
    Capability => "capability",
    Policy => "policy",
    Absolute => "absolute",
    EventVerb => "event_verb",
    Opinion => "opinion",
    FirstPerson => "first_person",
    SecondPerson => "second_person",
    Hedge => "hedge",
    Question => "question",
    Persuasion => "persuasion",
    Short => "short",
});

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
    XOfN => "x-of-n",
    ChangeMismatch => "change-mismatch",
    WeekdayMismatch => "weekday-mismatch",
    EndBeforeStart => "end-before-start",
    AgeBirthMismatch => "age-birth-mismatch",
    NegativeDuration => "negative-duration",
    BelowAbsoluteZero => "below-absolute-zero",
    UnattributedAssertion => "unattributed-assertion",
});

/// A problem with the article, with its evidence and reasoning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// What sort of problem this is.
    pub kind: FindingKind,
    /// Stable machine-readable code, e.g. `implied-speed`.
    pub code: FindingCode,
    /// How much it matters.
    pub severity: Severity,
    /// One sentence for a reader.
    pub message: String,
    /// The spans of every figure and word it rests on.
    pub evidence: Vec<Span>,
    /// The arithmetic or reasoning in plain words.
    pub computation: Option<String>,
}

/// How well sourced the article is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourcingProfile {
    /// Attributions per source type.
    pub by_source_type: BTreeMap<String, usize>,
    /// Sentences that assert something.
    pub factual_sentences: usize,
    /// Of those, the ones attributed to a source.
    pub attributed_sentences: usize,
    /// `attributed_sentences / factual_sentences`.
    pub attributed_share: f64,
    /// The named sources, once each.
    pub named_sources: Vec<String>,
    /// True when sources of two or more affiliations are quoted.
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

/// Technique counts and density.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TechniqueSummary {
    /// Spans per technique.
    pub counts: BTreeMap<String, usize>,
    /// Words in the document.
    pub words: usize,
    /// Technique spans per 1,000 words.
    pub per_1000_words: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_name<T: Serialize>(value: T) -> String {
        serde_json::to_value(value)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn claim_names_are_their_serde_names() {
        let kinds = [
            ClaimKind::Statistic,
            ClaimKind::Comparison,
            ClaimKind::Causal,
            ClaimKind::Prediction,
            ClaimKind::Capability,
            ClaimKind::Legal,
            ClaimKind::Quote,
            ClaimKind::Opinion,
            ClaimKind::Event,
        ];
        for kind in kinds {
            assert_eq!(kind.as_str(), serde_name(kind));
        }
        for feature in crate::analyze::claims::questions::ALL {
            assert_eq!(feature.as_str(), serde_name(feature));
        }
    }
}
