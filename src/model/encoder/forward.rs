//! BERT's forward pass over one text, for inference. The weights are laid out once at load for
//! the products the pass runs (each linear layer's matrix transposed to `in x out`, the query,
//! key and value matrices side by side as one `dims x 3·dims` product), and every intermediate
//! lives in a per-thread scratch that is sized once, so scoring a comment allocates nothing here.
//! One text needs no padding and no attention mask: batches are run text by text.
//!
//! It computes what candle's `BertModel` computes (the test below holds it to that within float
//! noise); candle stays the reference and what fine-tuning differentiates through.

use super::EncodeError;
use super::kernels::{self, Activation, Layout, Parallelism, View, ViewMut};
use candle_core::{DType, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{Config, HiddenAct};
use std::cell::RefCell;

pub struct Bert {
    dims: usize,
    heads: usize,
    inner: usize,
    vocab: usize,
    positions: usize,
    eps: f32,
    act: Activation,
    /// `vocab x dims`.
    word: Vec<f32>,
    /// `positions x dims`: the position embedding plus token type 0's (a single text is all
    /// type 0), added once here rather than per token.
    position: Vec<f32>,
    norm: Norm,
    layers: Vec<Layer>,
}

struct Norm {
    gamma: Vec<f32>,
    beta: Vec<f32>,
}

struct Layer {
    /// `dims x 3·dims`: query, key and value columns.
    qkv: Vec<f32>,
    qkv_bias: Vec<f32>,
    /// `dims x dims`.
    attention_out: Vec<f32>,
    attention_out_bias: Vec<f32>,
    attention_norm: Norm,
    /// `dims x inner`.
    up: Vec<f32>,
    up_bias: Vec<f32>,
    /// `inner x dims`.
    down: Vec<f32>,
    down_bias: Vec<f32>,
    output_norm: Norm,
}

/// The intermediates of one pass, reused from pass to pass.
#[derive(Default)]
pub struct Scratch {
    /// The hidden states, `tokens x dims`: the pass's output.
    x: Vec<f32>,
    qkv: Vec<f32>,
    scores: Vec<f32>,
    context: Vec<f32>,
    sum: Vec<f32>,
    inner: Vec<f32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Run `f` with this thread's scratch (a fresh one if it is already in use).
pub fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => f(&mut s),
        Err(_) => f(&mut Scratch::default()),
    })
}

/// `out = input · weights` for a layer's row-major `input` (`n x k`) and pre-transposed
/// `weights` (`k x m`).
fn linear(
    out: &mut [f32],
    input: &[f32],
    weights: &[f32],
    (n, k, m): (usize, usize, usize),
    par: Parallelism,
) {
    kernels::matmul(
        ViewMut::rows(out, n, m),
        View::rows(input, n, k),
        View::rows(weights, k, m),
        1.0,
        par,
    );
}

/// A `len`-long slice of `v`, growing it only when it is too short.
fn sized(v: &mut Vec<f32>, len: usize) -> &mut [f32] {
    if v.len() < len {
        v.resize(len, 0.0);
    }
    &mut v[..len]
}

impl Bert {
    /// The weights of `config`'s encoder from `vb` (a BERT checkpoint, its tensors under
    /// `embeddings.`/`encoder.`, optionally behind `bert.` or the model type), checked against
    /// the config's shapes.
    pub fn load(vb: &VarBuilder, config: &Config) -> Result<Bert, String> {
        let (dims, heads, inner) = (
            config.hidden_size,
            config.num_attention_heads,
            config.intermediate_size,
        );
        if dims == 0 || heads == 0 || dims % heads != 0 {
            return Err(format!(
                "hidden size {dims} is not a multiple of {heads} attention heads"
            ));
        }
        // Where BertModel finds them: at the top, under `bert.`, or under the model type.
        let vb = [None, Some("bert")]
            .into_iter()
            .chain([config.model_type.as_deref()])
            .map(|prefix| prefix.map_or_else(|| vb.clone(), |p| vb.pp(p)))
            .find(|vb| vb.contains_tensor("embeddings.word_embeddings.weight"))
            .ok_or("no `embeddings.word_embeddings.weight` tensor")?;
        let err = |e: candle_core::Error| e.to_string();
        let emb = vb.pp("embeddings");
        let word = emb
            .get((config.vocab_size, dims), "word_embeddings.weight")
            .map_err(err)?;
        let position = emb
            .get(
                (config.max_position_embeddings, dims),
                "position_embeddings.weight",
            )
            .map_err(err)?;
        let types = emb
            .get(
                (config.type_vocab_size, dims),
                "token_type_embeddings.weight",
            )
            .map_err(err)?;
        let type0 = types.narrow(0, 0, 1).map_err(err)?;
        let position = position.broadcast_add(&type0).map_err(err)?;
        let norm = load_norm(&emb.pp("LayerNorm"), dims).map_err(err)?;
        let layers = (0..config.num_hidden_layers)
            .map(|i| load_layer(&vb.pp(format!("encoder.layer.{i}")), dims, inner))
            .collect::<candle_core::Result<Vec<_>>>()
            .map_err(err)?;
        Ok(Bert {
            dims,
            heads,
            inner,
            vocab: config.vocab_size,
            positions: config.max_position_embeddings,
            eps: config.layer_norm_eps as f32,
            act: match config.hidden_act {
                HiddenAct::Gelu => Activation::Gelu,
                HiddenAct::GeluApproximate => Activation::GeluTanh,
                HiddenAct::Relu => Activation::Relu,
            },
            word: flat(&word).map_err(err)?,
            position: flat(&position).map_err(err)?,
            norm,
            layers,
        })
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    /// The last layer's state of each token of `ids`, `ids.len() x dims` row by row, held in
    /// `s` until its next pass. `par` threads the larger products.
    pub fn forward<'s>(
        &self,
        ids: &[u32],
        s: &'s mut Scratch,
        par: Parallelism,
    ) -> Result<&'s [f32], EncodeError> {
        let (n, d) = (ids.len(), self.dims);
        if n > self.positions {
            return Err(EncodeError::TooLong {
                tokens: n,
                positions: self.positions,
            });
        }
        let x = sized(&mut s.x, n * d);
        for ((row, &id), pos) in x
            .chunks_exact_mut(d)
            .zip(ids)
            .zip(self.position.chunks_exact(d))
        {
            let id = id as usize;
            if id >= self.vocab {
                return Err(EncodeError::UnknownToken {
                    id,
                    vocab: self.vocab,
                });
            }
            let word = &self.word[id * d..(id + 1) * d];
            for ((v, w), p) in row.iter_mut().zip(word).zip(pos) {
                *v = w + p;
            }
        }
        kernels::layer_norm(x, &self.norm.gamma, &self.norm.beta, self.eps);
        for layer in &self.layers {
            self.layer(layer, n, s, par);
        }
        Ok(&s.x[..n * d])
    }

    fn layer(&self, l: &Layer, n: usize, s: &mut Scratch, par: Parallelism) {
        let (d, heads, inner) = (self.dims, self.heads, self.inner);
        let hd = d / heads;
        let x = &mut s.x[..n * d];
        let qkv = sized(&mut s.qkv, n * 3 * d);
        linear(qkv, x, &l.qkv, (n, d, 3 * d), par);
        kernels::add_bias(qkv, &l.qkv_bias);
        let qkv = &*qkv;
        let scores = sized(&mut s.scores, n * n);
        let context = sized(&mut s.context, n * d);
        let scale = 1.0 / (hd as f32).sqrt();
        for h in 0..heads {
            // Per head: scores = Q_h K_hᵀ / sqrt(hd), softmax by row, context_h = scores V_h.
            // The products are too small to be worth threads.
            let head = |offset: usize, transposed: bool| View {
                data: qkv,
                at: Layout {
                    offset: offset + h * hd,
                    rows: if transposed { hd } else { n },
                    cols: if transposed { n } else { hd },
                    rs: if transposed { 1 } else { 3 * d },
                    cs: if transposed { 3 * d } else { 1 },
                },
            };
            kernels::matmul(
                ViewMut::rows(scores, n, n),
                head(0, false),
                head(d, true),
                scale,
                Parallelism::None,
            );
            kernels::softmax_rows(scores, n);
            kernels::matmul(
                ViewMut {
                    data: context,
                    at: Layout {
                        offset: h * hd,
                        rows: n,
                        cols: hd,
                        rs: d,
                        cs: 1,
                    },
                },
                View::rows(scores, n, n),
                head(2 * d, false),
                1.0,
                Parallelism::None,
            );
        }
        let sum = sized(&mut s.sum, n * d);
        linear(sum, context, &l.attention_out, (n, d, d), par);
        let norm = &l.attention_norm;
        kernels::residual_layer_norm(
            x,
            sum,
            &l.attention_out_bias,
            &norm.gamma,
            &norm.beta,
            self.eps,
        );
        let up = sized(&mut s.inner, n * inner);
        linear(up, x, &l.up, (n, d, inner), par);
        kernels::bias_activation(up, &l.up_bias, self.act);
        linear(sum, up, &l.down, (n, inner, d), par);
        let norm = &l.output_norm;
        kernels::residual_layer_norm(x, sum, &l.down_bias, &norm.gamma, &norm.beta, self.eps);
    }
}

fn flat(t: &Tensor) -> candle_core::Result<Vec<f32>> {
    t.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()
}

fn load_norm(vb: &VarBuilder, dims: usize) -> candle_core::Result<Norm> {
    Ok(Norm {
        gamma: flat(&vb.get(dims, "weight")?)?,
        beta: flat(&vb.get(dims, "bias")?)?,
    })
}

/// A linear layer's matrix `(out, in)` as the `in x out` right-hand side of `x · W`, and its
/// bias.
fn load_linear(
    vb: &VarBuilder,
    inputs: usize,
    outputs: usize,
) -> candle_core::Result<(Tensor, Tensor)> {
    let w = vb.get((outputs, inputs), "weight")?;
    let b = vb.get(outputs, "bias")?;
    Ok((w.t()?.contiguous()?, b))
}

fn load_layer(vb: &VarBuilder, dims: usize, inner: usize) -> candle_core::Result<Layer> {
    let att = vb.pp("attention");
    let (q, qb) = load_linear(&att.pp("self.query"), dims, dims)?;
    let (k, kb) = load_linear(&att.pp("self.key"), dims, dims)?;
    let (v, vb_) = load_linear(&att.pp("self.value"), dims, dims)?;
    let (attention_out, attention_out_bias) = load_linear(&att.pp("output.dense"), dims, dims)?;
    let (up, up_bias) = load_linear(&vb.pp("intermediate.dense"), dims, inner)?;
    let (down, down_bias) = load_linear(&vb.pp("output.dense"), inner, dims)?;
    Ok(Layer {
        qkv: flat(&Tensor::cat(&[q, k, v], 1)?)?,
        qkv_bias: flat(&Tensor::cat(&[qb, kb, vb_], 0)?)?,
        attention_out: flat(&attention_out)?,
        attention_out_bias: flat(&attention_out_bias)?,
        attention_norm: load_norm(&att.pp("output.LayerNorm"), dims)?,
        up: flat(&up)?,
        up_bias: flat(&up_bias)?,
        down: flat(&down)?,
        down_bias: flat(&down_bias)?,
        output_norm: load_norm(&vb.pp("output.LayerNorm"), dims)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;
    use candle_transformers::models::bert::BertModel;

    /// candle's last hidden states for one text, `(tokens, dims)` row by row.
    fn candle_states(bert: &BertModel, ids: &[u32]) -> Vec<f32> {
        let dev = Device::Cpu;
        let t = Tensor::new(ids, &dev).unwrap().unsqueeze(0).unwrap();
        let types = t.zeros_like().unwrap();
        bert.forward(&t, &types, None)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap()
    }

    fn worst_diff(a: &[f32], b: &[f32]) -> f32 {
        assert_eq!(a.len(), b.len());
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0f32, f32::max)
    }

    fn tiny_config(act: &str) -> Config {
        serde_json::from_value(serde_json::json!({
            "vocab_size": 50, "hidden_size": 16, "num_hidden_layers": 2,
            "num_attention_heads": 4, "intermediate_size": 40, "hidden_act": act,
            "hidden_dropout_prob": 0.1, "max_position_embeddings": 24, "type_vocab_size": 2,
            "initializer_range": 0.02, "layer_norm_eps": 1e-12, "pad_token_id": 0,
            "model_type": "bert"
        }))
        .unwrap()
    }

    /// Random weights for `config` under `prefix`, as a checkpoint would hold them.
    fn random_weights(config: &Config, prefix: &str) -> Vec<u8> {
        let vm = candle_nn::VarMap::new();
        let vb = VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu);
        let vb = if prefix.is_empty() { vb } else { vb.pp(prefix) };
        // Loading through the VarMap creates every tensor BertModel asks for, randomly
        // initialised; the norms' scales are ones, so perturb everything a little.
        BertModel::load(vb, config).unwrap();
        let data = vm.data().lock().unwrap();
        let tensors: Vec<(String, Tensor)> = data
            .iter()
            .map(|(name, var)| {
                let t = var.as_tensor();
                let noise = t.rand_like(-0.2, 0.2).unwrap();
                (name.clone(), (t + noise).unwrap())
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.safetensors");
        candle_core::safetensors::save(&tensors.into_iter().collect(), &path).unwrap();
        std::fs::read(path).unwrap()
    }

    #[test]
    fn matches_candle_on_a_random_model_for_every_activation_and_prefix() {
        for (act, prefix) in [("gelu", ""), ("geluapproximate", "bert"), ("relu", "")] {
            let config = tiny_config(act);
            let weights = random_weights(&config, prefix);
            let vb =
                VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu).unwrap();
            let reference = BertModel::load(vb.clone(), &config).unwrap();
            let own = Bert::load(&vb, &config).unwrap();
            for ids in [
                vec![1u32, 7, 3],
                vec![2, 49, 0, 5, 5, 11, 30, 1, 8],
                vec![4],
            ] {
                let mut s = Scratch::default();
                let got = own.forward(&ids, &mut s, Parallelism::None).unwrap();
                let want = candle_states(&reference, &ids);
                let diff = worst_diff(got, &want);
                assert!(diff < 1e-4, "{act}/{prefix:?} {ids:?}: differs by {diff}");
            }
        }
    }

    #[test]
    fn bad_shapes_and_tokens_are_errors_not_panics() {
        let config = tiny_config("gelu");
        let weights = random_weights(&config, "");
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu).unwrap();
        let mut wider = config.clone();
        wider.intermediate_size = 41;
        let err = Bert::load(&vb, &wider).err().expect("refused");
        assert!(err.contains("shape"), "{err}");
        let mut odd = config.clone();
        odd.num_attention_heads = 3;
        assert!(Bert::load(&vb, &odd).is_err());
        let mut deeper = config.clone();
        deeper.num_hidden_layers = 3;
        assert!(Bert::load(&vb, &deeper).is_err());

        let own = Bert::load(&vb, &config).unwrap();
        let mut s = Scratch::default();
        assert!(matches!(
            own.forward(&[1, 50], &mut s, Parallelism::None),
            Err(EncodeError::UnknownToken { id: 50, vocab: 50 })
        ));
        assert!(matches!(
            own.forward(&[1; 25], &mut s, Parallelism::None),
            Err(EncodeError::TooLong {
                tokens: 25,
                positions: 24
            })
        ));
        // A shorter pass after a longer one reads only its own rows.
        let long = own
            .forward(&[3; 20], &mut s, Parallelism::None)
            .unwrap()
            .to_vec();
        let short = own
            .forward(&[3; 2], &mut s, Parallelism::None)
            .unwrap()
            .to_vec();
        let fresh = own
            .forward(&[3; 2], &mut Scratch::default(), Parallelism::None)
            .unwrap()
            .to_vec();
        assert_eq!(short, fresh);
        assert_eq!(long.len(), 20 * 16);
    }

    #[test]
    fn matches_candle_on_the_shipped_encoder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
        let Ok(p) = super::super::Pretrained::locate(&dir) else {
            // To the stderr handle, which the harness does not capture, so the line is in
            // every log (as storage's PostgreSQL tests write theirs).
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIP matches_candle_on_the_shipped_encoder: no shipped model with a sentence \
                 stage under {}",
                dir.display()
            );
            return;
        };
        let config: Config = serde_json::from_value(p.config.clone()).unwrap();
        let weights = std::fs::read(&p.weights).unwrap();
        let tokenizer = tokenizers::Tokenizer::from_file(&p.tokenizer).unwrap();
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu).unwrap();
        let reference = BertModel::load(vb.clone(), &config).unwrap();
        let own = Bert::load(&vb, &config).unwrap();
        let mut s = Scratch::default();
        for text in [
            "Go back to Africa, you monkey",
            "Thanks for the thoughtful article, I learned something today.",
            "Hang the election officials from the lampposts",
            "The council voted last night to extend the bus lane on Main Street, and \
             honestly I think this is a mistake. Traffic is already terrible at rush hour.",
            "ok",
            "",
        ] {
            let enc = tokenizer.encode(text, true).unwrap();
            let ids: Vec<u32> = enc.get_ids().iter().copied().take(128).collect();
            let got = own.forward(&ids, &mut s, Parallelism::None).unwrap();
            let want = candle_states(&reference, &ids);
            let diff = worst_diff(got, &want);
            assert!(diff < 1e-4, "{text:?}: differs from candle by {diff}");
        }
    }
}
