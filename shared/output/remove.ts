// Clearing what kaoping added to a workbook: our fills and notes (restoring the officer's own) and our
// sheets 考评结果, 整改台账 and _kaoping. Also run before every annotation, so a re-run starts clean.
import type { Cell, Fill, Workbook, Worksheet } from 'exceljs';
import { cutOurPart, sameNoteText } from './notes.ts';
import { OUR_SHEETS, STORE_SHEET } from './names.ts';
import { STATUS_PALETTE } from './palette.ts';
import { readStore } from './store.ts';
import { dropFilterDatabaseNames, getCellNote, loadWorkbook, normalizeAddress, removeSheet, saveWorkbook, setCellFill, setCellNote } from './xlsx.ts';

export interface RemovalReport {
  /** Cells whose fill or note we restored. */
  cells: number;
  /** Our sheets that were removed. */
  sheets: string[];
  /** Whether the `_kaoping` record was found (without it, original fills cannot be restored). */
  usedStore: boolean;
}

/** Remove our annotations from an xlsx file. Cell values and everything else are left as they are. */
export async function removeAnnotations(bytes: Uint8Array | ArrayBuffer): Promise<Uint8Array> {
  const wb = await loadWorkbook(bytes);
  stripAnnotations(wb);
  return saveWorkbook(wb);
}

/**
 * Remove our annotations from a loaded workbook.
 * 1. For each cell in the `_kaoping` record: the fill goes back to the recorded original if it is still
 *    ours (same colour); an officer who recoloured the cell since keeps their colour. The note loses
 *    everything from `KAOPING_NOTE_SEPARATOR` on; when what remains is the recorded original's text, the
 *    recorded original (fonts, box settings) is put back exactly.
 * 2. Any other note holding the separator (the record is missing or damaged) loses our part; its fill is
 *    removed when it is one of our palette colours.
 * 3. Our sheets are removed, with defined names pointing at them.
 */
export function stripAnnotations(wb: Workbook): RemovalReport {
  const records = readStore(wb);
  const done = new Set<string>();
  let cells = 0;

  for (const rec of records ?? []) {
    const ws = wb.getWorksheet(rec.sheet);
    if (!ws || OUR_SHEETS.includes(ws.name)) continue;
    const address = normalizeAddress(rec.address);
    const cell = ws.getCell(address);
    done.add(`${ws.name}!${address}`);
    let touched = false;

    if (rec.ourFill !== null && fillArgb(cell.style?.fill) === rec.ourFill.toUpperCase()) {
      setCellFill(cell, rec.originalFill ?? undefined);
      touched = true;
    }
    const cut = cutOurPart(getCellNote(cell));
    if (cut !== null) {
      const original = rec.originalNote ?? undefined;
      setCellNote(cell, original !== undefined && sameNoteText(cut, original) ? original : cut);
      touched = true;
    }
    if (touched) cells++;
  }

  const palette = new Set(Object.values(STATUS_PALETTE).map((p) => p.argb));
  for (const ws of wb.worksheets) {
    if (OUR_SHEETS.includes(ws.name)) continue;
    forEachNotedCell(ws, (cell) => {
      if (done.has(`${ws.name}!${cell.address}`)) return;
      const cut = cutOurPart(getCellNote(cell));
      if (cut === null) return;
      setCellNote(cell, cut);
      const argb = fillArgb(cell.style?.fill);
      if (argb && palette.has(argb)) setCellFill(cell, undefined);
      cells++;
    });
  }

  const sheets = OUR_SHEETS.filter((name) => removeSheet(wb, name));
  dropFilterDatabaseNames(wb);
  return { cells, sheets, usedStore: records !== undefined && sheets.includes(STORE_SHEET) };
}

/** The foreground ARGB of a solid fill, upper-case; undefined for any other fill. */
export function fillArgb(fill: Fill | undefined): string | undefined {
  if (!fill || fill.type !== 'pattern' || fill.pattern !== 'solid') return undefined;
  const argb = fill.fgColor?.argb;
  return typeof argb === 'string' ? argb.toUpperCase() : undefined;
}

function forEachNotedCell(ws: Worksheet, fn: (cell: Cell) => void): void {
  ws.eachRow({ includeEmpty: true }, (row) => {
    row.eachCell({ includeEmpty: true }, (cell) => {
      if (getCellNote(cell) !== undefined) fn(cell);
    });
  });
}
