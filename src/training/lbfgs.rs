//! Fitting one head: L2-regularised logistic regression (scikit-learn's objective: C-scaled log
//! loss + 1/2 ||w||^2, unpenalised intercept) minimised by full-batch L-BFGS over the sparse
//! matrix, with optional Naive-Bayes feature scaling folded into the weights afterwards.

use super::config::TrainConfig;
use super::matrix::Matrix;
use super::trainer::HeadData;

pub struct FitReport {
    pub iterations: usize,
    pub objective: f64,
}

/// Objective and gradient: sum_i w_i * logloss(y_i, x_i.beta + b) / lambda_scale + 1/2 ||beta||^2
/// with everything divided by (C * n) so magnitudes stay near 1.
///
/// The passes over the matrix are bound by random reads into weight-sized vectors (8 MB each,
/// far over a core's L2), so each weight and its gradient share a cache line in `xg` (the
/// gradient pass then finds the line the forward pass loaded), and heads without NB scaling
/// skip the scale vector altogether. The arithmetic, and its order, is the plain one: the
/// fitted weights are bit-identical to two separate vectors.
fn objective(
    m: &Matrix,
    h: &HeadData,
    c: f64,
    scale_f: Option<&[f32]>,
    x: &[f64],
    grad: &mut [f64],
    xg: &mut Vec<[f64; 2]>,
) -> f64 {
    let d = x.len() - h.n_bias;
    let n = h.rows.len() as f64;
    let scale = 1.0 / n; // mean weighted loss ...
    let reg = 1.0 / (c * n); // ... plus ||beta||^2 / (2 C n): same optimum as scikit-learn
    xg.clear();
    xg.extend(x[..d].iter().map(|&w| [w, 0.0]));
    let mut gbias = vec![0.0; h.n_bias];
    let loss = match scale_f {
        Some(sf) => matrix_pass(m, h, scale, x, xg, &mut gbias, |j, v| v * sf[j]),
        None => matrix_pass(m, h, scale, x, xg, &mut gbias, |_, v| v),
    };
    let mut norm2 = 0.0;
    for j in 0..d {
        norm2 += x[j] * x[j];
        grad[j] = xg[j][1] + reg * x[j];
    }
    // Per-source intercepts get a whisper of L2 so a one-class source cannot run to infinity.
    let mut bias2 = 0.0;
    for (b, g) in gbias.iter().enumerate() {
        let v = if h.n_bias > 1 { x[d + b] } else { 0.0 };
        grad[d + b] = g + 1e-4 * v;
        bias2 += v * v;
    }
    loss * scale + 0.5 * reg * norm2 + 0.5e-4 * bias2
}

/// One pass over the head's rows: returns the weighted log loss and adds each row's gradient
/// (times `scale`) into `xg[j][1]` and `gbias`. `value(j, v)` is feature j's (scaled) value.
#[inline(always)]
fn matrix_pass(
    m: &Matrix,
    h: &HeadData,
    scale: f64,
    x: &[f64],
    xg: &mut [[f64; 2]],
    gbias: &mut [f64],
    value: impl Fn(usize, f32) -> f32,
) -> f64 {
    let d = xg.len();
    let mut loss = 0.0;
    for (k, &r) in h.rows.iter().enumerate() {
        let (idx, val) = m.row(r);
        let bi = h.bias_of[k] as usize;
        let mut z = x[d + bi];
        for (&j, &v) in idx.iter().zip(val) {
            z += xg[j as usize][0] * f64::from(value(j as usize, v));
        }
        let t = if h.y[k] { 1.0 } else { 0.0 };
        // log(1 + e^z) - t z, computed stably.
        let sp = if z > 0.0 {
            z + (-z).exp().ln_1p()
        } else {
            z.exp().ln_1p()
        };
        loss += h.w[k] * (sp - t * z);
        let p = 1.0 / (1.0 + (-z).exp());
        let gz = h.w[k] * (p - t) * scale;
        gbias[bi] += gz;
        for (&j, &v) in idx.iter().zip(val) {
            xg[j as usize][1] += gz * f64::from(value(j as usize, v));
        }
    }
    loss
}

/// Per-feature scale |ln(p_j / q_j)|^nb where p, q are the smoothed, normalised feature sums
/// over weighted positive and negative rows (all ones when nb = 0).
fn nb_scale(m: &Matrix, h: &HeadData, nb: f64) -> Vec<f32> {
    let d = m.idf.len();
    if nb == 0.0 {
        return vec![1.0; d];
    }
    let mut p = vec![1.0f64; d];
    let mut q = vec![1.0f64; d];
    for (k, &r) in h.rows.iter().enumerate() {
        let (idx, val) = m.row(r);
        let acc = if h.y[k] { &mut p } else { &mut q };
        for (&j, &v) in idx.iter().zip(val) {
            acc[j as usize] += h.w[k] * f64::from(v);
        }
    }
    let (sp, sq): (f64, f64) = (p.iter().sum(), q.iter().sum());
    p.iter()
        .zip(&q)
        .map(|(a, b)| ((a / sp) / (b / sq)).ln().abs().powf(nb) as f32)
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// L-BFGS (two-loop recursion, 10 pairs) with backtracking Armijo line search.
pub fn fit(m: &Matrix, h: &HeadData, cfg: &TrainConfig) -> (Vec<f64>, FitReport) {
    const HISTORY: usize = 10;
    let d = m.idf.len();
    let dim = d + h.n_bias;
    let mut x = vec![0.0; dim];
    // Start each intercept at its rows' weighted log-odds: the optimum for an empty model.
    for b in 0..h.n_bias {
        let (mut wsum, mut wpos) = (0.0, 0.0);
        for k in 0..h.rows.len() {
            if h.bias_of[k] as usize == b {
                wsum += h.w[k];
                if h.y[k] {
                    wpos += h.w[k];
                }
            }
        }
        x[d + b] = ((wpos + 0.5) / (wsum - wpos + 0.5)).ln();
    }
    let mut g = vec![0.0; dim];
    let params = cfg.params(h.label);
    let scale_f = nb_scale(m, h, params.nb);
    let scaled = (params.nb != 0.0).then_some(&scale_f[..]);
    let mut xg = Vec::with_capacity(d);
    let mut f = objective(m, h, params.c, scaled, &x, &mut g, &mut xg);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut rho: Vec<f64> = Vec::new();
    let mut dir = vec![0.0; dim];
    let mut x_new = vec![0.0; dim];
    let mut g_new = vec![0.0; dim];
    let mut alpha = [0.0; HISTORY];
    let mut recent = vec![f];
    let mut iters = 0;
    for it in 0..cfg.max_iter {
        iters = it + 1;
        // dir = -H g
        dir.copy_from_slice(&g);
        let k = s_hist.len();
        for i in (0..k).rev() {
            alpha[i] = rho[i] * dot(&s_hist[i], &dir);
            for (d, y) in dir.iter_mut().zip(&y_hist[i]) {
                *d -= alpha[i] * y;
            }
        }
        let gamma = if k > 0 {
            dot(&s_hist[k - 1], &y_hist[k - 1]) / dot(&y_hist[k - 1], &y_hist[k - 1])
        } else {
            1.0 / dot(&g, &g).sqrt().max(1e-12)
        };
        dir.iter_mut().for_each(|d| *d *= gamma);
        for i in 0..k {
            let beta = rho[i] * dot(&y_hist[i], &dir);
            for (d, s) in dir.iter_mut().zip(&s_hist[i]) {
                *d += (alpha[i] - beta) * s;
            }
        }
        dir.iter_mut().for_each(|d| *d = -*d);
        let mut slope = dot(&g, &dir);
        if slope >= 0.0 {
            // Not a descent direction (numerical trouble): restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            rho.clear();
            let gn = dot(&g, &g).sqrt().max(1e-12);
            for (d, gi) in dir.iter_mut().zip(&g) {
                *d = -gi / gn;
            }
            slope = dot(&g, &dir);
        }
        let mut step = 1.0;
        let mut f_new;
        let mut tries = 0;
        loop {
            for ((xn, xi), di) in x_new.iter_mut().zip(&x).zip(&dir) {
                *xn = xi + step * di;
            }
            f_new = objective(m, h, params.c, scaled, &x_new, &mut g_new, &mut xg);
            if f_new <= f + 1e-4 * step * slope || tries >= 30 {
                break;
            }
            step *= 0.5;
            tries += 1;
        }
        let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 {
            if s_hist.len() == HISTORY {
                s_hist.remove(0);
                y_hist.remove(0);
                rho.remove(0);
            }
            rho.push(1.0 / sy);
            s_hist.push(s);
            y_hist.push(y);
        }
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut g, &mut g_new);
        f = f_new;
        recent.push(f);
        if recent.len() > 5 {
            let old = recent[recent.len() - 6];
            if (old - f).abs() <= cfg.tol * f.abs().max(1e-12) {
                break;
            }
        }
    }
    // Fold the NB scaling into the weights: w . (r * x) = (w * r) . x.
    for (xi, r) in x.iter_mut().zip(&scale_f) {
        *xi *= f64::from(*r);
    }
    // One shipped intercept: the row-weighted mean of the per-source ones.
    if h.n_bias > 1 {
        let mut acc = 0.0;
        let mut wsum = 0.0;
        for k in 0..h.rows.len() {
            acc += h.w[k] * x[d + h.bias_of[k] as usize];
            wsum += h.w[k];
        }
        x[d] = acc / wsum;
    }
    x.truncate(d + 1);
    (
        x,
        FitReport {
            iterations: iters,
            objective: f,
        },
    )
}
