// SheetJS (Community Edition, @e965/xlsx) → SheetGrid[]: the one reader of every workbook format (xlsx/xlsm,
// xlsb, xls BIFF5/8, ods, SpreadsheetML 2003, HTML tables). Only read.ts calls it, and only after the format's
// guard has bounded what SheetJS will build. Cells come out as the rest of kaoping expects them from any file:
// numbers stay numbers with their number format, date-formatted numbers become UTC dates, formulas keep their
// text and cached result (or are read as formula text when nothing is cached), errors as their #code, and the
// display text is computed by our own formatDisplay so that every format shows a value the same way.
import type * as XLSXNs from '@e965/xlsx';
import iconv from 'iconv-lite';
import { encodeAddress } from './address.ts';
import { formatDisplay, isDateFormat } from './format.ts';
import { SHEET_LIMITS, tooManyColumns, tooManyMerges, tooManyRows, type SheetLimits } from './limits.ts';
import type { SheetCell, SheetFormat, SheetGrid } from './types.ts';

type XLSXModule = typeof XLSXNs;
type CellObject = XLSXNs.CellObject;

// SheetJS is large; load it only when a workbook is actually read (a CSV file never pays for it).
let sheetJs: Promise<XLSXModule> | undefined;
export function loadSheetJs(): Promise<XLSXModule> {
  sheetJs ??= import('@e965/xlsx').then((m) => {
    const x = ((m as { default?: XLSXModule }).default ?? m) as XLSXModule;
    x.set_cptable(codepages);
    return x;
  });
  return sheetJs;
}

/** Windows code pages SheetJS asks for (legacy .xls strings: 936 is GBK), served by iconv-lite, which kaoping
 * already ships for CSV files, instead of SheetJS's own 460 KB of tables. A BIFF8 "compressed" string is the low
 * bytes of UTF-16 code units (ISO-8859-1), which SheetJS decodes with the ANSI page (1252 unless the file says
 * otherwise); where a build leaves the single-byte tables out (the scoring page keeps only GB18030), latin1 stands
 * in for 1252, identical outside 0x80–0x9F. */
const CODEPAGES: Record<number, string> = {
  1200: 'utf-16le',
  1201: 'utf-16be',
  65001: 'utf8',
  1252: 'windows-1252',
  10000: 'macintosh',
  936: 'gbk',
  54936: 'gb18030',
  950: 'big5',
};

/** The iconv-lite name of a code page, or undefined for ISO-8859-1 (decoded here: iconv-lite keeps it among the
 * single-byte tables a build may leave out). */
function encodingOf(cp: number): string | undefined {
  const name = CODEPAGES[cp] ?? `cp${cp}`;
  return cp !== 28591 && iconv.encodingExists(name) ? name : undefined;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

function toBytes(data: ArrayLike<number> | string): Uint8Array {
  if (typeof data === 'string') {
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data.charCodeAt(i) & 0xff;
    return out;
  }
  return data instanceof Uint8Array ? data : Uint8Array.from(data);
}

const codepages = {
  utils: {
    decode(cp: number, data: ArrayLike<number> | string): string {
      const enc = encodingOf(cp);
      const bytes = toBytes(data);
      return enc ? iconv.decode(bytes as Parameters<typeof iconv.decode>[0], enc) : latin1(bytes);
    },
    encode(cp: number, text: string, kind?: string): number[] | string {
      const enc = encodingOf(cp);
      const bytes: Uint8Array = enc ? iconv.encode(text, enc) : Uint8Array.from(text, (ch) => Math.min(ch.charCodeAt(0), 0xff));
      if (kind === 'str') return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
      return Array.from(bytes);
    },
  },
};

/** Excel's error codes as SheetJS stores them in an 'e' cell. */
const ERRORS: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

const NO_CACHE = '公式没有缓存的计算结果（文件保存前未经 Excel/WPS 计算），已按公式文本读取';

/** An Excel serial day number → the UTC instant ExcelJS would give for it (1900 or 1904 date system). */
export function serialToDate(serial: number, date1904: boolean): Date {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  // Excel's fictitious 1900-02-29 (serial 60): serials below it are one day late in the 1900 system.
  const days = !date1904 && serial < 61 && serial >= 1 ? serial + 1 : serial;
  return new Date(epoch + Math.round(days * 86_400_000));
}

export interface ReadOptions {
  format: SheetFormat;
  limits?: SheetLimits;
  /** Names for the sheets of a format that has none of its own (an HTML file's tables). */
  baseName: string;
}

/** One SheetJS cell → a SheetCell, or undefined for a blank. */
function convertCell(cell: CellObject, r: number, c: number, date1904: boolean): SheetCell | undefined {
  const address = encodeAddress(r, c);
  const numFmt = typeof cell.z === 'string' && cell.z !== '' && cell.z !== 'General' ? cell.z : undefined;
  const formula = typeof cell.f === 'string' && cell.f !== '' ? cell.f : undefined;
  let value: SheetCell['value'];
  let note: string | undefined;
  switch (cell.t) {
    case 'n':
      if (typeof cell.v !== 'number' || !Number.isFinite(cell.v)) return undefined;
      value = numFmt && isDateFormat(numFmt) ? serialToDate(cell.v, date1904) : cell.v;
      break;
    case 'd':
      if (!(cell.v instanceof Date) || Number.isNaN(cell.v.getTime())) return { address, value: null, note: '日期值无效' };
      value = cell.v;
      break;
    case 's':
      value = typeof cell.v === 'string' ? cell.v : String(cell.v ?? '');
      if (value === '' && !formula) return undefined;
      break;
    case 'b':
      value = cell.v === true;
      break;
    case 'e': {
      const code = typeof cell.v === 'number' ? ERRORS[cell.v] : undefined;
      value = code ?? (typeof cell.w === 'string' ? cell.w : '#VALUE!');
      note = formula ? `公式结果为错误值 ${value}` : `单元格为错误值 ${value}`;
      break;
    }
    default:
      // 'z' (a stub): blank, unless it is a formula that was never calculated.
      if (!formula) return undefined;
      value = `=${formula}`;
      note = NO_CACHE;
  }
  if (formula && cell.t !== 'z' && cell.t !== 'e' && cell.v === undefined) {
    value = `=${formula}`;
    note = NO_CACHE;
  }
  const out: SheetCell = { address, value, text: formatDisplay(value, numFmt) };
  if (numFmt) out.numFmt = numFmt;
  if (formula) out.formula = formula;
  if (note) out.note = note;
  return out;
}

/** Column widths in Excel's character units, where the file gives them. */
function columnWidths(ws: XLSXNs.WorkSheet): (number | undefined)[] | undefined {
  const cols = ws['!cols'];
  if (!cols?.length) return undefined;
  const out: (number | undefined)[] = [];
  cols.forEach((col, i) => {
    if (!col) return;
    const w = col.width ?? col.wch ?? (col.wpx !== undefined ? col.wpx / 7 : undefined);
    if (typeof w === 'number' && Number.isFinite(w) && w > 0) out[i] = Math.round(w * 100) / 100;
  });
  return out.length ? out : undefined;
}

/** A parsed SheetJS workbook → grids. Rows and columns beyond the limits are refused before they are stored. */
export function workbookToGrids(wb: XLSXNs.WorkBook, opts: ReadOptions): SheetGrid[] {
  const limits = opts.limits ?? SHEET_LIMITS;
  const date1904 = wb.Workbook?.WBProps?.date1904 === true;
  const meta = wb.Workbook?.Sheets ?? [];
  const named = opts.format !== 'html';
  const grids: SheetGrid[] = [];
  let mergeCount = 0;
  let mergedCells = 0;
  wb.SheetNames.forEach((sheetName, index) => {
    const ws = wb.Sheets[sheetName];
    // A chart sheet, macro sheet or dialog sheet holds no cells to read.
    if (!ws || (ws as { '!type'?: string })['!type'] !== undefined) return;
    const name = named ? sheetName : wb.SheetNames.length === 1 ? opts.baseName : `${opts.baseName}-表${index + 1}`;
    const where = `工作表“${name}”`;
    const merges: SheetGrid['merges'] = [];
    for (const m of ws['!merges'] ?? []) {
      if (m.e.r > m.s.r || m.e.c > m.s.c) merges.push({ top: m.s.r, left: m.s.c, bottom: m.e.r, right: m.e.c });
    }
    merges.sort((a, b) => a.top - b.top || a.left - b.left);
    mergeCount += merges.length;
    for (const m of merges) mergedCells += (m.bottom - m.top + 1) * (m.right - m.left + 1);
    if (mergeCount > limits.maxMerges || mergedCells > limits.maxMergedCells) throw tooManyMerges(mergeCount, mergedCells, limits);
    // A cell covered by a merge is blank, as Excel shows it (LibreOffice keeps text hidden under a merge).
    const covered = new Set<number>();
    for (const m of merges) {
      for (let r = m.top; r <= m.bottom; r++) for (let c = m.left; c <= m.right; c++) if (r !== m.top || c !== m.left) covered.add(r * 16384 + c);
    }
    const data = (ws as { '!data'?: (CellObject | undefined)[][] })['!data'] ?? [];
    const rows: (SheetCell | undefined)[][] = [];
    for (let r = 0; r < data.length; r++) {
      const src = data[r];
      if (!src) continue;
      let out: (SheetCell | undefined)[] | undefined;
      for (let c = 0; c < src.length; c++) {
        const cell = src[c];
        if (!cell) continue;
        if (covered.size && covered.has(r * 16384 + c)) continue;
        const conv = convertCell(cell, r, c, date1904);
        if (!conv) continue;
        // Checked before the row is stored: a lone value at row 1,048,576 must not make a million-row grid.
        if (r + 1 > limits.maxRows) throw tooManyRows(`${where}（第 ${(r + 1).toLocaleString('en-US')} 行有内容）`, r + 1, limits);
        if (c + 1 > limits.maxColumns) throw tooManyColumns(`${where}（${conv.address} 有内容）`, c + 1, limits);
        (out ??= [])[c] = conv;
      }
      if (out) rows[r] = out;
    }
    for (let r = 0; r < rows.length; r++) rows[r] ??= [];
    const warnings: string[] = [];
    const grid: SheetGrid = { name, rows, merges, source: opts.format, warnings };
    const widths = columnWidths(ws);
    if (widths) grid.columnWidths = widths;
    const hidden = meta[index]?.Hidden;
    if (hidden === 1 || hidden === 2) {
      grid.hidden = hidden === 1 ? 'hidden' : 'veryHidden';
      warnings.push(hidden === 1 ? '此工作表在 Excel 中被隐藏' : '此工作表在 Excel 中被深度隐藏（veryHidden）');
    }
    grids.push(grid);
  });
  return grids;
}
