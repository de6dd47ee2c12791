//! Bearer-token authentication for moderators and administrators. Tokens are compared as SHA-256 digests with a
//! constant-time equality, so response timing reveals neither a token's bytes nor its length.

use super::AppState;
use super::error::ApiError;
use crate::config::Credential;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use sha2::{Digest, Sha256};
use std::future::{Ready, ready};
use subtle::ConstantTimeEq;

/// Known tokens as (name, digest). The plain secrets are not kept.
pub struct Tokens {
    entries: Vec<(String, [u8; 32])>,
}

fn digest(secret: &[u8]) -> [u8; 32] {
    Sha256::digest(secret).into()
}

impl Tokens {
    pub fn new(credentials: &[Credential]) -> Tokens {
        Tokens {
            entries: credentials
                .iter()
                .map(|c| (c.name.clone(), digest(c.secret.as_bytes())))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The name the token belongs to. Every entry is compared, match or not.
    pub fn lookup(&self, token: &str) -> Option<&str> {
        let presented = digest(token.as_bytes());
        let mut found = None;
        for (name, known) in &self.entries {
            if bool::from(known.ct_eq(&presented)) {
                found = Some(name.as_str());
            }
        }
        found
    }
}

/// The `Bearer` token of a request: `Err(Unauthorized)` when missing or malformed.
fn bearer(req: &HttpRequest) -> Result<&str, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized)?
        .to_str()
        .map_err(|_| ApiError::Unauthorized)?;
    let (scheme, token) = value.split_once(' ').ok_or(ApiError::Unauthorized)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(ApiError::Unauthorized);
    }
    Ok(token)
}

/// The name behind the request's bearer token in the token set `tokens` picks from the state.
/// A throttled address is refused before its token is looked at (see `FailureThrottle`).
fn authenticate(req: &HttpRequest, tokens: fn(&AppState) -> &Tokens) -> Result<String, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("the application state is not registered"))?;
    let address = req.peer_addr().map(|a| a.ip());
    state
        .auth_failures
        .check(address)
        .map_err(|retry_after_secs| ApiError::AuthThrottled { retry_after_secs })?;
    let token = bearer(req)?;
    match tokens(state).lookup(token) {
        Some(name) => Ok(name.to_string()),
        None => {
            state.auth_failures.failed(address);
            Err(ApiError::Forbidden)
        }
    }
}

/// An authenticated moderator; add it as a handler argument to require one.
#[derive(Debug, Clone)]
pub struct Moderator(pub String);

impl FromRequest for Moderator {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req, |s| &s.moderators).map(Moderator))
    }
}

/// An authenticated administrator (`TALKBACK_ADMIN_TOKENS`); required by `/v1/admin/*`.
/// Kept apart from moderators: reviewing comments must not imply swapping the model.
#[derive(Debug, Clone)]
pub struct Admin(pub String);

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req, |s| &s.admins).map(Admin))
    }
}

/// A caller allowed to post: the name of its posting key, or `None` when no posting keys are
/// configured and posting is open. Add it as a handler's first argument, so a request without
/// the key is refused before its body is read.
#[derive(Debug, Clone)]
pub struct Poster(pub Option<String>);

impl FromRequest for Poster {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let open = req
            .app_data::<web::Data<AppState>>()
            .is_some_and(|state| state.posters.is_empty());
        if open {
            return ready(Ok(Poster(None)));
        }
        ready(authenticate(req, |s| &s.posters).map(|name| Poster(Some(name))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_exact_tokens() {
        let tokens = Tokens::new(&[
            Credential {
                name: "alice".into(),
                secret: "alice-secret-1".into(),
            },
            Credential {
                name: "bob".into(),
                secret: "bob-secret-22".into(),
            },
        ]);
        assert_eq!(tokens.lookup("bob-secret-22"), Some("bob"));
        assert_eq!(tokens.lookup("bob-secret-2"), None);
        assert_eq!(tokens.lookup(""), None);
    }
}
