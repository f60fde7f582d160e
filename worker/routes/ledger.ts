// Routes for /api/ledger (docs/api.md, "Ledger"): the 整改台账 with filters, notes, and manual 销号.
// Items open and close automatically with submissions (worker/ledger/plan.ts); a person may add notes
// (township officers on their own township's items, county staff, admins) and county staff or admins
// may close an item by hand with a reason. Nothing is deleted: a closed item keeps who, when and why.
import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv, User } from '../env.ts';
import { conflict, notFound } from '../errors.ts';
import { authenticate, requireRole } from '../auth/middleware.ts';
import { assertTownship, countyOf } from '../auth/scope.ts';
import { parseJson, parseQuery } from '../http.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import { actorOf } from '../audit/log.ts';
import { ledgerCloseAudit, ledgerNoteAudit } from '../audit/entries.ts';
import { chinaToday, LEDGER_SELECT, toItem, type LedgerNote, type LedgerRowDb } from '../ledger/items.ts';

const ListQuery = v.strictObject(
  {
    county: v.optional(v.pipe(v.string(), v.regex(/^\d{6}$/, '县级代码应为6位数字'))),
    township: v.optional(v.pipe(v.string(), v.regex(/^\d{9}$/, '乡镇代码应为9位数字'))),
    village: v.optional(v.pipe(v.string(), v.regex(/^\d{12}$/, '村级区划代码应为12位数字'))),
    status: v.optional(v.picklist(['open', 'closed'], '状态应为 open（未销号）或 closed（已销号）')),
    overdue: v.optional(v.picklist(['1', '0', 'true', 'false'], 'overdue 应为 1 或 0')),
    period: v.optional(v.pipe(v.string(), v.check((s) => parsePeriodLabel(s) !== undefined, '期次格式应为 2026、2026H1、2026Q3 或 2026-07'))),
    limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,4}$/, '条数应为1–5000的整数'), v.transform(Number), v.minValue(1, '条数至少为1'), v.maxValue(5000, '条数最多为5000'))),
    offset: v.optional(v.pipe(v.string(), v.regex(/^\d{1,7}$/, '偏移量应为非负整数'), v.transform(Number))),
  },
  (i) => (i.expected === 'never' ? `不认识的参数${i.received}` : '参数有误'),
);

const NoteBody = v.strictObject(
  { text: v.pipe(v.string('备注必须是文字'), v.trim(), v.minLength(1, '请填写备注内容'), v.maxLength(1000, '备注最多1000字')) },
  (i) => (i.received === 'undefined' ? '缺少必填字段' : i.expected === 'never' ? `不认识的字段${i.received}` : '必须是一个对象'),
);

const CloseBody = v.strictObject(
  { reason: v.pipe(v.string('销号理由必须是文字'), v.trim(), v.minLength(2, '请填写销号理由（整改情况、核查依据）'), v.maxLength(1000, '销号理由最多1000字')) },
  (i) => (i.received === 'undefined' ? '缺少必填字段' : i.expected === 'never' ? `不认识的字段${i.received}` : '必须是一个对象'),
);

const ITEM_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function loadItem(env: AppEnv['Bindings'], user: User, id: string): Promise<LedgerRowDb> {
  if (!ITEM_ID.test(id)) throw notFound('找不到该整改事项');
  const row = await env.DB.prepare(`${LEDGER_SELECT} WHERE l.id = ?`).bind(id).first<LedgerRowDb>();
  if (!row) throw notFound('找不到该整改事项');
  assertTownship(user, row.township_code);
  return row;
}

export const ledger = new Hono<AppEnv>()
  .use('*', authenticate)
  .get('/', async (c) => {
    const user = c.get('user');
    const q = parseQuery(c, ListQuery);
    const today = chinaToday();
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (user.role === 'township') {
      if (q.township && q.township !== user.townshipCode) assertTownship(user, q.township);
      where.push('l.township_code = ?');
      args.push(user.townshipCode ?? '-');
    } else {
      where.push('l.county_code = ?');
      args.push(countyOf(user, q.county ?? (q.township ? q.township.slice(0, 6) : undefined)));
      if (q.township) {
        assertTownship(user, q.township);
        where.push('l.township_code = ?');
        args.push(q.township);
      }
    }
    if (q.village) {
      where.push('l.village_code = ?');
      args.push(q.village);
    }
    if (q.status) {
      where.push('l.status = ?');
      args.push(q.status);
    }
    if (q.period) {
      where.push('l.found_period = ?');
      args.push(parsePeriodLabel(q.period)!.label);
    }
    if (q.overdue === '1' || q.overdue === 'true') {
      where.push("l.status = 'open' AND l.deadline < ?");
      args.push(today);
    } else if (q.overdue === '0' || q.overdue === 'false') {
      where.push("NOT (l.status = 'open' AND l.deadline < ?)");
      args.push(today);
    }
    const clause = where.join(' AND ');
    const [count, rows] = await c.env.DB.batch([
      c.env.DB.prepare(`SELECT count(*) AS n FROM ledger_items l WHERE ${clause}`).bind(...args),
      c.env.DB.prepare(`${LEDGER_SELECT} WHERE ${clause} ORDER BY l.status DESC, l.deadline, l.township_code, l.village_code, l.requirement_id, l.id LIMIT ? OFFSET ?`).bind(
        ...args,
        q.limit ?? 1000,
        q.offset ?? 0,
      ),
    ]);
    const total = ((count?.results ?? []) as { n: number }[])[0]?.n ?? 0;
    return c.json({ today, total, items: ((rows?.results ?? []) as LedgerRowDb[]).map((r) => toItem(r, today)) });
  })
  .post('/:id/notes', requireRole('township', 'county', 'admin'), async (c) => {
    const user = c.get('user');
    const row = await loadItem(c.env, user, c.req.param('id'));
    const { text } = await parseJson(c, NoteBody);
    const note: LedgerNote = { at: new Date().toISOString(), by: { id: user.id, name: user.name }, text };
    await c.env.DB.batch([
      // Appended in SQL, so two notes written at once both survive.
      c.env.DB.prepare("UPDATE ledger_items SET notes_json = json_insert(notes_json, '$[#]', json(?)) WHERE id = ?").bind(JSON.stringify(note), row.id),
      ledgerNoteAudit(c.env.DB, { at: note.at, actor: actorOf(user), row, text }),
    ]);
    const updated = await loadItem(c.env, user, row.id);
    return c.json({ item: toItem(updated, chinaToday()) });
  })
  .post('/:id/close', requireRole('county', 'admin'), async (c) => {
    const user = c.get('user');
    const row = await loadItem(c.env, user, c.req.param('id'));
    const { reason } = await parseJson(c, CloseBody);
    if (row.status !== 'open') throw conflict('already_closed', `该整改事项已于 ${row.closed_at ?? '此前'} 销号，不能重复销号`);
    const at = new Date().toISOString();
    const [upd] = await c.env.DB.batch([
      c.env.DB.prepare("UPDATE ledger_items SET status = 'closed', closed_at = ?, closed_by = ?, close_reason = ? WHERE id = ? AND status = 'open'").bind(at, user.id, reason, row.id),
      // Right after the guarded UPDATE: written only if that UPDATE closed the item.
      ledgerCloseAudit(c.env.DB, { at, actor: actorOf(user), row, reason }),
    ]);
    if (!upd?.meta.changes) throw conflict('already_closed', '该整改事项刚刚已被销号，不能重复销号');
    const updated = await loadItem(c.env, user, row.id);
    return c.json({ item: toItem(updated, chinaToday()) });
  });
