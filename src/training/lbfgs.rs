//! Fitting one head: L2-regularised logistic regression (scikit-learn's objective: C-scaled log
//! loss + 1/2 ||w||^2, unpenalised intercept) or L2-SVM (squared hinge loss, LIBLINEAR's
//! objective) minimised by full-batch L-BFGS over the sparse matrix, with optional Naive-Bayes
//! feature scaling folded into the weights afterwards. An SVM's margins are turned into
//! log-odds by [`platt`], which the trainer fits on out-of-fold margins.

use super::config::{Loss, TrainConfig};
use super::matrix::Matrix;
use super::trainer::HeadData;

pub struct FitReport {
    pub iterations: usize,
    pub objective: f64,
}

/// Objective and gradient: sum_i w_i * loss(y_i, x_i.beta + b) / lambda_scale + 1/2 ||beta||^2
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

/// One pass over the head's rows: returns the weighted loss and adds each row's gradient
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
        let (l, dz) = row_loss(h.loss, h.y[k], z);
        loss += h.w[k] * l;
        let gz = h.w[k] * dz * scale;
        gbias[bi] += gz;
        for (&j, &v) in idx.iter().zip(val) {
            xg[j as usize][1] += gz * f64::from(value(j as usize, v));
        }
    }
    loss
}

/// One row's loss at score `z` and its derivative in `z`.
#[inline(always)]
fn row_loss(kind: Loss, positive: bool, z: f64) -> (f64, f64) {
    match kind {
        Loss::Log => {
            let t = if positive { 1.0 } else { 0.0 };
            // log(1 + e^z) - t z, computed stably.
            let sp = if z > 0.0 {
                z + (-z).exp().ln_1p()
            } else {
                z.exp().ln_1p()
            };
            (sp - t * z, 1.0 / (1.0 + (-z).exp()) - t)
        }
        Loss::SquaredHinge => {
            let s = if positive { 1.0 } else { -1.0 };
            let gap = (1.0 - s * z).max(0.0);
            (gap * gap, -2.0 * s * gap)
        }
    }
}

/// Platt scaling: the `(a, b)` that make `sigmoid(a z + b)` the best weighted log-loss fit of
/// the labels given scores `z` (Newton's method on two parameters), with Platt's smoothed
/// targets `(n+ + 1) / (n+ + 2)` and `1 / (n- + 2)` so that separable scores still give a
/// finite map. `(1, 0)` if it cannot find a finite, increasing map, which leaves the scores as
/// they are.
pub(crate) fn platt(z: &[f64], y: &[bool], w: &[f64]) -> (f64, f64) {
    let pos: f64 = y.iter().zip(w).filter(|p| *p.0).map(|p| p.1).sum();
    let neg: f64 = w.iter().sum::<f64>() - pos;
    let (t_pos, t_neg) = ((pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0));
    let (mut a, mut b) = (1.0f64, 0.0f64);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
        for ((&zi, &yi), &wi) in z.iter().zip(y).zip(w) {
            let p = 1.0 / (1.0 + (-(a * zi + b)).exp());
            let r = wi * (p - if yi { t_pos } else { t_neg });
            let q = wi * p * (1.0 - p);
            ga += r * zi;
            gb += r;
            haa += q * zi * zi;
            hab += q * zi;
            hbb += q;
        }
        let det = haa * hbb - hab * hab;
        if det.is_nan() || det <= 0.0 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        a -= da;
        b -= db;
        if da.abs() + db.abs() < 1e-10 {
            break;
        }
    }
    if a.is_finite() && b.is_finite() && a > 0.0 {
        (a, b)
    } else {
        (1.0, 0.0)
    }
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
///
/// One function on purpose: the recursion, the line search and the stopping tests share the
/// iterate, its gradient and the history; split, they would pass all of it back and forth.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platt_recovers_the_map_that_generated_the_labels() {
        // Labels drawn as sigmoid(2 z - 1): every z gets positives in that proportion.
        let (mut z, mut y) = (Vec::new(), Vec::new());
        for i in 0..41 {
            let zi = -2.0 + 0.1 * f64::from(i);
            let p = 1.0 / (1.0 + (1.0 - 2.0 * zi).exp());
            let positives = (p * 1000.0).round() as usize;
            for k in 0..1000 {
                z.push(zi);
                y.push(k < positives);
            }
        }
        let (a, b) = platt(&z, &y, &vec![1.0; z.len()]);
        assert!((a - 2.0).abs() < 0.02 && (b + 1.0).abs() < 0.02, "{a} {b}");
        // Perfectly separated scores still give a finite, increasing map.
        let (a, b) = platt(
            &[-1.0, -0.5, 0.5, 1.0],
            &[false, false, true, true],
            &[1.0; 4],
        );
        assert!(a > 0.0 && a.is_finite() && b.is_finite(), "{a} {b}");
    }

    #[test]
    fn squared_hinge_loss_and_slope() {
        assert_eq!(row_loss(Loss::SquaredHinge, true, 2.0), (0.0, 0.0));
        assert_eq!(row_loss(Loss::SquaredHinge, true, 0.0), (1.0, -2.0));
        assert_eq!(row_loss(Loss::SquaredHinge, false, 0.5), (2.25, 3.0));
        let (l, d) = row_loss(Loss::Log, true, 0.0);
        assert!((l - 2f64.ln()).abs() < 1e-12 && (d + 0.5).abs() < 1e-12);
    }
}
