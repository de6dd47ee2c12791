//! Pre-moderation per article and surge detection, as storage sees them: the plain types
//! handlers use, and what both backends share. The SQL is in `sqlite/premoderation.rs` and
//! `postgres/premoderation.rs`; the decision for a new comment is made in the transaction that
//! stores the comment (see `insert_comment` in either backend), so a switch committed a moment
//! before a post counts for it and a burst cannot slip past.

use super::shared::rows::Columns;
use super::{ArticleInfo, Result, StorageError};
use crate::domain::{
    ArticleId, CommentStatus, PremoderationReason, PremoderationSource, SurgeCounter, SurgeRule,
};
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

/// What pre-moderation means for one new comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ForPost {
    /// The article is not pre-moderated.
    Open,
    /// It is.
    Premoderated,
    /// This comment completed a surge: the article is pre-moderated from this comment on.
    SurgeStarted,
}

/// The columns of an article's row, as [`state_row`] reads them.
pub(super) const STATE_COLUMNS: &str = "active, source, switched_by, switched_at, reason, \
     surge_window_start_ms, surge_total, surge_flagged, surge_previous_total, \
     surge_previous_flagged";

/// A row of [`STATE_COLUMNS`].
pub(super) fn state_row(row: &impl Columns) -> Result<StateRow> {
    RawState {
        active: row.int_flag(0)?,
        source: row.opt_text(1)?,
        by: row.opt_text(2)?,
        at: row.opt_text(3)?,
        reason: row.opt_text(4)?,
        counter: SurgeCounter {
            window_start_ms: row.int(5)?,
            total: row.count(6)?,
            flagged: row.count(7)?,
            previous_total: row.count(8)?,
            previous_flagged: row.count(9)?,
        },
    }
    .parse()
}

/// An article's row as stored, before its source is parsed.
struct RawState {
    pub active: bool,
    pub source: Option<String>,
    pub by: Option<String>,
    pub at: Option<String>,
    pub reason: Option<String>,
    pub counter: SurgeCounter,
}

/// An article's stored row: its pre-moderation and surge detection's counter.
pub(super) struct StateRow {
    /// Present while pre-moderated.
    pub info: Option<PremoderationInfo>,
    /// The last switch, on or off (the note of a switch-off names it).
    pub last: Option<PremoderationInfo>,
    pub counter: SurgeCounter,
}

impl RawState {
    fn parse(self) -> Result<StateRow> {
        let last = match self.source {
            Some(source) => Some(PremoderationInfo {
                source: PremoderationSource::parse(&source).ok_or_else(|| {
                    StorageError::Failed(format!("unknown pre-moderation source {source:?}").into())
                })?,
                by: self.by.unwrap_or_default(),
                at: self.at.unwrap_or_default(),
                reason: self.reason,
            }),
            None => None,
        };
        Ok(StateRow {
            info: last.clone().filter(|_| self.active),
            last,
            counter: self.counter,
        })
    }
}

/// Count a new comment the model gave `verdict` in its article's surge counter: the model's
/// verdict, not the stored status, since a comment held because its author is suspended says
/// nothing about the article. Returns the audit note of the switch when this comment
/// completes a surge.
pub(super) fn count_for_surge(
    counter: &mut SurgeCounter,
    rule: &SurgeRule,
    verdict: CommentStatus,
    now_ms: i64,
) -> Option<String> {
    let (total, flagged) = counter.count(
        now_ms,
        rule.window_ms(),
        verdict != CommentStatus::Published,
    );
    rule.is_surge(total, flagged)
        .then(|| surge_note(rule, total, flagged))
}

/// An audit entry about an article's pre-moderation.
pub(super) struct ArticleAudit<'a> {
    pub actor: &'a str,
    pub action: &'static str,
    pub reason: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl<'a> ArticleAudit<'a> {
    /// A moderator's switch-off; `note` says what it ended (see [`ended_note`]).
    pub(super) fn switched_off(
        change: &'a PremoderationChange,
        note: Option<&'a str>,
    ) -> ArticleAudit<'a> {
        ArticleAudit {
            actor: &change.moderator,
            action: ACTION_OFF,
            reason: change.reason.as_ref().map(|r| r.as_str()),
            note,
        }
    }
}

/// Pre-moderation switched on: what the article's row stores and what the audit entry says.
pub(super) struct SwitchOn<'a> {
    pub source: PremoderationSource,
    pub by: &'a str,
    /// The switch's stored reason: the moderator's, or what surge detection saw.
    pub reason: Option<&'a str>,
    pub audit: ArticleAudit<'a>,
}

impl<'a> SwitchOn<'a> {
    /// Surge detection's switch, which saw `note`.
    pub(super) fn surge(note: &'a str) -> SwitchOn<'a> {
        SwitchOn {
            source: PremoderationSource::Surge,
            by: SURGE_ACTOR,
            reason: Some(note),
            audit: ArticleAudit {
                actor: SURGE_ACTOR,
                action: ACTION_SURGE,
                reason: None,
                note: Some(note),
            },
        }
    }

    /// A moderator's switch.
    pub(super) fn moderator(change: &'a PremoderationChange) -> SwitchOn<'a> {
        let reason = change.reason.as_ref().map(|r| r.as_str());
        SwitchOn {
            source: PremoderationSource::Moderator,
            by: &change.moderator,
            reason,
            audit: ArticleAudit {
                actor: &change.moderator,
                action: ACTION_ON,
                reason,
                note: None,
            },
        }
    }
}

/// The audit note of surge detection's switch: what it saw.
fn surge_note(rule: &SurgeRule, total: f64, flagged: f64) -> String {
    format!(
        "{} of {} comments in the last {} flagged by the model",
        flagged.round(),
        total.round(),
        window_text(rule.window().as_secs())
    )
}

/// The audit note of a switch-off: what it ended, so the log reads on its own.
pub(super) fn ended_note(row: &StateRow) -> Option<String> {
    row.last.as_ref().map(|last| match last.source {
        PremoderationSource::Surge => format!("ended surge pre-moderation from {}", last.at),
        PremoderationSource::Moderator => {
            format!("ended pre-moderation by {} from {}", last.by, last.at)
        }
    })
}

/// `600` as `10 min`, `90` as `90 s`: the window as the audit note says it.
fn window_text(secs: u64) -> String {
    match secs {
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::window_text;

    #[test]
    fn windows_read_in_the_largest_whole_unit() {
        assert_eq!(window_text(600), "10 min");
        assert_eq!(window_text(7200), "2 h");
        assert_eq!(window_text(90), "90 s");
    }
}
