// The audit entry of each audited change, built beside the change's own statements and added to the same
// D1 batch (worker/audit/log.ts). One function per action keeps the summaries and details in one place.
import { citation } from '../../shared/output/format.ts';
import type { Standard } from '../../shared/types.ts';
import type { LedgerPlan } from '../ledger/plan.ts';
import type { LedgerRowDb } from '../ledger/items.ts';
import type { RoundRow } from '../observations/store.ts';
import type { AcceptedVillage, SubmissionRow } from '../submissions/types.ts';
import { auditStatement, clip, type Actor } from './log.ts';

const LEVEL_ZH = { village: '村级', township: '乡镇' } as const;

/** An accepted submission, with what it superseded (earlier active results of the same villages and period,
 * counted inside the batch after the superseding UPDATE) and what it did to the ledger. */
export function submissionAudit(db: D1Database, s: SubmissionRow, accepted: readonly AcceptedVillage[], plan: LedgerPlan): D1PreparedStatement {
  const opened = plan.open.filter((o) => o.status === 'open').length;
  const ledger = opened || plan.close.length ? `；整改台账新增 ${opened} 项、销号 ${plan.close.length} 项` : '';
  const file = s.file_name ? `（文件“${clip(s.file_name, 60)}”）` : '';
  const base = ` ${s.period} 上报${file}：接收 ${s.rows_accepted} 行，退回 ${s.rows_rejected} 行${ledger}`;
  // ?10 township, ?11 this submission, ?12 accepted village codes (JSON), ?13 period.
  const superseded = 'FROM village_results WHERE village_code IN (SELECT value FROM json_each(?12)) AND period = ?13 AND superseded_by = ?11';
  const n = `(SELECT count(*) ${superseded})`;
  return auditStatement(
    db,
    {
      at: s.created_at,
      actor: { id: s.account_id },
      county: s.county_code,
      action: 'submission.accept',
      target: s.id,
      summary: base,
      detail: {
        township: s.township_code,
        period: s.period,
        kind: s.kind,
        fileName: s.file_name,
        sha256: s.sha256,
        rulebookVersion: s.rulebook_version,
        accepted: s.rows_accepted,
        rejected: s.rows_rejected,
        ledgerOpened: plan.open.length,
        ledgerClosed: plan.close.length,
      },
    },
    {
      summary: `COALESCE((SELECT name FROM townships WHERE code = ?10), '乡镇' || ?10) || ?8 || CASE WHEN ${n} > 0 THEN '；替换此前上报的 ' || ${n} || ' 个村的结果' ELSE '' END`,
      detail: {
        superseded: `json((SELECT json_group_array(json_object('submission', submission_id, 'villages', n)) FROM (SELECT submission_id, count(*) AS n ${superseded} GROUP BY submission_id ORDER BY submission_id)))`,
      },
      args: [s.township_code, s.id, JSON.stringify(accepted.map((a) => a.code)), s.period],
    },
  );
}

/** A county rulebook published: the version is the one the INSERT before took (the county's highest). */
export function rulebookAudit(
  db: D1Database,
  a: { at: string; actor: Actor; county: string; rulebook: { id: string; name: string; effectiveFrom: string } },
): D1PreparedStatement {
  const version = '(SELECT MAX(version) FROM rulebooks WHERE county_code = ?5)';
  return auditStatement(
    db,
    {
      at: a.at,
      actor: a.actor,
      county: a.county,
      action: 'rulebook.publish',
      target: null,
      summary: `《${clip(a.rulebook.name, 80)}》，自 ${a.rulebook.effectiveFrom} 起施行`,
      detail: { rulebookId: a.rulebook.id, name: a.rulebook.name, effectiveFrom: a.rulebook.effectiveFrom },
    },
    {
      target: `?5 || '/v' || ${version}`,
      summary: `'发布县级考评细则第 ' || ${version} || ' 版' || ?8`,
      detail: { version },
    },
  );
}

export function observationRoundAudit(db: D1Database, r: RoundRow, actor: Actor): D1PreparedStatement {
  return auditStatement(db, {
    at: r.created_at,
    actor,
    county: r.county_code,
    action: 'observation.round',
    target: r.id,
    summary: `新建${LEVEL_ZH[r.level]}观摩评议“${clip(r.title, 100)}”（${r.period}）`,
    detail: { period: r.period, level: r.level, title: r.title },
  });
}

export function observationScoresAudit(
  db: D1Database,
  a: { at: string; actor: Actor; round: RoundRow; added: number; replaced: { unit: string; observer: string; old: number; new: number }[] },
): D1PreparedStatement {
  const fix = a.replaced.length ? `，更正 ${a.replaced.length} 条（原分数见详情）` : '';
  return auditStatement(db, {
    at: a.at,
    actor: a.actor,
    county: a.round.county_code,
    action: 'observation.scores',
    target: a.round.id,
    summary: `“${clip(a.round.title, 100)}”（${a.round.period}）录入评分 ${a.added} 条${fix}`,
    detail: { period: a.round.period, level: a.round.level, title: a.round.title, added: a.added, replaced: a.replaced },
  });
}

function itemName(row: LedgerRowDb): string {
  return `${row.village_name}（${row.village_code}）${citation(row.standard as Standard, row.article)}`;
}

export function ledgerNoteAudit(db: D1Database, a: { at: string; actor: Actor; row: LedgerRowDb; text: string }): D1PreparedStatement {
  return auditStatement(db, {
    at: a.at,
    actor: a.actor,
    county: a.row.county_code,
    action: 'ledger.note',
    target: a.row.id,
    summary: `${itemName(a.row)}整改事项添加备注：${clip(a.text, 120)}`,
    detail: { village: a.row.village_code, requirement: a.row.requirement_id, text: a.text },
  });
}

/** Written only when the guarded UPDATE just before it closed the item (not when someone else had). */
export function ledgerCloseAudit(db: D1Database, a: { at: string; actor: Actor; row: LedgerRowDb; reason: string }): D1PreparedStatement {
  return auditStatement(
    db,
    {
      at: a.at,
      actor: a.actor,
      county: a.row.county_code,
      action: 'ledger.close',
      target: a.row.id,
      summary: `${itemName(a.row)}整改事项人工销号，理由：${clip(a.reason, 120)}`,
      detail: { village: a.row.village_code, requirement: a.row.requirement_id, foundPeriod: a.row.found_period, deadline: a.row.deadline, reason: a.reason },
    },
    { onlyIfChanged: true },
  );
}

/** A saved allocation: its version is the one its INSERT took, read back by id inside the batch. */
export function allocationAudit(
  db: D1Database,
  a: {
    at: string;
    actor: Actor;
    county: string;
    id: string;
    title: string;
    period: string;
    level: 'village' | 'township';
    township?: string;
    budget: number;
    allocated: number;
    balance: number;
    method: string;
    units: number;
  },
): D1PreparedStatement {
  const version = '(SELECT version FROM allocations WHERE id = ?7)';
  return auditStatement(
    db,
    {
      at: a.at,
      actor: a.actor,
      county: a.county,
      action: 'allocation.save',
      target: a.id,
      summary: ` 版（${a.period}，${LEVEL_ZH[a.level]}，${a.units} 个单位）：预算 ${a.budget} 元，分配 ${a.allocated} 元，结余 ${a.balance} 元`,
      detail: {
        title: a.title,
        period: a.period,
        level: a.level,
        ...(a.township ? { township: a.township } : {}),
        budget: a.budget,
        allocated: a.allocated,
        balance: a.balance,
        method: a.method,
      },
    },
    {
      summary: `'保存以奖代补分配“' || ?10 || '”第 ' || ${version} || ?8`,
      detail: { version },
      args: [clip(a.title, 100)],
    },
  );
}
