//! Moderator API under /v1/moderation: review queue (held, published, rejected, or reported by
//! readers), comment detail, single and bulk decisions, authors (panel, suspend, ban, lift),
//! audit log, statistics; pre-moderation per article is in `premoderation`. Every handler takes
//! a [`Moderator`], so a request without a valid Bearer token never reaches the storage.

use super::auth::Moderator;
use super::comments::{PageQuery, parse_cursor, parse_limit};
use super::error::ApiError;
use super::extract::ApiJson;
use super::{AppState, RouteTable};
use crate::domain::{
    ArticleId, AuthorActionReason, AuthorId, CommentId, CommentStatus, Label, MAX_SUSPENSION_SECS,
};
use crate::storage::{
    AuthorAction, AuthorActionKind, Cursor, Decision, DecisionRequest, LogFilter, LogKind,
    QueueFilter, QueueOrder, QueueView, RejectReason,
};
use actix_web::http::Method;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Ids in one bulk decision: enough for a cleanup, small enough for one quick transaction.
pub const MAX_BULK_IDS: usize = 500;
const MAX_NOTE_CHARS: usize = 2000;

pub fn routes(table: &mut RouteTable) {
    table
        .route(Method::GET, "/v1/moderation/queue", queue)
        .route(Method::GET, "/v1/moderation/queue/updates", queue_updates)
        .route(Method::GET, "/v1/moderation/comments/{id}", detail)
        .route(
            Method::POST,
            "/v1/moderation/comments/{id}/decision",
            decide_one,
        )
        .route(Method::POST, "/v1/moderation/decisions", decide_bulk)
        // One path segment: an author id with `/` in it is sent percent-encoded.
        .route(Method::GET, "/v1/moderation/authors/{author_id}", author)
        .route(
            Method::POST,
            "/v1/moderation/authors/{author_id}/restriction",
            restrict_author,
        )
        .route(Method::GET, "/v1/moderation/log", log)
        .route(Method::GET, "/v1/moderation/stats", stats);
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct QueueQuery {
    /// published, held (default), rejected, or reported (open reader reports, any status).
    status: Option<String>,
    /// Only comments over this label's bar.
    label: Option<String>,
    article_id: Option<String>,
    /// score (default), oldest, newest, or reports (the reported queue only).
    order: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    page: PageQuery,
}

/// `status`: one of the comment statuses, or `reported` (comments with open reader reports,
/// whatever their status).
fn parse_view(raw: Option<&str>) -> Result<QueueView, ApiError> {
    match raw.filter(|s| !s.is_empty()) {
        None => Ok(QueueView::Status(CommentStatus::Held)),
        Some(s) => QueueView::parse(s).ok_or_else(|| {
            ApiError::bad_field(
                "invalid_query",
                "status",
                format!("unknown status `{s}` (expected published, held, rejected or reported)"),
            )
        }),
    }
}

/// The review queue.
#[utoipa::path(
    get,
    path = "/v1/moderation/queue",
    tag = "moderation",
    params(QueueQuery, PageQuery),
    security(("moderator_token" = [])),
    responses(
        (status = 200, description = "`{comments, next_cursor}`", body = Object),
        (status = 400, description = "Invalid parameter", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
    )
)]
async fn queue(
    _moderator: Moderator,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let view = parse_view(q.status.as_deref())?;
    let label = parse_label(q.label.as_deref())?;
    let article_id = parse_article(q.article_id.as_deref())?;
    let order = match q.order.as_deref().filter(|s| !s.is_empty()) {
        None if view == QueueView::Reported => QueueOrder::Reports,
        None => QueueOrder::Score,
        Some(o) => QueueOrder::parse(o).ok_or_else(|| {
            ApiError::bad_field(
                "invalid_query",
                "order",
                format!("unknown order `{o}` (expected score, oldest, newest or reports)"),
            )
        })?,
    };
    // Only the reported queue has an index in report order; sorting a whole status by it
    // would read every comment of that status.
    if order == QueueOrder::Reports && view != QueueView::Reported {
        return Err(ApiError::bad_field(
            "invalid_query",
            "order",
            "`order=reports` lists the reported queue only (`status=reported`)",
        ));
    }
    let limit = parse_limit(q.page.limit.as_deref())?;
    let after = parse_cursor(q.page.cursor.as_deref())?;
    // A cursor from another ordering would silently skip or repeat items: refuse it.
    let matches = matches!(
        (order, after),
        (_, None)
            | (QueueOrder::Score, Some(Cursor::Score { .. }))
            | (QueueOrder::Reports, Some(Cursor::Count { .. }))
            | (
                QueueOrder::Oldest | QueueOrder::Newest,
                Some(Cursor::Seq(_))
            )
    );
    if !matches {
        return Err(ApiError::bad_field(
            "invalid_cursor",
            "cursor",
            "`cursor` belongs to a different `order`",
        ));
    }
    let page = state
        .store
        .queue(QueueFilter {
            view,
            label,
            article_id,
            order,
            limit,
            after,
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "comments": page.items,
        "next_cursor": page.next_cursor,
    })))
}

/// New ids one poll reports at most; the page inserts them in pages of its own.
const MAX_NEW_IDS: usize = 100;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct UpdatesQuery {
    status: Option<String>,
    label: Option<String>,
    article_id: Option<String>,
    /// The `watermark` of the previous answer.
    since: Option<String>,
}

/// Polled by the page (every few seconds per open page) to learn of new comments (in the
/// reported view: newly reported ones) without a reload. Polling with an ETag rather than Server-Sent Events: the version is read from the
/// shared database, so it stays right with several instances on one database, with no
/// cross-instance fan-out; an unchanged queue costs one index lookup and a 304.
/// What changed in a queue view since `since` (polled; ETag and 304 while unchanged).
#[utoipa::path(
    get,
    path = "/v1/moderation/queue/updates",
    tag = "moderation",
    params(UpdatesQuery, ("If-None-Match" = Option<String>, Header, description = "A previous ETag")),
    security(("moderator_token" = [])),
    responses(
        (status = 200, description = "`{version, watermark, held, reported, new_ids, more_new}`",
            body = Object),
        (status = 304, description = "Unchanged since the ETag"),
        (status = 400, description = "Invalid parameter", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
    )
)]
async fn queue_updates(
    _moderator: Moderator,
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<UpdatesQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let view = parse_view(q.status.as_deref())?;
    let label = parse_label(q.label.as_deref())?;
    let article_id = parse_article(q.article_id.as_deref())?;
    let since = match parse_cursor(q.since.as_deref()) {
        Ok(None) => None,
        Ok(Some(Cursor::Seq(seq))) => Some(seq),
        Ok(Some(_)) | Err(_) => {
            return Err(ApiError::bad_field(
                "invalid_cursor",
                "since",
                "`since` is not a `watermark` this endpoint returned",
            ));
        }
    };
    // The ETag names the version and the view, so a tag kept across a filter change never
    // matches the new view.
    let tag = format!(
        "{}|{}|{}|{}",
        view.as_str(),
        label.map(|l| l.as_str()).unwrap_or(""),
        article_id.as_deref().unwrap_or(""),
        since.unwrap_or(-1)
    );
    let tag = hex::encode(&Sha256::digest(tag.as_bytes())[..6]);
    // Both audit positions: an entry committed late on another instance lands below the last
    // one, but above the settled one (see `QueueVersion`), so the tag still moves.
    // Unsettled: no tag can promise "unchanged", so none is sent.
    let etag = |last: i64, settled: Option<i64>| {
        settled.map(|settled| format!("\"{last}.{settled}-{tag}\""))
    };
    let version = state.store.queue_version().await?;
    if let Some(current) = etag(version.last, version.settled)
        && if_none_match(&req, &current)
    {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, current))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .finish());
    }
    let updates = state
        .store
        .queue_updates(
            QueueFilter {
                view,
                label,
                article_id,
                order: QueueOrder::Oldest,
                limit: MAX_NEW_IDS,
                after: None,
            },
            since,
        )
        .await?;
    let mut response = HttpResponse::Ok();
    if let Some(tag) = etag(updates.version, updates.settled_version) {
        response.insert_header((header::ETAG, tag));
    }
    Ok(response
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(json!({
            "version": updates.version,
            "watermark": updates.watermark.encode(),
            "held": updates.held,
            "reported": updates.reported,
            "new_ids": updates.new_ids,
            "more_new": updates.more_new,
        })))
}

/// Whether `If-None-Match` lists `etag` (or `*`); weak tags compare by their value.
fn if_none_match(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
}

fn parse_label(raw: Option<&str>) -> Result<Option<Label>, ApiError> {
    raw.filter(|s| !s.is_empty())
        .map(|l| l.parse::<Label>())
        .transpose()
        .map_err(|e| ApiError::bad_field("invalid_query", "label", e.to_string()))
}

fn parse_article(raw: Option<&str>) -> Result<Option<String>, ApiError> {
    Ok(raw
        .filter(|s| !s.is_empty())
        .map(ArticleId::parse)
        .transpose()?
        .map(|a| a.into_inner()))
}

fn parse_id(raw: &str, field: &'static str) -> Result<CommentId, ApiError> {
    Ok(CommentId::parse(raw, field)?)
}

/// One comment with its scores, reasons, reports and history.
#[utoipa::path(
    get,
    path = "/v1/moderation/comments/{id}",
    tag = "moderation",
    params(("id" = String, Path, description = "Comment id")),
    security(("moderator_token" = [])),
    responses(
        (status = 200, description = "The comment's detail", body = Object),
        (status = 404, description = "No such comment", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
    )
)]
async fn detail(
    _moderator: Moderator,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&path.into_inner(), "id")?;
    match state.store.get_detail(id).await? {
        Some(detail) => Ok(HttpResponse::Ok().json(detail)),
        None => Err(ApiError::CommentsNotFound(vec![id])),
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct DecisionBody {
    /// approve or reject.
    decision: String,
    /// Why a rejection: insult, obscene, threat, identity_attack, incitement, spam, off_topic
    /// or other.
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    note: Option<String>,
    /// Replace a different earlier decision instead of answering 409.
    #[serde(default, rename = "override")]
    override_previous: bool,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct BulkBody {
    ids: Vec<String>,
    #[serde(flatten)]
    decision: DecisionBody,
}

/// Check the action, reason and note; build the storage request.
fn decision_request(
    moderator: Moderator,
    ids: Vec<CommentId>,
    body: DecisionBody,
) -> Result<DecisionRequest, ApiError> {
    let decision = Decision::parse(&body.decision).ok_or_else(|| {
        ApiError::bad_field(
            "invalid_decision",
            "decision",
            format!(
                "unknown decision `{}` (expected approve or reject)",
                body.decision
            ),
        )
    })?;
    let reason = match body.reason.as_deref().filter(|r| !r.is_empty()) {
        None => None,
        Some(_) if decision == Decision::Approve => {
            return Err(ApiError::bad_field(
                "invalid_reason",
                "reason",
                "`reason` explains a rejection; approvals take a `note` instead",
            ));
        }
        Some(r) => Some(RejectReason::parse(r).ok_or_else(|| {
            let known: Vec<&str> = RejectReason::ALL.iter().map(|r| r.as_str()).collect();
            ApiError::bad_field(
                "invalid_reason",
                "reason",
                format!(
                    "unknown reason `{r}` (expected one of {})",
                    known.join(", ")
                ),
            )
        })?),
    };
    let note = body
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    if let Some(note) = &note {
        let chars = note.chars().count();
        if chars > MAX_NOTE_CHARS {
            return Err(ApiError::bad_field(
                "too_long",
                "note",
                format!("`note` is {chars} characters long; the maximum is {MAX_NOTE_CHARS}"),
            ));
        }
        if note
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(ApiError::bad_field(
                "control_character",
                "note",
                "`note` contains a control character",
            ));
        }
    }
    Ok(DecisionRequest {
        ids,
        moderator: moderator.0,
        decision,
        reason,
        note,
        override_previous: body.override_previous,
    })
}

async fn apply(
    state: &AppState,
    request: DecisionRequest,
) -> Result<Vec<crate::storage::DecisionResult>, ApiError> {
    let decision = request.decision;
    let moderator = request.moderator.clone();
    let results = state.store.decide(request).await?;
    for r in results.iter().filter(|r| r.changed) {
        state.metrics.decision_applied(decision);
        tracing::info!(comment_id = %r.id, moderator = %moderator, decision = decision.as_str(),
            before = %r.before, after = %r.after, "moderator decision");
    }
    Ok(results)
}

/// Approve or reject one comment.
#[utoipa::path(
    post,
    path = "/v1/moderation/comments/{id}/decision",
    tag = "moderation",
    request_body = DecisionBody,
    params(("id" = String, Path, description = "Comment id")),
    security(("moderator_token" = [])),
    responses(
        (status = 200, description = "`{id, status, before, changed, resolved_reports}`",
            body = Object),
        (status = 400, description = "Invalid field", body = super::openapi::ErrorBody),
        (status = 404, description = "No such comment", body = super::openapi::ErrorBody),
        (status = 409, description = "A different decision stands; send `override: true`",
            body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(comment_id = tracing::field::Empty))]
async fn decide_one(
    moderator: Moderator,
    state: web::Data<AppState>,
    path: web::Path<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&path.into_inner(), "id")?;
    tracing::Span::current().record("comment_id", tracing::field::display(id));
    let request = decision_request(moderator, vec![id], body)?;
    let results = apply(&state, request).await?;
    let result = results.into_iter().next().ok_or_else(|| {
        ApiError::internal("the store answered a decision on one comment with none")
    })?;
    Ok(HttpResponse::Ok().json(json!({
        "id": result.id,
        "status": result.after,
        "before": result.before,
        "changed": result.changed,
        "resolved_reports": result.resolved_reports,
    })))
}

/// Approve or reject up to 500 comments at once, all or none.
#[utoipa::path(
    post,
    path = "/v1/moderation/decisions",
    tag = "moderation",
    request_body = BulkBody,
    security(("moderator_token" = [])),
    responses(
        (status = 200, description = "`{results: [{id, before, after, changed, \
            resolved_reports}]}`", body = Object),
        (status = 400, description = "Invalid field", body = super::openapi::ErrorBody),
        (status = 404, description = "Unknown ids (listed in `details.ids`)", body = super::openapi::ErrorBody),
        (status = 409, description = "Conflicts (listed in `details.conflicts`)", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(comments = body.ids.len()))]
async fn decide_bulk(
    moderator: Moderator,
    state: web::Data<AppState>,
    ApiJson(body): ApiJson<BulkBody>,
) -> Result<HttpResponse, ApiError> {
    if body.ids.is_empty() || body.ids.len() > MAX_BULK_IDS {
        return Err(ApiError::bad_field(
            "invalid_field",
            "ids",
            format!("`ids` must list 1 to {MAX_BULK_IDS} comment ids"),
        ));
    }
    let ids = body
        .ids
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            CommentId::parse(raw, "ids").map_err(|_| {
                ApiError::bad_field(
                    "invalid_id",
                    &format!("ids[{i}]"),
                    format!("`ids[{i}]` is not a valid comment id"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let request = decision_request(moderator, ids, body.decision)?;
    let results = apply(&state, request).await?;
    Ok(HttpResponse::Ok().json(json!({ "results": results })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct LogQuery {
    comment_id: Option<String>,
    author_id: Option<String>,
    /// The moderator's name.
    actor: Option<String>,
    /// auto_published, auto_held, auto_rejected, auto_requeued, approve, reject, rescore,
    /// report, suspend_author, ban_author or lift_author.
    action: Option<String>,
    article_id: Option<String>,
    /// moderator, reader or automatic.
    kind: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    page: PageQuery,
}

const ACTIONS: [&str; 14] = [
    "auto_published",
    "auto_held",
    "auto_rejected",
    "auto_requeued",
    "approve",
    "reject",
    "rescore",
    "report",
    "suspend_author",
    "ban_author",
    "lift_author",
    crate::storage::PREMODERATION_ON,
    crate::storage::PREMODERATION_OFF,
    crate::storage::SURGE_PREMODERATION,
];

/// The audit log, newest first.
#[utoipa::path(
    get,
    path = "/v1/moderation/log",
    tag = "moderation",
    params(LogQuery, PageQuery),
    security(("moderator_token" = [])),
    responses(
        (status = 200, description = "`{entries, next_cursor}`", body = Object),
        (status = 400, description = "Invalid parameter", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
    )
)]
async fn log(
    _moderator: Moderator,
    state: web::Data<AppState>,
    query: web::Query<LogQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = state.store.audit_log(query.into_inner().filter()?).await?;
    Ok(HttpResponse::Ok().json(json!({
        "entries": page.items,
        "next_cursor": page.next_cursor,
    })))
}

impl LogQuery {
    /// The filter this query asks for; an empty parameter means "any".
    fn filter(self) -> Result<LogFilter, ApiError> {
        let q = self;
        let comment_id = q
            .comment_id
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| parse_id(s, "comment_id"))
            .transpose()?;
        let action = q.action.filter(|s| !s.is_empty());
        if let Some(a) = &action
            && !ACTIONS.contains(&a.as_str())
        {
            return Err(ApiError::bad_field(
                "invalid_query",
                "action",
                format!(
                    "unknown action `{a}` (expected one of {})",
                    ACTIONS.join(", ")
                ),
            ));
        }
        let kind = q
            .kind
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|k| {
                LogKind::parse(k).ok_or_else(|| {
                    ApiError::bad_field(
                        "invalid_query",
                        "kind",
                        format!("unknown kind `{k}` (expected moderator, reader or automatic)"),
                    )
                })
            })
            .transpose()?;
        let article_id = q
            .article_id
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(ArticleId::parse)
            .transpose()?
            .map(|a| a.into_inner());
        let after = match parse_cursor(q.page.cursor.as_deref())? {
            Some(c @ Cursor::Seq(_)) => Some(c),
            Some(_) => {
                return Err(ApiError::bad_field(
                    "invalid_cursor",
                    "cursor",
                    "`cursor` does not belong to the log",
                ));
            }
            None => None,
        };
        let author_id = q
            .author_id
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(AuthorId::parse)
            .transpose()?
            .map(|a| a.into_inner());
        Ok(LogFilter {
            comment_id,
            author_id,
            actor: q.actor.filter(|s| !s.is_empty()),
            action,
            article_id,
            kind,
            limit: parse_limit(q.page.limit.as_deref())?,
            after,
        })
    }
}

/// Comments the author panel lists unless asked for another number.
const AUTHOR_RECENT: usize = 20;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AuthorQuery {
    /// Recent comments to list, 1 to 200 (default 20).
    limit: Option<String>,
}

/// The author panel: standing, counts and recent comments.
#[utoipa::path(
    get,
    path = "/v1/moderation/authors/{author_id}",
    tag = "moderation",
    params(("author_id" = String, Path, description = "Percent-encode a `/`"), AuthorQuery),
    security(("moderator_token" = [])),
    responses(
        (status = 200, description = "The author's panel", body = Object),
        (status = 404, description = "No comment was posted with this author id", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
    )
)]
async fn author(
    _moderator: Moderator,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<AuthorQuery>,
) -> Result<HttpResponse, ApiError> {
    let author_id = AuthorId::parse(&path.into_inner())?;
    let limit = match query.limit.as_deref() {
        None | Some("") => AUTHOR_RECENT,
        raw => parse_limit(raw)?,
    };
    match state
        .store
        .author(author_id.as_str().to_string(), limit)
        .await?
    {
        Some(panel) => Ok(HttpResponse::Ok().json(panel)),
        None => Err(ApiError::AuthorNotFound(author_id.into_inner())),
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct RestrictionBody {
    /// suspend, ban or lift.
    action: String,
    reason: String,
    /// Suspensions only: 1 second to a year.
    #[serde(default)]
    duration_seconds: Option<u64>,
}

/// Check the action, its duration and the reason; build the storage request.
fn author_action(
    moderator: Moderator,
    author_id: AuthorId,
    body: RestrictionBody,
) -> Result<AuthorAction, ApiError> {
    let kind = match (body.action.as_str(), body.duration_seconds) {
        ("suspend", Some(secs)) if (1..=MAX_SUSPENSION_SECS).contains(&secs) => {
            AuthorActionKind::Suspend {
                duration_secs: secs,
            }
        }
        ("suspend", Some(_)) => {
            return Err(ApiError::bad_field(
                "invalid_duration",
                "duration_seconds",
                format!(
                    "`duration_seconds` must be from 1 to {MAX_SUSPENSION_SECS} (a year); ban \
                     an author for longer"
                ),
            ));
        }
        ("suspend", None) => {
            return Err(ApiError::bad_field(
                "invalid_duration",
                "duration_seconds",
                "a suspension needs `duration_seconds`",
            ));
        }
        ("ban" | "lift", Some(_)) => {
            return Err(ApiError::bad_field(
                "invalid_duration",
                "duration_seconds",
                "only a suspension takes `duration_seconds`",
            ));
        }
        ("ban", None) => AuthorActionKind::Ban,
        ("lift", None) => AuthorActionKind::Lift,
        (other, _) => {
            return Err(ApiError::bad_field(
                "invalid_action",
                "action",
                format!(
                    "unknown action `{}` (expected suspend, ban or lift)",
                    other.chars().take(100).collect::<String>()
                ),
            ));
        }
    };
    Ok(AuthorAction {
        author_id,
        moderator: moderator.0,
        kind,
        reason: AuthorActionReason::parse(&body.reason)?,
    })
}

/// Suspend, ban or lift an author.
#[utoipa::path(
    post,
    path = "/v1/moderation/authors/{author_id}/restriction",
    tag = "moderation",
    request_body = RestrictionBody,
    params(("author_id" = String, Path, description = "Percent-encode a `/`")),
    security(("moderator_token" = [])),
    responses(
        (status = 200, description = "`{changed, standing, ...}`", body = Object),
        (status = 400, description = "Invalid field", body = super::openapi::ErrorBody),
        (status = 404, description = "No comment was posted with this author id", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
    )
)]
async fn restrict_author(
    moderator: Moderator,
    state: web::Data<AppState>,
    path: web::Path<String>,
    ApiJson(body): ApiJson<RestrictionBody>,
) -> Result<HttpResponse, ApiError> {
    let author_id = AuthorId::parse(&path.into_inner())?;
    let action = author_action(moderator, author_id, body)?;
    let (who, what, author) = (
        action.moderator.clone(),
        action.kind.action(),
        action.author_id.as_str().to_string(),
    );
    let Some(outcome) = state.store.act_on_author(action).await? else {
        return Err(ApiError::AuthorNotFound(author));
    };
    if outcome.changed {
        tracing::info!(moderator = %who, action = what, author_id = %author,
            status = outcome.standing.status, "author action");
    }
    Ok(HttpResponse::Ok().json(outcome))
}

/// Queue and decision statistics.
#[utoipa::path(
    get,
    path = "/v1/moderation/stats",
    tag = "moderation",
    security(("moderator_token" = [])),
    responses(
        (status = 200, description = "Counts by status, label and decision", body = Object),
        (status = 401, description = "Missing or malformed token", body = super::openapi::ErrorBody),
        (status = 403, description = "Unknown token", body = super::openapi::ErrorBody),
    )
)]
async fn stats(
    _moderator: Moderator,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let stats = state.store.stats().await?;
    Ok(HttpResponse::Ok().json(stats))
}
