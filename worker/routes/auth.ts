// Sign in and out (local mode), and who am I.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as v from 'valibot';
import type { AppEnv } from '../env.ts';
import { badRequest, unauthorized } from '../errors.ts';
import { authenticate, sessionToken } from '../auth/middleware.ts';
import { checkPassword, createSession, endSession, SESSION_COOKIE } from '../auth/session.ts';
import { parseJson } from '../http.ts';

const Login = v.strictObject({
  login: v.pipe(v.string('账号必须是文字'), v.trim(), v.minLength(1, '请填写账号'), v.maxLength(100, '账号过长')),
  password: v.pipe(v.string('密码必须是文字'), v.minLength(1, '请填写密码'), v.maxLength(200, '密码过长')),
});

export const auth = new Hono<AppEnv>()
  .post('/login', async (c) => {
    if (c.env.AUTH_MODE === 'access') throw badRequest('access_mode', '本服务使用 Cloudflare Access 登录');
    const body = await parseJson(c, Login);
    const user = await checkPassword(c.env, body.login, body.password);
    if (!user) throw unauthorized('账号或密码不正确');
    const { token, expiresAt } = await createSession(c.env, user);
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, secure: new URL(c.req.url).protocol === 'https:', sameSite: 'Strict', path: '/', expires: new Date(expiresAt) });
    return c.json({ token, expiresAt, user });
  })
  .post('/logout', async (c) => {
    const token = sessionToken(c.req.header('Authorization'), getCookie(c, SESSION_COOKIE));
    if (token) await endSession(c.env, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  })
  .get('/me', authenticate, (c) => c.json({ user: c.get('user') }));
