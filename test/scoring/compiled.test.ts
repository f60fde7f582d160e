// The decision engine (compiled.ts) against the explaining engine (evaluate.ts + points.ts + sheet.ts): on
// generated county sheets with random cell mutations, removed columns, every period kind and several county
// rulebooks, both give the same status for every requirement and the same total, maximum, level, veto and stars
// for every village.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { parseCountyRulebook } from '../../shared/rulebook/county.ts';
import { prepareEngine, type Engine } from '../../shared/scoring/evaluate.ts';
import { scoreSheetRows, type SheetRows } from '../../shared/scoring/sheet.ts';
import { scoreSheetCompact, statusAt, STATUS_OF_CODE, type CompactScores } from '../../shared/scoring/compiled.ts';
import { readSheetColumns, readSheetRows } from '../../shared/score.ts';
import { readWorkbook } from '../../shared/sheet/read.ts';
import { fixtureBytes } from '../sheet/helpers.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import { demoColumns, demoCounty, demoValues } from '../../shared/demo/generate.ts';
import type { ColumnReport, RawCell, ScoredSheet } from '../../shared/types.ts';

const rb = defaultRulebook();
type Json = Record<string, unknown>;
const clone = (): Json => JSON.parse(JSON.stringify(example)) as Json;

/** County rulebooks exercising every scoring branch: the example, and variants of it. */
function variants(): [string, Engine][] {
  const exclude = clone();
  (exclude.scoring as Json).notApplicable = 'exclude';
  const items = (exclude.scoring as { items: Json[] }).items;
  items.forEach((it, k) => {
    if (it.style === 'perRequirement' && k % 2 === 0) it.per = 0.5;
    if (k % 3 === 0) it.floorAtZero = false;
  });
  exclude.levels = [
    { name: '五好', min: 95, requires: ['basicAllPass', 'demoAllPass'] },
    { name: '示范', min: 85, requires: ['basicAllPass'] },
    { name: '达标', min: 60 },
    { name: '未达标', min: 0 },
  ];
  // Check parameters set by the county (`checks`): applied to the standards by prepareEngine, read by both.
  const checks = clone();
  checks.checks = [
    { ref: 'basic-8', set: { years: 5 }, basis: '条例（2019）' },
    { ref: 'basic-18', set: { per: 'quarter' } },
    { ref: 'basic-20', set: { times: 2, per: 'year' } },
    { ref: 'basic-9-e', set: { min: 2, max: 10 } },
    { ref: 'basic-7-a', set: { max: 6 } },
    { ref: 'basic-10-b', set: { value: 30, per: 'half' } },
    { ref: 'basic-11-b', set: { value: 2, op: '>' } },
  ];
  const noLevels = clone();
  delete noLevels.levels;
  delete noLevels.stars;
  // The standards name no 村/社区 condition yet; a rulebook that does must be decided the same way too.
  const byUnit = structuredClone(rb);
  byUnit.articles[3]!.appliesTo = { ...byUnit.articles[3]!.appliesTo, unit: ['村'] };
  byUnit.articles[5]!.requirements[0]!.appliesTo = { unit: ['社区'] };
  return [
    ['standards only', prepareEngine(rb)],
    ['standards with 村/社区 conditions', prepareEngine(byUnit)],
    ['example county', prepareEngine(rb, parseCountyRulebook(example, rb))],
    ['exclude, per-requirement deductions, strict levels', prepareEngine(rb, parseCountyRulebook(exclude, rb))],
    ['county without levels or stars', prepareEngine(rb, parseCountyRulebook(noLevels, rb))],
    ['county setting check parameters', prepareEngine(rb, parseCountyRulebook(checks, rb))],
  ];
}
const ENGINES = variants();
const PERIODS = ['2026', '2026H1', '2026Q3', '2026-07'].map((p) => parsePeriodLabel(p)!);

/** Cell texts and values officers really type, good and bad. */
const ODD_VALUES: (string | number | boolean | null)[] = [
  null, '', ' ', '/', '—', '-', '无', 'abc', '0', '-3', '1e5', '2.5万', '√', '×', '是', '否', '有', '好', '较好', '一般', '差',
  '发现问题2处', '未发现问题', 3, 0, 12.5, -1, true, false, '2024.10', '2019年3月', '十二', ' 12 次', '１２', '80%', '0.8', '120%',
  '党支部', '党总支', '党委', '社区', '村', '12人', '3:1', '=1+1', '\u202e12',
];

const county = demoCounty({ townships: 2, villagesPerTownship: [12, 16], seed: 7 });
const villages = county.townships.flatMap((t) => t.villages);
const inputCols = [
  ...demoColumns(rb, [{ id: 'countyHonors', label: '获县级以上表彰次数', kind: 'count', synonyms: [] }]),
  rb.inputs.find((i) => i.id === 'unitType')!,
];

function sheetFor(periodIndex: number, messy: boolean, removed: ReadonlySet<number>, mutations: [number, number, number][]): SheetRows {
  const period = PERIODS[periodIndex]!;
  const cols = inputCols.filter((_, k) => !removed.has(k));
  const columns: ColumnReport[] = cols.map((c, k) => ({ index: k, letter: `C${k}`, header: c.label, input: c.id, confidence: 1, matchedBy: 'exact' }));
  const rows = villages.map((v, r) => {
    const vals: Record<string, string> = { ...demoValues(rb, v, period, { messy }), countyHonors: String(r % 5), unitType: r % 7 === 3 ? '社区' : '村' };
    const cells: Record<string, RawCell> = {};
    cols.forEach((c, k) => {
      const x = vals[c.id];
      if (x !== undefined) cells[c.id] = { address: `C${k}${r + 3}`, value: x === '' ? null : x };
    });
    return { row: r + 3, cells };
  });
  for (const [r, k, o] of mutations) {
    const row = rows[r % rows.length]!;
    const c = cols[k % cols.length]!;
    const value = ODD_VALUES[o % ODD_VALUES.length]!;
    // '=1+1' is text starting with "=" in one row, an uncalculated formula in the next (the reader's mark).
    row.cells[c.id] = { address: `M${k}${r}`, value, ...(value === '=1+1' && r % 2 === 0 ? { formula: '1+1' } : {}) };
  }
  return { name: 't', period, periodSource: 'option', columns, rows, skippedRows: [], headerRows: { top: 1, bottom: 1 } };
}

function compare(engine: Engine, sheet: SheetRows): void {
  sameScores(scoreSheetRows(engine, sheet), scoreSheetCompact(engine, sheet));
}

function sameScores(ref: ScoredSheet, fast: CompactScores): void {
  expect(fast.rowCount).toBe(ref.villages.length);
  ref.villages.forEach((v, i) => {
    const want: Record<string, string> = {};
    for (const r of v.results) want[r.id] = r.status;
    for (const s of v.skipped) want[s.id] = 'skip';
    const got: Record<string, string> = {};
    fast.requirementIds.forEach((id, r) => (got[id] = STATUS_OF_CODE[statusAt(fast, i, r)]!));
    const where = `row ${v.row}`;
    expect(got, where).toEqual(want);
    expect(fast.totalCents[i], where).toBe(Math.round(v.total * 100));
    expect(fast.maxCents[i], where).toBe(Math.round(v.maxTotal * 100));
    expect(fast.levelNames[fast.level[i]!], where).toBe(v.level);
    expect(fast.vetoed[i] === 1, where).toBe(v.veto.length > 0);
    expect(fast.stars?.[i], where).toBe(v.stars);
  });
}

describe('decision engine agrees with the explaining engine', () => {
  it.each(ENGINES.flatMap(([name, engine]) => PERIODS.map((p, k) => [`${name}, ${p.label}`, engine, k] as const)))(
    'unmutated demo sheet: %s',
    (_name, engine, k) => {
      compare(engine, sheetFor(k, true, new Set(), []));
      compare(engine, sheetFor(k, false, new Set(), []));
    },
  );

  it('mutated cells and removed columns (property, seed 20261123)', () => {
    fc.assert(
      fc.property(
        fc.nat(ENGINES.length - 1),
        fc.nat(PERIODS.length - 1),
        fc.boolean(),
        fc.uniqueArray(fc.nat(inputCols.length - 1), { maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(200), fc.nat(400), fc.nat(ODD_VALUES.length * 3)), { maxLength: 120 }),
        (e, p, messy, removed, mutations) => compare(ENGINES[e]![1], sheetFor(p, messy, new Set(removed), mutations)),
      ),
      { numRuns: 60, seed: 20261123 },
    );
  });

  it.each(['messy-excel.xlsx', 'libreoffice.xlsx', 'wps-inline.xlsx', 'utf8-bom.csv', 'gb18030.csv'])(
    'a real file read column by column (readSheetColumns) scores as read row by row: %s',
    async (name) => {
      let villages = 0;
      for (const grid of await readWorkbook(fixtureBytes(name), name)) {
        for (const [, engine] of ENGINES) {
          const opts = { fileName: name, period: '2026' };
          const rows = readSheetRows(engine, grid, opts);
          const cols = readSheetColumns(engine, grid, opts);
          if ('ignored' in rows || 'ignored' in cols) {
            expect(cols).toEqual(rows);
            continue;
          }
          expect(cols.skippedRows).toEqual(rows.skippedRows);
          sameScores(scoreSheetRows(engine, rows), scoreSheetCompact(engine, cols));
          villages += rows.rows.length;
        }
      }
      expect(villages).toBeGreaterThan(0);
    },
  );

  it('an empty sheet gives empty arrays', () => {
    const s = sheetFor(0, false, new Set(), []);
    const fast = scoreSheetCompact(ENGINES[1]![1], { ...s, rows: [] });
    expect(fast.rowCount).toBe(0);
    expect(fast.status.length).toBe(0);
  });
});
