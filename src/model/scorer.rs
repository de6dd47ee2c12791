//! Scoring one comment: features -> per-label log-odds -> probabilities, and per-token
//! contributions for explanations. All buffers live in a thread-local scratch, so the hot path
//! allocates only the returned spans.

use super::features::{Extractor, pair_tokens, weigh};
use super::stack::{self, N_INPUTS};
use super::table::gather;
use super::{Model, Scored};
use crate::domain::{Label, Span};
use std::borrow::Cow;
use std::cell::RefCell;

#[derive(Default)]
struct Scratch {
    ext: Extractor,
    hidden: Vec<f32>,
    pooled: Vec<f32>,
    /// `[idf, six weights, 0]` of each feature in `ext.feats`, gathered from the model.
    rows: Vec<[f32; 8]>,
    contrib: Vec<[f32; 8]>,
    /// The tokens `rank_tokens` kept, each with its weight by the mix it ranked them by.
    order: Vec<(u32, f32)>,
    /// The first-stage log-odds of the comment last scored (what the second stage read).
    first_stage: [f32; 6],
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

pub(super) fn score(model: &Model, text: &str, explain: bool) -> Scored {
    SCRATCH.with(|s| {
        // A re-entrant call (impossible today) would find the scratch borrowed; fall back to a
        // fresh one rather than panic.
        match s.try_borrow_mut() {
            Ok(mut s) => score_with(model, text, explain, &mut s),
            Err(_) => score_with(model, text, explain, &mut Scratch::default()),
        }
    })
}

fn score_with(model: &Model, text: &str, explain: bool, s: &mut Scratch) -> Scored {
    let mut z = fast_with(model, text, s);
    if let Some(encoder) = model.active_encoder() {
        // The fast model has just normalised this text: reuse it rather than normalise again.
        let input = encoder.reader.read_normalized(text, &s.ext.norm);
        match encoder.sentence.embed(&input) {
            Ok(pooled) => encoder.blend_into(&mut z, &pooled),
            // Never lose a comment to the sentence stage: the fast model's scores stand.
            Err(e) => tracing::error!(error = %e, "sentence stage failed; fast model scores used"),
        }
    }
    let mut out = Scored {
        scores: probabilities(model, &z),
        ..Scored::default()
    };
    if explain {
        explain_into(model, s, &mut out);
    }
    out
}

pub(super) fn probabilities(model: &Model, z: &[f32; 6]) -> crate::domain::Scores {
    let mut scores = crate::domain::Scores::default();
    for l in Label::ALL {
        if model.present[l.index()] {
            scores.set(l, sigmoid(z[l.index()]));
        }
    }
    scores
}

/// Scores only, for many texts: the sentence stage runs once over the whole batch (texts of
/// similar length batch best), which is what makes evaluating thousands of rows affordable.
pub(super) fn score_batch(model: &Model, texts: &[&str]) -> Vec<crate::domain::Scores> {
    let pooled = model.active_encoder().map(|e| {
        let inputs: Vec<Cow<str>> = texts.iter().map(|t| e.reader.prepare(t)).collect();
        let inputs: Vec<&str> = inputs.iter().map(|t| t.as_ref()).collect();
        e.sentence.embed_batch(&inputs)
    });
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| match (&pooled, model.active_encoder()) {
            (Some(Ok(pooled)), Some(encoder)) => {
                let mut z = fast_logits(model, text);
                encoder.blend_into(&mut z, &pooled[i]);
                probabilities(model, &z)
            }
            // No stage, or the batch failed: score each text on its own (which falls back to
            // the fast model only if the stage fails again).
            _ => score(model, text, false).scores,
        })
        .collect()
}

/// First stage, network and second stage: the fast model's final log-odds.
fn fast_with(model: &Model, text: &str, s: &mut Scratch) -> [f32; 6] {
    let w = &model.weights;
    let mut z = first_stage_with(model, text, s);
    s.first_stage = z;
    // Second stage: stacked labels' log-odds from all first-stage and network log-odds.
    if !w.stack.is_empty() {
        let x = inputs_with(model, &z, s);
        for h in &w.stack {
            z[h.label.index()] = h.apply(&x);
        }
    }
    z
}

pub(super) fn fast_logits(model: &Model, text: &str) -> [f32; 6] {
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => fast_with(model, text, &mut s),
        Err(_) => fast_with(model, text, &mut Scratch::default()),
    })
}

pub(super) fn stack_inputs(model: &Model, text: &str) -> [f32; N_INPUTS] {
    let run = |s: &mut Scratch| {
        let z = first_stage_with(model, text, s);
        inputs_with(model, &z, s)
    };
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => run(&mut s),
        Err(_) => run(&mut Scratch::default()),
    })
}

/// Second-stage inputs for first-stage log-odds `z` of the comment whose features are in `s`.
fn inputs_with(model: &Model, z: &[f32; 6], s: &mut Scratch) -> [f32; N_INPUTS] {
    let w = &model.weights;
    let net = w.net.as_ref().map(|net| {
        s.pooled.clear();
        if let Some(v) = w.vectors.as_deref().filter(|_| net.dense_inputs() > 0) {
            s.pooled.resize(v.pooled_dims(), 0.0);
            v.pool(&s.ext.norm, &mut s.pooled);
        }
        net.logits(&s.ext.feats, &s.pooled, &mut s.hidden)
    });
    stack::inputs(z, net.as_ref())
}

fn first_stage_with(model: &Model, text: &str, s: &mut Scratch) -> [f32; 6] {
    let w = &model.weights;
    s.ext.extract(text, &model.manifest.features);
    gather(&w.buckets, &s.ext.feats, &mut s.rows);
    let rows = &s.rows;
    weigh(&mut s.ext.feats, &model.manifest.features, |i, _| {
        rows[i][0]
    });
    let mut z = w.bias;
    for (f, row) in s.ext.feats.iter().zip(rows) {
        for l in 0..6 {
            z[l] += row[1 + l] * f.value;
        }
    }
    z
}

pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// How a token's per-label contributions (laid out `[idf, six labels, 0]`) combine into its
/// contribution to `label`'s final score. A stacked label reads every first-stage head, so its
/// tokens are weighed through the second stage's gradient at this comment (an insulting word
/// drives abuse through the insult head too); a label without a second stage has only its own
/// head. Abuse then adds the insult head's evidence (`ExplainSettings::insult_in_abuse`).
fn token_mix(model: &Model, label: Label, first_stage: &[f32; 6]) -> [f32; 8] {
    let mut mix = [0f32; 8];
    match model.weights.stack.iter().find(|h| h.label == label) {
        Some(head) => mix[1..7].copy_from_slice(&head.gradient(first_stage)),
        None => mix[1 + label.index()] = 1.0,
    }
    if label == Label::Abuse && model.present[Label::Insult.index()] {
        mix[1 + Label::Insult.index()] += model.explain.insult_in_abuse;
    }
    mix
}

/// Into `s.order`, with their weights: the `max_spans` strongest tokens over `min_contribution`
/// by `mix`, strongest first (the earlier token on a tie). A token is compared with the weakest
/// one kept so far, which nearly all fail once a few are kept: a predictable branch, where
/// filtering on `min_contribution` and sorting every candidate was not.
fn rank_tokens(s: &mut Scratch, mix: &[f32; 8], ex: &super::ExplainSettings) {
    s.order.clear();
    let mut bar = ex.min_contribution;
    for (t, tok) in s.ext.norm.tokens.iter().enumerate() {
        let c = dot(mix, &s.contrib[t]);
        if c <= bar || tok.punct {
            continue;
        }
        let at = s
            .order
            .iter()
            .position(|&(_, o)| c > o)
            .unwrap_or(s.order.len());
        s.order.insert(at, (t as u32, c));
        s.order.truncate(ex.max_spans);
        if s.order.len() == ex.max_spans {
            bar = bar.max(s.order[ex.max_spans - 1].1);
        }
    }
}

fn dot(a: &[f32; 8], b: &[f32; 8]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Spread each feature's contribution (weight x value) over its occurrences, and each
/// occurrence over the tokens it came from (half each for a bigram), then report the tokens with
/// the largest positive totals as spans of the original text.
fn explain_into(model: &Model, s: &mut Scratch, out: &mut Scored) {
    let n_tok = s.ext.norm.tokens.len();
    // Per token, laid out like the gathered rows (`[idf, six labels, 0]`; only the labels are
    // summed into), so a contribution is added with whole-row vector operations.
    s.contrib.clear();
    s.contrib.resize(n_tok, [0.0; 8]);
    // Occurrence by occurrence, in order (a loop per feature mispredicted at every feature's
    // end: most occur once, some a few times).
    for (&p, &fi) in s.ext.pairs.iter().zip(&s.ext.pair_feature) {
        let (f, row) = (&s.ext.feats[fi as usize], &s.rows[fi as usize]);
        let per = f.value / f.count as f32;
        let (a, b) = pair_tokens(p);
        if a == b {
            for (c, w) in s.contrib[a].iter_mut().zip(row) {
                *c += w * per;
            }
        } else {
            // A word n-gram: shared by the tokens it spans.
            let share = per / (b - a + 1) as f32;
            for t in a..=b {
                for (c, w) in s.contrib[t].iter_mut().zip(row) {
                    *c += w * share;
                }
            }
        }
    }
    let ex = &model.explain;
    for label in Label::ALL {
        let l = label.index();
        if !model.present[l] || ex.max_spans == 0 {
            continue;
        }
        let mut mix = token_mix(model, label, &s.first_stage);
        rank_tokens(s, &mix, ex);
        if s.order.is_empty() {
            // The heads behind the second stage can cancel out on every word of a comment
            // they all score high; the label's own head still says which words it read.
            mix = [0.0; 8];
            mix[1 + l] = 1.0;
            rank_tokens(s, &mix, ex);
        }
        let spans = &mut out.explanations[l];
        let top = s.order.first().map_or(0.0, |&(_, w)| w);
        for &(t, weight) in &s.order {
            if weight < ex.min_relative * top {
                break;
            }
            let tok = s.ext.norm.tokens[t as usize];
            spans.push(Span {
                start: tok.start as usize,
                end: tok.end as usize,
                text: s.ext.norm.original(tok.start, tok.end),
                weight,
            });
        }
    }
}
