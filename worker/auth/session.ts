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
  password_hash: string;
  disabled: number;
}

export function toUser(r: Omit<AccountRow, 'password_hash' | 'disabled'>): User {
  return { id: r.id, login: r.login, name: r.name, role: r.role, provinceCode: r.province_code, countyCode: r.county_code, townshipCode: r.township_code };
}

const USER_COLUMNS = 'a.id, a.login, a.name, a.role, a.province_code, a.county_code, a.township_code';

export function ttlHours(env: Bindings): number {
  const n = Number(env.SESSION_TTL_HOURS ?? 12);
  return Number.isFinite(n) && n > 0 && n <= 24 * 30 ? n : 12;
}

/** Check a login and password; returns the user or null (same answer for unknown login and wrong password). */
export async function checkPassword(env: Bindings, login: string, password: string): Promise<User | null> {
  const row = await env.DB.prepare(`SELECT ${USER_COLUMNS}, a.password_hash, a.disabled FROM accounts a WHERE a.login = ?`).bind(login).first<AccountRow>();
  // Verify against a dummy hash when the login is unknown, so timing does not reveal which logins exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!row || !ok || row.disabled) return null;
  return toUser(row);
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
    .first<Omit<AccountRow, 'password_hash' | 'disabled'>>();
  return row ? toUser(row) : null;
}

export async function endSession(env: Bindings, token: string): Promise<void> {
  await env.DB.prepare('DELETE FROM sessions WHERE token_hash = ?').bind(await sha256Hex(token)).run();
}

export async function userByLogin(env: Bindings, login: string): Promise<User | null> {
  const row = await env.DB.prepare(`SELECT ${USER_COLUMNS} FROM accounts a WHERE a.login = ? AND a.disabled = 0`).bind(login).first<Omit<AccountRow, 'password_hash' | 'disabled'>>();
  return row ? toUser(row) : null;
}
