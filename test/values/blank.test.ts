import { describe, expect, it } from 'vitest';
import { blankMarker, isBlank, parseByKind } from '../../shared/values/index.ts';
import type { InputKind } from '../../shared/types.ts';
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
    const r = parseByKind(kind, cell('=SUM(B2:B5)'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('“=SUM(B2:B5)”');
  });
});
