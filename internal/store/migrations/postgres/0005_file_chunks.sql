-- Stored originals in parts of 1 MiB, so that a file is written and read
-- a part at a time, never whole in memory. files.content stays empty for
-- them; files stored before keep their content there.
CREATE TABLE file_chunks (
    sha256 TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    data   BYTEA    NOT NULL,
    PRIMARY KEY (sha256, seq)
);
