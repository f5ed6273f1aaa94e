//! Regressions from the hand-annotated news sets (`sift eval quantities --news`):
//! each test is a mistake found by reading the errors on real articles, rewritten in
//! our own words.

use super::*;

fn q(text: &str) -> Vec<Quantity> {
    extract(&Document::from_text(text))
}

/// Quantities that are not dates or times (the news protocol leaves those out).
fn numbers(text: &str) -> Vec<Quantity> {
    q(text)
        .into_iter()
        .filter(|x| !matches!(x.dimension.as_str(), "date" | "time"))
        .collect()
}

#[test]
fn slash_names_are_not_fractions() {
    assert!(numbers("They met after the 9/11 attacks and worked 24/7.").is_empty());
    let half = q("The pipe is 1/2 inch wide.");
    assert!(
        half.iter().any(|x| (x.value - 0.5).abs() < 1e-9),
        "{half:?}"
    );
}

#[test]
fn the_second_day_of_a_date_range_is_part_of_the_date() {
    for text in [
        "The poll was conducted from Sept. 19 to 22, by telephone.",
        "The shower peaks between December 11 and 21.",
        "Rockets were fired on November 10-13, 2012, officials said.",
    ] {
        let got = numbers(text);
        assert!(got.is_empty(), "{text}: {got:#?}");
    }
    // a full date after «по» is its own date, and a count after "and" stays a count
    let ru = q("Заявки принимали с 1 февраля по 15 марта.");
    assert_eq!(
        ru.iter().filter(|x| x.dimension == "date").count(),
        2,
        "{ru:#?}"
    );
    let people = numbers("On May 5 and 6 people were hurt.");
    assert_eq!(people.len(), 1, "{people:#?}");
}

#[test]
fn us_dates_with_hyphens_and_abbreviated_russian_months_are_dates() {
    assert!(numbers("Processing date: 06-22-2017.").is_empty());
    assert!(numbers("МОСКВА, 20 июн – РИА Новости.").is_empty());
    assert!(numbers("Встреча назначена на 3 дек. в Москве.").is_empty());
    // A month name that runs on into a longer word is no month: five lighthouses.
    let lighthouses = numbers("На побережье стоят 5 маяков.");
    assert_eq!(lighthouses.len(), 1, "{lighthouses:#?}");
    assert_eq!(lighthouses[0].value, 5.0);
}

#[test]
fn phone_numbers_links_handles_and_codes_are_not_quantities() {
    for text in [
        "Call the hotline (800-273-8255) at any time.",
        "Call (202) 456-1111 for details.",
        "See https://t.co/92mOg1XNqu and pic.twitter.com/4IXGNAfSem for video.",
        "Follow @10News for updates.",
        "The subvariant ВА.2.75 is close to ВА.4 and ВА.5.",
    ] {
        let got = numbers(text);
        assert!(got.is_empty(), "{text}: {got:#?}");
    }
}

#[test]
fn russian_ordinals_with_a_hyphenated_m_are_not_metres() {
    let got = numbers("Страна опустилась с 60-м места на 120-м.");
    assert!(got.iter().all(|x| x.dimension != "length"), "{got:#?}");
    let m = numbers("Высота стены 60 м.");
    assert_eq!(m[0].dimension, "length");
}

#[test]
fn a_decimal_after_a_comma_is_read_whole() {
    let got = numbers("Курс составил 73,6824 рубля за доллар.");
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!((got[0].value - 73.6824).abs() < 1e-9);
    assert_eq!(got[0].si_unit.as_deref(), Some("RUB"));
    let en = numbers("The company hired 14,000 workers.");
    assert!((en[0].value - 14000.0).abs() < 1e-9);
}

#[test]
fn ages_after_a_name_and_age_ranges() {
    let got = numbers("Officer Eric Joering, 39, and Anthony Morelli, 54, were killed.");
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got.iter().all(|x| x.dimension == "age"), "{got:#?}");
    let range = numbers("Fifteen men and five women, ages ranging 18-61, were arrested.");
    let r = range.iter().find(|x| x.low == Some(18.0)).expect("range");
    assert_eq!(r.dimension, "age");
    let between = numbers("All were men between the ages of 20 and 53.");
    assert_eq!(between[0].dimension, "age", "{between:#?}");
    // not after a lowercase word, and not a count with a noun
    let plain = numbers("In total, 39, not 40, were counted.");
    assert!(plain.iter().all(|x| x.dimension != "age"), "{plain:#?}");
}

#[test]
fn a_fall_from_one_figure_to_another_is_not_a_range() {
    let got = numbers("Снижение температуры (с 20 до 18) экономит энергию.");
    assert_eq!(got.len(), 2, "{got:#?}");
    assert_eq!(got[0].value, 20.0);
    assert_eq!(got[1].value, 18.0);
    let up = numbers("Prices rose from 5 to 7 dollars.");
    assert!(!up.is_empty());
}

#[test]
fn way_compounds_count_nothing() {
    assert!(numbers("Among likely voters in a four-way race, the lead held.").is_empty());
    assert!(numbers("It is a two-way street.").is_empty());
}

#[test]
fn currency_adjectives_name_the_currency() {
    let got = numbers("Пакет помощи превышает 285 миллионов австралийских долларов.");
    assert_eq!(got[0].si_unit.as_deref(), Some("AUD"), "{got:#?}");
    assert!((got[0].value - 285e6).abs() < 1.0);
}

#[test]
fn vague_amounts_read_as_their_multiplier() {
    let cases: [(&str, f64); 8] = [
        ("It left hundreds of thousands of people displaced.", 1e5),
        ("Dozens of rooms were hit.", 12.0),
        ("Hundreds of migrants arrived.", 100.0),
        ("Currently, several thousand migrants are in the city.", 1e3),
        ("They got tens of millions from donors.", 1e7),
        ("Мигранты сотнями тысяч хлынули в Европу.", 1e5),
        (
            "Компания потеряла несколько десятков миллионов долларов.",
            1e7,
        ),
        ("Пришли тысячи людей.", 1e3),
    ];
    for (text, value) in cases {
        let got = numbers(text);
        assert_eq!(got.len(), 1, "{text}: {got:#?}");
        assert!((got[0].value - value).abs() < 1e-6, "{text}: {got:#?}");
        assert!(got[0].approx, "{text}");
    }
    let half = numbers("Nearly half the money came from 62 donors.");
    assert!(
        half.iter().any(|x| x.value == 0.5 && !x.approx),
        "{half:#?}"
    );
    // a figure before the word makes it a multiplier, read once
    let three = numbers("Пришли 3 тысячи человек.");
    assert_eq!(three.len(), 1, "{three:#?}");
    assert!((three[0].value - 3000.0).abs() < 1e-6);
    // "half" as a modifier of a noun is no amount
    assert!(numbers("He ran the half marathon.").is_empty());
    // Whole words only, checked without `\b`: inside a longer word is no amount, and a
    // phrase right after such a word is still found.
    assert!(numbers("The Billionsworth fund and thousandsfold gains.").is_empty());
    let after = numbers("Megadozens, hundreds of people came.");
    assert_eq!(after.len(), 1, "{after:#?}");
    assert_eq!(after[0].value, 100.0);
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

#[test]
fn vague_amounts_take_the_unit_after_them() {
    let cases: [(&str, f64, &str); 5] = [
        ("Прививки приносят миллиарды рублей.", 1e9, "RUB"),
        ("Справка подорожает с примерно тысячи рублей.", 1e3, "RUB"),
        ("The fund spent millions of dollars on ads.", 1e6, "USD"),
        ("Growth was half a percentage point lower.", 0.5, "pp"),
        ("Беженцы прошли сотни километров.", 1e2, "m"),
    ];
    for (text, value, si) in cases {
        let got = numbers(text);
        assert_eq!(got.len(), 1, "{text}: {got:#?}");
        assert!(near(got[0].value, value), "{text}: {got:#?}");
        assert_eq!(got[0].si_unit.as_deref(), Some(si), "{text}: {got:#?}");
    }
    // a noun that is no unit stays out of the span
    let people = numbers("Thousands of people came.");
    assert_eq!(people[0].unit, None, "{people:#?}");
}

#[test]
fn ranges_with_a_minus_sign_and_a_scale_in_words() {
    let rub = numbers("Цена снизилась с 1,9 тыс. рублей до 850−870 рублей за два компонента.");
    let r = rub.iter().find(|x| x.low.is_some()).expect("range");
    assert_eq!((r.low, r.high), (Some(850.0), Some(870.0)), "{rub:#?}");
    assert_eq!(r.si_unit.as_deref(), Some("RUB"));
    let bn = numbers("Четыре контракта в районе 7−7,7 млрд рублей.");
    let r = bn.iter().find(|x| x.low.is_some()).expect("range");
    assert!(
        near(r.low.unwrap(), 7e9) && near(r.high.unwrap(), 7.7e9),
        "{bn:#?}"
    );
    let words = numbers("Цена вырастет до полутора-двух тысяч.");
    let r = words.iter().find(|x| x.low.is_some()).expect("range");
    assert_eq!((r.low, r.high), (Some(1500.0), Some(2000.0)), "{words:#?}");
    // a small figure before a larger word numeral keeps its own value
    let apart = numbers("От пяти до двух тысяч человек.");
    assert!(apart.iter().all(|x| x.low != Some(5000.0)), "{apart:#?}");
}

#[test]
fn a_year_a_spaced_dash_and_a_count_are_no_range() {
    let got = numbers("Случаев кори (2017 год – 4782 случая, 2018 – 52 349 случаев).");
    assert!(got.iter().any(|x| x.value == 52349.0), "{got:#?}");
    assert!(got.iter().all(|x| x.low.is_none()), "{got:#?}");
    // a price range that starts below the years is still a range
    let price = numbers("Штраф составит 1000 – 5000 рублей.");
    assert!(price.iter().any(|x| x.low == Some(1000.0)), "{price:#?}");
}

#[test]
fn russian_collective_numerals_count() {
    let got = numbers(
        "Заболели 12 детей, шестеро из которых привиты, четверо – нет, и только двое ребят.",
    );
    let values: Vec<f64> = got.iter().map(|x| x.value).collect();
    assert_eq!(values, vec![12.0, 6.0, 4.0, 2.0], "{got:#?}");
}

#[test]
fn a_number_and_a_half() {
    let got = numbers("Доход вырос почти в два с половиной раза.");
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].value, 2.5);
    let years = numbers("Он провёл там 3 с половиной года.");
    assert_eq!(years[0].value, 3.5, "{years:#?}");
    assert_eq!(years[0].unit.as_deref(), Some("года"));
}

#[test]
fn russian_measure_adjectives_hyphenated_and_fused() {
    let cases: [(&str, f64, &str); 6] = [
        ("Погиб 6-месячный ребенок.", 6.0, "age"),
        ("После гибели шестимесячной девочки.", 6.0, "age"),
        ("Ему вручили двадцатипятилетний контракт.", 25.0, "age"),
        ("Начался трёхдневный визит.", 3.0, "duration"),
        ("Прошла 3-дневная операция.", 3.0, "duration"),
        ("Объявлен двухнедельного карантин.", 2.0, "duration"),
    ];
    for (text, value, dim) in cases {
        let got = numbers(text);
        assert_eq!(got.len(), 1, "{text}: {got:#?}");
        assert_eq!(got[0].value, value, "{text}: {got:#?}");
        assert_eq!(got[0].dimension, dim, "{text}: {got:#?}");
    }
    let month = numbers("Погиб шестимесячный мальчик.");
    assert!(near(month[0].si_value.unwrap(), 0.5), "{month:#?}");
    // words that only start like a numeral are no compounds
    assert!(numbers("На столе лежали семена, семинар для одноклассников и пятилетка.").is_empty());
}

#[test]
fn roubles_and_kopecks_are_one_amount() {
    let got = numbers("Цена 866 рублей 81 копейки за два компонента.");
    let money: Vec<&Quantity> = got.iter().filter(|x| x.dimension == "money").collect();
    assert_eq!(money.len(), 1, "{got:#?}");
    assert!(near(money[0].value, 866.81), "{got:#?}");
    assert_eq!(money[0].text, "866 рублей 81 копейки");
}

#[test]
fn ordinal_ranges_day_ranges_links_and_centuries_are_not_quantities() {
    for text in [
        "Вакцина используется для 3 – 6-ой прививки.",
        "По данным ЦОЗ, с 13 по 19 мая продолжилась эпидемия.",
        "The festival runs 13-19 May.",
        "Читайте http://example.org/view?id=12112 целиком.",
        "Иммунитет от заразы 21 века, как в 5 веке.",
    ] {
        let got = numbers(text);
        assert!(got.is_empty(), "{text}: {got:#?}");
    }
    // a count of centuries is a quantity
    let centuries = numbers("Прошло 10 веков.");
    assert_eq!(centuries.len(), 1, "{centuries:#?}");
}
