// Shapes of the submission pipeline and of its API answers (docs/api.md, "Submissions").
import type { Submission } from '../../shared/submission.ts';
import type { RawCell, RequirementResult, ScoredSheet } from '../../shared/types.ts';

export type SubmissionInput =
  /** A validated Submission (add-in, browser page, API) and its canonical JSON bytes (what is hashed and kept). */
  | { kind: 'rows'; submission: Submission; bytes: Uint8Array }
  /** An uploaded .xlsx/.csv; the period comes from the form, else the sheet's title or the file name. */
  | { kind: 'file'; bytes: Uint8Array; fileName: string; period?: string; township?: string };

export interface RowOutcome {
  /** 1-based sheet row. */
  row: number;
  /** The sheet, for uploaded files. */
  sheet?: string;
  code?: string;
  name?: string;
  status: 'accepted' | 'rejected';
  /** The cell at fault (rejected rows). */
  cell?: string;
  /** Why the row was rejected, in Chinese. */
  reason?: string;
  total?: number;
  maxTotal?: number;
  level?: string;
}

export interface SubmissionView {
  id: string;
  sha256: string;
  duplicate: boolean;
  kind: 'rows' | 'file';
  townshipCode: string;
  period: string;
  rulebookVersion: number | null;
  createdAt: string;
  rows: { total: number; accepted: number; rejected: number };
  fileName?: string;
  sheet?: string;
  accountId: string;
}

export interface AcceptResult {
  submission: SubmissionView;
  outcomes: RowOutcome[];
  /** Remarks on how the file was read (encoding, period source, sheets passed over). Not stored. */
  notes: string[];
}

/** One scored sheet with the raw cells of its rows (same order as scored.villages). */
export interface ScoredUnit {
  sheet: string;
  rows: { row: number; cells: Readonly<Record<string, RawCell | undefined>> }[];
  scored: ScoredSheet;
}

/** A village row that passed every check, ready to store. */
export interface AcceptedVillage {
  row: number;
  code: string;
  name: string;
  orgType: string | null;
  totalCents: number;
  maxCents: number;
  level: string;
  veto: boolean;
  weak: boolean;
  results: RequirementResult[];
}

/** A row of the submissions table. */
export interface SubmissionRow {
  id: string;
  sha256: string;
  r2_key: string;
  kind: 'rows' | 'file';
  county_code: string;
  township_code: string;
  period: string;
  rulebook_version: number | null;
  account_id: string;
  file_name: string | null;
  sheet: string | null;
  rows_total: number;
  rows_accepted: number;
  rows_rejected: number;
  outcome_json: string;
  created_at: string;
}

export function toView(r: SubmissionRow, duplicate: boolean): SubmissionView {
  return {
    id: r.id,
    sha256: r.sha256,
    duplicate,
    kind: r.kind,
    townshipCode: r.township_code,
    period: r.period,
    rulebookVersion: r.rulebook_version,
    createdAt: r.created_at,
    rows: { total: r.rows_total, accepted: r.rows_accepted, rejected: r.rows_rejected },
    ...(r.file_name ? { fileName: r.file_name } : {}),
    ...(r.sheet ? { sheet: r.sheet } : {}),
    accountId: r.account_id,
  };
}

/** A submission's outcomes as stored. Answers stored before migration 0020 carried sheet-level `stars`; they are
 * dropped, so the ranking (worker/aggregate/cohorts.ts) is the only place the API gives stars. */
export function storedOutcomes(json: string): RowOutcome[] {
  return (JSON.parse(json) as (RowOutcome & { stars?: unknown })[]).map(({ stars: _stars, ...o }) => o);
}
