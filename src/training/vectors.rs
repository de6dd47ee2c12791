//! Word vectors for training: read a GloVe-format text file (`scripts/fetch_vectors.sh` makes
//! one) or reuse the table inside an existing model, and pool every training comment.

use super::mlp::DenseRows;
use crate::model::Model;
use crate::model::normalize::Normalized;
use crate::model::vectors::WordVectors;
use anyhow::Context;
use rayon::prelude::*;
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

/// Word vectors and where they came from (for the manifest).
pub struct Loaded {
    pub vectors: Arc<WordVectors>,
    /// `model <version>` or `<file name> sha256:<hex>`.
    pub origin: String,
}

/// `path` is either a GloVe text file (`word v1 .. vN` per line, every line the same N) or a
/// model (version directory or models root) trained with word vectors, whose table is reused
/// as is (so a retrain needs no download).
pub fn load(path: &Path) -> anyhow::Result<Loaded> {
    if path.is_dir() {
        let model = Model::load(path)?;
        let vectors = model
            .word_vectors()
            .cloned()
            .with_context(|| format!("model {} has no word vectors to reuse", path.display()))?;
        return Ok(Loaded {
            vectors,
            origin: format!("model {}", model.version()),
        });
    }
    let bytes =
        std::fs::read(path).with_context(|| format!("reading word vectors {}", path.display()))?;
    let mut words = Vec::new();
    let mut floats = Vec::new();
    let mut dims = 0;
    for (i, line) in bytes.lines().enumerate() {
        let line = line.with_context(|| format!("{}: reading line {}", path.display(), i + 1))?;
        let mut parts = line.split(' ');
        let word = parts.next().unwrap_or_default();
        let before = floats.len();
        for p in parts.filter(|p| !p.is_empty()) {
            let v: f32 = p
                .parse()
                .ok()
                .filter(|v: &f32| v.is_finite())
                .with_context(|| {
                    format!("{} line {}: `{p}` is not a number", path.display(), i + 1)
                })?;
            floats.push(v);
        }
        let n = floats.len() - before;
        if dims == 0 {
            dims = n;
        }
        anyhow::ensure!(
            !word.is_empty() && n > 0,
            "{} line {}: expected a word followed by its vector",
            path.display(),
            i + 1
        );
        anyhow::ensure!(
            n == dims,
            "{} line {}: expected a word and {dims} numbers, found {n}",
            path.display(),
            i + 1
        );
        words.push(word.to_owned());
    }
    anyhow::ensure!(!words.is_empty(), "{}: no word vectors", path.display());
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    let v = WordVectors::from_floats(&refs, dims, &floats)
        .map_err(|m| anyhow::anyhow!("{}: {m}", path.display()))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    Ok(Loaded {
        vectors: Arc::new(v),
        origin: format!(
            "{name} sha256:{}",
            crate::model::artefact::sha256_hex(&bytes)
        ),
    })
}

/// Every text's pooled vector (as the scorer computes it), standardised for the network.
pub fn pooled_rows(v: &WordVectors, texts: &[&str]) -> DenseRows {
    let d = v.pooled_dims();
    let mut x = vec![0f32; texts.len() * d];
    x.par_chunks_mut(d).zip(texts.par_iter()).for_each_init(
        Normalized::default,
        |norm, (out, text)| {
            norm.run(text);
            v.pool(norm, out);
        },
    );
    DenseRows::standardise(d, x)
}
