// The exact engine behind every weight-based allocation (score, rank points, scaled tiers).
//
// Each unit i with weight wᵢ ≥ 0 gets the continuous share clamp(λ·wᵢ, floor, cap), then floored to the
// rounding unit. λ (元 per weight unit) is the rational number that makes the continuous shares add up to the
// pool:  Σ clamp(λ·wᵢ, floor, cap) = pool.  Without floors or caps that is λ = pool ÷ Σw.
// - Floors are funded by the other units (λ falls until the floored units and the rest fit the pool).
// - Caps: with `redistributeCapped` λ rises until the capped units and the rest fit the pool (what a cap frees
//   goes to the uncapped units, in proportion); without it λ ignores the cap and what the cap cuts off stays in
//   the balance.
// The left side is continuous, piecewise linear and non-decreasing in λ with breakpoints floor/wᵢ and cap/wᵢ,
// so λ is found exactly: binary search over the breakpoints, then solve the linear piece. All BigInt.
//
// Because floor and cap are multiples of the rounding unit, clamp-then-floor equals floor-then-clamp, every
// amount lies in [floor, cap], equal weights get equal amounts, a larger weight never gets less, and
// Σ amounts ≤ pool with a shortfall (the rounding remainder) below (number of unclamped units) × unit.
import { type Ratio, compareRatio, floorRatioToUnit, floorToUnit, ratio, sumBig } from './rounding.ts';

export interface WeightedItem {
  id: string;
  /** ≥ 0, in whatever unit the caller uses (hundredths of a point, or 元 for scaled tiers). */
  weight: bigint;
}

export interface WeightedParams {
  pool: bigint;
  items: readonly WeightedItem[];
  /** A multiple of `unit`; floor × items ≤ pool is the caller's precondition. */
  floor: bigint;
  /** A multiple of `unit`, ≥ floor; null for no cap. */
  cap: bigint | null;
  redistributeCapped: boolean;
  unit: bigint;
}

export type Bound = 'floor' | 'cap' | null;

export interface WeightedShare {
  id: string;
  weight: bigint;
  /** λ·w before floors, caps and rounding (null when there is no λ: no weight, or everybody capped). */
  share: Ratio | null;
  /** The amount the share alone gives after flooring to the unit (before floor and cap). */
  rounded: bigint;
  amount: bigint;
  /** Which limit set the amount. */
  bound: Bound;
}

export type WeightedMode =
  /** λ found; shares follow it. */
  | 'solved'
  /** Every unit with weight is at its cap, with money left over (cap × units < pool, redistributing). */
  | 'allCapped'
  /** Σ weights = 0: nothing to divide in proportion; each unit gets the floor. */
  | 'noWeight'
  /** No units. */
  | 'empty';

export interface WeightedOutcome {
  mode: WeightedMode;
  /** 元 per weight unit. */
  lambda: Ratio | null;
  /** λ = pool ÷ Σw exactly (no floor or cap changed it). */
  plain: boolean;
  totalWeight: bigint;
  shares: Map<string, WeightedShare>;
  allocated: bigint;
  /** What caps kept back (no redistribution): Σ over capped units of (uncapped amount − cap). */
  capFreed: bigint;
  floorCount: number;
  capCount: number;
}

function clamp(x: bigint, lo: bigint, hi: bigint | null): bigint {
  if (x < lo) return lo;
  if (hi !== null && x > hi) return hi;
  return x;
}

/** q · Σ clamp(λ·wᵢ, floor, cap) for λ = p/q, as an exact integer. */
function scaledTotal(l: Ratio, items: readonly WeightedItem[], floor: bigint, cap: bigint | null): bigint {
  const lo = floor * l.den;
  const hi = cap === null ? null : cap * l.den;
  let s = 0n;
  for (const it of items) s += clamp(l.num * it.weight, lo, hi);
  return s;
}

/** The λ with Σ clamp(λ·wᵢ, floor, cap) = pool. Preconditions: Σw > 0, floor × n ≤ pool, and (with a cap)
 * pool < Σ(w > 0 ? cap : floor). */
export function solveLambda(pool: bigint, items: readonly WeightedItem[], floor: bigint, cap: bigint | null): Ratio {
  const points: Ratio[] = [{ num: 0n, den: 1n }];
  for (const it of items) {
    if (it.weight === 0n) continue;
    if (floor > 0n) points.push(ratio(floor, it.weight));
    if (cap !== null) points.push(ratio(cap, it.weight));
  }
  points.sort(compareRatio);
  const bps: Ratio[] = [];
  for (const p of points) {
    const last = bps[bps.length - 1];
    if (last === undefined || compareRatio(last, p) !== 0) bps.push(p);
  }
  // Largest breakpoint b with total(b) ≤ pool (total is non-decreasing; total(0) = floor × n ≤ pool).
  let lo = 0;
  let hi = bps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const b = bps[mid]!;
    if (scaledTotal(b, items, floor, cap) <= pool * b.den) lo = mid;
    else hi = mid - 1;
  }
  const b = bps[lo]!;
  if (scaledTotal(b, items, floor, cap) === pool * b.den) return b;
  // λ lies strictly right of b, before the next breakpoint: there each unit is floored, capped or free.
  let fixed = 0n;
  let freeWeight = 0n;
  for (const it of items) {
    if (b.num * it.weight < floor * b.den) fixed += floor;
    else if (cap !== null && it.weight > 0n && b.num * it.weight >= cap * b.den) fixed += cap;
    else freeWeight += it.weight;
  }
  if (freeWeight === 0n) throw new Error('solveLambda: no free weight (precondition violated)');
  return ratio(pool - fixed, freeWeight);
}

export function allocateWeighted(p: WeightedParams): WeightedOutcome {
  const { pool, items, floor, cap, unit } = p;
  const totalWeight = sumBig(items.map((i) => i.weight));
  const shares = new Map<string, WeightedShare>();
  const done = (mode: WeightedMode, lambda: Ratio | null, capFreed = 0n): WeightedOutcome => {
    let floorCount = 0;
    let capCount = 0;
    for (const s of shares.values()) {
      if (s.bound === 'floor') floorCount++;
      if (s.bound === 'cap') capCount++;
    }
    const plain = lambda !== null && lambda.num * totalWeight === pool * lambda.den;
    const allocated = sumBig([...shares.values()].map((s) => s.amount));
    if (allocated > pool) throw new Error('allocateWeighted: allocated more than the pool');
    return { mode, lambda, plain, totalWeight, shares, allocated, capFreed, floorCount, capCount };
  };

  if (items.length === 0) return done('empty', null);
  if (floor * BigInt(items.length) > pool) throw new Error('allocateWeighted: floors exceed the pool');

  if (totalWeight === 0n) {
    for (const it of items) {
      shares.set(it.id, { id: it.id, weight: 0n, share: null, rounded: 0n, amount: floor, bound: floor > 0n ? 'floor' : null });
    }
    return done('noWeight', null);
  }

  const lambdaCap = p.redistributeCapped ? cap : null;
  if (lambdaCap !== null) {
    const ceiling = sumBig(items.map((i) => (i.weight > 0n ? lambdaCap : floor)));
    if (pool >= ceiling) {
      for (const it of items) {
        const amount = it.weight > 0n ? lambdaCap : floor;
        const bound: Bound = it.weight > 0n ? 'cap' : floor > 0n ? 'floor' : null;
        shares.set(it.id, { id: it.id, weight: it.weight, share: null, rounded: amount, amount, bound });
      }
      return done('allCapped', null);
    }
  }

  const lambda = solveLambda(pool, items, floor, lambdaCap);
  let capFreed = 0n;
  for (const it of items) {
    const share = ratio(lambda.num * it.weight, lambda.den);
    const rounded = floorRatioToUnit(share.num, share.den, unit);
    let amount = rounded < floor ? floor : rounded;
    let bound: Bound = share.num < floor * share.den ? 'floor' : null;
    if (cap !== null && share.num > cap * share.den) {
      bound = 'cap';
      if (amount > cap) capFreed += amount - cap;
      amount = cap;
    }
    shares.set(it.id, { id: it.id, weight: it.weight, share, rounded, amount, bound });
  }
  if (p.redistributeCapped) capFreed = 0n;
  return done('solved', lambda, floorToUnit(capFreed, unit));
}
