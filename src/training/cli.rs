//! `talkback train | eval | score`.

use super::dataset::{self, Row, Split};
use super::evaluate::{best_thresholds, evaluate, print_table, score_rows};
use super::mlp::MlpConfig;
use super::trainer::{self, TrainConfig};
use crate::domain::Thresholds;
use crate::model::artefact::{self, Manifest};
use crate::model::{FeatureSpec, Model};
use anyhow::Context;
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitArg {
    Train,
    Test,
    All,
}

#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// Labelled CSV: `text` plus label columns, optional `weight`; `split=train` rows train,
    /// `split=test` rows set thresholds and metrics (without a split column every row of that
    /// file trains). Repeatable: the files' rows are trained on together.
    #[arg(long, default_value = "../shared/data/comments.csv")]
    pub data: Vec<PathBuf>,
    /// Output version directory, e.g. models/2026-11-25-a (its name becomes the version).
    #[arg(long)]
    pub out: PathBuf,
    /// Also point `<out>/../current` at the new version.
    #[arg(long)]
    pub set_current: bool,
    /// Inverse L2 regularisation strength (scikit-learn's C) for heads without their own
    /// setting; the default recipe gives abuse c=1,nb=0.5 (override with --head).
    #[arg(long, default_value_t = TrainConfig::default().c)]
    pub c: f64,
    /// Maximum L-BFGS iterations per head.
    #[arg(long, default_value_t = TrainConfig::default().max_iter)]
    pub max_iter: usize,
    /// Source weighting exponent: 1 = pooled as sampled, 0 = every source equal.
    #[arg(long, default_value_t = TrainConfig::default().source_balance)]
    pub source_balance: f64,
    /// Within-source class balancing: 0 = as sampled, 1 = positives and negatives equal.
    #[arg(long, default_value_t = TrainConfig::default().class_balance)]
    pub class_balance: f64,
    /// Stop a head when its objective improves by less than this fraction over 5 iterations.
    #[arg(long, default_value_t = TrainConfig::default().tol)]
    pub tol: f64,
    /// Per-label settings, e.g. `--head abuse:nb=0.5,c=2` (keys: loss = log | squared_hinge,
    /// c, nb, source_balance, class_balance); repeatable.
    #[arg(long = "head", value_name = "LABEL:KEY=VALUE,...")]
    pub heads: Vec<String>,
    /// Train only these labels (comma-separated); for experiments.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<crate::domain::Label>,
    /// Drop hash buckets seen in fewer training comments than this.
    #[arg(long, default_value_t = TrainConfig::default().min_df)]
    pub min_df: u32,
    /// 1 = one intercept per source while training (see README); 0 = one shared intercept.
    #[arg(long, default_value_t = TrainConfig::default().source_bias)]
    pub source_bias: f64,
    /// Naive-Bayes feature scaling strength (0 = plain logistic regression).
    #[arg(long, default_value_t = TrainConfig::default().nb)]
    pub nb: f64,
    /// Longest word n-gram (1-3).
    #[arg(long, default_value_t = FeatureSpec::default().word_ngrams[1])]
    pub word_ngrams: u32,
    /// Weight of the word block relative to the character block.
    #[arg(long, default_value_t = FeatureSpec::default().word_weight)]
    pub word_weight: f32,
    /// Leave out the built-in sentences: identity counter-examples and calls for violence (see
    /// src/training/augment/).
    #[arg(long, alias = "no-identity-templates")]
    pub no_templates: bool,
    /// Weight of each built-in sentence relative to a data row.
    #[arg(long, default_value_t = TrainConfig::default().template_weight)]
    pub template_weight: f64,
    /// Add light word stems as features.
    #[arg(long)]
    pub stems: bool,
    /// Hash space size as a power of two.
    #[arg(long, default_value_t = FeatureSpec::default().buckets_log2)]
    pub buckets_log2: u32,
    /// No progress bars.
    #[arg(long)]
    pub quiet: bool,
    /// Label sharing weight: rows unlabelled for abuse / incitement whose finer labels imply a
    /// positive join that head with this weight (0 = off).
    #[arg(long, default_value_t = TrainConfig::default().share_weight)]
    pub share_weight: f64,
    /// Folds for the second stage's out-of-fold training data (0 = no second stage).
    #[arg(long, default_value_t = TrainConfig::default().stack_folds)]
    pub stack_folds: usize,
    /// Inverse L2 regularisation strength of the second stage.
    #[arg(long, default_value_t = TrainConfig::default().stack_c)]
    pub stack_c: f64,
    /// Hidden units of the network branch (0 = none; see src/model/mlp.rs).
    #[arg(long, default_value_t = MlpConfig::default().hidden)]
    pub net_hidden: usize,
    /// Training epochs of the network branch.
    #[arg(long, default_value_t = MlpConfig::default().epochs)]
    pub net_epochs: usize,
    /// The network's input table has 2^bits rows (feature buckets are folded into it).
    #[arg(long, default_value_t = MlpConfig::default().bits)]
    pub net_bits: u32,
    /// Initial SGD step of the network branch.
    #[arg(long, default_value_t = MlpConfig::default().lr)]
    pub net_lr: f32,
    /// Share of the network's hidden units dropped per training row.
    #[arg(long, default_value_t = MlpConfig::default().dropout)]
    pub net_dropout: f32,
    /// Seed of the network's initial weights and row order.
    #[arg(long, default_value_t = MlpConfig::default().seed)]
    pub net_seed: u64,
    /// Pretrained word vectors for the network: a GloVe-format text file
    /// (scripts/fetch_vectors.sh) or a model whose vectors to reuse (e.g. `models`).
    #[arg(long, value_name = "FILE|MODEL")]
    pub vectors: Option<PathBuf>,
    /// Step of the network's word-vector weights relative to --net-lr.
    #[arg(long, default_value_t = MlpConfig::default().dense_lr)]
    pub net_dense_lr: f32,
    /// Networks trained from seeds --net-seed, +2, +4, ... and averaged (shipped as one
    /// network of --net-hidden x N units).
    #[arg(long, default_value_t = MlpConfig::default().nets)]
    pub nets: usize,
    /// Experiments: leave out training rows in fold K of N (`K/N`, by a hash of the id), for
    /// out-of-fold predictions and validation slices.
    #[arg(long, hide = true)]
    pub exclude_fold: Option<String>,
    /// Experiments: leave out every row of this source, to measure the model on a source it
    /// has never seen.
    #[arg(long, hide = true)]
    pub exclude_source: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Model version directory or models root (follows `current`).
    #[arg(long, default_value = "models")]
    pub model: PathBuf,
    /// Labelled CSV (`text` plus any label columns; `source`, `split` optional).
    #[arg(long, default_value = "../shared/data/comments.csv")]
    pub data: PathBuf,
    /// Which rows to evaluate.
    #[arg(long, value_enum, default_value = "test")]
    pub split: SplitArg,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also measure explanation quality: token F1 of highlighted spans against the majority
    /// of annotators' spans in this file (civil_spans.csv format), on the evaluated rows.
    #[arg(long)]
    pub spans: Option<PathBuf>,
    /// With --spans: override the most spans per label (tuning).
    #[arg(long)]
    pub span_max: Option<usize>,
    /// With --spans: override the minimum share of the top token's contribution (tuning).
    #[arg(long)]
    pub span_min_relative: Option<f32>,
    /// With --spans: override the weight of the insult head's evidence in abuse's spans
    /// (tuning).
    #[arg(long)]
    pub span_insult_weight: Option<f32>,
    /// No progress bars.
    #[arg(long)]
    pub quiet: bool,
    /// Experiments: also write every evaluated row's scores (id, source, split, fold of 5,
    /// one probability per label) as CSV to this file.
    #[arg(long, hide = true)]
    pub dump: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// Model version directory or models root (follows `current`).
    #[arg(long, default_value = "models")]
    pub model: PathBuf,
    /// Text to score. Without it, reads one comment per line from stdin and prints one JSON
    /// object per line.
    pub text: Option<String>,
    #[command(flatten)]
    pub bars: BarArgs,
}

/// The bars a command decides by, set as for `talkback serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct BarArgs {
    /// The service's TOML configuration file: its hold and reject bars decide.
    #[arg(long, env = "TALKBACK_CONFIG")]
    pub config: Option<PathBuf>,
    /// Hold bars as `label=bar,...`, as `talkback serve --hold`
    /// [default: the model's fitted bars, else incitement=0.3,abuse=0.7].
    #[arg(long, env = "TALKBACK_HOLD")]
    pub hold: Option<String>,
    /// Reject bars as `label=bar,...` or `off`, as `talkback serve --reject`
    /// [default: the model's fitted bars, else incitement=0.97,abuse=0.99].
    #[arg(long, env = "TALKBACK_REJECT")]
    pub reject: Option<String>,
}

impl TrainArgs {
    /// The rows to train on (the training split of every file, less an excluded fold or
    /// source, plus the built-in sentences) and the test rows.
    fn rows<'a>(
        &self,
        files: &'a [dataset::Dataset],
        templates: &'a [Row],
    ) -> anyhow::Result<(Vec<&'a Row>, Vec<&'a Row>)> {
        let fold = match &self.exclude_fold {
            Some(f) => {
                Some(dataset::parse_fold(f).context("--exclude-fold must be K/N with K < N")?)
            }
            None => None,
        };
        let train_rows: Vec<&Row> = files
            .iter()
            .flat_map(|ds| {
                ds.rows
                    .iter()
                    .filter(|r| !ds.has_split || r.split == Some(Split::Train))
            })
            .filter(|r| fold.is_none_or(|(k, n)| dataset::fold_of(&r.id, n) != k))
            .filter(|r| self.exclude_source.as_ref() != Some(&r.source))
            .chain(templates.iter())
            .collect();
        let test_rows: Vec<&Row> = files
            .iter()
            .flat_map(|ds| ds.rows.iter())
            .filter(|r| r.split == Some(Split::Test))
            .collect();
        Ok((train_rows, test_rows))
    }

    /// The version the model will carry: the last component of `--out`.
    fn version(&self) -> anyhow::Result<String> {
        Ok(self
            .out
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.is_empty())
            .context("--out must end in a version directory name")?
            .to_string())
    }

    fn features(&self) -> anyhow::Result<FeatureSpec> {
        let spec = FeatureSpec {
            buckets_log2: self.buckets_log2,
            word_ngrams: [1, self.word_ngrams],
            word_weight: self.word_weight,
            stems: self.stems,
            ..FeatureSpec::default()
        };
        spec.check_supported().map_err(anyhow::Error::msg)?;
        Ok(spec)
    }

    fn config(&self, vectors: Option<&super::vectors::Loaded>) -> anyhow::Result<TrainConfig> {
        anyhow::ensure!(
            self.net_hidden * self.nets <= crate::model::mlp::MAX_HIDDEN
                && self.nets >= 1
                && (1..=crate::model::mlp::MAX_BITS).contains(&self.net_bits),
            "--net-hidden x --nets must be at most {}, --nets at least 1 and --net-bits 1 to {}",
            crate::model::mlp::MAX_HIDDEN,
            crate::model::mlp::MAX_BITS
        );
        let mut cfg = TrainConfig {
            c: self.c,
            max_iter: self.max_iter,
            source_balance: self.source_balance,
            class_balance: self.class_balance,
            nb: self.nb,
            source_bias: self.source_bias,
            min_df: self.min_df,
            template_weight: self.template_weight,
            tol: self.tol,
            share_weight: self.share_weight,
            stack_folds: self.stack_folds,
            stack_c: self.stack_c,
            net: (self.net_hidden > 0).then_some(MlpConfig {
                hidden: self.net_hidden,
                epochs: self.net_epochs,
                bits: self.net_bits,
                lr: self.net_lr,
                dropout: self.net_dropout,
                seed: self.net_seed,
                dense_lr: self.net_dense_lr,
                nets: self.nets,
            }),
            vectors: vectors.map(|v| v.vectors.clone()),
            only: self.only.clone(),
            ..TrainConfig::default()
        };
        for h in &self.heads {
            cfg.set_head(h).map_err(|e| anyhow::anyhow!("--head {e}"))?;
        }
        Ok(cfg)
    }
}

pub fn train(args: TrainArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let files = args
        .data
        .iter()
        .map(|p| dataset::read_csv(p))
        .collect::<Result<Vec<_>, _>>()?;
    let version = args.version()?;
    let templates = if args.no_templates {
        Vec::new()
    } else {
        super::augment::templates()
    };
    let (train_rows, test_rows) = args.rows(&files, &templates)?;
    anyhow::ensure!(
        !train_rows.is_empty(),
        "{}: no training rows",
        args.data
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let spec = args.features()?;
    let vectors = args
        .vectors
        .as_deref()
        .map(super::vectors::load)
        .transpose()?;
    let cfg = args.config(vectors.as_ref())?;
    let progress = !args.quiet;
    eprintln!(
        "training on {} rows ({} test rows held out)",
        train_rows.len(),
        test_rows.len()
    );
    let trained = trainer::train(&train_rows, &spec, &cfg, progress);
    anyhow::ensure!(
        !trained.labels.is_empty(),
        "no label has both positive and negative training rows"
    );
    let mut manifest = Manifest {
        created: time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        training: training_record(
            &args,
            train_rows.len(),
            templates.len(),
            &cfg,
            vectors.as_ref(),
            &trained,
            started,
        ),
        ..Manifest::unsaved(version, &trained.labels, &spec)
    };
    let bytes = artefact::encode(&spec, &trained.labels, &trained.weights);
    let model = Model::from_parts(manifest.clone(), trained.weights);
    if !test_rows.is_empty() {
        measure_on_test(&model, &test_rows, &mut manifest, progress);
    }
    save(&args, &model, &mut manifest, &bytes)?;
    eprintln!(
        "wrote {} ({} labels, {:.1} MB) in {:.1}s{}",
        args.out.display(),
        manifest.labels.len(),
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        if args.set_current {
            ", now current"
        } else {
            ""
        }
    );
    Ok(())
}

/// What the manifest records of how a model was trained.
fn training_record(
    args: &TrainArgs,
    train_rows: usize,
    templates: usize,
    cfg: &TrainConfig,
    vectors: Option<&super::vectors::Loaded>,
    trained: &trainer::Trained,
    started: std::time::Instant,
) -> serde_json::Value {
    serde_json::json!({
        "data": args.data,
        "train_rows": train_rows,
        "templates": templates,
        "config": cfg,
        "vectors": vectors.map(|v| serde_json::json!({
            "from": v.origin,
            "words": v.vectors.len(),
            "dims": v.vectors.dims,
        })),
        "heads": trained.heads,
        "network": trained.net,
        "stack": trained.stack,
        "seconds": started.elapsed().as_secs_f64(),
    })
}

/// The suggested thresholds, fitted on the test rows, and the metrics there, into `manifest`;
/// prints the metrics.
fn measure_on_test(model: &Model, test_rows: &[&Row], manifest: &mut Manifest, progress: bool) {
    let scores = score_rows(model, test_rows, progress);
    manifest.thresholds = best_thresholds(model, test_rows, &scores);
    let report = evaluate(model, test_rows, &scores, &manifest.thresholds);
    print_table(&report);
    manifest.metrics = serde_json::json!({ "split": "test", "report": report });
}

/// Writes the model and proves the written artefact loads before anyone points `current` at
/// it.
fn save(
    args: &TrainArgs,
    model: &Model,
    manifest: &mut Manifest,
    bytes: &[u8],
) -> anyhow::Result<()> {
    artefact::write(&args.out, manifest, bytes)
        .with_context(|| format!("writing model to {}", args.out.display()))?;
    let reloaded = Model::load(&args.out)?;
    anyhow::ensure!(
        reloaded.labels() == model.labels(),
        "reloaded model differs"
    );
    if args.set_current {
        artefact::set_current(&args.out).context("writing models/current")?;
    }
    Ok(())
}

pub fn eval(args: EvalArgs) -> anyhow::Result<()> {
    let mut model = Model::load(&args.model)?;
    model.set_explain(args.explain_settings());
    let ds = dataset::read_csv(&args.data)?;
    let rows = args.rows(&ds)?;
    anyhow::ensure!(!rows.is_empty(), "no rows selected for evaluation");
    let scores = score_rows(&model, &rows, !args.quiet && !args.json);
    if let Some(path) = &args.dump {
        dump_scores(path, &rows, &scores)?;
    }
    let report = evaluate(&model, &rows, &scores, model.suggested_thresholds());
    let spans = match &args.spans {
        Some(path) => Some(super::spans::span_f1(&model, &rows, path)?),
        None => None,
    };
    if args.json {
        let mut v = serde_json::to_value(&report)?;
        if let (Some(s), Some(obj)) = (&spans, v.as_object_mut()) {
            obj.insert("spans".into(), serde_json::to_value(s)?);
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "model {} on {} ({} rows)",
            model.version(),
            args.data.display(),
            rows.len()
        );
        print_table(&report);
        if let Some(s) = spans {
            println!(
                "explanation token F1 vs majority spans: {:.4} (precision {:.4}, recall {:.4}, {} comments)",
                s.f1, s.precision, s.recall, s.comments
            );
        }
    }
    Ok(())
}

impl EvalArgs {
    /// The model's explanation settings with the `--span-*` overrides.
    fn explain_settings(&self) -> crate::model::ExplainSettings {
        let mut ex = crate::model::ExplainSettings::default();
        if let Some(v) = self.span_max {
            ex.max_spans = v;
        }
        if let Some(v) = self.span_min_relative {
            ex.min_relative = v;
        }
        if let Some(v) = self.span_insult_weight {
            ex.insult_in_abuse = v;
        }
        ex
    }

    /// The rows of `ds` that `--split` selects.
    fn rows<'a>(&self, ds: &'a dataset::Dataset) -> anyhow::Result<Vec<&'a Row>> {
        Ok(match self.split {
            SplitArg::All => ds.rows.iter().collect(),
            split => {
                anyhow::ensure!(
                    ds.has_split,
                    "{} has no `split` column; use --split all",
                    self.data.display()
                );
                let want = if split == SplitArg::Test {
                    Split::Test
                } else {
                    Split::Train
                };
                ds.rows.iter().filter(|r| r.split == Some(want)).collect()
            }
        })
    }
}

/// Every row's scores as CSV (`eval --dump`): id, source, split, fold of 5, one probability per
/// label.
fn dump_scores(
    path: &std::path::Path,
    rows: &[&Row],
    scores: &[crate::domain::Scores],
) -> anyhow::Result<()> {
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
    );
    write!(f, "id,source,split,fold5")?;
    for l in crate::domain::Label::ALL {
        write!(f, ",{}", l.as_str())?;
    }
    writeln!(f)?;
    for (r, sc) in rows.iter().zip(scores) {
        let split = match r.split {
            Some(Split::Train) => "train",
            Some(Split::Test) => "test",
            None => "",
        };
        write!(
            f,
            "{},{},{split},{}",
            r.id,
            r.source,
            dataset::fold_of(&r.id, 5)
        )?;
        for l in crate::domain::Label::ALL {
            match sc.get(l) {
                Some(p) => write!(f, ",{p:.7e}")?,
                None => write!(f, ",")?,
            }
        }
        writeln!(f)?;
    }
    Ok(())
}

fn scored_json(model: &Model, bars: &Thresholds, text: &str) -> serde_json::Value {
    let scored = model.score(text);
    let mut reasons = serde_json::Map::new();
    for &l in model.labels() {
        reasons.insert(
            l.as_str().into(),
            serde_json::to_value(&scored.explanations[l.index()]).unwrap_or_default(),
        );
    }
    let verdict = bars.decide(&scored.scores);
    serde_json::json!({
        "text": text,
        "scores": scored.scores,
        "explanations": reasons,
        "decision": { "status": verdict.status, "triggered": verdict.triggered },
    })
}

/// The bars `model` is decided by, resolved as the service resolves them (flag, environment,
/// file, the model's own, default), so a decision shown is the one `talkback serve` with the
/// same settings would take.
pub fn service_bars(model: &Model, bars: BarArgs) -> anyhow::Result<Thresholds> {
    Ok(crate::config::Config::resolve(crate::config::ServeArgs {
        config: bars.config,
        hold: bars.hold,
        reject: bars.reject,
        ..Default::default()
    })?
    .bars
    .for_model(model))
}

pub fn score(args: ScoreArgs) -> anyhow::Result<()> {
    let model = Model::load(&args.model)?;
    let bars = service_bars(&model, args.bars)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.text {
        Some(text) => {
            let scored = model.score(&text);
            let thresholds = model.suggested_thresholds();
            writeln!(out, "model {}", model.version())?;
            for &l in model.labels() {
                let Some(s) = scored.scores.get(l) else {
                    continue;
                };
                let flag = match thresholds.get(&l) {
                    Some(&t) if s >= t => "  FLAG",
                    _ => "",
                };
                writeln!(out, "{:<16} {s:.4}{flag}", l.as_str())?;
                let spans = &scored.explanations[l.index()];
                if !spans.is_empty() && s >= 0.5 {
                    let reasons: Vec<String> = spans
                        .iter()
                        .map(|sp| {
                            format!(
                                "[{}] ({}..{}, +{:.2})",
                                sp.text, sp.start, sp.end, sp.weight
                            )
                        })
                        .collect();
                    writeln!(out, "{:<16}   because: {}", "", reasons.join(", "))?;
                }
            }
            writeln!(out, "{}", highlight(&text, &scored, &model))?;
            let verdict = bars.decide(&scored.scores);
            let why: Vec<&str> = verdict.triggered.iter().map(|l| l.as_str()).collect();
            let why = if why.is_empty() {
                String::new()
            } else {
                format!(" ({})", why.join(", "))
            };
            writeln!(out, "decision: {}{why}", verdict.status.as_str())?;
        }
        None => {
            for line in std::io::stdin().lock().lines() {
                let line = line.context("reading stdin")?;
                writeln!(out, "{}", scored_json(&model, &bars, &line))?;
            }
        }
    }
    Ok(())
}

/// The text with every span of a label scoring >= 0.5 wrapped in `[[...]]`.
fn highlight(text: &str, scored: &crate::model::Scored, model: &Model) -> String {
    let n = text.chars().count();
    let mut marked = vec![false; n];
    for &l in model.labels() {
        if scored.scores.get(l).unwrap_or(0.0) < 0.5 {
            continue;
        }
        for sp in &scored.explanations[l.index()] {
            for m in marked.iter_mut().take(sp.end.min(n)).skip(sp.start) {
                *m = true;
            }
        }
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut inside = false;
    for (i, c) in text.chars().enumerate() {
        if marked[i] != inside {
            out.push_str(if marked[i] { "[[" } else { "]]" });
            inside = marked[i];
        }
        out.push(c);
    }
    if inside {
        out.push_str("]]");
    }
    out
}
