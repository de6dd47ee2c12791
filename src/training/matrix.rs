//! The training matrix: every training comment as a hashed, TF-IDF weighted, normalised sparse
//! row (CSR), built with exactly the extractor the scorer uses.

use crate::model::artefact::quantize;
use crate::model::features::{Extractor, Feat, FeatureSpec, weigh};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

/// Rows as hashed, weighted, normalised sparse vectors.
pub struct Matrix {
    pub indptr: Vec<usize>,
    pub idx: Vec<u32>,
    pub val: Vec<f32>,
    pub idf: Vec<f32>,
}

impl Matrix {
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.idx[a..b], &self.val[a..b])
    }

    /// Row `i`'s score under weights `x` (one per bucket, then the intercept).
    pub fn margin(&self, i: usize, x: &[f64]) -> f64 {
        let (idx, val) = self.row(i);
        let dot: f64 = idx
            .iter()
            .zip(val)
            .map(|(&j, &v)| x[j as usize] * f64::from(v))
            .sum();
        x[self.idf.len()] + dot
    }
}

/// A progress bar of `len` steps named `msg`, or a hidden one unless `show`.
pub(super) fn bar(len: u64, msg: &'static str, show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} {elapsed_precise}")
    {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(msg);
    pb
}

/// Extract features for `texts`, fix IDF on them (smooth IDF, as scikit-learn:
/// `ln((1+n)/(1+df)) + 1`, rounded to f16 because that is what ships), and build the matrix.
/// `weights[i]` is how many documents text i counts as (a row of weight 3 moves IDF as three
/// copies would).
pub fn build_matrix(
    texts: &[&str],
    weights: &[f32],
    spec: &FeatureSpec,
    min_df: u32,
    progress: bool,
) -> Matrix {
    let pb = bar(texts.len() as u64, "features", progress);
    let counted: Vec<Vec<(u32, u32, u32)>> = texts
        .par_iter()
        .map_init(Extractor::default, |ex, text| {
            ex.extract(text, spec);
            pb.inc(1);
            ex.feats
                .iter()
                .map(|f| (f.bucket, f.block, f.count))
                .collect()
        })
        .collect();
    pb.finish_and_clear();
    let buckets = spec.buckets();
    let mut df = vec![0f64; buckets];
    for (doc, &w) in counted.iter().zip(weights) {
        for &(b, _, _) in doc {
            df[b as usize] += f64::from(w);
        }
    }
    // f32 from here, as before weights existed: with unit weights the counts are whole numbers
    // and the IDF (hence a retrained model) is bit for bit what it was.
    let n = weights.iter().map(|&w| f64::from(w)).sum::<f64>() as f32;
    let idf: Vec<f32> = df
        .iter()
        .map(|&d| {
            // Buckets seen in fewer than `min_df` comments get IDF 0: they can only memorise
            // single training rows, never generalise (scikit-learn's min_df).
            if d < f64::from(min_df) {
                0.0
            } else {
                quantize(((1.0 + n) / (1.0 + d as f32)).ln() + 1.0)
            }
        })
        .collect();
    drop(df);
    let nnz: usize = counted.iter().map(Vec::len).sum();
    let mut m = Matrix {
        indptr: Vec::with_capacity(texts.len() + 1),
        idx: Vec::with_capacity(nnz),
        val: Vec::with_capacity(nnz),
        idf,
    };
    m.indptr.push(0);
    let mut feats = Vec::new();
    for doc in counted {
        feats.clear();
        feats.extend(doc.iter().map(|&(bucket, block, count)| Feat {
            bucket,
            block,
            count,
            value: 0.0,
        }));
        weigh(&mut feats, spec, |_, b| m.idf[b as usize]);
        for f in &feats {
            m.idx.push(f.bucket);
            m.val.push(f.value);
        }
        m.indptr.push(m.idx.len());
    }
    m
}
