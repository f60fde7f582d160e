// Case 4: the Excel add-in's cost per scoring run on the Excel test double (test/addin/excel-double.ts), with
// the same workbook and the same run as test/addin/adapter.test.ts (officerWorkbook from its fixtures; read the
// active sheet, score, annotate: what the task pane's controller does). The double counts every
// `context.sync()` (a round trip to Excel), every queued API call and the bytes of each request and response
// (serialised as Office.js would send them). Numbers, not assertions: the test asserts the limits.
import { ExcelAdapter } from '../../addin/excel/adapter.ts';
import { annotationCells, ledgerSheet, resultSheet } from '../../addin/logic/sheets.ts';
import { expectedScore, officerWorkbook } from '../../test/addin/fixtures.ts';
import type { ExcelDouble } from '../../test/addin/excel-double.ts';

const NOW = new Date('2026-10-15T08:00:00Z');

export interface AddinRun {
  rows: number;
  /** First scoring run, then a re-run on the annotated workbook (notes read back). */
  run: 'first' | 'again';
  syncs: number;
  apiCalls: number;
  requestBytes: number[];
  responseBytes: number[];
  maxRequestBytes: number;
  totalRequestBytes: number;
  maxResponseBytes: number;
  ms: number;
}

async function scoringRun(double: ExcelDouble): Promise<void> {
  const adapter = new ExcelAdapter(double.host());
  const { scored } = expectedScore(double);
  const read = await adapter.readActiveSheet();
  const cells = annotationCells(scored, read.grid, 'problems');
  await adapter.annotate(read, { cells, result: resultSheet(scored, '默认标准', NOW), ledger: ledgerSheet(scored, '默认标准', NOW) });
}

function measured(rows: number, run: AddinRun['run'], double: ExcelDouble, ms: number): AddinRun {
  const s = double.stats;
  return {
    rows,
    run,
    syncs: s.syncs,
    apiCalls: s.apiCalls,
    requestBytes: [...s.requestBytes],
    responseBytes: [...s.responseBytes],
    maxRequestBytes: Math.max(0, ...s.requestBytes),
    totalRequestBytes: s.requestBytes.reduce((a, b) => a + b, 0),
    maxResponseBytes: Math.max(0, ...s.responseBytes),
    ms,
  };
}

export async function benchAddin(sizes: readonly number[] = [500, 5000]): Promise<{ runs: AddinRun[]; addinSyncs: Record<string, number> }> {
  const runs: AddinRun[] = [];
  for (const n of sizes) {
    const { double } = officerWorkbook(n);
    let t = performance.now();
    await scoringRun(double);
    runs.push(measured(n, 'first', double, performance.now() - t));
    double.resetStats();
    t = performance.now();
    await scoringRun(double);
    runs.push(measured(n, 'again', double, performance.now() - t));
  }
  const addinSyncs = Object.fromEntries(runs.filter((r) => r.run === 'first').map((r) => [String(r.rows), r.syncs]));
  return { runs, addinSyncs };
}
