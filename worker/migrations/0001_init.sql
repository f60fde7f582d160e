-- kaoping county service: the D1 schema.
-- Codes are the 统计用区划代码: county 6 digits, township 9, village 12. Money is integer 元; scores are
-- stored as integer hundredths of a point (total_cents) beside the display value, so ranks are exact.

CREATE TABLE counties (
  code TEXT PRIMARY KEY CHECK (length(code) = 6),
  name TEXT NOT NULL,
  province_code TEXT NOT NULL CHECK (length(province_code) = 2)
);

CREATE TABLE townships (
  code TEXT PRIMARY KEY CHECK (length(code) = 9),
  county_code TEXT NOT NULL REFERENCES counties (code),
  name TEXT NOT NULL
);

CREATE TABLE villages (
  code TEXT PRIMARY KEY CHECK (length(code) = 12),
  township_code TEXT NOT NULL REFERENCES townships (code),
  name TEXT NOT NULL
);
CREATE INDEX villages_township ON villages (township_code);

-- A county's published rulebook, versioned; the newest version whose effective_from <= a period applies.
CREATE TABLE rulebooks (
  county_code TEXT NOT NULL REFERENCES counties (code),
  version INTEGER NOT NULL,
  rulebook_id TEXT NOT NULL,
  name TEXT NOT NULL,
  effective_from TEXT NOT NULL,
  json TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (county_code, version)
);

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('township', 'county', 'finance', 'admin', 'province')),
  province_code TEXT,
  county_code TEXT,
  township_code TEXT,
  -- PBKDF2-SHA256: "pbkdf2$iterations$salt_b64$hash_b64"
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

-- Only the SHA-256 of a session token is stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

-- Every accepted submission. Raw bytes live in R2 under raw/<sha256> (content-addressed, immutable).
CREATE TABLE submissions (
  id TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  r2_key TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('rows', 'file')),
  county_code TEXT NOT NULL,
  township_code TEXT NOT NULL,
  period TEXT NOT NULL,
  rulebook_version INTEGER,
  account_id TEXT NOT NULL,
  file_name TEXT,
  sheet TEXT,
  rows_total INTEGER NOT NULL,
  rows_accepted INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  outcome_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- The same bytes for the same township and period are one submission.
  UNIQUE (sha256, township_code, period)
);
CREATE INDEX submissions_township_period ON submissions (township_code, period);

-- One scored village per accepted row. The newest row for a village and period is active; older ones
-- carry superseded_by and are kept forever.
CREATE TABLE village_results (
  submission_id TEXT NOT NULL REFERENCES submissions (id),
  village_code TEXT NOT NULL,
  period TEXT NOT NULL,
  county_code TEXT NOT NULL,
  township_code TEXT NOT NULL,
  sheet_row INTEGER NOT NULL,
  name TEXT NOT NULL,
  org_type TEXT,
  total_cents INTEGER NOT NULL,
  max_cents INTEGER NOT NULL,
  level TEXT NOT NULL,
  stars INTEGER,
  veto INTEGER NOT NULL,
  weak_flag INTEGER NOT NULL,
  pass_count INTEGER NOT NULL,
  fail_count INTEGER NOT NULL,
  open_count INTEGER NOT NULL,
  results_json TEXT NOT NULL,
  superseded_by TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (submission_id, village_code)
);
CREATE INDEX village_results_active ON village_results (county_code, period) WHERE superseded_by IS NULL;
CREATE INDEX village_results_village ON village_results (village_code, period);

-- 观摩评议: each observer's raw score is kept; the aggregate and the rule used are stored with the round.
CREATE TABLE observation_rounds (
  id TEXT PRIMARY KEY,
  county_code TEXT NOT NULL,
  period TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('village', 'township')),
  title TEXT NOT NULL,
  rule TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE observation_scores (
  round_id TEXT NOT NULL REFERENCES observation_rounds (id),
  unit_code TEXT NOT NULL,
  observer TEXT NOT NULL,
  score_cents INTEGER NOT NULL CHECK (score_cents >= 0),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (round_id, unit_code, observer)
);

-- 以奖代补: each saved allocation is an immutable version with everything needed to reproduce it.
CREATE TABLE allocations (
  id TEXT PRIMARY KEY,
  county_code TEXT NOT NULL,
  period TEXT NOT NULL,
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  budget INTEGER NOT NULL,
  input_json TEXT NOT NULL,
  ranking_json TEXT NOT NULL,
  result_json TEXT NOT NULL,
  rulebook_version INTEGER,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (county_code, period, version)
);

-- 整改台账: one item per failing requirement of a village; closes (销号) when a later submission passes it.
CREATE TABLE ledger_items (
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
  notes_json TEXT NOT NULL DEFAULT '[]',
  UNIQUE (village_code, requirement_id, found_period)
);
CREATE INDEX ledger_open ON ledger_items (county_code, status);

-- Append-only audit log.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  account_id TEXT NOT NULL,
  county_code TEXT,
  action TEXT NOT NULL,
  target TEXT,
  detail_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
