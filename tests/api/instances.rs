//! Several stateless instances on one PostgreSQL database (issue #22 requirement 3), over real
//! HTTP: what one stores every one serves, one Idempotency-Key sent to two instances at once
//! creates one comment, and two moderators deciding one comment on two instances at once: one
//! wins, the other gets 409. Skips (with a SKIP line) without TALKBACK_TEST_POSTGRES.

use crate::common::*;
use reqwest::blocking::Response;
use serde_json::{Value, json};

/// Hold everything doubtful instead of rejecting it, so every abusive post lands in the queue.
fn no_reject(c: &mut talkback::config::Config) {
    c.bars.reject = Some(Default::default());
}

fn queue_ids(app: &TestApp) -> Vec<String> {
    let r = app.get_as(ALICE, "/v1/moderation/queue?status=held&limit=100");
    assert_eq!(r.status(), 200);
    let v: Value = r.json().expect("queue JSON");
    v["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

/// Run `a` and `b` at the same moment (both wait at a barrier first).
fn at_once<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    let barrier = std::sync::Barrier::new(2);
    std::thread::scope(|s| {
        let x = s.spawn(|| {
            barrier.wait();
            a()
        });
        let y = s.spawn(|| {
            barrier.wait();
            b()
        });
        (x.join().expect("first"), y.join().expect("second"))
    })
}

#[test]
fn three_instances_share_one_postgres_database() {
    let Some(db) = PgDatabase::create() else {
        return;
    };
    // Started together: the migrations' advisory lock lets exactly one create the schema.
    let apps: Vec<TestApp> = std::thread::scope(|s| {
        let starting: Vec<_> = (0..3)
            .map(|_| s.spawn(|| TestApp::start_on_database(Some(db.location()), no_reject)))
            .collect();
        starting
            .into_iter()
            .map(|h| h.join().expect("instance starts"))
            .collect()
    });

    // Posted through one, in every instance's queue.
    let posted = apps[0].must_comment("story-1", ABUSIVE);
    assert_eq!(posted["status"], "held", "{posted}");
    let id = posted["id"].as_str().expect("id").to_string();
    for app in &apps {
        assert!(queue_ids(app).contains(&id), "{}", app.base);
    }

    // One Idempotency-Key sent to two instances at once: one comment, both answer with it.
    for round in 0..5 {
        let key = format!("retry-{round}");
        let body = json!({ "article_id": "story-2", "author": "ann", "body": CLEAN });
        let send = |app: &TestApp| -> (u16, Value) {
            let r = app
                .request(reqwest::Method::POST, "/v1/comments")
                .header("Idempotency-Key", key.as_str())
                .json(&body)
                .send()
                .expect("request");
            (r.status().as_u16(), r.json().expect("JSON"))
        };
        let ((s1, v1), (s2, v2)) = at_once(|| send(&apps[1]), || send(&apps[2]));
        let mut statuses = [s1, s2];
        statuses.sort();
        assert_eq!(statuses, [200, 201], "{v1} {v2}");
        assert_eq!(v1["id"], v2["id"]);
    }
    assert_eq!(apps[2].total_comments(), 6);

    // Two moderators deciding one comment on two instances at once: one wins, one gets 409.
    for article in ["story-3", "story-4", "story-5"] {
        let id = apps[0].must_comment(article, ABUSIVE)["id"]
            .as_str()
            .expect("id")
            .to_string();
        let path = format!("/v1/moderation/comments/{id}/decision");
        let decide = |app: &TestApp, token: &str, body: Value| -> Response {
            app.post_as(token, &path, &body)
        };
        let (a, b) = at_once(
            || decide(&apps[1], ALICE, json!({ "decision": "approve" })),
            || {
                decide(
                    &apps[2],
                    BOB,
                    json!({ "decision": "reject", "reason": "threat" }),
                )
            },
        );
        let (winner, loser) = if a.status() == 200 { (a, b) } else { (b, a) };
        assert_eq!(winner.status(), 200);
        expect_error(loser, 409, "decision_conflict");
        let detail: Value = apps[0]
            .get_as(ALICE, &format!("/v1/moderation/comments/{id}"))
            .json()
            .expect("detail JSON");
        assert_eq!(detail["decisions"].as_array().expect("decisions").len(), 1);
    }
    drop(apps);
}

/// `n` instances on one fresh database, started together.
fn instances(db: &PgDatabase, n: usize, tweak: fn(&mut talkback::config::Config)) -> Vec<TestApp> {
    std::thread::scope(|s| {
        let starting: Vec<_> = (0..n)
            .map(|_| s.spawn(|| TestApp::start_on_database(Some(db.location()), tweak)))
            .collect();
        starting
            .into_iter()
            .map(|h| h.join().expect("instance starts"))
            .collect()
    })
}

/// `GET queue/updates` for the held queue: (status, ETag, body).
fn updates(app: &TestApp, since: Option<&str>, etag: Option<&str>) -> (u16, Option<String>, Value) {
    let path = match since {
        Some(since) => format!("/v1/moderation/queue/updates?status=held&since={since}"),
        None => "/v1/moderation/queue/updates?status=held".to_string(),
    };
    let mut request = app.request(reqwest::Method::GET, &path).bearer_auth(ALICE);
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    let r = request.send().expect("request");
    let status = r.status().as_u16();
    let tag = r
        .headers()
        .get("ETag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = if status == 200 {
        r.json().expect("JSON")
    } else {
        Value::Null
    };
    (status, tag, body)
}

fn new_ids(v: &Value) -> Vec<String> {
    v["new_ids"]
        .as_array()
        .expect("new_ids")
        .iter()
        .map(|id| id.as_str().expect("id").to_string())
        .collect()
}

/// The live queue on one instance lists comments posted through another, including one whose
/// transaction drew its number before a later comment's and committed after it: the watermark
/// does not move past it and the ETag does not hide it.
#[test]
fn live_queue_sees_comments_committed_late_on_another_instance() {
    let Some(db) = PgDatabase::create() else {
        return;
    };
    let apps = instances(&db, 2, no_reject);
    let first = apps[0].must_comment("story-1", ABUSIVE);
    let first_id = first["id"].as_str().expect("id");
    let (status, _, v) = updates(&apps[1], None, None);
    assert_eq!(status, 200, "{v}");
    let since = v["watermark"].as_str().expect("watermark").to_string();

    // A writer on another instance: its comment and audit entry draw their numbers now and
    // commit only after a later comment has committed.
    let late = uuid::Uuid::now_v7().to_string();
    let writer = PgSession::connect(&db.location());
    writer.execute(&format!(
        "BEGIN;
         INSERT INTO comments (id, article_id, author, body, status, auto_status, max_score,
             scores, reasons, model_version, thresholds, created_at, created_ms, updated_at)
         SELECT '{late}', article_id, author, body, status, auto_status, max_score, scores,
             reasons, model_version, thresholds, created_at, created_ms, updated_at
         FROM comments WHERE id = '{first_id}';
         INSERT INTO audit_log (at, actor, action, comment_id, after_status)
         VALUES ('2026-12-04T00:00:00.000Z', 'system', 'auto_hold', '{late}', 'held');"
    ));
    let second = apps[0].must_comment("story-1", INCITING);
    let second_id = second["id"].as_str().expect("id").to_string();

    let (status, etag, v) = updates(&apps[1], Some(&since), None);
    assert_eq!(status, 200, "{v}");
    assert_eq!(new_ids(&v), vec![second_id.clone()]);
    // Whether the late writer will commit below the last entry cannot be known: no tag.
    assert_eq!(etag, None);
    let since = v["watermark"].as_str().expect("watermark").to_string();

    writer.execute("COMMIT");
    // Asked of the other instance, with the watermark of the answer that could not see the
    // late comment: it is listed.
    let (status, _, v) = updates(&apps[0], Some(&since), None);
    assert_eq!(status, 200, "{v}");
    let listed = new_ids(&v);
    assert!(listed.contains(&late), "{listed:?} lacks {late}");

    // Once settled, a tag is sent and the same poll with it is a 304. (Another test's
    // transaction on the shared server can keep positions unsettled for a moment: no tag then.)
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut tag = None;
    let mut not_modified = false;
    while !not_modified {
        assert!(std::time::Instant::now() < deadline, "never settled");
        let (status, etag, _) = updates(&apps[1], Some(&since), tag.as_deref());
        not_modified = status == 304;
        if status == 200 {
            tag = etag;
        }
    }
    drop(apps);
}

const ADMIN: &str = "admin-token-00000001";

fn ready_version(app: &TestApp) -> String {
    let v: Value = app.get("/readyz").json().expect("readyz JSON");
    v["model_version"]
        .as_str()
        .expect("model_version")
        .to_string()
}

/// A reload through one instance (after `models/current` on the shared models folder moved)
/// is served by every instance within a few polls.
#[test]
fn a_model_reload_on_one_instance_reaches_every_instance() {
    let Some(db) = PgDatabase::create() else {
        return;
    };
    let models = tempfile::tempdir().expect("temp dir");
    copy_model(models.path(), "2099-01-01-first");
    copy_model(models.path(), "2099-01-02-second");
    std::fs::write(models.path().join("current"), "2099-01-01-first").expect("current");
    let root = models.path().to_path_buf();
    let tweak: Tweak = std::sync::Arc::new(move |c: &mut talkback::config::Config| {
        c.model = root.clone();
        c.rollout_poll = std::time::Duration::from_millis(100);
        c.admins = vec![talkback::config::Credential {
            name: "ops".into(),
            secret: ADMIN.into(),
        }];
    });
    let apps: Vec<TestApp> = std::thread::scope(|s| {
        let starting: Vec<_> = (0..3)
            .map(|_| {
                let tweak = tweak.clone();
                s.spawn(|| TestApp::start_configured(Some(db.location()), tweak))
            })
            .collect();
        starting
            .into_iter()
            .map(|h| h.join().expect("instance starts"))
            .collect()
    });
    for app in &apps {
        assert_eq!(ready_version(app), "2099-01-01-first");
    }

    std::fs::write(models.path().join("current"), "2099-01-02-second").expect("current");
    let r = apps[1].post_as(ADMIN, "/v1/admin/model/reload", &json!({}));
    assert_eq!(r.status(), 200);
    let body: Value = r.json().expect("JSON");
    assert_eq!(body["version"], "2099-01-02-second", "{body}");

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    for app in &apps {
        while ready_version(app) != "2099-01-02-second" {
            assert!(
                std::time::Instant::now() < deadline,
                "{} still serves {}",
                app.base,
                ready_version(app)
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let metrics = app.get("/metrics").text().expect("metrics");
        assert!(
            metrics.contains("talkback_model_info{version=\"2099-01-02-second\"} 1"),
            "{metrics}"
        );
    }
    // A new scoring reaches the new version on an instance that did not reload itself.
    let posted = apps[2].must_comment("story-1", CLEAN);
    assert_eq!(posted["model_version"], "2099-01-02-second");
    drop(apps);
}

/// The per-author limit holds across instances: posts spread over three instances share one
/// allowance, kept in the database.
#[test]
fn the_author_rate_limit_holds_across_instances() {
    let Some(db) = PgDatabase::create() else {
        return;
    };
    fn three_a_minute(c: &mut talkback::config::Config) {
        c.rate_limits = talkback::config::RateLimits {
            per_author: Some(talkback::config::Rate {
                count: 3,
                per: std::time::Duration::from_secs(60),
            }),
            per_address: None,
        };
    }
    let apps = instances(&db, 3, three_a_minute);
    let mut statuses = Vec::new();
    for round in 0..6 {
        let (status, v) = apps[round % 3].comment("story-1", "Troll", CLEAN);
        if status == 429 {
            assert_eq!(v["error"]["code"], "rate_limited", "{v}");
        }
        statuses.push(status);
    }
    assert_eq!(statuses, [201, 201, 201, 429, 429, 429]);
    // Case-folded, as on one instance; another author has an allowance of their own.
    assert_eq!(apps[0].comment("story-1", "troll", CLEAN).0, 429);
    assert_eq!(apps[0].comment("story-1", "someone else", CLEAN).0, 201);
    drop(apps);
}
