//! Implied speed: a trip's distance over its duration against the speed words and stated
//! speeds about the same vehicle.

use std::sync::LazyLock;

use regex::Regex;

use super::{fmt_num, re, tail_within, Ctx, LIGHT_MPS};
use crate::analyze::quantities::MACH_MPS;
use crate::document::Span;
use crate::report::{FindingCode, Severity};

static TRAVEL_VERB: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:travel(?:l?ed|s|l?ing)?|flew|flown|fly|flies|flying|covered|covers|covering|crossed|journeyed|drove|driven|sailed|steamed|ran|traversed|flight|journey|voyage|trip|пролет\p{L}*|пролёт\p{L}*|преодол\p{L}*|проеха\p{L}*|проехал\p{L}*|прош[её]л|прошла|прошло|прошли|проплы\p{L}*|покрыл\p{L}*|долетел\p{L}*|доехал\p{L}*|пол[её]т\p{L}*|перел[её]т\p{L}*|рейс\p{L}*|путь)\b",
    )
});

/// Words right before a duration that make it the length of a trip.
static DURATION_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:^|[^\p{L}])(?:in|for|over|within|taking|took|lasting|lasted|за|в течение|на протяжении|длил\p{L}*|занял\p{L}*)\s+(?:just\s+|only\s+|about\s+|around\s+|nearly\s+|almost\s+|roughly\s+|всего\s+|лишь\s+|около\s+|почти\s+|примерно\s+|более\s+|менее\s+|less than\s+|under\s+|more than\s+|over\s+)?$",
    )
});

/// Words after a distance that make it a position, a size or a range, not a trip.
static DISTANCE_NOT_TRIP_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:\)\s*)?(?:from|away|off|offshore|long|wide|high|deep|tall|in length|in diameter|above|below|beneath|under|north|south|east|west|inland|от|в длину|в ширину|в высоту|в глубину|в диаметре|к северу|к югу|к востоку|к западу|над|под)\b",
    )
});

static DISTANCE_NOT_TRIP_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:range|radius|altitude|height|depth|width|length|diameter|distance of|within|дальност\p{L}*|радиус\p{L}*|высот\p{L}*|глубин\p{L}*|ширин\p{L}*|длин\p{L}*|диаметр\p{L}*|в пределах)\b",
    )
});

static DURATION_NOT_TRIP_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:ago|later|earlier|before|after|each|every|a day|a week|per|назад|спустя|позже|раньше|в сутки|в день)\b",
    )
});

static DURATION_NOT_TRIP_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:every|each|per|after|before|ago|через|спустя|каждые|каждый|каждую|after about|after nearly)\s+(?:\p{L}+\s+)?$",
    )
});

/// Vehicles, for pairing a trip with speed words about the same thing.
static VEHICLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?P<missile>missiles?|rockets?|ракет\p{L}*)\b|\b(?P<plane>planes?|aircraft|airplanes?|jets?|airliners?|bombers?|fighters?|самол[её]т\p{L}*|лайнер\p{L}*|бомбардировщик\p{L}*|истребител\p{L}*)\b|\b(?P<train>trains?|railways?|rail|поезд\p{L}*|электричк\p{L}*|сапсан\p{L}*|ласточк\p{L}*)\b|\b(?P<drone>drones?|uavs?|беспилотник\p{L}*|дрон\p{L}*)\b|\b(?P<ship>ships?|vessels?|boats?|ferr(?:y|ies)|submarines?|судн\p{L}*|суд[аов]|корабл\p{L}*|лодк\p{L}*|парох\p{L}*|паром\p{L}*)\b|\b(?P<car>cars?|vehicles?|trucks?|buses|bus|автомобил\p{L}*|машин\p{L}*|автобус\p{L}*|грузовик\p{L}*)\b|\b(?P<craft>spacecraft|probes?|capsules?|gliders?|аппарат\p{L}*|зонд\p{L}*|капсул\p{L}*|планер\p{L}*|блок\p{L}*)\b",
    )
});

/// Pronouns that refer back to a thing named in the previous sentence ("its" is left out:
/// it usually belongs to another noun, "described its own prototype as supersonic").
static ANAPHOR: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:^|[^\p{L}])(?:it|его|него|он|оно|она|её|ее|неё|нее|им|ним)(?:$|[^\p{L}])")
});

const VEHICLE_KINDS: [&str; 7] = ["missile", "plane", "train", "drone", "ship", "car", "craft"];

/// Speed words: (regex, lower bound m/s or None, upper bound m/s or None, what it means in words).
struct SpeedWord {
    re: Regex,
    min_mps: Option<f64>,
    max_mps: Option<f64>,
    meaning: &'static str,
}

static SPEED_WORDS: LazyLock<Vec<SpeedWord>> = LazyLock::new(|| {
    vec![
        SpeedWord {
            re: re(r"(?i)\b(?:hypersonic|гиперзвуков\p{L}*)\b"),
            min_mps: Some(5.0 * MACH_MPS),
            max_mps: None,
            meaning: "≥ Mach 5 ≈ 6,100 km/h",
        },
        SpeedWord {
            re: re(
                r"(?i)\b(?:supersonic|сверхзвуков\p{L}*)\b|\bfaster than (?:the speed of )?sound\b|\bбыстрее звука\b",
            ),
            min_mps: Some(MACH_MPS),
            max_mps: None,
            meaning: "> Mach 1 ≈ 1,225 km/h",
        },
        SpeedWord {
            re: re(r"(?i)\b(?:subsonic|дозвуков\p{L}*)\b"),
            min_mps: None,
            max_mps: Some(MACH_MPS),
            meaning: "< Mach 1 ≈ 1,225 km/h",
        },
        SpeedWord {
            re: re(
                r"(?i)\bhigh-speed (?:rail|train|line|railway)s?\b|\bbullet trains?\b|\bвысокоскоростн\p{L}*\b",
            ),
            min_mps: Some(200.0 / 3.6),
            max_mps: None,
            meaning: "≥ 200 km/h (UIC definition of high-speed rail)",
        },
    ]
});

static NEGATION_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:\bnot|\bnon-|\bno\b|n't|\bне|\bни)\s*(?:\p{L}+\s+)?$"));

static SPEED_LIMIT_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:limit\p{L}*|allowed|permitted|wind\p{L}*|gusts?|ограничени\p{L}*|разреш\p{L}*|ветер|ветра|ветр\p{L}*|порыв\p{L}*|лимит\p{L}*)\b",
    )
});

static TOP_SPEED_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:top|maximum|max|peak|up to|максимальн\p{L}*|предельн\p{L}*|до)\b")
});

static AVERAGE_SPEED_CONTEXT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:average|averag\p{L}*|mean|средн\p{L}*)\b"));

impl Ctx<'_> {
    fn vehicles_in(&self, s: usize) -> Vec<(&'static str, Span)> {
        let t = self.sentence_text(s);
        let base = self.byte(self.sentence_span(s).start);
        let mut out = Vec::new();
        for c in VEHICLE.captures_iter(t) {
            for k in VEHICLE_KINDS {
                if let Some(m) = c.name(k) {
                    out.push((k, self.doc.span_of_bytes(base + m.start(), base + m.end())));
                }
            }
        }
        out
    }
}

/// A distance and a duration of one trip.
struct Trip {
    distance: usize,
    duration: usize,
    sentence: usize,
    mps: f64,
    vehicles: Vec<&'static str>,
}

fn find_trips(cx: &Ctx) -> Vec<Trip> {
    let mut trips = Vec::new();
    for s in 0..cx.doc.sentences.len() {
        let here = cx.in_sentence(s);
        if here.is_empty() {
            continue;
        }
        let distances: Vec<usize> = here
            .iter()
            .copied()
            .filter(|&i| {
                cx.qs[i].dimension == "length" && cx.qs[i].si_value.is_some_and(|v| v > 0.0)
            })
            .collect();
        let durations: Vec<usize> = here
            .iter()
            .copied()
            .filter(|&i| {
                cx.qs[i].dimension == "duration" && cx.qs[i].si_value.is_some_and(|v| v > 0.0)
            })
            .collect();
        if distances.len() != 1 || durations.len() != 1 {
            continue;
        }
        if !TRAVEL_VERB.is_match(cx.sentence_text(s)) {
            continue;
        }
        let (d, t) = (distances[0], durations[0]);
        let dq = &cx.qs[d];
        let tq = &cx.qs[t];
        if DISTANCE_NOT_TRIP_AFTER.is_match(cx.after(dq.end, 30))
            || DISTANCE_NOT_TRIP_BEFORE.is_match(tail_within(cx.before(dq.start, 60), 30))
        {
            continue;
        }
        if !DURATION_CUE.is_match(cx.before(tq.start, 40))
            || DURATION_NOT_TRIP_AFTER.is_match(cx.after(tq.end, 20))
            || DURATION_NOT_TRIP_BEFORE.is_match(cx.before(tq.start, 30))
        {
            continue;
        }
        let gap = if dq.start < tq.start {
            tq.start.saturating_sub(dq.end)
        } else {
            dq.start.saturating_sub(tq.end)
        };
        if gap > 160 {
            continue;
        }
        let mps = dq.si_value.unwrap_or(0.0) / tq.si_value.unwrap_or(1.0);
        let vehicles = cx.vehicles_in(s).into_iter().map(|(k, _)| k).collect();
        trips.push(Trip {
            distance: d,
            duration: t,
            sentence: s,
            mps,
            vehicles,
        });
    }
    trips
}

fn kmh(mps: f64) -> f64 {
    mps * 3.6
}

fn trip_arithmetic(cx: &Ctx, trip: &Trip) -> String {
    let d = &cx.qs[trip.distance];
    let t = &cx.qs[trip.duration];
    let km = d.si_value.unwrap_or(0.0) / 1000.0;
    let h = t.si_value.unwrap_or(0.0) / 3600.0;
    format!(
        "{} km / {} h = {} km/h ≈ Mach {}",
        fmt_num(km),
        fmt_num(h),
        fmt_num(kmh(trip.mps)),
        fmt_num(trip.mps / MACH_MPS)
    )
}

/// Whether sentence `s` speaks of the trip's vehicle: it names the same kind of vehicle, or
/// it is the next sentence of the same paragraph, names no vehicle and refers back with a
/// pronoun («…пролетел 9 000 км за 12 часов. Министерство назвало его гиперзвуковым»).
fn about_trip_vehicle(cx: &Ctx, trip: &Trip, s: usize, vehicles_here: &[(&str, Span)]) -> bool {
    if vehicles_here.iter().any(|(k, _)| trip.vehicles.contains(k)) {
        return true;
    }
    s == trip.sentence + 1
        && vehicles_here.is_empty()
        && cx.doc.paragraph_at(cx.sentence_span(s).start)
            == cx.doc.paragraph_at(cx.sentence_span(trip.sentence).start)
        && ANAPHOR.is_match(cx.sentence_text(s))
}

/// At most this many trips per document are weighed against the article's speed words
/// and stated speeds: each trip reads every sentence that names a speed word, so the cap
/// keeps a document of thousands of trips (a log, a table) linear. News articles carry
/// one or two trips.
const MAX_TRIPS: usize = 64;

/// A speed word found in a sentence: which one and its byte range in the text.
struct SpeedMention {
    word: usize,
    b0: usize,
    b1: usize,
}

/// A sentence with speed words: its index, the vehicles it names, the words.
type SpeedSentence = (usize, Vec<(&'static str, Span)>, Vec<SpeedMention>);

/// The sentences that name a speed word ("hypersonic", "supersonic"), with the vehicles
/// they name and the words found (negated ones left out), in text order. Read once per
/// document.
fn speed_sentences(cx: &Ctx) -> Vec<SpeedSentence> {
    let mut out = Vec::new();
    for s in 0..cx.doc.sentences.len() {
        let st = cx.sentence_text(s);
        let base = cx.byte(cx.sentence_span(s).start);
        let mut mentions = Vec::new();
        for (word, w) in SPEED_WORDS.iter().enumerate() {
            for m in w.re.find_iter(st) {
                let pre = &st[..m.start()];
                let mut from = pre.len().saturating_sub(20);
                while !pre.is_char_boundary(from) {
                    from += 1;
                }
                let pre = &pre[from..];
                if !NEGATION_BEFORE.is_match(pre) {
                    mentions.push(SpeedMention {
                        word,
                        b0: base + m.start(),
                        b1: base + m.end(),
                    });
                }
            }
        }
        if !mentions.is_empty() {
            out.push((s, cx.vehicles_in(s), mentions));
        }
    }
    out
}

/// Bounds on a trip's figures that make its implied speed a floor or a ceiling.
struct SpeedBounds {
    floor: bool,
    ceiling: bool,
}

impl SpeedBounds {
    fn of(cx: &Ctx, trip: &Trip) -> Self {
        let d = &cx.qs[trip.distance];
        let t = &cx.qs[trip.duration];
        SpeedBounds {
            floor: d.bound.as_deref() == Some("lower") || t.bound.as_deref() == Some("upper"),
            ceiling: d.bound.as_deref() == Some("upper") || t.bound.as_deref() == Some("lower"),
        }
    }
}

pub(super) fn check_implied_speed(cx: &mut Ctx) {
    let mut trips = find_trips(cx);
    trips.truncate(MAX_TRIPS);
    if trips.is_empty() {
        return;
    }
    let speed_sentences = speed_sentences(cx);
    for trip in &trips {
        let bounds = SpeedBounds::of(cx, trip);
        let arithmetic = trip_arithmetic(cx, trip);
        if trip.mps > LIGHT_MPS && !bounds.ceiling {
            cx.push(
                FindingCode::FasterThanLight,
                Severity::High,
                "The distance and duration of this trip imply a speed above the speed of light."
                    .into(),
                vec![cx.span_of(trip.distance), cx.span_of(trip.duration)],
                format!("{arithmetic}; the speed of light is 299,792 km/s"),
            );
            continue;
        }
        // Every mention of one speed word about this trip makes one finding citing them all.
        let mut by_word: Vec<Vec<&SpeedMention>> = vec![Vec::new(); SPEED_WORDS.len()];
        for (s, vehicles_here, mentions) in &speed_sentences {
            if about_same_vehicle(cx, trip, *s, vehicles_here) {
                for mention in mentions {
                    by_word[mention.word].push(mention);
                }
            }
        }
        for mentions in by_word.iter().filter(|m| !m.is_empty()) {
            check_speed_word(cx, trip, &bounds, &arithmetic, mentions);
        }
        check_stated_speeds(cx, trip, &bounds, &arithmetic);
    }
}

/// Whether a speed word in sentence `s` can speak of the trip's vehicle: the trip's own
/// sentence, or one about the same vehicle that names no other vehicle.
fn about_same_vehicle(cx: &Ctx, trip: &Trip, s: usize, vehicles_here: &[(&str, Span)]) -> bool {
    if s == trip.sentence {
        return true;
    }
    about_trip_vehicle(cx, trip, s, vehicles_here)
        && !vehicles_here
            .iter()
            .any(|(k, _)| !trip.vehicles.contains(k))
}

/// A speed word ("hypersonic", every mention of it about the trip) against the trip's
/// implied speed.
fn check_speed_word(
    cx: &mut Ctx,
    trip: &Trip,
    bounds: &SpeedBounds,
    arithmetic: &str,
    mentions: &[&SpeedMention],
) {
    let first = mentions[0];
    let w = &SPEED_WORDS[first.word];
    let word = &cx.text[first.b0..first.b1];
    let mut evidence = vec![cx.span_of(trip.distance), cx.span_of(trip.duration)];
    evidence.extend(mentions.iter().map(|m| cx.doc.span_of_bytes(m.b0, m.b1)));
    let computation = format!("{arithmetic}; '{word}' means {}", w.meaning);
    let implied = fmt_num(kmh(trip.mps));
    if let Some(min) = w.min_mps {
        if trip.mps < 0.5 * min && !bounds.floor {
            let sev = if trip.mps < 0.25 * min {
                Severity::High
            } else {
                Severity::Medium
            };
            let message = format!(
                "The trip's own figures give an average of {implied} km/h, far below what '{word}' means."
            );
            cx.push(
                FindingCode::ImpliedSpeed,
                sev,
                message,
                evidence.clone(),
                computation.clone(),
            );
        }
    }
    if let Some(max) = w.max_mps {
        if trip.mps > 1.2 * max && !bounds.ceiling {
            let message = format!(
                "The trip's own figures give an average of {implied} km/h, faster than '{word}' allows."
            );
            cx.push(
                FindingCode::ImpliedSpeed,
                Severity::Medium,
                message,
                evidence,
                computation,
            );
        }
    }
}

/// Stated speeds of the same vehicle within two sentences of the trip.
fn check_stated_speeds(cx: &mut Ctx, trip: &Trip, bounds: &SpeedBounds, arithmetic: &str) {
    let first = trip.sentence.saturating_sub(2);
    let last = (trip.sentence + 2).min(cx.doc.sentences.len().saturating_sub(1));
    for s in first..=last {
        let same_sentence = s == trip.sentence;
        let speeds: Vec<usize> = cx
            .in_sentence(s)
            .into_iter()
            .filter(|&i| cx.qs[i].dimension == "speed" && cx.qs[i].si_value.is_some())
            .collect();
        if speeds.is_empty() {
            continue;
        }
        let vehicles_here = cx.vehicles_in(s);
        if !same_sentence && !about_trip_vehicle(cx, trip, s, &vehicles_here) {
            continue;
        }
        for i in speeds {
            check_stated_speed(cx, trip, bounds, arithmetic, i);
        }
    }
}

/// One stated speed against the trip's implied speed: a top speed is a ceiling, an
/// average is two-sided, a plain speed allows 30 % for acceleration and detours.
fn check_stated_speed(cx: &mut Ctx, trip: &Trip, bounds: &SpeedBounds, arithmetic: &str, i: usize) {
    let q = &cx.qs[i];
    let v = q.si_value.unwrap_or(0.0);
    let pre = cx.before(q.start, 60);
    if SPEED_LIMIT_CONTEXT.is_match(pre) || SPEED_LIMIT_CONTEXT.is_match(cx.after(q.end, 20)) {
        return;
    }
    let near = tail_within(pre, 40);
    let top = q.bound.as_deref() == Some("upper") || TOP_SPEED_CONTEXT.is_match(near);
    let average = AVERAGE_SPEED_CONTEXT.is_match(near);
    let stated_kmh = kmh(v);
    let implied = kmh(trip.mps);
    let (bad, relation) = if average {
        (
            (implied > 1.33 * stated_kmh && !bounds.ceiling)
                || (implied < 0.75 * stated_kmh && !bounds.floor),
            "an average speed",
        )
    } else if top {
        (implied > 1.1 * stated_kmh && !bounds.ceiling, "a top speed")
    } else {
        (implied > 1.3 * stated_kmh && !bounds.ceiling, "its speed")
    };
    if !bad {
        return;
    }
    let message = format!(
        "The trip's own figures give an average of {} km/h, which does not fit {} of {} stated for it.",
        fmt_num(implied),
        relation,
        q.text
    );
    let computation = format!(
        "{arithmetic}; stated: {} = {} km/h",
        q.text,
        fmt_num(stated_kmh)
    );
    let evidence = vec![
        cx.span_of(trip.distance),
        cx.span_of(trip.duration),
        cx.span_of(i),
    ];
    cx.push(
        FindingCode::ImpliedSpeed,
        Severity::High,
        message,
        evidence,
        computation,
    );
}
