// The colours of an annotated workbook: one fill per result status, with the Chinese legend shown on the
// 考评结果 sheet. Kept in one place so the annotated copy, the add-in and the dashboard agree.
import type { Status } from '../types.ts';

export interface StatusStyle {
  /** RGB hex without '#', e.g. C6EFCE. */
  hex: string;
  /** ExcelJS ARGB, e.g. FFC6EFCE. */
  argb: string;
  /** Short status label used in notes: 【未达标】. */
  label: string;
  /** Colour name in Chinese, for the legend. */
  colour: string;
  /** One legend line. */
  legend: string;
}

export const STATUS_PALETTE: Readonly<Record<Status, StatusStyle>> = {
  pass: { hex: 'C6EFCE', argb: 'FFC6EFCE', label: '达标', colour: '浅绿', legend: '达标：符合标准要求' },
  fail: { hex: 'FFC7CE', argb: 'FFFFC7CE', label: '未达标', colour: '浅红', legend: '未达标：不符合标准要求，需整改' },
  missing: { hex: 'FFEB9C', argb: 'FFFFEB9C', label: '缺数据', colour: '浅黄', legend: '待补：未填写或表中没有此列，请补充数据' },
  invalid: { hex: 'FFEB9C', argb: 'FFFFEB9C', label: '数据有误', colour: '浅黄', legend: '待补：数据无法识别，请核实更正' },
  manual: { hex: 'DDEBF7', argb: 'FFDDEBF7', label: '待评', colour: '浅蓝', legend: '待评：需观摩评议后人工评定' },
};

/** Higher is worse. When several requirements read one cell, the worst status decides its fill. */
export const STATUS_SEVERITY: Readonly<Record<Status, number>> = { pass: 0, manual: 1, missing: 2, invalid: 3, fail: 4 };

/** Label for a requirement that is listed in `skipped` (not applicable, or not due this period). */
export const SKIPPED_LABEL = '不考核';

export function worstStatus(statuses: Iterable<Status>): Status | undefined {
  let worst: Status | undefined;
  for (const s of statuses) if (worst === undefined || STATUS_SEVERITY[s] > STATUS_SEVERITY[worst]) worst = s;
  return worst;
}

/** The legend as shown on 考评结果: one row per colour (missing and invalid share the yellow). */
export const LEGEND: readonly { hex: string; argb: string; colour: string; text: string }[] = [
  { ...pick('pass'), text: '达标：符合标准要求' },
  { ...pick('fail'), text: '未达标：不符合标准要求，列入整改台账' },
  { ...pick('missing'), text: '待补：未填写、表中没有此列或数据无法识别，请补充或更正' },
  { ...pick('manual'), text: '待评：定性指标，需观摩评议（听、查、看、谈、评）后人工评定' },
];

function pick(s: Status): { hex: string; argb: string; colour: string } {
  const p = STATUS_PALETTE[s];
  return { hex: p.hex, argb: p.argb, colour: p.colour };
}

/** A solid fill in ExcelJS's shape. A new object every call: ExcelJS shares style objects between cells. */
export function solidFill(argb: string): { type: 'pattern'; pattern: 'solid'; fgColor: { argb: string } } {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

export function statusFill(status: Status): ReturnType<typeof solidFill> {
  return solidFill(STATUS_PALETTE[status].argb);
}
