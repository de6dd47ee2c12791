//! Storage: the only code that speaks SQL (in `sqlite/` and `postgres/`, one file per area in
//! each, with what the two share in `shared/`; and `migrate_store.rs`, which copies one
//! database into another). Handlers use [`Store`] (`store.rs`) and the plain types of each area
//! (`comments.rs`, `moderation.rs`, `reports.rs`, `queue.rs`, `audit.rs`, `authors.rs`,
//! `premoderation.rs`, `stats.rs`, `learning.rs`), whichever backend [`Location`] names.
//!
//! SQLite (the embedded default): writes (new comments, decisions, reader reports, author
//! actions, pre-moderation switches) go to one writer thread that commits them in batches
//! (group commit) and answers each caller only after COMMIT; reads use a small pool of
//! connections on the blocking thread pool. Nothing here runs SQLite on the async executor.
//!
//! PostgreSQL (several instances on one database): a connection pool; each write is its own
//! transaction, and row locks and unique constraints keep concurrent instances consistent
//! (see `postgres/mod.rs`).

mod audit;
mod authors;
mod comments;
mod error;
mod fleet;
mod learning;
mod location;
mod migrate_store;
mod migrations;
mod moderation;
mod postgres;
mod premoderation;
mod queue;
mod reports;
mod shared;
mod sqlite;
mod stats;
mod store;
mod writer;

pub use audit::*;
pub use authors::*;
pub use comments::*;
pub use error::*;
pub use fleet::Rollout;
pub use learning::*;
pub use location::*;
pub use migrate_store::{MigrateError, Migration, Side, TableCopy, migrate_store};
pub use migrations::MIGRATIONS;
pub use moderation::*;
pub use postgres::PG_MIGRATIONS;
pub use premoderation::{
    ACTION_OFF as PREMODERATION_OFF, ACTION_ON as PREMODERATION_ON,
    ACTION_SURGE as SURGE_PREMODERATION, ArticlePremoderation, PremoderationChange,
    PremoderationCounts, PremoderationInfo, PremoderationOutcome, SURGE_ACTOR,
};
pub use queue::*;
pub use reports::*;
pub use stats::*;
pub use store::Store;

#[cfg(test)]
mod tests;
