-- Vintages: what was live for each series-month, and when. A row says that
-- batch_id's value was the live one from live_from (inclusive) to
-- live_until (exclusive; 9223372036854775807 while it still is). Commits
-- and undos keep it, in the transaction that changes live_series, so that
-- live_series is exactly the rows open now and the data as of any time T
-- are the rows with live_from <= T < live_until. series_keys lists every
-- series-month ever held, so that "as of T" seeks each one's row instead
-- of scanning the history.
CREATE TABLE series_keys (
    month       INTEGER NOT NULL,
    direction   TEXT NOT NULL,
    partner     TEXT NOT NULL,
    category    TEXT NOT NULL,
    marketplace TEXT NOT NULL,
    PRIMARY KEY (month, direction, partner, category, marketplace)
);

CREATE TABLE series_history (
    month       INTEGER NOT NULL,
    direction   TEXT NOT NULL,
    partner     TEXT NOT NULL,
    category    TEXT NOT NULL,
    marketplace TEXT NOT NULL,
    items       BIGINT NOT NULL,
    has_items   INTEGER NOT NULL,
    weight_kg   REAL NOT NULL,
    has_weight  INTEGER NOT NULL,
    batch_id    BIGINT NOT NULL,
    live_from   BIGINT NOT NULL,
    live_until  BIGINT NOT NULL
);
CREATE INDEX series_history_by_key ON series_history (month, direction, partner, category, marketplace, live_until);
CREATE INDEX series_history_by_batch ON series_history (batch_id, live_until);

INSERT INTO series_keys (month, direction, partner, category, marketplace)
SELECT DISTINCT month, direction, partner, category, marketplace FROM facts;

-- The history of the batches committed before this migration, replayed
-- from their commit and undo times: at each time a batch holding a
-- series-month was committed or undone, the live batch is the newest one
-- committed by then and not undone by then; a row per run of one live batch.
INSERT INTO series_history (month, direction, partner, category, marketplace,
    items, has_items, weight_kg, has_weight, batch_id, live_from, live_until)
WITH held AS (
    SELECT DISTINCT batch_id, month, direction, partner, category, marketplace FROM facts
), events AS (
    SELECT h.month, h.direction, h.partner, h.category, h.marketplace, b.created_at AS t
    FROM held h JOIN batches b ON b.id = h.batch_id
    UNION
    SELECT h.month, h.direction, h.partner, h.category, h.marketplace, b.undone_at AS t
    FROM held h JOIN batches b ON b.id = h.batch_id WHERE b.undone_at IS NOT NULL
), states AS (
    SELECT e.month, e.direction, e.partner, e.category, e.marketplace, e.t,
        COALESCE((SELECT MAX(h.batch_id) FROM held h JOIN batches b ON b.id = h.batch_id
            WHERE h.month = e.month AND h.direction = e.direction AND h.partner = e.partner
                AND h.category = e.category AND h.marketplace = e.marketplace
                AND b.created_at <= e.t AND (b.undone_at IS NULL OR b.undone_at > e.t)), 0) AS live_id
    FROM events e
), marked AS (
    SELECT s.*, LAG(s.live_id) OVER (PARTITION BY s.month, s.direction, s.partner, s.category, s.marketplace ORDER BY s.t) AS prev_id
    FROM states s
), runs AS (
    SELECT m.month, m.direction, m.partner, m.category, m.marketplace, m.live_id, m.t AS live_from,
        COALESCE(LEAD(m.t) OVER (PARTITION BY m.month, m.direction, m.partner, m.category, m.marketplace ORDER BY m.t), 9223372036854775807) AS live_until
    FROM marked m
    WHERE m.prev_id IS NULL OR m.prev_id <> m.live_id
)
SELECT r.month, r.direction, r.partner, r.category, r.marketplace,
    SUM(f.items), MAX(f.has_items), SUM(f.weight_kg), MAX(f.has_weight), r.live_id, r.live_from, r.live_until
FROM runs r
JOIN facts f ON f.batch_id = r.live_id AND f.month = r.month AND f.direction = r.direction
    AND f.partner = r.partner AND f.category = r.category AND f.marketplace = r.marketplace
WHERE r.live_id <> 0
GROUP BY r.month, r.direction, r.partner, r.category, r.marketplace, r.live_id, r.live_from, r.live_until;
