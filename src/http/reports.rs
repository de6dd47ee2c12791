//! Reader reports: `POST /v1/comments/{id}/reports`. The news platform sends them on behalf of
//! its readers, as it sends their comments, so the endpoint is authorised the same way as
//! `POST /v1/comments` (a posting key when configured, else open: the platform's deployment
//! decides who can reach it) and rate-limited per reporter and per client address.

use super::auth::Poster;
use super::error::ApiError;
use super::extract::ApiJson;
use super::{AppState, RouteTable};
use crate::domain::{CommentId, NewReport, ReportNote, ReportReason, ReporterId};
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

pub fn routes(table: &mut RouteTable) {
    table.route(Method::POST, "/v1/comments/{id}/reports", report);
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct ReportBody {
    /// abuse, incitement, spam, off_topic or other.
    reason: String,
    #[serde(default)]
    reporter_id: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

fn validate(comment_id: CommentId, body: ReportBody) -> Result<NewReport, ApiError> {
    let reason = ReportReason::parse(&body.reason)
        .map_err(|e| ApiError::bad_field("invalid_reason", "reason", e.to_string()))?;
    Ok(NewReport {
        comment_id,
        reason,
        reporter_id: body
            .reporter_id
            .as_deref()
            .map(ReporterId::parse)
            .transpose()?,
        note: match body.note {
            Some(note) => ReportNote::parse(&note)?,
            None => None,
        },
    })
}

/// A reader's report on a comment; enough distinct reporters send a published comment back to
/// the held queue.
#[utoipa::path(
    post,
    path = "/v1/comments/{id}/reports",
    tag = "comments",
    request_body = ReportBody,
    security((), ("posting_key" = [])),
    params(("id" = String, Path, description = "Comment id")),
    responses(
        (status = 201, description = "Counted: `{report_id, comment_id, reason, counted, status, \
            requeued, open_reports, reporters}`", body = Object),
        (status = 200, description = "That reporter's report is already open (`counted: false`)",
            body = Object),
        (status = 400, description = "Invalid field", body = super::openapi::ErrorBody),
        (status = 401, description = "Posting keys are configured and none was sent",
            body = super::openapi::ErrorBody),
        (status = 403, description = "Not a posting key", body = super::openapi::ErrorBody),
        (status = 404, description = "No such comment", body = super::openapi::ErrorBody),
        (status = 429, description = "Rate-limited", body = super::openapi::ErrorBody),
    )
)]
async fn report(
    _: Poster,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    ApiJson(body): ApiJson<ReportBody>,
) -> Result<HttpResponse, ApiError> {
    let comment_id = CommentId::parse(&path.into_inner(), "id")?;
    let report = validate(comment_id, body)?;
    // Checked after validation, so a malformed request does not use up the allowance.
    if let Err(limited) = state
        .report_limiter
        .take(
            report.reporter_id.as_ref().map(|r| r.as_str()),
            req.peer_addr().map(|a| a.ip()),
        )
        .await
    {
        tracing::debug!(scope = limited.scope, "report rate-limited");
        return Err(ApiError::RateLimited {
            what: "reports",
            scope: limited.scope,
            retry_after_secs: limited.retry_after_secs,
        });
    }
    let outcome = state
        .store
        .report(report, state.config.report_threshold)
        .await?;
    state
        .metrics
        .report_received(outcome.counted, outcome.requeued);
    if outcome.requeued {
        tracing::info!(comment_id = %comment_id, reporters = outcome.reporters,
            "reported comment sent back to the review queue");
    }
    let body = json!({
        "report_id": outcome.report_id,
        "comment_id": comment_id,
        "reason": outcome.reason,
        "counted": outcome.counted,
        "status": outcome.status,
        "requeued": outcome.requeued,
        "open_reports": outcome.open_reports,
        "reporters": outcome.reporters,
    });
    // A repeat from the same reader created nothing: 200 with the report already open.
    Ok(if outcome.counted {
        HttpResponse::Created().json(body)
    } else {
        HttpResponse::Ok().json(body)
    })
}
