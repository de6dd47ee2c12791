-- Seed a migrated, empty talkback PostgreSQL database with :rows comments for the queue
-- benchmark (scripts/bench.sh with BENCH_DATABASE=postgres://…). The rows are those
-- examples/seed.rs writes into SQLite: the same score distribution (about half held, 3 %
-- rejected), 500 articles, 20,000 authors, verdicts and reasons from the default thresholds
-- (:thresholds, as JSON), one comment a millisecond up to now, ids shaped like the service's
-- UUIDv7 (time-ordered, so the id index grows as it does in service). With each comment, the
-- label rows and the audit row storage::postgres::insert_comment writes; keep in step with it
-- if the schema changes. Expects seed_bodies (n, body): the load generator's comments
-- (examples/common/mod.rs), written by bench.sh.
--
-- Set-based INSERT … SELECT in one transaction (100,000 rows took 17 s on this 2-core machine
-- while it was busy), where posting them through the service would take far longer.
-- Durability is not the point of a seed.

SELECT count(*) AS nbodies FROM seed_bodies \gset
BEGIN;
SELECT setseed(0.42);

CREATE TEMP TABLE seed_rows ON COMMIT DROP AS
WITH u AS (
    SELECT g, random() AS kind, random() AS u2, random() AS u3
    FROM generate_series(0, :rows - 1) AS g
), s AS (
    SELECT g,
           (CASE WHEN kind < 0.22 THEN 0.80 + 0.189 * u2      -- held for abuse
                 WHEN kind < 0.25 THEN 0.991 + 0.008 * u2     -- rejected outright
                 ELSE 0.78 * u2 * u2 END)::real AS abuse,     -- mostly published
           (CASE WHEN kind > 0.97 THEN 0.5 + 0.4 * u3 ELSE 0.45 * u3 END)::real AS incitement,
           (extract(epoch FROM now()) * 1000)::bigint - :rows + g AS ms,
           md5(g::text) AS noise
    FROM u
), v AS (
    SELECT s.*,
           lpad(to_hex(ms), 12, '0') || '7' || substr(noise, 1, 3) || '8' || substr(noise, 4, 15)
               AS hex
    FROM s
)
SELECT g, abuse, incitement,
       (abuse * 0.9)::real AS insult, (abuse * 0.5)::real AS obscene,
       (incitement * 0.8)::real AS threat, (abuse * 0.2)::real AS identity_attack,
       CASE WHEN abuse >= 0.99 OR incitement >= 0.97 THEN 'rejected'
            WHEN abuse >= 0.7 OR incitement >= 0.3 THEN 'held'
            ELSE 'published' END AS status,
       ms,
       to_char(to_timestamp(ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
       substr(hex, 1, 8) || '-' || substr(hex, 9, 4) || '-' || substr(hex, 13, 4) || '-'
           || substr(hex, 17, 4) || '-' || substr(hex, 21, 12) AS id
FROM v;

INSERT INTO comments (id, article_id, author, body, status, auto_status, max_score, scores,
                      reasons, model_version, thresholds, created_at, created_ms, updated_at)
SELECT r.id, 'seed-' || (r.g % 500), 'reader-' || (r.g % 20000), b.body, r.status, r.status,
       greatest(r.abuse, r.incitement),
       json_build_object('abuse', r.abuse, 'incitement', r.incitement, 'insult', r.insult,
                         'obscene', r.obscene, 'threat', r.threat,
                         'identity_attack', r.identity_attack)::text,
       -- The labels over their hold bar, most severe first, each with the body's first word.
       coalesce((SELECT json_agg(json_build_object(
                            'label', t.label, 'score', t.score,
                            'spans', json_build_array(json_build_object(
                                'start', 0, 'end', char_length(split_part(b.body, ' ', 1)),
                                'text', split_part(b.body, ' ', 1), 'weight', 1.0)))
                        ORDER BY t.score DESC)
                 FROM (VALUES ('abuse', r.abuse, 0.7), ('incitement', r.incitement, 0.3))
                     AS t (label, score, bar)
                 WHERE t.score >= t.bar), '[]')::text,
       'seed', :'thresholds', r.at, r.ms, r.at
FROM seed_rows r
JOIN seed_bodies b ON b.n = r.g % :nbodies
ORDER BY r.g;

-- Listed labels (storage::listed_labels): those over their hold bar, and those without a bar
-- at 0.5 or more.
INSERT INTO comment_labels (comment_seq, label, score, comment_status, comment_score)
SELECT c.seq, l.label, l.score, c.status, c.max_score
FROM seed_rows r
JOIN comments c ON c.id = r.id
CROSS JOIN LATERAL (VALUES ('abuse', r.abuse, 0.7), ('incitement', r.incitement, 0.3),
                           ('insult', r.insult, 0.5), ('obscene', r.obscene, 0.5),
                           ('threat', r.threat, 0.5), ('identity_attack', r.identity_attack, 0.5))
    AS l (label, score, floor)
WHERE l.score >= l.floor;

INSERT INTO audit_log (at, actor, action, comment_id, after_status)
SELECT created_at, 'system', 'auto_' || status, id, status
FROM comments WHERE model_version = 'seed' ORDER BY seq;
COMMIT;

-- What autovacuum would reach after a while in service: planner statistics and the
-- visibility map (index-only scans). bench.sh then asks for a checkpoint, so the seed's
-- writes do not land in the measurements.
VACUUM (ANALYZE) comments, comment_labels, audit_log;

SELECT json_build_object(
    'rows', (SELECT count(*) FROM comments WHERE model_version = 'seed'),
    'held', (SELECT count(*) FROM comments WHERE model_version = 'seed' AND status = 'held'),
    'label_rows', (SELECT count(*) FROM comment_labels),
    'database_mb', round(pg_database_size(current_database()) / 1048576.0, 1));
