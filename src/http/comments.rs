//! Public comment API: post (score, decide, store), list an article's published comments, and
//! score text without storing it.

use super::auth::Poster;
use super::error::ApiError;
use super::extract::ApiJson;
use super::{AppState, RouteTable};
use crate::domain::{
    ArticleId, ArticleTitle, ArticleUrl, AuthorId, AuthorName, CommentBody, CommentId,
    CommentStatus, CommentTitle, NewComment, Reason, Scores, Thresholds, reasons,
};
use crate::storage::{Cursor, Idempotency, InsertOutcome, NewRecord, StoredComment};
use actix_web::http::Method;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Instant;

pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;
pub const DEFAULT_PAGE: usize = 50;
pub const MAX_PAGE: usize = 200;

pub fn routes(table: &mut RouteTable) {
    table
        .route(Method::POST, "/v1/comments", post_comment)
        // Article ids may contain `/` (`2026/11/some-story`), so the segment is greedy.
        .route(
            Method::GET,
            "/v1/articles/{article_id:.+}/comments",
            list_published,
        )
        .route(Method::POST, "/v1/score", score);
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct PostComment {
    article_id: String,
    author: String,
    body: String,
    /// The comment's own headline; the article's is `article_title`.
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    parent_id: Option<String>,
    #[serde(default)]
    author_id: Option<String>,
    #[serde(default)]
    article_url: Option<String>,
    #[serde(default)]
    article_title: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Posted<'a> {
    id: CommentId,
    status: CommentStatus,
    /// Why `status` is not the model's verdict alone (`author_suspended`, `author_banned`,
    /// `article_premoderated`).
    #[serde(skip_serializing_if = "Option::is_none")]
    status_reason: Option<&'a str>,
    #[schema(value_type = Scores)]
    scores: &'a Scores,
    #[schema(value_type = Vec<super::openapi::Reason>)]
    reasons: &'a [Reason],
    model_version: &'a str,
    article_id: &'a str,
    created_at: &'a str,
}

impl<'a> From<&'a StoredComment> for Posted<'a> {
    fn from(c: &'a StoredComment) -> Self {
        Posted {
            id: c.id,
            // The status the post received, even if a moderator changed it since: a retry
            // must see the same answer as the first attempt.
            status: c.posted_status,
            status_reason: c.status_reason.as_deref(),
            scores: &c.scores,
            reasons: &c.reasons,
            model_version: &c.model_version,
            article_id: &c.article_id,
            created_at: &c.created_at,
        }
    }
}

struct Judged {
    scores: Scores,
    status: CommentStatus,
    reasons: Vec<Reason>,
    model_version: String,
    /// The bars the status was decided by (stored with the comment).
    thresholds: Thresholds,
}

/// Score with the live model and decide by the bars in force for it. Loads the model once,
/// so a concurrent hot swap cannot mix two versions in one answer. Scoring runs on the blocking
/// pool: the sentence stage takes milliseconds of CPU, which would stall every other request
/// on an HTTP worker.
#[tracing::instrument(level = "debug", skip_all)]
async fn judge(state: &web::Data<AppState>, text: &str) -> Result<Judged, ApiError> {
    let model = state.model.load_full();
    let thresholds = state.config.bars.for_model(&model);
    let owned = text.to_string();
    let started = Instant::now();
    // The blocking pool's thread does not inherit the request's span; log lines there need it.
    let span = tracing::Span::current();
    let (scored, model_version) = web::block(move || {
        let _entered = span.enter();
        let scored = model.score(&owned);
        (scored, model.version().to_string())
    })
    .await
    .map_err(ApiError::internal)?;
    state.metrics.observe_scoring(started.elapsed());
    let verdict = thresholds.decide(&scored.scores);
    Ok(Judged {
        reasons: reasons(&verdict.triggered, &scored.scores, &scored.explanations),
        scores: scored.scores,
        status: verdict.status,
        model_version,
        thresholds,
    })
}

fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(IDEMPOTENCY_HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= MAX_IDEMPOTENCY_KEY_LEN)
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_idempotency_key",
                format!("{IDEMPOTENCY_HEADER} must be 1-{MAX_IDEMPOTENCY_KEY_LEN} visible ASCII characters"),
            )
        })?;
    Ok(Some(key.to_string()))
}

/// What a key is bound to: the validated request, canonically encoded and hashed.
fn fingerprint(c: &NewComment) -> String {
    let mut canonical = vec![
        serde_json::json!(c.article_id.as_str()),
        serde_json::json!(c.author.as_str()),
        serde_json::json!(c.title.as_ref().map(|t| t.as_str())),
        serde_json::json!(c.body.as_str()),
        serde_json::json!(c.parent_id.map(|p| p.to_string())),
    ];
    // Only when sent, so a request without them hashes as before they existed: a retry that
    // spans an upgrade is still recognised.
    if c.author_id.is_some() || c.article_url.is_some() || c.article_title.is_some() {
        canonical.extend([
            serde_json::json!(c.author_id.as_ref().map(|a| a.as_str())),
            serde_json::json!(c.article_url.as_ref().map(|u| u.as_str())),
            serde_json::json!(c.article_title.as_ref().map(|t| t.as_str())),
        ]);
    }
    hex::encode(Sha256::digest(
        serde_json::Value::Array(canonical).to_string().as_bytes(),
    ))
}

fn validate(state: &AppState, p: PostComment) -> Result<NewComment, ApiError> {
    Ok(NewComment {
        article_id: ArticleId::parse(&p.article_id)?,
        author: AuthorName::parse(&p.author)?,
        title: match p.title {
            Some(t) => CommentTitle::parse(&t)?,
            None => None,
        },
        body: CommentBody::parse(&p.body, state.config.max_body_chars)?,
        parent_id: p
            .parent_id
            .map(|p| CommentId::parse(&p, "parent_id"))
            .transpose()?,
        author_id: p.author_id.as_deref().map(AuthorId::parse).transpose()?,
        article_url: match p.article_url {
            Some(u) => ArticleUrl::parse(&u)?,
            None => None,
        },
        article_title: match p.article_title {
            Some(t) => ArticleTitle::parse(&t)?,
            None => None,
        },
    })
}

/// A retry with a known Idempotency-Key answers 200 (not 201) with the first result and an
/// `Idempotent-Replayed: true` header: the retry created nothing, the original did.
fn respond(outcome: &InsertOutcome) -> HttpResponse {
    match outcome {
        InsertOutcome::Created(c) => HttpResponse::Created().json(Posted::from(c)),
        InsertOutcome::Existing(c) => HttpResponse::build(StatusCode::OK)
            .insert_header(("Idempotent-Replayed", "true"))
            .json(Posted::from(c)),
    }
}

/// Post a comment: it is scored, published, held or rejected, and stored.
#[utoipa::path(
    post,
    path = "/v1/comments",
    tag = "comments",
    request_body = PostComment,
    security((), ("posting_key" = [])),
    params(("Idempotency-Key" = Option<String>, Header,
        description = "A retry with the same key and request gets the first answer (200)")),
    responses(
        (status = 201, description = "Stored", body = Posted),
        (status = 200, description = "A retry: the first answer, with `Idempotent-Replayed: true`",
            body = Posted),
        (status = 400, description = "Invalid field or JSON", body = super::openapi::ErrorBody),
        (status = 422, description = "`idempotency_key_reused` or unknown `parent_id`",
            body = super::openapi::ErrorBody),
        (status = 401, description = "Posting keys are configured and none was sent",
            body = super::openapi::ErrorBody),
        (status = 403, description = "Not a posting key", body = super::openapi::ErrorBody),
        (status = 429, description = "Rate-limited per author or address (`Retry-After`)",
            body = super::openapi::ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(comment_id = tracing::field::Empty))]
async fn post_comment(
    _: Poster,
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiJson(body): ApiJson<PostComment>,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency_key(&req)?;
    let comment = validate(&state, body)?;
    let idempotency = key.map(|key| Idempotency {
        key,
        fingerprint: fingerprint(&comment),
    });
    // A retry is answered before rate limiting and scoring: it costs nothing and must not be
    // refused for a post that already succeeded.
    if let Some(idem) = &idempotency
        && let Some(existing) = state
            .store
            .find_by_idempotency_key(idem.key.clone())
            .await?
    {
        if existing.request_hash.as_deref() != Some(idem.fingerprint.as_str()) {
            return Err(ApiError::IdempotencyKeyReused);
        }
        tracing::Span::current().record("comment_id", tracing::field::display(existing.id));
        return Ok(respond(&InsertOutcome::Existing(existing)));
    }
    if let Err(limited) = state
        .limiter
        .take(
            Some(comment.author.as_str()),
            req.peer_addr().map(|a| a.ip()),
        )
        .await
    {
        tracing::debug!(scope = limited.scope, "post rate-limited");
        return Err(ApiError::RateLimited {
            what: "comments",
            scope: limited.scope,
            retry_after_secs: limited.retry_after_secs,
        });
    }
    let judged = judge(&state, comment.body.as_str()).await?;
    let id = CommentId::new();
    tracing::Span::current().record("comment_id", tracing::field::display(id));
    let record = NewRecord {
        id,
        comment,
        status: judged.status,
        scores: judged.scores,
        reasons: judged.reasons,
        model_version: judged.model_version,
        thresholds: judged.thresholds,
        idempotency,
        author_policy: state.config.author_policy,
        surge: state.config.surge,
    };
    let outcome = state.store.insert_comment(record).await?;
    if let InsertOutcome::Created(c) = &outcome {
        state.metrics.comment_stored(c.status);
        // Verdicts only, never text (the comment id is on the span); debug level, as info
        // would log every post.
        tracing::debug!(status = %c.status, model = %c.model_version,
            status_reason = c.status_reason.as_deref(), "comment stored");
        if c.started_surge {
            tracing::info!(article_id = %c.article_id,
                "surge detection switched the article to pre-moderation");
        }
    }
    Ok(respond(&outcome))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 200 (default 50).
    pub limit: Option<String>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// `limit` as a number within 1..=MAX_PAGE (a string first, so the error names the parameter).
pub fn parse_limit(raw: Option<&str>) -> Result<usize, ApiError> {
    match raw {
        None => Ok(DEFAULT_PAGE),
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                ApiError::bad_field(
                    "invalid_query",
                    "limit",
                    format!("`limit` must be a whole number from 1 to {MAX_PAGE}"),
                )
            }),
    }
}

pub fn parse_cursor(raw: Option<&str>) -> Result<Option<Cursor>, ApiError> {
    raw.filter(|c| !c.is_empty())
        .map(Cursor::decode)
        .transpose()
        .map_err(|e| ApiError::bad_field("invalid_cursor", "cursor", e.to_string()))
}

#[derive(Debug, Serialize)]
struct PublicComment<'a> {
    id: CommentId,
    article_id: &'a str,
    parent_id: Option<CommentId>,
    author: &'a str,
    title: Option<&'a str>,
    body: &'a str,
    created_at: &'a str,
}

/// An article's published comments, oldest first.
#[utoipa::path(
    get,
    path = "/v1/articles/{article_id}/comments",
    tag = "comments",
    params(("article_id" = String, Path, description = "May contain `/`"), PageQuery),
    responses(
        (status = 200, description = "`{article_id, comments: [{id, article_id, parent_id, \
            author, title, body, created_at}], next_cursor}`", body = Object),
        (status = 400, description = "Invalid article id, limit or cursor",
            body = super::openapi::ErrorBody),
    )
)]
async fn list_published(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let article = ArticleId::parse(&path.into_inner())?;
    let limit = parse_limit(query.limit.as_deref())?;
    let after = match parse_cursor(query.cursor.as_deref())? {
        Some(c @ Cursor::Seq(_)) => Some(c),
        Some(_) => {
            return Err(ApiError::bad_field(
                "invalid_cursor",
                "cursor",
                "`cursor` does not belong to this listing",
            ));
        }
        None => None,
    };
    let page = state
        .store
        .list_published(article.as_str().to_string(), limit, after)
        .await?;
    let comments: Vec<PublicComment<'_>> = page
        .items
        .iter()
        .map(|c| PublicComment {
            id: c.id,
            article_id: &c.article_id,
            parent_id: c.parent_id,
            author: &c.author,
            title: c.title.as_deref(),
            body: &c.body,
            created_at: &c.created_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "article_id": article.as_str(),
        "comments": comments,
        "next_cursor": page.next_cursor,
    })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct ScoreRequest {
    text: String,
}

/// Score a text and say what posting it would do; nothing is stored.
#[utoipa::path(
    post,
    path = "/v1/score",
    tag = "comments",
    request_body = ScoreRequest,
    security((), ("posting_key" = [])),
    responses(
        (status = 200, description = "`{scores, reasons, status, model_version}`", body = Object),
        (status = 400, description = "Invalid text or JSON", body = super::openapi::ErrorBody),
        (status = 401, description = "Posting keys are configured and none was sent",
            body = super::openapi::ErrorBody),
        (status = 403, description = "Not a posting key", body = super::openapi::ErrorBody),
    )
)]
async fn score(
    _: Poster,
    state: web::Data<AppState>,
    ApiJson(body): ApiJson<ScoreRequest>,
) -> Result<HttpResponse, ApiError> {
    let text = CommentBody::parse_field(&body.text, state.config.max_body_chars, "text")?;
    let judged = judge(&state, text.as_str()).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "scores": judged.scores,
        "reasons": judged.reasons,
        // What posting this text would do now; nothing is stored.
        "status": judged.status,
        "model_version": judged.model_version,
    })))
}
