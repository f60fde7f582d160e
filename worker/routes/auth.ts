// Sign in and out (local mode), who am I, and changing one's own password (required after a one-time one).
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as v from 'valibot';
import type { AppEnv, User } from '../env.ts';
import { type ApiError, badRequest } from '../errors.ts';
import { authenticate, sessionToken } from '../auth/middleware.ts';
import { createSession, endSession, SESSION_COOKIE } from '../auth/session.ts';
import { signIn } from '../auth/signin.ts';
import { changePassword } from '../accounts/store.ts';
import { parseJson } from '../http.ts';

const Login = v.strictObject({
  login: v.pipe(v.string('账号必须是文字'), v.trim(), v.minLength(1, '请填写账号'), v.maxLength(100, '账号过长')),
  password: v.pipe(v.string('密码必须是文字'), v.minLength(1, '请填写密码'), v.maxLength(200, '密码过长')),
});

const PasswordChange = v.strictObject({
  current: v.pipe(v.string('当前密码必须是文字'), v.minLength(1, '请填写当前密码'), v.maxLength(200, '密码过长')),
  password: v.pipe(v.string('新密码必须是文字'), v.minLength(1, '请填写新密码'), v.maxLength(200, '密码过长')),
});

/** Start a session for a signed-in user: the cookie (pages) and the token (API clients). */
export async function startSession(c: Context<AppEnv>, user: User): Promise<{ token: string; expiresAt: string }> {
  const s = await createSession(c.env, user);
  setCookie(c, SESSION_COOKIE, s.token, { httpOnly: true, secure: new URL(c.req.url).protocol === 'https:', sameSite: 'Strict', path: '/', expires: new Date(s.expiresAt) });
  return s;
}

export function throwSignInError(c: Context<AppEnv>, e: ApiError): never {
  const retry = (e.detail as { retryAfter?: number } | undefined)?.retryAfter;
  if (retry) c.header('Retry-After', String(retry));
  throw e;
}

export const auth = new Hono<AppEnv>()
  .post('/login', async (c) => {
    if (c.env.AUTH_MODE === 'access') throw badRequest('access_mode', '本服务使用 Cloudflare Access 登录');
    const body = await parseJson(c, Login);
    const r = await signIn(c.env, body.login, body.password, { via: 'api', ip: c.req.header('CF-Connecting-IP') });
    if (!r.ok) throwSignInError(c, r.error);
    const { token, expiresAt } = await startSession(c, r.user);
    return c.json({ token, expiresAt, user: r.user, ...(r.user.mustChangePassword ? { mustChangePassword: true } : {}) });
  })
  .post('/logout', async (c) => {
    const token = sessionToken(c.req.header('Authorization'), getCookie(c, SESSION_COOKIE));
    if (token) await endSession(c.env, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  })
  .get('/me', authenticate, (c) => c.json({ user: c.get('user') }))
  // Change one's own password: the current one (or the one-time one), and a new one meeting the rule.
  .post('/password', authenticate, async (c) => {
    if (c.env.AUTH_MODE === 'access') throw badRequest('access_mode', '本服务使用 Cloudflare Access 登录，密码由单位邮箱体系管理');
    const body = await parseJson(c, PasswordChange);
    const token = sessionToken(c.req.header('Authorization'), getCookie(c, SESSION_COOKIE));
    await changePassword(c.env, c.get('user'), body.current, body.password, token);
    return c.json({ ok: true });
  });
