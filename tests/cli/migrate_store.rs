//! `talkback migrate-store`: a database seeded through the real service is copied whole, the
//! service started on the copy answers exactly as on the original, new rows get fresh ids, and
//! a non-empty or identical target is refused without a change.

use crate::common::{ABUSIVE, ALICE, BOB, CLEAN, PgDatabase, TestApp, path_segment};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Output;
use talkback::config::{Config, Credential};
use talkback::storage::Location;

const KEY: &str = "coral-key-0123456789";
const ARTICLE: &str = "2026/12/budget-vote";
const QUIET: &str = "2026/12/quiet-story";

/// Every table the command copies: the summary must list each with rows.
const TABLES: [&str; 10] = [
    "articles",
    "authors",
    "article_premoderation",
    "comments",
    "comment_labels",
    "decisions",
    "reports",
    "audit_log",
    "analyzed_texts",
    "suggested_scores",
];

/// A Perspective API key, and no reject bars: abusive posts are held for a moderator.
fn settings(c: &mut Config) {
    c.api_keys = vec![Credential {
        name: "coral".into(),
        secret: KEY.into(),
    }];
    c.bars.reject = Some(Default::default());
}

fn start_on(location: Option<Location>) -> TestApp {
    TestApp::start_on_database(location, settings)
}

fn posted(app: &TestApp, body: Value, status: &str) -> String {
    let (code, v) = app.post_comment(&body);
    assert_eq!(code, 201, "{v}");
    assert_eq!(v["status"], status, "{v}");
    v["id"].as_str().expect("id").to_string()
}

fn ok(response: reqwest::blocking::Response) -> Value {
    assert_eq!(response.status(), 200);
    response.json().expect("JSON")
}

fn decide(app: &TestApp, token: &str, id: &str, body: Value) -> Value {
    ok(app.post_as(
        token,
        &format!("/v1/moderation/comments/{id}/decision"),
        &body,
    ))
}

/// Rows in every copied table, through the service: articles and authors with their details, a
/// reply, held, decided and reported comments, an author suspension, a pre-moderated article,
/// and Perspective training rows. Returns the id of the rejected comment.
fn seed(app: &TestApp) -> String {
    let first = posted(
        app,
        json!({"article_id": ARTICLE, "author": "Dana", "author_id": "u-1", "body": CLEAN,
               "article_url": "https://news.example/budget", "article_title": "Budget vote"}),
        "published",
    );
    posted(
        app,
        json!({"article_id": ARTICLE, "author": "Eli", "author_id": "u-2", "body": CLEAN,
               "parent_id": first}),
        "published",
    );
    let rejected = posted(
        app,
        json!({"article_id": ARTICLE, "author": "Troll", "author_id": "u-3", "body": ABUSIVE}),
        "held",
    );
    let approved = posted(
        app,
        json!({"article_id": ARTICLE, "author": "Hot head", "body": ABUSIVE}),
        "held",
    );
    posted(
        app,
        json!({"article_id": ARTICLE, "author": "Still held", "body": ABUSIVE}),
        "held",
    );
    decide(
        app,
        ALICE,
        &rejected,
        json!({"decision": "reject", "reason": "insult", "note": "name-calling"}),
    );
    decide(app, BOB, &approved, json!({"decision": "approve"}));
    for (reader, reason) in [("reader-1", "abuse"), ("reader-2", "spam")] {
        let (code, v) = app.report(
            &first,
            &json!({"reason": reason, "reporter_id": reader, "note": "look at this"}),
        );
        assert_eq!(code, 201, "{v}");
    }
    let r = app.restrict(
        ALICE,
        "u-2",
        &json!({"action": "suspend", "duration_seconds": 86400, "reason": "flame war"}),
    );
    assert_eq!(r.status(), 200);
    // Pre-moderation is switched on articles that have comments.
    posted(
        app,
        json!({"article_id": QUIET, "author": "Gil", "body": CLEAN, "article_title": "Quiet"}),
        "published",
    );
    let r = app
        .request(
            reqwest::Method::PUT,
            &format!(
                "/v1/moderation/articles/{}/premoderation",
                path_segment(QUIET)
            ),
        )
        .bearer_auth(ALICE)
        .json(&json!({"enabled": true, "reason": "election night"}))
        .send()
        .expect("request");
    assert_eq!(r.status(), 200);
    posted(
        app,
        json!({"article_id": QUIET, "author": "Fay", "body": CLEAN}),
        "held",
    );
    let r = app.post(
        &format!("/v1alpha1/comments:analyze?key={KEY}"),
        &json!({"comment": {"text": "Some thoughtful remark."},
                "requestedAttributes": {"TOXICITY": {}}, "doNotStore": false}),
    );
    assert_eq!(r.status(), 200);
    let r = app.post(
        &format!("/v1alpha1/comments:suggestscore?key={KEY}"),
        &json!({"comment": {"text": "You absolute idiot"},
                "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
                "clientToken": "comment:c1"}),
    );
    assert_eq!(r.status(), 200);
    rejected
}

/// What moderators and readers see: the queues, a decided comment, the audit log, the stats,
/// the authors, pre-moderation and the published thread.
fn views(app: &TestApp, decided: &str) -> Value {
    let get = |path: &str| ok(app.get_as(ALICE, path));
    let mut stats = get("/v1/moderation/stats");
    // Grows with the clock, not with the data.
    stats
        .as_object_mut()
        .expect("stats object")
        .remove("oldest_held_age_seconds");
    let mut out = json!({ "stats": stats });
    for path in [
        "/v1/moderation/queue?status=held&limit=100".to_string(),
        "/v1/moderation/queue?status=reported&limit=100".to_string(),
        "/v1/moderation/queue?status=held&order=newest&limit=100".to_string(),
        "/v1/moderation/queue?status=rejected&limit=100".to_string(),
        format!("/v1/moderation/comments/{decided}"),
        "/v1/moderation/log?limit=200".to_string(),
        "/v1/moderation/log?kind=automatic&limit=200".to_string(),
        "/v1/moderation/log?kind=reader&limit=200".to_string(),
        "/v1/moderation/authors/u-1".to_string(),
        "/v1/moderation/authors/u-2".to_string(),
        "/v1/moderation/premoderation".to_string(),
        format!("/v1/articles/{}/comments", path_segment(ARTICLE)),
    ] {
        out[path.as_str()] = get(&path);
    }
    out
}

fn migrate_store(from: &str, to: &str, extra: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_talkback"))
        .args(["migrate-store", "--from", from, "--to", to])
        .args(extra)
        .output()
        .expect("talkback runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The command succeeded and its summary lists every table, with rows, equal counts.
fn assert_copied(out: &Output) {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}\n{stderr}");
    for table in TABLES {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(table))
            .unwrap_or_else(|| panic!("no summary line for {table}:\n{stdout}"));
        let counts: Vec<u64> = line
            .split_whitespace()
            .skip(1)
            .map(|n| n.parse().expect("count"))
            .collect();
        assert_eq!(counts.len(), 3, "{line}");
        assert!(counts[0] > 0, "seed left {table} empty: {line}");
        assert!(counts.iter().all(|&n| n == counts[0]), "{line}");
    }
    assert!(stdout.contains("committed"), "{stdout}");
}

fn assert_refused(out: &Output, needle: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(needle), "`{stderr}` should say `{needle}`");
}

/// New rows on the copy get ids after the copied ones (a collision would be a 500).
fn post_and_decide_anew(app: &TestApp) {
    let id = posted(
        app,
        json!({"article_id": ARTICLE, "author": "Newcomer", "body": ABUSIVE}),
        "held",
    );
    decide(
        app,
        ALICE,
        &id,
        json!({"decision": "reject", "reason": "threat"}),
    );
    let id = posted(
        app,
        json!({"article_id": ARTICLE, "author": "Newcomer", "body": CLEAN}),
        "published",
    );
    let (code, v) = app.report(&id, &json!({"reason": "abuse", "reporter_id": "reader-9"}));
    assert_eq!(code, 201, "{v}");
}

fn path_text(path: &Path) -> String {
    path.to_str().expect("UTF-8 path").to_string()
}

#[test]
fn a_seeded_database_copied_into_a_new_sqlite_file_serves_the_same() {
    let app = start_on(None);
    let decided = seed(&app);
    let before = views(&app, &decided);
    let source = app.db_path();
    let source_dir = app.stop();

    let target_dir = tempfile::tempdir().expect("temp dir");
    let target = target_dir.path().join("moved").join("talkback.db");
    assert_copied(&migrate_store(
        &path_text(&source),
        &format!("sqlite://{}", path_text(&target)),
        &[],
    ));

    let copy = start_on(Some(Location::Sqlite(target.clone())));
    assert_eq!(views(&copy, &decided), before);
    post_and_decide_anew(&copy);
    drop(copy.stop());
    drop(source_dir);
}

#[test]
fn a_non_empty_or_identical_target_or_a_missing_source_is_refused_and_nothing_changes() {
    let app = start_on(None);
    let decided = seed(&app);
    let source = path_text(&app.db_path());
    let source_dir = app.stop();
    let target_dir = tempfile::tempdir().expect("temp dir");
    let target = path_text(&target_dir.path().join("talkback.db"));
    assert_copied(&migrate_store(&source, &target, &[]));

    assert_refused(
        &migrate_store(&source, &target, &[]),
        "is not empty: table articles has 2 rows",
    );
    assert_refused(
        &migrate_store(&source, &format!("sqlite://{source}"), &[]),
        "same database",
    );
    let missing = path_text(&target_dir.path().join("nothing-here.db"));
    assert_refused(&migrate_store(&missing, &target, &[]), "does not exist");
    assert!(
        !Path::new(&missing).exists(),
        "a missing source is not created"
    );

    // Told to copy into it anyway, the first id already there fails the whole copy: the
    // target keeps exactly one copy of everything.
    let out = migrate_store(&source, &target, &["--into-non-empty"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let copy = start_on(Some(Location::Sqlite(target.into())));
    let original = start_on(Some(Location::Sqlite(source.into())));
    assert_eq!(views(&copy, &decided), views(&original, &decided));
    drop((copy.stop(), original.stop(), source_dir));
}

#[test]
fn a_seeded_database_moves_to_postgresql_and_back_with_everything_it_held() {
    let Some(pg) = PgDatabase::create() else {
        return;
    };
    let Location::Postgres(url) = pg.location() else {
        unreachable!("PgDatabase names PostgreSQL")
    };
    let app = start_on(None);
    let decided = seed(&app);
    let before = views(&app, &decided);
    let source = path_text(&app.db_path());
    let source_dir = app.stop();

    assert_copied(&migrate_store(&source, &url, &[]));
    let moved = start_on(Some(pg.location()));
    assert_eq!(views(&moved, &decided), before);
    // Sequences carry on after the copied ids.
    post_and_decide_anew(&moved);
    let grown = views(&moved, &decided);
    drop(moved.stop());

    assert_refused(
        &migrate_store(&source, &url, &[]),
        "is not empty: table articles has 2 rows",
    );
    let out = migrate_store(&source, &url, &["--into-non-empty"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));

    // And back: PostgreSQL into a new SQLite file, which serves what PostgreSQL served.
    let back_dir = tempfile::tempdir().expect("temp dir");
    let back = back_dir.path().join("back.db");
    assert_copied(&migrate_store(&url, &path_text(&back), &[]));
    let returned = start_on(Some(Location::Sqlite(back)));
    assert_eq!(views(&returned, &decided), grown);
    post_and_decide_anew(&returned);
    drop((returned.stop(), source_dir));
}
