//! Prometheus metrics through the `prometheus` crate: one registry per app (tests run several
//! apps in one process, each with its own counts), rendered in the text exposition format
//! 0.0.4. Routes are recorded by their pattern (`/v1/moderation/comments/{id}`), never the raw
//! path, so label cardinality stays bounded.

use super::AppState;
use crate::domain::CommentStatus;
use crate::storage::Decision;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use std::time::{Duration, Instant};

const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];
const SCORING_BUCKETS: &[f64] = &[
    0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.05,
];

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    scoring: Histogram,
    /// New comments by the status the model and thresholds gave them.
    comments: IntCounterVec,
    /// Moderator decisions that changed a comment, by decision.
    decisions: IntCounterVec,
    /// Model reloads: applied, refused.
    reloads: IntCounterVec,
    /// Reader reports: counted, repeated by the same reader, sent a comment back to the queue.
    reports: IntCounterVec,
    model_info: IntGaugeVec,
    /// Serialises renders: each sets `model_info` to the live version before gathering.
    render_lock: parking_lot::Mutex<()>,
}

/// A counter family with every label value present from the start, so a scrape shows zeros
/// rather than no series before the first event.
fn counter(
    registry: &Registry,
    name: &str,
    help: &str,
    label: &str,
    values: &[&str],
) -> prometheus::Result<IntCounterVec> {
    let family = IntCounterVec::new(Opts::new(name, help), &[label])?;
    for value in values {
        family.with_label_values(&[value]);
    }
    registry.register(Box::new(family.clone()))?;
    Ok(family)
}

impl Metrics {
    /// Fails only on an invalid metric name or a name registered twice: a bug caught by any
    /// test that starts the app.
    pub fn new() -> prometheus::Result<Metrics> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "talkback_http_requests_total",
                "HTTP requests by route pattern, method and status.",
            ),
            &["route", "method", "status"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "talkback_http_request_duration_seconds",
                "Time from request to response.",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["route"],
        )?;
        registry.register(Box::new(latency.clone()))?;
        let scoring = Histogram::with_opts(
            HistogramOpts::new(
                "talkback_scoring_duration_seconds",
                "Time to score one text with the model.",
            )
            .buckets(SCORING_BUCKETS.to_vec()),
        )?;
        registry.register(Box::new(scoring.clone()))?;
        let statuses = CommentStatus::ALL.map(CommentStatus::as_str);
        let comments = counter(
            &registry,
            "talkback_comments_total",
            "New comments by the status the model gave them.",
            "status",
            &statuses,
        )?;
        let decisions = counter(
            &registry,
            "talkback_moderator_decisions_total",
            "Moderator decisions that changed a comment.",
            "decision",
            &["approve", "reject"],
        )?;
        let reports = counter(
            &registry,
            "talkback_reports_total",
            "Reader reports: counted, repeated (same reader, not counted), requeued (sent a \
             published comment back to the queue).",
            "result",
            &["counted", "repeated", "requeued"],
        )?;
        let reloads = counter(
            &registry,
            "talkback_model_reloads_total",
            "Model reloads by outcome (refused ones keep the old model).",
            "result",
            &["applied", "refused"],
        )?;
        let model_info = IntGaugeVec::new(
            Opts::new("talkback_model_info", "The model version serving requests."),
            &["version"],
        )?;
        registry.register(Box::new(model_info.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            scoring,
            comments,
            decisions,
            reloads,
            reports,
            model_info,
            render_lock: parking_lot::Mutex::new(()),
        })
    }

    pub fn observe_request(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        self.requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.latency
            .with_label_values(&[route])
            .observe(elapsed.as_secs_f64());
    }

    pub fn observe_scoring(&self, elapsed: Duration) {
        self.scoring.observe(elapsed.as_secs_f64());
    }

    pub fn comment_stored(&self, status: CommentStatus) {
        self.comments.with_label_values(&[status.as_str()]).inc();
    }

    pub fn decision_applied(&self, decision: Decision) {
        self.decisions.with_label_values(&[decision.as_str()]).inc();
    }

    /// One stored (or repeated) reader report, and whether it re-queued its comment.
    pub fn report_received(&self, counted: bool, requeued: bool) {
        let result = if counted { "counted" } else { "repeated" };
        self.reports.with_label_values(&[result]).inc();
        if requeued {
            self.reports.with_label_values(&["requeued"]).inc();
        }
    }

    pub fn model_reload(&self, applied: bool) {
        let result = if applied { "applied" } else { "refused" };
        self.reloads.with_label_values(&[result]).inc();
    }

    /// The text exposition, with `model_info` naming `model_version` alone.
    pub fn render(&self, model_version: &str) -> String {
        let families = {
            let _one_at_a_time = self.render_lock.lock();
            self.model_info.reset();
            self.model_info.with_label_values(&[model_version]).set(1);
            self.registry.gather()
        };
        let mut out = Vec::with_capacity(8 * 1024);
        if let Err(err) = TextEncoder::new().encode(&families, &mut out) {
            // Only a family without samples or a bad label fails; the rest is still worth serving.
            tracing::error!(error = %err, "encoding metrics");
        }
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }
}

/// Middleware: count and time every request by route pattern. The request's log line comes
/// from its span (`trace`).
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().clone();
    let response = next.call(req).await?;
    let elapsed = started.elapsed();
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_string());
    let status = response.status().as_u16();
    if let Some(state) = state {
        state
            .metrics
            .observe_request(&route, method.as_str(), status, elapsed);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::new().expect("metrics");
        m.observe_request("/v1/comments", "POST", 201, Duration::from_millis(3));
        m.observe_scoring(Duration::from_micros(40));
        m.comment_stored(CommentStatus::Held);
        m.report_received(true, true);
        m.report_received(false, false);
        m.decision_applied(Decision::Reject);
        let text = m.render("v\"1");
        for line in [
            // The crate writes labels in name order; Prometheus reads a set.
            "talkback_http_requests_total{method=\"POST\",route=\"/v1/comments\",status=\"201\"} 1",
            "talkback_http_request_duration_seconds_bucket{route=\"/v1/comments\",le=\"0.005\"} 1",
            "talkback_http_request_duration_seconds_bucket{route=\"/v1/comments\",le=\"+Inf\"} 1",
            "talkback_comments_total{status=\"held\"} 1",
            "talkback_comments_total{status=\"published\"} 0",
            "talkback_moderator_decisions_total{decision=\"reject\"} 1",
            "talkback_moderator_decisions_total{decision=\"approve\"} 0",
            "talkback_reports_total{result=\"counted\"} 1",
            "talkback_reports_total{result=\"repeated\"} 1",
            "talkback_reports_total{result=\"requeued\"} 1",
            "talkback_model_reloads_total{result=\"refused\"} 0",
            "talkback_scoring_duration_seconds_bucket{le=\"0.00005\"} 1",
            "talkback_scoring_duration_seconds_count 1",
            "# TYPE talkback_scoring_duration_seconds histogram",
            "talkback_model_info{version=\"v\\\"1\"} 1",
        ] {
            assert!(text.contains(line), "{line} in\n{text}");
        }
    }

    #[test]
    fn model_info_names_only_the_live_version() {
        let m = Metrics::new().expect("metrics");
        m.render("a");
        let text = m.render("b");
        assert!(
            text.contains("talkback_model_info{version=\"b\"} 1"),
            "{text}"
        );
        assert!(!text.contains("version=\"a\""), "{text}");
    }
}
