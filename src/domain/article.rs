//! What a comment is about: the article's address and headline, as the platform sends them with
//! a post. Both are shown to moderators (a link to the article on each card), so both are
//! checked here like every other input.

use super::{Controls, InvalidInput, optional_text};
use serde::Serialize;
use std::fmt;

text_newtype!(
    /// The article's public address: an `http://` or `https://` URL with a host. Other schemes
    /// (`javascript:`, `data:`, `file:`) are refused, because the moderator page turns it into
    /// a link.
    ArticleUrl
);
text_newtype!(
    /// The article's headline, shown on the moderator page instead of its id.
    ArticleTitle
);

pub const MAX_ARTICLE_URL_CHARS: usize = 2048;
pub const MAX_ARTICLE_TITLE_CHARS: usize = 300;

impl ArticleUrl {
    /// An empty URL is the same as no URL.
    pub fn parse(raw: &str) -> Result<Option<Self>, InvalidInput> {
        const FIELD: &str = "article_url";
        // Unlike in text, line breaks and tabs have no place in a URL either.
        let Some(text) = optional_text(FIELD, raw, MAX_ARTICLE_URL_CHARS, Controls::None)? else {
            return Ok(None);
        };
        let text = text.as_str();
        let lower = text.to_ascii_lowercase();
        let rest = ["http://", "https://"]
            .iter()
            .find_map(|scheme| lower.strip_prefix(scheme).map(|_| &text[scheme.len()..]))
            .ok_or(InvalidInput::UrlFormat { field: FIELD })?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default();
        if host.is_empty() || host.starts_with(':') || text.chars().any(char::is_whitespace) {
            return Err(InvalidInput::UrlFormat { field: FIELD });
        }
        Ok(Some(Self(text.to_string())))
    }
}

impl ArticleTitle {
    /// An empty title is the same as no title.
    pub fn parse(raw: &str) -> Result<Option<Self>, InvalidInput> {
        optional_text(
            "article_title",
            raw,
            MAX_ARTICLE_TITLE_CHARS,
            Controls::Prose,
        )
        .map(|t| t.map(Self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_http_or_https_with_a_host() {
        for good in [
            "https://news.example/2026/11/rocket-fire",
            "HTTP://news.example:8080/a?b=c#d",
            "  https://user@news.example/  ",
            "https://新闻.example/故事",
        ] {
            assert!(
                ArticleUrl::parse(good).unwrap().is_some(),
                "{good:?} should be accepted"
            );
        }
        assert_eq!(ArticleUrl::parse("   ").unwrap(), None);
        for bad in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "ftp://news.example/a",
            "news.example/a",
            "https://",
            "https:///path",
            "https://:443/",
            "https://user@/x",
            "https://news.example/a b",
            "//news.example/a",
        ] {
            assert!(
                matches!(ArticleUrl::parse(bad), Err(InvalidInput::UrlFormat { .. })),
                "{bad:?} should be refused"
            );
        }
        assert!(matches!(
            ArticleUrl::parse("https://news.example/\ta"),
            Err(InvalidInput::ControlCharacter { .. })
        ));
        let long = format!("https://news.example/{}", "a".repeat(MAX_ARTICLE_URL_CHARS));
        assert!(matches!(
            ArticleUrl::parse(&long),
            Err(InvalidInput::TooLong {
                field: "article_url",
                ..
            })
        ));
    }

    #[test]
    fn titles_are_bounded_text() {
        assert_eq!(ArticleTitle::parse(" ").unwrap(), None);
        assert_eq!(
            ArticleTitle::parse(" Rocket fire ")
                .unwrap()
                .unwrap()
                .as_str(),
            "Rocket fire"
        );
        assert!(matches!(
            ArticleTitle::parse(&"t".repeat(MAX_ARTICLE_TITLE_CHARS + 1)),
            Err(InvalidInput::TooLong {
                field: "article_title",
                ..
            })
        ));
        assert!(matches!(
            ArticleTitle::parse("a\u{7}b"),
            Err(InvalidInput::ControlCharacter { .. })
        ));
    }
}
