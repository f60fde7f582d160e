/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// 操作日志 (/audit): the county's audit log, rendered on the server (JSX escapes every value), newest first,
// with the filters as a plain GET form, paging by cursor and links to the CSV and Excel exports of the same
// filter. No script of its own (the shell's common script only), so it works and prints without one.
import type { Bindings, User } from '../env.ts';
import { ApiError } from '../errors.ts';
import { countyOf } from '../auth/scope.ts';
import { AUDIT_ACTIONS, AUDIT_GROUPS } from '../audit/log.ts';
import { filterOf, PAGE_DEFAULT, parseAuditQuery, readAudit, describeFilter, type AuditQueryInput, type AuditView } from '../audit/read.ts';
import { beijingTime } from '../audit/export.ts';
import { Page, ROLE_NAME, type PageContext } from './layout.tsx';

function query(values: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, x] of Object.entries(values)) if (x) q.set(k, x);
  const s = q.toString();
  return s ? `?${s}` : '';
}

function detailText(d: unknown): string {
  return typeof d === 'string' ? d : JSON.stringify(d, null, 2);
}

function EntryRow(props: { e: AuditView }) {
  const { e } = props;
  return (
    <tr>
      <td class="nw">{beijingTime(e.at)}</td>
      <td class="nw">
        {e.actor.name ?? e.actor.id}
        <br />
        <span class="note">
          {e.actor.login ?? e.actor.id}
          {e.actor.role ? ` · ${ROLE_NAME[e.actor.role]}` : ''}
        </span>
      </td>
      <td class="nw" title={e.action}>
        {e.actionLabel}
      </td>
      <td class="code-col">{e.object ?? ''}</td>
      <td class="wrap">
        {e.summary}
        <details class="audit-detail">
          <summary>详情</summary>
          <pre>{detailText(e.detail)}</pre>
        </details>
      </td>
    </tr>
  );
}

/** The page for a signed-in admin or province account (the route checks the role first). */
export async function AuditPage(props: { user: User; ctx: PageContext; env: Bindings; raw: Record<string, string> }) {
  const { user, ctx } = props;
  const parsed = parseAuditQuery(props.raw);
  const q: Partial<AuditQueryInput> = parsed.ok ? parsed.value : {};
  let county: string | undefined;
  let problem: string | undefined;
  if (!parsed.ok) problem = parsed.message;
  else if (user.role !== 'province' || ctx.county) {
    try {
      county = countyOf(user, user.role === 'province' ? ctx.county : undefined);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      problem = e.message;
    }
  }
  const filter = county && parsed.ok ? filterOf(county, parsed.value) : undefined;
  const page = filter ? await readAudit(props.env, filter, { limit: q.limit ?? PAGE_DEFAULT, ...(q.cursor ? { cursor: q.cursor } : {}) }) : null;
  const limit = q.limit ? String(q.limit) : undefined;
  const filters = { county: user.role === 'province' ? ctx.county : undefined, from: q.from, to: q.to, action: q.action, actor: q.actor, object: q.object };
  return (
    <Page user={user} path="/audit" title="操作日志" script="common" wide ctx={ctx}>
      <form class="toolbar no-print" role="search" method="get" action="/audit" id="filters">
        {filters.county ? <input type="hidden" name="county" value={filters.county} /> : null}
        {limit ? <input type="hidden" name="limit" value={limit} /> : null}
        <label class="field">
          <span>起始日期</span>
          <input type="date" name="from" id="from" value={q.from ?? ''} />
        </label>
        <label class="field">
          <span>截止日期</span>
          <input type="date" name="to" id="to" value={q.to ?? ''} />
        </label>
        <label class="field">
          <span>操作</span>
          <select name="action" id="action">
            <option value="">全部</option>
            <optgroup label="按类别">
              {Object.entries(AUDIT_GROUPS).map(([k, label]) => (
                <option value={k} selected={q.action === k}>
                  {`${label}（全部）`}
                </option>
              ))}
            </optgroup>
            <optgroup label="按操作">
              {Object.entries(AUDIT_ACTIONS).map(([k, label]) => (
                <option value={k} selected={q.action === k}>
                  {label}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label class="field">
          <span>操作人（账号或姓名）</span>
          <input name="actor" id="actor" maxlength={100} size={12} value={q.actor ?? ''} />
        </label>
        <label class="field">
          <span>对象编号</span>
          <input name="object" id="object" maxlength={200} size={20} value={q.object ?? ''} />
        </label>
        <button type="submit" class="primary">
          查询
        </button>
        <span class="spacer"></span>
        {county ? (
          <>
            <a class="button" id="export-csv" href={`/api/audit.csv${query(filters)}`}>
              导出 CSV
            </a>
            <a class="button" id="export-xlsx" href={`/api/audit.xlsx${query(filters)}`}>
              导出 Excel
            </a>
          </>
        ) : null}
        <button type="button" id="print">
          打印
        </button>
      </form>
      {problem ? (
        <p class="status status-error" role="alert" id="status">
          {problem}
        </p>
      ) : null}
      {page && filter ? (
        <section class="panel">
          <h2>{describeFilter(filter)}</h2>
          <p class="note">记录上报、县级规则发布、观摩评分、整改台账备注与销号、以奖代补分配等操作；日志只增不改，不能修改或删除。时间为北京时间。</p>
          <div class="table-wrap">
            <table class="data" id="audit-table">
              <thead>
                <tr>
                  <th>时间</th>
                  <th>操作人</th>
                  <th>操作</th>
                  <th>对象</th>
                  <th>摘要</th>
                </tr>
              </thead>
              <tbody>
                {page.entries.length ? (
                  page.entries.map((e) => <EntryRow e={e} />)
                ) : (
                  <tr>
                    <td class="empty" colspan={5}>
                      没有符合条件的记录
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <p class="pager no-print">
            {q.cursor ? (
              <a href={`/audit${query({ ...filters, limit })}`} id="newest">
                回到最新
              </a>
            ) : null}
            {page.next ? (
              <a href={`/audit${query({ ...filters, limit, cursor: page.next })}`} id="older">
                更早的记录
              </a>
            ) : null}
          </p>
        </section>
      ) : null}
    </Page>
  );
}
