// mapColumns: exact, synonym, article and containment matches, duplicates, units, and the override file.
import { describe, expect, it } from 'vitest';
import { SheetError } from '../../shared/sheet/errors.ts';
import { mapColumns, parseMappingOverride } from '../../shared/sheet/mapping.ts';
import { InputMatcher, articleRef, parseChineseNumber } from '../../shared/sheet/match.ts';
import type { ColumnReport } from '../../shared/types.ts';
import { CATALOGUE } from './catalogue.ts';
import { CHINESE, fixtureSheet, gridOf, layoutOf, mappingTable } from './helpers.ts';

function col(reports: ColumnReport[], letter: string): ColumnReport {
  const r = reports.find((x) => x.letter === letter);
  if (!r) throw new Error(`no column ${letter}`);
  return r;
}

function sheetError(fn: () => unknown): SheetError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SheetError);
    expect((e as SheetError).message).toMatch(CHINESE);
    return e as SheetError;
  }
  throw new Error('expected a SheetError');
}

describe('mapColumns on the fixtures', () => {
  it('messy-excel.xlsx: every kind of match, units, and a yes/no column under the income group left alone', async () => {
    const layout = layoutOf(await fixtureSheet('messy-excel.xlsx'), CATALOGUE);
    const reports = mapColumns(layout, CATALOGUE);
    expect(mappingTable(reports)).toEqual({
      A: null,
      B: 'code',
      C: 'township',
      D: 'name',
      E: 'orgType',
      F: 'members',
      G: 'memberMeetings',
      H: 'committeeMeetings',
      I: 'groupMeetings',
      J: 'partyLectures',
      K: 'collectiveIncome',
      L: null,
      M: 'activityArea',
      N: 'satisfaction',
      O: 'lastElection',
      P: 'isWeak',
      Q: 'judge.basic.27',
      R: null,
    });
    expect(col(reports, 'C')).toMatchObject({ matchedBy: 'exact', confidence: 1, inputLabel: '乡镇（街道）' });
    expect(col(reports, 'B')).toMatchObject({ matchedBy: 'synonym', confidence: 0.95 });
    expect(col(reports, 'H')).toMatchObject({ header: '三会一课/支委会（次）', matchedBy: 'synonym', unit: '次', scale: 1 });
    expect(col(reports, 'K')).toMatchObject({ header: '集体经济/年收入（万元）', unit: '万元', scale: 10000, confidence: 0.95 });
    expect(col(reports, 'Q')).toMatchObject({ matchedBy: 'article', confidence: 0.9, input: 'judge.basic.27' });
    expect(col(reports, 'N')).toMatchObject({ unit: '%', scale: 1 });
    // 集体经济/是否达到5万元 is a yes/no column: by facets it is not the income (it once claimed it by containment).
    const l = col(reports, 'L');
    expect(l).toMatchObject({ header: '集体经济/是否达到5万元', input: null, matchedBy: 'none', confidence: 0 });
    expect(l.candidates).toBeUndefined();
    expect(col(reports, 'A')).toMatchObject({ index: 0, header: '序号', input: null, matchedBy: 'none', confidence: 0 });
  });

  it('libreoffice.xlsx: article shorthand 基本27, money in 元', async () => {
    const layout = layoutOf(await fixtureSheet('libreoffice.xlsx'), CATALOGUE);
    const reports = mapColumns(layout, CATALOGUE);
    expect(mappingTable(reports)).toEqual({
      A: null,
      B: 'township',
      C: 'name',
      D: 'code',
      E: 'orgType',
      F: 'formalMembers',
      G: 'committeeMeetings',
      H: 'partyDays',
      I: 'collectiveIncome',
      J: 'activityArea',
      K: 'judge.basic.27',
      L: null,
    });
    expect(col(reports, 'I')).toMatchObject({ unit: '元', scale: 1 });
    expect(col(reports, 'K')).toMatchObject({ matchedBy: 'article', confidence: 0.9 });
  });

  it('wps-inline.xlsx: leaf headers under group titles', async () => {
    const reports = mapColumns(layoutOf(await fixtureSheet('wps-inline.xlsx'), CATALOGUE), CATALOGUE);
    expect(mappingTable(reports)).toEqual({
      A: null,
      B: 'name',
      C: 'code',
      D: 'orgType',
      E: 'memberMeetings',
      F: 'committeeMeetings',
      G: 'partyLectures',
      H: 'partyDays',
      I: 'activityArea',
      J: 'judge.basic.25',
      K: 'isWeak',
    });
    expect(col(reports, 'I')).toMatchObject({ header: '阵地建设/面积', unit: '㎡', scale: 1, matchedBy: 'synonym' });
  });

  it('gb18030.csv: traditional characters and full-width spaces are folded before matching', async () => {
    const reports = mapColumns(layoutOf(await fixtureSheet('gb18030.csv'), CATALOGUE), CATALOGUE);
    expect(mappingTable(reports)).toEqual({
      A: null,
      B: 'code',
      C: 'township',
      D: 'name',
      E: 'members',
      F: 'committeeMeetings',
      G: 'activityArea',
      H: 'collectiveIncome',
      I: 'satisfaction',
      J: null,
    });
    expect(col(reports, 'D')).toMatchObject({ header: '村（社區）名稱', matchedBy: 'exact' });
    expect(col(reports, 'E')).toMatchObject({ header: '黨員　人數（人）', matchedBy: 'exact', unit: '人' });
    expect(col(reports, 'H')).toMatchObject({ unit: '萬元', scale: 10000 });
  });

  it('utf8-bom.csv and excel-unicode.txt', async () => {
    expect(mappingTable(mapColumns(layoutOf(await fixtureSheet('utf8-bom.csv'), CATALOGUE), CATALOGUE))).toEqual({
      A: 'code',
      B: 'name',
      C: 'members',
      D: 'memberMeetings',
      E: 'activityArea',
      F: 'isWeak',
      G: 'hasLostMembers',
      H: null,
    });
    expect(mappingTable(mapColumns(layoutOf(await fixtureSheet('excel-unicode.txt'), CATALOGUE), CATALOGUE))).toEqual({
      A: 'name',
      B: 'members',
      C: 'committeeMeetings',
      D: 'activityArea',
    });
  });
});

describe('matching rules', () => {
  const matcher = new InputMatcher(CATALOGUE);
  const m = (...path: string[]) => {
    const r = matcher.match(path);
    return r && { input: r.input.id, by: r.matchedBy, confidence: r.confidence };
  };

  it('exact label (also the input id), synonym, facets', () => {
    expect(m('活动场所面积')).toEqual({ input: 'activityArea', by: 'exact', confidence: 1 });
    expect(m('activityArea')).toEqual({ input: 'activityArea', by: 'exact', confidence: 1 });
    expect(m('活动场所面积（平方米）')).toEqual({ input: 'activityArea', by: 'exact', confidence: 1 });
    expect(m('*活 动 场 所 面 积：')).toEqual({ input: 'activityArea', by: 'exact', confidence: 1 });
    expect(m('1.党员人数')).toEqual({ input: 'members', by: 'exact', confidence: 1 });
    expect(m('支委会')).toEqual({ input: 'committeeMeetings', by: 'synonym', confidence: 0.95 });
    expect(m('三会一课', '支委会')).toEqual({ input: 'committeeMeetings', by: 'synonym', confidence: 0.95 });
    // Read by facets: 支委会 + (召开, 情况, 本季度: no facet) — as sure as a synonym.
    expect(m('本季度召开支委会情况')).toEqual({ input: 'committeeMeetings', by: 'fuzzy', confidence: 0.95 });
    expect(m('三会一课', '召开支委会（次）')).toEqual({ input: 'committeeMeetings', by: 'fuzzy', confidence: 0.95 });
    expect(m('集体经济', '年收入（万元）')).toEqual({ input: 'collectiveIncome', by: 'synonym', confidence: 0.95 });
    expect(m('序号')).toBeUndefined();
    expect(m('')).toBeUndefined();
  });

  it('the longest contained synonym wins (正式党员 over 党员)', () => {
    expect(m('其中：正式党员数')?.input).toBe('formalMembers');
  });

  it('article references in several spellings', () => {
    for (const h of ['基本标准第27条', '基本27', '基本标准第二十七条', '基本标准27', '基本第27条', '基本标准第27条（氛围营造）', '基本标准 第 27 条']) {
      expect(m(h), h).toEqual({ input: 'judge.basic.27', by: 'article', confidence: 0.9 });
    }
    expect(m('基本标准第26条')).toBeUndefined(); // no input lists article 26 here
    expect(m('示范标准第27条')).toBeUndefined(); // the other standard
    expect(articleRef('示范标准第八条')).toBe('demo:8');
    expect(articleRef('基本情况')).toBeUndefined();
    expect(parseChineseNumber('二十七')).toBe(27);
    expect(parseChineseNumber('十')).toBe(10);
    expect(parseChineseNumber('十五')).toBe(15);
    expect(parseChineseNumber('四十')).toBe(40);
    expect(parseChineseNumber('二二')).toBeUndefined();
  });
});

describe('duplicates and notes', () => {
  it('two columns claiming one input: the better match stays, then the leftmost', () => {
    const g = gridOf([
      ['村名', '党员数', '党员人数', '党员人数'],
      ['张庄村', '3', '4', '5'],
    ]);
    const reports = mapColumns(layoutOf(g, CATALOGUE), CATALOGUE);
    expect(mappingTable(reports)).toEqual({ A: 'name', B: null, C: 'members', D: null });
    expect(col(reports, 'B').note).toMatch(/与 C 列「党员人数」重复对应指标「党员人数」（本列：同义词，C 列：名称相同）/);
    expect(col(reports, 'D').note).toMatch(/与 C 列/);
  });

  it('a unit that does not fit the input kind is noted', () => {
    const g = gridOf([
      ['村名', '活动场所面积（万元）', '党员人数（人）'],
      ['张庄村', '3', '4'],
    ]);
    const reports = mapColumns(layoutOf(g, CATALOGUE), CATALOGUE);
    expect(col(reports, 'B')).toMatchObject({ input: 'activityArea', unit: '万元', scale: 10000 });
    expect(col(reports, 'B').note).toBe('表头单位「万元」是金额单位，而指标「活动场所面积」是面积，请核对');
    expect(col(reports, 'C').note).toBeUndefined();
  });

  it('a column without a header is reported as such', () => {
    const reports = mapColumns(layoutOf(gridOf([['村名', '党员人数', ''], ['张庄村', '3', '补充']]), CATALOGUE), CATALOGUE);
    expect(col(reports, 'C')).toMatchObject({ header: '', input: null, note: '此列没有表头' });
  });
});

describe('mapping override', () => {
  const grid = gridOf([
    ['村名', '面积A', '活动场所面积（平方米）', '备注', '党员人数'],
    ['张庄村', '90', '100', '无', '3'],
  ]);

  it('by column letter, by header text (normalised), and null to ignore a column', () => {
    const layout = layoutOf(grid, CATALOGUE);
    const auto = mapColumns(layout, CATALOGUE);
    // 面积A only contains a synonym (0.8); C has the exact label (1), so C keeps the input and B is the duplicate
    expect(mappingTable(auto)).toEqual({ A: 'name', B: null, C: 'activityArea', D: null, E: 'members' });

    const byLetter = mapColumns(layout, CATALOGUE, { columns: { B: 'activityArea', 党员人数: null } });
    expect(col(byLetter, 'B')).toMatchObject({ input: 'activityArea', matchedBy: 'override', confidence: 1, inputLabel: '活动场所面积' });
    expect(col(byLetter, 'C')).toMatchObject({ input: null, matchedBy: 'none' });
    expect(col(byLetter, 'C').note).toMatch(/映射文件已把它指定给 B 列/);
    expect(col(byLetter, 'E')).toMatchObject({ input: null, matchedBy: 'override', note: '映射文件指定忽略此列' });

    const byText = mapColumns(layout, CATALOGUE, { columns: { '活動場所面積(平方米)': 'activityArea', 'd列': 'judge.basic.27' } });
    expect(col(byText, 'C')).toMatchObject({ input: 'activityArea', matchedBy: 'override' });
    expect(col(byText, 'D')).toMatchObject({ input: 'judge.basic.27', matchedBy: 'override' });
  });

  it('the example from the brief validates', () => {
    expect(parseMappingOverride('{ "columns": { "F": "activityArea", "活动场所面积（平方米）": "activityArea", "备注": null } }', CATALOGUE)).toEqual({
      columns: { F: 'activityArea', '活动场所面积（平方米）': 'activityArea', 备注: null },
    });
  });

  it('wrong shapes give precise Chinese messages naming the field', () => {
    expect(sheetError(() => parseMappingOverride('{ "columns": ')).code).toBe('mapping-json');
    expect(sheetError(() => parseMappingOverride('{ "columns": ')).message).toMatch(/^映射文件不是有效的 JSON/);
    expect(sheetError(() => parseMappingOverride([])).message).toMatch(/^映射文件必须是 JSON 对象.*现在是数组/);
    expect(sheetError(() => parseMappingOverride({})).message).toMatch(/^映射文件缺少 columns 字段/);
    expect(sheetError(() => parseMappingOverride({ columns: ['F'] })).message).toMatch(/^映射文件的 columns 字段必须是对象.*现在是数组/);
    const e = sheetError(() => parseMappingOverride({ columns: { F: 3, G: '', H: 'members', I: true } }));
    expect(e.code).toBe('mapping-schema');
    expect(e.message).toBe(
      '映射文件 columns 中「F」的值必须是指标编号（字符串）或 null；现在是数字 3；' +
        '映射文件 columns 中「G」的值是空字符串；要忽略这一列请写 null；' +
        '映射文件 columns 中「I」的值必须是指标编号（字符串）或 null；现在是布尔值 true',
    );
  });

  it('an unknown input id is an error naming it (with a suggestion when one is close)', () => {
    const e = sheetError(() => parseMappingOverride({ columns: { F: 'activityAera', G: 'noSuchThing' } }, CATALOGUE));
    expect(e.code).toBe('mapping-unknown-input');
    expect(e.message).toBe(
      '映射文件 columns 中「F」指向未知的指标编号「activityAera」（是否应为「activityArea」？）；映射文件 columns 中「G」指向未知的指标编号「noSuchThing」',
    );
    const layout = layoutOf(grid, CATALOGUE);
    expect(sheetError(() => mapColumns(layout, CATALOGUE, { columns: { B: 'nope' } })).code).toBe('mapping-unknown-input');
  });

  it('keys that name no column, or two columns, and one input given to two columns', () => {
    const layout = layoutOf(grid, CATALOGUE);
    expect(sheetError(() => mapColumns(layout, CATALOGUE, { columns: { Z: 'members' } })).message).toBe(
      '映射文件 columns 中的「Z」：表中没有 Z 列（或该列既无表头也无数据）',
    );
    expect(sheetError(() => mapColumns(layout, CATALOGUE, { columns: { 村庄名字: 'name' } })).message).toMatch(
      /^映射文件 columns 中的「村庄名字」在表头中找不到/,
    );
    const twice = sheetError(() => mapColumns(layout, CATALOGUE, { columns: { B: 'activityArea', C: 'activityArea' } }));
    expect(twice.code).toBe('mapping-conflict');
    expect(twice.message).toBe('映射文件把指标「activityArea」同时指定给 B 列和 C 列，一个指标只能对应一列');
    const clash = sheetError(() => mapColumns(layout, CATALOGUE, { columns: { C: 'activityArea', '活动场所面积（平方米）': null } }));
    expect(clash.code).toBe('mapping-conflict');
    const same = gridOf([['村名', '党员人数', '党员人数'], ['张庄村', '1', '2']]);
    expect(sheetError(() => mapColumns(layoutOf(same, CATALOGUE), CATALOGUE, { columns: { 党员人数: 'members' } })).message).toBe(
      '映射文件 columns 中的「党员人数」同时对应 B 列、C 列，请改用列字母',
    );
  });
});
