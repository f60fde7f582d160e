import { describe, expect, it } from 'vitest';
import { blankMarker, isBlank, parseByKind } from '../../shared/values/index.ts';
import type { InputKind, RawCell } from '../../shared/types.ts';
import { cell } from './helpers.ts';

describe('isBlank', () => {
  it.each<[unknown, boolean]>([
    [null, true],
    ['', true],
    ['   ', true],
    ['\u3000\u3000', true],
    ['\u00a0 \t\n', true],
    ['\u200b', true],
    ['0', false],
    [0, false],
    [false, false],
    ['/', false],
    ['无', false],
    [new Date(Date.UTC(2024, 0, 1)), false],
  ])('%j → %s', (value, expected) => {
    expect(isBlank(cell(value as never))).toBe(expected);
  });

  it('treats a missing cell as blank', () => {
    expect(isBlank(undefined)).toBe(true);
  });
});

describe('blankMarker', () => {
  it.each<[unknown, boolean]>([
    ['/', true],
    ['／', true],
    [' / ', true],
    ['-', true],
    ['－', true],
    ['—', true],
    ['——', true],
    ['–', true],
    ['―', true],
    ['---', true],
    ['\u3000—\u3000', true],
    ['无', false],
    ['0', false],
    ['//', false],
    ['-1', false],
    ['', false],
    [null, false],
    [0, false],
  ])('%j → %s', (value, expected) => {
    expect(blankMarker(cell(value as never))).toBe(expected);
  });

  it('is false for a missing cell', () => {
    expect(blankMarker(undefined)).toBe(false);
  });
});

describe('parsers handed a blank or placeholder cell', () => {
  const kinds: InputKind[] = ['count', 'number', 'hours', 'money', 'area', 'percent', 'bool', 'judgement', 'date', 'code', 'orgType', 'unitType', 'text'];
  it.each(kinds)('%s refuses blanks and placeholders with a reason', (kind) => {
    expect(parseByKind(kind, cell(null))).toEqual({ ok: false, reason: '单元格为空' });
    expect(parseByKind(kind, cell('\u3000'))).toEqual({ ok: false, reason: '单元格为空' });
    expect(parseByKind(kind, cell('——'))).toEqual({ ok: false, reason: '“——”是表示“无数据”的占位符，按缺失处理' });
  });

  it.each(kinds)('%s reports Excel error values and formulas without results', (kind) => {
    expect(parseByKind(kind, cell('#DIV/0!'))).toEqual({ ok: false, reason: '单元格是错误值“#DIV/0!”（公式计算出错），请检查公式' });
    // As the sheet reader hands over a formula without a cached result: its text, and the formula itself.
    const uncached = { ...cell('=SUM(B2:B5)'), formula: 'SUM(B2:B5)' };
    const r = parseByKind(kind, uncached);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('单元格是没有计算结果的公式“=SUM(B2:B5)”，请在Excel或WPS中重新计算后保存');
  });

  it('text that only starts with "=" (a name typed as =西村, a CSV field) is text, not a formula', () => {
    expect(parseByKind('text', cell('=西村'))).toEqual({ ok: true, value: '=西村' });
    const otherFormula: RawCell & { formula: string } = { ...cell('=西村'), formula: 'A1' };
    expect(parseByKind('text', otherFormula)).toEqual({ ok: true, value: '=西村' });
    expect(parseByKind('count', cell('=3')).ok).toBe(false);
  });
});
