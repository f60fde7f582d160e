// Small pure helpers for the benchmark report: medians of timing samples, ratios, rounding, target verdicts
// and the text tables. Tested in test/bench/harness.test.ts.
import { median } from './load.ts';

export { median };

/** Median of each numeric field over several samples of the same shape. */
export function medianOf<K extends string>(samples: readonly Record<K, number>[]): Record<K, number> {
  const out = {} as Record<K, number>;
  if (samples.length === 0) return out;
  for (const k of Object.keys(samples[0]!) as K[]) out[k] = median(samples.map((s) => s[k]));
  return out;
}

/** a ÷ b, or null when either is missing or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}

/** Round for the report: 3 significant digits below 100, integers above. */
export function round(x: number | null | undefined): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  if (Math.abs(x) >= 100) return Math.round(x);
  if (x === 0) return 0;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A number for a table cell ("—" when missing), with thousands separators. */
export function fmt(x: number | null | undefined, unit = ''): string {
  const r = round(x);
  if (r === null) return '—';
  return `${r.toLocaleString('en-US', { maximumFractionDigits: 3 })}${unit}`;
}

export const MiB = 1048576;

export interface Target {
  what: string;
  /** The target as written in the issue. */
  target: string;
  measured: string;
  /** measured ÷ limit for "at most" targets, limit ÷ measured for "at least" ones: ≤ 1 means met. */
  ratio: number | null;
  met: boolean | null;
}

/** An "at most `limit`" target: met when measured ≤ limit; the ratio is measured ÷ limit. */
export function atMost(what: string, target: string, measured: number | null, limit: number, unit = ''): Target {
  const r = ratio(measured, limit);
  return { what, target, measured: fmt(measured, unit), ratio: round(r), met: r === null ? null : r <= 1 };
}

/** An "at least `limit`" target: met when measured ≥ limit; the ratio is limit ÷ measured (≤ 1 means met). */
export function atLeast(what: string, target: string, measured: number | null, limit: number, unit = ''): Target {
  const r = measured === null ? null : ratio(limit, measured);
  return { what, target, measured: fmt(measured, unit), ratio: round(r), met: r === null ? null : r <= 1 };
}

export function verdict(t: Target): string {
  return t.met === null ? 'not measured' : t.met ? 'met' : 'missed';
}

/** A Markdown table (first row: header). Cells are escaped for pipes. */
export function markdownTable(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const [head, ...body] = rows;
  return [`| ${head!.map(esc).join(' | ')} |`, `|${head!.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

/** A plain-text table for the terminal: columns padded to their widest cell (CJK counted as two columns). */
export function textTable(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const n = Math.max(...rows.map((r) => r.length));
  const w = Array.from({ length: n }, (_, c) => Math.max(...rows.map((r) => width(r[c] ?? ''))));
  const line = (r: readonly string[]) => r.map((s, c) => s + ' '.repeat(w[c]! - width(s))).join('  ').trimEnd();
  return [line(rows[0]!), w.map((x) => '-'.repeat(x)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
