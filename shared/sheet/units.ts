// Units written into headers: 党员人数（人）, 年收入（万元）, 活动场所面积（㎡）, 满意度(%), （单位：万元）.
import { normalizeText } from '../text/normalize.ts';
import type { UnitFamily } from './types.ts';

export interface UnitInfo {
  family: UnitFamily;
  /** Factor to the canonical unit of the family: 元 for money, 平方米 for area, 1 otherwise. */
  scale: number;
}

// Keys are normalised with normalizeText (so ㎡ → m2, ％ → %, 萬元 → 万元).
const UNITS: Record<string, UnitInfo> = {
  元: { family: 'money', scale: 1 },
  万元: { family: 'money', scale: 10000 },
  千元: { family: 'money', scale: 1000 },
  亿元: { family: 'money', scale: 100000000 },
  平方米: { family: 'area', scale: 1 },
  平米: { family: 'area', scale: 1 },
  m2: { family: 'area', scale: 1 },
  亩: { family: 'area', scale: 2000 / 3 },
  '%': { family: 'percent', scale: 1 },
  百分比: { family: 'percent', scale: 1 },
  学时: { family: 'hours', scale: 1 },
  课时: { family: 'hours', scale: 1 },
  小时: { family: 'hours', scale: 1 },
  人: { family: 'count', scale: 1 },
  人次: { family: 'count', scale: 1 },
  次: { family: 'count', scale: 1 },
  个: { family: 'count', scale: 1 },
  户: { family: 'count', scale: 1 },
  名: { family: 'count', scale: 1 },
  场: { family: 'count', scale: 1 },
  件: { family: 'count', scale: 1 },
  项: { family: 'count', scale: 1 },
  篇: { family: 'count', scale: 1 },
  期: { family: 'count', scale: 1 },
  天: { family: 'count', scale: 1 },
  处: { family: 'count', scale: 1 },
};

function unitKey(s: string): string {
  return normalizeText(s).replace(/^单位:?/, '');
}

/** The unit a text names on its own ("万元", "单位：万元", "㎡"), or undefined. */
export function lookupUnit(s: string): (UnitInfo & { unit: string }) | undefined {
  const info = UNITS[unitKey(s)];
  if (!info) return undefined;
  const unit = s.replace(/[\s\u3000]+/g, '').replace(/^(单位|單位)[:：]?/, '');
  return { ...info, unit };
}

export interface SplitUnit {
  /** The text without its unit, trimmed. */
  label: string;
  unit?: string;
  info?: UnitInfo;
}

const BRACKET = /[（(［[【]\s*([^（）()［\][\]【】]{1,10}?)\s*[）)］\]】]/g;
const SUFFIX = /(㎡|m²|m2|平方米|％|%)\s*$/i;

/** Split "年收入（万元）" into 年收入 and 万元; "满意度%" into 满意度 and %. Non-unit brackets (是/否) stay. */
export function splitUnit(text: string): SplitUnit {
  let unit: string | undefined;
  let info: UnitInfo | undefined;
  let label = text.replace(BRACKET, (whole, inner: string) => {
    const found = lookupUnit(inner);
    if (!found) return whole;
    unit = found.unit;
    info = { family: found.family, scale: found.scale };
    return '';
  });
  if (!unit) {
    const m = SUFFIX.exec(label);
    if (m && m.index > 0) {
      const found = lookupUnit(m[1]!);
      if (found) {
        unit = found.unit;
        info = { family: found.family, scale: found.scale };
        label = label.slice(0, m.index);
      }
    }
  }
  label = label.trim();
  const out: SplitUnit = { label };
  if (unit !== undefined && info !== undefined) {
    out.unit = unit;
    out.info = info;
  }
  return out;
}

/** A header cell that is only a unit: "（人）", "万元", "单位：平方米". */
export function isUnitOnly(text: string): boolean {
  const t = text.trim();
  if (t === '') return false;
  if (lookupUnit(t)) return true;
  const s = splitUnit(t);
  return s.unit !== undefined && s.label === '';
}
