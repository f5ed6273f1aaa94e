//! `sift train attribution`, `sift eval polnear`, `sift eval speakers`, `sift eval quotes-ru`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
use sift::train::attribution::crf::{self, CrfModel, TrainParams};
use sift_eval::attribution::AttributionScore;
use sift_eval::polnear::{self, Article};

use crate::exit;

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Perceptron epochs (or L-BFGS iterations with --lbfgs).
    #[arg(long, default_value_t = 10)]
    iterations: usize,
    /// Fit with L-BFGS instead of the averaged perceptron (much slower).
    #[arg(long)]
    lbfgs: bool,
    /// Where to write the model.
    #[arg(long, default_value = "crates/sift/models/attribution-crf.bin")]
    out: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum Train {
    /// Train the attribution tagger (CRF, BIO source/cue/content) on PolNeAR train.
    Attribution(TrainArgs),
}

#[derive(Args, Debug)]
pub struct PolnearArgs {
    /// A model file to score instead of the embedded one.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Cross-validation folds over PolNeAR train (0 to skip).
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Also score the whole attribution layer (rules + tagger + resolution) on dev.
    #[arg(long)]
    system: bool,
    /// Perceptron epochs per cross-validation fold.
    #[arg(long, default_value_t = 10)]
    cv_iterations: usize,
    /// With --system: write the layer's near misses (a predicted span overlapping a gold
    /// span of its role without matching it exactly) to this file, one per line:
    /// role, article, gold text, predicted text (tab-separated); and each gold cue no
    /// predicted cue touches, as role "missed", and each predicted cue no gold cue touches,
    /// as role "spurious", with the text around it.
    #[arg(long, requires = "system")]
    near_misses: Option<PathBuf>,
    /// With --system: score the layer (and write its near misses) on this split. `train`
    /// is for finding what the rules miss without reading dev, whose figures are the
    /// ones reported (the tagger saw train, so its share there is optimistic).
    #[arg(long, requires = "system", default_value = "dev", value_parser = ["dev", "train"])]
    system_on: String,
}

#[derive(Args, Debug)]
pub struct SpeakersArgs {}

#[derive(Args, Debug)]
pub struct QuotesRuArgs {}

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// Source/cue/content exact and overlap F1 on PolNeAR dev, and k-fold CV on train.
    Polnear(PolnearArgs),
    /// Speaker-resolution accuracy on sift's own test articles (English and Russian).
    Speakers(SpeakersArgs),
    /// Russian rules on quotes-ru: token-level source/cue/content F1.
    QuotesRu(QuotesRuArgs),
}

fn polnear_dir() -> Option<PathBuf> {
    let dir = sift_eval::shared_data_dir()?.join("polnear");
    dir.is_dir().then_some(dir)
}

fn load(dir: &Path, split: &str) -> Result<Vec<Article>, u8> {
    polnear::load_split(dir, split).map_err(|e| {
        eprintln!("sift: cannot read PolNeAR {split}: {e}");
        exit::ALL_INPUTS_FAILED
    })
}

fn train_on(
    articles: &[&Article],
    params: &TrainParams,
    verbose: bool,
) -> std::io::Result<Vec<u8>> {
    let data: Vec<_> = articles
        .iter()
        .flat_map(|a| polnear::sequences(a))
        .collect();
    crf::train(&data, params, verbose)
}

pub fn train(cmd: Train) -> u8 {
    let Train::Attribution(args) = cmd;
    let Some(dir) = polnear_dir() else {
        eprintln!("sift: ../shared/data/polnear not found (set SIFT_SHARED_DATA)");
        return exit::ALL_INPUTS_FAILED;
    };
    let articles = match load(&dir, "train") {
        Ok(a) => a,
        Err(code) => return code,
    };
    let refs: Vec<&Article> = articles.iter().collect();
    let params = TrainParams {
        max_iterations: args.iterations,
        algorithm: if args.lbfgs {
            crf::Algorithm::Lbfgs
        } else {
            crf::Algorithm::Perceptron
        },
        ..TrainParams::default()
    };
    eprintln!(
        "training on {} PolNeAR train articles, {params:?}",
        refs.len()
    );
    let t = Instant::now();
    let bytes = match train_on(&refs, &params, true) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("sift: training failed: {e}");
            return exit::OUTPUT;
        }
    };
    if let Err(e) = std::fs::write(&args.out, &bytes) {
        eprintln!("sift: cannot write {}: {e}", args.out.display());
        return exit::OUTPUT;
    }
    eprintln!(
        "wrote {} ({:.1} MB) in {:.0} s",
        args.out.display(),
        bytes.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    exit::OK
}

fn score_model(model: &CrfModel, articles: &[&Article]) -> AttributionScore {
    let mut score = AttributionScore::default();
    for a in articles {
        score.add_document(&a.spans, &polnear::predict(model, a));
    }
    score
}

fn eval_polnear(args: PolnearArgs) -> u8 {
    let Some(dir) = polnear_dir() else {
        eprintln!("skipping: ../shared/data/polnear not found");
        return exit::OK;
    };
    let dev = match load(&dir, "dev") {
        Ok(a) => a,
        Err(code) => return code,
    };
    let loaded;
    let model: &CrfModel = match &args.model {
        Some(path) => {
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("sift: cannot read {}: {e}", path.display());
                    return exit::ALL_INPUTS_FAILED;
                }
            };
            loaded = match CrfModel::from_bytes(&bytes) {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("sift: {}: {e}", path.display());
                    return exit::ALL_INPUTS_FAILED;
                }
            };
            &loaded
        }
        None => match crf::embedded() {
            Some(m) => m,
            None => {
                eprintln!("sift: no embedded attribution model; run `sift train attribution`");
                return exit::OUTPUT;
            }
        },
    };
    let dev_refs: Vec<&Article> = dev.iter().collect();
    let t = Instant::now();
    let score = score_model(model, &dev_refs);
    println!(
        "PolNeAR dev ({} articles), CRF tagger trained on train ({:.1} s):",
        dev.len(),
        t.elapsed().as_secs_f64()
    );
    println!("{score}");

    if args.system {
        let scored = if args.system_on == "train" {
            match load(&dir, "train") {
                Ok(a) => a,
                Err(code) => return code,
            }
        } else {
            dev
        };
        let split = args.system_on.as_str();
        let t = Instant::now();
        let mut system = AttributionScore::default();
        let mut rules_only = AttributionScore::default();
        let mut by_cue_kind = CueRecall::default();
        let mut near_misses = String::new();
        for a in &scored {
            let report = sift::analyze_text(&a.text);
            let doc = sift::Document::from_text(&a.text);
            let to_source =
                |s: usize, e: usize| (doc.source_char_of(s), doc.source_char_of(e.max(1) - 1) + 1);
            let mut all = Vec::new();
            let mut rules = Vec::new();
            let toks = sift::train::attribution::rules::Tokens::new(&doc);
            let rule_cues: Vec<sift::Span> = sift::train::attribution::rules::find(&toks)
                .into_iter()
                .map(|c| c.cue)
                .collect();
            for at in &report.attributions {
                let mut spans = Vec::new();
                if let Some(src) = &at.source {
                    spans.push((sift_eval::attribution::Role::Source, src.start, src.end));
                }
                spans.push((sift_eval::attribution::Role::Cue, at.cue.start, at.cue.end));
                spans.push((
                    sift_eval::attribution::Role::Content,
                    at.content.start,
                    at.content.end,
                ));
                let from_rules = rule_cues
                    .iter()
                    .any(|c| c.start == at.cue.start && c.end == at.cue.end);
                for (role, s, e) in spans {
                    if e <= s {
                        continue;
                    }
                    let (start, end) = to_source(s, e);
                    let span = sift_eval::attribution::RoleSpan { role, start, end };
                    all.push(span);
                    if from_rules {
                        rules.push(span);
                    }
                }
            }
            if args.near_misses.is_some() {
                near_misses.push_str(&near_miss_lines(a, &all));
            }
            by_cue_kind.add_document(&a.text, &a.spans, &all);
            system.add_document(&a.spans, &all);
            rules_only.add_document(&a.spans, &rules);
        }
        println!(
            "PolNeAR {split}, rules alone (no tagger) ({:.1} s):",
            t.elapsed().as_secs_f64()
        );
        println!("{rules_only}");
        println!(
            "PolNeAR {split}, sift's attribution layer (rules first, tagger where no rule fired):"
        );
        println!("{system}");
        println!("{by_cue_kind}");
        if let Some(path) = &args.near_misses {
            if let Err(e) = std::fs::write(path, near_misses) {
                eprintln!("sift: cannot write {}: {e}", path.display());
                return exit::OUTPUT;
            }
        }
    }

    if args.folds > 1 {
        let train = match load(&dir, "train") {
            Ok(a) => a,
            Err(code) => return code,
        };
        let params = TrainParams {
            max_iterations: args.cv_iterations,
            ..TrainParams::default()
        };
        let mut total = AttributionScore::default();
        for fold in 0..args.folds {
            let t = Instant::now();
            let in_fold = |i: usize| i % args.folds == fold;
            let fit: Vec<&Article> = train
                .iter()
                .enumerate()
                .filter(|(i, _)| !in_fold(*i))
                .map(|(_, a)| a)
                .collect();
            let test: Vec<&Article> = train
                .iter()
                .enumerate()
                .filter(|(i, _)| in_fold(*i))
                .map(|(_, a)| a)
                .collect();
            let bytes = match train_on(&fit, &params, false) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("sift: fold {fold}: {e}");
                    return exit::OUTPUT;
                }
            };
            let model = match CrfModel::from_bytes(&bytes) {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("sift: fold {fold}: {e}");
                    return exit::OUTPUT;
                }
            };
            let s = score_model(&model, &test);
            eprintln!(
                "fold {fold}: {} test articles, {:.0} s; content exact F1 {:.1}",
                test.len(),
                t.elapsed().as_secs_f64(),
                s.role(sift_eval::attribution::Role::Content).exact().f1
            );
            total.merge(&s);
        }
        println!(
            "PolNeAR train, {}-fold cross-validation (articles by index mod {}, averaged perceptron, {} epochs per fold), pooled:",
            args.folds, args.folds, args.cv_iterations
        );
        println!("{total}");
    }
    exit::OK
}

/// The predicted spans of `article` that overlap a gold span of their role without
/// matching one exactly, as tab-separated lines: role, article, gold text, predicted text.
fn near_miss_lines(article: &Article, predicted: &[sift_eval::attribution::RoleSpan]) -> String {
    let chars: Vec<char> = article.text.chars().collect();
    let text = |s: &sift_eval::attribution::RoleSpan| -> String {
        chars[s.start.min(chars.len())..s.end.min(chars.len())]
            .iter()
            .map(|&c| if c == '\n' || c == '\t' { ' ' } else { c })
            .collect()
    };
    let mut out = String::new();
    for p in predicted {
        let same_role = article.spans.iter().filter(|g| g.role == p.role);
        if same_role
            .clone()
            .any(|g| g.start == p.start && g.end == p.end)
        {
            continue;
        }
        for g in same_role.filter(|g| g.start < p.end && p.start < g.end) {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\n",
                p.role.name(),
                article.name,
                text(g),
                text(p)
            ));
        }
    }
    // Predicted cues no gold cue touches (role "spurious"), with the text around them.
    for p in predicted
        .iter()
        .filter(|p| p.role == sift_eval::attribution::Role::Cue)
    {
        let touched = article.spans.iter().any(|g| {
            g.role == sift_eval::attribution::Role::Cue && p.start < g.end && g.start < p.end
        });
        if !touched {
            let around = sift_eval::attribution::RoleSpan {
                role: p.role,
                start: p.start.saturating_sub(80).min(chars.len()),
                end: (p.end + 80).min(chars.len()),
            };
            out.push_str(&format!(
                "spurious\t{}\t{}\t{}\n",
                article.name,
                text(p),
                text(&around)
            ));
        }
    }
    // Gold cues the layer did not touch at all, with the gold source and content: the
    // recall the layer leaves (role "missed").
    for g in article
        .spans
        .iter()
        .filter(|g| g.role == sift_eval::attribution::Role::Cue)
    {
        let touched = predicted.iter().any(|p| {
            p.role == sift_eval::attribution::Role::Cue && p.start < g.end && g.start < p.end
        });
        if !touched {
            let lo = g.start.saturating_sub(80).min(chars.len());
            let hi = (g.end + 80).min(chars.len());
            let around = sift_eval::attribution::RoleSpan {
                role: g.role,
                start: lo,
                end: hi,
            };
            out.push_str(&format!(
                "missed\t{}\t{}\t{}\n",
                article.name,
                text(g),
                text(&around)
            ));
        }
    }
    out
}

pub fn eval(cmd: Eval) -> u8 {
    match cmd {
        Eval::Polnear(args) => eval_polnear(args),
        Eval::Speakers(_) => eval_speakers(),
        Eval::QuotesRu(_) => eval_quotes_ru(),
    }
}

fn eval_speakers() -> u8 {
    let mut total = (0usize, 0usize, 0usize);
    for (name, checks) in sift_eval::speakers::run_all() {
        let ok = checks.iter().filter(|c| c.speaker_ok()).count();
        let types = checks.iter().filter(|c| c.type_ok()).count();
        println!(
            "{name}: speaker {ok}/{n}, source type {types}/{n}",
            n = checks.len()
        );
        for c in checks.iter().filter(|c| !c.speaker_ok() || !c.type_ok()) {
            println!(
                "  miss: cue {:?}: expected {:?} ({}), got {:?} ({:?})",
                c.cue, c.expected_speaker, c.expected_type, c.found_speaker, c.found_type
            );
        }
        total.0 += ok;
        total.1 += types;
        total.2 += checks.len();
    }
    println!(
        "speaker accuracy {}/{} = {:.1}%; source-type accuracy {}/{} = {:.1}%",
        total.0,
        total.2,
        100.0 * total.0 as f64 / total.2.max(1) as f64,
        total.1,
        total.2,
        100.0 * total.1 as f64 / total.2.max(1) as f64
    );
    eval_checked_speakers()
}

/// The hand-checked speakers on real articles of `../shared/data`, by how the text
/// points to the speaker.
fn eval_checked_speakers() -> u8 {
    let Some(data) = sift_eval::shared_data_dir() else {
        eprintln!("skipping the checked sets: ../shared/data not found");
        return exit::OK;
    };
    let pipeline = sift::Pipeline::default();
    for (name, tsv) in sift_eval::speakers::CHECKED_SETS {
        let rows = match sift_eval::speakers::parse_checked(tsv) {
            Ok(rows) => rows,
            Err(e) => {
                eprintln!("{name}: {e}");
                return exit::USAGE;
            }
        };
        let outcomes = sift_eval::speakers::score_checked(&rows, |path| {
            sift_eval::speakers::shared_article_report(&pipeline, &data, path)
        });
        let mut by_how: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
        for o in &outcomes {
            let e = by_how.entry(o.row.how.as_str()).or_default();
            e.0 += o.ok() as usize;
            e.1 += 1;
            if !o.ok() {
                println!(
                    "  miss: {} {}..{} {:?}: expected {:?}, got {:?}",
                    o.row.path, o.row.cue_start, o.row.cue_end, o.row.cue, o.row.speaker, o.found
                );
            }
        }
        let ok = outcomes.iter().filter(|o| o.ok()).count();
        let parts: Vec<String> = by_how
            .iter()
            .map(|(how, (k, n))| format!("{how} {k}/{n}"))
            .collect();
        println!(
            "{name}: speaker {ok}/{} = {:.1}% ({})",
            outcomes.len(),
            100.0 * ok as f64 / outcomes.len().max(1) as f64,
            parts.join(", ")
        );
    }
    exit::OK
}

fn eval_quotes_ru() -> u8 {
    use sift_eval::attribution::{Role, RoleSpan};
    let Some(dir) = sift_eval::shared_data_dir().map(|d| d.join("quotes-ru")) else {
        eprintln!("skipping: ../shared/data/quotes-ru not found");
        return exit::OK;
    };
    let sentences = match sift_eval::quotes_ru::load(&dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("skipping: ../shared/data/quotes-ru: {e}");
            return exit::OK;
        }
    };
    let mut score = AttributionScore::default();
    // Token-level counts per role: (true positive, predicted, gold).
    let mut tokens = [(0usize, 0usize, 0usize); 3];
    let mut with_gold = 0;
    for s in &sentences {
        let doc = sift::Document::build(
            sift::RawDocument {
                id: s.id.clone(),
                source: Default::default(),
                text: s.text.clone(),
            },
            sift::LanguageHint::Russian,
        );
        let report = sift::Pipeline::only(&["entities", "attribution"])
            .expect("known layers")
            .analyze(&doc);
        let mut predicted: Vec<RoleSpan> = Vec::new();
        for a in &report.attributions {
            if let Some(src) = &a.source {
                predicted.push(RoleSpan {
                    role: Role::Source,
                    start: src.start,
                    end: src.end,
                });
            }
            predicted.push(RoleSpan {
                role: Role::Cue,
                start: a.cue.start,
                end: a.cue.end,
            });
            predicted.push(RoleSpan {
                role: Role::Content,
                start: a.content.start,
                end: a.content.end,
            });
        }
        let gold = s.gold_spans();
        if !gold.is_empty() {
            with_gold += 1;
        }
        score.add_document(&gold, &predicted);
        for (k, &(ts, te)) in s.tokens.iter().enumerate() {
            for (r, role) in Role::ALL.iter().enumerate() {
                // The source sits inside the cue for «по её словам»: count the innermost label.
                let pred = predicted
                    .iter()
                    .any(|p| p.role == *role && p.start <= ts && te <= p.end);
                let gold = s.tags[k] == Some(*role);
                tokens[r].0 += (pred && gold) as usize;
                tokens[r].1 += pred as usize;
                tokens[r].2 += gold as usize;
            }
        }
    }
    println!(
        "quotes-ru (Russian): {} sentences, {} with a gold attribution; sift rules (Russian has no learned model)",
        sentences.len(),
        with_gold
    );
    println!("{score}");
    println!("token-level:");
    for (r, role) in Role::ALL.iter().enumerate() {
        let (tp, p, g) = tokens[r];
        let prec = 100.0 * tp as f64 / p.max(1) as f64;
        let rec = 100.0 * tp as f64 / g.max(1) as f64;
        let f1 = if prec + rec > 0.0 {
            2.0 * prec * rec / (prec + rec)
        } else {
            0.0
        };
        println!("  {:8} P {prec:5.1}  R {rec:5.1}  F1 {f1:5.1}", role.name());
    }
    exit::OK
}

/// Cue recall (any overlap with a predicted cue) split by whether the gold cue holds a
/// reporting or cognition verb ("said", "believes") or not ("according to", "a poll
/// shows" counts as a verb cue, "backs", "views" and nouns do not).
#[derive(Default)]
struct CueRecall {
    /// (found, total) for verb cues, then for the others.
    verb: (usize, usize),
    other: (usize, usize),
}

impl CueRecall {
    fn add_document(
        &mut self,
        text: &str,
        gold: &[sift_eval::attribution::RoleSpan],
        predicted: &[sift_eval::attribution::RoleSpan],
    ) {
        use sift::train::attribution::lexicon::{cue_class, CueClass};
        use sift_eval::attribution::Role;
        let chars: Vec<char> = text.chars().collect();
        for g in gold.iter().filter(|g| g.role == Role::Cue) {
            let words: String = chars[g.start.min(chars.len())..g.end.min(chars.len())]
                .iter()
                .collect::<String>()
                .to_lowercase();
            let verb = words
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| matches!(cue_class(w), Some(CueClass::Speech | CueClass::Cognition)));
            let found = predicted
                .iter()
                .any(|p| p.role == Role::Cue && p.start < g.end && g.start < p.end);
            let slot = if verb {
                &mut self.verb
            } else {
                &mut self.other
            };
            slot.0 += found as usize;
            slot.1 += 1;
        }
    }
}

impl std::fmt::Display for CueRecall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |(k, n): (usize, usize)| 100.0 * k as f64 / n.max(1) as f64;
        write!(
            f,
            "cue recall (overlap): verb cues {}/{} = {:.1}%, other cues {}/{} = {:.1}%",
            self.verb.0,
            self.verb.1,
            pct(self.verb),
            self.other.0,
            self.other.1,
            pct(self.other)
        )
    }
}
