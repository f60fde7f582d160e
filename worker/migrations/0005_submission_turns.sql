-- One turn counter per township: every submission's batch takes the next turn, and a batch that planned on
-- an older turn (another submission for the same township committed in between) aborts and is planned
-- again (worker/submissions/turn.ts). So the submissions of a township are applied one after another, in
-- the order they commit, and each one's created_at is later than the one before (last_at): supersession and
-- the 整改台账 follow that one order whatever the concurrency.
CREATE TABLE submission_turns (
  township_code TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  last_at TEXT
);
CREATE TRIGGER submission_turns_in_order BEFORE UPDATE ON submission_turns
  WHEN NEW.seq <> OLD.seq + 1
  BEGIN SELECT RAISE(ABORT, 'submission_turn_taken'); END;
INSERT INTO submission_turns (township_code, seq, last_at) SELECT township_code, 0, max(created_at) FROM submissions GROUP BY township_code;
