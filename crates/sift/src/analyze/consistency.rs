//! The consistency engine: arithmetic checks between an article's figures and
//! the words around them.
//!
//! Every check pairs figures conservatively (precision over recall): figures of
//! one event must share a sentence (or a clause chain in one paragraph), carry
//! the cue words of their role (a travel verb and a duration cue for a trip, a
//! "total"/"budget" cue for a whole), and any ambiguity (two candidate distances,
//! a distance *from* something, a speed *limit*) drops the check rather than
//! guessing. Each finding quotes every figure and word involved and spells out
//! the arithmetic.

use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::quantities::{clause_head, clause_tail, days_from_civil, weekday_of, MACH_MPS};
use crate::document::{Document, Span};
use crate::report::{Finding, FindingCode, FindingKind, Quantity, Report, Severity};

/// Speed of light in vacuum, m/s.
const LIGHT_MPS: f64 = 299_792_458.0;

fn re(s: &str) -> Regex {
    Regex::new(s).expect("consistency regex")
}

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

static WHOLE_CUE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:budget|total|totall?ing|overall|in all|altogether|fund|package|programme|program|of the|всего|общ\p{L}*|бюджет\p{L}*|итого|в целом|в общей сложности|из)\b)",
    )
});

static WHOLE_CUE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:in total|in all|altogether|overall|budget|всего|в общей сложности|в целом)\b")
});

static PART_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:earmarked|allocated|set aside|goes to|go to|going to|spent on|for|including|of which|were|was|are|выделен\p{L}*|пойд\p{L}*|направ\p{L}*|потрат\p{L}*|на|в том числе|из них|составил\p{L}*|приход\p{L}*|ответил\p{L}*|answered|said|chose|выбрал\p{L}*|сказал\p{L}*)\b",
    )
});

static PART_NESTED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:of them|of these|of those|among them|among|из них|из которых|среди них|среди|including|в том числе|last year|previous|compared|than|from|up from|down from|в прошлом году|по сравнению|чем|против)\b",
    )
});

static POLL_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:support\p{L}*|oppos\p{L}*|back\p{L}*|favou?r\p{L}*|against|undecided|unsure|don't know|respondents?|voted|vote|votes|approve\p{L}*|disapprove\p{L}*|polled|surveyed|поддерж\p{L}*|против|затрудн\p{L}*|не определил\p{L}*|опрошенн\p{L}*|респондент\p{L}*|проголосова\p{L}*|высказал\p{L}*|одобря\p{L}*|выступа\p{L}*|голос\p{L}*)\b",
    )
});

static SHARES_NOT_ONE_WHOLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:each|both|respectively|more than one|multiple|several answers|turnout|compared|previous|last year|earlier|up from|down from|rose|fell|increase\p{L}*|decrease\p{L}*|growth|grew|declin\p{L}*|несколько вариантов|соответственно|явк\p{L}*|по сравнению|ранее|в прошлом|рост\p{L}*|снижени\p{L}*|вырос\p{L}*|снизил\p{L}*|увелич\p{L}*|сократил\p{L}*)\b",
    )
});

static PERCENT_CHANGE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:by|up|down|from|to|rose|fell|grew|increased|decreased|на|с|до|от)\s*(?:about\s+|nearly\s+|около\s+|почти\s+)?)$",
    )
});

static GROUP_AFTER_PERCENT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*of\s+(?:the\s+|all\s+)?(?P<g>\p{L}+)"));

static CHANGE_UP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:rose|risen|rise|rises|grew|grown|increased|increase|jumped|climbed|soared|surged|went up|gained|raised|doubled|tripled|quadrupled|вырос\p{L}*|выросл\p{L}*|увеличил\p{L}*|увеличен\p{L}*|возрос\p{L}*|подорожал\p{L}*|повысил\p{L}*|повышен\p{L}*|рост\p{L}*)\b",
    )
});

static CHANGE_DOWN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:fell|fallen|fall|dropped|declined|decreased|slipped|shrank|shrunk|plunged|cut|reduced|lowered|went down|halved|сократил\p{L}*|сокращен\p{L}*|снизил\p{L}*|снижен\p{L}*|упал\p{L}*|уменьшил\p{L}*|уменьшен\p{L}*|подешевел\p{L}*|опустил\p{L}*|спад\p{L}*)\b",
    )
});

static MULTIPLE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?P<w>doubled|tripled|trebled|quadrupled|halved|twofold|threefold|fourfold|fivefold|tenfold|вдвое|втрое|вчетверо|впятеро|вдесятеро)\b|\bв\s+(?P<n>два|две|три|четыре|пять|десять|\d+(?:[.,]\d+)?|полтора)\s+раза?\b|\b(?P<n2>two|three|four|five|ten|\d+)\s+times\b",
    )
});

static FROM_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:\bfrom|\bс|\bсо|\bот)\s*(?:\p{Sc}|US\$)?\s*$"));

static TO_BETWEEN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:\p{Sc}\s*)?(?:to|до)\s*(?:\p{Sc}|US\$)?\s*$"));

static STATED_PERCENT_CONTEXT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:an?|by|up|down|of|на|или|т\.\s?е\.|то есть|что составляет|т\.е\.)\s*(?:about\s+|nearly\s+|almost\s+|roughly\s+|около\s+|почти\s+|примерно\s+)?|\(\s*[+−-]?\s*)$",
    )
});

static RANGE_GAP: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:-|–|—|to|until|till|through|thru|and|по|до)\s*(?:the\s+)?$"));

static RANGE_OPEN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:\bfrom|\bbetween|\bс|\bсо)\s*(?:the\s+)?(?:\p{L}+,?\s+)?$"));

static START_VERB: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:began|begun|started|opened|launched|commenced|начал\p{L}*|стартовал\p{L}*|открыл\p{L}*|открыт\p{L}*)\b",
    )
});

static END_VERB: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:ended|finished|closed|concluded|completed|завершил\p{L}*|закончил\p{L}*|окончил\p{L}*|закрыл\p{L}*|закрыт\p{L}*|завершен\p{L}*|завершён\p{L}*)\b",
    )
});

static BORN_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\bborn(?:\s+(?:in|on))?|\bродил\p{L}*(?:\s+в)?|\bрождения|\bb\.|\bр\.)\s*(?:the\s+)?$",
    )
});

static SHARE_GROUP_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:of\s+(?:the\s+|all\s+)?(?:population|respondents|voters|residents|people|citizens|adults|students|workers|employees|households|children|women|men|those\s+(?:polled|surveyed|asked)|participants|electorate|members|patients|americans|russians|britons|the\s+vote)\b|(?:населения|опрошенных|избирателей|жителей|граждан|россиян|респондентов|участников|голосов|сотрудников|работников|студентов|детей|женщин|мужчин|пациентов|взрослых)\b)",
    )
});

fn sentence_of(doc: &Document, q: &Quantity) -> Option<usize> {
    doc.sentence_at(q.start)
}

/// Format a number for the arithmetic: grouped thousands, sensible precision.
pub fn fmt_num(x: f64) -> String {
    let ax = x.abs();
    let s = if ax >= 100.0 {
        format!("{:.0}", x)
    } else if ax >= 10.0 {
        let r = format!("{:.1}", x);
        r.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        let r = format!("{:.2}", x);
        r.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    group_thousands(&s)
}

fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map(|r| ("-", r)).unwrap_or(("", s));
    let (int, frac) = rest
        .split_once('.')
        .map(|(a, b)| (a, Some(b)))
        .unwrap_or((rest, None));
    if int.len() <= 3 {
        return s.to_string();
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

struct Ctx<'a> {
    doc: &'a Document,
    text: &'a str,
    qs: &'a [Quantity],
    /// Sentence index per quantity.
    sent: Vec<Option<usize>>,
    findings: Vec<Finding>,
}

impl<'a> Ctx<'a> {
    fn byte(&self, c: usize) -> usize {
        self.doc.byte_of(c)
    }
    /// Up to `n` bytes of text before char `c`, on a char boundary, within its sentence.
    fn before(&self, c: usize, n: usize) -> &'a str {
        let b = self.byte(c);
        let floor = self
            .doc
            .sentence_at(c)
            .map(|s| self.byte(self.doc.sentences[s].start))
            .unwrap_or(0);
        let mut from = b.saturating_sub(n).max(floor);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        &self.text[from..b]
    }
    /// Up to `n` bytes of text after char `c`.
    fn after(&self, c: usize, n: usize) -> &'a str {
        let b = self.byte(c);
        let mut to = (b + n).min(self.text.len());
        while !self.text.is_char_boundary(to) {
            to -= 1;
        }
        &self.text[b..to]
    }
    fn between(&self, a: usize, b: usize) -> &'a str {
        if a >= b {
            return "";
        }
        &self.text[self.byte(a)..self.byte(b)]
    }
    fn sentence_text(&self, s: usize) -> &'a str {
        let sp = self.doc.sentences[s];
        &self.text[self.byte(sp.start)..self.byte(sp.end)]
    }
    fn sentence_span(&self, s: usize) -> Span {
        self.doc.sentences[s]
    }
    fn paragraph_of_sentence(&self, s: usize) -> Option<usize> {
        self.doc.paragraph_at(self.doc.sentences[s].start)
    }
    fn in_sentence(&self, s: usize) -> Vec<usize> {
        let span = self.doc.sentences[s];
        let lo = self.qs.partition_point(|q| q.start < span.start);
        let hi = self.qs.partition_point(|q| q.start < span.end);
        (lo..hi.max(lo))
            .filter(|&i| self.sent[i] == Some(s))
            .collect()
    }
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
    fn push(
        &mut self,
        code: FindingCode,
        severity: Severity,
        message: String,
        mut evidence: Vec<Span>,
        computation: String,
    ) {
        evidence.sort();
        evidence.dedup();
        // One finding per code and evidence set.
        if self
            .findings
            .iter()
            .any(|f| f.code == code && f.evidence == evidence)
        {
            return;
        }
        self.findings.push(Finding {
            kind: FindingKind::Inconsistency,
            code,
            severity,
            message,
            evidence,
            computation: Some(computation),
        });
    }
    fn span_of(&self, i: usize) -> Span {
        Span::new(self.qs[i].start, self.qs[i].end)
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

fn check_implied_speed(cx: &mut Ctx) {
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

/// The clause-final part of `s`, at most `n` bytes.
fn tail_within(s: &str, n: usize) -> &str {
    let t = clause_tail(s);
    let mut from = t.len().saturating_sub(n);
    while !t.is_char_boundary(from) {
        from += 1;
    }
    &t[from..]
}

/// The clause-initial part of `s`, at most `n` bytes.
fn head_within(s: &str, n: usize) -> &str {
    let mut to = n.min(s.len());
    while !s.is_char_boundary(to) {
        to -= 1;
    }
    &s[..to]
}

/// Up to 30 bytes before a figure, within its clause and after any other number.
fn whole_cue_window(s: &str) -> &str {
    let t = tail_within(s, 60);
    match t.rfind(|c: char| c.is_ascii_digit()) {
        Some(p) => &t[p + 1..],
        None => t,
    }
}

fn trim_to_boundary(s: &str) -> &str {
    let mut i = 0;
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    &s[i..]
}

fn same_measure(a: &Quantity, b: &Quantity) -> bool {
    if a.dimension != b.dimension {
        return false;
    }
    match a.dimension.as_str() {
        "money" => a.si_unit == b.si_unit,
        "count" => true,
        _ => a.si_unit == b.si_unit && a.si_unit.is_some(),
    }
}

fn measure_value(q: &Quantity) -> f64 {
    match q.dimension.as_str() {
        "count" | "number" => q.value,
        _ => q.si_value.unwrap_or(q.value),
    }
}

fn check_parts_vs_whole(cx: &mut Ctx) {
    for w in 0..cx.qs.len() {
        let wq = &cx.qs[w];
        if !matches!(wq.dimension.as_str(), "money" | "count") || wq.low.is_some() {
            continue;
        }
        if wq.bound.is_some() || wq.approx {
            continue;
        }
        let Some(ws) = cx.sent[w] else { continue };
        let pre = cx.before(wq.start, 50);
        let whole_cue = WHOLE_CUE_BEFORE.is_match(whole_cue_window(pre))
            || WHOLE_CUE_AFTER.is_match(clause_head(head_within(cx.after(wq.end, 40), 30)));
        if !whole_cue {
            continue;
        }
        // Parts: later quantities of the same measure in this sentence or the next one
        // of the same paragraph, listed side by side.
        let mut parts: Vec<usize> = Vec::new();
        for p in (w + 1)..cx.qs.len() {
            let pq = &cx.qs[p];
            let Some(ps) = cx.sent[p] else { break };
            if ps > ws + 1 {
                break;
            }
            let comparable = same_measure(wq, pq)
                || (wq.dimension == "count" && pq.dimension == "number" && pq.value.fract() == 0.0);
            if !comparable {
                if pq.dimension == wq.dimension {
                    // another currency in the list: not parts of this whole
                    parts.clear();
                    break;
                }
                continue;
            }
            if pq.low.is_some() || pq.bound.is_some() {
                parts.clear();
                break;
            }
            parts.push(p);
        }
        if parts.len() < 2 {
            continue;
        }
        let whole = measure_value(wq);
        if parts.iter().any(|&p| measure_value(&cx.qs[p]) >= whole) {
            continue;
        }
        // Side by side: nothing between the parts says "of them", "last year", "than"...
        let mut ok = true;
        let span_text = cx.between(wq.end, cx.qs[*parts.last().expect("parts")].end);
        if PART_NESTED.is_match(span_text) {
            ok = false;
        }
        if !PART_CUE.is_match(span_text) {
            ok = false;
        }
        // A part that is itself a new whole ("a $3bn fund, of which ...") stops the chain.
        let mut prev_end = cx.qs[parts[0]].end;
        for &p in &parts[1..] {
            let lead = cx.between(prev_end, cx.qs[p].start).to_lowercase();
            if [
                "budget",
                "total",
                "бюджет",
                "всего",
                "of which",
                "из которых",
            ]
            .iter()
            .any(|w| lead.contains(w))
            {
                ok = false;
            }
            prev_end = cx.qs[p].end;
        }
        if !ok {
            continue;
        }
        let sum: f64 = parts.iter().map(|&p| measure_value(&cx.qs[p])).sum();
        let tolerance = whole * 0.005;
        if sum > whole + tolerance {
            let sev = if sum > whole * 1.1 {
                Severity::High
            } else {
                Severity::Medium
            };
            let terms: Vec<String> = parts.iter().map(|&p| cx.qs[p].text.clone()).collect();
            let mut evidence = vec![cx.span_of(w)];
            evidence.extend(parts.iter().map(|&p| cx.span_of(p)));
            let unit = if wq.dimension == "money" {
                format!(" {}", wq.si_unit.clone().unwrap_or_default())
            } else {
                String::new()
            };
            cx.push(
                FindingCode::PartsExceedWhole,
                sev,
                format!(
                    "The parts add up to more than the stated total of {}.",
                    wq.text
                ),
                evidence,
                format!(
                    "{} = {}{} > {} ({}{})",
                    terms.join(" + "),
                    fmt_num(sum),
                    unit,
                    wq.text,
                    fmt_num(whole),
                    unit
                ),
            );
        }
    }
}

fn check_shares(cx: &mut Ctx) {
    let n_sent = cx.doc.sentences.len();
    // Percentages per sentence, counted once (most sentences have none).
    let mut pct_count = vec![0usize; n_sent];
    for (i, q) in cx.qs.iter().enumerate() {
        if q.dimension == "percentage" {
            if let Some(s) = cx.sent[i] {
                pct_count[s] += 1;
            }
        }
    }
    let mut s = 0;
    while s < n_sent {
        if pct_count[s] == 0 {
            s += 1;
            continue;
        }
        // A group: this sentence, plus following sentences of the same paragraph
        // that carry percentages and a poll cue.
        let mut group_sents = vec![s];
        let para = cx.paragraph_of_sentence(s);
        let mut nxt = s + 1;
        while nxt < n_sent
            && pct_count[nxt] > 0
            && cx.paragraph_of_sentence(nxt) == para
            && POLL_CUE.is_match(cx.sentence_text(nxt))
            && POLL_CUE.is_match(cx.sentence_text(s))
        {
            group_sents.push(nxt);
            nxt += 1;
        }
        let total: usize = group_sents.iter().map(|&g| pct_count[g]).sum();
        if total < 2 {
            s = nxt;
            continue;
        }
        let text_all: String = group_sents
            .iter()
            .map(|&g| cx.sentence_text(g))
            .collect::<Vec<_>>()
            .join(" ");
        let pcts: Vec<usize> = group_sents
            .iter()
            .flat_map(|&g| cx.in_sentence(g))
            .filter(|&i| cx.qs[i].dimension == "percentage")
            .collect();
        s = nxt;
        if pcts.len() < 2
            || !POLL_CUE.is_match(&text_all)
            || SHARES_NOT_ONE_WHOLE.is_match(&text_all)
        {
            continue;
        }
        let mut ok = true;
        let mut groups: Vec<String> = Vec::new();
        for &i in &pcts {
            let q = &cx.qs[i];
            if q.low.is_some() || q.bound.is_some() || q.value < 0.0 || q.value > 100.0 {
                ok = false;
            }
            if PERCENT_CHANGE_BEFORE.is_match(cx.before(q.start, 25)) {
                ok = false;
            }
            if let Some(c) = GROUP_AFTER_PERCENT.captures(cx.after(q.end, 30)) {
                groups.push(c["g"].to_lowercase());
            }
        }
        groups.sort();
        groups.dedup();
        if groups.len() > 1 || !ok {
            continue;
        }
        let sum: f64 = pcts.iter().map(|&i| cx.qs[i].value).sum();
        let rounding = 0.5 * pcts.len() as f64;
        if sum > 100.0 + rounding.max(1.0) {
            let terms: Vec<String> = pcts
                .iter()
                .map(|&i| format!("{} %", fmt_num(cx.qs[i].value)))
                .collect();
            let sev = if sum > 110.0 {
                Severity::High
            } else {
                Severity::Medium
            };
            cx.push(
                FindingCode::SharesSum,
                sev,
                "Shares of one group add up to more than 100 %.".into(),
                pcts.iter().map(|&i| cx.span_of(i)).collect(),
                format!(
                    "{} = {} % > 100 % (rounding allows at most {} %)",
                    terms.join(" + "),
                    fmt_num(sum),
                    fmt_num(100.0 + rounding.max(1.0))
                ),
            );
        }
    }
}

fn word_factor(w: &str) -> Option<f64> {
    Some(match w.to_lowercase().as_str() {
        "два" | "две" | "two" | "twofold" | "doubled" | "вдвое" => 2.0,
        "три" | "three" | "threefold" | "tripled" | "trebled" | "втрое" => 3.0,
        "четыре" | "four" | "fourfold" | "quadrupled" | "вчетверо" => 4.0,
        "пять" | "five" | "fivefold" | "впятеро" => 5.0,
        "десять" | "ten" | "tenfold" | "вдесятеро" => 10.0,
        "полтора" => 1.5,
        "halved" => 0.5,
        other => other.replace(',', ".").parse().ok()?,
    })
}

fn check_changes(cx: &mut Ctx) {
    for a in 0..cx.qs.len() {
        if a + 1 >= cx.qs.len() {
            break;
        }
        let b = a + 1;
        let (aq, bq) = (&cx.qs[a], &cx.qs[b]);
        let Some(s) = cx.sent[a] else { continue };
        if cx.sent[b] != Some(s) {
            continue;
        }
        if !FROM_BEFORE.is_match(cx.before(aq.start, 20))
            || !TO_BETWEEN.is_match(cx.between(aq.end, bq.start))
        {
            continue;
        }
        let comparable = same_measure(aq, bq)
            || (aq.dimension == "number" && bq.unit.is_some() && bq.dimension != "date")
            || (aq.dimension == "number" && bq.dimension == "number");
        if !comparable || matches!(aq.dimension.as_str(), "date" | "time") {
            continue;
        }
        // Values in one measure: a bare "from 2 to 3 million" takes b's multiplier.
        let (va, vb) = if aq.dimension == bq.dimension {
            (measure_value(aq), measure_value(bq))
        } else {
            // "from 120 to 150 million roubles": a bare start takes the end's multiplier.
            let written = leading_number(&bq.text).unwrap_or(bq.value);
            let multiplier = if written != 0.0
                && aq
                    .text
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{00A0}'))
            {
                bq.value / written
            } else {
                1.0
            };
            let ratio = if bq.value.abs() > 0.0 {
                measure_value(bq) / bq.value
            } else {
                1.0
            };
            (aq.value * multiplier * ratio, measure_value(bq))
        };
        if va == 0.0 {
            continue;
        }
        let sentence = cx.sentence_text(s);
        let sent_start = cx.sentence_span(s).start;
        let pre_from = cx.between(sent_start, aq.start);
        let up = CHANGE_UP.is_match(pre_from);
        let down = CHANGE_DOWN.is_match(pre_from);
        if !(up ^ down) {
            continue;
        }
        let computed = (vb - va) / va * 100.0;
        let mut evidence_base = vec![cx.span_of(a), cx.span_of(b)];
        let arithmetic_base = format!(
            "({} − {}) / {} = {}{} %",
            fmt_num(vb),
            fmt_num(va),
            fmt_num(va),
            if computed > 0.0 { "+" } else { "" },
            fmt_num(computed)
        );
        // Direction words against the figures.
        if (up && vb < va) || (down && vb > va) {
            let verb = if up {
                CHANGE_UP.find(pre_from)
            } else {
                CHANGE_DOWN.find(pre_from)
            };
            let verb_span = verb.map(|m| {
                let base = cx.byte(sent_start);
                cx.doc.span_of_bytes(base + m.start(), base + m.end())
            });
            let mut ev = evidence_base.clone();
            ev.extend(verb_span);
            cx.push(
                FindingCode::ChangeMismatch,
                Severity::High,
                format!(
                    "The text says the figure {} but it goes from {} to {}.",
                    if up { "rose" } else { "fell" },
                    aq.text,
                    bq.text
                ),
                ev,
                arithmetic_base.clone(),
            );
            continue;
        }
        // A stated percentage change in the same sentence (not a or b).
        for p in 0..cx.qs.len() {
            if p == a || p == b || cx.sent[p] != Some(s) {
                continue;
            }
            let pq = &cx.qs[p];
            let points = pq.dimension == "percentage_points";
            if pq.dimension != "percentage" && !points {
                continue;
            }
            if pq.low.is_some() {
                continue;
            }
            if !STATED_PERCENT_CONTEXT_BEFORE.is_match(cx.before(pq.start, 25))
                && !cx
                    .after(pq.end, 25)
                    .to_lowercase()
                    .trim_start()
                    .starts_with(|c: char| c.is_alphabetic())
            {
                continue;
            }
            let stated = pq.value.abs();
            let candidates: Vec<f64> = if aq.dimension == "percentage" {
                if points {
                    vec![(vb - va).abs()]
                } else {
                    vec![computed.abs(), (vb - va).abs()]
                }
            } else if points {
                continue;
            } else {
                vec![computed.abs()]
            };
            let tol = (0.05 * stated).max(1.0);
            if candidates.iter().all(|c| (c - stated).abs() > tol) {
                evidence_base.push(cx.span_of(p));
                let sev = if candidates.iter().all(|c| (c - stated).abs() > 3.0 * tol) {
                    Severity::High
                } else {
                    Severity::Medium
                };
                cx.push(
                    FindingCode::ChangeMismatch,
                    sev,
                    format!(
                        "The stated change of {} does not match the figures {} → {}.",
                        pq.text, aq.text, bq.text
                    ),
                    evidence_base.clone(),
                    format!(
                        "{arithmetic_base}, not {}{}",
                        fmt_num(stated),
                        if points { " percentage points" } else { " %" }
                    ),
                );
                evidence_base.pop();
            }
        }
        // Multiples: doubled, tripled, halved, «в два раза», «вдвое», "three times".
        let base = cx.byte(cx.sentence_span(s).start);
        for c in MULTIPLE_WORD.captures_iter(sentence) {
            let m = c.get(0).expect("m");
            let w = c
                .name("w")
                .or_else(|| c.name("n"))
                .or_else(|| c.name("n2"))
                .map(|x| x.as_str())
                .unwrap_or("");
            let Some(mut factor) = word_factor(w) else {
                continue;
            };
            if factor == 1.0 || factor <= 0.0 {
                continue;
            }
            let lower = w.to_lowercase();
            // "halved" is ½; Russian «в два раза»/«вдвое» with a falling verb is ½ too.
            if down && factor > 1.0 && lower != "halved" {
                factor = 1.0 / factor;
            }
            let ratio = vb / va;
            if (ratio / factor - 1.0).abs() > 0.1 {
                let wspan = cx.doc.span_of_bytes(base + m.start(), base + m.end());
                let mut ev = evidence_base.clone();
                ev.push(wspan);
                cx.push(
                    FindingCode::ChangeMismatch,
                    Severity::High,
                    format!(
                        "'{}' does not match the figures {} → {}.",
                        m.as_str(),
                        aq.text,
                        bq.text
                    ),
                    ev,
                    format!(
                        "{} / {} = ×{}, not ×{}",
                        fmt_num(vb),
                        fmt_num(va),
                        fmt_num(ratio),
                        fmt_num(factor)
                    ),
                );
            }
        }
    }
}

/// The first number written in digits in `s` ("150 млн руб." → 150).
fn leading_number(s: &str) -> Option<f64> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let digits: String = s[start..]
        .chars()
        .take_while(|c| {
            c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{00A0}' | '\u{202F}')
        })
        .filter(|c| !matches!(c, ' ' | '\u{00A0}' | '\u{202F}'))
        .collect();
    let digits = digits.trim_end_matches(['.', ',']);
    let normal = if digits.matches(',').count() == 1 && !digits.contains('.') {
        let frac = digits.split(',').nth(1).unwrap_or("");
        if frac.len() == 3 {
            digits.replace(',', "")
        } else {
            digits.replace(',', ".")
        }
    } else {
        digits.replace(',', "")
    };
    normal.parse().ok()
}

fn parse_iso(d: &str) -> Option<(Option<i64>, u32, u32)> {
    if let Some(rest) = d.strip_prefix("--") {
        let (m, dd) = rest.split_once('-')?;
        return Some((None, m.parse().ok()?, dd.parse().ok()?));
    }
    let mut it = d.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let dd: u32 = it.next()?.parse().ok()?;
    Some((Some(y), m, dd))
}

fn reference_year(
    cx: &Ctx,
    report_published: Option<&str>,
    para: Option<usize>,
) -> Option<(i64, u32, u32)> {
    if let Some(p) = report_published {
        if let Some((Some(y), m, d)) = parse_iso(p.get(..10).unwrap_or(p)) {
            return Some((y, m, d));
        }
    }
    // A dateline or a full date in the first paragraph or the age's paragraph.
    for (i, q) in cx.qs.iter().enumerate() {
        if q.dimension != "date" {
            continue;
        }
        let Some(s) = cx.sent[i] else { continue };
        let p = cx.paragraph_of_sentence(s);
        if p != Some(0) && p != para {
            continue;
        }
        if BORN_BEFORE.is_match(cx.before(q.start, 20)) {
            continue;
        }
        if let Some((Some(y), m, d)) = q.date.as_deref().and_then(parse_iso) {
            return Some((y, m, d));
        }
    }
    None
}

fn check_calendar(cx: &mut Ctx, published: Option<&str>) {
    // The year for dates written without one: the publication year, else the one
    // year every full date in the article shares.
    let doc_year: Option<i64> = published
        .and_then(|p| p.get(..4))
        .and_then(|y| y.parse().ok());
    // Without a publication date a yearless date has no safe year: articles mix
    // the present with the history they recount.
    // a. weekday vs date
    for i in 0..cx.qs.len() {
        let q = &cx.qs[i];
        let (Some(wd), Some(d)) = (q.weekday.as_deref(), q.date.as_deref()) else {
            continue;
        };
        let Some((y, m, dd)) = parse_iso(d) else {
            continue;
        };
        let Some(y) = y.or(doc_year) else { continue };
        let actual = weekday_of(y, m, dd);
        if actual != wd {
            cx.push(
                FindingCode::WeekdayMismatch,
                Severity::Medium,
                format!("{} is a {}, not a {}.", q.text, actual, wd),
                vec![cx.span_of(i)],
                format!("{y:04}-{m:02}-{dd:02} falls on a {actual}; the text says {wd}"),
            );
        }
    }
    // b. end before start: "from D1 to D2", "с D1 по D2", "2019–2017"; began D1 … ended D2.
    for a in 0..cx.qs.len().saturating_sub(1) {
        let b = a + 1;
        let (aq, bq) = (&cx.qs[a], &cx.qs[b]);
        if aq.dimension != "date" || bq.dimension != "date" {
            continue;
        }
        let (Some(da), Some(db)) = (aq.date.as_deref(), bq.date.as_deref()) else {
            continue;
        };
        let gap = cx.between(aq.end, bq.start);
        let dash = matches!(gap.trim(), "-" | "–" | "—");
        if !(RANGE_GAP.is_match(gap) && (dash || RANGE_OPEN.is_match(cx.before(aq.start, 30)))) {
            continue;
        }
        if let Some(order) = date_order(da, db, doc_year) {
            if order == std::cmp::Ordering::Greater {
                cx.push(
                    FindingCode::EndBeforeStart,
                    Severity::High,
                    format!(
                        "The period ends ({}) before it starts ({}).",
                        bq.text, aq.text
                    ),
                    vec![cx.span_of(a), cx.span_of(b)],
                    format!("{} is later than {}", da, db),
                );
            }
        }
    }
    let starts: Vec<usize> = (0..cx.qs.len())
        .filter(|&i| {
            cx.qs[i].dimension == "date" && START_VERB.is_match(cx.before(cx.qs[i].start, 40))
        })
        .collect();
    let ends: Vec<usize> = (0..cx.qs.len())
        .filter(|&i| {
            cx.qs[i].dimension == "date" && END_VERB.is_match(cx.before(cx.qs[i].start, 40))
        })
        .collect();
    if starts.len() == 1 && ends.len() == 1 {
        let (a, b) = (starts[0], ends[0]);
        // Same or adjacent sentence: farther apart they may be different events.
        let near = matches!((cx.sent[a], cx.sent[b]), (Some(x), Some(y)) if x.abs_diff(y) <= 1);
        if near && a != b {
            if let (Some(da), Some(db)) = (cx.qs[a].date.as_deref(), cx.qs[b].date.as_deref()) {
                if date_order(da, db, doc_year) == Some(std::cmp::Ordering::Greater) {
                    cx.push(
                        FindingCode::EndBeforeStart,
                        Severity::High,
                        format!(
                            "It ends ({}) before it starts ({}).",
                            cx.qs[b].text, cx.qs[a].text
                        ),
                        vec![cx.span_of(a), cx.span_of(b)],
                        format!("start {} is later than end {}", da, db),
                    );
                }
            }
        }
    }
    // c. age vs birth date.
    for bi in 0..cx.qs.len() {
        let bq = &cx.qs[bi];
        if bq.dimension != "date" || !BORN_BEFORE.is_match(cx.before(bq.start, 25)) {
            continue;
        }
        let Some((Some(by), bm, bd)) = bq
            .date
            .as_deref()
            .and_then(|d| parse_iso(d).or_else(|| d.parse::<i64>().ok().map(|y| (Some(y), 0, 0))))
        else {
            continue;
        };
        let Some(bs) = cx.sent[bi] else { continue };
        let para = cx.paragraph_of_sentence(bs);
        let ages: Vec<usize> = (0..cx.qs.len())
            .filter(|&i| {
                cx.qs[i].dimension == "age"
                    && cx.sent[i].is_some_and(|s| s + 1 >= bs && s <= bs + 1)
            })
            .collect();
        if ages.len() != 1 {
            continue;
        }
        let ai = ages[0];
        let age = cx.qs[ai].si_value.unwrap_or(cx.qs[ai].value);
        let Some((ry, rm, rd)) = reference_year(cx, published, para) else {
            continue;
        };
        let mut expected = (ry - by) as f64;
        let birthday_known = bm > 0;
        if birthday_known && (rm, rd) < (bm, bd) {
            expected -= 1.0;
        }
        let ok = if birthday_known {
            (age - expected).abs() < 0.5
        } else {
            age >= expected - 1.0 && age <= expected
        };
        if !ok && age >= 0.0 {
            cx.push(
                FindingCode::AgeBirthMismatch,
                Severity::Medium,
                format!(
                    "The stated age ({}) does not fit the birth date ({}).",
                    cx.qs[ai].text, bq.text
                ),
                vec![cx.span_of(ai), cx.span_of(bi)],
                format!(
                    "born {}, reference date {ry:04}-{rm:02}-{rd:02} → age {}, not {}",
                    bq.date.clone().unwrap_or_default(),
                    if birthday_known {
                        fmt_num(expected)
                    } else {
                        format!("{}–{}", fmt_num(expected - 1.0), fmt_num(expected))
                    },
                    fmt_num(age)
                ),
            );
        }
    }
}

/// Order of two ISO-ish dates; `None` when they cannot be compared safely.
fn date_order(a: &str, b: &str, doc_year: Option<i64>) -> Option<std::cmp::Ordering> {
    let key = |d: &str| -> Option<(Option<i64>, u32, u32)> {
        if let Some(p) = parse_iso(d) {
            return Some(p);
        }
        if let Some((y, m)) = d.split_once('-') {
            return Some((y.parse().ok(), m.parse().ok()?, 0));
        }
        d.parse::<i64>().ok().map(|y| (Some(y), 0, 0))
    };
    let (ya, ma, da) = key(a)?;
    let (yb, mb, db) = key(b)?;
    match (ya, yb) {
        (Some(ya), Some(yb)) => {
            if ya != yb {
                return Some(ya.cmp(&yb));
            }
            if ma == 0 || mb == 0 {
                return None;
            }
            Some((ma, da).cmp(&(mb, db)))
        }
        (None, None) => {
            // "from December 20 to January 5" crosses a year: only a same-month
            // pair can be compared without one.
            if ma != mb {
                let _ = doc_year;
                return None;
            }
            Some(da.cmp(&db))
        }
        (Some(y), None) | (None, Some(y)) => {
            let _ = y;
            None
        }
    }
}

fn check_physical(cx: &mut Ctx) {
    for i in 0..cx.qs.len() {
        let q = &cx.qs[i];
        match q.dimension.as_str() {
            "percentage"
                if q.value > 100.0
                    && q.low.is_none()
                    && SHARE_GROUP_AFTER.is_match(cx.after(q.end, 40))
                    && !CHANGE_UP.is_match(cx.before(q.start, 40))
                    && !CHANGE_DOWN.is_match(cx.before(q.start, 40)) =>
            {
                cx.push(
                    FindingCode::ShareOver100,
                    Severity::High,
                    format!("A share of a group cannot be {}.", q.text),
                    vec![cx.span_of(i)],
                    format!(
                        "{} % > 100 %: a part cannot exceed its whole",
                        fmt_num(q.value)
                    ),
                );
            }
            "duration" if q.value < 0.0 => {
                cx.push(
                    FindingCode::NegativeDuration,
                    Severity::High,
                    format!("A duration cannot be negative: {}.", q.text),
                    vec![cx.span_of(i)],
                    format!("{} < 0", q.text),
                );
            }
            "speed" if q.si_value.is_some_and(|v| v > LIGHT_MPS) => {
                cx.push(
                    FindingCode::FasterThanLight,
                    Severity::High,
                    format!("{} is faster than light.", q.text),
                    vec![cx.span_of(i)],
                    format!(
                        "{} = {} km/s > 299,792 km/s (the speed of light)",
                        q.text,
                        fmt_num(q.si_value.unwrap_or(0.0) / 1000.0)
                    ),
                );
            }
            "temperature" if q.si_value.is_some_and(|v| v < -0.01) => {
                cx.push(
                    FindingCode::BelowAbsoluteZero,
                    Severity::High,
                    format!("{} is below absolute zero.", q.text),
                    vec![cx.span_of(i)],
                    format!(
                        "{} = {} K < 0 K",
                        q.text,
                        fmt_num(q.si_value.unwrap_or(0.0))
                    ),
                );
            }
            _ => {}
        }
    }
}

/// Run every check over the document's quantities.
pub fn analyze(doc: &Document, report: &Report) -> Vec<Finding> {
    check(doc, &report.quantities, report.source.published.as_deref())
}

/// The checks, given the quantities (as the quantities layer found them) and the
/// publication date if known (`YYYY-MM-DD…`).
pub fn check(doc: &Document, quantities: &[Quantity], published: Option<&str>) -> Vec<Finding> {
    if quantities.is_empty() {
        return Vec::new();
    }
    let sent = quantities.iter().map(|q| sentence_of(doc, q)).collect();
    let mut cx = Ctx {
        doc,
        text: doc.text(),
        qs: quantities,
        sent,
        findings: Vec::new(),
    };
    check_implied_speed(&mut cx);
    check_parts_vs_whole(&mut cx);
    check_shares(&mut cx);
    check_changes(&mut cx);
    check_calendar(&mut cx, published);
    check_physical(&mut cx);
    let _ = days_from_civil;
    cx.findings
}

/// The consistency layer: arithmetic checks over the quantities.
pub struct ConsistencyLayer;

impl crate::pipeline::Layer for ConsistencyLayer {
    fn name(&self) -> &'static str {
        "consistency"
    }
    fn requires(&self) -> &'static [&'static str] {
        &["quantities"]
    }
    fn run(&self, doc: &Document, report: &mut Report) {
        let findings = analyze(doc, report);
        report.findings.extend(findings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::quantities;

    fn findings(text: &str) -> Vec<Finding> {
        let doc = Document::from_text(text);
        let qs = quantities::extract(&doc);
        check(&doc, &qs, None)
    }

    fn codes(text: &str) -> Vec<String> {
        findings(text)
            .into_iter()
            .map(|f| f.code.to_string())
            .collect()
    }

    #[test]
    fn hypersonic_missile_too_slow() {
        let t = "The missile traveled 14,000 kilometers and remained airborne for 15 hours.\nAnalysts called it a hypersonic missile.";
        let f = findings(t);
        assert_eq!(f.len(), 1, "{f:#?}");
        let c = f[0].computation.clone().unwrap_or_default();
        assert!(c.contains("14,000 km / 15 h = 933 km/h ≈ Mach 0.76"), "{c}");
        assert!(
            c.contains("'hypersonic' means ≥ Mach 5 ≈ 6,100 km/h"),
            "{c}"
        );
    }

    #[test]
    fn distance_from_a_ship_is_not_a_trip() {
        let t = "The capsule splashed down 300 km from the ship after a descent of 20 minutes. The hypersonic capsule was recovered.";
        assert!(codes(t).is_empty());
    }

    #[test]
    fn speed_limit_is_not_a_speed() {
        let t = "The train covered 600 km in 4 hours, although the speed limit on the line is 120 km/h.";
        assert!(codes(t).is_empty(), "{:?}", findings(t));
    }

    #[test]
    fn parts_and_shares_and_changes() {
        assert_eq!(
            codes("The $4.2 billion budget includes $2.5 billion earmarked for roads and $2.1 billion for schools."),
            vec!["parts-exceed-whole"]
        );
        assert_eq!(
            codes("In the poll, 48% supported the plan, 41% opposed it and 19% were undecided."),
            vec!["shares-sum"]
        );
        assert_eq!(
            codes("Revenue rose from $200 million to $250 million, a 40% increase."),
            vec!["change-mismatch"]
        );
        assert!(
            codes("Revenue rose from $200 million to $250 million, a 25% increase.").is_empty()
        );
        assert_eq!(
            codes("Цены выросли в два раза: со 100 до 150 рублей."),
            vec!["change-mismatch"]
        );
    }

    #[test]
    fn calendar_checks() {
        assert_eq!(
            codes("The summit opened on Friday, October 27, 2025."),
            vec!["weekday-mismatch"]
        );
        assert!(codes("The summit opened on Monday, October 27, 2025.").is_empty());
        assert_eq!(
            codes("Выставка пройдёт с 15 марта 2024 года по 10 марта 2024 года."),
            vec!["end-before-start"]
        );
    }

    #[test]
    fn physical_sanity() {
        assert_eq!(
            codes("Some 120% of voters backed him."),
            vec!["share-over-100"]
        );
        assert!(codes("Exports grew 120% of last year's level.").is_empty());
        assert_eq!(
            codes("The probe reached 400,000 km/s."),
            vec!["faster-than-light"]
        );
    }

    #[test]
    fn fmt_num_groups_and_rounds() {
        assert_eq!(fmt_num(14000.0), "14,000");
        assert_eq!(fmt_num(933.333), "933");
        assert_eq!(fmt_num(0.7624), "0.76");
        assert_eq!(fmt_num(15.0), "15");
        assert_eq!(fmt_num(1234.0), "1,234");
    }
}
