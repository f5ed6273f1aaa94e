//! The sourcing profile: counts by source type, named sources, sides.

use std::collections::BTreeMap;

use crate::document::Document;
use crate::report::{Attribution, SourceType, SourcingProfile};

/// Affiliation keys by side, in order of precedence: the first side with a key
/// contained in the (lower-cased) label wins.
fn side_keys() -> &'static [(&'static str, Vec<&'static str>)] {
    static KEYS: std::sync::OnceLock<Vec<(&'static str, Vec<&'static str>)>> =
        std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let text = include_str!("../../../lexicon/attribution-sides.tsv");
        crate::lexicon::rows("attribution-sides.tsv", text, 2)
            .into_iter()
            .map(|row| (row[0], row[1].split('|').collect()))
            .collect()
    })
}

/// Affiliation of a source, from the words of its phrase, role and name.
fn side_of(text: &str) -> Option<&'static str> {
    // Keys by first byte, with their side's rank: one pass over the label instead of
    // one substring search per key (UTF-8 keys can only match at a char boundary).
    /// Per first byte, the keys starting with it and their side's rank.
    type KeysByFirstByte = Vec<Vec<(&'static [u8], usize)>>;
    static BY_FIRST_BYTE: std::sync::OnceLock<KeysByFirstByte> = std::sync::OnceLock::new();
    let keys = BY_FIRST_BYTE.get_or_init(|| {
        let mut by = vec![Vec::new(); 256];
        for (rank, (_, keys)) in side_keys().iter().enumerate() {
            for k in keys.iter() {
                by[k.as_bytes()[0] as usize].push((k.as_bytes(), rank));
            }
        }
        by
    });
    let t = text.to_lowercase();
    let t = t.as_bytes();
    let mut best = usize::MAX;
    for i in 0..t.len() {
        for &(k, rank) in &keys[t[i] as usize] {
            if rank < best && t[i..].starts_with(k) {
                best = rank;
            }
        }
    }
    side_keys().get(best).map(|(side, _)| *side)
}

/// The article's sourcing profile from its attributions and sentence counts.
pub(super) fn profile(
    doc: &Document,
    attributions: &[Attribution],
    factual: usize,
    attributed: usize,
    unattributed: usize,
) -> SourcingProfile {
    const TYPES: [&str; 6] = [
        "named_person",
        "named_org",
        "anonymous",
        "vague",
        "self",
        "document",
    ];
    let mut counts = [0usize; TYPES.len()];
    let mut named: Vec<String> = Vec::new();
    // The names already in `named` (a scan of it per attribution was quadratic).
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut sides: Vec<&'static str> = Vec::new();
    let mut label = String::new();
    for a in attributions {
        counts[match a.source_type {
            SourceType::NamedPerson => 0,
            SourceType::NamedOrg => 1,
            SourceType::Anonymous => 2,
            SourceType::Vague => 3,
            SourceType::SelfSource => 4,
            SourceType::Document => 5,
        }] += 1;
        if let Some(s) = &a.speaker {
            if matches!(
                a.source_type,
                SourceType::NamedPerson | SourceType::NamedOrg
            ) && seen.insert(s.as_str())
            {
                named.push(s.clone());
            }
        }
        label.clear();
        for (k, part) in [
            a.source.as_ref().map(|s| s.text.as_str()),
            a.speaker.as_deref(),
            a.role.as_deref(),
        ]
        .into_iter()
        .enumerate()
        {
            if k > 0 {
                label.push(' ');
            }
            label.push_str(part.unwrap_or(""));
        }
        if let Some(side) = side_of(&label) {
            if !sides.contains(&side) {
                sides.push(side);
            }
        }
    }
    let _ = doc;
    SourcingProfile {
        by_source_type: TYPES
            .iter()
            .zip(counts)
            .map(|(t, n)| (t.to_string(), n))
            .collect::<BTreeMap<String, usize>>(),
        factual_sentences: factual,
        attributed_sentences: attributed,
        attributed_share: if factual == 0 {
            0.0
        } else {
            attributed as f64 / factual as f64
        },
        named_sources: named,
        multiple_sides: sides.len() > 1,
        unattributed_assertions: unattributed,
        sides: sides.iter().map(|s| s.to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_keys_follow_their_precedence_wherever_they_occur() {
        assert_eq!(side_of("Ukrainian and Russian officials"), Some("russia"));
        assert_eq!(side_of("Trump aide in Washington"), Some("united-states"));
        assert_eq!(side_of("представитель Кремля"), Some("russia"));
        assert_eq!(side_of("NATO chief"), Some("west"));
        assert_eq!(side_of("Beijing"), Some("china"));
        assert_eq!(side_of("the mayor of Lyon"), None);
    }
}
