// GET /api/province/counties over the demo's two counties (示例县 410999, 示例二县 410998), checked against
// an independent computation over the stored results (village_results, the rulebook's levels, submissions),
// and the scope: county accounts cannot see the province view or the other county.
import { beforeAll, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { app } from '../../worker/app.ts';
import { DEMO_COUNTY, DEMO_COUNTY2, DEMO_PASSWORD, ensureDemo } from '../../worker/demo.ts';

const tokens = new Map<string, string>();
async function get(login: string, path: string): Promise<Response> {
  let token = tokens.get(login);
  if (!token) {
    const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password: DEMO_PASSWORD }) }, env);
    expect(res.status, login).toBe(200);
    token = (await res.json<{ token: string }>()).token;
    tokens.set(login, token);
  }
  return app.request(path, { headers: { Authorization: `Bearer ${token}` } }, env);
}

interface County {
  code: string;
  name: string;
  townships: number;
  villages: number;
  results: number;
  rates: { 达标: { count: number; total: number; rate: number; percent: number; meetsTarget: boolean; meetsAim: boolean } } | null;
  meanScore: number | null;
  weak: number;
  submissions: { received: number; expected: number; missing: { code: string; name: string }[] };
}
interface View {
  province: string;
  period: string;
  periods: { period: string }[];
  targets: { target: number; aim: number };
  counties: County[];
}

/** 达标 by the rulebook in force: every level but the lowest (levels.ts), computed here from the stored JSON. */
async function expected(county: string, period: string) {
  const rb = await env.DB.prepare('SELECT json FROM rulebooks WHERE county_code = ? ORDER BY version DESC LIMIT 1').bind(county).first<{ json: string }>();
  const levels = (JSON.parse(rb!.json) as { levels: { name: string }[] }).levels.map((l) => l.name);
  const pass = new Set(levels.slice(0, -1));
  const rows = (
    await env.DB.prepare('SELECT village_code, level, total_cents, created_at FROM village_results WHERE county_code = ? AND period = ? AND superseded_by IS NULL ORDER BY created_at')
      .bind(county, period)
      .all<{ village_code: string; level: string; total_cents: number }>()
  ).results;
  const latest = new Map(rows.map((r) => [r.village_code, r]));
  const vs = [...latest.values()];
  const passCount = vs.filter((r) => pass.has(r.level)).length;
  const mean = Math.round(vs.reduce((s, r) => s + r.total_cents, 0) / vs.length) / 100;
  const towns = (await env.DB.prepare('SELECT count(*) AS n FROM townships t WHERE county_code = ? AND EXISTS (SELECT 1 FROM villages v WHERE v.township_code = t.code)').bind(county).first<{ n: number }>())!.n;
  const sent = (await env.DB.prepare('SELECT count(DISTINCT township_code) AS n FROM submissions WHERE county_code = ? AND period = ? AND rows_accepted > 0').bind(county, period).first<{ n: number }>())!.n;
  return { villages: vs.length, passCount, rate: passCount / vs.length, mean, towns, sent };
}

beforeAll(async () => {
  await ensureDemo(env);
}, 120_000);

describe('GET /api/province/counties', () => {
  it('the province account sees both demo counties side by side, numbers as stored', async () => {
    const res = await get('province', '/api/province/counties?period=2026Q3');
    expect(res.status).toBe(200);
    const body = await res.json<View>();
    expect(body.province).toBe('41');
    expect(body.period).toBe('2026Q3');
    expect(body.targets).toEqual({ target: 0.8, aim: 0.9 });
    expect(body.counties.map((c) => [c.code, c.name])).toEqual([
      [DEMO_COUNTY2.code, DEMO_COUNTY2.name],
      [DEMO_COUNTY.code, DEMO_COUNTY.name],
    ]);
    for (const c of body.counties) {
      const e = await expected(c.code, '2026Q3');
      expect(c.results, c.code).toBe(e.villages);
      expect(c.villages, c.code).toBe(e.villages);
      expect(c.rates!.达标.count, c.code).toBe(e.passCount);
      expect(c.rates!.达标.total, c.code).toBe(e.villages);
      expect(c.rates!.达标.rate, c.code).toBeCloseTo(e.rate, 10);
      expect(c.rates!.达标.meetsTarget, c.code).toBe(e.passCount * 10 >= e.villages * 8);
      expect(c.rates!.达标.meetsAim, c.code).toBe(e.passCount * 10 >= e.villages * 9);
      expect(c.meanScore, c.code).toBe(e.mean);
      expect(c.submissions, c.code).toEqual({ received: e.sent, expected: e.towns, missing: [] });
      // 软弱涣散: the same count as the county's own village ranking.
      const rank = await (await get('province', `/api/rankings/villages?period=2026Q3&county=${c.code}`)).json<{ villages: { weak: string[] }[] }>();
      expect(c.weak, c.code).toBe(rank.villages.filter((v) => v.weak.length).length);
    }
    const [two, one] = body.counties;
    expect(one!.townships).toBe(6);
    expect(two!.townships).toBe(3);
    // The demo's second county is weaker: the comparison shows a difference.
    expect(two!.meanScore!).toBeLessThan(one!.meanScore!);
    expect(two!.rates!.达标.rate).toBeLessThan(one!.rates!.达标.rate);
  });

  it('without a period: the newest quarter with data; a quarter without data: zero received of those expected', async () => {
    const latest = await (await get('province', '/api/province/counties')).json<View>();
    expect(latest.period).toBe('2026Q3');
    expect(latest.periods.map((p) => p.period)).toEqual(['2026Q3', '2026Q2', '2026Q1', '2025Q4']);
    const empty = await (await get('province', '/api/province/counties?period=2027Q1')).json<View>();
    for (const c of empty.counties) {
      expect(c.rates).toBeNull();
      expect(c.meanScore).toBeNull();
      expect(c.submissions.received).toBe(0);
      expect(c.submissions.expected).toBe(c.townships);
      expect(c.submissions.missing).toHaveLength(c.townships);
    }
    // One township's submissions withdrawn from the count: it is listed as missing.
    const t = `${DEMO_COUNTY2.code}101`;
    await env.DB.prepare("UPDATE submissions SET period = '2026Q3x' WHERE township_code = ? AND period = '2026Q2'").bind(t).run();
    const one = (await (await get('province', '/api/province/counties?period=2026Q2')).json<View>()).counties.find((c) => c.code === DEMO_COUNTY2.code)!;
    expect(one.submissions).toEqual({ received: 2, expected: 3, missing: [{ code: t, name: '太行乡' }] });
    await env.DB.prepare("UPDATE submissions SET period = '2026Q2' WHERE township_code = ? AND period = '2026Q3x'").bind(t).run();
  });

  it('bad parameters: 400 naming the problem', async () => {
    for (const q of ['period=2026H1', 'period=2026', 'period=abc', 'county=410999']) {
      const res = await get('province', `/api/province/counties?${q}`);
      expect(res.status, q).toBe(400);
      expect((await res.json<{ error: { code: string } }>()).error.code, q).toBe('invalid_query');
    }
  });

  it('county accounts: no province view, and not the other county', async () => {
    for (const login of ['admin', 'admin2', 'county', 'finance', 'town1', 'c2town1']) {
      expect((await get(login, '/api/province/counties?period=2026Q3')).status, login).toBe(403);
    }
    expect((await get('admin2', `/api/rankings/villages?period=2026Q3&county=${DEMO_COUNTY.code}`)).status).toBe(403);
    expect((await get('admin', `/api/rankings/villages?period=2026Q3&county=${DEMO_COUNTY2.code}`)).status).toBe(403);
    expect((await get('admin2', '/api/rankings/villages?period=2026Q3')).status).toBe(200);
    const own = await (await get('admin2', '/api/county')).json<{ county: { code: string } }>();
    expect(own.county.code).toBe(DEMO_COUNTY2.code);
  });
});
