//! Paragraphs, sentences and tokens.

use crate::document::{Document, Span, Token, TokenKind};

/// Paragraphs are runs of non-blank lines separated by blank lines; a document
/// with no blank lines at all (one paragraph per line, as in many corpora) is
/// split per line.
pub fn paragraphs(doc: &Document) -> Vec<Span> {
    let text = doc.text();
    let has_blank_line = text.contains("\n\n") || text.contains("\n \n");
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_non_space = 0;
    let mut prev_newline = false;
    for (ci, c) in text.chars().enumerate() {
        if c == '\n' {
            if let Some(s) = start {
                if !has_blank_line || prev_newline {
                    out.push(Span::new(s, last_non_space));
                    start = None;
                }
            }
            prev_newline = true;
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        prev_newline = false;
        if start.is_none() {
            start = Some(ci);
        }
        last_non_space = ci + 1;
    }
    if let Some(s) = start {
        out.push(Span::new(s, last_non_space));
    }
    out
}

/// Sentence boundaries inside each paragraph.
pub fn sentences(doc: &Document) -> Vec<Span> {
    let mut out = Vec::new();
    for p in &doc.paragraphs {
        let text = doc.slice(*p);
        let mut start = 0usize;
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if matches!(c, '.' | '!' | '?' | '…') {
                let mut j = i + 1;
                while j < chars.len()
                    && matches!(chars[j], '.' | '!' | '?' | '"' | '”' | '»' | '’' | ')')
                {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_whitespace() {
                    let mut k = j;
                    while k < chars.len() && chars[k].is_whitespace() {
                        k += 1;
                    }
                    if k < chars.len()
                        && (chars[k].is_uppercase() || matches!(chars[k], '"' | '“' | '«' | '‘'))
                    {
                        out.push(Span::new(p.start + start, p.start + j));
                        start = k;
                        i = k;
                        continue;
                    }
                }
            }
            i += 1;
        }
        let mut end = chars.len();
        while end > start && chars[end - 1].is_whitespace() {
            end -= 1;
        }
        if end > start {
            out.push(Span::new(p.start + start, p.start + end));
        }
    }
    out
}

/// Words (letters, digits, inner hyphens and apostrophes), numbers (digits with
/// inner separators), punctuation and symbols.
pub fn tokens(doc: &Document) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<char> = doc.text().chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_digit() {
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (matches!(chars[i], ',' | '.')
                        && i + 1 < chars.len()
                        && chars[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            out.push(Token {
                start,
                end: i,
                kind: TokenKind::Number,
            });
        } else if c.is_alphanumeric() {
            i += 1;
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || (matches!(chars[i], '-' | '\'' | '’')
                        && i + 1 < chars.len()
                        && chars[i + 1].is_alphanumeric()))
            {
                i += 1;
            }
            out.push(Token {
                start,
                end: i,
                kind: TokenKind::Word,
            });
        } else {
            i += 1;
            let kind = if c.is_ascii_punctuation()
                || matches!(c, '«' | '»' | '“' | '”' | '‘' | '’' | '—' | '–' | '…' | '„')
            {
                TokenKind::Punct
            } else {
                TokenKind::Symbol
            };
            out.push(Token {
                start,
                end: i,
                kind,
            });
        }
    }
    out
}
