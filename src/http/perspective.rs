//! Perspective-compatible endpoints, so comment platforms (Coral Talk and others) can point their
//! Perspective endpoint at talkback unchanged. Errors here use Perspective's shape, not the
//! talkback API's, because that is what those clients parse.

use super::error::ApiError;
use super::{AppState, RouteTable};
use crate::config::Credential;
use crate::perspective::{AnalyzeRequest, PerspectiveError, SuggestRequest, SuggestResponse};
use crate::storage::{StorageError, SuggestedScore, TrainingRecord};
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use futures_util::StreamExt;
use governor::{DefaultKeyedRateLimiter, Quota};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::ops::ControlFlow;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::{ObjectBuilder, RefOr};

/// A request body larger than this cannot hold a valid request (text is capped at 20 KB).
const MAX_REQUEST_BYTES: usize = 256 * 1024;

impl ResponseError for PerspectiveError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::from_u16(self.code)
            .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code()).json(self.body())
    }
}

/// Perspective's answer to a failed write, classified and logged as the talkback API's: a
/// temporary failure is UNAVAILABLE with `retry_hint`, anything else INTERNAL.
fn storage_failed(err: StorageError, retry_hint: &str) -> PerspectiveError {
    let err = ApiError::from(err);
    err.log();
    match err {
        ApiError::StorageUnavailable(_) => PerspectiveError::unavailable(retry_hint),
        _ => PerspectiveError::internal(),
    }
}

/// API keys and their per-minute quota. Keys are checked in constant time (see `auth::Tokens`).
pub struct ApiKeys {
    keys: super::auth::Tokens,
    quota: Option<DefaultKeyedRateLimiter<String>>,
}

impl ApiKeys {
    pub fn new(credentials: &[Credential], per_minute: u32) -> ApiKeys {
        let quota = NonZeroU32::new(per_minute)
            .map(|n| DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)));
        ApiKeys {
            keys: super::auth::Tokens::new(credentials),
            quota,
        }
    }

    /// The key's name, after checking it exists and has quota left. A wrong key counts
    /// against the address in `throttle`.
    fn authorise(
        &self,
        req: &HttpRequest,
        throttle: &super::rate_limit::FailureThrottle,
    ) -> Result<String, PerspectiveError> {
        let presented = web::Query::<std::collections::HashMap<String, String>>::from_query(
            req.query_string(),
        )
        .ok()
        .and_then(|q| q.get("key").cloned())
        .or_else(|| {
            req.headers()
                .get("x-goog-api-key")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .ok_or_else(|| {
            PerspectiveError::permission_denied(
                "The request is missing a valid API key. Pass it as ?key= or the X-Goog-Api-Key header.",
            )
        })?;
        let name = self
            .keys
            .lookup(&presented)
            .ok_or_else(|| {
                throttle.failed(req.peer_addr().map(|a| a.ip()));
                PerspectiveError::permission_denied(
                    "API key not valid. Please pass a valid API key.",
                )
            })?
            .to_string();
        if let Some(limiter) = &self.quota
            && limiter.check_key(&name).is_err()
        {
            return Err(PerspectiveError::resource_exhausted(format!(
                "Quota exceeded for API key `{name}`: requests per minute. Retry shortly."
            )));
        }
        Ok(name)
    }
}

/// Perspective's 429 with a Retry-After, for an address that sent too many wrong keys; checked
/// before the key, so the right key from that address waits as well.
fn throttled(state: &AppState, req: &HttpRequest) -> Option<HttpResponse> {
    let secs = state
        .auth_failures
        .check(req.peer_addr().map(|a| a.ip()))
        .err()?;
    let error = PerspectiveError::resource_exhausted(format!(
        "Too many invalid API keys from this address. Retry after {secs} s."
    ));
    Some(
        HttpResponse::TooManyRequests()
            .insert_header((actix_web::http::header::RETRY_AFTER, secs.to_string()))
            .json(error.body()),
    )
}

pub fn routes(table: &mut RouteTable) {
    table
        .route(Method::POST, "/v1alpha1/comments:analyze", analyze)
        .route(Method::POST, "/v1alpha1/comments:suggestscore", suggest);
}

/// What both endpoints check before anything else, in this order: the address (an address that
/// sent too many wrong keys gets the 429, as `Break`), the key and its quota, then the body. The
/// key's name and the parsed body continue.
async fn admit<T: DeserializeOwned>(
    req: &HttpRequest,
    state: &AppState,
    payload: web::Payload,
) -> Result<ControlFlow<HttpResponse, (String, T)>, PerspectiveError> {
    if let Some(response) = throttled(state, req) {
        return Ok(ControlFlow::Break(response));
    }
    let key = state.api_keys.authorise(req, &state.auth_failures)?;
    Ok(ControlFlow::Continue((key, parse_body(payload).await?)))
}

/// Read and parse the body ourselves so every failure gets Perspective's error shape.
async fn parse_body<T: DeserializeOwned>(mut payload: web::Payload) -> Result<T, PerspectiveError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            PerspectiveError::invalid_argument(format!("Reading the request failed: {e}"))
        })?;
        if body.len() + chunk.len() > MAX_REQUEST_BYTES {
            return Err(PerspectiveError::invalid_argument(format!(
                "Request payload size exceeds the limit: {MAX_REQUEST_BYTES} bytes."
            )));
        }
        body.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&body).map_err(|e| {
        PerspectiveError::invalid_argument(format!("Invalid JSON payload received. {e}"))
    })
}

/// The answers both endpoints give a request they refuse, in Perspective's error shape.
struct Refusals;

impl utoipa::IntoResponses for Refusals {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        [
            ("400", "INVALID_ARGUMENT, in Perspective's error shape"),
            ("403", "PERMISSION_DENIED: missing or unknown key"),
            ("429", "RESOURCE_EXHAUSTED: quota or wrong keys"),
        ]
        .into_iter()
        .map(|(status, description)| {
            let body = ContentBuilder::new()
                .schema(Some(ObjectBuilder::new()))
                .build();
            let response = ResponseBuilder::new()
                .description(description)
                .content("application/json", body)
                .build();
            (status.to_string(), RefOr::T(response))
        })
        .collect()
    }
}

/// Perspective's `comments:analyze`: scores per requested attribute.
#[utoipa::path(
    post,
    path = "/v1alpha1/comments:analyze",
    tag = "perspective",
    request_body(content = Object, description = "Perspective's AnalyzeCommentRequest"),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Perspective's AnalyzeCommentResponse", body = Object),
        Refusals,
    )
)]
async fn analyze(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, PerspectiveError> {
    let (key, request) = match admit::<AnalyzeRequest>(&req, &state, payload).await? {
        ControlFlow::Continue((key, request)) => (key, request.validate()?),
        ControlFlow::Break(throttled) => return Ok(throttled),
    };
    let model = state.model.load_full();
    let started = std::time::Instant::now();
    // Scoring runs on the blocking pool (see `comments::judge`).
    let (request, scores, response, model) = web::block(move || {
        let scores = model.score(&request.text).scores;
        let response = request.respond(&scores, |text| model.score(text).scores);
        (request, scores, response, model)
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "scoring task failed");
        PerspectiveError::internal()
    })?;
    state.metrics.observe_scoring(started.elapsed());
    if !request.do_not_store {
        let record = TrainingRecord::Analysis {
            api_key: key,
            text: request.text.clone(),
            scores,
            model_version: model.version().to_string(),
            client_token: request.client_token.clone(),
            community_id: request.community_id.clone(),
        };
        state.store.record_training(record).await.map_err(|e| {
            storage_failed(
                e,
                "Storage is unavailable; retry, or send doNotStore: true.",
            )
        })?;
    }
    Ok(HttpResponse::Ok().json(response))
}

/// Perspective's `comments:suggestscore`: a reader's or moderator's score, kept for training.
#[utoipa::path(
    post,
    path = "/v1alpha1/comments:suggestscore",
    tag = "perspective",
    request_body(content = Object, description = "Perspective's SuggestCommentScoreRequest"),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Perspective's SuggestCommentScoreResponse", body = Object),
        Refusals,
    )
)]
async fn suggest(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, PerspectiveError> {
    let (key, suggestion) = match admit::<SuggestRequest>(&req, &state, payload).await? {
        ControlFlow::Continue((key, suggestion)) => (key, suggestion.validate()?),
        ControlFlow::Break(throttled) => return Ok(throttled),
    };
    let client_token = suggestion.client_token.clone();
    let record = TrainingRecord::Suggestion {
        api_key: key,
        text: suggestion.text,
        scores: suggestion
            .scores
            .into_iter()
            .map(|(attribute, value)| SuggestedScore {
                attribute: attribute.name().to_string(),
                label: attribute.label(),
                value,
            })
            .collect(),
        context: suggestion.context,
        community_id: suggestion.community_id,
        client_token: suggestion.client_token,
    };
    state
        .store
        .record_training(record)
        .await
        .map_err(|e| storage_failed(e, "Storage is unavailable; retry shortly."))?;
    Ok(HttpResponse::Ok().json(SuggestResponse { client_token }))
}
