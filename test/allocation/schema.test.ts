// Validation: precise Chinese messages naming the field.
import { describe, expect, it } from 'vitest';
import { allocate, validateAllocationInput, type AllocationInput } from '../../shared/allocation/index.ts';
import { units } from './helpers.ts';

const good: AllocationInput = {
  budget: 100000,
  roundingUnit: 100,
  method: { kind: 'tiers', tiers: [{ fromRank: 1, toRank: 3, amount: 20000 }, { fromRank: 4, toRank: 10, amount: 10000 }] },
  units: units(['a', 90], ['b', 80]),
};

function issues(raw: unknown): string[] {
  const v = validateAllocationInput(raw);
  return v.ok ? [] : v.issues;
}

function withMethod(method: unknown, extra: Record<string, unknown> = {}): unknown {
  return { ...good, method, ...extra };
}

const cases: [string, unknown, string][] = [
  ['negative tier amount', withMethod({ kind: 'tiers', tiers: [{ fromRank: 1, toRank: 3, amount: 1 }, { fromRank: 4, toRank: 5, amount: -1 }] }), 'method.tiers[1].amount：必须是非负整数'],
  ['fractional tier amount', withMethod({ kind: 'tiers', tiers: [{ fromRank: 1, toRank: 3, amount: 1.5 }] }), 'method.tiers[0].amount：必须是非负整数'],
  ['amount as text', withMethod({ kind: 'tiers', tiers: [{ fromRank: 1, toRank: 3, amount: '20000' }] }), 'method.tiers[0].amount：必须是非负整数'],
  ['tier amount not a multiple of the rounding unit', withMethod({ kind: 'tiers', tiers: [{ fromRank: 1, toRank: 3, amount: 150 }] }), 'method.tiers[0].amount：须为取整单位100元（百元）的整数倍'],
  ['tiers not starting at rank 1', withMethod({ kind: 'tiers', tiers: [{ fromRank: 2, toRank: 3, amount: 100 }] }), 'method.tiers[0].fromRank：第一档须从第1名开始'],
  ['gap between tiers', withMethod({ kind: 'tiers', tiers: [{ fromRank: 1, toRank: 3, amount: 200 }, { fromRank: 5, toRank: 9, amount: 100 }] }), 'method.tiers[1].fromRank：须紧接上一档（第1–3名）之后，应为4'],
  ['overlapping tiers', withMethod({ kind: 'tiers', tiers: [{ fromRank: 1, toRank: 3, amount: 200 }, { fromRank: 3, toRank: 9, amount: 100 }] }), 'method.tiers[1].fromRank：须紧接上一档（第1–3名）之后，应为4'],
  ['a later tier paying more', withMethod({ kind: 'tiers', tiers: [{ fromRank: 1, toRank: 3, amount: 100 }, { fromRank: 4, toRank: 9, amount: 200 }] }), 'method.tiers[1]：不得高于上一档（第1–3名：100元），名次靠后不能多得'],
  ['toRank before fromRank', withMethod({ kind: 'tiers', tiers: [{ fromRank: 1, toRank: 0, amount: 100 }] }), 'method.tiers[0].toRank：必须是正整数'],
  ['toRank smaller than fromRank', withMethod({ kind: 'tiers', tiers: [{ fromRank: 1, toRank: 3, amount: 100 }, { fromRank: 4, toRank: 2, amount: 100 }] }), 'method.tiers[1].toRank：不得小于fromRank（4）'],
  ['empty tiers', withMethod({ kind: 'tiers', tiers: [] }), 'method.tiers：至少需要一档'],
  ['missing tiers', withMethod({ kind: 'tiers' }), 'method.tiers：缺少此字段'],
  ['bad onOverflow', withMethod({ kind: 'tiers', tiers: [{ fromRank: 1, toRank: 1, amount: 100 }], onOverflow: 'shrink' }), 'method.onOverflow：必须是error或scale'],
  ['unknown method', withMethod({ kind: 'lottery' }), 'method.kind：必须是tiers、proportional、rankPoints、basePlusTopUp之一'],
  ['method missing kind', withMethod({}), 'method.kind：缺少此字段'],
  ['method as text', withMethod('proportional'), 'method：必须是对象，含kind字段'],
  ['unknown method field', withMethod({ kind: 'proportional', base: 1 }), 'method.base：不认识的字段（可用字段：kind）'],
  ['rank points rising', withMethod({ kind: 'rankPoints', points: [{ fromRank: 1, toRank: 1, points: 1 }, { fromRank: 2, toRank: 3, points: 1.5 }] }), 'method.points[1]：不得高于上一档（第1名：1点）'],
  ['rank points with three decimals', withMethod({ kind: 'rankPoints', points: [{ fromRank: 1, toRank: 1, points: 1.005 }] }), 'method.points[0].points：最多两位小数'],
  ['base not a multiple', withMethod({ kind: 'basePlusTopUp', base: 150 }), 'method.base：须为取整单位100元（百元）的整数倍'],
  ['cap below base', withMethod({ kind: 'basePlusTopUp', base: 5000 }, { cap: 4000 }), 'cap：不得小于基础金额method.base（5000元）'],
  ['budget zero', { ...good, budget: 0 }, 'budget：必须是正整数（元）'],
  ['budget with fen', { ...good, budget: 100.5 }, 'budget：必须是正整数（元）'],
  ['budget missing', { method: good.method, units: good.units }, 'budget：缺少此字段'],
  ['rounding unit 50', { ...good, roundingUnit: 50 }, 'roundingUnit：必须是1、10、100或1000（元）'],
  ['floor not a multiple', { ...good, floor: 50 }, 'floor：须为取整单位100元（百元）的整数倍'],
  ['cap below floor', { ...good, floor: 500, cap: 300 }, 'cap：不得小于floor（500元）'],
  ['cap zero', { ...good, cap: 0 }, 'cap：必须是正整数'],
  ['redistribution with tiers', { ...good, cap: 1000, redistributeCapped: true }, 'redistributeCapped：固定档额法（tiers）不支持封顶再分配'],
  ['no units', { ...good, units: [] }, 'units：没有任何单位'],
  ['score with three decimals', { ...good, units: units(['a', 90.125]) }, 'units[0].score：最多两位小数'],
  ['negative score', { ...good, units: units(['a', -1]) }, 'units[0].score：必须是不小于0的数字（最多两位小数）'],
  ['score as text', { ...good, units: [{ id: 'a', name: 'a', score: '90' }] }, 'units[0].score：必须是不小于0的数字'],
  ['NaN score', { ...good, units: units(['a', Number.NaN]) }, 'units[0].score：必须是不小于0的数字'],
  ['empty id', { ...good, units: units(['  ', 1]) }, 'units[0].id：不能为空'],
  ['duplicate id', { ...good, units: units(['a', 1], ['b', 2], ['a', 3]) }, 'units[2].id：与units[0]重复（“a”）'],
  ['veto as text', { ...good, units: [{ id: 'a', name: 'a', score: 1, veto: '是' }] }, 'units[0].veto：必须是true或false'],
  ['unknown unit field', { ...good, units: [{ id: 'a', name: 'a', score: 1, scor: 2 }] }, 'units[0].scor：不认识的字段（可用字段：id、name、score、rank、level、veto、weak）'],
  ['unknown top-level field', { ...good, roundUnit: 100 }, 'roundUnit：不认识的字段（可用字段：budget、method、units'],
  ['some ranks missing', { ...good, units: units(['a', 2, { rank: 1 }], ['b', 1]) }, 'units[1].rank：1个单位填写了排名，其余未填'],
  ['rank zero', { ...good, units: units(['a', 2, { rank: 0 }]) }, 'units[0].rank：必须是正整数'],
  ['equal scores, different ranks', { ...good, units: units(['a', 90, { rank: 1 }], ['b', 90, { rank: 2 }]) }, 'units[1].rank：得分相同（90.00）的单位名次须相同，a为第1名，b为第2名'],
  ['ranks against scores', { ...good, units: units(['a', 95, { rank: 2 }], ['b', 90, { rank: 1 }]) }, 'units[1].rank：名次与得分不一致，b得分90.00为第1名，而得分更高的a（95.00）为第2名'],
  ['empty level list', { ...good, eligibility: { minLevel: [] } }, 'eligibility.minLevel：至少列出一个等次'],
  ['unknown eligibility field', { ...good, eligibility: { excludeVetoes: true } }, 'eligibility.excludeVetoes：不认识的字段（可用字段：excludeVeto、excludeWeak、minLevel、minScore）'],
  ['not an object', 42, '必须是对象'],
];

describe('validation messages', () => {
  it('accepts the good input', () => {
    expect(issues(good)).toEqual([]);
  });
  it.each(cases)('%s', (_, raw, message) => {
    const found = issues(raw);
    expect(found.some((m) => m.startsWith(message)), `${message}\n  not in\n${found.join('\n')}`).toBe(true);
  });
  it('reports every shape problem at once', () => {
    const found = issues({ budget: -1, method: { kind: 'proportional' }, units: [{ id: 'a', name: 'a', score: 1.234 }, { id: 'b' }] });
    expect(found).toEqual([
      'budget：必须是正整数（元）',
      'units[0].score：最多两位小数',
      'units[1].name：缺少此字段',
      'units[1].score：缺少此字段',
    ]);
  });
  it('allocate turns problems into an invalid_input error', () => {
    const r = allocate({ ...good, budget: 0 });
    expect(r).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'budget：必须是正整数（元）', issues: ['budget：必须是正整数（元）'] },
    });
  });
});
