// Accounts managed by a county admin (township officers, county staff, finance): create one or many (from a
// sheet, worker/accounts/sheet.ts), change name, phone, role and scope, disable or enable, reset the password to
// a one-time one (shown once, changed at the next sign-in). Every change is one D1 batch with its audit entry.
// An admin manages the accounts of their own county only, and never admin or province accounts.
import * as v from 'valibot';
import type { Bindings, Role, User } from '../env.ts';
import { ApiError, badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { actorOf, auditStatement } from '../audit/log.ts';
import { hashPassword, sha256Hex, verifyPassword } from '../auth/crypto.ts';
import { clearFailures } from '../auth/signin.ts';
import { ROLE_ZH } from '../auth/middleware.ts';
import { oneTimePassword, passwordProblem } from './password.ts';

/** The roles a county admin gives out. */
export const MANAGED_ROLES = ['township', 'county', 'finance'] as const satisfies readonly Role[];
export type ManagedRole = (typeof MANAGED_ROLES)[number];

export const MAX_BATCH = 200;

const LOGIN_RE = /^[A-Za-z0-9][A-Za-z0-9._@+-]{1,99}$/;

export const Login = v.pipe(
  v.string('登录名必须是文字'),
  v.trim(),
  v.minLength(2, '登录名至少 2 个字符'),
  v.maxLength(100, '登录名最多 100 个字符'),
  v.regex(LOGIN_RE, '登录名只能用字母、数字和 . _ @ + -（可用单位邮箱），并以字母或数字开头'),
);
export const Name = v.pipe(v.string('姓名必须是文字'), v.trim(), v.minLength(1, '请填写姓名'), v.maxLength(50, '姓名最多 50 个字'));
export const Phone = v.pipe(v.string('手机号必须是文字'), v.trim(), v.regex(/^(1[3-9]\d{9})?$/, '手机号应为 11 位数字（1 开头），或留空'));
export const RoleSchema = v.picklist(MANAGED_ROLES, '角色只能是 township（乡镇干部）、county（县委组织部）或 finance（县财政）');
/** A township of the county: its 9-digit code or its name. */
export const TownshipRef = v.pipe(v.string('乡镇必须是文字'), v.trim(), v.maxLength(50, '乡镇过长'));

export const NewAccount = v.strictObject({
  name: Name,
  login: Login,
  role: RoleSchema,
  township: v.optional(TownshipRef),
  phone: v.optional(Phone),
});
export type NewAccountInput = v.InferOutput<typeof NewAccount>;

export const AccountPatch = v.strictObject({
  name: v.optional(Name),
  role: v.optional(RoleSchema),
  township: v.optional(v.nullable(TownshipRef)),
  phone: v.optional(Phone),
  disabled: v.optional(v.boolean('disabled 必须是 true 或 false')),
});
export type AccountPatchInput = v.InferOutput<typeof AccountPatch>;

export interface AccountView {
  id: string;
  login: string;
  name: string;
  role: Role;
  countyCode: string | null;
  townshipCode: string | null;
  townshipName: string | null;
  phone: string | null;
  disabled: boolean;
  mustChangePassword: boolean;
  locked: boolean;
  createdAt: string;
}

interface Row {
  id: string;
  login: string;
  name: string;
  role: Role;
  county_code: string | null;
  township_code: string | null;
  township_name: string | null;
  phone: string | null;
  disabled: number;
  must_change_password: number;
  locked_until: string | null;
  created_at: string;
}

const SELECT = `SELECT a.id, a.login, a.name, a.role, a.county_code, a.township_code, t.name AS township_name, a.phone, a.disabled,
  a.must_change_password, f.locked_until, a.created_at
  FROM accounts a LEFT JOIN townships t ON t.code = a.township_code LEFT JOIN login_failures f ON f.login_key = lower(a.login)`;

function view(r: Row, now: string): AccountView {
  return {
    id: r.id,
    login: r.login,
    name: r.name,
    role: r.role,
    countyCode: r.county_code,
    townshipCode: r.township_code,
    townshipName: r.township_name,
    phone: r.phone,
    disabled: !!r.disabled,
    mustChangePassword: !!r.must_change_password,
    locked: !!r.locked_until && r.locked_until > now,
    createdAt: r.created_at,
  };
}

/** The admin's county (an admin account always has one). */
export function adminCounty(admin: User): string {
  if (admin.role !== 'admin' || !admin.countyCode) throw forbidden('只有县管理员可以管理账号');
  return admin.countyCode;
}

/** Every account of the county (admins included, to be seen), by role then login. */
export async function listAccounts(env: Bindings, county: string): Promise<AccountView[]> {
  const now = new Date().toISOString();
  const r = await env.DB.prepare(`${SELECT} WHERE a.county_code = ? ORDER BY CASE a.role WHEN 'admin' THEN 0 WHEN 'county' THEN 1 WHEN 'finance' THEN 2 ELSE 3 END, a.township_code, a.login`)
    .bind(county)
    .all<Row>();
  return r.results.map((x) => view(x, now));
}

/** One account the admin may manage: 404 outside the county, 403 for admin and province accounts. */
async function managed(env: Bindings, county: string, id: string): Promise<Row> {
  const row = await env.DB.prepare(`${SELECT} WHERE a.id = ? AND a.county_code = ?`).bind(id, county).first<Row>();
  if (!row) throw notFound('找不到该账号（或不属于本县）');
  if (!(MANAGED_ROLES as readonly Role[]).includes(row.role)) throw forbidden(`不能在此修改${ROLE_ZH[row.role]}账号`);
  return row;
}

export interface Townships {
  byCode: Map<string, string>;
  byName: Map<string, string[]>;
}

export async function countyTownships(env: Bindings, county: string): Promise<Townships> {
  const r = await env.DB.prepare('SELECT code, name FROM townships WHERE county_code = ? ORDER BY code').bind(county).all<{ code: string; name: string }>();
  const byCode = new Map(r.results.map((t) => [t.code, t.name]));
  const byName = new Map<string, string[]>();
  for (const t of r.results) byName.set(t.name, [...(byName.get(t.name) ?? []), t.code]);
  return { byCode, byName };
}

/** The township a role needs: a code or name of the county's (township officers), none for county roles. */
export function resolveTownship(role: ManagedRole, ref: string | null | undefined, ts: Townships): { code: string | null } | { problem: string } {
  const given = ref?.trim() ?? '';
  if (role !== 'township') return given ? { problem: `${ROLE_ZH[role]}账号不属于某个乡镇，请把“乡镇”留空` } : { code: null };
  if (!given) return { problem: '乡镇干部账号须填写所在乡镇（名称或 9 位代码）' };
  if (/^\d{9}$/.test(given)) return ts.byCode.has(given) ? { code: given } : { problem: `乡镇代码 ${given} 不是本县的乡镇` };
  const codes = ts.byName.get(given) ?? [];
  if (codes.length === 1) return { code: codes[0]! };
  if (codes.length > 1) return { problem: `本县有 ${codes.length} 个乡镇名为“${given}”，请填写 9 位代码（${codes.join('、')}）` };
  return { problem: `本县没有名为“${given}”的乡镇` };
}

export interface Created {
  account: AccountView;
  /** Shown once: only its PBKDF2 is stored. */
  oneTimePassword: string;
}

export interface RowProblem {
  row: number;
  login?: string;
  message: string;
}

/** Create accounts (one, or a sheet's rows), all or none: any problem (a bad row, a login taken, twice in the
 * list) refuses the whole lot with every problem named. Each gets a one-time password. */
export async function createAccounts(env: Bindings, admin: User, inputs: readonly (NewAccountInput & { row?: number })[], source: 'form' | 'sheet'): Promise<Created[]> {
  const county = adminCounty(admin);
  if (inputs.length === 0) throw badRequest('no_accounts', '没有要创建的账号');
  if (inputs.length > MAX_BATCH) throw badRequest('too_many_accounts', `一次最多创建 ${MAX_BATCH} 个账号（本次 ${inputs.length} 个）`);
  const ts = await countyTownships(env, county);
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  const planned: { input: NewAccountInput; township: string | null; row: number }[] = [];
  inputs.forEach((input, i) => {
    const row = input.row ?? i + 1;
    const key = input.login.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) problems.push({ row, login: input.login, message: `登录名“${input.login}”与第 ${first} 行重复` });
    else seen.set(key, row);
    const t = resolveTownship(input.role, input.township, ts);
    if ('problem' in t) problems.push({ row, login: input.login, message: t.problem });
    else planned.push({ input, township: t.code, row });
  });
  const logins = [...seen.keys()];
  for (let i = 0; i < logins.length; i += 90) {
    const chunk = logins.slice(i, i + 90);
    const taken = await env.DB.prepare(`SELECT login FROM accounts WHERE lower(login) IN (${chunk.map(() => '?').join(', ')})`).bind(...chunk).all<{ login: string }>();
    for (const t of taken.results) {
      const row = seen.get(t.login.toLowerCase())!;
      problems.push({ row, login: t.login, message: `登录名“${t.login}”已被使用` });
    }
  }
  if (problems.length) {
    problems.sort((a, b) => a.row - b.row);
    const where = (p: RowProblem) => (source === 'sheet' ? `第 ${p.row} 行：` : '');
    throw badRequest('invalid_accounts', problems.slice(0, 20).map((p) => `${where(p)}${p.message}`).join('；'), problems);
  }
  const now = new Date().toISOString();
  const made = await Promise.all(
    planned.map(async (p) => {
      const otp = oneTimePassword();
      return { ...p, id: crypto.randomUUID(), otp, hash: await hashPassword(otp) };
    }),
  );
  const stmts: D1PreparedStatement[] = [];
  for (const m of made) {
    stmts.push(
      env.DB.prepare(
        `INSERT INTO accounts (id, login, name, role, province_code, county_code, township_code, password_hash, disabled, created_at, phone, must_change_password, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 1, ?)`,
      ).bind(m.id, m.input.login, m.input.name, m.input.role, admin.provinceCode ?? county.slice(0, 2), county, m.township, m.hash, now, m.input.phone || null, now),
      auditStatement(env.DB, {
        at: now,
        actor: actorOf(admin),
        county,
        action: 'account.create',
        target: m.id,
        summary: `新建${ROLE_ZH[m.input.role]}账号 ${m.input.name}（${m.input.login}）${m.township ? `，${ts.byCode.get(m.township)}` : ''}${source === 'sheet' ? '（名单导入）' : ''}`,
        detail: { login: m.input.login, name: m.input.name, role: m.input.role, township: m.township, phone: m.input.phone || null, source },
      }),
    );
  }
  try {
    await env.DB.batch(stmts);
  } catch (e) {
    // Two admins at once: the unique index on the login refuses the whole batch.
    if (/UNIQUE/i.test(String(e))) throw conflict('login_taken', '登录名已被使用（可能刚被其他管理员创建），请刷新后重试');
    throw e;
  }
  return made.map((m) => ({
    oneTimePassword: m.otp,
    account: {
      id: m.id,
      login: m.input.login,
      name: m.input.name,
      role: m.input.role,
      countyCode: county,
      townshipCode: m.township,
      townshipName: m.township ? (ts.byCode.get(m.township) ?? null) : null,
      phone: m.input.phone || null,
      disabled: false,
      mustChangePassword: true,
      locked: false,
      createdAt: now,
    },
  }));
}

/** Change name, phone, role and scope, or disable / enable. Disabling ends the account's sessions. */
export async function updateAccount(env: Bindings, admin: User, id: string, patch: AccountPatchInput): Promise<AccountView> {
  const county = adminCounty(admin);
  const row = await managed(env, county, id);
  const role: ManagedRole = patch.role ?? (row.role as ManagedRole);
  let township = row.township_code;
  const ts = await countyTownships(env, county);
  if (patch.role !== undefined || patch.township !== undefined) {
    const ref = patch.township !== undefined ? patch.township : role === 'township' ? row.township_code : null;
    const t = resolveTownship(role, ref, ts);
    if ('problem' in t) throw badRequest('invalid_scope', t.problem);
    township = t.code;
  }
  const next = {
    name: patch.name ?? row.name,
    role,
    township,
    phone: patch.phone !== undefined ? patch.phone || null : row.phone,
    disabled: patch.disabled !== undefined ? (patch.disabled ? 1 : 0) : row.disabled,
  };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const before = { name: row.name, role: row.role, township: row.township_code, phone: row.phone, disabled: row.disabled };
  for (const k of Object.keys(next) as (keyof typeof next)[]) if (next[k] !== before[k]) changes[k] = { from: before[k], to: next[k] };
  if (Object.keys(changes).length === 0) return view(row, new Date().toISOString());
  const now = new Date().toISOString();
  const what = [
    changes.name ? `姓名改为 ${next.name}` : '',
    changes.role ? `角色改为${ROLE_ZH[next.role]}` : '',
    changes.township ? (next.township ? `乡镇改为${ts.byCode.get(next.township)}` : '不再属于乡镇') : '',
    changes.phone ? '修改手机号' : '',
    changes.disabled ? (next.disabled ? '停用' : '启用') : '',
  ].filter(Boolean);
  const stmts = [
    env.DB.prepare('UPDATE accounts SET name = ?, role = ?, township_code = ?, phone = ?, disabled = ?, updated_at = ? WHERE id = ?').bind(
      next.name,
      next.role,
      next.township,
      next.phone,
      next.disabled,
      now,
      id,
    ),
    auditStatement(env.DB, {
      at: now,
      actor: actorOf(admin),
      county,
      action: 'account.update',
      target: id,
      summary: `账号 ${row.name}（${row.login}）：${what.join('，')}`,
      detail: { login: row.login, changes },
    }),
  ];
  // A disabled account, or one whose role or scope changed, signs in again (its sessions carried the old scope).
  if (changes.disabled || changes.role || changes.township) stmts.push(env.DB.prepare('DELETE FROM sessions WHERE account_id = ?').bind(id));
  await env.DB.batch(stmts);
  return view({ ...row, ...next, township_code: next.township, township_name: next.township ? (ts.byCode.get(next.township) ?? null) : null }, now);
}

/** A new one-time password (shown once): the old password and every session stop working, a lockout is lifted. */
export async function resetPassword(env: Bindings, admin: User, id: string): Promise<Created> {
  const county = adminCounty(admin);
  const row = await managed(env, county, id);
  const otp = oneTimePassword();
  const now = new Date().toISOString();
  await env.DB.batch([
    env.DB.prepare('UPDATE accounts SET password_hash = ?, must_change_password = 1, updated_at = ? WHERE id = ?').bind(await hashPassword(otp), now, id),
    env.DB.prepare('DELETE FROM sessions WHERE account_id = ?').bind(id),
    clearFailures(env.DB, row.login),
    auditStatement(env.DB, {
      at: now,
      actor: actorOf(admin),
      county,
      action: 'account.reset_password',
      target: id,
      summary: `重置账号 ${row.name}（${row.login}）的密码（一次性密码，须在下次登录时修改）${row.locked_until && row.locked_until > now ? '，并解除锁定' : ''}`,
      detail: { login: row.login },
    }),
  ]);
  return { oneTimePassword: otp, account: view({ ...row, must_change_password: 1, locked_until: null }, now) };
}

/** A user changes their own password: the current one must be right, the new one meet the rule and differ.
 * Other sessions of the account end; the one in use (token) stays. */
export async function changePassword(env: Bindings, user: User, current: string, next: string, keepToken: string | undefined): Promise<void> {
  const row = await env.DB.prepare('SELECT password_hash, county_code, township_code FROM accounts WHERE id = ?')
    .bind(user.id)
    .first<{ password_hash: string; county_code: string | null; township_code: string | null }>();
  if (!row) throw notFound('找不到该账号');
  if (!(await verifyPassword(current, row.password_hash))) throw new ApiError(400, 'wrong_password', '当前密码不正确');
  const problem = passwordProblem(next, user.login);
  if (problem) throw badRequest('weak_password', problem);
  if (next === current) throw badRequest('weak_password', '新密码不能与当前密码相同');
  const now = new Date().toISOString();
  const keep = keepToken ? await sha256Hex(keepToken) : '';
  await env.DB.batch([
    env.DB.prepare('UPDATE accounts SET password_hash = ?, must_change_password = 0, updated_at = ? WHERE id = ?').bind(await hashPassword(next), now, user.id),
    env.DB.prepare('DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?').bind(user.id, keep),
    auditStatement(env.DB, {
      at: now,
      actor: actorOf(user),
      county: row.county_code ?? row.township_code?.slice(0, 6) ?? null,
      action: 'auth.password_change',
      target: user.id,
      summary: `${user.name}（${user.login}）修改了密码${user.mustChangePassword ? '（替换一次性密码）' : ''}`,
      detail: { login: user.login, replacedOneTime: !!user.mustChangePassword },
    }),
  ]);
}
