// 账号管理 in Chromium on a 390 px wide phone screen: the county admin of the demo county creates a township
// officer on /accounts (the one-time password shown once), the officer signs in with it, is sent to 修改密码,
// sets a password of their own and is let in. No page scrolls sideways at 390 px.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, shot, watch } from './browser.ts';
import { demoSuite } from './suite.ts';


const suite = demoSuite();



async function login(page: Page, user: string, password: string): Promise<void> {
  // Leave the signed-in page first: its script, finding the session gone, would navigate to /login itself and
  // abort this navigation (net::ERR_ABORTED).
  await page.goto('about:blank');
  await page.context().clearCookies();
  await page.goto(`${suite.worker.url}/login`);
  await page.fill('#login', user);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-submit')]);
}

/** How far the page is wider than the screen (0: no sideways scrolling). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('accounts on a phone (390 px)', () => {
  it('admin creates a township officer; the officer must change the one-time password, then is in', async () => {
    const page = await suite.browser.context.newPage();
    const seen = watch(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page, 'admin', PASSWORD);
    await page.goto(`${suite.worker.url}/accounts`);
    expect(await page.locator('h1').textContent()).toBe('账号管理');
    expect(await page.locator('#accounts li').count()).toBe(9); // admin, county, finance, town1…town6
    expect(await overflow(page), 'the accounts page scrolls sideways at 390 px').toBeLessThanOrEqual(0);
    // One account's edit form opened: still no sideways scrolling.
    await page.locator('#accounts li[data-login="town1"] summary').click();
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    const form = page.locator('#create-form');
    await form.locator('input[name="name"]').fill('周手机');
    await form.locator('input[name="login"]').fill('zhou-phone');
    await form.locator('select[name="role"]').selectOption('township');
    await form.locator('select[name="township"]').selectOption({ label: '东风镇' });
    await form.locator('input[name="phone"]').fill('13912340000');
    await Promise.all([page.waitForLoadState('load'), form.locator('button[type="submit"]').click()]);
    await page.waitForSelector('#one-time');
    const otp = (await page.locator('#one-time code.otp').textContent())?.trim() ?? '';
    expect(otp).toMatch(/^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);
    expect(await page.locator('#one-time').textContent()).toContain('只显示这一次');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'accounts-390');
    // Shown once: the page loaded again does not have it.
    await page.goto(`${suite.worker.url}/accounts`);
    expect(await page.content()).not.toContain(otp);
    expect(await page.locator('#accounts li[data-login="zhou-phone"] .tag').allTextContents()).toContain('待改密码');

    // The officer: signed in with the one-time password, sent to 修改密码 whatever page they ask for.
    await login(page, 'zhou-phone', otp);
    expect(new URL(page.url()).pathname).toBe('/password');
    await page.goto(`${suite.worker.url}/villages`);
    expect(new URL(page.url()).pathname).toBe('/password');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // A weak password is refused with the rule in Chinese.
    await page.fill('input[name="current"]', otp);
    await page.fill('input[name="password"]', 'abcdefghij');
    await page.fill('input[name="again"]', 'abcdefghij');
    await Promise.all([page.waitForLoadState('load'), page.click('#password-form button[type="submit"]')]);
    expect(await page.locator('#error').textContent()).toContain('密码太简单');
    await page.fill('input[name="current"]', otp);
    await page.fill('input[name="password"]', 'Dongfeng-2026!');
    await page.fill('input[name="again"]', 'Dongfeng-2026!');
    await Promise.all([page.waitForLoadState('load'), page.click('#password-form button[type="submit"]')]);
    expect(await page.locator('body').textContent()).toContain('密码已修改');
    await page.goto(`${suite.worker.url}/villages`);
    expect(new URL(page.url()).pathname).toBe('/villages');
    expect(await page.locator('body').getAttribute('data-township')).toBe('410999100');
    // And with the new password from now on.
    await login(page, 'zhou-phone', 'Dongfeng-2026!');
    expect(new URL(page.url()).pathname).toBe('/villages');
    await page.close();
    // The refused weak password answers 400 (a page, which Chromium logs as a failed load): that one only.
    expect(seen.problems.filter((p) => !/status of 400/.test(p)), '浏览器控制台错误或 CSP 违规').toEqual([]);
    expect(seen.problems.filter((p) => /status of 400/.test(p))).toHaveLength(1);
  });
});
