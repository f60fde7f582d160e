// Header matching by facets: a normalised label is read as what it is about (书记 / 党员 / 班子 / 两委 / 村集体),
// what happened (培训 / 党员大会 / 支委会 / 党课 / 走访 …), qualifiers (县级以上, 集中, 40岁以下, 正式 …) and what
// is measured (人数 / 次数 / 户数 / 学时 / 面积 / 金额 / 率 / 时间 / 是否). Each input is described the same way,
// from its own label and synonyms, and a header is scored against every input: concepts both share count for,
// concepts only one side has count against, and so do characters the lexicon does not know (耕地面积: 耕地 is
// not about the activity venue). The unit in brackets is a strong signal: a header counting 次 is never an input
// counting 人. Used by InputMatcher after the exact, synonym and article steps; see shared/sheet/README.md.
import type { InputDef, InputKind, RawCell } from '../types.ts';
import type { UnitFamily } from './types.ts';

/** What a column measures. 'count' is a count of unstated things (数, 数量) and fits any of the four counts. */
export type Measure = 'persons' | 'times' | 'households' | 'items' | 'count' | 'hours' | 'area' | 'money' | 'percent' | 'date' | 'bool' | 'text';

const COUNTS = new Set<Measure>(['persons', 'times', 'households', 'items', 'count']);

/** Concepts, each with the surface forms that name it. Longest form wins while reading a label. A weight below 1
 * marks a concept that tells little on its own (党组织, 群众, 农户). A form may also name a measure. */
const LEXICON: { concept: string; weight?: number; forms: string[]; measure?: Measure; veto?: boolean }[] = [
  // subjects
  { concept: '书记', forms: ['书记', '支书', '支部书记', '党组织书记', '党支部书记', '村支书'] },
  { concept: '第一书记', forms: ['第一书记', '驻村第一书记'] },
  { concept: '党员', forms: ['党员'] },
  { concept: '正式', forms: ['正式'] },
  { concept: '班子', forms: ['班子', '班子成员', '支委', '支委成员', '支委会成员', '支部委员', '党支部委员', '委员', '领导班子', '党组织委员'] },
  { concept: '两委', forms: ['两委', '村两委'] },
  { concept: '后备', forms: ['后备', '后备干部', '后备力量', '后备人才', '储备'] },
  { concept: '新党员', forms: ['新党员', '发展党员', '新发展党员', '新发展'] },
  { concept: '积极分子', forms: ['积极分子', '入党积极分子'] },
  { concept: '发展对象', forms: ['发展对象'] },
  { concept: '流动党员', forms: ['流动党员', '外出党员', '外出流动党员', '流入流出党员', '外出务工党员', '流动', '流出党员', '流入党员'] },
  { concept: '困难党员', forms: ['困难党员'] },
  { concept: '组织委员', forms: ['组织委员'] },
  { concept: '纪检', forms: ['纪检', '纪检委员', '纪律检查委员', '纪律检查委员会', '纪委', '纪检专人'] },
  { concept: '群众', weight: 0.3, forms: ['群众', '党员群众'] },
  { concept: '农户', forms: ['农户', '入户'] },
  { concept: '党组织', weight: 0.2, forms: ['党组织', '党支部', '支部', '村党组织', '基层党组织', '组织', '党委', '总支'] },
  { concept: '农民', weight: 0.5, forms: ['农民', '农村居民', '居民', '村民'] },
  { concept: '人均', forms: ['人均'] },
  // events and things
  { concept: '培训', forms: ['培训', '教育培训', '学习培训', '轮训', '参训', '学习', '集中学习'] },
  { concept: '集中', forms: ['集中'] },
  { concept: '县级以上', forms: ['县级以上', '县以上', '县级', '县级及以上'] },
  { concept: '党员大会', forms: ['党员大会', '支部党员大会', '党员大会议'] },
  { concept: '支委会', forms: ['支委会', '支部委员会', '支委会议', '支部委员会会议'] },
  { concept: '党小组会', forms: ['党小组会', '党小组会议'] },
  { concept: '党课', forms: ['党课', '上党课', '讲党课'] },
  { concept: '述职', forms: ['述职'] },
  { concept: '民主评议', forms: ['民主评议'] },
  { concept: '组织生活会', forms: ['组织生活会'] },
  { concept: '民主生活会', forms: ['民主生活会'] },
  { concept: '双重组织生活', forms: ['双重组织生活'] },
  { concept: '组织生活', forms: ['组织生活', '过组织生活'] },
  { concept: '回村', forms: ['回村', '返村', '返乡'] },
  { concept: '主题党日', forms: ['主题党日', '党员活动日', '固定党日', '党日'] },
  { concept: '主题教育', forms: ['主题教育'] },
  { concept: '走访', forms: ['走访', '入户走访'] },
  { concept: '换届', forms: ['换届', '换届选举', '选举', '班子选举', '班子换届', '班子产生'] },
  { concept: '按期', forms: ['按期', '按时', '期满', '如期'] },
  { concept: '排查', forms: ['排查'] },
  { concept: '组织关系', forms: ['组织关系'] },
  { concept: '审核', forms: ['审核'] },
  { concept: '表彰', forms: ['表彰', '党内表彰'] },
  { concept: '公布', forms: ['公布', '公示', '公开'] },
  { concept: '党费', forms: ['党费'] },
  { concept: '足额', forms: ['足额', '按时足额'] },
  { concept: '缴纳', forms: ['缴纳', '交纳', '收缴', '缴交'] },
  { concept: '台账', forms: ['台账'] },
  { concept: '帮扶', weight: 0.3, forms: ['帮扶'] },
  { concept: '远程教育', forms: ['远程教育', '远教', '远程教育站点'] },
  { concept: '播放计划', forms: ['播放计划', '播放'] },
  { concept: '软弱涣散', forms: ['软弱涣散'] },
  { concept: '贫困村', forms: ['贫困村', '建档立卡', '建档立卡贫困村', '建档立卡村'] },
  { concept: '贫困', forms: ['贫困', '贫困人口'] },
  { concept: '发生', forms: ['发生率'], measure: 'percent' },
  { concept: '失联', forms: ['失联'] },
  { concept: '违纪违法', forms: ['违纪违法', '违纪', '违法'] },
  { concept: '上访', forms: ['上访', '越级上访', '群体性上访'] },
  { concept: '治安案件', forms: ['治安案件', '重大治安案件'] },
  { concept: '道路', forms: ['道路', '通村道路', '通村主干道', '通户道路'] },
  { concept: '硬化', forms: ['硬化'] },
  { concept: '住房', forms: ['住房'] },
  { concept: '饮水', forms: ['饮水'] },
  { concept: '主导产业', forms: ['主导产业'] },
  { concept: '带动', forms: ['带动', '辐射带动'] },
  { concept: '周边村', forms: ['周边村', '周边'] },
  { concept: '试点', forms: ['试点'] },
  { concept: '任务', weight: 0.5, forms: ['任务', '年度任务'] },
  { concept: '村民代表会议', forms: ['村民代表会议', '村民代表大会'] },
  { concept: '村民代表', forms: ['村民代表'] },
  { concept: '满意', forms: ['满意度', '满意率', '满意'], measure: 'percent' },
  { concept: '不满意', forms: ['不满意率', '不满意度', '不满意'], measure: 'percent' },
  { concept: '集体经济', forms: ['集体经济', '村集体', '集体', '村级集体', '村集体经济', '村级集体经济'] },
  { concept: '经营性', weight: 0.3, forms: ['经营性'] },
  { concept: '收入', forms: ['收入', '收益', '年收入', '纯收入', '可支配收入', '经营性收入', '经营性收益'] },
  { concept: '活动场所', forms: ['活动场所', '场所', '阵地', '党群服务中心', '服务中心', '村部', '办公场所', '办公用房', '活动阵地', '村级组织活动场所'] },
  { concept: '40岁以下', forms: ['40岁以下', '40岁及以下', '40周岁以下', '40周岁及以下', '四十岁以下'] },
  { concept: '50岁以下', forms: ['50岁以下', '50岁及以下', '50周岁以下', '50周岁及以下', '五十岁以下'] },
  { concept: '高中以上', forms: ['高中以上', '高中及以上', '高中以上学历', '高中及以上学历', '高中以上文化程度', '高中及以上文化程度', '高中以上文化'] },
  { concept: '近两年', forms: ['近两年', '近2年', '两年内', '近二年', '2年内', '两年来'] },
  { concept: '类型', forms: ['类型', '类别', '设置', '形式', '性质', '设置情况', '设置形式', '设置类型', '级别'] },
  { concept: '社区', forms: ['社区', '居', '村居', '村社', '社'] },
  { concept: '名称', forms: ['名称', '名字', '村名', '名', '全称'] },
  { concept: '代码', forms: ['代码', '编码', '区划代码', '区划码', '区划', '区划编码', '行政区划码', '行政区划代码'] },
  { concept: '姓名', forms: ['姓名', '名单'] },
  { concept: '年龄', forms: ['年龄', '平均年龄', '出生年月', '出生日期'] },
  { concept: '乡镇', forms: ['乡镇', '乡', '镇', '街道', '镇街', '乡镇街道'] },
  // Words that make the column another quantity than any input: a target, a plan, a change. No input has them.
  { concept: '目标', veto: true, forms: ['目标', '计划', '预计', '预期', '预算', '任务数', '计划数'] },
  { concept: '变化', veto: true, forms: ['增长', '增幅', '增加', '增减', '同比', '环比', '比上年', '较上年', '上年', '去年', '上年度'] },
  // measure words: they name what is counted, nothing else
  { concept: '', forms: ['人数', '人次', '职数', '名数'], measure: 'persons' },
  { concept: '', forms: ['次数', '场次', '次'], measure: 'times' },
  { concept: '', forms: ['户数', '户'], measure: 'households' },
  { concept: '', forms: ['个数'], measure: 'items' },
  { concept: '', forms: ['数', '数量', '总数'], measure: 'count' },
  { concept: '', forms: ['学时', '课时', '小时', '时长'], measure: 'hours' },
  { concept: '', forms: ['面积', '建筑面积', '办公面积', '使用面积'], measure: 'area' },
  { concept: '', forms: ['金额', '资金'], measure: 'money' },
  { concept: '', forms: ['率', '占比', '比例', '比重', '覆盖率', '覆盖面', '百分比', '%'], measure: 'percent' },
  { concept: '', forms: ['时间', '日期', '年月', '年份', '年月日'], measure: 'date' },
  { concept: '', forms: ['是否', '有无', '是/否', '有/无', '(是/否)', '(有/无)', '是否存在'], measure: 'bool' },
];

/** Words that carry no facet: place and period words, connectives, 其中, punctuation. They are skipped. */
const FILLERS = [
  '村', '全村', '本村', '村级', '行政村', '年度', '本年度', '本年', '当年', '全年', '年', '累计', '合计', '总', '情况', '开展',
  '召开', '参加', '其中', '中', '的', '及', '和', '与', '或', '对', '已', '实际', '共', '各类', '会议', '活动', '工作', '所属',
  '所在', '现有', '确定', '培养', '成员', '干部', '人员', '制定', '落实', '建立', '列为', '配备', '设立', '选派', '有', '无',
  '是', '否', '存在', '发生', '完成', '按', '要求', '本届', '上届', '最近', '一次', '最近一次', '上次', '全',
  '现', '村委会', '村委', '行政', '队伍', '开展次数', '在册', '配齐', '配强', '季度', '本季度', '上半年', '下半年', '月度', '本月', '每月', '平均',
];
const PUNCT = /[\s/、()[\]【】“”"'‘’:：,，.。;；\-—_*★※·?？!！<>《》]/;

interface Form {
  text: string;
  concept: string;
  weight: number;
  measure?: Measure;
}

/** Concepts that, in a header, rule out every input that does not name them itself. */
const VETO = new Set(LEXICON.filter((e) => e.veto).map((e) => e.concept));

const FORMS: Form[] = [];
for (const e of LEXICON) for (const f of e.forms) FORMS.push({ text: f, concept: e.concept, weight: e.weight ?? 1, ...(e.measure ? { measure: e.measure } : {}) });
for (const f of FILLERS) FORMS.push({ text: f, concept: '', weight: 0 });
/** Forms by first character, longest first. */
const BY_FIRST = new Map<string, Form[]>();
for (const f of FORMS) {
  const list = BY_FIRST.get(f.text[0]!) ?? [];
  list.push(f);
  BY_FIRST.set(f.text[0]!, list);
}
for (const list of BY_FIRST.values()) list.sort((a, b) => b.text.length - a.text.length || (a.concept === '' ? 1 : -1));

export interface Facets {
  /** Concept → weight. */
  concepts: Map<string, number>;
  measure?: Measure;
  /** Characters the lexicon does not know (digits and punctuation aside). */
  unknown: number;
}

/** Read a normalised text (headerKey) into facets. */
export function readFacets(text: string): Facets {
  const concepts = new Map<string, number>();
  let measure: Measure | undefined;
  let unknown = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const f = BY_FIRST.get(ch)?.find((x) => text.startsWith(x.text, i));
    if (f) {
      if (f.concept !== '') concepts.set(f.concept, f.weight);
      if (f.measure) measure = f.measure;
      i += f.text.length;
      continue;
    }
    if (!PUNCT.test(ch)) unknown++;
    i++;
  }
  // 其中：… names a part of a count (其中：40岁以下 under 发展党员): a count, not a share.
  if (measure === undefined && text.startsWith('其中')) measure = 'count';
  const out: Facets = { concepts, unknown };
  if (measure !== undefined) out.measure = measure;
  return out;
}

const FAMILY_MEASURE: Record<UnitFamily, Measure> = { money: 'money', area: 'area', percent: 'percent', hours: 'hours', count: 'count' };
const UNIT_MEASURE: Record<string, Measure> = { 人: 'persons', 名: 'persons', 人次: 'persons', 次: 'times', 场: 'times', 期: 'times', 户: 'households', 个: 'items', 处: 'items', 项: 'items', 件: 'items' };

/** The measure a header's unit names: 人 → persons, 次 → times, 万元 → money … */
export function unitMeasure(unit: string | undefined, family: UnitFamily | undefined): Measure | undefined {
  if (unit !== undefined && UNIT_MEASURE[unit] !== undefined) return UNIT_MEASURE[unit];
  return family ? FAMILY_MEASURE[family] : undefined;
}

const KIND_MEASURE: Partial<Record<InputKind, Measure>> = {
  hours: 'hours',
  money: 'money',
  area: 'area',
  percent: 'percent',
  bool: 'bool',
  date: 'date',
  code: 'text',
  text: 'text',
  orgType: 'text',
  unitType: 'text',
};

export function inputMeasure(input: InputDef): Measure | undefined {
  if (input.kind === 'count') return UNIT_MEASURE[input.unit ?? ''] ?? 'count';
  return KIND_MEASURE[input.kind];
}

/** Whether a header measuring `h` can hold an input measuring `i`. */
export function measuresFit(h: Measure, i: Measure): boolean {
  if (h === i) return true;
  if (h === 'count') return COUNTS.has(i);
  if (i === 'count') return COUNTS.has(h);
  return false;
}

export interface InputFacets {
  input: InputDef;
  measure?: Measure;
  /** One concept set per wording (label and synonyms), with the wording it came from. */
  alternatives: { concepts: Map<string, number>; via: string }[];
}

export function describeInput(input: InputDef, keys: readonly string[]): InputFacets {
  const alternatives: InputFacets['alternatives'] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    const f = readFacets(key);
    // A wording the lexicon cannot read completely, or that names no concept of weight 1, describes nothing.
    if (f.unknown > 0 || ![...f.concepts.values()].some((w) => w >= 1)) continue;
    const sig = [...f.concepts.keys()].sort().join('+');
    if (seen.has(sig)) continue;
    seen.add(sig);
    alternatives.push({ concepts: f.concepts, via: key });
  }
  const m = inputMeasure(input);
  return { input, alternatives, ...(m ? { measure: m } : {}) };
}

/** A header read into facets: the leaf's concepts, the parents' concepts (group headers), measure, unknowns. */
export interface HeaderFacets {
  leaf: Map<string, number>;
  parents: Map<string, number>;
  measure?: Measure;
  /** Unknown characters in the leaf (group headers may say anything: 基本情况, 考评指标). */
  unknown: number;
}

const MEASURE_WEIGHT = 0.5;
const UNKNOWN_WEIGHT = 0.35;
const PARENT_EXTRA = 0.25;

/** Score one input against a header: 0 … 1. */
export function scoreFacets(h: HeaderFacets, inp: InputFacets): { score: number; via: string; leafHit: boolean } {
  if (h.measure && inp.measure && !measuresFit(h.measure, inp.measure)) return { score: 0, via: '', leafHit: false };
  let best = { score: 0, via: '', leafHit: false };
  for (const alt of inp.alternatives) {
    let matched = 0;
    let missing = 0;
    let strong = false;
    let leafHit = false;
    for (const [c, w] of alt.concepts) {
      const inLeaf = h.leaf.has(c);
      if (inLeaf || h.parents.has(c)) {
        matched += w;
        if (w >= 1) strong = true;
        if (inLeaf && w >= 1) leafHit = true;
      } else missing += w;
    }
    if (!strong) continue;
    if ([...VETO].some((c) => (h.leaf.has(c) || h.parents.has(c)) && !alt.concepts.has(c))) continue;
    let extra = 0;
    for (const [c, w] of h.leaf) if (!alt.concepts.has(c)) extra += w;
    for (const [c, w] of h.parents) if (!alt.concepts.has(c) && !h.leaf.has(c)) extra += w * PARENT_EXTRA;
    if (h.measure && inp.measure) matched += MEASURE_WEIGHT;
    const score = matched / (matched + missing + extra + h.unknown * UNKNOWN_WEIGHT);
    if (score > best.score) best = { score, via: alt.via, leafHit };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// The column's own values, to break a tie between two close inputs.

export interface ValueProfile {
  n: number;
  dates: number;
  bools: number;
  percents: number;
  integers: number;
  decimals: number;
  texts: number;
}

const BOOL_TEXT = /^(是|否|有|无|√|×|✓|✗|y|n|yes|no)$/i;
const DATE_TEXT = /^\d{4}\s*[-/.年]\s*\d{1,2}(\s*[-/.月]\s*\d{1,2}日?)?月?$/;

export function profileValues(cells: readonly (RawCell | undefined)[]): ValueProfile {
  const p: ValueProfile = { n: 0, dates: 0, bools: 0, percents: 0, integers: 0, decimals: 0, texts: 0 };
  for (const c of cells) {
    if (!c || c.value === null) continue;
    const v = c.value;
    const s = typeof v === 'string' ? v.trim() : '';
    if (typeof v === 'string' && s === '') continue;
    p.n++;
    if (v instanceof Date || (s !== '' && DATE_TEXT.test(s)) || /[yd]/i.test(c.numFmt ?? '')) p.dates++;
    else if (typeof v === 'boolean' || BOOL_TEXT.test(s)) p.bools++;
    else if ((c.numFmt ?? '').includes('%') || /%$/.test(s)) p.percents++;
    else if (typeof v === 'number' || /^-?\d+(\.\d+)?$/.test(s)) {
      const x = typeof v === 'number' ? v : Number(s);
      if (Number.isInteger(x)) p.integers++;
      else p.decimals++;
    } else p.texts++;
  }
  return p;
}

/** Whether most values (≥ 80%) suit what an input measures; undefined when there are too few values to say. */
export function valuesFit(p: ValueProfile, m: Measure | undefined): boolean | undefined {
  if (p.n < 2 || m === undefined) return undefined;
  const share = (k: number) => k / p.n >= 0.8;
  switch (m) {
    case 'date':
      return share(p.dates);
    case 'bool':
      return share(p.bools);
    case 'percent':
      return share(p.percents + p.decimals + p.integers);
    case 'persons':
    case 'times':
    case 'households':
    case 'items':
    case 'count':
      return share(p.integers);
    case 'hours':
    case 'area':
    case 'money':
      return share(p.integers + p.decimals);
    case 'text':
      return share(p.texts + p.integers);
  }
}
