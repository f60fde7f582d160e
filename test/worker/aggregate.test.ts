// The ranking SQL against an independent TypeScript reference (test/worker/reference.ts) on seeded random
// counties with many ties, missing periods, duplicate active rows and villages that move township, plus
// worked examples of the rules. Calls the aggregate functions directly (no D1, no routes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getDuckDB } from '../../worker/duckdb/db.ts';
import { rankTownships, rankVillages, type HalfRule, type PeriodRule, type ResultRow } from '../../worker/aggregate/sql.ts';
import { DEFAULT_LEVELS, levelRules, type LevelRule } from '../../worker/aggregate/levels.ts';
import { aggregateScores, combineRounds } from '../../worker/observations/aggregate.ts';
import { halfOfQuarter, periodKey, previousPeriod, quartersOfHalf } from '../../worker/aggregate/periods.ts';
import { makePeriod, parsePeriodLabel } from '../../shared/scoring/period.ts';
import { refTownships, refTrimmedMean, refVillages, type RefObservation } from './reference.ts';
import { townshipGroups, villageExtras } from '../../worker/aggregate/cohorts.ts';
import type { CountyRulebook } from '../../shared/rulebook/county.ts';

/** mulberry32: a small seeded PRNG for building random counties. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const QUARTERS = ['2025Q1', '2025Q2', '2025Q3', '2025Q4', '2026Q1', '2026Q2', '2026Q3', '2026Q4'].map((l) => parsePeriodLabel(l)!);
const HALVES = ['2025H1', '2025H2', '2026H1', '2026H2'].map((l) => parsePeriodLabel(l)!);
const COUNTY_LEVELS: LevelRule[] = levelRules({ levels: [{ name: '优秀' }, { name: '良好' }, { name: '合格' }, { name: '不合格' }] } as never);
const LEVEL_NAMES = ['示范', '达标', '待定', '未达标', '优秀', '良好', '合格', '不合格', '旧等次'];

interface County {
  rows: ResultRow[];
  periods: PeriodRule[];
  halves: HalfRule[];
  obs: RefObservation[];
}

function randomCounty(seed: number, opts: { townships: number; maxVillages: number; tieBuckets: number }): County {
  const r = prng(seed);
  const rows: ResultRow[] = [];
  const towns = Array.from({ length: opts.townships }, (_, i) => `410999${100 + i}`);
  for (const t of towns) {
    const n = r.int(1, opts.maxVillages);
    for (let v = 0; v < n; v++) {
      const code = `${t}${String(200 + v)}`;
      const presence = r.next() * 0.5 + 0.5;
      for (const q of QUARTERS) {
        if (r.next() > presence) continue; // missing period
        const township = r.next() < 0.04 ? r.pick(towns) : t; // a village that moved township this quarter
        const total = () => 6000 + 100 * r.int(0, opts.tieBuckets) + (r.next() < 0.15 ? r.int(1, 99) : 0);
        const base = { village: code, township, period: q.label, name: `村${code.slice(-4)}`, maxCents: 10000, veto: r.next() < 0.05, weakFlag: r.next() < 0.05 };
        rows.push({ ...base, totalCents: total(), level: r.pick(LEVEL_NAMES), createdAt: `2026-0${r.int(1, 5)}-01T00:00:00.000Z`, submission: `s${r.int(1, 9)}` });
        if (r.next() < 0.08) {
          // a second active row for the same village and period (should never happen; the newest wins)
          rows.push({ ...base, totalCents: total(), level: r.pick(LEVEL_NAMES), createdAt: `2026-0${r.int(1, 5)}-01T00:00:00.000Z`, submission: `s${r.int(1, 9)}` });
        }
      }
    }
  }
  const bottoms = [0, 1000, 2000, 2500, 3333, 5000];
  const periods: PeriodRule[] = QUARTERS.map((q) => ({
    period: q.label,
    key: periodKey(q),
    previous: previousPeriod(q).label,
    bottomBp: r.pick(bottoms),
    wanted: r.next() < 0.8,
    levels: r.next() < 0.5 ? DEFAULT_LEVELS : COUNTY_LEVELS,
  }));
  const halves: HalfRule[] = HALVES.map((h) => ({
    period: h.label,
    key: periodKey(h),
    previous: previousPeriod(h).label,
    bottomBp: r.pick(bottoms),
    weightBp: r.pick([0, 3000, 2500, 1234, 10000]),
    wanted: r.next() < 0.8,
    levels: r.next() < 0.5 ? DEFAULT_LEVELS : COUNTY_LEVELS,
    quarters: quartersOfHalf(h).map((q) => ({ period: q.label, key: periodKey(q) })),
  }));
  const obs: RefObservation[] = [];
  for (const h of HALVES) {
    for (const t of towns) {
      if (r.next() < 0.4) continue;
      const rounds = r.int(1, 3);
      for (let k = 0; k < rounds; k++) {
        obs.push({ half: h.label, round: `r${k}`, township: t, scores: Array.from({ length: r.int(1, 6) }, () => 5000 + 50 * r.int(0, 100) + (r.next() < 0.3 ? r.int(1, 49) : 0)) });
      }
    }
  }
  return { rows, periods, halves, obs };
}

/** The observation scores the Worker would compute (code under test), from the same raw scores. */
function workerObservations(obs: readonly RefObservation[]) {
  const byKey = new Map<string, number[]>();
  for (const o of obs) {
    const k = `${o.township}|${o.half}`;
    byKey.set(k, [...(byKey.get(k) ?? []), aggregateScores(o.scores).cents]);
  }
  return [...byKey].map(([k, aggs]) => {
    const [township, half] = k.split('|') as [string, string];
    return { township, half, cents: combineRounds(aggs) };
  });
}

const byKey = <T extends { village?: string; township: string }>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));

describe('ranking SQL = independent reference (seeded random counties)', () => {
  it('villages: ranks, county ranks, sizes, previous ranks, movement, bottom flags, rates', async () => {
    const db = await getDuckDB();
    let compared = 0;
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 0, max: 12 }),
        (seed, townships, maxVillages, tieBuckets) => {
          const c = randomCounty(seed, { townships, maxVillages, tieBuckets });
          const sql = rankVillages(db, c.rows, c.periods).rows;
          const ref = refVillages(c.rows, c.periods);
          const pick = (x: (typeof ref.villages)[number]) => ({
            period: x.period,
            township: x.township,
            village: x.village,
            totalCents: x.totalCents,
            rank: x.rank,
            countyRank: x.countyRank,
            townshipSize: x.townshipSize,
            countySize: x.countySize,
            isLast: x.isLast,
            inBottomGroup: x.inBottomGroup,
            previousRank: x.previousRank,
            movement: x.movement,
            bottomTwoRunning: x.bottomTwoRunning,
          });
          const k = (x: { period: string; village: string }) => `${x.period}|${x.village}`;
          expect(byKey(sql.villages.map(pick), k)).toEqual(byKey(ref.villages.map(pick), k));
          const kr = (x: { period: string; township: string }) => `${x.period}|${x.township}`;
          expect(byKey(sql.rates, kr)).toEqual(byKey(ref.rates, kr));
          // Display order: period, township, rank, then 区划代码.
          const order = sql.villages.map((x) => [x.period, x.township, String(x.rank).padStart(6, '0'), x.village].join('|'));
          expect(order).toEqual([...order].sort());
          compared += sql.villages.length;
        },
      ),
      { seed: 20261120, numRuns: 40 },
    );
    expect(compared).toBeGreaterThan(1000);
  });

  it('townships: village averages, observation scores, weighted scores, ranks, movement, bottom flags, rates', async () => {
    const db = await getDuckDB();
    let compared = 0;
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 6 }),
        (seed, townships, maxVillages, tieBuckets) => {
          const c = randomCounty(seed, { townships, maxVillages, tieBuckets });
          const sql = rankTownships(db, c.rows, c.halves, workerObservations(c.obs)).rows;
          const ref = refTownships(c.rows, c.halves, c.obs);
          const k = (x: { half: string; township: string }) => `${x.half}|${x.township}`;
          const pick = (x: (typeof ref)[number]) => ({
            half: x.half,
            township: x.township,
            villageCount: x.villageCount,
            results: x.results,
            sumCents: x.sumCents,
            averageCents: x.averageCents,
            observationCents: x.observationCents,
            scoreCents: x.scoreCents,
            rank: x.rank,
            countySize: x.countySize,
            isLast: x.isLast,
            inBottomGroup: x.inBottomGroup,
            previousRank: x.previousRank,
            movement: x.movement,
            bottomTwoRunning: x.bottomTwoRunning,
            villages: x.villages,
            passCount: x.passCount,
            demoCount: x.demoCount,
            passRate: x.passRate,
            demoRate: x.demoRate,
          });
          expect(byKey(sql.map(pick), k)).toEqual(byKey(ref.map(pick), k));
          compared += sql.length;
        },
      ),
      { seed: 7, numRuns: 40 },
    );
    expect(compared).toBeGreaterThan(100);
  });

  it('observation aggregate = reference on random score lists (exact hundredths, half up)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: 1, maxLength: 15 }), (scores) => {
        expect(aggregateScores(scores).cents).toBe(refTrimmedMean(scores));
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});

const row = (village: string, township: string, period: string, total: number, extra: Partial<ResultRow> = {}): ResultRow => ({
  village,
  township,
  period,
  name: village,
  totalCents: Math.round(total * 100),
  maxCents: 10000,
  level: '达标',
  veto: false,
  weakFlag: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  submission: 's1',
  ...extra,
});
const q = (label: string, wanted: boolean, bottomBp = 0, levels: readonly LevelRule[] = DEFAULT_LEVELS): PeriodRule => {
  const p = parsePeriodLabel(label)!;
  return { period: p.label, key: periodKey(p), previous: previousPeriod(p).label, bottomBp, wanted, levels };
};
const h = (label: string, wanted: boolean, weightBp = 0, bottomBp = 0): HalfRule => {
  const p = parsePeriodLabel(label)!;
  return { ...q(label, wanted, bottomBp), weightBp, quarters: quartersOfHalf(p).map((x) => ({ period: x.label, key: periodKey(x) })) };
};

describe('后进: one computation (the ranking SQL), read by the groups and by 连续两期后进', () => {
  it('villages and townships: 后进 group ⇔ in the SQL 后进 share and not in the top share; never above the share', async () => {
    const db = await getDuckDB();
    let bottoms = 0;
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 14 }), fc.integer({ min: 0, max: 8 }), (seed, townships, maxVillages, tieBuckets) => {
        const c = randomCounty(seed, { townships, maxVillages, tieBuckets });
        const run = rankVillages(db, c.rows, c.periods).rows;
        for (const p of c.periods.filter((x) => x.wanted)) {
          const rows = run.villages.filter((v) => v.period === p.period);
          const rb = { groups: { top: 0.3, bottom: p.bottomBp / 10000 } } as unknown as CountyRulebook;
          const extras = villageExtras(rows, rb);
          const perTownship = new Map<string, number>();
          for (const r of rows) {
            const g = extras.get(r.village)!.group;
            if (g === '后进') {
              expect(r.inBottomGroup, r.village).toBe(true);
              perTownship.set(r.township, (perTownship.get(r.township) ?? 0) + 1);
              bottoms++;
            }
            if (r.inBottomGroup) expect(['后进', '中间'], r.village).toContain(g);
            else expect(g, r.village).not.toBe('后进');
          }
          for (const [t, n] of perTownship) expect(n, t).toBeLessThanOrEqual(Math.floor((p.bottomBp * rows.filter((r) => r.township === t).length) / 10000));
        }
        const towns = rankTownships(db, c.rows, c.halves, workerObservations(c.obs)).rows;
        for (const h of c.halves.filter((x) => x.wanted)) {
          const rows = towns.filter((x) => x.half === h.period);
          const groups = townshipGroups(rows, { groups: { top: 0.3, bottom: h.bottomBp / 10000 } } as unknown as CountyRulebook);
          for (const r of rows) {
            const g = groups.get(r.township)!.group;
            if (g === '后进') expect(r.inBottomGroup).toBe(true);
            if (!r.inBottomGroup) expect(g).not.toBe('后进');
          }
        }
      }),
      { seed: 20261208, numRuns: 30 },
    );
    expect(bottoms).toBeGreaterThan(20);
  });
});

describe('worked examples', () => {
  it('ties share a rank and take places: 95, 90, 90, 80 → 1, 2, 2, 4; tie order by code', async () => {
    const db = await getDuckDB();
    const T = '410999100';
    const out = rankVillages(db, [row(`${T}204`, T, '2026Q3', 90), row(`${T}201`, T, '2026Q3', 95), row(`${T}203`, T, '2026Q3', 80), row(`${T}202`, T, '2026Q3', 90)], [q('2026Q3', true)]).rows;
    expect(out.villages.map((v) => [v.village.slice(-3), v.rank])).toEqual([
      ['201', 1],
      ['202', 2],
      ['204', 2],
      ['203', 4],
    ]);
  });

  it('movement and bottom two periods running (last place, or the 后进 share)', async () => {
    const db = await getDuckDB();
    const T = 'T';
    const rows = [
      // Q2: a 90, b 80, c 70, d 70 ; Q3: a 70, b 90, c 60, d 80, e 50
      row('a', T, '2026Q2', 90),
      row('b', T, '2026Q2', 80),
      row('c', T, '2026Q2', 70),
      row('d', T, '2026Q2', 70),
      row('a', T, '2026Q3', 70),
      row('b', T, '2026Q3', 90),
      row('c', T, '2026Q3', 60),
      row('d', T, '2026Q3', 80),
      row('e', T, '2026Q3', 50),
    ];
    const out = rankVillages(db, rows, [q('2026Q3', true, 4000), q('2026Q2', false, 0)]).rows.villages;
    const got = Object.fromEntries(out.map((v) => [v.village, [v.rank, v.previousRank, v.movement, v.isLast, v.inBottomGroup, v.bottomTwoRunning]]));
    expect(got).toEqual({
      b: [1, 2, 1, false, false, false],
      d: [2, 3, 1, false, false, false],
      a: [3, 1, -2, false, false, false],
      // Q3 bottom share 40% of 5 = 2: c (4th) and e (5th) are in it; in Q2 c was tied last (70, 70)
      c: [4, 3, -1, false, true, true],
      e: [5, null, null, true, true, false],
    });
  });

  it('a township all tied is nobody’s last place', async () => {
    const db = await getDuckDB();
    const out = rankVillages(db, [row('a', 'T', '2026Q3', 80), row('b', 'T', '2026Q3', 80)], [q('2026Q3', true)]).rows.villages;
    expect(out.map((v) => [v.rank, v.isLast])).toEqual([
      [1, false],
      [1, false],
    ]);
  });

  it('township score = (1 − w) × village average + w × observation, rounded half up once', async () => {
    const db = await getDuckDB();
    const rows = [
      // T1: Q1 80.00, 85.00; Q2 90.01 → average 255.01 / 3 = 85.0033… → 85.00
      row('a', 'T1', '2026Q1', 80),
      row('b', 'T1', '2026Q1', 85),
      row('a', 'T1', '2026Q2', 90.01),
      // T2: 86.00 only, no observation
      row('c', 'T2', '2026Q2', 86),
    ];
    // observation 90.33 for T1; w = 0.3: 0.7 × 85.00333… + 0.3 × 90.33 = 59.502333… + 27.099 = 86.601333… → 86.60
    const out = rankTownships(db, rows, [h('2026H1', true, 3000), h('2025H2', false, 3000)], [{ township: 'T1', half: '2026H1', cents: 9033 }]).rows;
    expect(out.map((t) => [t.township, t.averageCents, t.observationCents, t.scoreCents, t.rank])).toEqual([
      ['T1', 8500, 9033, 8660, 1],
      ['T2', 8600, null, 8600, 2],
    ]);
  });

  it('rates: 达标 counts the non-lowest levels, 示范 the top one; 80% passes the target (以上 includes it)', async () => {
    const db = await getDuckDB();
    const levels = levelRules({ levels: [{ name: '优秀' }, { name: '合格' }, { name: '不合格' }] } as never);
    const lv = (names: string[]) => names.map((n, i) => row(`v${i}`, 'T', '2026Q3', 80, { level: n }));
    const out = rankVillages(db, lv(['优秀', '合格', '合格', '合格', '不合格']), [q('2026Q3', true, 0, levels)]).rows.rates;
    expect(out).toEqual([
      {
        period: '2026Q3',
        township: 'T',
        villages: 5,
        passCount: 4,
        demoCount: 1,
        passRate: 0.8,
        demoRate: 0.2,
        passMeetsTarget: true,
        passMeetsAim: false,
        demoMeetsTarget: false,
        demoMeetsAim: false,
      },
    ]);
  });

  it('observation aggregate: examples', () => {
    expect(aggregateScores([8000, 8500, 9000]).cents).toBe(8500);
    expect(aggregateScores([8000, 9000]).cents).toBe(8500);
    expect(aggregateScores([8500, 8501]).cents).toBe(8501); // 85.005 → 85.01 (half up)
    expect(aggregateScores([7000, 8000, 8000, 10000]).cents).toBe(8000); // one of the equal lowest is dropped
    expect(aggregateScores([8000, 8500, 8600, 9000, 9900])).toEqual({ cents: 8700, observers: 5, dropped: { highest: 9900, lowest: 8000 }, used: 3 });
    expect(aggregateScores([8533, 8534, 8534, 8000, 9000]).cents).toBe(8534); // (8533+8534+8534)/3 = 8533.67 → 8534
  });

  it('period helpers', () => {
    expect(previousPeriod(parsePeriodLabel('2026Q1')!).label).toBe('2025Q4');
    expect(previousPeriod(parsePeriodLabel('2026H1')!).label).toBe('2025H2');
    expect(previousPeriod(parsePeriodLabel('2026')!).label).toBe('2025');
    expect(previousPeriod(parsePeriodLabel('2026-01')!).label).toBe('2025-12');
    expect(quartersOfHalf(makePeriod('half', 2026, 2)).map((x) => x.label)).toEqual(['2026Q3', '2026Q4']);
    expect(halfOfQuarter(makePeriod('quarter', 2026, 2)).label).toBe('2026H1');
  });

  it('tables are dropped after use; an empty load works', async () => {
    const db = await getDuckDB();
    expect(rankVillages(db, [], [q('2026Q3', true)]).rows).toEqual({ villages: [], rates: [] });
    expect(rankTownships(db, [], [h('2026H1', true)], []).rows).toEqual([]);
    const left = db.conn.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name LIKE 'kp\\_%' ESCAPE '\\'");
    expect(Number(left.getChild('n')!.get(0))).toBe(0);
  });
});
