import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  annotateWorkbook,
  colouredCopy,
  gridsToWorkbook,
  KAOPING_NOTE_SEPARATOR,
  LEDGER_COLUMNS,
  LEDGER_HEADER_ROW,
  LEDGER_SHEET,
  LEGEND,
  removeAnnotations,
  RESULT_SHEET,
  STATUS_PALETTE,
  STORE_SHEET,
  SUMMARY_COLUMNS,
  SUMMARY_HEADER_ROW,
  worstStatus,
} from '../../shared/output/index.ts';
import { stripCitation } from '../../shared/output/ledger.ts';
import { saveWorkbook } from '../../shared/output/xlsx.ts';
import type { SheetGrid } from '../../shared/sheet/types.ts';
import { noteText } from '../../shared/output/notes.ts';
import {
  bytesOf,
  fillArgb,
  GENERATED_AT,
  load,
  OFFICER_FILL_A4,
  OFFICER_FILL_D4,
  OFFICER_NOTE_D4,
  OTHER_SHEET,
  officerWorkbook,
  scoredSheet,
  SHEET,
  sheet,
  snapshot,
} from './fixtures.ts';

const REPORT = { sheets: [scoredSheet()], rulebookName: '农村基层党组织建设基本标准（默认）', generatedAt: GENERATED_AT };

const argb = fillArgb;

function rowValues(ws: ExcelJS.Worksheet, r: number, n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ws.getCell(r, i + 1).value);
}

describe('annotateWorkbook', () => {
  let original: Uint8Array;
  let originalCopy: Uint8Array;
  let annotated: Uint8Array;
  let wb: ExcelJS.Workbook;
  let ws: ExcelJS.Worksheet;

  beforeAll(async () => {
    original = await officerWorkbook();
    originalCopy = original.slice();
    annotated = await annotateWorkbook(original, REPORT);
    wb = await load(annotated);
    ws = sheet(wb, SHEET);
  });

  it('returns xlsx bytes and leaves the input untouched', () => {
    expect(annotated).toBeInstanceOf(Uint8Array);
    expect([...annotated.slice(0, 2)]).toEqual([0x50, 0x4b]); // PK: a zip
    expect(original).toEqual(originalCopy);
  });

  it('fills each cell by its worst status', () => {
    expect(argb(ws.getCell('D4'))).toBe(STATUS_PALETTE.fail.argb); // two fails
    expect(argb(ws.getCell('D5'))).toBe(STATUS_PALETTE.fail.argb); // pass + fail: fail wins
    expect(argb(ws.getCell('E4'))).toBe(STATUS_PALETTE.pass.argb);
    expect(argb(ws.getCell('F4'))).toBe(STATUS_PALETTE.pass.argb);
    expect(argb(ws.getCell('F5'))).toBe(STATUS_PALETTE.fail.argb);
    expect(argb(ws.getCell('G4'))).toBe(STATUS_PALETTE.manual.argb);
    expect(argb(ws.getCell('G5'))).toBe(STATUS_PALETTE.pass.argb);
    expect(argb(ws.getCell('H5'))).toBe(STATUS_PALETTE.invalid.argb);
    expect(STATUS_PALETTE.invalid.argb).toBe('FFFFEB9C');
    expect(STATUS_PALETTE.missing.argb).toBe('FFFFEB9C');
    // C4 is read only by a requirement that does not apply: a note, no fill.
    expect(argb(ws.getCell('C4'))).toBeUndefined();
    // Cells no requirement read keep the officer's look.
    expect(ws.getCell('A4').fill).toEqual(OFFICER_FILL_A4);
    expect(argb(ws.getCell('H4'))).toBeUndefined();
  });

  it('explains each cell in a note, one line per requirement, worst first, citing the article', () => {
    const d5 = noteText(ws.getCell('D5').note);
    expect(d5.split('\n')).toEqual([
      KAOPING_NOTE_SEPARATOR,
      '【未达标】示范标准第12条：活动场所面积120平方米，低于300平方米',
      '【达标】基本标准第24条：活动场所面积120平方米，不低于90平方米',
    ]);
    expect(noteText(ws.getCell('G4').note)).toContain('【待评】基本标准第30条：待观摩评议：“班子团结”尚未评定');
    expect(noteText(ws.getCell('H5').note)).toContain('【数据有误】基本标准第9条：“换届时间”无法识别');
    expect(noteText(ws.getCell('C4').note)).toBe(`${KAOPING_NOTE_SEPARATOR}\n【不考核】基本标准第20条：民主生活会（仅适用于党委、党总支）`);
    // a message that already cites its article is not cited twice
    expect(d5).not.toContain('示范标准第12条：示范标准第12条');
  });

  it("keeps the officer's own note above ours", () => {
    const d4 = noteText(ws.getCell('D4').note);
    expect(d4.split('\n')).toEqual([
      OFFICER_NOTE_D4,
      KAOPING_NOTE_SEPARATOR,
      '【未达标】基本标准第24条：活动场所面积85平方米，低于90平方米',
      '【未达标】示范标准第12条：活动场所面积85平方米，低于300平方米',
    ]);
  });

  it("keeps the officer's formatting, merges, widths, validation and other sheets", async () => {
    const before = await load(original);
    const b = sheet(before, SHEET);
    expect(ws.getCell('B4').font).toEqual(b.getCell('B4').font);
    expect(ws.getCell('B4').font?.bold).toBe(true);
    expect(ws.getCell('D4').border).toEqual(b.getCell('D4').border);
    expect(ws.getCell('D4').border?.bottom?.style).toBe('double');
    expect(ws.getCell('D5').numFmt).toBe('0.00');
    expect(ws.getCell('A1').font).toEqual(b.getCell('A1').font);
    expect(ws.getCell('C4').dataValidation).toEqual(b.getCell('C4').dataValidation);
    expect((ws.model as { merges: string[] }).merges).toEqual(['A1:H1']);
    expect([1, 2, 4].map((c) => ws.getColumn(c).width)).toEqual([16, 12, 22]);
    // cells sharing a style with an annotated cell are not recoloured (ExcelJS shares style objects)
    expect(argb(ws.getCell('E6'))).toBeUndefined();
    const other = sheet(wb, OTHER_SHEET);
    expect(other.getCell('A1').value).toBe('本表数据来源：各村自报');
    expect(other.getCell('B2').fill).toEqual(sheet(before, OTHER_SHEET).getCell('B2').fill);
    expect(other.getCell('B2').note).toBeUndefined();
  });

  it('changes no cell value on any sheet of the officer', async () => {
    const before = snapshot(await load(original));
    const after = snapshot(wb);
    for (const [key, cell] of Object.entries(before)) expect(after[key]?.value, key).toEqual(cell.value);
    expect(ws.getCell('A4').value).toBe('130102001001');
    expect(ws.getCell('D6').formula).toBe('SUM(D4:D5)');
  });

  it('adds 考评结果 with one row per village, codes as text and the legend', () => {
    const s = sheet(wb, RESULT_SHEET);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEET, OTHER_SHEET, RESULT_SHEET, LEDGER_SHEET, STORE_SHEET]);
    expect(s.getCell('A1').value).toBe('村党组织建设考评结果');
    expect(s.getCell('A2').value).toBe('考评依据：农村基层党组织建设基本标准（默认）');
    expect(s.getCell('A3').value).toBe('考评期次：2026年第一季度');
    expect(s.getCell('A4').value).toBe('生成时间：2026-04-02 09:30');
    expect(rowValues(s, SUMMARY_HEADER_ROW, SUMMARY_COLUMNS.length)).toEqual([...SUMMARY_COLUMNS]);
    expect(SUMMARY_COLUMNS.slice(0, 14)).toEqual(['行号', '区划代码', '村名', '乡镇', '组织类型', '总分', '满分', '等次', '星级（本表内预评）', '达标项', '未达标项', '待补项', '待评项', '一票否决']);
    const v1 = rowValues(s, SUMMARY_HEADER_ROW + 1, SUMMARY_COLUMNS.length);
    expect(v1).toEqual([4, '130102001001', '东村', '东风镇', '党支部', 72.5, 100, '未达标', 3, 2, 2, 1, 1, '否', '基本标准第24条未达标', SHEET]);
    const v2 = rowValues(s, SUMMARY_HEADER_ROW + 2, SUMMARY_COLUMNS.length);
    expect(v2).toEqual([5, '130102001002', '=西村', '东风镇', '党总支', 88, 100, '达标', null, 3, 2, 1, 0, '是：发生违纪违法案件', '', SHEET]);
    // codes are text cells with the text format; a name starting with = is a string, not a formula
    expect(s.getCell(SUMMARY_HEADER_ROW + 1, 2).type).toBe(ExcelJS.ValueType.String);
    expect(s.getCell(SUMMARY_HEADER_ROW + 1, 2).numFmt).toBe('@');
    expect(s.getCell(SUMMARY_HEADER_ROW + 2, 3).type).toBe(ExcelJS.ValueType.String);
    // legend: each colour once, filled with its colour
    const legendRows: string[] = [];
    s.eachRow((row) => {
      const a = row.getCell(1);
      if (LEGEND.some((l) => l.colour === a.value)) {
        expect(argb(a)).toBe(LEGEND.find((l) => l.colour === a.value)!.argb);
        legendRows.push(String(row.getCell(2).value));
      }
    });
    expect(legendRows).toEqual(LEGEND.map((l) => l.text));
    expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: SUMMARY_HEADER_ROW });
    expect(s.autoFilter).toBeTruthy();
    expect(s.getColumn(3).width).toBeGreaterThan(5);
  });

  it('adds 整改台账: one row per failing or unreadable requirement, with a computed deadline', () => {
    const s = sheet(wb, LEDGER_SHEET);
    expect(rowValues(s, LEDGER_HEADER_ROW, LEDGER_COLUMNS.length)).toEqual([...LEDGER_COLUMNS]);
    const rows = [1, 2, 3, 4, 5].map((i) => rowValues(s, LEDGER_HEADER_ROW + i, LEDGER_COLUMNS.length));
    const date = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v);
    expect(rows.map((r) => r.map(date))).toEqual([
      [1, '东村', '130102001001', '基本标准', '基本标准第24条', '活动场所面积85平方米，低于90平方米', `${SHEET}!D4`, '2026年第一季度', null, '2026-04-30', null, '未整改'],
      [2, '东村', '130102001001', '示范标准', '示范标准第12条', '活动场所面积85平方米，低于300平方米', `${SHEET}!D4`, '2026年第一季度', null, '2026-04-30', null, '未整改'],
      [3, '=西村', '130102001002', '示范标准', '示范标准第12条', '活动场所面积120平方米，低于300平方米', `${SHEET}!D5`, '2026年第一季度', null, '2026-04-30', null, '未整改'],
      [4, '=西村', '130102001002', '基本标准', '基本标准第18条', '支委会2次，2026年第一季度应不少于3次，少1次', `${SHEET}!F5`, '2026年第一季度', null, '2026-04-30', null, '未整改'],
      [5, '=西村', '130102001002', '基本标准', '基本标准第9条', '【数据有误】“换届时间”无法识别：月份13不存在', `${SHEET}!H5`, '2026年第一季度', null, '2026-04-30', null, '未整改'],
    ]);
    expect(s.getCell(LEDGER_HEADER_ROW + 6, 1).value).toBeNull();
    expect(noteText(s.getCell(LEDGER_HEADER_ROW + 5, 6).note)).toContain('核实');
    expect(s.getCell(LEDGER_HEADER_ROW + 1, 10).numFmt).toBe('yyyy-mm-dd');
    expect(s.getCell(LEDGER_HEADER_ROW + 1, 3).numFmt).toBe('@');
    expect(s.getCell(LEDGER_HEADER_ROW + 1, 12).dataValidation?.type).toBe('list');
    expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: LEDGER_HEADER_ROW });
  });

  it('takes the rectification period from ledgerDeadlineDays', async () => {
    const year = { ...scoredSheet(), period: { ...scoredSheet().period, kind: 'year' as const, index: 1, months: 12, startMonth: 1, endMonth: 12, label: '2025', labelZh: '2025年', year: 2025 } };
    const out = await load(await annotateWorkbook(original, { ...REPORT, sheets: [year], ledgerDeadlineDays: 15 }));
    const d = sheet(out, LEDGER_SHEET).getCell(LEDGER_HEADER_ROW + 1, 10).value as Date;
    expect(d.toISOString().slice(0, 10)).toBe('2026-01-15');
  });

  it('replaces rather than stacks on a re-run, and still restores the original afterwards', async () => {
    const again = await annotateWorkbook(annotated, REPORT);
    const w2 = await load(again);
    expect(w2.worksheets.map((w) => w.name)).toEqual([SHEET, OTHER_SHEET, RESULT_SHEET, LEDGER_SHEET, STORE_SHEET]);
    const d4 = noteText(sheet(w2, SHEET).getCell('D4').note);
    expect(d4.split(KAOPING_NOTE_SEPARATOR)).toHaveLength(2);
    expect(d4.startsWith(`${OFFICER_NOTE_D4}\n`)).toBe(true);
    expect(snapshot(w2)).toEqual(snapshot(await load(annotated)));
    const cleared = snapshot(await load(await removeAnnotations(again)));
    expect(cleared).toEqual(snapshot(await load(original)));
  });

  it("replaces an old 考评结果 but never touches the officer's other sheets", async () => {
    const w = await load(original);
    w.addWorksheet(RESULT_SHEET).getCell('A1').value = '旧结果';
    w.addWorksheet('考评结果（上年）').getCell('A1').value = '上年结果';
    const out = await load(await annotateWorkbook(new Uint8Array((await w.xlsx.writeBuffer()) as ArrayBuffer), REPORT));
    expect(out.worksheets.filter((x) => x.name === RESULT_SHEET)).toHaveLength(1);
    expect(sheet(out, RESULT_SHEET).getCell('A1').value).toBe('村党组织建设考评结果');
    expect(sheet(out, '考评结果（上年）').getCell('A1').value).toBe('上年结果');
  });

  it('annotates the top-left cell of a merged area', async () => {
    const w = await load(original);
    sheet(w, SHEET).mergeCells('H4:H5');
    const bytes = new Uint8Array((await w.xlsx.writeBuffer()) as ArrayBuffer);
    const out = sheet(await load(await annotateWorkbook(bytes, REPORT)), SHEET);
    expect(argb(out.getCell('H4'))).toBe(STATUS_PALETTE.invalid.argb);
    expect(noteText(out.getCell('H4').note)).toContain('换届时间');
    // two results on two cells of one merged area make one note on its top-left cell
    const both = scoredSheet();
    both.villages[0]!.results.push({ id: 'basic-8', standard: 'basic', article: 8, title: '换届', status: 'pass', cell: 'H4', message: '按期换届' });
    const out2 = sheet(await load(await annotateWorkbook(bytes, { ...REPORT, sheets: [both] })), SHEET);
    expect(noteText(out2.getCell('H4').note).split('\n')).toEqual([KAOPING_NOTE_SEPARATOR, '【数据有误】基本标准第9条：“换届时间”无法识别：月份13不存在', '【达标】基本标准第8条：按期换届']);
    expect(argb(out2.getCell('H4'))).toBe(STATUS_PALETTE.invalid.argb);
  });

  it('ignores cell addresses outside the grid, and scored sheets named like ours', async () => {
    const odd = scoredSheet();
    for (const cell of ['', '??', 'XFE1', 'A0', '$F$4']) odd.villages[0]!.results.push({ id: 'basic-2', standard: 'basic', article: 2, title: 't', status: 'fail', cell, message: '怪地址' });
    const out = sheet(await load(await annotateWorkbook(original, { ...REPORT, sheets: [odd, { ...odd, name: RESULT_SHEET }] })), SHEET);
    expect(argb(out.getCell('F4'))).toBe(STATUS_PALETTE.fail.argb); // $F$4 is F4
    expect(noteText(out.getCell('F4').note)).toContain('怪地址');
  });

  it('ignores a scored sheet the workbook does not have', async () => {
    const other = { ...scoredSheet(), name: '不存在' };
    const out = await load(await annotateWorkbook(original, { ...REPORT, sheets: [other] }));
    expect(argb(sheet(out, SHEET).getCell('F4'))).toBeUndefined();
    expect(sheet(out, RESULT_SHEET).getCell(SUMMARY_HEADER_ROW + 1, 3).value).toBe('东村');
  });
});

describe('removeAnnotations', () => {
  it('gives back the same values, fills and notes (and whole styles) as the original', async () => {
    const original = await officerWorkbook();
    const cleared = await load(await removeAnnotations(await annotateWorkbook(original, REPORT)));
    const before = await load(original);
    expect(cleared.worksheets.map((w) => w.name)).toEqual(before.worksheets.map((w) => w.name));
    expect(snapshot(cleared)).toEqual(snapshot(before));
    expect(sheet(cleared, SHEET).getCell('D4').fill).toEqual(OFFICER_FILL_D4);
    expect(sheet(cleared, SHEET).getCell('D4').note).toBe(OFFICER_NOTE_D4);
    expect(sheet(cleared, SHEET).getCell('G4').note).toBeUndefined();
  });

  it('restores a rich-text note exactly', async () => {
    const w = await load(await officerWorkbook());
    const rich = { texts: [{ text: '张三:', font: { bold: true, size: 9, name: 'Tahoma' } }, { text: '\n面积含广场', font: { size: 9, name: 'Tahoma' } }] };
    sheet(w, SHEET).getCell('F5').note = rich;
    const original = new Uint8Array((await w.xlsx.writeBuffer()) as ArrayBuffer);
    const annotated = await load(await annotateWorkbook(original, REPORT));
    const note = sheet(annotated, SHEET).getCell('F5').note as ExcelJS.Comment;
    expect(note.texts?.slice(0, 2)).toEqual(rich.texts);
    expect(noteText(note)).toContain(`面积含广场\n${KAOPING_NOTE_SEPARATOR}\n【未达标】`);
    const cleared = await load(await removeAnnotations(new Uint8Array((await annotated.xlsx.writeBuffer()) as ArrayBuffer)));
    expect(snapshot(cleared)).toEqual(snapshot(await load(original)));
  });

  it('without the _kaoping record, still cuts our notes and our fills', async () => {
    const w = await load(await annotateWorkbook(await officerWorkbook(), REPORT));
    w.removeWorksheet(sheet(w, STORE_SHEET).id);
    const cleared = await load(await removeAnnotations(new Uint8Array((await w.xlsx.writeBuffer()) as ArrayBuffer)));
    const ws = sheet(cleared, SHEET);
    expect(ws.getCell('D4').note).toBe(OFFICER_NOTE_D4);
    expect(ws.getCell('G4').note).toBeUndefined();
    expect(argb(ws.getCell('F4'))).toBeUndefined();
    expect(argb(ws.getCell('A4'))).toBe('FFFFFF00');
    expect(cleared.worksheets.map((x) => x.name)).toEqual([SHEET, OTHER_SHEET]);
    // the officer's own green cell on another sheet (no note of ours) keeps its fill
    expect(argb(sheet(cleared, OTHER_SHEET).getCell('B2'))).toBe('FFC6EFCE');
  });

  it('reads a _kaoping record whose text another program re-saved as rich text', async () => {
    const w = await load(await annotateWorkbook(await officerWorkbook(), REPORT));
    const store = sheet(w, STORE_SHEET);
    store.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string' && cell.value.length > 4) {
          const v = cell.value;
          cell.value = { richText: [{ text: v.slice(0, 3), font: { name: 'Noto Sans CJK SC' } }, { text: v.slice(3) }] };
        }
      }),
    );
    const cleared = sheet(await load(await removeAnnotations(await bytesOf(w))), SHEET);
    expect(cleared.getCell('D4').fill).toEqual(OFFICER_FILL_D4);
    expect(cleared.getCell('D4').note).toBe(OFFICER_NOTE_D4);
  });

  it('keeps what the officer changed after annotation', async () => {
    const w = await load(await annotateWorkbook(await officerWorkbook(), REPORT));
    const ws = sheet(w, SHEET);
    ws.getCell('F4').style = { ...ws.getCell('F4').style, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF00B0F0' } } };
    ws.getCell('G4').note = '已于4月观摩，评定为好';
    const cleared = sheet(await load(await removeAnnotations(new Uint8Array((await w.xlsx.writeBuffer()) as ArrayBuffer))), SHEET);
    expect(argb(cleared.getCell('F4'))).toBe('FF00B0F0');
    expect(cleared.getCell('G4').note).toBe('已于4月观摩，评定为好');
    expect(argb(cleared.getCell('G4'))).toBeUndefined();
  });

  it('keeps notes on blank, unformatted cells (which plain ExcelJS loading drops)', async () => {
    const w = await load(await officerWorkbook());
    sheet(w, SHEET).getCell('G4').note = '待4月观摩';
    sheet(w, SHEET).getCell('H7').note = '本行留空';
    const original = await bytesOf(w);
    const raw = new ExcelJS.Workbook();
    await raw.xlsx.load(original as unknown as ArrayBuffer);
    expect(sheet(raw, SHEET).getCell('H7').note).toBeUndefined(); // the ExcelJS 4.4 behaviour we work around

    const annotated = sheet(await load(await annotateWorkbook(original, REPORT)), SHEET);
    expect(noteText(annotated.getCell('G4').note).split('\n').slice(0, 2)).toEqual(['待4月观摩', KAOPING_NOTE_SEPARATOR]);
    expect(annotated.getCell('H7').note).toBe('本行留空');
    const cleared = await load(await removeAnnotations(await annotateWorkbook(original, REPORT)));
    expect(snapshot(cleared)).toEqual(snapshot(await load(original)));
    expect(sheet(cleared, SHEET).getCell('G4').note).toBe('待4月观摩');
  });

  it('leaves a workbook we never annotated as it was', async () => {
    const original = await officerWorkbook();
    expect(snapshot(await load(await removeAnnotations(original)))).toEqual(snapshot(await load(original)));
  });
});

describe('gridsToWorkbook / colouredCopy (a CSV file)', () => {
  const values: (string | number | null)[][] = [
    ['区划代码', '村名', '活动场所面积（平方米）', '支委会次数（次）'],
    ['130102001001', '东村', 85, 3],
    ['013010200100', '@南村', null, '2'],
  ];
  const grid = (name: string): SheetGrid => ({
    name,
    source: 'csv',
    merges: [],
    warnings: [],
    rows: values.map((row, r) => row.map((v, c) => (v === null ? undefined : { address: `${String.fromCharCode(65 + c)}${r + 1}`, value: v }))),
  });

  it('keeps strings as text and numbers as numbers, and makes the sheet name safe', async () => {
    const { workbook, names } = gridsToWorkbook([grid('a/b:c')]);
    const ws = (await load(await saveWorkbook(workbook))).worksheets[0]!;
    expect(ws.name).toBe('a_b_c');
    expect(names.get('a/b:c')).toBe('a_b_c');
    expect(ws.getCell('A2').value).toBe('130102001001');
    expect(ws.getCell('A3').value).toBe('013010200100');
    expect(ws.getCell('A3').numFmt).toBe('@');
    expect(ws.getCell('B3').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('C2').value).toBe(85);
    expect(ws.getCell('C3').value).toBeNull();
    expect(ws.getCell('D3').value).toBe('2');
  });

  it('annotates the grid like a workbook and says on 考评结果 what the copy kept', async () => {
    const scored = {
      ...scoredSheet(),
      name: 'villages.csv',
      villages: [
        {
          ...scoredSheet().villages[0]!,
          row: 2,
          results: [{ id: 'basic-24', standard: 'basic' as const, article: 24, title: '活动场所', status: 'fail' as const, cell: 'C2', message: '活动场所面积85平方米，低于90平方米' }],
          skipped: [],
        },
      ],
    };
    const copy = await colouredCopy(new TextEncoder().encode('x'), [grid('villages.csv')], { ...REPORT, sheets: [scored] });
    expect(copy.rebuilt).toBe(true);
    expect(copy.sourceNote).toMatch(/CSV/);
    const wb = await load(copy.bytes);
    const ws = sheet(wb, 'villages.csv');
    expect(argb(ws.getCell('C2'))).toBe(STATUS_PALETTE.fail.argb);
    expect(sheet(wb, LEDGER_SHEET).getCell(LEDGER_HEADER_ROW + 1, 7).value).toBe("'villages.csv'!C2");
    const result = sheet(wb, RESULT_SHEET);
    const texts: string[] = [];
    result.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    expect(texts).toContain(copy.sourceNote);
  });
});

describe('palette', () => {
  it('orders statuses by severity', () => {
    expect(worstStatus(['pass', 'manual'])).toBe('manual');
    expect(worstStatus(['missing', 'manual', 'pass'])).toBe('missing');
    expect(worstStatus(['invalid', 'missing'])).toBe('invalid');
    expect(worstStatus(['pass', 'fail', 'invalid'])).toBe('fail');
    expect(worstStatus([])).toBeUndefined();
  });

  it('uses the agreed colours', () => {
    expect(Object.fromEntries(Object.entries(STATUS_PALETTE).map(([k, v]) => [k, v.hex]))).toEqual({
      pass: 'C6EFCE',
      fail: 'FFC7CE',
      missing: 'FFEB9C',
      invalid: 'FFEB9C',
      manual: 'DDEBF7',
    });
    expect(LEGEND.map((l) => l.colour)).toEqual(['浅绿', '浅红', '浅黄', '浅蓝']);
  });
});

describe('stripCitation (整改台账 问题 column)', () => {
  it.each([
    ['活动场所面积85平方米', '活动场所面积85平方米'],
    ['基本标准第18条：支委会2次', '支委会2次'],
    ['基本标准第18条（支部委员会每月召开1次）：支委会2次', '支部委员会每月召开1次：支委会2次'],
    ['基本标准第180条：别的条款', '基本标准第180条：别的条款'],
    ['示范标准第18条：别的标准', '示范标准第18条：别的标准'],
  ])('%s', (message, expected) => {
    expect(stripCitation({ standard: 'basic', article: 18, message })).toBe(expected);
  });
});
