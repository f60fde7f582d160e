// Exports never turn an officer's text into a formula: text starting with = + - @ tab or CR stays a string
// cell in every xlsx we write (the annotated copy, 考评结果, 整改台账, the CSV-as-workbook, the template), and
// reads back unchanged. Regression: a village named “=西村” used to read back as empty after annotation (the
// value parsers took any text starting with "=" for a formula without a cached result).
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { annotateWorkbook } from '../../shared/output/annotate.ts';
import { colouredCopy } from '../../shared/output/copy.ts';
import { buildTemplate } from '../../shared/output/template.ts';
import { columnValidation } from '../../shared/output/template.ts';
import { LEDGER_SHEET, RESULT_SHEET } from '../../shared/output/names.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { scoreFile } from '../../shared/score.ts';
import { readWorkbook } from '../../shared/sheet/read.ts';
import type { SheetGrid } from '../../shared/sheet/types.ts';
import type { InputDef } from '../../shared/types.ts';

const rulebook = defaultRulebook();
const HOSTILE = ['=西村', '+东村', '-南村', '@北村', '\t中村', '\r上村', '=HYPERLINK("http://evil.example","点击")', "=cmd|' /C calc'!A0"];
const HEADER = ['区划代码', '村名', '党组织类型', '活动场所面积（平方米）', '备注'];

async function officerWorkbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('调查表');
  ws.addRow(['东风镇2026年第三季度村党组织建设情况调查表']);
  ws.addRow(HEADER);
  HOSTILE.forEach((name, i) => ws.addRow([`41072110020${i}`, name, '党支部', 60, name]));
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Every <f> element in every worksheet of an xlsx, and the shared and inline strings. */
async function formulasAndStrings(bytes: Uint8Array): Promise<{ formulas: string[]; strings: string }> {
  const zip = await JSZip.loadAsync(bytes);
  const formulas: string[] = [];
  let strings = '';
  for (const [name, f] of Object.entries(zip.files)) {
    if (f.dir) continue;
    const xml = await f.async('string');
    if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) for (const m of xml.matchAll(/<f[ >][^<]*<\/f>|<f\/>/g)) formulas.push(m[0]);
    if (name === 'xl/sharedStrings.xml' || /^xl\/worksheets\//.test(name)) strings += xml;
  }
  return { formulas, strings };
}

function column(grid: SheetGrid, header: string): string[] {
  const h = grid.rows.findIndex((r) => r.some((c) => c?.value === header));
  const col = grid.rows[h]!.findIndex((c) => c?.value === header);
  return grid.rows.slice(h + 1).map((r) => r[col]?.value).filter((v): v is string => typeof v === 'string');
}

describe('formula-looking text in the annotated copy', () => {
  it('village names starting with = + - @ tab CR are scored, written as strings and read back unchanged', async () => {
    const original = await officerWorkbook();
    const report = await scoreFile(original, { fileName: '调查表.xlsx', rulebook, period: '2026Q3' });
    const names = report.sheets[0]!.villages.map((v) => v.name);
    // the tab/CR prefixed names are trimmed like any name; every one is read, none is taken for a formula
    expect(names).toEqual(HOSTILE.map((n) => n.trim()));

    const out = await annotateWorkbook(original, { sheets: report.sheets, rulebookName: rulebook.name, generatedAt: new Date('2026-10-01T00:00:00Z') });
    const { formulas } = await formulasAndStrings(out);
    expect(formulas).toEqual([]);

    const grids = await readWorkbook(out, '调查表-评分.xlsx');
    const sheet = grids.find((g) => g.name === '调查表')!;
    // A raw CR inside XML text is a line break: SheetJS keeps it as CR, ExcelJS (which wrote it unescaped and then
    // loaded the file to annotate it) as LF. Either way the same line break, compared as such.
    const asStored = HOSTILE.map((n) => n.replace(/\r/g, '\n'));
    const lines = (xs: string[]) => xs.map((x) => x.replace(/\r\n?/g, '\n'));
    const before = (await readWorkbook(original, '调查表.xlsx'))[0]!;
    expect(lines(column(before, '村名'))).toEqual(asStored);
    expect(lines(column(sheet, '村名'))).toEqual(asStored);
    expect(lines(column(sheet, '备注'))).toEqual(asStored);
    expect(sheet.rows.flat().every((c) => c === undefined || !('formula' in c))).toBe(true);
    const summary = grids.find((g) => g.name === RESULT_SHEET)!;
    for (const n of HOSTILE.map((x) => x.trim())) expect(summary.rows.flat().some((c) => c?.value === n), n).toBe(true);
    expect(grids.some((g) => g.name === LEDGER_SHEET)).toBe(true);

    // Scoring the annotated copy again gives the same names (the round trip the officer makes).
    const again = await scoreFile(out, { fileName: '调查表-评分.xlsx', rulebook, period: '2026Q3' });
    expect(again.sheets[0]!.villages.map((v) => v.name)).toEqual(names);
  });

  it('a CSV with such names becomes a workbook of strings (colouredCopy)', async () => {
    const csv = [HEADER, ...HOSTILE.map((n, i) => [`41072110020${i}`, n.replace(/[\t\r]/g, ''), '党支部', '95', n.replace(/[\t\r]/g, '')])]
      .map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(','))
      .join('\r\n');
    const bytes = new TextEncoder().encode(csv);
    const report = await scoreFile(bytes, { fileName: '调查表.csv', rulebook, period: '2026Q3' });
    expect(report.sheets[0]!.villages.map((v) => v.name)).toEqual(HOSTILE.map((n) => n.replace(/[\t\r]/g, '')));
    const grids = await readWorkbook(bytes, '调查表.csv');
    expect(grids[0]!.name).toBe('调查表');
    const { bytes: out } = await colouredCopy(bytes, grids, { sheets: report.sheets, rulebookName: rulebook.name, generatedAt: new Date() });
    expect((await formulasAndStrings(out)).formulas).toEqual([]);
    const back = (await readWorkbook(out, 'x.xlsx')).find((g) => g.name === '调查表')!;
    expect(column(back, '村名')).toEqual(HOSTILE.map((n) => n.replace(/[\t\r]/g, '')));
  });
});

describe('the template', () => {
  it('county input labels that look like formulas stay header text', async () => {
    const evil: InputDef = { ...rulebook.inputs.find((i) => i.kind === 'count')!, id: 'evilCount', label: '=1+1', synonyms: [] };
    const bytes = await buildTemplate({ inputs: [...rulebook.inputs, evil], articles: rulebook.articles });
    const { formulas, strings } = await formulasAndStrings(bytes);
    expect(formulas).toEqual([]);
    expect(strings).toContain('=1+1');
  });

  it('list options that would break out of the validation literal get the prompt only', () => {
    const base = rulebook.inputs.find((i) => i.kind === 'text')!;
    const col = (options: string[]) => columnValidation({ header: '类别', input: { ...base, id: 'x', options } } as Parameters<typeof columnValidation>[0]);
    expect(col(['甲', '乙'])).toMatchObject({ type: 'list', formulae: ['"甲,乙"'] });
    for (const bad of [['甲"&HYPERLINK("http://x")&"'], ['甲,乙', '丙'], ['x'.repeat(300)], ['']]) {
      expect(col(bad)).toMatchObject({ type: 'custom', formulae: ['TRUE'] });
    }
  });
});
