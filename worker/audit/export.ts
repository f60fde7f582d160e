// Exports of the 操作日志 (the filtered entries, newest first, at most EXPORT_MAX): CSV (UTF-8 with BOM so
// Excel on Chinese Windows reads it, formula-neutralised by shared/output/csv.ts) and .xlsx (ExcelJS). Every
// text cell of the .xlsx is written as text (format "@") and neutralised the same way, so a name or note
// such as =HYPERLINK(…) stays inert even when copied elsewhere or saved again as CSV.
import type * as ExcelJSNs from 'exceljs';
import type { Workbook } from 'exceljs';
import { neutralizeCsvCell, toCsv } from '../../shared/output/csv.ts';
import { ROLE_ZH } from '../auth/middleware.ts';
import { describeFilter, EXPORT_MAX, type AuditFilter, type AuditView } from './read.ts';

/** An ISO instant as Beijing time, 2026-07-01 09:30:12 (UTC+8 all year). */
export function beijingTime(iso: string): string {
  const t = new Date(iso).getTime();
  if (!Number.isFinite(t)) return iso;
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const HEADERS = ['编号', '时间（北京时间）', '操作人', '账号', '身份', '操作', '操作代码', '对象', '摘要', '详情'] as const;
const WIDTHS = [8, 20, 12, 14, 10, 16, 18, 38, 60, 60];

function cells(e: AuditView): (string | number)[] {
  return [
    e.id,
    beijingTime(e.at),
    e.actor.name ?? '',
    e.actor.login ?? e.actor.id,
    e.actor.role ? ROLE_ZH[e.actor.role] : '',
    e.actionLabel,
    e.action,
    e.object ?? '',
    e.summary,
    typeof e.detail === 'string' ? e.detail : JSON.stringify(e.detail),
  ];
}

export function truncatedNote(): string {
  return `仅导出最新的 ${EXPORT_MAX} 条；请缩小日期范围后分批导出`;
}

export function auditCsv(entries: readonly AuditView[], truncated: boolean): string {
  const rows: (string | number)[][] = [[...HEADERS], ...entries.map(cells)];
  if (truncated) rows.push([truncatedNote()]);
  return toCsv(rows);
}

type ExcelJSModule = typeof ExcelJSNs;

async function excelJs(): Promise<ExcelJSModule> {
  const m = await import('exceljs');
  return ((m as { default?: ExcelJSModule }).default ?? m) as ExcelJSModule;
}

export async function auditXlsx(
  entries: readonly AuditView[],
  a: { filter: AuditFilter; countyName: string | null; truncated: boolean; now?: Date },
): Promise<Uint8Array<ArrayBuffer>> {
  const ExcelJS = await excelJs();
  const wb: Workbook = new ExcelJS.Workbook();
  wb.creator = 'kaoping';
  wb.created = a.now ?? new Date();
  const ws = wb.addWorksheet('操作日志', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 3 }],
  });
  ws.columns = WIDTHS.map((width) => ({ width }));
  const n = HEADERS.length;
  const text = (s: string) => neutralizeCsvCell(s);
  ws.mergeCells(1, 1, 1, n);
  const title = ws.getCell(1, 1);
  title.value = text(`操作日志 — ${a.countyName ?? ''}（${a.filter.county}）`);
  title.font = { bold: true, size: 14 };
  ws.mergeCells(2, 1, 2, n);
  ws.getCell(2, 1).value = text(
    `${describeFilter(a.filter)}　共 ${entries.length} 条${a.truncated ? `（${truncatedNote()}）` : ''}　导出时间：${beijingTime((a.now ?? new Date()).toISOString())}`,
  );
  const header = ws.getRow(3);
  HEADERS.forEach((h, i) => {
    const cell = header.getCell(i + 1);
    cell.value = h;
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  });
  entries.forEach((e, k) => {
    const row = ws.getRow(4 + k);
    cells(e).forEach((v, i) => {
      const cell = row.getCell(i + 1);
      if (typeof v === 'number') {
        cell.value = v;
      } else {
        cell.value = text(v);
        cell.numFmt = '@';
      }
      cell.alignment = { vertical: 'top', wrapText: i >= 8 };
    });
  });
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer) as Uint8Array<ArrayBuffer>;
}

export function auditDisposition(county: string, ext: 'csv' | 'xlsx', now = new Date()): string {
  const day = beijingTime(now.toISOString()).slice(0, 10).replace(/-/g, '');
  const ascii = `audit-${county}-${day}.${ext}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(`操作日志_${county}_${day}.${ext}`)}`;
}
