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
