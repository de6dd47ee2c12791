//! The promotion gate: evaluate the current and the candidate model on the same held-out rows,
//! refuse the candidate when any label's ROC AUC drops by more than the tolerance, and write
//! `report.json` + `report.md` (+ ROC/PR PNGs) into the candidate's directory either way, so
//! a refused model explains itself too.

use super::curves::{self, Curve};
use crate::domain::{Label, Scores, Thresholds};
use crate::model::Model;
use crate::training::dataset::{self, Row, Split};
use crate::training::evaluate::{EvalReport, evaluate, score_rows};
use anyhow::Context;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Default largest allowed ROC AUC drop per label.
pub const DEFAULT_TOLERANCE: f64 = 0.005;

#[derive(Debug, Clone, Serialize)]
pub struct Regression {
    pub label: Label,
    /// `None`: the candidate does not score this label at all.
    pub current: Option<f64>,
    pub candidate: Option<f64>,
    pub drop: f64,
}

impl std::fmt::Display for Regression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.current, self.candidate) {
            (Some(old), Some(new)) => write!(
                f,
                "{} ROC AUC dropped by {:.4} ({old:.4} -> {new:.4})",
                self.label, self.drop
            ),
            _ => write!(f, "{} is not scored by the candidate", self.label),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Confusion {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub tn: usize,
}

#[derive(Debug, Serialize)]
pub struct LabelConfusion {
    pub threshold: f32,
    pub current: Option<Confusion>,
    pub candidate: Option<Confusion>,
}

#[derive(Debug, Serialize)]
pub struct CurveFiles {
    pub roc: String,
    pub pr: String,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub current: String,
    pub candidate: String,
    /// `promote`, `refuse`, or `forced` (refused by the gate, promoted by --force).
    pub decision: String,
    pub forced: bool,
    pub tolerance: f64,
    pub regressions: Vec<Regression>,
    pub data: Vec<String>,
    pub rows: usize,
    pub rows_by_source: BTreeMap<String, usize>,
    pub current_metrics: EvalReport,
    pub candidate_metrics: EvalReport,
    pub confusion: BTreeMap<Label, LabelConfusion>,
    pub curves: BTreeMap<Label, CurveFiles>,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.regressions.is_empty()
    }
}

/// Labels whose ROC AUC fell by more than `tolerance`, or that the candidate lost.
pub fn regressions(
    current: &EvalReport,
    candidate: &EvalReport,
    tolerance: f64,
) -> Vec<Regression> {
    let mut out = Vec::new();
    for (&label, old) in &current.labels {
        let Some(old_auc) = old.roc_auc else { continue };
        let new_auc = candidate.labels.get(&label).and_then(|m| m.roc_auc);
        let drop = old_auc - new_auc.unwrap_or(0.0);
        if new_auc.is_none() || drop > tolerance {
            out.push(Regression {
                label,
                current: Some(old_auc),
                candidate: new_auc,
                drop,
            });
        }
    }
    out
}

/// Held-out rows of every file: `split=test`, or every row of a file without a split column.
pub fn held_out_rows(files: &[PathBuf]) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    for f in files {
        let ds = dataset::read_csv(f)?;
        let has_split = ds.has_split;
        rows.extend(
            ds.rows
                .into_iter()
                .filter(|r| !has_split || r.split == Some(Split::Test)),
        );
    }
    Ok(rows)
}

/// The bar each label is judged at: the service's hold bar, else the model's own suggested
/// threshold, else 0.5.
fn thresholds_for(model: &Model, service: &Thresholds) -> BTreeMap<Label, f32> {
    model
        .labels()
        .iter()
        .map(|&l| {
            let t = service
                .hold
                .get(&l)
                .or_else(|| model.suggested_thresholds().get(&l))
                .copied()
                .unwrap_or(0.5);
            (l, t)
        })
        .collect()
}

fn pairs(rows: &[&Row], scores: &[Scores], label: Label) -> (Vec<f32>, Vec<bool>) {
    rows.iter()
        .zip(scores)
        .filter_map(|(r, s)| Some((s.get(label)?, r.labels[label.index()]?)))
        .unzip()
}

fn confusion(scores: &[f32], truth: &[bool], threshold: f32) -> Confusion {
    let mut c = Confusion::default();
    for (&s, &t) in scores.iter().zip(truth) {
        match (s >= threshold, t) {
            (true, true) => c.tp += 1,
            (true, false) => c.fp += 1,
            (false, true) => c.fn_ += 1,
            (false, false) => c.tn += 1,
        }
    }
    c
}

pub struct GateInput<'a> {
    pub current: &'a Model,
    pub candidate: &'a Model,
    pub data: &'a [PathBuf],
    pub thresholds: &'a Thresholds,
    pub tolerance: f64,
    pub force: bool,
    /// Where report.json, report.md and the PNGs go (the candidate's directory).
    pub out_dir: &'a Path,
    pub progress: bool,
}

/// Evaluate both models, decide, and write the report. Does not promote.
pub fn run(input: &GateInput<'_>) -> anyhow::Result<Report> {
    let rows = held_out_rows(input.data)?;
    anyhow::ensure!(!rows.is_empty(), "no held-out rows in {:?}", input.data);
    let rows: Vec<&Row> = rows.iter().collect();
    let thresholds = thresholds_for(input.current, input.thresholds);
    let old_scores = score_rows(input.current, &rows, input.progress);
    let new_scores = score_rows(input.candidate, &rows, input.progress);
    let current_metrics = evaluate(input.current, &rows, &old_scores, &thresholds);
    let candidate_metrics = evaluate(input.candidate, &rows, &new_scores, &thresholds);
    let mut regressions = regressions(&current_metrics, &candidate_metrics, input.tolerance);
    // A label the current model scores and the candidate lacks is a regression even when the
    // held-out rows do not measure it: the service (and its Perspective API) would lose it.
    for &label in input.current.labels() {
        if !input.candidate.labels().contains(&label)
            && !regressions.iter().any(|r| r.label == label)
        {
            let current = current_metrics.labels.get(&label).and_then(|m| m.roc_auc);
            regressions.push(Regression {
                label,
                current,
                candidate: None,
                drop: current.unwrap_or(1.0),
            });
        }
    }

    std::fs::create_dir_all(input.out_dir)
        .with_context(|| format!("creating {}", input.out_dir.display()))?;
    let (confusions, curve_files) =
        compare_labels(input, &rows, (&old_scores, &new_scores), &thresholds)?;
    let mut rows_by_source = BTreeMap::new();
    for r in &rows {
        *rows_by_source.entry(r.source.clone()).or_insert(0) += 1;
    }
    let passed = regressions.is_empty();
    let report = Report {
        current: input.current.version().to_string(),
        candidate: input.candidate.version().to_string(),
        decision: match (passed, input.force) {
            (true, _) => "promote",
            (false, true) => "forced",
            (false, false) => "refuse",
        }
        .into(),
        forced: input.force && !passed,
        tolerance: input.tolerance,
        regressions,
        data: input.data.iter().map(|p| p.display().to_string()).collect(),
        rows: rows.len(),
        rows_by_source,
        current_metrics,
        candidate_metrics,
        confusion: confusions,
        curves: curve_files,
    };
    let json = serde_json::to_string_pretty(&report)?;
    std::fs::write(input.out_dir.join("report.json"), json + "\n")?;
    std::fs::write(input.out_dir.join("report.md"), markdown(&report))?;
    Ok(report)
}

type Comparison = (BTreeMap<Label, LabelConfusion>, BTreeMap<Label, CurveFiles>);

/// Per label either model scores: the confusion matrices at its threshold, and the ROC and PR
/// curves of both models drawn into the output directory.
fn compare_labels(
    input: &GateInput<'_>,
    rows: &[&Row],
    (old_scores, new_scores): (&[Scores], &[Scores]),
    thresholds: &BTreeMap<Label, f32>,
) -> anyhow::Result<Comparison> {
    let mut confusions = BTreeMap::new();
    let mut curve_files = BTreeMap::new();
    let labels: Vec<Label> = Label::ALL
        .into_iter()
        .filter(|l| input.current.labels().contains(l) || input.candidate.labels().contains(l))
        .collect();
    for label in labels {
        let (old_s, old_t) = pairs(rows, old_scores, label);
        let (new_s, new_t) = pairs(rows, new_scores, label);
        if old_s.is_empty() && new_s.is_empty() {
            continue;
        }
        let threshold = thresholds.get(&label).copied().unwrap_or(0.5);
        let some = |s: &[f32], t: &[bool]| (!s.is_empty()).then(|| confusion(s, t, threshold));
        confusions.insert(
            label,
            LabelConfusion {
                threshold,
                current: some(&old_s, &old_t),
                candidate: some(&new_s, &new_t),
            },
        );
        let files = CurveFiles {
            roc: format!("roc_{label}.png"),
            pr: format!("pr_{label}.png"),
        };
        let (old_roc, new_roc): (Curve, Curve) =
            (curves::roc(&old_s, &old_t), curves::roc(&new_s, &new_t));
        curves::plot(&input.out_dir.join(&files.roc), &old_roc, &new_roc, true)?;
        let (old_pr, new_pr) = (curves::pr(&old_s, &old_t), curves::pr(&new_s, &new_t));
        curves::plot(&input.out_dir.join(&files.pr), &old_pr, &new_pr, false)?;
        curve_files.insert(label, files);
    }
    Ok((confusions, curve_files))
}

fn fmt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.4}"))
}

fn delta(old: Option<f64>, new: Option<f64>) -> String {
    match (old, new) {
        (Some(o), Some(n)) => format!("{:+.4}", n - o),
        _ => "-".into(),
    }
}

fn markdown(r: &Report) -> String {
    let mut md = String::new();
    summary_md(&mut md, r);
    let labels: Vec<&Label> = r
        .current_metrics
        .labels
        .keys()
        .chain(r.candidate_metrics.labels.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    per_label_md(&mut md, r, &labels);
    per_source_md(&mut md, r, &labels);
    confusion_md(&mut md, r);
    let _ = writeln!(
        md,
        "\n## Curves\n\nBlue = current, red = candidate; unit square with a 0.1 grid. ROC: false positive rate (x) against true positive rate (y), grey diagonal = chance. PR: recall (x) against precision (y).\n"
    );
    for (l, f) in &r.curves {
        let _ = writeln!(md, "### {l}\n\n![ROC {l}]({}) ![PR {l}]({})\n", f.roc, f.pr);
    }
    md
}

/// Title, verdict, what was compared on what, and the regressions.
fn summary_md(md: &mut String, r: &Report) {
    let _ = writeln!(md, "# Model report: {} vs {}\n", r.candidate, r.current);
    let verdict = match r.decision.as_str() {
        "promote" => "**PROMOTE**: no label's ROC AUC dropped beyond the tolerance.".to_string(),
        "forced" => {
            "**FORCED**: the gate refused this model and `--force` promoted it anyway.".to_string()
        }
        _ => "**REFUSED**: see the regressions below.".to_string(),
    };
    let _ = writeln!(md, "{verdict}\n");
    let _ = writeln!(
        md,
        "- current: `{}`\n- candidate: `{}`\n- tolerance (ROC AUC drop per label): {}\n- held-out rows: {} ({})\n- data: {}\n",
        r.current,
        r.candidate,
        r.tolerance,
        r.rows,
        r.rows_by_source
            .iter()
            .map(|(s, n)| format!("{s}: {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        r.data.join(", ")
    );
    if !r.regressions.is_empty() {
        let _ = writeln!(md, "## Regressions\n");
        for g in &r.regressions {
            let _ = writeln!(md, "- {g}");
        }
        md.push('\n');
    }
}

fn per_label_md(md: &mut String, r: &Report, labels: &[&Label]) {
    let _ = writeln!(md, "## Per label (pooled)\n");
    let _ = writeln!(
        md,
        "| label | n | pos | ROC AUC current | ROC AUC candidate | delta | PR AUC current | PR AUC candidate | delta |\n|---|---|---|---|---|---|---|---|---|"
    );
    for l in labels {
        let (o, n) = (
            r.current_metrics.labels.get(l),
            r.candidate_metrics.labels.get(l),
        );
        let m = o.or(n);
        let _ = writeln!(
            md,
            "| {l} | {} | {} | {} | {} | {} | {} | {} | {} |",
            m.map_or(0, |m| m.n),
            m.map_or(0, |m| m.positives),
            fmt(o.and_then(|m| m.roc_auc)),
            fmt(n.and_then(|m| m.roc_auc)),
            delta(o.and_then(|m| m.roc_auc), n.and_then(|m| m.roc_auc)),
            fmt(o.and_then(|m| m.pr_auc)),
            fmt(n.and_then(|m| m.pr_auc)),
            delta(o.and_then(|m| m.pr_auc), n.and_then(|m| m.pr_auc)),
        );
    }
}

fn per_source_md(md: &mut String, r: &Report, labels: &[&Label]) {
    let _ = writeln!(md, "\n## Per source\n");
    let _ = writeln!(
        md,
        "| source | label | n | ROC AUC current | ROC AUC candidate | PR AUC current | PR AUC candidate |\n|---|---|---|---|---|---|---|"
    );
    let empty = BTreeMap::new();
    let sources: std::collections::BTreeSet<&String> = r
        .current_metrics
        .sources
        .keys()
        .chain(r.candidate_metrics.sources.keys())
        .collect();
    for s in sources {
        let (os, ns) = (
            r.current_metrics.sources.get(s).unwrap_or(&empty),
            r.candidate_metrics.sources.get(s).unwrap_or(&empty),
        );
        for l in labels {
            let (o, n) = (os.get(*l), ns.get(*l));
            if o.is_none() && n.is_none() {
                continue;
            }
            let _ = writeln!(
                md,
                "| {s} | {l} | {} | {} | {} | {} | {} |",
                o.or(n).map_or(0, |m| m.n),
                fmt(o.and_then(|m| m.roc_auc)),
                fmt(n.and_then(|m| m.roc_auc)),
                fmt(o.and_then(|m| m.pr_auc)),
                fmt(n.and_then(|m| m.pr_auc)),
            );
        }
    }
}

fn confusion_md(md: &mut String, r: &Report) {
    let _ = writeln!(
        md,
        "\n## Confusion matrices at the thresholds\n\nThreshold: the service's hold bar for the label, else the current model's suggested threshold, else 0.5. Flagged = score >= threshold.\n\n| label | threshold | model | TP | FP | FN | TN |\n|---|---|---|---|---|---|---|"
    );
    for (l, c) in &r.confusion {
        for (name, m) in [("current", &c.current), ("candidate", &c.candidate)] {
            if let Some(m) = m {
                let _ = writeln!(
                    md,
                    "| {l} | {:.3} | {name} | {} | {} | {} | {} |",
                    c.threshold, m.tp, m.fp, m.fn_, m.tn
                );
            }
        }
    }
}

/// Point `<root>/current` at `dir` atomically (write a temporary file, then rename), so a
/// reload racing the promotion reads either the old or the new name, never a half-written one.
pub fn promote(dir: &Path) -> anyhow::Result<()> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .context("candidate directory has no name")?;
    let root = dir.parent().unwrap_or(Path::new("."));
    let tmp = root.join(".current.tmp");
    std::fs::write(&tmp, format!("{name}\n"))
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, root.join("current"))
        .with_context(|| format!("renaming {} to current", tmp.display()))?;
    Ok(())
}
