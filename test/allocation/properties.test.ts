// Property tests (fast-check): the money invariants hold for every valid input, whatever the method, the
// rounding unit, eligibility, floors and caps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  type AllocationInput,
  type AllocationMethod,
  type AllocationSuccess,
  type AllocationUnit,
  type RoundingUnit,
} from '../../shared/allocation/index.ts';
import { expectBalanced } from './helpers.ts';

const RUNS = 400;

// ---------------------------------------------------------------------------------------------
// Arbitraries

const scoreArb = fc.oneof(
  fc.integer({ min: 0, max: 10000 }).map((h) => h / 100),
  fc.constantFrom(0, 60, 80, 85.5, 90, 100), // many ties
);
const rare = fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.boolean() });
const unitsArb: fc.Arbitrary<AllocationUnit[]> = fc
  .array(
    fc.record({
      score: scoreArb,
      veto: rare,
      weak: rare,
      level: fc.option(fc.constantFrom('优秀', '良好', '一般'), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 25, size: 'max' },
  )
  .map((rows) =>
    rows.map((r, i) => {
      const u: AllocationUnit = { id: `u${i}`, name: `村${i}`, score: r.score };
      if (r.veto !== undefined) u.veto = r.veto;
      if (r.weak !== undefined) u.weak = r.weak;
      if (r.level !== undefined) u.level = r.level;
      return u;
    }),
  );

const budgetArb = fc.oneof(
  fc.integer({ min: 1, max: 2000 }),
  fc.noBias(fc.integer({ min: 1, max: 10_000_000 })),
  fc.integer({ min: 1, max: 1_000_000_000_000 }),
  fc.noBias(fc.integer({ min: 1, max: 1_000_000_000_000 })),
);
const unitArb = fc.constantFrom<RoundingUnit>(1, 10, 100, 1000);

/** A multiple of u up to about budget × share. */
function moneyUpTo(budget: number, u: number, share: number): fc.Arbitrary<number> {
  const max = Math.floor((budget * share) / u);
  const k = fc.integer({ min: 0, max });
  return fc.oneof(k, fc.noBias(k)).map((x) => x * u);
}

/** A contiguous rank table from rank 1 with non-increasing values. */
function rankTable<V>(value: fc.Arbitrary<V>, compare: (a: V, b: V) => number) {
  return fc
    .array(fc.record({ width: fc.integer({ min: 1, max: 6 }), v: value }), { minLength: 1, maxLength: 4 })
    .map((rows) => {
      const values = rows.map((r) => r.v).sort((a, b) => compare(b, a));
      let from = 1;
      return rows.map((r, i) => {
        const range = { fromRank: from, toRank: from + r.width - 1, v: values[i]! };
        from += r.width;
        return range;
      });
    });
}

/** The value `weight` times as often as undefined. */
function sometimes<T>(arb: fc.Arbitrary<T>, weight: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: Math.round(weight * 4), arbitrary: arb });
}

function methodArb(budget: number, u: number, n: number): fc.Arbitrary<AllocationMethod> {
  const points = rankTable(fc.integer({ min: 0, max: 2000 }).map((h) => h / 100), (a, b) => a - b).map((t) =>
    t.map(({ fromRank, toRank, v }) => ({ fromRank, toRank, points: v })),
  );
  return fc.oneof(
    fc.constant<AllocationMethod>({ kind: 'proportional' }),
    fc
      .record({
        table: rankTable(moneyUpTo(budget, u, 0.3), (a, b) => a - b),
        scale: fc.boolean(),
      })
      .map(({ table, scale }) => ({
        kind: 'tiers' as const,
        tiers: table.map(({ fromRank, toRank, v }) => ({ fromRank, toRank, amount: v })),
        ...(scale ? { onOverflow: 'scale' as const } : {}),
      })),
    points.map((p) => ({ kind: 'rankPoints' as const, points: p })),
    fc
      .record({ base: moneyUpTo(budget, u, 1 / Math.max(1, n)), p: fc.option(points, { nil: undefined }) })
      .map(({ base, p }) => ({ kind: 'basePlusTopUp' as const, base, ...(p ? { points: p } : {}) })),
  );
}

const inputArb: fc.Arbitrary<AllocationInput> = fc
  .record({ budget: budgetArb, u: unitArb, units: unitsArb })
  .chain(({ budget, u, units }) =>
    fc
      .record({
        method: methodArb(budget, u, units.length),
        floor: sometimes(moneyUpTo(budget, u, 1.5 / units.length), 3),
        cap: sometimes(moneyUpTo(budget, u, 3 / units.length), 2),
        redistributeCapped: fc.boolean(),
        excludeVeto: sometimes(fc.boolean(), 1),
        excludeWeak: sometimes(fc.boolean(), 1),
        minScore: sometimes(fc.integer({ min: 0, max: 9000 }).map((h) => h / 100), 0.25),
        levels: sometimes(fc.constantFrom<string[]>(['优秀'], ['优秀', '良好']), 0.25),
      })
      .map((o) => {
        const input: AllocationInput = { budget, roundingUnit: u, method: o.method, units };
        if (o.floor !== undefined) input.floor = o.floor;
        if (o.cap !== undefined) {
          const base = o.method.kind === 'basePlusTopUp' ? o.method.base : 0;
          input.cap = Math.max(o.cap, o.floor ?? 0, base, u);
          if (o.redistributeCapped && o.method.kind !== 'tiers') input.redistributeCapped = true;
        }
        const eligibility: NonNullable<AllocationInput['eligibility']> = {};
        if (o.excludeVeto !== undefined) eligibility.excludeVeto = o.excludeVeto;
        if (o.excludeWeak !== undefined) eligibility.excludeWeak = o.excludeWeak;
        if (o.minScore !== undefined) eligibility.minScore = o.minScore;
        if (o.levels !== undefined) eligibility.minLevel = o.levels;
        if (Object.keys(eligibility).length > 0) input.eligibility = eligibility;
        return input;
      }),
  );

// ---------------------------------------------------------------------------------------------
// Independent reference facts (deliberately simple, not the production code)

function referenceEligible(input: AllocationInput, u: AllocationUnit): boolean {
  const e = input.eligibility ?? {};
  if ((e.excludeVeto ?? true) && u.veto) return false;
  if ((e.excludeWeak ?? true) && u.weak) return false;
  if (e.minLevel && !(u.level !== undefined && e.minLevel.includes(u.level))) return false;
  if (e.minScore !== undefined && Math.round(u.score * 100) < Math.round(e.minScore * 100)) return false;
  return true;
}

function referenceRank(units: readonly AllocationUnit[], u: AllocationUnit): number {
  return 1 + units.filter((x) => Math.round(x.score * 100) > Math.round(u.score * 100)).length;
}

/** Why a valid input may be refused, or null when it must succeed. */
function expectedRefusal(input: AllocationInput): string | null {
  const eligible = input.units.filter((u) => referenceEligible(input, u));
  const k = eligible.length;
  if (k === 0) return null;
  const floor = input.floor ?? 0;
  const m = input.method;
  if (m.kind === 'basePlusTopUp' && m.base * k > input.budget) return 'base_over_budget';
  if (floor * k > input.budget) return 'floors_over_budget';
  if (m.kind === 'tiers' && m.onOverflow !== 'scale') {
    let required = 0;
    for (const u of eligible) {
      const rank = referenceRank(input.units, u);
      const tier = m.tiers.find((t) => rank >= t.fromRank && rank <= t.toRank);
      required += Math.min(Math.max(tier?.amount ?? 0, floor), input.cap ?? Infinity);
    }
    if (required > input.budget) return 'tiers_over_budget';
  }
  return null;
}

function shuffled<T>(xs: readonly T[], keys: readonly number[]): T[] {
  return xs
    .map((x, i) => ({ x, k: keys[i % keys.length]! * 1000 + i }))
    .sort((a, b) => a.k - b.k)
    .map((e) => e.x);
}

function success(input: AllocationInput): AllocationSuccess {
  const r = allocate(input);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r;
}

// ---------------------------------------------------------------------------------------------

describe('allocation invariants (fast-check)', () => {
  it('valid input succeeds unless the budget cannot cover floors, bases or fixed tiers', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = allocate(input);
        const refusal = expectedRefusal(input);
        if (refusal === null) expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
        else expect(r.ok ? 'ok' : r.error.code).toBe(refusal);
      }),
      { numRuns: RUNS },
    );
  });

  it('amounts are non-negative multiples of the rounding unit; Σ amounts + balance = budget exactly', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        fc.pre(expectedRefusal(input) === null);
        expectBalanced(success(input));
      }),
      { numRuns: RUNS },
    );
  });

  it('ineligible units get 0 with the reason; eligible units are exactly those passing the rules', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        fc.pre(expectedRefusal(input) === null);
        const r = success(input);
        for (const row of r.rows) {
          const u = input.units.find((x) => x.id === row.id)!;
          expect(row.eligible).toBe(referenceEligible(input, u));
          if (!row.eligible) {
            expect(row.amount).toBe(0);
            expect(row.reason).toBeTruthy();
            expect(row.explanation).toContain('不参与分配');
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('equal scores get equal amounts; a higher score never gets less (all four methods)', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        fc.pre(expectedRefusal(input) === null);
        const eligible = success(input).rows.filter((x) => x.eligible);
        for (const a of eligible) {
          for (const b of eligible) {
            if (a.score === b.score) expect(a.amount).toBe(b.amount);
            if (a.score > b.score) expect(a.amount).toBeGreaterThanOrEqual(b.amount);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('floors and caps are respected', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        fc.pre(expectedRefusal(input) === null);
        for (const row of success(input).rows) {
          if (row.eligible && input.floor !== undefined) expect(row.amount).toBeGreaterThanOrEqual(input.floor);
          if (input.cap !== undefined) expect(row.amount).toBeLessThanOrEqual(input.cap);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic: any order of units gives the same result', () => {
    fc.assert(
      fc.property(inputArb, fc.array(fc.nat(), { minLength: 1, maxLength: 25 }), (input, keys) => {
        const a = allocate(input);
        const b = allocate({ ...input, units: shuffled(input.units, keys) });
        if (!a.ok || !b.ok) {
          expect(a.ok).toBe(b.ok);
          return;
        }
        expect(b.rows).toEqual(a.rows);
        expect(b.balance).toBe(a.balance);
        expect(b.notes).toEqual(a.notes);
        expect(b.unitValue).toBe(a.unitValue);
      }),
      { numRuns: RUNS },
    );
  });

  it('proportional: each amount is floor(budget × score ÷ Σscores) to the unit (BigInt oracle), balance < k × unit', () => {
    const plainArb = fc.record({ budget: budgetArb, u: unitArb, units: unitsArb }).map(
      ({ budget, u, units }): AllocationInput => ({ budget, roundingUnit: u, method: { kind: 'proportional' }, units }),
    );
    fc.assert(
      fc.property(plainArb, (input) => {
        const r = success(input);
        const eligible = input.units.filter((u) => referenceEligible(input, u));
        const H = eligible.reduce((s, u) => s + BigInt(Math.round(u.score * 100)), 0n);
        const B = BigInt(input.budget);
        const U = BigInt(input.roundingUnit ?? 1);
        for (const row of r.rows) {
          const expected = row.eligible && H > 0n ? ((B * BigInt(Math.round(row.score * 100))) / (H * U)) * U : 0n;
          expect(BigInt(row.amount)).toBe(expected);
        }
        if (H > 0n) {
          expect(BigInt(r.balance)).toBeLessThan(BigInt(eligible.length) * U);
          const scaled = (B * 100n * 10_000n) / H; // 元 per point × 10⁴
          expect(r.unitValue).toBe(`${scaled / 10_000n}.${(scaled % 10_000n).toString().padStart(4, '0')}`);
        } else expect(r.balance).toBe(input.budget);
      }),
      { numRuns: RUNS },
    );
  });

  it('weight-based methods leave only the rounding remainder when nothing is kept back by a cap', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const m = input.method;
        fc.pre(m.kind === 'proportional' || (m.kind === 'basePlusTopUp' && !m.points));
        fc.pre(expectedRefusal(input) === null);
        fc.pre(input.cap === undefined || input.redistributeCapped === true);
        const r = success(input);
        const eligible = r.rows.filter((x) => x.eligible);
        const positive = eligible.filter((x) => x.score > 0);
        fc.pre(positive.length > 0);
        const allCapped = input.cap !== undefined && positive.every((x) => x.amount === input.cap);
        if (!allCapped) expect(r.balance).toBeLessThan(eligible.length * (input.roundingUnit ?? 1));
      }),
      { numRuns: RUNS },
    );
  });

  it('every row is explained', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        fc.pre(expectedRefusal(input) === null);
        const r = success(input);
        for (const row of r.rows) {
          expect(row.explanation).toMatch(new RegExp(`^第${row.rank}名`));
          if (row.eligible && row.amount > 0) expect(row.explanation).toContain(`${row.amount}元`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
