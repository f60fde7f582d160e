// Case 1: scoring throughput of the shared engine, village rows per second, at county (500), city (5,000) and
// province (45,000) size. Rows hold every input of both standards as officers type them (units in cells,
// 2.5万, √/×, full-width digits: `demoValues(…, { messy: true })`) for the annual period, so every requirement
// is due; twice: plain numbers as number cells with their display text, as the xlsx reader gives them (the key
// figure), and every cell as text, as the CSV reader gives them.
//
// The input is a sheet grid (header row + village rows, as shared/sheet reads a file), held for the whole run.
// Per run, timed separately:
// - read: the village table read column by column (readSheetColumns: header, mapping, period, and the cells
//   dictionary-encoded by extractColumns);
// - decide: the decision engine (shared/scoring/compiled.ts) from those columns to every village's statuses,
//   points, level, veto and stars — value parsing included. `scoreRowsPerSecond` is this step;
// - and, as the reference, the explaining engine (shared/scoring/sheet.ts) on the same table read row by row:
//   every requirement's Chinese sentence for every row. At province size it is run in slices of 5,000 rows
//   (holding 45,000 explained villages at once takes gigabytes; no caller does that).
// The run fails if the two engines' Σ totals differ.
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { parseCountyRulebook } from '../../shared/rulebook/county.ts';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { demoColumns, demoCounty, demoValues } from '../../shared/demo/generate.ts';
import { makePeriod } from '../../shared/scoring/period.ts';
import { prepareEngine, type Engine } from '../../shared/scoring/evaluate.ts';
import { scoreSheetRows, type SheetColumns, type SheetRows } from '../../shared/scoring/sheet.ts';
import { scoreSheetCompact } from '../../shared/scoring/compiled.ts';
import { readSheetColumns, readSheetRows } from '../../shared/score.ts';
import { encodeAddress } from '../../shared/sheet/address.ts';
import { formatDisplay } from '../../shared/sheet/format.ts';
import type { Grid, RawCell } from '../../shared/types.ts';
import { median } from '../lib/load.ts';

export const SCORING_SIZES = ['500', '5000', '45000'] as const;
export type ScoringSize = (typeof SCORING_SIZES)[number];

export interface ScoringDetail {
  rows: number;
  form: CellForm;
  /** Reading the table column by column from the grid (readSheetColumns). */
  readMs: number[];
  readRowsPerSecond: number;
  /** The decision engine from those columns. */
  decisionMs: number[];
  decisionRowsPerSecond: number;
  /** Both steps: n ÷ (median read + median decide). */
  readAndDecideRowsPerSecond: number;
  /** Empty where the reference was not run (text cells at province size: it adds a minute and says nothing new). */
  explainingMs: number[];
  explainingRowsPerSecond: number | null;
  /** decision ÷ explaining throughput. */
  speedup: number | null;
  /** A checksum of the decision results (Σ total cents), equal to the explaining engine's where it ran. */
  totalCentsSum: number;
}

const RUNS = { decision: 5, explaining: 3 };
const SLICE = 5000;

/** How cells arrive: `typed` — plain numbers as number cells with their display text, as the xlsx reader gives
 * them (texts such as 12次, 2.5万, √, 2024.10 stay text); `text` — every cell a string, as the CSV reader gives them. */
export type CellForm = 'text' | 'typed';

/** A cell in the given form, or undefined when empty. */
function benchCell(x: string, form: CellForm, row: number, col: number): RawCell | undefined {
  if (x === '') return undefined;
  const address = encodeAddress(row, col);
  if (form === 'typed' && /^\d+(?:\.\d+)?$/.test(x) && String(Number(x)) === x) {
    const value = Number(x);
    return { address, value, text: formatDisplay(value) };
  }
  return form === 'typed' ? { address, value: x, text: x } : { address, value: x };
}

/** The grid of a generated sheet of `n` villages (deterministic: seed 2026): one header row of input labels,
 * then the village rows. */
export function benchGrid(n: number, form: CellForm = 'text'): Grid {
  const rb = defaultRulebook();
  const perTownship = 20;
  const county = demoCounty({ townships: Math.ceil(n / perTownship), villagesPerTownship: [perTownship, perTownship] });
  const villages = county.townships.flatMap((t) => t.villages).slice(0, n);
  const period = makePeriod('year', 2026);
  const cols = demoColumns(rb);
  const rows: (RawCell | undefined)[][] = [cols.map((c, k) => ({ address: encodeAddress(0, k), value: c.label }))];
  villages.forEach((v, i) => {
    const vals = demoValues(rb, v, period, { messy: true });
    rows.push(cols.map((c, k) => benchCell(vals[c.id] ?? '', form, i + 1, k)));
  });
  return { name: 'bench', rows, merges: [] };
}

const OPTS = { fileName: 'bench.xlsx', period: '2026' };

/** The village table of a bench grid, column by column; fails loudly if a column is not mapped to its input. */
export function benchColumns(engine: Engine, grid: Grid): SheetColumns {
  const s = readSheetColumns(engine, grid, OPTS);
  if ('ignored' in s) throw new Error(`scoring benchmark: the bench grid was not read as a table (${s.ignored})`);
  const want = demoColumns(engine.rulebook).map((c) => c.id);
  const got = s.columns.map((c) => c.input);
  if (want.some((id, k) => got[k] !== id)) throw new Error(`scoring benchmark: columns mapped as ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  if (s.rowNumbers.length !== grid.rows.length - 1) throw new Error(`scoring benchmark: ${s.rowNumbers.length} village rows read of ${grid.rows.length - 1}`);
  return s;
}

function benchRows(engine: Engine, grid: Grid): SheetRows {
  const s = readSheetRows(engine, grid, OPTS);
  if ('ignored' in s) throw new Error(`scoring benchmark: ${s.ignored}`);
  return s;
}

/** A full collection between phases when node runs with --expose-gc (`npm run bench` does), so one phase's
 * garbage is not collected on the next one's clock. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function time(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

export async function benchScoring(): Promise<{ rowsPerSecond: Record<ScoringSize, number>; table: string[][]; details: Record<ScoringSize, Record<CellForm, ScoringDetail>> }> {
  const rb = defaultRulebook();
  const engine = prepareEngine(rb, parseCountyRulebook(example, rb));
  const details = {} as Record<ScoringSize, Record<CellForm, ScoringDetail>>;
  const rowsPerSecond = {} as Record<ScoringSize, number>;
  const table: string[][] = [
    ['villages', 'cells', 'read table (rows/s)', 'decision engine (rows/s)', 'read + decide (rows/s)', 'explaining engine (rows/s)', 'decision ÷ explaining', 'runs'],
  ];
  const perSecond = (n: number, ms: number): number => Math.round((n / ms) * 1000);
  for (const size of SCORING_SIZES) {
    const n = Number(size);
    details[size] = {} as Record<CellForm, ScoringDetail>;
    for (const form of ['typed', 'text'] as const) {
      let grid: Grid | undefined = benchGrid(n, form);
      let sum = 0;
      // Read: the table off the grid, column by column (one warm-up run, then the timed runs).
      let cols = benchColumns(engine, grid);
      const readMs: number[] = [];
      for (let k = 0; k < RUNS.decision; k++) readMs.push(time(() => (cols = benchColumns(engine, grid!))));
      // The reference: the explaining engine on the same table read row by row.
      const explainRuns = n <= SLICE ? RUNS.explaining : form === 'typed' ? 1 : 0;
      let rows = explainRuns ? benchRows(engine, grid) : undefined;
      let explainedSum = 0;
      const explainingMs = Array.from({ length: explainRuns }, () =>
        time(() => {
          explainedSum = 0;
          for (let k = 0; k < n; k += SLICE) {
            const s = scoreSheetRows(engine, { ...rows!, rows: rows!.rows.slice(k, k + SLICE) });
            explainedSum += s.villages.reduce((t, v) => t + Math.round(v.total * 100), 0);
          }
        }),
      );
      // Decide: from the columns, with the grid and the rows released, as the product releases a grid once its
      // table is read (no grid there exceeds SHEET_LIMITS' 250,000 cells; this one holds 5.4 million at
      // province size, and collecting it would be charged to whichever step allocates next).
      grid = undefined;
      rows = undefined;
      collectGarbage();
      scoreSheetCompact(engine, cols);
      const decisionMs: number[] = [];
      for (let k = 0; k < RUNS.decision; k++) {
        decisionMs.push(
          time(() => {
            const c = scoreSheetCompact(engine, cols);
            sum = c.totalCents.reduce((s, x) => s + x, 0);
          }),
        );
      }
      if (explainRuns && explainedSum !== sum) throw new Error(`scoring benchmark: the two engines disagree at ${n} rows (${sum} ≠ ${explainedSum})`);
      const d = perSecond(n, median(decisionMs));
      const rd = perSecond(n, median(readMs) + median(decisionMs));
      const e = explainRuns ? perSecond(n, median(explainingMs)) : null;
      if (form === 'typed') rowsPerSecond[size] = d;
      details[size][form] = {
        rows: n,
        form,
        readMs,
        readRowsPerSecond: perSecond(n, median(readMs)),
        decisionMs,
        decisionRowsPerSecond: d,
        readAndDecideRowsPerSecond: rd,
        explainingMs,
        explainingRowsPerSecond: e,
        speedup: e === null ? null : d / e,
        totalCentsSum: sum,
      };
      const fmtN = (x: number | null): string => (x === null ? '—' : x.toLocaleString('en-US'));
      table.push([
        n.toLocaleString('en-US'),
        form === 'typed' ? 'numbers as numbers (xlsx)' : 'all text (csv)',
        fmtN(details[size][form].readRowsPerSecond),
        fmtN(d),
        fmtN(rd),
        fmtN(e),
        e === null ? '—' : `${(d / e).toFixed(0)}×`,
        `${decisionMs.length} / ${explainingMs.length}`,
      ]);
    }
  }
  return { rowsPerSecond, table, details };
}

// `npx tsx bench/cases/scoring.ts` runs this case alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchScoring();
  for (const row of r.table) console.log(row.join('\t'));
}
