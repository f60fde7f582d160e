// What a method receives and returns. Methods see prepared units (score in hundredths, rank, eligibility) and
// return an amount and an explanation for every eligible unit; `allocate` does the rest.
import type { AllocationError, AllocationUnit, RoundingUnit } from './types.ts';

export interface PreparedUnit {
  unit: AllocationUnit;
  /** Position in the input. */
  index: number;
  hundredths: bigint;
  rank: number;
  /** Another unit shares the rank. */
  tied: boolean;
  eligible: boolean;
  reasons: string[];
  /** 第3名，得分92.50 */
  prefix: string;
}

export interface MethodContext {
  budget: bigint;
  roundingUnit: RoundingUnit;
  unit: bigint;
  /** 0n when no floor is set. */
  floor: bigint;
  cap: bigint | null;
  redistributeCapped: boolean;
  units: readonly PreparedUnit[];
  eligible: readonly PreparedUnit[];
}

export interface MethodRow {
  amount: bigint;
  explanation: string;
}

export type MethodOutcome =
  | {
      ok: true;
      /** One row per eligible unit, by id. */
      rows: Map<string, MethodRow>;
      notes: string[];
      unitValue?: string;
    }
  | { ok: false; error: AllocationError };

export function fail(code: AllocationError['code'], message: string): MethodOutcome {
  return { ok: false, error: { code, message } };
}
