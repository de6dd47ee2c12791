//! `talkback retrain`: the learning loop in one command. Export the moderators' decisions,
//! train `models/<date>-<letter>` on them together with the shared data (and, when the current
//! model has a sentence stage, retrain its heads and blend on the same rows with the current
//! encoder), judge old and new on the same held-out rows, promote when the gate passes, and
//! optionally ask the running service to reload.
//!
//! Each step is the subcommand of the same name, parsed from the arguments a person would type,
//! so flags and environment variables mean the same here as there.

use super::cli::{ExportArgs, GateArgs};
use crate::model::Model;
use crate::model::encoder::EncoderInput;
use crate::training::cli::TrainArgs;
use crate::training::encoder::{EmbedArgs, TrainEncoderArgs};
use anyhow::Context;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct RetrainArgs {
    /// Promote even if the gate refuses (the report records it).
    #[arg(long)]
    pub force: bool,
    /// Train the fast model only, without the current model's sentence stage.
    #[arg(long)]
    pub fast_only: bool,
    /// Each newsroom training row counts as this many rows (above 0, at most 1000).
    #[arg(long, default_value = "3")]
    pub newsroom_weight: String,
    /// The service's database: a SQLite file or a `postgres://` URL.
    #[arg(long, env = "TALKBACK_DATABASE", default_value = "data/talkback.db")]
    pub database: PathBuf,
    /// Shared labelled data trained on beside the newsroom's decisions (skipped if absent).
    #[arg(long, default_value = "../shared/data/comments.csv")]
    pub shared: PathBuf,
    /// Models root holding `current`; the new version is written beside it.
    #[arg(long, default_value = "models")]
    pub models: PathBuf,
    /// Largest ROC AUC drop allowed on any label.
    #[arg(long, default_value_t = super::gate::DEFAULT_TOLERANCE)]
    pub tolerance: f64,
    /// Percent of newsroom rows held out for evaluation.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub test_percent: u8,
    /// Check lists the sentence stage's bars must respect (used when the directory exists).
    #[arg(long, default_value = "tests/checks")]
    pub checks: PathBuf,
    /// After promotion, `POST <URL>/v1/admin/model/reload` with `TALKBACK_ADMIN_TOKEN` (or send
    /// the service SIGHUP yourself).
    #[arg(long, value_name = "URL")]
    pub reload: Option<String>,
    /// Further `talkback train` flags, after `--`.
    #[arg(last = true)]
    pub train_flags: Vec<OsString>,
}

/// Parses `args` as subcommand `name` would, environment included.
fn parse<A: clap::Args>(name: &str, args: Vec<OsString>) -> anyhow::Result<A> {
    #[derive(clap::Parser)]
    struct Step<A: clap::Args> {
        #[command(flatten)]
        args: A,
    }
    let argv = std::iter::once(OsString::from(name)).chain(args);
    Ok(<Step<A> as clap::Parser>::try_parse_from(argv)
        .with_context(|| format!("arguments for `talkback {name}`"))?
        .args)
}

/// `["--data", a, "--data", b]`.
fn data_flags(files: &[PathBuf]) -> Vec<OsString> {
    files
        .iter()
        .flat_map(|f| [OsString::from("--data"), f.clone().into_os_string()])
        .collect()
}

fn os(parts: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    parts.iter().map(|p| p.as_ref().to_os_string()).collect()
}

/// The first free letter after the last one used today, so versions sort in training order.
pub fn next_version(models: &Path, day: &str) -> anyhow::Result<String> {
    let mut free = None;
    for letter in 'a'..='z' {
        let name = format!("{day}-{letter}");
        if models.join(&name).exists() {
            free = None;
        } else if free.is_none() {
            free = Some(name);
        }
    }
    free.with_context(|| format!("no free version name for {day} in {}", models.display()))
}

fn today() -> anyhow::Result<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Ok(time::OffsetDateTime::now_utc().date().format(&format)?)
}

/// Where sentence vectors are kept between retrains, per encoder.
fn vector_cache(encoder_sha256: &str) -> PathBuf {
    let root = std::env::var_os("TALKBACK_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/talkback")))
        .unwrap_or_else(|| std::env::temp_dir().join("talkback-cache"));
    let short = encoder_sha256.get(..16).unwrap_or(encoder_sha256);
    root.join(format!("embeddings-{short}.safetensors"))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

pub fn retrain(args: RetrainArgs) -> anyhow::Result<()> {
    let work = tempfile::tempdir().context("creating a working directory")?;
    let data = export(&args, work.path())?;
    let version = next_version(&args.models, &today()?)?;
    let candidate = args.models.join(&version);
    let current = Model::load(&args.models)
        .with_context(|| format!("loading the current model of {}", args.models.display()))?;
    // The current model's word vectors (if it has any) are reused: retraining needs no download.
    let mut train_flags = data_flags(&data);
    if current
        .manifest()
        .training
        .get("vectors")
        .is_some_and(|v| v.is_object())
    {
        train_flags.extend(os(&[&"--vectors", &args.models]));
    }
    train_flags.extend(args.train_flags.iter().cloned());
    let train = |out: &Path, extra: &[&str]| -> anyhow::Result<()> {
        let mut flags = os(&[&"--quiet", &"--out", &out]);
        flags.extend(extra.iter().map(OsString::from));
        flags.extend(train_flags.iter().cloned());
        crate::training::cli::train(parse::<TrainArgs>("train", flags)?)
    };
    println!("== 2/4 train {}", candidate.display());
    train(&candidate, &[])?;
    if let Some(encoder) = current
        .manifest()
        .encoder
        .as_ref()
        .filter(|_| !args.fast_only)
    {
        let sha = &encoder.weights_sha256;
        println!(
            "== 2b/4 sentence stage for {version} (encoder {})",
            sha.get(..12).unwrap_or(sha)
        );
        let slice = work.path().join("slice");
        train(&slice, &["--exclude-fold", "0/5"])?;
        // The labels that read neighbours keep reading them, from a bank of the new data.
        let neighbours: Vec<String> = encoder
            .neighbours
            .iter()
            .flat_map(|n| &n.labels)
            .map(|r| r.label.to_string())
            .collect();
        let stage = Stage {
            encoder_sha256: sha,
            heads_input: encoder.heads_input,
            neighbours: &neighbours,
        };
        sentence_stage(&args, &data, &candidate, &slice, &stage, work.path())?;
    }
    println!(
        "== 3/4 evaluate {} and {version} on the held-out rows, gate",
        current.version()
    );
    gate(&args, &data, &candidate).inspect_err(|_| {
        println!(
            "== not promoted: {}/current still names {}",
            args.models.display(),
            current.version()
        );
    })?;
    println!(
        "== 4/4 promoted: {}/current -> {version}",
        args.models.display()
    );
    match &args.reload {
        Some(url) => reload(url),
        None => {
            println!(
                "   reload the service: kill -HUP <pid>, or POST /v1/admin/model/reload with an \
                 admin token"
            );
            Ok(())
        }
    }
}

/// The newsroom's decisions as a CSV in `work`; returns every file to train on.
fn export(args: &RetrainArgs, work: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let newsroom = work.join("newsroom.csv");
    println!(
        "== 1/4 export decisions from {} (newsroom weight {}, {}% held out)",
        args.database.display(),
        args.newsroom_weight,
        args.test_percent
    );
    super::cli::export(parse::<ExportArgs>(
        "export-decisions",
        os(&[
            &"--database",
            &args.database,
            &"--test-percent",
            &args.test_percent.to_string(),
            &"--weight",
            &args.newsroom_weight,
            &"--out",
            &newsroom,
        ]),
    )?)?;
    if args.shared.is_file() {
        println!("   combined with {}", args.shared.display());
        Ok(vec![args.shared.clone(), newsroom])
    } else {
        println!(
            "   {} not found: training on the newsroom's decisions only",
            args.shared.display()
        );
        Ok(vec![newsroom])
    }
}

/// What of the current model's sentence stage a retrain keeps.
struct Stage<'a> {
    encoder_sha256: &'a str,
    /// How the heads read comments, where not as the stage serves them.
    heads_input: Option<EncoderInput>,
    neighbours: &'a [String],
}

/// The current encoder reused as it is, its heads and blend trained again on `data`, each
/// reading comments as the current model's did. Every row's vector is cached per encoder, so
/// only rows not seen before go through it.
fn sentence_stage(
    args: &RetrainArgs,
    data: &[PathBuf],
    candidate: &Path,
    slice: &Path,
    current: &Stage,
    work: &Path,
) -> anyhow::Result<()> {
    let embed = |out: &Path, input: Option<EncoderInput>, reuse: &Path| -> anyhow::Result<()> {
        let mut flags = os(&[&"--encoder", &args.models, &"--out", &out]);
        flags.extend(data_flags(data));
        if let Some(input) = input {
            flags.extend(os(&[&"--input", &input.as_str()]));
        }
        if reuse.is_file() && with_suffix(reuse, ".ids").is_file() {
            flags.extend(os(&[&"--reuse", &reuse]));
        }
        crate::training::encoder::embed(parse::<EmbedArgs>("embed", flags)?)
    };
    let cache = vector_cache(current.encoder_sha256);
    let vectors = work.join("embeddings.safetensors");
    embed(&vectors, current.heads_input, &cache)?;
    keep_vectors(&vectors, &cache)?;
    // Served differently, the comments are embedded again as served: only those the reading
    // changes go through the encoder.
    let served = match current.heads_input {
        Some(_) => {
            let served = work.join("served.safetensors");
            embed(&served, None, &vectors)?;
            Some(served)
        }
        None => None,
    };
    let mut stage = os(&[
        &"--model",
        &candidate,
        &"--slice",
        &slice,
        &"--encoder",
        &args.models,
        &"--embeddings",
        &vectors,
        &"--previous-bars",
        &args.models,
    ]);
    stage.extend(data_flags(data));
    if let Some(served) = &served {
        stage.extend(os(&[&"--serve-embeddings", served]));
    }
    if args.checks.is_dir() {
        stage.extend(os(&[&"--checks", &args.checks]));
    }
    for label in current.neighbours {
        stage.extend(os(&[&"--neighbours", label]));
    }
    crate::training::encoder::train_encoder(parse::<TrainEncoderArgs>("train-encoder", stage)?)
}

/// Judges the candidate against the current model and promotes it when it passes (or is
/// forced).
fn gate(args: &RetrainArgs, data: &[PathBuf], candidate: &Path) -> anyhow::Result<()> {
    let mut gate = os(&[
        &"--quiet",
        &"--current",
        &args.models,
        &"--candidate",
        &candidate,
        &"--tolerance",
        &args.tolerance.to_string(),
        &"--promote",
    ]);
    gate.extend(data_flags(data));
    if args.force {
        gate.push("--force".into());
    }
    super::cli::gate(parse::<GateArgs>("gate", gate)?)
}

/// Copies this run's vectors into the cache, the ids first, so a cache file is never paired
/// with another run's ids.
fn keep_vectors(vectors: &Path, cache: &Path) -> anyhow::Result<()> {
    if let Some(dir) = cache.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let partial = with_suffix(cache, ".tmp");
    std::fs::copy(vectors, &partial).with_context(|| format!("writing {}", partial.display()))?;
    std::fs::copy(with_suffix(vectors, ".ids"), with_suffix(cache, ".ids"))
        .with_context(|| format!("writing {}.ids", cache.display()))?;
    std::fs::rename(&partial, cache).with_context(|| format!("writing {}", cache.display()))?;
    Ok(())
}

/// Asks the running service to load `models/current`.
fn reload(base: &str) -> anyhow::Result<()> {
    let token = std::env::var("TALKBACK_ADMIN_TOKEN")
        .context("--reload needs TALKBACK_ADMIN_TOKEN (an admin token of the service)")?;
    let url = format!("{}/v1/admin/model/reload", base.trim_end_matches('/'));
    let response = reqwest::blocking::Client::new()
        .post(&url)
        .bearer_auth(token)
        .send()
        .with_context(|| format!("POST {url}"))?;
    let status = response.status();
    let body = response.text().unwrap_or_default();
    anyhow::ensure!(status.is_success(), "POST {url}: {status}: {body}");
    println!("{body}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_version_is_the_first_free_letter_after_the_last_used() {
        let models = tempfile::tempdir().expect("tempdir");
        let day = "2026-12-04";
        assert_eq!(
            next_version(models.path(), day).expect("free"),
            "2026-12-04-a"
        );
        for used in ["a", "c"] {
            std::fs::create_dir(models.path().join(format!("{day}-{used}"))).expect("mkdir");
        }
        // "b" is free but older than "c": a new version must sort after every earlier one.
        assert_eq!(
            next_version(models.path(), day).expect("free"),
            "2026-12-04-d"
        );
        std::fs::create_dir(models.path().join(format!("{day}-z"))).expect("mkdir");
        let full = next_version(models.path(), day).expect_err("no letter after z");
        assert!(full.to_string().contains(day), "{full}");
    }

    #[test]
    fn steps_parse_as_their_subcommands_and_refuse_bad_flags() {
        let gate: GateArgs = parse("gate", os(&[&"--candidate", &"m/x", &"--data", &"d.csv"]))
            .expect("valid gate flags");
        assert_eq!(gate.candidate, PathBuf::from("m/x"));
        let bad = parse::<TrainArgs>("train", os(&[&"--out", &"x", &"--no-such-flag"]))
            .expect_err("unknown flag");
        assert!(format!("{bad:#}").contains("talkback train"), "{bad:#}");
    }
}
