// allocate(): the 以奖代补 allocation as a pure, exact, explained function.
//
// validate → ranks (given, or competition ranks from scores) → eligibility → the method → rows and notes.
// All money is BigInt inside; Σ amounts + balance = budget exactly and balance ≥ 0.
import type { MethodContext, MethodOutcome, PreparedUnit } from './context.ts';
import { judgeEligibility, resolveEligibility } from './eligibility.ts';
import { METHOD_LABELS, ineligibleSentence, rankPrefix, yuan } from './explain.ts';
import { allocateBasePlusTopUp } from './methods/basePlusTopUp.ts';
import { allocateProportional } from './methods/proportional.ts';
import { allocateRankPoints } from './methods/rankPoints.ts';
import { allocateTiers } from './methods/tiers.ts';
import { competitionRanks } from './ranks.ts';
import { toHundredths, unitName } from './rounding.ts';
import { validateAllocationInput } from './schema.ts';
import type { AllocationInput, AllocationMethod, AllocationResult, AllocationRow } from './types.ts';

function runMethod(ctx: MethodContext, method: AllocationMethod): MethodOutcome {
  switch (method.kind) {
    case 'tiers':
      return allocateTiers(ctx, method);
    case 'proportional':
      return allocateProportional(ctx);
    case 'rankPoints':
      return allocateRankPoints(ctx, method);
    case 'basePlusTopUp':
      return allocateBasePlusTopUp(ctx, method);
  }
}

function prepare(input: AllocationInput): PreparedUnit[] {
  const rules = resolveEligibility(input.eligibility);
  const hundredths = input.units.map((u) => toHundredths(u.score));
  const computed = input.units.every((u) => u.rank === undefined)
    ? competitionRanks(input.units.map((u, i) => ({ id: u.id, name: u.name, hundredths: hundredths[i]! })))
    : null;
  const rankOf = (i: number) => computed?.get(input.units[i]!.id) ?? input.units[i]!.rank!;
  const rankCount = new Map<number, number>();
  input.units.forEach((_, i) => rankCount.set(rankOf(i), (rankCount.get(rankOf(i)) ?? 0) + 1));
  return input.units.map((unit, index) => {
    const rank = rankOf(index);
    const tied = (rankCount.get(rank) ?? 0) > 1;
    const verdict = judgeEligibility(unit, rules);
    const h = hundredths[index]!;
    return { unit, index, hundredths: h, rank, tied, eligible: verdict.eligible, reasons: verdict.reasons, prefix: rankPrefix(rank, tied, h) };
  });
}

/** Allocate a budget among ranked units. Never throws on bad input: problems come back as `ok: false` with
 * Chinese messages naming the field. */
export function allocate(input: AllocationInput): AllocationResult {
  const validated = validateAllocationInput(input);
  if (!validated.ok) {
    return {
      ok: false,
      error: { code: 'invalid_input', message: validated.issues.join('\n'), issues: validated.issues },
    };
  }
  const value = validated.value;
  const roundingUnit = value.roundingUnit ?? 1;
  const units = prepare(value);
  const eligible = units.filter((u) => u.eligible);
  const ctx: MethodContext = {
    budget: BigInt(value.budget),
    roundingUnit,
    unit: BigInt(roundingUnit),
    floor: BigInt(value.floor ?? 0),
    cap: value.cap === undefined ? null : BigInt(value.cap),
    redistributeCapped: value.redistributeCapped ?? false,
    units,
    eligible,
  };

  const notes: string[] = [
    `分配方法：${METHOD_LABELS[value.method.kind]}；预算${yuan(ctx.budget)}，金额按${unitName(roundingUnit)}向下取整` +
      (value.floor !== undefined ? `，保底${yuan(value.floor)}` : '') +
      (value.cap !== undefined ? `，封顶${yuan(value.cap)}` : ''),
    `参与排名${units.length}个单位，符合分配条件${eligible.length}个，不符合${units.length - eligible.length}个` +
      (units.every((u) => u.unit.rank === undefined) ? '；名次按得分计算，同分并列（如1、2、2、4）' : '；名次按所填排名'),
  ];

  let outcome: MethodOutcome;
  if (eligible.length === 0) {
    outcome = { ok: true, rows: new Map(), notes: [`没有符合分配条件的单位，预算${yuan(ctx.budget)}全部留作结余`] };
  } else {
    outcome = runMethod(ctx, value.method);
  }
  if (!outcome.ok) return outcome;

  const rows: AllocationRow[] = units.map((u) => {
    const base = { id: u.unit.id, name: u.unit.name, score: u.unit.score, rank: u.rank };
    if (!u.eligible) {
      return { ...base, eligible: false, reason: u.reasons.join('；'), amount: 0, explanation: ineligibleSentence(u.prefix, u.reasons) };
    }
    const r = outcome.rows.get(u.unit.id);
    if (!r) throw new Error(`allocate: no amount for eligible unit ${u.unit.id}`);
    if (r.amount < 0n || r.amount % ctx.unit !== 0n) throw new Error(`allocate: bad amount for ${u.unit.id}`);
    return { ...base, eligible: true, amount: Number(r.amount), explanation: r.explanation };
  });
  rows.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const allocated = rows.reduce((s, r) => s + BigInt(r.amount), 0n);
  const balance = ctx.budget - allocated;
  if (balance < 0n) throw new Error('allocate: allocated more than the budget');
  return {
    ok: true,
    method: value.method.kind,
    budget: value.budget,
    allocated: Number(allocated),
    balance: Number(balance),
    roundingUnit,
    ...(outcome.unitValue !== undefined ? { unitValue: outcome.unitValue } : {}),
    rows,
    notes: [...notes, ...outcome.notes],
  };
}
