-- 整改台账: at most one OPEN item per village and requirement (the invariant the submission pipeline keeps),
-- instead of one item per village, requirement and found period. The old constraint made a requirement that
-- fails, is closed by a passing resubmission and fails again in the same period impossible to record.
-- SQLite cannot drop a table constraint, so the table is rebuilt with the same columns and data.
CREATE TABLE ledger_items_v2 (
  id TEXT PRIMARY KEY,
  county_code TEXT NOT NULL,
  township_code TEXT NOT NULL,
  village_code TEXT NOT NULL,
  village_name TEXT NOT NULL,
  requirement_id TEXT NOT NULL,
  standard TEXT NOT NULL,
  article INTEGER NOT NULL,
  message TEXT NOT NULL,
  found_period TEXT NOT NULL,
  found_submission TEXT NOT NULL,
  deadline TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  closed_at TEXT,
  closed_by TEXT,
  close_reason TEXT,
  close_submission TEXT,
  close_evidence TEXT,
  notes_json TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO ledger_items_v2 SELECT id, county_code, township_code, village_code, village_name, requirement_id, standard, article, message,
  found_period, found_submission, deadline, status, closed_at, closed_by, close_reason, close_submission, close_evidence, notes_json FROM ledger_items;
DROP TABLE ledger_items;
ALTER TABLE ledger_items_v2 RENAME TO ledger_items;
CREATE INDEX ledger_open ON ledger_items (county_code, status);
CREATE UNIQUE INDEX ledger_one_open ON ledger_items (village_code, requirement_id) WHERE status = 'open';
CREATE INDEX ledger_village ON ledger_items (village_code, requirement_id);
CREATE INDEX ledger_township ON ledger_items (township_code, status, deadline);

-- "Does any submission still reference this raw object?" (R2 clean-up after a failed write).
CREATE INDEX submissions_sha256 ON submissions (sha256);
