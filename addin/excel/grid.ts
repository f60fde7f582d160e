// Pure: a Grid (shared/types.ts) from what Office.js returns for a range: values, number formats, displayed
// text and merged areas. Grid indexes are sheet indexes (rows[r][c] is the cell at 0-based sheet row r and
// column c), so every address the shared reader produces is the real address on the officer's sheet.
import type { Grid, RawCell } from '../../shared/types.ts';
import { isDateFormat } from '../../shared/sheet/format.ts';
import { cellKey, type Rect } from './address.ts';

/** One block of rows read from Excel: `top`/`left` are the 0-based sheet position of values[0][0]. */
export interface RangeBlock {
  top: number;
  left: number;
  values: unknown[][];
  numberFormat?: unknown[][];
  /** Displayed text, when loaded (the header region). */
  text?: unknown[][];
}

/** Excel serial date (1900 system) → a UTC Date, as ExcelJS gives for a date cell of an .xlsx file. */
export function serialToDate(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86400000));
}

/** A cell value as Office.js returns it → RawCell value, or undefined for a blank cell. */
export function cellValue(v: unknown, numFmt: string | undefined): RawCell['value'] | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'number') {
    if (numFmt && isDateFormat(numFmt) && v > 0 && v < 2958466) return serialToDate(v);
    return v;
  }
  if (typeof v === 'boolean') return v;
  return String(v);
}

export function buildGrid(name: string, blocks: readonly RangeBlock[], merges: readonly Rect[]): Grid {
  const rows: (RawCell | undefined)[][] = [];
  for (const b of blocks) {
    b.values.forEach((vals, i) => {
      const r = b.top + i;
      const row = (rows[r] ??= []);
      vals.forEach((v, j) => {
        const c = b.left + j;
        const f = b.numberFormat?.[i]?.[j];
        const numFmt = typeof f === 'string' && f !== '' && !/^general$/i.test(f) ? f : undefined;
        const value = cellValue(v, numFmt);
        if (value === undefined) return;
        const cell: RawCell = { address: cellKey(r, c), value };
        if (numFmt) cell.numFmt = numFmt;
        const t = b.text?.[i]?.[j];
        // A number too wide for its column displays as ####: that is not its text.
        if (typeof t === 'string' && t !== '' && !/^#+$/.test(t) && !(typeof value === 'string' && t === value)) cell.text = t;
        row[c] = cell;
      });
    });
  }
  for (let r = 0; r < rows.length; r++) rows[r] ??= [];
  return { name, rows, merges: merges.map((m) => ({ ...m })) };
}
