// Pure address helpers for the Excel adapter: parse the addresses Office.js returns (sheet-qualified, quoted
// sheet names, comma-separated areas), group cells into rectangular areas, and pack areas into address
// strings that stay under Excel's limits (8,192 characters per address string; getRanges fails near 500 areas).
import { columnIndex, columnLetter } from '../../shared/sheet/address.ts';

/** 0-based inclusive rectangle. */
export interface Rect {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Excel cuts range-address strings at 8,192 characters; stay below with room for a sheet prefix. */
export const MAX_ADDRESS_CHARS = 8000;
/** `getRanges` fails near 500 areas; stay well below. */
export const MAX_AREAS = 400;

/** "F7" or "F7:G9" for a rectangle. */
export function rectAddress(r: Rect): string {
  const a = `${columnLetter(r.left)}${r.top + 1}`;
  return r.top === r.bottom && r.left === r.right ? a : `${a}:${columnLetter(r.right)}${r.bottom + 1}`;
}

/** Split "Sheet1!A1:B2" / "'My Sheet'!A1" into sheet and local part. */
function splitSheet(address: string): { sheet?: string; local: string } {
  const s = address.trim();
  const bang = s.lastIndexOf('!');
  if (bang < 0) return { local: s };
  let sheet = s.slice(0, bang);
  if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  return { sheet, local: s.slice(bang + 1) };
}

/** Split a multi-area address on commas outside quotes: "Sheet1!A1:B2, Sheet1!C3" → two areas. */
export function splitAreas(address: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of address) {
    if (ch === "'") quoted = !quoted;
    if (ch === ',' && !quoted) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const CELL = /^\$?([A-Za-z]{1,3})\$?(\d+)$/;
const COLS = /^\$?([A-Za-z]{1,3})$/;
const ROWS = /^\$?(\d+)$/;

/** One area ("A1", "A1:C3", "$A$1:$C$3", "A:C", "3:5", optionally sheet-qualified) as a rectangle. */
export function parseArea(address: string): Rect | undefined {
  const { local } = splitSheet(address);
  const [a, b = a] = local.split(':');
  if (a === undefined || b === undefined) return undefined;
  const ca = CELL.exec(a);
  const cb = CELL.exec(b);
  if (ca && cb) {
    const l1 = columnIndex(ca[1]!);
    const l2 = columnIndex(cb[1]!);
    if (l1 === undefined || l2 === undefined) return undefined;
    const t1 = Number(ca[2]) - 1;
    const t2 = Number(cb[2]) - 1;
    if (t1 < 0 || t2 < 0) return undefined;
    return { top: Math.min(t1, t2), bottom: Math.max(t1, t2), left: Math.min(l1, l2), right: Math.max(l1, l2) };
  }
  const xa = COLS.exec(a);
  const xb = COLS.exec(b);
  if (xa && xb) {
    const l1 = columnIndex(xa[1]!);
    const l2 = columnIndex(xb[1]!);
    if (l1 === undefined || l2 === undefined) return undefined;
    return { top: 0, bottom: 1048575, left: Math.min(l1, l2), right: Math.max(l1, l2) };
  }
  const ra = ROWS.exec(a);
  const rb = ROWS.exec(b);
  if (ra && rb) {
    const t1 = Number(ra[1]) - 1;
    const t2 = Number(rb[1]) - 1;
    return { top: Math.min(t1, t2), bottom: Math.max(t1, t2), left: 0, right: 16383 };
  }
  return undefined;
}

/** Every area of a (possibly multi-area, sheet-qualified) address. */
export function parseAreas(address: string): Rect[] {
  return splitAreas(address)
    .map(parseArea)
    .filter((r): r is Rect => r !== undefined);
}

export function cellKey(row: number, col: number): string {
  return `${columnLetter(col)}${row + 1}`;
}

export function contains(r: Rect, row: number, col: number): boolean {
  return row >= r.top && row <= r.bottom && col >= r.left && col <= r.right;
}

/**
 * Group cells into few rectangles: runs down each column first (a status usually repeats down a column),
 * then side-by-side runs with the same rows are joined. Deterministic: sorted by column, then row.
 */
export function groupCells(cells: Iterable<{ row: number; col: number }>): Rect[] {
  const byCol = new Map<number, number[]>();
  for (const { row, col } of cells) {
    const list = byCol.get(col);
    if (list) list.push(row);
    else byCol.set(col, [row]);
  }
  const runs: Rect[] = [];
  for (const col of [...byCol.keys()].sort((a, b) => a - b)) {
    const rows = [...new Set(byCol.get(col)!)].sort((a, b) => a - b);
    let start = rows[0]!;
    let prev = start;
    for (let i = 1; i <= rows.length; i++) {
      const r = rows[i];
      if (r !== undefined && r === prev + 1) {
        prev = r;
        continue;
      }
      runs.push({ top: start, bottom: prev, left: col, right: col });
      if (r !== undefined) start = prev = r;
    }
  }
  // Join a run with the run of the same rows in the next column.
  const open = new Map<string, Rect>();
  const out: Rect[] = [];
  for (const run of runs) {
    const key = `${run.top}:${run.bottom}`;
    const prev = open.get(key);
    if (prev && prev.right === run.left - 1) {
      prev.right = run.right;
    } else {
      const r = { ...run };
      open.set(key, r);
      out.push(r);
    }
  }
  return out;
}

/** Pack area addresses into comma-separated strings of at most `maxAreas` areas and `maxChars` characters. */
function packAddresses(areas: readonly string[], maxChars = MAX_ADDRESS_CHARS, maxAreas = MAX_AREAS): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  let len = 0;
  for (const a of areas) {
    if (a.length > maxChars) throw new RangeError(`address too long: ${a.slice(0, 20)}…`);
    const add = (cur.length ? 1 : 0) + a.length;
    if (cur.length && (cur.length >= maxAreas || len + add > maxChars)) {
      out.push(cur.join(','));
      cur = [];
      len = 0;
    }
    len += (cur.length ? 1 : 0) + a.length;
    cur.push(a);
  }
  if (cur.length) out.push(cur.join(','));
  return out;
}

/** Rectangles → packed address strings. */
export function packRects(rects: readonly Rect[], maxChars = MAX_ADDRESS_CHARS, maxAreas = MAX_AREAS): string[] {
  return packAddresses(rects.map(rectAddress), maxChars, maxAreas);
}

/** Every cell of the rectangles (expanded; for store decoding). */
export function* rectCells(rects: Iterable<Rect>): Generator<{ row: number; col: number }> {
  for (const r of rects) for (let row = r.top; row <= r.bottom; row++) for (let col = r.left; col <= r.right; col++) yield { row, col };
}

/** Sheet name as it must appear in a formula or address: quoted when needed. */
export function quoteSheet(name: string): string {
  return /^[\p{L}\p{N}_]+$/u.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** UTF-8 byte length of a string (request payloads are UTF-8 JSON). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
