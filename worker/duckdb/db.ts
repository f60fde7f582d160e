import type { DuckDBBindingsBase, DuckDBConnection } from 'duckdb-wasm-blocking';
import duckdbEh from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm';
import { withDuckDBEnvironment } from './env';
import { installPrecompiledHelpers } from './precompiled';

/** DuckDB's own buffer-manager limit. Cloudflare's isolate limit is 128 MB for JS heap + wasm memory. */
export const MEMORY_LIMIT = '64MiB';

export interface DuckDB {
  readonly bindings: DuckDBBindingsBase;
  readonly conn: DuckDBConnection;
  readonly version: string;
  /** Milliseconds spent in the first (cold) initialisation of this isolate. */
  readonly initMs: number;
  /** Size of the wasm linear memory (Emscripten HEAPU8.buffer) in bytes; it only ever grows. */
  wasmMemoryBytes(): number;
}

type InstantiateWasm = (
  imports: WebAssembly.Imports,
  success: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
) => WebAssembly.Exports;

let cached: Promise<DuckDB> | undefined;

/** One DuckDB per isolate, created on first use. A failed start is not cached. */
export function getDuckDB(): Promise<DuckDB> {
  cached ??= start().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function start(): Promise<DuckDB> {
  const t0 = performance.now();
  installPrecompiledHelpers();
  const bindings = await withDuckDBEnvironment(async () => {
    // Dynamic import: the 1.2 MB bundle is evaluated on first use only (esbuild inlines it lazily),
    // and inside withDuckDBEnvironment, because js-sha256 in it sniffs `process` at evaluation.
    const { BROWSER_RUNTIME, createDuckDB, DuckDBBindingsBase, DuckDBFeature, VoidLogger } = await import('duckdb-wasm-blocking');
    // Only the eh build is shipped; mainModule is a label (we hand the module over ourselves).
    const bundles = { mvp: { mainModule: 'duckdb-eh.wasm', mainWorker: '' }, eh: { mainModule: 'duckdb-eh.wasm', mainWorker: '' } };
    const db = await createDuckDB(bundles, new VoidLogger(), BROWSER_RUNTIME);
    if (!(db instanceof DuckDBBindingsBase)) throw new Error('unexpected duckdb-wasm bindings');
    // The bindings pass their own (fetch-based) `instantiateWasm` to Emscripten; shadow it on the
    // instance with one that instantiates the module wrangler already compiled.
    const instantiateWasm: InstantiateWasm = (imports, success) => {
      (globalThis as { DUCKDB_RUNTIME?: unknown }).DUCKDB_RUNTIME = BROWSER_RUNTIME;
      const instance = new WebAssembly.Instance(duckdbEh, imports);
      success(instance, duckdbEh);
      return instance.exports;
    };
    Object.defineProperty(db, 'instantiateWasm', { value: instantiateWasm });
    await db.instantiate(() => {});
    if ((db.getFeatureFlags() & DuckDBFeature.WASM_EXCEPTIONS) === 0) {
      throw new Error('duckdb-wasm picked the mvp build; only the eh build is shipped');
    }
    return db;
  });
  bindings.open({ maximumThreads: 1, query: { castBigIntToDouble: true } });
  const conn = bindings.connect();
  conn.query(`SET memory_limit = '${MEMORY_LIMIT}'`);
  const version = bindings.getVersion();
  const initMs = performance.now() - t0;
  return {
    bindings,
    conn,
    version,
    initMs,
    // DuckDBModule extends EmscriptenModule from @types/emscripten, which duckdb-wasm does not ship.
    wasmMemoryBytes: () => (bindings.mod as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer.byteLength,
  };
}
