// Cells held column by column, dictionary-encoded: how village rows reach the decision engine
// (shared/scoring/compiled.ts, through SheetColumns in shared/scoring/sheet.ts).
//
// A province sheet holds ~45,000 villages × ~120 inputs. As records of cells that is 5.4 million objects the
// garbage collector walks again and again, and a key lookup for every cell. Officers' columns repeat a few
// values (是/否, small counts, 12次, the same few texts), so a column is stored as Arrow and Parquet store such
// data: one code per row into a dictionary of the distinct cells. The engine then reads each distinct cell
// once and every row as an index. Measured in bench/ (bench/README.md).
//
// Two cells are the same entry when their value, number format, formula and significant display text are the
// same. A display text is significant when it says more than the value does (a number shown as 80%); the
// others are dropped, which changes no reading: the value parsers read `text` only through cellText
// (values/common.ts), which falls back to the same text (test/sheet/columns.test.ts checks every parser).
// Entries have no address: the decision engine does not quote cells.
import type { RawCell } from '../types.ts';
import { cellText } from '../values/common.ts';

export type CellValue = RawCell['value'];

/** One input's cells: row i's cell is `dict[codes[i]]`; code 0 is the empty cell (undefined). */
export interface CellColumn {
  codes: Int32Array;
  dict: readonly (RawCell | undefined)[];
}

/** The display text of a cell when it tells more than the value (see the note at the top). */
export function significantText(cell: RawCell): string | undefined {
  const { value, text } = cell;
  if (text === undefined || text === '' || typeof value === 'string' || value === null) return undefined;
  // What cellText shows for the value alone.
  return text === cellText({ address: '', value }) ? undefined : text;
}

/** Builds one CellColumn a row at a time. */
export class CellColumnBuilder {
  private codes: Int32Array;
  private n = 0;
  private readonly dict: (RawCell | undefined)[] = [undefined];
  /** Entry codes by value (dates by their time: each Date is its own object); several when the same value
   * comes with different formats, texts or formulas. */
  private readonly byValue = new Map<Exclude<CellValue, Date>, number | number[]>();
  private readonly byTime = new Map<number, number | number[]>();
  /** The display text of the cell each entry was made from, as it came. */
  private readonly rawTexts: (string | undefined)[] = [undefined];

  /** `capacity`: how many rows to expect (the column grows past it). */
  constructor(capacity = 64) {
    this.codes = new Int32Array(Math.max(1, capacity));
  }

  push(cell: RawCell | undefined): void {
    if (this.n === this.codes.length) {
      const grown = new Int32Array(this.codes.length * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[this.n++] = cell === undefined || cell.value === null ? 0 : this.code(cell);
  }

  private code(cell: RawCell): number {
    const v = cell.value;
    const map: Map<unknown, number | number[]> = v instanceof Date ? this.byTime : this.byValue;
    const key = v instanceof Date ? v.getTime() : v;
    const found = map.get(key);
    if (typeof found === 'number' && this.same(found, cell)) return found;
    if (Array.isArray(found)) for (const k of found) if (this.same(k, cell)) return k;
    const entry: RawCell = { address: '', value: v };
    const text = significantText(cell);
    if (cell.numFmt !== undefined) entry.numFmt = cell.numFmt;
    if (text !== undefined) entry.text = text;
    if (cell.formula !== undefined) entry.formula = cell.formula;
    const k = this.dict.push(entry) - 1;
    this.rawTexts[k] = cell.text;
    map.set(key, found === undefined ? k : Array.isArray(found) ? [...found, k] : [found, k]);
    return k;
  }

  /** Is this cell entry k? */
  private same(k: number, cell: RawCell): boolean {
    const e = this.dict[k]!;
    if (e.numFmt !== cell.numFmt || e.formula !== cell.formula) return false;
    // Map keys do not tell 0 from -0.
    if (typeof cell.value === 'number' && !Object.is(e.value, cell.value)) return false;
    // The display text as the entry's first cell had it (the usual case), or one that reads the same.
    return cell.text === this.rawTexts[k] || e.text === significantText(cell);
  }

  done(): CellColumn {
    return { codes: this.n === this.codes.length ? this.codes : this.codes.slice(0, this.n), dict: this.dict };
  }
}

/** A column from cells in row order. */
export function cellColumn(cells: readonly (RawCell | undefined)[]): CellColumn {
  const b = new CellColumnBuilder();
  for (const c of cells) b.push(c);
  return b.done();
}

/** Row i of a column (an entry of its dictionary: address ''), or undefined when empty. */
export function cellAt(col: CellColumn, i: number): RawCell | undefined {
  return col.dict[col.codes[i]!];
}
