// findTable: header block under title rows, merged multi-row headers, units, 栏次 rows, sheets with no table.
import { describe, expect, it } from 'vitest';
import { findTable, isSheetProblem } from '../../shared/sheet/header.ts';
import { splitUnit } from '../../shared/sheet/units.ts';
import { CATALOGUE } from './catalogue.ts';
import { fixtureSheet, gridOf, layoutOf } from './helpers.ts';

function units(layout: ReturnType<typeof layoutOf>): Record<string, string> {
  return Object.fromEntries(
    layout.columns.filter((c) => c.unit !== undefined).map((c) => [c.letter, `${c.unit}×${c.scale}${c.percent ? '%' : ''}`]),
  );
}

describe('findTable on the fixtures', () => {
  it('messy-excel.xlsx: two title rows and a 填报单位 line above a merged two-row header', async () => {
    const layout = layoutOf(await fixtureSheet('messy-excel.xlsx'), CATALOGUE);
    expect(layout).toMatchObject({
      sheet: '三季度汇总',
      headerRows: { top: 4, bottom: 5 },
      firstDataRow: 6,
      headerTop: 3,
      headerBottom: 4,
      dataStart: 5,
    });
    expect(layout.titleLines).toEqual([
      { row: 1, text: '城关镇2026年第三季度村党组织建设情况调查表', kind: 'title' },
      { row: 2, text: '（对照《农村基层党组织建设基本标准》《示范标准》填报）', kind: 'title' },
      { row: 3, text: '填报单位：城关镇党委（盖章） 填报日期：2026年10月8日', kind: 'preamble' },
    ]);
    expect(layout.titleText).toContain('第三季度');
    expect(layout.titles[0]).toBe('城关镇2026年第三季度村党组织建设情况调查表');
    expect(layout.columns.map((c) => c.header)).toEqual([
      '序号',
      '统计用区划代码',
      '乡镇（街道）',
      '村（社区）名称',
      '党组织类型',
      '党员人数（人）', // the Alt+Enter line break inside the cell is removed
      '三会一课/党员大会（次）',
      '三会一课/支委会（次）',
      '三会一课/党小组会（次）',
      '三会一课/党课（次）',
      '集体经济/年收入（万元）',
      '集体经济/是否达到5万元',
      '活动场所面积（平方米）',
      '群众满意度（%）',
      '上次换届时间',
      '软弱涣散村（是/否）',
      '基本标准第27条',
      '备注',
    ]);
    expect(layout.columns[6]).toMatchObject({ path: ['三会一课', '党员大会（次）'], label: '三会一课/党员大会' });
    expect(layout.columns[15]!.label).toBe('软弱涣散村（是/否）'); // not a unit: kept
    expect(units(layout)).toEqual({
      F: '人×1',
      G: '次×1',
      H: '次×1',
      I: '次×1',
      J: '次×1',
      K: '万元×10000',
      M: '平方米×1',
      N: '%×1%',
    });
    expect(layout.columns[10]).toMatchObject({ unitFamily: 'money', scale: 10000 });
  });

  it('messy-excel.xlsx: the 填表说明 sheet holds no table', async () => {
    const result = findTable(await fixtureSheet('messy-excel.xlsx', '填表说明'), CATALOGUE);
    expect(isSheetProblem(result)).toBe(true);
    expect(result).toMatchObject({ kind: 'problem', code: 'no-header', name: '填表说明' });
    if (isSheetProblem(result)) {
      expect(result.reason).toMatch(/没有找到村级数据表的表头/);
      expect(result.message).toBe(result.reason);
    }
  });

  it('libreoffice.xlsx: one header row, then a 栏次 row (甲 乙 丙 1 2 3 …)', async () => {
    const layout = layoutOf(await fixtureSheet('libreoffice.xlsx'), CATALOGUE);
    expect(layout).toMatchObject({ headerRows: { top: 3, bottom: 3 }, columnNumberRow: 4, firstDataRow: 5, dataStart: 4 });
    expect(layout.titles).toEqual(['后河镇2026年上半年村级党组织建设考评汇总表']);
    expect(units(layout)).toEqual({ F: '人×1', H: '次×1', I: '元×1', J: '㎡×1' });
  });

  it('wps-inline.xlsx: group row, two header rows with vertical merges, and a units row', async () => {
    const layout = layoutOf(await fixtureSheet('wps-inline.xlsx'), CATALOGUE);
    expect(layout).toMatchObject({ headerRows: { top: 2, bottom: 5 }, firstDataRow: 6 });
    expect(layout.columns.map((c) => c.header)).toEqual([
      '基本情况/序号',
      '基本情况/村名',
      '基本情况/区划代码',
      '基本情况/党组织类型',
      '组织生活/三会一课/党员大会',
      '组织生活/三会一课/支委会',
      '组织生活/三会一课/党课',
      '组织生活/主题党日',
      '阵地建设/面积',
      '阵地建设/标识制度',
      '其他/是否软弱涣散',
    ]);
    expect(units(layout)).toEqual({ E: '次×1', F: '次×1', G: '次×1', H: '次×1', I: '㎡×1' });
  });

  it('gb18030.csv: traditional headers with full-width spaces and units', async () => {
    const layout = layoutOf(await fixtureSheet('gb18030.csv'), CATALOGUE);
    expect(layout).toMatchObject({ headerRows: { top: 3, bottom: 3 }, firstDataRow: 4 });
    expect(layout.titleLines.map((l) => l.kind)).toEqual(['title', 'preamble']);
    expect(layout.titleText).toContain('第二季度');
    expect(units(layout)).toEqual({ E: '人×1', F: '次×1', G: '㎡×1', H: '萬元×10000', I: '％×1%' });
  });

  it('utf8-bom.csv and excel-unicode.txt: the header is the first row', async () => {
    for (const name of ['utf8-bom.csv', 'excel-unicode.txt']) {
      const layout = layoutOf(await fixtureSheet(name), CATALOGUE);
      expect(layout).toMatchObject({ headerRows: { top: 1, bottom: 1 }, firstDataRow: 2, titleLines: [], titleText: '' });
    }
  });
});

describe('findTable on small sheets', () => {
  it('a two-row header without merges (CSV) gives group titles to the blank cells beside them', () => {
    const g = gridOf([
      ['某镇2026年村级情况表'],
      ['村名', '三会一课', '', '', '活动场所面积（㎡）'],
      ['', '党员大会', '支委会', '党课', ''],
      ['张庄村', '1', '3', '1', '90'],
      ['李寨村', '1', '2', '1', '120'],
    ]);
    const layout = layoutOf(g, CATALOGUE);
    expect(layout.headerRows).toEqual({ top: 2, bottom: 3 });
    expect(layout.columns.map((c) => c.header)).toEqual([
      '村名',
      '三会一课/党员大会',
      '三会一课/支委会',
      '三会一课/党课',
      '活动场所面积（㎡）',
    ]);
  });

  it('prefers the whole merged block over its lower row alone', () => {
    const g = gridOf(
      [
        ['村名', '集体经济', ''],
        ['', '年收入（万元）', '经营性收入（万元）'],
        ['张庄村', 2.5, 1],
      ],
      ['A1:A2', 'B1:C1'],
    );
    const layout = layoutOf(g, CATALOGUE);
    expect(layout.headerRows).toEqual({ top: 1, bottom: 2 });
    expect(layout.columns.map((c) => c.header)).toEqual(['村名', '集体经济/年收入（万元）', '集体经济/经营性收入（万元）']);
  });

  it('a single title cell that is not merged, and a 单位：万元 line, are title lines', () => {
    const g = gridOf([
      ['2026年上半年村集体经济统计'],
      ['', '', '单位：万元'],
      ['村名', '党员人数', '集体经济收入'],
      ['张庄村', 3, 2],
    ]);
    const layout = layoutOf(g, CATALOGUE);
    expect(layout.headerRows).toEqual({ top: 3, bottom: 3 });
    expect(layout.titleLines).toEqual([
      { row: 1, text: '2026年上半年村集体经济统计', kind: 'title' },
      { row: 2, text: '单位：万元', kind: 'preamble' },
    ]);
  });

  it('a header column with no data and no text is left out; data without a header is kept', () => {
    const g = gridOf([
      ['村名', '', '党员人数', ''],
      ['张庄村', '', 3, '补充'],
    ]);
    const layout = layoutOf(g, CATALOGUE);
    expect(layout.columns.map((c) => [c.letter, c.header])).toEqual([
      ['A', '村名'],
      ['C', '党员人数'],
      ['D', ''],
    ]);
  });

  it('empty sheets and sheets without enough matching columns are problems', () => {
    expect(findTable(gridOf([]), CATALOGUE)).toMatchObject({ kind: 'problem', code: 'empty-sheet' });
    expect(findTable(gridOf([[null, '  ']]), CATALOGUE)).toMatchObject({ kind: 'problem', code: 'empty-sheet' });
    expect(findTable(gridOf([['姓名', '电话'], ['张三', '123']]), CATALOGUE)).toMatchObject({ kind: 'problem', code: 'no-header' });
    // one match is not enough by default, but the threshold is an option
    const one = gridOf([['村名', '电话'], ['张庄村', '123']]);
    expect(findTable(one, CATALOGUE)).toMatchObject({ kind: 'problem' });
    expect(findTable(one, CATALOGUE, { minMatches: 1 })).toMatchObject({ kind: 'table', headerRows: { top: 1, bottom: 1 } });
  });

  it('a header below many title lines is found within the scan window', () => {
    const rows: string[][] = Array.from({ length: 12 }, (_, i) => [`说明第${i + 1}行`]);
    rows.push(['村名', '党员人数', '支委会'], ['张庄村', '3', '2']);
    expect(layoutOf(gridOf(rows), CATALOGUE).headerRows).toEqual({ top: 13, bottom: 13 });
    expect(findTable(gridOf(rows), CATALOGUE, { maxScanRows: 10 })).toMatchObject({ kind: 'problem', code: 'no-header' });
  });
});

describe('units in headers', () => {
  it.each([
    ['年收入（万元）', '年收入', '万元', 'money', 10000],
    ['年收入(元)', '年收入', '元', 'money', 1],
    ['集體經濟收入（萬元）', '集體經濟收入', '萬元', 'money', 10000],
    ['集体经济收入（单位：万元）', '集体经济收入', '万元', 'money', 10000],
    ['活动场所面积（平方米）', '活动场所面积', '平方米', 'area', 1],
    ['面积(㎡)', '面积', '㎡', 'area', 1],
    ['面积㎡', '面积', '㎡', 'area', 1],
    ['面积（m²）', '面积', 'm²', 'area', 1],
    ['满意度(%)', '满意度', '%', 'percent', 1],
    ['满意度％', '满意度', '％', 'percent', 1],
    ['培训（学时）', '培训', '学时', 'hours', 1],
    ['农户（户）', '农户', '户', 'count', 1],
    ['后备干部【名】', '后备干部', '名', 'count', 1],
    ['产业（个）', '产业', '个', 'count', 1],
  ])('%s', (text, label, unit, family, scale) => {
    expect(splitUnit(text)).toEqual({ label, unit, info: { family, scale } });
  });

  it('brackets that are not units stay in the label', () => {
    expect(splitUnit('软弱涣散村（是/否）')).toEqual({ label: '软弱涣散村（是/否）' });
    expect(splitUnit('村（社区）名称')).toEqual({ label: '村（社区）名称' });
  });
});

describe('rows under the best block that still belong to the header', () => {
  it('a sub-header row whose cells carry units joins the header (even with a single sub-column)', () => {
    const g = gridOf([
      ['村名', '集体经济', '党员人数'],
      ['', '年收入（万元）', ''],
      ['张庄村', '2.5', '30'],
    ]);
    const layout = layoutOf(g, CATALOGUE);
    expect(layout.headerRows).toEqual({ top: 1, bottom: 2 });
    expect(layout.columns.map((c) => c.header)).toEqual(['村名', '集体经济/年收入（万元）', '党员人数']);
    expect(layout.columns[1]).toMatchObject({ unit: '万元', scale: 10000 });
  });

  it('a row of values with units is data, not a header', () => {
    const g = gridOf([
      ['村名', '活动场所面积', '集体经济收入'],
      ['张庄村', '90㎡', '2.5万元'],
    ]);
    expect(layoutOf(g, CATALOGUE).headerRows).toEqual({ top: 1, bottom: 1 });
  });
});
