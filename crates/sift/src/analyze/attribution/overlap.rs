//! Questions about many spans at once, each answered in a binary search: does any
//! span overlap this one, is this token inside any span. The passes that asked them
//! by scanning every attribution per sentence or per token were quadratic in a
//! document of many quotes.

use crate::document::Span;

/// Spans ordered by start, with the furthest end reached so far.
pub(super) struct Overlaps {
    starts: Vec<usize>,
    /// `reach[i]`: the largest end among the first `i + 1` spans by start.
    reach: Vec<usize>,
}

impl Overlaps {
    pub(super) fn new(spans: impl IntoIterator<Item = Span>) -> Overlaps {
        let mut spans: Vec<Span> = spans.into_iter().collect();
        spans.sort_unstable_by_key(|s| s.start);
        let mut furthest = 0;
        let reach = spans
            .iter()
            .map(|s| {
                furthest = furthest.max(s.end);
                furthest
            })
            .collect();
        Overlaps {
            starts: spans.iter().map(|s| s.start).collect(),
            reach,
        }
    }

    /// Whether some span `s` has `s.overlaps(span)`: it starts before `span` ends
    /// and ends after `span` starts.
    pub(super) fn any(&self, span: Span) -> bool {
        let before_end = self.starts.partition_point(|&start| start < span.end);
        before_end > 0 && self.reach[before_end - 1] > span.start
    }
}

/// For each of `n` tokens (char spans `token`), whether it lies inside one of
/// `spans`: a difference array over the contiguous token run of each span.
pub(super) fn tokens_inside(
    tokens: &[crate::document::Token],
    spans: impl IntoIterator<Item = Span>,
) -> Vec<bool> {
    let mut depth = vec![0i64; tokens.len() + 1];
    for span in spans {
        let from = tokens.partition_point(|t| t.start < span.start);
        let to = tokens.partition_point(|t| t.end <= span.end);
        if from < to {
            depth[from] += 1;
            depth[to] -= 1;
        }
    }
    let mut open = 0;
    depth[..tokens.len()]
        .iter()
        .map(|d| {
            open += d;
            open > 0
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    #[test]
    fn any_agrees_with_a_scan() {
        let spans = [
            Span::new(5, 9),
            Span::new(0, 2),
            Span::new(20, 40),
            Span::new(22, 23),
            Span::new(30, 30),
        ];
        let index = Overlaps::new(spans);
        for start in 0..45 {
            for end in start..46 {
                let probe = Span::new(start, end);
                let scan = spans.iter().any(|s| s.overlaps(probe));
                assert_eq!(index.any(probe), scan, "{probe:?}");
            }
        }
        assert!(!Overlaps::new([]).any(Span::new(0, 10)));
    }

    #[test]
    fn tokens_inside_agrees_with_a_scan() {
        let doc = Document::from_text("“We will win,” he said. She said no, and left.");
        let spans = [Span::new(0, 13), Span::new(18, 22), Span::new(3, 40)];
        let inside = tokens_inside(&doc.tokens, spans);
        for (t, &got) in doc.tokens.iter().zip(&inside) {
            let scan = spans.iter().any(|s| s.contains(t.span()));
            assert_eq!(got, scan, "{t:?}");
        }
    }
}
