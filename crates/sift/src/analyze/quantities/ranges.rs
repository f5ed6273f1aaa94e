//! Ranges ("10–15 km", "from 5 to 7", "от 5 до 7") and lists that share a unit ("5, 7 and 9 km").

use std::sync::LazyLock;

use regex::Regex;

use super::scan::{clause_tail, floor_boundary, NumTok, Scanner};
use super::units::parse_unit;

static RANGE_BETWEEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:-|–|—|−|-?\s*to|and|до|по|или)\s*(?:\p{Sc}|US\$)?\s*$")
        .expect("range regex")
});

static RANGE_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^\p{L}])(?P<o>from|between|от|с|со)\s*(?:\p{Sc}|US\$)?\s*$")
        .expect("range opener regex")
});

static CHANGE_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:rose|rise|risen|rising|grew|grown|growing|increased?|increasing|jumped|climbed|soared|surged|fell|fallen|falling|dropped|declined?|decreased?|slipped|shrank|shrunk|plunged|cut|raised|reduced|lowered|doubled|tripled|halved|вырос\p{L}*|выросл\p{L}*|увеличил\p{L}*|увеличен\p{L}*|повысил\p{L}*|сократил\p{L}*|снизил\p{L}*|снижен\p{L}*|упал\p{L}*|уменьшил\p{L}*|подорожал\p{L}*|подешевел\p{L}*|возрос\p{L}*|изменил\p{L}*)\b")
        .expect("change verb regex")
});

static LIST_BETWEEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:,|,?\s*and|,?\s*or|и|или|,\s*и)\s*$").expect("list regex")
});

impl Scanner<'_> {
    pub(super) fn build(&mut self, toks: &[NumTok]) {
        let mut i = 0;
        let start_len = self.out.len();
        while i < toks.len() {
            let t = &toks[i];
            let (q_end, mut parts) = self.attach(t);
            // A unit that swallowed the next number ("12 m 2 dm") consumes its token.
            let mut skip = 0;
            while i + 1 + skip < toks.len() && toks[i + 1 + skip].b0 < q_end {
                skip += 1;
            }
            if skip > 0 {
                self.push(parts.start, q_end, std::mem::take(&mut parts).into_parts());
                i += 1 + skip;
                continue;
            }
            // A range: "10–15 km", "from 5 to 7", "от 5 до 7", "between 3 and 4".
            // Only a range-shaped gap can make a range; the other regexes run only then.
            let range_gap =
                i + 1 < toks.len() && RANGE_BETWEEN.is_match(&self.text[q_end..toks[i + 1].b0]);
            if range_gap {
                let n = &toks[i + 1];
                let gap = &self.text[q_end..n.b0];
                let before = &self.text[floor_boundary(self.text, t.b0.saturating_sub(100))..t.b0];
                let opener = RANGE_OPENER.captures(before);
                let dash_gap = gap.trim().is_empty() || matches!(gap.trim(), "-" | "–" | "—" | "−");
                // "(2017 год – 4782 случая, 2018 – 52 349 случаев": a year, a spaced dash
                // and a figure that is no year is a heading and its number, not a range.
                let spaced_dash = dash_gap && gap.starts_with(' ') && gap.ends_with(' ');
                let change = CHANGE_VERB.is_match(clause_tail(before));
                // "3 to 4 L", "8- to 16-meter": a bare number then one with a unit.
                let gap_word = gap.trim().trim_start_matches('-').trim().to_lowercase();
                let to_unit = !change
                    && parts.dimension == "number"
                    && matches!(gap_word.as_str(), "to" | "до");
                let is_range = (!change || dash_gap)
                    && !(t.year_like && n.year_like && !dash_gap)
                    && !(t.year_like && t.value >= 1900.0 && !n.year_like && spaced_dash)
                    && (dash_gap && !gap.trim().is_empty()
                        || opener.as_ref().is_some_and(|o| {
                            let o = o["o"].to_lowercase();
                            let g = gap.trim().to_lowercase();
                            matches!(
                                (o.as_str(), g.as_str()),
                                ("from", "to")
                                    | ("between", "and")
                                    | ("от", "до")
                                    | ("с", "до")
                                    | ("со", "до")
                                    | ("с", "по")
                            )
                        })
                        || to_unit);
                if is_range && (parts.unit.is_none() || parts.dimension != "number") {
                    let (n_end, n_parts) = self.attach(n);
                    let compatible = parts.unit.is_none()
                        || parts.si_unit == n_parts.si_unit
                        || n_parts.unit.is_none();
                    let ascending = n_parts.value >= parts.value;
                    let partner_ok = !to_unit
                        || opener.is_some()
                        || dash_gap
                        || (n_parts.unit.is_some()
                            && !matches!(n_parts.dimension, "count" | "number" | "date"));
                    // "(с 20 до 18)", "from 10 to 5": a fall from one figure to another, two
                    // quantities rather than a range.
                    if compatible && partner_ok && ascending {
                        let mut r = if n_parts.unit.is_some() || parts.unit.is_none() {
                            n_parts.clone()
                        } else {
                            parts.clone()
                        };
                        let lo_raw = parts.raw_value * r.multiplier.max(parts.multiplier);
                        let hi_raw = n_parts.value;
                        let lo = if parts.unit.is_none() && parts.multiplier == 1.0 {
                            let lo = t.value * n_parts.multiplier;
                            // «полутора-двух тысяч», "two to three thousand": the scale
                            // inside the word numeral closes the range for both ends.
                            let scale = [1e12, 1e9, 1e6, 1e3]
                                .into_iter()
                                .find(|s| n.value >= *s && (n.value / s).fract() == 0.0);
                            match scale {
                                Some(s) if !n.digits && lo < 1e3 && lo * s <= n.value => lo * s,
                                _ => lo,
                            }
                        } else {
                            parts.value.min(lo_raw.max(parts.value))
                        };
                        let (lo, hi_raw) = (lo.min(hi_raw), lo.max(hi_raw));
                        r.low = Some(lo);
                        r.high = Some(hi_raw);
                        r.value = (lo + hi_raw) / 2.0;
                        r.si_value = r.info.map(|u| r.value * u.factor + u.offset).or(r.si_value);
                        if r.dimension == "money" || r.dimension == "percentage" {
                            r.si_value = Some(r.value);
                        }
                        r.approx = parts.approx || n_parts.approx;
                        r.bound = parts.bound.clone();
                        let start = opener
                            .as_ref()
                            .map(|o| t.b0 - (before.len() - o.get(0).expect("m").start()))
                            .map(|s| {
                                // skip the non-letter char the opener regex may have eaten
                                let c = self.text[s..].chars().next().unwrap_or(' ');
                                if c.is_alphabetic() {
                                    s
                                } else {
                                    s + c.len_utf8()
                                }
                            })
                            .unwrap_or(parts.start);
                        self.push(start.min(parts.start), n_end, r.into_parts());
                        i += 2;
                        continue;
                    }
                }
            }
            let start = parts.start;
            self.push(start, q_end, std::mem::take(&mut parts).into_parts());
            i += 1;
        }
        self.propagate_list_units(start_len);
    }

    /// "5, 7 and 9 km": bare numbers before a unit in a list take that unit.
    pub(super) fn propagate_list_units(&mut self, from: usize) {
        let mut idx: Vec<usize> = (from..self.out.len()).collect();
        idx.sort_by_key(|&k| self.out[k].start);
        for w in (0..idx.len().saturating_sub(1)).rev() {
            let (a, b) = (idx[w], idx[w + 1]);
            if !matches!(self.out[a].dimension.as_str(), "number" | "count")
                || self.out[a].unit.is_some() && self.out[a].dimension != "count"
            {
                continue;
            }
            let bq = &self.out[b];
            if bq.si_unit.is_none() || matches!(bq.dimension.as_str(), "date" | "time" | "count") {
                continue;
            }
            let gap_start = self.doc.byte_of(self.out[a].end);
            let gap_end = self.doc.byte_of(bq.start);
            if gap_start > gap_end || !LIST_BETWEEN.is_match(&self.text[gap_start..gap_end]) {
                continue;
            }
            let Some(info) = bq.unit.as_deref().and_then(parse_unit) else {
                continue;
            };
            let (unit, dim, si_unit) = (bq.unit.clone(), bq.dimension.clone(), bq.si_unit.clone());
            let aq = &mut self.out[a];
            if aq.dimension == "count" {
                continue;
            }
            aq.unit = unit;
            aq.dimension = dim;
            aq.si_unit = si_unit;
            aq.si_value = Some(
                if info.dimension == "money" || info.dimension == "percentage" {
                    aq.value
                } else {
                    aq.value * info.factor + info.offset
                },
            );
        }
    }
}
