//! Pre-moderation per article under /v1/moderation: switch an article's pre-moderation on or
//! off, read it, and list the articles under it (the queue shows them). Surge detection
//! switches it on by itself when a new comment completes a surge; that happens in the write
//! path (`storage`), not here.

use super::auth::Moderator;
use super::error::ApiError;
use super::extract::ApiJson;
use super::{AppState, RouteTable};
use crate::domain::{ArticleId, PremoderationReason};
use crate::storage::PremoderationChange;
use actix_web::http::Method;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

/// Article ids may contain `/` (`2026/11/some-story`), so the segment is greedy.
const ARTICLE: &str = "/v1/moderation/articles/{article_id:.+}/premoderation";

pub fn routes(table: &mut RouteTable) {
    table
        .route(Method::GET, "/v1/moderation/premoderation", list)
        .route(Method::GET, ARTICLE, show)
        .route(Method::PUT, ARTICLE, switch)
        .route(Method::POST, ARTICLE, switch);
}

/// Articles under pre-moderation, most recently switched on first.
#[utoipa::path(
    get,
    path = "/v1/moderation/premoderation",
    tag = "moderation",
    security(("moderator_token" = [])),
    responses(
        (status = 200, description = "`{articles: [{article_id, premoderated, premoderation: {source, by, at, reason}, article?, held}]}`", body = Object),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
    )
)]
async fn list(_moderator: Moderator, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let articles = state.store.premoderated_articles().await?;
    Ok(HttpResponse::Ok().json(json!({ "articles": articles })))
}

/// One article's pre-moderation.
#[utoipa::path(
    get,
    path = "/v1/moderation/articles/{article_id}/premoderation",
    tag = "moderation",
    params(("article_id" = String, Path, description = "May contain `/`")),
    security(("moderator_token" = [])),
    responses(
        (status = 200, description = "`{article_id, premoderated, premoderation?, article?, held}`", body = Object),
        (status = 400, description = "Invalid article id", body = super::openapi::ErrorBody),
        (status = 404, description = "No comment was posted on this article", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
    )
)]
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

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct SwitchBody {
    /// On (every new comment on the article held) or off.
    enabled: bool,
    /// Optional; shown in the queue and the log.
    #[serde(default)]
    reason: Option<String>,
}

/// Switch an article's pre-moderation on or off (audited). Asking for what is already so
/// records nothing and answers `changed: false`.
#[utoipa::path(
    method(put, post),
    path = "/v1/moderation/articles/{article_id}/premoderation",
    tag = "moderation",
    request_body = SwitchBody,
    params(("article_id" = String, Path, description = "May contain `/`")),
    security(("moderator_token" = [])),
    responses(
        (status = 200, description = "`{article_id, premoderated, premoderation?, article?, held, changed}`", body = Object),
        (status = 400, description = "Invalid field", body = super::openapi::ErrorBody),
        (status = 404, description = "No comment was posted on this article", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
    )
)]
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
