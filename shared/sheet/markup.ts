// HTML and SpreadsheetML 2003 files as text. Government systems' 导出Excel buttons write an HTML table (or
// Excel 2003 XML) under an .xls name, usually in GBK/GB2312 and saying so in a <meta charset> or the XML
// declaration. The declared charset is honoured; a declaration the bytes contradict (GBK declared, UTF-8 written,
// a common slip of export code) is overruled by the bytes, and the officer is told.
import iconv from 'iconv-lite';
import { decodeText } from './decode.ts';
import type { TextEncoding } from './types.ts';

export interface DecodedMarkup {
  text: string;
  encoding: TextEncoding;
  bom: boolean;
  /** The charset the file declares, as written (gb2312, utf-8 …). */
  declared?: string;
  warnings: string[];
}

const GB = /^(?:gb2312|gbk|gb18030|x-gbk|cp936|ms936|windows-936|euc-cn|csgb2312|chinese|iso-ir-58)$/;
const BIG5 = /^(?:big5|big5-hkscs|x-x-big5|cp950|csbig5)$/;
const UTF8 = /^(?:utf-?8|unicode-1-1-utf-8)$/;

/** The charset an HTML or XML file declares in its first 4 KB (ASCII scan; the declaration itself is ASCII). */
export function declaredCharset(bytes: Uint8Array, kind: 'html' | 'xml2003'): string | undefined {
  let head = '';
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) head += String.fromCharCode(bytes[i]!);
  head = head.toLowerCase();
  const xml = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([\w.:-]+)["']/.exec(head.replace(/^\xef\xbb\xbf/, ''));
  if (kind === 'xml2003') return xml?.[1];
  const meta = /<meta\b[^>]*?\bcharset\s*=\s*["']?([\w.:-]+)/.exec(head);
  return meta?.[1] ?? xml?.[1];
}

function validUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

/** Bytes of an HTML or XML spreadsheet → text, by byte-order mark, then declaration, then the bytes themselves. */
export function decodeMarkup(bytes: Uint8Array, kind: 'html' | 'xml2003'): DecodedMarkup {
  const guessed = decodeText(bytes);
  if (guessed.bom || guessed.encoding === 'utf-16le' || guessed.encoding === 'utf-16be') return { ...guessed, warnings: [] };
  const declared = declaredCharset(bytes, kind);
  const label = declared?.toLowerCase();
  const warnings: string[] = [];
  if (label && GB.test(label)) {
    if (hasNonAscii(bytes) && validUtf8(bytes)) {
      warnings.push(`文件声明的编码为 ${declared}，但内容实际是 UTF-8，已按 UTF-8 读取`);
      return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', bom: false, declared, warnings };
    }
    return { text: iconv.decode(bytes as Parameters<typeof iconv.decode>[0], 'gb18030'), encoding: 'gb18030', bom: false, declared, warnings };
  }
  if (label && BIG5.test(label)) {
    if (hasNonAscii(bytes) && validUtf8(bytes)) {
      warnings.push(`文件声明的编码为 ${declared}，但内容实际是 UTF-8，已按 UTF-8 读取`);
      return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', bom: false, declared, warnings };
    }
    return { text: iconv.decode(bytes as Parameters<typeof iconv.decode>[0], 'big5'), encoding: 'big5', bom: false, declared, warnings };
  }
  if (label && UTF8.test(label) && guessed.encoding === 'gb18030') {
    warnings.push(`文件声明的编码为 ${declared}，但内容不是有效的 UTF-8，已按 GB18030（GBK）读取`);
  } else if (label && !UTF8.test(label)) {
    warnings.push(`文件声明的编码 ${declared} 不常见，已按内容判断为 ${guessed.encoding === 'gb18030' ? 'GB18030（GBK）' : 'UTF-8'} 读取`);
  } else if (guessed.encoding === 'gb18030') {
    warnings.push('文件没有声明编码，内容不是 UTF-8，已按 GB18030（GBK）读取');
  }
  return { text: guessed.text, encoding: guessed.encoding, bom: false, ...(declared ? { declared } : {}), warnings };
}

/** Numeric character references (&#20013; &#x4e2d;) → characters, except those that would make markup
 * (< > & " '): SheetJS decodes only a few named entities itself. */
export function decodeNumericEntities(text: string): string {
  return text.replace(/&#(?:(\d{1,7})|[xX]([0-9a-fA-F]{1,6}));/g, (all, dec: string | undefined, hex: string | undefined) => {
    const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    if (!Number.isFinite(cp) || cp > 0x10ffff || cp === 0 || (cp >= 0xd800 && cp <= 0xdfff)) return all;
    const ch = String.fromCodePoint(cp);
    return '<>&"\''.includes(ch) ? all : ch;
  });
}

/** The innermost <table>…</table> elements of an HTML text, in document order. Exports often wrap the data
 * table in a layout table; the data is always a table that holds no other table. Comments are skipped; an
 * unclosed table runs to the end of the text. */
export function htmlTables(text: string): string[] {
  const found: { at: number; html: string }[] = [];
  const open: { at: number; leaf: boolean }[] = [];
  const tag = /<!--[\s\S]*?-->|<(\/?)table\b[^>]*>/gi;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    if (m[0].startsWith('<!--')) continue;
    if (m[1] === '') {
      const parent = open[open.length - 1];
      if (parent) parent.leaf = false;
      open.push({ at: m.index, leaf: true });
    } else {
      const t = open.pop();
      if (t?.leaf) found.push({ at: t.at, html: text.slice(t.at, m.index + m[0].length) });
    }
  }
  const last = open[open.length - 1];
  if (last?.leaf) found.push({ at: last.at, html: `${text.slice(last.at)}</table>` });
  return found.sort((a, b) => a.at - b.at).map((f) => f.html);
}
