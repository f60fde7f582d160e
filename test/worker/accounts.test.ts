// Accounts in the product (worker/accounts/, /api/accounts, /accounts, /password) and the sign-in rules
// (worker/auth/signin.ts), inside workerd: a county admin creates accounts one at a time and from a sheet, each
// with a one-time password that must be changed at the first sign-in; changes role and scope, disables,
// resets; passwords must meet the strength rule; repeated failures bring a growing delay, then a lockout; every
// sign-in, failure and refusal is in the audit log.
import { env } from 'cloudflare:workers';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/app.ts';
import { oneTimePassword, passwordProblem } from '../../worker/accounts/password.ts';
import { delayAfter, FREE_FAILURES, LOCK_AFTER } from '../../worker/auth/signin.ts';
import { call, COUNTY, seed, T1, T2, T_OTHER } from './helpers.ts';

const json = (body: unknown, method = 'POST') => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const signIn = (login: string, password: string) => app.request('/api/auth/login', json({ login, password }), env);
const withToken = (token: string, path: string, init: RequestInit = {}) => app.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` } }, env);

interface Created {
  account: { id: string; login: string; role: string; townshipCode: string | null; mustChangePassword: boolean };
  oneTimePassword: string;
}

interface AuditRow {
  account_id: string;
  actor_name: string | null;
  county_code: string | null;
  action: string;
  target: string | null;
  summary: string;
  detail_json: string;
}

const auditOf = async (action: string, sinceId: number) =>
  (await env.DB.prepare('SELECT * FROM audit_log WHERE action = ? AND id > ? ORDER BY id').bind(action, sinceId).all<AuditRow>()).results;
const lastId = async () => (await env.DB.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM audit_log').first<{ n: number }>())!.n;

async function create(body: Record<string, unknown>): Promise<Created> {
  const res = await call('admin', '/api/accounts', { method: 'POST', json: body });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
  return res.json<Created>();
}

/** Move a login's last failure back in time (the wait has run out). */
const ageFailures = (login: string, seconds: number) =>
  env.DB.prepare("UPDATE login_failures SET last_failed_at = strftime('%Y-%m-%dT%H:%M:%fZ', last_failed_at, ?) WHERE login_key = ?").bind(`-${seconds} seconds`, login.toLowerCase()).run();

beforeAll(seed);

describe('password strength and one-time passwords', () => {
  it.each([
    ['short1A!', '太短'],
    ['abcdefghijk', '太简单'],
    ['abcdefghij12', '太简单'],
    ['ABCDEFGH1234', '太简单'],
    [' Abcdefg123', '首尾'],
    ['Zhangsan-2026', '登录名'],
    ['Aaaaaaaa1111!', '连续相同'],
  ])('%s is refused (%s)', (password, why) => {
    expect(passwordProblem(password, 'zhangsan')).toContain(why);
  });

  it.each(['Abcdefgh12', 'abcdefgh1!', 'ABCDEFGH1!', '乡镇干部Xq-2026', 'Kp7m-Qx3a-9Tzc'])('%s is accepted', (password) => {
    expect(passwordProblem(password, 'zhangsan')).toBeNull();
  });

  it('one-time passwords are random, meet the rule and avoid look-alike characters', () => {
    const all = Array.from({ length: 200 }, () => oneTimePassword());
    expect(new Set(all).size).toBe(200);
    for (const p of all) {
      expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{4}-[A-HJ-NP-Za-km-z2-9]{4}-[A-HJ-NP-Za-km-z2-9]{4}$/);
      expect(passwordProblem(p)).toBeNull();
    }
  });

  it('the delay grows after the free failures, up to the lockout', () => {
    expect(Array.from({ length: LOCK_AFTER }, (_, i) => delayAfter(i + 1))).toEqual([0, 0, 0, 5, 10, 20, 40, 80, 160, 300]);
    expect(FREE_FAILURES).toBe(3);
  });
});

describe('a county admin creates an account; the first sign-in must change the one-time password', () => {
  it('create → sign in with the one-time password → only the password change is open → change → in', async () => {
    const since = await lastId();
    const made = await create({ name: '王晓明', login: 'wangxm', role: 'township', township: '东风镇', phone: '13912345678' });
    expect(made.account).toMatchObject({ login: 'wangxm', role: 'township', townshipCode: T1, mustChangePassword: true });
    // Only the PBKDF2 of the one-time password is stored.
    const row = await env.DB.prepare('SELECT password_hash, must_change_password, county_code, phone FROM accounts WHERE login = ?').bind('wangxm').first<{ password_hash: string; must_change_password: number; county_code: string; phone: string }>();
    expect(row).toMatchObject({ must_change_password: 1, county_code: COUNTY, phone: '13912345678' });
    expect(row!.password_hash).toMatch(/^pbkdf2\$100000\$/);
    expect(row!.password_hash).not.toContain(made.oneTimePassword);
    const created = await auditOf('account.create', since);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ account_id: 'acc-admin', county_code: COUNTY, target: made.account.id });
    expect(created[0]!.detail_json).not.toContain(made.oneTimePassword);

    const res = await signIn('wangxm', made.oneTimePassword);
    expect(res.status).toBe(200);
    const body = await res.json<{ token: string; mustChangePassword?: boolean; user: { mustChangePassword?: boolean } }>();
    expect(body.mustChangePassword).toBe(true);
    const token = body.token;
    // Everything else is closed until the password is changed.
    const blocked = await withToken(token, '/api/rankings/periods');
    expect(blocked.status).toBe(403);
    expect((await blocked.json<{ error: { code: string; message: string } }>()).error).toMatchObject({ code: 'password_change_required' });
    expect((await withToken(token, '/api/auth/me')).status).toBe(200);
    const page = await withToken(token, '/villages');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/password');
    expect((await withToken(token, '/password')).status).toBe(200);

    // The new password must meet the rule (Chinese reason), the current one must be right.
    const change = (current: string, password: string) => withToken(token, '/api/auth/password', json({ current, password }));
    const weak = await change(made.oneTimePassword, 'abc12345');
    expect(weak.status).toBe(400);
    expect((await weak.json<{ error: { code: string; message: string } }>()).error).toMatchObject({ code: 'weak_password', message: expect.stringContaining('至少 10 位') });
    expect((await change('wrong-one-time', 'Dongfeng-2026!')).status).toBe(400);
    const done = await change(made.oneTimePassword, 'Dongfeng-2026!');
    expect(done.status).toBe(200);
    expect((await withToken(token, '/api/rankings/periods')).status).toBe(200);
    expect((await signIn('wangxm', made.oneTimePassword)).status).toBe(401);
    expect((await signIn('wangxm', 'Dongfeng-2026!')).status).toBe(200);
    const changed = await auditOf('auth.password_change', since);
    expect(changed.map((r) => r.account_id)).toEqual([made.account.id]);
  });

  it('the sign-in form sends a one-time password to /password', async () => {
    const made = await create({ name: '李四', login: 'lisi-form', role: 'county' });
    const res = await app.request('/login', { method: 'POST', body: new URLSearchParams({ login: 'lisi-form', password: made.oneTimePassword, next: '/townships' }) }, env);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/password');
  });

  it('refuses a login taken in any case, a township officer without a township, a township of another county, and bad fields', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ name: '重复', login: 'WANGXM', role: 'township', township: T1 }, 400, '已被使用'],
      [{ name: '无乡镇', login: 'no-town', role: 'township' }, 400, '须填写所在乡镇'],
      [{ name: '外县', login: 'far-town', role: 'township', township: T_OTHER }, 400, '不是本县的乡镇'],
      [{ name: '县级带乡镇', login: 'county-town', role: 'county', township: T1 }, 400, '留空'],
      [{ name: '管理员', login: 'new-admin', role: 'admin' }, 400, '角色只能是'],
      [{ name: '坏手机', login: 'bad-phone', role: 'finance', phone: '12345' }, 400, '手机号'],
      [{ name: '坏登录名', login: '张三', role: 'finance' }, 400, '登录名只能用'],
    ];
    for (const [body, status, text] of cases) {
      const res = await call('admin', '/api/accounts', { method: 'POST', json: body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect((await res.json<{ error: { message: string } }>()).error.message, JSON.stringify(body)).toContain(text);
    }
    expect((await env.DB.prepare("SELECT count(*) AS n FROM accounts WHERE login IN ('no-town', 'far-town', 'county-town', 'new-admin', 'bad-phone')").first<{ n: number }>())!.n).toBe(0);
  });
});

async function xlsx(rows: unknown[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function upload(bytes: Uint8Array, name: string) {
  const f = new FormData();
  f.append('file', new File([bytes], name));
  return call('admin', '/api/accounts/import', { method: 'POST', body: f });
}

describe('accounts from a sheet (姓名, 登录名, 乡镇, 角色, 手机号)', () => {
  it('creates every row, each with its own one-time password; township by name or code', async () => {
    const since = await lastId();
    const bytes = await xlsx([
      ['乡镇组织委员名单'],
      ['姓名', '登录名', '乡镇', '角色', '手机号'],
      ['赵一', 'zhao1', '东风镇', '乡镇干部', 13800000001],
      [],
      ['钱二', 'qian2', T2, '乡镇干部', ''],
      ['孙三', 'sun3@county.example', '', '县财政', '13800000003'],
      ['李四', 'li4', '', '县委组织部', null],
    ]);
    const res = await upload(bytes, '账号名单.xlsx');
    expect(res.status, await res.clone().text()).toBe(201);
    const { created } = await res.json<{ created: (Created & { row: number })[] }>();
    expect(created.map((c) => [c.row, c.account.login, c.account.role, c.account.townshipCode])).toEqual([
      [3, 'zhao1', 'township', T1],
      [5, 'qian2', 'township', T2],
      [6, 'sun3@county.example', 'finance', null],
      [7, 'li4', 'county', null],
    ]);
    expect(new Set(created.map((c) => c.oneTimePassword)).size).toBe(4);
    expect((await auditOf('account.create', since)).length).toBe(4);
    expect((await signIn('zhao1', created[0]!.oneTimePassword)).status).toBe(200);
    const phone = await env.DB.prepare("SELECT phone FROM accounts WHERE login = 'zhao1'").first<{ phone: string }>();
    expect(phone!.phone).toBe('13800000001');
  });

  it('a sheet with a bad row creates nothing and names every problem by row', async () => {
    const since = await lastId();
    const csv = ['姓名,登录名,乡镇,角色,手机号', '周五,zhou5,东风镇,乡镇干部,', '吴六,wu6,没有这个镇,乡镇干部,', '郑七,zhou5,红旗镇,乡镇干部,', '冯八,feng8,,校长,'].join('\r\n');
    const res = await upload(new TextEncoder().encode(csv), '名单.csv');
    expect(res.status).toBe(400);
    const { error } = await res.json<{ error: { code: string; message: string } }>();
    expect(error.code).toBe('invalid_accounts');
    expect(error.message).toContain('第 5 行：角色“校长”无法识别');
    const full = await upload(new TextEncoder().encode(csv.replace(',校长,', ',县财政,')), '名单.csv');
    const msg = (await full.json<{ error: { message: string } }>()).error.message;
    expect(msg).toContain('第 3 行：本县没有名为“没有这个镇”的乡镇');
    expect(msg).toContain('第 4 行：登录名“zhou5”与第 2 行重复');
    expect((await env.DB.prepare("SELECT count(*) AS n FROM accounts WHERE login IN ('zhou5', 'wu6', 'feng8')").first<{ n: number }>())!.n).toBe(0);
    expect(await auditOf('account.create', since)).toEqual([]);
    const noHeader = await upload(new TextEncoder().encode('a,b,c\r\n1,2,3'), 'x.csv');
    expect((await noHeader.json<{ error: { code: string } }>()).error.code).toBe('no_header');
  });
});

describe('change role and scope, disable, reset', () => {
  it('role and township change; disabling ends sessions and sign-in; enabling restores it', async () => {
    const made = await create({ name: '陈九', login: 'chen9', role: 'township', township: T1 });
    const put = (body: unknown) => call('admin', `/api/accounts/${made.account.id}`, { method: 'PUT', json: body });
    let res = await put({ township: T2 });
    expect(res.status).toBe(200);
    expect((await res.json<{ account: { townshipCode: string } }>()).account.townshipCode).toBe(T2);
    res = await put({ role: 'county' });
    expect(res.status).toBe(200);
    expect((await res.json<{ account: { role: string; townshipCode: string | null } }>()).account).toMatchObject({ role: 'county', townshipCode: null });
    res = await put({ role: 'township' });
    expect(res.status).toBe(400);
    expect((await res.json<{ error: { message: string } }>()).error.message).toContain('须填写所在乡镇');
    expect((await put({ role: 'township', township: '红旗镇' })).status).toBe(200);

    // Set a password of one's own, sign in, then be disabled.
    const token = (await (await signIn('chen9', made.oneTimePassword)).json<{ token: string }>()).token;
    expect((await withToken(token, '/api/auth/password', json({ current: made.oneTimePassword, password: 'Chenjiu-2026!' }))).status).toBe(200);
    expect((await withToken(token, '/api/auth/me')).status).toBe(200);
    expect((await put({ disabled: true })).status).toBe(200);
    expect((await withToken(token, '/api/auth/me')).status).toBe(401);
    expect((await signIn('chen9', 'Chenjiu-2026!')).status).toBe(401);
    expect((await put({ disabled: false })).status).toBe(200);
    expect((await signIn('chen9', 'Chenjiu-2026!')).status).toBe(200);
    const updates = (await env.DB.prepare("SELECT summary FROM audit_log WHERE action = 'account.update' AND target = ? ORDER BY id").bind(made.account.id).all<{ summary: string }>()).results;
    expect(updates.map((u) => u.summary)).toEqual([
      '账号 陈九（chen9）：乡镇改为红旗镇',
      '账号 陈九（chen9）：角色改为县委组织部，不再属于乡镇',
      '账号 陈九（chen9）：角色改为乡镇干部，乡镇改为红旗镇',
      '账号 陈九（chen9）：停用',
      '账号 陈九（chen9）：启用',
    ]);
  });

  it('admin and province accounts, and other counties’ accounts, are not the admin’s to change', async () => {
    expect((await call('admin', '/api/accounts/acc-county', { method: 'PUT', json: { phone: '13800000009' } })).status).toBe(200);
    expect((await call('admin', '/api/accounts/acc-admin', { method: 'PUT', json: { disabled: true } })).status).toBe(403);
    expect((await call('admin', '/api/accounts/acc-province', { method: 'PUT', json: { disabled: true } })).status).toBe(404);
    expect((await call('admin', '/api/accounts/acc-other-county/reset-password', { method: 'POST' })).status).toBe(404);
  });
});

describe('repeated failures: a growing delay, then a lockout; all in the audit log', () => {
  it('free failures, then waits, then a lock; a right password is refused while waiting or locked; a reset lifts it', async () => {
    const made = await create({ name: '蒋十', login: 'jiang10', role: 'finance' });
    const since = await lastId();
    const answers: string[] = [];
    for (let i = 1; i <= FREE_FAILURES + 1; i++) {
      const res = await signIn('jiang10', `wrong-${i}`);
      answers.push(`${res.status}`);
    }
    expect(answers).toEqual(['401', '401', '401', '401']);
    // After the 4th failure: wait 5 s. Even the right password is refused meanwhile, without being checked.
    let res = await signIn('jiang10', made.oneTimePassword);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^[1-5]$/);
    expect((await res.json<{ error: { code: string; message: string } }>()).error).toMatchObject({ code: 'too_many_attempts', message: expect.stringContaining('秒后再试') });
    // Time passes; fail on until the lock.
    for (let n = FREE_FAILURES + 2; n <= LOCK_AFTER; n++) {
      await ageFailures('jiang10', 400);
      res = await signIn('jiang10', `wrong-${n}`);
      expect(res.status, `failure ${n}`).toBe(401);
    }
    await ageFailures('jiang10', 400);
    res = await signIn('JIANG10', made.oneTimePassword);
    expect(res.status).toBe(429);
    const locked = await res.json<{ error: { code: string; message: string } }>();
    expect(locked.error.code).toBe('account_locked');
    expect(locked.error.message).toContain('已锁定');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(25 * 60);
    // The form says the same.
    const form = await app.request('/login', { method: 'POST', body: new URLSearchParams({ login: 'jiang10', password: made.oneTimePassword }) }, env);
    expect(form.status).toBe(429);
    expect(await form.text()).toContain('已锁定');
    // The admin sees it and resets: the lock is lifted, the new one-time password works.
    const list = await (await call('admin', '/api/accounts')).json<{ accounts: { login: string; locked: boolean }[] }>();
    expect(list.accounts.find((a) => a.login === 'jiang10')?.locked).toBe(true);
    const reset = await call('admin', `/api/accounts/${made.account.id}/reset-password`, { method: 'POST' });
    expect(reset.status).toBe(200);
    const { oneTimePassword } = await reset.json<{ oneTimePassword: string }>();
    expect((await signIn('jiang10', made.oneTimePassword)).status).toBe(401);
    expect((await signIn('jiang10', oneTimePassword)).status).toBe(200);

    // The audit log: every failure with its count, the refusals, the sign-in, the reset.
    const failed = await auditOf('auth.login_failed', since);
    expect(failed.map((r) => JSON.parse(r.detail_json).failures)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1]);
    expect(failed.every((r) => r.account_id === made.account.id && r.county_code === COUNTY)).toBe(true);
    expect(failed[9]!.summary).toContain('已锁定 30 分钟');
    const refused = await auditOf('auth.login_refused', since);
    expect(refused.map((r) => JSON.parse(r.detail_json).reason)).toEqual(['too_many_attempts', 'account_locked', 'account_locked']);
    expect((await auditOf('account.reset_password', since)).map((r) => r.summary)).toEqual([expect.stringContaining('并解除锁定')]);
    const ok = await auditOf('auth.login', since);
    expect(ok.map((r) => r.account_id)).toEqual([made.account.id]);
    // A success clears the counter.
    expect(await env.DB.prepare("SELECT * FROM login_failures WHERE login_key = 'jiang10'").first()).toBeNull();
  });

  it('unknown logins are counted and audited the same way, so the answers never tell which logins exist', async () => {
    const since = await lastId();
    const statuses: number[] = [];
    for (let i = 0; i < FREE_FAILURES + 2; i++) statuses.push((await signIn('nobody-here', 'Whatever-123')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const rows = await auditOf('auth.login_failed', since);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ account_id: 'login:nobody-here', actor_name: 'nobody-here', county_code: null, target: null });
    expect((await auditOf('auth.login_refused', since))).toHaveLength(1);
  });

  it('every successful sign-in is audited with the account and its county', async () => {
    const since = await lastId();
    expect((await signIn('town2', 'test-password-1')).status).toBe(200);
    const rows = await auditOf('auth.login', since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ account_id: 'acc-town2', county_code: COUNTY, target: 'acc-town2' });
  });
});

describe('the 账号管理 page (/accounts)', () => {
  it('lists the county’s accounts; its forms create (one-time password shown once), import, disable and reset', async () => {
    const page = await call('admin', '/accounts');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"');
    expect(html).toContain('新建账号');
    expect(html).toContain('从名单导入');
    expect(html).toContain('wangxm');
    expect(html).not.toContain('other-town');
    expect(html).not.toMatch(/<script(?![^>]*src=)/);
    const post = (fields: Record<string, string>) => call('admin', '/accounts', { method: 'POST', body: new URLSearchParams(fields) });
    const made = await post({ action: 'create', name: '韩十一', login: 'han11', role: 'township', township: T1, phone: '' });
    expect(made.status).toBe(200);
    const body = await made.text();
    const otp = /<code class="otp">([^<]+)<\/code>/.exec(body)?.[1];
    expect(otp).toBeDefined();
    expect(body).toContain('只显示这一次');
    expect((await signIn('han11', otp!)).status).toBe(200);
    // The page afterwards never shows it again.
    expect(await (await call('admin', '/accounts')).text()).not.toContain(otp!);
    const id = (await env.DB.prepare("SELECT id FROM accounts WHERE login = 'han11'").first<{ id: string }>())!.id;
    const off = await post({ action: 'disable', id });
    expect(off.status).toBe(200);
    expect(await off.text()).toContain('已停用账号 韩十一');
    const bad = await post({ action: 'create', name: '韩十二', login: 'han12', role: 'township', township: '' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('须填写所在乡镇');
    // The sheet form: every row's one-time password on the answer page.
    const sheet = new FormData();
    sheet.append('action', 'import');
    sheet.append('file', new File([['姓名,登录名,乡镇,角色,手机号', '页导入甲,page-imp-1,东风镇,乡镇干部,', '页导入乙,page-imp-2,,县财政,'].join('\r\n')], '名单.csv'));
    const imported = await call('admin', '/accounts', { method: 'POST', body: sheet });
    expect(imported.status).toBe(200);
    const importedHtml = await imported.text();
    expect(importedHtml).toContain('已创建 2 个账号');
    const otps = [...importedHtml.matchAll(/<code class="otp">([^<]+)<\/code>/g)].map((m) => m[1]!);
    expect(otps).toHaveLength(2);
    expect((await signIn('page-imp-2', otps[1]!)).status).toBe(200);
    // Not for other roles.
    expect((await call('county', '/accounts')).status).toBe(403);
    expect((await call('county', '/accounts', { method: 'POST', body: new URLSearchParams({ action: 'create', name: 'x', login: 'xx-county', role: 'county' }) })).status).toBe(403);
    // A form posted from another site is refused.
    expect((await call('admin', '/accounts', { method: 'POST', headers: { Origin: 'https://evil.example' }, body: new URLSearchParams({ action: 'disable', id }) })).status).toBe(403);
  });
});
