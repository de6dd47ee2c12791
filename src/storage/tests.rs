//! Storage behaviour without HTTP or a model: group-committed inserts, idempotency, keyset
//! pages under concurrent inserts, atomic decisions, reader reports, stats, and reopening the
//! same database.
//!
//! Each behaviour test runs one body against both backends (`both_backends!`): as
//! `NAME::sqlite` always, and as `NAME::postgres` on a fresh database of its own when
//! `TALKBACK_TEST_POSTGRES` names a PostgreSQL server (otherwise it prints a SKIP line).

use super::*;
use crate::domain::{
    ArticleId, AuthorName, CommentBody, CommentId, CommentStatus, Label, NewComment, NewReport,
    Reason, ReportReason, Scores, Thresholds,
};
use std::io::Write;

/// The PostgreSQL server the tests may use, e.g. `postgres://root@127.0.0.1:5432/test`. Each
/// test creates a database of its own there and drops it at the end.
const POSTGRES_ENV: &str = "TALKBACK_TEST_POSTGRES";

/// The database one test runs against.
enum TestDb {
    Sqlite(tempfile::TempDir),
    Postgres {
        /// The server's URL as given, for creating and dropping the test's database.
        admin_url: String,
        name: String,
    },
}

impl TestDb {
    fn sqlite() -> TestDb {
        TestDb::Sqlite(tempfile::tempdir().unwrap())
    }

    /// A new, empty database on the server `TALKBACK_TEST_POSTGRES` names; None (after a SKIP
    /// line on stderr, which the test harness does not capture) when it is not set.
    fn postgres(test: &str) -> Option<TestDb> {
        let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
            let _ = writeln!(
                std::io::stderr(),
                "SKIP {test} on PostgreSQL: set {POSTGRES_ENV}=postgres://root@127.0.0.1:5432/test"
            );
            return None;
        };
        let name = format!("talkback_test_{}", uuid::Uuid::new_v4().simple());
        pg_admin(&admin_url, &format!("CREATE DATABASE {name}"));
        Some(TestDb::Postgres { admin_url, name })
    }

    fn location(&self) -> Location {
        match self {
            TestDb::Sqlite(dir) => Location::Sqlite(dir.path().join("nested/t.db")),
            TestDb::Postgres { admin_url, name } => {
                Location::Postgres(with_database(admin_url, name))
            }
        }
    }

    fn open(&self) -> (Store, Vec<String>) {
        Store::connect(&self.location()).unwrap()
    }

    /// Run one statement outside the store, as an operator with a SQL shell could.
    fn execute(&self, sql: &str) -> std::result::Result<u64, String> {
        match self.location() {
            Location::Sqlite(path) => rusqlite::Connection::open(path)
                .and_then(|c| c.execute(sql, []))
                .map(|n| n as u64)
                .map_err(|e| e.to_string()),
            Location::Postgres(url) => pg_session(&url, sql.to_string(), |c, sql| {
                Box::pin(async move { c.execute(sql.as_str(), &[]).await })
            }),
        }
    }

    /// The single integer a `SELECT COUNT(*) …` answers.
    fn count(&self, sql: &str) -> i64 {
        match self.location() {
            Location::Sqlite(path) => rusqlite::Connection::open(path)
                .unwrap()
                .query_row(sql, [], |r| r.get(0))
                .unwrap(),
            Location::Postgres(url) => pg_session(&url, sql.to_string(), |c, sql| {
                Box::pin(async move { c.query_one(sql.as_str(), &[]).await.map(|r| r.get(0)) })
            })
            .unwrap(),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self {
            pg_admin(
                admin_url,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

/// `url` with its database name replaced by `name` (query parameters kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    format!("{}/{name}{query}", &base[..host_end])
}

type PgFuture<'a, T> = std::pin::Pin<
    Box<
        dyn std::future::Future<Output = std::result::Result<T, tokio_postgres::Error>> + Send + 'a,
    >,
>;

/// One session on `url`, on a thread of its own (so it works inside and outside a runtime).
fn pg_session<T: Send + 'static>(
    url: &str,
    sql: String,
    f: impl for<'a> FnOnce(&'a tokio_postgres::Client, String) -> PgFuture<'a, T> + Send + 'static,
) -> std::result::Result<T, String> {
    let url = url.to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .map_err(|e| e.to_string())?;
            tokio::spawn(conn);
            f(&client, sql).await.map_err(|e| match e.as_db_error() {
                Some(db) => db.message().to_string(),
                None => e.to_string(),
            })
        })
    })
    .join()
    .unwrap()
}

fn pg_admin(url: &str, sql: &str) {
    pg_session(url, sql.to_string(), |c, sql| {
        Box::pin(async move { c.batch_execute(sql.as_str()).await })
    })
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Tests `NAME::sqlite` and `NAME::postgres` that run `async fn NAME(db: TestDb)` against
/// each backend. (The module and the function share a name: they live in different
/// namespaces.)
macro_rules! both_backends {
    ($name:ident) => {
        mod $name {
            use super::*;

            #[test]
            fn sqlite() {
                rt().block_on(super::$name(TestDb::sqlite()));
            }

            #[test]
            fn postgres() {
                if let Some(db) = TestDb::postgres(concat!(stringify!($name), "::postgres")) {
                    rt().block_on(super::$name(db));
                }
            }
        }
    };
}

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

both_backends!(stores_pages_and_replays);
// Long on purpose: one scenario whose steps build on each other's stored state, read top to
// bottom like the story it checks; split up, each part would have to rebuild that state.
async fn stores_pages_and_replays(db: TestDb) {
    {
        let (store, applied) = db.open();
        let every: Vec<String> = store
            .migrations()
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
    }
    // Reopen: nothing to migrate, everything still there.
    {
        let (store, applied) = db.open();
        assert!(applied.is_empty());
        let stats = store.stats().await.unwrap();
        assert_eq!(stats.comments.total, 51);
        assert_eq!(stats.comments.held, 10);
        store.shutdown();
    }
}

both_backends!(queue_is_stable_and_decisions_are_atomic);
// Long on purpose: one scenario whose steps build on each other's stored state, read top to
// bottom like the story it checks; split up, each part would have to rebuild that state.
async fn queue_is_stable_and_decisions_are_atomic(db: TestDb) {
    let (store, _) = db.open();
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

both_backends!(audit_log_is_append_only);
async fn audit_log_is_append_only(db: TestDb) {
    let (store, _) = db.open();
    store
        .insert_comment(record("a-3", "logged", CommentStatus::Published, 0.1))
        .await
        .unwrap();
    store.shutdown();
    for rewrite in [
        "UPDATE audit_log SET actor = 'mallory'",
        "DELETE FROM audit_log",
    ] {
        let err = db.execute(rewrite).unwrap_err();
        assert!(err.contains("append-only"), "{rewrite}: {err}");
    }
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log"), 1);
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

both_backends!(reports_count_readers_once_requeue_and_are_resolved_by_the_decision);
// Long on purpose: one scenario whose steps build on each other's stored state, read top to
// bottom like the story it checks; split up, each part would have to rebuild that state.
async fn reports_count_readers_once_requeue_and_are_resolved_by_the_decision(db: TestDb) {
    use ReportReason::*;
    let (store, _) = db.open();
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

both_backends!(reported_queue_pages_by_count_and_report_time_and_live_view_follows_reports);
async fn reported_queue_pages_by_count_and_report_time_and_live_view_follows_reports(db: TestDb) {
    let (store, _) = db.open();
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

both_backends!(articles_are_described_once_and_replies_carry_their_parent);
async fn articles_are_described_once_and_replies_carry_their_parent(db: TestDb) {
    use crate::domain::{ArticleTitle, ArticleUrl};
    let (store, _) = db.open();
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
    assert_eq!(
        db.count("SELECT COUNT(*) FROM articles"),
        1,
        "one row per described article"
    );
}

both_backends!(restrictions_decide_new_comments_keep_the_model_verdict_and_lapse);
// Long on purpose: one scenario whose steps build on each other's stored state, read top to
// bottom like the story it checks; split up, each part would have to rebuild that state.
async fn restrictions_decide_new_comments_keep_the_model_verdict_and_lapse(db: TestDb) {
    use AuthorActionKind::*;
    use CommentStatus::*;
    let (store, _) = db.open();
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

both_backends!(premoderated_comments_wait_for_a_person_and_rescore_leaves_them_alone);
// Long on purpose: one scenario whose steps build on each other's stored state, read top to
// bottom like the story it checks; split up, each part would have to rebuild that state.
async fn premoderated_comments_wait_for_a_person_and_rescore_leaves_them_alone(db: TestDb) {
    use CommentStatus::*;
    let (store, _) = db.open();
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
    let rule = crate::domain::SurgeRule::new(std::time::Duration::from_secs(60), 0.5, 2).unwrap();
    let mut started = Vec::new();
    for _ in 0..3 {
        let mut r = record("b", "go burn it", Held, 0.9);
        r.surge = Some(rule);
        started.push(created(store.insert_comment(r).await.unwrap()).started_surge);
    }
    assert_eq!(started, [false, true, false]);
    // The log says so, on the article; the stats count it.
    let log = store
        .audit_log(LogFilter {
            author_id: None,
            comment_id: None,
            actor: None,
            action: Some(SURGE_PREMODERATION.into()),
            article_id: Some("b".into()),
            kind: None,
            limit: 10,
            after: None,
        })
        .await
        .unwrap();
    assert_eq!(log.items.len(), 1);
    assert_eq!(log.items[0].actor, SURGE_ACTOR);
    assert_eq!(log.items[0].article_id.as_deref(), Some("b"));
    let stats = store.stats().await.unwrap();
    assert_eq!(
        (stats.articles.premoderated, stats.articles.by_surge),
        (1, 1)
    );
    let listed = store.premoderated_articles().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].article_id, "b");
    assert_eq!(listed[0].held, 3);
    // A moderator's switch-off ends it; the burst they looked at does not switch it on again.
    let off_b = store
        .set_premoderation(PremoderationChange {
            article_id: ArticleId::parse("b").unwrap(),
            ..change(false)
        })
        .await
        .unwrap()
        .unwrap();
    assert!(off_b.changed && !off_b.state.premoderated);
    let mut r = record("b", "calm now", Published, 0.1);
    r.surge = Some(rule);
    let after = created(store.insert_comment(r).await.unwrap());
    assert_eq!((after.status, after.started_surge), (Published, false));
    store.shutdown();
}

// Instances posting a burst to one article at once: every post is counted exactly once (the
// counter is updated under the article's row lock on PostgreSQL), one post completes the
// surge, and no post stored after it is published.
both_backends!(a_concurrent_burst_on_one_article_switches_it_once);
async fn a_concurrent_burst_on_one_article_switches_it_once(db: TestDb) {
    use CommentStatus::*;
    let (a, _) = db.open();
    let (b, _) = db.open();
    let rule = crate::domain::SurgeRule::new(std::time::Duration::from_secs(600), 0.5, 10).unwrap();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        let mut r = record("raid", &format!("burn it {i}"), Held, 0.9);
        r.surge = Some(rule);
        tasks.push(tokio::spawn(async move { store.insert_comment(r).await }));
    }
    let mut posted = Vec::new();
    for t in tasks {
        posted.push(created(t.await.unwrap().unwrap()));
    }
    assert_eq!(posted.iter().filter(|c| c.started_surge).count(), 1);
    // Every post before the one that completed the surge was counted: exactly ten posts were
    // stored without pre-moderation (the tenth completing it).
    assert_eq!(
        posted
            .iter()
            .filter(|c| c.status_reason.is_none() || c.started_surge)
            .count(),
        10
    );
    let state = b.premoderation("raid".into()).await.unwrap().unwrap();
    assert!(state.premoderated);
    let info = state.premoderation.unwrap();
    assert_eq!(info.source, crate::domain::PremoderationSource::Surge);
    assert_eq!(
        info.reason.as_deref(),
        Some("10 of 10 comments in the last 10 min flagged by the model")
    );
    let mut r = record("raid", "and one more", Published, 0.1);
    r.surge = Some(rule);
    let late = created(a.insert_comment(r).await.unwrap());
    assert_eq!(late.status, Held);
    assert_eq!(late.status_reason.as_deref(), Some("article_premoderated"));
    a.shutdown();
    b.shutdown();
}

both_backends!(rescore_export_and_training_rows);
// Long on purpose: one scenario whose steps build on each other's stored state, read top to
// bottom like the story it checks; split up, each part would have to rebuild that state.
async fn rescore_export_and_training_rows(db: TestDb) {
    let (store, _) = db.open();
    let held = created(
        store
            .insert_comment(record("a-x", "borderline", CommentStatus::Held, 0.75))
            .await
            .unwrap(),
    );
    let decided = created(
        store
            .insert_comment(record("a-x", "you fool", CommentStatus::Held, 0.8))
            .await
            .unwrap(),
    );
    store
        .decide(DecisionRequest {
            ids: vec![decided.id],
            moderator: "alice".into(),
            decision: Decision::Reject,
            reason: Some(RejectReason::Insult),
            note: None,
            override_previous: false,
        })
        .await
        .unwrap();
    // Rescore sees only the undecided comment; a verdict computed against a stale status is
    // skipped, the current one applied.
    let undecided = store.undecided(CommentStatus::Held).await.unwrap();
    assert_eq!(
        undecided.iter().map(|u| u.id).collect::<Vec<_>>(),
        [held.id]
    );
    let verdict = |expected_status| {
        let mut scores = Scores::default();
        scores.set(Label::Abuse, 0.2);
        Rescored {
            id: held.id,
            expected_status,
            status: CommentStatus::Published,
            scores,
            reasons: vec![],
            model_version: "test-v2".into(),
            thresholds: Thresholds::default(),
        }
    };
    let out = store
        .apply_rescore(vec![
            verdict(CommentStatus::Published),
            verdict(CommentStatus::Held),
        ])
        .await
        .unwrap();
    assert_eq!((out.applied, out.skipped), (1, 1));
    let detail = store.get_detail(held.id).await.unwrap().unwrap();
    assert_eq!(
        (detail.comment.status, detail.comment.model_version.as_str()),
        (CommentStatus::Published, "test-v2")
    );
    assert_eq!(detail.history.last().unwrap().actor, "rescore");
    // A decided comment is never rescored.
    let mut late = verdict(CommentStatus::Rejected);
    late.id = decided.id;
    assert_eq!(store.apply_rescore(vec![late]).await.unwrap().skipped, 1);

    // Export: the decision with its labels, and the platform's suggestions.
    let exported = store.decided_comments().await.unwrap();
    assert_eq!(exported.len(), 1);
    assert_eq!(
        (
            exported[0].id,
            exported[0].decision,
            exported[0].labels[&Label::Insult]
        ),
        (decided.id, Decision::Reject, 1)
    );
    store
        .record_training(TrainingRecord::Suggestion {
            api_key: "site".into(),
            text: "lovely".into(),
            scores: vec![SuggestedScore {
                attribute: "TOXICITY".into(),
                label: Label::Abuse,
                value: 0.0,
            }],
            context: None,
            community_id: None,
            client_token: None,
        })
        .await
        .unwrap();
    let mut scores = Scores::default();
    scores.set(Label::Abuse, 0.1);
    store
        .record_training(TrainingRecord::Analysis {
            api_key: "site".into(),
            text: "hello".into(),
            scores,
            model_version: "test-v1".into(),
            client_token: None,
            community_id: None,
        })
        .await
        .unwrap();
    let suggested = store.suggested_labels().await.unwrap();
    assert_eq!(
        (
            suggested.len(),
            suggested[0].text.as_str(),
            suggested[0].label
        ),
        (1, "lovely", Label::Abuse)
    );
    let stats = store.stats().await.unwrap();
    assert_eq!(
        (
            stats.training_data.analyses,
            stats.training_data.suggestions
        ),
        (1, 1)
    );
    store.ping().await.unwrap();
    store.shutdown();
}

// Two stores on one database stand for two instances: what one commits the other reads, one
// Idempotency-Key sent to both at once makes one comment, and of two moderators deciding the
// same comment at once, exactly one wins and the other gets the conflict.
both_backends!(two_instances_on_one_database_agree);
async fn two_instances_on_one_database_agree(db: TestDb) {
    let (a, _) = db.open();
    let (b, applied) = db.open();
    assert!(applied.is_empty(), "the second instance migrates nothing");
    let posted = created(
        a.insert_comment(record("a-i", "through a", CommentStatus::Held, 0.8))
            .await
            .unwrap(),
    );
    let queue = b.queue(held_view()).await.unwrap();
    assert_eq!(queue.items[0].id, posted.id);

    for round in 0..10 {
        let mut rec = record("a-i", &format!("keyed {round}"), CommentStatus::Held, 0.8);
        rec.idempotency = Some(Idempotency {
            key: format!("key-{round}"),
            fingerprint: "f".into(),
        });
        let mut other = rec.clone();
        other.id = CommentId::new();
        let (x, y) = tokio::join!(
            tokio::spawn({
                let a = a.clone();
                async move { a.insert_comment(rec).await }
            }),
            tokio::spawn({
                let b = b.clone();
                async move { b.insert_comment(other).await }
            })
        );
        let ids: Vec<(bool, CommentId)> = [x.unwrap().unwrap(), y.unwrap().unwrap()]
            .into_iter()
            .map(|o| match o {
                InsertOutcome::Created(c) => (true, c.id),
                InsertOutcome::Existing(c) => (false, c.id),
            })
            .collect();
        assert_eq!(ids.iter().filter(|(new, _)| *new).count(), 1, "{ids:?}");
        assert_eq!(ids[0].1, ids[1].1, "both answer with the one comment");
    }
    assert_eq!(b.stats().await.unwrap().comments.total, 11);

    let queue = a.queue(held_view()).await.unwrap();
    for c in &queue.items {
        let decide = |store: &Store, moderator: &str, decision| {
            let store = store.clone();
            let request = DecisionRequest {
                ids: vec![c.id],
                moderator: moderator.into(),
                decision,
                reason: None,
                note: None,
                override_previous: false,
            };
            tokio::spawn(async move { store.decide(request).await })
        };
        let (x, y) = tokio::join!(
            decide(&a, "alice", Decision::Approve),
            decide(&b, "bob", Decision::Reject)
        );
        let results = [x.unwrap(), y.unwrap()];
        let won = results
            .iter()
            .filter(|r| matches!(r, Ok(r) if r[0].changed))
            .count();
        let conflicts = results
            .iter()
            .filter(|r| matches!(r, Err(StorageError::Conflict(_))))
            .count();
        assert_eq!((won, conflicts), (1, 1), "{results:?}");
        let detail = b.get_detail(c.id).await.unwrap().unwrap();
        assert_eq!(detail.decisions.len(), 1);
    }
    a.shutdown();
    b.shutdown();
}

#[test]
fn an_unreachable_postgres_is_unavailable_not_failed() {
    // Nothing listens on port 1: connecting is refused at once.
    let started = std::time::Instant::now();
    let err = Store::connect(&Location::Postgres(
        "postgres://root@127.0.0.1:1/test".into(),
    ))
    .err()
    .expect("no server");
    assert!(matches!(err, StorageError::Unavailable(_)), "{err:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn locations_and_their_log_form() {
    let parse = |raw: &str| Location::parse(std::path::Path::new(raw));
    assert_eq!(parse("data/t.db"), Location::Sqlite("data/t.db".into()));
    assert_eq!(
        parse("sqlite:///var/lib/t.db"),
        Location::Sqlite("/var/lib/t.db".into())
    );
    let pg = parse("postgresql://app:s3cret@db:5432/news?sslmode=disable&password=x");
    assert!(matches!(pg, Location::Postgres(_)));
    assert_eq!(
        pg.to_string(),
        "postgresql://app:***@db:5432/news?sslmode=disable&password=***"
    );
    assert_eq!(
        with_database("postgres://root@127.0.0.1:5432/test?x=1", "t1"),
        "postgres://root@127.0.0.1:5432/t1?x=1"
    );
}

/// Connections the server drops (a PostgreSQL restart, a failover, an operator ending
/// sessions) are answered as `Unavailable` (503), never `Failed` (500), and the store serves
/// again on new connections without a restart.
#[test]
fn lost_postgres_connections_are_unavailable_and_replaced() {
    let Some(db) = TestDb::postgres("lost_postgres_connections_are_unavailable_and_replaced")
    else {
        return;
    };
    let TestDb::Postgres { admin_url, name } = &db else {
        unreachable!("a PostgreSQL test database")
    };
    rt().block_on(async {
        let (store, _) = db.open();
        store
            .insert_comment(record("a-l", "before", CommentStatus::Held, 0.8))
            .await
            .unwrap();
        pg_admin(
            admin_url,
            &format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            ),
        );
        let mut served = false;
        for _ in 0..5 {
            match store.stats().await {
                Ok(stats) => {
                    assert_eq!(stats.comments.total, 1);
                    served = true;
                    break;
                }
                Err(StorageError::Unavailable(_)) => {}
                Err(other) => panic!("a lost connection must be Unavailable: {other:?}"),
            }
        }
        assert!(served, "the store did not recover on new connections");
        store
            .insert_comment(record("a-l", "after", CommentStatus::Held, 0.8))
            .await
            .unwrap();
        store.shutdown();
    });
}

/// As `the_author_panel_and_moderator_log_are_read_from_their_indexes`, on PostgreSQL: the
/// partial indexes match the conditions as the queries spell them (sequential scans are
/// switched off, since on a near-empty table one would win on cost alone).
#[test]
fn postgres_queries_can_use_the_partial_indexes() {
    let Some(db) = TestDb::postgres("postgres_queries_can_use_the_partial_indexes") else {
        return;
    };
    let (store, _) = db.open();
    store.shutdown();
    let Location::Postgres(url) = db.location() else {
        unreachable!("a PostgreSQL test database")
    };
    let plan = |sql: &str| -> String {
        pg_session(&url, sql.to_string(), |c, sql| {
            Box::pin(async move {
                c.batch_execute("SET enable_seqscan = off").await?;
                let rows = c.query(&format!("EXPLAIN {sql}"), &[]).await?;
                Ok(rows
                    .iter()
                    .map(|r| r.get::<_, String>(0))
                    .collect::<Vec<_>>()
                    .join("; "))
            })
        })
        .unwrap()
    };
    let recent = plan("SELECT id FROM comments WHERE author_id = 'u' ORDER BY seq DESC LIMIT 5");
    assert!(recent.contains("comments_author"), "{recent}");
    let log = plan(&format!(
        "SELECT a.id FROM audit_log a WHERE {MODERATOR_ACTIONS} ORDER BY a.id DESC LIMIT 5",
        MODERATOR_ACTIONS = shared::audit::MODERATOR_ACTIONS
    ));
    assert!(log.contains("audit_log_moderator_actions"), "{log}");
    let reported = plan(
        "SELECT id FROM comments WHERE open_reports > 0 \
         ORDER BY open_reports DESC, last_report_id LIMIT 5",
    );
    assert!(
        reported.contains("comments_reported_by_count"),
        "{reported}"
    );
}
