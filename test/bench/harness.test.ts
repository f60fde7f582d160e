// The benchmark harness's pure parts: medians, ratios, rounding, target verdicts, tables, CSV and result
// fingerprints. No timing here: benchmarks report numbers, tests never assert on speed.
import { describe, expect, it } from 'vitest';
import { atLeast, atMost, fmt, markdownTable, median, medianOf, ratio, round, textTable, verdict } from '../../bench/lib/stats.ts';
import { csvColumnsSpec, fingerprint, tableToCsv, type BenchTable } from '../../bench/lib/csv.ts';

describe('statistics', () => {
  it('takes medians of samples and of each field of sample records', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(medianOf([{ a: 1, b: 10 }, { a: 3, b: 30 }, { a: 2, b: 20 }])).toEqual({ a: 2, b: 20 });
    expect(medianOf([])).toEqual({});
  });

  it('computes ratios, null when a side is missing or zero', () => {
    expect(ratio(6, 3)).toBe(2);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 3)).toBeNull();
    expect(ratio(3, undefined)).toBeNull();
  });

  it('rounds to three significant digits below 100 and to integers above', () => {
    expect(round(1234.5)).toBe(1235);
    expect(round(2.34567)).toBe(2.35);
    expect(round(0.012345)).toBe(0.0123);
    expect(round(0)).toBe(0);
    expect(round(Number.NaN)).toBeNull();
    expect(fmt(12345.6, ' ms')).toBe('12,346 ms');
    expect(fmt(null)).toBe('—');
  });
});

describe('targets', () => {
  it('"at most" is met at or under the limit; the ratio is measured ÷ limit', () => {
    const t = atMost('x', '≤ 2×', 2.5, 2, '×');
    expect(t).toMatchObject({ ratio: 1.25, met: false, measured: '2.5×' });
    expect(verdict(t)).toBe('missed');
    expect(atMost('x', '≤ 5', 5, 5).met).toBe(true);
    expect(verdict(atMost('x', '≤ 5', null, 5))).toBe('not measured');
  });

  it('"at least" is met at or over the limit; the ratio is limit ÷ measured', () => {
    expect(atLeast('x', '≥ 100,000', 1000, 100_000)).toMatchObject({ ratio: 100, met: false });
    expect(atLeast('x', '≥ 100,000', 200_000, 100_000)).toMatchObject({ ratio: 0.5, met: true });
  });
});

describe('tables', () => {
  it('writes Markdown with escaped pipes', () => {
    expect(markdownTable([['a', 'b'], ['1', 'x|y']])).toBe('| a | b |\n|---|---|\n| 1 | x\\|y |');
  });

  it('pads text columns, counting Chinese characters as two columns', () => {
    const t = textTable([['名次', 'n'], ['1', '22']]).split('\n');
    expect(t[0]).toBe('名次  n');
    expect(t[1]).toBe('----  --');
    expect(t[2]).toBe('1     22');
  });
});

describe('aggregation tables and fingerprints', () => {
  const table: BenchTable = {
    length: 2,
    columns: { village: { kind: 'utf8', values: ['张庄村', 'a,"b"'] }, total_cents: { kind: 'float64', values: Float64Array.from([9050, 7000]) } },
  };

  it('writes RFC 4180 CSV with a header, and the read_csv column types', () => {
    expect(tableToCsv(table)).toBe('village,total_cents\n张庄村,9050\n"a,""b""",7000\n');
    expect(csvColumnsSpec(table)).toBe("{'village': 'VARCHAR', 'total_cents': 'DOUBLE'}");
  });

  it('fingerprints SQL rows (numbers or bigints) and reference objects alike, in any order', () => {
    const sql = [
      { rank: 1, county_rank: 2n, previous_rank: null, is_last: false, in_bottom_group: false },
      { rank: 2n, county_rank: 3, previous_rank: 1, is_last: true, in_bottom_group: true },
    ];
    const ref = [
      { rank: 2, countyRank: 3, previousRank: 1, isLast: true, inBottomGroup: true },
      { rank: 1, countyRank: 2, previousRank: null, isLast: false, inBottomGroup: false },
    ];
    expect(fingerprint('villageRank', sql)).toBe(fingerprint('villageRank', ref));
    expect(fingerprint('villageRank', sql)).not.toBe(fingerprint('villageRank', [{ ...ref[0], rank: 3 }, ref[1]!]));
    expect(fingerprint('villageRates', [{ pass_count: 3, demo_count: 1, villages: 4 }])).toBe(fingerprint('villageRates', [{ passCount: 3, demoCount: 1, villages: 4 }]));
  });
});
