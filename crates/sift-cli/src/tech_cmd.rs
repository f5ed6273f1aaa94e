//! `sift train techniques`, `sift eval ptc`, `sift eval semeval23`.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand};
use sift::train::techniques::labels::{PTC_TECHNIQUES, SEMEVAL23_TECHNIQUES};
use sift::train::techniques::model::EmbeddingHeads;
use sift_eval::techniques::{LabelScores, Prf};
use sift_eval::techniques_corpus::{augment_with_ptc, load_ptc, load_semeval23, LabelledDoc};
use sift_eval::techniques_cv::{cross_validate, CvScores};
use sift_eval::techniques_fit::{fit, FitOptions};

use crate::exit;

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Where to write the model.
    #[arg(long, default_value = "crates/sift/models/techniques.bin")]
    pub out: PathBuf,
    /// Seed for shuffling and the calibration split.
    #[arg(long, default_value_t = 20_260_101)]
    pub seed: u64,
    /// Train on SemEval-2023 only (leave the PTC annotations out).
    #[arg(long)]
    pub no_ptc: bool,
    /// Embeddings mode: the all-MiniLM-L6-v2 (`models/minilm`) or multilingual-e5-small
    /// (`models/e5`) directory (scripts/fetch-embeddings.sh); also trains the paragraph
    /// head and writes it to `--heads-out`.
    #[arg(long, value_name = "DIR")]
    pub embeddings: Option<PathBuf>,
    /// Where the embeddings mode's heads go (`models/techniques-e5.json` for e5).
    #[arg(long, default_value = "crates/sift/models/techniques-minilm.json")]
    pub heads_out: PathBuf,
    #[command(flatten)]
    pub sizes: ModelSizes,
}

/// Hash-space sizes of the models (log2 of the rows).
#[derive(Args, Debug, Clone, Copy)]
pub struct ModelSizes {
    /// Token taggers (both stages share it; 2^18 rows × 4 bytes stays in a core's L2).
    #[arg(long, default_value_t = FitOptions::default().tagger_bits)]
    pub tagger_bits: u32,
    /// Span classifier and verifier.
    #[arg(long, default_value_t = FitOptions::default().classifier_bits)]
    pub classifier_bits: u32,
}

impl ModelSizes {
    fn options(self, seed: u64) -> FitOptions {
        FitOptions {
            seed,
            tagger_bits: self.tagger_bits,
            classifier_bits: self.classifier_bits,
            ..FitOptions::default()
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Train {
    /// Train the technique detector on ../shared/data (SemEval-2023 en+ru, plus PTC).
    Techniques(TrainArgs),
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Number of cross-validation folds (split by article).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Seed for the fold split and training.
    #[arg(long, default_value_t = 20_260_101)]
    pub seed: u64,
    /// (semeval23) add the PTC annotations of the training folds' articles, as the
    /// shipped model does.
    #[arg(long)]
    pub with_ptc: bool,
    /// Write the cross-validated SI predictions here (`id<TAB>start<TAB>end`, the
    /// official SI scorer's input).
    #[arg(long)]
    pub si_predictions: Option<PathBuf>,
    /// Write the cross-validated SI predictions with their technique and confidence here
    /// (`id<TAB>start<TAB>end<TAB>technique<TAB>confidence`, for error analysis).
    #[arg(long)]
    pub si_details: Option<PathBuf>,
    /// Embeddings mode: the all-MiniLM-L6-v2 (`models/minilm`: English paragraphs and
    /// sentences) or multilingual-e5-small (`models/e5`: English and Russian paragraphs)
    /// directory (scripts/fetch-embeddings.sh); embedded paragraphs get an embedding
    /// head beside the sparse evidence.
    #[arg(long, value_name = "DIR")]
    pub embeddings: Option<PathBuf>,
    /// Deal folds by article id instead of keeping near-duplicate articles (the same
    /// story retold) in one fold: the optimistic figure, to measure the leak.
    #[arg(long)]
    pub ungrouped: bool,
    #[command(flatten)]
    pub sizes: ModelSizes,
}

#[derive(Subcommand, Debug)]
pub enum Eval {
    /// PTC (SemEval-2020 Task 11): cross-validated SI F1 and TC micro-F1.
    Ptc(EvalArgs),
    /// SemEval-2023 Task 3 subtask 3 (en, ru): cross-validated paragraph micro-F1.
    Semeval23(EvalArgs),
}

fn data_dir() -> Option<PathBuf> {
    let dir = sift_eval::shared_data_dir();
    if dir.is_none() {
        eprintln!("sift: ../shared/data not found (set SIFT_SHARED_DATA)");
    }
    dir
}

fn load_semeval_all(data: &std::path::Path, with_ptc: bool) -> std::io::Result<Vec<LabelledDoc>> {
    let mut en = load_semeval23(&data.join("semeval23/en"), "en", &SEMEVAL23_TECHNIQUES)?;
    if with_ptc {
        let ptc = load_ptc(&data.join("ptc/train"), &PTC_TECHNIQUES)?;
        let added = augment_with_ptc(&mut en, &ptc, &PTC_TECHNIQUES, &SEMEVAL23_TECHNIQUES);
        eprintln!("added {added} PTC spans to the English SemEval-2023 articles");
    }
    let ru = load_semeval23(&data.join("semeval23/ru"), "ru", &SEMEVAL23_TECHNIQUES)?;
    en.extend(ru);
    Ok(en)
}

/// Fill the paragraphs' embeddings for the languages the model covers (English for
/// all-MiniLM-L6-v2, also Russian for multilingual-e5-small) and the sentences' of
/// the sentence gate's languages (cached under /tmp, see `EmbeddingCache::path_for`).
/// Returns the model's name and the gate's languages. Without the `embeddings`
/// feature: an error.
#[cfg(feature = "embeddings")]
fn add_embeddings(
    dir: &std::path::Path,
    docs: &mut [LabelledDoc],
) -> Result<(&'static str, &'static [&'static str]), String> {
    use sift::train::techniques::embed::Embedder;
    use sift_eval::techniques_embed::{embed_paragraphs, embed_sentences, EmbeddingCache};
    let started = Instant::now();
    let embedder = Embedder::load(dir).map_err(|e| e.to_string())?;
    let path = EmbeddingCache::path_for(&embedder);
    let mut cache = EmbeddingCache::open(Some(&path)).map_err(|e| e.to_string())?;
    let save =
        |cache: &mut EmbeddingCache| cache.save().map_err(|e| format!("{}: {e}", path.display()));
    // Russian first: the smaller corpus, and the one only e5 covers.
    for language in ["ru", "en"].into_iter().filter(|l| embedder.covers(l)) {
        let t = Instant::now();
        let n =
            embed_paragraphs(&embedder, &mut cache, docs, language).map_err(|e| e.to_string())?;
        save(&mut cache)?;
        eprintln!(
            "{language}: {n} paragraphs embedded in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    // The sentence gate's languages (see `Embedder::gate_languages`).
    for &language in embedder.gate_languages() {
        let t = Instant::now();
        let n =
            embed_sentences(&embedder, &mut cache, docs, language).map_err(|e| e.to_string())?;
        save(&mut cache)?;
        eprintln!(
            "{language}: {n} sentences embedded in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    eprintln!(
        "{} embeddings in {:.1} s (cache {})",
        embedder.model_name(),
        started.elapsed().as_secs_f64(),
        path.display()
    );
    Ok((embedder.model_name(), embedder.gate_languages()))
}

#[cfg(not(feature = "embeddings"))]
fn add_embeddings(
    _dir: &std::path::Path,
    _docs: &mut [LabelledDoc],
) -> Result<(&'static str, &'static [&'static str]), String> {
    Err("this sift was built without embeddings (cargo build --release -p sift-cli --features embeddings)".into())
}

pub fn train(cmd: Train) -> u8 {
    let Train::Techniques(args) = cmd;
    let Some(data) = data_dir() else {
        return exit::OUTPUT;
    };
    let started = Instant::now();
    let mut docs = match load_semeval_all(&data, !args.no_ptc) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("sift: cannot read the technique corpora: {e}");
            return exit::OUTPUT;
        }
    };
    let (mut embedding_model, mut gate_languages): (&str, &[&str]) = ("", &[]);
    if let Some(dir) = &args.embeddings {
        match add_embeddings(dir, &mut docs) {
            Ok((name, languages)) => (embedding_model, gate_languages) = (name, languages),
            Err(e) => {
                eprintln!("sift: {e}");
                return exit::USAGE;
            }
        }
    }
    let refs: Vec<&LabelledDoc> = docs.iter().collect();
    let options = args.sizes.options(args.seed);
    let provenance = format!(
        "sift train techniques --seed {} --tagger-bits {} --classifier-bits {} {}: SemEval-2023 subtask 3 en+ru train{} ({} articles)",
        args.seed,
        options.tagger_bits,
        options.classifier_bits,
        if args.no_ptc { "--no-ptc" } else { "" },
        if args.no_ptc { "" } else { " + PTC train" },
        docs.len()
    );
    let model = fit(&refs, &SEMEVAL23_TECHNIQUES, &options, &provenance);
    if let Some(head) = &model.paragraph_head {
        let heads = EmbeddingHeads {
            embedding_model: embedding_model.into(),
            paragraph: head.clone(),
            paragraph_rules: model
                .header
                .paragraph_rules
                .iter()
                .filter(|r| !r.embedding.is_empty())
                .cloned()
                .collect(),
            sentence: model.sentence_head.clone(),
            sentence_gate: model.header.sentence_gate,
            sentence_languages: gate_languages.iter().map(|l| l.to_string()).collect(),
            provenance: format!("{provenance} --embeddings"),
        };
        let written = serde_json::to_string(&heads)
            .map_err(std::io::Error::from)
            .and_then(|json| std::fs::write(&args.heads_out, json));
        if let Err(e) = written {
            eprintln!("sift: cannot write {}: {e}", args.heads_out.display());
            return exit::OUTPUT;
        }
        eprintln!("wrote {}", args.heads_out.display());
    }
    let written = File::create(&args.out)
        .map(BufWriter::new)
        .and_then(|f| model.write_to(f));
    if let Err(e) = written {
        eprintln!("sift: cannot write {}: {e}", args.out.display());
        return exit::OUTPUT;
    }
    let size = std::fs::metadata(&args.out).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "wrote {} ({:.1} MB): {} articles, thresholds span {} verifier {} word-level {} cue word {} paragraph {}, {:.1} s",
        args.out.display(),
        size as f64 / 1e6,
        docs.len(),
        model.header.span_threshold,
        model.header.verify_threshold,
        model.header.lexical_threshold,
        model.header.cue_threshold,
        model.header.paragraph_threshold,
        started.elapsed().as_secs_f64()
    );
    exit::OK
}

fn prf(p: &Prf) -> String {
    format!("{:.4} | {:.4} | {:.4}", p.precision, p.recall, p.f1)
}

fn per_label_table(title: &str, scores: &LabelScores) {
    println!("\n{title}\n\n| technique | support | P | R | F1 |\n|---|---:|---:|---:|---:|");
    let mut rows: Vec<_> = scores.per_label.iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1 .1));
    for (label, (p, support)) in rows {
        println!("| {label} | {support} | {} |", prf(p));
    }
}

fn print_scores(corpus: &str, lang: &str, s: &CvScores, paragraphs: bool) {
    println!(
        "\n## {corpus} ({lang}, {} articles; folds keep {} near-duplicate groups whole)\n",
        s.articles, s.groups
    );
    println!("| measure | P | R | F1 |\n|---|---:|---:|---:|");
    println!("| SI (span identification) | {} |", prf(&s.si));
    for (floor, kept, p) in &s.si_by_floor {
        println!(
            "| SI, spans with confidence ≥ {floor:.2} ({kept} of {}) | {} |",
            s.si_predicted,
            prf(p)
        );
    }
    println!(
        "| TC (technique of gold spans), micro | {} |",
        prf(&s.tc.micro)
    );
    if paragraphs {
        println!(
            "| subtask 3, `paragraph_techniques` of the report, micro | {} |",
            prf(&s.paragraphs.micro)
        );
    }
    println!(
        "\nthresholds per fold: span {:?}, verifier {:?}, (word-level, cue word) {:?}, paragraph {:?}",
        s.span_thresholds, s.verify_thresholds, s.lexical_cue_thresholds, s.paragraph_thresholds
    );
    println!(
        "span boundaries per fold (confidence floor, join gap in words, sentence-level techniques widened): {:?}",
        s.span_boundaries
    );
    if s.sentence_gates.iter().any(|&g| g > 0.0) {
        println!(
            "sentence gate per fold (embeddings mode): {:?}",
            s.sentence_gates
        );
    }
    per_label_table("TC per technique:", &s.tc);
    println!("\nSI recall per technique (share of its gold characters covered):\n");
    println!("| technique | gold spans | SI recall |\n|---|---:|---:|");
    let mut rows: Vec<_> = s.si_recall_by_technique.iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1 .1));
    for (t, (r, n)) in rows {
        println!("| {t} | {n} | {r:.4} |");
    }
    if paragraphs {
        per_label_table(
            "Subtask 3 per technique (`paragraph_techniques`):",
            &s.paragraphs,
        );
    }
}

pub fn eval(cmd: Eval) -> u8 {
    let Some(data) = data_dir() else {
        return exit::OUTPUT;
    };
    let started = Instant::now();
    let (args, corpus) = match &cmd {
        Eval::Ptc(a) => (a, "PTC"),
        Eval::Semeval23(a) => (a, "SemEval-2023"),
    };
    let (docs, labels): (std::io::Result<Vec<LabelledDoc>>, &[&str]) = match &cmd {
        Eval::Ptc(_) => (
            load_ptc(&data.join("ptc/train"), &PTC_TECHNIQUES),
            &PTC_TECHNIQUES,
        ),
        Eval::Semeval23(a) => (load_semeval_all(&data, a.with_ptc), &SEMEVAL23_TECHNIQUES),
    };
    let mut docs = match docs {
        Ok(d) => d,
        Err(e) => {
            eprintln!("sift: cannot read {corpus}: {e}");
            return exit::OUTPUT;
        }
    };
    let mut embedding_model = "";
    if let Some(dir) = &args.embeddings {
        match add_embeddings(dir, &mut docs) {
            Ok((name, _)) => embedding_model = name,
            Err(e) => {
                eprintln!("sift: {e}");
                return exit::USAGE;
            }
        }
    }
    if args.folds < 2 {
        eprintln!("sift: --folds must be at least 2");
        return exit::USAGE;
    }
    let options = args.sizes.options(args.seed);
    let grouped = !args.ungrouped;
    let results = cross_validate(&docs, labels, args.folds, &options, grouped, |f, secs| {
        eprintln!("fold {} done in {secs:.1} s", f + 1)
    });
    println!(
        "# {corpus}: {}-fold {} cross-validation, seed {}{}{}",
        args.folds,
        if grouped { "grouped" } else { "ungrouped" },
        args.seed,
        if args.with_ptc { ", with PTC" } else { "" },
        if args.embeddings.is_some() {
            format!(", embeddings mode ({embedding_model})")
        } else {
            String::new()
        }
    );
    if let Some(path) = &args.si_predictions {
        let lines: String = results
            .values()
            .flat_map(|s| &s.si_predictions)
            .map(|p| format!("{}\t{}\t{}\n", p.article, p.start, p.end))
            .collect();
        if let Err(e) = std::fs::write(path, lines) {
            eprintln!("sift: cannot write {}: {e}", path.display());
            return exit::OUTPUT;
        }
    }
    if let Some(path) = &args.si_details {
        let lines: String = results
            .values()
            .flat_map(|s| s.si_predictions.iter().zip(&s.si_prediction_labels))
            .map(|(p, (label, confidence))| {
                format!(
                    "{}\t{}\t{}\t{label}\t{confidence:.4}\n",
                    p.article, p.start, p.end
                )
            })
            .collect();
        if let Err(e) = std::fs::write(path, lines) {
            eprintln!("sift: cannot write {}: {e}", path.display());
            return exit::OUTPUT;
        }
    }
    for (lang, scores) in &results {
        print_scores(corpus, lang, scores, matches!(cmd, Eval::Semeval23(_)));
    }
    println!("\ntotal time {:.1} s", started.elapsed().as_secs_f64());
    exit::OK
}
