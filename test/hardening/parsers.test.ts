// Property-based and mutation tests of every parser: xlsx (byte flips and truncations of the real fixtures),
// CSV (random bytes, wrong encodings, hostile text), cell values (formulas, control and bidi characters,
// 40,000-character strings, odd numbers), header finding and column mapping (random grids, mapping files),
// and county rulebooks (mutated JSON). Each input ends in a result or in the module's own error type with a
// Chinese message: never another exception, a stack trace in a message, or a slow case.
// Seeds are fixed (SEED below) so a failure reproduces; FC_SEED overrides it, FC_SCALE multiplies the runs.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { SheetError } from '../../shared/sheet/errors.ts';
import { readWorkbook } from '../../shared/sheet/read.ts';
import { findTable, isSheetProblem } from '../../shared/sheet/header.ts';
import { mapColumns, parseMappingOverride } from '../../shared/sheet/mapping.ts';
import { extractRows } from '../../shared/sheet/rows.ts';
import { parseByKind } from '../../shared/values/by-kind.ts';
import { CountyRulebookError, parseCountyRulebook } from '../../shared/rulebook/county.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import type { Grid, InputKind, RawCell } from '../../shared/types.ts';

const SEED = Number(process.env.FC_SEED ?? 20260806);
const SCALE = Number(process.env.FC_SCALE ?? 1);
const runs = (n: number) => ({ seed: SEED, numRuns: Math.max(1, Math.round(n * SCALE)) });

const CHINESE = /[\u4e00-\u9fff]/;
const LEAK = /\n\s+at |node:internal|\.ts:\d+|TypeError|RangeError|SyntaxError|undefined|\[object Object\]/;
const KINDS: InputKind[] = ['count', 'number', 'hours', 'money', 'area', 'percent', 'bool', 'judgement', 'date', 'code', 'orgType', 'unitType', 'text'];
const rulebook = defaultRulebook();
const inputs = rulebook.inputs;

const fixture = (f: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${f}`, import.meta.url)));
const XLSX = ['messy-excel.xlsx', 'libreoffice.xlsx', 'wps-inline.xlsx'].map((f) => ({ name: f, bytes: fixture(f) }));
const CSV = ['utf8-bom.csv', 'gb18030.csv'].map((f) => ({ name: f, bytes: fixture(f) }));
/** The same sheet in every other format the reader takes (test/fixtures/producers). */
const FORMATS = ['libreoffice.xls', 'excel95-gbk.xls', 'sheetjs.xlsb', 'libreoffice.ods', 'sheetjs-2003.xml', 'export-gbk.xls', 'openpyxl-notes.xlsx'].map((f) => ({
  name: f,
  bytes: fixture(`producers/${f}`),
}));

/** The error is a SheetError with a Chinese message and no stack or internals in it. */
function expectSheetError(e: unknown): void {
  if (!(e instanceof SheetError)) throw new Error(`not a SheetError: ${String((e as Error)?.stack ?? e)}`);
  expect(e.message).toMatch(CHINESE);
  expect(e.message).not.toMatch(LEAK);
}

async function readsOrRefuses(bytes: Uint8Array, name: string, maxMs: number): Promise<void> {
  const started = Date.now();
  try {
    const grids = await readWorkbook(bytes, name);
    for (const g of grids) for (const w of g.warnings) expect(w).not.toMatch(LEAK);
  } catch (e) {
    expectSheetError(e);
  }
  expect(Date.now() - started).toBeLessThan(maxMs);
}

// ---------------------------------------------------------------------------------------------
// Hostile text

const BIDI = ['\u202e', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u200f', '\u061c'];
const CONTROL = ['\u0000', '\u0007', '\u0008', '\u000b', '\u001b', '\u007f', '\u0085', '\ufeff', '\ufffd', '\u200b', '\u3000', '\ud800', '\udfff'];
const FORMULA = ['=', '+', '-', '@', '\t', '\r', '=SUM(A1:A9)', '=HYPERLINK("http://x","点我")', "=cmd|' /C calc'!A0", '@SUM(1)', '+1-1', '-2+3'];
const NUMBERS = ['1e308', '1e309', '-1e308', '5e-324', '-0', '0.0', 'NaN', 'Infinity', '-Infinity', '1E+400', '0x1F', '9007199254740993', '１２', '𝟙𝟚', '١٢', '۱۲', '१२', '二〇二六', '壹亿', '1,2,3', '1..2', '.5', '5.', '%', '100%%', '99999999999999999999万'];
const WORDS = ['村', '党支部', '是', '否', '好', '万元', '平方米', '次', '合计', '区划代码', '2026年第三季度', '√', '×', '无', '/', '—'];

const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.array(fc.constantFrom(...BIDI, ...CONTROL, ...FORMULA, ...NUMBERS, ...WORDS, '1', '0', '.', ',', ' ', '万', '%'), { maxLength: 12 }).map((a) => a.join('')),
  fc.tuple(fc.constantFrom(...FORMULA, ...BIDI, ''), fc.constantFrom(...NUMBERS, ...WORDS), fc.constantFrom(...CONTROL, ...BIDI, '', '次', '万元')).map((t) => t.join('')),
  fc.constantFrom(...NUMBERS),
);

const hostileValue: fc.Arbitrary<RawCell['value']> = fc.oneof(
  hostileText,
  fc.double(),
  fc.constantFrom(Number.MAX_VALUE, Number.MIN_VALUE, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e21, 2024.1, 0.1 + 0.2, 1 / 3),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15) }),
);

const hostileCell: fc.Arbitrary<RawCell> = fc
  .record({ value: hostileValue, numFmt: fc.option(fc.constantFrom('0%', '0.00%', 'yyyy-mm-dd', '@', 'General', '0.0', '"¥"#,##0', 'yyyy"年"m"月"'), { nil: undefined }), text: fc.option(hostileText, { nil: undefined }) })
  .map((r) => {
    const c: RawCell = { address: 'B2', value: r.value };
    if (r.numFmt !== undefined) c.numFmt = r.numFmt;
    if (r.text !== undefined) c.text = r.text;
    return c;
  });

function parsesToData(kind: InputKind, cell: RawCell, ctx: { headerScale?: number; fractionColumn?: boolean }): void {
  const r = parseByKind(kind, cell, ctx);
  if (r.ok) {
    if (typeof r.value === 'number') expect(Number.isFinite(r.value), `${kind} ${String(cell.value)} → ${r.value}`).toBe(true);
    if (r.note !== undefined) expect(r.note).not.toMatch(LEAK);
  } else {
    expect(r.reason).toMatch(CHINESE);
    expect(r.reason).not.toMatch(LEAK);
  }
}

describe('cell values: hostile text and odd numbers', () => {
  it('every parser returns a value or a Chinese reason, never throws', () => {
    fc.assert(
      fc.property(hostileCell, fc.constantFrom(...KINDS), fc.option(fc.constantFrom(1, 10000, 0.01, 1e-300, 1e300), { nil: undefined }), fc.boolean(), (cell, kind, headerScale, fractionColumn) => {
        parsesToData(kind, cell, { ...(headerScale !== undefined ? { headerScale } : {}), fractionColumn });
      }),
      runs(4000),
    );
  });

  it('40,000-character cells are parsed quickly by every parser', () => {
    const long = [
      '1'.repeat(40_000),
      '张庄村'.repeat(13_334),
      '1,'.repeat(20_000),
      ' '.repeat(39_999) + '1',
      '=' + 'A'.repeat(39_999),
      '\u202e'.repeat(40_000),
      '一'.repeat(40_000),
      '1.'.repeat(20_000),
      '约'.repeat(20_000) + '10次',
      '(' .repeat(20_000) + ')'.repeat(20_000),
      '%'.repeat(40_000),
      '2024年'.repeat(8_000),
      '1万'.repeat(20_000),
      '𝟙'.repeat(20_000),
    ];
    for (const text of long) {
      for (const kind of KINDS) {
        const started = Date.now();
        parsesToData(kind, { address: 'B2', value: text }, {});
        expect(Date.now() - started, `${kind} on ${JSON.stringify(text.slice(0, 12))}…`).toBeLessThan(500);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// xlsx: mutations of real files

describe('every other format: byte flips and truncations through the reader', () => {
  it('the specimens themselves read', async () => {
    for (const f of FORMATS) expect((await readWorkbook(f.bytes, f.name)).length, f.name).toBeGreaterThan(0);
  });

  it('random byte flips (headers, directories, chains, records, markup) read or refuse', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORMATS),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (file, flips, nearStart) => {
          const bytes = file.bytes.slice();
          for (const [at, x] of flips) {
            // half the runs aim at the first 10%: compound-file header and directory, zip entries, XML prologue
            const i = nearStart ? Math.floor(bytes.length * 0.1 * at) : Math.floor(bytes.length * at);
            bytes[i] = bytes[i]! ^ x;
          }
          await readsOrRefuses(bytes, file.name, 5000);
        },
      ),
      { ...runs(70), timeout: 10_000 },
    );
  });

  it('truncations anywhere read or refuse', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FORMATS), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), async (file, at) => {
        await readsOrRefuses(file.bytes.subarray(0, Math.max(1, Math.floor(file.bytes.length * at))), file.name, 5000);
      }),
      { ...runs(40), timeout: 10_000 },
    );
  });
});

describe('xlsx: byte flips and truncations of the fixtures', () => {
  it('random byte flips anywhere (zip headers, central directory, compressed XML) read or refuse', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...XLSX),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (file, flips, nearEnd) => {
          const bytes = file.bytes.slice();
          for (const [at, x] of flips) {
            // half the runs aim at the last 20% of the file, where the central directory lives
            const i = nearEnd ? Math.floor(bytes.length * (0.8 + 0.2 * at)) : Math.floor(bytes.length * at);
            bytes[i] = bytes[i]! ^ x;
          }
          await readsOrRefuses(bytes, file.name, 5000);
        },
      ),
      { ...runs(60), timeout: 10_000 },
    );
  });

  it('truncations at every kind of offset refuse with a SheetError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...XLSX), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), async (file, at) => {
        await readsOrRefuses(file.bytes.subarray(0, Math.floor(file.bytes.length * at)), file.name, 5000);
      }),
      { ...runs(30), timeout: 10_000 },
    );
  });

  it('inserted and deleted byte runs read or refuse', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...XLSX), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 64 }), async (file, at, insert, del) => {
        const i = Math.floor(file.bytes.length * at);
        const bytes = new Uint8Array([...file.bytes.subarray(0, i), ...insert, ...file.bytes.subarray(i + del)]);
        await readsOrRefuses(bytes, file.name, 5000);
      }),
      { ...runs(30), timeout: 10_000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// CSV

describe('CSV: random bytes, wrong encodings, hostile text', () => {
  it('random bytes (including NUL, lone UTF-16 halves, invalid UTF-8) read or refuse', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.constantFrom('a.csv', 'a.xlsx', 'a.txt', ''), async (bytes, name) => {
        await readsOrRefuses(bytes, name, 2000);
      }),
      { ...runs(300), timeout: 5000 },
    );
  });

  it('hostile text in every encoding the reader guesses (and ones it does not)', async () => {
    const encodings = ['utf8', 'utf16le', 'utf16be', 'gb18030', 'big5', 'shift_jis', 'latin1', 'cesu8'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(hostileText, { maxLength: 6 }), { maxLength: 8 }),
        fc.constantFrom(...encodings),
        fc.boolean(),
        fc.constantFrom(',', '\t', ';', '|'),
        async (rows, encoding, bom, sep) => {
          const text = rows.map((r) => r.map((f) => (/[",;\t\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(sep)).join('\r\n');
          const bytes = new Uint8Array(iconv.encode(text, encoding, { addBOM: bom }));
          await readsOrRefuses(bytes, 'a.csv', 2000);
        },
      ),
      { ...runs(300), timeout: 5000 },
    );
  });

  it('byte flips of the real CSV fixtures read or refuse', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CSV), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 10 }), async (file, flips) => {
        const bytes = file.bytes.slice();
        for (const [at, x] of flips) {
          const i = Math.floor(bytes.length * at);
          bytes[i] = bytes[i]! ^ x;
        }
        await readsOrRefuses(bytes, file.name, 2000);
      }),
      { ...runs(150), timeout: 5000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Headers, mapping, rows

const HEADER_WORDS = [...new Set(inputs.flatMap((i) => [i.label, ...(i.synonyms ?? [])]))].slice(0, 200);
const headerText = fc.oneof(
  fc.constantFrom(...HEADER_WORDS),
  fc.tuple(fc.constantFrom(...HEADER_WORDS), fc.constantFrom('（万元）', '（人）', '（次）', '（%）', '（平方米）', '\n', '/', '', '（亩）', '（是/否）')).map(([a, b]) => a + b),
  hostileText,
);

const gridArb: fc.Arbitrary<Grid> = fc
  .record({
    title: fc.array(hostileText, { maxLength: 3 }),
    header: fc.array(fc.option(headerText, { nil: undefined, freq: 5 }), { minLength: 1, maxLength: 14 }),
    header2: fc.option(fc.array(fc.option(headerText, { nil: undefined, freq: 2 }), { maxLength: 14 }), { nil: undefined }),
    body: fc.array(fc.array(fc.option(hostileValue, { nil: undefined, freq: 3 }), { maxLength: 14 }), { maxLength: 12 }),
    merges: fc.array(fc.record({ top: fc.nat(20), left: fc.nat(16), h: fc.nat(3), w: fc.nat(4) }), { maxLength: 4 }),
  })
  .map(({ title, header, header2, body, merges }) => {
    const rows: (RawCell | undefined)[][] = [];
    const put = (values: readonly (RawCell['value'] | undefined)[]) => {
      const r = rows.length;
      rows.push(values.map((v, c) => (v === undefined ? undefined : { address: `${String.fromCharCode(65 + c)}${r + 1}`, value: v })));
    };
    for (const t of title) put([t]);
    put(header);
    if (header2) put(header2);
    for (const b of body) put(b);
    return { name: '调查表', rows, merges: merges.map((m) => ({ top: m.top, left: m.left, bottom: m.top + m.h, right: m.left + m.w })) };
  });

describe('header finding, column mapping and row extraction on random grids', () => {
  it('find a table or say why not; mapping and rows never throw', () => {
    fc.assert(
      fc.property(gridArb, (grid) => {
        const started = Date.now();
        const layout = findTable(grid, inputs);
        if (isSheetProblem(layout)) {
          expect(layout.reason).toMatch(CHINESE);
          expect(layout.reason).not.toMatch(LEAK);
        } else {
          const mapping = mapColumns(layout, inputs);
          const { rows, skipped } = extractRows(grid, layout, mapping);
          for (const s of skipped) expect(s.reason).not.toMatch(LEAK);
          for (const r of rows) for (const [id, c] of Object.entries(r.cells)) {
            const kind = inputs.find((i) => i.id === id)?.kind;
            if (c && kind) parsesToData(kind, c, {});
          }
        }
        expect(Date.now() - started).toBeLessThan(1000);
      }),
      runs(400),
    );
  });

  it('mapping override files: valid, or a SheetError with a Chinese message', () => {
    const jsonish: fc.Arbitrary<unknown> = fc.oneof(
      fc.jsonValue(),
      fc.record({ columns: fc.dictionary(fc.oneof(fc.constantFrom('A', 'B', 'ZZ', 'XFD', 'AAAA', '区划代码', '', '__proto__', 'constructor'), hostileText), fc.oneof(fc.constantFrom(...inputs.map((i) => i.id)), fc.constant(null), hostileText, fc.integer())) }),
      fc.dictionary(fc.constantFrom('A', 'B', 'C', '村名'), fc.oneof(fc.constantFrom(...inputs.map((i) => i.id)), fc.constant(null), fc.jsonValue())),
    );
    fc.assert(
      fc.property(jsonish, fc.boolean(), (json, withInputs) => {
        try {
          parseMappingOverride(json, withInputs ? inputs : undefined);
        } catch (e) {
          expectSheetError(e);
        }
      }),
      runs(1000),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// County rulebooks

const example = JSON.parse(readFileSync(new URL('../../shared/rulebook/county-example.json', import.meta.url), 'utf8')) as unknown;

/** Every path to a value in a JSON document. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}
const PATHS = paths(example).filter((p) => p.length > 0);

function mutate(doc: unknown, path: (string | number)[], action: 'set' | 'delete' | 'dup', value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (action === 'delete') {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else if (action === 'dup' && Array.isArray(node)) node.push(structuredClone(node[Number(last)]));
  else node[last] = value;
  return copy;
}

describe('county rulebooks: mutated JSON', () => {
  it('the example is valid as published (control)', () => {
    expect(() => parseCountyRulebook(example, rulebook)).not.toThrow();
  });

  it('each mutation is accepted or refused with a CountyRulebookError in Chinese', () => {
    const replacement: fc.Arbitrary<unknown> = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 0.001, 101, -0, '', '=SUM(A1)', '\u202e', 'basic-1', 'demo-99', null, [], {}, true),
      hostileText,
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom('set', 'delete', 'dup', 'set'), replacement), { minLength: 1, maxLength: 3 }), (muts) => {
        let doc = example;
        for (const [path, action, value] of muts) {
          try {
            doc = mutate(doc, path, action as 'set' | 'delete' | 'dup', value);
          } catch {
            // an earlier mutation removed this path: skip it
          }
        }
        const started = Date.now();
        try {
          parseCountyRulebook(doc, rulebook);
        } catch (e) {
          if (!(e instanceof CountyRulebookError)) throw new Error(`not a CountyRulebookError: ${String((e as Error)?.stack ?? e)}`);
          expect(e.message).toMatch(CHINESE);
          expect(e.message).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
        }
        expect(Date.now() - started).toBeLessThan(1000);
      }),
      runs(1500),
    );
  });

  it('arbitrary JSON and prototype keys are refused cleanly', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.constant(JSON.parse('{"__proto__":{"x":1},"constructor":{}}'))), (json) => {
        try {
          parseCountyRulebook(json, rulebook);
        } catch (e) {
          expect(e).toBeInstanceOf(CountyRulebookError);
        }
      }),
      runs(500),
    );
  });
});
