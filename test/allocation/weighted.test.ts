// The exact engine: λ solves Σ clamp(λ·w, floor, cap) = pool exactly, and agrees with the textbook iterative
// water-filling for floors alone and for caps alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { competitionRanks } from '../../shared/allocation/ranks.ts';
import { type Ratio, compareRatio, truncatedDecimal } from '../../shared/allocation/rounding.ts';
import { allocateWeighted, solveLambda, type WeightedItem } from '../../shared/allocation/weighted.ts';

const RUNS = 300;

function clampedTotal(l: Ratio, items: readonly WeightedItem[], floor: bigint, cap: bigint | null): Ratio {
  // Σ clamp(l·w, floor, cap) as a ratio over l.den
  let num = 0n;
  for (const it of items) {
    let x = l.num * it.weight;
    if (x < floor * l.den) x = floor * l.den;
    if (cap !== null && x > cap * l.den) x = cap * l.den;
    num += x;
  }
  return { num, den: l.den };
}

/** Textbook iteration: fix the units that cross a limit at the current λ, recompute, repeat. One-sided only. */
function iterative(pool: bigint, items: readonly WeightedItem[], floor: bigint, cap: bigint | null): Ratio {
  const fixed = new Set<string>();
  for (;;) {
    const free = items.filter((i) => !fixed.has(i.id));
    const money = pool - BigInt(fixed.size) * (cap ?? floor);
    const weight = free.reduce((s, i) => s + i.weight, 0n);
    const l = { num: money, den: weight };
    const crossing = free.filter((i) =>
      cap !== null ? i.weight * l.num > cap * l.den : i.weight * l.num < floor * l.den,
    );
    if (crossing.length === 0) return l;
    for (const i of crossing) fixed.add(i.id);
  }
}

const itemsArb = fc
  .array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 30 })
  .map((ws) => ws.map((w, i) => ({ id: `i${i}`, weight: BigInt(w) })));

describe('solveLambda', () => {
  it('solves Σ clamp(λ·w, floor, cap) = pool exactly', () => {
    fc.assert(
      fc.property(itemsArb, fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.nat(1000), fc.nat(1000), (items, pool, fp, cp) => {
        const n = BigInt(items.length);
        fc.pre(items.some((i) => i.weight > 0n));
        const floor = (pool * BigInt(fp)) / 1000n / n; // floor × n ≤ pool
        const cap = floor + ((pool * BigInt(cp)) / 1000n);
        const ceiling = items.reduce((s, i) => s + (i.weight > 0n ? cap : floor), 0n);
        fc.pre(pool < ceiling);
        const l = solveLambda(pool, items, floor, cap);
        const t = clampedTotal(l, items, floor, cap);
        expect(t.num).toBe(pool * t.den);
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees with the iterative water-filling for floors alone', () => {
    fc.assert(
      fc.property(itemsArb, fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.nat(1000), (items, pool, fp) => {
        fc.pre(items.some((i) => i.weight > 0n));
        const floor = (pool * BigInt(fp)) / 1000n / BigInt(items.length);
        expect(compareRatio(solveLambda(pool, items, floor, null), iterative(pool, items, floor, null))).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees with the iterative water-filling for caps alone', () => {
    fc.assert(
      fc.property(itemsArb, fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.nat(1000), (items, pool, cp) => {
        const positive = items.filter((i) => i.weight > 0n);
        fc.pre(positive.length > 0);
        const cap = 1n + (pool * BigInt(cp)) / 1000n;
        fc.pre(pool < cap * BigInt(positive.length));
        expect(compareRatio(solveLambda(pool, items, 0n, cap), iterative(pool, positive, 0n, cap))).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('allocateWeighted', () => {
  it('reports floors and caps that bind', () => {
    const o = allocateWeighted({
      pool: 1000n,
      items: [
        { id: 'a', weight: 80n },
        { id: 'b', weight: 18n },
        { id: 'c', weight: 2n },
      ],
      floor: 100n,
      cap: 500n,
      redistributeCapped: true,
      unit: 10n,
    });
    expect(o.mode).toBe('solved');
    expect([...o.shares.values()].map((s) => [s.id, s.amount, s.bound])).toEqual([
      ['a', 500n, 'cap'],
      ['b', 400n, null],
      ['c', 100n, 'floor'],
    ]);
    expect(o.allocated).toBe(1000n);
  });

  it('needs no weight: floors only', () => {
    const o = allocateWeighted({
      pool: 1000n,
      items: [{ id: 'a', weight: 0n }],
      floor: 100n,
      cap: null,
      redistributeCapped: false,
      unit: 100n,
    });
    expect(o.mode).toBe('noWeight');
    expect(o.shares.get('a')?.amount).toBe(100n);
  });
});

describe('competitionRanks', () => {
  it('gives ties the best shared rank: 1, 2, 2, 4', () => {
    const r = competitionRanks([
      { id: 'd', name: 'd', hundredths: 100n },
      { id: 'a', name: 'a', hundredths: 400n },
      { id: 'b', name: 'b', hundredths: 300n },
      { id: 'c', name: 'c', hundredths: 300n },
    ]);
    expect(Object.fromEntries(r)).toEqual({ a: 1, b: 2, c: 2, d: 4 });
  });
});

describe('truncatedDecimal', () => {
  it('truncates, never rounds up', () => {
    expect(truncatedDecimal(2n, 3n, 4)).toEqual({ text: '0.6666', exact: false });
    expect(truncatedDecimal(1n, 4n, 4)).toEqual({ text: '0.2500', exact: true });
    expect(truncatedDecimal(7n, 1n, 0)).toEqual({ text: '7', exact: true });
  });
});
