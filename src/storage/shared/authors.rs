//! Authors' standing and what a moderator's action on an author changes, the same on both
//! backends: they read the author's row, ask [`AuthorChange::plan`] what to store, and store
//! it with the audit entry it names.

use super::rfc3339_ms;
use crate::domain::{AuthorRestriction, CommentStatus};
use crate::storage::{
    AuditEntry, AuthorAction, AuthorActionKind, AuthorActionOutcome, AuthorComment, AuthorPanel,
    AuthorStanding, RestrictionInfo, StatusCounts, StorageError,
};

/// An author's stored restriction, as `authors` holds it.
pub(crate) struct AuthorRow {
    pub(crate) first_seen_at: String,
    pub(crate) restriction: Option<String>,
    pub(crate) until: Option<String>,
    pub(crate) until_ms: Option<i64>,
    pub(crate) by: Option<String>,
    pub(crate) at: Option<String>,
    pub(crate) reason: Option<String>,
}

impl AuthorRow {
    /// The restriction in force at `now_ms`: a ban until lifted, a suspension until its end.
    pub(crate) fn in_force(&self, now_ms: i64) -> Option<AuthorRestriction> {
        match AuthorRestriction::parse(self.restriction.as_deref()?)? {
            AuthorRestriction::Banned => Some(AuthorRestriction::Banned),
            AuthorRestriction::Suspended => self
                .until_ms
                .is_some_and(|until| until > now_ms)
                .then_some(AuthorRestriction::Suspended),
        }
    }

    /// The answer to an action on the author, from their row after it.
    pub(crate) fn outcome(
        &self,
        author_id: &str,
        now_ms: i64,
        changed: bool,
    ) -> AuthorActionOutcome {
        AuthorActionOutcome {
            standing: self.standing(author_id, now_ms),
            changed,
        }
    }

    pub(crate) fn standing(&self, author_id: &str, now_ms: i64) -> AuthorStanding {
        let restriction = self.in_force(now_ms).map(|kind| RestrictionInfo {
            kind,
            until: self.until.clone(),
            by: self.by.clone().unwrap_or_default(),
            at: self.at.clone().unwrap_or_default(),
            reason: self.reason.clone().unwrap_or_default(),
        });
        AuthorStanding {
            author_id: author_id.to_string(),
            status: restriction.as_ref().map_or("active", |r| r.kind.as_str()),
            restriction,
        }
    }
}

/// What the author panel reads besides the author's row, in one snapshot.
pub(crate) struct PanelRows {
    /// Their comments by current status.
    pub(crate) by_status: Vec<(CommentStatus, u64)>,
    /// Their latest comments, newest first.
    pub(crate) recent: Vec<AuthorComment>,
    /// The display name of the newest comment, even when `recent` lists none.
    pub(crate) display_name: Option<String>,
    /// Their suspensions, bans and lifts, newest first.
    pub(crate) actions: Vec<AuditEntry>,
}

impl AuthorRow {
    pub(crate) fn panel(self, author_id: &str, now_ms: i64, rows: PanelRows) -> AuthorPanel {
        let mut counts = StatusCounts::default();
        for (status, n) in rows.by_status {
            counts.add(status, n);
        }
        AuthorPanel {
            standing: self.standing(author_id, now_ms),
            display_name: rows.display_name,
            first_seen_at: self.first_seen_at,
            counts,
            recent: rows.recent,
            actions: rows.actions,
        }
    }
}

/// What an author action stores: the author's new restriction columns and the audit entry's
/// note and end.
pub(crate) struct AuthorChange<'a> {
    pub(crate) restriction: Option<&'static str>,
    pub(crate) until_ms: Option<i64>,
    /// `until_ms` as text, for the author row and the audit entry.
    pub(crate) until: Option<String>,
    pub(crate) by: Option<&'a str>,
    pub(crate) at: Option<&'a str>,
    pub(crate) stored_reason: Option<&'a str>,
    /// A lift says what it ended, so the log reads on its own.
    pub(crate) note: Option<String>,
}

impl<'a> AuthorChange<'a> {
    /// What `action` changes for the author of `row` at `now`; None when it changes nothing
    /// (lifting what is not in force, banning the banned), which records nothing. A new
    /// suspension replaces the one in force (a new end), so it always counts.
    pub(crate) fn plan(
        action: &'a AuthorAction,
        row: &AuthorRow,
        now: &'a str,
        now_ms: i64,
    ) -> Option<AuthorChange<'a>> {
        let current = row.in_force(now_ms);
        let changed = match action.kind {
            AuthorActionKind::Lift => current.is_some(),
            AuthorActionKind::Ban => current != Some(AuthorRestriction::Banned),
            AuthorActionKind::Suspend { .. } => true,
        };
        if !changed {
            return None;
        }
        let (restriction, until_ms) = match action.kind {
            AuthorActionKind::Suspend { duration_secs } => {
                let millis = i64::try_from(duration_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
                (Some("suspended"), Some(now_ms.saturating_add(millis)))
            }
            AuthorActionKind::Ban => (Some("banned"), None),
            AuthorActionKind::Lift => (None, None),
        };
        let (by, at, stored_reason) = match restriction {
            Some(_) => (
                Some(action.moderator.as_str()),
                Some(now),
                Some(action.reason.as_str()),
            ),
            None => (None, None, None),
        };
        let note = match (action.kind, current) {
            (AuthorActionKind::Lift, Some(AuthorRestriction::Suspended)) => Some(format!(
                "ended a suspension until {}",
                row.until.as_deref().unwrap_or("?")
            )),
            (AuthorActionKind::Lift, Some(AuthorRestriction::Banned)) => Some("ended a ban".into()),
            _ => None,
        };
        Some(AuthorChange {
            restriction,
            until_ms,
            until: until_ms.map(rfc3339_ms),
            by,
            at,
            stored_reason,
            note,
        })
    }
}

/// An author row read back inside the transaction that just updated it: missing means a bug.
pub(crate) fn vanished(author_id: &str) -> StorageError {
    StorageError::Failed(format!("author {author_id} vanished while updating").into())
}
