//! Offline work on models: reading datasets, training heads, evaluation. OWNED BY THE CLASSIFIER WORK.

pub mod cli;
