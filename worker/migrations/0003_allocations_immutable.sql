-- 以奖代补: a saved allocation is an immutable version; corrections are new versions. Observation rounds are
-- listed by county and period.
CREATE TRIGGER allocations_no_update BEFORE UPDATE ON allocations BEGIN SELECT RAISE(ABORT, 'allocations are immutable: save a new version'); END;
CREATE TRIGGER allocations_no_delete BEFORE DELETE ON allocations BEGIN SELECT RAISE(ABORT, 'allocations are immutable: save a new version'); END;
CREATE INDEX observation_rounds_county_period ON observation_rounds (county_code, period);
