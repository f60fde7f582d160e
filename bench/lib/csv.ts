// The aggregation tables as CSV and as SQL column types, and fingerprints of query results so the harness can
// check that DuckDB-WASM, native DuckDB and the TypeScript reference computed the same ranking. Pure, and free of
// Worker imports (TableData is matched structurally), so test/bench can test it under the root project.

export type QueryId = 'villageRank' | 'villageRates' | 'townshipRank';

/** Structurally worker/aggregate/duck.ts TableData. */
export interface BenchTable {
  columns: Record<string, { kind: 'utf8'; values: readonly string[] } | { kind: 'float64'; values: Float64Array }>;
  length: number;
}

/** SQL column types, as duckdb-wasm creates them from the Arrow IPC (utf8 → VARCHAR, float64 → DOUBLE). */
export function columnTypes(data: BenchTable): Record<string, 'VARCHAR' | 'DOUBLE'> {
  return Object.fromEntries(Object.entries(data.columns).map(([name, c]) => [name, c.kind === 'utf8' ? 'VARCHAR' : 'DOUBLE']));
}

/** `{'a': 'VARCHAR', …}` for read_csv(columns = …). Column names are our own identifiers. */
export function csvColumnsSpec(data: BenchTable): string {
  return `{${Object.entries(columnTypes(data))
    .map(([n, t]) => `'${n}': '${t}'`)
    .join(', ')}}`;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table as CSV text with a header line (RFC 4180 quoting). */
export function tableToCsv(data: BenchTable): string {
  const names = Object.keys(data.columns);
  const cols = names.map((n) => data.columns[n]!);
  const lines: string[] = [names.join(',')];
  for (let i = 0; i < data.length; i++) {
    let line = '';
    for (let c = 0; c < cols.length; c++) {
      const col = cols[c]!;
      if (c) line += ',';
      line += col.kind === 'utf8' ? csvField(col.values[i]!) : String(col.values[i]!);
    }
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const MOD = 2147483647;

/** A number that changes when any rank, previous rank, bottom flag or rate in the result changes. Accepts the
 * SQL's snake_case rows (wasm: numbers, native: bigints) and the reference's camelCase objects alike. */
export function fingerprint(id: QueryId, rows: readonly Record<string, unknown>[]): string {
  let h = 0;
  const pick = (r: Record<string, unknown>, snake: string, camel: string) => num(r[snake] ?? r[camel]);
  for (const r of rows) {
    let x: number;
    if (id === 'villageRank') {
      x = pick(r, 'rank', 'rank') * 31 + pick(r, 'county_rank', 'countyRank') * 7 + pick(r, 'previous_rank', 'previousRank') * 3 + (r.is_last ?? r.isLast ? 1 : 0) + (r.in_bottom_group ?? r.inBottomGroup ? 2 : 0);
    } else if (id === 'villageRates') {
      x = pick(r, 'pass_count', 'passCount') * 13 + pick(r, 'demo_count', 'demoCount') * 5 + pick(r, 'villages', 'villages');
    } else {
      x = pick(r, 'score_cents', 'scoreCents') * 17 + pick(r, 'rank', 'rank') * 11 + pick(r, 'pass_count', 'passCount') * 5 + pick(r, 'previous_rank', 'previousRank');
    }
    h = (h + (x % MOD)) % MOD;
  }
  return `${rows.length}:${h}`;
}
