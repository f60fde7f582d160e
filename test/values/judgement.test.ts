import { describe, expect, it } from 'vitest';
import type { Judgement } from '../../shared/types.ts';
import { parseJudgement } from '../../shared/values/index.ts';
import { cell } from './helpers.ts';

const yes: Judgement = { kind: 'bool', value: true };
const no: Judgement = { kind: 'bool', value: false };
const grade = (g: '好' | '较好' | '一般' | '差'): Judgement => ({ kind: 'grade', grade: g });
const findings = (count: number): Judgement => ({ kind: 'findings', count });

describe('parseJudgement', () => {
  it.each<[unknown, Judgement]>([
    ['是', yes],
    ['否', no],
    ['√', yes],
    ['×', no],
    ['对', yes],
    ['Y', yes],
    ['no', no],
    ['达标', yes],
    ['不达标', no],
    ['通过', yes],
    [true, yes],
    [false, no],
    ['好', grade('好')],
    ['较好', grade('较好')],
    ['較好', grade('较好')],
    ['一般', grade('一般')],
    ['差', grade('差')],
    [' 一般 ', grade('一般')],
    [0, findings(0)],
    [2, findings(2)],
    ['2', findings(2)],
    ['０', findings(0)],
    ['问题2处', findings(2)],
    ['问题：2处', findings(2)],
    ['发现3个问题', findings(3)],
    ['存在问题2个', findings(2)],
    ['有2个问题', findings(2)],
    ['2处', findings(2)],
    ['两处问题', findings(2)],
    ['无问题', findings(0)],
    ['未发现问题', findings(0)],
  ])('%j → %j', (value, expected) => {
    expect(parseJudgement(cell(value as never))).toEqual({ ok: true, value: expected });
  });

  it.each<[string, Judgement]>([
    ['优', grade('好')],
    ['优秀', grade('好')],
    ['優秀', grade('好')],
    ['很好', grade('好')],
    ['良', grade('较好')],
    ['良好', grade('较好')],
    ['中', grade('一般')],
    ['中等', grade('一般')],
    ['合格', grade('一般')],
    ['及格', grade('一般')],
    ['较差', grade('差')],
    ['不合格', grade('差')],
    ['不及格', grade('差')],
  ])('maps %j → %j with a note', (value, expected) => {
    const g = (expected as { grade: string }).grade;
    expect(parseJudgement(cell(value))).toEqual({ ok: true, value: expected, note: `“${value}”按“${g}”计` });
  });

  it.each<[unknown, string]>([
    ['有', '无法识别为评价：“有”（“有”在评价列中含义不明：请填写“是/否”、好/较好/一般/差，或问题数（0表示没有问题））'],
    ['无', '无法识别为评价：“无”（“无”在评价列中含义不明：请填写“是/否”、好/较好/一般/差，或问题数（0表示没有问题））'],
    [2.5, '问题数应为整数：“2.5”'],
    ['问题2.5处', '问题数应为整数：“问题2.5处”'],
    [-1, '问题数不能为负数：“-1”'],
    ['-1', '问题数不能为负数：“-1”'],
    ['还行', '无法识别为评价：“还行”（请填写“是/否”、好/较好/一般/差，或问题数）'],
    ['问题', '无法识别为评价：“问题”（请填写“是/否”、好/较好/一般/差，或问题数）'],
    ['问题三四处', '无法识别为评价：“问题三四处”（请填写“是/否”、好/较好/一般/差，或问题数）'],
    ['2元', '无法识别为评价：“2元”（请填写“是/否”、好/较好/一般/差，或问题数）'],
    [Number.NaN, '无法识别为问题数：“NaN”（不是有效数字）'],
    [new Date(Date.UTC(2024, 0, 1)), '无法识别为评价：“2024-01-01”（这是日期）'],
  ])('%j is refused', (value, reason) => {
    expect(parseJudgement(cell(value as never))).toEqual({ ok: false, reason });
  });
});
