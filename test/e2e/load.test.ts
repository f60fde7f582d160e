// A bounded load test against the real Worker (`wrangler dev` on loopback, local D1/R2, the demo county):
// LOAD_SECONDS of sustained requests at LOAD_CONCURRENCY in flight, a realistic mix: township officers
// submitting their villages' rows (new contents and retries of earlier ones), county staff viewing village
// and township rankings, the ledger and the submissions list, and dashboard pages. Reported on the console
// and in test/e2e/out/load-report.json (gitignored): requests, error rate, p50/p95/p99, requests per second.
// Asserted: no valid request fails, and every accepted submission is stored afterwards (each one, its rows,
// its raw bytes, one current result per village). Latency is reported, never asserted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile, runLoad, type LoadOutcome } from '../../bench/lib/load.ts';
import { ROOT, startWorker, type Worker } from './server.ts';

const LOAD_SECONDS = 15;
const LOAD_CONCURRENCY = 12;
const PASSWORD = 'demo2026';
/** A quarter the demo has no data for: everything in it was sent by this test. */
const PERIOD = '2026Q4';
const OUT = join(ROOT, 'test/e2e/out');

let worker: Worker;
const tokens = new Map<string, string>();
let towns: { login: string; code: string; villages: { code: string; name: string }[] }[] = [];

async function login(name: string): Promise<string> {
  const res = await fetch(`${worker.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: name, password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`登录 ${name} 失败：${res.status} ${await res.text()}`);
  return (await res.json() as { token: string }).token;
}

const auth = (who: string): Record<string, string> => ({ authorization: `Bearer ${tokens.get(who)!}` });

beforeAll(async () => {
  worker = await startWorker();
  for (const who of ['county', ...Array.from({ length: 6 }, (_, i) => `town${i + 1}`)]) tokens.set(who, await login(who));
  towns = await Promise.all(
    Array.from({ length: 6 }, async (_, i) => {
      const who = `town${i + 1}`;
      const res = await fetch(`${worker.url}/api/county`, { headers: auth(who) });
      const body = (await res.json()) as { townships: { code: string }[]; villages: { code: string; name: string }[] };
      return { login: who, code: body.townships[0]!.code, villages: body.villages };
    }),
  );
}, 300_000);

afterAll(async () => {
  await worker?.stop();
}, 60_000);

/** Submission number n of a township: its villages with values that differ by n (so each n is new content). */
function rows(town: (typeof towns)[number], n: number): unknown {
  const columns = [
    { letter: 'A', header: '区划代码', input: 'code' },
    { letter: 'B', header: '村名', input: 'name' },
    { letter: 'C', header: '党组织类型', input: 'orgType' },
    { letter: 'D', header: '活动场所面积（平方米）', input: 'activityArea' },
    { letter: 'E', header: '集体经营性收入（万元）', input: 'collectiveIncome', unit: '万元', scale: 10000 },
  ];
  return {
    period: PERIOD,
    townshipCode: town.code,
    sheet: '调查表',
    source: 'api',
    columns,
    rows: town.villages.map((v, k) => {
      const r = 5 + k;
      return {
        row: r,
        values: {
          code: { a: `A${r}`, v: v.code },
          name: { a: `B${r}`, v: v.name },
          orgType: { a: `C${r}`, v: '党支部' },
          activityArea: { a: `D${r}`, v: 60 + ((n * 37 + k * 53) % 400) },
          collectiveIncome: { a: `E${r}`, v: ((n + k) % 7) + 0.5 },
        },
      };
    }),
  };
}

interface Accepted {
  id: string;
  township: string;
  rows: number;
}

describe(`load: ${LOAD_SECONDS} s at ${LOAD_CONCURRENCY} in flight`, () => {
  it('no valid request fails; every accepted submission is stored', async () => {
    const accepted = new Map<string, Accepted>();
    const sent = new Map<string, number>();
    const latencies: Record<string, number[]> = {};
    const wrong: string[] = [];
    const all: { kind: string; startMs: number; ms: number }[] = [];
    let loadStart = performance.now();

    /** Request number i of the mix: its kind, the response, and which statuses are right. */
    async function send(i: number): Promise<{ kind: string; res: Response; ok: (s: number) => boolean }> {
      const slot = i % 20;
      const ok200 = (s: number) => s === 200;
      const county = { headers: auth('county') };
      if (slot < 7) {
        // A township officer submits: mostly new contents, now and then a retry of an earlier content.
        const town = towns[i % towns.length]!;
        const made = sent.get(town.code) ?? 0;
        const n = slot === 3 && made > 0 ? Math.floor(i / 7) % made : made;
        sent.set(town.code, Math.max(made, n + 1));
        const res = await fetch(`${worker.url}/api/submissions`, {
          method: 'POST',
          headers: { ...auth(town.login), 'content-type': 'application/json' },
          body: JSON.stringify(rows(town, n)),
        });
        if (res.status === 200 || res.status === 201) {
          const body = (await res.clone().json()) as { submission: { id: string; rows: { accepted: number } } };
          accepted.set(body.submission.id, { id: body.submission.id, township: town.code, rows: body.submission.rows.accepted });
        }
        return { kind: 'submit', res, ok: (s) => s === 200 || s === 201 };
      }
      if (slot < 11) return { kind: 'village ranking', res: await fetch(`${worker.url}/api/rankings/villages?period=${i % 2 ? '2026Q3' : PERIOD}`, county), ok: ok200 };
      if (slot < 13) return { kind: 'township ranking', res: await fetch(`${worker.url}/api/rankings/townships?period=2026H1`, county), ok: ok200 };
      if (slot < 15) return { kind: 'ledger', res: await fetch(`${worker.url}/api/ledger?status=open`, county), ok: ok200 };
      if (slot < 16) return { kind: 'submissions list', res: await fetch(`${worker.url}/api/submissions?period=${PERIOD}`, county), ok: ok200 };
      const page = ['/', '/villages', '/townships', '/ledger'][i % 4]!;
      const res = await fetch(`${worker.url}${page}`, { headers: { cookie: `kp_session=${tokens.get('county')!}` }, redirect: 'manual' });
      return { kind: 'dashboard page', res, ok: ok200 };
    }

    async function timed(i: number): Promise<LoadOutcome> {
      const start = performance.now();
      const { kind, res, ok } = await send(i);
      const body = await res.arrayBuffer();
      (latencies[kind] ??= []).push(performance.now() - start);
      all.push({ kind, startMs: Math.round(start - loadStart), ms: Math.round(performance.now() - start) });
      const good = ok(res.status);
      if (!good && wrong.length < 5) wrong.push(`${kind} ${res.status} ${new TextDecoder().decode(body).slice(0, 200)}`);
      return { ok: good, status: res.status };
    }

    // Warm-up, not measured: DuckDB-WASM's cold start and the first page render.
    for (const i of [7, 11, 13, 15, 16]) expect((await timed(i)).ok).toBe(true);
    for (const k of Object.keys(latencies)) delete latencies[k];
    all.length = 0;
    loadStart = performance.now();

    const report = await runLoad({ concurrency: LOAD_CONCURRENCY, durationMs: LOAD_SECONDS * 1000, request: timed });
    const byKind = Object.fromEntries(
      Object.entries(latencies).map(([k, l]) => {
        const sorted = [...l].sort((x, y) => x - y);
        return [k, { requests: l.length, p50Ms: Math.round(percentile(sorted, 50)), p99Ms: Math.round(percentile(sorted, 99)) }];
      }),
    );
    const slowest = [...all].sort((x, y) => y.ms - x.ms).slice(0, 5);
    const summary = { seconds: LOAD_SECONDS, concurrency: LOAD_CONCURRENCY, acceptedSubmissions: accepted.size, ...report, byKind, slowest, wrong };
    console.log(
      `负载测试：${report.requests} 个请求，${report.durationMs.toFixed(0)} ms，${report.requestsPerSecond.toFixed(1)} 请求/秒，错误率 ${(report.errorRate * 100).toFixed(2)}%，` +
        `p50 ${report.p50Ms.toFixed(0)} ms，p95 ${report.p95Ms.toFixed(0)} ms，p99 ${report.p99Ms.toFixed(0)} ms，最长 ${report.maxMs.toFixed(0)} ms；上报 ${accepted.size} 份\n` +
        JSON.stringify(summary, null, 2),
    );
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'load-report.json'), `${JSON.stringify({ at: new Date().toISOString(), ...summary }, null, 2)}\n`);

    expect(wrong).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.requests).toBeGreaterThan(0);
    expect(byKind.submit?.requests ?? 0).toBeGreaterThan(0);

    // Every accepted submission is stored: listed, with all its rows, and its raw bytes served.
    const list = (await (await fetch(`${worker.url}/api/submissions?period=${PERIOD}&limit=1000`, { headers: auth('county') })).json()) as { submissions: { id: string; rows: { accepted: number } }[] };
    expect(list.submissions.map((s) => s.id).sort()).toEqual([...accepted.keys()].sort());
    const stored = worker.sql(`SELECT submission_id AS id, count(*) AS n FROM village_results WHERE period = '${PERIOD}' GROUP BY submission_id`) as { id: string; n: number }[];
    expect(Object.fromEntries(stored.map((r) => [r.id, r.n]))).toEqual(Object.fromEntries([...accepted.values()].map((a) => [a.id, a.rows])));
    for (const a of [...accepted.values()].slice(0, 12)) {
      const raw = await fetch(`${worker.url}/api/submissions/${a.id}/raw`, { headers: auth('county') });
      expect(raw.status, a.id).toBe(200);
      await raw.arrayBuffer();
    }
    // One current result per village, and each township's current results are from its latest submission.
    const doubled = worker.sql(`SELECT village_code FROM village_results WHERE period = '${PERIOD}' AND superseded_by IS NULL GROUP BY village_code HAVING count(*) <> 1`);
    expect(doubled).toEqual([]);
    const current = worker.sql(
      `SELECT township_code AS township, count(DISTINCT submission_id) AS subs FROM village_results WHERE period = '${PERIOD}' AND superseded_by IS NULL GROUP BY township_code`,
    ) as { township: string; subs: number }[];
    for (const c of current) expect(c.subs, c.township).toBe(1);
  });
});
