// The task pane's logic (no Office.js): 识别 with corrections, 评分, live re-scoring of an edited row without
// loops, 上报, and the rulebook from the county (cached, offline).
import { describe, expect, it } from 'vitest';
import { ExcelAdapter } from '../../addin/excel/adapter.ts';
import { Controller, type ControllerDeps } from '../../addin/logic/controller.ts';
import { cacheKey, type FetchLike } from '../../addin/logic/rulebook.ts';
import { validateSubmission, type Submission } from '../../shared/submission.ts';
import { STATUS_PALETTE } from '../../shared/output/palette.ts';
import { KAOPING_NOTE_SEPARATOR, RESULT_SHEET } from '../../shared/output/names.ts';
import countyExample from '../../shared/rulebook/county-example.json' with { type: 'json' };
import type { DoubleOptions } from './excel-double.ts';
import { officerWorkbook, SHEET, snapshot } from './fixtures.ts';

class MemoryStorage {
  m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

const NOW = new Date('2026-10-15T08:00:00Z');

function setup(n: number, opts: DoubleOptions = {}, deps: Partial<ControllerDeps> = {}) {
  const { double, sheet } = officerWorkbook(n, opts);
  const adapter = new ExcelAdapter(double.host());
  const storage = deps.storage ?? new MemoryStorage();
  const c = new Controller({ adapter, storage, now: () => NOW, ...deps });
  return { double, sheet, adapter, c, storage };
}

/** Let change events and the actions they start run to the end. */
async function settle(double: { settle(): Promise<void> }, c: Controller): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await double.settle();
    await c.idle();
  }
}

describe('识别 and corrections', () => {
  it('shows each column’s mapping with its confidence, and keeps a correction in the workbook', async () => {
    const { c, double } = setup(20);
    await c.start();
    await c.recognize();
    expect(c.state.message?.kind).toBe('info');
    expect(c.state.sheet).toMatchObject({ name: SHEET, period: '2026Q3', villages: 20, headerRows: { top: 3, bottom: 4 } });
    const area = c.state.columns.find((x) => x.letter === 'L')!;
    expect(area).toMatchObject({ input: 'activityArea', overridden: false });
    expect(area.confidence).toBeGreaterThan(0.5);
    expect(c.state.columns.find((x) => x.letter === 'R')!.input).toBeNull();
    expect(c.state.inputs.length).toBeGreaterThan(100);

    await c.setMapping('R', 'judge.basic.27');
    expect(c.state.columns.find((x) => x.letter === 'R')).toMatchObject({ input: 'judge.basic.27', overridden: true });
    expect(JSON.stringify(double.model.settings.get('kaoping'))).toContain('judge.basic.27');
    // Moving an input to another column takes it from the automatic match.
    await c.setMapping('F', 'activityArea');
    expect(c.state.columns.find((x) => x.letter === 'F')).toMatchObject({ input: 'activityArea', overridden: true });
    expect(c.state.columns.find((x) => x.letter === 'L')!.input).toBeNull();
    // Two corrections naming one input are refused in Chinese, and nothing is saved.
    await c.setMapping('G', 'activityArea');
    expect(c.state.message?.kind).toBe('error');
    expect(c.state.message?.text).toMatch(/一个指标只能对应一列/);
    expect(JSON.stringify(double.model.settings.get('kaoping'))).not.toContain('"G"');
    await c.setMapping('F', 'auto');
    expect(c.state.columns.find((x) => x.letter === 'L')!.input).toBe('activityArea');

    await c.setPeriod('2026');
    expect(c.state.sheet).toMatchObject({ period: '2026', periodChosen: true });
    await c.setPeriod('明年');
    expect(c.state.message?.text).toMatch(/无法识别期次/);
    // A new session reads the corrections back from the workbook.
    const again = new Controller({ adapter: new ExcelAdapter(double.host()), storage: new MemoryStorage(), now: () => NOW });
    await again.start();
    await again.recognize();
    expect(again.state.columns.find((x) => x.letter === 'R')).toMatchObject({ input: 'judge.basic.27', overridden: true });
    expect(again.state.sheet?.period).toBe('2026');
  });

  it('says in Chinese what to do on an empty sheet or one of our own sheets', async () => {
    const { c, double } = setup(5);
    await c.start();
    double.addSheet('空表');
    double.activate('空表');
    await c.recognize();
    expect(c.state.message).toMatchObject({ kind: 'error' });
    expect(c.state.message!.text).toMatch(/空的.*插入模板/);
    double.activate(SHEET);
    await c.score();
    double.activate(RESULT_SHEET);
    await c.recognize();
    expect(c.state.message!.text).toMatch(/考评工具生成的工作表/);
  });
});

describe('评分 and 清除 through the pane', () => {
  it('scores, reports the counts, and clears back to the officer’s workbook', async () => {
    const { c, double } = setup(60);
    const before = snapshot(double);
    await c.start();
    await c.score();
    expect(c.state.message?.kind).toBe('success');
    expect(c.state.result).toMatchObject({ villages: 60, noteMode: 'notes' });
    expect(c.state.result!.fail).toBeGreaterThan(0);
    expect(c.state.live.on).toBe(true);
    await c.clear();
    expect(c.state.message?.text).toMatch(/已清除考评标注/);
    expect(snapshot(double)).toEqual(before);
  });

  it('ExcelApi below 1.9: the pane says the add-in is not supported', async () => {
    const { c } = setup(5, { version: '1.8' });
    await c.start();
    expect(c.state.status).toBe('unsupported');
    expect(c.state.message?.text).toMatch(/不支持考评插件/);
  });
});

describe('live re-scoring of an edited row', () => {
  for (const version of ['1.18', '1.13']) {
    it(`touches only the edited row and never loops on its own writes (ExcelApi ${version})`, async () => {
      const { c, double, sheet } = setup(200, { version, eventsOnFormatWrites: true });
      await c.start();
      await c.score();
      await settle(double, c);
      // Row 7: 活动场所面积 in L. Make it 350 m² (passes ≥90 and ≥300).
      const row = 7;
      const others = () =>
        [...sheet.cells.entries()].filter(([k]) => Math.floor(k / 16384) !== row - 1).map(([k, v]) => [k, v.value, v.fill]);
      const notesElsewhere = () => [...sheet.notes.entries()].filter(([a]) => !new RegExp(`^[A-Z]+${row}$`).test(a));
      const beforeOthers = JSON.stringify(others());
      const beforeNotes = JSON.stringify(notesElsewhere());
      const beforeL = sheet.notes.get(`L${row}`);
      double.resetStats();
      await double.userEdit(SHEET, `L${row}`, 350);
      await settle(double, c);

      expect(c.state.live.updates).toBe(1);
      expect(c.state.message?.text).toMatch(new RegExp(`第${row}行`));
      expect(double.cell(SHEET, `L${row}`)!.fill).toEqual({ color: `#${STATUS_PALETTE.pass.hex}`, pattern: 'Solid' });
      expect(double.cell(SHEET, `L${row}`)!.value).toBe(350);
      if (beforeL) expect(sheet.notes.has(`L${row}`)).toBe(false);
      expect(sheet.comments.has(`L${row}`)).toBe(false);
      expect(JSON.stringify(others())).toBe(beforeOthers);
      expect(JSON.stringify(notesElsewhere())).toBe(beforeNotes);
      // Read the row, write the row; our own writes' change events re-score nothing.
      if (version === '1.18') {
        expect(double.stats.syncs).toBe(2);
        expect(c.ignoredOwnChanges).toBeGreaterThan(0);
      } else {
        // Without triggerSource (1.14), each echo costs one read that finds the values unchanged, then stops:
        // nothing more is written.
        expect(double.stats.syncs).toBeLessThanOrEqual(2 + double.events.filter((e) => e.sheet === SHEET).length);
        expect(c.unchangedEvents).toBeGreaterThan(0);
      }
      const syncs = double.stats.syncs;
      await settle(double, c);
      expect(double.stats.syncs).toBe(syncs);

      // Back to a failing value: red again, with a note citing the article.
      await double.userEdit(SHEET, `L${row}`, 60);
      await settle(double, c);
      expect(double.cell(SHEET, `L${row}`)!.fill).toEqual({ color: `#${STATUS_PALETTE.fail.hex}`, pattern: 'Solid' });
      const explained = version === '1.18' ? sheet.notes.get(`L${row}`) : sheet.comments.get(`L${row}`)?.content;
      expect(explained).toMatch(new RegExp(`${KAOPING_NOTE_SEPARATOR}[\\s\\S]*基本标准第24条`));
      // 清除 still gives back exactly what the officer has now.
      await c.clear();
      expect(sheet.notes.has(`L${row}`)).toBe(false);
      expect(sheet.comments.has(`L${row}`)).toBe(false);
      expect(double.cell(SHEET, `L${row}`)!.fill).toBeNull();
    }, 60_000);
  }

  it('asks for a full 评分 when the header or a non-village row is edited', async () => {
    const { c, double } = setup(30);
    await c.start();
    await c.score();
    await double.userEdit(SHEET, 'L4', '场所面积');
    await settle(double, c);
    expect(c.state.live.stale).toMatch(/表头/);
    await double.userEdit(SHEET, 'B40', '130102001999');
    await settle(double, c);
    expect(c.state.live.stale).toMatch(/重新点“评分”/);
  });
});

describe('上报', () => {
  function fakeFetch(answer: { status: number; body: unknown } | 'offline') {
    const calls: { url: string; init?: Parameters<FetchLike>[1] }[] = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push({ url, ...(init ? { init } : {}) });
      if (answer === 'offline') throw new TypeError('Failed to fetch');
      return { ok: answer.status < 300, status: answer.status, json: async () => answer.body, text: async () => JSON.stringify(answer.body) };
    };
    return { fetch, calls };
  }

  it('POSTs the Submission with the bearer token and shows the per-row outcome', async () => {
    const outcomes = [
      { row: 5, code: '130102001001', name: '张家庄1村', status: 'accepted', total: 88.5, level: '达标' },
      { row: 6, code: '130102001002', name: '李家庄2村', status: 'rejected', cell: 'B6', reason: '区划代码不在本乡镇' },
    ];
    const { fetch, calls } = fakeFetch({ status: 201, body: { submission: { id: 's1', duplicate: false, rows: { total: 2, accepted: 1, rejected: 1 } }, outcomes } });
    const { c } = setup(40, {}, { fetch });
    await c.start();
    c.setConfig({ workerUrl: 'https://kaoping.example.cn/', token: 'tok-123' });
    await c.score();
    await c.submit();
    const post = calls.find((x) => x.init?.method === 'POST')!;
    expect(post.url).toBe('https://kaoping.example.cn/api/submissions');
    expect(post.init!.headers!.Authorization).toBe('Bearer tok-123');
    const body = JSON.parse(post.init!.body!) as Submission;
    const check = validateSubmission(body);
    expect(check.ok).toBe(true);
    expect(body).toMatchObject({ period: '2026Q3', townshipCode: '130102001', sheet: SHEET, source: 'addin' });
    expect(body.rows).toHaveLength(40);
    expect(body.rows[0]!.row).toBe(5);
    expect(body.rows[0]!.values.activityArea).toMatchObject({ a: 'L5' });
    expect(body.rows[0]!.values.code).toEqual({ a: 'B5', v: '130102001001' });
    expect(body.columns.find((x) => x.letter === 'L')).toMatchObject({ input: 'activityArea', unit: '平方米' });
    expect(c.state.submission).toMatchObject({ phase: 'done' });
    expect(c.state.submission!.answer!.outcomes).toHaveLength(2);
    expect(c.state.submission!.text).toMatch(/接收 1 个村，退回 1 个村/);
  });

  it('explains a refused token, an unreachable server and a missing configuration in Chinese', async () => {
    const denied = fakeFetch({ status: 401, body: { error: { code: 'unauthorized', message: '令牌已过期' } } });
    const a = setup(10, {}, { fetch: denied.fetch });
    await a.c.start();
    await a.c.submit();
    expect(a.c.state.message?.text).toMatch(/请先在“设置”中填写/);
    a.c.setConfig({ workerUrl: 'https://k.example.cn', token: 'x' });
    await a.c.submit();
    expect(a.c.state.message?.text).toMatch(/令牌无效.*令牌已过期/);
    const offline = fakeFetch('offline');
    const b = setup(10, {}, { fetch: offline.fetch });
    await b.c.start();
    b.c.setConfig({ workerUrl: 'https://k.example.cn', token: 'x' });
    await b.c.submit();
    expect(b.c.state.submission).toMatchObject({ phase: 'error' });
    expect(b.c.state.message?.text).toMatch(/无法连接县里的服务器/);
  });
});

describe('the rulebook', () => {
  it('uses the county rulebook when reachable, caches it, and scores offline with the cache or the standards', async () => {
    const online = (() => {
      const calls: string[] = [];
      const fetch: FetchLike = async (url) => {
        calls.push(url);
        return { ok: true, status: 200, json: async () => ({ version: 3, effectiveFrom: '2026', json: countyExample }), text: async () => '' };
      };
      return { fetch, calls };
    })();
    const storage = new MemoryStorage();
    storage.setItem('kaoping.config', JSON.stringify({ workerUrl: 'https://k.example.cn', token: 't' }));
    const a = setup(30, {}, { fetch: online.fetch, storage });
    await a.c.start();
    expect(online.calls[0]).toBe('https://k.example.cn/api/county/rulebook');
    expect(a.c.state.rulebook).toMatchObject({ source: 'county', name: countyExample.name, version: 3 });
    expect(storage.getItem(cacheKey('https://k.example.cn'))).toBeTruthy();
    await a.c.score();
    expect(a.c.state.result!.levels).not.toHaveProperty('待定');

    const offline: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    const b = setup(30, {}, { fetch: offline, storage });
    await b.c.start();
    expect(b.c.state.rulebook).toMatchObject({ source: 'cache', name: countyExample.name });
    expect(b.c.state.message?.text).toMatch(/无法连接.*使用上次缓存的细则/);
    await b.c.score();
    expect(b.c.state.result!.levels).toEqual(a.c.state.result!.levels);

    const fresh = new MemoryStorage();
    fresh.setItem('kaoping.config', JSON.stringify({ workerUrl: 'https://k.example.cn', token: 't' }));
    const d = setup(30, {}, { fetch: offline, storage: fresh });
    await d.c.start();
    expect(d.c.state.rulebook.source).toBe('default');
    expect(d.c.state.message?.text).toMatch(/按默认标准评分/);
    await d.c.score();
    expect(d.c.state.message?.kind).toBe('success');
  });
});
