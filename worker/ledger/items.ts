// 整改台账 items as the API shows them, and the day "today" is for deadlines (China Standard Time, UTC+8:
// a deadline of 2026-10-30 is overdue from 2026-10-31 00:00 in the county, whatever the server's zone).
import { citation } from '../../shared/output/format.ts';
import type { Standard } from '../../shared/types.ts';

export interface LedgerRowDb {
  id: string;
  county_code: string;
  township_code: string;
  township_name: string | null;
  village_code: string;
  village_name: string;
  requirement_id: string;
  standard: string;
  article: number;
  message: string;
  found_period: string;
  found_submission: string;
  deadline: string;
  status: 'open' | 'closed';
  closed_at: string | null;
  closed_by: string | null;
  closed_by_name: string | null;
  close_reason: string | null;
  close_submission: string | null;
  close_evidence: string | null;
  notes_json: string;
}

export interface LedgerNote {
  at: string;
  by: { id: string; name: string };
  text: string;
}

export type ClosedBy = { kind: 'submission'; submissionId: string } | { kind: 'person'; accountId: string; name: string };

export interface LedgerItem {
  id: string;
  countyCode: string;
  township: { code: string; name: string | null };
  village: { code: string; name: string };
  requirementId: string;
  standard: string;
  article: number;
  /** e.g. 基本标准第18条 */
  articleRef: string;
  message: string;
  foundPeriod: string;
  foundSubmission: string;
  deadline: string;
  status: 'open' | 'closed';
  overdue: boolean;
  closedAt: string | null;
  closedBy: ClosedBy | null;
  closeReason: string | null;
  evidence: string | null;
  notes: LedgerNote[];
}

/** yyyy-mm-dd in China Standard Time. */
export function chinaToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export const LEDGER_SELECT = `SELECT l.*, t.name AS township_name, a.name AS closed_by_name FROM ledger_items l
  LEFT JOIN townships t ON t.code = l.township_code LEFT JOIN accounts a ON a.id = l.closed_by`;

export function toItem(r: LedgerRowDb, today: string): LedgerItem {
  const closedBy: ClosedBy | null = r.close_submission
    ? { kind: 'submission', submissionId: r.close_submission }
    : r.closed_by
      ? { kind: 'person', accountId: r.closed_by, name: r.closed_by_name ?? r.closed_by }
      : null;
  return {
    id: r.id,
    countyCode: r.county_code,
    township: { code: r.township_code, name: r.township_name },
    village: { code: r.village_code, name: r.village_name },
    requirementId: r.requirement_id,
    standard: r.standard,
    article: r.article,
    articleRef: r.standard === 'basic' || r.standard === 'demo' ? citation(r.standard as Standard, r.article) : `${r.standard}-${r.article}`,
    message: r.message,
    foundPeriod: r.found_period,
    foundSubmission: r.found_submission,
    deadline: r.deadline,
    status: r.status,
    overdue: r.status === 'open' && r.deadline < today,
    closedAt: r.closed_at,
    closedBy,
    closeReason: r.close_reason,
    evidence: r.close_evidence,
    notes: JSON.parse(r.notes_json) as LedgerNote[],
  };
}
