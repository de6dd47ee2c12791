//! Hot model reload: load a model off the async executor, check it can serve this
//! configuration, and swap it in with one atomic store. A refused model changes nothing, so a
//! bad promotion (corrupt file, wrong labels) never takes the service down.
//!
//! Triggered by `POST /v1/admin/model/reload` (see `admin.rs`) and by SIGHUP (see `run`).

use super::AppState;
use crate::domain::Label;
use crate::model::Model;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Labels the service cannot run without: the default hold/reject bars and the moderation
/// queue are built on them.
pub const REQUIRED_LABELS: [Label; 2] = [Label::Abuse, Label::Incitement];

#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    #[error(transparent)]
    Load(#[from] crate::model::ModelError),
    #[error("model {version} does not score {label}, which this service needs")]
    MissingLabel { version: String, label: Label },
    #[error("model {version} produced an invalid score for {label} on a smoke-test text")]
    BadScore { version: String, label: Label },
}

/// What a successful reload did.
#[derive(Debug, Clone, Serialize)]
pub struct Reloaded {
    pub previous_version: String,
    pub version: String,
    pub path: PathBuf,
    pub load_ms: u64,
}

/// Refuse a model that loaded but cannot serve: it must score every label the service needs
/// (the required ones and every label with a bar), and give probabilities on a plain text.
pub fn validate(model: &Model, config: &crate::config::Config) -> Result<(), ReloadError> {
    let needed = REQUIRED_LABELS
        .iter()
        .chain(config.thresholds.hold.keys())
        .chain(config.thresholds.reject.keys());
    for &label in needed {
        if !model.labels().contains(&label) {
            return Err(ReloadError::MissingLabel {
                version: model.version().to_string(),
                label,
            });
        }
    }
    let scores = model.score_only("Thanks for the article, I learned something today.");
    for &label in model.labels() {
        let ok = scores
            .get(label)
            .is_some_and(|s| s.is_finite() && (0.0..=1.0).contains(&s));
        if !ok {
            return Err(ReloadError::BadScore {
                version: model.version().to_string(),
                label,
            });
        }
    }
    Ok(())
}

impl AppState {
    /// Load `path` (default: the configured model path, which follows `models/current`),
    /// validate it and swap it in. Blocking (file I/O, checksum): call it from a blocking
    /// thread. Reloads are serialised so `previous_version` is exact.
    pub fn reload_model(&self, path: Option<&Path>) -> Result<Reloaded, ReloadError> {
        let _one_at_a_time = self.reload_lock.lock();
        let path = path.unwrap_or(&self.config.model).to_path_buf();
        let started = Instant::now();
        let result = self
            .config
            .load_model(&path)
            .map_err(ReloadError::from)
            .and_then(|model| validate(&model, &self.config).map(|()| model));
        let model = match result {
            Ok(model) => model,
            Err(err) => {
                self.metrics.model_reload(false);
                tracing::warn!(path = %path.display(), error = %err, serving = self.model.load().version(), "model reload refused");
                return Err(err);
            }
        };
        let version = model.version().to_string();
        let previous_version = self.replace_model(model);
        self.metrics.model_reload(true);
        let load_ms = started.elapsed().as_millis() as u64;
        tracing::info!(path = %path.display(), from = %previous_version, to = %version, load_ms, "model reloaded");
        Ok(Reloaded {
            previous_version,
            version,
            path,
            load_ms,
        })
    }
}
