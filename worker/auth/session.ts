// Local sign-in: sessions whose token is given to the client once and stored only as its SHA-256.
import type { Bindings, Role, User } from '../env.ts';
import { DUMMY_PASSWORD_HASH, randomToken, sha256Hex, verifyPassword } from './crypto.ts';

export const SESSION_COOKIE = 'kp_session';

interface AccountRow {
  id: string;
  login: string;
  name: string;
  role: Role;
  province_code: string | null;
  county_code: string | null;
  township_code: string | null;
  must_change_password?: number;
  password_hash: string;
  disabled: number;
}

export type UserRow = Omit<AccountRow, 'password_hash' | 'disabled'>;

/** The user of an account row; `mustChangePassword` only when a one-time password is still in use. */
export function toUser(r: UserRow): User {
  return {
    id: r.id,
    login: r.login,
    name: r.name,
    role: r.role,
    provinceCode: r.province_code,
    countyCode: r.county_code,
    townshipCode: r.township_code,
    ...(r.must_change_password ? { mustChangePassword: true } : {}),
  };
}

const USER_COLUMNS = 'a.id, a.login, a.name, a.role, a.province_code, a.county_code, a.township_code, a.must_change_password';

export function ttlHours(env: Bindings): number {
  const n = Number(env.SESSION_TTL_HOURS ?? 12);
  return Number.isFinite(n) && n > 0 && n <= 24 * 30 ? n : 12;
}

/** Check a login (any case) and password: the account row when there is one, and the user when the password
 * is right and the account enabled. One PBKDF2 whatever the outcome. */
export async function attemptPassword(env: Bindings, login: string, password: string): Promise<{ account: UserRow | null; user: User | null }> {
  const row = await env.DB.prepare(`SELECT ${USER_COLUMNS}, a.password_hash, a.disabled FROM accounts a WHERE a.login = ? COLLATE NOCASE`).bind(login).first<AccountRow>();
  // Verify against a dummy hash when the login is unknown, so timing does not reveal which logins exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!row) return { account: null, user: null };
  const { password_hash: _h, disabled: _d, ...account } = row;
  return { account, user: ok && !row.disabled ? toUser(row) : null };
}

/** Check a login and password; returns the user or null (same answer for unknown login and wrong password). */
export async function checkPassword(env: Bindings, login: string, password: string): Promise<User | null> {
  return (await attemptPassword(env, login, password)).user;
}

export async function createSession(env: Bindings, user: User, now = new Date()): Promise<{ token: string; expiresAt: string }> {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + ttlHours(env) * 3600_000).toISOString();
  await env.DB.batch([
    // The account's expired sessions are of no use to anyone: drop them as a new one starts.
    env.DB.prepare('DELETE FROM sessions WHERE account_id = ? AND expires_at <= ?').bind(user.id, now.toISOString()),
    env.DB.prepare('INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)').bind(await sha256Hex(token), user.id, now.toISOString(), expiresAt),
  ]);
  return { token, expiresAt };
}

export async function userForToken(env: Bindings, token: string, now = new Date()): Promise<User | null> {
  const row = await env.DB.prepare(
    `SELECT ${USER_COLUMNS} FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = ? AND s.expires_at > ? AND a.disabled = 0`,
  )
    .bind(await sha256Hex(token), now.toISOString())
    .first<UserRow>();
  return row ? toUser(row) : null;
}

export async function endSession(env: Bindings, token: string): Promise<void> {
  await env.DB.prepare('DELETE FROM sessions WHERE token_hash = ?').bind(await sha256Hex(token)).run();
}

/** The enabled account with this login, compared case-insensitively (Cloudflare Access e-mails: Zhang@X.cn is
 * the account zhang@x.cn). Under Access a one-time password is irrelevant, so no change is asked for. */
export async function userByLogin(env: Bindings, login: string): Promise<User | null> {
  const row = await env.DB.prepare(`SELECT ${USER_COLUMNS} FROM accounts a WHERE a.login = ? COLLATE NOCASE AND a.disabled = 0`).bind(login).first<UserRow>();
  return row ? toUser({ ...row, must_change_password: 0 }) : null;
}
