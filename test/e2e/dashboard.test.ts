// The county dashboard in a real suite.browser (Debian Chromium via playwright-core) against the real Worker
// (`wrangler dev`, local D1/R2, the demo county). Screenshots go to test/e2e/screenshots/ (gitignored).
//
// Depends on these API routes (docs/api.md): auth, county, rankings (villages, townships, periods, trend),
// ledger (list, notes, close), observations (rounds, scores), allocations (preview, save, list, one, exports),
// submissions (list, one) — and on the demo activity (four quarters of submissions) being loaded.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, settled, shot, shotTop, signIn, watch } from './browser.ts';
import { demoSuite } from './suite.ts';

import { demoColumns, demoCounty, demoValues } from '../../shared/demo/generate.ts';
import { demoWorkbook } from '../../shared/demo/workbook.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { makePeriod } from '../../shared/scoring/period.ts';

const XSS = '<img src=x onerror=alert(1)>';
const T1 = { code: '410999100', name: '东风镇' };
const T2 = { code: '410999101', name: '红旗镇' };

const suite = demoSuite();



/** A fresh tab signed in as `login`, watching for script errors, CSP violations and dialogs. */
async function open(login: string, path?: string): Promise<{ page: Page; seen: ReturnType<typeof watch> }> {
  const page = await suite.browser.context.newPage();
  const seen = watch(page);
  await signIn(page, suite.worker.url, login);
  if (path) {
    await page.goto(suite.worker.url + path);
    await settled(page);
  }
  return { page, seen };
}

async function finish(page: Page, seen: ReturnType<typeof watch>): Promise<void> {
  await page.close();
  expect(seen.problems, '浏览器控制台错误或 CSP 违规').toEqual([]);
  expect(seen.dialogs, '页面不应弹出对话框（XSS）').toEqual([]);
}

async function columnTexts(page: Page, tableSel: string, header: string): Promise<string[]> {
  return page.evaluate(
    ({ tableSel, header }) => {
      const table = document.querySelector(`${tableSel} table`);
      if (!table) return [];
      const idx = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent?.trim() === header);
      if (idx < 0) throw new Error(`no column ${header}`);
      return [...table.querySelectorAll('tbody tr')].map((tr) => tr.children[idx]?.textContent?.trim() ?? '');
    },
    { tableSel, header },
  );
}

async function apiJson(page: Page, path: string): Promise<{ status: number; body: any }> {
  const res = await page.request.get(suite.worker.url + path);
  return { status: res.status(), body: await res.json() };
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

const yuan = (s: string) => Number(s.replace(/[,，\s元]/g, ''));

describe('county dashboard (browser, real Worker)', () => {
  it('sign-in: a wrong password shows the API message; a page asked for first comes back after sign-in', async () => {
    const page = await suite.browser.context.newPage();
    const seen = watch(page);
    await page.context().clearCookies();
    await page.goto(`${suite.worker.url}/townships`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/townships');
    await page.fill('#login', 'county');
    await page.fill('#password', 'wrong-password');
    await page.click('#login-submit');
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('账号或密码不正确');
    await shot(page, 'login-error');
    await page.fill('#password', 'demo2026');
    await Promise.all([page.waitForURL((u) => u.pathname === '/townships'), page.click('#login-submit')]);
    await settled(page);
    // Console errors on this page are the 401 of the wrong password (expected), nothing else.
    expect(seen.problems.filter((p) => !p.includes('401'))).toEqual([]);
    await page.close();
  });

  it('county staff: overview with township ranking, rates against 80%/90% and trend charts', async () => {
    const { page, seen } = await open('county');
    expect(new URL(page.url()).pathname).toBe('/');
    await settled(page);
    await page.locator('#chart-rank canvas').waitFor();
    await page.locator('#chart-rates canvas').waitFor();
    await settled(page, '#trend-status');
    await page.locator('#chart-trend canvas').waitFor();
    expect(await page.locator('#cards .card').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#cards').textContent()).toContain('达标率达到 80%');
    const nav = await page.locator('nav.nav a').allTextContents();
    expect(nav).toEqual(['总览', '村级排名', '乡镇排名', '整改台账', '观摩评议', '以奖代补', '上报记录', '区划调整']);
    await page.waitForTimeout(300);
    await shot(page, 'overview');
    await finish(page, seen);
  });

  it('county staff: village ranking table and chart; the township filter narrows both', async () => {
    const { page, seen } = await open('county', '/villages');
    const periods = (await apiJson(page, '/api/rankings/periods')).body;
    const latest: string = periods.periods.find((p: { kind: string }) => p.kind === 'quarter').period;
    expect(await page.locator('#period').inputValue()).toBe(latest);
    await page.locator('#chart canvas').waitFor();
    const all = await page.locator('#table tbody tr').count();
    const api = (await apiJson(page, `/api/rankings/villages?period=${latest}`)).body;
    expect(all).toBe(api.villages.length);
    expect(new Set(await columnTexts(page, '#table', '乡镇')).size).toBeGreaterThan(1);
    await shot(page, 'villages-all');

    await Promise.all([page.waitForResponse((r) => r.url().includes(`township=${T2.code}`)), page.selectOption('#township', T2.code)]);
    await settled(page);
    expect(new URL(page.url()).searchParams.get('township')).toBe(T2.code);
    const towns = await columnTexts(page, '#table', '乡镇');
    const mine = api.villages.filter((v: { township: string }) => v.township === T2.code);
    expect(towns.length).toBe(mine.length);
    expect(new Set(towns)).toEqual(new Set([T2.name]));
    // Ranks within the township, best first; the chart lists the same villages.
    const ranks = (await columnTexts(page, '#table', '名次')).map((r) => Number(r.split('/')[0]));
    expect(ranks[0]).toBe(1);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    await page.locator('#chart canvas').waitFor();
    expect(await page.locator('#summary').textContent()).toContain(T2.name);

    // 后进 only: every row shown is in that group.
    await page.selectOption('#group', '后进');
    const groups = await columnTexts(page, '#table', '分组');
    expect(groups.length).toBeGreaterThan(0);
    expect(new Set(groups)).toEqual(new Set(['后进']));
    await page.selectOption('#group', '');
    await shot(page, 'villages-township');

    // Printable: controls hidden, data kept.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#filters').isVisible()).toBe(false);
    expect(await page.locator('#table tbody tr').first().isVisible()).toBe(true);
    await shot(page, 'villages-print');
    await page.emulateMedia({ media: 'screen' });
    await finish(page, seen);
  });

  it('county staff: township ranking with rates and movement', async () => {
    const { page, seen } = await open('county', '/townships');
    await page.locator('#chart canvas').waitFor();
    const names = await columnTexts(page, '#table', '乡镇');
    const county = (await apiJson(page, '/api/county')).body;
    expect(names.length).toBe(county.townships.length);
    const ranks = (await columnTexts(page, '#table', '名次')).map((r) => Number(r.split('/')[0]));
    expect(ranks[0]).toBe(1);
    expect((await columnTexts(page, '#table', '达标率')).every((r) => /^\d+(\.\d)?%$/.test(r))).toBe(true);
    await shot(page, 'townships');
    await finish(page, seen);
  });

  it('county staff: ledger — overdue filter, a note (stored as text), closing with a reason', async () => {
    const { page, seen } = await open('county', `/ledger?township=${T1.code}`);
    const rows = page.locator('#table tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(new Set(await columnTexts(page, '#table', '乡镇'))).toEqual(new Set([T1.name]));

    await Promise.all([page.waitForResponse((r) => r.url().includes('overdue=1')), page.check('#overdue')]);
    await settled(page);
    const states = await columnTexts(page, '#table', '状态');
    expect(new Set(states).size).toBeLessThanOrEqual(1);
    if (states.length) expect(states[0]).toBe('逾期');
    await page.uncheck('#overdue');
    await settled(page);

    // A note with markup in it: stays text.
    const first = rows.first();
    const village = (await first.locator('td').first().textContent()) ?? '';
    await first.locator('button[data-act="note"]').click();
    await page.fill('#dialog-text', `已督促整改 ${XSS}`);
    await page.screenshot({ path: `${SCREENSHOTS}/ledger-dialog.png` });
    await page.click('#dialog-ok');
    await expect.poll(() => page.locator('#status').textContent()).toContain('保存备注');
    await expect.poll(() => page.locator('#table tbody tr').first().textContent()).toContain(XSS);
    expect(await page.locator('#table img').count()).toBe(0);

    // Close it with a reason: it leaves the open list and shows under 已销号.
    await page.locator('#table tbody tr').first().locator('button[data-act="close"]').click();
    await page.fill('#dialog-text', '已现场核查，整改到位');
    await page.click('#dialog-ok');
    // The list is loaded again, then the status line says what was done.
    await expect.poll(() => page.locator('#status').textContent()).toContain('已销号');
    expect(await page.locator('#table tbody').textContent()).not.toContain('已现场核查，整改到位');
    await Promise.all([page.waitForResponse((r) => r.url().includes('status=closed')), page.selectOption('#status-filter', 'closed')]);
    await settled(page);
    const closed = await page.locator('#table tbody').textContent();
    expect(closed).toContain('已现场核查，整改到位');
    expect(closed).toContain(village.replace(/\d{12}$/, ''));
    await shotTop(page, 'main', 'ledger-closed');
    await finish(page, seen);
  });

  it('county staff: an observation round — three observers, the highest and lowest dropped', async () => {
    const { page, seen } = await open('county', '/observations');
    await page.selectOption('#round-level', 'township');
    const period = await page.locator('#round-period').inputValue();
    expect(period).toMatch(/^\d{4}H[12]$/);
    await page.fill('#round-title', `E2E 观摩 ${XSS}`);
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/observations/rounds') && r.request().method() === 'POST'), page.click('#round-form button[type="submit"]')]);
    await settled(page);
    const round = page.locator('section.round').filter({ hasText: 'E2E 观摩' }).first();
    await round.waitFor();
    expect(await round.locator('h2').textContent()).toBe(`E2E 观摩 ${XSS}`);
    expect(await page.locator('main img').count()).toBe(0);

    // T1: 80, 90, 70 → drop 90 and 70 → 80. T2: 85, 95 → two observers, mean 90.
    const scores: [string, number | null, number | null][] = [
      ['评委甲', 80, 85],
      ['评委乙', 90, 95],
      ['评委丙', 70, null],
    ];
    for (const [observer, a, b] of scores) {
      const form = page.locator('section.round').filter({ hasText: 'E2E 观摩' }).first().locator('form.entry');
      await form.locator('input.observer').fill(observer);
      if (a !== null) await form.locator(`input[data-unit="${T1.code}"]`).fill(String(a));
      if (b !== null) await form.locator(`input[data-unit="${T2.code}"]`).fill(String(b));
      await form.locator('button[type="submit"]').click();
      // The round is drawn again with the new scores; its form then says what was saved.
      await page.locator('section.round').filter({ hasText: 'E2E 观摩' }).first().locator('form.entry .status-info', { hasText: observer }).waitFor();
    }
    const table = page.locator('section.round').filter({ hasText: 'E2E 观摩' }).first().locator('table');
    const row1 = table.locator('tbody tr').filter({ hasText: T1.name });
    const row2 = table.locator('tbody tr').filter({ hasText: T2.name });
    expect(await row1.locator('td').last().textContent()).toBe('80');
    expect(await row2.locator('td').last().textContent()).toBe('90');
    expect(await row1.locator('td.dropped').allTextContents()).toEqual(expect.arrayContaining(['90', '70']));
    expect(await row2.locator('td.dropped').count()).toBe(0);
    expect(await page.locator('#rule').textContent()).toContain('去掉一个最高分和一个最低分');
    await shot(page, 'observations');
    await finish(page, seen);
  });

  it('finance: allocation preview explained row by row, saved as a version, .xlsx and .csv downloads', async () => {
    const { page, seen } = await open('finance');
    expect(new URL(page.url()).pathname).toBe('/allocations');
    await settled(page);
    const nav = await page.locator('nav.nav a').allTextContents();
    expect(nav).toEqual(['总览', '村级排名', '乡镇排名', '以奖代补']);
    await page.selectOption('#level', 'village');
    // Fixed tiers over a budget too small for them: the API's message, in place.
    await page.selectOption('#method', 'tiers');
    await page.fill('#budget', '10000');
    await Promise.all([page.waitForResponse((r) => r.url().includes('/api/allocations/preview')), page.click('#preview-btn')]);
    await expect.poll(() => page.locator('#status').getAttribute('class')).toContain('status-error');
    expect((await page.locator('#status').textContent())!.length).toBeGreaterThan(4);
    expect(await page.locator('#preview').isVisible()).toBe(false);
    await shot(page, 'allocations-error');
    seen.problems.splice(0, seen.problems.length, ...seen.problems.filter((p) => !/status of 4(00|22)/.test(p)));
    await page.selectOption('#method', 'proportional');
    await page.fill('#budget', '100000');
    await page.selectOption('#rounding', '10');
    await Promise.all([page.waitForResponse((r) => r.url().includes('/api/allocations/preview')), page.click('#preview-btn')]);
    await page.locator('#preview').waitFor();
    const codes = await page.locator('#preview-table tbody tr .code').allTextContents();
    const amounts = (await columnTexts(page, '#preview-table', '金额（元）')).map(yuan);
    const explanations = await columnTexts(page, '#preview-table', '计算说明');
    expect(codes.length).toBeGreaterThan(10);
    expect(explanations.every((e) => e.length > 5)).toBe(true);
    expect(amounts.every((a) => a % 10 === 0)).toBe(true);
    const cards = await page.locator('#preview-cards .card-value').allTextContents();
    const [budget, allocated, balance] = cards.map(yuan);
    expect(budget).toBe(100000);
    expect(amounts.reduce((a, b) => a + b, 0)).toBe(allocated);
    expect(allocated! + balance!).toBe(100000);
    await shot(page, 'allocations-preview');
    await shotTop(page, '#preview', 'allocations-preview-top');

    await page.fill('#save-title', `E2E 以奖代补 ${XSS}`);
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/allocations') && r.request().method() === 'POST'), page.click('#save-btn')]);
    await expect.poll(() => page.locator('#save-status').textContent()).toMatch(/已保存为第 \d+ 版/);
    await page.locator('#detail').waitFor();
    const savedRow = page.locator('#saved tbody tr').filter({ hasText: 'E2E 以奖代补' }).first();
    expect(await savedRow.locator('td').nth(1).textContent()).toBe(`E2E 以奖代补 ${XSS}`);
    expect(await page.locator('main img').count()).toBe(0);
    await shot(page, 'allocations-saved');
    await shotTop(page, '#saved', 'allocations-saved-list', 400);
    await shotTop(page, '#detail', 'allocations-detail-top', 700);

    // .xlsx: a zip whose sheet lists the same units and amounts.
    const [xlsxDl] = await Promise.all([page.waitForEvent('download'), savedRow.locator('a[data-export="xlsx"]').click()]);
    const xlsx = readFileSync((await xlsxDl.path())!);
    expect(xlsx.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(xlsxDl.suggestedFilename()).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header: string[] = [];
    let headerRow = 0;
    ws.eachRow((row, n) => {
      const vals = (row.values as unknown[]).map((v) => String(v ?? ''));
      if (!headerRow && vals.includes('区划代码')) {
        headerRow = n;
        header.push(...vals);
      }
    });
    expect(headerRow).toBeGreaterThan(0);
    const codeCol = header.indexOf('区划代码');
    const amountCol = header.indexOf('金额（元）');
    const fromXlsx = new Map<string, number>();
    ws.eachRow((row, n) => {
      const code = String(row.getCell(codeCol).value ?? '');
      if (n > headerRow && /^\d{12}$/.test(code)) fromXlsx.set(code, Number(row.getCell(amountCol).value));
    });
    expect(fromXlsx.size).toBe(codes.length);
    codes.forEach((c, i) => expect(fromXlsx.get(c), c).toBe(amounts[i]));
    expect(String(ws.getCell(1, 1).value)).toBe(`E2E 以奖代补 ${XSS}`);

    // .csv: UTF-8 with BOM, the same rows, then 合计 / 预算 / 结余.
    const [csvDl] = await Promise.all([page.waitForEvent('download'), savedRow.locator('a[data-export="csv"]').click()]);
    const csvText = readFileSync((await csvDl.path())!, 'utf8');
    expect(csvText.charCodeAt(0)).toBe(0xfeff);
    const csv = parseCsv(csvText.slice(1)).filter((r) => r.some((c) => c !== ''));
    const h = csv[0]!;
    const cc = h.indexOf('区划代码');
    const ac = h.indexOf('金额（元）');
    const dataRows = csv.slice(1).filter((r) => /^\d{12}$/.test(r[cc] ?? ''));
    expect(dataRows.length).toBe(codes.length);
    codes.forEach((c, i) => expect(Number(dataRows.find((r) => r[cc] === c)?.[ac]), c).toBe(amounts[i]));
    expect(csv.find((r) => r[0] === '结余')?.[ac]).toBe(String(balance));
    await finish(page, seen);
  });

  it('a township officer sees only their own township', async () => {
    const { page, seen } = await open('town1');
    expect(new URL(page.url()).pathname).toBe('/villages');
    await settled(page);
    expect(await page.locator('nav.nav a').allTextContents()).toEqual(['村级排名', '整改台账', '上报记录', '网页评分']);
    expect(await page.locator('#township').isDisabled()).toBe(true);
    expect(await page.locator('#township option').allTextContents()).toEqual([T1.name]);
    const towns = await columnTexts(page, '#table', '乡镇');
    expect(towns.length).toBeGreaterThan(0);
    expect(new Set(towns)).toEqual(new Set([T1.name]));
    await shot(page, 'township-villages');

    // Other townships: refused by the API, and pages for county roles are refused with a message.
    expect((await apiJson(page, `/api/rankings/villages?period=${await page.locator('#period').inputValue()}&township=${T2.code}`)).status).toBe(403);
    expect((await apiJson(page, '/api/rankings/townships?period=2026H1')).status).toBe(403);
    const ledger = (await apiJson(page, '/api/ledger')).body;
    expect(ledger.items.every((i: { township: { code: string } }) => i.township.code === T1.code)).toBe(true);
    const res = await page.goto(`${suite.worker.url}/townships`);
    expect(res?.status()).toBe(403);
    expect(await page.locator('main .status-error').textContent()).toContain('乡镇干部');
    await shot(page, 'township-forbidden');
    // The suite.browser logs that 403 page load; that one is expected.
    seen.problems.splice(0, seen.problems.length, ...seen.problems.filter((p) => !p.includes('status of 403')));
    await page.goto(`${suite.worker.url}/ledger`);
    await settled(page);
    expect(new Set(await columnTexts(page, '#table', '乡镇'))).toEqual(new Set([T1.name]));
    expect(await page.locator('button[data-act="close"]').count()).toBe(0);
    await finish(page, seen);
  });

  it('XSS probe: a village named <img src=x onerror=alert(1)> shows as text', async () => {
    const code = `${T1.code}200`;
    suite.worker.sql(`UPDATE villages SET name = '${XSS}' WHERE code = '${code}'`);
    suite.worker.sql(`UPDATE village_results SET name = '${XSS}' WHERE village_code = '${code}'`);
    suite.worker.sql(`UPDATE ledger_items SET village_name = '${XSS}' WHERE village_code = '${code}'`);
    const { page, seen } = await open('county', `/villages?township=${T1.code}`);
    await page.locator('#chart canvas').waitFor();
    const names = await columnTexts(page, '#table', '村');
    expect(names).toContain(XSS);
    expect(await page.locator('main img').count()).toBe(0);
    await shot(page, 'xss-villages');
    await page.goto(`${suite.worker.url}/ledger?township=${T1.code}&status=all`);
    await settled(page);
    expect(await page.locator('#table tbody').textContent()).toContain(XSS);
    expect(await page.locator('main img').count()).toBe(0);
    await finish(page, seen);
  });

  it('submissions: the list and one submission’s row outcomes', async () => {
    const { page, seen } = await open('county', `/submissions?township=${T2.code}`);
    const rows = page.locator('#table tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(new Set(await columnTexts(page, '#table', '乡镇'))).toEqual(new Set([T2.name]));
    await rows.first().locator('button', { hasText: '明细' }).click();
    await page.locator('#detail').waitFor();
    expect(await page.locator('#detail-table tbody tr').count()).toBeGreaterThan(0);
    await shot(page, 'submissions');
    await finish(page, seen);
  });

  it('an expired session on a page sends the user to sign in and back', async () => {
    const { page, seen } = await open('county', '/villages');
    await page.context().clearCookies();
    await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.selectOption('#township', T2.code)]);
    expect(new URL(page.url()).searchParams.get('next')).toContain('/villages');
    await page.close();
    // The 401 itself is logged by the suite.browser; nothing else.
    expect(seen.problems.filter((p) => !p.includes('401'))).toEqual([]);
  });

  // Last: it adds a quarter to the demo data.
  it('a township officer uploads a workbook on the page; the county sees it', async () => {
    const rb = defaultRulebook();
    const demo = demoCounty({ countyCode: '410999', name: '示例县', townships: 6 });
    const t = demo.townships.find((x) => x.code === T1.code)!;
    const period = makePeriod('quarter', 2026, 4);
    const bytes = await demoWorkbook({ rulebook: rb, columns: demoColumns(rb), county: '示例县', township: t.name, period, rows: t.villages.map((v) => demoValues(rb, v, period, { messy: true })) });
    const { page, seen } = await open('town1', '/submissions');
    await page.setInputFiles('#upload-file', { name: `${t.name}2026年第四季度.xlsx`, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(bytes) });
    await page.fill('#upload-period', '2026Q4');
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/submissions/file')), page.click('#upload-form button[type="submit"]')]);
    await expect.poll(() => page.locator('#upload-status').textContent()).toContain(`接收 ${t.villages.length} 行`);
    await page.locator('#detail').waitFor();
    expect(await page.locator('#detail-table tbody tr').count()).toBe(t.villages.length);
    await shot(page, 'submissions-upload');
    await page.close();
    expect(seen.problems).toEqual([]);

    const county = await open('county', `/submissions?township=${T1.code}&period=2026Q4`);
    expect(await columnTexts(county.page, '#table', '文件')).toEqual([`${t.name}2026年第四季度.xlsx`]);
    await finish(county.page, county.seen);
  });
});

describe('dashboard pages over HTTP (no browser)', () => {
  const PAGES = ['/', '/villages', '/townships', '/ledger', '/observations', '/allocations', '/submissions'];

  async function session(login: string): Promise<string> {
    const res = await fetch(`${suite.worker.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password: 'demo2026' }) });
    expect(res.status).toBe(200);
    return `kp_session=${((await res.json()) as { token: string }).token}`;
  }

  it('pages need a session: without one they redirect to /login with the page to come back to', async () => {
    for (const p of PAGES) {
      const res = await fetch(`${suite.worker.url}${p}?period=2026Q3`, { redirect: 'manual' });
      expect(res.status, p).toBe(302);
      expect(res.headers.get('location'), p).toBe(`/login?next=${encodeURIComponent(`${p}?period=2026Q3`)}`);
    }
  });

  it('every page: strict CSP, no inline scripts or style attributes, one page script, no caching', async () => {
    const cookie = await session('admin');
    for (const p of PAGES) {
      const res = await fetch(suite.worker.url + p, { headers: { cookie }, redirect: 'manual' });
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-security-policy'), p).toContain("script-src 'self'");
      expect(res.headers.get('content-security-policy'), p).toContain("style-src 'self'");
      expect(res.headers.get('cache-control'), p).toBe('no-store');
      const html = await res.text();
      expect(html.startsWith('<!DOCTYPE html>'), p).toBe(true);
      expect(html, p).toContain('<html lang="zh-CN">');
      expect(html.match(/<script\b[^>]*>/g), p).toEqual([expect.stringMatching(/^<script type="module" src="\/assets\/[a-z]+\.js"><\/?script>?$|^<script type="module" src="\/assets\/[a-z]+\.js">$/)]);
      expect(html, p).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
      const script = /src="(\/assets\/[a-z]+\.js)"/.exec(html)![1]!;
      const js = await fetch(suite.worker.url + script);
      expect(js.status, script).toBe(200);
      expect(js.headers.get('content-type'), script).toMatch(/javascript/);
    }
    const css = await fetch(`${suite.worker.url}/app.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    expect((await fetch(`${suite.worker.url}/assets/nothing-here.js`)).status).toBe(404);
  });

  it('the menu follows the role; pages outside it answer 403 with a message', async () => {
    const expected: Record<string, string[]> = {
      admin: PAGES,
      county: PAGES,
      finance: ['/', '/villages', '/townships', '/allocations'],
      province: ['/', '/villages', '/townships'],
      town1: ['/villages', '/ledger', '/submissions'],
    };
    for (const [login, allowed] of Object.entries(expected)) {
      const cookie = await session(login);
      for (const p of PAGES) {
        const res = await fetch(suite.worker.url + p, { headers: { cookie }, redirect: 'manual' });
        const html = await res.text();
        if (login === 'town1' && p === '/') expect(res.status, `${login} ${p}`).toBe(302);
        else expect(res.status, `${login} ${p}`).toBe(allowed.includes(p) ? 200 : 403);
        if (res.status === 200) {
          const nav = [...html.matchAll(/<a href="([^"?]+)[^"]*"(?: aria-current="page")?>/g)].map((m) => m[1]).filter((h) => PAGES.includes(h!));
          expect(nav, `${login} menu`).toEqual(allowed);
        }
      }
    }
  });

  it('sign-in without the page script (form post) works and never redirects off the site', async () => {
    const form = (next: string) => new URLSearchParams({ login: 'county', password: 'demo2026', next });
    for (const [next, want] of [
      ['/townships?period=2026H1', '/townships?period=2026H1'],
      ['//evil.example/x', '/'],
      ['https://evil.example/', '/'],
      ['/\\evil.example', '/'],
    ]) {
      const res = await fetch(`${suite.worker.url}/login`, { method: 'POST', body: form(next!), redirect: 'manual', headers: { Origin: suite.worker.url } });
      expect(res.status, next).toBe(303);
      expect(res.headers.get('location'), next).toBe(want);
      expect(res.headers.get('set-cookie'), next).toMatch(/kp_session=[A-Za-z0-9_-]+;.*HttpOnly/i);
    }
    const bad = await fetch(`${suite.worker.url}/login`, { method: 'POST', body: new URLSearchParams({ login: 'county', password: 'nope' }), redirect: 'manual' });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('账号或密码不正确');
    const cross = await fetch(`${suite.worker.url}/login`, { method: 'POST', body: form('/'), redirect: 'manual', headers: { Origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
  });
});

