// Limits on what the reader accepts, in one place (documented in shared/sheet/README.md, "Limits").
// They protect the `kaoping` command, the browser page and the Worker alike: every file goes through
// readWorkbook, and every xlsx through the zip guard before ExcelJS inflates a byte of it.
import { columnLetter } from './address.ts';
import { SheetError } from './errors.ts';
import type { SheetGrid } from './types.ts';

const MiB = 1024 * 1024;

export const SHEET_LIMITS = {
  /** Bytes of the file as uploaded or read from disk (the Worker's own upload cap is lower: 10 MB). */
  maxFileBytes: 50 * MiB,
  /** Entries (parts) in an xlsx zip. */
  maxZipEntries: 1000,
  /** Declared uncompressed bytes of one part of an xlsx zip. */
  maxPartBytes: 32 * MiB,
  /** Declared uncompressed bytes of all parts together. */
  maxTotalBytes: 100 * MiB,
  /** Largest uncompressed ÷ compressed ratio of one part, checked once the part is over `ratioGraceBytes`
   * (worksheet XML compresses 5–50×; a zip bomb hundreds or a thousand times). */
  maxRatio: 200,
  ratioGraceBytes: 1 * MiB,
  /** Rows and columns of any sheet (the last row and column holding a value, and row/column elements). */
  maxRows: 50_000,
  maxColumns: 1_000,
  /** Cells in a workbook: `<c>` elements of all worksheet XML (formatted blanks included) and notes; for a
   * CSV file, non-empty fields. ExcelJS needs about 0.6–0.9 KB of memory per cell. */
  maxCells: 250_000,
  /** Characters in one cell (Excel's own limit). */
  maxCellChars: 32_767,
  /** Merged ranges per workbook, and cells covered by them (ExcelJS creates every covered cell). */
  maxMerges: 10_000,
  maxMergedCells: 250_000,
  /** Cells covered by data validations (ExcelJS keeps one entry per covered cell when a workbook is loaded
   * for annotation; the reader skips validations). Two whole columns fit. */
  maxValidationCells: 2 * 1_048_576,
  /** Cells covered by hyperlinks: SheetJS visits (xlsx, xlsb: creates) every cell of a hyperlink's range. */
  maxHyperlinkCells: 250_000,
  /** Directory entries (streams and storages) of an .xls compound file; a workbook has about ten, a .msg
   * with attachments a few hundred. The directory is read and sorted before any stream. */
  maxCfbEntries: 4096,
  /** Characters of an HTML table or an Excel 2003 XML file: SheetJS holds the text as one string and makes
   * several whole copies of it (comments removed, normalised), then runs regular expressions over it. */
  maxMarkupChars: 32 * MiB,
  /** Open elements at once in HTML or XML 2003 markup; workbooks need about ten. */
  maxMarkupDepth: 64,
  /** Tables inside tables in HTML (SheetJS cuts each table at the first `</table>`). */
  maxTableDepth: 4,
  /** Cell-against-merge comparisons SheetJS's HTML reader makes: every cell is compared with every merged range
   * (colspan/rowspan) seen so far, so 250,000 cells and 10,000 merges would be 2.5 billion steps. */
  maxMergeScans: 50_000_000,
} as const;

export type SheetLimits = { readonly [K in keyof typeof SHEET_LIMITS]: number };

const fmt = (n: number): string => n.toLocaleString('en-US');

/** "12.3 MB" for messages. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} 字节`;
  if (n < MiB) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / MiB).toFixed(1)} MB`;
}

export function checkFileSize(bytes: Uint8Array, limits: SheetLimits = SHEET_LIMITS): void {
  if (bytes.length > limits.maxFileBytes) {
    throw new SheetError(
      'file-too-large',
      `文件过大（${formatBytes(bytes.length)}），上限为 ${formatBytes(limits.maxFileBytes)}；请删除与考评无关的工作表、图片后另存，或按乡镇分开处理`,
    );
  }
}

const where = (grid: SheetGrid): string => (grid.source === 'csv' ? '文件' : `工作表“${grid.name}”`);

/**
 * Refuse grids larger than the limits: a row or column beyond maxRows/maxColumns, more than maxCells values
 * in the file, a cell longer than maxCellChars, more merged ranges or merged cells than allowed. Refusing
 * (rather than dropping the excess) keeps every accepted file read in full.
 */
export function checkGridLimits(grids: readonly SheetGrid[], limits: SheetLimits = SHEET_LIMITS): void {
  let cells = 0;
  let merges = 0;
  let merged = 0;
  for (const grid of grids) {
    if (grid.rows.length > limits.maxRows) throw tooManyRows(where(grid), grid.rows.length, limits);
    for (const row of grid.rows) {
      if (!row) continue;
      if (row.length > limits.maxColumns) throw tooManyColumns(where(grid), row.length, limits);
      for (const cell of row) {
        if (!cell) continue;
        cells++;
        if (typeof cell.value === 'string' && cell.value.length > limits.maxCellChars) {
          throw cellTooLong(where(grid), cell.address, cell.value.length, grid.source === 'csv', limits);
        }
      }
    }
    if (cells > limits.maxCells) throw tooManyCells(cells, grid.source === 'csv' ? '个非空字段' : '个有内容的单元格', limits);
    for (const m of grid.merges) {
      merges++;
      merged += (m.bottom - m.top + 1) * (m.right - m.left + 1);
      if (m.bottom + 1 > limits.maxRows) throw tooManyRows(where(grid), m.bottom + 1, limits);
      if (m.right + 1 > limits.maxColumns) throw tooManyColumns(where(grid), m.right + 1, limits);
    }
    if (merges > limits.maxMerges || merged > limits.maxMergedCells) throw tooManyMerges(merges, merged, limits);
  }
}

/** `atLeast`: reading stopped at the limit, so the real count is only known to be larger. */
export function tooManyRows(what: string, rows: number, limits: SheetLimits = SHEET_LIMITS, atLeast = false): SheetError {
  return new SheetError(
    'too-many-rows',
    `${what}有${atLeast ? '超过' : ' '}${fmt(atLeast ? limits.maxRows : rows)} 行，超过上限 ${fmt(limits.maxRows)} 行；请删除表格下方多余的行（包括很远处的零星内容）后另存再试`,
  );
}

export function tooManyColumns(what: string, columns: number, limits: SheetLimits = SHEET_LIMITS): SheetError {
  return new SheetError(
    'too-many-columns',
    `${what}有 ${fmt(columns)} 列（到 ${columnLetter(Math.min(columns, 16384) - 1)} 列），超过上限 ${fmt(limits.maxColumns)} 列；请删除表格右侧多余的列后另存再试`,
  );
}

export function tooManyCells(cells: number, unit: string, limits: SheetLimits = SHEET_LIMITS, atLeast = false): SheetError {
  return new SheetError(
    'too-many-cells',
    `文件中有${atLeast ? '超过' : ' '}${fmt(cells)} ${unit}，超过上限 ${fmt(limits.maxCells)} 个；请删除与考评无关的工作表和多余的行列后另存，或按乡镇分开处理`,
  );
}

export function cellTooLong(what: string, address: string, chars: number, csv: boolean, limits: SheetLimits = SHEET_LIMITS): SheetError {
  return new SheetError(
    'cell-too-long',
    `${what}的单元格 ${address} 有 ${fmt(chars)} 个字符，超过上限 ${fmt(limits.maxCellChars)} 个${csv ? '（常见原因：某处引号没有闭合，后面的内容都被读进了同一个单元格）' : ''}；请检查后另存再试`,
  );
}

export function tooManyHyperlinks(cells: number, limits: SheetLimits = SHEET_LIMITS): SheetError {
  return new SheetError(
    'too-many-hyperlinks',
    `文件中的超链接共覆盖 ${fmt(cells)} 个单元格，超过上限 ${fmt(limits.maxHyperlinkCells)} 个（可能把超链接设置在整行、整列或整张表上）；请删除不必要的超链接后另存再试`,
  );
}

export function tooManyMerges(merges: number, cells: number, limits: SheetLimits = SHEET_LIMITS): SheetError {
  return new SheetError(
    'too-many-merges',
    merges > limits.maxMerges
      ? `文件中有 ${fmt(merges)} 处合并单元格，超过上限 ${fmt(limits.maxMerges)} 处；请取消不必要的合并后另存再试`
      : `文件中的合并单元格共覆盖 ${fmt(cells)} 个单元格，超过上限 ${fmt(limits.maxMergedCells)} 个（可能合并了整行或整列）；请取消不必要的合并后另存再试`,
  );
}
