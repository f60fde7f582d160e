// One reader for every format an officer has (shared/sheet/read.ts): the same township sheet saved by Excel-like
// writers, LibreOffice, SheetJS, an Excel 95 writer, openpyxl's layout and a web system's HTML export must score
// exactly alike, and each must get a coloured copy that reads back to the same results. Then the details of the
// text formats: declared and undeclared charsets, numeric entities, layout tables, several tables, merges.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { colouredCopy } from '../../shared/output/copy.ts';
import { LEDGER_SHEET, RESULT_SHEET } from '../../shared/output/names.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { scoreGrids } from '../../shared/score.ts';
import { readWorkbook, sniffFormat } from '../../shared/sheet/read.ts';
import type { SheetFormat, SheetGrid } from '../../shared/sheet/types.ts';
import type { ScoreReport } from '../../shared/types.ts';
import { fixtureBytes } from './helpers.ts';

const rulebook = defaultRulebook();
const producer = (f: string) => fixtureBytes(`producers/${f}`);

/** Every requirement's status per village: what must not depend on the format. */
function statuses(report: ScoreReport): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of report.sheets) for (const v of s.villages) for (const r of v.results) out[`${v.code}|${r.id}`] = r.status;
  return out;
}

async function score(bytes: Uint8Array, fileName: string): Promise<{ grids: SheetGrid[]; report: ScoreReport }> {
  const grids = await readWorkbook(bytes, fileName);
  return { grids, report: scoreGrids(grids, { fileName, rulebook, period: '2026' }) };
}

const PRODUCERS: { file: string; format: SheetFormat; annotatedInPlace: boolean }[] = [
  { file: 'libreoffice.xlsx', format: 'xlsx', annotatedInPlace: true },
  { file: 'openpyxl-notes.xlsx', format: 'xlsx', annotatedInPlace: false },
  { file: 'libreoffice.xls', format: 'xls', annotatedInPlace: false },
  { file: 'excel95-gbk.xls', format: 'xls', annotatedInPlace: false },
  { file: 'sheetjs.xlsb', format: 'xlsb', annotatedInPlace: false },
  { file: 'libreoffice.ods', format: 'ods', annotatedInPlace: false },
  { file: 'sheetjs-2003.xml', format: 'xml2003', annotatedInPlace: false },
  { file: 'export-gbk.xls', format: 'html', annotatedInPlace: false },
];

describe('one sheet, every producer and format', async () => {
  const base = await score(producer('base.xlsx'), 'base.xlsx');
  const expected = statuses(base.report);

  it('the base sheet is a real township sheet: 14 villages, most inputs mapped, every status present', () => {
    expect(base.report.sheets).toHaveLength(1);
    expect(base.report.sheets[0]!.villages).toHaveLength(14);
    expect(base.report.sheets[0]!.columns.filter((c) => c.input).length).toBeGreaterThan(100);
    const kinds = new Set(Object.values(expected));
    for (const k of ['pass', 'fail', 'manual']) expect(kinds).toContain(k);
    expect(Object.keys(expected).length).toBeGreaterThan(1000);
  });

  it.each(PRODUCERS)('$file is read as $format and scores exactly as the .xlsx', async ({ file, format }) => {
    const bytes = producer(file);
    expect(sniffFormat(bytes)).toBe(format);
    const { grids, report } = await score(bytes, file);
    expect(grids.every((g) => g.source === format)).toBe(true);
    expect(report.sheets).toHaveLength(1);
    expect(report.sheets[0]!.villages.map((v) => v.name)).toEqual(base.report.sheets[0]!.villages.map((v) => v.name));
    expect(statuses(report)).toEqual(expected);
  });

  it.each(PRODUCERS)('$file gets a coloured copy that reads back to the same results', async ({ file, annotatedInPlace }) => {
    const bytes = producer(file);
    const { grids, report } = await score(bytes, file);
    const copy = await colouredCopy(bytes, grids, { sheets: report.sheets, rulebookName: rulebook.name, generatedAt: new Date('2026-12-08T00:00:00Z') });
    expect(copy.rebuilt).toBe(!annotatedInPlace);
    if (!annotatedInPlace) expect(copy.sourceNote).toMatch(/保留了原表的数值、合并单元格、列宽和数字格式/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(copy.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining([RESULT_SHEET, LEDGER_SHEET]));
    const sheet = wb.getWorksheet(report.sheets[0]!.name)!;
    // Every cell a failing requirement read is filled.
    const failing = report.sheets[0]!.villages.flatMap((v) => v.results.filter((r) => r.status === 'fail' && r.cell).map((r) => r.cell!));
    expect(failing.length).toBeGreaterThan(0);
    for (const a of failing.slice(0, 20)) expect((sheet.getCell(a).fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb, a).toBe('FFFFC7CE');
    // The copy is a sheet the officer can score again: same statuses, same merges.
    const again = await score(copy.bytes, `${file}-评分.xlsx`);
    expect(statuses(again.report)).toEqual(expected);
    const original = grids.find((g) => g.name === report.sheets[0]!.name)!;
    const reread = again.grids.find((g) => g.name === report.sheets[0]!.name)!;
    expect(reread.merges).toEqual(original.merges);
    if (!annotatedInPlace) {
      const texts: string[] = [];
      wb.getWorksheet(RESULT_SHEET)!.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
      expect(texts).toContain(copy.sourceNote);
    }
  });

  it('a rebuilt copy keeps number formats and column widths where the file gave them', async () => {
    const bytes = producer('libreoffice.xls');
    const { grids, report } = await score(bytes, 'libreoffice.xls');
    const copy = await colouredCopy(bytes, grids, { sheets: report.sheets, rulebookName: rulebook.name, generatedAt: new Date() });
    const [grid] = await readWorkbook(copy.bytes, 'copy.xlsx');
    const formats = (g: SheetGrid) => new Map(g.rows.flatMap((r) => r.filter((c) => c?.numFmt && c.numFmt !== '@').map((c) => [c!.address, c!.numFmt])));
    const before = formats(grids[0]!);
    expect([...before.values()].some((f) => f!.includes('%'))).toBe(true);
    expect([...before.values()].some((f) => f!.includes('年'))).toBe(true);
    expect(formats(grid!)).toEqual(before);
    expect(grid!.columnWidths?.slice(0, 3)).toEqual(grids[0]!.columnWidths?.slice(0, 3));
  });
});

describe('HTML tables under an .xls name', () => {
  const page = (body: string, meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">') =>
    `<html><head>${meta}<title>导出</title></head><body>${body}</body></html>`;
  const table =
    '<table border="1"><tr><td colspan="3">东风镇村党组织情况表</td></tr>' +
    '<tr><td>村名</td><td>换届时间</td><td>满意度</td></tr>' +
    '<tr><td>东村</td><td>2021.10</td><td>100%</td></tr>' +
    '<tr><td rowspan="2">&#35199;村&lt;二组&gt;</td><td>2021.1</td><td>80%</td></tr>' +
    '<tr><td>2021.3</td><td>0.9</td></tr></table>';
  const cells = (g: SheetGrid) => g.rows.map((r) => Array.from(r, (c) => c?.value ?? null));

  it('GBK declared in a meta tag: every cell stays the text it shows (2021.10, 100%), merges from colspan and rowspan', async () => {
    const bytes = new Uint8Array(iconv.encode(page(table), 'gbk'));
    const [g] = await readWorkbook(bytes, '导出数据.xls');
    expect(g).toMatchObject({ name: '导出数据', source: 'html', encoding: 'gb18030', warnings: [] });
    expect(cells(g!)).toEqual([
      ['东风镇村党组织情况表'],
      ['村名', '换届时间', '满意度'],
      ['东村', '2021.10', '100%'],
      ['西村<二组>', '2021.1', '80%'],
      [null, '2021.3', '0.9'],
    ]);
    expect(g!.merges).toEqual([
      { top: 0, left: 0, bottom: 0, right: 2 },
      { top: 3, left: 0, bottom: 4, right: 0 },
    ]);
  });

  it('a declaration the bytes contradict is overruled, and the officer is told', async () => {
    const [utf8] = await readWorkbook(new TextEncoder().encode(page(table)), 'a.xls');
    expect(cells(utf8!)[2]).toEqual(['东村', '2021.10', '100%']);
    expect(utf8!.warnings.join()).toMatch(/声明的编码为 gb2312，但内容实际是 UTF-8/);
    const [undeclared] = await readWorkbook(new Uint8Array(iconv.encode(page(table, ''), 'gbk')), 'b.xls');
    expect(cells(undeclared!)[2]).toEqual(['东村', '2021.10', '100%']);
    expect(undeclared!.warnings.join()).toMatch(/没有声明编码.*GB18030/);
  });

  it('reads the data table inside a layout table, and each of several data tables as a sheet', async () => {
    const layout = `<table width="100%"><tr><td><h3>报表</h3></td></tr><tr><td>${table}</td></tr></table>`;
    const [g] = await readWorkbook(new Uint8Array(iconv.encode(page(layout), 'gbk')), '报表.xls');
    expect(cells(g!)[2]).toEqual(['东村', '2021.10', '100%']);
    const two = await readWorkbook(new Uint8Array(iconv.encode(page(table + '<p>第二页</p>' + table), 'gbk')), '报表.xls');
    expect(two.map((x) => x.name)).toEqual(['报表-表1', '报表-表2']);
  });

  it('the format comes from the bytes: an HTML page named .xls is not flagged, an xlsx named .csv is', async () => {
    const [html] = await readWorkbook(new Uint8Array(iconv.encode(page(table), 'gbk')), '导出.xls');
    expect(html!.warnings).toEqual([]);
    const [xlsx] = await readWorkbook(producer('base.xlsx'), '村级情况.csv');
    expect(xlsx!.warnings.join()).toMatch(/扩展名为 \.csv，但内容是Excel 工作簿/);
    const [xls] = await readWorkbook(producer('libreoffice.xls'), '村级情况.xlsx');
    expect(xls!.source).toBe('xls');
    expect(xls!.warnings.join()).toMatch(/扩展名为 \.xlsx，但内容是Excel 97-2003 工作簿/);
  });
});

describe('SpreadsheetML 2003', () => {
  it('honours the encoding in the XML declaration (GB2312 bytes)', async () => {
    const xml =
      '<?xml version="1.0" encoding="gb2312"?>\n<?mso-application progid="Excel.Sheet"?>\n' +
      '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">' +
      '<Worksheet ss:Name="村级情况"><Table><Row><Cell><Data ss:Type="String">村名</Data></Cell><Cell><Data ss:Type="String">党员人数（人）</Data></Cell></Row>' +
      '<Row><Cell><Data ss:Type="String">东村</Data></Cell><Cell><Data ss:Type="Number">32</Data></Cell></Row></Table></Worksheet></Workbook>';
    const [g] = await readWorkbook(new Uint8Array(iconv.encode(xml, 'gbk')), '导出.xls');
    expect(g).toMatchObject({ name: '村级情况', source: 'xml2003', encoding: 'gb18030' });
    expect(g!.rows.map((r) => r.map((c) => c?.value))).toEqual([
      ['村名', '党员人数（人）'],
      ['东村', 32],
    ]);
  });
});
