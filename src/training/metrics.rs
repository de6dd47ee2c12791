//! Ranking and threshold metrics for one label. ROC AUC comes from linfa
//! (`BinaryClassification::roc`); PR AUC (average precision, as scikit-learn computes it) and
//! threshold metrics are small enough to write here.

use linfa::dataset::Pr;
use linfa::metrics::BinaryClassification;
use ndarray::Array1;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct LabelMetrics {
    pub n: usize,
    pub positives: usize,
    /// `None` when only one class is present (AUC undefined).
    pub roc_auc: Option<f64>,
    pub pr_auc: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recall: Option<f64>,
}

pub fn roc_auc(scores: &[f32], truth: &[bool]) -> Option<f64> {
    let pos = truth.iter().filter(|t| **t).count();
    if pos == 0 || pos == truth.len() {
        return None;
    }
    let pr: Array1<Pr> = scores.iter().map(|&s| Pr::new(s.clamp(0.0, 1.0))).collect();
    pr.roc(truth)
        .ok()
        .map(|roc| f64::from(roc.area_under_curve()))
}

/// One point per distinct score, highest first: (that score as threshold, cumulative true
/// positives, cumulative false positives) when flagging everything scoring at least it. Every
/// threshold-sweeping metric and curve is read off this.
pub fn sweep(scores: &[f32], truth: &[bool]) -> Vec<(f32, usize, usize)> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_unstable_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut tp, mut fp, mut out, mut i) = (0, 0, Vec::new(), 0);
    while i < order.len() {
        let s = scores[order[i]];
        while i < order.len() && scores[order[i]] == s {
            if truth[order[i]] {
                tp += 1;
            } else {
                fp += 1;
            }
            i += 1;
        }
        out.push((s, tp, fp));
    }
    out
}

/// Average precision: sum over distinct thresholds (descending) of (R_k - R_{k-1}) * P_k.
pub fn average_precision(scores: &[f32], truth: &[bool]) -> Option<f64> {
    let pos = truth.iter().filter(|t| **t).count();
    if pos == 0 || pos == truth.len() {
        return None;
    }
    let (mut ap, mut prev_recall) = (0.0, 0.0);
    for (_, tp, fp) in sweep(scores, truth) {
        let recall = tp as f64 / pos as f64;
        ap += (recall - prev_recall) * (tp as f64 / (tp + fp) as f64);
        prev_recall = recall;
    }
    Some(ap)
}

/// (precision, recall) when flagging scores >= threshold.
pub fn precision_recall_at(scores: &[f32], truth: &[bool], threshold: f32) -> (f64, f64) {
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    for (&s, &t) in scores.iter().zip(truth) {
        match (s >= threshold, t) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            _ => {}
        }
    }
    let p = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let r = if tp + fneg == 0 {
        0.0
    } else {
        tp as f64 / (tp + fneg) as f64
    };
    (p, r)
}

/// The threshold maximising F1 (ties: the higher threshold).
pub fn best_f1_threshold(scores: &[f32], truth: &[bool]) -> Option<f32> {
    let pos = truth.iter().filter(|t| **t).count();
    if pos == 0 {
        return None;
    }
    let (mut best, mut best_t) = (-1.0, 0.5);
    for (threshold, tp, fp) in sweep(scores, truth) {
        let f1 = 2.0 * tp as f64 / (tp + fp + pos) as f64;
        if f1 > best {
            best = f1;
            best_t = threshold;
        }
    }
    Some(best_t)
}

pub fn label_metrics(scores: &[f32], truth: &[bool], threshold: Option<f32>) -> LabelMetrics {
    let pr = threshold.map(|t| precision_recall_at(scores, truth, t));
    LabelMetrics {
        n: scores.len(),
        positives: truth.iter().filter(|t| **t).count(),
        roc_auc: roc_auc(scores, truth),
        pr_auc: average_precision(scores, truth),
        threshold,
        precision: pr.map(|p| p.0),
        recall: pr.map(|p| p.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_matches_hand_computation() {
        let s = [0.1, 0.4, 0.35, 0.8];
        let t = [false, false, true, true];
        let auc = roc_auc(&s, &t).expect("defined");
        assert!((auc - 0.75).abs() < 1e-6, "{auc}");
        let ap = average_precision(&s, &t).expect("defined");
        assert!((ap - (0.5 + 0.5 * 2.0 / 3.0)).abs() < 1e-9, "{ap}");
        assert_eq!(roc_auc(&s, &[true; 4]), None);
    }
}
