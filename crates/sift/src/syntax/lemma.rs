//! The lemmatiser: a form-and-tag dictionary from the treebank, then learned edit
//! scripts ("lower-case, strip 2 chars, append `ть`") chosen by the longest suffix of
//! the word seen in training with the same joint tag, backing off to the same UPOS.

use rustc_hash::FxHashMap;

use super::perceptron::{write_string, FeatureHash, Reader};

/// How to turn a form into its lemma.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EditScript {
    /// Lower-case the form first.
    pub lower: bool,
    /// Chars to remove from the end.
    pub strip: u8,
    /// What to append.
    pub append: String,
}

impl EditScript {
    /// The script that maps `form` to `lemma` with the fewest chars rewritten.
    pub fn between(form: &str, lemma: &str) -> EditScript {
        let keep = Self::from_base(form, lemma, false);
        let lower = Self::from_base(&form.to_lowercase(), lemma, true);
        if lower.strip < keep.strip {
            lower
        } else {
            keep
        }
    }

    fn from_base(base: &str, lemma: &str, lower: bool) -> EditScript {
        let common = base
            .chars()
            .zip(lemma.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let strip = (base.chars().count() - common).min(u8::MAX as usize) as u8;
        EditScript {
            lower,
            strip,
            append: lemma.chars().skip(common).collect(),
        }
    }

    /// Apply to `form`; `None` when the form is too short for the script.
    pub fn apply(&self, form: &str) -> Option<String> {
        let base = if self.lower {
            form.to_lowercase()
        } else {
            form.to_string()
        };
        let n = base.chars().count();
        let keep = n.checked_sub(self.strip as usize)?;
        if keep == 0 && self.append.is_empty() {
            return None;
        }
        let mut out: String = base.chars().take(keep).collect();
        out.push_str(&self.append);
        Some(out)
    }
}

/// Longest suffix (in chars) the rules are keyed on.
pub const MAX_SUFFIX: usize = 7;

/// The rule key of a tag (joint tag index, or `UPOS_BASE + upos`) and a suffix.
pub fn rule_key(tag: usize, suffix: &str) -> u64 {
    FeatureHash::new(100).num(tag as u64).str(suffix).done()
}

/// Offset that keeps UPOS-keyed rules apart from joint-tag-keyed ones.
pub const UPOS_BASE: usize = 1 << 20;

/// Dictionary + edit-script rules.
#[derive(Debug, Clone, Default)]
pub struct Lemmatizer {
    /// Form (as written) → (joint tag or `UPOS_BASE + upos`, lemma) pairs seen in training.
    pub(crate) exact: FxHashMap<String, Vec<(u32, String)>>,
    /// Rule key → script index.
    pub(crate) rules: FxHashMap<u64, u32>,
    /// The distinct edit scripts.
    pub(crate) scripts: Vec<EditScript>,
}

impl Lemmatizer {
    /// The treebank lemma of `form` seen in training with joint tag `tag`, or else with
    /// the same UPOS (index `upos`).
    pub fn seen(&self, form: &str, tag: usize, upos: usize) -> Option<&str> {
        let found = self.exact.get(form)?;
        [tag, UPOS_BASE + upos].into_iter().find_map(|key| {
            found
                .iter()
                .find(|(t, _)| *t as usize == key)
                .map(|(_, lemma)| lemma.as_str())
        })
    }

    /// The lemma of `form` tagged with joint tag `tag` whose UPOS index is `upos`.
    pub fn lemma(&self, form: &str, tag: usize, upos: usize) -> String {
        if let Some(seen) = self.seen(form, tag, upos) {
            return seen.to_string();
        }
        let lower = form.to_lowercase();
        let starts: Vec<usize> = lower.char_indices().map(|(b, _)| b).collect();
        for k in (0..=starts.len().min(MAX_SUFFIX)).rev() {
            let from = if k == 0 {
                lower.len()
            } else {
                starts[starts.len() - k]
            };
            let suffix = &lower[from..];
            for key in [rule_key(tag, suffix), rule_key(UPOS_BASE + upos, suffix)] {
                if let Some(&s) = self.rules.get(&key) {
                    if let Some(lemma) = self.scripts[s as usize].apply(form) {
                        return lemma;
                    }
                }
            }
        }
        form.to_string()
    }

    /// Serialise.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.scripts.len() as u32).to_le_bytes());
        for s in &self.scripts {
            out.push(u8::from(s.lower));
            out.push(s.strip);
            write_string(out, &s.append);
        }
        let mut rules: Vec<(&u64, &u32)> = self.rules.iter().collect();
        rules.sort_unstable();
        out.extend_from_slice(&(rules.len() as u32).to_le_bytes());
        for (k, v) in rules {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
        let mut forms: Vec<(&String, &Vec<(u32, String)>)> = self.exact.iter().collect();
        forms.sort_unstable();
        out.extend_from_slice(&(forms.len() as u32).to_le_bytes());
        for (form, lemmas) in forms {
            write_string(out, form);
            out.extend_from_slice(&(lemmas.len() as u16).to_le_bytes());
            for (tag, lemma) in lemmas {
                out.extend_from_slice(&tag.to_le_bytes());
                write_string(out, lemma);
            }
        }
    }

    /// Read what [`Lemmatizer::write`] wrote.
    pub fn read(input: &mut Reader<'_>) -> Result<Lemmatizer, String> {
        let mut l = Lemmatizer::default();
        for _ in 0..input.u32()? {
            let lower = input.u16()?;
            let [flag, strip] = lower.to_le_bytes();
            l.scripts.push(EditScript {
                lower: flag != 0,
                strip,
                append: input.string()?.to_string(),
            });
        }
        for _ in 0..input.u32()? {
            let key = input.u64()?;
            let script = input.u32()?;
            if script as usize >= l.scripts.len() {
                return Err(format!("edit script {script} out of range"));
            }
            l.rules.insert(key, script);
        }
        for _ in 0..input.u32()? {
            let form = input.string()?.to_string();
            let mut lemmas = Vec::new();
            for _ in 0..input.u16()? {
                let tag = input.u32()?;
                lemmas.push((tag, input.string()?.to_string()));
            }
            l.exact.insert(form, lemmas);
        }
        Ok(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_scripts() {
        let s = EditScript::between("The", "the");
        assert!(s.lower && s.strip == 0 && s.append.is_empty());
        let s = EditScript::between("ранил", "ранить");
        assert_eq!((s.strip, s.append.as_str()), (1, "ть"));
        assert_eq!(s.apply("убил").as_deref(), Some("убить"));
        let s = EditScript::between("forces", "force");
        assert_eq!(s.apply("sources").as_deref(), Some("source"));
        let s = EditScript::between("was", "be");
        assert_eq!(s.apply("x"), None);
    }
}
