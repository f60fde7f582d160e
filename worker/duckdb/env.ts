/**
 * Environment tweaks duckdb-wasm needs inside workerd. Run both the *import* of the blocking bundle
 * and `instantiate()` inside `withDuckDBEnvironment`:
 *  - workerd defines `process.versions.node` (nodejs_compat is on by default from compatibility date
 *    2026-08-04, so even without the flag). Two pieces of code in
 *    the bundle then take Node paths: js-sha256 (bundled; decides at module evaluation and then
 *    crashes on the stubbed-out `buffer` module: "Cannot read properties of undefined (reading
 *    'from')"), and the Emscripten glue (decides when its factory runs: `require("fs")`,
 *    `process.argv`, ...). Both honour Electron's escape hatch `process.type === "renderer"`.
 *  - workerd defines `WorkerGlobalScope`, so ENVIRONMENT_IS_WORKER is true and the glue reads
 *    `self.location.href` (undefined in workerd) to compute a script directory it never uses
 *    (we hand the wasm over through `instantiateWasm`).
 *  - `setImmediate` exists in workerd at compatibility date 2026-08-15, so no polyfill is needed;
 *    `ensureSetImmediate` only covers dates/flags where it is missing (the glue would otherwise fall
 *    back to a postMessage-based scheduler).
 * `process.type` and `location` are set for the duration of `fn` and restored afterwards.
 */
export async function withDuckDBEnvironment<T>(fn: () => Promise<T>): Promise<T> {
  const proc = (globalThis as { process?: { type?: unknown } }).process;
  const hadType = proc !== undefined && Object.prototype.hasOwnProperty.call(proc, 'type');
  const oldType = proc?.type;
  const hadLocation = 'location' in globalThis;
  if (proc !== undefined) proc.type = 'renderer';
  if (!hadLocation) {
    Object.defineProperty(globalThis, 'location', {
      value: { href: 'https://duckdb.invalid/' },
      configurable: true,
      writable: true,
    });
  }
  ensureSetImmediate();
  try {
    return await fn();
  } finally {
    if (proc !== undefined) {
      if (hadType) proc.type = oldType;
      else delete proc.type;
    }
    if (!hadLocation) delete (globalThis as { location?: unknown }).location;
  }
}

function ensureSetImmediate(): void {
  const g = globalThis as { setImmediate?: unknown; clearImmediate?: unknown };
  if (typeof g.setImmediate === 'function') return;
  g.setImmediate = (fn: () => void) => setTimeout(fn, 0);
  g.clearImmediate = (id: ReturnType<typeof setTimeout>) => clearTimeout(id);
}
