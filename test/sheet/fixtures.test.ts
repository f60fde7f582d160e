// The committed fixtures are exactly what test/fixtures/make-fixtures.ts writes (all but libreoffice.xlsx,
// which needs soffice and is only rebuilt by running the script).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeMessyExcel, makeText, makeWps } from '../fixtures/make-fixtures.ts';
import { FIXTURES } from './helpers.ts';

describe('fixtures are reproducible', () => {
  const out = mkdtempSync(join(tmpdir(), 'kaoping-fixtures-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('regenerating gives byte-identical files', async () => {
    await makeMessyExcel(out);
    await makeWps(out);
    makeText(out);
    for (const name of ['messy-excel.xlsx', 'wps-inline.xlsx', 'gb18030.csv', 'utf8-bom.csv', 'excel-unicode.txt']) {
      expect(Buffer.compare(readFileSync(join(out, name)), readFileSync(join(FIXTURES, name))), name).toBe(0);
    }
  });

  it('libreoffice.xlsx was written by LibreOffice', async () => {
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(readFileSync(join(FIXTURES, 'libreoffice.xlsx')));
    expect(await zip.file('docProps/app.xml')!.async('string')).toMatch(/<Application>LibreOffice\//);
  });
});
