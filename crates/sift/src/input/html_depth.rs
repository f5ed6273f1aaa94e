//! Bounding how deeply an HTML page nests before any tree is built from it.
//!
//! A page of 35,000 nested `<span>`s is 210 KB, yet it overflows the stack of any
//! extractor that recurses over the DOM (trafilatura's readability cleaner does),
//! and tree builders spend time quadratic in the depth (html5ever scans the stack
//! of open elements for every tag: 20,000 nested `<div>`s took over 30 s).
//! [`bound_depth`] runs html5ever's *tokenizer* alone (linear, no tree) and keeps
//! a model of the stack of open elements; start tags that would nest deeper than
//! [`MAX_DEPTH`] are dropped together with their end tags, their text kept. The
//! page is rewritten only when something was dropped, so ordinary pages reach the
//! extractor byte for byte as they came.
//!
//! The model follows the HTML tree-building rules closely enough to never count
//! *fewer* levels than a browser would build:
//! - void elements (`<br>`, `<img>`, …) and self-closing tags inside SVG/MathML
//!   open nothing; `<div/>` in HTML opens a `div`, as in a browser;
//! - a `<p>`, `<li>`, `<td>`, … closes an open one of the same name when only
//!   phrasing elements (`<b>`, `<span>`, …) lie above it;
//! - an end tag pops down to its element, but a phrasing end tag never pops
//!   through a block, and no end tag pops through a table or a cell (the
//!   browser ignores those);
//! - formatting elements (`<b>`, `<font>`, …) that are never closed are
//!   re-opened by the browser in every later block, so at most
//!   [`MAX_UNCLOSED_FORMATTING`] of them may be outstanding.
//!
//! Each token costs at most O([`MAX_DEPTH`]) (the stack searches), so the pass is
//! linear in the page.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt::Write as _;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Doctype, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::LocalName;
use rustc_hash::FxHashMap;

/// Deepest element nesting handed to the extractor. Real pages stay well under
/// 100; each level costs the extractor a few hundred bytes of stack.
pub const MAX_DEPTH: usize = 256;

/// Most formatting elements left open at once (see the module doc).
pub const MAX_UNCLOSED_FORMATTING: usize = 32;

/// The page with its nesting bounded: borrowed unchanged when nothing had to go.
pub fn bound_depth(html: &str) -> Cow<'_, str> {
    let sink = DepthSink {
        state: RefCell::new(Model::with_capacity(html.len())),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let model = tokenizer.sink.state.into_inner();
    if model.dropped == 0 {
        Cow::Borrowed(html)
    } else {
        Cow::Owned(model.out)
    }
}

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Inline elements: an end tag of one of these never closes a block, and
/// implied closes (`<p>` in `<p>`) pass over them.
const PHRASING: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "label", "mark", "nobr", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "small", "span",
    "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
];

/// Formatting elements the browser re-opens in later blocks until they are closed.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements a new element of the same name closes (`<p>a<p>b`, `<li>`, cells).
const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "h1",
    "h2", "h3", "h4", "h5", "h6", "a", "nobr", "button", "rb", "rp", "rt", "rtc",
];

/// Elements no end tag pops through (the browser's scope boundaries).
const SCOPE_BOUNDARIES: &[&str] = &[
    "html", "table", "td", "th", "caption", "template", "applet", "object", "marquee", "svg",
    "math",
];

/// Elements whose content the tokenizer reads as raw text, and how.
fn raw_kind(name: &str) -> Option<TokenSinkResult<()>> {
    match name {
        "script" => Some(TokenSinkResult::RawData(RawKind::ScriptData)),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            Some(TokenSinkResult::RawData(RawKind::Rawtext))
        }
        "textarea" | "title" => Some(TokenSinkResult::RawData(RawKind::Rcdata)),
        "plaintext" => Some(TokenSinkResult::Plaintext),
        _ => None,
    }
}

struct DepthSink {
    state: RefCell<Model>,
}

impl TokenSink for DepthSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut model = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => return model.tag(tag),
            Token::CharacterTokens(text) => model.text(&text),
            Token::NullCharacterToken => model.out.push('\u{FFFD}'),
            Token::DoctypeToken(doctype) => model.doctype(&doctype),
            Token::CommentToken(_) | Token::EOFToken | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

/// The model of the browser's stack of open elements, and the rewritten page.
struct Model {
    out: String,
    stack: Vec<LocalName>,
    /// How many of each element are on `stack`.
    open: FxHashMap<LocalName, u32>,
    /// Start tags dropped per name, whose end tags go too.
    dropped_open: FxHashMap<LocalName, u32>,
    /// Formatting elements opened and not yet closed by their own end tag.
    unclosed_formatting: FxHashMap<LocalName, u32>,
    unclosed_formatting_total: usize,
    /// Inside raw text (script, style): characters are copied as they are.
    raw: bool,
    /// Inside RCDATA (title, textarea): characters are escaped but not nested.
    rcdata: bool,
    /// Tags dropped in all.
    dropped: usize,
}

impl Model {
    fn with_capacity(bytes: usize) -> Model {
        Model {
            out: String::with_capacity(bytes),
            stack: Vec::new(),
            open: FxHashMap::default(),
            dropped_open: FxHashMap::default(),
            unclosed_formatting: FxHashMap::default(),
            unclosed_formatting_total: 0,
            raw: false,
            rcdata: false,
            dropped: 0,
        }
    }

    fn in_foreign_content(&self) -> bool {
        ["svg", "math"]
            .iter()
            .any(|n| self.open.get(&LocalName::from(*n)).is_some_and(|&c| c > 0))
    }

    fn tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        match tag.kind {
            TagKind::StartTag => self.start_tag(tag),
            TagKind::EndTag => {
                self.end_tag(&tag);
                TokenSinkResult::Continue
            }
        }
    }

    fn start_tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let raw = raw_kind(name);
        let empty = VOID.contains(&name) || (tag.self_closing && self.in_foreign_content());
        let opens = !empty;
        if opens && raw.is_none() {
            if SELF_CLOSING_SIBLINGS.contains(&name) {
                self.close_sibling(&tag.name);
            }
            let formatting = FORMATTING.contains(&name);
            let too_deep = self.stack.len() >= MAX_DEPTH;
            let too_many_formatting =
                formatting && self.unclosed_formatting_total >= MAX_UNCLOSED_FORMATTING;
            if too_deep || too_many_formatting {
                *self.dropped_open.entry(tag.name.clone()).or_default() += 1;
                self.dropped += 1;
                return TokenSinkResult::Continue;
            }
            if formatting {
                *self
                    .unclosed_formatting
                    .entry(tag.name.clone())
                    .or_default() += 1;
                self.unclosed_formatting_total += 1;
            }
        }
        write_start_tag(&mut self.out, &tag);
        if opens {
            // Raw-text elements hold no elements, so they may pass the bound by one.
            self.push(tag.name.clone());
        }
        match raw {
            Some(result) if opens => {
                self.raw = !matches!(&*tag.name, "title" | "textarea");
                self.rcdata = !self.raw;
                result
            }
            _ => TokenSinkResult::Continue,
        }
    }

    fn end_tag(&mut self, tag: &Tag) {
        self.raw = false;
        self.rcdata = false;
        if let Some(n) = self.dropped_open.get_mut(&tag.name).filter(|n| **n > 0) {
            *n -= 1;
            self.dropped += 1;
            return;
        }
        if let Some(n) = self
            .unclosed_formatting
            .get_mut(&tag.name)
            .filter(|n| **n > 0)
        {
            *n -= 1;
            self.unclosed_formatting_total -= 1;
        }
        if let Some(depth) = self.end_tag_target(&tag.name) {
            while self.stack.len() > depth {
                self.pop();
            }
        }
        let _ = write!(self.out, "</{}>", tag.name);
    }

    /// The stack length after `</name>`, if the browser would close an element.
    fn end_tag_target(&self, name: &LocalName) -> Option<usize> {
        if self.open.get(name).is_none_or(|&c| c == 0) {
            return None;
        }
        let phrasing = PHRASING.contains(&&**name);
        for (i, open) in self.stack.iter().enumerate().rev() {
            if open == name {
                return Some(i);
            }
            let boundary = SCOPE_BOUNDARIES.contains(&&**open);
            if boundary || (phrasing && !PHRASING.contains(&&**open)) {
                return None;
            }
        }
        None
    }

    /// `<p>` in an open `<p>` (with only phrasing elements above it) closes it.
    fn close_sibling(&mut self, name: &LocalName) {
        if self.open.get(name).is_none_or(|&c| c == 0) {
            return;
        }
        let mut depth = None;
        for (i, open) in self.stack.iter().enumerate().rev() {
            if open == name {
                depth = Some(i);
                break;
            }
            if !PHRASING.contains(&&**open) {
                break;
            }
        }
        if let Some(depth) = depth {
            while self.stack.len() > depth {
                self.pop();
            }
        }
    }

    fn push(&mut self, name: LocalName) {
        *self.open.entry(name.clone()).or_default() += 1;
        self.stack.push(name);
    }

    fn pop(&mut self) {
        if let Some(name) = self.stack.pop() {
            if let Some(n) = self.open.get_mut(&name) {
                *n = n.saturating_sub(1);
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.raw {
            self.out.push_str(text);
            return;
        }
        for c in text.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' if !self.rcdata => self.out.push_str("&gt;"),
                c => self.out.push(c),
            }
        }
    }

    fn doctype(&mut self, doctype: &Doctype) {
        let name = doctype.name.as_deref().unwrap_or("html");
        let _ = write!(self.out, "<!DOCTYPE {}", clean_name(name));
        match (&doctype.public_id, &doctype.system_id) {
            (Some(public), system) => {
                let _ = write!(self.out, " PUBLIC \"{}\"", public.replace('"', ""));
                if let Some(system) = system {
                    let _ = write!(self.out, " \"{}\"", system.replace('"', ""));
                }
            }
            (None, Some(system)) => {
                let _ = write!(self.out, " SYSTEM \"{}\"", system.replace('"', ""));
            }
            (None, None) => {}
        }
        self.out.push('>');
    }
}

/// A tag or attribute name with only the characters that re-read as one name.
fn clean_name(name: &str) -> Cow<'_, str> {
    let ok = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.');
    if name.chars().all(ok) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(name.chars().filter(|&c| ok(c)).collect())
    }
}

fn write_start_tag(out: &mut String, tag: &Tag) {
    let _ = write!(out, "<{}", clean_name(&tag.name));
    for attr in &tag.attrs {
        let name = clean_name(&attr.name.local);
        if name.is_empty() {
            continue;
        }
        let _ = write!(out, " {name}=\"");
        for c in attr.value.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '"' => out.push_str("&quot;"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    if tag.self_closing {
        out.push_str(" /");
    }
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Depth of the tree a browser (html5ever) builds, walked without recursion.
    pub(crate) fn parsed_depth(html: &str) -> usize {
        let doc = scraper::Html::parse_document(html);
        let mut deepest = 0;
        let mut todo = vec![(doc.tree.root(), 0usize)];
        while let Some((node, depth)) = todo.pop() {
            deepest = deepest.max(depth);
            todo.extend(node.children().map(|c| (c, depth + 1)));
        }
        deepest
    }

    #[test]
    fn ordinary_pages_pass_unchanged() {
        let page = "<!DOCTYPE html><html><head><title>A &amp; B</title>\
            <script>if (a < b && c > d) {}</script></head><body><p>One<p>Two<br>\
            <ul><li>x<li>y</ul><table><tr><td>1<td>2</table></body></html>";
        assert!(matches!(bound_depth(page), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_cut_at_the_bound_and_text_kept() {
        for tag in ["span", "div", "b", "li", "table", "font"] {
            let page = format!("<p>{}deep text", format!("<{tag}>").repeat(5000));
            let bounded = bound_depth(&page);
            assert!(bounded.contains("deep text"), "{tag}");
            let depth = parsed_depth(&bounded);
            assert!(depth <= 2 * MAX_DEPTH, "{tag}: depth {depth}");
        }
    }

    #[test]
    fn shapes_that_fool_a_naive_counter_are_bounded() {
        let shapes = [
            // An end tag the browser ignores (a span cannot close a div).
            "<span><div></span>",
            // Self-closing syntax on an HTML element still opens it.
            "<div/>",
            // Formatting elements re-opened in every new paragraph.
            "<p><b class=x></p><p><i></p>",
            // Nested lists: a new <li> closes only the <li> of its own list.
            "<li><ul>",
            // A div closed across a table boundary stays open.
            "<div><table></div>",
        ];
        for unit in shapes {
            let page = format!("<body>{}text", unit.repeat(3000));
            let bounded = bound_depth(&page);
            let depth = parsed_depth(&bounded);
            assert!(depth <= 2 * MAX_DEPTH + 8, "{unit}: depth {depth}");
        }
    }

    #[test]
    fn rewriting_keeps_scripts_raw_and_attributes_quoted() {
        let page = format!(
            "<html><body>{}{}<a href=\"/x?a=1&amp;b=&quot;2&quot;\">link</a>\
             <script>var s = \"</div>\" < 3;</script>tail",
            "<div>".repeat(MAX_DEPTH + 10),
            "</div>".repeat(MAX_DEPTH + 10)
        );
        let bounded = bound_depth(&page);
        assert!(bounded.contains("<a href=\"/x?a=1&amp;b=&quot;2&quot;\">link</a>"));
        assert!(bounded.contains("<script>var s = \"</div>\" < 3;</script>tail"));
    }
}
