//! Quantities with units, normalised to SI (money to an ISO 4217 code).
//!
//! The extractor is a deterministic scanner, English and Russian:
//! 1. dates, times and years are found first (regexes compiled once), and their
//!    spans are reserved so their digits are not read again as bare numbers;
//! 2. numerals in digits (`14,000`, `14 000` with NBSP/thin spaces, `1,5`, `−3`,
//!    `2.4bn`) and in words (`fifteen`, `two dozen`, `a quarter`, `пятнадцать`,
//!    `полтора`, `тысяча`, Russian numerals in every case) become number tokens;
//! 3. each number token takes the words around it: a currency or `Mach` before it,
//!    a multiplier (`million`, `млрд`) and a unit after it (a lexicon of surface
//!    forms, Russian ones matched by stem so `километр/километра/километров` all
//!    resolve), approximation and bound words before it, a range partner after it;
//! 4. lists (`5, 7 and 9 km`) pass the last unit back to the bare numbers before it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Document, Span, TokenKind};
use crate::report::{Quantity, Report};

/// What the lexicon knows about a unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitInfo {
    /// Canonical unit name (`kilometre`, `hour`, `USD`).
    pub canonical: &'static str,
    /// One of the dimension names used in [`Quantity::dimension`].
    pub dimension: &'static str,
    /// `si = value * factor + offset`.
    pub factor: f64,
    pub offset: f64,
    /// SI unit, or ISO 4217 code for money, or `%`/`pp`/`year`.
    pub si_unit: &'static str,
}

/// Speed of sound used for Mach numbers (ISA sea level), m/s.
pub const MACH_MPS: f64 = 340.29;

macro_rules! u {
    ($pat:expr, $canon:expr, $dim:expr, $factor:expr, $si:expr) => {
        ($pat, $canon, $dim, $factor as f64, 0.0f64, $si)
    };
    ($pat:expr, $canon:expr, $dim:expr, $factor:expr, $offset:expr, $si:expr) => {
        ($pat, $canon, $dim, $factor as f64, $offset as f64, $si)
    };
}

/// Surface forms → units. Pattern words are separated by spaces; a word ending in
/// `*` matches by stem (up to four more letters: Russian case endings), one ending
/// in `?` takes an optional English plural `s`/`es`; any other word matches exactly.
/// Symbols (`/`, `°`, `%`, `²`, `.`) are words of their own.
#[rustfmt::skip]
type UnitRow = (&'static str, &'static str, &'static str, f64, f64, &'static str);
#[rustfmt::skip]
static UNIT_TABLE: &[UnitRow] = &[
    // speed (before length and duration so "km/h" wins over "km")
    u!("km / h", "kilometre per hour", "speed", 1.0 / 3.6, "m/s"),
    u!("km / hr", "kilometre per hour", "speed", 1.0 / 3.6, "m/s"),
    u!("kmh", "kilometre per hour", "speed", 1.0 / 3.6, "m/s"),
    u!("kph", "kilometre per hour", "speed", 1.0 / 3.6, "m/s"),
    u!("kilometer? per hour", "kilometre per hour", "speed", 1.0 / 3.6, "m/s"),
    u!("kilometre? per hour", "kilometre per hour", "speed", 1.0 / 3.6, "m/s"),
    u!("kilometer? an hour", "kilometre per hour", "speed", 1.0 / 3.6, "m/s"),
    u!("kilometre? an hour", "kilometre per hour", "speed", 1.0 / 3.6, "m/s"),
    u!("км / ч", "kilometre per hour", "speed", 1.0 / 3.6, "m/s"),
    u!("км / час", "kilometre per hour", "speed", 1.0 / 3.6, "m/s"),
    u!("километр* в час", "kilometre per hour", "speed", 1.0 / 3.6, "m/s"),
    u!("mph", "mile per hour", "speed", 0.44704, "m/s"),
    u!("mile? per hour", "mile per hour", "speed", 0.44704, "m/s"),
    u!("mile? an hour", "mile per hour", "speed", 0.44704, "m/s"),
    u!("мил* в час", "mile per hour", "speed", 0.44704, "m/s"),
    u!("m / s", "metre per second", "speed", 1.0, "m/s"),
    u!("meter? per second", "metre per second", "speed", 1.0, "m/s"),
    u!("metre? per second", "metre per second", "speed", 1.0, "m/s"),
    u!("м / с", "metre per second", "speed", 1.0, "m/s"),
    u!("метр* в секунду", "metre per second", "speed", 1.0, "m/s"),
    u!("km / s", "kilometre per second", "speed", 1000.0, "m/s"),
    u!("kilometer? per second", "kilometre per second", "speed", 1000.0, "m/s"),
    u!("kilometre? per second", "kilometre per second", "speed", 1000.0, "m/s"),
    u!("км / с", "kilometre per second", "speed", 1000.0, "m/s"),
    u!("километр* в секунду", "kilometre per second", "speed", 1000.0, "m/s"),
    u!("knot?", "knot", "speed", 0.514444, "m/s"),
    u!("kn", "knot", "speed", 0.514444, "m/s"),
    u!("kt", "knot", "speed", 0.514444, "m/s"),
    u!("узл*", "knot", "speed", 0.514444, "m/s"),
    u!("узел", "knot", "speed", 0.514444, "m/s"),
    u!("mach", "mach", "speed", MACH_MPS, "m/s"),
    u!("мах*", "mach", "speed", MACH_MPS, "m/s"),
    // area (before length)
    u!("km ²", "square kilometre", "area", 1e6, "m2"),
    u!("km 2", "square kilometre", "area", 1e6, "m2"),
    u!("sq km", "square kilometre", "area", 1e6, "m2"),
    u!("sq . km", "square kilometre", "area", 1e6, "m2"),
    u!("square kilometer?", "square kilometre", "area", 1e6, "m2"),
    u!("square kilometre?", "square kilometre", "area", 1e6, "m2"),
    u!("км ²", "square kilometre", "area", 1e6, "m2"),
    u!("кв . км", "square kilometre", "area", 1e6, "m2"),
    u!("квадратн* километр*", "square kilometre", "area", 1e6, "m2"),
    u!("m ²", "square metre", "area", 1.0, "m2"),
    u!("m 2", "square metre", "area", 1.0, "m2"),
    u!("sq m", "square metre", "area", 1.0, "m2"),
    u!("square meter?", "square metre", "area", 1.0, "m2"),
    u!("square metre?", "square metre", "area", 1.0, "m2"),
    u!("м ²", "square metre", "area", 1.0, "m2"),
    u!("кв . м", "square metre", "area", 1.0, "m2"),
    u!("квадратн* метр*", "square metre", "area", 1.0, "m2"),
    u!("square mile?", "square mile", "area", 2_589_988.11, "m2"),
    u!("sq mi", "square mile", "area", 2_589_988.11, "m2"),
    u!("square feet", "square foot", "area", 0.092903, "m2"),
    u!("square foot", "square foot", "area", 0.092903, "m2"),
    u!("sq ft", "square foot", "area", 0.092903, "m2"),
    u!("hectare?", "hectare", "area", 1e4, "m2"),
    u!("ha", "hectare", "area", 1e4, "m2"),
    u!("гектар*", "hectare", "area", 1e4, "m2"),
    u!("га", "hectare", "area", 1e4, "m2"),
    u!("acre?", "acre", "area", 4046.856, "m2"),
    // volume
    u!("m ³", "cubic metre", "volume", 1.0, "m3"),
    u!("m 3", "cubic metre", "volume", 1.0, "m3"),
    u!("cubic meter?", "cubic metre", "volume", 1.0, "m3"),
    u!("cubic metre?", "cubic metre", "volume", 1.0, "m3"),
    u!("м ³", "cubic metre", "volume", 1.0, "m3"),
    u!("куб . м", "cubic metre", "volume", 1.0, "m3"),
    u!("кубометр*", "cubic metre", "volume", 1.0, "m3"),
    u!("кубическ* метр*", "cubic metre", "volume", 1.0, "m3"),
    u!("liter?", "litre", "volume", 1e-3, "m3"),
    u!("litre?", "litre", "volume", 1e-3, "m3"),
    u!("l", "litre", "volume", 1e-3, "m3"),
    u!("литр*", "litre", "volume", 1e-3, "m3"),
    u!("л", "litre", "volume", 1e-3, "m3"),
    u!("milliliter?", "millilitre", "volume", 1e-6, "m3"),
    u!("millilitre?", "millilitre", "volume", 1e-6, "m3"),
    u!("ml", "millilitre", "volume", 1e-6, "m3"),
    u!("миллилитр*", "millilitre", "volume", 1e-6, "m3"),
    u!("мл", "millilitre", "volume", 1e-6, "m3"),
    u!("gallon?", "gallon", "volume", 3.785_41e-3, "m3"),
    u!("barrel?", "barrel", "volume", 0.158_987, "m3"),
    u!("баррел*", "barrel", "volume", 0.158_987, "m3"),
    u!("cubic feet", "cubic foot", "volume", 0.028_316_8, "m3"),
    // length
    u!("km", "kilometre", "length", 1000.0, "m"),
    u!("kms", "kilometre", "length", 1000.0, "m"),
    u!("kilometer?", "kilometre", "length", 1000.0, "m"),
    u!("kilometre?", "kilometre", "length", 1000.0, "m"),
    u!("км", "kilometre", "length", 1000.0, "m"),
    u!("километр*", "kilometre", "length", 1000.0, "m"),
    u!("m", "metre", "length", 1.0, "m"),
    u!("meter?", "metre", "length", 1.0, "m"),
    u!("metre?", "metre", "length", 1.0, "m"),
    u!("м", "metre", "length", 1.0, "m"),
    u!("метр*", "metre", "length", 1.0, "m"),
    u!("cm", "centimetre", "length", 0.01, "m"),
    u!("centimeter?", "centimetre", "length", 0.01, "m"),
    u!("centimetre?", "centimetre", "length", 0.01, "m"),
    u!("см", "centimetre", "length", 0.01, "m"),
    u!("сантиметр*", "centimetre", "length", 0.01, "m"),
    u!("mm", "millimetre", "length", 0.001, "m"),
    u!("millimeter?", "millimetre", "length", 0.001, "m"),
    u!("millimetre?", "millimetre", "length", 0.001, "m"),
    u!("мм", "millimetre", "length", 0.001, "m"),
    u!("миллиметр*", "millimetre", "length", 0.001, "m"),
    u!("nm", "nanometre", "length", 1e-9, "m"),
    u!("dm", "decimetre", "length", 0.1, "m"),
    u!("decimeter?", "decimetre", "length", 0.1, "m"),
    u!("decimetre?", "decimetre", "length", 0.1, "m"),
    u!("дм", "decimetre", "length", 0.1, "m"),
    u!("дециметр*", "decimetre", "length", 0.1, "m"),
    u!("ярд*", "yard", "length", 0.9144, "m"),
    u!("nanometer?", "nanometre", "length", 1e-9, "m"),
    u!("µm", "micrometre", "length", 1e-6, "m"),
    u!("μm", "micrometre", "length", 1e-6, "m"),
    u!("micrometer?", "micrometre", "length", 1e-6, "m"),
    u!("micron?", "micrometre", "length", 1e-6, "m"),
    u!("mile?", "mile", "length", 1609.344, "m"),
    u!("mi", "mile", "length", 1609.344, "m"),
    u!("nautical mile?", "nautical mile", "length", 1852.0, "m"),
    u!("морск* мил*", "nautical mile", "length", 1852.0, "m"),
    u!("мил*", "mile", "length", 1609.344, "m"),
    u!("foot", "foot", "length", 0.3048, "m"),
    u!("feet", "foot", "length", 0.3048, "m"),
    u!("ft", "foot", "length", 0.3048, "m"),
    u!("фут*", "foot", "length", 0.3048, "m"),
    u!("inch?", "inch", "length", 0.0254, "m"),
    u!("дюйм*", "inch", "length", 0.0254, "m"),
    u!("yard?", "yard", "length", 0.9144, "m"),
    u!("yd", "yard", "length", 0.9144, "m"),
    u!("light - year?", "light year", "length", 9.4607e15, "m"),
    u!("light year?", "light year", "length", 9.4607e15, "m"),
    // duration
    u!("hour?", "hour", "duration", 3600.0, "s"),
    u!("hr?", "hour", "duration", 3600.0, "s"),
    u!("h", "hour", "duration", 3600.0, "s"),
    u!("час*", "hour", "duration", 3600.0, "s"),
    u!("ч", "hour", "duration", 3600.0, "s"),
    u!("minute?", "minute", "duration", 60.0, "s"),
    u!("min?", "minute", "duration", 60.0, "s"),
    u!("минут*", "minute", "duration", 60.0, "s"),
    u!("мин", "minute", "duration", 60.0, "s"),
    u!("second?", "second", "duration", 1.0, "s"),
    u!("sec?", "second", "duration", 1.0, "s"),
    u!("секунд*", "second", "duration", 1.0, "s"),
    u!("сек", "second", "duration", 1.0, "s"),
    u!("day?", "day", "duration", 86400.0, "s"),
    u!("дн*", "day", "duration", 86400.0, "s"),
    u!("день", "day", "duration", 86400.0, "s"),
    u!("сут*", "day", "duration", 86400.0, "s"),
    u!("week?", "week", "duration", 604800.0, "s"),
    u!("недел*", "week", "duration", 604800.0, "s"),
    u!("month?", "month", "duration", 2_629_800.0, "s"),
    u!("месяц*", "month", "duration", 2_629_800.0, "s"),
    u!("year?", "year", "duration", 31_557_600.0, "s"),
    u!("yr?", "year", "duration", 31_557_600.0, "s"),
    u!("лет", "year", "duration", 31_557_600.0, "s"),
    u!("год*", "year", "duration", 31_557_600.0, "s"),
    u!("decade?", "decade", "duration", 315_576_000.0, "s"),
    u!("century", "century", "duration", 3_155_760_000.0, "s"),
    u!("centuries", "century", "duration", 3_155_760_000.0, "s"),
    // mass
    u!("kg", "kilogram", "mass", 1.0, "kg"),
    u!("kilogram?", "kilogram", "mass", 1.0, "kg"),
    u!("kilogramme?", "kilogram", "mass", 1.0, "kg"),
    u!("кг", "kilogram", "mass", 1.0, "kg"),
    u!("килограмм*", "kilogram", "mass", 1.0, "kg"),
    u!("g", "gram", "mass", 1e-3, "kg"),
    u!("gram?", "gram", "mass", 1e-3, "kg"),
    u!("gramme?", "gram", "mass", 1e-3, "kg"),
    u!("г", "gram", "mass", 1e-3, "kg"),
    u!("грамм*", "gram", "mass", 1e-3, "kg"),
    u!("mg", "milligram", "mass", 1e-6, "kg"),
    u!("µg", "microgram", "mass", 1e-9, "kg"),
    u!("μg", "microgram", "mass", 1e-9, "kg"),
    u!("microgram?", "microgram", "mass", 1e-9, "kg"),
    u!("мкг", "microgram", "mass", 1e-9, "kg"),
    u!("микрограмм*", "microgram", "mass", 1e-9, "kg"),
    u!("milligram?", "milligram", "mass", 1e-6, "kg"),
    u!("мг", "milligram", "mass", 1e-6, "kg"),
    u!("миллиграмм*", "milligram", "mass", 1e-6, "kg"),
    u!("tonne?", "tonne", "mass", 1000.0, "kg"),
    u!("ton?", "tonne", "mass", 1000.0, "kg"),
    u!("metric ton?", "tonne", "mass", 1000.0, "kg"),
    u!("t", "tonne", "mass", 1000.0, "kg"),
    u!("тонн*", "tonne", "mass", 1000.0, "kg"),
    u!("т", "tonne", "mass", 1000.0, "kg"),
    u!("lbs", "pound", "mass", 0.453_592, "kg"),
    u!("lb", "pound", "mass", 0.453_592, "kg"),
    u!("pound?", "pound", "mass", 0.453_592, "kg"),
    u!("фунт*", "pound", "mass", 0.453_592, "kg"),
    u!("ounce?", "ounce", "mass", 0.028_349_5, "kg"),
    u!("oz", "ounce", "mass", 0.028_349_5, "kg"),
    // energy and power
    u!("kwh", "kilowatt hour", "energy", 3.6e6, "J"),
    u!("kilowatt - hour?", "kilowatt hour", "energy", 3.6e6, "J"),
    u!("kilowatt hour?", "kilowatt hour", "energy", 3.6e6, "J"),
    u!("квт · ч", "kilowatt hour", "energy", 3.6e6, "J"),
    u!("квт - ч", "kilowatt hour", "energy", 3.6e6, "J"),
    u!("квтч", "kilowatt hour", "energy", 3.6e6, "J"),
    u!("mwh", "megawatt hour", "energy", 3.6e9, "J"),
    u!("gwh", "gigawatt hour", "energy", 3.6e12, "J"),
    u!("twh", "terawatt hour", "energy", 3.6e15, "J"),
    u!("joule?", "joule", "energy", 1.0, "J"),
    u!("wh", "watt hour", "energy", 3600.0, "J"),
    u!("ev", "electronvolt", "energy", 1.602_176_634e-19, "J"),
    u!("kev", "kiloelectronvolt", "energy", 1.602_176_634e-16, "J"),
    u!("mev", "megaelectronvolt", "energy", 1.602_176_634e-13, "J"),
    u!("gev", "gigaelectronvolt", "energy", 1.602_176_634e-10, "J"),
    u!("tev", "teraelectronvolt", "energy", 1.602_176_634e-7, "J"),
    u!("electronvolt?", "electronvolt", "energy", 1.602_176_634e-19, "J"),
    u!("j", "joule", "energy", 1.0, "J"),
    u!("kj", "kilojoule", "energy", 1e3, "J"),
    u!("mj", "megajoule", "energy", 1e6, "J"),
    u!("джоул*", "joule", "energy", 1.0, "J"),
    u!("calorie?", "calorie", "energy", 4.184, "J"),
    u!("kcal", "kilocalorie", "energy", 4184.0, "J"),
    u!("ккал", "kilocalorie", "energy", 4184.0, "J"),
    u!("килокалори*", "kilocalorie", "energy", 4184.0, "J"),
    u!("калори*", "calorie", "energy", 4.184, "J"),
    u!("kiloton?", "kiloton TNT", "energy", 4.184e12, "J"),
    u!("килотонн*", "kiloton TNT", "energy", 4.184e12, "J"),
    u!("megaton?", "megaton TNT", "energy", 4.184e15, "J"),
    u!("мегатонн*", "megaton TNT", "energy", 4.184e15, "J"),
    u!("watt?", "watt", "power", 1.0, "W"),
    u!("w", "watt", "power", 1.0, "W"),
    u!("kw", "kilowatt", "power", 1e3, "W"),
    u!("kilowatt?", "kilowatt", "power", 1e3, "W"),
    u!("mw", "megawatt", "power", 1e6, "W"),
    u!("megawatt?", "megawatt", "power", 1e6, "W"),
    u!("gw", "gigawatt", "power", 1e9, "W"),
    u!("gigawatt?", "gigawatt", "power", 1e9, "W"),
    u!("ватт*", "watt", "power", 1.0, "W"),
    u!("вт", "watt", "power", 1.0, "W"),
    u!("квт", "kilowatt", "power", 1e3, "W"),
    u!("киловатт*", "kilowatt", "power", 1e3, "W"),
    u!("мвт", "megawatt", "power", 1e6, "W"),
    u!("мегаватт*", "megawatt", "power", 1e6, "W"),
    u!("гвт", "gigawatt", "power", 1e9, "W"),
    u!("гигаватт*", "gigawatt", "power", 1e9, "W"),
    u!("horsepower", "horsepower", "power", 745.7, "W"),
    u!("hp", "horsepower", "power", 745.7, "W"),
    u!("л . с", "horsepower", "power", 735.5, "W"),
    u!("лошадин* сил*", "horsepower", "power", 735.5, "W"),
    // temperature
    u!("° c", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("°c", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("℃", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("° f", "degree Fahrenheit", "temperature", 5.0 / 9.0, 255.372_222, "K"),
    u!("°f", "degree Fahrenheit", "temperature", 5.0 / 9.0, 255.372_222, "K"),
    u!("℉", "degree Fahrenheit", "temperature", 5.0 / 9.0, 255.372_222, "K"),
    u!("degree? celsius", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("degree? centigrade", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("degree? c", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("deg celsius", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("deg c", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("celsius", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("degree? celcius", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("celcius", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("centigrade", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("degree? farenheit", "degree Fahrenheit", "temperature", 5.0 / 9.0, 255.372_222, "K"),
    u!("farenheit", "degree Fahrenheit", "temperature", 5.0 / 9.0, 255.372_222, "K"),
    u!("deg", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("degree? fahrenheit", "degree Fahrenheit", "temperature", 5.0 / 9.0, 255.372_222, "K"),
    u!("degree? f", "degree Fahrenheit", "temperature", 5.0 / 9.0, 255.372_222, "K"),
    u!("deg fahrenheit", "degree Fahrenheit", "temperature", 5.0 / 9.0, 255.372_222, "K"),
    u!("deg f", "degree Fahrenheit", "temperature", 5.0 / 9.0, 255.372_222, "K"),
    u!("fahrenheit", "degree Fahrenheit", "temperature", 5.0 / 9.0, 255.372_222, "K"),
    u!("kelvin?", "kelvin", "temperature", 1.0, "K"),
    u!("градус* цельси*", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("градус* по цельси*", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("градус* фаренгейт*", "degree Fahrenheit", "temperature", 5.0 / 9.0, 255.372_222, "K"),
    u!("градус* по фаренгейт*", "degree Fahrenheit", "temperature", 5.0 / 9.0, 255.372_222, "K"),
    u!("° с", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("°", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("градус* тепла", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("градус* мороза", "degree Celsius", "temperature", -1.0, 273.15, "K"),
    u!("degree?", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    u!("градус*", "degree Celsius", "temperature", 1.0, 273.15, "K"),
    // percentages
    u!("percentage point?", "percentage point", "percentage_points", 1.0, "pp"),
    u!("pp", "percentage point", "percentage_points", 1.0, "pp"),
    u!("п . п", "percentage point", "percentage_points", 1.0, "pp"),
    u!("процентн* пункт*", "percentage point", "percentage_points", 1.0, "pp"),
    u!("%", "percent", "percentage", 1.0, "%"),
    u!("percent", "percent", "percentage", 1.0, "%"),
    u!("per cent", "percent", "percentage", 1.0, "%"),
    u!("pct", "percent", "percentage", 1.0, "%"),
    u!("процент*", "percent", "percentage", 1.0, "%"),
    // money (words after the number)
    u!("us dollar?", "USD", "money", 1.0, "USD"),
    u!("dollar?", "USD", "money", 1.0, "USD"),
    u!("доллар*", "USD", "money", 1.0, "USD"),
    u!("долл", "USD", "money", 1.0, "USD"),
    u!("usd", "USD", "money", 1.0, "USD"),
    u!("euro?", "EUR", "money", 1.0, "EUR"),
    u!("евро", "EUR", "money", 1.0, "EUR"),
    u!("eur", "EUR", "money", 1.0, "EUR"),
    u!("pounds sterling", "GBP", "money", 1.0, "GBP"),
    u!("pound sterling", "GBP", "money", 1.0, "GBP"),
    u!("gbp", "GBP", "money", 1.0, "GBP"),
    u!("фунт* стерлинг*", "GBP", "money", 1.0, "GBP"),
    u!("rouble?", "RUB", "money", 1.0, "RUB"),
    u!("ruble?", "RUB", "money", 1.0, "RUB"),
    u!("rub", "RUB", "money", 1.0, "RUB"),
    u!("рубл*", "RUB", "money", 1.0, "RUB"),
    u!("руб", "RUB", "money", 1.0, "RUB"),
    u!("р", "RUB", "money", 1.0, "RUB"),
    u!("₽", "RUB", "money", 1.0, "RUB"),
    u!("yuan", "CNY", "money", 1.0, "CNY"),
    u!("юан*", "CNY", "money", 1.0, "CNY"),
    u!("cny", "CNY", "money", 1.0, "CNY"),
    u!("yen", "JPY", "money", 1.0, "JPY"),
    u!("иен*", "JPY", "money", 1.0, "JPY"),
    u!("jpy", "JPY", "money", 1.0, "JPY"),
    u!("hryvni*", "UAH", "money", 1.0, "UAH"),
    u!("гривен", "UAH", "money", 1.0, "UAH"),
    u!("гривн*", "UAH", "money", 1.0, "UAH"),
    u!("uah", "UAH", "money", 1.0, "UAH"),
    u!("rupee?", "INR", "money", 1.0, "INR"),
    u!("франк*", "CHF", "money", 1.0, "CHF"),
    u!("swiss franc?", "CHF", "money", 1.0, "CHF"),
    u!("chf", "CHF", "money", 1.0, "CHF"),
    u!("australian dollar?", "AUD", "money", 1.0, "AUD"),
    u!("canadian dollar?", "CAD", "money", 1.0, "CAD"),
    u!("hong kong dollar?", "HKD", "money", 1.0, "HKD"),
    u!("new zealand dollar?", "NZD", "money", 1.0, "NZD"),
    u!("chinese yuan", "CNY", "money", 1.0, "CNY"),
    u!("japanese yen", "JPY", "money", 1.0, "JPY"),
    u!("rmb", "CNY", "money", 1.0, "CNY"),
    u!("renminbi", "CNY", "money", 1.0, "CNY"),
    u!("元", "CNY", "money", 1.0, "CNY"),
    u!("franc?", "CHF", "money", 1.0, "CHF"),
    u!("pence", "GBP", "money", 0.01, "GBP"),
    u!("penny", "GBP", "money", 0.01, "GBP"),
    u!("pennies", "GBP", "money", 0.01, "GBP"),
    u!("пенс*", "GBP", "money", 0.01, "GBP"),
    u!("пени", "GBP", "money", 0.01, "GBP"),
    u!("цент*", "USD", "money", 0.01, "USD"),
    u!("¢", "USD", "money", 0.01, "USD"),
    u!("₴", "UAH", "money", 1.0, "UAH"),
    u!("грн", "UAH", "money", 1.0, "UAH"),
    u!("peso?", "MXN", "money", 1.0, "MXN"),
    u!("песо", "MXN", "money", 1.0, "MXN"),
    u!("lira?", "TRY", "money", 1.0, "TRY"),
    u!("лир*", "TRY", "money", 1.0, "TRY"),
    u!("rupees", "INR", "money", 1.0, "INR"),
    u!("рупи*", "INR", "money", 1.0, "INR"),
    u!("bitcoin?", "XBT", "money", 1.0, "XBT"),
    u!("биткоин*", "XBT", "money", 1.0, "XBT"),
    u!("тенге", "KZT", "money", 1.0, "KZT"),
    u!("kzt", "KZT", "money", 1.0, "KZT"),
    u!("byn", "BYN", "money", 1.0, "BYN"),
    u!("белорусск* рубл*", "BYN", "money", 1.0, "BYN"),
    u!("злот*", "PLN", "money", 1.0, "PLN"),
    u!("zloty", "PLN", "money", 1.0, "PLN"),
    u!("pln", "PLN", "money", 1.0, "PLN"),
    u!("krona", "SEK", "money", 1.0, "SEK"),
    u!("kronor", "SEK", "money", 1.0, "SEK"),
    u!("$", "USD", "money", 1.0, "USD"),
    u!("€", "EUR", "money", 1.0, "EUR"),
    u!("£", "GBP", "money", 1.0, "GBP"),
    u!("cent?", "USD", "money", 0.01, "USD"),
    u!("копе*", "RUB", "money", 0.01, "RUB"),
    // ages appear through dedicated patterns; "year-old" written as one token:
    u!("- year - old", "year", "age", 1.0, "year"),
    u!("year - old", "year", "age", 1.0, "year"),
    u!("- month - old", "month", "age", 1.0 / 12.0, "year"),
    u!("- летн*", "year", "age", 1.0, "year"),
    u!("yo", "year", "age", 1.0, "year"),
    u!("y . o", "year", "age", 1.0, "year"),
    u!("летн*", "year", "age", 1.0, "year"),
];

/// Currency signs and codes written before the number.
static CURRENCY_PREFIX: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("HK$", "HKD"),
    ("hk $", "HKD"),
    ("c $", "CAD"),
    ("NZ$", "NZD"),
    ("R$", "BRL"),
    ("C$", "CAD"),
    ("A$", "AUD"),
    ("$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("₽", "RUB"),
    ("¥", "JPY"),
    ("₴", "UAH"),
    ("USD", "USD"),
    ("EUR", "EUR"),
    ("GBP", "GBP"),
    ("RUB", "RUB"),
    ("CNY", "CNY"),
];

/// Multipliers written after the number ("4.2 billion", "2,4 млрд").
#[rustfmt::skip]
static MULTIPLIERS: &[(&str, f64, bool)] = &[
    // (form, factor, is_stem)
    ("thousand", 1e3, false), ("million", 1e6, false), ("billion", 1e9, false),
    ("trillion", 1e12, false), ("bn", 1e9, false), ("mln", 1e6, false),
    ("mn", 1e6, false), ("tn", 1e12, false), ("k", 1e3, false),
    ("тыс", 1e3, false), ("тысяч", 1e3, true), ("млн", 1e6, false),
    ("миллион", 1e6, true), ("млрд", 1e9, false), ("миллиард", 1e9, true),
    ("трлн", 1e12, false), ("триллион", 1e12, true),
];

struct UnitPattern {
    words: Vec<PatWord>,
    info: UnitInfo,
}

enum PatWord {
    Exact(&'static str),
    Stem(&'static str),
    Plural(&'static str),
}

impl PatWord {
    fn matches(&self, w: &str) -> bool {
        match self {
            PatWord::Exact(p) => w == *p,
            PatWord::Stem(p) => {
                w.starts_with(p) && w[p.len()..].chars().count() <= 4 && {
                    w[p.len()..].chars().all(|c| c.is_alphabetic())
                }
            }
            PatWord::Plural(p) => {
                w == *p
                    || (w.len() == p.len() + 1 && w.starts_with(p) && w.ends_with('s'))
                    || (w.len() == p.len() + 2 && w.starts_with(p) && w.ends_with("es"))
            }
        }
    }
}

/// Unit patterns indexed by the first char of their first word.
static UNIT_INDEX: LazyLock<HashMap<char, Vec<UnitPattern>>> = LazyLock::new(|| {
    let mut index: HashMap<char, Vec<UnitPattern>> = HashMap::new();
    for &(pat, canonical, dimension, factor, offset, si_unit) in UNIT_TABLE {
        let words: Vec<PatWord> = pat
            .split(' ')
            .map(|w| {
                if let Some(s) = w.strip_suffix('*') {
                    PatWord::Stem(s)
                } else if let Some(s) = w.strip_suffix('?') {
                    PatWord::Plural(s)
                } else {
                    PatWord::Exact(w)
                }
            })
            .collect();
        let first = pat.chars().next().expect("non-empty unit pattern");
        index.entry(first).or_default().push(UnitPattern {
            words,
            info: UnitInfo {
                canonical,
                dimension,
                factor,
                offset,
                si_unit,
            },
        });
    }
    // Longer patterns first so "km / h" beats "km"; stable sort keeps table order otherwise.
    for list in index.values_mut() {
        list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
    }
    index
});

/// A lowercase word or a single symbol following a number, with its byte end
/// relative to the scanned slice.
#[derive(Debug)]
struct LookWord {
    text: String,
    start: usize,
    end: usize,
}

/// Up to `max` words/symbols from the start of `s`, on the same line.
fn look_words(s: &str, max: usize) -> Vec<LookWord> {
    let mut out = Vec::with_capacity(max);
    let mut it = s.char_indices().peekable();
    while out.len() < max {
        let Some(&(i, c)) = it.peek() else { break };
        if c == '\n' {
            break;
        }
        if c.is_whitespace() {
            it.next();
            continue;
        }
        if c.is_alphabetic() {
            let mut end = i;
            let mut text = String::new();
            while let Some(&(j, d)) = it.peek() {
                if d.is_alphabetic() {
                    text.extend(d.to_lowercase());
                    end = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            out.push(LookWord {
                text,
                start: i,
                end,
            });
        } else {
            it.next();
            let mut text = String::new();
            text.extend(c.to_lowercase());
            out.push(LookWord {
                text,
                start: i,
                end: i + c.len_utf8(),
            });
        }
    }
    out
}

/// Match the unit lexicon at the start of `words`; returns the unit and how many
/// words it took.
fn match_unit(words: &[LookWord]) -> Option<(UnitInfo, usize)> {
    let first = words.first()?.text.chars().next()?;
    let list = UNIT_INDEX.get(&first)?;
    'pattern: for p in list {
        if p.words.len() > words.len() {
            continue;
        }
        for (k, (pw, w)) in p.words.iter().zip(words).enumerate() {
            if !pw.matches(&w.text) {
                continue 'pattern;
            }
            // "m2" is square metres; "12 m 2 dm" is not.
            if k > 0 && w.text.chars().all(|c| c.is_ascii_digit()) && w.start != words[k - 1].end {
                continue 'pattern;
            }
        }
        // The word after a one-letter or symbol unit must not continue a word
        // ("5 m" is metres, but "5 mice" is not: the lexicon word must be whole).
        return Some((p.info, p.words.len()));
    }
    None
}

/// Look up a unit written on its own ("kilometres", "km/h", "долларов"): the
/// lexicon the extractor uses, exposed for evaluators.
pub fn parse_unit(surface: &str) -> Option<UnitInfo> {
    let words = look_words(surface.trim(), 6);
    let (info, n) = match_unit(&words)?;
    (n == words.len()).then_some(info)
}

// ---------------------------------------------------------------------------
// Number words

#[derive(Clone, Copy, PartialEq, Debug)]
enum NumWord {
    /// 0–999 that adds to the running value.
    Add(f64),
    /// `hundred`: multiplies the running value.
    Hundred,
    /// thousand, million, …: closes a group.
    Scale(f64),
    /// `dozen`: ×12.
    Dozen,
    /// A fraction noun after `a`/`one`/a count: quarter, third, half.
    Fraction(f64),
    /// `a`, `an`: starts a number only before a scale/dozen/fraction.
    Article,
    /// `and`: joins numerals in English ("two hundred and five", "one and a half").
    And,
}

/// The numeral table is looked up once per word, and SipHash's DoS resistance buys
/// nothing for a fixed table of our own.
type FastBuild = rustc_hash::FxBuildHasher;

static NUM_WORDS: LazyLock<HashMap<&'static str, NumWord, FastBuild>> = LazyLock::new(|| {
    use NumWord::*;
    let mut m: HashMap<&'static str, NumWord, FastBuild> = HashMap::default();
    let en_small = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    for (i, w) in en_small.iter().enumerate() {
        m.insert(w, Add(i as f64));
    }
    for (w, v) in [
        ("twenty", 20.0),
        ("thirty", 30.0),
        ("forty", 40.0),
        ("fifty", 50.0),
        ("sixty", 60.0),
        ("seventy", 70.0),
        ("eighty", 80.0),
        ("ninety", 90.0),
    ] {
        m.insert(w, Add(v));
    }
    m.insert("hundred", Hundred);
    for (w, v) in [
        ("thousand", 1e3),
        ("million", 1e6),
        ("billion", 1e9),
        ("trillion", 1e12),
    ] {
        m.insert(w, Scale(v));
    }
    m.insert("dozen", Dozen);
    for (w, v) in [
        ("half", 0.5),
        ("quarter", 0.25),
        ("quarters", 0.25),
        ("third", 1.0 / 3.0),
        ("thirds", 1.0 / 3.0),
        ("fifth", 0.2),
        ("fifths", 0.2),
        ("halves", 0.5),
        ("sixth", 1.0 / 6.0),
        ("sixths", 1.0 / 6.0),
        ("eighth", 0.125),
        ("eighths", 0.125),
        ("tenth", 0.1),
        ("tenths", 0.1),
    ] {
        m.insert(w, Fraction(v));
    }
    m.insert("a", Article);
    m.insert("an", Article);
    m.insert("and", And);
    // Russian: every case form of the cardinals.
    let ru: &[(f64, &[&str])] = &[
        (
            0.0,
            &["ноль", "нуля", "нулю", "нулём", "нулем", "нисколько"],
        ),
        (
            1.0,
            &[
                "один",
                "одного",
                "одному",
                "одним",
                "одном",
                "одна",
                "одной",
                "одну",
                "одно",
            ],
        ),
        (2.0, &["два", "две", "двух", "двум", "двумя"]),
        (3.0, &["три", "трех", "трёх", "трем", "трём", "тремя"]),
        (
            4.0,
            &[
                "четыре",
                "четырех",
                "четырёх",
                "четырем",
                "четырём",
                "четырьмя",
            ],
        ),
        (5.0, &["пять", "пяти", "пятью"]),
        (6.0, &["шесть", "шести", "шестью"]),
        (7.0, &["семь", "семи"]),
        (8.0, &["восемь", "восьми", "восемью", "восьмью"]),
        (9.0, &["девять", "девяти", "девятью"]),
        (10.0, &["десять", "десяти", "десятью"]),
        (40.0, &["сорок", "сорока"]),
        (50.0, &["пятьдесят", "пятидесяти", "пятьюдесятью"]),
        (60.0, &["шестьдесят", "шестидесяти", "шестьюдесятью"]),
        (70.0, &["семьдесят", "семидесяти", "семьюдесятью"]),
        (80.0, &["восемьдесят", "восьмидесяти", "восемьюдесятью"]),
        (90.0, &["девяносто", "девяноста"]),
        (100.0, &["сто", "ста", "сотня", "сотни", "сотню"]),
        (
            200.0,
            &["двести", "двухсот", "двумстам", "двумястами", "двухстах"],
        ),
        (
            300.0,
            &[
                "триста",
                "трехсот",
                "трёхсот",
                "тремстам",
                "тремястами",
                "трехстах",
                "трёхстах",
            ],
        ),
        (
            400.0,
            &[
                "четыреста",
                "четырехсот",
                "четырёхсот",
                "четырёмстам",
                "четырьмястами",
                "четырехстах",
            ],
        ),
        (
            500.0,
            &["пятьсот", "пятисот", "пятистам", "пятьюстами", "пятистах"],
        ),
        (600.0, &["шестьсот", "шестисот", "шестистам", "шестистах"]),
        (700.0, &["семьсот", "семисот", "семистам", "семистах"]),
        (
            800.0,
            &["восемьсот", "восьмисот", "восьмистам", "восьмистах"],
        ),
        (
            900.0,
            &["девятьсот", "девятисот", "девятистам", "девятистах"],
        ),
        (1.5, &["полтора", "полторы", "полутора"]),
    ];
    for (v, forms) in ru {
        for f in *forms {
            m.insert(f, Add(*v));
        }
    }
    for (stem, v) in [
        ("одиннадцат", 11.0),
        ("двенадцат", 12.0),
        ("тринадцат", 13.0),
        ("четырнадцат", 14.0),
        ("пятнадцат", 15.0),
        ("шестнадцат", 16.0),
        ("семнадцат", 17.0),
        ("восемнадцат", 18.0),
        ("девятнадцат", 19.0),
        ("двадцат", 20.0),
        ("тридцат", 30.0),
    ] {
        for end in ["ь", "и", "ью"] {
            let w: &'static str = Box::leak(format!("{stem}{end}").into_boxed_str());
            m.insert(w, Add(v));
        }
    }
    for (stem, v) in [
        ("тысяч", 1e3),
        ("миллион", 1e6),
        ("миллиард", 1e9),
        ("триллион", 1e12),
    ] {
        let ends: &[&str] = if stem == "тысяч" {
            &["а", "и", "", "у", "ей", "ью", "ам", "ами", "ах", "е"]
        } else {
            &["", "а", "ов", "у", "ом", "е", "ам", "ами", "ах"]
        };
        for end in ends {
            let w: &'static str = Box::leak(format!("{stem}{end}").into_boxed_str());
            m.insert(w, Scale(v));
        }
    }
    for w in ["четверть", "четверти"] {
        m.insert(w, Fraction(0.25));
    }
    for w in ["треть", "трети"] {
        m.insert(w, Fraction(1.0 / 3.0));
    }
    m
});

/// Words glued to a unit that mean "half a …" (полчаса = 0.5 h).
static HALF_UNIT_WORDS: &[(&str, &str)] = &[
    ("полчаса", "час"),
    ("полгода", "год"),
    ("полмиллиона", "миллион"),
    ("полмиллиарда", "миллиард"),
];

// ---------------------------------------------------------------------------
// Regexes, compiled once.

static DIGIT_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:[-−–])?
        (?:
            \d+(?:\.\d+)?[eE][-+−]?\d+(?-u:\b)               # 4e14  9.83e-3
          | \d{1,3}\x20\d{1,2}/\d{1,2}(?-u:\b)              # 10 1/2
          | \d{1,3}(?:,\d{3})+(?:\.\d+)?            # 14,000  1,500,000.5
          | \d{1,3}(?:[\u{00A0}\u{2009}\u{202F}\u{2007}\x20]\d{3})+(?:[.,]\d+)?   # 14 000
          | \d{1,3}(?:\.\d{3}){2,}                  # 1.500.000 (continental grouping)
          | \d+(?:[.,]\d+)?                         # 14.5  1,5  2019
        )
        (?:\s?/\s?\d+)?                             # 1/2
        ",
    )
    .expect("digit regex")
});

const EN_MONTHS: &str = r"january|february|march|april|may|june|july|august|september|october|november|december|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?";
const EN_WEEKDAYS: &str = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday";
const RU_MONTHS_GEN: &str =
    r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря";
const RU_WEEKDAYS: &str =
    r"понедельник|вторник|сред[ауы]|четверг|пятниц[ауы]|суббот[ауы]|воскресенье";

static DATE_PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let p = [
        // Monday, October 27, 2025 / October 27 / Oct. 27th, 2025
        format!(r"(?i)(?-u:\b)(?:(?P<wd>{EN_WEEKDAYS}),?\s+)?(?P<mon>{EN_MONTHS})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?-u:\b)(?:,?\s+(?P<year>\d{{4}})(?-u:\b))?"),
        // Monday, 27 October 2025 / the 27th of October
        format!(r"(?i)(?-u:\b)(?:(?P<wd>{EN_WEEKDAYS}),?\s+)?(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{EN_MONTHS})(?-u:\b)(?:,?\s+(?P<year>\d{{4}})(?-u:\b))?"),
        // в понедельник, 27 октября 2025 года
        format!(r"(?i)(?:(?P<wd>{RU_WEEKDAYS}),?\s+)?(?-u:\b)(?P<day>\d{{1,2}})\s+(?P<mon>{RU_MONTHS_GEN})(?:\s+(?P<year>\d{{4}})(?:\s*(?:года|году|г\.))?)?"),
        // October 2025
        format!(r"(?i)(?-u:\b)(?P<mon>{EN_MONTHS})\s+(?P<year>\d{{4}})(?-u:\b)"),
        // в октябре 2025 года
        r"(?i)(?:^|[^\p{L}])(?P<mon>январ[ьея]|феврал[ьея]|март[аеу]?|апрел[ьея]|ма[йяе]|июн[ьея]|июл[ьея]|август[аеу]?|сентябр[ьея]|октябр[ьея]|ноябр[ьея]|декабр[ьея])\s+(?P<year>\d{4})(?:\s*(?:года|году|г\.))?".to_string(),
        // 2025-10-27
        r"(?-u:\b)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?-u:\b)".to_string(),
        // 27.10.2025
        r"(?-u:\b)(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?-u:\b)".to_string(),
        // 10/27/2025 (US order)
        r"(?-u:\b)(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})(?-u:\b)".to_string(),
        // 2019 году / 2019 г.
        r"(?i)(?-u:\b)(?P<year>\d{4})\s*(?:года|году|год|г\.)".to_string(),
    ];
    p.iter()
        .map(|s| Regex::new(s).expect("date regex"))
        .collect()
});

/// All date patterns as one alternation (one scan of the text instead of nine);
/// alternative `i` is group `p{i}` and its parts are `wd{i}`, `day{i}`, ….
static DATE_COMBINED: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = DATE_PATTERNS
        .iter()
        .enumerate()
        .map(|(i, re)| {
            let mut src = re.as_str().to_string();
            for g in ["wd", "day", "mon", "month", "year"] {
                src = src.replace(&format!("(?P<{g}>"), &format!("(?P<{g}{i}>"));
            }
            format!("(?P<p{i}>{src})")
        })
        .collect();
    Regex::new(&alternatives.join("|")).expect("combined date regex")
});

/// Group indices of one alternative of [`DATE_COMBINED`], looked up once instead of by
/// formatted name on every match.
struct DateGroups {
    whole: usize,
    parts: [(&'static str, Option<usize>); 5],
}

impl DateGroups {
    fn part(&self, name: &str) -> Option<usize> {
        self.parts
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, k)| *k)
    }
}

static DATE_GROUPS: LazyLock<Vec<DateGroups>> = LazyLock::new(|| {
    let index = |name: String| DATE_COMBINED.capture_names().position(|n| n == Some(&name));
    (0..DATE_PATTERNS.len())
        .map(|i| DateGroups {
            whole: index(format!("p{i}")).expect("alternative group"),
            parts: ["wd", "day", "mon", "month", "year"].map(|n| (n, index(format!("{n}{i}")))),
        })
        .collect()
});

static TIME_PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>[ap]\.m\.|[ap]m(?-u:\b))|(?-u:\b)(?P<h2>[01]?\d|2[0-3]):(?P<m2>[0-5]\d)(?-u:\b)")
        .expect("time regex")
});

/// Relative day words; a match counts only between non-letters (checked by hand, so the
/// regex stays a plain literal set that its prefilter finds fast).
static RELATIVE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)yesterday|today|tomorrow|позавчера|послезавтра|вчера|сегодня|завтра")
        .expect("relative date regex")
});

static MODIFIER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[^\p{L}])(?P<m>about|around|approximately|approx\.|roughly|nearly|almost|some|an estimated|estimated|~|∼|≈|около|почти|примерно|приблизительно|порядка|где-то|more than|over|at least|above|exceeding|upwards of|in excess of|greater than|less than|fewer than|under|below|at most|up to|no more than|не менее|не более|не больше|не меньше|более чем|более|больше|свыше|менее|меньше|до|как минимум|по меньшей мере|максимум|минимум|за более чем)\s*(?:\p{Sc}|US\$)?\s*$",
    )
    .expect("modifier regex")
});

static RANGE_BETWEEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:-|–|—|-?\s*to|and|до|по|или)\s*(?:\p{Sc}|US\$)?\s*$")
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

static ORDINAL_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:st|nd|rd|th|-?(?:й|я|е|го|ого|ому|ым|ом|ая|ой|ый|ий|ое|ые|ых)|-(?:ти|ми|х))\b")
        .expect("ordinal regex")
});

/// Numbers that name a figure, table, section or article rather than measure anything.
static REFERENCE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bfigs?\.|\bfigures?|\btables?|\beqs?\.|\bequations?|\bsections?|\bchapters?|\bno\.|№|\bpp?\.|\bрис\.|\bтабл\.|\bстр\.|\bст\.|\bстатьи|\bстатья|\barticle|\bitem|\bpart)\s*$")
        .expect("reference regex")
});

static ANGLE_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:angle|angles|rotat\w*|turn\w*|tilt\w*|bank\w*|latitude|longitude|arc|slope|incline|heading|bearing|угол|угл\w*|поворот\w*|поверн\w*|наклон\w*|широт\w*|долгот\w*|курс\w*)\b")
        .expect("angle regex")
});

static AGE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^\p{L}])(?:aged|age|в возрасте)\s*$").expect("age regex")
});

static LIST_BETWEEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:,|,?\s*and|,?\s*or|и|или|,\s*и)\s*$").expect("list regex")
});

/// Words after a bare number that are not what it counts.
static COUNT_STOPWORDS: &[&str] = &[
    "of",
    "and",
    "or",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "with",
    "the",
    "a",
    "an",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "per",
    "than",
    "as",
    "that",
    "this",
    "it",
    "its",
    "more",
    "less",
    "times",
    "out",
    "percent",
    "year",
    "years",
    "had",
    "has",
    "have",
    "will",
    "would",
    "could",
    "can",
    "after",
    "before",
    "when",
    "while",
    "but",
    "so",
    "not",
    "no",
    "which",
    "who",
    "were",
    "am",
    "pm",
    "said",
    "says",
    "also",
    "into",
    "up",
    "down",
    "over",
    "under",
    "about",
    "i",
    "he",
    "she",
    "we",
    "they",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "all",
    "such",
    "if",
    "then",
    "there",
    "here",
    "these",
    "those",
    "what",
    "where",
    "how",
    "why",
    "did",
    "do",
    "does",
    "between",
    "through",
    "since",
    "until",
    "till",
    "among",
    "each",
    "every",
    "и",
    "в",
    "во",
    "на",
    "с",
    "со",
    "по",
    "из",
    "за",
    "до",
    "от",
    "к",
    "о",
    "об",
    "не",
    "что",
    "это",
    "а",
    "но",
    "или",
    "же",
    "ли",
    "бы",
    "как",
    "так",
    "для",
    "при",
    "раз",
    "года",
    "году",
    "год",
    "г",
    "лет",
    "он",
    "она",
    "они",
    "мы",
    "вы",
    "я",
    "его",
    "её",
    "ее",
    "их",
    "был",
    "была",
    "было",
    "были",
    "будет",
    "уже",
    "еще",
    "ещё",
    "только",
    "чем",
    "тем",
    "где",
    "когда",
    "более",
    "менее",
    "около",
    "свыше",
    "почти",
    "человека",
    "тоже",
    "также",
];

// ---------------------------------------------------------------------------
// The scanner.

#[derive(Debug, Clone)]
struct NumTok {
    /// Byte range in the text.
    b0: usize,
    b1: usize,
    value: f64,
    /// Written with digits (vs words).
    digits: bool,
    /// A bare 4-digit integer in 1000..=2100 written without separators.
    year_like: bool,
}

fn parse_digits(s: &str, russian: bool) -> Option<f64> {
    let mut neg = false;
    let mut t = s.trim();
    if let Some(r) = t
        .strip_prefix('-')
        .or_else(|| t.strip_prefix('−'))
        .or_else(|| t.strip_prefix('–'))
    {
        neg = true;
        t = r.trim_start();
    }
    if let Some((a, b)) = t.split_once('/') {
        let (whole, a) = match a.trim().split_once(' ') {
            Some((w, f)) => (w.parse::<f64>().ok()?, f),
            None => (0.0, a),
        };
        let a: f64 = a.trim().parse().ok()?;
        let b: f64 = b.trim().parse().ok()?;
        if b == 0.0 {
            return None;
        }
        let v = whole + a / b;
        return Some(if neg { -v } else { v });
    }
    if t.contains(['e', 'E']) {
        let v: f64 = t.replace('−', "-").parse().ok()?;
        return Some(if neg { -v } else { v });
    }
    let spaceless: String = t
        .chars()
        .filter(|c| !matches!(c, '\u{00A0}' | '\u{2009}' | '\u{202F}' | '\u{2007}' | ' '))
        .collect();
    let commas = spaceless.matches(',').count();
    let dots = spaceless.matches('.').count();
    let normal = if dots >= 2 {
        spaceless.replace('.', "").replace(',', ".")
    } else if commas == 0 {
        spaceless
    } else if commas == 1 && dots == 0 {
        // "1,5" is a decimal in Russian; "14,000" is grouping in English.
        let (_, frac) = spaceless.split_once(',').unwrap_or(("", ""));
        if russian || frac.len() != 3 {
            spaceless.replace(',', ".")
        } else {
            spaceless.replace(',', "")
        }
    } else {
        spaceless.replace(',', "")
    };
    let v: f64 = normal.parse().ok()?;
    Some(if neg { -v } else { v })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The extractor's working state for one document.
struct Scanner<'a> {
    doc: &'a Document,
    text: &'a str,
    russian: bool,
    /// Byte ranges already taken by dates and times.
    taken: Vec<(usize, usize)>,
    /// Byte windows around the text's digits (see [`digit_windows`]): every pattern that
    /// needs a digit is searched only there.
    digit_windows: Vec<(usize, usize)>,
    out: Vec<Quantity>,
}

/// How far (bytes) a digit-bearing match can reach from its digits: a weekday, a month name
/// and "the"/"of" before the day, or a year and «года» after it, with room to spare.
const DIGIT_REACH: usize = 96;

/// Merged byte windows of `DIGIT_REACH` around every ASCII digit of `text`. Every date,
/// time and number pattern contains a digit, so searching only these windows finds exactly
/// the matches a scan of the whole text finds — and most prose has no digit at all.
fn digit_windows(text: &str) -> Vec<(usize, usize)> {
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for (i, b) in text.bytes().enumerate() {
        if !b.is_ascii_digit() {
            continue;
        }
        let start = floor_boundary(text, i.saturating_sub(DIGIT_REACH));
        let end = ceil_boundary(text, (i + 1 + DIGIT_REACH).min(text.len()));
        match windows.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => windows.push((start, end)),
        }
    }
    windows
}

/// Leftmost-first matches inside the windows, with offsets into `text`: `search(haystack,
/// at)` is a regex search that starts at `at`, and `bounds` gives a match's byte range.
/// Look-around (`^`, `\b`) sees the text before each window, as in a whole-text scan.
fn search_windows<'t, T>(
    text: &'t str,
    windows: &[(usize, usize)],
    search: impl Fn(&'t str, usize) -> Option<T>,
    bounds: impl Fn(&T) -> (usize, usize),
) -> Vec<T> {
    let mut out = Vec::new();
    for &(start, end) in windows {
        let haystack = &text[..end];
        let mut at = start;
        while at <= end {
            let Some(found) = search(haystack, at) else {
                break;
            };
            let (m0, m1) = bounds(&found);
            at = if m1 > m0 {
                m1
            } else {
                ceil_boundary(text, m1 + 1)
            };
            out.push(found);
        }
    }
    out
}

fn captures_in_windows<'t>(
    re: &Regex,
    text: &'t str,
    windows: &[(usize, usize)],
) -> Vec<regex::Captures<'t>> {
    search_windows(
        text,
        windows,
        |h, at| re.captures_at(h, at),
        |c| c.get(0).map_or((0, 0), |m| (m.start(), m.end())),
    )
}

fn matches_in_windows<'t>(
    re: &Regex,
    text: &'t str,
    windows: &[(usize, usize)],
) -> Vec<regex::Match<'t>> {
    search_windows(
        text,
        windows,
        |h, at| re.find_at(h, at),
        |m| (m.start(), m.end()),
    )
}

/// Days from 1970-01-01 for a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// English weekday name of a date.
pub fn weekday_of(y: i64, m: u32, d: u32) -> &'static str {
    const NAMES: [&str; 7] = [
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
    ];
    NAMES[days_from_civil(y, m, d).rem_euclid(7) as usize]
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn month_number(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let n = n.trim_end_matches('.');
    const EN: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const RU: [&str; 12] = [
        "январ",
        "феврал",
        "март",
        "апрел",
        "ма",
        "июн",
        "июл",
        "август",
        "сентябр",
        "октябр",
        "ноябр",
        "декабр",
    ];
    for (i, p) in EN.iter().enumerate() {
        if n.starts_with(p) {
            return Some(i as u32 + 1);
        }
    }
    for (i, p) in RU.iter().enumerate() {
        if n.starts_with(p) {
            return Some(i as u32 + 1);
        }
    }
    None
}

/// Canonical English name of a weekday written in English or Russian.
pub fn weekday_name(w: &str) -> Option<&'static str> {
    let w = w.to_lowercase();
    const MAP: [(&str, &str); 14] = [
        ("mon", "Monday"),
        ("tue", "Tuesday"),
        ("wed", "Wednesday"),
        ("thu", "Thursday"),
        ("fri", "Friday"),
        ("sat", "Saturday"),
        ("sun", "Sunday"),
        ("понед", "Monday"),
        ("втор", "Tuesday"),
        ("сред", "Wednesday"),
        ("четв", "Thursday"),
        ("пятн", "Friday"),
        ("субб", "Saturday"),
        ("воскр", "Sunday"),
    ];
    MAP.iter().find(|(p, _)| w.starts_with(p)).map(|(_, n)| *n)
}

impl<'a> Scanner<'a> {
    fn new(doc: &'a Document) -> Self {
        let russian = doc.language.code == "ru"
            || (doc.language.code != "en"
                && doc
                    .text()
                    .chars()
                    .filter(|c| matches!(c, 'а'..='я'))
                    .count()
                    * 4
                    > doc.text().len() / 2);
        Scanner {
            doc,
            text: doc.text(),
            russian,
            taken: Vec::new(),
            digit_windows: digit_windows(doc.text()),
            out: Vec::new(),
        }
    }

    fn is_taken(&self, b0: usize, b1: usize) -> bool {
        self.taken.iter().any(|&(s, e)| b0 < e && s < b1)
    }

    /// `taken` sorted and merged, for binary search in hot loops.
    fn taken_sorted(&self) -> Vec<(usize, usize)> {
        let mut t = self.taken.clone();
        t.sort_unstable();
        t
    }

    fn span(&self, b0: usize, b1: usize) -> Span {
        self.doc.span_of_bytes(b0, b1)
    }

    fn push(&mut self, b0: usize, b1: usize, q: QuantityParts) {
        let span = self.span(b0, b1);
        self.out.push(Quantity {
            start: span.start,
            end: span.end,
            text: self.text[b0..b1].to_string(),
            value: q.value,
            low: q.low,
            high: q.high,
            unit: q.unit,
            dimension: q.dimension.to_string(),
            si_value: q.si_value,
            si_unit: q.si_unit,
            approx: q.approx,
            bound: q.bound,
            date: q.date,
            weekday: q.weekday,
        });
    }

    fn dates(&mut self) {
        {
            for c in captures_in_windows(&DATE_COMBINED, self.text, &self.digit_windows) {
                let groups = &*DATE_GROUPS;
                let Some(pi) = groups.iter().position(|g| c.get(g.whole).is_some()) else {
                    continue;
                };
                let g = |n: &str| groups[pi].part(n).and_then(|k| c.get(k));
                let whole = c.get(0).expect("match");
                // The span starts at the first named part (a guard char may precede it).
                let first = ["wd", "day", "mon", "month", "year"]
                    .iter()
                    .filter_map(|n| g(n).map(|x| x.start()))
                    .min()
                    .unwrap_or(whole.start());
                let m = Span::new(first, whole.end());
                if self.is_taken(m.start, m.end) {
                    continue;
                }
                let year: Option<i64> = g("year").and_then(|y| y.as_str().parse().ok());
                let month: Option<u32> = g("mon")
                    .and_then(|x| month_number(x.as_str()))
                    .or_else(|| g("month").and_then(|x| x.as_str().parse().ok()));
                let day: Option<u32> = g("day").and_then(|x| x.as_str().parse().ok());
                if let Some(mo) = month {
                    if !(1..=12).contains(&mo) {
                        continue;
                    }
                    if let Some(d) = day {
                        if d == 0 || d > days_in_month(year.unwrap_or(2000), mo) {
                            continue;
                        }
                    }
                }
                // "May 5" as a modal verb is rare with a number after it; "may"
                // lowercase followed by a number is still read as a date.
                if pi == 8 {
                    // a bare year followed by год/г.
                    if let Some(y) = year {
                        let ym = g("year").expect("year");
                        self.taken.push((m.start, m.end));
                        self.push(
                            ym.start(),
                            m.end,
                            QuantityParts::date(y as f64, Some(format!("{y:04}")), None),
                        );
                    }
                    continue;
                }
                let weekday = g("wd")
                    .and_then(|w| weekday_name(w.as_str()))
                    .map(str::to_string);
                let (value, iso) = match (year, month, day) {
                    (Some(y), Some(mo), Some(d)) => (
                        (y * 10000 + mo as i64 * 100 + d as i64) as f64,
                        format!("{y:04}-{mo:02}-{d:02}"),
                    ),
                    (None, Some(mo), Some(d)) => {
                        ((mo * 100 + d) as f64, format!("--{mo:02}-{d:02}"))
                    }
                    (Some(y), Some(mo), None) => {
                        ((y * 100 + mo as i64) as f64, format!("{y:04}-{mo:02}"))
                    }
                    _ => continue,
                };
                self.taken.push((m.start, m.end));
                self.push(
                    m.start,
                    m.end,
                    QuantityParts::date(value, Some(iso), weekday),
                );
            }
        }
        for c in captures_in_windows(&TIME_PATTERN, self.text, &self.digit_windows) {
            let m = c.get(0).expect("match");
            if self.is_taken(m.start(), m.end()) {
                continue;
            }
            let (h, mi, ampm) = if let Some(h) = c.name("h") {
                (
                    h.as_str().parse::<f64>().unwrap_or(0.0),
                    c.name("m")
                        .and_then(|x| x.as_str().parse::<f64>().ok())
                        .unwrap_or(0.0),
                    c.name("ampm").map(|x| x.as_str().to_lowercase()),
                )
            } else {
                (
                    c["h2"].parse::<f64>().unwrap_or(0.0),
                    c["m2"].parse::<f64>().unwrap_or(0.0),
                    None,
                )
            };
            if h > 24.0 || (ampm.is_some() && h > 12.0) {
                continue;
            }
            let mut hours = h + mi / 60.0;
            if let Some(a) = &ampm {
                if a.starts_with('p') && h < 12.0 {
                    hours += 12.0;
                } else if a.starts_with('a') && h == 12.0 {
                    hours -= 12.0;
                }
            }
            self.taken.push((m.start(), m.end()));
            let mut q = QuantityParts::bare(hours, "time");
            q.unit = Some("hour of day".into());
            q.si_value = Some(hours * 3600.0);
            q.si_unit = Some("s".into());
            self.push(m.start(), m.end(), q);
        }
        for m in RELATIVE_DATE.find_iter(self.text) {
            let letter_before = self.text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic);
            let letter_after = self.text[m.end()..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic);
            if letter_before || letter_after {
                continue;
            }
            let w = m.as_str().to_lowercase();
            let offset = match w.as_str() {
                "yesterday" | "вчера" => -1.0,
                "tomorrow" | "завтра" => 1.0,
                "позавчера" => -2.0,
                "послезавтра" => 2.0,
                _ => 0.0,
            };
            let mut q = QuantityParts::date(offset, None, None);
            q.unit = Some("relative day".into());
            self.push(m.start(), m.end(), q);
        }
    }

    fn number_tokens(&self) -> Vec<NumTok> {
        let mut toks = Vec::new();
        let bytes = self.text.as_bytes();
        for m in matches_in_windows(&DIGIT_NUMBER, self.text, &self.digit_windows) {
            let (mut b0, b1) = (m.start(), m.end());
            if self.is_taken(b0, b1) {
                continue;
            }
            let s = m.as_str();
            let starts_with_sign = s.starts_with(['-', '−', '–']);
            // A sign is a minus only after a space, an opening bracket or the start.
            let after_number = self.text[..b0]
                .trim_end()
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit());
            if starts_with_sign && after_number {
                b0 += s.chars().next().expect("sign").len_utf8();
                while self.text[b0..].starts_with(char::is_whitespace) {
                    b0 += 1;
                }
            } else if starts_with_sign {
                let prev = self.text[..b0].chars().next_back();
                if prev.is_some_and(|c| !c.is_whitespace() && !matches!(c, '(' | '[' | '«' | '"'))
                {
                    b0 += s.chars().next().expect("sign").len_utf8();
                    while self.text[b0..].starts_with(char::is_whitespace) {
                        b0 += 1;
                    }
                }
            }
            // Not inside a word or code ("MH17", "F-35", "COVID-19", "G7").
            let prev = self.text[..b0].chars().next_back();
            if prev.is_some_and(|c| {
                c.is_alphabetic()
                    || c == '_'
                    || c == '.' && b0 >= 2 && bytes[b0 - 2].is_ascii_digit()
            }) {
                continue;
            }
            if prev == Some('-') {
                let before = self.text[..b0 - 1].chars().next_back();
                if before.is_some_and(|c| c.is_alphabetic()) {
                    continue;
                }
            }
            // Ordinals ("21st", "3rd", "5-й", "10-го") are positions, not quantities.
            let tail = &self.text[b1..ceil_boundary(self.text, (b1 + 8).min(self.text.len()))];
            if ORDINAL_AFTER.is_match(tail) {
                continue;
            }
            let lead = &self.text[floor_boundary(self.text, b0.saturating_sub(16))..b0];
            if REFERENCE_BEFORE.is_match(lead) {
                continue;
            }
            let raw = &self.text[b0..b1];
            let raw_trim = raw.trim_end();
            let b1 = b0 + raw_trim.len();
            let Some(value) = parse_digits(raw_trim, self.russian) else {
                continue;
            };
            let year_like = raw_trim.len() == 4
                && raw_trim.bytes().all(|b| b.is_ascii_digit())
                && (1000.0..=2100.0).contains(&value);
            toks.push(NumTok {
                b0,
                b1,
                value,
                digits: true,
                year_like,
            });
        }
        let mut words = self.word_numbers(&toks);
        toks.append(&mut words);
        toks.sort_by_key(|t| t.b0);
        toks
    }

    /// Numerals written as words, outside the digit numbers already found.
    fn word_numbers(&self, digit_toks: &[NumTok]) -> Vec<NumTok> {
        let doc = self.doc;
        let mut out = Vec::new();
        let taken = self.taken_sorted();
        let digits: Vec<(usize, usize)> = digit_toks.iter().map(|d| (d.b0, d.b1)).collect();
        // Every word token (and every part of a hyphenated one: "six-mile", "twenty-five")
        // that is a numeral word. Written as a plain loop: this runs over every token of
        // every document, so it must not allocate for the words it rejects.
        let mut words: Vec<(usize, usize, Cow<'_, str>)> = Vec::new();
        for t in doc.tokens.iter().filter(|t| t.kind == TokenKind::Word) {
            let (b0, b1) = (doc.byte_of(t.start), doc.byte_of(t.end));
            // Borrowed from the document's lower-cased copy, which keeps byte offsets.
            let token_lower = doc.lower_of(t.span());
            let mut checked_overlap = false;
            let mut from = b0;
            for part in self.text[b0..b1].split('-') {
                let (p0, p1) = (from, from + part.len());
                from = p1 + 1;
                // Numerals are short.
                if part.is_empty() || part.len() > 32 {
                    continue;
                }
                let lower: Cow<'_, str> = match &token_lower {
                    Cow::Borrowed(l) => Cow::Borrowed(&l[p0 - b0..p1 - b0]),
                    Cow::Owned(_) => Cow::Owned(part.to_lowercase()),
                };
                if NUM_WORDS.contains_key(lower.as_ref())
                    || HALF_UNIT_WORDS.iter().any(|(h, _)| *h == lower.as_ref())
                {
                    // The whole word must lie outside dates, times and digit numbers.
                    if !checked_overlap {
                        if overlaps_sorted(&taken, b0, b1) || overlaps_sorted(&digits, b0, b1) {
                            break;
                        }
                        checked_overlap = true;
                    }
                    words.push((p0, p1, lower));
                }
            }
        }
        let mut i = 0;
        while i < words.len() {
            if let Some((v, n)) = self.parse_word_number(&words, i) {
                let b0 = words[i].0;
                let b1 = words[i + n - 1].1;
                out.push(NumTok {
                    b0,
                    b1,
                    value: v,
                    digits: false,
                    year_like: false,
                });
                i += n;
            } else {
                // полчаса, полгода: a half glued to its unit.
                let w = words[i].2.as_ref();
                if HALF_UNIT_WORDS.iter().any(|(h, _)| *h == w) {
                    out.push(NumTok {
                        b0: words[i].0,
                        b1: words[i].0 + "пол".len(),
                        value: 0.5,
                        digits: false,
                        year_like: false,
                    });
                }
                i += 1;
            }
        }
        out
    }

    /// A numeral phrase starting at word `i`: its value and length in words.
    fn parse_word_number(
        &self,
        words: &[(usize, usize, Cow<'_, str>)],
        i: usize,
    ) -> Option<(f64, usize)> {
        use NumWord::*;
        let adjacent = |a: usize, b: usize| -> bool {
            // Only spaces (or a hyphen) between two words of one numeral.
            self.text[words[a].1..words[b].0]
                .chars()
                .all(|c| c == ' ' || c == '-' || c == '\u{00A0}')
        };
        let mut total = 0.0;
        let mut current = 0.0;
        let mut seen = false;
        let mut n = 0;
        let mut j = i;
        let mut last_kind: Option<NumWord> = None;
        let mut fraction_done = false;
        while j < words.len() {
            if j > i && !adjacent(j - 1, j) {
                break;
            }
            let w = &words[j].2;
            // "twenty-five", "one-third": split hyphenated English numerals.
            let parts: Vec<&str> = if w.contains('-') {
                w.split('-').collect()
            } else {
                vec![w.as_ref()]
            };
            let mut kinds = Vec::with_capacity(parts.len());
            for p in &parts {
                match NUM_WORDS.get(p) {
                    Some(k) => kinds.push(*k),
                    None => {
                        kinds.clear();
                        break;
                    }
                }
            }
            if kinds.is_empty() {
                break;
            }
            let mut ok = true;
            for k in kinds {
                match k {
                    Add(v) => {
                        if fraction_done {
                            ok = false;
                            break;
                        }
                        // "five six" is two numbers; "twenty five" is one.
                        if seen && current > 0.0 {
                            let rem100 = current % 100.0;
                            let bad = if v < 10.0 {
                                rem100 % 10.0 != 0.0 || (rem100 > 0.0 && rem100 < 20.0)
                            } else if v < 100.0 {
                                rem100 != 0.0
                            } else {
                                current % 1000.0 != 0.0
                            };
                            if bad {
                                ok = false;
                                break;
                            }
                        }
                        current += v;
                        seen = true;
                    }
                    Hundred => {
                        if !seen && last_kind != Some(Article) {
                            ok = false;
                            break;
                        }
                        current = if current == 0.0 {
                            100.0
                        } else {
                            current * 100.0
                        };
                        seen = true;
                    }
                    Scale(s) => {
                        if !seen && last_kind != Some(Article) && !self.russian_scale_alone(w) {
                            ok = false;
                            break;
                        }
                        total += if current == 0.0 { 1.0 } else { current } * s;
                        current = 0.0;
                        seen = true;
                    }
                    Dozen => {
                        if !seen && last_kind != Some(Article) {
                            ok = false;
                            break;
                        }
                        current = if current == 0.0 { 12.0 } else { current * 12.0 };
                        seen = true;
                    }
                    Fraction(f) => {
                        // "a quarter", "two thirds", "one and a half", "четверть".
                        let after_article = last_kind == Some(Article);
                        let russian_word = w.chars().next().is_some_and(|c| c > '\u{400}');
                        if !(after_article || seen || russian_word) {
                            ok = false;
                            break;
                        }
                        if seen && !after_article {
                            current *= f;
                        } else {
                            current += f;
                        }
                        seen = true;
                        fraction_done = true;
                    }
                    Article => {
                        // "one and a half": the article after "and".
                        if seen && last_kind != Some(And) {
                            ok = false;
                            break;
                        }
                    }
                    And => {
                        if !seen {
                            ok = false;
                            break;
                        }
                    }
                }
                last_kind = Some(k);
            }
            if !ok {
                break;
            }
            j += 1;
            if seen && !matches!(last_kind, Some(And) | Some(Article)) {
                n = j - i;
            }
        }
        if n == 0 || !seen {
            return None;
        }
        let value = total + current;
        // Bare "one"/"a"/"один" read as numbers only before a unit (checked later);
        // "one of", "no one" are pronouns.
        let first = words[i].2.as_ref();
        if n == 1
            && matches!(
                first,
                "one"
                    | "один"
                    | "одна"
                    | "одно"
                    | "одну"
                    | "одного"
                    | "одной"
                    | "одним"
                    | "одном"
                    | "одному"
            )
        {
            let after = &self.text[words[i].1..];
            let next = look_words(after, 2);
            let unit_next = match_unit(&next).is_some();
            if !unit_next {
                return None;
            }
        }
        Some((value, n))
    }

    fn russian_scale_alone(&self, w: &str) -> bool {
        matches!(w, "тысяча" | "тысячу" | "миллион" | "миллиард")
    }

    fn build(&mut self, toks: &[NumTok]) {
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
                let dash_gap = gap.trim().is_empty() || matches!(gap.trim(), "-" | "–" | "—");
                let change = CHANGE_VERB.is_match(clause_tail(before));
                // "3 to 4 L", "8- to 16-meter": a bare number then one with a unit.
                let gap_word = gap.trim().trim_start_matches('-').trim().to_lowercase();
                let to_unit = !change
                    && parts.dimension == "number"
                    && matches!(gap_word.as_str(), "to" | "до");
                let is_range = (!change || dash_gap)
                    && !(t.year_like && n.year_like && !dash_gap)
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
                    if compatible && partner_ok && (ascending || opener.is_some()) {
                        let mut r = if n_parts.unit.is_some() || parts.unit.is_none() {
                            n_parts.clone()
                        } else {
                            parts.clone()
                        };
                        let lo_raw = parts.raw_value * r.multiplier.max(parts.multiplier);
                        let hi_raw = n_parts.value;
                        let lo = if parts.unit.is_none() && parts.multiplier == 1.0 {
                            t.value * n_parts.multiplier
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
    fn propagate_list_units(&mut self, from: usize) {
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

    /// Read what surrounds a number token: prefix currency/Mach, multiplier, unit,
    /// modifiers. Returns the byte end of the quantity and its parts.
    fn attach(&self, t: &NumTok) -> (usize, QuantityParts) {
        let text = self.text;
        let mut start = t.b0;
        let mut value = t.value;
        let mut multiplier = 1.0;
        let mut prefix_unit: Option<(String, UnitInfo)> = None;
        // Currency sign or code before the number ("$4.2", "US$ 5", "€ 10").
        let before = &text[floor_boundary(text, t.b0.saturating_sub(8))..t.b0];
        let before_trim = before.trim_end_matches([' ', '\u{00A0}']);
        for (sym, code) in CURRENCY_PREFIX {
            if before_trim.ends_with(sym) {
                let sb = t.b0 - (before.len() - before_trim.len()) - sym.len();
                let ok_boundary = text[..sb]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                if ok_boundary {
                    start = sb;
                    prefix_unit = Some((sym.to_string(), currency_info(code)));
                }
                break;
            }
        }
        if prefix_unit.is_none() {
            let lower = before_trim.to_lowercase();
            if lower.ends_with("mach") {
                let sb = t.b0 - (before.len() - before_trim.len()) - 4;
                if text[..sb]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
                {
                    start = sb;
                    prefix_unit = Some((
                        text[sb..sb + 4].to_string(),
                        parse_unit("mach").expect("mach"),
                    ));
                }
            }
        }
        let mut end = t.b1;
        let after_limit = ceil_boundary(text, (t.b1 + 64).min(text.len()));
        let words = look_words(&text[t.b1..after_limit], 6);
        // Multiplier right after the number ("4.2 billion", "2,4 млрд", "2.4bn").
        let mut wi = 0;
        if let Some(w) = words.first() {
            let glued = w.start == 0;
            let letters_after = |w: &LookWord| w.text.chars().all(|c| c.is_alphabetic());
            if letters_after(w) {
                for &(form, f, stem) in MULTIPLIERS {
                    let hit = if stem {
                        w.text.starts_with(form)
                            && w.text.chars().count() - form.chars().count() <= 3
                    } else {
                        w.text == form
                    };
                    // "k" and "m"-style short forms only glued to money ("$5k").
                    if hit && (form != "k" || (glued && prefix_unit.is_some())) {
                        multiplier = f;
                        end = t.b1 + w.end;
                        wi = 1;
                        if words
                            .get(1)
                            .is_some_and(|d| d.text == "." && d.start == w.end)
                        {
                            end = t.b1 + words[1].end;
                            wi = 2;
                        }
                        break;
                    }
                }
                // "1.8M", "2.4B", "300K": capital letters glued to the number are multipliers.
                let original = &text[t.b1 + w.start..t.b1 + w.end];
                if wi == 0 && glued && matches!(original, "M" | "B" | "K" | "T" | "Bn" | "BN") {
                    multiplier = match original {
                        "M" => 1e6,
                        "K" => 1e3,
                        "T" => 1e12,
                        _ => 1e9,
                    };
                    end = t.b1 + w.end;
                    wi = 1;
                }
                // "$5m", "$2.4b": one-letter multipliers after a currency sign.
                if wi == 0 && prefix_unit.is_some() && glued && matches!(w.text.as_str(), "m" | "b")
                {
                    multiplier = if w.text == "m" { 1e6 } else { 1e9 };
                    end = t.b1 + w.end;
                    wi = 1;
                }
            }
        }
        // Word numbers carry their own scale; "2 thousand" was handled above.
        value *= multiplier;
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
        let mut unit: Option<(String, UnitInfo)> = None;
        if prefix_unit.is_none()
            || prefix_unit
                .as_ref()
                .is_some_and(|p| p.1.dimension == "money")
        {
            if let Some((info, n)) = match_unit(rest) {
                let glued = rest[0].start == if wi == 0 { 0 } else { words[wi - 1].end };
                let gap_ok = {
                    let from = if wi == 0 { 0 } else { words[wi - 1].end };
                    let gap = &text[t.b1 + from..t.b1 + rest[0].start];
                    gap.chars()
                        .all(|c| c == ' ' || c == '\u{00A0}' || c == '\u{202F}' || c == '-')
                };
                let last = &rest[n - 1];
                let next_char = text[t.b1 + last.end..].chars().next();
                // A unit must end at a word boundary ("5 m" yes, "5 mice" no — the
                // lexicon word is whole by construction, but "г" in "5 го" is not).
                let boundary_ok = next_char.is_none_or(|c| {
                    !is_word_char(c) || !rest[n - 1].text.chars().all(char::is_alphabetic)
                });
                let single_letter = n == 1
                    && rest[0].text.chars().count() == 1
                    && rest[0].text.chars().all(char::is_alphabetic);
                // One-letter units ("m", "h", "g", "т", "л") only with digits.
                let letter_ok = !single_letter || t.digits;
                let money_with_money = prefix_unit.is_none() || info.dimension == "money";
                let ambiguous_pound = info.canonical == "pound" && multiplier >= 1e6;
                if gap_ok
                    && boundary_ok
                    && letter_ok
                    && money_with_money
                    && (glued || !rest[0].text.is_empty())
                {
                    let info = if ambiguous_pound {
                        currency_info("GBP")
                    } else {
                        info
                    };
                    // Keep a trailing abbreviation dot ("руб.", "тыс. руб.").
                    let mut uend = last.end;
                    if let Some(d) = rest.get(n) {
                        if d.text == "."
                            && d.start == last.end
                            && last.text.chars().count() <= 4
                            && last.text.chars().all(char::is_alphabetic)
                            && info.dimension == "money"
                        {
                            uend = d.end;
                        }
                    }
                    end = t.b1 + uend;
                    unit = Some((
                        text[t.b1 + rest[0].start..t.b1 + last.end].to_string(),
                        info,
                    ));
                }
            }
        }
        let mut parts = QuantityParts::bare(value, "number");
        parts.raw_value = t.value;
        parts.multiplier = multiplier;
        parts.start = start;
        let chosen = prefix_unit.clone().or(unit.clone());
        if let Some((surface, info)) = chosen {
            let info = if info.canonical == "year" && t.year_like && info.dimension == "duration" {
                // "2019 year" is a date, not a duration.
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
            parts.si_value = Some(
                if matches!(
                    info.dimension,
                    "money" | "percentage" | "percentage_points" | "age"
                ) {
                    value * info.factor
                } else {
                    value * info.factor + info.offset
                },
            );
            if info.dimension == "date" {
                parts.si_unit = None;
                parts.si_value = None;
                parts.date = Some(format!("{:04}", t.value as i64));
            }
        } else if t.year_like && multiplier == 1.0 {
            parts.dimension = "date";
            parts.date = Some(format!("{:04}", t.value as i64));
        } else if let Some(w) = rest.first() {
            // Counts: "2,000 respondents", "из 1 500 опрошенных".
            let gap = &text[t.b1 + if wi == 0 { 0 } else { words[wi - 1].end }..t.b1 + w.start];
            let is_word = w.text.chars().all(char::is_alphabetic) && w.text.chars().count() >= 2;
            let first_upper = text[t.b1 + w.start..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
            if is_word
                && !first_upper
                && gap.chars().all(|c| c == ' ' || c == '\u{00A0}')
                && !COUNT_STOPWORDS.contains(&w.text.as_str())
                && NUM_WORDS.get(w.text.as_str()).is_none()
            {
                parts.dimension = "count";
                parts.unit = Some(text[t.b1 + w.start..t.b1 + w.end].to_string());
                // the counted noun is not part of the quantity's text
            }
        }
        // Ages: "45-year-old", "aged 45", "в возрасте 45 лет", "45 years old".
        let before_num = &text[floor_boundary(text, start.saturating_sub(40))..start];
        if AGE_BEFORE.is_match(before_num) && matches!(parts.dimension, "number" | "duration") {
            parts.dimension = "age";
            parts.unit = parts.unit.or(Some("year".into()));
            parts.si_unit = Some("year".into());
            parts.si_value = Some(
                value
                    * parts
                        .info
                        .map(|u| {
                            if u.canonical == "month" {
                                1.0 / 12.0
                            } else {
                                1.0
                            }
                        })
                        .unwrap_or(1.0),
            );
        } else if parts.dimension == "duration" {
            let after = &text[end..ceil_boundary(text, (end + 10).min(text.len()))];
            let lower_after = after.to_lowercase();
            let tail = ["old", "of age"]
                .iter()
                .find(|w| lower_after.trim_start().starts_with(*w))
                .copied();
            if let Some(tail) = tail {
                let old_end = end + lower_after.find(tail).map(|p| p + tail.len()).unwrap_or(0);
                if let Some(info) = parts.info {
                    parts.dimension = "age";
                    parts.si_unit = Some("year".into());
                    parts.si_value = Some(value * info.factor / 31_557_600.0);
                    end = old_end;
                }
            }
        }
        // Angles written with the degree word or sign ("a 45 degrees angle", "rotate 90°", "40°N").
        if parts.dimension == "temperature"
            && parts.info.is_some_and(|u| u.canonical == "degree Celsius")
            && parts
                .unit
                .as_deref()
                .is_some_and(|u| !u.to_lowercase().contains('c') && !u.contains('с'))
        {
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
        // Modifiers before the quantity.
        let before_q = &text[floor_boundary(text, start.saturating_sub(40))..start];
        if let Some(c) = MODIFIER_BEFORE.captures(before_q) {
            let m = c["m"].to_lowercase();
            let (approx, bound) = match m.as_str() {
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
            };
            // "до" also closes a range ("от 5 до 7"); ranges are built before this
            // matters, and "до 2019 года" is a date the modifier does not touch.
            let mstart_b = start - (before_q.len() - c.name("m").expect("m").start());
            let connector_after_number = text[..mstart_b]
                .trim_end()
                .chars()
                .next_back()
                .is_some_and(|ch| ch.is_ascii_digit() || ch == '%');
            if m != "до" || (parts.dimension != "date" && !connector_after_number) {
                parts.approx = approx;
                parts.bound = bound.map(str::to_string);
                let mstart = c.name("m").expect("m").start();
                parts.start = start - (before_q.len() - mstart);
                let _ = &mut parts.start;
            }
        }
        // Keep the modifier out of the span when the quantity is a bare number
        // (its text is the figure); ranges and units keep it, as written.
        if parts.dimension == "number" || parts.dimension == "date" {
            parts.start = start;
        } else if parts.approx || parts.bound.is_some() {
            // keep modifier in the span
        } else {
            parts.start = start;
        }
        if parts.dimension == "count" {
            parts.start = start;
        }
        (end, parts)
    }
}

/// Whether `[b0, b1)` overlaps any of the sorted, non-nested ranges.
fn overlaps_sorted(ranges: &[(usize, usize)], b0: usize, b1: usize) -> bool {
    let i = ranges.partition_point(|&(_, e)| e <= b0);
    ranges.get(i).is_some_and(|&(s, _)| s < b1)
}

/// The part of `s` after its last sentence or clause break.
pub(crate) fn clause_tail(s: &str) -> &str {
    match s.rfind(['.', '!', '?', ';', '\n']) {
        Some(p) => &s[p + 1..],
        None => s,
    }
}

/// The part of `s` before its first sentence or clause break.
pub(crate) fn clause_head(s: &str) -> &str {
    match s.find(['.', '!', '?', ';', '\n']) {
        Some(p) => &s[..p],
        None => s,
    }
}

fn floor_boundary(s: &str, mut b: usize) -> usize {
    while b > 0 && !s.is_char_boundary(b) {
        b -= 1;
    }
    b
}

fn ceil_boundary(s: &str, mut b: usize) -> usize {
    while b < s.len() && !s.is_char_boundary(b) {
        b += 1;
    }
    b
}

fn currency_info(code: &str) -> UnitInfo {
    let canonical: &'static str = match code {
        "USD" => "USD",
        "EUR" => "EUR",
        "GBP" => "GBP",
        "RUB" => "RUB",
        "JPY" => "JPY",
        "CNY" => "CNY",
        "UAH" => "UAH",
        "CAD" => "CAD",
        "AUD" => "AUD",
        "HKD" => "HKD",
        "NZD" => "NZD",
        "BRL" => "BRL",
        _ => "XXX",
    };
    UnitInfo {
        canonical,
        dimension: "money",
        factor: 1.0,
        offset: 0.0,
        si_unit: canonical,
    }
}

/// A quantity under construction.
#[derive(Debug, Clone, Default)]
struct QuantityParts {
    start: usize,
    value: f64,
    raw_value: f64,
    multiplier: f64,
    low: Option<f64>,
    high: Option<f64>,
    unit: Option<String>,
    info: Option<UnitInfo>,
    dimension: &'static str,
    si_value: Option<f64>,
    si_unit: Option<String>,
    approx: bool,
    bound: Option<String>,
    date: Option<String>,
    weekday: Option<String>,
}

impl QuantityParts {
    fn bare(value: f64, dimension: &'static str) -> Self {
        QuantityParts {
            value,
            raw_value: value,
            multiplier: 1.0,
            dimension,
            ..Default::default()
        }
    }
    fn date(value: f64, iso: Option<String>, weekday: Option<String>) -> Self {
        QuantityParts {
            value,
            raw_value: value,
            multiplier: 1.0,
            dimension: "date",
            date: iso,
            weekday,
            ..Default::default()
        }
    }
    fn into_parts(self) -> Self {
        self
    }
}

/// Find every quantity in the document, in text order.
pub fn analyze(doc: &Document, _report: &Report) -> Vec<Quantity> {
    extract(doc)
}

/// The extractor itself, independent of earlier layers.
pub fn extract(doc: &Document) -> Vec<Quantity> {
    let mut s = Scanner::new(doc);
    s.dates();
    let toks = s.number_tokens();
    s.build(&toks);
    let mut out = s.out;
    // Half-glued words (полчаса) carry their unit in the same word.
    for q in out.iter_mut() {
        if q.value == 0.5 && q.text == "пол" {
            let word_end = doc.text()[doc.byte_of(q.end)..]
                .find(|c: char| !c.is_alphabetic())
                .map(|p| doc.byte_of(q.end) + p)
                .unwrap_or(doc.text().len());
            let word = &doc.text()[doc.byte_of(q.start)..word_end];
            let lower = word.to_lowercase();
            if let Some((_, unit_stem)) = HALF_UNIT_WORDS.iter().find(|(h, _)| *h == lower) {
                let span = doc.span_of_bytes(doc.byte_of(q.start), word_end);
                q.end = span.end;
                q.text = word.to_string();
                if let Some(info) = parse_unit(unit_stem) {
                    q.unit = Some(unit_stem.to_string());
                    q.dimension = info.dimension.to_string();
                    q.si_unit = Some(info.si_unit.to_string());
                    q.si_value = Some(0.5 * info.factor);
                } else {
                    let scale = if unit_stem.starts_with("миллион") {
                        1e6
                    } else {
                        1e9
                    };
                    q.value = 0.5 * scale;
                }
            }
        }
    }
    out.sort_by_key(|q| (q.start, q.end));
    out.dedup_by(|b, a| a.start == b.start && a.end == b.end);
    out
}

/// The quantities layer: numbers with units, normalised.
pub struct QuantitiesLayer;

impl crate::pipeline::Layer for QuantitiesLayer {
    fn name(&self) -> &'static str {
        "quantities"
    }
    fn run(&self, doc: &Document, report: &mut Report) {
        report.quantities = analyze(doc, report);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
