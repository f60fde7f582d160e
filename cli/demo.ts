// `kaoping demo`: write a demo township sheet (messy, as officers keep them), score it under the example
// county rulebook, print the summary and write the coloured copy. The main job until the Worker exists.
import { parseArgs } from 'node:util';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultRulebook } from '../shared/rulebook/load.ts';
import { parseCountyRulebook } from '../shared/rulebook/county.ts';
import example from '../shared/rulebook/county-example.json' with { type: 'json' };
import { demoColumns, demoCounty, demoValues } from '../shared/demo/generate.ts';
import { demoWorkbook } from '../shared/demo/workbook.ts';
import { makePeriod } from '../shared/scoring/period.ts';
import { scoreFile } from '../shared/score.ts';
import { annotateWorkbook } from '../shared/output/annotate.ts';
import { formatReport } from './summary.ts';

export async function runDemo(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } }, strict: true });
  const dir = values.out ?? 'demo-output';
  const rulebook = defaultRulebook();
  const county = parseCountyRulebook(example, rulebook);
  const demo = demoCounty({ townships: 1, villagesPerTownship: [10, 10] });
  const township = demo.townships[0]!;
  const period = makePeriod('quarter', 2026, 3);
  const columns = demoColumns(rulebook, county.inputs as never);
  const rows = township.villages.map((v) => demoValues(rulebook, v, period, { messy: true }));
  const sheet = await demoWorkbook({ rulebook, columns, county: demo.name, township: township.name, period, rows });
  await mkdir(dir, { recursive: true });
  const sheetPath = join(dir, `${township.name}-${period.label}-调查表.xlsx`);
  const scoredPath = join(dir, `${township.name}-${period.label}-评分.xlsx`);
  await writeFile(sheetPath, sheet);
  const report = await scoreFile(sheet, { fileName: `${township.name}-${period.label}-调查表.xlsx`, rulebook, county });
  const scored = await annotateWorkbook(sheet, {
    sheets: report.sheets,
    rulebookName: report.rulebook.name,
    generatedAt: new Date(),
    ...(county.ledger ? { ledgerDeadlineDays: county.ledger.deadlineDays } : {}),
  });
  await writeFile(scoredPath, scored);
  process.stdout.write(`已生成示例调查表：${sheetPath}\n`);
  process.stdout.write(formatReport(report, scoredPath));
  process.stdout.write(`\n自己的表格可这样评分：npx kaoping score 你的文件.xlsx --rules shared/rulebook/county-example.json --out 评分.xlsx\n`);
  return 0;
}
