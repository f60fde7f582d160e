-- 区划代码调整 (worker/codes/): villages merge, split, are renamed and move between townships, each from a period.
-- A village row is never deleted or re-keyed: a code that ends keeps its row (and its results keep their code),
-- and village_validity records the period from which it is no longer valid (ended_from) and the change that
-- ended it; a code a change creates (merge target, split parts, a rename or move to a new code) gets a new
-- village row and a validity row valid from that period.

-- One row per recorded change. detail_json keeps what the change saw: old codes with their names and
-- townships, new codes with names and townships, a rename's old name.
CREATE TABLE code_changes (
  id TEXT PRIMARY KEY,
  county_code TEXT NOT NULL REFERENCES counties (code),
  kind TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'rename', 'move')),
  effective_from TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX code_changes_county ON code_changes (county_code, created_at);

-- Kept beside villages (not as new columns) so that `INSERT INTO villages VALUES (code, township, name)` stays valid.
-- A village without a row here is valid in every period.
CREATE TABLE village_validity (
  code TEXT PRIMARY KEY REFERENCES villages (code),
  valid_from TEXT,
  started_by TEXT REFERENCES code_changes (id),
  ended_from TEXT,
  ended_by TEXT REFERENCES code_changes (id)
);

-- Old code → new code, one row per pair. follows = 1 when the new code carries the old one's history
-- (merge, rename, move: trends and 连续后进 look back through it); 0 for a split (the parts start afresh).
CREATE TABLE code_change_links (
  change_id TEXT NOT NULL REFERENCES code_changes (id),
  old_code TEXT NOT NULL,
  new_code TEXT NOT NULL,
  follows INTEGER NOT NULL CHECK (follows IN (0, 1)),
  PRIMARY KEY (change_id, old_code, new_code)
);
CREATE INDEX code_change_links_new ON code_change_links (new_code);
