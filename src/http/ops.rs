//! Operations endpoints: liveness, readiness, Prometheus metrics.

use super::{AppState, RouteTable};
use actix_web::http::Method;
use actix_web::{HttpResponse, web};
use serde_json::json;

pub fn routes(table: &mut RouteTable) {
    table
        .route(Method::GET, "/healthz", healthz)
        .route(Method::GET, "/readyz", readyz)
        .route(Method::GET, "/metrics", metrics);
}

/// The process is up and serving HTTP; says nothing about its dependencies.
#[utoipa::path(get, path = "/healthz", tag = "ops",
    responses((status = 200, description = "`{status: \"ok\"}`", body = Object)))]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// Ready for traffic: the database answers, the writer runs, and a model is loaded.
#[utoipa::path(get, path = "/readyz", tag = "ops", responses(
    (status = 200, description = "`{status: \"ready\", database, model_version}`", body = Object),
    (status = 503, description = "`{status: \"unavailable\", database, model_version}`",
        body = Object),
))]
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let model_version = state.model.load().version().to_string();
    match state.store.ping().await {
        Ok(()) => HttpResponse::Ok().json(json!({
            "status": "ready",
            "database": "ok",
            "model_version": model_version,
        })),
        Err(err) => {
            tracing::warn!(error = %super::error::Chain(&err), "readiness check failed");
            HttpResponse::ServiceUnavailable().json(json!({
                "status": "unavailable",
                "database": "unavailable",
                "model_version": model_version,
            }))
        }
    }
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", tag = "ops", responses(
    (status = 200, description = "Prometheus text exposition format 0.0.4", body = String,
        content_type = "text/plain"),
))]
async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let version = state.model.load().version().to_string();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&version))
}
