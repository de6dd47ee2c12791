//! The network branch: one hidden ReLU layer over the same hashed TF-IDF features as the linear
//! heads (buckets folded to `2^bits` rows), one logistic output per label. Its six log-odds are
//! extra inputs to the second stage (see [`super::stack`]): where the linear heads can only add
//! word evidence, the hidden units can combine it (a group word *and* a verb of violence; the
//! register of a tweet versus a news comment), and the second stage learns how far to trust
//! each view.
//!
//! The input table is int8 with one f32 scale per row: a row is then 32 bytes (half a cache
//! line) instead of 128, which is what the scorer's time goes on — one random row fetch per
//! feature. The table is aligned to a cache line, so a row of 32 or 64 units is always one line
//! (from an ordinary allocation half the 32-byte rows and nearly all 64-byte rows straddle two).

use super::features::Feat;
use aligned_vec::{AVec, ConstAlign};

/// The input table's storage: int8 weights whose first row starts on a 64-byte cache line
/// (`aligned-vec`: an aligned `Vec` without unsafe code of our own).
pub type Int8Table = AVec<i8, ConstAlign<64>>;

#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    pub bits: u32,
    pub hidden: usize,
    /// Input table, `[bucket & mask][hidden]`, row `r` worth `w1[r][j] as f32 * w1_scale[r]`.
    pub w1: Int8Table,
    pub w1_scale: Vec<f32>,
    pub b1: Vec<f32>,
    /// `[input][hidden]` for the pooled word vectors (format 4; empty when the model has
    /// none), standardisation folded in.
    pub dense: Vec<f32>,
    /// `[label][hidden]`, labels in [`crate::domain::Label::ALL`] order.
    pub w2: Vec<f32>,
    pub b2: [f32; 6],
}

/// Largest hidden layer a model file may declare (keeps a hostile file from asking for a huge
/// allocation before the size check).
pub const MAX_HIDDEN: usize = 256;
/// Largest input table a model file may declare.
pub const MAX_BITS: u32 = 22;

impl Mlp {
    /// Quantise a float input table (`[row][hidden]`) to int8 with one scale per row.
    pub fn quantize_rows(w1: &[f32], hidden: usize) -> (Vec<i8>, Vec<f32>) {
        let mut q = Vec::with_capacity(w1.len());
        let mut scales = Vec::with_capacity(w1.len() / hidden.max(1));
        for row in w1.chunks(hidden.max(1)) {
            let max = row.iter().fold(0f32, |m, w| m.max(w.abs()));
            let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
            scales.push(scale);
            q.extend(
                row.iter()
                    .map(|w| (w / scale).round().clamp(-127.0, 127.0) as i8),
            );
        }
        (q, scales)
    }

    /// Hidden pre-activations for a comment's weighted features. The loop is the network's
    /// whole cost; built for the baseline x86-64 target it converts int8 with SSE2 shuffles, so
    /// CPUs with AVX2 (checked once, cached by std) get a copy compiled for it.
    fn hidden_into(&self, feats: &[Feat], pooled: &[f32], a: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports AVX2 and FMA, checked just above.
            return unsafe { self.hidden_into_avx2(feats, pooled, a) };
        }
        self.hidden_into_portable(feats, pooled, a)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn hidden_into_avx2(&self, feats: &[Feat], pooled: &[f32], a: &mut [f32]) {
        self.hidden_into_portable(feats, pooled, a)
    }

    #[inline(always)]
    fn hidden_into_portable(&self, feats: &[Feat], pooled: &[f32], a: &mut [f32]) {
        let (mask, h) = ((1u32 << self.bits) - 1, self.hidden);
        a.copy_from_slice(&self.b1);
        for (i, f) in feats.iter().enumerate() {
            // Each feature's row is a random read from a 4-8 MB table; the loop's own work
            // per row keeps too few of those reads in flight, so the row 16 features ahead is
            // requested now (300 characters, 64 units: ~51 -> ~44 us a comment).
            #[cfg(target_arch = "x86_64")]
            if let Some(ahead) = feats.get(i + 16) {
                use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
                let row = &self.w1[(ahead.bucket & mask) as usize * h..];
                // SAFETY: SSE is part of the x86-64 baseline, and a prefetch never faults.
                unsafe { _mm_prefetch::<_MM_HINT_T0>(row.as_ptr()) };
            }
            let r = (f.bucket & mask) as usize;
            let v = f.value * self.w1_scale[r];
            for (x, &w) in a.iter_mut().zip(&self.w1[r * h..][..h]) {
                *x += v * f32::from(w);
            }
        }
        for (&v, row) in pooled.iter().zip(self.dense.chunks_exact(h)) {
            for (x, &w) in a.iter_mut().zip(row) {
                *x += v * w;
            }
        }
    }

    /// Width of the pooled word-vector input this network reads (0 = none).
    pub fn dense_inputs(&self) -> usize {
        self.dense.len() / self.hidden.max(1)
    }

    /// Log-odds for a comment's weighted features and pooled word vectors (empty when the
    /// network has no dense input); `a` is scratch space.
    pub fn logits(&self, feats: &[Feat], pooled: &[f32], a: &mut Vec<f32>) -> [f32; 6] {
        a.resize(self.hidden, 0.0);
        self.hidden_into(feats, pooled, a);
        let mut z = self.b2;
        for (l, zl) in z.iter_mut().enumerate() {
            let w = &self.w2[l * self.hidden..][..self.hidden];
            *zl += a.iter().zip(w).map(|(x, w)| x.max(0.0) * w).sum::<f32>();
        }
        z
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int8_rows_reconstruct_within_half_a_step() {
        let w1 = [0.5, -0.25, 0.001, 0.0, 0.0, 0.0, -3.0, 2.0, 0.7];
        let (q, scales) = Mlp::quantize_rows(&w1, 3);
        assert_eq!(scales.len(), 3);
        assert_eq!(scales[1], 1.0, "an all-zero row keeps a harmless scale");
        for (k, w) in w1.iter().enumerate() {
            let back = f32::from(q[k]) * scales[k / 3];
            assert!(
                (back - w).abs() <= scales[k / 3] / 2.0 + 1e-7,
                "{w} -> {back}"
            );
        }
        assert_eq!(
            q[6], -127,
            "the largest weight of a row uses the full range"
        );
    }
}
