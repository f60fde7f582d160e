import { describe, expect, it } from 'vitest';
import { parseCode } from '../../shared/values/index.ts';
import { cell } from './helpers.ts';

describe('parseCode', () => {
  it.each<[unknown, string]>([
    ['130102001001', '130102001001'],
    [130102001001, '130102001001'],
    ['１３０１０２００１００１', '130102001001'],
    ['1301 0200 1001', '130102001001'],
    ['130102 001 001', '130102001001'],
    ['\u3000130102001001\u3000', '130102001001'],
    ["'130102001001", '130102001001'],
    ['130102001001.0', '130102001001'],
    [130102001001, '130102001001'],
  ])('%j → %s', (value, code) => {
    expect(parseCode(cell(value as never))).toEqual({ ok: true, value: code });
  });

  it('accepts a number cell displayed in scientific notation: the value itself is exact', () => {
    expect(parseCode(cell(130102001001, { text: '1.30102E+11' }))).toEqual({ ok: true, value: '130102001001' });
  });

  it('notes a code whose last six digits are zero', () => {
    const r = parseCode(cell('130102000000'));
    expect(r).toMatchObject({ ok: true, value: '130102000000' });
    expect(r.ok && r.note).toContain('末6位均为0');
  });

  it.each<[unknown, string]>([
    ['1.30102E+11', '区划代码显示为科学计数法：“1.30102E+11”（精度已丢失，末几位无法恢复：请把该列设为“文本”格式，重新填写完整的12位代码）'],
    ['1.30102e11', '区划代码显示为科学计数法：“1.30102e11”（精度已丢失，末几位无法恢复：请把该列设为“文本”格式，重新填写完整的12位代码）'],
    ['13010200100', '区划代码应为12位数字：“13010200100”（这里是11位）'],
    ['1301020010011', '区划代码应为12位数字：“1301020010011”（这里是13位）'],
    [13010200100, '区划代码应为12位数字：“13010200100”（这里是11位）'],
    ['130102-001-001', '区划代码只能包含数字：“130102-001-001”'],
    ['13010200100A', '区划代码只能包含数字：“13010200100A”'],
    ['张庄村', '区划代码只能包含数字：“张庄村”'],
    [1301020010.5, '区划代码只能包含数字：“1301020010.5”'],
    [-130102001001, '区划代码只能包含数字：“-130102001001”'],
    [1e20, '区划代码位数过多：“100000000000000000000”（应为12位数字）'],
    [true, '区划代码只能包含数字：“TRUE”'],
  ])('%j is refused', (value, reason) => {
    expect(parseCode(cell(value as never))).toEqual({ ok: false, reason });
  });
});
