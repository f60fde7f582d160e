// Percentages, read as percent points (80 means 80%):
//   "80%" / "８０％" → 80 · a number formatted with % (0.8 under "0%") → 80 · "百分之八十" → 80 · a plain 80 → 80
//   · a plain 0.8 → 0.8 (i.e. 0.8%, with a note), unless the whole column is written as fractions
//   (inferFractionColumn), in which case 0.8 → 80.
// A percentage above 100 is refused (百分比超过100%): the rates the standards use (满意度, 参学率, 覆盖率 …)
// are shares of a whole. A caller with a rate that may legitimately exceed 100 passes allowOver100.
import type { ParseResult, RawCell } from '../types.ts';
import { normalizeValue } from '../text/normalize.ts';
import { isBlank, blankMarker } from './blank.ts';
import { type Failure, fail, guard, ok, quote, withDetail } from './common.ts';
import { type Decimal, decimalFromNumber, isNegative, mul, pow10, toNumber } from './decimal.ts';
import { type NumberReading, readNumberCell, readNumberText } from './number.ts';

export interface PercentOptions {
  /** The column holds fractions (0.8 = 80%): see inferFractionColumn. */
  fractionColumn?: boolean;
  /** Accept values above 100% (default false). */
  allowOver100?: boolean;
}

/** Does an Excel number format display a percentage? (% outside quoted text, escapes and [..] sections.) */
export function isPercentFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  return numFmt.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '').includes('%');
}

const NOUN = '百分比';

type Shape =
  | { how: 'percent'; d: Decimal } // written or formatted as a percentage: d is already in points
  | { how: 'plain'; d: Decimal; reading?: NumberReading };

/** How a cell states its number: as a percentage, or as a plain number. */
function shape(cell: RawCell): { ok: true; shape: Shape } | Failure {
  const v = cell.value;
  if (typeof v === 'number') {
    const d = decimalFromNumber(v);
    if (!d) return fail(withDetail(`无法识别为${NOUN}：${quote(cell)}`, '不是有效数字'));
    return { ok: true, shape: isPercentFormat(cell.numFmt) ? { how: 'percent', d: mul(d, pow10(2)) } : { how: 'plain', d } };
  }
  if (typeof v === 'string') {
    const t = normalizeValue(v);
    if (t.startsWith('百分之')) {
      const rest = t.slice(3);
      const r = readNumberText(rest === '百' ? '100' : rest); // 百分之百
      if (!r.ok || r.reading.unit !== '' || r.reading.multiplier !== '' || r.reading.currency) {
        return fail(withDetail(`无法识别为${NOUN}：${quote(cell)}`, r.ok ? undefined : r.detail));
      }
      return { ok: true, shape: { how: 'percent', d: r.reading.decimal } };
    }
  }
  const r = readNumberCell(cell, NOUN);
  if (!r.ok) return r;
  const { reading } = r;
  if (reading.multiplier !== '' || reading.currency || (reading.unit !== '' && reading.unit !== '%')) {
    const what = reading.unit !== '' && reading.unit !== '%' ? `单位“${reading.unit}”` : reading.currency ? '金额' : `“${reading.multiplier}”`;
    return fail(`无法识别为${NOUN}：${quote(cell)}（${what}不能用于百分比）`);
  }
  return { ok: true, shape: reading.unit === '%' ? { how: 'percent', d: reading.decimal } : { how: 'plain', d: reading.decimal } };
}

export function parsePercent(cell: RawCell, opts: PercentOptions = {}): ParseResult<number> {
  const g = guard(cell);
  if (g) return g;
  const s = shape(cell);
  if (!s.ok) return s;
  let points = s.shape.d;
  let note: string | undefined;
  if (s.shape.how === 'plain') {
    if (opts.fractionColumn) {
      points = mul(points, pow10(2));
      note = `本列按小数读取百分比：${quote(cell)}即${toNumber(points)}%`;
    } else {
      const v = toNumber(points);
      if (v > 0 && v < 1) note = `${quote(cell)}按${v}%读取；如指${toNumber(mul(points, pow10(2)))}%，请写成“${toNumber(mul(points, pow10(2)))}%”`;
    }
  }
  const value = toNumber(points);
  if (!Number.isFinite(value)) return fail(`百分比超出可表示的范围：${quote(cell)}`);
  if (isNegative(points)) return fail(`百分比不能为负数：${quote(cell)}`);
  if (value > 100 && !opts.allowOver100) {
    const shown = s.shape.how === 'plain' && opts.fractionColumn ? `（本列按小数读取，即${value}%）` : '';
    return fail(`百分比超过100%：${quote(cell)}${shown}`);
  }
  return ok(value, note);
}

/** The plain number a cell holds for fraction inference, or undefined when it is a percentage or no number. */
function plainNumber(cell: RawCell): number | undefined {
  if (isBlank(cell) || blankMarker(cell) || guard(cell)) return undefined;
  if (typeof cell.value !== 'number' && typeof cell.value !== 'string') return undefined;
  const s = shape(cell);
  return s.ok && s.shape.how === 'plain' ? toNumber(s.shape.d) : undefined;
}

/**
 * True when the column is written as fractions: every plain number (not %-formatted, not written with %)
 * lies in [0, 1] and at least one lies strictly between 0 and 1. Blank, placeholder and unreadable cells
 * are ignored.
 */
export function inferFractionColumn(cells: readonly (RawCell | undefined)[]): boolean {
  let strict = false;
  for (const cell of cells) {
    if (!cell) continue;
    const v = plainNumber(cell);
    if (v === undefined) continue;
    if (v < 0 || v > 1) return false;
    if (v > 0 && v < 1) strict = true;
  }
  return strict;
}
