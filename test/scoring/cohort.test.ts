import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignGroups, assignStars, competitionRanks, weakCandidates } from '../../shared/scoring/cohort.ts';

const units = (totals: number[]) => totals.map((t, i) => ({ id: `u${i}`, total: t }));

/** Units with their 后进 share as the ranking SQL decides it (worker/aggregate/sql.ts in_bottom_group, checked
 * against test/worker/reference.ts): everyone at or below the total fits within floor(share in ten-thousandths × n). */
const grouped = (totals: number[], bottom: number) => {
  const cap = Math.floor((Math.round(bottom * 10000) * totals.length) / 10000);
  return units(totals).map((u) => ({ ...u, inBottomShare: totals.filter((t) => t <= u.total).length <= cap }));
};

describe('competitionRanks', () => {
  it('ties share a rank: 1, 2, 2, 4', () => {
    const r = competitionRanks(units([90, 85, 85, 70]));
    expect([...r.values()]).toEqual([1, 2, 2, 4]);
  });
  it('treats totals equal to the hundredth as ties (no float noise)', () => {
    const r = competitionRanks([{ id: 'a', total: 0.1 + 0.2 }, { id: 'b', total: 0.3 }]);
    expect(r.get('a')).toBe(1);
    expect(r.get('b')).toBe(1);
  });
  it('property: rank = 1 + count of strictly higher totals, independent of order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: 1, maxLength: 60 }), (cents) => {
        const us = units(cents.map((c) => c / 100));
        const r = competitionRanks(us);
        const rev = competitionRanks([...us].reverse());
        for (const u of us) {
          const higher = us.filter((x) => x.total > u.total).length;
          expect(r.get(u.id)).toBe(higher + 1);
          expect(rev.get(u.id)).toBe(higher + 1);
        }
      }),
    );
  });
});

describe('assignStars', () => {
  const bands = [
    { stars: 5, min: 95, quota: 0.1 },
    { stars: 4, min: 85 },
    { stars: 3, min: 70 },
  ];
  it('bands by score', () => {
    const s = assignStars(units([96, 90, 72, 50]), [{ stars: 5, min: 95 }, { stars: 4, min: 85 }, { stars: 3, min: 70 }]);
    expect(['u0', 'u1', 'u2', 'u3'].map((id) => s.get(id)!.stars)).toEqual([5, 4, 3, 0]);
  });
  it('a quota keeps the best and demotes the rest to the next band', () => {
    // 20 units, 5-star quota 10% = 2; three reach 95.
    const totals = [99, 98, 96, ...Array(17).fill(80)];
    const s = assignStars(units(totals), bands);
    expect(s.get('u0')!.stars).toBe(5);
    expect(s.get('u1')!.stars).toBe(5);
    expect(s.get('u2')!.stars).toBe(4);
    expect(s.get('u2')!.reason).not.toMatch(/5星分数线/);
  });
  it('a tie at the quota cut is demoted as a whole, never exceeding the quota', () => {
    const totals = [99, 97, 97, ...Array(17).fill(80)];
    const s = assignStars(units(totals), bands);
    expect(s.get('u0')!.stars).toBe(5);
    expect(s.get('u1')!.stars).toBe(4);
    expect(s.get('u2')!.stars).toBe(4);
  });
  it('property: a quota is never exceeded and equal totals get equal stars', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 80 }), (ts) => {
        const us = units(ts);
        const s = assignStars(us, bands);
        const five = us.filter((u) => s.get(u.id)!.stars === 5).length;
        expect(five).toBeLessThanOrEqual(Math.floor(0.1 * us.length));
        for (const a of us) for (const b of us) if (a.total === b.total) expect(s.get(a.id)!.stars).toBe(s.get(b.id)!.stars);
      }),
    );
  });
});

describe('assignGroups', () => {
  it('top and bottom shares', () => {
    const g = assignGroups(grouped([100, 90, 80, 70, 60, 50, 40, 30, 20, 10], 0.2), 0.2, 0.2);
    expect(['u0', 'u1', 'u2', 'u7', 'u8', 'u9'].map((id) => g.get(id)!.group)).toEqual(['示范', '示范', '中间', '中间', '后进', '后进']);
  });
  it('a tie straddling a cut is 中间, so no group exceeds its share', () => {
    const t = assignGroups(grouped([100, 90, 90, 70, 60], 0), 0.4, 0);
    expect(['u0', 'u1', 'u2'].map((id) => t.get(id)!.group)).toEqual(['示范', '中间', '中间']);
    const g = assignGroups(grouped([100, 90, 80, 70, 60, 50, 40, 30, 20, 20], 0.1), 0.2, 0.1);
    expect(g.get('u8')!.group).toBe('中间');
    expect(g.get('u9')!.group).toBe('中间');
  });
  it('property: group sizes never exceed their shares; equal totals, equal groups', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true }), (ts, top, bottom) => {
        const us = grouped(ts, bottom);
        const g = assignGroups(us, top, bottom);
        expect(us.filter((u) => g.get(u.id)!.group === '示范').length).toBeLessThanOrEqual(Math.floor(top * us.length + 1e-9));
        expect(us.filter((u) => g.get(u.id)!.group === '后进').length).toBeLessThanOrEqual(Math.floor(bottom * us.length + 1e-9));
        for (const a of us) for (const b of us) if (a.total === b.total) expect(g.get(a.id)!.group).toBe(g.get(b.id)!.group);
        // 后进 is exactly the ranking's 后进 share, less a unit that is also in the top share.
        for (const u of us) expect(g.get(u.id)!.group === '后进', u.id).toBe(u.inBottomShare && g.get(u.id)!.group !== '中间');
      }),
    );
  });
  it('everyone tied is 中间', () => {
    const g = assignGroups(grouped([50, 50, 50], 0.5), 0.5, 0.5);
    expect([...g.values()].map((x) => x.group)).toEqual(['中间', '中间', '中间']);
  });
});

describe('weakCandidates', () => {
  it('collects every trigger that fired', () => {
    const us = units([95, 58, 80, 70]).map((u, i) => ({ ...u, veto: i === 2, failed: new Set(i === 3 ? ['basic-7'] : []), flags: new Set<string>() }));
    const w = weakCandidates(us, {
      triggers: [{ kind: 'scoreBelow', value: 60 }, { kind: 'veto' }, { kind: 'failsRef', ref: 'basic-7' }, { kind: 'bottomShare', share: 0.25 }],
    });
    expect(w.has('u0')).toBe(false);
    expect(w.get('u1')).toEqual(['得分58分，低于60分', '倒数第1名，位于后25%']);
    expect(w.get('u2')).toEqual(['有一票否决项']);
    expect(w.get('u3')).toEqual(['基本标准第7条未达标']);
  });
});
