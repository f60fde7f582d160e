// Cases 2 (aggregation) and 3 (memory). The ranking and rate queries of worker/aggregate/sql.ts on the same
// generated data (bench/lib/data.ts) in (a) DuckDB-WASM inside workerd (the bench Worker, bench/worker/entry.ts,
// under `wrangler dev`), (b) native DuckDB through @duckdb/node-api in this process, (c) the plain TypeScript
// reference of the differential test (test/worker/reference.ts). Every engine's result is fingerprinted, and the
// fingerprints must agree, so the times compare the same work.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableData } from '../../worker/aggregate/duck.ts';
import { townshipTables, villageTables } from '../../worker/aggregate/sql.ts';
import { refTownships, refVillages } from '../../test/worker/reference.ts';
import { aggregationInput, SIZES, type AggregationInput, type SizeName } from '../lib/data.ts';
import { columnTypes, csvColumnsSpec, fingerprint, QUERIES, tableToCsv, type QueryId, type TableSet } from '../lib/tables.ts';
import { fmt, median, medianOf, MiB, ratio, round } from '../lib/stats.ts';
import { startBenchWorker, type BenchWorker } from '../lib/wrangler.ts';

export interface QueryTiming {
  queryMs: number;
  toJsMs: number;
}

export interface EngineRun {
  engine: 'duckdb-wasm' | 'duckdb-native' | 'typescript';
  size: SizeName;
  villages: number;
  /** Medians over the runs; per table set (village: 3 tables, township: 4 tables). */
  load: Record<TableSet, { arrowMs: number | null; appenderMs: number | null; csvEncodeMs: number; csvLoadMs: number }> | null;
  queries: Partial<Record<QueryId, QueryTiming>>;
  /** The whole ranking call: tables → load → both queries → JS rows → drop (rankVillages / rankTownships). */
  service: { villagesMs: number | null; townshipsMs: number | null };
  fingerprints: Partial<Record<QueryId, string>>;
  runs: number;
  note?: string;
}

export interface ColdStart {
  samples: number[];
  medianMs: number;
  wasmMemoryAfterInitBytes: number;
  wranglerStartMs: number[];
}

export interface AggregationReport {
  versions: { wasm: string; native: string; duckdbWasmPackage: string };
  cold: { wasm: ColdStart; native: { importMs: number; initMs: number } };
  runs: EngineRun[];
  /** Fingerprints agree across engines, per size and query (null: not all engines ran it). */
  agreement: Record<string, Partial<Record<QueryId, boolean | null>>>;
  ratios: Record<string, { villageRankWasmVsNative: number | null; villageRankWithToJsWasmVsNative: number | null; villageRankWasmVsTs: number | null; townshipRankWasmVsNative: number | null; serviceVillagesWasmVsNative: number | null }>;
  duckdbWasmVsNative: number | null;
  duckdbColdInitMs: number;
}

export interface MemoryReport {
  memoryLimit: string;
  afterInitBytes: number;
  sizes: { villages: number; rows: number; wasmMemoryBytes: number; ok: boolean; error?: string; ms: number }[];
  countyIngestPeakBytes: number | null;
  countyIngestPeakMB: number | null;
  /** Largest size measured whose high-water mark stays under 100 MB (10^8 bytes). */
  largestUnder100MB: number | null;
  /** First size refused (DuckDB Out of Memory at memory_limit), if any. */
  refusedAt: number | null;
}

// ---------------------------------------------------------------------------------------------------------
// (a) DuckDB-WASM inside workerd

interface WasmAggregate {
  villages: number;
  checksum: string;
  load: Record<TableSet, { arrowEncodeMs: number; arrowInsertMs: number; csvEncodeMs: number; csvLoadMs: number }[]>;
  queries: Record<QueryId, QueryTiming[]>;
  results: Record<QueryId, string>;
  service: { villagesMs: number; townshipsMs: number }[];
  wasmMemoryBytes: number;
  version: string;
}

async function post<T>(w: BenchWorker, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${w.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(600_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`bench worker ${path}: HTTP ${res.status}: ${text.slice(0, 2000)}`);
  return JSON.parse(text) as T;
}

async function init(w: BenchWorker): Promise<{ initMs: number; version: string; wasmMemoryBytes: number }> {
  const res = await fetch(`${w.url}/init`, { signal: AbortSignal.timeout(120_000) });
  if (!res.ok) throw new Error(`bench worker /init: HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as { initMs: number; version: string; wasmMemoryBytes: number };
}

function wasmRun(size: SizeName, r: WasmAggregate, runs: number): EngineRun {
  const load = {} as NonNullable<EngineRun['load']>;
  for (const set of ['village', 'township'] as const) {
    const m = medianOf(r.load[set]);
    load[set] = { arrowMs: m.arrowEncodeMs + m.arrowInsertMs, appenderMs: null, csvEncodeMs: m.csvEncodeMs, csvLoadMs: m.csvLoadMs };
  }
  const queries: EngineRun['queries'] = {};
  for (const [id, samples] of Object.entries(r.queries) as [QueryId, QueryTiming[]][]) queries[id] = medianOf(samples);
  const svc = medianOf(r.service);
  return { engine: 'duckdb-wasm', size, villages: r.villages, load, queries, service: { villagesMs: svc.villagesMs, townshipsMs: svc.townshipsMs }, fingerprints: r.results, runs };
}

// ---------------------------------------------------------------------------------------------------------
// (b) native DuckDB

let nativeSeq = 0;

async function createTable(conn: DuckDBConnection, name: string, data: TableData): Promise<void> {
  const cols = Object.entries(columnTypes(data)).map(([n, t]) => `${n} ${t}`);
  await conn.run(`CREATE TABLE ${name} (${cols.join(', ')})`);
}

/** Load a set of tables with the appender (row by row, the node-api's bulk path: it has no Arrow IPC import). */
async function loadAppender(conn: DuckDBConnection, tables: Record<string, TableData>): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const [key, data] of Object.entries(tables)) {
    const name = `kp_native_${++nativeSeq}_${key}`;
    names[key] = name;
    await createTable(conn, name, data);
    const app = await conn.createAppender(name);
    const cols = Object.values(data.columns);
    for (let i = 0; i < data.length; i++) {
      for (const c of cols) {
        if (c.kind === 'utf8') app.appendVarchar(c.values[i]!);
        else app.appendDouble(c.values[i]!);
      }
      app.endRow();
    }
    app.closeSync();
  }
  return names;
}

async function drop(conn: DuckDBConnection, names: Record<string, string>): Promise<void> {
  for (const n of Object.values(names)) await conn.run(`DROP TABLE IF EXISTS ${n}`);
}

async function loadCsvNative(conn: DuckDBConnection, tables: Record<string, TableData>, dir: string) {
  let encodeMs = 0;
  let loadMs = 0;
  const names: Record<string, string> = {};
  for (const [key, data] of Object.entries(tables)) {
    let t = performance.now();
    const text = tableToCsv(data);
    encodeMs += performance.now() - t;
    const name = `kp_native_${++nativeSeq}_${key}`;
    const file = join(dir, `${name}.csv`);
    writeFileSync(file, text);
    t = performance.now();
    await conn.run(`CREATE TABLE ${name} AS SELECT * FROM read_csv('${file}', header = true, columns = ${csvColumnsSpec(data)})`);
    loadMs += performance.now() - t;
    names[key] = name;
  }
  await drop(conn, names);
  return { encodeMs, loadMs };
}

async function runQuery(conn: DuckDBConnection, sql: string, params: readonly number[]) {
  let t = performance.now();
  const reader = await conn.runAndReadAll(sql, params.length ? [...params] : undefined);
  const queryMs = performance.now() - t;
  t = performance.now();
  const rows = reader.getRowObjectsJS();
  return { rows, queryMs, toJsMs: performance.now() - t };
}

async function nativeRun(conn: DuckDBConnection, size: SizeName, d: AggregationInput, runs: number): Promise<EngineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-bench-csv-'));
  try {
    const tablesOf = (set: TableSet) => (set === 'village' ? villageTables(d.villageRows, d.periods) : townshipTables(d.townshipRows, d.halves, d.observations));
    const load = {} as NonNullable<EngineRun['load']>;
    const queries: EngineRun['queries'] = {};
    const fingerprints: EngineRun['fingerprints'] = {};
    for (const set of ['village', 'township'] as const) {
      const samples: { appenderMs: number; csvEncodeMs: number; csvLoadMs: number }[] = [];
      for (let i = 0; i <= runs; i++) {
        const tables = tablesOf(set);
        const t = performance.now();
        const names = await loadAppender(conn, tables);
        const appenderMs = performance.now() - t;
        await drop(conn, names);
        const csv = await loadCsvNative(conn, tables, dir);
        if (i > 0) samples.push({ appenderMs, csvEncodeMs: csv.encodeMs, csvLoadMs: csv.loadMs });
      }
      const m = medianOf(samples);
      load[set] = { arrowMs: null, appenderMs: m.appenderMs, csvEncodeMs: m.csvEncodeMs, csvLoadMs: m.csvLoadMs };
      const names = await loadAppender(conn, tablesOf(set));
      try {
        for (const q of QUERIES.filter((x) => x.tables === set)) {
          const timings: QueryTiming[] = [];
          for (let i = 0; i <= runs; i++) {
            const r = await runQuery(conn, q.sql(names), q.params);
            if (i === 0) fingerprints[q.id] = fingerprint(q.id, r.rows);
            else timings.push({ queryMs: r.queryMs, toJsMs: r.toJsMs });
          }
          queries[q.id] = medianOf(timings);
        }
      } finally {
        await drop(conn, names);
      }
    }
    // The service path, as rankVillages / rankTownships do it: tables → load → queries → JS rows → drop.
    const service: { villagesMs: number; townshipsMs: number }[] = [];
    for (let i = 0; i <= runs; i++) {
      const ms: Record<TableSet, number> = { village: 0, township: 0 };
      for (const set of ['village', 'township'] as const) {
        const t = performance.now();
        const names = await loadAppender(conn, tablesOf(set));
        for (const q of QUERIES.filter((x) => x.tables === set)) await runQuery(conn, q.sql(names), q.params);
        await drop(conn, names);
        ms[set] = performance.now() - t;
      }
      if (i > 0) service.push({ villagesMs: ms.village, townshipsMs: ms.township });
    }
    const svc = medianOf(service);
    return { engine: 'duckdb-native', size, villages: d.villages, load, queries, service: { villagesMs: svc.villagesMs, townshipsMs: svc.townshipsMs }, fingerprints, runs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// (c) the TypeScript reference

/** The reference is written for clarity (it rescans the period's rows for every township), so it grows with
 * townships × rows; at province size the township ranking alone would take about half a minute per run. */
function tsRun(size: SizeName, d: AggregationInput, runs: number): EngineRun {
  const obs = d.observations.map((o) => ({ half: o.half, round: 'bench', township: o.township, scores: [o.cents] }));
  const big = d.villages > 10_000;
  const vRuns = big ? 1 : runs;
  const villages: number[] = [];
  let v = refVillages(d.villageRows, d.periods);
  for (let i = 0; i < vRuns; i++) {
    const t = performance.now();
    v = refVillages(d.villageRows, d.periods);
    villages.push(performance.now() - t);
  }
  const fingerprints: EngineRun['fingerprints'] = { villageRank: fingerprint('villageRank', v.villages as never), villageRates: fingerprint('villageRates', v.rates as never) };
  let townshipsMs: number | null = null;
  if (!big) {
    const towns: number[] = [];
    let tw = refTownships(d.townshipRows, d.halves, obs);
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      tw = refTownships(d.townshipRows, d.halves, obs);
      towns.push(performance.now() - t);
    }
    townshipsMs = median(towns);
    fingerprints.townshipRank = fingerprint('townshipRank', tw as never);
  }
  // refVillages computes the ranking and the rates in one call: reported as the ranking query, rates as part of it.
  return {
    engine: 'typescript',
    size,
    villages: d.villages,
    load: null,
    queries: { villageRank: { queryMs: median(villages), toJsMs: 0 }, ...(townshipsMs === null ? {} : { townshipRank: { queryMs: townshipsMs, toJsMs: 0 } }) },
    service: { villagesMs: median(villages), townshipsMs },
    fingerprints,
    runs: vRuns,
    ...(big ? { note: `one run; township ranking not run at ${d.villages.toLocaleString('en-US')} villages (the reference rescans all rows per township: quadratic)` } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------

export interface DuckdbCaseOptions {
  sizes: readonly SizeName[];
  runs: number;
  /** Fresh isolates for the cold-start median (each is a new `wrangler dev`). */
  coldStarts: number;
  memory: boolean;
  aggregation: boolean;
  /** Memory ladder (villages, ascending). */
  memorySizes: readonly number[];
  log: (s: string) => void;
}

/** The installed @duckdb/duckdb-wasm (its package.json is not in the exports map: resolve a file next to it). */
function wasmPackageVersion(): string {
  const wasmFile = createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm');
  return (JSON.parse(readFileSync(join(dirname(wasmFile), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

export const MEMORY_SIZES = [500, 1000, 2000, 5000, 10000, 15000, 20000, 30000, 45000];

/** Runs cases 2 and 3 with one bench Worker (plus fresh ones for more cold-start samples). The memory ladder
 * runs first in the fresh isolate (wasm memory only grows), then the aggregation timings. */
export async function benchDuckdb(opts: DuckdbCaseOptions): Promise<{ aggregation: AggregationReport | null; memory: MemoryReport | null }> {
  const starts: number[] = [];
  const colds: number[] = [];
  let afterInit = 0;
  let wasmVersion = '';
  let w = await startBenchWorker();
  starts.push(w.startMs);
  let memory: MemoryReport | null = null;
  const wasm = new Map<SizeName, WasmAggregate>();
  try {
    const first = await init(w);
    colds.push(first.initMs);
    afterInit = first.wasmMemoryBytes;
    wasmVersion = first.version;
    opts.log(`  duckdb-wasm ${first.version} cold start ${fmt(first.initMs, ' ms')} (wrangler dev up in ${fmt(w.startMs, ' ms')})`);
    if (opts.memory) {
      const m = await post<{ memoryLimit: string; sizes: MemoryReport['sizes'] }>(w, '/memory', { villages: opts.memorySizes });
      const county = m.sizes.find((s) => s.villages === SIZES.county && s.ok);
      const under = m.sizes.filter((s) => s.ok && s.wasmMemoryBytes < 100e6);
      const refused = m.sizes.find((s) => !s.ok);
      memory = {
        memoryLimit: m.memoryLimit,
        afterInitBytes: afterInit,
        sizes: m.sizes,
        countyIngestPeakBytes: county?.wasmMemoryBytes ?? null,
        countyIngestPeakMB: county ? round(county.wasmMemoryBytes / MiB) : null,
        largestUnder100MB: under.length ? under[under.length - 1]!.villages : null,
        refusedAt: refused?.villages ?? null,
      };
      for (const s of m.sizes) opts.log(`  memory ${s.villages} villages: ${s.ok ? `${fmt(s.wasmMemoryBytes / MiB, ' MiB')}` : `refused (${s.error?.split('\n')[0]})`}`);
    }
    if (opts.aggregation) {
      for (const size of opts.sizes) {
        // Above a county, DuckDB's production memory_limit (64 MiB) refuses the township ranking; the timing
        // comparison raises it (the memory case keeps the production limit).
        const r = await post<WasmAggregate>(w, '/aggregate', { villages: SIZES[size], runs: opts.runs, ...(size === 'county' ? {} : { memoryLimit: '3GiB' }) });
        wasm.set(size, r);
        opts.log(`  duckdb-wasm ${size}: village ranking ${fmt(median(r.queries.villageRank.map((x) => x.queryMs)), ' ms')}`);
      }
    }
  } finally {
    await w.stop();
  }
  for (let i = 1; i < opts.coldStarts; i++) {
    w = await startBenchWorker();
    starts.push(w.startMs);
    try {
      colds.push((await init(w)).initMs);
    } finally {
      await w.stop();
    }
  }
  if (!opts.aggregation) return { aggregation: null, memory };

  // Native DuckDB: module import and first instance are its cold start.
  let t = performance.now();
  const { DuckDBInstance, version } = await import('@duckdb/node-api');
  const importMs = performance.now() - t;
  t = performance.now();
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  await conn.run('SELECT 1');
  const nativeInitMs = performance.now() - t;
  const runs: EngineRun[] = [];
  try {
    for (const size of opts.sizes) {
      const d = aggregationInput(SIZES[size], size);
      const w8 = wasm.get(size)!;
      if (w8.checksum !== d.checksum) throw new Error(`bench worker generated different data at ${size}: ${w8.checksum} ≠ ${d.checksum}`);
      runs.push(wasmRun(size, w8, opts.runs));
      runs.push(await nativeRun(conn, size, d, opts.runs));
      opts.log(`  duckdb-native ${size}: village ranking ${fmt(runs.at(-1)!.queries.villageRank?.queryMs, ' ms')}`);
      runs.push(tsRun(size, d, opts.runs));
      opts.log(`  typescript ${size}: village ranking ${fmt(runs.at(-1)!.queries.villageRank?.queryMs, ' ms')}`);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }

  const agreement: AggregationReport['agreement'] = {};
  const ratios: AggregationReport['ratios'] = {};
  for (const size of opts.sizes) {
    const of = (e: EngineRun['engine']) => runs.find((r) => r.size === size && r.engine === e)!;
    const [a, b, c] = [of('duckdb-wasm'), of('duckdb-native'), of('typescript')];
    agreement[size] = {};
    for (const q of QUERIES) {
      const fps = [a, b, c].map((r) => r.fingerprints[q.id]).filter((x): x is string => x !== undefined);
      agreement[size]![q.id] = fps.length < 2 ? null : fps.every((x) => x === fps[0]);
    }
    const wq = a.queries.villageRank!;
    const nq = b.queries.villageRank!;
    ratios[size] = {
      villageRankWasmVsNative: round(ratio(wq.queryMs, nq.queryMs)),
      villageRankWithToJsWasmVsNative: round(ratio(wq.queryMs + wq.toJsMs, nq.queryMs + nq.toJsMs)),
      villageRankWasmVsTs: round(ratio(wq.queryMs + wq.toJsMs, c.queries.villageRank?.queryMs)),
      townshipRankWasmVsNative: round(ratio(a.queries.townshipRank?.queryMs, b.queries.townshipRank?.queryMs)),
      serviceVillagesWasmVsNative: round(ratio(a.service.villagesMs, b.service.villagesMs)),
    };
  }
  const key = opts.sizes.includes('county') ? 'county' : opts.sizes[0]!;
  return {
    aggregation: {
      versions: { wasm: wasmVersion, native: `v${version().replace(/^v/, '')}`, duckdbWasmPackage: `@duckdb/duckdb-wasm ${wasmPackageVersion()}` },
      cold: { wasm: { samples: colds, medianMs: median(colds), wasmMemoryAfterInitBytes: afterInit, wranglerStartMs: starts }, native: { importMs, initMs: nativeInitMs } },
      runs,
      agreement,
      ratios,
      duckdbWasmVsNative: ratios[key]?.villageRankWasmVsNative ?? null,
      duckdbColdInitMs: median(colds),
    },
    memory,
  };
}
