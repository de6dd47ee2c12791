-- What several instances on one database share besides the comments: which model they serve,
-- and the per-person posting and reporting allowances.

-- One row: the model the last reload on any instance put in service. Every instance polls it
-- and reloads when `generation` moves (storage::fleet, http::fleet).
CREATE TABLE model_rollout (
    one         BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    generation  BIGINT  NOT NULL,
    version     TEXT    NOT NULL,
    -- The path the reload named, as given; NULL: each instance's configured model path
    -- (a models root on shared storage, following its `current` file).
    path        TEXT,
    reloaded_by TEXT    NOT NULL,
    reloaded_at TEXT    NOT NULL
);

-- GCRA state per author or reporter (`author:<name>`, `reporter:<id>`): the theoretical
-- arrival time in milliseconds of the database clock, so instances with drifting clocks agree.
-- UNLOGGED: no WAL, so taking an allowance costs no disk flush; a crash or failover empties
-- it, which forgives at most one window of posts.
CREATE UNLOGGED TABLE rate_allowances (
    key    TEXT   PRIMARY KEY,
    tat_ms BIGINT NOT NULL
);
CREATE INDEX rate_allowances_tat ON rate_allowances (tat_ms);
