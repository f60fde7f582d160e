import { describe, expect, it } from 'vitest';
import { parseQuantity, type QuantityKind } from '../../shared/values/index.ts';
import { cell } from './helpers.ts';

describe('parseQuantity: money (元)', () => {
  it.each<[unknown, number, number]>([
    // value, headerScale, expected
    ['2.5万', 1, 25000],
    ['25000元', 1, 25000],
    ['2.5万元', 1, 25000],
    ['2.57万', 1, 25700],
    ['0.07万', 1, 700],
    ['0.07万元', 1, 700],
    ['25,000', 1, 25000],
    ['２５，０００元', 1, 25000],
    ['¥25000', 1, 25000],
    ['3千元', 1, 3000],
    ['两万五千元', 1, 25000],
    ['25000', 1, 25000],
    [25000, 1, 25000],
    [2.5, 10000, 25000],
    [2.57, 10000, 25700],
    [0.07, 10000, 700],
    ['0.07', 10000, 700],
    ['2.5', 10000, 25000],
    [1.1, 1000, 1100],
    [-0.5, 10000, -5000], // a loss
    ['-0.5万', 1, -5000],
    ['无', 10000, 0],
    ['十二', 10000, 120000], // a numeral without a magnitude word takes the header's unit
    ['两万', 10000, 20000], // …one with 万 states its own
    ['3千', 10000, 3000],
  ])('%j (header ×%d) → %d', (value, scale, n) => {
    const r = parseQuantity(cell(value as never), 'money', scale);
    expect(r.ok && r.value).toBe(n);
  });

  it('ignores the header scale when the cell writes its own unit, and says so', () => {
    expect(parseQuantity(cell('2.5万'), 'money', 10000)).toEqual({
      ok: true,
      value: 25000,
      note: '单元格自带单位，未按表头单位换算：“2.5万”',
    });
    expect(parseQuantity(cell('25000元'), 'money', 10000)).toMatchObject({ ok: true, value: 25000 });
    expect(parseQuantity(cell('¥25000'), 'money', 10000)).toMatchObject({ ok: true, value: 25000 });
  });

  it.each<[unknown, string]>([
    ['90人', '单位“人”不是金额单位：“90人”（“人”是计数单位，本列应为元）'],
    ['90㎡', '单位“m2”不是金额单位：“90㎡”（“m2”是面积单位，本列应为元）'],
    ['约2万', '无法识别为金额：“约2万”（“约”表示估计，请填写确切数字）'],
    ['2-3万', '无法识别为金额：“2-3万”（这是一个范围，请填写一个确切数字）'],
  ])('%j is refused', (value, reason) => {
    expect(parseQuantity(cell(value as never), 'money')).toEqual({ ok: false, reason });
  });
});

describe('parseQuantity: area (平方米)', () => {
  it.each<[unknown, number]>([
    ['90㎡', 90],
    ['90m2', 90],
    ['90M²', 90],
    ['90 m²', 90],
    ['90平方米', 90],
    ['90平米', 90],
    ['90平方', 90],
    ['90平方公尺', 90],
    ['９０．５㎡', 90.5],
    ['0.03公顷', 300],
    ['1.2万平方米', 12000],
    [300, 300],
    ['300', 300],
  ])('%j → %d', (value, n) => {
    expect(parseQuantity(cell(value as never), 'area')).toMatchObject({ ok: true, value: n });
  });

  it.each<[unknown, string]>([
    ['90人', '单位“人”不是面积单位：“90人”（“人”是计数单位，本列应为平方米）'],
    ['90元', '单位“元”不是面积单位：“90元”（“元”是金额单位，本列应为平方米）'],
    ['¥90', '金额不是面积：“¥90”'],
    ['2亩', '无法识别为面积：“2亩”（“亩”不能精确换算为平方米（1亩约合666.67平方米），请换算成平方米后填写）'],
    ['90平方尺', '无法识别为面积：“90平方尺”（无法识别的单位“平方尺”）'],
    ['-90', '面积不能为负数：“-90”'],
    [-90, '面积不能为负数：“-90”'],
  ])('%j is refused', (value, reason) => {
    expect(parseQuantity(cell(value as never), 'area')).toEqual({ ok: false, reason });
  });
});

describe('parseQuantity: hours (学时)', () => {
  it.each<[unknown, number]>([
    ['24学时', 24],
    ['24小时', 24],
    ['24课时', 24],
    ['24个学时', 24],
    ['1.5小时', 1.5],
    ['二十四学时', 24],
    ['24h', 24],
    [24, 24],
  ])('%j → %d', (value, n) => {
    expect(parseQuantity(cell(value as never), 'hours')).toMatchObject({ ok: true, value: n });
  });

  it.each<[unknown, string]>([
    ['3天', '无法识别为学时数：“3天”（“天”不能换算为学时，请填写学时数）'],
    ['90分钟', '无法识别为学时数：“90分钟”（“分钟”请换算成学时（小时）后填写）'],
    ['24次', '单位“次”不是学时数单位：“24次”（“次”是计数单位，本列应为学时）'],
  ])('%j is refused', (value, reason) => {
    expect(parseQuantity(cell(value as never), 'hours')).toEqual({ ok: false, reason });
  });
});

describe('parseQuantity: number', () => {
  it.each<[unknown, number]>([
    [3.5, 3.5],
    ['3.5', 3.5],
    ['120户', 120],
    ['1.2万', 12000],
  ])('%j → %d', (value, n) => {
    expect(parseQuantity(cell(value as never), 'number')).toMatchObject({ ok: true, value: n });
  });

  it.each<[unknown, string]>([
    ['90元', '单位“元”不是数值单位：“90元”（“元”是金额单位，本列应填写不带单位的数字）'],
    ['80%', '单位“%”不是数值单位：“80%”（“%”是百分比单位，本列应填写不带单位的数字）'],
    ['-1', '数值不能为负数：“-1”'],
  ])('%j is refused', (value, reason) => {
    expect(parseQuantity(cell(value as never), 'number')).toEqual({ ok: false, reason });
  });
});

describe('parseQuantity: header scale', () => {
  it.each<QuantityKind>(['number', 'money', 'area', 'hours'])('%s refuses an unusable scale', (kind) => {
    for (const scale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(parseQuantity(cell(1), kind, scale).ok).toBe(false);
    }
  });
});

describe('parseQuantity: overflow', () => {
  it('refuses a value that overflows once scaled', () => {
    expect(parseQuantity(cell(1.7e307), 'money', 100)).toEqual({ ok: false, reason: '金额超出可表示的范围：“1.7e+307”' });
  });
});
