import { DUCKDB_WASM_VERSION, HELPER_MODULES } from './helpers.generated';

/**
 * duckdb-wasm's Emscripten glue builds ~260 tiny wasm modules (28 distinct byte sequences) with
 * `new WebAssembly.Module(bytes)` while it initialises (convertJsFunctionToWasm). workerd forbids
 * compiling wasm from bytes, so scripts/capture-duckdb-helpers.mjs records those byte sequences
 * under Node at build time and wrangler ships them as pre-compiled modules (helpers.generated.ts).
 *
 * This replaces `WebAssembly.Module` with a Proxy of itself whose `construct` trap looks the bytes
 * up (key: the exact bytes, hex) and returns the pre-compiled module. Anything else goes to the
 * real constructor; if that fails, the error says which bytes were missing. `instanceof
 * WebAssembly.Module` and every static keep working because the Proxy forwards them to the target.
 */
const INSTALLED = Symbol.for('kaoping.duckdb.precompiledHelpers');

export function installPrecompiledHelpers(): void {
  const wasm = WebAssembly as unknown as Record<PropertyKey, unknown>;
  if (wasm[INSTALLED] === true) return;
  const Original = WebAssembly.Module;
  const proxy = new Proxy(Original, {
    construct(target, args: unknown[], newTarget: NewableFunction) {
      const bytes = toBytes(args[0]);
      if (bytes !== null) {
        const hit = HELPER_MODULES.get(toHex(bytes));
        if (hit !== undefined) return hit;
      }
      try {
        return Reflect.construct(target, args, newTarget) as object;
      } catch (cause) {
        const what = bytes === null ? 'a non-buffer argument' : `${bytes.byteLength} bytes ${toHex(bytes.subarray(0, 64))}`;
        throw new Error(
          `WebAssembly.Module(${what}) is not pre-compiled for duckdb-wasm ${DUCKDB_WASM_VERSION}; ` +
            'workerd cannot compile wasm at run time. Re-run `node scripts/capture-duckdb-helpers.mjs --write`.',
          { cause },
        );
      }
    },
  });
  Reflect.set(WebAssembly, 'Module', proxy);
  wasm[INSTALLED] = true;
}

function toBytes(source: unknown): Uint8Array | null {
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  return null;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b];
  return s;
}
