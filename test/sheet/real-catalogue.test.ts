// The fixtures mapped with the project's real input catalogue (shared/rulebook/inputs.json).
import { describe, expect, it } from 'vitest';
import { findTable, isSheetProblem } from '../../shared/sheet/header.ts';
import { mapColumns } from '../../shared/sheet/mapping.ts';
import { extractRows } from '../../shared/sheet/rows.ts';
import type { InputDef } from '../../shared/types.ts';
import inputsJson from '../../shared/rulebook/inputs.json' with { type: 'json' };
import { fixtureSheet, layoutOf, mappingTable } from './helpers.ts';

const INPUTS = inputsJson as unknown as InputDef[];

const EXPECTED: Record<string, { header: [number, number]; villages: number; columns: Record<string, string | null> }> = {
  'messy-excel.xlsx': {
    header: [4, 5],
    villages: 7,
    columns: {
      A: null,
      B: 'code',
      C: 'township',
      D: 'name',
      E: 'orgType',
      F: 'members',
      G: 'memberMeetings',
      H: 'committeeMeetings',
      I: 'groupMeetings',
      J: 'partyLectures',
      K: 'collectiveIncome',
      L: null,
      M: 'activityArea',
      O: 'lastElection',
      P: 'isWeak',
      Q: 'judge.basic.27',
      R: null,
    },
  },
  'libreoffice.xlsx': {
    header: [3, 3],
    villages: 5,
    columns: { B: 'township', C: 'name', D: 'code', E: 'orgType', F: 'formalMembers', G: 'committeeMeetings', H: 'partyDays', I: 'collectiveIncome', J: 'activityArea', K: 'judge.basic.27' },
  },
  'wps-inline.xlsx': {
    header: [2, 5],
    villages: 4,
    columns: { B: 'name', C: 'code', D: 'orgType', E: 'memberMeetings', F: 'committeeMeetings', G: 'partyLectures', H: 'partyDays', I: 'activityArea', J: 'judge.basic.25', K: 'isWeak' },
  },
  'gb18030.csv': {
    header: [3, 3],
    villages: 4,
    columns: { B: 'code', C: 'township', D: 'name', E: 'members', F: 'committeeMeetings', G: 'activityArea', H: 'collectiveIncome' },
  },
  'utf8-bom.csv': {
    header: [1, 1],
    villages: 3,
    columns: { A: 'code', B: 'name', C: 'members', D: 'memberMeetings', E: 'activityArea', F: 'isWeak', G: 'hasLostMembers' },
  },
  'excel-unicode.txt': {
    header: [1, 1],
    villages: 3,
    columns: { A: 'name', B: 'members', C: 'committeeMeetings', D: 'activityArea' },
  },
};

describe('fixtures with shared/rulebook/inputs.json', () => {
  it.each(Object.entries(EXPECTED))('%s', async (file, want) => {
    const grid = await fixtureSheet(file);
    const layout = layoutOf(grid, INPUTS);
    expect([layout.headerRows.top, layout.headerRows.bottom]).toEqual(want.header);
    const mapping = mapColumns(layout, INPUTS);
    expect(mappingTable(mapping)).toMatchObject(want.columns);
    // every mapped id exists in the catalogue, and no input is used twice
    const ids = mapping.flatMap((m) => (m.input === null ? [] : [m.input]));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(INPUTS.some((i) => i.id === id)).toBe(true);
    expect(extractRows(grid, layout, mapping).rows).toHaveLength(want.villages);
  });

  it('the 填表说明 sheet is still not a table', async () => {
    expect(isSheetProblem(findTable(await fixtureSheet('messy-excel.xlsx', '填表说明'), INPUTS))).toBe(true);
  });
});
