// Routes for /api/rankings: village ranks within townships (per period, usually a quarter), township
// ranks in the county (per half), the periods with data, and trends. Computed by DuckDB-WASM
// (worker/aggregate). County, finance, admin and province staff see a county; a township officer sees
// their own township's village ranking and village trends only.
import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../env.ts';
import { forbidden } from '../errors.ts';
import { authenticate, requireRole } from '../auth/middleware.ts';
import { assertTownship, countyOf } from '../auth/scope.ts';
import { parseQuery } from '../http.ts';
import { parsePeriodOrThrow } from '../aggregate/periods.ts';
import { periodsWithData, townshipRanking, townshipTrend, villageRanking, villageTrend } from '../aggregate/service.ts';
import { badRequest } from '../errors.ts';

const County = v.optional(v.pipe(v.string(), v.regex(/^\d{6}$/, '县级区划代码应为6位数字')));
const Township = v.optional(v.pipe(v.string(), v.regex(/^\d{9}$/, '乡镇代码应为9位数字')));
const PeriodQ = v.pipe(v.string('请指定期次（period）'), v.minLength(1, '请指定期次（period）'));

const VillagesQuery = v.strictObject({ period: PeriodQ, township: Township, county: County }, '参数不正确');
const TownshipsQuery = v.strictObject({ period: PeriodQ, county: County }, '参数不正确');
const PeriodsQuery = v.strictObject({ county: County }, '参数不正确');
const TrendQuery = v.strictObject(
  {
    level: v.picklist(['village', 'township'], 'level 应为 village 或 township'),
    code: v.pipe(v.string('请指定代码（code）'), v.regex(/^\d{9}(\d{3})?$/, '代码应为9位（乡镇）或12位（村）区划代码')),
    limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,2}$/, 'limit 应为1到40的整数'), v.transform(Number), v.minValue(1, 'limit 至少为1'), v.maxValue(40, 'limit 最多为40'))),
  },
  '参数不正确',
);

export const rankings = new Hono<AppEnv>()
  .use('*', authenticate)
  .get('/villages', requireRole('county', 'finance', 'admin', 'province', 'township'), async (c) => {
    const q = parseQuery(c, VillagesQuery);
    const u = c.get('user');
    const county = countyOf(u, q.county);
    let township = q.township;
    if (u.role === 'township') {
      if (township && township !== u.townshipCode) throw forbidden('乡镇账号只能查看本乡镇的村排名');
      township = u.townshipCode ?? undefined;
      if (!township) throw forbidden('该账号未绑定乡镇');
    }
    if (township) {
      if (township.slice(0, 6) !== county) throw badRequest('township_not_in_county', `乡镇${township}不属于${county}县`);
      assertTownship(u, township);
    }
    const period = parsePeriodOrThrow(q.period);
    return c.json(await villageRanking(c.env, county, period, township ? { township } : {}));
  })
  .get('/townships', requireRole('county', 'finance', 'admin', 'province'), async (c) => {
    const q = parseQuery(c, TownshipsQuery);
    const county = countyOf(c.get('user'), q.county);
    const period = parsePeriodOrThrow(q.period);
    if (period.kind !== 'half') throw badRequest('bad_period', `乡镇排名按半年计算，期次应写成 2026H1 或 2026H2（收到“${q.period}”）`);
    return c.json(await townshipRanking(c.env, county, period));
  })
  .get('/periods', requireRole('county', 'finance', 'admin', 'province', 'township'), async (c) => {
    const q = parseQuery(c, PeriodsQuery);
    const u = c.get('user');
    const county = countyOf(u, q.county);
    return c.json({ county, ...(await periodsWithData(c.env, county, u.role === 'township' ? (u.townshipCode ?? '-') : undefined)) });
  })
  .get('/trend', requireRole('county', 'finance', 'admin', 'province', 'township'), async (c) => {
    const q = parseQuery(c, TrendQuery);
    const u = c.get('user');
    const isVillage = q.level === 'village';
    if (isVillage !== (q.code.length === 12)) throw badRequest('bad_code', isVillage ? '村的代码应为12位区划代码' : '乡镇的代码应为9位区划代码');
    if (u.role === 'township' && !isVillage) throw forbidden('乡镇账号只能查看本乡镇村的排名走势');
    assertTownship(u, q.code.slice(0, 9));
    const county = q.code.slice(0, 6);
    return c.json(isVillage ? await villageTrend(c.env, county, q.code, q.limit ?? 12) : await townshipTrend(c.env, county, q.code, q.limit ?? 8));
  });
