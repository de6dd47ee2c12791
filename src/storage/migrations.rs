//! Schema migrations: SQL files under `migrations/`, compiled into the binary, applied in order
//! at startup inside one transaction and recorded in `schema_migrations`, so a second start
//! applies nothing and a failed migration leaves the database as it was.

use rusqlite::{Connection, OptionalExtension, params};

/// (version, name, SQL) in the order they apply. Append only: never edit a shipped migration.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "0001_init",
        include_str!("../../migrations/0001_init.sql"),
    ),
    (
        2,
        "0002_perspective_training_data",
        include_str!("../../migrations/0002_perspective_training_data.sql"),
    ),
    (
        3,
        "0003_queue_and_stats_indexes",
        include_str!("../../migrations/0003_queue_and_stats_indexes.sql"),
    ),
    (
        4,
        "0004_label_queue",
        include_str!("../../migrations/0004_label_queue.sql"),
    ),
    (
        5,
        "0005_finer_label_queue",
        include_str!("../../migrations/0005_finer_label_queue.sql"),
    ),
    (
        6,
        "0006_audit_log_moderator_actions",
        include_str!("../../migrations/0006_audit_log_moderator_actions.sql"),
    ),
    (
        7,
        "0007_reader_reports",
        include_str!("../../migrations/0007_reader_reports.sql"),
    ),
    (
        8,
        "0008_authors_and_articles",
        include_str!("../../migrations/0008_authors_and_articles.sql"),
    ),
    (
        9,
        "0009_article_premoderation",
        include_str!("../../migrations/0009_article_premoderation.sql"),
    ),
];

/// Apply every migration not yet recorded; returns the names applied now.
pub fn apply(conn: &mut Connection) -> rusqlite::Result<Vec<String>> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         )",
    )?;
    let mut applied = Vec::new();
    for &(version, name, sql) in MIGRATIONS {
        let done: Option<i64> = tx
            .query_row(
                "SELECT version FROM schema_migrations WHERE version = ?1",
                params![version],
                |row| row.get(0),
            )
            .optional()?;
        if done.is_some() {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
            params![version, name],
        )?;
        applied.push(name.to_string());
    }
    tx.commit()?;
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(apply(&mut conn).unwrap().len(), MIGRATIONS.len());
        assert!(apply(&mut conn).unwrap().is_empty());
        let count: i64 = conn
            .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count as usize, MIGRATIONS.len());
    }

    /// A database as a build that knew only the first `applied` migrations left it.
    fn database_before(applied: usize) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for &(version, name, sql) in &MIGRATIONS[..applied] {
            conn.execute_batch(sql).unwrap();
            conn.execute_batch(&format!(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, \
                 name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT 'then'); \
                 INSERT INTO schema_migrations (version, name) VALUES ({version}, '{name}');"
            ))
            .unwrap();
        }
        conn
    }

    #[test]
    fn label_rows_from_before_0004_get_their_comments_status_and_keep_it() {
        let mut conn = database_before(3);
        conn.execute_batch(
            "INSERT INTO comments (id, article_id, author, body, status, auto_status, max_score, \
             scores, reasons, model_version, thresholds, created_at, created_ms, updated_at) \
             VALUES ('c1', 'a', 'ann', 'you idiot', 'held', 'held', 0.9, '{}', '[]', 'v', '{}', \
             't', 0, 't'); \
             INSERT INTO comment_labels (comment_seq, label, score) VALUES (1, 'abuse', 0.9);",
        )
        .unwrap();
        assert_eq!(
            apply(&mut conn).unwrap(),
            vec![
                "0004_label_queue",
                "0005_finer_label_queue",
                "0006_audit_log_moderator_actions",
                "0007_reader_reports",
                "0008_authors_and_articles",
                "0009_article_premoderation"
            ]
        );
        let copy = |conn: &Connection| -> (String, f64) {
            conn.query_row(
                "SELECT comment_status, comment_score FROM comment_labels WHERE comment_seq = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        };
        assert_eq!(copy(&conn), ("held".to_string(), 0.9));
        conn.execute_batch("UPDATE comments SET status = 'published', max_score = 0.4")
            .unwrap();
        assert_eq!(copy(&conn), ("published".to_string(), 0.4));
    }

    #[test]
    fn comments_and_log_entries_from_before_0007_have_no_reports() {
        let mut conn = database_before(6);
        conn.execute_batch(
            "INSERT INTO comments (id, article_id, author, body, status, auto_status, max_score, \
             scores, reasons, model_version, thresholds, created_at, created_ms, updated_at) \
             VALUES ('c1', 'a', 'ann', 'fine', 'published', 'published', 0.1, '{}', '[]', 'v', \
             '{}', 't', 0, 't'); \
             INSERT INTO audit_log (at, actor, action, comment_id, after_status) \
             VALUES ('t', 'system', 'auto_published', 'c1', 'published');",
        )
        .unwrap();
        assert_eq!(
            apply(&mut conn).unwrap(),
            vec![
                "0007_reader_reports",
                "0008_authors_and_articles",
                "0009_article_premoderation"
            ]
        );
        let (open, last, resolved): (i64, Option<i64>, i64) = conn
            .query_row(
                "SELECT open_reports, last_report_id, \
                 (SELECT resolved_reports FROM audit_log) FROM comments",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((open, last, resolved), (0, None, 0));
        // The log stays append-only through the new column.
        assert!(
            conn.execute("UPDATE audit_log SET resolved_reports = 1", [])
                .is_err()
        );
    }

    // Long on purpose: one database taken across migration 0008 and checked step by step on
    // the way; the steps share its state.
    #[test]
    fn the_log_from_before_0008_keeps_its_entries_ids_and_guards_and_takes_author_actions() {
        let mut conn = database_before(7);
        conn.execute_batch(
            "INSERT INTO comments (id, article_id, author, body, status, auto_status, max_score, \
             scores, reasons, model_version, thresholds, created_at, created_ms, updated_at) \
             VALUES ('c1', 'a', 'ann', 'you idiot', 'held', 'held', 0.9, '{}', '[]', 'v', '{}', \
             't', 0, 't'); \
             INSERT INTO audit_log (at, actor, action, comment_id, after_status) \
             VALUES ('t1', 'system', 'auto_held', 'c1', 'held'); \
             INSERT INTO audit_log (at, actor, action, comment_id, before_status, after_status, \
             reason, override, resolved_reports) \
             VALUES ('t2', 'alice', 'reject', 'c1', 'held', 'rejected', 'insult', 1, 2);",
        )
        .unwrap();
        assert_eq!(
            apply(&mut conn).unwrap(),
            vec!["0008_authors_and_articles", "0009_article_premoderation"]
        );
        // id, actor, action, before, after, override, resolved reports
        type Entry = (i64, String, String, Option<String>, String, bool, i64);
        let entries: Vec<Entry> = conn
            .prepare(
                "SELECT id, actor, action, before_status, after_status, override, \
                 resolved_reports FROM audit_log ORDER BY id",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            entries,
            vec![
                (
                    1,
                    "system".into(),
                    "auto_held".into(),
                    None,
                    "held".into(),
                    false,
                    0
                ),
                (
                    2,
                    "alice".into(),
                    "reject".into(),
                    Some("held".into()),
                    "rejected".into(),
                    true,
                    2
                ),
            ]
        );
        let (author, reason, status): (Option<String>, Option<String>, Option<String>) = conn
            .query_row(
                "SELECT author_id, status_reason, posted_status FROM comments",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((author, reason, status), (None, None, None));
        // An author action needs no comment, and ids carry on after the copied ones.
        conn.execute_batch(
            "INSERT INTO authors (author_id, first_seen_at) VALUES ('u-1', 't'); \
             INSERT INTO audit_log (at, actor, action, author_id, reason) \
             VALUES ('t3', 'alice', 'ban_author', 'u-1', 'spam');",
        )
        .unwrap();
        let last: i64 = conn
            .query_row("SELECT MAX(id) FROM audit_log", [], |r| r.get(0))
            .unwrap();
        assert_eq!(last, 3);
        // An entry about nothing, or a comment entry without a status, is refused.
        for bad in [
            "INSERT INTO audit_log (at, actor, action) VALUES ('t', 'x', 'approve')",
            "INSERT INTO audit_log (at, actor, action, comment_id) VALUES ('t', 'x', 'approve', 'c1')",
            "INSERT INTO authors (author_id, first_seen_at, restriction) VALUES ('u-2', 't', 'suspended')",
        ] {
            assert!(conn.execute_batch(bad).is_err(), "{bad}");
        }
        // Still append-only.
        assert!(
            conn.execute("UPDATE audit_log SET actor = 'mallory'", [])
                .is_err()
        );
        assert!(
            conn.execute("DELETE FROM audit_log WHERE id = 3", [])
                .is_err()
        );
    }

    #[test]
    fn the_log_from_before_0009_keeps_author_actions_and_takes_article_actions() {
        let mut conn = database_before(8);
        conn.execute_batch(
            "INSERT INTO comments (id, article_id, author, body, status, auto_status, max_score, \
             scores, reasons, model_version, thresholds, created_at, created_ms, updated_at) \
             VALUES ('c1', 'a', 'ann', 'fine', 'published', 'published', 0.1, '{}', '[]', 'v', \
             '{}', 't', 0, 't'); \
             INSERT INTO audit_log (at, actor, action, comment_id, after_status) \
             VALUES ('t1', 'system', 'auto_published', 'c1', 'published'); \
             INSERT INTO audit_log (at, actor, action, author_id, reason, until) \
             VALUES ('t2', 'alice', 'suspend_author', 'u-1', 'flame war', '2027-01-01T00:00:00Z');",
        )
        .unwrap();
        assert_eq!(
            apply(&mut conn).unwrap(),
            vec!["0009_article_premoderation"]
        );
        type Entry = (i64, String, Option<String>, Option<String>, Option<String>);
        let entries: Vec<Entry> = conn
            .prepare("SELECT id, action, comment_id, author_id, until FROM audit_log ORDER BY id")
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            entries,
            vec![
                (1, "auto_published".into(), Some("c1".into()), None, None),
                (
                    2,
                    "suspend_author".into(),
                    None,
                    Some("u-1".into()),
                    Some("2027-01-01T00:00:00Z".into())
                ),
            ]
        );
        let premoderated: i64 = conn
            .query_row("SELECT premoderated FROM comments", [], |r| r.get(0))
            .unwrap();
        assert_eq!(premoderated, 0);
        // An entry about an article alone is accepted now; one about nothing still is not.
        conn.execute_batch(
            "INSERT INTO audit_log (at, actor, action, article_id) \
             VALUES ('t3', 'surge', 'surge_premoderation', 'a')",
        )
        .unwrap();
        for bad in [
            "INSERT INTO audit_log (at, actor, action) VALUES ('t', 'x', 'premoderation_on')",
            "INSERT INTO article_premoderation (article_id, active, source, switched_by, \
             switched_at) VALUES ('a', 1, 'robot', 'x', 't')",
            "UPDATE comments SET premoderated = 2",
            "INSERT INTO article_premoderation (article_id, active) VALUES ('b', 1)",
        ] {
            assert!(conn.execute_batch(bad).is_err(), "{bad}");
        }
        assert!(
            conn.execute("UPDATE audit_log SET actor = 'mallory'", [])
                .is_err()
        );
        assert!(conn.execute("DELETE FROM audit_log", []).is_err());
    }

    #[test]
    fn comments_from_before_0005_are_listed_under_finer_labels_without_a_bar() {
        let mut conn = database_before(4);
        // Held for abuse (over its bar); insult 0.9 and threat 0.6 have no bar, obscene 0.2 is
        // too low, incitement 0.55 has a bar it did not reach.
        conn.execute_batch(
            "INSERT INTO comments (id, article_id, author, body, status, auto_status, max_score, \
             scores, reasons, model_version, thresholds, created_at, created_ms, updated_at) \
             VALUES ('c1', 'a', 'ann', 'you idiot', 'held', 'held', 0.92, \
             '{\"abuse\":0.92,\"incitement\":0.55,\"insult\":0.9,\"obscene\":0.2,\"threat\":0.6}', \
             '[]', 'v', '{\"hold\":{\"abuse\":0.7,\"incitement\":0.3},\"reject\":{}}', 't', 0, 't'); \
             INSERT INTO comment_labels (comment_seq, label, score, comment_status, comment_score) \
             VALUES (1, 'abuse', 0.92, 'held', 0.92);",
        )
        .unwrap();
        assert_eq!(apply(&mut conn).unwrap()[0], "0005_finer_label_queue");
        let labels: Vec<(String, f64, String)> = conn
            .prepare("SELECT label, score, comment_status FROM comment_labels ORDER BY label")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            labels,
            vec![
                ("abuse".to_string(), 0.92, "held".to_string()),
                ("insult".to_string(), 0.9, "held".to_string()),
                ("threat".to_string(), 0.6, "held".to_string()),
            ]
        );
    }
}
