//! The classifier at serving time: normalise -> features -> linear heads -> scores and
//! explanations. Scoring is a pure function of (model, text): no I/O, no locks.
//!
//! INTERFACE CONTRACT (used by the HTTP service; keep these signatures):
//! - `Model::load(path)` accepts a version directory (`models/2026-11-25-a`) or a models root
//!   (`models/`, follows `models/current`), verifies the checksum, refuses corrupt files.
//! - `Model::version()`, `Model::labels()`, `Model::score(text) -> Scored`.

use crate::domain::{Label, Scores, Span};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model directory {path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("reading model file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Scores for every label the model has, and for each the spans that drove it (strongest first).
#[derive(Debug, Clone, Default)]
pub struct Scored {
    pub scores: Scores,
    pub explanations: [Vec<Span>; Label::ALL.len()],
}

pub struct Model {
    version: String,
    labels: Vec<Label>,
}

impl Model {
    pub fn load(path: &Path) -> Result<Model, ModelError> {
        Err(ModelError::Invalid {
            path: path.to_path_buf(),
            message: "model loading not implemented yet".into(),
        })
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn labels(&self) -> &[Label] {
        &self.labels
    }

    pub fn score(&self, _text: &str) -> Scored {
        Scored::default()
    }
}
