//! Organisations by head word, and names in single quotes or guillemets.

use super::*;

/// A capitalised run ending in an organisation head word, or opening with one
/// and "of": returns its length in words.
pub(super) fn org_at(words: &[Word], i: usize) -> Option<usize> {
    if words[i].title_case || words[i].is(WordFlags::ROLE) {
        return None;
    }
    let sentence = words[i].sentence;
    let mut j = i;
    let mut best = None;
    while j < words.len() && j - i < 8 && words[j].sentence == sentence {
        let w = &words[j];
        if j > i && !adjacent(&words[j - 1], w) {
            break;
        }
        let inner = w.is(WordFlags::ORG_INNER) && j > i;
        if !(w.cap || inner) {
            break;
        }
        if w.cap && w.is(WordFlags::ORG_HEAD) && j > i {
            best = Some(j - i + 1);
        }
        if w.cap && j > i + 1 && words[i].is(WordFlags::ORG_OPENER) && words[i + 1].key == "of" {
            best = Some(j - i + 1);
        }
        if w.punct_after || w.possessive {
            break;
        }
        j += 1;
    }
    best
}

/// Capitalised names in single quotes or guillemets: ‘Burevestnik’, «Буревестник».
pub(super) fn misc_in_quotes(doc: &Document, cands: &mut Vec<Candidate>) {
    let text = doc.text();
    // Straight single quotes are left out: they double as apostrophes.
    for (open, close) in [('‘', '’'), ('«', '»')] {
        let mut search = 0;
        while let Some(rel) = text[search..].find(open) {
            let b0 = search + rel + open.len_utf8();
            let Some(rel_end) = text[b0..].find(close) else {
                break;
            };
            let b1 = b0 + rel_end;
            let inner = &text[b0..b1];
            let n_words = inner.split_whitespace().count();
            let ok = (1..=3).contains(&n_words)
                && inner.len() < 60
                && inner
                    .split_whitespace()
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
                && inner
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == ' ' || c == '-');
            if ok {
                let span = doc.span_of_bytes(b0, b1);
                cands.push(Candidate {
                    span,
                    kind: EntityKind::Misc,
                    canonical: inner.to_string(),
                    role: None,
                    priority: Priority::Misc,
                    surname_key: None,
                });
            }
            search = b1;
        }
    }
}
