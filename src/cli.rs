//! Command line: `serve | train | eval | score | rescore | export-decisions | gate`. Each subcommand's options live beside the code
//! that runs it; this file only wires them together.

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
    Train(crate::training::cli::TrainArgs),
    /// Evaluate a model on a labelled CSV: ROC AUC / PR AUC per label and per source.
    Eval(crate::training::cli::EvalArgs),
    /// Run a pretrained sentence encoder over labelled CSVs and cache the pooled vectors (the
    /// input of train-encoder).
    Embed(crate::training::encoder::EmbedArgs),
    /// Add a sentence stage to a trained model: heads on cached vectors, blended with the fast
    /// model on a held-out fold.
    TrainEncoder(crate::training::encoder::TrainEncoderArgs),
    /// Fine-tune a pretrained sentence encoder's top layers on labelled CSVs; writes the tuned
    /// encoder and the vectors of every row it read (inputs of train-encoder).
    TuneEncoder(crate::training::tune::TuneArgs),
    /// Score text with a model: one argument, or one comment per line on stdin.
    Score(crate::training::cli::ScoreArgs),
    /// Score undecided comments again (default: the held queue) with the configured model and
    /// thresholds; report how many would change status; store the changes only with --apply.
    Rescore(crate::learning::cli::RescoreArgs),
    /// Export moderator decisions (and suggested scores) as a labelled training CSV.
    ExportDecisions(crate::learning::cli::ExportArgs),
    /// Compare a retrained model with the current one on held-out rows, write the report, and
    /// refuse it (non-zero exit) when a label's ROC AUC drops beyond the tolerance.
    Gate(crate::learning::cli::GateArgs),
}

pub fn run() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Serve(args) => {
            let config = crate::config::Config::resolve(args)?;
            crate::http::run(config)
        }
        Command::Train(args) => crate::training::cli::train(args),
        Command::Eval(args) => crate::training::cli::eval(args),
        Command::Embed(args) => crate::training::encoder::embed(args),
        Command::TrainEncoder(args) => crate::training::encoder::train_encoder(args),
        Command::TuneEncoder(args) => crate::training::tune::tune_encoder(args),
        Command::Score(args) => crate::training::cli::score(args),
        Command::Rescore(args) => crate::learning::cli::rescore(args),
        Command::ExportDecisions(args) => crate::learning::cli::export(args),
        Command::Gate(args) => crate::learning::cli::gate(args),
    }
}
