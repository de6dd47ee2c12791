//! Reader reports: a reader (through the news platform) says a published comment should not be
//! there, and why.

use super::{CommentId, Controls, InvalidInput, Label, checked_text, optional_text};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a reader reported a comment. A short fixed list, like moderators' reject reasons, so that
/// a report can be counted per reason and, once a moderator decides, read as a training label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Abuse,
    Incitement,
    Spam,
    OffTopic,
    Other,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown reason `{0}` (expected one of abuse, incitement, spam, off_topic, other)")]
pub struct UnknownReportReason(pub String);

impl ReportReason {
    pub const ALL: [ReportReason; 5] = [
        Self::Abuse,
        Self::Incitement,
        Self::Spam,
        Self::OffTopic,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Abuse => "abuse",
            Self::Incitement => "incitement",
            Self::Spam => "spam",
            Self::OffTopic => "off_topic",
            Self::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, UnknownReportReason> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == raw)
            .ok_or_else(|| UnknownReportReason(raw.chars().take(100).collect()))
    }

    /// The model label the reader claims, if any: spam, off topic and other say nothing about
    /// toxicity, so they can never become a training label.
    pub fn label(self) -> Option<Label> {
        match self {
            Self::Abuse => Some(Label::Abuse),
            Self::Incitement => Some(Label::Incitement),
            Self::Spam | Self::OffTopic | Self::Other => None,
        }
    }
}

impl fmt::Display for ReportReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

text_newtype!(
    /// The platform's id for the reader who reported, so one reader's reports of one comment
    /// count once and a reader can be rate-limited.
    ReporterId
);
text_newtype!(
    /// What the reader wrote with the report, shown to moderators.
    ReportNote
);

pub const MAX_REPORTER_ID_CHARS: usize = 128;
pub const MAX_REPORT_NOTE_CHARS: usize = 1000;

impl ReporterId {
    /// An empty id is refused rather than read as "anonymous": a platform sending `""` has a
    /// bug that would otherwise merge all its readers into one.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        checked_text("reporter_id", raw, MAX_REPORTER_ID_CHARS, false).map(Self)
    }
}

impl ReportNote {
    /// An empty note is the same as no note.
    pub fn parse(raw: &str) -> Result<Option<Self>, InvalidInput> {
        optional_text("note", raw, MAX_REPORT_NOTE_CHARS, Controls::Prose).map(|t| t.map(Self))
    }
}

/// A report ready to be stored.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub comment_id: CommentId,
    pub reason: ReportReason,
    /// None: an anonymous report.
    pub reporter_id: Option<ReporterId>,
    pub note: Option<ReportNote>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip_and_unknown_ones_are_refused() {
        for r in ReportReason::ALL {
            assert_eq!(ReportReason::parse(r.as_str()).unwrap(), r);
        }
        for bad in ["", "Abuse", "insult", "off topic", "spam "] {
            assert!(ReportReason::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(ReportReason::Abuse.label(), Some(Label::Abuse));
        assert_eq!(ReportReason::Spam.label(), None);
    }

    #[test]
    fn reporter_and_note_rules() {
        assert_eq!(ReporterId::parse(" u-42 ").unwrap().as_str(), "u-42");
        assert!(matches!(
            ReporterId::parse("  "),
            Err(InvalidInput::Empty { .. })
        ));
        assert!(matches!(
            ReporterId::parse(&"x".repeat(MAX_REPORTER_ID_CHARS + 1)),
            Err(InvalidInput::TooLong { .. })
        ));
        assert!(matches!(
            ReporterId::parse("a\0b"),
            Err(InvalidInput::ControlCharacter { .. })
        ));
        assert_eq!(ReportNote::parse("   ").unwrap(), None);
        assert!(ReportNote::parse(&"n".repeat(MAX_REPORT_NOTE_CHARS)).is_ok());
        assert!(matches!(
            ReportNote::parse(&"n".repeat(MAX_REPORT_NOTE_CHARS + 1)),
            Err(InvalidInput::TooLong { field: "note", .. })
        ));
    }
}
