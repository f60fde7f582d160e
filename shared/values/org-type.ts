// 党组织类型 and 村/社区. Matched on the normalised text (width, spaces, traditional characters folded) by its
// ending, so a full name such as 张庄村党支部 or 幸福社区居委会 is read too.
//   党委  : 党委, 村党委, 社区党委, 基层党委, 党的基层委员会
//   党总支: 党总支, 总支, 党总支部, 党总支部委员会
//   党支部: 党支部, 支部, 村党支部, 联合党支部, 党支部委员会
//   (团支部, 团总支 are Youth League bodies and are refused; so are 党小组 and 党工委.)
//   村    : 村, 行政村, 建制村, 村委会, 村委, 村民委员会
//   社区  : 社区, 居委会, 居委, 居民委员会, 社区居委会
import type { OrgType, ParseResult, RawCell, UnitType } from '../types.ts';
import { normalizeText } from '../text/normalize.ts';
import { cellText, fail, guard, ok, quote } from './common.ts';

const ORG_RULES: readonly (readonly [RegExp, OrgType])[] = [
  [/(?:^|[^团])总支(?:部)?(?:委员会)?$/, '党总支'],
  [/(?:党委|党的基层委员会|基层委员会)$/, '党委'],
  [/(?:^|[^团])支部(?:委员会)?$/, '党支部'],
];

export function parseOrgType(cell: RawCell): ParseResult<OrgType> {
  const g = guard(cell);
  if (g) return g;
  const t = normalizeText(cellText(cell)).replace(/\([^)]*\)/g, '');
  for (const [re, type] of ORG_RULES) if (re.test(t)) return ok(type);
  return fail(`无法识别为党组织类型：${quote(cell)}（应为党支部、党总支或党委）`);
}

const UNIT_RULES: readonly (readonly [RegExp, UnitType])[] = [
  [/(?:社区|居委会|居委|居民委员会)$/, '社区'],
  [/(?:村|村委会|村委|村民委员会)$/, '村'],
];

export function parseUnitType(cell: RawCell): ParseResult<UnitType> {
  const g = guard(cell);
  if (g) return g;
  const t = normalizeText(cellText(cell));
  for (const [re, type] of UNIT_RULES) if (re.test(t)) return ok(type);
  return fail(`无法识别为村或社区：${quote(cell)}（应为“村”或“社区”）`);
}
