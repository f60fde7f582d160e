// The officer's workbook for the task-pane tests: the demo county's first township (东风镇, 410999100 — its
// 区划代码 are in the Worker's demo D1), period 2026Q3, messy values (units in cells, full-width digits, √/×),
// laid out exactly as shared/demo/workbook.ts writes it (title, 填报单位 line, two-row merged header, the
// village rows, a 合计 row, the 填表人 line) — generated with that module and read back with ExcelJS — plus
// the officer's own fills and notes. Also: the same scoring the pane does, computed here for expectations.
import ExcelJS from 'exceljs';
import type { InputDef, Rulebook, ScoredSheet } from '../../shared/types.ts';
import { demoColumns, demoCounty, demoValues, type DemoVillage } from '../../shared/demo/generate.ts';
import { demoWorkbook } from '../../shared/demo/workbook.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { parseCountyRulebook } from '../../shared/rulebook/county.ts';
import { prepareEngine, type Engine } from '../../shared/scoring/evaluate.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import { readSheetRows } from '../../shared/score.ts';
import { scoreSheetRows, type SheetRows } from '../../shared/scoring/sheet.ts';
import { columnLetter } from '../../shared/sheet/address.ts';
import { buildGrid } from '../../addin/excel/grid.ts';
import { parseRef } from '../addin/excel-double.ts';
import countyExample from '../../shared/rulebook/county-example.json' with { type: 'json' };
import type { CellSpec, SheetSpec, WorkbookSpec } from './taskpane-model.ts';

export const PERIOD = parsePeriodLabel('2026Q3')!;
export const DEMO = demoCounty({ countyCode: '410999', name: '示例县', townships: 6 });
export const TOWNSHIP = DEMO.townships[0]!;
export const OTHER_TOWNSHIP = DEMO.townships[1]!;
/** The officer's tab for the township sheet. */
export const SHEET = '东风镇';
export const FIRST_ROW = 5;

/** The officer's own marks, which the add-in must give back exactly (set on top of the demo layout). */
export const OFFICER = {
  /** An unscored cell (村名) the officer highlighted. */
  nameFill: { address: `B${FIRST_ROW}`, fill: { color: '#FFFF00', pattern: 'Solid' } },
  /** The officer's note on an unscored cell. */
  nameNote: { address: `B${FIRST_ROW + 2}`, text: '村委会换届后更新' },
} as const;

export const rulebook: Rulebook = defaultRulebook();
export const columns: InputDef[] = demoColumns(rulebook);

/** The sheet column letter of an input on the demo layout (A = 区划代码). */
export function letterOf(inputId: string): string {
  const i = columns.findIndex((c) => c.id === inputId);
  if (i < 0) throw new Error(`no column for ${inputId}`);
  return columnLetter(i);
}

/** The township's villages, extended with made-up ones (codes 410999100200+i) for larger sheets. */
export function villages(n = TOWNSHIP.villages.length): DemoVillage[] {
  const out: DemoVillage[] = [];
  for (let i = 0; i < n; i++) {
    const base = TOWNSHIP.villages[i % TOWNSHIP.villages.length]!;
    out.push(i < TOWNSHIP.villages.length ? base : { ...base, code: `${TOWNSHIP.code}${String(200 + i).padStart(3, '0')}`, name: `${base.name.slice(0, -1)}${i + 1}村` });
  }
  return out;
}

export interface OfficerBook {
  spec: WorkbookSpec;
  /** The raw texts per village row (row FIRST_ROW + i). */
  values: Record<string, string>[];
  villages: DemoVillage[];
  /** A scored cell carrying the officer's own fill and note (activity area of the second village). */
  scoredMark: { address: string; fill: { color: string; pattern: string }; note: string };
}

function argbToHex(argb: string | undefined): string | undefined {
  return argb && /^[0-9A-F]{8}$/i.test(argb) ? `#${argb.slice(2).toUpperCase()}` : undefined;
}

async function sheetsFromXlsx(bytes: Uint8Array, rename: Record<string, string>): Promise<SheetSpec[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: SheetSpec[] = [];
  wb.eachSheet((ws) => {
    const cells: Record<string, CellSpec> = {};
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (cell.isMerged && cell.master.address !== cell.address) return;
        const v = cell.value;
        const value = typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : v === null || v === undefined ? '' : String(v);
        const fill = cell.fill && cell.fill.type === 'pattern' && cell.fill.pattern === 'solid' ? argbToHex(cell.fill.fgColor?.argb) : undefined;
        if (value === '' && !fill) return;
        cells[cell.address] = { v: value, ...(fill ? { fill: { color: fill, pattern: 'Solid' } } : {}) };
      });
    });
    out.push({ name: rename[ws.name] ?? ws.name, cells, merges: [...((ws.model as { merges?: string[] }).merges ?? [])], notes: {} });
  });
  return out;
}

/**
 * The officer's workbook with `n` villages (default: the township's 11). `edit` may change a village's raw
 * texts before the sheet is written (e.g. a 区划代码 of another township). ExcelApi version for the double.
 */
export async function officerBook(opts: { n?: number; edit?: (values: Record<string, string>[]) => void; version?: string } = {}): Promise<OfficerBook> {
  const vs = villages(opts.n);
  const values = vs.map((v) => demoValues(rulebook, v, PERIOD, { messy: true }));
  opts.edit?.(values);
  const bytes = await demoWorkbook({ rulebook, columns, county: DEMO.name, township: TOWNSHIP.name, period: PERIOD, rows: values });
  const sheets = await sheetsFromXlsx(bytes, { 调查表: SHEET });
  const sheet = sheets.find((s) => s.name === SHEET)!;
  // The officer's own marks: a highlighted village name, a note on another name, and on a scored cell (the
  // activity area of the second village) a fill and a note of their own.
  const mark = (address: string, fill: { color: string; pattern: string }) => {
    const c = (sheet.cells[address] ??= { v: '' });
    c.fill = { ...fill };
  };
  mark(OFFICER.nameFill.address, OFFICER.nameFill.fill);
  sheet.notes[OFFICER.nameNote.address] = OFFICER.nameNote.text;
  const scoredMark = { address: `${letterOf('activityArea')}${FIRST_ROW + 1}`, fill: { color: '#FCE4D6', pattern: 'Solid' }, note: '请核实面积（含文化广场）' };
  mark(scoredMark.address, scoredMark.fill);
  sheet.notes[scoredMark.address] = scoredMark.note;
  return { spec: { sheets, active: SHEET, settings: {}, options: { version: opts.version ?? '1.18', platform: 'OfficeOnline' } }, values, villages: vs, scoredMark };
}

/** A workbook with one empty sheet (an officer who opened the pane on a blank workbook). */
export function emptyBook(): WorkbookSpec {
  return { sheets: [{ name: 'Sheet1', cells: {}, merges: [], notes: {} }], active: 'Sheet1', settings: {}, options: { version: '1.18', platform: 'OfficeOnline' } };
}

/** The engine the pane uses: the default standards, or with the county's rulebook (the demo county's). */
export function engineFor(source: 'default' | 'county'): Engine {
  return source === 'county' ? prepareEngine(rulebook, parseCountyRulebook(countyExample, rulebook)) : prepareEngine(rulebook);
}

/** The same reading and scoring the pane does on a sheet of the spec, straight from the shared engine. */
export function scoreSpec(spec: WorkbookSpec, engine: Engine, name = SHEET): { rows: SheetRows; scored: ScoredSheet } {
  const s = spec.sheets.find((x) => x.name === name)!;
  let bottom = 0;
  let right = 0;
  for (const a of Object.keys(s.cells)) {
    const r = parseRef(a)!.rect;
    bottom = Math.max(bottom, r.top);
    right = Math.max(right, r.left);
  }
  const values: unknown[][] = Array.from({ length: bottom + 1 }, () => Array<unknown>(right + 1).fill(''));
  const formats: unknown[][] = Array.from({ length: bottom + 1 }, () => Array<unknown>(right + 1).fill('General'));
  for (const [a, c] of Object.entries(s.cells)) {
    const r = parseRef(a)!.rect;
    values[r.top]![r.left] = c.v;
    formats[r.top]![r.left] = c.f ?? 'General';
  }
  const grid = buildGrid(name, [{ top: 0, left: 0, values, numberFormat: formats }], s.merges.map((m) => parseRef(m)!.rect));
  const rows = readSheetRows(engine, grid, { fileName: name });
  if ('ignored' in rows) throw new Error(rows.ignored);
  return { rows, scored: scoreSheetRows(engine, rows) };
}
