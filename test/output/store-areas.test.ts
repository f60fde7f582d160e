// A workbook annotated by the Excel add-in records untouched cells as areas in `_kaoping`; the command
// line's removal must expand them and restore those cells too.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { removeAnnotations } from '../../shared/output/remove.ts';
import { readStore, STORE_FORMAT } from '../../shared/output/store.ts';
import { STATUS_PALETTE } from '../../shared/output/palette.ts';
import { STORE_SHEET } from '../../shared/output/names.ts';

const solid = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });

async function addinAnnotated(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('村情');
  ws.getCell('A1').value = '村名';
  ws.getCell('B2').value = 90;
  ws.getCell('C3').value = '是';
  for (const a of ['B2', 'B3', 'C2', 'C3']) ws.getCell(a).fill = solid(STATUS_PALETTE.pass.argb);
  ws.getCell('D4').fill = solid('FFFFFF00'); // the officer's own yellow, never ours
  const store = wb.addWorksheet(STORE_SHEET, { state: 'veryHidden' });
  store.getCell('A1').value = STORE_FORMAT;
  store.getRow(3).values = ['村情', '', JSON.stringify({ areas: 'B2:C3', ourFill: STATUS_PALETTE.pass.argb, ourNote: false })];
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

describe('area rows written by the add-in', () => {
  it('readStore expands an area row to one record per cell', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await addinAnnotated()).buffer as ArrayBuffer);
    expect(readStore(wb)?.map((r) => r.address).sort()).toEqual(['B2', 'B3', 'C2', 'C3']);
  });

  it('removeAnnotations removes our fills in those areas and keeps the officer’s own', async () => {
    const out = await removeAnnotations(await addinAnnotated());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(out.buffer as ArrayBuffer);
    const ws = wb.getWorksheet('村情')!;
    for (const a of ['B2', 'B3', 'C2', 'C3']) expect((ws.getCell(a).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb, a).toBeUndefined();
    expect((ws.getCell('D4').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFFF00');
    expect(ws.getCell('B2').value).toBe(90);
    expect(wb.getWorksheet(STORE_SHEET)).toBeUndefined();
  });
});
