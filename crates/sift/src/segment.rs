//! Paragraphs, sentences and tokens.
//!
//! Everything here is a single left-to-right pass (plus bounded look-around at
//! candidate boundaries), so segmentation stays linear in the text length.
//! The sentence rules are written for English and Russian news text; see
//! `docs/benchmarks/nlp.md` for how they compare with `sentencex` and
//! `unicode-segmentation` on the PTC corpus.

use crate::document::{Document, Span, Token, TokenKind};

/// Paragraphs as writers make them: blank (empty or whitespace-only) lines always
/// separate paragraphs; inside a block of non-blank lines each line is a paragraph
/// (news files, corpora and extracted HTML break paragraphs with a single newline),
/// unless the block is hard-wrapped (see [`is_hard_wrapped`]), when its lines stay one
/// paragraph.
pub fn paragraphs(doc: &Document) -> Vec<Span> {
    paragraph_spans(doc.text())
}

/// [`paragraphs`] over a plain string: char spans, trimmed of surrounding whitespace.
pub fn paragraph_spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut block: Vec<Line> = Vec::new();
    for line in lines(text) {
        match line {
            Some(line) => block.push(line),
            None => flush_block(&mut block, &mut out),
        }
    }
    flush_block(&mut block, &mut out);
    out
}

/// A non-blank line: its span trimmed of surrounding whitespace, first and last char.
struct Line {
    span: Span,
    first: char,
    last: char,
}

/// Each line of `text`, `None` for a blank one.
fn lines(text: &str) -> impl Iterator<Item = Option<Line>> + '_ {
    let mut offset = 0;
    text.split('\n').map(move |line| {
        let start = offset;
        offset += line.chars().count() + 1;
        let lead = line.chars().take_while(|c| c.is_whitespace()).count();
        let content = line.trim();
        let lo = start + lead;
        Some(Line {
            span: Span::new(lo, lo + content.chars().count()),
            first: content.chars().next()?,
            last: content.chars().next_back()?,
        })
    })
}

/// A block of consecutive non-blank lines becomes paragraphs: one, if hard-wrapped;
/// else one per line.
fn flush_block(block: &mut Vec<Line>, out: &mut Vec<Span>) {
    if block.is_empty() {
        return;
    }
    if is_hard_wrapped(block) {
        out.push(Span::new(
            block[0].span.start,
            block[block.len() - 1].span.end,
        ));
    } else {
        out.extend(block.iter().map(|l| l.span));
    }
    block.clear();
}

/// Whether the lines of a block were broken at a fixed width rather than at paragraph
/// ends: most line breaks fall mid-sentence, the line ending without sentence
/// punctuation and the next one going on in lower case (or with a digit or a
/// continuing punctuation mark).
fn is_hard_wrapped(block: &[Line]) -> bool {
    if block.len() < 2 {
        return false;
    }
    let mid_sentence = block
        .windows(2)
        .filter(|pair| {
            let (last, next) = (pair[0].last, pair[1].first);
            let ends_sentence = is_terminator(last) || is_closer(last) || last == ':';
            !ends_sentence
                && (next.is_lowercase() || next.is_ascii_digit() || matches!(next, ',' | ';' | ')'))
        })
        .count();
    mid_sentence * 2 > block.len() - 1
}

/// Sentence boundaries inside each paragraph (a sentence never crosses a paragraph).
pub fn sentences(doc: &Document) -> Vec<Span> {
    let mut splitter = SentenceSplitter::default();
    let mut out = Vec::with_capacity(doc.paragraphs.len() * 2);
    for p in &doc.paragraphs {
        splitter.split_into(doc.slice(*p), p.start, &mut out);
    }
    out
}

/// Split one paragraph of plain text into sentence char spans (relative to `text`).
pub fn sentence_spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    SentenceSplitter::default().split_into(text, 0, &mut out);
    out
}

/// Rule-based sentence splitter for English and Russian. Holds a scratch
/// buffer so splitting many paragraphs allocates once.
#[derive(Default)]
pub struct SentenceSplitter {
    chars: Vec<char>,
    word: String,
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉')
}

/// Characters that may close a quotation or bracket after a sentence end.
/// `“` closes the German/Russian `„…“` style.
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '“' | ')' | ']' | '}')
}

/// Characters that may open a sentence before its first word.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '«' | '„' | '(' | '[' | '¿' | '¡'
    )
}

fn is_dash(c: char) -> bool {
    matches!(c, '—' | '–' | '-' | '‒' | '―')
}

/// Abbreviations (lowercase, inner dots removed) that are never the last word of
/// a sentence: titles before names, months before day numbers, "т. е.", "им." …
const NON_TERMINAL: &[&str] = &[
    // English titles and ranks
    "mr",
    "mrs",
    "ms",
    "mssrs",
    "messrs",
    "dr",
    "prof",
    "gen",
    "lt",
    "col",
    "maj",
    "sgt",
    "capt",
    "cmdr",
    "adm",
    "gov",
    "sen",
    "rep",
    "rev",
    "hon",
    "pres",
    "supt",
    "insp",
    "det",
    "cpl",
    "pvt",
    "brig",
    "fr",
    "sr",
    "mt",
    "ft",
    "no",
    "nos",
    "vol",
    "vols",
    "vs",
    "eg",
    "ie",
    "cf",
    "approx",
    "fig",
    "figs",
    "ch",
    "sec",
    "art",
    "para",
    "pp",
    "ed",
    "eds",
    "est",
    "dept",
    "univ",
    "assn",
    "ave",
    "blvd",
    "rd",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "ca",
    "viz",
    // Russian
    "те",
    "тк",
    "тн",
    "ио",
    "им",
    "ул",
    "пр",
    "просп",
    "пер",
    "пл",
    "наб",
    "ш",
    "см",
    "ср",
    "напр",
    "проф",
    "акад",
    "доц",
    "ген",
    "полк",
    "подп",
    "генерал",
    "адм",
    "зам",
    "пред",
    "св",
    "тов",
    "гр",
    "рис",
    "табл",
    "гл",
    "ст",
    "п",
    "пп",
    "ч",
    "с",
    "д",
    "пос",
    "дер",
    "обл",
    "р",
    "тыс",
    "млн",
    "млрд",
    "трлн",
    "руб",
    "коп",
    "долл",
    "ок",
    "прим",
    "русск",
    "англ",
    "нем",
    "франц",
    "лат",
    "греч",
    "янв",
    "февр",
    "апр",
    "авг",
    "сент",
    "окт",
    "нояб",
    "дек",
    "тел",
    "эт",
    "кв",
    "корп",
    "стр",
    "мин",
    "сек",
];

/// Abbreviations that may end a sentence ("… in the U.S. The talks …",
/// "… и т. д. Затем …"): a boundary only when a typical sentence opener follows.
const AMBIGUOUS: &[&str] = &[
    "us", "uk", "un", "eu", "usa", "ussr", "am", "pm", "inc", "ltd", "co", "corp", "jr", "etc",
    "al", "st", "bros", "plc", "llc", "тд", "тп", "др", "г", "гг", "вв", "в", "чел", "шт", "км",
    "кг", "га",
];

/// Words that typically open a sentence; they decide the ambiguous abbreviations.
const STARTERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "but",
    "and",
    "in",
    "on",
    "at",
    "this",
    "that",
    "these",
    "those",
    "there",
    "his",
    "her",
    "their",
    "our",
    "its",
    "as",
    "if",
    "when",
    "while",
    "after",
    "before",
    "however",
    "meanwhile",
    "yet",
    "so",
    "some",
    "many",
    "most",
    "all",
    "what",
    "who",
    "why",
    "how",
    "where",
    "for",
    "according",
    "since",
    "although",
    "though",
    "later",
    "earlier",
    "then",
    "now",
    "still",
    "also",
    "other",
    "both",
    "each",
    "officials",
    "experts",
    "critics",
    "analysts",
    "one",
    "two",
    "last",
    "next",
    "during",
    "by",
    "with",
    "from",
    "under",
    "until",
    "instead",
    "moreover",
    "furthermore",
    "indeed",
    "thus",
    "это",
    "он",
    "она",
    "оно",
    "они",
    "мы",
    "я",
    "вы",
    "в",
    "во",
    "на",
    "по",
    "но",
    "а",
    "и",
    "как",
    "так",
    "при",
    "после",
    "однако",
    "кроме",
    "также",
    "его",
    "ее",
    "её",
    "их",
    "там",
    "тогда",
    "затем",
    "сейчас",
    "пока",
    "если",
    "когда",
    "уже",
    "здесь",
    "этот",
    "эта",
    "эти",
    "с",
    "со",
    "к",
    "о",
    "об",
    "у",
    "из",
    "за",
    "до",
    "для",
    "не",
    "ни",
    "вот",
    "все",
    "всё",
    "кто",
    "что",
    "где",
    "почему",
    "зачем",
    "между",
    "тем",
    "поэтому",
    "впрочем",
    "ранее",
    "позже",
    "теперь",
    "сегодня",
    "вчера",
    "накануне",
    "ведь",
    "хотя",
    "напомним",
    "по-прежнему",
];

fn in_list(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}

/// Whether `word` (lower-case, inner dots removed) is an abbreviation the splitter
/// knows, which takes a period ("mr", "sen", "inc", "jan").
pub(crate) fn is_abbreviation(word: &str) -> bool {
    in_list(NON_TERMINAL, word) || in_list(AMBIGUOUS, word)
}

impl SentenceSplitter {
    /// Append the sentences of `text` to `out` as char spans offset by `base`.
    pub fn split_into(&mut self, text: &str, base: usize, out: &mut Vec<Span>) {
        self.chars.clear();
        self.chars.extend(text.chars());
        let n = self.chars.len();
        let mut start = self.skip_space(0);
        let mut i = start;
        while i < n {
            let c = self.chars[i];
            if c == '\n' {
                if self.newline_is_boundary(start, i) {
                    self.push(start, i, base, out);
                    start = self.skip_space(i + 1);
                    i = start;
                } else {
                    i += 1;
                }
                continue;
            }
            if !is_terminator(c) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < n && is_terminator(self.chars[j]) {
                j += 1;
            }
            let run_end = j;
            while j < n && is_closer(self.chars[j]) {
                j += 1;
            }
            if j >= n {
                break;
            }
            if !self.chars[j].is_whitespace() {
                i = j.max(i + 1);
                continue;
            }
            let k = self.skip_space(j);
            if k >= n {
                break;
            }
            if self.boundary_after(i, run_end, k) {
                self.push(start, j, base, out);
                start = k;
                i = k;
            } else {
                i = j;
            }
        }
        self.push(start, n, base, out);
    }

    fn skip_space(&self, mut i: usize) -> usize {
        while i < self.chars.len() && self.chars[i].is_whitespace() {
            i += 1;
        }
        i
    }

    fn push(&self, start: usize, mut end: usize, base: usize, out: &mut Vec<Span>) {
        while end > start && self.chars[end - 1].is_whitespace() {
            end -= 1;
        }
        if end > start {
            out.push(Span::new(base + start, base + end));
        }
    }

    /// A line break inside a paragraph ends a sentence unless the text looks
    /// hard-wrapped there: the line does not end in sentence punctuation and the
    /// next line starts in lower case.
    fn newline_is_boundary(&self, start: usize, i: usize) -> bool {
        let mut p = i;
        while p > start && self.chars[p - 1].is_whitespace() {
            p -= 1;
        }
        if p == start {
            return false;
        }
        let prev = self.chars[p - 1];
        let k = self.skip_space(i + 1);
        let Some(&next) = self.chars.get(k) else {
            return false;
        };
        let ends_sentence = is_terminator(prev) || is_closer(prev) || prev == ':';
        !next.is_lowercase() || ends_sentence
    }

    /// Decide a candidate boundary: terminator run `[i, run_end)`, next
    /// non-space char at `k`.
    fn boundary_after(&mut self, i: usize, run_end: usize, k: usize) -> bool {
        let n = self.chars.len();
        // Look through opening quotes, brackets and dialogue dashes to the first word char.
        let mut m = k;
        while m < n && (is_opener(self.chars[m]) || is_dash(self.chars[m]) || self.chars[m] == ' ')
        {
            m += 1;
        }
        let Some(&next) = self.chars.get(m) else {
            return false;
        };
        if next.is_lowercase() || matches!(next, ',' | ';' | ':' | ')' | ']' | '%') {
            return false;
        }
        let run = &self.chars[i..run_end];
        let plain_period = run.len() == 1 && run[0] == '.';
        if !plain_period {
            // "?", "!", "…", "..." and combinations: a boundary before anything not lower case.
            return true;
        }
        // The word the period is attached to.
        let mut t = i;
        while t > 0 && (self.chars[t - 1].is_alphanumeric() || self.chars[t - 1] == '.') {
            t -= 1;
        }
        if t == i {
            return true;
        }
        let token = &self.chars[t..i];
        if token.iter().all(|c| c.is_ascii_digit()) {
            return true;
        }
        self.word.clear();
        let mut letters = 0;
        for &c in token {
            if c != '.' {
                self.word.extend(c.to_lowercase());
                letters += 1;
            }
        }
        let has_inner_dot = token.contains(&'.');
        if letters == 1 && !has_inner_dot {
            let c = token[0];
            if c.is_uppercase() {
                // An initial ("V. Putin", "В. В. Путин") unless a typical
                // sentence opener follows ("… Malcolm X. After his death …").
                return next.is_alphabetic() && self.next_word_is_starter(m);
            }
            // "т. е.", "т. д.": a single letter after another single letter and a period.
            if t >= 3
                && self.chars[t - 1] == ' '
                && self.chars[t - 2] == '.'
                && self.chars[t - 3].is_alphabetic()
                && (t < 4 || !self.chars[t - 4].is_alphanumeric())
            {
                let first = self.chars[t - 3];
                self.word.clear();
                self.word.extend(first.to_lowercase());
                self.word.extend(c.to_lowercase());
            } else if c == 'г' || c == 'в' {
                // "2024 г." and "XX в." can end a sentence; "г. Москва" cannot.
                let before_is_number = t >= 2
                    && self.chars[t - 1] == ' '
                    && (self.chars[t - 2].is_ascii_digit() || self.chars[t - 2].is_uppercase());
                if !before_is_number {
                    return false;
                }
                return self.next_word_is_starter(m);
            }
        }
        if in_list(NON_TERMINAL, &self.word) {
            return false;
        }
        if in_list(AMBIGUOUS, &self.word) || has_inner_dot || letters == 1 {
            return next.is_alphabetic() && self.next_word_is_starter(m);
        }
        true
    }

    /// Whether the word at `m` typically opens a sentence. A single letter
    /// followed by a period is an initial ("В. В. Путин"), never an opener.
    fn next_word_is_starter(&mut self, m: usize) -> bool {
        self.word.clear();
        let mut len = 0;
        for &c in self.chars[m..].iter().take(24) {
            if !(c.is_alphabetic() || c == '-') {
                break;
            }
            self.word.extend(c.to_lowercase());
            len += 1;
        }
        if len == 1 && self.chars.get(m + 1) == Some(&'.') {
            return false;
        }
        in_list(STARTERS, &self.word)
    }
}

/// Words (letters, digits, inner hyphens and apostrophes; dotted acronyms like
/// "U.S." with their dots), numbers (digits with inner `.`/`,` and thousands
/// groups after a non-breaking or thin space: "14 000"), punctuation and symbols.
pub fn tokens(doc: &Document) -> Vec<Token> {
    token_spans(doc.text())
}

/// [`tokens`] over a plain string.
pub fn token_spans(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut out = Vec::with_capacity(n / 5);
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind = if c.is_ascii_digit() {
            i += 1;
            loop {
                let d = at(i);
                if d.is_ascii_digit() {
                    i += 1;
                } else if matches!(d, ',' | '.') && at(i + 1).is_ascii_digit() {
                    i += 2;
                } else if matches!(d, '\u{a0}' | '\u{202f}' | '\u{2009}')
                    && (1..=3).all(|o| at(i + o).is_ascii_digit())
                    && !at(i + 4).is_ascii_digit()
                {
                    i += 4;
                } else {
                    break;
                }
            }
            TokenKind::Number
        } else if c.is_alphanumeric() {
            i += 1;
            loop {
                let d = at(i);
                if d.is_alphanumeric() {
                    i += 1;
                } else if matches!(d, '-' | '\'' | '’') && at(i + 1).is_alphanumeric() {
                    i += 2;
                } else if d == '.'
                    && i - start == 1
                    && c.is_uppercase()
                    && at(i + 1).is_uppercase()
                    && at(i + 2) == '.'
                {
                    // Dotted acronym: U.S., U.K., U.S.A.
                    i += 3;
                    while at(i).is_uppercase() && at(i + 1) == '.' {
                        i += 2;
                    }
                    break;
                } else {
                    break;
                }
            }
            TokenKind::Word
        } else {
            i += 1;
            // Two apostrophes or backticks are one quotation mark: the `''…''` of NYT
            // archive text and the ``…'' of Penn Treebank-style text.
            if matches!(c, '\'' | '`') && at(i) == c {
                i += 1;
            }
            if c.is_ascii_punctuation()
                || matches!(c, '«' | '»' | '“' | '”' | '‘' | '’' | '—' | '–' | '…' | '„')
            {
                TokenKind::Punct
            } else {
                TokenKind::Symbol
            }
        };
        out.push(Token {
            start,
            end: i,
            kind,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        sentence_spans(text)
            .into_iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect()
    }

    /// `''` and ``` `` ``` are one quotation mark each; a lone apostrophe stays one token.
    #[test]
    fn doubled_apostrophes_and_backticks_are_one_token() {
        let doc = Document::from_text("''No,'' he said. ``Yes'' is rock 'n' roll.");
        let texts: Vec<&str> = doc.tokens.iter().map(|t| doc.slice(t.span())).collect();
        assert_eq!(&texts[..4], ["''", "No", ",", "''"]);
        assert!(texts.contains(&"``") && texts.contains(&"'"), "{texts:?}");
    }

    #[test]
    fn splits_plain_sentences_and_keeps_abbreviations() {
        assert_eq!(
            split("Mr. Smith met Dr. Jones. They talked."),
            ["Mr. Smith met Dr. Jones.", "They talked."]
        );
    }

    #[test]
    fn lowercase_after_period_is_not_a_boundary() {
        assert_eq!(
            split("It costs approx. five dollars."),
            ["It costs approx. five dollars."]
        );
    }

    #[test]
    fn hard_wrapped_lines_join_but_sentence_lines_split() {
        assert_eq!(
            split("The minister said that the\nplan would work.\nCritics disagreed."),
            [
                "The minister said that the\nplan would work.",
                "Critics disagreed."
            ]
        );
    }

    #[test]
    fn blank_lines_and_single_line_breaks_both_end_paragraphs() {
        let spans = paragraph_spans("Title\n\nOne.\nTwo.\n \nThree.");
        assert_eq!(
            spans,
            [
                Span::new(0, 5),
                Span::new(7, 11),
                Span::new(12, 16),
                Span::new(19, 25)
            ]
        );
        let spans = paragraph_spans("One.\nTwo.\n");
        assert_eq!(spans, [Span::new(0, 4), Span::new(5, 9)]);
    }

    /// A SemEval/PTC file: title, blank line, then one paragraph per line (titles and
    /// quotes included) — every line is a paragraph.
    #[test]
    fn a_corpus_file_has_one_paragraph_per_line() {
        let text = "Senate Votes Today\n\nThe vote is at noon.\n\"We will win,\" he said.\n\
                    Critics disagree\nThey call it a sham.";
        let lines: Vec<&str> = paragraph_spans(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(
            lines,
            [
                "Senate Votes Today",
                "The vote is at noon.",
                "\"We will win,\" he said.",
                "Critics disagree",
                "They call it a sham."
            ]
        );
    }

    /// Text broken at a fixed width mid-sentence keeps its lines as one paragraph.
    #[test]
    fn hard_wrapped_text_keeps_its_lines_together() {
        let text = "The council met on Tuesday to discuss the budget for\n\
                    road repairs in the northern district, which had been\n\
                    delayed twice.\n\n\
                    A second paragraph follows here, also wrapped at a\n\
                    fixed width by the sender's mail program.";
        let spans = paragraph_spans(text);
        assert_eq!(spans.len(), 2, "{spans:?}");
        assert!(text[spans[0].start..spans[0].end].ends_with("delayed twice."));
    }

    #[test]
    fn numbers_with_separators_are_one_token() {
        let toks = token_spans("14,000 km, 1,5 and 14\u{a0}000 or 2 000 U.S. troops");
        let texts: Vec<(usize, usize, TokenKind)> =
            toks.iter().map(|t| (t.start, t.end, t.kind)).collect();
        assert_eq!(texts[0], (0, 6, TokenKind::Number));
        assert_eq!(texts[3], (11, 14, TokenKind::Number));
        assert_eq!(texts[5], (19, 25, TokenKind::Number));
        // A plain space does not join groups: "2" and "000" stay apart.
        assert_eq!(texts[7], (29, 30, TokenKind::Number));
        assert_eq!(texts[9], (35, 39, TokenKind::Word));
    }
}
