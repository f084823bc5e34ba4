-- What a fact's cell said besides its number (a footnote's note, such as
-- "preliminary"), and where in its sheet it came from (C5, or C5:C900 for a
-- sum of rows), so that every figure can be traced to its cells.
ALTER TABLE facts ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE facts ADD COLUMN source TEXT NOT NULL DEFAULT '';
