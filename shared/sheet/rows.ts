// Village rows below the header: blank rows, 合计/小计 rows, repeated headers and the notes and signature lines
// under the table are skipped, each with a Chinese reason. A blank row does not end the table; a signature or
// note line does.
import { normalizeText } from '../text/normalize.ts';
import type { ColumnReport, Grid, RawCell } from '../types.ts';
import { MergeIndex, cellText, gridWidth, isBlankText, isColumnNumberTexts, rawCell } from './grid.ts';
import { headerKey } from './match.ts';
import type { ExtractedRow, ExtractedRows, SkippedRow, TableLayout } from './types.ts';
import { CellColumnBuilder, type CellColumn } from './columns.ts';

const TOTAL = /^(?:全(?:镇|乡|县|区|街道|村)|本页|本表|各村)?(?:合计|小计|总计|累计|汇总)|^(?:平均|平均值|均值|平均数)(?:[(（].*[)）])?[:：]?$/;
const FOOTER =
  /^(?:填表人|填报人|制表人|统计人|审核人|审核|审批人|负责人|单位负责人|主要负责人|分管领导|经办人|联系人|联系电话|电话|填报日期|填表日期|制表日期|报送日期|说明|备注[:：]|附注|注[:：\d一二三四五六七八九①②③.、]|注$|单位[(（]?盖章)/;

/** The non-blank texts of row r, left to right, into `cols`/`texts` (reused from row to row); returns how many. */
function rowTexts(grid: Grid, r: number, width: number, cols: number[], texts: string[]): number {
  let n = 0;
  for (let c = 0; c < width; c++) {
    const t = cellText(rawCell(grid, r, c));
    if (isBlankText(t)) continue;
    cols[n] = c;
    texts[n++] = t;
  }
  return n;
}

/**
 * Split the rows under the header into village rows and skipped rows. `mapping` is mapColumns' result;
 * each village row carries a cell (or undefined when blank) for every mapped input. Cells covered by a merge
 * (a 乡镇 name merged down over its villages) read the merge's top-left cell.
 */
export function extractRows(grid: Grid, layout: TableLayout, mapping: readonly ColumnReport[]): ExtractedRows {
  const rows: ExtractedRow[] = [];
  const skipped = walkRows(grid, layout, mapping, (row, inputs, cells) => {
    const record: Record<string, RawCell | undefined> = {};
    inputs.forEach((input, k) => (record[input] = cells[k]));
    rows.push({ row, cells: record });
  });
  return { rows, skipped };
}

/** The same village rows as extractRows, column by column (dictionary-encoded, see shared/scoring/columns.ts):
 * what the decision engine reads, without a record per row. */
export function extractColumns(grid: Grid, layout: TableLayout, mapping: readonly ColumnReport[]): { rowNumbers: number[]; cells: Map<string, CellColumn>; skipped: SkippedRow[] } {
  const rowNumbers: number[] = [];
  const capacity = grid.rows.length - layout.firstDataRow + 1;
  // One builder per mapped column, in mapping order (walkRows hands the cells in that order).
  const builders = mapping.flatMap((m) => (m.input !== null ? [{ input: m.input, b: new CellColumnBuilder(capacity) }] : []));
  const skipped = walkRows(grid, layout, mapping, (row, _inputs, cells) => {
    rowNumbers.push(row);
    for (let k = 0; k < cells.length; k++) builders[k]!.b.push(cells[k]);
  });
  const cells = new Map<string, CellColumn>();
  // A later column mapped to the same input wins, as in extractRows' records.
  for (const { input, b } of builders) cells.set(input, b.done());
  return { rowNumbers, cells, skipped };
}

/** Walk the rows under the header: `keep(row, inputs, cells)` for every village row (`cells[k]` is the cell of
 * `inputs[k]`, undefined when blank; the array is reused), the skipped rows returned. */
function walkRows(
  grid: Grid,
  layout: TableLayout,
  mapping: readonly ColumnReport[],
  keep: (row: number, inputs: readonly string[], cells: readonly (RawCell | undefined)[]) => void,
): SkippedRow[] {
  const merges = new MergeIndex(grid.merges);
  const width = gridWidth(grid);
  const mapped = mapping.filter((m): m is ColumnReport & { input: string } => m.input !== null);
  const inputs = mapped.map((m) => m.input);
  const rowCells = new Array<RawCell | undefined>(mapped.length).fill(undefined);
  const tCols: number[] = [];
  const tTexts: string[] = [];
  const skipped: SkippedRow[] = [];
  let pendingBlanks: SkippedRow[] = [];
  let footerAt: { row: number; text: string } | undefined;

  // Normalised header texts per column, to recognise a header repeated on a later page.
  const headerForms = new Map<number, Set<string>>();
  for (const col of layout.columns) {
    const forms = new Set<string>();
    for (const p of col.path) {
      forms.add(normalizeText(p));
      forms.add(headerKey(p)); // the same header without its unit
    }
    headerForms.set(col.index, forms);
  }

  const memo = new Map<string, string>();
  const norm = (t: string): string => {
    let n = memo.get(t);
    if (n === undefined) {
      n = normalizeText(t);
      if (memo.size < 50_000) memo.set(t, n);
    }
    return n;
  };

  const skip = (row: number, reason: string) => {
    skipped.push(...pendingBlanks);
    pendingBlanks = [];
    skipped.push({ row, reason });
  };

  for (let r = layout.firstDataRow - 1; r < grid.rows.length; r++) {
    const row = r + 1;
    const count = rowTexts(grid, r, width, tCols, tTexts);
    if (count === 0) {
      if (!footerAt) pendingBlanks.push({ row, reason: '空行' });
      continue;
    }
    if (footerAt) {
      skip(row, `表格已在第 ${footerAt.row} 行「${short(footerAt.text)}」处结束，其后的内容不作为村级数据`);
      continue;
    }
    const first = tTexts[0]!;
    if (FOOTER.test(norm(first))) {
      footerAt = { row, text: first };
      skip(row, `表尾的签字或说明行（${short(first)}）`);
      continue;
    }
    let total: string | undefined;
    for (let k = 0; k < Math.min(3, count) && total === undefined; k++) if (TOTAL.test(norm(tTexts[k]!))) total = tTexts[k];
    if (total !== undefined) {
      skip(row, `合计/小计/平均行（${short(total)}）`);
      continue;
    }
    // A header repeated on a later page: at least two texts, and at least half of them, are its column's header.
    const need = Math.max(2, count / 2);
    let headerHits = 0;
    for (let k = 0; k < count && headerHits + (count - k) >= need; k++) {
      const forms = headerForms.get(tCols[k]!);
      const t = tTexts[k]!;
      if (!forms || /^[-+\d.,%\s]+$/.test(t)) continue;
      if (forms.has(norm(t))) headerHits++;
    }
    if (headerHits >= need) {
      skip(row, '重复的表头行');
      continue;
    }
    tTexts.length = count;
    if (isColumnNumberTexts(tTexts)) {
      skip(row, '栏次行（列编号）');
      continue;
    }
    // A single text merged across the table (a title repeated on a later page, or a section caption).
    if (count === 1) {
      const m = merges.at(r, tCols[0]!);
      if (m && m.right - m.left >= 2) {
        skip(row, `跨列合并的标题或说明行（${short(first)}）`);
        continue;
      }
    }
    let any = false;
    for (let k = 0; k < mapped.length; k++) {
      const c = mapped[k]!.index;
      // A cell covered by a merge reads the merge's top-left cell.
      const m = merges.at(r, c);
      const cell = m ? rawCell(grid, m.top, m.left) : rawCell(grid, r, c);
      const blank = !cell || isBlankText(cellText(cell));
      rowCells[k] = blank ? undefined : cell;
      // A value merged down from a row above does not by itself make this a village row.
      if (!blank && !(m && m.top !== r)) any = true;
    }
    if (!any) {
      skip(row, mapped.length === 0 ? '没有识别出任何指标列' : '本行在已识别的指标列中没有数据（可能只填了序号）');
      continue;
    }
    skipped.push(...pendingBlanks);
    pendingBlanks = [];
    keep(row, inputs, rowCells);
  }
  // Trailing blank rows are not reported.
  return skipped;
}

function short(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 20 ? `${t.slice(0, 20)}…` : t;
}

/** The patterns used to recognise 合计 rows and footer lines (normalised text). */
export const ROW_PATTERNS = { TOTAL, FOOTER } as const;
