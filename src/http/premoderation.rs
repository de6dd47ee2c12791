//! Pre-moderation per article under /v1/moderation: switch an article's pre-moderation on or
//! off, read it, and list the articles under it (the queue shows them). Surge detection
//! switches it on by itself when a new comment completes a surge; that happens in the write
//! path (`storage`), not here.

use super::AppState;
use super::auth::Moderator;
use super::error::ApiError;
use super::extract::ApiJson;
use crate::domain::{ArticleId, PremoderationReason};
use crate::storage::PremoderationChange;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

/// Configured inside the `/v1/moderation` scope (see `moderation::routes`): a second scope with
/// the same prefix would never be reached.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/premoderation").route(web::get().to(list)))
        // Article ids may contain `/` (`2026/11/some-story`), so the segment is greedy.
        .service(
            super::resource("/articles/{article_id:.+}/premoderation")
                .route(web::get().to(show))
                .route(web::put().to(switch))
                .route(web::post().to(switch)),
        );
}

async fn list(_moderator: Moderator, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let articles = state.store.premoderated_articles().await?;
    Ok(HttpResponse::Ok().json(json!({ "articles": articles })))
}

async fn show(
    _moderator: Moderator,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let article = ArticleId::parse(&path.into_inner())?;
    match state
        .store
        .premoderation(article.as_str().to_string())
        .await?
    {
        Some(found) => Ok(HttpResponse::Ok().json(found)),
        None => Err(ApiError::ArticleNotFound(article.into_inner())),
    }
}

#[derive(Debug, Deserialize)]
struct SwitchBody {
    enabled: bool,
    #[serde(default)]
    reason: Option<String>,
}

#[tracing::instrument(skip_all, fields(article_id = tracing::field::Empty))]
async fn switch(
    moderator: Moderator,
    state: web::Data<AppState>,
    path: web::Path<String>,
    ApiJson(body): ApiJson<SwitchBody>,
) -> Result<HttpResponse, ApiError> {
    let article = ArticleId::parse(&path.into_inner())?;
    tracing::Span::current().record("article_id", article.as_str());
    let reason = match body.reason.as_deref() {
        Some(raw) => PremoderationReason::parse(raw)?,
        None => None,
    };
    let change = PremoderationChange {
        article_id: article.clone(),
        moderator: moderator.0,
        enabled: body.enabled,
        reason,
    };
    let who = change.moderator.clone();
    let Some(outcome) = state.store.set_premoderation(change).await? else {
        return Err(ApiError::ArticleNotFound(article.into_inner()));
    };
    if outcome.changed {
        tracing::info!(moderator = %who, premoderated = body.enabled, "article pre-moderation");
    }
    Ok(HttpResponse::Ok().json(outcome))
}
