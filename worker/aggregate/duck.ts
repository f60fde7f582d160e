// Running SQL on the isolate's one DuckDB connection: load typed columns as Arrow IPC into tables with
// generated names, query, read results column-wise, and drop the tables, all synchronously (the blocking
// API), so two requests never interleave on the connection. No user string is ever spliced into SQL:
// the only names substituted are the generated table names; values travel as table data or bound
// parameters.
import type { DuckDB } from '../duckdb/db.ts';
import { columnsToArrowIPC, type ColumnValues } from '../duckdb/arrow-ipc.ts';
import { ApiError } from '../errors.ts';

export interface TableData {
  columns: Record<string, ColumnValues>;
  length: number;
}

export interface RunTimings {
  /** Building Arrow IPC from the typed arrays. */
  encodeMs: number;
  /** insertArrowFromIPCStream. */
  insertMs: number;
  queryMs: number;
  /** Arrow result → JS rows. */
  extractMs: number;
}

export type Row = Record<string, unknown>;

let seq = 0;

/** Table names: `kp_<isolate sequence>_<key>`; keys are fixed identifiers from our code, checked here. */
function tableName(key: string): string {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(key)) throw new Error(`bad table key ${key}`);
  return `kp_${++seq}_${key}`;
}

export interface Session {
  /** Generated table name per key. */
  readonly t: Record<string, string>;
  /** Run a query (with bound parameters when given) and return its rows as plain objects. */
  all(sql: string, params?: readonly (string | number | boolean | null)[]): Row[];
  readonly timings: RunTimings;
}

/**
 * Load `tables`, run `fn` with their generated names, drop them. Synchronous on purpose: nothing else
 * can use the connection while it runs.
 */
export function withTables<T>(db: DuckDB, tables: Record<string, TableData>, fn: (s: Session) => T): T {
  const timings: RunTimings = { encodeMs: 0, insertMs: 0, queryMs: 0, extractMs: 0 };
  const names: Record<string, string> = {};
  const created: string[] = [];
  try {
    for (const [key, data] of Object.entries(tables)) {
      const name = tableName(key);
      names[key] = name;
      let t = performance.now();
      const ipc = columnsToArrowIPC(data.columns, data.length);
      timings.encodeMs += performance.now() - t;
      t = performance.now();
      if (data.length === 0) {
        // An empty Arrow stream creates no table in duckdb-wasm; create it from the schema instead.
        db.conn.query(`CREATE TABLE ${name} AS SELECT ${emptyRow(data)} WHERE false`);
      } else {
        db.conn.insertArrowFromIPCStream(ipc, { name, create: true });
      }
      created.push(name);
      timings.insertMs += performance.now() - t;
    }
    const session: Session = {
      t: names,
      timings,
      all(sql, params) {
        let t = performance.now();
        let table;
        if (params?.length) {
          const stmt = db.conn.prepare(sql);
          try {
            table = stmt.query(...params);
          } finally {
            stmt.close();
          }
        } else {
          table = db.conn.query(sql);
        }
        timings.queryMs += performance.now() - t;
        t = performance.now();
        const rows = toRows(table);
        timings.extractMs += performance.now() - t;
        return rows;
      },
    };
    return fn(session);
  } catch (e) {
    // DuckDB refuses work beyond its memory_limit (64 MiB) rather than growing the isolate past 128 MB.
    if (e instanceof Error && /Out of Memory/i.test(e.message)) {
      throw new ApiError(503, 'too_much_data', '本次统计的数据量超出分析内存上限，请缩小范围（如减少期次）后重试', { duckdb: e.message });
    }
    throw e;
  } finally {
    for (const name of created) {
      try {
        db.conn.query(`DROP TABLE IF EXISTS ${name}`);
      } catch {
        // keep dropping the others
      }
    }
  }
}

/** A typed row of placeholders (never matched) for an empty table. */
function emptyRow(data: TableData): string {
  return Object.entries(data.columns)
    .map(([col, c]) => `${c.kind === 'utf8' ? "''" : 'CAST(0 AS DOUBLE)'} AS ${quoteIdent(col)}`)
    .join(', ');
}

function quoteIdent(col: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(col)) throw new Error(`bad column ${col}`);
  return col;
}

interface ArrowLike {
  numRows: number;
  schema: { fields: { name: string }[] };
  getChild(name: string): { get(i: number): unknown } | null;
}

function toRows(table: ArrowLike): Row[] {
  const n = table.numRows;
  const cols = table.schema.fields.map((f) => [f.name, table.getChild(f.name)!] as const);
  const rows: Row[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r: Row = {};
    for (const [name, vec] of cols) {
      const v = vec.get(i);
      r[name] = v === undefined ? null : v;
    }
    rows[i] = r;
  }
  return rows;
}

/** Helpers to build columns. */
export const col = {
  utf8: (values: readonly string[]): ColumnValues => ({ kind: 'utf8', values }),
  num: (values: readonly number[]): ColumnValues => ({ kind: 'float64', values: Float64Array.from(values) }),
};
