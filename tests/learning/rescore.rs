//! `talkback rescore` against a database filled by the running service: a dry run changes
//! nothing, `--apply` stores the new verdicts with an audit entry, decided comments are left
//! alone.

use crate::common;

use crate::common::{ABUSIVE, ALICE, CLEAN, INCITING, TestApp};
use serde_json::{Value, json};

fn rescore(app: &TestApp, extra: &[&str]) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_talkback"))
        .args(["rescore", "--status", "held", "--json", "--database"])
        .arg(app.db_path())
        .arg("--model")
        .arg(common::model_dir())
        .args(extra)
        .env_remove("TALKBACK_HOLD")
        .env_remove("TALKBACK_REJECT")
        .output()
        .expect("run rescore");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON summary")
}

fn held_ids(app: &TestApp) -> Vec<String> {
    let v: Value = app
        .get_as(ALICE, "/v1/moderation/queue?status=held&limit=100")
        .json()
        .expect("queue");
    v["items"]
        .as_array()
        .or_else(|| v["comments"].as_array())
        .expect("queue items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn rescore_reports_then_applies_and_spares_decided_comments() {
    // Nothing is rejected outright, so abusive comments land in the held queue.
    let app = TestApp::start_with(|c| c.bars.reject = Some(Default::default()));
    for text in [
        ABUSIVE,
        INCITING,
        "you are a moron",
        "shut up, idiot",
        CLEAN,
    ] {
        app.must_comment("article-r", text);
    }
    let held = held_ids(&app);
    assert!(held.len() >= 3, "expected held comments, got {held:?}");
    // A moderator approves one held comment: rescore must never touch it.
    let decided = &held[0];
    let r = app.post_as(
        ALICE,
        &format!("/v1/moderation/comments/{decided}/decision"),
        &json!({"decision": "approve"}),
    );
    assert_eq!(r.status(), 200);
    let undecided = held.len() - 1;

    // Same model, same thresholds as the service: nothing would change.
    let same = rescore(&app, &["--reject", "off"]);
    assert_eq!(same["rescored"], undecided);
    assert_eq!(same["unchanged"], undecided);

    // Stricter bars: every held comment would now be rejected. Dry run first.
    let strict = ["--reject", "abuse=0,incitement=0"];
    let dry = rescore(&app, &strict);
    assert_eq!(dry["changes"]["held->rejected"], undecided, "{dry}");
    assert_eq!(dry["applied"], false);
    assert_eq!(held_ids(&app).len(), undecided, "a dry run changes nothing");
    let log_before = app.log_len();

    let applied = rescore(&app, &[&strict[..], &["--apply"]].concat());
    assert_eq!(applied["stored"], undecided, "{applied}");
    assert_eq!(applied["skipped"], 0);
    assert!(held_ids(&app).is_empty());
    assert_eq!(app.log_len(), log_before + undecided);
    let log: Value = app
        .get_as(ALICE, "/v1/moderation/log?actor=rescore&limit=100")
        .json()
        .expect("log");
    let entries = log["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), undecided);
    assert!(entries.iter().all(|e| e["action"] == "rescore"
        && e["before_status"] == "held"
        && e["after_status"] == "rejected"));
    let detail: Value = app
        .get_as(ALICE, &format!("/v1/moderation/comments/{}", held[1]))
        .json()
        .expect("detail");
    assert_eq!(detail["status"], "rejected");
    assert_eq!(detail["auto_status"], "rejected");
    let d: Value = app
        .get_as(ALICE, &format!("/v1/moderation/comments/{decided}"))
        .json()
        .expect("detail");
    assert_eq!(d["status"], "published", "the moderator's decision stands");

    // Running it again finds nothing left to do.
    let again = rescore(&app, &[&strict[..], &["--apply"]].concat());
    assert_eq!(again["rescored"], 0);
}

/// A comment a moderator decides between rescore's read and its write is skipped, not
/// overwritten: the storage layer re-checks status and decisions inside the write.
#[test]
fn apply_skips_comments_decided_meanwhile() {
    let app = TestApp::start_with(|c| c.bars.reject = Some(Default::default()));
    app.must_comment("article-s", ABUSIVE);
    let held = held_ids(&app);
    assert_eq!(held.len(), 1);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (store, _) = talkback::storage::Store::open(&app.db_path()).expect("open");
    let model = talkback::model::Model::load(&common::model_dir()).expect("model");
    let strict = talkback::domain::Thresholds {
        hold: Default::default(),
        reject: [(talkback::domain::Label::Abuse, 0.0)].into(),
    };
    let undecided = rt
        .block_on(store.undecided(talkback::domain::CommentStatus::Held))
        .expect("read");
    let plan = talkback::learning::rescore::plan(&model, &strict, &undecided);
    assert_eq!(plan.len(), 1);
    // The moderator gets there first.
    let r = app.post_as(
        ALICE,
        &format!("/v1/moderation/comments/{}/decision", held[0]),
        &json!({"decision": "approve"}),
    );
    assert_eq!(r.status(), 200);
    let outcome = rt.block_on(store.apply_rescore(plan)).expect("write");
    store.shutdown();
    assert_eq!((outcome.applied, outcome.skipped), (0, 1));
    let d: Value = app
        .get_as(ALICE, &format!("/v1/moderation/comments/{}", held[0]))
        .json()
        .expect("detail");
    assert_eq!(d["status"], "published");
}
