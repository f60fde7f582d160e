// Property tests: every way officers write a whole number reads back to it; Chinese numerals round-trip;
// 万 amounts scale exactly; and no parser ever throws or returns an empty reason.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InputKind, RawCell } from '../../shared/types.ts';
import {
  inferFractionColumn,
  parseByKind,
  parseChineseNumeral,
  parseCount,
  parseQuantity,
  readNumberText,
} from '../../shared/values/index.ts';
import { cell, fullWidth, groupThousands, toChinese, toFinancial, withLiang } from './helpers.ts';

const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 300) };
const KINDS: InputKind[] = ['count', 'number', 'hours', 'money', 'area', 'percent', 'bool', 'judgement', 'date', 'code', 'orgType', 'unitType', 'text'];

/** Numbers with many zeros (gaps such as 10005, 100010) as well as arbitrary ones. */
function naturals(max: number): fc.Arbitrary<number> {
  const zeroHeavy = fc
    .array(fc.constantFrom(0, 0, 0, 1, 2, 5, 9), { minLength: 1, maxLength: String(max - 1).length })
    .map((ds) => Number(ds.join('')))
    .filter((n) => n < max);
  return fc.oneof(fc.integer({ min: 0, max: max - 1 }), zeroHeavy);
}

describe('whole numbers in every spelling', () => {
  it('String(n), full-width, with a unit, with thousands separators all read as n (n < 1e9)', () => {
    fc.assert(
      fc.property(naturals(1e9), fc.constantFrom('次', '人', '个', '名', '户'), (n, unit) => {
        const plain = String(n);
        const grouped = groupThousands(n);
        const spellings = [
          plain,
          fullWidth(plain),
          `${plain}${unit}`,
          `${fullWidth(plain)}${unit}`,
          grouped,
          fullWidth(grouped),
          groupThousands(n, '，'),
          `${grouped}${unit}`,
          groupThousands(n, ' '),
          groupThousands(n, '\u3000'),
          ` ${plain} `,
        ];
        for (const s of spellings) expect(parseCount(cell(s)), s).toEqual({ ok: true, value: n });
        expect(parseCount(cell(n))).toEqual({ ok: true, value: n });
        expect(parseQuantity(cell(`${grouped}元`), 'money')).toEqual({ ok: true, value: n });
        expect(parseQuantity(cell(`${fullWidth(plain)}㎡`), 'area')).toEqual({ ok: true, value: n });
      }),
      RUNS,
    );
  });

  it('Chinese numerals (standard, with 两, 大写) read as n (n < 1e8)', () => {
    fc.assert(
      fc.property(naturals(1e8), (n) => {
        const zh = toChinese(n);
        expect(parseChineseNumeral(zh), zh).toBe(n);
        expect(parseChineseNumeral(withLiang(zh)), withLiang(zh)).toBe(n);
        expect(parseChineseNumeral(toFinancial(zh)), toFinancial(zh)).toBe(n);
        expect(parseCount(cell(`${zh}次`)), `${zh}次`).toEqual({ ok: true, value: n });
      }),
      RUNS,
    );
  });

  it('a numeral never reads as another number: two different n give two different strings', () => {
    fc.assert(
      fc.property(naturals(1e8), naturals(1e8), (a, b) => {
        fc.pre(a !== b);
        expect(toChinese(a)).not.toBe(toChinese(b));
      }),
      { numRuns: 100 },
    );
  });
});

describe('万 amounts are exact', () => {
  const amount = fc.record({
    int: fc.integer({ min: 0, max: 999_999 }),
    frac: fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), maxLength: 4 }),
  });

  it('"X万" and "X万元" equal the exact integer for X with up to 4 decimals', () => {
    fc.assert(
      fc.property(amount, ({ int, frac }) => {
        const x = frac === '' ? String(int) : `${int}.${frac}`;
        const expected = int * 10000 + Number(frac.padEnd(4, '0'));
        expect(parseQuantity(cell(`${x}万`), 'money'), x).toEqual({ ok: true, value: expected });
        expect(parseQuantity(cell(`${x}万元`), 'money'), x).toEqual({ ok: true, value: expected });
        expect(parseQuantity(cell(fullWidth(`${x}`) + '万元'), 'money'), x).toEqual({ ok: true, value: expected });
        const r = readNumberText(`${x}万`);
        expect(r.ok && Number.isInteger(r.reading.value)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a bare X under a 万元 header (headerScale 10000) equals the same integer, from text or from an xlsx number', () => {
    fc.assert(
      fc.property(amount, ({ int, frac }) => {
        const x = frac === '' ? String(int) : `${int}.${frac}`;
        const expected = int * 10000 + Number(frac.padEnd(4, '0'));
        expect(parseQuantity(cell(x), 'money', 10000), x).toEqual({ ok: true, value: expected });
        expect(parseQuantity(cell(Number(x)), 'money', 10000), x).toEqual({ ok: true, value: expected });
      }),
      RUNS,
    );
  });
});

describe('parsers never throw', () => {
  const check = (kind: InputKind, c: RawCell, ctx = {}): void => {
    const r = parseByKind(kind, c, ctx);
    if (r.ok) {
      if (typeof r.value === 'number') expect(Number.isFinite(r.value)).toBe(true);
      if (r.note !== undefined) expect(r.note.length).toBeGreaterThan(0);
    } else {
      expect(typeof r.reason).toBe('string');
      expect(r.reason.length).toBeGreaterThan(0);
    }
  };
  const ctxArb = fc.record({
    headerScale: fc.constantFrom(1, 10, 1000, 10000, 1e8, 0.5),
    fractionColumn: fc.boolean(),
  });
  // Characters the parsers care about, so that random strings reach deep paths, not just the first refusal.
  const relevant = fc.string({
    unit: fc.constantFrom(
      ...'0123456789０１２３.,，、-－—~/ %％万亿千百十零〇一二两三四五六七八九壹贰叁拾佰仟萬兩年月日号次人个元㎡m²平方米学时是否√×有无问题处好差约余多来左右E+e\u3000'.split(''),
    ),
    maxLength: 12,
  });

  it.each(KINDS)('%s: arbitrary strings (ASCII, grapheme, binary, relevant characters)', (kind) => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), relevant),
        ctxArb,
        (s, ctx) => check(kind, cell(s), ctx),
      ),
      RUNS,
    );
  });

  it.each(KINDS)('%s: arbitrary cell values and number formats', (kind) => {
    const value: fc.Arbitrary<RawCell['value']> = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.double({ min: 1900, max: 2200 }),
      fc.boolean(),
      fc.date(),
      fc.constant(new Date(Number.NaN)),
      fc.constant(null),
      fc.string(),
    );
    const numFmt = fc.option(fc.constantFrom('General', '0%', '0.00', 'yyyy-mm-dd', 'yyyy"年"m"月"', '@', '#,##0', '"%"0'), { nil: undefined });
    fc.assert(
      fc.property(value, numFmt, fc.option(fc.string(), { nil: undefined }), ctxArb, (v, fmt, text, ctx) => {
        const c: RawCell = { address: 'C3', value: v };
        if (fmt !== undefined) c.numFmt = fmt;
        if (text !== undefined) c.text = text;
        check(kind, c, ctx);
      }),
      RUNS,
    );
  });

  it('inferFractionColumn never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.string(), fc.constant(null), fc.boolean())), (vs) => {
        expect(typeof inferFractionColumn(vs.map((v) => cell(v)))).toBe('boolean');
      }),
      RUNS,
    );
  });
});
