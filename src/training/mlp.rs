//! Training the network branch ([`crate::model::mlp::Mlp`]): masked multi-task log loss (a row
//! teaches only the labels it is labelled for, scaled by its weight), plain SGD with a linearly
//! decaying step, optional hidden dropout. Deterministic: fixed seed, fixed shuffle, one thread.

use super::dataset::Row;
use super::matrix::Matrix;
use crate::model::mlp::Mlp;

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct MlpConfig {
    /// Input table rows: buckets are folded to 2^bits.
    pub bits: u32,
    pub hidden: usize,
    pub epochs: usize,
    /// Initial step; decays linearly to 0 over all epochs.
    pub lr: f32,
    /// Share of hidden units dropped per training row.
    pub dropout: f32,
    pub seed: u64,
    /// Step of the word-vector input weights relative to `lr`.
    pub dense_lr: f32,
    /// Networks trained from different seeds (`seed`, `seed + 2`, ...) whose log-odds are
    /// averaged; shipped as one network with their hidden units side by side.
    pub nets: usize,
}

/// Chosen on a validation slice of the training rows (models/README.md): two epochs (six
/// overfit: training loss 0.06); wider, deeper-trained or dropout variants did no better, but
/// the average of two networks from different seeds did (+0.0011 abuse over three seeds).
impl Default for MlpConfig {
    fn default() -> Self {
        Self {
            bits: 17,
            hidden: 32,
            epochs: 2,
            lr: 0.2,
            dropout: 0.0,
            seed: 0x7a1b_ac4b,
            dense_lr: 1.0,
            nets: 2,
        }
    }
}

/// xorshift64*: a fixed, seedable stream; the quality needed here is "not patterned". In-tree
/// rather than `rand`'s `StdRng`, whose algorithm may change between releases: `talkback train`
/// must keep reproducing the shipped weights bit for bit.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Fisher-Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Every training row's pooled word vectors (`[row][dims]`), standardised for training:
/// the network sees `(x - mean) * scale`, which is folded into the shipped weights.
pub struct DenseRows {
    pub dims: usize,
    pub x: Vec<f32>,
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
}

impl DenseRows {
    /// Standardise raw pooled vectors. Each input gets unit variance divided by sqrt(dims), so
    /// the whole block moves a hidden unit about as much as a comment's (L2-normalised) sparse
    /// features do and one step size suits both. An input that never varies in training gets
    /// scale 0: it teaches nothing, and a large scale would let its untrained weights blow up
    /// on the first comment where it does vary.
    pub fn standardise(dims: usize, mut x: Vec<f32>) -> Self {
        let n = (x.len() / dims.max(1)).max(1) as f64;
        let mut mean = vec![0f64; dims];
        let mut sq = vec![0f64; dims];
        for row in x.chunks_exact(dims) {
            for ((m, s), &v) in mean.iter_mut().zip(sq.iter_mut()).zip(row) {
                *m += f64::from(v);
                *s += f64::from(v) * f64::from(v);
            }
        }
        let block = 1.0 / (dims as f64).sqrt();
        let mean: Vec<f32> = mean.iter().map(|m| (m / n) as f32).collect();
        let scale: Vec<f32> = sq
            .iter()
            .zip(&mean)
            .map(|(s, &m)| {
                let var = s / n - f64::from(m) * f64::from(m);
                if var > 1e-12 {
                    (block / var.sqrt()) as f32
                } else {
                    0.0
                }
            })
            .collect();
        for row in x.chunks_exact_mut(dims) {
            for ((v, m), sc) in row.iter_mut().zip(&mean).zip(&scale) {
                *v = (*v - m) * sc;
            }
        }
        Self {
            dims,
            x,
            mean,
            scale,
        }
    }

    fn row(&self, i: usize) -> &[f32] {
        &self.x[i * self.dims..][..self.dims]
    }
}

/// The network while it trains: float weights, quantised once at the end.
struct Net {
    h: usize,
    mask: u32,
    w1: Vec<f32>,
    b1: Vec<f32>,
    /// `[input][hidden]` over standardised pooled word vectors.
    dense: Vec<f32>,
    w2: Vec<f32>,
    b2: [f32; 6],
}

impl Net {
    fn hidden_into(&self, idx: &[u32], val: &[f32], pooled: &[f32], a: &mut [f32]) {
        a.copy_from_slice(&self.b1);
        for (&b, &v) in idx.iter().zip(val) {
            let row = &self.w1[(b & self.mask) as usize * self.h..][..self.h];
            for (x, w) in a.iter_mut().zip(row) {
                *x += v * w;
            }
        }
        for (&v, row) in pooled.iter().zip(self.dense.chunks_exact(self.h)) {
            for (x, w) in a.iter_mut().zip(row) {
                *x += v * w;
            }
        }
    }
}

/// Train on `rows` (matrix row i is `rows[i]`, dense row i its pooled word vectors). Weights
/// come back as they ship.
pub fn train(m: &Matrix, rows: &[&Row], dense: Option<&DenseRows>, cfg: &MlpConfig) -> Mlp {
    use rayon::prelude::*;
    let nets: Vec<Net> = (0..cfg.nets.max(1) as u64)
        .into_par_iter()
        .map(|k| train_one(m, rows, dense, cfg, cfg.seed.wrapping_add(2 * k)))
        .collect();
    merge(&nets, cfg.bits)
}

/// Several networks as one: hidden units side by side, output weights divided by their number,
/// so the log-odds are the networks' average and scoring is one wider network (each table row
/// still one cache line).
fn merge(nets: &[Net], bits: u32) -> Mlp {
    let k = nets.len() as f32;
    let hidden: usize = nets.iter().map(|n| n.h).sum();
    let rows = nets[0].w1.len() / nets[0].h;
    let inputs = nets[0].dense.len() / nets[0].h;
    let side_by_side = |get: &dyn Fn(&Net) -> &[f32], chunks: usize| -> Vec<f32> {
        let mut out = Vec::with_capacity(chunks * hidden);
        for c in 0..chunks {
            for n in nets {
                out.extend_from_slice(&get(n)[c * n.h..][..n.h]);
            }
        }
        out
    };
    let w1 = side_by_side(&|n| &n.w1, rows);
    let dense = side_by_side(&|n| &n.dense, inputs);
    let mut w2 = side_by_side(&|n| &n.w2, 6);
    w2.iter_mut().for_each(|w| *w /= k);
    let b2 = std::array::from_fn(|l| nets.iter().map(|n| n.b2[l]).sum::<f32>() / k);
    let (w1, w1_scale) = Mlp::quantize_rows(&w1, hidden);
    Mlp {
        bits,
        hidden,
        w1: crate::model::mlp::Int8Table::from_slice(0, &w1),
        w1_scale,
        b1: side_by_side(&|n| &n.b1, 1),
        dense,
        w2,
        b2,
    }
}

/// One network trained by SGD over the rows. One loop on purpose: forward pass, backward pass
/// and the sparse updates share the hidden activations and the gradient buffers of each row.
fn train_one(
    m: &Matrix,
    rows: &[&Row],
    dense: Option<&DenseRows>,
    cfg: &MlpConfig,
    seed: u64,
) -> Net {
    let h = cfg.hidden.max(1);
    let mut rng = Rng(seed | 1);
    let mut net = Net {
        h,
        mask: (1u32 << cfg.bits) - 1,
        w1: (0..(1usize << cfg.bits) * h)
            .map(|_| (rng.unit() * 2.0 - 1.0) * 0.1)
            .collect(),
        b1: vec![0.0; h],
        dense: (0..dense.map_or(0, |d| d.dims) * h)
            .map(|_| (rng.unit() * 2.0 - 1.0) * 0.1)
            .collect(),
        w2: (0..6 * h)
            .map(|_| (rng.unit() * 2.0 - 1.0) / (h as f32).sqrt())
            .collect(),
        b2: [0.0; 6],
    };
    let mut order: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].labels.iter().any(Option::is_some))
        .collect();
    let total = (cfg.epochs * order.len()).max(1) as f32;
    let mut step = 0usize;
    let (mut a, mut dh) = (vec![0f32; h], vec![0f32; h]);
    let keep = 1.0 / (1.0 - cfg.dropout.clamp(0.0, 0.9));
    for _ in 0..cfg.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &r in &order {
            let lr = cfg.lr * (1.0 - step as f32 / total);
            step += 1;
            let (idx, val) = m.row(r);
            let pooled = dense.map_or(&[][..], |d| d.row(r));
            net.hidden_into(idx, val, pooled, &mut a);
            if cfg.dropout > 0.0 {
                for x in a.iter_mut() {
                    *x = if rng.unit() < cfg.dropout {
                        0.0
                    } else {
                        *x * keep
                    };
                }
            }
            dh.fill(0.0);
            for (l, y) in rows[r].labels.iter().enumerate() {
                let Some(y) = *y else { continue };
                let w = &mut net.w2[l * h..][..h];
                let z = net.b2[l]
                    + a.iter()
                        .zip(w.iter())
                        .map(|(x, w)| x.max(0.0) * w)
                        .sum::<f32>();
                let dz = rows[r].weight * (1.0 / (1.0 + (-z).exp()) - f32::from(u8::from(y)));
                for ((d, wv), x) in dh.iter_mut().zip(w.iter_mut()).zip(&a) {
                    *d += dz * *wv;
                    *wv -= lr * dz * x.max(0.0);
                }
                net.b2[l] -= lr * dz;
            }
            for (d, x) in dh.iter_mut().zip(&a) {
                if *x <= 0.0 {
                    *d = 0.0;
                }
            }
            for (b, d) in net.b1.iter_mut().zip(&dh) {
                *b -= lr * d;
            }
            for (&b, &v) in idx.iter().zip(val) {
                let row = &mut net.w1[(b & net.mask) as usize * h..][..h];
                for (w, d) in row.iter_mut().zip(&dh) {
                    *w -= lr * v * d;
                }
            }
            let dense_lr = lr * cfg.dense_lr;
            for (&v, row) in pooled.iter().zip(net.dense.chunks_exact_mut(h)) {
                for (w, d) in row.iter_mut().zip(&dh) {
                    *w -= dense_lr * v * d;
                }
            }
        }
    }
    // Fold the standardisation in: the shipped network reads raw pooled vectors.
    if let Some(d) = dense {
        for ((row, m), sc) in net.dense.chunks_exact_mut(h).zip(&d.mean).zip(&d.scale) {
            for (w, b) in row.iter_mut().zip(net.b1.iter_mut()) {
                *w *= sc;
                *b -= m * *w;
            }
        }
    }
    net
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardising_gives_unit_variance_over_sqrt_dims_and_ignores_constant_inputs() {
        // Two inputs over four rows: the first varies (mean 2, sd 1), the second never does.
        let d = DenseRows::standardise(2, vec![1.0, 5.0, 3.0, 5.0, 1.0, 5.0, 3.0, 5.0]);
        let block = 1.0 / 2f32.sqrt();
        assert_eq!(d.mean, vec![2.0, 5.0]);
        assert!((d.scale[0] - block).abs() < 1e-6, "{:?}", d.scale);
        assert_eq!(d.scale[1], 0.0);
        assert!((d.row(0)[0] + block).abs() < 1e-6 && d.row(0)[1] == 0.0);
    }
}
