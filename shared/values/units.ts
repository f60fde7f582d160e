// Units written inside cells, by family. A cell's own unit decides how it is read; a unit of another
// family (90人 in an area column) is an error, never silently dropped.

export type UnitFamily = 'count' | 'money' | 'area' | 'hours' | 'percent';

export interface UnitInfo {
  family: UnitFamily;
  /** The canonical unit is 10^exp of this one (公顷 → 平方米: 4). All supported factors are powers of ten,
   * so conversions stay exact. */
  exp: number;
}

const COUNTERS = [
  '次', '人', '个', '名', '户', '项', '处', '件', '场', '期', '篇', '份', '家', '位', '条', '本', '间', '所',
  '座', '支', '批', '回', '届', '人次', '户次', '场次', '轮',
];

const TABLE: Readonly<Record<string, UnitInfo>> = {
  ...Object.fromEntries(COUNTERS.map((u) => [u, { family: 'count', exp: 0 }])),
  元: { family: 'money', exp: 0 },
  块: { family: 'money', exp: 0 },
  块钱: { family: 'money', exp: 0 },
  元人民币: { family: 'money', exp: 0 },
  平方米: { family: 'area', exp: 0 },
  平米: { family: 'area', exp: 0 },
  平方: { family: 'area', exp: 0 },
  平方公尺: { family: 'area', exp: 0 },
  m2: { family: 'area', exp: 0 }, // ㎡ and m² arrive as m2 after NFKC
  'm^2': { family: 'area', exp: 0 },
  公顷: { family: 'area', exp: 4 },
  学时: { family: 'hours', exp: 0 },
  个学时: { family: 'hours', exp: 0 },
  课时: { family: 'hours', exp: 0 },
  个课时: { family: 'hours', exp: 0 },
  小时: { family: 'hours', exp: 0 },
  个小时: { family: 'hours', exp: 0 },
  h: { family: 'hours', exp: 0 },
  '%': { family: 'percent', exp: 0 },
};

/** Units that belong to a family but cannot be converted exactly: the reason tells the officer what to do. */
const UNCONVERTIBLE: Readonly<Record<string, { family: UnitFamily; reason: string }>> = {
  亩: { family: 'area', reason: '“亩”不能精确换算为平方米（1亩约合666.67平方米），请换算成平方米后填写' },
  天: { family: 'hours', reason: '“天”不能换算为学时，请填写学时数' },
  日: { family: 'hours', reason: '“日”不能换算为学时，请填写学时数' },
  分钟: { family: 'hours', reason: '“分钟”请换算成学时（小时）后填写' },
  '‰': { family: 'percent', reason: '千分比请换算成百分比后填写' },
};

/** Lower-case, drop one pair of brackets: "(平方米)" → "平方米", "M2" → "m2". */
function key(unit: string): string {
  const u = unit.toLowerCase();
  const m = /^\((.+)\)$/.exec(u);
  return m ? m[1]! : u;
}

export function lookupUnit(unit: string): UnitInfo | undefined {
  return TABLE[key(unit)];
}

export function unconvertibleUnit(unit: string): { family: UnitFamily; reason: string } | undefined {
  return UNCONVERTIBLE[key(unit)];
}

/** The canonical spelling used in messages (the key without brackets). */
export function unitKey(unit: string): string {
  return key(unit);
}

export const FAMILY_NAME: Readonly<Record<UnitFamily, string>> = {
  count: '计数',
  money: '金额',
  area: '面积',
  hours: '学时',
  percent: '百分比',
};

export const FAMILY_UNIT: Readonly<Record<UnitFamily, string>> = {
  count: '次、人、个等',
  money: '元',
  area: '平方米',
  hours: '学时',
  percent: '%',
};
