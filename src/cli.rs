//! Command line: `serve | migrate-store | train | eval | embed | train-encoder | tune-encoder |
//! score | check-lists | rescore | export-decisions | gate | retrain`. Each subcommand's options
//! live beside the code that runs it; this file only wires them together.
//! Everything but `serve` needs the `training` feature (on by default).

use crate::storage::Location;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "talkback",
    version,
    about = "Self-hosted comment moderation: score, decide, review, learn."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service (comments, moderation, Perspective-compatible API).
    // Boxed: its many settings dwarf the other variants' (clippy's large_enum_variant).
    Serve(Box<crate::config::ServeArgs>),
    /// Copy every comment, decision, report, audit entry and training row from one database
    /// into another (e.g. SQLite to PostgreSQL), ids kept, in one transaction, counts verified.
    MigrateStore(MigrateStoreArgs),
    /// Train a new model version from a labelled CSV.
    #[cfg(feature = "training")]
    Train(crate::training::cli::TrainArgs),
    /// Evaluate a model on a labelled CSV: ROC AUC / PR AUC per label and per source.
    #[cfg(feature = "training")]
    Eval(crate::training::cli::EvalArgs),
    /// Run a pretrained sentence encoder over labelled CSVs and cache the pooled vectors (the
    /// input of train-encoder).
    #[cfg(feature = "training")]
    Embed(crate::training::encoder::EmbedArgs),
    /// Add a sentence stage to a trained model: heads on cached vectors, blended with the fast
    /// model on a held-out fold.
    #[cfg(feature = "training")]
    TrainEncoder(crate::training::encoder::TrainEncoderArgs),
    /// Fine-tune a pretrained sentence encoder's top layers on labelled CSVs; writes the tuned
    /// encoder and the vectors of every row it read (inputs of train-encoder).
    #[cfg(feature = "training")]
    TuneEncoder(crate::training::tune::TuneArgs),
    /// Score text with a model: one argument, or one comment per line on stdin.
    #[cfg(feature = "training")]
    Score(crate::training::cli::ScoreArgs),
    /// Score the held-out check lists (tests/checks/) at the service's bars: ROC AUC per pair,
    /// comments held per list; fails naming each floor or ceiling missed.
    #[cfg(feature = "training")]
    CheckLists(crate::training::checks::CheckListsArgs),
    /// Score undecided comments again (default: the held queue) with the configured model and
    /// thresholds; report how many would change status; store the changes only with --apply.
    #[cfg(feature = "training")]
    Rescore(crate::learning::cli::RescoreArgs),
    /// Export moderator decisions (and suggested scores) as a labelled training CSV.
    #[cfg(feature = "training")]
    ExportDecisions(crate::learning::cli::ExportArgs),
    /// Compare a retrained model with the current one on held-out rows, write the report, and
    /// refuse it (non-zero exit) when a label's ROC AUC drops beyond the tolerance.
    #[cfg(feature = "training")]
    Gate(crate::learning::cli::GateArgs),
    /// The learning loop: export decisions, train a new version with them and the shared data,
    /// gate it against the current model, promote it, optionally tell the service to reload.
    #[cfg(feature = "training")]
    Retrain(crate::learning::retrain::RetrainArgs),
}

#[derive(Debug, clap::Args)]
struct MigrateStoreArgs {
    /// The database to copy: a SQLite file (a path or `sqlite://PATH`) or a `postgres://` URL.
    /// Stop the service on it first: what it stores during the copy is not copied.
    #[arg(long)]
    from: PathBuf,
    /// The database to copy into, in the same forms; created or migrated to this version's
    /// schema first.
    #[arg(long)]
    to: PathBuf,
    /// Add the copy to a target that already has rows (refused otherwise). Ids are kept, so
    /// a row whose id the target already has fails the whole copy.
    #[arg(long)]
    into_non_empty: bool,
}

pub fn run() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Serve(args) => {
            let config = crate::config::Config::resolve(*args)?;
            limit_encoder_threads(config.encoder_threads);
            crate::http::run(config)
        }
        Command::MigrateStore(args) => migrate_store(args),
        #[cfg(feature = "training")]
        Command::Train(args) => crate::training::cli::train(args),
        #[cfg(feature = "training")]
        Command::Eval(args) => crate::training::cli::eval(args),
        #[cfg(feature = "training")]
        Command::Embed(args) => crate::training::encoder::embed(args),
        #[cfg(feature = "training")]
        Command::TrainEncoder(args) => crate::training::encoder::train_encoder(args),
        #[cfg(feature = "training")]
        Command::TuneEncoder(args) => crate::training::tune::tune_encoder(args),
        #[cfg(feature = "training")]
        Command::Score(args) => crate::training::cli::score(args),
        #[cfg(feature = "training")]
        Command::CheckLists(args) => crate::training::checks::check_lists(args),
        #[cfg(feature = "training")]
        Command::Rescore(args) => crate::learning::cli::rescore(args),
        #[cfg(feature = "training")]
        Command::ExportDecisions(args) => crate::learning::cli::export(args),
        #[cfg(feature = "training")]
        Command::Gate(args) => crate::learning::cli::gate(args),
        #[cfg(feature = "training")]
        Command::Retrain(args) => crate::learning::retrain::retrain(args),
    }
}

fn migrate_store(args: MigrateStoreArgs) -> anyhow::Result<()> {
    let (from, to) = (Location::parse(&args.from), Location::parse(&args.to));
    eprintln!("copying {from} into {to}");
    let done = crate::storage::migrate_store(&from, &to, args.into_non_empty, |t| {
        eprintln!("  {}: {} rows copied", t.table, t.copied);
    })?;
    if !done.applied.is_empty() {
        println!("target migrations applied: {}", done.applied.join(", "));
    }
    println!(
        "{:<24}{:>12}{:>12}{:>12}",
        "table", "source", "copied", "target"
    );
    for t in &done.tables {
        println!(
            "{:<24}{:>12}{:>12}{:>12}",
            t.table, t.source_rows, t.copied, t.target_rows
        );
    }
    println!("committed: every table's count matches");
    Ok(())
}

/// candle sizes its thread pools from these variables when it first runs a pass.
fn limit_encoder_threads(threads: usize) {
    let threads = threads.to_string();
    // SAFETY: called on the main thread before the HTTP runtime, the scorer or anything else
    // has started a thread, so no other thread can be reading the environment.
    unsafe {
        std::env::set_var("RAYON_NUM_THREADS", &threads);
        std::env::set_var("CANDLE_NUM_THREADS", &threads);
    }
}
