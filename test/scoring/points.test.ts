import { describe, expect, it } from 'vitest';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { parseCountyRulebook } from '../../shared/rulebook/county.ts';
import { evaluateVillage, prepareEngine } from '../../shared/scoring/evaluate.ts';
import { scoreVillage } from '../../shared/scoring/points.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import type { RowContext } from '../../shared/scoring/inputs.ts';
import type { RawCell } from '../../shared/types.ts';

const base = defaultRulebook();
const county = parseCountyRulebook(example, base);

function scoreRow(inputs: Record<string, string>, opts: { period?: string; withCounty?: boolean } = {}) {
  const engine = prepareEngine(base, opts.withCounty === false ? undefined : county);
  const cells: Record<string, RawCell> = {};
  Object.entries(inputs).forEach(([id, value], i) => (cells[id] = { address: `R${i}C1`, value: value === '' ? null : value }));
  const ctx: RowContext = {
    inputs: engine.inputs,
    cells,
    mapped: new Set(Object.keys(inputs)),
    columnCtx: new Map(),
    period: parsePeriodLabel(opts.period ?? '2026')!,
    params: engine.params,
    memo: new Map(),
  };
  const ev = evaluateVillage(engine, ctx);
  return { ev, totals: scoreVillage(engine, ev, ctx) };
}

const item = (t: ReturnType<typeof scoreRow>['totals'], ref: string) => t.items.find((i) => i.ref === ref)!;

describe('county points', () => {
  it.each([
    ['perMissedEvent: 10 支委会 of 12, 0.5 each', { orgType: '党支部', committeeMeetings: '10' }, 'basic-18-b', 3, /少2次，每次扣0.5分/],
    ['perMissedEvent: all 12 held', { orgType: '党支部', committeeMeetings: '12' }, 'basic-18-b', 4, /不扣分/],
    ['perShortfallUnit: 75㎡ is 15 short, 2 units of 10', { orgType: '党支部', activityArea: '75㎡' }, 'basic-24', 3, /差2个单位/],
    ['perShortfallUnit floored at zero', { orgType: '党支部', activityArea: '20' }, 'basic-24', 0, /差7个单位/],
    ['graded 较好 = 80%', { orgType: '党支部', 'judge.basic.27': '较好' }, 'basic-27', 1.6, /较好/],
    ['graded 差 = 0', { orgType: '党支部', 'judge.basic.27': '差' }, 'basic-27', 0, /差/],
    ['allOrNothing fail', { orgType: '党支部', collectiveIncome: '1.5万' }, 'basic-41', 0, /未达标/],
    ['allOrNothing pass', { orgType: '党支部', collectiveIncome: '2万' }, 'basic-41', 6, /全部达标/],
    ['not applicable earns full points', { orgType: '党支部' }, 'basic-21', 2, /不适用本村/],
    ['missing data earns nothing yet', { orgType: '党支部' }, 'basic-24', 0, /待补或待评/],
    ['perFinding: 2 findings, 1 each', { orgType: '党支部', 'judge.basic.10': '发现问题2处' }, 'basic-10-c', 0, /发现问题2处/],
    ['perFinding: 1 finding', { orgType: '党支部', 'judge.basic.10': '1' }, 'basic-10-c', 1, /发现问题1处/],
    ['perRequirement proportional', { orgType: '党支部', isWeak: '否', isPoor: '否', hasOrgCommissioner: '是', reserveCadres: '2', 'judge.basic.9a': '好', 'judge.basic.9d': '好' }, 'basic-9', 3, /3\/4项达标/],
  ] as const)('%s', (_name, inputs, ref, earned, explanation) => {
    const { totals } = scoreRow(inputs);
    const it = item(totals, ref);
    expect(it.earned).toBe(earned);
    expect(it.explanation).toMatch(explanation);
  });

  it('the total is the exact sum of the items plus bonus, and the maximum is 100', () => {
    const { totals } = scoreRow({ orgType: '党支部', committeeMeetings: '10', activityArea: '75', 'judge.basic.27': '较好', countyHonors: '5' });
    const sumC = totals.items.reduce((s, i) => s + Math.round(i.earned * 100), 0) + Math.round(totals.bonus.reduce((s, b) => s + b.points, 0) * 100);
    expect(Math.round(totals.total * 100)).toBe(sumC);
    expect(totals.maxTotal).toBe(100);
    expect(totals.bonus).toEqual([{ id: 'honor', label: '获县级以上表彰', points: 3 }]);
  });

  it('a veto item forces the lowest level and says why', () => {
    const { totals } = scoreRow({ orgType: '党支部', cadreViolation: '是' });
    expect(totals.veto).toEqual(['一票否决：村“两委”干部违纪违法未达标']);
    expect(totals.level).toBe('未达标');
    expect(totals.levelReason).toMatch(/一票否决/);
  });

  it('a quarterly sheet does not judge yearly totals: the item counts as not applicable', () => {
    const { totals } = scoreRow({ orgType: '党支部', secretaryTrainingHours: '6' }, { period: '2026Q3' });
    expect(item(totals, 'basic-10-b')).toMatchObject({ earned: 2, explanation: '不适用本村，按县规则计满分' });
  });
});

describe('default scoring (the standards as written)', () => {
  it('total is the share of judged 基本标准 requirements met; level from pass/fail', () => {
    const { ev, totals } = scoreRow({ orgType: '党支部', activityArea: '85', committeeMeetings: '12', partyDays: '12' }, { withCounty: false });
    const basic = ev.results.filter((r) => r.standard === 'basic');
    const passed = basic.filter((r) => r.status === 'pass').length;
    const failed = basic.filter((r) => r.status === 'fail').length;
    expect(passed).toBe(2);
    expect(failed).toBe(1);
    expect(totals.total).toBe(66.66);
    expect(totals.levelReason).toMatch(/2\/3（另有\d+项待补或待评，未计入）/);
    expect(totals.level).toBe('未达标');
    expect(totals.levelReason).toMatch(/基本标准有1项未达标/);
  });
  it('no fail but open items is 待定', () => {
    const { totals } = scoreRow({ orgType: '党支部', activityArea: '95' }, { withCounty: false });
    expect(totals.level).toBe('待定');
  });
});
