-- 操作日志: who did it as they were at the time (name and role, kept even if the account changes later), a
-- short Chinese summary beside the JSON detail, and indexes for the county admin's view (newest first per
-- county, by action, by person, by object). The append-only triggers of 0001 stay: ADD COLUMN is not an
-- UPDATE, and no row is rewritten (older rows keep NULL names and an empty summary; the reader falls back
-- to the account and the action's label).
ALTER TABLE audit_log ADD COLUMN actor_name TEXT;
ALTER TABLE audit_log ADD COLUMN actor_role TEXT;
ALTER TABLE audit_log ADD COLUMN summary TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_county ON audit_log (county_code, id);
CREATE INDEX audit_log_county_action ON audit_log (county_code, action, id);
CREATE INDEX audit_log_county_actor ON audit_log (county_code, account_id, id);
CREATE INDEX audit_log_target ON audit_log (target, id);
