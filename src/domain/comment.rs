//! Input types that are valid by construction: a value that exists has passed its checks.

use super::{Controls, checked_text, optional_text};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidInput {
    #[error("`{field}` must not be empty")]
    Empty { field: &'static str },
    #[error("`{field}` is {actual} characters long; the maximum is {max}")]
    TooLong {
        field: &'static str,
        actual: usize,
        max: usize,
    },
    #[error("`{field}` contains a control character (e.g. NUL) at character {position}")]
    ControlCharacter {
        field: &'static str,
        position: usize,
    },
    #[error(
        "`article_id` must be 1-128 characters of letters, digits and `._:/-`, starting with a letter or digit"
    )]
    ArticleIdFormat,
    #[error("`{field}` is not a valid comment id")]
    CommentIdFormat { field: &'static str },
    #[error("`{field}` must be an http:// or https:// URL with a host, without spaces")]
    UrlFormat { field: &'static str },
}

impl InvalidInput {
    pub fn field(&self) -> &'static str {
        match self {
            InvalidInput::Empty { field }
            | InvalidInput::TooLong { field, .. }
            | InvalidInput::ControlCharacter { field, .. }
            | InvalidInput::CommentIdFormat { field }
            | InvalidInput::UrlFormat { field } => field,
            InvalidInput::ArticleIdFormat => "article_id",
        }
    }
}

macro_rules! text_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

text_newtype!(
    /// The text of a comment: non-empty after trimming, at most the configured number of
    /// characters, free of control characters other than line breaks and tabs.
    CommentBody
);
text_newtype!(
    /// An author's display name as shown beside the comment.
    AuthorName
);
text_newtype!(
    /// An optional comment headline ("talkback title").
    CommentTitle
);
text_newtype!(
    /// The publisher's identifier of an article, e.g. `2026/11/rocket-fire-live` or `a-123`.
    ArticleId
);

pub const MAX_AUTHOR_CHARS: usize = 100;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_ARTICLE_ID_CHARS: usize = 128;

impl CommentBody {
    pub fn parse(raw: &str, max_chars: usize) -> Result<Self, InvalidInput> {
        Self::parse_field(raw, max_chars, "body")
    }

    /// The same rules for text that arrives under another name (e.g. `text` in /v1/score), so
    /// errors name the field the client actually sent.
    pub fn parse_field(
        raw: &str,
        max_chars: usize,
        field: &'static str,
    ) -> Result<Self, InvalidInput> {
        checked_text(field, raw, max_chars, false).map(Self)
    }
}

impl AuthorName {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        checked_text("author", raw, MAX_AUTHOR_CHARS, false).map(Self)
    }
}

impl CommentTitle {
    /// An empty title is the same as no title.
    pub fn parse(raw: &str) -> Result<Option<Self>, InvalidInput> {
        optional_text("title", raw, MAX_TITLE_CHARS, Controls::Prose).map(|t| t.map(Self))
    }
}

impl ArticleId {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let valid_char =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '/' | '-');
        let ok = !raw.is_empty()
            && raw.len() <= MAX_ARTICLE_ID_CHARS
            && raw.chars().all(valid_char)
            && raw
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if ok {
            Ok(Self(raw.to_string()))
        } else {
            Err(InvalidInput::ArticleIdFormat)
        }
    }
}

/// Comment ids are UUIDv7: unique without coordination, and time-ordered so "oldest first" and
/// keyset pagination follow insertion order.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(transparent)]
pub struct CommentId(uuid::Uuid);

impl CommentId {
    pub fn new() -> Self {
        Self(uuid::Uuid::now_v7())
    }

    pub fn parse(raw: &str, field: &'static str) -> Result<Self, InvalidInput> {
        uuid::Uuid::parse_str(raw)
            .map(Self)
            .map_err(|_| InvalidInput::CommentIdFormat { field })
    }
}

impl Default for CommentId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for CommentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A comment ready to be scored and stored.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub article_id: ArticleId,
    pub author: AuthorName,
    /// The platform's user id; without it the author is known by display name only.
    pub author_id: Option<super::AuthorId>,
    pub title: Option<CommentTitle>,
    pub body: CommentBody,
    pub parent_id: Option<CommentId>,
    /// The article's address and headline, stored once per article (see storage).
    pub article_url: Option<super::ArticleUrl>,
    pub article_title: Option<super::ArticleTitle>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CommentStatus {
    Published,
    Held,
    Rejected,
}

impl CommentStatus {
    pub const ALL: [CommentStatus; 3] = [Self::Published, Self::Held, Self::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Published => "published",
            Self::Held => "held",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

impl fmt::Display for CommentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_rules() {
        assert!(matches!(
            CommentBody::parse("   \n\t ", 10),
            Err(InvalidInput::Empty { .. })
        ));
        assert!(matches!(
            CommentBody::parse("abcdefghijk", 10),
            Err(InvalidInput::TooLong { .. })
        ));
        assert!(matches!(
            CommentBody::parse("a\0b", 10),
            Err(InvalidInput::ControlCharacter { .. })
        ));
        assert_eq!(
            CommentBody::parse("  fine\n ok ", 10).unwrap().as_str(),
            "fine\n ok"
        );
        // Length is counted in characters, not bytes.
        assert!(CommentBody::parse("שלום עולם", 9).is_ok());
    }

    #[test]
    fn article_id_rules() {
        assert!(ArticleId::parse("2026/11/rocket-fire_live.html").is_ok());
        for bad in [
            "",
            "-lead",
            "has space",
            "semi;colon",
            "é",
            &"a".repeat(129),
        ] {
            assert!(ArticleId::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
