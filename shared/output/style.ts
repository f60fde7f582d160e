// Shared looks for the sheets we create (考评结果, 整改台账, the template).
import type { Borders, Cell, Fill, Font, Worksheet } from 'exceljs';
import { solidFill } from './palette.ts';
import { textWidth } from './xlsx.ts';

export const THIN_BORDER: Partial<Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

export const HEADER_FILL: Fill = solidFill('FFD9E1F2');
export const TITLE_FONT: Partial<Font> = { name: '宋体', size: 16, bold: true };
export const HEADER_FONT: Partial<Font> = { name: '宋体', size: 11, bold: true };
export const BODY_FONT: Partial<Font> = { name: '宋体', size: 11 };

export function styleHeaderCell(cell: Cell): void {
  cell.style = {
    font: { ...HEADER_FONT },
    fill: { ...HEADER_FILL },
    border: { ...THIN_BORDER },
    alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
  };
}

export function styleBodyCell(cell: Cell, opts: { numFmt?: string; wrap?: boolean; center?: boolean } = {}): void {
  cell.style = {
    font: { ...BODY_FONT },
    border: { ...THIN_BORDER },
    alignment: { vertical: 'middle', wrapText: opts.wrap ?? false, ...(opts.center ? { horizontal: 'center' as const } : {}) },
    ...(opts.numFmt ? { numFmt: opts.numFmt } : {}),
  };
}

/** A title across `width` columns on `row`. */
export function titleRow(ws: Worksheet, row: number, width: number, text: string, font: Partial<Font> = TITLE_FONT): void {
  if (width > 1) ws.mergeCells(row, 1, row, width);
  const cell = ws.getCell(row, 1);
  cell.value = text;
  cell.style = { font: { ...font }, alignment: { horizontal: font === TITLE_FONT ? 'center' : 'left', vertical: 'middle' } };
}

/** Column widths from the longest text in each column (CJK counts double), within bounds. */
export function fitColumns(ws: Worksheet, texts: readonly (readonly string[])[], min = 6, max = 60): void {
  const widths: number[] = [];
  for (const row of texts) row.forEach((t, i) => (widths[i] = Math.max(widths[i] ?? 0, ...t.split('\n').map(textWidth))));
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = Math.min(max, Math.max(min, w + 2))));
}
