//! HTML pages → main article text and metadata, through `trafilatura` 0.6
//! favouring precision (chosen by measurement on the Article Extraction
//! Benchmark; see `docs/dependencies/input.md`).
//!
//! Hostile pages: the nesting is bounded first ([`super::html_depth`]), and
//! the extractor runs on its own thread with a large stack, so neither deep
//! recursion inside the dependency nor a panic in it can take the process
//! down; our own walk over the extracted fragment is iterative.

/// What the extractor found in one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// The main article text, paragraphs separated by blank lines.
    pub text: String,
    /// The page's headline.
    pub title: Option<String>,
    /// ISO 8601 date (`2024-03-01`).
    pub published: Option<String>,
    /// The author(s), from the page's metadata or byline.
    pub byline: Option<String>,
    /// The site or publication name.
    pub outlet: Option<String>,
    /// The page's canonical URL, when it declares one.
    pub url: Option<String>,
}

/// Whether decoded text looks like an HTML document rather than plain text
/// (for stdin and files without a telling extension).
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return true;
    }
    if !head.starts_with('<') {
        return false;
    }
    // A fragment: starts with a tag and has at least one of the tags that only
    // a page (not prose that happens to start with `<`) is made of.
    [
        "<head", "<body", "<meta", "<title", "<div", "<p>", "<p ", "<article",
    ]
    .iter()
    .any(|tag| head.contains(tag))
}

/// Stack for the extraction thread. Only touched pages are committed, so the
/// reservation costs address space, not memory; with the depth bounded it is
/// far more than the extractor's recursion needs.
const EXTRACTION_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Extract the article and its metadata. `Err` carries the reason when the
/// page has no article text.
pub fn extract(html: &str) -> Result<Extracted, String> {
    let page = super::html_depth::bound_depth(html);
    let failed = || "the HTML extractor failed on this page".to_string();
    // A bug in the extractor on some odd page must fail that one input, not the batch.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("sift-extract".into())
            .stack_size(EXTRACTION_STACK_BYTES)
            .spawn_scoped(scope, || extract_bounded(&page))
            .map_err(|e| format!("cannot start the HTML extractor: {e}"))?
            .join()
            .map_err(|_| failed())?
    })
}

/// [`extract`] on a page whose nesting is already bounded.
fn extract_bounded(html: &str) -> Result<Extracted, String> {
    let options = trafilatura::Options::default()
        .with_focus(trafilatura::ExtractionFocus::FavorPrecision)
        .with_fallback(true)
        .with_exclude_comments(true);
    let result = match trafilatura::extract(html, &options) {
        Ok(r) => r,
        Err(trafilatura::TrafilaturaError::InsufficientContent { .. }) => {
            return Err("no article text found in the HTML".into())
        }
        Err(e) => return Err(format!("no article text found in the HTML ({e})")),
    };
    // The plain text from trafilatura runs paragraphs together; its HTML keeps them.
    let text = paragraphs_of(&result.content_html);
    if text.trim().is_empty() {
        return Err("no article text found in the HTML".into());
    }
    let meta = result.metadata;
    Ok(Extracted {
        text,
        title: clean(meta.title),
        published: meta.date.map(|d| d.format("%Y-%m-%d").to_string()),
        byline: clean(meta.author),
        outlet: clean(meta.sitename),
        url: clean(meta.url),
    })
}

fn clean(field: String) -> Option<String> {
    let visible = crate::document::strip_invisible(&field);
    let collapsed = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

/// Elements that start a new paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "table",
    "tr",
    "section",
    "article",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "header",
    "footer",
    "main",
    "aside",
    "address",
    "hr",
];

/// The text of an HTML fragment, one paragraph per block element, paragraphs
/// separated by a blank line; `<br>` is a line break inside a paragraph.
fn paragraphs_of(fragment: &str) -> String {
    let doc = scraper::Html::parse_fragment(fragment);
    let mut raw = String::with_capacity(fragment.len());
    collect(doc.tree.root(), &mut raw);
    let mut out = String::with_capacity(raw.len());
    for paragraph in raw.split("\n\n") {
        let lines: Vec<String> = paragraph
            .split('\n')
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&lines.join("\n"));
    }
    out
}

/// Depth-first walk with an explicit stack: `Enter` a node, then `Leave` it to
/// close a block once its children are written.
enum Step<'a> {
    Enter(ego_tree::NodeRef<'a, scraper::Node>),
    Leave,
}

fn collect(root: ego_tree::NodeRef<'_, scraper::Node>, out: &mut String) {
    let mut todo = vec![Step::Enter(root)];
    while let Some(step) = todo.pop() {
        let node = match step {
            Step::Leave => {
                out.push_str("\n\n");
                continue;
            }
            Step::Enter(node) => node,
        };
        match node.value() {
            scraper::Node::Text(t) => {
                // Newlines in source HTML are just spaces.
                out.extend(
                    t.chars()
                        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
                );
                continue;
            }
            scraper::Node::Element(e) => {
                let name = e.name();
                if matches!(name, "script" | "style" | "noscript" | "template") {
                    continue;
                }
                if name == "br" {
                    out.push('\n');
                    continue;
                }
                if BLOCKS.contains(&name) {
                    out.push_str("\n\n");
                    todo.push(Step::Leave);
                } else if matches!(name, "td" | "th") {
                    out.push(' ');
                }
            }
            _ => {}
        }
        // Children pushed last-first so the first is written first.
        let first_child = todo.len();
        todo.extend(node.children().map(Step::Enter));
        todo[first_child..].reverse();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Harbour bridge reopens after repairs | The Coastal Courier</title>
<meta property="og:site_name" content="The Coastal Courier">
<meta property="og:title" content="Harbour bridge reopens after repairs">
<meta name="author" content="Maria Lindqvist">
<meta property="article:published_time" content="2024-03-14T09:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Harbour bridge reopens after repairs</h1>
<p>The harbour bridge reopened to traffic on Thursday after eight months of repairs that cost the city 14 million euros, officials said.</p>
<p>Mayor Ines Alvarez told reporters that the work had finished two weeks ahead of schedule and slightly under the approved budget.</p>
<p>Engineers replaced forty steel cables and resurfaced the whole deck, according to the transport department, which oversaw the project.</p>
</article>
<footer>Copyright The Coastal Courier. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"#;

    #[test]
    fn extracts_article_and_metadata() {
        let e = extract(PAGE).expect("article found");
        assert!(
            e.text
                .starts_with("Harbour bridge reopens after repairs\n\nThe harbour bridge reopened"),
            "{}",
            e.text
        );
        assert!(e.text.contains("forty steel cables"));
        assert!(!e.text.contains("Subscribe"), "footer leaked: {}", e.text);
        assert!(!e.text.contains("Sport"), "navigation leaked: {}", e.text);
        assert_eq!(
            e.text.matches("\n\n").count(),
            3,
            "headline and three paragraphs"
        );
        assert_eq!(
            e.title.as_deref(),
            Some("Harbour bridge reopens after repairs")
        );
        assert_eq!(e.byline.as_deref(), Some("Maria Lindqvist"));
        assert_eq!(e.outlet.as_deref(), Some("The Coastal Courier"));
        assert_eq!(e.published.as_deref(), Some("2024-03-14"));
    }

    #[test]
    fn truncated_html_still_extracts_what_is_there() {
        let cut = &PAGE[..PAGE.find("Engineers").unwrap() + 20];
        let e = extract(cut).expect("the first paragraphs survive");
        assert!(e.text.contains("Mayor Ines Alvarez"));
    }

    #[test]
    fn page_without_text_is_an_error() {
        for page in [
            "<html><head></head><body></body></html>",
            "<html><body><script>var views = 1;</script><style>p { color: red }</style></body></html>",
        ] {
            let err = extract(page).unwrap_err();
            assert!(err.contains("no article text"), "{err}");
        }
    }

    #[test]
    fn paragraphs_follow_blocks_and_line_breaks() {
        let text = paragraphs_of(
            "<div><h2>Key points</h2><p>First\n   line<br>second line</p>\
             <ul><li>one &amp; two</li><li>three</li></ul><script>x()</script></div>",
        );
        assert_eq!(
            text,
            "Key points\n\nFirst line\nsecond line\n\none & two\n\nthree"
        );
    }

    #[test]
    fn sniffs_html_but_not_prose() {
        assert!(looks_like_html(PAGE));
        assert!(looks_like_html("  <html><body><p>Hi</p></body></html>"));
        assert!(looks_like_html("<div class=\"story\"><p>Text</p></div>"));
        assert!(!looks_like_html(
            "The minister said <sic> the figure was 5 < 7."
        ));
        assert!(!looks_like_html("<3 to everyone who came to the vigil."));
        assert!(!looks_like_html("Plain prose about <p> tags."));
    }
}
