//! Exporting moderator decisions as training rows: the reason-to-label mapping, latest
//! decision wins, suggested scores, the stable held-out split, and the CLI end to end.

use crate::common::{ALICE, TestApp};
use serde_json::json;
use std::collections::BTreeMap;
use talkback::config::{Config, Credential};
use talkback::domain::{CommentId, Label};
use talkback::learning::export;
use talkback::storage::{DecidedComment, Decision, RejectReason, SuggestedLabel, implied_labels};

const KEY: &str = "newsroom-key-0123456789";

fn with_key(c: &mut Config) {
    c.api_keys = vec![Credential {
        name: "cms".into(),
        secret: KEY.into(),
    }];
}

fn decided(decision: Decision, reason: Option<RejectReason>) -> DecidedComment {
    DecidedComment {
        id: CommentId::new(),
        body: format!("{decision:?} {reason:?}"),
        decision,
        reason: reason.map(|r| r.as_str().to_string()),
        labels: implied_labels(decision, reason),
    }
}

/// Labels of one row as `label=value` pairs, unlabelled left out.
fn labelled(row: &export::ExportRow) -> BTreeMap<&'static str, u8> {
    Label::ALL
        .iter()
        .filter_map(|l| Some((l.as_str(), row.labels[l.index()]?)))
        .collect()
}

/// A decision and the labels it must export as (`None`: left out).
type Case = (DecidedComment, Option<Vec<(&'static str, u8)>>);

#[test]
fn every_decision_maps_to_the_documented_labels() {
    use RejectReason::*;
    let cases: Vec<Case> = vec![
        (
            decided(Decision::Approve, None),
            Some(vec![("abuse", 0), ("incitement", 0)]),
        ),
        (
            decided(Decision::Reject, Some(Insult)),
            Some(vec![("abuse", 1), ("insult", 1)]),
        ),
        (
            decided(Decision::Reject, Some(Obscene)),
            Some(vec![("abuse", 1), ("obscene", 1)]),
        ),
        (
            decided(Decision::Reject, Some(Threat)),
            Some(vec![("abuse", 1), ("threat", 1)]),
        ),
        (
            decided(Decision::Reject, Some(IdentityAttack)),
            Some(vec![("abuse", 1), ("identity_attack", 1)]),
        ),
        (
            decided(Decision::Reject, Some(Incitement)),
            Some(vec![("incitement", 1)]),
        ),
        // Reasons that say nothing about toxicity teach nothing: the row is left out.
        (decided(Decision::Reject, Some(Spam)), None),
        (decided(Decision::Reject, Some(OffTopic)), None),
        (decided(Decision::Reject, Some(Other)), None),
        (decided(Decision::Reject, None), None),
    ];
    let comments: Vec<DecidedComment> = cases.iter().map(|(d, _)| d.clone()).collect();
    let (rows, counts) = export::rows(&comments, &[], 20);
    assert_eq!(counts.decisions, 10);
    assert_eq!(counts.decisions_without_labels, 4);
    let by_id: BTreeMap<&str, &export::ExportRow> =
        rows.iter().map(|r| (r.id.as_str(), r)).collect();
    for (d, want) in &cases {
        let row = by_id.get(d.id.to_string().as_str());
        match want {
            None => assert!(
                row.is_none(),
                "{:?} {:?} must not be exported",
                d.decision,
                d.reason
            ),
            Some(want) => {
                let row = row.expect("exported");
                let want: BTreeMap<&str, u8> = want.iter().copied().collect();
                assert_eq!(labelled(row), want, "{:?} {:?}", d.decision, d.reason);
                assert_eq!(row.text, d.body);
                assert_eq!(row.test, export::is_test(&row.id, 20));
            }
        }
    }
}

#[test]
fn suggested_scores_become_binary_labels_one_row_per_text() {
    let s = |text: &str, label, value| SuggestedLabel {
        text: text.into(),
        label,
        value,
    };
    let suggested = vec![
        s("you absolute idiot", Label::Abuse, 0.9),
        s("you absolute idiot", Label::Insult, 0.5),
        s("lovely piece", Label::Abuse, 0.1),
        s("lovely piece", Label::Abuse, 0.49),
    ];
    let (rows, counts) = export::rows(&[], &suggested, 0);
    assert_eq!(counts.suggested_texts, 2);
    assert_eq!(rows.len(), 2);
    assert_eq!(labelled(&rows[0]), [("abuse", 1), ("insult", 1)].into());
    assert_eq!(labelled(&rows[1]), [("abuse", 0)].into());
    assert!(rows.iter().all(|r| !r.test));
}

#[test]
fn cli_exports_a_service_database_in_the_shared_schema() {
    let app = TestApp::start_with(with_key);
    let approve = app.must_comment("article-1", "A fair point about the budget, well argued.");
    let insult = app.must_comment("article-1", "you are a complete moron and a clown");
    let spam = app.must_comment("article-1", "buy cheap watches at example dot com");
    let flip = app.must_comment("article-1", "I know where you live and I will find you");
    let decide = |c: &serde_json::Value, body: serde_json::Value| {
        let id = c["id"].as_str().expect("id");
        let r = app.post_as(
            ALICE,
            &format!("/v1/moderation/comments/{id}/decision"),
            &body,
        );
        assert_eq!(r.status(), 200, "{:?}", r.text());
    };
    decide(&approve, json!({"decision": "approve"}));
    decide(&insult, json!({"decision": "reject", "reason": "insult"}));
    decide(&spam, json!({"decision": "reject", "reason": "spam"}));
    // Only the latest decision counts: approved first, then overridden as a threat.
    decide(&flip, json!({"decision": "approve"}));
    decide(
        &flip,
        json!({"decision": "reject", "reason": "threat", "override": true}),
    );
    let r = app
        .request(
            reqwest::Method::POST,
            &format!("/v1alpha1/comments:suggestscore?key={KEY}"),
        )
        .json(&json!({
            "comment": {"text": "what a stupid take"},
            "attributeScores": {"INSULT": {"summaryScore": {"value": 0.8}}},
        }))
        .send()
        .expect("suggestscore");
    assert_eq!(r.status(), 200);

    let out = app.dir.path().join("export.csv");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_talkback"))
        .args([
            "export-decisions",
            "--test-percent",
            "50",
            "--weight",
            "2.5",
            "--database",
        ])
        .arg(app.db_path())
        .arg("--out")
        .arg(&out)
        .status()
        .expect("run export");
    assert!(status.success());

    // The trainer's own reader accepts it.
    let ds = talkback::training::dataset::read_csv(&out).expect("readable by the trainer");
    assert_eq!(ds.columns, Label::ALL.to_vec());
    assert!(ds.has_split);
    let text = std::fs::read_to_string(&out).expect("csv");
    assert!(
        text.starts_with(
            "id,source,split,text,abuse,incitement,insult,obscene,threat,identity_attack,weight\n"
        ),
        "{text}"
    );
    // Training rows carry the newsroom weight, held-out rows count once.
    for r in &ds.rows {
        let expected = if r.split == Some(talkback::training::dataset::Split::Train) {
            2.5
        } else {
            1.0
        };
        assert_eq!(r.weight, expected, "{}", r.id);
    }
    // Which rows are held out depends on the (random) ids; with nothing held out, every row
    // must carry the weight.
    let all_train = app.dir.path().join("export-all-train.csv");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_talkback"))
        .args(["export-decisions", "--test-percent", "0", "--weight", "2.5"])
        .arg("--database")
        .arg(app.db_path())
        .arg("--out")
        .arg(&all_train)
        .status()
        .expect("run export");
    assert!(status.success());
    let weights: Vec<f32> = talkback::training::dataset::read_csv(&all_train)
        .expect("readable")
        .rows
        .iter()
        .map(|r| r.weight)
        .collect();
    assert!(
        !weights.is_empty() && weights.iter().all(|&w| w == 2.5),
        "{weights:?}"
    );
    let row = |id: &str| {
        ds.rows
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("no row {id} in {text}"))
    };
    let get = |r: &talkback::training::dataset::Row, l: Label| r.labels[l.index()];
    let a = row(approve["id"].as_str().expect("id"));
    assert_eq!(
        (get(a, Label::Abuse), get(a, Label::Incitement)),
        (Some(false), Some(false))
    );
    assert_eq!(get(a, Label::Insult), None);
    let i = row(insult["id"].as_str().expect("id"));
    assert_eq!(
        (get(i, Label::Abuse), get(i, Label::Insult)),
        (Some(true), Some(true))
    );
    let f = row(flip["id"].as_str().expect("id"));
    assert_eq!(
        (get(f, Label::Abuse), get(f, Label::Threat)),
        (Some(true), Some(true))
    );
    assert_eq!(
        get(f, Label::Incitement),
        None,
        "the overridden approval is gone"
    );
    assert!(
        ds.rows
            .iter()
            .all(|r| r.id != spam["id"].as_str().expect("id"))
    );
    let s = ds
        .rows
        .iter()
        .find(|r| r.text == "what a stupid take")
        .expect("suggested row");
    assert_eq!(get(s, Label::Insult), Some(true));
    assert!(ds.rows.iter().all(|r| r.source == "newsroom"));
    assert_eq!(ds.rows.len(), 4);
}
