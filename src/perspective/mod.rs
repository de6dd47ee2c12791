//! Google Perspective API compatibility (`comments:analyze`, `comments:suggestscore`): the wire
//! format, its validation and its errors, independent of the HTTP framework so it can be tested
//! on its own. The HTTP routes live in `crate::http::perspective`.

mod attribute;
mod wire;

pub use attribute::Attribute;
pub use wire::*;

/// Perspective's error body: `{"error":{"code":400,"message":..,"status":"INVALID_ARGUMENT"}}`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{status}: {message}")]
pub struct PerspectiveError {
    pub code: u16,
    pub status: &'static str,
    pub message: String,
}

impl PerspectiveError {
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self {
            code: 400,
            status: "INVALID_ARGUMENT",
            message: message.into(),
        }
    }
    pub fn permission_denied(message: impl Into<String>) -> Self {
        Self {
            code: 403,
            status: "PERMISSION_DENIED",
            message: message.into(),
        }
    }
    pub fn resource_exhausted(message: impl Into<String>) -> Self {
        Self {
            code: 429,
            status: "RESOURCE_EXHAUSTED",
            message: message.into(),
        }
    }
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self {
            code: 503,
            status: "UNAVAILABLE",
            message: message.into(),
        }
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            code: 404,
            status: "NOT_FOUND",
            message: message.into(),
        }
    }

    /// A bug on our side; the cause is logged, never sent.
    pub fn internal() -> Self {
        Self {
            code: 500,
            status: "INTERNAL",
            message: "Internal error encountered.".into(),
        }
    }

    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({"error": {"code": self.code, "message": self.message, "status": self.status}})
    }
}
