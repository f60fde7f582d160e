// Turning case results into tables, target verdicts, bench/results.json and bench/RESULTS.md. Pure apart from
// nothing: the caller writes the files. Tested in test/bench/harness.test.ts.
import type { ReadingResult } from './cases/reading.ts';
import type { AddinRun } from './cases/addin.ts';
import type { AggregationReport, MemoryReport } from './cases/aggregation.ts';
import type { E2eReport } from './cases/e2e.ts';
import { atLeast, atMost, fmt, markdownTable, MiB, verdict, type Target } from './lib/stats.ts';

export interface ScoringResult {
  rowsPerSecond: Record<'500' | '5000' | '45000', number>;
  table: string[][];
  details: unknown;
}

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  memoryGiB: number;
}

export interface Results {
  command: string;
  date: string;
  machine: Machine;
  durationMs: number;
  scoreRowsPerSecond: number | null;
  duckdbWasmVsNative: number | null;
  duckdbColdInitMs: number | null;
  countyIngestPeakMB: number | null;
  addinSyncs: Record<string, number> | null;
  /** Village rows per second reading a file to grids, per format, with the ExcelJS reference (bench/cases/reading.ts). */
  readRowsPerSecond: Record<string, number> | null;
  targets: Target[];
  cases: {
    scoring: ScoringResult | { skipped: string };
    reading: ReadingResult | { skipped: string };
    aggregation: AggregationReport | { skipped: string };
    memory: MemoryReport | { skipped: string };
    addin: { runs: AddinRun[]; addinSyncs: Record<string, number> } | { skipped: string };
    e2e: E2eReport | { skipped: string };
  };
}

const ok = <T extends object>(x: T | { skipped: string }): T | null => ('skipped' in x ? null : x);
const mb = (bytes: number) => fmt(bytes / 1e6, ' MB');

export function targets(r: Omit<Results, 'targets'>): Target[] {
  const out: Target[] = [];
  out.push(atMost('DuckDB-WASM warm village ranking query ÷ native DuckDB (county, same data)', '≤ 2×', r.duckdbWasmVsNative, 2, '×'));
  out.push(atMost('DuckDB-WASM cold start in workerd (median of fresh isolates)', '< 1 s', r.duckdbColdInitMs, 1000, ' ms'));
  const mem = ok(r.cases.memory);
  out.push(atMost('County (500 villages) ingest + ranking, wasm memory high-water', '< 100 MB', mem?.countyIngestPeakBytes != null ? mem.countyIngestPeakBytes / 1e6 : null, 100, ' MB'));
  const s = r.addinSyncs;
  const syncs = s ? Math.max(...Object.values(s)) : null;
  out.push(atMost('Add-in context.sync() round trips per scoring run (max of 500, 5,000 rows)', '≤ 5', syncs, 5));
  const same = s && s['500'] !== undefined && s['5000'] !== undefined ? s['500'] === s['5000'] : null;
  out.push({ what: 'Add-in round trips the same at 500 and 5,000 rows', target: 'equal', measured: s ? `${s['500']} / ${s['5000']}` : '—', ratio: s && s['5000'] && s['500'] ? s['5000'] / s['500'] : null, met: same });
  out.push(atLeast('Scoring throughput at province size (45,000 rows)', '≥ 100,000 rows/s', r.scoreRowsPerSecond, 100_000, ' rows/s'));
  return out;
}

export function targetTable(ts: readonly Target[]): string[][] {
  return [['target', 'goal', 'measured', 'ratio (≤ 1 is met)', 'verdict'], ...ts.map((t) => [t.what, t.target, t.measured, fmt(t.ratio), verdict(t)])];
}

export function aggregationTables(a: AggregationReport): { engines: string[][]; ratios: string[][]; cold: string[][] } {
  const engines: string[][] = [
    ['size', 'engine', 'load Arrow IPC (native: appender)', 'CSV encode + load', 'village ranking query', 'results → JS', 'village rates query', 'township ranking query', 'rankVillages (all)', 'rankTownships (all)', 'same result'],
  ];
  for (const r of a.runs) {
    const l = r.load;
    const both = (f: (x: NonNullable<typeof l>['village']) => number | null) => (l ? `${fmt(f(l.village), ' ms')} / ${fmt(f(l.township), ' ms')}` : '—');
    const agree = a.agreement[r.size];
    engines.push([
      `${r.size} (${r.villages.toLocaleString('en-US')})`,
      r.engine,
      both((x) => x.arrowMs ?? x.appenderMs),
      both((x) => x.csvEncodeMs + x.csvLoadMs),
      fmt(r.queries.villageRank?.queryMs, ' ms'),
      r.engine === 'typescript' ? '(in query)' : fmt(r.queries.villageRank?.toJsMs, ' ms'),
      r.engine === 'typescript' ? '(in ranking)' : fmt(r.queries.villageRates?.queryMs, ' ms'),
      fmt(r.queries.townshipRank?.queryMs, ' ms'),
      fmt(r.service.villagesMs, ' ms'),
      fmt(r.service.townshipsMs, ' ms'),
      agree ? (Object.values(agree).every((x) => x !== false) ? 'yes' : 'NO') : '—',
    ]);
  }
  const ratios: string[][] = [['size', 'village ranking wasm ÷ native', 'incl. results → JS', 'township ranking wasm ÷ native', 'rankVillages wasm ÷ native', 'village ranking wasm ÷ TypeScript']];
  for (const [size, x] of Object.entries(a.ratios)) {
    ratios.push([size, fmt(x.villageRankWasmVsNative, '×'), fmt(x.villageRankWithToJsWasmVsNative, '×'), fmt(x.townshipRankWasmVsNative, '×'), fmt(x.serviceVillagesWasmVsNative, '×'), fmt(x.villageRankWasmVsTs, '×')]);
  }
  const cold: string[][] = [
    ['engine', 'version', 'cold start', 'samples', 'notes'],
    ['duckdb-wasm in workerd', `${a.versions.wasm} (${a.versions.duckdbWasmPackage})`, fmt(a.cold.wasm.medianMs, ' ms'), a.cold.wasm.samples.map((x) => fmt(x)).join(', '), `first getDuckDB() in a fresh isolate; wasm memory after init ${fmt(a.cold.wasm.wasmMemoryAfterInitBytes / MiB, ' MiB')}`],
    ['duckdb native (@duckdb/node-api)', a.versions.native, fmt(a.cold.native.importMs + a.cold.native.initMs, ' ms'), '1', `import ${fmt(a.cold.native.importMs, ' ms')} + instance, connection, first query ${fmt(a.cold.native.initMs, ' ms')}`],
  ];
  return { engines, ratios, cold };
}

export function memoryTable(m: MemoryReport): string[][] {
  const rows: string[][] = [['villages (× 4 quarters)', 'result rows', 'wasm memory high-water', 'of 128 MB', 'under 100 MB', 'outcome']];
  rows.push(['after DuckDB init', '—', mb(m.afterInitBytes), fmt((m.afterInitBytes / 128e6) * 100, ' %'), m.afterInitBytes < 100e6 ? 'yes' : 'no', '']);
  for (const s of m.sizes) {
    rows.push([
      s.villages.toLocaleString('en-US'),
      s.rows.toLocaleString('en-US'),
      `${mb(s.wasmMemoryBytes)} (${fmt(s.wasmMemoryBytes / MiB, ' MiB')})`,
      fmt((s.wasmMemoryBytes / 128e6) * 100, ' %'),
      s.wasmMemoryBytes < 100e6 ? 'yes' : 'no',
      s.ok ? `ranked in ${fmt(s.ms, ' ms')}` : `refused: ${(s.error ?? '').split('\n')[0]!.slice(0, 120)}`,
    ]);
  }
  return rows;
}

export function addinTable(runs: readonly AddinRun[]): string[][] {
  return [
    ['rows', 'run', 'context.sync()', 'API calls', 'largest request', 'all requests', 'largest response', 'time (double + scoring)'],
    ...runs.map((r) => [r.rows.toLocaleString('en-US'), r.run === 'first' ? 'first scoring' : 're-score (notes read back)', String(r.syncs), r.apiCalls.toLocaleString('en-US'), mb(r.maxRequestBytes), mb(r.totalRequestBytes), mb(r.maxResponseBytes), fmt(r.ms, ' ms')]),
  ];
}

export function e2eTable(e: E2eReport): string[][] {
  const o = e.operations;
  return [
    ['what', 'n', 'p50', 'p99', 'max', 'errors'],
    ['submission → ranking (one operation)', String(o.requests), fmt(o.p50Ms, ' ms'), fmt(o.p99Ms, ' ms'), fmt(o.maxMs, ' ms'), `${o.errors} (${fmt(o.errorRate * 100, ' %')})`],
    ['  POST /api/submissions', String(e.submission.n), fmt(e.submission.p50Ms, ' ms'), fmt(e.submission.p99Ms, ' ms'), '', ''],
    ['  GET /api/rankings/villages', String(e.ranking.n), fmt(e.ranking.p50Ms, ' ms'), fmt(e.ranking.p99Ms, ' ms'), '', ''],
  ];
}

export function resultsMarkdown(r: Results, sections: { title: string; text?: string; table?: string[][] }[]): string {
  const m = r.machine;
  const parts = [
    '# Benchmark results',
    '',
    `Produced by \`${r.command}\` on ${r.date} in ${fmt(r.durationMs / 1000, ' s')}.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${fmt(m.memoryGiB, ' GiB')} RAM, ${m.platform}, Node ${m.node}.`,
    'Timings are medians of several runs unless a table says otherwise; the machine is shared, so expect noise.',
    '',
    '## Targets',
    '',
    markdownTable(targetTable(r.targets)),
    '',
  ];
  for (const s of sections) {
    parts.push(`## ${s.title}`, '');
    if (s.text) parts.push(s.text, '');
    if (s.table) parts.push(markdownTable(s.table), '');
  }
  return `${parts.join('\n').trimEnd()}\n`;
}
