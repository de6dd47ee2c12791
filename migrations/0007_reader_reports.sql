-- Reader reports (POST /v1/comments/{id}/reports): a reader, through the news platform, says a
-- comment should not be there and why. A moderator's decision on the comment resolves its open
-- reports: upheld by a rejection, dismissed by an approval.
CREATE TABLE reports (
    -- Also the reported queue's clock: its live view's watermark is the largest id.
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id   TEXT    NOT NULL REFERENCES comments (id),
    reason       TEXT    NOT NULL
                 CHECK (reason IN ('abuse', 'incitement', 'spam', 'off_topic', 'other')),
    reporter_id  TEXT,                                 -- the platform's reader id; NULL: anonymous
    note         TEXT,
    created_at   TEXT    NOT NULL,
    resolution   TEXT    CHECK (resolution IN ('upheld', 'dismissed')),   -- NULL while open
    resolved_by  TEXT,                                 -- the moderator whose decision resolved it
    resolved_at  TEXT
);

CREATE INDEX reports_comment ON reports (comment_id, id);
-- One open report per reader and comment: a second one from the same reader counts once.
CREATE UNIQUE INDEX reports_open_per_reporter ON reports (comment_id, reporter_id)
    WHERE reporter_id IS NOT NULL AND resolution IS NULL;

-- The reported queue lists comments with open reports. Counting them per comment on every
-- listing would read the reports table for each candidate; the comment carries its count and
-- its latest report's id instead (kept by storage::sqlite in the same transaction as the
-- report or decision), and two partial indexes hold only the reported comments, so the queue
-- costs the same however many comments were never reported. Queries must spell the condition
-- exactly `open_reports > 0` for SQLite to use them.
ALTER TABLE comments ADD COLUMN open_reports INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN last_report_id INTEGER;
CREATE INDEX comments_reported_by_count ON comments (open_reports DESC, last_report_id)
    WHERE open_reports > 0;
CREATE INDEX comments_reported_by_time ON comments (last_report_id) WHERE open_reports > 0;

-- A moderator's audit entry says how many open reports the decision resolved.
ALTER TABLE audit_log ADD COLUMN resolved_reports INTEGER NOT NULL DEFAULT 0;
