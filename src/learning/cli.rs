//! `talkback rescore | export-decisions | gate`.

use super::{export, gate, rescore};
use crate::config::{Config, ServeArgs};
use crate::domain::CommentStatus;
use crate::model::Model;
use crate::storage::Store;
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;

/// Where the service's data and model live; same flags and environment as `talkback serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServiceArgs {
    /// Optional TOML file (as for `serve`).
    #[arg(long, env = "TALKBACK_CONFIG")]
    pub config: Option<PathBuf>,
    /// The service's database: a SQLite file or a `postgres://` URL, as for `serve`
    /// [default: ./data/talkback.db].
    #[arg(long, env = "TALKBACK_DATABASE")]
    pub database: Option<PathBuf>,
    /// Model version directory or models root (follows `current`) [default: ./models].
    #[arg(long, env = "TALKBACK_MODEL")]
    pub model: Option<PathBuf>,
    /// Hold bars, as for `serve` [default: incitement=0.3,abuse=0.7].
    #[arg(long, env = "TALKBACK_HOLD")]
    pub hold: Option<String>,
    /// Reject bars, as for `serve` [default: incitement=0.97,abuse=0.99].
    #[arg(long, env = "TALKBACK_REJECT")]
    pub reject: Option<String>,
}

impl ServiceArgs {
    fn resolve(&self) -> anyhow::Result<Config> {
        Ok(Config::resolve(ServeArgs {
            config: self.config.clone(),
            database: self.database.clone(),
            model: self.model.clone(),
            hold: self.hold.clone(),
            reject: self.reject.clone(),
            ..ServeArgs::default()
        })?)
    }
}

fn parse_status(raw: &str) -> Result<CommentStatus, String> {
    CommentStatus::parse(raw)
        .ok_or_else(|| format!("expected published, held or rejected, got {raw:?}"))
}

#[derive(Debug, clap::Args)]
pub struct RescoreArgs {
    /// Which undecided comments to score again.
    #[arg(long, default_value = "held", value_parser = parse_status)]
    pub status: CommentStatus,
    /// Store the new verdicts (status, scores, model version; audit actor `rescore`). Without
    /// it nothing changes.
    #[arg(long)]
    pub apply: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Output CSV (`-` = stdout).
    #[arg(long, default_value = "-")]
    pub out: PathBuf,
    /// Percent of rows held out as `split=test` (by a stable hash of the row id).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub test_percent: u8,
    /// Training weight of each exported training row (the `weight` column: a row counts as
    /// this many), so the newsroom's labels weigh more than the shared data's when trained
    /// together. Above 0, at most 1000.
    #[arg(long, default_value_t = 1.0, value_parser = parse_weight)]
    pub weight: f32,
    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, clap::Args)]
pub struct GateArgs {
    /// The model serving now (version directory or models root following `current`).
    #[arg(long, default_value = "models")]
    pub current: PathBuf,
    /// The retrained version directory; the report is written into it.
    #[arg(long)]
    pub candidate: PathBuf,
    /// Labelled CSVs; their `split=test` rows (all rows without a split column) are the
    /// held-out set both models are judged on. Repeatable.
    #[arg(long, required = true)]
    pub data: Vec<PathBuf>,
    /// Largest ROC AUC drop allowed on any label.
    #[arg(long, default_value_t = gate::DEFAULT_TOLERANCE)]
    pub tolerance: f64,
    /// Promote even when the gate refuses; the report records it.
    #[arg(long)]
    pub force: bool,
    /// Point `<candidate>/../current` at the candidate when it passes (or is forced).
    #[arg(long)]
    pub promote: bool,
    /// Hold bars used for the confusion matrices [default: the service's].
    #[arg(long, env = "TALKBACK_HOLD")]
    pub hold: Option<String>,
    /// No progress bars.
    #[arg(long)]
    pub quiet: bool,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

fn open_store(config: &Config) -> anyhow::Result<Store> {
    // A mistyped path must not create an empty database and report nothing to do.
    if let Some(path) = config.database.sqlite_path() {
        anyhow::ensure!(
            path.is_file(),
            "no database at {} (pass --database or TALKBACK_DATABASE)",
            path.display()
        );
    }
    let (store, _) = Store::connect(&config.database)
        .with_context(|| format!("opening database {}", config.database))?;
    Ok(store)
}

pub fn rescore(args: RescoreArgs) -> anyhow::Result<()> {
    let config = args.service.resolve()?;
    let model = config
        .load_model(&config.model)
        .with_context(|| format!("loading model from {}", config.model.display()))?;
    config.check_model(&model)?;
    let store = open_store(&config)?;
    let summary = runtime()?.block_on(rescore::run(
        &store,
        &model,
        &config.thresholds,
        args.status,
        args.apply,
    ));
    store.shutdown();
    let summary = summary?;
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
        return Ok(());
    }
    let changed: usize = summary.changes.values().sum();
    println!(
        "rescored {} undecided {} comment(s) with model {}: {} would change status, {} unchanged",
        summary.rescored, summary.status, summary.model_version, changed, summary.unchanged
    );
    for (change, n) in &summary.changes {
        println!("  {change}: {n}");
    }
    if summary.applied {
        println!(
            "applied: {} stored, {} skipped (decided or moved meanwhile)",
            summary.stored, summary.skipped
        );
    } else if changed > 0 {
        println!("nothing changed; run again with --apply to store the new verdicts");
    }
    Ok(())
}

fn parse_weight(v: &str) -> Result<f32, String> {
    crate::training::dataset::parse_weight(v).ok_or_else(|| {
        format!(
            "`{v}`: a weight is a number above 0 and at most {}",
            crate::training::dataset::MAX_WEIGHT
        )
    })
}

pub fn export(args: ExportArgs) -> anyhow::Result<()> {
    let config = args.service.resolve()?;
    let store = open_store(&config)?;
    let rt = runtime()?;
    let data = rt.block_on(async {
        let decided = store.decided_comments().await?;
        let suggested = store.suggested_labels().await?;
        anyhow::Ok((decided, suggested))
    });
    store.shutdown();
    let (decided, suggested) = data?;
    let (rows, counts) = export::rows(&decided, &suggested, args.test_percent);
    if args.out.as_os_str() == "-" {
        export::write_csv(&rows, args.weight, std::io::stdout().lock())?;
    } else {
        let file = std::fs::File::create(&args.out)
            .with_context(|| format!("creating {}", args.out.display()))?;
        let mut out = std::io::BufWriter::new(file);
        export::write_csv(&rows, args.weight, &mut out)?;
        out.flush()?;
    }
    eprintln!(
        "exported {} rows ({} held out as test): {} decisions ({} without a label), {} suggested texts",
        counts.rows,
        counts.test_rows,
        counts.decisions,
        counts.decisions_without_labels,
        counts.suggested_texts
    );
    Ok(())
}

pub fn gate(args: GateArgs) -> anyhow::Result<()> {
    let config = Config::resolve(ServeArgs {
        hold: args.hold.clone(),
        ..ServeArgs::default()
    })?;
    let load = |p: &PathBuf| Model::load(p).with_context(|| format!("loading {}", p.display()));
    let current = load(&args.current)?;
    let candidate = load(&args.candidate)?;
    let candidate_dir = crate::model::artefact::resolve_dir(&args.candidate)?;
    let report = gate::run(&gate::GateInput {
        current: &current,
        candidate: &candidate,
        data: &args.data,
        thresholds: &config.thresholds,
        tolerance: args.tolerance,
        force: args.force,
        out_dir: &candidate_dir,
        progress: !args.quiet,
    })?;
    for (label, m) in &report.candidate_metrics.labels {
        let old = report
            .current_metrics
            .labels
            .get(label)
            .and_then(|m| m.roc_auc);
        println!(
            "{label:<16} ROC AUC {} -> {}",
            old.map_or("-".into(), |v| format!("{v:.4}")),
            m.roc_auc.map_or("-".into(), |v| format!("{v:.4}"))
        );
    }
    println!("report: {}", candidate_dir.join("report.md").display());
    let reasons = report
        .regressions
        .iter()
        .map(|r| r.to_string())
        .collect::<Vec<_>>()
        .join("; ");
    if !report.passed() && !args.force {
        anyhow::bail!(
            "gate refused {} (tolerance {}): {reasons}",
            report.candidate,
            report.tolerance
        );
    }
    if report.forced {
        println!("gate refused ({reasons}) but --force given; recorded in the report");
    } else {
        println!(
            "gate passed: {} is not worse than {}",
            report.candidate, report.current
        );
    }
    if args.promote {
        gate::promote(&candidate_dir)?;
        println!("promoted: current -> {}", report.candidate);
    }
    Ok(())
}
