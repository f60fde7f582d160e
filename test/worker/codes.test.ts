// 区划代码调整 inside workerd (worker/codes/, /api/code-changes): validation, conflicts, the audit entry, a
// submission naming an ended code refused with the new code(s), the old code still accepted for earlier
// periods, and rankings/trends following a village through a merge and a rename (连续后进, movement).
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, COUNTY, seed } from './helpers.ts';
import { submission } from './submission-helpers.ts';

/** Two townships of county 410999 of this file's own (the other files' villages stay untouched). */
const T3 = '410999102';
const T4 = '410999103';
const v3 = (n: number) => `${T3}${n}`;
const v4 = (n: number) => `${T4}${n}`;

const change = (login: string, json: unknown) => call(login, '/api/code-changes', { method: 'POST', json });
const q = <T>(sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .all<T>()
    .then((r) => r.results);

let sub = 0;
/** Results stored directly, one submission per township and period (as rankings.test.ts does). */
async function putResults(period: string, township: string, rows: { village: string; total: number }[]): Promise<void> {
  const id = `codes-sub-${++sub}`;
  const at = '2026-10-01T00:00:00.000Z';
  await env.DB.prepare(
    `INSERT INTO submissions (id, sha256, r2_key, kind, county_code, township_code, period, rulebook_version, account_id, file_name, sheet, rows_total, rows_accepted, rows_rejected, outcome_json, created_at)
     VALUES (?, ?, ?, 'rows', ?, ?, ?, NULL, 'acc-admin', NULL, 'Sheet1', ?, ?, 0, '[]', ?)`,
  )
    .bind(id, id.padEnd(64, '0'), `raw/${id}`, COUNTY, township, period, rows.length, rows.length, at)
    .run();
  await env.DB.batch(
    rows.map((r, i) =>
      env.DB.prepare(
        `INSERT INTO village_results (submission_id, village_code, period, county_code, township_code, sheet_row, name, org_type, total_cents, max_cents, level,
           veto, weak_flag, pass_count, fail_count, open_count, results_json, superseded_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, '党支部', ?, 10000, '达标', 0, 0, 0, 0, 0, '[]', NULL, ?)`,
      ).bind(id, r.village, period, COUNTY, township, i + 3, `村${r.village.slice(-3)}`, Math.round(r.total * 100), at),
    ),
  );
}

async function ranking(period: string, township: string): Promise<Map<string, any>> {
  const res = await call('county', `/api/rankings/villages?period=${period}&county=${COUNTY}&township=${township}`);
  expect(res.status).toBe(200);
  const body = await res.json<{ villages: any[] }>();
  return new Map(body.villages.map((v) => [v.code, v]));
}

beforeAll(async () => {
  await seed();
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO townships VALUES (?, ?, '新城镇')").bind(T3, COUNTY),
    env.DB.prepare("INSERT OR IGNORE INTO townships VALUES (?, ?, '南山镇')").bind(T4, COUNTY),
    ...['甲村', '乙村', '丙村', '丁村', '戊村'].map((n, i) => env.DB.prepare('INSERT OR IGNORE INTO villages (code, township_code, name) VALUES (?, ?, ?)').bind(v3(201 + i), T3, n)),
    ...['东村', '西村', '北村'].map((n, i) => env.DB.prepare('INSERT OR IGNORE INTO villages (code, township_code, name) VALUES (?, ?, ?)').bind(v4(201 + i), T4, n)),
  ]);
  // 2025Q4 in 新城镇: 甲 last (50), 乙 70, 丙 80, 戊 85, 丁 90. 2026Q1 and 2026Q2 are stored after the changes below.
  await putResults('2025Q4', T3, [
    { village: v3(201), total: 50 },
    { village: v3(202), total: 70 },
    { village: v3(203), total: 80 },
    { village: v3(204), total: 90 },
    { village: v3(205), total: 85 },
  ]);
});

describe('POST /api/code-changes: validation and conflicts', () => {
  it('refuses malformed changes with the field and a Chinese reason', async () => {
    const bad = async (json: unknown) => {
      const res = await change('admin', json);
      expect(res.status).toBe(400);
      return (await res.json<{ error: { code: string; message: string } }>()).error;
    };
    expect((await bad({ kind: 'merge', period: '2026Q1', from: [v3(201)], to: { code: v3(210), name: '合一村' } })).message).toContain('合并至少需要 2 个原代码');
    expect((await bad({ kind: 'split', period: '2026Q1', from: v4(201), to: [{ code: v4(211), name: '东一村' }] })).message).toContain('拆分至少需要 2 个新代码');
    expect((await bad({ kind: 'merge', period: '2026Q5', from: [v3(201), v3(202)], to: { code: v3(210), name: '合一村' } })).message).toContain('期次应写成');
    expect((await bad({ kind: 'merge', period: '2026Q1', from: [v3(201), '41099910220'], to: { code: v3(210), name: '合一村' } })).message).toContain('12位数字');
    expect((await bad({ kind: 'join', period: '2026Q1' })).message).toContain('调整类型');
    expect(await bad({ kind: 'merge', period: '2026Q1', from: [v3(201), '410998100200'], to: { code: v3(210), name: '合一村' } })).toMatchObject({
      code: 'other_county',
      message: '区划代码410998100200不是本县（410999）的代码',
    });
    expect((await bad({ kind: 'merge', period: '2026Q1', from: [v3(201), v3(201)], to: { code: v3(210), name: '合一村' } })).message).toContain('出现了两次');
    expect((await bad({ kind: 'rename', period: '2026Q1', code: v3(203), name: '丙村' })).message).toContain('村名已是“丙村”');
    expect((await bad({ kind: 'rename', period: '2026Q1', code: v3(203), name: '新丙村', newCode: v4(230) })).message).toContain('调整乡镇');
    expect((await bad({ kind: 'move', period: '2026Q1', code: v4(202), township: '410999199' })).message).toContain('不在本县乡镇名录中');
    expect(await q('SELECT * FROM code_changes')).toEqual([]);
  });

  it('only the county admin records; county staff read; others are refused', async () => {
    const json = { kind: 'rename', period: '2026Q1', code: v3(203), name: '新丙村' };
    for (const login of ['county', 'finance', 'province', 'town1']) expect((await change(login, json)).status).toBe(403);
    expect((await call('county', '/api/code-changes')).status).toBe(200);
    for (const login of ['finance', 'province', 'town1']) expect((await call(login, '/api/code-changes')).status).toBe(403);
    expect(await q('SELECT * FROM code_changes')).toEqual([]);
  });

  it('refuses a change from a period the old code already has results for', async () => {
    const res = await change('admin', { kind: 'merge', period: '2025Q4', from: [v3(201), v3(202)], to: { code: v3(210), name: '合一村' } });
    expect(res.status).toBe(409);
    expect((await res.json<any>()).error.message).toMatch(/^区划代码41099910220[12]已有2025年第四季度的考评结果：调整须从该期次之后生效/);
    // A year that contains the quarter is refused too.
    expect((await change('admin', { kind: 'merge', period: '2025', from: [v3(201), v3(202)], to: { code: v3(210), name: '合一村' } })).status).toBe(409);
  });
});

describe('a merge: villages, audit, submissions, rankings and trend', () => {
  it('records the merge: a new village from 2026Q1, the old codes ended, one audit entry in the batch', async () => {
    const audits = (await q<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'village.code_change'"))[0]!.n;
    const res = await change('admin', { kind: 'merge', period: '2026q1', from: [v3(201), v3(202)], to: { code: v3(210), name: '合一村' } });
    expect(res.status).toBe(201);
    const made = await res.json<any>();
    expect(made).toMatchObject({ kind: 'merge', period: '2026Q1', periodZh: '2026年第一季度', from: [{ code: v3(201), name: '甲村' }, { code: v3(202), name: '乙村' }], to: [{ code: v3(210), name: '合一村', township: T3 }] });
    expect(
      await q('SELECT v.code, v.name, v.township_code, vv.valid_from, vv.ended_from FROM villages v LEFT JOIN village_validity vv ON vv.code = v.code WHERE v.code IN (?, ?, ?) ORDER BY v.code', v3(201), v3(202), v3(210)),
    ).toEqual([
      { code: v3(201), name: '甲村', township_code: T3, valid_from: null, ended_from: '2026Q1' },
      { code: v3(202), name: '乙村', township_code: T3, valid_from: null, ended_from: '2026Q1' },
      { code: v3(210), name: '合一村', township_code: T3, valid_from: '2026Q1', ended_from: null },
    ]);
    const entries = await q<{ target: string; summary: string; actor_role: string; detail_json: string }>(
      "SELECT target, summary, actor_role, detail_json FROM audit_log WHERE action = 'village.code_change' ORDER BY id",
    );
    expect(entries).toHaveLength(audits + 1);
    expect(entries.at(-1)).toMatchObject({ target: made.id, actor_role: 'admin', summary: `自2026年第一季度起，${v3(201)}（甲村）、${v3(202)}（乙村）合并为${v3(210)}（合一村）` });
    expect(JSON.parse(entries.at(-1)!.detail_json)).toMatchObject({ kind: 'merge', period: '2026Q1' });
    // Earlier results keep their own codes.
    expect((await q<{ village_code: string }>("SELECT village_code FROM village_results WHERE period = '2025Q4' AND township_code = ? ORDER BY village_code", T3)).map((r) => r.village_code)).toEqual(
      [201, 202, 203, 204, 205].map(v3),
    );
    const list = await (await call('county', '/api/code-changes')).json<any>();
    expect(list.changes.map((c: any) => [c.kind, c.period, c.to[0].code])).toContainEqual(['merge', '2026Q1', v3(210)]);
  });

  it('refuses changes that conflict with it, precisely', async () => {
    let res = await change('admin', { kind: 'rename', period: '2026Q2', code: v3(201), name: '甲新村' });
    expect(res.status).toBe(409);
    expect((await res.json<any>()).error.message).toBe(`区划代码${v3(201)}（甲村）已自2026年第一季度起停用（合并），不能再调整`);
    res = await change('admin', { kind: 'merge', period: '2026Q2', from: [v3(204), v3(205)], to: { code: v3(210), name: '又一村' } });
    expect(res.status).toBe(409);
    expect((await res.json<any>()).error.message).toBe(`区划代码${v3(210)}已是村名录中的“合一村”：新代码不能与现有的村重复`);
    res = await change('admin', { kind: 'rename', period: '2025Q4', code: v3(210), name: '合新村', newCode: v3(211) });
    expect(res.status).toBe(409);
    expect((await res.json<any>()).error.message).toContain('自2026年第一季度起才设立');
  });

  it('refuses the old code from 2026Q1 naming the new code, accepts it for 2025Q4, and the new code only from 2026Q1', async () => {
    const rows = (period: string, code: string) => submission(period, [{ row: 5, code, name: '甲村', area: 100, income: 3 }], T3);
    let res = await call('admin', '/api/submissions', { method: 'POST', json: rows('2026Q1', v3(201)) });
    expect(res.status).toBe(201);
    let out = (await res.json<any>()).outcomes[0];
    expect(out).toMatchObject({ status: 'rejected', cell: 'A5', reason: `区划代码 ${v3(201)} 自2026年第一季度起已并入 ${v3(210)}（合一村），请改用新代码` });
    // The year 2026 ends after the change: the old code is refused for it too.
    res = await call('admin', '/api/submissions', { method: 'POST', json: rows('2026', v3(202)) });
    expect((await res.json<any>()).outcomes[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining(`已并入 ${v3(210)}（合一村）`) });
    res = await call('admin', '/api/submissions', { method: 'POST', json: rows('2025Q3', v3(201)) });
    expect((await res.json<any>()).outcomes[0]).toMatchObject({ status: 'accepted', code: v3(201) });
    res = await call('admin', '/api/submissions', { method: 'POST', json: rows('2025Q3', v3(210)) });
    out = (await res.json<any>()).outcomes[0];
    expect(out).toMatchObject({ status: 'rejected', reason: `区划代码 ${v3(210)} 自2026年第一季度起才启用，2025年第三季度请使用原代码 ${v3(201)}、${v3(202)}` });
  });

  it('连续后进 and the trend continue through the merge (worst predecessor rank, mean total)', async () => {
    await putResults('2026Q1', T3, [
      { village: v3(210), total: 40 },
      { village: v3(203), total: 80 },
      { village: v3(204), total: 90 },
      { village: v3(205), total: 85 },
    ]);
    const r = await ranking('2026Q1', T3);
    // 甲 was last in 2025Q4 (rank 5), 乙 rank 4: the merged village's previous rank is the worst, 5.
    expect(r.get(v3(210))).toMatchObject({ rank: 4, previousRank: 5, movement: 1, bottomTwoRunning: true });
    expect(r.get(v3(203))).toMatchObject({ rank: 3, previousRank: 3, bottomTwoRunning: false });
    const t = await (await call('county', `/api/rankings/trend?level=village&code=${v3(210)}`)).json<any>();
    // 2025Q3: only 甲村's accepted row above (the only village of the township that quarter).
    expect(t.points.map((p: any) => [p.period, p.rank, p.bottomTwoRunning, p.codes])).toEqual([
      ['2025Q3', 1, false, [v3(201)]],
      ['2025Q4', 5, false, [v3(201), v3(202)]],
      ['2026Q1', 4, true, [v3(210)]],
    ]);
    expect(t.points.slice(1).map((p: any) => p.total)).toEqual([60, 40]);
  });
});

describe('a rename, a split and a move', () => {
  it('a rename in place changes the name only; a rename to a new code carries the history (movement)', async () => {
    let res = await change('admin', { kind: 'rename', period: '2026Q2', code: v3(204), name: '丁新村' });
    expect(res.status).toBe(201);
    expect(await q('SELECT v.name, vv.ended_from FROM villages v LEFT JOIN village_validity vv ON vv.code = v.code WHERE v.code = ?', v3(204))).toEqual([{ name: '丁新村', ended_from: null }]);
    res = await change('admin', { kind: 'rename', period: '2026Q2', code: v3(203), name: '丙新村', newCode: v3(230) });
    expect(res.status).toBe(201);
    res = await change('admin', { kind: 'rename', period: '2026Q2', code: v3(210), name: '合新村', newCode: v3(240) });
    expect(res.status).toBe(201);
    const out = (await (await call('admin', '/api/submissions', { method: 'POST', json: submission('2026Q2', [{ row: 5, code: v3(203), area: 100 }], T3) })).json<any>()).outcomes[0];
    expect(out).toMatchObject({ status: 'rejected', reason: `区划代码 ${v3(203)} 自2026年第二季度起已更名并改用新代码 ${v3(230)}（丙新村），请改用新代码` });
    await putResults('2026Q2', T3, [
      { village: v3(230), total: 95 },
      { village: v3(240), total: 20 },
      { village: v3(204), total: 90 },
      { village: v3(205), total: 85 },
    ]);
    const r = await ranking('2026Q2', T3);
    expect(r.get(v3(230))).toMatchObject({ rank: 1, previousRank: 3, movement: 2 });
    // 合一村 (now 合新村, 240) was last in 2026Q1 and is last again: 连续后进 across the rename.
    expect(r.get(v3(240))).toMatchObject({ rank: 4, previousRank: 4, bottomTwoRunning: true });
    const t = await (await call('county', `/api/rankings/trend?level=village&code=${v3(240)}`)).json<any>();
    expect(t.points.map((p: any) => [p.period, p.rank, p.codes])).toEqual([
      ['2025Q3', 1, [v3(201)]],
      ['2025Q4', 5, [v3(201), v3(202)]],
      ['2026Q1', 4, [v3(210)]],
      ['2026Q2', 4, [v3(240)]],
    ]);
  });

  it('a split names every new code; the parts start afresh', async () => {
    const res = await change('admin', { kind: 'split', period: '2026Q1', from: v4(201), to: [{ code: v4(211), name: '东一村' }, { code: v4(212), name: '东二村' }] });
    expect(res.status).toBe(201);
    expect(await q("SELECT old_code, new_code, follows FROM code_change_links WHERE old_code = ? ORDER BY new_code", v4(201))).toEqual([
      { old_code: v4(201), new_code: v4(211), follows: 0 },
      { old_code: v4(201), new_code: v4(212), follows: 0 },
    ]);
    let out = (await (await call('admin', '/api/submissions', { method: 'POST', json: submission('2026Q1', [{ row: 5, code: v4(201), area: 100 }], T4) })).json<any>()).outcomes[0];
    expect(out).toMatchObject({ status: 'rejected', reason: `区划代码 ${v4(201)} 自2026年第一季度起已拆分为 ${v4(211)}（东一村）、${v4(212)}（东二村），请按新村分别填报新代码` });
    out = (await (await call('admin', '/api/submissions', { method: 'POST', json: submission('2025Q4', [{ row: 5, code: v4(201), area: 100 }], T4) })).json<any>()).outcomes[0];
    expect(out).toMatchObject({ status: 'accepted', code: v4(201) });
  });

  it('a move takes the new township’s 9 digits; a taken code is refused; the old code names the new township', async () => {
    // 南山镇's 202 → 新城镇: the default new code 410999102202 is 乙村's (ended, but a code is never reused).
    let res = await change('admin', { kind: 'move', period: '2026Q1', code: v4(202), township: T3 });
    expect(res.status).toBe(409);
    expect((await res.json<any>()).error.message).toBe(`区划代码${v3(202)}已是村名录中的“乙村”：新代码不能与现有的村重复`);
    res = await change('admin', { kind: 'move', period: '2026Q1', code: v4(202), township: T3, newCode: v4(220) });
    expect(res.status).toBe(400);
    res = await change('admin', { kind: 'move', period: '2026Q1', code: v4(202), township: T3, newCode: v3(220) });
    expect(res.status).toBe(201);
    expect(await q('SELECT code, township_code, name FROM villages WHERE code = ?', v3(220))).toEqual([{ code: v3(220), township_code: T3, name: '西村' }]);
    const out = (await (await call('admin', '/api/submissions', { method: 'POST', json: submission('2026Q2', [{ row: 5, code: v4(202), area: 100 }], T4) })).json<any>()).outcomes[0];
    expect(out).toMatchObject({ status: 'rejected', reason: `区划代码 ${v4(202)} 自2026年第一季度起已划入新城镇，新代码为 ${v3(220)}（西村），请改用新代码，由新城镇上报` });
  });
});

describe('the 区划调整 page (/codes)', () => {
  it('the admin records a merge with the form; county staff see the list without the form; errors are shown in Chinese', async () => {
    const post = (login: string, fields: Record<string, string>) => call(login, '/codes', { method: 'POST', body: new URLSearchParams(fields) });
    let res = await post('admin', { kind: 'merge', period: '2026Q3', old: `${v4(203)}，${v4(201)}`, new: `${v4(250)} 南北村` });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(`区划代码${v4(201)}（东村）已自2026年第一季度起停用（拆分），不能再调整`);
    res = await post('admin', { kind: 'merge', period: '2026Q3', old: v4(203), new: `${v4(250)} 南北村` });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('原代码：合并至少需要 2 个原代码');
    res = await post('admin', { kind: 'split', period: '2026Q3', old: v4(203), new: `${v4(251)} 北一村\n${v4(252)} 北二村`, note: '按乡镇批复' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('已记录：拆分，自2026年第三季度起生效。');
    expect(html).toContain(`自2026年第三季度起，${v4(203)}（北村）拆分为${v4(251)}（北一村）、${v4(252)}（北二村）`);
    expect(await q("SELECT count(*) AS n FROM audit_log WHERE action = 'village.code_change' AND summary LIKE '%北一村%'")).toEqual([{ n: 1 }]);
    const staff = await (await call('county', '/codes')).text();
    expect(staff).toContain('北一村');
    expect(staff).not.toContain('code-change-form');
    expect((await post('county', { kind: 'rename', period: '2026Q3', old: v3(204), new: '丁三村' })).status).toBe(403);
  });
});

describe('POST /api/code-changes/:id/undo', () => {
  const undo = (login: string, id: string) => call(login, `/api/code-changes/${id}/undo`, { method: 'POST' });
  const latest = async () => (await (await call('admin', '/api/code-changes')).json<any>()).changes;

  it('undoes only the latest change, and only while no submission came after it', async () => {
    const split = (await latest()).find((c: any) => c.kind === 'split' && c.from[0].code === v4(203));
    expect(split).toBeDefined();
    const made = await (await change('admin', { kind: 'rename', period: '2026Q3', code: v3(205), name: '戊新村' })).json<any>();
    let res = await undo('admin', split.id);
    expect(res.status).toBe(409);
    expect((await res.json<any>()).error.message).toBe('只能撤销最近一次调整（更名，自2026年第三季度起）；请先撤销它');
    expect((await undo('county', made.id)).status).toBe(403);
    res = await undo('admin', made.id);
    expect(res.status).toBe(200);
    expect(await q('SELECT name FROM villages WHERE code = ?', v3(205))).toEqual([{ name: '戊村' }]);
    // The split is now the latest: its new villages go and the old code is valid again.
    res = await undo('admin', split.id);
    expect(res.status).toBe(200);
    expect(await q('SELECT code FROM villages WHERE code IN (?, ?)', v4(251), v4(252))).toEqual([]);
    expect(await q('SELECT * FROM village_validity WHERE code = ?', v4(203))).toEqual([]);
    expect(await q('SELECT * FROM code_change_links WHERE old_code = ?', v4(203))).toEqual([]);
    const undos = await q<{ target: string; summary: string }>("SELECT target, summary FROM audit_log WHERE action = 'village.code_change_undo' ORDER BY id");
    expect(undos.map((u) => u.target)).toEqual([made.id, split.id]);
    expect(undos[1]!.summary).toBe(`撤销：自2026年第三季度起，${v4(203)}（北村）拆分为${v4(251)}（北一村）、${v4(252)}（北二村）`);
    const out = (await (await call('admin', '/api/submissions', { method: 'POST', json: submission('2026Q3', [{ row: 5, code: v4(203), area: 100 }], T4) })).json<any>()).outcomes[0];
    expect(out).toMatchObject({ status: 'accepted', code: v4(203) });
    // A submission came after the move (now the latest): it stays.
    const move = (await latest())[0];
    expect(move.kind).toBe('move');
    res = await undo('admin', move.id);
    expect(res.status).toBe(409);
    expect((await res.json<any>()).error.message).toMatch(/^这次调整之后本县已有 \d+ 次上报/);
    expect((await undo('admin', 'not-an-id')).status).toBe(400);
    expect((await undo('admin', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('two changes of the same code at once', () => {
  it('exactly one is stored; the other is refused with 409 and leaves nothing behind', async () => {
    await env.DB.prepare("INSERT INTO villages (code, township_code, name) VALUES (?, ?, '并发村')").bind(v3(260), T3).run();
    const before = (await q<{ n: number }>('SELECT count(*) AS n FROM code_changes'))[0]!.n;
    const [a, b] = await Promise.all([
      change('admin', { kind: 'rename', period: '2026Q4', code: v3(260), name: '并发甲村', newCode: v3(261) }),
      change('admin', { kind: 'rename', period: '2026Q4', code: v3(260), name: '并发乙村', newCode: v3(262) }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const won = (a.status === 201 ? await a.json<any>() : await b.json<any>()).id;
    expect(await q('SELECT ended_by FROM village_validity WHERE code = ?', v3(260))).toEqual([{ ended_by: won }]);
    expect((await q<{ n: number }>('SELECT count(*) AS n FROM code_changes'))[0]!.n).toBe(before + 1);
    expect(await q('SELECT count(*) AS n FROM villages WHERE code IN (?, ?)', v3(261), v3(262))).toEqual([{ n: 1 }]);
    expect(await q('SELECT count(*) AS n FROM code_change_links WHERE old_code = ?', v3(260))).toEqual([{ n: 1 }]);
  });
});
