//! Pre-moderation per article and surge detection over real HTTP (#21, requirement 6): a
//! moderator switches an article to pre-moderation and back; a burst of inciting comments on
//! one article switches it by itself; both are in the audit log, the list the queue shows and
//! the stats.

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};

/// Surge detection with a rule a test can reach quickly: four comments in ten minutes, half of
/// them flagged. Rejections off, so the model holds what it doubts and the queue shows it.
fn small_surge(c: &mut talkback::config::Config) {
    c.bars.reject = Some(Default::default());
    c.surge = talkback::config::parse_surge("window=10min,share=0.5,min=4").expect("rule");
}

fn switch_as(
    app: &TestApp,
    token: &str,
    article: &str,
    body: &Value,
) -> reqwest::blocking::Response {
    app.request(
        Method::PUT,
        &format!(
            "/v1/moderation/articles/{}/premoderation",
            path_segment(article)
        ),
    )
    .bearer_auth(token)
    .json(body)
    .send()
    .expect("request")
}

fn switch_ok(app: &TestApp, token: &str, article: &str, body: Value) -> Value {
    let r = switch_as(app, token, article, &body);
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

fn state(app: &TestApp, article: &str) -> Value {
    let r = app.get_as(
        ALICE,
        &format!(
            "/v1/moderation/articles/{}/premoderation",
            path_segment(article)
        ),
    );
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

fn listed(app: &TestApp) -> Vec<Value> {
    let r = app.get_as(ALICE, "/v1/moderation/premoderation");
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    v["articles"].as_array().unwrap().clone()
}

fn log(app: &TestApp, query: &str) -> Vec<Value> {
    let r = app.get_as(ALICE, &format!("/v1/moderation/log?{query}"));
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    v["entries"].as_array().unwrap().clone()
}

fn detail(app: &TestApp, id: &Value) -> Value {
    let id = id.as_str().unwrap();
    app.get_as(ALICE, &format!("/v1/moderation/comments/{id}"))
        .json()
        .unwrap()
}

#[test]
fn a_moderator_switches_an_article_to_premoderation_and_back() {
    let app = TestApp::start();
    let before = app.must_comment("2026/12/vote", CLEAN);
    assert_eq!(before["status"], "published");
    let off = state(&app, "2026/12/vote");
    assert_eq!(off["premoderated"], false);
    assert!(off["premoderation"].is_null(), "{off}");

    let on = switch_ok(
        &app,
        ALICE,
        "2026/12/vote",
        json!({"enabled": true, "reason": "election night"}),
    );
    assert_eq!(on["changed"], true);
    assert_eq!(on["premoderated"], true);
    assert_eq!(on["article_id"], "2026/12/vote");
    assert_eq!(on["premoderation"]["source"], "moderator");
    assert_eq!(on["premoderation"]["by"], "alice");
    assert_eq!(on["premoderation"]["reason"], "election night");
    // Asking again changes and records nothing.
    let log_len = app.log_len();
    let again = switch_ok(&app, BOB, "2026/12/vote", json!({"enabled": true}));
    assert_eq!(again["changed"], false);
    assert_eq!(again["premoderation"]["by"], "alice");
    assert_eq!(app.log_len(), log_len);

    // Every new comment is held with the reason, though the model would publish it, and still
    // scored; a retry of the post answers the same after the switch-off below.
    let r = app
        .request(Method::POST, "/v1/comments")
        .header("Idempotency-Key", "premod-1")
        .json(&json!({"article_id": "2026/12/vote", "author": "Dana", "body": CLEAN}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 201);
    let held: Value = r.json().unwrap();
    assert_eq!(held["status"], "held");
    assert_eq!(held["status_reason"], "article_premoderated");
    assert!(held["scores"]["abuse"].as_f64().is_some(), "{held}");
    let d = detail(&app, &held["id"]);
    assert_eq!(d["status"], "held");
    assert_eq!(
        d["auto_status"], "published",
        "the model's own verdict is kept"
    );
    assert_eq!(d["status_reason"], "article_premoderated");
    assert_eq!(d["history"][0]["action"], "auto_held");
    assert_eq!(d["history"][0]["reason"], "article_premoderated");
    // What the model holds anyway is held too, with the same reason.
    let abusive = app.must_comment("2026/12/vote", ABUSIVE);
    assert_ne!(abusive["status"], "published");
    assert_eq!(abusive["status_reason"], "article_premoderated");
    // Another article is not affected.
    let other = app.must_comment("2026/12/other", CLEAN);
    assert_eq!(other["status"], "published");
    assert!(other.get("status_reason").is_none(), "{other}");

    let queue: Value = app
        .get_as(
            ALICE,
            "/v1/moderation/queue?status=held&article_id=2026/12/vote",
        )
        .json()
        .unwrap();
    assert!(
        queue["comments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == held["id"] && c["status_reason"] == "article_premoderated"),
        "{queue}"
    );
    let list = listed(&app);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["article_id"], "2026/12/vote");
    assert_eq!(list[0]["premoderation"]["by"], "alice");
    assert!(list[0]["held"].as_u64().unwrap() >= 1);
    assert_eq!(app.stats()["articles"]["premoderated"], 1);
    assert_eq!(app.stats()["articles"]["by_surge"], 0);

    let back = switch_ok(
        &app,
        BOB,
        "2026/12/vote",
        json!({"enabled": false, "reason": "results are in"}),
    );
    assert_eq!(back["changed"], true);
    assert_eq!(back["premoderated"], false);
    assert!(back["premoderation"].is_null());
    assert!(listed(&app).is_empty());
    assert_eq!(app.stats()["articles"]["premoderated"], 0);
    let after = app.must_comment("2026/12/vote", CLEAN);
    assert_eq!(after["status"], "published");
    assert!(after.get("status_reason").is_none(), "{after}");
    // Switching back does not release what was held: moderators decide those.
    assert_eq!(detail(&app, &held["id"])["status"], "held");
    let retry = app
        .request(Method::POST, "/v1/comments")
        .header("Idempotency-Key", "premod-1")
        .json(&json!({"article_id": "2026/12/vote", "author": "Dana", "body": CLEAN}))
        .send()
        .unwrap();
    assert_eq!(retry.status(), 200);
    let retry: Value = retry.json().unwrap();
    assert_eq!(retry["status"], "held");
    assert_eq!(retry["status_reason"], "article_premoderated");

    // The audit log: who, what, which article, why; both are moderator actions.
    let entries = log(&app, "kind=moderator");
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e["actor"].as_str().unwrap(), e["action"].as_str().unwrap()))
        .collect();
    assert_eq!(
        actions,
        vec![("bob", "premoderation_off"), ("alice", "premoderation_on")]
    );
    let (off_entry, on_entry) = (&entries[0], &entries[1]);
    assert_eq!(on_entry["article_id"], "2026/12/vote");
    assert_eq!(on_entry["reason"], "election night");
    assert!(on_entry["comment_id"].is_null() && on_entry["after_status"].is_null());
    assert_eq!(off_entry["reason"], "results are in");
    assert!(
        off_entry["note"]
            .as_str()
            .unwrap()
            .starts_with("ended pre-moderation by alice"),
        "{off_entry}"
    );
    // The article filter finds the switches and the article's comments; the action filter too.
    let by_article = log(&app, "article_id=2026/12/vote");
    assert!(by_article.iter().any(|e| e["action"] == "premoderation_on"));
    assert!(by_article.iter().any(|e| e["action"] == "auto_held"));
    assert!(by_article.iter().all(|e| e["article_id"] == "2026/12/vote"));
    assert_eq!(log(&app, "action=premoderation_off").len(), 1);
    assert!(log(&app, "article_id=2026/12/other&action=premoderation_on").is_empty());
}

/// Flagged verdicts on one article: `n` inciting comments by different readers.
fn incite(app: &TestApp, article: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let (status, v) = app.comment(article, &format!("raider-{i}"), INCITING);
            assert_eq!(status, 201, "{v}");
            v
        })
        .collect()
}

#[test]
fn a_burst_of_inciting_comments_switches_one_article_to_premoderation() {
    let app = TestApp::start_with(small_surge);
    // One flagged comment alone is no surge, however large its share.
    let lone = incite(&app, "calm", 1);
    assert_eq!(lone[0]["status"], "held");
    assert!(lone[0].get("status_reason").is_none(), "{}", lone[0]);
    for _ in 0..3 {
        assert_eq!(app.must_comment("calm", CLEAN)["status"], "published");
    }

    app.must_comment("riot", CLEAN);
    app.must_comment("riot", CLEAN);
    let burst = incite(&app, "riot", 2);
    // The second inciting comment makes 2 of 4: a surge.
    assert!(burst[0].get("status_reason").is_none(), "{}", burst[0]);
    assert_eq!(burst[1]["status"], "held");
    assert_eq!(burst[1]["status_reason"], "article_premoderated");
    let clean = app.must_comment("riot", CLEAN);
    assert_eq!(clean["status"], "held", "every new comment waits now");
    assert_eq!(clean["status_reason"], "article_premoderated");
    // The other article is not affected.
    let calm = app.must_comment("calm", CLEAN);
    assert_eq!(calm["status"], "published");
    assert_eq!(state(&app, "calm")["premoderated"], false);

    let riot = state(&app, "riot");
    assert_eq!(riot["premoderated"], true);
    assert_eq!(riot["premoderation"]["source"], "surge");
    assert_eq!(riot["premoderation"]["by"], "surge");
    assert_eq!(
        riot["premoderation"]["reason"],
        "2 of 4 comments in the last 10 min flagged by the model"
    );
    let list = listed(&app);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["article_id"], "riot");
    assert_eq!(list[0]["premoderation"]["source"], "surge");
    assert_eq!(app.stats()["articles"]["by_surge"], 1);

    // In the log as an automatic event by `surge`, not a moderator action.
    let surges = log(&app, "action=surge_premoderation");
    assert_eq!(surges.len(), 1);
    assert_eq!(surges[0]["actor"], "surge");
    assert_eq!(surges[0]["article_id"], "riot");
    assert_eq!(surges[0]["note"], riot["premoderation"]["reason"]);
    assert!(
        log(&app, "kind=automatic")
            .iter()
            .any(|e| e["action"] == "surge_premoderation")
    );
    assert!(log(&app, "kind=moderator").is_empty());

    // A moderator switches it back. The burst they looked at does not switch it on again: only
    // comments after the switch-off count, so one more inciting comment is just held.
    let back = switch_ok(&app, ALICE, "riot", json!({"enabled": false}));
    assert_eq!(back["changed"], true);
    assert!(
        log(&app, "action=premoderation_off")[0]["note"]
            .as_str()
            .unwrap()
            .starts_with("ended surge pre-moderation"),
    );
    let one_more = incite(&app, "riot", 1);
    assert!(
        one_more[0].get("status_reason").is_none(),
        "{}",
        one_more[0]
    );
    assert_eq!(app.must_comment("riot", CLEAN)["status"], "published");
    assert_eq!(state(&app, "riot")["premoderated"], false);
    // A new burst after the switch-off does: 1 + 1 + 2 = 4 comments, 3 flagged.
    let second = incite(&app, "riot", 2);
    assert_eq!(second[1]["status_reason"], "article_premoderated");
    assert_eq!(log(&app, "action=surge_premoderation").len(), 2);
}

/// Posts arriving together go through the writer one after another in its batch: once the post
/// that completes the surge is stored, no later post is published, however many are in flight.
#[test]
fn concurrent_posts_cannot_race_past_the_switch() {
    let app = TestApp::start_with(small_surge);
    let base = app.base.clone();
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let base = base.clone();
            std::thread::spawn(move || {
                let body = if i % 2 == 0 { INCITING } else { CLEAN };
                let r = reqwest::blocking::Client::new()
                    .post(format!("{base}/v1/comments"))
                    .json(&json!({"article_id": "rush", "author": format!("r{i}"), "body": body}))
                    .send()
                    .expect("post");
                assert_eq!(r.status(), 201);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    // Oldest first: the surge entry, then nothing on that article published by itself.
    let mut entries = log(&app, "article_id=rush&limit=200");
    entries.reverse();
    let surge_at = entries
        .iter()
        .position(|e| e["action"] == "surge_premoderation")
        .expect("the burst switched the article");
    assert_eq!(
        entries
            .iter()
            .filter(|e| e["action"] == "surge_premoderation")
            .count(),
        1,
        "switched once"
    );
    assert!(
        entries[surge_at..]
            .iter()
            .all(|e| e["action"] != "auto_published"),
        "{entries:?}"
    );
}

/// The same burst posted through two instances sharing one PostgreSQL database at once: the
/// article's row lock makes the posts take turns on the surge counter, so it switches once and
/// no post stored after the switch is published. Skips without TALKBACK_TEST_POSTGRES.
#[test]
fn a_burst_through_two_instances_on_postgres_switches_the_article_once() {
    let Some(db) = PgDatabase::create() else {
        return;
    };
    let apps = [
        TestApp::start_on_database(Some(db.location()), small_surge),
        TestApp::start_on_database(Some(db.location()), small_surge),
    ];
    std::thread::scope(|s| {
        for i in 0..16 {
            let base = apps[i % 2].base.clone();
            s.spawn(move || {
                let body = if i % 2 == 0 { INCITING } else { CLEAN };
                let r = reqwest::blocking::Client::new()
                    .post(format!("{base}/v1/comments"))
                    .json(&json!({"article_id": "raid", "author": format!("r{i}"), "body": body}))
                    .send()
                    .expect("post");
                assert_eq!(r.status(), 201);
            });
        }
    });
    let mut entries = log(&apps[1], "article_id=raid&limit=200");
    entries.reverse();
    let surges: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e["action"] == "surge_premoderation")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(surges.len(), 1, "switched once: {entries:?}");
    assert!(
        entries[surges[0]..]
            .iter()
            .all(|e| e["action"] != "auto_published"),
        "{entries:?}"
    );
    assert_eq!(state(&apps[0], "raid")["premoderation"]["source"], "surge");
    let late = apps[0].must_comment("raid", CLEAN);
    assert_eq!(late["status_reason"], "article_premoderated");
}

#[test]
fn bad_switches_are_refused_and_change_nothing() {
    let app = TestApp::start();
    app.must_comment("story", CLEAN);
    let (total, log_len) = (app.total_comments(), app.log_len());
    let path = "/v1/moderation/articles/story/premoderation";
    // An article no comment was posted on.
    expect_error(
        switch_as(&app, ALICE, "never-posted", &json!({"enabled": true})),
        404,
        "article_not_found",
    );
    expect_error(
        app.get_as(ALICE, "/v1/moderation/articles/never-posted/premoderation"),
        404,
        "article_not_found",
    );
    for (body, code, field) in [
        (json!({}), "invalid_field", None),
        (json!({"enabled": "yes"}), "invalid_field", None),
        (json!({"enabled": null}), "invalid_field", None),
        (
            json!({"enabled": true, "reason": "x".repeat(501)}),
            "too_long",
            Some("reason"),
        ),
        (
            json!({"enabled": true, "reason": "a\u{0}b"}),
            "control_character",
            Some("reason"),
        ),
        (json!({"enabled": true, "reason": 7}), "invalid_field", None),
    ] {
        let err = expect_error(switch_as(&app, ALICE, "story", &body), 400, code);
        if let Some(field) = field {
            assert_eq!(err["field"], field, "{body}");
        }
    }
    expect_error(
        switch_as(&app, ALICE, "bad id!", &json!({"enabled": true})),
        400,
        "invalid_article_id",
    );
    let not_json = app
        .request(Method::PUT, path)
        .bearer_auth(ALICE)
        .body("enabled=true")
        .send()
        .unwrap();
    expect_error(not_json, 415, "unsupported_media_type");
    let anonymous = app
        .request(Method::PUT, path)
        .json(&json!({"enabled": true}))
        .send()
        .unwrap();
    expect_error(anonymous, 401, "unauthorized");
    expect_error(
        switch_as(
            &app,
            "not-a-moderator-token",
            "story",
            &json!({"enabled": true}),
        ),
        403,
        "forbidden",
    );
    expect_error(
        app.request(Method::DELETE, path)
            .bearer_auth(ALICE)
            .send()
            .unwrap(),
        405,
        "method_not_allowed",
    );
    assert_eq!(state(&app, "story")["premoderated"], false);
    assert_eq!((app.total_comments(), app.log_len()), (total, log_len));
    assert!(listed(&app).is_empty());
    // POST works like PUT.
    let r = app.post_as(ALICE, path, &json!({"enabled": true}));
    assert_eq!(r.status(), 200);
}

#[test]
fn stats_count_restricted_authors_and_premoderated_articles() {
    let app = TestApp::start();
    for (author, article) in [("u-1", "a"), ("u-2", "b"), ("u-3", "c")] {
        app.comment_by(author, article, CLEAN);
    }
    let s = app.stats();
    assert_eq!(s["authors"], json!({"suspended": 0, "banned": 0}));
    assert_eq!(s["articles"], json!({"premoderated": 0, "by_surge": 0}));
    for (author, body) in [
        (
            "u-1",
            json!({"action": "suspend", "duration_seconds": 3600, "reason": "cool off"}),
        ),
        ("u-2", json!({"action": "ban", "reason": "spam"})),
    ] {
        assert_eq!(app.restrict(ALICE, author, &body).status(), 200);
    }
    switch_ok(&app, ALICE, "c", json!({"enabled": true}));
    let s = app.stats();
    assert_eq!(s["authors"], json!({"suspended": 1, "banned": 1}));
    assert_eq!(s["articles"], json!({"premoderated": 1, "by_surge": 0}));
    // A suspended author's comment on a pre-moderated article names the author's reason.
    let v = app.comment_by("u-1", "c", CLEAN);
    assert_eq!(v["status"], "held");
    assert_eq!(v["status_reason"], "author_suspended");
}
