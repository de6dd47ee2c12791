//! Pre-moderation per article: every new comment on the article waits for a moderator. A
//! moderator switches it on or off; surge detection switches it on when one article draws a
//! burst of comments the model flags.

use super::{CommentStatus, Controls, InvalidInput, optional_text};
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
        optional_text(
            "reason",
            raw,
            MAX_PREMODERATION_REASON_CHARS,
            Controls::Prose,
        )
        .map(|t| t.map(Self))
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

    /// Whether `flagged` of `total` recent comments make a surge. Both are estimates (see
    /// [`SurgeCounter`]), hence fractional.
    pub fn is_surge(&self, total: f64, flagged: f64) -> bool {
        // The tolerance keeps a count or share met exactly (3 of 5 at 0.6) from missing by a
        // rounding error.
        total >= f64::from(self.min_comments) - 1e-9 && flagged >= self.share * total - 1e-9
    }

    /// The window in milliseconds, as counters use it.
    pub fn window_ms(&self) -> i64 {
        i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX)
    }
}

/// One article's comments and flagged comments for surge detection, in constant space and
/// time per post, however busy the article: counts for the current fixed window of the rule's
/// length and the one before it. The count "within the last window" is the current window's
/// plus the previous window's weighted by how much of it still lies within the last window
/// (the sliding-window counter rate limiters use). Exact while comments arrive within one
/// window; otherwise it assumes the previous window's comments were spread evenly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SurgeCounter {
    /// Start of the current window (Unix ms).
    pub window_start_ms: i64,
    pub total: u64,
    pub flagged: u64,
    pub previous_total: u64,
    pub previous_flagged: u64,
}

impl SurgeCounter {
    /// Nothing counted, counting from `now_ms`: what a moderator's switch-off leaves, so the
    /// burst they looked at is not counted again.
    pub fn starting(now_ms: i64) -> Self {
        Self {
            window_start_ms: now_ms,
            ..Self::default()
        }
    }

    /// Count one new comment at `now_ms`; returns the estimated (comments, flagged comments)
    /// within the last `window_ms`, this one included.
    pub fn count(&mut self, now_ms: i64, window_ms: i64, flagged: bool) -> (f64, f64) {
        let window_ms = window_ms.max(1);
        let elapsed = now_ms.saturating_sub(self.window_start_ms);
        if elapsed >= window_ms {
            let windows = elapsed / window_ms;
            (self.previous_total, self.previous_flagged) = if windows == 1 {
                (self.total, self.flagged)
            } else {
                (0, 0)
            };
            self.total = 0;
            self.flagged = 0;
            self.window_start_ms = self
                .window_start_ms
                .saturating_add(windows.saturating_mul(window_ms));
        }
        self.total += 1;
        self.flagged += u64::from(flagged);
        // A clock that went back counts the whole previous window, never more.
        let into = now_ms.saturating_sub(self.window_start_ms).max(0) as f64;
        let weight = (1.0 - into / window_ms as f64).clamp(0.0, 1.0);
        (
            self.total as f64 + weight * self.previous_total as f64,
            self.flagged as f64 + weight * self.previous_flagged as f64,
        )
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
        assert!(!rule.is_surge(3.0, 3.0), "too few comments");
        assert!(rule.is_surge(4.0, 2.0), "half is enough");
        assert!(!rule.is_surge(5.0, 2.0));
        assert!(rule.is_surge(10.0, 10.0));
        let sixty = SurgeRule::new(Duration::from_secs(60), 0.6, 2).unwrap();
        assert!(sixty.is_surge(5.0, 3.0), "a share met exactly counts");
        assert!(!sixty.is_surge(5.0, 2.0));
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
    fn the_counter_counts_the_last_window() {
        let w = 60_000;
        let mut c = SurgeCounter::default();
        // An article's first comment starts a window; within it the count is exact.
        assert_eq!(c.count(1_000_000, w, true), (1.0, 1.0));
        assert_eq!(c.count(1_000_010, w, false), (2.0, 1.0));
        let start = c.window_start_ms;
        assert!(start <= 1_000_000 && 1_000_000 - start < w);
        // Half a window into the next one, half of the previous window still counts.
        let (total, flagged) = c.count(start + w + w / 2, w, true);
        assert!(
            (total - 2.0).abs() < 1e-9 && (flagged - 1.5).abs() < 1e-9,
            "{total} {flagged}"
        );
        // Two windows of silence forget everything.
        assert_eq!(c.count(start + 4 * w, w, false), (1.0, 0.0));
        // Counting afresh from a switch-off.
        let mut fresh = SurgeCounter::starting(5_000_000);
        assert_eq!(fresh.count(5_000_001, w, true), (1.0, 1.0));
        // A clock that went back neither panics nor counts more than it saw.
        assert_eq!(fresh.count(4_000_000, w, true), (2.0, 2.0));
        // Ten thousand comments cost what one does: the counter never grows.
        let mut busy = SurgeCounter::starting(0);
        for i in 0..10_000 {
            busy.count(i * 10, w, i % 2 == 0);
        }
        assert!(busy.total + busy.previous_total <= 10_000);
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
