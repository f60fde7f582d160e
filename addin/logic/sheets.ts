// Pure: what the add-in writes, built from a scored sheet with the shared row builders — the cells to colour
// and explain (with the same palette and note lines as the .xlsx output), 考评结果, 整改台账, and the 调查表
// template (templateColumns, columnValidation, headerNote). No Office.js here: the adapter writes these.
import type { Grid, ScoredSheet, RequirementResult, SkippedRequirement, Rulebook } from '../../shared/types.ts';
import { MergeIndex } from '../../shared/sheet/grid.ts';
import { decodeAddress } from '../../shared/sheet/address.ts';
import { noteLines } from '../../shared/output/annotate.ts';
import { STATUS_PALETTE, worstStatus, LEGEND } from '../../shared/output/palette.ts';
import { LEDGER_SHEET, RESULT_SHEET } from '../../shared/output/names.ts';
import { SUMMARY_COLUMNS, SUMMARY_HEADER_ROW, summaryRow, periodsText } from '../../shared/output/summary.ts';
import { LEDGER_COLUMNS, LEDGER_HEADER_ROW, LEDGER_STATES, DEFAULT_DEADLINE_DAYS, ledgerRows } from '../../shared/output/ledger.ts';
import { formatDateTime } from '../../shared/output/format.ts';
import {
  templateColumns,
  columnValidation,
  headerNote,
  TEMPLATE_SHEET,
  TEMPLATE_GROUP_ROW,
  TEMPLATE_HEADER_ROW,
  TEMPLATE_FIRST_DATA_ROW,
  TEMPLATE_DATA_ROWS,
  DEFAULT_TEMPLATE_TITLE,
} from '../../shared/output/template.ts';
import { textWidth } from '../../shared/output/xlsx.ts';
import { cellKey } from '../excel/address.ts';
import type { CellAnnotation, CellScalar, OutputSheet, TemplateSheet, ValidationSpec } from '../excel/types.ts';

/** Which scored cells get a note: every one (as the .xlsx output does) or only those needing action. */
export type NoteScope = 'all' | 'problems';

interface CellEntry {
  results: RequirementResult[];
  skipped: SkippedRequirement[];
}

/** Results grouped by the cell they read; a cell inside a merged area is annotated on the area's top-left cell. */
export function cellEntries(sheet: ScoredSheet, grid: Grid, rows?: ReadonlySet<number>): Map<string, CellEntry> {
  const merges = new MergeIndex(grid.merges);
  const map = new Map<string, CellEntry>();
  const entry = (a: string): CellEntry | undefined => {
    const p = decodeAddress(a);
    if (!p) return undefined;
    const m = merges.master(p.row, p.col);
    const key = cellKey(m.row, m.col);
    let e = map.get(key);
    if (!e) map.set(key, (e = { results: [], skipped: [] }));
    return e;
  };
  for (const v of sheet.villages) {
    if (rows && !rows.has(v.row)) continue;
    for (const r of v.results) if (r.cell) entry(r.cell)?.results.push(r);
    for (const s of v.skipped) if (s.cell) entry(s.cell)?.skipped.push(s);
  }
  return map;
}

/** The cells to colour and explain. `rows` limits them to some 1-based sheet rows (live re-scoring). */
export function annotationCells(sheet: ScoredSheet, grid: Grid, scope: NoteScope = 'problems', rows?: ReadonlySet<number>): CellAnnotation[] {
  const out: CellAnnotation[] = [];
  for (const [address, entry] of cellEntries(sheet, grid, rows)) {
    const status = worstStatus(entry.results.map((r) => r.status));
    const fill = status ? STATUS_PALETTE[status].argb : null;
    const wantNote = scope === 'all' || (status !== undefined && status !== 'pass');
    const lines = wantNote ? noteLines(entry) : null;
    if (!fill && !(lines && lines.length)) continue;
    out.push({ address, fill, lines: lines && lines.length ? lines : null });
  }
  return out;
}

function pad(row: CellScalar[], width: number): CellScalar[] {
  return [...row, ...Array<CellScalar>(Math.max(0, width - row.length)).fill(null)].slice(0, width);
}

/** 1-based sheet row → 0-based row of its line on 考评结果. */
export function summaryRowIndex(sheet: ScoredSheet, row: number): number | undefined {
  const i = sheet.villages.findIndex((v) => v.row === row);
  return i < 0 ? undefined : SUMMARY_HEADER_ROW + i;
}

/** 考评结果: the same rows and legend as the .xlsx output, as one block of values. */
export function resultSheet(sheet: ScoredSheet, rulebookName: string, generatedAt: Date): OutputSheet {
  const width = SUMMARY_COLUMNS.length;
  const values: CellScalar[][] = [
    pad(['村党组织建设考评结果'], width),
    pad([`考评依据：${rulebookName}`], width),
    pad([`考评期次：${periodsText([sheet])}`], width),
    pad([`生成时间：${formatDateTime(generatedAt)}`], width),
    [...SUMMARY_COLUMNS],
  ];
  for (const v of sheet.villages) values.push(pad(summaryRow(sheet, v), width));
  const dataRows = sheet.villages.length;
  values.push(pad([], width));
  values.push(pad(['图例'], width));
  const swatches: OutputSheet['swatches'] = [];
  for (const item of LEGEND) {
    swatches.push({ row: values.length, col: 0, argb: item.argb });
    values.push(pad([item.colour, item.text], width));
  }
  return {
    name: RESULT_SHEET,
    values,
    headerRow: SUMMARY_HEADER_ROW - 1,
    dataRows,
    textColumns: [SUMMARY_COLUMNS.indexOf('区划代码')],
    swatches,
    tabColor: '#4472C4',
    freeze: { rows: SUMMARY_HEADER_ROW, columns: 3 },
  };
}

/** 整改台账: one row per failing (or unreadable) requirement, with blank columns for the officer. */
export function ledgerSheet(sheet: ScoredSheet, rulebookName: string, generatedAt: Date, deadlineDays = DEFAULT_DEADLINE_DAYS): OutputSheet {
  const width = LEDGER_COLUMNS.length;
  const rows = ledgerRows([sheet], deadlineDays);
  const values: CellScalar[][] = [
    pad(['整改台账'], width),
    pad([`考评依据：${rulebookName}\u3000\u3000生成时间：${formatDateTime(generatedAt)}\u3000\u3000整改时限：期末后${deadlineDays}日`], width),
    [...LEDGER_COLUMNS],
  ];
  for (const e of rows) {
    values.push([e.seq, e.village, e.code, e.standard, e.article, e.problem, e.cell, e.period, null, dateSerial(e.deadline), null, e.status]);
  }
  if (!rows.length) values.push(pad(['本次考评未发现未达标项。'], width));
  return {
    name: LEDGER_SHEET,
    values,
    headerRow: LEDGER_HEADER_ROW - 1,
    dataRows: rows.length,
    textColumns: [LEDGER_COLUMNS.indexOf('区划代码')],
    dateColumns: [LEDGER_COLUMNS.indexOf('整改时限')],
    listValidation: { col: LEDGER_COLUMNS.indexOf('状态'), options: [...LEDGER_STATES] },
    tabColor: '#C00000',
    freeze: { rows: LEDGER_HEADER_ROW, columns: 0 },
  };
}

/** A UTC-midnight Date → Excel serial date. */
export function dateSerial(d: Date): number {
  return Math.round(d.getTime() / 86400000) + 25569;
}

/** The template module's validation (ExcelJS shape) in Office.js's vocabulary. */
export function toValidationSpec(v: ReturnType<typeof columnValidation>): ValidationSpec | undefined {
  if (!v) return undefined;
  const f = (x: unknown) => (typeof x === 'number' ? x : typeof x === 'string' ? x : undefined);
  const base: Partial<ValidationSpec> = {};
  if (v.showInputMessage && v.prompt) base.prompt = { title: v.promptTitle ?? '', message: v.prompt };
  if (v.showErrorMessage && v.error) base.error = { style: v.errorStyle === 'warning' ? 'Warning' : 'Stop', title: v.errorTitle ?? '', message: v.error };
  const op = v.operator === 'between' ? 'Between' : v.operator === 'equal' ? 'EqualTo' : 'GreaterThanOrEqualTo';
  switch (v.type) {
    case 'list':
      return { ...base, kind: 'list', options: String(v.formulae[0] ?? '').replace(/^"|"$/g, '').split(',') };
    case 'whole':
      return { ...base, kind: 'whole', operator: op, formula1: f(v.formulae[0]) ?? 0, ...(v.formulae[1] !== undefined ? { formula2: f(v.formulae[1]) } : {}) };
    case 'decimal':
      return { ...base, kind: 'decimal', operator: op, formula1: f(v.formulae[0]) ?? 0, ...(v.formulae[1] !== undefined ? { formula2: f(v.formulae[1]) } : {}) };
    case 'textLength':
      return { ...base, kind: 'textLength', operator: op, formula1: f(v.formulae[0]) ?? 0 };
    case 'custom':
      return { ...base, kind: 'custom', formula1: `=${String(v.formulae[0] ?? 'TRUE')}` };
    default:
      return undefined;
  }
}

/** The 调查表 sheet: title, 填报单位 line, the two-row header (group titles merged over their columns; identity
 * columns span both rows), and per column: the note citing the articles, the dropdown/number check, text format. */
export function templateSheet(rulebook: Pick<Rulebook, 'inputs' | 'articles'>, title = DEFAULT_TEMPLATE_TITLE): TemplateSheet {
  const cols = templateColumns(rulebook.inputs, rulebook.articles);
  const width = cols.length;
  const g = TEMPLATE_GROUP_ROW - 1;
  const h = TEMPLATE_HEADER_ROW - 1;
  const values: CellScalar[][] = [
    pad([title], width),
    pad(['填报单位（盖章）：____________________　　填报人：__________　　联系电话：______________　　填报日期：____年__月__日'], width),
    pad([], width),
    pad([], width),
  ];
  const merges: TemplateSheet['merges'] = [
    { top: 0, bottom: 0, left: 0, right: width - 1 },
    { top: 1, bottom: 1, left: 0, right: width - 1 },
  ];
  let c = 0;
  while (c < width) {
    const col = cols[c]!;
    if (col.identity) {
      values[g]![c] = col.header;
      merges.push({ top: g, bottom: h, left: c, right: c });
      c++;
      continue;
    }
    let end = c;
    while (end + 1 < width && !cols[end + 1]!.identity && cols[end + 1]!.group === col.group) end++;
    values[g]![c] = col.group;
    if (end > c) merges.push({ top: g, bottom: g, left: c, right: end });
    for (let k = c; k <= end; k++) values[h]![k] = cols[k]!.header;
    c = end + 1;
  }
  return {
    name: TEMPLATE_SHEET,
    values,
    headerRow: h,
    dataRows: TEMPLATE_DATA_ROWS,
    firstDataRow: TEMPLATE_FIRST_DATA_ROW - 1,
    merges,
    tabColor: '#4472C4',
    freeze: { rows: TEMPLATE_HEADER_ROW, columns: 2 },
    columns: cols.map((col) => {
      const kind = col.input?.kind ?? (col.identity === 'code' || col.identity === 'orgType' || col.identity === 'unitType' ? col.identity : 'text');
      const validation = toValidationSpec(columnValidation(col));
      return {
        col: col.index - 1,
        note: headerNote(col),
        noteRow: col.identity ? g : h,
        ...(validation ? { validation } : {}),
        text: kind === 'code' || kind === 'date' || kind === 'text',
        width: col.identity === 'code' ? 16 * 7 : col.identity === 'name' ? 18 * 7 : Math.min(16, Math.max(9, Math.ceil(textWidth(col.header) / 2) + 2)) * 7,
      };
    }),
  };
}
