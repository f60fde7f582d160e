import { describe, expect, it } from 'vitest';
import type { RawCell, YearMonth } from '../../shared/types.ts';
import { isDateNumFmt, parseDate } from '../../shared/values/index.ts';
import { cell } from './helpers.ts';

const ym = (year: number, month: number, day?: number): YearMonth => (day === undefined ? { year, month } : { year, month, day });

describe('parseDate: text', () => {
  it.each<[string, YearMonth]>([
    ['2024.3', ym(2024, 3)],
    ['2024.03', ym(2024, 3)],
    ['2024.10', ym(2024, 10)],
    ['2024.12', ym(2024, 12)],
    ['２０２４．３', ym(2024, 3)],
    ['2024-03', ym(2024, 3)],
    ['2024-3', ym(2024, 3)],
    ['2024/3', ym(2024, 3)],
    ['2024/3/15', ym(2024, 3, 15)],
    ['2024-03-15', ym(2024, 3, 15)],
    ['2024.3.15', ym(2024, 3, 15)],
    ['2024-03-15 10:30', ym(2024, 3, 15)],
    ['2024-03-15T10:30:00Z', ym(2024, 3, 15)],
    ['2024年3月', ym(2024, 3)],
    ['2024年03月', ym(2024, 3)],
    ['2024年3月份', ym(2024, 3)],
    ['2024 年 3 月', ym(2024, 3)],
    ['2024年3月15日', ym(2024, 3, 15)],
    ['2024年3月15号', ym(2024, 3, 15)],
    ['２０２４年３月１５日', ym(2024, 3, 15)],
    ['二〇二四年三月', ym(2024, 3)],
    ['二零二四年十月', ym(2024, 10)],
    ['二〇二四年十二月三十一日', ym(2024, 12, 31)],
    ['202403', ym(2024, 3)],
    ['20240315', ym(2024, 3, 15)],
    ['2024年2月29日', ym(2024, 2, 29)],
    ['1949.10', ym(1949, 10)],
    ['2100.12', ym(2100, 12)],
  ])('%j → %j', (text, expected) => {
    expect(parseDate(cell(text))).toEqual({ ok: true, value: expected });
  });

  it('reads the string "2024.1" as January, with a note on how to write October', () => {
    expect(parseDate(cell('2024.1'))).toEqual({
      ok: true,
      value: ym(2024, 1),
      note: '“2024.1”按2024年1月读取；如指10月，请写成“2024年10月”',
    });
  });

  it.each<[string, string]>([
    ['2024.13', '月份应在1至12之间：“2024.13”'],
    ['2024年0月', '月份应在1至12之间：“2024年0月”'],
    ['2024年2月30日', '日期不存在：“2024年2月30日”（2024年2月没有30日）'],
    ['2023-02-29', '日期不存在：“2023-02-29”（2023年2月没有29日）'],
    ['2024/4/31', '日期不存在：“2024/4/31”（2024年4月没有31日）'],
    ['1900.1', '年份应在1949至2100之间：“1900.1”'],
    ['2101年1月', '年份应在1949至2100之间：“2101年1月”'],
    ['2024', '无法识别为日期：“2024”（只有年份，缺少月份）'],
    ['2024年', '无法识别为日期：“2024年”（只有年份，缺少月份）'],
    ['3月', '无法识别为日期：“3月”（缺少年份）'],
    ['24.3', '无法识别为日期：“24.3”（年份请写全4位，如“2024年3月”）'],
    ['24年3月', '无法识别为日期：“24年3月”（年份请写全4位，如“2024年3月”）'],
    ['2024年3月-2024年5月', '无法识别为日期：“2024年3月-2024年5月”（这是一个时间段，请填写一个日期）'],
    ['2024-3/15', '无法识别为日期：“2024-3/15”（请写成“2024年3月”或“2024.3”）'],
    ['去年', '无法识别为日期：“去年”（请写成“2024年3月”或“2024.3”）'],
  ])('%j is refused: %s', (text, reason) => {
    expect(parseDate(cell(text))).toEqual({ ok: false, reason });
  });
});

describe('parseDate: numbers and date cells', () => {
  it.each<[RawCell, YearMonth]>([
    [cell(new Date(Date.UTC(2024, 2, 15))), ym(2024, 3, 15)],
    [cell(new Date(Date.UTC(2024, 9, 1, 23, 30))), ym(2024, 10, 1)],
    [cell(45366, { numFmt: 'yyyy-mm-dd' }), ym(2024, 3, 15)],
    [cell(45366.75, { numFmt: 'yyyy/m/d h:mm' }), ym(2024, 3, 15)],
    [cell(45366, { numFmt: 'yyyy"年"m"月"d"日"' }), ym(2024, 3, 15)],
    [cell(45352, { numFmt: '[$-804]yyyy年m月' }), ym(2024, 3, 1)],
    [cell(2024.3), ym(2024, 3)],
    [cell(2024.12), ym(2024, 12)],
    [cell(2024.01), ym(2024, 1)],
    [cell(2024.3, { numFmt: 'yyyy-mm-dd' }), ym(2024, 3)], // a typed 2024.3 in a date-formatted column
    [cell(202403), ym(2024, 3)],
    [cell(20240315), ym(2024, 3, 15)],
  ])('%j → %j', (c, expected) => {
    expect(parseDate(c)).toEqual({ ok: true, value: expected });
  });

  it('refuses a numeric 2024.1: it may be a typed 2024.10', () => {
    expect(parseDate(cell(2024.1))).toEqual({
      ok: false,
      reason:
        '日期有歧义：“2024.1”是数字，可能是2024年1月，也可能是输入“2024.10”时被Excel存成了2024.1（10月）；请写成“2024年1月”或“2024年10月”',
    });
    const r = parseDate(cell(2019.1, { text: '2019.10', numFmt: '0.00' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('请写成“2019年1月”或“2019年10月”');
  });

  it.each<[RawCell, string]>([
    [cell(45366), '无法识别为日期：“45366”（数字“45366”不是日期；若是Excel日期序号，请把单元格设为日期格式，或写成“2024年3月”）'],
    [cell(2024), '无法识别为日期：“2024”（只有年份，缺少月份）'],
    [cell(2024.13), '月份应在1至12之间：“2024.13”'],
    [cell(202413), '月份应在1至12之间：“202413”'],
    [cell(2024.123), '无法识别为日期：“2024.123”（数字“2024.123”不是日期；若是Excel日期序号，请把单元格设为日期格式，或写成“2024年3月”）'],
    [cell(100, { numFmt: 'yyyy-mm-dd' }), '年份应在1949至2100之间：“100”'],
    [cell(new Date(Date.UTC(1900, 0, 1))), '年份应在1949至2100之间：“1900-01-01”'],
    [cell(new Date(Number.NaN)), '无法识别为日期：单元格中的日期无效'],
    [cell(Number.NaN), '无法识别为日期：“NaN”（不是有效数字）'],
    [cell(true), '无法识别为日期：“TRUE”（这是逻辑值）'],
  ])('%j is refused', (c, reason) => {
    expect(parseDate(c)).toEqual({ ok: false, reason });
  });
});

describe('isDateNumFmt', () => {
  it.each<[string | undefined, boolean]>([
    ['yyyy-mm-dd', true],
    ['m/d/yy', true],
    ['yyyy"年"m"月"', true],
    ['[$-804]yyyy年m月d日', true],
    ['mmm', true],
    ['h:mm', false],
    ['mm:ss', false],
    ['General', false],
    ['0.00', false],
    ['0%', false],
    ['"day"0', false],
    [undefined, false],
  ])('%j → %s', (fmt, expected) => {
    expect(isDateNumFmt(fmt)).toBe(expected);
  });
});
