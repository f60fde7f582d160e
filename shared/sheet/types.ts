// Shapes used by the sheet reader. They extend the contract in shared/types.ts without changing it:
// a SheetGrid is a Grid and a SheetCell is a RawCell, so every consumer of Grid keeps working.
import type { Grid, RawCell } from '../types.ts';

/** A cell with what the reader learned while reading it. */
export interface SheetCell extends RawCell {
  /** The formula, when the cell holds one (without the leading "="). */
  formula?: string;
  /** A Chinese remark about how the value was obtained, e.g. 公式没有缓存结果，按公式文本读取. */
  note?: string;
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5';

/** What a file is, decided from its bytes (never its name): Office Open XML (xlsx/xlsm), binary xlsb, legacy
 * xls (BIFF5/BIFF8 in a compound file, also WPS .et), OpenDocument (ods), SpreadsheetML 2003 XML, an HTML table
 * (what many systems' 导出Excel writes under an .xls name), or delimited text. */
export type SheetFormat = 'xlsx' | 'xlsb' | 'xls' | 'ods' | 'xml2003' | 'html' | 'csv';

/** The content type a stored copy of each format is served with, and its usual extension. Never text/html or an
 * XML type a browser would render: an uploaded HTML table is downloaded as the .xls it claimed to be. */
export const FORMAT_FILE: Record<SheetFormat, { mime: string; ext: string }> = {
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
  xlsb: { mime: 'application/vnd.ms-excel.sheet.binary.macroEnabled.12', ext: 'xlsb' },
  xls: { mime: 'application/vnd.ms-excel', ext: 'xls' },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', ext: 'ods' },
  xml2003: { mime: 'application/vnd.ms-excel', ext: 'xls' },
  html: { mime: 'application/vnd.ms-excel', ext: 'xls' },
  csv: { mime: 'text/csv', ext: 'csv' },
};

/** Chinese names of the formats, for messages and the coloured copy's notes. */
export const FORMAT_ZH: Record<SheetFormat, string> = {
  xlsx: 'Excel 工作簿（.xlsx）',
  xlsb: 'Excel 二进制工作簿（.xlsb）',
  xls: 'Excel 97-2003 工作簿（.xls）',
  ods: 'OpenDocument 表格（.ods）',
  xml2003: 'Excel 2003 XML 表格',
  html: '网页（HTML）表格',
  csv: 'CSV 文本表格',
};

/** A Grid plus where it came from. */
export interface SheetGrid extends Grid {
  rows: (SheetCell | undefined)[][];
  source: SheetFormat;
  /** Column widths in Excel's character units (index = 0-based column), where the file gives them. */
  columnWidths?: (number | undefined)[];
  /** The sheet is hidden ('hidden') or very hidden ('veryHidden') in Excel. Kept, but flagged. */
  hidden?: 'hidden' | 'veryHidden';
  /** Text formats (csv, html, xml2003): the text encoding used and whether the file started with a byte-order mark. */
  encoding?: TextEncoding;
  bom?: boolean;
  /** csv only: the field separator used. */
  delimiter?: ',' | '\t' | ';';
  /** Chinese remarks about the file that do not stop reading (e.g. 引号没有闭合). */
  warnings: string[];
}

/** What a unit in a header tells about the values under it. */
export type UnitFamily = 'money' | 'area' | 'percent' | 'count' | 'hours';

/** One column of a located table. */
export interface HeaderColumn {
  /** 0-based column index and its letter. */
  index: number;
  letter: string;
  /** Header cells from the top of the header block down, merged parents included, duplicates removed
   * (a cell merged over two header rows appears once). Texts as found, whitespace removed at line breaks. */
  path: string[];
  /** path joined with "/" — the header as found (units included). */
  header: string;
  /** path with units removed, joined with "/". */
  label: string;
  /** Unit found in the header, as written (万元, 平方米, ㎡, %, 次 …). */
  unit?: string;
  unitFamily?: UnitFamily;
  /** Factor from the header's unit to the canonical unit of its family (万元 → 10000, 元 → 1, ㎡ → 1). */
  scale?: number;
  /** The header says the values are percentages (%, ％, 百分比). */
  percent?: boolean;
}

/** Where the village table sits on a sheet. Row numbers are 1-based sheet rows (as Excel shows them);
 * column indexes are 0-based (as in ColumnReport). */
export interface TableLayout {
  kind: 'table';
  /** Sheet name. */
  sheet: string;
  /** The header block, inclusive. */
  headerRows: { top: number; bottom: number };
  /** First row after the header block (after a 栏次 row such as 甲、乙、1、2、3 … when present). */
  firstDataRow: number;
  /** The same positions as 0-based indexes into grid.rows (header block inclusive, first data row). */
  headerTop: number;
  headerBottom: number;
  dataStart: number;
  /** A column-number row (栏次) directly below the header, when present (1-based). */
  columnNumberRow?: number;
  /** Non-empty rows above the header: table titles, 填报单位/填报日期 lines. Text of each row, cells joined by a space. */
  titleLines: { row: number; text: string; kind: 'title' | 'preamble' | 'other' }[];
  /** The text of each title line (titleLines[i].text), for period detection (e.g. 第三季度). */
  titles: string[];
  /** All title lines joined with a newline. */
  titleText: string;
  columns: HeaderColumn[];
  /** How many distinct inputs the header block matched while it was being located (each input once), and the
   * summed confidence of those matches; useful for choosing between sheets. */
  matchedColumns: number;
  score: number;
}

/** Why a sheet holds no village table. Shaped to drop into ScoreReport.ignoredSheets ({ name, reason }). */
export interface SheetProblem {
  kind: 'problem';
  code: 'empty-sheet' | 'no-header';
  /** Sheet name. */
  name: string;
  /** Chinese explanation. */
  reason: string;
  /** The same text as `reason` (for callers that treat problems like errors). */
  message: string;
}

export interface ExtractedRow {
  /** 1-based sheet row. */
  row: number;
  /** Every mapped input of the sheet; undefined when its cell is blank. */
  cells: Record<string, RawCell | undefined>;
}

export interface SkippedRow {
  /** 1-based sheet row. */
  row: number;
  /** Chinese reason, e.g. 合计行（合计）. */
  reason: string;
}

export interface ExtractedRows {
  rows: ExtractedRow[];
  skipped: SkippedRow[];
}

/** A mapping override as validated: column letter or header text → input id, or null to ignore the column. */
export interface MappingOverride {
  columns: Record<string, string | null>;
}
