// `kaoping score` on zip bombs, lying headers and oversized files: one Chinese error line, exit code 1,
// quickly, and no output file. Run as a separate process, as a user runs it.
import { describe, expect, it } from 'vitest';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kaoping, tempDir } from './helpers.ts';
import { buildZip, zerosDeflated } from '../hardening/zip-builder.ts';
import { deflate, fixtureParts, workbookWith } from '../hardening/fixture-zip.ts';

const MiB = 1024 * 1024;

async function scoreFile(name: string, bytes: Uint8Array, extra: string[] = []) {
  const dir = await tempDir();
  const file = join(dir, name);
  await writeFile(file, bytes);
  const out = join(dir, 'out.xlsx');
  const started = Date.now();
  const r = await kaoping(['score', file, '--out', out, ...extra]);
  const exists = await access(out).then(
    () => true,
    () => false,
  );
  return { ...r, ms: Date.now() - started, wroteOutput: exists };
}

function expectRefusal(r: { code: number; stderr: string; wroteOutput: boolean }, code: string, pattern: RegExp) {
  expect(r.code).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^错误：/);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).toContain(`(${code})`);
  expect(r.stderr).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
  expect(r.wroteOutput).toBe(false);
}

describe('kaoping score refuses hostile archives', () => {
  it('a 1 GiB bomb that declares 1,000 bytes', async () => {
    const r = await scoreFile('炸弹.xlsx', await workbookWith([{ name: 'xl/media/liar.bin', deflated: zerosDeflated(1024), size: 1000 }]));
    expectRefusal(r, 'zip-inconsistent', /xl\/media\/liar\.bin.*声明解压后 1,000 字节.*压缩炸弹/);
  });

  it('an honest bomb (ratio) and an oversized part', async () => {
    expectRefusal(await scoreFile('a.xlsx', await workbookWith([{ name: 'xl/media/z.bin', deflated: zerosDeflated(20), size: 20 * MiB }])), 'zip-ratio', /压缩比异常.*上限 200 倍/);
    expectRefusal(await scoreFile('b.xlsx', await workbookWith([{ name: 'xl/media/z.bin', deflated: zerosDeflated(40), size: 40 * MiB }])), 'zip-part-too-large', /超过单个部件上限 32\.0 MB/);
  });

  it('too many entries and a miscounted end record', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ name: `xl/media/e${i}.txt`, data: 'x', store: true }));
    expectRefusal(await scoreFile('c.xlsx', await workbookWith(many)), 'zip-entries', /超过上限 1,000 个/);
    const parts = await fixtureParts();
    expectRefusal(await scoreFile('d.xlsx', buildZip(parts, { declaredEntries: 3 }, deflate)), 'zip-inconsistent', /声明 3 个部件/);
  });

  it('a CSV with more rows than the cap', async () => {
    const csv = new TextEncoder().encode('区划代码,村名\n' + '410721100201,张庄村\n'.repeat(50_001));
    expectRefusal(await scoreFile('e.csv', csv), 'too-many-rows', /超过50,000 行/);
  });
});

describe('kaoping score refuses hostile files of every other format', () => {
  const html = (body: string) => new TextEncoder().encode(`<html><head><meta charset="utf-8"></head><body>${body}</body></html>`);

  it('an HTML table whose colspan would make a million columns', async () => {
    const r = await scoreFile('导出.xls', html('<table><tr><td>村名</td><td colspan="1000000">东村</td></tr></table>'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^错误：.*列/);
    expect(r.wroteOutput).toBe(false);
  });

  it('HTML tables nested deeper than any sheet', async () => {
    const r = await scoreFile('导出.xls', html(`${'<table><tr><td>'.repeat(40)}x${'</td></tr></table>'.repeat(40)}`));
    expectRefusal(r, 'markup-too-deep', /嵌套/);
  });

  it('Excel 2003 XML with an entity-expansion bomb', async () => {
    const lol = '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n' +
      '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="a"><Table><Row><Cell><Data ss:Type="String">&lol2;</Data></Cell></Row></Table></Worksheet></Workbook>';
    const r = await scoreFile('导出.xml', new TextEncoder().encode(lol));
    expectRefusal(r, 'xml-entity', /实体|DOCTYPE/);
  });

  it('an .ods whose one row holding a value repeats a million times', async () => {
    const content =
      '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="村级情况">' +
      '<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string"><text:p>东村</text:p></table:table-cell></table:table-row>' +
      '</table:table></office:spreadsheet></office:body></office:document-content>';
    const enc = new TextEncoder();
    const zip = buildZip(
      [
        { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', store: true },
        { name: 'content.xml', data: enc.encode(content) },
        { name: 'META-INF/manifest.xml', data: '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>' },
      ],
      {},
      deflate,
    );
    const r = await scoreFile('村级情况.ods', zip);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^错误：.*(行|单元格)/);
    expect(r.wroteOutput).toBe(false);
  });
});
