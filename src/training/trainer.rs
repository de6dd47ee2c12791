//! Training: hashed TF-IDF matrix (CSR) over the training rows, then one L2-regularised logistic
//! regression per label, fitted with L-BFGS on the exact (full-batch) objective.
//!
//! Why not linfa's models: none takes sparse input, and a dense 85k x 2^20 matrix is out of the
//! question; `linfa-ftrl` starts from random weights and has no intercept. Full-batch L-BFGS on
//! the same objective as scikit-learn's `LogisticRegression` (C-scaled log loss + 1/2 ||w||^2,
//! unpenalised intercept) is deterministic, needs no learning-rate tuning, and converges to the
//! optimum rather than near it.

use super::dataset::Row;
use super::dataset::fold_of;
use super::lbfgs::{FitReport, fit};
use super::matrix::{bar, build_matrix};
use crate::domain::Label;
use crate::model::artefact::Weights;
use crate::model::features::FeatureSpec;
use crate::model::stack::{N_BASE, N_INPUTS, StackHead};
use crate::model::table::BucketRow;
use rayon::prelude::*;
use std::collections::BTreeMap;

pub use super::config::{HeadParams, Loss, TrainConfig};
pub use super::matrix::Matrix;

/// One head's training set: matrix rows, targets and weights.
pub struct HeadData {
    pub label: Label,
    pub rows: Vec<usize>,
    pub y: Vec<bool>,
    pub w: Vec<f64>,
    pub loss: Loss,
    /// Intercept index of each row (its source's, or 0 when one intercept is shared).
    pub bias_of: Vec<u16>,
    pub n_bias: usize,
    /// Per source: (rows, positives).
    pub summary: BTreeMap<String, (usize, usize)>,
}

pub fn head_data(label: Label, rows: &[&Row], cfg: &TrainConfig) -> Option<HeadData> {
    let params = cfg.params(label);
    let mut by_source: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut picked = Vec::new();
    let mut shared = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(y) = r.labels[label.index()] {
            let e = by_source.entry(r.source.as_str()).or_default();
            e.0 += 1;
            e.1 += usize::from(y);
            picked.push((i, y));
        } else if cfg.share_weight > 0.0 && implied_positive(label, r) {
            shared.push(i);
        }
    }
    let n = picked.len();
    let positives = picked.iter().filter(|p| p.1).count();
    if n == 0 || positives == 0 || positives == n {
        return None;
    }
    let mut w = balanced_weights(rows, &picked, &by_source, &params, cfg.template_weight);
    // Label sharing: rows not labelled for this head whose finer labels imply a positive.
    for &i in &shared {
        let e = by_source.entry(rows[i].source.as_str()).or_default();
        e.0 += 1;
        e.1 += 1;
        picked.push((i, true));
        w.push(cfg.share_weight * f64::from(rows[i].weight));
    }
    let names: Vec<&str> = by_source.keys().copied().collect();
    let per_source = params.source_bias > 0.0;
    let bias_of: Vec<u16> = picked
        .iter()
        .map(|&(i, _)| {
            if per_source {
                names.iter().position(|s| *s == rows[i].source).unwrap_or(0) as u16
            } else {
                0
            }
        })
        .collect();
    Some(HeadData {
        label,
        loss: params.loss,
        bias_of,
        n_bias: if per_source { names.len() } else { 1 },
        rows: picked.iter().map(|p| p.0).collect(),
        y: picked.iter().map(|p| p.1).collect(),
        w,
        summary: by_source
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    })
}

/// Each picked row's weight: per-source, per-class multipliers (see [`HeadParams`]), the
/// built-in sentences' extra weight, rescaled so the mean weight is 1 (keeps C comparable with
/// scikit-learn's), then the row's own weight.
fn balanced_weights(
    rows: &[&Row],
    picked: &[(usize, bool)],
    by_source: &BTreeMap<&str, (usize, usize)>,
    params: &HeadParams,
    template_weight: f64,
) -> Vec<f64> {
    let n = picked.len();
    let total: f64 = by_source
        .values()
        .map(|&(n, _)| (n as f64).powf(params.source_balance))
        .sum();
    let mult = |source: &str, y: bool| -> f64 {
        let (ns, ps) = by_source[source];
        let share = (ns as f64).powf(params.source_balance) / total * n as f64;
        let frac_pos = ps as f64 / ns as f64;
        let target_pos = frac_pos + params.class_balance * (0.5 - frac_pos);
        let class = if ps == 0 || ps == ns {
            1.0
        } else if y {
            target_pos / frac_pos
        } else {
            (1.0 - target_pos) / (1.0 - frac_pos)
        };
        share / ns as f64 * class
    };
    let mut w: Vec<f64> = picked
        .iter()
        .map(|&(i, y)| {
            let extra = if rows[i].source == super::augment::SOURCE {
                template_weight
            } else {
                1.0
            };
            mult(&rows[i].source, y) * extra
        })
        .collect();
    let mean = w.iter().sum::<f64>() / n as f64;
    // The row's own weight after the mean is taken, so weight 3 counts as three copies would.
    for (v, &(i, _)) in w.iter_mut().zip(picked) {
        *v = *v / mean * f64::from(rows[i].weight);
    }
    w
}

/// Whether `r`'s other labels imply a positive for `label` although `label` itself is not
/// labelled: abuse from insult / obscene / threat / identity_attack, incitement from threat.
fn implied_positive(label: Label, r: &Row) -> bool {
    let yes = |l: Label| r.labels[l.index()] == Some(true);
    match label {
        Label::Abuse => [
            Label::Insult,
            Label::Obscene,
            Label::Threat,
            Label::IdentityAttack,
        ]
        .into_iter()
        .any(yes),
        Label::Incitement => yes(Label::Threat),
        _ => false,
    }
}

pub struct Trained {
    pub weights: Weights,
    pub labels: Vec<Label>,
    pub heads: BTreeMap<Label, serde_json::Value>,
    /// Network branch training summary (null without one).
    pub net: serde_json::Value,
    /// Second-stage training summary (null without one).
    pub stack: serde_json::Value,
}

/// Train every label that has both classes among `rows`, then (with `cfg.stack_folds` >= 2)
/// the second stage for the decision labels on out-of-fold first-stage log-odds.
///
/// The folds run first: a squared-hinge head's margins are mapped to log-odds by a Platt
/// scaling fitted on its out-of-fold margins (fitted on its own training rows it would learn
/// how well the head separates comments it has already seen, and come out far too sure), and
/// that map is folded into the full head's weights before they are rounded to f16.
pub fn train(rows: &[&Row], spec: &FeatureSpec, cfg: &TrainConfig, progress: bool) -> Trained {
    if cfg.stack_folds < 2 {
        return train_heads(rows, spec, cfg, Some(&BTreeMap::new()), progress);
    }
    let labels: Vec<Label> = Label::ALL
        .into_iter()
        .filter(|l| cfg.only.is_empty() || cfg.only.contains(l))
        .filter(|&l| head_data(l, rows, cfg).is_some())
        .collect();
    let t = std::time::Instant::now();
    let stacked = train_stack(rows, spec, cfg, &labels, progress);
    let secs = t.elapsed().as_secs_f64();
    let mut trained = train_heads(rows, spec, cfg, Some(&stacked.platt), progress);
    trained.weights.stack = stacked.heads;
    trained.stack = serde_json::json!({
        "folds": cfg.stack_folds,
        "c": cfg.stack_c,
        "heads": stacked.info,
        "seconds": secs,
    });
    trained
}

/// Labels that get a second stage: the two the product decides on.
pub const STACKED: [Label; 2] = [Label::Abuse, Label::Incitement];

struct Stacked {
    heads: Vec<StackHead>,
    info: BTreeMap<Label, serde_json::Value>,
    /// Platt scaling `(a, b)` of each squared-hinge head, fitted on its out-of-fold margins.
    platt: BTreeMap<Label, (f64, f64)>,
}

/// K-fold: first-stage heads trained without fold k score fold k's rows; a small logistic
/// regression per decision label is fitted on those out-of-fold log-odds. Returns no heads
/// (plain first stage) if a fold lacks any label of the full model.
fn train_stack(
    rows: &[&Row],
    spec: &FeatureSpec,
    cfg: &TrainConfig,
    labels: &[Label],
    progress: bool,
) -> Stacked {
    let mut out = Stacked {
        heads: Vec::new(),
        info: BTreeMap::new(),
        platt: BTreeMap::new(),
    };
    let Some(mut oof) = out_of_fold(rows, spec, cfg, labels, progress) else {
        return out;
    };
    for &label in labels {
        if cfg.params(label).loss != Loss::SquaredHinge {
            continue;
        }
        let (z, yw): (Vec<f64>, Vec<(bool, f64)>) = rows
            .iter()
            .zip(&oof)
            .filter_map(|(r, x)| {
                let z = f64::from((*x)?[label.index()]);
                Some((z, (r.labels[label.index()]?, f64::from(r.weight))))
            })
            .unzip();
        let (y, w): (Vec<bool>, Vec<f64>) = yw.into_iter().unzip();
        out.platt.insert(label, super::lbfgs::platt(&z, &y, &w));
    }
    // The second stage sees the calibrated log-odds, as it will when serving.
    if !out.platt.is_empty() {
        for x in oof.iter_mut().flatten() {
            let mut z: [f32; 6] = std::array::from_fn(|l| x[l]);
            for (label, &(a, b)) in &out.platt {
                let l = label.index();
                z[l] = (a * f64::from(z[l]) + b) as f32;
            }
            let net: [f32; 6] = std::array::from_fn(|l| x[N_BASE + l]);
            *x = crate::model::stack::inputs(&z, Some(&net));
        }
    }
    for label in STACKED.into_iter().filter(|l| labels.contains(l)) {
        if let Some((head, info)) = stack_head(label, rows, &oof, cfg) {
            out.info.insert(label, info);
            out.heads.push(head);
        }
    }
    out
}

/// Every labelled row's second-stage inputs, as first-stage heads trained without its fold
/// score it (templates train every fold and are scored by none). `None` when a fold lacks a
/// label of the full model.
fn out_of_fold(
    rows: &[&Row],
    spec: &FeatureSpec,
    cfg: &TrainConfig,
    labels: &[Label],
    progress: bool,
) -> Option<Vec<Option<[f32; N_INPUTS]>>> {
    let k_folds = cfg.stack_folds as u32;
    let is_template = |r: &Row| r.source == super::augment::SOURCE;
    let mut oof: Vec<Option<[f32; N_INPUTS]>> = vec![None; rows.len()];
    for k in 0..k_folds {
        let fold_rows: Vec<&Row> = rows
            .iter()
            .copied()
            .filter(|r| is_template(r) || fold_of(&r.id, k_folds) != k)
            .collect();
        let t = train_heads(&fold_rows, spec, cfg, None, false);
        if t.labels != labels {
            return None;
        }
        let manifest = crate::model::Manifest::unsaved(format!("fold-{k}"), &t.labels, spec);
        let model = crate::model::Model::from_parts(manifest, t.weights);
        let scored: Vec<(usize, [f32; N_INPUTS])> = rows
            .par_iter()
            .enumerate()
            .filter(|(_, r)| !is_template(r) && fold_of(&r.id, k_folds) == k)
            .filter(|(_, r)| STACKED.iter().any(|l| r.labels[l.index()].is_some()))
            .map(|(i, r)| (i, model.stack_inputs(&r.text)))
            .collect();
        for (i, z) in scored {
            oof[i] = Some(z);
        }
        if progress {
            eprintln!("stacking: fold {}/{k_folds} done", k + 1);
        }
    }
    Some(oof)
}

/// The second-stage head of `label`, fitted on the out-of-fold inputs and mapped onto the
/// first stage's scale; `None` when the rows hold only one class.
fn stack_head(
    label: Label,
    rows: &[&Row],
    oof: &[Option<[f32; N_INPUTS]>],
    cfg: &TrainConfig,
) -> Option<(StackHead, serde_json::Value)> {
    let (x, yw): (Vec<[f32; N_INPUTS]>, Vec<(bool, f64)>) = rows
        .iter()
        .zip(oof)
        .filter_map(|(r, x)| Some(((*x)?, (r.labels[label.index()]?, f64::from(r.weight)))))
        .unzip();
    let (y, w): (Vec<bool>, Vec<f64>) = yw.into_iter().unzip();
    if y.iter().all(|&v| v) || !y.iter().any(|&v| v) {
        return None;
    }
    let (coef, bias, iters) = fit_dense_logistic(&x, &y, &w, cfg.stack_c);
    let mut head = StackHead { label, coef, bias };
    // Keep the decision bars meaning what they meant for the first stage: map the stacked
    // log-odds linearly so that, over these (out-of-fold) rows, the share of comments at or
    // over the calibration hold bar and over its reject bar is the same as with the
    // first-stage log-odds. The map is increasing, so every ROC AUC is unchanged.
    let labelled: Vec<[f32; N_INPUTS]> = rows
        .iter()
        .zip(oof)
        .filter(|(r, _)| r.labels[label.index()].is_some())
        .filter_map(|(_, x)| *x)
        .collect();
    // The first-stage log-odds (clipped) are the first six inputs.
    let raw: Vec<f64> = labelled
        .iter()
        .map(|x| f64::from(x[label.index()]))
        .collect();
    let mut stacked: Vec<f64> = labelled.iter().map(|x| f64::from(head.apply(x))).collect();
    let (scale, shift) = first_stage_map(label, &raw, &mut stacked, &cfg.calibration);
    for c in head.coef.iter_mut() {
        *c = (f64::from(*c) * scale) as f32;
    }
    head.bias = (f64::from(head.bias) * scale + shift) as f32;
    let info = serde_json::json!({
        "rows": y.len(),
        "newton_iterations": iters,
        "scale_to_first_stage": scale,
        "shift_to_first_stage": shift,
    });
    Some((head, info))
}

/// `(scale, shift)` such that `scale * stacked + shift` puts as many rows at or over the hold
/// and reject bars of `label` as `raw` does.
fn first_stage_map(
    label: Label,
    raw: &[f64],
    stacked: &mut [f64],
    bars: &crate::domain::Thresholds,
) -> (f64, f64) {
    let logit = |p: f32| f64::from((p / (1.0 - p)).ln());
    let lo = bars.hold.get(&label).copied().unwrap_or(0.5);
    let hi = bars
        .reject
        .get(&label)
        .copied()
        .unwrap_or(0.97)
        .max(lo + 0.01);
    let (zl, zh) = (logit(lo), logit(hi));
    let share =
        |v: &[f64], t: f64| v.iter().filter(|&&x| x >= t).count() as f64 / v.len().max(1) as f64;
    let (p_lo, p_hi) = (share(raw, zl), share(raw, zh));
    let (s1, s2) = (quantile(stacked, 1.0 - p_lo), quantile(stacked, 1.0 - p_hi));
    if s2 - s1 > 1e-6 && p_hi > 0.0 {
        let a = (zh - zl) / (s2 - s1);
        (a, zl - a * s1)
    } else {
        (1.0, 0.0)
    }
}

/// The `q` quantile of `v` (sorts `v`; nearest rank).
fn quantile(v: &mut [f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_unstable_by(f64::total_cmp);
    let i = ((v.len() - 1) as f64 * q).round() as usize;
    v[i.min(v.len() - 1)]
}

/// L2-regularised logistic regression on a few dense inputs (scikit-learn's objective:
/// C x summed row-weighted log loss + 1/2 ||w||^2, unpenalised intercept), by Newton's method.
#[allow(clippy::needless_range_loop)] // index-based linear algebra reads clearer here
fn fit_dense_logistic(
    x: &[[f32; N_INPUTS]],
    y: &[bool],
    row_weight: &[f64],
    c: f64,
) -> ([f32; N_INPUTS], f32, usize) {
    const P: usize = N_INPUTS + 1;
    let mut w = [0f64; P];
    let mut iters = 0;
    for it in 0..50 {
        iters = it + 1;
        let mut g = [0f64; P];
        let mut h = vec![[0f64; P]; P];
        for ((xi, &yi), &rw) in x.iter().zip(y).zip(row_weight) {
            let mut v = [0f64; P];
            for (a, b) in v.iter_mut().zip(xi) {
                *a = f64::from(*b);
            }
            v[N_INPUTS] = 1.0;
            let z: f64 = v.iter().zip(&w).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let r = rw * (p - f64::from(u8::from(yi)));
            let d = rw * (p * (1.0 - p)).max(1e-12);
            for a in 0..P {
                g[a] += c * r * v[a];
                for b in a..P {
                    h[a][b] += c * d * v[a] * v[b];
                }
            }
        }
        for a in 0..P {
            let reg = if a < N_INPUTS { 1.0 } else { 1e-9 };
            g[a] += if a < N_INPUTS { w[a] } else { 0.0 };
            h[a][a] += reg;
            for b in 0..a {
                h[a][b] = h[b][a];
            }
        }
        let step = solve(h, g);
        let mut max_step = 0f64;
        for (wa, sa) in w.iter_mut().zip(&step) {
            *wa -= sa;
            max_step = max_step.max(sa.abs());
        }
        if max_step < 1e-7 {
            break;
        }
    }
    let mut coef = [0f32; N_INPUTS];
    for (c, v) in coef.iter_mut().zip(&w) {
        *c = *v as f32;
    }
    (coef, w[N_INPUTS] as f32, iters)
}

/// Solve the symmetric positive-definite system `h x = g` (Gaussian elimination with partial
/// pivoting; the matrix is tiny).
#[allow(clippy::needless_range_loop)]
fn solve<const P: usize>(mut h: Vec<[f64; P]>, mut g: [f64; P]) -> [f64; P] {
    for col in 0..P {
        let piv = (col..P)
            .max_by(|&a, &b| h[a][col].abs().total_cmp(&h[b][col].abs()))
            .unwrap_or(col);
        h.swap(col, piv);
        g.swap(col, piv);
        let d = h[col][col];
        if d.abs() < 1e-300 {
            continue;
        }
        for r in col + 1..P {
            let f = h[r][col] / d;
            if f != 0.0 {
                for k in col..P {
                    h[r][k] -= f * h[col][k];
                }
                g[r] -= f * g[col];
            }
        }
    }
    let mut x = [0f64; P];
    for r in (0..P).rev() {
        let s: f64 = (r + 1..P).map(|k| h[r][k] * x[k]).sum();
        x[r] = if h[r][r].abs() < 1e-300 {
            0.0
        } else {
            (g[r] - s) / h[r][r]
        };
    }
    x
}

/// The first stage (one head per label) and the network, on `rows`. Squared-hinge heads keep
/// their raw margins with `platt` = None (the folds, whose margins are calibrated afterwards);
/// otherwise they get the given Platt scaling, or one fitted on their own training rows where
/// none is given (no folds to fit it on).
fn train_heads(
    rows: &[&Row],
    spec: &FeatureSpec,
    cfg: &TrainConfig,
    platt: Option<&BTreeMap<Label, (f64, f64)>>,
    progress: bool,
) -> Trained {
    let texts: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
    let m = feature_matrix(rows, &texts, spec, cfg, progress);
    let heads: Vec<HeadData> = Label::ALL
        .into_iter()
        .filter(|l| cfg.only.is_empty() || cfg.only.contains(l))
        .filter_map(|l| head_data(l, rows, cfg))
        .collect();
    let fitted = fit_heads(&m, &heads, cfg, progress);
    let mut weights = Weights {
        buckets: m
            .idf
            .iter()
            .map(|&idf| {
                let mut row = BucketRow::default();
                row.set_idf(idf);
                row
            })
            .collect(),
        bias: [0.0; 6],
        net: None,
        vectors: None,
        stack: Vec::new(),
    };
    let net = network(&m, rows, &texts, cfg, progress, &mut weights);
    let mut labels = Vec::new();
    let mut info = BTreeMap::new();
    for (i, x, rep, secs) in fitted {
        let h = &heads[i];
        let calibrated = store_head(h, x, &m, platt, &mut weights);
        labels.push(h.label);
        info.insert(h.label, head_record(h, cfg, &rep, calibrated, secs));
    }
    labels.sort();
    Trained {
        weights,
        labels,
        heads: info,
        net,
        stack: serde_json::Value::Null,
    }
}

/// The hashed feature matrix of `rows` (`texts` are their texts).
fn feature_matrix(
    rows: &[&Row],
    texts: &[&str],
    spec: &FeatureSpec,
    cfg: &TrainConfig,
    progress: bool,
) -> super::matrix::Matrix {
    let weights: Vec<f32> = rows.iter().map(|r| r.weight).collect();
    let t0 = std::time::Instant::now();
    let m = build_matrix(texts, &weights, spec, cfg.min_df, progress);
    if progress {
        eprintln!(
            "features: {} rows, {} non-zeros, {:.1}s",
            texts.len(),
            m.idx.len(),
            t0.elapsed().as_secs_f64()
        );
    }
    m
}

/// Each head fitted on `m`, side by side: (index in `heads`, coefficients, report, seconds),
/// largest heads first so the two cores finish together.
fn fit_heads(
    m: &super::matrix::Matrix,
    heads: &[HeadData],
    cfg: &TrainConfig,
    progress: bool,
) -> Vec<(usize, Vec<f64>, FitReport, f64)> {
    let pb = bar(heads.len() as u64, "heads", progress);
    let mut order: Vec<usize> = (0..heads.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(heads[i].rows.len()));
    let fitted = order
        .par_iter()
        .map(|&i| {
            let t = std::time::Instant::now();
            let (x, rep) = fit(m, &heads[i], cfg);
            pb.inc(1);
            (i, x, rep, t.elapsed().as_secs_f64())
        })
        .collect();
    pb.finish_and_clear();
    fitted
}

/// What the manifest records of head `h`'s training.
fn head_record(
    h: &HeadData,
    cfg: &TrainConfig,
    rep: &FitReport,
    platt: Option<(f64, f64)>,
    seconds: f64,
) -> serde_json::Value {
    serde_json::json!({
        "rows": h.rows.len(),
        "positives": h.y.iter().filter(|y| **y).count(),
        "per_source": h.summary.iter().map(|(s, (n, p))| (s.clone(), serde_json::json!({"rows": n, "positives": p}))).collect::<BTreeMap<_, _>>(),
        "params": cfg.params(h.label),
        "iterations": rep.iterations,
        "objective": rep.objective,
        "platt": platt.map(|(a, b)| serde_json::json!({"scale": a, "shift": b})),
        "seconds": seconds,
    })
}

/// The network branch, into `weights`; it only feeds the second stage, so it is trained only
/// when there is one. Returns what the manifest records of it.
fn network(
    m: &super::matrix::Matrix,
    rows: &[&Row],
    texts: &[&str],
    cfg: &TrainConfig,
    progress: bool,
    weights: &mut Weights,
) -> serde_json::Value {
    let Some(net_cfg) = cfg.net.filter(|_| cfg.stack_folds >= 2) else {
        return serde_json::Value::Null;
    };
    let t = std::time::Instant::now();
    let dense = cfg
        .vectors
        .as_deref()
        .map(|v| super::vectors::pooled_rows(v, texts));
    let net = super::mlp::train(m, rows, dense.as_ref(), &net_cfg);
    weights.vectors = cfg.vectors.clone();
    weights.net = Some(net);
    if progress {
        eprintln!("network branch: {:.1}s", t.elapsed().as_secs_f64());
    }
    serde_json::json!({"config": net_cfg, "seconds": t.elapsed().as_secs_f64()})
}

/// Head `h`'s fitted coefficients `x` into `weights`, Platt-scaled as [`train_heads`] says;
/// returns the scaling applied.
fn store_head(
    h: &HeadData,
    mut x: Vec<f64>,
    m: &super::matrix::Matrix,
    platt: Option<&BTreeMap<Label, (f64, f64)>>,
    weights: &mut Weights,
) -> Option<(f64, f64)> {
    let buckets = weights.buckets.len();
    let l = h.label.index();
    let calibrated = platt.filter(|_| h.loss == Loss::SquaredHinge).map(|given| {
        let (a, b) = given.get(&h.label).copied().unwrap_or_else(|| {
            let z: Vec<f64> = h.rows.iter().map(|&r| m.margin(r, &x)).collect();
            super::lbfgs::platt(&z, &h.y, &h.w)
        });
        // sigmoid(a (w.x + c) + b) = sigmoid((a w).x + (a c + b)).
        x.iter_mut().for_each(|v| *v *= a);
        x[buckets] += b;
        (a, b)
    });
    for (b, row) in weights.buckets.iter_mut().enumerate() {
        row.set_weight(l, x[b] as f32);
    }
    weights.bias[l] = x[buckets] as f32;
    calibrated
}
