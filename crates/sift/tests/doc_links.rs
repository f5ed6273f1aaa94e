//! No dead links in the repository's Markdown: every relative link names a file that
//! exists, and every `#anchor` names a heading of its target (GitHub's slug rule).

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            markdown_files(&path, out);
        } else if name.ends_with(".md") {
            out.push(path);
        }
    }
}

/// GitHub's heading anchor: lower case, spaces to '-', punctuation other than '-' and
/// '_' dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    let mut in_code = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && line.starts_with('#') {
            out.push(slug(line.trim_start_matches('#')));
        }
    }
    out
}

/// `(target, line)` of each inline link `](target)` outside code blocks and spans.
fn links(text: &str) -> Vec<(String, usize)> {
    let mut in_code = false;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(j) = after.find(')') else { break };
            let ticks_before = rest[..i].matches('`').count();
            if ticks_before % 2 == 0 {
                out.push((after[..j].to_string(), n + 1));
            }
            rest = &after[j..];
        }
    }
    out
}

#[test]
fn markdown_links_resolve() {
    let mut files = Vec::new();
    markdown_files(&root(), &mut files);
    assert!(files.len() > 5, "found only {} Markdown files", files.len());
    let mut dead = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        for (link, line) in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = match link.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (link.as_str(), None),
            };
            let target = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            let shown = format!(
                "{}:{line}: {link}",
                file.strip_prefix(root()).unwrap().display()
            );
            if !target.exists() {
                dead.push(format!("{shown} (no such file)"));
                continue;
            }
            if let Some(anchor) = anchor {
                if target.is_file()
                    && !anchors(&fs::read_to_string(&target).unwrap())
                        .iter()
                        .any(|a| a == anchor)
                {
                    dead.push(format!("{shown} (no such heading)"));
                }
            }
        }
    }
    assert!(dead.is_empty(), "dead links:\n{}", dead.join("\n"));
}

#[test]
fn slugs_follow_github() {
    assert_eq!(
        slug(" Quantities and consistency"),
        "quantities-and-consistency"
    );
    assert_eq!(
        slug("HTML extraction: Article Extraction Benchmark (181 pages)"),
        "html-extraction-article-extraction-benchmark-181-pages"
    );
    assert_eq!(
        links("see [a](b.md#c) and `[x](y)`"),
        [("b.md#c".to_string(), 1)]
    );
}
