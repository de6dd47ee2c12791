//! The numeric kernels of the encoder's forward pass: matrix products through `gemm` (which picks
//! its AVX2/AVX-512 micro-kernels at run time) and the element-wise steps (bias, GELU, softmax,
//! layer norm) as loops over slices. The element-wise loops are compiled twice, for the baseline
//! target and with AVX2+FMA enabled, and the second is used where the CPU has it: the baseline
//! x86-64 target only vectorises 4 lanes wide and has no fused multiply-add.

pub use gemm::Parallelism;

/// Where a strided matrix lies in a slice: element `(r, c)` is `data[offset + r * rs + c * cs]`.
#[derive(Clone, Copy)]
pub struct Layout {
    pub offset: usize,
    pub rows: usize,
    pub cols: usize,
    pub rs: usize,
    pub cs: usize,
}

impl Layout {
    /// A contiguous row-major `rows x cols` matrix at the start of its slice.
    pub fn rows(rows: usize, cols: usize) -> Layout {
        Layout {
            offset: 0,
            rows,
            cols,
            rs: cols,
            cs: 1,
        }
    }

    /// Whether every element lies inside a slice of `len` elements.
    fn fits(&self, len: usize) -> bool {
        if self.rows == 0 || self.cols == 0 {
            return self.offset <= len;
        }
        let last = (self.rows - 1)
            .checked_mul(self.rs)
            .and_then(|r| {
                (self.cols - 1)
                    .checked_mul(self.cs)
                    .and_then(|c| r.checked_add(c))
            })
            .and_then(|rc| rc.checked_add(self.offset));
        matches!(last, Some(last) if last < len)
    }
}

/// A matrix read from a slice.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub data: &'a [f32],
    pub at: Layout,
}

impl<'a> View<'a> {
    /// A contiguous row-major `rows x cols` matrix at the start of `data`.
    pub fn rows(data: &'a [f32], rows: usize, cols: usize) -> View<'a> {
        View {
            data,
            at: Layout::rows(rows, cols),
        }
    }
}

/// The destination of a product: as [`View`], writable.
pub struct ViewMut<'a> {
    pub data: &'a mut [f32],
    pub at: Layout,
}

impl<'a> ViewMut<'a> {
    pub fn rows(data: &'a mut [f32], rows: usize, cols: usize) -> ViewMut<'a> {
        ViewMut {
            data,
            at: Layout::rows(rows, cols),
        }
    }
}

/// `dst = scale * lhs · rhs`.
///
/// # Panics
/// If the shapes disagree or a view reaches past its slice: the callers size every buffer from
/// the model's own dimensions, so either is a bug, and `gemm` must never be handed one.
pub fn matmul(dst: ViewMut<'_>, lhs: View<'_>, rhs: View<'_>, scale: f32, par: Parallelism) {
    let (d, l, r) = (dst.at, lhs.at, rhs.at);
    assert!(
        l.rows == d.rows && r.cols == d.cols && l.cols == r.rows,
        "matmul shapes: ({}x{}) · ({}x{}) into ({}x{})",
        l.rows,
        l.cols,
        r.rows,
        r.cols,
        d.rows,
        d.cols
    );
    assert!(
        l.fits(lhs.data.len()) && r.fits(rhs.data.len()),
        "matmul operand out of bounds"
    );
    assert!(d.fits(dst.data.len()), "matmul destination out of bounds");
    if d.rows == 0 || d.cols == 0 {
        return;
    }
    // SAFETY: every element gemm touches lies inside its slice (checked above); `dst` is a
    // unique borrow, so it cannot alias `lhs` or `rhs`; `read_dst` is false, so the
    // destination's old contents are never read (alpha is ignored).
    unsafe {
        gemm::gemm(
            d.rows,
            d.cols,
            l.cols,
            dst.data.as_mut_ptr().add(d.offset),
            d.cs as isize,
            d.rs as isize,
            false,
            lhs.data.as_ptr().add(l.offset),
            l.cs as isize,
            l.rs as isize,
            rhs.data.as_ptr().add(r.offset),
            r.cs as isize,
            r.rs as isize,
            0.0,
            scale,
            false,
            false,
            false,
            par,
        );
    }
}

#[cfg(target_arch = "x86_64")]
fn has_avx2() -> bool {
    std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
}

/// Defines `pub fn $name` that runs its body compiled with AVX2+FMA where the CPU has them and
/// as plain code elsewhere.
macro_rules! dispatched {
    ($(#[$meta:meta])* pub fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$meta])*
        pub fn $name($($arg: $ty),*) {
            #[inline(always)]
            fn body($($arg: $ty),*) $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2,fma")]
                unsafe fn avx2($($arg: $ty),*) {
                    body($($arg),*)
                }
                if has_avx2() {
                    // SAFETY: the CPU has both features (checked just above).
                    unsafe { avx2($($arg),*) };
                    return;
                }
            }
            body($($arg),*)
        }
    };
}

/// The activation between a layer's two feed-forward products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// `x Φ(x)` through `erf`, as BERT defines GELU.
    Gelu,
    /// The `tanh` approximation of GELU.
    GeluTanh,
    Relu,
}

dispatched! {
    /// Adds `bias` to every row of `x` (rows of `bias.len()`) and applies `act`.
    pub fn bias_activation(x: &mut [f32], bias: &[f32], act: Activation) {
        if bias.is_empty() {
            return;
        }
        for row in x.chunks_exact_mut(bias.len()) {
            match act {
                Activation::Gelu => {
                    for (v, b) in row.iter_mut().zip(bias) {
                        *v = gelu(*v + b);
                    }
                }
                Activation::GeluTanh => {
                    for (v, b) in row.iter_mut().zip(bias) {
                        *v = gelu_tanh(*v + b);
                    }
                }
                Activation::Relu => {
                    for (v, b) in row.iter_mut().zip(bias) {
                        *v = (*v + b).max(0.0);
                    }
                }
            }
        }
    }
}

dispatched! {
    /// Adds `bias` to every row of `x` (rows of `bias.len()`).
    pub fn add_bias(x: &mut [f32], bias: &[f32]) {
        if bias.is_empty() {
            return;
        }
        for row in x.chunks_exact_mut(bias.len()) {
            for (v, b) in row.iter_mut().zip(bias) {
                *v += b;
            }
        }
    }
}

dispatched! {
    /// Row by row: `x = layer_norm(x + y + bias)` (a residual connection, then the norm); `y`
    /// is left holding the sum. Rows are `bias.len()` long.
    pub fn residual_layer_norm(
        x: &mut [f32],
        y: &mut [f32],
        bias: &[f32],
        gamma: &[f32],
        beta: &[f32],
        eps: f32,
    ) {
        if bias.is_empty() {
            return;
        }
        for (xr, yr) in x.chunks_exact_mut(bias.len()).zip(y.chunks_exact_mut(bias.len())) {
            for ((s, r), b) in yr.iter_mut().zip(xr.iter()).zip(bias) {
                *s += r + b;
            }
            normalize(yr, xr, gamma, beta, eps);
        }
    }
}

dispatched! {
    /// Layer norm of every row of `x` in place (rows of `gamma.len()`).
    pub fn layer_norm(x: &mut [f32], gamma: &[f32], beta: &[f32], eps: f32) {
        if gamma.is_empty() {
            return;
        }
        for row in x.chunks_exact_mut(gamma.len()) {
            let (mean, inv) = moments(row, eps);
            for ((v, g), b) in row.iter_mut().zip(gamma).zip(beta) {
                *v = (*v - mean) * inv * g + b;
            }
        }
    }
}

dispatched! {
    /// Softmax of every row of `x` (rows of `width`) in place.
    pub fn softmax_rows(x: &mut [f32], width: usize) {
        if width == 0 {
            return;
        }
        for row in x.chunks_exact_mut(width) {
            let max = row.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
            for v in row.iter_mut() {
                *v = exp(*v - max);
            }
            let inv = 1.0 / sum(row);
            for v in row.iter_mut() {
                *v *= inv;
            }
        }
    }
}

dispatched! {
    /// The mean of the rows of `x` (rows of `out.len()`) into `out`.
    pub fn mean_rows(x: &[f32], out: &mut [f32]) {
        out.fill(0.0);
        if out.is_empty() {
            return;
        }
        let rows = x.len() / out.len();
        for row in x.chunks_exact(out.len()) {
            for (o, v) in out.iter_mut().zip(row) {
                *o += v;
            }
        }
        let inv = 1.0 / rows.max(1) as f32;
        for o in out.iter_mut() {
            *o *= inv;
        }
    }
}

/// `out = (row - mean) / sqrt(var + eps) * gamma + beta`.
#[inline(always)]
fn normalize(row: &[f32], out: &mut [f32], gamma: &[f32], beta: &[f32], eps: f32) {
    let (mean, inv) = moments(row, eps);
    for (((o, v), g), b) in out.iter_mut().zip(row).zip(gamma).zip(beta) {
        *o = (v - mean) * inv * g + b;
    }
}

/// The mean of `row` and `1 / sqrt(variance + eps)`.
#[inline(always)]
fn moments(row: &[f32], eps: f32) -> (f32, f32) {
    let n = row.len() as f32;
    let mean = sum(row) / n;
    let mut acc = [0f32; LANES];
    let mut chunks = row.chunks_exact(LANES);
    for c in &mut chunks {
        for (a, v) in acc.iter_mut().zip(c) {
            let d = v - mean;
            *a += d * d;
        }
    }
    let mut var: f32 = acc.iter().sum();
    for v in chunks.remainder() {
        let d = v - mean;
        var += d * d;
    }
    (mean, 1.0 / (var / n + eps).sqrt())
}

/// Accumulators a sum keeps side by side, so the compiler can keep them in one vector register
/// (it may not reorder a single running float sum).
const LANES: usize = 8;

#[inline(always)]
fn sum(x: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    let mut chunks = x.chunks_exact(LANES);
    for c in &mut chunks {
        for (a, v) in acc.iter_mut().zip(c) {
            *a += v;
        }
    }
    acc.iter().sum::<f32>() + chunks.remainder().iter().sum::<f32>()
}

/// `e^x` to about 2 ulp for `x` in [-87, 88] (clamped outside it), branch-free so that loops
/// over it vectorise: `x = n ln 2 + r` with `|r| <= ln 2 / 2`, `e^r` by a degree-7 polynomial
/// (Cephes' `expf`), `2^n` by writing the exponent bits.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // Adding 1.5 * 2^23 rounds to an integer, which then sits in the low mantissa bits.
    const ROUND: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    let t = x * std::f32::consts::LOG2_E + ROUND;
    let n = t - ROUND;
    let r = x - n * LN2_HI - n * LN2_LO;
    let mut p = 1.987_569_1e-4;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 0.5;
    let er = p * r * r + r + 1.0;
    let pow2n = f32::from_bits(t.to_bits().wrapping_sub(ROUND.to_bits()).wrapping_add(127) << 23);
    er * pow2n
}

/// `erf(x)` to within 1e-7 as a rational function (Eigen's `generic_fast_erf_float`
/// coefficients); `|x| > 4` is ±1 in f32.
#[inline(always)]
pub fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = -2.726_142_3e-10;
    p = p * x2 + 2.770_681_4e-8;
    p = p * x2 - 2.101_024e-6;
    p = p * x2 - 5.692_506_4e-5;
    p = p * x2 - 7.349_906_3e-4;
    p = p * x2 - 2.954_6e-3;
    p = p * x2 - 1.609_603_3e-2;
    let mut q = -1.456_607_2e-5;
    q = q * x2 - 2.133_740_6e-4;
    q = q * x2 - 1.682_827e-3;
    q = q * x2 - 7.373_329e-3;
    q = q * x2 - 1.426_474e-2;
    x * p / q
}

#[inline(always)]
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

#[inline(always)]
fn gelu_tanh(x: f32) -> f32 {
    const SQRT_2_OVER_PI: f32 = 0.797_884_6;
    0.5 * x * (1.0 + (SQRT_2_OVER_PI * (x + 0.044_715 * x * x * x)).tanh())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_matches_the_standard_library() {
        let mut worst = 0f32;
        for i in -87_000..=88_000 {
            let x = i as f32 / 1000.0;
            let (got, want) = (exp(x), x.exp());
            worst = worst.max(((got - want) / want).abs());
        }
        assert!(worst < 4e-7, "relative error {worst}");
        assert!(exp(f32::NEG_INFINITY) < 1e-37);
        assert!(exp(-1000.0) < 1e-37);
    }

    #[test]
    fn erf_matches_a_series() {
        // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)), in f64, where it converges.
        let series = |x: f64| {
            let (mut term, mut total) = (x, x);
            for n in 1..200 {
                term *= -x * x / n as f64;
                total += term / (2 * n + 1) as f64;
            }
            total * 2.0 / std::f64::consts::PI.sqrt()
        };
        for i in -300..=300 {
            let x = i as f64 / 100.0;
            let diff = (f64::from(erf(x as f32)) - series(x)).abs();
            assert!(diff < 3e-7, "erf({x}) off by {diff}");
        }
        assert!((erf(10.0) - 1.0).abs() < 2e-7 && (erf(-10.0) + 1.0).abs() < 2e-7);
    }

    #[test]
    fn softmax_and_layer_norm_agree_with_plain_formulas() {
        let mut x: Vec<f32> = (0..30).map(|i| (i as f32 * 0.37).sin() * 5.0).collect();
        let plain: Vec<f32> = x
            .chunks(10)
            .flat_map(|r| {
                let m = r.iter().cloned().fold(f32::MIN, f32::max);
                let s: f32 = r.iter().map(|v| (v - m).exp()).sum();
                r.iter().map(move |v| (v - m).exp() / s).collect::<Vec<_>>()
            })
            .collect();
        softmax_rows(&mut x, 10);
        for (a, b) in x.iter().zip(&plain) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }

        let gamma: Vec<f32> = (0..10).map(|i| 1.0 + i as f32 / 10.0).collect();
        let beta: Vec<f32> = (0..10).map(|i| i as f32 / 100.0).collect();
        let mut y: Vec<f32> = (0..20).map(|i| (i as f32).cos() * 3.0).collect();
        let want: Vec<f32> = y
            .chunks(10)
            .flat_map(|r| {
                let m = r.iter().sum::<f32>() / 10.0;
                let v = r.iter().map(|a| (a - m) * (a - m)).sum::<f32>() / 10.0;
                let (g, b) = (gamma.clone(), beta.clone());
                r.iter()
                    .enumerate()
                    .map(move |(i, a)| (a - m) / (v + 1e-12).sqrt() * g[i] + b[i])
                    .collect::<Vec<_>>()
            })
            .collect();
        layer_norm(&mut y, &gamma, &beta, 1e-12);
        for (a, b) in y.iter().zip(&want) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
    }

    #[test]
    fn matmul_follows_the_strides() {
        // lhs 2x3; rhs 3x2 read column by column from [[1, 0, 1], [2, 1, 0]], i.e.
        // [[1, 2], [0, 1], [1, 0]].
        let lhs = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let rhs_t = [1.0, 0.0, 1.0, 2.0, 1.0, 0.0];
        let mut out = [0f32; 4];
        matmul(
            ViewMut::rows(&mut out, 2, 2),
            View::rows(&lhs, 2, 3),
            View {
                data: &rhs_t,
                at: Layout {
                    offset: 0,
                    rows: 3,
                    cols: 2,
                    rs: 1,
                    cs: 3,
                },
            },
            2.0,
            Parallelism::None,
        );
        assert_eq!(out, [8.0, 8.0, 20.0, 26.0]);
    }

    #[test]
    #[should_panic(expected = "out of bounds")]
    fn matmul_refuses_a_view_past_its_slice() {
        let a = [0f32; 4];
        let mut out = [0f32; 4];
        matmul(
            ViewMut::rows(&mut out, 2, 2),
            View::rows(&a, 2, 3),
            View::rows(&a, 3, 2),
            1.0,
            Parallelism::None,
        );
    }
}
