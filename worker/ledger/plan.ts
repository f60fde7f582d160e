// What a new submission does to the 整改台账, decided before the one atomic write:
// - a failing requirement opens an item (village, requirement, article, message, found period, deadline =
//   period end + county ledger.deadlineDays) unless an open item for that village and requirement exists;
// - an open item whose requirement passes in this submission closes (销号) with this submission as evidence,
//   provided the item was found in this period or an earlier one (a pass in 2026Q2 proves nothing about a
//   failure found in 2026Q3);
// - a failure sent late for an earlier period, when a later period's active result already passes that
//   requirement, is recorded as found and already closed by that later result, so the record stays true.
// The statements that apply the plan re-check "still open" / "none open" in SQL, so a concurrent write
// cannot make two open items for one village and requirement (a unique index also guarantees it).
import type { Bindings } from '../env.ts';
import type { Period, RequirementResult } from '../../shared/types.ts';
import { comparePeriods, parsePeriodLabel } from '../../shared/scoring/period.ts';
import { rectificationDeadline } from '../../shared/output/format.ts';
import type { AcceptedVillage } from '../submissions/types.ts';

export interface LedgerClose {
  id: string;
  evidence: string;
}

export interface LedgerOpen {
  id: string;
  village: string;
  name: string;
  req: string;
  standard: string;
  article: number;
  message: string;
  status: 'open' | 'closed';
  closeSubmission?: string;
  evidence?: string;
}

export interface LedgerPlan {
  deadline: string;
  close: LedgerClose[];
  open: LedgerOpen[];
}

/** yyyy-mm-dd of a Date at UTC midnight. */
export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

export async function planLedger(
  env: Bindings,
  args: { period: Period; deadlineDays: number; villages: readonly AcceptedVillage[] },
): Promise<LedgerPlan> {
  const deadline = isoDate(rectificationDeadline(args.period, args.deadlineDays));
  const plan: LedgerPlan = { deadline, close: [], open: [] };
  if (!args.villages.length) return plan;
  const codes = JSON.stringify(args.villages.map((v) => v.code));
  const [openRows, activeRows] = await Promise.all([
    env.DB.prepare("SELECT id, village_code, requirement_id, found_period FROM ledger_items WHERE status = 'open' AND village_code IN (SELECT value FROM json_each(?))")
      .bind(codes)
      .all<{ id: string; village_code: string; requirement_id: string; found_period: string }>(),
    env.DB.prepare('SELECT submission_id, village_code, period FROM village_results WHERE superseded_by IS NULL AND village_code IN (SELECT value FROM json_each(?))')
      .bind(codes)
      .all<{ submission_id: string; village_code: string; period: string }>(),
  ]);
  const open = new Map<string, { id: string; found: Period | undefined }[]>();
  for (const r of openRows.results) {
    const k = `${r.village_code}|${r.requirement_id}`;
    open.set(k, [...(open.get(k) ?? []), { id: r.id, found: parsePeriodLabel(r.found_period) }]);
  }
  // Active results of later periods: only those are read in full (usually none).
  const later = activeRows.results
    .map((r) => ({ ...r, p: parsePeriodLabel(r.period) }))
    .filter((r) => r.p && r.p.year * 12 + r.p.endMonth > args.period.year * 12 + args.period.endMonth);
  const laterPass = new Map<string, { submission: string; period: Period; result: RequirementResult }>();
  if (later.length) {
    const keys = JSON.stringify(later.map((r) => `${r.submission_id}|${r.village_code}`));
    const { results } = await env.DB.prepare(
      "SELECT submission_id, village_code, period, results_json FROM village_results WHERE submission_id || '|' || village_code IN (SELECT value FROM json_each(?))",
    )
      .bind(keys)
      .all<{ submission_id: string; village_code: string; period: string; results_json: string }>();
    for (const r of results) {
      const p = parsePeriodLabel(r.period)!;
      for (const res of JSON.parse(r.results_json) as RequirementResult[]) {
        if (res.status !== 'pass') continue;
        const k = `${r.village_code}|${res.id}`;
        const prev = laterPass.get(k);
        if (!prev || comparePeriods(p, prev.period) > 0) laterPass.set(k, { submission: r.submission_id, period: p, result: res });
      }
    }
  }
  for (const v of args.villages) {
    for (const r of v.results) {
      const k = `${v.code}|${r.id}`;
      const items = open.get(k) ?? [];
      if (r.status === 'pass') {
        for (const it of items) if (!it.found || comparePeriods(it.found, args.period) <= 0) plan.close.push({ id: it.id, evidence: r.message });
      } else if (r.status === 'fail' && items.length === 0) {
        const fixed = laterPass.get(k);
        plan.open.push({
          id: crypto.randomUUID(),
          village: v.code,
          name: v.name,
          req: r.id,
          standard: r.standard,
          article: r.article,
          message: r.message,
          status: fixed ? 'closed' : 'open',
          ...(fixed ? { closeSubmission: fixed.submission, evidence: `${fixed.period.labelZh}：${fixed.result.message}` } : {}),
        });
      }
    }
  }
  return plan;
}
