// `npm run bench`: every benchmark case, a table per case on the terminal, bench/results.json and bench/RESULTS.md.
//   --only=scoring,reading,aggregation,memory,addin,e2e   run some cases (default: all)
//   --quick                                       fewer runs and a shorter load (a smoke run; not for the record)
// Benchmarks measure and report; they never fail on a slow number (the exit code is non-zero only when a case
// could not run). What each case measures: bench/README.md.
import { writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchAddin } from './cases/addin.ts';
import { benchDuckdb, MEMORY_SIZES } from './cases/aggregation.ts';
import { benchE2e } from './cases/e2e.ts';
import { SIZE_NAMES } from './lib/data.ts';
import { fmt, textTable } from './lib/stats.ts';
import { benchScoring } from './cases/scoring.ts';
import { benchReading } from './cases/reading.ts';
import { addinTable, aggregationTables, e2eTable, memoryTable, resultsMarkdown, targets, targetTable, type Results } from './report.ts';

const CASES = ['scoring', 'reading', 'aggregation', 'memory', 'addin', 'e2e'] as const;
type CaseName = (typeof CASES)[number];

const args = process.argv.slice(2);
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = new Set<CaseName>(onlyArg ? (onlyArg.slice('--only='.length).split(',') as CaseName[]) : CASES);
for (const c of only) if (!CASES.includes(c)) throw new Error(`unknown case ${c} (cases: ${CASES.join(', ')})`);
const quick = args.includes('--quick');
const RUNS = quick ? 3 : 7;

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const log = (s: string) => console.log(s);
const section = (title: string, table: string[][]) => console.log(`\n${title}\n${textTable(table)}`);

async function main(): Promise<void> {
  const t0 = performance.now();
  const cpu = cpus();
  const results: Omit<Results, 'targets'> = {
    command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    date: new Date().toISOString(),
    machine: { cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length, node: process.version, platform: `${platform()} ${release()}`, memoryGiB: totalmem() / 2 ** 30 },
    durationMs: 0,
    scoreRowsPerSecond: null,
    duckdbWasmVsNative: null,
    duckdbColdInitMs: null,
    countyIngestPeakMB: null,
    addinSyncs: null,
    readRowsPerSecond: null,
    cases: { scoring: { skipped: 'not selected' }, reading: { skipped: 'not selected' }, aggregation: { skipped: 'not selected' }, memory: { skipped: 'not selected' }, addin: { skipped: 'not selected' }, e2e: { skipped: 'not selected' } },
  };
  const md: { title: string; text?: string; table?: string[][] }[] = [];
  let failed = false;
  const attempt = async (name: CaseName, fn: () => Promise<void>) => {
    const t = performance.now();
    log(`\n▶ ${name}`);
    try {
      await fn();
      log(`  (${fmt((performance.now() - t) / 1000, ' s')})`);
    } catch (e) {
      failed = true;
      const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
      console.error(`  ${name} failed: ${msg}`);
      results.cases[name] = { skipped: `failed: ${msg.split('\n')[0]}` };
    }
  };

  if (only.has('scoring')) {
    await attempt('scoring', async () => {
      const s = await benchScoring();
      results.cases.scoring = s;
      results.scoreRowsPerSecond = s.rowsPerSecond['45000'];
      section('Scoring (village rows per second)', s.table);
      md.push({ title: '1. Scoring', table: s.table });
    });
  }

  if (only.has('reading')) {
    await attempt('reading', async () => {
      const r = await benchReading({ runs: quick ? 2 : 5 });
      results.cases.reading = r;
      results.readRowsPerSecond = Object.fromEntries([['ExcelJS reference (xlsx)', Math.round(r.excelJs.rowsPerSecond)], ...r.formats.map((f) => [f.format, Math.round(f.rowsPerSecond)])]);
      section(`Reading a file to grids (${r.villages.toLocaleString('en-US')} villages, ${r.cells.toLocaleString('en-US')} cells)`, r.table);
      md.push({
        title: '6. Reading files',
        text:
          `readWorkbook (shared/sheet/read.ts: sniffing, the format's guard, SheetJS or the CSV parser, the grid) on one township-style sheet of ${r.villages.toLocaleString('en-US')} villages (${r.cells.toLocaleString('en-US')} non-empty cells; demoValues, messy) written as .xlsx by ExcelJS and from it by SheetJS as .xls, .xlsb, .ods and SpreadsheetML 2003, as an HTML table in GBK and as CSV. ` +
          'The reference, measured in the same run: ExcelJS loading the same .xlsx and visiting every cell (what the reader did before SheetJS read every format). Medians after a warm-up. Key `readRowsPerSecond` holds every row of the table.',
        table: r.table,
      });
    });
  }

  if (only.has('aggregation') || only.has('memory')) {
    await attempt(only.has('aggregation') ? 'aggregation' : 'memory', async () => {
      const r = await benchDuckdb({
        sizes: SIZE_NAMES,
        runs: RUNS,
        coldStarts: quick ? 1 : 3,
        memory: only.has('memory'),
        aggregation: only.has('aggregation'),
        memorySizes: MEMORY_SIZES,
        log,
      });
      if (r.aggregation) {
        const a = r.aggregation;
        results.cases.aggregation = a;
        results.duckdbWasmVsNative = a.duckdbWasmVsNative;
        results.duckdbColdInitMs = a.duckdbColdInitMs;
        const t = aggregationTables(a);
        section('Aggregation: cold start', t.cold);
        section('Aggregation (medians; load and CSV: village tables / township tables)', t.engines);
        section('Aggregation ratios', t.ratios);
        md.push(
          {
            title: '2. Aggregation',
            text:
              `The queries of worker/aggregate/sql.ts on the same generated data (bench/lib/data.ts; result fingerprints compared across engines) in DuckDB-WASM inside workerd (\`wrangler dev\` of bench/worker), native DuckDB (@duckdb/node-api, threads = 1 like the wasm build) and the TypeScript reference (test/worker/reference.ts). ` +
              `Medians of ${RUNS} warm runs after one warm-up. Village ranking: two quarters (${'the ranked one and the previous'}); township ranking: four quarters. ` +
              'Above county size the wasm runs raise DuckDB\'s memory_limit from the production 64 MiB (see Memory). Native DuckDB has no Arrow IPC import without its arrow extension (not installable offline), so its bulk load is the appender. ' +
              `Key \`duckdbWasmVsNative\` = ${fmt(a.duckdbWasmVsNative, '×')} (warm village ranking query at county size, wasm ÷ native); \`duckdbColdInitMs\` = ${fmt(a.duckdbColdInitMs, ' ms')}.`,
          },
          { title: '2a. Cold start', table: t.cold },
          { title: '2b. Load, queries and results-to-JS', table: t.engines },
          { title: '2c. Ratios', table: t.ratios },
        );
      }
      if (r.memory) {
        const m = r.memory;
        results.cases.memory = m;
        results.countyIngestPeakMB = m.countyIngestPeakMB;
        section('Memory (wasm linear memory high-water, one isolate, sizes ascending)', memoryTable(m));
        md.push({
          title: '3. Memory',
          text:
            `Wasm linear memory of the isolate's DuckDB (it never shrinks: each figure is the high-water mark up to that size) after ranking villages (two quarters) and townships (four quarters) with the production memory_limit ${m.memoryLimit}, sizes ascending in one fresh isolate, as worker/aggregate/README.md measures it. ` +
            'Counted: DuckDB-WASM\'s whole linear memory (its buffer manager, the loaded tables, the Arrow results). Not counted: the JS heap (the rows, the Arrow IPC being built, the JSON response): workerd does not expose it. ' +
            `Key \`countyIngestPeakMB\` = ${fmt(m.countyIngestPeakMB)} (MiB, 500 villages). Largest size under 100 MB: ${m.largestUnder100MB?.toLocaleString('en-US') ?? '—'} villages; ${m.refusedAt ? `refused from ${m.refusedAt.toLocaleString('en-US')} villages (DuckDB's own memory_limit, answered as 503 too_much_data by the API)` : 'no size refused'}.`,
          table: memoryTable(m),
        });
      }
    });
    if (only.has('aggregation') && only.has('memory') && 'skipped' in results.cases.aggregation) results.cases.memory = results.cases.aggregation;
  }

  if (only.has('addin')) {
    await attempt('addin', async () => {
      const a = await benchAddin();
      results.cases.addin = a;
      results.addinSyncs = a.addinSyncs;
      section('Add-in (Excel test double)', addinTable(a.runs));
      md.push({
        title: '4. Add-in',
        text: 'One scoring run through the add-in\'s ExcelAdapter on the Excel test double, with the officer workbook of test/addin/adapter.test.ts (officerWorkbook: 18 columns, messy cells, the officer\'s own fills and notes). Request and response bytes are the serialised batches as the double measures them (Excel on the web limits each to 5 MB).',
        table: addinTable(a.runs),
      });
    });
  }

  if (only.has('e2e')) {
    await attempt('e2e', async () => {
      const e = await benchE2e({ concurrency: 4, durationMs: quick ? 10_000 : 30_000, log });
      results.cases.e2e = e;
      section('End to end (local Worker, loopback)', e2eTable(e));
      if (e.errorBodies.length) log(`  errors: ${e.errorBodies.join('\n          ')}`);
      md.push({
        title: '5. End to end',
        text:
          `\`wrangler dev\` of the county Worker with local D1 and R2 and the demo county (test/e2e/server.ts). One operation: a township officer POSTs a quarter's submission (${e.villagesPerSubmission.min}–${e.villagesPerSubmission.max} villages, all inputs, re-scored by the county), then county staff GET that quarter's village ranking (${e.rankedVillages} villages). ` +
          `${e.concurrency} operations in flight for ${e.durationMs / 1000} s on loopback (bench/lib/load.ts), after one warm-up operation.` +
          (e.errorBodies.length ? ` Errors seen: ${e.errorBodies.map((x) => `\`${x.replace(/`/g, "'")}\``).join('; ')}.` : ''),
        table: e2eTable(e),
      });
    });
  }

  results.durationMs = performance.now() - t0;
  const full: Results = { ...results, targets: targets(results) };
  section('Targets', targetTable(full.targets));
  writeFileSync(here('./results.json'), `${JSON.stringify(full, null, 2)}\n`);
  writeFileSync(here('./RESULTS.md'), resultsMarkdown(full, md));
  log(`\nwrote bench/results.json and bench/RESULTS.md (${fmt(results.durationMs / 1000, ' s')})`);
  if (failed) process.exitCode = 1;
}

await main();
