// Deterministic aggregation inputs at county (500 villages), city (5,000) and province (45,000) size.
// Pure (no Node or Worker APIs): the Node harness and the bench Worker (bench/worker/entry.ts) both import it,
// so DuckDB-WASM inside workerd, native DuckDB and the TypeScript reference rank exactly the same rows
// (each side reports a checksum of what it generated; the harness compares them).
//
// Villages come from shared/demo/generate.ts (demoCounty: codes, names, townships, a quality per village),
// 25 townships × 20 villages per county of 500, one county per 500 villages (codes 410001…, 410090…).
// Each village has one result in each quarter 2026Q1–Q4: a total from its quality (in half points, so ties
// are common, as with real integer-ish scores) and a level from the example county rulebook's bands
// (示范 ≥ 90, 达标 ≥ 70, 未达标 below). Scoring itself is benchmarked separately (case 1); here only
// the results the Worker stores matter.
import { demoCounty, prng } from '../../shared/demo/generate.ts';
import { makePeriod } from '../../shared/scoring/period.ts';
import type { Period } from '../../shared/types.ts';
import type { HalfRule, ObservationScore, PeriodRule, ResultRow } from '../../worker/aggregate/sql.ts';
import type { LevelRule } from '../../worker/aggregate/levels.ts';
import { periodKey, previousPeriod, quartersOfHalf } from '../../worker/aggregate/periods.ts';

export const SIZES = { county: 500, city: 5000, province: 45000 } as const;
export type SizeName = keyof typeof SIZES;
export const SIZE_NAMES = Object.keys(SIZES) as SizeName[];

export const VILLAGES_PER_COUNTY = 500;
const TOWNSHIPS_PER_COUNTY = 25;

/** The example county rulebook's levels (示范 / 达标 / 未达标), as worker/aggregate/levels.ts reads them. */
export const LEVELS: readonly LevelRule[] = [
  { name: '示范', pass: true, demo: true },
  { name: '达标', pass: true, demo: false },
  { name: '未达标', pass: false, demo: false },
];
/** groups.bottom 0.2 and observation.weight 0.3 of the example county rulebook, in ten-thousandths. */
const BOTTOM_BP = 2000;
const WEIGHT_BP = 3000;

const QUARTERS = [1, 2, 3, 4].map((q) => makePeriod('quarter', 2026, q));
/** The village ranking of 2026Q4 needs 2026Q4 and 2026Q3 (previous ranks), as the Worker loads them. */
export const VILLAGE_PERIOD = QUARTERS[3]!;
/** The township ranking of 2026H2 needs the quarters of 2026H2 and 2026H1. */
export const TOWNSHIP_HALF = makePeriod('half', 2026, 2);

export interface AggregationInput {
  size: SizeName;
  villages: number;
  /** The rows of the village ranking (two quarters). */
  villageRows: ResultRow[];
  periods: PeriodRule[];
  /** The rows of the township ranking (four quarters). */
  townshipRows: ResultRow[];
  halves: HalfRule[];
  observations: ObservationScore[];
  checksum: string;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function periodRule(p: Period, wanted: boolean): PeriodRule {
  return { period: p.label, key: periodKey(p), previous: previousPeriod(p).label, bottomBp: BOTTOM_BP, wanted, levels: LEVELS };
}

/** Village counts: a multiple of 500 (one or more counties of 25 × 20 villages). */
export function aggregationInput(villages: number, size: SizeName = 'county'): AggregationInput {
  if (villages % VILLAGES_PER_COUNTY !== 0 || villages <= 0) throw new Error(`villages must be a positive multiple of ${VILLAGES_PER_COUNTY}`);
  const rows: ResultRow[] = [];
  const observations: ObservationScore[] = [];
  const halves = [previousPeriod(TOWNSHIP_HALF), TOWNSHIP_HALF];
  for (let c = 0; c < villages / VILLAGES_PER_COUNTY; c++) {
    const county = demoCounty({ seed: 2026 + c, countyCode: `41${String(c + 1).padStart(4, '0')}`, townships: TOWNSHIPS_PER_COUNTY, villagesPerTownship: [20, 20] });
    for (const t of county.townships) {
      const r = prng(hash(t.code));
      // About two thirds of the townships have an observation score in each half.
      for (const h of halves) if (r() < 0.67) observations.push({ township: t.code, half: h.label, cents: 6000 + 50 * Math.floor(r() * 80) });
      for (const v of t.villages) {
        for (const q of QUARTERS) {
          const rnd = prng(hash(`${v.code}|${q.label}`));
          const points = Math.max(0, Math.min(100, v.quality * 100 - 10 + rnd() * 14));
          const totalCents = 50 * Math.round(points * 2);
          const veto = rnd() < 0.01;
          const level = veto ? '未达标' : totalCents >= 9000 ? '示范' : totalCents >= 7000 ? '达标' : '未达标';
          rows.push({
            village: v.code,
            township: t.code,
            period: q.label,
            name: v.name,
            totalCents,
            maxCents: 10000,
            level,
            veto,
            weakFlag: rnd() < 0.03,
            createdAt: `2026-${String(q.endMonth).padStart(2, '0')}-28T08:00:00.000Z`,
            submission: `sub-${t.code}-${q.label}`,
          });
        }
      }
    }
  }
  const villagePeriods = [previousPeriod(VILLAGE_PERIOD), VILLAGE_PERIOD];
  const villageLabels = new Set(villagePeriods.map((p) => p.label));
  let sum = 0;
  for (const r of rows) sum = (sum + r.totalCents * (1 + (hash(r.village) % 7)) + r.level.length) % 2147483647;
  return {
    size,
    villages,
    villageRows: rows.filter((r) => villageLabels.has(r.period)),
    periods: villagePeriods.map((p) => periodRule(p, p.label === VILLAGE_PERIOD.label)),
    townshipRows: rows,
    halves: halves.map((h) => ({
      ...periodRule(h, h.label === TOWNSHIP_HALF.label),
      weightBp: WEIGHT_BP,
      quarters: quartersOfHalf(h).map((q) => ({ period: q.label, key: periodKey(q) })),
    })),
    observations,
    checksum: `${rows.length}:${sum}`,
  };
}
