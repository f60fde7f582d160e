// Types of the 以奖代补 allocation. Pure data shapes: no Office, no Cloudflare, no Node.

/** The rounding unit of every amount: 元, 十元, 百元 or 千元. Amounts are floored to a multiple of it. */
export type RoundingUnit = 1 | 10 | 100 | 1000;

/** One unit (a village or a township) taking part in the allocation. */
export interface AllocationUnit {
  /** Stable identifier (the 12-digit 统计用区划代码 where there is one). Unique within an input. */
  id: string;
  name: string;
  /** Assessment score, ≥ 0, at most two decimals. */
  score: number;
  /** Published rank (1 = best). When every unit leaves it out, competition ranks are computed from scores
   * (1, 2, 2, 4: ties share a rank). Either every unit has one or none has. */
  rank?: number;
  /** 等次 as published (优秀, 良好 …); read by `eligibility.minLevel`. */
  level?: string;
  /** 一票否决. */
  veto?: boolean;
  /** 软弱涣散. */
  weak?: boolean;
}

/** An inclusive range of ranks, e.g. 第4–10名. */
export interface RankRange {
  fromRank: number;
  toRank: number;
}

/** A fixed amount (元) for every unit whose rank is in the range. */
export interface Tier extends RankRange {
  amount: number;
}

/** Points (at most two decimals) for every unit whose rank is in the range. */
export interface RankPointsEntry extends RankRange {
  points: number;
}

/** Fixed amounts by rank. Tiers are listed from rank 1, contiguous, amounts not increasing. */
export interface TiersMethod {
  kind: 'tiers';
  tiers: Tier[];
  /** What to do when the tiers need more than the budget: `error` (default) refuses; `scale` shrinks
   * every amount in the same proportion. */
  onOverflow?: 'error' | 'scale';
}

/** Proportional to score. */
export interface ProportionalMethod {
  kind: 'proportional';
}

/** A rank → points table, then proportional to points. */
export interface RankPointsMethod {
  kind: 'rankPoints';
  points: RankPointsEntry[];
}

/** An equal base per eligible unit, the rest proportional to score (or to rank points when given). */
export interface BasePlusTopUpMethod {
  kind: 'basePlusTopUp';
  /** 元 per eligible unit, a multiple of the rounding unit. */
  base: number;
  points?: RankPointsEntry[];
}

export type AllocationMethod = TiersMethod | ProportionalMethod | RankPointsMethod | BasePlusTopUpMethod;
export type MethodKind = AllocationMethod['kind'];

/** Who takes part. A unit failing any rule gets 0 with the reason. */
export interface EligibilityRules {
  /** Exclude 一票否决 units. Default true. */
  excludeVeto?: boolean;
  /** Exclude 软弱涣散 units. Default true. */
  excludeWeak?: boolean;
  /** The 等次 allowed to take part (a unit without a 等次 is then excluded). */
  minLevel?: string[];
  /** Lowest score allowed to take part (inclusive: a unit scoring exactly minScore takes part). */
  minScore?: number;
}

export interface AllocationInput {
  /** 元, a positive integer. */
  budget: number;
  method: AllocationMethod;
  units: AllocationUnit[];
  /** Default 1 (元). */
  roundingUnit?: RoundingUnit;
  eligibility?: EligibilityRules;
  /** Minimum amount (元) per eligible unit, a multiple of the rounding unit. */
  floor?: number;
  /** Maximum amount (元) per unit, a multiple of the rounding unit. */
  cap?: number;
  /** Re-spread what caps free over the uncapped units (weight-based methods only). Default false:
   * what a cap frees stays in the balance. */
  redistributeCapped?: boolean;
}

export interface AllocationRow {
  id: string;
  name: string;
  score: number;
  rank: number;
  eligible: boolean;
  /** Why the unit does not take part (only for ineligible units). */
  reason?: string;
  /** 元, a multiple of the rounding unit. */
  amount: number;
  /** A Chinese sentence tracing the amount to its inputs. */
  explanation: string;
}

export type AllocationErrorCode =
  | 'invalid_input'
  | 'tiers_over_budget'
  | 'floors_over_budget'
  | 'base_over_budget';

export interface AllocationError {
  code: AllocationErrorCode;
  /** Chinese message; for `invalid_input` every problem, one per line. */
  message: string;
  /** For `invalid_input`: each problem, `path：message`. */
  issues?: string[];
}

export interface AllocationSuccess {
  ok: true;
  method: MethodKind;
  budget: number;
  /** Σ amounts. */
  allocated: number;
  /** budget − allocated, ≥ 0: everything not handed out. */
  balance: number;
  roundingUnit: RoundingUnit;
  /** 单位分值金额 (元 per point, or per rank point) of the proportional part, truncated to 4 decimals.
   * Absent for fixed tiers and when there is nothing to divide. */
  unitValue?: string;
  /** Ordered by rank, then id. */
  rows: AllocationRow[];
  /** Chinese notes: method, totals, how the balance arises, ties, binding floors and caps. */
  notes: string[];
}

export type AllocationResult = AllocationSuccess | { ok: false; error: AllocationError };
