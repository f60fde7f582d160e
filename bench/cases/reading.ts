// Case 6: reading a file to grids (readWorkbook: sniffing, the format's guard, the parser, the grid), village rows
// per second, per format, at 2,000 villages (about the 250,000-cell limit of one file): one township-style sheet
// (demoValues, messy, every input of both standards) written as .xlsx by ExcelJS and, from that, as .xls (BIFF8),
// .xlsb, .ods and SpreadsheetML 2003 by SheetJS, as an HTML table (GBK, the text each cell shows) and as a UTF-8 CSV.
// The reference, in the same run: ExcelJS reading the same .xlsx into cell values, as kaoping's reader did before
// SheetJS read every format (load + one pass over every cell).
import ExcelJS from 'exceljs';
import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import { demoColumns, demoCounty, demoValues } from '../../shared/demo/generate.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { makePeriod } from '../../shared/scoring/period.ts';
import { readWorkbook } from '../../shared/sheet/read.ts';
import { median } from '../lib/load.ts';
import { fmt } from '../lib/stats.ts';

export const READING_VILLAGES = 2000;

export interface ReadingRow {
  format: string;
  bytes: number;
  ms: number[];
  rowsPerSecond: number;
  /** rows/s ÷ the ExcelJS reference's rows/s. */
  vsExcelJs: number;
}

export interface ReadingResult {
  villages: number;
  cells: number;
  excelJs: { ms: number[]; rowsPerSecond: number };
  formats: ReadingRow[];
  table: string[][];
}

async function workbook(n: number): Promise<{ xlsx: Uint8Array; cells: number }> {
  const rulebook = defaultRulebook();
  const townships = Math.ceil(n / 20);
  const county = demoCounty({ seed: 7, townships, villagesPerTownship: [20, 20] });
  const villages = county.townships.flatMap((t) => t.villages).slice(0, n);
  const period = makePeriod('year', 2026, 1);
  const columns = demoColumns(rulebook);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('村级情况');
  ws.addRow([`${county.name}2026年度村党组织建设情况调查表`]);
  ws.addRow(columns.map((c) => (c.unit && c.kind !== 'bool' && c.kind !== 'judgement' ? `${c.label}（${c.unit}）` : c.label)));
  let cells = columns.length + 1;
  for (const v of villages) {
    const values = demoValues(rulebook, v, period, { messy: true });
    ws.addRow(columns.map((c) => {
      const s = values[c.id];
      if (s === undefined || s === '') return null;
      cells++;
      return /^\d+(\.\d+)?$/.test(s) && c.kind !== 'code' && c.kind !== 'date' ? Number(s) : s;
    }));
  }
  return { xlsx: new Uint8Array(await wb.xlsx.writeBuffer()), cells };
}

function htmlOf(book: XLSX.WorkBook): Uint8Array {
  const html = XLSX.utils.sheet_to_html(book.Sheets[book.SheetNames[0]!]!).replace('<head>', '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">');
  return new Uint8Array(iconv.encode(html, 'gbk'));
}

async function excelJsRead(bytes: Uint8Array): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer, { ignoreNodes: ['dataValidations'] });
  let n = 0;
  for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell(() => void n++));
  return n;
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

export async function benchReading(opts: { runs?: number; villages?: number } = {}): Promise<ReadingResult> {
  const runs = opts.runs ?? 5;
  const n = opts.villages ?? READING_VILLAGES;
  const { xlsx, cells } = await workbook(n);
  const book = XLSX.read(xlsx, { type: 'array', cellNF: true });
  const files: [string, Uint8Array][] = [
    ['xlsx (ExcelJS-written)', xlsx],
    ['xls (BIFF8)', new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xls' }) as ArrayBuffer)],
    ['xlsb', new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsb' }) as ArrayBuffer)],
    ['ods', new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'ods' }) as ArrayBuffer)],
    ['SpreadsheetML 2003', new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlml' }) as ArrayBuffer)],
    ['HTML table (GBK)', htmlOf(book)],
    ['CSV (UTF-8)', new TextEncoder().encode(XLSX.utils.sheet_to_csv(book.Sheets[book.SheetNames[0]!]!))],
  ];
  const refMs = await time(runs, () => excelJsRead(xlsx));
  const refRate = n / (median(refMs) / 1000);
  const formats: ReadingRow[] = [];
  for (const [format, bytes] of files) {
    const grids = await readWorkbook(bytes, 'bench');
    const rows = grids[0]!.rows.length;
    if (rows < n + 2) throw new Error(`${format}: read ${rows} rows, expected ${n + 2}`);
    const ms = await time(runs, () => readWorkbook(bytes, 'bench'));
    const rate = n / (median(ms) / 1000);
    formats.push({ format, bytes: bytes.length, ms, rowsPerSecond: rate, vsExcelJs: rate / refRate });
  }
  const table = [
    ['file → grid', 'size', 'median', 'village rows/s', 'vs ExcelJS'],
    ['ExcelJS, the .xlsx (reference)', fmt(xlsx.length / 1e6, ' MB'), fmt(median(refMs), ' ms'), fmt(Math.round(refRate)), '1×'],
    ...formats.map((f) => [`readWorkbook, ${f.format}`, fmt(f.bytes / 1e6, ' MB'), fmt(median(f.ms), ' ms'), fmt(Math.round(f.rowsPerSecond)), fmt(f.vsExcelJs, '×')]),
  ];
  return { villages: n, cells, excelJs: { ms: refMs, rowsPerSecond: refRate }, formats, table };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchReading();
  console.log(r.table.map((row) => row.join('\t')).join('\n'));
}
