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
    let t =
        "The train covered 600 km in 4 hours, although the speed limit on the line is 120 km/h.";
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
    assert!(codes("Revenue rose from $200 million to $250 million, a 25% increase.").is_empty());
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

/// Issue 13: thousands of trips used to be weighed against every sentence (~10 s for
/// 200 KB). The checks are linear now; the bound is generous for a debug build.
#[test]
fn many_trips_are_checked_in_linear_time() {
    for sentence in [
        "It flew 9 km in 1 hour. ",
        "The hypersonic missile flew 9 km in 1 hour. ",
        "He was born on 1 May 1990 and is 30 years old. ",
    ] {
        let text = sentence.repeat(200_000 / sentence.len());
        let doc = Document::from_text(&text);
        let qs = quantities::extract(&doc);
        assert!(qs.len() >= 8_000, "{} quantities", qs.len());
        let started = std::time::Instant::now();
        let found = check(&doc, &qs, None);
        let took = started.elapsed();
        assert!(took.as_secs_f64() < 2.0, "{sentence:?}: {took:?}");
        if sentence.contains("hypersonic") {
            assert!(!found.is_empty(), "the capped trips are still checked");
        }
    }
}

#[test]
fn one_speed_word_twice_is_one_finding_citing_both() {
    let text = "The hypersonic missile flew 9,000 km in 12 hours. \
                Officials again called the missile hypersonic.";
    let found = findings(text);
    let speed: Vec<&Finding> = found
        .iter()
        .filter(|f| f.code == FindingCode::ImpliedSpeed)
        .collect();
    assert_eq!(speed.len(), 1, "{found:#?}");
    assert_eq!(
        speed[0].evidence.len(),
        4,
        "distance, duration, two mentions"
    );
}

#[test]
fn a_language_label_does_not_change_how_digits_read() {
    let text = "The missile flew 9,000 kilometres in 12 hours, and it was called hypersonic.";
    let mut doc = Document::from_text(text);
    doc.language.code = "ru".into();
    let qs = quantities::extract(&doc);
    let distance = qs
        .iter()
        .find(|q| q.dimension == "length")
        .expect("distance");
    assert_eq!(distance.si_value, Some(9_000_000.0));
}

#[test]
fn shares_sum_needs_answers_to_one_question() {
    let poll = "In the poll, 52% of respondents said they support the tax, 39% oppose it \
                and 17% are undecided.";
    assert_eq!(codes(poll), vec!["shares-sum"]);
    for clean in [
        "The poll found 59% disapprove of the mayor, and 74% said the city is on the wrong track.",
        "Democrats back it 89%-6%, while Republicans oppose it 59%-28%.",
        "She won women (61%), nonwhite voters (67%) and older voters (90%).",
    ] {
        assert!(codes(clean).is_empty(), "{clean}: {:?}", codes(clean));
    }
}

#[test]
fn a_part_larger_than_its_whole() {
    assert_eq!(
        codes("The party gained 318 of the 50 seats."),
        vec!["x-of-n"]
    );
    assert_eq!(
        codes("Проверку прошли 30 из 25 лабораторий."),
        vec!["x-of-n"]
    );
    assert!(codes("The party won 31 of the 50 seats.").is_empty());
}
