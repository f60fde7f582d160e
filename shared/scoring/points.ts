// Points, totals, levels, veto and bonus for one village under the rulebook in force. All arithmetic is
// on integer hundredths of a point, so totals are exact and equal inputs give equal totals.
import type { Grade, ItemScore, RequirementResult, Status } from '../types.ts';
import type { CountyItem, CountyRulebook } from '../rulebook/county.ts';
import type { Engine, VillageEvaluation } from './evaluate.ts';
import type { Outcome } from './checks.ts';
import { readInput, type RowContext } from './inputs.ts';
import { articleRef, fmtNumber } from './format.ts';

export const toCents = (p: number): number => Math.round(p * 100);
export const fromCents = (c: number): number => c / 100;
const fmtC = (c: number): string => fmtNumber(c / 100);

const DEFAULT_GRADES: Record<Grade, number> = { 好: 1, 较好: 0.8, 一般: 0.6, 差: 0 };

export interface Totals {
  total: number;
  maxTotal: number;
  level: string;
  levelReason: string;
  veto: string[];
  bonus: { id: string; label: string; points: number }[];
  items: ItemScore[];
}

const UNRESOLVED: ReadonlySet<Status> = new Set(['missing', 'invalid', 'manual']);

function count(results: RequirementResult[], standard: 'basic' | 'demo', pred: (s: Status) => boolean): number {
  return results.filter((r) => r.standard === standard && pred(r.status)).length;
}

/** Score one evaluated village. */
export function scoreVillage(engine: Engine, ev: VillageEvaluation, ctx: RowContext): Totals {
  return engine.county ? countyTotals(engine, engine.county, ev, ctx) : defaultTotals(ev);
}

/** The standards as written carry no points: the total is the share of the 基本标准 requirements judged so
 * far (达标 + 未达标) that are met, in percent (two decimals, rounded down). Requirements still missing data
 * or awaiting judgement are not in the share; they keep the level at 待定 and are counted in the reason. */
function defaultTotals(ev: VillageEvaluation): Totals {
  const { results } = ev;
  const passed = count(results, 'basic', (s) => s === 'pass');
  const failed = count(results, 'basic', (s) => s === 'fail');
  const open = count(results, 'basic', (s) => UNRESOLVED.has(s));
  const judged = passed + failed;
  const totalC = judged === 0 ? 0 : Math.floor((passed * 10000) / judged);
  const { level, levelReason } = defaultLevel(results);
  return {
    total: fromCents(totalC),
    maxTotal: 100,
    level,
    levelReason: `${levelReason}；得分为基本标准已评要求的达标率：${passed}/${judged}${open ? `（另有${open}项待补或待评，未计入）` : ''}`,
    veto: [],
    bonus: [],
    items: [],
  };
}

function defaultLevel(results: RequirementResult[]): { level: string; levelReason: string } {
  const basicFail = count(results, 'basic', (s) => s === 'fail');
  const basicOpen = count(results, 'basic', (s) => UNRESOLVED.has(s));
  const demoAll = count(results, 'demo', () => true);
  const demoPass = count(results, 'demo', (s) => s === 'pass');
  if (basicFail > 0) return { level: '未达标', levelReason: `基本标准有${basicFail}项未达标` };
  if (basicOpen > 0) return { level: '待定', levelReason: `基本标准无未达标项，但有${basicOpen}项待补充或待评议` };
  if (demoAll > 0 && demoPass === demoAll) return { level: '示范', levelReason: '基本标准与示范标准全部达标' };
  return { level: '达标', levelReason: `基本标准全部达标；示范标准${demoPass}/${demoAll}项达标` };
}

function itemTitle(engine: Engine, ref: string): string {
  const res = engine.refs.get(ref);
  if (!res) return ref;
  const a = res.article;
  const base = `${articleRef(a.standard, a.article)}（${a.title}）`;
  if (res.requirementIds.length === 1 && a.requirements.length > 1) {
    return `${base}${a.requirements.find((r) => r.id === res.requirementIds[0])?.title ?? ''}`;
  }
  return base;
}

/** Points one item earns, in cents, with the explanation. */
function itemScore(engine: Engine, county: CountyRulebook, item: CountyItem, ev: VillageEvaluation): ItemScore {
  const res = engine.refs.get(item.ref)!;
  const pointsC = toCents(item.points);
  const title = itemTitle(engine, item.ref);
  const ids = res.requirementIds;
  const judged = ids.filter((id) => ev.outcomes.has(id));
  const base = { ref: item.ref, title, points: item.points };
  if (judged.length === 0) {
    const full = (county.scoring.notApplicable ?? 'full') === 'full';
    return { ...base, earned: full ? item.points : 0, counted: full, explanation: full ? '不适用本村，按县规则计满分' : '不适用本村，不计入满分' };
  }
  const outs = judged.map((id) => [id, ev.outcomes.get(id)!] as const);
  const style = item.style ?? (ids.length === 1 ? 'allOrNothing' : 'perRequirement');
  const notPassed = outs.filter(([, o]) => o.status !== 'pass');
  const unresolved = outs.filter(([, o]) => UNRESOLVED.has(o.status));
  const floor = item.floorAtZero ?? true;
  const finish = (earnedC: number, explanation: string): ItemScore => {
    const e = floor ? Math.max(0, earnedC) : earnedC;
    const suffix = unresolved.length ? `（${unresolved.length}项待补或待评，暂不得分）` : '';
    return { ...base, earned: fromCents(Math.min(e, pointsC)), counted: true, explanation: explanation + suffix };
  };
  switch (style) {
    case 'allOrNothing':
      return finish(notPassed.length === 0 ? pointsC : 0, notPassed.length === 0 ? `全部达标，得${fmtC(pointsC)}分` : `有${notPassed.length}项未达标，本项不得分`);
    case 'perRequirement': {
      if (item.per !== undefined) {
        const d = notPassed.length * toCents(item.per);
        return finish(pointsC - d, `${notPassed.length}项未达标，每项扣${fmtNumber(item.per)}分`);
      }
      const earned = Math.floor((pointsC * (outs.length - notPassed.length)) / outs.length);
      return finish(earned, `${outs.length - notPassed.length}/${outs.length}项达标，按比例得${fmtC(earned)}分`);
    }
    case 'perMissedEvent': {
      if (unresolved.length) return finish(0, '次数无法核实');
      const missed = outs.reduce((s, [, o]) => s + (o.missed ?? 0), 0);
      const d = Math.round(missed * toCents(item.per ?? 0));
      return finish(pointsC - d, missed ? `少${fmtNumber(missed)}次，每次扣${fmtNumber(item.per ?? 0)}分` : '次数达标，不扣分');
    }
    case 'perShortfallUnit': {
      if (unresolved.length) return finish(0, '数值无法核实');
      const units = outs.reduce((s, [, o]) => s + Math.ceil((o.shortfall ?? 0) / (item.unit ?? 1) - 1e-9), 0);
      const d = units * toCents(item.per ?? 0);
      return finish(pointsC - d, units ? `差${units}个单位（每${fmtNumber(item.unit ?? 1)}为一单位），每单位扣${fmtNumber(item.per ?? 0)}分` : '达到要求，不扣分');
    }
    case 'perFinding': {
      if (unresolved.length) return finish(0, '待观摩评议');
      let d = 0;
      const parts: string[] = [];
      for (const [, o] of outs) {
        const j = o.judgement;
        if (j?.kind === 'findings') {
          d += j.count * toCents(item.per ?? 0);
          if (j.count) parts.push(`发现问题${j.count}处`);
        } else if (o.status !== 'pass') {
          d += pointsC;
          parts.push('评定不合格');
        }
      }
      return finish(pointsC - d, parts.length ? `${parts.join('，')}，每处扣${fmtNumber(item.per ?? 0)}分` : '未发现问题，不扣分');
    }
    case 'graded': {
      if (unresolved.length) return finish(0, '待观摩评议');
      const grades = item.grades ?? DEFAULT_GRADES;
      let sum = 0;
      for (const [, o] of outs) {
        const j = o.judgement;
        const f = j?.kind === 'grade' ? grades[j.grade] : o.status === 'pass' ? 1 : 0;
        sum += Math.floor((pointsC * Math.round(f * 10000)) / 10000 / outs.length);
      }
      const g = outs.map(([, o]) => (o.judgement?.kind === 'grade' ? o.judgement.grade : o.status === 'pass' ? '达标' : '未达标')).join('、');
      return finish(sum, `评定为${g}，得${fmtC(sum)}分`);
    }
  }
}

function countyTotals(engine: Engine, county: CountyRulebook, ev: VillageEvaluation, ctx: RowContext): Totals {
  const items = county.scoring.items.map((it) => itemScore(engine, county, it, ev));
  const byId = new Map<string, Outcome>(ev.outcomes);
  const veto: string[] = [];
  for (const vt of county.veto ?? []) {
    const res = engine.refs.get(vt.ref);
    const failed = (res?.requirementIds ?? []).filter((id) => byId.get(id)?.status === 'fail');
    if (failed.length) {
      veto.push(`一票否决：${vt.label ?? itemTitle(engine, vt.ref)}未达标`);
    }
  }
  const bonus: Totals['bonus'] = [];
  for (const b of county.bonus ?? []) {
    const r = readInput(ctx, b.input);
    if (r.state !== 'ok') continue;
    const units = typeof r.value === 'boolean' ? (r.value ? 1 : 0) : typeof r.value === 'number' ? r.value : 0;
    const c = Math.min(Math.round(units * toCents(b.pointsPerUnit)), toCents(b.max));
    if (c > 0) bonus.push({ id: b.id, label: b.label, points: fromCents(c) });
  }
  const totalC = items.reduce((s, i) => s + toCents(i.earned), 0) + bonus.reduce((s, b) => s + toCents(b.points), 0);
  const maxC = items.filter((i) => i.counted).reduce((s, i) => s + toCents(i.points), 0);
  const { level, levelReason } = countyLevel(county, totalC, veto, ev);
  return { total: fromCents(totalC), maxTotal: fromCents(maxC), level, levelReason, veto, bonus, items };
}

function countyLevel(county: CountyRulebook, totalC: number, veto: string[], ev: VillageEvaluation): { level: string; levelReason: string } {
  const levels = county.levels;
  if (!levels) return defaultLevel(ev.results);
  const last = levels[levels.length - 1]!;
  if (veto.length) return { level: last.name, levelReason: `${veto.join('；')}，直接定为“${last.name}”` };
  const basicAll = count(ev.results, 'basic', (s) => s !== 'pass') === 0;
  const demoAll = count(ev.results, 'demo', (s) => s !== 'pass') === 0;
  for (const l of levels) {
    if (totalC < toCents(l.min)) continue;
    const unmet = (l.requires ?? []).filter((q) => (q === 'basicAllPass' ? !basicAll : q === 'demoAllPass' ? !demoAll : false));
    if (unmet.length) continue;
    return { level: l.name, levelReason: `总分${fmtC(totalC)}分，不低于“${l.name}”分数线${fmtNumber(l.min)}分${l.requires?.length ? '且满足附加条件' : ''}` };
  }
  return { level: last.name, levelReason: `总分${fmtC(totalC)}分，低于各等次分数线` };
}
