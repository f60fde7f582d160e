// The zip guard: an xlsx is a zip archive, and ExcelJS (through JSZip) inflates every part into memory and
// builds an object for every cell, merged cell and validated cell it finds. Before any of that, this module
//   1. reads the end-of-central-directory record, the central directory and every local header itself, the
//      way JSZip does, and refuses archives whose declared sizes exceed the limits, whose compression ratio
//      is bomb-like, with too many entries, or whose headers disagree (overlapping or out-of-bounds data,
//      local and central headers that differ, counts that do not match, ZIP64 end records, encryption);
//   2. inflates every part once with the platform's DecompressionStream (browser, Node and workerd alike),
//      discarding the output as it comes, and stops as soon as a part yields more bytes than it declared, so
//      a bomb that lies about its sizes is bounded by the declared (capped) size, never by its real one;
//   3. while inflating worksheet XML, counts rows, cells, columns, merged and validated cells, and refuses a
//      workbook that would make ExcelJS build more objects than the limits allow.
// The same three steps guard an OpenDocument spreadsheet (.ods: content.xml, counted the way SheetJS's ODS reader
// materialises repeated rows and cells) and a binary workbook (.xlsb: the BIFF12 records of every worksheet part,
// walked as they inflate): `guardZipWorkbook(bytes, { kind })`.
// Pure: no Node built-ins.
import { SheetError } from './errors.ts';
import { formatBytes, SHEET_LIMITS, tooManyCells, tooManyColumns, tooManyHyperlinks, tooManyMerges, tooManyRows, type SheetLimits } from './limits.ts';

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Where the compressed bytes start (after the local header, its name and extra field). */
  dataOffset: number;
}

export interface ZipStats {
  entries: number;
  /** Sum of the declared (and verified) uncompressed sizes. */
  totalBytes: number;
  /** Worksheet XML: `<row>` and `<c>` elements, merged ranges and the cells they cover, validated cells. */
  rows: number;
  cells: number;
  merges: number;
  mergedCells: number;
  validationCells: number;
  /** Cells covered by hyperlinks (SheetJS visits every one). */
  hyperlinkCells: number;
  /** Last row and column holding a value (ODS, xlsb; 0 for xlsx, whose reader checks them after ExcelJS). */
  maxRow: number;
  maxColumn: number;
}

export type ZipWorkbookKind = 'xlsx' | 'ods' | 'xlsb';

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Bytes missing or out of place (a truncated or damaged file): the reader's usual "damaged" code. */
function broken(detail: string, label = 'xlsx'): SheetError {
  return new SheetError('xlsx-corrupt', `文件不是有效的 ${label} 工作簿（zip 结构损坏：${detail}），可能下载不完整或已损坏，请重新保存或重新下载后再试`);
}

/** Two records of the archive that contradict each other (sizes, names, counts, overlapping data). */
function corrupt(detail: string, label = 'xlsx'): SheetError {
  return new SheetError('zip-inconsistent', `文件不是有效的 ${label} 工作簿（zip 结构前后不一致：${detail}），可能已损坏或被篡改；请在 Excel/WPS 中打开后重新另存为 .xlsx 再试`);
}

/** Compressed data that does not inflate (or inflates short): the same message as a damaged zip in the reader. */
function damaged(label = 'xlsx'): SheetError {
  return new SheetError('xlsx-corrupt', `文件不是有效的 ${label} 工作簿（zip 结构损坏），可能下载不完整，请重新保存或重新下载后再试`);
}

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** A little-endian 64-bit size; refused when beyond 2^53 (nothing that large can be meant). */
function u64(b: Uint8Array, at: number): number {
  const lo = u32(b, at);
  const hi = u32(b, at + 4);
  if (hi >= 0x200000) throw corrupt('ZIP64 大小字段超出范围');
  return hi * 0x100000000 + lo;
}

/** The last end-of-central-directory signature in the file (JSZip takes the last one too). */
function findEocd(b: Uint8Array): number {
  for (let i = b.length - 4; i >= 0; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) return i;
  }
  return -1;
}

/** Extra-field blocks by id (JSZip reads them the same way: the last block with an id wins). */
function extraFields(b: Uint8Array, start: number, end: number): Map<number, { at: number; length: number }> {
  const out = new Map<number, { at: number; length: number }>();
  let p = start;
  while (p + 4 < end) {
    const id = u16(b, p);
    const length = u16(b, p + 2);
    if (p + 4 + length > end) throw corrupt('扩展字段长度超出范围');
    out.set(id, { at: p + 4, length });
    p += 4 + length;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

function entryName(b: Uint8Array, at: number, length: number, flags: number): string {
  const bytes = b.subarray(at, at + length);
  return (flags & 0x0800) !== 0 ? utf8.decode(bytes) : latin1.decode(bytes);
}

/**
 * Parse and check the archive's structure and declared sizes (step 1). Throws SheetError; returns the entries
 * whose data ExcelJS would inflate.
 */
export function parseZip(b: Uint8Array, limits: SheetLimits = SHEET_LIMITS, label = 'xlsx'): ZipEntry[] {
  const eocd = findEocd(b);
  if (eocd < 0 || eocd + 22 > b.length) throw broken('找不到完整的中央目录结束记录', label);
  const disk = u16(b, eocd + 4);
  const cdDisk = u16(b, eocd + 6);
  const onDisk = u16(b, eocd + 8);
  const total = u16(b, eocd + 10);
  const cdSize = u32(b, eocd + 12);
  const cdOffset = u32(b, eocd + 16);
  if (disk === MAX16 || cdDisk === MAX16 || onDisk === MAX16 || total === MAX16 || cdSize === MAX32 || cdOffset === MAX32) {
    // A ZIP64 end record is only needed beyond 65,535 entries or 4 GB, far past every limit below.
    throw new SheetError(
      'zip-unsupported',
      `文件使用了 ZIP64 大文件格式（用于超过 65,535 个部件或 4 GB 的压缩包），远超工作簿上限（${fmt(limits.maxZipEntries)} 个部件、共 ${formatBytes(limits.maxTotalBytes)}）；请在 Excel/WPS 中打开后重新另存为 .xlsx 再试`,
    );
  }
  if (disk !== 0 || cdDisk !== 0 || onDisk !== total) {
    throw new SheetError('zip-unsupported', `文件是分卷压缩包的一部分，不是完整的 ${label} 工作簿；请上传完整的 .${label} 文件`);
  }
  if (total > limits.maxZipEntries) {
    throw new SheetError('zip-entries', `工作簿压缩包中有 ${fmt(total)} 个部件，超过上限 ${fmt(limits.maxZipEntries)} 个；请删除多余的工作表、图片后另存再试`);
  }
  // JSZip tolerates bytes prepended to the archive by shifting every offset; do the same.
  const shift = eocd - (cdOffset + cdSize);
  if (shift < 0) throw broken(`中央目录缺少 ${fmt(-shift)} 字节`, label);

  const entries: ZipEntry[] = [];
  let p = cdOffset + shift;
  let totalBytes = 0;
  // JSZip reads central records for as long as the signature matches, whatever the count says.
  while (p + 4 <= b.length && u32(b, p) === SIG_CENTRAL) {
    if (entries.length >= limits.maxZipEntries) {
      throw new SheetError('zip-entries', `工作簿压缩包中的部件超过上限 ${fmt(limits.maxZipEntries)} 个；请删除多余的工作表、图片后另存再试`);
    }
    if (p + 46 > b.length) throw broken('中央目录记录不完整', label);
    const flags = u16(b, p + 8);
    const method = u16(b, p + 10);
    let compressedSize = u32(b, p + 20);
    let uncompressedSize = u32(b, p + 24);
    const nameLength = u16(b, p + 28);
    const extraLength = u16(b, p + 30);
    const commentLength = u16(b, p + 32);
    let diskStart = u16(b, p + 34);
    let localHeaderOffset = u32(b, p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > b.length) throw broken('中央目录记录超出文件范围', label);
    const name = entryName(b, p + 46, nameLength, flags);
    const extras = extraFields(b, p + 46 + nameLength, p + 46 + nameLength + extraLength);
    const zip64 = extras.get(0x0001);
    if (zip64) {
      // Per-entry ZIP64 sizes, read in JSZip's order; only the fields set to 0xFFFFFFFF are present.
      let q = zip64.at;
      const stop = zip64.at + zip64.length;
      const take = (n: number): number => {
        if (q + n > stop) throw corrupt(`部件“${name}”的 ZIP64 扩展字段不完整`, label);
        const v = n === 8 ? u64(b, q) : u32(b, q);
        q += n;
        return v;
      };
      if (uncompressedSize === MAX32) uncompressedSize = take(8);
      if (compressedSize === MAX32) compressedSize = take(8);
      if (localHeaderOffset === MAX32) localHeaderOffset = take(8);
      if (diskStart === MAX32) diskStart = take(4);
    }
    if (uncompressedSize === MAX32 || compressedSize === MAX32 || localHeaderOffset === MAX32) {
      throw corrupt(`部件“${name}”声明了 ZIP64 大小却没有 ZIP64 扩展字段`, label);
    }
    if (diskStart !== 0) throw new SheetError('zip-unsupported', `文件是分卷压缩包的一部分，不是完整的 ${label} 工作簿；请上传完整的 .${label} 文件`);
    if ((flags & 0x0001) !== 0) {
      throw new SheetError('encrypted', `工作簿中的部件“${name}”经过加密，无法读取；请在 Excel/WPS 中取消密码后另存为 .xlsx 再上传`);
    }
    if (method !== 0 && method !== 8) {
      throw new SheetError('zip-unsupported', `工作簿中的部件“${name}”使用了不支持的压缩方式（编号 ${method}）；请在 Excel/WPS 中打开后重新另存为 .xlsx 再试`);
    }
    if (uncompressedSize > limits.maxPartBytes) {
      throw new SheetError(
        'zip-part-too-large',
        `工作簿中的部件“${name}”解压后有 ${formatBytes(uncompressedSize)}，超过单个部件上限 ${formatBytes(limits.maxPartBytes)}；请删除大图片或多余的行列后另存再试`,
      );
    }
    totalBytes += uncompressedSize;
    if (totalBytes > limits.maxTotalBytes) {
      throw new SheetError(
        'zip-total-too-large',
        `工作簿解压后超过 ${formatBytes(limits.maxTotalBytes)}（上限），至少有 ${formatBytes(totalBytes)}；请删除与考评无关的工作表、图片后另存再试`,
      );
    }
    if (method === 0 && uncompressedSize !== compressedSize) {
      throw corrupt(`未压缩的部件“${name}”声明的大小 ${fmt(uncompressedSize)} 与存储大小 ${fmt(compressedSize)} 不同`, label);
    }
    if (method === 8) {
      if (uncompressedSize > limits.ratioGraceBytes && uncompressedSize > compressedSize * limits.maxRatio) {
        throw new SheetError(
          'zip-ratio',
          `工作簿中的部件“${name}”压缩比异常（${fmt(compressedSize)} 字节解压为 ${formatBytes(uncompressedSize)}，约 ${fmt(Math.round(uncompressedSize / Math.max(1, compressedSize)))} 倍，上限 ${limits.maxRatio} 倍），疑似“压缩炸弹”，已拒绝读取`,
        );
      }
    }
    // The local header: JSZip skips to its name and extra-field lengths and takes the data from there.
    const local = localHeaderOffset + shift;
    if (local + 30 > b.length || u32(b, local) !== SIG_LOCAL) throw broken(`部件“${name}”的本地文件头缺失`, label);
    const localFlags = u16(b, local + 6);
    const localMethod = u16(b, local + 8);
    const localCompressed = u32(b, local + 18);
    const localUncompressed = u32(b, local + 22);
    const localNameLength = u16(b, local + 26);
    const localExtraLength = u16(b, local + 28);
    const dataOffset = local + 30 + localNameLength + localExtraLength;
    if (localMethod !== method) throw corrupt(`部件“${name}”的本地文件头与中央目录的压缩方式不同`, label);
    const localName = entryName(b, local + 30, localNameLength, localFlags);
    if (localName.replace(/\\/g, '/') !== name.replace(/\\/g, '/')) throw corrupt(`部件“${name}”的本地文件头名称为“${localName.slice(0, 80)}”`, label);
    if ((localFlags & 0x0008) === 0 && localCompressed !== MAX32 && localUncompressed !== MAX32) {
      if (localCompressed !== compressedSize || localUncompressed !== uncompressedSize) {
        throw corrupt(`部件“${name}”的本地文件头与中央目录声明的大小不同`, label);
      }
    }
    if (dataOffset + compressedSize > cdOffset + shift) throw broken(`部件“${name}”的数据超出范围`, label);
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset: local, dataOffset });
    p = end;
  }
  if (entries.length !== total) throw corrupt(`中央目录结束记录声明 ${fmt(total)} 个部件，实际有 ${fmt(entries.length)} 个`, label);
  if (p !== cdOffset + shift + cdSize) throw corrupt('中央目录的长度与声明不符', label);
  // Parts must not share bytes: overlapping entries let a small archive declare one compressed block many times.
  const byOffset = [...entries].sort((a, b2) => a.localHeaderOffset - b2.localHeaderOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1]!;
    if (byOffset[i]!.localHeaderOffset < prev.dataOffset + prev.compressedSize) {
      throw corrupt(`部件“${prev.name}”与“${byOffset[i]!.name}”的数据相互重叠`, label);
    }
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Worksheet XML scan

/** Parts ExcelJS parses as worksheets (its own, unanchored pattern) and as notes. */
const WORKSHEET = /xl\/worksheets\/sheet(\d+)[.]xml/;
const COMMENTS = /xl\/comments\d*\.xml/;

const ADDRESS = /^\$?([A-Za-z]{0,3})\$?(\d*)$/;

function colNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** Cells covered by a range such as A1:C3, A:A (whole column) or 2:2 (whole row); 1 for one cell. */
export function rangeArea(ref: string): number {
  const [a, b = a] = ref.split(':');
  const m1 = ADDRESS.exec(a ?? '');
  const m2 = ADDRESS.exec(b ?? '');
  if (!m1 || !m2) return 1;
  const c1 = m1[1] ? colNumber(m1[1]) : 1;
  const c2 = m2[1] ? colNumber(m2[1]) : 16384;
  const r1 = m1[2] ? Number(m1[2]) : 1;
  const r2 = m2[2] ? Number(m2[2]) : 1_048_576;
  return (Math.abs(c2 - c1) + 1) * (Math.abs(r2 - r1) + 1);
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Counts XML elements of one part as its bytes stream past, whatever the chunk boundaries. */
class XmlCounter {
  rows = 0;
  cells = 0;
  merges = 0;
  mergedCells = 0;
  validationCells = 0;
  hyperlinkCells = 0;
  maxRowsInSheet = 0;
  /** Not tracked for xlsx (ExcelJS's reader checks values after reading). */
  readonly maxRow = 0;
  readonly maxColumn = 0;
  private state: 'text' | 'name' | 'tag' = 'text';
  private name = '';
  private tag = '';
  /** Inside a captured tag: the quote character of the attribute value being read, or 0. */
  private quote = 0;
  private capture = false;

  constructor(
    private readonly part: string,
    private readonly worksheet: boolean,
    private readonly limits: SheetLimits,
  ) {}

  feed(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.state === 'text') {
        if (c === 0x3c) {
          this.state = 'name';
          this.name = '';
        }
      } else if (this.state === 'name') {
        // element names: letters, digits, : _ - .
        if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x3a || c === 0x5f || c === 0x2d || c === 0x2e) {
          if (this.name.length < 40) this.name += String.fromCharCode(c);
        } else {
          this.element(c);
        }
      } else {
        // inside a tag we capture (mergeCell, dataValidation, col, row): keep its attributes up to the '>'
        // that closes it ('>' may appear inside a quoted attribute value)
        if (this.quote !== 0) {
          if (c === this.quote) this.quote = 0;
        } else if (c === 0x22 || c === 0x27) {
          this.quote = c;
        }
        if (c === 0x3e && this.quote === 0) {
          this.state = 'text';
          this.attributes(this.tag);
        } else if (this.tag.length < 4096) {
          this.tag += String.fromCharCode(c);
        }
      }
    }
  }

  private element(next: number): void {
    const local = this.name.slice(this.name.indexOf(':') + 1);
    this.state = 'text';
    if (local === 'c' && this.worksheet) this.cells++;
    else if (local === 'row' && this.worksheet) {
      this.rows++;
      this.capture = true;
    } else if (local === 'comment' && !this.worksheet) this.cells++;
    else if (this.worksheet && (local === 'mergeCell' || local === 'dataValidation' || local === 'col' || local === 'hyperlink')) this.capture = true;
    if (this.capture) {
      this.capture = false;
      this.state = 'tag';
      this.quote = 0;
      this.tag = ` ${String.fromCharCode(next)}`;
      if (next === 0x3e) {
        this.state = 'text';
        this.attributes('');
      }
    }
    // '<' followed by '<' starts another element name at once
    if (next === 0x3c && this.state === 'text') {
      this.state = 'name';
      this.name = '';
    }
    this.check();
  }

  private attributes(tag: string): void {
    const local = this.name.slice(this.name.indexOf(':') + 1);
    if (local === 'row') {
      const r = Number(attr(tag, 'r') ?? '0');
      if (r > this.maxRowsInSheet) this.maxRowsInSheet = r;
    } else if (local === 'mergeCell') {
      this.merges++;
      this.mergedCells += rangeArea(attr(tag, 'ref') ?? '');
    } else if (local === 'hyperlink') {
      this.hyperlinkCells += rangeArea(attr(tag, 'ref') ?? '');
      if (this.hyperlinkCells > this.limits.maxHyperlinkCells) throw tooManyHyperlinks(this.hyperlinkCells, this.limits);
    } else if (local === 'dataValidation') {
      for (const ref of (attr(tag, 'sqref') ?? '').split(/\s+/)) if (ref) this.validationCells += rangeArea(ref);
    } else if (local === 'col') {
      const max = Number(attr(tag, 'max') ?? '0');
      const min = Number(attr(tag, 'min') ?? '0');
      // ExcelJS creates one column object per column from 1 to max
      if (!(max <= 16384 && min <= 16384)) throw corrupt(`工作表“${this.part}”的列定义超出 Excel 的 16,384 列（max=${attr(tag, 'max')?.slice(0, 20)}）`);
    }
    this.check();
  }

  private check(): void {
    const l = this.limits;
    if (this.rows > l.maxRows) throw tooManyRows(`工作表部件“${this.part}”`, this.rows, l);
    if (this.maxRowsInSheet > 1_048_576) throw corrupt(`工作表“${this.part}”的行号 ${fmt(this.maxRowsInSheet)} 超出 Excel 的 1,048,576 行`);
    if (this.merges > l.maxMerges || this.mergedCells > l.maxMergedCells) throw tooManyMerges(this.merges, this.mergedCells, l);
  }
}

// ---------------------------------------------------------------------------------------------
// ODS content.xml scan

interface Counter {
  cells: number;
  merges: number;
  mergedCells: number;
  hyperlinkCells: number;
  rows: number;
  maxRow: number;
  maxColumn: number;
  feed(chunk: Uint8Array): void;
}

/** Local name as SheetJS's ODS reader switches on it: after the prefix, cut at the first '_'. */
const odsLocal = (name: string): string => name.slice(name.indexOf(':') + 1).replace(/_[\s\S]*$/, '');
/** UOS (a Chinese ODS dialect) names SheetJS also takes, as UTF-8 bytes read one per character. */
const latin = (s: string): string => String.fromCharCode(...new TextEncoder().encode(s));
const ODS_ROW = new Set(['table-row', latin('行')]);
const ODS_CELL = new Set(['table-cell', latin('数据')]);
const ODS_TABLE = new Set(['table', latin('工作表')]);

function odsAttributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\s([^"\s?>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^'">\s]+))/g;
  for (let m = re.exec(tag); m; m = re.exec(tag)) {
    const key = m[1]!;
    out.set(key.slice(key.indexOf(':') + 1), m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/**
 * Counts what SheetJS's ODS reader (parse_content_xml) builds while content.xml streams past: a cell with content
 * (any cell that is not self-closing: formatted blanks count, as they do for xlsx) is copied into every repeated
 * row (`table:number-rows-repeated`, read with `+`) and every repeated column (`table:number-columns-repeated`,
 * read with parseInt); a self-closing cell with a string type is one cell; covered cells are stubs, one per
 * repeated column; `table:number-rows-spanned` × `number-columns-spanned` is a merged range. Repeated empty
 * rows and self-closing empty cells (LibreOffice writes a million of them) build nothing and are not counted.
 */
class OdsCounter implements Counter {
  cells = 0;
  merges = 0;
  mergedCells = 0;
  hyperlinkCells = 0;
  rows = 0;
  maxRow = 0;
  maxColumn = 0;
  private R = -1;
  private C = -1;
  private rowpeat = 1;
  private state: 'text' | 'name' | 'tag' = 'text';
  private name = '';
  private tag = '';
  private quote = 0;

  constructor(
    private readonly part: string,
    private readonly limits: SheetLimits,
  ) {}

  feed(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.state === 'text') {
        if (c === 0x3c) {
          this.state = 'name';
          this.name = '';
        }
      } else if (this.state === 'name') {
        if (c > 0x20 && c !== 0x3e && c !== 0x3c && c !== 0x2f && c !== 0x22 && c !== 0x27) {
          if (this.name.length < 64) this.name += String.fromCharCode(c);
        } else if (c === 0x2f && this.name === '') {
          this.name = '/';
        } else {
          this.state = 'tag';
          this.tag = String.fromCharCode(c);
          this.quote = 0;
          if (c === 0x3e) this.element();
          else if (c === 0x3c) throw corruptPart(this.part, '标签没有结束');
        }
      } else {
        if (this.quote !== 0) {
          if (c === this.quote) this.quote = 0;
          else if (c === 0x3c) throw corruptPart(this.part, '属性值中含有“<”');
        } else if (c === 0x22 || c === 0x27) this.quote = c;
        else if (c === 0x3c) throw corruptPart(this.part, '标签没有结束');
        if (c === 0x3e && this.quote === 0) this.element();
        else if (this.tag.length < 4096) this.tag += String.fromCharCode(c);
      }
    }
  }

  private element(): void {
    this.state = 'text';
    const closing = this.name.startsWith('/');
    const local = odsLocal(closing ? this.name.slice(1) : this.name);
    const tag = this.tag;
    const selfClosing = tag.replace(/>$/, '').trimEnd().endsWith('/');
    if (ODS_TABLE.has(local)) {
      if (!closing) {
        this.R = -1;
        this.C = -1;
      }
    } else if (ODS_ROW.has(local)) {
      if (closing) {
        this.R += this.rowpeat;
        this.rowpeat = 1;
      } else {
        const repeated = odsAttributes(tag).get('number-rows-repeated');
        const n = repeated === undefined ? NaN : Number(repeated);
        this.rowpeat = n || 1;
        if (this.R === -1) this.R = 0;
        this.C = -1;
        this.rows++;
      }
    } else if (!closing && (ODS_CELL.has(local) || local === 'covered-table-cell')) {
      const a = odsAttributes(tag);
      const cp = a.get('number-columns-repeated');
      const colpeat = Math.max(1, parseInt(cp ?? '1', 10) || 1);
      this.C++;
      const row = Math.max(this.R, 0);
      if (local === 'covered-table-cell') {
        this.add(colpeat, row + 1, this.C + colpeat);
      } else if (selfClosing) {
        if ((a.get('value-type') ?? a.get(latin('数据类型'))) === 'string') this.add(1, row + 1, this.C + 1);
      } else {
        const rowpeat = this.rowpeat > 0 ? this.rowpeat : 1;
        this.add(rowpeat * colpeat, row + rowpeat, this.C + colpeat);
        const rs = a.get('number-rows-spanned');
        const cs = a.get('number-columns-spanned');
        if (rs !== undefined || cs !== undefined) {
          const mR = parseInt(rs ?? '1', 10) || 1;
          const mC = parseInt(cs ?? '1', 10) || 1;
          if (mR * mC > 1) {
            this.merges++;
            this.mergedCells += Math.abs(mR * mC);
            this.reach(row + mR, this.C + mC);
          }
        }
      }
      this.C += colpeat - 1;
    }
    this.check();
  }

  private add(cells: number, row: number, column: number): void {
    this.cells += cells;
    this.reach(row, column);
  }

  private reach(row: number, column: number): void {
    if (!(row <= this.maxRow)) this.maxRow = row;
    if (!(column <= this.maxColumn)) this.maxColumn = column;
  }

  private check(): void {
    const l = this.limits;
    const what = `表格部件“${this.part}”`;
    if (!(this.maxRow <= l.maxRows)) throw tooManyRows(what, Number.isFinite(this.maxRow) ? this.maxRow : 1_048_576, l);
    if (!(this.maxColumn <= l.maxColumns)) throw tooManyColumns(what, Number.isFinite(this.maxColumn) ? this.maxColumn : 16_384, l);
    if (this.rows > l.maxRows) throw tooManyRows(what, this.rows, l);
    if (this.merges > l.maxMerges || this.mergedCells > l.maxMergedCells) throw tooManyMerges(this.merges, this.mergedCells, l);
  }
}

// ---------------------------------------------------------------------------------------------
// xlsb worksheet records (BIFF12)

/** Cell records: BrtCellBlank … BrtFmlaError (0x01–0x0B), the short forms (0x0C–0x12, no column: the next one),
 * BrtCellRString (0x3E). Blanks: 0x01 and 0x0C. */
const XLSB_FULL_CELL = (t: number): boolean => (t >= 0x01 && t <= 0x0b) || t === 0x3e;
const XLSB_SHORT_CELL = (t: number): boolean => t >= 0x0c && t <= 0x12;
const XLSB_BLANK = (t: number): boolean => t === 0x01 || t === 0x0c;

/**
 * Walks the BIFF12 records of an xlsb worksheet part as it inflates (record type: 1–2 bytes of 7 bits, size: 1–4
 * bytes of 7 bits, as SheetJS's recordhopper reads them): cells (BrtCell*, BrtShort*, BrtFmla*), rows (BrtRowHdr),
 * merges (BrtMergeCell), hyperlinks (BrtHLink: SheetJS creates every cell of its range) and column definitions
 * (BrtColInfo: one object per column from first to last).
 */
class XlsbCounter implements Counter {
  cells = 0;
  merges = 0;
  mergedCells = 0;
  hyperlinkCells = 0;
  rows = 0;
  maxRow = 0;
  maxColumn = 0;
  private row = 0;
  private column = -1;
  private phase: 'type' | 'type2' | 'size' | 'body' = 'type';
  private type = 0;
  private size = 0;
  private sizeBytes = 0;
  private remaining = 0;
  /** The first bytes of the current record's body (enough for every field read here). */
  private head = new Uint8Array(16);
  private headLength = 0;

  constructor(
    private readonly part: string,
    private readonly limits: SheetLimits,
  ) {}

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.phase === 'body') {
        const take = Math.min(this.remaining, chunk.length - i);
        const keep = Math.min(take, 16 - this.headLength);
        if (keep > 0) {
          this.head.set(chunk.subarray(i, i + keep), this.headLength);
          this.headLength += keep;
        }
        i += take;
        this.remaining -= take;
        if (this.remaining === 0) this.record();
        continue;
      }
      const b = chunk[i++]!;
      if (this.phase === 'type') {
        this.type = b & 0x7f;
        this.phase = b & 0x80 ? 'type2' : 'size';
        this.size = 0;
        this.sizeBytes = 0;
      } else if (this.phase === 'type2') {
        this.type += (b & 0x7f) << 7;
        this.phase = 'size';
      } else {
        this.size += (b & 0x7f) * 2 ** (7 * this.sizeBytes);
        this.sizeBytes++;
        if (!(b & 0x80) || this.sizeBytes === 4) {
          this.remaining = this.size;
          this.headLength = 0;
          this.phase = 'body';
          if (this.remaining === 0) this.record();
        }
      }
    }
  }

  private u32(at: number): number {
    const h = this.head;
    return at + 4 <= this.headLength ? (h[at]! | (h[at + 1]! << 8) | (h[at + 2]! << 16) | (h[at + 3]! << 24)) >>> 0 : 0;
  }

  private record(): void {
    this.phase = 'type';
    const t = this.type;
    if (t === 0x0000) {
      // BrtRowHdr
      this.row = this.u32(0);
      this.rows++;
      this.column = -1;
    } else if (XLSB_FULL_CELL(t) || XLSB_SHORT_CELL(t)) {
      this.column = XLSB_FULL_CELL(t) ? this.u32(0) : this.column + 1;
      this.cells++;
      if (!XLSB_BLANK(t)) {
        this.maxRow = Math.max(this.maxRow, this.row + 1);
        this.maxColumn = Math.max(this.maxColumn, this.column + 1);
      }
    } else if (t === 0x00b0 || t === 0x01ee) {
      // BrtMergeCell, BrtHLink: rwFirst, rwLast, colFirst, colLast
      const area = (Math.abs(this.u32(4) - this.u32(0)) + 1) * (Math.abs(this.u32(12) - this.u32(8)) + 1);
      if (t === 0x00b0) {
        this.merges++;
        this.mergedCells += area;
      } else {
        this.hyperlinkCells += area;
        if (this.hyperlinkCells > this.limits.maxHyperlinkCells) throw tooManyHyperlinks(this.hyperlinkCells, this.limits);
      }
    } else if (t === 0x003c) {
      // BrtColInfo: colFirst, colLast
      if (this.u32(0) > 16_383 || this.u32(4) > 16_383) throw corruptPart(this.part, '列定义超出 Excel 的 16,384 列');
    }
    const l = this.limits;
    const what = `工作表部件“${this.part}”`;
    if (this.rows > l.maxRows) throw tooManyRows(what, this.rows, l);
    if (this.maxRow > l.maxRows) throw tooManyRows(what, this.maxRow, l);
    if (this.maxColumn > l.maxColumns) throw tooManyColumns(what, this.maxColumn, l);
    if (this.merges > l.maxMerges || this.mergedCells > l.maxMergedCells) throw tooManyMerges(this.merges, this.mergedCells, l);
  }
}

function corruptPart(part: string, detail: string): SheetError {
  return new SheetError('xlsx-corrupt', `文件中的部件“${part}”已损坏（${detail}），可能下载不完整或已被篡改；请在 Excel/WPS 中打开后另存为 .xlsx 再试`);
}

// ---------------------------------------------------------------------------------------------
// Inflating, bounded

/** Compressed bytes handed to the inflater at a time: at most ~1032× as much output waits in a buffer. */
const INPUT_CHUNK = 4096;

type Sink = (chunk: Uint8Array) => void;

/** Inflate raw deflate data, passing output to `sink` and stopping once more than `limit` bytes came out.
 * Returns the number of bytes produced (limit + something when it stopped early). */
async function inflateBounded(data: Uint8Array, limit: number, sink: Sink, label = 'xlsx'): Promise<number> {
  const ds = new DecompressionStream('deflate-raw');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  const writing = (async () => {
    for (let i = 0; i < data.length; i += INPUT_CHUNK) await writer.write(data.subarray(i, Math.min(data.length, i + INPUT_CHUNK)) as Uint8Array<ArrayBuffer>);
    await writer.close();
  })();
  writing.catch(() => undefined); // reported through the reader (or irrelevant once we cancel)
  let produced = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      produced += value.byteLength;
      if (produced > limit) {
        await reader.cancel().catch(() => undefined);
        await writer.abort().catch(() => undefined);
        return produced;
      }
      sink(value);
    }
    await writing;
  } catch (e) {
    if (e instanceof SheetError) {
      await reader.cancel().catch(() => undefined);
      await writer.abort().catch(() => undefined);
      throw e;
    }
    throw damaged(label);
  }
  return produced;
}

/** Parts SheetJS reads as xlsb worksheets, and the ODS part holding the sheets. */
const XLSB_SHEET = /^xl\/(worksheets|macrosheets|dialogsheets)\/[^/]*\.bin$/i;
const ODS_CONTENT = /^content\.xml$/;

const FORMAT_LABEL: Record<ZipWorkbookKind, string> = { xlsx: 'xlsx', ods: 'ods', xlsb: 'xlsb' };

/**
 * Check an xlsx before ExcelJS sees it: structure and declared sizes, then every part's real size and the
 * worksheet element counts. `validations`: whether data validations will be loaded (annotation does, the
 * reader does not). Throws SheetError; returns what it counted.
 */
export async function guardXlsx(bytes: Uint8Array, options: { validations?: boolean; limits?: SheetLimits } = {}): Promise<ZipStats> {
  return guardZipWorkbook(bytes, { ...options, kind: 'xlsx' });
}

/**
 * Check a zipped workbook before a parser inflates it: the zip checks of `guardXlsx` (structure, declared sizes,
 * ratios, bounded inflate of every part), then what the parser would build from the sheet parts: xlsx worksheet
 * XML and notes; ods `content.xml` (repeated rows and cells as SheetJS materialises them, merges); xlsb
 * worksheet records. Throws SheetError; returns what it counted.
 */
export async function guardZipWorkbook(
  bytes: Uint8Array,
  options: { kind: ZipWorkbookKind; validations?: boolean; limits?: SheetLimits },
): Promise<ZipStats> {
  const limits = options.limits ?? SHEET_LIMITS;
  const kind = options.kind;
  const entries = parseZip(bytes, limits, FORMAT_LABEL[kind]);
  if (typeof DecompressionStream === 'undefined') {
    throw new SheetError('xlsx-unsupported-env', `当前浏览器版本过旧，无法安全地读取 ${FORMAT_LABEL[kind]} 文件；请更新浏览器（或改用 CSV 文件）后再试`);
  }
  const stats: ZipStats = { entries: entries.length, totalBytes: 0, rows: 0, cells: 0, merges: 0, mergedCells: 0, validationCells: 0, hyperlinkCells: 0, maxRow: 0, maxColumn: 0 };
  const unit = kind === 'xlsx' ? '个单元格（含设置了格式的空白单元格和批注）' : '个单元格（含设置了格式的空白单元格）';
  for (const e of entries) {
    const name = e.name.replace(/^\//, '');
    let counter: (Counter & { validationCells?: number }) | undefined;
    if (kind === 'xlsx') {
      const worksheet = WORKSHEET.test(name);
      if (worksheet || COMMENTS.test(name)) counter = new XmlCounter(name, worksheet, limits);
    } else if (kind === 'ods') {
      if (ODS_CONTENT.test(name)) counter = new OdsCounter(name, limits);
    } else if (XLSB_SHEET.test(name)) counter = new XlsbCounter(name, limits);
    const data = bytes.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
    const base = stats.cells;
    const sink = (chunk: Uint8Array): void => {
      if (!counter) return;
      counter.feed(chunk);
      if (base + counter.cells > limits.maxCells) throw tooManyCells(base + counter.cells, unit, limits);
    };
    let produced: number;
    if (e.method === 0) {
      produced = data.length;
      sink(data);
    } else {
      produced = await inflateBounded(data, e.uncompressedSize, sink, FORMAT_LABEL[kind]);
    }
    if (produced > e.uncompressedSize) {
      throw new SheetError(
        'zip-inconsistent',
        `工作簿中的部件“${e.name}”声明解压后 ${fmt(e.uncompressedSize)} 字节，实际解压出的数据超过此大小（压缩头信息不实），疑似“压缩炸弹”，已拒绝读取`,
      );
    }
    if (produced < e.uncompressedSize) throw damaged(FORMAT_LABEL[kind]);
    stats.totalBytes += produced;
    if (counter) {
      stats.rows = Math.max(stats.rows, counter.rows);
      stats.cells += counter.cells;
      stats.merges += counter.merges;
      stats.mergedCells += counter.mergedCells;
      stats.validationCells += counter.validationCells ?? 0;
      stats.hyperlinkCells += counter.hyperlinkCells;
      stats.maxRow = Math.max(stats.maxRow, counter.maxRow);
      stats.maxColumn = Math.max(stats.maxColumn, counter.maxColumn);
      if (stats.cells > limits.maxCells) throw tooManyCells(stats.cells, unit, limits);
      if (stats.merges > limits.maxMerges || stats.mergedCells > limits.maxMergedCells) throw tooManyMerges(stats.merges, stats.mergedCells, limits);
      if (stats.hyperlinkCells > limits.maxHyperlinkCells) throw tooManyHyperlinks(stats.hyperlinkCells, limits);
      if (options.validations && stats.validationCells > limits.maxValidationCells) {
        throw new SheetError(
          'too-many-validations',
          `工作簿的数据有效性（下拉列表等）共覆盖 ${fmt(stats.validationCells)} 个单元格，超过上限 ${fmt(limits.maxValidationCells)} 个（可能设置在整行或整张表上）；请只对填报区域设置数据有效性后另存再试`,
        );
      }
    }
  }
  return stats;
}
