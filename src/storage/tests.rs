//! Storage behaviour without HTTP or a model: group-committed inserts, idempotency, keyset
//! pages under concurrent inserts, atomic decisions, reader reports, stats, and reopening the
//! same file.

use super::*;
use crate::domain::{ArticleId, AuthorName, CommentBody, NewReport, ReportReason};

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
            author_id: None,
            article_url: None,
            article_title: None,
        },
        status,
        scores,
        reasons,
        model_version: "test-v1".into(),
        thresholds: Thresholds::default(),
        idempotency: None,
        author_policy: Default::default(),
        surge: None,
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
            view: QueueView::Status(CommentStatus::Held),
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
                author_id: None,
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

fn report(comment: CommentId, reason: ReportReason, reporter: Option<&str>) -> NewReport {
    NewReport {
        comment_id: comment,
        reason,
        reporter_id: reporter.map(|r| crate::domain::ReporterId::parse(r).unwrap()),
        note: crate::domain::ReportNote::parse(&format!("{reason} from {reporter:?}")).unwrap(),
    }
}

fn reported_view(order: QueueOrder, limit: usize, after: Option<Cursor>) -> QueueFilter {
    QueueFilter {
        view: QueueView::Reported,
        label: None,
        article_id: None,
        order,
        limit,
        after,
    }
}

#[test]
fn reports_count_readers_once_requeue_and_are_resolved_by_the_decision() {
    use ReportReason::*;
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let (store, _) = Store::open(&dir.path().join("r.db")).unwrap();
        let c = created(
            store
                .insert_comment(record(
                    "a-r",
                    "a fine comment",
                    CommentStatus::Published,
                    0.1,
                ))
                .await
                .unwrap(),
        );
        // Anonymous reports cannot be told apart: three of them are one reader.
        for n in 1..=3 {
            let o = store.report(report(c.id, Abuse, None), 3).await.unwrap();
            assert!(o.counted && !o.requeued);
            assert_eq!((o.open_reports, o.reporters), (n, 1));
        }
        let o = store
            .report(report(c.id, Abuse, Some("u1")), 3)
            .await
            .unwrap();
        assert_eq!((o.reporters, o.status), (2, CommentStatus::Published));
        // The same reader again counts once: nothing stored, the first report's reason stands.
        let again = store
            .report(report(c.id, Spam, Some("u1")), 3)
            .await
            .unwrap();
        assert!(!again.counted);
        assert_eq!((again.report_id, again.reason), (o.report_id, Abuse));
        assert_eq!((again.open_reports, again.reporters), (4, 2));
        // The third reader crosses the threshold: back to the held queue.
        let o = store
            .report(report(c.id, Other, Some("u2")), 3)
            .await
            .unwrap();
        assert!(o.requeued);
        assert_eq!(o.status, CommentStatus::Held);
        // A report on a held comment only adds to its count.
        let o = store
            .report(report(c.id, Incitement, Some("u3")), 3)
            .await
            .unwrap();
        assert!(o.counted && !o.requeued);
        assert_eq!((o.open_reports, o.reporters), (6, 4));
        assert!(matches!(
            store
                .report(report(CommentId::new(), Abuse, None), 3)
                .await,
            Err(StorageError::NotFound(ref ids)) if ids.len() == 1
        ));

        let page = store
            .queue(reported_view(QueueOrder::Reports, 10, None))
            .await
            .unwrap();
        assert_eq!(page.items.len(), 1);
        let summary = page.items[0].reports.clone().unwrap();
        assert_eq!((summary.count, summary.reporters), (6, 4));
        assert_eq!(
            summary.reasons,
            [(Abuse, 4), (Incitement, 1), (Other, 1)].into()
        );
        assert_eq!(summary.notes.len(), SUMMARY_NOTES);
        assert!(summary.notes[0].starts_with("incitement"), "newest first");
        let detail = store.get_detail(c.id).await.unwrap().unwrap();
        assert_eq!(detail.comment.status, CommentStatus::Held);
        assert_eq!(detail.comment.auto_status, CommentStatus::Published);
        let actions: Vec<&str> = detail.history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "auto_published",
                "report",
                "report",
                "report",
                "report",
                "report",
                "auto_requeued",
                "report"
            ]
        );
        assert_eq!(detail.history[4].actor, "reader:u1");
        assert_eq!(detail.history[1].actor, "reader");
        assert_eq!(detail.history[6].actor, "system");
        // Rescoring leaves a reported comment for a person.
        assert!(
            store
                .undecided(CommentStatus::Held)
                .await
                .unwrap()
                .is_empty()
        );

        // Rejecting for `other` upholds the reports, and their toxicity labels become the
        // training labels the reason itself does not give.
        let decide = |decision, reason| DecisionRequest {
            ids: vec![c.id],
            moderator: "alice".into(),
            decision,
            reason,
            note: None,
            override_previous: false,
        };
        let r = store
            .decide(decide(Decision::Reject, Some(RejectReason::Other)))
            .await
            .unwrap();
        assert_eq!((r[0].changed, r[0].resolved_reports), (true, 6));
        let detail = store.get_detail(c.id).await.unwrap().unwrap();
        assert_eq!(
            detail.decisions[0].labels,
            serde_json::json!({"abuse": 1, "incitement": 1})
        );
        assert!(detail.comment.reports.is_none());
        assert_eq!(detail.report_history.len(), 6);
        assert!(detail.report_history.iter().all(|r| {
            r.resolution.as_deref() == Some("upheld") && r.resolved_by.as_deref() == Some("alice")
        }));
        assert_eq!(detail.history.last().unwrap().resolved_reports, 6);
        assert!(
            store
                .queue(reported_view(QueueOrder::Oldest, 10, None))
                .await
                .unwrap()
                .items
                .is_empty()
        );

        // Readers do not undo a moderator's decision, but their new report is listed, and the
        // same decision again resolves it without recording a second decision.
        let o = store
            .report(report(c.id, Abuse, Some("u1")), 1)
            .await
            .unwrap();
        assert!(o.counted && !o.requeued);
        assert_eq!(o.status, CommentStatus::Rejected);
        let r = store
            .decide(decide(Decision::Reject, Some(RejectReason::Other)))
            .await
            .unwrap();
        assert_eq!((r[0].changed, r[0].resolved_reports), (false, 1));
        let detail = store.get_detail(c.id).await.unwrap().unwrap();
        assert_eq!(detail.decisions.len(), 1);
        let last = detail.history.last().unwrap();
        assert_eq!((last.action.as_str(), last.resolved_reports), ("reject", 1));

        let stats = store.stats().await.unwrap();
        assert_eq!(
            (
                stats.reports.comments,
                stats.reports.open,
                stats.reports.upheld,
                stats.reports.dismissed
            ),
            (0, 0, 7, 0)
        );
        let log = store
            .audit_log(LogFilter {
                author_id: None,
                comment_id: None,
                actor: None,
                action: None,
                article_id: None,
                kind: Some(LogKind::Reader),
                limit: 50,
                after: None,
            })
            .await
            .unwrap();
        assert_eq!(log.items.len(), 7);
        store.shutdown();
    });
}

#[test]
fn decisions_with_reports_map_to_labels() {
    use ReportReason::*;
    let labels = |d, r, reports: &[ReportReason]| {
        labels_with_reports(d, r, reports)
            .into_iter()
            .map(|(l, v)| (l.as_str(), v))
            .collect::<Vec<_>>()
    };
    // The moderator's reason wins where it names a label.
    assert_eq!(
        labels(
            Decision::Reject,
            Some(RejectReason::Insult),
            &[Incitement, Abuse]
        ),
        [("abuse", 1), ("insult", 1)]
    );
    // `other` or no reason: the reports say what was wrong.
    assert_eq!(
        labels(Decision::Reject, None, &[Incitement, Spam]),
        [("incitement", 1)]
    );
    // Spam and off topic uphold no toxicity report.
    assert!(labels(Decision::Reject, Some(RejectReason::Spam), &[Abuse]).is_empty());
    // An approval dismisses the reports: the reported labels are negatives.
    assert_eq!(
        labels(Decision::Approve, None, &[Abuse, Incitement]),
        [("abuse", 0), ("incitement", 0)]
    );
}

#[test]
fn reported_queue_pages_by_count_and_report_time_and_live_view_follows_reports() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let (store, _) = Store::open(&dir.path().join("p.db")).unwrap();
        let mut ids = Vec::new();
        for i in 0..5 {
            let c = created(
                store
                    .insert_comment(record(
                        "a-p",
                        &format!("fine {i}"),
                        CommentStatus::Published,
                        0.1,
                    ))
                    .await
                    .unwrap(),
            );
            ids.push(c.id);
        }
        // Comment i gets i + 1 reports, from distinct readers; the threshold is out of reach.
        for (i, &id) in ids.iter().enumerate() {
            for n in 0..=i {
                store
                    .report(
                        report(id, ReportReason::Abuse, Some(&format!("r{i}-{n}"))),
                        100,
                    )
                    .await
                    .unwrap();
            }
        }
        let walk = |order| {
            let store = store.clone();
            async move {
                let mut seen = Vec::new();
                let mut after = None;
                loop {
                    let page = store.queue(reported_view(order, 2, after)).await.unwrap();
                    seen.extend(page.items.iter().map(|c| c.id));
                    match page.next_cursor {
                        Some(c) => after = Some(Cursor::decode(&c).unwrap()),
                        None => return seen,
                    }
                }
            }
        };
        let mut most_reported = ids.clone();
        most_reported.reverse();
        assert_eq!(walk(QueueOrder::Reports).await, most_reported);
        assert_eq!(
            walk(QueueOrder::Oldest).await,
            ids,
            "reported longest ago first"
        );
        assert_eq!(walk(QueueOrder::Newest).await, most_reported);

        // The live view's watermark is the newest report: an old comment reported again is new.
        let view = reported_view(QueueOrder::Oldest, 100, None);
        let before = store.queue_updates(view.clone(), None).await.unwrap();
        assert_eq!(before.reported, 5);
        let Cursor::Seq(since) = before.watermark else {
            panic!("watermark {:?}", before.watermark)
        };
        store
            .report(report(ids[0], ReportReason::Spam, Some("late")), 100)
            .await
            .unwrap();
        let after = store.queue_updates(view, Some(since)).await.unwrap();
        assert_eq!(after.new_ids, vec![ids[0]]);
        assert!(after.version > before.version);
        // The held view's watermark stays the newest comment's.
        let held = QueueFilter {
            view: QueueView::Status(CommentStatus::Held),
            ..reported_view(QueueOrder::Oldest, 100, None)
        };
        assert_eq!(
            store.queue_updates(held, None).await.unwrap().watermark,
            Cursor::Seq(5)
        );
        store.shutdown();
    });
}

fn by_author(article: &str, body: &str, author: &str, status: CommentStatus) -> NewRecord {
    let mut r = record(article, body, status, 0.1);
    r.comment.author_id = Some(crate::domain::AuthorId::parse(author).unwrap());
    r
}

fn author_action(author: &str, kind: AuthorActionKind, reason: &str) -> AuthorAction {
    AuthorAction {
        author_id: crate::domain::AuthorId::parse(author).unwrap(),
        moderator: "alice".into(),
        kind,
        reason: crate::domain::AuthorActionReason::parse(reason).unwrap(),
    }
}

fn held_view() -> QueueFilter {
    QueueFilter {
        view: QueueView::Status(CommentStatus::Held),
        label: None,
        article_id: None,
        order: QueueOrder::Oldest,
        limit: 50,
        after: None,
    }
}

#[test]
fn articles_are_described_once_and_replies_carry_their_parent() {
    use crate::domain::{ArticleTitle, ArticleUrl};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctx.db");
    rt().block_on(async {
        let (store, _) = Store::open(&path).unwrap();
        let with = |body: &str, url: Option<&str>, title: Option<&str>| {
            let mut r = record("story-1", body, CommentStatus::Held, 0.8);
            r.comment.article_url = url.and_then(|u| ArticleUrl::parse(u).unwrap());
            r.comment.article_title = title.and_then(|t| ArticleTitle::parse(t).unwrap());
            r
        };
        // The first post names the URL only; the second fills in the title and tries another
        // URL; the third tries to change both.
        let first = created(
            store
                .insert_comment(with("first", Some("https://news.example/a"), None))
                .await
                .unwrap(),
        );
        store
            .insert_comment(with(
                "second",
                Some("https://other.example/"),
                Some("Rockets"),
            ))
            .await
            .unwrap();
        let mut reply = with("third", Some("https://evil.example/"), Some("Changed"));
        reply.comment.parent_id = Some(first.id);
        let reply = created(store.insert_comment(reply).await.unwrap());
        // A comment on an article nobody described has no article info.
        store
            .insert_comment(record("story-2", "plain", CommentStatus::Held, 0.8))
            .await
            .unwrap();

        let page = store.queue(held_view()).await.unwrap();
        let expected = ArticleInfo {
            url: Some("https://news.example/a".into()),
            title: Some("Rockets".into()),
        };
        for c in &page.items[..3] {
            assert_eq!(c.article.as_ref(), Some(&expected), "{}", c.body);
        }
        assert_eq!(page.items[3].article, None);
        assert!(page.items[0].parent.is_none());
        let parent = page.items[2].parent.as_ref().expect("the reply's parent");
        assert_eq!(
            (parent.id, parent.excerpt.as_str(), parent.status),
            (first.id, "first", CommentStatus::Held)
        );
        let detail = store.get_detail(reply.id).await.unwrap().unwrap();
        assert_eq!(detail.comment.article.as_ref(), Some(&expected));
        assert_eq!(detail.comment.parent.map(|p| p.id), Some(first.id));

        // A long parent is cut, with an ellipsis.
        let mut long = record("story-2", "long", CommentStatus::Held, 0.8);
        long.comment.body = CommentBody::parse(&"word ".repeat(100), 1000).unwrap();
        let long_parent = created(store.insert_comment(long).await.unwrap());
        let mut r = record("story-2", "reply", CommentStatus::Held, 0.8);
        r.comment.parent_id = Some(long_parent.id);
        let r = created(store.insert_comment(r).await.unwrap());
        let excerpt = store
            .get_detail(r.id)
            .await
            .unwrap()
            .unwrap()
            .comment
            .parent
            .unwrap()
            .excerpt;
        assert_eq!(excerpt.chars().count(), PARENT_EXCERPT_CHARS + 1);
        assert!(excerpt.ends_with('…'));
        store.shutdown();
    });
    let conn = rusqlite::Connection::open(&path).unwrap();
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1, "one row per described article");
}

#[test]
fn restrictions_decide_new_comments_keep_the_model_verdict_and_lapse() {
    use AuthorActionKind::*;
    use CommentStatus::*;
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let (store, _) = Store::open(&dir.path().join("authors.db")).unwrap();
        // No comment was posted with this id yet: nothing to act on, nothing stored.
        assert!(
            store
                .act_on_author(author_action("u-1", Ban, "spam"))
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.author("u-1".into(), 10).await.unwrap().is_none());
        let first = created(
            store
                .insert_comment(by_author("a", "hello", "u-1", Published))
                .await
                .unwrap(),
        );
        assert_eq!((first.status, first.status_reason), (Published, None));

        let out = store
            .act_on_author(author_action(
                "u-1",
                Suspend {
                    duration_secs: 3600,
                },
                "cooling off",
            ))
            .await
            .unwrap()
            .unwrap();
        assert!(out.changed);
        assert_eq!(out.standing.status, "suspended");
        let restriction = out.standing.restriction.clone().unwrap();
        assert_eq!(
            (restriction.by.as_str(), restriction.reason.as_str()),
            ("alice", "cooling off")
        );
        assert!(restriction.until.is_some());

        // The model would publish it; the suspension holds it, and says so. Another author is
        // not affected.
        let held = created(
            store
                .insert_comment(by_author("a", "again", "u-1", Published))
                .await
                .unwrap(),
        );
        assert_eq!(held.status, Held);
        assert_eq!(held.auto_status, Published, "the model's verdict is kept");
        assert_eq!(held.posted_status, Held);
        assert_eq!(held.status_reason.as_deref(), Some("author_suspended"));
        let other = created(
            store
                .insert_comment(by_author("a", "fine", "u-2", Published))
                .await
                .unwrap(),
        );
        assert_eq!(other.status, Published);
        // Comments of restricted authors wait for a person: rescore leaves them alone.
        let undecided = store.undecided(Held).await.unwrap();
        assert!(undecided.iter().all(|u| u.id != held.id));

        let out = store
            .act_on_author(author_action("u-1", Ban, "threats"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((out.changed, out.standing.status), (true, "banned"));
        assert_eq!(out.standing.restriction.unwrap().until, None);
        let again = store
            .act_on_author(author_action("u-1", Ban, "threats"))
            .await
            .unwrap()
            .unwrap();
        assert!(!again.changed, "banning the banned records nothing");
        let rejected = created(
            store
                .insert_comment(by_author("a", "banned words", "u-1", Published))
                .await
                .unwrap(),
        );
        assert_eq!(
            (rejected.status, rejected.status_reason.as_deref()),
            (Rejected, Some("author_banned"))
        );
        // The stored row answers a retry with the status the post got, not the model's.
        let detail = store.get_detail(rejected.id).await.unwrap().unwrap();
        assert_eq!(detail.comment.posted_status, Rejected);
        assert_eq!(detail.comment.auto_status, Published);
        assert_eq!(detail.history[0].action, "auto_rejected");
        assert_eq!(detail.history[0].reason.as_deref(), Some("author_banned"));

        let out = store
            .act_on_author(author_action("u-1", Lift, "appeal accepted"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((out.changed, out.standing.status), (true, "active"));
        assert!(
            !store
                .act_on_author(author_action("u-1", Lift, "twice"))
                .await
                .unwrap()
                .unwrap()
                .changed
        );
        let normal = created(
            store
                .insert_comment(by_author("a", "back", "u-1", Published))
                .await
                .unwrap(),
        );
        assert_eq!((normal.status, normal.status_reason), (Published, None));

        // A suspension lapses at its end without anything running.
        store
            .act_on_author(author_action("u-1", Suspend { duration_secs: 1 }, "short"))
            .await
            .unwrap()
            .unwrap();
        let during = created(
            store
                .insert_comment(by_author("a", "during", "u-1", Published))
                .await
                .unwrap(),
        );
        assert_eq!(during.status, Held);
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let after = created(
            store
                .insert_comment(by_author("a", "after", "u-1", Published))
                .await
                .unwrap(),
        );
        assert_eq!((after.status, after.status_reason), (Published, None));

        let panel = store.author("u-1".into(), 3).await.unwrap().unwrap();
        assert_eq!(panel.standing.status, "active", "the suspension has ended");
        assert!(panel.standing.restriction.is_none());
        assert_eq!(panel.display_name.as_deref(), Some("ann"));
        assert_eq!(
            (
                panel.counts.total,
                panel.counts.published,
                panel.counts.held,
                panel.counts.rejected
            ),
            (6, 3, 2, 1)
        );
        let recent: Vec<&str> = panel.recent.iter().map(|c| c.excerpt.as_str()).collect();
        assert_eq!(recent, ["after", "during", "back"]);
        let actions: Vec<&str> = panel.actions.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "suspend_author",
                "lift_author",
                "ban_author",
                "suspend_author"
            ]
        );
        let lift = &panel.actions[1];
        assert_eq!(lift.actor, "alice");
        assert_eq!(lift.reason.as_deref(), Some("appeal accepted"));
        assert_eq!(lift.note.as_deref(), Some("ended a ban"));
        assert_eq!((lift.comment_id, lift.after_status), (None, None));
        assert!(panel.actions[0].until.is_some());

        // The audit log lists author actions among moderator actions, by author too.
        let log = |author: Option<&str>, kind: Option<LogKind>| {
            let store = store.clone();
            let author = author.map(str::to_string);
            async move {
                store
                    .audit_log(LogFilter {
                        comment_id: None,
                        author_id: author,
                        actor: None,
                        action: None,
                        article_id: None,
                        kind,
                        limit: 50,
                        after: None,
                    })
                    .await
                    .unwrap()
                    .items
            }
        };
        let moderator = log(None, Some(LogKind::Moderator)).await;
        assert_eq!(moderator.len(), 4);
        assert!(
            moderator
                .iter()
                .all(|e| e.author_id.as_deref() == Some("u-1")
                    && e.excerpt.is_none()
                    && e.article_id.is_none())
        );
        assert_eq!(log(Some("u-1"), None).await.len(), 4);
        assert!(log(Some("u-2"), None).await.is_empty());
        assert!(
            log(None, Some(LogKind::Automatic))
                .await
                .iter()
                .all(|e| e.comment_id.is_some())
        );
        store.shutdown();
    });
}

#[test]
fn the_author_panel_and_moderator_log_are_read_from_their_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.db");
    rt().block_on(async {
        let (store, _) = Store::open(&path).unwrap();
        store.shutdown();
    });
    let conn = rusqlite::Connection::open(&path).unwrap();
    let plan = |sql: &str| -> String {
        conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap()
            .join("; ")
    };
    let recent = plan("SELECT id FROM comments WHERE author_id = 'u' ORDER BY seq DESC LIMIT 5");
    assert!(recent.contains("comments_author"), "{recent}");
    let log = plan(
        "SELECT a.id FROM audit_log a WHERE a.action IN ('approve', 'reject', 'suspend_author', \
         'ban_author', 'lift_author', 'premoderation_on', 'premoderation_off') \
         ORDER BY a.id DESC LIMIT 5",
    );
    assert!(log.contains("audit_log_moderator_actions"), "{log}");
    // Surge detection reads one article's row by its key on every post.
    let surge =
        plan("SELECT active, surge_total FROM article_premoderation WHERE article_id = 'a'");
    assert!(surge.contains("USING PRIMARY KEY"), "{surge}");
}

#[test]
fn premoderated_comments_wait_for_a_person_and_rescore_leaves_them_alone() {
    use CommentStatus::*;
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let (store, _) = Store::open(&dir.path().join("p.db")).unwrap();
        store
            .insert_comment(record("a", "first", Published, 0.1))
            .await
            .unwrap();
        let change = |enabled| PremoderationChange {
            article_id: ArticleId::parse("a").unwrap(),
            moderator: "alice".into(),
            enabled,
            reason: None,
        };
        let on = store
            .set_premoderation(change(true))
            .await
            .unwrap()
            .unwrap();
        assert!(on.changed && on.state.premoderated);
        let held = created(
            store
                .insert_comment(by_author("a", "hello", "u-1", Published))
                .await
                .unwrap(),
        );
        assert_eq!(held.status, Held);
        assert_eq!(held.auto_status, Published);
        assert_eq!(held.status_reason.as_deref(), Some("article_premoderated"));
        // The author panel names the reason too.
        let panel = store.author("u-1".into(), 5).await.unwrap().unwrap();
        assert_eq!(
            panel.recent[0].status_reason.as_deref(),
            Some("article_premoderated")
        );
        // Rescore sees neither it as undecided nor applies a verdict to it.
        assert!(
            store
                .undecided(Held)
                .await
                .unwrap()
                .iter()
                .all(|u| u.id != held.id)
        );
        let outcome = store
            .apply_rescore(vec![Rescored {
                id: held.id,
                expected_status: Held,
                status: Published,
                scores: held.scores,
                reasons: vec![],
                model_version: "test-v2".into(),
                thresholds: Thresholds::default(),
            }])
            .await
            .unwrap();
        assert_eq!((outcome.applied, outcome.skipped), (0, 1));
        let off = store
            .set_premoderation(change(false))
            .await
            .unwrap()
            .unwrap();
        assert!(off.changed && !off.state.premoderated && off.state.held == 1);
        assert!(
            store
                .set_premoderation(PremoderationChange {
                    article_id: ArticleId::parse("never").unwrap(),
                    ..change(true)
                })
                .await
                .unwrap()
                .is_none()
        );
        // Surge detection: the post that completes a surge says so, later ones do not.
        let rule =
            crate::domain::SurgeRule::new(std::time::Duration::from_secs(60), 0.5, 2).unwrap();
        let mut started = Vec::new();
        for _ in 0..3 {
            let mut r = record("b", "go burn it", Held, 0.9);
            r.surge = Some(rule);
            started.push(created(store.insert_comment(r).await.unwrap()).started_surge);
        }
        assert_eq!(started, [false, true, false]);
        store.shutdown();
    });
}
