// Pure helpers of the adapter: address packing under Excel's limits, the `_kaoping` record (shared with the
// command line), one cell's decision, grids from Office.js values, and the request planner.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { groupCells, packRects, parseAreas, rectAddress, splitAreas, MAX_ADDRESS_CHARS, MAX_AREAS } from '../../addin/excel/address.ts';
import { decodeStore, encodeStore, type CellState } from '../../addin/excel/store.ts';
import { decideCell } from '../../addin/excel/decide.ts';
import { buildGrid } from '../../addin/excel/grid.ts';
import { planBins, opsBytes, type Op } from '../../addin/excel/batch.ts';
import { asText } from '../../addin/excel/adapter.ts';
import { readStore, writeStore } from '../../shared/output/store.ts';
import { KAOPING_NOTE_SEPARATOR } from '../../shared/output/names.ts';

describe('addresses', () => {
  it('groups cells into few rectangles and packs them under 8,192 characters and 500 areas', () => {
    const cells = [];
    for (let r = 4; r < 5004; r++) for (const c of [5, 6, 9]) if (r % 3 !== 0) cells.push({ row: r, col: c });
    const rects = groupCells(cells);
    // Runs down a column; F and G share rows, so they join: F5:G6 …
    expect(rectAddress(rects[0]!)).toBe('F5:G6');
    expect(rects.length).toBeLessThan(cells.length / 2);
    const packed = packRects(rects);
    for (const p of packed) {
      expect(p.length).toBeLessThanOrEqual(MAX_ADDRESS_CHARS);
      expect(splitAreas(p).length).toBeLessThanOrEqual(MAX_AREAS);
    }
    // Nothing lost, nothing added.
    const back = new Set<string>();
    for (const p of packed) for (const r of parseAreas(p)) for (let row = r.top; row <= r.bottom; row++) for (let col = r.left; col <= r.right; col++) back.add(`${row}:${col}`);
    expect(back).toEqual(new Set(cells.map((c) => `${c.row}:${c.col}`)));
  });

  it('reads the addresses Office.js returns, quoted sheet names included', () => {
    expect(parseAreas("'村 情''表'!A1:B2, '村 情''表'!D4")).toEqual([
      { top: 0, left: 0, bottom: 1, right: 1 },
      { top: 3, left: 3, bottom: 3, right: 3 },
    ]);
    expect(parseAreas('Sheet1!$C$3:$E$9')).toEqual([{ top: 2, left: 2, bottom: 8, right: 4 }]);
  });
});

describe('the `_kaoping` record', () => {
  const states: CellState[] = [
    { sheet: '村情', address: 'F5', ourFill: 'FFC6EFCE', ourNote: false, originalFill: null, originalNote: null },
    { sheet: '村情', address: 'F6', ourFill: 'FFC6EFCE', ourNote: false, originalFill: null, originalNote: null },
    { sheet: '村情', address: 'G5', ourFill: 'FFFFC7CE', ourNote: true, originalFill: null, originalNote: null },
    { sheet: '村情', address: 'L6', ourFill: 'FFFFC7CE', ourNote: true, originalFill: { color: '#FCE4D6', pattern: 'Solid' }, originalNote: '请核实面积' },
  ];

  it('round-trips, with cells of default originals stored as areas', () => {
    const rows = encodeStore(states);
    expect(rows.length).toBe(2 + 1 + 2); // header, one cell row, two area rows
    const back = decodeStore(rows)!;
    for (const s of states) expect(back.get(`${s.sheet}!${s.address}`)).toEqual(s);
    // A later row replaces an earlier one for the same cell (live re-scoring appends).
    const appended = [...rows, ...encodeStore([{ ...states[0]!, ourFill: 'FFFFC7CE', ourNote: true }], false)];
    expect(decodeStore(appended)!.get('村情!F5')).toMatchObject({ ourFill: 'FFFFC7CE', ourNote: true });
  });

  it('is read by the command line’s readStore (cell rows and area rows), and reads what the command line writes', () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('_kaoping');
    encodeStore(states).forEach((row, i) => row.forEach((v, j) => (ws.getCell(i + 1, j + 1).value = v)));
    const cli = readStore(wb)!;
    expect(cli.map((r) => r.address).sort()).toEqual(['F5', 'F6', 'G5', 'L6']);
    const l6 = cli.find((r) => r.address === 'L6')!;
    expect(l6).toMatchObject({ sheet: '村情', address: 'L6', ourFill: 'FFFFC7CE', originalNote: '请核实面积' });
    expect(l6.originalFill).toEqual({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } });
    expect(cli.find((r) => r.address === 'F5')).toMatchObject({ ourFill: 'FFC6EFCE', originalFill: null, originalNote: null });

    const wb2 = new ExcelJS.Workbook();
    writeStore(wb2, [{ sheet: '村情', address: 'D4', ourFill: 'FFFFC7CE', originalFill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } }, originalNote: null }]);
    const values: unknown[][] = [];
    wb2.getWorksheet('_kaoping')!.eachRow({ includeEmpty: true }, (row, n) => (values[n - 1] = (row.values as unknown[]).slice(1)));
    expect(decodeStore(values)!.get('村情!D4')).toEqual({ sheet: '村情', address: 'D4', ourFill: 'FFFFC7CE', ourNote: true, originalFill: { color: '#FFFF00', pattern: 'Solid' }, originalNote: null });
  });
});

describe('one cell', () => {
  const none = { fill: null, note: undefined, pureOurs: false };
  const red = { address: 'L6', fill: 'FFFFC7CE', lines: ['【未达标】基本标准第24条：活动场所面积85平方米，低于90平方米'] };

  it('keeps the officer’s note above ours and records the originals', () => {
    const d = decideCell('S', 'L6', undefined, { fill: { color: '#FCE4D6', pattern: 'Solid' }, note: '请核实', pureOurs: false }, red, 'notes');
    expect(d.fill).toEqual({ kind: 'set', fill: { color: '#FFC7CE', pattern: 'Solid' } });
    expect(d.note).toEqual({ kind: 'set', text: `请核实\n${KAOPING_NOTE_SEPARATOR}\n${red.lines[0]}` });
    expect(d.state).toMatchObject({ originalFill: { color: '#FCE4D6' }, originalNote: '请核实', ourNote: true });
  });

  it('restores on a cell no longer scored, unless the officer recoloured it', () => {
    const prior: CellState = { sheet: 'S', address: 'L6', ourFill: 'FFFFC7CE', ourNote: true, originalFill: null, originalNote: null };
    const ours = decideCell('S', 'L6', prior, { fill: { color: '#FFC7CE', pattern: 'Solid' }, note: undefined, pureOurs: true }, undefined, 'notes');
    expect(ours).toMatchObject({ fill: { kind: 'set', fill: null }, note: { kind: 'delete' }, state: undefined });
    const theirs = decideCell('S', 'L6', prior, { fill: { color: '#00B0F0', pattern: 'Solid' }, note: `核实\n${KAOPING_NOTE_SEPARATOR}\n旧`, pureOurs: false }, undefined, 'notes');
    expect(theirs).toMatchObject({ fill: { kind: 'keep' }, note: { kind: 'set', text: '核实' } });
  });

  it('never writes into an officer’s comment, and explains elsewhere without notes', () => {
    const c = decideCell('S', 'L6', undefined, { ...none, note: '领导意见：请核实' }, red, 'comments');
    expect(c.note.kind).toBe('keep');
    expect(c.explainElsewhere).toEqual(red.lines);
    const n = decideCell('S', 'L6', undefined, none, red, 'none');
    expect(n.note.kind).toBe('keep');
    expect(n.explainElsewhere).toEqual(red.lines);
  });
});

describe('grids and values', () => {
  it('builds a Grid at sheet positions, with dates from serials and text for the header', () => {
    const g = buildGrid('S', [{ top: 2, left: 1, values: [['面积', 45366], [85, '']], numberFormat: [['General', 'yyyy/m/d'], ['0.0', 'General']], text: [['面积', '2024/3/15'], ['85.0', '']] }], []);
    expect(g.rows[2]![1]).toEqual({ address: 'B3', value: '面积' });
    expect(g.rows[2]![2]!.value).toEqual(new Date(Date.UTC(2024, 2, 15)));
    expect(g.rows[3]![1]).toMatchObject({ address: 'B4', value: 85, numFmt: '0.0', text: '85.0' });
    expect(g.rows[3]![2]).toBeUndefined();
    expect(g.rows[0]).toEqual([]);
  });

  it('keeps text as text when writing: codes, formulas, dates stay strings', () => {
    expect(asText('130102001001')).toBe("'130102001001");
    expect(asText('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(asText('2026-10-30')).toBe("'2026-10-30");
    expect(asText('张家庄')).toBe('张家庄');
    expect(asText(42)).toBe(42);
  });
});

describe('the request planner', () => {
  const op = (bytes: number): Op => ({ bytes, run: () => undefined });

  it('spreads ops over a fixed number of round trips, each within the budget', () => {
    const ops = Array.from({ length: 100 }, () => op(100_000));
    const bins = planBins(ops, 3, 4_500_000, 200_000, 1_000_000);
    expect(bins).toHaveLength(3);
    expect(bins.flat()).toHaveLength(100);
    expect(opsBytes(bins[0]!) + 200_000).toBeLessThanOrEqual(4_500_000);
    expect(opsBytes(bins[2]!) + 1_000_000).toBeLessThanOrEqual(4_500_000);
    for (const b of bins) expect(b.length).toBeGreaterThan(20);
  });
});
