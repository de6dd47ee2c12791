-- The label filter found only abuse and incitement: comment_labels held the labels over a bar,
-- and the finer labels (insult, obscene, threat, identity_attack) have none by default. A label
-- without a bar is now listed once it scores at least 0.5 (storage::LABEL_LISTING_FLOOR, the
-- value at the time of this migration); this adds those rows for comments stored before.
INSERT OR IGNORE INTO comment_labels (comment_seq, label, score, comment_status, comment_score)
SELECT c.seq, s.key, s.value, c.status, c.max_score
FROM comments c, json_each(c.scores) s
WHERE s.value >= 0.5
  AND json_extract(c.thresholds, '$.hold.' || s.key) IS NULL
  AND json_extract(c.thresholds, '$.reject.' || s.key) IS NULL;
