// The county rulebook in force (worker/rulebook.ts) inside workerd: a stored version that cannot be read back
// gives one clear error, the same from every path that needs it (submissions, rankings, the rulebook route);
// a broken version no period needs stops nothing.
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { call, COUNTY, seed } from './helpers.ts';
import { villages } from './submission-helpers.ts';

async function store(version: number, effectiveFrom: string, json: string): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO rulebooks (county_code, version, rulebook_id, name, effective_from, json, created_by, created_at) VALUES (?, ?, 'r', 'r', ?, ?, 'acc-admin', ?)",
  )
    .bind(COUNTY, version, effectiveFrom, json, `2026-01-0${version}T00:00:00Z`)
    .run();
}

interface ErrorBody {
  error: { code: string; message: string; detail?: { path: string; message: string }[] };
}

async function errorsFromEveryPath(period: string, half: string) {
  const paths: [string, Promise<Response>][] = [
    ['submission', call('town1', '/api/submissions', { method: 'POST', json: villages(period, [60, 120, 350]) })],
    ['village ranking', call('county', `/api/rankings/villages?period=${period}`)],
    ['township ranking', call('county', `/api/rankings/townships?period=${half}`)],
    ['rulebook route', call('county', `/api/county/rulebook?period=${period}`)],
  ];
  const out: { path: string; status: number; error: ErrorBody['error'] }[] = [];
  for (const [path, res] of paths) {
    const r = await res;
    out.push({ path, status: r.status, error: (await r.json<ErrorBody>()).error });
  }
  return out;
}

describe('a stored rulebook that fails to parse', () => {
  beforeEach(async () => {
    await seed();
    await env.DB.prepare('DELETE FROM rulebooks WHERE county_code = ?').bind(COUNTY).run();
  });

  it('not JSON: the same 500 stored_rulebook_invalid from submissions, rankings and the rulebook route', async () => {
    await store(1, '2026', '{"id": "broken",');
    const got = await errorsFromEveryPath('2026Q2', '2026H1');
    for (const g of got) {
      expect(g.status, g.path).toBe(500);
      expect(g.error.code, g.path).toBe('stored_rulebook_invalid');
      expect(g.error.message, g.path).toBe('县级规则第1版（410999）无法使用：保存的内容不是有效的 JSON。请管理员核对后重新发布');
    }
    // Nothing was stored by the refused submission.
    expect(await env.DB.prepare('SELECT count(*) AS n FROM submissions').first('n')).toBe(0);
  });

  it('valid JSON the rulebook rules refuse: every path names the field, with the same message and detail', async () => {
    const bad = { ...example, scoring: { ...example.scoring, items: [{ ...example.scoring.items[0], points: -1 }, ...example.scoring.items.slice(1)] } };
    await store(1, '2026', JSON.stringify(bad));
    const got = await errorsFromEveryPath('2026Q3', '2026H2');
    const first = got[0]!;
    expect(first.status).toBe(500);
    expect(first.error.code).toBe('stored_rulebook_invalid');
    expect(first.error.message).toMatch(/^县级规则第1版（410999）无法使用：县级规则文件有误：scoring\.items\[0\]\.points：/);
    expect(first.error.detail!.some((d) => d.path === 'scoring.items[0].points')).toBe(true);
    for (const g of got.slice(1)) expect({ path: g.path, status: g.status, error: g.error }).toEqual({ path: g.path, status: 500, error: first.error });
  });

  it('a broken version that holds for no requested period stops nothing; republishing replaces it', async () => {
    await store(1, '2026', JSON.stringify(example));
    await store(2, '2027', 'not json');
    const before = await call('town1', '/api/submissions', { method: 'POST', json: villages('2026Q4', [60, 120, 350]) });
    expect(before.status).toBe(201);
    expect((await call('county', '/api/rankings/villages?period=2026Q4')).status).toBe(200);
    expect((await call('county', '/api/county/rulebook?period=2026Q4')).status).toBe(200);
    // 2027Q1 needs version 2; its previous period (2026Q4) needs version 1.
    const broken = await call('county', '/api/rankings/villages?period=2027Q1');
    expect(broken.status).toBe(500);
    expect((await broken.json<ErrorBody>()).error.message).toContain('县级规则第2版');
    // A failed read is not cached: a fixed version 3 holds at once.
    const fixed = await call('admin', '/api/county/rulebook', { method: 'PUT', json: { ...example, id: 'v3', effectiveFrom: '2027' } });
    expect(fixed.status).toBe(201);
    expect((await call('county', '/api/rankings/villages?period=2027Q1')).status).toBe(200);
  });
});
