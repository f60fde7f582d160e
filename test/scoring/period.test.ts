import { describe, expect, it } from 'vitest';
import { choosePeriod, expectedEvents, findPeriodInText, makePeriod, parsePeriodLabel, PeriodError } from '../../shared/scoring/period.ts';

describe('parsePeriodLabel', () => {
  it.each([
    ['2026', '2026', '2026年', 12],
    ['2026H1', '2026H1', '2026年上半年', 6],
    ['2026h2', '2026H2', '2026年下半年', 6],
    ['2026Q3', '2026Q3', '2026年第三季度', 3],
    ['２０２６Ｑ４', '2026Q4', '2026年第四季度', 3],
    ['2026-07', '2026-07', '2026年7月', 1],
    ['2026M7', '2026-07', '2026年7月', 1],
  ])('%s → %s', (input, label, zh, months) => {
    const p = parsePeriodLabel(input)!;
    expect(p.label).toBe(label);
    expect(p.labelZh).toBe(zh);
    expect(p.months).toBe(months);
  });
  it.each(['2026Q5', '2026H3', '2026-13', '26Q1', 'abc', '', '1999'])('rejects %s', (input) => {
    expect(parsePeriodLabel(input)).toBeUndefined();
  });
});

describe('findPeriodInText', () => {
  it.each([
    ['XX镇2026年第三季度村党组织建设情况调查表', '2026Q3'],
    ['2026年三季度观摩评议', '2026Q3'],
    ['2026年第3季度', '2026Q3'],
    ['2025年下半年考评', '2025H2'],
    ['二〇二六年度', undefined],
    ['2026年度村级党组织考评表', '2026'],
    ['2026年7月党员活动日统计', '2026-07'],
    ['东风镇_2026Q2.xlsx', '2026Q2'],
    ['東風鎮2026年第二季度調查表', '2026Q2'],
    ['填报单位：东风镇党委', undefined],
  ])('%s → %s', (text, label) => {
    expect(findPeriodInText(text)?.label).toBe(label);
  });
});

describe('choosePeriod', () => {
  it('prefers the option, then the title, then the file name, then the current year', () => {
    expect(choosePeriod({ option: '2026Q1', titleTexts: ['2026年第三季度'], fileName: '2026H2.xlsx' })).toMatchObject({ source: 'option', period: { label: '2026Q1' } });
    expect(choosePeriod({ titleTexts: ['2026年第三季度'], fileName: '2026H2.xlsx' })).toMatchObject({ source: 'title', period: { label: '2026Q3' } });
    expect(choosePeriod({ titleTexts: ['调查表'], fileName: '2026H2.xlsx' })).toMatchObject({ source: 'filename', period: { label: '2026H2' } });
    expect(choosePeriod({ titleTexts: [], fileName: 'a.xlsx', now: new Date('2027-03-01') })).toMatchObject({ source: 'default', period: { label: '2027' } });
  });
  it('rejects a bad option with a Chinese message', () => {
    expect(() => choosePeriod({ option: '2026Q9' })).toThrow(PeriodError);
    expect(() => choosePeriod({ option: '2026Q9' })).toThrow(/无法识别期次“2026Q9”/);
  });
});

describe('expectedEvents', () => {
  it.each([
    [1, 'month', '2026', 12],
    [1, 'month', '2026Q3', 3],
    [1, 'month', '2026-07', 1],
    [1, 'quarter', '2026', 4],
    [1, 'quarter', '2026H2', 2],
    [1, 'quarter', '2026Q3', 1],
    [1, 'quarter', '2026-07', undefined],
    [1, 'half', '2026', 2],
    [1, 'half', '2026Q3', undefined],
    [1, 'year', '2026', 1],
    [1, 'year', '2026H1', undefined],
    [2, 'year', '2026', 2],
    [1, 'biennium', '2026', undefined],
  ] as const)('%d per %s over %s → %s', (times, per, period, expected) => {
    expect(expectedEvents(times, per, parsePeriodLabel(period)!)).toBe(expected);
  });
  it('makePeriod quarter months', () => {
    expect(makePeriod('quarter', 2026, 3)).toMatchObject({ startMonth: 7, endMonth: 9 });
  });
});
