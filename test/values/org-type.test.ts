import { describe, expect, it } from 'vitest';
import type { OrgType, UnitType } from '../../shared/types.ts';
import { parseOrgType, parseUnitType } from '../../shared/values/index.ts';
import { cell } from './helpers.ts';

describe('parseOrgType', () => {
  it.each<[string, OrgType]>([
    ['党支部', '党支部'],
    ['支部', '党支部'],
    ['村党支部', '党支部'],
    ['社区党支部', '党支部'],
    ['联合党支部', '党支部'],
    ['党支部委员会', '党支部'],
    ['张庄村党支部', '党支部'],
    ['黨支部', '党支部'],
    ['党支部（联合）', '党支部'],
    [' 党 支 部 ', '党支部'],
    ['党总支', '党总支'],
    ['总支', '党总支'],
    ['党总支部', '党总支'],
    ['党总支部委员会', '党总支'],
    ['村党总支', '党总支'],
    ['黨總支', '党总支'],
    ['總支', '党总支'],
    ['党委', '党委'],
    ['村党委', '党委'],
    ['社区党委', '党委'],
    ['党的基层委员会', '党委'],
    ['黨委', '党委'],
  ])('%j → %s', (text, expected) => {
    expect(parseOrgType(cell(text))).toEqual({ ok: true, value: expected });
  });

  it.each(['团支部', '团总支', '党小组', '党工委', '村委会', '党组织', '支委'])('refuses %j', (text) => {
    expect(parseOrgType(cell(text))).toEqual({ ok: false, reason: `无法识别为党组织类型：“${text}”（应为党支部、党总支或党委）` });
  });
});

describe('parseUnitType', () => {
  it.each<[string, UnitType]>([
    ['村', '村'],
    ['行政村', '村'],
    ['建制村', '村'],
    ['村委会', '村'],
    ['村委會', '村'],
    ['村民委员会', '村'],
    ['张庄村', '村'],
    ['社区', '社区'],
    ['社區', '社区'],
    ['居委会', '社区'],
    ['社区居委会', '社区'],
    ['居民委员会', '社区'],
    ['农村社区', '社区'],
  ])('%j → %s', (text, expected) => {
    expect(parseUnitType(cell(text))).toEqual({ ok: true, value: expected });
  });

  it.each(['村（居）', '村改居', '乡镇', '街道', '党支部'])('refuses %j', (text) => {
    expect(parseUnitType(cell(text))).toEqual({ ok: false, reason: `无法识别为村或社区：“${text}”（应为“村”或“社区”）` });
  });
});
