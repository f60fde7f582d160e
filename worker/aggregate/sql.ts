// The ranking SQL, run by DuckDB-WASM over a county's active village results. Pure over its inputs
// (rows and per-period rules in, ranked rows out); the routes load the inputs from D1.
//
// Villages (per period, in the cohort of their township):
//   rank         = RANK() OVER (PARTITION BY period, township ORDER BY total_cents DESC)   ties share: 1,2,2,4
//   countyRank   = RANK() OVER (PARTITION BY period ORDER BY total_cents DESC)
//   previousRank = the village's rank in the previous period of the same kind (null when it has no result
//                  there); movement = previousRank − rank (positive: moved up)
//   bottom       = last in the township (lowest total, ties included, unless the whole township is tied)
//                  or in the township's 后进 share (rulebook groups.bottom; a tie group counts only if it
//                  fits within the share as a whole, as in shared/scoring/cohort.ts)
//   bottomTwoRunning = bottom in this period and in the previous one
//   (previous: through a merge, rename or move the village's earlier codes count as its own — worst rank of
//   several predecessors, 后进 if any was; docs/design.md "区划代码调整")
// Townships (per half, in the cohort of the county), on the quarters of the half:
//   villageAverage = Σ totals ÷ number of village results in the half's quarters (each village-quarter
//                    result counts once), rounded half up to hundredths
//   score = (1 − w) × average + w × observation, computed exactly and rounded half up to hundredths once
//           (w from the rulebook's observation.weight, in ten-thousandths; no observation: score = average)
//   rank, previousRank, movement, bottom, bottomTwoRunning as for villages, over the county's townships
//   rates: over each village's latest result in the half: share whose level counts as 达标 / 示范
// Ties are broken for display only, by 区划代码 ascending.
import type { DuckDB } from '../duckdb/db.ts';
import { col, withTables, type Row, type RunTimings, type TableData } from './duck.ts';
import type { LevelRule } from './levels.ts';
import { RATE_TARGETS } from './levels.ts';

export interface ResultRow {
  village: string;
  township: string;
  period: string;
  name: string;
  totalCents: number;
  maxCents: number;
  level: string;
  veto: boolean;
  weakFlag: boolean;
  /** ISO time the result was stored; with `submission`, picks one row if a village has two active rows. */
  createdAt: string;
  submission: string;
}

export interface PeriodRule {
  period: string;
  /** Chronological key (worker/aggregate/periods.ts periodKey). */
  key: number;
  previous: string;
  /** Rulebook groups.bottom in ten-thousandths (0: no 后进 share). */
  bottomBp: number;
  /** Output rows for this period (the others are loaded for previous ranks only). */
  wanted: boolean;
  levels: readonly LevelRule[];
}

export interface HalfRule extends PeriodRule {
  /** Rulebook observation.weight in ten-thousandths. */
  weightBp: number;
  /** The quarters of the half, with their keys. */
  quarters: readonly { period: string; key: number }[];
}

export interface ObservationScore {
  township: string;
  half: string;
  cents: number;
}

export interface VillageRankRow {
  period: string;
  township: string;
  village: string;
  name: string;
  totalCents: number;
  maxCents: number;
  level: string;
  veto: boolean;
  weakFlag: boolean;
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

export interface RateCounts {
  /** Villages counted. */
  villages: number;
  passCount: number;
  demoCount: number;
  passRate: number;
  demoRate: number;
  passMeetsTarget: boolean;
  passMeetsAim: boolean;
  demoMeetsTarget: boolean;
  demoMeetsAim: boolean;
}

export interface TownshipRateRow extends RateCounts {
  period: string;
  township: string;
}

export interface TownshipRankRow extends RateCounts {
  half: string;
  township: string;
  /** Distinct villages with a result in the half. */
  villageCount: number;
  /** Village results (village × quarter) in the half. */
  results: number;
  sumCents: number;
  averageCents: number;
  observationCents: number | null;
  weightBp: number;
  scoreCents: number;
  rank: number;
  countySize: number;
  isLast: boolean;
  inBottomGroup: boolean;
  previousRank: number | null;
  movement: number | null;
  bottomTwoRunning: boolean;
}

export interface SqlRun<T> {
  rows: T;
  timings: RunTimings;
}

const TARGET_BP = Math.round(RATE_TARGETS.target * 10000);
const AIM_BP = Math.round(RATE_TARGETS.aim * 10000);

function rowsTable(rows: readonly ResultRow[], periodKey: (p: string) => number, group?: (p: string) => string) {
  const n = rows.length;
  return {
    length: n,
    columns: {
      rn: col.num(rows.map((_, i) => i)),
      village: col.utf8(rows.map((r) => r.village)),
      township: col.utf8(rows.map((r) => r.township)),
      period: col.utf8(rows.map((r) => r.period)),
      pkey: col.num(rows.map((r) => periodKey(r.period))),
      grp: col.utf8(rows.map((r) => (group ? group(r.period) : r.period))),
      name: col.utf8(rows.map((r) => r.name)),
      total_cents: col.num(rows.map((r) => r.totalCents)),
      max_cents: col.num(rows.map((r) => r.maxCents)),
      level: col.utf8(rows.map((r) => r.level)),
      veto: col.num(rows.map((r) => (r.veto ? 1 : 0))),
      weak: col.num(rows.map((r) => (r.weakFlag ? 1 : 0))),
      created_at: col.utf8(rows.map((r) => r.createdAt)),
      submission: col.utf8(rows.map((r) => r.submission)),
    },
  };
}

function periodsTable(rules: readonly PeriodRule[], extra?: (r: PeriodRule) => number) {
  return {
    length: rules.length,
    columns: {
      period: col.utf8(rules.map((r) => r.period)),
      previous: col.utf8(rules.map((r) => r.previous)),
      bottom_bp: col.num(rules.map((r) => r.bottomBp)),
      wanted: col.num(rules.map((r) => (r.wanted ? 1 : 0))),
      weight_bp: col.num(rules.map((r) => extra?.(r) ?? 0)),
    },
  };
}

function levelsTable(entries: readonly { period: string; levels: readonly LevelRule[] }[]) {
  const flat = entries.flatMap((e) => e.levels.map((l) => ({ period: e.period, ...l })));
  return {
    length: flat.length,
    columns: {
      period: col.utf8(flat.map((l) => l.period)),
      name: col.utf8(flat.map((l) => l.name)),
      pass: col.num(flat.map((l) => (l.pass ? 1 : 0))),
      demo: col.num(flat.map((l) => (l.demo ? 1 : 0))),
    },
  };
}

/** Active results, one per village and period (the newest stored, should two be active). A GROUP BY with
 * arg_max and a semi-join: measured cheaper in time and wasm memory than ROW_NUMBER() over ~20k tiny
 * partitions. */
const BASE = (r: string) => `keep AS (
  SELECT arg_max(rn, (created_at, submission)) AS rn FROM ${r} GROUP BY village, period
),
base AS (
  SELECT rn, village, township, period, pkey, grp, name,
         CAST(total_cents AS BIGINT) AS total_cents, CAST(max_cents AS BIGINT) AS max_cents,
         level, veto = 1 AS veto, weak = 1 AS weak
  FROM ${r}
  WHERE rn IN (SELECT rn FROM keep)
)`;

const RATE_COLUMNS = `
  CAST(pass_count AS DOUBLE) / villages AS pass_rate,
  CAST(demo_count AS DOUBLE) / villages AS demo_rate,
  pass_count * 10000 >= CAST(? AS BIGINT) * villages AS pass_meets_target,
  pass_count * 10000 >= CAST(? AS BIGINT) * villages AS pass_meets_aim,
  demo_count * 10000 >= CAST(? AS BIGINT) * villages AS demo_meets_target,
  demo_count * 10000 >= CAST(? AS BIGINT) * villages AS demo_meets_aim`;

export const VILLAGE_RANK_SQL = (t: Record<string, string>) => `
WITH ${BASE(t.rows!)},
ranked AS (
  SELECT b.*,
    RANK() OVER (PARTITION BY b.period, b.township ORDER BY b.total_cents DESC) AS rank,
    RANK() OVER (PARTITION BY b.period ORDER BY b.total_cents DESC) AS county_rank
  FROM base b
),
town AS (
  SELECT period, township, COUNT(*) AS size, MIN(total_cents) AS lo, MAX(total_cents) AS hi FROM base GROUP BY period, township
),
county AS (
  SELECT period, COUNT(*) AS size FROM base GROUP BY period
),
flagged AS (
  SELECT r.*, tw.size AS township_size, co.size AS county_size,
    -- last: the lowest total of the township (ties included), unless the whole township is tied
    (r.total_cents = tw.lo AND tw.lo < tw.hi) AS is_last,
    -- 后进 share: the units at or below this total (size − rank + 1) all fit within floor(share × size)
    (tw.size - r.rank + 1 <= (CAST(p.bottom_bp AS BIGINT) * tw.size) // 10000) AS in_bottom_group
  FROM ranked r
  JOIN town tw ON tw.period = r.period AND tw.township = r.township
  JOIN county co ON co.period = r.period
  JOIN ${t.periods} p ON p.period = r.period
),
-- A village's history runs through its own code and the codes merged, renamed or moved into it (links, from
-- worker/codes/lineage.ts). Several predecessors in one period: the worst rank, and 后进 if any was.
lineage AS (
  SELECT DISTINCT village, village AS ancestor FROM base
  UNION SELECT village, ancestor FROM ${t.links}
),
prev AS (
  SELECT l.village, f.period, MAX(f.rank) AS rank, bool_or(f.is_last OR f.in_bottom_group) AS bottom
  FROM lineage l JOIN flagged f ON f.village = l.ancestor
  GROUP BY l.village, f.period
)
SELECT c.period, c.township, c.village, c.name, c.total_cents, c.max_cents, c.level, c.veto, c.weak,
  c.rank, c.county_rank, c.township_size, c.county_size, c.is_last, c.in_bottom_group,
  pr.rank AS previous_rank,
  pr.rank - c.rank AS movement,
  coalesce((c.is_last OR c.in_bottom_group) AND pr.bottom, false) AS bottom_two_running
FROM flagged c
JOIN ${t.periods} p ON p.period = c.period
LEFT JOIN prev pr ON pr.village = c.village AND pr.period = p.previous
WHERE p.wanted = 1
ORDER BY c.period, c.township, c.rank, c.village`;

export const VILLAGE_RATES_SQL = (t: Record<string, string>) => `
WITH ${BASE(t.rows!)},
counts AS (
  SELECT b.period, b.township, COUNT(*) AS villages,
    COUNT(*) FILTER (WHERE l.pass = 1) AS pass_count,
    COUNT(*) FILTER (WHERE l.demo = 1) AS demo_count
  FROM base b
  JOIN ${t.periods} p ON p.period = b.period AND p.wanted = 1
  LEFT JOIN ${t.levels} l ON l.period = b.period AND l.name = b.level
  GROUP BY b.period, b.township
)
SELECT period, township, villages, pass_count, demo_count, ${RATE_COLUMNS}
FROM counts
ORDER BY period, township`;

export const TOWNSHIP_RANK_SQL = (t: Record<string, string>) => `
WITH ${BASE(t.rows!)},
halves AS (
  SELECT period AS half, previous, CAST(weight_bp AS BIGINT) AS w, CAST(bottom_bp AS BIGINT) AS bottom_bp, wanted
  FROM ${t.halves}
),
agg AS (
  SELECT grp AS half, township, CAST(SUM(total_cents) AS BIGINT) AS sum_cents, COUNT(*) AS results,
         COUNT(DISTINCT village) AS village_count
  FROM base GROUP BY grp, township
),
latest AS (
  SELECT * FROM base WHERE rn IN (SELECT arg_max(rn, pkey) FROM base GROUP BY grp, village)
),
rates AS (
  SELECT x.grp AS half, x.township, COUNT(*) AS villages,
    COUNT(*) FILTER (WHERE l.pass = 1) AS pass_count,
    COUNT(*) FILTER (WHERE l.demo = 1) AS demo_count
  FROM latest x LEFT JOIN ${t.levels} l ON l.period = x.period AND l.name = x.level
  GROUP BY x.grp, x.township
),
obs AS (
  SELECT township, period AS half, CAST(cents AS BIGINT) AS cents FROM ${t.obs}
),
scored AS (
  SELECT a.*, h.w, h.bottom_bp, o.cents AS observation_cents,
    (2 * a.sum_cents + a.results) // (2 * a.results) AS average_cents,
    CASE WHEN o.cents IS NULL THEN (2 * a.sum_cents + a.results) // (2 * a.results)
         ELSE (2 * ((10000 - h.w) * a.sum_cents + h.w * o.cents * a.results) + 10000 * a.results) // (20000 * a.results)
    END AS score_cents
  FROM agg a
  JOIN halves h ON h.half = a.half
  LEFT JOIN obs o ON o.township = a.township AND o.half = a.half
),
ranked AS (
  SELECT s.*,
    RANK() OVER (PARTITION BY s.half ORDER BY s.score_cents DESC) AS rank,
    COUNT(*) OVER (PARTITION BY s.half) AS county_size,
    MIN(s.score_cents) OVER (PARTITION BY s.half) AS lo,
    MAX(s.score_cents) OVER (PARTITION BY s.half) AS hi
  FROM scored s
),
flagged AS (
  SELECT r.*,
    (r.score_cents = r.lo AND r.lo < r.hi) AS is_last,
    (r.county_size - r.rank + 1 <= (r.bottom_bp * r.county_size) // 10000) AS in_bottom_group
  FROM ranked r
),
final AS (
  SELECT c.half, c.township, c.village_count, c.results, c.sum_cents, c.average_cents, c.observation_cents,
    c.w AS weight_bp, c.score_cents, c.rank, c.county_size, c.is_last, c.in_bottom_group,
    pr.rank AS previous_rank,
    pr.rank - c.rank AS movement,
    coalesce((c.is_last OR c.in_bottom_group) AND (pr.is_last OR pr.in_bottom_group), false) AS bottom_two_running,
    coalesce(rt.villages, 0) AS villages, coalesce(rt.pass_count, 0) AS pass_count, coalesce(rt.demo_count, 0) AS demo_count
  FROM flagged c
  JOIN halves h ON h.half = c.half
  LEFT JOIN flagged pr ON pr.township = c.township AND pr.half = h.previous
  LEFT JOIN rates rt ON rt.township = c.township AND rt.half = c.half
  WHERE h.wanted = 1
)
SELECT *, ${RATE_COLUMNS.replace(/\/ villages/g, '/ nullif(villages, 0)')}
FROM final
ORDER BY half, rank, township`;

const num = (v: unknown): number => v as number;
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : (v as number));
const bool = (v: unknown): boolean => v === true;

function rateCounts(r: Row): RateCounts {
  return {
    villages: num(r.villages),
    passCount: num(r.pass_count),
    demoCount: num(r.demo_count),
    passRate: numOrNull(r.pass_rate) ?? 0,
    demoRate: numOrNull(r.demo_rate) ?? 0,
    passMeetsTarget: bool(r.pass_meets_target),
    passMeetsAim: bool(r.pass_meets_aim),
    demoMeetsTarget: bool(r.demo_meets_target),
    demoMeetsAim: bool(r.demo_meets_aim),
  };
}

/** The bound parameters of the rate columns (VILLAGE_RATES_SQL, TOWNSHIP_RANK_SQL): targets in ten-thousandths. */
export const TARGET_PARAMS = [TARGET_BP, AIM_BP, TARGET_BP, AIM_BP];

/** The tables VILLAGE_RANK_SQL and VILLAGE_RATES_SQL read (exported for the benchmark, bench/cases/aggregation.ts). */
export function villageTables(
  rows: readonly ResultRow[],
  periods: readonly PeriodRule[],
  links: readonly { village: string; ancestor: string }[] = [],
): Record<string, TableData> {
  const keyOf = new Map(periods.map((p) => [p.period, p.key]));
  const known = rows.filter((r) => keyOf.has(r.period));
  return { rows: rowsTable(known, (p) => keyOf.get(p)!), periods: periodsTable(periods), levels: levelsTable(periods), links: linksTable(links) };
}

/** Code lineage (worker/codes/lineage.ts): each village with an earlier code whose history it carries. */
function linksTable(links: readonly { village: string; ancestor: string }[]) {
  return { length: links.length, columns: { village: col.utf8(links.map((l) => l.village)), ancestor: col.utf8(links.map((l) => l.ancestor)) } };
}

/** Village ranks for the wanted periods, and each township's rates in those periods. */
export function rankVillages(
  db: DuckDB,
  rows: readonly ResultRow[],
  periods: readonly PeriodRule[],
  links: readonly { village: string; ancestor: string }[] = [],
): SqlRun<{ villages: VillageRankRow[]; rates: TownshipRateRow[] }> {
  return withTables(
    db,
    villageTables(rows, periods, links),
    (s) => {
      const villages = s.all(VILLAGE_RANK_SQL(s.t)).map(
        (r): VillageRankRow => ({
          period: r.period as string,
          township: r.township as string,
          village: r.village as string,
          name: r.name as string,
          totalCents: num(r.total_cents),
          maxCents: num(r.max_cents),
          level: r.level as string,
          veto: bool(r.veto),
          weakFlag: bool(r.weak),
          rank: num(r.rank),
          countyRank: num(r.county_rank),
          townshipSize: num(r.township_size),
          countySize: num(r.county_size),
          isLast: bool(r.is_last),
          inBottomGroup: bool(r.in_bottom_group),
          previousRank: numOrNull(r.previous_rank),
          movement: numOrNull(r.movement),
          bottomTwoRunning: bool(r.bottom_two_running),
        }),
      );
      const rates = s.all(VILLAGE_RATES_SQL(s.t), TARGET_PARAMS).map((r): TownshipRateRow => ({ period: r.period as string, township: r.township as string, ...rateCounts(r) }));
      return { rows: { villages, rates }, timings: s.timings };
    },
  );
}

/** The tables TOWNSHIP_RANK_SQL reads (exported for the benchmark, bench/cases/aggregation.ts). */
export function townshipTables(rows: readonly ResultRow[], halves: readonly HalfRule[], observations: readonly ObservationScore[]): Record<string, TableData> {
  const halfOf = new Map<string, string>();
  const keyOf = new Map<string, number>();
  const quarterLevels: { period: string; levels: readonly LevelRule[] }[] = [];
  for (const h of halves) {
    for (const q of h.quarters) {
      halfOf.set(q.period, h.period);
      keyOf.set(q.period, q.key);
      quarterLevels.push({ period: q.period, levels: h.levels });
    }
  }
  const known = rows.filter((r) => halfOf.has(r.period));
  const halfSet = new Set(halves.map((h) => h.period));
  const obs = observations.filter((o) => halfSet.has(o.half));
  return {
    rows: rowsTable(known, (p) => keyOf.get(p)!, (p) => halfOf.get(p)!),
    halves: periodsTable(halves, (h) => (h as HalfRule).weightBp),
    levels: levelsTable(quarterLevels),
    obs: {
      length: obs.length,
      columns: { township: col.utf8(obs.map((o) => o.township)), period: col.utf8(obs.map((o) => o.half)), cents: col.num(obs.map((o) => o.cents)) },
    },
  };
}

/** Township scores and ranks for the wanted halves; `rows` are the village results of the halves' quarters. */
export function rankTownships(
  db: DuckDB,
  rows: readonly ResultRow[],
  halves: readonly HalfRule[],
  observations: readonly ObservationScore[],
): SqlRun<TownshipRankRow[]> {
  return withTables(
    db,
    townshipTables(rows, halves, observations),
    (s) => {
      const out = s.all(TOWNSHIP_RANK_SQL(s.t), TARGET_PARAMS).map(
        (r): TownshipRankRow => ({
          half: r.half as string,
          township: r.township as string,
          villageCount: num(r.village_count),
          results: num(r.results),
          sumCents: num(r.sum_cents),
          averageCents: num(r.average_cents),
          observationCents: numOrNull(r.observation_cents),
          weightBp: num(r.weight_bp),
          scoreCents: num(r.score_cents),
          rank: num(r.rank),
          countySize: num(r.county_size),
          isLast: bool(r.is_last),
          inBottomGroup: bool(r.in_bottom_group),
          previousRank: numOrNull(r.previous_rank),
          movement: numOrNull(r.movement),
          bottomTwoRunning: bool(r.bottom_two_running),
          ...rateCounts(r),
        }),
      );
      return { rows: out, timings: s.timings };
    },
  );
}
