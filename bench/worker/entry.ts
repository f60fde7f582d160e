// Bench-only Worker: DuckDB-WASM inside workerd, exactly as the county Worker uses it (worker/duckdb/db.ts with
// the pre-compiled helper modules, worker/aggregate/duck.ts and sql.ts), behind timing endpoints. Every time
// is measured inside the isolate with performance.now() (workerd advances it around I/O only, so these are
// wall-clock spans of synchronous work). Started by bench/cases/aggregation.ts with `wrangler dev -c
// bench/worker/wrangler.toml`; never deployed. The data are generated here by the same pure generator the
// harness uses (bench/lib/data.ts); the checksum lets the harness confirm both sides ranked the same rows.
//
//   GET  /init                      first call in a fresh isolate: DuckDB cold start (getDuckDB → db.initMs)
//   POST /memory   { villages[] }   wasm memory high-water after ranking villages and townships, sizes ascending
//   POST /aggregate { villages, runs, memoryLimit? }   load (Arrow IPC, CSV), each query, results-to-JS, service path
import { getDuckDB, MEMORY_LIMIT, type DuckDB } from '../../worker/duckdb/db.ts';
import { withTables } from '../../worker/aggregate/duck.ts';
import { rankTownships, rankVillages, townshipTables, villageTables } from '../../worker/aggregate/sql.ts';
import { aggregationInput, type AggregationInput } from '../lib/data.ts';
import { csvColumnsSpec, fingerprint, QUERIES, tableToCsv, type TableSet } from '../lib/tables.ts';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function tablesOf(set: TableSet, d: AggregationInput) {
  return set === 'village' ? villageTables(d.villageRows, d.periods) : townshipTables(d.townshipRows, d.halves, d.observations);
}

let csvSeq = 0;

/** Load every table of a set from CSV text registered as a file (read_csv with explicit column types). */
function loadCsv(db: DuckDB, set: ReturnType<typeof tablesOf>) {
  let encodeMs = 0;
  let loadMs = 0;
  let bytes = 0;
  const made: string[] = [];
  try {
    for (const [key, data] of Object.entries(set)) {
      let t = performance.now();
      const text = tableToCsv(data);
      encodeMs += performance.now() - t;
      bytes += text.length;
      const name = `bench_csv_${++csvSeq}_${key}`;
      t = performance.now();
      db.bindings.registerFileText(`${name}.csv`, text);
      db.conn.query(`CREATE TABLE ${name} AS SELECT * FROM read_csv('${name}.csv', header = true, columns = ${csvColumnsSpec(data)}, buffer_size = 1048576)`);
      loadMs += performance.now() - t;
      made.push(name);
    }
  } finally {
    for (const name of made) {
      db.conn.query(`DROP TABLE IF EXISTS ${name}`);
      db.bindings.dropFile(`${name}.csv`);
    }
  }
  return { encodeMs, loadMs, bytes };
}

async function aggregate(body: { villages: number; runs: number; memoryLimit?: string }) {
  const db = await getDuckDB();
  if (body.memoryLimit) db.conn.query(`SET memory_limit = '${body.memoryLimit.replace(/[^0-9A-Za-z]/g, '')}'`);
  try {
    let t = performance.now();
    const d = aggregationInput(body.villages);
    const generateMs = performance.now() - t;
    const runs = Math.max(1, body.runs);
    const load: Record<TableSet, { arrowEncodeMs: number; arrowInsertMs: number; csvEncodeMs: number; csvLoadMs: number }[]> = { village: [], township: [] };
    const csvBytes: Record<string, number> = {};
    const queries: Record<string, { queryMs: number; toJsMs: number }[]> = {};
    const results: Record<string, string> = {};
    const service: { villagesMs: number; townshipsMs: number }[] = [];
    for (const set of ['village', 'township'] as const) {
      // One untimed warm-up of each path, then `runs` timed samples.
      for (let i = 0; i <= runs; i++) {
        const tables = tablesOf(set, d);
        const arrow = withTables(db, tables, (s) => ({ ...s.timings }));
        const csv = loadCsv(db, tables);
        csvBytes[set] = csv.bytes;
        if (i > 0) load[set].push({ arrowEncodeMs: arrow.encodeMs, arrowInsertMs: arrow.insertMs, csvEncodeMs: csv.encodeMs, csvLoadMs: csv.loadMs });
      }
      // Queries: the tables loaded once, each query run warm-up + `runs` times on them.
      withTables(db, tablesOf(set, d), (s) => {
        for (const q of QUERIES.filter((x) => x.tables === set)) {
          queries[q.id] = [];
          for (let i = 0; i <= runs; i++) {
            const before = { ...s.timings };
            const rows = s.all(q.sql(s.t), q.params);
            if (i === 0) results[q.id] = fingerprint(q.id, rows);
            else queries[q.id]!.push({ queryMs: s.timings.queryMs - before.queryMs, toJsMs: s.timings.extractMs - before.extractMs });
          }
        }
      });
    }
    // The service path (what a ranking request costs after D1): build tables, load, query, read, drop.
    for (let i = 0; i <= runs; i++) {
      t = performance.now();
      rankVillages(db, d.villageRows, d.periods);
      const villagesMs = performance.now() - t;
      t = performance.now();
      rankTownships(db, d.townshipRows, d.halves, d.observations);
      if (i > 0) service.push({ villagesMs, townshipsMs: performance.now() - t });
    }
    return { villages: body.villages, checksum: d.checksum, generateMs, load, csvBytes, queries, results, service, wasmMemoryBytes: db.wasmMemoryBytes(), version: db.version };
  } finally {
    if (body.memoryLimit) db.conn.query(`SET memory_limit = '${MEMORY_LIMIT}'`);
  }
}

/** Ranking villages (two quarters) and townships (four quarters) per size, ascending, at the production
 * memory_limit; wasm memory never shrinks, so each reading is the isolate's high-water mark so far. */
async function memory(body: { villages: number[] }) {
  const db = await getDuckDB();
  const out: { villages: number; rows: number; wasmMemoryBytes: number; ok: boolean; error?: string; ms: number }[] = [];
  for (const n of body.villages) {
    const d = aggregationInput(n);
    const t = performance.now();
    try {
      rankVillages(db, d.villageRows, d.periods);
      rankTownships(db, d.townshipRows, d.halves, d.observations);
      out.push({ villages: n, rows: d.townshipRows.length, wasmMemoryBytes: db.wasmMemoryBytes(), ok: true, ms: performance.now() - t });
    } catch (e) {
      const detail = (e as { detail?: { duckdb?: string } }).detail?.duckdb;
      out.push({ villages: n, rows: d.townshipRows.length, wasmMemoryBytes: db.wasmMemoryBytes(), ok: false, error: detail ?? (e instanceof Error ? e.message : String(e)), ms: performance.now() - t });
      break;
    }
  }
  return { memoryLimit: MEMORY_LIMIT, sizes: out };
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    try {
      if (url.pathname === '/init') {
        const t = performance.now();
        const db = await getDuckDB();
        return json({ initMs: db.initMs, getMs: performance.now() - t, version: db.version, wasmMemoryBytes: db.wasmMemoryBytes() });
      }
      if (url.pathname === '/memory' && request.method === 'POST') return json(await memory((await request.json()) as { villages: number[] }));
      if (url.pathname === '/aggregate' && request.method === 'POST') return json(await aggregate((await request.json()) as { villages: number; runs: number; memoryLimit?: string }));
      return json({ error: 'not found' }, 404);
    } catch (e) {
      return json({ error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) }, 500);
    }
  },
};
