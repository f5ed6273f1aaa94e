//! Words to index terms: lower case, `ё` → `е`, Snowball stems (Russian for Cyrillic
//! words, English otherwise); links, `pic.twitter.com/…` and `@handles` dropped,
//! `#CamelCase` hashtags split into words. Shared by indexing and querying so both
//! sides see the same terms.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

fn stemmers() -> &'static (Stemmer, Stemmer) {
    static STEMMERS: OnceLock<(Stemmer, Stemmer)> = OnceLock::new();
    STEMMERS.get_or_init(|| {
        (
            Stemmer::create(Algorithm::English),
            Stemmer::create(Algorithm::Russian),
        )
    })
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// Is this whitespace-separated chunk debris (a link or a handle)?
fn is_debris(chunk: &str) -> bool {
    let lower = chunk.to_ascii_lowercase();
    lower.contains("http://")
        || lower.contains("https://")
        || lower.contains("pic.twitter.com")
        || lower.contains("t.co/")
        || lower.starts_with("(@")
        || lower.starts_with('@')
        || lower.starts_with("www.")
}

/// Split `AustralianFires` into `Australian Fires` (inside hashtags and handles).
fn split_camel(word: &str, out: &mut Vec<String>) {
    let mut current = String::new();
    let mut previous_lower = false;
    for c in word.chars() {
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
}

/// The words of a text, debris removed, hashtags split.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in text.split_whitespace() {
        if is_debris(chunk) {
            continue;
        }
        for word in chunk.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            if chunk.starts_with('#') {
                split_camel(word, &mut out);
            } else {
                out.push(word.to_string());
            }
        }
    }
    out
}

/// The index terms of a text, in order (repeats kept).
pub fn terms(text: &str) -> Vec<String> {
    let (english, russian) = stemmers();
    words(text)
        .into_iter()
        .filter_map(|word| {
            let lower = word.to_lowercase().replace('ё', "е");
            if lower.chars().count() < 2 {
                return None;
            }
            let stemmer = if lower.chars().any(is_cyrillic) {
                russian
            } else {
                english
            };
            Some(stemmer.stem(&lower).into_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_russian_words_are_stemmed() {
        assert_eq!(terms("Missiles tested"), ["missil", "test"]);
        assert_eq!(terms("ракеты испытаны"), ["ракет", "испыта"]);
    }

    #[test]
    fn tweet_debris_goes_and_hashtags_split() {
        let t =
            terms("Fires #AustralianFires pic.twitter.com/0eJ https://t.co/x (@CenterFor) — @bob");
        assert_eq!(t, ["fire", "australian", "fire"]);
    }
}
