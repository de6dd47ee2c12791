//! `talkback check-lists`: the held-out check lists (`tests/checks/`, described in its README)
//! scored with a model at the bars the service would use. Each `[[pair]]` of `pairs.toml` names
//! a list that must be held for a label and its harmless look-alike, with the ROC AUC the label
//! must keep between them and how many look-alikes its bar may hold; each `[[list]]` says how
//! many of its comments must (or may) be held for any label.

use super::metrics::roc_auc;
use crate::domain::{CommentStatus, Label, Thresholds};
use crate::model::Model;
use anyhow::Context;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct CheckListsArgs {
    /// Model version directory or models root (follows `current`).
    #[arg(long, default_value = "models")]
    pub model: PathBuf,
    /// Directory holding `pairs.toml` and the lists, one comment per line.
    #[arg(long, default_value = "tests/checks")]
    pub checks: PathBuf,
    #[command(flatten)]
    pub bars: super::cli::BarArgs,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckPair {
    /// The list whose comments must be held for `label`.
    pub calls: String,
    /// Its harmless look-alike.
    pub harmless: String,
    pub label: Label,
    pub min_auc: f64,
    /// How many look-alikes the hold bar of `label` may catch.
    pub max_held: usize,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldList {
    pub name: String,
    #[serde(default)]
    pub held_at_least: Option<usize>,
    #[serde(default)]
    pub held_at_most: Option<usize>,
}

/// `pairs.toml` and the directory its lists live in.
#[derive(Debug, Clone)]
pub struct CheckSet {
    dir: PathBuf,
    pub pairs: Vec<CheckPair>,
    pub lists: Vec<HoldList>,
}

impl CheckSet {
    pub fn read(dir: &Path) -> anyhow::Result<CheckSet> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[serde(default)]
            pair: Vec<CheckPair>,
            #[serde(default)]
            list: Vec<HoldList>,
        }
        let path = dir.join("pairs.toml");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let file: File = toml::from_str(&text).with_context(|| format!("{}", path.display()))?;
        Ok(CheckSet {
            dir: dir.to_path_buf(),
            pairs: file.pair,
            lists: file.list,
        })
    }

    /// The comments of list `name`, one per non-blank line.
    pub fn comments(&self, name: &str) -> anyhow::Result<Vec<String>> {
        let path = self.dir.join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let lines: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        anyhow::ensure!(!lines.is_empty(), "{} has no comments", path.display());
        Ok(lines)
    }

    /// Every list a moderator must publish: the look-alike of each pair and each `[[list]]`
    /// with a ceiling, once each, by name.
    pub fn harmless_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.pairs.iter().map(|p| p.harmless.clone()).collect();
        names.extend(
            self.lists
                .iter()
                .filter(|l| l.held_at_most.is_some())
                .map(|l| l.name.clone()),
        );
        names.sort();
        names.dedup();
        names
    }
}

/// One list scored: every comment's scores and verdict.
struct Scored {
    scores: Vec<crate::domain::Scores>,
    verdicts: Vec<crate::domain::Verdict>,
}

impl Scored {
    fn of(&self, label: Label) -> Vec<f32> {
        self.scores
            .iter()
            .map(|s| s.get(label).unwrap_or(f32::NAN))
            .collect()
    }

    fn held_for(&self, label: Label) -> usize {
        self.verdicts
            .iter()
            .filter(|v| v.triggered.contains(&label))
            .count()
    }

    fn held(&self) -> usize {
        self.verdicts
            .iter()
            .filter(|v| v.status != CommentStatus::Published)
            .count()
    }
}

pub struct PairResult {
    pub pair: CheckPair,
    pub auc: f64,
    pub calls_held: usize,
    pub calls: usize,
    pub calls_mean: f64,
    pub harmless_held: usize,
    pub harmless: usize,
    pub harmless_mean: f64,
}

pub struct ListResult {
    pub list: HoldList,
    pub held: usize,
    pub comments: usize,
}

/// What `talkback check-lists` prints, and the bounds it missed.
pub struct Report {
    pub model: String,
    pub pairs: Vec<PairResult>,
    pub lists: Vec<ListResult>,
}

fn mean(values: &[f32]) -> f64 {
    values.iter().map(|&v| f64::from(v)).sum::<f64>() / values.len().max(1) as f64
}

/// Score every list `set` names with `model` and decide it at `bars`.
pub fn run(model: &Model, bars: &Thresholds, set: &CheckSet) -> anyhow::Result<Report> {
    let mut cache: std::collections::HashMap<String, Scored> = std::collections::HashMap::new();
    let mut score = |name: &str| -> anyhow::Result<()> {
        if !cache.contains_key(name) {
            let texts = set.comments(name)?;
            let scores: Vec<_> = texts.iter().map(|t| model.score(t).scores).collect();
            let verdicts = scores.iter().map(|s| bars.decide(s)).collect();
            cache.insert(name.to_string(), Scored { scores, verdicts });
        }
        Ok(())
    };
    for pair in &set.pairs {
        score(&pair.calls)?;
        score(&pair.harmless)?;
    }
    for list in &set.lists {
        score(&list.name)?;
    }
    let mut pairs = Vec::new();
    for pair in &set.pairs {
        let (calls, harmless) = (&cache[&pair.calls], &cache[&pair.harmless]);
        let (p, n) = (calls.of(pair.label), harmless.of(pair.label));
        let truth: Vec<bool> = p
            .iter()
            .map(|_| true)
            .chain(n.iter().map(|_| false))
            .collect();
        let auc = roc_auc(&[p.as_slice(), n.as_slice()].concat(), &truth).with_context(|| {
            format!(
                "{} vs {}: the model does not score {}",
                pair.calls, pair.harmless, pair.label
            )
        })?;
        pairs.push(PairResult {
            pair: pair.clone(),
            auc,
            calls_held: calls.held_for(pair.label),
            calls: p.len(),
            calls_mean: mean(&p),
            harmless_held: harmless.held_for(pair.label),
            harmless: n.len(),
            harmless_mean: mean(&n),
        });
    }
    let lists = set
        .lists
        .iter()
        .map(|list| {
            let scored = &cache[&list.name];
            ListResult {
                list: list.clone(),
                held: scored.held(),
                comments: scored.verdicts.len(),
            }
        })
        .collect();
    Ok(Report {
        model: model.version().to_string(),
        pairs,
        lists,
    })
}

impl Report {
    /// One line per floor or ceiling the model misses.
    pub fn missed(&self) -> Vec<String> {
        let mut missed = Vec::new();
        for r in &self.pairs {
            let p = &r.pair;
            if r.auc < p.min_auc {
                missed.push(format!(
                    "{} vs {}: {} ROC AUC {:.3} < {}",
                    p.calls, p.harmless, p.label, r.auc, p.min_auc
                ));
            }
            if r.harmless_held > p.max_held {
                missed.push(format!(
                    "{}: {} holds {} > {}",
                    p.harmless, p.label, r.harmless_held, p.max_held
                ));
            }
        }
        for r in &self.lists {
            if let Some(min) = r.list.held_at_least.filter(|&min| r.held < min) {
                missed.push(format!("{}: held {} < {min}", r.list.name, r.held));
            }
            if let Some(max) = r.list.held_at_most.filter(|&max| r.held > max) {
                missed.push(format!("{}: held {} > {max}", r.list.name, r.held));
            }
        }
        missed
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "model {}", self.model)?;
        for r in &self.pairs {
            let p = &r.pair;
            writeln!(
                f,
                "{:<10} {} vs {}: ROC AUC {:.3} (floor {}), held {}/{} {}, {}/{} {} (at most {}), \
                 mean {:.3} vs {:.3}",
                p.label.as_str(),
                p.calls,
                p.harmless,
                r.auc,
                p.min_auc,
                r.calls_held,
                r.calls,
                p.calls,
                r.harmless_held,
                r.harmless,
                p.harmless,
                p.max_held,
                r.calls_mean,
                r.harmless_mean
            )?;
        }
        for r in &self.lists {
            let bound = match (r.list.held_at_least, r.list.held_at_most) {
                (Some(min), _) => format!("at least {min}"),
                (None, Some(max)) => format!("at most {max}"),
                (None, None) => "no bound".to_string(),
            };
            writeln!(
                f,
                "list {}: held {}/{} ({bound})",
                r.list.name, r.held, r.comments
            )?;
        }
        Ok(())
    }
}

/// Prints the report; fails, naming each, when a bound is missed.
pub fn check_lists(args: CheckListsArgs) -> anyhow::Result<()> {
    let model = Model::load(&args.model)?;
    let bars = super::cli::service_bars(&model, args.bars)?;
    let set = CheckSet::read(&args.checks)?;
    let report = run(&model, &bars, &set)?;
    write!(std::io::stdout().lock(), "{report}")?;
    let missed = report.missed();
    anyhow::ensure!(
        missed.is_empty(),
        "{} check-list bound(s) missed:\n  {}",
        missed.len(),
        missed.join("\n  ")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).expect("write fixture");
    }

    #[test]
    fn reads_pairs_lists_and_names_each_harmless_list_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "pairs.toml",
            "[[pair]]\ncalls = \"a\"\nharmless = \"b\"\nlabel = \"incitement\"\nmin_auc = 0.8\n\
             max_held = 1\n\n[[list]]\nname = \"b\"\nheld_at_most = 2\n\n[[list]]\nname = \"c\"\n\
             held_at_most = 0\n\n[[list]]\nname = \"a\"\nheld_at_least = 3\n",
        );
        write(dir.path(), "b.txt", "one\n\n  two  \n");
        let set = CheckSet::read(dir.path()).expect("valid set");
        assert_eq!(set.pairs[0].label, Label::Incitement);
        assert_eq!(set.harmless_names(), ["b", "c"]);
        assert_eq!(set.comments("b").expect("list b"), ["one", "two"]);
        let missing = set.comments("c").expect_err("no c.txt");
        assert!(format!("{missing:#}").contains("c.txt"), "{missing:#}");
    }

    #[test]
    fn an_unknown_label_or_key_is_refused_with_the_file_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        for bad in [
            "[[pair]]\ncalls = \"a\"\nharmless = \"b\"\nlabel = \"rudeness\"\nmin_auc = 0.8\nmax_held = 1\n",
            "[[list]]\nname = \"a\"\nheld_at_leats = 3\n",
        ] {
            write(dir.path(), "pairs.toml", bad);
            let err = CheckSet::read(dir.path()).expect_err(bad);
            assert!(format!("{err:#}").contains("pairs.toml"), "{err:#}");
        }
    }
}
