-- Pre-moderation per article and surge detection, as SQLite's migration 0009 builds them
-- (migrations/0009_article_premoderation.sql explains each column; only what differs is
-- commented here).

CREATE TABLE article_premoderation (
    article_id              TEXT    PRIMARY KEY,
    -- 0/1 as in SQLite, so both backends read it with the same SQL.
    active                  INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    source                  TEXT    CHECK (source IN ('moderator', 'surge')),
    switched_by             TEXT,
    switched_at             TEXT,
    reason                  TEXT,
    -- Surge detection's counter (domain::SurgeCounter). Every post on the article updates it
    -- while holding this row's lock (storage::postgres_premoderation), so instances posting to
    -- one article at once take turns on it and none loses another's count.
    surge_window_start_ms   BIGINT  NOT NULL DEFAULT 0,
    surge_total             BIGINT  NOT NULL DEFAULT 0,
    surge_flagged           BIGINT  NOT NULL DEFAULT 0,
    surge_previous_total    BIGINT  NOT NULL DEFAULT 0,
    surge_previous_flagged  BIGINT  NOT NULL DEFAULT 0,
    CHECK (active = 0 OR (source IS NOT NULL AND switched_by IS NOT NULL
                          AND switched_at IS NOT NULL))
);
CREATE INDEX article_premoderation_active ON article_premoderation (switched_at)
    WHERE active = 1;

-- INTEGER 0/1, not BOOLEAN: the comment columns' SQL is shared with SQLite
-- (storage::sqlite::COMMENT_COLUMNS reads `premoderated = 1`).
ALTER TABLE comments ADD COLUMN premoderated INTEGER NOT NULL DEFAULT 0
    CHECK (premoderated IN (0, 1));

-- PostgreSQL changes a CHECK in place: no copy of the log. Adding a nullable column without a
-- default rewrites nothing either.
ALTER TABLE audit_log ADD COLUMN article_id TEXT;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_subject
    CHECK (comment_id IS NOT NULL OR author_id IS NOT NULL OR article_id IS NOT NULL);
CREATE INDEX audit_log_article ON audit_log (article_id, id) WHERE article_id IS NOT NULL;
-- Spelled exactly as storage::sqlite::MODERATOR_ACTIONS, so the planner can use it.
DROP INDEX audit_log_moderator_actions;
CREATE INDEX audit_log_moderator_actions ON audit_log (id)
    WHERE action IN ('approve', 'reject', 'suspend_author', 'ban_author', 'lift_author',
                     'premoderation_on', 'premoderation_off');
