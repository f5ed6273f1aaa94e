//! Readers for fact-check files: schema.org ClaimReview (JSON-LD: an array, one
//! object, an `@graph`, or JSON lines), CSV with chosen columns, and the CheckThat!
//! task-2 TSV (`id<TAB>vclaim<TAB>title`, one header line).

use std::path::Path;

use serde_json::Value;

use crate::FactCheck;

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    ClaimReview,
    Csv,
    CheckThat,
}

impl Format {
    /// By extension: `.json`/`.jsonl`/`.jsonld` ClaimReview, `.csv` CSV, `.tsv` CheckThat.
    pub fn guess(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" | "jsonl" | "jsonld" | "ndjson" => Some(Format::ClaimReview),
            "csv" => Some(Format::Csv),
            "tsv" => Some(Format::CheckThat),
            _ => None,
        }
    }
}

/// Which CSV columns hold what (header names).
#[derive(Debug, Clone)]
pub struct CsvColumns {
    pub claim: String,
    pub url: String,
    pub date: String,
    pub rating: String,
    pub id: String,
    /// The rating of every record whose file has no rating column (e.g. a database
    /// of debunked claims only: "disinformation").
    pub default_rating: Option<String>,
}

impl Default for CsvColumns {
    fn default() -> Self {
        CsvColumns {
            claim: "claim".into(),
            url: "url".into(),
            date: "date".into(),
            rating: "rating".into(),
            id: "id".into(),
            default_rating: None,
        }
    }
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("line {line}: not JSON ({why})")]
    Json { line: usize, why: String },
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("CSV has no `{0}` column (choose one with --claim-column)")]
    NoClaimColumn(String),
}

/// A stable id from the claim and url (FNV-1a, hex), for records without one.
pub fn hashed_id(claim: &str, url: Option<&str>) -> String {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in claim
        .trim()
        .bytes()
        .chain([0])
        .chain(url.unwrap_or("").bytes())
    {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01B3);
    }
    format!("h{h:016x}")
}

fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Object(o) => text_of(o.get("name").or_else(|| o.get("@value"))),
        _ => None,
    }
}

/// The ClaimReview records inside one JSON value (objects, arrays, `@graph`s).
fn claim_reviews(value: &Value, out: &mut Vec<FactCheck>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| claim_reviews(v, out)),
        Value::Object(o) => {
            if let Some(graph) = o.get("@graph") {
                claim_reviews(graph, out);
            }
            let Some(claim) = text_of(o.get("claimReviewed")) else {
                return;
            };
            let url = text_of(o.get("url"));
            let rating = o.get("reviewRating").and_then(|r| {
                text_of(r.get("alternateName")).or_else(|| text_of(r.get("ratingValue")))
            });
            let id = text_of(o.get("@id"))
                .or_else(|| url.clone())
                .unwrap_or_else(|| hashed_id(&claim, None));
            out.push(FactCheck {
                id,
                context: text_of(o.get("headline")).unwrap_or_default(),
                date: text_of(o.get("datePublished")),
                claim,
                url,
                rating,
            });
        }
        _ => {}
    }
}

/// ClaimReview JSON-LD: the whole file as one JSON value, else one value per line.
pub fn read_claim_review(text: &str) -> Result<Vec<FactCheck>, ImportError> {
    let mut out = Vec::new();
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        claim_reviews(&value, &mut out);
        return Ok(out);
    }
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line).map_err(|e| ImportError::Json {
            line: i + 1,
            why: e.to_string(),
        })?;
        claim_reviews(&value, &mut out);
    }
    Ok(out)
}

/// CSV with a header row; columns chosen by name.
pub fn read_csv(text: &str, columns: &CsvColumns) -> Result<Vec<FactCheck>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers()?.clone();
    let find = |name: &str| headers.iter().position(|h| h.trim() == name);
    let claim_at =
        find(&columns.claim).ok_or_else(|| ImportError::NoClaimColumn(columns.claim.clone()))?;
    let (url_at, date_at, rating_at, id_at) = (
        find(&columns.url),
        find(&columns.date),
        find(&columns.rating),
        find(&columns.id),
    );
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row?;
        let get = |at: Option<usize>| {
            at.and_then(|i| row.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let Some(claim) = get(Some(claim_at)) else {
            continue;
        };
        let url = get(url_at);
        out.push(FactCheck {
            id: get(id_at).unwrap_or_else(|| hashed_id(&claim, url.as_deref())),
            rating: get(rating_at).or_else(|| columns.default_rating.clone()),
            date: get(date_at),
            context: String::new(),
            claim,
            url,
        });
    }
    Ok(out)
}

/// CheckThat! task-2 verified claims: `id<TAB>vclaim<TAB>title` after a header line.
pub fn read_checkthat(text: &str) -> Vec<FactCheck> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let id = fields.next()?.trim().to_string();
            let claim = fields.next()?.trim().to_string();
            let context = fields.next().unwrap_or("").trim().to_string();
            (!id.is_empty() && !claim.is_empty()).then_some(FactCheck {
                id,
                claim,
                context,
                ..FactCheck::default()
            })
        })
        .collect()
}

/// Read one file in `format`.
pub fn read_file(
    path: &Path,
    format: Format,
    columns: &CsvColumns,
) -> Result<Vec<FactCheck>, ImportError> {
    let text = std::fs::read_to_string(path)?;
    match format {
        Format::ClaimReview => read_claim_review(&text),
        Format::Csv => read_csv(&text, columns),
        Format::CheckThat => Ok(read_checkthat(&text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_review_in_every_shape() {
        let one = r#"{"@type":"ClaimReview","claimReviewed":"X cures Y","url":"https://f.example/1",
            "datePublished":"2024-01-02","reviewRating":{"alternateName":"False"}}"#;
        let records = read_claim_review(one).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].rating.as_deref(), Some("False"));
        assert_eq!(records[0].id, "https://f.example/1");
        let array = format!("[{one},{one}]");
        assert_eq!(read_claim_review(&array).unwrap().len(), 2);
        let lines = format!("{}\n{}\n", one.replace('\n', ""), one.replace('\n', ""));
        assert_eq!(read_claim_review(&lines).unwrap().len(), 2);
        let graph = format!(r#"{{"@graph":[{one}]}}"#);
        assert_eq!(read_claim_review(&graph).unwrap().len(), 1);
    }

    #[test]
    fn csv_columns_are_chosen_by_name() {
        let text = "date,id,title\n2021-02-18,https://e.example/a,\"Navalny, said X\"\n";
        let columns = CsvColumns {
            claim: "title".into(),
            url: "id".into(),
            default_rating: Some("disinformation".into()),
            ..CsvColumns::default()
        };
        let records = read_csv(text, &columns).unwrap();
        assert_eq!(records[0].claim, "Navalny, said X");
        assert_eq!(records[0].url.as_deref(), Some("https://e.example/a"));
        assert_eq!(records[0].rating.as_deref(), Some("disinformation"));
        assert!(matches!(
            read_csv(text, &CsvColumns::default()),
            Err(ImportError::NoClaimColumn(_))
        ));
    }

    #[test]
    fn checkthat_tsv_skips_its_header() {
        let records = read_checkthat("\tvclaim\ttitle\n0\tA claim.\tA title\n");
        assert_eq!(records.len(), 1);
        assert_eq!(
            (records[0].id.as_str(), records[0].context.as_str()),
            ("0", "A title")
        );
    }

    #[test]
    fn a_missing_id_is_hashed_stably() {
        assert_eq!(hashed_id("a", None), hashed_id(" a ", None));
        assert_ne!(hashed_id("a", None), hashed_id("b", None));
    }
}
