//! Command line: `serve | train | eval | score | rescore | export-decisions | gate`. Each subcommand's options live beside the code
//! that runs it; this file only wires them together.
//! Everything but `serve` needs the `training` feature (on by default).

use clap::{Parser, Subcommand};

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
    Serve(crate::config::ServeArgs),
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
}

pub fn run() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Serve(args) => {
            let config = crate::config::Config::resolve(args)?;
            crate::http::run(config)
        }
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
        Command::Rescore(args) => crate::learning::cli::rescore(args),
        #[cfg(feature = "training")]
        Command::ExportDecisions(args) => crate::learning::cli::export(args),
        #[cfg(feature = "training")]
        Command::Gate(args) => crate::learning::cli::gate(args),
    }
}
