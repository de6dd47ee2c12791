//! Storage errors, classified for handlers: "try again shortly" (503) for what the database's
//! surroundings cause, a generic internal error (500) for bugs and damaged data.

use super::Conflict;
use crate::domain::CommentId;
use std::sync::Arc;

#[derive(Debug, Clone, thiserror::Error)]
pub enum StorageError {
    /// The database cannot be used right now but may recover without a code change: busy or
    /// locked, a read-only file or disk, a full disk, an I/O error, the writer thread gone.
    /// Handlers answer "try again shortly".
    #[error("storage unavailable")]
    Unavailable(#[source] Cause),
    /// A failure that retrying will not fix: a constraint violation or SQL error (a bug), or
    /// stored data that does not decode. Handlers answer a generic internal error and log this.
    #[error("storage failed")]
    Failed(#[source] Cause),
    /// Some ids do not name a stored comment; nothing was changed.
    #[error("unknown comment ids")]
    NotFound(Vec<CommentId>),
    /// Some comments already carry a different moderator decision; nothing was changed.
    #[error("conflicting decisions")]
    Conflict(Vec<Conflict>),
    /// `parent_id` names no stored comment on the same article.
    #[error("parent comment {0} does not exist on this article")]
    UnknownParent(CommentId),
    /// The Idempotency-Key was first used with a different request.
    #[error("idempotency key reused with a different request")]
    IdempotencyMismatch,
}

/// The error underneath a [`StorageError`], kept whole for the log. Shared, because one failed
/// group commit is the answer to every write in its batch.
#[derive(Debug, Clone)]
pub struct Cause(Arc<dyn std::error::Error + Send + Sync + 'static>);

impl Cause {
    pub fn new(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Cause(Arc::new(err))
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Cause {
    // The wrapped error is this link of the chain, so the next link is its source.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl From<&str> for Cause {
    fn from(message: &str) -> Self {
        message.to_string().into()
    }
}

impl From<String> for Cause {
    fn from(message: String) -> Self {
        let boxed: Box<dyn std::error::Error + Send + Sync> = message.into();
        Cause(Arc::from(boxed))
    }
}

impl From<rusqlite::Error> for StorageError {
    fn from(err: rusqlite::Error) -> Self {
        if sqlite_is_temporary(&err) {
            StorageError::Unavailable(Cause::new(err))
        } else {
            StorageError::Failed(Cause::new(err))
        }
    }
}

/// SQLite result codes that describe the database's surroundings (locks, file permissions,
/// disk, memory) rather than the statement: the same write can succeed once they change.
/// Everything else (constraint violations, SQL errors, type mismatches, a corrupt file,
/// values that do not decode) is a bug or damaged data, which no retry fixes.
fn sqlite_is_temporary(err: &rusqlite::Error) -> bool {
    use rusqlite::ffi::ErrorCode;
    matches!(
        err.sqlite_error_code(),
        Some(
            ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::ReadOnly
                | ErrorCode::DiskFull
                | ErrorCode::SystemIoFailure
                | ErrorCode::CannotOpen
                | ErrorCode::FileLockingProtocolFailed
                | ErrorCode::PermissionDenied
                | ErrorCode::OutOfMemory
                | ErrorCode::OperationInterrupted
        )
    )
}

impl StorageError {
    /// A task on the blocking pool that did not finish: a panic is a bug, a cancelled task
    /// means the runtime is shutting down.
    pub(super) fn from_join(err: tokio::task::JoinError) -> Self {
        if err.is_panic() {
            StorageError::Failed(Cause::new(err))
        } else {
            StorageError::Unavailable(Cause::new(err))
        }
    }
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;
