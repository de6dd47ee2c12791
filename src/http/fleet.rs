//! Several instances on one PostgreSQL database serve one model. A reload on any instance
//! (`POST /v1/admin/model/reload` or SIGHUP) is recorded in the database
//! ([`Store::publish_model`]); every instance polls that record and, when it moves, reloads
//! through the same path a local reload takes. The model files live where every instance reads
//! them: the models root on shared storage (a reload without a path follows its `current`), or
//! the path the reload named, which must then mean the same on every machine.
//!
//! Polled rather than pushed (LISTEN/NOTIFY): a notification sent while an instance is
//! reconnecting is lost, so it would need the poll anyway, and one indexed single-row read
//! every two seconds per instance costs the database nothing.
//!
//! The same loop forgets spent rate allowances (see `rate_limit`).
//!
//! [`Store::publish_model`]: crate::storage::Store::publish_model

use super::AppState;
use super::reload::{ReloadError, Reloaded};
use crate::storage::{Rollout, StorageError};
use actix_web::web;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often spent rate allowances are deleted.
const FORGET_EVERY: Duration = Duration::from_secs(60);

/// Reload here, then tell the other instances (a no-op on SQLite). `Ok(Err)`: the model was
/// refused and nothing changed; `Err`: it serves here but could not be recorded for the others.
pub async fn reload_everywhere(
    state: &web::Data<AppState>,
    path: Option<PathBuf>,
    by: &str,
) -> Result<Result<Reloaded, ReloadError>, ReloadShared> {
    let worker = state.clone();
    let local = path.clone();
    // Loading reads and hashes the weights: keep it off the async workers.
    let result = web::block(move || worker.reload_model(local.as_deref()))
        .await
        .map_err(|_| ReloadShared::Stopped)?;
    let done = match result {
        Ok(done) => done,
        Err(err) => return Ok(Err(err)),
    };
    let shared_path = path.map(|p| p.to_string_lossy().into_owned());
    match state
        .store
        .publish_model(done.version.clone(), shared_path, by.to_string())
        .await
    {
        Ok(Some(generation)) => {
            tracing::info!(version = %done.version, generation, "model rollout recorded for every instance")
        }
        Ok(None) => {}
        Err(err) => {
            tracing::warn!(version = %done.version, error = %super::error::Chain(&err), "model serves here, but the rollout could not be recorded for the other instances");
            return Err(ReloadShared::NotRecorded(err));
        }
    }
    Ok(Ok(done))
}

/// A reload that could not finish everywhere.
#[derive(Debug, thiserror::Error)]
pub enum ReloadShared {
    #[error("the reload worker stopped")]
    Stopped,
    #[error("the new model serves on this instance only: recording it failed")]
    NotRecorded(#[source] StorageError),
}

/// On a shared database: follow the rollout record, and forget spent rate allowances.
pub fn follow(state: web::Data<AppState>) {
    if !state.store.is_shared() {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut ticker = tokio::time::interval(state.config.rollout_poll);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut seen: Option<i64> = None;
        let mut forgotten = Instant::now();
        loop {
            ticker.tick().await;
            match state.store.rollout().await {
                Ok(Some(rollout)) if seen != Some(rollout.generation) => {
                    if apply(&state, &rollout).await {
                        seen = Some(rollout.generation);
                    }
                }
                Ok(_) => {}
                // The database is away; readiness reports it. Try again next tick.
                Err(err) => {
                    tracing::debug!(error = %super::error::Chain(&err), "model rollout check failed")
                }
            }
            if forgotten.elapsed() >= FORGET_EVERY {
                forgotten = Instant::now();
                if let Err(err) = state.store.forget_spent_allowances().await {
                    tracing::debug!(error = %super::error::Chain(&err), "forgetting spent rate allowances failed");
                }
            }
        }
    });
}

/// Serve the rollout's model; true when done with this generation. A model that fails to load
/// is tried again next tick (its files may still be arriving on the shared storage).
async fn apply(state: &web::Data<AppState>, rollout: &Rollout) -> bool {
    if state.model.load().version() == rollout.version {
        return true;
    }
    tracing::info!(version = %rollout.version, generation = rollout.generation, "another instance reloaded the model: following");
    let worker = state.clone();
    let path = rollout.path.as_deref().map(PathBuf::from);
    let result = web::block(move || worker.reload_model(path.as_deref().map(Path::new))).await;
    match result {
        Ok(Ok(done)) => {
            if done.version != rollout.version {
                tracing::warn!(
                    serving = %done.version,
                    rollout = %rollout.version,
                    path = ?rollout.path,
                    "the model path here names another version than the instance that reloaded: is the models folder shared?"
                );
            }
            true
        }
        // Logged in reload_model.
        Ok(Err(_)) | Err(_) => false,
    }
}
