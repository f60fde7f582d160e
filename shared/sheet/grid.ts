// Reading helpers over a Grid: merged-cell lookup and the text of a cell.
import type { Grid, RawCell } from '../types.ts';
import { formatDisplay } from './format.ts';
import { mayBeSpace } from '../text/space.ts';

export type Merge = Grid['merges'][number];

/** Finds the merge covering a cell. */
export class MergeIndex {
  private readonly byCell = new Map<number, Merge>();
  private readonly stride: number;

  constructor(readonly merges: Grid['merges']) {
    this.stride = Math.max(16384, ...merges.map((m) => m.right + 1));
    for (const m of merges) {
      // Guard against absurd merges (a whole column): only index what a sheet could use.
      const bottom = Math.min(m.bottom, m.top + 10000);
      for (let r = m.top; r <= bottom; r++) for (let c = m.left; c <= m.right; c++) this.byCell.set(r * this.stride + c, m);
    }
  }

  at(row: number, col: number): Merge | undefined {
    return this.byCell.size === 0 ? undefined : this.byCell.get(row * this.stride + col);
  }

  /** The merge's top-left corner, or the cell itself. */
  master(row: number, col: number): { row: number; col: number } {
    const m = this.at(row, col);
    return m ? { row: m.top, col: m.left } : { row, col };
  }
}

export function rawCell(grid: Grid, row: number, col: number): RawCell | undefined {
  return grid.rows[row]?.[col];
}

/** The cell, or the top-left cell of the merge covering it. */
export function filledCell(grid: Grid, merges: MergeIndex, row: number, col: number): RawCell | undefined {
  const m = merges.master(row, col);
  return rawCell(grid, m.row, m.col);
}

/** The text of a cell as displayed (trimmed), '' for blank. */
export function cellText(cell: RawCell | undefined): string {
  if (!cell) return '';
  if (cell.text !== undefined) return cell.text.trim();
  return formatDisplay(cell.value, cell.numFmt).trim();
}

/** Header text: line breaks inside a cell (Alt+Enter) are wrapping, not separators. */
export function headerText(cell: RawCell | undefined): string {
  return cellText(cell)
    .replace(/\s*[\r\n]+\s*/g, '')
    .trim();
}

export function gridWidth(grid: Grid): number {
  let w = 0;
  for (const row of grid.rows) if (row && row.length > w) w = row.length;
  for (const m of grid.merges) if (m.right + 1 > w) w = m.right + 1;
  return w;
}

export function isBlankText(s: string): boolean {
  // Most texts start with a visible character: decide those without the regex (every cell is checked).
  if (s.length > 0 && !mayBeSpace(s.charCodeAt(0))) return false;
  return s.replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, '') === '';
}

const COLUMN_NUMBER_WORDS = '甲乙丙丁戊己庚辛壬癸';

/** A 栏次 row: 甲 乙 丙 1 2 3 … (or (1) (2) …) — at least three cells, numbers starting at 1 and rising by one. */
export function isColumnNumberTexts(texts: readonly string[]): boolean {
  let cells = 0;
  let expect: number | undefined;
  // Text by text, stopping at the first that does not fit (a village row fails on its first text).
  for (const raw of texts) {
    const t = raw.normalize('NFKC').replace(/[()（）\s]/g, '');
    if (t === '') continue;
    cells++;
    if (t.length === 1 && COLUMN_NUMBER_WORDS.includes(t)) {
      if (expect !== undefined) return false; // letters come before the numbers
      continue;
    }
    if (!/^\d{1,3}$/.test(t)) return false;
    const n = Number(t);
    if (expect === undefined ? n !== 1 : n !== expect) return false;
    expect = n + 1;
  }
  return cells >= 3;
}
