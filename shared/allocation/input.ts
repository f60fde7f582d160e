// Reading an allocation input for the command line (or a browser drop): JSON `{ budget, method, units }`, or CSV
// text of units with a header row in Chinese or English. Takes a string, returns data: no Node APIs. Decoding
// bytes (GB18030 …) is the caller's job. Errors are Chinese and name the line and column.
import { normalizeText } from '../text/normalize.ts';
import { validateAllocationInput } from './schema.ts';
import type { AllocationInput, AllocationMethod, AllocationUnit } from './types.ts';

export type InputOutcome<T> = { ok: true; value: T; warnings: string[] } | { ok: false; errors: string[] };

/** Everything but the units: what a CLI gives beside a CSV file (flags), or overrides in a JSON file. */
export type AllocationOptions = Partial<Omit<AllocationInput, 'units'>>;

/** The unit fields a CSV column can hold. */
export type CsvField = 'name' | 'id' | 'score' | 'rank' | 'level' | 'veto' | 'weak';
type Field = CsvField;

const FIELD_LABELS: Record<Field, string> = {
  name: '名称',
  id: '代码',
  score: '得分',
  rank: '排名',
  level: '等次',
  veto: '一票否决',
  weak: '软弱涣散',
};

/** Header texts by field, compared after normalizeText (width, spaces, traditional characters, case) and with
 * any bracketed unit removed: 得分（分） = 得分. */
const SYNONYMS: Record<Field, string[]> = {
  name: ['名称', '单位名称', '单位', '村名', '村名称', '村', '村(社区)', '村(社区)名称', '村庄', '乡镇', '乡镇名称', '党组织名称', 'name'],
  id: ['代码', '区划代码', '统计用区划代码', '编码', '编号', '单位代码', 'id', 'code'],
  score: ['得分', '分数', '总分', '考评得分', '综合得分', '最终得分', '考核得分', '成绩', 'score'],
  rank: ['排名', '名次', '排序', '位次', 'rank'],
  level: ['等次', '等级', '评定等次', '考评等次', '考核等次', 'level'],
  veto: ['一票否决', '是否一票否决', '否决', 'veto'],
  weak: ['软弱涣散', '是否软弱涣散', '软弱涣散村', '软弱涣散党组织', 'weak'],
};

function headerKey(text: string): string {
  return normalizeText(text).replace(/\([^)]*\)$/, '').replace(/[:：*]$/, '');
}

const HEADER_INDEX: Map<string, Field> = new Map(
  (Object.entries(SYNONYMS) as [Field, string[]][]).flatMap(([field, names]) => names.map((n) => [headerKey(n), field] as const)),
);

const YES = new Set(['是', '1', 'y', 'yes', 'true', '√', '✓', '✔', '有']);
const NO = new Set(['否', '0', 'n', 'no', 'false', '×', '✗', '✘', '无', '不是']);
const TOTAL_ROW = /^(合计|总计|小计|全县合计|全镇合计)$/;
const SIGNATURE_ROW = /^(填表人|审核人|制表人|填报人|负责人|填报日期|制表日期)/;

/** Fold width and spaces of a value cell (keeps case and characters). */
function fold(s: string): string {
  return s.normalize('NFKC').replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, '');
}

interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  cells: string[];
}

/** RFC 4180 CSV: quoted fields with "" escapes and embedded line breaks; CRLF, LF or CR line ends. */
export function splitCsv(text: string, delimiter = ','): CsvRecord[] | { error: string } {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let quoteLine = 0;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      quoted = true;
      quoteLine = line;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else {
      cell += ch;
    }
    i++;
  }
  if (quoted) return { error: `第${quoteLine}行：引号没有闭合（从这一行开始的带引号字段一直到文件末尾）` };
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}

function blank(r: CsvRecord): boolean {
  return r.cells.every((c) => fold(c) === '');
}

/** Comma, unless the first lines hold more tabs (text pasted from a spreadsheet) or semicolons. */
function detectDelimiter(text: string): string {
  const head = text
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() !== '')
    .slice(0, 10)
    .join('\n');
  const count = (d: string) => head.split(d).length - 1;
  if (count('\t') > count(',') && count('\t') > 0) return '\t';
  if (count(';') > count(',') && count(';') > 0) return ';';
  return ',';
}

interface HeaderMap {
  line: number;
  columns: Map<Field, number>;
  ignored: string[];
}

function readHeader(records: readonly CsvRecord[]): HeaderMap | { errors: string[] } {
  // The header is the first row (among the first ten non-blank ones) naming a score column; title rows above it
  // (考评结果公示表, 填报单位 …) are passed over.
  const candidates = records.filter((r) => !blank(r)).slice(0, 10);
  for (const r of candidates) {
    const fields = r.cells.map((c) => HEADER_INDEX.get(headerKey(c)));
    if (!fields.includes('score')) continue;
    const columns = new Map<Field, number>();
    const errors: string[] = [];
    const ignored: string[] = [];
    fields.forEach((f, c) => {
      const text = r.cells[c]!.trim();
      if (f === undefined) {
        if (text !== '') ignored.push(`第${c + 1}列（${text}）`);
        return;
      }
      const prev = columns.get(f);
      if (prev !== undefined) {
        errors.push(
          `第${r.line}行第${c + 1}列（${text}）：与第${prev + 1}列（${r.cells[prev]!.trim()}）都表示“${FIELD_LABELS[f]}”，请只保留一列`,
        );
      } else columns.set(f, c);
    });
    if (!columns.has('name') && !columns.has('id')) {
      errors.push(`第${r.line}行：表头缺少名称列（名称/单位名称/name）或代码列（代码/区划代码/id）`);
    }
    return errors.length > 0 ? { errors } : { line: r.line, columns, ignored };
  }
  const first = candidates[0];
  return {
    errors: [
      first
        ? `第${first.line}行：找不到得分列；表头须含“得分”（或 分数/总分/score），以及“名称”或“代码”`
        : '文件为空：没有表头和数据行',
    ],
  };
}

function parseScore(raw: string): number | string {
  const s = fold(raw).replace(/分$/, '');
  if (s === '') return '得分为空';
  if (!/^\d+(\.\d+)?$/.test(s)) return `“${raw.trim()}”不是有效的得分（应为不小于0的数字）`;
  if (/\.\d{3,}$/.test(s) && !/\.\d{2}0+$/.test(s)) return `“${raw.trim()}”超过两位小数`;
  return Number(s);
}

function parseRank(raw: string): number | undefined | string {
  const s = fold(raw).replace(/^第/, '').replace(/名$/, '');
  if (s === '') return undefined;
  if (!/^\d+$/.test(s) || Number(s) < 1) return `“${raw.trim()}”不是有效的名次（应为正整数）`;
  return Number(s);
}

function parseYesNo(raw: string, label: string): boolean | undefined | string {
  const s = fold(raw).toLowerCase();
  if (s === '') return undefined;
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  return `“${raw.trim()}”应为是或否（也可写1/0）表示是否${label}`;
}

/** Units from CSV text with a header row. Blank rows, 合计/小计 rows and 填表人/审核人 lines are passed over
 * (the last two with a warning). A unit without a 代码 column takes its name as id. */
export function parseUnitsCsv(
  text: string,
): InputOutcome<AllocationUnit[]> & {
  /** For each unit, its 1-based line; and the 1-based column of each field read. */
  lines?: number[];
  columns?: Partial<Record<Field, number>>;
} {
  const body = text.replace(/^\ufeff/, '');
  const split = splitCsv(body, detectDelimiter(body));
  if ('error' in split) return { ok: false, errors: [split.error] };
  const header = readHeader(split);
  if ('errors' in header) return { ok: false, errors: header.errors };
  const { columns } = header;
  const warnings: string[] = [];
  if (header.ignored.length > 0) warnings.push(`未使用的列：${header.ignored.join('、')}`);
  const errors: string[] = [];
  const units: AllocationUnit[] = [];
  const lines: number[] = [];
  const seen = new Map<string, number>();
  const at = (line: number, f: Field) => `第${line}行第${columns.get(f)! + 1}列（${FIELD_LABELS[f]}）`;

  for (const r of split) {
    if (r.line <= header.line || blank(r)) continue;
    const get = (f: Field): string | undefined => {
      const c = columns.get(f);
      return c === undefined ? undefined : (r.cells[c] ?? '');
    };
    const nameCell = (get('name') ?? '').trim();
    const idCell = (get('id') ?? '').trim();
    const label = fold(nameCell || idCell);
    if (TOTAL_ROW.test(label)) {
      warnings.push(`第${r.line}行：${label}行，已跳过`);
      continue;
    }
    if (SIGNATURE_ROW.test(fold(r.cells.find((c) => fold(c) !== '') ?? ''))) {
      warnings.push(`第${r.line}行：表尾签署行，已跳过`);
      continue;
    }
    const before = errors.length;
    let id = idCell;
    if (columns.has('id')) {
      if (id === '') errors.push(`${at(r.line, 'id')}：代码为空`);
      else if (/^\d+(\.\d+)?e\+?\d+$/i.test(fold(id))) {
        errors.push(`${at(r.line, 'id')}：“${id}”是科学计数法，代码已被表格软件改写；请把代码列设为文本后重新导出`);
      }
    } else {
      id = nameCell;
      if (id === '') errors.push(`${at(r.line, 'name')}：名称为空`);
    }
    const name = nameCell || id;
    const score = parseScore(get('score') ?? '');
    if (typeof score === 'string') errors.push(`${at(r.line, 'score')}：${score}`);
    const unit: AllocationUnit = { id, name, score: typeof score === 'number' ? score : 0 };
    if (columns.has('rank')) {
      const rank = parseRank(get('rank')!);
      if (typeof rank === 'string') errors.push(`${at(r.line, 'rank')}：${rank}`);
      else if (rank !== undefined) unit.rank = rank;
    }
    if (columns.has('level')) {
      const level = get('level')!.trim();
      if (level !== '') unit.level = level;
    }
    for (const f of ['veto', 'weak'] as const) {
      if (!columns.has(f)) continue;
      const yes = parseYesNo(get(f)!, FIELD_LABELS[f]);
      if (typeof yes === 'string') errors.push(`${at(r.line, f)}：${yes}`);
      else if (yes !== undefined) unit[f] = yes;
    }
    if (id !== '') {
      const prev = seen.get(id);
      if (prev !== undefined) {
        errors.push(
          columns.has('id')
            ? `${at(r.line, 'id')}：代码“${id}”与第${prev}行重复`
            : `${at(r.line, 'name')}：名称“${id}”与第${prev}行重复；有重名时请增加代码列`,
        );
      } else seen.set(id, r.line);
    }
    if (errors.length === before) {
      units.push(unit);
      lines.push(r.line);
    }
  }
  if (errors.length === 0 && units.length === 0) errors.push(`第${header.line}行表头之下没有数据行`);
  if (errors.length === 0 && columns.has('rank')) {
    const missing = units.findIndex((u) => u.rank === undefined);
    if (missing >= 0 && units.some((u) => u.rank !== undefined)) {
      errors.push(`${at(lines[missing]!, 'rank')}：排名为空；排名须全部填写或全部留空（留空时按得分计算并列名次）`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const columnNumbers = Object.fromEntries([...columns].map(([f, c]) => [f, c + 1]));
  return { ok: true, value: units, warnings, lines, columns: columnNumbers };
}

/** Offset of the first JSON syntax error (engines differ in whether their message gives one). A small
 * recursive-descent scan; only called after JSON.parse has failed. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (at) {
    if (typeof at === 'number') return at;
    throw at;
  }
  return text.length;
}

/** Line and column of a JSON syntax error. */
function jsonErrorText(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const pos = jsonErrorOffset(text);
  const before = text.slice(0, pos).split(/\r\n|\n|\r/);
  const what = pos >= text.length ? '，文件意外结束' : `，此处为“${text.slice(pos, pos + 1)}”`;
  return `JSON格式错误：第${before.length}行第${before[before.length - 1]!.length + 1}列${what}（${message}）`;
}

/** Lenient touches a hand-written JSON file needs: a method given as a bare name ("proportional"), unit ids
 * written as numbers (12-digit codes). Everything else is left to the schema. */
function loosen(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const o = { ...(raw as Record<string, unknown>) };
  if (typeof o.method === 'string') o.method = { kind: o.method } as AllocationMethod;
  if (Array.isArray(o.units)) {
    o.units = o.units.map((u: unknown) =>
      u !== null && typeof u === 'object' && typeof (u as { id?: unknown }).id === 'number'
        ? { ...u, id: String((u as { id: number }).id) }
        : u,
    );
  }
  return o;
}

function withOptions(raw: unknown, options: AllocationOptions | undefined): unknown {
  if (!options || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const defined = Object.fromEntries(Object.entries(options).filter(([, x]) => x !== undefined));
  return { ...(raw as object), ...defined };
}

/** A full input from JSON text. `options` (e.g. CLI flags) override the file's fields. */
export function parseAllocationJson(text: string, options?: AllocationOptions): InputOutcome<AllocationInput> {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    return { ok: false, errors: [jsonErrorText(text, e)] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, errors: ['JSON须为对象：{ "budget": …, "method": …, "units": [...] }'] };
  }
  const v = validateAllocationInput(withOptions(loosen(raw), options));
  return v.ok ? { ok: true, value: v.value, warnings: [] } : { ok: false, errors: v.issues };
}

/** A full input from JSON or CSV text (JSON when the text starts with "{"). For CSV the options must give at
 * least the budget and the method; problems with a unit name its CSV line. */
export function parseAllocationInput(text: string, options?: AllocationOptions): InputOutcome<AllocationInput> {
  const body = text.replace(/^\ufeff/, '');
  if (body.trimStart().startsWith('{')) return parseAllocationJson(body, options);
  const csv = parseUnitsCsv(body);
  if (!csv.ok) return csv;
  const missing: string[] = [];
  if (options?.budget === undefined) missing.push('缺少预算（budget）：CSV只含单位，预算须另行给出');
  if (options?.method === undefined) missing.push('缺少分配方法（method）：CSV只含单位，方法须另行给出');
  if (missing.length > 0) return { ok: false, errors: missing };
  const lines = csv.lines ?? [];
  const columns = csv.columns ?? {};
  const v = validateAllocationInput(loosen(withOptions({ units: csv.value }, options)));
  if (!v.ok) {
    // units[3].score：… → 第5行第2列（得分）：…
    const located = v.issues.map((issue) =>
      issue.replace(/^units\[(\d+)\](?:\.(\w+))?/, (all, i: string, field?: string) => {
        const line = lines[Number(i)];
        if (line === undefined) return all;
        const col = field === undefined ? undefined : columns[field as Field];
        return col === undefined ? `第${line}行` : `第${line}行第${col}列（${FIELD_LABELS[field as Field]}）`;
      }),
    );
    return { ok: false, errors: located };
  }
  return { ok: true, value: v.value, warnings: csv.warnings };
}
