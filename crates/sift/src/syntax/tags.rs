//! The closed sets of Universal Dependencies: UPOS, universal relations, and the
//! morphological features other layers read (typed), with the full FEATS string kept
//! for CoNLL-U output.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

macro_rules! ud_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $ud:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(missing_docs)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as Universal Dependencies spells it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $ud),+ }
            }

            /// Parse the Universal Dependencies spelling.
            pub fn from_ud(s: &str) -> Option<$name> {
                match s { $($ud => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

ud_enum!(
    /// Universal part-of-speech tag.
    Upos {
        Adj = "ADJ", Adp = "ADP", Adv = "ADV", Aux = "AUX", Cconj = "CCONJ", Det = "DET",
        Intj = "INTJ", Noun = "NOUN", Num = "NUM", Part = "PART", Pron = "PRON",
        Propn = "PROPN", Punct = "PUNCT", Sconj = "SCONJ", Sym = "SYM", Verb = "VERB", X = "X",
    }
);

ud_enum!(
    /// Universal dependency relation (the part of a DEPREL before `:`).
    Deprel {
        Acl = "acl", Advcl = "advcl", Advmod = "advmod", Amod = "amod", Appos = "appos",
        Aux = "aux", Case = "case", Cc = "cc", Ccomp = "ccomp", Clf = "clf",
        Compound = "compound", Conj = "conj", Cop = "cop", Csubj = "csubj", Dep = "dep",
        Det = "det", Discourse = "discourse", Dislocated = "dislocated", Expl = "expl",
        Fixed = "fixed", Flat = "flat", Goeswith = "goeswith", Iobj = "iobj", List = "list",
        Mark = "mark", Nmod = "nmod", Nsubj = "nsubj", Nummod = "nummod", Obj = "obj",
        Obl = "obl", Orphan = "orphan", Parataxis = "parataxis", Punct = "punct",
        Reparandum = "reparandum", Root = "root", Vocative = "vocative", Xcomp = "xcomp",
    }
);

impl Deprel {
    /// The universal relation of a full DEPREL (`nsubj:pass` → `Nsubj`); `Dep` when unknown.
    pub fn of_relation(relation: &str) -> Deprel {
        let universal = relation.split(':').next().unwrap_or(relation);
        Deprel::from_ud(universal).unwrap_or(Deprel::Dep)
    }
}

ud_enum!(
    /// `Case`.
    Case { Nom = "Nom", Gen = "Gen", Dat = "Dat", Acc = "Acc", Ins = "Ins", Loc = "Loc", Voc = "Voc", Par = "Par" }
);
ud_enum!(
    /// `Number`.
    Number { Sing = "Sing", Plur = "Plur", Ptan = "Ptan", Coll = "Coll" }
);
ud_enum!(
    /// `Gender`.
    Gender { Masc = "Masc", Fem = "Fem", Neut = "Neut" }
);
ud_enum!(
    /// `Person`.
    Person { First = "1", Second = "2", Third = "3" }
);
ud_enum!(
    /// `Tense`.
    Tense { Past = "Past", Pres = "Pres", Fut = "Fut" }
);
ud_enum!(
    /// `Animacy`.
    Animacy { Anim = "Anim", Inan = "Inan" }
);
ud_enum!(
    /// `VerbForm`.
    VerbForm { Fin = "Fin", Inf = "Inf", Part = "Part", Conv = "Conv", Ger = "Ger" }
);
ud_enum!(
    /// `Voice`.
    Voice { Act = "Act", Pass = "Pass", Mid = "Mid" }
);
ud_enum!(
    /// `Mood`.
    Mood { Ind = "Ind", Imp = "Imp", Cnd = "Cnd", Sub = "Sub" }
);
ud_enum!(
    /// `Aspect`.
    Aspect { Imp = "Imp", Perf = "Perf" }
);

/// The morphological features of a word: the ones other layers read, typed, and the
/// whole FEATS string (`""` when the word has none) for CoNLL-U. `Copy`: the string is
/// interned once per distinct feature set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Feats {
    raw: &'static str,
    case: Option<Case>,
    number: Option<Number>,
    gender: Option<Gender>,
    person: Option<Person>,
    tense: Option<Tense>,
    animacy: Option<Animacy>,
    verb_form: Option<VerbForm>,
    voice: Option<Voice>,
    mood: Option<Mood>,
    aspect: Option<Aspect>,
}

impl Feats {
    /// Parse a FEATS column (`Case=Nom|Number=Sing`, or `_`/empty for none).
    pub fn parse(feats: &str) -> Feats {
        let feats = if feats == "_" { "" } else { feats };
        let mut out = Feats {
            raw: intern(feats),
            ..Feats::default()
        };
        for pair in feats.split('|') {
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            match name {
                "Case" => out.case = Case::from_ud(value),
                "Number" => out.number = Number::from_ud(value),
                "Gender" => out.gender = Gender::from_ud(value),
                "Person" => out.person = Person::from_ud(value),
                "Tense" => out.tense = Tense::from_ud(value),
                "Animacy" => out.animacy = Animacy::from_ud(value),
                "VerbForm" => out.verb_form = VerbForm::from_ud(value),
                "Voice" => out.voice = Voice::from_ud(value),
                "Mood" => out.mood = Mood::from_ud(value),
                "Aspect" => out.aspect = Aspect::from_ud(value),
                _ => {}
            }
        }
        out
    }

    /// The FEATS column as UD writes it, `""` when empty.
    pub fn as_str(&self) -> &'static str {
        self.raw
    }
    /// The value of any feature by its UD name (`"Variant"` → `Some("Short")`).
    pub fn get(&self, name: &str) -> Option<&'static str> {
        self.raw
            .split('|')
            .filter_map(|p| p.split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
    /// `Case`.
    pub fn case(&self) -> Option<Case> {
        self.case
    }
    /// `Number`.
    pub fn number(&self) -> Option<Number> {
        self.number
    }
    /// `Gender`.
    pub fn gender(&self) -> Option<Gender> {
        self.gender
    }
    /// `Person`.
    pub fn person(&self) -> Option<Person> {
        self.person
    }
    /// `Tense`.
    pub fn tense(&self) -> Option<Tense> {
        self.tense
    }
    /// `Animacy`.
    pub fn animacy(&self) -> Option<Animacy> {
        self.animacy
    }
    /// `VerbForm`.
    pub fn verb_form(&self) -> Option<VerbForm> {
        self.verb_form
    }
    /// `Voice`.
    pub fn voice(&self) -> Option<Voice> {
        self.voice
    }
    /// `Mood`.
    pub fn mood(&self) -> Option<Mood> {
        self.mood
    }
    /// `Aspect`.
    pub fn aspect(&self) -> Option<Aspect> {
        self.aspect
    }
}

/// One copy of each distinct string for the life of the process: FEATS strings and
/// relation labels are a few thousand at most, and interning lets words be `Copy`.
pub fn intern(s: &str) -> &'static str {
    static TABLE: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut table = TABLE
        .get_or_init(|| Mutex::new(HashSet::new()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(&known) = table.get(s) {
        return known;
    }
    let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str());
    table.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feats_parse_typed_and_raw() {
        let f = Feats::parse("Animacy=Anim|Case=Gen|Gender=Masc|Number=Sing");
        assert_eq!(f.case(), Some(Case::Gen));
        assert_eq!(f.animacy(), Some(Animacy::Anim));
        assert_eq!(f.gender(), Some(Gender::Masc));
        assert_eq!(f.tense(), None);
        assert_eq!(f.get("Number"), Some("Sing"));
        assert_eq!(Feats::parse("_").as_str(), "");
        assert_eq!(Deprel::of_relation("nsubj:pass"), Deprel::Nsubj);
        assert_eq!(Upos::from_ud("PROPN"), Some(Upos::Propn));
    }
}
