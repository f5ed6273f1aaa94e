//! What surrounds a number token: a currency or `Mach` before it, a multiplier and a unit
//! after it, the noun it counts, ages, angles, and approximation or bound words before it.

use std::sync::LazyLock;

use regex::Regex;

use super::numerals::NUM_WORDS;
use super::scan::{ceil_boundary, floor_boundary, is_word_char, NumTok, Scanner};
use super::units::{
    currency_info, look_words, match_unit, parse_unit, LookWord, Multiplier, UnitInfo,
    CURRENCY_PREFIX, MULTIPLIERS,
};
use super::QuantityParts;
use crate::lexicon;

static MODIFIER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[^\p{L}])(?P<m>about|around|approximately|approx\.|roughly|nearly|almost|some|an estimated|estimated|~|∼|≈|около|почти|примерно|приблизительно|порядка|где-то|more than|over|at least|above|exceeding|upwards of|in excess of|greater than|less than|fewer than|under|below|at most|up to|no more than|не менее|не более|не больше|не меньше|более чем|более|больше|свыше|менее|меньше|до|как минимум|по меньшей мере|максимум|минимум|за более чем)\s*(?:\p{Sc}|US\$)?\s*$",
    )
    .expect("modifier regex")
});

static ANGLE_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:angle|angles|rotat\w*|turn\w*|tilt\w*|bank\w*|latitude|longitude|arc|slope|incline|heading|bearing|угол|угл\w*|поворот\w*|поверн\w*|наклон\w*|широт\w*|долгот\w*|курс\w*)\b")
        .expect("angle regex")
});

static AGE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[^\p{L}])(?:aged|age|ages(?:\s+(?:ranging|range|from|between|of))*|в возрасте)\s*$",
    )
    .expect("age regex")
});

/// A name and a comma before a number that a comma closes: "Joering, 39, spent …" is an age.
static APPOSITION_AGE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\p{L}])\p{Lu}[\p{L}'’-]*\p{Ll},\s$").expect("apposition age regex")
});

/// Words after a bare number that are not what it counts.
static COUNT_STOPWORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    lexicon::lines(include_str!(
        "../../../lexicon/quantities-count-stopwords.txt"
    ))
    .collect()
});

/// A unit read around a number: its surface form and what the lexicon knows about it.
type FoundUnit = (String, UnitInfo);

/// Byte offset (relative to the number's end) where the words after a multiplier begin.
fn after_multiplier(words: &[LookWord], wi: usize) -> usize {
    if wi == 0 {
        0
    } else {
        words[wi - 1].end
    }
}

/// Whether the text after an abbreviation's dot goes on with the same phrase (a
/// lowercase word: "млн. руб.") rather than a new sentence: a full stop is not part of
/// a quantity's span.
fn continues_after_dot(rest: &str) -> bool {
    rest.trim_start_matches([' ', '\u{00A0}'])
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// Whether the character before byte `b` does not continue a word or number.
fn boundary_before(text: &str, b: usize) -> bool {
    text[..b]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Set a quantity's unit; "2019 year" is a date, not a duration.
fn set_unit(parts: &mut QuantityParts, surface: String, info: UnitInfo, t: &NumTok, value: f64) {
    let info = if info.canonical == "year" && t.year_like && info.dimension == "duration" {
        UnitInfo {
            dimension: "date",
            ..info
        }
    } else {
        info
    };
    parts.unit = Some(surface);
    parts.info = Some(info);
    parts.dimension = info.dimension;
    parts.si_unit = Some(info.si_unit.to_string());
    let no_offset = matches!(
        info.dimension,
        "money" | "percentage" | "percentage_points" | "age"
    );
    parts.si_value = Some(if no_offset {
        value * info.factor
    } else {
        value * info.factor + info.offset
    });
    if info.dimension == "date" {
        parts.si_unit = None;
        parts.si_value = None;
        parts.date = Some(format!("{:04}", t.value as i64));
    }
}

/// How a modifier word before a quantity reads: (approximate, bound).
fn modifier_meaning(m: &str) -> (bool, Option<&'static str>) {
    match m {
        "about"
        | "around"
        | "approximately"
        | "approx."
        | "roughly"
        | "nearly"
        | "almost"
        | "some"
        | "an estimated"
        | "estimated"
        | "~"
        | "∼"
        | "≈"
        | "около"
        | "почти"
        | "примерно"
        | "приблизительно"
        | "порядка"
        | "где-то" => (true, None),
        "more than"
        | "over"
        | "at least"
        | "above"
        | "exceeding"
        | "upwards of"
        | "in excess of"
        | "greater than"
        | "не менее"
        | "не меньше"
        | "более чем"
        | "более"
        | "больше"
        | "свыше"
        | "как минимум"
        | "по меньшей мере"
        | "минимум"
        | "за более чем" => (false, Some("lower")),
        _ => (false, Some("upper")),
    }
}

impl Scanner<'_> {
    /// Read what surrounds a number token: prefix currency/Mach, multiplier, unit,
    /// modifiers. Returns the byte end of the quantity and its parts.
    pub(super) fn attach(&self, t: &NumTok) -> (usize, QuantityParts) {
        let text = self.text;
        let prefix = self.unit_before(t);
        let start = prefix.as_ref().map_or(t.b0, |(s, _)| *s);
        let prefix_unit = prefix.map(|(_, u)| u);
        let after_limit = ceil_boundary(text, (t.b1 + 64).min(text.len()));
        let after = &text[t.b1..after_limit];
        let words = look_words(after, 6);
        let (multiplier, wi) =
            Self::multiplier_after(after, &words, prefix_unit.is_some()).unwrap_or((1.0, 0));
        let mut end = t.b1 + after_multiplier(&words, wi);
        // Word numbers carry their own scale; "2 thousand" was handled above.
        let value = t.value * multiplier;
        let rest = if wi < words.len() {
            &words[wi..]
        } else {
            &words[0..0]
        };
        // "3-inch", "six-mile": a hyphen between number and unit.
        let rest = if rest.len() > 1 && rest[0].text == "-" && match_unit(rest).is_none() {
            &rest[1..]
        } else {
            rest
        };
        let unit = self.unit_after(t, &words, wi, rest, multiplier, prefix_unit.as_ref());
        if let Some((_, _, unit_end)) = &unit {
            end = *unit_end;
        }
        let mut parts = QuantityParts::bare(value, "number");
        parts.raw_value = t.value;
        parts.multiplier = multiplier;
        parts.start = start;
        let chosen = prefix_unit.or(unit.map(|(surface, info, _)| (surface, info)));
        if let Some((surface, info)) = chosen {
            set_unit(&mut parts, surface, info, t, value);
        } else if t.year_like && multiplier == 1.0 {
            parts.dimension = "date";
            parts.date = Some(format!("{:04}", t.value as i64));
        } else if let Some(noun) = self.counted_noun(t, after_multiplier(&words, wi), rest) {
            parts.dimension = "count";
            // the counted noun is not part of the quantity's text
            parts.unit = Some(noun);
        }
        end = self.age(&mut parts, start, end, value);
        self.angle(&mut parts, start, end, value);
        self.modifier(&mut parts, start);
        // Keep the modifier out of the span when the quantity is a bare number
        // (its text is the figure), and out of counts; units keep it, as written.
        let keeps_modifier = !matches!(parts.dimension, "number" | "date" | "count")
            && (parts.approx || parts.bound.is_some());
        if !keeps_modifier {
            parts.start = start;
        }
        (end, parts)
    }

    /// A currency sign or code ("$4.2", "US$ 5", "€ 10") or `Mach` right before the
    /// number: where it starts and its unit.
    fn unit_before(&self, t: &NumTok) -> Option<(usize, FoundUnit)> {
        let text = self.text;
        let before = &text[floor_boundary(text, t.b0.saturating_sub(8))..t.b0];
        let before_trim = before.trim_end_matches([' ', '\u{00A0}']);
        let gap = before.len() - before_trim.len();
        if let Some(&(sym, code)) = CURRENCY_PREFIX
            .iter()
            .find(|(sym, _)| before_trim.ends_with(sym))
        {
            let sb = t.b0 - gap - sym.len();
            if boundary_before(text, sb) {
                return Some((sb, (sym.to_string(), currency_info(code))));
            }
        }
        if before_trim.to_lowercase().ends_with("mach") {
            let sb = t.b0 - gap - 4;
            if boundary_before(text, sb) {
                let mach = parse_unit("mach").expect("mach");
                return Some((sb, (text[sb..sb + 4].to_string(), mach)));
            }
        }
        None
    }

    /// A multiplier right after the number ("4.2 billion", "2,4 млрд", "2.4bn", "1.8M",
    /// "$5m"): its factor and how many look-words it took.
    fn multiplier_after(after: &str, words: &[LookWord], has_prefix: bool) -> Option<(f64, usize)> {
        let w = words.first()?;
        if !w.text.chars().all(|c| c.is_alphabetic()) {
            return None;
        }
        let glued = w.start == 0;
        for &Multiplier { form, factor, stem } in MULTIPLIERS.iter() {
            let hit = if stem {
                w.text.starts_with(form) && w.text.chars().count() - form.chars().count() <= 3
            } else {
                w.text == form
            };
            // "k" and "m"-style short forms only glued to money ("$5k").
            if hit && (form != "k" || (glued && has_prefix)) {
                // "млн. руб.", "тыс. человек": an abbreviation's dot, not a full stop.
                let dot = form.chars().count() <= 4
                    && words.get(1).is_some_and(|d| {
                        d.text == "." && d.start == w.end && continues_after_dot(&after[d.end..])
                    });
                return Some((factor, if dot { 2 } else { 1 }));
            }
        }
        // "1.8M", "2.4B", "300K": capital letters glued to the number are multipliers.
        if glued {
            let factor = match &after[w.start..w.end] {
                "M" => Some(1e6),
                "K" => Some(1e3),
                "T" => Some(1e12),
                "B" | "Bn" | "BN" => Some(1e9),
                _ => None,
            };
            if let Some(f) = factor {
                return Some((f, 1));
            }
        }
        // "$5m", "$2.4b": one-letter multipliers after a currency sign.
        if has_prefix && glued && matches!(w.text.as_str(), "m" | "b") {
            return Some((if w.text == "m" { 1e6 } else { 1e9 }, 1));
        }
        None
    }

    /// The unit after the number (and its multiplier): surface, unit and the byte end of
    /// the quantity. A unit must sit right after the number, end at a word boundary and,
    /// after a currency sign, be money too.
    fn unit_after(
        &self,
        t: &NumTok,
        words: &[LookWord],
        wi: usize,
        rest: &[LookWord],
        multiplier: f64,
        prefix: Option<&FoundUnit>,
    ) -> Option<(String, UnitInfo, usize)> {
        let text = self.text;
        if prefix.is_some_and(|p| p.1.dimension != "money") {
            return None;
        }
        let (info, n) = match_unit(rest)?;
        let from = after_multiplier(words, wi);
        let glued = rest[0].start == from;
        let gap = &text[t.b1 + from..t.b1 + rest[0].start];
        let gap_ok = gap
            .chars()
            .all(|c| c == ' ' || c == '\u{00A0}' || c == '\u{202F}' || c == '-');
        let last = &rest[n - 1];
        let next_char = text[t.b1 + last.end..].chars().next();
        // A unit must end at a word boundary ("5 m" yes, "5 mice" no — the
        // lexicon word is whole by construction, but "г" in "5 го" is not).
        let boundary_ok = next_char
            .is_none_or(|c| !is_word_char(c) || !last.text.chars().all(char::is_alphabetic));
        let single_letter = n == 1
            && rest[0].text.chars().count() == 1
            && rest[0].text.chars().all(char::is_alphabetic);
        // One-letter units ("m", "h", "g", "т", "л") only with digits.
        let letter_ok = !single_letter || t.digits;
        let money_with_money = prefix.is_none() || info.dimension == "money";
        if !(gap_ok
            && boundary_ok
            && letter_ok
            && money_with_money
            && (glued || !rest[0].text.is_empty()))
        {
            return None;
        }
        let info = if info.canonical == "pound" && multiplier >= 1e6 {
            currency_info("GBP")
        } else {
            info
        };
        // Keep a trailing abbreviation dot ("руб.", "тыс. руб.").
        let abbreviation_dot = rest.get(n).is_some_and(|d| {
            d.text == "."
                && d.start == last.end
                && last.text.chars().count() <= 4
                && last.text.chars().all(char::is_alphabetic)
                && info.dimension == "money"
                && continues_after_dot(&text[t.b1 + d.end..])
        });
        let uend = if abbreviation_dot {
            rest[n].end
        } else {
            last.end
        };
        let surface = text[t.b1 + rest[0].start..t.b1 + last.end].to_string();
        Some((surface, info, t.b1 + uend))
    }

    /// The noun a bare number counts ("2,000 respondents", "из 1 500 опрошенных"): a
    /// lowercase word right after it that is not a function word or another numeral.
    fn counted_noun(&self, t: &NumTok, from: usize, rest: &[LookWord]) -> Option<String> {
        let text = self.text;
        let w = rest.first()?;
        let gap = &text[t.b1 + from..t.b1 + w.start];
        let is_word = w.text.chars().all(char::is_alphabetic) && w.text.chars().count() >= 2;
        let first_upper = text[t.b1 + w.start..]
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
        let counts = is_word
            && !first_upper
            && gap.chars().all(|c| c == ' ' || c == '\u{00A0}')
            && !COUNT_STOPWORDS.contains(&w.text.as_str())
            && NUM_WORDS.get(w.text.as_str()).is_none();
        counts.then(|| text[t.b1 + w.start..t.b1 + w.end].to_string())
    }

    /// Ages: "45-year-old", "aged 45", "в возрасте 45 лет", "45 years old". Returns the
    /// quantity's byte end ("old" joins it).
    fn age(&self, parts: &mut QuantityParts, start: usize, end: usize, value: f64) -> usize {
        let text = self.text;
        let before_num = &text[floor_boundary(text, start.saturating_sub(40))..start];
        let apposition = parts.dimension == "number"
            && parts.multiplier == 1.0
            && value.fract() == 0.0
            && (1.0..=120.0).contains(&value)
            && text[end..].starts_with(',')
            && APPOSITION_AGE_BEFORE.is_match(before_num);
        if apposition
            || AGE_BEFORE.is_match(before_num) && matches!(parts.dimension, "number" | "duration")
        {
            let months = parts.info.is_some_and(|u| u.canonical == "month");
            parts.dimension = "age";
            parts.unit = parts.unit.take().or(Some("year".into()));
            parts.si_unit = Some("year".into());
            parts.si_value = Some(value * if months { 1.0 / 12.0 } else { 1.0 });
            return end;
        }
        if parts.dimension != "duration" {
            return end;
        }
        let after = &text[end..ceil_boundary(text, (end + 10).min(text.len()))];
        let lower_after = after.to_lowercase();
        let Some(tail) = ["old", "of age"]
            .into_iter()
            .find(|w| lower_after.trim_start().starts_with(w))
        else {
            return end;
        };
        let old_end = end + lower_after.find(tail).map(|p| p + tail.len()).unwrap_or(0);
        let Some(info) = parts.info else {
            return end;
        };
        parts.dimension = "age";
        parts.si_unit = Some("year".into());
        parts.si_value = Some(value * info.factor / 31_557_600.0);
        old_end
    }

    /// Angles written with the degree word or sign ("a 45 degrees angle", "rotate 90°",
    /// "40°N"): a bare degree is a temperature unless the words around make it an angle.
    fn angle(&self, parts: &mut QuantityParts, start: usize, end: usize, value: f64) {
        let text = self.text;
        let bare_degree = parts.dimension == "temperature"
            && parts.info.is_some_and(|u| u.canonical == "degree Celsius")
            && parts
                .unit
                .as_deref()
                .is_some_and(|u| !u.to_lowercase().contains('c') && !u.contains('с'));
        if !bare_degree {
            return;
        }
        let around = format!(
            "{} {}",
            &text[floor_boundary(text, start.saturating_sub(24))..start],
            &text[end..ceil_boundary(text, (end + 12).min(text.len()))]
        );
        if ANGLE_CONTEXT.is_match(&around)
            || text[end..].starts_with(['N', 'S', 'E', 'W', '′', '\''])
        {
            parts.dimension = "angle";
            parts.si_unit = Some("rad".into());
            parts.si_value = Some(value.to_radians());
        }
    }

    /// Approximation and bound words before the quantity ("about", "more than", "до");
    /// the span grows to take the word in.
    fn modifier(&self, parts: &mut QuantityParts, start: usize) {
        let text = self.text;
        let before_q = &text[floor_boundary(text, start.saturating_sub(40))..start];
        let Some(c) = MODIFIER_BEFORE.captures(before_q) else {
            return;
        };
        let word = c.name("m").expect("m");
        let m = word.as_str().to_lowercase();
        let (approx, bound) = modifier_meaning(&m);
        // "до" also closes a range ("от 5 до 7"); ranges are built before this
        // matters, and "до 2019 года" is a date the modifier does not touch.
        let mstart_b = start - (before_q.len() - word.start());
        let connector_after_number = text[..mstart_b]
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|ch| ch.is_ascii_digit() || ch == '%');
        if m != "до" || (parts.dimension != "date" && !connector_after_number) {
            parts.approx = approx;
            parts.bound = bound.map(str::to_string);
            parts.start = mstart_b;
        }
    }
}
