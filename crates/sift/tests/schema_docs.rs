//! The JSON Schema and docs/report-schema.md describe every key a report holds: each key
//! of real reports (the shipped examples, a populated synthetic one) is declared in the
//! schema at its path, and each top-level key is documented.

use std::fs;
use std::path::PathBuf;

use serde_json::Value;
use sift::{Document, Pipeline};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The schema node that describes `key` inside `node` (following `$ref`, `items`,
/// `anyOf`/`oneOf`, nullable type lists).
fn child<'a>(schema: &'a Value, node: &'a Value, key: Option<&str>) -> Vec<&'a Value> {
    let node = resolve(schema, node);
    let mut out = Vec::new();
    for alt in ["anyOf", "oneOf", "allOf"] {
        if let Some(list) = node.get(alt).and_then(Value::as_array) {
            for n in list {
                out.extend(child(schema, n, key));
            }
        }
    }
    match key {
        Some(k) => {
            if let Some(n) = node.get("properties").and_then(|p| p.get(k)) {
                out.push(resolve(schema, n));
            }
            if let Some(n) = node.get("additionalProperties").filter(|n| n.is_object()) {
                out.push(resolve(schema, n));
            }
        }
        None => {
            if let Some(n) = node.get("items") {
                out.push(resolve(schema, n));
            }
        }
    }
    out
}

fn resolve<'a>(schema: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let path = r.trim_start_matches("#/").split('/');
            let mut n = schema;
            for part in path {
                n = &n[part];
            }
            resolve(schema, n)
        }
        None => node,
    }
}

fn undeclared(schema: &Value, nodes: &[&Value], value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let next: Vec<&Value> = nodes
                    .iter()
                    .flat_map(|n| child(schema, n, Some(k)))
                    .collect();
                let free = nodes.iter().any(|n| {
                    let n = resolve(schema, n);
                    n.get("additionalProperties").is_some_and(|a| a.is_object())
                });
                if next.is_empty() && !free {
                    out.push(format!("{path}.{k}"));
                } else {
                    undeclared(schema, &next, v, &format!("{path}.{k}"), out);
                }
            }
        }
        Value::Array(items) => {
            let next: Vec<&Value> = nodes.iter().flat_map(|n| child(schema, n, None)).collect();
            for v in items {
                undeclared(schema, &next, v, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

fn example_reports() -> Vec<Value> {
    let mut reports = Vec::new();
    for entry in fs::read_dir(root().join("examples")).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = fs::read_to_string(&path).unwrap();
            let mut report = Pipeline::default().analyze(&Document::from_text(&text));
            report.warnings.push("a warning".into());
            reports.push(serde_json::to_value(report).unwrap());
        }
    }
    assert!(reports.len() >= 2);
    reports
}

#[test]
fn every_report_key_is_in_the_schema() {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(root().join("schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let mut missing = Vec::new();
    for report in example_reports() {
        undeclared(&schema, &[&schema], &report, "", &mut missing);
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "keys not declared in schema/report.schema.json: {missing:?}"
    );
}

#[test]
fn every_top_level_key_is_documented() {
    let docs = fs::read_to_string(root().join("docs/report-schema.md")).unwrap();
    for report in example_reports() {
        for key in report.as_object().unwrap().keys() {
            assert!(
                docs.contains(&format!("`{key}`")),
                "docs/report-schema.md does not document `{key}`"
            );
        }
    }
}
