// The outputs against the real rulebook and the real sheet reader and scoring engine (shared/rulebook,
// shared/sheet, shared/scoring): a filled template reads back column for column, and its scored copy
// is annotated.
import { describe, expect, it } from 'vitest';
import {
  annotateWorkbook,
  buildTemplate,
  LEDGER_SHEET,
  RESULT_SHEET,
  STATUS_PALETTE,
  SUMMARY_HEADER_ROW,
  TEMPLATE_FIRST_DATA_ROW,
  TEMPLATE_HELP_SHEET,
  TEMPLATE_SHEET,
  templateColumns,
} from '../../shared/output/index.ts';
import { noteText } from '../../shared/output/notes.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { scoreFile } from '../../shared/score.ts';
import { bytesOf, fillArgb, load, sheet } from './fixtures.ts';

describe('template → reader → scoring → annotated copy', () => {
  it('reads every template column back as its input and annotates the scored copy', { timeout: 60_000 }, async () => {
    const rb = defaultRulebook();
    const wb = await load(await buildTemplate({ inputs: rb.inputs, articles: rb.articles, title: '村党组织建设情况调查表（2026年第一季度）' }));
    const ws = sheet(wb, TEMPLATE_SHEET);
    const cols = templateColumns(rb.inputs, rb.articles);
    const col = (id: string) => cols.find((c) => c.input?.id === id)!.index;
    const r = TEMPLATE_FIRST_DATA_ROW;
    ws.getCell(r, col('code')).value = '130102001001';
    ws.getCell(r, col('name')).value = '东村';
    ws.getCell(r, col('township')).value = '东风镇';
    ws.getCell(r, col('orgType')).value = '党支部';
    ws.getCell(r, col('unitType')).value = '村';
    ws.getCell(r, col('committeeMeetings')).value = 2;
    ws.getCell(r, col('formalMembers')).value = 12;
    const filled = await bytesOf(wb);

    const report = await scoreFile(filled, { fileName: '调查表.xlsx', rulebook: rb });
    expect(report.sheets.map((s) => s.name)).toEqual([TEMPLATE_SHEET]);
    expect(report.ignoredSheets.map((s) => s.name)).toEqual([TEMPLATE_HELP_SHEET]);
    const scored = report.sheets[0]!;
    expect(scored.period.labelZh).toBe('2026年第一季度');
    // every column maps to the input it was made for
    const mapped = new Map(scored.columns.map((c) => [c.index + 1, c.input]));
    for (const c of cols) expect(mapped.get(c.index), c.header).toBe(c.input?.id);
    const v = scored.villages[0]!;
    expect(scored.villages).toHaveLength(1);
    expect([v.code, v.name, v.township, v.orgType, v.unitType]).toEqual(['130102001001', '东村', '东风镇', '党支部', '村']);

    const annotated = await load(await annotateWorkbook(filled, { sheets: report.sheets, rulebookName: rb.name, generatedAt: new Date(2026, 3, 1) }));
    const cell = sheet(annotated, TEMPLATE_SHEET).getCell(r, col('committeeMeetings'));
    expect(fillArgb(cell)).toBe(STATUS_PALETTE.fail.argb);
    expect(noteText(cell.note)).toContain('基本标准第18条');
    expect(sheet(annotated, RESULT_SHEET).getCell(SUMMARY_HEADER_ROW + 1, 3).value).toBe('东村');
    const ledger: string[] = [];
    sheet(annotated, LEDGER_SHEET).eachRow((row) => ledger.push(String(row.getCell(6).value)));
    expect(ledger.some((t) => t.includes('支部委员会次数2次'))).toBe(true);
  });
});
