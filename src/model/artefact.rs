//! The on-disk model: `models/<version>/manifest.json` + `weights.bin`, and `models/current`
//! naming the default version.
//!
//! `weights.bin` (little-endian): magic `TBKW`, u32 format, u32 buckets_log2, u32 label count,
//! then IDF as f16 per bucket, then weights as f16 interleaved `[bucket][label]` (the scorer reads
//! all labels of a bucket in one cache line), then one f32 bias per label. f16 halves the size
//! (the 2^20-bucket model is ~14 MB) at no measurable AUC cost. The manifest records the file's
//! byte length and SHA-256; both are verified before anything is parsed. Format 2 appends the
//! second-stage heads (see [`super::stack`]); format 3 puts the network branch (see
//! [`super::mlp`]) between the first stage and the second; format 4 adds the network's
//! word-vector input (see [`super::vectors`]). Formats 1 to 3 still load.

use super::ModelError;
use super::features::FeatureSpec;
use super::mlp::{MAX_BITS, MAX_HIDDEN, Mlp};
use super::stack::{N_BASE, N_INPUTS, StackHead};
use super::table::BucketRow;
use super::vectors::{MAX_DIMS, MAX_WORDS, WordVectors};
use crate::domain::Label;
use half::f16;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const MAGIC: &[u8; 4] = b"TBKW";
/// Format written by this build. Formats 1 (no second stage), 2 (no network), 3 (no word
/// vectors) and 4 still load. Format 5 has format 4's weights layout; its manifest may carry a
/// neighbour bank (`encoder.neighbours`), which a build that reads only up to 4 would ignore
/// and so score abuse without, rather than refuse.
pub const FORMAT: u32 = 5;
/// Oldest format this build reads.
pub const MIN_FORMAT: u32 = 1;
pub const WEIGHTS_FILE: &str = "weights.bin";
pub const MANIFEST_FILE: &str = "manifest.json";
pub const CURRENT_FILE: &str = "current";
const HEADER_BYTES: usize = 16;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub version: String,
    pub created: String,
    pub labels: Vec<Label>,
    pub features: FeatureSpec,
    pub weights_file: String,
    pub weights_bytes: u64,
    pub weights_sha256: String,
    /// Per label: the score threshold that maximised F1 on the test split.
    #[serde(default)]
    pub thresholds: BTreeMap<Label, f32>,
    /// Free-form: training data summary, hyper-parameters, timings.
    #[serde(default)]
    pub training: serde_json::Value,
    /// Free-form: evaluation on the test split at save time.
    #[serde(default)]
    pub metrics: serde_json::Value,
    /// The sentence stage (see [`super::encoder`]); none in fast-only models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoder: Option<super::encoder::EncoderSpec>,
    /// The hold and reject bars this model was fitted for (on held-out data, never the test
    /// split): the service decides by them unless its configuration sets its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bars: Option<crate::domain::Thresholds>,
}

impl Manifest {
    /// A manifest for weights not (yet) written to disk: the file fields are filled by `save`,
    /// thresholds, training summary and metrics by whoever has them.
    pub fn unsaved(
        version: impl Into<String>,
        labels: &[Label],
        features: &FeatureSpec,
    ) -> Manifest {
        Manifest {
            format: FORMAT,
            version: version.into(),
            created: String::new(),
            labels: labels.to_vec(),
            features: features.clone(),
            weights_file: String::new(),
            weights_bytes: 0,
            weights_sha256: String::new(),
            thresholds: BTreeMap::new(),
            training: serde_json::Value::Null,
            metrics: serde_json::Value::Null,
            encoder: None,
            bars: None,
        }
    }
}

/// Weights in memory, one slot per label of [`Label::ALL`] (absent labels stay zero).
pub struct Weights {
    /// Per bucket: IDF and the labels' weights (see [`BucketRow`]).
    pub buckets: Vec<BucketRow>,
    pub bias: [f32; 6],
    /// The network branch (format 3; none in older models).
    pub net: Option<Mlp>,
    /// The network's word vectors (format 4; shared, not copied, between the models a
    /// training run builds).
    pub vectors: Option<Arc<WordVectors>>,
    /// Second-stage heads (format 2; empty for format 1 models).
    pub stack: Vec<StackHead>,
}

fn invalid(path: &Path, message: impl Into<String>) -> ModelError {
    ModelError::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ModelError + '_ {
    move |source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A models root (with a `current` file) resolves to the version it names; a version directory
/// resolves to itself.
pub fn resolve_dir(path: &Path) -> Result<PathBuf, ModelError> {
    if path.join(MANIFEST_FILE).is_file() {
        return Ok(path.to_path_buf());
    }
    let current = path.join(CURRENT_FILE);
    if current.is_file() {
        let name = std::fs::read_to_string(&current).map_err(io(&current))?;
        let name = name.trim();
        if name.is_empty() || name.contains(['/', '\\']) || name == ".." {
            return Err(invalid(
                &current,
                format!("`current` must name a version directory, found {name:?}"),
            ));
        }
        let dir = path.join(name);
        if !dir.join(MANIFEST_FILE).is_file() {
            return Err(invalid(
                &dir,
                format!("`current` names version `{name}` but it has no {MANIFEST_FILE}"),
            ));
        }
        return Ok(dir);
    }
    if !path.exists() {
        return Err(invalid(path, "no such directory"));
    }
    Err(invalid(
        path,
        format!(
            "neither a model version (no {MANIFEST_FILE}) nor a models root (no {CURRENT_FILE})"
        ),
    ))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub fn read(dir: &Path) -> Result<(Manifest, Weights), ModelError> {
    let mpath = dir.join(MANIFEST_FILE);
    let manifest = read_manifest(&mpath)?;
    let wpath = dir.join(&manifest.weights_file);
    let bytes = std::fs::read(&wpath).map_err(io(&wpath))?;
    let weights = Layout::of(&manifest, &bytes)
        .and_then(|layout| {
            layout.verify(&manifest, &bytes)?;
            layout.decode(&manifest, &bytes)
        })
        .map_err(|m| invalid(&wpath, m))?;
    weights.check_finite().map_err(|m| invalid(&wpath, m))?;
    Ok((manifest, weights))
}

/// The manifest, refused unless this build can read what it describes.
fn read_manifest(mpath: &Path) -> Result<Manifest, ModelError> {
    let mtext = std::fs::read_to_string(mpath).map_err(io(mpath))?;
    let manifest: Manifest = serde_json::from_str(&mtext)
        .map_err(|e| invalid(mpath, format!("malformed manifest: {e}")))?;
    if !(MIN_FORMAT..=FORMAT).contains(&manifest.format) {
        return Err(invalid(
            mpath,
            format!(
                "model format {} is not supported (this build reads {MIN_FORMAT} to {FORMAT})",
                manifest.format
            ),
        ));
    }
    manifest
        .features
        .check_supported()
        .map_err(|m| invalid(mpath, m))?;
    if manifest.labels.is_empty() || manifest.labels.len() > Label::ALL.len() {
        return Err(invalid(mpath, "manifest must list 1 to 6 labels"));
    }
    let mut seen = [false; 6];
    for l in &manifest.labels {
        if std::mem::replace(&mut seen[l.index()], true) {
            return Err(invalid(mpath, format!("label `{l}` listed twice")));
        }
    }
    if let Some(bars) = &manifest.bars {
        bars.validate()
            .map_err(|m| invalid(mpath, format!("bars: {m}")))?;
        if let Some(l) = bars
            .hold
            .keys()
            .chain(bars.reject.keys())
            .find(|l| !seen[l.index()])
        {
            return Err(invalid(
                mpath,
                format!("bars name `{l}`, which the model does not score"),
            ));
        }
    }
    if manifest.weights_file.contains(['/', '\\']) {
        return Err(invalid(mpath, "weights_file must be a plain file name"));
    }
    Ok(manifest)
}

/// Little-endian reads from a `weights.bin` whose size [`Layout::verify`] has checked.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn skip(&mut self, n: usize) {
        self.at += n;
    }

    fn raw(&mut self, n: usize) -> &'a [u8] {
        let out = &self.bytes[self.at..self.at + n];
        self.at += n;
        out
    }

    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        out.copy_from_slice(self.raw(N));
        out
    }

    fn u32(&mut self) -> usize {
        u32::from_le_bytes(self.take()) as usize
    }

    fn f32(&mut self) -> f32 {
        f32::from_le_bytes(self.take())
    }

    fn f32s(&mut self, n: usize) -> Vec<f32> {
        (0..n).map(|_| self.f32()).collect()
    }

    fn u64s(&mut self, n: usize) -> Vec<u64> {
        (0..n).map(|_| u64::from_le_bytes(self.take())).collect()
    }

    fn i8s(&mut self, n: usize) -> impl Iterator<Item = i8> + 'a {
        self.raw(n).iter().map(|&b| b as i8)
    }
}

/// The network branch and its word vectors, either absent.
type NetParts = (Option<Mlp>, Option<Arc<WordVectors>>);

/// Where each part of `weights.bin` sits, read from the headers inside it before anything is
/// allocated, so an impossible header is refused instead of trusted.
struct Layout {
    buckets: usize,
    /// Bytes of the header, IDF, weights and biases.
    first_stage: usize,
    hidden: usize,
    bits: usize,
    dense_in: usize,
    n_words: usize,
    dims: usize,
    n_stack: usize,
    /// Inputs of each second-stage head.
    n_in: usize,
    /// The file size these headers imply.
    expected: usize,
}

impl Layout {
    fn of(manifest: &Manifest, bytes: &[u8]) -> Result<Layout, String> {
        let buckets = manifest.features.buckets();
        let n_labels = manifest.labels.len();
        let first_stage = HEADER_BYTES + buckets * 2 + buckets * n_labels * 2 + n_labels * 4;
        let u32_at = |o: usize| -> usize {
            bytes
                .get(o..o + 4)
                .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        };
        // Format 3 appends the network branch: u32 hidden units (0 = none), u32 bits, then W1
        // as i8 `[2^bits][hidden]`, one f32 scale per W1 row, b1 (hidden f32), W2 (6 x hidden
        // f32), b2 (6 f32).
        let (hidden, bits) = if manifest.format >= 3 {
            (u32_at(first_stage), u32_at(first_stage + 4))
        } else {
            (0, 0)
        };
        if hidden > MAX_HIDDEN || (hidden > 0 && !(1..=MAX_BITS as usize).contains(&bits)) {
            return Err(format!(
                "network branch of {hidden} units over 2^{bits} rows is not supported"
            ));
        }
        let mut net_bytes = match (manifest.format >= 3, hidden) {
            (false, _) => 0,
            (true, 0) => 8,
            (true, h) => 8 + (1usize << bits) * (h + 4) + h * 4 + 6 * h * 4 + 6 * 4,
        };
        // Format 4, after a network: u32 dense inputs (0 = none), then f32 `[input][hidden]`,
        // u32 word count, u32 dimensions, u64 word keys, f32 scale per word, i8 vectors.
        let (mut dense_in, mut n_words, mut dims) = (0, 0, 0);
        if manifest.format >= 4 && hidden > 0 {
            let at = first_stage + net_bytes;
            dense_in = u32_at(at);
            net_bytes += 4;
            if dense_in > 0 {
                let words_at = at + 4 + dense_in.min(2 * MAX_DIMS) * hidden * 4;
                (n_words, dims) = (u32_at(words_at), u32_at(words_at + 4));
                if dims == 0 || dims > MAX_DIMS || dense_in != 2 * dims || n_words > MAX_WORDS {
                    return Err(format!(
                        "word-vector input of {dense_in} over {n_words} words of {dims} dimensions is not supported"
                    ));
                }
                net_bytes += dense_in * hidden * 4 + 8 + n_words * (8 + 4 + dims);
            }
        }
        // Format 2 appends: u32 stacked-head count, then per head u32 label index, u32 input
        // count, f32 coefficients, f32 bias.
        let stack_at = first_stage + net_bytes;
        let n_stack = if manifest.format >= 2 {
            u32_at(stack_at)
        } else {
            0
        };
        let n_in = if hidden > 0 { N_INPUTS } else { N_BASE };
        let expected = if manifest.format >= 2 {
            stack_at + 4 + n_stack.min(Label::ALL.len() + 1) * (8 + n_in * 4 + 4)
        } else {
            first_stage
        };
        Ok(Layout {
            buckets,
            first_stage,
            hidden,
            bits,
            dense_in,
            n_words,
            dims,
            n_stack,
            n_in,
            expected,
        })
    }

    /// Size, checksum and header against the manifest, before anything is decoded.
    fn verify(&self, manifest: &Manifest, bytes: &[u8]) -> Result<(), String> {
        if bytes.len() as u64 != manifest.weights_bytes || bytes.len() != self.expected {
            return Err(format!(
                "truncated or wrong size: {} bytes, manifest says {} and the layout needs {}",
                bytes.len(),
                manifest.weights_bytes,
                self.expected
            ));
        }
        if self.n_stack > Label::ALL.len() {
            return Err("more second-stage heads than labels".into());
        }
        let digest = sha256_hex(bytes);
        if !digest.eq_ignore_ascii_case(&manifest.weights_sha256) {
            return Err(format!(
                "checksum mismatch: SHA-256 is {digest}, manifest says {} (corrupt file?)",
                manifest.weights_sha256
            ));
        }
        let mut header = Cursor { bytes, at: 0 };
        if header.take::<4>() != *MAGIC
            || header.u32() != manifest.format as usize
            || header.u32() != manifest.features.buckets_log2 as usize
            || header.u32() != manifest.labels.len()
        {
            return Err("header does not match the manifest".into());
        }
        Ok(())
    }

    /// The weights of a verified file; only the second-stage heads can still be malformed.
    fn decode(&self, manifest: &Manifest, bytes: &[u8]) -> Result<Weights, String> {
        let n_labels = manifest.labels.len();
        let f16_bits = |o: usize| [bytes[o], bytes[o + 1]];
        let weights_at = HEADER_BYTES + self.buckets * 2;
        let buckets: Vec<BucketRow> = (0..self.buckets)
            .map(|b| {
                let base = weights_at + b * n_labels * 2;
                let mut w = [[0u8; 2]; 6];
                for (k, l) in manifest.labels.iter().enumerate() {
                    w[l.index()] = f16_bits(base + 2 * k);
                }
                BucketRow::from_bits(f16_bits(HEADER_BYTES + 2 * b), w)
            })
            .collect();
        let mut cursor = Cursor {
            bytes,
            at: weights_at + self.buckets * n_labels * 2,
        };
        let mut bias = [0f32; 6];
        for (l, b) in manifest.labels.iter().zip(cursor.f32s(n_labels)) {
            bias[l.index()] = b;
        }
        debug_assert_eq!(cursor.at, self.first_stage);
        let (net, vectors) = if manifest.format >= 3 {
            cursor.skip(8);
            self.decode_net(manifest, &mut cursor)?
        } else {
            (None, None)
        };
        let mut stack = Vec::with_capacity(self.n_stack);
        if manifest.format >= 2 {
            cursor.skip(4);
            for _ in 0..self.n_stack {
                let (index, inputs) = (cursor.u32(), cursor.u32());
                let label = match Label::ALL.get(index).copied() {
                    Some(l) if manifest.labels.contains(&l) && inputs == self.n_in => l,
                    _ => return Err("malformed second-stage head".into()),
                };
                let mut coef = [0f32; N_INPUTS];
                coef[..self.n_in].copy_from_slice(&cursor.f32s(self.n_in));
                let bias = cursor.f32();
                stack.push(StackHead { label, coef, bias });
            }
        }
        Ok(Weights {
            buckets,
            bias,
            net,
            vectors,
            stack,
        })
    }

    /// The network branch and its word vectors (format 3 and 4), after their 8-byte header.
    fn decode_net(&self, manifest: &Manifest, cursor: &mut Cursor<'_>) -> Result<NetParts, String> {
        let hidden = self.hidden;
        if hidden == 0 {
            return Ok((None, None));
        }
        let rows = 1usize << self.bits;
        let w1 = crate::model::mlp::Int8Table::from_iter(0, cursor.i8s(rows * hidden));
        let w1_scale = cursor.f32s(rows);
        let b1 = cursor.f32s(hidden);
        let w2 = cursor.f32s(6 * hidden);
        let b2 = cursor.f32s(6);
        let mut dense = Vec::new();
        if manifest.format >= 4 {
            cursor.skip(4);
            dense = cursor.f32s(self.dense_in * hidden);
        }
        let mut vectors = None;
        if self.dense_in > 0 {
            cursor.skip(8);
            let keys = cursor.u64s(self.n_words);
            let scale = cursor.f32s(self.n_words);
            let vecs = cursor.i8s(self.n_words * self.dims).collect();
            vectors = Some(Arc::new(WordVectors::new(self.dims, keys, scale, vecs)?));
        }
        let net = Mlp {
            bits: self.bits as u32,
            hidden,
            w1,
            w1_scale,
            b1,
            dense,
            w2,
            b2: [b2[0], b2[1], b2[2], b2[3], b2[4], b2[5]],
        };
        Ok((Some(net), vectors))
    }
}

impl Weights {
    fn check_finite(&self) -> Result<(), &'static str> {
        let finite = |v: &[f32]| v.iter().all(|x| x.is_finite());
        let ok = self.buckets.iter().all(BucketRow::is_finite)
            && finite(&self.bias)
            && self.net.as_ref().is_none_or(|n| {
                [
                    &n.w1_scale[..],
                    &n.b1[..],
                    &n.dense[..],
                    &n.w2[..],
                    &n.b2[..],
                ]
                .iter()
                .all(|v| finite(v))
            })
            && self
                .stack
                .iter()
                .all(|h| h.bias.is_finite() && finite(&h.coef));
        if ok {
            Ok(())
        } else {
            Err("weights contain NaN or infinity")
        }
    }
}

/// Encode weights for `labels` (in that order) into the `weights.bin` layout.
pub fn encode(spec: &FeatureSpec, labels: &[Label], w: &Weights) -> Vec<u8> {
    let buckets = spec.buckets();
    let mut out = Vec::with_capacity(HEADER_BYTES + buckets * 2 * (1 + labels.len()) + 24);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&spec.buckets_log2.to_le_bytes());
    out.extend_from_slice(&(labels.len() as u32).to_le_bytes());
    for row in &w.buckets {
        out.extend_from_slice(&row.idf_bits());
    }
    for row in &w.buckets {
        for l in labels {
            out.extend_from_slice(&row.weight_bits(l.index()));
        }
    }
    for l in labels {
        out.extend_from_slice(&w.bias[l.index()].to_le_bytes());
    }
    match &w.net {
        None => out.extend_from_slice(&[0u8; 8]),
        Some(net) => {
            out.extend_from_slice(&(net.hidden as u32).to_le_bytes());
            out.extend_from_slice(&net.bits.to_le_bytes());
            out.extend(net.w1.iter().map(|&w| w as u8));
            for v in net
                .w1_scale
                .iter()
                .chain(&net.b1)
                .chain(&net.w2)
                .chain(&net.b2)
            {
                out.extend_from_slice(&v.to_le_bytes());
            }
            // The word vectors only exist as the network's input.
            match w.vectors.as_deref().filter(|_| net.dense_inputs() > 0) {
                None => out.extend_from_slice(&0u32.to_le_bytes()),
                Some(v) => {
                    out.extend_from_slice(&(net.dense_inputs() as u32).to_le_bytes());
                    for x in &net.dense {
                        out.extend_from_slice(&x.to_le_bytes());
                    }
                    out.extend_from_slice(&(v.len() as u32).to_le_bytes());
                    out.extend_from_slice(&(v.dims as u32).to_le_bytes());
                    for k in &v.keys {
                        out.extend_from_slice(&k.to_le_bytes());
                    }
                    for s in &v.scale {
                        out.extend_from_slice(&s.to_le_bytes());
                    }
                    out.extend(v.vecs.iter().map(|&q| q as u8));
                }
            }
        }
    }
    let n_in = if w.net.is_some() { N_INPUTS } else { N_BASE };
    let stack: Vec<&StackHead> = w
        .stack
        .iter()
        .filter(|h| labels.contains(&h.label))
        .collect();
    out.extend_from_slice(&(stack.len() as u32).to_le_bytes());
    for h in stack {
        out.extend_from_slice(&(h.label.index() as u32).to_le_bytes());
        out.extend_from_slice(&(n_in as u32).to_le_bytes());
        for c in &h.coef[..n_in] {
            out.extend_from_slice(&c.to_le_bytes());
        }
        out.extend_from_slice(&h.bias.to_le_bytes());
    }
    out
}

/// Round-trip values through f16 exactly as `encode` + `read` would, so training-time evaluation
/// sees the shipped numbers.
pub fn quantize(v: f32) -> f32 {
    f16::from_f32(v).to_f32()
}

/// Write `weights.bin` and `manifest.json` (checksum filled in) into `dir`.
pub fn write(dir: &Path, manifest: &mut Manifest, weights_bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    manifest.weights_file = WEIGHTS_FILE.into();
    manifest.weights_bytes = weights_bytes.len() as u64;
    manifest.weights_sha256 = sha256_hex(weights_bytes);
    std::fs::write(dir.join(WEIGHTS_FILE), weights_bytes)?;
    let json = serde_json::to_string_pretty(manifest).map_err(std::io::Error::other)?;
    std::fs::write(dir.join(MANIFEST_FILE), json + "\n")
}

/// Point `models/current` at `dir`'s version.
pub fn set_current(dir: &Path) -> std::io::Result<()> {
    let root = dir.parent().unwrap_or(Path::new("."));
    let name = dir
        .file_name()
        .ok_or_else(|| std::io::Error::other("model directory has no name"))?;
    // Write a temporary file and rename it over `current`, so a reader never sees a partial
    // name.
    let tmp = root.join(format!(".{CURRENT_FILE}.tmp"));
    std::fs::write(&tmp, format!("{}\n", name.to_string_lossy()))?;
    std::fs::rename(&tmp, root.join(CURRENT_FILE))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny(with_net: bool) -> (FeatureSpec, Vec<Label>, Weights) {
        tiny_with(with_net, false)
    }

    fn tiny_with(with_net: bool, with_vectors: bool) -> (FeatureSpec, Vec<Label>, Weights) {
        let spec = FeatureSpec {
            buckets_log2: 12,
            ..FeatureSpec::default()
        };
        let labels = vec![Label::Abuse, Label::Insult];
        let n = spec.buckets();
        let mut coef = [0f32; N_INPUTS];
        coef[0] = 0.75;
        coef[2] = 0.25;
        if with_net {
            coef[N_BASE] = 0.5;
        }
        let net = with_net.then(|| Mlp {
            bits: 3,
            hidden: 2,
            w1: crate::model::mlp::Int8Table::from_iter(0, (0..16).map(|k| k * 8 - 64)),
            w1_scale: (0..8).map(|k| k as f32 / 64.0).collect(),
            b1: vec![0.25, -0.25],
            dense: if with_vectors {
                vec![0.5, -0.5, 1.0, 2.0, 0.0, 0.0, -1.0, 0.25]
            } else {
                Vec::new()
            },
            w2: (0..12).map(|k| k as f32 - 6.0).collect(),
            b2: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        });
        let w = Weights {
            buckets: (0..n)
                .map(|b| {
                    let mut r = BucketRow::default();
                    r.set_idf(1.0);
                    for l in 0..6 {
                        r.set_weight(l, b as f32 / 4096.0);
                    }
                    r
                })
                .collect(),
            bias: [0.5, 0.0, -0.5, 0.0, 0.0, 0.0],
            net,
            vectors: with_vectors.then(|| {
                Arc::new(
                    WordVectors::from_floats(&["kill", "them"], 2, &[1.0, -2.0, 0.5, 0.25])
                        .unwrap(),
                )
            }),
            stack: vec![StackHead {
                label: Label::Abuse,
                coef,
                bias: -0.125,
            }],
        };
        (spec, labels, w)
    }

    fn manifest(spec: &FeatureSpec, labels: &[Label], format: u32) -> Manifest {
        Manifest {
            format,
            ..Manifest::unsaved("t", labels, spec)
        }
    }

    fn write_and_read(format: u32, bytes: &[u8]) -> Result<(Manifest, Weights), ModelError> {
        let (spec, labels, _) = tiny(false);
        let dir = tempfile::tempdir().unwrap();
        let mut m = manifest(&spec, &labels, format);
        write(dir.path(), &mut m, bytes).unwrap();
        read(dir.path())
    }

    #[test]
    fn round_trips_the_network_its_word_vectors_and_the_second_stage() {
        for (with_net, with_vectors) in [(true, true), (true, false), (false, false)] {
            let (spec, labels, w) = tiny_with(with_net, with_vectors);
            let (_, back) = write_and_read(FORMAT, &encode(&spec, &labels, &w)).unwrap();
            assert_eq!(back.net, w.net);
            assert_eq!(back.vectors, w.vectors);
            assert_eq!(back.stack, w.stack);
            assert_eq!(back.bias[Label::Insult.index()], -0.5);
        }
    }

    #[test]
    fn format_3_is_format_4_without_the_word_vector_header() {
        let (spec, labels, w) = tiny(true);
        let mut bytes = encode(&spec, &labels, &w);
        let stack_bytes = 4 + 8 + N_INPUTS * 4 + 4;
        let at = bytes.len() - stack_bytes - 4;
        assert_eq!(bytes[at..at + 4], [0, 0, 0, 0]);
        bytes.drain(at..at + 4);
        bytes[4..8].copy_from_slice(&3u32.to_le_bytes());
        let (m, back) = write_and_read(3, &bytes).unwrap();
        assert_eq!((m.format, back.net, back.stack), (3, w.net, w.stack));
    }

    #[test]
    fn an_impossible_word_vector_header_is_refused_before_allocating() {
        let (spec, labels, w) = tiny_with(true, true);
        let mut bytes = encode(&spec, &labels, &w);
        // The word count follows the dense weights (4 inputs x 2 hidden f32).
        let net_end = bytes.len() - (4 + 8 + N_INPUTS * 4 + 4);
        let words_at = net_end - (2 * (8 + 4 + 2)) - 8;
        assert_eq!(bytes[words_at..words_at + 4], 2u32.to_le_bytes());
        bytes[words_at..words_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        let err = write_and_read(FORMAT, &bytes).err().unwrap().to_string();
        assert!(
            err.contains("word-vector input of 4 over 4294967295 words"),
            "{err}"
        );
    }

    #[test]
    fn older_formats_still_load_and_unknown_ones_are_refused() {
        let (spec, labels, w) = tiny(false);
        let mut bytes = encode(&spec, &labels, &w);
        // Format 4 has format 5's weights layout (5 may add a neighbour bank to the manifest).
        let mut four = bytes.clone();
        four[4..8].copy_from_slice(&4u32.to_le_bytes());
        let (m, back) = write_and_read(4, &four).unwrap();
        assert_eq!((m.format, &back.stack), (4, &w.stack));
        // Format 2 is format 3 without the network header (8 bytes before the second stage).
        let stack_bytes = 4 + 8 + N_BASE * 4 + 4;
        let net_at = bytes.len() - stack_bytes - 8;
        bytes.drain(net_at..net_at + 8);
        bytes[4..8].copy_from_slice(&2u32.to_le_bytes());
        let (m, back) = write_and_read(2, &bytes).unwrap();
        assert_eq!((m.format, back.net.is_none()), (2, true));
        assert_eq!(back.stack, w.stack);
        // Format 1 is format 2 without the trailing second-stage section.
        bytes.truncate(bytes.len() - stack_bytes);
        bytes[4..8].copy_from_slice(&1u32.to_le_bytes());
        let (m, back) = write_and_read(1, &bytes).unwrap();
        assert_eq!(m.format, 1);
        assert!(back.stack.is_empty());
        assert_eq!(back.bias[Label::Abuse.index()], 0.5);
        // An unknown future format is refused with a message naming it.
        let future = FORMAT + 1;
        let err = write_and_read(future, &bytes).err().unwrap().to_string();
        assert!(
            err.contains(&format!("model format {future} is not supported")),
            "{err}"
        );
    }

    #[test]
    fn an_impossible_network_header_is_refused_before_allocating() {
        let (spec, labels, w) = tiny(false);
        let mut bytes = encode(&spec, &labels, &w);
        let net_at = bytes.len() - (4 + 8 + N_BASE * 4 + 4) - 8;
        bytes[net_at..net_at + 4].copy_from_slice(&100_000u32.to_le_bytes());
        let err = write_and_read(FORMAT, &bytes).err().unwrap().to_string();
        assert!(err.contains("network branch of 100000 units"), "{err}");
    }
}
