// Table-driven cases for every method: exact amounts, balances, explanations and refusals.
import { describe, expect, it } from 'vitest';
import { allocate, type AllocationErrorCode, type AllocationInput } from '../../shared/allocation/index.ts';
import { amounts, expectBalanced, ok, row, units } from './helpers.ts';

interface Case {
  name: string;
  input: AllocationInput;
  amounts?: Record<string, number>;
  balance?: number;
  unitValue?: string;
  /** Explanation substrings (or whole sentences) by unit id. */
  explain?: Record<string, string | RegExp>;
  /** Substrings the notes must contain. */
  notes?: (string | RegExp)[];
  reasons?: Record<string, string>;
  error?: { code: AllocationErrorCode; message: (string | RegExp)[] };
}

function run(c: Case): void {
  const r = allocate(c.input);
  if (c.error) {
    expect(r.ok, JSON.stringify(r)).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(c.error.code);
    for (const m of c.error.message) expect(r.error.message).toMatch(m);
    return;
  }
  expectBalanced(r);
  const s = ok(r);
  if (c.amounts) expect(amounts(r)).toEqual(c.amounts);
  if (c.balance !== undefined) expect(s.balance).toBe(c.balance);
  if (c.unitValue !== undefined) expect(s.unitValue).toBe(c.unitValue);
  for (const [id, text] of Object.entries(c.explain ?? {})) {
    const e = row(r, id).explanation;
    if (typeof text === 'string') expect(e).toContain(text);
    else expect(e).toMatch(text);
  }
  for (const [id, reason] of Object.entries(c.reasons ?? {})) expect(row(r, id).reason).toBe(reason);
  const notes = s.notes.join('\n');
  for (const n of c.notes ?? []) expect(notes).toMatch(n);
}

const tiers13_410 = [
  { fromRank: 1, toRank: 3, amount: 20000 },
  { fromRank: 4, toRank: 10, amount: 10000 },
];

const proportional: Case[] = [
  {
    name: 'exact shares add up to the budget',
    input: { budget: 1000, method: { kind: 'proportional' }, units: units(['a', 50], ['b', 30], ['c', 20]) },
    amounts: { a: 500, b: 300, c: 200 },
    balance: 0,
    unitValue: '10.0000',
    explain: { a: '第1名，得分50.00；按得分比例：1000元×50.00÷100.00=500元' },
    notes: ['全部分配，无结余'],
  },
  {
    name: 'the worked example of the brief (百元)',
    input: {
      budget: 200000,
      roundingUnit: 100,
      method: { kind: 'proportional' },
      units: units(['a', 92.5], ['b', 1142]),
    },
    // 200000 × 92.50 ÷ 1234.50 = 14985.82…
    amounts: { a: 14900, b: 185000 },
    balance: 100,
    explain: {
      a: '第2名，得分92.50；按得分比例：200000元×92.50÷1234.50=14985.82…元，按百元向下取整为14900元',
    },
    notes: [/结余100元：按百元向下取整舍去的尾数100元.*少于2×100=200元/, '单位分值金额 = 200000元 ÷ 1234.50分 = 162.0089…元/分'],
  },
  {
    name: 'ties get equal money; the remainder stays as the balance',
    input: { budget: 1000, roundingUnit: 10, method: { kind: 'proportional' }, units: units(['a', 1], ['b', 1], ['c', 1]) },
    amounts: { a: 330, b: 330, c: 330 },
    balance: 10,
    explain: { b: /^第1名（并列），得分1.00；按得分比例：1000元×1.00÷3.00=333.33…元，按十元向下取整为330元$/ },
  },
  {
    name: 'budget smaller than the rounding unit: nobody gets anything, all of it is the balance',
    input: { budget: 50, roundingUnit: 100, method: { kind: 'proportional' }, units: units(['a', 90], ['b', 80]) },
    amounts: { a: 0, b: 0 },
    balance: 50,
    notes: ['结余50元：按百元向下取整舍去的尾数50元'],
  },
  {
    name: 'zero scores everywhere: nothing to divide',
    input: { budget: 5000, method: { kind: 'proportional' }, units: units(['a', 0], ['b', 0]) },
    amounts: { a: 0, b: 0 },
    balance: 5000,
    explain: { a: '合格单位得分合计为0，无法按得分比例分配，0元' },
    notes: ['合格单位得分合计为0，无法按得分比例分配；5000元留作结余'],
  },
  {
    name: 'a zero score among others gets 0',
    input: { budget: 900, method: { kind: 'proportional' }, units: units(['a', 60], ['b', 30], ['z', 0]) },
    amounts: { a: 600, b: 300, z: 0 },
    balance: 0,
  },
  {
    name: 'everybody ineligible: all of it is the balance, with reasons',
    input: {
      budget: 10000,
      method: { kind: 'proportional' },
      units: units(['a', 90, { veto: true }], ['b', 80, { weak: true }], ['c', 70, { veto: true, weak: true }]),
    },
    amounts: { a: 0, b: 0, c: 0 },
    balance: 10000,
    reasons: { a: '一票否决', b: '软弱涣散', c: '一票否决；软弱涣散' },
    explain: { a: '第1名，得分90.00；一票否决，不参与分配', c: '一票否决；软弱涣散，不参与分配' },
    notes: ['没有符合分配条件的单位，预算10000元全部留作结余'],
  },
  {
    name: 'eligibility rules: levels, minimum score, weak allowed',
    input: {
      budget: 3000,
      method: { kind: 'proportional' },
      eligibility: { excludeWeak: false, minLevel: ['优秀', '良好'], minScore: 60 },
      units: units(
        ['a', 90, { level: '優秀', weak: true }],
        ['b', 60, { level: '良好' }],
        ['c', 59.99, { level: '良好' }],
        ['d', 95, { level: '一般' }],
        ['e', 95],
      ),
    },
    amounts: { a: 1800, b: 1200, c: 0, d: 0, e: 0 },
    balance: 0,
    reasons: {
      c: '得分59.99低于最低分60.00',
      d: '等次“一般”不在可参与分配的等次（优秀、良好）之内',
      e: '未评定等次（可参与分配的等次：优秀、良好）',
    },
  },
  {
    name: 'vetoed units can be let in',
    input: {
      budget: 100,
      method: { kind: 'proportional' },
      eligibility: { excludeVeto: false },
      units: units(['a', 1, { veto: true }], ['b', 1]),
    },
    amounts: { a: 50, b: 50 },
  },
  {
    name: 'a cap that binds frees money into the balance',
    input: { budget: 1000, cap: 500, method: { kind: 'proportional' }, units: units(['a', 80], ['b', 10], ['c', 10]) },
    amounts: { a: 500, b: 100, c: 100 },
    balance: 300,
    explain: { a: '按得分比例：1000元×80.00÷100.00=800元，超过封顶500元，按封顶发放500元（多出部分留作结余）' },
    notes: ['1个单位按得分比例应得超过封顶500元，按封顶发放；多出的300元留作结余', '结余300元：封顶留存300元'],
  },
  {
    name: 'a cap that binds, redistributed to the uncapped units',
    input: {
      budget: 1000,
      cap: 500,
      redistributeCapped: true,
      method: { kind: 'proportional' },
      units: units(['a', 80], ['b', 10], ['c', 10]),
    },
    amounts: { a: 500, b: 250, c: 250 },
    balance: 0,
    unitValue: '25.0000',
    notes: ['单位分值金额按其余单位重算：(1000元 − 封顶500元×1) ÷ 20.00分 = 25.0000元/分'],
  },
  {
    name: 'redistribution iterates: a second unit reaches the cap once the first is capped',
    input: {
      budget: 1000,
      cap: 400,
      redistributeCapped: true,
      method: { kind: 'proportional' },
      // plain shares 500, 350, 150: a caps; then b gets 600×35/50 = 420 and caps too; c gets 200.
      units: units(['a', 50], ['b', 35], ['c', 15]),
    },
    amounts: { a: 400, b: 400, c: 200 },
    balance: 0,
  },
  {
    name: 'every unit capped: the rest stays as the balance',
    input: {
      budget: 1000,
      cap: 300,
      redistributeCapped: true,
      method: { kind: 'proportional' },
      units: units(['a', 50], ['b', 30], ['c', 20]),
    },
    amounts: { a: 300, b: 300, c: 300 },
    balance: 100,
    notes: ['合格单位按比例均超过封顶300元，全部按封顶发放后仍余100元，留作结余'],
  },
  {
    name: 'floors are funded by the others',
    input: { budget: 1000, floor: 100, method: { kind: 'proportional' }, units: units(['a', 90], ['b', 10], ['c', 0]) },
    // c and b floored; a gets 1000 − 200.
    amounts: { a: 800, b: 100, c: 100 },
    balance: 0,
    explain: { b: '低于保底100元，按保底发放100元', c: '第3名，得分0.00' },
    notes: ['(1000元 − 保底100元×2) ÷ 90.00分'],
  },
  {
    name: 'floors that cannot be met are refused',
    input: {
      budget: 1000,
      floor: 100,
      method: { kind: 'proportional' },
      units: Array.from({ length: 11 }, (_, i) => ({ id: `u${i}`, name: `村${i}`, score: 50 })),
    },
    error: { code: 'floors_over_budget', message: ['11个合格单位×保底100元=1100元，超过预算1000元'] },
  },
  {
    name: 'floors count eligible units only',
    input: {
      budget: 1000,
      floor: 100,
      method: { kind: 'proportional' },
      units: Array.from({ length: 11 }, (_, i) => ({ id: `u${i}`, name: `村${i}`, score: 50, veto: i === 0 })),
    },
    balance: 0,
  },
  {
    name: 'large budgets stay exact (BigInt, hundredths)',
    input: {
      budget: 1_000_000_000_000,
      method: { kind: 'proportional' },
      units: units(['a', 33.33], ['b', 33.33], ['c', 33.34]),
    },
    amounts: { a: 333_300_000_000, b: 333_300_000_000, c: 333_400_000_000 },
    balance: 0,
  },
  {
    name: 'large budget with a tiny score: floors to the yuan without float error',
    input: { budget: 999_999_999_999, method: { kind: 'proportional' }, units: units(['a', 0.01], ['b', 99.99]) },
    // 999999999999 × 1 ÷ 10000 = 99999999.9999; × 9999 ÷ 10000 = 999899999999.0001
    amounts: { a: 99_999_999, b: 999_899_999_999 },
    balance: 1,
    explain: { a: '=99999999.99…元，按元向下取整为99999999元' },
  },
];

const tiers: Case[] = [
  {
    name: 'fixed amounts by rank, the rest as the balance',
    input: {
      budget: 150000,
      method: { kind: 'tiers', tiers: tiers13_410 },
      units: Array.from({ length: 12 }, (_, i) => ({ id: `u${i + 1}`, name: `村${i + 1}`, score: 100 - i })),
    },
    amounts: {
      u1: 20000, u2: 20000, u3: 20000, u4: 10000, u5: 10000, u6: 10000, u7: 10000,
      u8: 10000, u9: 10000, u10: 10000, u11: 0, u12: 0,
    },
    balance: 20000,
    explain: {
      u2: /^第2名，得分99.00，属第1–3名档，档额20000元$/,
      u11: '第11名，得分90.00，不在奖励档次内（档次止于第10名），档额0元',
    },
    notes: ['第1–3名档3个单位，合计60000元；第4–10名档7个单位，合计70000元；档额合计130000元，预算150000元'],
  },
  {
    name: 'a tie across a tier boundary: the whole group gets the higher tier',
    input: {
      budget: 200000,
      method: {
        kind: 'tiers',
        tiers: [
          { fromRank: 1, toRank: 3, amount: 20000 },
          { fromRank: 4, toRank: 5, amount: 10000 },
        ],
      },
      units: units(['a', 95], ['b', 90], ['c', 88], ['d', 88], ['e', 85], ['f', 80]),
    },
    amounts: { a: 20000, b: 20000, c: 20000, d: 20000, e: 10000, f: 0 },
    balance: 110000,
    explain: { d: '第3名（并列），得分88.00，属第1–3名档，档额20000元', e: '第5名，得分85.00，属第4–5名档' },
    notes: ['第3名并列2个单位（c、d），占第3–4位，跨过第1–3名档的末位；同分同奖，均按第3名所在的第1–3名档发放'],
  },
  {
    name: 'a rank held by an ineligible unit is not passed on',
    input: {
      budget: 100000,
      method: { kind: 'tiers', tiers: [{ fromRank: 1, toRank: 2, amount: 30000 }] },
      units: units(['a', 99, { veto: true }], ['b', 95], ['c', 90]),
    },
    amounts: { a: 0, b: 30000, c: 0 },
    balance: 70000,
    notes: ['第1名a（一票否决）不参与分配，其名次不顺延给其他单位'],
  },
  {
    name: 'tiers over budget are refused with the required total',
    input: {
      budget: 50000,
      method: { kind: 'tiers', tiers: tiers13_410 },
      units: units(['a', 95], ['b', 90], ['c', 88], ['d', 80]),
    },
    error: {
      code: 'tiers_over_budget',
      message: ['按档额需要资金合计70000元，超过预算50000元（差20000元）', '第1–3名档3个单位，合计60000元', 'onOverflow'],
    },
  },
  {
    name: "tiers over budget, scaled with onOverflow: 'scale'",
    input: {
      budget: 60000,
      roundingUnit: 100,
      method: {
        kind: 'tiers',
        onOverflow: 'scale',
        tiers: [
          { fromRank: 1, toRank: 3, amount: 20000 },
          { fromRank: 4, toRank: 5, amount: 10000 },
        ],
      },
      units: units(['a', 95], ['b', 90], ['c', 88], ['d', 88], ['e', 85]),
    },
    // required 90000; factor 2/3: 13333.33 → 13300, 6666.66 → 6600
    amounts: { a: 13300, b: 13300, c: 13300, d: 13300, e: 6600 },
    balance: 200,
    explain: { e: '按比例缩减：10000元×60000÷90000=6666.66…元，按百元向下取整为6600元' },
    notes: ['（60000÷90000=0.666666…）'],
  },
  {
    name: 'floor for units outside the tiers, cap on the top tier',
    input: {
      budget: 100000,
      floor: 1000,
      cap: 15000,
      method: { kind: 'tiers', tiers: [{ fromRank: 1, toRank: 1, amount: 20000 }, { fromRank: 2, toRank: 2, amount: 5000 }] },
      units: units(['a', 95], ['b', 90], ['c', 80], ['d', 70]),
    },
    amounts: { a: 15000, b: 5000, c: 1000, d: 1000 },
    balance: 78000,
    explain: {
      a: '超过封顶15000元，按封顶15000元（多出部分留作结余）',
      c: '档额0元，低于保底1000元，按保底1000元',
    },
  },
  {
    name: 'published ranks are used as given (dense ranks)',
    input: {
      budget: 100000,
      method: { kind: 'tiers', tiers: [{ fromRank: 1, toRank: 2, amount: 10000 }, { fromRank: 3, toRank: 9, amount: 1000 }] },
      units: units(['a', 95, { rank: 1 }], ['b', 90, { rank: 2 }], ['c', 90, { rank: 2 }], ['d', 80, { rank: 3 }]),
    },
    amounts: { a: 10000, b: 10000, c: 10000, d: 1000 },
    notes: ['名次按所填排名'],
  },
  {
    name: 'everybody ineligible',
    input: {
      budget: 100000,
      method: { kind: 'tiers', tiers: tiers13_410 },
      units: units(['a', 99, { veto: true }], ['b', 95, { weak: true }]),
    },
    amounts: { a: 0, b: 0 },
    balance: 100000,
    notes: ['没有符合分配条件的单位，预算100000元全部留作结余'],
  },
  {
    name: 'floors that cannot be met are refused before the tiers are summed',
    input: {
      budget: 1000,
      floor: 600,
      method: { kind: 'tiers', tiers: [{ fromRank: 1, toRank: 1, amount: 600 }] },
      units: units(['a', 2], ['b', 1]),
    },
    error: { code: 'floors_over_budget', message: ['2个合格单位×保底600元=1200元，超过预算1000元'] },
  },
  {
    name: 'budget smaller than the rounding unit with tiers that fit',
    input: {
      budget: 50,
      roundingUnit: 100,
      method: { kind: 'tiers', tiers: [{ fromRank: 1, toRank: 1, amount: 0 }] },
      units: units(['a', 1]),
    },
    amounts: { a: 0 },
    balance: 50,
  },
];

const rankPoints: Case[] = [
  {
    name: 'points by rank, then proportional to points',
    input: {
      budget: 28000,
      method: {
        kind: 'rankPoints',
        points: [
          { fromRank: 1, toRank: 1, points: 10 },
          { fromRank: 2, toRank: 3, points: 6 },
          { fromRank: 4, toRank: 5, points: 3 },
        ],
      },
      units: units(['a', 99], ['b', 90], ['c', 85], ['d', 80], ['e', 70], ['f', 60]),
    },
    amounts: { a: 10000, b: 6000, c: 6000, d: 3000, e: 3000, f: 0 },
    balance: 0,
    unitValue: '1000.0000',
    explain: {
      a: '第1名，得分99.00，属第1名档，计10点；按点数比例：28000元×10÷28=10000元',
      f: '在点数表（止于第5名）之外，计0点',
    },
  },
  {
    name: 'ties share the points of their rank',
    input: {
      budget: 9000,
      method: { kind: 'rankPoints', points: [{ fromRank: 1, toRank: 1, points: 2 }, { fromRank: 2, toRank: 3, points: 1 }] },
      units: units(['a', 90], ['b', 90], ['c', 80]),
    },
    // ranks 1, 1, 3 → points 2, 2, 1
    amounts: { a: 3600, b: 3600, c: 1800 },
  },
  {
    name: 'a cap that binds, redistributed; floors that bind',
    input: {
      budget: 10000,
      roundingUnit: 10,
      cap: 5000,
      floor: 1000,
      redistributeCapped: true,
      method: { kind: 'rankPoints', points: [{ fromRank: 1, toRank: 1, points: 8 }, { fromRank: 2, toRank: 3, points: 1 }] },
      units: units(['a', 90], ['b', 80], ['c', 70], ['d', 60]),
    },
    // d is outside the table (0 points) → floor 1000; a capped at 5000; b, c share 4000 → 2000 each.
    amounts: { a: 5000, b: 2000, c: 2000, d: 1000 },
    balance: 0,
    notes: ['(10000元 − 保底1000元×1 − 封顶5000元×1) ÷ 2点 = 2000.0000元/点'],
  },
  {
    name: 'floors that cannot be met are refused',
    input: {
      budget: 1000,
      floor: 500,
      method: { kind: 'rankPoints', points: [{ fromRank: 1, toRank: 3, points: 1 }] },
      units: units(['a', 3], ['b', 2], ['c', 1]),
    },
    error: { code: 'floors_over_budget', message: ['3个合格单位×保底500元=1500元'] },
  },
  {
    name: 'no unit within the table: nothing to divide',
    input: {
      budget: 1000,
      method: { kind: 'rankPoints', points: [{ fromRank: 1, toRank: 1, points: 5 }] },
      units: units(['a', 3, { veto: true }], ['b', 2]),
    },
    amounts: { a: 0, b: 0 },
    balance: 1000,
    explain: { b: '在点数表（止于第1名）之外，计0点；合格单位点数合计为0，无法按点数比例分配，0元' },
  },
  {
    name: 'decimal points',
    input: {
      budget: 1000,
      roundingUnit: 10,
      method: { kind: 'rankPoints', points: [{ fromRank: 1, toRank: 1, points: 1.5 }, { fromRank: 2, toRank: 2, points: 0.5 }] },
      units: units(['a', 90], ['b', 80]),
    },
    amounts: { a: 750, b: 250 },
    explain: { a: '计1.5点；按点数比例：1000元×1.5÷2=750元' },
  },
];

const basePlusTopUp: Case[] = [
  {
    name: 'equal base, the rest by score',
    input: {
      budget: 10000,
      method: { kind: 'basePlusTopUp', base: 1000 },
      units: units(['a', 60], ['b', 40], ['c', 0], ['v', 99, { veto: true }]),
    },
    amounts: { a: 5200, b: 3800, c: 1000, v: 0 },
    balance: 0,
    explain: { a: '第2名，得分60.00；基础金额1000元；增量部分按得分比例：7000元×60.00÷100.00=4200元；合计5200元' },
    notes: ['基础金额1000元×3个=3000元，余下7000元按得分比例分配'],
  },
  {
    name: 'base over budget is refused',
    input: { budget: 1000, method: { kind: 'basePlusTopUp', base: 600 }, units: units(['a', 1], ['b', 2]) },
    error: { code: 'base_over_budget', message: ['2个合格单位×基础金额600元=1200元，超过预算1000元'] },
  },
  {
    name: 'base plus rank points',
    input: {
      budget: 10000,
      roundingUnit: 100,
      method: {
        kind: 'basePlusTopUp',
        base: 2000,
        points: [{ fromRank: 1, toRank: 1, points: 3 }, { fromRank: 2, toRank: 3, points: 1 }],
      },
      units: units(['a', 90], ['b', 80], ['c', 70]),
    },
    // pool 4000 by points 3:1:1 → 2400, 800, 800
    amounts: { a: 4400, b: 2800, c: 2800 },
    balance: 0,
  },
  {
    name: 'floor above the base, cap on the total',
    input: {
      budget: 10000,
      floor: 1500,
      cap: 5000,
      method: { kind: 'basePlusTopUp', base: 1000 },
      units: units(['a', 90], ['b', 9], ['c', 1]),
    },
    // pool 7000; c floored (top-up 500); λ = 6500 ÷ 99: b's top-up 590.90… → 1590; a's total 6909.09… capped.
    amounts: { a: 5000, b: 1590, c: 1500 },
    balance: 1910,
    explain: {
      a: '合计6909.09…元，超过封顶5000元，按封顶发放5000元（多出部分留作结余）',
      b: '单位分值金额65.6565…元/分×9.00分=590.90…元，按元向下取整为590元；合计1590元',
      c: '合计1065.65…元，低于保底1500元，按保底发放1500元',
    },
  },
  {
    name: 'floors that cannot be met are refused',
    input: { budget: 1000, floor: 600, method: { kind: 'basePlusTopUp', base: 100 }, units: units(['a', 1], ['b', 2]) },
    error: { code: 'floors_over_budget', message: ['2个合格单位×保底600元=1200元，超过预算1000元'] },
  },
  {
    name: 'budget smaller than the rounding unit',
    input: { budget: 999, roundingUnit: 1000, method: { kind: 'basePlusTopUp', base: 0 }, units: units(['a', 1]) },
    amounts: { a: 0 },
    balance: 999,
  },
  {
    name: 'zero scores: base only',
    input: { budget: 1000, method: { kind: 'basePlusTopUp', base: 100 }, units: units(['a', 0], ['b', 0]) },
    amounts: { a: 100, b: 100 },
    balance: 800,
  },
];

describe('proportional', () => {
  it.each(proportional.map((c) => [c.name, c] as const))('%s', (_, c) => run(c));
});
describe('tiers', () => {
  it.each(tiers.map((c) => [c.name, c] as const))('%s', (_, c) => run(c));
});
describe('rankPoints', () => {
  it.each(rankPoints.map((c) => [c.name, c] as const))('%s', (_, c) => run(c));
});
describe('basePlusTopUp', () => {
  it.each(basePlusTopUp.map((c) => [c.name, c] as const))('%s', (_, c) => run(c));
});

describe('rows', () => {
  it('are ordered by rank, then id, whatever the input order', () => {
    const r = ok(allocate({ budget: 100, method: { kind: 'proportional' }, units: units(['z', 1], ['b', 5], ['a', 5]) }));
    expect(r.rows.map((x) => [x.id, x.rank])).toEqual([['a', 1], ['b', 1], ['z', 3]]);
  });
  it('say how ranks were found', () => {
    const r = ok(allocate({ budget: 100, method: { kind: 'proportional' }, units: units(['a', 1]) }));
    expect(r.notes[1]).toContain('名次按得分计算，同分并列');
  });
});
