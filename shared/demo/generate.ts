// A deterministic demo county: townships and villages with plausible 12-digit codes, and for each village
// and period the raw cell texts an officer would type, generated from the rulebook itself so that every
// requirement has passing and failing villages. Used by `kaoping demo`, the Worker's demo data and the
// benchmarks. Pure: no I/O.
import type { Check, InputDef, OrgType, Period, Rulebook } from '../types.ts';
import { expectedEvents } from '../scoring/period.ts';

/** mulberry32: a small, fast, seedable PRNG (deterministic across platforms). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoVillage {
  code: string;
  name: string;
  township: string;
  townshipCode: string;
  orgType: OrgType;
  /** 0..1: how likely this village meets each requirement (stable across periods, drifting a little). */
  quality: number;
}

export interface DemoTownship {
  code: string;
  name: string;
  villages: DemoVillage[];
}

export interface DemoCounty {
  name: string;
  code: string;
  townships: DemoTownship[];
}

const TOWNSHIP_NAMES = ['东风镇', '红旗镇', '青山乡', '柳河镇', '白杨乡', '石桥镇', '新华乡', '丰收镇', '金沙乡', '长岭镇', '南湖乡', '北坡镇'];
const VILLAGE_A = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐'];
const VILLAGE_B = ['庄', '寨', '营', '屯', '洼', '岗', '楼', '集', '湾', '桥', '店', '坡', '河', '沟', '堡', '铺'];

export function demoCounty(opts: { seed?: number; townships?: number; villagesPerTownship?: [number, number]; countyCode?: string; name?: string } = {}): DemoCounty {
  const rnd = prng(opts.seed ?? 2026);
  const countyCode = opts.countyCode ?? '410999';
  const nT = opts.townships ?? 6;
  const [minV, maxV] = opts.villagesPerTownship ?? [8, 14];
  const townships: DemoTownship[] = [];
  for (let t = 0; t < nT; t++) {
    const baseName = TOWNSHIP_NAMES[t % TOWNSHIP_NAMES.length]!;
    const name = t < TOWNSHIP_NAMES.length ? baseName : `${baseName}${Math.floor(t / TOWNSHIP_NAMES.length) + 1}`;
    const tCode = `${countyCode}${String(100 + t).padStart(3, '0')}`;
    const n = minV + Math.floor(rnd() * (maxV - minV + 1));
    const used = new Set<string>();
    const villages: DemoVillage[] = [];
    for (let v = 0; v < n; v++) {
      let vName = '';
      do vName = `${VILLAGE_A[Math.floor(rnd() * VILLAGE_A.length)]}${VILLAGE_B[Math.floor(rnd() * VILLAGE_B.length)]}村`;
      while (used.has(vName) && used.size < VILLAGE_A.length * VILLAGE_B.length);
      if (used.has(vName)) vName = `${vName.slice(0, -1)}${v + 1}村`;
      used.add(vName);
      const r = rnd();
      const orgType: OrgType = r < 0.72 ? '党支部' : r < 0.95 ? '党总支' : '党委';
      villages.push({ code: `${tCode}${String(200 + v).padStart(3, '0')}`, name: vName, township: name, townshipCode: tCode, orgType, quality: 0.8 + rnd() * 0.19 });
    }
    townships.push({ code: tCode, name, villages });
  }
  return { name: opts.name ?? '示例县', code: countyCode, townships };
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const FW = '０１２３４５６７８９';
const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => FW[+d]!);

/** The raw cell texts for one village and period, keyed by input id. `messy` adds units inside cells,
 * full-width digits and 是/否 variants as officers type them. */
export function demoValues(rulebook: Rulebook, village: DemoVillage, period: Period, opts: { messy?: boolean; judged?: boolean } = {}): Record<string, string> {
  const rnd = prng(hashString(`${village.code}|${period.label}`));
  const q = Math.min(0.995, Math.max(0.5, village.quality + (rnd() - 0.5) * 0.06));
  const pass = () => rnd() < q;
  const inputs = new Map(rulebook.inputs.map((i) => [i.id, i]));
  const out: Record<string, string> = {
    code: village.code,
    name: village.name,
    township: village.township,
    orgType: village.orgType,
    unitType: '村',
  };
  const members = village.orgType === '党支部' ? 18 + Math.floor(rnd() * 30) : village.orgType === '党总支' ? 52 + Math.floor(rnd() * 45) : 100 + Math.floor(rnd() * 40);
  out.members = String(members);
  out.formalMembers = String(members - Math.floor(rnd() * 3));
  out.isWeak = q < 0.84 && rnd() < 0.5 ? '是' : '否';
  out.isPoor = rnd() < 0.08 ? '是' : '否';
  const messy = opts.messy ?? false;
  const judged = opts.judged ?? true;
  const setNum = (id: string, v: number, unit = '') => {
    if (out[id] !== undefined) return;
    const def = inputs.get(id);
    let s = String(v);
    if (messy && def) {
      const r = rnd();
      if (def.kind === 'area' && r < 0.3) s = `${v}㎡`;
      else if (def.kind === 'money' && r < 0.4 && v >= 10000) s = `${v / 10000}万`;
      else if (def.kind === 'count' && r < 0.15) s = `${v}${unit || def.unit || ''}`;
      else if (r > 0.93) s = fullWidth(s);
    }
    out[id] = s;
  };
  const setBool = (id: string, v: boolean) => {
    if (out[id] !== undefined) return;
    const forms = messy ? [['是', '否'], ['√', '×'], ['有', '无']] : [['是', '否']];
    const f = forms[Math.floor(rnd() * forms.length)]!;
    const def = inputs.get(id);
    const useHas = def?.options?.includes('有');
    out[id] = useHas ? (v ? '有' : '无') : v ? f[0]! : f[1]!;
  };
  for (const a of rulebook.articles) {
    for (const req of a.requirements) {
      for (const check of [req.check, ...(req.alt ? [req.alt] : [])] as Check[]) {
        const ok = pass();
        switch (check.kind) {
          case 'threshold':
          case 'param': {
            const def = inputs.get(check.input)!;
            if (def.derive) {
              const wholeDef = inputs.get(def.derive.whole);
              const whole = wholeDef?.unit === '户' ? 120 + Math.floor(rnd() * 400) : 2 + Math.floor(rnd() * 12);
              const target = check.kind === 'threshold' ? check.value : 80;
              const part = ok ? Math.min(whole, Math.ceil((whole * target) / 100)) : Math.max(0, Math.floor((whole * target) / 100) - 1 - Math.floor(rnd() * 3));
              setNum(def.derive.whole, whole);
              setNum(def.derive.part, Math.min(part, whole));
              break;
            }
            const t = check.kind === 'threshold' ? check.value : 4000;
            const up = check.op === '>=' || check.op === '>';
            const good = up ? t * (1 + rnd() * 0.8) + (check.op === '>' ? 1 : 0) : t * rnd() * 0.9;
            const bad = up ? t * (0.4 + rnd() * 0.55) : t * (1 + rnd());
            let v = ok ? good : bad;
            v = def.kind === 'percent' ? Math.min(100, Math.round(v * 10) / 10) : def.kind === 'money' ? Math.round(v / 100) * 100 : def.kind === 'count' ? Math.round(v) : Math.round(v * 10) / 10;
            if (def.kind === 'count' && !ok && up) v = Math.min(v, Math.ceil(t) - 1);
            if (def.kind === 'count' && ok && up) v = Math.max(v, Math.ceil(t));
            setNum(check.input, Math.max(0, v));
            break;
          }
          case 'range': {
            const v = ok ? check.min + Math.floor(rnd() * (check.max - check.min + 1)) : rnd() < 0.5 ? Math.max(0, check.min - 1) : check.max + 1;
            setNum(check.input, v);
            break;
          }
          case 'frequency': {
            const exp0 = expectedEvents(check.times, check.per, period);
            if (exp0 === undefined) break;
            let exp = exp0;
            if (check.scaleBy) {
              const s = Number(out[check.scaleBy] ?? NaN);
              exp = Number.isFinite(s) ? exp0 * s : exp0 * 5;
            }
            const v = ok ? exp + (rnd() < 0.2 ? 1 : 0) : Math.max(0, exp - 1 - Math.floor(rnd() * 2));
            setNum(check.input, v, '次');
            break;
          }
          case 'ratio': {
            const den = 1 + Math.floor(rnd() * 3);
            setNum(check.denominator, den);
            setNum(check.numerator, ok ? Math.ceil(check.value * den) + Math.floor(rnd() * 2) : Math.max(0, Math.ceil(check.value * den) - 1));
            break;
          }
          case 'flag': {
            // "No bad thing happened" flags (违纪违法, 上访, 失联) are rare events in a real county.
            const fine = check.expect === false ? rnd() < 0.985 : ok;
            setBool(check.input, fine ? check.expect : !check.expect);
            break;
          }
          case 'judgement': {
            if (out[check.input] !== undefined) break;
            if (!judged || rnd() < 0.06) {
              out[check.input] = '';
              break;
            }
            out[check.input] = ok ? (['好', '较好', '一般'] as const)[Math.floor(rnd() * 3)]! : '差';
            break;
          }
          case 'term': {
            const y = ok ? period.year - Math.floor(rnd() * 3) : period.year - 4;
            const m = 1 + Math.floor(rnd() * 12);
            out[check.input] = messy && rnd() < 0.5 ? `${y}年${m}月` : `${y}.${m === 10 ? '10' : m}`;
            break;
          }
        }
      }
    }
  }
  // Inputs no requirement reads on this period (e.g. yearly counts on a quarterly sheet) stay blank.
  return out;
}

/** The inputs a demo sheet shows as columns: identity first, then every non-derived input in rulebook order. */
export function demoColumns(rulebook: Rulebook, extra: InputDef[] = []): InputDef[] {
  const all = [...rulebook.inputs, ...extra];
  const derivedPct = new Set(all.filter((i) => i.derive).map((i) => i.id));
  const identity = ['code', 'name', 'township', 'orgType'];
  const first = identity.map((id) => all.find((i) => i.id === id)!).filter(Boolean);
  return [...first, ...all.filter((i) => !identity.includes(i.id) && !derivedPct.has(i.id) && i.id !== 'unitType')];
}
