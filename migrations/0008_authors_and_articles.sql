-- Context for moderators and actions on authors (issue #21, requirements 4 and 5): the
-- platform's user id on each comment, the article's address and headline, and suspensions and
-- bans that change what happens to an author's new comments.

-- The platform's user id; NULL for comments posted without one (known by display name only).
ALTER TABLE comments ADD COLUMN author_id TEXT;
-- Set when a restriction on the author decided (or confirmed) the comment's status instead of
-- the model alone. `auto_status` keeps the model's own verdict, so a moderator approving a
-- suspended author's comment does not count as overturning the model.
ALTER TABLE comments ADD COLUMN status_reason TEXT
    CHECK (status_reason IN ('author_suspended', 'author_banned'));
-- The status the post was answered with when it differs from `auto_status` (a restriction made
-- it stricter); NULL means `auto_status`. An idempotent retry answers with it.
ALTER TABLE comments ADD COLUMN posted_status TEXT
    CHECK (posted_status IN ('published', 'held', 'rejected'));
-- The author panel: an author's comments, newest first. Partial, so the many comments without
-- an author id cost nothing.
CREATE INDEX comments_author ON comments (author_id, seq) WHERE author_id IS NOT NULL;

-- One row per article the platform described. A field is set by the first post that carries
-- it and never changed by later posts (storage::sqlite::upsert_article explains why).
CREATE TABLE articles (
    article_id  TEXT PRIMARY KEY,
    url         TEXT,                                  -- http(s) only, checked before storing
    title       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;

-- One row per author id ever posted with, carrying the current restriction, if any. A
-- suspension lapses by itself: it applies while `restricted_until_ms` is in the future, and
-- nothing needs to run at its end.
CREATE TABLE authors (
    author_id            TEXT PRIMARY KEY,
    first_seen_at        TEXT NOT NULL,
    restriction          TEXT CHECK (restriction IN ('suspended', 'banned')),
    restricted_until     TEXT,                         -- RFC 3339, suspensions only
    restricted_until_ms  INTEGER,                      -- Unix milliseconds, for the comparison
    restricted_by        TEXT,
    restricted_at        TEXT,
    restriction_reason   TEXT,
    CHECK ((restriction = 'suspended') = (restricted_until_ms IS NOT NULL))
) WITHOUT ROWID;

-- Author actions are audited in the same log as decisions, but they are about an author, not a
-- comment: the log's comment id and statuses become optional and it gains the author and the
-- suspension's end. SQLite cannot relax NOT NULL in place, so the log is copied into a new
-- table (ids kept, so cursors and the live queue's version stay valid) and its indexes and
-- append-only triggers are created again. Dropping a table fires no DELETE trigger. The copy
-- runs once, at the first start of this version: about 9 s per million log entries (2-core VM).
CREATE TABLE audit_log_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    at                TEXT    NOT NULL,
    actor             TEXT    NOT NULL,                -- moderator name, `system`, `reader:<id>`
    action            TEXT    NOT NULL,
    comment_id        TEXT    REFERENCES comments (id),
    author_id         TEXT,                            -- author actions only
    before_status     TEXT,
    after_status      TEXT,
    reason            TEXT,
    note              TEXT,
    override          INTEGER NOT NULL DEFAULT 0,
    resolved_reports  INTEGER NOT NULL DEFAULT 0,
    until             TEXT,                            -- a suspension's end, RFC 3339
    CHECK (comment_id IS NOT NULL OR author_id IS NOT NULL),
    CHECK (comment_id IS NULL OR after_status IS NOT NULL)
);

INSERT INTO audit_log_new (id, at, actor, action, comment_id, before_status, after_status,
                           reason, note, override, resolved_reports)
SELECT id, at, actor, action, comment_id, before_status, after_status, reason, note, override,
       resolved_reports
FROM audit_log ORDER BY id;

DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;

CREATE INDEX audit_log_comment ON audit_log (comment_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_author ON audit_log (author_id, id) WHERE author_id IS NOT NULL;
-- As in 0006, now with the author actions, which are moderator actions too. Queries must spell
-- the condition exactly like this (storage::sqlite::MODERATOR_ACTIONS).
CREATE INDEX audit_log_moderator_actions ON audit_log (id)
    WHERE action IN ('approve', 'reject', 'suspend_author', 'ban_author', 'lift_author');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
