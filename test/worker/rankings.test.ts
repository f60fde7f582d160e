// Routes /api/rankings and /api/observations inside workerd: status codes, scope, ties, the rulebook's
// levels, stars, groups and 软弱涣散 triggers, observation rounds feeding the township score, and a county
// of 500 villages × 4 quarters loaded under a memory budget. Village results are inserted directly into D1.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { getDuckDB } from '../../worker/duckdb/db.ts';
import { call, COUNTY, seed, T1, T2 } from './helpers.ts';
import { putResults, type Put } from './results-helpers.ts';

async function publishRulebook(county: string, json: unknown, effectiveFrom: string, version = 1): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO rulebooks (county_code, version, rulebook_id, name, effective_from, json, created_by, created_at) VALUES (?, ?, 'r', 'r', ?, ?, 'acc-admin', '2026-01-01T00:00:00Z')",
  )
    .bind(county, version, effectiveFrom, JSON.stringify(json))
    .run();
}

const get = async <T = any>(login: string, path: string): Promise<{ status: number; body: T }> => {
  const res = await call(login, path);
  return { status: res.status, body: (await res.json()) as T };
};

// ---------------------------------------------------------------------------------------------------------
// 500 villages × 4 quarters: first in the file, so the wasm memory reading is this load's working set.

const BIG_TOWNS = Array.from({ length: 25 }, (_, i) => `410999${String(110 + i)}`);
const BIG_QUARTERS = ['2027Q1', '2027Q2', '2027Q3', '2027Q4'];

describe('a county of 500 villages × 4 quarters', () => {
  it('ranks villages and townships within the memory budget and reports timings and memory', async () => {
    await seed();
    const afterInit = (await getDuckDB()).wasmMemoryBytes();
    const stmts = BIG_TOWNS.map((t, i) => env.DB.prepare('INSERT OR IGNORE INTO townships VALUES (?, ?, ?)').bind(t, COUNTY, `第${i + 1}镇`));
    await env.DB.batch(stmts);
    const rows: Put[] = [];
    let x = 1;
    for (const t of BIG_TOWNS) {
      for (let v = 0; v < 20; v++) {
        for (const [k, period] of BIG_QUARTERS.entries()) {
          x = (x * 48271) % 2147483647;
          rows.push({ village: `${t}${200 + v}`, period, total: 60 + (x % 40) + (k % 2) * 0.5, level: x % 5 === 0 ? '不合格' : x % 7 === 0 ? '优秀' : '合格' });
        }
      }
    }
    await putResults(rows);
    expect(rows.length).toBe(2000);

    const v = await get('county', '/api/rankings/villages?period=2027Q4');
    expect(v.status).toBe(200);
    expect(v.body.villages).toHaveLength(500);
    expect(v.body.previousPeriod).toBe('2027Q3');
    expect(v.body.villages.every((r: any) => r.previousRank !== null)).toBe(true);
    expect(v.body.townships).toHaveLength(25);
    const m = v.body.meta;
    expect(m.rows).toBe(1000); // this quarter and the previous one
    const t = await get('county', '/api/rankings/townships?period=2027H2');
    expect(t.status).toBe(200);
    expect(t.body.townships.filter((x: any) => x.ranked)).toHaveLength(25);
    expect(t.body.meta.rows).toBe(2000); // the four quarters of this half and the previous one
    const mem = t.body.meta.wasmMemoryBytes;
    // Loose budget: DuckDB's memory_limit is 64 MiB and the isolate limit 128 MB (JS heap + wasm).
    expect(mem).toBeLessThan(48 * 1024 * 1024); // measured 27.8 MiB (29,097,984 B) on 2026-11 with DuckDB 1.4.3
    expect(t.body.meta.memoryLimit).toBe('64MiB');
    console.log(
      `[500×4] wasm after init ${afterInit} B; after villages ${m.wasmMemoryBytes} B; after townships ${mem} B (${(mem / 1048576).toFixed(1)} MiB)\n` +
        `villages meta ${JSON.stringify(m)}\ntownships meta ${JSON.stringify(t.body.meta)}`,
    );
    // Warm runs.
    for (let i = 0; i < 3; i++) {
      const w = await get('county', '/api/rankings/villages?period=2027Q4');
      const wt = await get('county', '/api/rankings/townships?period=2027H2');
      console.log(`[500×4 warm ${i}] villages total ${w.body.meta.totalMs} ms (d1 ${w.body.meta.d1Ms}, query ${w.body.meta.duckdb.queryMs}); townships total ${wt.body.meta.totalMs} ms (d1 ${wt.body.meta.d1Ms}, query ${wt.body.meta.duckdb.queryMs}); mem ${wt.body.meta.wasmMemoryBytes}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------

const V = (t: string, n: number) => `${t}${200 + n}`;

describe('GET /api/rankings/villages', () => {
  beforeAll(async () => {
    await seed();
    // 2026Q2: T1 five villages, T2 three; 2026Q3 with ties (90, 95, 90, 80, 70) and T2.
    await putResults([
      { village: V(T1, 0), period: '2026Q2', total: 88 },
      { village: V(T1, 1), period: '2026Q2', total: 91 },
      { village: V(T1, 2), period: '2026Q2', total: 70 },
      { village: V(T1, 3), period: '2026Q2', total: 75 },
      { village: V(T1, 4), period: '2026Q2', total: 60 },
      { village: V(T2, 0), period: '2026Q2', total: 80 },
      { village: V(T2, 1), period: '2026Q2', total: 79 },
      { village: V(T2, 2), period: '2026Q2', total: 50 },
      // a first 2026Q3 submission for T1, superseded below
      { village: V(T1, 0), period: '2026Q3', total: 10 },
    ], '2026-09-01T00:00:00.000Z');
    await putResults([
      { village: V(T1, 0), period: '2026Q3', total: 90, level: '达标' },
      { village: V(T1, 1), period: '2026Q3', total: 95, level: '示范' },
      { village: V(T1, 2), period: '2026Q3', total: 90, level: '达标' },
      { village: V(T1, 3), period: '2026Q3', total: 80, level: '达标' },
      { village: V(T1, 4), period: '2026Q3', total: 70, level: '未达标' },
      { village: V(T2, 0), period: '2026Q3', total: 85, level: '达标' },
      { village: V(T2, 1), period: '2026Q3', total: 40, level: '未达标' },
      { village: V(T2, 2), period: '2026Q3', total: 45, level: '未达标' },
    ]);
  });

  it('ranks within the township (ties share: 1, 2, 2, 4, 5), county-wide, with previous rank and movement', async () => {
    const { status, body } = await get('county', '/api/rankings/villages?period=2026Q3');
    expect(status).toBe(200);
    expect(body.period).toBe('2026Q3');
    expect(body.previousPeriod).toBe('2026Q2');
    expect(body.rulebook).toBeNull();
    const t1 = body.villages.filter((v: any) => v.township === T1);
    expect(t1.map((v: any) => [v.code, v.total, v.rank, v.countyRank, v.previousRank, v.movement])).toEqual([
      [V(T1, 1), 95, 1, 1, 1, 0],
      [V(T1, 0), 90, 2, 2, 2, 0],
      [V(T1, 2), 90, 2, 2, 4, 2],
      [V(T1, 3), 80, 4, 5, 3, -1],
      [V(T1, 4), 70, 5, 6, 5, 0],
    ]);
    expect(t1[0].townshipName).toBe('东风镇');
    expect(t1[0].townshipSize).toBe(5);
    expect(t1[0].countySize).toBe(8);
    // T1 village 4: last in 2026Q2 and 2026Q3 → bottom two periods running
    expect(t1[4].bottom).toBe(true);
    expect(t1[4].bottomTwoRunning).toBe(true);
    // T2: 40 is last now, but was not last before
    const t2 = body.villages.filter((v: any) => v.township === T2);
    expect(t2.map((v: any) => [v.total, v.rank, v.bottom, v.bottomTwoRunning])).toEqual([
      [85, 1, false, false],
      [45, 2, false, false],
      [40, 3, true, false],
    ]);
    // No rulebook: default levels; no stars, groups or weak triggers.
    expect(t1[0]).toMatchObject({ stars: null, group: null, weak: [] });
    const rates = Object.fromEntries(body.townships.map((t: any) => [t.code, t.rates]));
    expect(rates[T1].达标).toMatchObject({ count: 4, total: 5, rate: 0.8, percent: 80, meetsTarget: true, meetsAim: false });
    expect(rates[T1].示范).toMatchObject({ count: 1, total: 5, rate: 0.2 });
    expect(rates[T2].达标).toMatchObject({ count: 1, total: 3, meetsTarget: false });
    expect(body.rules.tieBreak).toContain('区划代码');
    expect(body.meta.wasmMemoryBytes).toBeGreaterThan(0);
    expect(body.meta.duckdb.version).toMatch(/^v1\./);
  });

  it('superseded results are ignored (the newest active result counts)', async () => {
    const { body } = await get('county', '/api/rankings/villages?period=2026Q3');
    expect(body.villages.find((v: any) => v.code === V(T1, 0)).total).toBe(90);
  });

  it('a township filter, and a township officer sees only their own township', async () => {
    const a = await get('county', `/api/rankings/villages?period=2026Q3&township=${T2}`);
    expect(a.status).toBe(200);
    expect(a.body.villages.map((v: any) => v.township)).toEqual([T2, T2, T2]);
    expect(a.body.villages[0].countyRank).toBe(4); // county rank is still county-wide
    const own = await get('town1', '/api/rankings/villages?period=2026Q3');
    expect(own.status).toBe(200);
    expect(own.body.township).toBe(T1);
    expect(own.body.villages).toHaveLength(5);
    expect(own.body.townships.map((t: any) => t.code)).toEqual([T1]);
    const other = await get('town1', `/api/rankings/villages?period=2026Q3&township=${T2}`);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toContain('本乡镇');
  });

  it.each([
    ['finance', 200],
    ['admin', 200],
    ['other-county', 200],
    ['other-town', 403],
  ])('%s → %i', async (login, status) => {
    const r = await get(login, `/api/rankings/villages?period=2026Q3${login === 'other-town' ? `&township=${T1}` : ''}`);
    expect(r.status).toBe(status);
    if (login === 'other-county') expect(r.body.villages).toEqual([]); // their own county, which has no data
  });

  it('province staff name the county; another province is refused', async () => {
    expect((await get('province', '/api/rankings/villages?period=2026Q3')).status).toBe(403);
    const ok = await get('province', `/api/rankings/villages?period=2026Q3&county=${COUNTY}`);
    expect(ok.status).toBe(200);
    expect(ok.body.villages).toHaveLength(8);
    expect((await get('province', '/api/rankings/villages?period=2026Q3&county=420100')).status).toBe(403);
  });

  it('errors: no sign-in 401, bad period 400, unknown parameter 400, township outside the county 400', async () => {
    expect((await call(null, '/api/rankings/villages?period=2026Q3')).status).toBe(401);
    const bad = await get('county', '/api/rankings/villages?period=2026Q5');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('无法识别期次');
    expect((await get('county', '/api/rankings/villages')).status).toBe(400);
    expect((await get('county', '/api/rankings/villages?period=2026Q3&x=1')).status).toBe(400);
    expect((await get('county', '/api/rankings/villages?period=2026Q3&township=410998100')).status).toBe(400);
  });
});

describe('GET /api/rankings/townships, /periods, /trend and observations', () => {
  beforeAll(async () => {
    await seed();
    // 2026Q1 (H1 with 2026Q2 from above)
    await putResults([
      { village: V(T1, 0), period: '2026Q1', total: 80 },
      { village: V(T1, 1), period: '2026Q1', total: 82 },
      { village: V(T2, 0), period: '2026Q1', total: 90 },
    ]);
  });

  it('half-year township scores are the village average over the quarters (no observation weight without a rulebook)', async () => {
    const { status, body } = await get('county', '/api/rankings/townships?period=2026H1');
    expect(status).toBe(200);
    expect(body.quarters).toEqual(['2026Q1', '2026Q2']);
    expect(body.weight).toBe(0);
    const t = Object.fromEntries(body.townships.map((x: any) => [x.code, x]));
    // T1: Q1 80, 82; Q2 88, 91, 70, 75, 60 → 546 / 7 = 78.00
    expect(t[T1]).toMatchObject({ villageAverage: 78, score: 78, villages: 5, results: 7, rank: 1, observation: null, ranked: true });
    // T2: Q1 90; Q2 80, 79, 50 → 299 / 4 = 74.75
    expect(t[T2]).toMatchObject({ villageAverage: 74.75, score: 74.75, rank: 2, bottom: true, bottomTwoRunning: false });
    // Townships without results in the half are listed, unranked, after the ranked ones.
    expect(body.townships.slice(0, 2).map((x: any) => x.code)).toEqual([T1, T2]);
    expect(body.townships[2]).toMatchObject({ ranked: false, rank: null, score: null });
    expect(body.formula).toContain('村级平均分');
  });

  it('roles: county, finance, admin, province (with county); not township officers', async () => {
    for (const l of ['finance', 'admin']) expect((await get(l, '/api/rankings/townships?period=2026H1')).status).toBe(200);
    expect((await get('province', `/api/rankings/townships?period=2026H1&county=${COUNTY}`)).status).toBe(200);
    expect((await get('town1', '/api/rankings/townships?period=2026H1')).status).toBe(403);
    const q = await get('county', '/api/rankings/townships?period=2026Q3');
    expect(q.status).toBe(400);
    expect(q.body.error.message).toContain('半年');
  });

  it('observation rounds: entry by county/admin, raw scores kept, drop highest and lowest with ≥ 3 observers', async () => {
    // Refused for finance and township officers.
    expect((await call('finance', '/api/observations/rounds', { method: 'POST', json: { period: '2026H1', level: 'township', title: 'x' } })).status).toBe(403);
    expect((await call('town1', '/api/observations/rounds', { method: 'POST', json: { period: '2026H1', level: 'township', title: 'x' } })).status).toBe(403);
    // A township round must be a half, a village round a quarter.
    const wrong = await call('county', '/api/observations/rounds', { method: 'POST', json: { period: '2026Q1', level: 'township', title: '乡镇观摩' } });
    expect(wrong.status).toBe(400);
    const res = await call('county', '/api/observations/rounds', { method: 'POST', json: { period: '2026H1', level: 'township', title: '2026年上半年乡镇党建观摩' } });
    expect(res.status).toBe(201);
    const { round } = await res.json<any>();
    expect(round.rule).toContain('去掉一个最高分和一个最低分');
    const scores = [
      { unit: T1, observer: '评委甲', score: 90 },
      { unit: T1, observer: '评委乙', score: 80.5 },
      { unit: T1, observer: '评委丙', score: 99 },
      { unit: T1, observer: '评委丁', score: 70 },
      { unit: T2, observer: '评委甲', score: 85 },
      { unit: T2, observer: '评委乙', score: 86 },
    ];
    const put = await call('admin', `/api/observations/rounds/${round.id}/scores`, { method: 'POST', json: { scores } });
    expect(put.status).toBe(201);
    const after = await put.json<any>();
    const u = Object.fromEntries(after.round.units.map((x: any) => [x.unit, x]));
    // T1: drop 99 and 70 → (90 + 80.5) / 2 = 85.25; T2: two observers → 85.5
    expect(u[T1]).toMatchObject({ aggregate: 85.25, observers: 4, dropped: { highest: 99, lowest: 70 }, name: '东风镇' });
    expect(u[T1].scores).toHaveLength(4);
    expect(u[T2]).toMatchObject({ aggregate: 85.5, observers: 2, dropped: null });
    // The same observer again: 409 unless replace; replace keeps the old score in the audit log.
    const again = await call('county', `/api/observations/rounds/${round.id}/scores`, { method: 'POST', json: { scores: [{ unit: T2, observer: '评委乙', score: 88 }] } });
    expect(again.status).toBe(409);
    const fixed = await call('county', `/api/observations/rounds/${round.id}/scores`, { method: 'POST', json: { scores: [{ unit: T2, observer: '评委乙', score: 88 }], replace: true } });
    expect(fixed.status).toBe(200);
    const audit = await env.DB.prepare("SELECT detail_json FROM audit_log WHERE action = 'observation.scores' ORDER BY id DESC").first<{ detail_json: string }>();
    expect(JSON.parse(audit!.detail_json).replaced).toEqual([{ unit: T2, observer: '评委乙', old: 86, new: 88 }]);
    // Validation: wrong level of unit, unknown unit, three decimals, out of range, duplicates.
    const bad = await call('county', `/api/observations/rounds/${round.id}/scores`, {
      method: 'POST',
      json: { scores: [{ unit: V(T1, 0), observer: 'a', score: 80 }, { unit: '410999199', observer: 'a', score: 80 }] },
    });
    expect(bad.status).toBe(400);
    const badBody = await bad.json<any>();
    expect(badBody.error.message).toContain('代码应为9位');
    expect(badBody.error.message).toContain('不是本县登记的乡镇');
    expect((await call('county', `/api/observations/rounds/${round.id}/scores`, { method: 'POST', json: { scores: [{ unit: T1, observer: 'a', score: 80.123 }] } })).status).toBe(400);
    expect((await call('county', `/api/observations/rounds/${round.id}/scores`, { method: 'POST', json: { scores: [{ unit: T1, observer: 'a', score: 101 }] } })).status).toBe(400);
    expect(
      (await call('county', `/api/observations/rounds/${round.id}/scores`, { method: 'POST', json: { scores: [{ unit: T1, observer: 'z', score: 1 }, { unit: T1, observer: 'z', score: 2 }] } })).status,
    ).toBe(400);
    // Another county cannot write to or read this round.
    expect((await call('other-county', `/api/observations/rounds/${round.id}/scores`, { method: 'POST', json: { scores } })).status).toBe(403);
    expect((await call('other-county', `/api/observations/rounds/${round.id}`)).status).toBe(403);
    expect((await call('county', '/api/observations/rounds/nope')).status).toBe(404);
  });

  it('GET rounds: raw scores, aggregates and rule; a township officer sees only their township', async () => {
    const all = await get('county', '/api/observations/rounds?period=2026H1');
    expect(all.status).toBe(200);
    expect(all.body.rule).toContain('四舍五入保留两位小数');
    expect(all.body.rounds).toHaveLength(1);
    expect(all.body.rounds[0].units.map((u: any) => [u.unit, u.aggregate])).toEqual([
      [T1, 85.25],
      [T2, 86.5],
    ]);
    const mine = await get('town1', '/api/observations/rounds');
    expect(mine.status).toBe(200);
    expect(mine.body.rounds[0].units.map((u: any) => u.unit)).toEqual([T1]);
    expect((await get('finance', '/api/observations/rounds')).status).toBe(200);
    expect((await get('province', '/api/observations/rounds')).status).toBe(403);
    expect((await get('county', '/api/observations/rounds?period=bad')).status).toBe(400);
  });

  it('with a county rulebook: observation weight, levels, stars with quotas, groups and 软弱涣散 candidates', async () => {
    await publishRulebook(COUNTY, { ...example, effectiveFrom: '2026' }, '2026');
    const { body } = await get('county', '/api/rankings/townships?period=2026H1');
    expect(body.rulebook).toMatchObject({ version: 1, id: example.id });
    expect(body.weight).toBe(0.3);
    const t = Object.fromEntries(body.townships.map((x: any) => [x.code, x]));
    // T1: 0.7 × 78 + 0.3 × 85.25 = 54.6 + 25.575 = 80.175 → 80.18; T2: 0.7 × 74.75 + 0.3 × 86.5 = 52.325 + 25.95 = 78.275 → 78.28
    expect(t[T1]).toMatchObject({ villageAverage: 78, score: 80.18, observation: { aggregate: 85.25 } });
    expect(t[T1].observation.rule).toContain('去掉一个最高分');
    expect(t[T2]).toMatchObject({ villageAverage: 74.75, score: 78.28 });
    expect(body.formula).toContain('0.3');

    // Villages under the rulebook: levels 示范/达标/未达标 → 达标 = 示范 or 达标; stars per township with
    // quotas; groups per township (top 20%, bottom 20%); weak: below 60, veto, bottom 5% county-wide, isWeak.
    await putResults([
      { village: V(T1, 0), period: '2026Q4', total: 96, level: '示范' },
      { village: V(T1, 1), period: '2026Q4', total: 96, level: '示范' },
      { village: V(T1, 2), period: '2026Q4', total: 88, level: '达标' },
      { village: V(T1, 3), period: '2026Q4', total: 72, level: '达标', weak: true },
      { village: V(T1, 4), period: '2026Q4', total: 55, level: '未达标', results: [{ id: 'basic-24-a', standard: 'basic', article: 24, status: 'fail' }] },
      { village: V(T2, 0), period: '2026Q4', total: 97, level: '未达标', veto: true },
      { village: V(T2, 1), period: '2026Q4', total: 80, level: '达标' },
      { village: V(T2, 2), period: '2026Q4', total: 65, level: '未达标' },
    ]);
    const v = await get('county', '/api/rankings/villages?period=2026Q4');
    expect(v.status).toBe(200);
    const by = Object.fromEntries(v.body.villages.map((x: any) => [x.code, x]));
    // 五星 (≥95, quota 10% of 5 = 0): the tie at 96 does not fit → both fall to 四星 (≥85, quota 30% = 1 place):
    // the tie of two at the top still does not fit, and 88 ranks third → all three fall to 三星 (≥75).
    expect([0, 1, 2, 3, 4].map((i) => by[V(T1, i)].stars)).toEqual([3, 3, 3, 2, 1]);
    expect(by[V(T1, 0)].starsReason).toContain('3星');
    // Vetoed: no stars.
    expect(by[V(T2, 0)].stars).toBe(0);
    expect(by[V(T2, 0)].starsReason).toBeDefined();
    // Groups in T1 (5 villages: top 1, bottom 1): the tie at the top does not fit → 中间.
    expect([V(T1, 0), V(T1, 1), V(T1, 2), V(T1, 3), V(T1, 4)].map((c) => by[c].group)).toEqual(['中间', '中间', '中间', '中间', '后进']);
    // Weak candidates, with every reason.
    expect(by[V(T1, 4)].weak.join('；')).toMatch(/低于60分/);
    expect(by[V(T1, 3)].weak.join('；')).toContain('软弱涣散为“是”');
    expect(by[V(T2, 0)].weak.join('；')).toContain('一票否决');
    expect(by[V(T1, 2)].weak).toEqual([]);
    const rates = Object.fromEntries(v.body.townships.map((x: any) => [x.code, x.rates]));
    expect(rates[T1].达标).toMatchObject({ count: 4, total: 5, meetsTarget: true });
    expect(rates[T1].示范).toMatchObject({ count: 2, total: 5 });
    expect(rates[T2].达标).toMatchObject({ count: 1, total: 3 });
    expect(v.body.rules.levels).toContain('示范、达标');
  });

  it('periods with data (a township officer: their own township only)', async () => {
    const { status, body } = await get('county', '/api/rankings/periods');
    expect(status).toBe(200);
    expect(body.periods.map((p: any) => p.period)).toEqual(['2027Q4', '2027Q3', '2027Q2', '2027Q1', '2026Q4', '2026Q3', '2026Q2', '2026Q1']);
    expect(body.halves.map((p: any) => p.period)).toEqual(['2027H2', '2027H1', '2026H2', '2026H1']);
    expect(body.periods.find((p: any) => p.period === '2026Q3')).toMatchObject({ villages: 8, townships: 2, periodZh: '2026年第三季度' });
    const own = await get('town2', '/api/rankings/periods');
    expect(own.body.periods.find((p: any) => p.period === '2026Q3').villages).toBe(3);
    expect(own.body.periods.some((p: any) => p.period.startsWith('2027'))).toBe(false);
  });

  it('trend: a village over its periods, a township over its halves; scope enforced', async () => {
    const v = await get('county', `/api/rankings/trend?level=village&code=${V(T1, 2)}`);
    expect(v.status).toBe(200);
    expect(v.body.points.map((p: any) => [p.period, p.total, p.rank, p.previousRank, p.movement])).toEqual([
      ['2026Q2', 70, 4, null, null],
      ['2026Q3', 90, 2, 4, 2],
      ['2026Q4', 88, 3, 2, -1],
    ]);
    const t = await get('county', `/api/rankings/trend?level=township&code=${T1}`);
    expect(t.status).toBe(200);
    expect(t.body.points.map((p: any) => [p.period, p.score])).toEqual([
      ['2026H1', 80.18],
      ['2026H2', expect.any(Number)],
    ]);
    expect(t.body.points[1].previousRank).toBe(t.body.points[0].rank);
    expect((await get('town1', `/api/rankings/trend?level=village&code=${V(T1, 2)}`)).status).toBe(200);
    expect((await get('town1', `/api/rankings/trend?level=village&code=${V(T2, 2)}`)).status).toBe(403);
    expect((await get('town1', `/api/rankings/trend?level=township&code=${T1}`)).status).toBe(403);
    expect((await get('other-county', `/api/rankings/trend?level=village&code=${V(T1, 2)}`)).status).toBe(403);
    expect((await get('county', `/api/rankings/trend?level=village&code=${T1}`)).status).toBe(400);
    expect((await get('county', `/api/rankings/trend?level=city&code=${T1}`)).status).toBe(400);
  });
});
