// The markup guard: an HTML table saved under an .xls name (exports from web systems) or an Excel 2003 XML
// spreadsheet (SpreadsheetML) is text that SheetJS reads with regular expressions over the whole string. Before
// that, one linear pass over the text
//   - bounds its length (maxMarkupChars) and the nesting of elements (maxMarkupDepth) and of HTML tables
//     (maxTableDepth);
//   - refuses DOCTYPE internal subsets and ENTITY declarations in XML (entity-expansion bombs);
//   - counts what SheetJS would build, the way it builds it:
//       HTML (html_to_sheet): every tag whose name starts with "tr" is a row, with "td"/"th" a cell (SheetJS
//       splits on those prefixes); a cell advances the column by its colspan, rows under a rowspan are pushed
//       right; each colspan/rowspan > 1 is a merged range, and every cell is compared with every merged range
//       of its table so far (maxMergeScans);
//       XML 2003 (parse_xlml_xml): `<Row ss:Index>` jumps to a row, `<Cell ss:Index>` to a column,
//       `ss:MergeAcross`/`ss:MergeDown` make merged ranges, `<Column ss:Span>` makes one object per spanned
//       column, `ss:ExpandedRowCount` declares the rows;
//     and refuses a row, a column, a span or a count beyond SHEET_LIMITS, so a `colspan="1000000"` or an
//     `ss:Index="1000000"` in a 1 KB file never reaches SheetJS.
// Comments are skipped as SheetJS removes them (an unclosed comment hides the rest of the text from both).
// Pure: no Node built-ins.
import { SheetError } from './errors.ts';
import { SHEET_LIMITS, tooManyCells, tooManyColumns, tooManyMerges, tooManyRows, type SheetLimits } from './limits.ts';

export type MarkupKind = 'html' | 'xml2003';

export interface MarkupStats {
  /** Most rows of one table (HTML) or worksheet (XML), and the last row/column any cell or merge reaches. */
  rows: number;
  cells: number;
  maxRow: number;
  maxColumn: number;
  merges: number;
  mergedCells: number;
  /** Deepest element nesting seen. */
  depth: number;
  tables: number;
}

const fmt = (n: number): string => n.toLocaleString('en-US');
/** Excel's own bounds: SheetJS keeps one object per `<Column>` up to the last spanned one. */
const EXCEL_COLUMNS = 16_384;
const EXCEL_ROWS = 1_048_576;

const VOID_HTML = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'basefont', 'frame', 'keygen']);
const TABLE_SECTIONS = new Set(['thead', 'tbody', 'tfoot']);

const label = (kind: MarkupKind): string => (kind === 'html' ? '网页表格（HTML）' : 'Excel 2003 XML 表格');

function invalid(kind: MarkupKind, detail: string): SheetError {
  return new SheetError('markup-invalid', `文件是${label(kind)}，但${detail}，无法安全读取；请在 Excel/WPS 中打开后另存为 .xlsx 再试`);
}

/** A number attribute as SheetJS reads it; anything but a plain non-negative integer is refused. */
function count(kind: MarkupKind, name: string, raw: string): number {
  const v = raw.trim();
  if (!/^\d{1,15}$/.test(v)) throw invalid(kind, `属性 ${name}="${v.slice(0, 20)}" 不是有效的数字`);
  return Number(v);
}

/**
 * Attributes of a start tag as SheetJS reads them, keyed by local name (after any prefix). HTML (parsexmltag):
 * ` name=value` quoted or not, a name cut at its first '_' ("from ods"), lower-cased too. XML 2003
 * (xlml_parsexmltag): any `\b(prefix:)?word="value"` or `'value'` anywhere in the tag, even after a '!'. The
 * last occurrence of a name wins, as in SheetJS.
 */
function attributes(tag: string, kind: MarkupKind): Map<string, string> {
  const out = new Map<string, string>();
  if (kind === 'html') {
    const re = /\s([^"\s?>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^'">\s]+))/g;
    for (let m = re.exec(tag); m; m = re.exec(tag)) {
      let key = m[1]!;
      const colon = key.indexOf(':');
      if (colon >= 0) key = key.slice(colon + 1);
      else if (key.indexOf('_') > 0) key = key.slice(0, key.indexOf('_'));
      out.set(key.toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '');
    }
  } else {
    const re = /\b((?:\w+:)?\w+)=(?:"([^"]*)"|'([^']*)')/g;
    for (let m = re.exec(tag); m; m = re.exec(tag)) {
      const key = m[1]!;
      out.set(key.slice(key.indexOf(':') + 1), m[2] ?? m[3] ?? '');
    }
  }
  return out;
}

/** The value of an attribute by local name (lower-case for HTML). */
function attr(attrs: Map<string, string>, local: string): string | undefined {
  return attrs.get(local);
}

function entity(kind: MarkupKind): SheetError {
  return new SheetError(
    'xml-entity',
    `文件是${label(kind)}，其中声明了实体或文档类型定义（<!DOCTYPE … [ 或 <!ENTITY），这类内容可被用来制造“实体炸弹”，已拒绝读取；请在 Excel/WPS 中打开后另存为 .xlsx 再试`,
  );
}

interface Tag {
  closing: boolean;
  /** Lower-cased name, with its prefix. */
  name: string;
  /** The attribute text after the name. */
  attrs: string;
  selfClosing: boolean;
  /** Index of the closing '>'. */
  end: number;
}

const isSpace = (ch: number): boolean => ch === 0x20 || (ch >= 0x09 && ch <= 0x0d) || (ch > 0x7f && /\s/.test(String.fromCharCode(ch)));

/** The first `ch` at or after a position, for positions that only grow: each character is looked at once, so
 * a text of many '<' and one far '>' stays linear. -1 when there is none. */
function finder(text: string, ch: string): (from: number) => number {
  let found = -2;
  return (from) => {
    if (found === -1 || found >= from) return found;
    found = text.indexOf(ch, from);
    return found;
  };
}

/** An HTML tag as SheetJS's splitting sees it: a letter after '<' (or '</'), ending at the first '>'. */
function htmlTag(text: string, i: number, nextGt: (from: number) => number): Tag | undefined {
  const closing = text.charCodeAt(i + 1) === 0x2f;
  const start = closing ? i + 2 : i + 1;
  const first = text.charCodeAt(start);
  if (!((first >= 0x61 && first <= 0x7a) || (first >= 0x41 && first <= 0x5a))) return undefined;
  let j = start;
  for (; j < text.length; j++) {
    const ch = text.charCodeAt(j);
    if (isSpace(ch) || ch === 0x2f || ch === 0x3e || ch === 0x3c) break;
  }
  const end = nextGt(j);
  if (end < 0) return undefined;
  return { closing, name: text.slice(start, j).toLowerCase(), attrs: text.slice(j, end), selfClosing: text.charCodeAt(end - 1) === 0x2f, end };
}

/**
 * An XML tag exactly as SheetJS's pattern for SpreadsheetML recognises one:
 * `<` `/`? (prefix `:`)? name (` attr="value"`)* spaces? `/`? `>`, values in double quotes only. A '<' inside a
 * value is refused: not well-formed, and what makes that pattern rescan the text from every '<'.
 */
function xmlTag(text: string, i: number, kind: MarkupKind): Tag | undefined {
  const n = text.length;
  let j = i + 1;
  const closing = text.charCodeAt(j) === 0x2f;
  if (closing) j++;
  const start = j;
  // name characters: not space ? < > : / " (the prefix also not !)
  const nameChar = (ch: number): boolean => !(isSpace(ch) || ch === 0x3f || ch === 0x3c || ch === 0x3e || ch === 0x3a || ch === 0x2f || ch === 0x22);
  while (j < n && nameChar(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) === 0x3a && !text.slice(start, j).includes('!')) {
    j++;
    const local = j;
    while (j < n && nameChar(text.charCodeAt(j))) j++;
    if (j === local) return undefined;
  } else if (j === start) return undefined;
  const name = text.slice(start, j).toLowerCase();
  const attrsStart = j;
  // attributes: spaces, a name without < > = ? " ' or space, =", a value without ", "
  for (;;) {
    let k = j;
    if (!isSpace(text.charCodeAt(k))) break;
    while (k < n && isSpace(text.charCodeAt(k))) k++;
    const nameAt = k;
    for (; k < n; k++) {
      const ch = text.charCodeAt(k);
      if (isSpace(ch) || ch === 0x3c || ch === 0x3e || ch === 0x3d || ch === 0x3f || ch === 0x22 || ch === 0x27) break;
    }
    if (k === nameAt || text.charCodeAt(k) !== 0x3d || text.charCodeAt(k + 1) !== 0x22) break;
    k += 2;
    for (; k < n; k++) {
      const ch = text.charCodeAt(k);
      if (ch === 0x22) break;
      if (ch === 0x3c) throw invalid(kind, `标签“${name.slice(0, 20)}”的属性值中含有“<”（XML 格式错误）`);
    }
    if (k >= n) break;
    j = k + 1;
  }
  const attrsEnd = j;
  while (j < n && isSpace(text.charCodeAt(j))) j++;
  const selfClosing = text.charCodeAt(j) === 0x2f;
  if (selfClosing) j++;
  if (text.charCodeAt(j) !== 0x3e) return undefined;
  return { closing, name, attrs: text.slice(attrsStart, attrsEnd), selfClosing, end: j };
}

/** Scan the markup and return what SheetJS would build; throws SheetError beyond a limit. */
export function scanMarkup(text: string, kind: MarkupKind, limits: SheetLimits = SHEET_LIMITS): MarkupStats {
  const html = kind === 'html';
  if (text.length > limits.maxMarkupChars) {
    throw new SheetError(
      'markup-too-large',
      `文件是${label(kind)}，有 ${fmt(text.length)} 个字符，超过上限 ${fmt(limits.maxMarkupChars)} 个；请在 Excel/WPS 中打开后另存为 .xlsx，或删除与考评无关的内容后再试`,
    );
  }
  const stats: MarkupStats = { rows: 0, cells: 0, maxRow: 0, maxColumn: 0, merges: 0, mergedCells: 0, depth: 0, tables: 0 };
  const stack: string[] = [];
  let tableDepth = 0;

  // Per table (HTML) or worksheet (XML)
  let rows = 0;
  let r = -1; // current row index (SheetJS's R / r)
  let c = 0; // current column index
  let merges = 0;
  let scans = 0;
  // HTML rowspans: width of merges still covering the current row, and what expires after each row
  let activeWidth = 0;
  let activeCount = 0;
  let pendingWidth = 0;
  let pendingCount = 0;
  let expiring = new Map<number, { width: number; count: number }>();
  let columnsDefined = 0;

  const where = (): string => (html ? '网页表格' : '工作表');
  const resetTable = (): void => {
    rows = 0;
    r = html ? -1 : 0;
    c = 0;
    merges = 0;
    scans = 0;
    activeWidth = 0;
    activeCount = 0;
    pendingWidth = 0;
    pendingCount = 0;
    expiring = new Map();
    columnsDefined = 0;
  };
  resetTable();

  const check = (): void => {
    const l = limits;
    if (rows > l.maxRows) throw tooManyRows(`${label(kind)}中的${where()}`, rows, l, true);
    if (stats.maxRow > l.maxRows) throw tooManyRows(`${label(kind)}中的${where()}`, stats.maxRow, l);
    if (stats.maxColumn > l.maxColumns) throw tooManyColumns(`${label(kind)}中的${where()}`, stats.maxColumn, l);
    if (stats.cells > l.maxCells) throw tooManyCells(stats.cells, '个单元格', l, true);
    if (stats.merges > l.maxMerges || stats.mergedCells > l.maxMergedCells) throw tooManyMerges(stats.merges, stats.mergedCells, l);
    if (scans > l.maxMergeScans) {
      throw new SheetError(
        'too-many-merges',
        `文件是${label(kind)}，表格中有 ${fmt(merges)} 处合并单元格（colspan/rowspan）和大量单元格，逐一比对超过处理上限；请在 Excel/WPS 中打开后另存为 .xlsx，或取消不必要的合并后再试`,
      );
    }
  };

  const reach = (row: number, column: number): void => {
    if (row > stats.maxRow) stats.maxRow = row;
    if (column > stats.maxColumn) stats.maxColumn = column;
  };

  const addMerge = (rowsSpanned: number, colsSpanned: number): void => {
    merges++;
    stats.merges++;
    stats.mergedCells += rowsSpanned * colsSpanned;
  };

  const push = (name: string): void => {
    stack.push(name);
    if (stack.length > stats.depth) stats.depth = stack.length;
    if (stack.length > limits.maxMarkupDepth) {
      throw new SheetError(
        'markup-too-deep',
        `文件是${label(kind)}，元素嵌套超过 ${fmt(limits.maxMarkupDepth)} 层（在“${name.slice(0, 20)}”处），不像是正常导出的表格；请在 Excel/WPS 中打开后另存为 .xlsx 再试`,
      );
    }
  };

  /** Close `name`: pop up to and including its innermost open element (an unmatched end tag is ignored). */
  const close = (name: string, stopAtTable = false): boolean => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const open = stack[i]!;
      if (open === name) {
        for (let k = stack.length - 1; k >= i; k--) if (stack[k] === 'table' && html) tableDepth--;
        stack.length = i;
        return true;
      }
      if (stopAtTable && open === 'table') return false;
    }
    return false;
  };

  // SheetJS takes a cell's colspan/rowspan from the start of its chunk (the text after a `<tr…>` or a `</td>`/
  // `</th>`, up to the first '>'), which need not be the <td> tag itself: `</td><i colspan="999999"><td>` gives
  // the next cell the <i>'s colspan. The first td/th of a chunk takes the larger of its own and the chunk's spans.
  let chunkStart = -1;
  const chunkAttrs = (): Map<string, string> | undefined => {
    if (chunkStart < 0) return undefined;
    let s0 = chunkStart;
    chunkStart = -1;
    while (s0 < text.length && isSpace(text.charCodeAt(s0))) s0++;
    const gt = text.indexOf('>', s0);
    return gt < 0 ? undefined : attributes(` ${text.slice(s0, gt)}`, 'html');
  };
  const span = (own: Map<string, string>, chunk: Map<string, string> | undefined, key: string): number => {
    const read = (m: Map<string, string> | undefined): number => {
      const v = m?.get(key);
      return v === undefined || v === '' ? 1 : count(kind, key, v);
    };
    return Math.max(read(own), read(chunk));
  };

  const htmlStart = (name: string, tag: string): void => {
    // SheetJS splits rows on "<tr…" and cells on "<td…"/"<th…" prefixes: count those as it would
    if (name.startsWith('tr')) {
      // a new row: rowspans begun on the previous row now push cells right; those that ended stop
      r++;
      rows++;
      c = 0;
      activeWidth += pendingWidth;
      activeCount += pendingCount;
      pendingWidth = 0;
      pendingCount = 0;
      const ended = expiring.get(r - 1);
      if (ended) {
        activeWidth -= ended.width;
        activeCount -= ended.count;
        expiring.delete(r - 1);
      }
      // every cell of this row may restart the merge scan once per active rowspan
      scans += activeCount * merges;
    } else if (name.startsWith('td') || name.startsWith('th')) {
      if (r < 0) r = 0;
      const attrs = attributes(tag, kind);
      const chunk = chunkAttrs();
      const colspan = span(attrs, chunk, 'colspan');
      const rowspan = span(attrs, chunk, 'rowspan');
      stats.cells++;
      scans += merges;
      // the furthest column this cell can land at: the columns before it plus every rowspan pushing it right
      const column = c + activeWidth;
      reach(r + Math.max(1, rowspan), column + Math.max(1, colspan));
      if (rowspan > 1 || colspan > 1) {
        addMerge(Math.max(1, rowspan), Math.max(1, colspan));
        if (rowspan > 1) {
          const end = r + rowspan - 1;
          // pushes cells right from the next row to row `end`
          const width = Math.max(1, colspan);
          pendingWidth += width;
          pendingCount++;
          const e = expiring.get(end) ?? { width: 0, count: 0 };
          e.width += width;
          e.count++;
          expiring.set(end, e);
        }
      }
      c += Math.max(1, colspan);
    }
    // nesting, with HTML's implied end tags for table parts
    if (name === 'td' || name === 'th') {
      if (!close('td', true)) close('th', true);
    } else if (name === 'tr') {
      close('tr', true);
    } else if (TABLE_SECTIONS.has(name)) {
      close('tr', true);
      for (const s of TABLE_SECTIONS) close(s, true);
    } else if (name === 'table') {
      tableDepth++;
      if (tableDepth === 1) {
        stats.tables++;
        resetTable();
      }
      if (tableDepth > limits.maxTableDepth) {
        throw new SheetError(
          'markup-too-deep',
          `文件是${label(kind)}，表格中又嵌套了表格，超过 ${fmt(limits.maxTableDepth)} 层，不像是正常导出的表格；请在 Excel/WPS 中打开后另存为 .xlsx 再试`,
        );
      }
    }
  };

  // parse_xlml_xml keeps the attributes of the last <Cell> it recognised and applies its MergeAcross/MergeDown at
  // the next </Cell>, even when that end tag belongs to a cell whose start tag it did not recognise.
  let lastCell = new Map<string, string>();
  const xmlStart = (local: string, tag: string, selfClosing: boolean): void => {
    if (local === 'worksheet') {
      resetTable();
      stats.tables++;
    } else if (local === 'table') {
      const expanded = attr(attributes(tag, kind), 'ExpandedRowCount');
      if (expanded !== undefined) {
        const n = count(kind, 'ss:ExpandedRowCount', expanded);
        if (n > limits.maxRows) throw tooManyRows(`${label(kind)}中的工作表（ss:ExpandedRowCount）`, n, limits);
      }
      columnsDefined = 0;
    } else if (local === 'column') {
      const attrs = attributes(tag, kind);
      const index = attr(attrs, 'Index');
      const span = attr(attrs, 'Span');
      const at = index === undefined ? columnsDefined + 1 : count(kind, 'ss:Index', index);
      columnsDefined = Math.max(columnsDefined, at) + (span === undefined ? 0 : count(kind, 'ss:Span', span));
      if (columnsDefined > EXCEL_COLUMNS) throw invalid(kind, `列定义（<Column ss:Index/ss:Span>）超出 Excel 的 ${fmt(EXCEL_COLUMNS)} 列`);
    } else if (local === 'row') {
      const index = attr(attributes(tag, kind), 'Index');
      if (index !== undefined) {
        const n = count(kind, 'ss:Index', index);
        if (n < 1 || n > EXCEL_ROWS) throw invalid(kind, `行号 ss:Index="${fmt(n)}" 超出 Excel 的 ${fmt(EXCEL_ROWS)} 行`);
        r = n - 1;
      }
      rows++;
      if (selfClosing) {
        c = 0;
        r++;
      }
    } else if (local === 'cell') {
      lastCell = attributes(tag, kind);
      const index = attr(lastCell, 'Index');
      if (index !== undefined) {
        const n = count(kind, 'ss:Index', index);
        if (n < 1) throw invalid(kind, '列号 ss:Index="0" 无效');
        c = n - 1;
      }
      stats.cells++;
      reach(r + 1, c + 1);
      if (selfClosing) c++;
    }
  };

  const xmlEnd = (local: string): void => {
    if (local === 'row') {
      c = 0;
      r++;
    } else if (local === 'cell') {
      const across = attr(lastCell, 'MergeAcross');
      const down = attr(lastCell, 'MergeDown');
      const ma = across === undefined ? 0 : count(kind, 'ss:MergeAcross', across);
      const md = down === undefined ? 0 : count(kind, 'ss:MergeDown', down);
      reach(r + 1 + md, c + 1 + ma);
      if (ma > 0 || md > 0) addMerge(md + 1, ma + 1);
      c += across === undefined ? 1 : ma + 1;
    }
  };

  const n = text.length;
  const nextGt = finder(text, '>');
  const nextBracket = finder(text, '[');
  let i = text.indexOf('<');
  while (i >= 0 && i < n) {
    const next = text.charCodeAt(i + 1);
    if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) break; // SheetJS drops an unclosed comment and everything after it
        i = text.indexOf('<', end + 3);
        continue;
      }
      // a declaration: DOCTYPE (an internal subset is where entities are declared), ENTITY, ELEMENT …
      // (SheetJS does not skip CDATA sections or declarations: tags inside them are seen, so scanning goes on)
      const word = /^[A-Za-z]+/.exec(text.slice(i + 2, i + 12))?.[0]?.toUpperCase() ?? '';
      if (word === 'ENTITY' || (!html && word !== '' && word !== 'DOCTYPE')) throw entity(kind);
      if (word === 'DOCTYPE' && !html) {
        const end = nextGt(i);
        const bracket = nextBracket(i);
        if (bracket >= 0 && (end < 0 || bracket < end)) throw entity(kind);
      }
      i = text.indexOf('<', i + 1);
      continue;
    }
    const tag = html ? htmlTag(text, i, nextGt) : xmlTag(text, i, kind);
    if (!tag) {
      i = text.indexOf('<', i + 1);
      continue;
    }
    const { name, attrs, selfClosing, end } = tag;
    if (html && (tag.closing ? (name === 'td' || name === 'th') && attrs === '' : name.startsWith('tr'))) chunkStart = end + 1;
    if (tag.closing) {
      if (html) {
        close(name);
      } else {
        close(name);
        xmlEnd(name.slice(name.indexOf(':') + 1));
      }
    } else if (html) {
      htmlStart(name, attrs);
      if (!selfClosing && !VOID_HTML.has(name)) push(name);
    } else {
      xmlStart(name.slice(name.indexOf(':') + 1), attrs, selfClosing);
      if (!selfClosing) push(name);
    }
    if (rows > stats.rows) stats.rows = rows;
    check();
    i = text.indexOf('<', end + 1);
  }
  return stats;
}

/**
 * Check an HTML table or an Excel 2003 XML spreadsheet before SheetJS parses it. Throws SheetError
 * (`markup-too-large`, `markup-too-deep`, `markup-invalid`, `xml-entity`, `too-many-rows`, `too-many-columns`,
 * `too-many-cells`, `too-many-merges`).
 */
export function guardMarkup(text: string, kind: MarkupKind, limits: SheetLimits = SHEET_LIMITS): void {
  scanMarkup(text, kind, limits);
}
