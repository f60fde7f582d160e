// A fresh xlsx made from grids read from any format (xls, xlsb, ods, SpreadsheetML 2003, an HTML table, CSV, or
// an xlsx the writer cannot load): what is annotated when the original itself cannot be. Values, merges, column
// widths, number formats and hidden sheets are carried over; fonts, fills, borders and formulas are not (a formula
// keeps its calculated value), and the coloured copy says so (copy.ts).
import type { Workbook, Worksheet } from 'exceljs';
import type { SheetCell, SheetGrid } from '../sheet/types.ts';
import { ExcelJS, safeSheetName, textWidth } from './xlsx.ts';

/** Excel error values a cell may hold (SheetJS reads them as #code text). */
const ERROR_VALUES = new Set(['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA']);

export interface RebuiltWorkbook {
  workbook: Workbook;
  /** Grid name → the worksheet name it got (Excel allows 31 characters and no : \ / ? * [ ]). */
  names: Map<string, string>;
}

function uniqueName(wanted: string, taken: Set<string>): string {
  const base = safeSheetName(wanted);
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)}_${i}`;
  taken.add(name.toLowerCase());
  return name;
}

function writeCell(ws: Worksheet, r: number, c: number, cell: SheetCell): void {
  const target = ws.getCell(r + 1, c + 1);
  const v = cell.value;
  if (v === null) return;
  if (typeof v === 'string') {
    if (cell.note?.startsWith('公式结果为错误值') || (cell.note?.startsWith('单元格为错误值') && ERROR_VALUES.has(v))) {
      target.value = { error: v as '#N/A' };
      return;
    }
    // Text stays text: a 12-digit code or 2021.10 typed as text must not become a number in the copy.
    target.value = v;
    target.numFmt = '@';
    return;
  }
  target.value = v;
  if (cell.numFmt) target.numFmt = cell.numFmt;
  else if (v instanceof Date) target.numFmt = 'yyyy-mm-dd';
}

/** Widths from the file where it gave them, else from the longest text of each column (8 to 40 characters). */
function setWidths(ws: Worksheet, grid: SheetGrid): void {
  if (grid.columnWidths?.length) {
    grid.columnWidths.forEach((w, c) => {
      if (w !== undefined) ws.getColumn(c + 1).width = w;
    });
    return;
  }
  const widths: number[] = [];
  for (const row of grid.rows) {
    row?.forEach((cell, c) => {
      if (!cell || cell.value === null) return;
      const text = cell.text ?? String(cell.value);
      const longest = Math.max(...text.split(/\r?\n/).map(textWidth));
      widths[c] = Math.max(widths[c] ?? 0, longest);
    });
  }
  widths.forEach((w, c) => {
    if (w) ws.getColumn(c + 1).width = Math.min(40, Math.max(8, w + 2));
  });
}

/** Build an ExcelJS workbook holding the grids, one worksheet each, in order. */
export function gridsToWorkbook(grids: readonly SheetGrid[]): RebuiltWorkbook {
  const workbook = new ExcelJS.Workbook();
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const grid of grids) {
    const name = uniqueName(grid.name, taken);
    names.set(grid.name, name);
    const ws = workbook.addWorksheet(name);
    grid.rows.forEach((row, r) => row?.forEach((cell, c) => cell && writeCell(ws, r, c, cell)));
    for (const m of grid.merges) ws.mergeCells(m.top + 1, m.left + 1, m.bottom + 1, m.right + 1);
    setWidths(ws, grid);
    if (grid.hidden) ws.state = grid.hidden;
  }
  return { workbook, names };
}
