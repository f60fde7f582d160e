/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// 区划调整 (/codes): the county's recorded code changes (county admin and county staff), and for the county admin
// a plain form to record one (POST back to the same page; no script of its own). Cards that wrap, so the page
// fits a 390 px phone. The rules: worker/codes/store.ts, docs/design.md "区划代码调整".
import type { User } from '../env.ts';
import { changeSentence, type CodeChangeView } from '../codes/store.ts';
import { Page } from './layout.tsx';

export interface CodesPageProps {
  user: User;
  countyName: string;
  changes: readonly CodeChangeView[];
  townships: readonly { code: string; name: string }[];
  notice?: string;
  error?: string;
}

export function CodesPage(props: CodesPageProps) {
  const { user } = props;
  const canEdit = user.role === 'admin';
  const tname = new Map(props.townships.map((t) => [t.code, t.name]));
  return (
    <Page user={user} path="/codes" title="区划调整" script="common">
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
      <p class="note">
        {props.countyName}：村的合并、拆分、更名和调整乡镇，各自从某一期次起生效。此前期次的结果保留原代码；该期次起用原代码上报会被退回并提示新代码；合并、更名和调整乡镇后，排名走势和连续后进沿原代码接续（合并前几个村同期的结果：走势取平均分，名次和后进取最差者）。
      </p>
      {canEdit ? (
        <section class="panel">
          <h2>记录一次调整</h2>
          <form method="post" action="/codes" class="acct-form" id="code-change-form">
            <label class="field">
              <span>类型</span>
              <select name="kind" required>
                <option value="merge">合并（几个村并为一个新代码）</option>
                <option value="split">拆分（一个村分为几个新代码）</option>
                <option value="rename">更名（可同时换同乡镇的新代码）</option>
                <option value="move">调整乡镇（代码前9位随乡镇改变）</option>
              </select>
            </label>
            <label class="field">
              <span>自哪一期起生效（如 2026Q1、2026H1、2026）</span>
              <input name="period" required maxlength={10} placeholder="2026Q1" />
            </label>
            <label class="field">
              <span>原代码（12位；合并时多个，用空格或逗号分隔）</span>
              <input name="old" required maxlength={300} inputmode="numeric" />
            </label>
            <label class="field">
              <span>新代码和村名，每行一个：“代码 村名”（更名不换代码时只写村名；调整乡镇可留空，默认新乡镇9位＋原代码后3位）</span>
              <textarea name="new" rows={3} maxlength={2000}></textarea>
            </label>
            <label class="field">
              <span>新乡镇（仅调整乡镇）</span>
              <select name="township">
                <option value="">（不调整乡镇）</option>
                {props.townships.map((t) => (
                  <option value={t.code}>{t.name}</option>
                ))}
              </select>
            </label>
            <label class="field">
              <span>说明（可不填）</span>
              <input name="note" maxlength={200} />
            </label>
            <div class="actions">
              <button type="submit" class="primary">
                记录调整
              </button>
            </div>
          </form>
        </section>
      ) : null}
      <h2>调整记录</h2>
      {props.changes.length ? null : <p class="note">尚未记录任何调整。</p>}
      <ul class="acct-list" id="code-changes">
        {props.changes.map((c) => (
          <li class="acct" data-id={c.id}>
            <div class="acct-head">
              <span class="tag">{c.kindZh}</span>
              <span class="name">自{c.periodZh}起</span>
            </div>
            <div class="sub">{changeSentence(c.kind, c.periodZh, c.from, c.to.map((t) => ({ ...t, township: tname.get(t.township) ?? t.township })), c.oldName)}</div>
            <div class="sub acct-meta">
              <span>{c.createdByName ?? c.createdBy}</span>
              <span>{c.createdAt.slice(0, 10)}</span>
              {c.note ? <span>{c.note}</span> : null}
            </div>
          </li>
        ))}
      </ul>
    </Page>
  );
}
