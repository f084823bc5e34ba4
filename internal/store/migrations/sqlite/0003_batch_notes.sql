-- The text a workbook carries beside its figures (a notes sheet, the titles
-- above a table: source citations, remarks), as JSON [{"sheet":…,"text":…}].
ALTER TABLE batches ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
