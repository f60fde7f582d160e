// Small helpers shared by the value parsers: the text to quote, result constructors, and the guard that
// turns blank cells, placeholders and Excel error values into reasons.
import type { ParseResult, RawCell } from '../types.ts';
import { blankMarker, isBlank } from './blank.ts';

export type Failure = { ok: false; reason: string };

export function ok<T>(value: T, note?: string): ParseResult<T> {
  return note === undefined ? { ok: true, value } : { ok: true, value, note };
}

export function fail(reason: string): Failure {
  return { ok: false, reason };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The text the officer sees in the cell (used for quoting and for reading strings). */
export function cellText(cell: RawCell): string {
  const v = cell.value as unknown;
  if (typeof v === 'string') return v;
  if (cell.text !== undefined && cell.text !== '') return cell.text;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '无效日期';
    return `${v.getUTCFullYear()}-${pad2(v.getUTCMonth() + 1)}-${pad2(v.getUTCDate())}`;
  }
  return String(v);
}

const MAX_QUOTE = 40;

/** “…” around a text, trimmed and shortened when very long. */
export function quoteText(s: string): string {
  const t = s.trim();
  const chars = Array.from(t);
  return `“${chars.length > MAX_QUOTE ? `${chars.slice(0, MAX_QUOTE).join('')}…` : t}”`;
}

export function quote(cell: RawCell): string {
  return quoteText(cellText(cell));
}

/** Appends an explanation in full-width brackets when there is one. */
export function withDetail(reason: string, detail: string | undefined): string {
  return detail ? `${reason}（${detail}）` : reason;
}

const EXCEL_ERROR = /^#(?:N\/A|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!)$/i;

/**
 * A formula the sheet reader could only read as its text (no cached result): the reader sets `formula` and
 * the value `=` + formula (shared/sheet/xlsx.ts). Text that merely starts with "=" (a name typed as =西村,
 * a CSV field) is not a formula and is read as text.
 */
function isUncachedFormula(cell: RawCell): boolean {
  return cell.formula !== undefined && cell.value === `=${cell.formula}`;
}

/**
 * A reason when the cell holds nothing a parser should read: blank, a placeholder (/ — -), an Excel error
 * value (#DIV/0!) or a formula without a cached result. Undefined when the cell should be parsed.
 */
export function guard(cell: RawCell): Failure | undefined {
  if (isBlank(cell)) return fail('单元格为空');
  if (blankMarker(cell)) return fail(`${quote(cell)}是表示“无数据”的占位符，按缺失处理`);
  if (typeof cell.value === 'string') {
    const t = cell.value.trim();
    if (EXCEL_ERROR.test(t)) return fail(`单元格是错误值${quoteText(t)}（公式计算出错），请检查公式`);
    if (isUncachedFormula(cell)) return fail(`单元格是没有计算结果的公式${quoteText(t)}，请在Excel或WPS中重新计算后保存`);
  }
  return undefined;
}
