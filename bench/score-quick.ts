import { defaultRulebook } from '../shared/rulebook/load.ts';
import { parseCountyRulebook } from '../shared/rulebook/county.ts';
import example from '../shared/rulebook/county-example.json' with { type: 'json' };
import { demoCounty, demoValues, demoColumns } from '../shared/demo/generate.ts';
import { makePeriod } from '../shared/scoring/period.ts';
import { prepareEngine } from '../shared/scoring/evaluate.ts';
import { scoreSheetRows } from '../shared/scoring/sheet.ts';
import type { ColumnReport, RawCell } from '../shared/types.ts';

const rb = defaultRulebook();
const county = parseCountyRulebook(example, rb);
const engine = prepareEngine(rb, county);
const period = makePeriod('quarter', 2026, 3);
const demo = demoCounty({ townships: 50, villagesPerTownship: [100, 100] });
const villages = demo.townships.flatMap((t) => t.villages);
const cols = demoColumns(rb);
const columns: ColumnReport[] = cols.map((c, i) => ({ index: i, letter: `C${i}`, header: c.label, input: c.id, confidence: 1, matchedBy: 'exact' }));
const rows = villages.map((v, r) => {
  const vals = demoValues(rb, v, period, { messy: true });
  const cells: Record<string, RawCell> = {};
  cols.forEach((c, i) => { const x = vals[c.id]; if (x !== undefined) cells[c.id] = { address: `C${i}${r + 5}`, value: x === '' ? null : x }; });
  return { row: r + 5, cells };
});
console.log('rows', rows.length);
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  const s = scoreSheetRows(engine, { name: 'b', period, periodSource: 'option', columns, rows, skippedRows: [], headerRows: { top: 1, bottom: 1 } });
  const ms = performance.now() - t0;
  console.log(`scored ${s.villages.length} in ${ms.toFixed(0)} ms → ${(s.villages.length / ms * 1000).toFixed(0)} rows/s`);
}
