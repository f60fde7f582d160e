// The Worker's raw-file path (POST /api/submissions/file) goes through the shared reader and its zip guard:
// bombs, lying headers and oversized sheets are refused with 400, a precise Chinese message, and nothing stored.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { call } from './helpers.ts';
import { count, form, rawKeys } from './submission-helpers.ts';
import { buildZip, zerosDeflated, type Part } from '../hardening/zip-builder.ts';

const MiB = 1024 * 1024;
const upload = (body: FormData) => call('town1', '/api/submissions/file', { method: 'POST', body });

/** An ordinary township sheet (as in submissions.test.ts), taken apart into its parts. */
async function parts(): Promise<Part[]> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('调查表');
  ws.addRow(['东风镇2024年第三季度村党组织建设情况调查表']);
  ws.addRow(['区划代码', '村名', '党组织类型', '活动场所面积（平方米）']);
  ws.addRow(['410999100200', '张庄村', '党支部', 120]);
  const zip = await JSZip.loadAsync(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
  const out: Part[] = [];
  for (const f of Object.values(zip.files)) if (!f.dir) out.push({ name: f.name, data: await f.async('uint8array') });
  return out;
}

async function refused(bytes: Uint8Array, code: string, pattern: RegExp, fileName = '调查表.xlsx'): Promise<void> {
  const before = [await count('submissions'), await rawKeys()] as const;
  const res = await upload(form(bytes, fileName, { period: '2024Q3' }));
  expect(res.status).toBe(400);
  const body = await res.json<{ error: { code: string; message: string } }>();
  expect(body.error.code).toBe(`file_${code}`);
  expect(body.error.message).toMatch(pattern);
  expect(body.error.message).not.toMatch(/\bat\s|Error:|undefined/);
  expect([await count('submissions'), await rawKeys()]).toEqual([before[0], before[1]]);
}

describe('POST /api/submissions/file refuses hostile archives', () => {
  it('the rebuilt workbook itself is accepted (control)', async () => {
    const res = await upload(form(buildZip(await parts()), '调查表.xlsx', { period: '2024Q3' }));
    expect(res.status).toBe(201);
  });

  it('a 1 GiB bomb declaring 1,000 bytes is stopped after the declared size', async () => {
    const bytes = buildZip([...(await parts()), { name: 'xl/media/liar.bin', deflated: zerosDeflated(1024), size: 1000 }]);
    expect(bytes.length).toBeLessThan(2 * MiB); // under the 10 MB upload cap: only the zip guard stands in the way
    // (Were it inflated, the request would not return within the test's time limit.)
    await refused(bytes, 'zip-inconsistent', /xl\/media\/liar\.bin.*压缩炸弹/);
  });

  it('the Worker holds a file to 100,000 cells (its isolate has 128 MB), fewer than the command line accepts', async () => {
    const header = ['区划代码', '村名', '党组织类型', ...Array.from({ length: 117 }, (_, k) => `备注${k + 1}`)].join(',');
    const row = (i: number) => [`410999100${String(200 + i).padStart(3, '0')}`, `村${i}`, '党支部', ...Array.from({ length: 117 }, () => '1')].join(',');
    const csv = [header, ...Array.from({ length: 900 }, (_, i) => row(i))].join('\n');
    await refused(new TextEncoder().encode(csv), 'too-many-cells', /100,000/, '调查表.csv');
  });

  it('an honest bomb, an oversized part, too many entries, a ZIP64 end record', async () => {
    const p = await parts();
    await refused(buildZip([...p, { name: 'xl/media/z.bin', deflated: zerosDeflated(20), size: 20 * MiB }]), 'zip-ratio', /压缩比异常/);
    await refused(buildZip([...p, { name: 'xl/media/z.bin', deflated: zerosDeflated(40), size: 40 * MiB }]), 'zip-part-too-large', /32\.0 MB/);
    const many = Array.from({ length: 1001 }, (_, i) => ({ name: `xl/media/e${i}.txt`, data: 'x' }));
    await refused(buildZip([...p, ...many]), 'zip-entries', /1,000/);
    await refused(buildZip(p, { zip64End: true }), 'zip-unsupported', /ZIP64/);
  });

  it('lying local headers and a whole-sheet merge', async () => {
    const p = await parts();
    await refused(buildZip([...p, { name: 'xl/media/a.bin', data: new Uint8Array(5000), localSize: 10 }]), 'zip-inconsistent', /本地文件头/);
    const sheet = p.find((x) => x.name === 'xl/worksheets/sheet1.xml')!;
    const xml = new TextDecoder().decode(sheet.data as Uint8Array).replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>');
    await refused(buildZip(p.map((x) => (x === sheet ? { ...x, data: xml } : x))), 'too-many-merges', /17,179,869,184/);
  });
});
