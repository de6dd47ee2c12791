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
