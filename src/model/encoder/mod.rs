//! The sentence stage: a small pretrained transformer (BERT family, e.g. all-MiniLM-L6-v2) reads
//! the whole comment, its token states are mean-pooled into one vector, and a linear head per
//! label turns that vector into log-odds. The n-gram stages read words; this stage reads what a
//! sentence does ("Go back to Africa, you monkey" has no insult word the sources taught).
//!
//! On disk, beside `weights.bin`: the encoder's weights as f16 safetensors and its
//! `tokenizer.json`, both named, sized and checksummed in the manifest's `encoder` section, which
//! also holds the heads and the blend (how the stage's log-odds combine with the fast model's,
//! fitted on rows neither stage trained on). Weights are widened to f32 on load: this CPU's f16
//! matrix products measured 2-3x slower than f32.
//!
//! Inference runs this crate's own forward pass ([`forward`]), about a third faster than
//! candle's `BertModel` on one core (docs/experiments/2026-12-05-encoder-forward.md); candle
//! remains the reference it is tested against and what fine-tuning differentiates through.

mod forward;
mod kernels;
pub mod neighbours;

use super::ModelError;
use super::artefact::sha256_hex;
use super::normalize::Normalized;
use super::spelling::{SPELLING_FILE, Speller};
use crate::domain::Label;
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::Config as BertConfig;
use neighbours::{Bank, NeighbourSpec};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::path::Path;

pub const ENCODER_FILE: &str = "encoder.safetensors";
pub const TOKENIZER_FILE: &str = "tokenizer.json";
/// Comments are cut to this many tokens (after `[CLS]`, before `[SEP]`): a 300-character comment
/// is about 66 tokens; longer ones keep their beginning, where a talkback's point usually is.
pub const DEFAULT_MAX_TOKENS: usize = 128;

/// The manifest's description of the sentence stage.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EncoderSpec {
    /// Where the weights came from, e.g. `sentence-transformers/all-MiniLM-L6-v2`.
    pub name: String,
    pub weights_file: String,
    pub weights_bytes: u64,
    pub weights_sha256: String,
    pub tokenizer_file: String,
    pub tokenizer_bytes: u64,
    pub tokenizer_sha256: String,
    /// The BERT configuration (`config.json` of the pretrained model).
    pub config: serde_json::Value,
    pub max_tokens: usize,
    /// What the encoder reads: the comment as written, or as the normaliser leaves it.
    #[serde(default)]
    pub input: EncoderInput,
    /// The dictionary a `corrected` input repairs typos against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spelling: Option<SpellingSpec>,
    /// What the heads learnt from, where it differs from `input` (heads trained on comments as
    /// typed, serving them repaired): retraining reads the rows this way for the heads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heads_input: Option<EncoderInput>,
    pub heads: Vec<EncoderHead>,
    pub blend: Vec<Blend>,
    /// The nearest-neighbour reading of the vectors, for the labels whose blend has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neighbours: Option<NeighbourSpec>,
    /// Free-form: how the heads and the blend were trained.
    #[serde(default)]
    pub training: serde_json::Value,
}

/// The text the encoder reads. `Normalized` is the fast model's normalised tokens joined by
/// spaces, so a disguise the normaliser undoes (`s h o o t`, `k1ll`, `ｆｕｃｋ`) is undone for the
/// encoder too; `Corrected` also repairs typos against the stage's dictionary
/// ([`crate::model::spelling`]); stages trained before these existed read the raw text.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum EncoderInput {
    #[default]
    Raw,
    Normalized,
    Corrected,
}

impl EncoderInput {
    pub fn as_str(self) -> &'static str {
        match self {
            EncoderInput::Raw => "raw",
            EncoderInput::Normalized => "normalized",
            EncoderInput::Corrected => "corrected",
        }
    }
}

/// What the encoder reads and, for [`EncoderInput::Corrected`], the dictionary it repairs
/// against: turns a comment into the encoder's input.
#[derive(Debug, Clone, PartialEq)]
pub struct TextReader {
    input: EncoderInput,
    speller: Option<Speller>,
}

impl TextReader {
    /// A dictionary is required by `Corrected` and refused by the other inputs, so a stage never
    /// silently reads differently from how it was trained.
    pub fn new(input: EncoderInput, speller: Option<Speller>) -> Result<TextReader, String> {
        match (input, &speller) {
            (EncoderInput::Corrected, None) => {
                Err("the encoder reads corrected text but has no dictionary".into())
            }
            (EncoderInput::Raw | EncoderInput::Normalized, Some(_)) => Err(format!(
                "the encoder reads {} text but has a dictionary",
                input.as_str()
            )),
            _ => Ok(TextReader { input, speller }),
        }
    }

    pub fn input(&self) -> EncoderInput {
        self.input
    }

    pub fn speller(&self) -> Option<&Speller> {
        self.speller.as_ref()
    }

    pub fn prepare<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.input == EncoderInput::Raw {
            return Cow::Borrowed(text);
        }
        let mut n = Normalized::default();
        n.run(text);
        self.read_normalized(text, &n)
    }

    /// As [`TextReader::prepare`], for a `text` the caller has already normalised into `norm`.
    pub fn read_normalized<'t>(&self, text: &'t str, norm: &Normalized) -> Cow<'t, str> {
        match (&self.input, &self.speller) {
            (EncoderInput::Raw, _) => Cow::Borrowed(text),
            (EncoderInput::Corrected, Some(speller)) => Cow::Owned(speller.sentence(norm)),
            _ => Cow::Owned(norm.sentence()),
        }
    }
}

/// The manifest's record of the dictionary file ([`SPELLING_FILE`]).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SpellingSpec {
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub words: usize,
}

/// One label's linear head over the pooled sentence vector.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EncoderHead {
    pub label: Label,
    pub weights: Vec<f32>,
    pub bias: f32,
}

/// One label's final log-odds: `fast * fast model + encoder * sentence head + neighbours *
/// neighbours' log-odds + bias`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Blend {
    pub label: Label,
    pub fast: f32,
    pub encoder: f32,
    /// Zero (and not written) for a label without a neighbour reading.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub neighbours: f32,
    pub bias: f32,
}

fn is_zero(x: &f32) -> bool {
    *x == 0.0
}

/// One comment's log-odds from each input of the blend, for one label.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BlendInputs {
    pub fast: f32,
    pub sentence: f32,
    pub neighbours: f32,
}

impl Blend {
    pub fn apply(&self, x: BlendInputs) -> f32 {
        self.bias + self.fast * x.fast + self.encoder * x.sentence + self.neighbours * x.neighbours
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("tokenizing: {0}")]
    Tokenize(String),
    #[error("running the encoder: {0}")]
    Tensor(#[from] candle_core::Error),
    #[error("token id {id} is outside the encoder's vocabulary of {vocab}")]
    UnknownToken { id: usize, vocab: usize },
    #[error("{tokens} tokens, but the encoder has only {positions} positions")]
    TooLong { tokens: usize, positions: usize },
}

/// The pretrained transformer and its tokenizer, without heads: what training embeds with and
/// what the scorer runs.
pub struct SentenceEncoder {
    bert: forward::Bert,
    tokenizer: tokenizers::Tokenizer,
    max_tokens: usize,
}

impl SentenceEncoder {
    /// Load a pretrained encoder from where [`Pretrained::locate`] finds it.
    pub fn load_pretrained(dir: &Path, max_tokens: usize) -> Result<SentenceEncoder, ModelError> {
        let p = Pretrained::locate(dir)?;
        let read = |path: &Path| {
            std::fs::read(path).map_err(|source| ModelError::Io {
                path: path.to_path_buf(),
                source,
            })
        };
        Self::from_bytes(
            read(&p.weights)?,
            &read(&p.tokenizer)?,
            &p.config,
            max_tokens,
            dir,
        )
    }

    /// Build from the weights (safetensors of any float type; widened to f32), the tokenizer's
    /// JSON and the BERT config. `origin` names the source in errors.
    pub fn from_bytes(
        weights: Vec<u8>,
        tokenizer: &[u8],
        config: &serde_json::Value,
        max_tokens: usize,
        origin: &Path,
    ) -> Result<SentenceEncoder, ModelError> {
        let bert_config: BertConfig = serde_json::from_value(config.clone())
            .map_err(|e| invalid(origin, format!("encoder config: {e}")))?;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .map_err(|e| invalid(origin, format!("encoder weights: {e}")))?;
        let bert = forward::Bert::load(&vb, &bert_config)
            .map_err(|e| invalid(origin, format!("encoder weights: {e}")))?;
        let mut tokenizer = tokenizers::Tokenizer::from_bytes(tokenizer)
            .map_err(|e| invalid(origin, format!("tokenizer: {e}")))?;
        // The pretrained tokenizer pads every input to 128 tokens: padding is only work.
        tokenizer.with_padding(None);
        let truncation = tokenizers::TruncationParams {
            max_length: max_tokens.max(2),
            ..Default::default()
        };
        tokenizer
            .with_truncation(Some(truncation))
            .map_err(|e| invalid(origin, format!("tokenizer truncation: {e}")))?;
        Ok(SentenceEncoder {
            bert,
            tokenizer,
            max_tokens,
        })
    }

    pub fn dims(&self) -> usize {
        self.bert.dims()
    }

    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// Mean-pooled token states of each text, one `dims()` vector each. Texts run one at a
    /// time, so none is padded.
    pub fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncodeError> {
        texts.iter().map(|t| self.embed(t)).collect()
    }

    /// The last layer's state of every token, `(texts, longest, dims)`, and the padding mask
    /// `(texts, longest)` (1 for a real token; padded states are zeros).
    pub fn token_states(&self, texts: &[&str]) -> Result<(Tensor, Tensor), EncodeError> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EncodeError::Tokenize(e.to_string()))?;
        let len = encodings.iter().map(|e| e.len()).max().unwrap_or(0).max(1);
        let dims = self.dims();
        let mut states = vec![0f32; texts.len() * len * dims];
        let mut mask = vec![0f32; texts.len() * len];
        forward::with_scratch(|s| {
            for (i, e) in encodings.iter().enumerate() {
                let ids = e.get_ids();
                let out = self.bert.forward(ids, s, threads())?;
                states[i * len * dims..][..out.len()].copy_from_slice(out);
                mask[i * len..][..ids.len()].fill(1.0);
            }
            Ok::<_, EncodeError>(())
        })?;
        let dev = Device::Cpu;
        let states = Tensor::from_vec(states, (texts.len(), len, dims), &dev)?;
        let mask = Tensor::from_vec(mask, (texts.len(), len), &dev)?;
        Ok((states, mask))
    }

    /// The mean of the text's token states.
    pub fn embed(&self, text: &str) -> Result<Vec<f32>, EncodeError> {
        let encoding = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| EncodeError::Tokenize(e.to_string()))?;
        let mut pooled = vec![0f32; self.dims()];
        forward::with_scratch(|s| {
            let states = self.bert.forward(encoding.get_ids(), s, threads())?;
            kernels::mean_rows(states, &mut pooled);
            Ok::<_, EncodeError>(())
        })?;
        Ok(pooled)
    }
}

/// How many threads one pass's larger matrix products use: candle's setting (from
/// `RAYON_NUM_THREADS`, which `--encoder-threads` sets), read once.
fn threads() -> kernels::Parallelism {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    match *THREADS.get_or_init(candle_core::utils::get_num_threads) {
        0 | 1 => kernels::Parallelism::None,
        n => kernels::Parallelism::Rayon(n),
    }
}

/// The mean of the token states `(n, len, dims)` where `mask` `(n, len)` is 1: `(n, dims)`.
/// Differentiable, so fine-tuning pools exactly as inference does.
pub fn mean_pool(states: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let summed = states.broadcast_mul(&mask.unsqueeze(2)?)?.sum(1)?;
    let counts = mask.sum_keepdim(1)?;
    summed.broadcast_div(&counts)
}

/// A pretrained encoder's files: a package's directory as it ships them (`config.json`,
/// `model.safetensors`, `tokenizer.json`), or a talkback model version (or models root) whose
/// manifest has a sentence stage, so retraining needs no download.
pub struct Pretrained {
    pub weights: std::path::PathBuf,
    pub tokenizer: std::path::PathBuf,
    pub config: serde_json::Value,
    /// The origin a talkback model recorded; none for a package's directory.
    pub name: Option<String>,
    /// What a talkback model's encoder reads; none for a package's directory.
    pub input: Option<EncoderInput>,
    /// How the weights were fine-tuned, if they were: a tuned package's `tuning.json`, or what a
    /// talkback model recorded of it.
    pub tuning: serde_json::Value,
    /// The dictionary a `corrected` input repairs against: a tuned package's [`SPELLING_FILE`],
    /// or a talkback model's (checksum verified).
    pub speller: Option<Speller>,
}

/// Written beside a fine-tuned encoder's weights by `talkback tune-encoder`.
pub const TUNING_FILE: &str = "tuning.json";

impl Pretrained {
    pub fn locate(dir: &Path) -> Result<Pretrained, ModelError> {
        if dir.join("model.safetensors").is_file() {
            let path = dir.join("config.json");
            let bytes = std::fs::read(&path).map_err(|source| ModelError::Io {
                path: path.clone(),
                source,
            })?;
            let config =
                serde_json::from_slice(&bytes).map_err(|e| invalid(&path, e.to_string()))?;
            return Ok(Pretrained {
                weights: dir.join("model.safetensors"),
                tokenizer: dir.join(TOKENIZER_FILE),
                config,
                name: None,
                input: None,
                tuning: std::fs::read(dir.join(TUNING_FILE))
                    .ok()
                    .and_then(|b| serde_json::from_slice(&b).ok())
                    .unwrap_or_default(),
                speller: match std::fs::read(dir.join(SPELLING_FILE)) {
                    Ok(bytes) => Some(parse_speller(&dir.join(SPELLING_FILE), &bytes)?),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                    Err(source) => {
                        return Err(ModelError::Io {
                            path: dir.join(SPELLING_FILE),
                            source,
                        });
                    }
                },
            });
        }
        let version = super::artefact::resolve_dir(dir)?;
        let mpath = version.join(super::artefact::MANIFEST_FILE);
        let text = std::fs::read_to_string(&mpath).map_err(|source| ModelError::Io {
            path: mpath.clone(),
            source,
        })?;
        let manifest: super::Manifest =
            serde_json::from_str(&text).map_err(|e| invalid(&mpath, e.to_string()))?;
        let spec = manifest.encoder.ok_or_else(|| {
            invalid(
                &mpath,
                "neither a pretrained encoder (no model.safetensors) nor a model with a sentence stage",
            )
        })?;
        let speller = load_speller(&version, spec.spelling.as_ref())?;
        Ok(Pretrained {
            weights: version.join(&spec.weights_file),
            tokenizer: version.join(&spec.tokenizer_file),
            config: spec.config,
            name: Some(spec.name),
            input: Some(spec.input),
            tuning: spec.training.get("tuning").cloned().unwrap_or_default(),
            speller,
        })
    }
}

/// The sentence stage as the scorer uses it: encoder, per-label heads, neighbours and blend.
pub struct Encoder {
    pub sentence: SentenceEncoder,
    pub reader: TextReader,
    /// Per label of [`Label::ALL`]: the head, if the stage scores that label.
    heads: [Option<EncoderHead>; 6],
    blend: [Option<Blend>; 6],
    neighbours: Option<Bank>,
}

impl Encoder {
    /// Load the stage a manifest describes from the version directory `dir`, verifying both
    /// files' sizes and checksums first.
    pub fn load(dir: &Path, spec: &EncoderSpec) -> Result<Encoder, ModelError> {
        let weights = verified(
            dir,
            &spec.weights_file,
            spec.weights_bytes,
            &spec.weights_sha256,
        )?;
        let tokenizer = verified(
            dir,
            &spec.tokenizer_file,
            spec.tokenizer_bytes,
            &spec.tokenizer_sha256,
        )?;
        let origin = dir.join(&spec.weights_file);
        let sentence = SentenceEncoder::from_bytes(
            weights,
            &tokenizer,
            &spec.config,
            spec.max_tokens,
            &origin,
        )?;
        let bank = match &spec.neighbours {
            Some(n) => {
                let bytes = verified(dir, &n.file, n.bytes, &n.sha256)?;
                Some(Bank::from_bytes(
                    &bytes,
                    sentence.dims(),
                    n,
                    &dir.join(&n.file),
                )?)
            }
            None => None,
        };
        let speller = load_speller(dir, spec.spelling.as_ref())?;
        Self::from_parts(sentence, spec, bank, speller)
            .map_err(|m| invalid(&dir.join("manifest.json"), m))
    }

    pub fn from_parts(
        sentence: SentenceEncoder,
        spec: &EncoderSpec,
        neighbours: Option<Bank>,
        speller: Option<Speller>,
    ) -> Result<Encoder, String> {
        let reader = TextReader::new(spec.input, speller)?;
        let mut heads: [Option<EncoderHead>; 6] = Default::default();
        for h in &spec.heads {
            if h.weights.len() != sentence.dims() {
                return Err(format!(
                    "encoder head `{}` has {} weights for a {}-dimensional encoder",
                    h.label,
                    h.weights.len(),
                    sentence.dims()
                ));
            }
            if !h.bias.is_finite() || h.weights.iter().any(|w| !w.is_finite()) {
                return Err(format!(
                    "encoder head `{}` has a non-finite weight",
                    h.label
                ));
            }
            heads[h.label.index()] = Some(h.clone());
        }
        let mut blend: [Option<Blend>; 6] = Default::default();
        for b in &spec.blend {
            if heads[b.label.index()].is_none() {
                return Err(format!("blend for `{}` but no encoder head", b.label));
            }
            if ![b.fast, b.encoder, b.neighbours, b.bias]
                .iter()
                .all(|v| v.is_finite())
            {
                return Err(format!("blend for `{}` is not finite", b.label));
            }
            let read = neighbours
                .as_ref()
                .is_some_and(|n| n.readings().iter().any(|r| r.label == b.label));
            if b.neighbours != 0.0 && !read {
                return Err(format!(
                    "blend for `{}` weighs neighbours the model has no reading of",
                    b.label
                ));
            }
            blend[b.label.index()] = Some(*b);
        }
        Ok(Encoder {
            sentence,
            reader,
            heads,
            blend,
            neighbours,
        })
    }

    /// The neighbours' log-odds for a pooled vector (0 for labels they do not read).
    fn neighbour_logits(&self, pooled: &[f32]) -> [f32; 6] {
        let mut z = [0f32; 6];
        if let Some(bank) = &self.neighbours {
            bank.logits_into(pooled, &mut z);
        }
        z
    }

    /// The heads' log-odds for a pooled vector (0 for labels without a head).
    pub fn logits(&self, pooled: &[f32]) -> [f32; 6] {
        let mut z = [0f32; 6];
        for (zl, head) in z.iter_mut().zip(&self.heads) {
            if let Some(h) = head {
                *zl = h.bias
                    + h.weights
                        .iter()
                        .zip(pooled)
                        .map(|(a, b)| a * b)
                        .sum::<f32>();
            }
        }
        z
    }

    /// Combine the fast model's final log-odds `fast` with what this stage reads of the pooled
    /// vector, in place, for every label that has a blend.
    pub fn blend_into(&self, fast: &mut [f32; 6], pooled: &[f32]) {
        let sentence = self.logits(pooled);
        let neighbours = self.neighbour_logits(pooled);
        for (l, b) in self.blend.iter().enumerate() {
            if let Some(b) = b {
                fast[l] = b.apply(BlendInputs {
                    fast: fast[l],
                    sentence: sentence[l],
                    neighbours: neighbours[l],
                });
            }
        }
    }
}

fn invalid(path: &Path, message: impl Into<String>) -> ModelError {
    ModelError::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// The dictionary a manifest's `spelling` names, verified, if it names one.
fn load_speller(dir: &Path, spec: Option<&SpellingSpec>) -> Result<Option<Speller>, ModelError> {
    let Some(spec) = spec else {
        return Ok(None);
    };
    let bytes = verified(dir, &spec.file, spec.bytes, &spec.sha256)?;
    parse_speller(&dir.join(&spec.file), &bytes).map(Some)
}

fn parse_speller(path: &Path, bytes: &[u8]) -> Result<Speller, ModelError> {
    let text = std::str::from_utf8(bytes).map_err(|e| invalid(path, e.to_string()))?;
    Speller::from_tsv(text).map_err(|m| invalid(path, m))
}

/// The tokenizer's whole words (vocabulary entries that are not word pieces): words the
/// encoder reads as one token, which the dictionary keeps however rarely comments use them.
pub fn tokenizer_words(tokenizer_json: &[u8]) -> Result<Vec<String>, String> {
    let tokenizer = tokenizers::Tokenizer::from_bytes(tokenizer_json).map_err(|e| e.to_string())?;
    Ok(tokenizer
        .get_vocab(false)
        .into_keys()
        .filter(|w| !w.starts_with("##"))
        .collect())
}

/// The contents of `dir/name`, after checking that it is a plain file name and that the file has
/// the recorded size and SHA-256.
fn verified(dir: &Path, name: &str, bytes: u64, sha256: &str) -> Result<Vec<u8>, ModelError> {
    let manifest = dir.join("manifest.json");
    if name.is_empty() || name.contains(['/', '\\']) || name == ".." {
        return Err(invalid(
            &manifest,
            format!("encoder file {name:?} must be a plain file name"),
        ));
    }
    let path = dir.join(name);
    let data = std::fs::read(&path).map_err(|source| ModelError::Io {
        path: path.clone(),
        source,
    })?;
    if data.len() as u64 != bytes {
        return Err(invalid(
            &path,
            format!("is {} bytes, the manifest says {bytes}", data.len()),
        ));
    }
    if sha256_hex(&data) != sha256 {
        return Err(invalid(&path, "checksum does not match the manifest"));
    }
    Ok(data)
}
