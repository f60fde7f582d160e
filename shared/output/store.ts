// The record of what we changed: a very hidden sheet `_kaoping` with one row per annotated cell, holding
// the cell's original fill and note as JSON. `removeAnnotations` reads it to restore the officer's
// formatting exactly; without it (someone deleted the sheet) removal falls back to the note separator.
import { decodeRange, encodeAddress } from '../sheet/address.ts';
import type { CellValue, Fill, Workbook } from 'exceljs';
import { STORE_SHEET } from './names.ts';
import type { NoteValue } from './xlsx.ts';

export const STORE_FORMAT = 'kaoping-annotations';
export const STORE_VERSION = 1;

export interface CellRecord {
  sheet: string;
  address: string;
  /** The ARGB of the fill we set, or null when we set none (a note-only cell). */
  ourFill: string | null;
  /** The cell's fill before we touched it (null: none). */
  originalFill: Fill | null;
  /** The cell's note before we touched it (null: none). */
  originalNote: NoteValue | null;
}

/** Excel allows 32,767 characters in a cell; JSON longer than a chunk continues in the next column. */
const CHUNK = 30000;
const FIRST_DATA_ROW = 3;

export function writeStore(wb: Workbook, records: readonly CellRecord[]): void {
  const ws = wb.addWorksheet(STORE_SHEET, { state: 'veryHidden' });
  ws.getCell('A1').value = STORE_FORMAT;
  ws.getCell('B1').value = STORE_VERSION;
  ws.getCell('C1').value = '本表由考评程序生成，记录被标注单元格原有的底色和批注，用于清除标注。请勿修改。';
  ws.getRow(2).values = ['工作表', '单元格', '记录'];
  records.forEach((r, i) => {
    const row = ws.getRow(FIRST_DATA_ROW + i);
    row.getCell(1).value = r.sheet;
    row.getCell(2).value = r.address;
    const json = JSON.stringify({ ourFill: r.ourFill, originalFill: r.originalFill, originalNote: r.originalNote });
    for (let k = 0; k * CHUNK < json.length; k++) row.getCell(3 + k).value = json.slice(k * CHUNK, (k + 1) * CHUNK);
  });
}

/** The text of a cell: LibreOffice re-saves a string mixing Chinese and Latin characters as rich text
 * (one run per script), which ExcelJS reads as { richText: [...] }. */
export function cellString(v: CellValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
  return undefined;
}

/** The records, or undefined when the workbook has no readable store. Unreadable rows are skipped. */
export function readStore(wb: Workbook): CellRecord[] | undefined {
  const ws = wb.getWorksheet(STORE_SHEET);
  if (!ws || cellString(ws.getCell('A1').value) !== STORE_FORMAT) return undefined;
  const out: CellRecord[] = [];
  for (let r = FIRST_DATA_ROW; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const sheet = cellString(row.getCell(1).value);
    const address = cellString(row.getCell(2).value);
    if (!sheet) continue;
    let json = '';
    for (let c = 3; ; c++) {
      const v = cellString(row.getCell(c).value);
      if (!v) break;
      json += v;
    }
    let p: Partial<CellRecord> & { areas?: unknown };
    try {
      p = JSON.parse(json) as Partial<CellRecord> & { areas?: unknown };
    } catch {
      continue; // a damaged row: the note separator still lets removal find our part of that cell
    }
    const ourFill = typeof p.ourFill === 'string' ? p.ourFill : null;
    if (address) {
      out.push({ sheet, address, ourFill, originalFill: p.originalFill ?? null, originalNote: p.originalNote ?? null });
    } else if (typeof p.areas === 'string') {
      // The Excel add-in records cells that had neither a fill nor a note of the officer's as areas
      // ("B5:B900,D5:F900") to keep the record small: expand them to one record per cell.
      for (const area of p.areas.split(',')) {
        const rect = decodeRange(area.trim().replace(/\$/g, ''));
        if (!rect) continue;
        for (let row = rect.top; row <= rect.bottom; row++) {
          for (let col = rect.left; col <= rect.right; col++) {
            out.push({ sheet, address: encodeAddress(row, col), ourFill, originalFill: null, originalNote: null });
          }
        }
      }
    }
  }
  return out;
}
