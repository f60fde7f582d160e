// The Excel add-in's task pane, the real page (dist/addin/taskpane.html with the real Office.js from
// @microsoft/office-js) in Debian's Chromium, against the in-memory Excel of test/addin (injected before the
// page's scripts, as addin/tools/preview.mjs does) holding an officer's township sheet: the demo county's
// 东风镇 for 2026Q3, messy, in the layout of shared/demo/workbook.ts, with the officer's own fills and notes.
// 上报 goes to the real county Worker (`wrangler dev`, fresh local D1, the demo county), reached through the
// pane's own origin (taskpane-server.ts). Screenshots: test/e2e/screenshots/taskpane-*.png (gitignored).
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from './server.ts';
import { PASSWORD } from './browser.ts';
import { buildAddin, DIST, hostScript, launchChromium, Pane, paneContext } from './taskpane-pane.ts';
import { startPaneServer, type PaneServer } from './taskpane-server.ts';
import { emptyBook, engineFor, FIRST_ROW, letterOf, OFFICER, officerBook, OTHER_TOWNSHIP, scoreSpec, SHEET, TOWNSHIP } from './taskpane-workbook.ts';
import { buildDouble, exportDouble, type SheetSpec, type WorkbookSpec } from './taskpane-model.ts';
import type { ScoredSheet, Status } from '../../shared/types.ts';
import { STATUS_PALETTE, worstStatus } from '../../shared/output/palette.ts';
import { KAOPING_NOTE_SEPARATOR, LEDGER_SHEET, RESULT_SHEET, STORE_SHEET } from '../../shared/output/names.ts';
import { SUMMARY_COLUMNS, SUMMARY_HEADER_ROW } from '../../shared/output/summary.ts';
import { LEDGER_COLUMNS, LEDGER_HEADER_ROW, ledgerRows } from '../../shared/output/ledger.ts';
import { TEMPLATE_HEADER_ROW, TEMPLATE_SHEET } from '../../shared/output/template.ts';
import { columnLetter } from '../../shared/sheet/address.ts';
import countyExample from '../../shared/rulebook/county-example.json' with { type: 'json' };

let browser: Browser;
let server: PaneServer;
let host: string;
let workerStart: Promise<Worker>;
const contexts: BrowserContext[] = [];
/** What the report prints: round trips per action, the build, timings. */
const observed: Record<string, unknown> = {};

beforeAll(async () => {
  // wrangler dev boots (and loads the demo county) while the pane is built and the first tests run.
  workerStart = startWorker();
  workerStart.catch(() => undefined);
  observed.build = buildAddin();
  host = await hostScript();
  server = await startPaneServer(DIST);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  await (await workerStart.catch(() => undefined))?.stop();
  console.log(`taskpane e2e observed: ${JSON.stringify(observed)}`);
}, 60_000);

/** A fresh browser profile (its own localStorage: the pane's settings and rulebook cache). */
async function context(): Promise<BrowserContext> {
  const c = await paneContext(browser);
  contexts.push(c);
  return c;
}

async function open(book: WorkbookSpec, ctx?: BrowserContext): Promise<Pane> {
  return Pane.open(ctx ?? (await context()), server.url, host, book);
}

/** The officer's workbook as the double holds it before the pane touches it (the export's normal form). */
function asOpened(spec: WorkbookSpec): WorkbookSpec {
  return exportDouble(buildDouble(spec));
}

function sheetOf(book: WorkbookSpec, name: string): SheetSpec {
  const s = book.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`no sheet ${name} in ${book.sheets.map((x) => x.name).join(', ')}`);
  return s;
}

/** The worst status of the results reading each cell: the colour the cell must get. */
function expectedStatuses(scored: ScoredSheet, rows?: Set<number>): Map<string, Status> {
  const all = new Map<string, Status[]>();
  for (const v of scored.villages) {
    if (rows && !rows.has(v.row)) continue;
    for (const r of v.results) if (r.cell) all.set(r.cell, [...(all.get(r.cell) ?? []), r.status]);
  }
  return new Map([...all].map(([a, s]) => [a, worstStatus(s)!]));
}

/** The articles cited for a cell's failing or open results, as the note writes them. */
function citedArticles(scored: ScoredSheet, cell: string): string[] {
  const out = new Set<string>();
  for (const v of scored.villages) for (const r of v.results) if (r.cell === cell && r.status !== 'pass') out.add(`${r.standard === 'basic' ? '基本标准' : '示范标准'}第${r.article}条`);
  return [...out];
}

const paletteFill = (s: Status) => ({ color: `#${STATUS_PALETTE[s].hex}`, pattern: 'Solid' });
const PALETTE_COLOURS = new Set(Object.values(STATUS_PALETTE).map((p) => `#${p.hex}`));
const rowOf = (address: string) => Number(/\d+$/.exec(address)![0]);

/** One sentence for an officer: Chinese, no English error names, codes, stack traces or "undefined". */
function expectPlainChinese(text: string): void {
  expect(text).toMatch(/[\u4e00-\u9fff]{4,}/);
  expect(text).not.toMatch(/Error|Exception|undefined|null|NaN|\[object|at \w+ \(|Failed to fetch|HTTP|status|\b40[0-9]\b|\b50[0-9]\b/i);
}

/** The pane's tables as text: each row's class and cells. */
async function tableRows(pane: Pane, selector: string): Promise<{ cls: string; cells: string[]; select?: { value: string; text: string }; title?: string }[]> {
  return pane.page.$$eval(`${selector} tbody tr`, (trs) =>
    trs.map((tr) => {
      const sel = tr.querySelector('select');
      const tds = [...tr.querySelectorAll('td')];
      return {
        cls: tr.className,
        cells: tds.map((td) => (td.textContent ?? '').trim()),
        ...(sel ? { select: { value: sel.value, text: sel.selectedOptions[0]?.textContent ?? '' } } : {}),
        title: tds[tds.length - 1]?.title ?? '',
      };
    }),
  );
}

describe('Excel task pane in Chromium (in-memory Excel; real Worker for 上报)', () => {
  it('识别: lists every column with its input and confidence; a dropdown correction is kept in the workbook', async () => {
    const book = await officerBook();
    // The officer's own wording for the activity-area column, which the recognizer does not know.
    const area = letterOf('activityArea');
    sheetOf(book.spec, SHEET).cells[`${area}4`]!.v = '阵地建设（平方米）';
    const pane = await open(book.spec);
    await pane.click('#btn-recognize');

    const msg = await pane.message();
    expect(msg).toMatchObject({ kind: 'info', visible: true });
    expect(msg.text).toMatch(/^识别到 11 个村、121 个指标列（期次：2026年第三季度/);
    expect(await pane.page.textContent('#sheet-name')).toBe(SHEET);
    expect(await pane.page.textContent('#sheet-header')).toBe('第 3–4 行');
    expect(await pane.page.textContent('#sheet-villages')).toBe('11 个');
    expect(await pane.page.textContent('#sheet-period')).toMatch(/^2026年第三季度（/);
    expect(await pane.page.textContent('#skipped-summary')).toBe('跳过 2 行（合计、说明、签字等）');

    const rows = await tableRows(pane, '#columns');
    expect(rows).toHaveLength(122);
    expect(rows[0]).toMatchObject({ cls: '', cells: ['A', '基本情况/区划代码', expect.any(String), '100%'], select: { value: 'auto', text: '自动：区划代码' }, title: '名称相同' });
    expect(rows[1]!.select!.text).toBe('自动：村（社区）名称');
    const mapped = rows.filter((r) => r.cls !== 'unmapped');
    expect(mapped).toHaveLength(121);
    for (const r of mapped) expect(r.cells[3]).toMatch(/^\d{1,3}%$/);
    const areaRow = rows.find((r) => r.cells[0] === area)!;
    expect(areaRow).toMatchObject({ cls: 'unmapped', cells: [area, expect.stringMatching(/阵地建设（平方米）$/), expect.any(String), ''], select: { value: 'auto', text: '自动：不参与评分' } });
    await pane.shot('1-recognize');

    // Correct it with its dropdown: 活动场所面积.
    const select = pane.page.locator(`#columns select[aria-label="${area} 列对应的指标"]`);
    await select.selectOption('activityArea');
    await pane.quiet();
    const corrected = (await tableRows(pane, '#columns')).find((r) => r.cells[0] === area)!;
    expect(corrected).toMatchObject({ cls: 'override', cells: [area, expect.any(String), expect.any(String), '100%'], select: { value: 'activityArea', text: '活动场所面积（平方米）' }, title: '手动指定' });
    expect((await pane.state()).columns.find((c) => c.letter === area)).toMatchObject({ input: 'activityArea', overridden: true });
    const saved = await pane.book();
    expect(saved.settings.kaoping).toEqual({ version: 1, sheets: { [SHEET]: { mapping: { [area]: 'activityArea' } } } });
    // Nothing but the setting changed: no cell, note or sheet of the officer's.
    expect(saved.sheets).toEqual(asOpened(book.spec).sheets);
    await pane.shot('1-recognize-corrected', '#columns tr.override');
    expect(pane.problems).toEqual([]);
    await pane.close();

    // Re-open the pane on that workbook, in a new browser profile: the correction comes from the workbook.
    const again = await open(saved);
    await again.click('#btn-recognize');
    const row = (await tableRows(again, '#columns')).find((r) => r.cells[0] === area)!;
    expect(row).toMatchObject({ cls: 'override', select: { value: 'activityArea' }, cells: [area, expect.any(String), expect.any(String), '100%'] });
    expect((await again.message()).text).toMatch(/^识别到 11 个村、122 个指标列/);
    expect(again.problems).toEqual([]);
  });

  it('评分: colours every scored cell with the shared palette, notes cite the articles, writes 考评结果 and 整改台账 in ≤ 5 round trips whatever the size', async () => {
    const book = await officerBook();
    const { scored } = scoreSpec(book.spec, engineFor('default'));
    const pane = await open(book.spec);
    const s0 = await pane.syncs();
    await pane.click('#btn-score');
    const syncs = (await pane.syncs()) - s0;
    observed.scoreSyncs11 = syncs;
    expect(syncs).toBeLessThanOrEqual(5);

    const msg = await pane.message();
    expect(msg.kind).toBe('success');
    expect(msg.text).toMatch(/^评分完成：11 个村，未达标 \d+ 项、待补 \d+ 项、待评 \d+ 项。已着色并写入批注，生成“考评结果”和“整改台账”。$/);
    const result = (await pane.state()).result!;
    expect(result).toMatchObject({ villages: 11, noteMode: 'notes' });
    expect(await pane.page.locator('#result-list li').first().textContent()).toBe('村数：11');

    const after = await pane.book();
    const sheet = sheetOf(after, SHEET);
    const want = expectedStatuses(scored);
    const seen = new Map<Status, number>();
    for (const [a, status] of want) {
      expect(sheet.cells[a]?.fill, `fill of ${a}`).toEqual(paletteFill(status));
      seen.set(status, (seen.get(status) ?? 0) + 1);
      const note = sheet.notes[a];
      const officerNote = a === book.scoredMark.address ? book.scoredMark.note : undefined;
      if (status === 'pass') {
        expect(note, `note of ${a}`).toBe(officerNote);
        continue;
      }
      // A problem cell: our lines below the separator, citing the article(s); the officer's note stays on top.
      expect(note, `note of ${a}`).toBeDefined();
      const [top, ours] = note!.split(`${KAOPING_NOTE_SEPARATOR}\n`);
      expect(top!.trim()).toBe(officerNote ?? '');
      for (const cite of citedArticles(scored, a)) expect(ours).toContain(cite);
      expect(ours).toMatch(/(基本标准|示范标准)第\d+条/);
    }
    expect(seen.get('pass')).toBeGreaterThan(100);
    expect(seen.get('fail')).toBeGreaterThan(0);
    expect(result.fail).toBe([...scored.villages].reduce((n, v) => n + v.results.filter((r) => r.status === 'fail').length, 0));
    // No palette colour anywhere else on the officer's sheet; the officer's unscored marks are untouched.
    for (const [a, c] of Object.entries(sheet.cells)) if (c.fill && PALETTE_COLOURS.has(c.fill.color)) expect(want.has(a), `stray colour on ${a}`).toBe(true);
    expect(sheet.cells[OFFICER.nameFill.address]!.fill).toEqual(OFFICER.nameFill.fill);
    expect(sheet.notes[OFFICER.nameNote.address]).toBe(OFFICER.nameNote.text);
    expect(Object.fromEntries(Object.entries(sheet.cells).map(([a, c]) => [a, c.v]))).toEqual(Object.fromEntries(Object.entries(sheetOf(book.spec, SHEET).cells).map(([a, c]) => [a, c.v])));

    // 考评结果: the summary header, then one row per village in sheet order.
    const res = sheetOf(after, RESULT_SHEET);
    const headerRow = SUMMARY_COLUMNS.map((_, i) => res.cells[`${columnLetter(i)}${SUMMARY_HEADER_ROW}`]?.v);
    expect(headerRow).toEqual([...SUMMARY_COLUMNS]);
    const codeCol = columnLetter(SUMMARY_COLUMNS.indexOf('区划代码'));
    const levelCol = SUMMARY_COLUMNS.indexOf('等次');
    const codes = scored.villages.map((_, i) => String(res.cells[`${codeCol}${SUMMARY_HEADER_ROW + 1 + i}`]?.v));
    expect(codes).toEqual(book.villages.map((v) => v.code));
    if (levelCol >= 0) expect(scored.villages.map((_, i) => res.cells[`${columnLetter(levelCol)}${SUMMARY_HEADER_ROW + 1 + i}`]?.v)).toEqual(scored.villages.map((v) => v.level));
    // 整改台账: the ledger header, then one row per failing (or unreadable) requirement.
    const ledger = sheetOf(after, LEDGER_SHEET);
    expect(LEDGER_COLUMNS.map((_, i) => ledger.cells[`${columnLetter(i)}${LEDGER_HEADER_ROW}`]?.v)).toEqual([...LEDGER_COLUMNS]);
    const wantLedger = ledgerRows([scored]);
    expect(wantLedger.length).toBeGreaterThan(0);
    const ledgerCodes = wantLedger.map((_, i) => String(ledger.cells[`${columnLetter(LEDGER_COLUMNS.indexOf('区划代码'))}${LEDGER_HEADER_ROW + 1 + i}`]?.v));
    expect(ledgerCodes).toEqual(wantLedger.map((r) => r.code));
    expect(ledger.cells[`A${LEDGER_HEADER_ROW + 1 + wantLedger.length}`]).toBeUndefined();
    expect(sheetOf(after, STORE_SHEET).visibility).toBe('VeryHidden');
    expect(after.sheets.map((s) => s.name)).toEqual([SHEET, '填表说明', RESULT_SHEET, LEDGER_SHEET, STORE_SHEET]);
    await pane.shot('2-score');
    await pane.shot('2-score-result', '#result-section');
    expect(pane.problems).toEqual([]);
    await pane.close();

    // The same number of round trips for 50 and for 500 villages.
    for (const n of [50, 500]) {
      const big = await officerBook({ n });
      const p = await open(big.spec);
      const before = await p.syncs();
      await p.click('#btn-score');
      observed[`scoreSyncs${n}`] = (await p.syncs()) - before;
      expect((await p.message()).text).toMatch(new RegExp(`^评分完成：${n} 个村`));
      expect(p.problems).toEqual([]);
      await p.close();
    }
    expect(observed.scoreSyncs50).toBeLessThanOrEqual(5);
    expect(observed.scoreSyncs500).toBe(observed.scoreSyncs50);
    expect(observed.scoreSyncs11).toBe(observed.scoreSyncs50);
  });

  it('live: an edited cell re-scores only its row, in 2 round trips, without looping on the add-in’s own writes', async () => {
    const book = await officerBook();
    const { scored } = scoreSpec(book.spec, engineFor('default'));
    const area = letterOf('activityArea');
    // The first village whose activity area is red (not the row carrying the officer's own mark).
    const v = scored.villages.find((x) => x.row !== rowOf(book.scoredMark.address) && expectedStatuses(scored, new Set([x.row])).get(`${area}${x.row}`) === 'fail')!;
    expect(v).toBeDefined();
    const cell = `${area}${v.row}`;
    const pane = await open(book.spec);
    await pane.click('#btn-score');
    const before = await pane.book();
    expect(sheetOf(before, SHEET).cells[cell]!.fill).toEqual(paletteFill('fail'));
    expect(sheetOf(before, SHEET).notes[cell]).toMatch(/基本标准第24条/);
    const others = (s: SheetSpec) => ({
      cells: Object.entries(s.cells).filter(([a]) => rowOf(a) !== v.row),
      notes: Object.entries(s.notes).filter(([a]) => rowOf(a) !== v.row),
    });

    // The officer types 350 (m²) into the cell, then 20: each time only that row is re-scored.
    const edits: [number, Status][] = [
      [350, 'pass'],
      [20, 'fail'],
    ];
    const edited = structuredClone(book.spec);
    for (const [k, [value, status]] of edits.entries()) {
      const s0 = await pane.syncs();
      await pane.userEdit(SHEET, cell, value);
      const syncs = (await pane.syncs()) - s0;
      observed[`liveSyncs${value}`] = syncs;
      expect(syncs).toBeLessThanOrEqual(2);
      const state = await pane.state();
      expect(state.live).toMatchObject({ on: true, updates: k + 1, lastRows: [v.row] });
      const msg = await pane.message();
      expect(msg.kind).toBe('success');
      expect(msg.text).toMatch(new RegExp(`^已重新评分 第${v.row}行（${v.name}）：`));
      expect(await pane.page.textContent('#live-status')).toBe(`修改数据后会自动重新评分该行（已更新 ${k + 1} 次）`);

      // The edited row is as a full scoring of the edited sheet colours it; every other row is untouched.
      const after = await pane.book();
      sheetOf(edited, SHEET).cells[cell]!.v = value;
      const rescored = scoreSpec(edited, engineFor('default')).scored;
      const sheetAfter = sheetOf(after, SHEET);
      expect(sheetAfter.cells[cell]).toEqual({ v: value, fill: paletteFill(status) });
      for (const [a, st] of expectedStatuses(rescored, new Set([v.row]))) expect(sheetAfter.cells[a]?.fill, `fill of ${a}`).toEqual(paletteFill(st));
      const note = sheetAfter.notes[cell];
      if (status === 'pass') expect(note).toBeUndefined();
      else {
        expect(note!.startsWith(KAOPING_NOTE_SEPARATOR)).toBe(true);
        for (const cite of citedArticles(rescored, cell)) expect(note).toContain(cite);
        expect(note).toContain('基本标准第24条');
      }
      expect(others(sheetAfter)).toEqual(others(sheetOf(before, SHEET)));
      await pane.shot(`3-live-${value}`);
      await pane.shot(`3-live-${value}-result`, '#result-section');
    }

    // No loop: nothing more happens once the re-score is done.
    const settled = await pane.syncs();
    await pane.page.waitForTimeout(300);
    await pane.quiet();
    expect(await pane.syncs()).toBe(settled);
    expect((await pane.state()).live.updates).toBe(2);
    expect(pane.problems).toEqual([]);
  });

  it('清除: removes every fill, note and sheet the add-in added; the officer’s own fills, notes and values are exactly as before', async () => {
    const book = await officerBook();
    const pane = await open(book.spec);
    const original = await pane.book();
    await pane.click('#btn-score');
    const scoredBook = await pane.book();
    expect(sheetOf(scoredBook, SHEET).cells[book.scoredMark.address]!.fill).not.toEqual(book.scoredMark.fill);
    const s0 = await pane.syncs();
    await pane.click('#btn-clear');
    observed.clearSyncs = (await pane.syncs()) - s0;
    const msg = await pane.message();
    expect(msg.kind).toBe('success');
    expect(msg.text).toMatch(/^已清除考评标注：恢复了 \d+ 个单元格原有的底色和批注，删除了“考评结果”“整改台账”“_kaoping”。您的数据没有被改动。$/);
    const cleared = await pane.book();
    expect(cleared.sheets).toEqual(original.sheets);
    expect(sheetOf(cleared, SHEET).cells[book.scoredMark.address]).toMatchObject({ fill: book.scoredMark.fill });
    expect(sheetOf(cleared, SHEET).notes[book.scoredMark.address]).toBe(book.scoredMark.note);
    expect(await pane.page.isHidden('#result-section')).toBe(true);
    await pane.shot('4-clear');
    expect(pane.problems).toEqual([]);
  });

  it('模板: inserts the 调查表 sheet with the two-row header, units, dropdowns and number checks', async () => {
    const book = await officerBook();
    const pane = await open(book.spec);
    const s0 = await pane.syncs();
    await pane.click('#btn-template');
    observed.templateSyncs = (await pane.syncs()) - s0;
    expect(observed.templateSyncs).toBeLessThanOrEqual(2);
    const msg = await pane.message();
    expect(msg).toMatchObject({ kind: 'success', text: expect.stringMatching(/^已插入“调查表”：表头带单位和下拉选项/) });
    const after = await pane.book();
    expect(after.active).toBe(TEMPLATE_SHEET);
    expect(after.sheets.map((s) => s.name)).toEqual([SHEET, '填表说明', TEMPLATE_SHEET]);
    const t = sheetOf(after, TEMPLATE_SHEET);
    expect(String(t.cells.A1!.v)).toMatch(/调查表/);
    const headers = Object.entries(t.cells).filter(([a]) => rowOf(a) === TEMPLATE_HEADER_ROW || rowOf(a) === TEMPLATE_HEADER_ROW - 1).map(([, c]) => String(c.v));
    expect(headers).toEqual(expect.arrayContaining(['区划代码', '党员人数（人）', '活动场所面积（平方米）', '班子职数（人）']));
    expect(t.merges).toEqual(expect.arrayContaining([expect.stringMatching(/^A1:[A-Z]+1$/)]));
    // Dropdowns (是/否, 党组织类型, 好/较好/一般/差) and number checks on the data rows below the header.
    const rules = (t.validations ?? []).map((v) => ({ address: v.address, rule: v.rule as Record<string, { source?: string; formula1?: unknown }> }));
    const lists = rules.filter((r) => r.rule.list).map((r) => r.rule.list!.source!);
    expect(lists.length).toBeGreaterThan(10);
    expect(lists).toEqual(expect.arrayContaining([expect.stringMatching(/是.*否/), expect.stringMatching(/党支部/)]));
    expect(rules.some((r) => r.rule.wholeNumber || r.rule.decimal)).toBe(true);
    for (const r of rules) expect(r.address).toMatch(new RegExp(`^[A-Z]+${TEMPLATE_HEADER_ROW + 1}:[A-Z]+\\d+$`));
    // Each header carries a note citing its articles.
    const cited = Object.values(t.notes).filter((n) => /(基本标准|示范标准)第\d+条/.test(n));
    expect(cited.length).toBeGreaterThan(50);
    // The officer's sheet is as it was.
    expect(sheetOf(after, SHEET)).toEqual(sheetOf(asOpened(book.spec), SHEET));
    await pane.shot('5-template');
    expect(pane.problems).toEqual([]);
  });

  it('上报: signs in from the pane, submits to the real Worker with per-row outcomes, the county sees it; offline the cached rulebook scores', async () => {
    const worker = await workerStart;
    server.upstream = worker.url;
    // One row carries a 区划代码 of another township (红旗镇): the Worker must reject that row alone.
    const wrong = OTHER_TOWNSHIP.villages[0]!.code;
    const badIndex = 2;
    const book = await officerBook({
      edit: (values) => {
        values[badIndex]!.code = wrong;
      },
    });
    const ctx = await context();
    const pane = await open(book.spec, ctx);
    expect(await pane.page.textContent('#rulebook')).toMatch(/^默认标准：/);

    // 设置: the server address, then sign in as the township officer.
    const seen = server.requests.length;
    await pane.openSettings();
    await pane.page.fill('#cfg-url', server.url);
    await pane.page.fill('#cfg-login', 'town1');
    await pane.page.fill('#cfg-password', PASSWORD);
    await pane.click('#btn-login');
    let msg = await pane.message();
    expect(msg).toMatchObject({ kind: 'success', text: `已登录：${TOWNSHIP.name}组织委员。令牌已保存，可以上报` });
    const token = await pane.page.inputValue('#cfg-token');
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(await pane.page.inputValue('#cfg-password')).toBe('');
    // The county rulebook, fetched with that token and cached in the browser.
    expect(await pane.page.textContent('#rulebook')).toBe(`县级细则：${countyExample.name}`);
    const cache = await pane.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kaoping.rulebook:')));
    expect(cache).toContain(`kaoping.rulebook:${server.url}:`);
    expect(server.requests.slice(seen).map((r) => `${r.method} ${r.path.replace(/\?.*/, '')} ${r.status}`)).toEqual(['POST /api/auth/login 200', 'GET /api/county/rulebook 200']);
    await pane.shot('6-signed-in');
    await pane.shot('6-signed-in-settings', '#settings');

    await pane.click('#btn-score');
    const online = (await pane.state()).result!;
    expect(online.villages).toBe(11);
    // The county rulebook scores as the shared engine does with it.
    const countyScored = scoreSpec(book.spec, engineFor('county')).scored;
    const levels: Record<string, number> = {};
    for (const v of countyScored.villages) levels[v.level] = (levels[v.level] ?? 0) + 1;
    expect(online.levels).toEqual(levels);

    // Two townships' codes on the sheet: the pane asks for the township code first.
    await pane.click('#btn-submit');
    msg = await pane.message();
    expect(msg.kind).toBe('error');
    expect(msg.text).toBe('表中的村属于 2 个乡镇（区划代码前9位不同），请在设置中填写要上报的乡镇代码，或分表上报');
    expectPlainChinese(msg.text);
    await pane.page.fill('#cfg-township', TOWNSHIP.code);
    await pane.click('#settings-form button[type="submit"]');

    // 上报, held for a moment at the proxy to see the progress.
    server.delay = { match: /^POST \/api\/submissions$/, ms: 1500 };
    await pane.page.click('#btn-submit');
    await pane.page.waitForFunction(() => document.querySelector('#submit-text')?.textContent?.startsWith('正在上报'));
    expect(await pane.page.textContent('#submit-text')).toBe(`正在上报 11 个村（2026年第三季度，乡镇 ${TOWNSHIP.code}）…`);
    expect(await pane.page.isVisible('#busy')).toBe(true);
    expect(await pane.page.textContent('#busy-text')).toBe('正在上报…');
    expect(await pane.page.isDisabled('#btn-submit')).toBe(true);
    await pane.shot('6-submitting');
    await pane.shot('6-submitting-section', '#submit-section');
    await pane.quiet();
    server.delay = null;

    const done = 'done' === (await pane.state()).submission?.phase;
    expect(done).toBe(true);
    expect(await pane.page.textContent('#submit-text')).toBe('上报完成：接收 10 个村，退回 1 个村（见下方原因）');
    const outcomes = await tableRows(pane, '#outcomes');
    expect(outcomes).toHaveLength(11);
    const badRow = FIRST_ROW + badIndex;
    const codeCell = `${letterOf('code')}${badRow}`;
    for (const [i, o] of outcomes.entries()) {
      const row = FIRST_ROW + i;
      expect(o.cells[0]).toBe(String(row));
      expect(o.cells[1]).toBe(book.villages[i]!.name);
      if (row === badRow) {
        expect(o.cls).toBe('rejected');
        expect(o.cells[2]).toBe('退回');
        expect(o.cells[3]).toBe(`${codeCell}：区划代码${wrong}的前9位为${OTHER_TOWNSHIP.code}，不是本乡镇（${TOWNSHIP.name}，${TOWNSHIP.code}）的村，不能在本乡镇上报`);
      } else {
        expect(o.cls).toBe('accepted');
        expect(o.cells[2]).toBe('已接收');
        // The Worker's score for the row: the county rulebook's level and total, as the shared engine gives.
        const v = countyScored.villages[i]!;
        expect(o.cells[3]).toBe(`${v.level} ${v.total}分`);
      }
    }
    await pane.shot('6-submitted');
    await pane.shot('6-submitted-outcomes', '#submit-section');
    const submissionId = (await pane.state()).submission!.answer!.id!;
    expect(submissionId).toMatch(/^[0-9a-f-]{36}$/);

    // The county sees it through the API.
    const login = await fetch(`${worker.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'county', password: PASSWORD }) });
    const countyToken = ((await login.json()) as { token: string }).token;
    const auth = { headers: { authorization: `Bearer ${countyToken}` } };
    const list = (await (await fetch(`${worker.url}/api/submissions?township=${TOWNSHIP.code}&period=2026Q3`, auth)).json()) as { submissions: { id: string; townshipCode: string; period: string; sheet?: string; rows: unknown; accountId: string }[] };
    const mine = list.submissions.find((s) => s.id === submissionId);
    expect(mine).toMatchObject({ townshipCode: TOWNSHIP.code, period: '2026Q3', sheet: SHEET, rows: { total: 11, accepted: 10, rejected: 1 }, accountId: 'acc-town1' });
    const one = (await (await fetch(`${worker.url}/api/submissions/${submissionId}`, auth)).json()) as { outcomes: { row: number; status: string; cell?: string }[] };
    expect(one.outcomes.filter((o) => o.status === 'rejected')).toEqual([expect.objectContaining({ row: badRow, cell: codeCell })]);
    expect(pane.problems).toEqual([]);
    const scoredBook = await pane.book();
    await pane.close();

    // The server goes away: the pane (same browser profile) starts with the cached county rulebook and scores.
    server.upstream = null;
    const offline = await open(scoredBook, ctx);
    msg = await offline.message();
    expect(msg.kind).toBe('info');
    expect(msg.text).toMatch(new RegExp(`^无法连接县里的服务器，无法获取县级考评细则，使用上次缓存的细则“${countyExample.name}”（\\d{4}-\\d{2}-\\d{2}）$`));
    expect(await offline.page.textContent('#rulebook')).toBe(`县级细则（缓存）：${countyExample.name}`);
    await offline.click('#btn-score');
    expect((await offline.message()).kind).toBe('success');
    expect((await offline.state()).result!.levels).toEqual(online.levels);
    await offline.shot('6-offline-cache');
    // The failed rulebook requests are the only console errors (the browser logs a dropped connection).
    expect(offline.problems.filter((p) => !/ERR_(EMPTY_RESPONSE|CONNECTION)|Failed to load resource/.test(p))).toEqual([]);
  }, 240_000);

  it('errors read as plain Chinese: an empty sheet, a refused token, a wrong password, an unreachable server', async () => {
    // An empty sheet.
    const empty = await open(emptyBook());
    await empty.click('#btn-recognize');
    let msg = await empty.message();
    expect(msg).toMatchObject({ kind: 'error', visible: true, text: '工作表“Sheet1”是空的。没有表格时，可以点“插入模板”生成调查表' });
    expectPlainChinese(msg.text);
    await empty.click('#btn-score');
    expect((await empty.message()).text).toBe(msg.text);
    expect(await empty.page.isHidden('#sheet-section')).toBe(true);
    await empty.shot('7-empty-sheet');
    expect(empty.problems).toEqual([]);
    await empty.close();

    // A token the Worker refuses (401): when fetching the rulebook, and when submitting.
    const worker = await workerStart;
    server.upstream = worker.url;
    const book = await officerBook();
    const pane = await open(book.spec);
    await pane.openSettings();
    await pane.page.fill('#cfg-url', server.url);
    await pane.page.fill('#cfg-token', 'expired-token-000000000000000000000000');
    await pane.click('#settings-form button[type="submit"]');
    msg = await pane.message();
    expect(msg).toMatchObject({ kind: 'info', text: '登录已过期或令牌无效，未能获取县级考评细则（请在“设置”中重新登录），按默认标准评分' });
    expectPlainChinese(msg.text);
    expect(await pane.page.textContent('#rulebook')).toMatch(/^默认标准：/);
    await pane.click('#btn-submit');
    msg = await pane.message();
    expect(msg).toMatchObject({ kind: 'error', text: '登录已过期或令牌无效，请在设置中重新填写令牌（登录已过期，请重新登录）' });
    expectPlainChinese(msg.text);
    expect(await pane.page.textContent('#submit-text')).toBe(msg.text);
    await pane.shot('7-token-refused');
    await pane.shot('7-token-refused-settings', '#submit-section');

    // A wrong password.
    await pane.page.fill('#cfg-login', 'town1');
    await pane.page.fill('#cfg-password', 'wrong-password');
    await pane.click('#btn-login');
    msg = await pane.message();
    expect(msg).toMatchObject({ kind: 'error', text: '账号或密码不正确' });
    expect(await pane.page.inputValue('#cfg-token')).toBe('expired-token-000000000000000000000000');
    await pane.shot('7-wrong-password');

    // The server cannot be reached.
    server.upstream = null;
    await pane.click('#btn-submit');
    msg = await pane.message();
    expect(msg).toMatchObject({ kind: 'error', text: '无法连接县里的服务器：请检查网络和服务器地址后再试（评分结果已保存在本工作簿中）' });
    expectPlainChinese(msg.text);
    await pane.shot('7-unreachable');
    // Only the refused and dropped requests were logged by the browser.
    expect(pane.problems.filter((p) => !/Failed to load resource|ERR_(EMPTY_RESPONSE|CONNECTION)/.test(p))).toEqual([]);
  }, 180_000);
});
