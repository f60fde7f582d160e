// The 整改台账 sheet: one row per requirement a village fails (and per unreadable value, which must be
// checked), with blank columns for the officer to fill: 整改责任人, 整改措施; a deadline and a status.
import type { Workbook } from 'exceljs';
import type { RequirementResult, ScoredSheet, VillageScore } from '../types.ts';
import { citation, formatDateTime, rectificationDeadline, STANDARD_NAME } from './format.ts';
import { LEDGER_SHEET } from './names.ts';
import { BODY_FONT, fitColumns, styleBodyCell, styleHeaderCell, titleRow } from './style.ts';
import { sheetRef } from './xlsx.ts';

export const LEDGER_COLUMNS = [
  '序号',
  '村名',
  '区划代码',
  '标准',
  '条款',
  '问题',
  '单元格',
  '发现期次',
  '整改责任人',
  '整改时限',
  '整改措施',
  '状态',
] as const;

export const LEDGER_HEADER_ROW = 3;
export const DEFAULT_DEADLINE_DAYS = 30;
export const LEDGER_STATES = ['未整改', '整改中', '已整改'] as const;

/** Marks a row whose value could not be read: the sheet must be checked before anything is rectified. */
export const INVALID_PREFIX = '【数据有误】';
export const INVALID_NOTE = '该项数据无法识别：请核实原表中的数据并更正后重新考评；确属未达标的，按未达标整改。';

export interface LedgerEntry {
  sheet: ScoredSheet;
  village: VillageScore;
  result: RequirementResult;
}

export interface LedgerRow {
  seq: number;
  village: string;
  code: string;
  standard: string;
  article: string;
  problem: string;
  cell: string;
  period: string;
  deadline: Date;
  status: (typeof LEDGER_STATES)[number];
  invalid: boolean;
}

/** Failing (and unreadable) requirements of every village, in sheet and row order. */
export function ledgerEntries(sheets: readonly ScoredSheet[]): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (const sheet of sheets)
    for (const village of sheet.villages)
      for (const result of village.results) if (result.status === 'fail' || result.status === 'invalid') out.push({ sheet, village, result });
  return out;
}

export function ledgerRows(sheets: readonly ScoredSheet[], deadlineDays = DEFAULT_DEADLINE_DAYS): LedgerRow[] {
  return ledgerEntries(sheets).map(({ sheet, village, result }, i) => {
    const invalid = result.status === 'invalid';
    return {
      seq: i + 1,
      village: village.name ?? '',
      code: village.code ?? '',
      standard: STANDARD_NAME[result.standard],
      article: citation(result.standard, result.article),
      problem: (invalid ? INVALID_PREFIX : '') + stripCitation(result),
      cell: result.cell ? sheetRef(sheet.name, result.cell) : '',
      period: sheet.period.labelZh,
      deadline: rectificationDeadline(sheet.period, deadlineDays),
      status: '未整改',
      invalid,
    };
  });
}

/** The message without its leading citation (the 条款 column already says it): "基本标准第24条：X" → "X",
 * "基本标准第18条（支部委员会每月召开1次）：X" → "支部委员会每月召开1次：X". */
export function stripCitation(r: Pick<RequirementResult, 'standard' | 'article' | 'message'>): string {
  const msg = r.message.trim();
  const c = citation(r.standard, r.article);
  if (!msg.startsWith(c)) return msg;
  const m = /^（([^）]*)）\s*[：:]\s*|^\s*[：:]\s*/.exec(msg.slice(c.length));
  if (!m) return msg;
  const rest = msg.slice(c.length + m[0].length);
  return m[1] ? `${m[1]}：${rest}` : rest;
}

export function writeLedger(wb: Workbook, input: { sheets: readonly ScoredSheet[]; rulebookName: string; generatedAt: Date; deadlineDays?: number }): void {
  const ws = wb.addWorksheet(LEDGER_SHEET, { properties: { tabColor: { argb: 'FFC00000' } } });
  const width = LEDGER_COLUMNS.length;
  const days = input.deadlineDays ?? DEFAULT_DEADLINE_DAYS;
  titleRow(ws, 1, width, '整改台账');
  ws.getRow(1).height = 28;
  titleRow(ws, 2, width, `考评依据：${input.rulebookName}\u3000\u3000生成时间：${formatDateTime(input.generatedAt)}\u3000\u3000整改时限：期末后${days}日`, BODY_FONT);

  const header = ws.getRow(LEDGER_HEADER_ROW);
  LEDGER_COLUMNS.forEach((h, i) => {
    header.getCell(i + 1).value = h;
    styleHeaderCell(header.getCell(i + 1));
  });

  const rows = ledgerRows(input.sheets, days);
  const texts: string[][] = [[...LEDGER_COLUMNS]];
  let r = LEDGER_HEADER_ROW + 1;
  for (const e of rows) {
    const row = ws.getRow(r++);
    const values: (string | number | Date)[] = [e.seq, e.village, e.code, e.standard, e.article, e.problem, e.cell, e.period, '', e.deadline, '', e.status];
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      const col = LEDGER_COLUMNS[i];
      cell.value = v === '' ? null : v;
      styleBodyCell(cell, {
        numFmt: col === '区划代码' ? '@' : col === '整改时限' ? 'yyyy-mm-dd' : undefined,
        wrap: col === '问题' || col === '整改措施',
        center: col === '序号' || col === '状态' || col === '整改时限',
      });
      if (col === '状态') {
        cell.dataValidation = {
          type: 'list',
          allowBlank: true,
          formulae: [`"${LEDGER_STATES.join(',')}"`],
          showErrorMessage: true,
          errorStyle: 'warning',
        };
      }
    });
    if (e.invalid) row.getCell(LEDGER_COLUMNS.indexOf('问题') + 1).note = INVALID_NOTE;
    texts.push([String(e.seq), e.village, e.code, e.standard, e.article, e.problem.slice(0, 40), e.cell, e.period, '整改责任人', '2026-01-01', '整改措施'.padEnd(12, ' '), e.status]);
  }
  if (rows.length === 0) {
    ws.mergeCells(r, 1, r, width);
    ws.getCell(r, 1).value = '本次考评未发现未达标项。';
    ws.getCell(r, 1).font = { ...BODY_FONT };
    r++;
  }

  fitColumns(ws, texts);
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: LEDGER_HEADER_ROW, activeCell: 'A1' }];
  ws.autoFilter = { from: { row: LEDGER_HEADER_ROW, column: 1 }, to: { row: LEDGER_HEADER_ROW + rows.length, column: width } };
  ws.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${LEDGER_HEADER_ROW}:${LEDGER_HEADER_ROW}` };
}
