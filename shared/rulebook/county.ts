// A county's published rulebook: points, thresholds and deduction styles per item, veto and bonus items,
// grade and star bands (with quotas), 示范/中间/后进 groups and 软弱涣散 triggers, with the period it takes
// effect. Validated with valibot (schema) and then against the standards (references, styles).
import * as v from 'valibot';
import type { Article, Check, InputDef, Rulebook } from '../types.ts';
import { parsePeriodLabel } from '../scoring/period.ts';

const msg = {
  num: '必须是数字',
  nonneg: '不能为负数',
  int: '必须是整数',
  str: '必须是文字',
  nonempty: '不能为空',
  share: '必须在0到1之间（如0.1表示10%）',
  cents: '最多保留两位小数',
};

const Points = v.pipe(
  v.number(msg.num),
  v.minValue(0, msg.nonneg),
  v.check((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-9, msg.cents),
);
const Share = v.pipe(v.number(msg.num), v.minValue(0, msg.share), v.maxValue(1, msg.share));
const NonEmpty = v.pipe(v.string(msg.str), v.trim(), v.minLength(1, msg.nonempty));
const PeriodLabel = v.pipe(
  v.string(msg.str),
  v.check((s) => parsePeriodLabel(s) !== undefined, '期次格式应为 2026、2026H1、2026Q3 或 2026-07'),
);

export const DEDUCTION_STYLES = ['allOrNothing', 'perRequirement', 'perMissedEvent', 'perShortfallUnit', 'perFinding', 'graded'] as const;
export type DeductionStyle = (typeof DEDUCTION_STYLES)[number];

/** Messages for object-level issues: a missing required field, a field we do not know, or not an object. */
const unknownKey = (issue: v.BaseIssue<unknown>): string =>
  issue.received === 'undefined' ? '缺少必填字段' : issue.expected === 'never' ? `不认识的字段${issue.received}（请检查拼写）` : '必须是一个对象（{…}）';

const Grades = v.strictObject({ 好: Share, 较好: Share, 一般: Share, 差: Share }, unknownKey);

const Item = v.strictObject(
  {
    ref: NonEmpty,
    points: Points,
    style: v.optional(v.picklist(DEDUCTION_STYLES, `扣分方式应为：${DEDUCTION_STYLES.join('、')}`)),
    per: v.optional(Points),
    unit: v.optional(v.pipe(v.number(msg.num), v.gtValue(0, '必须大于0'))),
    floorAtZero: v.optional(v.boolean('必须是 true 或 false')),
    threshold: v.optional(v.number(msg.num)),
    grades: v.optional(Grades),
    note: v.optional(v.string(msg.str)),
  },
  unknownKey,
);

const Level = v.strictObject(
  {
    name: NonEmpty,
    min: v.number(msg.num),
    requires: v.optional(
      v.array(v.picklist(['noVeto', 'basicAllPass', 'demoAllPass'] as const, '条件应为 noVeto、basicAllPass 或 demoAllPass')),
    ),
  },
  unknownKey,
);

const StarBand = v.strictObject(
  {
    stars: v.pipe(v.number(msg.num), v.integer(msg.int), v.minValue(1, '星级至少为1'), v.maxValue(5, '星级最多为5')),
    min: v.number(msg.num),
    quota: v.optional(Share),
  },
  unknownKey,
);

const WeakTrigger = v.variant(
  'kind',
  [
    v.strictObject({ kind: v.literal('scoreBelow'), value: v.number(msg.num) }, unknownKey),
    v.strictObject({ kind: v.literal('veto') }, unknownKey),
    v.strictObject({ kind: v.literal('bottomShare'), share: Share }, unknownKey),
    v.strictObject({ kind: v.literal('failsRef'), ref: NonEmpty }, unknownKey),
    v.strictObject({ kind: v.literal('flag'), input: NonEmpty }, unknownKey),
  ],
  '软弱涣散触发条件 kind 应为 scoreBelow、veto、bottomShare、failsRef 或 flag',
);

/** The parameters a county may set on a check, by kind (input, kind and wording stay the standards'). */
export const CHECK_PARAMS = {
  threshold: ['value', 'op', 'per'],
  param: ['op'],
  range: ['min', 'max'],
  frequency: ['times', 'per'],
  ratio: ['value', 'op'],
  flag: ['expect'],
  judgement: [],
  term: ['years'],
} as const satisfies Record<Check['kind'], readonly string[]>;

export const CHECK_KIND_ZH: Record<Check['kind'], string> = {
  threshold: '数值阈值',
  param: '县定数值',
  range: '数值区间',
  frequency: '次数',
  ratio: '比例',
  flag: '是否',
  judgement: '评价',
  term: '任期',
};

const CheckSet = v.strictObject(
  {
    value: v.optional(v.pipe(v.number(msg.num), v.finite(msg.num))),
    op: v.optional(v.picklist(['>=', '>', '<=', '<'] as const, '比较方式 op 应为 >=、>、<= 或 <')),
    min: v.optional(v.pipe(v.number(msg.num), v.minValue(0, msg.nonneg))),
    max: v.optional(v.pipe(v.number(msg.num), v.minValue(0, msg.nonneg))),
    times: v.optional(v.pipe(v.number(msg.num), v.integer(msg.int), v.minValue(1, '次数至少为1'), v.maxValue(1000, '次数过大'))),
    per: v.optional(v.picklist(['month', 'quarter', 'half', 'year', 'biennium'] as const, '周期 per 应为 month、quarter、half、year 或 biennium')),
    years: v.optional(v.pipe(v.number(msg.num), v.integer(msg.int), v.minValue(1, '任期至少1年'), v.maxValue(10, '任期最多10年'))),
    expect: v.optional(v.boolean('必须是 true 或 false')),
  },
  unknownKey,
);
export type CheckSetting = v.InferOutput<typeof CheckSet>;

/** A county's setting of a requirement's check parameters (e.g. basic-8's term: 5 years), with the basis. */
const CheckChange = v.strictObject(
  {
    ref: NonEmpty,
    set: CheckSet,
    /** Why (the document it follows), shown in every explanation of the requirement. */
    basis: v.optional(v.pipe(v.string(msg.str), v.trim(), v.maxLength(300, '依据最多300字'))),
  },
  unknownKey,
);
export type CountyCheckChange = v.InferOutput<typeof CheckChange>;

/** Article 8's term as it stands today: the setting `kaoping county init` offers, and the example of `checks`. */
export const FIVE_YEAR_TERM: CountyCheckChange = {
  ref: 'basic-8',
  set: { years: 5 },
  basis: '《中国共产党农村基层组织工作条例》（2019年）规定村党组织每届任期5年，2021年全国村“两委”换届按5年任期选举',
};

const ExtraInput = v.strictObject(
  {
    id: NonEmpty,
    label: NonEmpty,
    kind: v.picklist(['count', 'number', 'hours', 'money', 'area', 'percent', 'bool', 'judgement'] as const, '输入类型不受支持'),
    unit: v.optional(v.string(msg.str)),
    synonyms: v.array(NonEmpty),
    options: v.optional(v.array(v.string(msg.str))),
  },
  unknownKey,
);

export const CountyRulebookSchema = v.strictObject(
  {
    id: NonEmpty,
    name: NonEmpty,
    county: v.optional(v.string(msg.str)),
    countyCode: v.optional(v.pipe(v.string(msg.str), v.regex(/^\d{6}$/, '县级区划代码应为6位数字'))),
    version: v.optional(v.string(msg.str)),
    effectiveFrom: PeriodLabel,
    params: v.optional(v.record(v.string(), v.number(msg.num))),
    /** Parameters of the standards' checks set by the county (term years, frequencies, ranges, thresholds). */
    checks: v.optional(v.array(CheckChange)),
    inputs: v.optional(v.array(ExtraInput)),
    scoring: v.strictObject(
      {
        notApplicable: v.optional(v.picklist(['full', 'exclude'] as const, '应为 full（不适用项得满分）或 exclude（不计入满分）')),
        items: v.pipe(v.array(Item), v.minLength(1, '至少要有一个计分项')),
      },
      unknownKey,
    ),
    veto: v.optional(v.array(v.strictObject({ ref: NonEmpty, label: v.optional(v.string(msg.str)) }, unknownKey))),
    bonus: v.optional(
      v.array(
        v.strictObject({ id: NonEmpty, label: NonEmpty, input: NonEmpty, pointsPerUnit: Points, max: Points }, unknownKey),
      ),
    ),
    levels: v.optional(v.pipe(v.array(Level), v.minLength(1, '至少要有一个等次'))),
    stars: v.optional(
      v.strictObject(
        { scope: v.optional(v.picklist(['township', 'county'] as const, '应为 township 或 county')), bands: v.array(StarBand) },
        unknownKey,
      ),
    ),
    groups: v.optional(v.strictObject({ method: v.picklist(['share'] as const, '分组方式应为 share'), top: Share, bottom: Share }, unknownKey)),
    weak: v.optional(v.strictObject({ triggers: v.array(WeakTrigger), maxShare: v.optional(Share) }, unknownKey)),
    observation: v.optional(v.strictObject({ weight: Share }, unknownKey)),
    ledger: v.optional(
      v.strictObject({ deadlineDays: v.pipe(v.number(msg.num), v.integer(msg.int), v.minValue(1, '至少1天')) }, unknownKey),
    ),
  },
  unknownKey,
);

export type CountyRulebook = v.InferOutput<typeof CountyRulebookSchema>;
export type CountyItem = v.InferOutput<typeof Item>;

export interface RulebookProblem {
  /** Dotted path of the field, e.g. scoring.items[3].points */
  path: string;
  message: string;
}

export class CountyRulebookError extends Error {
  readonly code = 'bad_rulebook';
  constructor(readonly problems: RulebookProblem[]) {
    super(`县级规则文件有误：${problems.map((p) => `${p.path || '（根）'}：${p.message}`).join('；')}`);
  }
}

function pathOf(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Which requirement ids a ref names: an article (`basic-18`) names all its requirements. */
export function resolveRef(articles: readonly Article[], ref: string): { article: Article; requirementIds: string[] } | undefined {
  for (const a of articles) {
    const articleId = `${a.standard}-${a.article}`;
    if (ref === articleId) return { article: a, requirementIds: a.requirements.map((r) => r.id) };
    const req = a.requirements.find((r) => r.id === ref);
    if (req) return { article: a, requirementIds: [req.id] };
  }
  return undefined;
}

const STYLE_CHECKS: Partial<Record<DeductionStyle, Check['kind'][]>> = {
  perMissedEvent: ['frequency'],
  perShortfallUnit: ['threshold', 'range', 'param'],
  perFinding: ['judgement'],
  graded: ['judgement'],
};

/** Parse and validate a county rulebook against the schema and the standards it refers to. */
export function parseCountyRulebook(json: unknown, base: Rulebook): CountyRulebook {
  if (Array.isArray(json)) throw new CountyRulebookError([{ path: '', message: '必须是一个对象（{…}），不能是数组' }]);
  const r = v.safeParse(CountyRulebookSchema, json);
  if (!r.success) {
    throw new CountyRulebookError(r.issues.map((i) => ({ path: pathOf(i), message: i.message })));
  }
  const cr = r.output;
  const problems: RulebookProblem[] = [];
  const inputIds = new Set([...base.inputs.map((i) => i.id), ...(cr.inputs ?? []).map((i) => i.id)]);
  (cr.inputs ?? []).forEach((inp, k) => {
    if (base.inputs.some((b) => b.id === inp.id)) problems.push({ path: `inputs[${k}].id`, message: `与标准输入项“${inp.id}”重名` });
  });
  const seen = new Map<string, number>();
  cr.scoring.items.forEach((item, k) => {
    const res = resolveRef(base.articles, item.ref);
    if (!res) {
      problems.push({ path: `scoring.items[${k}].ref`, message: `找不到条款或要求“${item.ref}”（应写成 basic-24 或 basic-18-b 这样的编号）` });
      return;
    }
    for (const id of res.requirementIds) {
      const prev = seen.get(id);
      if (prev !== undefined) problems.push({ path: `scoring.items[${k}].ref`, message: `要求“${id}”已在 scoring.items[${prev}] 中计分，不能重复计分` });
      else seen.set(id, k);
    }
    const style = item.style;
    const kinds = res.article.requirements.filter((q) => res.requirementIds.includes(q.id)).map((q) => q.check.kind);
    const allowed = style ? STYLE_CHECKS[style] : undefined;
    if (allowed && !kinds.every((kk) => allowed.includes(kk))) {
      problems.push({ path: `scoring.items[${k}].style`, message: `扣分方式“${style}”只适用于${allowed.join('、')}类要求，“${item.ref}”不适用` });
    }
    if ((style === 'perMissedEvent' || style === 'perFinding' || style === 'perShortfallUnit') && item.per === undefined) {
      problems.push({ path: `scoring.items[${k}].per`, message: `扣分方式“${style}”需要写明每次（每单位）扣分 per` });
    }
    if (style === 'perShortfallUnit' && item.unit === undefined) {
      problems.push({ path: `scoring.items[${k}].unit`, message: '按差额扣分需要写明差额单位 unit（如 10 表示每差10平方米扣一次）' });
    }
    if (item.threshold !== undefined && (res.requirementIds.length !== 1 || !['threshold', 'param', 'ratio'].includes(kinds[0] ?? ''))) {
      problems.push({ path: `scoring.items[${k}].threshold`, message: `只能为单个数值型要求调整阈值，“${item.ref}”不是` });
    }
  });
  checkProblems(cr, base, problems);
  (cr.veto ?? []).forEach((vt, k) => {
    if (!resolveRef(base.articles, vt.ref)) problems.push({ path: `veto[${k}].ref`, message: `找不到条款或要求“${vt.ref}”` });
  });
  (cr.bonus ?? []).forEach((b, k) => {
    if (!inputIds.has(b.input)) problems.push({ path: `bonus[${k}].input`, message: `找不到输入项“${b.input}”（可在 inputs 中声明）` });
  });
  (cr.weak?.triggers ?? []).forEach((t, k) => {
    if (t.kind === 'failsRef' && !resolveRef(base.articles, t.ref)) problems.push({ path: `weak.triggers[${k}].ref`, message: `找不到条款或要求“${t.ref}”` });
    if (t.kind === 'flag' && !inputIds.has(t.input)) problems.push({ path: `weak.triggers[${k}].input`, message: `找不到输入项“${t.input}”` });
  });
  const levels = cr.levels ?? [];
  for (let k = 1; k < levels.length; k++) {
    if (levels[k]!.min > levels[k - 1]!.min) problems.push({ path: `levels[${k}].min`, message: '等次应按分数线从高到低排列' });
  }
  const bands = cr.stars?.bands ?? [];
  for (let k = 1; k < bands.length; k++) {
    if (bands[k]!.stars >= bands[k - 1]!.stars || bands[k]!.min > bands[k - 1]!.min) {
      problems.push({ path: `stars.bands[${k}]`, message: '星级应从高到低排列，分数线依次不高于上一档' });
    }
  }
  if (cr.groups && cr.groups.top + cr.groups.bottom > 1) problems.push({ path: 'groups', message: '示范与后进的比例之和不能超过1' });
  if (problems.length) throw new CountyRulebookError(problems);
  return cr;
}

const defined = (set: CheckSetting): [keyof CheckSetting, NonNullable<CheckSetting[keyof CheckSetting]>][] =>
  (Object.entries(set) as [keyof CheckSetting, CheckSetting[keyof CheckSetting]][]).filter((e): e is [keyof CheckSetting, NonNullable<CheckSetting[keyof CheckSetting]>] => e[1] !== undefined);

/** `checks`: each ref known, each parameter one its check kind has, the merged check sound, no requirement set
 * twice or both here and by an item's threshold. */
function checkProblems(cr: CountyRulebook, base: Rulebook, problems: RulebookProblem[]): void {
  const setBy = new Map<string, number>();
  const thresholdBy = new Map<string, number>();
  cr.scoring.items.forEach((item, k) => {
    if (item.threshold !== undefined) for (const id of resolveRef(base.articles, item.ref)?.requirementIds ?? []) thresholdBy.set(id, k);
  });
  (cr.checks ?? []).forEach((change, k) => {
    const at = `checks[${k}]`;
    const res = resolveRef(base.articles, change.ref);
    if (!res) {
      problems.push({ path: `${at}.ref`, message: `找不到条款或要求“${change.ref}”（应写成 basic-8 或 basic-18-b 这样的编号）` });
      return;
    }
    const keys = defined(change.set);
    if (keys.length === 0) problems.push({ path: `${at}.set`, message: '至少要设定一个参数（如 {"years": 5}）' });
    for (const req of res.article.requirements.filter((q) => res.requirementIds.includes(q.id))) {
      const allowed: readonly string[] = CHECK_PARAMS[req.check.kind];
      for (const [key] of keys) {
        if (!allowed.includes(key)) {
          problems.push({
            path: `${at}.set.${key}`,
            message: `“${req.id}”是${CHECK_KIND_ZH[req.check.kind]}类检查，不能设定 ${key}（可设定：${allowed.join('、') || '无'}）`,
          });
        }
      }
      const merged = { ...req.check, ...change.set } as Check;
      if (merged.kind === 'range' && merged.min > merged.max) problems.push({ path: `${at}.set`, message: `“${req.id}”的下限 min（${merged.min}）不能大于上限 max（${merged.max}）` });
      const prev = setBy.get(req.id);
      if (prev !== undefined) problems.push({ path: `${at}.ref`, message: `要求“${req.id}”的参数已在 checks[${prev}] 中设定，不能重复设定` });
      else setBy.set(req.id, k);
      const item = thresholdBy.get(req.id);
      if (item !== undefined && change.set.value !== undefined) problems.push({ path: `${at}.set.value`, message: `要求“${req.id}”的阈值已在 scoring.items[${item}].threshold 中调整，不能再设定 value` });
    }
  });
}

/** What a county setting changed on one requirement's check: the values it replaced, and the basis. */
export interface AppliedCheckChange {
  from: CheckSetting;
  to: CheckSetting;
  basis?: string;
}

/** The standards with the county's `checks` applied: the requirements' checks replaced by the merged ones (the
 * articles and requirements not touched are shared), and what changed per requirement id. Both scoring engines
 * read their checks from this rulebook (prepareEngine), so a parameter reaches both. */
export function applyCountyChecks(base: Rulebook, county: CountyRulebook | undefined): { rulebook: Rulebook; changes: Map<string, AppliedCheckChange> } {
  const changes = new Map<string, AppliedCheckChange>();
  if (!county?.checks?.length) return { rulebook: base, changes };
  const byId = new Map<string, CountyCheckChange>();
  for (const change of county.checks) for (const id of resolveRef(base.articles, change.ref)?.requirementIds ?? []) byId.set(id, change);
  const articles = base.articles.map((a) => {
    if (!a.requirements.some((q) => byId.has(q.id))) return a;
    return {
      ...a,
      requirements: a.requirements.map((q) => {
        const change = byId.get(q.id);
        if (!change) return q;
        const to = Object.fromEntries(defined(change.set)) as CheckSetting;
        const old = q.check as unknown as Record<string, unknown>;
        const from = Object.fromEntries(Object.keys(to).map((k) => [k, old[k]])) as CheckSetting;
        changes.set(q.id, { from, to, ...(change.basis ? { basis: change.basis } : {}) });
        // A title naming the term (basic-8: 任期3年，期满按时换届) names the county's.
        const title = q.check.kind === 'term' && to.years !== undefined ? q.title.replace(/任期\d+年/, `任期${to.years}年（县定）`) : q.title;
        return { ...q, title, check: { ...q.check, ...to } as Check };
      }),
    };
  });
  return { rulebook: { ...base, articles }, changes };
}

/** The inputs in force: the standards' plus the county's extra ones (bonus columns). */
export function allInputs(base: Rulebook, county?: CountyRulebook): InputDef[] {
  return [...base.inputs, ...((county?.inputs ?? []) as InputDef[])];
}
