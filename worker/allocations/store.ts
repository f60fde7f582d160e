// Saved allocations: immutable, versioned per county and period (migration 0003 forbids UPDATE and
// DELETE). Each keeps who and when, the request, the rulebook version and the ranking used, so the result
// can be recomputed and checked.
import type { AllocationInput, AllocationResult, AllocationSuccess } from '../../shared/allocation/types.ts';
import { allocate } from '../../shared/allocation/allocate.ts';
import type { Bindings } from '../env.ts';
import { allocationAudit } from '../audit/entries.ts';
import type { Actor } from '../audit/log.ts';
import type { RankingSnapshot } from './units.ts';

/** The request as saved (everything but the units, which come from the ranking). */
export interface AllocationRequest extends Omit<AllocationInput, 'units'> {
  period: string;
  level: 'village' | 'township';
  township?: string;
  title: string;
}

export interface AllocationRecord {
  id: string;
  countyCode: string;
  period: string;
  level: 'village' | 'township';
  version: number;
  title: string;
  budget: number;
  input: AllocationRequest;
  ranking: RankingSnapshot;
  result: AllocationSuccess;
  rulebookVersion: number | null;
  createdBy: { id: string; name: string | null };
  createdAt: string;
}

interface Row {
  id: string;
  county_code: string;
  period: string;
  version: number;
  title: string;
  budget: number;
  input_json: string;
  ranking_json: string;
  result_json: string;
  rulebook_version: number | null;
  created_by: string;
  created_at: string;
  creator: string | null;
}

function toRecord(r: Row): AllocationRecord {
  const input = JSON.parse(r.input_json) as AllocationRequest;
  return {
    id: r.id,
    countyCode: r.county_code,
    period: r.period,
    level: input.level,
    version: r.version,
    title: r.title,
    budget: r.budget,
    input,
    ranking: JSON.parse(r.ranking_json) as RankingSnapshot,
    result: JSON.parse(r.result_json) as AllocationSuccess,
    rulebookVersion: r.rulebook_version,
    createdBy: { id: r.created_by, name: r.creator },
    createdAt: r.created_at,
  };
}

/** The allocation input a request and a ranking make. */
export function inputOf(req: AllocationRequest, ranking: RankingSnapshot): AllocationInput {
  const { period: _p, level: _l, township: _t, title: _title, ...rest } = req;
  return { ...rest, units: ranking.units };
}

/** Recompute a saved allocation from its stored inputs and ranking; true when it gives the stored result. */
export function reproduces(rec: AllocationRecord): boolean {
  const again: AllocationResult = allocate(inputOf(rec.input, rec.ranking));
  return JSON.stringify(again) === JSON.stringify(rec.result);
}

export async function saveAllocation(
  env: Bindings,
  a: { countyCode: string; request: AllocationRequest; ranking: RankingSnapshot; result: AllocationSuccess; accountId: string; actor?: Actor },
): Promise<AllocationRecord> {
  const id = crypto.randomUUID();
  const now = new Date().toISOString();
  // The version is taken in the INSERT itself, so two saves at once cannot take the same number (the
  // UNIQUE constraint would refuse the second anyway).
  const [ins] = await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO allocations (id, county_code, period, version, title, budget, input_json, ranking_json, result_json, rulebook_version, created_by, created_at)
       SELECT ?1, ?2, ?3, COALESCE(MAX(version), 0) + 1, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 FROM allocations WHERE county_code = ?2 AND period = ?3
       RETURNING version`,
    ).bind(
      id,
      a.countyCode,
      a.request.period,
      a.request.title,
      a.request.budget,
      JSON.stringify(a.request),
      JSON.stringify(a.ranking),
      JSON.stringify(a.result),
      a.ranking.rulebookVersion,
      a.accountId,
      now,
    ),
    allocationAudit(env.DB, {
      at: now,
      actor: a.actor ?? { id: a.accountId },
      county: a.countyCode,
      id,
      title: a.request.title,
      period: a.request.period,
      level: a.request.level,
      ...(a.request.township ? { township: a.request.township } : {}),
      budget: a.request.budget,
      allocated: a.result.allocated,
      balance: a.result.balance,
      method: a.result.method,
      units: a.result.rows.length,
    }),
  ]);
  void ins;
  const rec = await getAllocation(env, id);
  if (!rec) throw new Error('saved allocation vanished');
  return rec;
}

const SELECT = 'SELECT a.*, acc.name AS creator FROM allocations a LEFT JOIN accounts acc ON acc.id = a.created_by';

export async function getAllocation(env: Bindings, id: string): Promise<AllocationRecord | null> {
  const r = await env.DB.prepare(`${SELECT} WHERE a.id = ?`).bind(id).first<Row>();
  return r ? toRecord(r) : null;
}

export async function listAllocations(env: Bindings, countyCode: string, period?: string): Promise<AllocationRecord[]> {
  const res = await env.DB.prepare(`${SELECT} WHERE a.county_code = ? ${period ? 'AND a.period = ?' : ''} ORDER BY a.created_at DESC, a.version DESC`)
    .bind(...(period ? [countyCode, period] : [countyCode]))
    .all<Row>();
  return res.results.map(toRecord);
}
