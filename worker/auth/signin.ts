// Local sign-in with a growing delay, then a lockout, after repeated failures, per login (D1 table
// login_failures, lower-cased; unknown logins are counted the same way, so the answers never tell which logins
// exist). Every sign-in, every failure and every refused attempt is written to the audit log, in the same
// batch as the counter's change.
import type { Bindings, User } from '../env.ts';
import { ApiError } from '../errors.ts';
import { auditStatement, clip, type Actor } from '../audit/log.ts';
import { attemptPassword, type UserRow } from './session.ts';

/** Failures allowed without waiting; from the next one on, each failure doubles the wait before another try. */
export const FREE_FAILURES = 3;
/** The first wait (seconds) and the longest one. */
export const FIRST_DELAY_S = 5;
export const MAX_DELAY_S = 300;
/** After this many failures in a row the login is locked for LOCK_MINUTES (an admin's reset lifts it). */
export const LOCK_AFTER = 10;
export const LOCK_MINUTES = 30;

/** Seconds to wait after `failures` failures in a row (0: may try at once). */
export function delayAfter(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (failures - FREE_FAILURES - 1));
}

interface FailureRow {
  failures: number;
  last_failed_at: string;
  locked_until: string | null;
}

export type SignInResult = { ok: true; user: User } | { ok: false; error: ApiError };

export const loginKey = (login: string) => login.trim().toLowerCase();

const BAD = () => new ApiError(401, 'unauthorized', '账号或密码不正确');

function actorFor(account: UserRow | null, login: string): { actor: Actor; county: string | null } {
  if (account) return { actor: { id: account.id, name: account.name, role: account.role }, county: account.county_code ?? account.township_code?.slice(0, 6) ?? null };
  // An unknown login: the entry names what was typed (no account id to name).
  return { actor: { id: `login:${clip(login, 100)}`, name: clip(login, 100), role: null }, county: null };
}

/** Sign in with a login and password: the user, or the error to answer (401 wrong, 429 wait or locked). */
export async function signIn(env: Bindings, login: string, password: string, meta: { ip?: string | undefined; via: 'api' | 'form' }, now = new Date()): Promise<SignInResult> {
  const key = loginKey(login);
  const at = now.toISOString();
  const prior = await env.DB.prepare('SELECT failures, last_failed_at, locked_until FROM login_failures WHERE login_key = ?').bind(key).first<FailureRow>();
  const detail = { login: clip(login, 100), via: meta.via, ...(meta.ip ? { ip: meta.ip } : {}) };

  // Waiting or locked: refused without looking at the password (so guessing gains nothing), and audited.
  let refusal: ApiError | undefined;
  if (prior?.locked_until && prior.locked_until > at) {
    const minutes = Math.ceil((Date.parse(prior.locked_until) - now.getTime()) / 60_000);
    refusal = new ApiError(429, 'account_locked', `连续 ${prior.failures} 次登录失败，该账号已锁定，请 ${minutes} 分钟后再试，或请县管理员重置密码`, { retryAfter: minutes * 60 });
  } else if (prior && !prior.locked_until) {
    const wait = delayAfter(prior.failures);
    const until = Date.parse(prior.last_failed_at) + wait * 1000;
    if (until > now.getTime()) {
      const seconds = Math.ceil((until - now.getTime()) / 1000);
      refusal = new ApiError(429, 'too_many_attempts', `登录失败次数过多（连续 ${prior.failures} 次），请 ${seconds} 秒后再试；连续 ${LOCK_AFTER} 次失败将锁定 ${LOCK_MINUTES} 分钟`, { retryAfter: seconds });
    }
  }
  if (refusal) {
    const account = await env.DB.prepare('SELECT id, login, name, role, province_code, county_code, township_code FROM accounts WHERE login = ? COLLATE NOCASE').bind(login).first<UserRow>();
    const who = actorFor(account, login);
    await auditStatement(env.DB, {
      at,
      actor: who.actor,
      county: who.county,
      action: 'auth.login_refused',
      target: account?.id ?? null,
      summary: `${clip(login, 60)} 登录被拒：${refusal.code === 'account_locked' ? '账号已锁定' : '失败次数过多，须等待'}`,
      detail: { ...detail, failures: prior?.failures ?? 0, reason: refusal.code },
    }).run();
    return { ok: false, error: refusal };
  }

  const { account, user } = await attemptPassword(env, login, password);
  const who = actorFor(account, login);
  if (user) {
    await env.DB.batch([
      env.DB.prepare('DELETE FROM login_failures WHERE login_key = ?').bind(key),
      auditStatement(env.DB, {
        at,
        actor: who.actor,
        county: who.county,
        action: 'auth.login',
        target: user.id,
        summary: `${user.name}（${user.login}）登录${user.mustChangePassword ? '（一次性密码，须修改）' : ''}`,
        detail: { ...detail, ...(user.mustChangePassword ? { mustChangePassword: true } : {}) },
      }),
    ]);
    return { ok: true, user };
  }
  // A failure (the counter restarts after a lock has run out, at LOCK_AFTER - 1: one more failure locks again).
  const failures = prior?.locked_until ? LOCK_AFTER : (prior?.failures ?? 0) + 1;
  const lockedUntil = failures >= LOCK_AFTER ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : null;
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO login_failures (login_key, failures, last_failed_at, locked_until) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (login_key) DO UPDATE SET failures = ?2, last_failed_at = ?3, locked_until = ?4`,
    ).bind(key, failures, at, lockedUntil),
    auditStatement(env.DB, {
      at,
      actor: who.actor,
      county: who.county,
      action: 'auth.login_failed',
      target: account?.id ?? null,
      summary: `${clip(login, 60)} 登录失败（连续第 ${failures} 次${lockedUntil ? `，已锁定 ${LOCK_MINUTES} 分钟` : ''}）`,
      detail: { ...detail, failures, ...(lockedUntil ? { lockedUntil } : {}) },
    }),
  ]);
  return { ok: false, error: BAD() };
}

/** Lift a login's failures (an admin reset its password). */
export function clearFailures(db: D1Database, login: string): D1PreparedStatement {
  return db.prepare('DELETE FROM login_failures WHERE login_key = ?').bind(loginKey(login));
}
