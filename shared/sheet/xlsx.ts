// xlsx → SheetGrid[] via ExcelJS. Works the same on files written by Excel, WPS, LibreOffice and ExcelJS:
// shared or inline strings, rich text, cached formula results (plain and shared formulas), errors, hyperlinks.
import type * as ExcelJSNs from 'exceljs';
import { decodeRange, encodeAddress } from './address.ts';
import { SheetError } from './errors.ts';
import { formatDisplay } from './format.ts';
import { checkFileSize, SHEET_LIMITS, tooManyColumns, tooManyRows, type SheetLimits } from './limits.ts';
import type { SheetCell, SheetGrid } from './types.ts';
import { guardXlsx } from './zip-guard.ts';

type ExcelJSModule = typeof ExcelJSNs;

// ExcelJS is large; load it only when a workbook is actually read (a CSV upload never pays for it).
let excelJs: Promise<ExcelJSModule> | undefined;
function loadExcelJs(): Promise<ExcelJSModule> {
  excelJs ??= import('exceljs').then((m) => ((m as { default?: ExcelJSModule }).default ?? m) as ExcelJSModule);
  return excelJs;
}

type Scalar = string | number | boolean | Date | null;

function richTextToString(v: unknown): string | undefined {
  if (v && typeof v === 'object' && 'richText' in v && Array.isArray((v as { richText: unknown }).richText)) {
    return (v as { richText: { text?: unknown }[] }).richText.map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
  }
  return undefined;
}

function isErrorValue(v: unknown): v is { error: string } {
  return !!v && typeof v === 'object' && 'error' in v && typeof (v as { error: unknown }).error === 'string';
}

interface Converted {
  value: Scalar;
  formula?: string;
  note?: string;
}

/** One ExcelJS cell value → a plain value, a formula (if any) and a note on how it was read. */
function convertValue(v: ExcelJSNs.CellValue, formulaText: string | undefined): Converted | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { value: v };
  if (v instanceof Date) {
    return Number.isNaN(v.getTime()) ? { value: null, note: '日期值无效' } : { value: v };
  }
  const rich = richTextToString(v);
  if (rich !== undefined) return { value: rich };
  if ('hyperlink' in v) {
    const text = (v as { text?: unknown }).text;
    const s = typeof text === 'string' ? text : (richTextToString(text) ?? String(v.hyperlink ?? ''));
    return { value: s };
  }
  if ('formula' in v || 'sharedFormula' in v) {
    const formula = formulaText ?? ('formula' in v ? v.formula : undefined) ?? '';
    const result = (v as { result?: unknown }).result;
    if (result === undefined || result === null) {
      return {
        value: `=${formula}`,
        formula,
        note: '公式没有缓存的计算结果（文件保存前未经 Excel/WPS 计算），已按公式文本读取',
      };
    }
    if (isErrorValue(result)) return { value: result.error, formula, note: `公式结果为错误值 ${result.error}` };
    if (result instanceof Date || ['string', 'number', 'boolean'].includes(typeof result)) {
      return { value: result as Scalar, formula };
    }
    const richResult = richTextToString(result);
    if (richResult !== undefined) return { value: richResult, formula };
    return { value: `=${formula}`, formula, note: '公式结果无法识别，已按公式文本读取' };
  }
  if (isErrorValue(v)) return { value: v.error, note: `单元格为错误值 ${v.error}` };
  return undefined;
}

// Messages of JSZip and pako when the container or a compressed part is damaged (as opposed to XML that
// cannot be parsed, which the sax parser reports).
const ZIP_ERROR =
  /zip|central directory|end of data|signature|corrupt|crc32|compression|size mismatch|unexpected end|too many length|invalid (stored|block|distance|code|literal|bit|window)|incorrect (header|data|length) check/i;

function isZipError(e: unknown): boolean {
  return ZIP_ERROR.test(e instanceof Error ? e.message : String(e));
}

/** Read every worksheet of an xlsx. The zip guard checks sizes, ratios, headers and element counts first
 * (shared/sheet/zip-guard.ts); data validations are not loaded (the reader has no use for them, and ExcelJS
 * would keep one entry per validated cell). Grid limits are checked by readWorkbook (checkGridLimits). */
export async function readXlsx(bytes: Uint8Array, limits: SheetLimits = SHEET_LIMITS): Promise<SheetGrid[]> {
  checkFileSize(bytes, limits);
  await guardXlsx(bytes, { limits });
  const ExcelJS = await loadExcelJs();
  const wb = new ExcelJS.Workbook();
  try {
    // JSZip (inside ExcelJS) accepts a Uint8Array; ExcelJS's typings only name Buffer.
    await wb.xlsx.load(bytes as unknown as ArrayBuffer, { ignoreNodes: ['dataValidations'] });
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    if (isZipError(e)) {
      throw new SheetError('xlsx-corrupt', '文件不是有效的 xlsx 工作簿（zip 结构损坏），可能下载不完整，请重新保存或重新下载后再试', {
        cause: e,
        detail,
      });
    }
    throw new SheetError('xlsx-invalid', '文件不是有效的 xlsx 工作簿（工作簿内容无法解析），请在 Excel/WPS 中打开后另存为 .xlsx', {
      cause: e,
      detail,
    });
  }

  const grids: SheetGrid[] = [];
  for (const ws of wb.worksheets) {
    const rows: (SheetCell | undefined)[][] = [];
    const warnings: string[] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const r = rowNumber - 1;
      const out: (SheetCell | undefined)[] = [];
      row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
        if (cell.isMerged && cell.master.address !== cell.address) return; // covered by a merge: raw cell is blank
        // Checked before the row is stored: a lone value at row 1,048,576 must not make a million-row grid.
        if (rowNumber > limits.maxRows) throw tooManyRows(`工作表“${ws.name}”（第 ${rowNumber.toLocaleString('en-US')} 行有内容）`, rowNumber, limits);
        if (colNumber > limits.maxColumns) throw tooManyColumns(`工作表“${ws.name}”（${cell.address} 有内容）`, colNumber, limits);
        let formulaText: string | undefined;
        if (cell.type === ExcelJS.ValueType.Formula) {
          try {
            formulaText = cell.formula;
          } catch {
            formulaText = undefined;
          }
        }
        const conv = convertValue(cell.value, formulaText);
        if (!conv) return;
        const c = colNumber - 1;
        const numFmt = typeof cell.numFmt === 'string' && cell.numFmt !== '' ? cell.numFmt : undefined;
        const out1: SheetCell = {
          address: encodeAddress(r, c),
          value: conv.value,
          text: formatDisplay(conv.value, numFmt),
        };
        if (numFmt) out1.numFmt = numFmt;
        if (conv.formula !== undefined) out1.formula = conv.formula;
        if (conv.note !== undefined) out1.note = conv.note;
        out[c] = out1;
      });
      if (out.length > 0) rows[r] = out;
    });
    for (let r = 0; r < rows.length; r++) rows[r] ??= [];

    const merges: SheetGrid['merges'] = [];
    const modelMerges = (ws.model as { merges?: unknown }).merges;
    if (Array.isArray(modelMerges)) {
      for (const m of modelMerges) {
        const range = typeof m === 'string' ? decodeRange(m) : undefined;
        if (range && (range.bottom > range.top || range.right > range.left)) merges.push(range);
      }
    }
    merges.sort((a, b) => a.top - b.top || a.left - b.left);

    const grid: SheetGrid = { name: ws.name, rows, merges, source: 'xlsx', warnings };
    if (ws.state === 'hidden' || ws.state === 'veryHidden') {
      grid.hidden = ws.state;
      warnings.push(ws.state === 'hidden' ? '此工作表在 Excel 中被隐藏' : '此工作表在 Excel 中被深度隐藏（veryHidden）');
    }
    grids.push(grid);
  }
  return grids;
}
