// 操作日志 (the audit log): one append-only row per change that matters — who (account id, name and role as
// they were), when (ISO time), what (action code, the object's id, a short Chinese summary, a JSON detail)
// and the county it belongs to. Each entry is a statement returned to the caller, who puts it in the SAME
// D1 batch as the change: a batch is one transaction, so an entry exists if and only if the change happened.
// The table refuses UPDATE and DELETE (triggers in migration 0001).
import type { Role, User } from '../env.ts';

/** Every audited action, with its Chinese label (the page's filter and the exports use these). */
export const AUDIT_ACTIONS = {
  'submission.accept': '接收上报',
  'rulebook.publish': '发布县级规则',
  'observation.round': '新建观摩评议',
  'observation.scores': '录入观摩评分',
  'ledger.note': '整改台账备注',
  'ledger.close': '整改台账人工销号',
  'allocation.save': '保存以奖代补分配',
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.login_refused': '登录被拒（等待中或已锁定）',
  'auth.password_change': '修改密码',
  'account.create': '新建账号',
  'account.update': '修改账号',
  'account.reset_password': '重置密码',
  'village.code_change': '区划代码调整',
  'village.code_change_undo': '撤销区划代码调整',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** Groups of actions (the part before the dot), for filtering by area. */
export const AUDIT_GROUPS = {
  submission: '上报',
  rulebook: '县级规则',
  observation: '观摩评议',
  ledger: '整改台账',
  allocation: '以奖代补',
  auth: '登录',
  account: '账号管理',
  village: '村名录',
} as const satisfies Record<string, string>;

export type AuditGroup = keyof typeof AUDIT_GROUPS;

export function isAuditAction(s: string): s is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, s);
}

export function isAuditGroup(s: string): s is AuditGroup {
  return Object.hasOwn(AUDIT_GROUPS, s);
}

/** The Chinese label of an action code (the code itself for one no longer in the catalogue). */
export function actionLabel(code: string): string {
  return isAuditAction(code) ? AUDIT_ACTIONS[code] : code;
}

/** Who acted. Name and role may be left out when only the account id is at hand (a store called with an
 * id): they are then read from the account in the same statement. */
export interface Actor {
  id: string;
  name?: string | null;
  role?: Role | null;
}

export function actorOf(u: User): Actor {
  return { id: u.id, name: u.name, role: u.role };
}

export interface AuditEntry {
  at: string;
  actor: Actor;
  /** The county the object belongs to (who may see the entry); null for none. */
  county: string | null;
  action: AuditAction;
  /** The object's id (submission, rulebook, round, ledger item, allocation). */
  target: string | null;
  /** A short Chinese sentence (capped at SUMMARY_MAX characters). */
  summary: string;
  detail?: Record<string, unknown>;
}

/** Values only known when the batch runs (a version number taken in the INSERT before, a count of rows
 * changed): SQL expressions evaluated inside the audit statement. Parameters ?1–?9 are the entry's own
 * (?1 at, ?2 account id, ?3 name, ?4 role, ?5 county, ?6 action, ?7 target, ?8 summary, ?9 detail JSON);
 * `args` are bound from ?10 on. Expressions are code written here, never user text. */
export interface AuditSql {
  /** Write the entry only when the statement just before it in the batch changed a row (a guarded UPDATE). */
  onlyIfChanged?: boolean;
  target?: string;
  summary?: string;
  /** Keys set in the detail object (json_set); wrap a JSON text value in json(…). */
  detail?: Record<string, string>;
  args?: readonly (string | number | null)[];
}

export const SUMMARY_MAX = 300;

export function clip(s: string, max = SUMMARY_MAX): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

/** The INSERT for one audit entry, to be added to the batch that makes the change. */
export function auditStatement(db: D1Database, e: AuditEntry, sql: AuditSql = {}): D1PreparedStatement {
  const detailKeys = Object.entries(sql.detail ?? {});
  for (const [k] of detailKeys) if (!/^[A-Za-z][A-Za-z0-9]*$/.test(k)) throw new Error(`audit detail key ${k}`);
  const detail = detailKeys.length ? `json_set(?9, ${detailKeys.map(([k, x]) => `'$.${k}', ${x}`).join(', ')})` : '?9';
  const summary = sql.summary ? `substr(${sql.summary}, 1, ${SUMMARY_MAX})` : '?8';
  return db
    .prepare(
      `INSERT INTO audit_log (at, account_id, actor_name, actor_role, county_code, action, target, summary, detail_json)
       SELECT ?1, ?2, COALESCE(?3, (SELECT name FROM accounts WHERE id = ?2)), COALESCE(?4, (SELECT role FROM accounts WHERE id = ?2)), ?5, ?6,
         ${sql.target ?? '?7'}, ${summary}, ${detail}${sql.onlyIfChanged ? ' WHERE changes() > 0' : ''}`,
    )
    .bind(
      e.at,
      e.actor.id,
      e.actor.name ?? null,
      e.actor.role ?? null,
      e.county,
      e.action,
      e.target,
      clip(e.summary),
      JSON.stringify(e.detail ?? {}),
      ...(sql.args ?? []),
    );
}
