// Which format a file is, from its bytes alone (an .xls name may hold an HTML page, a .csv name an xlsx).
// Files kaoping cannot read at all (PDF, Word, a password, pre-1997 Excel) are refused here with a Chinese
// message that says what to do.
import { SheetError } from './errors.ts';
import type { SheetFormat } from './types.ts';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

function hasPrefix(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((b, i) => bytes[i] === b);
}

/** Byte search for an ASCII (or UTF-16LE) string; zip entry names are stored uncompressed. */
export function containsAscii(bytes: Uint8Array, s: string, utf16le = false): boolean {
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

/** Excel 2.x–4.0 wrote a bare BIFF stream (no compound file): BOF record 0x0009, 0x0209 or 0x0409. */
function isBareBiff(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0x09 && (bytes[1] === 0x00 || bytes[1] === 0x02 || bytes[1] === 0x04) && bytes[3] === 0x00 && bytes[2]! >= 4 && bytes[2]! <= 16;
}

/** The first characters of a text file, decoded just enough to see its first tag (ASCII markers). */
function textHead(bytes: Uint8Array): string {
  const n = Math.min(bytes.length, 8192);
  const head = bytes.subarray(0, n);
  if (hasPrefix(head, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(head.subarray(2));
  if (hasPrefix(head, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(head.subarray(2));
  // UTF-16 without a mark: every other byte NUL in ASCII text.
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i + 1 < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  if (n >= 8 && oddZero > n * 0.15 && evenZero < n * 0.025) return new TextDecoder('utf-16le').decode(head);
  if (n >= 8 && evenZero > n * 0.15 && oddZero < n * 0.025) return new TextDecoder('utf-16be').decode(head);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(head[i]!);
  return s;
}

/** Markup that opens with an HTML element (comments, a doctype or an XML declaration may come first). */
const HTML_START = /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!doctype\s+html|<(?:html|head|body|table|meta|style|title|div)\b)/;

/** Decide how to read the bytes, or throw a SheetError naming the format that is not supported. */
export function sniffFormat(bytes: Uint8Array): SheetFormat {
  if (bytes.length === 0) throw new SheetError('empty-file', '文件为空（0 字节），请确认上传的是填好的表格');
  if (hasPrefix(bytes, OLE2)) {
    if (containsAscii(bytes, 'EncryptedPackage', true)) {
      throw new SheetError('encrypted', '工作簿设置了打开密码，无法读取；请在 Excel/WPS 中取消密码后另存为 .xlsx 再上传');
    }
    return 'xls';
  }
  if (hasPrefix(bytes, ZIP) || hasPrefix(bytes, ZIP_EMPTY)) {
    if (!hasEndOfCentralDirectory(bytes)) {
      throw new SheetError('xlsx-corrupt', '文件不是有效的 xlsx 工作簿（zip 结构损坏：文件不完整），可能下载或复制时被截断，请重新保存或重新下载后再试');
    }
    if (containsAscii(bytes, 'application/vnd.oasis.opendocument.spreadsheet')) return 'ods';
    if (containsAscii(bytes, 'xl/workbook.bin')) return 'xlsb';
    if (!containsAscii(bytes, 'xl/')) {
      const what = containsAscii(bytes, 'application/vnd.oasis.opendocument.text')
        ? 'OpenDocument 文本（.odt）'
        : containsAscii(bytes, 'word/')
          ? 'Word 文档（.docx）'
          : containsAscii(bytes, 'ppt/')
            ? 'PowerPoint 演示文稿（.pptx）'
            : '普通压缩包';
      throw new SheetError('not-spreadsheet-zip', `文件是${what}，不是表格；请上传 Excel、WPS 表格或 CSV 文件`);
    }
    return 'xlsx';
  }
  if (hasPrefix(bytes, PDF)) throw new SheetError('pdf', '文件是 PDF，不是表格；请上传 Excel、WPS 表格或 CSV 文件');
  if (isBareBiff(bytes)) {
    throw new SheetError('xls-old', '文件是 Excel 4.0 或更早版本的工作表，无法读取；请在 Excel/WPS 中打开后另存为 .xlsx 再上传');
  }
  const head = textHead(bytes).replace(/^\ufeff/, '').trimStart().toLowerCase();
  if (head.startsWith('mime-version:') || /^(?:[\w-]+:[^\n]*\r?\n)*content-type:\s*multipart\/related/.test(head)) {
    throw new SheetError('mhtml', '文件是“单个文件网页”（.mht）格式，只是扩展名像 Excel；请在 Excel/WPS 中打开后另存为 .xlsx 再上传');
  }
  if (head.startsWith('<?xml') || head.startsWith('<?mso-application')) {
    if (head.includes('urn:schemas-microsoft-com:office:spreadsheet') || head.includes('progid="excel.sheet"')) return 'xml2003';
    if (HTML_START.test(head)) return 'html';
    throw new SheetError('xml-unknown', '文件是 XML 数据，但不是 Excel 2003 XML 表格；请在 Excel/WPS 中打开后另存为 .xlsx 再上传');
  }
  if (HTML_START.test(head)) return 'html';
  return 'csv';
}
