//! Pre-moderation per article and surge detection, as storage sees them: the plain types
//! handlers use. The SQL is in `sqlite_premoderation.rs`; the decision for a new comment is made
//! by the writer, in the transaction that stores the comment (see `sqlite::insert_comment`),
//! so a switch committed a moment before a post counts for it and a burst cannot slip past.

use super::ArticleInfo;
use crate::domain::{ArticleId, PremoderationReason, PremoderationSource};
use serde::Serialize;

/// A moderator switching an article's pre-moderation on or off.
#[derive(Debug, Clone)]
pub struct PremoderationChange {
    pub article_id: ArticleId,
    pub moderator: String,
    pub enabled: bool,
    pub reason: Option<PremoderationReason>,
}

/// Pre-moderation in force on an article: who switched it on, when and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PremoderationInfo {
    /// `moderator` or `surge`.
    pub source: PremoderationSource,
    /// The moderator's name, or `surge`.
    pub by: String,
    pub at: String,
    /// The moderator's reason, or what surge detection saw.
    pub reason: Option<String>,
}

/// An article's pre-moderation now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticlePremoderation {
    pub article_id: String,
    pub premoderated: bool,
    /// Present while pre-moderated.
    pub premoderation: Option<PremoderationInfo>,
    /// The article's address and headline, when the platform sent them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<ArticleInfo>,
    /// Comments on the article waiting in the held queue.
    pub held: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PremoderationOutcome {
    #[serde(flatten)]
    pub state: ArticlePremoderation,
    /// False when it already was as asked: nothing was recorded.
    pub changed: bool,
}

/// Articles under pre-moderation now, for `GET /v1/moderation/stats`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PremoderationCounts {
    pub premoderated: u64,
    /// Of those, switched on by surge detection.
    pub by_surge: u64,
}

/// Audit log actions on an article.
pub const ACTION_ON: &str = "premoderation_on";
pub const ACTION_OFF: &str = "premoderation_off";
/// Surge detection switching pre-moderation on (an automatic event, by actor [`SURGE_ACTOR`]).
pub const ACTION_SURGE: &str = "surge_premoderation";
pub const SURGE_ACTOR: &str = "surge";
