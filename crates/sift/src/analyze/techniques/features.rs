//! Hashed features for the technique models: per token (span tagger), per span
//! (technique classifier) and per paragraph (paragraph labeller), plus the
//! hand-written cue lexicons (English and Russian) the features consult.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::document::{Document, Span, TokenKind};

/// Cue categories; a token's lexicon entry is a bit mask over them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Cue {
    Loaded = 0,
    Superlative,
    Fear,
    Doubt,
    Nation,
    NameCalling,
    Authority,
    Causal,
    BlackWhite,
    Cliche,
    Whatabout,
    Values,
    Exaggeration,
    Minimise,
    Popularity,
    Time,
    Villain,
    Reputation,
    We,
}

const CUE_COUNT: u32 = 19;

/// Cues strong enough to propose a word-level span on their own (loaded, superlative,
/// name calling, villains, nation).
pub const STRONG_CUES: u32 = 1 << Cue::Loaded as u32
    | 1 << Cue::Superlative as u32
    | 1 << Cue::NameCalling as u32
    | 1 << Cue::Villain as u32
    | 1 << Cue::Nation as u32;

/// English cues: whole lower-case words.
const EN_CUES: &[(Cue, &str)] = &[
    (Cue::Loaded, "unprecedented prowess outrageous shocking disgusting horrific horrible terrible brutal savage vicious evil wicked sinister heinous shameful disgraceful despicable vile monstrous insane crazy absurd ridiculous pathetic appalling atrocious barbaric bloody ruthless reckless rampant blatant egregious stunning astonishing staggering remarkable extraordinary incredible amazing glorious heroic brave courageous noble triumphant historic pivotal crucial vital dramatic devastating catastrophic nightmare chaos chaotic hysteria hysterical frenzy fanatic fanatical deranged hateful hatred slaughter massacre butcher bloodbath plunder rape destroy destroyed destruction crush crushed smash annihilate obliterate wipe mighty robust stark dire grave alarming ominous menacing aggressive aggression hostile assault onslaught crusade witch-hunt hoax sham farce travesty scam betrayal betray betrayed treason treasonous traitorous disgrace demonize demonise smear slander propaganda lies lying deceit deceitful dishonest fake bogus phony rigged corrupt corruption"),
    (Cue::Superlative, "most best worst greatest biggest largest highest lowest ever never unprecedented unparalleled unmatched unrivaled unrivalled ultimate supreme absolute absolutely utterly totally completely entirely extremely incredibly hugely vastly deeply truly literally record-breaking all-time"),
    (Cue::Fear, "threat threaten threatens threatening danger dangerous deadly lethal kill killed killing killers die dying death deaths terror terrorism terrorist terrorists attack attacks crisis catastrophe disaster collapse invasion invade invaders war wars warfare nuclear bomb bombs weapon weapons violence violent risk risks fear fears afraid scared panic destabilizing destabilising escalation aggression plague epidemic pandemic outbreak doom doomed apocalypse apocalyptic extinction menace peril perilous"),
    (Cue::Doubt, "allegedly alleged supposedly purportedly so-called claims claimed claim questionable dubious suspicious doubt doubts doubtful unproven unverified unclear whether really apparently seemingly reportedly rumor rumors rumour rumours conspiracy cover-up coverup mysterious mystery why how"),
    (Cue::Nation, "america american americans russia russian russians ukraine ukrainian ukrainians china chinese britain british england english france french germany german europe european usa us nation nations national nationalist patriot patriots patriotic patriotism homeland motherland fatherland country countries countrymen sovereignty sovereign flag heritage israel israeli iran iranian syria syrian nato west western kremlin moscow washington"),
    (Cue::NameCalling, "idiot idiots moron morons fool fools foolish stupid clown clowns thug thugs puppet puppets regime regimes traitor traitors liar liars radical radicals extremist extremists elite elites elitist globalist globalists leftist leftists liberal liberals marxist marxists socialist socialists snowflake snowflakes bigot bigots racist racists fascist fascists nazi nazis dictator dictators tyrant tyrants despot junta mob gang criminals criminal crooked crook crooks hack hacks shill shills propagandist propagandists zealot zealots lunatic lunatics maniac hypocrite hypocrites coward cowards cowardly scum parasite parasites vermin"),
    (Cue::Authority, "said says stated according expert experts scientist scientists professor doctor doctors official officials spokesman spokeswoman spokesperson study studies research researchers report reported analyst analysts authority authorities minister president secretary director chief confirmed announced insisted warned explained noted"),
    (Cue::Causal, "because therefore thus hence consequently caused causes cause result results resulting lead leads led due since so blame blamed responsible"),
    (Cue::BlackWhite, "either only must no-one nobody nothing all every everyone always never choice choose unless otherwise"),
    (Cue::Cliche, "period enough simply plainly obviously clearly whatever anyway end"),
    (Cue::Whatabout, "hypocrisy hypocritical hypocrite double standard standards meanwhile yet whereas instead while"),
    (Cue::Values, "freedom freedoms liberty democracy democratic justice rights constitution constitutional god faith christian christians church values tradition traditional family families morality moral honor honour dignity truth"),
    (Cue::Exaggeration, "huge massive enormous gigantic tremendous immense colossal vast countless endless millions billions thousands entire whole totally completely"),
    (Cue::Minimise, "just merely mere only simply barely hardly tiny minor trivial insignificant little"),
    (Cue::Popularity, "everyone everybody majority most people millions public popular consensus widely"),
    (Cue::Time, "now immediately urgent urgently today soon finally longer deadline late hurry"),
    (Cue::Villain, "hitler nazi nazis stalin communist communists fascism fascist soviet mussolini pol isis al-qaeda taliban satan satanic devil"),
    (Cue::Reputation, "scandal scandals corrupt corruption disgraced disgrace incompetent incompetence failed failure failures fraud fraudulent lied liar lies shady notorious infamous discredited controversial"),
    (Cue::We, "we us our ours ourselves"),
];

/// Russian cues: stems, matched as prefixes of lower-case words (Russian inflects).
const RU_CUES: &[(Cue, &str)] = &[
    (Cue::Loaded, "беспрецедент чудовищ ужасн кошмар позор безобраз варвар зверск жесток циничн цинизм подл гнусн мерзк отвратит абсурд бред истери безумн маразм агресс кровав бесчинств разгул провокац лжив вранье вранья фейк шабаш оголтел мракобес русофоб геноцид преступн уничтож разгром блестящ великолеп гениальн героическ триумф мощн грандиоз небывал сенсац катастроф развал"),
    (Cue::Superlative, "самый самая самое самые наибол крупнейш величайш лучш худш абсолютн совершенн полност никогда всегда исключительн небывал беспрецедент"),
    (Cue::Fear, "угроз опасн смерт гибел убий убит террор войн ядерн бомб оружи насили катастроф кризис вторжен нападен страх паник эскалац дестабилиз эпидеми пандеми"),
    (Cue::Doubt, "якобы так называем сомнит сомнен подозрит загадоч странн вряд неужели разве мол дескать будто заявля утвержда"),
    (Cue::Nation, "росси русск россиян отечеств родин патриот народ нацио страна страны суверен америк сша запад европ украин киев кремл москв нато"),
    (Cue::NameCalling, "режим марионет предател лжец идиот дурак клоун бандит нацист неонацист фашист хунт террорист экстремист радикал либерал укроп бандеров пропагандист русофоб мразь негодя подонок"),
    (Cue::Authority, "заявил сообщил отметил подчеркнул сказал считает по словам эксперт учен специалист министр президент официальн пресс-секрет представител источник исследован"),
    (Cue::Causal, "потому поэтому следовательно поскольку так как из-за в результате привел приводит причин"),
    (Cue::BlackWhite, "либо только должн нельзя никто ничего все всех всегда никогда выбор иначе"),
    (Cue::Cliche, "точка хватит просто очевидн понятн"),
    (Cue::Whatabout, "лицемер двойн стандарт а как же между тем зато тогда как"),
    (Cue::Values, "свобод демократ справедлив прав ценност традиц семь веры вера бог церк нравств честь достоинств правд"),
    (Cue::Exaggeration, "огромн масштабн гигантск колоссальн бесчислен миллион миллиард тысяч цел полност"),
    (Cue::Minimise, "лишь всего просто едва мелк незначит ничтожн"),
    (Cue::Popularity, "все всё каждый большинств миллион общество общественн"),
    (Cue::Time, "сейчас немедлен срочн сегодня скоро наконец пора"),
    (Cue::Villain, "гитлер нацист фашизм фашист бандер сталин игил талиб сатан дьявол"),
    (Cue::Reputation, "скандал коррупц позор провал некомпетент мошенн лгал ложь скандальн сомнительн"),
    (Cue::We, "мы нас наш нам нами"),
];

const FUNCTION_WORDS: &str = "a an the of in on at to for and or but with by as from into that this these those is are was were be been being it its than then there their they he she his her him i s 's ’s и в во на с со по к ко о об а но что это как из у за от до же ли бы то";

fn function_words() -> &'static HashSet<u64, PreHashed> {
    static SET: OnceLock<HashSet<u64, PreHashed>> = OnceLock::new();
    SET.get_or_init(|| FUNCTION_WORDS.split_whitespace().map(lower_hash).collect())
}

/// Words that make no highlight on their own (pronouns, auxiliaries, determiners,
/// degree words): a reported span of nothing else is dropped (see
/// `TechniqueModel::report`). Wider than [`FUNCTION_WORDS`], which the features use.
const STOP_WORDS: &str = "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their theirs themselves what which who whom this that these those am is are was were be been being have has had having do does did doing a an the and but if or because as until while of at by for with about against between into through during before after above below to from up down in out on off over under again further then once here there when where why how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now would could may might must shall 's ’s я мы наш наша наше наши ты вы ваш он она оно они его ее её их им ему ей этот эта это эти тот та те то все всё весь вся всех очень не нет ни и в во на с со по к ко о об а но что как из у за от до же ли бы так уже еще ещё будет был была были быть может";

fn stop_words() -> &'static HashSet<u64, PreHashed> {
    static SET: OnceLock<HashSet<u64, PreHashed>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.split_whitespace().map(lower_hash).collect())
}

/// Is token `i` a word that makes no highlight on its own (see [`STOP_WORDS`])?
pub fn is_stop_word(ctx: &DocContext, i: usize) -> bool {
    ctx.function_word[i] || stop_words().contains(&ctx.hash[i])
}

/// Build-hasher for maps keyed by [`lower_hash`] values: the keys are already
/// hashes, so Fx's one multiply (rustc-hash) replaces SipHash, which dominated the
/// per-token lookups.
pub type PreHashed = rustc_hash::FxBuildHasher;

/// 64-bit FxHash-style mixing.
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(5) ^ b).wrapping_mul(0x517C_C1B7_2722_0A95)
}

const HASH_SEED: u64 = 0xCBF2_9CE4_8422_2325;

/// Hash of a string, lower-cased on the fly (no allocation).
pub fn lower_hash(s: &str) -> u64 {
    lower_hash_finish(lower_hash_extend(HASH_SEED, s))
}

#[inline]
fn lower_hash_finish(h: u64) -> u64 {
    mix(h, 0xFF)
}

/// Feeds `s`, lower-cased, into the running hash `h` (ASCII without the Unicode tables).
#[inline]
fn lower_hash_extend(mut h: u64, s: &str) -> u64 {
    if s.is_ascii() {
        for &b in s.as_bytes() {
            h = mix(h, b.to_ascii_lowercase() as u64);
        }
        return h;
    }
    for c in s.chars() {
        h = lower_hash_char(h, c);
    }
    h
}

#[inline]
fn lower_hash_char(mut h: u64, c: char) -> u64 {
    if c.is_ascii() {
        return mix(h, c.to_ascii_lowercase() as u64);
    }
    for l in c.to_lowercase() {
        // Typographic apostrophes count as ASCII ones.
        let l = if l == '’' { '\'' } else { l };
        h = mix(h, l as u64);
    }
    h
}

struct Lexicon {
    english: HashMap<u64, u32, PreHashed>,
    /// Russian stem hash → mask, keyed by stem length in chars.
    russian: HashMap<u64, u32, PreHashed>,
    /// Stem lengths in chars, as a bit set (bit n: some stem has n chars).
    russian_lengths: u64,
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut english = HashMap::default();
        for (cue, words) in EN_CUES {
            for w in words.split_whitespace() {
                *english.entry(lower_hash(w)).or_insert(0) |= 1 << (*cue as u32);
            }
        }
        let mut russian = HashMap::default();
        let mut lengths = 0u64;
        for (cue, words) in RU_CUES {
            for w in words.split_whitespace() {
                *russian.entry(lower_hash(w)).or_insert(0) |= 1 << (*cue as u32);
                lengths |= 1 << w.chars().count().min(63);
            }
        }
        Lexicon {
            english,
            russian,
            russian_lengths: lengths,
        }
    })
}

/// The cue mask of one word (English exact match, Russian longest stem prefix).
pub fn cue_mask(word: &str) -> u32 {
    cue_mask_hashed(word, None)
}

/// [`cue_mask`], reusing the word's [`lower_hash`] when the caller has it.
fn cue_mask_hashed(word: &str, word_hash: Option<u64>) -> u32 {
    let lex = lexicon();
    let stripped = word
        .strip_suffix("’s")
        .or_else(|| word.strip_suffix("'s"))
        .unwrap_or(word);
    let hash = match word_hash {
        Some(h) if stripped.len() == word.len() => h,
        _ => lower_hash(stripped),
    };
    let word = stripped;
    let mut mask = lex.english.get(&hash).copied().unwrap_or(0);
    if word.is_ascii() {
        if word.len() > 5 && word.ends_with("est") {
            mask |= 1 << Cue::Superlative as u32;
        }
    } else if word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
        // Every prefix hash in one pass; a stem of n chars matches prefix n.
        let mut h = HASH_SEED;
        for (n, c) in word.chars().enumerate() {
            h = lower_hash_char(h, c);
            let len = n + 1;
            if len < 64 && lex.russian_lengths & (1 << len) != 0 {
                if let Some(m) = lex.russian.get(&lower_hash_finish(h)) {
                    mask |= m;
                }
            }
        }
    } else if word.len() > 5 && word.ends_with("est") {
        mask |= 1 << Cue::Superlative as u32;
    }
    mask
}

/// Per-document precomputation shared by all three feature extractors.
pub struct DocContext<'a> {
    pub doc: &'a Document,
    pub russian: bool,
    /// Lower-case hash per token.
    pub hash: Vec<u64>,
    pub suffix: Vec<u64>,
    pub shape: Vec<u8>,
    pub cues: Vec<u32>,
    /// Sentence index per token (`usize::MAX` outside sentences).
    pub sentence: Vec<usize>,
    /// Paragraph index per token (`None` outside paragraphs).
    pub paragraph: Vec<Option<usize>>,
    /// Per sentence: OR of cue masks, flags (bit0 '!', bit1 '?', bit2 quote), token range.
    pub sentence_cues: Vec<u32>,
    pub sentence_flags: Vec<u8>,
    pub sentence_tokens: Vec<(usize, usize)>,
    /// How often each token's lower-case form occurs in the document.
    pub doc_freq: Vec<u32>,
    /// First token with the same lower-case form, and the next one after this token
    /// (`u32::MAX`: none): the occurrences of a form as a chain, without a map of vectors.
    pub first_same: Vec<u32>,
    pub next_same: Vec<u32>,
    /// Whether the trigram centred on the token occurs more than once.
    pub trigram_repeated: Vec<bool>,
    pub in_quotes: Vec<bool>,
    /// Articles, prepositions, conjunctions, auxiliaries: never a span on their own
    /// and trimmed from span edges.
    pub function_word: Vec<bool>,
    /// Token index of the end of the first paragraph (the title, in news corpora).
    pub title_end: usize,
}

fn shape_of(s: &str, kind: TokenKind) -> u8 {
    match kind {
        TokenKind::Number => 1,
        TokenKind::Punct | TokenKind::Symbol => match s {
            "!" => 2,
            "?" => 3,
            "\"" | "“" | "”" | "«" | "»" | "„" => 4,
            "," => 5,
            "." => 6,
            _ => 7,
        },
        TokenKind::Word => {
            let mut chars = s.chars();
            let first_upper = chars.next().is_some_and(|c| c.is_uppercase());
            let all_upper = s
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase());
            match (first_upper, all_upper && s.chars().count() > 1) {
                (_, true) => 8,
                (true, false) => 9,
                _ => 10,
            }
        }
    }
}

impl<'a> DocContext<'a> {
    pub fn new(doc: &'a Document) -> DocContext<'a> {
        let n = doc.tokens.len();
        let mut hash = Vec::with_capacity(n);
        let mut suffix = Vec::with_capacity(n);
        let mut shape = Vec::with_capacity(n);
        let mut cues = Vec::with_capacity(n);
        let mut in_quotes = Vec::with_capacity(n);
        let mut quoted = false;
        let mut current_paragraph = usize::MAX;
        let mut paragraph = Vec::with_capacity(n);
        let mut next_paragraph = 0;
        for t in &doc.tokens {
            let s = doc.slice(t.span());
            let h = lower_hash(s);
            hash.push(h);
            let tail = if s.is_ascii() {
                s.len().saturating_sub(3)
            } else {
                let nchars = s.chars().count();
                s.char_indices()
                    .nth(nchars.saturating_sub(3))
                    .map_or(0, |(b, _)| b)
            };
            suffix.push(if tail == 0 {
                mix(h, 0x5F)
            } else {
                mix(lower_hash(&s[tail..]), 0x5F)
            });
            shape.push(shape_of(s, t.kind));
            cues.push(if t.kind == TokenKind::Word {
                cue_mask_hashed(s, Some(h))
            } else {
                0
            });
            // Tokens come in text order: walk the paragraphs instead of searching them.
            while next_paragraph < doc.paragraphs.len()
                && doc.paragraphs[next_paragraph].end <= t.start
            {
                next_paragraph += 1;
            }
            let in_paragraph = (next_paragraph < doc.paragraphs.len()
                && doc.paragraphs[next_paragraph].start <= t.start)
                .then_some(next_paragraph);
            paragraph.push(in_paragraph);
            let p = in_paragraph.unwrap_or(usize::MAX);
            if p != current_paragraph {
                current_paragraph = p;
                quoted = false;
            }
            let is_quote = matches!(s, "\"" | "“" | "”" | "«" | "»" | "„");
            if is_quote {
                quoted = match s {
                    "“" | "«" | "„" => true,
                    "”" | "»" => false,
                    _ => !quoted,
                };
            }
            in_quotes.push(quoted || is_quote);
        }
        let mut sentence = vec![usize::MAX; n];
        let mut sentence_cues = vec![0u32; doc.sentences.len()];
        let mut sentence_flags = vec![0u8; doc.sentences.len()];
        let mut sentence_tokens = vec![(0usize, 0usize); doc.sentences.len()];
        for (si, s) in doc.sentences.iter().enumerate() {
            let lo = doc.tokens.partition_point(|t| t.end <= s.start);
            let hi = doc.tokens.partition_point(|t| t.start < s.end).max(lo);
            sentence_tokens[si] = (lo, hi);
            for ti in lo..hi {
                sentence[ti] = si;
                sentence_cues[si] |= cues[ti];
                sentence_flags[si] |= match shape[ti] {
                    2 => 1,
                    3 => 2,
                    4 => 4,
                    _ => 0,
                };
            }
        }
        // form → (first token, last token, count), then the chains.
        let mut forms: HashMap<u64, (u32, u32, u32), PreHashed> =
            HashMap::with_capacity_and_hasher(n / 2, rustc_hash::FxBuildHasher);
        let mut first_same = vec![u32::MAX; n];
        let mut next_same = vec![u32::MAX; n];
        for (i, &h) in hash.iter().enumerate() {
            let e = forms.entry(h).or_insert((i as u32, i as u32, 0));
            if e.2 > 0 {
                next_same[e.1 as usize] = i as u32;
            }
            e.1 = i as u32;
            e.2 += 1;
            first_same[i] = e.0;
        }
        let doc_freq = hash.iter().map(|h| forms[h].2).collect();
        let tri = |i: usize| -> u64 {
            let a = if i > 0 { hash[i - 1] } else { 1 };
            let c = if i + 1 < n { hash[i + 1] } else { 2 };
            mix(mix(a, hash[i]), c)
        };
        let trigrams: Vec<u64> = (0..n).map(tri).collect();
        let mut tri_counts: HashMap<u64, u32, PreHashed> =
            HashMap::with_capacity_and_hasher(n, rustc_hash::FxBuildHasher);
        for &t in &trigrams {
            *tri_counts.entry(t).or_insert(0) += 1;
        }
        let trigram_repeated = (0..n)
            .map(|i| doc.tokens[i].kind == TokenKind::Word && tri_counts[&trigrams[i]] > 1)
            .collect();
        let title_end = doc
            .paragraphs
            .first()
            .map_or(0, |p| doc.tokens.partition_point(|t| t.start < p.end));
        let function = function_words();
        let function_word = hash.iter().map(|h| function.contains(h)).collect();
        DocContext {
            doc,
            function_word,
            russian: doc.language.is_russian(),
            hash,
            suffix,
            shape,
            cues,
            sentence,
            paragraph,
            sentence_cues,
            sentence_flags,
            sentence_tokens,
            doc_freq,
            first_same,
            next_same,
            trigram_repeated,
            in_quotes,
            title_end,
        }
    }

    fn h(&self, i: isize) -> u64 {
        if i < 0 {
            0xB05
        } else if i as usize >= self.hash.len() {
            0xE05
        } else {
            self.hash[i as usize]
        }
    }

    fn cue(&self, i: isize) -> u32 {
        if i < 0 || i as usize >= self.cues.len() {
            0
        } else {
            self.cues[i as usize]
        }
    }

    fn is_content(&self, i: usize) -> bool {
        let t = &self.doc.tokens[i];
        t.kind == TokenKind::Word && t.end - t.start > 3
    }
}

#[inline]
fn feat(template: u64, value: u64) -> u32 {
    (mix(template.wrapping_mul(0x9E37_79B9), value) >> 29) as u32
}

fn bucket(n: usize, edges: &[usize]) -> u64 {
    edges.iter().position(|&e| n <= e).unwrap_or(edges.len()) as u64
}

fn push_cues(out: &mut Vec<u32>, template: u64, mask: u32) {
    let mut m = mask;
    while m != 0 {
        let bit = m.trailing_zeros();
        out.push(feat(template, bit as u64));
        m &= m - 1;
        if bit >= CUE_COUNT {
            break;
        }
    }
}

/// Features of token `i` for the span tagger.
pub fn token_features(ctx: &DocContext, i: usize, out: &mut Vec<u32>) {
    out.clear();
    let ii = i as isize;
    let lang = ctx.russian as u64;
    out.push(feat(0, lang));
    out.push(feat(1, ctx.h(ii)));
    out.push(feat(2, ctx.h(ii - 1)));
    out.push(feat(3, ctx.h(ii + 1)));
    out.push(feat(4, ctx.h(ii - 2)));
    out.push(feat(5, ctx.h(ii + 2)));
    out.push(feat(6, mix(ctx.h(ii - 1), ctx.h(ii))));
    out.push(feat(7, mix(ctx.h(ii), ctx.h(ii + 1))));
    out.push(feat(8, ctx.suffix[i]));
    let shape = |j: isize| -> u64 {
        if j < 0 || j as usize >= ctx.shape.len() {
            0
        } else {
            ctx.shape[j as usize] as u64
        }
    };
    out.push(feat(9, shape(ii)));
    out.push(feat(
        10,
        shape(ii - 1) * 16 + shape(ii) + shape(ii + 1) * 256,
    ));
    push_cues(out, 11, ctx.cues[i]);
    let mut window = 0u32;
    for d in [-3isize, -2, -1, 1, 2, 3] {
        window |= ctx.cue(ii + d);
    }
    push_cues(out, 12, window);
    let s = ctx.sentence[i];
    if s != usize::MAX {
        let (lo, hi) = ctx.sentence_tokens[s];
        push_cues(out, 13, ctx.sentence_cues[s]);
        let flags = ctx.sentence_flags[s] as u64;
        out.push(feat(14, flags));
        let len = hi - lo;
        let len_b = bucket(len, &[3, 6, 10, 20, 35]);
        out.push(feat(15, len_b));
        let from_start = bucket(i - lo, &[0, 1, 2, 4, 8]);
        let to_end = bucket(hi - 1 - i, &[0, 1, 2, 4, 8]);
        out.push(feat(16, from_start * 8 + to_end));
        out.push(feat(17, len_b * 64 + from_start * 8 + to_end));
        out.push(feat(18, mix(ctx.hash[lo], from_start)));
        out.push(feat(19, (ctx.sentence_cues[s].count_ones() as u64).min(6)));
    }
    out.push(feat(20, ctx.in_quotes[i] as u64));
    let freq = bucket(ctx.doc_freq[i] as usize, &[1, 2, 4]);
    out.push(feat(21, freq * 2 + ctx.is_content(i) as u64));
    out.push(feat(22, ctx.trigram_repeated[i] as u64));
    out.push(feat(23, (i < ctx.title_end) as u64));
    out.push(feat(
        24,
        mix(
            ctx.h(ii),
            ctx.in_quotes[i] as u64 + 2 * (i < ctx.title_end) as u64,
        ),
    ));
}

/// First-stage probabilities with their per-sentence summaries, computed once per
/// document so that the second stage's features cost O(1) per token.
pub struct FirstStage<'p> {
    pub probs: &'p [f32],
    /// Per sentence: mean, max, marked share (0..=4, tokens ≥ 0.4).
    sentence_stats: Vec<(f32, f32, u64)>,
    /// Marked tokens before each token (prefix count; one extra entry at the end).
    marked_prefix: Vec<u32>,
    /// The whole document's mean first-stage probability, bucketed (0..=9): how
    /// persuasive the article reads as a whole (annotation density varies tenfold
    /// between articles, and the same word is marked more often in a dense one).
    document_level: u64,
}

impl<'p> FirstStage<'p> {
    pub fn new(ctx: &DocContext, probs: &'p [f32]) -> FirstStage<'p> {
        let mut marked_prefix = Vec::with_capacity(probs.len() + 1);
        let mut marked = 0u32;
        marked_prefix.push(0);
        for &p in probs {
            marked += (p >= 0.4) as u32;
            marked_prefix.push(marked);
        }
        let sentence_stats = ctx
            .sentence_tokens
            .iter()
            .map(|&(slo, shi)| {
                if shi <= slo || shi > probs.len() {
                    return (0.0, 0.0, 0);
                }
                let sent = &probs[slo..shi];
                let mean = sent.iter().sum::<f32>() / sent.len() as f32;
                let max = sent.iter().copied().fold(0.0, f32::max);
                let count = (marked_prefix[shi] - marked_prefix[slo]) as usize;
                (mean, max, (count * 4 / sent.len()) as u64)
            })
            .collect();
        let mean = probs.iter().sum::<f32>() / probs.len().max(1) as f32;
        let document_level = (mean * 40.0).clamp(0.0, 9.0) as u64;
        FirstStage {
            probs,
            sentence_stats,
            marked_prefix,
            document_level,
        }
    }
}

/// Second-stage tagger features: the first-stage probabilities around token `i`
/// (a cheap stand-in for a CRF's label context), appended to `out`.
pub fn context_features(ctx: &DocContext, stage: &FirstStage, i: usize, out: &mut Vec<u32>) {
    let first = stage.probs;
    let q = |p: f32| -> u64 { (p * 10.0).clamp(0.0, 9.0) as u64 };
    let at = |j: isize| -> u64 {
        if j < 0 || j as usize >= first.len() {
            10
        } else {
            q(first[j as usize])
        }
    };
    let ii = i as isize;
    out.push(feat(300, at(ii)));
    out.push(feat(301, at(ii - 1)));
    out.push(feat(302, at(ii + 1)));
    out.push(feat(303, at(ii - 1) * 16 + at(ii + 1)));
    out.push(feat(304, at(ii - 2) * 16 + at(ii + 2)));
    let lo = i.saturating_sub(4);
    let hi = (i + 5).min(first.len());
    let window_max = first[lo..hi].iter().copied().fold(0.0, f32::max);
    let window_mean = first[lo..hi].iter().sum::<f32>() / (hi - lo) as f32;
    out.push(feat(305, q(window_max)));
    out.push(feat(306, q(window_mean)));
    out.push(feat(307, q(window_mean) * 16 + at(ii)));
    let s = ctx.sentence[i];
    if s != usize::MAX {
        let (slo, shi) = ctx.sentence_tokens[s];
        if shi > slo {
            let (mean, max, marked) = stage.sentence_stats[s];
            out.push(feat(308, q(mean)));
            out.push(feat(309, q(max)));
            out.push(feat(310, marked * 16 + at(ii)));
            // Is there a marked token before / after this one in the sentence?
            let prefix = &stage.marked_prefix;
            let before = (prefix[i] > prefix[slo]) as u64;
            let after = (prefix[shi] > prefix[i + 1]) as u64;
            out.push(feat(311, before * 2 + after + at(ii) * 4));
        }
    }
    out.push(feat(312, at(ii) * 16 + ctx.shape[i] as u64));
    out.push(feat(313, stage.document_level));
    out.push(feat(314, stage.document_level * 16 + at(ii)));
}

/// Features of the span covering tokens `[lo, hi)` for the technique classifier.
pub fn span_features(ctx: &DocContext, lo: usize, hi: usize, out: &mut Vec<u32>) {
    out.clear();
    let lang = ctx.russian as u64;
    out.push(feat(100, lang));
    let len = hi - lo;
    let len_b = bucket(len, &[1, 2, 3, 5, 8, 12, 20, 35]);
    out.push(feat(101, len_b));
    let mut cues = 0u32;
    let mut max_freq = 0u32;
    let mut flags = 0u64;
    let mut caps = 0usize;
    for i in lo..hi {
        out.push(feat(102, ctx.hash[i]));
        if i + 1 < hi {
            out.push(feat(103, mix(ctx.hash[i], ctx.hash[i + 1])));
        }
        out.push(feat(104, ctx.suffix[i]));
        cues |= ctx.cues[i];
        if ctx.is_content(i) {
            max_freq = max_freq.max(ctx.doc_freq[i]);
        }
        flags |= match ctx.shape[i] {
            2 => 1,
            3 => 2,
            4 => 4,
            8 => 8,
            _ => 0,
        };
        caps += (ctx.shape[i] == 9) as usize;
    }
    push_cues(out, 105, cues);
    for c in 0..CUE_COUNT {
        if cues & (1 << c) != 0 {
            out.push(feat(106, c as u64 * 16 + len_b));
        }
    }
    let (a, b) = (lo as isize, hi as isize);
    let mut around = 0u32;
    for d in 1..=3 {
        around |= ctx.cue(a - d) | ctx.cue(b - 1 + d);
    }
    push_cues(out, 107, around);
    out.push(feat(108, ctx.h(a)));
    out.push(feat(109, ctx.h(b - 1)));
    out.push(feat(110, ctx.h(a - 1)));
    out.push(feat(111, ctx.h(b)));
    out.push(feat(112, mix(ctx.h(a - 2), ctx.h(a - 1))));
    out.push(feat(113, flags));
    out.push(feat(114, ctx.h(b) ^ flags));
    out.push(feat(115, bucket(max_freq as usize, &[1, 2, 3, 5])));
    out.push(feat(116, bucket(caps, &[0, 1, 3])));
    if len <= 3 {
        out.push(feat(117, mix(ctx.hash[lo], len as u64)));
    }
    // Repetition: how often the exact token sequence occurs in the document.
    let seq = &ctx.hash[lo..hi];
    let mut occurrences = 0usize;
    if !seq.is_empty() && len <= 12 {
        let n = ctx.hash.len();
        let mut j = ctx.first_same[lo];
        while j != u32::MAX {
            let at = j as usize;
            if at + len <= n && ctx.hash[at..at + len] == *seq {
                occurrences += 1;
            }
            j = ctx.next_same[at];
        }
    }
    out.push(feat(118, bucket(occurrences, &[1, 2, 3])));
    out.push(feat(119, bucket(occurrences, &[1, 2, 3]) * 16 + len_b));
    // Span against its sentence: whole sentence, inside, crossing.
    let s = ctx.sentence[lo];
    if s != usize::MAX {
        let (slo, shi) = ctx.sentence_tokens[s];
        let covers = (lo <= slo + 1) as u64 * 2 + (hi + 1 >= shi) as u64;
        out.push(feat(120, covers));
        out.push(feat(121, ctx.sentence_flags[s] as u64));
        out.push(feat(122, covers * 16 + len_b));
    }
    out.push(feat(123, ctx.in_quotes[lo] as u64));
    out.push(feat(124, (lo < ctx.title_end) as u64));
}

/// Features of a candidate span `[lo, hi)` for the span verifier: the span's own
/// features plus how strongly the first-stage tagger marked it and its surroundings.
pub fn verifier_features(
    ctx: &DocContext,
    first: &[f32],
    lo: usize,
    hi: usize,
    out: &mut Vec<u32>,
) {
    span_features(ctx, lo, hi, out);
    let q = |p: f32| -> u64 { (p * 10.0).clamp(0.0, 9.0) as u64 };
    let inside = &first[lo..hi];
    let mean = inside.iter().sum::<f32>() / inside.len().max(1) as f32;
    let max = inside.iter().copied().fold(0.0, f32::max);
    let min = inside.iter().copied().fold(1.0, f32::min);
    let len_b = bucket(hi - lo, &[1, 2, 3, 5, 8, 12, 20, 35]);
    out.push(feat(400, q(mean)));
    out.push(feat(401, q(max)));
    out.push(feat(402, q(min)));
    out.push(feat(403, q(mean) * 16 + len_b));
    out.push(feat(404, q(max) * 16 + len_b));
    let before = if lo > 0 { q(first[lo - 1]) } else { 10 };
    let after = if hi < first.len() { q(first[hi]) } else { 10 };
    out.push(feat(405, before * 16 + after));
    let s = ctx.sentence[lo];
    if s != usize::MAX {
        let (slo, shi) = ctx.sentence_tokens[s];
        if shi > slo {
            let sent = &first[slo..shi];
            let smean = sent.iter().sum::<f32>() / sent.len() as f32;
            out.push(feat(406, q(smean)));
            out.push(feat(407, q(smean) * 16 + q(mean)));
        }
    }
}

/// Features of the paragraph `span` for the paragraph labeller.
pub fn paragraph_features(ctx: &DocContext, span: Span, out: &mut Vec<u32>) {
    out.clear();
    let doc = ctx.doc;
    let lo = doc.tokens.partition_point(|t| t.end <= span.start);
    let hi = doc.tokens.partition_point(|t| t.start < span.end).max(lo);
    out.push(feat(200, ctx.russian as u64));
    let len = hi - lo;
    out.push(feat(201, bucket(len, &[3, 8, 15, 30, 60, 120])));
    let mut cue_counts = [0u8; CUE_COUNT as usize];
    let mut flags = 0u64;
    let mut repeated = 0usize;
    for i in lo..hi {
        out.push(feat(202, ctx.hash[i]));
        if i + 1 < hi {
            out.push(feat(203, mix(ctx.hash[i], ctx.hash[i + 1])));
        }
        out.push(feat(204, ctx.suffix[i]));
        let mut m = ctx.cues[i];
        while m != 0 {
            let bit = m.trailing_zeros() as usize;
            cue_counts[bit] = cue_counts[bit].saturating_add(1);
            m &= m - 1;
        }
        flags |= match ctx.shape[i] {
            2 => 1,
            3 => 2,
            4 => 4,
            8 => 8,
            _ => 0,
        };
        repeated += (ctx.trigram_repeated[i] && ctx.is_content(i)) as usize;
    }
    out.sort_unstable();
    out.dedup();
    for (c, &n) in cue_counts.iter().enumerate() {
        if n > 0 {
            out.push(feat(205, c as u64 * 8 + bucket(n as usize, &[1, 2, 4])));
        }
    }
    out.push(feat(206, flags));
    out.push(feat(207, bucket(repeated, &[0, 2, 5])));
    out.push(feat(208, (lo < ctx.title_end) as u64));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_match_english_words_and_russian_stems() {
        assert_ne!(cue_mask("Unprecedented") & (1 << Cue::Loaded as u32), 0);
        assert_ne!(cue_mask("our") & (1 << Cue::We as u32), 0);
        assert_ne!(cue_mask("Russia’s") & (1 << Cue::Nation as u32), 0);
        assert_ne!(cue_mask("русофобской") & (1 << Cue::Loaded as u32), 0);
        assert_ne!(cue_mask("угрозы") & (1 << Cue::Fear as u32), 0);
        assert_eq!(cue_mask("table"), 0);
        assert_eq!(cue_mask("стол"), 0);
    }

    #[test]
    fn repeated_trigrams_and_quotes_are_seen() {
        let doc = Document::from_text("Build the wall. They said \"build the wall\" again.");
        let ctx = DocContext::new(&doc);
        let the = doc
            .tokens
            .iter()
            .position(|t| doc.slice(t.span()) == "the")
            .unwrap();
        assert!(ctx.trigram_repeated[the]);
        let again = doc
            .tokens
            .iter()
            .position(|t| doc.slice(t.span()) == "again")
            .unwrap();
        assert!(!ctx.in_quotes[again]);
        let wall2 = doc
            .tokens
            .iter()
            .rposition(|t| doc.slice(t.span()) == "wall")
            .unwrap();
        assert!(ctx.in_quotes[wall2]);
    }
}
