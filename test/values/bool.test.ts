import { describe, expect, it } from 'vitest';
import { parseBool } from '../../shared/values/index.ts';
import { cell } from './helpers.ts';

describe('parseBool', () => {
  it.each<[unknown, boolean]>([
    ['是', true],
    ['否', false],
    ['√', true],
    ['×', false],
    ['✓', true],
    ['✔', true],
    ['✔️', true],
    ['☑', true],
    ['✗', false],
    ['✘', false],
    ['✕', false],
    ['✖', false],
    ['有', true],
    ['无', false],
    ['無', false],
    ['没有', false],
    ['不是', false],
    ['对', true],
    ['對', true],
    ['错', false],
    ['錯', false],
    ['Y', true],
    ['y', true],
    ['Ｙ', true],
    ['N', false],
    ['yes', true],
    ['YES', true],
    ['No', false],
    ['true', true],
    ['FALSE', false],
    ['1', true],
    ['0', false],
    ['１', true],
    [1, true],
    [0, false],
    [true, true],
    [false, false],
    [' 是 ', true],
    ['\u3000否\u3000', false],
  ])('%j → %s', (value, expected) => {
    expect(parseBool(cell(value as never))).toEqual({ ok: true, value: expected });
  });

  it('reads the letter x as ×, with a note', () => {
    expect(parseBool(cell('X'))).toEqual({ ok: true, value: false, note: '“X”按“×”（否）读取' });
  });

  it.each<[unknown, string]>([
    ['已', '无法识别为是/否：“已”（“已”的含义取决于表头的问法，请填写“是”或“否”）'],
    ['未', '无法识别为是/否：“未”（“未”的含义取决于表头的问法，请填写“是”或“否”）'],
    ['好', '无法识别为是/否：“好”（请填写“是”或“否”）'],
    ['是否', '无法识别为是/否：“是否”（请填写“是”或“否”）'],
    ['2', '无法识别为是/否：“2”（请填写“是”或“否”）'],
    [2, '无法识别为是/否：“2”（请填写“是”或“否”）'],
    [0.5, '无法识别为是/否：“0.5”（请填写“是”或“否”）'],
    [new Date(Date.UTC(2024, 0, 1)), '无法识别为是/否：“2024-01-01”（这是日期，请填写“是”或“否”）'],
  ])('%j is refused', (value, reason) => {
    expect(parseBool(cell(value as never))).toEqual({ ok: false, reason });
  });
});
