//! Implied speed: a trip's distance over its duration against the speed words and stated
//! speeds about the same vehicle.

use std::sync::LazyLock;

use regex::Regex;

use super::{fmt_num, re, tail_within, trim_to_boundary, Ctx, LIGHT_MPS};
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

pub(super) fn check_implied_speed(cx: &mut Ctx) {
    let trips = find_trips(cx);
    for trip in &trips {
        let d = &cx.qs[trip.distance];
        let t = &cx.qs[trip.duration];
        // Bounds that make the implied speed a floor or a ceiling.
        let speed_is_floor =
            d.bound.as_deref() == Some("lower") || t.bound.as_deref() == Some("upper");
        let speed_is_ceiling =
            d.bound.as_deref() == Some("upper") || t.bound.as_deref() == Some("lower");
        let arithmetic = trip_arithmetic(cx, trip);
        if trip.mps > LIGHT_MPS && !speed_is_ceiling {
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
        // Speed words about the same vehicle anywhere in the article, or in the trip's sentence.
        for s in 0..cx.doc.sentences.len() {
            let same_sentence = s == trip.sentence;
            let vehicles_here: Vec<(&str, Span)> = cx.vehicles_in(s);
            if !same_sentence && !about_trip_vehicle(cx, trip, s, &vehicles_here) {
                continue;
            }
            // A different vehicle in the speed word's sentence that the trip lacks: another thing.
            if !same_sentence
                && vehicles_here
                    .iter()
                    .any(|(k, _)| !trip.vehicles.contains(k))
            {
                continue;
            }
            let st = cx.sentence_text(s);
            let base = cx.byte(cx.sentence_span(s).start);
            for w in SPEED_WORDS.iter() {
                for m in w.re.find_iter(st) {
                    let pre = &st[..m.start()];
                    let pre = &pre[pre.len().saturating_sub(20).min(pre.len())..];
                    let pre = trim_to_boundary(pre);
                    if NEGATION_BEFORE.is_match(pre) {
                        continue;
                    }
                    let wspan = cx.doc.span_of_bytes(base + m.start(), base + m.end());
                    let word = m.as_str();
                    if let Some(min) = w.min_mps {
                        if trip.mps < 0.5 * min && !speed_is_floor {
                            let sev = if trip.mps < 0.25 * min {
                                Severity::High
                            } else {
                                Severity::Medium
                            };
                            cx.push(
                                FindingCode::ImpliedSpeed,
                                sev,
                                format!(
                                    "The trip's own figures give an average of {} km/h, far below what '{}' means.",
                                    fmt_num(kmh(trip.mps)),
                                    word
                                ),
                                vec![cx.span_of(trip.distance), cx.span_of(trip.duration), wspan],
                                format!("{arithmetic}; '{word}' means {}", w.meaning),
                            );
                        }
                    }
                    if let Some(max) = w.max_mps {
                        if trip.mps > 1.2 * max && !speed_is_ceiling {
                            cx.push(
                                FindingCode::ImpliedSpeed,
                                Severity::Medium,
                                format!(
                                    "The trip's own figures give an average of {} km/h, faster than '{}' allows.",
                                    fmt_num(kmh(trip.mps)),
                                    word
                                ),
                                vec![cx.span_of(trip.distance), cx.span_of(trip.duration), wspan],
                                format!("{arithmetic}; '{word}' means {}", w.meaning),
                            );
                        }
                    }
                }
            }
        }
        // Stated speeds of the same vehicle, same paragraph.
        for i in 0..cx.qs.len() {
            let q = &cx.qs[i];
            if q.dimension != "speed" {
                continue;
            }
            let Some(v) = q.si_value else { continue };
            let Some(s) = cx.sent[i] else { continue };
            if s.abs_diff(trip.sentence) > 2 {
                continue;
            }
            let same_sentence = s == trip.sentence;
            let vehicles_here = cx.vehicles_in(s);
            if !same_sentence && !about_trip_vehicle(cx, trip, s, &vehicles_here) {
                continue;
            }
            let pre = cx.before(q.start, 60);
            if SPEED_LIMIT_CONTEXT.is_match(pre)
                || SPEED_LIMIT_CONTEXT.is_match(cx.after(q.end, 20))
            {
                continue;
            }
            let near = tail_within(pre, 40);
            let top = q.bound.as_deref() == Some("upper") || TOP_SPEED_CONTEXT.is_match(near);
            let average = AVERAGE_SPEED_CONTEXT.is_match(near);
            let stated_kmh = kmh(v);
            let implied = kmh(trip.mps);
            let (bad, relation) = if average {
                (
                    (implied > 1.33 * stated_kmh && !speed_is_ceiling)
                        || (implied < 0.75 * stated_kmh && !speed_is_floor),
                    "an average speed",
                )
            } else if top {
                (
                    implied > 1.1 * stated_kmh && !speed_is_ceiling,
                    "a top speed",
                )
            } else {
                (implied > 1.3 * stated_kmh && !speed_is_ceiling, "its speed")
            };
            if bad {
                cx.push(
                    FindingCode::ImpliedSpeed,
                    Severity::High,
                    format!(
                        "The trip's own figures give an average of {} km/h, which does not fit {} of {} stated for it.",
                        fmt_num(implied),
                        relation,
                        q.text
                    ),
                    vec![cx.span_of(trip.distance), cx.span_of(trip.duration), cx.span_of(i)],
                    format!(
                        "{arithmetic}; stated: {} = {} km/h",
                        q.text,
                        fmt_num(stated_kmh)
                    ),
                );
            }
        }
    }
}
