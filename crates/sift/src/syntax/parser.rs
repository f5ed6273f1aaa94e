//! The dependency parser: greedy arc-hybrid transitions (Kuhlmann et al. 2011) scored
//! by an averaged perceptron, trained with a dynamic oracle and error exploration
//! (Goldberg & Nivre 2013; see `train.rs`).
//!
//! The root sits at the bottom of the stack; words are `1..=n`. Transitions: SHIFT
//! (push the buffer front), LEFT-l (the stack top becomes an `l` dependent of the buffer
//! front), RIGHT-l (the stack top becomes an `l` dependent of the word below it). A word
//! is attached to the root only when the buffer is empty, so every tree has one root.
//! Features follow Zhang & Nivre (2011): words, UPOS and Case of the stack and buffer
//! positions and of the outermost children, distance, valency and child labels.
//! A model reads a subset of the templates ([`Templates`], stored in its file): each
//! template costs a table lookup per move, and the lookups are nearly all of the
//! parser's time.

use super::perceptron::{argmax, FeatureHash, Weights};
use super::tags::Upos;

/// A transition: class `0` is SHIFT, `1 + 2l` LEFT with label `l`, `2 + 2l` RIGHT-l.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Push the buffer front onto the stack.
    Shift,
    /// Stack top ← buffer front, labelled.
    Left(usize),
    /// Word below the stack top → stack top, labelled.
    Right(usize),
}

impl Move {
    /// The perceptron class of the move.
    pub fn class(self) -> usize {
        match self {
            Move::Shift => 0,
            Move::Left(l) => 1 + 2 * l,
            Move::Right(l) => 2 + 2 * l,
        }
    }
    /// The move of a perceptron class.
    pub fn of_class(c: usize) -> Move {
        match c {
            0 => Move::Shift,
            c if c % 2 == 1 => Move::Left((c - 1) / 2),
            c => Move::Right((c - 2) / 2),
        }
    }
}

/// Number of perceptron classes for `n_labels` labels.
pub fn n_classes(n_labels: usize) -> usize {
    1 + 2 * n_labels
}

/// What the feature templates know about each word (index 0 = root).
#[derive(Debug, Clone, Copy)]
pub struct Node {
    /// Hash of the lower-cased form.
    pub word: u64,
    /// UPOS index (+1; 0 = root/none).
    pub pos: u64,
    /// Case index (+1; 0 = none).
    pub case: u64,
    /// Hash of the lemma (inflected forms share it: sparse Russian forms need it).
    pub lemma: u64,
    /// Number, Gender and Person packed (0 = none): subject–verb and noun–adjective
    /// agreement.
    pub agreement: u64,
    /// VerbForm and Voice packed (0 = none).
    pub verb_form: u64,
}

impl Node {
    /// The node standing for a missing stack or buffer position.
    pub const NONE: Node = Node {
        word: 1,
        pos: 99,
        case: 99,
        lemma: 1,
        agreement: 999,
        verb_form: 99,
    };
}

/// Whether two nodes' Number, Gender and Person agree where both have them
/// (0 = no evidence, 1 = agree, 2 = clash).
fn agrees(a: Node, b: Node) -> u64 {
    if a.agreement == Node::NONE.agreement || b.agreement == Node::NONE.agreement {
        return 0;
    }
    let part = |x: u64, k: u64| (x / k) % 8;
    let mut seen = false;
    for k in [1, 8, 64] {
        let (x, y) = (part(a.agreement, k), part(b.agreement, k));
        if x != 0 && y != 0 {
            if x != y {
                return 2;
            }
            seen = true;
        }
    }
    u64::from(seen)
}

/// Number of feature templates [`features`] computes.
pub const N_TEMPLATES: usize = 95;

/// Templates the English model leaves out, measured by retraining without each group
/// (EWT dev, gold tokens, LAS 80.46 with all): the word-only unigrams (1, 4, 7, 10, 13;
/// the word-and-UPOS templates carry them) 80.39, the three-part pairs of s0 and b0
/// (15–19) 80.48, the lemma templates (74–79, 87–89; an English lemma is nearly its
/// word) 80.37, and with the word templates joined with Case (70–73, 93) all together
/// 80.49, at 24 fewer lookups per move (tagging and parsing 85k → 107k words/s). Adding
/// the s1–s0 and s0–b0 word pairs (20, 24–26) lost 0.3, the word–distance and
/// word–valency templates 0.8.
pub const ENGLISH_DROPPED: &[usize] = &[
    1, 4, 7, 10, 13, 15, 16, 17, 18, 19, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 87, 88, 89, 93,
];

/// Templates the Russian model leaves out: the English set less the lemma templates,
/// which sparse Russian inflection needs.
pub const RUSSIAN_DROPPED: &[usize] = &[1, 4, 7, 10, 13, 15, 16, 17, 18, 19, 70, 71, 72, 73, 93];

/// The feature templates a model reads: bit `t` set = template `t` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Templates(u128);

impl Default for Templates {
    fn default() -> Self {
        Templates::ALL
    }
}

impl Templates {
    /// Every template (models written before the set was stored read them all).
    pub const ALL: Templates = Templates((1u128 << N_TEMPLATES) - 1);

    /// Every template but `dropped` (ids past [`N_TEMPLATES`] are ignored).
    pub fn without(dropped: &[usize]) -> Templates {
        let off = dropped
            .iter()
            .filter(|&&t| t < N_TEMPLATES)
            .fold(0u128, |m, &t| m | 1u128 << t);
        Templates(Templates::ALL.0 & !off)
    }

    /// Whether template `t` is read.
    #[inline]
    pub fn has(self, t: usize) -> bool {
        t < 128 && self.0 >> t & 1 == 1
    }

    /// The templates left out, in order.
    pub fn dropped(self) -> Vec<usize> {
        (0..N_TEMPLATES).filter(|&t| !self.has(t)).collect()
    }

    /// The stored form.
    pub fn bits(self) -> u128 {
        self.0
    }

    /// The set stored as `bits`, or why it cannot be one (a template this build does
    /// not know).
    pub fn from_bits(bits: u128) -> Result<Templates, String> {
        if bits & !Templates::ALL.0 != 0 {
            return Err(format!(
                "the parser reads a feature template past the {N_TEMPLATES} this build knows"
            ));
        }
        Ok(Templates(bits))
    }
}

const NO_WORD: usize = usize::MAX;
const NO_LABEL: u64 = u64::MAX - 1;

/// A parser configuration.
pub struct State {
    /// Stack of word indices (0 = root at the bottom).
    pub stack: Vec<usize>,
    /// Buffer front; the buffer is `b..=n`.
    pub b: usize,
    /// Number of words.
    pub n: usize,
    /// Head of each word, `NO_WORD` until attached.
    pub heads: Vec<usize>,
    /// Label index of each word's arc.
    pub labels: Vec<usize>,
    lefts: Vec<[usize; 2]>,
    rights: Vec<[usize; 2]>,
    n_left: Vec<u8>,
    n_right: Vec<u8>,
}

impl State {
    /// The initial configuration for `n` words.
    pub fn new(n: usize) -> State {
        State {
            stack: vec![0],
            b: 1,
            n,
            heads: vec![NO_WORD; n + 1],
            labels: vec![usize::MAX; n + 1],
            lefts: vec![[NO_WORD; 2]; n + 1],
            rights: vec![[NO_WORD; 2]; n + 1],
            n_left: vec![0; n + 1],
            n_right: vec![0; n + 1],
        }
    }

    /// No move is left.
    pub fn is_terminal(&self) -> bool {
        self.b > self.n && self.stack.len() == 1
    }

    /// Whether `m` can be applied (labels are not checked).
    pub fn is_valid(&self, m: Move) -> bool {
        let buffer = self.b <= self.n;
        match m {
            Move::Shift => buffer,
            Move::Left(_) => buffer && self.stack.len() >= 2,
            Move::Right(_) => self.stack.len() >= 3 || (self.stack.len() == 2 && !buffer),
        }
    }

    /// Apply a valid move.
    pub fn apply(&mut self, m: Move) {
        match m {
            Move::Shift => {
                self.stack.push(self.b);
                self.b += 1;
            }
            Move::Left(l) => {
                let d = self.stack.pop().expect("valid LEFT");
                self.attach(self.b, d, l);
            }
            Move::Right(l) => {
                let d = self.stack.pop().expect("valid RIGHT");
                let h = *self.stack.last().expect("valid RIGHT");
                self.attach(h, d, l);
            }
        }
    }

    fn attach(&mut self, h: usize, d: usize, l: usize) {
        self.heads[d] = h;
        self.labels[d] = l;
        if d < h {
            self.n_left[h] = self.n_left[h].saturating_add(1);
            let slot = &mut self.lefts[h];
            if slot[0] == NO_WORD || d < slot[0] {
                *slot = [d, slot[0]];
            } else if slot[1] == NO_WORD || d < slot[1] {
                slot[1] = d;
            }
        } else {
            self.n_right[h] = self.n_right[h].saturating_add(1);
            let slot = &mut self.rights[h];
            if slot[0] == NO_WORD || d > slot[0] {
                *slot = [d, slot[0]];
            } else if slot[1] == NO_WORD || d > slot[1] {
                slot[1] = d;
            }
        }
    }

    fn stack_at(&self, i: usize) -> usize {
        self.stack
            .len()
            .checked_sub(i + 1)
            .map_or(NO_WORD, |k| self.stack[k])
    }

    fn buffer_at(&self, i: usize) -> usize {
        if self.b + i <= self.n {
            self.b + i
        } else {
            NO_WORD
        }
    }
}

fn fh(template: u32, parts: &[u64]) -> u64 {
    parts
        .iter()
        .fold(FeatureHash::new(template), |h, &p| h.num(p))
        .done()
}

/// Feature hashes of a configuration.
pub fn features(s: &State, nodes: &[Node], templates: Templates, out: &mut Vec<u64>) {
    out.clear();
    let node = |i: usize| -> Node {
        if i == NO_WORD {
            Node::NONE
        } else {
            nodes[i]
        }
    };
    let label = |i: usize| -> u64 {
        if i == NO_WORD || s.labels[i] == usize::MAX {
            NO_LABEL
        } else {
            s.labels[i] as u64
        }
    };
    let left = |i: usize, k: usize| if i == NO_WORD { NO_WORD } else { s.lefts[i][k] };
    let right = |i: usize, k: usize| {
        if i == NO_WORD {
            NO_WORD
        } else {
            s.rights[i][k]
        }
    };
    let (s0i, s1i, s2i) = (s.stack_at(0), s.stack_at(1), s.stack_at(2));
    let (b0i, b1i, b2i) = (s.buffer_at(0), s.buffer_at(1), s.buffer_at(2));
    let (s0, s1, s2, b0, b1, b2) = (
        node(s0i),
        node(s1i),
        node(s2i),
        node(b0i),
        node(b1i),
        node(b2i),
    );
    let (s0li, s0l2i, s0ri, s0r2i) = (left(s0i, 0), left(s0i, 1), right(s0i, 0), right(s0i, 1));
    let (b0li, b0l2i, s1ri, s1li) = (left(b0i, 0), left(b0i, 1), right(s1i, 0), left(s1i, 0));
    let (s0l, s0r, b0l, s1r) = (node(s0li), node(s0ri), node(b0li), node(s1ri));
    let dist = if s0i != NO_WORD && b0i != NO_WORD {
        (b0i - s0i).min(6) as u64
    } else {
        0
    };
    // Punctuation between the two candidates: a comma or dash between a noun and the
    // next one separates an apposition or a conjunct from a plain modifier.
    let punct_between = |a: usize, b: usize| -> u64 {
        if a == NO_WORD || b == NO_WORD || b <= a + 1 {
            return 0;
        }
        let punct = Upos::Punct as u64 + 1;
        let n = (a + 1..b)
            .take(24)
            .filter(|&i| nodes[i].pos == punct)
            .count();
        n.min(3) as u64
    };
    let (p_s0b0, p_s1s0) = (punct_between(s0i, b0i), punct_between(s1i, s0i));
    let dist01 = if s1i != NO_WORD && s0i != NO_WORD {
        (s0i - s1i).min(6) as u64
    } else {
        0
    };
    let count = |v: &Vec<u8>, i: usize| {
        if i == NO_WORD {
            9
        } else {
            u64::from(v[i].min(8))
        }
    };
    let (s0vl, s0vr, b0vl) = (
        count(&s.n_left, s0i),
        count(&s.n_right, s0i),
        count(&s.n_left, b0i),
    );
    let f = [
        fh(0, &[]),
        fh(1, &[s0.word]),
        fh(2, &[s0.pos]),
        fh(3, &[s0.word, s0.pos]),
        fh(4, &[s1.word]),
        fh(5, &[s1.pos]),
        fh(6, &[s1.word, s1.pos]),
        fh(7, &[b0.word]),
        fh(8, &[b0.pos]),
        fh(9, &[b0.word, b0.pos]),
        fh(10, &[b1.word]),
        fh(11, &[b1.pos]),
        fh(12, &[b1.word, b1.pos]),
        fh(13, &[b2.word]),
        fh(14, &[b2.pos]),
        fh(15, &[s0.word, s0.pos, b0.word, b0.pos]),
        fh(16, &[s0.word, s0.pos, b0.word]),
        fh(17, &[s0.word, b0.word, b0.pos]),
        fh(18, &[s0.word, s0.pos, b0.pos]),
        fh(19, &[s0.pos, b0.word, b0.pos]),
        fh(20, &[s0.word, b0.word]),
        fh(21, &[s0.pos, b0.pos]),
        fh(22, &[b0.pos, b1.pos]),
        fh(23, &[s1.pos, s0.pos]),
        fh(24, &[s1.word, s0.word]),
        fh(25, &[s1.word, s0.pos]),
        fh(26, &[s1.pos, s0.word]),
        fh(27, &[b0.pos, b1.pos, b2.pos]),
        fh(28, &[s0.pos, b0.pos, b1.pos]),
        fh(29, &[s1.pos, s0.pos, b0.pos]),
        fh(30, &[s2.pos, s1.pos, s0.pos]),
        fh(31, &[s0.pos, s0l.pos, b0.pos]),
        fh(32, &[s0.pos, s0r.pos, b0.pos]),
        fh(33, &[s0.pos, b0.pos, b0l.pos]),
        fh(34, &[s1.pos, s0.pos, s0l.pos]),
        fh(35, &[s1.pos, s1r.pos, s0.pos]),
        fh(36, &[s0.word, dist]),
        fh(37, &[s0.pos, dist]),
        fh(38, &[b0.word, dist]),
        fh(39, &[b0.pos, dist]),
        fh(40, &[s0.word, b0.word, dist]),
        fh(41, &[s0.pos, b0.pos, dist]),
        fh(42, &[s1.pos, s0.pos, dist01]),
        fh(43, &[s0.word, s0vr]),
        fh(44, &[s0.pos, s0vr]),
        fh(45, &[s0.word, s0vl]),
        fh(46, &[s0.pos, s0vl]),
        fh(47, &[b0.word, b0vl]),
        fh(48, &[b0.pos, b0vl]),
        fh(49, &[s0l.word]),
        fh(50, &[s0l.pos]),
        fh(51, &[label(s0li)]),
        fh(52, &[s0r.word]),
        fh(53, &[s0r.pos]),
        fh(54, &[label(s0ri)]),
        fh(55, &[b0l.word]),
        fh(56, &[b0l.pos]),
        fh(57, &[label(b0li)]),
        fh(58, &[label(s1ri)]),
        fh(59, &[s1r.pos]),
        fh(60, &[label(s1li)]),
        fh(61, &[s0.pos, label(s0li), label(s0l2i)]),
        fh(62, &[s0.pos, label(s0ri), label(s0r2i)]),
        fh(63, &[b0.pos, label(b0li), label(b0l2i)]),
        fh(64, &[s0.case, b0.case]),
        fh(65, &[s0.pos, s0.case, b0.pos, b0.case]),
        fh(66, &[s1.pos, s1.case, s0.pos, s0.case]),
        fh(67, &[s0.case]),
        fh(68, &[b0.case]),
        fh(69, &[s1.case]),
        fh(70, &[s0.word, b0.pos, b0.case]),
        fh(71, &[s0.pos, s0.case, b0.word]),
        fh(72, &[s1.word, s0.pos, s0.case]),
        fh(73, &[s0.word, s0.pos, s1.pos]),
        fh(74, &[s0.lemma]),
        fh(75, &[b0.lemma]),
        fh(76, &[s0.lemma, b0.lemma]),
        fh(77, &[s0.lemma, b0.pos]),
        fh(78, &[s0.pos, b0.lemma]),
        fh(79, &[s1.lemma, s0.lemma]),
        fh(80, &[s0.pos, s0.agreement, b0.pos, b0.agreement]),
        fh(81, &[s1.pos, s1.agreement, s0.pos, s0.agreement]),
        fh(82, &[agrees(s0, b0), s0.pos, b0.pos]),
        fh(83, &[agrees(s1, s0), s1.pos, s0.pos]),
        fh(84, &[s0.verb_form, b0.pos, b0.case]),
        fh(85, &[s0.pos, s0.case, b0.verb_form]),
        fh(86, &[s1.verb_form, s0.pos, s0.case]),
        fh(87, &[s0.lemma, b0.pos, b0.case]),
        fh(88, &[s0.pos, s0.case, b0.lemma]),
        fh(89, &[s1.lemma, s0.pos, s0.case]),
        fh(90, &[p_s0b0, s0.pos, b0.pos]),
        fh(91, &[p_s1s0, s1.pos, s0.pos]),
        fh(92, &[p_s0b0, s0.pos, s0.case, b0.pos, b0.case]),
        fh(93, &[p_s0b0, dist, b0.word]),
        fh(94, &[p_s1s0, s1.pos, s1.case, s0.pos, s0.case]),
    ];
    debug_assert_eq!(f.len(), N_TEMPLATES);
    out.extend(
        f.iter()
            .enumerate()
            .filter(|&(t, _)| templates.has(t))
            .map(|(_, &h)| h),
    );
}

/// Parse a sentence: `(head, label)` per word `1..=n` (head 0 = root).
pub fn parse(weights: &Weights, templates: Templates, nodes: &[Node]) -> Vec<(usize, usize)> {
    let n = nodes.len() - 1;
    let mut state = State::new(n);
    let mut feats = Vec::with_capacity(96);
    let mut scores = vec![0i32; weights.n_classes()];
    while !state.is_terminal() {
        features(&state, nodes, templates, &mut feats);
        scores.fill(0);
        weights.score(&feats, &mut scores);
        let best = argmax(&scores, |c| state.is_valid(Move::of_class(c)))
            .expect("a non-terminal state has a valid move");
        state.apply(Move::of_class(best));
    }
    (1..=n).map(|d| (state.heads[d], state.labels[d])).collect()
}
