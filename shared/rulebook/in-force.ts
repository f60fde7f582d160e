// Which county rulebook version holds for a period: the one rule, pure, used by the Worker
// (worker/rulebook.ts picks the version from the published ones) and by every host that scores a sheet
// under a county rulebook (shared/score.ts refuses a sheet whose period the rulebook does not cover).
//
// Rule: a version effective from period F covers period P when F starts on or before P ends (a rulebook
// effective from 2026Q3 covers 2026H2 and 2026, not 2026H1). Among a county's versions, the newest
// (highest version number) that covers P holds; when none does, the default standards hold.
import type { Period } from '../types.ts';
import { parsePeriodLabel } from '../scoring/period.ts';

const startMonth = (p: Period) => p.year * 12 + p.startMonth;
const endMonth = (p: Period) => p.year * 12 + p.endMonth;

/** Whether a rulebook effective from `effectiveFrom` (a period label) covers `period`. An unreadable
 * label covers nothing. */
export function inForce(effectiveFrom: string, period: Period): boolean {
  const from = parsePeriodLabel(effectiveFrom);
  return !!from && startMonth(from) <= endMonth(period);
}

export interface VersionLike {
  version: number;
  effectiveFrom: string;
}

/** The version that holds for `period`: the newest that covers it, or null (the default standards). */
export function versionInForce<V extends VersionLike>(versions: readonly V[], period: Period): V | null {
  let best: V | null = null;
  for (const v of versions) if (inForce(v.effectiveFrom, period) && (!best || v.version > best.version)) best = v;
  return best;
}
