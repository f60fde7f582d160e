// The test double enforces what real Excel enforces: if these rules did not hold, the adapter's tests would
// prove nothing.
import { describe, expect, it } from 'vitest';
import { ExcelDouble, OfficeError } from './excel-double.ts';

function run<T>(d: ExcelDouble, fn: (ctx: Excel.RequestContext) => Promise<T>): Promise<T> {
  return d.host().run(fn);
}

describe('the Excel test double', () => {
  it('refuses to read a property that was not loaded and synced (PropertyNotLoaded)', async () => {
    const d = new ExcelDouble();
    d.addSheet('S', [['a', 1]]);
    await run(d, async (ctx) => {
      const r = ctx.workbook.worksheets.getItem('S').getRange('A1:B1');
      expect(() => r.values).toThrow(/PropertyNotLoaded|not available/);
      r.load('values');
      expect(() => r.values).toThrow(/not available/); // loaded but not yet synced
      await ctx.sync();
      expect(r.values).toEqual([['a', 1]]);
      expect(() => r.numberFormat).toThrow(/not available/); // another property
      const res = r.getCellProperties({ format: { fill: { color: true } } });
      expect(() => res.value).toThrow(/not been loaded/);
      await ctx.sync();
      expect(res.value[0]![0]).toEqual({ format: { fill: { color: '#FFFFFF' } } });
    });
  });

  it('runs queued commands only at sync, in order: a load before a write sees the old value', async () => {
    const d = new ExcelDouble();
    d.addSheet('S', [['old']]);
    await run(d, async (ctx) => {
      const r = ctx.workbook.worksheets.getItem('S').getRange('A1');
      r.load('values');
      r.values = [['new']];
      expect(d.cell('S', 'A1')!.value).toBe('old');
      await ctx.sync();
      expect(r.values).toEqual([['old']]);
      expect(d.cell('S', 'A1')!.value).toBe('new');
    });
    expect(d.stats.syncs).toBe(1);
    expect(d.stats.apiCalls).toBeGreaterThanOrEqual(3);
  });

  it('fails an address string over 8,192 characters and getRanges over 500 areas', async () => {
    const d = new ExcelDouble();
    d.addSheet('S', [['x']]);
    const areas = Array.from({ length: 1500 }, (_, i) => `A${i * 2 + 1}`);
    const long = areas.join(',');
    expect(long.length).toBeGreaterThan(8192);
    await expect(
      run(d, async (ctx) => {
        ctx.workbook.worksheets.getItem('S').getRanges(long).format.fill.color = '#FF0000';
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'InvalidArgument' });
    const many = areas.slice(0, 600).join(',');
    expect(many.length).toBeLessThan(8192);
    await expect(
      run(d, async (ctx) => {
        ctx.workbook.worksheets.getItem('S').getRanges(many).format.fill.color = '#FF0000';
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'InvalidArgument' });
    await run(d, async (ctx) => {
      ctx.workbook.worksheets.getItem('S').getRanges(areas.slice(0, 400).join(',')).format.fill.color = '#FF0000';
      await ctx.sync();
    });
    expect(d.cell('S', 'A799')!.fill).toEqual({ color: '#FF0000', pattern: 'Solid' });
  });

  it('fails a request over 5 MB, estimated as the JSON of the queued commands', async () => {
    const d = new ExcelDouble();
    d.addSheet('S');
    const big = Array.from({ length: 60000 }, (_, i) => [`第${i}行的一段很长的说明文字，用来把请求撑到五兆字节以上`]);
    await expect(
      run(d, async (ctx) => {
        ctx.workbook.worksheets.getItem('S').getRangeByIndexes(0, 0, big.length, 1).values = big;
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'RequestPayloadSizeLimitExceeded' });
    expect(d.stats.requestBytes[0]).toBeGreaterThan(5 * 1024 * 1024);
    expect(d.cell('S', 'A1')).toBeUndefined(); // nothing was applied
  });

  it('fails a response over 5 MB', async () => {
    const d = new ExcelDouble({ responseLimit: 1000 });
    d.addSheet('S', Array.from({ length: 100 }, () => ['一二三四五六七八九十']));
    await expect(
      run(d, async (ctx) => {
        ctx.workbook.worksheets.getItem('S').getRange('A1:A100').load('values');
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'ResponsePayloadSizeLimitExceeded' });
  });

  it('reports unsupported requirement sets as unsupported, and their APIs fail at sync', async () => {
    const d = new ExcelDouble({ version: '1.9' });
    const host = d.host();
    expect(host.isSetSupported('ExcelApi', '1.9')).toBe(true);
    expect(host.isSetSupported('ExcelApi', '1.10')).toBe(false);
    expect(host.isSetSupported('ExcelApi', '1.18')).toBe(false);
    d.addSheet('S', [['x']]);
    await expect(
      run(d, async (ctx) => {
        ctx.workbook.worksheets.getItem('S').notes.add('S!A1', 'n');
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'ApiNotFound' });
    await expect(
      run(d, async (ctx) => {
        ctx.workbook.worksheets.getItem('S').comments.add('S!A1', 'n');
        await ctx.sync();
      }),
    ).rejects.toBeInstanceOf(OfficeError);
    const old = new ExcelDouble({ version: '1.8' });
    old.addSheet('S', [['x']]);
    await expect(
      run(old, async (ctx) => {
        ctx.workbook.worksheets.getItem('S').getRanges('A1').format.fill.color = '#FF0000';
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'ApiNotFound' });
  });

  it('converts text Excel would convert, keeps apostrophe-prefixed text, and marks "=" as a formula', async () => {
    const d = new ExcelDouble();
    d.addSheet('S');
    await run(d, async (ctx) => {
      ctx.workbook.worksheets.getItem('S').getRange('A1:D1').values = [['130102001001', "'130102001001", '=1+1', '2026-10-30']];
      await ctx.sync();
    });
    expect(d.cell('S', 'A1')!.value).toBe(130102001001);
    expect(d.cell('S', 'B1')!.value).toBe('130102001001');
    expect(d.cell('S', 'C1')!.formula).toBe(true);
    expect(typeof d.cell('S', 'D1')!.value).toBe('number');
  });

  it('returns null for a fill that is not uniform, and fires onChanged for value writes', async () => {
    const d = new ExcelDouble();
    d.addSheet('S', [['a'], ['b']]);
    d.cellAt(d.sheet('S')!, 0, 0, true)!.fill = { color: '#FF0000', pattern: 'Solid' };
    const seen: unknown[] = [];
    await run(d, async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('S');
      ws.onChanged.add(async (e) => void seen.push(e));
      const f = ws.getRange('A1:A2').format.fill;
      f.load('color');
      await ctx.sync();
      expect(f.color).toBeNull();
      ws.getRange('A2').values = [['c']];
      await ctx.sync();
    });
    await d.settle();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ address: 'A2', changeType: 'RangeEdited', triggerSource: 'ThisLocalAddin' });
  });
});
