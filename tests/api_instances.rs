//! Several stateless instances on one PostgreSQL database (issue #22 requirement 3), over real
//! HTTP: what one stores every one serves, one Idempotency-Key sent to two instances at once
//! creates one comment, and two moderators deciding one comment on two instances at once: one
//! wins, the other gets 409. Skips (with a SKIP line) without TALKBACK_TEST_POSTGRES.

mod common;

use common::*;
use reqwest::blocking::Response;
use serde_json::{Value, json};

/// Hold everything doubtful instead of rejecting it, so every abusive post lands in the queue.
fn no_reject(c: &mut talkback::config::Config) {
    c.thresholds.reject.clear();
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
    let Some(db) = PgDatabase::create("three_instances_share_one_postgres_database") else {
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
