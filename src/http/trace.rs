//! Request tracing and the log setup. Every request gets an id: the caller's `X-Request-Id` when
//! it is sane (1 to 128 printable ASCII characters, no spaces), else a new UUID v4. The id comes
//! back in the `X-Request-Id` response header and in error bodies, and names an info-level span
//! `request{request_id, method, route, status, latency_ms}` that every log line emitted while
//! the request is handled sits in. `route` is the matched pattern (`/v1/moderation/comments/{id}`),
//! never the raw path, which may carry ids and query strings.
//!
//! The span comes from tracing-actix-web's `TracingLogger` (maintained in actix-extras), with
//! [`RequestSpan`] deciding its fields: the middleware keeps the span entered around the handler
//! and open until the response body has been sent, and can export to OpenTelemetry by switching
//! on a feature. It has no notion of a caller's request id, so [`request_id`] supplies that.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use std::time::Instant;
use tracing::Span;
use tracing::field::Empty;
use tracing_actix_web::RootSpanBuilder;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Long enough for the ids proxies and platforms send (UUIDs, trace ids with a few parts),
/// short enough that a caller cannot fill every log line with its own text.
pub const MAX_REQUEST_ID_LEN: usize = 128;

/// The id of one request, as logged and returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(String);

tokio::task_local! {
    // Error bodies are built where no request is at hand (`ResponseError::error_response`).
    static CURRENT: RequestId;
}

impl RequestId {
    /// The caller's id when it is sane, else a new one. An id that is not sane is replaced, not
    /// refused: tracing must never be the reason a request fails.
    pub fn from_header(value: Option<&HeaderValue>) -> RequestId {
        value
            .and_then(|v| v.to_str().ok())
            .filter(|id| is_sane(id))
            .map(|id| RequestId(id.to_string()))
            .unwrap_or_else(|| RequestId(uuid::Uuid::new_v4().to_string()))
    }

    /// The request's id, decided once and kept in its extensions so the span, the response
    /// header and error bodies agree.
    pub fn of(request: &ServiceRequest) -> RequestId {
        if let Some(id) = request.extensions().get::<RequestId>() {
            return id.clone();
        }
        let id = RequestId::from_header(request.headers().get(REQUEST_ID_HEADER));
        request.extensions_mut().insert(id.clone());
        id
    }

    /// The id of the request this task is handling; None outside a request.
    pub fn current() -> Option<RequestId> {
        CURRENT.try_with(RequestId::clone).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Printable ASCII without spaces: safe in a header, in a text log line and in JSON as is.
fn is_sane(id: &str) -> bool {
    (1..=MAX_REQUEST_ID_LEN).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_graphic())
}

/// Middleware, outermost: decides the request id, makes it available to error bodies while the
/// request is handled, and returns it in the `X-Request-Id` response header.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = RequestId::of(&req);
    let mut response = CURRENT.scope(id.clone(), next.call(req)).await?;
    // A sane id is always a valid header value; the check costs nothing and cannot panic.
    if let Ok(value) = HeaderValue::from_str(id.as_str()) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    Ok(response)
}

/// When the request reached the tracing middleware, for `latency_ms`.
struct Started(Instant);

/// The fields of each request's span (see the module docs).
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        request.extensions_mut().insert(Started(Instant::now()));
        let id = RequestId::of(request);
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_string());
        tracing::info_span!(
            "request",
            request_id = %id,
            method = %request.method(),
            route = %route,
            status = Empty,
            latency_ms = Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(err) => err.as_response_error().status_code(),
        };
        span.record("status", status.as_u16());
        // An error that escaped every handler has no request left to read the start from.
        if let Ok(response) = outcome
            && let Some(started) = response.request().extensions().get::<Started>()
        {
            let micros = started.0.elapsed().as_micros() as f64;
            span.record("latency_ms", micros / 1000.0);
        }
        // Debug: at info, every request would be a line. Server errors were logged, with their
        // cause, where they became a response (`ApiError::log`).
        tracing::debug!("request finished");
    }
}

/// Logs go to stderr; `TALKBACK_LOG` (or `RUST_LOG`) filters, `TALKBACK_LOG_FORMAT=json`
/// switches to JSON lines (each with the request's span and its fields). Records from crates
/// that use `log` (actix's server) arrive through the same subscriber. Handlers log ids and
/// verdicts, never comment text or tokens.
pub fn init() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("TALKBACK_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a terminal, not for files or log collectors.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = if std::env::var("TALKBACK_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().try_init()
    } else {
        builder.compact().try_init()
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::error::ApiError;
    use crate::storage::StorageError;
    use actix_web::middleware::from_fn;
    use actix_web::test as actix_test;
    use actix_web::{App, HttpResponse, web};
    use parking_lot::Mutex;
    use std::sync::Arc;
    use tracing_actix_web::TracingLogger;

    #[test]
    fn sane_ids_are_kept_and_others_replaced() {
        for kept in [
            "abc-123",
            "Root=1-5759e988;Parent=53995c3f;Sampled=1",
            &"x".repeat(128),
        ] {
            let value = HeaderValue::from_str(kept).unwrap();
            assert_eq!(RequestId::from_header(Some(&value)).as_str(), kept);
        }
        let too_long = "x".repeat(129);
        let replaced = [
            HeaderValue::from_str(&too_long).unwrap(),
            HeaderValue::from_static(""),
            HeaderValue::from_static("has space"),
            HeaderValue::from_static("tab\there"),
            HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap(),
        ];
        for value in replaced.iter().map(Some).chain([None]) {
            let id = RequestId::from_header(value);
            let uuid = uuid::Uuid::parse_str(id.as_str()).expect("a generated id is a UUID");
            assert_eq!(uuid.get_version_num(), 4);
        }
    }

    /// Log output of the current thread, in the default text format without colours.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
        type Writer = Captured;
        fn make_writer(&'a self) -> Captured {
            self.clone()
        }
    }

    impl Captured {
        fn lines(&self) -> Vec<String> {
            String::from_utf8_lossy(&self.0.lock())
                .lines()
                .map(str::to_string)
                .collect()
        }
    }

    /// The request span's callsite is shared by these tests; one running with no subscriber
    /// caches it as disabled for the others, so they take turns.
    static REQUEST_SPAN_TESTS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

    async fn failing() -> Result<HttpResponse, ApiError> {
        tracing::info!("looking up the comment");
        Err(StorageError::Failed("row 7 does not decode".into()).into())
    }

    #[actix_web::test]
    async fn a_500_is_logged_once_with_its_cause_and_the_request_id_on_every_line() {
        let _turn = REQUEST_SPAN_TESTS.lock().await;
        let logs = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(logs.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::DEBUG)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        // A callsite first seen by a test with no subscriber stays disabled until rebuilt.
        tracing::callsite::rebuild_interest_cache();
        let app = actix_test::init_service(
            App::new()
                .wrap(TracingLogger::<RequestSpan>::new())
                .wrap(from_fn(request_id))
                .route("/comments/{id}", web::get().to(failing)),
        )
        .await;
        let request = actix_test::TestRequest::get()
            .uri("/comments/secret-path-value")
            .insert_header((REQUEST_ID_HEADER, "trace-42"))
            .to_request();
        let response = actix_test::call_service(&app, request).await;
        assert_eq!(response.status(), 500);
        assert_eq!(
            response.headers().get(REQUEST_ID_HEADER).unwrap(),
            "trace-42"
        );
        let body: serde_json::Value = actix_test::read_body_json(response).await;
        assert_eq!(body["error"]["request_id"], "trace-42", "{body}");
        assert_eq!(body["error"]["message"], "internal error", "{body}");
        assert!(!body.to_string().contains("row 7"), "{body}");

        let lines = logs.lines();
        let errors: Vec<&String> = lines.iter().filter(|l| l.contains("ERROR")).collect();
        assert_eq!(errors.len(), 1, "{lines:#?}");
        assert!(
            errors[0].contains("internal error: storage failed: row 7 does not decode"),
            "{lines:#?}"
        );
        assert!(lines.len() >= 3, "{lines:#?}");
        for line in &lines {
            assert!(line.contains("request_id=trace-42"), "{line}");
            assert!(line.contains("route=/comments/{id}"), "{line}");
            assert!(!line.contains("secret-path-value"), "{line}");
        }
        let finished = lines
            .iter()
            .find(|l| l.contains("request finished"))
            .expect("a closing line");
        assert!(finished.contains("status=500"), "{finished}");
        assert!(finished.contains("latency_ms="), "{finished}");
    }

    #[actix_web::test]
    async fn every_response_gets_an_id_even_without_tracing_subscribers() {
        let _turn = REQUEST_SPAN_TESTS.lock().await;
        let app = actix_test::init_service(
            App::new()
                .wrap(TracingLogger::<RequestSpan>::new())
                .wrap(from_fn(request_id))
                .route("/", web::get().to(HttpResponse::Ok)),
        )
        .await;
        let first =
            actix_test::call_service(&app, actix_test::TestRequest::get().to_request()).await;
        let second =
            actix_test::call_service(&app, actix_test::TestRequest::get().to_request()).await;
        let first = first.headers().get(REQUEST_ID_HEADER).expect("an id");
        let second = second.headers().get(REQUEST_ID_HEADER).expect("an id");
        assert_ne!(first, second);
    }
}
