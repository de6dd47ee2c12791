//! Operations: health, readiness, metrics, restart on the same database, rate limiting, storage
//! failures.

use crate::common::*;
use serde_json::{Value, json};

#[test]
fn health_readiness_and_metrics() {
    let app = TestApp::start();
    let h: Value = app.get("/healthz").json().unwrap();
    assert_eq!(h["status"], "ok");
    let r = app.get("/readyz");
    assert_eq!(r.status(), 200);
    let ready: Value = r.json().unwrap();
    assert_eq!(ready["status"], "ready");
    let version = ready["model_version"].as_str().unwrap().to_string();
    assert!(!version.is_empty());

    app.must_comment("ops", CLEAN);
    app.post("/v1/score", &json!({ "text": CLEAN }));
    let r = app.get("/metrics");
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = r.text().unwrap();
    for needle in [
        // Labels in name order, as the prometheus crate writes them (Prometheus reads a set).
        "talkback_http_requests_total{method=\"POST\",route=\"/v1/comments\",status=\"201\"} 1",
        "talkback_http_request_duration_seconds_bucket{route=\"/v1/comments\",le=\"+Inf\"} 1",
        "talkback_comments_total{status=\"published\"} 1",
        "talkback_scoring_duration_seconds_count 2",
        &format!("talkback_model_info{{version=\"{version}\"}} 1"),
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
}

#[test]
fn restart_keeps_everything_and_migrates_once() {
    let app = TestApp::start();
    let clean = app.must_comment("persist", CLEAN);
    let key_body =
        json!({ "article_id": "persist", "author": "kim", "body": "Keyed comment, thanks." });
    let keyed = app
        .request(reqwest::Method::POST, "/v1/comments")
        .header("Idempotency-Key", "k-restart")
        .json(&key_body)
        .send()
        .unwrap();
    assert_eq!(keyed.status(), 201);
    let keyed: Value = keyed.json().unwrap();
    let stats_before = app.stats();
    let log_before = app.log_len();

    let app = app.restart();
    assert_eq!(app.stats()["comments"], stats_before["comments"]);
    assert_eq!(app.log_len(), log_before);
    let list: Value = app.get("/v1/articles/persist/comments").json().unwrap();
    assert_eq!(list["comments"][0]["id"], clean["id"]);
    // The idempotency record survives too.
    let retry = app
        .request(reqwest::Method::POST, "/v1/comments")
        .header("Idempotency-Key", "k-restart")
        .json(&key_body)
        .send()
        .unwrap();
    assert_eq!(retry.status(), 200);
    assert_eq!(retry.json::<Value>().unwrap()["id"], keyed["id"]);

    let app = app.restart();
    let conn = rusqlite::Connection::open(app.db_path()).unwrap();
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        rows as usize,
        talkback::storage::MIGRATIONS.len(),
        "each migration recorded once"
    );
}

fn tight_limits(c: &mut talkback::config::Config) {
    c.rate_limits = talkback::config::parse_rate_limits("author=2/min,address=100/min").unwrap();
}

#[test]
fn posting_is_rate_limited_per_author_with_retry_after() {
    let app = TestApp::start_with(tight_limits);
    assert_eq!(app.comment("rl", "flood", CLEAN).0, 201);
    assert_eq!(app.comment("rl", "Flood", CLEAN).0, 201);
    let r = app.post(
        "/v1/comments",
        &json!({ "article_id": "rl", "author": "flood", "body": CLEAN }),
    );
    let retry_after: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    expect_error(r, 429, "rate_limited");
    // Another author from the same address is fine; the refused post was not stored.
    assert_eq!(app.comment("rl", "calm", CLEAN).0, 201);
    assert_eq!(app.total_comments(), 3);
}

#[test]
fn storage_failure_answers_503_and_the_service_recovers() {
    let app = TestApp::start();
    // Another process holds the database's write lock past the busy timeout (5 s): the post
    // cannot be committed, so it must not be acknowledged.
    let blocker = rusqlite::Connection::open(app.db_path()).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let r = app.post(
        "/v1/comments",
        &json!({ "article_id": "down", "author": "x", "body": CLEAN }),
    );
    assert!(r.headers().contains_key("retry-after"));
    expect_error(r, 503, "storage_unavailable");
    blocker.execute_batch("ROLLBACK").unwrap();

    assert_eq!(app.get("/readyz").status(), 200);
    assert_eq!(app.must_comment("down", CLEAN)["status"], "published");
    assert_eq!(app.total_comments(), 1, "the refused post was not stored");
}

#[test]
fn damaged_stored_data_answers_500_without_the_cause() {
    let app = TestApp::start();
    let id = app.must_comment("damaged", CLEAN)["id"]
        .as_str()
        .expect("id")
        .to_string();
    // A row the service cannot decode is a bug or damage, not a reason to tell the client to
    // retry: 500, with SQLite's and serde's messages kept out of the body.
    let db = rusqlite::Connection::open(app.db_path()).unwrap();
    db.execute(
        "UPDATE comments SET scores = 'not json' WHERE id = ?1",
        [&id],
    )
    .unwrap();
    let r = app.get_as(ALICE, &format!("/v1/moderation/comments/{id}"));
    assert!(!r.headers().contains_key("retry-after"));
    let error = expect_error(r, 500, "internal");
    assert_eq!(error["message"], "internal error", "{error}");
    for leak in ["json", "column", "scores", "Conversion"] {
        assert!(!error.to_string().contains(leak), "{error}");
    }
    // Other comments are still served.
    assert_eq!(app.must_comment("damaged", CLEAN)["status"], "published");
    assert_eq!(app.get("/readyz").status(), 200);
}

fn request_id(r: &reqwest::blocking::Response) -> String {
    r.headers()
        .get("x-request-id")
        .expect("every response carries X-Request-Id")
        .to_str()
        .expect("ASCII")
        .to_string()
}

fn is_generated(id: &str) -> bool {
    uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 4)
}

#[test]
fn request_ids_are_generated_echoed_or_replaced() {
    let app = TestApp::start();
    let first = request_id(&app.get("/healthz"));
    let second = request_id(&app.get("/healthz"));
    assert!(is_generated(&first), "{first}");
    assert_ne!(first, second);

    let given = "edge-7f3a.1:checkout";
    let r = app
        .request(reqwest::Method::GET, "/healthz")
        .header("X-Request-Id", given)
        .send()
        .unwrap();
    assert_eq!(request_id(&r), given);

    let too_long = "a".repeat(129);
    let insane: [&[u8]; 4] = [
        too_long.as_bytes(),
        b"tab\tinside",
        b"two words",
        b"caf\xc3\xa9",
    ];
    for sent in insane {
        let r = app
            .request(reqwest::Method::GET, "/healthz")
            .header(
                "X-Request-Id",
                reqwest::header::HeaderValue::from_bytes(sent).unwrap(),
            )
            .send()
            .unwrap();
        let id = request_id(&r);
        assert!(is_generated(&id), "{sent:?} was kept as {id}");
    }
}

#[test]
fn error_bodies_carry_the_request_id() {
    let app = TestApp::start();
    let r = app
        .request(reqwest::Method::POST, "/v1/comments")
        .header("X-Request-Id", "client-supplied-1")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .unwrap();
    assert_eq!(request_id(&r), "client-supplied-1");
    let error = expect_error(r, 400, "invalid_json");
    assert_eq!(error["request_id"], "client-supplied-1");

    let r = app.get("/no/such/route");
    let id = request_id(&r);
    assert_eq!(expect_error(r, 404, "not_found")["request_id"], id.as_str());
}

/// Each sample's name and its label names (values dropped), from the text exposition.
fn sample_shapes(text: &str) -> std::collections::BTreeSet<(String, Vec<String>)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|line| {
            let name_end = line.find(['{', ' ']).unwrap_or(line.len());
            // Values may hold `{`, `}` and `,` (route patterns), never `",`.
            let mut labels: Vec<String> = match (line[name_end..].starts_with('{'), line.rfind('}'))
            {
                (true, Some(end)) => line[name_end + 1..end]
                    .split("\",")
                    .filter_map(|pair| pair.split("=\"").next())
                    .map(str::to_string)
                    .collect(),
                _ => Vec::new(),
            };
            labels.sort();
            (line[..name_end].to_string(), labels)
        })
        .collect()
}

/// Dashboards and alerts key on these names, types and label names: any rename fails here.
#[test]
fn metrics_keep_their_names_types_and_labels() {
    let app = TestApp::start();
    let posted = app.must_comment("metrics", CLEAN);
    let id = posted["id"].as_str().unwrap();
    assert_eq!(app.report(id, &json!({ "reason": "spam" })).0, 201);
    let r = app.post_as(
        ALICE,
        &format!("/v1/moderation/comments/{id}/decision"),
        &json!({ "decision": "reject", "reason": "spam" }),
    );
    assert_eq!(r.status(), 200);
    let text = app.get("/metrics").text().unwrap();

    let types = [
        ("talkback_http_requests_total", "counter"),
        ("talkback_http_request_duration_seconds", "histogram"),
        ("talkback_comments_total", "counter"),
        ("talkback_moderator_decisions_total", "counter"),
        ("talkback_reports_total", "counter"),
        ("talkback_scoring_duration_seconds", "histogram"),
        ("talkback_model_reloads_total", "counter"),
        ("talkback_model_info", "gauge"),
    ];
    for (name, kind) in types {
        assert!(
            text.contains(&format!("# TYPE {name} {kind}\n")),
            "{name} {kind} in\n{text}"
        );
    }
    let shape = |name: &str, labels: &[&str]| {
        let mut labels: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
        labels.sort();
        (name.to_string(), labels)
    };
    let expected: std::collections::BTreeSet<_> = [
        shape(
            "talkback_http_requests_total",
            &["route", "method", "status"],
        ),
        shape(
            "talkback_http_request_duration_seconds_bucket",
            &["route", "le"],
        ),
        shape("talkback_http_request_duration_seconds_sum", &["route"]),
        shape("talkback_http_request_duration_seconds_count", &["route"]),
        shape("talkback_comments_total", &["status"]),
        shape("talkback_moderator_decisions_total", &["decision"]),
        shape("talkback_reports_total", &["result"]),
        shape("talkback_scoring_duration_seconds_bucket", &["le"]),
        shape("talkback_scoring_duration_seconds_sum", &[]),
        shape("talkback_scoring_duration_seconds_count", &[]),
        shape("talkback_model_reloads_total", &["result"]),
        shape("talkback_model_info", &["version"]),
    ]
    .into_iter()
    .collect();
    assert_eq!(sample_shapes(&text), expected, "{text}");
    for line in [
        "talkback_moderator_decisions_total{decision=\"reject\"} 1",
        "talkback_reports_total{result=\"counted\"} 1",
        "talkback_comments_total{status=\"rejected\"} 0",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
}
