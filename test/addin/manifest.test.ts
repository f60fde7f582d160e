// manifest.xml validates offline against the add-in manifest XSDs (xmllint compiled to WebAssembly), and says
// what the brief asks: Excel task pane, zh-CN, ExcelApi 1.9, a 考评 group with 打开考评面板, icons that exist.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, SCHEMA_DIR, validateManifest } from '../../addin/tools/validate-manifest.ts';

const manifestPath = path.join(REPO, 'manifest.xml');

describe('manifest.xml', () => {
  it('is valid against OfficeAppManifestV1_1.xsd (with the VersionOverrides and basic types schemas)', async () => {
    expect(existsSync(path.join(SCHEMA_DIR, 'OfficeAppManifestV1_1.xsd'))).toBe(true);
    const r = await validateManifest(await readFile(manifestPath, 'utf8'));
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  }, 30_000);

  it('is checked for real: a misplaced element fails validation', async () => {
    const xml = (await readFile(manifestPath, 'utf8')).replace('<DefaultLocale>zh-CN</DefaultLocale>', '<DefaultLocale>zh-CN</DefaultLocale><Bogus/>');
    const r = await validateManifest(xml);
    expect(r.valid).toBe(false);
    expect(r.errors.join('\n')).toMatch(/Bogus/);
  }, 30_000);

  it('declares a zh-CN Excel task pane needing ExcelApi 1.9, a 考评 group and the 打开考评面板 button', async () => {
    const xml = await readFile(manifestPath, 'utf8');
    expect(xml).toMatch(/xsi:type="TaskPaneApp"/);
    expect(xml).toMatch(/<DefaultLocale>zh-CN<\/DefaultLocale>/);
    expect(xml).toMatch(/<Host Name="Workbook"\/>/);
    expect(xml).toMatch(/<Set Name="ExcelApi" MinVersion="1\.9"\/>/);
    expect(xml).toMatch(/<SourceLocation DefaultValue="https:\/\/localhost:3000\/taskpane\.html"\/>/);
    expect(xml).toMatch(/id="Group\.Label" DefaultValue="考评"/);
    expect(xml).toMatch(/id="OpenPane\.Label" DefaultValue="打开考评面板"/);
    expect(xml).toMatch(/<Action xsi:type="ShowTaskpane">/);
  });

  it('points at icons that exist, with the right sizes', async () => {
    for (const size of [16, 32, 80]) {
      const file = path.join(REPO, 'addin', 'assets', `icon-${size}.png`);
      const png = await readFile(file);
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(size);
      expect(png.readUInt32BE(20)).toBe(size);
    }
  });
});
