//! Storage behaviour without HTTP or a model: group-committed inserts, idempotency, keyset
//! pages under concurrent inserts, atomic decisions, stats, and reopening the same file.

use super::*;
use crate::domain::{ArticleId, AuthorName, CommentBody};

fn record(article: &str, body: &str, status: CommentStatus, abuse: f32) -> NewRecord {
    let mut scores = Scores::default();
    scores.set(Label::Abuse, abuse);
    scores.set(Label::Incitement, abuse / 2.0);
    let reasons = if status == CommentStatus::Published {
        vec![]
    } else {
        vec![Reason {
            label: Label::Abuse,
            score: abuse,
            spans: vec![],
        }]
    };
    NewRecord {
        id: CommentId::new(),
        comment: NewComment {
            article_id: ArticleId::parse(article).unwrap(),
            author: AuthorName::parse("ann").unwrap(),
            title: None,
            body: CommentBody::parse(body, 100).unwrap(),
            parent_id: None,
        },
        status,
        scores,
        reasons,
        model_version: "test-v1".into(),
        thresholds: Thresholds::default(),
        idempotency: None,
    }
}

fn created(outcome: InsertOutcome) -> StoredComment {
    match outcome {
        InsertOutcome::Created(c) => c,
        InsertOutcome::Existing(_) => panic!("expected a new comment"),
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn stores_pages_and_replays() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/t.db");
    rt().block_on(async {
        let (store, applied) = Store::open(&path).unwrap();
        let every: Vec<String> = crate::storage::MIGRATIONS
            .iter()
            .map(|(_, name, _)| name.to_string())
            .collect();
        assert_eq!(applied, every);
        // Many concurrent inserts share batches; every one is answered after commit.
        let mut tasks = Vec::new();
        for i in 0..50 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let status = if i % 5 == 0 {
                    CommentStatus::Held
                } else {
                    CommentStatus::Published
                };
                created(
                    store
                        .insert_comment(record(
                            "a-1",
                            &format!("comment {i}"),
                            status,
                            0.1 + i as f32 / 100.0,
                        ))
                        .await
                        .unwrap(),
                )
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = store.list_published("a-1".into(), 7, cursor).await.unwrap();
            seen.extend(page.items.iter().map(|c| c.id));
            match page.next_cursor {
                Some(c) => cursor = Some(Cursor::decode(&c).unwrap()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 40);
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 40, "no duplicates across pages");

        // Idempotency: same key + same fingerprint replays; different fingerprint refuses.
        let mut first = record("a-1", "keyed", CommentStatus::Published, 0.1);
        first.idempotency = Some(Idempotency {
            key: "k1".into(),
            fingerprint: "f1".into(),
        });
        let original = created(store.insert_comment(first.clone()).await.unwrap());
        let mut retry = first.clone();
        retry.id = CommentId::new();
        match store.insert_comment(retry.clone()).await.unwrap() {
            InsertOutcome::Existing(c) => assert_eq!(c.id, original.id),
            InsertOutcome::Created(_) => panic!("duplicate created"),
        }
        retry.idempotency = Some(Idempotency {
            key: "k1".into(),
            fingerprint: "other".into(),
        });
        assert!(matches!(
            store.insert_comment(retry).await,
            Err(StorageError::IdempotencyMismatch)
        ));
        store.shutdown();
    });
    // Reopen: nothing to migrate, everything still there.
    rt().block_on(async {
        let (store, applied) = Store::open(&path).unwrap();
        assert!(applied.is_empty());
        let stats = store.stats().await.unwrap();
        assert_eq!(stats.comments.total, 51);
        assert_eq!(stats.comments.held, 10);
        store.shutdown();
    });
}

#[test]
fn queue_is_stable_and_decisions_are_atomic() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let (store, _) = Store::open(&dir.path().join("q.db")).unwrap();
        let mut held = Vec::new();
        for i in 0..10 {
            let c = created(
                store
                    .insert_comment(record(
                        "a-2",
                        &format!("held {i}"),
                        CommentStatus::Held,
                        0.5 + (i % 3) as f32 / 10.0,
                    ))
                    .await
                    .unwrap(),
            );
            held.push(c.id);
        }
        // Walk the severity-ordered queue while new held comments keep arriving.
        let filter = |after| QueueFilter {
            status: CommentStatus::Held,
            label: Some(Label::Abuse),
            article_id: Some("a-2".into()),
            order: QueueOrder::Score,
            limit: 3,
            after,
        };
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = store.queue(filter(cursor)).await.unwrap();
            seen.extend(page.items.iter().map(|c| c.id));
            store
                .insert_comment(record("a-2", "late", CommentStatus::Held, 0.99))
                .await
                .unwrap();
            match page.next_cursor {
                Some(c) => cursor = Some(Cursor::decode(&c).unwrap()),
                None => break,
            }
        }
        for id in &held {
            assert_eq!(
                seen.iter().filter(|s| *s == id).count(),
                1,
                "each original once"
            );
        }

        let decide = |ids: Vec<CommentId>, decision, override_previous| DecisionRequest {
            ids,
            moderator: "alice".into(),
            decision,
            reason: Some(RejectReason::Insult).filter(|_| decision == Decision::Reject),
            note: None,
            override_previous,
        };
        let r = store
            .decide(decide(vec![held[0]], Decision::Approve, false))
            .await
            .unwrap();
        assert_eq!(r[0].after, CommentStatus::Published);
        // Same decision again: accepted, records nothing new.
        let r = store
            .decide(decide(vec![held[0]], Decision::Approve, false))
            .await
            .unwrap();
        assert!(!r[0].changed);
        // Bulk with one conflict changes nothing at all.
        let err = store
            .decide(decide(vec![held[1], held[0]], Decision::Reject, false))
            .await
            .unwrap_err();
        assert!(matches!(err, StorageError::Conflict(ref c) if c.len() == 1 && c[0].id == held[0]));
        let detail = store.get_detail(held[1]).await.unwrap().unwrap();
        assert_eq!(detail.comment.status, CommentStatus::Held);
        // Unknown id: 404 for the whole request.
        let err = store
            .decide(decide(
                vec![held[1], CommentId::new()],
                Decision::Reject,
                false,
            ))
            .await
            .unwrap_err();
        assert!(matches!(err, StorageError::NotFound(ref ids) if ids.len() == 1));
        // Override replaces the earlier decision.
        let r = store
            .decide(decide(vec![held[1], held[0]], Decision::Reject, true))
            .await
            .unwrap();
        assert!(
            r.iter()
                .all(|r| r.changed && r.after == CommentStatus::Rejected)
        );

        let detail = store.get_detail(held[0]).await.unwrap().unwrap();
        assert_eq!(detail.decisions.len(), 2);
        assert_eq!(detail.history.len(), 3, "auto_held, approve, reject");
        assert!(detail.history[2].override_previous);
        let labels = &detail.decisions[1].labels;
        assert_eq!(labels["insult"], 1);

        let log = store
            .audit_log(LogFilter {
                comment_id: None,
                actor: Some("alice".into()),
                action: None,
                article_id: None,
                kind: None,
                limit: 2,
                after: None,
            })
            .await
            .unwrap();
        assert_eq!(log.items.len(), 2);
        assert!(log.next_cursor.is_some());
        assert!(log.items[0].id > log.items[1].id, "newest first");

        let stats = store.stats().await.unwrap();
        let v = &stats.model_versions[0];
        assert_eq!(v.reviewed, 2);
        assert_eq!(v.overturned, 0, "both end rejected, which confirms a hold");
        assert_eq!(stats.decisions["approve"], 1);
        assert_eq!(stats.decisions["reject"], 2);
        assert!(stats.oldest_held_age_seconds.is_some());
        store.shutdown();
    });
}

#[test]
fn cursor_round_trips_and_refuses_garbage() {
    for c in [
        Cursor::Seq(42),
        Cursor::Score {
            score: 0.8125,
            seq: 7,
        },
    ] {
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
    }
    for bad in ["", "zz", "71", &hex::encode("s1.x")] {
        assert!(Cursor::decode(bad).is_err(), "{bad}");
    }
}

#[test]
fn audit_log_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    rt().block_on(async {
        let (store, _) = Store::open(&path).unwrap();
        store
            .insert_comment(record("a-3", "logged", CommentStatus::Published, 0.1))
            .await
            .unwrap();
        store.shutdown();
    });
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(
        conn.execute("UPDATE audit_log SET actor = 'mallory'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}
