//! Word tokens with what the entity rules need to know about them.

use super::*;

/// A word token with what the rules need to know about it.
pub(super) struct Word<'t> {
    /// Span without a possessive ending.
    pub(super) span: Span,
    pub(super) key: Cow<'t, str>,
    pub(super) cap: bool,
    pub(super) all_caps: bool,
    /// Index of the sentence, to keep names inside one sentence.
    pub(super) sentence: usize,
    /// First word of its sentence (after opening punctuation).
    pub(super) sentence_initial: bool,
    /// A single capital letter followed by a period, or a dotted acronym ("J.B.").
    pub(super) initial: bool,
    /// Followed directly by a comma, period or other punctuation (a name ends there).
    pub(super) punct_after: bool,
    /// Written with a possessive ending ("Peskov’s"): a name ends there.
    pub(super) possessive: bool,
    /// Index in `doc.tokens`: names and organisations need adjacent words.
    pub(super) tok: usize,
    /// In a headline-like sentence where most words are capitalised.
    pub(super) title_case: bool,
    /// The longest gazetteer entry starting here: (words, kind, canonical).
    pub(super) gazetteer: Option<(usize, EntityKind, &'static str)>,
    /// [`WordFlags`] of the key.
    pub(super) flags: u16,
}

impl Word<'_> {
    pub(super) fn is(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }
}

/// Whether `b` follows `a` with only whitespace (or an initial's period) between.
pub(super) fn adjacent(a: &Word, b: &Word) -> bool {
    b.tok == a.tok + 1 || (a.initial && b.tok == a.tok + 2)
}

pub(super) fn strip_possessive(text: &str) -> &str {
    for suffix in ["’s", "'s", "’", "'"] {
        if let Some(s) = text.strip_suffix(suffix) {
            if !s.is_empty() {
                return s;
            }
        }
    }
    text
}

pub(super) fn words_of<'t>(doc: &'t Document, lex: &Lexicon) -> Vec<Word<'t>> {
    let mut words = Vec::with_capacity(doc.tokens.len());
    let mut prev_sentence = usize::MAX;
    let tokens = &doc.tokens;
    // Tokens come in text order, so the sentence index only moves forward.
    let mut cursor = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Word {
            continue;
        }
        while cursor < doc.sentences.len() && doc.sentences[cursor].end <= t.start {
            cursor += 1;
        }
        let sentence = if doc
            .sentences
            .get(cursor)
            .is_some_and(|s| s.start <= t.start)
        {
            cursor
        } else {
            usize::MAX
        };
        let sentence_initial = sentence != prev_sentence;
        prev_sentence = sentence;
        let raw = doc.slice(t.span());
        let text = strip_possessive(raw);
        let stripped = raw[text.len()..].chars().count();
        let span = Span::new(t.start, t.end - stripped);
        let first = text.chars().next().unwrap_or(' ');
        let (mut letters, mut all_upper) = (0usize, true);
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            all_upper &= c.is_uppercase();
        }
        let next = tokens.get(i + 1);
        let adjacent_period = next.is_some_and(|n| n.start == t.end && doc.slice(n.span()) == ".");
        let initial = (letters == 1 && first.is_uppercase() && adjacent_period)
            || (text.ends_with('.') && text.len() <= 6 && first.is_uppercase());
        let punct_after = next.is_some_and(|n| n.kind != TokenKind::Word && n.start == t.end);
        let key = span_key(doc, span);
        let flags = lex.word_flags.get(key.as_ref()).copied().unwrap_or(0);
        words.push(Word {
            span,
            key,
            flags,
            cap: first.is_uppercase(),
            all_caps: letters > 1 && all_upper,
            sentence,
            sentence_initial,
            initial,
            punct_after: punct_after && !adjacent_period,
            tok: i,
            title_case: false,
            possessive: stripped > 0,
            gazetteer: None,
        });
    }
    // Headline-like sentences: capitals there say little about names.
    let mut start = 0;
    while start < words.len() {
        let sentence = words[start].sentence;
        let mut end = start;
        while end < words.len() && words[end].sentence == sentence {
            end += 1;
        }
        let caps = words[start..end].iter().filter(|w| w.cap).count();
        let title_case = end - start >= 4 && caps * 10 >= (end - start) * 7;
        for w in &mut words[start..end] {
            w.title_case = title_case;
        }
        start = end;
    }
    words
}

pub(super) fn join_keys(words: &[Word]) -> String {
    let mut key = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        key.push_str(&w.key);
    }
    key
}
