// Who is calling: a bearer token or session cookie (local mode), or a Cloudflare Access JWT (access mode).
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, Role, User } from '../env.ts';
import { ApiError, forbidden, unauthorized } from '../errors.ts';
import { AccessError, teamKeys, verifyAccessJwt, type KeySource } from './access.ts';
import { SESSION_COOKIE, userByLogin, userForToken } from './session.ts';

let accessKeys: { domain: string; source: KeySource } | undefined;

/** Overridable in tests (keys the test generates). */
export function setAccessKeySource(source: KeySource | undefined, domain = 'test'): void {
  accessKeys = source ? { domain, source } : undefined;
}

export function sessionToken(header: string | undefined, cookie: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header) : null;
  return m?.[1] ?? (cookie && /^[A-Za-z0-9_-]{20,200}$/.test(cookie) ? cookie : undefined);
}

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  let user: User | null = null;
  if (c.env.AUTH_MODE === 'access') {
    const jwt = c.req.header('Cf-Access-Jwt-Assertion');
    if (!jwt) throw unauthorized('缺少 Cloudflare Access 身份凭证');
    const domain = c.env.ACCESS_TEAM_DOMAIN;
    const aud = c.env.ACCESS_AUD;
    if (!domain || !aud) throw unauthorized('服务未配置 ACCESS_TEAM_DOMAIN 与 ACCESS_AUD');
    if (!accessKeys || accessKeys.domain !== domain) accessKeys = { domain, source: teamKeys(domain) };
    try {
      const claims = await verifyAccessJwt(jwt, { audience: aud, keys: accessKeys.source, issuer: `https://${domain}` });
      user = await userByLogin(c.env, claims.email);
      if (!user) throw forbidden(`账号“${claims.email}”未在本系统登记，请联系县委组织部管理员`);
    } catch (e) {
      if (e instanceof AccessError) throw unauthorized(e.message);
      throw e;
    }
  } else {
    const token = sessionToken(c.req.header('Authorization'), getCookie(c, SESSION_COOKIE));
    if (token) user = await userForToken(c.env, token);
    if (!user) throw unauthorized(token ? '登录已过期，请重新登录' : '请先登录');
  }
  c.set('user', user);
  if (user.mustChangePassword && !WHILE_CHANGING.has(c.req.path)) throw mustChange();
  await next();
});

/** What a session signed in with a one-time password may use until the password is changed. */
export const WHILE_CHANGING: ReadonlySet<string> = new Set(['/api/auth/me', '/api/auth/password', '/password']);

export const mustChange = () => new ApiError(403, 'password_change_required', '您正在使用一次性密码，请先修改密码（“修改密码”页面或 POST /api/auth/password）后再使用其他功能');

export const ROLE_ZH: Record<Role, string> = { township: '乡镇干部', county: '县委组织部', finance: '县财政', admin: '县管理员', province: '省级' };

/** Allow only these roles. */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const u = c.get('user');
    if (!roles.includes(u.role)) throw forbidden(`此操作需要以下身份之一：${roles.map((r) => ROLE_ZH[r]).join('、')}`);
    await next();
  });
}
