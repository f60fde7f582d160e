// Pure: the record of what the add-in changed, kept in the very hidden sheet `_kaoping` in the format of
// shared/output/store.ts (A1 = kaoping-annotations, B1 = version; from row 3: sheet, cell, JSON), so that the
// command line's removal reads the add-in's records too. Two kinds of rows:
//  - a cell row (sheet, "F7", {ourFill, originalFill, originalNote, ourNote, office}) for every cell that had a
//    fill or a note of the officer's own before we touched it — the shape store.ts writes and reads;
//  - an area row (sheet, "", {areas, ourFill, ourNote}) for the many cells that had neither: one row per
//    colour covers thousands of cells ("F7:F120,H7:J9"), so the record stays small for 5,000 villages.
//    store.ts's reader skips rows without a cell address; the add-in reads both.
// Rows are a journal: a later row for the same cell replaces an earlier one (live re-scoring appends).
import { STORE_FORMAT, STORE_VERSION } from '../../shared/output/store.ts';
import { cellKey, packRects, groupCells, parseAreas, rectCells } from './address.ts';
import { decodeAddress } from '../../shared/sheet/address.ts';

/** A fill as Office.js describes it: '#RRGGBB' and the pattern ('Solid' when absent). */
export interface FillSpec {
  color: string;
  pattern?: string;
  patternColor?: string;
}

export interface CellState {
  sheet: string;
  /** "F7" */
  address: string;
  /** ARGB of the fill we set (FFC6EFCE), or null when we set none. */
  ourFill: string | null;
  /** Whether we wrote a note (or comment) on the cell. */
  ourNote: boolean;
  /** The officer's fill before we touched the cell; null: no fill. */
  originalFill: FillSpec | null;
  /** The officer's note before we touched the cell; null: none. */
  originalNote: string | null;
  /** Hash of the note text we wrote (so an unchanged note is not written again on the next run). */
  noteHash?: string;
}

/** FNV-1a, 32 bits, as 8 hex digits: enough to tell whether a note we wrote is the one we would write now. */
export function textHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export const STORE_HEADER = ['工作表', '单元格', '记录'] as const;
export const STORE_NOTICE = '本表由考评程序生成，记录被标注单元格原有的底色和批注，用于清除标注。请勿修改。';
/** Excel allows 32,767 characters in a cell. */
const CELL_CHARS = 30000;

/** ExcelJS's fill shape (what shared/output/store.ts records), for the command line's removal. */
export function toExcelJsFill(f: FillSpec | null): unknown {
  if (!f) return null;
  const argb = `FF${f.color.replace('#', '').toUpperCase()}`;
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

/** A fill recorded by the command line (ExcelJS shape) → FillSpec; undefined when it cannot be expressed. */
export function fromExcelJsFill(f: unknown): FillSpec | null {
  if (!f || typeof f !== 'object') return null;
  const o = f as { type?: string; pattern?: string; fgColor?: { argb?: string } };
  if (o.type !== 'pattern' || o.pattern === 'none') return null;
  const argb = o.fgColor?.argb;
  if (typeof argb !== 'string' || !/^[0-9A-Fa-f]{6,8}$/.test(argb)) return null;
  return { color: `#${argb.slice(-6).toUpperCase()}`, pattern: 'Solid' };
}

export function isDefaultOriginal(s: Pick<CellState, 'originalFill' | 'originalNote'>): boolean {
  return s.originalFill === null && (s.originalNote === null || s.originalNote === '');
}

function chunkJson(json: string): string[] {
  const out: string[] = [];
  for (let k = 0; k * CELL_CHARS < json.length; k++) out.push(json.slice(k * CELL_CHARS, (k + 1) * CELL_CHARS));
  return out.length ? out : [''];
}

/** Rows (3 columns) for the given cell states; `withHeader` adds rows 1–2. */
export function encodeStore(states: Iterable<CellState>, withHeader = true): string[][] {
  const rows: string[][] = [];
  if (withHeader) {
    rows.push([STORE_FORMAT, String(STORE_VERSION), STORE_NOTICE]);
    rows.push([...STORE_HEADER]);
  }
  const groups = new Map<string, { sheet: string; ourFill: string | null; ourNote: boolean; cells: { row: number; col: number }[] }>();
  const hashes = new Map<string, string[]>();
  for (const s of states) {
    if (isDefaultOriginal(s)) {
      if (s.noteHash) {
        const list = hashes.get(s.sheet) ?? [];
        list.push(`${s.address}=${s.noteHash}`);
        hashes.set(s.sheet, list);
      }
      const p = decodeAddress(s.address);
      if (!p) continue;
      const key = JSON.stringify([s.sheet, s.ourFill, s.ourNote]);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { sheet: s.sheet, ourFill: s.ourFill, ourNote: s.ourNote, cells: [] }));
      g.cells.push(p);
      continue;
    }
    const json = JSON.stringify({
      ourFill: s.ourFill,
      originalFill: toExcelJsFill(s.originalFill),
      originalNote: s.originalNote,
      ourNote: s.ourNote,
      office: s.originalFill,
      ...(s.noteHash ? { noteHash: s.noteHash } : {}),
    });
    const parts = chunkJson(json);
    // A cell row's JSON continues in further columns in store.ts; ours are short, but keep the rule.
    rows.push([s.sheet, s.address, ...parts]);
  }
  for (const g of groups.values()) {
    // Pack areas so each row's JSON stays within one cell.
    for (const areas of packRects(groupCells(g.cells), CELL_CHARS - 200, 100000)) {
      rows.push([g.sheet, '', JSON.stringify({ areas, ourFill: g.ourFill, ourNote: g.ourNote })]);
    }
  }
  // The hashes of our notes on those cells, "F7=1a2b3c4d;…", in rows of at most one cell each.
  for (const [sheet, list] of hashes) {
    let cur: string[] = [];
    let len = 0;
    const flush = () => {
      if (cur.length) rows.push([sheet, '', JSON.stringify({ noteHashes: cur.join(';') })]);
      cur = [];
      len = 0;
    };
    for (const h of list) {
      if (len + h.length + 1 > CELL_CHARS - 100) flush();
      cur.push(h);
      len += h.length + 1;
    }
    flush();
  }
  const width = Math.max(3, ...rows.map((r) => r.length));
  return rows.map((r) => [...r, ...Array<string>(width - r.length).fill('')]);
}

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return '';
}

/** The cell states recorded in the store's values (as read from the sheet), or undefined when the values are not a
 * kaoping store. Later rows replace earlier ones for the same cell. Damaged rows are skipped. */
export function decodeStore(values: readonly (readonly unknown[])[]): Map<string, CellState> | undefined {
  if (str(values[0]?.[0]) !== STORE_FORMAT) return undefined;
  const out = new Map<string, CellState>();
  for (let i = 2; i < values.length; i++) {
    const row = values[i]!;
    const sheet = str(row[0]);
    if (!sheet) continue;
    let json = '';
    for (let c = 2; c < row.length; c++) {
      const v = str(row[c]);
      if (!v) break;
      json += v;
    }
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(json) as Record<string, unknown>;
    } catch {
      continue;
    }
    const address = str(row[1]).replace(/\$/g, '').toUpperCase();
    const ourFill = typeof p.ourFill === 'string' ? p.ourFill.toUpperCase() : null;
    if (address) {
      const office = p.office && typeof p.office === 'object' ? (p.office as FillSpec) : undefined;
      out.set(`${sheet}!${address}`, {
        sheet,
        address,
        ourFill,
        // store.ts records carry no ourNote: the command line writes a note on every cell it touches.
        ourNote: p.ourNote === undefined ? true : p.ourNote === true,
        originalFill: office && typeof office.color === 'string' ? office : fromExcelJsFill(p.originalFill),
        originalNote: typeof p.originalNote === 'string' ? p.originalNote : noteText(p.originalNote),
        ...(typeof p.noteHash === 'string' ? { noteHash: p.noteHash } : {}),
      });
    } else if (typeof p.noteHashes === 'string') {
      for (const pair of p.noteHashes.split(';')) {
        const [a, h] = pair.split('=');
        const st = a ? out.get(`${sheet}!${a}`) : undefined;
        if (st && h) st.noteHash = h;
      }
    } else if (typeof p.areas === 'string') {
      for (const { row: r, col } of rectCells(parseAreas(p.areas))) {
        const a = cellKey(r, col);
        out.set(`${sheet}!${a}`, { sheet, address: a, ourFill, ourNote: p.ourNote === true, originalFill: null, originalNote: null });
      }
    }
  }
  return out;
}

/** Plain text of a note recorded by the command line (a string or ExcelJS rich text). */
function noteText(n: unknown): string | null {
  if (!n || typeof n !== 'object') return null;
  const texts = (n as { texts?: { text?: string }[] }).texts;
  if (!Array.isArray(texts)) return null;
  const t = texts.map((x) => x.text ?? '').join('');
  return t === '' ? null : t;
}
