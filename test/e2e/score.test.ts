// 网页评分 (/score) in a real suite.browser (Debian Chromium via playwright-core) against the real Worker
// (`wrangler dev`, local D1/R2, the demo county): real files in, the shared reader and engine running in the
// page, the coloured copy checked with ExcelJS in Node, and a submission through POST /api/submissions.
// Screenshots go to test/e2e/screenshots/ (gitignored).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Download, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD, shot, shotTop, signIn, watch } from './browser.ts';
import { demoSuite } from './suite.ts';
import { ROOT } from './server.ts';
import { demoColumns, demoCounty, demoValues } from '../../shared/demo/generate.ts';
import { demoWorkbook } from '../../shared/demo/workbook.ts';
import { STATUS_PALETTE } from '../../shared/output/palette.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { makePeriod } from '../../shared/scoring/period.ts';
import { readWorkbook } from '../../shared/sheet/read.ts';

const FIXTURES = join(ROOT, 'test/fixtures');
const MESSY = join(FIXTURES, 'messy-excel.xlsx');
const GB18030 = join(FIXTURES, 'gb18030.csv');
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const suite = demoSuite();


// A failed test leaves its tab open: close it, so that the next test starts clean.
afterEach(async () => {
  for (const p of suite.browser.context.pages() ?? []) await p.close().catch(() => {});
});


interface Opened {
  page: Page;
  seen: ReturnType<typeof watch>;
  /** Every request the page made to the API, in order. */
  api: string[];
  /** The page scripts and chunks it loaded (paths under /assets/). */
  scripts: string[];
}

/** The scripts over 500 KB among those loaded: ExcelJS, which only an xlsx file or the coloured copy needs. */
function heavy(scripts: readonly string[]): string[] {
  return scripts.filter((p) => statSync(join(ROOT, 'worker/public', p)).size > 500_000);
}

/** A fresh, signed-out tab on /score. */
async function openScore(): Promise<Opened> {
  await suite.browser.context.clearCookies();
  const page = await suite.browser.context.newPage();
  const seen = watch(page);
  const api: string[] = [];
  const scripts: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) api.push(`${r.method()} ${u.pathname}${u.search}`);
    if (u.pathname.startsWith('/assets/')) scripts.push(u.pathname);
  });
  await page.goto(`${suite.worker.url}/score`);
  expect(new URL(page.url()).pathname).toBe('/score');
  expect(heavy(scripts), 'ExcelJS is not loaded with the page').toEqual([]);
  return { page, seen, api, scripts };
}

/** Close the tab; no console errors, CSP violations or dialogs (`expected`: console lines a test causes on purpose). */
async function finish(o: Opened, expected?: RegExp): Promise<void> {
  await o.page.close();
  expect(o.seen.problems.filter((p) => !expected?.test(p)), '浏览器控制台错误或 CSP 违规').toEqual([]);
  expect(o.seen.dialogs, '页面不应弹出对话框').toEqual([]);
}

async function chooseFile(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  await page.setInputFiles('#file', file);
  await page.waitForFunction(() => !document.querySelector('#file-status')?.classList.contains('status-loading'));
}

const sheetSel = (i: number) => `#sheets .sheet[data-sheet="${i}"]`;
const resultSel = (i: number) => `#results .result-sheet[data-sheet="${i}"]`;

async function mappedValue(page: Page, sheet: number, letter: string): Promise<string> {
  return page.locator(`${sheetSel(sheet)} select.map-select[data-col="${letter}"]`).inputValue();
}

/** Village rows of a scored sheet: row number, name, level and the count shown for each status. */
async function villages(page: Page, sheet: number) {
  return page.$$eval(`${resultSel(sheet)} tr.village`, (trs) =>
    trs.map((tr) => {
      const count = (st: string) => Number(tr.querySelector(`.count[data-status="${st}"]`)?.textContent ?? 'NaN');
      return {
        row: Number((tr as HTMLElement).dataset.row),
        name: tr.children[2]?.textContent?.trim() ?? '',
        level: tr.children[5]?.textContent?.trim() ?? '',
        pass: count('pass'),
        fail: count('fail'),
        missing: count('missing'),
        invalid: count('invalid'),
        manual: count('manual'),
      };
    }),
  );
}

/** The requirement lines of one village (expanding it first): status, cell and the message. */
async function details(page: Page, sheet: number, row: number) {
  const toggle = page.locator(`${resultSel(sheet)} tr.village[data-row="${row}"] button.toggle`);
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const detail = page.locator(`${resultSel(sheet)} tr.detail-row[data-row="${row}"]`);
  await detail.waitFor();
  return detail.locator('li.result').evaluateAll((lis) =>
    lis.map((li) => ({ status: (li as HTMLElement).dataset.status ?? '', cell: (li as HTMLElement).dataset.cell ?? '', text: li.querySelector('.msg')?.textContent ?? '' })),
  );
}

async function saveDownload(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  const path = join(suite.browser.downloads, `copy-${Date.now()}.xlsx`);
  await download.saveAs(path);
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

async function loadXlsx(bytes: Buffer | Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

function fillOf(cell: ExcelJS.Cell): string | undefined {
  const f = cell.fill as { type?: string; fgColor?: { argb?: string } } | undefined;
  return f?.type === 'pattern' ? f.fgColor?.argb : undefined;
}

function noteOf(cell: ExcelJS.Cell): string {
  const n = cell.note as string | { texts?: { text: string }[] } | undefined;
  if (!n) return '';
  return typeof n === 'string' ? n : (n.texts ?? []).map((t) => t.text).join('');
}

/** Every cell value of a worksheet, by address (JSON, so that dates, formulas and rich text compare too). */
function values(ws: ExcelJS.Worksheet): Map<string, string> {
  const out = new Map<string, string>();
  ws.eachRow({ includeEmpty: false }, (row) =>
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (cell.isMerged && cell.master.address !== cell.address) return;
      out.set(cell.address, JSON.stringify(cell.value));
    }),
  );
  return out;
}

describe('网页评分 (browser, real Worker)', () => {
  it('signed out: an officer’s messy xlsx is read, mapped and scored in the page; a corrected column changes the result; the coloured copy keeps every value', async () => {
    const o = await openScore();
    const { page } = o;
    expect(await page.locator('.top .who').textContent()).toContain('未登录');
    await shotTop(page, 'body', 'score-start', 700);

    await chooseFile(page, MESSY);
    await page.locator('#step-map:not([hidden])').waitFor();
    expect(heavy(o.scripts)).toHaveLength(1);
    expect(await page.locator('#file-info').textContent()).toContain('messy-excel.xlsx');
    expect(await page.locator('#file-info').textContent()).toContain('找到 2 张村级数据表');
    // The standards, and why.
    expect(await page.locator('#rulebook').textContent()).toContain('农村基层党组织建设基本标准与示范标准（默认）');
    expect(await page.locator('#rulebook').textContent()).toContain('未登录');

    // Sheet 0 (三季度汇总): the period from the title, the header block, the mapping with confidence.
    const s0 = page.locator(sheetSel(0));
    expect(await s0.locator('h3').textContent()).toContain('三季度汇总');
    expect(await s0.locator('.period-label').textContent()).toBe('2026年第三季度');
    expect(await s0.locator('.where').textContent()).toContain('按表头标题识别');
    expect(await s0.locator('dl.facts').textContent()).toContain('表头在第4–5行');
    expect(await s0.locator('.period-year').inputValue()).toBe('2026');
    expect(await s0.locator('.period-part').inputValue()).toBe('Q3');
    const expected: Record<string, string> = {
      A: '',
      B: 'code',
      C: 'township',
      D: 'name',
      E: 'orgType',
      F: 'members',
      G: 'memberMeetings',
      H: 'committeeMeetings',
      K: 'collectiveIncome',
      L: '',
      M: 'activityArea',
      N: 'cadreSatisfaction',
      O: 'lastElection',
      Q: 'judge.basic.27',
      R: '',
    };
    for (const [letter, input] of Object.entries(expected)) expect(await mappedValue(page, 0, letter), `${letter} 列`).toBe(input);
    expect(await s0.locator('tr[data-col="B"] .conf').textContent()).toBe('95%（同义词）');
    expect(await s0.locator('tr[data-col="M"] .conf').textContent()).toBe('100%（名称相同）');
    expect(await s0.locator('tr[data-col="Q"] .conf').textContent()).toContain('条文编号');
    // 集体经济/是否达到5万元 is not the income itself: left unmapped, not claimed as a duplicate of K.
    expect(await s0.locator('tr[data-col="L"] .note-cell').textContent()).not.toContain('重复对应指标');
    // Labels in Chinese in the dropdown, grouped.
    expect(await s0.locator('select[data-col="M"] option:checked').textContent()).toBe('活动场所面积（平方米）');
    expect(await s0.locator('select[data-col="M"] optgroup').count()).toBeGreaterThan(5);
    // Sheet 1 (上季度, hidden): no period on it, said so.
    const hidden = page.locator('#sheets .sheet', { hasText: '工作表“上季度”' });
    expect(await hidden.locator('h3').textContent()).toContain('隐藏的工作表');
    expect(await hidden.locator('.where').getAttribute('class')).toContain('warn-text');
    await shot(page, 'score-mapping');

    await page.click('#score-btn');
    await page.locator('#step-results:not([hidden])').waitFor();
    const before = await villages(page, 0);
    expect(before.map((v) => v.row)).toEqual([6, 7, 8, 9, 10, 11, 13]);
    expect(before.map((v) => v.name)).toEqual(['张庄村', '李寨村', '王屯村', '刘庄村', '后河村', '东坡村', '西岭村']);
    const houhe = before.find((v) => v.row === 10)!;
    expect(houhe.level).toBe('未达标');
    expect(houhe.fail).toBe(8);
    const d10 = await details(page, 0, 10);
    expect(d10.find((d) => d.cell === 'M10' && d.status === 'fail')?.text).toContain('基本标准第24条');
    expect(d10.find((d) => d.cell === 'M10' && d.status === 'fail')?.text).toContain('不低于90平方米');
    expect(d10.find((d) => d.cell === 'N10')).toMatchObject({ status: 'fail' });
    expect(d10.find((d) => d.cell === 'N10')!.text).toContain('示范标准第9条');
    expect(d10.some((d) => d.status === 'manual')).toBe(true);
    expect(d10.some((d) => d.status === 'missing')).toBe(true);
    // The page shows the palette's colours.
    const failBg = await page.locator(`${resultSel(0)} tr.detail-row[data-row="10"] li.result[data-status="fail"] .st`).first().evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(failBg).toBe(rgb(STATUS_PALETTE.fail.hex));
    await shotTop(page, '#step-results', 'score-results', 1200);

    // Correct column N (群众满意度) from 两委干部满意度 to 群众对党员满意率: the result changes at once.
    await page.selectOption(`${sheetSel(0)} select[data-col="N"]`, 'memberSatisfaction');
    await expect.poll(() => page.locator('#results-status').textContent()).toContain('重新评分');
    expect(await page.locator(`${sheetSel(0)} tr[data-col="N"] .conf`).textContent()).toBe('人工指定');
    const after = await villages(page, 0);
    expect(after.find((v) => v.row === 10)!.fail).toBe(7);
    const d10b = await details(page, 0, 10);
    expect(d10b.some((d) => d.cell === 'N10' && d.status === 'fail')).toBe(false);
    await shotTop(page, '#step-map', 'score-corrected', 1100);

    // The coloured copy: a new file; fills and notes on the scored cells; the officer's values untouched.
    const dl = await saveDownload(page, () => page.click('#download'));
    expect(dl.name).toBe('messy-excel-评分.xlsx');
    expect(await page.locator('#download-status').textContent()).toContain('原文件“messy-excel.xlsx”没有改动');
    const original = await loadXlsx(readFileSync(MESSY));
    const copy = await loadXlsx(dl.bytes);
    expect(copy.worksheets.map((w) => w.name)).toEqual([...original.worksheets.map((w) => w.name), '考评结果', '整改台账', '_kaoping']);
    for (const ws of original.worksheets) expect(values(copy.getWorksheet(ws.name)!), `工作表“${ws.name}”的值`).toEqual(values(ws));
    const ws = copy.getWorksheet('三季度汇总')!;
    expect(fillOf(ws.getCell('M8'))).toBe(STATUS_PALETTE.fail.argb);
    expect(noteOf(ws.getCell('M8'))).toContain('【未达标】基本标准第24条');
    expect(fillOf(ws.getCell('M6'))).toBe(STATUS_PALETTE.fail.argb); // 90㎡: 基本 met, 示范 (300㎡) not
    expect(noteOf(ws.getCell('M6'))).toContain('【达标】基本标准第24条');
    // The corrected mapping is what was scored: N10 (78%) now reads as 群众对党员满意率, which passes 70%.
    expect(fillOf(ws.getCell('N10'))).toBe(STATUS_PALETTE.pass.argb);
    expect(noteOf(ws.getCell('N10'))).toContain('示范标准第11条');
    expect(fillOf(ws.getCell('A6'))).toBeUndefined();
    const summary = copy.getWorksheet('考评结果')!;
    expect(String(summary.getCell('A2').value)).toContain('农村基层党组织建设基本标准与示范标准（默认）');
    // Nothing left the browser: no API call at all while signed out.
    expect(o.api).toEqual([]);
    await finish(o);
  });

  it('a GB18030 CSV with traditional headers: read, mapped, period chosen by the officer, scored; the copy holds the CSV’s text', async () => {
    const o = await openScore();
    const { page } = o;
    await chooseFile(page, GB18030);
    await page.locator('#step-map:not([hidden])').waitFor();
    expect(await page.locator('#file-info').textContent()).toContain('GB18030（GBK）');
    const s0 = page.locator(sheetSel(0));
    expect(await s0.locator('tr[data-col="B"] td').nth(1).textContent()).toContain('統計用區劃代碼');
    expect(await mappedValue(page, 0, 'B')).toBe('code');
    expect(await mappedValue(page, 0, 'E')).toBe('members');
    expect(await mappedValue(page, 0, 'G')).toBe('activityArea');
    expect(await mappedValue(page, 0, 'H')).toBe('collectiveIncome');
    expect(await mappedValue(page, 0, 'J')).toBe('');
    expect(await s0.locator('.period-label').textContent()).toBe('2026年第二季度');
    expect(await s0.locator('.where').textContent()).toContain('2026年第二季度');

    await page.click('#score-btn');
    await page.locator('#step-results:not([hidden])').waitFor();
    const rows = await villages(page, 0);
    expect(rows.map((v) => [v.row, v.name])).toEqual([
      [4, '後河村'],
      [5, '東坡村'],
      [6, '西嶺村'],
      [8, '北坡村'],
    ]);
    const d4 = await details(page, 0, 4);
    expect(d4.find((d) => d.cell === 'G4' && d.status === 'fail')?.text).toContain('基本标准第24条');
    const d6 = await details(page, 0, 6);
    expect(d6.find((d) => d.cell === 'F6' && d.status === 'fail')?.text).toContain('2026年第二季度应不少于3次');
    await shotTop(page, '#step-results', 'score-csv-results', 900);

    // The officer says the sheet is the whole year: 支部委员会 expects 12 meetings instead of 3.
    await page.selectOption(`${sheetSel(0)} .period-part`, '');
    await expect.poll(() => page.locator(`${sheetSel(0)} .period-label`).textContent()).toBe('2026年');
    expect(await page.locator(`${sheetSel(0)} .where`).textContent()).toBe('按您的选择');
    const d6b = await details(page, 0, 6);
    expect(d6b.find((d) => d.cell === 'F6' && d.status === 'fail')?.text).toContain('2026年应不少于12次');
    await page.click(`${sheetSel(0)} .period-pick button`);
    await expect.poll(() => page.locator(`${sheetSel(0)} .period-label`).textContent()).toBe('2026年第二季度');

    // A CSV is read and scored without ExcelJS; only the coloured copy loads it.
    expect(heavy(o.scripts)).toEqual([]);
    const dl = await saveDownload(page, () => page.click('#download'));
    expect(dl.name).toBe('gb18030-评分.xlsx');
    expect(heavy(o.scripts)).toHaveLength(1);
    const copy = await loadXlsx(dl.bytes);
    const ws = copy.getWorksheet('gb18030')!;
    const [grid] = await readWorkbook(new Uint8Array(readFileSync(GB18030)), 'gb18030.csv');
    grid!.rows.forEach((r, i) =>
      r.forEach((c, j) => {
        // XML normalises a line break inside a cell (CRLF in the CSV) to LF; the text is otherwise the same.
        if (c) expect(ws.getCell(i + 1, j + 1).value, c.address).toBe(typeof c.value === 'string' ? c.value.replace(/\r\n/g, '\n') : c.value);
      }),
    );
    expect(fillOf(ws.getCell('G4'))).toBe(STATUS_PALETTE.fail.argb);
    expect(noteOf(ws.getCell('G4'))).toContain('基本标准第24条');
    expect(fillOf(ws.getCell('G5'))).toBe(STATUS_PALETTE.fail.argb); // 110㎡: 示范标准 300㎡ not met
    expect(fillOf(ws.getCell('F5'))).toBe(STATUS_PALETTE.pass.argb);
    expect(o.api).toEqual([]);
    await finish(o);
  });

  it('a legacy .xls and an HTML table saved as .xls (GBK) are read, scored and coloured like the .xlsx they came from; the page says which formats it takes', async () => {
    const producers = join(FIXTURES, 'producers');
    const expected = new Map<string, string>();
    for (const [file, format] of [
      ['libreoffice.xls', 'Excel 97-2003 工作簿（.xls）'],
      ['export-gbk.xls', '网页（HTML）表格'],
    ] as const) {
      const o = await openScore();
      const { page } = o;
      expect(await page.locator('#formats').textContent()).toMatch(/\.xls.*\.ods.*Excel 2003 XML.*网页表格.*\.csv/);
      await chooseFile(page, join(producers, file));
      // An error would say why at once; otherwise the mapping step appears.
      await expect.poll(async () => (((await page.locator('#file-status').getAttribute('class')) ?? '').includes('status-error') ? await page.locator('#file-status').textContent() : 'ok'), { timeout: 60_000 }).toBe('ok');
      await page.locator('#step-map:not([hidden])').waitFor();
      await expect.poll(() => page.locator('#file-info').textContent()).toContain(file);
      expect(await page.locator('#file-info').textContent()).toContain('找到 1 张村级数据表');
      expect(await page.locator(`${sheetSel(0)} .period-label`).textContent()).toBe('2026年');
      await page.click('#score-btn');
      await page.locator('#step-results:not([hidden])').waitFor();
      const rows = await villages(page, 0);
      expect(rows).toHaveLength(14);
      // The same sheet in both formats: the same villages with the same counts by status.
      for (const v of rows) {
        const key = `${v.row}|${v.name}`;
        const seen = JSON.stringify(v);
        if (expected.has(key)) expect(seen, key).toBe(expected.get(key));
        else expected.set(key, seen);
      }
      const dl = await saveDownload(page, () => page.click('#download'));
      expect(dl.name).toBe(`${file.replace(/\.xls$/, '')}-评分.xlsx`);
      const copy = await loadXlsx(dl.bytes);
      const results: string[] = [];
      copy.getWorksheet('考评结果')!.eachRow((row) => row.eachCell((c) => results.push(String(c.value))));
      expect(results.join('\n')).toContain(`原文件是${format}，已按读取的单元格重新生成 .xlsx 工作簿后着色`);
      const failing = (await details(page, 0, rows[0]!.row)).find((d) => d.status === 'fail' && d.cell);
      expect(failing).toBeDefined();
      const ws = copy.worksheets.find((w) => w.name !== '考评结果' && w.name !== '整改台账' && w.state !== 'veryHidden')!;
      expect(fillOf(ws.getCell(failing!.cell!))).toBe(STATUS_PALETTE.fail.argb);
      await shotTop(page, '#step-results', `score-${file.replace('.', '-')}`, 900);
      await finish(o);
    }
  });

  it('a damaged .xls, a truncated xlsx and a file without a village table get plain Chinese errors; the file already read stays', async () => {
    const o = await openScore();
    const { page } = o;
    const xls = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(xls);
    await chooseFile(page, { name: '东风镇考评表.xls', mimeType: 'application/vnd.ms-excel', buffer: xls });
    expect(await page.locator('#file-status').getAttribute('class')).toContain('status-error');
    expect(await page.locator('#file-status').textContent()).toContain('无法读取“东风镇考评表.xls”：文件不是有效的 xls 工作簿');
    expect(await page.locator('#file-status').textContent()).toContain('另存为 .xlsx 再试');
    expect(await page.locator('#step-map').isHidden()).toBe(true);
    await shotTop(page, 'body', 'score-xls-error', 600);

    // Dropped on the page (drag-and-drop) rather than chosen.
    await page.evaluate(
      async ({ bytes, name }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'text/csv' }));
        document.querySelector('#dropzone')!.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        document.querySelector('#dropzone')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      { bytes: [...readFileSync(GB18030)], name: 'gb18030.csv' },
    );
    await page.locator('#step-map:not([hidden])').waitFor();
    expect(await page.locator('#file-info').textContent()).toContain('gb18030.csv');
    const truncated = readFileSync(MESSY).subarray(0, 3000);
    await chooseFile(page, { name: '截断.xlsx', mimeType: XLSX_MIME, buffer: truncated });
    const status = await page.locator('#file-status').textContent();
    expect(status).toContain('zip 结构损坏');
    expect(status).toContain('仍保留之前读取的“gb18030.csv”');
    expect(await page.locator('#file-info').textContent()).toContain('gb18030.csv');
    expect(await mappedValue(page, 0, 'G')).toBe('activityArea');

    await chooseFile(page, { name: '通知.csv', mimeType: 'text/csv', buffer: Buffer.from('关于开展考评工作的通知\n请各乡镇于月底前报送\n', 'utf8') });
    expect(await page.locator('#file-status').textContent()).toContain('没有找到村级数据表');
    expect(await page.locator('#file-info').textContent()).toContain('gb18030.csv');
    await finish(o);
  });

  it('signs in on the page as town1 without losing the file, scores by the county rulebook and submits; each row’s outcome is shown, a foreign row rejected with its cell and reason', async () => {
    const rb = defaultRulebook();
    const demo = demoCounty({ countyCode: '410999', name: '示例县', townships: 6 });
    const t = demo.townships[0]!;
    const stranger = demo.townships[1]!.villages[0]!;
    const period = makePeriod('quarter', 2026, 4);
    const rows = [...t.villages, stranger].map((v) => demoValues(rb, v, period, { messy: true }));
    const bytes = await demoWorkbook({ rulebook: rb, columns: demoColumns(rb), county: '示例县', township: t.name, period, rows });
    const strangerRow = 5 + t.villages.length; // title, 填报单位, two header rows

    const o = await openScore();
    const { page } = o;
    await chooseFile(page, { name: `${t.name}2026年第四季度.xlsx`, mimeType: XLSX_MIME, buffer: Buffer.from(bytes) });
    await page.locator('#step-map:not([hidden])').waitFor();
    expect(await page.locator(`${sheetSel(0)} .period-label`).textContent()).toBe('2026年第四季度');
    await page.click('#score-btn');
    await page.locator('#step-submit:not([hidden])').waitFor();
    expect(await page.locator('#submit-who').textContent()).toContain('上报需要登录');
    expect(await page.locator('#submit-form').isHidden()).toBe(true);
    expect(o.api).toEqual([]);

    // Sign in here (a wrong password first): the file, the mapping and the results stay.
    await page.click('#submit-signin');
    await page.fill('#signin-login', 'town1');
    await page.fill('#signin-password', 'wrong-password');
    await page.click('#signin-submit');
    await expect.poll(() => page.locator('#signin-error').textContent()).toContain('账号或密码不正确');
    await page.fill('#signin-password', PASSWORD);
    await page.screenshot({ path: join(ROOT, 'test/e2e/screenshots/score-signin.png') });
    await page.click('#signin-submit');
    await expect.poll(() => page.locator('#results-status').textContent()).toContain('已登录（东风镇组织委员）');
    expect(await page.locator('.top .who').textContent()).toContain('东风镇组织委员');
    expect(await page.locator('#rulebook').textContent()).toContain('示例县村党组织建设量化考评细则');
    expect(await page.locator('#rulebook').textContent()).toContain('县级考评细则第1版');
    expect(o.api).toContain('GET /api/county/rulebook?period=2026Q4');
    const scored = await villages(page, 0);
    expect(scored.map((v) => v.row)).toEqual([...t.villages.map((_, i) => 5 + i), strangerRow]);
    expect(await page.locator('#file-info').textContent()).toContain(`${t.name}2026年第四季度.xlsx`);
    // Under the county rulebook the points lost are explained item by item.
    const d5 = await details(page, 0, 5);
    expect(d5.length).toBeGreaterThan(0);
    const lost = page.locator(`${resultSel(0)} tr.detail-row[data-row="5"] details.deductions`);
    await lost.locator('summary').click();
    expect(await lost.locator('summary').textContent()).toMatch(/^得分明细：\d+ 项失分.*（总分 [\d.]+ \/ [\d.]+）$/);
    expect(await lost.locator('li').first().textContent()).toMatch(/^(基本|示范)标准第\d+条（.+）：得 [\d.]+ \/ [\d.]+ 分，/);
    await shotTop(page, '#step-results', 'score-county-results', 900);

    expect(await page.locator('#submit-unit').textContent()).toBe(`${t.name}（${t.code}）`);
    expect(await page.locator('#submit-warning').textContent()).toContain('有 1 行');
    const [res] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/api/submissions' && r.request().method() === 'POST'), page.click('#submit-btn')]);
    expect(res.status()).toBe(201);
    const sent = res.request().postDataJSON() as { period: string; townshipCode: string; source: string; rows: { row: number }[] };
    expect([sent.period, sent.townshipCode, sent.source, sent.rows.length]).toEqual(['2026Q4', t.code, 'browser', t.villages.length + 1]);
    await expect.poll(() => page.locator('#submit-status').textContent()).toContain(`上报完成：接收 ${t.villages.length} 行，退回 1 行`);
    const outcomes = await page.$$eval('#submit-results .outcome tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent?.trim() ?? '')));
    expect(outcomes).toHaveLength(t.villages.length + 1);
    expect(outcomes.filter((r) => r[3] === '接收')).toHaveLength(t.villages.length);
    const rejected = outcomes.find((r) => r[3] === '退回')!;
    expect(rejected[0]).toBe(String(strangerRow));
    expect(rejected[1]).toBe(stranger.code);
    expect(rejected[4]).toBe(`A${strangerRow}`);
    expect(rejected[5]).toContain(`不是本乡镇（${t.name}，${t.code}）的村`);
    expect(outcomes.find((r) => r[3] === '接收')![6]).toMatch(/^\d+(\.\d+)? \/ \d+(\.\d+)?$/);
    await shotTop(page, '#step-submit', 'score-submitted', 1200);

    // The county sees it, as rows sent from the suite.browser.
    const list = await page.request.get(`${suite.worker.url}/api/submissions?township=${t.code}&period=2026Q4`);
    const subs = ((await list.json()) as { submissions: { kind: string; rows: { accepted: number } }[] }).submissions;
    expect(subs.some((s) => s.kind === 'rows' && s.rows.accepted === t.villages.length)).toBe(true);

    // The same rows again: accepted once only.
    await page.click('#submit-btn');
    await expect.poll(() => page.locator('#submit-status').textContent()).toContain('此前已上报过');
    // The wrong password's 401 is logged by the suite.browser; nothing else.
    await finish(o, /status of 401/);
  });

  it('an admin (signed in already) scores by the county rulebook and picks the township, preset from the village codes', async () => {
    const rb = defaultRulebook();
    const demo = demoCounty({ countyCode: '410999', name: '示例县', townships: 6 });
    const t = demo.townships[2]!;
    const period = makePeriod('quarter', 2026, 3);
    const bytes = await demoWorkbook({ rulebook: rb, columns: demoColumns(rb), county: '示例县', township: t.name, period, rows: t.villages.map((v) => demoValues(rb, v, period)) });
    const page = await suite.browser.context.newPage();
    const seen = watch(page);
    await signIn(page, suite.worker.url, 'admin', '/score');
    expect(new URL(page.url()).pathname).toBe('/score');
    expect(await page.locator('.top .nav').isVisible()).toBe(true);
    await chooseFile(page, { name: `${t.name}.xlsx`, mimeType: XLSX_MIME, buffer: Buffer.from(bytes) });
    await page.locator('#step-map:not([hidden])').waitFor();
    await expect.poll(() => page.locator('#rulebook').textContent()).toContain('示例县村党组织建设量化考评细则');
    await page.click('#score-btn');
    await page.locator('#step-submit:not([hidden])').waitFor();
    await expect.poll(() => page.locator('#submit-township option').count()).toBe(demo.townships.length + 1);
    expect(await page.locator('#submit-township').inputValue()).toBe(t.code);
    expect(await page.locator('#submit-warning').count()).toBe(0);
    // Another township chosen: every row would be turned away, and the page says so before sending.
    await page.selectOption('#submit-township', demo.townships[0]!.code);
    expect(await page.locator('#submit-warning').textContent()).toContain(`有 ${t.villages.length} 行`);
    await shotTop(page, '#step-submit', 'score-admin-submit', 400);
    await shotTop(page, 'body', 'score-admin', 900);
    await page.close();
    expect(seen.problems).toEqual([]);
  });

  it('serves /score signed out (no menu, strict CSP) and signed in (the role’s menu)', async () => {
    const res = await fetch(`${suite.worker.url}/score`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const text = await res.text();
    expect(text).toContain('id="file"');
    expect(text).toContain('<script type="module" src="/assets/score.js"></script>');
    expect(text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(text).not.toContain('style=');
    expect(text).not.toContain('class="nav"');

    const login = await fetch(`${suite.worker.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: PASSWORD }) });
    const token = ((await login.json()) as { token: string }).token;
    const signed = await (await fetch(`${suite.worker.url}/score`, { headers: { Cookie: `kp_session=${token}` } })).text();
    expect(signed).toContain('class="nav"');
    expect(signed).toContain('data-role="admin"');
    expect(signed).toContain('县委组织部管理员');
  });
});

function rgb(hex: string): string {
  const n = parseInt(hex, 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
