-- Stars are decided only by the ranking (worker/aggregate/cohorts.ts, over the township or county cohort at
-- ranking time). The stars a submission once stored, rated over the villages of that one upload, were read by
-- nothing and could disagree with the ranking: the column goes.
ALTER TABLE village_results DROP COLUMN stars;
