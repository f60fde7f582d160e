/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The page shell of the county dashboard: header, navigation for the signed-in role, main area, the page's
// one script (worker/public/assets/<name>.js, built from worker/pages/client/<name>.ts) and the stylesheet.
// No inline scripts or styles (CSP: script-src 'self'; style-src 'self'). JSX escapes every value.
import type { Child } from 'hono/jsx';
import { html } from 'hono/html';
import type { Role, User } from '../env.ts';

export const ROLE_NAME: Record<Role, string> = { township: '乡镇干部', county: '县委组织部', finance: '县财政', admin: '县管理员', province: '省级' };

export interface NavItem {
  path: string;
  label: string;
  roles: readonly Role[];
}

const VIEWERS: readonly Role[] = ['county', 'finance', 'admin', 'province'];

/** The pages, in menu order, and who may use each. The API enforces the same (docs/api.md); this only
 * keeps the menu to what works for the role. */
export const NAV: readonly NavItem[] = [
  { path: '/province', label: '全省各县', roles: ['province'] },
  { path: '/', label: '总览', roles: VIEWERS },
  { path: '/villages', label: '村级排名', roles: ['township', ...VIEWERS] },
  { path: '/townships', label: '乡镇排名', roles: VIEWERS },
  { path: '/ledger', label: '整改台账', roles: ['township', 'county', 'admin'] },
  { path: '/observations', label: '观摩评议', roles: ['county', 'admin'] },
  { path: '/allocations', label: '以奖代补', roles: ['finance', 'admin', 'county'] },
  { path: '/submissions', label: '上报记录', roles: ['township', 'county', 'admin'] },
  { path: '/score', label: '网页评分', roles: ['township', 'admin'] },
  { path: '/audit', label: '操作日志', roles: ['admin', 'province'] },
  { path: '/accounts', label: '账号管理', roles: ['admin'] },
  { path: '/codes', label: '区划调整', roles: ['admin', 'county'] },
];

export const APP_NAME = '村党组织建设考评';

export function homeFor(role: Role): string {
  return role === 'township' ? '/villages' : role === 'finance' ? '/allocations' : role === 'province' ? '/province' : '/';
}

function Head(props: { title: string; script?: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light" />
      <title>{`${props.title} — ${APP_NAME}`}</title>
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/app.css" />
      {props.script ? <script type="module" src={`/assets/${props.script}.js`}></script> : null}
    </head>
  );
}

/** A province account looks at one county at a time (?county=410999), carried from page to page, picked
 * from the counties of its province (never typed). */
export interface PageContext {
  county?: string;
  counties?: readonly { code: string; name: string }[];
}

export function Page(props: { user: User; path: string; title: string; script: string; wide?: boolean; ctx?: PageContext; children?: Child }) {
  const { user } = props;
  const items = NAV.filter((n) => n.roles.includes(user.role));
  const county = user.role === 'province' ? props.ctx?.county : undefined;
  const href = (path: string) => (county ? `${path}?county=${county}` : path);
  return (
    <>
      {html`<!DOCTYPE html>`}
      <html lang="zh-CN">
        <Head title={props.title} script={props.script} />
        <body
          data-page={props.script}
          data-role={user.role}
          data-login={user.login}
          data-name={user.name}
          data-township={user.townshipCode ?? ''}
          data-county={user.countyCode ?? ''}
        >
          <header class="top">
            <a class="brand" href={homeFor(user.role)}>
              {APP_NAME}
              <span class="brand-sub">县级工作台</span>
            </a>
            <nav class="nav" aria-label="主菜单">
              {items.map((n) => (
                <a href={href(n.path)} aria-current={n.path === props.path ? 'page' : undefined}>
                  {n.label}
                </a>
              ))}
            </nav>
            <div class="who">
              <span class="who-name">{user.name}</span>
              <span class="who-role">{ROLE_NAME[user.role]}</span>
              <a href="/password" class="who-pass">
                修改密码
              </a>
              <button type="button" id="logout" class="link">
                退出
              </button>
            </div>
          </header>
          <main class={props.wide ? 'main wide' : 'main'}>
            <div class="page-head">
              <h1>{props.title}</h1>
              <p class="printed" id="printed-at"></p>
            </div>
            <noscript>
              <p class="status status-error">此页面需要启用 JavaScript。</p>
            </noscript>
            {user.role === 'province' && props.path !== '/province' ? (
              <form class="toolbar county-pick no-print" method="get" action={props.path}>
                <label class="field">
                  <span>查看的县</span>
                  <select name="county" id="county-pick" required>
                    <option value="" selected={!county}>
                      请选择县
                    </option>
                    {(props.ctx?.counties ?? []).map((c) => (
                      <option value={c.code} selected={c.code === county}>
                        {c.name}（{c.code}）
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit">查看</button>
                <a href="/province">全省各县对比</a>
                {county ? <span class="note">只读查看</span> : <span class="note">省级账号请先指定要查看的县（从列表中选择）。</span>}
              </form>
            ) : null}
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

/** A page without the signed-in shell (sign-in, errors). */
export function Bare(props: { title: string; script?: string; children?: Child }) {
  return (
    <>
      {html`<!DOCTYPE html>`}
      <html lang="zh-CN">
        <Head title={props.title} script={props.script} />
        <body class="bare" data-page={props.script ?? ''}>
          <main class="main narrow">{props.children}</main>
        </body>
      </html>
    </>
  );
}

/** The signed-in shell with a message instead of the page (not allowed for the role). */
export function Denied(props: { user: User; path: string; title: string; message: string }) {
  return (
    <Page user={props.user} path={props.path} title={props.title} script="common">
      <p class="status status-error" role="alert">
        {props.message}
      </p>
      <p>
        <a href={homeFor(props.user.role)}>返回首页</a>
      </p>
    </Page>
  );
}
