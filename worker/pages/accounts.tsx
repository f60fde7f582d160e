/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// 账号管理 (/accounts, county admin) and 修改密码 (/password, everyone signed in locally): rendered on the server,
// plain forms (POST back to the same page), no script of their own, so they work without one. A one-time
// password appears once, on the page that answers the creation or reset; it is never stored in clear.
// Laid out as cards that wrap, so the page fits a 390 px phone without sideways scrolling.
import type { User } from '../env.ts';
import type { AccountView, Created } from '../accounts/store.ts';
import { PASSWORD_RULE } from '../accounts/password.ts';
import { Bare, Page, ROLE_NAME } from './layout.tsx';

export interface AccountsPageProps {
  user: User;
  countyName: string;
  accounts: readonly AccountView[];
  townships: readonly { code: string; name: string }[];
  /** Accounts just created or reset: their one-time passwords, shown this once. */
  created?: readonly (Created & { row?: number })[];
  createdHow?: 'create' | 'import' | 'reset';
  notice?: string;
  error?: string;
}

const MANAGED = ['township', 'county', 'finance'] as const;

function RoleSelect(props: { value?: string; name?: string }) {
  return (
    <select name={props.name ?? 'role'} required>
      {MANAGED.map((r) => (
        <option value={r} selected={props.value === r}>
          {ROLE_NAME[r]}
        </option>
      ))}
    </select>
  );
}

function TownshipSelect(props: { townships: AccountsPageProps['townships']; value?: string | null }) {
  return (
    <select name="township">
      <option value="">（不属于乡镇：县委组织部、县财政）</option>
      {props.townships.map((t) => (
        <option value={t.code} selected={props.value === t.code}>
          {t.name}
        </option>
      ))}
    </select>
  );
}

function OneTime(props: { created: NonNullable<AccountsPageProps['created']>; how: AccountsPageProps['createdHow'] }) {
  return (
    <section class="panel otp-panel" id="one-time" aria-label="一次性密码">
      <h2>{props.how === 'reset' ? '已重置密码' : `已创建 ${props.created.length} 个账号`}</h2>
      <p class="warn-text">一次性密码只显示这一次，请当面或电话告知本人；本人首次登录时必须改为自己的密码。关闭或刷新本页后无法再查看，只能重新重置。</p>
      <ul class="otp-list">
        {props.created.map((c) => (
          <li class="otp-item">
            <span class="name">
              {c.account.name}
              {c.row ? <span class="sub">（名单第 {c.row} 行）</span> : null}
            </span>
            <span class="sub">
              登录名 <b class="otp-login">{c.account.login}</b> · {ROLE_NAME[c.account.role]}
              {c.account.townshipName ? ` · ${c.account.townshipName}` : ''}
            </span>
            <span>
              一次性密码 <code class="otp">{c.oneTimePassword}</code>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function AccountCard(props: { a: AccountView; townships: AccountsPageProps['townships'] }) {
  const { a } = props;
  const manageable = (MANAGED as readonly string[]).includes(a.role);
  return (
    <li class={`acct${a.disabled ? ' acct-off' : ''}`} data-login={a.login}>
      <div class="acct-head">
        <span class="name">{a.name}</span>
        <span class="tag">{ROLE_NAME[a.role]}</span>
        {a.disabled ? <span class="tag tag-bad">已停用</span> : null}
        {a.locked ? <span class="tag tag-bad">已锁定</span> : null}
        {a.mustChangePassword && !a.disabled ? <span class="tag">待改密码</span> : null}
      </div>
      <div class="sub acct-meta">
        <span>登录名 {a.login}</span>
        {a.townshipName ? <span>{a.townshipName}</span> : null}
        {a.phone ? <span>手机 {a.phone}</span> : null}
      </div>
      {manageable ? (
        <details class="acct-edit">
          <summary>修改、停用或重置密码</summary>
          <form method="post" action="/accounts" class="acct-form">
            <input type="hidden" name="action" value="update" />
            <input type="hidden" name="id" value={a.id} />
            <label class="field">
              <span>姓名</span>
              <input name="name" value={a.name} required maxlength={50} />
            </label>
            <label class="field">
              <span>角色</span>
              <RoleSelect value={a.role} />
            </label>
            <label class="field">
              <span>乡镇（乡镇干部必填）</span>
              <TownshipSelect townships={props.townships} value={a.townshipCode} />
            </label>
            <label class="field">
              <span>手机号</span>
              <input name="phone" value={a.phone ?? ''} inputmode="numeric" maxlength={11} pattern="1[3-9][0-9]{9}" />
            </label>
            <div class="actions">
              <button type="submit">保存修改</button>
            </div>
          </form>
          <div class="actions acct-actions">
            <form method="post" action="/accounts">
              <input type="hidden" name="action" value={a.disabled ? 'enable' : 'disable'} />
              <input type="hidden" name="id" value={a.id} />
              <button type="submit">{a.disabled ? '重新启用' : '停用账号'}</button>
            </form>
            <form method="post" action="/accounts">
              <input type="hidden" name="action" value="reset" />
              <input type="hidden" name="id" value={a.id} />
              <button type="submit">{a.locked ? '重置密码并解锁' : '重置密码'}</button>
            </form>
          </div>
        </details>
      ) : null}
    </li>
  );
}

export function AccountsPage(props: AccountsPageProps) {
  const { user } = props;
  const active = props.accounts.filter((a) => !a.disabled).length;
  return (
    <Page user={user} path="/accounts" title="账号管理" script="common">
      {props.error ? (
        <p class="status status-error" role="alert" id="error">
          {props.error}
        </p>
      ) : null}
      {props.notice ? (
        <p class="status status-info" role="status" id="notice">
          {props.notice}
        </p>
      ) : null}
      {props.created?.length ? <OneTime created={props.created} how={props.createdHow} /> : null}
      <p class="note">
        {props.countyName}：{props.accounts.length} 个账号，{active} 个在用。新账号和重置后的密码都是一次性密码，本人首次登录须修改；{PASSWORD_RULE}。连续登录失败会逐次延长等待，10 次后锁定 30 分钟，重置密码即解锁。
      </p>
      <div class="acct-forms">
        <section class="panel">
          <h2>新建账号</h2>
          <form method="post" action="/accounts" class="acct-form" id="create-form">
            <input type="hidden" name="action" value="create" />
            <label class="field">
              <span>姓名</span>
              <input name="name" required maxlength={50} />
            </label>
            <label class="field">
              <span>登录名（字母、数字，或单位邮箱）</span>
              <input name="login" required maxlength={100} autocomplete="off" />
            </label>
            <label class="field">
              <span>角色</span>
              <RoleSelect />
            </label>
            <label class="field">
              <span>乡镇（乡镇干部必填）</span>
              <TownshipSelect townships={props.townships} />
            </label>
            <label class="field">
              <span>手机号（可不填）</span>
              <input name="phone" inputmode="numeric" maxlength={11} pattern="1[3-9][0-9]{9}" />
            </label>
            <div class="actions">
              <button type="submit" class="primary">
                创建并生成一次性密码
              </button>
            </div>
          </form>
        </section>
        <section class="panel">
          <h2>从名单导入</h2>
          <p class="note">Excel（.xlsx）或 CSV，表头：姓名、登录名、乡镇、角色、手机号。角色填 乡镇干部、县委组织部 或 县财政；乡镇填名称或 9 位代码（县委组织部、县财政留空）。有一行不对则整份不导入，并列出每行的问题。</p>
          <form method="post" action="/accounts" enctype="multipart/form-data" class="acct-form" id="import-form">
            <input type="hidden" name="action" value="import" />
            <label class="field">
              <span>名单文件</span>
              <input type="file" name="file" required accept=".xlsx,.csv" />
            </label>
            <div class="actions">
              <button type="submit">导入</button>
            </div>
          </form>
        </section>
      </div>
      <h2>本县账号</h2>
      <ul class="acct-list" id="accounts">
        {props.accounts.map((a) => (
          <AccountCard a={a} townships={props.townships} />
        ))}
      </ul>
    </Page>
  );
}

/** 修改密码: required after signing in with a one-time password, available to everyone signed in locally. */
export function PasswordPage(props: { user: User; error?: string; done?: boolean }) {
  const forced = !!props.user.mustChangePassword;
  return (
    <Bare title="修改密码" script="common">
      <div class="login-box">
        <h1>修改密码</h1>
        <p class="login-sub">
          {props.user.name}（{props.user.login}）
        </p>
        {forced ? <p class="status status-info">您正在使用一次性密码，请先设置自己的密码，然后才能使用系统。</p> : null}
        {props.error ? (
          <p class="status status-error" role="alert" id="error">
            {props.error}
          </p>
        ) : null}
        {props.done ? (
          <p class="status status-info" role="status">
            密码已修改。<a href="/">进入系统</a>
          </p>
        ) : (
          <form method="post" action="/password" id="password-form">
            <label class="field block">
              <span>{forced ? '一次性密码' : '当前密码'}</span>
              <input name="current" type="password" autocomplete="current-password" required maxlength={200} />
            </label>
            <label class="field block">
              <span>新密码</span>
              <input name="password" type="password" autocomplete="new-password" required minlength={10} maxlength={200} />
            </label>
            <label class="field block">
              <span>再输入一次新密码</span>
              <input name="again" type="password" autocomplete="new-password" required minlength={10} maxlength={200} />
            </label>
            <p class="note">{PASSWORD_RULE}。</p>
            <button type="submit" class="primary">
              修改密码
            </button>
          </form>
        )}
      </div>
    </Bare>
  );
}
