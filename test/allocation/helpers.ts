// Helpers shared by the allocation tests.
import { expect } from 'vitest';
import type { AllocationResult, AllocationSuccess, AllocationUnit } from '../../shared/allocation/index.ts';

/** Units from [id, score] pairs (name = id), with optional extra fields. */
export function units(...rows: (readonly [string, number, Partial<AllocationUnit>?])[]): AllocationUnit[] {
  return rows.map(([id, score, extra]) => ({ id, name: id, score, ...extra }));
}

export function ok(r: AllocationResult): AllocationSuccess {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r;
}

export function amounts(r: AllocationResult): Record<string, number> {
  return Object.fromEntries(ok(r).rows.map((row) => [row.id, row.amount]));
}

export function row(r: AllocationResult, id: string) {
  const found = ok(r).rows.find((x) => x.id === id);
  if (!found) throw new Error(`no row ${id}`);
  return found;
}

/** The invariants every successful result must satisfy, checked on any result. */
export function expectBalanced(r: AllocationResult): void {
  const s = ok(r);
  const total = s.rows.reduce((a, x) => a + x.amount, 0);
  expect(total).toBe(s.allocated);
  expect(s.allocated + s.balance).toBe(s.budget);
  expect(s.balance).toBeGreaterThanOrEqual(0);
  for (const x of s.rows) {
    expect(Number.isSafeInteger(x.amount)).toBe(true);
    expect(x.amount % s.roundingUnit).toBe(0);
    if (!x.eligible) expect(x.amount).toBe(0);
  }
}
