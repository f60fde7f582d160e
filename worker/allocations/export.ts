// Exports of a saved allocation: CSV (UTF-8 with BOM, formula-neutralised, via shared/output/csv.ts) and
// .xlsx (ExcelJS, which runs inside workerd with nodejs_compat): a title row, the dates and version, the
// rows with their explanations, totals and the balance, the notes, and a signature block.
import type * as ExcelJSNs from 'exceljs';
import type { Workbook } from 'exceljs';
import { METHOD_LABELS } from '../../shared/allocation/explain.ts';
import { toCsv } from '../../shared/output/csv.ts';
import type { AllocationRecord } from './store.ts';

const LEVEL_ZH = { village: '村', township: '乡镇' } as const;

/** A time as Beijing date and minute (China has no daylight saving: UTC+8 all year). */
function beijing(iso: string, withTime = true): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
  return withTime ? `${date} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}` : date;
}

interface Column {
  header: string;
  width: number;
  value: (r: AllocationRecord['result']['rows'][number], rec: AllocationRecord) => string | number;
  numFmt?: string;
}

function columns(rec: AllocationRecord): Column[] {
  const cols: Column[] = [{ header: '名次', width: 7, value: (r) => r.rank }];
  if (rec.level === 'village') cols.push({ header: '乡镇', width: 12, value: (r, x) => x.ranking.details[r.id]?.townshipName ?? x.ranking.details[r.id]?.township ?? '' });
  cols.push(
    { header: '区划代码', width: 15, value: (r) => r.id },
    { header: '名称', width: 12, value: (r) => r.name },
    { header: '得分', width: 9, value: (r) => r.score, numFmt: '0.00' },
    { header: '参与分配', width: 9, value: (r) => (r.eligible ? '是' : '否') },
    { header: '金额（元）', width: 12, value: (r) => r.amount, numFmt: '#,##0' },
    { header: '计算说明', width: 70, value: (r) => r.explanation },
  );
  return cols;
}

function exportFileName(rec: AllocationRecord, ext: 'csv' | 'xlsx'): { ascii: string; utf8: string } {
  return {
    ascii: `allocation-${rec.period}-v${rec.version}.${ext}`,
    utf8: `${rec.title}_${rec.period}_第${rec.version}版.${ext}`.replace(/[\\/:*?"<>|\r\n]/g, '_'),
  };
}

export function contentDisposition(rec: AllocationRecord, ext: 'csv' | 'xlsx'): string {
  const n = exportFileName(rec, ext);
  return `attachment; filename="${n.ascii}"; filename*=UTF-8''${encodeURIComponent(n.utf8)}`;
}

/** CSV: a header row, one row per unit, then 合计, 预算 and 结余 rows (amount column). */
export function allocationCsv(rec: AllocationRecord): string {
  const cols = columns(rec);
  const amountAt = cols.findIndex((c) => c.header === '金额（元）');
  const line = (label: string, amount: number) => cols.map((_, i) => (i === 0 ? label : i === amountAt ? amount : ''));
  return toCsv([
    cols.map((c) => c.header),
    ...rec.result.rows.map((r) => cols.map((c) => c.value(r, rec))),
    line('合计', rec.result.allocated),
    line('预算', rec.result.budget),
    line('结余', rec.result.balance),
  ]);
}

type ExcelJSModule = typeof ExcelJSNs;

// ExcelJS is large: load it only when an .xlsx is asked for.
async function excelJs(): Promise<ExcelJSModule> {
  const m = await import('exceljs');
  return ((m as { default?: ExcelJSModule }).default ?? m) as ExcelJSModule;
}

export async function allocationXlsx(rec: AllocationRecord, now = new Date()): Promise<Uint8Array<ArrayBuffer>> {
  const ExcelJS = await excelJs();
  const wb: Workbook = new ExcelJS.Workbook();
  wb.creator = 'kaoping';
  wb.created = new Date(rec.createdAt);
  const ws = wb.addWorksheet('以奖代补分配', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 4 }],
  });
  const cols = columns(rec);
  const n = cols.length;
  ws.columns = cols.map((c) => ({ width: c.width }));
  const thin = { style: 'thin' as const };
  const border = { top: thin, left: thin, bottom: thin, right: thin };

  // 1: title
  ws.mergeCells(1, 1, 1, n);
  const title = ws.getCell(1, 1);
  title.value = rec.title;
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 30;
  // 2–3: what, when, which version
  ws.mergeCells(2, 1, 2, n);
  ws.getCell(2, 1).value =
    `${rec.ranking.countyName ?? rec.countyCode}　${rec.ranking.periodZh}${LEVEL_ZH[rec.level]}级排名（${rec.ranking.rankBasis}）　` +
    `分配方法：${METHOD_LABELS[rec.result.method]}　预算：${rec.result.budget}元　第${rec.version}版` +
    (rec.rulebookVersion !== null ? `　县级规则第${rec.rulebookVersion}版` : '　按基本标准（无县级规则）');
  ws.mergeCells(3, 1, 3, n);
  ws.getCell(3, 1).value = `保存时间：${beijing(rec.createdAt)}（${rec.createdBy.name ?? rec.createdBy.id}）　导出日期：${beijing(now.toISOString(), false)}`;
  for (const r of [2, 3]) ws.getCell(r, 1).alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
  // 4: header
  const header = ws.getRow(4);
  cols.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    cell.border = border;
  });
  // rows
  const first = 5;
  rec.result.rows.forEach((r, k) => {
    const row = ws.getRow(first + k);
    cols.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.value = c.value(r, rec);
      if (c.numFmt) cell.numFmt = c.numFmt;
      cell.border = border;
      cell.alignment = { vertical: 'top', wrapText: c.header === '计算说明' };
    });
  });
  const last = first + rec.result.rows.length - 1;
  const amountCol = cols.findIndex((c) => c.header === '金额（元）') + 1;
  const colLetter = ws.getColumn(amountCol).letter;
  // totals, budget, balance: the values, with formulas an auditor can check in Excel
  const totals: [string, number, string | undefined][] = [
    ['合计', rec.result.allocated, rec.result.rows.length ? `SUM(${colLetter}${first}:${colLetter}${last})` : undefined],
    ['预算', rec.result.budget, undefined],
    ['结余', rec.result.balance, `${colLetter}${last + 2}-${colLetter}${last + 1}`],
  ];
  totals.forEach(([label, value, formula], k) => {
    const row = ws.getRow(last + 1 + k);
    row.getCell(1).value = label;
    row.getCell(1).font = { bold: true };
    const cell = row.getCell(amountCol);
    cell.value = formula ? { formula, result: value } : value;
    cell.numFmt = '#,##0';
    cell.font = { bold: true };
    for (let i = 1; i <= n; i++) row.getCell(i).border = border;
  });
  // notes
  let r = last + 5;
  ws.mergeCells(r, 1, r, n);
  ws.getCell(r, 1).value = '说明：';
  ws.getCell(r, 1).font = { bold: true };
  for (const note of rec.result.notes) {
    r++;
    ws.mergeCells(r, 1, r, n);
    const cell = ws.getCell(r, 1);
    cell.value = note;
    cell.alignment = { wrapText: true, vertical: 'top' };
    ws.getRow(r).height = Math.max(18, Math.ceil(note.length / 90) * 16);
  }
  // signature block
  r += 2;
  const sig = ws.getRow(r);
  const third = Math.max(1, Math.floor(n / 3));
  ['经办人：', '审核人：', '负责人：'].forEach((label, k) => {
    sig.getCell(1 + k * third).value = label;
    sig.getCell(1 + k * third).font = { bold: true };
  });
  sig.height = 36;
  const dates = ws.getRow(r + 1);
  for (let k = 0; k < 3; k++) dates.getCell(1 + k * third).value = '日期：　　年　　月　　日';
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer) as Uint8Array<ArrayBuffer>;
}
