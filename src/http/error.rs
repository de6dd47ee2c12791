//! The one error type of the HTTP API and its one mapping to a status and a JSON body:
//! `{"error": {"code": "snake_case", "message": "...", "field"?: "...", "details"?: ...,
//! "request_id": "..."}}`.

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
    #[error("no comment was posted on article {0:?}")]
    ArticleNotFound(String),
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
    /// A temporary storage failure (see [`StorageError::Unavailable`]); the client is told to
    /// retry, the cause goes to the log.
    #[error("storage is unavailable; nothing was changed, try again shortly")]
    StorageUnavailable(#[source] StorageError),
    /// Anything unexpected. The message is all the client sees; the source is logged.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
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
            ApiError::ArticleNotFound(_) => "article_not_found",
            ApiError::DecisionConflict(_) => "decision_conflict",
            ApiError::IdempotencyKeyReused => "idempotency_key_reused",
            ApiError::UnknownParent(_) => "unknown_parent",
            ApiError::RateLimited { .. } | ApiError::AuthThrottled { .. } => "rate_limited",
            ApiError::ModelRejected { .. } => "model_rejected",
            ApiError::StorageUnavailable(_) => "storage_unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    /// An unexpected failure with whatever caused it, e.g. a task that did not finish or an
    /// invariant that did not hold.
    pub fn internal(source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        ApiError::Internal(source.into())
    }

    /// Server-side failures are logged here, where they become a response, so each is logged
    /// once (inside the request's span, so with its request id) and with its whole cause
    /// chain, which the client never sees.
    pub(crate) fn log(&self) {
        match self {
            ApiError::Internal(_) => tracing::error!(error = %Chain(self), "internal error"),
            ApiError::StorageUnavailable(_) => {
                tracing::error!(error = %Chain(self), "storage unavailable")
            }
            _ => {}
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
            StorageError::Unavailable(_) => ApiError::StorageUnavailable(err),
            StorageError::Failed(_) => ApiError::Internal(Box::new(err)),
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
            | ApiError::AuthorNotFound(_)
            | ApiError::ArticleNotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::DecisionConflict(_) => StatusCode::CONFLICT,
            ApiError::IdempotencyKeyReused
            | ApiError::UnknownParent(_)
            | ApiError::ModelRejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited { .. } | ApiError::AuthThrottled { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::StorageUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.log();
        let mut body = json!({ "code": self.code(), "message": self.to_string() });
        if let Some(field) = self.field() {
            body["field"] = json!(field);
        }
        if let Some(details) = self.details() {
            body["details"] = details;
        }
        // The id a client quotes when it reports a failure; the log has the rest.
        if let Some(id) = super::trace::RequestId::current() {
            body["request_id"] = json!(id.as_str());
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
            ApiError::StorageUnavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            _ => {}
        }
        response.json(json!({ "error": body }))
    }
}

/// An error and its sources, `outer: inner: innermost`, for log lines: a field formatted with
/// `%err` alone would show only the outermost message.
pub struct Chain<'a>(pub &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(err) = source {
            write!(f, ": {err}")?;
            source = err.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    /// SQLite's own error for `sql`, not a hand-made one.
    fn sqlite_error(conn: &Connection, sql: &str) -> rusqlite::Error {
        conn.execute_batch(sql).expect_err("the statement fails")
    }

    /// One table with a unique, non-null text column, holding one row.
    fn table() -> Connection {
        let conn = Connection::open_in_memory().expect("in-memory database");
        conn.execute_batch("CREATE TABLE t (x TEXT NOT NULL UNIQUE); INSERT INTO t VALUES ('a');")
            .expect("schema");
        conn
    }

    fn api(err: rusqlite::Error) -> ApiError {
        ApiError::from(StorageError::from(err))
    }

    fn body_of(err: &ApiError) -> String {
        let body = err.error_response().into_body();
        let bytes = actix_web::rt::System::new()
            .block_on(actix_web::body::to_bytes(body))
            .expect("body");
        String::from_utf8(bytes.to_vec()).expect("UTF-8 body")
    }

    #[test]
    fn a_locked_database_is_503_and_keeps_its_cause() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("db");
        let holder = Connection::open(&path).expect("open");
        holder
            .execute_batch("CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);")
            .expect("lock");
        let other = Connection::open(&path).expect("open");
        other
            .busy_timeout(std::time::Duration::ZERO)
            .expect("timeout");
        let err = api(sqlite_error(&other, "INSERT INTO t VALUES (2)"));
        assert_eq!(err.status_code(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(err.code(), "storage_unavailable");
        assert!(
            Chain(&err).to_string().contains("locked"),
            "{}",
            Chain(&err)
        );
    }

    #[test]
    fn a_read_only_database_is_503() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("db");
        Connection::open(&path)
            .and_then(|c| c.execute_batch("CREATE TABLE t (x)"))
            .expect("create");
        let conn = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open read-only");
        let err = api(sqlite_error(&conn, "INSERT INTO t VALUES (1)"));
        assert_eq!(err.status_code(), StatusCode::SERVICE_UNAVAILABLE);
    }

    #[test]
    fn temporary_sqlite_codes_are_503() {
        use rusqlite::ffi;
        for code in [
            ffi::SQLITE_BUSY,
            ffi::SQLITE_LOCKED,
            ffi::SQLITE_READONLY,
            ffi::SQLITE_FULL,
            ffi::SQLITE_IOERR,
            ffi::SQLITE_IOERR_WRITE,
            ffi::SQLITE_CANTOPEN,
        ] {
            let err = api(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None));
            assert_eq!(
                err.status_code(),
                StatusCode::SERVICE_UNAVAILABLE,
                "code {code}"
            );
        }
    }

    #[test]
    fn bugs_and_bad_data_are_500_with_the_cause_in_the_chain_not_the_body() {
        let conn = table();
        let errors = [
            sqlite_error(&conn, "INSERT INTO t VALUES ('a')"),
            sqlite_error(&conn, "INSERT INTO t VALUES (NULL)"),
            sqlite_error(&conn, "SELEC x FROM t"),
            sqlite_error(&conn, "SELECT nope FROM t"),
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                Some("database disk image is malformed".into()),
            ),
            conn.query_row("SELECT x FROM t", [], |r| r.get::<_, i64>(0))
                .expect_err("text is not a number"),
        ];
        for sqlite in errors {
            let detail = sqlite.to_string();
            let err = api(sqlite);
            assert_eq!(
                err.status_code(),
                StatusCode::INTERNAL_SERVER_ERROR,
                "{detail}"
            );
            assert_eq!(err.code(), "internal");
            let chain = Chain(&err).to_string();
            assert!(
                chain.starts_with("internal error: storage failed: "),
                "{chain}"
            );
            assert!(chain.contains(&detail), "{chain}");
            let body = body_of(&err);
            assert!(!body.contains(&detail), "the cause leaked: {body}");
            assert!(body.contains("\"message\":\"internal error\""), "{body}");
        }
    }

    #[test]
    fn storage_unavailable_body_does_not_carry_the_cause() {
        let err = ApiError::from(StorageError::Unavailable("disk /var/lib/x is full".into()));
        let body = body_of(&err);
        assert!(!body.contains("/var/lib"), "{body}");
        let response = err.error_response();
        assert_eq!(
            response
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.as_bytes()),
            Some(&b"5"[..])
        );
    }

    #[test]
    fn the_chain_lists_every_source_once() {
        let err = ApiError::internal(StorageError::Failed("bad row".into()));
        assert_eq!(
            Chain(&err).to_string(),
            "internal error: storage failed: bad row"
        );
    }
}
