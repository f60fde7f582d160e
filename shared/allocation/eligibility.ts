// Who takes part in the allocation. A unit failing any rule gets 0 and every reason is given.
import { normalizeText } from '../text/normalize.ts';
import { formatHundredths, toHundredths } from './rounding.ts';
import type { AllocationUnit, EligibilityRules } from './types.ts';

export interface EligibilityVerdict {
  eligible: boolean;
  /** Chinese reasons, empty when eligible. */
  reasons: string[];
}

/** The rules with their defaults filled in. */
export interface ResolvedEligibility {
  excludeVeto: boolean;
  excludeWeak: boolean;
  allowedLevels: string[] | null;
  minScore: bigint | null;
}

export function resolveEligibility(rules: EligibilityRules | undefined): ResolvedEligibility {
  return {
    excludeVeto: rules?.excludeVeto ?? true,
    excludeWeak: rules?.excludeWeak ?? true,
    allowedLevels: rules?.minLevel ?? null,
    minScore: rules?.minScore === undefined ? null : toHundredths(rules.minScore),
  };
}

/** Levels compare after folding width, spaces and traditional characters (優秀 = 优秀). */
function sameLevel(a: string, b: string): boolean {
  return normalizeText(a) === normalizeText(b);
}

export function judgeEligibility(unit: AllocationUnit, rules: ResolvedEligibility): EligibilityVerdict {
  const reasons: string[] = [];
  if (rules.excludeVeto && unit.veto === true) reasons.push('一票否决');
  if (rules.excludeWeak && unit.weak === true) reasons.push('软弱涣散');
  if (rules.allowedLevels !== null) {
    const allowed = rules.allowedLevels.join('、');
    const level = unit.level?.trim() ?? '';
    if (level === '') reasons.push(`未评定等次（可参与分配的等次：${allowed}）`);
    else if (!rules.allowedLevels.some((l) => sameLevel(l, level))) {
      reasons.push(`等次“${level}”不在可参与分配的等次（${allowed}）之内`);
    }
  }
  if (rules.minScore !== null) {
    const h = toHundredths(unit.score);
    if (h < rules.minScore) reasons.push(`得分${formatHundredths(h)}低于最低分${formatHundredths(rules.minScore)}`);
  }
  return { eligible: reasons.length === 0, reasons };
}
