import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { call, T1, T2 } from './helpers.ts';
import { villages, type Answer } from './submission-helpers.ts';
import { rulebookInForce } from '../../worker/rulebook.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';

const put = (login: string, json: unknown) => call(login, '/api/county/rulebook', { method: 'PUT', json });
const errorOf = async (res: Response) => (await res.json<{ error: { code: string; message: string; detail?: { path: string; message: string }[] } }>()).error;

describe('GET /api/county', () => {
  it('answers the county, townships and villages in the caller scope', async () => {
    const county = await (await call('county', '/api/county')).json<{ county: { code: string; name: string }; townships: { code: string }[]; villages: { code: string; townshipCode: string }[] }>();
    expect(county.county).toEqual({ code: '410999', name: '示例县', provinceCode: '41' });
    expect(county.townships.map((t) => t.code)).toEqual([T1, T2]);
    expect(county.villages).toHaveLength(8);
    const town = await (await call('town2', '/api/county')).json<typeof county>();
    expect(town.townships.map((t) => t.code)).toEqual([T2]);
    expect(town.villages.map((v) => v.code)).toEqual([`${T2}200`, `${T2}201`, `${T2}202`]);
    expect(town.villages[0]).toEqual({ code: `${T2}200`, name: '黄店村', townshipCode: T2 });
    expect((await call('province', '/api/county')).status).toBe(403);
    expect((await (await call('province', '/api/county?county=410998')).json<typeof county>()).townships.map((t) => t.code)).toEqual(['410998100']);
    expect((await call('other-county', '/api/county?county=410999')).status).toBe(403);
    expect((await call('town1', '/api/county?county=410998')).status).toBe(403);
    expect((await call(null, '/api/county')).status).toBe(401);
  });
});

describe('the county rulebook', () => {
  it('a county without one uses the standards', async () => {
    const res = await call('town1', '/api/county/rulebook?period=2026Q3');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      countyCode: '410999',
      period: '2026Q3',
      version: null,
      effectiveFrom: null,
      id: 'standards-2020',
      name: '农村基层党组织建设基本标准与示范标准（默认）',
      deadlineDays: 30,
      rulebook: null,
    });
  });

  it('PUT validates with parseCountyRulebook: each 400 names the field', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ ...example, scoring: { ...example.scoring, items: [{ ...example.scoring.items[0], points: -1 }, ...example.scoring.items.slice(1)] } }, 'scoring.items[0].points', /不能为负数/],
      [{ ...example, scoring: { ...example.scoring, items: [{ ref: 'basic-99', points: 1 }] } }, 'scoring.items[0].ref', /找不到条款或要求“basic-99”/],
      [{ ...example, effectiveFrom: '2026Q5' }, 'effectiveFrom', /期次格式/],
      [{ ...example, colour: 'red' }, 'colour', /不认识的字段/],
      [{ ...example, ledger: { deadlineDays: 0 } }, 'ledger.deadlineDays', /至少1天/],
      [{ ...example, countyCode: '410998' }, 'countyCode', /与本县（410999）不符/],
      [[], '', /不能是数组/],
    ];
    for (const [body, path, message] of cases) {
      const res = await put('admin', body);
      expect(res.status, path).toBe(400);
      const e = await errorOf(res);
      expect(e.code).toBe('bad_rulebook');
      expect(e.detail!.some((d) => d.path === path && message.test(d.message)), JSON.stringify(e)).toBe(true);
      if (path) expect(e.message).toContain(`${path}：`);
    }
    const notJson = await call('admin', '/api/county/rulebook', { method: 'PUT', body: '{', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).code).toBe('bad_json');
    for (const login of ['county', 'finance', 'town1', 'province']) expect((await put(login, example)).status, login).toBe(403);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM rulebooks').first('n')).toBe(0);
  });

  it('PUT stores new versions; the one in force is the newest that starts on or before the period ends', async () => {
    const v1 = await put('admin', example); // effective from 2026
    expect(v1.status).toBe(201);
    expect(await v1.json()).toMatchObject({ countyCode: '410999', version: 1, id: example.id, effectiveFrom: '2026' });
    expect(await (await put('admin', { ...example, id: 'v2', effectiveFrom: '2027', ledger: { deadlineDays: 60 } })).json()).toMatchObject({ version: 2 });
    expect(await (await put('admin', { ...example, id: 'v3', effectiveFrom: '2027Q2' })).json()).toMatchObject({ version: 3 });
    const at = async (period: string) => (await call('county', `/api/county/rulebook?period=${period}`)).json<{ version: number | null; id: string; deadlineDays: number; rulebook: { id: string } | null }>();
    expect(await at('2025Q4')).toMatchObject({ version: null, rulebook: null });
    expect(await at('2026Q1')).toMatchObject({ version: 1, id: example.id, deadlineDays: 30, rulebook: { id: example.id } });
    expect(await at('2026')).toMatchObject({ version: 1 });
    expect(await at('2027Q1')).toMatchObject({ version: 2, id: 'v2', deadlineDays: 60 });
    expect(await at('2027H1')).toMatchObject({ version: 3, id: 'v3' }); // 2027Q2 starts before 2027H1 ends
    expect(await at('2027Q3')).toMatchObject({ version: 3 });
    // The stored JSON is the validated rulebook; versions are never rewritten.
    const rows = await env.DB.prepare('SELECT version, effective_from, created_by FROM rulebooks ORDER BY version').all();
    expect(rows.results).toEqual([
      { version: 1, effective_from: '2026', created_by: 'acc-admin' },
      { version: 2, effective_from: '2027', created_by: 'acc-admin' },
      { version: 3, effective_from: '2027Q2', created_by: 'acc-admin' },
    ]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'rulebook.publish'").first('n')).toBe(3);
    // The add-in revalidates with ETag.
    const first = await call('town1', '/api/county/rulebook?period=2027Q1');
    const etag = first.headers.get('etag')!;
    expect(etag).toBe('"rulebook-410999-2"');
    expect((await call('town1', '/api/county/rulebook?period=2027Q1', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await call('town1', '/api/county/rulebook?period=2027Q3', { headers: { 'If-None-Match': etag } })).status).toBe(200);
    expect((await call('other-county', '/api/county/rulebook?county=410999')).status).toBe(403);
    expect((await call('county', '/api/county/rulebook?period=2027Q9')).status).toBe(400);
  });

  it('submissions are scored under the rulebook in force and record its version', async () => {
    const under = await (await call('town1', '/api/submissions', { method: 'POST', json: villages('2026Q2', [60, 120, 350, 95, 89]) })).json<Answer>();
    expect(under.submission.rulebookVersion).toBe(1);
    // County points: totals are sums of item points. Stars are the ranking's (the township cohort), never the upload's.
    expect(under.outcomes.every((o) => !('stars' in o))).toBe(true);
    const rb = await rulebookInForce(env, '410999', parsePeriodLabel('2026Q2')!);
    expect(rb.version).toBe(1);
    // Parsed once per isolate and version: the same engine object comes back.
    expect((await rulebookInForce(env, '410999', parsePeriodLabel('2026Q4')!)).engine).toBe(rb.engine);
    expect(under.outcomes[0]!.maxTotal).toBeGreaterThan(0);
    const before = await (await call('town1', '/api/submissions', { method: 'POST', json: villages('2025Q2', [60, 120, 350, 95, 89]) })).json<Answer>();
    expect(before.submission.rulebookVersion).toBeNull();
    expect(before.outcomes[1]).toMatchObject({ total: 100, maxTotal: 100 });
    const stored = await env.DB.prepare('SELECT * FROM village_results WHERE submission_id = ? ORDER BY village_code').bind(under.submission.id).all<Record<string, unknown>>();
    expect(stored.results.length).toBeGreaterThan(0);
    // Migration 0020 dropped the column: nothing stores sheet-level stars.
    for (const r of stored.results) expect(Object.keys(r)).not.toContain('stars');
    const columns = await env.DB.prepare("SELECT name FROM pragma_table_info('village_results')").all<{ name: string }>();
    expect(columns.results.map((c) => c.name)).not.toContain('stars');
    expect(columns.results.map((c) => c.name)).toContain('total_cents');
  });
});
