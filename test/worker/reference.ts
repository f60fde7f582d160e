// An independent, plain-TypeScript reference for the ranking SQL (worker/aggregate/sql.ts) and the
// observation aggregate (worker/observations/aggregate.ts), for the differential test. It shares no code
// with them: only competitionRanks from shared/scoring/cohort.ts, which is property-tested on its own.
// Its formulations differ on purpose (counting rather than window functions, Math.round on a quotient
// rather than integer floor division), so a mistake in one is unlikely to be repeated in the other.
import { competitionRanks } from '../../shared/scoring/cohort.ts';

export interface RefRow {
  village: string;
  township: string;
  period: string;
  name: string;
  totalCents: number;
  maxCents: number;
  level: string;
  veto: boolean;
  weakFlag: boolean;
  createdAt: string;
  submission: string;
}

export interface RefLevel {
  name: string;
  pass: boolean;
  demo: boolean;
}

export interface RefPeriod {
  period: string;
  key: number;
  previous: string;
  bottomBp: number;
  wanted: boolean;
  levels: readonly RefLevel[];
}

export interface RefHalf extends RefPeriod {
  weightBp: number;
  quarters: readonly { period: string; key: number }[];
}

/** Raw observation scores: one round of one half, one township, each observer's score in hundredths. */
export interface RefObservation {
  half: string;
  round: string;
  township: string;
  scores: number[];
}

const TARGET = 0.8;
const AIM = 0.9;

/** Keep the newest active row per village and period (created_at, then submission id). */
export function latestRows(rows: readonly RefRow[]): RefRow[] {
  const best = new Map<string, RefRow>();
  for (const r of rows) {
    const k = `${r.village}\u0000${r.period}`;
    const b = best.get(k);
    if (!b || r.createdAt > b.createdAt || (r.createdAt === b.createdAt && r.submission > b.submission)) best.set(k, r);
  }
  return [...best.values()];
}

/** Last place (lowest, with ties, unless all are equal) or inside the bottom share as a whole tie group. */
function bottomFlags(totals: readonly number[], mine: number, bottomBp: number): { last: boolean; group: boolean } {
  const min = Math.min(...totals);
  const max = Math.max(...totals);
  const atOrBelow = totals.filter((t) => t <= mine).length;
  const cap = Math.floor((bottomBp * totals.length) / 10000);
  return { last: mine === min && max > min, group: atOrBelow <= cap };
}

function rates(levels: readonly RefLevel[], levelNames: readonly string[]) {
  const n = levelNames.length;
  const passCount = levelNames.filter((l) => levels.some((x) => x.name === l && x.pass)).length;
  const demoCount = levelNames.filter((l) => levels.some((x) => x.name === l && x.demo)).length;
  return {
    villages: n,
    passCount,
    demoCount,
    passRate: n ? passCount / n : 0,
    demoRate: n ? demoCount / n : 0,
    passMeetsTarget: n > 0 && passCount / n >= TARGET - 1e-12,
    passMeetsAim: n > 0 && passCount / n >= AIM - 1e-12,
    demoMeetsTarget: n > 0 && demoCount / n >= TARGET - 1e-12,
    demoMeetsAim: n > 0 && demoCount / n >= AIM - 1e-12,
  };
}

export interface RefVillage {
  period: string;
  township: string;
  village: string;
  totalCents: number;
  rank: number;
  countyRank: number;
  townshipSize: number;
  countySize: number;
  isLast: boolean;
  inBottomGroup: boolean;
  previousRank: number | null;
  movement: number | null;
  bottomTwoRunning: boolean;
}

export function refVillages(rowsIn: readonly RefRow[], periods: readonly RefPeriod[]) {
  const known = new Set(periods.map((p) => p.period));
  const rows = latestRows(rowsIn.filter((r) => known.has(r.period)));
  const computed = new Map<string, Omit<RefVillage, 'previousRank' | 'movement' | 'bottomTwoRunning'>>();
  for (const p of periods) {
    const inPeriod = rows.filter((r) => r.period === p.period);
    const county = competitionRanks(inPeriod.map((r) => ({ id: r.village, total: r.totalCents / 100 })));
    for (const t of new Set(inPeriod.map((r) => r.township))) {
      const cohort = inPeriod.filter((r) => r.township === t);
      const ranks = competitionRanks(cohort.map((r) => ({ id: r.village, total: r.totalCents / 100 })));
      const totals = cohort.map((r) => r.totalCents);
      for (const r of cohort) {
        const f = bottomFlags(totals, r.totalCents, p.bottomBp);
        computed.set(`${p.period}|${r.village}`, {
          period: p.period,
          township: t,
          village: r.village,
          totalCents: r.totalCents,
          rank: ranks.get(r.village)!,
          countyRank: county.get(r.village)!,
          townshipSize: cohort.length,
          countySize: inPeriod.length,
          isLast: f.last,
          inBottomGroup: f.group,
        });
      }
    }
  }
  const villages: RefVillage[] = [];
  for (const p of periods.filter((x) => x.wanted)) {
    for (const c of computed.values()) {
      if (c.period !== p.period) continue;
      const prev = computed.get(`${p.previous}|${c.village}`);
      villages.push({
        ...c,
        previousRank: prev ? prev.rank : null,
        movement: prev ? prev.rank - c.rank : null,
        bottomTwoRunning: !!prev && (c.isLast || c.inBottomGroup) && (prev.isLast || prev.inBottomGroup),
      });
    }
  }
  const rateRows = periods
    .filter((p) => p.wanted)
    .flatMap((p) => {
      const inPeriod = rows.filter((r) => r.period === p.period);
      return [...new Set(inPeriod.map((r) => r.township))].map((t) => ({
        period: p.period,
        township: t,
        ...rates(
          p.levels,
          inPeriod.filter((r) => r.township === t).map((r) => r.level),
        ),
      }));
    });
  return { villages, rates: rateRows };
}

/** Observation aggregate of one unit in one round: drop one highest and one lowest with ≥ 3 scores, mean,
 * rounded half up to hundredths. */
export function refTrimmedMean(scores: readonly number[]): number {
  const s = [...scores].sort((a, b) => a - b);
  const used = s.length >= 3 ? s.slice(1, s.length - 1) : s;
  return Math.round(used.reduce((a, b) => a + b, 0) / used.length);
}

/** Each township's observation score per half: mean of its round aggregates, rounded half up. */
export function refObservationScores(obs: readonly RefObservation[]): Map<string, number> {
  const perRound = new Map<string, number[]>();
  for (const o of obs) {
    const k = `${o.township}|${o.half}`;
    perRound.set(k, [...(perRound.get(k) ?? []), refTrimmedMean(o.scores)]);
  }
  return new Map([...perRound].map(([k, aggs]) => [k, Math.round(aggs.reduce((a, b) => a + b, 0) / aggs.length)]));
}

export interface RefTownship {
  half: string;
  township: string;
  villageCount: number;
  results: number;
  sumCents: number;
  averageCents: number;
  observationCents: number | null;
  scoreCents: number;
  rank: number;
  countySize: number;
  isLast: boolean;
  inBottomGroup: boolean;
  previousRank: number | null;
  movement: number | null;
  bottomTwoRunning: boolean;
  villages: number;
  passCount: number;
  demoCount: number;
  passRate: number;
  demoRate: number;
}

export function refTownships(rowsIn: readonly RefRow[], halves: readonly RefHalf[], obs: readonly RefObservation[]): RefTownship[] {
  const halfOf = new Map<string, RefHalf>();
  const keyOf = new Map<string, number>();
  for (const h of halves) {
    for (const q of h.quarters) {
      halfOf.set(q.period, h);
      keyOf.set(q.period, q.key);
    }
  }
  const rows = latestRows(rowsIn.filter((r) => halfOf.has(r.period)));
  const obsScores = refObservationScores(obs);
  const byHalf = new Map<string, Omit<RefTownship, 'previousRank' | 'movement' | 'bottomTwoRunning'>[]>();
  for (const h of halves) {
    const inHalf = rows.filter((r) => halfOf.get(r.period) === h);
    const list = [...new Set(inHalf.map((r) => r.township))].map((t) => {
      const mine = inHalf.filter((r) => r.township === t);
      const sum = mine.reduce((a, r) => a + r.totalCents, 0);
      const n = mine.length;
      const o = obsScores.get(`${t}|${h.period}`);
      const score = o === undefined ? Math.round(sum / n) : Math.round(((10000 - h.weightBp) * sum + h.weightBp * o * n) / (10000 * n));
      // Rates: each village's latest result in the half, counted in that result's township.
      const latest = new Map<string, RefRow>();
      for (const r of inHalf) {
        const b = latest.get(r.village);
        if (!b || keyOf.get(r.period)! > keyOf.get(b.period)!) latest.set(r.village, r);
      }
      const mineLatest = [...latest.values()].filter((r) => r.township === t);
      const rt = rates(h.levels, mineLatest.map((r) => r.level));
      return {
        half: h.period,
        township: t,
        villageCount: new Set(mine.map((r) => r.village)).size,
        results: n,
        sumCents: sum,
        averageCents: Math.round(sum / n),
        observationCents: o ?? null,
        scoreCents: score,
        rank: 0,
        countySize: 0,
        isLast: false,
        inBottomGroup: false,
        villages: rt.villages,
        passCount: rt.passCount,
        demoCount: rt.demoCount,
        passRate: rt.passRate,
        demoRate: rt.demoRate,
      };
    });
    const ranks = competitionRanks(list.map((x) => ({ id: x.township, total: x.scoreCents / 100 })));
    const totals = list.map((x) => x.scoreCents);
    for (const x of list) {
      const f = bottomFlags(totals, x.scoreCents, h.bottomBp);
      x.rank = ranks.get(x.township)!;
      x.countySize = list.length;
      x.isLast = f.last;
      x.inBottomGroup = f.group;
    }
    byHalf.set(h.period, list);
  }
  const out: RefTownship[] = [];
  for (const h of halves.filter((x) => x.wanted)) {
    for (const x of byHalf.get(h.period) ?? []) {
      const prev = (byHalf.get(h.previous) ?? []).find((p) => p.township === x.township);
      out.push({
        ...x,
        previousRank: prev ? prev.rank : null,
        movement: prev ? prev.rank - x.rank : null,
        bottomTwoRunning: !!prev && (x.isLast || x.inBottomGroup) && (prev.isLast || prev.inBottomGroup),
      });
    }
  }
  return out;
}
