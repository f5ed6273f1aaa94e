//! What a Russian dictionary knows about a word form before any context: its possible
//! parts of speech, features and lemmas, from the OpenCorpora dictionary that `rumorph`
//! bundles (UD conventions of SynTagRus).
//!
//! The Russian treebank here has 59k training words; most of the forms on the dev set
//! and in news were never seen in it. The tagger reads the dictionary's candidates as
//! features (the ambiguity class, each candidate tag), so it only has to learn which
//! candidate the context picks; the lemmatiser takes the lemma of the candidate that
//! agrees with the chosen tag.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;

use rumorph::{Dictionary, Source};

/// One dictionary reading of a form.
#[derive(Debug, Clone)]
pub struct Reading {
    /// UPOS as UD writes it.
    pub upos: &'static str,
    /// FEATS as UD writes it (`Case=Gen|Number=Sing`), empty for none.
    pub feats: String,
    /// Lemma as the dictionary writes it (lower case, with `ё`).
    pub lemma: String,
    /// Found in the dictionary (not guessed from the ending or a rule).
    pub known: bool,
}

/// The dictionary's view of one form, with the strings the tagger's features hash.
#[derive(Debug, Clone, Default)]
pub struct DictView {
    /// Readings, most probable first.
    pub readings: Vec<Reading>,
    /// Sorted distinct UPOS of the readings, joined (`NOUN+VERB`): the ambiguity class.
    pub classes: String,
    /// Sorted distinct Case values of the readings, joined.
    pub cases: String,
    /// Where the readings come from: `dictionary`, `rule`, `guess` or `none`.
    pub source: &'static str,
}

/// Readings kept per form (the rest carry almost no probability).
const MAX_READINGS: usize = 8;

fn dictionary() -> Option<&'static Dictionary> {
    static DICTIONARY: OnceLock<Option<Dictionary>> = OnceLock::new();
    DICTIONARY
        .get_or_init(|| Dictionary::bundled().ok())
        .as_ref()
}

/// Forms [`lookup_cached`] remembers per thread before it starts over (about 300
/// bytes each: a bound on memory that still answers most words of a news stream).
const CACHE_FORMS: usize = 16_384;

/// [`lookup`], remembered per thread: the same forms recur through a document and a
/// corpus, and the dictionary's lookup (an automaton walk, then a guess from the
/// ending for unknown words) cost about a tenth of Russian tagging.
pub fn lookup_cached(form: &str) -> Arc<DictView> {
    thread_local! {
        static CACHE: RefCell<FxHashMap<String, Arc<DictView>>> = RefCell::default();
    }
    CACHE.with(|cache| {
        if let Some(view) = cache.borrow().get(form) {
            return Arc::clone(view);
        }
        let view = Arc::new(lookup(form));
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHE_FORMS {
            cache.clear();
        }
        cache.insert(form.to_string(), Arc::clone(&view));
        view
    })
}

/// Look `form` up.
pub fn lookup(form: &str) -> DictView {
    let Some(d) = dictionary() else {
        return DictView {
            source: "none",
            ..DictView::default()
        };
    };
    let analyses = d.analyze(form);
    let source = analyses.first().map_or("none", |a| a.source.as_str());
    let mut readings: Vec<Reading> = Vec::new();
    for a in analyses.iter().take(MAX_READINGS) {
        let Some(tag) = d.ud_tag(a.ud) else { continue };
        readings.push(Reading {
            upos: tag.pos(),
            feats: tag.feats_string(),
            lemma: a.lemma.clone(),
            known: a.source == Source::Dictionary,
        });
    }
    let mut classes: Vec<&str> = readings.iter().map(|r| r.upos).collect();
    classes.sort_unstable();
    classes.dedup();
    let mut cases: Vec<&str> = readings
        .iter()
        .filter_map(|r| feature(&r.feats, "Case"))
        .collect();
    cases.sort_unstable();
    cases.dedup();
    DictView {
        classes: classes.join("+"),
        cases: cases.join("+"),
        readings,
        source,
    }
}

/// The value of feature `name` in a FEATS string.
pub fn feature<'a>(feats: &'a str, name: &str) -> Option<&'a str> {
    feats
        .split('|')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}

/// The lemma of the reading that agrees best with the chosen `upos` and `feats`, in the
/// treebank's spelling: `ё` written `е` unless the form has it, proper names and
/// acronyms capitalised as written. `None` when no dictionary reading has that UPOS.
pub fn lemma(view: &DictView, form: &str, upos: &str, feats: &str) -> Option<String> {
    let best = view
        .readings
        .iter()
        .filter(|r| r.known && r.upos == upos)
        .enumerate()
        .max_by_key(|(i, r)| (agreement(feats, &r.feats), std::cmp::Reverse(*i)))?
        .1;
    let lemma = treebank_spelling(form, &best.lemma);
    // The treebank capitalises proper names' lemmas as written, other lemmas never.
    Some(if upos == "PROPN" {
        with_case_of(form, &lemma)
    } else {
        lemma
    })
}

/// `form`, read with the chosen `upos` and `feats`, put in the nominative (same number and
/// gender), capitalised as written: «Дмитрия» → «Дмитрий», «Захаровой» → «Захарова»,
/// «Всемирного» → «Всемирный». `None` when the dictionary has no such reading or no
/// nominative form for it.
pub fn nominative(form: &str, upos: &str, feats: &str) -> Option<String> {
    let d = dictionary()?;
    let analyses = d.analyze(form);
    let reading_feats = |a: &rumorph::Analysis| d.ud_tag(a.ud).map(|t| t.feats_string());
    let best = analyses
        .iter()
        .filter(|a| d.ud_tag(a.ud).is_some_and(|t| t.pos() == upos) && a.entry.is_some())
        .enumerate()
        .max_by_key(|(i, a)| {
            let shared = reading_feats(a).map_or(0, |r| agreement(feats, &r));
            (shared, std::cmp::Reverse(*i))
        })?
        .1;
    let word = d.inflect(best, &[("Case", "Nom")])?.word;
    Some(with_case_of(form, &treebank_spelling(form, &word)))
}

/// How many of the chosen `feats` (`Case=Gen|Number=Sing`) a reading's FEATS string has.
fn agreement(feats: &str, reading: &str) -> usize {
    feats
        .split('|')
        .filter(|kv| !kv.is_empty() && reading.split('|').any(|x| x == *kv))
        .count()
}

/// `word` from the dictionary in the treebank's spelling: `ё` written `е` unless `form`
/// has it.
fn treebank_spelling(form: &str, word: &str) -> String {
    if form.contains(['ё', 'Ё']) {
        word.to_string()
    } else {
        word.replace('ё', "е")
    }
}

/// `word` (lower case) capitalised as `form` is: an acronym's capitals («МИДа» → «МИД»),
/// a first capital, or none.
fn with_case_of(form: &str, word: &str) -> String {
    let capitals = form.chars().take_while(|c| c.is_uppercase()).count();
    if capitals >= 2 {
        let n = if form.chars().any(char::is_lowercase) {
            capitals
        } else {
            usize::MAX
        };
        return word
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let upper = i < n;
                c.to_uppercase()
                    .filter(move |_| upper)
                    .chain(std::iter::once(c).filter(move |_| !upper))
            })
            .collect();
    }
    if capitals == 1 {
        let mut c = word.chars();
        return c
            .next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default();
    }
    word.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_and_lemmas() {
        assert!(dictionary().is_some());
        let v = lookup("стали");
        assert_eq!(v.classes, "NOUN+VERB");
        assert_eq!(v.source, "dictionary");
        assert_eq!(lemma(&v, "стали", "VERB", "").as_deref(), Some("стать"));
        assert_eq!(
            lemma(&v, "стали", "NOUN", "Case=Gen").as_deref(),
            Some("сталь")
        );
        let v = lookup("Владимира");
        assert!(v.cases.contains("Gen"));
        assert_eq!(
            lemma(&v, "Владимира", "PROPN", "Case=Gen|Gender=Masc").as_deref(),
            Some("Владимир")
        );
        assert_eq!(
            lemma(&lookup("еще"), "еще", "ADV", "").as_deref(),
            Some("еще")
        );
        assert_eq!(
            lemma(&lookup("НАТО"), "НАТО", "PROPN", "").as_deref(),
            Some("НАТО")
        );
        assert_eq!(lemma(&lookup("стали"), "стали", "ADP", ""), None);
        assert_eq!(feature("Case=Gen|Number=Sing", "Number"), Some("Sing"));
        let gen_masc = "Animacy=Anim|Case=Gen|Gender=Masc|Number=Sing";
        assert_eq!(
            nominative("Дмитрия", "PROPN", gen_masc).as_deref(),
            Some("Дмитрий")
        );
        assert_eq!(
            nominative("Пескова", "PROPN", gen_masc).as_deref(),
            Some("Песков")
        );
        let gen_fem = "Animacy=Anim|Case=Gen|Gender=Fem|Number=Sing";
        assert_eq!(
            nominative("Захаровой", "PROPN", gen_fem).as_deref(),
            Some("Захарова")
        );
        let adj = "Case=Gen|Degree=Pos|Gender=Masc|Number=Sing";
        assert_eq!(
            nominative("Всемирного", "ADJ", adj).as_deref(),
            Some("Всемирный")
        );
        assert_eq!(
            nominative("МИДа", "PROPN", "Case=Gen").as_deref(),
            Some("МИД")
        );
    }
}
