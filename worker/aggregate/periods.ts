// Period labels for rankings: the previous period of the same kind, the quarters of a half, the half of a
// quarter. Labels are the canonical ones of shared/scoring/period.ts (2026Q3, 2026H1, 2026, 2026-07).
import { makePeriod, parsePeriodLabel } from '../../shared/scoring/period.ts';
import type { Period } from '../../shared/types.ts';
import { badRequest } from '../errors.ts';

export function parsePeriodOrThrow(label: string, field = 'period'): Period {
  const p = parsePeriodLabel(label);
  if (!p) throw badRequest('bad_period', `${field}：无法识别期次“${label}”，请写成 2026Q3（季度）、2026H1（半年）或 2026（年度）`);
  return p;
}

/** The period just before, of the same kind: 2026Q1 → 2025Q4, 2026H1 → 2025H2, 2026 → 2025, 2026-01 → 2025-12. */
export function previousPeriod(p: Period): Period {
  const perYear = p.kind === 'year' ? 1 : p.kind === 'half' ? 2 : p.kind === 'quarter' ? 4 : 12;
  return p.index > 1 ? makePeriod(p.kind, p.year, p.index - 1) : makePeriod(p.kind, p.year - 1, perYear);
}

/** The two quarters of a half. */
export function quartersOfHalf(h: Period): Period[] {
  if (h.kind !== 'half') throw new Error(`not a half: ${h.label}`);
  const first = (h.index - 1) * 2 + 1;
  return [makePeriod('quarter', h.year, first), makePeriod('quarter', h.year, first + 1)];
}

/** The half a quarter belongs to. */
export function halfOfQuarter(q: Period): Period {
  if (q.kind !== 'quarter') throw new Error(`not a quarter: ${q.label}`);
  return makePeriod('half', q.year, q.index <= 2 ? 1 : 2);
}

/** Chronological sort key (end month, then length). */
export function periodKey(p: Period): number {
  return (p.year * 12 + p.endMonth) * 100 + p.months;
}
