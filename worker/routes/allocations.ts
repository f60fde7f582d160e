// Routes for /api/allocations: 以奖代补 over a period's ranking with shared/allocation allocate().
// Finance staff and admins preview and save (an immutable, versioned record) and export; county staff may
// view saved allocations and their exports.
import { Hono } from 'hono';
import * as v from 'valibot';
import { allocate } from '../../shared/allocation/allocate.ts';
import type { AllocationInput } from '../../shared/allocation/types.ts';
import type { AppEnv, User } from '../env.ts';
import { ApiError, badRequest, notFound } from '../errors.ts';
import { authenticate, requireRole } from '../auth/middleware.ts';
import { assertCounty, countyOf } from '../auth/scope.ts';
import { parseJson, parseQuery } from '../http.ts';
import { parsePeriodOrThrow } from '../aggregate/periods.ts';
import { rankingUnits } from '../allocations/units.ts';
import { getAllocation, inputOf, listAllocations, reproduces, saveAllocation, type AllocationRecord, type AllocationRequest } from '../allocations/store.ts';
import { actorOf } from '../audit/log.ts';
import { allocationCsv, allocationXlsx, contentDisposition } from '../allocations/export.ts';

const fields = {
  period: v.pipe(v.string('期次必须是文字'), v.minLength(1, '请填写期次')),
  level: v.picklist(['village', 'township'], '分配对象应为 village（村）或 township（乡镇）'),
  township: v.optional(v.pipe(v.string('乡镇代码必须是文字'), v.regex(/^\d{9}$/, '乡镇代码应为9位数字'))),
  // Checked in full (with Chinese messages naming the field) by allocate().
  budget: v.unknown(),
  method: v.unknown(),
  roundingUnit: v.optional(v.unknown()),
  eligibility: v.optional(v.unknown()),
  floor: v.optional(v.unknown()),
  cap: v.optional(v.unknown()),
  redistributeCapped: v.optional(v.unknown()),
};
const unknownKey = (i: v.BaseIssue<unknown>) => (i.expected === 'never' ? `不认识的字段${i.received}` : i.received === 'undefined' ? '缺少必填字段' : '请求内容应为一个对象');
const Preview = v.strictObject(fields, unknownKey);
const Save = v.strictObject(
  { ...fields, title: v.pipe(v.string('标题必须是文字'), v.trim(), v.minLength(1, '请填写标题'), v.maxLength(100, '标题不超过100字')) },
  unknownKey,
);
const ListQuery = v.strictObject({ period: v.optional(v.string()) }, '参数不正确');

type Body = v.InferOutput<typeof Preview> & { title?: string };

const ALLOCATION_INPUT_KEYS = ['budget', 'method', 'roundingUnit', 'eligibility', 'floor', 'cap', 'redistributeCapped'] as const;

async function compute(c: { env: AppEnv['Bindings'] }, u: User, body: Body) {
  const county = countyOf(u);
  const period = parsePeriodOrThrow(body.period);
  if (body.township && body.township.slice(0, 6) !== county) throw badRequest('township_not_in_county', `乡镇${body.township}不属于本县`);
  const ranking = await rankingUnits(c.env, county, period, body.level, body.township);
  const request = {
    period: period.label,
    level: body.level,
    ...(body.township ? { township: body.township } : {}),
    title: body.title ?? '',
  } as AllocationRequest;
  for (const k of ALLOCATION_INPUT_KEYS) if (body[k] !== undefined) (request as unknown as Record<string, unknown>)[k] = body[k];
  const input: AllocationInput = inputOf(request, ranking);
  const result = allocate(input);
  if (!result.ok) {
    const e = result.error;
    throw new ApiError(e.code === 'invalid_input' ? 400 : 422, e.code === 'invalid_input' ? 'invalid' : e.code, e.message.replace(/\n/g, '；'), e.issues);
  }
  return { county, request, ranking, result };
}

async function readable(c: { env: AppEnv['Bindings']; get: (k: 'user') => User }, id: string): Promise<AllocationRecord> {
  const rec = await getAllocation(c.env, id);
  if (!rec) throw notFound('找不到该分配方案');
  assertCounty(c.get('user'), rec.countyCode);
  return rec;
}

function summary(rec: AllocationRecord) {
  return {
    id: rec.id,
    period: rec.period,
    level: rec.level,
    township: rec.input.township ?? null,
    version: rec.version,
    title: rec.title,
    budget: rec.budget,
    allocated: rec.result.allocated,
    balance: rec.result.balance,
    method: rec.result.method,
    units: rec.result.rows.length,
    rulebookVersion: rec.rulebookVersion,
    createdBy: rec.createdBy,
    createdAt: rec.createdAt,
  };
}

export const allocations = new Hono<AppEnv>()
  .use('*', authenticate)
  .post('/preview', requireRole('finance', 'admin'), async (c) => {
    const body = await parseJson(c, Preview);
    const { request, ranking, result } = await compute(c, c.get('user'), body);
    const { title: _t, ...input } = request;
    return c.json({ input, ranking: { ...ranking, units: undefined, count: ranking.units.length }, result });
  })
  .post('/', requireRole('finance', 'admin'), async (c) => {
    const body = await parseJson(c, Save);
    const u = c.get('user');
    const { county, request, ranking, result } = await compute(c, u, body);
    const rec = await saveAllocation(c.env, { countyCode: county, request, ranking, result, accountId: u.id, actor: actorOf(u) });
    return c.json({ allocation: rec }, 201);
  })
  .get('/', requireRole('finance', 'admin', 'county'), async (c) => {
    const q = parseQuery(c, ListQuery);
    const county = countyOf(c.get('user'));
    const period = q.period ? parsePeriodOrThrow(q.period).label : undefined;
    return c.json({ county, allocations: (await listAllocations(c.env, county, period)).map(summary) });
  })
  .get('/:id', requireRole('finance', 'admin', 'county'), async (c) => {
    const rec = await readable(c, c.req.param('id'));
    return c.json({ allocation: rec, reproducible: reproduces(rec) });
  })
  .get('/:id/export.csv', requireRole('finance', 'admin', 'county'), async (c) => {
    const rec = await readable(c, c.req.param('id'));
    return c.body(allocationCsv(rec), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': contentDisposition(rec, 'csv') });
  })
  .get('/:id/export.xlsx', requireRole('finance', 'admin', 'county'), async (c) => {
    const rec = await readable(c, c.req.param('id'));
    const bytes = await allocationXlsx(rec);
    return c.body(bytes, 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': contentDisposition(rec, 'xlsx'),
    });
  });
