// extractRows: which rows are villages, which are skipped and why.
import { describe, expect, it } from 'vitest';
import { mapColumns } from '../../shared/sheet/mapping.ts';
import { extractRows } from '../../shared/sheet/rows.ts';
import type { Grid } from '../../shared/types.ts';
import { CATALOGUE } from './catalogue.ts';
import { fixtureSheet, gridOf, layoutOf, show } from './helpers.ts';

function extract(grid: Grid) {
  const layout = layoutOf(grid, CATALOGUE);
  return extractRows(grid, layout, mapColumns(layout, CATALOGUE));
}

function names(result: ReturnType<typeof extract>): [number, unknown][] {
  return result.rows.map((r) => [r.row, show(r.cells.name)]);
}

describe('extractRows on the fixtures', () => {
  it('messy-excel.xlsx: villages before and after a blank row; 合计, 平均, signature and note lines skipped', async () => {
    const result = extract(await fixtureSheet('messy-excel.xlsx'));
    expect(names(result)).toEqual([
      [6, '张庄村'],
      [7, '李寨村'],
      [8, '王屯村'],
      [9, '刘庄村'],
      [10, '后河村'],
      [11, '东坡村'],
      [13, '西岭村'],
    ]);
    expect(result.skipped).toEqual([
      { row: 12, reason: '空行' },
      { row: 14, reason: '合计/小计/平均行（合 计）' },
      { row: 15, reason: '合计/小计/平均行（平均）' },
      { row: 16, reason: '空行' },
      { row: 17, reason: '表尾的签字或说明行（填表人：王建国 审核人：李明 联系电话：…）' },
      { row: 18, reason: '表格已在第 17 行「填表人：王建国 审核人：李明 联系电话：…」处结束，其后的内容不作为村级数据' },
    ]);
  });

  it('messy-excel.xlsx: cells keep their raw values and addresses; a 乡镇 merged down is read from its top cell', async () => {
    const result = extract(await fixtureSheet('messy-excel.xlsx'));
    const li = result.rows[1]!.cells;
    expect(Object.keys(li).sort()).toEqual(
      [
        'code',
        'township',
        'name',
        'orgType',
        'members',
        'memberMeetings',
        'committeeMeetings',
        'groupMeetings',
        'partyLectures',
        'collectiveIncome',
        'activityArea',
        'satisfaction',
        'lastElection',
        'isWeak',
        'judge.basic.27',
      ].sort(),
    );
    expect(li.township).toMatchObject({ address: 'C6', value: '城关镇' });
    expect(li.members).toMatchObject({ address: 'F7', value: '４５' });
    expect(li.collectiveIncome).toMatchObject({ address: 'K7', value: '2.5万' });
    expect(li.satisfaction).toMatchObject({ address: 'N7', value: '80%' });
    const zhang = result.rows[0]!.cells;
    expect(zhang.satisfaction).toMatchObject({ value: 0.8, numFmt: '0%' });
    expect(zhang.code).toMatchObject({ value: 410721100201 });
    const wang = result.rows[2]!.cells;
    expect(show(wang.lastElection)).toBe('2021-03-15');
    expect(show(wang.isWeak)).toBe('√');
    expect(result.rows[1]!.cells['judge.basic.27']).toMatchObject({ value: '较好' });
  });

  it('libreoffice.xlsx: 小计 and 总计 rows, a repeated header on page 2, a footer', async () => {
    const result = extract(await fixtureSheet('libreoffice.xlsx'));
    expect(names(result)).toEqual([
      [5, '后河村'],
      [6, '东坡村'],
      [7, '西岭村'],
      [10, '南湾村'],
      [11, '北岗村'],
    ]);
    expect(result.skipped).toEqual([
      { row: 8, reason: '合计/小计/平均行（小计）' },
      { row: 9, reason: '重复的表头行' },
      { row: 12, reason: '合计/小计/平均行（总计）' },
      { row: 13, reason: '空行' },
      { row: 14, reason: '表尾的签字或说明行（审核人：赵强）' },
    ]);
    expect(result.rows[0]!.cells.code).toMatchObject({ value: '410721101201' });
    expect(result.rows[2]!.cells.township).toMatchObject({ address: 'B5', value: '后河镇' });
  });

  it('wps-inline.xlsx: data right after the units row', async () => {
    const result = extract(await fixtureSheet('wps-inline.xlsx'));
    expect(names(result)).toEqual([
      [6, '南湾村'],
      [7, '北岗村'],
      [8, '东湾村'],
      [9, '杨庄村'],
    ]);
    expect(result.rows[0]!.cells.isWeak).toMatchObject({ value: true });
    expect(result.skipped.map((s) => s.row)).toEqual([10, 11, 12]);
    expect(result.skipped[2]!.reason).toMatch(/^表尾的签字或说明行（联系人/);
  });

  it('gb18030.csv: a village after a blank CSV row; 合計 and 填表人 in traditional characters', async () => {
    const result = extract(await fixtureSheet('gb18030.csv'));
    expect(names(result)).toEqual([
      [4, '後河村'],
      [5, '東坡村'],
      [6, '西嶺村'],
      [8, '北坡村'],
    ]);
    expect(result.skipped).toEqual([
      { row: 7, reason: '空行' },
      { row: 9, reason: '合计/小计/平均行（合計）' },
      { row: 10, reason: '表尾的签字或说明行（填表人：趙某）' },
    ]);
    expect(result.rows[0]!.cells.members).toEqual({ address: 'E4', value: '２５' });
  });

  it('utf8-bom.csv and excel-unicode.txt', async () => {
    const bom = extract(await fixtureSheet('utf8-bom.csv'));
    expect(names(bom)).toEqual([
      [2, '南湾村'],
      [3, '北岗村'],
      [5, '东湾村'],
    ]);
    expect(bom.skipped).toEqual([
      { row: 4, reason: '空行' },
      { row: 6, reason: '合计/小计/平均行（小计）' },
    ]);
    const txt = extract(await fixtureSheet('excel-unicode.txt'));
    expect(names(txt)).toEqual([
      [2, '石桥村'],
      [3, '杨湾村'],
      [4, '柳林村'],
    ]);
    expect(txt.skipped).toEqual([{ row: 5, reason: '合计/小计/平均行（合计）' }]);
  });
});

describe('extractRows on small sheets', () => {
  it('template rows holding only a 序号 are skipped; trailing blank rows are not reported', () => {
    const g = gridOf([
      ['序号', '村名', '党员人数'],
      [1, '张庄村', 30],
      [2, '', ''],
      [3, '', ''],
      [],
      [],
    ]);
    const r = extract(g);
    expect(names(r)).toEqual([[2, '张庄村']]);
    expect(r.skipped).toEqual([
      { row: 3, reason: '本行在已识别的指标列中没有数据（可能只填了序号）' },
      { row: 4, reason: '本行在已识别的指标列中没有数据（可能只填了序号）' },
    ]);
  });

  it('全镇合计, 本页小计, 平均值 and 总计（8个村） are totals; a village whose name merely contains 合 is not', () => {
    const g = gridOf([
      ['村名', '党员人数'],
      ['合作村', 20],
      ['全镇合计', 20],
      ['本页小计', 20],
      ['平均值', 20],
      ['总计（8个村）', 20],
      ['合计:', 20],
    ]);
    const r = extract(g);
    expect(names(r)).toEqual([[2, '合作村']]);
    expect(r.skipped.map((s) => s.reason)).toEqual([
      '合计/小计/平均行（全镇合计）',
      '合计/小计/平均行（本页小计）',
      '合计/小计/平均行（平均值）',
      '合计/小计/平均行（总计（8个村））',
      '合计/小计/平均行（合计:）',
    ]);
  });

  it('footer lines of every kind end the table', () => {
    for (const footer of ['填表人：张三', '审核人：', '负责人（签字）：', '联系电话：123', '填报日期：2026年7月1日', '说明：本表…', '注：1.…', '注:', '注1：…', '单位（盖章）']) {
      const g = gridOf([
        ['村名', '党员人数'],
        ['张庄村', 20],
        [footer],
        ['李寨村', 30],
      ]);
      const r = extract(g);
      expect(names(r), footer).toEqual([[2, '张庄村']]);
      expect(r.skipped[0]!.reason, footer).toMatch(/^表尾的签字或说明行/);
      expect(r.skipped[1]!.reason, footer).toMatch(/^表格已在第 3 行/);
    }
  });

  it('a title repeated on a later page (merged across the table) and a 栏次 row are skipped', () => {
    const g = gridOf(
      [
        ['某镇村级情况表'],
        ['村名', '党员人数', '支委会'],
        ['甲', '1', '2'],
        ['张庄村', 20, 3],
        ['某镇村级情况表（续）'],
        ['村名', '党员人数', '支委会'],
        ['甲', '1', '2'],
        ['李寨村', 30, 3],
      ],
      ['A1:C1', 'A5:C5'],
    );
    const layout = layoutOf(g, CATALOGUE);
    expect(layout).toMatchObject({ columnNumberRow: 3, firstDataRow: 4 });
    const r = extract(g);
    expect(names(r)).toEqual([
      [4, '张庄村'],
      [8, '李寨村'],
    ]);
    expect(r.skipped).toEqual([
      { row: 5, reason: '跨列合并的标题或说明行（某镇村级情况表（续））' },
      { row: 6, reason: '重复的表头行' },
      { row: 7, reason: '栏次行（列编号）' },
    ]);
  });

  it('a row with a name only is still a village (its other inputs are blank)', () => {
    const r = extract(gridOf([['村名', '党员人数'], ['张庄村', ''], ['李寨村', 3]]));
    expect(names(r)).toEqual([
      [2, '张庄村'],
      [3, '李寨村'],
    ]);
    expect(r.rows[0]!.cells).toEqual({ name: { address: 'A2', value: '张庄村' }, members: undefined });
  });

  it('whitespace-only cells are blank', () => {
    const r = extract(gridOf([['村名', '党员人数'], ['　', ' '], ['李寨村', '　']]));
    expect(names(r)).toEqual([[3, '李寨村']]);
    expect(r.rows[0]!.cells.members).toBeUndefined();
    expect(r.skipped).toEqual([{ row: 2, reason: '空行' }]);
  });
});
