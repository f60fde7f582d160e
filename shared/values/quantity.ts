// Quantities in a canonical unit: money in 元, area in 平方米, hours in 学时, or a plain number.
//
// A cell that writes its own unit or multiplier (2.5万, 25000元, 90㎡) is read in that unit and the column
// header's scale is ignored, because the cell says what it means. A bare number takes the header's scale
// (2.5 under 「集体经济收入（万元）」 arrives with headerScale = 10000 → 25000). All scaling is decimal-exact.
// Negative values are refused except for money (集体经济收益 can be a loss).
import type { ParseResult, RawCell } from '../types.ts';
import { normalizeValue } from '../text/normalize.ts';
import { fail, guard, ok, quote } from './common.ts';
import { decimalFromNumber, isNegative, mul, pow10, toNumber } from './decimal.ts';
import { NONE_WORDS } from './count.ts';
import { readNumberCell } from './number.ts';
import { FAMILY_NAME, FAMILY_UNIT, type UnitFamily, lookupUnit, unconvertibleUnit } from './units.ts';

export type QuantityKind = 'number' | 'hours' | 'money' | 'area';

const NOUN: Readonly<Record<QuantityKind, string>> = { number: '数值', hours: '学时数', money: '金额', area: '面积' };
/** The unit family a cell's own unit must belong to ('number' accepts counters such as 户, 个, 人). */
const FAMILY: Readonly<Record<QuantityKind, UnitFamily>> = { number: 'count', hours: 'hours', money: 'money', area: 'area' };

export function parseQuantity(cell: RawCell, kind: QuantityKind, headerScale = 1): ParseResult<number> {
  const g = guard(cell);
  if (g) return g;
  const noun = NOUN[kind];
  const scale = decimalFromNumber(headerScale);
  if (!scale || headerScale <= 0) return fail(`表头换算系数无效（${headerScale}），无法读取${noun}：${quote(cell)}`);
  if (typeof cell.value === 'string' && NONE_WORDS.includes(normalizeValue(cell.value))) {
    return ok(0, `${quote(cell)}按0计`);
  }
  const r = readNumberCell(cell, noun);
  if (!r.ok) return r;
  const { reading } = r;
  const family = FAMILY[kind];
  let d = reading.decimal;
  if (reading.currency && family !== 'money') return fail(`金额不是${noun}：${quote(cell)}`);
  if (reading.unit !== '') {
    const info = lookupUnit(reading.unit);
    const bad = info ? undefined : unconvertibleUnit(reading.unit);
    if (bad && bad.family === family) return fail(`无法识别为${noun}：${quote(cell)}（${bad.reason}）`);
    const fam = info?.family ?? bad?.family;
    if (fam !== family) {
      const expected = kind === 'number' ? '本列应填写不带单位的数字' : `本列应为${FAMILY_UNIT[family]}`;
      return fail(`单位“${reading.unit}”不是${NOUN[kind]}单位：${quote(cell)}（${fam ? `“${reading.unit}”是${FAMILY_NAME[fam]}单位，` : ''}${expected}）`);
    }
    d = mul(d, pow10(info!.exp));
  }
  if (kind !== 'money' && isNegative(d)) return fail(`${noun}不能为负数：${quote(cell)}`);
  const ownUnit = reading.unit !== '' || reading.multiplier !== '' || reading.currency;
  const value = toNumber(ownUnit ? d : mul(d, scale));
  if (!Number.isFinite(value)) return fail(`${noun}超出可表示的范围：${quote(cell)}`);
  return ok(value, ownUnit && headerScale !== 1 ? `单元格自带单位，未按表头单位换算：${quote(cell)}` : undefined);
}
