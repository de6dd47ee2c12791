//! The audit log: its entries and the listing's filter.

use super::Cursor;
use crate::domain::{CommentId, CommentStatus};
use serde::Serialize;

/// Who made an audit log entry: a moderator (approve, reject), a reader (report) or the service
/// itself (auto_*, rescore).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    Moderator,
    Reader,
    Automatic,
}

impl LogKind {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "moderator" => Some(Self::Moderator),
            "reader" => Some(Self::Reader),
            "automatic" => Some(Self::Automatic),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct LogFilter {
    pub comment_id: Option<CommentId>,
    /// Actions on this author (suspensions, bans, lifts).
    pub author_id: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub article_id: Option<String>,
    pub kind: Option<LogKind>,
    pub limit: usize,
    pub after: Option<Cursor>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    /// None for an action on an author (`suspend_author`, `ban_author`, `lift_author`).
    pub comment_id: Option<CommentId>,
    /// The author an author action was about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    pub before_status: Option<CommentStatus>,
    /// The comment's status after the entry; None for an author action.
    pub after_status: Option<CommentStatus>,
    /// A suspension's end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    pub reason: Option<String>,
    pub note: Option<String>,
    #[serde(rename = "override")]
    pub override_previous: bool,
    /// Open reader reports a moderator's decision resolved.
    pub resolved_reports: u32,
    /// The comment's article and the start of its text, so a log can be read without opening
    /// each comment (the audit log listing only; a comment's own history leaves them out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

/// Characters of a comment's text the audit log listing carries.
pub const EXCERPT_CHARS: usize = 160;
