// Routes for the 操作日志 (docs/api.md, "Audit log"): GET /api/audit (JSON, newest first, cursor paging),
// GET /api/audit.csv and GET /api/audit.xlsx (the filtered log). County admins see their own county; a
// province account reads any county of its province (?county=), as it does rankings and the ledger.
// Everyone else gets 403. Nothing here writes: entries are added only with the changes they record.
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { badRequest } from '../errors.ts';
import { authenticate, requireRole } from '../auth/middleware.ts';
import { countyOf } from '../auth/scope.ts';
import { EXPORT_MAX, filterOf, PAGE_DEFAULT, parseAuditQuery, readAudit, type AuditFilter } from '../audit/read.ts';
import { auditCsv, auditDisposition, auditXlsx } from '../audit/export.ts';

/** Who may read the audit log. */
export const AUDIT_READERS = ['admin', 'province'] as const;

function request(c: Context<AppEnv>): { filter: AuditFilter; limit?: number; cursor?: string } {
  const q = parseAuditQuery(c.req.query());
  if (!q.ok) throw badRequest('invalid_query', q.message, q.problems);
  const county = countyOf(c.get('user'), q.value.county);
  return { filter: filterOf(county, q.value), ...(q.value.limit ? { limit: q.value.limit } : {}), ...(q.value.cursor ? { cursor: q.value.cursor } : {}) };
}

async function exported(c: Context<AppEnv>) {
  const r = request(c);
  if (r.cursor) throw badRequest('invalid_query', '导出不分页：请去掉 cursor 参数');
  const { entries, next } = await readAudit(c.env, r.filter, { limit: EXPORT_MAX });
  c.header('Cache-Control', 'no-store');
  if (next) c.header('X-Audit-Truncated', String(EXPORT_MAX));
  return { ...r, entries, truncated: next !== null };
}

export const audit = new Hono<AppEnv>()
  .get('/audit', authenticate, requireRole(...AUDIT_READERS), async (c) => {
    const r = request(c);
    const page = await readAudit(c.env, r.filter, { limit: r.limit ?? PAGE_DEFAULT, ...(r.cursor ? { cursor: r.cursor } : {}) });
    c.header('Cache-Control', 'no-store');
    return c.json({ county: r.filter.county, entries: page.entries, nextCursor: page.next });
  })
  .get('/audit.csv', authenticate, requireRole(...AUDIT_READERS), async (c) => {
    const x = await exported(c);
    return c.body(auditCsv(x.entries, x.truncated), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': auditDisposition(x.filter.county, 'csv') });
  })
  .get('/audit.xlsx', authenticate, requireRole(...AUDIT_READERS), async (c) => {
    const x = await exported(c);
    const county = await c.env.DB.prepare('SELECT name FROM counties WHERE code = ?').bind(x.filter.county).first<{ name: string }>();
    const bytes = await auditXlsx(x.entries, { filter: x.filter, countyName: county?.name ?? null, truncated: x.truncated });
    return c.body(bytes, 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': auditDisposition(x.filter.county, 'xlsx'),
    });
  });
