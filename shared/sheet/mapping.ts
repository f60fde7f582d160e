// Columns → inputs. Automatic matching by label, synonym, article reference or containment, one column per
// input, and an optional mapping file that overrides it: { "columns": { "F": "activityArea", "备注": null } }.
import * as v from 'valibot';
import { normalizeText } from '../text/normalize.ts';
import type { ColumnReport, Grid, InputDef, InputKind, RawCell } from '../types.ts';
import { columnIndex } from './address.ts';
import { SheetError } from './errors.ts';
import { InputMatcher, type HeaderMatch } from './match.ts';
import type { HeaderColumn, MappingOverride, TableLayout, UnitFamily } from './types.ts';
import { splitUnit } from './units.ts';

export type { MappingOverride } from './types.ts';

const OverrideSchema = v.object({
  columns: v.record(v.string(), v.nullable(v.pipe(v.string(), v.minLength(1)))),
});

function describeReceived(x: unknown): string {
  if (x === undefined) return '缺失';
  if (x === null) return 'null';
  if (Array.isArray(x)) return '数组';
  if (typeof x === 'number') return `数字 ${x}`;
  if (typeof x === 'boolean') return `布尔值 ${x}`;
  if (typeof x === 'string') return `字符串「${x}」`;
  return typeof x === 'object' ? '对象' : typeof x;
}

const EXAMPLE = '{"columns": {"F": "activityArea", "活动场所面积（平方米）": "activityArea", "备注": null}}';

function issueMessage(issue: v.BaseIssue<unknown>): string {
  const keys = (issue.path ?? []).map((p) => String((p as { key?: unknown }).key));
  return issueMessageFor(keys, issue.input, issue.type);
}

function issueMessageFor(keys: string[], input: unknown, type?: string): string {
  const issue = { input, type };
  if (keys.length === 0) return `映射文件必须是 JSON 对象，形如 ${EXAMPLE}；现在是${describeReceived(issue.input)}`;
  if (keys.length === 1) {
    if (issue.input === undefined) return `映射文件缺少 columns 字段（键为列字母或表头文字，值为指标编号或 null），形如 ${EXAMPLE}`;
    return `映射文件的 columns 字段必须是对象（键为列字母或表头文字，值为指标编号或 null）；现在是${describeReceived(issue.input)}`;
  }
  const key = keys[1]!;
  if (issue.type === 'min_length') return `映射文件 columns 中「${key}」的值是空字符串；要忽略这一列请写 null`;
  return `映射文件 columns 中「${key}」的值必须是指标编号（字符串）或 null；现在是${describeReceived(issue.input)}`;
}

/** Validate a mapping override (a parsed JSON value, or the JSON text). Throws SheetError with Chinese messages
 * naming each wrong field. When `inputs` is given, unknown input ids are errors too. */
export function parseMappingOverride(json: unknown, inputs?: readonly InputDef[]): MappingOverride {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json) as unknown;
    } catch (e) {
      throw new SheetError('mapping-json', `映射文件不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  // valibot's object and record accept arrays; a mapping file never is one.
  if (Array.isArray(data)) throw new SheetError('mapping-schema', issueMessageFor([], data));
  const cols = data && typeof data === 'object' ? (data as { columns?: unknown }).columns : undefined;
  if (Array.isArray(cols)) throw new SheetError('mapping-schema', issueMessageFor(['columns'], cols));
  const result = v.safeParse(OverrideSchema, data);
  if (!result.success) {
    throw new SheetError('mapping-schema', result.issues.map(issueMessage).join('；'));
  }
  const override: MappingOverride = { columns: { ...result.output.columns } };
  if (inputs) checkInputIds(override, inputs);
  return override;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

function checkInputIds(override: MappingOverride, inputs: readonly InputDef[]): void {
  const ids = new Set(inputs.map((i) => i.id));
  const problems: string[] = [];
  for (const [key, id] of Object.entries(override.columns)) {
    if (id === null || ids.has(id)) continue;
    const near = inputs
      .map((i) => ({ id: i.id, d: editDistance(i.id.toLowerCase(), id.toLowerCase()) }))
      .filter((x) => x.d <= Math.max(2, Math.floor(id.length / 3)))
      .sort((a, b) => a.d - b.d)[0];
    problems.push(`映射文件 columns 中「${key}」指向未知的指标编号「${id}」${near ? `（是否应为「${near.id}」？）` : ''}`);
  }
  if (problems.length > 0) throw new SheetError('mapping-unknown-input', problems.join('；'));
}

/** Find the layout column a mapping key names: a column letter (F, F列) or a header text. */
function resolveKey(key: string, columns: readonly HeaderColumn[]): HeaderColumn {
  const letter = /^\s*([A-Za-z]{1,3})\s*列?\s*$/.exec(key);
  const nk = normalizeText(key);
  const byText = columns.filter((c) => {
    const forms = [c.header, c.path.join(''), c.label, c.label.replace(/\//g, ''), c.path[c.path.length - 1] ?? ''];
    const leaf = c.path[c.path.length - 1];
    if (leaf !== undefined) forms.push(splitUnit(leaf).label);
    return forms.some((f) => f !== '' && normalizeText(f) === nk);
  });
  if (byText.length === 1) return byText[0]!;
  if (byText.length > 1) {
    throw new SheetError(
      'mapping-unknown-column',
      `映射文件 columns 中的「${key}」同时对应 ${byText.map((c) => `${c.letter} 列`).join('、')}，请改用列字母`,
    );
  }
  if (letter) {
    const idx = columnIndex(letter[1]!);
    const col = columns.find((c) => c.index === idx);
    if (col) return col;
    throw new SheetError('mapping-unknown-column', `映射文件 columns 中的「${key}」：表中没有 ${letter[1]!.toUpperCase()} 列（或该列既无表头也无数据）`);
  }
  throw new SheetError('mapping-unknown-column', `映射文件 columns 中的「${key}」在表头中找不到；请写列字母（如 F）或与表头一致的文字`);
}

const KIND_FAMILY: Partial<Record<InputKind, UnitFamily>> = {
  money: 'money',
  area: 'area',
  percent: 'percent',
  hours: 'hours',
  count: 'count',
};
const FAMILY_ZH: Record<UnitFamily, string> = { money: '金额', area: '面积', percent: '百分比', hours: '学时', count: '数量' };

function unitNote(col: HeaderColumn, input: InputDef): string | undefined {
  const want = KIND_FAMILY[input.kind];
  if (!want || !col.unitFamily || col.unitFamily === want) return undefined;
  return `表头单位「${col.unit}」是${FAMILY_ZH[col.unitFamily]}单位，而指标「${input.label}」是${FAMILY_ZH[want]}，请核对`;
}

/** How a column was matched, in the officer's words: the one list the mapping notes, the page and the task pane use. */
export const MATCHED_BY_ZH: Record<ColumnReport['matchedBy'], string> = {
  exact: '名称相同',
  synonym: '同义词',
  article: '条文编号',
  fuzzy: '按表头含义',
  override: '人工指定',
  none: '未识别',
};

function baseReport(col: HeaderColumn): ColumnReport {
  const r: ColumnReport = { index: col.index, letter: col.letter, header: col.header, input: null, confidence: 0, matchedBy: 'none' };
  if (col.unit !== undefined) r.unit = col.unit;
  if (col.scale !== undefined) r.scale = col.scale;
  return r;
}

function addNote(r: ColumnReport, note: string | undefined): void {
  if (!note) return;
  r.note = r.note ? `${r.note}；${note}` : note;
}

/**
 * Map each column of a located table to an input. Each input is taken by at most one column: the best match
 * wins (ties: the leftmost) and the others are reported unmapped with a note. An override (validated here too)
 * takes precedence: a column letter or header text → input id, or null to ignore the column. When the grid is
 * given, a sample of each column's values decides between two inputs the header fits equally well; when
 * nothing decides, the column stays unmapped and the report lists the candidates.
 */
export function mapColumns(layout: TableLayout, inputs: InputDef[], override?: MappingOverride, grid?: Grid): ColumnReport[] {
  const matcher = new InputMatcher(inputs);
  const reports = layout.columns.map(baseReport);
  const byIndex = new Map(layout.columns.map((c, i) => [c.index, i]));

  // 1. The override.
  const forced = new Map<number, string | null>(); // column position → input id or null
  const forcedInputs = new Map<string, HeaderColumn>();
  if (override) {
    const checked = parseMappingOverride(override, inputs);
    for (const [key, id] of Object.entries(checked.columns)) {
      const col = resolveKey(key, layout.columns);
      const pos = byIndex.get(col.index)!;
      if (forced.has(pos) && forced.get(pos) !== id) {
        throw new SheetError('mapping-conflict', `映射文件对 ${col.letter} 列给出了两个不同的指定（「${forced.get(pos) ?? 'null'}」和「${id ?? 'null'}」）`);
      }
      if (id !== null) {
        const other = forcedInputs.get(id);
        if (other && other.index !== col.index) {
          throw new SheetError('mapping-conflict', `映射文件把指标「${id}」同时指定给 ${other.letter} 列和 ${col.letter} 列，一个指标只能对应一列`);
        }
        forcedInputs.set(id, col);
      }
      forced.set(pos, id);
    }
  }
  for (const [pos, id] of forced) {
    const r = reports[pos]!;
    r.matchedBy = 'override';
    r.confidence = 1;
    if (id === null) {
      addNote(r, '映射文件指定忽略此列');
      continue;
    }
    const input = matcher.byId.get(id)!;
    r.input = input.id;
    r.inputLabel = input.label;
    addNote(r, unitNote(layout.columns[pos]!, input));
  }

  // 2. Automatic matches for the other columns, one column per input.
  const claims = new Map<string, { pos: number; m: HeaderMatch }[]>();
  layout.columns.forEach((col, pos) => {
    if (forced.has(pos)) return;
    if (col.path.length === 0) {
      addNote(reports[pos]!, '此列没有表头');
      return;
    }
    const found = matcher.matchColumn(col.path, grid ? columnSample(grid, layout, col.index) : undefined);
    if (found.candidates) {
      const r = reports[pos]!;
      r.candidates = found.candidates.map((c) => ({ input: c.input.id, inputLabel: c.input.label, confidence: c.confidence }));
      addNote(r, `可能是${found.candidates.map((c) => `“${c.input.label}”`).join('或')}，请人工指定`);
      return;
    }
    const m = found.match;
    if (!m) return;
    if (found.byValues) addNote(reports[pos]!, `表头与多个指标相近，按本列数值判断为「${m.input.label}」`);
    const forcedCol = forcedInputs.get(m.input.id);
    if (forcedCol) {
      addNote(reports[pos]!, `本列可对应「${m.input.label}」，但映射文件已把它指定给 ${forcedCol.letter} 列`);
      return;
    }
    const list = claims.get(m.input.id) ?? [];
    list.push({ pos, m });
    claims.set(m.input.id, list);
  });
  for (const list of claims.values()) {
    const sorted = [...list].sort((a, b) => b.m.confidence - a.m.confidence || a.pos - b.pos);
    const win = sorted[0]!;
    const wr = reports[win.pos]!;
    const wcol = layout.columns[win.pos]!;
    wr.input = win.m.input.id;
    wr.inputLabel = win.m.input.label;
    wr.confidence = win.m.confidence;
    wr.matchedBy = win.m.matchedBy;
    addNote(wr, unitNote(wcol, win.m.input));
    for (const lose of sorted.slice(1)) {
      addNote(
        reports[lose.pos]!,
        `与 ${wcol.letter} 列「${wcol.header}」重复对应指标「${win.m.input.label}」（本列：${MATCHED_BY_ZH[lose.m.matchedBy]}，${wcol.letter} 列：${MATCHED_BY_ZH[win.m.matchedBy]}），已保留 ${wcol.letter} 列，本列不参与评分`,
      );
    }
  }
  return reports;
}

const SAMPLE_ROWS = 30;

/** Up to SAMPLE_ROWS non-blank cells of a column under the header. */
function columnSample(grid: Grid, layout: TableLayout, index: number): RawCell[] {
  const out: RawCell[] = [];
  for (let r = layout.dataStart; r < grid.rows.length && out.length < SAMPLE_ROWS; r++) {
    const c = grid.rows[r]?.[index];
    if (c && c.value !== null && !(typeof c.value === 'string' && c.value.trim() === '')) out.push(c);
  }
  return out;
}

/** The input ids a mapping uses, by column index. */
export function mappedColumns(mapping: readonly ColumnReport[]): Map<string, ColumnReport> {
  const out = new Map<string, ColumnReport>();
  for (const r of mapping) if (r.input !== null) out.set(r.input, r);
  return out;
}
