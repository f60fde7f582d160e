// Functions over a cohort of scored units (the villages of a township, the townships of a county):
// competition ranks, stars with quotas, 示范/中间/后进 groups and 软弱涣散 candidates.
// Ties share a rank (1, 2, 2, 4); quotas never split a tie: a tied group that would exceed a quota is
// kept out of the band as a whole (documented in docs/design.md).
import type { CountyRulebook } from '../rulebook/county.ts';
import { fmtNumber } from './format.ts';

export interface Ranked {
  id: string;
  total: number;
}

/** Competition ranks ("1224"): rank = 1 + number of units with a strictly higher total. */
export function competitionRanks(units: readonly Ranked[]): Map<string, number> {
  const totals = units.map((u) => Math.round(u.total * 100)).sort((a, b) => b - a);
  const firstIndex = new Map<number, number>();
  totals.forEach((t, i) => {
    if (!firstIndex.has(t)) firstIndex.set(t, i);
  });
  return new Map(units.map((u) => [u.id, firstIndex.get(Math.round(u.total * 100))! + 1]));
}

/** Ranks counted from the bottom, ties sharing (1 = lowest total). */
export function bottomRanks(units: readonly Ranked[]): Map<string, number> {
  return competitionRanks(units.map((u) => ({ id: u.id, total: -u.total })));
}

export interface StarAssignment {
  stars: number;
  reason: string;
}

/** Stars by score band, highest band first; a band with a quota (share of the cohort) admits at most
 * floor(quota × n) units, best totals first, and a tie at the cut is demoted as a whole. */
export function assignStars(
  units: readonly Ranked[],
  bands: NonNullable<CountyRulebook['stars']>['bands'],
  /** The size quotas are taken of, when some units of the cohort are not rated (e.g. vetoed). */
  cohortSize = units.length,
): Map<string, StarAssignment> {
  const out = new Map<string, StarAssignment>();
  const n = cohortSize;
  const remaining = [...units].sort((a, b) => b.total - a.total || a.id.localeCompare(b.id));
  for (const band of bands) {
    const eligible = remaining.filter((u) => !out.has(u.id) && u.total >= band.min);
    let admitted = eligible;
    let cutNote = '';
    if (band.quota !== undefined) {
      const cap = Math.floor(band.quota * n + 1e-9);
      if (eligible.length > cap) {
        // Keep whole tie groups only: find the total at position cap; admit those strictly above it
        // unless the group at the cut fits entirely.
        const cutTotal = eligible[cap]?.total;
        admitted = eligible.filter((u) => cutTotal === undefined || u.total > cutTotal);
        cutNote = `（${band.stars}星名额为${fmtNumber(band.quota * 100)}%即${cap}个，超出名额按得分从高到低确定，同分者同进同出）`;
      }
    }
    for (const u of admitted) out.set(u.id, { stars: band.stars, reason: `得分${fmtNumber(u.total)}分，达到${band.stars}星分数线${fmtNumber(band.min)}分${cutNote}` });
    // Units kept out by a quota stay unassigned and fall to the next band they reach.
  }
  for (const u of units) if (!out.has(u.id)) out.set(u.id, { stars: 0, reason: '未达到最低星级分数线或名额已满' });
  return out;
}

export type Group = '示范' | '中间' | '后进';

export interface GroupUnit extends Ranked {
  /** Whether the unit is in its cohort's 后进 share (groups.bottom): every unit at or below its total fits within
   * floor(bottom × n). Decided once, by the ranking SQL (worker/aggregate/sql.ts `in_bottom_group`), which also
   * needs it for the previous period (连续两期后进); the group's 后进 is that same decision. */
  inBottomShare: boolean;
}

/** 示范/中间/后进 by share of the cohort: the top `top` share by rank is 示范; a unit in the 后进 share
 * (`inBottomShare`, decided by the ranking) is 后进. A tie group enters 示范 only if it fits within the share as
 * a whole (so the group never exceeds its share); a tie straddling a cut, or a unit in both shares, is 中间.
 * `bottom` only words the reason. */
export function assignGroups(units: readonly GroupUnit[], top: number, bottom: number): Map<string, { group: Group; reason: string }> {
  const n = units.length;
  const ranks = competitionRanks(units);
  const bRanks = bottomRanks(units);
  const topCount = Math.floor(top * n + 1e-9);
  // As the ranking SQL counts it: the share in ten-thousandths, floored.
  const bottomCount = Math.floor((Math.round(bottom * 10000) * n) / 10000);
  const out = new Map<string, { group: Group; reason: string }>();
  for (const u of units) {
    const r = ranks.get(u.id)!;
    const br = bRanks.get(u.id)!;
    const tiedCount = units.filter((x) => Math.round(x.total * 100) === Math.round(u.total * 100)).length;
    const isTop = r + tiedCount - 1 <= topCount;
    const isBottom = u.inBottomShare;
    if (isTop && !isBottom) out.set(u.id, { group: '示范', reason: `第${r}名，位于前${fmtNumber(top * 100)}%（${topCount}个）` });
    else if (isBottom && !isTop) out.set(u.id, { group: '后进', reason: `倒数第${br}名，位于后${fmtNumber(bottom * 100)}%（${bottomCount}个）` });
    else out.set(u.id, { group: '中间', reason: `第${r}名` });
  }
  return out;
}

export interface WeakInput extends Ranked {
  veto: boolean;
  /** Requirement/article refs that failed. */
  failed: ReadonlySet<string>;
  /** Bool inputs that are true (e.g. isWeak). */
  flags: ReadonlySet<string>;
}

/** "basic-18-b" → 基本标准第18条（b）; "demo-8" → 示范标准第8条. */
export function refLabel(ref: string): string {
  const m = /^(basic|demo)-(\d+)(?:-([a-z]+))?$/.exec(ref);
  if (!m) return ref;
  return `${m[1] === 'basic' ? '基本标准' : '示范标准'}第${m[2]}条${m[3] ? `（${m[3]}）` : ''}`;
}

/** 软弱涣散 candidates by the county's triggers; each candidate carries every trigger that fired.
 * `inputLabel` names a flag input in the reason (e.g. isWeak → 软弱涣散村). */
export function weakCandidates(
  units: readonly WeakInput[],
  weak: NonNullable<CountyRulebook['weak']>,
  inputLabel: (id: string) => string = (id) => id,
): Map<string, string[]> {
  const n = units.length;
  const bRanks = bottomRanks(units);
  const out = new Map<string, string[]>();
  for (const u of units) {
    const why: string[] = [];
    for (const t of weak.triggers) {
      switch (t.kind) {
        case 'scoreBelow':
          if (u.total < t.value) why.push(`得分${fmtNumber(u.total)}分，低于${fmtNumber(t.value)}分`);
          break;
        case 'veto':
          if (u.veto) why.push('有一票否决项');
          break;
        case 'bottomShare': {
          const cap = Math.floor(t.share * n + 1e-9);
          const br = bRanks.get(u.id)!;
          if (cap > 0 && br <= cap) why.push(`倒数第${br}名，位于后${fmtNumber(t.share * 100)}%`);
          break;
        }
        case 'failsRef':
          if (u.failed.has(t.ref)) why.push(`${refLabel(t.ref)}未达标`);
          break;
        case 'flag':
          if (u.flags.has(t.input)) why.push(`${inputLabel(t.input)}为“是”`);
          break;
      }
    }
    if (why.length) out.set(u.id, why);
  }
  return out;
}
