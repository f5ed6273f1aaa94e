//! Reading a source phrase: who it names, in which role, or what kind of
//! unnamed source it is.

use crate::document::{Document, Span, TokenKind};

use super::lexicon::{self, is_first_person, is_personal_pronoun, is_plural_pronoun};
use super::rules::Tokens;

/// What the words of a source phrase say about it.
#[derive(Debug, Default)]
pub(super) struct SourceParse {
    pub(super) name: Option<String>,
    pub(super) role: Option<String>,
    pub(super) pronoun: Option<String>,
    pub(super) first_person: bool,
    pub(super) anonymous: bool,
    pub(super) vague: bool,
    pub(super) org_noun: bool,
    pub(super) person_hint: bool,
    pub(super) org_hint: bool,
    /// The phrase is headed by a title or a post ("a State Department physician", "the
    /// director of debate at the University of Michigan"): a person, whatever organisation
    /// it also names.
    pub(super) title_head: Option<Span>,
    /// The phrase names a document, a poll or data ("court documents", «докладу ВОЗ»).
    pub(super) document: bool,
    pub(super) female: Option<bool>,
}

/// Whether `w` is a title word ("secretary", «министр»; Russian ones as prefixes).
pub(super) fn is_title_word(w: &str) -> bool {
    // A former holder keeps the title: «экс-госсекретарь», "ex-minister".
    let w = w
        .strip_prefix("экс-")
        .or_else(|| w.strip_prefix("ex-"))
        .unwrap_or(w);
    // One-word titles of the lexicon, matched as prefixes of inflected Russian words.
    static ONE_WORD_TITLES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    word_set!(lexicon::title_words()).contains(w)
        || (!w.is_ascii()
            && ONE_WORD_TITLES
                .get_or_init(|| {
                    lexicon::titles()
                        .iter()
                        .copied()
                        .filter(|t| !t.contains(' '))
                        .collect()
                })
                .iter()
                .any(|t| w.starts_with(t)))
}

/// Whether `w` names a document, a poll or data ("documents"; Russian stems as prefixes).
pub(super) fn is_document_word(w: &str) -> bool {
    let words = lexicon::document_words();
    if w.is_ascii() {
        word_set!(words).contains(w)
    } else {
        words
            .iter()
            .any(|stem| !stem.is_ascii() && w.starts_with(stem))
    }
}

/// Whether `w` names an organisation ("ministry", «министерства»).
pub(super) fn is_org_word(w: &str) -> bool {
    // Stems (four letters or more) of the Russian organisation words, for inflected forms.
    static RUSSIAN_STEMS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    word_set!(lexicon::org_words()).contains(w)
        || (!w.is_ascii()
            && w.chars().count() >= 5
            && RUSSIAN_STEMS
                .get_or_init(|| {
                    lexicon::org_words()
                        .iter()
                        .filter(|o| !o.is_ascii())
                        .map(|o| o.trim_end_matches(['а', 'я', 'о', 'е', 'ь', 'й', 'ы', 'и']))
                        .filter(|stem| stem.chars().count() >= 4)
                        .collect()
                })
                .iter()
                .any(|stem| w.starts_with(stem)))
}

/// English prepositions and infinitive "to": a phrase they open names no speaker.
pub(super) fn is_preposition(w: &str) -> bool {
    matches!(
        w,
        "to" | "in" | "on" | "at" | "by" | "with" | "for" | "from" | "during" | "about" | "after"
    )
}

/// Adverbs that open a sentence before its subject.
pub(super) fn is_sentence_adverb(w: &str) -> bool {
    matches!(
        w,
        "earlier"
            | "later"
            | "meanwhile"
            | "also"
            | "ранее"
            | "позднее"
            | "позже"
            | "затем"
            | "вчера"
            | "сегодня"
            | "накануне"
            | "также"
    )
}

/// Words that follow a preposition in a time or manner adverbial tacked onto a source
/// ("chief on Wednesday", "the ministry in a statement").
fn opens_adverbial_object(w: &str) -> bool {
    matches!(w, "a" | "an" | "his" | "her" | "their" | "its")
        || lexicon::is_weekday(w)
        || lexicon::is_month(w)
}

/// The source phrase without what is not part of it — a dateline ("Geneva - The WHO
/// chief"), a leading or trailing time or manner adverbial ("On Monday …", "… on
/// Wednesday", "… in a statement") — or `None` when it names nobody: an infinitive's
/// "to", a relative "that", a prepositional phrase ("in a statement", "at him").
pub(super) fn trimmed_source(doc: &Document, toks: &Tokens, span: Span) -> Option<Span> {
    let lo = doc.tokens.partition_point(|t| t.end <= span.start);
    let hi = doc.tokens.partition_point(|t| t.start < span.end);
    let (mut a, mut b) = (lo, hi);
    // A sentence adverb before the subject: «Ранее власти X заявили», "Earlier, officials said".
    while b - a > 1 && is_sentence_adverb(&toks.lower[a]) {
        a += 1;
        while b - a > 1 && toks.lower[a] == "," {
            a += 1;
        }
    }
    if a < b && !toks.lower[a].is_ascii() {
        (a, b) = without_russian_gerund_clause(toks, a, b)?;
    }
    if a >= b || !toks.lower[a].is_ascii() {
        return Some(Span::new(doc.tokens[a].start, doc.tokens[b - 1].end));
    }
    // An apposition of age or residence read as the source: "Johnnie Wilson, of Springfield,
    // Va., said", "Mary Lee, 45, of Boston, said": the speaker is the name before it.
    if let Some(name) = name_before_residence(doc, toks, a, b) {
        return Some(name);
    }
    // A role apposition read as the source: "But Megan Hester, senior associate at the
    // Annenberg Institute, said": the speaker is the name before it.
    if let Some(name) = name_before_apposition(doc, toks, a, b) {
        return Some(name);
    }
    // A dateline: capitalised words and a dash opening the sentence.
    if let Some(dash) = (a..b.min(a + 4)).find(|&i| matches!(&*toks.lower[i], "-" | "—" | "–"))
    {
        // A spaced dash: "Geneva - …", not "Al-Ayesh".
        let spaced = dash > a && doc.tokens[dash].start > doc.tokens[dash - 1].end;
        let place = spaced && (a..dash).all(|i| toks.capital[i]);
        let opens_sentence = toks
            .sentence_tokens
            .binary_search_by_key(&a, |&(lo, _)| lo)
            .is_ok();
        if place && dash + 1 < b && opens_sentence {
            a = dash + 1;
        }
    }
    // A leading time adverbial: "On Monday", "In March".
    if b - a > 2 && is_preposition(&toks.lower[a]) && opens_adverbial_object(&toks.lower[a + 1]) {
        let day = !matches!(
            &*toks.lower[a + 1],
            "a" | "an" | "his" | "her" | "their" | "its"
        );
        if day && toks.capital[a + 2] || b - a > 3 && day && toks.lower[a + 2] == "," {
            a += if toks.lower[a + 2] == "," { 3 } else { 2 };
        }
    }
    // A trailing adverbial: "… on Wednesday", "… in a statement" (short, and last).
    if let Some(k) = (a + 1..b.saturating_sub(1))
        .find(|&k| is_preposition(&toks.lower[k]) && opens_adverbial_object(&toks.lower[k + 1]))
        .filter(|&k| b - k <= 3)
    {
        b = k;
    }
    // A passive's agent: "reported by the German newspaper Die Tagespost".
    if toks.lower[a] == "by" && b - a > 1 && (a + 1..b).any(|i| toks.capital[i]) {
        a += 1;
    }
    let first = &*toks.lower[a];
    let all_caps = doc
        .slice(doc.tokens[a].span())
        .chars()
        .all(|c| !c.is_lowercase());
    // "of life before Fox News": an "of" phrase with no comma is a complement, not a source
    // ("Of the 20 experts surveyed, most" keeps its subject after the comma).
    let of_phrase = first == "of" && !(a..b).any(|i| toks.lower[i] == ",");
    // A lone relative pronoun is PolNeAR's source for "an architect who said"; its
    // antecedent speaks (`relative_antecedent`).
    let lone_relative = b - a == 1 && is_relative_source(doc, first);
    let names_nobody = is_preposition(first)
        || of_phrase
        || (matches!(first, "that" | "which") || first == "who" && !all_caps) && !lone_relative;
    if names_nobody {
        return None;
    }
    Some(Span::new(doc.tokens[a].start, doc.tokens[b - 1].end))
}

/// «Шоумен, комментируя замену Маслякова, заявил»: a gerund clause between the subject and
/// its verb is not the source. Tokens `a..b` without it: the words before its comma, or,
/// when the phrase opens with the gerund («Глава разведки, отвечая на вопрос…, отметил»),
/// the sentence's first words before the comma that precedes it (up to six); `None` when
/// there are none.
fn without_russian_gerund_clause(toks: &Tokens, a: usize, b: usize) -> Option<(usize, usize)> {
    let Some(g) = (a..b).find(|&i| {
        (i == a || toks.lower[i - 1] == ",") && !toks.capital[i] && is_russian_gerund(toks, i)
    }) else {
        return Some((a, b));
    };
    if g > a + 1 {
        return Some((a, g - 1));
    }
    let sentence = toks
        .sentence_tokens
        .partition_point(|&(lo, _)| lo <= a)
        .checked_sub(1)
        .map(|k| toks.sentence_tokens[k].0)?;
    let before_comma = a.checked_sub(1).filter(|&c| toks.lower[c] == ",")?;
    (sentence < before_comma && before_comma - sentence <= 6).then_some((sentence, before_comma))
}

/// A Russian adverbial participle (деепричастие) at token `i`: «комментируя», «ссылаясь»,
/// «подчеркнув»; one in «-ая»/«-яя» only before a preposition («отвечая на вопрос»), as
/// adjectives end so too («официальная представительница»).
fn is_russian_gerund(toks: &Tokens, i: usize) -> bool {
    let w = &*toks.lower[i];
    if w.is_ascii() || w.chars().count() < 5 {
        return false;
    }
    let plain = [
        "уя",
        "юя",
        "ясь",
        "учи",
        "ючи",
        "вшись",
        "ив",
        "ыв",
        "ав",
        "яв",
        "ув",
    ];
    plain.iter().any(|e| w.ends_with(e))
        || (w.ends_with("ая") || w.ends_with("яя"))
            && toks.lower.get(i + 1).is_some_and(|n| {
                matches!(
                    &**n,
                    "на" | "о" | "об" | "в" | "во" | "с" | "со" | "к" | "по" | "за" | "про"
                )
            })
}

/// The name before a residence apposition that starts at token `a` ("of Boston", "45, of
/// Boston"): up to four capitalised words right before the comma that opens it.
fn name_before_residence(doc: &Document, toks: &Tokens, a: usize, b: usize) -> Option<Span> {
    let mut k = a;
    if doc.tokens[k].kind == TokenKind::Number && k + 2 < b && toks.lower[k + 1] == "," {
        k += 2;
    }
    if toks.lower[k] != "of"
        || k + 1 >= b
        || !toks.capital[k + 1]
        || a < 2
        || toks.lower[a - 1] != ","
    {
        return None;
    }
    let mut end = a - 1;
    // "Brianne Stone, 29, of Huntsville": the age between the name and the residence.
    if end >= 2 && doc.tokens[end - 1].kind == TokenKind::Number && toks.lower[end - 2] == "," {
        end -= 2;
    }
    let start = capitalised_run_before(doc, toks, end);
    (start < end).then(|| Span::new(doc.tokens[start].start, doc.tokens[end - 1].end))
}

/// Where the capitalised words (up to four) that end right before token `end` start.
fn capitalised_run_before(doc: &Document, toks: &Tokens, end: usize) -> usize {
    let mut start = end;
    while start > 0
        && end - start < 4
        && doc.tokens[start - 1].kind == TokenKind::Word
        && toks.capital[start - 1]
    {
        start -= 1;
    }
    start
}

/// The name before a role apposition that fills tokens `a..b` and is closed by a comma
/// ("Michael Mulgrew, president of the United Federation of Teachers, said"): two to four
/// capitalised words right before the comma that opens it, which open their clause.
fn name_before_apposition(doc: &Document, toks: &Tokens, a: usize, b: usize) -> Option<Span> {
    let first = &*toks.lower[a];
    let role_opening = !toks.capital[a]
        && doc.tokens[a].kind == TokenKind::Word
        && !matches!(
            first,
            "who" | "which" | "that" | "and" | "but" | "or" | "as"
        );
    let closed = toks.lower[b - 1] == "," || toks.lower.get(b).is_some_and(|w| w == ",");
    if !role_opening || !closed || a < 3 || toks.lower[a - 1] != "," {
        return None;
    }
    let end = a - 1;
    let mut start = capitalised_run_before(doc, toks, end);
    let opens_sentence = |i: usize| {
        toks.sentence_tokens
            .binary_search_by_key(&i, |&(lo, _)| lo)
            .is_ok()
    };
    // "But Megan Hester, …": a conjunction that opens the sentence is not part of the name.
    if opens_sentence(start) && matches!(&*toks.lower[start], "but" | "and" | "yet" | "so") {
        start += 1;
    }
    let opens_clause = opens_sentence(start)
        || start > 0
            && matches!(&*toks.lower[start - 1], "but" | "and")
            && opens_sentence(start - 1);
    (end - start >= 2 && opens_clause)
        .then(|| Span::new(doc.tokens[start].start, doc.tokens[end - 1].end))
}

/// "Emmanuel Macron, the French president": the name before the first comma is the
/// speaker and a title-headed apposition after it is the role. `None` when the phrase
/// has no comma or no name before it ("Officials, who asked not to be named").
fn parse_apposition(doc: &Document, toks: &Tokens, span: Span) -> Option<SourceParse> {
    let lo = doc.tokens.partition_point(|t| t.end <= span.start);
    let hi = doc.tokens.partition_point(|t| t.start < span.end);
    let comma = (lo + 1..hi).find(|&i| toks.lower[i] == ",")?;
    // Only a bare name (with its title) before the comma: "Iran's supreme leader, Ayatollah
    // Ali Khamenei" names the leader after the comma.
    let bare_name = (lo..comma).all(|i| {
        doc.tokens[i].kind != TokenKind::Word
            || toks.capital[i]
            || is_title_word(&toks.lower[i])
            || lexicon::honorifics().contains(&&*toks.lower[i])
    });
    if !bare_name {
        return None;
    }
    let mut sp = parse_source(doc, toks, Span::new(span.start, doc.tokens[comma - 1].end));
    sp.name.as_ref()?;
    let words: Vec<usize> = (comma + 1..hi)
        .take_while(|&i| toks.lower[i] != ",")
        .filter(|&i| doc.tokens[i].kind == TokenKind::Word)
        .collect();
    // "the French president", "a professor of microbiology at the University of Texas".
    let titled = words.iter().take(4).any(|&i| is_title_word(&toks.lower[i]));
    if titled && words.len() <= 12 && sp.role.is_none() {
        let role = words
            .iter()
            .skip_while(|&&i| matches!(&*toks.lower[i], "the" | "a" | "an"))
            .map(|&i| doc.slice(doc.tokens[i].span()))
            .collect::<Vec<_>>()
            .join(" ");
        sp.role = Some(role);
        sp.person_hint = true;
    }
    Some(sp)
}

/// «бывший», «нынешний», «экс»: words that say when a post was held, before the post.
fn is_tenure_adjective(w: &str) -> bool {
    ["бывш", "нынешн", "экс"]
        .iter()
        .any(|stem| w.starts_with(stem) && !w.contains('-'))
}

/// Read a source phrase: pronoun, first person, anonymous or vague head, name, role.
pub(super) fn parse_source(doc: &Document, toks: &Tokens, span: Span) -> SourceParse {
    if let Some(sp) = parse_apposition(doc, toks, span) {
        return sp;
    }
    let mut sp = SourceParse::default();
    let lo = doc.tokens.partition_point(|t| t.end <= span.start);
    let hi = doc.tokens.partition_point(|t| t.start < span.end);
    let idx: Vec<usize> = (lo..hi)
        .filter(|&i| matches!(doc.tokens[i].kind, TokenKind::Word | TokenKind::Number))
        .collect();
    if idx.is_empty() {
        return sp;
    }
    let words: Vec<&str> = idx.iter().map(|&i| &*toks.lower[i]).collect();
    // The head: the last word before a comma, a preposition or a relative pronoun.
    let head_chunk: Vec<usize> = (lo..hi)
        .take_while(|&i| {
            !matches!(
                &*toks.lower[i],
                "," | "of" | "at" | "for" | "from" | "in" | "with" | "who" | "which" | "that"
            )
        })
        .filter(|&i| doc.tokens[i].kind == TokenKind::Word)
        .collect();
    // A Russian phrase names a document by its first word, after a preposition
    // («докладу ВОЗ», «из отчёта о движении денежных средств центра Гамалеи»).
    sp.document = head_chunk
        .iter()
        .any(|&i| !toks.capital[i] && toks.lower[i].is_ascii() && is_document_word(&toks.lower[i]))
        || words
            .iter()
            .find(|w| !matches!(**w, "из" | "в" | "во" | "на" | "от" | "с" | "со"))
            .is_some_and(|w| !w.is_ascii() && is_document_word(w));
    // A Russian phrase is headed by its first word: «дипломат ЕС», «насельник монастыря».
    // «бывший госсекретарь США»: a former or present holder is headed by the post.
    let head_word = if words[0].is_ascii() {
        head_chunk.last().copied()
    } else {
        idx.iter()
            .copied()
            .find(|&i| !is_tenure_adjective(&toks.lower[i]))
    };
    // "supporters in Congress", "some members of his own party": a collective.
    let opens_sentence = |i: usize| {
        doc.sentence_at(doc.tokens[i].start)
            .is_some_and(|s| doc.sentences[s].start == doc.tokens[i].start)
    };
    sp.vague = head_word.is_some_and(|i| {
        (!toks.capital[i] || opens_sentence(i))
            && word_set!(lexicon::vague_heads()).contains(&*toks.lower[i])
            || word_set!(lexicon::group_plurals()).contains(&*toks.lower[i])
    });
    sp.title_head = head_word
        .filter(|&i| is_title_word(&toks.lower[i]))
        .map(|i| doc.tokens[i].span());
    if words.len() == 1 && (is_personal_pronoun(words[0]) || is_plural_pronoun(words[0])) {
        sp.pronoun = Some(words[0].to_string());
        return sp;
    }
    if words.len() <= 2 && words.iter().any(|w| is_first_person(w)) {
        sp.first_person = true;
        return sp;
    }
    // Each phrase holds a space, so a one-word source cannot contain it.
    sp.anonymous = words
        .iter()
        .any(|w| word_set!(lexicon::anonymous_markers()).contains(w))
        || words.len() >= 2 && {
            let phrase = words.join(" ");
            [
                "not to be named",
                "not be named",
                "not to be identified",
                "not be identified",
                "not authorized to",
                "пожелал остаться",
                "пожелавший остаться",
            ]
            .iter()
            .any(|p| phrase.contains(p))
        };
    let head = *words.last().unwrap_or(&"");
    sp.org_noun = words.iter().any(|w| is_org_word(w));
    // A capitalised run that is not merely the sentence's first word.
    let sentence_start = doc
        .sentence_at(span.start)
        .map(|s| doc.sentences[s].start)
        .unwrap_or(0);
    let mut run: Vec<usize> = Vec::new();
    let mut best: Vec<usize> = Vec::new();
    for (k, &i) in idx.iter().enumerate() {
        let w = &*toks.lower[i];
        let cap = toks.capital[i];
        let common_first = doc.tokens[i].start == sentence_start
            && matches!(
                w,
                "the" | "a" | "an" | "however" | "but" | "and" | "many" | "some" | "most"
            );
        // "Roper Center for Public Opinion Research", "Commission on Presidential Debates":
        // after an organisation noun, a connector and a capitalised word continue its name.
        let connector = matches!(w, "of" | "for" | "on" | "to")
            && run.last().is_some_and(|&p| is_org_word(&toks.lower[p]))
            && idx
                .get(k + 1)
                .is_some_and(|&n| n == i + 1 && toks.capital[n]);
        // "Alliance to Reclaim Our Schools (AROS)": a bracket ends the name.
        let bracketed = run
            .last()
            .is_some_and(|&p| (p + 1..i).any(|j| matches!(&*toks.lower[j], "(" | "[")));
        if bracketed {
            break;
        }
        // «Адель аль-Джубейр», "Ali al-Sistani": a lower-case article joined to a
        // capitalised name continues the run.
        let particle_name = !cap && !run.is_empty() && {
            let text = doc.slice(doc.tokens[i].span());
            text.split_once('-').is_some_and(|(head, rest)| {
                matches!(
                    head,
                    "аль" | "ал" | "эль" | "ад" | "ас" | "ар" | "al" | "el" | "ad"
                ) && rest.chars().next().is_some_and(char::is_uppercase)
            })
        };
        if cap && !common_first || connector || particle_name {
            run.push(i);
        } else {
            if !run.is_empty() {
                best = std::mem::take(&mut run);
            }
        }
    }
    if !run.is_empty() {
        best = run;
    }
    // A lone capitalised first word before lowercase words is an adjective or a
    // common noun ("Российские официальные лица", "Hospital administrators").
    if best.len() == 1
        && doc.tokens[best[0]].start == sentence_start
        && idx.len() > 1
        && best[0] == idx[0]
        && idx[1] == best[0] + 1
    {
        best.clear();
    }
    // «Издание Washington Post», «ведущая Daily Wire Кэндис Оуэнс»: where the run changes
    // script, the outlet or the common noun before the change is not the name.
    let latin = |i: usize| toks.lower[i].chars().any(|c| c.is_ascii_alphabetic());
    if let Some(k) = (1..best.len())
        .rev()
        .find(|&k| latin(best[k]) != latin(best[k - 1]))
    {
        best.drain(..k);
    }
    // «Нидерландов Роб Йеттен», «Царьграду Затулин»: a Russian word in an oblique case
    // before a name is an affiliation or an addressee, not a given name.
    let oblique = |i: usize| {
        let w = &*toks.lower[i];
        !w.is_ascii()
            && !lexicon::is_given_name(doc.slice(doc.tokens[i].span()))
            && ["ов", "ев", "ы", "у", "ю", "ом", "ем", "ой", "ии"]
                .iter()
                .any(|e| w.ends_with(e))
    };
    // «Саудовской Аравии Адель аль-Джубейр»: as many such words as stand there.
    while (1..=3).contains(&best.len().saturating_sub(1))
        && oblique(best[0])
        && toks.lower[best[0]].chars().count() >= 4
    {
        let rest_is_a_name = best.len() <= 2
            || lexicon::is_given_name(doc.slice(doc.tokens[best[1]].span()))
            || !toks.lower[best[1]].ends_with("вич") && !toks.lower[best[1]].ends_with("вна");
        if !rest_is_a_name {
            break;
        }
        best.remove(0);
    }
    // Titles at the front of the run ("Press Secretary Dmitry Peskov") become the role.
    let mut name_from = 0;
    for (k, &i) in best.iter().enumerate() {
        let w = &*toks.lower[i];
        // "Foreign Minister Lavrov" is a title; "Foreign Policy" is a name.
        let modifier_only = lexicon::title_modifiers().contains(&w)
            && !best
                .get(k + 1)
                .is_some_and(|&n| is_title_word(&toks.lower[n]));
        if is_title_word(w) && !modifier_only || lexicon::honorifics().contains(&w) {
            name_from = k + 1;
        }
    }
    let title_tokens: Vec<usize> = best[..name_from]
        .iter()
        .copied()
        .filter(|&i| !lexicon::honorifics().contains(&&*toks.lower[i]))
        .collect();
    if best[..name_from]
        .iter()
        .any(|&i| matches!(&*toks.lower[i], "ms." | "mrs." | "ms" | "mrs" | "г-жа"))
    {
        sp.female = Some(true);
    }
    let mut name_tokens: &[usize] = &best[name_from..];
    // Words joined by spaces, keeping an ampersand between them ("Ernst & Young").
    let text_of = |ts: &[usize]| -> String {
        let mut out = String::new();
        for (k, &i) in ts.iter().enumerate() {
            if k > 0 {
                let ampersand = (ts[k - 1] + 1..i).any(|j| toks.lower[j] == "&");
                out.push_str(if ampersand { " & " } else { " " });
            }
            out.push_str(doc.slice(doc.tokens[i].span()));
        }
        out
    };
    let mut role_tokens: Vec<usize> = title_tokens.clone();
    // Lowercase role words before the name: «пресс-секретарь президента Дмитрий Песков».
    if let Some(&first_name_tok) = name_tokens.first() {
        let before: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| i < first_name_tok)
            .collect();
        if role_tokens.is_empty() && before.iter().any(|&i| is_title_word(&toks.lower[i])) {
            role_tokens = before
                .into_iter()
                .skip_while(|&i| matches!(&*toks.lower[i], "the" | "a" | "an"))
                .collect();
        }
    }
    // With a role present, a long capitalised run is "<organisation> <First> <Last>":
    // «представитель МИД Мария Захарова», «глава Росавиации Елена Орлова».
    let is_acronym = |i: usize| {
        toks.lower[i].chars().count() >= 2
            && doc
                .slice(doc.tokens[i].span())
                .chars()
                .all(|c| c.is_uppercase())
    };
    // "the event organizer Alliance to Reclaim Our Schools", "the pollster Roper Center": a
    // run joined by a connector or ending in an organisation noun is the organisation's whole
    // name («МИД Мария Захарова» still splits).
    let organisation_name = name_tokens.iter().any(|&i| !toks.capital[i])
        || name_tokens
            .last()
            .is_some_and(|&i| is_org_word(&toks.lower[i]));
    if !role_tokens.is_empty() && name_tokens.len() >= 3 && !organisation_name {
        let cut = name_tokens.len() - 2;
        role_tokens.extend_from_slice(&name_tokens[..cut]);
        name_tokens = &name_tokens[cut..];
    } else if name_tokens.len() >= 3 && is_acronym(name_tokens[0]) {
        // A leading acronym is an affiliation: "FBI Director …" handled above; "NATO Jens Stoltenberg".
        role_tokens.push(name_tokens[0]);
        name_tokens = &name_tokens[1..];
    }
    // A lone acronym after a role is the role's affiliation, not a name: «Канцлер ФРГ».
    if !role_tokens.is_empty() && name_tokens.len() == 1 && is_acronym(name_tokens[0]) {
        role_tokens.push(name_tokens[0]);
        name_tokens = &[];
    }
    if !role_tokens.is_empty() {
        sp.role = Some(text_of(&role_tokens));
        sp.person_hint = true;
    }
    let last = *idx.last().unwrap_or(&lo);
    let first = idx[0];
    let vague_heads = word_set!(lexicon::vague_heads());
    let vague_head = (vague_heads.contains(head)
        && (!toks.capital[last] || doc.tokens[last].start == sentence_start))
        || word_set!(lexicon::group_plurals()).contains(head)
        || (vague_heads.contains(words[0])
            && doc.tokens[first].start == sentence_start
            && !idx[1..].iter().any(|&i| toks.capital[i]));
    if !name_tokens.is_empty() && !vague_head {
        // Possessive names ("Peskov's office") are not the speaker.
        let name = text_of(name_tokens)
            .trim_end_matches("’s")
            .trim_end_matches("'s")
            .to_string();
        let lower_name: Vec<&str> = name_tokens.iter().map(|&i| &*toks.lower[i]).collect();
        if lower_name.iter().any(|w| is_org_word(w)) {
            sp.org_hint = true;
        }
        sp.name = Some(name);
    } else if vague_head {
        sp.vague = true;
    } else if head_is_title_only(&words) {
        // "a government spokesman" with no name.
        sp.role = Some(words.join(" "));
    }
    sp
}

fn head_is_title_only(words: &[&str]) -> bool {
    words.last().is_some_and(|w| is_title_word(w))
}

/// Whether a lone `word` (lower case) is a relative pronoun PolNeAR marks as a source:
/// English "who" ("which" was tried and left: its antecedents were mostly wrong).
pub(super) fn is_relative_source(doc: &Document, word: &str) -> bool {
    word == "who" && !doc.language.is_russian()
}

/// The antecedent of a relative pronoun that PolNeAR marks as the source ("John Bentel,
/// who told …"): the capitalised name right before it (a comma between), else the noun
/// phrase from its determiner ("an architect who said"). `None` for any other source.
pub(super) fn relative_antecedent(doc: &Document, toks: &Tokens, src: Span) -> Option<Span> {
    let i = doc.tokens.partition_point(|t| t.end <= src.start);
    let one_token = doc.tokens.get(i).is_some_and(|t| t.span() == src);
    if !one_token || !is_relative_source(doc, &toks.lower[i]) {
        return None;
    }
    let sentence_start = doc
        .sentence_at(src.start)
        .map_or(0, |s| doc.sentences[s].start);
    let mut end = i;
    if end > 0 && toks.lower[end - 1] == "," {
        end -= 1;
    }
    let inside = |k: usize| doc.tokens[k].start >= sentence_start;
    let word = |k: usize| doc.tokens[k].kind == TokenKind::Word;
    let mut start = end;
    // A name: capitalised words, abbreviation dots inside ("Mr. Obama").
    while start > 0
        && end - start < 6
        && inside(start - 1)
        && (word(start - 1) && toks.capital[start - 1]
            || toks.lower[start - 1] == "." && start > 1 && toks.capital[start - 2])
    {
        start -= 1;
    }
    if start < end && word(start) {
        // "a senator from Illinois, who": the place is no antecedent; nobody is named.
        let after_preposition = start > 0 && is_preposition(&toks.lower[start - 1]);
        // "Keith Vaz, chairman of the Home Affairs Select Committee, who": an organisation
        // inside an apposition is not "who"; the name the apposition describes is.
        let in_apposition = start > 0
            && inside(start - 1)
            && word(start - 1)
            && !toks.capital[start - 1]
            && toks.lower[i] == "who"
            && is_org_word(&toks.lower[end - 1]);
        if in_apposition || after_preposition && toks.lower[i] == "who" && in_phrase(toks, start) {
            return described_by_apposition(doc, toks, start, sentence_start);
        }
        return (!after_preposition)
            .then(|| Span::new(doc.tokens[start].start, doc.tokens[end - 1].end));
    }
    // A common noun phrase back to its determiner.
    let determiner = (end.saturating_sub(4)..end)
        .rev()
        .take_while(|&k| inside(k) && word(k) && !toks.capital[k])
        .find(|&k| matches!(&*toks.lower[k], "a" | "an" | "the"))?;
    Some(Span::new(
        doc.tokens[determiner].start,
        doc.tokens[end - 1].end,
    ))
}

/// Whether the words before token `start` are a lower-case phrase (an apposition's "the
/// ranking Democrat on …") rather than a name or the sentence's start.
fn in_phrase(toks: &Tokens, start: usize) -> bool {
    (start.saturating_sub(4)..start).any(|k| toks.lower[k] == "the" || toks.lower[k] == "a")
}

/// The name before the comma that opens the apposition holding token `start` ("[[Keith
/// Vaz]], chairman of the … Committee, who"; "[[Sen. Dianne Feinstein]] of California, the
/// ranking Democrat on …"), or none.
fn described_by_apposition(
    doc: &Document,
    toks: &Tokens,
    start: usize,
    sentence_start: usize,
) -> Option<Span> {
    let inside = |k: usize| doc.tokens[k].start >= sentence_start;
    let comma = (start.saturating_sub(12)..start)
        .rev()
        .take_while(|&k| inside(k))
        .find(|&k| toks.lower[k] == ",")?;
    if comma + 1 >= start || toks.capital[comma + 1] {
        return None;
    }
    let mut end = comma;
    // "Feinstein of California": the place after the name is the name's, not the person.
    if end >= 3
        && toks.capital[end - 1]
        && matches!(&*toks.lower[end - 2], "of" | "from")
        && toks.capital[end - 3]
    {
        end -= 2;
    }
    let mut first = end;
    while first > 0
        && end - first < 5
        && inside(first - 1)
        && (doc.tokens[first - 1].kind == TokenKind::Word && toks.capital[first - 1]
            || toks.lower[first - 1] == "." && first > 1 && toks.capital[first - 2])
    {
        first -= 1;
    }
    (first < end && doc.tokens[first].kind == TokenKind::Word)
        .then(|| Span::new(doc.tokens[first].start, doc.tokens[end - 1].end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `trimmed_source` on the source phrase `phrase` found in `text`, as the text it keeps.
    fn trimmed(text: &str, phrase: &str) -> Option<String> {
        let doc = Document::from_text(text);
        let toks = Tokens::new(&doc);
        let byte = doc.text().find(phrase).expect("phrase in text");
        let start = doc.text()[..byte].chars().count();
        let span = Span::new(start, start + phrase.chars().count());
        trimmed_source(&doc, &toks, span).map(|s| doc.slice(s).to_string())
    }

    #[test]
    fn an_of_phrase_names_nobody_and_a_residence_names_the_person_before_it() {
        let text = "Representative Tom Reed, Republican of New York, said of life before Fox News \
                    that it was quiet.";
        assert_eq!(trimmed(text, "of life before Fox News"), None);
        let text = "Brianne Stone, 29, of Huntsville, Ala., says her biggest concern is jobs.";
        assert_eq!(
            trimmed(text, "of Huntsville, Ala."),
            Some("Brianne Stone".to_string())
        );
        assert_eq!(
            trimmed(text, "29, of Huntsville, Ala."),
            Some("Brianne Stone".to_string())
        );
    }
}
