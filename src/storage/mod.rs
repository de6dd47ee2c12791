//! Storage: the only code that speaks SQL (in `sqlite.rs` and `postgres.rs`, and
//! `migrate_store.rs`, which copies one database into another). Handlers use [`Store`] and the
//! plain types below, whichever backend [`Location`] names.
//!
//! SQLite (the embedded default): writes (new comments, decisions, reader reports, author
//! actions, pre-moderation switches) go to one writer thread that commits them in batches
//! (group commit) and answers each caller only after COMMIT; reads use a small pool of
//! connections on the blocking thread pool. Nothing here runs SQLite on the async executor.
//!
//! PostgreSQL (several instances on one database): a connection pool; each write is its own
//! transaction, and row locks and unique constraints keep concurrent instances consistent
//! (see `postgres.rs`).

mod fleet;
mod migrate_store;
mod migrations;
mod postgres;
#[path = "postgres/premoderation.rs"]
mod postgres_premoderation;
mod premoderation;
mod sqlite;
#[path = "sqlite/premoderation.rs"]
mod sqlite_premoderation;
mod writer;

use crate::domain::{
    AuthorActionReason, AuthorId, AuthorPolicy, AuthorRestriction, CommentId, CommentStatus, Label,
    NewComment, NewReport, Reason, ReportReason, Scores, SurgeRule, Thresholds,
};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use fleet::Rollout;
pub use migrate_store::{MigrateError, Migration, Side, TableCopy, migrate_store};
pub use migrations::MIGRATIONS;
pub use postgres::PG_MIGRATIONS;
pub use premoderation::{
    ACTION_OFF as PREMODERATION_OFF, ACTION_ON as PREMODERATION_ON,
    ACTION_SURGE as SURGE_PREMODERATION, ArticlePremoderation, PremoderationChange,
    PremoderationCounts, PremoderationInfo, PremoderationOutcome, SURGE_ACTOR,
};

/// Where the data lives: a SQLite file, or a PostgreSQL database shared by several instances.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL, as libpq reads it.
    Postgres(String),
}

impl Location {
    /// `postgres://…` or `postgresql://…` names PostgreSQL; `sqlite://PATH` or a plain path
    /// names a SQLite file.
    pub fn parse(raw: &Path) -> Location {
        let text = raw.to_str().unwrap_or_default();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Location::Postgres(text.to_string())
        } else if let Some(path) = text.strip_prefix("sqlite://") {
            Location::Sqlite(PathBuf::from(path))
        } else {
            Location::Sqlite(raw.to_path_buf())
        }
    }

    /// The SQLite file, if that is the backend.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Location::Sqlite(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }
}

/// The PostgreSQL connection pool of one instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSettings {
    /// Connections kept open at most. PostgreSQL's default `max_connections` is 100: ten
    /// instances of 8 fit beside an operator's sessions.
    pub size: usize,
    /// How long a request waits for a free connection (pool exhausted) before it is answered
    /// 503: well inside a client's patience.
    pub wait: std::time::Duration,
    /// How long opening one may take (database down or unreachable) before the same 503.
    pub connect_timeout: std::time::Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            size: 8,
            wait: std::time::Duration::from_secs(2),
            connect_timeout: std::time::Duration::from_secs(3),
        }
    }
}

/// Fit for logs: a PostgreSQL URL's password is left out.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&redact_url(url)),
        }
    }
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Location({self})")
    }
}

/// `postgres://user:secret@host/db?password=x` -> `postgres://user:***@host/db?password=***`.
fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{name}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => kv.to_string(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum StorageError {
    /// The database cannot be used right now but may recover without a code change: busy or
    /// locked, a read-only file or disk, a full disk, an I/O error, the writer thread gone.
    /// Handlers answer "try again shortly".
    #[error("storage unavailable")]
    Unavailable(#[source] Cause),
    /// A failure that retrying will not fix: a constraint violation or SQL error (a bug), or
    /// stored data that does not decode. Handlers answer a generic internal error and log this.
    #[error("storage failed")]
    Failed(#[source] Cause),
    /// Some ids do not name a stored comment; nothing was changed.
    #[error("unknown comment ids")]
    NotFound(Vec<CommentId>),
    /// Some comments already carry a different moderator decision; nothing was changed.
    #[error("conflicting decisions")]
    Conflict(Vec<Conflict>),
    /// `parent_id` names no stored comment on the same article.
    #[error("parent comment {0} does not exist on this article")]
    UnknownParent(CommentId),
    /// The Idempotency-Key was first used with a different request.
    #[error("idempotency key reused with a different request")]
    IdempotencyMismatch,
}

/// The error underneath a [`StorageError`], kept whole for the log. Shared, because one failed
/// group commit is the answer to every write in its batch.
#[derive(Debug, Clone)]
pub struct Cause(Arc<dyn std::error::Error + Send + Sync + 'static>);

impl Cause {
    pub fn new(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Cause(Arc::new(err))
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Cause {
    // The wrapped error is this link of the chain, so the next link is its source.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl From<&str> for Cause {
    fn from(message: &str) -> Self {
        message.to_string().into()
    }
}

impl From<String> for Cause {
    fn from(message: String) -> Self {
        let boxed: Box<dyn std::error::Error + Send + Sync> = message.into();
        Cause(Arc::from(boxed))
    }
}

impl From<rusqlite::Error> for StorageError {
    fn from(err: rusqlite::Error) -> Self {
        if sqlite_is_temporary(&err) {
            StorageError::Unavailable(Cause::new(err))
        } else {
            StorageError::Failed(Cause::new(err))
        }
    }
}

/// SQLite result codes that describe the database's surroundings (locks, file permissions,
/// disk, memory) rather than the statement: the same write can succeed once they change.
/// Everything else (constraint violations, SQL errors, type mismatches, a corrupt file,
/// values that do not decode) is a bug or damaged data, which no retry fixes.
fn sqlite_is_temporary(err: &rusqlite::Error) -> bool {
    use rusqlite::ffi::ErrorCode;
    matches!(
        err.sqlite_error_code(),
        Some(
            ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::ReadOnly
                | ErrorCode::DiskFull
                | ErrorCode::SystemIoFailure
                | ErrorCode::CannotOpen
                | ErrorCode::FileLockingProtocolFailed
                | ErrorCode::PermissionDenied
                | ErrorCode::OutOfMemory
                | ErrorCode::OperationInterrupted
        )
    )
}

impl StorageError {
    /// A task on the blocking pool that did not finish: a panic is a bug, a cancelled task
    /// means the runtime is shutting down.
    fn from_join(err: tokio::task::JoinError) -> Self {
        if err.is_panic() {
            StorageError::Failed(Cause::new(err))
        } else {
            StorageError::Unavailable(Cause::new(err))
        }
    }
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// An Idempotency-Key and a fingerprint of the request it arrived with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub fingerprint: String,
}

/// A scored, decided comment ready to be stored.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub id: CommentId,
    pub comment: NewComment,
    pub status: CommentStatus,
    pub scores: Scores,
    pub reasons: Vec<Reason>,
    pub model_version: String,
    pub thresholds: Thresholds,
    pub idempotency: Option<Idempotency>,
    /// What a restriction on the author does to `status`. Applied by the writer, in the same
    /// transaction as the insert, so a suspension committed a moment before the post counts.
    pub author_policy: AuthorPolicy,
    /// When to pre-moderate the comment's article by itself (None: never). Applied by the
    /// writer like `author_policy`, so every post of a burst sees the switch the one before it
    /// made.
    pub surge: Option<SurgeRule>,
}

/// A label with no hold or reject bar is listed under the queue's label filter (and counted
/// under it in the stats) once the model finds it more likely than not. The finer labels
/// (insult, obscene, threat, identity_attack) have no bar by default, so without this they
/// could never be filtered on, though held comments score up to 0.99 on them.
pub const LABEL_LISTING_FLOOR: f32 = 0.5;

/// The labels a comment is listed under, with their scores: every label over its bar (the
/// comment's reasons), then every label without a bar that scored at least
/// [`LABEL_LISTING_FLOOR`]. A label with a bar it did not reach is not listed: its bar says
/// what counts.
pub(crate) fn listed_labels(
    scores: &Scores,
    reasons: &[Reason],
    thresholds: &Thresholds,
) -> Vec<(Label, f32)> {
    let mut out: Vec<(Label, f32)> = reasons.iter().map(|r| (r.label, r.score)).collect();
    for (label, score) in scores.iter() {
        let has_bar =
            thresholds.hold.contains_key(&label) || thresholds.reject.contains_key(&label);
        if !has_bar && score >= LABEL_LISTING_FLOOR && !out.iter().any(|(l, _)| *l == label) {
            out.push((label, score));
        }
    }
    out
}

/// A stored comment with everything that decided it.
#[derive(Debug, Clone, Serialize)]
pub struct StoredComment {
    pub id: CommentId,
    pub article_id: String,
    pub parent_id: Option<CommentId>,
    pub author: String,
    /// The platform's user id, when the post carried one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    pub title: Option<String>,
    pub body: String,
    pub status: CommentStatus,
    /// The model's own verdict, whatever decided `status`.
    pub auto_status: CommentStatus,
    /// `author_suspended` or `author_banned` when a restriction on the author decided the
    /// status the comment was posted with, rather than the model alone; otherwise
    /// `article_premoderated` when the article's pre-moderation did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// The status the post was answered with (what a retry must answer again).
    #[serde(skip)]
    pub posted_status: CommentStatus,
    pub scores: Scores,
    pub reasons: Vec<Reason>,
    pub model_version: String,
    pub thresholds: Thresholds,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip)]
    pub request_hash: Option<String>,
    /// The comment's open (unresolved) reader reports, when it has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports: Option<ReportSummary>,
    /// The article's address and headline, when the platform sent them (queue and detail).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<ArticleInfo>,
    /// The comment this one replies to, in short (queue and detail).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<ParentExcerpt>,
    /// Set on a comment just stored whose post completed a surge and switched its article to
    /// pre-moderation (for the log line; never stored).
    #[serde(skip)]
    pub started_surge: bool,
}

/// What the platform told about an article: stored once per article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleInfo {
    pub url: Option<String>,
    pub title: Option<String>,
}

/// The comment a reply answers, as much as a moderator needs to read the reply in context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParentExcerpt {
    pub id: CommentId,
    pub author: String,
    /// Its first [`PARENT_EXCERPT_CHARS`] characters, with `…` when there is more.
    pub excerpt: String,
    pub status: CommentStatus,
    pub created_at: String,
}

/// Characters of a parent comment a reply's card shows: more than the log's excerpt, since
/// the reply may answer any part of it.
pub const PARENT_EXCERPT_CHARS: usize = 400;

/// A comment's open reader reports at a glance, for a queue card.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReportSummary {
    /// Open reports.
    pub count: u32,
    /// Distinct readers behind them; anonymous reports together count as one (see
    /// [`distinct_reporters`]). This is what the re-queue threshold compares.
    pub reporters: u32,
    /// Open reports per reason.
    pub reasons: std::collections::BTreeMap<ReportReason, u32>,
    /// The newest notes readers wrote, at most [`SUMMARY_NOTES`].
    pub notes: Vec<String>,
}

/// Reader notes a queue card carries; the comment's detail lists every report.
pub const SUMMARY_NOTES: usize = 3;

/// Readers behind a set of reports. Reports without a `reporter_id` cannot be told apart, so
/// together they count as one reader: otherwise one person could hide any comment by reporting
/// it anonymously a few times.
pub fn distinct_reporters<'a>(reporter_ids: impl IntoIterator<Item = Option<&'a str>>) -> u32 {
    let mut ids = std::collections::BTreeSet::new();
    let mut anonymous = false;
    for id in reporter_ids {
        match id {
            Some(id) => {
                ids.insert(id);
            }
            None => anonymous = true,
        }
    }
    ids.len() as u32 + u32::from(anonymous)
}

/// One reader report as a comment's detail lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRecord {
    pub id: i64,
    pub reason: ReportReason,
    pub reporter_id: Option<String>,
    pub note: Option<String>,
    pub created_at: String,
    /// `upheld` (a moderator rejected the comment) or `dismissed` (approved); None while open.
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
}

/// What storing a report did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportOutcome {
    /// The stored report; for a duplicate, the reporter's open report on this comment.
    pub report_id: i64,
    pub reason: ReportReason,
    /// False when this reporter already had an open report on the comment: nothing stored.
    pub counted: bool,
    /// The comment's status after the report.
    pub status: CommentStatus,
    /// True when this report crossed the threshold and sent the comment back to the queue.
    pub requeued: bool,
    /// The comment's open reports after this one.
    pub open_reports: u32,
    pub reporters: u32,
}

#[derive(Debug)]
pub enum InsertOutcome {
    Created(StoredComment),
    /// The Idempotency-Key was seen before with the same request: the first result.
    Existing(StoredComment),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Decision::Approve, Decision::Reject]
            .into_iter()
            .find(|d| d.as_str() == raw)
    }

    pub fn resulting_status(self) -> CommentStatus {
        match self {
            Decision::Approve => CommentStatus::Published,
            Decision::Reject => CommentStatus::Rejected,
        }
    }
}

/// Why a moderator rejected a comment. The short fixed list keeps decisions usable as training
/// labels: each reason implies target values for the model's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    Insult,
    Obscene,
    Threat,
    IdentityAttack,
    Incitement,
    Spam,
    OffTopic,
    Other,
}

impl RejectReason {
    pub const ALL: [RejectReason; 8] = [
        Self::Insult,
        Self::Obscene,
        Self::Threat,
        Self::IdentityAttack,
        Self::Incitement,
        Self::Spam,
        Self::OffTopic,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Insult => "insult",
            Self::Obscene => "obscene",
            Self::Threat => "threat",
            Self::IdentityAttack => "identity_attack",
            Self::Incitement => "incitement",
            Self::Spam => "spam",
            Self::OffTopic => "off_topic",
            Self::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// Labels this reason asserts as positive.
    fn positive_labels(self) -> &'static [Label] {
        match self {
            Self::Insult => &[Label::Abuse, Label::Insult],
            Self::Obscene => &[Label::Abuse, Label::Obscene],
            Self::Threat => &[Label::Abuse, Label::Threat],
            Self::IdentityAttack => &[Label::Abuse, Label::IdentityAttack],
            Self::Incitement => &[Label::Incitement],
            Self::Spam | Self::OffTopic | Self::Other => &[],
        }
    }
}

/// Training targets implied by a decision: approval says the comment is neither abusive nor
/// inciting; a rejection asserts the labels its reason names and nothing else. Reports the
/// decision resolves add to this: see [`labels_with_reports`].
pub fn implied_labels(
    decision: Decision,
    reason: Option<RejectReason>,
) -> std::collections::BTreeMap<Label, u8> {
    match decision {
        Decision::Approve => [(Label::Abuse, 0), (Label::Incitement, 0)].into(),
        Decision::Reject => reason
            .map(|r| r.positive_labels().iter().map(|&l| (l, 1)).collect())
            .unwrap_or_default(),
    }
}

/// Training targets of a decision that resolves reader reports. The moderator's reason is the
/// label wherever it names one. A rejection without a toxicity reason (`other`, or none) upholds
/// the readers' reports: each reported toxicity label (abuse, incitement) becomes a positive,
/// which turns a rejection that used to teach nothing into a training row. A rejection for
/// spam or off topic names a reason other than toxicity, so it upholds no toxicity report. An
/// approval dismisses every report; its abuse=0, incitement=0 already make the reported labels
/// negatives.
pub fn labels_with_reports(
    decision: Decision,
    reason: Option<RejectReason>,
    reports: &[ReportReason],
) -> std::collections::BTreeMap<Label, u8> {
    let mut labels = implied_labels(decision, reason);
    if decision == Decision::Reject && matches!(reason, None | Some(RejectReason::Other)) {
        for label in reports.iter().filter_map(|r| r.label()) {
            labels.entry(label).or_insert(1);
        }
    }
    labels
}

/// One moderator action on one or more comments, applied atomically.
#[derive(Debug, Clone)]
pub struct DecisionRequest {
    pub ids: Vec<CommentId>,
    pub moderator: String,
    pub decision: Decision,
    pub reason: Option<RejectReason>,
    pub note: Option<String>,
    /// Replace an earlier, different moderator decision instead of failing with a conflict.
    pub override_previous: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionResult {
    pub id: CommentId,
    pub before: CommentStatus,
    pub after: CommentStatus,
    /// False when the same decision had already been taken: no new decision was recorded.
    pub changed: bool,
    /// Open reader reports this action resolved (also when it repeated the earlier decision).
    pub resolved_reports: u32,
}

/// A comment whose earlier moderator decision differs from the requested one.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub id: CommentId,
    pub status: CommentStatus,
    pub decision: Decision,
    pub moderator: String,
    pub decided_at: String,
}

/// Where a page ends; handed to clients as an opaque string. Keyset pagination: the next page
/// starts strictly after this position, so inserts and deletes elsewhere do not shift it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cursor {
    /// Position in insertion order (oldest/newest first, published listing, audit log).
    Seq(i64),
    /// Position in severity order: max score, then insertion order.
    Score { score: f64, seq: i64 },
    /// Position in the reported queue's count order: open reports, then latest report id.
    Count { count: i64, seq: i64 },
}

#[derive(Debug, thiserror::Error)]
#[error("`cursor` is not a cursor this endpoint returned")]
pub struct InvalidCursor;

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = match self {
            Cursor::Seq(seq) => format!("q{seq}"),
            Cursor::Score { score, seq } => format!("s{:x}.{seq}", score.to_bits()),
            Cursor::Count { count, seq } => format!("c{count}.{seq}"),
        };
        hex::encode(raw)
    }

    pub fn decode(raw: &str) -> Result<Cursor, InvalidCursor> {
        let bytes = hex::decode(raw).map_err(|_| InvalidCursor)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| InvalidCursor)?;
        let parse_seq = |s: &str| s.parse::<i64>().map_err(|_| InvalidCursor);
        if let Some(seq) = text.strip_prefix('q') {
            return Ok(Cursor::Seq(parse_seq(seq)?));
        }
        if let Some(rest) = text.strip_prefix('c') {
            let (count, seq) = rest.split_once('.').ok_or(InvalidCursor)?;
            return Ok(Cursor::Count {
                count: parse_seq(count)?,
                seq: parse_seq(seq)?,
            });
        }
        if let Some(rest) = text.strip_prefix('s') {
            let (bits, seq) = rest.split_once('.').ok_or(InvalidCursor)?;
            let bits = u64::from_str_radix(bits, 16).map_err(|_| InvalidCursor)?;
            let score = f64::from_bits(bits);
            if !score.is_finite() {
                return Err(InvalidCursor);
            }
            return Ok(Cursor::Score {
                score,
                seq: parse_seq(seq)?,
            });
        }
        Err(InvalidCursor)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueOrder {
    /// Most severe first (largest score), ties oldest first.
    Score,
    /// Oldest first. In the reported queue: reported longest ago first (by latest report).
    Oldest,
    Newest,
    /// The reported queue only: most open reports first, ties reported longest ago first.
    Reports,
}

impl QueueOrder {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "score" => Some(Self::Score),
            "oldest" => Some(Self::Oldest),
            "newest" => Some(Self::Newest),
            "reports" => Some(Self::Reports),
            _ => None,
        }
    }
}

/// Which comments a queue lists: those with one status, or those with open reader reports
/// whatever their status (a published comment readers reported, below the threshold, is there
/// too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueView {
    Status(CommentStatus),
    Reported,
}

impl QueueView {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "reported" => Some(Self::Reported),
            other => CommentStatus::parse(other).map(Self::Status),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Status(s) => s.as_str(),
            Self::Reported => "reported",
        }
    }
}

#[derive(Debug, Clone)]
pub struct QueueFilter {
    pub view: QueueView,
    pub label: Option<Label>,
    pub article_id: Option<String>,
    pub order: QueueOrder,
    pub limit: usize,
    pub after: Option<Cursor>,
}

/// Who made an audit log entry: a moderator (approve, reject), a reader (report) or the service
/// itself (auto_*, rescore).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    Moderator,
    Reader,
    Automatic,
}

impl LogKind {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "moderator" => Some(Self::Moderator),
            "reader" => Some(Self::Reader),
            "automatic" => Some(Self::Automatic),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct LogFilter {
    pub comment_id: Option<CommentId>,
    /// Actions on this author (suspensions, bans, lifts).
    pub author_id: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub article_id: Option<String>,
    pub kind: Option<LogKind>,
    pub limit: usize,
    pub after: Option<Cursor>,
}

/// How far the audit log has come, for a live queue's ETag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueVersion {
    /// The last visible audit entry id.
    pub last: i64,
    /// An audit id every entry at or below which is visible or will never be: with several
    /// instances, entry ids are drawn before commit, so one committing late can land below
    /// `last`; it is always above the `settled` of any poll that could not see it, so the pair
    /// moves when it appears. Equal to `last` on SQLite (one writer commits in id order).
    /// None while a transaction held open on the server keeps it from being known: then no
    /// version can be trusted to be unchanged.
    pub settled: Option<i64>,
}

/// What a live queue polls for. `version` is cheap to read and moves with every stored change
/// (new comment, decision, rescore, report), so a poll that finds it unchanged costs one index
/// lookup.
#[derive(Debug, Clone)]
pub struct QueueUpdates {
    /// The audit log's last entry id: every change to a comment appends an entry.
    pub version: i64,
    /// See [`QueueVersion::settled`].
    pub settled_version: Option<i64>,
    /// The newest stored comment's position (in the reported view: the newest report's);
    /// comments after it are new to the caller.
    pub watermark: Cursor,
    /// Comments waiting in the held queue.
    pub held: u64,
    /// Comments with open reader reports.
    pub reported: u64,
    /// Comments in the filtered view stored (in the reported view: reported) after `since`,
    /// oldest first, at most `filter.limit`; `more_new` when there are more.
    pub new_ids: Vec<CommentId>,
    pub more_new: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Present when more items may follow; pass it back as `cursor`.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    /// None for an action on an author (`suspend_author`, `ban_author`, `lift_author`).
    pub comment_id: Option<CommentId>,
    /// The author an author action was about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    pub before_status: Option<CommentStatus>,
    /// The comment's status after the entry; None for an author action.
    pub after_status: Option<CommentStatus>,
    /// A suspension's end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    pub reason: Option<String>,
    pub note: Option<String>,
    #[serde(rename = "override")]
    pub override_previous: bool,
    /// Open reader reports a moderator's decision resolved.
    pub resolved_reports: u32,
    /// The comment's article and the start of its text, so a log can be read without opening
    /// each comment (the audit log listing only; a comment's own history leaves them out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

/// Characters of a comment's text the audit log listing carries.
pub const EXCERPT_CHARS: usize = 160;

/// What a moderator does to an author.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorActionKind {
    /// For this long from the moment it is stored.
    Suspend {
        duration_secs: u64,
    },
    Ban,
    /// Ends a suspension or a ban.
    Lift,
}

impl AuthorActionKind {
    /// The audit log's action.
    pub fn action(self) -> &'static str {
        match self {
            Self::Suspend { .. } => "suspend_author",
            Self::Ban => "ban_author",
            Self::Lift => "lift_author",
        }
    }
}

#[derive(Debug, Clone)]
pub struct AuthorAction {
    pub author_id: AuthorId,
    pub moderator: String,
    pub kind: AuthorActionKind,
    pub reason: AuthorActionReason,
}

/// A restriction in force on an author.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestrictionInfo {
    pub kind: AuthorRestriction,
    /// A suspension's end (RFC 3339); None for a ban.
    pub until: Option<String>,
    pub by: String,
    pub at: String,
    pub reason: String,
}

/// An author's standing now: `active`, `suspended` or `banned`. A suspension whose end has
/// passed reads as `active`, with nothing in `restriction`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuthorStanding {
    pub author_id: String,
    pub status: &'static str,
    pub restriction: Option<RestrictionInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuthorActionOutcome {
    #[serde(flatten)]
    pub standing: AuthorStanding,
    /// False when there was nothing to change (lifting what is not in force, banning the
    /// banned): nothing was recorded.
    pub changed: bool,
}

/// One of an author's comments in their panel.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorComment {
    pub id: CommentId,
    pub article_id: String,
    /// The display name it was posted under.
    pub author: String,
    /// Its first [`EXCERPT_CHARS`] characters.
    pub excerpt: String,
    pub status: CommentStatus,
    pub auto_status: CommentStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    pub created_at: String,
}

/// Everything the author panel shows.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorPanel {
    #[serde(flatten)]
    pub standing: AuthorStanding,
    /// The display name of their latest comment.
    pub display_name: Option<String>,
    pub first_seen_at: String,
    /// Their comments by current status.
    pub counts: StatusCounts,
    /// Their latest comments, newest first.
    pub recent: Vec<AuthorComment>,
    /// Suspensions, bans and lifts, newest first (at most [`AUTHOR_ACTIONS_LISTED`]).
    pub actions: Vec<AuditEntry>,
}

pub const AUTHOR_ACTIONS_LISTED: usize = 50;

#[derive(Debug, Clone, Serialize)]
pub struct DecisionRecord {
    pub moderator: String,
    pub decision: Decision,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub labels: serde_json::Value,
    pub overturned: bool,
    #[serde(rename = "override")]
    pub override_previous: bool,
    pub decided_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommentDetail {
    #[serde(flatten)]
    pub comment: StoredComment,
    pub decisions: Vec<DecisionRecord>,
    pub history: Vec<AuditEntry>,
    /// Every reader report, open and resolved, oldest first.
    pub report_history: Vec<ReportRecord>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct StatusCounts {
    pub total: u64,
    pub published: u64,
    pub held: u64,
    pub rejected: u64,
}

impl StatusCounts {
    fn add(&mut self, status: CommentStatus, n: u64) {
        self.total += n;
        match status {
            CommentStatus::Published => self.published += n,
            CommentStatus::Held => self.held += n,
            CommentStatus::Rejected => self.rejected += n,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelVersionStats {
    pub version: String,
    /// How that version's verdicts split.
    pub auto: StatusCounts,
    /// Comments of that version a moderator decided.
    pub reviewed: u64,
    /// Of those, how many the moderator overturned (approved a flagged comment, or rejected a
    /// published one).
    pub overturned: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Current status of every stored comment.
    pub comments: StatusCounts,
    /// Comments per label they are listed under (see [`LABEL_LISTING_FLOOR`]), by current
    /// status.
    pub labels: std::collections::BTreeMap<Label, StatusCounts>,
    pub oldest_held_age_seconds: Option<u64>,
    pub decisions: std::collections::BTreeMap<String, u64>,
    pub model_versions: Vec<ModelVersionStats>,
    pub training_data: TrainingDataCounts,
    pub reports: ReportCounts,
    /// Authors under a suspension or ban now.
    pub authors: AuthorCounts,
    /// Articles under pre-moderation now.
    pub articles: PremoderationCounts,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AuthorCounts {
    pub suspended: u64,
    pub banned: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportCounts {
    /// Comments with open reports (the reported queue).
    pub comments: u64,
    pub open: u64,
    /// Resolved by a rejection.
    pub upheld: u64,
    /// Resolved by an approval.
    pub dismissed: u64,
}

/// Rows kept for retraining from the Perspective-compatible API.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TrainingDataCounts {
    pub analyses: u64,
    pub suggestions: u64,
}

/// Text a platform sent through the Perspective-compatible API, kept for retraining.
#[derive(Debug, Clone)]
pub enum TrainingRecord {
    /// `comments:analyze` with `doNotStore: false`: the text and what the model said.
    Analysis {
        api_key: String,
        text: String,
        scores: Scores,
        model_version: String,
        client_token: Option<String>,
        community_id: Option<String>,
    },
    /// `comments:suggestscore`: the platform's own judgement, per Perspective attribute, with
    /// the talkback label it teaches.
    Suggestion {
        api_key: String,
        text: String,
        scores: Vec<SuggestedScore>,
        context: Option<String>,
        community_id: Option<String>,
        client_token: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct SuggestedScore {
    pub attribute: String,
    pub label: Label,
    pub value: f32,
}

/// A comment no moderator has decided, no reader has an open report on and no restriction on
/// its author decided, as input to `talkback rescore`.
#[derive(Debug, Clone)]
pub struct Undecided {
    pub id: CommentId,
    pub body: String,
    pub status: CommentStatus,
    pub model_version: String,
}

/// A new model verdict for an undecided comment (`talkback rescore --apply`).
#[derive(Debug, Clone)]
pub struct Rescored {
    pub id: CommentId,
    /// The status the verdict was computed against; a comment that moved since (a moderator
    /// decided it, another rescore ran) is skipped, never overwritten.
    pub expected_status: CommentStatus,
    pub status: CommentStatus,
    pub scores: Scores,
    pub reasons: Vec<Reason>,
    pub model_version: String,
    pub thresholds: Thresholds,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RescoreOutcome {
    pub applied: usize,
    /// Comments that changed status or got a moderator decision in the meantime.
    pub skipped: usize,
}

/// A comment with its latest moderator decision: one training example.
#[derive(Debug, Clone)]
pub struct DecidedComment {
    pub id: CommentId,
    pub body: String,
    pub decision: Decision,
    pub reason: Option<String>,
    /// Implied training targets as stored with the decision (see [`implied_labels`]).
    pub labels: std::collections::BTreeMap<Label, u8>,
}

/// One `comments:suggestscore` judgement: a platform's score for one label of one text.
#[derive(Debug, Clone)]
pub struct SuggestedLabel {
    pub text: String,
    pub label: Label,
    pub value: f32,
}

/// The storage facade handlers use. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Backend>,
}

enum Backend {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

/// One operation on either backend: `$sqlite` runs on a pooled SQLite read connection,
/// `$pg` on the PostgreSQL pool.
macro_rules! read_either {
    ($self:ident, |$db:ident| $sqlite:expr, |$pool:ident| $pg:expr) => {
        match &*$self.inner {
            Backend::Sqlite(_) => $self.read(move |$db| $sqlite).await,
            Backend::Postgres(pg) => pg.run(move |$pool| $pg).await,
        }
    };
}

impl Store {
    /// Open a SQLite file (creating file and directory when missing), apply pending
    /// migrations, start the writer thread. Returns the names of the migrations applied now.
    pub fn open(path: &Path) -> Result<(Store, Vec<String>)> {
        let (inner, applied) = sqlite::Sqlite::open(path)?;
        Ok((Store::with(Backend::Sqlite(inner)), applied))
    }

    /// Open whichever backend `location` names; for PostgreSQL, connect and apply pending
    /// migrations under an advisory lock (instances starting together apply them once).
    pub fn connect(location: &Location) -> Result<(Store, Vec<String>)> {
        Store::connect_with(location, PoolSettings::default())
    }

    /// As [`Store::connect`], with this PostgreSQL pool (ignored for SQLite).
    pub fn connect_with(location: &Location, pool: PoolSettings) -> Result<(Store, Vec<String>)> {
        match location {
            Location::Sqlite(path) => Store::open(path),
            Location::Postgres(url) => {
                let (inner, applied) = postgres::Postgres::open(url, pool)?;
                Ok((Store::with(Backend::Postgres(inner)), applied))
            }
        }
    }

    fn with(backend: Backend) -> Store {
        Store {
            inner: Arc::new(backend),
        }
    }

    /// The migrations this store's backend knows, in order (what a new database applies).
    pub fn migrations(&self) -> &'static [(i64, &'static str, &'static str)] {
        match &*self.inner {
            Backend::Sqlite(_) => MIGRATIONS,
            Backend::Postgres(_) => PG_MIGRATIONS,
        }
    }

    /// Store a new comment; resolves once it is committed. With an Idempotency-Key already
    /// used for the same request, returns the first result instead.
    pub async fn insert_comment(&self, record: NewRecord) -> Result<InsertOutcome> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.insert(record).await,
            Backend::Postgres(pg) => pg.run(|pool| postgres::insert_comment(pool, record)).await,
        }
    }

    /// Apply one moderator action to every id in it, atomically.
    pub async fn decide(&self, request: DecisionRequest) -> Result<Vec<DecisionResult>> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.decide(request).await,
            Backend::Postgres(pg) => pg.run(|pool| postgres::decide(pool, request)).await,
        }
    }

    /// Switch an article's pre-moderation on or off; resolves once committed. None: no comment
    /// was ever posted on that article, and nothing was stored.
    pub async fn set_premoderation(
        &self,
        change: PremoderationChange,
    ) -> Result<Option<PremoderationOutcome>> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.premoderation(change).await,
            Backend::Postgres(pg) => {
                pg.run(|pool| postgres::set_premoderation(pool, change))
                    .await
            }
        }
    }

    /// An article's pre-moderation now; None for an article no comment was posted on.
    pub async fn premoderation(&self, article_id: String) -> Result<Option<ArticlePremoderation>> {
        read_either!(
            self,
            |db| sqlite_premoderation::article_premoderation(db, &article_id),
            |pool| postgres::article_premoderation(pool, article_id)
        )
    }

    /// Every article under pre-moderation, most recently switched on first.
    pub async fn premoderated_articles(&self) -> Result<Vec<ArticlePremoderation>> {
        read_either!(
            self,
            |db| sqlite_premoderation::premoderated_articles(db),
            |pool| postgres::premoderated_articles(pool)
        )
    }

    /// Suspend, ban or reinstate an author; resolves once committed. None: no comment was ever
    /// posted with that author id, and nothing was stored.
    pub async fn act_on_author(&self, action: AuthorAction) -> Result<Option<AuthorActionOutcome>> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.author_action(action).await,
            Backend::Postgres(pg) => pg.run(|pool| postgres::act_on_author(pool, action)).await,
        }
    }

    /// An author's standing, counts, latest `limit` comments and the actions taken on them;
    /// None for an author id no comment was posted with.
    pub async fn author(&self, author_id: String, limit: usize) -> Result<Option<AuthorPanel>> {
        read_either!(
            self,
            |db| sqlite::author_panel(db, &author_id, limit),
            |pool| postgres::author_panel(pool, author_id, limit)
        )
    }

    /// Store a reader report; resolves once committed. A published comment no moderator has
    /// decided goes back to the held queue once `threshold` distinct readers have open reports
    /// on it. An unknown comment is `NotFound`.
    pub async fn report(&self, report: NewReport, threshold: u32) -> Result<ReportOutcome> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.report(report, threshold).await,
            Backend::Postgres(pg) => {
                pg.run(|pool| postgres::insert_report(pool, report, threshold))
                    .await
            }
        }
    }

    pub async fn find_by_idempotency_key(&self, key: String) -> Result<Option<StoredComment>> {
        read_either!(
            self,
            |db| sqlite::find_by_idempotency_key(db, &key),
            |pool| postgres::find_by_idempotency_key(pool, key)
        )
    }

    /// Published comments of one article, oldest first.
    pub async fn list_published(
        &self,
        article_id: String,
        limit: usize,
        after: Option<Cursor>,
    ) -> Result<Page<StoredComment>> {
        read_either!(
            self,
            |db| sqlite::list_published(db, &article_id, limit, after),
            |pool| postgres::list_published(pool, article_id, limit, after)
        )
    }

    pub async fn queue(&self, filter: QueueFilter) -> Result<Page<StoredComment>> {
        read_either!(self, |db| sqlite::queue(db, &filter), |pool| {
            postgres::queue(pool, filter)
        })
    }

    /// The cheap part of [`Store::queue_updates`]: has anything changed since `version`?
    pub async fn queue_version(&self) -> Result<QueueVersion> {
        read_either!(
            self,
            |db| sqlite::queue_version(db).map(|last| QueueVersion {
                last,
                settled: Some(last)
            }),
            |pool| postgres::queue_version(pool)
        )
    }

    /// Version, watermark, held count and the ids of comments in the filtered view stored
    /// after `since` (none without it), read from one snapshot so they agree. The watermark is
    /// settled: no comment (report) at or below it can still appear, so a client that polls
    /// from it again never skips one; ids above it already seen may be listed again.
    pub async fn queue_updates(
        &self,
        filter: QueueFilter,
        since: Option<i64>,
    ) -> Result<QueueUpdates> {
        read_either!(
            self,
            |db| sqlite::queue_updates(db, &filter, since),
            |pool| postgres::queue_updates(pool, filter, since)
        )
    }

    pub async fn get_detail(&self, id: CommentId) -> Result<Option<CommentDetail>> {
        read_either!(self, |db| sqlite::get_detail(db, id), |pool| {
            postgres::get_detail(pool, id)
        })
    }

    pub async fn audit_log(&self, filter: LogFilter) -> Result<Page<AuditEntry>> {
        read_either!(self, |db| sqlite::audit_log(db, &filter), |pool| {
            postgres::audit_log(pool, filter)
        })
    }

    pub async fn stats(&self) -> Result<Stats> {
        read_either!(self, |db| sqlite::stats(db), |pool| postgres::stats(pool))
    }

    /// Readiness: the database answers (and, on SQLite, the writer thread is running).
    pub async fn ping(&self) -> Result<()> {
        if let Backend::Sqlite(db) = &*self.inner
            && !db.writer.is_alive()
        {
            return Err(StorageError::Unavailable("writer thread stopped".into()));
        }
        read_either!(self, |db| sqlite::ping(db), |pool| postgres::ping(pool))
    }

    /// Keep text sent through the Perspective-compatible API for retraining; resolves once
    /// committed.
    pub async fn record_training(&self, record: TrainingRecord) -> Result<()> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.record_training(record).await,
            Backend::Postgres(pg) => pg.run(|pool| postgres::insert_training(pool, record)).await,
        }
    }

    /// Undecided, unreported comments with this status whose author restriction did not decide
    /// it, oldest first (rescore input).
    pub async fn undecided(&self, status: CommentStatus) -> Result<Vec<Undecided>> {
        read_either!(self, |db| sqlite::undecided(db, status), |pool| {
            postgres::undecided(pool, status)
        })
    }

    /// Record new model verdicts (status, scores, reasons, model version) in one transaction,
    /// with an audit entry by actor `rescore` for each; see [`Rescored::expected_status`].
    pub async fn apply_rescore(&self, updates: Vec<Rescored>) -> Result<RescoreOutcome> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.rescore(updates).await,
            Backend::Postgres(pg) => pg.run(|pool| postgres::apply_rescore(pool, updates)).await,
        }
    }

    /// Every decided comment with its latest decision, oldest comment first (export).
    pub async fn decided_comments(&self) -> Result<Vec<DecidedComment>> {
        read_either!(self, |db| sqlite::decided_comments(db), |pool| {
            postgres::decided_comments(pool)
        })
    }

    /// Every stored `comments:suggestscore` judgement, in arrival order (export).
    pub async fn suggested_labels(&self) -> Result<Vec<SuggestedLabel>> {
        read_either!(self, |db| sqlite::suggested_labels(db), |pool| {
            postgres::suggested_labels(pool)
        })
    }

    /// Whether several instances may share this database (PostgreSQL): then the model in
    /// service and the per-person rate allowances are kept in it (see `fleet`).
    pub fn is_shared(&self) -> bool {
        matches!(&*self.inner, Backend::Postgres(_))
    }

    /// Record that this instance put `version` in service (loaded from `path`, None: the
    /// configured path), so every instance on the database follows. Returns the rollout's
    /// generation; None on SQLite, where there is no other instance to tell.
    pub async fn publish_model(
        &self,
        version: String,
        path: Option<String>,
        by: String,
    ) -> Result<Option<i64>> {
        match &*self.inner {
            Backend::Sqlite(_) => Ok(None),
            Backend::Postgres(pg) => pg
                .run(|pool| fleet::publish_model(pool, version, path, by))
                .await
                .map(Some),
        }
    }

    /// The model the last reload on any instance put in service; None before the first
    /// reload, and always on SQLite.
    pub async fn rollout(&self) -> Result<Option<Rollout>> {
        match &*self.inner {
            Backend::Sqlite(_) => Ok(None),
            Backend::Postgres(pg) => pg.run(fleet::rollout).await,
        }
    }

    /// Take one request from `key`'s shared allowance (one per `interval`, `burst` ahead at
    /// most); None when allowed, else how long until it would be. Always allowed on SQLite,
    /// whose single instance limits in memory.
    pub async fn take_allowance(
        &self,
        key: String,
        interval: std::time::Duration,
        burst: std::time::Duration,
    ) -> Result<Option<std::time::Duration>> {
        match &*self.inner {
            Backend::Sqlite(_) => Ok(None),
            Backend::Postgres(pg) => {
                pg.run(|pool| fleet::take_allowance(pool, key, interval, burst))
                    .await
            }
        }
    }

    /// Drop allowances that are whole again; returns how many.
    pub async fn forget_spent_allowances(&self) -> Result<u64> {
        match &*self.inner {
            Backend::Sqlite(_) => Ok(0),
            Backend::Postgres(pg) => pg.run(fleet::forget_spent_allowances).await,
        }
    }

    /// SQLite: let the writer finish every queued write, then stop it. PostgreSQL: close the
    /// pool (every write answered so far is committed). Call after the HTTP server has
    /// stopped, so no new writes arrive.
    pub fn shutdown(&self) {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.shutdown(),
            Backend::Postgres(pg) => pg.shutdown(),
        }
    }

    /// Run `f` on a SQLite read connection on the blocking pool (SQLite backend only).
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        // Keeps the caller's span (the request and its id) on log lines from the blocking pool.
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            span.in_scope(|| match &*inner {
                Backend::Sqlite(db) => db.with_reader(f),
                Backend::Postgres(_) => Err(StorageError::Failed(
                    "a SQLite read was sent to the PostgreSQL backend".into(),
                )),
            })
        })
        .await
        .map_err(StorageError::from_join)?
    }
}

#[cfg(test)]
mod tests;
