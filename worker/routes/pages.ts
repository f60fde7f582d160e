// The county dashboard's pages (server-rendered shells in Chinese; each page's script fills them from the
// JSON API) and the static files they use. Pages need a signed-in user: without one they redirect to
// /login and come back. The menu and the pages follow the role (layout.tsx NAV); the API checks again.
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import * as v from 'valibot';
import type { AppEnv, Role, User } from '../env.ts';
import { ApiError } from '../errors.ts';
import { authenticate, sessionToken } from '../auth/middleware.ts';
import { SESSION_COOKIE } from '../auth/session.ts';
import { signIn } from '../auth/signin.ts';
import { startSession } from './auth.ts';
import { AccountPatch, changePassword, countyTownships, createAccounts, listAccounts, NewAccount, resetPassword, updateAccount, type Created } from '../accounts/store.ts';
import { readAccountSheet } from '../accounts/sheet.ts';
import { AccountsPage, PasswordPage, type AccountsPageProps } from '../pages/accounts.tsx';
import { AuditPage } from '../pages/audit.tsx';
import { CodesPage } from '../pages/codes.tsx';
import { CodeChangeInput, listCodeChanges, recordCodeChange } from '../codes/store.ts';
import { ProvinceView } from '../pages/province.tsx';
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

/** The signed-in user, or null (no session, expired, unknown). Runs the API's own authentication. A user still
 * on a one-time password is returned (with mustChangePassword): the pages send them to /password. */
async function pageUser(c: Ctx): Promise<User | null> {
  try {
    await authenticate(c, async () => {});
    return c.get('user');
  } catch (e) {
    if (e instanceof ApiError && e.code === 'password_change_required') return c.get('user');
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return null;
    throw e;
  }
}

/** A form posted from another site is refused (the session cookie is SameSite=Strict as well). */
function foreign(c: Ctx): boolean {
  const origin = c.req.header('Origin');
  return !!origin && origin !== new URL(c.req.url).origin;
}

function toLogin(c: Ctx) {
  const here = new URL(c.req.url);
  return c.redirect(`/login?next=${encodeURIComponent(here.pathname + here.search)}`, 302);
}

const field = (form: Record<string, unknown>, name: string): string => (typeof form[name] === 'string' ? (form[name] as string) : '');
const optional = (s: string): string | undefined => (s.trim() ? s : undefined);

function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const labels: Record<string, string> = { name: '姓名', login: '登录名', role: '角色', township: '乡镇', phone: '手机号' };
  return issues
    .slice(0, 5)
    .map((i) => {
      const key = String((i.path?.[0] as { key?: unknown } | undefined)?.key ?? '');
      return `${labels[key] ?? key}：${i.message}`;
    })
    .join('；');
}

/** 账号管理 after an action (or none): the county's accounts, and what the action produced. */
async function accountsPage(c: Ctx, user: User, extra: Partial<AccountsPageProps> = {}, status: 200 | 400 | 404 | 403 | 409 | 413 | 415 = 200) {
  return c.html(await accountsView(c, user, extra), status);
}

async function accountsView(c: Ctx, user: User, extra: Partial<AccountsPageProps> = {}) {
  const county = user.countyCode ?? '';
  const [list, ts, name] = await Promise.all([
    listAccounts(c.env, county),
    countyTownships(c.env, county),
    c.env.DB.prepare('SELECT name FROM counties WHERE code = ?').bind(county).first<{ name: string }>(),
  ]);
  const townships = [...ts.byCode].map(([code, n]) => ({ code, name: n }));
  return AccountsPage({ user, countyName: name?.name ?? county, accounts: list, townships, ...extra });
}

async function codesView(c: Ctx, user: User, extra: { notice?: string; error?: string } = {}) {
  const county = user.countyCode ?? '';
  const [changes, ts, name] = await Promise.all([
    listCodeChanges(c.env, county),
    countyTownships(c.env, county),
    c.env.DB.prepare('SELECT name FROM counties WHERE code = ?').bind(county).first<{ name: string }>(),
  ]);
  const townships = [...ts.byCode].map(([code, n]) => ({ code, name: n }));
  return CodesPage({ user, countyName: name?.name ?? county, changes, townships, ...extra });
}

/** The 区划调整 form → the API's input: old codes separated by spaces or commas, new villages one per line
 * ("代码 村名", or only a name for a rename in place). */
function codeChangeFromForm(form: Record<string, unknown>): v.InferOutput<typeof CodeChangeInput> {
  const kind = field(form, 'kind');
  const olds = field(form, 'old').split(/[\s,，、]+/).filter(Boolean);
  const news = field(form, 'new')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^(\d{12})?\s*(.*)$/.exec(l)!;
      return { code: m[1] ?? '', name: (m[2] ?? '').trim() };
    });
  const note = optional(field(form, 'note')) ? { note: field(form, 'note') } : {};
  const raw =
    kind === 'merge'
      ? { kind, period: field(form, 'period'), from: olds, to: news[0] ?? { code: '', name: '' }, ...note }
      : kind === 'split'
        ? { kind, period: field(form, 'period'), from: olds[0] ?? '', to: news, ...note }
        : kind === 'rename'
          ? { kind, period: field(form, 'period'), code: olds[0] ?? '', name: news[0]?.name ?? '', ...(news[0]?.code ? { newCode: news[0].code } : {}), ...note }
          : {
              kind,
              period: field(form, 'period'),
              code: olds[0] ?? '',
              township: field(form, 'township'),
              ...(news[0]?.code ? { newCode: news[0].code } : {}),
              ...(news[0]?.name ? { name: news[0].name } : {}),
              ...note,
            };
  const r = v.safeParse(CodeChangeInput, raw);
  if (!r.success) {
    const labels: Record<string, string> = { kind: '类型', period: '期次', from: '原代码', code: '原代码', to: '新代码和村名', name: '村名', newCode: '新代码', township: '新乡镇', note: '说明' };
    throw new ApiError(
      400,
      'invalid',
      r.issues
        .slice(0, 5)
        .map((i) => {
          const key = String((i.path?.[0] as { key?: unknown } | undefined)?.key ?? '');
          return `${labels[key] ?? key}：${i.message}`;
        })
        .join('；'),
    );
  }
  return r.output;
}

async function accountAction(c: Ctx, user: User, form: Record<string, unknown>): Promise<Partial<AccountsPageProps>> {
  const action = field(form, 'action');
  const id = field(form, 'id');
  if (action === 'create') {
    const r = v.safeParse(NewAccount, {
      name: field(form, 'name'),
      login: field(form, 'login'),
      role: field(form, 'role'),
      ...(optional(field(form, 'township')) ? { township: field(form, 'township') } : {}),
      ...(optional(field(form, 'phone')) ? { phone: field(form, 'phone') } : {}),
    });
    if (!r.success) throw new ApiError(400, 'invalid', firstIssue(r.issues));
    return { created: await createAccounts(c.env, user, [r.output], 'form'), createdHow: 'create' };
  }
  if (action === 'import') {
    const file = form.file;
    if (!(file instanceof File)) throw new ApiError(400, 'no_file', '请选择名单文件（xlsx 或 csv）');
    if (file.size > 5 * 1024 * 1024) throw new ApiError(413, 'too_large', '名单文件过大（超过 5MB）');
    const rows = await readAccountSheet(new Uint8Array(await file.arrayBuffer()), file.name || '名单.xlsx');
    const made: (Created & { row?: number })[] = (await createAccounts(c.env, user, rows, 'sheet')).map((m, i) => ({ ...m, row: rows[i]!.row }));
    return { created: made, createdHow: 'import' };
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new ApiError(400, 'bad_id', '账号编号格式不对');
  if (action === 'reset') return { created: [await resetPassword(c.env, user, id)], createdHow: 'reset' };
  if (action === 'disable' || action === 'enable') {
    const a = await updateAccount(c.env, user, id, { disabled: action === 'disable' });
    return { notice: `已${action === 'disable' ? '停用' : '启用'}账号 ${a.name}（${a.login}）` };
  }
  if (action === 'update') {
    const r = v.safeParse(AccountPatch, { name: field(form, 'name'), role: field(form, 'role'), township: field(form, 'township') || null, phone: field(form, 'phone') });
    if (!r.success) throw new ApiError(400, 'invalid', firstIssue(r.issues));
    const a = await updateAccount(c.env, user, id, r.output);
    return { notice: `已保存账号 ${a.name}（${a.login}）` };
  }
  throw new ApiError(400, 'bad_action', '不认识的操作');
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

/** The counties of a province account's province, for its county picker. */
async function provinceCountyList(c: Ctx, user: User): Promise<{ code: string; name: string }[]> {
  if (!user.provinceCode || !/^\d{2}$/.test(user.provinceCode)) return [];
  return (await c.env.DB.prepare('SELECT code, name FROM counties WHERE substr(code, 1, 2) = ? ORDER BY code').bind(user.provinceCode).all<{ code: string; name: string }>()).results;
}

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
    if (user.mustChangePassword) return c.redirect('/password', 302);
    if (path === '/' && user.role === 'township') return c.redirect(homeFor(user.role), 302);
    if (!roles.includes(user.role)) {
      const allowed = roles.map((r) => ROLE_NAME[r]).join('、');
      return c.html(Denied({ user, path, title: item?.label ?? '无权访问', message: `您的账号（${ROLE_NAME[user.role]}）不能使用“${item?.label ?? path}”页面；可使用的身份：${allowed}。` }), 403);
    }
    const county = c.req.query('county');
    const counties = user.role === 'province' ? await provinceCountyList(c, user) : undefined;
    return c.html(view(user, { county: county && /^\d{6}$/.test(county) ? county : undefined, ...(counties ? { counties } : {}) }, c));
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
    if (!login || !password || login.length > 100 || password.length > 200) return c.html(LoginView({ next, notice: '账号或密码不正确' }), 401);
    const r = await signIn(c.env, login, password, { via: 'form', ip: c.req.header('CF-Connecting-IP') });
    if (!r.ok) {
      const retry = (r.error.detail as { retryAfter?: number } | undefined)?.retryAfter;
      if (retry) c.header('Retry-After', String(retry));
      return c.html(LoginView({ next, notice: r.error.message }), r.error.status === 429 ? 429 : 401);
    }
    await startSession(c, r.user);
    return c.redirect(r.user.mustChangePassword ? '/password' : next || homeFor(r.user.role), 303);
  })
  // 修改密码: any signed-in local account; the only page open while a one-time password is in use.
  .get('/password', async (c) => {
    noStore(c);
    const user = await pageUser(c);
    if (!user) return toLogin(c);
    if (c.env.AUTH_MODE === 'access') return c.redirect(homeFor(user.role), 302);
    return c.html(PasswordPage({ user }));
  })
  .post('/password', async (c) => {
    noStore(c);
    if (foreign(c)) return c.text('来源不符', 403);
    const user = await pageUser(c);
    if (!user) return toLogin(c);
    if (c.env.AUTH_MODE === 'access') return c.redirect(homeFor(user.role), 302);
    const form = await c.req.parseBody();
    const current = field(form, 'current');
    const password = field(form, 'password');
    if (password !== field(form, 'again')) return c.html(PasswordPage({ user, error: '两次输入的新密码不一致' }), 400);
    try {
      await changePassword(c.env, user, current, password, sessionToken(undefined, getCookie(c, SESSION_COOKIE)));
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) return c.html(PasswordPage({ user, error: e.message }), e.status === 404 ? 404 : 400);
      throw e;
    }
    return c.html(PasswordPage({ user: { ...user, mustChangePassword: false }, done: true }));
  })
  // 账号管理 (county admin): the page, and its forms (create, import a sheet, change, disable/enable, reset).
  .get('/accounts', page('/accounts', (user, _ctx, c) => accountsView(c, user)))
  .post('/accounts', async (c) => {
    noStore(c);
    if (foreign(c)) return c.text('来源不符', 403);
    const user = await pageUser(c);
    if (!user) return toLogin(c);
    if (user.mustChangePassword) return c.redirect('/password', 302);
    if (user.role !== 'admin') return c.html(Denied({ user, path: '/accounts', title: '账号管理', message: `您的账号（${ROLE_NAME[user.role]}）不能管理账号；只有县管理员可以。` }), 403);
    let extra: Partial<AccountsPageProps>;
    try {
      extra = await accountAction(c, user, await c.req.parseBody());
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) return accountsPage(c, user, { error: e.message }, e.status as 400);
      throw e;
    }
    return accountsPage(c, user, extra);
  })
  // 区划调整: the county's code changes (admin and county staff); the admin's form records one.
  .get('/codes', page('/codes', (user, _ctx, c) => codesView(c, user)))
  .post('/codes', async (c) => {
    noStore(c);
    if (foreign(c)) return c.text('来源不符', 403);
    const user = await pageUser(c);
    if (!user) return toLogin(c);
    if (user.mustChangePassword) return c.redirect('/password', 302);
    if (user.role !== 'admin') return c.html(Denied({ user, path: '/codes', title: '区划调整', message: `您的账号（${ROLE_NAME[user.role]}）不能调整区划代码；只有县管理员可以。` }), 403);
    try {
      const made = await recordCodeChange(c.env, user, codeChangeFromForm(await c.req.parseBody()));
      return c.html(await codesView(c, user, { notice: `已记录：${made.kindZh}，自${made.periodZh}起生效。` }));
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) return c.html(await codesView(c, user, { error: e.message }), e.status as 400);
      throw e;
    }
  })
  // 网页评分 works signed-out too (scoring happens in the browser); signed-in it scores by the county
  // rulebook and can submit. Any role may open it; the API decides who may submit.
  .get('/score', async (c) => {
    noStore(c);
    const user = await pageUser(c);
    if (user?.mustChangePassword) return c.redirect('/password', 302);
    return c.html(ScoreView({ user }));
  })
  .get('/province', page('/province', (user, ctx) => ProvinceView({ user, ctx })))
  .get('/', page('/', (user, ctx) => OverviewView({ user, ctx })))
  .get('/villages', page('/villages', (user, ctx) => VillagesView({ user, ctx })))
  .get('/townships', page('/townships', (user, ctx) => TownshipsView({ user, ctx })))
  .get('/ledger', page('/ledger', (user) => LedgerView({ user, canEdit: user.role !== 'province' && user.role !== 'finance' })))
  .get('/observations', page('/observations', (user) => ObservationsView({ user })))
  .get('/allocations', page('/allocations', (user) => AllocationsView({ user, canEdit: user.role === 'finance' || user.role === 'admin' })))
  .get('/submissions', page('/submissions', (user) => SubmissionsView({ user, canUpload: user.role === 'township' || user.role === 'admin' })))
  .get('/audit', page('/audit', (user, ctx, c) => AuditPage({ user, ctx, env: c.env, raw: c.req.query() })));
