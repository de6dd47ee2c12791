-- Text that platforms send through the Perspective-compatible API, kept for retraining.
-- Requests with doNotStore: true never reach these tables.

-- comments:analyze with doNotStore: false — the text and what the live model said.
CREATE TABLE analyzed_texts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    api_key        TEXT    NOT NULL,                   -- the key's name, never the secret
    text           TEXT    NOT NULL,
    scores         TEXT    NOT NULL,                   -- JSON {label: probability}
    model_version  TEXT    NOT NULL,
    client_token   TEXT,
    community_id   TEXT,
    created_at     TEXT    NOT NULL
);

-- comments:suggestscore — a platform's own judgement, one row per attribute: a training label.
CREATE TABLE suggested_scores (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    api_key        TEXT    NOT NULL,
    text           TEXT    NOT NULL,
    attribute      TEXT    NOT NULL,                   -- Perspective name, e.g. TOXICITY
    label          TEXT    NOT NULL,                   -- talkback label it teaches, e.g. abuse
    value          REAL    NOT NULL CHECK (value BETWEEN 0 AND 1),
    context        TEXT,                               -- JSON as sent
    community_id   TEXT,
    client_token   TEXT,
    created_at     TEXT    NOT NULL
);

CREATE INDEX suggested_scores_label ON suggested_scores (label, id);
