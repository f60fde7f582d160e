import { describe, expect, it } from 'vitest';
import type { InputKind, RawCell } from '../../shared/types.ts';
import { parseByKind, type ParseContext } from '../../shared/values/index.ts';
import { cell } from './helpers.ts';

describe('parseByKind', () => {
  it.each<[InputKind, RawCell, unknown, ParseContext?]>([
    ['count', cell('十二次'), 12],
    ['number', cell('3.5'), 3.5],
    ['number', cell(2.5), 25000, { headerScale: 10000 }],
    ['hours', cell('24学时'), 24],
    ['money', cell('2.5万元'), 25000],
    ['money', cell(2.5), 25000, { headerScale: 10000 }],
    ['area', cell('90㎡'), 90],
    ['percent', cell('80%'), 80],
    ['percent', cell(0.8), 80, { fractionColumn: true }],
    ['bool', cell('√'), true],
    ['judgement', cell('较好'), { kind: 'grade', grade: '较好' }],
    ['judgement', cell('问题2处'), { kind: 'findings', count: 2 }],
    ['date', cell('2024年3月'), { year: 2024, month: 3 }],
    ['code', cell(130102001001), '130102001001'],
    ['orgType', cell('黨總支'), '党总支'],
    ['unitType', cell('社区居委会'), '社区'],
    ['text', cell('  张庄村\u3000党支部  '), '张庄村 党支部'],
    ['text', cell('ＡＢＣ１２３'), 'ABC123'],
    ['text', cell('黨支部'), '黨支部'],
    ['text', cell(12.5), '12.5'],
    ['text', cell(45366, { text: '2024-03-15' }), '2024-03-15'],
  ])('%s %j → %j', (kind, c, expected, ctx) => {
    expect(parseByKind(kind, c, ctx)).toMatchObject({ ok: true, value: expected });
  });

  it('passes failures through unchanged', () => {
    expect(parseByKind('count', cell(12.5))).toEqual({ ok: false, reason: '次数应为整数：“12.5”' });
    expect(parseByKind('percent', cell('120%'))).toEqual({ ok: false, reason: '百分比超过100%：“120%”' });
  });

  it('types the value by kind', () => {
    const r = parseByKind('date', cell('2024.3'));
    if (r.ok) {
      const month: number = r.value.month;
      expect(month).toBe(3);
    }
  });
});
