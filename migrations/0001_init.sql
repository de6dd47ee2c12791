-- Comments, the labels that flagged them, moderator decisions (training labels) and the
-- append-only audit log. Applied once, inside a transaction, recorded in schema_migrations.

CREATE TABLE comments (
    -- Insertion order. Keyset pagination walks `seq`, so pages stay stable while new comments
    -- arrive (they get larger seq values) and decisions move comments between statuses.
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT    NOT NULL UNIQUE,          -- UUIDv7
    article_id       TEXT    NOT NULL,
    parent_id        TEXT    REFERENCES comments (id),
    author           TEXT    NOT NULL,
    title            TEXT,
    body             TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('published', 'held', 'rejected')),
    -- What the model and thresholds decided, kept after a moderator changes `status`.
    auto_status      TEXT    NOT NULL CHECK (auto_status IN ('published', 'held', 'rejected')),
    max_score        REAL    NOT NULL,                 -- orders the queue by severity
    scores           TEXT    NOT NULL,                 -- JSON {label: probability}
    reasons          TEXT    NOT NULL,                 -- JSON [{label, score, spans}]
    model_version    TEXT    NOT NULL,
    thresholds       TEXT    NOT NULL,                 -- JSON {hold: {...}, reject: {...}}
    idempotency_key  TEXT    UNIQUE,
    request_hash     TEXT,                             -- SHA-256 of the request the key first saw
    created_at       TEXT    NOT NULL,                 -- RFC 3339, UTC
    created_ms       INTEGER NOT NULL,                 -- Unix milliseconds, for ages
    updated_at       TEXT    NOT NULL
);

CREATE INDEX comments_article_published ON comments (article_id, status, seq);
CREATE INDEX comments_status_seq ON comments (status, seq);
CREATE INDEX comments_status_score ON comments (status, max_score DESC, seq);
CREATE INDEX comments_model_version ON comments (model_version);

-- Labels at or over a threshold when the comment was scored (the comment's `reasons`).
CREATE TABLE comment_labels (
    comment_seq INTEGER NOT NULL REFERENCES comments (seq),
    label       TEXT    NOT NULL,
    score       REAL    NOT NULL,
    PRIMARY KEY (comment_seq, label)
) WITHOUT ROWID;

CREATE INDEX comment_labels_label ON comment_labels (label, comment_seq);

-- Every moderator decision is a label for retraining: `labels` holds the implied targets,
-- e.g. {"abuse":1,"insult":1} for a reject as an insult, {"abuse":0,"incitement":0} for an
-- approval, {} when the reason says nothing about toxicity (spam, off topic).
CREATE TABLE decisions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id     TEXT    NOT NULL REFERENCES comments (id),
    moderator      TEXT    NOT NULL,
    decision       TEXT    NOT NULL CHECK (decision IN ('approve', 'reject')),
    reason         TEXT,
    note           TEXT,
    labels         TEXT    NOT NULL,
    model_version  TEXT    NOT NULL,                   -- the version whose verdict was reviewed
    auto_status    TEXT    NOT NULL,
    overturned     INTEGER NOT NULL,                   -- 1 when the moderator disagreed with it
    override       INTEGER NOT NULL,
    decided_at     TEXT    NOT NULL
);

CREATE INDEX decisions_comment ON decisions (comment_id, id);

CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             TEXT    NOT NULL,
    actor          TEXT    NOT NULL,                   -- moderator name, or `system`
    action         TEXT    NOT NULL,                   -- auto_published|auto_held|auto_rejected|approve|reject
    comment_id     TEXT    NOT NULL REFERENCES comments (id),
    before_status  TEXT,
    after_status   TEXT    NOT NULL,
    reason         TEXT,
    note           TEXT,
    override       INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX audit_log_comment ON audit_log (comment_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);

-- Append-only: history cannot be rewritten through SQL either.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
