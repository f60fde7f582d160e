// The roll-up (shared/scoring/summary.ts) from the decision engine, against the same counts taken from the
// explaining engine's villages: levels, veto, stars, every requirement's statuses, the mean and the lowest.
import { describe, expect, it } from 'vitest';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { parseCountyRulebook } from '../../shared/rulebook/county.ts';
import { prepareEngine, type Engine } from '../../shared/scoring/evaluate.ts';
import { columnsOfRows, scoreSheetRows, type SheetRows } from '../../shared/scoring/sheet.ts';
import { scoreSheetCompact } from '../../shared/scoring/compiled.ts';
import { SummaryBuilder } from '../../shared/scoring/summary.ts';
import { summarizeFile } from '../../shared/score.ts';
import { makePeriod } from '../../shared/scoring/period.ts';
import { demoColumns, demoCounty, demoValues } from '../../shared/demo/generate.ts';
import type { ColumnReport, RawCell, ScoredSheet } from '../../shared/types.ts';
import { fixtureBytes } from '../sheet/helpers.ts';

const rb = defaultRulebook();
const county = prepareEngine(rb, parseCountyRulebook(example, rb));
const standards = prepareEngine(rb);

function townshipSheet(seed: number, villages: number, period = makePeriod('year', 2026)): SheetRows {
  const demo = demoCounty({ townships: 1, villagesPerTownship: [villages, villages], seed });
  const cols = demoColumns(rb);
  const columns: ColumnReport[] = cols.map((c, k) => ({ index: k, letter: `C${k}`, header: c.label, input: c.id, confidence: 1, matchedBy: 'exact' }));
  const rows = demo.townships[0]!.villages.map((v, r) => {
    const vals = demoValues(rb, v, period, { messy: true });
    const cells: Record<string, RawCell> = {};
    cols.forEach((c, k) => {
      const x = vals[c.id];
      if (x !== undefined && x !== '') cells[c.id] = { address: `C${k}${r + 3}`, value: x };
    });
    return { row: r + 3, cells };
  });
  return { name: `乡镇${seed}`, period, periodSource: 'option', columns, rows, skippedRows: [{ row: 2, reason: '空行' }], headerRows: { top: 1, bottom: 1 } };
}

/** The counts, taken from the explaining engine's villages. */
function expected(engine: Engine, sheets: [string, SheetRows][], lowest: number) {
  const scored: [string, ScoredSheet][] = sheets.map(([f, s]) => [f, scoreSheetRows(engine, s)]);
  const villages = scored.flatMap(([file, s]) => s.villages.map((v) => ({ file, sheet: s.name, v })));
  const levels = new Map<string, number>();
  const stars = new Map<number, number>();
  const req = new Map<string, Record<string, number>>();
  let cents = 0;
  for (const { v } of villages) {
    levels.set(v.level, (levels.get(v.level) ?? 0) + 1);
    if (v.stars !== undefined) stars.set(v.stars, (stars.get(v.stars) ?? 0) + 1);
    cents += Math.round(v.total * 100);
    for (const r of v.results) {
      const t = (req.get(r.id) ?? req.set(r.id, {}).get(r.id))!;
      t[r.status] = (t[r.status] ?? 0) + 1;
    }
    for (const s of v.skipped) {
      const t = (req.get(s.id) ?? req.set(s.id, {}).get(s.id))!;
      t.skipped = (t.skipped ?? 0) + 1;
    }
  }
  const low = [...villages]
    .sort((a, b) => Math.round(a.v.total * 100) - Math.round(b.v.total * 100))
    .slice(0, lowest)
    .map(({ file, sheet, v }) => ({ file, sheet, row: v.row, name: v.name, total: v.total, level: v.level }));
  return { villages: villages.length, levels, stars, req, cents, low, vetoed: villages.filter(({ v }) => v.veto.length > 0).length };
}

describe('SummaryBuilder', () => {
  it.each([
    ['example county', county],
    ['the standards alone', standards],
  ] as const)('counts what the explaining engine finds, over three township sheets: %s', (_name, engine) => {
    const sheets: [string, SheetRows][] = [
      ['甲镇.xlsx', townshipSheet(3, 14)],
      ['乙镇.xlsx', townshipSheet(8, 9)],
      ['乙镇.xlsx', townshipSheet(21, 17, makePeriod('quarter', 2026, 3))],
    ];
    const b = new SummaryBuilder(engine, 7);
    for (const [file, s] of sheets) {
      const cols = columnsOfRows(s);
      b.add(file, cols, scoreSheetCompact(engine, cols));
    }
    const got = b.done();
    const want = expected(engine, sheets, 7);
    expect(got.villages).toBe(want.villages);
    expect(got.sheets.map((s) => [s.file, s.name, s.villages, s.skippedRows])).toEqual(sheets.map(([f, s]) => [f, s.name, s.rows.length, 1]));
    expect(Object.fromEntries(got.levels.filter((l) => l.villages).map((l) => [l.name, l.villages]))).toEqual(Object.fromEntries(want.levels));
    expect(got.levels.reduce((n, l) => n + l.villages, 0)).toBe(want.villages);
    expect(got.vetoed).toBe(want.vetoed);
    if (engine.county) expect(Object.fromEntries(got.stars!.filter((s) => s.villages).map((s) => [s.stars, s.villages]))).toEqual(Object.fromEntries(want.stars));
    else expect(got.stars).toBeUndefined();
    for (const r of got.requirements) {
      const w = want.req.get(r.id) ?? {};
      expect({ pass: r.pass, fail: r.fail, missing: r.missing, invalid: r.invalid, manual: r.manual, skipped: r.skipped }, r.id).toEqual({
        pass: w.pass ?? 0,
        fail: w.fail ?? 0,
        missing: w.missing ?? 0,
        invalid: w.invalid ?? 0,
        manual: w.manual ?? 0,
        skipped: w.skipped ?? 0,
      });
      const applies = r.pass + r.fail + r.missing + r.invalid + r.manual;
      expect(r.passRate).toBe(applies ? r.pass / applies : null);
    }
    // Σ cents ÷ villages, rounded half up to a cent.
    expect(got.meanTotal).toBe(Math.floor((want.cents * 2) / want.villages / 2 + 0.5) / 100);
    // Lowest first; at equal totals, earlier sheets first, then by row.
    expect(got.lowest.map(({ file, sheet, row, name, total, level }) => ({ file, sheet, row, name, total, level }))).toEqual(want.low);
  });

  it('mean rounds half up to a cent, exactly', () => {
    const b = new SummaryBuilder(standards, 0);
    const s = columnsOfRows(townshipSheet(3, 3));
    const scores = scoreSheetCompact(standards, s);
    scores.totalCents.set([1, 0, 0]); // 1 cent over 3 villages: 0.333… → 0
    b.add('a.xlsx', s, scores);
    expect(b.done().meanTotal).toBe(0);
    const b2 = new SummaryBuilder(standards, 0);
    scores.totalCents.set([1, 1, 0]); // 0.666… → 1 cent
    b2.add('a.xlsx', s, scores);
    expect(b2.done().meanTotal).toBe(0.01);
  });

  it('no sheets: no mean, no lowest, every level at 0', () => {
    const got = new SummaryBuilder(county).done();
    expect(got.villages).toBe(0);
    expect(got.meanTotal).toBeNull();
    expect(got.lowest).toEqual([]);
    expect(got.levels.every((l) => l.villages === 0)).toBe(true);
    expect(got.requirements.every((r) => r.passRate === null)).toBe(true);
  });
});

describe('summarizeFile', () => {
  it('a real file: its tables are added, its 填表说明 sheet is listed with the reason', async () => {
    const b = new SummaryBuilder(county);
    await summarizeFile(b, county, fixtureBytes('messy-excel.xlsx'), { fileName: 'messy-excel.xlsx' });
    const got = b.done();
    expect(got.sheets.map((s) => s.name)).toEqual(['三季度汇总', '上季度']);
    expect(got.ignoredSheets).toEqual([expect.objectContaining({ file: 'messy-excel.xlsx', name: '填表说明' })]);
    expect(got.lowest.map((v) => v.name)).toContain('张庄村');
  });

  it('a sheet before the county rulebook is in force is listed, and the rest still counted', async () => {
    const old = parseCountyRulebook({ ...example, effectiveFrom: '2027' }, rb);
    const engine = prepareEngine(rb, old);
    const b = new SummaryBuilder(engine);
    await summarizeFile(b, engine, fixtureBytes('messy-excel.xlsx'), { fileName: 'messy-excel.xlsx' });
    const got = b.done();
    expect(got.sheets).toEqual([]);
    expect(got.ignoredSheets.map((s) => s.reason).filter((r) => r.includes('起施行'))).toHaveLength(2);
  });

  it('an unreadable file throws its Chinese SheetError', async () => {
    const b = new SummaryBuilder(county);
    await expect(summarizeFile(b, county, new Uint8Array([0x50, 0x4b, 3, 4, 9, 9]), { fileName: '坏.xlsx' })).rejects.toThrow(/[\u4e00-\u9fff]/);
  });
});
