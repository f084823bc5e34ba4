-- What a preview read, kept for its confirm so that a file is parsed once:
-- the facts of a job in parts of a bounded size, in part order. Removed
-- when the job commits, is cancelled or pruned.
CREATE TABLE staged_facts (
    job_id TEXT    NOT NULL,
    part   INTEGER NOT NULL,
    data   BLOB    NOT NULL,
    PRIMARY KEY (job_id, part)
);
