-- The audit log view shows moderator actions by default. Every posted comment adds an automatic
-- entry, so moderator actions are a thin slice of the log; this index holds only them, newest
-- read first, so that view does not walk the automatic entries. Queries must spell the
-- condition exactly like this for SQLite to use it (storage::sqlite::MODERATOR_ACTIONS).
CREATE INDEX audit_log_moderator_actions ON audit_log (id) WHERE action IN ('approve', 'reject');
