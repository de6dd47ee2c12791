//! The one error type of the HTTP API and its one mapping to a status and a JSON body:
//! `{"error": {"code": "snake_case", "message": "...", "field"?: "...", "details"?: ...}}`.

use crate::domain::{CommentId, InvalidInput};
use crate::storage::{Conflict, StorageError};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed request: bad JSON, wrong type, bad query parameter, unknown action...
    #[error("{message}")]
    BadRequest {
        code: &'static str,
        message: String,
        field: Option<String>,
    },
    /// A value that failed the domain's checks (empty body, too long, bad article id...).
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    #[error("request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("content type must be application/json")]
    UnsupportedMediaType,
    #[error("missing or malformed Authorization header; expected `Bearer <token>`")]
    Unauthorized,
    #[error("this token is not allowed to use this endpoint")]
    Forbidden,
    #[error("no such route: {0}")]
    RouteNotFound(String),
    #[error("method not allowed on this route")]
    MethodNotAllowed,
    #[error("unknown comment ids: {}", list(.0))]
    CommentsNotFound(Vec<CommentId>),
    #[error("no comment was posted with `author_id` {0:?}")]
    AuthorNotFound(String),
    #[error("{} comment(s) already carry a different decision; send `override: true` to replace it", .0.len())]
    DecisionConflict(Vec<Conflict>),
    #[error("this Idempotency-Key was already used with a different request")]
    IdempotencyKeyReused,
    #[error("`parent_id` {0} is not a comment on this article")]
    UnknownParent(CommentId),
    #[error("too many {what} from this {scope}; retry after {retry_after_secs} s")]
    RateLimited {
        /// What was sent too often: `comments` or `reports`.
        what: &'static str,
        scope: &'static str,
        retry_after_secs: u64,
    },
    #[error("too many wrong tokens or keys from this address; retry after {retry_after_secs} s")]
    AuthThrottled { retry_after_secs: u64 },
    /// A model reload was refused; the model that was serving keeps serving.
    #[error("model refused, still serving {serving}: {reason}")]
    ModelRejected { serving: String, reason: String },
    #[error("storage is unavailable; nothing was changed, try again shortly")]
    StorageUnavailable,
    #[error("internal error")]
    Internal,
}

fn list(ids: &[CommentId]) -> String {
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn bad_field(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code,
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. } => code,
            ApiError::Invalid(e) => match e {
                InvalidInput::Empty { .. } => "empty_field",
                InvalidInput::TooLong { .. } => "too_long",
                InvalidInput::ControlCharacter { .. } => "control_character",
                InvalidInput::ArticleIdFormat => "invalid_article_id",
                InvalidInput::CommentIdFormat { .. } => "invalid_id",
                InvalidInput::UrlFormat { .. } => "invalid_url",
            },
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::RouteNotFound(_) => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::CommentsNotFound(_) => "comment_not_found",
            ApiError::AuthorNotFound(_) => "author_not_found",
            ApiError::DecisionConflict(_) => "decision_conflict",
            ApiError::IdempotencyKeyReused => "idempotency_key_reused",
            ApiError::UnknownParent(_) => "unknown_parent",
            ApiError::RateLimited { .. } | ApiError::AuthThrottled { .. } => "rate_limited",
            ApiError::ModelRejected { .. } => "model_rejected",
            ApiError::StorageUnavailable => "storage_unavailable",
            ApiError::Internal => "internal",
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            ApiError::BadRequest { field, .. } => field.as_deref(),
            ApiError::Invalid(e) => Some(e.field()),
            ApiError::UnknownParent(_) => Some("parent_id"),
            _ => None,
        }
    }

    fn details(&self) -> Option<serde_json::Value> {
        match self {
            ApiError::CommentsNotFound(ids) => Some(json!({ "ids": ids })),
            ApiError::DecisionConflict(conflicts) => Some(json!({ "conflicts": conflicts })),
            ApiError::ModelRejected { serving, .. } => Some(json!({ "serving_version": serving })),
            _ => None,
        }
    }
}

impl From<StorageError> for ApiError {
    fn from(err: StorageError) -> Self {
        match err {
            StorageError::Unavailable(detail) => {
                // The detail (SQLite's message) goes to the log, never to the client.
                tracing::error!(error = %detail, "storage unavailable");
                ApiError::StorageUnavailable
            }
            StorageError::NotFound(ids) => ApiError::CommentsNotFound(ids),
            StorageError::Conflict(c) => ApiError::DecisionConflict(c),
            StorageError::UnknownParent(id) => ApiError::UnknownParent(id),
            StorageError::IdempotencyMismatch => ApiError::IdempotencyKeyReused,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } | ApiError::Invalid(_) => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::RouteNotFound(_)
            | ApiError::CommentsNotFound(_)
            | ApiError::AuthorNotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::DecisionConflict(_) => StatusCode::CONFLICT,
            ApiError::IdempotencyKeyReused
            | ApiError::UnknownParent(_)
            | ApiError::ModelRejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited { .. } | ApiError::AuthThrottled { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::StorageUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut body = json!({ "code": self.code(), "message": self.to_string() });
        if let Some(field) = self.field() {
            body["field"] = json!(field);
        }
        if let Some(details) = self.details() {
            body["details"] = details;
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            ApiError::RateLimited {
                retry_after_secs, ..
            }
            | ApiError::AuthThrottled { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::Unauthorized => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"talkback\""),
                ));
            }
            ApiError::StorageUnavailable => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            _ => {}
        }
        response.json(json!({ "error": body }))
    }
}
