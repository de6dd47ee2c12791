//! Scoring a labelled dataset with a model and summarising per label and per source.

use super::dataset::Row;
use super::metrics::{LabelMetrics, label_metrics};
use crate::domain::{Label, Scores};
use crate::model::Model;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct EvalReport {
    pub labels: BTreeMap<Label, LabelMetrics>,
    pub sources: BTreeMap<String, BTreeMap<Label, LabelMetrics>>,
}

/// Score every row (in parallel), with a progress bar when `progress`.
pub fn score_rows(model: &Model, rows: &[&Row], progress: bool) -> Vec<Scores> {
    let pb = super::matrix::bar(rows.len() as u64, "scoring", progress);
    let out = if model.active_encoder().is_some() {
        // Batches of similar length, so the sentence stage pads little.
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by_key(|&i| rows[i].text.len());
        // One batch keeps about one core busy: batches run side by side.
        let chunks: Vec<&[usize]> = order.chunks(32).collect();
        let scored: Vec<Vec<Scores>> = chunks
            .par_iter()
            .map(|chunk| {
                let texts: Vec<&str> = chunk.iter().map(|&i| rows[i].text.as_str()).collect();
                pb.inc(chunk.len() as u64);
                model.score_only_batch(&texts)
            })
            .collect();
        let mut out = vec![Scores::default(); rows.len()];
        for (chunk, scores) in chunks.iter().zip(scored) {
            for (&i, s) in chunk.iter().zip(scores) {
                out[i] = s;
            }
        }
        out
    } else {
        rows.par_iter()
            .map(|r| {
                pb.inc(1);
                model.score_only(&r.text)
            })
            .collect()
    };
    pb.finish_and_clear();
    out
}

/// Metrics for each label the model has, over rows labelled for it; pooled and per source.
/// `thresholds` (if any) adds precision/recall at those thresholds.
pub fn evaluate(
    model: &Model,
    rows: &[&Row],
    scores: &[Scores],
    thresholds: &BTreeMap<Label, f32>,
) -> EvalReport {
    let mut report = EvalReport {
        labels: BTreeMap::new(),
        sources: BTreeMap::new(),
    };
    for &label in model.labels() {
        let mut pooled: (Vec<f32>, Vec<bool>) = Default::default();
        let mut per: BTreeMap<&str, (Vec<f32>, Vec<bool>)> = BTreeMap::new();
        for (r, s) in rows.iter().zip(scores) {
            if let (Some(t), Some(p)) = (r.labels[label.index()], s.get(label)) {
                pooled.0.push(p);
                pooled.1.push(t);
                let e = per.entry(r.source.as_str()).or_default();
                e.0.push(p);
                e.1.push(t);
            }
        }
        if pooled.0.is_empty() {
            continue;
        }
        let th = thresholds.get(&label).copied();
        report
            .labels
            .insert(label, label_metrics(&pooled.0, &pooled.1, th));
        for (src, (p, t)) in per {
            report
                .sources
                .entry(src.to_string())
                .or_default()
                .insert(label, label_metrics(&p, &t, th));
        }
    }
    report
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.4}"))
}

/// Human-readable table: one line per (source, label).
pub fn print_table(report: &EvalReport) {
    println!(
        "{:<16} {:<16} {:>6} {:>6} {:>8} {:>8} {:>6} {:>6} {:>6}",
        "source", "label", "n", "pos", "roc_auc", "pr_auc", "thr", "prec", "recall"
    );
    let line = |src: &str, l: &Label, m: &LabelMetrics| {
        println!(
            "{:<16} {:<16} {:>6} {:>6} {:>8} {:>8} {:>6} {:>6} {:>6}",
            src,
            l.as_str(),
            m.n,
            m.positives,
            fmt_opt(m.roc_auc),
            fmt_opt(m.pr_auc),
            m.threshold.map_or("-".into(), |t| format!("{t:.3}")),
            m.precision.map_or("-".into(), |v| format!("{v:.3}")),
            m.recall.map_or("-".into(), |v| format!("{v:.3}")),
        );
    };
    for (l, m) in &report.labels {
        line("POOLED", l, m);
    }
    for (src, labels) in &report.sources {
        for (l, m) in labels {
            line(src, l, m);
        }
    }
}

/// Per label, the threshold that maximises F1 over `rows` (the model's suggested thresholds).
pub fn best_thresholds(model: &Model, rows: &[&Row], scores: &[Scores]) -> BTreeMap<Label, f32> {
    let mut out = BTreeMap::new();
    for &label in model.labels() {
        let (s, t): (Vec<f32>, Vec<bool>) = rows
            .iter()
            .zip(scores)
            .filter_map(|(r, sc)| Some((sc.get(label)?, r.labels[label.index()]?)))
            .unzip();
        if let Some(th) = super::metrics::best_f1_threshold(&s, &t) {
            out.insert(label, th);
        }
    }
    out
}
