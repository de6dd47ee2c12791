//! Hot model reload: load a model off the async executor, check it can serve this
//! configuration, and swap it in with one atomic store. A refused model changes nothing, so a
//! bad promotion (corrupt file, wrong labels) never takes the service down.
//!
//! Triggered by `POST /v1/admin/model/reload` (see `admin.rs`) and by SIGHUP (see `run`).

use super::AppState;
use crate::model::Model;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    #[error(transparent)]
    Load(#[from] crate::model::ModelError),
    #[error(transparent)]
    Unfit(#[from] crate::config::UnfitModel),
}

/// What a successful reload did.
#[derive(Debug, Clone, Serialize)]
pub struct Reloaded {
    pub previous_version: String,
    pub version: String,
    pub path: PathBuf,
    pub load_ms: u64,
}

/// Refuse a model that loaded but cannot serve `config` (see [`Config::check_model`]).
///
/// [`Config::check_model`]: crate::config::Config::check_model
pub fn validate(model: &Model, config: &crate::config::Config) -> Result<(), ReloadError> {
    Ok(config.check_model(model)?)
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
