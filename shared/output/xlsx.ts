// Thin helpers over ExcelJS shared by the output modules. Pure: no Node built-ins (the browser page uses
// ExcelJS's browser build through the same import).
import ExcelJS from 'exceljs';
import type { Cell, Comment, Fill, Workbook } from 'exceljs';
import { checkFileSize } from '../sheet/limits.ts';
import { guardXlsx } from '../sheet/zip-guard.ts';

export { ExcelJS };

/** A cell note as ExcelJS holds it: plain text, or rich text with fonts and box settings. */
export type NoteValue = string | Comment;

/**
 * Load an xlsx with ExcelJS, keeping notes on blank cells. Excel (and ExcelJS itself) write no <c>
 * element for a blank, unformatted cell, and ExcelJS 4.4 attaches a note only to a cell it read from
 * <sheetData>, so such notes would be lost. The hook below adds an empty cell for every note whose cell
 * is absent, just before ExcelJS reconciles the parts it read (a private step, guarded: if ExcelJS
 * changes shape, loading proceeds as before). The zip guard (shared/sheet/zip-guard.ts) runs first.
 */
export async function loadWorkbook(bytes: Uint8Array | ArrayBuffer): Promise<Workbook> {
  // The same zip guard as the reader (sizes, ratios, headers, element counts), with data validations counted:
  // they are loaded here, to be written back. Throws SheetError.
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  checkFileSize(view);
  await guardXlsx(view, { validations: true });
  const wb = new ExcelJS.Workbook();
  const xlsx = wb.xlsx as unknown as { reconcile?: (model: unknown, options: unknown) => void };
  const reconcile = xlsx.reconcile;
  if (typeof reconcile === 'function') {
    xlsx.reconcile = (model: unknown, options: unknown) => {
      try {
        addCellsForNotes(model as LoadModel);
      } catch {
        // leave the model as ExcelJS read it
      }
      reconcile.call(wb.xlsx, model, options);
    };
  }
  // ExcelJS types ask for its own Buffer (an ArrayBuffer); JSZip underneath accepts any Uint8Array.
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

interface LoadModel {
  worksheets?: { sheetNo?: string; rows?: ({ number: number; cells?: { address?: string }[] } | undefined)[] }[];
  worksheetRels?: Record<string, { Type?: string; Target?: string }[] | undefined>;
  comments?: Record<string, { comments?: { ref?: string }[] } | undefined>;
}

function addCellsForNotes(model: LoadModel): void {
  for (const ws of model.worksheets ?? []) {
    const rels = (ws.sheetNo !== undefined ? model.worksheetRels?.[ws.sheetNo] : undefined) ?? [];
    const rel = rels.find((r) => typeof r.Type === 'string' && r.Type.endsWith('/comments'));
    const comments = rel?.Target ? (model.comments?.[rel.Target]?.comments ?? []) : [];
    if (!comments.length) continue;
    const rows = (ws.rows ??= []);
    for (const c of comments) {
      const m = /^([A-Z]{1,3})(\d+)$/.exec(normalizeAddress(c.ref ?? ''));
      if (!m) continue;
      const address = `${m[1]}${m[2]}`;
      const number = Number(m[2]);
      let row = rows.find((r) => r?.number === number);
      if (!row) {
        row = { number, cells: [] };
        rows.push(row);
      }
      const cells = (row.cells ??= []);
      if (!cells.some((x) => x.address && normalizeAddress(x.address) === address)) cells.push({ address, type: 0 } as { address: string });
    }
    rows.sort((a, b) => (a?.number ?? 0) - (b?.number ?? 0));
  }
}

export async function saveWorkbook(wb: Workbook): Promise<Uint8Array> {
  const out: unknown = await wb.xlsx.writeBuffer();
  if (out instanceof Uint8Array) return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  return new Uint8Array(out as ArrayBuffer);
}

/** A deep copy of JSON-like data (fills, notes): ExcelJS shares style objects between cells. */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Set a cell's fill without touching other cells: ExcelJS caches one style object per style id and
 * hands the same object to every cell that uses it, so `cell.fill = …` would recolour them all. */
export function setCellFill(cell: Cell, fill: Fill | undefined): void {
  const { fill: _old, ...rest } = cell.style ?? {};
  cell.style = fill ? { ...rest, fill: cloneJson(fill) } : rest;
}

export function getCellNote(cell: Cell): NoteValue | undefined {
  const n = cell.note as NoteValue | undefined;
  return n === undefined || n === null ? undefined : n;
}

/** Set or remove a cell's note. ExcelJS has no public way to delete a note (assigning undefined makes an
 * empty note object), so deletion clears its private `_comment` and the copy of the loaded note that the
 * cell's value model keeps (ExcelJS 4.4 writes that copy back otherwise). Covered by tests. */
export function setCellNote(cell: Cell, note: NoteValue | undefined): void {
  if (note === undefined) {
    const c = cell as unknown as { _comment?: unknown; _value?: { model?: { comment?: unknown } } };
    c._comment = undefined;
    if (c._value?.model) delete c._value.model.comment;
  } else {
    cell.note = cloneJson(note);
  }
}

/** "F7", "$F$7", "f7" → "F7". */
export function normalizeAddress(a: string): string {
  return a.replace(/\$/g, '').trim().toUpperCase();
}

/** A sheet-qualified reference for display: 调查表!F7, or 'My Sheet'!F7 when quoting is needed. */
export function sheetRef(sheet: string, address: string): string {
  const plain = /^[\p{L}\p{N}_]+$/u.test(sheet) && !/^[A-Za-z]{1,3}\d+$/.test(sheet);
  return `${plain ? sheet : `'${sheet.replace(/'/g, "''")}'`}!${normalizeAddress(address)}`;
}

/** Excel's sheet-name rules: at most 31 characters, none of : \ / ? * [ ], not blank, no leading or
 * trailing apostrophe. */
export function safeSheetName(name: string, fallback = 'Sheet1'): string {
  const s = name.replace(/[:\\/?*[\]]/g, '_').replace(/^'+|'+$/g, '').trim().slice(0, 31);
  return s || fallback;
}

/** Display width of text in Excel column units: CJK and full-width characters count double. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

/** Remove a sheet and any defined names pointing at it, so that Excel finds no dangling reference. */
export function removeSheet(wb: Workbook, name: string): boolean {
  const ws = wb.getWorksheet(name);
  if (!ws) return false;
  wb.removeWorksheet(ws.id);
  purgeDefinedNames(wb, name);
  return true;
}

/**
 * Drop `_xlnm._FilterDatabase` names. Excel and LibreOffice write one per sheet with an autofilter,
 * scoped to that sheet; ExcelJS 4.4 loses the scope and would write them back as one workbook-wide name
 * spanning several sheets. Excel rebuilds these hidden names from each sheet's <autoFilter> on save.
 */
export function dropFilterDatabaseNames(wb: Workbook): void {
  const dn = (wb as unknown as { definedNames?: { model: DefinedNameModel[] } }).definedNames;
  if (!dn) return;
  const model = dn.model;
  if (model.some((d) => d.name === '_xlnm._FilterDatabase')) dn.model = model.filter((d) => d.name !== '_xlnm._FilterDatabase');
}

interface DefinedNameModel {
  name: string;
  ranges: string[];
}

function purgeDefinedNames(wb: Workbook, sheet: string): void {
  const dn = (wb as unknown as { definedNames?: { model: DefinedNameModel[] } }).definedNames;
  if (!dn) return;
  const bare = sheet.toLowerCase();
  const quoted = `'${sheet.replace(/'/g, "''")}'`.toLowerCase();
  const model = dn.model
    .map((d) => ({
      ...d,
      ranges: d.ranges.filter((r) => {
        const ref = r.slice(0, r.lastIndexOf('!')).toLowerCase();
        return ref !== bare && ref !== quoted;
      }),
    }))
    .filter((d) => d.ranges.length > 0);
  dn.model = model;
}
