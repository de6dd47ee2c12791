//! Training the sentence stage (see [`crate::model::encoder`]) on top of a trained fast model:
//!
//! 1. `talkback embed` runs the pretrained encoder once over every row of the data files and
//!    caches the pooled vectors (the expensive step: about 20 minutes for 113k rows on 2 cores);
//! 2. `talkback train-encoder` trains a linear head per label on the cached vectors, fits the
//!    blend with the fast model on rows neither stage trained on (fold K/N, scored by a fast
//!    model trained without that fold: `talkback train --exclude-fold K/N`), trains the heads
//!    again on every training row, and adds the stage to the full fast model's version
//!    directory: weights as f16 safetensors, tokenizer, heads and blend in the manifest.

use super::bars;
use super::dataset::{self, Row, Split};
use super::evaluate::{best_thresholds, evaluate, print_table};
use crate::domain::Scores;
use crate::domain::{Label, Thresholds};
use crate::model::Model;
use crate::model::artefact::{self, MANIFEST_FILE, Manifest};
use crate::model::encoder::neighbours::{Bank, NEIGHBOURS_FILE, NeighbourReading, NeighbourSpec};
use crate::model::encoder::{
    Blend, BlendInputs, DEFAULT_MAX_TOKENS, ENCODER_FILE, Encoder, EncoderHead, EncoderInput,
    EncoderSpec, Pretrained, SentenceEncoder, SpellingSpec, TOKENIZER_FILE, TextReader,
    tokenizer_words,
};
use crate::model::spelling::{SPELLING_FILE, Speller};
use anyhow::{Context, bail};
use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct EmbedArgs {
    /// The pretrained encoder: a directory with `config.json`, `model.safetensors` and
    /// `tokenizer.json` (what scripts/fetch_encoder.sh prints), or a model with a sentence stage.
    #[arg(long)]
    pub encoder: PathBuf,
    /// Labelled CSVs whose rows to embed (every split). Repeatable.
    #[arg(long, default_value = "../shared/data/comments.csv")]
    pub data: Vec<PathBuf>,
    /// Output: safetensors with one row per comment; the ids go to `<out>.ids`.
    #[arg(long)]
    pub out: PathBuf,
    /// Comments per forward pass (sorted by length, so little is padded).
    #[arg(long, default_value_t = 32)]
    pub batch: usize,
    /// Tokens kept per comment.
    #[arg(long, default_value_t = DEFAULT_MAX_TOKENS)]
    pub max_tokens: usize,
    /// An earlier output of this command with the same encoder: rows whose id it holds, and
    /// whose text this run reads as it did, are copied, not embedded again (retraining on new
    /// decisions embeds only the new rows; `--input corrected` after `normalized` embeds only
    /// the comments a repair changes).
    #[arg(long)]
    pub reuse: Option<PathBuf>,
    /// What the encoder reads [default: what the model given as --encoder reads; normalized
    /// for a pretrained package].
    #[arg(long, value_enum)]
    pub input: Option<EncoderInput>,
    /// Word lists (one word per line, e.g. /usr/share/dict/british-english) whose words a
    /// `corrected` input's dictionary also knows; repeatable. Unused when the encoder brings
    /// its own dictionary.
    #[arg(long)]
    pub words: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct TrainEncoderArgs {
    /// The fast model's version directory (trained on every training row); the sentence stage
    /// is added to it.
    #[arg(long)]
    pub model: PathBuf,
    /// A fast model trained with `--exclude-fold` on the same data: it scores the held-out fold
    /// the blend is fitted on.
    #[arg(long)]
    pub slice: PathBuf,
    /// The fold the slice model left out, as `K/N`.
    #[arg(long, default_value = "0/5")]
    pub fold: String,
    /// The pretrained encoder (as for `talkback embed`).
    #[arg(long)]
    pub encoder: PathBuf,
    /// Name recorded in the manifest for the encoder's origin [default: the name the source
    /// model recorded, else sentence-transformers/all-MiniLM-L6-v2].
    #[arg(long)]
    pub encoder_name: Option<String>,
    /// The vectors `talkback embed` wrote for these data files.
    #[arg(long)]
    pub embeddings: PathBuf,
    /// The same rows' vectors as the service will read them, when that differs from how the
    /// heads learn (`talkback embed --input corrected --reuse <--embeddings>`): the heads learn
    /// from `--embeddings`, comments as typed; the blend, the bars, the neighbours and the test
    /// report read these, and the model reads comments as these were read.
    #[arg(long)]
    pub serve_embeddings: Option<PathBuf>,
    /// Labelled CSVs, as given to `talkback train`. Repeatable.
    #[arg(long, default_value = "../shared/data/comments.csv")]
    pub data: Vec<PathBuf>,
    /// L2 penalty of the heads (on standardised inputs).
    #[arg(long, default_value_t = HeadConfig::default().l2)]
    pub l2: f64,
    /// Full-batch AdamW steps per head fit.
    #[arg(long, default_value_t = HeadConfig::default().steps)]
    pub steps: usize,
    /// Source weighting exponent: 1 = pooled as sampled, 0 = every source equal.
    #[arg(long, default_value_t = HeadConfig::default().source_balance)]
    pub source_balance: f64,
    /// `SOURCE=FACTOR` or `SOURCE:LABEL=FACTOR`: weigh one source's rows (for every label, or
    /// one) more or less in the heads; repeatable.
    #[arg(long)]
    pub source_weight: Vec<SourceWeight>,
    /// Train on the training rows that have a cached vector and skip the others (for the sample
    /// `talkback tune-encoder` embeds); without it a missing vector is an error.
    #[arg(long)]
    pub cached_only: bool,
    /// Check lists (a directory with `pairs.toml`, as `tests/checks`): the harmless look-alike
    /// lists bound the fitted bars. Without it the bars are fitted on held-out comments alone.
    #[arg(long)]
    pub checks: Option<PathBuf>,
    /// `LABEL=FACTOR`: the share of held-out comments positive for a bar label (abuse,
    /// incitement, threat, identity_attack) that the fitted bars hold counts `FACTOR` times in
    /// the mean they maximise; repeatable, other labels count once.
    #[arg(long)]
    pub bar_weight: Vec<bars::BarWeight>,
    /// The model these bars would replace (version directory or models root): its hold bars
    /// stay unless the fitted ones hold more of the held-out harm in at least 95% of bootstrap
    /// resamples, so a retrain does not move moderators' queues on noise.
    #[arg(long)]
    pub previous_bars: Option<PathBuf>,
    /// A label whose blend also reads the nearest training comments' labels (the share of
    /// positives among the most similar sentence vectors); repeatable. The bank of neighbours
    /// is stored with the model (8 bits per dimension) and searched on every comment scored.
    #[arg(long)]
    pub neighbours: Vec<Label>,
    /// Fit the blend on the blend-fold rows `tune-encoder --blend-rows N --seed SEED` samples,
    /// dropping the fold's other rows: refits a tuned model's sentence stage on the vectors of
    /// every row (`talkback embed --encoder MODEL`) as after its tune. Default: every
    /// blend-fold row with a vector.
    #[arg(long)]
    pub blend_rows: Option<usize>,
    /// The tune's seed, for `--blend-rows`.
    #[arg(long, default_value_t = 7, requires = "blend_rows")]
    pub seed: u64,
}

pub fn embed(args: EmbedArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let encoder = SentenceEncoder::load_pretrained(&args.encoder, args.max_tokens)?;
    let source = Pretrained::locate(&args.encoder)?;
    let input = args
        .input
        .or(source.input)
        .unwrap_or(EncoderInput::Normalized);
    let files = read_all(&args.data)?;
    let templates = super::augment::templates();
    let rows: Vec<&Row> = files
        .iter()
        .flat_map(|d| d.rows.iter())
        .chain(&templates)
        .collect();
    let reader = text_reader(&source, input, &rows, &args.words)?;
    let dims = encoder.dims();
    let reused = match &args.reuse {
        Some(path) => Some(Embeddings::load(path)?).filter(|e| e.dims == dims),
        None => None,
    };
    let cached: Vec<Option<&[f32]>> = match &reused {
        Some(e) => reusable(e, &reader, &rows),
        None => vec![None; rows.len()],
    };
    let mut order: Vec<usize> = (0..rows.len()).filter(|&i| cached[i].is_none()).collect();
    order.sort_by_key(|&i| rows[i].text.len());
    if reused.is_some() {
        eprintln!(
            "{} of {} comments already embedded",
            rows.len() - order.len(),
            rows.len()
        );
    }
    // One forward pass keeps about one core busy (only the matrix products are threaded), so
    // batches run side by side, one per core.
    let progress = Progress::new("embedded", rows.len(), 30);
    let chunks: Vec<&[usize]> = order.chunks(args.batch.max(1)).collect();
    let vectors = chunks
        .par_iter()
        .map(|chunk| {
            let texts: Vec<_> = chunk
                .iter()
                .map(|&i| reader.prepare(&rows[i].text))
                .collect();
            let texts: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
            let v = encoder.embed_batch(&texts)?;
            progress.add(chunk.len());
            Ok(v)
        })
        .collect::<Result<Vec<_>, crate::model::encoder::EncodeError>>()?;
    let mut out = vec![0f32; rows.len() * dims];
    for (i, v) in cached.iter().enumerate() {
        if let Some(v) = v {
            out[i * dims..(i + 1) * dims].copy_from_slice(v);
        }
    }
    for (chunk, vs) in chunks.iter().zip(&vectors) {
        for (&i, v) in chunk.iter().zip(vs) {
            out[i * dims..(i + 1) * dims].copy_from_slice(v);
        }
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    Embeddings::save(&args.out, &reader, &ids, out, dims)?;
    eprintln!(
        "embedded {} comments in {:.0} s -> {}",
        rows.len(),
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    Ok(())
}

/// Per row, the vector `earlier` holds for it if the encoder would read the same text again:
/// always when both runs read alike, else only where this run's reader leaves the text as the
/// earlier one did (repairing typos changes about one comment in six; the rest are copied).
fn reusable<'e>(
    earlier: &'e Embeddings,
    reader: &TextReader,
    rows: &[&Row],
) -> Vec<Option<&'e [f32]>> {
    rows.par_iter()
        .map(|r| {
            let v = earlier.get(&r.id)?;
            let same = earlier.reader == *reader
                || earlier.reader.prepare(&r.text) == reader.prepare(&r.text);
            same.then_some(v)
        })
        .collect()
}

/// How the encoder `source` reads `input`: for `corrected`, with `source`'s own dictionary if it
/// has one (a tuned package or a model: vectors, tune and model then share one), else one built
/// from the training rows among `rows`, the tokenizer's whole words and the word lists `words`.
pub(super) fn text_reader(
    source: &Pretrained,
    input: EncoderInput,
    rows: &[&Row],
    words: &[PathBuf],
) -> anyhow::Result<TextReader> {
    if !words.is_empty() && input != EncoderInput::Corrected {
        bail!("--words is for --input corrected (the dictionary typos are repaired against)");
    }
    let speller = match (input, &source.speller) {
        (EncoderInput::Corrected, Some(speller)) => Some(speller.clone()),
        (EncoderInput::Corrected, None) => {
            let tokenizer = std::fs::read(&source.tokenizer)
                .with_context(|| format!("reading {}", source.tokenizer.display()))?;
            let mut known = tokenizer_words(&tokenizer).map_err(anyhow::Error::msg)?;
            for path in words {
                let list = std::fs::read_to_string(path)
                    .with_context(|| format!("reading the word list {}", path.display()))?;
                known.extend(list.lines().map(|w| w.trim().to_string()));
            }
            let texts = rows
                .iter()
                .filter(|r| r.split != Some(Split::Test))
                .map(|r| r.text.as_str());
            let speller = Speller::build(texts, known.iter().map(String::as_str));
            eprintln!("spelling dictionary: {} words", speller.len());
            Some(speller)
        }
        _ => None,
    };
    TextReader::new(input, speller).map_err(anyhow::Error::msg)
}

fn ids_path(out: &Path) -> PathBuf {
    sibling(out, ".ids")
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The dictionary beside cached vectors of `corrected` text.
fn words_path(out: &Path) -> PathBuf {
    sibling(out, ".words")
}

fn read_all(paths: &[PathBuf]) -> anyhow::Result<Vec<dataset::Dataset>> {
    Ok(paths
        .iter()
        .map(|p| dataset::read_csv(p))
        .collect::<Result<Vec<_>, _>>()?)
}

/// Rows done out of a total, counted by parallel workers and reported on stderr at most once
/// per period (the encoder's passes over the data take tens of minutes).
pub(super) struct Progress {
    what: &'static str,
    total: usize,
    period: std::time::Duration,
    started: std::time::Instant,
    done: std::sync::atomic::AtomicUsize,
    last: parking_lot::Mutex<std::time::Instant>,
}

impl Progress {
    pub fn new(what: &'static str, total: usize, period_secs: u64) -> Progress {
        let now = std::time::Instant::now();
        Progress {
            what,
            total,
            period: std::time::Duration::from_secs(period_secs),
            started: now,
            done: std::sync::atomic::AtomicUsize::new(0),
            last: parking_lot::Mutex::new(now),
        }
    }

    pub fn add(&self, rows: usize) {
        let n = self
            .done
            .fetch_add(rows, std::sync::atomic::Ordering::Relaxed)
            + rows;
        let mut last = self.last.lock();
        if last.elapsed() >= self.period {
            *last = std::time::Instant::now();
            let seconds = self.started.elapsed().as_secs_f64();
            eprintln!(
                "{}: {n}/{} rows in {seconds:.0} s ({:.0}/s)",
                self.what,
                self.total,
                n as f64 / seconds
            );
        }
    }
}

/// Cached vectors by comment id: `<path>` holds the vectors (safetensors), `<path>.ids` one id
/// per line, after a first line `# input: <raw|normalized|corrected>` (absent in files that
/// predate it: raw); for `corrected`, `<path>.words` holds the dictionary the text was read with.
pub(super) struct Embeddings {
    pub dims: usize,
    pub reader: TextReader,
    data: Vec<f32>,
    index: HashMap<String, usize>,
}

const INPUT_HEADER: &str = "# input: ";

impl Embeddings {
    pub fn save(
        path: &Path,
        reader: &TextReader,
        ids: &[&str],
        data: Vec<f32>,
        dims: usize,
    ) -> anyhow::Result<()> {
        let tensor = Tensor::from_vec(data, (ids.len(), dims), &Device::Cpu)?;
        tensor
            .save_safetensors("embeddings", path)
            .with_context(|| format!("writing {}", path.display()))?;
        if let Some(speller) = reader.speller() {
            std::fs::write(words_path(path), speller.to_tsv())?;
        }
        let mut text = format!("{INPUT_HEADER}{}\n", reader.input().as_str());
        for id in ids {
            text.push_str(id);
            text.push('\n');
        }
        std::fs::write(ids_path(path), text)?;
        Ok(())
    }

    pub fn load(path: &Path) -> anyhow::Result<Embeddings> {
        let tensors = candle_core::safetensors::load(path, &Device::Cpu)
            .with_context(|| format!("reading {}", path.display()))?;
        let t = tensors
            .get("embeddings")
            .context("no `embeddings` tensor in the file")?;
        let (n, dims) = t.dims2()?;
        let data = t.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?;
        let ids = std::fs::read_to_string(ids_path(path))
            .with_context(|| format!("reading {}", ids_path(path).display()))?;
        let mut lines = ids.lines().peekable();
        let input = match lines.peek().and_then(|l| l.strip_prefix(INPUT_HEADER)) {
            Some(name) => {
                let input = <EncoderInput as clap::ValueEnum>::from_str(name, false)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", ids_path(path).display()))?;
                lines.next();
                input
            }
            None => EncoderInput::Raw,
        };
        let index: HashMap<String, usize> = lines
            .enumerate()
            .map(|(i, id)| (id.to_string(), i))
            .collect();
        if index.len() != n {
            bail!("{} ids for {n} vectors (ids must be unique)", index.len());
        }
        let speller = match input {
            EncoderInput::Corrected => {
                let path = words_path(path);
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                let speller = Speller::from_tsv(&text)
                    .map_err(|m| anyhow::anyhow!("{}: {m}", path.display()))?;
                Some(speller)
            }
            _ => None,
        };
        Ok(Embeddings {
            dims,
            reader: TextReader::new(input, speller).map_err(anyhow::Error::msg)?,
            data,
            index,
        })
    }

    pub fn get(&self, id: &str) -> Option<&[f32]> {
        let i = *self.index.get(id)?;
        Some(&self.data[i * self.dims..(i + 1) * self.dims])
    }
}

/// `SOURCE=FACTOR`: every row of one source weighs `FACTOR` times as much in training;
/// `SOURCE:LABEL=FACTOR` does so for that label only (and overrides the source's factor there).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceWeight {
    pub source: String,
    pub label: Option<Label>,
    pub factor: f64,
}

impl std::str::FromStr for SourceWeight {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (target, factor) = super::split_factor(s, "SOURCE=FACTOR or SOURCE:LABEL=FACTOR")?;
        let (source, label) = match target.split_once(':') {
            Some((source, label)) => (
                source,
                Some(
                    label
                        .trim()
                        .parse::<Label>()
                        .map_err(|e| format!("{e} (in {s:?})"))?,
                ),
            ),
            None => (target, None),
        };
        if source.trim().is_empty() {
            return Err(format!("expected a source name, got {s:?}"));
        }
        Ok(Self {
            source: source.trim().to_string(),
            label,
            factor,
        })
    }
}

impl std::fmt::Display for SourceWeight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.label {
            Some(label) => write!(f, "{}:{label}", self.source),
            None => f.write_str(&self.source),
        }
    }
}

/// Refuses a weight for a source that has no rows, or a label that source's rows never label (a
/// misspelt name would weigh nothing, and the run would look as if it had), and a source (or
/// source and label) given twice (only the first factor would count).
pub(super) fn check_source_weights<'a>(
    weights: &[SourceWeight],
    rows: impl IntoIterator<Item = &'a Row>,
) -> anyhow::Result<()> {
    let mut labelled: HashMap<&str, [bool; 6]> = HashMap::new();
    for r in rows {
        let seen = labelled.entry(r.source.as_str()).or_default();
        for (seen, cell) in seen.iter_mut().zip(&r.labels) {
            *seen |= cell.is_some();
        }
    }
    for (i, w) in weights.iter().enumerate() {
        if weights[..i]
            .iter()
            .any(|earlier| earlier.source == w.source && earlier.label == w.label)
        {
            bail!("--source-weight {w}: given twice; give each one factor");
        }
        let Some(seen) = labelled.get(w.source.as_str()) else {
            let mut known: Vec<&str> = labelled.keys().copied().collect();
            known.sort_unstable();
            bail!(
                "--source-weight {w}: no training row has that source (sources: {})",
                known.join(", ")
            );
        };
        if let Some(label) = w.label
            && !seen[label.index()]
        {
            let has: Vec<&str> = Label::ALL
                .iter()
                .filter(|l| seen[l.index()])
                .map(|l| l.as_str())
                .collect();
            bail!(
                "--source-weight {w}: no {} row labels {label} (it labels: {})",
                w.source,
                has.join(", ")
            );
        }
    }
    Ok(())
}

/// Each label's factor for one source: its own `SOURCE:LABEL` factor, else the source's, else 1.
fn label_factors(source: &str, weights: &[SourceWeight]) -> [f64; 6] {
    let of = |label: Option<Label>| {
        weights
            .iter()
            .find(|w| w.source == source && w.label == label)
            .map(|w| w.factor)
    };
    let whole = of(None).unwrap_or(1.0);
    Label::ALL.map(|label| of(Some(label)).unwrap_or(whole))
}

#[derive(Debug, Clone)]
pub struct HeadConfig {
    pub l2: f64,
    pub steps: usize,
    pub lr: f64,
    pub source_balance: f64,
    pub source_weights: Vec<SourceWeight>,
}

impl Default for HeadConfig {
    fn default() -> Self {
        Self {
            l2: 1e-4,
            steps: 300,
            lr: 0.05,
            source_balance: 0.5,
            source_weights: Vec::new(),
        }
    }
}

/// One linear head per label that has both classes among `rows`: weighted logistic regression
/// on standardised inputs (full-batch AdamW with candle's autograd), folded back to raw inputs.
/// Each label's loss is the weighted mean over the rows labelled for it; a source's rows
/// weigh `n_source^(balance - 1)` each, so no source drowns the others.
pub fn train_heads(
    rows: &[(&Row, &[f32])],
    dims: usize,
    cfg: &HeadConfig,
) -> anyhow::Result<Vec<EncoderHead>> {
    let n = rows.len();
    let dev = Device::Cpu;
    let mut mean = vec![0f64; dims];
    let mut sq = vec![0f64; dims];
    for (_, v) in rows {
        for ((m, s), &x) in mean.iter_mut().zip(sq.iter_mut()).zip(*v) {
            *m += f64::from(x);
            *s += f64::from(x) * f64::from(x);
        }
    }
    let mean: Vec<f32> = mean.iter().map(|m| (m / n.max(1) as f64) as f32).collect();
    let std: Vec<f32> = sq
        .iter()
        .zip(&mean)
        .map(|(s, &m)| ((s / n.max(1) as f64 - f64::from(m * m)).max(1e-8)).sqrt() as f32)
        .collect();
    let mut x = Vec::with_capacity(n * dims);
    for (_, v) in rows {
        x.extend(v.iter().zip(&mean).zip(&std).map(|((a, m), s)| (a - m) / s));
    }
    let labelled: Vec<&Row> = rows.iter().map(|(r, _)| *r).collect();
    let (y, w, present) = targets(&labelled, cfg.source_balance, &cfg.source_weights);
    let x = Tensor::from_vec(x, (n, dims), &dev)?;
    let y = Tensor::from_vec(y, (n, 6), &dev)?;
    let w = Tensor::from_vec(w, (n, 6), &dev)?;
    let coef = Var::zeros((dims, 6), DType::F32, &dev)?;
    let bias = Var::zeros(6, DType::F32, &dev)?;
    let params = ParamsAdamW {
        lr: cfg.lr,
        weight_decay: 0.0,
        ..Default::default()
    };
    let mut opt = AdamW::new(vec![coef.clone(), bias.clone()], params)?;
    for _ in 0..cfg.steps {
        let z = x
            .matmul(coef.as_tensor())?
            .broadcast_add(bias.as_tensor())?;
        // Log loss with logits, stably: softplus(z) - y z.
        let softplus = (z.relu()? + ((z.abs()?.neg()?.exp()? + 1.0)?.log()?))?;
        let loss = ((softplus - (&y * &z)?)? * &w)?.sum_all()?;
        let penalty = (coef.as_tensor().sqr()?.sum_all()? * (cfg.l2 / 2.0))?;
        opt.backward_step(&(loss + penalty)?)?;
    }
    let coef = coef.as_tensor().to_vec2::<f32>()?;
    let bias = bias.as_tensor().to_vec1::<f32>()?;
    let mut heads = Vec::new();
    for label in Label::ALL.into_iter().filter(|l| present[l.index()]) {
        let l = label.index();
        let weights: Vec<f32> = (0..dims).map(|d| coef[d][l] / std[d]).collect();
        let shift: f32 = (0..dims).map(|d| weights[d] * mean[d]).sum();
        heads.push(EncoderHead {
            label,
            weights,
            bias: bias[l] - shift,
        });
    }
    Ok(heads)
}

/// Per row and label (`[row * 6 + label]`): the target (0/1) and the weight. Unlabelled cells
/// weigh 0; a source's rows weigh `n_source^(balance - 1)` each, so no source drowns the
/// others, times the factor `source_weights` gives that source and label; each label's weights sum
/// to one, so a label with fewer rows learns as fast as the others. `present[l]`: label `l` has
/// both classes.
pub(super) fn targets(
    rows: &[&Row],
    source_balance: f64,
    source_weights: &[SourceWeight],
) -> (Vec<f32>, Vec<f32>, [bool; 6]) {
    let n = rows.len();
    let mut y = vec![0f32; n * 6];
    let mut w = vec![0f32; n * 6];
    let mut by_source: HashMap<&str, [f64; 6]> = HashMap::new();
    let factors: Vec<[f64; 6]> = rows
        .iter()
        .map(|r| {
            *by_source
                .entry(r.source.as_str())
                .or_insert_with(|| label_factors(&r.source, source_weights))
        })
        .collect();
    for label in Label::ALL {
        let l = label.index();
        let mut per_source: HashMap<&str, usize> = HashMap::new();
        for r in rows {
            if r.labels[l].is_some() {
                *per_source.entry(r.source.as_str()).or_default() += 1;
            }
        }
        for (i, r) in rows.iter().enumerate() {
            if let Some(t) = r.labels[l] {
                let ns = per_source[r.source.as_str()] as f64;
                w[i * 6 + l] =
                    (f64::from(r.weight) * ns.powf(source_balance - 1.0) * factors[i][l]) as f32;
                y[i * 6 + l] = f32::from(u8::from(t));
            }
        }
    }
    let mut present = [false; 6];
    for l in 0..6 {
        let (total, pos) = (0..n).fold((0f64, 0f64), |(t, p), i| {
            (
                t + f64::from(w[i * 6 + l]),
                p + f64::from(w[i * 6 + l] * y[i * 6 + l]),
            )
        });
        present[l] = total > 0.0 && pos > 0.0 && pos < total;
        for i in 0..n {
            w[i * 6 + l] = if present[l] {
                (f64::from(w[i * 6 + l]) / total) as f32
            } else {
                0.0
            };
        }
    }
    (y, w, present)
}

/// Logistic regression of `y` on the blend's inputs with an intercept, by Newton's method with
/// step halving (four parameters), with a whisper of L2 so separable data stays finite. An input
/// that is zero on every row (no neighbours) gets weight zero.
fn fit_blend(label: Label, z: &[BlendInputs], y: &[bool]) -> Blend {
    const L2: f64 = 1e-3;
    let features = |x: &BlendInputs| {
        [
            f64::from(x.fast),
            f64::from(x.sentence),
            f64::from(x.neighbours),
            1.0,
        ]
    };
    let loss = |p: &[f64; 4]| -> f64 {
        let data: f64 = z
            .iter()
            .zip(y)
            .map(|(zi, &t)| {
                let s: f64 = features(zi).iter().zip(p).map(|(x, w)| x * w).sum();
                // log(1 + e^s) - t s, stably.
                s.max(0.0) + (-s.abs()).exp().ln_1p() - if t { s } else { 0.0 }
            })
            .sum();
        data + L2 / 2.0 * (p[0] * p[0] + p[1] * p[1] + p[2] * p[2])
    };
    let mut p = [1.0f64, 0.0, 0.0, 0.0];
    let mut current = loss(&p);
    for _ in 0..100 {
        let mut g = [0f64; 4];
        let mut h = [[0f64; 4]; 4];
        for (zi, &t) in z.iter().zip(y) {
            let v = features(zi);
            let s: f64 = v.iter().zip(&p).map(|(x, w)| x * w).sum();
            let q = 1.0 / (1.0 + (-s).exp());
            let r = q - f64::from(u8::from(t));
            let d = (q * (1.0 - q)).max(1e-12);
            for i in 0..4 {
                g[i] += r * v[i];
                for j in 0..4 {
                    h[i][j] += d * v[i] * v[j];
                }
            }
        }
        for i in 0..3 {
            g[i] += L2 * p[i];
            h[i][i] += L2;
        }
        let step = solve(h, g);
        // Halve the step until the loss goes down: a full Newton step from far away can
        // overshoot where the curvature is flat.
        let mut t = 1.0;
        let mut improved = false;
        for _ in 0..40 {
            let trial: [f64; 4] = std::array::from_fn(|i| p[i] - t * step[i]);
            let l = loss(&trial);
            if l.is_finite() && l <= current {
                p = trial;
                current = l;
                improved = true;
                break;
            }
            t /= 2.0;
        }
        if !improved || step.iter().all(|s| (t * s).abs() < 1e-8) {
            break;
        }
    }
    Blend {
        label,
        fast: p[0] as f32,
        encoder: p[1] as f32,
        neighbours: p[2] as f32,
        bias: p[3] as f32,
    }
}

/// Keep the service's bars costing what they cost with the fast model: map the blended log-odds
/// linearly so that, over the held-out rows `z` (fast, sentence) labelled negative in `y`, as
/// many harmless comments reach the hold bar and the reject bar as with the fast model alone.
/// Moderators then read no more false alarms than before, and the better ranking shows as more
/// true positives held; the map is increasing, so every ROC AUC is unchanged.
fn anchor(blend: Blend, z: &[BlendInputs], y: &[bool], bars: &Thresholds) -> Blend {
    let negatives: Vec<BlendInputs> = z
        .iter()
        .zip(y)
        .filter(|(_, t)| !**t)
        .map(|(zi, _)| *zi)
        .collect();
    let z = if negatives.is_empty() { z } else { &negatives };
    let logit = |p: f32| f64::from((p / (1.0 - p)).ln());
    let hold = bars.hold.get(&blend.label).copied().unwrap_or(0.5);
    let reject = bars
        .reject
        .get(&blend.label)
        .copied()
        .unwrap_or(0.97)
        .max(hold + 0.01);
    let (zl, zh) = (logit(hold), logit(reject));
    let share =
        |t: f64| z.iter().filter(|x| f64::from(x.fast) >= t).count() as f64 / z.len().max(1) as f64;
    let (p_hold, p_reject) = (share(zl), share(zh));
    let mut blended: Vec<f64> = z.iter().map(|&x| f64::from(blend.apply(x))).collect();
    blended.sort_unstable_by(f64::total_cmp);
    let quantile = |q: f64| {
        let i = ((blended.len().saturating_sub(1)) as f64 * q).round() as usize;
        blended.get(i).copied().unwrap_or(0.0)
    };
    let (s1, s2) = (quantile(1.0 - p_hold), quantile(1.0 - p_reject));
    if !(s2 - s1 > 1e-6 && p_reject > 0.0) {
        return blend;
    }
    let a = (zh - zl) / (s2 - s1);
    let shift = zl - a * s1;
    Blend {
        label: blend.label,
        fast: (f64::from(blend.fast) * a) as f32,
        encoder: (f64::from(blend.encoder) * a) as f32,
        neighbours: (f64::from(blend.neighbours) * a) as f32,
        bias: (f64::from(blend.bias) * a + shift) as f32,
    }
}

/// `h^-1 g` for a symmetric positive-definite `h` (Gaussian elimination with partial
/// pivoting); zeros if `h` is singular.
fn solve<const N: usize>(mut h: [[f64; N]; N], mut g: [f64; N]) -> [f64; N] {
    for c in 0..N {
        let pivot = (c..N)
            .max_by(|&a, &b| h[a][c].abs().total_cmp(&h[b][c].abs()))
            .unwrap_or(c);
        if h[pivot][c].abs() < 1e-300 {
            return [0.0; N];
        }
        h.swap(c, pivot);
        g.swap(c, pivot);
        let pivot_row = h[c];
        for r in c + 1..N {
            let f = h[r][c] / pivot_row[c];
            for (x, p) in h[r][c..].iter_mut().zip(&pivot_row[c..]) {
                *x -= f * p;
            }
            g[r] -= f * g[c];
        }
    }
    let mut x = [0f64; N];
    for r in (0..N).rev() {
        let rest: f64 = (r + 1..N).map(|k| h[r][k] * x[k]).sum();
        x[r] = (g[r] - rest) / h[r][r];
    }
    x
}

/// The training rows (and built-in sentences) that have a cached vector, with it; without
/// `--cached-only` a missing vector is an error.
fn rows_with_vectors<'a>(
    files: &'a [dataset::Dataset],
    templates: &'a [Row],
    emb: &'a Embeddings,
    cached_only: bool,
) -> anyhow::Result<Vec<(&'a Row, &'a [f32])>> {
    let candidates: Vec<&Row> = files
        .iter()
        .flat_map(|ds| {
            ds.rows
                .iter()
                .filter(|r| !ds.has_split || r.split == Some(Split::Train))
        })
        .chain(templates)
        .collect();
    let mut train = Vec::with_capacity(candidates.len());
    for r in &candidates {
        match emb.get(&r.id) {
            Some(v) => train.push((*r, v)),
            None if cached_only => {}
            None => bail!(
                "no cached vector for row {}: run `talkback embed` again",
                r.id
            ),
        }
    }
    if cached_only {
        eprintln!(
            "{} of {} training rows have a cached vector",
            train.len(),
            candidates.len()
        );
    }
    Ok(train)
}

/// `rows` with the vectors `emb` holds for them instead.
fn read_as<'a>(
    rows: &[(&'a Row, &'a [f32])],
    emb: &'a Embeddings,
) -> anyhow::Result<Vec<(&'a Row, &'a [f32])>> {
    rows.iter()
        .map(|(r, _)| {
            let v = emb
                .get(&r.id)
                .with_context(|| format!("no vector for row {} in --serve-embeddings", r.id))?;
            Ok((*r, v))
        })
        .collect()
}

/// A fast model and sentence heads trained without the held-out fold.
struct Slice {
    fast: Model,
    sentence: Encoder,
}

impl Slice {
    /// Per held-out row and label, what the blend reads of it: the slice's fast log-odds and
    /// sentence head's (neighbours are added once chosen, see [`choose_readings`]).
    fn inputs(&self, held: &[(&Row, &[f32])]) -> Vec<[BlendInputs; 6]> {
        held.par_iter()
            .map(|(r, v)| {
                let fast = self.fast.fast_logits(&r.text);
                let sentence = self.sentence.logits(v);
                std::array::from_fn(|l| BlendInputs {
                    fast: fast[l],
                    sentence: sentence[l],
                    neighbours: 0.0,
                })
            })
            .collect()
    }
}

/// The candidate readings of the neighbours, `(k, temperature)`: the grid the experiment
/// searched (docs/experiments/2026-12-06-neighbours.md).
const NEIGHBOUR_CANDIDATES: [(usize, f32); 12] = [
    (10, 0.0),
    (10, 10.0),
    (10, 20.0),
    (30, 0.0),
    (30, 10.0),
    (30, 20.0),
    (100, 0.0),
    (100, 10.0),
    (100, 20.0),
    (300, 0.0),
    (300, 10.0),
    (300, 20.0),
];

/// The ROC AUC of the blend over `z` when each fifth of the rows is scored by a blend fitted on
/// the other four.
fn cross_validated_auc(label: Label, z: &[BlendInputs], y: &[bool]) -> Option<f64> {
    const FOLDS: usize = 5;
    let mut scores = vec![0f32; z.len()];
    for fold in 0..FOLDS {
        let (fit_z, fit_y): (Vec<BlendInputs>, Vec<bool>) = z
            .iter()
            .zip(y)
            .enumerate()
            .filter(|(i, _)| i % FOLDS != fold)
            .map(|(_, (x, t))| (*x, *t))
            .unzip();
        let b = fit_blend(label, &fit_z, &fit_y);
        for (i, x) in z.iter().enumerate().filter(|(i, _)| i % FOLDS == fold) {
            scores[i] = crate::model::sigmoid(b.apply(*x));
        }
    }
    super::metrics::roc_auc(&scores, y)
}

/// Per label, the reading of `bank` under which the blend ranks the held-out rows labelled for
/// it best, by cross-validation within them; each held-out row's neighbour log-odds by that
/// reading go into `inputs` (every row's: the bars are fitted on them all).
fn choose_readings(
    bank: &mut Bank,
    labels: &[Label],
    held: &[(&Row, &[f32])],
    inputs: &mut [[BlendInputs; 6]],
) -> serde_json::Map<String, serde_json::Value> {
    let most = NEIGHBOUR_CANDIDATES.iter().map(|c| c.0).max().unwrap_or(1);
    let mut readings = Vec::new();
    let mut info = serde_json::Map::new();
    for &label in labels {
        let l = label.index();
        let nearest: Vec<Vec<(f32, bool)>> = held
            .par_iter()
            .map(|(_, v)| bank.nearest(v, label, most))
            .collect();
        let rows: Vec<usize> = (0..held.len())
            .filter(|&i| held[i].0.labels[l].is_some())
            .collect();
        let y: Vec<bool> = rows
            .iter()
            .map(|&i| held[i].0.labels[l] == Some(true))
            .collect();
        let auc_with = |reading: Option<NeighbourReading>| {
            let z: Vec<BlendInputs> = rows
                .iter()
                .map(|&i| BlendInputs {
                    neighbours: reading.map_or(0.0, |r| r.logit(&nearest[i])),
                    ..inputs[i][l]
                })
                .collect();
            cross_validated_auc(label, &z, &y)
        };
        let without = auc_with(None);
        let (best, auc) = NEIGHBOUR_CANDIDATES
            .iter()
            .map(|&(k, temperature)| {
                let reading = NeighbourReading {
                    label,
                    k,
                    temperature,
                };
                (reading, auc_with(Some(reading)))
            })
            .max_by(|a, b| a.1.unwrap_or(0.0).total_cmp(&b.1.unwrap_or(0.0)))
            .expect("candidates are not empty");
        let chosen = serde_json::json!({
            "k": best.k,
            "temperature": best.temperature,
            "rows": rows.len(),
            "cv_auc_without": without,
            "cv_auc_with": auc,
        });
        eprintln!("neighbours {label}: {chosen}");
        info.insert(label.to_string(), chosen);
        for (x, near) in inputs.iter_mut().zip(&nearest) {
            x[l].neighbours = best.logit(near);
        }
        readings.push(best);
    }
    bank.set_readings(readings);
    info
}

/// Per label the fast model has a head for: the blend of the inputs fitted on the held-out
/// rows, with its ROC AUCs.
fn fit_blends(
    held: &[(&Row, &[f32])],
    inputs: &[[BlendInputs; 6]],
    heads: &[EncoderHead],
) -> (Vec<Blend>, serde_json::Map<String, serde_json::Value>) {
    let mut blend = Vec::new();
    let mut blend_info = serde_json::Map::new();
    for head in heads {
        let l = head.label.index();
        let (z, y): (Vec<BlendInputs>, Vec<bool>) = held
            .iter()
            .zip(inputs)
            .filter_map(|((r, _), x)| Some((x[l], r.labels[l]?)))
            .unzip();
        if !y.iter().any(|&t| t) || y.iter().all(|&t| t) {
            continue;
        }
        let b = anchor(
            fit_blend(head.label, &z, &y),
            &z,
            &y,
            &super::config::calibration_bars(),
        );
        let auc = |f: &dyn Fn(&BlendInputs) -> f32| {
            // roc_auc reads probabilities.
            let s: Vec<f32> = z.iter().map(|x| crate::model::sigmoid(f(x))).collect();
            super::metrics::roc_auc(&s, &y)
        };
        let mut info = serde_json::json!({
            "rows": y.len(),
            "auc_fast": auc(&|x| x.fast),
            "auc_sentence": auc(&|x| x.sentence),
            "auc_blend": auc(&|x| b.apply(*x)),
        });
        if b.neighbours != 0.0 {
            info["auc_neighbours"] = auc(&|x| x.neighbours).into();
        }
        eprintln!("blend {}: {info}", head.label);
        blend_info.insert(head.label.to_string(), info);
        blend.push(b);
    }
    (blend, blend_info)
}

/// Held-out comments as a model trained without them scores them: the bars are fitted on these
/// once the whole model is written.
fn held_out(
    held: &[(&Row, &[f32])],
    inputs: &[[BlendInputs; 6]],
    blend: &[Blend],
) -> Vec<bars::HeldOut> {
    held.iter()
        .zip(inputs)
        .map(|((r, _), x)| {
            let fast = x.map(|x| x.fast);
            let mut z = fast;
            for b in blend {
                z[b.label.index()] = b.apply(x[b.label.index()]);
            }
            bars::HeldOut {
                blended: z.map(crate::model::sigmoid),
                fast: fast.map(crate::model::sigmoid),
                labels: r.labels,
            }
        })
        .collect()
}

/// The written model on the test split, the cached vectors standing in for running the
/// encoder again (the same numbers, within padding's rounding), which keeps this step in
/// minutes: thresholds suggested from it and the report, as `talkback train` gives for the fast
/// model.
fn test_report(
    model: &Model,
    files: &[dataset::Dataset],
    emb: &Embeddings,
) -> anyhow::Result<(BTreeMap<Label, f32>, serde_json::Value)> {
    let rows: Vec<&Row> = files
        .iter()
        .flat_map(|ds| ds.rows.iter())
        .filter(|r| r.split == Some(Split::Test))
        .collect();
    let stage = model
        .active_encoder()
        .context("the written model has no sentence stage")?;
    if let Some(r) = rows.iter().find(|r| emb.get(&r.id).is_none()) {
        bail!(
            "no cached vector for test row {}: run `talkback embed` again",
            r.id
        );
    }
    let scores: Vec<Scores> = rows
        .par_iter()
        .map(|r| {
            let mut z = model.fast_logits(&r.text);
            if let Some(v) = emb.get(&r.id) {
                stage.blend_into(&mut z, v);
            }
            model.probabilities(&z)
        })
        .collect();
    let thresholds = best_thresholds(model, &rows, &scores);
    let report = evaluate(model, &rows, &scores, &thresholds);
    print_table(&report);
    Ok((
        thresholds,
        serde_json::json!({ "split": "test", "report": report }),
    ))
}

/// The harmless check lists of `checks`, scored by the written model.
fn harmless_scores(
    model: &Model,
    checks: Option<&Path>,
) -> anyhow::Result<Vec<bars::HarmlessList>> {
    let Some(dir) = checks else {
        return Ok(Vec::new());
    };
    Ok(bars::harmless_lists(dir)?
        .into_iter()
        .map(|(name, texts)| {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let scores = model
                .score_only_batch(&texts)
                .iter()
                .map(|s| Label::ALL.map(|l| s.get(l).unwrap_or(0.0)))
                .collect();
            bars::HarmlessList { name, scores }
        })
        .collect())
}

/// Bars fitted on the held-out comments and the harmless lists, recorded in the manifest.
fn fit_bars(
    manifest: &mut Manifest,
    heldout: &[bars::HeldOut],
    lists: &[bars::HarmlessList],
    labels: &[Label],
    factors: &BTreeMap<Label, f64>,
    previous: Option<&BTreeMap<Label, f32>>,
) -> anyhow::Result<()> {
    match bars::fit(
        heldout,
        lists,
        labels,
        &super::config::calibration_bars(),
        factors,
        previous,
    ) {
        Some(fitted) => {
            eprintln!("fitted bars: {}", serde_json::to_string(&fitted)?);
            manifest.bars = Some(fitted.bars.clone());
            if let Some(training) = manifest
                .encoder
                .as_mut()
                .and_then(|e| e.training.as_object_mut())
            {
                training.insert("bars".into(), serde_json::to_value(&fitted)?);
            }
        }
        None => eprintln!(
            "no bars fitted: the held-out fold lacks harmful or harmless comments, or no \
             candidate meets the load and look-alike bounds (the service keeps its defaults)"
        ),
    }
    Ok(())
}

pub fn train_encoder(args: TrainEncoderArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let (k, n_folds) = dataset::parse_fold(&args.fold).context("--fold must be K/N with K < N")?;
    let bar_factors = bars::label_factors(&args.bar_weight).map_err(anyhow::Error::msg)?;
    let twice = (args.neighbours.iter().enumerate())
        .find_map(|(i, l)| args.neighbours[..i].contains(l).then_some(l));
    if let Some(label) = twice {
        bail!("--neighbours names {label} twice");
    }
    let dir = artefact::resolve_dir(&args.model)?;
    let cfg = HeadConfig {
        l2: args.l2,
        steps: args.steps,
        source_balance: args.source_balance,
        source_weights: args.source_weight.clone(),
        ..HeadConfig::default()
    };
    let previous_bars = match &args.previous_bars {
        Some(path) => {
            let previous = Model::load(path)
                .with_context(|| format!("loading --previous-bars {}", path.display()))?;
            previous.manifest().bars.as_ref().map(|b| b.hold.clone())
        }
        None => None,
    };
    let files = read_all(&args.data)?;
    let emb = Embeddings::load(&args.embeddings)?;
    let serve = args
        .serve_embeddings
        .as_deref()
        .map(Embeddings::load)
        .transpose()?;
    if let Some(serve) = serve.as_ref().filter(|s| s.dims != emb.dims) {
        bail!(
            "--serve-embeddings holds {}-dimensional vectors, --embeddings {}",
            serve.dims,
            emb.dims
        );
    }
    let serving = serve.as_ref().unwrap_or(&emb);
    // The built-in sentences train this stage too, as they train the fast model.
    let templates = super::augment::templates();
    let mut train = rows_with_vectors(&files, &templates, &emb, args.cached_only)?;
    let in_blend_fold =
        |r: &Row| r.source != super::augment::SOURCE && dataset::fold_of(&r.id, n_folds) == k;
    if let Some(n) = args.blend_rows {
        let (_, blend_pool, _) = super::tune::shuffled_pools(&files, &args.fold, args.seed)?;
        let sampled: HashSet<&str> = blend_pool.iter().take(n).map(|r| r.id.as_str()).collect();
        train.retain(|(r, _)| !in_blend_fold(r) || sampled.contains(r.id.as_str()));
    }
    check_source_weights(&cfg.source_weights, train.iter().map(|(r, _)| *r))?;
    type RowVectors<'a> = Vec<(&'a Row, &'a [f32])>;
    let (held, rest): (RowVectors, RowVectors) = train.iter().partition(|(r, _)| in_blend_fold(r));
    let (held_served, rest_served) = match &serve {
        Some(serve) => (read_as(&held, serve)?, read_as(&rest, serve)?),
        None => (held.clone(), rest.clone()),
    };
    eprintln!(
        "sentence heads: {} training rows, {} held out for the blend",
        rest.len(),
        held.len()
    );
    let slice_heads = train_heads(&rest, emb.dims, &cfg)?;
    let source = Pretrained::locate(&args.encoder)?;
    let name = args
        .encoder_name
        .clone()
        .or_else(|| source.name.clone())
        .unwrap_or_else(|| "sentence-transformers/all-MiniLM-L6-v2".into());
    let sentence = SentenceEncoder::load_pretrained(&args.encoder, DEFAULT_MAX_TOKENS)?;
    let slice_spec = spec_with(&source, &name, &slice_heads, Vec::new(), &serving.reader);
    let speller = serving.reader.speller().cloned();
    let slice = Slice {
        fast: Model::load(&args.slice)?,
        sentence: Encoder::from_parts(sentence, &slice_spec, None, speller)
            .map_err(anyhow::Error::msg)?,
    };
    let mut inputs = slice.inputs(&held_served);
    // The neighbours are the rows the blend does not learn from, at training and at serving
    // alike, so the blend weighs them as the service will read them.
    let (neighbours, neighbour_info) = if args.neighbours.is_empty() {
        (None, serde_json::Map::new())
    } else {
        let mut bank = Bank::build(
            emb.dims,
            rest_served.iter().map(|(r, v)| (*v, r.labels)),
            &args.neighbours,
        );
        let info = choose_readings(&mut bank, &args.neighbours, &held_served, &mut inputs);
        (Some(bank), info)
    };
    let (blend, blend_info) = fit_blends(&held_served, &inputs, &slice_heads);
    let heldout = held_out(&held_served, &inputs, &blend);
    let heads = train_heads(&train, emb.dims, &cfg)?;
    let mut spec = spec_with(&source, &name, &heads, blend, &serving.reader);
    spec.heads_input = Some(emb.reader.input()).filter(|&i| i != serving.reader.input());
    spec.neighbours = neighbours
        .map(|bank| write_neighbours(&dir, &bank))
        .transpose()?;
    spec.training = serde_json::json!({
        "tuning": source.tuning,
        "data": args.data,
        "rows": train.len(),
        "blend_fold": args.fold,
        "blend_rows": args.blend_rows.map(|n| serde_json::json!({ "rows": n, "seed": args.seed })),
        "blend": blend_info,
        "neighbours": neighbour_info,
        "l2": cfg.l2,
        "steps": cfg.steps,
        "lr": cfg.lr,
        "source_balance": cfg.source_balance,
        "source_weights": cfg.source_weights,
        "seconds": started.elapsed().as_secs_f64(),
    });
    write_stage(&dir, &source, &serving.reader, &mut spec)?;
    // Load what was written, exactly as the service will.
    let model = Model::load(&dir)?;
    let mpath = dir.join(MANIFEST_FILE);
    let mut manifest: Manifest = serde_json::from_str(&std::fs::read_to_string(&mpath)?)?;
    (manifest.thresholds, manifest.metrics) = test_report(&model, &files, serving)?;
    let lists = harmless_scores(&model, args.checks.as_deref())?;
    fit_bars(
        &mut manifest,
        &heldout,
        &lists,
        model.labels(),
        &bar_factors,
        previous_bars.as_ref(),
    )?;
    std::fs::write(&mpath, serde_json::to_string_pretty(&manifest)? + "\n")?;
    eprintln!(
        "sentence stage added to {} in {:.0} s",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn spec_with(
    pretrained: &Pretrained,
    name: &str,
    heads: &[EncoderHead],
    blend: Vec<Blend>,
    reader: &TextReader,
) -> EncoderSpec {
    EncoderSpec {
        name: name.to_string(),
        weights_file: ENCODER_FILE.into(),
        weights_bytes: 0,
        weights_sha256: String::new(),
        tokenizer_file: TOKENIZER_FILE.into(),
        tokenizer_bytes: 0,
        tokenizer_sha256: String::new(),
        config: pretrained.config.clone(),
        max_tokens: DEFAULT_MAX_TOKENS,
        input: reader.input(),
        spelling: reader.speller().map(|s| SpellingSpec {
            file: SPELLING_FILE.into(),
            bytes: 0,
            sha256: String::new(),
            words: s.len(),
        }),
        heads_input: None,
        heads: heads.to_vec(),
        blend,
        neighbours: None,
        training: serde_json::Value::Null,
    }
}

/// Write the bank into the version directory `dir` and describe it for the manifest.
fn write_neighbours(dir: &Path, bank: &Bank) -> anyhow::Result<NeighbourSpec> {
    let bytes = bank.to_bytes()?;
    std::fs::write(dir.join(NEIGHBOURS_FILE), &bytes)?;
    Ok(NeighbourSpec {
        file: NEIGHBOURS_FILE.into(),
        bytes: bytes.len() as u64,
        sha256: artefact::sha256_hex(&bytes),
        rows: bank.rows(),
        labels: bank.readings().to_vec(),
    })
}

/// Write the encoder's weights as f16 safetensors, its tokenizer and the dictionary `reader`
/// repairs with into the version directory `dir`, record sizes and checksums in `spec`, and add
/// `spec` to the manifest.
fn write_stage(
    dir: &Path,
    pretrained: &Pretrained,
    reader: &TextReader,
    spec: &mut EncoderSpec,
) -> anyhow::Result<()> {
    let source = &pretrained.weights;
    let tensors = candle_core::safetensors::load(source, &Device::Cpu)
        .with_context(|| format!("reading {}", source.display()))?;
    let half: HashMap<String, Tensor> = tensors
        .into_iter()
        .map(|(name, t)| Ok((name, t.to_dtype(DType::F16)?)))
        .collect::<candle_core::Result<_>>()?;
    let weights_path = dir.join(&spec.weights_file);
    candle_core::safetensors::save(&half, &weights_path)?;
    // Written again through std so the file gets the usual permissions (the save above makes it
    // readable by its owner only, which a service running as another user cannot load).
    let weights = std::fs::read(&weights_path)?;
    std::fs::remove_file(&weights_path)?;
    std::fs::write(&weights_path, &weights)?;
    spec.weights_bytes = weights.len() as u64;
    spec.weights_sha256 = artefact::sha256_hex(&weights);
    let tokenizer = std::fs::read(&pretrained.tokenizer)?;
    std::fs::write(dir.join(&spec.tokenizer_file), &tokenizer)?;
    spec.tokenizer_bytes = tokenizer.len() as u64;
    spec.tokenizer_sha256 = artefact::sha256_hex(&tokenizer);
    if let (Some(spelling), Some(speller)) = (spec.spelling.as_mut(), reader.speller()) {
        let words = speller.to_tsv();
        std::fs::write(dir.join(&spelling.file), &words)?;
        spelling.bytes = words.len() as u64;
        spelling.sha256 = artefact::sha256_hex(words.as_bytes());
    }
    let mpath = dir.join(MANIFEST_FILE);
    let mut manifest: Manifest = serde_json::from_str(&std::fs::read_to_string(&mpath)?)?;
    manifest.encoder = Some(spec.clone());
    let json = serde_json::to_string_pretty(&manifest)?;
    std::fs::write(&mpath, json + "\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, source: &str, abuse: Option<bool>) -> Row {
        Row {
            id: id.into(),
            source: source.into(),
            split: Some(Split::Train),
            text: String::new(),
            labels: [abuse, None, None, None, None, None],
            weight: 1.0,
        }
    }

    #[test]
    fn heads_learn_a_direction_and_fold_the_standardisation_back() {
        // Abuse is "dimension 1 above 5"; dimension 0 is noise with a large offset.
        let mut rows = Vec::new();
        let mut vectors = Vec::new();
        for i in 0..400 {
            let x1 = 5.0 + ((i * 37 % 100) as f32 - 50.0) / 10.0;
            vectors.push(vec![100.0 + (i % 7) as f32, x1, 0.0]);
            rows.push(row(
                &format!("r{i}"),
                if i % 2 == 0 { "a" } else { "b" },
                Some(x1 > 5.0),
            ));
        }
        let pairs: Vec<(&Row, &[f32])> = rows
            .iter()
            .zip(&vectors)
            .map(|(r, v)| (r, v.as_slice()))
            .collect();
        let heads = train_heads(&pairs, 3, &HeadConfig::default()).expect("trained");
        assert_eq!(heads.len(), 1, "only abuse has both classes");
        let h = &heads[0];
        assert_eq!(h.label, Label::Abuse);
        assert!(
            h.weights[1] > 1.0 && h.weights[1].abs() > 10.0 * h.weights[0].abs(),
            "{h:?}"
        );
        let z = |v: &[f32]| h.bias + h.weights.iter().zip(v).map(|(a, b)| a * b).sum::<f32>();
        assert!(z(&[103.0, 7.0, 0.0]) > 2.0 && z(&[103.0, 3.0, 0.0]) < -2.0);
    }

    #[test]
    fn a_source_weight_multiplies_that_sources_rows_before_each_label_sums_to_one() {
        let rows = [
            row("a1", "a", Some(true)),
            row("a2", "a", Some(false)),
            row("b1", "b", Some(true)),
            row("b2", "b", Some(false)),
        ];
        let refs: Vec<&Row> = rows.iter().collect();
        let (_, plain, _) = targets(&refs, 0.5, &[]);
        let boost: SourceWeight = "b=3".parse().expect("parses");
        let (_, boosted, present) = targets(&refs, 0.5, &[boost]);
        assert!(present[0]);
        let abuse = |w: &[f32], i: usize| w[i * 6];
        assert!((abuse(&plain, 0) - 0.25).abs() < 1e-6 && (abuse(&plain, 2) - 0.25).abs() < 1e-6);
        assert!((abuse(&boosted, 0) - 0.125).abs() < 1e-6, "{boosted:?}");
        assert!((abuse(&boosted, 2) - 0.375).abs() < 1e-6, "{boosted:?}");
    }

    #[test]
    fn a_label_factor_weighs_that_label_only_and_overrides_the_sources() {
        let mut rows = [
            row("a1", "a", Some(true)),
            row("a2", "a", Some(false)),
            row("b1", "b", Some(true)),
            row("b2", "b", Some(false)),
        ];
        for r in &mut rows {
            r.labels[Label::Threat.index()] = r.labels[Label::Abuse.index()];
        }
        let refs: Vec<&Row> = rows.iter().collect();
        let weights: Vec<SourceWeight> = ["b=2", "b:abuse=3"]
            .iter()
            .map(|w| w.parse().expect("parses"))
            .collect();
        let (_, w, _) = targets(&refs, 0.5, &weights);
        let cell = |i: usize, label: Label| w[i * 6 + label.index()];
        assert!((cell(2, Label::Abuse) - 0.375).abs() < 1e-6, "{w:?}");
        assert!((cell(2, Label::Threat) - 1.0 / 3.0).abs() < 1e-6, "{w:?}");
        assert!((cell(0, Label::Threat) - 1.0 / 6.0).abs() < 1e-6, "{w:?}");
    }

    #[test]
    fn a_source_weight_needs_a_name_and_a_positive_number() {
        let w: SourceWeight = " implicit_hate = 2.5".parse().expect("parses");
        assert_eq!(
            (w.source.as_str(), w.label, w.factor),
            ("implicit_hate", None, 2.5)
        );
        let w: SourceWeight = "implicit_hate:identity_attack=2".parse().expect("parses");
        assert_eq!(
            (w.source.as_str(), w.label, w.factor),
            ("implicit_hate", Some(Label::IdentityAttack), 2.0)
        );
        for bad in [
            "implicit_hate",
            "=2",
            "x=",
            "x=two",
            "x=0",
            "x=-1",
            "x=inf",
            "x:hate=2",
            ":abuse=2",
        ] {
            assert!(
                bad.parse::<SourceWeight>().is_err(),
                "{bad} should be refused"
            );
        }
    }

    #[test]
    fn a_source_weight_for_a_source_or_label_without_rows_is_refused_naming_what_there_is() {
        let rows = [
            row("o1", "olid", Some(true)),
            row("i1", "implicit_hate", Some(false)),
            row("o2", "olid", None),
        ];
        let check = |weights: &[&str]| {
            let weights: Vec<SourceWeight> =
                weights.iter().map(|w| w.parse().expect("parses")).collect();
            check_source_weights(&weights, &rows)
        };
        let err = check(&["implicit-hate=2"]).expect_err("no row has that source");
        let message = err.to_string();
        assert!(message.contains("implicit-hate"), "{message}");
        assert!(message.contains("implicit_hate, olid"), "{message}");
        check(&["implicit_hate=2", "olid:abuse=2"]).expect("the sources have rows");
        let err = check(&["olid:threat=2"]).expect_err("no olid row labels threat");
        let message = err.to_string();
        assert!(
            message.contains("no olid row labels threat (it labels: abuse)"),
            "{message}"
        );
        let err = check(&["olid=2", "olid=3"]).expect_err("one factor per source");
        assert!(err.to_string().contains("given twice"), "{err}");
        let err = check(&["olid:abuse=2", "olid=3", "olid:abuse=4"]).expect_err("one per label");
        assert!(err.to_string().contains("olid:abuse: given twice"), "{err}");
        check(&["olid:abuse=2", "olid=3"]).expect("a label may override its source");
    }

    #[test]
    fn neighbours_are_chosen_when_they_carry_what_the_other_inputs_miss() {
        // Abuse comes in bands around a circle: no straight line separates it, and the fast
        // model and sentence head (both 0 here) know nothing; the nearest rows know it all.
        let point = |angle: f32| {
            (
                vec![angle.cos(), angle.sin(), 0.0],
                (angle * 3.0).sin() > 0.0,
            )
        };
        let bank_rows: Vec<(Vec<f32>, bool)> =
            (0..600).map(|i| point(i as f32 * 0.0105 + 0.004)).collect();
        let held_points: Vec<(Vec<f32>, bool)> =
            (0..300).map(|i| point(i as f32 * 0.0209)).collect();
        let held_rows: Vec<Row> = held_points
            .iter()
            .enumerate()
            .map(|(i, (_, y))| row(&format!("h{i}"), "a", Some(*y)))
            .collect();
        let held: Vec<(&Row, &[f32])> = held_rows
            .iter()
            .zip(&held_points)
            .map(|(r, (v, _))| (r, v.as_slice()))
            .collect();
        let mut bank = Bank::build(
            3,
            bank_rows
                .iter()
                .map(|(v, y)| (v.as_slice(), [Some(*y), None, None, None, None, None])),
            &[Label::Abuse],
        );
        let mut inputs = vec![[BlendInputs::default(); 6]; held.len()];
        let info = choose_readings(&mut bank, &[Label::Abuse], &held, &mut inputs);
        let chosen = &info["abuse"];
        let with = chosen["cv_auc_with"].as_f64().expect("with");
        let without = chosen["cv_auc_without"].as_f64().expect("without");
        assert!(with > 0.95 && without < 0.6, "{chosen}");
        assert_eq!(bank.readings().len(), 1);
        let agree = held_points
            .iter()
            .zip(&inputs)
            .filter(|((_, y), x)| (x[Label::Abuse.index()].neighbours > 0.0) == *y)
            .count();
        assert!(agree >= 285, "{agree} of 300 held-out rows read right");
    }

    #[test]
    fn the_blend_recovers_the_weights_that_generated_the_labels() {
        // Labels drawn from sigmoid(0.5 fast + 2 sentence - 1), deterministically.
        let (mut z, mut y) = (Vec::new(), Vec::new());
        for i in 0..4000 {
            let a = ((i % 100) as f32 / 10.0) - 5.0;
            let b = ((i / 100) as f32 / 10.0) - 2.0;
            let p = 1.0 / (1.0 + (-(0.5 * a + 2.0 * b - 1.0)).exp());
            let u = (i * 2_654_435_761usize % 10_007) as f32 / 10_007.0;
            z.push(BlendInputs {
                fast: a,
                sentence: b,
                neighbours: 0.0,
            });
            y.push(u < p);
        }
        let b = fit_blend(Label::Abuse, &z, &y);
        assert!((b.fast - 0.5).abs() < 0.15, "{b:?}");
        assert!((b.encoder - 2.0).abs() < 0.4, "{b:?}");
        assert!((b.bias + 1.0).abs() < 0.4, "{b:?}");
        assert_eq!(
            b.neighbours, 0.0,
            "an input that is always zero weighs nothing"
        );
        assert_eq!(b.apply(BlendInputs::default()), b.bias);
    }

    #[test]
    fn the_anchor_keeps_the_false_alarm_rate_of_the_fast_model_at_each_bar() {
        // The fast model's log-odds: negatives spread over [-6, 6), positives over [-2, 10) (some
        // negatives above both bars, as on real data); the
        // sentence head separates them further (-1 / +1), so the blend ranks differently from
        // the fast model and holding as many comments in all would hold fewer negatives.
        let (mut z, mut y) = (Vec::new(), Vec::new());
        let inputs = |fast, sentence| BlendInputs {
            fast,
            sentence,
            neighbours: sentence / 2.0,
        };
        for i in 0..2000 {
            let t = i as f32 / 2000.0 * 12.0;
            z.push(inputs(t - 6.0, -1.0));
            y.push(false);
            z.push(inputs(t - 2.0, 1.0));
            y.push(true);
        }
        let raw = Blend {
            label: Label::Abuse,
            fast: 10.0,
            encoder: 30.0,
            neighbours: 4.0,
            bias: 3.0,
        };
        let bars = Thresholds::default();
        let anchored = anchor(raw, &z, &y, &bars);
        let logit = |p: f32| (p / (1.0 - p)).ln();
        for bar in [bars.hold[&Label::Abuse], bars.reject[&Label::Abuse]] {
            let negatives = |f: &dyn Fn(&BlendInputs) -> f32| {
                z.iter()
                    .zip(&y)
                    .filter(|&(x, &t)| !t && f(x) >= logit(bar))
                    .count() as i64
            };
            let fast = negatives(&|x| x.fast);
            let blended = negatives(&|x| anchored.apply(*x));
            assert!(
                (fast - blended).abs() <= 2,
                "bar {bar}: {fast} negatives held by the fast model, {blended} by the blend"
            );
        }
    }
}
