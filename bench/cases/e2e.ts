// Case 5: submission → ranking on the local county Worker (`wrangler dev` of the real app with local D1 and R2,
// started as the browser tests start it: test/e2e/server.ts, demo county loaded on first request). One
// operation = a township officer POSTs a quarter's submission (the demo generator's rows for 2026Q3, a new
// file name each time so it is never a duplicate: the county re-scores it, stores it in R2 and D1, supersedes
// the previous results and updates the ledger), then the county staff GET the village ranking of that quarter
// (DuckDB-WASM). `concurrency` operations in flight at once, on loopback, with the shared load generator
// (bench/lib/load.ts); latencies are per operation and per request.
import { DEMO_COUNTY, DEMO_PASSWORD } from '../../worker/demo.ts';
import { demoSubmission } from '../../worker/demo-activity.ts';
import { demoColumns, demoCounty } from '../../shared/demo/generate.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import { startWorker } from '../../test/e2e/server.ts';
import { percentile, runLoad, type LoadReport } from '../lib/load.ts';

export interface E2eReport {
  concurrency: number;
  durationMs: number;
  villagesPerSubmission: { min: number; max: number };
  rankedVillages: number;
  operations: LoadReport;
  submission: { p50Ms: number; p99Ms: number; n: number };
  ranking: { p50Ms: number; p99Ms: number; n: number };
  /** The first few error answers, for the report. */
  errorBodies: string[];
  wranglerStartMs: number;
}

const PERIOD = '2026Q3';

async function login(url: string, who: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: who, password }) });
  if (!res.ok) throw new Error(`login ${who}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function benchE2e(opts: { concurrency: number; durationMs: number; log: (s: string) => void }): Promise<E2eReport> {
  const t0 = performance.now();
  const worker = await startWorker();
  const wranglerStartMs = performance.now() - t0;
  try {
    // The same demo county the Worker loads (worker/demo.ts), to build its townships' submissions.
    const demo = demoCounty({ countyCode: DEMO_COUNTY.code, name: DEMO_COUNTY.name, townships: 6 });
    const rulebook = defaultRulebook();
    const columns = demoColumns(rulebook);
    const period = parsePeriodLabel(PERIOD)!;
    const bodies = demo.townships.map((t) => demoSubmission(rulebook, t, period, columns));
    const tokens = await Promise.all(demo.townships.map((_, i) => login(worker.url, `town${i + 1}`, DEMO_PASSWORD)));
    const county = await login(worker.url, 'county', DEMO_PASSWORD);
    const subMs: number[] = [];
    const rankMs: number[] = [];
    let ranked = 0;
    const errorBodies: string[] = [];

    const operation = async (i: number, record: boolean) => {
      const k = ((i % bodies.length) + bodies.length) % bodies.length;
      const body = { ...bodies[k]!, fileName: `bench-${i < 0 ? 'warm' : i}-${bodies[k]!.fileName ?? ''}` };
      let t = performance.now();
      const sub = await fetch(`${worker.url}/api/submissions`, { method: 'POST', headers: { authorization: `Bearer ${tokens[k]}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (sub.status === 201) await sub.arrayBuffer();
      if (record) subMs.push(performance.now() - t);
      if (sub.status !== 201) {
        if (errorBodies.length < 5) errorBodies.push(`POST /api/submissions ${sub.status}: ${new TextDecoder().decode(await sub.arrayBuffer()).slice(0, 300)}`);
        return { ok: false, status: sub.status };
      }
      t = performance.now();
      const rank = await fetch(`${worker.url}/api/rankings/villages?period=${PERIOD}`, { headers: { authorization: `Bearer ${county}` } });
      const json = (await rank.json()) as { villages?: unknown[] };
      if (record) rankMs.push(performance.now() - t);
      ranked = json.villages?.length ?? 0;
      if (!rank.ok && errorBodies.length < 5) errorBodies.push(`GET /api/rankings/villages ${rank.status}: ${JSON.stringify(json).slice(0, 300)}`);
      return { ok: rank.ok, status: rank.status };
    };
    // Warm-up (DuckDB's cold start in this isolate, first scoring): not counted.
    const warm = await operation(-1, false);
    if (!warm.ok) throw new Error(`warm-up operation failed: HTTP ${warm.status}\n${worker.log().slice(-3000)}`);
    opts.log(`  e2e: wrangler dev + demo county up in ${Math.round(wranglerStartMs)} ms; load for ${opts.durationMs / 1000} s at concurrency ${opts.concurrency}`);
    const operations = await runLoad({ concurrency: opts.concurrency, durationMs: opts.durationMs, request: (i) => operation(i, true) });
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const s = sorted(subMs);
    const r = sorted(rankMs);
    const sizes = bodies.map((b) => b.rows.length);
    return {
      concurrency: opts.concurrency,
      durationMs: opts.durationMs,
      villagesPerSubmission: { min: Math.min(...sizes), max: Math.max(...sizes) },
      rankedVillages: ranked,
      operations,
      submission: { p50Ms: percentile(s, 50), p99Ms: percentile(s, 99), n: s.length },
      ranking: { p50Ms: percentile(r, 50), p99Ms: percentile(r, 99), n: r.length },
      errorBodies,
      wranglerStartMs,
    };
  } finally {
    await worker.stop();
  }
}
