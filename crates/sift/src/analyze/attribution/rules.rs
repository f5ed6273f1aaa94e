//! The rule half of attribution: patterns over tokens that are more precise
//! than the tagger where they apply — quotation marks with a reporting verb,
//! "X said (that) …", "…, said X", "according to X", and the Russian «…», —
//! заявил X / по словам X / как сообщил X.

use std::borrow::Cow;

use crate::document::{Document, Span, TokenKind};

use super::lexicon::{cue_class, is_aux, opens_subordinate, CueClass};
use super::subject::{
    conjoined_subject, is_capitalised_name, is_party_tag, named_with_apposition_left,
    opens_clause_at, participle_subject, subject_is_implausible, subject_left, subject_right,
    MAX_NP,
};

/// A raw attribution found by rules or the tagger, before speaker resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Source noun phrase, if the cue has one in the text.
    pub source: Option<Span>,
    pub cue: Span,
    pub content: Span,
    /// The reporting verb token, for morphology (Russian gender) and class.
    pub verb: Option<usize>,
    pub from_rules: bool,
}

/// Tokens of the document with what the rules need.
pub struct Tokens<'a> {
    pub doc: &'a Document,
    /// Lowercased token text, borrowed from the document's lower-cased copy ([`Document::lower_of`]).
    pub lower: Vec<Cow<'a, str>>,
    pub capital: Vec<bool>,
    /// The cue class of each token, looked up once.
    pub cue: Vec<Option<CueClass>>,
    /// For each token inside double quotes or guillemets: the (open, close)
    /// token indices of the quotation (close is the last token of the
    /// paragraph when the quote runs on).
    pub quote: Vec<Option<(usize, usize)>>,
    /// Per sentence of the document, its token range `lo..hi` (every pass over the
    /// sentences needs it; two binary searches per sentence and pass showed in profiles).
    pub sentence_tokens: Vec<(usize, usize)>,
    /// `quoted_before[i]`: how many of the first `i` tokens are inside a quotation
    /// (one entry per token and one more), for counting quoted tokens in a range at once.
    pub quoted_before: Vec<usize>,
}

/// Token range of each span (sorted spans): the same as two `partition_point`s per
/// span, found by cursors that only move forward while the spans do.
fn token_ranges(doc: &Document, spans: &[Span]) -> Vec<(usize, usize)> {
    let tokens = &doc.tokens;
    let (mut lo, mut hi) = (0, 0);
    let mut prev = Span::new(0, 0);
    spans
        .iter()
        .map(|s| {
            if s.start < prev.start || s.end < prev.end {
                (lo, hi) = (0, 0);
            }
            prev = *s;
            while lo < tokens.len() && tokens[lo].end <= s.start {
                lo += 1;
            }
            while hi < tokens.len() && tokens[hi].start < s.end {
                hi += 1;
            }
            (lo, hi)
        })
        .collect()
}

fn is_open_quote(w: &str) -> bool {
    matches!(w, "“" | "«" | "„")
}
fn is_close_quote(w: &str) -> bool {
    matches!(w, "”" | "»")
}
pub(super) fn is_quote(w: &str) -> bool {
    is_open_quote(w) || is_close_quote(w) || w == "\""
}

impl<'a> Tokens<'a> {
    pub fn new(doc: &'a Document) -> Tokens<'a> {
        let n = doc.tokens.len();
        let mut lower = Vec::with_capacity(n);
        let mut capital = Vec::with_capacity(n);
        let mut cue = Vec::with_capacity(n);
        let text = doc.text();
        // The whole text's lower case, when it is borrowed (no char whose lower case changes
        // length), has each token's lower case at the token's byte offsets: slicing it gives
        // exactly what `lower_of` gives per token, without a call and a search per token.
        let whole = doc.lower_of(Span::new(0, doc.len_chars()));
        let whole_lower: Option<&'a str> = match whole {
            Cow::Borrowed(w) => Some(w),
            Cow::Owned(_) => None,
        };
        for t in &doc.tokens {
            let b0 = doc.byte_of(t.start);
            capital.push(match text.as_bytes().get(b0) {
                _ if t.end <= t.start => false,
                Some(&b) if b.is_ascii() => b.is_ascii_uppercase(),
                _ => text[b0..].chars().next().is_some_and(|c| c.is_uppercase()),
            });
            let w = match whole_lower {
                Some(all) => Cow::Borrowed(&all[b0..doc.byte_of(t.end)]),
                None => doc.lower_of(t.span()),
            };
            // A doubled apostrophe or backtick quotes like `"` (see `segment::tokens`).
            let w = if matches!(&*w, "''" | "``") {
                Cow::Borrowed("\"")
            } else {
                w
            };
            cue.push(cue_class(&w));
            lower.push(w);
        }
        // "think tanks" is a noun ("conservatism as defined by Washington think tanks").
        for i in 1..n {
            if lower[i].starts_with("tank") && lower[i - 1] == "think" {
                cue[i - 1] = None;
            }
        }
        let sentence_tokens = token_ranges(doc, &doc.sentences);
        let mut quote = vec![None; n];
        for p in &doc.paragraphs {
            let lo = doc.tokens.partition_point(|t| t.end <= p.start);
            let hi = doc.tokens.partition_point(|t| t.start < p.end);
            let mut open: Option<usize> = None;
            for (i, w) in lower.iter().enumerate().take(hi).skip(lo) {
                let w: &str = w;
                // Every quotation mark starts with one of these bytes (", « », “ ” „).
                if !matches!(w.as_bytes().first(), Some(b'"' | 0xC2 | 0xE2)) {
                    continue;
                }
                match open {
                    None if is_open_quote(w) || w == "\"" => open = Some(i),
                    Some(o) if is_close_quote(w) || w == "\"" => {
                        for q in quote.iter_mut().take(i + 1).skip(o) {
                            *q = Some((o, i));
                        }
                        open = None;
                    }
                    _ => {}
                }
            }
            if let Some(o) = open {
                if hi > o + 1 {
                    for q in quote.iter_mut().take(hi).skip(o) {
                        *q = Some((o, hi - 1));
                    }
                }
            }
        }
        let mut quoted_before = Vec::with_capacity(n + 1);
        quoted_before.push(0);
        for q in &quote {
            quoted_before.push(quoted_before.last().copied().unwrap_or(0) + q.is_some() as usize);
        }
        Tokens {
            doc,
            quoted_before,
            lower,
            capital,
            cue,
            quote,
            sentence_tokens,
        }
    }

    pub fn span(&self, a: usize, b: usize) -> Span {
        Span::new(self.doc.tokens[a].start, self.doc.tokens[b - 1].end)
    }

    pub(super) fn w(&self, i: usize) -> &str {
        &self.lower[i]
    }

    /// A capitalised word inside its sentence (token `lo` opens it) is a name or a
    /// noun in a title, never a verb: "the United States", "Ohio State", "the Islamic State".
    pub fn is_name_inside_sentence(&self, i: usize, lo: usize) -> bool {
        self.capital[i] && i > lo && !self.lower[i - 1].starts_with(['"', '“', '«', '—', '-'])
    }

    pub(super) fn is_word(&self, i: usize) -> bool {
        matches!(self.doc.tokens[i].kind, TokenKind::Word | TokenKind::Number)
    }
}

/// Words before a noun: "the state", "a report", "his remarks" are not cues.
pub(super) fn is_determiner(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "this"
            | "that"
            | "these"
            | "those"
            | "his"
            | "her"
            | "its"
            | "their"
            | "our"
            | "my"
            | "your"
            | "whose"
            | "every"
            | "each"
            | "no"
            | "any"
            | "some"
            | "of"
            | "in"
            | "on"
            | "for"
            | "with"
    )
}

/// Clause openers that a content span may start with right after the cue.
pub(super) fn opens_clause(w: &str) -> bool {
    matches!(w, "that" | "что" | "чтобы" | "будто" | "якобы")
}

/// Finds attributions by rule in one document.
pub fn find(toks: &Tokens) -> Vec<Candidate> {
    let doc = toks.doc;
    let mut out: Vec<Candidate> = Vec::new();
    let mut used = vec![false; doc.tokens.len()];
    // start → end of each kept cue.
    let mut cues: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for &(lo, hi) in &toks.sentence_tokens {
        if hi <= lo {
            continue;
        }
        for i in lo..hi {
            if used[i] {
                continue;
            }
            let w = toks.w(i);
            let found = match w {
                "according" if i + 1 < hi && toks.w(i + 1) == "to" => {
                    prepositional(toks, lo, hi, i, i + 2)
                }
                // «Согласно докладу ВОЗ, …»: the dative after «согласно» is the source.
                "согласно" if i + 1 < hi && toks.is_word(i + 1) => {
                    prepositional(toks, lo, hi, i, i + 1)
                }
                "по" if i + 2 < hi
                    && matches!(toks.w(i + 1), "его" | "её" | "ее" | "их")
                    && matches!(toks.w(i + 2), "словам" | "мнению" | "данным" | "оценкам") =>
                {
                    possessive_prepositional(toks, lo, hi, i)
                }
                "по" if i + 1 < hi
                    && matches!(
                        toks.w(i + 1),
                        "словам" | "данным" | "мнению" | "сведениям" | "информации" | "оценкам"
                    ) =>
                {
                    prepositional(toks, lo, hi, i, i + 2)
                }
                "как" if i + 1 < hi && toks.cue[i + 1] == Some(CueClass::Speech) && i + 2 < hi =>
                {
                    // «Как сообщила пресс-служба, …»
                    as_reported(toks, lo, hi, i)
                }
                _ => match toks.cue[i] {
                    Some(CueClass::Speech) | Some(CueClass::Cognition)
                        if toks.quote[i].is_none()
                            && !(i > lo && is_determiner(toks.w(i - 1)))
                            && !toks.is_name_inside_sentence(i, lo) =>
                    {
                        verb_cue(toks, lo, hi, i).or_else(|| {
                            let open = quotation_split_off(toks, lo, hi, i)?;
                            verb_cue(toks, open, hi, i)
                        })
                    }
                    _ => None,
                },
            };
            if let Some(c) = found {
                // The cues kept so far do not overlap one another, so ordered by start
                // their ends are ordered too: only the last one starting before this
                // cue's end can overlap it (a scan of every cue was quadratic).
                let overlaps = cues
                    .range(..c.cue.end)
                    .next_back()
                    .is_some_and(|(&start, &end)| Span::new(start, end).overlaps(c.cue));
                if !overlaps {
                    cues.insert(c.cue.start, c.cue.end);
                    let sentence = &doc.tokens[lo..hi];
                    for span in std::iter::once(c.cue).chain(c.source) {
                        // The sentence's tokens inside `span`: a contiguous run.
                        let from = sentence.partition_point(|t| t.start < span.start);
                        let to = sentence.partition_point(|t| t.end <= span.end);
                        for u in used.iter_mut().take(lo + to).skip(lo + from) {
                            *u = true;
                        }
                    }
                    out.push(c);
                }
            }
        }
    }
    out
}

/// "“Why would we do that?” Priebus said.": the splitter ends a sentence at a question
/// mark, exclamation mark or period and the closing quotation mark after it when a capital
/// follows, which leaves the speaker and the verb (token `v`) of sentence `lo..hi` without
/// the quotation they report. The quotation's first token, when sentence `lo..hi` is only
/// that: a capitalised speaker right after such a quotation, the verb within a name's length,
/// not negated, and after it nothing that could be a content of its own ("Trump wrote on
/// Twitter." but not "Gilani alleged the brothers took …", "Reuters adds: …", "The pope's
/// remarks drew shock").
fn quotation_split_off(toks: &Tokens, lo: usize, hi: usize, v: usize) -> Option<usize> {
    let close = lo.checked_sub(1)?;
    let (open, c) = toks.quote[close]?;
    let closing = toks.w(close);
    if c != close || !(is_close_quote(closing) || closing == "\"") || close < open + 2 {
        return None;
    }
    let shaped = matches!(toks.w(close - 1), "?" | "!" | "." | "…")
        && toks.capital[lo]
        && v > lo
        && v - lo <= 8
        && (lo..v).all(|k| {
            let w = toks.w(k);
            // A name, a title or a pronoun, with an auxiliary or an adverb ("I laughingly
            // replied"); not a description ("Video of the incident reportedly was posted").
            toks.quote[k].is_none()
                && !matches!(w, "not" | "n't" | "never")
                && (toks.capital[k] || !toks.is_word(k) || is_aux(w) || w.ends_with("ly"))
        });
    if !shaped || !only_adverbials_after(toks, v, hi) {
        return None;
    }
    // The cue word must be a verb in the past or a third person ("The pope's remarks",
    // "The OIG report" are nouns; the tagger, on a fragment this short, reads "Trump" as a
    // verb and "wrote" as a noun, so the test is the word's form).
    let w = toks.w(v);
    let verb_form = (w.ends_with("ed") && w.is_ascii())
        || matches!(
            w,
            "said"
                | "told"
                | "wrote"
                | "thought"
                | "knew"
                | "spoke"
                | "says"
                | "tells"
                | "writes"
                | "asks"
                | "adds"
        );
    verb_form.then_some(open)
}

/// Whether what follows the verb at `v` to the sentence end `hi` is only closing punctuation
/// or an adverbial ("said.", "said on Tuesday.", "wrote on Twitter.", "said of the plan."; not
/// a comma: "The reason, he wrote, is that …" goes on with its own content).
fn only_adverbials_after(toks: &Tokens, v: usize, hi: usize) -> bool {
    if (v + 1..hi).any(|k| toks.w(k) == ":") {
        return false;
    }
    v + 1 >= hi
        || ends_sentence(toks, v + 1, hi)
        || super::lexicon::is_weekday(toks.w(v + 1))
        || matches!(
            toks.w(v + 1),
            "in" | "on"
                | "at"
                | "of"
                | "to"
                | "during"
                | "after"
                | "before"
                | "from"
                | "while"
                | "today"
                | "yesterday"
                | "tonight"
                | "earlier"
                | "later"
                | "recently"
                | "last"
        )
}

/// Strip a closing sentence period (and nothing else) from a token range end.
fn trim_end(toks: &Tokens, a: usize, mut b: usize) -> usize {
    while b > a && matches!(toks.w(b - 1), "." | "," | ";" | "—" | "–" | "-") {
        b -= 1;
    }
    b
}

fn trim_start(toks: &Tokens, mut a: usize, b: usize) -> usize {
    while a < b && matches!(toks.w(a), "," | "—" | "–" | ":" | "-") {
        a += 1;
    }
    a
}

/// "according to X, C" / "C, according to X" / «по словам X, C».
fn prepositional(
    toks: &Tokens,
    lo: usize,
    hi: usize,
    cue_at: usize,
    np_at: usize,
) -> Option<Candidate> {
    // The source runs to the next comma or the sentence end.
    let mut e = np_at;
    while e < hi && !matches!(toks.w(e), "," | "." | ";" | ":" | "—") && e - np_at < MAX_NP {
        e += 1;
    }
    if e == np_at {
        return None;
    }
    let source = toks.span(np_at, e);
    let cue = toks.span(cue_at, np_at);
    let content = if cue_at == lo || (cue_at > lo && toks.w(cue_at - 1) == "—" && cue_at - 1 == lo)
    {
        // Cue first: content is the rest of the sentence after the source.
        let a = trim_start(toks, e, hi);
        let b = trim_end(toks, a, hi);
        (b > a).then(|| toks.span(a, b))?
    } else {
        // Cue last (or in the middle): content is what precedes it; anything after joins it.
        let b = trim_end(toks, lo, cue_at);
        let mut span = (b > lo).then(|| toks.span(lo, b))?;
        let a2 = trim_start(toks, e, hi);
        let b2 = trim_end(toks, a2, hi);
        if b2 > a2 + 2 {
            span = Span::new(span.start, toks.span(a2, b2).end);
        }
        span
    };
    Some(Candidate {
        source: Some(source),
        cue,
        content,
        verb: None,
        from_rules: true,
    })
}

/// «По её словам, C»: the pronoun is the source and sits inside the cue.
fn possessive_prepositional(toks: &Tokens, lo: usize, hi: usize, at: usize) -> Option<Candidate> {
    let after = at + 3;
    let content = if at == lo {
        let a = trim_start(toks, after, hi);
        let b = trim_end(toks, a, hi);
        (b > a).then(|| toks.span(a, b))?
    } else {
        let b = trim_end(toks, lo, at);
        (b > lo).then(|| toks.span(lo, b))?
    };
    Some(Candidate {
        source: Some(toks.span(at + 1, at + 2)),
        cue: toks.span(at, at + 3),
        content,
        verb: None,
        from_rules: true,
    })
}

/// «Как сообщила пресс-служба ведомства, C» and "As X said, C".
fn as_reported(toks: &Tokens, lo: usize, hi: usize, at: usize) -> Option<Candidate> {
    let verb = at + 1;
    let np_at = verb + 1;
    let mut e = np_at;
    while e < hi && toks.w(e) != "," && e - np_at < MAX_NP {
        e += 1;
    }
    if e == np_at || e >= hi {
        return None;
    }
    let a = trim_start(toks, e, hi);
    let b = trim_end(toks, a, hi);
    if b <= a {
        return None;
    }
    let _ = lo;
    Some(Candidate {
        source: Some(toks.span(np_at, e)),
        cue: toks.span(at, verb + 1),
        content: toks.span(a, b),
        verb: Some(verb),
        from_rules: true,
    })
}

/// Content ending at the boundary token `b` (inclusive), leftwards: the
/// quotation that closes there, or the clause from the sentence start.
fn content_before(toks: &Tokens, lo: usize, b: usize, require_quote: bool) -> Option<Span> {
    let mut k = b;
    // Skip separators between the content and the cue: , — –
    while k > lo && matches!(toks.w(k), "," | "—" | "–" | "-") {
        k -= 1;
    }
    if matches!(toks.w(k), "," | "—" | "–" | "-") {
        return None;
    }
    if let Some((o, c)) = toks.quote[k] {
        if c == k || (c == k + 1 && is_quote(toks.w(c))) {
            return Some(toks.span(o, c + 1));
        }
    }
    if require_quote || k < lo + 3 {
        return None;
    }
    let end = trim_end(toks, lo, k + 1);
    (end > lo).then(|| toks.span(lo, end))
}

/// Whether only closing punctuation follows token `e` to the sentence end.
fn ends_sentence(toks: &Tokens, e: usize, hi: usize) -> bool {
    (e..hi).all(|k| matches!(toks.w(k), "." | "!" | "?" | "…" | ")"))
}

/// "told", "tells": verbs whose noun phrase after them is the one spoken to ("…, told AP,
/// “…”"), never the speaker, as it is after "said".
pub(super) fn takes_the_addressee(lower: &str) -> bool {
    matches!(
        lower,
        "told" | "tells" | "telling" | "informed" | "informs" | "assured" | "assures" | "reminded"
    )
}

/// A reporting verb: post-posed after content («…», — заявил X; “…,” she said;
/// C, the minister said) or with a subject before and content after.
fn verb_cue(toks: &Tokens, lo: usize, hi: usize, v: usize) -> Option<Candidate> {
    let class = toks.cue[v];
    // «"…Германии", - считает Буданов»: after a closing quotation mark and a dash, a verb of
    // thinking introduces the quotation as a verb of saying does.
    let after_quotation = v > lo
        && (v.saturating_sub(3).max(lo)..v).any(|k| is_close_quote(toks.w(k)) || toks.w(k) == "\"")
        && matches!(toks.w(v - 1), "—" | "–" | "-");
    // «…, уверен Живов», «…, считает эксперт»: a Russian verb of thinking after a comma
    // with its subject after it.
    let russian_inverted = v > lo && !toks.lower[v].is_ascii() && toks.w(v - 1) == ",";
    let speech = class == Some(CueClass::Speech)
        || class == Some(CueClass::Cognition) && (after_quotation || russian_inverted);
    if speech && v > lo {
        // Inverted: <content> , — said <source>. Not after a participle: in "…, saying
        // the affair undermined trust" what follows is the content.
        if matches!(toks.w(v - 1), "," | "—" | "–" | "-" | "”" | "»" | "\"")
            && !takes_the_addressee(&toks.lower[v])
            && !toks.w(v).ends_with("ing")
        {
            let mut a = v + 1;
            while a < hi && is_aux(toks.w(a)) {
                a += 1;
            }
            // «…, заявил «360» политолог Дмитрий Дробницкий»: the outlet told, in quotation
            // marks, stands between the verb and its subject.
            if !toks.lower[v].is_ascii() && a < hi && is_open_quote(toks.w(a)) {
                if let Some(close) = (a + 2..hi.min(a + 6)).find(|&k| is_close_quote(toks.w(k))) {
                    a = close + 1;
                }
            }
            let inverted = subject_right(toks, a, hi)
                .filter(|&(s, e)| {
                    // "…, said the minister": a short noun phrase, not a clause.
                    e - s <= 7 && !(s..e).any(|k| is_aux(toks.w(k)) || toks.cue[k].is_some())
                })
                .filter(|_| !super::clause::subject_before_unquoted(toks, lo, hi, v));
            if let Some((s, e)) =
                inverted.map(|(s, e)| (s, super::russian::apposition_end(toks, s, e, hi)))
            {
                // "C1, говорят эксперты, C2": the cue splits the content.
                let split = e < hi && toks.w(e) == "," && v > lo + 2;
                let quoted_only = !ends_sentence(toks, e, hi) && !split;
                if let Some(content) = content_before(toks, lo, v - 1, quoted_only) {
                    return Some(Candidate {
                        source: Some(toks.span(s, e)),
                        cue: toks.span(v, v + 1),
                        content: extend_quote_across(toks, content),
                        verb: Some(v),
                        from_rules: true,
                    });
                }
            }
        }
        // Post-posed with subject first: <content> , <source> said.
        let mut a = v;
        while a > lo && is_aux(toks.w(a - 1)) {
            a -= 1;
        }
        // "“…,” Steve Moody, a small-business owner, said at the rally": a name and
        // its apposition, between commas.
        let subject = subject_left(toks, lo, a).or_else(|| named_with_apposition_left(toks, lo, a));
        if let Some((s, e)) = subject {
            if s > lo
                && matches!(toks.w(s - 1), "," | "—" | "–" | "”" | "»" | "\"")
                && !subject_is_implausible(toks, s, e)
            {
                // "Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt": the
                // cue splits the content, which need not be quoted, when the part before is
                // the main clause: the part after goes on with a subordinate clause or the
                // verb. ("When she tried to scream, she said, he put …" and "Lashing out,
                // Graham said, “…”" are read by the rule with content after the cue.)
                let split = v + 2 < hi
                    && toks.w(v + 1) == ","
                    && toks.w(s - 1) == ","
                    && !opens_subordinate(toks.w(lo))
                    && !toks.w(lo).ends_with("ing")
                    && (opens_subordinate(toks.w(v + 2)) || is_aux(toks.w(v + 2)));
                let quoted_only = !ends_sentence(toks, v + 1, hi) && !split;
                if let Some(content) = content_before(toks, lo, s - 1, quoted_only) {
                    return Some(Candidate {
                        source: Some(toks.span(s, e)),
                        cue: toks.span(a, v + 1),
                        content: extend_quote_across(toks, content),
                        verb: Some(v),
                        from_rules: true,
                    });
                }
            }
        }
    }

    // Subject before, content after: X (has previously) said (to reporters) (that) C.
    let mut a = v;
    while a > lo && is_aux(toks.w(a - 1)) {
        a -= 1;
    }
    // "Reyes, speaking after the hearing, said …" / "Officials, who asked not to be
    // named, said …": step over a parenthetical between commas to the subject.
    let (s, e) = match subject_left(toks, lo, a) {
        Some(x) => x,
        // "Kasich bemoaned America's reputation, saying that …": a participle of saying
        // after a comma speaks for the subject of the clause it hangs on, as parsed
        // (English only; one parse per such participle).
        None if a > lo + 2
            && toks.w(a - 1) == ","
            && a == v
            && toks.w(v).ends_with("ing")
            && toks.lower[v].is_ascii() =>
        {
            participle_subject(toks, lo, hi, v)?
        }
        None if a > lo + 2 && toks.w(a - 1) == "," => {
            let near = (lo..a - 1).rev().take(12).find(|&k| toks.w(k) == ",");
            let near = near.and_then(|k| Some((k, subject_left(toks, lo, k)?)));
            // Not "during a town hall meeting in Columbus" (of "Clinton, during …, Ohio,"),
            // nor the second half of an apposition ("Angelique Brunner, a developer and
            // [spokeswoman for the coalition], which …, said").
            let near = near.filter(|&(_, (s, _))| {
                let in_apposition = s > lo
                    && matches!(toks.w(s - 1), "and" | "or")
                    && (lo..s).any(|k| toks.w(k) == ",");
                opens_clause_at(toks, lo, s)
                    && !super::source::is_preposition(toks.w(s))
                    && !in_apposition
            });
            let (open, (mut s, _)) = match near {
                Some(found) => found,
                // A longer parenthetical, or one with commas of its own ("Clinton, during a
                // town hall meeting in Columbus, Ohio, said"): the noun phrase that opens the
                // sentence and ends at its first comma.
                None => {
                    let first = (lo + 1..a - 1).find(|&k| toks.w(k) == ",")?;
                    let opening = subject_left(toks, lo, first).filter(|&(s, _)| {
                        s == lo
                            && first - lo <= 6
                            && a - first <= 40
                            && is_capitalised_name(toks, lo, first)
                            && !is_aux(toks.w(first + 1))
                            && !toks.w(v).ends_with("ing")
                            && (first..a)
                                .all(|k| toks.quote[k].is_none() && !matches!(toks.w(k), ":" | ";"))
                    })?;
                    (first, opening)
                }
            };
            // "Sen. Marco Rubio, R-Fla., appearing on Fox News, said": a party tag is the
            // name's apposition, the name before it the subject.
            if s > lo + 1
                && toks.w(s - 1) == ","
                && is_party_tag(toks.doc.slice(toks.span(s, open)))
            {
                s = subject_left(toks, lo, s - 1)?.0;
            }
            (s, a - 1)
        }
        // "He claimed vast wealth and said it ensured …": the subject of the verb the cue is
        // joined to, as parsed (English verbs of saying only: only such sentences are parsed).
        None if a > lo + 2
            && toks.w(a - 1) == "and"
            && toks.lower[v].is_ascii()
            && matches!(
                toks.w(v),
                "said" | "says" | "told" | "tells" | "added" | "adds"
            ) =>
        {
            conjoined_subject(toks, lo, hi, v)?
        }
        None => return None,
    };
    if e - s > 1 && !opens_clause_at(toks, lo, s) {
        return None;
    }
    if subject_is_implausible(toks, s, e) {
        return None;
    }
    // What follows the verb: that-clause, colon, quotation, or (speech only) a bare clause.
    // A phrase of place or time may stand between ("said during a Friday evening rally in
    // Michigan that …"): after a preposition the clause is looked for further.
    let reach = if v + 1 < hi && super::source::is_preposition(toks.w(v + 1)) {
        12
    } else {
        6
    };
    let mut c = v + 1;
    while c < hi && c - v <= reach {
        let w = toks.w(c);
        if opens_clause(w) || matches!(w, ":" | "," | "." | ";") || toks.quote[c].is_some() {
            break;
        }
        c += 1;
    }
    if c >= hi {
        return None;
    }
    let w = toks.w(c);
    let content_start = if opens_clause(w) || toks.quote[c].is_some() {
        c
    } else if (w == ":" && c + 1 < hi)
        || (w == "," && c + 1 < hi && (opens_clause(toks.w(c + 1)) || toks.quote[c + 1].is_some()))
    {
        c + 1
    } else if (takes_bare_clause(toks.w(v))
        || v > 0 && toks.w(v - 1) == "," && participle_takes_bare_clause(toks.w(v)))
        && v + 1 < hi
        && bare_clause_start(toks, v + 1)
    {
        v + 1
    } else {
        return None;
    };
    let end = trim_end(toks, content_start, hi);
    if end <= content_start {
        return None;
    }
    let mut content = toks.span(content_start, end);
    if let Some((o, cl)) = toks.quote[content_start] {
        if o == content_start {
            content = Span::new(content.start, content.end.max(toks.doc.tokens[cl].end));
        }
    }
    Some(Candidate {
        source: Some(toks.span(s, e)),
        cue: toks.span(a, v + 1),
        content: extend_quote_across(toks, content),
        verb: Some(v),
        from_rules: true,
    })
}

/// Verbs that commonly take a clause without "that" ("he said the test failed").
fn takes_bare_clause(w: &str) -> bool {
    matches!(
        w,
        "say"
            | "says"
            | "said"
            | "add"
            | "adds"
            | "added"
            | "write"
            | "writes"
            | "wrote"
            | "state"
            | "stated"
            | "argue"
            | "argues"
            | "argued"
            | "warn"
            | "warns"
            | "warned"
            | "insist"
            | "insists"
            | "insisted"
            | "claim"
            | "claimed"
            | "believe"
            | "believes"
            | "believed"
            | "think"
            | "thinks"
            | "thought"
    )
}

/// Participles that take a clause without "that" after a comma ("…, saying it set a new
/// benchmark"); without the comma "a statement issued saying" is no speaker's.
fn participle_takes_bare_clause(w: &str) -> bool {
    matches!(
        w,
        "saying" | "adding" | "arguing" | "warning" | "insisting" | "claiming"
    )
}

/// Whether a clause plausibly starts at token `i` with no "that": a determiner,
/// pronoun, capitalised word or number.
fn bare_clause_start(toks: &Tokens, i: usize) -> bool {
    let w = toks.w(i);
    if toks.is_word(i)
        && !matches!(
            w,
            "in" | "on"
                | "at"
                | "to"
                | "for"
                | "by"
                | "with"
                | "from"
                | "during"
                | "after"
                | "before"
                | "about"
                | "of"
                | "over"
                | "under"
                | "earlier"
                | "later"
                | "last"
                | "yesterday"
                | "today"
                | "tonight"
                | "so"
                | "nothing"
                | "something"
                | "anything"
                | "little"
                | "much"
                | "more"
                | "goodbye"
                | "hello"
                | "yes"
                | "as"
                | "when"
                | "if"
                | "while"
                | "and"
                | "or"
                | "but"
                | "also"
                | "again"
                | "repeatedly"
                | "recently"
                | "previously"
                | "privately"
                | "publicly"
                | "through"
                | "via"
                | "into"
                | "such"
                | "what"
                | "how"
                | "why"
                | "which"
                | "who"
        )
        && !super::lexicon::is_weekday(w)
    {
        return true;
    }
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "he"
            | "she"
            | "it"
            | "they"
            | "we"
            | "i"
            | "his"
            | "her"
            | "their"
            | "its"
            | "this"
            | "there"
            | "russia"
            | "no"
            | "all"
            | "some"
    ) || (toks.capital[i] && toks.is_word(i))
        || toks.doc.tokens[i].kind == TokenKind::Number
}

/// A quotation that runs on past the sentence keeps its content to the closing mark.
fn extend_quote_across(toks: &Tokens, content: Span) -> Span {
    let doc = toks.doc;
    let lo = doc.tokens.partition_point(|t| t.end <= content.start);
    if lo < doc.tokens.len() {
        if let Some((o, c)) = toks.quote[lo] {
            if o == lo {
                return Span::new(content.start, content.end.max(doc.tokens[c].end));
            }
        }
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_token_ranges_equal_a_binary_search_per_sentence() {
        let doc = Document::from_text(
            "“We will see,” said Mayor Ana Ruiz. Nothing else happened!\n\n\
             Officials said on Monday that the bridge — closed since May — would reopen. Why?",
        );
        let toks = Tokens::new(&doc);
        assert!(doc.sentences.len() >= 4);
        for (s, &range) in doc.sentences.iter().zip(&toks.sentence_tokens) {
            let lo = doc.tokens.partition_point(|t| t.end <= s.start);
            let hi = doc.tokens.partition_point(|t| t.start < s.end);
            assert_eq!(range, (lo, hi), "{:?}", doc.slice(*s));
        }
    }
}
