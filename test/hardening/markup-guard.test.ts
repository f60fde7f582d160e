// The markup guard (shared/sheet/markup-guard.ts) on real HTML and Excel 2003 XML files (SheetJS output,
// test/fixtures/formats) and on hostile ones: span and index bombs, merges that make SheetJS's HTML reader
// quadratic, deep nesting, entity declarations, oversized text, truncated and character-flipped specimens.
// Every refusal is a SheetError with a Chinese message that leaks no internals, reached quickly; a file the
// guard passes never makes SheetJS build more than the guard counted.
// Seeds are fixed (SEED below) so a failure reproduces; FC_SEED overrides it, FC_SCALE multiplies the runs.
import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SheetError, type SheetErrorCode } from '../../shared/sheet/errors.ts';
import { SHEET_LIMITS } from '../../shared/sheet/limits.ts';
import { guardMarkup, scanMarkup, type MarkupKind, type MarkupStats } from '../../shared/sheet/markup-guard.ts';
import { CHINESE, LEAK, refusalOf, runs } from './refusal.ts';


const text = (f: string) => readFileSync(new URL(`../fixtures/formats/${f}`, import.meta.url), 'utf8');
const HTML = text('sheetjs.html');
const XML = text('sheetjs-2003.xml');

const refusal = (t: string, kind: MarkupKind, code?: SheetErrorCode): SheetError => refusalOf(() => guardMarkup(t, kind), code);

function scansOrRefuses(t: string, kind: MarkupKind): MarkupStats | SheetError {
  const started = Date.now();
  try {
    return scanMarkup(t, kind);
  } catch (e) {
    if (!(e instanceof SheetError)) throw new Error(`not a SheetError: ${String((e as Error)?.stack ?? e)}`);
    expect(e.message).toMatch(CHINESE);
    expect(e.message).not.toMatch(LEAK);
    return e;
  } finally {
    expect(Date.now() - started).toBeLessThan(1000);
  }
}

/** What SheetJS builds (dense, with stubs): cells, the last row and column holding a cell, merged ranges. */
function built(t: string): { cells: number; maxRow: number; maxColumn: number; merges: number } {
  const wb = XLSX.read(t, { type: 'string', dense: true, sheetStubs: true });
  let cells = 0;
  let maxRow = 0;
  let maxColumn = 0;
  let merges = 0;
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name]!;
    merges += (ws['!merges'] ?? []).length;
    (ws['!data'] ?? []).forEach((row, r) =>
      row?.forEach((c, col) => {
        if (!c) return;
        cells++;
        maxRow = Math.max(maxRow, r + 1);
        maxColumn = Math.max(maxColumn, col + 1);
      }),
    );
  }
  return { cells, maxRow, maxColumn, merges };
}

const table = (rows: string) => `<html><body><table>${rows}</table></body></html>`;
const ss = (rows: string, tableAttrs = '', columns = '') =>
  `<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="表1"><Table${tableAttrs}>${columns}${rows}</Table></Worksheet></Workbook>`;
const num = '<Data ss:Type="Number">1</Data>';

describe('genuine files pass with what SheetJS builds', () => {
  it('an HTML table (SheetJS export of the messy fixture)', () => {
    const stats = scanMarkup(HTML, 'html');
    const b = built(HTML);
    expect(stats).toMatchObject({ rows: 18, maxRow: 18, maxColumn: 18, tables: 1 });
    expect(stats.merges).toBe(b.merges);
    // every <td> is counted, SheetJS keeps the non-empty ones
    expect(stats.cells).toBeGreaterThanOrEqual(b.cells);
    expect(b.maxRow).toBe(stats.maxRow);
    expect(b.maxColumn).toBeLessThanOrEqual(stats.maxColumn);
  });

  it('an Excel 2003 XML workbook (three worksheets)', () => {
    const stats = scanMarkup(XML, 'xml2003');
    const b = built(XML);
    expect(stats).toMatchObject({ rows: 18, maxRow: 18, maxColumn: 18, tables: 3 });
    expect(stats.merges).toBe(b.merges);
    // SheetJS with stubs fills every merged range: cells + covered cells
    expect(stats.cells + stats.mergedCells - stats.merges).toBe(b.cells);
  });

  it('HTML as web systems write it: unclosed cells and rows, inline tags never closed, comments', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `<tr><td><font color=red>${i}<td>张庄村<br><td><b>是`).join('\n');
    const stats = scanMarkup(`<!DOCTYPE html><html><head><meta charset=gbk><style>td{}</style></head><body><table border=1><!-- <tr><td>hidden --><thead><tr><th>序号<th>村名<th>是否</thead><tbody>${rows}</tbody></table></body></html>`, 'html');
    expect(stats.rows).toBe(2001);
    expect(stats.cells).toBe(6004); // <thead> too: SheetJS takes every "<th…" and "<td…" as a cell
    expect(stats.depth).toBeLessThan(12);
  });

  it('namespaced SpreadsheetML (ss:Row, ss:Cell) is counted too', () => {
    const t = '<?xml version="1.0"?><ss:Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><ss:Worksheet ss:Name="a"><ss:Table><ss:Row><ss:Cell ss:Index="3" ss:MergeAcross="1"><ss:Data ss:Type="String">x</ss:Data></ss:Cell></ss:Row></ss:Table></ss:Worksheet></ss:Workbook>';
    expect(scanMarkup(t, 'xml2003')).toMatchObject({ rows: 1, cells: 1, maxColumn: 4, merges: 1 });
  });

  it('a large legitimate file (40,000 rows × 5 cells) is scanned in linear time, in both kinds', () => {
    const h = table(Array.from({ length: 40_000 }, (_, i) => `<tr><td>${i}</td><td>村</td><td>1</td><td>2</td><td>3</td></tr>`).join(''));
    expect(scanMarkup(h, 'html')).toMatchObject({ rows: 40_000, cells: 200_000 });
    const x = ss(Array.from({ length: 40_000 }, () => `<Row><Cell>${num}</Cell><Cell>${num}</Cell><Cell>${num}</Cell><Cell>${num}</Cell><Cell>${num}</Cell></Row>`).join(''));
    expect(scanMarkup(x, 'xml2003')).toMatchObject({ rows: 40_000, cells: 200_000, maxRow: 40_000 });
  });
});

describe('HTML: what html_to_sheet would expand', () => {
  it('a colspan of a million', () => {
    refusal(table('<tr><td colspan="1000000">x</td><td>y</td></tr>'), 'html', 'too-many-columns');
  });

  it('a rowspan of a million', () => {
    expect(refusal(table('<tr><td rowspan="1000000">x</td></tr>'), 'html', 'too-many-rows').message).toContain('1,000,000');
  });

  it('rowspans push later rows right: 600 rowspans of 2 columns reach column 1,200', () => {
    const first = `<tr>${'<td rowspan="3" colspan="2">a</td>'.repeat(600)}</tr>`;
    expect(scanMarkup(table(first), 'html', { ...SHEET_LIMITS, maxColumns: 2000 }).maxColumn).toBe(1200);
    refusal(table(first + '<tr><td>b</td></tr>'), 'html', 'too-many-columns');
  });

  it('a colspan on another tag at the start of a cell chunk (SheetJS reads the chunk’s first tag)', () => {
    const t = table('<tr><td>a</td><i colspan="999999"><td>b</td><td>c</td></tr>');
    refusal(t, 'html', 'too-many-columns');
    // SheetJS does take it: its merge reaches the i's colspan
    expect(built(t.replace('999999', '30')).merges).toBe(1);
    expect(scanMarkup(t.replace('999999', '30'), 'html')).toMatchObject({ merges: 1, maxColumn: 32 });
  });

  it('a span that is not a number (SheetJS would put cells at column NaN)', () => {
    refusal(table('<tr><td colspan="2px">x</td></tr>'), 'html', 'markup-invalid');
    refusal(table('<tr><td rowspan=-3>x</td></tr>'), 'html', 'markup-invalid');
  });

  it('merges compared with every cell (quadratic in SheetJS): 3,000 merges and 20,000 cells', () => {
    const t = table(`<tr>${'<td colspan="2">a</td>'.repeat(300)}</tr>`.repeat(10) + '<tr><td>1</td><td>2</td></tr>'.repeat(10_000));
    expect(refusal(t, 'html', 'too-many-merges').message).toContain('3,000 处');
  });

  it('more rows than the cap, also as "<tr…" prefixes SheetJS splits on', () => {
    refusal(table('<tr><td>1</td></tr>'.repeat(SHEET_LIMITS.maxRows + 1)), 'html', 'too-many-rows');
    refusal(table('<track>'.repeat(SHEET_LIMITS.maxRows + 1) + '<td>1</td>'), 'html', 'too-many-rows');
  });

  it('more cells than the cap', () => {
    refusal(table(`<tr>${'<td>1</td>'.repeat(500)}</tr>`.repeat(501)), 'html', 'too-many-cells');
  });

  it('elements nested 100 deep, and tables nested 5 deep', () => {
    refusal(table(`<tr><td>${'<div>'.repeat(100)}x</td></tr>`), 'html', 'markup-too-deep');
    const nested = '<table><tr><td>'.repeat(5) + 'x' + '</td></tr></table>'.repeat(5);
    expect(refusal(nested, 'html', 'markup-too-deep').message).toContain('嵌套了表格');
    expect(scanMarkup('<table><tr><td>'.repeat(3) + 'x' + '</td></tr></table>'.repeat(3), 'html').tables).toBe(1);
  });

  it('entity declarations', () => {
    refusal('<!DOCTYPE html><!ENTITY a "b"><table><tr><td>&a;</td></tr></table>', 'html', 'xml-entity');
  });

  it('rows inside a comment are not counted; an unclosed comment hides the rest (as in SheetJS)', () => {
    expect(scanMarkup(table(`<!--${'<tr><td>1</td></tr>'.repeat(60_000)}-->`), 'html').rows).toBe(0);
    expect(scanMarkup(table('<tr><td>1</td></tr><!--' + '<tr><td>1</td></tr>'.repeat(60_000)), 'html').rows).toBe(1);
  });
});

describe('XML 2003: what parse_xlml would expand', () => {
  it('a value at ss:Index row 1,000,000 in a tiny file', () => {
    expect(refusal(ss(`<Row><Cell>${num}</Cell></Row><Row ss:Index="1000000"><Cell>${num}</Cell></Row>`), 'xml2003', 'too-many-rows').message).toContain('1,000,000');
  });

  it('row and column indexes beyond Excel, or not numbers', () => {
    refusal(ss(`<Row ss:Index="2000000"/>`), 'xml2003', 'markup-invalid');
    refusal(ss(`<Row ss:Index="1e6"><Cell>${num}</Cell></Row>`), 'xml2003', 'markup-invalid');
    refusal(ss(`<Row><Cell ss:Index="100000">${num}</Cell></Row>`), 'xml2003', 'too-many-columns');
  });

  it('MergeAcross / MergeDown bombs', () => {
    refusal(ss(`<Row><Cell ss:MergeAcross="16000">${num}</Cell></Row>`), 'xml2003', 'too-many-columns');
    refusal(ss(`<Row><Cell ss:MergeDown="1000000">${num}</Cell></Row>`), 'xml2003', 'too-many-rows');
    expect(refusal(ss(`<Row><Cell ss:MergeAcross="500" ss:MergeDown="40000">${num}</Cell></Row>`), 'xml2003', 'too-many-merges').message).toContain('20,040,501');
  });

  it('a Column span of a hundred million (SheetJS copies the column object per spanned column)', () => {
    refusal(ss(`<Row><Cell>${num}</Cell></Row>`, '', '<Column ss:Span="100000000"/>'), 'xml2003', 'markup-invalid');
    refusal(ss(`<Row><Cell>${num}</Cell></Row>`, '', '<Column ss:Index="20000"/>'), 'xml2003', 'markup-invalid');
  });

  it('an ExpandedRowCount beyond the cap', () => {
    refusal(ss(`<Row><Cell>${num}</Cell></Row>`, ' ss:ExpandedRowCount="1048576"'), 'xml2003', 'too-many-rows');
  });

  it('more Row elements and more Cell elements than the caps', () => {
    refusal(ss('<Row/>'.repeat(SHEET_LIMITS.maxRows + 1)), 'xml2003', 'too-many-rows');
    refusal(ss(`<Row>${'<Cell/>'.repeat(500)}</Row>`.repeat(501)), 'xml2003', 'too-many-cells');
  });

  it('entity-expansion bombs and DOCTYPE internal subsets; a plain DOCTYPE passes', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' + ss(`<Row><Cell><Data ss:Type="String">&lol2;</Data></Cell></Row>`).slice(21);
    expect(refusal(laughs, 'xml2003', 'xml-entity').message).toContain('实体');
    refusal('<?xml version="1.0"?><!ENTITY x SYSTEM "file:///etc/passwd">' + ss(''), 'xml2003', 'xml-entity');
    expect(scanMarkup('<?xml version="1.0"?><!DOCTYPE Workbook>' + ss(`<Row><Cell>${num}</Cell></Row>`).slice(21), 'xml2003').cells).toBe(1);
  });

  it('elements nested 100 deep', () => {
    refusal(ss(`<Row><Cell><Data ss:Type="String">${'<Font>'.repeat(100)}x${'</Font>'.repeat(100)}</Data></Cell></Row>`), 'xml2003', 'markup-too-deep');
  });

  it('an unclosed quote cannot hide the cells after it ("<" in an attribute value)', () => {
    refusal(ss(`<Row><Cell ss:StyleID="s1>${'<Cell/>'.repeat(300_000)}</Row>`), 'xml2003', 'markup-invalid');
  });

  it('text over the character cap', () => {
    expect(refusal('<table>' + ' '.repeat(SHEET_LIMITS.maxMarkupChars), 'html', 'markup-too-large').message).toContain('33,554,432');
  });
});

describe('the scan itself stays linear on pathological text', () => {
  const cases: [string, string][] = [
    ['a million "<a" and no ">"', '<a'.repeat(1_000_000)],
    ['a million "<a " and one ">" at the end', '<a '.repeat(1_000_000) + '>'],
    ['a million unclosed DOCTYPEs', '<!DOCTYPE x '.repeat(400_000)],
    ['a tag with a million attributes and no end', '<Cell' + ' a="1"'.repeat(1_000_000)],
    ['a million "<" alone', '< '.repeat(1_000_000)],
  ];
  for (const [what, t] of cases) {
    for (const kind of ['html', 'xml2003'] as const) {
      it(`${what} (${kind})`, () => {
        scansOrRefuses(t, kind);
      });
    }
  }
});

describe('damaged real files', () => {
  for (const [name, t, kind] of [
    ['sheetjs.html', HTML, 'html'],
    ['sheetjs-2003.xml', XML, 'xml2003'],
  ] as const) {
    it(`${name} truncated at every 37 characters passes or refuses cleanly`, () => {
      for (let n = 0; n < t.length; n += 37) scansOrRefuses(t.slice(0, n), kind);
    });

    it(`${name} with flipped characters: a pass never lets SheetJS build more than counted`, () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(), fc.constantFrom('<', '>', '"', "'", '/', '=', ' ', '9', '-', '!', 'x', '\u0000')), { minLength: 1, maxLength: 6 }), (flips) => {
          const chars = [...t];
          for (const [at, ch] of flips) chars[at % chars.length] = ch;
          const s = chars.join('');
          const r = scansOrRefuses(s, kind);
          if (r instanceof SheetError) return;
          let b: ReturnType<typeof built>;
          try {
            b = built(s);
          } catch {
            return; // SheetJS refuses it itself
          }
          expect(b.maxRow).toBeLessThanOrEqual(Math.max(r.maxRow, SHEET_LIMITS.maxRows));
          expect(b.maxColumn).toBeLessThanOrEqual(SHEET_LIMITS.maxColumns);
          expect(b.merges).toBeLessThanOrEqual(r.merges);
        }),
        runs(200),
      );
    });
  }
});
