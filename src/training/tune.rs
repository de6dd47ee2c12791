//! Fine-tuning the sentence encoder's top layers on the labelled comments (`talkback
//! tune-encoder`).
//!
//! The pretrained encoder was trained to tell which sentences mean the same, not which ones
//! attack: frozen, its vectors separate abuse from the rest less well than the n-gram model does.
//! Tuning all its layers on 2 cores would take hours per pass over the data; the top layers carry
//! most of what a task changes. So the frozen lower layers run once per row and their token
//! states are kept (f16, in memory); the top layers and a linear head per label train on them
//! with AdamW, the head starting from a logistic regression on the frozen vectors (probe, then
//! tune: the layers move less when the head does not start random).
//!
//! Output, a directory usable wherever a pretrained encoder is (`--encoder`): the tuned weights
//! (`model.safetensors`), `config.json`, `tokenizer.json`, `tuning.json` (how it was tuned), and
//! `embeddings.safetensors` with the pooled vectors of every row read, for `talkback
//! train-encoder --cached-only`. Rows of the blend fold and of the test split are embedded but
//! never tuned on, so the blend fitted on them and the metrics reported from them stay honest.

use super::dataset::{self, Row, Split};
use super::encoder::{
    Embeddings, HeadConfig, Progress, SourceWeight, check_source_weights, targets, text_reader,
    train_heads,
};
use super::mlp::Rng;
use crate::domain::Label;
use crate::model::encoder::{
    DEFAULT_MAX_TOKENS, EncoderInput, Pretrained, SentenceEncoder, TOKENIZER_FILE, TUNING_FILE,
    TextReader, mean_pool,
};
use crate::model::spelling::SPELLING_FILE;
use anyhow::{Context, bail};
use candle_core::backprop::GradStore;
use candle_core::{D, DType, Device, Tensor, Var};
use candle_nn::{AdamW, Linear, Module, Optimizer, ParamsAdamW};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct TuneArgs {
    /// The pretrained encoder (as for `talkback embed`).
    #[arg(long)]
    pub encoder: PathBuf,
    /// Labelled CSVs, as given to `talkback train`. Repeatable.
    #[arg(long, default_value = "../shared/data/comments.csv")]
    pub data: Vec<PathBuf>,
    /// The fold the blend will be fitted on, as `K/N`: embedded, never tuned on.
    #[arg(long, default_value = "0/5")]
    pub fold: String,
    /// How many of the top layers to tune.
    #[arg(long, default_value_t = 2)]
    pub layers: usize,
    /// Training rows to tune on (a seeded sample of those outside the fold; every built-in
    /// sentence is kept).
    #[arg(long, default_value_t = 40_000)]
    pub sample: usize,
    /// Rows of the blend fold to embed (a seeded sample).
    #[arg(long, default_value_t = 12_000)]
    pub blend_rows: usize,
    #[arg(long, default_value_t = 1)]
    pub epochs: usize,
    /// Rows per optimiser step (split in two halves that run side by side).
    #[arg(long, default_value_t = 32)]
    pub batch: usize,
    /// Peak learning rate of the layers (linear warm-up over the first 5% of steps, then linear
    /// decay to zero).
    #[arg(long, default_value_t = 5e-5)]
    pub lr: f64,
    /// Peak learning rate of the heads.
    #[arg(long, default_value_t = 1e-3)]
    pub head_lr: f64,
    #[arg(long, default_value_t = 0.01)]
    pub weight_decay: f64,
    /// Source weighting exponent, as for train-encoder.
    #[arg(long, default_value_t = HeadConfig::default().source_balance)]
    pub source_balance: f64,
    /// `SOURCE=FACTOR` or `SOURCE:LABEL=FACTOR`: weigh one source's rows (for every label, or
    /// one) more or less in the tune; repeatable.
    #[arg(long)]
    pub source_weight: Vec<SourceWeight>,
    /// What the encoder reads.
    #[arg(long, value_enum, default_value_t = EncoderInput::Normalized)]
    pub input: EncoderInput,
    /// Word lists a `corrected` input's dictionary also knows, as for `talkback embed`.
    #[arg(long)]
    pub words: Vec<PathBuf>,
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Output directory (created; existing files in it are replaced).
    #[arg(long)]
    pub out: PathBuf,
}

/// Name of the vectors file in the output directory.
pub const EMBEDDINGS_FILE: &str = "embeddings.safetensors";

/// Which rows a tuning run reads, and for what.
struct Selection<'a> {
    rows: Vec<&'a Row>,
    /// Indices into `rows` of the rows tuned on.
    tune: Vec<usize>,
    /// Indices into `rows` of the sampled blend-fold rows.
    blend: Vec<usize>,
}

fn select<'a>(
    files: &'a [dataset::Dataset],
    templates: &'a [Row],
    args: &TuneArgs,
) -> anyhow::Result<Selection<'a>> {
    let (mut tune_pool, mut blend_pool, test) = shuffled_pools(files, &args.fold, args.seed)?;
    tune_pool.truncate(args.sample);
    blend_pool.truncate(args.blend_rows);
    let mut rows: Vec<&Row> = Vec::new();
    let tune: Vec<usize> = (0..tune_pool.len() + templates.len()).collect();
    rows.extend(tune_pool);
    rows.extend(templates.iter());
    let blend: Vec<usize> = (rows.len()..rows.len() + blend_pool.len()).collect();
    rows.extend(blend_pool);
    rows.extend(test);
    Ok(Selection { rows, tune, blend })
}

/// The data files' rows as a tune samples them: the rows outside `fold` and the rows of it
/// (test rows excluded), each pool shuffled by a stream seeded with `seed`, then the test rows.
/// `train-encoder --blend-rows` takes the same blend sample.
pub(super) fn shuffled_pools<'a>(
    files: &'a [dataset::Dataset],
    fold: &str,
    seed: u64,
) -> anyhow::Result<(Vec<&'a Row>, Vec<&'a Row>, Vec<&'a Row>)> {
    let (k, n_folds) = dataset::parse_fold(fold).context("--fold must be K/N with K < N")?;
    let mut tune_pool = Vec::new();
    let mut blend_pool = Vec::new();
    let mut test = Vec::new();
    for ds in files {
        for r in &ds.rows {
            if ds.has_split && r.split == Some(Split::Test) {
                test.push(r);
            } else if dataset::fold_of(&r.id, n_folds) == k {
                blend_pool.push(r);
            } else {
                tune_pool.push(r);
            }
        }
    }
    let mut rng = Rng(seed | 1);
    rng.shuffle(&mut tune_pool);
    rng.shuffle(&mut blend_pool);
    Ok((tune_pool, blend_pool, test))
}

/// Layer normalisation with a backward pass.
struct Norm {
    weight: Tensor,
    bias: Tensor,
    eps: f32,
}

impl Norm {
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        candle_nn::ops::layer_norm_slow(x, &self.weight, &self.bias, self.eps)
    }
}

/// One BERT layer. candle-transformers' layer normalises with a fused kernel that has no
/// backward pass, so training uses this twin: the same tensors, the same function (checked
/// against the whole encoder before tuning starts).
struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: Norm,
    intermediate: Linear,
    output: Linear,
    output_norm: Norm,
    heads: usize,
}

impl Layer {
    /// `get(name)` returns the tensor of this layer's parameter `name` (e.g.
    /// `attention.self.query.weight`).
    fn new(
        get: &mut dyn FnMut(&str) -> anyhow::Result<Tensor>,
        heads: usize,
        eps: f32,
    ) -> anyhow::Result<Layer> {
        let mut linear = |name: &str| -> anyhow::Result<Linear> {
            Ok(Linear::new(
                get(&format!("{name}.weight"))?,
                Some(get(&format!("{name}.bias"))?),
            ))
        };
        let query = linear("attention.self.query")?;
        let key = linear("attention.self.key")?;
        let value = linear("attention.self.value")?;
        let attention_out = linear("attention.output.dense")?;
        let intermediate = linear("intermediate.dense")?;
        let output = linear("output.dense")?;
        let mut norm = |name: &str| -> anyhow::Result<Norm> {
            Ok(Norm {
                weight: get(&format!("{name}.weight"))?,
                bias: get(&format!("{name}.bias"))?,
                eps,
            })
        };
        Ok(Layer {
            query,
            key,
            value,
            attention_out,
            attention_norm: norm("attention.output.LayerNorm")?,
            intermediate,
            output,
            output_norm: norm("output.LayerNorm")?,
            heads,
        })
    }

    /// `x`: `(batch, len, dims)`; `mask_add`: `(batch, 1, 1, len)`, 0 for tokens and a large
    /// negative number for padding.
    fn forward(&self, x: &Tensor, mask_add: &Tensor) -> candle_core::Result<Tensor> {
        let (b, s, h) = x.dims3()?;
        let hd = h / self.heads;
        let split = |t: Tensor| {
            t.reshape((b, s, self.heads, hd))?
                .transpose(1, 2)?
                .contiguous()
        };
        let q = split(self.query.forward(x)?)?;
        let k = split(self.key.forward(x)?)?;
        let v = split(self.value.forward(x)?)?;
        let scores = (q.matmul(&k.t()?)? / (hd as f64).sqrt())?.broadcast_add(mask_add)?;
        let probs = candle_nn::ops::softmax(&scores, D::Minus1)?;
        let context = probs
            .matmul(&v)?
            .transpose(1, 2)?
            .contiguous()?
            .reshape((b, s, h))?;
        let attended = self
            .attention_norm
            .forward(&(self.attention_out.forward(&context)? + x)?)?;
        let inner = self.intermediate.forward(&attended)?.gelu_erf()?;
        self.output_norm
            .forward(&(self.output.forward(&inner)? + &attended)?)
    }
}

/// The top layers and the heads, trainable.
struct Top {
    layers: Vec<Layer>,
    coef: Tensor,
    bias: Tensor,
}

impl Top {
    /// Pooled vectors `(batch, dims)` of a batch of lower-layer states.
    fn pooled(&self, x: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let mask_add =
            ((mask.ones_like()? - mask)?.unsqueeze(1)?.unsqueeze(1)? * f64::from(f32::MIN))?;
        let mut h = x.clone();
        for layer in &self.layers {
            h = layer.forward(&h, &mask_add)?;
        }
        mean_pool(&h, mask)
    }

    fn logits(&self, pooled: &Tensor) -> candle_core::Result<Tensor> {
        pooled.matmul(&self.coef)?.broadcast_add(&self.bias)
    }
}

/// Held-out ROC AUC by label name, as `tuning.json` records it.
type Aucs = serde_json::Map<String, serde_json::Value>;

/// Lower-layer token states of each row, `(len, dims)` in f16.
type States = Vec<Tensor>;

/// A padded batch `(rows, longest, dims)` in f32 and its mask `(rows, longest)`.
fn batch(states: &States, rows: &[usize]) -> candle_core::Result<(Tensor, Tensor)> {
    let longest = rows
        .iter()
        .map(|&i| states[i].dim(0).unwrap_or(0))
        .max()
        .unwrap_or(1);
    let mut padded = Vec::with_capacity(rows.len());
    let mut mask = vec![0f32; rows.len() * longest];
    for (b, &i) in rows.iter().enumerate() {
        let len = states[i].dim(0)?;
        padded.push(
            states[i]
                .to_dtype(DType::F32)?
                .pad_with_zeros(0, 0, longest - len)?,
        );
        mask[b * longest..b * longest + len].fill(1.0);
    }
    Ok((
        Tensor::stack(&padded, 0)?,
        Tensor::from_vec(mask, (rows.len(), longest), &Device::Cpu)?,
    ))
}

/// Rows in batches of about `size`, each batch of similar lengths (little padding).
fn length_batches(states: &States, rows: &[usize], size: usize) -> Vec<Vec<usize>> {
    let mut sorted = rows.to_vec();
    sorted.sort_by_key(|&i| states[i].dim(0).unwrap_or(0));
    sorted.chunks(size.max(1)).map(<[usize]>::to_vec).collect()
}

/// Pooled vectors of `rows` through `top` (no training), in parallel batches.
fn pool_all(top: &Top, states: &States, rows: &[usize]) -> anyhow::Result<Vec<Vec<f32>>> {
    let batches = length_batches(states, rows, 32);
    let pooled = batches
        .par_iter()
        .map(|b| {
            let (x, mask) = batch(states, b)?;
            top.pooled(&x, &mask)?.to_vec2::<f32>()
        })
        .collect::<candle_core::Result<Vec<_>>>()?;
    let mut out = vec![Vec::new(); states.len()];
    for (b, vs) in batches.iter().zip(pooled) {
        for (&i, v) in b.iter().zip(vs) {
            out[i] = v;
        }
    }
    Ok(rows.iter().map(|&i| std::mem::take(&mut out[i])).collect())
}

/// The lower layers' token states of every text (f16, padding cut off), computed in parallel
/// batches of similar length.
fn lower_states(lower: &SentenceEncoder, texts: &[String]) -> anyhow::Result<States> {
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&i| texts[i].len());
    let progress = Progress::new("lower layers", texts.len(), 60);
    let chunks: Vec<&[usize]> = order.chunks(32).collect();
    let computed = chunks
        .par_iter()
        .map(|chunk| {
            let batch_texts: Vec<&str> = chunk.iter().map(|&i| texts[i].as_str()).collect();
            let (states, mask) = lower.token_states(&batch_texts)?;
            let lens = mask.sum(1)?.to_vec1::<f32>()?;
            let rows = lens
                .iter()
                .enumerate()
                .map(|(b, &len)| {
                    states
                        .get(b)?
                        .narrow(0, 0, len as usize)?
                        .to_dtype(DType::F16)
                })
                .collect::<candle_core::Result<Vec<_>>>()?;
            progress.add(chunk.len());
            Ok(rows)
        })
        .collect::<Result<Vec<_>, crate::model::encoder::EncodeError>>()?;
    let mut states: States = vec![Tensor::zeros(0, DType::F16, &Device::Cpu)?; texts.len()];
    for (chunk, rows) in chunks.iter().zip(computed) {
        for (&i, t) in chunk.iter().zip(rows) {
            states[i] = t;
        }
    }
    Ok(states)
}

/// Tune the top layers (`layer_vars`) and the heads (`coef`, `bias`) of `top` on the tuning rows:
/// weighted log loss, AdamW, linear warm-up over the first 5% of steps then linear decay; each
/// step's batch runs as two halves side by side and their gradients are averaged. One training
/// loop: the schedule, the two optimisers and the progress line share its step counter.
fn train_top(
    top: &Top,
    layer_vars: &[Var],
    (coef, bias): (&Var, &Var),
    states: &States,
    sel: &Selection,
    args: &TuneArgs,
    started: std::time::Instant,
) -> anyhow::Result<()> {
    let tune_rows: Vec<&Row> = sel.tune.iter().map(|&i| sel.rows[i]).collect();
    let (y, w, _) = targets(&tune_rows, args.source_balance, &args.source_weight);
    // Row index in `sel.rows` -> position in the tune set (for targets).
    let position: HashMap<usize, usize> =
        sel.tune.iter().enumerate().map(|(p, &i)| (i, p)).collect();
    let mut layer_opt = AdamW::new(
        layer_vars.to_vec(),
        ParamsAdamW {
            lr: args.lr,
            weight_decay: args.weight_decay,
            ..Default::default()
        },
    )?;
    let mut head_opt = AdamW::new(
        vec![coef.clone(), bias.clone()],
        ParamsAdamW {
            lr: args.head_lr,
            weight_decay: 0.0,
            ..Default::default()
        },
    )?;
    let all_vars: Vec<Var> = layer_vars
        .iter()
        .cloned()
        .chain([coef.clone(), bias.clone()])
        .collect();
    let mut rng = Rng(args.seed.wrapping_mul(31) | 1);
    let total_steps = args.epochs * sel.tune.len().div_ceil(args.batch.max(2));
    let warmup = (total_steps / 20).max(1);
    let scale = sel.tune.len() as f64 / args.batch.max(2) as f64;
    let loss_of = |rows: &[usize]| -> candle_core::Result<(f32, GradStore)> {
        let (x, mask) = batch(states, rows)?;
        let z = top.logits(&top.pooled(&x, &mask)?)?;
        let mut yb = Vec::with_capacity(rows.len() * 6);
        let mut wb = Vec::with_capacity(rows.len() * 6);
        for &i in rows {
            let p = position[&i];
            yb.extend_from_slice(&y[p * 6..p * 6 + 6]);
            wb.extend_from_slice(&w[p * 6..p * 6 + 6]);
        }
        let yb = Tensor::from_vec(yb, (rows.len(), 6), &Device::Cpu)?;
        let wb = Tensor::from_vec(wb, (rows.len(), 6), &Device::Cpu)?;
        // Log loss with logits, stably: softplus(z) - y z.
        let softplus = (z.relu()? + ((z.abs()?.neg()?.exp()? + 1.0)?.log()?))?;
        let loss = (((softplus - (&yb * &z)?)? * &wb)?.sum_all()? * scale)?;
        let grads = loss.backward()?;
        Ok((loss.to_scalar::<f32>()?, grads))
    };
    let mut step = 0usize;
    let mut last_report = std::time::Instant::now();
    let mut running = 0f64;
    let mut running_n = 0usize;
    for epoch in 0..args.epochs {
        let mut batches = length_batches(states, &sel.tune, args.batch.max(2));
        rng.shuffle(&mut batches);
        for b in &batches {
            let factor = if step < warmup {
                (step + 1) as f64 / warmup as f64
            } else {
                (total_steps - step) as f64 / (total_steps - warmup).max(1) as f64
            };
            layer_opt.set_learning_rate(args.lr * factor);
            head_opt.set_learning_rate(args.head_lr * factor);
            let (first, second) = b.split_at(b.len() / 2);
            let (a, c) = if first.is_empty() {
                (loss_of(second)?, None)
            } else {
                let (a, c) = rayon::join(|| loss_of(first), || loss_of(second));
                (a?, Some(c?))
            };
            let (mut loss, mut grads) = a;
            if let Some((loss_c, grads_c)) = c {
                loss = (loss + loss_c) / 2.0;
                for var in &all_vars {
                    if let (Some(g1), Some(g2)) = (grads.remove(var), grads_c.get(var)) {
                        grads.insert(var, ((g1 + g2)? * 0.5)?);
                    }
                }
            }
            layer_opt.step(&grads)?;
            head_opt.step(&grads)?;
            step += 1;
            running += f64::from(loss);
            running_n += 1;
            if last_report.elapsed().as_secs() >= 60 {
                last_report = std::time::Instant::now();
                eprintln!(
                    "epoch {} step {step}/{total_steps}: loss {:.4} ({:.0} s)",
                    epoch + 1,
                    running / running_n as f64,
                    started.elapsed().as_secs_f64()
                );
                running = 0.0;
                running_n = 0;
            }
        }
    }
    Ok(())
}

/// What the tuner needs of a BERT configuration.
struct Shape {
    layers: usize,
    heads: usize,
    eps: f32,
}

impl Shape {
    fn of(config: &serde_json::Value) -> anyhow::Result<Shape> {
        let count = |key: &str| -> anyhow::Result<usize> {
            Ok(config
                .get(key)
                .and_then(serde_json::Value::as_u64)
                .with_context(|| format!("encoder config has no {key}"))? as usize)
        };
        Ok(Shape {
            layers: count("num_hidden_layers")?,
            heads: count("num_attention_heads")?,
            eps: config
                .get("layer_norm_eps")
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(1e-12) as f32,
        })
    }
}

/// Trainable tensors, named as in the weights file.
type NamedVars = Vec<(String, Var)>;

/// The top `tuned` layers of `pretrained` as trainable variables (named as in the weights
/// file) and the layers that read them.
fn top_layers(
    pretrained: &HashMap<String, Tensor>,
    shape: &Shape,
    tuned: usize,
) -> anyhow::Result<(NamedVars, Vec<Layer>)> {
    let prefix = pretrained
        .keys()
        .find_map(|k| k.strip_suffix("encoder.layer.0.attention.self.query.weight"))
        .context("encoder weights have no encoder.layer.0: not a BERT encoder")?
        .to_string();
    let mut vars: NamedVars = Vec::new();
    let mut layers = Vec::new();
    for index in shape.layers - tuned..shape.layers {
        let layer_prefix = format!("{prefix}encoder.layer.{index}.");
        let mut get = |name: &str| -> anyhow::Result<Tensor> {
            let full = format!("{layer_prefix}{name}");
            let t = pretrained
                .get(&full)
                .with_context(|| format!("encoder weights have no {full}"))?;
            let var = Var::from_tensor(t)?;
            let tensor = var.as_tensor().clone();
            vars.push((full, var));
            Ok(tensor)
        };
        layers.push(Layer::new(&mut get, shape.heads, shape.eps)?);
    }
    Ok((vars, layers))
}

/// Probe: heads on the frozen vectors, the starting point of the tuned heads. Returns the
/// held-out ROC AUCs they reach.
fn probe(
    trainable: &Trainable,
    states: &States,
    sel: &Selection<'_>,
    args: &TuneArgs,
    dims: usize,
) -> anyhow::Result<Aucs> {
    let Trainable {
        top, coef, bias, ..
    } = trainable;
    let probe_rows: Vec<usize> = sel.tune.iter().chain(&sel.blend).copied().collect();
    let frozen = pool_all(top, states, &probe_rows)?;
    let (tune_frozen, blend_frozen) = frozen.split_at(sel.tune.len());
    let head_cfg = HeadConfig {
        source_balance: args.source_balance,
        ..HeadConfig::default()
    };
    let probe_input: Vec<(&Row, &[f32])> = sel
        .tune
        .iter()
        .zip(tune_frozen)
        .map(|(&i, v)| (sel.rows[i], v.as_slice()))
        .collect();
    let probe = train_heads(&probe_input, dims, &head_cfg)?;
    let mut coef_init = vec![0f32; dims * 6];
    let mut bias_init = [0f32; 6];
    for h in &probe {
        let l = h.label.index();
        for (d, w) in h.weights.iter().enumerate() {
            coef_init[d * 6 + l] = *w;
        }
        bias_init[l] = h.bias;
    }
    coef.set(&Tensor::from_vec(coef_init, (dims, 6), &Device::Cpu)?)?;
    bias.set(&Tensor::from_vec(bias_init.to_vec(), 6, &Device::Cpu)?)?;
    held_out_auc(top, sel, blend_frozen)
}

/// The tuned encoder as a package directory (weights, configuration, tokenizer, the dictionary
/// a `corrected` input read with), the vectors of every row read, and the record of the run.
fn write_tuned(
    args: &TuneArgs,
    source: &Pretrained,
    reader: &TextReader,
    tensors: HashMap<String, Tensor>,
    tokenizer: &[u8],
    vectors: (&[&str], Vec<Vec<f32>>, usize),
    record: &serde_json::Value,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    candle_core::safetensors::save(&tensors, args.out.join("model.safetensors"))?;
    std::fs::write(
        args.out.join("config.json"),
        serde_json::to_string_pretty(&source.config)? + "\n",
    )?;
    std::fs::write(args.out.join(TOKENIZER_FILE), tokenizer)?;
    if let Some(speller) = reader.speller() {
        std::fs::write(args.out.join(SPELLING_FILE), speller.to_tsv())?;
    }
    let (ids, tuned, dims) = vectors;
    Embeddings::save(
        &args.out.join(EMBEDDINGS_FILE),
        reader,
        ids,
        tuned.concat(),
        dims,
    )?;
    std::fs::write(
        args.out.join(TUNING_FILE),
        serde_json::to_string_pretty(record)? + "\n",
    )?;
    Ok(())
}

/// The encoder cut after its first `layers` layers (`path` names the weights in errors).
fn lower_encoder(
    config: &serde_json::Value,
    weights: &[u8],
    tokenizer: &[u8],
    layers: usize,
    path: &std::path::Path,
) -> anyhow::Result<SentenceEncoder> {
    let mut lower_config = config.clone();
    lower_config["num_hidden_layers"] = serde_json::json!(layers);
    Ok(SentenceEncoder::from_bytes(
        weights.to_vec(),
        tokenizer,
        &lower_config,
        DEFAULT_MAX_TOKENS,
        path,
    )?)
}

/// The encoder's weights and tokenizer, and its lower `layers` layers (frozen) over every
/// text, once.
fn frozen_states(
    source: &Pretrained,
    layers: usize,
    texts: &[String],
) -> anyhow::Result<(Vec<u8>, Vec<u8>, States)> {
    let read = |path: &std::path::Path| {
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))
    };
    let weights = read(&source.weights)?;
    let tokenizer = read(&source.tokenizer)?;
    let lower = lower_encoder(
        &source.config,
        &weights,
        &tokenizer,
        layers,
        &source.weights,
    )?;
    let states = lower_states(&lower, texts)?;
    Ok((weights, tokenizer, states))
}

/// What `tuning.json` records of a run: its settings and the held-out ROC AUCs before and
/// after.
fn tuning_record(
    args: &TuneArgs,
    source: &Pretrained,
    sel: &Selection<'_>,
    (before, after): (Aucs, Aucs),
    started: std::time::Instant,
) -> serde_json::Value {
    serde_json::json!({
        "from": source.name.clone().unwrap_or_else(|| args.encoder.display().to_string()),
        "layers_tuned": args.layers,
        "data": args.data,
        "tune_rows": sel.tune.len(),
        "fold": args.fold,
        "epochs": args.epochs,
        "batch": args.batch,
        "lr": args.lr,
        "head_lr": args.head_lr,
        "weight_decay": args.weight_decay,
        "source_balance": args.source_balance,
        "source_weights": args.source_weight,
        "input": args.input.as_str(),
        "seed": args.seed,
        "held_out_auc_frozen": before,
        "held_out_auc_tuned": after,
        "seconds": started.elapsed().as_secs_f64(),
        // A pass that starts from an already tuned encoder keeps how that one was tuned.
        "previous": source.tuning,
    })
}

/// `talkback tune-encoder`: the frozen lower layers once per row, a probe on their vectors, then
/// the top layers and heads tuned from there; writes the tuned encoder and every row's vector.
pub fn tune_encoder(args: TuneArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let source = Pretrained::locate(&args.encoder)?;
    let shape = Shape::of(&source.config)?;
    let n_layers = shape.layers;
    if args.layers == 0 || args.layers > n_layers {
        bail!("--layers must be between 1 and {n_layers}");
    }
    let files = args
        .data
        .iter()
        .map(|p| dataset::read_csv(p))
        .collect::<Result<Vec<_>, _>>()?;
    let templates = super::augment::templates();
    let sel = select(&files, &templates, &args)?;
    check_source_weights(&args.source_weight, sel.rows.iter().copied())?;
    let reader = text_reader(&source, args.input, &sel.rows, &args.words)?;
    let texts: Vec<String> = sel
        .rows
        .par_iter()
        .map(|r| reader.prepare(&r.text).into_owned())
        .collect();
    eprintln!(
        "tuning the top {} of {n_layers} layers on {} rows; {} blend-fold rows and {} test rows embedded",
        args.layers,
        sel.tune.len(),
        sel.blend.len(),
        sel.rows.len() - sel.tune.len() - sel.blend.len()
    );

    let (weights, tokenizer, states) = frozen_states(&source, n_layers - args.layers, &texts)?;
    eprintln!(
        "lower layers done in {:.0} s",
        started.elapsed().as_secs_f64()
    );

    let dims = states.iter().find_map(|t| t.dim(1).ok()).unwrap_or(0);
    let mut trainable = Trainable::from_pretrained(&weights, &shape, args.layers, dims)?;
    check_against_full_encoder(
        &trainable.top,
        &weights,
        &tokenizer,
        &source.config,
        &texts[..texts.len().min(8)],
    )?;
    let before = probe(&trainable, &states, &sel, &args, dims)?;
    eprintln!(
        "probe on frozen vectors, {:.0} s: held-out AUC {}",
        started.elapsed().as_secs_f64(),
        auc_line(&before)
    );
    trainable.train(&states, &sel, &args, started)?;
    let (tuned, after) = tuned_vectors(&trainable.top, &states, &sel)?;
    eprintln!("tuned: held-out AUC {}", auc_line(&after));

    let record = tuning_record(&args, &source, &sel, (before, after), started);
    let ids: Vec<&str> = sel.rows.iter().map(|r| r.id.as_str()).collect();
    write_tuned(
        &args,
        &source,
        &reader,
        trainable.into_tensors(),
        &tokenizer,
        (&ids, tuned, dims),
        &record,
    )?;
    eprintln!(
        "tuned encoder written to {} in {:.0} s",
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// What tuning changes: the top layers, from the pretrained weights, and a linear head per
/// label (zero until the probe sets it).
struct Trainable {
    /// Every pretrained tensor in f32; the tuned layers' replace theirs when saved.
    pretrained: HashMap<String, Tensor>,
    vars: NamedVars,
    coef: Var,
    bias: Var,
    top: Top,
}

impl Trainable {
    fn from_pretrained(
        weights: &[u8],
        shape: &Shape,
        tuned: usize,
        dims: usize,
    ) -> anyhow::Result<Self> {
        let pretrained: HashMap<String, Tensor> =
            candle_core::safetensors::load_buffer(weights, &Device::Cpu)?
                .into_iter()
                .map(|(k, t)| Ok((k, t.to_dtype(DType::F32)?)))
                .collect::<candle_core::Result<_>>()?;
        let (vars, layers) = top_layers(&pretrained, shape, tuned)?;
        let coef = Var::zeros((dims, 6), DType::F32, &Device::Cpu)?;
        let bias = Var::zeros(6, DType::F32, &Device::Cpu)?;
        let top = Top {
            layers,
            coef: coef.as_tensor().clone(),
            bias: bias.as_tensor().clone(),
        };
        Ok(Trainable {
            pretrained,
            vars,
            coef,
            bias,
            top,
        })
    }

    /// Tune the layers and heads on the tuning rows; `top` then holds the trained heads.
    fn train(
        &mut self,
        states: &States,
        sel: &Selection<'_>,
        args: &TuneArgs,
        started: std::time::Instant,
    ) -> anyhow::Result<()> {
        let layer_vars: Vec<Var> = self.vars.iter().map(|(_, v)| v.clone()).collect();
        train_top(
            &self.top,
            &layer_vars,
            (&self.coef, &self.bias),
            states,
            sel,
            args,
            started,
        )?;
        self.top.coef = self.coef.as_tensor().detach();
        self.top.bias = self.bias.as_tensor().detach();
        Ok(())
    }

    /// The encoder's weights to save: the pretrained tensors with the tuned layers in place.
    fn into_tensors(self) -> HashMap<String, Tensor> {
        let mut tensors = self.pretrained;
        for (name, var) in &self.vars {
            tensors.insert(name.clone(), var.as_tensor().detach());
        }
        tensors
    }
}

/// Every row's vector through the tuned layers, and the held-out ROC AUCs that tell what tuning
/// bought.
fn tuned_vectors(
    top: &Top,
    states: &States,
    sel: &Selection<'_>,
) -> anyhow::Result<(Vec<Vec<f32>>, Aucs)> {
    let all: Vec<usize> = (0..sel.rows.len()).collect();
    let tuned = pool_all(top, states, &all)?;
    let blend_tuned: Vec<Vec<f32>> = sel.blend.iter().map(|&i| tuned[i].clone()).collect();
    let after = held_out_auc(top, sel, &blend_tuned)?;
    Ok((tuned, after))
}

/// Bail unless the lower layers followed by [`Layer`]s give what the whole encoder gives: the
/// training twin must compute the function the service will run.
fn check_against_full_encoder(
    top: &Top,
    weights: &[u8],
    tokenizer: &[u8],
    config: &serde_json::Value,
    texts: &[String],
) -> anyhow::Result<()> {
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let full = SentenceEncoder::from_bytes(
        weights.to_vec(),
        tokenizer,
        config,
        DEFAULT_MAX_TOKENS,
        std::path::Path::new("encoder"),
    )?;
    let expected = full.embed_batch(&texts)?;
    let layers = config["num_hidden_layers"].as_u64().unwrap_or(0) as usize - top.layers.len();
    let lower = lower_encoder(
        config,
        weights,
        tokenizer,
        layers,
        std::path::Path::new("encoder"),
    )?;
    let (states, mask) = lower.token_states(&texts)?;
    let got = top.pooled(&states, &mask)?.to_vec2::<f32>()?;
    let worst = expected
        .iter()
        .flatten()
        .zip(got.iter().flatten())
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    if worst > 1e-3 {
        bail!("the trainable top layers differ from the encoder by {worst} (expected < 1e-3)");
    }
    Ok(())
}

/// ROC AUC per label of the heads in `top` over the blend-fold rows, from their vectors.
fn held_out_auc(top: &Top, sel: &Selection, vectors: &[Vec<f32>]) -> anyhow::Result<Aucs> {
    let dims = vectors.first().map_or(0, Vec::len);
    let x = Tensor::from_vec(vectors.concat(), (vectors.len(), dims), &Device::Cpu)?;
    let z = top.logits(&x)?.to_vec2::<f32>()?;
    let mut out = serde_json::Map::new();
    for label in Label::ALL {
        let l = label.index();
        let (s, y): (Vec<f32>, Vec<bool>) = sel
            .blend
            .iter()
            .zip(&z)
            .filter_map(|(&i, zi)| Some((crate::model::sigmoid(zi[l]), sel.rows[i].labels[l]?)))
            .unzip();
        if y.iter().any(|&t| t) && !y.iter().all(|&t| t) {
            out.insert(
                label.to_string(),
                serde_json::json!(super::metrics::roc_auc(&s, &y)),
            );
        }
    }
    Ok(out)
}

fn auc_line(aucs: &Aucs) -> String {
    aucs.iter()
        .map(|(k, v)| format!("{k} {:.4}", v.as_f64().unwrap_or(f64::NAN)))
        .collect::<Vec<_>>()
        .join(", ")
}
