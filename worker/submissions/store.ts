// The one D1 batch (a single transaction) that records a submission: the submission, its village results,
// superseding earlier results, the ledger, and the audit line. Row sets travel as JSON arrays read with
// json_each, so the batch stays a handful of statements whatever the number of villages; every value is a
// bound parameter.
import type { Bindings } from '../env.ts';
import type { LedgerPlan } from '../ledger/plan.ts';
import type { AcceptedVillage, SubmissionRow } from './types.ts';
import { countStatuses } from './vet.ts';
import { submissionAudit } from '../audit/entries.ts';

/** Keep each JSON parameter well under D1's 2 MB value limit. */
const CHUNK_BYTES = 800_000;

export function chunkJson<T>(items: readonly T[], maxBytes = CHUNK_BYTES): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  let size = 2;
  for (const it of items) {
    const s = JSON.stringify(it);
    if (cur.length && size + s.length + 1 > maxBytes) {
      out.push(`[${cur.join(',')}]`);
      cur = [];
      size = 2;
    }
    cur.push(s);
    size += s.length + 1;
  }
  if (cur.length) out.push(`[${cur.join(',')}]`);
  return out;
}

const J = (field: string) => `json_extract(e.value, '$.${field}')`;

export function submissionStatements(env: Bindings, s: SubmissionRow, accepted: readonly AcceptedVillage[], plan: LedgerPlan): D1PreparedStatement[] {
  const db = env.DB;
  const stmts: D1PreparedStatement[] = [
    db
      .prepare(
        `INSERT INTO submissions (id, sha256, r2_key, kind, county_code, township_code, period, rulebook_version, account_id, file_name, sheet,
          rows_total, rows_accepted, rows_rejected, outcome_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        s.id,
        s.sha256,
        s.r2_key,
        s.kind,
        s.county_code,
        s.township_code,
        s.period,
        s.rulebook_version,
        s.account_id,
        s.file_name,
        s.sheet,
        s.rows_total,
        s.rows_accepted,
        s.rows_rejected,
        s.outcome_json,
        s.created_at,
      ),
  ];
  if (accepted.length) {
    // Earlier active results of these villages for this period give way to this submission. "Earlier" is the
    // server's order: created_at, then id. A result that is later still (a concurrent submission) stays
    // active, and this one is stored already superseded by it.
    stmts.push(
      db
        .prepare(
          `UPDATE village_results SET superseded_by = ?1 WHERE superseded_by IS NULL AND period = ?2
             AND village_code IN (SELECT value FROM json_each(?3)) AND (created_at < ?4 OR (created_at = ?4 AND submission_id < ?1))`,
        )
        .bind(s.id, s.period, JSON.stringify(accepted.map((a) => a.code)), s.created_at),
    );
    const rows = accepted.map((a) => {
      const c = countStatuses(a.results);
      return {
        code: a.code,
        row: a.row,
        name: a.name,
        orgType: a.orgType,
        totalCents: a.totalCents,
        maxCents: a.maxCents,
        level: a.level,
        veto: a.veto ? 1 : 0,
        weak: a.weak ? 1 : 0,
        pass: c.pass,
        fail: c.fail,
        open: c.open,
        results: JSON.stringify(a.results),
      };
    });
    for (const chunk of chunkJson(rows)) {
      stmts.push(
        db
          .prepare(
            `INSERT INTO village_results (submission_id, village_code, period, county_code, township_code, sheet_row, name, org_type, total_cents,
               max_cents, level, veto, weak_flag, pass_count, fail_count, open_count, results_json, superseded_by, created_at)
             SELECT ?1, ${J('code')}, ?2, ?3, ?4, ${J('row')}, ${J('name')}, ${J('orgType')}, ${J('totalCents')}, ${J('maxCents')}, ${J('level')},
               ${J('veto')}, ${J('weak')}, ${J('pass')}, ${J('fail')}, ${J('open')}, ${J('results')},
               (SELECT r.submission_id FROM village_results r WHERE r.village_code = ${J('code')} AND r.period = ?2 AND r.superseded_by IS NULL
                  AND (r.created_at > ?5 OR (r.created_at = ?5 AND r.submission_id > ?1)) ORDER BY r.created_at DESC, r.submission_id DESC LIMIT 1),
               ?5
             FROM json_each(?6) AS e`,
          )
          .bind(s.id, s.period, s.county_code, s.township_code, s.created_at, chunk),
      );
    }
  }
  for (const chunk of chunkJson(plan.close)) {
    stmts.push(
      db
        .prepare(
          `UPDATE ledger_items SET status = 'closed', closed_at = ?1, close_submission = ?2,
             close_evidence = (SELECT ${J('evidence')} FROM json_each(?3) AS e WHERE ${J('id')} = ledger_items.id)
           WHERE status = 'open' AND id IN (SELECT ${J('id')} FROM json_each(?3) AS e)`,
        )
        .bind(s.created_at, s.id, chunk),
    );
  }
  for (const chunk of chunkJson(plan.open)) {
    stmts.push(
      db
        .prepare(
          `INSERT INTO ledger_items (id, county_code, township_code, village_code, village_name, requirement_id, standard, article, message,
             found_period, found_submission, deadline, status, closed_at, close_submission, close_evidence, notes_json)
           SELECT ${J('id')}, ?1, ?2, ${J('village')}, ${J('name')}, ${J('req')}, ${J('standard')}, ${J('article')}, ${J('message')},
             ?3, ?4, ?5, ${J('status')}, CASE ${J('status')} WHEN 'closed' THEN ?6 END, ${J('closeSubmission')}, ${J('evidence')}, '[]'
           FROM json_each(?7) AS e
           WHERE NOT EXISTS (SELECT 1 FROM ledger_items l WHERE l.village_code = ${J('village')} AND l.requirement_id = ${J('req')} AND l.status = 'open')`,
        )
        .bind(s.county_code, s.township_code, s.period, s.id, plan.deadline, s.created_at, chunk),
    );
  }
  stmts.push(submissionAudit(db, s, accepted, plan));
  return stmts;
}
