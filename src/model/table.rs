//! The first stage's per-bucket numbers in memory: a bucket's IDF and its six label weights as
//! the f16 values `weights.bin` stores, packed into one 16-byte row aligned to 16 bytes.
//!
//! Why: a comment's ~1,500 features land on random buckets of a 2^20-bucket table, so much of
//! the scoring time is cache misses (on a 2-vCPU Xeon, 2,000 different comments took ~12 µs
//! longer each than with the tables cut to 1,024 rows, the same code otherwise). With
//! IDF and weights as separate f32 tables a feature touched 2.4 cache lines on average (a
//! 24-byte weight row straddles lines a third of the time); one aligned 16-byte row is always
//! one line, and the table shrinks from 28 MB to 16 MB. f16 -> f32 is exact, so every score is
//! bit for bit what the f32 tables gave.

use super::features::Feat;
use half::f16;

/// `[idf, weight of Label::ALL[0], .., weight of Label::ALL[5], unused]`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[repr(C, align(16))]
pub struct BucketRow([f16; 8]);

impl BucketRow {
    /// `[idf, six weights, 0]` as f32 (exact).
    pub fn decoded(&self) -> [f32; 8] {
        self.0.map(f16::to_f32)
    }

    /// Stored as f16 (rounded to nearest), as `weights.bin` stores it, so a model scores the
    /// same in memory as after saving and loading.
    pub fn set_idf(&mut self, v: f32) {
        self.0[0] = f16::from_f32(v);
    }

    pub fn set_weight(&mut self, label: usize, v: f32) {
        self.0[1 + label] = f16::from_f32(v);
    }

    pub fn is_finite(&self) -> bool {
        self.0.iter().all(|h| h.is_finite())
    }

    pub fn idf_bits(&self) -> [u8; 2] {
        self.0[0].to_le_bytes()
    }

    pub fn weight_bits(&self, label: usize) -> [u8; 2] {
        self.0[1 + label].to_le_bytes()
    }

    pub fn from_bits(idf: [u8; 2], weights: [[u8; 2]; 6]) -> Self {
        let mut r = [f16::ZERO; 8];
        r[0] = f16::from_le_bytes(idf);
        for (slot, w) in r[1..7].iter_mut().zip(weights) {
            *slot = f16::from_le_bytes(w);
        }
        Self(r)
    }
}

/// Decode the rows of `feats`' buckets into `out` (`[idf, six weights, 0]` per feature, in
/// `feats` order): the one pass over the big table, with independent loads the CPU can overlap;
/// everything after it reads `out`, which stays in L1.
pub fn gather(table: &[BucketRow], feats: &[Feat], out: &mut Vec<[f32; 8]>) {
    out.clear();
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("f16c") {
        // SAFETY: the CPU supports F16C (and so AVX), checked just above.
        return unsafe { gather_f16c(table, feats, out) };
    }
    out.extend(feats.iter().map(|f| table[f.bucket as usize].decoded()));
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx,f16c")]
unsafe fn gather_f16c(table: &[BucketRow], feats: &[Feat], out: &mut Vec<[f32; 8]>) {
    use std::arch::x86_64::{__m128i, _mm_load_si128, _mm256_cvtph_ps, _mm256_storeu_ps};
    out.extend(feats.iter().map(|f| {
        let row: *const BucketRow = &table[f.bucket as usize];
        let mut o = [0f32; 8];
        // SAFETY: `row` is a valid, 16-byte aligned BucketRow (repr(C, align(16)), 16 bytes)
        // and `o` holds eight f32s; the closure inherits this function's target features.
        unsafe {
            let halves = _mm_load_si128(row.cast::<__m128i>());
            _mm256_storeu_ps(o.as_mut_ptr(), _mm256_cvtph_ps(halves));
        }
        o
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gather_decodes_exactly_what_the_portable_path_does() {
        // Normal, subnormal and negative values.
        let weight = |b: u32, l: usize| (b as f32 - 32.0) * 10f32.powi(-(l as i32) * 2);
        let table: Vec<BucketRow> = (0..64)
            .map(|b| {
                let mut r = BucketRow::default();
                r.set_idf(1.0 + b as f32 / 8.0);
                for l in 0..6 {
                    r.set_weight(l, weight(b, l));
                }
                r
            })
            .collect();
        let feats: Vec<Feat> = [5u32, 0, 63, 17, 5]
            .iter()
            .map(|&bucket| Feat {
                bucket,
                ..Feat::default()
            })
            .collect();
        let mut out = Vec::new();
        gather(&table, &feats, &mut out);
        for (o, f) in out.iter().zip(&feats) {
            let row = &table[f.bucket as usize];
            assert_eq!(o.map(f32::to_bits), row.decoded().map(f32::to_bits));
            assert_eq!(o[0], 1.0 + f.bucket as f32 / 8.0);
            for l in 0..6 {
                assert_eq!(o[1 + l], f16::from_f32(weight(f.bucket, l)).to_f32());
            }
            assert_eq!(o[7], 0.0);
        }
        assert_eq!(std::mem::size_of::<BucketRow>(), 16);
        assert_eq!(std::mem::align_of::<BucketRow>(), 16);
    }
}
