// The province view in a real suite.browser (Debian Chromium via playwright-core) against the real Worker
// (`wrangler dev`, local D1/R2, the demo's two counties 示例县 410999 and 示例二县 410998): the province
// overview side by side at 1366 × 900 and 390 × 844 (no sideways scrolling), the county picker (a list,
// never a typed code), and opening a county's pages read-only. Screenshots go to test/e2e/screenshots/.
//
// Depends on: GET /api/province/counties, the county pages (/, /villages, /townships) with ?county=, and the
// demo loader (worker/demo.ts) adding the second county.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { settled, shot, signIn, watch } from './browser.ts';
import { demoSuite } from './suite.ts';


const ONE = { code: '410999', name: '示例县' };
const TWO = { code: '410998', name: '示例二县' };
/** Buttons a read-only page may show: the county picker, print, CSV download, the period/filters form. */
const READ_ONLY_BUTTONS = new Set(['查看', '打印', '导出 CSV', '打开']);

const suite = demoSuite();



async function open(login: string, size: { width: number; height: number }): Promise<{ page: Page; seen: ReturnType<typeof watch> }> {
  const page = await suite.browser.context.newPage();
  await page.setViewportSize(size);
  const seen = watch(page);
  await signIn(page, suite.worker.url, login);
  return { page, seen };
}

async function finish(page: Page, seen: ReturnType<typeof watch>): Promise<void> {
  await page.close();
  expect(seen.problems, '浏览器控制台错误或 CSP 违规').toEqual([]);
  expect(seen.dialogs, '页面不应弹出对话框').toEqual([]);
}

async function noSidewaysScroll(page: Page, what: string): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(scroll, `${what}: scrollWidth ${scroll} > innerWidth ${inner}`).toBeLessThanOrEqual(inner);
}

async function tableRows(page: Page): Promise<string[][]> {
  return page.$$eval('#table table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent?.trim() ?? '')));
}

interface ApiCounty {
  code: string;
  name: string;
  rates: { 达标: { percent: number } } | null;
  meanScore: number | null;
  weak: number;
  submissions: { received: number; expected: number };
}

/** No write action on a page a province account opens: only read-only buttons, no forms that post, no uploads. */
async function readOnly(page: Page, what: string): Promise<void> {
  const buttons = await page.$$eval('main button', (bs) => bs.filter((b) => (b as HTMLElement).offsetParent !== null || b.closest('dialog')).map((b) => b.textContent?.trim() ?? ''));
  for (const b of buttons) expect(READ_ONLY_BUTTONS.has(b), `${what}: 按钮“${b}”`).toBe(true);
  expect(await page.locator('main form[method="post"], main input[type="file"], main dialog, main textarea').count(), what).toBe(0);
}

describe('province view (browser, real Worker)', () => {
  it('province overview: both counties side by side at 1366 × 900, numbers as the API gives them', async () => {
    const { page, seen } = await open('province', { width: 1366, height: 900 });
    // A province account lands on the province overview; its menu shows it first.
    expect(new URL(page.url()).pathname).toBe('/province');
    expect(await page.locator('nav.nav a').first().textContent()).toBe('全省各县');
    expect(await settled(page)).not.toMatch(/status-error|status-empty/);
    await page.waitForSelector('#table table tbody tr');
    const api = (await (await page.request.get(`${suite.worker.url}/api/province/counties`)).json()) as { period: string; counties: ApiCounty[] };
    expect(await page.locator('#period').inputValue()).toBe(api.period);
    const rows = await tableRows(page);
    expect(rows.map((r) => r[0])).toEqual([TWO.name, ONE.name]);
    expect(rows.map((r) => r[1])).toEqual([TWO.code, ONE.code]);
    const head = await page.$$eval('#table thead th', (ths) => ths.map((t) => t.textContent?.trim() ?? ''));
    const col = (label: string) => head.indexOf(label);
    for (const [i, c] of api.counties.entries()) {
      expect(rows[i]![col('达标率')]).toBe(`${c.rates!.达标.percent.toFixed(1)}%`);
      expect(Number(rows[i]![col('均分')])).toBe(c.meanScore);
      expect(rows[i]![col('软弱涣散')]).toBe(String(c.weak));
      expect(rows[i]![col('已报/应报')]).toBe(`${c.submissions.received} / ${c.submissions.expected}`);
    }
    // The two counties differ (the demo's second county is weaker).
    expect(api.counties[0]!.meanScore!).toBeLessThan(api.counties[1]!.meanScore!);
    expect(await page.locator('#chart-rates canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-mean canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#cards .card').count()).toBe(4);
    // No typed county code anywhere.
    expect(await page.locator('input[name="county"]').count()).toBe(0);
    await noSidewaysScroll(page, '1366');
    await shot(page, 'province-overview-1366');
    // An earlier quarter: the table follows.
    const earlier = (await page.$$eval('#period option', (os) => os.map((o) => (o as HTMLOptionElement).value)))[1]!;
    await page.selectOption('#period', earlier);
    await page.waitForFunction((p) => new URL(location.href).searchParams.get('period') === p, earlier);
    await settled(page);
    const apiEarlier = (await (await page.request.get(`${suite.worker.url}/api/province/counties?period=${earlier}`)).json()) as { counties: ApiCounty[] };
    await page.waitForFunction((want) => document.querySelector('#table tbody tr td:nth-child(8)')?.textContent?.trim() === want, String(apiEarlier.counties[0]!.meanScore));
    await finish(page, seen);
  });

  it('province overview at 390 × 844: no sideways scrolling', async () => {
    const { page, seen } = await open('province', { width: 390, height: 844 });
    await settled(page);
    await page.waitForSelector('#table table tbody tr');
    expect((await tableRows(page)).length).toBe(2);
    await noSidewaysScroll(page, '390');
    await shot(page, 'province-overview-390');
    // A county opened from it, with the picker above: no sideways scrolling either (tables scroll in their box).
    for (const path of ['/', '/villages', '/townships']) {
      await page.goto(`${suite.worker.url}${path}?county=${TWO.code}`);
      expect(await settled(page), path).not.toMatch(/status-error/);
      await page.waitForSelector(path === '/' ? '#cards .card' : '#table table tbody tr');
      await noSidewaysScroll(page, `390 ${path}`);
    }
    await shot(page, 'province-county-townships-390');
    await finish(page, seen);
  });

  it('the county picker: a list of the province’s counties, never a typed code', async () => {
    const { page, seen } = await open('province', { width: 1366, height: 900 });
    await settled(page);
    const choices = await page.$$eval('#open-county option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(choices).toEqual([TWO.code, ONE.code]);
    await Promise.all([page.waitForURL((u) => u.pathname === '/' && u.searchParams.get('county') === TWO.code), page.selectOption('#open-county', TWO.code)]);
    await settled(page);
    // On every county page the picker is a <select> of the province's counties, the open one selected.
    expect(await page.locator('input[name="county"]').count()).toBe(0);
    const pick = await page.$$eval('#county-pick option', (os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent?.trim(), selected: (o as HTMLOptionElement).selected })));
    expect(pick.filter((o) => o.value).map((o) => o.text)).toEqual([`${TWO.name}（${TWO.code}）`, `${ONE.name}（${ONE.code}）`]);
    expect(pick.find((o) => o.selected)?.value).toBe(TWO.code);
    await shot(page, 'province-picker');
    // Switching county from the picker.
    await Promise.all([page.waitForURL((u) => u.searchParams.get('county') === ONE.code), page.selectOption('#county-pick', ONE.code)]);
    expect(new URL(page.url()).pathname).toBe('/');
    await settled(page);
    expect(await page.locator('#cards .card').first().textContent()).toContain('6');
    await finish(page, seen);
  });

  it('opening a county: its pages, read-only, with that county’s data', async () => {
    const { page, seen } = await open('province', { width: 1366, height: 900 });
    await settled(page);
    await Promise.all([page.waitForURL((u) => u.pathname === '/' && u.searchParams.get('county') === TWO.code), page.click(`#table a.open-county[href="/?county=${TWO.code}"]`)]);
    expect(await settled(page)).not.toMatch(/status-error/);
    await page.waitForSelector('#cards .card');
    // 示例二县 has three townships.
    expect(await page.locator('#cards .card').first().locator('.card-value').textContent()).toBe('3');
    await readOnly(page, '总览');
    await shot(page, 'province-county-overview');
    // The menu keeps the county.
    const links = await page.$$eval('nav.nav a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['/province?county=410998', '/?county=410998', '/villages?county=410998', '/townships?county=410998', '/audit?county=410998']);
    for (const path of ['/villages', '/townships']) {
      await page.goto(`${suite.worker.url}${path}?county=${TWO.code}`);
      expect(await settled(page), path).not.toMatch(/status-error|status-empty/);
      await page.waitForSelector('#table table tbody tr');
      const county = (await (await page.request.get(`${suite.worker.url}/api/county?county=${TWO.code}`)).json()) as { townships: { code: string }[]; villages: { code: string }[] };
      const rows = await page.locator('#table table tbody tr').count();
      expect(rows, path).toBe(path === '/villages' ? county.villages.length : county.townships.length);
      await readOnly(page, path);
      await shot(page, `province-county${path.replace('/', '-')}`);
    }
    // Pages with write actions stay closed to a province account.
    for (const path of ['/ledger', '/observations', '/allocations', '/submissions', '/accounts']) {
      const res = await page.request.get(`${suite.worker.url}${path}?county=${TWO.code}`, { maxRedirects: 0 });
      expect(res.status(), path).toBe(403);
    }
    await finish(page, seen);
  });
});
