//! The moderator page: one self-contained HTML file compiled into the binary. It holds no
//! data; it signs in with a moderator token and uses the /v1/moderation API like any client.

use actix_web::HttpResponse;
use actix_web::http::Method;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

const MODERATE_HTML: &str = include_str!("ui/moderate.html");

/// The page keeps moderator tokens in session storage, so injected script must not run: the
/// policy allows only the page's own inline script and style, by hash, and requests to this
/// origin. Computed from the page itself, so editing the page cannot leave a stale hash.
static CSP: LazyLock<String> = LazyLock::new(|| {
    let hash = |tag: &str| {
        let body = inline(MODERATE_HTML, tag).unwrap_or_default();
        format!("'sha256-{}'", base64(&Sha256::digest(body.as_bytes())))
    };
    format!(
        "default-src 'none'; script-src {}; style-src {}; connect-src 'self'; img-src 'self'; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        hash("script"),
        hash("style")
    )
});

/// The text between `<tag>` and `</tag>` (the page has one of each).
fn inline<'a>(html: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = html.find(&open)? + open.len();
    let end = start + html[start..].find(&format!("</{tag}>"))?;
    Some(&html[start..end])
}

/// Standard base64 with padding, as CSP hash sources are written.
fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn routes(table: &mut super::RouteTable) {
    // HEAD answers like GET (same headers, no body): link checkers and monitors use it.
    table
        .route(Method::GET, "/moderate", moderate)
        .route(Method::HEAD, "/moderate", moderate);
}

/// The moderator page (HTML).
#[utoipa::path(method(get, head), path = "/moderate", tag = "moderation", responses(
    (status = 200, description = "The page, with a hash-based Content-Security-Policy",
        body = String, content_type = "text/html"),
))]
async fn moderate() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", CSP.as_str()))
        // Older browsers ignore frame-ancestors; this keeps them from framing the page too.
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .insert_header(("Cache-Control", "no-cache"))
        .body(MODERATE_HTML)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_vectors() {
        for (raw, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(raw.as_bytes()), encoded);
        }
    }

    #[test]
    fn the_page_has_one_inline_script_and_style() {
        assert!(inline(MODERATE_HTML, "script").is_some_and(|s| s.len() > 1000));
        assert!(inline(MODERATE_HTML, "style").is_some_and(|s| s.len() > 1000));
        assert_eq!(MODERATE_HTML.matches("<script").count(), 1);
        assert_eq!(MODERATE_HTML.matches("<style").count(), 1);
        assert!(!MODERATE_HTML.contains(" style=\""));
        assert!(!MODERATE_HTML.contains(" onclick=\""));
    }
}
