//! `talkback train | eval | score`.

#[derive(Debug, clap::Args)]
pub struct TrainArgs {}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {}

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {}

pub fn train(_args: TrainArgs) -> anyhow::Result<()> {
    anyhow::bail!("train is not implemented yet")
}

pub fn eval(_args: EvalArgs) -> anyhow::Result<()> {
    anyhow::bail!("eval is not implemented yet")
}

pub fn score(_args: ScoreArgs) -> anyhow::Result<()> {
    anyhow::bail!("score is not implemented yet")
}
