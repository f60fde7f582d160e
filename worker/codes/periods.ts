// When a code is valid: a change from period P ends the old codes for every period that ends on or after the
// first month of P, and starts the new codes for those same periods. Periods of any kind compare by month, so a
// change from 2026Q3 ends the old code for 2026Q3, 2026H2 and the year 2026 (the annual sheet is made at the
// year's end, with the new code) but not for 2026Q2 or 2026H1.
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import type { Period } from '../../shared/types.ts';

export const startMonth = (p: Period) => p.year * 12 + p.startMonth;
export const endMonth = (p: Period) => p.year * 12 + p.endMonth;

/** Does a change from `from` (a period label) apply to `period`? */
export function appliesTo(from: string, period: Period): boolean {
  const f = parsePeriodLabel(from);
  return !!f && endMonth(period) >= startMonth(f);
}

export function periodZh(label: string): string {
  return parsePeriodLabel(label)?.labelZh ?? label;
}
