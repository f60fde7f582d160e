// Routes for /api/county (docs/api.md, "County"): the county directory in the caller's scope, the county
// rulebook in force for a period (the add-in caches it, revalidating with ETag), and publishing a new
// rulebook version (admin). Versions are never edited: each PUT adds one.
import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../env.ts';
import { ApiError, badRequest, forbidden, notFound } from '../errors.ts';
import { authenticate, requireRole } from '../auth/middleware.ts';
import { countyOf } from '../auth/scope.ts';
import { parseQuery } from '../http.ts';
import { makePeriod, parsePeriodLabel } from '../../shared/scoring/period.ts';
import { rulebookInForce, validateForPublish } from '../rulebook.ts';
import { jsonFromBytes, readCapped } from '../submissions/body.ts';
import { actorOf } from '../audit/log.ts';
import { rulebookAudit } from '../audit/entries.ts';

const MAX_RULEBOOK_BYTES = 1024 * 1024;

const CountyQuery = v.strictObject(
  { county: v.optional(v.pipe(v.string(), v.regex(/^\d{6}$/, '县级代码应为6位数字'))) },
  (i) => (i.expected === 'never' ? `不认识的参数${i.received}` : '参数有误'),
);

const RulebookQuery = v.strictObject(
  {
    county: v.optional(v.pipe(v.string(), v.regex(/^\d{6}$/, '县级代码应为6位数字'))),
    period: v.optional(v.pipe(v.string(), v.check((s) => parsePeriodLabel(s) !== undefined, '期次格式应为 2026、2026H1、2026Q3 或 2026-07'))),
  },
  (i) => (i.expected === 'never' ? `不认识的参数${i.received}` : '参数有误'),
);

/** The current quarter in China Standard Time. */
export function currentQuarter(now = new Date()): string {
  const d = new Date(now.getTime() + 8 * 3600_000);
  return makePeriod('quarter', d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) + 1).label;
}

export const county = new Hono<AppEnv>()
  .use('*', authenticate)
  .get('/', async (c) => {
    const user = c.get('user');
    const q = parseQuery(c, CountyQuery);
    const code = countyOf(user, q.county);
    const own = user.role === 'township' ? (user.townshipCode ?? '-') : null;
    const [cty, towns, villages] = await c.env.DB.batch([
      c.env.DB.prepare('SELECT code, name, province_code FROM counties WHERE code = ?').bind(code),
      own
        ? c.env.DB.prepare('SELECT code, name FROM townships WHERE code = ? AND county_code = ?').bind(own, code)
        : c.env.DB.prepare('SELECT code, name FROM townships WHERE county_code = ? ORDER BY code').bind(code),
      own
        ? c.env.DB.prepare('SELECT code, name, township_code FROM villages WHERE township_code = ? ORDER BY code').bind(own)
        : c.env.DB.prepare('SELECT v.code, v.name, v.township_code FROM villages v JOIN townships t ON t.code = v.township_code WHERE t.county_code = ? ORDER BY v.code').bind(code),
    ]);
    const row = (cty?.results ?? [])[0] as { code: string; name: string; province_code: string } | undefined;
    if (!row) throw notFound(`县级代码 ${code} 未登记`);
    return c.json({
      county: { code: row.code, name: row.name, provinceCode: row.province_code },
      townships: (towns?.results ?? []) as { code: string; name: string }[],
      villages: ((villages?.results ?? []) as { code: string; name: string; township_code: string }[]).map((x) => ({ code: x.code, name: x.name, townshipCode: x.township_code })),
    });
  })
  .get('/rulebook', async (c) => {
    const user = c.get('user');
    const q = parseQuery(c, RulebookQuery);
    const code = countyOf(user, q.county);
    const period = parsePeriodLabel(q.period ?? currentQuarter())!;
    const rb = await rulebookInForce(c.env, code, period);
    const etag = `"rulebook-${code}-${rb.version ?? 'standards'}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'private, no-cache');
    if ((c.req.header('If-None-Match') ?? '').split(/\s*,\s*/).includes(etag)) return c.body(null, 304);
    return c.json({
      countyCode: code,
      period: period.label,
      version: rb.version,
      effectiveFrom: rb.effectiveFrom,
      id: rb.id,
      name: rb.name,
      deadlineDays: rb.deadlineDays,
      /** The county rulebook as published (apply with parseCountyRulebook over the default standards), or null: the standards alone. */
      rulebook: rb.json,
    });
  })
  .put('/rulebook', requireRole('admin'), async (c) => {
    const user = c.get('user');
    if (!user.countyCode) throw forbidden('管理员账号未登记所属县，不能发布县级规则');
    const bytes = await readCapped(c, MAX_RULEBOOK_BYTES, '县级规则文件');
    const parsedJson = jsonFromBytes(bytes);
    if (!parsedJson.ok) throw badRequest('bad_json', '县级规则不是有效的 JSON（UTF-8 编码）');
    const json = parsedJson.value;
    const parsed = validateForPublish(json, user.countyCode);
    const at = new Date().toISOString();
    const stored = JSON.stringify(parsed);
    const [ins] = await c.env.DB.batch([
      c.env.DB.prepare(
        `INSERT INTO rulebooks (county_code, version, rulebook_id, name, effective_from, json, created_by, created_at)
         SELECT ?1, COALESCE(MAX(version), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7 FROM rulebooks WHERE county_code = ?1 RETURNING version`,
      ).bind(user.countyCode, parsed.id, parsed.name, parsed.effectiveFrom, stored, user.id, at),
      rulebookAudit(c.env.DB, { at, actor: actorOf(user), county: user.countyCode, rulebook: parsed }),
    ]);
    const version = ((ins?.results ?? [])[0] as { version: number } | undefined)?.version;
    if (version === undefined) throw new ApiError(500, 'store_failed', '县级规则未能保存，请稍后重试');
    return c.json({ countyCode: user.countyCode, version, id: parsed.id, name: parsed.name, effectiveFrom: parsed.effectiveFrom, createdAt: at }, 201);
  });
