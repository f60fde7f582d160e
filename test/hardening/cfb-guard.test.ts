// The compound-file guard (shared/sheet/cfb-guard.ts) on real .xls files (LibreOffice BIFF8, SheetJS BIFF8 and
// BIFF5, test/fixtures/formats) and on hostile ones: truncated, byte-flipped, cyclic and out-of-range chains,
// shared sectors, directory cycles, huge declared counts, too many entries, and BIFF records that would make
// SheetJS build too much (cells, a row beyond the cap, whole-sheet merges and hyperlinks). Every refusal is a
// SheetError with a Chinese message that leaks no internals, reached quickly.
// Seeds are fixed (SEED below) so a failure reproduces; FC_SEED overrides it, FC_SCALE multiplies the runs.
import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardCfb, isCfb, type CfbInfo } from '../../shared/sheet/cfb-guard.ts';
import { SheetError } from '../../shared/sheet/errors.ts';
import { SHEET_LIMITS } from '../../shared/sheet/limits.ts';
import { bof, buildCfb, concat, ENDOFCHAIN, eof, number, record, u16le, workbookStream } from './cfb-builder.ts';
import { CHINESE, LEAK, refusalOf, runs } from './refusal.ts';


const specimen = (f: string) => new Uint8Array(readFileSync(new URL(`../fixtures/formats/${f}`, import.meta.url)));
const SPECIMENS = ['libreoffice-biff8.xls', 'sheetjs-biff8.xls', 'sheetjs-biff5.xls'].map((name) => ({ name, bytes: specimen(name) }));

const refusal = refusalOf;

/** The guard returns or refuses with a clean SheetError, quickly. */
function guardsOrRefuses(bytes: Uint8Array): CfbInfo | SheetError {
  const started = Date.now();
  try {
    return guardCfb(bytes);
  } catch (e) {
    if (!(e instanceof SheetError)) throw new Error(`not a SheetError: ${String((e as Error)?.stack ?? e)}`);
    expect(e.message).toMatch(CHINESE);
    expect(e.message).not.toMatch(LEAK);
    return e;
  } finally {
    expect(Date.now() - started).toBeLessThan(1000);
  }
}

/** What SheetJS builds from the file with stubs: cells (blanks included), last row and column holding a value. */
function sheetjsCounts(bytes: Uint8Array): { cells: number; maxRow: number; maxColumn: number } {
  const wb = XLSX.read(bytes, { type: 'array', dense: true, sheetStubs: true });
  let cells = 0;
  let maxRow = 0;
  let maxColumn = 0;
  for (const name of wb.SheetNames) {
    (wb.Sheets[name]!['!data'] ?? []).forEach((row, r) =>
      row?.forEach((c, col) => {
        if (!c) return;
        cells++;
        if (c.t !== 'z') {
          maxRow = Math.max(maxRow, r + 1);
          maxColumn = Math.max(maxColumn, col + 1);
        }
      }),
    );
  }
  return { cells, maxRow, maxColumn };
}

const wbFile = (sheet: Uint8Array[], globals: Uint8Array[] = [], name = 'Workbook') => buildCfb([{ name, data: workbookStream(sheet, globals) }]);

describe('genuine .xls files pass with the counts SheetJS builds', () => {
  for (const { name, bytes } of SPECIMENS) {
    it(name, () => {
      expect(isCfb(bytes)).toBe(true);
      const info = guardCfb(bytes);
      expect(info.workbookStream).toBe(name.includes('biff5') ? 'Book' : 'Workbook');
      expect(info.filePass).toBe(false);
      expect(info.encryptedPackage).toBe(false);
      expect(info.cells).toBeGreaterThan(100);
      expect({ cells: info.cells, maxRow: info.maxRow, maxColumn: info.maxColumn }).toEqual(sheetjsCounts(bytes));
    });
  }

  it('a crafted workbook: NUMBER, LABELSST, MULRK, MULBLANK and BLANK cells are counted as SheetJS expands them', () => {
    const mulrk = record(0x00bd, [...u16le(2), ...u16le(1), ...[0, 1, 2].flatMap(() => [...u16le(15), 0x02, 0, 0, 0]), ...u16le(3)]);
    const mulblank = record(0x00be, [...u16le(2), ...u16le(4), ...Array.from({ length: 6 }, () => u16le(15)).flat(), ...u16le(9)]);
    const blank = record(0x0201, [...u16le(7), ...u16le(20), ...u16le(15)]);
    const info = guardCfb(wbFile([number(0, 0), mulrk, mulblank, blank]).bytes);
    expect(info).toMatchObject({ workbookStream: 'Workbook', cells: 1 + 3 + 6 + 1, maxRow: 3, maxColumn: 4, filePass: false });
    expect(info.streams).toEqual(['Workbook']);
  });
});

describe('what the file is', () => {
  it('an encrypted .xls (FILEPASS) is reported, nothing after it counted', () => {
    const info = guardCfb(wbFile([number(0, 0)], [record(0x002f, [1, 0, 1, 0])]).bytes);
    expect(info.filePass).toBe(true);
    expect(info.cells).toBe(0);
  });

  it('a password-protected .xlsx (EncryptedPackage) has no workbook stream', () => {
    const info = guardCfb(buildCfb([{ name: 'EncryptionInfo', data: new Uint8Array(200) }, { name: 'EncryptedPackage', data: new Uint8Array(5000) }]).bytes);
    expect(info.encryptedPackage).toBe(true);
    expect(info.workbookStream).toBeUndefined();
  });

  it('a .doc (WordDocument) has no workbook stream; a BIFF5 file has Book', () => {
    expect(guardCfb(buildCfb([{ name: 'WordDocument', data: new Uint8Array(5000) }]).bytes).workbookStream).toBeUndefined();
    expect(guardCfb(wbFile([number(0, 0)], [], 'Book').bytes).workbookStream).toBe('Book');
  });

  it('a stream named Workbook that is not BIFF is refused', () => {
    refusal(() => guardCfb(buildCfb([{ name: 'Workbook', data: new TextEncoder().encode('<html><table>') }]).bytes), 'cfb-corrupt');
  });
});

describe('what SheetJS would build: cells, rows, columns, merges, hyperlinks', () => {
  it('more cells than the cap (MULBLANK rows of 256 formatted blanks) stops early', () => {
    const rows = Array.from({ length: 1000 }, (_, r) => record(0x00be, [...u16le(r), ...u16le(0), ...Array.from({ length: 256 }, () => u16le(15)).flat(), ...u16le(255)]));
    const err = refusal(() => guardCfb(wbFile(rows).bytes), 'too-many-cells');
    expect(err.message).toContain('250,000');
  });

  it('a lone value at row 60,000, named by its sheet (BOUNDSHEET, UTF-16 name)', () => {
    const name = '三季度汇总';
    const boundsheet = record(0x0085, [0, 0, 0, 0, 0, 0, name.length, 1, ...[...name].flatMap((ch) => u16le(ch.charCodeAt(0)))]);
    const err = refusal(() => guardCfb(wbFile([number(0, 0), number(59_999, 0)], [boundsheet]).bytes), 'too-many-rows');
    expect(err.message).toContain('60,000');
    expect(err.message).toContain('工作表“三季度汇总”');
  });

  it('a value beyond the column cap (a lower cap: BIFF8 has 256 columns)', () => {
    refusal(() => guardCfb(wbFile([number(0, 200)]).bytes, { ...SHEET_LIMITS, maxColumns: 100 }), 'too-many-columns');
  });

  it('a MULRK that names a last column far beyond its length counts what SheetJS loops over', () => {
    const liar = record(0x00bd, [...u16le(0), ...u16le(0), ...u16le(15), 0x02, 0, 0, 0, ...u16le(255)]);
    const info = guardCfb(wbFile([liar]).bytes);
    expect(info.cells).toBe(256);
    expect(info.maxColumn).toBe(256);
  });

  it('a whole-sheet merge (16.7 million cells)', () => {
    const merge = record(0x00e5, [...u16le(1), ...u16le(0), ...u16le(65535), ...u16le(0), ...u16le(255)]);
    const err = refusal(() => guardCfb(wbFile([number(0, 0), merge]).bytes), 'too-many-merges');
    expect(err.message).toContain('16,777,216');
  });

  it('a whole-sheet hyperlink (SheetJS visits every cell of its range)', () => {
    const link = record(0x01b8, [...u16le(0), ...u16le(65535), ...u16le(0), ...u16le(255), ...new Array<number>(24).fill(0)]);
    const err = refusal(() => guardCfb(wbFile([number(0, 0), link]).bytes), 'too-many-hyperlinks');
    expect(err.message).toContain('16,777,216');
  });

  it('deeply nested BOF records', () => {
    const nested = concat(Array.from({ length: 20 }, () => bof(0x0010)));
    refusal(() => guardCfb(buildCfb([{ name: 'Workbook', data: concat([bof(0x0005), nested]) }]).bytes), 'cfb-corrupt');
  });

  it('a record running past the end of the stream (truncated inside a sheet)', () => {
    const header = new Uint8Array([0x03, 0x02, 0xff, 0xff]); // NUMBER, 65,535 bytes long, in a 4,096-byte stream
    const data = concat([bof(0x0005), eof(), bof(0x0010), number(0, 0), header]);
    expect(refusal(() => guardCfb(buildCfb([{ name: 'Workbook', data }]).bytes), 'cfb-corrupt').message).toContain('截断');
  });
});

describe('the compound file structure', () => {
  const base = () => wbFile([number(0, 0)]);

  it('short files and wrong signatures', () => {
    refusal(() => guardCfb(new Uint8Array(0)), 'cfb-corrupt');
    refusal(() => guardCfb(base().bytes.subarray(0, 511)), 'cfb-corrupt');
    const b = base().bytes;
    b[3] = 0;
    refusal(() => guardCfb(b), 'cfb-corrupt');
  });

  it('a wrong byte order, sector shift or mini sector shift', () => {
    for (const [at, v] of [
      [0x1c, 0xfeff],
      [0x1e, 10],
      [0x1e, 12],
      [0x20, 7],
    ] as const) {
      const f = base();
      f.setU16(at, v);
      refusal(() => guardCfb(f.bytes), 'cfb-corrupt');
    }
  });

  it('huge declared FAT, DIFAT, mini-FAT and directory sector counts', () => {
    for (const at of [0x2c, 0x40, 0x48, 0x28]) {
      const f = base();
      f.setU32(at, 0x7fffffff);
      const err = refusal(() => guardCfb(f.bytes), 'cfb-corrupt');
      expect(err.message).toContain('扇区');
    }
  });

  it('a FAT chain that loops back (the workbook stream)', () => {
    const f = base();
    const start = f.starts[0]!;
    f.setFat(start + 7, start);
    const err = refusal(() => guardCfb(f.bytes), 'cfb-corrupt');
    expect(err.message).toContain('循环');
  });

  it('a FAT chain that points outside the file', () => {
    const f = base();
    f.setFat(f.starts[0]!, 0x00ffffff);
    expect(refusal(() => guardCfb(f.bytes), 'cfb-corrupt').message).toContain('文件之外');
  });

  it('a chain that ends early (stream larger than its chain)', () => {
    const f = base();
    f.setFat(f.starts[0]! + 2, ENDOFCHAIN);
    expect(refusal(() => guardCfb(f.bytes), 'cfb-corrupt').message).toContain('中断');
  });

  it('two entries sharing sectors (SheetJS would copy the data once per entry)', () => {
    const f = buildCfb([
      { name: 'Workbook', data: workbookStream([number(0, 0)]) },
      { name: 'Copy', data: new Uint8Array(4096) },
    ]);
    f.setU32(f.entryOffset(2) + 0x74, f.starts[0]!);
    refusal(() => guardCfb(f.bytes), 'cfb-corrupt');
  });

  it('an entry outside the tree still has its chain checked (SheetJS reads every entry)', () => {
    const f = buildCfb([
      { name: 'Workbook', data: workbookStream([number(0, 0)]) },
      { name: 'Hidden', data: new Uint8Array(4096) },
    ]);
    f.setU32(f.entryOffset(1) + 0x48, 0xffffffff); // Hidden is no longer reachable
    f.setU32(f.entryOffset(2) + 0x74, f.starts[0]!);
    refusal(() => guardCfb(f.bytes), 'cfb-corrupt');
  });

  it('a directory chain that loops', () => {
    const f = base();
    const dir = f.entryOffset(0) / 512 - 1;
    f.setFat(dir, dir);
    refusal(() => guardCfb(f.bytes), 'cfb-corrupt');
  });

  it('a DIFAT chain that loops', () => {
    const f = buildCfb([{ name: 'Workbook', data: workbookStream([number(0, 0)]) }], { spare: 1 });
    const s = f.spare[0]!;
    f.setU32(0x44, s);
    f.setU32(0x48, 3);
    for (let i = 0; i < 127; i++) f.setU32(f.sectorOffset(s) + 4 * i, 0xffffffff);
    f.setU32(f.sectorOffset(s) + 508, s);
    refusal(() => guardCfb(f.bytes), 'cfb-corrupt');
  });

  it('directory tree cycles and out-of-range links', () => {
    const streams = ['A', 'B', 'C'].map((name) => ({ name, data: new Uint8Array(10) }));
    const cyc = buildCfb(streams);
    cyc.setU32(cyc.entryOffset(3) + 0x48, 1); // C's right sibling is A
    expect(refusal(() => guardCfb(cyc.bytes), 'cfb-corrupt').message).toContain('循环');
    const self = buildCfb(streams);
    self.setU32(self.entryOffset(1) + 0x44, 1);
    refusal(() => guardCfb(self.bytes), 'cfb-corrupt');
    const far = buildCfb(streams);
    far.setU32(far.entryOffset(2) + 0x48, 5000);
    expect(refusal(() => guardCfb(far.bytes), 'cfb-corrupt').message).toContain('超出范围');
    const toRoot = buildCfb(streams);
    toRoot.setU32(toRoot.entryOffset(2) + 0x48, 0);
    refusal(() => guardCfb(toRoot.bytes), 'cfb-corrupt');
  });

  it('more directory entries than the cap', () => {
    const many = Array.from({ length: SHEET_LIMITS.maxCfbEntries + 10 }, (_, i) => ({ name: `s${i}`, type: 1 as const, data: new Uint8Array(0) }));
    const err = refusal(() => guardCfb(buildCfb(many).bytes), 'cfb-entries');
    expect(err.message).toContain('4,096');
  });

  it('storages nested thousands deep pass quickly (the tree is walked without recursion)', () => {
    const n = 3000;
    const f = buildCfb([{ name: 'Workbook', data: workbookStream([number(0, 0)]) }, ...Array.from({ length: n }, (_, i) => ({ name: `d${i}`, type: 1 as const, data: new Uint8Array(0) }))]);
    // entry 2 .. n+1: each storage's child is the next one, no siblings
    for (let i = 2; i <= n + 1; i++) {
      f.setU32(f.entryOffset(i) + 0x48, 0xffffffff);
      f.setU32(f.entryOffset(i) + 0x4c, i < n + 1 ? i + 1 : 0xffffffff);
    }
    expect(guardCfb(f.bytes).workbookStream).toBe('Workbook');
  });

  it('the mini stream (the BIFF5 specimen keeps its Book stream there): a looping or out-of-range mini-FAT chain', () => {
    const original = SPECIMENS[2]!.bytes;
    const view = new DataView(original.buffer, original.byteOffset, original.byteLength);
    const miniFat = (view.getUint32(0x3c, true) + 1) * 512;
    expect(view.getUint32(0x40, true)).toBeGreaterThan(0);
    const loop = original.slice();
    new DataView(loop.buffer).setUint32(miniFat + 4 * 5, 0, true); // Book's chain: 0 → … → 5 → 0
    expect(refusal(() => guardCfb(loop), 'cfb-corrupt').message).toContain('小扇区链循环');
    const far = original.slice();
    new DataView(far.buffer).setUint32(miniFat + 4 * 5, 100_000, true);
    expect(refusal(() => guardCfb(far), 'cfb-corrupt').message).toContain('小流容器之外');
  });

  it('a stream declaring more bytes than the file holds', () => {
    const f = base();
    f.setU32(f.entryOffset(1) + 0x78, 0x7fffffff);
    refusal(() => guardCfb(f.bytes), 'cfb-corrupt');
  });
});

describe('damaged real files', () => {
  it('truncated at every 128 bytes: a clean refusal (or, past the last used sector, a pass)', () => {
    for (const { bytes } of SPECIMENS) {
      let refused = 0;
      for (let n = 0; n < bytes.length; n += 128) if (guardsOrRefuses(bytes.subarray(0, n)) instanceof SheetError) refused++;
      // only cuts in the unused tail of a file can pass
      expect(refused).toBeGreaterThan(bytes.length / 128 - 12);
    }
  });

  it('byte flips: a clean refusal or a pass, quickly', () => {
    // (SheetJS itself is not run on the flipped files here: its formula-token loop can spin until memory runs out
    // on damaged formulas the guard cannot fully check; see shared/sheet/README.md, "What the guards cannot bound")
    fc.assert(
      fc.property(fc.constantFrom(...SPECIMENS), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }), ({ bytes }, flips) => {
        const b = bytes.slice();
        for (const [at, x] of flips) b[at % b.length]! ^= x;
        const r = guardsOrRefuses(b);
        if (!(r instanceof SheetError)) {
          expect(r.cells).toBeLessThanOrEqual(SHEET_LIMITS.maxCells);
          expect(r.maxRow).toBeLessThanOrEqual(SHEET_LIMITS.maxRows);
        }
      }),
      runs(1000),
    );
  });

  it('formula records too short for their fixed part or their token length (SheetJS would loop forever)', () => {
    const formula = (length: number, cce: number) => {
      const body = new Uint8Array(length);
      if (length >= 22) body.set(u16le(cce), 20);
      return record(0x0006, body);
    };
    refusal(() => guardCfb(wbFile([formula(16, 0)]).bytes), 'cfb-corrupt');
    refusal(() => guardCfb(wbFile([formula(25, 40)]).bytes), 'cfb-corrupt');
    refusal(() => guardCfb(wbFile([record(0x0221, new Uint8Array(11))]).bytes), 'cfb-corrupt');
    expect(guardCfb(wbFile([formula(25, 3)]).bytes).cells).toBe(1);
  });

  it('byte flips in the header and the directory, where structure lives', () => {
    const lo = SPECIMENS[0]!.bytes;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 511 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const b = lo.slice();
        b[at]! ^= x;
        guardsOrRefuses(b);
      }),
      runs(500),
    );
  });

  it('a file beyond 109 FAT sectors (DIFAT chain, 11 MB): counted whole under raised caps, its DIFAT loop refused', () => {
    const cells = Array.from({ length: 600_000 }, (_, i) => number(Math.floor(i / 10), i % 10, i));
    const f = wbFile(cells);
    expect(f.difat.length).toBeGreaterThan(0);
    expect(guardCfb(f.bytes, { ...SHEET_LIMITS, maxCells: 1_000_000, maxRows: 100_000 }).cells).toBe(600_000);
    expect(refusal(() => guardCfb(f.bytes), 'too-many-cells').message).toContain('250,001');
    const d = f.difat[f.difat.length - 1]!;
    f.setU32(f.sectorOffset(d) + 508, d);
    f.setU32(0x48, 5);
    refusal(() => guardCfb(f.bytes), 'cfb-corrupt');
  });

  it('a large legitimate workbook (200,000 NUMBER records) is walked in linear time', () => {
    const cells = Array.from({ length: 200_000 }, (_, i) => number(Math.floor(i / 10), i % 10, i));
    const info = guardCfb(wbFile(cells).bytes);
    expect(info.cells).toBe(200_000);
    expect(info.maxRow).toBe(20_000);
  });
});
