// Evaluating every requirement of the rulebook on one village row: applicability (organisation type,
// 村/社区, conditions), the period, the check and its alternative, and the message citing the article.
import type { AppliesTo, Article, Requirement, RequirementResult, Rulebook, SkippedRequirement } from '../types.ts';
import type { CountyRulebook } from '../rulebook/county.ts';
import { allInputs, applyCountyChecks, resolveRef } from '../rulebook/county.ts';
import { evaluateCheck, isSkip, type CheckOverride, type Outcome } from './checks.ts';
import { readInput, type RowContext } from './inputs.ts';
import { articleRef } from './format.ts';
import type { InputDef } from '../types.ts';

/** A rulebook prepared for scoring: lookups built once, reused for every row. */
export interface Engine {
  rulebook: Rulebook;
  county?: CountyRulebook;
  inputs: ReadonlyMap<string, InputDef>;
  overrides: ReadonlyMap<string, CheckOverride>;
  params: Readonly<Record<string, number>>;
  /** The county rulebook's references (items, veto), resolved once. */
  refs: ReadonlyMap<string, { article: Article; requirementIds: string[] }>;
}

/** A county's `checks` (term years, frequencies, ranges, thresholds) are applied to the standards here: the
 * engine's rulebook carries the county's checks, which both engines read (this one and compiled.ts), and the
 * overrides carry what changed and why, for the explanations. */
export function prepareEngine(standards: Rulebook, county?: CountyRulebook): Engine {
  const applied = applyCountyChecks(standards, county);
  const rulebook = applied.rulebook;
  const inputs = new Map(allInputs(rulebook, county).map((i) => [i.id, i]));
  const overrides = new Map<string, CheckOverride>();
  const refs = new Map<string, { article: Article; requirementIds: string[] }>();
  for (const ref of [...(county?.scoring.items ?? []).map((i) => i.ref), ...(county?.veto ?? []).map((v) => v.ref)]) {
    const res = resolveRef(rulebook.articles, ref);
    if (res) refs.set(ref, res);
  }
  for (const item of county?.scoring.items ?? []) {
    if (item.threshold === undefined) continue;
    for (const id of refs.get(item.ref)?.requirementIds ?? []) overrides.set(id, { threshold: item.threshold });
  }
  for (const [id, change] of applied.changes) overrides.set(id, { ...overrides.get(id), county: change });
  return { rulebook, ...(county ? { county } : {}), inputs, overrides, params: county?.params ?? {}, refs };
}

export interface VillageEvaluation {
  results: RequirementResult[];
  skipped: SkippedRequirement[];
  /** Outcome detail (missed events, shortfall, judgement) by requirement id, for points. */
  outcomes: Map<string, Outcome>;
}

type Applicability = { applies: true } | { applies: false; reason: string; cell?: string } | { unknown: Outcome };

const ORG_LIST = (orgs: readonly string[]) => orgs.join('、');

function applicability(appliesTo: AppliesTo | undefined, ctx: RowContext): Applicability {
  if (!appliesTo) return { applies: true };
  if (appliesTo.org) {
    const r = readInput(ctx, 'orgType');
    if (r.state !== 'ok') {
      const cell = r.state === 'blank' || r.state === 'invalid' ? r.cell.address : undefined;
      return {
        unknown: {
          status: 'missing',
          ...(cell ? { cell, cells: [cell] } : {}),
          message: `党组织类型${r.state === 'invalid' ? `无法识别（${r.reason}）` : '未填写'}，无法确定本项是否适用（本项适用于${ORG_LIST(appliesTo.org)}）`,
        },
      };
    }
    if (!appliesTo.org.includes(r.value as never)) {
      return { applies: false, reason: `本项仅适用于${ORG_LIST(appliesTo.org)}，本村为${String(r.value)}`, ...(r.cell ? { cell: r.cell.address } : {}) };
    }
  }
  if (appliesTo.unit) {
    // The standards are written for 村; a row that does not say is taken as a 村 (the default of the standards).
    const r = readInput(ctx, 'unitType');
    const unit = r.state === 'ok' ? (r.value as string) : '村';
    if (!appliesTo.unit.includes(unit as never)) return { applies: false, reason: `本项仅适用于${appliesTo.unit.join('、')}` };
  }
  if (appliesTo.when) {
    const conds = appliesTo.when.anyOf;
    const unknown: string[] = [];
    for (const c of conds) {
      const r = readInput(ctx, c.input);
      if (r.state === 'ok') {
        if (r.value === c.equals) return { applies: true };
      } else unknown.push(r.def.label);
    }
    const labels = conds.map((c) => `${ctx.inputs.get(c.input)?.label ?? c.input}为“${c.equals ? '是' : '否'}”`).join('或');
    if (unknown.length) {
      return { unknown: { status: 'missing', message: `未填写${unknown.join('、')}，无法确定本项是否适用（本项适用于${labels}的村）` } };
    }
    return { applies: false, reason: `本项仅适用于${labels}的村` };
  }
  return { applies: true };
}

function evaluateRequirement(engine: Engine, article: Article, req: Requirement, ctx: RowContext): Outcome | { skip: string; cell?: string } {
  for (const a of [article.appliesTo, req.appliesTo]) {
    const ap = applicability(a, ctx);
    if ('unknown' in ap) return ap.unknown;
    if (!ap.applies) return { skip: ap.reason, ...(ap.cell ? { cell: ap.cell } : {}) };
  }
  const main = evaluateCheck(req.check, ctx, engine.overrides.get(req.id));
  if (isSkip(main)) return main;
  if (main.status === 'pass' || !req.alt) return main;
  // The alternative only ever turns a non-pass into a pass (or a fail into 'manual' while the alternative
  // awaits judgement), and only when its column is on the sheet.
  const altInputs = checkInputs(req.alt);
  if (!altInputs.every((id) => ctx.mapped.has(id) || ctx.inputs.get(id)?.derive)) return main;
  const alt = evaluateCheck(req.alt, ctx);
  if (isSkip(alt)) return main;
  if (alt.status === 'pass') {
    return { ...alt, message: `${alt.message}（按原文“或者”条件认定达标；${main.message}）`, cells: [...(main.cells ?? []), ...(alt.cells ?? [])] };
  }
  // A failed main check whose alternative is still awaiting judgement is not yet a failure.
  if (main.status === 'fail' && alt.status === 'manual') {
    return { ...main, status: 'manual', message: `${main.message}；原文另有“或者”条件，${alt.message}` };
  }
  return main;
}

/** The input ids a check reads. */
export function checkInputs(check: Requirement['check']): string[] {
  switch (check.kind) {
    case 'ratio':
      return [check.numerator, check.denominator];
    default:
      return [check.input];
  }
}

export function evaluateVillage(engine: Engine, ctx: RowContext): VillageEvaluation {
  const results: RequirementResult[] = [];
  const skipped: SkippedRequirement[] = [];
  const outcomes = new Map<string, Outcome>();
  for (const article of engine.rulebook.articles) {
    const ref = articleRef(article.standard, article.article);
    for (const req of article.requirements) {
      const base = { id: req.id, standard: article.standard, article: article.article, title: req.title };
      const out = evaluateRequirement(engine, article, req, ctx);
      if ('skip' in out) {
        skipped.push({ ...base, ...(out.cell ? { cell: out.cell } : {}), reason: `${ref}（${req.title}）：${out.skip}` });
        continue;
      }
      outcomes.set(req.id, out);
      results.push({
        ...base,
        status: out.status,
        ...(out.cell ? { cell: out.cell } : {}),
        ...(out.cells ? { cells: out.cells } : {}),
        ...(out.value !== undefined ? { value: out.value } : {}),
        ...(out.threshold ? { threshold: out.threshold } : {}),
        message: `${ref}（${req.title}）：${out.message}`,
      });
    }
  }
  return { results, skipped, outcomes };
}
