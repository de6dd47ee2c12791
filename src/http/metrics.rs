//! Prometheus metrics, formatted by hand (text exposition format 0.0.4): a handful of counters
//! and histograms do not need a registry crate. Routes are recorded by their pattern
//! (`/v1/moderation/comments/{id}`), never the raw path, so label cardinality stays bounded.

use super::AppState;
use crate::domain::CommentStatus;
use crate::storage::Decision;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];
const SCORING_BUCKETS: &[f64] = &[
    0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.05,
];

#[derive(Debug, Clone)]
struct Histogram {
    bounds: &'static [f64],
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Self {
        Histogram {
            bounds,
            counts: vec![0; bounds.len()],
            sum: 0.0,
            count: 0,
        }
    }

    fn observe(&mut self, seconds: f64) {
        if let Some(i) = self.bounds.iter().position(|&b| seconds <= b) {
            self.counts[i] += 1;
        }
        self.sum += seconds;
        self.count += 1;
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        // `{a="b",le="x"}`, or no braces at all when there are no labels.
        let set = |extra: &str| {
            let all: Vec<&str> = [labels, extra]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            if all.is_empty() {
                String::new()
            } else {
                format!("{{{}}}", all.join(","))
            }
        };
        let mut cumulative = 0;
        for (bound, n) in self.bounds.iter().zip(&self.counts) {
            cumulative += n;
            let _ = writeln!(
                out,
                "{name}_bucket{} {cumulative}",
                set(&format!("le=\"{bound}\""))
            );
        }
        let _ = writeln!(out, "{name}_bucket{} {}", set("le=\"+Inf\""), self.count);
        let _ = writeln!(out, "{name}_sum{} {}", set(""), self.sum);
        let _ = writeln!(out, "{name}_count{} {}", set(""), self.count);
    }
}

struct Requests {
    /// (route, method, status) -> count
    counts: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

pub struct Metrics {
    requests: Mutex<Requests>,
    scoring: Mutex<Histogram>,
    /// New comments by the status the model and thresholds gave them.
    comments: [AtomicU64; 3],
    /// Moderator decisions that changed a comment, by decision.
    decisions: [AtomicU64; 2],
    /// Model reloads: [applied, refused].
    reloads: [AtomicU64; 2],
    /// Reader reports: [counted, repeated by the same reader, sent a comment back to the queue].
    reports: [AtomicU64; 3],
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: Mutex::new(Requests {
                counts: BTreeMap::new(),
                latency: BTreeMap::new(),
            }),
            scoring: Mutex::new(Histogram::new(SCORING_BUCKETS)),
            comments: Default::default(),
            decisions: Default::default(),
            reloads: Default::default(),
            reports: Default::default(),
        }
    }
}

fn status_index(status: CommentStatus) -> usize {
    match status {
        CommentStatus::Published => 0,
        CommentStatus::Held => 1,
        CommentStatus::Rejected => 2,
    }
}

/// Prometheus label values escape backslash, quote and newline.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl Metrics {
    pub fn observe_request(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        let mut r = self.requests.lock();
        *r.counts
            .entry((route.to_string(), method.to_string(), status))
            .or_default() += 1;
        r.latency
            .entry(route.to_string())
            .or_insert_with(|| Histogram::new(LATENCY_BUCKETS))
            .observe(elapsed.as_secs_f64());
    }

    pub fn observe_scoring(&self, elapsed: Duration) {
        self.scoring.lock().observe(elapsed.as_secs_f64());
    }

    pub fn comment_stored(&self, status: CommentStatus) {
        self.comments[status_index(status)].fetch_add(1, Ordering::Relaxed);
    }

    pub fn decision_applied(&self, decision: Decision) {
        let i = match decision {
            Decision::Approve => 0,
            Decision::Reject => 1,
        };
        self.decisions[i].fetch_add(1, Ordering::Relaxed);
    }

    /// One stored (or repeated) reader report, and whether it re-queued its comment.
    pub fn report_received(&self, counted: bool, requeued: bool) {
        self.reports[usize::from(!counted)].fetch_add(1, Ordering::Relaxed);
        if requeued {
            self.reports[2].fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn model_reload(&self, applied: bool) {
        self.reloads[usize::from(!applied)].fetch_add(1, Ordering::Relaxed);
    }

    pub fn render(&self, model_version: &str) -> String {
        let mut out = String::with_capacity(8 * 1024);
        out.push_str(
            "# HELP talkback_http_requests_total HTTP requests by route pattern, method and status.\n\
             # TYPE talkback_http_requests_total counter\n",
        );
        let (counts, latency) = {
            let r = self.requests.lock();
            (r.counts.clone(), r.latency.clone())
        };
        for ((route, method, status), n) in &counts {
            let _ = writeln!(
                out,
                "talkback_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                escape(route),
                escape(method)
            );
        }
        out.push_str(
            "# HELP talkback_http_request_duration_seconds Time from request to response.\n\
             # TYPE talkback_http_request_duration_seconds histogram\n",
        );
        for (route, h) in &latency {
            h.render(
                &mut out,
                "talkback_http_request_duration_seconds",
                &format!("route=\"{}\"", escape(route)),
            );
        }
        out.push_str(
            "# HELP talkback_comments_total New comments by the status the model gave them.\n\
             # TYPE talkback_comments_total counter\n",
        );
        for status in CommentStatus::ALL {
            let n = self.comments[status_index(status)].load(Ordering::Relaxed);
            let _ = writeln!(out, "talkback_comments_total{{status=\"{status}\"}} {n}");
        }
        out.push_str(
            "# HELP talkback_moderator_decisions_total Moderator decisions that changed a comment.\n\
             # TYPE talkback_moderator_decisions_total counter\n",
        );
        for (i, decision) in ["approve", "reject"].iter().enumerate() {
            let n = self.decisions[i].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "talkback_moderator_decisions_total{{decision=\"{decision}\"}} {n}"
            );
        }
        out.push_str(
            "# HELP talkback_reports_total Reader reports: counted, repeated (same reader, not counted), requeued (sent a published comment back to the queue).\n\
             # TYPE talkback_reports_total counter\n",
        );
        for (i, result) in ["counted", "repeated", "requeued"].iter().enumerate() {
            let n = self.reports[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "talkback_reports_total{{result=\"{result}\"}} {n}");
        }
        out.push_str(
            "# HELP talkback_scoring_duration_seconds Time to score one text with the model.\n\
             # TYPE talkback_scoring_duration_seconds histogram\n",
        );
        let scoring = self.scoring.lock().clone();
        scoring.render(&mut out, "talkback_scoring_duration_seconds", "");
        out.push_str(
            "# HELP talkback_model_reloads_total Model reloads by outcome (refused ones keep the old model).\n\
             # TYPE talkback_model_reloads_total counter\n",
        );
        for (i, result) in ["applied", "refused"].iter().enumerate() {
            let n = self.reloads[i].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "talkback_model_reloads_total{{result=\"{result}\"}} {n}"
            );
        }
        out.push_str(
            "# HELP talkback_model_info The model version serving requests.\n\
             # TYPE talkback_model_info gauge\n",
        );
        let _ = writeln!(
            out,
            "talkback_model_info{{version=\"{}\"}} 1",
            escape(model_version)
        );
        out
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
        let m = Metrics::default();
        m.observe_request("/v1/comments", "POST", 201, Duration::from_millis(3));
        m.observe_scoring(Duration::from_micros(40));
        m.comment_stored(CommentStatus::Held);
        m.report_received(true, true);
        m.report_received(false, false);
        let text = m.render("v\"1");
        assert!(text.contains(
            "talkback_http_requests_total{route=\"/v1/comments\",method=\"POST\",status=\"201\"} 1"
        ));
        assert!(text.contains(
            "talkback_http_request_duration_seconds_bucket{route=\"/v1/comments\",le=\"0.005\"} 1"
        ));
        assert!(text.contains("talkback_comments_total{status=\"held\"} 1"));
        for line in [
            "talkback_reports_total{result=\"counted\"} 1",
            "talkback_reports_total{result=\"repeated\"} 1",
            "talkback_reports_total{result=\"requeued\"} 1",
        ] {
            assert!(text.contains(line), "{line}");
        }
        assert!(text.contains("talkback_scoring_duration_seconds_count 1"));
        assert!(text.contains("talkback_model_info{version=\"v\\\"1\"} 1"));
    }
}
