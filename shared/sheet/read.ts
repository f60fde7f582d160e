// Bytes → grids. The content decides the format, not the file name: a zip is an xlsx workbook, text is CSV;
// legacy and foreign formats are refused with a Chinese message that says what to do.
import type { Grid } from '../types.ts';
import { encodeAddress } from './address.ts';
import { parseCsv } from './csv.ts';
import { decodeText } from './decode.ts';
import { SheetError } from './errors.ts';
import { checkFileSize, checkGridLimits, SHEET_LIMITS, tooManyRows, type SheetLimits } from './limits.ts';
import type { SheetCell, SheetGrid } from './types.ts';
import { readXlsx } from './xlsx.ts';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

function hasPrefix(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((b, i) => bytes[i] === b);
}

/** Byte search for an ASCII (or UTF-16LE) string; zip entry names are stored uncompressed. */
function contains(bytes: Uint8Array, s: string, utf16le = false): boolean {
  const pat: number[] = [];
  for (const ch of s) {
    pat.push(ch.charCodeAt(0));
    if (utf16le) pat.push(0);
  }
  const first = pat[0];
  const last = bytes.length - pat.length;
  outer: for (let i = 0; i <= last; i++) {
    if (bytes[i] !== first) continue;
    for (let j = 1; j < pat.length; j++) if (bytes[i + j] !== pat[j]) continue outer;
    return true;
  }
  return false;
}

/** A complete zip ends with an end-of-central-directory record (PK 05 06) within its last 64 KiB + 22 bytes. */
function hasEndOfCentralDirectory(bytes: Uint8Array): boolean {
  const stop = Math.max(0, bytes.length - 65557);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) return true;
  }
  return false;
}

export type FileFormat = 'xlsx' | 'csv';

/** Decide how to read the bytes, or throw a SheetError naming the format that is not supported. */
export function sniffFormat(bytes: Uint8Array): FileFormat {
  if (bytes.length === 0) throw new SheetError('empty-file', '文件为空（0 字节），请确认上传的是填好的表格');
  if (hasPrefix(bytes, OLE2)) {
    if (contains(bytes, 'EncryptedPackage', true)) {
      throw new SheetError('encrypted', '工作簿设置了打开密码，无法读取；请在 Excel/WPS 中取消密码后另存为 .xlsx 再上传');
    }
    throw new SheetError('xls', '不支持旧版 .xls 格式（或 WPS 的 .et 格式），请在 Excel/WPS 中另存为 .xlsx 后再上传');
  }
  if (hasPrefix(bytes, ZIP) || hasPrefix(bytes, ZIP_EMPTY)) {
    if (contains(bytes, 'application/vnd.oasis.opendocument.spreadsheet')) {
      throw new SheetError('ods', '不支持 OpenDocument 表格（.ods），请另存为 .xlsx 后再上传');
    }
    if (contains(bytes, 'xl/workbook.bin')) {
      throw new SheetError('xlsb', '不支持 Excel 二进制工作簿（.xlsb），请另存为 .xlsx 后再上传');
    }
    if (!hasEndOfCentralDirectory(bytes)) {
      throw new SheetError('xlsx-corrupt', '文件不是有效的 xlsx 工作簿（zip 结构损坏：文件不完整），可能下载或复制时被截断，请重新保存或重新下载后再试');
    }
    if (!contains(bytes, 'xl/')) {
      const what = contains(bytes, 'word/')
        ? 'Word 文档（.docx）'
        : contains(bytes, 'ppt/')
          ? 'PowerPoint 演示文稿（.pptx）'
          : '普通压缩包';
      throw new SheetError('not-spreadsheet-zip', `文件是${what}，不是 xlsx 工作簿；请上传 .xlsx 或 .csv 表格`);
    }
    return 'xlsx';
  }
  if (hasPrefix(bytes, PDF)) throw new SheetError('pdf', '文件是 PDF，不是表格；请上传 .xlsx 或 .csv 表格');
  return 'csv';
}

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
    throw new SheetError('binary', '文件不是可识别的表格（既不是 xlsx 工作簿，也不是文本 CSV）；请上传 .xlsx 或 .csv 表格');
  }
  const head = text.slice(0, 2048).trimStart().toLowerCase();
  if (head.startsWith('<?xml') && head.includes('urn:schemas-microsoft-com:office:spreadsheet')) {
    throw new SheetError('xml-2003', '文件是 Excel 2003 XML 表格，请在 Excel/WPS 中打开后另存为 .xlsx 再上传');
  }
  if (/^(<!doctype html|<html|<table|<\?xml[^>]*>\s*<html)/.test(head) || /^<(meta|head|body)\b/.test(head)) {
    throw new SheetError('html', '文件是网页（HTML）格式，只是扩展名像 Excel；请在 Excel/WPS 中打开后另存为 .xlsx 再上传');
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
  if (ext === 'xlsx' || ext === 'xlsm' || ext === 'xls') {
    warnings.push(`文件扩展名为 .${ext}，但内容是文本表格，已按 CSV 读取`);
  }
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

/**
 * Read every sheet of a workbook (xlsx) or the single table of a CSV file.
 * Returns SheetGrid objects (a Grid plus source, hidden flag, encoding and warnings).
 * Throws SheetError with a Chinese message for empty, legacy, foreign, encrypted or corrupt files.
 */
export async function readWorkbook(bytes: Uint8Array, fileName: string, limits: SheetLimits = SHEET_LIMITS): Promise<SheetGrid[]> {
  checkFileSize(bytes, limits);
  const format = sniffFormat(bytes);
  if (format === 'xlsx') {
    const grids = await readXlsx(bytes, limits);
    checkGridLimits(grids, limits);
    const ext = extension(fileName);
    if (ext === 'csv' || ext === 'txt') {
      for (const g of grids) g.warnings.push(`文件扩展名为 .${ext}，但内容是 xlsx 工作簿，已按工作簿读取`);
    }
    return grids;
  }
  return [readCsv(bytes, fileName, limits)];
}

/** Narrow a Grid to a SheetGrid when it came from readWorkbook. */
export function isSheetGrid(grid: Grid): grid is SheetGrid {
  return 'source' in grid && 'warnings' in grid;
}
