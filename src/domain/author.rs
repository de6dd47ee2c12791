//! Authors as the platform identifies them, and what moderators can do about one: suspend them
//! for a while or ban them, which changes what happens to their new comments.

use super::{CommentStatus, Controls, InvalidInput, bounded_text, checked_text};
use serde::{Deserialize, Serialize};
use std::fmt;

text_newtype!(
    /// The platform's id for the person who wrote a comment (its user id). Display names are
    /// neither unique nor stable, so only this id ties comments to one author, and only an
    /// author with an id can be suspended or banned.
    AuthorId
);
text_newtype!(
    /// Why a moderator suspended, banned or reinstated an author; kept in the audit log.
    AuthorActionReason
);

pub const MAX_AUTHOR_ID_CHARS: usize = 128;
pub const MAX_AUTHOR_ACTION_REASON_CHARS: usize = 500;
/// The longest suspension: a year (and a day). Longer than that is what a ban is for.
pub const MAX_SUSPENSION_SECS: u64 = 366 * 24 * 3600;

impl AuthorId {
    /// Surrounding whitespace is trimmed, as for every text field; inside the id no control
    /// character at all is allowed (not even the tab or line break text may carry), since the
    /// id is shown and compared verbatim.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        bounded_text("author_id", raw, MAX_AUTHOR_ID_CHARS, false, Controls::None).map(Self)
    }
}

impl AuthorActionReason {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        checked_text("reason", raw, MAX_AUTHOR_ACTION_REASON_CHARS, false).map(Self)
    }
}

/// A moderator's restriction on an author.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorRestriction {
    /// Until an end time, after which it lapses by itself.
    Suspended,
    /// Until a moderator lifts it.
    Banned,
}

impl AuthorRestriction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Suspended => "suspended",
            Self::Banned => "banned",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Suspended, Self::Banned]
            .into_iter()
            .find(|r| r.as_str() == raw)
    }

    /// The reason a comment carries when this restriction decided its status.
    pub fn status_reason(self) -> &'static str {
        match self {
            Self::Suspended => "author_suspended",
            Self::Banned => "author_banned",
        }
    }
}

impl fmt::Display for AuthorRestriction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happens to a new comment from a restricted author (`--author-restrictions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthorPolicy {
    pub suspended: CommentStatus,
    pub banned: CommentStatus,
}

impl Default for AuthorPolicy {
    /// A suspension is a cooling-off period: a person still reads what the author writes and
    /// can let it through. A ban means the newsroom does not want the author's comments.
    fn default() -> Self {
        Self {
            suspended: CommentStatus::Held,
            banned: CommentStatus::Rejected,
        }
    }
}

fn strictness(status: CommentStatus) -> u8 {
    match status {
        CommentStatus::Published => 0,
        CommentStatus::Held => 1,
        CommentStatus::Rejected => 2,
    }
}

impl AuthorPolicy {
    /// The status for a comment the model gave `verdict`, from an author under `restriction`:
    /// the stricter of the two, so a suspension never softens an outright rejection.
    pub fn status(self, restriction: AuthorRestriction, verdict: CommentStatus) -> CommentStatus {
        let rule = match restriction {
            AuthorRestriction::Suspended => self.suspended,
            AuthorRestriction::Banned => self.banned,
        };
        if strictness(rule) >= strictness(verdict) {
            rule
        } else {
            verdict
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_id_rules() {
        assert_eq!(AuthorId::parse(" u-42 ").unwrap().as_str(), "u-42");
        assert_eq!(
            AuthorId::parse("dana@example.org/7").unwrap().as_str(),
            "dana@example.org/7"
        );
        assert!(matches!(
            AuthorId::parse(" \n "),
            Err(InvalidInput::Empty { .. })
        ));
        assert!(matches!(
            AuthorId::parse(&"x".repeat(MAX_AUTHOR_ID_CHARS + 1)),
            Err(InvalidInput::TooLong {
                field: "author_id",
                ..
            })
        ));
        for bad in ["a\0b", "a\tb", "a\nb", "a\u{1b}b"] {
            assert!(
                matches!(
                    AuthorId::parse(bad),
                    Err(InvalidInput::ControlCharacter { .. })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_stricter_of_rule_and_verdict_wins() {
        let p = AuthorPolicy::default();
        use AuthorRestriction::*;
        use CommentStatus::*;
        assert_eq!(p.status(Suspended, Published), Held);
        assert_eq!(p.status(Suspended, Held), Held);
        assert_eq!(p.status(Suspended, Rejected), Rejected);
        assert_eq!(p.status(Banned, Published), Rejected);
        let lenient = AuthorPolicy {
            suspended: Held,
            banned: Held,
        };
        assert_eq!(lenient.status(Banned, Rejected), Rejected);
        assert_eq!(lenient.status(Banned, Published), Held);
        assert_eq!(
            AuthorRestriction::parse("banned").map(|r| r.status_reason()),
            Some("author_banned")
        );
        assert!(AuthorActionReason::parse("  ").is_err());
    }
}
