-- Measured at 1M stored comments (scripts/bench.sh): the queue filtered by article in score
-- order scanned every held row (35 ms p50, 480 ms when the article had nothing held), and the
-- per-model-version stats grouped the whole table (0.85 s).
CREATE INDEX comments_status_article_score ON comments (status, article_id, max_score DESC, seq);
CREATE INDEX comments_version_auto_status ON comments (model_version, auto_status);
