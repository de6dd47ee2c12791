//! A nearest-neighbour reading of the sentence vectors: for a label, the share of positives
//! among the training comments whose vectors lie closest to this one. The linear head draws one
//! boundary through the whole vector space; the neighbours read the local picture, which is
//! where a source's implicit hate ("they breed like rabbits") sits among its harmless
//! look-alikes (docs/experiments/2026-12-06-neighbours.md).
//!
//! The bank is the training rows the blend did not learn from, each unit vector rounded to 8
//! bits with its own scale (the experiment measured no loss against f32), with one bit per label
//! for "labelled" and one for "positive". A query is compared with every row: 27 M byte
//! products for 70k rows, about 3 ms on one core, most of it reading the 27 MB.

use super::ModelError;
use super::invalid;
use crate::domain::Label;
use safetensors::{Dtype, SafeTensors, tensor::TensorView};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::path::Path;

pub const NEIGHBOURS_FILE: &str = "neighbours.safetensors";

/// The manifest's description of the bank: its file, and per label how its neighbours are read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NeighbourSpec {
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub rows: usize,
    pub labels: Vec<NeighbourReading>,
}

/// How one label reads its neighbours: the `k` nearest labelled rows, each weighed by
/// `exp(temperature * cosine similarity)`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct NeighbourReading {
    pub label: Label,
    pub k: usize,
    pub temperature: f32,
}

impl NeighbourReading {
    /// The smoothed, weighed share of positives among `nearest` (most similar first) as
    /// log-odds; a prior of half a positive and half a negative keeps it finite. The positive
    /// and negative weights are summed apart (in f64: `exp(20)` weights) so that a share near 1
    /// does not round to 1.
    pub fn logit(&self, nearest: &[(f32, bool)]) -> f32 {
        let (mut positive, mut negative) = (0.5f64, 0.5f64);
        for &(similarity, y) in nearest.iter().take(self.k) {
            let w = (f64::from(self.temperature) * f64::from(similarity)).exp();
            if y {
                positive += w;
            } else {
                negative += w;
            }
        }
        (positive / negative).ln() as f32
    }
}

/// The neighbour rows as the scorer searches them.
pub struct Bank {
    dims: usize,
    /// `rows x dims`, each row a unit vector divided by its scale.
    vectors: Vec<i8>,
    /// Per row: what one unit of `vectors` is worth.
    scales: Vec<f32>,
    /// Per row, bit `Label::index()`: the row is labelled for that label.
    known: Vec<u8>,
    /// Per row, bit `Label::index()`: the row is positive for that label.
    positive: Vec<u8>,
    readings: Vec<NeighbourReading>,
}

#[derive(Default)]
struct Scratch {
    query: Vec<i8>,
    similarity: Vec<f32>,
    candidates: Vec<(f32, bool)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` on this thread's scratch, or on a fresh one if it is already borrowed.
fn with_scratch<T>(f: impl FnOnce(&mut Scratch) -> T) -> T {
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => f(&mut s),
        Err(_) => f(&mut Scratch::default()),
    })
}

/// `v` scaled to unit length and rounded to 8 bits, with the scale that undoes the rounding;
/// `None` for a zero or non-finite vector.
fn quantise(v: &[f32], out: &mut Vec<i8>) -> Option<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    let largest = v.iter().fold(0f32, |m, x| m.max(x.abs())) / norm;
    if !(norm.is_finite() && largest.is_finite() && largest > 0.0) {
        return None;
    }
    let step = largest / 127.0;
    out.clear();
    out.extend(v.iter().map(|x| (x / norm / step).round() as i8));
    Some(step)
}

/// Each row's dot product with `query` times the row's scale and `query_scale` into `out`.
/// The loop is the search's whole cost; built for the baseline x86-64 target it widens int8
/// with SSE2 shuffles, so CPUs with AVX2 (checked once, cached by std) get a copy compiled for
/// it, which multiplies and adds sixteen pairs per instruction.
fn similarities_into(bank: &Bank, query: &[i8], query_scale: f32, out: &mut Vec<f32>) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { similarities_avx2(bank, query, query_scale, out) };
    }
    similarities_portable(bank, query, query_scale, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn similarities_avx2(bank: &Bank, query: &[i8], query_scale: f32, out: &mut Vec<f32>) {
    similarities_portable(bank, query, query_scale, out)
}

#[inline(always)]
fn similarities_portable(bank: &Bank, query: &[i8], query_scale: f32, out: &mut Vec<f32>) {
    out.clear();
    out.extend(
        bank.vectors
            .chunks_exact(bank.dims)
            .zip(&bank.scales)
            .map(|(row, scale)| {
                let dot: i32 = row
                    .iter()
                    .zip(query)
                    .map(|(&x, &y)| i32::from(x) * i32::from(y))
                    .sum();
                dot as f32 * scale * query_scale
            }),
    );
}

impl Bank {
    /// A bank of `rows` (vector, per-label truth) for `labels`; rows with a zero vector or
    /// none of those labels are left out. It reads nothing until given readings
    /// ([`Bank::set_readings`]).
    pub fn build<'a>(
        dims: usize,
        rows: impl IntoIterator<Item = (&'a [f32], [Option<bool>; 6])>,
        labels: &[Label],
    ) -> Bank {
        let wanted = labels.iter().fold(0u8, |bits, l| bits | 1 << l.index());
        let mut bank = Bank {
            dims,
            vectors: Vec::new(),
            scales: Vec::new(),
            known: Vec::new(),
            positive: Vec::new(),
            readings: Vec::new(),
        };
        let mut q = Vec::with_capacity(dims);
        for (v, labels) in rows {
            let mut known = 0u8;
            let mut positive = 0u8;
            for (l, t) in labels.iter().enumerate() {
                if let Some(t) = t {
                    known |= 1 << l;
                    positive |= u8::from(*t) << l;
                }
            }
            if v.len() != dims || known & wanted == 0 {
                continue;
            }
            let Some(scale) = quantise(v, &mut q) else {
                continue;
            };
            bank.vectors.extend_from_slice(&q);
            bank.scales.push(scale);
            bank.known.push(known & wanted);
            bank.positive.push(positive & wanted);
        }
        bank
    }

    pub fn rows(&self) -> usize {
        self.scales.len()
    }

    pub fn readings(&self) -> &[NeighbourReading] {
        &self.readings
    }

    pub fn set_readings(&mut self, readings: Vec<NeighbourReading>) {
        self.readings = readings;
    }

    /// Per label the bank reads, the neighbours' log-odds for the vector `v` into `z`.
    pub fn logits_into(&self, v: &[f32], z: &mut [f32; 6]) {
        with_scratch(|s| {
            if !self.similarities(v, s) {
                return;
            }
            for reading in &self.readings {
                self.nearest_into(s, reading.label, reading.k);
                z[reading.label.index()] = reading.logit(&s.candidates);
            }
        });
    }

    /// The `n` labelled rows nearest `v` for `label`, most similar first, as (similarity,
    /// positive); empty for a zero vector.
    pub fn nearest(&self, v: &[f32], label: Label, n: usize) -> Vec<(f32, bool)> {
        with_scratch(|s| {
            if !self.similarities(v, s) {
                return Vec::new();
            }
            self.nearest_into(s, label, n);
            s.candidates.clone()
        })
    }

    /// Every row's cosine similarity to `v` into `s.similarity`; false for an unusable `v`.
    fn similarities(&self, v: &[f32], s: &mut Scratch) -> bool {
        let Some(query_scale) = quantise(v, &mut s.query) else {
            return false;
        };
        if s.query.len() != self.dims {
            return false;
        }
        similarities_into(self, &s.query, query_scale, &mut s.similarity);
        true
    }

    fn nearest_into(&self, s: &mut Scratch, label: Label, n: usize) {
        let bit = 1u8 << label.index();
        s.candidates.clear();
        s.candidates.extend(
            s.similarity
                .iter()
                .zip(self.known.iter().zip(&self.positive))
                .filter(|(_, (known, _))| *known & bit != 0)
                .map(|(&sim, (_, positive))| (sim, positive & bit != 0)),
        );
        let by_similarity = |a: &(f32, bool), b: &(f32, bool)| b.0.total_cmp(&a.0);
        if s.candidates.len() > n && n > 0 {
            s.candidates.select_nth_unstable_by(n - 1, by_similarity);
        }
        s.candidates.truncate(n);
        s.candidates.sort_unstable_by(by_similarity);
    }

    /// The bank as safetensors: `vectors` (i8, rows x dims), `scales` (f32), `known` and
    /// `positive` (u8 label bit sets).
    pub fn to_bytes(&self) -> Result<Vec<u8>, safetensors::SafeTensorError> {
        let scales: Vec<u8> = self.scales.iter().flat_map(|s| s.to_le_bytes()).collect();
        let vectors: Vec<u8> = self.vectors.iter().map(|&x| x as u8).collect();
        let rows = self.rows();
        let tensors = [
            (
                "vectors",
                TensorView::new(Dtype::I8, vec![rows, self.dims], &vectors)?,
            ),
            ("scales", TensorView::new(Dtype::F32, vec![rows], &scales)?),
            (
                "known",
                TensorView::new(Dtype::U8, vec![rows], &self.known)?,
            ),
            (
                "positive",
                TensorView::new(Dtype::U8, vec![rows], &self.positive)?,
            ),
        ];
        safetensors::serialize(tensors, None)
    }

    /// Read a bank written by [`Bank::to_bytes`] for an encoder of `dims` dimensions, checking
    /// it against `spec`; `origin` names the file in errors.
    pub fn from_bytes(
        bytes: &[u8],
        dims: usize,
        spec: &NeighbourSpec,
        origin: &Path,
    ) -> Result<Bank, ModelError> {
        let bad = |m: String| invalid(origin, m);
        let st = SafeTensors::deserialize(bytes).map_err(|e| bad(format!("neighbours: {e}")))?;
        let tensor = |name: &str, dtype: Dtype, shape: &[usize]| {
            let t = st
                .tensor(name)
                .map_err(|e| bad(format!("neighbours: {e}")))?;
            if t.dtype() != dtype || t.shape() != shape {
                return Err(bad(format!(
                    "neighbours: `{name}` is {:?} {:?}, expected {dtype:?} {shape:?}",
                    t.dtype(),
                    t.shape()
                )));
            }
            Ok(t.data())
        };
        let rows = spec.rows;
        let vectors = tensor("vectors", Dtype::I8, &[rows, dims])?;
        let scales: Vec<f32> = tensor("scales", Dtype::F32, &[rows])?
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        if scales.iter().any(|s| !s.is_finite()) {
            return Err(bad("neighbours: a row's scale is not finite".into()));
        }
        for r in &spec.labels {
            if r.k == 0 || !r.temperature.is_finite() {
                return Err(bad(format!(
                    "neighbours for `{}` need k >= 1 and a finite temperature",
                    r.label
                )));
            }
        }
        Ok(Bank {
            dims,
            vectors: vectors.iter().map(|&x| x as i8).collect(),
            scales,
            known: tensor("known", Dtype::U8, &[rows])?.to_vec(),
            positive: tensor("positive", Dtype::U8, &[rows])?.to_vec(),
            readings: spec.labels.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(angle: f32) -> Vec<f32> {
        vec![angle.cos(), angle.sin(), 0.0]
    }

    fn bank() -> Bank {
        let rows: Vec<(Vec<f32>, bool)> = (0..20).map(|i| (unit(i as f32 * 0.1), i < 5)).collect();
        let mut bank = Bank::build(
            3,
            rows.iter().map(|(v, y)| {
                let mut labels = [None; 6];
                labels[Label::Abuse.index()] = Some(*y);
                (v.as_slice(), labels)
            }),
            &[Label::Abuse],
        );
        bank.set_readings(vec![NeighbourReading {
            label: Label::Abuse,
            k: 3,
            temperature: 0.0,
        }]);
        bank
    }

    #[test]
    fn the_nearest_rows_come_first_with_their_cosine_and_label() {
        let near = bank().nearest(&[2.0, 0.0, 0.0], Label::Abuse, 3);
        let similarities: Vec<f32> = near.iter().map(|n| n.0).collect();
        assert_eq!(near.iter().map(|n| n.1).collect::<Vec<_>>(), [true; 3]);
        for (got, angle) in similarities.iter().zip([0.0f32, 0.1, 0.2]) {
            assert!((got - angle.cos()).abs() < 0.02, "{similarities:?}");
        }
        // Rows not labelled for a label are not its neighbours.
        assert!(
            bank()
                .nearest(&[1.0, 0.0, 0.0], Label::Threat, 3)
                .is_empty()
        );
    }

    #[test]
    fn the_logit_is_the_smoothed_share_of_positives_nearby() {
        let b = bank();
        let mut near_positives = [0f32; 6];
        b.logits_into(&unit(0.1), &mut near_positives);
        let mut near_negatives = [0f32; 6];
        b.logits_into(&unit(1.5), &mut near_negatives);
        // three of three positive: (3 + 0.5) / (3 + 1); none of three: 0.5 / 4
        assert!((near_positives[0] - (3.5f32 / 0.5).ln()).abs() < 1e-5);
        assert!((near_negatives[0] - (0.5f32 / 3.5).ln()).abs() < 1e-5);
        let mut zero = [0f32; 6];
        b.logits_into(&[0.0; 3], &mut zero);
        assert_eq!(zero, [0.0; 6], "a zero vector has no neighbours");
    }

    #[test]
    fn a_bank_reads_back_what_was_written_and_refuses_a_wrong_shape() {
        let b = bank();
        let bytes = b.to_bytes().expect("serialise");
        let spec = NeighbourSpec {
            file: NEIGHBOURS_FILE.into(),
            bytes: bytes.len() as u64,
            sha256: String::new(),
            rows: b.rows(),
            labels: b.readings().to_vec(),
        };
        let back = Bank::from_bytes(&bytes, 3, &spec, Path::new("x")).expect("read back");
        let q = unit(0.7);
        assert_eq!(
            back.nearest(&q, Label::Abuse, 5),
            b.nearest(&q, Label::Abuse, 5)
        );
        let err = Bank::from_bytes(&bytes, 4, &spec, Path::new("x"))
            .err()
            .expect("a 3-dimensional bank is refused for a 4-dimensional encoder");
        assert!(err.to_string().contains("`vectors`"), "{err}");
    }
}
