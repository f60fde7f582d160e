// A hand-made zip writer for hostile archives, with every header field open to lies (declared sizes, local
// headers that disagree, entry counts, overlapping data, ZIP64 markers). Pure (runs in Node and in workerd):
// parts are deflated with the `deflate` function given, else stored; bombs use a precomputed deflate block.

export interface Part {
  name: string;
  /** Uncompressed content (deflated here unless `store`). */
  data?: Uint8Array | string;
  /** Already-deflated content (raw deflate), with its true size when known. */
  deflated?: Uint8Array;
  store?: boolean;
  /** Declared uncompressed size (central directory; the local header too unless `localSize` is given). */
  size?: number;
  localSize?: number;
  localName?: string;
  flags?: number;
  method?: number;
}

export interface ZipOptions {
  /** Entry count written in the end record (default: the real count). */
  declaredEntries?: number;
  /** Write 0xFFFF/0xFFFFFFFF in the end record (a ZIP64 marker). */
  zip64End?: boolean;
  /** Point every central record at the first part's local header (overlapping entries). */
  overlap?: boolean;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

class Out {
  private chunks: Uint8Array[] = [];
  length = 0;
  u16(v: number) {
    this.bytes(new Uint8Array([v & 0xff, (v >>> 8) & 0xff]));
  }
  u32(v: number) {
    this.bytes(new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]));
  }
  bytes(b: Uint8Array) {
    this.chunks.push(b);
    this.length += b.length;
  }
  done(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

const enc = new TextEncoder();

export type Deflate = (raw: Uint8Array) => Uint8Array;

export function buildZip(parts: Part[], opts: ZipOptions = {}, deflate?: Deflate): Uint8Array {
  const out = new Out();
  const central: { part: Part; offset: number; crc: number; csize: number; usize: number; method: number }[] = [];
  for (const part of parts) {
    const raw = typeof part.data === 'string' ? enc.encode(part.data) : part.data;
    const store = part.store ?? (part.deflated === undefined && !deflate);
    const method = part.method ?? (store ? 0 : 8);
    const body = part.deflated ?? (store ? (raw ?? new Uint8Array(0)) : deflate!(raw ?? new Uint8Array(0)));
    const usize = part.size ?? raw?.length ?? 0;
    const crc = raw ? crc32(raw) : 0;
    const name = enc.encode(part.localName ?? part.name);
    const offset = out.length;
    out.u32(0x04034b50);
    out.u16(20);
    out.u16(part.flags ?? 0x0800);
    out.u16(method);
    out.u16(0);
    out.u16(0x21);
    out.u32(crc);
    out.u32(body.length);
    out.u32(part.localSize ?? usize);
    out.u16(name.length);
    out.u16(0);
    out.bytes(name);
    out.bytes(body);
    central.push({ part, offset, crc, csize: body.length, usize, method });
  }
  const cdStart = out.length;
  for (const c of central) {
    const name = enc.encode(c.part.name);
    out.u32(0x02014b50);
    out.u16(20);
    out.u16(20);
    out.u16(c.part.flags ?? 0x0800);
    out.u16(c.method);
    out.u16(0);
    out.u16(0x21);
    out.u32(c.crc);
    out.u32(c.csize);
    out.u32(c.usize);
    out.u16(name.length);
    out.u16(0);
    out.u16(0);
    out.u16(0);
    out.u16(0);
    out.u32(0);
    out.u32(opts.overlap ? central[0]!.offset : c.offset);
    out.bytes(name);
  }
  const cdSize = out.length - cdStart;
  const n = opts.declaredEntries ?? central.length;
  out.u32(0x06054b50);
  out.u16(0);
  out.u16(0);
  out.u16(opts.zip64End ? 0xffff : n);
  out.u16(opts.zip64End ? 0xffff : n);
  out.u32(cdSize);
  out.u32(cdStart);
  out.u16(0);
  return out.done();
}

/** Raw deflate of 1 MiB of zeros ending in a sync flush (zlib level 9): a non-final, byte-aligned block
 * sequence that can be repeated. Made with deflateRawSync(new Uint8Array(1 << 20), { finishFlush: Z_SYNC_FLUSH }). */
const ZEROS_MIB = '7MExAQAAAMKg9U9tCF+gAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+AwAA//8=';

/**
 * Raw deflate data that inflates to `mib` MiB of zeros: the block above repeated, then an empty final block.
 * A GiB costs about 1 MB to hold.
 */
export function zerosDeflated(mib: number): Uint8Array {
  const one = Uint8Array.from(atob(ZEROS_MIB), (c) => c.charCodeAt(0));
  const out = new Uint8Array(one.length * mib + 2);
  for (let i = 0; i < mib; i++) out.set(one, i * one.length);
  out.set([0x03, 0x00], one.length * mib); // an empty final block (fixed Huffman)
  return out;
}
