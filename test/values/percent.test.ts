import { describe, expect, it } from 'vitest';
import type { RawCell } from '../../shared/types.ts';
import { inferFractionColumn, isPercentFormat, parsePercent } from '../../shared/values/index.ts';
import { cell } from './helpers.ts';

describe('parsePercent', () => {
  it.each<[RawCell, number]>([
    [cell('80%'), 80],
    [cell('８０％'), 80],
    [cell('80 %'), 80],
    [cell('80.5%'), 80.5],
    [cell('0.5%'), 0.5],
    [cell('100%'), 100],
    [cell('0%'), 0],
    [cell(0.8, { numFmt: '0%' }), 80],
    [cell(0.8, { numFmt: '0.00%', text: '80.00%' }), 80],
    [cell(0.07, { numFmt: '0%' }), 7],
    [cell(0.333, { numFmt: '0.0%' }), 33.3],
    [cell(1, { numFmt: '0%' }), 100],
    [cell(80), 80],
    [cell('80'), 80],
    [cell(100), 100],
    [cell(0), 0],
    [cell('百分之八十'), 80],
    [cell('百分之百'), 100],
    [cell('百分之8.5'), 8.5],
    [cell('百分之一百'), 100],
  ])('%j → %d', (c, n) => {
    expect(parsePercent(c)).toMatchObject({ ok: true, value: n });
  });

  it('reads a plain fraction as percent points, with a note, unless the column is fractions', () => {
    expect(parsePercent(cell(0.8))).toEqual({ ok: true, value: 0.8, note: '“0.8”按0.8%读取；如指80%，请写成“80%”' });
    expect(parsePercent(cell(0.8), { fractionColumn: true })).toEqual({ ok: true, value: 80, note: '本列按小数读取百分比：“0.8”即80%' });
    expect(parsePercent(cell('0.07'), { fractionColumn: true })).toMatchObject({ ok: true, value: 7 });
    expect(parsePercent(cell(1), { fractionColumn: true })).toMatchObject({ ok: true, value: 100 });
  });

  it('does not let fractionColumn touch explicit percentages', () => {
    expect(parsePercent(cell('80%'), { fractionColumn: true })).toEqual({ ok: true, value: 80 });
    expect(parsePercent(cell(0.8, { numFmt: '0%' }), { fractionColumn: true })).toEqual({ ok: true, value: 80 });
  });

  it.each<[RawCell, string, boolean?]>([
    [cell('120%'), '百分比超过100%：“120%”'],
    [cell(120), '百分比超过100%：“120”'],
    [cell(1.2, { numFmt: '0%', text: '120%' }), '百分比超过100%：“120%”'],
    [cell(1.2), '百分比超过100%：“1.2”（本列按小数读取，即120%）', true],
    [cell('-5%'), '百分比不能为负数：“-5%”'],
    [cell('约80%'), '无法识别为百分比：“约80%”（“约”表示估计，请填写确切数字）'],
    [cell('80%-90%'), '无法识别为百分比：“80%-90%”（这是一个范围，请填写一个确切数字）'],
    [cell('80人'), '无法识别为百分比：“80人”（单位“人”不能用于百分比）'],
    [cell('0.8万'), '无法识别为百分比：“0.8万”（“万”不能用于百分比）'],
    [cell('百分之八十人'), '无法识别为百分比：“百分之八十人”'],
    [cell('5‰'), '无法识别为百分比：“5‰”（单位“‰”不能用于百分比）'],
    [cell('好'), '无法识别为百分比：“好”'],
  ])('%j is refused: %s', (c, reason, fractionColumn) => {
    expect(parsePercent(c, { fractionColumn: fractionColumn ?? false })).toEqual({ ok: false, reason });
  });

  it('accepts more than 100% when the caller allows it', () => {
    expect(parsePercent(cell('120%'), { allowOver100: true })).toEqual({ ok: true, value: 120 });
  });
});

describe('isPercentFormat', () => {
  it.each<[string | undefined, boolean]>([
    ['0%', true],
    ['0.00%', true],
    ['[Red]0.0%', true],
    ['General', false],
    ['0.00', false],
    ['0"%"', false],
    ['0\\%', false],
    [undefined, false],
  ])('%j → %s', (fmt, expected) => {
    expect(isPercentFormat(fmt)).toBe(expected);
  });
});

describe('inferFractionColumn', () => {
  it.each<[string, RawCell[], boolean]>([
    ['all fractions', [cell(0.8), cell(0.95), cell(1), cell(0)], true],
    ['fraction strings', [cell('0.8'), cell('０．９')], true],
    ['blanks, placeholders and unreadable cells ignored', [cell(0.8), cell(null), cell('/'), cell('不详'), cell('')], true],
    ['%-written and %-formatted cells ignored', [cell(0.8), cell('80%'), cell(0.9, { numFmt: '0%' })], true],
    ['a value above 1', [cell(0.8), cell(80)], false],
    ['only 0 and 1', [cell(0), cell(1), cell(1)], false],
    ['percent points', [cell(80), cell(95)], false],
    ['a negative value', [cell(0.5), cell(-0.2)], false],
    ['only percentages', [cell('80%'), cell(0.8, { numFmt: '0%' })], false],
    ['empty', [], false],
    ['booleans and dates ignored', [cell(true), cell(new Date(Date.UTC(2024, 0, 1))), cell(0.5)], true],
  ])('%s → %s', (_name, cells, expected) => {
    expect(inferFractionColumn(cells)).toBe(expected);
  });

  it('accepts undefined cells (gaps in a column)', () => {
    expect(inferFractionColumn([undefined, cell(0.5)])).toBe(true);
  });
});
