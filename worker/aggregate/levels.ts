// Which level names count as 达标 and as 示范 when computing a township's rates.
//
// Rule (this comment is its one written form; every ranking answer states it in words as rules.levels, from
// levelRuleText below):
//  - A county rulebook with `levels` (ordered from the highest band down): the top level counts as 示范,
//    every level except the lowest counts as 达标 (so 示范 villages are also 达标). With a single level,
//    nothing counts (it is both the top and the lowest).
//  - No county levels: the standards' default levels apply (示范, 达标, 待定, 未达标): 达标 = 示范 or 达标,
//    示范 = 示范. 待定 (awaiting evidence or judgement) is not yet 达标.
//  - A level name the rulebook in force does not know (e.g. a result scored under an older version) counts
//    as neither.
import type { CountyRulebook } from '../../shared/rulebook/county.ts';

export interface LevelRule {
  name: string;
  pass: boolean;
  demo: boolean;
}

export const DEFAULT_LEVELS: readonly LevelRule[] = [
  { name: '示范', pass: true, demo: true },
  { name: '达标', pass: true, demo: false },
  { name: '待定', pass: false, demo: false },
  { name: '未达标', pass: false, demo: false },
];

export function levelRules(rulebook: CountyRulebook | null | undefined): LevelRule[] {
  const levels = rulebook?.levels;
  if (!levels?.length) return DEFAULT_LEVELS.map((l) => ({ ...l }));
  const n = levels.length;
  return levels.map((l, i) => ({ name: l.name, pass: n >= 2 && i < n - 1, demo: n >= 2 && i === 0 }));
}

export function levelRuleText(rules: readonly LevelRule[]): string {
  const pass = rules.filter((r) => r.pass).map((r) => r.name);
  const demo = rules.filter((r) => r.demo).map((r) => r.name);
  return `达标率按等次为“${pass.join('、') || '（无）'}”的村计算，示范率按等次为“${demo.join('、') || '（无）'}”的村计算（县级规则的最高等次视为示范，最低等次以外的等次视为达标）`;
}

/** The targets of seed 000: 五好 villages ≥ 80% of a township, aiming for 90% (以上: the boundary passes). */
export const RATE_TARGETS = { target: 0.8, aim: 0.9 } as const;
