//! Choosing among overlapping candidates, and linking later mentions to full names.

use super::*;

/// Keep the best candidates: by priority, then length, never overlapping.
pub(super) fn select(mut cands: Vec<Candidate>) -> Vec<Candidate> {
    cands.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then(b.span.len().cmp(&a.span.len()))
            .then(a.span.start.cmp(&b.span.start))
    });
    // Accepted spans, sorted by start and disjoint: an overlap can only be
    // with the neighbours of the insertion point.
    let mut taken: Vec<Span> = Vec::new();
    let mut out = Vec::new();
    for c in cands {
        let i = taken.partition_point(|s| s.start < c.span.start);
        let clash = (i > 0 && taken[i - 1].overlaps(c.span))
            || (i < taken.len() && taken[i].overlaps(c.span));
        if clash {
            continue;
        }
        taken.insert(i, c.span);
        out.push(c);
    }
    out
}

/// Link surnames ("Peskov", "Пескова") and one-word titled names ("President
/// Putin") to the full names found in the document; spread roles to every mention.
pub(super) fn link_mentions(doc: &Document, words: &[Word], accepted: &mut Vec<Candidate>) {
    let mut full: FastMap<String, (String, Option<String>)> = FastMap::default();
    for c in accepted.iter() {
        if let Some(key) = &c.surname_key {
            let entry = full
                .entry(key.clone())
                .or_insert_with(|| (c.canonical.clone(), None));
            if entry.1.is_none() {
                entry.1 = c.role.clone();
            }
        }
    }
    // One-word names take the full name and role of their surname.
    for c in accepted.iter_mut() {
        if c.kind == EntityKind::Person && c.surname_key.is_none() {
            let key = word_key(strip_possessive(
                doc.slice(c.span).rsplit(' ').next().unwrap_or(""),
            ));
            if let Some((canonical, role)) = full.get(key.as_ref()) {
                c.canonical = canonical.clone();
                if c.role.is_none() {
                    c.role = role.clone();
                }
            }
        }
    }
    // Full names take a role given at any of their mentions.
    let mut roles: FastMap<String, String> = FastMap::default();
    for c in accepted.iter() {
        if let (EntityKind::Person, Some(role)) = (c.kind, &c.role) {
            roles
                .entry(c.canonical.clone())
                .or_insert_with(|| role.clone());
        }
    }
    for c in accepted.iter_mut() {
        if c.kind == EntityKind::Person && c.role.is_none() {
            c.role = roles.get(&c.canonical).cloned();
        }
    }
    if full.is_empty() {
        return;
    }
    let mut taken: Vec<Span> = accepted.iter().map(|c| c.span).collect();
    taken.sort_by_key(|s| s.start);
    for w in words {
        if !w.cap || w.all_caps {
            continue;
        }
        let Some((canonical, role)) = full.get(w.key.as_ref()) else {
            continue;
        };
        let i = taken.partition_point(|s| s.end <= w.span.start);
        if i < taken.len() && taken[i].overlaps(w.span) {
            continue;
        }
        if w.is(WordFlags::FIRST_NAME) {
            continue;
        }
        taken.insert(i, w.span);
        accepted.push(Candidate {
            span: w.span,
            kind: EntityKind::Person,
            canonical: canonical.clone(),
            role: role.clone().or_else(|| roles.get(canonical).cloned()),
            priority: Priority::Mention,
            surname_key: None,
        });
    }
}
