#!/usr/bin/env node
// Capture the tiny helper wasm modules that duckdb-wasm compiles from bytes at run time, so that
// the Worker can serve them pre-compiled (workerd forbids `new WebAssembly.Module(bytes)`).
//
// Runs under plain Node (20 or 22). It initialises the *same* blocking browser bundle and eh wasm
// the Worker uses, with the same environment tweaks (process.type = "renderer"), while a Proxy
// around WebAssembly.Module records every module compiled from bytes. Then it exercises the code
// paths the Worker uses (open, SET, read_csv on a registered file, CSV/JSON/Arrow inserts, window
// query, prepared statement, an SQL error) so that helpers created lazily would be caught too.
//
// Usage:
//   node scripts/capture-duckdb-helpers.mjs           check: capture and compare with the committed
//                                                     manifest + generated files; exit 1 on any
//                                                     difference (use in CI / pretest / prebuild)
//   node scripts/capture-duckdb-helpers.mjs --write   (re)write helpers/*.wasm, manifest.json and
//                                                     helpers.generated.ts (after a duckdb-wasm upgrade)
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(ROOT, 'worker/duckdb/helpers');
const GENERATED_TS = path.join(ROOT, 'worker/duckdb/helpers.generated.ts');
const MANIFEST = path.join(OUT_DIR, 'manifest.json');
const WRITE = process.argv.includes('--write');

const require = createRequire(import.meta.url);
// package.json is not in the package's exports map; resolve an exported file instead.
const pkgDir = path.resolve(path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm')), '..');
const pkgVersion = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
const BUNDLE = path.join(pkgDir, 'dist/duckdb-browser-blocking.mjs');
const WASM = path.join(pkgDir, 'dist/duckdb-eh.wasm');

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const fail = (msg) => {
  console.error(`\ncapture-duckdb-helpers: ${msg}\n`);
  process.exit(1);
};

// 1. Compile the main module *before* installing the recorder, like wrangler does at build time.
const mainModule = new WebAssembly.Module(fs.readFileSync(WASM));

// 2. Record every WebAssembly.Module compiled from bytes from now on. Async compile paths are
//    recorded as errors: the Worker cannot serve those either.
const OrigModule = WebAssembly.Module;
let phase = 'import';
const captured = new Map(); // sha256 -> { bytes, count, phases:Set }
const forbidden = [];
WebAssembly.Module = new Proxy(OrigModule, {
  construct(target, args, newTarget) {
    const src = args[0];
    const bytes = ArrayBuffer.isView(src)
      ? new Uint8Array(src.buffer, src.byteOffset, src.byteLength).slice()
      : new Uint8Array(src).slice();
    const key = sha256(bytes);
    const entry = captured.get(key) ?? { bytes, count: 0, phases: new Set() };
    entry.count += 1;
    entry.phases.add(phase);
    captured.set(key, entry);
    return Reflect.construct(target, args, newTarget);
  },
});
for (const name of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
  const orig = WebAssembly[name];
  WebAssembly[name] = function (...args) {
    // wasm-feature-detect's bigInt() probe is not used by duckdb; anything else is a new code path.
    if (!(args[0] instanceof OrigModule)) forbidden.push(`${name} from bytes during ${phase}`);
    return orig.apply(this, args);
  };
}

// 3. Same environment tweak as the Worker (worker/duckdb/env.ts): do not take Emscripten's Node path.
const savedType = process.type;
process.type = 'renderer';

phase = 'import';
const duckdb = await import(pathToFileURL(BUNDLE).href);
phase = 'init';
const db = await duckdb.createDuckDB(
  { mvp: { mainModule: 'duckdb-eh.wasm', mainWorker: '' }, eh: { mainModule: 'duckdb-eh.wasm', mainWorker: '' } },
  new duckdb.VoidLogger(),
  duckdb.BROWSER_RUNTIME,
);
db.instantiateWasm = (imports, success) => {
  globalThis.DUCKDB_RUNTIME = duckdb.BROWSER_RUNTIME;
  const instance = new WebAssembly.Instance(mainModule, imports);
  success(instance, mainModule);
  return instance.exports;
};
await db.instantiate();
if ((db.getFeatureFlags() & duckdb.DuckDBFeature.WASM_EXCEPTIONS) === 0) fail('expected the eh build to be selected');
process.type = savedType;
db.open({ maximumThreads: 1, query: { castBigIntToDouble: true } });
const initCount = captured.size;

// 4. Exercise the code paths the Worker uses.
phase = 'workload';
const conn = db.connect();
conn.query("SET memory_limit = '96MB'");
const csv = 'township,village,score\nA,a1,3\nA,a2,5\nB,b1,1\n"B,x",b2,1\n';
db.registerFileText('rows.csv', csv);
conn.query(
  "CREATE TABLE t AS SELECT * FROM read_csv('rows.csv', header = true, buffer_size = 1048576, " +
    "columns = {'township': 'VARCHAR', 'village': 'VARCHAR', 'score': 'DOUBLE'})",
);
const res = conn.query(
  'SELECT township, village, score, RANK() OVER (PARTITION BY township ORDER BY score DESC) AS r FROM t',
);
res.toArray().map((row) => row.toJSON());
res.getChild('r').toArray();
db.registerFileBuffer('rows2.csv', new TextEncoder().encode(csv));
conn.insertCSVFromPath('rows2.csv', { name: 't_csv', header: true, detect: true });
db.registerFileText('rows.json', JSON.stringify([{ township: 'A', village: 'a1', score: 3 }]));
conn.insertJSONFromPath('rows.json', { name: 't_json' });
const arrow = await import(pathToFileURL(require.resolve('apache-arrow')).href);
const ipc = arrow.tableToIPC(
  arrow.tableFromArrays({ township: ['A', 'B'], village: ['a1', 'b1'], score: Float64Array.from([1, 2]) }),
  'stream',
);
conn.insertArrowFromIPCStream(ipc, { name: 't_arrow', create: true });
conn.query('SELECT count(*) AS n, sum(score) AS s, string_agg(village, \',\') AS v FROM t_arrow').toArray();
const stmt = conn.prepare('SELECT ?::INTEGER + 1 AS x, ?::VARCHAR AS y');
stmt.query(41, 'z').toArray();
stmt.close();
try {
  conn.query('SELECT * FROM no_such_table');
  fail('SQL error path did not throw');
} catch {
  /* expected: exercises the exception path of the eh build */
}
conn.query('SELECT 1').toArray();
for (const name of ['rows.csv', 'rows2.csv', 'rows.json']) db.dropFile(name);
conn.close();
phase = 'done';

if (forbidden.length > 0) fail(`duckdb-wasm used async wasm compilation from bytes:\n  ${forbidden.join('\n  ')}`);
if (captured.size === 0) fail('no helper module was captured: did duckdb-wasm change how it builds them?');

// 5. Deterministic result: sorted by sha256.
const helpers = [...captured.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([hash, e]) => ({
    sha256: hash,
    file: `${hash.slice(0, 16)}.wasm`,
    size: e.bytes.byteLength,
    compiledAt: [...e.phases].sort().join('+'),
    timesCompiled: e.count,
    bytes: e.bytes,
  }));
const manifest = {
  comment: 'Generated by scripts/capture-duckdb-helpers.mjs. Do not edit. Recapture with --write after upgrading @duckdb/duckdb-wasm.',
  duckdbWasmVersion: pkgVersion,
  bundle: 'dist/duckdb-browser-blocking.mjs',
  bundleSha256: sha256(fs.readFileSync(BUNDLE)),
  wasm: 'dist/duckdb-eh.wasm',
  helperCount: helpers.length,
  helpersAtInit: initCount,
  helpers: helpers.map(({ bytes: _bytes, ...h }) => h),
};

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const ts = [
  '// GENERATED by scripts/capture-duckdb-helpers.mjs — do not edit.',
  `// Helper wasm modules that @duckdb/duckdb-wasm ${pkgVersion} compiles from bytes at run time`,
  '// (Emscripten convertJsFunctionToWasm). wrangler imports each .wasm as a pre-compiled',
  '// WebAssembly.Module; the key is the exact module bytes in hex (each is < 100 bytes).',
  ...helpers.map((h, i) => `import h${i} from './helpers/${h.file}';`),
  '',
  `export const DUCKDB_WASM_VERSION = '${pkgVersion}';`,
  '',
  'export const HELPER_MODULES: ReadonlyMap<string, WebAssembly.Module> = new Map([',
  ...helpers.map((h, i) => `  ['${hex(h.bytes)}', h${i}],`),
  ']);',
  '',
].join('\n');

// 6. Check or write.
const expectedFiles = new Map([
  [MANIFEST, JSON.stringify(manifest, null, 2) + '\n'],
  [GENERATED_TS, ts],
  ...helpers.map((h) => [path.join(OUT_DIR, h.file), h.bytes]),
]);
const summary = `${helpers.length} distinct helper modules (${helpers.reduce((n, h) => n + h.timesCompiled, 0)} compilations, ${initCount} distinct at init) for duckdb-wasm ${pkgVersion}`;

if (WRITE) {
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const [file, content] of expectedFiles) fs.writeFileSync(file, content);
  console.log(`capture-duckdb-helpers: wrote ${summary}`);
  process.exit(0);
}

const problems = [];
if (!fs.existsSync(MANIFEST)) {
  fail(`no ${path.relative(ROOT, MANIFEST)}; run: node scripts/capture-duckdb-helpers.mjs --write`);
}
const old = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
if (old.duckdbWasmVersion !== pkgVersion) {
  problems.push(`duckdb-wasm version changed: manifest ${old.duckdbWasmVersion}, installed ${pkgVersion}`);
}
const oldSet = new Set(old.helpers.map((h) => h.sha256));
const newSet = new Set(helpers.map((h) => h.sha256));
for (const h of newSet) if (!oldSet.has(h)) problems.push(`new helper module ${h} (not pre-compiled: the Worker would fail)`);
for (const h of oldSet) if (!newSet.has(h)) problems.push(`helper module ${h} no longer produced`);
for (const [file, content] of expectedFiles) {
  const rel = path.relative(ROOT, file);
  if (!fs.existsSync(file)) problems.push(`missing ${rel}`);
  else if (!Buffer.from(content).equals(fs.readFileSync(file))) problems.push(`out of date: ${rel}`);
}
const extra = fs.readdirSync(OUT_DIR).filter((f) => f.endsWith('.wasm') && !helpers.some((h) => h.file === f));
for (const f of extra) problems.push(`stale file worker/duckdb/helpers/${f}`);

if (problems.length > 0) {
  fail(
    `the captured helper set differs from the committed one:\n  - ${problems.join('\n  - ')}\n` +
      'If @duckdb/duckdb-wasm was upgraded on purpose, review and run:\n' +
      '  node scripts/capture-duckdb-helpers.mjs --write\nthen re-run the Worker tests.',
  );
}
console.log(`capture-duckdb-helpers: OK, ${summary}`);
