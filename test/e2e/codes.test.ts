// 区划调整 in Chromium on a 390 px wide phone screen: the county admin of the demo county records a rename on
// /codes with the plain form (a village of its own county, 410999; the demo has a second county); the change
// is listed, and no state of the page scrolls sideways.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, shot, watch } from './browser.ts';
import { demoSuite } from './suite.ts';

const suite = demoSuite();



const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('区划调整 on a phone (390 px)', () => {
  it('the admin records a rename with the form and sees it listed', async () => {
    const [village] = suite.worker.sql("SELECT code, name FROM villages WHERE code LIKE '410999%' ORDER BY code LIMIT 1") as { code: string; name: string }[];
    const page = await suite.browser.context.newPage();
    watch(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${suite.worker.url}/login`);
    await page.fill('#login', 'admin');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-submit')]);
    await page.goto(`${suite.worker.url}/codes`);
    expect(await page.locator('h1').textContent()).toBe('区划调整');
    expect(await overflow(page), 'the codes page scrolls sideways at 390 px').toBeLessThanOrEqual(0);
    const form = page.locator('#code-change-form');
    await form.locator('select[name="kind"]').selectOption('rename');
    await form.locator('input[name="period"]').fill('2027Q1');
    await form.locator('input[name="old"]').fill(village!.code);
    await form.locator('textarea[name="new"]').fill('手机更名村');
    await Promise.all([page.waitForLoadState('load'), form.locator('button[type="submit"]').click()]);
    await page.waitForSelector('#notice');
    expect(await page.locator('#notice').textContent()).toContain('已记录：更名，自2027年第一季度起生效');
    expect(await page.locator('#code-changes').textContent()).toContain(`由“${village!.name}”更名为“手机更名村”`);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'codes-390');
  });
});
