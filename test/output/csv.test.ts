import { describe, expect, it } from 'vitest';
import { csvField, neutralizeCsvCell, toCsv } from '../../shared/output/csv.ts';

describe('neutralizeCsvCell', () => {
  const cases: [string, Parameters<typeof neutralizeCsvCell>[0], string][] = [
    ['formula', '=1+1', "'=1+1"],
    ['hyperlink formula', '=HYPERLINK("http://x","点击")', `'=HYPERLINK("http://x","点击")`],
    ['plus', '+86 10 1234', "'+86 10 1234"],
    ['minus text', '-5分', "'-5分"],
    ['at', '@SUM(A1)', "'@SUM(A1)"],
    ['tab', '\t=1', "'\t=1"],
    ['carriage return', '\r=1', "'\r=1"],
    ['plain village name', '东村', '东村'],
    ['equals inside', '面积=85', '面积=85'],
    ['leading space', ' =1', ' =1'],
    ['12-digit code', '130102001001', '130102001001'],
    ['empty string', '', ''],
    ['number', 85, '85'],
    ['negative number', -5, '-5'],
    ['decimal', 0.1 + 0.2, String(0.1 + 0.2)],
    ['NaN', Number.NaN, ''],
    ['boolean', true, 'TRUE'],
    ['null', null, ''],
    ['undefined', undefined, ''],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(neutralizeCsvCell(input)).toBe(expected);
  });
});

describe('csvField / toCsv', () => {
  it.each([
    ['东村', '东村'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1,2', `"'=1,2"`],
  ])('%j → %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('joins rows with CRLF and starts with a BOM for Excel', () => {
    expect(toCsv([['村名', '总分'], ['=西村', 88]])).toBe("\ufeff村名,总分\r\n'=西村,88\r\n");
    expect(toCsv([['a']], { bom: false })).toBe('a\r\n');
    expect(toCsv([], { bom: false })).toBe('');
  });
});
