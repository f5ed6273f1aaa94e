//! Attribution metrics: exact-match and overlap precision/recall/F1 per role
//! (source, cue, content), the figures citron reports on PARC 3.0.
//!
//! - **exact**: a predicted span counts when a gold span of the same role has
//!   the same start and end (spans are whitespace-trimmed by the loaders).
//! - **overlap**: precision is the share of predicted spans that overlap some
//!   gold span of the same role; recall the share of gold spans overlapped by
//!   some predicted span of that role.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// Which part of an attribution a span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Source,
    Cue,
    Content,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Source, Role::Cue, Role::Content];
    pub fn name(self) -> &'static str {
        match self {
            Role::Source => "source",
            Role::Cue => "cue",
            Role::Content => "content",
        }
    }
}

/// A labelled char span, half-open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RoleSpan {
    pub role: Role,
    pub start: usize,
    pub end: usize,
}

/// Raw counts for one role, summed over documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RoleCounts {
    pub predicted: usize,
    pub gold: usize,
    pub exact: usize,
    pub overlap_predicted: usize,
    pub overlap_gold: usize,
}

/// Precision, recall and F1 in percent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(tp_p: usize, predicted: usize, tp_r: usize, gold: usize) -> Prf {
        let precision = if predicted == 0 {
            0.0
        } else {
            100.0 * tp_p as f64 / predicted as f64
        };
        let recall = if gold == 0 {
            0.0
        } else {
            100.0 * tp_r as f64 / gold as f64
        };
        let f1 = crate::f1(precision, recall);
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

impl RoleCounts {
    pub fn exact(&self) -> Prf {
        Prf::new(self.exact, self.predicted, self.exact, self.gold)
    }
    pub fn overlap(&self) -> Prf {
        Prf::new(
            self.overlap_predicted,
            self.predicted,
            self.overlap_gold,
            self.gold,
        )
    }
    pub fn add(&mut self, o: &RoleCounts) {
        self.predicted += o.predicted;
        self.gold += o.gold;
        self.exact += o.exact;
        self.overlap_predicted += o.overlap_predicted;
        self.overlap_gold += o.overlap_gold;
    }
}

/// Counts per role, accumulated over documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AttributionScore {
    pub roles: BTreeMap<Role, RoleCounts>,
}

impl AttributionScore {
    /// Score one document's predictions against its gold spans and add them in.
    pub fn add_document(&mut self, gold: &[RoleSpan], predicted: &[RoleSpan]) {
        for role in Role::ALL {
            let g: Vec<&RoleSpan> = gold.iter().filter(|s| s.role == role).collect();
            let p: Vec<&RoleSpan> = predicted.iter().filter(|s| s.role == role).collect();
            let overlaps = |a: &RoleSpan, b: &RoleSpan| a.start < b.end && b.start < a.end;
            let counts = RoleCounts {
                predicted: p.len(),
                gold: g.len(),
                exact: p
                    .iter()
                    .filter(|x| g.iter().any(|y| x.start == y.start && x.end == y.end))
                    .count(),
                overlap_predicted: p
                    .iter()
                    .filter(|x| g.iter().any(|y| overlaps(x, y)))
                    .count(),
                overlap_gold: g
                    .iter()
                    .filter(|y| p.iter().any(|x| overlaps(x, y)))
                    .count(),
            };
            self.roles.entry(role).or_default().add(&counts);
        }
    }

    pub fn merge(&mut self, other: &AttributionScore) {
        for (role, c) in &other.roles {
            self.roles.entry(*role).or_default().add(c);
        }
    }

    pub fn role(&self, role: Role) -> RoleCounts {
        self.roles.get(&role).copied().unwrap_or_default()
    }
}

impl fmt::Display for AttributionScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:8} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6}",
            "role", "gold", "pred", "ex-P", "ex-R", "ex-F1", "ov-P", "ov-R", "ov-F1"
        )?;
        for role in Role::ALL {
            let c = self.role(role);
            let (e, o) = (c.exact(), c.overlap());
            writeln!(
                f,
                "{:8} {:>6} {:>6} | {:>6.1} {:>6.1} {:>6.1} | {:>6.1} {:>6.1} {:>6.1}",
                role.name(),
                c.gold,
                c.predicted,
                e.precision,
                e.recall,
                e.f1,
                o.precision,
                o.recall,
                o.f1
            )?;
        }
        Ok(())
    }
}

/// Shrink a span so it starts and ends on non-whitespace chars of `chars`.
pub fn trim_span(chars: &[char], start: usize, end: usize) -> (usize, usize) {
    let (mut s, mut e) = (start, end.min(chars.len()));
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(role: Role, start: usize, end: usize) -> RoleSpan {
        RoleSpan { role, start, end }
    }

    #[test]
    fn perfect_prediction_scores_one_hundred() {
        let gold = [
            span(Role::Source, 0, 5),
            span(Role::Cue, 6, 10),
            span(Role::Content, 11, 40),
        ];
        let mut s = AttributionScore::default();
        s.add_document(&gold, &gold);
        for role in Role::ALL {
            assert_eq!(s.role(role).exact().f1, 100.0);
            assert_eq!(s.role(role).overlap().f1, 100.0);
        }
    }

    #[test]
    fn shifted_content_counts_for_overlap_but_not_exact() {
        let gold = [span(Role::Content, 10, 50)];
        let pred = [span(Role::Content, 15, 50)];
        let mut s = AttributionScore::default();
        s.add_document(&gold, &pred);
        let c = s.role(Role::Content);
        assert_eq!(c.exact().f1, 0.0);
        assert_eq!(c.overlap().f1, 100.0);
    }

    #[test]
    fn roles_do_not_match_across_labels_and_misses_lower_recall() {
        // Predicted cue sits where gold has a source; second gold cue is missed.
        let gold = [
            span(Role::Source, 0, 3),
            span(Role::Cue, 4, 8),
            span(Role::Cue, 20, 24),
        ];
        let pred = [span(Role::Cue, 0, 3), span(Role::Cue, 4, 8)];
        let mut s = AttributionScore::default();
        s.add_document(&gold, &pred);
        let cue = s.role(Role::Cue);
        assert_eq!((cue.gold, cue.predicted, cue.exact), (2, 2, 1));
        let e = cue.exact();
        assert!((e.precision - 50.0).abs() < 1e-9);
        assert!((e.recall - 50.0).abs() < 1e-9);
        assert!((e.f1 - 50.0).abs() < 1e-9);
        let src = s.role(Role::Source);
        assert_eq!((src.gold, src.predicted, src.exact), (1, 0, 0));
        assert_eq!(src.exact().f1, 0.0);
    }

    #[test]
    fn one_long_prediction_over_two_gold_spans_has_asymmetric_overlap() {
        let gold = [span(Role::Content, 0, 10), span(Role::Content, 12, 20)];
        let pred = [span(Role::Content, 0, 20)];
        let mut s = AttributionScore::default();
        s.add_document(&gold, &pred);
        let c = s.role(Role::Content);
        assert_eq!((c.overlap_predicted, c.overlap_gold), (1, 2));
        assert_eq!(c.overlap().precision, 100.0);
        assert_eq!(c.overlap().recall, 100.0);
        assert_eq!(c.exact().f1, 0.0);
    }

    #[test]
    fn documents_accumulate() {
        let mut s = AttributionScore::default();
        s.add_document(&[span(Role::Cue, 0, 4)], &[span(Role::Cue, 0, 4)]);
        s.add_document(&[span(Role::Cue, 0, 4)], &[]);
        let c = s.role(Role::Cue);
        assert_eq!((c.gold, c.predicted, c.exact), (2, 1, 1));
        assert!((c.exact().f1 - 66.666_666).abs() < 1e-3);
    }

    #[test]
    fn trimming_drops_surrounding_whitespace() {
        let chars: Vec<char> = "  said  ".chars().collect();
        assert_eq!(trim_span(&chars, 0, 8), (2, 6));
        assert_eq!(trim_span(&chars, 0, 2), (2, 2));
    }
}
