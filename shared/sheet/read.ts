// Bytes → grids: the one reader of every file an officer has. The content decides the format, not the file
// name (sniff.ts); each format passes its guard before any parser builds anything from it (zip-guard.ts for
// xlsx/xlsb/ods, cfb-guard.ts for xls, markup-guard.ts for HTML and SpreadsheetML 2003); SheetJS reads every
// workbook format (sheetjs.ts) and kaoping's own parser reads CSV. Every failure is a SheetError with a
// Chinese message.
import type { Grid } from '../types.ts';
import { encodeAddress } from './address.ts';
import { guardCfb } from './cfb-guard.ts';
import { parseCsv } from './csv.ts';
import { decodeText } from './decode.ts';
import { SheetError } from './errors.ts';
import { checkFileSize, checkGridLimits, SHEET_LIMITS, tooManyRows, type SheetLimits } from './limits.ts';
import { guardMarkup } from './markup-guard.ts';
import { decodeMarkup, decodeNumericEntities, htmlTables } from './markup.ts';
import { loadSheetJs, workbookToGrids } from './sheetjs.ts';
import { sniffFormat } from './sniff.ts';
import { FORMAT_ZH, type SheetCell, type SheetFormat, type SheetGrid } from './types.ts';
import { guardZipWorkbook } from './zip-guard.ts';

export { sniffFormat } from './sniff.ts';
/** @deprecated name kept for callers: the format a file was read as. */
export type FileFormat = SheetFormat;

/** A text file that is really a binary: NUL bytes (outside UTF-16) or many control characters. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.length === 0) return false;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0xfffd) control++;
  }
  return control > sample.length * 0.05;
}

function baseName(fileName: string): string {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name) || 'Sheet1';
}

function extension(fileName: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(fileName);
  return m ? m[1]!.toLowerCase() : '';
}

export function readCsv(bytes: Uint8Array, fileName: string, limits: SheetLimits = SHEET_LIMITS): SheetGrid {
  checkFileSize(bytes, limits);
  const decoded = decodeText(bytes);
  const text = decoded.text;
  if (looksBinary(text)) {
    throw new SheetError('binary', '文件不是可识别的表格（不是 Excel、WPS 或 OpenDocument 工作簿，也不是网页表格或文本 CSV）；如能在 Excel/WPS 中打开，请另存为 .xlsx 再上传');
  }
  // Stop early rather than build millions of rows or fields (a file of line breaks or commas).
  const parsed = parseCsv(text, { maxRows: limits.maxRows + 1, maxFields: limits.maxCells * 4 });
  if (parsed.stopped === 'rows' || parsed.rows.length > limits.maxRows) throw tooManyRows('文件', limits.maxRows + 1, limits, true);
  if (parsed.stopped === 'fields') {
    throw new SheetError(
      'too-many-cells',
      `文件中的字段（含空字段）超过上限 ${(limits.maxCells * 4).toLocaleString('en-US')} 个；请删除多余的行列（或检查分隔符）后另存再试`,
    );
  }
  const rows: (SheetCell | undefined)[][] = parsed.rows.map((fields, r) => {
    const out: (SheetCell | undefined)[] = [];
    fields.forEach((f, c) => {
      if (f !== '') out[c] = { address: encodeAddress(r, c), value: f };
    });
    return out;
  });
  const warnings = [...parsed.warnings];
  if (decoded.encoding === 'gb18030') warnings.push('文件不是 UTF-8 编码，已按 GB18030（GBK）读取');
  const ext = extension(fileName);
  if (WORKBOOK_EXTENSIONS.has(ext)) warnings.push(`文件扩展名为 .${ext}，但内容是文本表格，已按 CSV 读取`);
  const grid: SheetGrid = {
    name: baseName(fileName),
    rows,
    merges: [],
    source: 'csv',
    encoding: decoded.encoding,
    bom: decoded.bom,
    delimiter: parsed.delimiter,
    warnings,
  };
  checkGridLimits([grid], limits);
  return grid;
}

/** Extensions that name a workbook; a file under one of them whose bytes say otherwise is read by its bytes. */
const WORKBOOK_EXTENSIONS = new Set(['xlsx', 'xlsm', 'xltx', 'xltm', 'xls', 'xlt', 'xlsb', 'et', 'ett', 'ods', 'ots', 'xml']);

/** The extensions each format is normally saved under (no remark when a file uses one of them). */
const USUAL_EXTENSIONS: Record<SheetFormat, readonly string[]> = {
  xlsx: ['xlsx', 'xlsm', 'xltx', 'xltm'],
  xlsb: ['xlsb'],
  xls: ['xls', 'xlt', 'et', 'ett'],
  ods: ['ods', 'ots'],
  xml2003: ['xml', 'xls'],
  html: ['html', 'htm', 'xls'],
  csv: ['csv', 'txt', 'tsv'],
};

/** What a SheetJS failure means for the officer. The guard has already refused what is damaged in the
 * container; what is left is a workbook whose content cannot be parsed. */
function unreadable(format: SheetFormat, fileName: string, e: unknown): SheetError {
  const detail = e instanceof Error ? e.message : String(e);
  if (/password|encrypt/i.test(detail)) {
    return new SheetError('encrypted', '工作簿设置了打开密码，无法读取；请在 Excel/WPS 中取消密码后另存为 .xlsx 再上传', { cause: e, detail });
  }
  const et = extension(fileName) === 'et' || extension(fileName) === 'ett';
  const what = et ? 'WPS 表格文件（.et）' : FORMAT_ZH[format];
  // xlsx keeps its own code (the Worker answers file_xlsx-invalid, as before SheetJS read xlsx).
  return new SheetError(format === 'xlsx' ? 'xlsx-invalid' : 'workbook-invalid', `文件是${what}，但其中的内容无法解析（文件可能已损坏）；请在 ${et ? 'WPS' : 'Excel/WPS'} 中打开后另存为 .xlsx 再上传`, {
    cause: e,
    detail,
  });
}

function silenceConsole(): { restore(): void } {
  const c = globalThis.console as unknown as Record<'error' | 'warn' | 'log', (...a: unknown[]) => void> | undefined;
  if (!c) return { restore() {} };
  const saved = { error: c.error, warn: c.warn, log: c.log };
  const mute = () => {};
  c.error = c.warn = c.log = mute;
  return {
    restore() {
      Object.assign(c, saved);
    },
  };
}

type SheetJsInput = { data: Uint8Array; type: 'array' } | { data: string; type: 'string' };

/** Parse with SheetJS and turn the result into grids. The guard of the format has run before. */
async function readWithSheetJs(input: SheetJsInput, format: SheetFormat, fileName: string, limits: SheetLimits): Promise<SheetGrid[]> {
  const XLSX = await loadSheetJs();
  let wb: ReturnType<typeof XLSX.read>;
  // SheetJS prints remarks about what it could not map (ODS number formats, names) with console.error; they are
  // not the officer's business and must not reach the command line's output. Reading is synchronous, so the
  // console is quiet exactly while SheetJS runs.
  const quiet = silenceConsole();
  try {
    wb = XLSX.read(input.data, {
      type: input.type,
      dense: true,
      // Formula text shows a formula Excel never calculated. Not for .xlsb: SheetJS parses its formula tokens only
      // when asked, and its token loop cannot be bounded by a guard (README: what the guards cannot bound); an
      // .xlsb always carries the calculated values.
      cellFormula: format !== 'xlsb',
      cellNF: true,
      cellStyles: true, // column widths
      cellText: false,
      cellHTML: false,
      cellDates: false,
      raw: true, // HTML cells stay text: 2021.10 is not 2021.1, 100% is not 1
      bookVBA: false,
      bookDeps: false,
      bookFiles: false,
      WTF: false,
      // No sheetRows: it would silently drop a value beyond it. The guards bound what SheetJS builds, and
      // workbookToGrids refuses a value beyond the row and column limits.
    });
  } catch (e) {
    throw unreadable(format, fileName, e);
  } finally {
    quiet.restore();
  }
  return workbookToGrids(wb, { format, limits, baseName: baseName(fileName) });
}

/** An HTML table export: decode by its declared charset, bound it, read each data table as a sheet. */
async function readHtml(bytes: Uint8Array, fileName: string, limits: SheetLimits): Promise<SheetGrid[]> {
  const decoded = decodeMarkup(bytes, 'html');
  guardMarkup(decoded.text, 'html', limits);
  const tables = htmlTables(decodeNumericEntities(decoded.text));
  if (tables.length === 0) {
    throw new SheetError('no-table', '文件是网页（HTML）格式，但其中没有表格；请确认导出的是数据表，或在 Excel/WPS 中打开后另存为 .xlsx 再上传');
  }
  const grids: SheetGrid[] = [];
  for (const [i, table] of tables.entries()) {
    const [grid] = await readWithSheetJs({ data: table, type: 'string' }, 'html', fileName, limits);
    if (!grid) continue;
    grid.name = tables.length === 1 ? baseName(fileName) : `${baseName(fileName)}-表${i + 1}`;
    grids.push(grid);
  }
  for (const g of grids) Object.assign(g, { encoding: decoded.encoding, bom: decoded.bom }).warnings.push(...decoded.warnings);
  return grids;
}

/**
 * Read every sheet of a workbook (xlsx/xlsm, xlsb, xls, ods, SpreadsheetML 2003, an HTML table) or the single
 * table of a CSV file. Returns SheetGrid objects (a Grid plus source format, hidden flag, encoding, column widths
 * and warnings). Throws SheetError with a Chinese message for empty, foreign, encrypted, oversized or damaged files.
 */
export async function readWorkbook(bytes: Uint8Array, fileName: string, limits: SheetLimits = SHEET_LIMITS): Promise<SheetGrid[]> {
  checkFileSize(bytes, limits);
  const format = sniffFormat(bytes);
  let grids: SheetGrid[];
  switch (format) {
    case 'csv':
      return [readCsv(bytes, fileName, limits)];
    case 'xlsx':
    case 'xlsb':
    case 'ods':
      await guardZipWorkbook(bytes, { kind: format, limits });
      grids = await readWithSheetJs({ data: bytes, type: 'array' }, format, fileName, limits);
      break;
    case 'xls': {
      const info = guardCfb(bytes, limits);
      if (info.encryptedPackage || info.filePass) {
        throw new SheetError('encrypted', '工作簿设置了打开密码，无法读取；请在 Excel/WPS 中取消密码后另存为 .xlsx 再上传');
      }
      if (!info.workbookStream) {
        const et = ['et', 'ett'].includes(extension(fileName));
        throw new SheetError(
          'not-workbook',
          et
            ? '这个 WPS 表格文件（.et）使用 WPS 自己的格式，无法读取；请在 WPS 中“另存为” Excel 工作簿（.xlsx）后再上传'
            : '文件是 Office 旧版文档（如 Word .doc），不是表格；请上传 Excel、WPS 表格或 CSV 文件',
        );
      }
      grids = await readWithSheetJs({ data: bytes, type: 'array' }, format, fileName, limits);
      break;
    }
    case 'xml2003': {
      const decoded = decodeMarkup(bytes, 'xml2003');
      guardMarkup(decoded.text, 'xml2003', limits);
      grids = await readWithSheetJs({ data: decoded.text, type: 'string' }, format, fileName, limits);
      for (const g of grids) Object.assign(g, { encoding: decoded.encoding, bom: decoded.bom }).warnings.push(...decoded.warnings);
      break;
    }
    case 'html':
      grids = await readHtml(bytes, fileName, limits);
      break;
  }
  checkGridLimits(grids, limits);
  const ext = extension(fileName);
  if (ext && !USUAL_EXTENSIONS[format].includes(ext)) {
    for (const g of grids) g.warnings.push(`文件扩展名为 .${ext}，但内容是${FORMAT_ZH[format]}，已按内容读取`);
  }
  return grids;
}

/** Narrow a Grid to a SheetGrid when it came from readWorkbook. */
export function isSheetGrid(grid: Grid): grid is SheetGrid {
  return 'source' in grid && 'warnings' in grid;
}
