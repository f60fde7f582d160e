import { describe, expect, it } from 'vitest';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { CountyRulebookError, parseCountyRulebook } from '../../shared/rulebook/county.ts';

const base = defaultRulebook();
const clone = (): Record<string, unknown> => JSON.parse(JSON.stringify(example));

function problemsOf(json: unknown): { path: string; message: string }[] {
  try {
    parseCountyRulebook(json, base);
  } catch (e) {
    expect(e).toBeInstanceOf(CountyRulebookError);
    return (e as CountyRulebookError).problems;
  }
  throw new Error('expected the rulebook to be rejected');
}

describe('county rulebook', () => {
  it('the shipped example validates, and its points add up to 100', () => {
    const cr = parseCountyRulebook(example, base);
    expect(cr.scoring.items.reduce((s, i) => s + i.points, 0)).toBe(100);
  });

  type Mutation = [string, (j: Record<string, any>) => void, string, RegExp];
  const table: Mutation[] = [
    ['missing name', (j) => delete j.name, 'name', /缺少必填字段/],
    ['negative points', (j) => (j.scoring.items[0].points = -1), 'scoring.items[0].points', /不能为负数/],
    ['three decimals', (j) => (j.scoring.items[1].points = 1.234), 'scoring.items[1].points', /两位小数/],
    ['points as text', (j) => (j.scoring.items[2].points = '3'), 'scoring.items[2].points', /必须是数字/],
    ['unknown field', (j) => (j.scoring.items[0].pionts = 3), 'scoring.items[0].pionts', /不认识的字段/],
    ['unknown style', (j) => (j.scoring.items[0].style = 'sometimes'), 'scoring.items[0].style', /扣分方式应为/],
    ['bad ref', (j) => (j.scoring.items[0].ref = 'basic-99'), 'scoring.items[0].ref', /找不到条款或要求“basic-99”/],
    ['double scoring', (j) => j.scoring.items.push({ ref: 'basic-18-b', points: 1 }), 'scoring.items[37].ref', /已在 scoring\.items\[17\] 中计分/],
    ['style on wrong kind', (j) => (j.scoring.items[1].style = 'perMissedEvent'), 'scoring.items[1].style', /只适用于frequency/],
    ['per missing', (j) => delete j.scoring.items[16].per, 'scoring.items[16].per', /需要写明/],
    ['unit missing', (j) => delete j.scoring.items[27].unit, 'scoring.items[27].unit', /差额单位/],
    ['threshold on a judgement', (j) => (j.scoring.items[1].threshold = 3), 'scoring.items[1].threshold', /数值型/],
    ['bad period', (j) => (j.effectiveFrom = '2026年'), 'effectiveFrom', /期次格式/],
    ['quota over 1', (j) => (j.stars.bands[0].quota = 10), 'stars.bands[0].quota', /0到1之间/],
    ['bands out of order', (j) => j.stars.bands.reverse(), 'stars.bands[1]', /从高到低/],
    ['levels out of order', (j) => j.levels.reverse(), 'levels[1].min', /从高到低/],
    ['groups over 1', (j) => (j.groups.top = 0.9), 'groups', /不能超过1/],
    ['bonus input unknown', (j) => (j.bonus[0].input = 'nope'), 'bonus[0].input', /找不到输入项“nope”/],
    ['weak trigger kind', (j) => (j.weak.triggers[0] = { kind: 'sometimes' }), 'weak.triggers[0].kind', /kind 应为/],
    ['county code', (j) => (j.countyCode = '4109'), 'countyCode', /6位数字/],
    ['extra input clashes', (j) => (j.inputs[0].id = 'activityArea'), 'inputs[0].id', /重名/],
  ];
  it.each(table)('%s → %s', (_name, mutate, path, message) => {
    const j = clone();
    mutate(j);
    const problems = problemsOf(j);
    const hit = problems.find((p) => p.path === path);
    expect(hit, JSON.stringify(problems)).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  it('the error message names every field in Chinese', () => {
    const j = clone() as { scoring: { items: { points: number }[] }; effectiveFrom: string };
    j.scoring.items[0]!.points = -1;
    j.effectiveFrom = 'next year';
    expect(() => parseCountyRulebook(j, base)).toThrow(/县级规则文件有误：.*effectiveFrom：期次格式.*scoring\.items\[0\]\.points：不能为负数/);
  });

  it('rejects non-objects', () => {
    expect(problemsOf(null)[0]!.message).toBe('必须是一个对象（{…}）');
    expect(problemsOf([])[0]!.message).toBe('必须是一个对象（{…}），不能是数组');
  });
});
