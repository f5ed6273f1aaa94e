use super::*;
use crate::analyze::calendar::weekday_of;

fn q(text: &str) -> Vec<Quantity> {
    extract(&Document::from_text(text))
}

fn one(text: &str) -> Quantity {
    let all = q(text);
    assert_eq!(
        all.len(),
        1,
        "expected one quantity in {text:?}, got {all:#?}"
    );
    all.into_iter().next().expect("one")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

#[test]
fn digits_with_grouping_and_units() {
    let x = one("The missile traveled 14,000 kilometers.");
    assert_eq!(x.text, "14,000 kilometers");
    assert!(close(x.value, 14000.0));
    assert_eq!(x.dimension, "length");
    assert!(close(x.si_value.expect("si"), 14e6));
    let y = one("Ракета пролетела 14\u{00A0}000 километров.");
    assert!(close(y.value, 14000.0));
    assert_eq!(y.si_unit.as_deref(), Some("m"));
    let z = one("Температура 1,5 градуса.");
    assert!(close(z.value, 1.5), "{z:?}");
}

#[test]
fn money_with_multipliers_and_codes() {
    let x = one("The budget is $4.2 billion this year.");
    assert!(close(x.value, 4.2e9));
    assert_eq!(x.si_unit.as_deref(), Some("USD"));
    assert_eq!(x.text, "$4.2 billion");
    let y = one("Бюджет составит 4,2 млрд руб.");
    assert!(close(y.value, 4.2e9), "{y:?}");
    assert_eq!(y.si_unit.as_deref(), Some("RUB"));
    let z = one("It raised 2.4bn euros.");
    assert!(close(z.value, 2.4e9));
    assert_eq!(z.si_unit.as_deref(), Some("EUR"));
}

#[test]
fn number_words_in_both_languages() {
    let x = one("It flew for fifteen hours.");
    assert!(close(x.value, 15.0));
    assert!(close(x.si_value.expect("si"), 54000.0));
    let y = one("Полёт длился пятнадцать часов.");
    assert!(close(y.si_value.expect("si"), 54000.0), "{y:?}");
    assert!(close(one("They bought two dozen eggs.").value, 24.0));
    assert!(close(one("A quarter of voters agreed.").value, 0.25));
    assert!(close(one("Собрали полторы тысячи подписей.").value, 1500.0));
    assert!(close(
        one("Пришло двести тридцать пять человек.").value,
        235.0
    ));
    assert!(close(
        one("около трёхсот пятидесяти километров").value,
        350.0
    ));
    assert!(close(
        one("It cost two hundred and fifty thousand dollars.").value,
        250000.0
    ));
}

#[test]
fn speeds_and_mach() {
    let x = one("It reached Mach 5 over the sea.");
    assert_eq!(x.dimension, "speed");
    assert!(close(x.si_value.expect("si"), 5.0 * MACH_MPS));
    let y = one("Поезд идёт со скоростью 300 км/ч.");
    assert_eq!(y.dimension, "speed");
    assert!(close(y.si_value.expect("si"), 300.0 / 3.6));
    assert_eq!(one("The ship made 30 knots.").dimension, "speed");
}

#[test]
fn ranges_bounds_and_approximations() {
    let x = one("The front moved 10–15 km overnight.");
    assert_eq!((x.low, x.high), (Some(10.0), Some(15.0)));
    assert_eq!(x.dimension, "length");
    let y = one("Осадки составят от 5 до 7 мм.");
    assert_eq!((y.low, y.high), (Some(5.0), Some(7.0)), "{y:?}");
    let z = one("More than 2,000 respondents took part.");
    assert_eq!(z.dimension, "count");
    let w = one("The tour lasts up to 3 hours.");
    assert_eq!(w.bound.as_deref(), Some("upper"));
    let a = one("Погибли около 40 человек.");
    assert!(a.approx, "{a:?}");
}

#[test]
fn change_from_to_is_two_figures_not_a_range() {
    let all = q("Sales rose from 200 to 300 units.");
    assert_eq!(all.len(), 2, "{all:#?}");
}

#[test]
fn lists_share_the_last_unit() {
    let all = q("Wells at 5, 7 and 9 km depth.");
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|x| x.dimension == "length"), "{all:#?}");
}

#[test]
fn dates_with_weekdays_and_years() {
    let all = q("On Monday, October 27, 2025, the talks began. В пятницу, 13 марта 2020 года.");
    let dates: Vec<_> = all.iter().filter(|x| x.dimension == "date").collect();
    assert_eq!(dates.len(), 2, "{all:#?}");
    assert_eq!(dates[0].date.as_deref(), Some("2025-10-27"));
    assert_eq!(dates[0].weekday.as_deref(), Some("Monday"));
    assert_eq!(dates[1].date.as_deref(), Some("2020-03-13"));
    assert_eq!(dates[1].weekday.as_deref(), Some("Friday"));
    assert_eq!(weekday_of(2025, 10, 27), "Monday");
}

#[test]
fn percentages_and_points() {
    let x = one("Support fell 3 percentage points.");
    assert_eq!(x.dimension, "percentage_points");
    let y = one("Рост составил 12,5%.");
    assert_eq!(y.dimension, "percentage");
    assert!(close(y.value, 12.5));
}

#[test]
fn codes_and_pronouns_are_not_quantities() {
    assert!(q("Flight MH17 and the F-35 program; no one of them.").is_empty());
    assert!(q("One of the officials said so.").is_empty());
}

#[test]
fn ages() {
    let x = one("A 45-year-old man was detained.");
    assert_eq!(x.dimension, "age");
    assert!(close(x.value, 45.0));
    let y = one("She was five years old.");
    assert_eq!(y.dimension, "age", "{y:?}");
    let z = one("Мужчина в возрасте 45 лет.");
    assert_eq!(z.dimension, "age", "{z:?}");
}

#[test]
fn negative_and_temperature() {
    let x = one("It was −3 °C at dawn.");
    assert!(close(x.value, -3.0), "{x:?}");
    assert_eq!(x.dimension, "temperature");
    assert!(close(x.si_value.expect("si"), 270.15));
}

#[test]
fn a_full_stop_is_not_part_of_a_span() {
    assert_eq!(one("The bridge cost $5 million.").text, "$5 million");
    assert_eq!(one("Мост обошёлся в 5 млн.").text, "5 млн");
    assert_eq!(one("Выделено 5 млн. руб. на ремонт").text, "5 млн. руб.");
}
