// The county dashboard's pages (server-rendered shells in Chinese; each page's script fills them from the
// JSON API) and the static files they use. Pages need a signed-in user: without one they redirect to
// /login and come back. The menu and the pages follow the role (layout.tsx NAV); the API checks again.
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AppEnv, Role, User } from '../env.ts';
import { ApiError } from '../errors.ts';
import { authenticate } from '../auth/middleware.ts';
import { checkPassword, createSession, SESSION_COOKIE } from '../auth/session.ts';
import { AuditPage } from '../pages/audit.tsx';
import { Denied, homeFor, NAV, ROLE_NAME, type PageContext } from '../pages/layout.tsx';
import {
  AllocationsView,
  LedgerView,
  LoginView,
  ObservationsView,
  OverviewView,
  ScoreView,
  SubmissionsView,
  TownshipsView,
  VillagesView,
} from '../pages/views.tsx';

type Ctx = Context<AppEnv>;

/** The signed-in user, or null (no session, expired, unknown). Runs the API's own authentication. */
async function pageUser(c: Ctx): Promise<User | null> {
  try {
    await authenticate(c, async () => {});
    return c.get('user');
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return null;
    throw e;
  }
}

/** Only same-site paths: never an absolute or protocol-relative URL (open redirect). */
export function safeNext(next: string | undefined | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /\p{Cc}/u.test(next)) return '';
  if (next.startsWith('/login') || next.startsWith('/api/')) return '';
  return next.slice(0, 500);
}

function noStore(c: Ctx): void {
  c.header('Cache-Control', 'no-store');
}

type View = (user: User, ctx: PageContext, c: Ctx) => ReturnType<typeof OverviewView>;

function page(path: string, view: View) {
  const item = NAV.find((n) => n.path === path);
  const roles: readonly Role[] = item?.roles ?? [];
  return async (c: Ctx) => {
    noStore(c);
    const user = await pageUser(c);
    if (!user) {
      const here = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(here.pathname + here.search)}`, 302);
    }
    if (path === '/' && user.role === 'township') return c.redirect(homeFor(user.role), 302);
    if (!roles.includes(user.role)) {
      const allowed = roles.map((r) => ROLE_NAME[r]).join('、');
      return c.html(Denied({ user, path, title: item?.label ?? '无权访问', message: `您的账号（${ROLE_NAME[user.role]}）不能使用“${item?.label ?? path}”页面；可使用的身份：${allowed}。` }), 403);
    }
    const county = c.req.query('county');
    return c.html(view(user, { county: county && /^\d{6}$/.test(county) ? county : undefined }, c));
  };
}

/** Static files from worker/public (Workers assets; run_worker_first sends every request here first). */
async function asset(c: Ctx): Promise<Response> {
  if (!c.env.ASSETS) return c.text('静态资源未配置', 404);
  const res = await c.env.ASSETS.fetch(c.req.raw);
  if (!res.ok && res.status !== 304) return c.text('找不到文件', 404);
  const out = new Response(res.body, res);
  // Names are stable (not content-hashed), except chunks: revalidate by ETag on each load.
  out.headers.set('Cache-Control', new URL(c.req.url).pathname.startsWith('/assets/chunks/') ? 'public, max-age=31536000, immutable' : 'no-cache');
  return out;
}

export const pages = new Hono<AppEnv>()
  .get('/app.css', asset)
  .get('/favicon.svg', asset)
  .get('/assets/*', asset)
  .get('/login', async (c) => {
    noStore(c);
    const next = safeNext(c.req.query('next'));
    const user = await pageUser(c);
    if (user) return c.redirect(next || homeFor(user.role), 302);
    return c.html(LoginView({ next, notice: c.req.query('signed_out') ? '已退出登录。' : undefined }));
  })
  // Sign-in without the page script (the script uses POST /api/auth/login and shows errors in place).
  .post('/login', async (c) => {
    noStore(c);
    const origin = c.req.header('Origin');
    if (origin && origin !== new URL(c.req.url).origin) return c.text('来源不符', 403);
    const form = await c.req.parseBody();
    const login = typeof form.login === 'string' ? form.login.trim() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const next = safeNext(typeof form.next === 'string' ? form.next : c.req.query('next'));
    if (c.env.AUTH_MODE === 'access') return c.html(LoginView({ next, notice: '本服务使用 Cloudflare Access 登录' }), 400);
    const user = login && password && login.length <= 100 && password.length <= 200 ? await checkPassword(c.env, login, password) : null;
    if (!user) return c.html(LoginView({ next, notice: '账号或密码不正确' }), 401);
    const { token, expiresAt } = await createSession(c.env, user);
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, secure: new URL(c.req.url).protocol === 'https:', sameSite: 'Strict', path: '/', expires: new Date(expiresAt) });
    return c.redirect(next || homeFor(user.role), 303);
  })
  // 网页评分 works signed-out too (scoring happens in the browser); signed-in it scores by the county
  // rulebook and can submit. Any role may open it; the API decides who may submit.
  .get('/score', async (c) => {
    noStore(c);
    return c.html(ScoreView({ user: await pageUser(c) }));
  })
  .get('/', page('/', (user, ctx) => OverviewView({ user, ctx })))
  .get('/villages', page('/villages', (user, ctx) => VillagesView({ user, ctx })))
  .get('/townships', page('/townships', (user, ctx) => TownshipsView({ user, ctx })))
  .get('/ledger', page('/ledger', (user) => LedgerView({ user, canEdit: user.role !== 'province' && user.role !== 'finance' })))
  .get('/observations', page('/observations', (user) => ObservationsView({ user })))
  .get('/allocations', page('/allocations', (user) => AllocationsView({ user, canEdit: user.role === 'finance' || user.role === 'admin' })))
  .get('/submissions', page('/submissions', (user) => SubmissionsView({ user, canUpload: user.role === 'township' || user.role === 'admin' })))
  .get('/audit', page('/audit', (user, ctx, c) => AuditPage({ user, ctx, env: c.env, raw: c.req.query() })));
