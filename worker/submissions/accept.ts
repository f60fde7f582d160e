// Accepting a submission: scope, idempotency by content hash, the raw bytes to R2 (content-addressed,
// never overwritten), scoring with the county engine, per-row acceptance, then ONE atomic D1 batch taken on
// the township's turn (turn.ts: concurrent submissions of a township are applied one after another).
// If that batch fails the raw object is withdrawn (unless another submission uses the same bytes) and the
// client is told plainly that nothing was saved; the client hears "accepted" only once both the D1 record
// and the raw object exist. Nothing accepted is ever deleted or changed.
import type { Bindings, User } from '../env.ts';
import { ApiError, badRequest, forbidden } from '../errors.ts';
import { sha256Hex } from '../auth/crypto.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import { fromSubmissionCell, scoreSubmission } from '../../shared/submission.ts';
import { sniffFormat } from '../../shared/sheet/read.ts';
import { FORMAT_FILE } from '../../shared/sheet/types.ts';
import type { Period } from '../../shared/types.ts';
import { rulebookInForce, type RulebookInForce } from '../rulebook.ts';
import { planLedger } from '../ledger/plan.ts';
import { filePeriod, readGrids, scoreFileUnits } from './read.ts';
import { submissionStatements } from './store.ts';
import { storedOutcomes, toView, type AcceptResult, type ScoredUnit, type SubmissionInput, type SubmissionRow } from './types.ts';
import { vetRows, type Township } from './vet.ts';
import { codeRefusals } from '../codes/refusals.ts';
import { isTurnTaken, MAX_TURN_ATTEMPTS, readTurn, takeTurn, turnBackoff, turnTime } from './turn.ts';

export const rawKey = (sha256: string): string => `raw/${sha256}`;

/** Content types of stored raw objects, from their bytes (never from a user string). */
export function rawContentType(kind: 'rows' | 'file', bytes: Uint8Array): string {
  if (kind === 'rows') return 'application/json; charset=utf-8';
  try {
    return FORMAT_FILE[sniffFormat(bytes)].mime;
  } catch {
    return 'application/octet-stream';
  }
}

/** Who may submit for which township: a township officer for their own, an admin for any of their county. */
export function assertMaySubmit(user: User, townshipCode: string): void {
  if (user.role === 'township') {
    if (user.townshipCode !== townshipCode) throw forbidden(`乡镇干部只能上报本乡镇（${user.townshipCode ?? '未登记'}）的数据，不能上报乡镇 ${townshipCode}`);
    return;
  }
  if (user.role === 'admin') {
    if (!user.countyCode || townshipCode.slice(0, 6) !== user.countyCode) throw forbidden(`县管理员只能为本县（${user.countyCode ?? '未登记'}）的乡镇上报`);
    return;
  }
  throw forbidden('只有乡镇干部（本乡镇）或县管理员可以上报考评表');
}

async function findDuplicate(env: Bindings, sha256: string, township: string, period: string): Promise<SubmissionRow | null> {
  return env.DB.prepare('SELECT * FROM submissions WHERE sha256 = ? AND township_code = ? AND period = ?').bind(sha256, township, period).first<SubmissionRow>();
}

function duplicateResult(row: SubmissionRow, notes: string[]): AcceptResult {
  return {
    submission: toView(row, true),
    outcomes: storedOutcomes(row.outcome_json),
    notes: [`相同内容已于 ${row.created_at} 上报（编号 ${row.id}），本次未重复保存`, ...notes],
  };
}

export async function acceptSubmission(env: Bindings, user: User, input: SubmissionInput, now: () => Date = () => new Date()): Promise<AcceptResult> {
  // 1. Which township, and may this user submit for it?
  const townshipCode = input.kind === 'rows' ? input.submission.townshipCode : (input.township ?? user.townshipCode ?? undefined);
  if (!townshipCode) throw badRequest('township_required', '请指定上报的乡镇（township，9位乡镇区划代码）');
  if (!/^\d{9}$/.test(townshipCode)) throw badRequest('bad_township', `乡镇代码应为9位数字（区划代码前9位）：“${townshipCode}”`);
  assertMaySubmit(user, townshipCode);
  const t = await env.DB.prepare('SELECT code, name, county_code FROM townships WHERE code = ?').bind(townshipCode).first<Township & { county_code: string }>();
  if (!t) throw badRequest('unknown_township', `乡镇代码 ${townshipCode} 未在县级名录中登记，请联系县委组织部`);
  const countyCode = t.county_code;

  // 2. The content hash, and the period.
  const sha256 = await sha256Hex(input.bytes);
  let period: Period;
  let notes: string[] = [];
  let grids: Awaited<ReturnType<typeof readGrids>> | undefined;
  if (input.kind === 'rows') {
    period = parsePeriodLabel(input.submission.period)!;
  } else {
    if (input.period !== undefined) {
      period = filePeriod([], input.fileName, input.period).period;
    } else {
      grids = await readGrids(input.bytes, input.fileName);
      ({ period, notes } = filePeriod(grids, input.fileName, undefined));
    }
  }

  // 3. The same bytes for the same township and period: the submission already made.
  const dup = await findDuplicate(env, sha256, townshipCode, period.label);
  if (dup) return duplicateResult(dup, []);

  // 4. Score with the county engine and decide each row.
  let units: ScoredUnit[];
  let rulebook: RulebookInForce;
  if (input.kind === 'rows') {
    rulebook = await rulebookInForce(env, countyCode, period);
    const sub = input.submission;
    units = [{ sheet: sub.sheet, rows: sub.rows.map((r) => ({ row: r.row, cells: Object.fromEntries(Object.entries(r.values).map(([k, c]) => [k, fromSubmissionCell(c)])) })), scored: scoreSubmission(rulebook.engine, sub) }];
  } else {
    grids ??= await readGrids(input.bytes, input.fileName);
    const read = await scoreFileUnits(env, countyCode, grids, input.fileName, period, notes);
    ({ units, rulebook, notes } = read);
  }
  const { results: villageRows } = await env.DB.prepare('SELECT code, name FROM villages WHERE township_code = ?').bind(townshipCode).all<{ code: string; name: string }>();
  const directory = new Map(villageRows.map((v) => [v.code, v.name]));
  const codeChanges = await codeRefusals(env, countyCode, period);
  const { outcomes, accepted } = vetRows(units, t, directory, { withSheet: input.kind === 'file', codeRefusals: codeChanges });
  const id = crypto.randomUUID();
  const r2Key = rawKey(sha256);
  const contentType = rawContentType(input.kind, input.bytes);

  // 5. The raw bytes, content-addressed: an object already there (the same bytes) is never overwritten.
  let created = false;
  try {
    if (!(await env.RAW.head(r2Key))) {
      await env.RAW.put(r2Key, input.bytes, { httpMetadata: { contentType }, sha256, customMetadata: { kind: input.kind } });
      created = true;
    }
  } catch (e) {
    console.error('R2 put failed', e);
    // The put may have landed before it failed (a timeout): withdraw it unless a submission uses it.
    await withdrawRaw(env, r2Key, sha256, input.bytes, contentType);
    throw new ApiError(500, 'raw_store_failed', '上报未能保存：原始文件存档失败，本次上报的任何数据都没有保存，请稍后重新上报');
  }

  // 6. One atomic batch, on this township's turn (turn.ts): planned again if another submission of the
  // township was stored meanwhile, so the ledger and the supersession always see every earlier submission.
  let row: SubmissionRow | undefined;
  for (let attempt = 1; !row; attempt++) {
    let failure: unknown;
    try {
      const turn = await readTurn(env, townshipCode);
      if (attempt > 1) {
        // The same bytes may have been stored by a concurrent request meanwhile: that is this submission.
        const dup = await findDuplicate(env, sha256, townshipCode, period.label);
        if (dup) return duplicateResult(dup, notes);
      }
      const plan = await planLedger(env, { period, deadlineDays: rulebook.deadlineDays, villages: accepted });
      const candidate: SubmissionRow = {
        id,
        sha256,
        r2_key: r2Key,
        kind: input.kind,
        county_code: countyCode,
        township_code: townshipCode,
        period: period.label,
        rulebook_version: rulebook.version,
        account_id: user.id,
        file_name: input.kind === 'file' ? input.fileName.slice(0, 255) : (input.submission.fileName ?? null),
        sheet: units.map((u) => u.sheet).join('、').slice(0, 255) || null,
        rows_total: outcomes.length,
        rows_accepted: accepted.length,
        rows_rejected: outcomes.length - accepted.length,
        outcome_json: JSON.stringify(outcomes),
        created_at: turnTime(now(), turn),
      };
      await env.DB.batch([takeTurn(env, townshipCode, turn, candidate.created_at), ...submissionStatements(env, candidate, accepted, plan)]);
      row = candidate;
      break;
    } catch (e) {
      failure = e;
    }
    if (isTurnTaken(failure) && attempt < MAX_TURN_ATTEMPTS) {
      await turnBackoff(attempt);
      continue;
    }
    // A concurrent identical submission may have won the race: that is the submission, not an error.
    // Or the batch committed and only its answer was lost: then it is this very submission, stored.
    const won = await findDuplicate(env, sha256, townshipCode, period.label).catch(() => null);
    if (won && won.id === id) {
      row = won;
      break;
    }
    if (won) return duplicateResult(won, notes);
    console.error('D1 batch failed', failure);
    if (created) await withdrawRaw(env, r2Key, sha256, input.bytes, contentType);
    if (isTurnTaken(failure)) {
      throw new ApiError(503, 'busy', '本乡镇同时上报的请求过多，本次上报没有保存，请稍后重新上报');
    }
    throw new ApiError(500, 'store_failed', '上报未能保存：写入县级数据库时出错，本次上报的任何数据都没有保存，请稍后重新上报');
  }
  // Stored. The raw object must still be there: a concurrent failed write of the same bytes may have
  // withdrawn it between our put (or check) and our commit. Put it back (same bytes, same key) if so.
  // Nothing here may turn the answer into an error: the submission IS stored.
  try {
    if (!(await env.RAW.head(r2Key))) await env.RAW.put(r2Key, input.bytes, { httpMetadata: { contentType }, sha256, customMetadata: { kind: input.kind } });
  } catch (e) {
    console.error('R2 re-check after commit', e);
    notes = [...notes, `上报已保存（编号 ${id}）；原始文件存档的核对暂时未完成，不影响本次上报的数据，如需下载原始文件而取不到，请联系县委组织部`];
  }
  return { submission: toView(row, false), outcomes, notes };
}

/**
 * Withdraw a raw object this request wrote, after its submission failed: only when no submission references
 * the bytes; and if one commits while we delete (the same bytes for another period), put them back. With the
 * committing side's own re-check after its commit, the object exists whenever a submission references it.
 * If the withdrawal itself fails, the object is left: unreferenced raw objects are never served or scored,
 * a later submission of the same bytes reuses it, and reconcileRaw (reconcile.ts) removes it.
 */
export async function withdrawRaw(env: Bindings, key: string, sha256: string, bytes: Uint8Array, contentType: string): Promise<void> {
  const referenced = async () => (await env.DB.prepare('SELECT 1 AS x FROM submissions WHERE sha256 = ? LIMIT 1').bind(sha256).first()) !== null;
  try {
    if (await referenced()) return;
    await env.RAW.delete(key);
    if (await referenced()) await env.RAW.put(key, bytes, { httpMetadata: { contentType }, sha256 });
  } catch (e) {
    console.error('R2 clean-up after failed submission', e);
  }
}

