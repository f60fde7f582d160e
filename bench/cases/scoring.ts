// Case 1: scoring throughput of the shared engine, village rows per second, at county (500), city (5,000) and
// province (45,000) size. Rows hold every input of both standards as officers type them (units in cells,
// 2.5万, √/×, full-width digits: `demoValues(…, { messy: true })`) for the annual period, so every requirement
// is due; twice: plain numbers as number cells (an xlsx: the key figure) and every cell as text (a CSV). Timed: from the rows read off a sheet (cells by input) to every village's statuses, points, level,
// veto and stars — value parsing included.
//
// Two engines, measured in the same run on the same rows:
// - decision (shared/scoring/compiled.ts): statuses and points for every row, explanations on demand;
// - explaining (shared/scoring/sheet.ts): every requirement's Chinese sentence for every row — the reference.
//   At province size it is run in slices of 5,000 rows (holding 45,000 explained villages at once takes
//   gigabytes; no caller does that), so its figure there is per-slice throughput.
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { parseCountyRulebook } from '../../shared/rulebook/county.ts';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { demoColumns, demoCounty, demoValues } from '../../shared/demo/generate.ts';
import { makePeriod } from '../../shared/scoring/period.ts';
import { prepareEngine } from '../../shared/scoring/evaluate.ts';
import { scoreSheetRows, type SheetRows } from '../../shared/scoring/sheet.ts';
import { scoreSheetCompact } from '../../shared/scoring/compiled.ts';
import type { ColumnReport, RawCell } from '../../shared/types.ts';
import { median } from '../lib/load.ts';

export const SCORING_SIZES = ['500', '5000', '45000'] as const;
export type ScoringSize = (typeof SCORING_SIZES)[number];

export interface ScoringDetail {
  rows: number;
  form: CellForm;
  decisionMs: number[];
  decisionRowsPerSecond: number;
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

/** How cells arrive: `text` — every cell a string, as in a CSV or a sheet typed as text; `typed` — plain numbers
 * as number cells, as an xlsx holds them (texts such as 12次, 2.5万, √, 2024.10 stay text). */
export type CellForm = 'text' | 'typed';

/** A cell value in the given form. */
function cellValue(x: string, form: CellForm): string | number | null {
  if (x === '') return null;
  if (form === 'typed' && /^\d+(?:\.\d+)?$/.test(x) && String(Number(x)) === x) return Number(x);
  return x;
}

/** The rows of a generated sheet of `n` villages (deterministic: seed 2026). */
export function benchSheet(n: number, form: CellForm = 'text'): SheetRows {
  const rb = defaultRulebook();
  const perTownship = 20;
  const county = demoCounty({ townships: Math.ceil(n / perTownship), villagesPerTownship: [perTownship, perTownship] });
  const villages = county.townships.flatMap((t) => t.villages).slice(0, n);
  const period = makePeriod('year', 2026);
  const cols = demoColumns(rb);
  const columns: ColumnReport[] = cols.map((c, i) => ({ index: i, letter: `C${i}`, header: c.label, input: c.id, confidence: 1, matchedBy: 'exact' }));
  const rows = villages.map((v, r) => {
    const vals = demoValues(rb, v, period, { messy: true });
    const cells: Record<string, RawCell> = {};
    cols.forEach((c, i) => {
      const x = vals[c.id];
      if (x !== undefined) cells[c.id] = { address: `C${i}${r + 3}`, value: cellValue(x, form) };
    });
    return { row: r + 3, cells };
  });
  return { name: 'bench', period, periodSource: 'option', columns, rows, skippedRows: [], headerRows: { top: 1, bottom: 2 } };
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
  const table: string[][] = [['villages', 'cells', 'decision engine (rows/s)', 'explaining engine (rows/s)', 'ratio', 'runs']];
  for (const size of SCORING_SIZES) {
    const n = Number(size);
    details[size] = {} as Record<CellForm, ScoringDetail>;
    for (const form of ['typed', 'text'] as const) {
      let sheet: SheetRows | undefined = benchSheet(n, form);
      let sum = 0;
      // One warm-up run, then the timed runs.
      scoreSheetCompact(engine, sheet);
      const decisionMs = Array.from({ length: RUNS.decision }, () =>
        time(() => {
          const c = scoreSheetCompact(engine, sheet!);
          sum = c.totalCents.reduce((s, x) => s + x, 0);
        }),
      );
      const explainRuns = n <= SLICE ? RUNS.explaining : form === 'typed' ? 1 : 0;
      let explainedSum = 0;
      const explainingMs = Array.from({ length: explainRuns }, () =>
        time(() => {
          explainedSum = 0;
          for (let k = 0; k < n; k += SLICE) {
            const s = scoreSheetRows(engine, { ...sheet!, rows: sheet!.rows.slice(k, k + SLICE) });
            explainedSum += s.villages.reduce((t, v) => t + Math.round(v.total * 100), 0);
          }
        }),
      );
      if (explainRuns && explainedSum !== sum) throw new Error(`scoring benchmark: the two engines disagree at ${n} rows (${sum} ≠ ${explainedSum})`);
      sheet = undefined;
      const d = (n / median(decisionMs)) * 1000;
      const e = explainRuns ? (n / median(explainingMs)) * 1000 : null;
      if (form === 'typed') rowsPerSecond[size] = Math.round(d);
      details[size][form] = {
        rows: n,
        form,
        decisionMs,
        decisionRowsPerSecond: Math.round(d),
        explainingMs,
        explainingRowsPerSecond: e === null ? null : Math.round(e),
        speedup: e === null ? null : d / e,
        totalCentsSum: sum,
      };
      table.push([
        n.toLocaleString('en-US'),
        form === 'typed' ? 'numbers as numbers (xlsx)' : 'all text (csv)',
        Math.round(d).toLocaleString('en-US'),
        e === null ? '—' : Math.round(e).toLocaleString('en-US'),
        e === null ? '—' : `${(d / e).toFixed(1)}×`,
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
