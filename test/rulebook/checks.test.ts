// A county rulebook may set any parameter of any check (`checks`: a term's years, a frequency's times and per,
// a range's min and max, a threshold's value and comparison), validated with Chinese messages naming the field.
// Each setting reaches both engines (the explaining one, evaluate.ts + checks.ts, and the deciding one,
// compiled.ts), and article 8's explanation says which term was applied and why.
import { describe, expect, it } from 'vitest';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { applyCountyChecks, CountyRulebookError, FIVE_YEAR_TERM, parseCountyRulebook, type CountyRulebook } from '../../shared/rulebook/county.ts';
import { prepareEngine, type Engine } from '../../shared/scoring/evaluate.ts';
import { scoreSheetRows, type SheetRows } from '../../shared/scoring/sheet.ts';
import { scoreSheetCompact, statusAt, STATUS_OF_CODE } from '../../shared/scoring/compiled.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import type { ColumnReport, RawCell } from '../../shared/types.ts';

const base = defaultRulebook();
type Json = Record<string, any>;
const withChecks = (checks: unknown[]): Json => ({ ...JSON.parse(JSON.stringify(example)), checks });

function problemsOf(json: unknown): { path: string; message: string }[] {
  try {
    parseCountyRulebook(json, base);
  } catch (e) {
    expect(e).toBeInstanceOf(CountyRulebookError);
    return (e as CountyRulebookError).problems;
  }
  throw new Error('expected the rulebook to be rejected');
}

describe('validation of checks', () => {
  const table: [string, unknown[], string, RegExp][] = [
    ['unknown ref', [{ ref: 'basic-99', set: { years: 5 } }], 'checks[0].ref', /找不到条款或要求“basic-99”/],
    ['years on a frequency', [{ ref: 'basic-18-b', set: { years: 5 } }], 'checks[0].set.years', /次数类检查，不能设定 years（可设定：times、per）/],
    ['times on a term', [{ ref: 'basic-8', set: { times: 2 } }], 'checks[0].set.times', /任期类检查，不能设定 times（可设定：years）/],
    ['min on a threshold', [{ ref: 'basic-24', set: { min: 2 } }], 'checks[0].set.min', /数值阈值类检查，不能设定 min/],
    ['anything on a judgement', [{ ref: 'basic-2', set: { value: 1 } }], 'checks[0].set.value', /评价类检查，不能设定 value（可设定：无）/],
    ['years not an integer', [{ ref: 'basic-8', set: { years: 4.5 } }], 'checks[0].set.years', /必须是整数/],
    ['years over 10', [{ ref: 'basic-8', set: { years: 11 } }], 'checks[0].set.years', /任期最多10年/],
    ['years as text', [{ ref: 'basic-8', set: { years: '5' } }], 'checks[0].set.years', /必须是数字/],
    ['times zero', [{ ref: 'basic-18-b', set: { times: 0 } }], 'checks[0].set.times', /次数至少为1/],
    ['per unknown', [{ ref: 'basic-18-b', set: { per: 'week' } }], 'checks[0].set.per', /周期 per 应为/],
    ['op unknown', [{ ref: 'basic-24', set: { op: '=' } }], 'checks[0].set.op', /比较方式 op 应为/],
    ['min above max (merged)', [{ ref: 'basic-9-e', set: { min: 8 } }], 'checks[0].set', /下限 min（8）不能大于上限 max（7）/],
    ['empty set', [{ ref: 'basic-8', set: {} }], 'checks[0].set', /至少要设定一个参数/],
    ['unknown key', [{ ref: 'basic-8', set: { yaers: 5 } }], 'checks[0].set.yaers', /不认识的字段/],
    ['set twice', [{ ref: 'basic-8', set: { years: 5 } }, { ref: 'basic-8', set: { years: 4 } }], 'checks[1].ref', /已在 checks\[0\] 中设定/],
    ['article and its requirement', [{ ref: 'basic-18', set: { per: 'quarter' } }, { ref: 'basic-18-b', set: { times: 2 } }], 'checks[1].ref', /已在 checks\[0\] 中设定/],
    ['missing set', [{ ref: 'basic-8' }], 'checks[0].set', /缺少必填字段/],
  ];
  it.each(table)('%s', (_name, checks, path, message) => {
    const problems = problemsOf(withChecks(checks));
    const p = problems.find((x) => x.path === path);
    expect(p, JSON.stringify(problems)).toBeDefined();
    expect(p!.message).toMatch(message);
  });

  it('a value set both here and by a scoring item’s threshold is refused', () => {
    const j = withChecks([{ ref: 'basic-24', set: { value: 120 } }]);
    const k = (j.scoring.items as Json[]).findIndex((i) => i.ref === 'basic-24');
    expect(k).toBeGreaterThanOrEqual(0);
    j.scoring.items[k].threshold = 100;
    expect(problemsOf(j)).toEqual([{ path: 'checks[0].set.value', message: `要求“basic-24”的阈值已在 scoring.items[${k}].threshold 中调整，不能再设定 value` }]);
  });

  it('valid settings parse, and apply to a copy: the standards are left as they were', () => {
    const cr = parseCountyRulebook(withChecks([FIVE_YEAR_TERM, { ref: 'basic-18', set: { per: 'quarter' } }, { ref: 'basic-9-e', set: { min: 2, max: 10 } }]), base);
    const { rulebook, changes } = applyCountyChecks(base, cr);
    const check = (rb: typeof base, id: string) => rb.articles.flatMap((a) => a.requirements).find((q) => q.id === id)!.check;
    expect(check(rulebook, 'basic-8')).toEqual({ kind: 'term', input: 'lastElection', years: 5 });
    expect(rulebook.articles.flatMap((a) => a.requirements).find((q) => q.id === 'basic-8')!.title).toBe('任期5年（县定），期满按时换届');
    expect(check(base, 'basic-8')).toEqual({ kind: 'term', input: 'lastElection', years: 3 });
    // An article ref sets every requirement of the article.
    for (const id of ['basic-18-a', 'basic-18-b', 'basic-18-f']) expect(check(rulebook, id)).toMatchObject({ kind: 'frequency', per: 'quarter' });
    expect(check(rulebook, 'basic-9-e')).toMatchObject({ min: 2, max: 10 });
    expect(changes.get('basic-8')).toEqual({ from: { years: 3 }, to: { years: 5 }, basis: FIVE_YEAR_TERM.basis });
    expect(changes.get('basic-9-e')).toEqual({ from: { min: 3, max: 7 }, to: { min: 2, max: 10 } });
    // Untouched articles are the same objects.
    expect(rulebook.articles[0]).toBe(base.articles[0]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Applied: one village row, one requirement, both engines, without and with the county setting.

interface Applied {
  name: string;
  change: { ref: string; set: Record<string, unknown>; basis?: string };
  requirement: string;
  period: string;
  inputs: Record<string, string>;
  /** Status by the standards, and with the county's setting. */
  standards: string;
  county: string;
  /** In the explanation with the setting. */
  says: RegExp;
}

const APPLIED: Applied[] = [
  {
    name: 'term 5 years: elected 2021-11, 2026Q3 within the term',
    change: FIVE_YEAR_TERM,
    requirement: 'basic-8',
    period: '2026Q3',
    inputs: { lastElection: '2021年11月', electedOnTime: '否' },
    standards: 'fail',
    county: 'pass',
    says: /^基本标准第8条（任期5年（县定），期满按时换届）：.*任期5年至2026年11月届满.*按县级规则任期5年计（标准原文为3年；依据：《中国共产党农村基层组织工作条例》（2019年）/,
  },
  {
    name: 'term 5 years: elected 2021-11, the year 2026 ends after it',
    change: FIVE_YEAR_TERM,
    requirement: 'basic-8',
    period: '2026',
    inputs: { lastElection: '2021年11月', electedOnTime: '否' },
    standards: 'fail',
    county: 'fail',
    says: /已于2026年11月届满/,
  },
  {
    name: 'term 5 years: elected 2024-03 passes either way',
    change: { ref: 'basic-8', set: { years: 5 } },
    requirement: 'basic-8',
    period: '2026',
    inputs: { lastElection: '2024年3月' },
    standards: 'pass',
    county: 'pass',
    // Either term passes the village: the reasons are not repeated in its note.
    says: /按县级规则任期5年计$/,
  },
  {
    name: 'frequency per quarter instead of per month',
    change: { ref: 'basic-18-b', set: { per: 'quarter' }, basis: '县委组织部2026年1号文' },
    requirement: 'basic-18-b',
    period: '2026Q3',
    inputs: { committeeMeetings: '1' },
    standards: 'fail',
    county: 'pass',
    says: /应不少于1次.*（县级规则：每季度，标准原文每月；依据：县委组织部2026年1号文）/,
  },
  {
    name: 'frequency twice a month',
    change: { ref: 'basic-18-b', set: { times: 2 } },
    requirement: 'basic-18-b',
    period: '2026Q3',
    inputs: { committeeMeetings: '4' },
    standards: 'pass',
    county: 'fail',
    says: /应不少于6次.*（县级规则：2次，标准原文1次）/,
  },
  {
    name: 'range widened',
    change: { ref: 'basic-9-e', set: { min: 2, max: 10 } },
    requirement: 'basic-9-e',
    period: '2026',
    inputs: { reserveCadres: '9' },
    standards: 'fail',
    county: 'pass',
    says: /在2至10人之间（县级规则：下限2、上限10，标准原文下限3、上限7）/,
  },
  {
    name: 'threshold raised',
    change: { ref: 'basic-24', set: { value: 120 } },
    requirement: 'basic-24',
    period: '2026',
    inputs: { activityArea: '100' },
    standards: 'pass',
    county: 'fail',
    says: /不符合“不低于120平方米”（县级规则：标准值120，标准原文标准值90）/,
  },
];

function sheet(a: Applied): SheetRows {
  const inputs: Record<string, string> = { orgType: '党支部', ...a.inputs };
  const columns: ColumnReport[] = Object.keys(inputs).map((id, k) => ({ index: k, letter: String.fromCharCode(65 + k), header: id, input: id, confidence: 1, matchedBy: 'exact' }));
  const cells: Record<string, RawCell> = {};
  Object.entries(inputs).forEach(([id, value], k) => (cells[id] = { address: `${String.fromCharCode(65 + k)}3`, value }));
  return { name: 't', period: parsePeriodLabel(a.period)!, periodSource: 'option', columns, rows: [{ row: 3, cells }], skippedRows: [], headerRows: { top: 1, bottom: 1 } };
}

/** The requirement's status and message by the explaining engine, and its status by the deciding engine. */
function run(engine: Engine, a: Applied): { explained: string; decided: string; message: string } {
  const s = sheet(a);
  const v = scoreSheetRows(engine, s).villages[0]!;
  const r = v.results.find((x) => x.id === a.requirement);
  const fast = scoreSheetCompact(engine, s);
  const decided = STATUS_OF_CODE[statusAt(fast, 0, fast.requirementIds.indexOf(a.requirement))]!;
  return { explained: r?.status ?? 'skip', decided, message: r?.message ?? '' };
}

describe('a setting reaches both engines and the explanation', () => {
  it.each(APPLIED.map((a) => [a.name, a] as const))('%s', (_name, a) => {
    const county: CountyRulebook = parseCountyRulebook(withChecks([a.change]), base);
    const plain = run(prepareEngine(base, parseCountyRulebook(withChecks([]), base)), a);
    const set = run(prepareEngine(base, county), a);
    expect([plain.explained, plain.decided], plain.message).toEqual([a.standards, a.standards]);
    expect([set.explained, set.decided], set.message).toEqual([a.county, a.county]);
    expect(set.message, set.message).toMatch(a.says);
    expect(plain.message).not.toContain('县级规则：');
  });

  it('article 8 without a county setting says the standards’ 3 years applied, and that the rules in force say 5', () => {
    const a = APPLIED[0]!;
    const { message } = run(prepareEngine(base), a);
    expect(message).toMatch(/^基本标准第8条/);
    expect(message).toContain('按标准原文任期3年计');
    expect(message).toContain('（2019年《农村基层组织工作条例》已为5年，县级规则可设定）');
  });
});
