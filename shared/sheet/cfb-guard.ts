// The compound-file guard: a legacy .xls (and a WPS .et, a password-protected .xlsx, a .doc or .msg) is an
// OLE2 compound file ([MS-CFB]): a small file system of 512- or 4096-byte sectors, chained through a FAT,
// with a directory of streams arranged as a red-black tree. SheetJS's CFB reader follows those chains and
// copies every stream into memory, then its BIFF reader builds one object per cell record. Before either runs,
// this module
//   1. checks the header (signature, byte order, sector sizes) and that the declared FAT, DIFAT, mini-FAT and
//      directory sector counts fit in the file;
//   2. walks every chain (DIFAT, FAT sectors, directory, mini-FAT, mini stream and every stream's sectors) with
//      length bounds and cycle detection, and refuses sectors claimed by two chains (a small file whose
//      streams all point at the same sectors would be copied once per stream);
//   3. caps the number of directory entries and checks the directory tree's sibling/child links (in range, no
//      entry reached twice, so no cycle);
//   4. walks the BIFF records of the Workbook (BIFF8) or Book (BIFF5) stream: counts the cell records, takes the
//      last row and column holding a value, adds up merged and hyperlinked cells, and notes FILEPASS (an
//      encrypted .xls), refusing a workbook beyond SHEET_LIMITS before SheetJS builds anything.
// Pure: no Node built-ins.
import { SheetError } from './errors.ts';
import { SHEET_LIMITS, tooManyCells, tooManyColumns, tooManyHyperlinks, tooManyMerges, tooManyRows, type SheetLimits } from './limits.ts';

export interface CfbInfo {
  /** The stream SheetJS reads the workbook from: 'Workbook' (BIFF8) or 'Book' (BIFF5); absent when the file holds
   * neither (a .doc, a .msg, a WPS file that is not BIFF). */
  workbookStream?: 'Workbook' | 'Book';
  /** An `EncryptedPackage` stream: a password-protected .xlsx/.xlsb (OOXML inside a compound file). */
  encryptedPackage: boolean;
  /** A FILEPASS record in the workbook globals: an .xls saved with a password (its records are encrypted). */
  filePass: boolean;
  /** Cell records of all sheets (NUMBER, RK, LABEL, LABELSST, RSTRING, FORMULA, BOOLERR, BLANK, and every cell
   * of MULRK/MULBLANK); formatted blanks included. 0 when `filePass` (counting stops there). */
  cells: number;
  /** Rows and columns up to the last one holding a value (a row number and a column count, 1-based; 0 if none). */
  maxRow: number;
  maxColumn: number;
  /** Names of the stream entries, as stored (may hold control characters: pass through visibleText to show). */
  streams: string[];
}

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const NOSTREAM = 0xffffffff;

const fmt = (n: number): string => n.toLocaleString('en-US');

/** A broken compound file or BIFF stream: truncated, chains out of range or looping, a damaged directory. */
function corrupt(detail: string): SheetError {
  return new SheetError(
    'cfb-corrupt',
    `文件不是有效的 xls 工作簿（复合文档结构损坏：${detail}），可能下载不完整或已损坏；请在 Excel/WPS 中打开后另存为 .xlsx 再试`,
  );
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0;
}

/** Whether the bytes start with the compound-file signature. */
export function isCfb(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((v, i) => bytes[i] === v);
}

interface Entry {
  name: string;
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

/**
 * Check a compound file and the BIFF records of its workbook stream before SheetJS reads it. Throws SheetError
 * (`cfb-corrupt`, `cfb-entries`, `too-many-cells`, `too-many-rows`, `too-many-columns`, `too-many-merges`,
 * `too-many-hyperlinks`); returns what it found.
 */
export function guardCfb(bytes: Uint8Array, limits: SheetLimits = SHEET_LIMITS): CfbInfo {
  const b = bytes;
  if (b.length < 512 || !isCfb(b)) throw corrupt('文件头不完整或签名不符');
  if (u16(b, 0x1c) !== 0xfffe) throw corrupt('字节序标记无效');
  const major = u16(b, 0x1a);
  const shift = u16(b, 0x1e);
  if (!((shift === 9 && major !== 4) || (shift === 12 && major !== 3))) throw corrupt(`扇区大小无效（2^${shift}）`);
  if (u16(b, 0x20) !== 6) throw corrupt('小扇区大小无效');
  const ssz = 1 << shift;
  const perSector = ssz / 4;
  /** Sectors whose start lies inside the file (the last one may be short: its missing bytes read as zeros). */
  const nSectors = Math.max(0, Math.ceil(b.length / ssz) - 1);
  const numDir = u32(b, 0x28);
  const numFat = u32(b, 0x2c);
  const firstDir = u32(b, 0x30);
  const cutoff = u32(b, 0x38);
  const firstMiniFat = u32(b, 0x3c);
  const numMiniFat = u32(b, 0x40);
  const firstDifat = u32(b, 0x44);
  const numDifat = u32(b, 0x48);
  if (numFat === 0 || numFat > nSectors) throw corrupt(`声明了 ${fmt(numFat)} 个分配表扇区，文件只有 ${fmt(nSectors)} 个扇区`);
  if (numDifat > nSectors || numMiniFat > nSectors || numDir > nSectors) throw corrupt('声明的扇区数超出文件大小');
  if (cutoff !== 4096) throw corrupt('小流阈值无效');
  const sectorAt = (n: number): number => (n + 1) * ssz;

  // Sectors taken by some chain: a sector may belong to one chain only.
  const owner = new Uint8Array(nSectors);
  const claim = (n: number, what: string): void => {
    if (n >= nSectors) throw corrupt(`${what}指向文件之外的扇区 ${fmt(n)}`);
    if (owner[n]) throw corrupt(`${what}的扇区链循环或与其他部分共用扇区`);
    owner[n] = 1;
  };

  // 1. DIFAT: 109 entries in the header, then a chain of DIFAT sectors (each: perSector - 1 entries + next).
  const fatSectors: number[] = [];
  const takeFat = (n: number): void => {
    if (n === FREESECT || fatSectors.length >= numFat) return;
    claim(n, '分配表');
    fatSectors.push(n);
  };
  for (let i = 0; i < 109; i++) takeFat(u32(b, 0x4c + 4 * i));
  let difat = firstDifat;
  for (let count = 0; difat !== ENDOFCHAIN && difat !== FREESECT; count++) {
    if (count >= numDifat) throw corrupt('扩展分配表的扇区链长于声明');
    claim(difat, '扩展分配表');
    const at = sectorAt(difat);
    for (let i = 0; i < perSector - 1; i++) takeFat(u32(b, at + 4 * i));
    difat = u32(b, at + ssz - 4);
  }
  if (fatSectors.length !== numFat) throw corrupt(`分配表应有 ${fmt(numFat)} 个扇区，只找到 ${fmt(fatSectors.length)} 个`);
  const fatLength = numFat * perSector;
  const fat = (n: number): number => (n < fatLength ? u32(b, sectorAt(fatSectors[Math.floor(n / perSector)]!) + 4 * (n % perSector)) : FREESECT);

  /** Follow a chain in the FAT from `start`, claiming its sectors; `need` sectors at least, `max` at most. */
  const chain = (start: number, need: number, max: number, what: string): number[] => {
    const out: number[] = [];
    let n = start;
    while (n !== ENDOFCHAIN) {
      if (out.length >= max) throw corrupt(`${what}的扇区链过长`);
      if (n === FREESECT && out.length >= need) break; // a chain ended by a free marker: tolerated once long enough
      claim(n, what);
      out.push(n);
      n = fat(n);
    }
    if (out.length < need) throw corrupt(`${what}的扇区链在 ${fmt(out.length)} 个扇区处中断（应有 ${fmt(need)} 个）`);
    return out;
  };

  // 2. Directory: 128-byte entries in a chain of directory sectors, capped.
  const maxDirSectors = Math.ceil((limits.maxCfbEntries * 128) / ssz);
  let dirSectors: number[];
  try {
    dirSectors = chain(firstDir, 1, maxDirSectors, '目录');
  } catch (e) {
    if (e instanceof SheetError && e.message.includes('扇区链过长')) throw tooManyEntries(limits);
    throw e;
  }
  const entries: Entry[] = [];
  const perDir = ssz / 128;
  let used = 0;
  for (const s of dirSectors) {
    for (let k = 0; k < perDir; k++) {
      const at = sectorAt(s) + 128 * k;
      const nameLength = u16(b, at + 0x40);
      const type = b[at + 0x42] ?? 0;
      let name = '';
      if (type !== 0) {
        if (nameLength > 64 || nameLength % 2 !== 0) throw corrupt('目录项名称长度无效');
        for (let i = 0; i + 2 < nameLength; i += 2) name += String.fromCharCode(u16(b, at + i));
        used++;
        if (used > limits.maxCfbEntries) throw tooManyEntries(limits);
      }
      if (type !== 0 && type !== 1 && type !== 2 && type !== 5) throw corrupt(`目录项类型无效（${type}）`);
      const sizeLow = u32(b, at + 0x78);
      const sizeHigh = u32(b, at + 0x7c);
      // Version 3 files may leave garbage in the high half of the size; version 4 files must not.
      if (shift === 12 && sizeHigh !== 0) throw corrupt('目录项大小超出范围');
      const size = sizeLow;
      entries.push({ name, type, left: u32(b, at + 0x44), right: u32(b, at + 0x48), child: u32(b, at + 0x4c), start: u32(b, at + 0x74), size });
    }
  }
  const root = entries[0];
  if (!root || root.type !== 5) throw corrupt('缺少根目录项');

  // 3. The tree: every link in range, every entry reached at most once (so no cycle), from the root's child.
  const reached = new Uint8Array(entries.length);
  reached[0] = 1;
  const rootChildren: Entry[] = [];
  const streams: Entry[] = [];
  const stack: { id: number; parentIsRoot: boolean }[] = [];
  const push = (id: number, parentIsRoot: boolean): void => {
    if (id === NOSTREAM) return;
    if (id >= entries.length) throw corrupt(`目录项链接 ${fmt(id)} 超出范围`);
    if (reached[id]) throw corrupt('目录树存在循环或重复链接');
    reached[id] = 1;
    stack.push({ id, parentIsRoot });
  };
  push(root.child, true);
  while (stack.length > 0) {
    const { id, parentIsRoot } = stack.pop()!;
    const e = entries[id]!;
    if (e.type === 0 || e.type === 5) throw corrupt('目录树链接到空的或第二个根目录项');
    if (parentIsRoot) rootChildren.push(e);
    if (e.type === 2) streams.push(e);
    push(e.left, parentIsRoot);
    push(e.right, parentIsRoot);
    if (e.type === 1) push(e.child, false);
    else if (e.child !== NOSTREAM) throw corrupt('数据流目录项不应有子项');
  }

  // 4. Stream sizes and chains: big streams in the FAT, small ones in the mini stream (the root's chain).
  const fileBytes = nSectors * ssz;
  if (root.size > fileBytes) throw corrupt('小流容器大于文件');
  const miniSectorsNeeded = Math.ceil(root.size / ssz);
  const ministream = root.size > 0 ? chain(root.start, miniSectorsNeeded, nSectors, '小流容器') : [];
  const miniCount = Math.ceil(root.size / 64);
  const miniFatSectors = numMiniFat > 0 ? chain(firstMiniFat, numMiniFat, numMiniFat, '小扇区分配表') : [];
  const miniFatLength = miniFatSectors.length * perSector;
  const miniFat = (n: number): number => (n < miniFatLength ? u32(b, sectorAt(miniFatSectors[Math.floor(n / perSector)]!) + 4 * (n % perSector)) : FREESECT);
  const miniOwner = new Uint8Array(miniCount);
  const miniChain = (start: number, need: number, what: string): number[] => {
    const out: number[] = [];
    let n = start;
    while (out.length < need) {
      if (n === ENDOFCHAIN || n === FREESECT) throw corrupt(`${what}的小扇区链在 ${fmt(out.length)} 处中断`);
      if (n >= miniCount) throw corrupt(`${what}指向小流容器之外的小扇区 ${fmt(n)}`);
      if (miniOwner[n]) throw corrupt(`${what}的小扇区链循环或与其他数据流共用`);
      miniOwner[n] = 1;
      out.push(n);
      n = miniFat(n);
    }
    return out;
  };

  // SheetJS copies the content of every directory entry (not only the streams reached from the root): from the
  // FAT when its size is 4,096 bytes or more, from the mini stream otherwise. So every entry's chain is walked.
  const layout = new Map<Entry, { mini: boolean; sectors: number[] }>();
  for (let i = 1; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.size === 0 || (e.type !== 2 && e.size < cutoff)) continue;
    const what = `数据流“${e.name.slice(0, 40)}”`;
    if (e.size < cutoff) {
      if (e.size > root.size) throw corrupt(`${what}大于小流容器`);
      layout.set(e, { mini: true, sectors: miniChain(e.start, Math.ceil(e.size / 64), what) });
    } else {
      if (e.size > fileBytes) throw corrupt(`${what}声明 ${fmt(e.size)} 字节，超出文件大小`);
      layout.set(e, { mini: false, sectors: chain(e.start, Math.ceil(e.size / ssz), nSectors, what) });
    }
  }

  const find = (name: string): Entry | undefined => rootChildren.find((e) => e.type === 2 && e.name.toLowerCase() === name.toLowerCase());
  const info: CfbInfo = {
    encryptedPackage: streams.some((e) => e.name === 'EncryptedPackage'),
    filePass: false,
    cells: 0,
    maxRow: 0,
    maxColumn: 0,
    streams: streams.map((e) => e.name),
  };
  const wbEntry = find('Workbook') ?? find('Book');
  if (!wbEntry) return info;
  info.workbookStream = wbEntry.name.toLowerCase() === 'workbook' ? 'Workbook' : 'Book';

  // The stream's bytes, gathered (bounded by the file's size, checked above).
  const where = layout.get(wbEntry) ?? { mini: false, sectors: [] };
  const data = new Uint8Array(wbEntry.size);
  let filled = 0;
  for (const s of where.sectors) {
    const size = where.mini ? 64 : ssz;
    const at = where.mini ? sectorAt(ministream[Math.floor((s * 64) / ssz)]!) + ((s * 64) % ssz) : sectorAt(s);
    const n = Math.min(size, wbEntry.size - filled);
    data.set(b.subarray(at, Math.min(b.length, at + n)), filled);
    filled += n;
  }
  walkBiff(data, info, limits);
  return info;
}

function tooManyEntries(limits: SheetLimits): SheetError {
  return new SheetError(
    'cfb-entries',
    `文件的复合文档目录中有超过 ${fmt(limits.maxCfbEntries)} 个条目，不像是正常的 xls 工作簿（可能已损坏或被篡改）；请在 Excel/WPS 中打开后另存为 .xlsx 再试`,
  );
}

// ---------------------------------------------------------------------------------------------
// BIFF5/BIFF8 records of the workbook stream

/** Cell records with the row at offset 0 and the column at offset 2 (BIFF2 numbers too: SheetJS knows them). */
const VALUE_CELLS = new Set([
  0x0203, // NUMBER
  0x027e, // RK
  0x0204, // LABEL
  0x00fd, // LABELSST
  0x00d6, // RSTRING (BIFF5)
  0x0006, // FORMULA
  0x0206, // FORMULA (BIFF3)
  0x0406, // FORMULA (BIFF4)
  0x0205, // BOOLERR
  0x0002, // INTEGER (BIFF2)
  0x0003, // NUMBER (BIFF2)
  0x0004, // LABEL (BIFF2)
  0x0005, // BOOLERR (BIFF2)
]);
const BLANK_CELLS = new Set([0x0201, 0x0001]);
const MULRK = 0x00bd;
const MULBLANK = 0x00be;
const BOF = new Set([0x0809, 0x0409, 0x0209, 0x0009]);
const EOF = 0x000a;
const FILEPASS = 0x002f;
const MERGECELLS = 0x00e5;
const HLINK = 0x01b8;

function walkBiff(data: Uint8Array, info: CfbInfo, limits: SheetLimits): void {
  if (data.length < 4 || !BOF.has(u16(data, 0))) throw corrupt('工作簿数据流不以 BOF 记录开头');
  let p = 0;
  let depth = 0;
  let seenEof = false;
  let merges = 0;
  let mergedCells = 0;
  let linkedCells = 0;
  // Sheet names from BOUNDSHEET records, in order; the n-th worksheet BOF at depth 1 after the globals is sheet n.
  const names: string[] = [];
  let sheetIndex = -1;
  let globalsDone = false;
  const where = (): string => {
    const name = names[sheetIndex];
    return name ? `工作表“${name.slice(0, 31)}”` : '工作簿中的某个工作表';
  };
  const cellAt = (row: number, col: number, value: boolean): void => {
    if (value) {
      if (row + 1 > info.maxRow) info.maxRow = row + 1;
      if (col + 1 > info.maxColumn) info.maxColumn = col + 1;
    }
  };
  while (p + 4 <= data.length) {
    const type = u16(data, p);
    const length = u16(data, p + 2);
    if (type === 0 && seenEof && depth === 0) break; // zero padding after the last EOF, as SheetJS stops
    const body = p + 4;
    if (body + length > data.length) {
      if (seenEof && depth === 0) break;
      throw corrupt(`工作簿数据流在第 ${fmt(p)} 字节处的记录被截断`);
    }
    if (BOF.has(type)) {
      depth++;
      if (depth > 8) throw corrupt('BOF 记录嵌套过深');
      if (depth === 1 && globalsDone) sheetIndex++;
    } else if (type === EOF) {
      depth = Math.max(0, depth - 1);
      seenEof = true;
      if (depth === 0) globalsDone = true;
    } else if (type === 0x0085 && length >= 8 && depth === 1 && !globalsDone) {
      // BOUNDSHEET: stream position 4, flags 2, then the name (BIFF8: length, a high-byte flag, Latin-1 or UTF-16LE;
      // BIFF5: length and 8-bit characters, shown here as Latin-1 only when they are ASCII)
      const cch = data[body + 6]!;
      let name = '';
      const biff8 = length >= 8 + cch && (data[body + 7] === 0 || data[body + 7] === 1) && length === 8 + cch * (data[body + 7] === 1 ? 2 : 1);
      if (biff8) {
        const wide = data[body + 7] === 1;
        for (let k = 0; k < cch; k++) name += String.fromCharCode(wide ? u16(data, body + 8 + 2 * k) : data[body + 8 + k]!);
      } else {
        for (let k = 0; k < cch && body + 7 + k < body + length; k++) {
          const ch = data[body + 7 + k]!;
          name += ch < 0x80 ? String.fromCharCode(ch) : '';
        }
      }
      names.push(name);
    } else if (type === FILEPASS) {
      // Everything after is encrypted (record bodies): nothing more can be counted; the reader refuses the file.
      info.filePass = true;
      info.cells = 0;
      info.maxRow = 0;
      info.maxColumn = 0;
      return;
    } else if (VALUE_CELLS.has(type) || BLANK_CELLS.has(type)) {
      if (length < 4) throw corrupt('单元格记录过短');
      if (type === 0x0006 || type === 0x0206 || type === 0x0406) {
        // SheetJS parses the formula tokens in a loop that only ends when it lands exactly on their declared
        // end: a formula record too short for its fixed part, or whose token length runs past the record, never
        // does (it loops until memory runs out). Fixed part: cell 6, value 8, flags 2, chn 4 (BIFF5/8), cce 2.
        const fixed = type === 0x0006 ? 22 : 18;
        const cce = u16(data, body + fixed - 2);
        if (length < fixed || cce > length - fixed) throw corrupt(`公式记录的长度与内容不符（第 ${fmt(p)} 字节处）`);
      }
      info.cells++;
      cellAt(u16(data, body), u16(data, body + 2), VALUE_CELLS.has(type));
    } else if (type === MULRK || type === MULBLANK) {
      if (length < 6) throw corrupt('多单元格记录过短');
      const row = u16(data, body);
      const first = u16(data, body + 2);
      const last = u16(data, body + length - 2);
      // SheetJS loops from the first to the last column the record names, whatever its length
      if (last >= first) {
        info.cells += last - first + 1;
        cellAt(row, last, type === MULRK);
      }
    } else if (type === 0x0221 || type === 0x04bc) {
      // ARRAY and SHRFMLA carry formula tokens too (fixed parts: range 6, flags 2, chn 4, cce 2; range 6, 2, cce 2)
      const fixed = type === 0x0221 ? 14 : 10;
      const cce = u16(data, body + fixed - 2);
      if (length < fixed || cce > length - fixed) throw corrupt(`公式记录的长度与内容不符（第 ${fmt(p)} 字节处）`);
    } else if (type === MERGECELLS && length >= 2) {
      const declared = u16(data, body);
      merges += declared;
      for (let i = 0; i < declared && body + 2 + 8 * i + 8 <= body + length; i++) {
        const q = body + 2 + 8 * i;
        mergedCells += (Math.abs(u16(data, q + 2) - u16(data, q)) + 1) * (Math.abs(u16(data, q + 6) - u16(data, q + 4)) + 1);
      }
      if (merges > limits.maxMerges || mergedCells > limits.maxMergedCells) throw tooManyMerges(merges, mergedCells, limits);
    } else if (type === HLINK && length >= 8) {
      // SheetJS visits every cell of the link's range (rows first..last, columns first..last)
      const rows = u16(data, body + 2) - u16(data, body) + 1;
      const cols = u16(data, body + 6) - u16(data, body + 4) + 1;
      if (rows > 0 && cols > 0) linkedCells += rows * cols;
      if (linkedCells > limits.maxHyperlinkCells) throw tooManyHyperlinks(linkedCells, limits);
    }
    if (info.cells > limits.maxCells) throw tooManyCells(info.cells, '个单元格（含设置了格式的空白单元格）', limits);
    if (info.maxRow > limits.maxRows) throw tooManyRows(where(), info.maxRow, limits);
    if (info.maxColumn > limits.maxColumns) throw tooManyColumns(where(), info.maxColumn, limits);
    p = body + length;
  }
}
