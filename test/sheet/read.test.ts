// readWorkbook: xlsx from ExcelJS, LibreOffice and a WPS-like writer; CSV in several encodings; refused files.
import fc from 'fast-check';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { SheetError } from '../../shared/sheet/errors.ts';
import { readWorkbook, sniffFormat } from '../../shared/sheet/read.ts';
import type { SheetCell, SheetGrid } from '../../shared/sheet/types.ts';
import { CHINESE, fixtureBytes, readFixture, show } from './helpers.ts';

function cell(grid: SheetGrid, address: string): SheetCell | undefined {
  for (const row of grid.rows) for (const c of row) if (c?.address === address) return c;
  return undefined;
}

async function expectSheetError(bytes: Uint8Array, fileName: string, code: string, pattern?: RegExp): Promise<SheetError> {
  let caught: unknown;
  try {
    await readWorkbook(bytes, fileName);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SheetError);
  const err = caught as SheetError;
  expect(err.code).toBe(code);
  expect(err.message).toMatch(CHINESE);
  expect(err.message).not.toMatch(/\bat\s|Error:|undefined/);
  if (pattern) expect(err.message).toMatch(pattern);
  return err;
}

describe('xlsx written by ExcelJS (messy-excel.xlsx)', () => {
  it('reads every worksheet, keeps the hidden one flagged', async () => {
    const grids = await readFixture('messy-excel.xlsx');
    expect(grids.map((g) => g.name)).toEqual(['三季度汇总', '填表说明', '上季度']);
    expect(grids.map((g) => g.hidden)).toEqual([undefined, undefined, 'hidden']);
    expect(grids[2]!.warnings.join()).toMatch(/隐藏/);
    expect(grids.every((g) => g.source === 'xlsx')).toBe(true);
  });

  it('reads numbers, strings, rich text, hyperlinks, dates and number formats', async () => {
    const [g] = await readFixture('messy-excel.xlsx');
    expect(show(cell(g!, 'B6'))).toBe(410721100201);
    expect(show(cell(g!, 'D6'))).toBe('张庄村'); // rich text runs joined
    expect(show(cell(g!, 'R6'))).toBe('见整改台账'); // hyperlink text
    expect(show(cell(g!, 'F7'))).toBe('４５'); // full-width digits stay as typed
    expect(show(cell(g!, 'M6'))).toBe('90㎡');
    expect(cell(g!, 'N6')).toMatchObject({ value: 0.8, numFmt: '0%', text: '80%' });
    expect(cell(g!, 'N8')).toMatchObject({ value: 95 });
    expect(cell(g!, 'O8')!.value).toBeInstanceOf(Date);
    expect(cell(g!, 'O8')).toMatchObject({ numFmt: 'yyyy-mm-dd', text: '2021-03-15' });
    expect(show(cell(g!, 'O8'))).toBe('2021-03-15');
    expect(cell(g!, 'O11')).toMatchObject({ text: '2024年3月' });
    expect(show(cell(g!, 'O9'))).toBe(2024.1); // 2024.10 typed as a number
    expect(show(cell(g!, 'O13'))).toBe('2024.10'); // the same typed as text
  });

  it('uses cached formula results, shared formulas and error values; formula text when nothing is cached', async () => {
    const [g] = await readFixture('messy-excel.xlsx');
    expect(cell(g!, 'K11')).toMatchObject({ value: 2, formula: '1.2+0.8' });
    expect(cell(g!, 'L6')).toMatchObject({ value: '否', formula: 'IF(K6>=5,"是","否")' });
    expect(cell(g!, 'L7')).toMatchObject({ value: '否', formula: 'IF(K7>=5,"是","否")' }); // shared formula, translated
    expect(cell(g!, 'F14')).toMatchObject({ value: 182, formula: 'SUM(F6:F13)' });
    const err = cell(g!, 'K15')!;
    expect(err.value).toBe('#DIV/0!');
    expect(err.note).toMatch(/错误值/);
    const noCache = cell(g!, 'K13')!;
    expect(noCache.value).toBe('=K10+0.5');
    expect(noCache.note).toMatch(/没有缓存/);
    expect(cell(g!, 'N15')).toMatchObject({ value: 0.8675, text: '86.8%' });
  });

  it('reports merges as 0-based corners and leaves covered cells blank', async () => {
    const [g] = await readFixture('messy-excel.xlsx');
    expect(g!.merges).toContainEqual({ top: 0, left: 0, bottom: 0, right: 17 }); // A1:R1 title
    expect(g!.merges).toContainEqual({ top: 3, left: 6, bottom: 3, right: 9 }); // G4:J4 三会一课
    expect(g!.merges).toContainEqual({ top: 3, left: 0, bottom: 4, right: 0 }); // A4:A5 序号
    expect(g!.merges).toContainEqual({ top: 5, left: 2, bottom: 8, right: 2 }); // C6:C9 乡镇 down over villages
    expect(g!.rows[6]![2]).toBeUndefined(); // C7 is covered by C6:C9
    expect(g!.rows[11]).toEqual([]); // blank row 12
  });
});

describe('xlsx written by LibreOffice (libreoffice.xlsx)', () => {
  it('reads shared strings, text-formatted codes, merges and cached formulas', async () => {
    const grids = await readFixture('libreoffice.xlsx');
    expect(grids).toHaveLength(1);
    const g = grids[0]!;
    expect(g.name).toBe('村级汇总');
    expect(cell(g, 'D5')).toMatchObject({ value: '410721101201', numFmt: '@' }); // code kept as text
    expect(show(cell(g, 'C6'))).toBe('东坡村');
    expect(show(cell(g, 'I7'))).toBe(31000.5);
    expect(cell(g, 'I7')!.text).toBe('31,000.50');
    expect(cell(g, 'F8')).toMatchObject({ value: 104, formula: 'SUM(F5:F7)' });
    expect(g.merges).toContainEqual({ top: 4, left: 1, bottom: 6, right: 1 }); // B5:B7
    expect(show(cell(g, 'D4'))).toBe(1); // 栏次 row
  });
});

describe('WPS-like xlsx with inline strings and a chart sheet (wps-inline.xlsx)', () => {
  it('has no shared-strings part (the fixture really is inline)', async () => {
    const zip = await JSZip.loadAsync(fixtureBytes('wps-inline.xlsx'));
    expect(zip.file('xl/sharedStrings.xml')).toBeNull();
    expect(await zip.file('xl/worksheets/sheet1.xml')!.async('string')).toContain('t="inlineStr"');
    expect(zip.file('xl/chartsheets/sheet1.xml')).not.toBeNull();
  });

  it('reads inline strings and booleans, and skips the chart sheet', async () => {
    const grids = await readFixture('wps-inline.xlsx');
    expect(grids.map((g) => g.name)).toEqual(['村级情况']);
    const g = grids[0]!;
    expect(show(cell(g, 'A1'))).toBe('城郊乡村（社区）党组织基本情况表（2026年度）');
    expect(show(cell(g, 'B6'))).toBe('南湾村');
    expect(show(cell(g, 'E5'))).toBe('次');
    expect(show(cell(g, 'K6'))).toBe(true);
    expect(show(cell(g, 'K7'))).toBe(false);
    expect(show(cell(g, 'C6'))).toBe(410721102201);
  });
});

describe('CSV and text files', () => {
  it('GB18030 without BOM (Chinese Windows Excel): traditional headers, full-width spaces, quoted line breaks', async () => {
    const [g] = await readFixture('gb18030.csv');
    expect(g).toMatchObject({ name: 'gb18030', source: 'csv', encoding: 'gb18030', bom: false, delimiter: ',' });
    expect(g!.warnings.join()).toMatch(/GB18030/);
    expect(show(cell(g!, 'E3'))).toBe('黨員　人數（人）');
    expect(show(cell(g!, 'J4'))).toBe('需改擴建，\r\n計劃年底完成');
    expect(show(cell(g!, 'J5'))).toBe('有"三會一課"記錄冊');
    expect(show(cell(g!, 'G8'))).toBe('1,200');
    expect(cell(g!, 'B4')).toEqual({ address: 'B4', value: '410721101201' }); // strings, no numFmt
    expect(g!.rows[6]).toEqual([]); // ",,,,,,,,," is a blank row
  });

  it('UTF-8 with BOM: BOM removed, records spanning lines keep Excel row numbers', async () => {
    const [g] = await readFixture('utf8-bom.csv');
    expect(g).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(show(cell(g!, 'A1'))).toBe('区划代码');
    expect(show(cell(g!, 'H2'))).toBe('书记说："场所在改造"');
    expect(show(cell(g!, 'H5'))).toBe('多行\r\n备注');
    expect(show(cell(g!, 'A6'))).toBe('小计');
  });

  it('UTF-16LE with BOM, tab-separated (Excel 「Unicode 文本」)', async () => {
    const [g] = await readFixture('excel-unicode.txt');
    expect(g).toMatchObject({ name: 'excel-unicode', encoding: 'utf-16le', bom: true, delimiter: '\t' });
    expect(show(cell(g!, 'D1'))).toBe('活动场所面积（㎡）');
    expect(show(cell(g!, 'B3'))).toBe('26');
  });

  it('UTF-16BE with BOM, and UTF-16LE without one', async () => {
    const text = '村名,党员人数\r\n石桥村,18\r\n';
    const le = new Uint8Array([...new Uint8Array(new Uint16Array([...text].map((c) => c.charCodeAt(0))).buffer)]);
    const be = new Uint8Array(le.length + 2);
    be[0] = 0xfe;
    be[1] = 0xff;
    for (let i = 0; i < le.length; i += 2) {
      be[i + 2] = le[i + 1]!;
      be[i + 3] = le[i]!;
    }
    const [gbe] = await readWorkbook(be, 'be.csv');
    expect(gbe).toMatchObject({ encoding: 'utf-16be', bom: true });
    expect(show(cell(gbe!, 'A2'))).toBe('石桥村');
    const [gle] = await readWorkbook(le, 'le.csv');
    expect(gle).toMatchObject({ encoding: 'utf-16le', bom: false });
    expect(show(cell(gle!, 'B2'))).toBe('18');
  });

  it('content decides the format, not the extension', async () => {
    const xlsxNamedCsv = await readWorkbook(fixtureBytes('messy-excel.xlsx'), '汇总.csv');
    expect(xlsxNamedCsv[0]!.source).toBe('xlsx');
    expect(xlsxNamedCsv[0]!.warnings.join()).toMatch(/扩展名为 \.csv/);
    const csvNamedXlsx = await readWorkbook(new TextEncoder().encode('村名,党员人数\n石桥村,18\n'), '汇总.xlsx');
    expect(csvNamedXlsx[0]!.source).toBe('csv');
    expect(csvNamedXlsx[0]!.warnings.join()).toMatch(/扩展名为 \.xlsx/);
    expect(sniffFormat(fixtureBytes('wps-inline.xlsx'))).toBe('xlsx');
    expect(sniffFormat(fixtureBytes('gb18030.csv'))).toBe('csv');
  });
});

describe('files that cannot be read give a SheetError with a Chinese message', () => {
  it('empty file', async () => {
    await expectSheetError(new Uint8Array(0), 'a.xlsx', 'empty-file', /文件为空/);
  });

  it('truncated xlsx', async () => {
    const bytes = fixtureBytes('messy-excel.xlsx');
    const err = await expectSheetError(bytes.subarray(0, Math.floor(bytes.length / 2)), 'a.xlsx', 'xlsx-corrupt', /zip 结构损坏/);
    expect(err.message).toBe('文件不是有效的 xlsx 工作簿（zip 结构损坏：文件不完整），可能下载或复制时被截断，请重新保存或重新下载后再试');
  });

  it('xlsx whose compressed data is damaged (central directory intact)', async () => {
    const bytes = fixtureBytes('messy-excel.xlsx').slice();
    for (let i = 200; i < 2000; i++) bytes[i] = (bytes[i]! * 31 + 7) & 0xff;
    await expectSheetError(bytes, 'a.xlsx', 'xlsx-corrupt', /zip 结构损坏/);
  });

  it('xlsx whose workbook XML is not XML', async () => {
    const zip = await JSZip.loadAsync(fixtureBytes('messy-excel.xlsx'));
    zip.file('xl/worksheets/sheet1.xml', '<worksheet><sheetData><row><c r="A1" t="s"><v>0</v></c></row>');
    zip.file('xl/workbook.xml', 'this is not < xml');
    const bytes = await zip.generateAsync({ type: 'uint8array' });
    const err = await expectSheetError(bytes, 'a.xlsx', 'xlsx-invalid', /无法解析/);
    expect(err.detail).toBeDefined();
  });

  it('random bytes', async () => {
    let seed = 42;
    const bytes = new Uint8Array(4096).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >> 16;
    });
    await expectSheetError(bytes, 'data.xlsx', 'binary', /不是可识别的表格/);
  });

  it('an OLE2 header with nothing behind it (a damaged .xls)', async () => {
    const bytes = new Uint8Array(1024);
    bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const err = await expectSheetError(bytes, '汇总.xls', 'cfb-corrupt');
    expect(err.message).toMatch(/xls/);
  });

  it('password-protected xlsx (OLE2 with an EncryptedPackage stream)', async () => {
    const bytes = new Uint8Array(2048);
    bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const name = 'EncryptedPackage';
    for (let i = 0; i < name.length; i++) bytes[1024 + i * 2] = name.charCodeAt(i);
    await expectSheetError(bytes, '汇总.xlsx', 'encrypted', /密码/);
  });

  it('zips that hold no workbook: .docx, .odt; an .ods without content', async () => {
    const docx = new JSZip();
    docx.file('[Content_Types].xml', '<Types/>');
    docx.file('word/document.xml', '<w:document/>');
    await expectSheetError(await docx.generateAsync({ type: 'uint8array' }), 'a.xlsx', 'not-spreadsheet-zip', /Word 文档/);
    const odt = new JSZip();
    odt.file('mimetype', 'application/vnd.oasis.opendocument.text', { compression: 'STORE' });
    odt.file('content.xml', '<office:document-content/>');
    await expectSheetError(await odt.generateAsync({ type: 'uint8array' }), 'a.xls', 'not-spreadsheet-zip', /OpenDocument 文本/);
    const ods = new JSZip();
    ods.file('mimetype', 'application/vnd.oasis.opendocument.spreadsheet', { compression: 'STORE' });
    ods.file('content.xml', '<office:document-content/>');
    await expectSheetError(await ods.generateAsync({ type: 'uint8array' }), 'a.ods', 'workbook-invalid', /OpenDocument.*无法解析/);
  });

  it('HTML without a table, XML that is not a spreadsheet, a .mht page, Excel 4.0, PDF', async () => {
    const enc = new TextEncoder();
    await expectSheetError(enc.encode('<html><body><p>导出失败，请重试</p></body></html>'), '导出.xls', 'no-table', /没有表格/);
    await expectSheetError(enc.encode('<?xml version="1.0"?>\n<data><village>东村</village></data>'), '导出.xml', 'xml-unknown', /不是 Excel 2003 XML/);
    await expectSheetError(
      enc.encode('MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart"\r\n\r\n'),
      '导出.xls',
      'mhtml',
      /\.mht/,
    );
    await expectSheetError(new Uint8Array([0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00, 0, 0, 0, 0]), '老表.xls', 'xls-old', /Excel 4\.0/);
    await expectSheetError(enc.encode('%PDF-1.7\n...'), '汇总.pdf', 'pdf', /PDF/);
  });
});

describe('damaged workbooks (property)', () => {
  it('a workbook with random bytes overwritten either reads or fails with a Chinese SheetError', async () => {
    const base = fixtureBytes('wps-inline.xlsx');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        async (edits) => {
          const bytes = base.slice();
          for (const [at, value] of edits) bytes[at] = value;
          try {
            const grids = await readWorkbook(bytes, 'damaged.xlsx');
            expect(Array.isArray(grids)).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(SheetError);
            expect((e as SheetError).message).toMatch(CHINESE);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
