// Dates, read to year + month (+ day when written):
//   "2024.3" · "2024.10" (October) · "2024.1" (January, with a note) · "2024-03" · "2024/3/15" · "2024年3月" ·
//   "2024年3月15日" · "二〇二四年三月" · "202403" · "20240315" · xlsx date cells (Date objects, read in UTC as
//   ExcelJS stores them) · Excel serial numbers under a date format.
// The trap: Excel stores a typed 2024.10 as the NUMBER 2024.1, indistinguishable from a typed 2024.1, so a
// numeric 2024.1 (any year) is refused with a reason that says how to write it; numeric 2024.3 … 2024.12
// are unambiguous. The STRING "2024.10" is October and the string "2024.1" is January.
// Checks: year 1949–2100, month 1–12, the day exists in that month.
import type { ParseResult, RawCell, YearMonth } from '../types.ts';
import { foldWidth, simplify, stripSpaces } from '../text/normalize.ts';
import { parseChineseDigits, parseChineseNumeral } from './chinese-numeral.ts';
import { fail, guard, ok, quote, quoteText } from './common.ts';

export const MIN_YEAR = 1949;
export const MAX_YEAR = 2100;

/** Is an Excel number format a date format? (y, d or 年/日 outside quoted text, escapes and [..] sections.) */
export function isDateNumFmt(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  const core = numFmt.split(';')[0]!.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
  return /[yd年日]/i.test(core) || (/m/i.test(core) && !/[hs0#]/i.test(core));
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function check(cell: RawCell, year: number, month: number, day?: number, note?: string): ParseResult<YearMonth> {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    return fail(`年份应在${MIN_YEAR}至${MAX_YEAR}之间：${quote(cell)}`);
  }
  if (!Number.isInteger(month) || month < 1 || month > 12) return fail(`月份应在1至12之间：${quote(cell)}`);
  if (day !== undefined && (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month))) {
    return fail(`日期不存在：${quote(cell)}（${year}年${month}月没有${day}日）`);
  }
  return ok(day === undefined ? { year, month } : { year, month, day }, note);
}

/** 3, 03, 三, 十, 十二 → the number; undefined otherwise. */
function small(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (/^\d{1,2}$/.test(s)) return Number(s);
  return parseChineseNumeral(s);
}

function cannot(cell: RawCell, detail: string): ParseResult<YearMonth> {
  return fail(`无法识别为日期：${quote(cell)}（${detail}）`);
}

const ZH_DIGITS = '〇零一二三四五六七八九';
const SEPARATED = /^(\d{4})([./-])(\d{1,2})(?:\2(\d{1,2}))?$/;
const CHINESE = new RegExp(
  `^(\\d{4}|[${ZH_DIGITS}]{4})年(\\d{1,2}|[一二三四五六七八九十]{1,3})月份?(?:(\\d{1,2}|[一二三四五六七八九十]{1,3})[日号])?$`,
);
const COMPACT = /^(\d{4})(\d{2})(\d{2})?$/;

/** Four digits, then 至/到/~/—/-, then four digits (2023年—2024年). Linear: the regex /\d{4}.*(sep).*\d{4}/
 * it replaces backtracked quadratically on long digit runs (2.4 s on a 40,000-digit cell). */
function isPeriodRange(t: string): boolean {
  const first = /\d{4}/.exec(t);
  if (!first) return false;
  const rest = t.slice(first.index + 4);
  const sep = rest.search(/[至到~—-]/);
  return sep >= 0 && /\d{4}/.test(rest.slice(sep + 1));
}

function fromText(cell: RawCell, raw: string): ParseResult<YearMonth> {
  // A time after the date (2024-03-15 10:30) is dropped before spaces are removed.
  let t = foldWidth(raw).trim().replace(/(?:[T\s]+|(?<=日))\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?$/, '');
  t = simplify(stripSpaces(t));
  let m = SEPARATED.exec(t);
  if (m) {
    const note =
      m[2] === '.' && m[3] === '1' && m[4] === undefined
        ? `${quote(cell)}按${m[1]}年1月读取；如指10月，请写成“${m[1]}年10月”`
        : undefined;
    return check(cell, Number(m[1]), Number(m[3]), m[4] === undefined ? undefined : Number(m[4]), note);
  }
  m = CHINESE.exec(t);
  if (m) {
    const year = /^\d/.test(m[1]!) ? Number(m[1]) : parseChineseDigits(m[1]!);
    const month = small(m[2]);
    const day = m[3] === undefined ? undefined : small(m[3]);
    if (year === undefined || month === undefined || (m[3] !== undefined && day === undefined)) {
      return cannot(cell, '请写成“2024年3月”或“2024年3月15日”');
    }
    return check(cell, year, month, day);
  }
  m = COMPACT.exec(t);
  if (m) return check(cell, Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3]));
  if (/^\d{4}年?$/.test(t)) return cannot(cell, '只有年份，缺少月份');
  if (/^\d{1,2}月/.test(t)) return cannot(cell, '缺少年份');
  if (/^\d{2}(?:[./-]\d{1,2}|年)/.test(t)) return cannot(cell, '年份请写全4位，如“2024年3月”');
  if (isPeriodRange(t)) return cannot(cell, '这是一个时间段，请填写一个日期');
  return cannot(cell, '请写成“2024年3月”或“2024.3”');
}

/** Whole days since 1899-12-30 (Excel's 1900 date system, which absorbs the fictitious 1900-02-29). */
function fromSerial(cell: RawCell, serial: number): ParseResult<YearMonth> {
  const d = new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000);
  return check(cell, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function fromNumber(cell: RawCell, v: number): ParseResult<YearMonth> {
  if (!Number.isFinite(v)) return cannot(cell, '不是有效数字');
  // Under a date format a number is a serial day count, unless it is obviously a typed 2024.3 (a serial that
  // small would be a date before 1949).
  if (isDateNumFmt(cell.numFmt) && !(v >= MIN_YEAR && v < MAX_YEAR + 1 && !Number.isInteger(v))) {
    return fromSerial(cell, v);
  }
  const s = String(v);
  if (/^\d{6}$|^\d{8}$/.test(s)) {
    const m = COMPACT.exec(s)!;
    return check(cell, Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3]));
  }
  if (/^\d{4}$/.test(s)) return cannot(cell, '只有年份，缺少月份');
  const m = /^(\d{4})\.(\d{1,2})$/.exec(s);
  if (m) {
    if (m[2] === '1') {
      return fail(
        `日期有歧义：${quote(cell)}是数字，可能是${m[1]}年1月，也可能是输入“${m[1]}.10”时被Excel存成了${s}（10月）；` +
          `请写成“${m[1]}年1月”或“${m[1]}年10月”`,
      );
    }
    return check(cell, Number(m[1]), Number(m[2]));
  }
  return cannot(cell, `数字${quoteText(s)}不是日期；若是Excel日期序号，请把单元格设为日期格式，或写成“2024年3月”`);
}

export function parseDate(cell: RawCell): ParseResult<YearMonth> {
  const g = guard(cell);
  if (g) return g;
  const v = cell.value;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return fail('无法识别为日期：单元格中的日期无效');
    return check(cell, v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
  }
  if (typeof v === 'number') return fromNumber(cell, v);
  if (typeof v === 'boolean') return cannot(cell, '这是逻辑值');
  return fromText(cell, String(v));
}
