// Zip bombs, lying headers and oversized sheets: refused by the shared reader (readWorkbook) and by the
// annotation loader with a precise Chinese SheetError, before ExcelJS inflates anything.
import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SheetError } from '../../shared/sheet/errors.ts';
import { SHEET_LIMITS } from '../../shared/sheet/limits.ts';
import { readWorkbook } from '../../shared/sheet/read.ts';
import { guardXlsx, guardZipWorkbook, parseZip, rangeArea } from '../../shared/sheet/zip-guard.ts';
import { annotateWorkbook } from '../../shared/output/annotate.ts';
import { buildZip, zerosDeflated, type Part } from './zip-builder.ts';
import { deflate, fixtureParts, workbookReplacing, workbookWith } from './fixture-zip.ts';

const MiB = 1024 * 1024;
const CHINESE = /[\u4e00-\u9fff]/;

async function refusal(p: Promise<unknown>): Promise<SheetError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SheetError);
  const err = caught as SheetError;
  expect(err.message).toMatch(CHINESE);
  expect(err.message).not.toMatch(/\bat\s|Error:|undefined|NaN/);
  return err;
}

const read = (bytes: Uint8Array) => readWorkbook(bytes, '调查表.xlsx');

/** A deflate stream of `mib` MiB of zeros padded with empty stored blocks to look like an ordinary ratio. */
function paddedZeros(mib: number, ratio: number): Uint8Array {
  const zeros = zerosDeflated(mib);
  const body = zeros.subarray(0, zeros.length - 2);
  const pad = Math.ceil((mib * MiB) / ratio / 5);
  const out = new Uint8Array(body.length + pad * 5 + 2);
  out.set(body);
  for (let i = 0; i < pad; i++) out.set([0x00, 0x00, 0x00, 0xff, 0xff], body.length + i * 5);
  out.set([0x03, 0x00], body.length + pad * 5);
  return out;
}

const sheetXml = (sheetData: string, after = '') =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetData}</sheetData>${after}</worksheet>`;

describe('the zip builder used below makes workbooks ExcelJS reads', () => {
  it('a fixture rebuilt part by part reads as before (deflated and stored)', async () => {
    const parts = await fixtureParts();
    for (const bytes of [buildZip(parts, {}, deflate), buildZip(parts)]) {
      const grids = await read(bytes);
      expect(grids.map((g) => g.name)).toEqual(['三季度汇总', '填表说明', '上季度']);
    }
  });
});

describe('declared sizes, ratios and entry counts (checked before inflating)', () => {
  it('a part declaring more than the per-part cap', async () => {
    const bytes = await workbookWith([{ name: 'xl/media/image9.png', deflated: zerosDeflated(40), size: 40 * MiB }]);
    const err = await refusal(read(bytes));
    expect(err.code).toBe('zip-part-too-large');
    expect(err.message).toContain('xl/media/image9.png');
    expect(err.message).toContain('40.0 MB');
    expect(err.message).toContain('32.0 MB');
  });

  it('a bomb-like compression ratio (20 MiB of zeros in 20 KB)', async () => {
    const bytes = await workbookWith([{ name: 'xl/media/zeros.bin', deflated: zerosDeflated(20), size: 20 * MiB }]);
    const err = await refusal(read(bytes));
    expect(err.code).toBe('zip-ratio');
    expect(err.message).toMatch(/约 [\d,]+ 倍，上限 200 倍/);
  });

  it('parts under every per-part check whose sum exceeds the total cap', async () => {
    // 4 × 30 MiB at a ratio of 150: each part looks ordinary, together they declare 120 MiB.
    const part = paddedZeros(30, 150);
    const extra: Part[] = [0, 1, 2, 3].map((i) => ({ name: `xl/media/big${i}.bin`, deflated: part, size: 30 * MiB }));
    const err = await refusal(read(await workbookWith(extra)));
    expect(err.code).toBe('zip-total-too-large');
    expect(err.message).toContain('100.0 MB');
  });

  it('a padded part under every cap is inflated in full and accepted (the checks are not too eager)', async () => {
    const bytes = await workbookWith([{ name: 'xl/media/ok.bin', deflated: paddedZeros(2, 150), size: 2 * MiB }]);
    expect((await read(bytes)).length).toBe(3);
  });

  it('more entries than the cap', async () => {
    const extra: Part[] = Array.from({ length: SHEET_LIMITS.maxZipEntries }, (_, i) => ({ name: `xl/media/e${i}.txt`, data: 'x', store: true }));
    const err = await refusal(read(await workbookWith(extra)));
    expect(err.code).toBe('zip-entries');
    expect(err.message).toContain('1,000');
  });

  it('a ZIP64 end record is refused', async () => {
    const err = await refusal(read(buildZip(await fixtureParts(), { zip64End: true }, deflate)));
    expect(err.code).toBe('zip-unsupported');
    expect(err.message).toContain('ZIP64');
  });
});

describe('lying and inconsistent headers', () => {
  it('a part that declares 1,000 bytes but inflates to 1 GiB stops after the declared size', async () => {
    const bytes = await workbookWith([{ name: 'xl/media/liar.bin', deflated: zerosDeflated(1024), size: 1000 }]);
    const started = Date.now();
    const err = await refusal(read(bytes));
    expect(err.code).toBe('zip-inconsistent');
    expect(err.message).toContain('xl/media/liar.bin');
    expect(err.message).toContain('压缩炸弹');
    // Inflating 1 GiB would take seconds and a GiB of memory; the guard stops after the first chunks.
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a worksheet that lies about its size is refused too (not only media)', async () => {
    const xml = new TextEncoder().encode(sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>'));
    const bytes = await workbookReplacing('xl/worksheets/sheet1.xml', { deflated: deflate(xml), size: xml.length - 10 });
    expect((await refusal(read(bytes))).code).toBe('zip-inconsistent');
  });

  it('a part that inflates to less than declared is a damaged file', async () => {
    const bytes = await workbookWith([{ name: 'xl/media/short.bin', deflated: paddedZeros(1, 150), size: MiB + 100 }]);
    expect((await refusal(read(bytes))).code).toBe('xlsx-corrupt');
  });

  it('local and central headers that declare different sizes', async () => {
    const bytes = await workbookWith([{ name: 'xl/media/a.bin', data: new Uint8Array(5000), localSize: 10 }]);
    const err = await refusal(read(bytes));
    expect(err.code).toBe('zip-inconsistent');
    expect(err.message).toContain('本地文件头与中央目录声明的大小不同');
  });

  it('local and central headers that name different parts', async () => {
    const bytes = await workbookWith([{ name: 'xl/media/a.bin', localName: 'xl/media/b.bin', data: 'abc' }]);
    expect((await refusal(read(bytes))).code).toBe('zip-inconsistent');
  });

  it('an end record that miscounts the entries', async () => {
    const parts = await fixtureParts();
    const err = await refusal(read(buildZip(parts, { declaredEntries: parts.length - 1 }, deflate)));
    expect(err.code).toBe('zip-inconsistent');
    expect(err.message).toContain(`实际有 ${parts.length} 个`);
  });

  it('entries that share one compressed block (overlapping files)', async () => {
    const err = await refusal(read(buildZip(await fixtureParts(), { overlap: true }, deflate)));
    expect(err.code).toBe('zip-inconsistent');
  });

  it('encrypted parts and unknown compression methods', async () => {
    expect((await refusal(read(await workbookWith([{ name: 'xl/media/x.bin', data: 'abc', store: true, flags: 0x0801 }])))).code).toBe('encrypted');
    expect((await refusal(read(await workbookWith([{ name: 'xl/media/x.bin', data: 'abc', store: true, method: 12 }])))).code).toBe('zip-unsupported');
  });
});

describe('what ExcelJS would build: rows, cells, merges, columns, validations', () => {
  it('a whole-sheet merge (17 billion cells for ExcelJS) in a tiny file', async () => {
    const xml = sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>', '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>');
    const err = await refusal(read(await workbookReplacing('xl/worksheets/sheet1.xml', { data: xml })));
    expect(err.code).toBe('too-many-merges');
    expect(err.message).toContain('17,179,869,184');
  });

  it('too many merged ranges', async () => {
    const merges = Array.from({ length: SHEET_LIMITS.maxMerges + 1 }, (_, i) => `<mergeCell ref="A${2 * i + 1}:B${2 * i + 1}"/>`).join('');
    const err = await refusal(read(await workbookReplacing('xl/worksheets/sheet1.xml', { data: sheetXml('', `<mergeCells>${merges}</mergeCells>`) })));
    expect(err.code).toBe('too-many-merges');
    expect(err.message).toContain('10,001 处');
  });

  it('more cell elements than the cap (formatted blanks count: ExcelJS builds each)', async () => {
    const rows: string[] = [];
    for (let r = 1; r <= 2600; r++) {
      let cells = '';
      for (let c = 0; c < 100; c++) cells += `<c r="${String.fromCharCode(65 + (c % 26))}${r}" s="1"/>`;
      rows.push(`<row r="${r}">${cells}</row>`);
    }
    const err = await refusal(read(await workbookReplacing('xl/worksheets/sheet1.xml', { data: sheetXml(rows.join('')) })));
    expect(err.code).toBe('too-many-cells');
    expect(err.message).toContain('250,000');
  });

  it('more row elements than the cap', async () => {
    const rows = Array.from({ length: SHEET_LIMITS.maxRows + 1 }, (_, i) => `<row r="${i + 1}" s="1" customFormat="1"/>`).join('');
    const err = await refusal(read(await workbookReplacing('xl/worksheets/sheet1.xml', { data: sheetXml(rows) })));
    expect(err.code).toBe('too-many-rows');
    expect(err.message).toContain('50,000');
  });

  it('a lone value at row 1,000,000 is refused, not turned into a million-row grid', async () => {
    const xml = sheetXml('<row r="1"><c r="A1"><v>1</v></c></row><row r="1000000"><c r="A1000000"><v>2</v></c></row>');
    const err = await refusal(read(await workbookReplacing('xl/worksheets/sheet1.xml', { data: xml })));
    expect(err.code).toBe('too-many-rows');
    expect(err.message).toContain('第 1,000,000 行有内容');
  });

  it('a value beyond the column cap', async () => {
    const xml = sheetXml('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>');
    const err = await refusal(read(await workbookReplacing('xl/worksheets/sheet1.xml', { data: xml })));
    expect(err.code).toBe('too-many-columns');
    expect(err.message).toContain('XFD1');
  });

  it('a column definition beyond Excel’s 16,384 columns (ExcelJS makes one object per column)', async () => {
    const xml = sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>').replace('<sheetData>', '<cols><col min="1" max="100000000" width="9"/></cols><sheetData>');
    expect((await refusal(read(await workbookReplacing('xl/worksheets/sheet1.xml', { data: xml })))).code).toBe('zip-inconsistent');
  });

  it('a merge hidden behind ">" in an attribute value is still counted', async () => {
    const xml = sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>', '<mergeCells><mergeCell x="a>b" ref="A1:XFD1048576"/></mergeCells>');
    expect((await refusal(read(await workbookReplacing('xl/worksheets/sheet1.xml', { data: xml })))).code).toBe('too-many-merges');
  });

  it('whole-sheet data validations: skipped by the reader, refused when loading for annotation', async () => {
    const xml = sheetXml(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>区划代码</t></is></c></row>',
      '<dataValidations count="1"><dataValidation type="list" sqref="A1:XFD1048576"><formula1>"是,否"</formula1></dataValidation></dataValidations>',
    );
    const bytes = await workbookReplacing('xl/worksheets/sheet1.xml', { data: xml });
    const started = Date.now();
    expect((await read(bytes))[0]!.rows[0]![0]!.value).toBe('区划代码');
    expect(Date.now() - started).toBeLessThan(5000);
    const err = await refusal(annotateWorkbook(bytes, { sheets: [], rulebookName: 'x', generatedAt: new Date() }));
    expect(err.code).toBe('too-many-validations');
  });

  it('range areas as ExcelJS would expand them', () => {
    expect(rangeArea('A1')).toBe(1);
    expect(rangeArea('B2:C4')).toBe(6);
    expect(rangeArea('$A$1:$B$2')).toBe(4);
    expect(rangeArea('A:A')).toBe(1_048_576);
    expect(rangeArea('2:3')).toBe(2 * 16384);
    expect(rangeArea('C3:A1')).toBe(9);
  });
});

describe('the annotation loader runs the same guard', () => {
  it('a bomb given to annotateWorkbook is refused before ExcelJS', async () => {
    const bytes = await workbookWith([{ name: 'xl/media/liar.bin', deflated: zerosDeflated(256), size: 1000 }]);
    const err = await refusal(annotateWorkbook(bytes, { sheets: [], rulebookName: 'x', generatedAt: new Date() }));
    expect(err.code).toBe('zip-inconsistent');
  });

  it('guardXlsx reports what it counted for an ordinary workbook', async () => {
    const bytes = buildZip(await fixtureParts(), {}, deflate);
    expect(parseZip(bytes).length).toBeGreaterThan(5);
    const stats = await guardXlsx(bytes);
    expect(stats.cells).toBeGreaterThan(50);
    expect(stats.totalBytes).toBeGreaterThan(1000);
  });
});

describe('CSV and any file', () => {
  it('a CSV of line breaks stops at the row cap instead of building millions of rows', async () => {
    const err = await refusal(readWorkbook(new TextEncoder().encode('区划代码,村名\n'.repeat(2) + '\n'.repeat(5_000_000)), 'a.csv'));
    expect(err.code).toBe('too-many-rows');
    expect(err.message).toContain('超过50,000 行');
  });

  it('a CSV line of a million separators stops at the field cap', async () => {
    const err = await refusal(readWorkbook(new TextEncoder().encode('a' + ','.repeat(1_200_000)), 'a.csv'));
    expect(err.code).toBe('too-many-cells');
  });

  it('a CSV field beyond 32,767 characters (an unclosed quote) names the cell and the likely cause', async () => {
    const err = await refusal(readWorkbook(new TextEncoder().encode(`区划代码,村名\n410721100201,"张庄村\n${'很长的说明'.repeat(8000)}`), 'a.csv'));
    expect(err.code).toBe('cell-too-long');
    expect(err.message).toContain('B2');
    expect(err.message).toContain('引号没有闭合');
  });

  it('more non-empty CSV fields than the cell cap', async () => {
    const line = Array.from({ length: 100 }, (_, i) => String(i)).join(',') + '\n';
    const err = await refusal(readWorkbook(new TextEncoder().encode(line.repeat(2600)), 'a.csv'));
    expect(err.code).toBe('too-many-cells');
    expect(err.message).toContain('260,000');
  });

  it('a file over the byte cap', async () => {
    const err = await refusal(readWorkbook(new Uint8Array(SHEET_LIMITS.maxFileBytes + 1).fill(0x41), 'a.csv'));
    expect(err.code).toBe('file-too-large');
    expect(err.message).toContain('50.0 MB');
  });
});

describe('messages quote file contents visibly', () => {
  it('a line break or a bidi override in a part name does not reach the one-line message', () => {
    const e = new SheetError('xlsx-corrupt', '部件“x\nl/\u202eslx.exe”损坏');
    expect(e.message).toBe('部件“x\ufffdl/\ufffdslx.exe”损坏');
  });
});

// ---------------------------------------------------------------------------------------------
// OpenDocument (.ods) and binary (.xlsb) workbooks: the same zip checks, then what SheetJS would build.

const SEED = Number(process.env.FC_SEED ?? 20261208);
const SCALE = Number(process.env.FC_SCALE ?? 1);
const fcRuns = (n: number) => ({ seed: SEED, numRuns: Math.max(1, Math.round(n * SCALE)) });
const LEAK = /\n\s+at |node:internal|\.ts:\d+|TypeError|RangeError|SyntaxError|undefined|NaN|Infinity|\[object Object\]/;
const formatFile = (f: string) => new Uint8Array(readFileSync(new URL(`../fixtures/formats/${f}`, import.meta.url)));
const ODS = formatFile('libreoffice.ods');
const XLSB = formatFile('sheetjs.xlsb');

async function refusedAs(p: Promise<unknown>, code: string): Promise<SheetError> {
  const started = Date.now();
  const err = await refusal(p);
  expect(err.message).not.toMatch(LEAK);
  expect(err.code).toBe(code);
  expect(Date.now() - started).toBeLessThan(3000);
  return err;
}

/** What SheetJS builds (dense, with stubs): cells, last row and column holding a value, merges. */
function sheetjsBuilds(bytes: Uint8Array): { cells: number; maxRow: number; maxColumn: number; merges: number } {
  const wb = XLSX.read(bytes, { type: 'array', dense: true, sheetStubs: true, cellFormula: false });
  const out = { cells: 0, maxRow: 0, maxColumn: 0, merges: 0 };
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name]!;
    out.merges += (ws['!merges'] ?? []).length;
    (ws['!data'] ?? []).forEach((row, r) =>
      row?.forEach((c, col) => {
        if (!c) return;
        out.cells++;
        if (c.t !== 'z') {
          out.maxRow = Math.max(out.maxRow, r + 1);
          out.maxColumn = Math.max(out.maxColumn, col + 1);
        }
      }),
    );
  }
  return out;
}

/** The ODS specimen with its sheets replaced by one table of `rows`. */
async function odsWith(rows: string): Promise<Uint8Array> {
  const parts = await fixtureParts('formats/libreoffice.ods');
  return buildZip(
    parts.map((p) => {
      if (p.name !== 'content.xml') return p;
      const xml = new TextDecoder().decode(p.data as Uint8Array);
      const start = xml.indexOf('<table:table ');
      const end = xml.lastIndexOf('</table:table>') + '</table:table>'.length;
      return { name: p.name, data: `${xml.slice(0, start)}<table:table table:name="表1">${rows}</table:table>${xml.slice(end)}` };
    }),
    {},
    deflate,
  );
}

const odsCell = (v: number, attrs = '') => `<table:table-cell office:value-type="float" office:value="${v}"${attrs}><text:p>${v}</text:p></table:table-cell>`;
const odsRow = (cells: string, attrs = '') => `<table:table-row${attrs}>${cells}</table:table-row>`;

/** One BIFF12 record: type and size as 7-bit groups. */
function brt(type: number, body: number[] = []): number[] {
  const out: number[] = type < 0x80 ? [type] : [(type & 0x7f) | 0x80, type >> 7];
  let n = body.length;
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>= 7;
  } while (n > 0);
  return [...out, ...body];
}
const u32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const rowHdr = (r: number) => brt(0x0000, [...u32(r), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const real = (c: number, v = 1) => brt(0x0005, [...u32(c), 0, 0, 0, 0, ...Array.from(new Uint8Array(new Float64Array([v]).buffer))]);
const blank = (c: number) => brt(0x0001, [...u32(c), 0, 0, 0, 0]);
const rfx = (r1: number, r2: number, c1: number, c2: number) => [...u32(r1), ...u32(r2), ...u32(c1), ...u32(c2)];

/** The xlsb specimen with worksheet 1 replaced by these records (inside BrtBeginSheet/BrtBeginSheetData). */
async function xlsbWith(records: number[][], after: number[][] = []): Promise<Uint8Array> {
  const body = [...brt(0x0081), ...brt(0x0091), ...records.flat(), ...brt(0x0092), ...after.flat(), ...brt(0x0082)];
  const parts = await fixtureParts('formats/sheetjs.xlsb');
  return buildZip(
    parts.map((p) => (p.name === 'xl/worksheets/sheet1.bin' ? { name: p.name, data: new Uint8Array(body) } : /sheet[23]\.bin$/.test(p.name) ? { name: p.name, data: new Uint8Array([...brt(0x0081), ...brt(0x0091), ...brt(0x0092), ...brt(0x0082)]) } : p)),
    {},
    deflate,
  );
}

describe('.ods: content.xml counted as SheetJS materialises it', () => {
  it('the LibreOffice specimen passes with the counts SheetJS builds (its million repeated empty rows build nothing)', async () => {
    const stats = await guardZipWorkbook(ODS, { kind: 'ods' });
    const built = sheetjsBuilds(ODS);
    expect({ cells: stats.cells, maxRow: stats.maxRow, maxColumn: stats.maxColumn, merges: stats.merges }).toEqual(built);
    expect(stats.cells).toBeGreaterThan(200);
  });

  it('a value in a row repeated 1,048,576 times', async () => {
    const err = await refusedAs(guardZipWorkbook(await odsWith(odsRow(odsCell(1), ' table:number-rows-repeated="1048576"')), { kind: 'ods' }), 'too-many-rows');
    expect(err.message).toContain('1,048,576');
  });

  it('"Infinity" repeats (SheetJS reads rows with +, so it would loop forever)', async () => {
    await refusedAs(guardZipWorkbook(await odsWith(odsRow(odsCell(1), ' table:number-rows-repeated="Infinity"')), { kind: 'ods' }), 'too-many-rows');
  });

  it('a value repeated across 16,384 columns', async () => {
    await refusedAs(guardZipWorkbook(await odsWith(odsRow(odsCell(1, ' table:number-columns-repeated="16384"'))), { kind: 'ods' }), 'too-many-columns');
  });

  it('rows × columns within the row and column caps but over the cell cap', async () => {
    const err = await refusedAs(guardZipWorkbook(await odsWith(odsRow(odsCell(1, ' table:number-columns-repeated="10"'), ' table:number-rows-repeated="40000"')), { kind: 'ods' }), 'too-many-cells');
    expect(err.message).toContain('400,000');
  });

  it('merges: a span of a million rows, and a 500 × 600 span', async () => {
    await refusedAs(guardZipWorkbook(await odsWith(odsRow(odsCell(1, ' table:number-rows-spanned="1000000"'))), { kind: 'ods' }), 'too-many-rows');
    await refusedAs(guardZipWorkbook(await odsWith(odsRow(odsCell(1, ' table:number-rows-spanned="600" table:number-columns-spanned="500"'))), { kind: 'ods' }), 'too-many-merges');
  });

  it('covered cells repeated beyond the column cap (stubs, one per repeated column)', async () => {
    await refusedAs(guardZipWorkbook(await odsWith(odsRow(`${odsCell(1)}<table:covered-table-cell table:number-columns-repeated="100000"/>`)), { kind: 'ods' }), 'too-many-columns');
  });

  it('self-closing empty cells repeated a million times build nothing and pass', async () => {
    const stats = await guardZipWorkbook(await odsWith(odsRow(odsCell(7)) + odsRow('<table:table-cell table:number-columns-repeated="16383"/>', ' table:number-rows-repeated="1048575"')), { kind: 'ods' });
    expect(stats.maxRow).toBe(1);
  });

  it('an unclosed quote cannot hide the cells after it', async () => {
    await refusedAs(guardZipWorkbook(await odsWith(`<table:table-row table:style-name="ro1>${odsRow(odsCell(1)).repeat(10)}`), { kind: 'ods' }), 'xlsx-corrupt');
  });

  it('spans nested 10,000 deep inside a cell are scanned in linear time', async () => {
    const deep = `<table:table-cell office:value-type="string"><text:p>${'<text:span>'.repeat(10_000)}x${'</text:span>'.repeat(10_000)}</text:p></table:table-cell>`;
    expect((await guardZipWorkbook(await odsWith(odsRow(deep)), { kind: 'ods' })).cells).toBe(1);
  });

  it('content.xml lying about its size is stopped at the declared size (the zip checks stay in front)', async () => {
    const parts = await fixtureParts('formats/libreoffice.ods');
    const bytes = buildZip(
      parts.map((p) => (p.name === 'content.xml' ? { name: p.name, deflated: zerosDeflated(256), size: 1000 } : p)),
      {},
      deflate,
    );
    await refusedAs(guardZipWorkbook(bytes, { kind: 'ods' }), 'zip-inconsistent');
  });
});

describe('.xlsb: worksheet records counted as SheetJS builds them', () => {
  it('the SheetJS specimen passes with the counts SheetJS builds', async () => {
    const stats = await guardZipWorkbook(XLSB, { kind: 'xlsb' });
    expect({ cells: stats.cells, maxRow: stats.maxRow, maxColumn: stats.maxColumn, merges: stats.merges }).toEqual(sheetjsBuilds(XLSB));
  });

  it('a crafted sheet: rows, full and blank cells, short cells take the next column', async () => {
    const stats = await guardZipWorkbook(await xlsbWith([rowHdr(0), real(0), blank(1), real(5), brt(0x000d, [0, 0, 0, 0, 0, 0, 0]), rowHdr(9), real(2)]), { kind: 'xlsb' });
    expect(stats).toMatchObject({ cells: 5, maxRow: 10, maxColumn: 7 });
  });

  it('more cell records than the cap (formatted blanks)', async () => {
    const records: number[][] = [rowHdr(0)];
    for (let i = 0; i < SHEET_LIMITS.maxCells + 1; i++) {
      if (i % 200 === 0) records.push(rowHdr(i / 200));
      records.push(blank(i % 200));
    }
    await refusedAs(guardZipWorkbook(await xlsbWith(records), { kind: 'xlsb' }), 'too-many-cells');
  });

  it('a value at row 1,000,000 and at column 20,000', async () => {
    await refusedAs(guardZipWorkbook(await xlsbWith([rowHdr(0), real(0), rowHdr(999_999), real(0)]), { kind: 'xlsb' }), 'too-many-rows');
    await refusedAs(guardZipWorkbook(await xlsbWith([rowHdr(0), real(19_999)]), { kind: 'xlsb' }), 'too-many-columns');
  });

  it('a whole-sheet merge and a whole-sheet hyperlink', async () => {
    const err = await refusedAs(guardZipWorkbook(await xlsbWith([rowHdr(0), real(0)], [brt(0x00b1, u32(1)), brt(0x00b0, rfx(0, 1_048_575, 0, 16_383))]), { kind: 'xlsb' }), 'too-many-merges');
    expect(err.message).toContain('17,179,869,184');
    await refusedAs(guardZipWorkbook(await xlsbWith([rowHdr(0), real(0)], [brt(0x01ee, [...rfx(0, 1_048_575, 0, 16_383), 0, 0, 0, 0])]), { kind: 'xlsb' }), 'too-many-hyperlinks');
  });

  it('a column definition beyond Excel’s 16,384 columns (SheetJS loops from first to last)', async () => {
    const colinfo = brt(0x003c, [...u32(0), ...u32(0x7fffffff), 0, 0, 0, 0, 0, 0]);
    await refusedAs(guardZipWorkbook(await xlsbWith([rowHdr(0), real(0)], [colinfo]), { kind: 'xlsb' }), 'xlsx-corrupt');
  });

  it('records split across inflate chunks are read whole (a large legitimate sheet: 200,000 cells)', async () => {
    const records: number[][] = [];
    for (let r = 0; r < 20_000; r++) {
      records.push(rowHdr(r));
      for (let c = 0; c < 10; c++) records.push(real(c, r * 10 + c));
    }
    const stats = await guardZipWorkbook(await xlsbWith(records), { kind: 'xlsb' });
    expect(stats).toMatchObject({ cells: 200_000, maxRow: 20_000, maxColumn: 10, rows: 20_000 });
  });
});

describe('.ods and .xlsb damaged: truncated and byte-flipped', () => {
  for (const [name, bytes, kind] of [
    ['libreoffice.ods', ODS, 'ods'],
    ['sheetjs.xlsb', XLSB, 'xlsb'],
  ] as const) {
    it(`${name} truncated at every 256 bytes is refused cleanly (the central directory is at the end)`, async () => {
      const label = kind === 'ods' ? 'ods 工作簿' : 'xlsb 工作簿';
      for (let n = 0; n < bytes.length; n += 256) {
        const err = await refusal(guardZipWorkbook(bytes.subarray(0, n), { kind }));
        expect(err.message).not.toMatch(LEAK);
        expect(['xlsx-corrupt', 'zip-inconsistent']).toContain(err.code);
        expect(err.message).toContain(label);
      }
    });

    it(`${name} with flipped bytes passes or is refused cleanly`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }), async (flips) => {
          const b = bytes.slice();
          for (const [at, x] of flips) b[at % b.length]! ^= x;
          const started = Date.now();
          try {
            const stats = await guardZipWorkbook(b, { kind });
            expect(stats.cells).toBeLessThanOrEqual(SHEET_LIMITS.maxCells);
          } catch (e) {
            if (!(e instanceof SheetError)) throw new Error(`not a SheetError: ${String((e as Error)?.stack ?? e)}`);
            expect(e.message).toMatch(CHINESE);
            expect(e.message).not.toMatch(LEAK);
          }
          expect(Date.now() - started).toBeLessThan(2000);
        }),
        fcRuns(150),
      );
    });
  }
});
