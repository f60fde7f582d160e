// The blank 调查表 for officers who have no sheet of their own: identity columns, then one column per
// input the rulebook reads, grouped under the article group that reads it, with units in the headers,
// dropdowns and number checks, and a note on each header citing the articles that read the column.
import type { DataValidation, Workbook, Worksheet } from 'exceljs';
import type { AppliesTo, Article, Check, InputDef, InputKind } from '../types.ts';
import { ORG_TYPES } from '../types.ts';
import { citation } from './format.ts';
import { BODY_FONT, styleBodyCell, styleHeaderCell, titleRow } from './style.ts';
import { ExcelJS, saveWorkbook, textWidth } from './xlsx.ts';

export const TEMPLATE_SHEET = '调查表';
export const TEMPLATE_HELP_SHEET = '填表说明';
export const DEFAULT_TEMPLATE_TITLE = '村党组织建设情况调查表（____年第__季度）';
export const TEMPLATE_GROUP_ROW = 3;
export const TEMPLATE_HEADER_ROW = 4;
export const TEMPLATE_FIRST_DATA_ROW = 5;
export const TEMPLATE_DATA_ROWS = 200;
export const IDENTITY_GROUP = '基本信息';
export const OTHER_GROUP = '其他';

export type IdentityRole = 'code' | 'name' | 'township' | 'orgType' | 'unitType';

/** The identity columns, first in every template, in this order. The header is the default used when
 * the catalogue has no such input; otherwise the input's own label is used. */
export const IDENTITY_COLUMNS: readonly { role: IdentityRole; header: string }[] = [
  { role: 'code', header: '区划代码' },
  { role: 'name', header: '村（社区）名称' },
  { role: 'township', header: '乡镇（街道）' },
  { role: 'orgType', header: '党组织类型' },
  { role: 'unitType', header: '村/社区' },
];

export interface TemplateOptions {
  inputs: InputDef[];
  articles: Article[];
  /** Title row text; default 村党组织建设情况调查表（____年第__季度）. */
  title?: string;
}

/** One requirement reading an input. */
export interface InputReader {
  article: Article;
  requirementId: string;
  requirementTitle: string;
  /** 'check' when the value is judged; 'condition' when it decides whether the requirement applies. */
  role: 'check' | 'condition';
}

export interface TemplateColumn {
  /** 1-based column. */
  index: number;
  header: string;
  group: string;
  input?: InputDef;
  identity?: IdentityRole;
  readers: InputReader[];
}

/** Fields of a check that name an input (a frequency's `scaleBy` multiplies its expectation). */
const INPUT_FIELDS = ['input', 'numerator', 'denominator', 'scaleBy'] as const;

/** The input ids a check reads. */
export function checkInputs(check: Check): string[] {
  const c = check as Partial<Record<(typeof INPUT_FIELDS)[number], unknown>>;
  return INPUT_FIELDS.flatMap((f) => (typeof c[f] === 'string' ? [c[f]] : []));
}

function conditionInputs(a: AppliesTo | undefined): string[] {
  return a?.when?.anyOf.map((c) => c.input) ?? [];
}

/** For each input id, the requirements that read it, in article order. */
export function inputReaders(articles: readonly Article[]): Map<string, InputReader[]> {
  const map = new Map<string, InputReader[]>();
  const add = (id: string, r: InputReader) => {
    const list = map.get(id) ?? [];
    if (!list.some((x) => x.requirementId === r.requirementId && x.role === r.role)) list.push(r);
    map.set(id, list);
  };
  for (const article of articles) {
    for (const req of article.requirements) {
      const base = { article, requirementId: req.id, requirementTitle: req.title };
      for (const id of [...checkInputs(req.check), ...(req.alt ? checkInputs(req.alt) : [])]) add(id, { ...base, role: 'check' });
      for (const id of [...conditionInputs(article.appliesTo), ...conditionInputs(req.appliesTo)]) add(id, { ...base, role: 'condition' });
    }
  }
  return map;
}

/** Which identity column an input is, if any. */
export function identityRole(def: InputDef): IdentityRole | undefined {
  if (def.kind === 'code') return 'code';
  if (def.kind === 'orgType') return 'orgType';
  if (def.kind === 'unitType') return 'unitType';
  if (def.kind !== 'text') return undefined;
  const words = [def.id, def.label, ...def.synonyms].join('|');
  if (/township|乡镇|街道/i.test(words)) return 'township';
  if (/^(name|village|villageName)$/i.test(def.id) || /村名|名称/.test(words)) return 'name';
  return undefined;
}

/** Header text: label with its unit in full-width brackets, e.g. 活动场所面积（平方米）. */
export function headerText(def: InputDef): string {
  return def.unit && !def.label.includes(`（${def.unit}）`) ? `${def.label}（${def.unit}）` : def.label;
}

/** The template's columns: identity first, then inputs grouped by the article group that reads them. */
export function templateColumns(inputs: readonly InputDef[], articles: readonly Article[]): TemplateColumn[] {
  const readers = inputReaders(articles);
  const identity = new Map<IdentityRole, InputDef>();
  const rest: InputDef[] = [];
  for (const def of inputs) {
    const role = identityRole(def);
    if (role && !identity.has(role)) identity.set(role, def);
    else rest.push(def);
  }

  // Position of each article in the list, to order groups and columns the way the standard reads.
  const articleOrder = new Map(articles.map((a, i) => [a, i]));
  const derivedParent = new Map<string, InputDef>();
  for (const def of inputs) if (def.derive) for (const id of [def.derive.part, def.derive.whole]) if (!derivedParent.has(id)) derivedParent.set(id, def);
  const firstReader = (def: InputDef, depth = 0): InputReader | undefined =>
    readers.get(def.id)?.[0] ?? (depth < 3 && derivedParent.has(def.id) ? firstReader(derivedParent.get(def.id)!, depth + 1) : undefined);

  const groups = new Map<string, { order: number; items: { def: InputDef; order: number; seq: number }[] }>();
  rest.forEach((def, seq) => {
    const reader = firstReader(def);
    const group = reader?.article.group ?? OTHER_GROUP;
    const order = reader
      ? (articleOrder.get(reader.article) ?? Infinity) * 1000 + Math.max(0, reader.article.requirements.findIndex((q) => q.id === reader.requirementId))
      : Infinity;
    const g = groups.get(group) ?? { order, items: [] };
    g.order = Math.min(g.order, order);
    g.items.push({ def, order, seq });
    groups.set(group, g);
  });

  const cols: TemplateColumn[] = IDENTITY_COLUMNS.map((c, i) => {
    const def = identity.get(c.role);
    // The catalogue's own label when it has the input (so the reader maps it back), else the default.
    return { index: i + 1, header: def ? headerText(def) : c.header, group: IDENTITY_GROUP, identity: c.role, ...(def ? { input: def } : {}), readers: def ? (readers.get(def.id) ?? []) : [] };
  });
  const sorted = [...groups.entries()].sort((a, b) => a[1].order - b[1].order || (a[0] === OTHER_GROUP ? 1 : b[0] === OTHER_GROUP ? -1 : 0));
  for (const [group, g] of sorted) {
    for (const { def } of g.items.sort((a, b) => a.order - b.order || a.seq - b.seq)) {
      cols.push({ index: cols.length + 1, header: headerText(def), group, input: def, readers: readers.get(def.id) ?? [] });
    }
  }
  return cols;
}

const KIND_HINT: Record<InputKind, string> = {
  count: '填写整数（0或正整数）',
  number: '填写数字（不小于0）',
  hours: '填写学时数（可有小数）',
  money: '填写金额数字，单位见表头',
  area: '填写面积数字，单位见表头',
  percent: '填写百分数的数值，如80表示80%',
  bool: '选择“是”或“否”',
  judgement: '观摩评议后选择评定结果；也可填写发现的问题数（0表示未发现问题）',
  date: '填写年月，如2024年3月或2024.3（本列为文本格式）',
  code: '填写12位统计用区划代码（本列为文本格式）',
  orgType: '选择党支部、党总支或党委',
  unitType: '选择村或社区',
  text: '填写文字',
};

const IDENTITY_HINT: Record<IdentityRole, string> = {
  code: KIND_HINT.code,
  name: '填写村（社区）全称',
  township: '填写所属乡镇（街道）',
  orgType: KIND_HINT.orgType,
  unitType: KIND_HINT.unitType,
};

function kindOf(col: TemplateColumn): InputKind {
  if (col.input) return col.input.kind;
  if (col.identity === 'code' || col.identity === 'orgType' || col.identity === 'unitType') return col.identity;
  return 'text';
}

/** The validation for a data cell of a column, if any. */
export function columnValidation(col: TemplateColumn): DataValidation | undefined {
  const kind = kindOf(col);
  const prompt = (col.identity ? IDENTITY_HINT[col.identity] : KIND_HINT[kind]).slice(0, 250);
  const common = { allowBlank: true, showInputMessage: true, promptTitle: col.header.slice(0, 30), prompt, showErrorMessage: true };
  const list = (options: readonly string[]): DataValidation => ({
    ...common,
    type: 'list',
    formulae: [`"${options.join(',')}"`],
    errorStyle: 'warning',
    errorTitle: '请从下拉列表选择',
    error: `可选：${options.join('、')}`,
  });
  const options = col.input?.options;
  // A county's options become the literal of a list validation ("a,b,c"): a quote would end the literal
  // and let the rest be read as a formula, a comma would split an option, and Excel refuses literals over
  // 255 characters. Such options get the input prompt only.
  if (options && options.length) {
    const literal = options.join(',');
    if (options.some((o) => o === '' || /[",]/.test(o) || [...o].some((ch) => ch.charCodeAt(0) < 0x20)) || literal.length > 255) {
      return { ...common, type: 'custom', formulae: ['TRUE'], showErrorMessage: false };
    }
    return list(options);
  }
  switch (kind) {
    case 'orgType':
      return list(ORG_TYPES);
    case 'unitType':
      return list(['村', '社区']);
    case 'bool':
      return list(['是', '否']);
    case 'judgement':
      return list(['好', '较好', '一般', '差']);
    case 'count':
      return { ...common, type: 'whole', operator: 'greaterThanOrEqual', formulae: [0], errorStyle: 'stop', errorTitle: '请填写整数', error: '本列填写0或正整数' };
    case 'number':
    case 'money':
    case 'area':
    case 'hours':
      return { ...common, type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0], errorStyle: 'stop', errorTitle: '请填写数字', error: '本列填写不小于0的数字，不带单位' };
    case 'percent':
      return { ...common, type: 'decimal', operator: 'between', formulae: [0, 100], errorStyle: 'stop', errorTitle: '请填写0到100', error: '本列填写百分数的数值，如80表示80%' };
    case 'code':
      return { ...common, type: 'textLength', operator: 'equal', formulae: [12], errorStyle: 'warning', errorTitle: '区划代码应为12位', error: '统计用区划代码为12位数字' };
    case 'date':
      // No check (2024年3月, 2024.3 and 2024-03 are all read), only the input prompt.
      return { ...common, type: 'custom', formulae: ['TRUE'], showErrorMessage: false };
    default:
      return undefined;
  }
}

/** Number format for a column's data cells: text where digits must survive as typed. */
function columnNumFmt(col: TemplateColumn): string | undefined {
  const kind = kindOf(col);
  return kind === 'code' || kind === 'date' || kind === 'text' ? '@' : undefined;
}

/** The note on a header cell: what the column is for, and the articles that read it. */
export function headerNote(col: TemplateColumn): string {
  const lines: string[] = [];
  const checks = col.readers.filter((r) => r.role === 'check');
  const conditions = col.readers.filter((r) => r.role === 'condition');
  if (checks.length) {
    lines.push('考评依据：');
    for (const r of checks) lines.push(`${citation(r.article.standard, r.article.article)}（${r.article.title}）：${r.requirementTitle}`);
  }
  if (conditions.length) {
    lines.push('适用条件（决定下列要求是否适用）：');
    for (const r of conditions) lines.push(`${citation(r.article.standard, r.article.article)}（${r.article.title}）：${r.requirementTitle}`);
  }
  if (!col.readers.length) lines.push(col.identity ? '用于识别村（社区），不计分。' : '本项暂无条款直接考评，用于计算或备查。');
  lines.push(`填写：${col.identity ? IDENTITY_HINT[col.identity] : KIND_HINT[kindOf(col)]}`);
  return lines.join('\n');
}

/** Build the blank template workbook: 调查表 and 填表说明. */
export async function buildTemplate(opts: TemplateOptions): Promise<Uint8Array> {
  return saveWorkbook(buildTemplateWorkbook(opts));
}

export function buildTemplateWorkbook(opts: TemplateOptions): Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'kaoping';
  const cols = templateColumns(opts.inputs, opts.articles);
  writeFormSheet(wb.addWorksheet(TEMPLATE_SHEET, { properties: { tabColor: { argb: 'FF4472C4' } } }), cols, opts.title ?? DEFAULT_TEMPLATE_TITLE);
  writeHelpSheet(wb.addWorksheet(TEMPLATE_HELP_SHEET), cols);
  return wb;
}

function writeFormSheet(ws: Worksheet, cols: TemplateColumn[], title: string): void {
  const width = cols.length;
  titleRow(ws, 1, width, title);
  ws.getRow(1).height = 30;
  titleRow(ws, 2, width, '填报单位（盖章）：____________________　　填报人：__________　　联系电话：______________　　填报日期：____年__月__日', BODY_FONT);

  // Two-row header: identity columns span both rows; inputs sit under their group.
  let c = 1;
  while (c <= width) {
    const col = cols[c - 1]!;
    if (col.identity) {
      ws.mergeCells(TEMPLATE_GROUP_ROW, c, TEMPLATE_HEADER_ROW, c);
      c++;
      continue;
    }
    let end = c;
    while (end < width && !cols[end]!.identity && cols[end]!.group === col.group) end++;
    if (end > c) ws.mergeCells(TEMPLATE_GROUP_ROW, c, TEMPLATE_GROUP_ROW, end);
    const g = ws.getCell(TEMPLATE_GROUP_ROW, c);
    g.value = col.group;
    for (let k = c; k <= end; k++) styleHeaderCell(ws.getCell(TEMPLATE_GROUP_ROW, k));
    c = end + 1;
  }

  for (const col of cols) {
    const cell = ws.getCell(col.identity ? TEMPLATE_GROUP_ROW : TEMPLATE_HEADER_ROW, col.index);
    cell.value = col.header;
    styleHeaderCell(cell);
    if (col.identity) styleHeaderCell(ws.getCell(TEMPLATE_HEADER_ROW, col.index));
    cell.note = headerNote(col);

    const column = ws.getColumn(col.index);
    const w = textWidth(col.header);
    column.width = col.identity === 'code' ? 16 : col.identity === 'name' ? 18 : Math.min(16, Math.max(9, Math.ceil(w / 2) + 2));

    const numFmt = columnNumFmt(col);
    const validation = columnValidation(col);
    for (let r = TEMPLATE_FIRST_DATA_ROW; r < TEMPLATE_FIRST_DATA_ROW + TEMPLATE_DATA_ROWS; r++) {
      const d = ws.getCell(r, col.index);
      styleBodyCell(d, { numFmt, center: !col.identity || col.identity === 'orgType' || col.identity === 'unitType' });
      if (validation) d.dataValidation = validation;
    }
  }
  ws.getRow(TEMPLATE_GROUP_ROW).height = 24;
  ws.getRow(TEMPLATE_HEADER_ROW).height = 48;
  ws.views = [{ state: 'frozen', xSplit: 2, ySplit: TEMPLATE_HEADER_ROW, topLeftCell: `C${TEMPLATE_FIRST_DATA_ROW}`, activeCell: `A${TEMPLATE_FIRST_DATA_ROW}` }];
  ws.pageSetup = { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${TEMPLATE_GROUP_ROW}:${TEMPLATE_HEADER_ROW}` };
}

function fillText(col: TemplateColumn): string {
  const v = columnValidation(col);
  if (v?.type === 'list') return `下拉选择：${String(v.formulae[0]).replace(/"/g, '').split(',').join('/')}`;
  return col.identity ? IDENTITY_HINT[col.identity] : KIND_HINT[kindOf(col)];
}

function writeHelpSheet(ws: Worksheet, cols: TemplateColumn[]): void {
  const lines: string[] = [
    '填表说明',
    '一、表头以上两行（标题、填报单位）请保留；请在标题中写明年份和期次，如“2026年第一季度”“2026年上半年”“2026年度”，考评按所写期次折算次数要求。',
    '二、每个村（社区）填写一行。区划代码为12位统计用区划代码（如130102001001），本列已设为文本格式，请勿改为数字格式，否则首位的0和末几位可能丢失。',
    '三、次数类指标填写本期内实际开展的次数：季度表填写本季度的次数，年度表填写全年的次数。每年一次等长于本期的要求，季度表不作考核。',
    '四、是否类指标选择“是”或“否”（也可填写√/×、有/无）；评议类指标在观摩评议（听、查、看、谈、评）后选择好、较好、一般、差，未评定的留空，考评时列为“待评”。',
    '五、金额、面积请只填数字，单位以表头括号中的为准（如“（万元）”填2.5表示2.5万元）；百分比填写数值，80表示80%。',
    '六、日期（如上次换届时间）填写年月，如“2024年3月”或“2024.3”，本列为文本格式，避免2024.10被存成2024.1。',
    '七、请勿合并数据行的单元格，请勿在数据行中间插入合计、小计行；合计行及填表人、审核人等信息写在数据行之后。',
    '八、每个表头单元格的批注列出了该列对应的标准条款。',
  ];
  ws.getColumn(1).width = 8;
  ws.getColumn(2).width = 28;
  ws.getColumn(3).width = 10;
  ws.getColumn(4).width = 44;
  ws.getColumn(5).width = 60;
  let r = 1;
  for (const [i, text] of lines.entries()) {
    ws.mergeCells(r, 1, r, 5);
    const cell = ws.getCell(r, 1);
    cell.value = text;
    cell.style = i === 0 ? { font: { name: '宋体', size: 16, bold: true }, alignment: { horizontal: 'center' } } : { font: { ...BODY_FONT }, alignment: { wrapText: true, vertical: 'top' } };
    ws.getRow(r).height = i === 0 ? 28 : Math.max(20, Math.ceil(textWidth(text) / 140) * 18);
    r++;
  }
  r++;
  // One line per column, in one merged cell: a table here (a column of header texts) would look like a
  // village table to the sheet reader, and a filled template would be scored twice.
  const listTitle = ws.getCell(r, 1);
  ws.mergeCells(r, 1, r, 5);
  listTitle.value = '九、各列填写要求（列序、表头、填写方式、依据条款）：';
  listTitle.style = { font: { ...BODY_FONT, bold: true } };
  r++;
  for (const col of cols) {
    const refs = [...new Set(col.readers.map((x) => `${citation(x.article.standard, x.article.article)}${x.role === 'condition' ? '（适用条件）' : ''}`))];
    ws.mergeCells(r, 1, r, 5);
    const cell = ws.getCell(r, 1);
    cell.value = `第${col.index}列　${col.header}：${fillText(col)}${refs.length ? `。依据：${refs.join('、')}` : ''}`;
    cell.style = { font: { ...BODY_FONT }, alignment: { wrapText: true, vertical: 'top' } };
    r++;
  }
}
