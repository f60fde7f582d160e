// The column store (shared/sheet/columns.ts): dictionary encoding keeps every cell's reading, and extractColumns
// reads exactly the rows and cells extractRows reads.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellAt, cellColumn, significantText } from '../../shared/sheet/columns.ts';
import { mapColumns } from '../../shared/sheet/mapping.ts';
import { extractColumns, extractRows } from '../../shared/sheet/rows.ts';
import { parseByKind, type KindValue } from '../../shared/values/by-kind.ts';
import type { InputKind, RawCell } from '../../shared/types.ts';
import { CATALOGUE } from './catalogue.ts';
import { fixtureSheet, gridOf, layoutOf, readFixture } from './helpers.ts';

const cell = (value: RawCell['value'], extra: Partial<RawCell> = {}): RawCell => ({ address: 'A1', value, ...extra });

describe('cellColumn: one entry per distinct cell', () => {
  it.each([
    ['repeated values share an entry; blanks are code 0', [cell('是'), undefined, cell('是'), cell(null), cell(3), cell(3)], [1, 0, 1, 0, 2, 2], 3],
    ['equal texts from different strings share an entry', [cell(['是', '否'].join('').slice(0, 1)), cell('是')], [1, 1], 2],
    ['a number format makes a different cell', [cell(0.8), cell(0.8, { numFmt: '0%' }), cell(0.8, { numFmt: '0%' })], [1, 2, 2], 3],
    ['a formula makes a different cell', [cell(2), cell(2, { formula: '1+1' })], [1, 2], 3],
    ['a display text that says more than the value makes a different cell', [cell(80, { text: '80%' }), cell(80), cell(80, { text: '80' })], [1, 2, 2], 3],
    ['0 and -0 stay apart', [cell(0), cell(-0), cell(0)], [1, 2, 1], 3],
    ['the text 1 and the number 1 stay apart', [cell('1'), cell(1), cell(true)], [1, 2, 3], 4],
    ['dates with the same time share an entry, and never meet a text or a number', [cell(new Date(1.7e12)), cell(new Date(1.7e12)), cell(String(1.7e12)), cell(1.7e12)], [1, 1, 2, 3], 4],
  ] as const)('%s', (_name, cells, codes, dictSize) => {
    const col = cellColumn(cells);
    expect([...col.codes]).toEqual(codes);
    expect(col.dict.length).toBe(dictSize);
    expect(col.dict[0]).toBeUndefined();
    cells.forEach((c, i) => {
      const got = cellAt(col, i);
      if (c === undefined || c.value === null) return expect(got).toBeUndefined();
      expect(Object.is(got!.value instanceof Date ? got!.value.getTime() : got!.value, c.value instanceof Date ? c.value.getTime() : c.value)).toBe(true);
      expect(got!.numFmt).toBe(c.numFmt);
      expect(got!.formula).toBe(c.formula);
      expect(got!.text).toBe(significantText(c));
    });
  });

  it('grows past its first allocation', () => {
    const cells = Array.from({ length: 1000 }, (_, i) => cell(i % 7));
    const col = cellColumn(cells);
    expect(col.codes.length).toBe(1000);
    expect(col.dict.length).toBe(8);
    expect(cells.every((c, i) => cellAt(col, i)!.value === c.value)).toBe(true);
  });

  it('significant text: kept only where it says more than the value', () => {
    expect(significantText(cell(12, { text: '12' }))).toBeUndefined();
    expect(significantText(cell(12, { text: '12.00' }))).toBe('12.00');
    expect(significantText(cell('十二', { text: '12' }))).toBeUndefined();
    expect(significantText(cell(true, { text: 'TRUE' }))).toBeUndefined();
    expect(significantText(cell(true, { text: '是' }))).toBe('是');
    expect(significantText(cell(new Date(Date.UTC(2024, 9, 1)), { text: '2024-10-01' }))).toBeUndefined();
    expect(significantText(cell(new Date(Date.UTC(2024, 9, 1)), { text: '2024年10月' }))).toBe('2024年10月');
  });
});

const KINDS: InputKind[] = ['count', 'number', 'hours', 'money', 'area', 'percent', 'bool', 'judgement', 'date', 'code', 'orgType', 'unitType', 'text'];
const VALUES: RawCell['value'][] = [
  null, '', ' ', '/', '无', '12', '１２', '12次', '2.5万', '√', '是', '否', '好', '差', '发现问题2处', '2024.10', '党支部', '社区', '80%', '=1+1',
  0, -0, 1, 12, 0.8, 12.5, 1e21, -3, 45292, true, false, new Date(Date.UTC(2024, 9, 1)),
];
const TEXTS = [undefined, '', '12', '80%', '12.50', 'TRUE', '是', '2024-10-01', '2024年10月', '#N/A'];
const FORMATS = [undefined, 'General', '0%', '0.00', 'yyyy-mm-dd', '@', '0"次"'];
const FORMULAS = [undefined, '1+1', 'SUM(A1:A2)'];

describe('a dictionary entry reads as its cell', () => {
  it('every parser gives the same value or the same refusal (property, seed 20261123)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        fc.constantFrom(...VALUES),
        fc.constantFrom(...TEXTS),
        fc.constantFrom(...FORMATS),
        fc.constantFrom(...FORMULAS),
        fc.record({ headerScale: fc.constantFrom(undefined, 10000), fractionColumn: fc.boolean() }),
        fc.tuple(fc.constantFrom(...TEXTS), fc.constantFrom(...FORMATS), fc.constantFrom(...FORMULAS)),
        (kind, value, text, numFmt, formula, ctx, [text0, numFmt0, formula0]) => {
          const make = (t: string | undefined, f: string | undefined, fx: string | undefined): RawCell => {
            const c: RawCell = { address: 'B7', value };
            if (t !== undefined) c.text = t;
            if (f !== undefined) c.numFmt = f;
            if (fx !== undefined) c.formula = fx;
            return c;
          };
          // The same value above it, with another text, format or formula, must not lend it its entry.
          const c = make(text, numFmt, formula);
          const entry = cellAt(cellColumn([make(text0, numFmt0, formula0), c]), 1);
          if (value === null) {
            expect(entry).toBeUndefined();
            return;
          }
          const context = { ...(ctx.headerScale !== undefined ? { headerScale: ctx.headerScale } : {}), fractionColumn: ctx.fractionColumn };
          const a = parseByKind(kind, c, context);
          const b = parseByKind(kind, entry!, context);
          expect(b.ok).toBe(a.ok);
          if (a.ok && b.ok) expect(b.value as KindValue[typeof kind]).toEqual(a.value);
        },
      ),
      { numRuns: 3000, seed: 20261123 },
    );
  });
});

describe('extractColumns reads what extractRows reads', () => {
  const sameAsRows = (grid: Parameters<typeof extractRows>[0]) => {
    const layout = layoutOf(grid, CATALOGUE);
    const mapping = mapColumns(layout, CATALOGUE);
    const rows = extractRows(grid, layout, mapping);
    const cols = extractColumns(grid, layout, mapping);
    expect(cols.rowNumbers).toEqual(rows.rows.map((r) => r.row));
    expect(cols.skipped).toEqual(rows.skipped);
    const inputs = [...new Set(mapping.flatMap((m) => (m.input ? [m.input] : [])))];
    expect([...cols.cells.keys()].sort()).toEqual(inputs.sort());
    for (const input of inputs) {
      const col = cols.cells.get(input)!;
      expect(col).toEqual(cellColumn(rows.rows.map((r) => r.cells[input])));
    }
    return cols;
  };

  it.each(['messy-excel.xlsx', 'libreoffice.xlsx', 'wps-inline.xlsx', 'utf8-bom.csv', 'gb18030.csv'])('%s', async (name) => {
    const grids = await readFixture(name);
    let tables = 0;
    for (const grid of grids) {
      try {
        layoutOf(grid, CATALOGUE);
      } catch {
        continue; // not a village table (e.g. 填表说明)
      }
      const cols = sameAsRows(grid);
      if (cols.rowNumbers.length) tables++;
    }
    expect(tables).toBeGreaterThan(0);
  });

  it('a merged 乡镇 name reads on every row it covers', async () => {
    const cols = sameAsRows(await fixtureSheet('messy-excel.xlsx'));
    expect(cols.rowNumbers.length).toBe(7);
  });

  it('a table with no village rows gives empty columns for its mapped inputs', () => {
    const grid = gridOf([
      ['村名', '党员人数', '是否有活动场所'],
      ['合计', 30, null],
    ]);
    const cols = sameAsRows(grid);
    expect(cols.rowNumbers).toEqual([]);
    for (const col of cols.cells.values()) expect(col.codes.length).toBe(0);
  });
});
