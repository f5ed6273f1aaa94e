//! JSON records: `{"id", "text" | "html", "url", "title", "published", "outlet"}`,
//! one per line in JSONL, or one object / an array of them in a `.json` file.
//! A bad record fails alone, named `path:line` (JSONL) or `path:[index]` (JSON array).

use serde::Deserialize;

use super::{html_document, InputError, InputErrorKind, InputResult};
use crate::document::{strip_invisible, RawDocument, Source};

/// One input record. Either `text` or `html` must be present.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Record {
    /// The document id, a string or a number; when absent, `stem:line` (JSONL),
    /// `stem:index` (JSON array) or the file stem (single object) stands in.
    #[serde(default, deserialize_with = "string_or_number")]
    pub id: Option<String>,
    /// The article as plain text; used in preference to `html` when not blank.
    #[serde(default)]
    pub text: Option<String>,
    /// The article as an HTML page, extracted like an `.html` file.
    #[serde(default)]
    pub html: Option<String>,
    /// Where the article was published online.
    #[serde(default)]
    pub url: Option<String>,
    /// The headline; overrides one extracted from `html`.
    #[serde(default)]
    pub title: Option<String>,
    /// Publication date, as given (ISO 8601 preferred); overrides an extracted one.
    #[serde(default)]
    pub published: Option<String>,
    /// The publication's name; overrides an extracted one.
    #[serde(default)]
    pub outlet: Option<String>,
    /// The author(s), as given; overrides an extracted byline.
    #[serde(default)]
    pub byline: Option<String>,
}

/// Ids are often numbers in exported data; accept both.
fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(other) => {
            return Err(serde::de::Error::custom(format!(
                "\"id\" must be a string or a number, not {other}"
            )))
        }
    })
}

/// Whether a line is a JSON object that looks like a record (for sniffing stdin).
pub(super) fn is_record_line(line: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(line).is_ok_and(|v| {
        v.as_object()
            .is_some_and(|o| o.contains_key("text") || o.contains_key("html"))
    })
}

/// One result per non-blank line.
pub(super) fn read_jsonl(name: &str, stem: &str, text: &str, encoding: &str) -> Vec<InputResult> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let input = format!("{name}:{}", i + 1);
        let fallback_id = format!("{stem}:{}", i + 1);
        out.push(
            serde_json::from_str::<Record>(line)
                .map_err(|e| {
                    InputError::new(
                        &input,
                        InputErrorKind::MalformedJson,
                        format!("not a JSON record: {e}"),
                    )
                })
                .and_then(|r| record_document(&input, name, &fallback_id, r, encoding, "jsonl")),
        );
    }
    if out.is_empty() {
        out.push(Err(InputError::new(
            name,
            InputErrorKind::Empty,
            "no records in the file",
        )));
    }
    out
}

/// A `.json` file: one record, or an array of records.
pub(super) fn read_json(name: &str, stem: &str, text: &str, encoding: &str) -> Vec<InputResult> {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![Err(InputError::new(
                name,
                InputErrorKind::MalformedJson,
                format!("not valid JSON: {e}"),
            ))]
        }
    };
    let items = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(_) => {
            return vec![serde_json::from_value::<Record>(value)
                .map_err(|e| {
                    InputError::new(
                        name,
                        InputErrorKind::MalformedJson,
                        format!("not a record: {e}"),
                    )
                })
                .and_then(|r| record_document(name, name, stem, r, encoding, "json"))];
        }
        _ => {
            return vec![Err(InputError::new(
                name,
                InputErrorKind::MalformedJson,
                "expected a JSON object or an array of objects",
            ))]
        }
    };
    if items.is_empty() {
        return vec![Err(InputError::new(
            name,
            InputErrorKind::Empty,
            "no records in the file",
        ))];
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let input = format!("{name}:[{i}]");
            serde_json::from_value::<Record>(item)
                .map_err(|e| {
                    InputError::new(
                        &input,
                        InputErrorKind::MalformedJson,
                        format!("not a record: {e}"),
                    )
                })
                .and_then(|r| {
                    record_document(&input, name, &format!("{stem}:{i}"), r, encoding, "json")
                })
        })
        .collect()
}

fn record_document(
    input: &str,
    path: &str,
    fallback_id: &str,
    record: Record,
    encoding: &str,
    format: &str,
) -> InputResult {
    let id = record.id.clone().unwrap_or_else(|| fallback_id.to_string());
    let source = Source {
        path: (path != "-").then(|| path.to_string()),
        url: record.url.clone(),
        encoding: Some(encoding.to_string()),
        format: Some(format.to_string()),
        ..Source::default()
    };
    let mut doc = match (record.text, record.html) {
        (Some(text), _) if !text.trim().is_empty() => RawDocument { id, source, text },
        (_, Some(page)) if !page.trim().is_empty() => html_document(input, &id, &page, source)?,
        (None, None) => {
            return Err(InputError::new(
                input,
                InputErrorKind::NoText,
                "record has neither \"text\" nor \"html\"",
            ))
        }
        _ => {
            return Err(InputError::new(
                input,
                InputErrorKind::Empty,
                "record text is empty",
            ))
        }
    };
    // What the record states outright beats what extraction guessed.
    let s = &mut doc.source;
    s.title = record.title.or(s.title.take());
    s.published = record.published.or(s.published.take());
    s.outlet = record.outlet.or(s.outlet.take());
    s.byline = record.byline.or(s.byline.take());
    // Metadata reaches terminals as it is: no controls, no bidi overrides.
    for value in [&mut s.title, &mut s.published, &mut s.outlet, &mut s.byline]
        .into_iter()
        .flatten()
    {
        *value = strip_invisible(value).into_owned();
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_records_and_a_bad_line() {
        let data = concat!(
            "{\"id\": \"a1\", \"text\": \"The mayor resigned.\", \"url\": \"https://example.org/a1\", ",
            "\"title\": \"Mayor quits\", \"published\": \"2024-05-02\", \"outlet\": \"Example Daily\"}\n",
            "\n",
            "{not json\n",
            "{\"id\": 7, \"text\": \"Second story.\"}\n",
            "{\"id\": \"x\"}\n",
        );
        let out = read_jsonl("in.jsonl", "in", data, "UTF-8");
        assert_eq!(out.len(), 4);
        let a = out[0].as_ref().unwrap();
        assert_eq!(a.id, "a1");
        assert_eq!(a.text, "The mayor resigned.");
        assert_eq!(a.source.url.as_deref(), Some("https://example.org/a1"));
        assert_eq!(a.source.title.as_deref(), Some("Mayor quits"));
        assert_eq!(a.source.published.as_deref(), Some("2024-05-02"));
        assert_eq!(a.source.outlet.as_deref(), Some("Example Daily"));
        assert_eq!(a.source.format.as_deref(), Some("jsonl"));
        let bad = out[1].as_ref().unwrap_err();
        assert_eq!(bad.input, "in.jsonl:3");
        assert_eq!(bad.kind, InputErrorKind::MalformedJson);
        assert_eq!(out[2].as_ref().unwrap().id, "7");
        let empty = out[3].as_ref().unwrap_err();
        assert_eq!(empty.input, "in.jsonl:5");
        assert!(empty.reason.contains("neither"), "{}", empty.reason);
    }

    #[test]
    fn html_record_keeps_its_stated_fields() {
        let page = "<html><head><title>Page title</title>\
            <meta property=\"og:site_name\" content=\"Page Outlet\"></head><body><article>\
            <p>Rescuers reached the village on Sunday morning after the road was cleared of debris.</p>\
            <p>Local officials said all residents were safe and that power would return by evening.</p>\
            </article></body></html>";
        let line =
            serde_json::json!({"id": "h", "html": page, "outlet": "Stated Outlet"}).to_string();
        let out = read_jsonl("h.jsonl", "h", &line, "UTF-8");
        let doc = out[0].as_ref().unwrap();
        assert!(
            doc.text.contains("Rescuers reached the village"),
            "{}",
            doc.text
        );
        assert!(!doc.text.contains("<p>"));
        assert_eq!(doc.source.outlet.as_deref(), Some("Stated Outlet"));
        assert_eq!(doc.source.title.as_deref(), Some("Page title"));
    }

    #[test]
    fn json_object_and_array() {
        let one = read_json("o.json", "o", "{\"text\": \"Only one.\"}", "UTF-8");
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].as_ref().unwrap().id, "o");
        let many = read_json(
            "m.json",
            "m",
            "[{\"id\": \"p\", \"text\": \"First.\"}, 3, {\"text\": \"Third.\"}]",
            "UTF-8",
        );
        assert_eq!(many.len(), 3);
        assert_eq!(many[0].as_ref().unwrap().id, "p");
        assert_eq!(many[1].as_ref().unwrap_err().input, "m.json:[1]");
        assert_eq!(many[2].as_ref().unwrap().id, "m:2");
        let broken = read_json("b.json", "b", "{\"text\": ", "UTF-8");
        assert!(broken[0]
            .as_ref()
            .unwrap_err()
            .reason
            .starts_with("not valid JSON"));
    }
}
