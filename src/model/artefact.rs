//! The on-disk model: `models/<version>/manifest.json` + `weights.bin`, and `models/current`
//! naming the default version.
//!
//! `weights.bin` (little-endian): magic `TBKW`, u32 format, u32 buckets_log2, u32 label count,
//! then IDF as f16 per bucket, then weights as f16 interleaved `[bucket][label]` (the scorer reads
//! all labels of a bucket in one cache line), then one f32 bias per label. f16 halves the size
//! (the 2^20-bucket model is ~14 MB) at no measurable AUC cost. The manifest records the file's
//! byte length and SHA-256; both are verified before anything is parsed. Format 2 appends the
//! second-stage heads (see [`super::stack`]); format 1 files (none) still load.

use super::ModelError;
use super::features::FeatureSpec;
use super::stack::{N_INPUTS, StackHead};
use crate::domain::Label;
use half::f16;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const MAGIC: &[u8; 4] = b"TBKW";
/// Format written by this build. Format 1 (no second stage) still loads.
pub const FORMAT: u32 = 2;
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
        }
    }
}

/// Weights in memory, one slot per label of [`Label::ALL`] (absent labels stay zero).
pub struct Weights {
    pub idf: Vec<f32>,
    pub weights: Vec<[f32; 6]>,
    pub bias: [f32; 6],
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
    let mtext = std::fs::read_to_string(&mpath).map_err(io(&mpath))?;
    let manifest: Manifest = serde_json::from_str(&mtext)
        .map_err(|e| invalid(&mpath, format!("malformed manifest: {e}")))?;
    if !(MIN_FORMAT..=FORMAT).contains(&manifest.format) {
        return Err(invalid(
            &mpath,
            format!(
                "model format {} is not supported (this build reads {MIN_FORMAT} to {FORMAT})",
                manifest.format
            ),
        ));
    }
    manifest
        .features
        .check_supported()
        .map_err(|m| invalid(&mpath, m))?;
    if manifest.labels.is_empty() || manifest.labels.len() > Label::ALL.len() {
        return Err(invalid(&mpath, "manifest must list 1 to 6 labels"));
    }
    let mut seen = [false; 6];
    for l in &manifest.labels {
        if std::mem::replace(&mut seen[l.index()], true) {
            return Err(invalid(&mpath, format!("label `{l}` listed twice")));
        }
    }
    if manifest.weights_file.contains(['/', '\\']) {
        return Err(invalid(&mpath, "weights_file must be a plain file name"));
    }
    let wpath = dir.join(&manifest.weights_file);
    let bytes = std::fs::read(&wpath).map_err(io(&wpath))?;
    let buckets = manifest.features.buckets();
    let n_labels = manifest.labels.len();
    let first_stage = HEADER_BYTES + buckets * 2 + buckets * n_labels * 2 + n_labels * 4;
    // Format 2 appends: u32 stacked-head count, then per head u32 label index, u32 input
    // count, f32 coefficients, f32 bias.
    let n_stack = if manifest.format >= 2 && bytes.len() >= first_stage + 4 {
        u32::from_le_bytes([
            bytes[first_stage],
            bytes[first_stage + 1],
            bytes[first_stage + 2],
            bytes[first_stage + 3],
        ]) as usize
    } else {
        0
    };
    let expected = if manifest.format >= 2 {
        first_stage + 4 + n_stack.min(Label::ALL.len() + 1) * (8 + N_INPUTS * 4 + 4)
    } else {
        first_stage
    };
    if bytes.len() as u64 != manifest.weights_bytes || bytes.len() != expected {
        return Err(invalid(
            &wpath,
            format!(
                "truncated or wrong size: {} bytes, manifest says {} and the layout needs {expected}",
                bytes.len(),
                manifest.weights_bytes
            ),
        ));
    }
    if n_stack > Label::ALL.len() {
        return Err(invalid(&wpath, "more second-stage heads than labels"));
    }
    let digest = sha256_hex(&bytes);
    if !digest.eq_ignore_ascii_case(&manifest.weights_sha256) {
        return Err(invalid(
            &wpath,
            format!(
                "checksum mismatch: SHA-256 is {digest}, manifest says {} (corrupt file?)",
                manifest.weights_sha256
            ),
        ));
    }
    let u32_at =
        |o: usize| u32::from_le_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]);
    if &bytes[0..4] != MAGIC
        || u32_at(4) != manifest.format
        || u32_at(8) != manifest.features.buckets_log2
        || u32_at(12) as usize != n_labels
    {
        return Err(invalid(&wpath, "header does not match the manifest"));
    }
    let f16_at = |o: usize| f16::from_le_bytes([bytes[o], bytes[o + 1]]).to_f32();
    let mut off = HEADER_BYTES;
    let idf: Vec<f32> = (0..buckets).map(|b| f16_at(off + 2 * b)).collect();
    off += buckets * 2;
    let mut weights = vec![[0f32; 6]; buckets];
    for (b, row) in weights.iter_mut().enumerate() {
        let base = off + b * n_labels * 2;
        for (k, l) in manifest.labels.iter().enumerate() {
            row[l.index()] = f16_at(base + 2 * k);
        }
    }
    off += buckets * n_labels * 2;
    let mut bias = [0f32; 6];
    for (k, l) in manifest.labels.iter().enumerate() {
        bias[l.index()] = f32::from_le_bytes([
            bytes[off + 4 * k],
            bytes[off + 4 * k + 1],
            bytes[off + 4 * k + 2],
            bytes[off + 4 * k + 3],
        ]);
    }
    off += n_labels * 4;
    let f32_at =
        |o: usize| f32::from_le_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]);
    let mut stack = Vec::with_capacity(n_stack);
    if manifest.format >= 2 {
        off += 4;
        for _ in 0..n_stack {
            let label = Label::ALL.get(u32_at(off) as usize).copied();
            let label = match label {
                Some(l) if manifest.labels.contains(&l) && u32_at(off + 4) as usize == N_INPUTS => {
                    l
                }
                _ => return Err(invalid(&wpath, "malformed second-stage head")),
            };
            off += 8;
            let mut coef = [0f32; N_INPUTS];
            for (k, c) in coef.iter_mut().enumerate() {
                *c = f32_at(off + 4 * k);
            }
            off += N_INPUTS * 4;
            let bias = f32_at(off);
            off += 4;
            stack.push(StackHead { label, coef, bias });
        }
    }
    if idf.iter().any(|v| !v.is_finite())
        || weights.iter().flatten().any(|v| !v.is_finite())
        || bias.iter().any(|v| !v.is_finite())
        || stack
            .iter()
            .any(|h| !h.bias.is_finite() || h.coef.iter().any(|v| !v.is_finite()))
    {
        return Err(invalid(&wpath, "weights contain NaN or infinity"));
    }
    Ok((
        manifest,
        Weights {
            idf,
            weights,
            bias,
            stack,
        },
    ))
}

/// Encode weights for `labels` (in that order) into the `weights.bin` layout.
pub fn encode(spec: &FeatureSpec, labels: &[Label], w: &Weights) -> Vec<u8> {
    let buckets = spec.buckets();
    let mut out = Vec::with_capacity(HEADER_BYTES + buckets * 2 * (1 + labels.len()) + 24);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&spec.buckets_log2.to_le_bytes());
    out.extend_from_slice(&(labels.len() as u32).to_le_bytes());
    for v in &w.idf {
        out.extend_from_slice(&f16::from_f32(*v).to_le_bytes());
    }
    for row in &w.weights {
        for l in labels {
            out.extend_from_slice(&f16::from_f32(row[l.index()]).to_le_bytes());
        }
    }
    for l in labels {
        out.extend_from_slice(&w.bias[l.index()].to_le_bytes());
    }
    let stack: Vec<&StackHead> = w
        .stack
        .iter()
        .filter(|h| labels.contains(&h.label))
        .collect();
    out.extend_from_slice(&(stack.len() as u32).to_le_bytes());
    for h in stack {
        out.extend_from_slice(&(h.label.index() as u32).to_le_bytes());
        out.extend_from_slice(&(N_INPUTS as u32).to_le_bytes());
        for c in &h.coef {
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

    fn tiny() -> (FeatureSpec, Vec<Label>, Weights) {
        let spec = FeatureSpec {
            buckets_log2: 12,
            ..FeatureSpec::default()
        };
        let labels = vec![Label::Abuse, Label::Insult];
        let n = spec.buckets();
        let mut coef = [0f32; N_INPUTS];
        coef[0] = 0.75;
        coef[2] = 0.25;
        let w = Weights {
            idf: vec![1.0; n],
            weights: (0..n).map(|b| [b as f32 / 4096.0; 6]).collect(),
            bias: [0.5, 0.0, -0.5, 0.0, 0.0, 0.0],
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

    #[test]
    fn format_2_round_trips_the_second_stage() {
        let (spec, labels, w) = tiny();
        let dir = tempfile::tempdir().unwrap();
        let mut m = manifest(&spec, &labels, FORMAT);
        write(dir.path(), &mut m, &encode(&spec, &labels, &w)).unwrap();
        let (_, back) = read(dir.path()).unwrap();
        assert_eq!(back.stack, w.stack);
        assert_eq!(back.bias[Label::Insult.index()], -0.5);
    }

    #[test]
    fn format_1_files_still_load_without_a_second_stage() {
        let (spec, labels, w) = tiny();
        let mut bytes = encode(&spec, &labels, &w);
        // A format-1 file is the format-2 layout without the trailing second-stage section.
        let stack_bytes = 4 + 8 + N_INPUTS * 4 + 4;
        bytes.truncate(bytes.len() - stack_bytes);
        bytes[4..8].copy_from_slice(&1u32.to_le_bytes());
        let dir = tempfile::tempdir().unwrap();
        let mut m = manifest(&spec, &labels, 1);
        write(dir.path(), &mut m, &bytes).unwrap();
        let (m, back) = read(dir.path()).unwrap();
        assert_eq!(m.format, 1);
        assert!(back.stack.is_empty());
        assert_eq!(back.bias[Label::Abuse.index()], 0.5);
        // An unknown future format is refused with a message naming it.
        let mut m3 = manifest(&spec, &labels, 3);
        write(dir.path(), &mut m3, &bytes).unwrap();
        let err = read(dir.path()).err().unwrap().to_string();
        assert!(err.contains("model format 3 is not supported"), "{err}");
    }
}
