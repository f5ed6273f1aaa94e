//! Entity mention scoring against the hand-annotated cases in
//! `crates/sift/tests/data/entities` (`kind | text | canonical | role` per line).

use std::collections::HashMap;

use serde::Serialize;
use sift::Entity;

/// One annotated mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub kind: String,
    pub text: String,
    pub canonical: String,
    pub role: Option<String>,
}

/// Parse an `.expected` file.
pub fn parse_expected(file: &str) -> Vec<Expected> {
    file.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let parts: Vec<&str> = l.split('|').map(str::trim).collect();
            (parts.len() >= 3).then(|| Expected {
                kind: parts[0].to_string(),
                text: parts[1].to_string(),
                canonical: parts[2].to_string(),
                role: parts
                    .get(3)
                    .filter(|r| !r.is_empty())
                    .map(|r| r.to_string()),
            })
        })
        .collect()
}

/// Mention-level scores: a predicted mention matches an expected one with the
/// same kind and text (as a multiset); canonical and role accuracy are over matches.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct EntityScores {
    pub expected: usize,
    pub predicted: usize,
    pub matched: usize,
    pub canonical_correct: usize,
    pub role_correct: usize,
}

impl EntityScores {
    pub fn add(&mut self, o: EntityScores) {
        self.expected += o.expected;
        self.predicted += o.predicted;
        self.matched += o.matched;
        self.canonical_correct += o.canonical_correct;
        self.role_correct += o.role_correct;
    }
    pub fn precision(&self) -> f64 {
        self.matched as f64 / self.predicted.max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.matched as f64 / self.expected.max(1) as f64
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        crate::f1(p, r)
    }
}

fn kind_name(e: &Entity) -> String {
    serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Score predicted entities against expected mentions.
pub fn score(expected: &[Expected], predicted: &[Entity]) -> EntityScores {
    let mut pool: HashMap<(String, String), Vec<&Expected>> = HashMap::new();
    for e in expected {
        pool.entry((e.kind.clone(), e.text.clone()))
            .or_default()
            .push(e);
    }
    let mut s = EntityScores {
        expected: expected.len(),
        predicted: predicted.len(),
        ..Default::default()
    };
    for p in predicted {
        let key = (kind_name(p), p.text.clone());
        if let Some(e) = pool.get_mut(&key).and_then(|v| v.pop()) {
            s.matched += 1;
            s.canonical_correct += usize::from(e.canonical == p.canonical);
            s.role_correct += usize::from(e.role == p.role);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use sift::EntityKind;

    fn entity(kind: EntityKind, text: &str, canonical: &str) -> Entity {
        Entity {
            start: 0,
            end: 0,
            text: text.into(),
            kind,
            canonical: canonical.into(),
            role: None,
        }
    }

    #[test]
    fn mentions_match_by_kind_and_text_as_a_multiset() {
        let expected = parse_expected("place | Kyiv | Kyiv |\nperson | Kuleba | Dmytro Kuleba | Foreign Minister\nplace | Kyiv | Kyiv |\n");
        let predicted = vec![
            entity(EntityKind::Place, "Kyiv", "Kyiv"),
            entity(EntityKind::Person, "Kuleba", "Kuleba"),
            entity(EntityKind::Org, "Kyiv", "Kyiv"),
        ];
        let s = score(&expected, &predicted);
        assert_eq!((s.expected, s.predicted, s.matched), (3, 3, 2));
        assert_eq!(s.canonical_correct, 1);
        assert_eq!(s.role_correct, 1);
        assert!((s.f1() - 2.0 / 3.0).abs() < 1e-12);
    }
}
