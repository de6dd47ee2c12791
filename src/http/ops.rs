//! Operations endpoints: liveness, readiness, Prometheus metrics.

use super::AppState;
use actix_web::{HttpResponse, web};
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/healthz").route(web::get().to(healthz)))
        .service(super::resource("/readyz").route(web::get().to(readyz)))
        .service(super::resource("/metrics").route(web::get().to(metrics)));
}

/// The process is up and serving HTTP; says nothing about its dependencies.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// Ready for traffic: the database answers, the writer runs, and a model is loaded.
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

async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let version = state.model.load().version().to_string();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&version))
}
