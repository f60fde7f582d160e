// Rankings as the API serves them: load from D1, rank with DuckDB (sql.ts), add stars, groups and
// 软弱涣散 candidates (cohorts.ts), and report timings and wasm memory.
import type { CountyRulebook } from '../../shared/rulebook/county.ts';
import type { Group } from '../../shared/scoring/cohort.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import type { Period } from '../../shared/types.ts';
import { getDuckDB, MEMORY_LIMIT } from '../duckdb/db.ts';
import type { Bindings } from '../env.ts';
import { townshipObservations, type TownshipObservation } from '../observations/store.ts';
import { COMBINE_RULE, OBSERVATION_RULE } from '../observations/aggregate.ts';
import { townshipGroups, villageExtras } from './cohorts.ts';
import type { RunTimings } from './duck.ts';
import { levelRules, levelRuleText, RATE_TARGETS } from './levels.ts';
import { countyName, loadFailedRefs, loadResults, townshipNames } from './load.ts';
import { halfOfQuarter, periodKey, previousPeriod, quartersOfHalf } from './periods.ts';
import { rulebooksInForce, type RulebookInForce, type RulebooksInForce } from '../rulebook.ts';
import { rankTownships, rankVillages, type HalfRule, type PeriodRule, type RateCounts, type ResultRow, type VillageRankRow } from './sql.ts';
import { linkPairs, loadAncestors } from '../codes/lineage.ts';

export interface Meta {
  /** Village results loaded into DuckDB. */
  rows: number;
  d1Ms: number;
  duckdb: { version: string; initMs: number; getMs: number } & RunTimings;
  cohortMs: number;
  totalMs: number;
  /** Wasm linear memory after the query (it only ever grows: the isolate's high-water mark). */
  wasmMemoryBytes: number;
  wasmMemoryMiB: number;
  memoryLimit: string;
}

export interface RateView {
  count: number;
  total: number;
  rate: number;
  /** Percent, two decimals (display). */
  percent: number;
  meetsTarget: boolean;
  meetsAim: boolean;
}

export interface Rates {
  达标: RateView;
  示范: RateView;
}

export const RULES_TEXT = {
  rank: '乡镇内名次与全县名次均按总分从高到低排列，同分并列且占用名次（如1、2、2、4）',
  tieBreak: '同分并列的单位按区划代码从小到大显示，显示顺序不影响名次',
  movement: '名次变化 = 上期名次 − 本期名次（正数为上升）；上期无成绩时为空',
  bottomTwoRunning:
    '连续两期后进：本期与上期都处于末位（本单位得分为所在范围最低分，含并列，且并非全体同分）或处于后进比例（县级规则 groups.bottom，并列者须整体落在比例内）；村在本乡镇内比较，乡镇在全县比较',
  stars: '星级按县级规则的分数线与名额评定，名额不拆分并列；默认在乡镇内评定（stars.scope 为 county 时全县评定）；一票否决的村不评星但计入名额基数',
  groups: '示范/中间/后进按县级规则 groups 的比例在乡镇内划分，并列者整体进入或整体留在中间',
  weak: '软弱涣散候选按县级规则 weak 的触发条件在全县范围内判定，列出全部触发原因',
  rates: '达标率、示范率 = 相应等次的村数 ÷ 有成绩的村数；目标80%以上，力争90%以上（含本数）',
};

const bp = (x: number | undefined): number => Math.round((x ?? 0) * 10000);
const round2 = (x: number): number => Math.round(x * 10000) / 100;
const cents = (c: number): number => c / 100;

export function rateViews(r: RateCounts): Rates {
  return {
    达标: { count: r.passCount, total: r.villages, rate: r.passRate, percent: round2(r.passRate), meetsTarget: r.passMeetsTarget, meetsAim: r.passMeetsAim },
    示范: { count: r.demoCount, total: r.villages, rate: r.demoRate, percent: round2(r.demoRate), meetsTarget: r.demoMeetsTarget, meetsAim: r.demoMeetsAim },
  };
}

/** The county rulebook a ranking used (null: the default standards). */
function rulebookInfo(v: RulebookInForce) {
  return v.version !== null ? { version: v.version, id: v.id, name: v.name, effectiveFrom: v.effectiveFrom } : null;
}

async function duck() {
  const t = performance.now();
  const db = await getDuckDB();
  return { db, getMs: performance.now() - t };
}

function meta(rows: number, d1Ms: number, db: Awaited<ReturnType<typeof getDuckDB>>, getMs: number, timings: RunTimings, cohortMs: number, t0: number): Meta {
  const mem = db.wasmMemoryBytes();
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    rows,
    d1Ms: r(d1Ms),
    duckdb: {
      version: db.version,
      initMs: r(db.initMs),
      getMs: r(getMs),
      encodeMs: r(timings.encodeMs),
      insertMs: r(timings.insertMs),
      queryMs: r(timings.queryMs),
      extractMs: r(timings.extractMs),
    },
    cohortMs: r(cohortMs),
    totalMs: r(performance.now() - t0),
    wasmMemoryBytes: mem,
    wasmMemoryMiB: Math.round((mem / 1048576) * 10) / 10,
    memoryLimit: MEMORY_LIMIT,
  };
}

export function villagePeriodRules(rulebooks: RulebooksInForce, periods: readonly Period[], wanted: (p: Period) => boolean): PeriodRule[] {
  return periods.map((p) => {
    const rb = rulebooks.forPeriod(p).county ?? null;
    return { period: p.label, key: periodKey(p), previous: previousPeriod(p).label, bottomBp: bp(rb?.groups?.bottom), wanted: wanted(p), levels: levelRules(rb) };
  });
}

export function halfRules(rulebooks: RulebooksInForce, halves: readonly Period[], wanted: (h: Period) => boolean): HalfRule[] {
  return halves.map((h) => {
    const rb = rulebooks.forPeriod(h).county ?? null;
    return {
      period: h.label,
      key: periodKey(h),
      previous: previousPeriod(h).label,
      bottomBp: bp(rb?.groups?.bottom),
      weightBp: bp(rb?.observation?.weight),
      wanted: wanted(h),
      levels: levelRules(rb),
      quarters: quartersOfHalf(h).map((q) => ({ period: q.label, key: periodKey(q) })),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Villages

export interface VillageEntry {
  township: string;
  townshipName: string | null;
  code: string;
  name: string;
  total: number;
  maxTotal: number;
  rank: number;
  townshipSize: number;
  countyRank: number;
  countySize: number;
  level: string;
  veto: boolean;
  /** The 软弱涣散 flag recorded with the result. */
  weakFlag: boolean;
  stars: number | null;
  starsReason?: string;
  group: Group | null;
  groupReason?: string;
  /** 软弱涣散 candidate reasons (empty: not a candidate). */
  weak: string[];
  previousRank: number | null;
  movement: number | null;
  /** Bottom of its township this period (last place or the 后进 share). */
  bottom: boolean;
  bottomTwoRunning: boolean;
}

export interface TownshipRateEntry {
  code: string;
  name: string | null;
  villages: number;
  rates: Rates;
}

export interface VillageRanking {
  county: { code: string; name: string | null };
  period: string;
  periodZh: string;
  previousPeriod: string;
  rulebook: ReturnType<typeof rulebookInfo>;
  township: string | null;
  villages: VillageEntry[];
  townships: TownshipRateEntry[];
  targets: typeof RATE_TARGETS;
  rules: typeof RULES_TEXT & { levels: string };
  meta: Meta;
}

export async function villageRanking(env: Bindings, countyCode: string, period: Period, opts: { township?: string } = {}): Promise<VillageRanking> {
  const t0 = performance.now();
  const prev = previousPeriod(period);
  const [rulebooks, tnames, cname, rows, ancestors] = await Promise.all([
    rulebooksInForce(env, countyCode, [period, prev]),
    townshipNames(env, countyCode),
    countyName(env, countyCode),
    loadResults(env, countyCode, [period.label, prev.label]),
    loadAncestors(env, countyCode),
  ]);
  const inForce = rulebooks.forPeriod(period);
  const rb = inForce.county ?? null;
  const failed = rb?.weak?.triggers.some((t) => t.kind === 'failsRef') ? await loadFailedRefs(env, countyCode, period.label) : undefined;
  const d1Ms = performance.now() - t0;
  const { db, getMs } = await duck();
  const run = rankVillages(db, rows, villagePeriodRules(rulebooks, [period, prev], (p) => p.label === period.label), linkPairs(ancestors));
  const tc = performance.now();
  const extras = villageExtras(run.rows.villages, rb, failed);
  const cohortMs = performance.now() - tc;
  const keep = (t: string) => !opts.township || t === opts.township;
  const villages = run.rows.villages
    .filter((r) => keep(r.township))
    .map((r): VillageEntry => {
      const e = extras.get(r.village)!;
      return {
        township: r.township,
        townshipName: tnames.get(r.township) ?? null,
        code: r.village,
        name: r.name,
        total: cents(r.totalCents),
        maxTotal: cents(r.maxCents),
        rank: r.rank,
        townshipSize: r.townshipSize,
        countyRank: r.countyRank,
        countySize: r.countySize,
        level: r.level,
        veto: r.veto,
        weakFlag: r.weakFlag,
        stars: e.stars,
        ...(e.starsReason ? { starsReason: e.starsReason } : {}),
        group: e.group,
        ...(e.groupReason ? { groupReason: e.groupReason } : {}),
        weak: e.weak,
        previousRank: r.previousRank,
        movement: r.movement,
        bottom: r.isLast || r.inBottomGroup,
        bottomTwoRunning: r.bottomTwoRunning,
      };
    });
  const townships = run.rows.rates
    .filter((r) => keep(r.township))
    .map((r): TownshipRateEntry => ({ code: r.township, name: tnames.get(r.township) ?? null, villages: r.villages, rates: rateViews(r) }));
  return {
    county: { code: countyCode, name: cname },
    period: period.label,
    periodZh: period.labelZh,
    previousPeriod: prev.label,
    rulebook: rulebookInfo(inForce),
    township: opts.township ?? null,
    villages,
    townships,
    targets: RATE_TARGETS,
    rules: { ...RULES_TEXT, levels: levelRuleText(levelRules(rb)) },
    meta: meta(rows.length, d1Ms, db, getMs, run.timings, cohortMs, t0),
  };
}

// ---------------------------------------------------------------------------------------------
// Townships

export interface TownshipEntry {
  code: string;
  name: string | null;
  /** False when the township has no village result in the half's quarters (then unranked). */
  ranked: boolean;
  villages: number;
  results: number;
  villageAverage: number | null;
  observation: { aggregate: number; rule: string; rounds: TownshipObservation['rounds']; combined?: string } | null;
  weight: number;
  score: number | null;
  rank: number | null;
  countySize: number;
  group: Group | null;
  groupReason?: string;
  rates: Rates | null;
  previousRank: number | null;
  movement: number | null;
  bottom: boolean;
  bottomTwoRunning: boolean;
}

export interface TownshipRanking {
  county: { code: string; name: string | null };
  period: string;
  periodZh: string;
  previousPeriod: string;
  quarters: string[];
  rulebook: ReturnType<typeof rulebookInfo>;
  weight: number;
  formula: string;
  townships: TownshipEntry[];
  targets: typeof RATE_TARGETS;
  rules: typeof RULES_TEXT & { levels: string; observation: string };
  meta: Meta;
}

export function formulaText(weight: number): string {
  return weight > 0
    ? `乡镇得分 = (1 − ${weight}) × 村级平均分 + ${weight} × 观摩评议得分；村级平均分 = 本半年各季度全部村得分之和 ÷ 村次数；无观摩评议成绩时乡镇得分 = 村级平均分；一次性四舍五入保留两位小数`
    : '乡镇得分 = 村级平均分 = 本半年各季度全部村得分之和 ÷ 村次数（县级规则未设观摩权重，观摩评议成绩只作展示），四舍五入保留两位小数';
}

export async function townshipRanking(env: Bindings, countyCode: string, half: Period): Promise<TownshipRanking> {
  const t0 = performance.now();
  const prev = previousPeriod(half);
  const quarters = [...quartersOfHalf(prev), ...quartersOfHalf(half)];
  const [rulebooks, tnames, cname, rows, obs] = await Promise.all([
    rulebooksInForce(env, countyCode, [half, prev]),
    townshipNames(env, countyCode),
    countyName(env, countyCode),
    loadResults(env, countyCode, quarters.map((q) => q.label)),
    townshipObservations(env, countyCode, [half.label, prev.label]),
  ]);
  const d1Ms = performance.now() - t0;
  const inForce = rulebooks.forPeriod(half);
  const rb = inForce.county ?? null;
  const weight = rb?.observation?.weight ?? 0;
  const { db, getMs } = await duck();
  const run = rankTownships(db, rows, halfRules(rulebooks, [prev, half], (h) => h.label === half.label), obs.map((o) => ({ township: o.township, half: o.half, cents: o.cents })));
  const tc = performance.now();
  const groups = townshipGroups(run.rows, rb);
  const cohortMs = performance.now() - tc;
  const obsOf = new Map(obs.filter((o) => o.half === half.label).map((o) => [o.township, o]));
  const ranked = new Map(run.rows.map((r) => [r.township, r]));
  const codes = [...new Set([...tnames.keys(), ...ranked.keys()])];
  const countySize = run.rows.length;
  const townships = codes.map((code): TownshipEntry => {
    const r = ranked.get(code);
    const o = obsOf.get(code);
    const g = groups.get(code);
    return {
      code,
      name: tnames.get(code) ?? null,
      ranked: !!r,
      villages: r?.villageCount ?? 0,
      results: r?.results ?? 0,
      villageAverage: r ? cents(r.averageCents) : null,
      observation: o ? { aggregate: cents(o.cents), rule: o.rule, rounds: o.rounds, ...(o.rounds.length > 1 ? { combined: COMBINE_RULE } : {}) } : null,
      weight,
      score: r ? cents(r.scoreCents) : null,
      rank: r?.rank ?? null,
      countySize,
      group: g?.group ?? null,
      ...(g ? { groupReason: `全县${g.reason}` } : {}),
      rates: r ? rateViews(r) : null,
      previousRank: r?.previousRank ?? null,
      movement: r?.movement ?? null,
      bottom: r ? r.isLast || r.inBottomGroup : false,
      bottomTwoRunning: r?.bottomTwoRunning ?? false,
    };
  });
  townships.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.code.localeCompare(b.code));
  return {
    county: { code: countyCode, name: cname },
    period: half.label,
    periodZh: half.labelZh,
    previousPeriod: prev.label,
    quarters: quartersOfHalf(half).map((q) => q.label),
    rulebook: rulebookInfo(inForce),
    weight,
    formula: formulaText(weight),
    townships,
    targets: RATE_TARGETS,
    rules: { ...RULES_TEXT, levels: levelRuleText(levelRules(rb)), observation: OBSERVATION_RULE },
    meta: meta(rows.length, d1Ms, db, getMs, run.timings, cohortMs, t0),
  };
}

// ---------------------------------------------------------------------------------------------
// Periods and trends

export interface PeriodsView {
  periods: { period: string; periodZh: string; kind: Period['kind']; villages: number; townships: number }[];
  halves: { period: string; periodZh: string; quarters: string[] }[];
}

export async function periodsWithData(env: Bindings, countyCode: string, township?: string): Promise<PeriodsView> {
  const res = await env.DB.prepare(
    `SELECT period, COUNT(DISTINCT village_code) AS villages, COUNT(DISTINCT township_code) AS townships
     FROM village_results WHERE county_code = ? AND superseded_by IS NULL ${township ? 'AND township_code = ?' : ''} GROUP BY period`,
  )
    .bind(...(township ? [countyCode, township] : [countyCode]))
    .all<{ period: string; villages: number; townships: number }>();
  const parsed = res.results.flatMap((r) => {
    const p = parsePeriodLabel(r.period);
    return p ? [{ p, r }] : [];
  });
  parsed.sort((a, b) => periodKey(b.p) - periodKey(a.p));
  const halves = new Map<string, { p: Period; quarters: string[] }>();
  for (const { p } of parsed) {
    if (p.kind !== 'quarter') continue;
    const h = halfOfQuarter(p);
    const e = halves.get(h.label) ?? { p: h, quarters: [] };
    e.quarters.push(p.label);
    halves.set(h.label, e);
  }
  return {
    periods: parsed.map(({ p, r }) => ({ period: p.label, periodZh: p.labelZh, kind: p.kind, villages: r.villages, townships: r.townships })),
    halves: [...halves.values()]
      .sort((a, b) => periodKey(b.p) - periodKey(a.p))
      .map((h) => ({ period: h.p.label, periodZh: h.p.labelZh, quarters: h.quarters.sort() })),
  };
}

/** Several predecessors' results in one period, as one point of the merged village's trend. */
function combined(rows: readonly VillageRankRow[]): (VillageRankRow & { codes: string[] }) | undefined {
  if (!rows.length) return undefined;
  const worst = rows.reduce((a, b) => (b.rank > a.rank || (b.rank === a.rank && b.totalCents < a.totalCents) ? b : a));
  const prev = rows.map((r) => r.previousRank).filter((x): x is number => x !== null);
  const previousRank = prev.length ? Math.max(...prev) : null;
  return {
    ...worst,
    totalCents: Math.round(rows.reduce((n, r) => n + r.totalCents, 0) / rows.length),
    countyRank: Math.max(...rows.map((r) => r.countyRank)),
    previousRank,
    movement: previousRank === null ? null : previousRank - worst.rank,
    bottomTwoRunning: rows.some((r) => r.bottomTwoRunning),
    codes: rows.map((r) => r.village).sort(),
  };
}

export interface VillageTrendPoint {
  period: string;
  periodZh: string;
  township: string;
  total: number;
  level: string;
  rank: number;
  townshipSize: number;
  countyRank: number;
  countySize: number;
  previousRank: number | null;
  movement: number | null;
  bottomTwoRunning: boolean;
  /** The codes the point's result was reported under (the village's own, or its predecessors'). */
  codes: string[];
}

/** The periods and the one before each (a trend ranks both, for movement and 连续两期后进), each once. */
function withPrevious(own: readonly Period[]): Period[] {
  const all = new Map<string, Period>();
  for (const p of own) {
    all.set(p.label, p);
    const prev = previousPeriod(p);
    all.set(prev.label, prev);
  }
  return [...all.values()];
}

/** A village's totals and ranks over its last `limit` periods with data — through the codes merged, renamed
 * or moved into it (worker/codes/lineage.ts): a period with several predecessors shows their mean total, the
 * worst rank and 后进 if any was (`codes` names them). */
export async function villageTrend(env: Bindings, countyCode: string, code: string, limit: number) {
  const t0 = performance.now();
  const ancestors = await loadAncestors(env, countyCode);
  const lineage = [code, ...(ancestors.get(code) ?? [])];
  const res = await env.DB.prepare(
    'SELECT DISTINCT period FROM village_results WHERE county_code = ? AND village_code IN (SELECT value FROM json_each(?)) AND superseded_by IS NULL',
  )
    .bind(countyCode, JSON.stringify(lineage))
    .all<{ period: string }>();
  const own = res.results
    .flatMap((r) => {
      const p = parsePeriodLabel(r.period);
      return p ? [p] : [];
    })
    .sort((a, b) => periodKey(a) - periodKey(b))
    .slice(-limit);
  const wanted = new Set(own.map((p) => p.label));
  const all = withPrevious(own);
  const [rulebooks, rows] = await Promise.all([rulebooksInForce(env, countyCode, all), loadResults(env, countyCode, all.map((p) => p.label))]);
  const d1Ms = performance.now() - t0;
  const { db, getMs } = await duck();
  const run = rankVillages(db, rows, villagePeriodRules(rulebooks, all, (p) => wanted.has(p.label)), linkPairs(ancestors));
  const mine = run.rows.villages.filter((r) => r.village === code);
  const before = run.rows.villages.filter((r) => r.village !== code && lineage.includes(r.village));
  const points = own.flatMap((p): VillageTrendPoint[] => {
    const self = mine.find((x) => x.period === p.label);
    const r = self ? { ...self, codes: [self.village] } : combined(before.filter((x) => x.period === p.label));
    return r
      ? [
          {
            period: p.label,
            periodZh: p.labelZh,
            township: r.township,
            total: cents(r.totalCents),
            level: r.level,
            rank: r.rank,
            townshipSize: r.townshipSize,
            countyRank: r.countyRank,
            countySize: r.countySize,
            previousRank: r.previousRank,
            movement: r.movement,
            bottomTwoRunning: r.bottomTwoRunning,
            codes: r.codes,
          },
        ]
      : [];
  });
  return { level: 'village' as const, code, name: mine.at(-1)?.name ?? null, points, meta: meta(rows.length, d1Ms, db, getMs, run.timings, 0, t0) };
}

export interface TownshipTrendPoint {
  period: string;
  periodZh: string;
  villageAverage: number;
  observation: number | null;
  score: number;
  rank: number;
  countySize: number;
  rates: Rates;
  previousRank: number | null;
  movement: number | null;
  bottomTwoRunning: boolean;
}

/** A township's scores and ranks over its last `limit` halves with quarterly data. */
export async function townshipTrend(env: Bindings, countyCode: string, code: string, limit: number) {
  const t0 = performance.now();
  const res = await env.DB.prepare('SELECT DISTINCT period FROM village_results WHERE county_code = ? AND township_code = ? AND superseded_by IS NULL')
    .bind(countyCode, code)
    .all<{ period: string }>();
  const halvesMap = new Map<string, Period>();
  for (const r of res.results) {
    const p = parsePeriodLabel(r.period);
    if (p?.kind === 'quarter') {
      const h = halfOfQuarter(p);
      halvesMap.set(h.label, h);
    }
  }
  const own = [...halvesMap.values()].sort((a, b) => periodKey(a) - periodKey(b)).slice(-limit);
  const wanted = new Set(own.map((h) => h.label));
  const halves = withPrevious(own);
  const [rulebooks, rows, obs, tnames] = await Promise.all([
    rulebooksInForce(env, countyCode, halves),
    loadResults(
      env,
      countyCode,
      halves.flatMap((h) => quartersOfHalf(h).map((q) => q.label)),
    ),
    townshipObservations(
      env,
      countyCode,
      halves.map((h) => h.label),
    ),
    townshipNames(env, countyCode),
  ]);
  const d1Ms = performance.now() - t0;
  const { db, getMs } = await duck();
  const run = rankTownships(db, rows, halfRules(rulebooks, halves, (h) => wanted.has(h.label)), obs);
  const points = own.flatMap((h): TownshipTrendPoint[] => {
    const r = run.rows.find((x) => x.half === h.label && x.township === code);
    return r
      ? [
          {
            period: h.label,
            periodZh: h.labelZh,
            villageAverage: cents(r.averageCents),
            observation: r.observationCents === null ? null : cents(r.observationCents),
            score: cents(r.scoreCents),
            rank: r.rank,
            countySize: r.countySize,
            rates: rateViews(r),
            previousRank: r.previousRank,
            movement: r.movement,
            bottomTwoRunning: r.bottomTwoRunning,
          },
        ]
      : [];
  });
  return { level: 'township' as const, code, name: tnames.get(code) ?? null, points, meta: meta(rows.length, d1Ms, db, getMs, run.timings, 0, t0) };
}

export type { CountyRulebook, ResultRow };
