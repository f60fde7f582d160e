// Every rule case of test/rulebook/cases.ts, run through the real engine: one village row, one requirement.
import { describe, expect, it } from 'vitest';
import { cases, CASE_DEFAULTS, type RuleCase } from '../rulebook/cases.ts';
import { defaultRulebook } from '../../shared/rulebook/load.ts';
import { evaluateVillage, prepareEngine } from '../../shared/scoring/evaluate.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import type { RawCell } from '../../shared/types.ts';
import type { RowContext } from '../../shared/scoring/inputs.ts';

const rulebook = defaultRulebook();

function letter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function runCase(c: RuleCase) {
  const engine = prepareEngine(rulebook, undefined);
  const inputs: Record<string, string> = { orgType: c.org ?? CASE_DEFAULTS.org, ...c.inputs };
  const cells: Record<string, RawCell> = {};
  Object.entries(inputs).forEach(([id, value], i) => {
    cells[id] = { address: `${letter(i)}5`, value: value === '' ? null : value };
  });
  const ctx: RowContext = {
    inputs: engine.inputs,
    cells,
    mapped: new Set(Object.keys(inputs)),
    columnCtx: new Map(),
    period: parsePeriodLabel(c.period ?? CASE_DEFAULTS.period)!,
    params: c.params ?? {},
    memo: new Map(),
  };
  const ev = evaluateVillage({ ...engine, params: c.params ?? {} }, ctx);
  const result = ev.results.find((r) => r.id === c.requirement);
  const skipped = ev.skipped.find((r) => r.id === c.requirement);
  return { result, skipped };
}

describe('rule cases', () => {
  it.each(cases.map((c) => [`${c.requirement} ${JSON.stringify(c.inputs)} ${c.org ?? ''} ${c.period ?? ''} → ${c.expect}`, c] as const))('%s', (_name, c) => {
    const { result, skipped } = runCase(c);
    if (c.expect === 'skipped') {
      expect(result, result?.message).toBeUndefined();
      expect(skipped?.reason).toMatch(/本期不考核|仅适用于|不适用/);
    } else {
      expect(skipped?.reason).toBeUndefined();
      expect(result?.status, result?.message).toBe(c.expect);
      // Every message cites its standard and article.
      expect(result!.message).toMatch(/^(基本标准|示范标准)第\d+条/);
    }
  });
});
