// The rule-case table (cases.ts) is consistent with the rulebook and covers what the engine must get right.
// These tests read the table and the rulebook only; the engine suite runs the cases through the scorer.
import { describe, expect, it } from 'vitest';
import { defaultRulebook, findRequirement } from '../../shared/rulebook/load.ts';
import type { Check, Requirement } from '../../shared/types.ts';
import { ORG_TYPES, PER_MONTHS } from '../../shared/types.ts';
import { CASE_DEFAULTS, cases, type RuleCase } from './cases.ts';

const rb = defaultRulebook();
const inputIds = new Set(rb.inputs.map((i) => i.id));
const PERIOD_MONTHS: Record<string, number> = { '2026': 12, '2026H2': 6, '2026Q3': 3 };
const allReqs = rb.articles.flatMap((a) => a.requirements);

const req = (id: string): Requirement => {
  const found = findRequirement(rb, id);
  if (!found) throw new Error(`unknown requirement ${id}`);
  return found.requirement;
};
const casesFor = (id: string) => cases.filter((c) => c.requirement === id);
const orgOf = (c: RuleCase) => c.org ?? CASE_DEFAULTS.org;
const periodOf = (c: RuleCase) => c.period ?? CASE_DEFAULTS.period;
const orgApplies = (r: Requirement, c: RuleCase) => !r.appliesTo?.org || r.appliesTo.org.includes(orgOf(c));
const isAutomatic = (r: Requirement) => r.check.kind !== 'judgement';
/** A requirement whose period is longer than every sheet period the table uses can never be due. */
const neverDue = (r: Requirement) => (r.check.kind === 'frequency' || r.check.kind === 'threshold') && r.check.per !== undefined && PER_MONTHS[r.check.per] > 12;
/** A plain integer as typed (half-width), or null. */
const plainInt = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);
/** A number as typed with an optional %, ㎡ or 万 (×10000), or null. */
function plainNumber(s: string | undefined): number | null {
  const m = s === undefined ? null : /^(\d+(?:\.\d+)?)(%|㎡|万)?$/.exec(s);
  if (!m) return null;
  return m[2] === '万' ? Number(m[1]) * 10000 : Number(m[1]);
}

describe('rule cases', () => {
  it('name existing requirements, inputs, organisations and periods', () => {
    expect(cases.length).toBeGreaterThan(150);
    for (const c of cases) {
      const r = req(c.requirement);
      expect(ORG_TYPES).toContain(orgOf(c));
      expect(Object.keys(PERIOD_MONTHS)).toContain(periodOf(c));
      expect(['pass', 'fail', 'missing', 'invalid', 'manual', 'skipped']).toContain(c.expect);
      for (const [k, v] of Object.entries(c.inputs)) {
        expect(inputIds.has(k), `${c.requirement}: input ${k}`).toBe(true);
        expect(typeof v).toBe('string');
      }
      // a param check without the county's param cannot be judged automatically
      if (r.check.kind === 'param' && c.params?.[r.check.param] === undefined) expect(c.expect, c.requirement).toBe('manual');
    }
  });

  it('have at least one pass and one fail for every automatic requirement that can be due', () => {
    const lacking: string[] = [];
    for (const r of allReqs.filter((x) => isAutomatic(x) && !neverDue(x))) {
      const got = new Set(casesFor(r.id).map((c) => c.expect));
      if (!got.has('pass') || !got.has('fail')) lacking.push(r.id);
    }
    expect(lacking).toEqual([]);
  });

  it('mark 每两年 requirements as not due on annual and quarterly sheets', () => {
    for (const r of allReqs.filter(neverDue)) {
      const cs = casesFor(r.id);
      expect(cs.some((c) => periodOf(c) === '2026'), r.id).toBe(true);
      for (const c of cs) expect(c.expect, r.id).toBe('skipped');
    }
  });

  it('put every frequency requirement on a quarterly sheet', () => {
    for (const r of allReqs.filter((x) => x.check.kind === 'frequency')) {
      expect(
        casesFor(r.id).some((c) => periodOf(c) === '2026Q3' && orgApplies(r, c)),
        r.id,
      ).toBe(true);
    }
  });

  it('expect frequencies pro-rated to the sheet, and not due when the period is longer than the sheet', () => {
    for (const c of cases) {
      const r = req(c.requirement);
      const check: Check = r.check;
      if (check.kind !== 'frequency' || !orgApplies(r, c)) continue;
      const months = PERIOD_MONTHS[periodOf(c)]!;
      if (PER_MONTHS[check.per] > months) {
        expect(c.expect, `${c.requirement} on ${periodOf(c)}`).toBe('skipped');
        continue;
      }
      const n = plainInt(c.inputs[check.input]);
      if (n === null) continue;
      const scale = check.scaleBy ? plainInt(c.inputs[check.scaleBy]) : 1;
      if (scale === null) continue; // the expectation cannot be computed: 'missing'
      const due = (check.times * months * scale) / PER_MONTHS[check.per];
      expect(c.expect, `${c.requirement} ${n} on ${periodOf(c)} (due ${due})`).toBe(n >= due ? 'pass' : 'fail');
    }
  });

  it('test every threshold exactly at its number, with the status its boundary word gives', () => {
    for (const r of allReqs) {
      const ch = r.check;
      if (ch.kind !== 'threshold') continue;
      const atBoundary = casesFor(r.id).filter((c) => plainNumber(c.inputs[ch.input]) === ch.value);
      expect(atBoundary.length, `${r.id}: no case at ${ch.value}`).toBeGreaterThan(0);
      const inclusive = ch.op === '>=' || ch.op === '<=';
      const altInput = r.alt && 'input' in r.alt ? r.alt.input : undefined;
      for (const c of atBoundary) {
        if (altInput && c.inputs[altInput] === '是') continue; // passes by the alternative, not the number
        if (altInput && c.inputs[altInput] === '') continue; // the alternative awaits judgement: 'manual'
        expect(c.expect, `${r.id} at ${ch.value} (${ch.word})`).toBe(inclusive ? 'pass' : 'fail');
      }
    }
  });

  it('test both ends of every range', () => {
    for (const r of allReqs) {
      const ch = r.check;
      if (ch.kind !== 'range') continue;
      const at = (v: number) => casesFor(r.id).filter((c) => orgApplies(r, c) && plainInt(c.inputs[ch.input]) === v);
      expect(at(ch.min).map((c) => c.expect), `${r.id} at ${ch.min}`).toContain('pass');
      expect(at(ch.max).map((c) => c.expect), `${r.id} at ${ch.max}`).toContain('pass');
      expect(at(ch.min - 1).map((c) => c.expect), `${r.id} below`).toContain('fail');
      expect(at(ch.max + 1).map((c) => c.expect), `${r.id} above`).toContain('fail');
    }
  });

  it('skip organisation-dependent requirements for the other organisations', () => {
    for (const r of allReqs.filter((x) => x.appliesTo?.org)) {
      const outside = casesFor(r.id).filter((c) => !orgApplies(r, c));
      expect(outside.length, `${r.id}: no case for an organisation it does not apply to`).toBeGreaterThan(0);
      for (const c of outside) expect(c.expect, `${r.id} for ${orgOf(c)}`).toBe('skipped');
    }
    expect(casesFor('basic-21').find((c) => orgOf(c) === '党支部')?.expect).toBe('skipped');
  });

  it('skip conditional requirements when the condition does not hold', () => {
    for (const r of allReqs.filter((x) => x.appliesTo?.when)) {
      const conds = r.appliesTo!.when!.anyOf;
      const cs = casesFor(r.id);
      expect(cs.length, r.id).toBeGreaterThan(0);
      for (const c of cs) {
        const holds = conds.some((w) => (c.inputs[w.input] === '是') === w.equals && c.inputs[w.input] !== undefined);
        if (!holds) expect(c.expect, `${r.id} ${JSON.stringify(c.inputs)}`).toBe('skipped');
        else expect(c.expect, `${r.id} ${JSON.stringify(c.inputs)}`).not.toBe('skipped');
      }
      expect(cs.some((c) => c.expect === 'skipped'), r.id).toBe(true);
    }
  });

  it('cover judgements: blank is manual, 差 fails, 较好 passes', () => {
    const judged = cases.filter((c) => req(c.requirement).check.kind === 'judgement');
    const value = (c: RuleCase) => c.inputs[(req(c.requirement).check as { input: string }).input];
    expect(judged.filter((c) => value(c) === '').map((c) => c.expect)).toEqual(expect.arrayContaining(['manual']));
    for (const c of judged) {
      const v = value(c);
      if (v === '' || v === undefined) expect(c.expect === 'manual' || c.expect === 'skipped', c.requirement).toBe(true);
      if (v === '差' || v === '否') expect(c.expect === 'fail' || c.expect === 'skipped', c.requirement).toBe(true);
      if (v === '好' || v === '较好' || v === '一般' || v === '是') expect(c.expect, c.requirement).toBe('pass');
    }
    expect(judged.some((c) => value(c) === '差' && c.expect === 'fail')).toBe(true);
    expect(judged.some((c) => value(c) === '较好' && c.expect === 'pass')).toBe(true);
  });

  it('include missing and invalid cells', () => {
    expect(cases.some((c) => c.expect === 'missing')).toBe(true);
    expect(cases.some((c) => c.expect === 'invalid')).toBe(true);
  });

  it('state the boundary cases of the brief', () => {
    const one = (id: string, input: string, v: string, org?: string) =>
      cases.find((c) => c.requirement === id && c.inputs[input] === v && (!org || orgOf(c) === org))?.expect;
    expect(one('basic-24', 'activityArea', '90')).toBe('pass');
    expect(one('basic-40-c', 'povertyRate', '2%')).toBe('fail');
    expect(one('basic-1-b', 'members', '50', '党总支')).toBe('fail');
    expect(one('demo-9-a', 'cadreSatisfaction', '80%')).toBe('pass');
    const q3 = (v: string) =>
      cases.find((c) => c.requirement === 'basic-18-b' && periodOf(c) === '2026Q3' && c.inputs.committeeMeetings === v)
        ?.expect;
    expect([q3('2'), q3('3')]).toEqual(['fail', 'pass']);
  });
});
