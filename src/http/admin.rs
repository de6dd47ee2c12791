//! `/v1/admin/*` (Bearer admin token): operations on the running service.
//!
//! `POST /v1/admin/model/reload` with an optional JSON body `{"path": "models/2026-11-25-x"}`
//! (no body, or no `path`: re-read the configured model path, i.e. follow `models/current`).
//! 200 `{previous_version, version, path, load_ms}`; 422 `model_rejected` when the model
//! cannot be loaded or cannot serve, and the old model keeps serving.

use super::auth::Admin;
use super::error::ApiError;
use super::{AppState, RouteTable};
use actix_web::http::Method;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use std::path::PathBuf;

pub fn routes(table: &mut RouteTable) {
    table.route(Method::POST, "/v1/admin/model/reload", reload);
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct ReloadRequest {
    /// A model directory; without it, the configured path (`models/current`).
    #[schema(value_type = Option<String>)]
    path: Option<PathBuf>,
}

/// Hot-swap the model; a refused model leaves the old one serving.
#[utoipa::path(
    post,
    path = "/v1/admin/model/reload",
    tag = "admin",
    request_body(content = Option<ReloadRequest>, description = "Optional"),
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "`{previous_version, version, path, load_ms}`", body = Object),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
        (status = 422, description = "`model_rejected`: the old model keeps serving",
            body = super::openapi::ErrorBody),
    )
)]
async fn reload(
    admin: Admin,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    // An empty body is the common case (`curl -X POST`), so the JSON body is optional.
    let request: ReloadRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ReloadRequest::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request("invalid_json", format!("invalid JSON body: {e}")))?
    };
    tracing::info!(admin = %admin.0, path = ?request.path, "model reload requested");
    let worker = state.clone();
    // Loading reads and hashes the weights: keep it off the async workers.
    let result = web::block(move || worker.reload_model(request.path.as_deref()))
        .await
        .map_err(ApiError::internal)?;
    match result {
        Ok(done) => Ok(HttpResponse::Ok().json(done)),
        Err(err) => Err(ApiError::ModelRejected {
            serving: state.model.load().version().to_string(),
            reason: err.to_string(),
        }),
    }
}
