//! The OpenAPI 3 description of the HTTP API, generated from the handlers' `#[utoipa::path]`
//! annotations and the request and response types, served at `GET /openapi.json`.
//! `tests/api/openapi.rs` checks that every route in the route table (`super::served_routes`)
//! is described here, so a new route cannot ship undocumented.

use super::RouteTable;
use crate::domain::{Label, Scores};
use actix_web::HttpResponse;
use actix_web::http::Method;
use std::sync::LazyLock;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "talkback",
        description = "Self-hosted comment moderation: post comments, score text, review and \
                       decide the queue, Perspective-compatible scoring. Errors are \
                       `{\"error\":{\"code\",\"message\",\"field\"?,\"details\"?,\"request_id\"}}`; \
                       every response carries `X-Request-Id`."
    ),
    paths(
        super::comments::post_comment,
        super::comments::list_published,
        super::comments::score,
        super::reports::report,
        super::moderation::queue,
        super::moderation::queue_updates,
        super::moderation::detail,
        super::moderation::decide_one,
        super::moderation::decide_bulk,
        super::moderation::author,
        super::moderation::restrict_author,
        super::moderation::log,
        super::moderation::stats,
        super::premoderation::list,
        super::premoderation::show,
        super::premoderation::switch,
        super::admin::reload,
        super::perspective::analyze,
        super::perspective::suggest,
        super::ops::healthz,
        super::ops::readyz,
        super::ops::metrics,
        super::ui::moderate,
        openapi_json,
    ),
    components(schemas(ErrorBody, ErrorDetail, Reason, Span)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "comments", description = "The public comment API a news site calls"),
        (name = "moderation", description = "Moderators (Bearer moderator token)"),
        (name = "admin", description = "Operations on the running service (Bearer admin token)"),
        (name = "perspective", description = "Perspective-compatible scoring (API key)"),
        (name = "ops", description = "Health, readiness, metrics, this description"),
    )
)]
pub struct ApiDoc;

/// Bearer tokens for moderators, admins and (when configured) posting; an API key for the
/// Perspective endpoints.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for name in ["moderator_token", "admin_token", "posting_key"] {
            components.add_security_scheme(
                name,
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                "key",
                "A configured API key; the X-Goog-Api-Key header works too",
            ))),
        );
    }
}

/// The body of every talkback API error (Perspective endpoints answer in Perspective's shape).
#[derive(ToSchema)]
#[allow(dead_code)] // Describes `error.rs`'s JSON; never built.
pub(crate) struct ErrorBody {
    error: ErrorDetail,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct ErrorDetail {
    /// Stable, snake_case: what a client branches on.
    code: String,
    message: String,
    /// The request field or parameter at fault, when there is one.
    field: Option<String>,
    /// Code-specific data, e.g. `ids` for `comments_not_found`, `conflicts` for
    /// `decision_conflict`, `serving_version` for `model_rejected`.
    #[schema(value_type = Option<Object>)]
    details: Option<serde_json::Value>,
    /// The request's `X-Request-Id`.
    request_id: String,
}

/// `domain::Reason` as it serialises (that file belongs to the model, so the schema is written
/// here; a unit test below holds the two together).
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct Reason {
    label: Label,
    score: f32,
    spans: Vec<Span>,
}

/// `domain::Span`: offsets count Unicode characters of the trimmed body, end exclusive.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct Span {
    start: usize,
    end: usize,
    text: String,
    /// Contribution to the label's log-odds; larger means more responsible.
    weight: f32,
}

/// Scores serialise as a map from label to a probability in [0, 1], labels the model does not
/// score left out.
impl PartialSchema for Scores {
    fn schema() -> RefOr<Schema> {
        let object = Label::ALL
            .iter()
            .fold(ObjectBuilder::new(), |object, label| {
                object.property(
                    label.as_str(),
                    ObjectBuilder::new()
                        .schema_type(Type::Number)
                        .minimum(Some(0.0))
                        .maximum(Some(1.0)),
                )
            });
        object
            .description(Some("Probability per label, four decimals"))
            .into()
    }
}

impl ToSchema for Scores {}

pub fn routes(table: &mut RouteTable) {
    table.route(Method::GET, "/openapi.json", openapi_json);
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    ApiDoc::openapi()
        .to_json()
        // Serialising a tree of strings and maps cannot fail; an empty object beats a panic.
        .unwrap_or_else(|_| "{}".to_string())
});

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "ops",
    responses((status = 200, description = "The OpenAPI 3 description of this API", body = Object))
)]
async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(DOCUMENT.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn properties(name: &str) -> Vec<String> {
        let doc = serde_json::to_value(ApiDoc::openapi()).expect("json");
        let mut keys: Vec<String> = doc["components"]["schemas"][name]["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        keys
    }

    fn keys(value: serde_json::Value) -> Vec<String> {
        let mut keys: Vec<String> = value.as_object().expect("object").keys().cloned().collect();
        keys.sort();
        keys
    }

    #[test]
    fn reason_and_span_schemas_match_their_serialisation() {
        let span = crate::domain::Span {
            start: 0,
            end: 4,
            text: "kill".into(),
            weight: 1.5,
        };
        let reason = crate::domain::Reason {
            label: Label::Threat,
            score: 0.9,
            spans: vec![span.clone()],
        };
        assert_eq!(
            properties("Span"),
            keys(serde_json::to_value(&span).expect("span"))
        );
        assert_eq!(
            properties("Reason"),
            keys(serde_json::to_value(&reason).expect("reason"))
        );
    }
}
