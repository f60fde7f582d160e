// Header matching by facets: reading a label, the unit as a strong signal, unknown words, close candidates left
// to the officer, and the column's values breaking a tie.
import { describe, expect, it } from 'vitest';
import { measuresFit, profileValues, readFacets, valuesFit } from '../../shared/sheet/facets.ts';
import { mapColumns } from '../../shared/sheet/mapping.ts';
import { InputMatcher } from '../../shared/sheet/match.ts';
import type { InputDef } from '../../shared/types.ts';
import inputsJson from '../../shared/rulebook/inputs.json' with { type: 'json' };
import { gridOf, layoutOf } from './helpers.ts';

const INPUTS = inputsJson as unknown as InputDef[];
const matcher = new InputMatcher(INPUTS);
const id = (...path: string[]) => matcher.match(path)?.input.id;

describe('readFacets', () => {
  it('reads subject, event, qualifiers and measure; place and period words carry nothing', () => {
    const f = readFacets('村党组织书记参加县级以上集中培训次数');
    expect([...f.concepts.keys()].sort()).toEqual(['书记', '党组织', '县级以上', '培训', '集中'].sort());
    expect(f.measure).toBe('times');
    expect(f.unknown).toBe(0);
  });

  it('counts the characters it does not know', () => {
    expect(readFacets('耕地面积')).toMatchObject({ measure: 'area', unknown: 2 });
    expect(readFacets('60岁以上党员').unknown).toBe(5);
  });

  it('其中： names a part of a count', () => {
    expect(readFacets('其中:40岁以下').measure).toBe('count');
  });

  it('a count of unstated things fits every count, not hours or money', () => {
    expect(measuresFit('count', 'persons')).toBe(true);
    expect(measuresFit('times', 'persons')).toBe(false);
    expect(measuresFit('count', 'hours')).toBe(false);
  });
});

describe('InputMatcher by facets', () => {
  it('maps the labels issue 11 found unmapped', () => {
    expect(id('村党组织班子成员（人）')).toBe('leadershipSize');
    expect(id('书记年度培训（学时）')).toBe('secretaryTrainingHours');
    expect(id('组织类别')).toBe('orgType');
    expect(id('支委会召开次数')).toBe('committeeMeetings');
    expect(id('党课开展次数')).toBe('partyLectures');
    expect(id('储备后备干部数')).toBe('reserveCadres');
    expect(id('集體經濟收入（萬元）')).toBe('collectiveIncome');
    expect(id('书记参加县级以上集中培训（次）')).toBe('secretaryCountyTraining');
  });

  it('the unit in brackets rules inputs out: a column counting 人 is no meeting count', () => {
    expect(id('支委会召开次数（人）')).toBeUndefined();
    expect(id('书记培训（学时）')).toBe('secretaryTrainingHours');
    expect(id('书记培训（次）')).toBe('secretaryCountyTraining');
  });

  it('columns that look like indicators but are not map to nothing', () => {
    for (const h of ['耕地面积（亩）', '村域面积（平方公里）', '第一书记姓名', '脱贫户数（户）', '预备党员（人）', '书记任职时间', '村集体资产总额（万元）', '党群服务中心名称', '书记年龄']) {
      expect(id(h), h).toBeUndefined();
    }
  });

  it('a group header gives the subject to a short leaf', () => {
    expect(id('两委干部', '50岁以下')).toBe('cadresUnder50');
    expect(id('书记培训', '累计学时')).toBe('secretaryTrainingHours');
  });

  it('two inputs equally close: no match, both as candidates', () => {
    const r = matcher.matchColumn(['新发展党员', '40岁以下']);
    expect(r.match).toBeUndefined();
    expect(r.candidates?.map((c) => c.input.id)).toEqual(['newMembersUnder40', 'newMembersUnder40Pct']);
  });

  it("the column's values break the tie", () => {
    const cells = (...vs: (string | number)[]) => vs.map((value, i) => ({ address: `C${i + 3}`, value }));
    expect(matcher.matchColumn(['新发展党员', '40岁以下'], cells('50%', '33.3%', '100%'))).toMatchObject({
      match: { input: { id: 'newMembersUnder40Pct' } },
      byValues: true,
    });
    expect(matcher.matchColumn(['新发展党员', '40岁以下'], cells(0.5, 0.25, 1))).toMatchObject({ match: { input: { id: 'newMembersUnder40Pct' } } });
    // Whole numbers fit a count and a percentage alike: still the officer's choice.
    expect(matcher.matchColumn(['新发展党员', '40岁以下'], cells(2, 1, 3)).candidates).toHaveLength(2);
  });
});

describe('values', () => {
  it('profiles dates, yes/no, percentages and numbers', () => {
    const p = profileValues([
      { address: 'A1', value: '2021年3月' },
      { address: 'A2', value: new Date(Date.UTC(2021, 2, 1)) },
      { address: 'A3', value: '是' },
      { address: 'A4', value: 0.5, numFmt: '0%' },
      { address: 'A5', value: 3 },
      { address: 'A6', value: '' },
    ]);
    expect(p).toMatchObject({ n: 5, dates: 2, bools: 1, percents: 1, integers: 1 });
    expect(valuesFit(p, 'date')).toBe(false);
    expect(valuesFit({ ...p, n: 1 }, 'date')).toBeUndefined();
  });
});

describe('mapColumns reports close candidates', () => {
  it('leaves the column unmapped, lists the candidates and says so in Chinese', () => {
    const g = gridOf(
      [
        ['乡镇', '村名', '新发展党员', null],
        [null, null, '本年度', '40岁以下'],
        ['城关镇', '张庄村', 3, 2],
        ['城关镇', '李家村', 2, 1],
      ],
      ['A1:A2', 'B1:B2', 'C1:D1'],
    );
    const reports = mapColumns(layoutOf(g, INPUTS), INPUTS, undefined, g);
    const d = reports.find((r) => r.letter === 'D')!;
    expect(d).toMatchObject({ input: null, matchedBy: 'none', confidence: 0 });
    expect(d.candidates?.map((c) => c.input)).toEqual(['newMembersUnder40', 'newMembersUnder40Pct']);
    expect(d.note).toBe('可能是“新党员中40岁以下人数”或“新党员40岁以下占比”，请人工指定');
    expect(reports.find((r) => r.letter === 'C')).toMatchObject({ input: 'newMembers' });
  });

  it('with percentages under it, the column is the share, and the note says why', () => {
    const g = gridOf(
      [
        ['乡镇', '村名', '新发展党员', null],
        [null, null, '本年度', '40岁以下'],
        ['城关镇', '张庄村', 3, '50%'],
        ['城关镇', '李家村', 2, '100%'],
      ],
      ['A1:A2', 'B1:B2', 'C1:D1'],
    );
    const d = mapColumns(layoutOf(g, INPUTS), INPUTS, undefined, g).find((r) => r.letter === 'D')!;
    expect(d).toMatchObject({ input: 'newMembersUnder40Pct', matchedBy: 'fuzzy' });
    expect(d.candidates).toBeUndefined();
    expect(d.note).toMatch(/按本列数值判断为「新党员40岁以下占比」/);
  });
});
