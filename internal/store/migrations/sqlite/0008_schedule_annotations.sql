-- The reporting schedule and the analysts' notes on months (issue 14).
-- Months are indexes (year*12 + month-1); times Unix microseconds (UTC).

-- When a month's figures are due, per partner and category ('' = every one).
-- rule 'day': day n of the month after the month (clamped to its length);
-- rule 'after': n days after the month's last day. The rule applies from
-- from_month on (-1: every month).
CREATE TABLE report_schedules (
    id          INTEGER PRIMARY KEY,
    partner     TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT '',
    rule        TEXT NOT NULL CHECK (rule IN ('day', 'after')),
    n           INTEGER NOT NULL,
    from_month  INTEGER NOT NULL,
    user_name   TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX report_schedules_by_scope ON report_schedules (partner, category);

-- A short note on a month, optionally on one partner or category ('' = all).
CREATE TABLE annotations (
    id          INTEGER PRIMARY KEY,
    month       INTEGER NOT NULL,
    partner     TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    updated_at  BIGINT
);
CREATE INDEX annotations_by_month ON annotations (month, id);
