// Stars, 示范/中间/后进 groups and 软弱涣散 candidates, computed in TypeScript with shared/scoring/cohort.ts
// on the ranked rows DuckDB returns (the quota and tie rules live there, and are property-tested):
//  - stars: per cohort by the rulebook's stars.scope (default: the township); vetoed villages are not
//    rated but count in the cohort size the quotas are taken of, as when a sheet is scored;
//  - groups: per township (the seed's 三互 practice: a township sorts its villages), shares from groups; the
//    后进 share is the ranking SQL's in_bottom_group (sql.ts, the one computation of it, which 连续两期后进
//    also reads), 示范 the top share here;
//  - 软弱涣散 candidates: over the whole county (bottomShare is a share of the county's villages), with
//    every trigger that fired; `flag` triggers read the result's recorded 软弱涣散 flag (weak_flag).
import type { CountyRulebook } from '../../shared/rulebook/county.ts';
import { assignGroups, assignStars, weakCandidates, type Group } from '../../shared/scoring/cohort.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';

const INPUT_LABELS = new Map(defaultRulebook().inputs.map((i) => [i.id, i.label]));
import type { VillageRankRow } from './sql.ts';

export interface VillageExtras {
  stars: number | null;
  starsReason?: string;
  group: Group | null;
  groupReason?: string;
  weak: string[];
}

const total = (r: { totalCents: number }) => r.totalCents / 100;

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/** Extras for the villages of one period. `failed`: failed requirement/article refs per village. */
export function villageExtras(rows: readonly VillageRankRow[], rb: CountyRulebook | null, failed?: Map<string, Set<string>>): Map<string, VillageExtras> {
  const out = new Map<string, VillageExtras>(rows.map((r) => [r.village, { stars: null, group: null, weak: [] }]));
  const bands = rb?.stars?.bands;
  if (bands?.length) {
    const cohorts = rb?.stars?.scope === 'county' ? new Map([['', [...rows]]]) : groupBy(rows, (r) => r.township);
    for (const cohort of cohorts.values()) {
      const rated = cohort.filter((r) => !r.veto);
      const stars = assignStars(rated.map((r) => ({ id: r.village, total: total(r) })), bands, cohort.length);
      for (const r of cohort) {
        const e = out.get(r.village)!;
        const s = stars.get(r.village);
        e.stars = s?.stars ?? 0;
        e.starsReason = s?.reason ?? '有一票否决项，不参与评星';
      }
    }
  }
  const groups = rb?.groups;
  if (groups) {
    for (const cohort of groupBy(rows, (r) => r.township).values()) {
      const g = assignGroups(cohort.map((r) => ({ id: r.village, total: total(r), inBottomShare: r.inBottomGroup })), groups.top, groups.bottom);
      for (const r of cohort) {
        const e = out.get(r.village)!;
        const x = g.get(r.village)!;
        e.group = x.group;
        e.groupReason = `乡镇内${x.reason}`;
      }
    }
  }
  const weak = rb?.weak;
  if (weak?.triggers.length) {
    const flagInputs = weak.triggers.flatMap((t) => (t.kind === 'flag' ? [t.input] : []));
    const cands = weakCandidates(
      rows.map((r) => ({
        id: r.village,
        total: total(r),
        veto: r.veto,
        failed: failed?.get(r.village) ?? new Set<string>(),
        flags: new Set(r.weakFlag ? flagInputs : []),
      })),
      weak,
      (id) => INPUT_LABELS.get(id) ?? id,
    );
    for (const [id, why] of cands) out.get(id)!.weak = why;
  }
  return out;
}

/** 示范/中间/后进 among a county's townships by score, shares from the rulebook's groups. */
export function townshipGroups(
  rows: readonly { township: string; scoreCents: number; inBottomGroup: boolean }[],
  rb: CountyRulebook | null,
): Map<string, { group: Group; reason: string }> {
  if (!rb?.groups) return new Map();
  return assignGroups(rows.map((r) => ({ id: r.township, total: r.scoreCents / 100, inBottomShare: r.inBottomGroup })), rb.groups.top, rb.groups.bottom);
}
