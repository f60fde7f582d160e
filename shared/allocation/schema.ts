// The allocation input, validated with valibot. Every problem is reported as `path：message` in Chinese,
// e.g. `method.tiers[1].amount：必须是非负整数`. Shape checks come from the schema; checks across fields
// (multiples of the rounding unit, rank tables, ranks against scores, unique ids) follow in `validateAllocationInput`.
import * as v from 'valibot';
import { checkGivenRanks, rangeLabel } from './ranks.ts';
import { ROUNDING_UNITS, formatHundredthsShort, hasAtMostTwoDecimals, toHundredths, unitName } from './rounding.ts';
import type { AllocationInput, RankRange, RoundingUnit } from './types.ts';

const MAX_MONEY = Number.MAX_SAFE_INTEGER;
const MAX_SCORE = 1_000_000_000;

const NON_NEG_INT = '必须是非负整数';
const POS_INT = '必须是正整数';
const BOOL = '必须是true或false';
const TEXT = '必须是文字';
const OBJECT = '必须是对象';
const ARRAY = '必须是数组';

const money = (msg: string, min: number) =>
  v.pipe(v.number(msg), v.integer(msg), v.minValue(min, msg), v.maxValue(MAX_MONEY, `不得超过${MAX_MONEY}元`));

const decimal2 = (msg: string) =>
  v.pipe(
    v.number(msg),
    v.minValue(0, msg),
    v.maxValue(MAX_SCORE, `不得超过${MAX_SCORE}`),
    v.check(hasAtMostTwoDecimals, '最多两位小数'),
  );

const rankNumber = v.pipe(v.number(POS_INT), v.integer(POS_INT), v.minValue(1, POS_INT), v.maxValue(1_000_000, '不得超过1000000'));

const unitSchema = v.strictObject(
  {
    id: v.pipe(v.string(TEXT), v.check((s) => s.trim() !== '', '不能为空')),
    name: v.string(TEXT),
    score: decimal2('必须是不小于0的数字（最多两位小数）'),
    rank: v.optional(rankNumber),
    level: v.optional(v.string(TEXT)),
    veto: v.optional(v.boolean(BOOL)),
    weak: v.optional(v.boolean(BOOL)),
  },
  OBJECT,
);

const tierSchema = v.strictObject(
  { fromRank: rankNumber, toRank: rankNumber, amount: money(NON_NEG_INT, 0) },
  OBJECT,
);

const pointsEntrySchema = v.strictObject(
  { fromRank: rankNumber, toRank: rankNumber, points: decimal2('必须是不小于0的数字（最多两位小数）') },
  OBJECT,
);

const pointsTable = v.pipe(v.array(pointsEntrySchema, ARRAY), v.minLength(1, '至少需要一档'));

const METHOD_KINDS = ['tiers', 'proportional', 'rankPoints', 'basePlusTopUp'] as const;
const METHOD_KIND_MSG = `必须是${METHOD_KINDS.join('、')}之一`;

const methodSchema = v.variant(
  'kind',
  [
    v.strictObject(
      {
        kind: v.literal('tiers'),
        tiers: v.pipe(v.array(tierSchema, ARRAY), v.minLength(1, '至少需要一档')),
        onOverflow: v.optional(v.picklist(['error', 'scale'], '必须是error或scale')),
      },
      OBJECT,
    ),
    v.strictObject({ kind: v.literal('proportional') }, OBJECT),
    v.strictObject({ kind: v.literal('rankPoints'), points: pointsTable }, OBJECT),
    v.strictObject(
      { kind: v.literal('basePlusTopUp'), base: money(NON_NEG_INT, 0), points: v.optional(pointsTable) },
      OBJECT,
    ),
  ],
  METHOD_KIND_MSG,
);

const eligibilitySchema = v.strictObject(
  {
    excludeVeto: v.optional(v.boolean(BOOL)),
    excludeWeak: v.optional(v.boolean(BOOL)),
    minLevel: v.optional(
      v.pipe(
        v.array(v.pipe(v.string(TEXT), v.check((s) => s.trim() !== '', '不能为空')), ARRAY),
        v.minLength(1, '至少列出一个等次'),
      ),
    ),
    minScore: v.optional(decimal2('必须是不小于0的数字（最多两位小数）')),
  },
  OBJECT,
);

/** The valibot schema of `AllocationInput` (shape only; see `validateAllocationInput` for the rest). */
export const allocationInputSchema = v.strictObject(
  {
    budget: money('必须是正整数（元）', 1),
    method: methodSchema,
    units: v.pipe(v.array(unitSchema, ARRAY), v.minLength(1, '没有任何单位')),
    roundingUnit: v.optional(v.picklist(ROUNDING_UNITS, '必须是1、10、100或1000（元）')),
    eligibility: v.optional(eligibilitySchema),
    floor: v.optional(money(NON_NEG_INT, 0)),
    cap: v.optional(money(POS_INT, 1)),
    redistributeCapped: v.optional(v.boolean(BOOL)),
  },
  OBJECT,
);

// Field names by place, to list them when a field is not recognised.
const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': ['budget', 'method', 'units', 'roundingUnit', 'eligibility', 'floor', 'cap', 'redistributeCapped'],
  units: ['id', 'name', 'score', 'rank', 'level', 'veto', 'weak'],
  eligibility: ['excludeVeto', 'excludeWeak', 'minLevel', 'minScore'],
  tiers: ['fromRank', 'toRank', 'amount'],
  points: ['fromRank', 'toRank', 'points'],
  'method:tiers': ['kind', 'tiers', 'onOverflow'],
  'method:proportional': ['kind'],
  'method:rankPoints': ['kind', 'points'],
  'method:basePlusTopUp': ['kind', 'base', 'points'],
};

type Key = string | number;

/** ['method', 'tiers', 1, 'amount'] → method.tiers[1].amount */
export function formatPath(keys: readonly Key[]): string {
  let s = '';
  for (const k of keys) s += typeof k === 'number' ? `[${k}]` : s === '' ? k : `.${k}`;
  return s;
}

function knownKeysAt(parent: readonly Key[], raw: unknown): readonly string[] | undefined {
  const named = parent.filter((k): k is string => typeof k === 'string');
  const last = named[named.length - 1] ?? '';
  if (last === 'method') {
    const kind = (raw as { method?: { kind?: unknown } } | null)?.method?.kind;
    return typeof kind === 'string' ? KNOWN_KEYS[`method:${kind}`] : undefined;
  }
  return KNOWN_KEYS[last];
}

function issueText(issue: v.BaseIssue<unknown>, raw: unknown): string {
  const keys: Key[] = (issue.path ?? []).map((p) => p.key as Key);
  const path = formatPath(keys);
  let message = issue.message;
  if (issue.type === 'strict_object' || issue.type === 'object') {
    if (issue.expected === 'never') {
      const known = knownKeysAt(keys.slice(0, -1), raw);
      message = known ? `不认识的字段（可用字段：${known.join('、')}）` : '不认识的字段';
    } else if (issue.received === 'undefined' && issue.expected?.startsWith('"')) {
      message = '缺少此字段';
    }
  } else if (issue.type === 'variant' && keys[keys.length - 1] !== 'kind') {
    message = `必须是对象，含kind字段（${METHOD_KINDS.join('、')}）`;
  } else if (issue.type === 'variant' && issue.received === 'undefined') {
    message = `缺少此字段（${METHOD_KINDS.join('、')}）`;
  }
  return path === '' ? message : `${path}：${message}`;
}

function checkRankTable(table: readonly RankRange[], path: string, valueOf: (i: number) => bigint, valueLabel: (x: bigint) => string): string[] {
  const problems: string[] = [];
  table.forEach((t, i) => {
    const at = `${path}[${i}]`;
    if (t.toRank < t.fromRank) problems.push(`${at}.toRank：不得小于fromRank（${t.fromRank}）`);
    if (i === 0) {
      if (t.fromRank !== 1) problems.push(`${at}.fromRank：第一档须从第1名开始（否则名次靠后的单位反而多得）`);
      return;
    }
    const prev = table[i - 1]!;
    if (t.fromRank !== prev.toRank + 1) {
      problems.push(
        `${at}.fromRank：须紧接上一档（${rangeLabel(prev)}）之后，应为${prev.toRank + 1}；各档须按名次从前到后连续排列`,
      );
    }
    if (valueOf(i) > valueOf(i - 1)) {
      problems.push(`${at}：不得高于上一档（${rangeLabel(prev)}：${valueLabel(valueOf(i - 1))}），名次靠后不能多得`);
    }
  });
  return problems;
}

/** Checks across fields, on input that already has the right shape. */
function crossCheck(input: AllocationInput): string[] {
  const problems: string[] = [];
  const unit: RoundingUnit = input.roundingUnit ?? 1;
  const multiple = (path: string, x: number | undefined) => {
    if (x !== undefined && x % unit !== 0) problems.push(`${path}：须为取整单位${unit}元（${unitName(unit)}）的整数倍`);
  };

  const seen = new Map<string, number>();
  input.units.forEach((u, i) => {
    const first = seen.get(u.id);
    if (first !== undefined) problems.push(`units[${i}].id：与units[${first}]重复（“${u.id}”）`);
    else seen.set(u.id, i);
  });

  const withRank = input.units.filter((u) => u.rank !== undefined).length;
  if (withRank > 0 && withRank < input.units.length) {
    const i = input.units.findIndex((u) => u.rank === undefined);
    problems.push(
      `units[${i}].rank：${withRank}个单位填写了排名，其余未填；请全部填写，或全部留空（留空时按得分计算并列名次）`,
    );
  } else if (withRank > 0) {
    problems.push(
      ...checkGivenRanks(
        input.units.map((u, index) => ({ id: u.id, name: u.name, hundredths: toHundredths(u.score), rank: u.rank!, index })),
      ),
    );
  }

  multiple('floor', input.floor);
  multiple('cap', input.cap);
  if (input.floor !== undefined && input.cap !== undefined && input.cap < input.floor) {
    problems.push(`cap：不得小于floor（${input.floor}元）`);
  }

  const m = input.method;
  if (m.kind === 'tiers') {
    m.tiers.forEach((t, i) => multiple(`method.tiers[${i}].amount`, t.amount));
    problems.push(
      ...checkRankTable(m.tiers, 'method.tiers', (i) => BigInt(m.tiers[i]!.amount), (x) => `${x}元`),
    );
    if (input.redistributeCapped === true) {
      problems.push('redistributeCapped：固定档额法（tiers）不支持封顶再分配，封顶多出的金额留作结余');
    }
  }
  if (m.kind === 'basePlusTopUp') {
    multiple('method.base', m.base);
    if (input.cap !== undefined && input.cap < m.base) problems.push(`cap：不得小于基础金额method.base（${m.base}元）`);
  }
  if ((m.kind === 'rankPoints' || m.kind === 'basePlusTopUp') && m.points) {
    const pts = m.points;
    problems.push(
      ...checkRankTable(pts, 'method.points', (i) => toHundredths(pts[i]!.points), (x) => `${formatHundredthsShort(x)}点`),
    );
  }
  return problems;
}

export type Validated = { ok: true; value: AllocationInput } | { ok: false; issues: string[] };

/** Validate an allocation input from anywhere (JSON, a form, a test). */
export function validateAllocationInput(raw: unknown): Validated {
  const parsed = v.safeParse(allocationInputSchema, raw);
  if (!parsed.success) return { ok: false, issues: parsed.issues.map((i) => issueText(i, raw)) };
  const value: AllocationInput = parsed.output;
  const problems = crossCheck(value);
  return problems.length > 0 ? { ok: false, issues: problems } : { ok: true, value };
}
