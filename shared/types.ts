// Core types shared by every part of kaoping. Pure data shapes: no Office, no Cloudflare, no Node.

/** Which published standard an article belongs to. */
export type Standard = 'basic' | 'demo';

/** 党组织类型. */
export type OrgType = '党支部' | '党总支' | '党委';
export const ORG_TYPES: readonly OrgType[] = ['党支部', '党总支', '党委'];

/** 村 or 社区. */
export type UnitType = '村' | '社区';

/** What kind of value an input holds; decides which parser reads its cells. */
export type InputKind =
  | 'count' // non-negative integer: people, events (次), items
  | 'number' // any non-negative number without a unit family
  | 'hours' // 学时
  | 'money' // canonical unit: 元 (a cell "2.5万" or a header "（万元）" scales)
  | 'area' // canonical unit: 平方米
  | 'percent' // canonical: percent points, 80 means 80%
  | 'bool' // 是/否 √/× 有/无
  | 'judgement' // 是/否, 好/较好/一般/差, or a count of findings (问题数)
  | 'date' // year + month (+ day)
  | 'code' // 12-digit 统计用区划代码, kept as a string
  | 'orgType'
  | 'unitType'
  | 'text';

/** An input the rulebook reads from a village row. */
export interface InputDef {
  id: string;
  /** Short Chinese label, used as the template header. */
  label: string;
  kind: InputKind;
  /** Unit shown in the template header, e.g. 人, 次, 学时, 万元, 平方米, %. */
  unit?: string;
  /** Header texts (simplified Chinese) that name this input. Matching normalises full-width forms,
   * spaces and traditional characters first. */
  synonyms: string[];
  /** A percent input that can be derived from two count inputs when its own column is absent. */
  derive?: { part: string; whole: string };
  /** Options for the template's dropdown. */
  options?: string[];
}

/** The frequency units used by the standards. */
export type Per = 'month' | 'quarter' | 'half' | 'year' | 'biennium';
export const PER_MONTHS: Record<Per, number> = { month: 1, quarter: 3, half: 6, year: 12, biennium: 24 };

export type Comparator = '>=' | '>' | '<=' | '<';

/** How one requirement is checked. A rule is data; the engine interprets it. */
export type Check =
  /** value OP threshold, e.g. 面积 >= 90. `word` is the source's boundary word (以上, 不低于, 低于 …).
   * `per`: the value accumulates over that period (学时 per year), so a shorter sheet does not judge it. */
  | { kind: 'threshold'; input: string; op: Comparator; value: number; word: string; per?: Per }
  /** min <= value <= max (both inclusive: "3至5人", "3-7名"). */
  | { kind: 'range'; input: string; min: number; max: number }
  /** count >= times × (sheet months ÷ months of `per`); a requirement whose `per` is longer than the sheet's
   * period is not due on that sheet. `scaleBy`: an input whose value multiplies the expectation
   * (e.g. 班子成员每人每年至少讲1次党课: times × 班子人数). */
  | { kind: 'frequency'; input: string; times: number; per: Per; scaleBy?: string }
  /** numerator ÷ denominator OP value, e.g. 入党积极分子 : 发展对象 >= 3 (3:1). */
  | { kind: 'ratio'; numerator: string; denominator: string; op: Comparator; value: number; word: string }
  /** a yes/no input must equal `expect` (e.g. 无失联党员: 失联 = 否). */
  | { kind: 'flag'; input: string; expect: boolean }
  /** a judgement input filled after inspection; absent means manual. */
  | { kind: 'judgement'; input: string }
  /** date input (last election) must be within `years` of the period's end. */
  | { kind: 'term'; input: string; years: number }
  /** a threshold whose value comes from the county rulebook's `params` (the text names no number). */
  | { kind: 'param'; input: string; op: Comparator; param: string; word: string };

/** Conditions under which a requirement applies. All given conditions must hold. */
export interface AppliesTo {
  org?: OrgType[];
  unit?: UnitType[];
  /** applies only when a bool input equals the given value (e.g. 第一书记: only for 软弱涣散 or 贫困村). */
  when?: { anyOf: { input: string; equals: boolean }[] };
}

export interface Requirement {
  /** Stable id: `${standard}-${article}` plus `-a`, `-b` … when an article has several requirements. */
  id: string;
  /** Short Chinese statement of the requirement, e.g. 支部委员会每月召开1次. */
  title: string;
  check: Check;
  /** If the main check fails or is missing, the requirement still passes when this one passes
   * (e.g. 第41条: 年收益不低于2万元；或者集体经济试点完成年度任务). */
  alt?: Check;
  appliesTo?: AppliesTo;
}

export interface Article {
  standard: Standard;
  /** Article number as numbered in the text. */
  article: number;
  /** Group heading, e.g. 四、党内组织生活. */
  group: string;
  /** Short Chinese title, e.g. 三会一课. */
  title: string;
  /** The source sentence(s), verbatim from seed 001. */
  text: string;
  appliesTo?: AppliesTo;
  requirements: Requirement[];
}

export interface Rulebook {
  id: string;
  name: string;
  articles: Article[];
  inputs: InputDef[];
}

// ---------------------------------------------------------------------------------------------
// Sheets

/** One cell as read from a file, before any interpretation. */
export interface RawCell {
  /** A1-style address on its sheet, e.g. "F7". */
  address: string;
  /** What the file holds: a number, text, boolean, a date (xlsx date cells), or null for blank. */
  value: string | number | boolean | Date | null;
  /** The cell's number format, when the file has one (e.g. "0%", "yyyy-mm-dd"). */
  numFmt?: string;
  /** The text as displayed, when known. */
  text?: string;
  /** The cell's formula (without "="), when it has one. A formula without a calculated result is read as
   * `value: "=" + formula` and refused by the parsers; text that merely starts with "=" has no `formula`. */
  formula?: string;
}

/** A rectangular grid read from one sheet. rows[r][c] is the cell at 0-based row r, column c. */
export interface Grid {
  name: string;
  rows: (RawCell | undefined)[][];
  /** Merged ranges as 0-based inclusive corners. */
  merges: { top: number; left: number; bottom: number; right: number }[];
}

// ---------------------------------------------------------------------------------------------
// Values

/** The result of reading one cell as a given kind: a value, or the reason it cannot be read. */
export type ParseResult<T> = { ok: true; value: T; note?: string } | { ok: false; reason: string };

export type Grade = '好' | '较好' | '一般' | '差';

export type Judgement =
  | { kind: 'bool'; value: boolean }
  | { kind: 'grade'; grade: Grade }
  | { kind: 'findings'; count: number };

export interface YearMonth {
  year: number;
  month: number;
  day?: number;
}

// ---------------------------------------------------------------------------------------------
// Results

export type Status = 'pass' | 'fail' | 'missing' | 'invalid' | 'manual';

export interface RequirementResult {
  id: string;
  standard: Standard;
  article: number;
  title: string;
  status: Status;
  /** Address of the main input cell on the sheet (absent when the column is absent). */
  cell?: string;
  /** Every cell the requirement read. */
  cells?: string[];
  /** The parsed value, for display. */
  value?: number | string | boolean | null;
  /** The expectation, for display, e.g. "≥90平方米", "≥3次". */
  threshold?: string;
  /** Chinese explanation citing the standard and article. */
  message: string;
  /** Points earned and available under the rulebook in force (absent when the rulebook sets none). */
  points?: number;
  maxPoints?: number;
}

/** A requirement that does not apply to this village this period, with the reason. */
export interface SkippedRequirement {
  id: string;
  standard: Standard;
  article: number;
  title: string;
  cell?: string;
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Periods

export type PeriodKind = 'year' | 'half' | 'quarter' | 'month';

export interface Period {
  kind: PeriodKind;
  year: number;
  /** 1-based index within the year: half 1–2, quarter 1–4, month 1–12; 1 for a year. */
  index: number;
  /** Canonical label: 2026, 2026H2, 2026Q3, 2026-07. */
  label: string;
  /** Chinese label: 2026年, 2026年下半年, 2026年第三季度, 2026年7月. */
  labelZh: string;
  months: number;
  /** First and last month, 1-based. */
  startMonth: number;
  endMonth: number;
}

/** Where the period of a sheet came from, so it can be reported. */
export type PeriodSource = 'option' | 'title' | 'filename' | 'default';

// ---------------------------------------------------------------------------------------------
// Scored sheets (what the engine returns and the outputs consume)

export interface ColumnReport {
  /** 0-based column index and its letter. */
  index: number;
  letter: string;
  /** Header text as found (multi-row headers joined with "/"). */
  header: string;
  /** The input it maps to, or null when unmapped. */
  input: string | null;
  inputLabel?: string;
  /** 0..1 */
  confidence: number;
  matchedBy: 'exact' | 'synonym' | 'article' | 'fuzzy' | 'override' | 'none';
  /** Unit found in the header, e.g. 万元, and the factor it implies for the canonical unit. */
  unit?: string;
  scale?: number;
  /** Extra remarks, e.g. 本列按小数读取百分比. */
  note?: string;
  /** When the header could equally be two or more inputs, the column is left unmapped and they are listed here,
   * best first, for the officer to choose (the note says so too). */
  candidates?: { input: string; inputLabel: string; confidence: number }[];
}

export interface VillageScore {
  /** 1-based sheet row. */
  row: number;
  code?: string;
  name?: string;
  township?: string;
  orgType?: OrgType;
  unitType?: UnitType;
  results: RequirementResult[];
  skipped: SkippedRequirement[];
  /** Total under the rulebook in force, and the maximum it could reach. */
  total: number;
  maxTotal: number;
  /** e.g. 示范 / 达标 / 未达标 / 待定, or the county's bands. */
  level: string;
  /** Why the level is what it is, in Chinese. */
  levelReason: string;
  stars?: number;
  /** Veto (一票否决) items that fired, as Chinese messages. */
  veto: string[];
  bonus: { id: string; label: string; points: number }[];
  /** How the total was made: one line per scored item of the rulebook in force. */
  items: ItemScore[];
  /** Problems with the row itself (e.g. an unreadable 区划代码). */
  problems: string[];
}

export interface ScoredSheet {
  name: string;
  period: Period;
  periodSource: PeriodSource;
  columns: ColumnReport[];
  villages: VillageScore[];
  /** Rows passed over, with the reason (合计, 填表人, blank …). 1-based. */
  skippedRows: { row: number; reason: string }[];
  /** 1-based rows of the header block. */
  headerRows: { top: number; bottom: number };
}

export interface ScoreReport {
  file: string;
  rulebook: { id: string; name: string };
  sheets: ScoredSheet[];
  /** Sheets that held no recognisable village table, with the reason. */
  ignoredSheets: { name: string; reason: string }[];
}

/** The points one rulebook item earned for one village, with the explanation. */
export interface ItemScore {
  /** The rulebook reference, e.g. basic-24 or basic-18-b. */
  ref: string;
  title: string;
  points: number;
  earned: number;
  /** Whether the item counts toward the maximum (false for a not-applicable item under 'exclude'). */
  counted: boolean;
  explanation: string;
}
