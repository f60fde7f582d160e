// Which county rulebook version holds for a period (shared/rulebook/in-force.ts), table-driven.
import { describe, expect, it } from 'vitest';
import { inForce, versionInForce } from '../../shared/rulebook/in-force.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';

const p = (s: string) => {
  const x = parsePeriodLabel(s);
  if (!x) throw new Error(`bad period in test: ${s}`);
  return x;
};

describe('inForce: a version covers a period when it starts on or before the period ends', () => {
  const cases: [effectiveFrom: string, period: string, covers: boolean][] = [
    ['2026', '2025Q4', false],
    ['2026', '2025', false],
    ['2026', '2026Q1', true],
    ['2026', '2026-01', true],
    ['2026', '2026', true],
    ['2026', '2030H2', true],
    ['2026Q3', '2026H1', false],
    ['2026Q3', '2026H2', true],
    ['2026Q3', '2026', true],
    ['2026Q3', '2026Q2', false],
    ['2026Q3', '2026Q3', true],
    ['2026Q3', '2026-06', false],
    ['2026Q3', '2026-07', true],
    ['2026-06', '2026H1', true],
    ['2026-06', '2026Q2', true],
    ['2026-06', '2026Q1', false],
    ['2026H2', '2026Q3', true],
    ['2026H2', '2026Q2', false],
    ['2026H2', '2026', true],
    ['bad', '2026', false],
    ['', '2026', false],
  ];
  it.each(cases)('effective from %s, period %s → %s', (from, period, covers) => {
    expect(inForce(from, p(period))).toBe(covers);
  });
});

describe('versionInForce: the newest version that covers the period, else none (the standards)', () => {
  const versions = [
    { version: 1, effectiveFrom: '2026' },
    { version: 2, effectiveFrom: '2027' },
    { version: 3, effectiveFrom: '2027Q2' },
    // Published later but effective earlier: being newer, it holds wherever it covers.
    { version: 4, effectiveFrom: '2026Q3' },
    { version: 5, effectiveFrom: 'not a period' },
  ];
  const cases: [period: string, version: number | null][] = [
    ['2025Q4', null],
    ['2025', null],
    ['2026Q1', 1],
    ['2026H1', 1],
    ['2026Q3', 4],
    ['2026', 4],
    ['2027Q1', 4],
    ['2028', 4],
  ];
  it.each(cases)('period %s → version %s', (period, version) => {
    expect(versionInForce(versions, p(period))?.version ?? null).toBe(version);
  });

  it('without version 4, the plain sequence picks the newest started version', () => {
    const three = versions.slice(0, 3);
    const table: [string, number | null][] = [
      ['2025Q4', null],
      ['2026Q4', 1],
      ['2027Q1', 2],
      ['2027H1', 3],
      ['2027Q3', 3],
      ['2027', 3],
    ];
    for (const [period, version] of table) expect(versionInForce(three, p(period))?.version ?? null, period).toBe(version);
    // Order of the input does not matter.
    for (const [period, version] of table) expect(versionInForce([...three].reverse(), p(period))?.version ?? null, period).toBe(version);
  });

  it('no versions: none holds', () => {
    expect(versionInForce([], p('2026Q1'))).toBeNull();
  });
});
