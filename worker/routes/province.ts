// Routes for /api/province (docs/api.md, "Province"): a province account's counties side by side for one
// quarter. Province accounts only; county and township roles get 403 (their own county is on 总览).
import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../env.ts';
import { badRequest, forbidden } from '../errors.ts';
import { authenticate, requireRole } from '../auth/middleware.ts';
import { parseQuery } from '../http.ts';
import { parsePeriodOrThrow } from '../aggregate/periods.ts';
import { provinceCounties } from '../aggregate/province.ts';

const CountiesQuery = v.strictObject(
  { period: v.optional(v.pipe(v.string(), v.regex(/^\d{4}Q[1-4]$/, '期次应为季度，写成 2026Q3'))) },
  (i) => (i.expected === 'never' ? `不认识的参数${i.received}` : '参数有误'),
);

export const province = new Hono<AppEnv>().use('*', authenticate).get('/counties', requireRole('province'), async (c) => {
  const q = parseQuery(c, CountiesQuery);
  const u = c.get('user');
  if (!u.provinceCode || !/^\d{2}$/.test(u.provinceCode)) throw forbidden('该省级账号未登记所属省份');
  const period = q.period ? parsePeriodOrThrow(q.period) : undefined;
  if (period && period.kind !== 'quarter') throw badRequest('bad_period', '期次应为季度，写成 2026Q3');
  return c.json(await provinceCounties(c.env, u.provinceCode, period));
});
