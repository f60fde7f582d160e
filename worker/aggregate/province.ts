// The province view: a province's counties side by side for one quarter. Each county's numbers come from
// the county dashboard's own ranking (villageRanking: the same DuckDB SQL, levels and 软弱涣散 rules);
// this file only adds them up over the county.
//
// Definitions (docs/api.md, "Province"):
//   达标率   = Σ 达标 villages ÷ Σ villages with a result, over the county's townships (the township rates
//              of VILLAGE_RATES_SQL summed), against the same targets (80% 以上, 争创 90%, boundary passes)
//   均分     = mean of the villages' totals for the quarter (each village's active result once)
//   软弱涣散 = villages that are 软弱涣散 candidates under the county rulebook (the 村级排名 page's count)
//   应报     = the county's townships that have at least one village in the directory
//   已报     = those of them with at least one stored submission for the quarter with an accepted row
import type { Bindings } from '../env.ts';
import type { Period } from '../../shared/types.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import { RATE_TARGETS } from './levels.ts';
import { periodKey } from './periods.ts';
import { periodsWithData, rateViews, RULES_TEXT, villageRanking, type Rates } from './service.ts';

export interface CountyRow {
  code: string;
  name: string;
  townships: number;
  /** Villages in the directory. */
  villages: number;
  /** Villages with a result for the quarter. */
  results: number;
  rates: Rates | null;
  /** Townships whose own 达标率 reaches 80%. */
  townshipsMeetingTarget: number;
  meanScore: number | null;
  weak: number;
  submissions: { received: number; expected: number; missing: { code: string; name: string }[] };
}

export interface ProvinceView {
  province: string;
  period: string | null;
  periodZh: string | null;
  /** Quarters with data in any of the province's counties, newest first. */
  periods: { period: string; periodZh: string }[];
  targets: typeof RATE_TARGETS;
  counties: CountyRow[];
  rules: { rates: string; mean: string; weak: string; submissions: string };
}

export const PROVINCE_RULES = {
  rates: `${RULES_TEXT.rates}；县的达标率 = 全县各乡镇达标村数之和 ÷ 有成绩的村数之和`,
  mean: '均分 = 本季度全县有成绩的村总分的平均数（每村取本期有效成绩一次），保留两位小数',
  weak: '软弱涣散 = 按该县县级规则判定的软弱涣散候选村数（与村级排名页相同）',
  submissions: '应报 = 该县登记了村的乡镇数；已报 = 其中本季度至少有一份上报（至少一行被接受）的乡镇数',
};

export async function provinceCounties(env: Bindings, province: string, asked?: Period): Promise<ProvinceView> {
  const counties = (
    await env.DB.prepare('SELECT code, name FROM counties WHERE substr(code, 1, 2) = ? ORDER BY code').bind(province).all<{ code: string; name: string }>()
  ).results;
  const periods = new Map<string, Period>();
  for (const c of counties) {
    for (const p of (await periodsWithData(env, c.code)).periods) {
      const parsed = p.kind === 'quarter' ? parsePeriodLabel(p.period) : undefined;
      if (parsed) periods.set(parsed.label, parsed);
    }
  }
  const sorted = [...periods.values()].sort((a, b) => periodKey(b) - periodKey(a));
  const period = asked ?? sorted[0];
  const rows: CountyRow[] = [];
  // One county at a time: each ranking holds DuckDB for its county only.
  for (const c of counties) rows.push(await countyRow(env, c, period));
  return {
    province,
    period: period?.label ?? null,
    periodZh: period?.labelZh ?? null,
    periods: sorted.map((p) => ({ period: p.label, periodZh: p.labelZh })),
    targets: RATE_TARGETS,
    counties: rows,
    rules: PROVINCE_RULES,
  };
}

async function countyRow(env: Bindings, county: { code: string; name: string }, period: Period | undefined): Promise<CountyRow> {
  const [dir, sent] = await env.DB.batch([
    env.DB.prepare(
      `SELECT t.code, t.name, (SELECT count(*) FROM villages v WHERE v.township_code = t.code) AS villages
       FROM townships t WHERE t.county_code = ? ORDER BY t.code`,
    ).bind(county.code),
    env.DB.prepare('SELECT DISTINCT township_code FROM submissions WHERE county_code = ? AND period = ? AND rows_accepted > 0').bind(county.code, period?.label ?? ''),
  ]);
  const townships = (dir?.results ?? []) as { code: string; name: string; villages: number }[];
  const expected = townships.filter((t) => t.villages > 0);
  const got = new Set(((sent?.results ?? []) as { township_code: string }[]).map((r) => r.township_code));
  const submissions = { received: expected.filter((t) => got.has(t.code)).length, expected: expected.length, missing: expected.filter((t) => !got.has(t.code)).map((t) => ({ code: t.code, name: t.name })) };
  const base = { code: county.code, name: county.name, townships: townships.length, villages: townships.reduce((s, t) => s + t.villages, 0), submissions };
  if (!period) return { ...base, results: 0, rates: null, townshipsMeetingTarget: 0, meanScore: null, weak: 0 };
  const r = await villageRanking(env, county.code, period);
  const n = r.villages.length;
  const pass = r.townships.reduce((s, t) => s + t.rates.达标.count, 0);
  const demo = r.townships.reduce((s, t) => s + t.rates.示范.count, 0);
  const total = r.townships.reduce((s, t) => s + t.rates.达标.total, 0);
  // The same integer comparison as the SQL's rate columns (ten-thousandths): the boundary passes.
  const meets = (count: number, bp: number) => count * 10000 >= Math.round(bp * 10000) * total;
  const rates = total
    ? rateViews({
        villages: total,
        passCount: pass,
        demoCount: demo,
        passRate: pass / total,
        demoRate: demo / total,
        passMeetsTarget: meets(pass, RATE_TARGETS.target),
        passMeetsAim: meets(pass, RATE_TARGETS.aim),
        demoMeetsTarget: meets(demo, RATE_TARGETS.target),
        demoMeetsAim: meets(demo, RATE_TARGETS.aim),
      })
    : null;
  const sumCents = r.villages.reduce((s, v) => s + Math.round(v.total * 100), 0);
  return {
    ...base,
    results: n,
    rates,
    townshipsMeetingTarget: r.townships.filter((t) => t.rates.达标.meetsTarget).length,
    meanScore: n ? Math.round(sumCents / n) / 100 : null,
    weak: r.villages.filter((v) => v.weak.length > 0).length,
  };
}
