//! Offline work on models: reading datasets, training heads, evaluation. OWNED BY THE CLASSIFIER WORK.

pub mod augment;
pub mod bars;
pub mod checks;
pub mod cli;
pub mod config;
pub mod dataset;
pub mod encoder;
pub mod evaluate;
pub mod lbfgs;
pub mod matrix;
pub mod metrics;
pub mod mlp;
pub mod spans;
pub mod trainer;
pub mod tune;
pub mod vectors;

/// Splits `NAME=FACTOR` (the form `--source-weight` and `--bar-weight` take) into the name and
/// a positive, finite factor; `form` names the expected form in the error.
fn split_factor<'a>(s: &'a str, form: &str) -> Result<(&'a str, f64), String> {
    let (name, factor) = s
        .split_once('=')
        .ok_or_else(|| format!("expected {form}, got {s:?}"))?;
    let factor: f64 = factor
        .trim()
        .parse()
        .map_err(|_| format!("{factor:?} is not a number (in {s:?})"))?;
    if !factor.is_finite() || factor <= 0.0 {
        return Err(format!("expected a positive factor, got {s:?}"));
    }
    Ok((name, factor))
}
