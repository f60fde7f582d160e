// Reading the 操作日志 of one county, newest first, with filters (Beijing dates, action or area, person,
// object) and a cursor (the last entry's id: ids only grow, so paging is stable while entries are added).
// Shared by GET /api/audit, the exports and the /audit page. Every value is a bound parameter.
import * as v from 'valibot';
import type { Bindings, Role } from '../env.ts';
import { ROLES } from '../env.ts';
import { badRequest } from '../errors.ts';
import { actionLabel, AUDIT_GROUPS, isAuditAction, isAuditGroup } from './log.ts';
import { issuePath } from '../http.ts';

export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 500;
export const EXPORT_MAX = 10_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function realDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const dateField = (name: string) => v.optional(v.pipe(v.string(), v.check(realDate, `${name}应为日期，如 2026-07-01`)));
const text = (name: string, max: number) => v.optional(v.pipe(v.string(), v.trim(), v.maxLength(max, `${name}不超过${max}个字符`)));

export const AuditQuery = v.pipe(
  v.strictObject(
    {
      county: v.optional(v.pipe(v.string(), v.regex(/^\d{6}$/, '县级代码应为6位数字'))),
      from: dateField('起始日期'),
      to: dateField('截止日期'),
      action: v.optional(v.pipe(v.string(), v.check((s) => isAuditAction(s) || isAuditGroup(s), '不认识的操作类型'))),
      actor: text('操作人', 100),
      object: text('对象编号', 200),
      cursor: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, '翻页标记有误'))),
      limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,4}$/, `条数应为1–${PAGE_MAX}的整数`), v.transform(Number), v.minValue(1, '条数至少为1'), v.maxValue(PAGE_MAX, `条数最多为${PAGE_MAX}`))),
    },
    (i) => (i.expected === 'never' ? `不认识的参数${i.received}` : '参数有误'),
  ),
  v.check((q) => !q.from || !q.to || q.from <= q.to, '起始日期不能晚于截止日期'),
);

export type AuditQueryInput = v.InferOutput<typeof AuditQuery>;

/** Validate the query; empty fields (a form sent with blanks) count as absent. */
export function parseAuditQuery(raw: Record<string, string>): { ok: true; value: AuditQueryInput } | { ok: false; message: string; problems: { path: string; message: string }[] } {
  const given = Object.fromEntries(Object.entries(raw).filter(([, x]) => x.trim() !== ''));
  const r = v.safeParse(AuditQuery, given);
  if (r.success) return { ok: true, value: r.output };
  const problems = r.issues.slice(0, 20).map((i) => ({ path: issuePath(i), message: i.message }));
  return { ok: false, message: problems.map((p) => `${p.path || '参数'}：${p.message}`).join('；'), problems };
}

export interface AuditFilter {
  county: string;
  from?: string;
  to?: string;
  action?: string;
  actor?: string;
  object?: string;
}

/** The start of a Beijing (UTC+8) calendar day as an ISO instant. */
export function beijingDayStart(date: string, plusDays = 0): string {
  const m = DATE.exec(date);
  if (!m) throw badRequest('invalid_query', `日期有误：${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays) - 8 * 3600_000).toISOString();
}

export function filterOf(county: string, q: AuditQueryInput): AuditFilter {
  return {
    county,
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.actor ? { actor: q.actor } : {}),
    ...(q.object ? { object: q.object } : {}),
  };
}

export interface AuditView {
  id: number;
  at: string;
  actor: { id: string; login: string | null; name: string | null; role: Role | null };
  county: string | null;
  action: string;
  actionLabel: string;
  object: string | null;
  summary: string;
  detail: unknown;
}

interface Row {
  id: number;
  at: string;
  account_id: string;
  actor_name: string | null;
  actor_role: string | null;
  actor_login: string | null;
  county_code: string | null;
  action: string;
  target: string | null;
  summary: string | null;
  detail_json: string;
}

function parseDetail(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

function toView(r: Row): AuditView {
  const role = (ROLES as readonly string[]).includes(r.actor_role ?? '') ? (r.actor_role as Role) : null;
  return {
    id: r.id,
    at: r.at,
    actor: { id: r.account_id, login: r.actor_login, name: r.actor_name, role },
    county: r.county_code,
    action: r.action,
    actionLabel: actionLabel(r.action),
    object: r.target,
    summary: r.summary || actionLabel(r.action),
    detail: parseDetail(r.detail_json),
  };
}

/** Entries newest first: up to `limit`, older than `cursor` (an id) when given; `next` is the cursor for the
 * page after, or null at the end. */
export async function readAudit(env: Bindings, f: AuditFilter, page: { limit: number; cursor?: string }): Promise<{ entries: AuditView[]; next: string | null }> {
  const where = ['l.county_code = ?'];
  const args: (string | number)[] = [f.county];
  if (f.from) {
    where.push('l.at >= ?');
    args.push(beijingDayStart(f.from));
  }
  if (f.to) {
    where.push('l.at < ?');
    args.push(beijingDayStart(f.to, 1));
  }
  if (f.action) {
    if (isAuditGroup(f.action)) {
      // Group names are catalogue words (letters only): the pattern holds no user text.
      where.push('l.action LIKE ?');
      args.push(`${f.action}.%`);
    } else {
      where.push('l.action = ?');
      args.push(f.action);
    }
  }
  if (f.actor) {
    where.push('(l.account_id = ? OR a.login = ? OR COALESCE(l.actor_name, a.name) = ?)');
    args.push(f.actor, f.actor, f.actor);
  }
  if (f.object) {
    where.push('l.target = ?');
    args.push(f.object);
  }
  if (page.cursor) {
    where.push('l.id < ?');
    args.push(Number(page.cursor));
  }
  const res = await env.DB.prepare(
    `SELECT l.id, l.at, l.account_id, COALESCE(l.actor_name, a.name) AS actor_name, COALESCE(l.actor_role, a.role) AS actor_role, a.login AS actor_login,
       l.county_code, l.action, l.target, l.summary, l.detail_json
     FROM audit_log l LEFT JOIN accounts a ON a.id = l.account_id
     WHERE ${where.join(' AND ')} ORDER BY l.id DESC LIMIT ?`,
  )
    .bind(...args, page.limit + 1)
    .all<Row>();
  const rows = res.results;
  const more = rows.length > page.limit;
  const entries = rows.slice(0, page.limit).map(toView);
  return { entries, next: more && entries.length ? String(entries[entries.length - 1]!.id) : null };
}

/** A one-line description of the filters, for export titles and the page. */
export function describeFilter(f: AuditFilter): string {
  const parts: string[] = [];
  if (f.from || f.to) parts.push(`日期：${f.from ?? '最早'} 至 ${f.to ?? '今'}`);
  if (f.action) parts.push(`操作：${isAuditGroup(f.action) ? `${AUDIT_GROUPS[f.action]}（全部）` : actionLabel(f.action)}`);
  if (f.actor) parts.push(`操作人：${f.actor}`);
  if (f.object) parts.push(`对象：${f.object}`);
  return parts.length ? parts.join('；') : '全部记录';
}
