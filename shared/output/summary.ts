// The 考评结果 sheet: one row per village with its total, level, provisional stars (本表内预评) and counts by status.
import type { Workbook } from 'exceljs';
import type { ScoredSheet, VillageScore } from '../types.ts';
import { formatDateTime, round4 } from './format.ts';
import { PROVISIONAL, RESULT_SHEET } from './names.ts';
import { LEGEND, solidFill } from './palette.ts';
import { BODY_FONT, HEADER_FONT, THIN_BORDER, fitColumns, styleBodyCell, styleHeaderCell, titleRow } from './style.ts';

/** The stars column: rated over this sheet's villages, so provisional (names.ts PROVISIONAL). */
export const STARS_COLUMN = `星级（${PROVISIONAL}）` as const;

export const SUMMARY_COLUMNS = [
  '行号',
  '区划代码',
  '村名',
  '乡镇',
  '组织类型',
  '总分',
  '满分',
  '等次',
  STARS_COLUMN,
  '达标项',
  '未达标项',
  '待补项',
  '待评项',
  '一票否决',
  '说明',
  '工作表',
] as const;

/** 1-based row of the header on 考评结果; data rows follow it. */
export const SUMMARY_HEADER_ROW = 5;

export interface SummaryInput {
  sheets: readonly ScoredSheet[];
  rulebookName: string;
  generatedAt: Date;
  /** What the copy kept of the original file, when it was rebuilt (shared/output/copy.ts). */
  sourceNote?: string;
}

export interface VillageCounts {
  pass: number;
  fail: number;
  /** missing + invalid */
  pending: number;
  manual: number;
}

export function countStatuses(v: VillageScore): VillageCounts {
  const c: VillageCounts = { pass: 0, fail: 0, pending: 0, manual: 0 };
  for (const r of v.results) {
    if (r.status === 'pass') c.pass++;
    else if (r.status === 'fail') c.fail++;
    else if (r.status === 'manual') c.manual++;
    else c.pending++;
  }
  return c;
}

/** The distinct period labels of the sheets, in order: 2026年第一季度、2026年第二季度. */
export function periodsText(sheets: readonly ScoredSheet[]): string {
  return [...new Set(sheets.map((s) => s.period.labelZh))].join('、');
}

/** Values of one summary row, in SUMMARY_COLUMNS order. */
export function summaryRow(sheet: ScoredSheet, v: VillageScore): (string | number | null)[] {
  const c = countStatuses(v);
  const remarks = [v.levelReason, ...v.problems].filter((s) => s && s.trim()).join('；');
  return [
    v.row,
    v.code ?? '',
    v.name ?? '',
    v.township ?? '',
    v.orgType ?? '',
    round4(v.total),
    round4(v.maxTotal),
    v.level,
    v.stars ?? null,
    c.pass,
    c.fail,
    c.pending,
    c.manual,
    v.veto.length ? `是：${v.veto.join('；')}` : '否',
    remarks,
    sheet.name,
  ];
}

/** Add 考评结果 as the last sheet (the caller removes an older one first). */
export function writeSummary(wb: Workbook, input: SummaryInput): void {
  const ws = wb.addWorksheet(RESULT_SHEET, { properties: { tabColor: { argb: 'FF4472C4' } } });
  const width = SUMMARY_COLUMNS.length;
  titleRow(ws, 1, width, '村党组织建设考评结果');
  ws.getRow(1).height = 28;
  titleRow(ws, 2, width, `考评依据：${input.rulebookName}`, BODY_FONT);
  titleRow(ws, 3, width, `考评期次：${periodsText(input.sheets)}`, BODY_FONT);
  titleRow(ws, 4, width, `生成时间：${formatDateTime(input.generatedAt)}`, BODY_FONT);

  const header = ws.getRow(SUMMARY_HEADER_ROW);
  SUMMARY_COLUMNS.forEach((h, i) => {
    const cell = header.getCell(i + 1);
    cell.value = h;
    styleHeaderCell(cell);
  });
  header.height = 20;

  const texts: string[][] = [[...SUMMARY_COLUMNS]];
  let r = SUMMARY_HEADER_ROW + 1;
  for (const sheet of input.sheets) {
    for (const v of sheet.villages) {
      const values = summaryRow(sheet, v);
      const row = ws.getRow(r++);
      values.forEach((val, i) => {
        const cell = row.getCell(i + 1);
        const col = SUMMARY_COLUMNS[i];
        // Text from the officer's sheet is written as a string value: ExcelJS never turns a string into
        // a formula, and the 区划代码 column is text so that 12 digits survive.
        cell.value = val === null ? null : val;
        styleBodyCell(cell, {
          numFmt: col === '区划代码' ? '@' : undefined,
          wrap: col === '说明' || col === '一票否决',
          center: typeof val === 'number',
        });
      });
      texts.push(values.map((v) => (v === null ? '' : String(v))));
    }
  }
  const lastDataRow = r - 1;

  // Legend below the table.
  r += 1;
  const legendTitle = ws.getCell(r, 1);
  legendTitle.value = '图例';
  legendTitle.font = { ...HEADER_FONT };
  r++;
  for (const item of LEGEND) {
    const swatch = ws.getCell(r, 1);
    swatch.value = item.colour;
    swatch.style = { font: { ...BODY_FONT }, fill: solidFill(item.argb), border: { ...THIN_BORDER }, alignment: { horizontal: 'center' } };
    ws.mergeCells(r, 2, r, 6);
    const text = ws.getCell(r, 2);
    text.value = item.text;
    text.font = { ...BODY_FONT };
    r++;
  }
  if (input.sourceNote) {
    r += 1;
    const title = ws.getCell(r, 1);
    title.value = '原文件';
    title.font = { ...HEADER_FONT };
    ws.mergeCells(r, 2, r, width);
    const note = ws.getCell(r, 2);
    note.value = input.sourceNote;
    note.font = { ...BODY_FONT };
    note.alignment = { wrapText: true, vertical: 'top' };
    ws.getRow(r).height = 32;
  }

  fitColumns(ws, texts.map((t) => t.map((s, i) => (SUMMARY_COLUMNS[i] === '说明' || SUMMARY_COLUMNS[i] === '一票否决' ? s.slice(0, 30) : s))));
  ws.getColumn(1).width = Math.max(ws.getColumn(1).width ?? 0, 8);
  ws.views = [{ state: 'frozen', xSplit: 3, ySplit: SUMMARY_HEADER_ROW, topLeftCell: `D${SUMMARY_HEADER_ROW + 1}`, activeCell: 'A1' }];
  ws.autoFilter = { from: { row: SUMMARY_HEADER_ROW, column: 1 }, to: { row: Math.max(lastDataRow, SUMMARY_HEADER_ROW), column: width } };
  ws.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${SUMMARY_HEADER_ROW}:${SUMMARY_HEADER_ROW}` };
}
