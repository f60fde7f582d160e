// Names of what kaoping adds to a workbook. Anything carrying these names is ours and may be removed.

/** The summary sheet added to an annotated workbook (replaced on every run). */
export const RESULT_SHEET = '考评结果';
/** The rectification ledger sheet (replaced on every run). */
export const LEDGER_SHEET = '整改台账';
/** A very hidden sheet recording, for each cell we annotated, its original fill and note (as JSON),
 * so that `removeAnnotations` restores exactly what the officer had. */
export const STORE_SHEET = '_kaoping';

/** Every note we write starts our part with this line; an officer's own note stays above it. */
export const KAOPING_NOTE_SEPARATOR = '—— 考评 ——';

export const OUR_SHEETS: readonly string[] = [RESULT_SHEET, LEDGER_SHEET, STORE_SHEET];

/** Said of every figure rated over the villages of one sheet (stars): the county's ranking, over the township or
 * county cohort, decides them (worker/aggregate/cohorts.ts); the add-in, the page and the CLI label theirs so. */
export const PROVISIONAL = '本表内预评';
