// Proof that the files we write open cleanly in LibreOffice (and that our annotations survive a file
// re-saved by it, as an officer using WPS or LibreOffice would). Needs `soffice` on PATH (installed by
// scripts/install-system-deps.sh); set KAOPING_SKIP_LIBREOFFICE=1 to skip on a machine without it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotateWorkbook, buildTemplate, KAOPING_NOTE_SEPARATOR, LEDGER_SHEET, removeAnnotations, RESULT_SHEET, STATUS_PALETTE, STORE_SHEET } from '../../shared/output/index.ts';
import { noteText } from '../../shared/output/notes.ts';
import type { Article, InputDef } from '../../shared/types.ts';
import { fillArgb, GENERATED_AT, load, OFFICER_NOTE_D4, OTHER_SHEET, officerWorkbook, scoredSheet, SHEET, sheet } from './fixtures.ts';

const SKIP = process.env.KAOPING_SKIP_LIBREOFFICE === '1';
const ALL_SHEETS_CSV = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';

function soffice(dir: string, args: string[]): { status: number | null; stderr: string } {
  const profile = mkdtempSync(join(tmpdir(), 'lo-'));
  try {
    const r = spawnSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${profile}`, ...args], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 55_000,
    });
    return { status: r.status, stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const INPUTS: InputDef[] = [
  { id: 'code', label: '区划代码', kind: 'code', synonyms: [] },
  { id: 'name', label: '村（社区）名称', kind: 'text', synonyms: [] },
  { id: 'activityArea', label: '活动场所面积', kind: 'area', unit: '平方米', synonyms: [] },
  { id: 'judge.unity', label: '班子团结', kind: 'judgement', synonyms: [], options: ['好', '较好', '一般', '差'] },
];
const ARTICLES: Article[] = [
  {
    standard: 'basic',
    article: 24,
    group: '六、基本保障',
    title: '活动场所',
    text: '',
    requirements: [{ id: 'basic-24', title: '活动场所面积不低于90平方米', check: { kind: 'threshold', input: 'activityArea', op: '>=', value: 90, word: '不低于' } }],
  },
];

describe.skipIf(SKIP)('LibreOffice opens our files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kaoping-lo-'));
    const annotated = await annotateWorkbook(await officerWorkbook(), { sheets: [scoredSheet()], rulebookName: '默认规则', generatedAt: GENERATED_AT });
    writeFileSync(join(dir, 'annotated.xlsx'), annotated);
    writeFileSync(join(dir, 'template.xlsx'), await buildTemplate({ inputs: INPUTS, articles: ARTICLES }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts the annotated workbook and the template to CSV, every sheet', { timeout: 60_000 }, () => {
    const r = soffice(dir, ['--convert-to', ALL_SHEETS_CSV, '--outdir', join(dir, 'csv'), 'annotated.xlsx', 'template.xlsx']);
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(join(dir, 'csv')).sort();
    const read = (sheetName: string, file = 'annotated') => readFileSync(join(dir, 'csv', `${file}-${sheetName}.csv`), 'utf8');
    expect(files).toEqual(expect.arrayContaining([`annotated-${SHEET}.csv`, `annotated-${OTHER_SHEET}.csv`, `annotated-${RESULT_SHEET}.csv`, `annotated-${LEDGER_SHEET}.csv`, 'template-调查表.csv', 'template-填表说明.csv']));

    // the officer's values come through unchanged, the 12-digit code as text
    expect(read(SHEET)).toContain('130102001001');
    expect(read(SHEET)).toContain('=西村');
    const summary = read(RESULT_SHEET);
    expect(summary).toContain('村党组织建设考评结果');
    expect(summary).toContain('东村');
    expect(summary).toContain('130102001001');
    expect(summary).not.toContain('1.30102E+11');
    expect(summary).toContain('是：发生违纪违法案件');
    const ledger = read(LEDGER_SHEET);
    expect(ledger).toContain('活动场所面积85平方米，低于90平方米');
    expect(ledger).toContain('2026-04-30');
    expect(ledger).toContain(`${SHEET}!D4`);
    const template = read('调查表', 'template');
    expect(template).toContain('村党组织建设情况调查表');
    expect(template).toContain('活动场所面积（平方米）');
  });

  it('keeps our annotations removable after LibreOffice re-saves the file', { timeout: 60_000 }, async () => {
    const r = soffice(dir, ['--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', join(dir, 'resaved'), 'annotated.xlsx']);
    expect(r.status, r.stderr).toBe(0);
    const resaved = new Uint8Array(readFileSync(join(dir, 'resaved', 'annotated.xlsx')));
    const lo = await load(resaved);
    const ws = sheet(lo, SHEET);
    expect(noteText(ws.getCell('D4').note)).toContain(KAOPING_NOTE_SEPARATOR);
    expect(fillArgb(ws.getCell('F4'))).toBe(STATUS_PALETTE.pass.argb);

    const cleared = await load(await removeAnnotations(resaved));
    const c = sheet(cleared, SHEET);
    expect(cleared.worksheets.map((w) => w.name)).toEqual([SHEET, OTHER_SHEET]);
    expect(cleared.getWorksheet(STORE_SHEET)).toBeUndefined();
    expect(noteText(c.getCell('D4').note).trim()).toBe(OFFICER_NOTE_D4);
    expect(fillArgb(c.getCell('D4'))).toBe('FFFCE4D6');
    expect(c.getCell('G4').note).toBeUndefined();
    expect(fillArgb(c.getCell('F4'))).toBeUndefined();
    expect(c.getCell('A4').value).toBe('130102001001');

    // a re-run on the re-saved file replaces our sheets and notes instead of stacking them
    const again = await load(await annotateWorkbook(resaved, { sheets: [scoredSheet()], rulebookName: '默认规则', generatedAt: GENERATED_AT }));
    expect(again.worksheets.map((w) => w.name)).toEqual([SHEET, OTHER_SHEET, RESULT_SHEET, LEDGER_SHEET, STORE_SHEET]);
    expect(noteText(sheet(again, SHEET).getCell('D4').note).split(KAOPING_NOTE_SEPARATOR)).toHaveLength(2);
    const names = (again as unknown as { definedNames: { model: { name: string; ranges: string[] }[] } }).definedNames.model;
    expect(names.filter((n) => n.ranges.some((r) => r.includes(RESULT_SHEET) || r.includes(LEDGER_SHEET)))).toEqual([]);
  });
});
