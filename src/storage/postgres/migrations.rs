//! PostgreSQL's migrations, applied once under an advisory lock however many instances start
//! together.

use crate::storage::Result;

/// (version, name, SQL) in the order they apply. Append only: never edit a shipped migration.
pub const PG_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "0001_init",
        include_str!("../../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "0002_instances",
        include_str!("../../../migrations/postgres/0002_instances.sql"),
    ),
    (
        3,
        "0003_article_premoderation",
        include_str!("../../../migrations/postgres/0003_article_premoderation.sql"),
    ),
];

/// Key of the advisory lock the migrations run under (any constant; "talkback" in ASCII).
const MIGRATION_LOCK: i64 = 0x7461_6c6b_6261_636b;

/// Apply every migration not yet recorded, in one transaction, holding an advisory lock so two
/// instances starting together apply them once: the second waits, then finds them recorded.
pub(crate) async fn migrate(client: &mut tokio_postgres::Client) -> Result<Vec<String>> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    BIGINT PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let mut applied = Vec::new();
    for &(version, name, sql) in PG_MIGRATIONS {
        let done = tx
            .query_opt(
                "SELECT version FROM schema_migrations WHERE version = $1",
                &[&version],
            )
            .await?;
        if done.is_some() {
            continue;
        }
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[&version, &name],
        )
        .await?;
        applied.push(name.to_string());
    }
    tx.commit().await?;
    Ok(applied)
}
