//! Request-body extraction with errors a client can act on: 415 for a non-JSON content type,
//! 413 past the byte limit (checked while reading, not after), 400 for invalid UTF-8, and 400
//! naming the field for invalid JSON or a value of the wrong type.

use super::AppState;
use super::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{self, BytesMut};
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

/// Default body limit when no app state is registered (unit tests).
const FALLBACK_LIMIT: usize = 64 * 1024;

pub struct ApiJson<T>(pub T);

fn is_json(req: &HttpRequest) -> bool {
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else {
        return false;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(FALLBACK_LIMIT, |s| s.config.max_request_bytes);
        let json = is_json(req);
        let declared: Option<usize> = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > limit) {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            if !json {
                return Err(ApiError::UnsupportedMediaType);
            }
            let mut body = BytesMut::with_capacity(declared.unwrap_or(1024).min(limit));
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| {
                    ApiError::bad_request("invalid_body", format!("reading request body: {e}"))
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(ApiJson)
        })
    }
}

/// UTF-8 first (so the error says so), then JSON with the path of the offending field.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        ApiError::bad_request(
            "invalid_utf8",
            format!(
                "request body is not valid UTF-8 (first bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })?;
    // Every request body of this API is an object; say so instead of a puzzling `[0]` error.
    if !text.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(text).is_ok()
    {
        return Err(ApiError::bad_request(
            "invalid_json",
            "request body must be a JSON object",
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(json_error)?;
    de.end()
        .map_err(|e| ApiError::bad_request("invalid_json", format!("invalid JSON: {e}")))?;
    Ok(value)
}

fn json_error(err: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = err.path().to_string();
    let inner = err.into_inner();
    let syntax = matches!(
        inner.classify(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof
    );
    if syntax {
        return ApiError::bad_request("invalid_json", format!("invalid JSON: {inner}"));
    }
    let message = inner.to_string();
    // serde reports a missing field at the enclosing object; pull the name out of its message.
    let field = if path == "." {
        message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .map(str::to_string)
    } else {
        Some(path)
    };
    match field {
        Some(field) => {
            ApiError::bad_field("invalid_field", &field, format!("`{field}`: {message}"))
        }
        None => ApiError::bad_request("invalid_json", format!("invalid JSON: {message}")),
    }
}

/// Query strings that do not parse (e.g. a non-numeric `limit`) get the same JSON error shape.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        ApiError::bad_request("invalid_query", format!("invalid query string: {err}")).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| {
        ApiError::bad_request("invalid_path", format!("invalid path: {err}")).into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Body {
        author: String,
        body: String,
    }

    fn code_and_field(r: Result<Body, ApiError>) -> (&'static str, Option<String>) {
        match r.unwrap_err() {
            ApiError::BadRequest { code, field, .. } => (code, field),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn names_the_field() {
        assert_eq!(
            code_and_field(parse_json(br#"{"author": 5, "body": "x"}"#)),
            ("invalid_field", Some("author".into()))
        );
        assert_eq!(
            code_and_field(parse_json(br#"{"author": "a"}"#)),
            ("invalid_field", Some("body".into()))
        );
        assert_eq!(
            code_and_field(parse_json(b"{\"author\": ")).0,
            "invalid_json"
        );
        assert_eq!(
            code_and_field(parse_json(b"{\"author\": \"\xff\"}")).0,
            "invalid_utf8"
        );
        assert_eq!(
            code_and_field(parse_json(br#"{"author":"a","body":"b"} trailing"#)).0,
            "invalid_json"
        );
    }
}
