//! Context and authors over real HTTP (#21, requirements 4 and 5): `author_id`, the article's
//! URL and title stored once per article, replies with their parent in the queue, the author
//! panel, and suspending, banning and reinstating an author, with what that does to their new
//! comments and the audit log.

use crate::common::*;
use serde_json::{Value, json};

/// Hold everything doubtful instead of rejecting it, so an abusive post waits in the queue.
fn no_reject(c: &mut talkback::config::Config) {
    c.bars.reject = Some(Default::default());
}

fn queue(app: &TestApp, query: &str) -> Vec<Value> {
    let r = app.get_as(ALICE, &format!("/v1/moderation/queue?{query}"));
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    v["comments"].as_array().unwrap().clone()
}

fn detail(app: &TestApp, id: &str) -> Value {
    app.get_as(ALICE, &format!("/v1/moderation/comments/{id}"))
        .json()
        .unwrap()
}

fn log(app: &TestApp, query: &str) -> Vec<Value> {
    let v: Value = app
        .get_as(ALICE, &format!("/v1/moderation/log?{query}"))
        .json()
        .unwrap();
    v["entries"].as_array().unwrap().clone()
}

fn panel(app: &TestApp, author_id: &str) -> Value {
    let r = app.author(author_id);
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

fn restrict_ok(app: &TestApp, author_id: &str, body: Value) -> Value {
    let r = app.restrict(ALICE, author_id, &body);
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

#[test]
fn author_id_and_article_url_and_title_are_stored_once_and_returned() {
    let app = TestApp::start_with(no_reject);
    let (status, first) = app.post_comment(&json!({
        "article_id": "2026/11/rocket-fire", "author": "Dana", "author_id": " user-4711 ",
        "body": CLEAN, "article_url": "https://news.example/2026/11/rocket-fire",
        "article_title": "Rocket fire over the border", "title": "My view"
    }));
    assert_eq!(status, 201, "{first}");
    assert!(first.get("status_reason").is_none(), "{first}");
    // A later post with another URL and title does not change what is stored.
    let (status, second) = app.post_comment(&json!({
        "article_id": "2026/11/rocket-fire", "author": "Lee", "author_id": "user-8",
        "body": ABUSIVE, "article_url": "https://news.example/rocket?utm_source=app",
        "article_title": "Rockets (updated)", "parent_id": id_of(&first)
    }));
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["status"], "held");

    let held = queue(&app, "status=held");
    assert_eq!(held.len(), 1);
    let card = &held[0];
    assert_eq!(card["author_id"], "user-8");
    assert_eq!(
        card["article"],
        json!({"url": "https://news.example/2026/11/rocket-fire", "title": "Rocket fire over the border"})
    );
    // The reply carries its parent, so a moderator reads it in context.
    assert_eq!(card["parent"]["id"], first["id"]);
    assert_eq!(card["parent"]["author"], "Dana");
    assert_eq!(card["parent"]["excerpt"], CLEAN);
    assert_eq!(card["parent"]["status"], "published");

    let d = detail(&app, &id_of(&first));
    assert_eq!(d["author_id"], "user-4711", "trimmed like every field");
    assert_eq!(d["title"], "My view", "the comment's own title is apart");
    assert_eq!(d["article"]["title"], "Rocket fire over the border");
    assert!(d.get("parent").is_none());

    // An article first described without a title gets one from a later post.
    app.post_comment(&json!({"article_id": "b", "author": "x", "body": ABUSIVE,
        "article_url": "https://news.example/b"}));
    app.post_comment(&json!({"article_id": "b", "author": "y", "body": ABUSIVE,
        "article_title": "Bee story", "article_url": "https://other.example/b"}));
    for c in queue(&app, "status=held&article_id=b") {
        assert_eq!(
            c["article"],
            json!({"url": "https://news.example/b", "title": "Bee story"})
        );
    }
    // Without any of it, a comment has neither author id nor article info.
    let plain = app.must_comment("c", ABUSIVE);
    let d = detail(&app, &id_of(&plain));
    assert!(
        d.get("author_id").is_none() && d.get("article").is_none(),
        "{d}"
    );
    // The author panel finds both authors by their ids.
    assert_eq!(panel(&app, "user-4711")["display_name"], "Dana");
    assert_eq!(panel(&app, "user-8")["counts"]["held"], 1);
}

#[test]
fn bad_author_ids_urls_titles_and_parents_are_refused_and_change_nothing() {
    let app = TestApp::start();
    let parent = app.must_comment("story-p", CLEAN);
    let other_article = app.must_comment("story-q", CLEAN);
    let (total, log_len) = (app.total_comments(), app.log_len());
    let base = json!({"article_id": "story-p", "author": "Dana", "body": CLEAN});
    let with = |field: &str, value: Value| {
        let mut b = base.clone();
        b[field] = value;
        b
    };
    for (body, status, code, field) in [
        (
            with("author_id", json!("")),
            400,
            "empty_field",
            "author_id",
        ),
        (
            with("author_id", json!("  ")),
            400,
            "empty_field",
            "author_id",
        ),
        (
            with("author_id", json!("x".repeat(129))),
            400,
            "too_long",
            "author_id",
        ),
        (
            with("author_id", json!("user\u{0}7")),
            400,
            "control_character",
            "author_id",
        ),
        (
            with("author_id", json!("user\t7")),
            400,
            "control_character",
            "author_id",
        ),
        (
            with("author_id", json!(4711)),
            400,
            "invalid_field",
            "author_id",
        ),
        (
            with("article_url", json!("javascript:alert(1)")),
            400,
            "invalid_url",
            "article_url",
        ),
        (
            with("article_url", json!("ftp://news.example/a")),
            400,
            "invalid_url",
            "article_url",
        ),
        (
            with("article_url", json!("news.example/a")),
            400,
            "invalid_url",
            "article_url",
        ),
        (
            with("article_url", json!("https:///nohost")),
            400,
            "invalid_url",
            "article_url",
        ),
        (
            with("article_url", json!("https://news.example/a b")),
            400,
            "invalid_url",
            "article_url",
        ),
        (
            with(
                "article_url",
                json!(format!("https://news.example/{}", "a".repeat(2048))),
            ),
            400,
            "too_long",
            "article_url",
        ),
        (
            with("article_url", json!(["https://news.example/"])),
            400,
            "invalid_field",
            "article_url",
        ),
        (
            with("article_title", json!("t".repeat(301))),
            400,
            "too_long",
            "article_title",
        ),
        (
            with("article_title", json!("a\u{1b}b")),
            400,
            "control_character",
            "article_title",
        ),
        (
            with("parent_id", json!("not-a-uuid")),
            400,
            "invalid_id",
            "parent_id",
        ),
        (
            with("parent_id", json!("01900000-0000-7000-8000-000000000000")),
            422,
            "unknown_parent",
            "parent_id",
        ),
        (
            with("parent_id", other_article["id"].clone()),
            422,
            "unknown_parent",
            "parent_id",
        ),
    ] {
        let e = expect_error(app.post("/v1/comments", &body), status, code);
        assert_eq!(e["field"], field, "{body}");
    }
    // The same comment with good values is accepted, so the refusals were about those values.
    let mut good = with("author_id", json!("user-1"));
    good["article_url"] = json!("https://news.example/p");
    good["parent_id"] = parent["id"].clone();
    assert_eq!(app.post_comment(&good).0, 201);
    assert_eq!(app.total_comments(), total + 1);
    assert_eq!(app.log_len(), log_len + 1);
    // Nothing of the refused posts was kept: no author, no article description.
    let e = expect_error(app.author("user\t7"), 400, "control_character");
    assert_eq!(e["field"], "author_id");
    expect_error(app.author("x"), 404, "author_not_found");
    let q = queue(&app, "status=published&article_id=story-p");
    assert!(
        q.iter()
            .all(|c| c["article"]["url"] == "https://news.example/p"),
        "{q:?}"
    );
}

#[test]
fn the_author_panel_counts_statuses_and_lists_recent_comments() {
    let app = TestApp::start_with(no_reject);
    let published = app.comment_by("u-1", "a", CLEAN);
    let held = app.comment_by("u-1", "a", ABUSIVE);
    let to_reject = app.comment_by("u-1", "b", ABUSIVE);
    app.comment_by("u-2", "a", ABUSIVE);
    // Without an author id a comment is known by its display name only: in no panel.
    app.post_comment(&json!({"article_id": "a", "author": "Dana", "body": ABUSIVE}));
    let r = app.post_as(
        ALICE,
        &format!("/v1/moderation/comments/{}/decision", id_of(&to_reject)),
        &json!({"decision": "reject", "reason": "insult"}),
    );
    assert_eq!(r.status(), 200);

    let p = panel(&app, "u-1");
    assert_eq!(p["author_id"], "u-1");
    assert_eq!(p["display_name"], "Dana");
    assert_eq!(p["status"], "active");
    assert!(p["restriction"].is_null());
    assert_eq!(
        p["counts"],
        json!({"total": 3, "published": 1, "held": 1, "rejected": 1})
    );
    let recent = p["recent"].as_array().unwrap();
    let ids: Vec<&str> = recent.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            to_reject["id"].as_str().unwrap(),
            held["id"].as_str().unwrap(),
            published["id"].as_str().unwrap()
        ],
        "newest first"
    );
    assert_eq!(recent[0]["status"], "rejected");
    assert_eq!(recent[0]["auto_status"], "held");
    assert_eq!(recent[0]["article_id"], "b");
    assert_eq!(recent[2]["excerpt"], CLEAN);
    assert!(p["actions"].as_array().unwrap().is_empty());
    // `limit` lists fewer; the counts stay whole.
    let r = app.get_as(ALICE, "/v1/moderation/authors/u-1?limit=1");
    let p: Value = r.json().unwrap();
    assert_eq!(p["recent"].as_array().unwrap().len(), 1);
    assert_eq!(p["counts"]["total"], 3);
    expect_error(
        app.get_as(ALICE, "/v1/moderation/authors/u-1?limit=0"),
        400,
        "invalid_query",
    );
    // Ids are matched exactly, and the panel needs a moderator.
    expect_error(app.author("U-1"), 404, "author_not_found");
    expect_error(app.get("/v1/moderation/authors/u-1"), 401, "unauthorized");
    // An id with `/` and `@` in it works percent-encoded.
    app.comment_by("dana@example.org/7", "a", CLEAN);
    assert_eq!(panel(&app, "dana@example.org/7")["counts"]["total"], 1);
}

#[test]
fn a_suspended_author_is_held_with_the_reason_and_lifting_restores_normal_scoring() {
    let app = TestApp::start_with(no_reject);
    let before = app.comment_by("u-1", "a", CLEAN);
    assert_eq!(before["status"], "published");

    let v = restrict_ok(
        &app,
        "u-1",
        json!({"action": "suspend", "duration_seconds": 86400, "reason": "cooling off after a flame war"}),
    );
    assert_eq!(v["status"], "suspended");
    assert_eq!(v["changed"], true);
    assert_eq!(v["restriction"]["kind"], "suspended");
    assert_eq!(v["restriction"]["by"], "alice");
    assert_eq!(v["restriction"]["reason"], "cooling off after a flame war");
    assert!(v["restriction"]["until"].is_string());

    // The same harmless text is held now, with the reason; it was still scored.
    let during = app.comment_by("u-1", "a", CLEAN);
    assert_eq!(during["status"], "held", "{during}");
    assert_eq!(during["status_reason"], "author_suspended");
    assert!(during["scores"]["abuse"].as_f64().unwrap() < 0.5);
    assert_eq!(during["reasons"], json!([]));
    let card = queue(&app, "status=held")
        .into_iter()
        .find(|c| c["id"] == during["id"])
        .expect("in the held queue");
    assert_eq!(card["status_reason"], "author_suspended");
    // The model's verdict is kept apart: it published the text.
    let d = detail(&app, &id_of(&during));
    assert_eq!(d["auto_status"], "published");
    assert_eq!(d["history"][0]["action"], "auto_held");
    assert_eq!(d["history"][0]["reason"], "author_suspended");
    // Others are not affected.
    assert_eq!(app.comment_by("u-2", "a", CLEAN)["status"], "published");

    // Approving it does not count as overturning the model, which never held it.
    let r = app.post_as(
        ALICE,
        &format!("/v1/moderation/comments/{}/decision", id_of(&during)),
        &json!({"decision": "approve"}),
    );
    assert_eq!(r.status(), 200);
    let stats = app.stats();
    assert_eq!(stats["model_versions"][0]["reviewed"], 1);
    assert_eq!(stats["model_versions"][0]["overturned"], 0, "{stats}");

    let v = restrict_ok(
        &app,
        "u-1",
        json!({"action": "lift", "reason": "apologised"}),
    );
    assert_eq!(
        (v["status"].clone(), v["changed"].clone()),
        (json!("active"), json!(true))
    );
    assert!(v["restriction"].is_null());
    let after = app.comment_by("u-1", "a", CLEAN);
    assert_eq!(after["status"], "published");
    assert!(after.get("status_reason").is_none(), "{after}");
    // The model still holds what it would hold anyway, without an author reason.
    let abusive = app.comment_by("u-1", "a", ABUSIVE);
    assert_eq!(abusive["status"], "held");
    assert!(abusive.get("status_reason").is_none());
    // Lifting again changes nothing and records nothing.
    let n = log(&app, "author_id=u-1").len();
    let v = restrict_ok(&app, "u-1", json!({"action": "lift", "reason": "again"}));
    assert_eq!(v["changed"], false);
    assert_eq!(log(&app, "author_id=u-1").len(), n);
}

#[test]
fn a_banned_author_is_rejected_with_the_reason_and_retries_get_the_same_answer() {
    let app = TestApp::start();
    app.comment_by("u-9", "a", CLEAN);
    let v = restrict_ok(&app, "u-9", json!({"action": "ban", "reason": "spam bot"}));
    assert_eq!(v["status"], "banned");
    assert!(v["restriction"]["until"].is_null());

    let body = json!({"article_id": "a", "author": "Bot", "author_id": "u-9", "body": CLEAN});
    let send = || {
        app.request(reqwest::Method::POST, "/v1/comments")
            .header("Idempotency-Key", "retry-1")
            .json(&body)
            .send()
            .unwrap()
    };
    let r = send();
    assert_eq!(r.status(), 201);
    let first: Value = r.json().unwrap();
    assert_eq!(first["status"], "rejected");
    assert_eq!(first["status_reason"], "author_banned");
    // Lifted in between, a retry still answers what the post got, not the model's verdict.
    restrict_ok(
        &app,
        "u-9",
        json!({"action": "lift", "reason": "wrong person"}),
    );
    let r = send();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["idempotent-replayed"], "true");
    let retry: Value = r.json().unwrap();
    assert_eq!(retry["id"], first["id"]);
    assert_eq!(retry["status"], "rejected");
    assert_eq!(retry["status_reason"], "author_banned");
    let rejected = queue(&app, "status=rejected");
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["status_reason"], "author_banned");
}

#[test]
fn what_a_restriction_does_is_configurable() {
    let app = TestApp::start_with(|c| {
        c.author_policy = talkback::config::parse_author_policy("suspended=reject,banned=hold")
            .expect("valid setting");
    });
    app.comment_by("u-1", "a", CLEAN);
    app.comment_by("u-2", "a", CLEAN);
    restrict_ok(
        &app,
        "u-1",
        json!({"action": "suspend", "duration_seconds": 60, "reason": "r"}),
    );
    restrict_ok(&app, "u-2", json!({"action": "ban", "reason": "r"}));
    let s = app.comment_by("u-1", "a", CLEAN);
    assert_eq!(
        (s["status"].clone(), s["status_reason"].clone()),
        (json!("rejected"), json!("author_suspended"))
    );
    let b = app.comment_by("u-2", "a", CLEAN);
    assert_eq!(
        (b["status"].clone(), b["status_reason"].clone()),
        (json!("held"), json!("author_banned"))
    );
}

#[test]
fn a_suspension_ends_by_itself() {
    let app = TestApp::start();
    app.comment_by("u-1", "a", CLEAN);
    restrict_ok(
        &app,
        "u-1",
        json!({"action": "suspend", "duration_seconds": 1, "reason": "one second"}),
    );
    assert_eq!(panel(&app, "u-1")["status"], "suspended");
    assert_eq!(app.comment_by("u-1", "a", CLEAN)["status"], "held");
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let after = app.comment_by("u-1", "a", CLEAN);
    assert_eq!(after["status"], "published", "{after}");
    let p = panel(&app, "u-1");
    assert_eq!(p["status"], "active");
    assert!(p["restriction"].is_null());
    // The suspension stays in the author's history; its end needed no entry.
    let actions = p["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["action"], "suspend_author");
}

#[test]
fn author_actions_are_in_the_audit_log_with_actor_and_reason() {
    let app = TestApp::start();
    app.comment_by("u-1", "a", CLEAN);
    restrict_ok(
        &app,
        "u-1",
        json!({"action": "suspend", "duration_seconds": 3600, "reason": "insults"}),
    );
    let r = app.restrict(
        BOB,
        "u-1",
        &json!({"action": "ban", "reason": "kept going"}),
    );
    assert_eq!(r.status(), 200);
    let r = app.restrict(ALICE, "u-1", &json!({"action": "lift", "reason": "appeal"}));
    assert_eq!(r.status(), 200);

    // Moderator actions, as the page shows them by default: newest first.
    let entries = log(&app, "kind=moderator");
    let seen: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap(),
                e["action"].as_str().unwrap(),
                e["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("alice", "lift_author", "appeal"),
            ("bob", "ban_author", "kept going"),
            ("alice", "suspend_author", "insults")
        ]
    );
    for e in &entries {
        assert_eq!(e["author_id"], "u-1");
        assert!(
            e["comment_id"].is_null() && e["after_status"].is_null(),
            "{e}"
        );
        assert!(e.get("excerpt").is_none(), "{e}");
    }
    assert!(entries[2]["until"].is_string());
    assert_eq!(entries[0]["note"], "ended a ban");
    assert_eq!(log(&app, "action=ban_author").len(), 1);
    assert_eq!(log(&app, "actor=bob").len(), 1);
    assert_eq!(log(&app, "author_id=u-1").len(), 3);
    assert!(log(&app, "author_id=u-2").is_empty());
    assert!(
        log(&app, "kind=automatic")
            .iter()
            .all(|e| !e["action"].as_str().unwrap().ends_with("_author"))
    );
    // The panel lists them too.
    let p = panel(&app, "u-1");
    let actions: Vec<&str> = p["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["lift_author", "ban_author", "suspend_author"]);
}

#[test]
fn bad_author_actions_are_refused_and_change_nothing() {
    let app = TestApp::start();
    app.comment_by("u-1", "a", CLEAN);
    let log_len = app.log_len();
    for (body, code, field) in [
        (
            json!({"action": "mute", "reason": "r"}),
            "invalid_action",
            "action",
        ),
        (
            json!({"action": "Ban", "reason": "r"}),
            "invalid_action",
            "action",
        ),
        (json!({"reason": "r"}), "invalid_field", "action"),
        (json!({"action": "ban"}), "invalid_field", "reason"),
        (
            json!({"action": "ban", "reason": "  "}),
            "empty_field",
            "reason",
        ),
        (
            json!({"action": "ban", "reason": "r".repeat(501)}),
            "too_long",
            "reason",
        ),
        (
            json!({"action": "ban", "reason": "a\u{0}b"}),
            "control_character",
            "reason",
        ),
        (
            json!({"action": "suspend", "reason": "r"}),
            "invalid_duration",
            "duration_seconds",
        ),
        (
            json!({"action": "suspend", "reason": "r", "duration_seconds": 0}),
            "invalid_duration",
            "duration_seconds",
        ),
        (
            json!({"action": "suspend", "reason": "r", "duration_seconds": 400 * 86400}),
            "invalid_duration",
            "duration_seconds",
        ),
        (
            json!({"action": "suspend", "reason": "r", "duration_seconds": -5}),
            "invalid_field",
            "duration_seconds",
        ),
        (
            json!({"action": "suspend", "reason": "r", "duration_seconds": "1h"}),
            "invalid_field",
            "duration_seconds",
        ),
        (
            json!({"action": "ban", "reason": "r", "duration_seconds": 60}),
            "invalid_duration",
            "duration_seconds",
        ),
    ] {
        let e = expect_error(app.restrict(ALICE, "u-1", &body), 400, code);
        assert_eq!(e["field"], field, "{body}");
    }
    let ban = json!({"action": "ban", "reason": "r"});
    expect_error(app.restrict(ALICE, "nobody", &ban), 404, "author_not_found");
    let e = expect_error(app.restrict(ALICE, &"x".repeat(129), &ban), 400, "too_long");
    assert_eq!(e["field"], "author_id");
    expect_error(
        app.restrict(ALICE, "u\u{1}1", &ban),
        400,
        "control_character",
    );
    let r = app
        .request(
            reqwest::Method::POST,
            "/v1/moderation/authors/u-1/restriction",
        )
        .json(&ban)
        .send()
        .unwrap();
    expect_error(r, 401, "unauthorized");
    expect_error(
        app.restrict("not-a-known-token", "u-1", &ban),
        403,
        "forbidden",
    );
    let r = app
        .request(
            reqwest::Method::POST,
            "/v1/moderation/authors/u-1/restriction",
        )
        .bearer_auth(ALICE)
        .header("content-type", "text/plain")
        .body("action=ban")
        .send()
        .unwrap();
    expect_error(r, 415, "unsupported_media_type");
    expect_error(
        app.get_as(ALICE, "/v1/moderation/authors/u-1/restriction"),
        405,
        "method_not_allowed",
    );
    expect_error(
        app.get_as(ALICE, "/v1/moderation/log?author_id=a%09b"),
        400,
        "control_character",
    );
    // Nothing was recorded and the author is as before.
    assert_eq!(app.log_len(), log_len);
    let p = panel(&app, "u-1");
    assert_eq!(p["status"], "active");
    assert!(p["actions"].as_array().unwrap().is_empty());
    assert_eq!(app.comment_by("u-1", "a", CLEAN)["status"], "published");
}
