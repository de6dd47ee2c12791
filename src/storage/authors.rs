//! Authors: what a moderator does to one, their standing, and the author panel.

use super::{AuditEntry, StatusCounts};
use crate::domain::{AuthorActionReason, AuthorId, AuthorRestriction, CommentId, CommentStatus};
use serde::Serialize;

/// What a moderator does to an author.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorActionKind {
    /// For this long from the moment it is stored.
    Suspend {
        duration_secs: u64,
    },
    Ban,
    /// Ends a suspension or a ban.
    Lift,
}

impl AuthorActionKind {
    /// The audit log's action.
    pub fn action(self) -> &'static str {
        match self {
            Self::Suspend { .. } => "suspend_author",
            Self::Ban => "ban_author",
            Self::Lift => "lift_author",
        }
    }
}

#[derive(Debug, Clone)]
pub struct AuthorAction {
    pub author_id: AuthorId,
    pub moderator: String,
    pub kind: AuthorActionKind,
    pub reason: AuthorActionReason,
}

/// A restriction in force on an author.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestrictionInfo {
    pub kind: AuthorRestriction,
    /// A suspension's end (RFC 3339); None for a ban.
    pub until: Option<String>,
    pub by: String,
    pub at: String,
    pub reason: String,
}

/// An author's standing now: `active`, `suspended` or `banned`. A suspension whose end has
/// passed reads as `active`, with nothing in `restriction`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuthorStanding {
    pub author_id: String,
    pub status: &'static str,
    pub restriction: Option<RestrictionInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuthorActionOutcome {
    #[serde(flatten)]
    pub standing: AuthorStanding,
    /// False when there was nothing to change (lifting what is not in force, banning the
    /// banned): nothing was recorded.
    pub changed: bool,
}

/// One of an author's comments in their panel.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorComment {
    pub id: CommentId,
    pub article_id: String,
    /// The display name it was posted under.
    pub author: String,
    /// Its first [`EXCERPT_CHARS`] characters.
    pub excerpt: String,
    pub status: CommentStatus,
    pub auto_status: CommentStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    pub created_at: String,
}

/// Everything the author panel shows.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorPanel {
    #[serde(flatten)]
    pub standing: AuthorStanding,
    /// The display name of their latest comment.
    pub display_name: Option<String>,
    pub first_seen_at: String,
    /// Their comments by current status.
    pub counts: StatusCounts,
    /// Their latest comments, newest first.
    pub recent: Vec<AuthorComment>,
    /// Suspensions, bans and lifts, newest first (at most [`AUTHOR_ACTIONS_LISTED`]).
    pub actions: Vec<AuditEntry>,
}

pub const AUTHOR_ACTIONS_LISTED: usize = 50;
