// What the scoring page does with a file, without the DOM: read it with the shared reader, find each sheet's
// village table and map its columns (with the officer's corrections), choose the period, score with the shared
// engine, make the coloured copy and the submission. Everything here is the same code the Excel add-in, the
// command line and the Worker run (shared/); this module only wires it for the page.
import { isSheetError } from '../../../../shared/sheet/errors.ts';
import { readWorkbook, sniffFormat } from '../../../../shared/sheet/read.ts';
import type { SheetFormat, SheetGrid } from '../../../../shared/sheet/types.ts';
import { readSheetRows, RulebookPeriodError } from '../../../../shared/score.ts';
import { prepareEngine, type Engine } from '../../../../shared/scoring/evaluate.ts';
import { findPeriodInText, makePeriod, PeriodError, PERIOD_SOURCE_ZH } from '../../../../shared/scoring/period.ts';
import { scoreSheetRows, type SheetRows } from '../../../../shared/scoring/sheet.ts';
import { defaultRulebook } from '../../../../shared/rulebook/load.ts';
import { CountyRulebookError, parseCountyRulebook } from '../../../../shared/rulebook/county.ts';
import { OUR_SHEETS } from '../../../../shared/output/names.ts';
import { MATCHED_BY_ZH } from '../../../../shared/sheet/mapping.ts';
import { buildSubmission, type Submission } from '../../../../shared/submission.ts';
import type { ColumnReport, InputDef, ScoredSheet } from '../../../../shared/types.ts';
import type { RulebookAnswer } from './score-net.ts';

/** Larger files are refused before reading: the reader holds the whole workbook in memory. */
export const MAX_FILE_BYTES = 30 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The rulebook used

export interface RulebookInUse {
  engine: Engine;
  /** The rulebook's name, as the coloured copy's 考评结果 sheet cites it. */
  name: string;
  kind: 'standards' | 'county';
  version?: number | string;
  effectiveFrom?: string;
  deadlineDays?: number;
  /** Why the standards are used (signed out, no county rulebook for the period, the service could not be reached). */
  why?: string;
}

let standardsEngine: Engine | undefined;

export function standardsInUse(why?: string): RulebookInUse {
  standardsEngine ??= prepareEngine(defaultRulebook());
  return { engine: standardsEngine, name: standardsEngine.rulebook.name, kind: 'standards', ...(why ? { why } : {}) };
}

/** The rulebook of a GET /api/county/rulebook answer. Throws a Chinese Error when the published one is broken. */
export function rulebookFromAnswer(a: RulebookAnswer, periodZh: string): RulebookInUse {
  if (a.rulebook === null || a.rulebook === undefined) return standardsInUse(`本县没有适用于${periodZh}的考评细则，按默认标准评分`);
  const base = defaultRulebook();
  let county;
  try {
    county = parseCountyRulebook(a.rulebook, base);
  } catch (e) {
    const detail = e instanceof CountyRulebookError ? e.message : e instanceof Error ? e.message : String(e);
    throw new Error(`县级考评细则无法使用（${detail}）`, { cause: e });
  }
  const version = a.version ?? undefined;
  const deadline = a.deadlineDays ?? county.ledger?.deadlineDays;
  return {
    engine: prepareEngine(base, county),
    name: county.name,
    kind: 'county',
    ...(version !== undefined && version !== null ? { version } : {}),
    ...(a.effectiveFrom ?? county.effectiveFrom ? { effectiveFrom: a.effectiveFrom ?? county.effectiveFrom } : {}),
    ...(deadline ? { deadlineDays: deadline } : {}),
  };
}

export function describeRulebook(rb: RulebookInUse): string {
  if (rb.kind === 'standards') return `《${rb.name}》`;
  const from = rb.effectiveFrom ? `，${rb.effectiveFrom}年起施行` : '';
  return `《${rb.name}》（县级考评细则${rb.version !== undefined ? `第${rb.version}版` : ''}${from}）`;
}

// ---------------------------------------------------------------------------------------------
// The file

export interface LoadedFile {
  name: string;
  size: number;
  /** The bytes as read. Never modified: every output is a copy. */
  bytes: Uint8Array;
  format: SheetFormat;
  grids: SheetGrid[];
}

/** Read the file the officer chose. Throws an Error with a plain Chinese message. */
export async function loadFile(file: File): Promise<LoadedFile> {
  if (file.size > MAX_FILE_BYTES) {
    throw new Error(`文件过大（${(file.size / 1024 / 1024).toFixed(1)} MB），网页评分最多读取 ${MAX_FILE_BYTES / 1024 / 1024} MB 的文件；请删去与考评无关的工作表或图片后再试`);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    throw new Error('无法读取这个文件（可能已被移动、删除，或正被其他程序独占打开），请关闭 Excel/WPS 后重新选择');
  }
  let format: SheetFormat;
  let grids: SheetGrid[];
  try {
    format = sniffFormat(bytes);
    // The reader gets its own copy, so the bytes kept for the coloured copy are exactly the file's.
    grids = await readWorkbook(bytes.slice(), file.name);
  } catch (e) {
    // The reader's messages speak of uploading (the Worker's file route); here the officer chooses a file.
    if (isSheetError(e)) throw new Error(e.message.replace(/上传/g, '选择'), { cause: e });
    throw new Error('文件已损坏或不是可读取的表格，无法读取；请在 Excel/WPS 中打开后重新另存为 .xlsx 再试', { cause: e });
  }
  return { name: file.name, size: file.size, bytes, format, grids };
}

export function baseName(fileName: string): string {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name) || '考评表';
}

/** The coloured copy's file name: 原名-评分.xlsx (a CSV file becomes a workbook too). */
export function outputName(fileName: string): string {
  return `${baseName(fileName).replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_')}-评分.xlsx`;
}

// ---------------------------------------------------------------------------------------------
// One sheet

export interface SheetModel {
  index: number;
  grid: SheetGrid;
  /** The officer's corrections, by column letter: an input id, or null for 不参与评分. */
  override: Record<string, string | null>;
  /** The period the officer chose (2026Q3 …); undefined: as found on the sheet. */
  period?: string;
  rulebook: RulebookInUse;
  /** The village table, or why the sheet has none, or what went wrong reading it. */
  rows?: SheetRows;
  ignored?: string;
  error?: string;
  /** Remarks about the officer's corrections (a correction dropped because the rulebook changed …). */
  remarks: string[];
  scored?: ScoredSheet;
  /** The officer's choice to submit this sheet; undefined: yes, unless the sheet is hidden in Excel. */
  submit?: boolean;
  /** The period found on the sheet itself (null: no village table), see detectedPeriod. */
  detected?: string | null;
}

export function sheetModels(file: LoadedFile, rulebook: RulebookInUse): SheetModel[] {
  return file.grids.map((grid, index) => ({ index, grid, override: {}, rulebook, remarks: [] }));
}

/** Find the village table, map the columns (with the corrections) and choose the period. */
export function analyze(sheet: SheetModel, fileName: string, now = new Date()): void {
  sheet.rows = undefined;
  sheet.ignored = undefined;
  sheet.error = undefined;
  sheet.scored = undefined;
  sheet.remarks = [];
  if (OUR_SHEETS.includes(sheet.grid.name)) {
    sheet.ignored = '考评工具生成的工作表（上次评分的结果），不作为村级数据';
    return;
  }
  const engine = sheet.rulebook.engine;
  // A correction naming an input the rulebook in force does not have (a county column, after the period moved
  // before the county rulebook) is dropped, and the page says so.
  for (const [letter, id] of Object.entries(sheet.override)) {
    if (id !== null && !engine.inputs.has(id)) {
      delete sheet.override[letter];
      sheet.remarks.push(`${letter} 列原指定的指标“${id}”不在当前考评细则中，已改回自动识别`);
    }
  }
  const mapping = Object.keys(sheet.override).length ? { columns: { ...sheet.override } } : undefined;
  try {
    const r = readSheetRows(engine, sheet.grid, { fileName, ...(sheet.period ? { period: sheet.period } : {}), ...(mapping ? { mapping } : {}), now });
    if ('ignored' in r) sheet.ignored = r.ignored;
    else sheet.rows = r;
  } catch (e) {
    if (isSheetError(e) || e instanceof RulebookPeriodError || e instanceof PeriodError) sheet.error = e.message;
    else throw e;
  }
}

/** The period found on the sheet (title rows, file name, else this year), read once; undefined when the sheet
 * holds no village table. Decides which county rulebook is in force for it. */
export function detectedPeriod(sheet: SheetModel, fileName: string, now = new Date()): string | undefined {
  if (sheet.detected === undefined) {
    try {
      const r = OUR_SHEETS.includes(sheet.grid.name) ? { ignored: '' } : readSheetRows(standardsInUse().engine, sheet.grid, { fileName, now });
      sheet.detected = 'ignored' in r ? null : r.period.label;
    } catch {
      sheet.detected = null;
    }
  }
  return sheet.detected ?? undefined;
}

export function score(sheet: SheetModel): ScoredSheet | undefined {
  sheet.scored = sheet.rows ? scoreSheetRows(sheet.rulebook.engine, sheet.rows) : undefined;
  return sheet.scored;
}

/** The officer's choice for one column: an input id, or null (不参与评分). Choosing an input another column was
 * given by hand moves it there (one input, one column); a column the engine had matched to it automatically
 * is left unmapped by the shared mapping, which notes why. */
export function setColumn(sheet: SheetModel, letter: string, input: string | null): void {
  if (input !== null) {
    for (const [l, id] of Object.entries(sheet.override)) if (id === input && l !== letter) delete sheet.override[l];
  }
  sheet.override[letter] = input;
}

/** Where the sheet's period came from, in words an officer reads. */
export function periodWhere(sheet: SheetModel, fileName: string): { text: string; warn: boolean } {
  const rows = sheet.rows;
  if (!rows) return { text: '', warn: false };
  switch (rows.periodSource) {
    case 'option':
      return { text: '按您的选择', warn: false };
    case 'title': {
      const line = titleLineWithPeriod(sheet.grid, rows.headerRows.top - 1);
      return { text: line ? `按表头标题识别：“${line}”` : PERIOD_SOURCE_ZH.title, warn: false };
    }
    case 'filename':
      return { text: `按文件名识别：“${fileName}”`, warn: false };
    default:
      return { text: `表中和文件名中都没有写明期次，暂按${rows.period.labelZh}（全年）考核；季度表、半年表请在右侧选择期次`, warn: true };
  }
}

function titleLineWithPeriod(grid: SheetGrid, beforeRow: number): string | undefined {
  for (let r = 0; r < Math.min(beforeRow, grid.rows.length); r++) {
    const text = (grid.rows[r] ?? [])
      .map((c) => (c && c.value !== null && c.value !== undefined ? String(c.value) : ''))
      .filter((s) => s.trim())
      .join(' ');
    if (text && findPeriodInText(text)) return text.length > 60 ? `${text.slice(0, 60)}…` : text;
  }
  if (findPeriodInText(grid.name)) return `工作表名 ${grid.name}`;
  return undefined;
}

/** The periods offered in the period picker: the years around the sheet's and this year, each as a year,
 * halves and quarters, and months. */
export function yearChoices(sheetYear: number, now = new Date()): number[] {
  const from = Math.min(sheetYear, now.getFullYear()) - 2;
  const to = Math.max(sheetYear, now.getFullYear()) + 1;
  const out: number[] = [];
  for (let y = to; y >= from; y--) out.push(y);
  return out;
}

export const PERIOD_PARTS: readonly { value: string; label: string; group?: string }[] = [
  { value: '', label: '全年' },
  { value: 'H1', label: '上半年' },
  { value: 'H2', label: '下半年' },
  { value: 'Q1', label: '第一季度' },
  { value: 'Q2', label: '第二季度' },
  { value: 'Q3', label: '第三季度' },
  { value: 'Q4', label: '第四季度' },
  ...Array.from({ length: 12 }, (_, i) => ({ value: `-${String(i + 1).padStart(2, '0')}`, label: `${i + 1}月`, group: '月度' })),
];

/** 2026Q3 → { year: 2026, part: 'Q3' }. */
export function splitPeriod(label: string): { year: number; part: string } {
  const m = /^(\d{4})(.*)$/.exec(label);
  return { year: Number(m?.[1] ?? new Date().getFullYear()), part: m?.[2] ?? '' };
}

export function periodZh(label: string): string {
  const { year, part } = splitPeriod(label);
  if (!part) return makePeriod('year', year).labelZh;
  if (part.startsWith('H')) return makePeriod('half', year, Number(part.slice(1))).labelZh;
  if (part.startsWith('Q')) return makePeriod('quarter', year, Number(part.slice(1))).labelZh;
  return makePeriod('month', year, Number(part.slice(1))).labelZh;
}

// ---------------------------------------------------------------------------------------------
// The mapping dropdown

const IDENTITY = ['code', 'name', 'township', 'orgType', 'unitType', 'isWeak', 'isPoor', 'members', 'formalMembers'];

export interface InputGroup {
  label: string;
  inputs: InputDef[];
}

/** The rulebook's inputs grouped for the dropdown: 基本情况, then by the standard's groups in article order
 * (the group of the first requirement that reads each input), the county's own inputs, the rest. */
export function inputGroups(engine: Engine): InputGroup[] {
  const groups = new Map<string, InputDef[]>();
  const placed = new Set<string>();
  const put = (group: string, id: string) => {
    const def = engine.inputs.get(id);
    if (!def || placed.has(id)) return;
    placed.add(id);
    const list = groups.get(group) ?? [];
    list.push(def);
    groups.set(group, list);
  };
  for (const id of IDENTITY) put('基本情况', id);
  for (const a of engine.rulebook.articles) {
    const group = `${a.standard === 'basic' ? '基本标准' : '示范标准'}·${a.group.replace(/^[一二三四五六七八九十]+、/, '')}`;
    for (const r of a.requirements) {
      for (const c of [r.check, ...(r.alt ? [r.alt] : [])]) {
        if (c.kind === 'ratio') {
          put(group, c.numerator);
          put(group, c.denominator);
        } else {
          put(group, c.input);
          if (c.kind === 'frequency' && c.scaleBy) put(group, c.scaleBy);
        }
      }
    }
    for (const r of a.requirements) for (const id of r.appliesTo?.when?.anyOf.map((x) => x.input) ?? []) put(group, id);
  }
  for (const def of engine.county?.inputs ?? []) put('县级细则增加的指标', def.id);
  for (const id of engine.inputs.keys()) put('其他', id);
  return [...groups].map(([label, inputs]) => ({ label, inputs }));
}

export function inputLabel(def: Pick<InputDef, 'label' | 'unit' | 'kind'>): string {
  const unit = def.unit && def.kind !== 'judgement' && def.kind !== 'bool' ? `（${def.unit}）` : '';
  return `${def.label}${unit}`;
}


export function matchText(c: ColumnReport): { text: string; level: 'high' | 'mid' | 'low' | 'none' | 'manual' } {
  if (c.matchedBy === 'override') return { text: MATCHED_BY_ZH.override, level: 'manual' };
  if (!c.input) return { text: MATCHED_BY_ZH.none, level: 'none' };
  const pct = Math.round(c.confidence * 100);
  return { text: `${pct}%（${MATCHED_BY_ZH[c.matchedBy]}）`, level: c.confidence >= 0.95 ? 'high' : c.confidence >= 0.85 ? 'mid' : 'low' };
}

/** The mapping notes of shared/sheet/mapping.ts speak of a mapping file; on the page it is the officer's choice. */
export function columnNote(note: string | undefined): string {
  if (!note) return '';
  return note
    .replace(/映射文件指定忽略此列/g, '已设为不参与评分')
    .replace(/但映射文件已把它指定给/g, '但您已把它指定给')
    .replace(/映射文件/g, '人工指定');
}

// ---------------------------------------------------------------------------------------------
// Outputs

/** The coloured copy: the officer's workbook with fills and notes, plus 考评结果 and 整改台账. An .xlsx is
 * annotated as it is; any other format (.xls, .ods, an HTML export, CSV …) is rebuilt from the cells read, and
 * 考评结果 says what was kept (shared/output/copy.ts). */
export async function colouredCopy(file: LoadedFile, sheets: readonly SheetModel[], now = new Date()): Promise<Uint8Array> {
  const scored = sheets.filter((s) => s.scored);
  const names = [...new Set(scored.map((s) => s.rulebook.name))];
  const deadline = scored.find((s) => s.rulebook.deadlineDays)?.rulebook.deadlineDays;
  const report = {
    sheets: scored.map((s) => s.scored!),
    rulebookName: names.join('；'),
    generatedAt: now,
    ...(deadline ? { ledgerDeadlineDays: deadline } : {}),
  };
  // ExcelJS is loaded only now: the copy is written with it (SheetJS reads; ExcelJS writes and keeps styling).
  const { colouredCopy: makeCopy } = await import('../../../../shared/output/copy.ts');
  return (await makeCopy(file.bytes, file.grids, report)).bytes;
}

/** The township a sheet's village codes belong to (the first 9 digits most rows share). */
export function townshipOfCodes(sheets: readonly SheetModel[]): string | undefined {
  const counts = new Map<string, number>();
  for (const s of sheets) for (const v of s.scored?.villages ?? []) if (v.code && /^\d{12}$/.test(v.code)) counts.set(v.code.slice(0, 9), (counts.get(v.code.slice(0, 9)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The scored sheets with village rows the officer means to submit. */
export function sheetsToSubmit(sheets: readonly SheetModel[]): SheetModel[] {
  return sheets.filter((s) => s.scored?.villages.length && (s.submit ?? !s.grid.hidden));
}

/** Rows the county will turn away for their code alone: no 12-digit code, or one of another township. */
export function foreignRows(sheets: readonly SheetModel[], township: string): number {
  let n = 0;
  for (const s of sheets) for (const v of s.scored?.villages ?? []) if (!v.code || !v.code.startsWith(township)) n++;
  return n;
}

export function submissionOf(sheet: SheetModel, townshipCode: string, fileName: string): Submission {
  const scored = sheet.scored!;
  return buildSubmission({
    period: scored.period.label,
    townshipCode,
    // The service's limits (shared/submission.ts): a CSV file's sheet is named after the file.
    sheet: scored.name.slice(0, 100),
    fileName: fileName.slice(-255),
    source: 'browser',
    columns: scored.columns,
    rows: sheet.rows!.rows,
  });
}
