// Plain data exchanged between the adapter (Office.js) and the pure logic. No Office types here.
import type { Grid } from '../../shared/types.ts';
import type { Rect } from './address.ts';

export type CellScalar = string | number | boolean | null;

/** One cell the scoring touched: our fill (ARGB, as STATUS_PALETTE) and the note lines explaining it. */
export interface CellAnnotation {
  /** "F7" on the scored sheet (a merged area's top-left cell). */
  address: string;
  /** ARGB of the status colour, or null for no fill. */
  fill: string | null;
  /** Note lines (our part, without the separator), or null for no note on this cell. */
  lines: string[] | null;
}

/** A sheet the add-in writes (考评结果, 整改台账, 调查表): values in one rectangular block from A1. */
export interface OutputSheet {
  name: string;
  values: CellScalar[][];
  /** 0-based row of the table header in `values` (bold, shaded). */
  headerRow: number;
  /** Number of data rows under the header. */
  dataRows: number;
  /** 0-based columns whose data cells are text ('@': 12-digit codes keep their digits). */
  textColumns?: number[];
  /** 0-based columns holding Excel serial dates (shown yyyy-mm-dd). */
  dateColumns?: number[];
  /** Legend swatches: a cell filled with a status colour (ARGB). */
  swatches?: { row: number; col: number; argb: string }[];
  /** A dropdown over the data cells of one column. */
  listValidation?: { col: number; options: string[] };
  tabColor?: string;
  /** Rows (from the top) and columns (from the left) to freeze. */
  freeze?: { rows: number; columns: number };
}

/** The 调查表 template: its values plus per-column validation, notes and merges. */
export interface TemplateSheet extends OutputSheet {
  merges: Rect[];
  /** 0-based row where data entry starts, and how many rows get validation. */
  firstDataRow: number;
  columns: {
    col: number;
    note: string;
    /** 0-based row of the header cell that carries the note. */
    noteRow: number;
    validation?: ValidationSpec;
    text?: boolean;
    width: number;
  }[];
}

/** Data validation as the template module describes it, in Office.js's vocabulary. */
export interface ValidationSpec {
  kind: 'list' | 'whole' | 'decimal' | 'textLength' | 'custom';
  options?: string[];
  operator?: 'GreaterThanOrEqualTo' | 'Between' | 'EqualTo';
  formula1?: number | string;
  formula2?: number | string;
  prompt?: { title: string; message: string };
  error?: { style: 'Stop' | 'Warning'; title: string; message: string };
}

/** What the add-in keeps in the workbook between sessions (workbook settings, key "kaoping"). */
export interface KaopingSettings {
  version: 1;
  /** Per sheet: the officer's mapping corrections and chosen period. */
  sheets: Record<string, { mapping?: Record<string, string | null>; period?: string }>;
}

export interface SheetReadResult {
  sheet: { name: string; id: string };
  grid: Grid;
  /** Used range (values only), or null for an empty sheet. */
  used: Rect | null;
  sheets: string[];
  settings: KaopingSettings;
}

export interface AnnotateResult {
  cells: number;
  notes: number;
  /** Where explanations went: notes, comments, or (when neither is available) the 考评结果 sheet. */
  noteMode: 'notes' | 'comments' | 'none';
  /** Cells whose explanation went to 考评结果 instead (an officer's own comment is never edited). */
  explainedOnSheet: number;
}

export interface ClearResult {
  cells: number;
  sheets: string[];
  usedStore: boolean;
}

/** A change on a sheet, as the adapter reports it to the logic. */
export interface SheetChange {
  sheetId: string;
  address: string;
  changeType: string;
  /** Set when Excel says the change came from this add-in (ExcelApi 1.14). */
  fromThisAddin: boolean;
}
