-- Pre-moderation per article and surge detection (issue #21, requirement 6): a moderator, or
-- talkback itself when one article draws a burst of flagged comments, holds every new comment
-- on that article for review.

-- One row per article that was switched, or counted by surge detection. `active` says whether
-- it holds new comments now.
CREATE TABLE article_premoderation (
    article_id              TEXT    PRIMARY KEY,
    active                  INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    -- Who switched it last: `moderator` (by name in `switched_by`) or `surge` detection; NULL
    -- for an article only counted so far.
    source                  TEXT    CHECK (source IN ('moderator', 'surge')),
    switched_by             TEXT,
    switched_at             TEXT,                      -- RFC 3339
    reason                  TEXT,                      -- the moderator's, or what surge saw
    -- Surge detection's counter (domain::SurgeCounter): comments and flagged comments in the
    -- current fixed window, starting at `surge_window_start_ms`, and in the one before it.
    -- Constant work per post however busy the article. A moderator's switch-off resets it, so
    -- the burst they just looked at cannot switch it on again.
    surge_window_start_ms   INTEGER NOT NULL DEFAULT 0,
    surge_total             INTEGER NOT NULL DEFAULT 0,
    surge_flagged           INTEGER NOT NULL DEFAULT 0,
    surge_previous_total    INTEGER NOT NULL DEFAULT 0,
    surge_previous_flagged  INTEGER NOT NULL DEFAULT 0,
    CHECK (active = 0 OR (source IS NOT NULL AND switched_by IS NOT NULL
                          AND switched_at IS NOT NULL))
) WITHOUT ROWID;
-- The queue's list of pre-moderated articles reads only these.
CREATE INDEX article_premoderation_active ON article_premoderation (switched_at)
    WHERE active = 1;

-- Set when the article was pre-moderated as the comment arrived, so pre-moderation decided
-- (or confirmed) its status. A flag rather than a third `status_reason`: 0008's CHECK on that
-- column cannot be relaxed without copying the comments table. Reads report it as
-- `status_reason` `article_premoderated` when no author restriction gave one.
ALTER TABLE comments ADD COLUMN premoderated INTEGER NOT NULL DEFAULT 0
    CHECK (premoderated IN (0, 1));

-- Switching pre-moderation is audited in the same log, but it is about an article: the log
-- gains `article_id`, and its CHECK must allow an entry with neither comment nor author. SQLite
-- cannot change a CHECK in place, so the log is copied again as in 0008 (ids kept, indexes and
-- append-only triggers created again): about 9 s per million log entries at the first start
-- of this version (2-core VM).
CREATE TABLE audit_log_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    at                TEXT    NOT NULL,
    actor             TEXT    NOT NULL,                -- moderator, `system`, `reader:<id>`, `surge`
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
    article_id        TEXT,                            -- article actions only
    CHECK (comment_id IS NOT NULL OR author_id IS NOT NULL OR article_id IS NOT NULL),
    CHECK (comment_id IS NULL OR after_status IS NOT NULL)
);

INSERT INTO audit_log_new (id, at, actor, action, comment_id, author_id, before_status,
                           after_status, reason, note, override, resolved_reports, until)
SELECT id, at, actor, action, comment_id, author_id, before_status, after_status, reason, note,
       override, resolved_reports, until
FROM audit_log ORDER BY id;

DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;

CREATE INDEX audit_log_comment ON audit_log (comment_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_author ON audit_log (author_id, id) WHERE author_id IS NOT NULL;
CREATE INDEX audit_log_article ON audit_log (article_id, id) WHERE article_id IS NOT NULL;
-- As in 0008, now with a moderator switching pre-moderation on or off (surge detection's own
-- switch, `surge_premoderation`, is an automatic event). Queries must spell the condition
-- exactly like this (storage::sqlite::MODERATOR_ACTIONS).
CREATE INDEX audit_log_moderator_actions ON audit_log (id)
    WHERE action IN ('approve', 'reject', 'suspend_author', 'ban_author', 'lift_author',
                     'premoderation_on', 'premoderation_off');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
