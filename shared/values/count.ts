// Counts: a non-negative whole number of events, people or items. 12 · "12次" · "12人" · "十二次" · "１２" ·
// "无" (= 0, with a note) · "0". 12.5 is refused (次数应为整数).
import type { ParseResult, RawCell } from '../types.ts';
import { normalizeValue } from '../text/normalize.ts';
import { fail, guard, ok, quote } from './common.ts';
import { isInteger, isNegative } from './decimal.ts';
import { readNumberCell } from './number.ts';
import { FAMILY_NAME, lookupUnit, unconvertibleUnit } from './units.ts';

/** Words meaning "none" that a count column reads as 0. */
export const NONE_WORDS: readonly string[] = ['无', '没有', '暂无'];

const NOUN_BY_UNIT: Readonly<Record<string, string>> = { 人: '人数', 名: '人数', 位: '人数', 人次: '人次', 户: '户数' };

export interface CountOptions {
  /** What the count is, for messages (default: from the cell's unit, else 次数). */
  noun?: string;
}

export function parseCount(cell: RawCell, opts: CountOptions = {}): ParseResult<number> {
  const g = guard(cell);
  if (g) return g;
  if (typeof cell.value === 'string' && NONE_WORDS.includes(normalizeValue(cell.value))) {
    return ok(0, `${quote(cell)}按0计`);
  }
  const r = readNumberCell(cell, opts.noun ?? '次数');
  if (!r.ok) return r;
  const { reading } = r;
  const noun = opts.noun ?? NOUN_BY_UNIT[reading.unit] ?? '次数';
  if (reading.currency) return fail(`金额不是${noun}：${quote(cell)}`);
  if (reading.unit !== '') {
    const info = lookupUnit(reading.unit) ?? unconvertibleUnit(reading.unit);
    if (info && info.family !== 'count') {
      return fail(`单位“${reading.unit}”是${FAMILY_NAME[info.family]}单位，不是${noun}：${quote(cell)}`);
    }
  }
  if (isNegative(reading.decimal)) return fail(`${noun}不能为负数：${quote(cell)}`);
  if (!isInteger(reading.decimal)) return fail(`${noun}应为整数：${quote(cell)}`);
  return ok(reading.value);
}
