//! Training a [`SyntaxModel`] from CoNLL-U (`sift train syntax`).
//!
//! The tagger trains first; the parser then trains on tags the tagger predicts for
//! sentences it did not see (jackknifing over `folds` folds), so it learns from the
//! same kind of errors it meets at run time. The parser's oracle is the arc-hybrid
//! dynamic oracle (Goldberg & Nivre 2013): the cost of a move is the number of gold
//! arcs it makes unreachable; after the first epoch the trainer follows its own
//! prediction with probability `explore` (error exploration). Non-projective gold trees
//! simply leave every move with a positive cost; the cheapest counts as correct.

use rustc_hash::FxHashMap;

use super::conllu::Sentence;
use super::lemma::{rule_key, EditScript, Lemmatizer, MAX_SUFFIX, UPOS_BASE};
use super::model::{lemma_of, nodes, SyntaxModel};
use super::parser::{self, Move, State, Templates};
use super::perceptron::{argmax, Trainer};
use super::tagger::{self, TagInfo, WordView, START};
use super::tags::{intern, Feats, Upos};

/// Training settings; the defaults are what the committed models use.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Tagger epochs.
    pub tagger_epochs: usize,
    /// Parser epochs.
    pub parser_epochs: usize,
    /// Jackknife folds for the parser's training tags (0 or 1 = gold tags).
    pub folds: usize,
    /// Probability of following the model's own wrong move after epoch 1.
    pub explore: f64,
    /// Shuffling seed.
    pub seed: u64,
    /// Read the Russian dictionary's readings ([`super::lexicon`]).
    pub dictionary: bool,
    /// Averaged weights below this magnitude are dropped (keeps the files small).
    pub min_weight: f32,
    /// The parser's feature templates.
    pub templates: Templates,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tagger_epochs: 6,
            parser_epochs: 12,
            folds: 4,
            explore: 0.9,
            seed: 14,
            dictionary: false,
            min_weight: 0.75,
            templates: Templates::ALL,
        }
    }
}

/// A training sentence with gold annotation; tags are joint-tag indices.
pub struct Gold {
    forms: Vec<String>,
    views: Vec<WordView>,
    lemmas: Vec<String>,
    tags: Vec<usize>,
    heads: Vec<usize>,
    labels: Vec<usize>,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Index the tag and label sets of `sentences` and convert them.
fn prepare(
    sentences: &[Sentence],
    dictionary: bool,
) -> (Vec<TagInfo>, Vec<&'static str>, Vec<Gold>) {
    let mut tag_keys: Vec<(String, String)> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    for s in sentences {
        for w in s.words() {
            tag_keys.push((w.upos().to_string(), w.feats().to_string()));
            labels.push(w.deprel().to_string());
        }
    }
    tag_keys.sort();
    tag_keys.dedup();
    labels.sort();
    labels.dedup();
    let tag_index: FxHashMap<(String, String), usize> = tag_keys
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, k)| (k, i))
        .collect();
    let label_index: FxHashMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let tags = tag_keys
        .iter()
        .map(|(u, f)| TagInfo {
            upos: Upos::from_ud(u).unwrap_or(Upos::X),
            feats: Feats::parse(f),
        })
        .collect();
    let gold = sentences
        .iter()
        .filter(|s| s.words().next().is_some())
        .map(|s| Gold {
            forms: s.words().map(|w| w.form().to_string()).collect(),
            views: WordView::of_sentence(
                &s.words().map(|w| w.form()).collect::<Vec<_>>(),
                dictionary,
            ),
            lemmas: s.words().map(|w| w.lemma().to_string()).collect(),
            tags: s
                .words()
                .map(|w| tag_index[&(w.upos().to_string(), w.feats().to_string())])
                .collect(),
            heads: s.words().map(|w| w.head().unwrap_or(0)).collect(),
            labels: s.words().map(|w| label_index[w.deprel()]).collect(),
        })
        .collect();
    (tags, labels.iter().map(|l| intern(l)).collect(), gold)
}

/// Train a whole model. `log` receives one line per epoch.
pub fn train(sentences: &[Sentence], options: Options, log: &mut dyn FnMut(&str)) -> SyntaxModel {
    let (tags, labels, gold) = prepare(sentences, options.dictionary);
    let mut rng = Rng(options.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let all: Vec<&Gold> = gold.iter().collect();
    let tagger = train_tagger(&all, &tags, options.tagger_epochs, &mut rng, log);
    let parser_tags = jackknife(&gold, &tags, options, &mut rng, log);
    let lemmas = train_lemmatizer(&gold, &tags);
    let parser = train_parser(
        &parser_inputs(&gold, &parser_tags, &tags, &lemmas),
        labels.len(),
        options,
        &mut rng,
        log,
    );
    SyntaxModel {
        tags,
        tagger: tagger.finish(options.min_weight),
        lemmas,
        labels,
        parser: parser.finish(options.min_weight),
        templates: options.templates,
        dictionary: options.dictionary,
    }
}

fn train_tagger(
    gold: &[&Gold],
    tags: &[TagInfo],
    epochs: usize,
    rng: &mut Rng,
    log: &mut dyn FnMut(&str),
) -> Trainer {
    let mut t = Trainer::new(tags.len());
    let mut order: Vec<usize> = (0..gold.len()).collect();
    let mut feats = Vec::new();
    let mut scores = vec![0.0f32; tags.len()];
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &k in &order {
            let g = gold[k];
            let mut prev = [START, START];
            for (i, &truth) in g.tags.iter().enumerate() {
                tagger::features(&g.views, i, prev, tags, &mut feats);
                scores.iter_mut().for_each(|s| *s = 0.0);
                t.score(&feats, &mut scores);
                let guess = argmax(&scores, |_| true).unwrap_or(0);
                t.tick();
                t.update(&feats, truth, guess);
                right += usize::from(guess == truth);
                total += 1;
                prev = [guess, prev[0]];
            }
        }
        log(&format!(
            "tagger epoch {}: train accuracy {:.4}",
            epoch + 1,
            right as f64 / total.max(1) as f64
        ));
    }
    t
}

/// Tags for the parser's training data: predicted by taggers that did not see them.
fn jackknife(
    gold: &[Gold],
    tags: &[TagInfo],
    options: Options,
    rng: &mut Rng,
    log: &mut dyn FnMut(&str),
) -> Vec<Vec<usize>> {
    if options.folds < 2 {
        return gold.iter().map(|g| g.tags.clone()).collect();
    }
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); gold.len()];
    for fold in 0..options.folds {
        let train: Vec<&Gold> = gold
            .iter()
            .enumerate()
            .filter(|(i, _)| i % options.folds != fold)
            .map(|(_, g)| g)
            .collect();
        let mut quiet = |_: &str| {};
        let weights =
            train_tagger(&train, tags, options.tagger_epochs, rng, &mut quiet).finish(0.01);
        for (i, g) in gold
            .iter()
            .enumerate()
            .filter(|(i, _)| i % options.folds == fold)
        {
            out[i] = tagger::tag(&weights, tags, &g.views);
        }
        log(&format!(
            "jackknife fold {} of {} tagged",
            fold + 1,
            options.folds
        ));
    }
    out
}

fn train_lemmatizer(gold: &[Gold], tags: &[TagInfo]) -> Lemmatizer {
    let mut scripts: Vec<EditScript> = Vec::new();
    let mut script_index: FxHashMap<EditScript, u32> = FxHashMap::default();
    let mut rule_counts: FxHashMap<u64, FxHashMap<u32, u32>> = FxHashMap::default();
    let mut exact_counts: FxHashMap<(String, u32, String), u32> = FxHashMap::default();
    for g in gold {
        for ((form, lemma), &tag) in g.forms.iter().zip(&g.lemmas).zip(&g.tags) {
            let upos_key = (UPOS_BASE + tags[tag].upos as usize) as u32;
            for key in [tag as u32, upos_key] {
                *exact_counts
                    .entry((form.clone(), key, lemma.clone()))
                    .or_default() += 1;
            }
            let script = EditScript::between(form, lemma);
            let next = scripts.len() as u32;
            let s = *script_index.entry(script.clone()).or_insert_with(|| {
                scripts.push(script);
                next
            });
            let lower = form.to_lowercase();
            let starts: Vec<usize> = lower.char_indices().map(|(b, _)| b).collect();
            for k in 0..=starts.len().min(MAX_SUFFIX) {
                let from = if k == 0 {
                    lower.len()
                } else {
                    starts[starts.len() - k]
                };
                let suffix = &lower[from..];
                let upos = tags[tag].upos as usize;
                for key in [rule_key(tag, suffix), rule_key(UPOS_BASE + upos, suffix)] {
                    *rule_counts.entry(key).or_default().entry(s).or_default() += 1;
                }
            }
        }
    }
    let mut l = Lemmatizer {
        scripts,
        ..Lemmatizer::default()
    };
    for (key, counts) in rule_counts {
        let best = counts
            .iter()
            .max_by_key(|(s, c)| (**c, std::cmp::Reverse(**s)));
        if let Some((&s, _)) = best {
            l.rules.insert(key, s);
        }
    }
    let mut best: FxHashMap<(String, u32), (u32, String)> = FxHashMap::default();
    for ((form, tag, lemma), count) in exact_counts {
        let e = best.entry((form, tag)).or_insert((0, String::new()));
        if count > e.0 || (count == e.0 && lemma < e.1) {
            *e = (count, lemma);
        }
    }
    for ((form, tag), (_, lemma)) in best {
        l.exact.entry(form).or_default().push((tag, lemma));
    }
    for v in l.exact.values_mut() {
        v.sort();
    }
    l
}

/// Gold tree of a sentence, 1-based with index 0 the root.
struct Tree {
    heads: Vec<usize>,
    labels: Vec<usize>,
    children: Vec<Vec<usize>>,
}

impl Tree {
    fn new(g: &Gold) -> Tree {
        let n = g.forms.len();
        let mut heads = vec![0; n + 1];
        let mut labels = vec![0; n + 1];
        let mut children = vec![Vec::new(); n + 1];
        for d in 1..=n {
            let h = g.heads[d - 1].min(n);
            heads[d] = h;
            labels[d] = g.labels[d - 1];
            children[h].push(d);
        }
        Tree {
            heads,
            labels,
            children,
        }
    }

    /// Structural costs of SHIFT, LEFT and RIGHT in `s`.
    fn costs(&self, s: &State) -> [usize; 3] {
        let s0 = *s.stack.last().expect("root");
        let s1 = s.stack.len().checked_sub(2).map(|i| s.stack[i]);
        let b = s.b;
        let in_buffer = |i: usize| i >= b && i <= s.n;
        let children_in_buffer = self.children[s0].iter().filter(|&&d| in_buffer(d)).count();
        let shift = if b <= s.n {
            let kids_on_stack = s
                .stack
                .iter()
                .filter(|&&d| d != 0 && self.heads[d] == b)
                .count();
            let h = self.heads[b];
            kids_on_stack + usize::from(h != s0 && s.stack.contains(&h))
        } else {
            usize::MAX
        };
        let h = self.heads[s0];
        let left = children_in_buffer + usize::from(h != b && (Some(h) == s1 || h > b));
        let right = children_in_buffer + usize::from(in_buffer(h));
        [shift, left, right]
    }

    /// Cost of each class (usize::MAX for an invalid one).
    fn class_costs(&self, s: &State, n_labels: usize, out: &mut Vec<usize>) {
        out.clear();
        let [shift, left, right] = self.costs(s);
        let s0 = *s.stack.last().expect("root");
        let s1 = s.stack.len().checked_sub(2).map(|i| s.stack[i]);
        for c in 0..parser::n_classes(n_labels) {
            let m = Move::of_class(c);
            let cost = if !s.is_valid(m) {
                usize::MAX
            } else {
                match m {
                    Move::Shift => shift,
                    Move::Left(l) => {
                        left + usize::from(self.heads[s0] == s.b && self.labels[s0] != l)
                    }
                    Move::Right(l) => {
                        right + usize::from(Some(self.heads[s0]) == s1 && self.labels[s0] != l)
                    }
                }
            };
            out.push(cost);
        }
    }
}

/// The parser's training input: each sentence's nodes (with the tags and lemmas the
/// parser will see at run time) and its gold tree.
fn parser_inputs(
    gold: &[Gold],
    parser_tags: &[Vec<usize>],
    tags: &[TagInfo],
    lemmas: &Lemmatizer,
) -> Vec<(Vec<parser::Node>, Tree)> {
    gold.iter()
        .zip(parser_tags)
        .map(|(g, pt)| {
            let infos: Vec<TagInfo> = pt.iter().map(|&i| tags[i]).collect();
            let lemmas: Vec<String> = g
                .forms
                .iter()
                .zip(&g.views)
                .zip(pt)
                .map(|((form, view), &tag)| lemma_of(lemmas, tags, form, view, tag))
                .collect();
            (nodes(&g.views, &infos, &lemmas), Tree::new(g))
        })
        .collect()
}

fn train_parser(
    prepared: &[(Vec<parser::Node>, Tree)],
    n_labels: usize,
    options: Options,
    rng: &mut Rng,
    log: &mut dyn FnMut(&str),
) -> Trainer {
    let n_classes = parser::n_classes(n_labels);
    let mut t = Trainer::new(n_classes);
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let (mut feats, mut costs) = (Vec::new(), Vec::new());
    let mut scores = vec![0.0f32; n_classes];
    for epoch in 0..options.parser_epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &k in &order {
            let (nodes, tree) = &prepared[k];
            let mut state = State::new(nodes.len() - 1);
            while !state.is_terminal() {
                parser::features(&state, nodes, options.templates, &mut feats);
                scores.iter_mut().for_each(|s| *s = 0.0);
                t.score(&feats, &mut scores);
                tree.class_costs(&state, n_labels, &mut costs);
                let guess = argmax(&scores, |c| costs[c] != usize::MAX).expect("valid move");
                let min = *costs.iter().min().expect("classes");
                let best = argmax(&scores, |c| costs[c] == min).expect("a cheapest move");
                t.tick();
                t.update(&feats, best, if costs[guess] > min { guess } else { best });
                right += usize::from(costs[guess] == min);
                total += 1;
                let follow = costs[guess] == min || (epoch > 0 && rng.unit() < options.explore);
                state.apply(Move::of_class(if follow { guess } else { best }));
            }
        }
        log(&format!(
            "parser epoch {}: cheapest-move accuracy {:.4}",
            epoch + 1,
            right as f64 / total.max(1) as f64
        ));
    }
    t
}
