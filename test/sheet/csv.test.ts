// CSV decoding and RFC 4180 parsing.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv, serializeCsv } from '../../shared/sheet/csv.ts';
import { decodeText } from '../../shared/sheet/decode.ts';
import { readWorkbook } from '../../shared/sheet/read.ts';
import { fixtureBytes } from './helpers.ts';

describe('decodeText', () => {
  it('GB18030 bytes (no BOM) are detected because they are not valid UTF-8', () => {
    const d = decodeText(fixtureBytes('gb18030.csv'));
    expect(d.encoding).toBe('gb18030');
    expect(d.text.startsWith('後河鎮2026年第二季度')).toBe(true);
  });

  it('GBK-only text round-trips through GB18030, including rare characters and the ideographic space', () => {
    const s = '乡镇,村名\r\n柘城县,郏县　堽头村\r\n';
    expect(decodeText(new Uint8Array(iconv.encode(s, 'gbk')))).toEqual({ text: s, encoding: 'gb18030', bom: false });
    const rare = '𠀀村（扩展B区）';
    expect(decodeText(new Uint8Array(iconv.encode(rare, 'gb18030'))).text).toBe(rare);
  });

  it('UTF-8 with and without BOM; pure ASCII is UTF-8', () => {
    const body = new TextEncoder().encode('村名,面积\n');
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...body]))).toEqual({ text: '村名,面积\n', encoding: 'utf-8', bom: true });
    expect(decodeText(body)).toEqual({ text: '村名,面积\n', encoding: 'utf-8', bom: false });
    expect(decodeText(new TextEncoder().encode('a,b\n1,2\n')).encoding).toBe('utf-8');
  });

  it('UTF-16 with BOM in both byte orders', () => {
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x51, 0x67, 0x0d, 0x54]))).toEqual({ text: '村名', encoding: 'utf-16le', bom: true });
    expect(decodeText(new Uint8Array([0xfe, 0xff, 0x67, 0x51, 0x54, 0x0d]))).toEqual({ text: '村名', encoding: 'utf-16be', bom: true });
  });
});

describe('parseCsv', () => {
  it('quoted fields with separators, line breaks (CRLF, LF) and doubled quotes', () => {
    const text = 'a,"b,c","d\r\ne","f""g"""\n"",x,"y\nz"\n';
    expect(parseCsv(text).rows).toEqual([
      ['a', 'b,c', 'd\r\ne', 'f"g"'],
      ['', 'x', 'y\nz'],
    ]);
  });

  it('keeps empty lines as empty records and does not add one for the final line break', () => {
    expect(parseCsv('a,b\r\n\r\nc,d\r\n').rows).toEqual([['a', 'b'], [''], ['c', 'd']]);
    expect(parseCsv('a,b').rows).toEqual([['a', 'b']]);
    expect(parseCsv('a\rb\r').rows).toEqual([['a'], ['b']]); // old Mac line ends
    expect(parseCsv('').rows).toEqual([]);
  });

  it('is lenient with stray quotes inside unquoted fields and text after a closing quote', () => {
    expect(parseCsv('有"三会一课"记录,2\n"abc"def,3\n').rows).toEqual([
      ['有"三会一课"记录', '2'],
      ['abcdef', '3'],
    ]);
  });

  it('reports an unclosed quote in Chinese and keeps the rest of the file in the field', () => {
    const r = parseCsv('村名,备注\n张庄村,"未闭合\n李寨村,2\n');
    expect(r.rows).toEqual([
      ['村名', '备注'],
      ['张庄村', '未闭合\n李寨村,2\n'],
    ]);
    expect(r.warnings).toEqual(['第 2 行开始的引号没有闭合，已读到文件末尾']);
  });

  it('detects tab and semicolon separators when the lines clearly use them; comma otherwise', () => {
    expect(detectDelimiter('村名\t党员人数\t面积\n张庄村\t32\t90\n')).toBe('\t');
    expect(detectDelimiter('村名;党员人数;面积\n张庄村;32;"90,5"\n')).toBe(';');
    expect(detectDelimiter('村名,党员人数;备注\n张庄村,32;无\n')).toBe(',');
    expect(detectDelimiter('单列\n张庄村\n')).toBe(',');
    // a title line without separators does not confuse the choice
    expect(detectDelimiter('某某镇汇总表\n村名\t人数\n张庄村\t3\n李寨村\t4\n')).toBe('\t');
  });

  it('honours and drops an Excel "sep=" first line', () => {
    const r = parseCsv('sep=;\r\n村名;人数\r\n张庄村;3\r\n');
    expect(r).toMatchObject({ delimiter: ';', sepLine: true, rows: [['村名', '人数'], ['张庄村', '3']] });
  });

  it('a semicolon file read through readWorkbook', async () => {
    const [g] = await readWorkbook(new TextEncoder().encode('村名;党员人数\n张庄村;32\n'), 'x.csv');
    expect(g!.delimiter).toBe(';');
    expect(g!.rows[1]![1]).toEqual({ address: 'B2', value: '32' });
  });
});

describe('round trip (property)', () => {
  const field = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.constantFrom('', '"', '""', ',', ';', '\t', '\r\n', '\n', '\r', 'sep=;', ' 党员　人数 ', '合计', '="1"'),
  );
  const table = fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });

  it('parseCsv(serializeCsv(t)) === t for arbitrary string tables, any separator', () => {
    fc.assert(
      fc.property(table, fc.constantFrom(',' as const, '\t' as const, ';' as const), (t, d) => {
        expect(parseCsv(serializeCsv(t, d), { delimiter: d }).rows).toEqual(t);
      }),
      { numRuns: 500 },
    );
  });

  it('with separator detection (comma), as an uploaded file is read', () => {
    fc.assert(
      fc.property(table, (t) => {
        expect(parseCsv(serializeCsv(t)).rows).toEqual(t);
      }),
      { numRuns: 500 },
    );
  });

  const printableChar = (ch: string) => {
    const c = ch.codePointAt(0)!;
    return (c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) && c !== 0x7f && c !== 0xfffd;
  };
  // Printable text only: a file with NUL or other control bytes is refused as binary. A Chinese header row
  // comes first, as in every real sheet: a few short GB18030 byte runs are also valid UTF-8, which no
  // detector can tell apart (the 锟斤拷 problem), while a line of ordinary Chinese text settles it.
  const printable = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => [...s].every(printableChar)),
    fc.constantFrom('', '"', ',', ';', '\t', '\r\n', ' 党员　人数 ', '合計'),
  );
  const printableTable = fc.array(fc.array(printable, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });

  it('through bytes: UTF-8 with BOM and GB18030 files read back to the same cells', async () => {
    await fc.assert(
      fc.asyncProperty(printableTable, fc.boolean(), async (body, gb) => {
        const t = [['村（社区）名称', '党员人数（人）', '备注'], ...body];
        const text = serializeCsv(t);
        const bytes = gb
          ? new Uint8Array(iconv.encode(text, 'gb18030'))
          : new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
        const [g] = await readWorkbook(bytes, 't.csv');
        const back = g!.rows.map((row, r) => t[r]!.map((_, c) => (row[c]?.value as string | undefined) ?? ''));
        expect(back).toEqual(t);
      }),
      { numRuns: 200 },
    );
  });
});
