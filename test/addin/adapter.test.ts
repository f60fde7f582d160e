// The adapter against the in-memory Excel: a scoring run is a fixed number of round trips for 500 and 5,000
// villages, fills are grouped by colour, notes cite the article, 清除 gives back exactly what the officer had,
// 模板 inserts the 调查表 with its dropdowns, and hosts without notes (or without comments) still work.
import { describe, expect, it } from 'vitest';
import { ExcelAdapter, NOTE_PAGE } from '../../addin/excel/adapter.ts';
import { annotationCells, ledgerSheet, resultSheet, templateSheet } from '../../addin/logic/sheets.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { KAOPING_NOTE_SEPARATOR, LEDGER_SHEET, RESULT_SHEET, STORE_SHEET } from '../../shared/output/names.ts';
import { STATUS_PALETTE } from '../../shared/output/palette.ts';
import { SUMMARY_COLUMNS } from '../../shared/output/summary.ts';
import { LEDGER_COLUMNS } from '../../shared/output/ledger.ts';
import { templateColumns, TEMPLATE_SHEET } from '../../shared/output/template.ts';
import { STORE_FORMAT } from '../../shared/output/store.ts';
import { ExcelDouble } from './excel-double.ts';
import { expectedScore, officerWorkbook, OFFICER_FILL_2, OFFICER_NOTE, SHEET, snapshot } from './fixtures.ts';

const NOW = new Date('2026-10-15T08:00:00Z');
const noteCount = (d: ExcelDouble) => d.sheet(SHEET)!.notes.size;
const LIMIT = 5 * 1024 * 1024;

/** One scoring run through the adapter, as the controller does it. */
async function scoreRun(double: ExcelDouble, adapter = new ExcelAdapter(double.host()), scope: 'problems' | 'all' = 'problems') {
  const { scored, grid } = expectedScore(double);
  const before = double.stats.syncs;
  const read = await adapter.readActiveSheet();
  const readEstimates = adapter.lastStats.requestBytes;
  const cells = annotationCells(scored, read.grid, scope);
  const written = await adapter.annotate(read, { cells, result: resultSheet(scored, '默认标准', NOW), ledger: ledgerSheet(scored, '默认标准', NOW) });
  return { scored, grid, read, cells, written, estimates: [...readEstimates, ...adapter.lastStats.requestBytes], syncs: double.stats.syncs - before };
}

describe('a scoring run', () => {
  const measured: Record<number, { syncs: number; apiCalls: number; maxRequest: number; totalRequest: number; maxResponse: number }> = {};

  for (const n of [500, 5000]) {
    it(`${n} villages: a fixed number of round trips, every request under 5 MB`, async () => {
      const { double } = officerWorkbook(n);
      const run = await scoreRun(double);
      const s = double.stats;
      measured[n] = {
        syncs: s.syncs,
        apiCalls: s.apiCalls,
        maxRequest: Math.max(...s.requestBytes),
        totalRequest: s.requestBytes.reduce((a, b) => a + b, 0),
        maxResponse: Math.max(...s.responseBytes),
      };
      console.log(`scoring ${n} villages:`, JSON.stringify({ ...measured[n], requestBytes: s.requestBytes, responseBytes: s.responseBytes, estimates: run.estimates }));
      expect(s.syncs).toBeLessThanOrEqual(5);
      for (const b of s.requestBytes) expect(b).toBeLessThan(LIMIT);
      for (const b of s.responseBytes) expect(b).toBeLessThan(LIMIT);
      // The adapter's own estimate never falls below what was sent.
      s.requestBytes.forEach((b, i) => expect(run.estimates[i]).toBeGreaterThanOrEqual(b));
      expect(s.screenUpdatingSuspended).toBeGreaterThan(0);
      expect(run.scored.villages).toHaveLength(n);

      // Scoring again (the officer re-scores after corrections): unchanged notes are not written again.
      double.resetStats();
      const again = await scoreRun(double);
      const r = double.stats;
      measured[n + 1] = { syncs: r.syncs, apiCalls: r.apiCalls, maxRequest: Math.max(...r.requestBytes), totalRequest: r.requestBytes.reduce((a, b) => a + b, 0), maxResponse: Math.max(...r.responseBytes) };
      console.log(`re-scoring ${n} villages:`, JSON.stringify({ ...measured[n + 1], requestBytes: r.requestBytes, responseBytes: r.responseBytes }));
      // The notes of the first run are read back in pages of NOTE_PAGE (their text comes back in the response):
      // one more round trip per further page.
      expect(r.syncs).toBeLessThanOrEqual(5 + Math.ceil(Math.max(0, again.read.grid.rows.length > 0 ? noteCount(double) - NOTE_PAGE : 0) / NOTE_PAGE));
      for (const b of r.responseBytes) expect(b).toBeLessThan(LIMIT);
      r.requestBytes.forEach((b, i) => expect(again.estimates[i]).toBeGreaterThanOrEqual(b));
    }, 120_000);
  }

  it('is the same number of round trips for 500 and 5,000 villages', () => {
    expect(measured[500]!.syncs).toBe(measured[5000]!.syncs);
    expect(measured[5000]!.syncs).toBeLessThanOrEqual(5);
  });

  it('fills each scored cell with the status colour of the .xlsx output, grouped by colour into multi-area ranges', async () => {
    const { double, sheet } = officerWorkbook(500);
    const { cells } = await scoreRun(double);
    expect(cells.length).toBeGreaterThan(3000);
    for (const c of cells) {
      const cell = double.cell(SHEET, c.address)!;
      expect(cell.fill).toEqual({ color: `#${c.fill!.slice(-6)}`, pattern: 'Solid' });
    }
    const palette = new Set(Object.values(STATUS_PALETTE).map((p) => `#${p.hex}`));
    const colours = new Set(cells.map((c) => `#${c.fill!.slice(-6)}`));
    for (const col of colours) expect(palette.has(col)).toBe(true);
    // Grouped: a handful of getRanges writes, not one per cell.
    const groups = double.stats.calls['getRanges:Instantiate'] ?? 0;
    expect(groups).toBeGreaterThan(0);
    expect(groups).toBeLessThan(cells.length / 20);
    // Header and unscored cells keep the officer's fills; values are untouched.
    expect(double.cellAt(sheet, 2, 0)!.fill).toEqual({ color: '#D9E1F2', pattern: 'Solid' });
    expect(Object.values(double.stats.calls).length).toBeGreaterThan(0);
  });

  it('explains every problem cell with a note citing the article, below the officer’s own note', async () => {
    const { double, sheet } = officerWorkbook(500);
    const { cells } = await scoreRun(double);
    const noted = cells.filter((c) => c.lines);
    expect(noted.length).toBeGreaterThan(500);
    for (const c of noted) {
      const note = sheet.notes.get(c.address)!;
      expect(note).toContain(KAOPING_NOTE_SEPARATOR);
      expect(note).toMatch(/【(未达标|缺数据|数据有误|待评)】(基本|示范)标准第\d+条/);
    }
    // The officer's note on L6 stays above ours.
    const l6 = sheet.notes.get('L6')!;
    expect(l6.startsWith(OFFICER_NOTE)).toBe(true);
    expect(sheet.notes.get('R5')).toBe('村委会换届后更新');
    // Pass cells carry no note by default; with scope 'all' they do.
    const pass = cells.find((c) => !c.lines)!;
    expect(sheet.notes.has(pass.address)).toBe(false);
  });

  it('writes 考评结果 and 整改台账 with one block each and the record `_kaoping` very hidden, never a formula', async () => {
    const { double } = officerWorkbook(500);
    const { scored } = await scoreRun(double);
    const result = double.sheet(RESULT_SHEET)!;
    const ledger = double.sheet(LEDGER_SHEET)!;
    const store = double.sheet(STORE_SHEET)!;
    expect(store.visibility).toBe('VeryHidden');
    expect(double.cellAt(store, 0, 0)!.value).toBe(STORE_FORMAT);
    SUMMARY_COLUMNS.forEach((h, i) => expect(double.cellAt(result, 4, i)!.value).toBe(h));
    LEDGER_COLUMNS.forEach((h, i) => expect(double.cellAt(ledger, 2, i)!.value).toBe(h));
    // 区划代码 kept as 12-digit text.
    expect(double.cellAt(result, 5, 1)!.value).toBe(scored.villages[0]!.code);
    expect(typeof double.cellAt(result, 5, 1)!.value).toBe('string');
    for (const s of double.model.sheets) for (const c of s.cells.values()) expect(c.formula ?? false).toBe(false);
    expect(ledger.validations.some((v) => JSON.stringify(v.rule).includes('未整改'))).toBe(true);
  });
});

describe('清除', () => {
  it('restores the officer’s fills, notes and values exactly, after one run or several', async () => {
    const { double } = officerWorkbook(300);
    const before = snapshot(double);
    const adapter = new ExcelAdapter(double.host());
    await scoreRun(double, adapter);
    await scoreRun(double, adapter, 'all');
    await scoreRun(double, adapter);
    expect(snapshot(double)).not.toEqual(before);
    double.resetStats();
    const r = await adapter.clearAnnotations();
    double.stats.requestBytes.forEach((b, i) => expect(adapter.lastStats.requestBytes[i]).toBeGreaterThanOrEqual(b));
    expect(r.usedStore).toBe(true);
    expect(r.sheets).toEqual([RESULT_SHEET, LEDGER_SHEET, STORE_SHEET]);
    expect(snapshot(double)).toEqual(before);
    expect(double.stats.syncs).toBeLessThanOrEqual(5);
  });

  it('keeps a colour or a note line the officer changed after scoring', async () => {
    const { double, sheet } = officerWorkbook(100);
    const adapter = new ExcelAdapter(double.host());
    const { cells } = await scoreRun(double, adapter);
    const recoloured = cells.find((c) => c.lines && c.address !== 'L6')!;
    double.cell(SHEET, recoloured.address)!.fill = { color: '#00B0F0', pattern: 'Solid' };
    sheet.notes.set(recoloured.address, `已核实\n${sheet.notes.get(recoloured.address)}`);
    await adapter.clearAnnotations();
    expect(double.cell(SHEET, recoloured.address)!.fill).toEqual({ color: '#00B0F0', pattern: 'Solid' });
    expect(sheet.notes.get(recoloured.address)).toBe('已核实');
    expect(double.cell(SHEET, 'L6')!.fill).toEqual(OFFICER_FILL_2);
    expect(sheet.notes.get('L6')).toBe(OFFICER_NOTE);
  });

  it('cuts our part from notes when the record was deleted', async () => {
    const { double, sheet } = officerWorkbook(50);
    const adapter = new ExcelAdapter(double.host());
    await scoreRun(double, adapter);
    const store = double.sheet(STORE_SHEET)!;
    double.model.sheets = double.model.sheets.filter((s) => s !== store);
    const r = await adapter.clearAnnotations();
    expect(r.usedStore).toBe(false);
    for (const [, note] of sheet.notes) expect(note).not.toContain(KAOPING_NOTE_SEPARATOR);
    expect(sheet.notes.get('L6')).toBe(OFFICER_NOTE);
  });
});

describe('hosts without notes', () => {
  it('ExcelApi 1.10–1.17: comments, never written into an officer’s comment; 清除 restores', async () => {
    const { double, sheet } = officerWorkbook(100, { version: '1.14' });
    sheet.notes.clear();
    sheet.comments.set('L6', { id: 'officer-1', content: OFFICER_NOTE });
    const before = snapshot(double);
    const adapter = new ExcelAdapter(double.host());
    expect(adapter.caps.notes).toBe('comments');
    const { written, cells } = await scoreRun(double, adapter);
    expect(written.noteMode).toBe('comments');
    const noted = cells.filter((c) => c.lines && c.address !== 'L6');
    for (const c of noted) expect(sheet.comments.get(c.address)!.content.startsWith(KAOPING_NOTE_SEPARATOR)).toBe(true);
    expect(sheet.comments.get('L6')!.content).toBe(OFFICER_NOTE);
    await scoreRun(double, adapter);
    await adapter.clearAnnotations();
    expect(snapshot(double)).toEqual(before);
  });

  it('ExcelApi 1.9: explanations listed on 考评结果; 清除 restores', async () => {
    const { double } = officerWorkbook(100, { version: '1.9' });
    const before = snapshot(double);
    const adapter = new ExcelAdapter(double.host());
    expect(adapter.caps.notes).toBe('none');
    const { written } = await scoreRun(double, adapter);
    expect(written.noteMode).toBe('none');
    expect(written.explainedOnSheet).toBeGreaterThan(50);
    const result = double.sheet(RESULT_SHEET)!;
    const texts = [...result.cells.values()].map((c) => String(c.value));
    expect(texts.some((t) => t.startsWith('单元格说明'))).toBe(true);
    expect(texts.some((t) => /【未达标】基本标准第\d+条/.test(t))).toBe(true);
    expect(double.sheet(SHEET)!.notes.size).toBe(2); // only the officer's
    await adapter.clearAnnotations();
    expect(snapshot(double)).toEqual(before);
  });

  it('ExcelApi 1.8: refuses with a Chinese message, touching nothing', async () => {
    const { double } = officerWorkbook(10, { version: '1.8' });
    const adapter = new ExcelAdapter(double.host());
    await expect(adapter.readActiveSheet()).rejects.toThrow(/不支持考评插件/);
    expect(double.stats.syncs).toBe(0);
  });
});

describe('the 5 MB limit', () => {
  it('splits a phase that would exceed the budget into more round trips instead of failing', async () => {
    const { double } = officerWorkbook(500);
    const small = { request: 200_000, response: 200_000 };
    const adapter = new ExcelAdapter(double.host(), { budget: small });
    const run = await scoreRun(double, adapter);
    expect(double.stats.syncs).toBeGreaterThan(5);
    double.stats.requestBytes.forEach((b, i) => {
      expect(run.estimates[i]).toBeGreaterThanOrEqual(b);
      expect(b).toBeLessThanOrEqual(small.request * 1.2);
    });
  });
});

describe('模板', () => {
  it('inserts 调查表 with headers, units, merged groups, dropdowns and notes citing the articles', async () => {
    const double = new ExcelDouble();
    double.addSheet('Sheet1');
    const adapter = new ExcelAdapter(double.host());
    const rb = defaultRulebook();
    const name = await adapter.insertTemplate(templateSheet(rb));
    expect(name).toBe(TEMPLATE_SHEET);
    expect(double.stats.syncs).toBe(2);
    const ws = double.sheet(TEMPLATE_SHEET)!;
    const cols = templateColumns(rb.inputs, rb.articles);
    for (const c of cols) {
      const row = c.identity ? 2 : 3;
      expect(double.cellAt(ws, row, c.index - 1)!.value).toBe(c.header);
    }
    expect(cols.some((c) => /（平方米）|（万元）|（次）/.test(c.header))).toBe(true);
    expect(ws.merges.length).toBeGreaterThan(5);
    const rules = ws.validations.map((v) => JSON.stringify(v.rule));
    expect(rules.some((r) => r.includes('党支部,党总支,党委'))).toBe(true);
    expect(rules.some((r) => r.includes('好,较好,一般,差'))).toBe(true);
    expect(rules.some((r) => r.includes('wholeNumber'))).toBe(true);
    expect(ws.notes.size).toBe(cols.length);
    expect([...ws.notes.values()].some((n) => /基本标准第\d+条/.test(n))).toBe(true);
    // The code column is text, so 12 digits survive.
    expect(double.cellAt(ws, 4, 0)!.format).toBe('@');
    expect(double.model.activeId).toBe(ws.id);
    const again = await adapter.insertTemplate(templateSheet(rb));
    expect(again).toBe(`${TEMPLATE_SHEET}（2）`);
  });
});
