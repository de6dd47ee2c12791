//! Reader reports over real HTTP: `POST /v1/comments/{id}/reports` (validation, duplicates,
//! rate limits), the threshold that sends a published comment back to the queue, the reported
//! queue and its live view, and resolution by a moderator's decision in the audit log.

use crate::common::*;
use serde_json::{Value, json};

/// Hold everything doubtful instead of rejecting it, so an abusive post waits in the queue.
fn no_reject(c: &mut talkback::config::Config) {
    c.bars.reject = Some(Default::default());
}

fn published(app: &TestApp, article: &str) -> String {
    let c = app.must_comment(article, CLEAN);
    assert_eq!(c["status"], "published", "{c}");
    c["id"].as_str().unwrap().to_string()
}

fn held(app: &TestApp, article: &str) -> String {
    let c = app.must_comment(article, ABUSIVE);
    assert_eq!(c["status"], "held", "{c}");
    c["id"].as_str().unwrap().to_string()
}

fn report_ok(app: &TestApp, id: &str, body: Value) -> Value {
    let (status, v) = app.report(id, &body);
    assert_eq!(status, 201, "{v}");
    v
}

fn queue(app: &TestApp, query: &str) -> Vec<Value> {
    let r = app.get_as(ALICE, &format!("/v1/moderation/queue?{query}"));
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    v["comments"].as_array().unwrap().clone()
}

fn ids(comments: &[Value]) -> Vec<String> {
    comments
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

fn log(app: &TestApp, query: &str) -> Vec<Value> {
    let v: Value = app
        .get_as(ALICE, &format!("/v1/moderation/log?{query}"))
        .json()
        .unwrap();
    v["entries"].as_array().unwrap().clone()
}

fn detail(app: &TestApp, id: &str) -> Value {
    app.get_as(ALICE, &format!("/v1/moderation/comments/{id}"))
        .json()
        .unwrap()
}

fn publicly_listed(app: &TestApp, article: &str, id: &str) -> bool {
    let v: Value = app
        .get(&format!("/v1/articles/{article}/comments"))
        .json()
        .unwrap();
    ids(v["comments"].as_array().unwrap()).contains(&id.to_string())
}

#[test]
fn a_report_is_stored_listed_in_the_reported_queue_and_logged() {
    let app = TestApp::start();
    let id = published(&app, "story-r1");
    let v = report_ok(
        &app,
        &id,
        json!({"reason": "abuse", "reporter_id": "reader-1", "note": "  name-calling  "}),
    );
    assert!(v["report_id"].is_i64(), "{v}");
    assert_eq!(v["comment_id"], id.as_str());
    assert_eq!(v["reason"], "abuse");
    assert_eq!(v["counted"], true);
    assert_eq!(v["status"], "published");
    assert_eq!(v["requeued"], false);
    // An anonymous report, without a note.
    let v = report_ok(&app, &id, json!({"reason": "spam"}));
    assert_eq!(
        (v["open_reports"].as_u64(), v["reporters"].as_u64()),
        (Some(2), Some(2))
    );

    let reported = queue(&app, "status=reported");
    assert_eq!(ids(&reported), [id.as_str()]);
    assert_eq!(reported[0]["status"], "published");
    assert_eq!(
        reported[0]["reports"],
        json!({"count": 2, "reporters": 2, "reasons": {"abuse": 1, "spam": 1}, "notes": ["name-calling"]})
    );
    assert!(
        publicly_listed(&app, "story-r1", &id),
        "two readers do not hide it"
    );

    // Reports are the readers' entries in the log, apart from moderators' and automatic ones.
    let entries = log(&app, "kind=reader");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["actor"], "reader");
    assert_eq!(entries[0]["reason"], "spam");
    assert_eq!(entries[1]["actor"], "reader:reader-1");
    assert_eq!(entries[1]["action"], "report");
    assert_eq!(entries[1]["note"], "name-calling");
    assert_eq!(entries[1]["after_status"], "published");
    assert_eq!(log(&app, "action=report").len(), 2);
    assert_eq!(log(&app, "kind=automatic").len(), 1, "auto_published only");
    assert!(log(&app, "kind=moderator").is_empty());

    let d = detail(&app, &id);
    let history = d["report_history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["reporter_id"], "reader-1");
    assert!(history[0]["resolution"].is_null());
    assert!(history[1]["reporter_id"].is_null());
    let stats = app.stats();
    assert_eq!(stats["reports"]["comments"], 1);
    assert_eq!(stats["reports"]["open"], 2);
}

#[test]
fn bad_reports_are_refused_and_change_nothing() {
    let app = TestApp::start();
    let id = published(&app, "story-r2");
    let log_before = app.log_len();
    let path = format!("/v1/comments/{id}/reports");
    for (body, code, field) in [
        (json!({"reason": "rude"}), "invalid_reason", "reason"),
        (json!({"reason": "Abuse"}), "invalid_reason", "reason"),
        (json!({"reason": "insult"}), "invalid_reason", "reason"),
        (json!({}), "invalid_field", "reason"),
        (json!({"reason": 3}), "invalid_field", "reason"),
        (
            json!({"reason": "abuse", "note": "n".repeat(1001)}),
            "too_long",
            "note",
        ),
        (
            json!({"reason": "abuse", "note": "a\u{0}b"}),
            "control_character",
            "note",
        ),
        (
            json!({"reason": "abuse", "reporter_id": ""}),
            "empty_field",
            "reporter_id",
        ),
        (
            json!({"reason": "abuse", "reporter_id": "x".repeat(129)}),
            "too_long",
            "reporter_id",
        ),
        (
            json!({"reason": "abuse", "reporter_id": 42}),
            "invalid_field",
            "reporter_id",
        ),
    ] {
        let e = expect_error(app.post(&path, &body), 400, code);
        assert_eq!(e["field"], field, "{body}");
    }
    let unknown = "01900000-0000-7000-8000-000000000000";
    let e = expect_error(
        app.post(
            &format!("/v1/comments/{unknown}/reports"),
            &json!({"reason": "abuse"}),
        ),
        404,
        "comment_not_found",
    );
    assert_eq!(e["details"]["ids"], json!([unknown]));
    expect_error(
        app.post(
            "/v1/comments/not-a-uuid/reports",
            &json!({"reason": "abuse"}),
        ),
        400,
        "invalid_id",
    );
    let r = app
        .request(reqwest::Method::POST, &path)
        .header("content-type", "text/plain")
        .body("reason=abuse")
        .send()
        .unwrap();
    expect_error(r, 415, "unsupported_media_type");
    expect_error(
        app.request(reqwest::Method::GET, &path).send().unwrap(),
        405,
        "method_not_allowed",
    );
    assert_eq!(app.log_len(), log_before);
    assert!(queue(&app, "status=reported").is_empty());
    assert_eq!(app.stats()["reports"]["open"], 0);
    // A note at the limit is fine.
    report_ok(
        &app,
        &id,
        json!({"reason": "other", "note": "n".repeat(1000)}),
    );
}

#[test]
fn enough_distinct_readers_send_a_published_comment_back_to_the_queue() {
    let app = TestApp::start_with(no_reject);
    let id = published(&app, "story-r3");
    assert!(publicly_listed(&app, "story-r3", &id));
    // The same reader twice, and anonymous reports however many, count as one reader each.
    for body in [
        json!({"reason": "abuse", "reporter_id": "a"}),
        json!({"reason": "abuse", "reporter_id": "a"}),
        json!({"reason": "incitement"}),
        json!({"reason": "incitement"}),
    ] {
        let (status, v) = app.report(&id, &body);
        assert!(status == 201 || status == 200, "{v}");
        assert_eq!(
            (v["status"].as_str(), v["requeued"].as_bool()),
            (Some("published"), Some(false))
        );
    }
    assert!(publicly_listed(&app, "story-r3", &id));
    let v = report_ok(&app, &id, json!({"reason": "abuse", "reporter_id": "b"}));
    assert_eq!(v["requeued"], true);
    assert_eq!(v["status"], "held");
    assert_eq!(
        (v["open_reports"].as_u64(), v["reporters"].as_u64()),
        (Some(4), Some(3))
    );
    assert!(
        !publicly_listed(&app, "story-r3", &id),
        "held comments are not shown"
    );
    // It waits in the held queue with its reports, and counts as waiting.
    let waiting = queue(&app, "status=held");
    assert_eq!(ids(&waiting), [id.as_str()]);
    assert_eq!(waiting[0]["reports"]["count"], 4);
    assert_eq!(app.stats()["comments"]["held"], 1);
    // An automatic event in the log: who (the service), what, before and after.
    let requeued = log(&app, &format!("comment_id={id}&action=auto_requeued"));
    assert_eq!(requeued.len(), 1);
    assert_eq!(requeued[0]["actor"], "system");
    assert_eq!(requeued[0]["before_status"], "published");
    assert_eq!(requeued[0]["after_status"], "held");
    let why = requeued[0]["note"].as_str().unwrap();
    assert!(why.starts_with("3 readers reported it"), "{why}");
    assert_eq!(log(&app, "kind=automatic&action=auto_requeued").len(), 1);
    // Further reports on a held comment only add to its count.
    let v = report_ok(&app, &id, json!({"reason": "spam", "reporter_id": "c"}));
    assert_eq!(
        (v["requeued"].as_bool(), v["status"].as_str()),
        (Some(false), Some("held"))
    );
    assert_eq!(v["open_reports"], 5);
    assert_eq!(log(&app, "action=auto_requeued").len(), 1);
    // So do reports on a comment the model held.
    let h = held(&app, "story-r3");
    let v = report_ok(&app, &h, json!({"reason": "abuse"}));
    assert_eq!(
        (v["requeued"].as_bool(), v["status"].as_str()),
        (Some(false), Some("held"))
    );
}

#[test]
fn a_reader_reporting_the_same_comment_twice_counts_once() {
    let app = TestApp::start();
    let id = published(&app, "story-r4");
    let first = report_ok(
        &app,
        &id,
        json!({"reason": "abuse", "reporter_id": "reader-9"}),
    );
    let (status, second) = app.report(
        &id,
        &json!({"reason": "spam", "reporter_id": "reader-9", "note": "again"}),
    );
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["counted"], false);
    assert_eq!(second["report_id"], first["report_id"]);
    assert_eq!(second["reason"], "abuse", "the first report stands");
    assert_eq!(
        (
            second["open_reports"].as_u64(),
            second["reporters"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(queue(&app, "status=reported")[0]["reports"]["count"], 1);
    assert_eq!(log(&app, "kind=reader").len(), 1);
    // Another reader is another report.
    let v = report_ok(
        &app,
        &id,
        json!({"reason": "spam", "reporter_id": "reader-10"}),
    );
    assert_eq!(v["reporters"], 2);
}

#[test]
fn reports_are_rate_limited_per_reporter_and_per_address() {
    let app = TestApp::start_with(|c| {
        c.report_rate_limits =
            talkback::config::parse_report_rate_limits("reporter=2/min,address=5/min").unwrap()
    });
    let ids: Vec<String> = (0..4).map(|_| published(&app, "story-r5")).collect();
    let report = |id: &str, body: Value| app.post(&format!("/v1/comments/{id}/reports"), &body);
    for id in &ids[..2] {
        assert_eq!(
            report(id, json!({"reason": "spam", "reporter_id": "Fast"})).status(),
            201
        );
    }
    // The same reader, whatever the case of the id, is out of allowance for this minute.
    let r = report(&ids[2], json!({"reason": "spam", "reporter_id": "fast"}));
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let e = expect_error(r, 429, "rate_limited");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("reports from this reporter"),
        "{e}"
    );
    assert!(
        detail(&app, &ids[2])["report_history"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Other readers go on until the address has used its five.
    assert_eq!(
        report(&ids[2], json!({"reason": "spam", "reporter_id": "slow"})).status(),
        201
    );
    assert_eq!(report(&ids[3], json!({"reason": "spam"})).status(), 201);
    let e = expect_error(
        report(&ids[3], json!({"reason": "abuse"})),
        429,
        "rate_limited",
    );
    assert!(e["message"].as_str().unwrap().contains("address"), "{e}");
    assert_eq!(app.stats()["reports"]["open"], 4);
}

#[test]
fn a_decision_resolves_the_reports_and_the_log_shows_it() {
    let app = TestApp::start();
    // Three readers send a published comment back; bob rejects it for "other": the reports are
    // upheld and their labels are the training labels.
    let a = published(&app, "story-r6");
    for (reason, who) in [("abuse", "r1"), ("abuse", "r2"), ("incitement", "r3")] {
        report_ok(&app, &a, json!({"reason": reason, "reporter_id": who}));
    }
    let r = app.post_as(
        BOB,
        &format!("/v1/moderation/comments/{a}/decision"),
        &json!({"decision": "reject", "reason": "other"}),
    );
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    assert_eq!(
        (
            v["status"].as_str(),
            v["before"].as_str(),
            v["resolved_reports"].as_u64()
        ),
        (Some("rejected"), Some("held"), Some(3))
    );
    assert!(queue(&app, "status=reported").is_empty());
    let d = detail(&app, &a);
    assert!(d.get("reports").is_none(), "no open reports left: {d}");
    for report in d["report_history"].as_array().unwrap() {
        assert_eq!(report["resolution"], "upheld");
        assert_eq!(report["resolved_by"], "bob");
        assert!(report["resolved_at"].is_string());
    }
    assert_eq!(
        d["decisions"][0]["labels"],
        json!({"abuse": 1, "incitement": 1})
    );
    let decided = &log(&app, "kind=moderator")[0];
    assert_eq!(decided["actor"], "bob");
    assert_eq!(decided["action"], "reject");
    assert_eq!(decided["resolved_reports"], 3);

    // A published comment one reader reported, approved from the reported queue: dismissed.
    let b = published(&app, "story-r6");
    report_ok(&app, &b, json!({"reason": "spam", "reporter_id": "r4"}));
    assert_eq!(ids(&queue(&app, "status=reported")), [b.as_str()]);
    let r = app.post_as(
        ALICE,
        &format!("/v1/moderation/comments/{b}/decision"),
        &json!({"decision": "approve"}),
    );
    let v: Value = r.json().unwrap();
    assert_eq!(
        (v["changed"].as_bool(), v["resolved_reports"].as_u64()),
        (Some(true), Some(1))
    );
    let d = detail(&app, &b);
    assert_eq!(d["report_history"][0]["resolution"], "dismissed");
    assert_eq!(
        d["decisions"][0]["labels"],
        json!({"abuse": 0, "incitement": 0})
    );

    // Readers cannot undo a moderator's approval: their reports are listed for another look,
    // and the same decision again resolves them without a second decision.
    for who in ["r5", "r6", "r7"] {
        let v = report_ok(&app, &b, json!({"reason": "abuse", "reporter_id": who}));
        assert_eq!(
            (v["requeued"].as_bool(), v["status"].as_str()),
            (Some(false), Some("published"))
        );
    }
    assert_eq!(queue(&app, "status=reported")[0]["reports"]["count"], 3);
    let r = app.post_as(
        ALICE,
        &format!("/v1/moderation/comments/{b}/decision"),
        &json!({"decision": "approve"}),
    );
    let v: Value = r.json().unwrap();
    assert_eq!(
        (v["changed"].as_bool(), v["resolved_reports"].as_u64()),
        (Some(false), Some(3))
    );
    assert!(queue(&app, "status=reported").is_empty());
    let newest = &log(&app, &format!("comment_id={b}&kind=moderator"))[0];
    assert_eq!(
        (
            newest["action"].as_str(),
            newest["before_status"].as_str(),
            newest["after_status"].as_str()
        ),
        (Some("approve"), Some("published"), Some("published"))
    );
    assert_eq!(newest["resolved_reports"], 3);
    assert_eq!(detail(&app, &b)["decisions"].as_array().unwrap().len(), 1);
    // Overriding to a rejection for "other" is the latest word on the same text: the readers'
    // abuse reports, though dismissed earlier, are its training label.
    let r = app.post_as(
        BOB,
        &format!("/v1/moderation/comments/{b}/decision"),
        &json!({"decision": "reject", "reason": "other", "override": true}),
    );
    assert_eq!(r.status(), 200);
    assert_eq!(
        detail(&app, &b)["decisions"][1]["labels"],
        json!({"abuse": 1})
    );
    let stats = app.stats();
    assert_eq!(
        stats["reports"],
        json!({"comments": 0, "open": 0, "upheld": 3, "dismissed": 4})
    );
}

#[test]
fn reported_queue_orders_filters_pages_and_polls() {
    let app = TestApp::start_with(no_reject);
    let c0 = published(&app, "story-r7");
    let c1 = published(&app, "story-r7");
    let h = held(&app, "story-r8");
    report_ok(&app, &c0, json!({"reason": "spam", "reporter_id": "x"}));
    report_ok(&app, &c1, json!({"reason": "abuse", "reporter_id": "x"}));
    report_ok(&app, &c1, json!({"reason": "abuse", "reporter_id": "y"}));
    report_ok(&app, &h, json!({"reason": "abuse", "reporter_id": "x"}));

    // By default most reported first, ties reported longest ago first; pages follow cursors.
    assert_eq!(
        ids(&queue(&app, "status=reported")),
        [c1.as_str(), c0.as_str(), h.as_str()]
    );
    let mut walked = Vec::new();
    let mut path = "/v1/moderation/queue?status=reported&order=reports&limit=1".to_string();
    loop {
        let page: Value = app.get_as(ALICE, &path).json().unwrap();
        walked.extend(ids(page["comments"].as_array().unwrap()));
        match page["next_cursor"].as_str() {
            Some(cur) => {
                path = format!(
                    "/v1/moderation/queue?status=reported&order=reports&limit=1&cursor={cur}"
                )
            }
            None => break,
        }
    }
    assert_eq!(walked, [c1.as_str(), c0.as_str(), h.as_str()]);
    // Time orders follow the latest report, not the comment's age.
    assert_eq!(
        ids(&queue(&app, "status=reported&order=oldest")),
        [c0.as_str(), c1.as_str(), h.as_str()]
    );
    assert_eq!(
        ids(&queue(&app, "status=reported&order=newest")),
        [h.as_str(), c1.as_str(), c0.as_str()]
    );
    assert_eq!(ids(&queue(&app, "status=reported&order=score"))[0], h);
    assert_eq!(
        ids(&queue(&app, "status=reported&label=abuse")),
        [h.as_str()]
    );
    assert_eq!(
        ids(&queue(&app, "status=reported&article_id=story-r7")),
        [c1.as_str(), c0.as_str()]
    );
    expect_error(
        app.get_as(ALICE, "/v1/moderation/queue?status=held&order=reports"),
        400,
        "invalid_query",
    );
    let page: Value = app
        .get_as(
            ALICE,
            "/v1/moderation/queue?status=reported&order=oldest&limit=1",
        )
        .json()
        .unwrap();
    let cur = page["next_cursor"].as_str().unwrap();
    expect_error(
        app.get_as(
            ALICE,
            &format!("/v1/moderation/queue?status=reported&order=reports&cursor={cur}"),
        ),
        400,
        "invalid_cursor",
    );

    // The live view: a comment reported after the watermark is new there, however old it is.
    let poll = |query: &str, etag: Option<&str>| {
        let mut r = app
            .request(
                reqwest::Method::GET,
                &format!("/v1/moderation/queue/updates?{query}"),
            )
            .bearer_auth(ALICE);
        if let Some(tag) = etag {
            r = r.header("If-None-Match", tag);
        }
        r.send().unwrap()
    };
    let first = poll("status=reported", None);
    let v: Value = first.json().unwrap();
    assert_eq!(
        (v["reported"].as_u64(), v["held"].as_u64()),
        (Some(3), Some(1))
    );
    let since = v["watermark"].as_str().unwrap().to_string();
    let view = format!("status=reported&since={since}");
    let r = poll(&view, None);
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(poll(&view, Some(&etag)).status(), 304);
    // A new comment is not news to the reported view; a report on the oldest one is.
    published(&app, "story-r7");
    let r = poll(&view, Some(&etag));
    assert_eq!(r.status(), 200, "every stored change moves the version");
    assert_eq!(r.json::<Value>().unwrap()["new_ids"], json!([]));
    let gone = published(&app, "story-r7");
    report_ok(&app, &gone, json!({"reason": "other"}));
    report_ok(&app, &c0, json!({"reason": "spam", "reporter_id": "z"}));
    let v: Value = poll(&view, Some(&etag)).json().unwrap();
    assert_eq!(v["new_ids"], json!([gone.as_str(), c0.as_str()]));
    assert_eq!(v["reported"], 4);
    // The page lists them from its watermark, as it does new held comments.
    assert_eq!(
        ids(&queue(
            &app,
            &format!("status=reported&order=oldest&cursor={since}")
        )),
        [gone.as_str(), c0.as_str()]
    );
}
