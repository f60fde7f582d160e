import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { call, T1, T2 } from './helpers.ts';
import { callWith, count, form, rawKeys, sha256, submission, V, NAMES, villages, type Answer, type Outcome } from './submission-helpers.ts';
import { canonicalJson } from '../../worker/submissions/canonical.ts';
import { describeProblem } from '../../worker/routes/submissions.ts';

const post = (login: string, json: unknown) => call(login, '/api/submissions', { method: 'POST', json });
const upload = (login: string, body: FormData) => call(login, '/api/submissions/file', { method: 'POST', body });

describe('POST /api/submissions (rows)', () => {
  it('scores every row with the county engine and stores the submission, its results and the raw bytes', async () => {
    const sub = villages('2025Q1', [60, 120, 350, '95㎡', 89]);
    const res = await post('town1', sub);
    expect(res.status).toBe(201);
    const body = await res.json<Answer>();
    expect(body.submission).toMatchObject({ duplicate: false, kind: 'rows', townshipCode: T1, period: '2025Q1', rulebookVersion: null, rows: { total: 5, accepted: 5, rejected: 0 } });
    expect(body.outcomes.map((o) => [o.row, o.code, o.name, o.status])).toEqual(NAMES.map((n, i) => [5 + i, V(i), n, 'accepted']));
    // Default scoring: 基本标准 compliance rate over judged requirements (basic-24 area, basic-41 income).
    expect(body.outcomes.map((o) => [o.total, o.level])).toEqual([
      [50, '未达标'],
      [100, '待定'],
      [100, '待定'],
      [100, '待定'],
      [50, '未达标'],
    ]);
    const id = body.submission.id;
    const stored = await env.DB.prepare('SELECT * FROM submissions WHERE id = ?').bind(id).first<Record<string, unknown>>();
    expect(stored).toMatchObject({ sha256: body.submission.sha256, r2_key: `raw/${body.submission.sha256}`, county_code: '410999', account_id: 'acc-town1', rows_accepted: 5 });
    const rows = await env.DB.prepare('SELECT * FROM village_results WHERE submission_id = ? ORDER BY village_code').bind(id).all<Record<string, any>>();
    expect(rows.results).toHaveLength(5);
    expect(rows.results[0]).toMatchObject({ village_code: V(0), name: '张庄村', total_cents: 5000, max_cents: 10000, level: '未达标', superseded_by: null, sheet_row: 5, org_type: '党支部' });
    const results = JSON.parse(rows.results[0]!.results_json) as { id: string; status: string; cell?: string }[];
    expect(results.find((r) => r.id === 'basic-24')).toMatchObject({ status: 'fail', cell: 'D5' });
    expect(rows.results[0]!.pass_count + rows.results[0]!.fail_count + rows.results[0]!.open_count).toBe(results.length);
    // The raw bytes are the canonical JSON, content-addressed; GET …/raw returns them.
    const canonical = canonicalJson(sub);
    expect(body.submission.sha256).toBe(await sha256(canonical));
    expect(await (await env.RAW.get(`raw/${body.submission.sha256}`))!.text()).toBe(canonical);
    const raw = await call('county', `/api/submissions/${id}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toMatch(/application\/json/);
    expect(await raw.text()).toBe(canonical);
    // One, and the list.
    const one = await call('county', `/api/submissions/${id}`);
    expect(await one.json()).toMatchObject({ submission: { id, duplicate: false }, outcomes: body.outcomes });
    const list = await (await call('town1', '/api/submissions?period=2025Q1')).json<{ submissions: { id: string }[] }>();
    expect(list.submissions.map((s) => s.id)).toContain(id);
  });

  it('the same bytes twice are one submission (duplicate: true, 200), whatever the key order', async () => {
    const sub = villages('2025Q2', [100, 100, 100, 100, 100]);
    const first = await post('town1', sub);
    expect(first.status).toBe(201);
    const a = await first.json<Answer>();
    const before = await Promise.all([count('submissions'), count('village_results'), count('ledger_items'), rawKeys()]);
    // Same content, keys reordered: same canonical bytes.
    const reordered = Object.fromEntries(Object.entries(sub).reverse());
    const again = await post('town1', reordered);
    expect(again.status).toBe(200);
    const b = await again.json<Answer>();
    expect(b.submission).toMatchObject({ id: a.submission.id, duplicate: true, sha256: a.submission.sha256, createdAt: a.submission.createdAt });
    expect(b.outcomes).toEqual(a.outcomes);
    expect(await Promise.all([count('submissions'), count('village_results'), count('ledger_items'), rawKeys()])).toEqual(before);
    // The same bytes from an admin for the same township and period: still the same submission.
    expect((await post('admin', sub)).status).toBe(200);
  });

  it('the same submission sent twice at once is still one submission', async () => {
    const sub = villages('2024Q4', [95, 96, 97, 98, 99]);
    const [a, b] = await Promise.all([post('town1', sub), post('town1', sub)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const [ja, jb] = [await a.json<Answer>(), await b.json<Answer>()];
    expect(ja.submission.id).toBe(jb.submission.id);
    expect(await count('submissions', "period = '2024Q4'")).toBe(1);
    expect(await count('village_results', "period = '2024Q4'")).toBe(5);
  });

  it('a later submission supersedes earlier results for the rankings; both stay in D1 and R2', async () => {
    const first = await (await post('town1', villages('2025Q3', [60, 60, 60, 60, 60]))).json<Answer>();
    const second = await (await post('town1', villages('2025Q3', [120, 120, 120, 120, 60]))).json<Answer>();
    expect(second.submission.createdAt >= first.submission.createdAt).toBe(true);
    const all = await env.DB.prepare("SELECT submission_id, village_code, superseded_by, total_cents FROM village_results WHERE period = '2025Q3' ORDER BY village_code, created_at").all<{
      submission_id: string;
      superseded_by: string | null;
      total_cents: number;
    }>();
    expect(all.results).toHaveLength(10);
    for (const r of all.results) expect(r.superseded_by).toBe(r.submission_id === first.submission.id ? second.submission.id : null);
    const active = await env.DB.prepare("SELECT DISTINCT submission_id FROM village_results WHERE period = '2025Q3' AND superseded_by IS NULL").all<{ submission_id: string }>();
    expect(active.results.map((r) => r.submission_id)).toEqual([second.submission.id]);
    const keys = await rawKeys();
    expect(keys).toEqual(expect.arrayContaining([`raw/${first.submission.sha256}`, `raw/${second.submission.sha256}`]));
    // A third submission naming only one village supersedes only that village.
    const third = await (await post('town1', submission('2025Q3', [{ row: 5, code: V(4), name: '陈店村', area: 200, income: 3 }]))).json<Answer>();
    const now = await env.DB.prepare("SELECT village_code, submission_id FROM village_results WHERE period = '2025Q3' AND superseded_by IS NULL ORDER BY village_code").all<{
      village_code: string;
      submission_id: string;
    }>();
    expect(now.results.map((r) => r.submission_id)).toEqual([...Array(4).fill(second.submission.id), third.submission.id]);
  });

  it('rejects rows one by one, naming the cell and the reason in Chinese', async () => {
    const res = await post(
      'town1',
      submission('2025Q4', [
        { row: 5, code: V(0), name: '张庄村', area: 100 },
        { row: 6, code: '41099910020', name: '短码村', area: 100 },
        { row: 7, name: '无码村', area: 100 },
        { row: 8, code: V(0, T2), name: '黄店村', area: 100 },
        { row: 9, code: `${T1}299`, name: '新村', area: 100 },
        { row: 10, code: V(0), name: '张庄村', area: 120 },
        { row: 11, code: V(1), name: '李寨村', orgType: '居委会', area: 100 },
        { row: 12, code: '4.10999E+11', name: '科学村', area: 100 },
        { row: 13, code: V(2), name: '王屯村', area: 100 },
      ]),
    );
    expect(res.status).toBe(201);
    const { submission: s, outcomes } = await res.json<Answer>();
    expect(s.rows).toEqual({ total: 9, accepted: 2, rejected: 7 });
    const by = new Map(outcomes.map((o) => [o.row, o]));
    const rej = (row: number): Outcome => by.get(row)!;
    expect(rej(5)).toMatchObject({ status: 'accepted', code: V(0) });
    expect(rej(6)).toMatchObject({ status: 'rejected', cell: 'A6', reason: expect.stringMatching(/区划代码应为12位数字.*11位/) });
    expect(rej(7)).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/区划代码/) });
    expect(rej(8)).toMatchObject({ status: 'rejected', cell: 'A8', reason: expect.stringMatching(/前9位为410999101，不是本乡镇（东风镇，410999100）的村/) });
    expect(rej(9)).toMatchObject({ status: 'rejected', cell: 'A9', reason: expect.stringMatching(/不在东风镇的村名录中/) });
    expect(rej(10)).toMatchObject({ status: 'rejected', cell: 'A10', reason: expect.stringMatching(/与第5行重复.*已采用第5行/) });
    expect(rej(11)).toMatchObject({ status: 'rejected', cell: 'C11', reason: expect.stringMatching(/党组织类型（C11）无法识别/) });
    expect(rej(12)).toMatchObject({ status: 'rejected', cell: 'A12', reason: expect.stringMatching(/科学计数法/) });
    expect(rej(13)).toMatchObject({ status: 'accepted', code: V(2), name: '王屯村' });
    // Only accepted rows are stored as results (row 5, not the later duplicate row 10).
    const stored = await env.DB.prepare('SELECT village_code, sheet_row FROM village_results WHERE submission_id = ? ORDER BY sheet_row').bind(s.id).all();
    expect(stored.results).toEqual([
      { village_code: V(0), sheet_row: 5 },
      { village_code: V(2), sheet_row: 13 },
    ]);
  });

  it('who may submit: a township officer for their own township only, an admin for their county', async () => {
    const sub = villages('2026Q1', [100, 100, 100, 100, 100]);
    const other = { ...sub, townshipCode: T2, rows: [{ row: 5, values: { code: { a: 'A5', v: V(0, T2) }, orgType: { a: 'C5', v: '党支部' } } }] };
    const r1 = await post('town1', other);
    expect(r1.status).toBe(403);
    expect((await r1.json<{ error: { message: string } }>()).error.message).toMatch(/只能上报本乡镇（410999100）/);
    expect((await post('other-town', sub)).status).toBe(403);
    for (const login of ['county', 'finance', 'province']) expect((await post(login, sub)).status, login).toBe(403);
    expect((await post('other-county', sub)).status).toBe(403);
    expect((await post('admin', other)).status).toBe(201);
    const foreign = { ...sub, townshipCode: '410998100', rows: [{ row: 5, values: { code: { a: 'A5', v: '410998100200' } } }] };
    expect((await post('admin', foreign)).status).toBe(403);
    const unknown = await post('admin', { ...sub, townshipCode: '410999199' });
    expect(unknown.status).toBe(400);
    expect((await unknown.json<{ error: { code: string } }>()).error.code).toBe('unknown_township');
    expect((await call(null, '/api/submissions', { method: 'POST', json: sub })).status).toBe(401);
    // Reading is scoped too.
    const id = (await env.DB.prepare('SELECT id FROM submissions WHERE township_code = ? LIMIT 1').bind(T2).first<{ id: string }>())!.id;
    expect((await call('town1', `/api/submissions/${id}`)).status).toBe(403);
    expect((await call('town1', `/api/submissions/${id}/raw`)).status).toBe(403);
    expect((await call('other-county', `/api/submissions/${id}`)).status).toBe(403);
    expect((await call('town2', `/api/submissions/${id}`)).status).toBe(200);
    expect((await call('town1', `/api/submissions?township=${T2}`)).status).toBe(403);
    expect((await call('other-county', `/api/submissions?township=${T2}`)).status).toBe(403);
    expect((await call('province', '/api/submissions')).status).toBe(403);
    const prov = await (await call('province', '/api/submissions?county=410999')).json<{ submissions: { townshipCode: string }[] }>();
    expect(prov.submissions.length).toBeGreaterThan(0);
    const own = await (await call('town1', '/api/submissions')).json<{ submissions: { townshipCode: string }[] }>();
    expect(own.submissions.every((x) => x.townshipCode === T1)).toBe(true);
    expect((await call('county', '/api/submissions/not-an-id')).status).toBe(404);
  });

  it('bad JSON and wrong fields → 400 naming each field path in Chinese', async () => {
    const bad = await call('town1', '/api/submissions', { method: 'POST', body: '{"period": ', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'bad_json', message: '请求内容不是有效的 JSON（UTF-8 编码）' } });
    const sub = villages('2026Q5', [100]);
    sub.townshipCode = '4109991';
    sub.rows[0].values.activityArea.a = 'D';
    sub.extra = 1;
    const res = await post('town1', sub);
    expect(res.status).toBe(400);
    const { error } = await res.json<{ error: { code: string; message: string; detail: { path: string; message: string }[] } }>();
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/期次（period）：期次格式应为/);
    expect(error.message).toMatch(/乡镇代码（townshipCode）：乡镇代码应为9位数字/);
    expect(error.message).toMatch(/数据行第1项（rows\[0\]\.values\.activityArea\.a）：单元格地址应形如 F7/);
    expect(error.message).toMatch(/extra：不认识的字段/);
    expect(error.detail.map((d) => d.path)).toEqual(expect.arrayContaining(['period', 'townshipCode', 'rows[0].values.activityArea.a']));
    expect(describeProblem({ path: '', message: '必须是一个对象' })).toBe('请求内容：必须是一个对象');
  });

  it('a JSON body over 8 MB → 413', async () => {
    const res = await call('town1', '/api/submissions', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'content-length': String(9 * 1024 * 1024) } });
    expect(res.status).toBe(413);
  });
});

describe('a D1 failure after the R2 put', () => {
  /** The same env, except that every DB.batch (the one atomic write) fails. */
  function brokenEnv(): Cloudflare.Env {
    const db = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === 'batch') return () => Promise.reject(new Error('D1_ERROR: simulated failure'));
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    return { ...env, DB: db } as Cloudflare.Env;
  }

  it('answers 500 with the truth, leaves no orphan raw object and writes nothing', async () => {
    const tables = ['submissions', 'village_results', 'ledger_items', 'audit_log'];
    const before = await Promise.all([...tables.map((t) => count(t)), rawKeys()]);
    const sub = villages('2026Q2', [10, 20, 30, 40, 50]);
    const res = await callWith(brokenEnv(), 'town1', '/api/submissions', { method: 'POST', json: sub });
    expect(res.status).toBe(500);
    const { error } = await res.json<{ error: { code: string; message: string } }>();
    expect(error).toEqual({ code: 'store_failed', message: '上报未能保存：写入县级数据库时出错，本次上报的任何数据都没有保存，请稍后重新上报' });
    expect(await Promise.all([...tables.map((t) => count(t)), rawKeys()])).toEqual(before);
    expect(await env.RAW.head(`raw/${await sha256(canonicalJson(sub))}`)).toBeNull();
    // Sent again once the database is back: accepted normally.
    expect((await post('town1', sub)).status).toBe(201);
  });

  it('keeps a raw object another submission references', async () => {
    // The same file for two periods: two submissions sharing one raw object. The second write fails.
    const bytes = gbCsv('东风镇调查表');
    const ok = await (await upload('town1', form(bytes, 'a.csv', { period: '2023Q1' }))).json<Answer>();
    expect(ok.submission.duplicate).toBe(false);
    const subs = await count('submissions');
    const res = await callWith(brokenEnv(), 'town1', '/api/submissions/file', { method: 'POST', body: form(bytes, 'a.csv', { period: '2023Q2' }) });
    expect(res.status).toBe(500);
    expect(await count('submissions')).toBe(subs);
    expect(await env.RAW.head(`raw/${ok.submission.sha256}`)).not.toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------
// Files: the same village rows as an xlsx (ExcelJS) and as a GB18030 CSV give the same outcomes as JSON.

const FILE_ROWS: (string | number | null)[][] = [
  [V(0), '张庄村', '党支部', 60, 3],
  [V(1), '李寨村', '党总支', '120㎡', '2.5'],
  ['41099910020', '短码村', '党支部', 100, 3],
  [V(0, T2), '黄店村', '党支部', 100, 3],
  [V(1), '李寨村', '党支部', 100, 3],
  [V(2), '王屯村', '党支部', 350, 6],
];
const HEADER = ['区划代码', '村名', '党组织类型', '活动场所面积（平方米）', '集体经营性收入（万元）'];

function jsonFor(period: string): unknown {
  return submission(
    period,
    FILE_ROWS.map((r, i) => ({ row: 5 + i, code: r[0] as string, name: r[1] as string, orgType: r[2] as string, area: r[3]!, income: r[4]! })),
  );
}

async function xlsx(title: string): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('调查表');
  ws.addRow([title]);
  ws.mergeCells(1, 1, 1, 5);
  ws.addRow(['填报单位：东风镇党委（盖章）']);
  ws.addRow([]);
  ws.addRow(HEADER);
  // Codes typed as numbers, as real sheets do.
  for (const r of FILE_ROWS) ws.addRow(r.map((v, i) => (i === 0 && typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v)));
  ws.addRow(['合计']);
  ws.addRow(['填表人：王某某', '', '审核人：李某某']);
  wb.addWorksheet('填表说明').addRow(['说明：演示']);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

function gbCsv(title: string): Uint8Array {
  const lines = [[title], ['填报单位：东风镇党委'], [], HEADER, ...FILE_ROWS, ['合计'], ['填表人：王某某']];
  return new Uint8Array(iconv.encode(lines.map((l) => l.map((c) => (c === null ? '' : String(c))).join(',')).join('\r\n'), 'gb18030'));
}

const essential = (o: Outcome[]) => o.map(({ row, code, status, cell, reason, total, level }) => ({ row, code, status, cell, reason, total, level }));

describe('POST /api/submissions/file', () => {
  it('an xlsx and a GB18030 CSV give the same outcomes and results as the JSON path', async () => {
    const viaJson = await (await post('town1', jsonFor('2024Q3'))).json<Answer>();
    expect(viaJson.submission.rows).toEqual({ total: 6, accepted: 3, rejected: 3 });

    const x = await upload('town1', form(await xlsx('东风镇2024年第三季度村党组织建设情况调查表'), '东风镇调查表.xlsx'));
    expect(x.status).toBe(201);
    const viaXlsx = await x.json<Answer>();
    expect(viaXlsx.submission).toMatchObject({ kind: 'file', period: '2024Q3', townshipCode: T1 });
    expect(viaXlsx.notes).toContain('期次：2024年第三季度（按表头标题识别）');
    expect(viaXlsx.outcomes.every((o) => o.sheet === '调查表')).toBe(true);
    expect(essential(viaXlsx.outcomes)).toEqual(essential(viaJson.outcomes));

    const c = await upload('town1', form(gbCsv('东风镇2024年第三季度调查表'), '调查表.csv'));
    expect(c.status).toBe(201);
    const viaCsv = await c.json<Answer>();
    expect(viaCsv.notes.join('；')).toMatch(/GB18030/);
    expect(essential(viaCsv.outcomes)).toEqual(essential(viaJson.outcomes));

    // The stored requirement results agree too (status, cell, value of every requirement).
    const results = async (id: string) =>
      (await env.DB.prepare('SELECT village_code, results_json FROM village_results WHERE submission_id = ? ORDER BY village_code').bind(id).all<{ village_code: string; results_json: string }>()).results.map(
        (r) => [r.village_code, (JSON.parse(r.results_json) as { id: string; status: string; cell?: string; value?: unknown }[]).map((q) => [q.id, q.status, q.cell, q.value])],
      );
    const j = await results(viaJson.submission.id);
    expect(await results(viaXlsx.submission.id)).toEqual(j);
    expect(await results(viaCsv.submission.id)).toEqual(j);
    // Each later upload superseded the earlier one for the same villages and period.
    expect(await count('village_results', "period = '2024Q3' AND superseded_by IS NULL")).toBe(3);
    expect(await count('village_results', "period = '2024Q3'")).toBe(9);

    // The raw bytes come back as uploaded, with the original file name.
    const raw = await call('town1', `/api/submissions/${viaCsv.submission.id}/raw`);
    expect(raw.headers.get('content-type')).toBe('text/csv');
    expect(raw.headers.get('content-disposition')).toBe(
      `attachment; filename="${viaCsv.submission.id}.csv"; filename*=UTF-8''${encodeURIComponent('调查表.csv')}`,
    );
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(gbCsv('东风镇2024年第三季度调查表'));
    // The same file again is the same submission.
    const again = await upload('town1', form(gbCsv('东风镇2024年第三季度调查表'), '另一个名字.csv'));
    expect(again.status).toBe(200);
    expect((await again.json<Answer>()).submission).toMatchObject({ id: viaCsv.submission.id, duplicate: true });
  });

  it('the period from the form wins; an admin names the township; no period anywhere → 400', async () => {
    const bytes = await xlsx('村党组织建设情况调查表');
    const none = await upload('town1', form(bytes, '调查表.xlsx'));
    expect(none.status).toBe(400);
    expect((await none.json<{ error: { code: string; message: string } }>()).error).toMatchObject({ code: 'period_required', message: expect.stringMatching(/无法确定工作表“调查表”的考评期次/) });
    const res = await upload('town1', form(bytes, '调查表.xlsx', { period: '2024Q2' }));
    expect(res.status).toBe(201);
    expect((await res.json<Answer>()).submission.period).toBe('2024Q2');
    const admin = await upload('admin', form(bytes, '调查表.xlsx', { period: '2024Q2' }));
    expect(admin.status).toBe(400);
    expect((await admin.json<{ error: { code: string } }>()).error.code).toBe('township_required');
    expect((await upload('admin', form(bytes, '调查表.xlsx', { period: '2024Q2', township: T1 }))).status).toBe(200);
    expect((await upload('town1', form(bytes, '调查表.xlsx', { period: '2024Q2', township: T2 }))).status).toBe(403);
    expect((await upload('town1', form(bytes, '调查表.xlsx', { period: '2024Q9' }))).status).toBe(400);
  });

  it('every workbook format gives the same outcomes and results as the JSON path: .xls, .ods, SpreadsheetML 2003, an HTML table (GBK) under .xls', async () => {
    const viaJson = await (await post('town1', jsonFor('2024Q4'))).json<Answer>();
    const results = async (id: string) =>
      (await env.DB.prepare('SELECT village_code, results_json FROM village_results WHERE submission_id = ? ORDER BY village_code').bind(id).all<{ village_code: string; results_json: string }>()).results.map(
        (r) => [r.village_code, (JSON.parse(r.results_json) as { id: string; status: string; cell?: string; value?: unknown }[]).map((q) => [q.id, q.status, q.cell])],
      );
    const expected = await results(viaJson.submission.id);
    const book = XLSX.read(await xlsx('东风镇2024年第四季度村党组织建设情况调查表'), { type: 'array', cellNF: true });
    // A web system's export: every cell the text it shows (codes as text), GB2312 declared, GBK bytes.
    const tr = (cells: (string | number | null)[]) => `<tr>${cells.map((c) => `<td>${c ?? ''}</td>`).join('')}</tr>`;
    const page = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><table border="1">${[
      tr(['东风镇2024年第四季度村党组织建设情况调查表']),
      tr(['填报单位：东风镇党委（盖章）']),
      tr([]),
      tr(HEADER),
      ...FILE_ROWS.map(tr),
      tr(['合计']),
    ].join('')}</table></body></html>`;
    const html = new Uint8Array(iconv.encode(page, 'gbk'));
    const files: [string, Uint8Array, string][] = [
      ['东风镇调查表.xls', new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xls' }) as ArrayBuffer), 'application/vnd.ms-excel'],
      ['东风镇调查表.ods', new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'ods' }) as ArrayBuffer), 'application/vnd.oasis.opendocument.spreadsheet'],
      ['东风镇调查表.xml', new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlml' }) as ArrayBuffer), 'application/vnd.ms-excel'],
      ['系统导出.xls', html, 'application/vnd.ms-excel'],
    ];
    for (const [name, bytes, type] of files) {
      const res = await upload('town1', form(bytes, name, { period: '2024Q4' }));
      expect(res.status, name).toBe(201);
      const answer = await res.json<Answer>();
      expect(essential(answer.outcomes), name).toEqual(essential(viaJson.outcomes));
      expect(await results(answer.submission.id), name).toEqual(expected);
      // The raw bytes are kept as uploaded and never served as a page a browser would render.
      const raw = await call('town1', `/api/submissions/${answer.submission.id}/raw`);
      expect(raw.headers.get('content-type'), name).toBe(type);
      expect(new Uint8Array(await raw.arrayBuffer())).toEqual(bytes);
    }
  });

  it('refuses an upload over 10 MB with 413, and files that are not tables with 400', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    const res = await upload('town1', form(big, '调查表.csv', { period: '2024Q1' }));
    expect(res.status).toBe(413);
    expect((await res.json<{ error: { message: string } }>()).error.message).toMatch(/上限为 10 MB/);
    const declared = await call('town1', '/api/submissions/file', { method: 'POST', body: 'x', headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(50 * 1024 * 1024) } });
    expect(declared.status).toBe(413);
    const junk = await upload('town1', form(new Uint8Array([1, 2, 3]), '调查表.xls'));
    expect(junk.status).toBe(400);
    expect((await junk.json<{ error: { code: string; message: string } }>()).error).toMatchObject({ code: 'file_binary', message: expect.stringMatching(/不是可识别的表格.*另存为 \.xlsx/) });
    const pdf = await upload('town1', form(new TextEncoder().encode('%PDF-1.4 …'), '调查表.xlsx', { period: '2024Q1' }));
    expect(pdf.status).toBe(400);
    expect((await pdf.json<{ error: { message: string } }>()).error.message).toMatch(/PDF/);
    const noCode = await upload('town1', form(new TextEncoder().encode('村名,活动场所面积\n张庄村,100\n'), '2024Q1.csv'));
    expect(noCode.status).toBe(400);
    expect((await noCode.json<{ error: { code: string } }>()).error.code).toBe('no_code_column');
    const notForm = await call('town1', '/api/submissions/file', { method: 'POST', json: {} });
    expect(notForm.status).toBe(415);
    const noFile = await upload('town1', (() => { const f = new FormData(); f.append('period', '2024Q1'); return f; })());
    expect(noFile.status).toBe(400);
    expect(await count('submissions', "period = '2024Q1'")).toBe(0);
  });
});
