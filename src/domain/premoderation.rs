//! Pre-moderation per article: every new comment on the article waits for a moderator. A
//! moderator switches it on or off; surge detection switches it on when one article draws a
//! burst of comments the model flags.

use super::{CommentStatus, InvalidInput, checked_text};
use serde::Serialize;
use std::fmt;
use std::time::Duration;

text_newtype!(
    /// Why a moderator switched an article's pre-moderation on or off; kept in the audit log.
    PremoderationReason
);

pub const MAX_PREMODERATION_REASON_CHARS: usize = 500;

/// The `status_reason` of a comment pre-moderation held.
pub const ARTICLE_PREMODERATED: &str = "article_premoderated";

impl PremoderationReason {
    /// Optional: an empty or blank reason is the same as none.
    pub fn parse(raw: &str) -> Result<Option<Self>, InvalidInput> {
        let text = checked_text("reason", raw, MAX_PREMODERATION_REASON_CHARS, true)?;
        Ok((!text.is_empty()).then_some(Self(text)))
    }
}

/// The status of a new comment on a pre-moderated article the model gave `verdict`: never
/// published by itself, and a rejection stays a rejection (pre-moderation never softens the
/// model).
pub fn premoderated_status(verdict: CommentStatus) -> CommentStatus {
    match verdict {
        CommentStatus::Published => CommentStatus::Held,
        other => other,
    }
}

/// When talkback pre-moderates an article by itself (`--surge`): within the last `window`, at
/// least `min_comments` comments were posted on it and at least `share` of them were flagged
/// by the model (held or rejected).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurgeRule {
    window: Duration,
    share: f64,
    min_comments: u32,
}

/// The longest window surge detection looks back over.
pub const MAX_SURGE_WINDOW: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidSurgeRule {
    #[error("`window` must be from 1 second to 24 hours")]
    Window,
    #[error("`share` must be a number above 0 and at most 1")]
    Share,
    #[error("`min` must be at least 2, so that one flagged comment cannot trigger it")]
    MinComments,
}

impl SurgeRule {
    pub fn new(window: Duration, share: f64, min_comments: u32) -> Result<Self, InvalidSurgeRule> {
        if window.is_zero() || window > MAX_SURGE_WINDOW {
            return Err(InvalidSurgeRule::Window);
        }
        if !(share > 0.0 && share <= 1.0) {
            return Err(InvalidSurgeRule::Share);
        }
        if min_comments < 2 {
            return Err(InvalidSurgeRule::MinComments);
        }
        Ok(Self {
            window,
            share,
            min_comments,
        })
    }

    pub fn window(&self) -> Duration {
        self.window
    }

    pub fn share(&self) -> f64 {
        self.share
    }

    pub fn min_comments(&self) -> u32 {
        self.min_comments
    }

    /// Whether `flagged` of `total` recent comments make a surge.
    pub fn is_surge(&self, total: u64, flagged: u64) -> bool {
        // The tolerance keeps a share met exactly (3 of 5 at 0.6) from missing by a rounding
        // error in `share * total`.
        total >= u64::from(self.min_comments) && flagged as f64 >= self.share * total as f64 - 1e-9
    }
}

impl Default for SurgeRule {
    /// Ten comments in ten minutes, half of them flagged: a flame war or a raid, well above
    /// what an ordinary contested article draws, yet early enough that a moderator reads the
    /// rest before it is published.
    fn default() -> Self {
        Self {
            window: Duration::from_secs(600),
            share: 0.5,
            min_comments: 10,
        }
    }
}

/// Who switched an article's pre-moderation last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PremoderationSource {
    Moderator,
    Surge,
}

impl PremoderationSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Moderator => "moderator",
            Self::Surge => "surge",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Moderator, Self::Surge]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

impl fmt::Display for PremoderationSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn premoderation_holds_what_the_model_would_publish_and_keeps_rejections() {
        use CommentStatus::*;
        assert_eq!(premoderated_status(Published), Held);
        assert_eq!(premoderated_status(Held), Held);
        assert_eq!(premoderated_status(Rejected), Rejected);
    }

    #[test]
    fn a_surge_needs_enough_comments_and_a_large_enough_flagged_share() {
        let rule = SurgeRule::new(Duration::from_secs(60), 0.5, 4).unwrap();
        assert!(!rule.is_surge(3, 3), "too few comments");
        assert!(rule.is_surge(4, 2), "half is enough");
        assert!(!rule.is_surge(5, 2));
        assert!(rule.is_surge(10, 10));
        let sixty = SurgeRule::new(Duration::from_secs(60), 0.6, 2).unwrap();
        assert!(sixty.is_surge(5, 3), "a share met exactly counts");
        assert!(!sixty.is_surge(5, 2));
        assert!(SurgeRule::new(Duration::ZERO, 0.5, 4).is_err());
        assert!(SurgeRule::new(Duration::from_secs(25 * 3600), 0.5, 4).is_err());
        for share in [0.0, -0.1, 1.01, f64::NAN] {
            assert_eq!(
                SurgeRule::new(Duration::from_secs(60), share, 4),
                Err(InvalidSurgeRule::Share)
            );
        }
        assert_eq!(
            SurgeRule::new(Duration::from_secs(60), 0.5, 1),
            Err(InvalidSurgeRule::MinComments)
        );
    }

    #[test]
    fn reasons_are_optional_but_checked() {
        assert_eq!(PremoderationReason::parse("  ").unwrap(), None);
        assert_eq!(
            PremoderationReason::parse(" raid ")
                .unwrap()
                .unwrap()
                .as_str(),
            "raid"
        );
        assert!(PremoderationReason::parse(&"x".repeat(501)).is_err());
        assert!(PremoderationReason::parse("a\0b").is_err());
    }
}
