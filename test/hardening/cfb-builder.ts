// A hand-made OLE2 compound-file writer (version 3, 512-byte sectors) and BIFF record helpers, for hostile
// .xls files: every stream is stored in the FAT (padded to 4,096 bytes, the mini-stream cutoff), the directory
// is a chain of right siblings under the root, and the layout is returned so that tests can lie about any
// field afterwards (FAT links, directory links, sizes, header counts). Pure: runs in Node and workerd.

export const ENDOFCHAIN = 0xfffffffe;
export const FREESECT = 0xffffffff;
const FATSECT = 0xfffffffd;
export const NOSTREAM = 0xffffffff;
const SSZ = 512;

export interface CfbStream {
  name: string;
  data: Uint8Array;
  /** 1 storage, 2 stream (default). */
  type?: 1 | 2;
}

export interface CfbFile {
  bytes: Uint8Array;
  /** Offset of sector n in the file. */
  sectorOffset(n: number): number;
  /** Offset of directory entry i (0 is the root). */
  entryOffset(i: number): number;
  /** First sector of stream i (the i-th stream given, directory entry i + 1). */
  starts: number[];
  /** Sectors of the free spare area (`spare` option), usable for DIFAT lies. */
  spare: number[];
  /** DIFAT sectors (files with more than 109 FAT sectors, about 7 MB). */
  difat: number[];
  setFat(n: number, value: number): void;
  getFat(n: number): number;
  setU32(at: number, value: number): void;
  setU16(at: number, value: number): void;
}

function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
}

function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

function get32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

export function buildCfb(streams: CfbStream[], opts: { spare?: number } = {}): CfbFile {
  const padded = streams.map((s) => {
    if (s.type === 1) return new Uint8Array(0);
    const size = Math.max(4096, s.data.length);
    const d = new Uint8Array(Math.ceil(size / SSZ) * SSZ);
    d.set(s.data);
    return d;
  });
  const sizes = streams.map((s) => (s.type === 1 ? 0 : Math.max(4096, s.data.length)));
  const dataSectors = padded.reduce((n, d) => n + d.length / SSZ, 0);
  const entries = streams.length + 1;
  const dirSectors = Math.ceil(entries / 4);
  const spareCount = opts.spare ?? 0;
  let fatSectors = 1;
  let difatSectors = 0;
  for (;;) {
    difatSectors = Math.ceil(Math.max(0, fatSectors - 109) / 127);
    if (fatSectors * 128 >= dataSectors + dirSectors + spareCount + fatSectors + difatSectors) break;
    fatSectors++;
  }
  const total = dataSectors + dirSectors + spareCount + fatSectors + difatSectors;
  const b = new Uint8Array((total + 1) * SSZ);
  const sectorOffset = (n: number) => (n + 1) * SSZ;

  // header
  b.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  put16(b, 0x18, 0x3e);
  put16(b, 0x1a, 3);
  put16(b, 0x1c, 0xfffe);
  put16(b, 0x1e, 9);
  put16(b, 0x20, 6);
  put32(b, 0x2c, fatSectors);
  const firstDir = dataSectors;
  put32(b, 0x30, firstDir);
  put32(b, 0x38, 4096);
  put32(b, 0x3c, ENDOFCHAIN);
  put32(b, 0x40, 0);
  const firstFat = dataSectors + dirSectors + spareCount;
  const firstDifat = firstFat + fatSectors;
  put32(b, 0x44, difatSectors > 0 ? firstDifat : ENDOFCHAIN);
  put32(b, 0x48, difatSectors);
  for (let i = 0; i < 109; i++) put32(b, 0x4c + 4 * i, i < fatSectors ? firstFat + i : FREESECT);
  // DIFAT sectors: 127 more FAT sector numbers each, then the next DIFAT sector
  for (let d = 0; d < difatSectors; d++) {
    const at = sectorOffset(firstDifat + d);
    for (let k = 0; k < 127; k++) {
      const f = 109 + d * 127 + k;
      put32(b, at + 4 * k, f < fatSectors ? firstFat + f : FREESECT);
    }
    put32(b, at + 508, d + 1 < difatSectors ? firstDifat + d + 1 : ENDOFCHAIN);
  }

  const fatAt = (n: number) => sectorOffset(firstFat + Math.floor(n / 128)) + 4 * (n % 128);
  for (let n = 0; n < fatSectors * 128; n++) put32(b, fatAt(n), FREESECT);
  // stream data and chains
  const starts: number[] = [];
  let s = 0;
  padded.forEach((d) => {
    const count = d.length / SSZ;
    starts.push(count > 0 ? s : ENDOFCHAIN);
    b.set(d, sectorOffset(s));
    for (let k = 0; k < count; k++) put32(b, fatAt(s + k), k === count - 1 ? ENDOFCHAIN : s + k + 1);
    s += count;
  });
  for (let k = 0; k < dirSectors; k++) put32(b, fatAt(firstDir + k), k === dirSectors - 1 ? ENDOFCHAIN : firstDir + k + 1);
  for (let k = 0; k < fatSectors; k++) put32(b, fatAt(firstFat + k), FATSECT);
  for (let d = 0; d < difatSectors; d++) put32(b, fatAt(firstDifat + d), 0xfffffffc);
  const spare = Array.from({ length: spareCount }, (_, i) => firstDir + dirSectors + i);

  // directory
  const entryOffset = (i: number) => sectorOffset(firstDir + Math.floor(i / 4)) + 128 * (i % 4);
  const writeEntry = (i: number, name: string, type: number, start: number, size: number, right: number, child: number) => {
    const at = entryOffset(i);
    for (let k = 0; k < name.length && k < 31; k++) put16(b, at + 2 * k, name.charCodeAt(k));
    put16(b, at + 0x40, (Math.min(name.length, 31) + 1) * 2);
    b[at + 0x42] = type;
    b[at + 0x43] = 1;
    put32(b, at + 0x44, NOSTREAM);
    put32(b, at + 0x48, right);
    put32(b, at + 0x4c, child);
    put32(b, at + 0x74, start);
    put32(b, at + 0x78, size);
  };
  writeEntry(0, 'Root Entry', 5, ENDOFCHAIN, 0, NOSTREAM, streams.length > 0 ? 1 : NOSTREAM);
  streams.forEach((st, i) => writeEntry(i + 1, st.name, st.type ?? 2, starts[i]!, sizes[i]!, i + 2 < entries ? i + 2 : NOSTREAM, NOSTREAM));
  for (let i = entries; i < dirSectors * 4; i++) {
    const at = entryOffset(i);
    put32(b, at + 0x44, NOSTREAM);
    put32(b, at + 0x48, NOSTREAM);
    put32(b, at + 0x4c, NOSTREAM);
  }

  return {
    bytes: b,
    sectorOffset,
    entryOffset,
    starts,
    spare,
    difat: Array.from({ length: difatSectors }, (_, d) => firstDifat + d),
    setFat: (n, v) => put32(b, fatAt(n), v),
    getFat: (n) => get32(b, fatAt(n)),
    setU32: (at, v) => put32(b, at, v),
    setU16: (at, v) => put16(b, at, v),
  };
}

/** One BIFF record: 2-byte type, 2-byte length, body. */
export function record(type: number, body: number[] | Uint8Array = []): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  put16(out, 0, type);
  put16(out, 2, body.length);
  out.set(body, 4);
  return out;
}

export const u16le = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff];

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** BOF of BIFF8 (version 0x0600) for globals (0x0005) or a worksheet (0x0010). */
export const bof = (dt: 0x0005 | 0x0010, version = 0x0600): Uint8Array => record(0x0809, [...u16le(version), ...u16le(dt), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
export const eof = (): Uint8Array => record(0x000a);
/** NUMBER record at (row, col), zero-based. */
export const number = (row: number, col: number, v = 1): Uint8Array => {
  const body = new Uint8Array(14);
  put16(body, 0, row);
  put16(body, 2, col);
  new DataView(body.buffer).setFloat64(6, v, true);
  return record(0x0203, body);
};

/** A workbook stream: globals, then one worksheet holding `sheet` records. */
export const workbookStream = (sheet: Uint8Array[], globals: Uint8Array[] = []): Uint8Array => concat([bof(0x0005), ...globals, eof(), bof(0x0010), ...sheet, eof()]);
