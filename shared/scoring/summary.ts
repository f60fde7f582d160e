// A roll-up over many sheets (a city's or a province's township and county files): how many villages, how they
// stand by level, veto and stars, which requirements fail most, and which villages score lowest. Built from the
// decision engine's results (compiled.ts) one sheet at a time, so files of any number can be summarised without
// keeping their villages' explanations; each village's own explanation is one `kaoping score` away.
//
// Exact: counts are integers and the mean is Σ cents ÷ villages, rounded half-up to a cent only when shown.
import { cellText } from '../values/index.ts';
import { cellAt } from '../sheet/columns.ts';
import type { Engine } from './evaluate.ts';
import { FAIL, INVALID, MANUAL, MISSING, PASS, SKIP, type CompactScores } from './compiled.ts';
import type { SheetColumns } from './sheet.ts';

export interface RequirementTally {
  id: string;
  /** 基本标准第3条 … */
  article: string;
  title: string;
  pass: number;
  fail: number;
  /** No data (blank, not on the sheet, or not readable). */
  missing: number;
  invalid: number;
  /** Awaits observation (观摩评议). */
  manual: number;
  /** Not applicable or not due. */
  skipped: number;
  /** pass ÷ (every village it applies to), or null when it applies to none. */
  passRate: number | null;
}

export interface LowVillage {
  file: string;
  sheet: string;
  row: number;
  name?: string;
  code?: string;
  total: number;
  maxTotal: number;
  level: string;
}

export interface Summary {
  rulebook: { id: string; name: string };
  sheets: { file: string; name: string; period: string; villages: number; skippedRows: number }[];
  ignoredSheets: { file: string; name: string; reason: string }[];
  villages: number;
  /** Villages per level, in the rulebook's order of levels. */
  levels: { name: string; villages: number }[];
  vetoed: number;
  /** Villages per star count (stars are given within each sheet, the cohort a township sheet is). */
  stars?: { stars: number; villages: number }[];
  /** Σ totals ÷ villages, in points (2 decimals); null without villages. */
  meanTotal: number | null;
  requirements: RequirementTally[];
  /** The lowest totals, lowest first (ties by file, sheet and row). */
  lowest: LowVillage[];
}

/** The villages a requirement applies to: every status but skipped. */
export function judgedVillages(r: Omit<RequirementTally, 'passRate'>): number {
  return r.pass + r.fail + r.missing + r.invalid + r.manual;
}

const DEFAULT_LEVELS = ['示范', '达标', '待定', '未达标'];

/** Collects sheets' compact scores into a Summary. */
export class SummaryBuilder {
  private readonly sheets: Summary['sheets'] = [];
  private readonly ignored: Summary['ignoredSheets'] = [];
  private readonly levelCounts = new Map<string, number>();
  private readonly starCounts = new Map<number, number>();
  private hasStars = false;
  private villages = 0;
  private vetoed = 0;
  private centsSum = 0;
  private readonly tallies: RequirementTally[];
  private lowest: LowVillage[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly lowestCount = 10,
  ) {
    this.tallies = engine.rulebook.articles.flatMap((a) =>
      a.requirements.map((r) => ({
        id: r.id,
        article: `${a.standard === 'basic' ? '基本标准' : '示范标准'}第${a.article}条`,
        title: r.title,
        pass: 0,
        fail: 0,
        missing: 0,
        invalid: 0,
        manual: 0,
        skipped: 0,
        passRate: null,
      })),
    );
  }

  ignore(file: string, name: string, reason: string): void {
    this.ignored.push({ file, name, reason });
  }

  add(file: string, sheet: SheetColumns, scores: CompactScores): void {
    const n = scores.rowCount;
    this.sheets.push({ file, name: sheet.name, period: sheet.period.labelZh, villages: n, skippedRows: sheet.skippedRows.length });
    this.villages += n;
    for (let i = 0; i < n; i++) {
      const level = scores.levelNames[scores.level[i]!]!;
      this.levelCounts.set(level, (this.levelCounts.get(level) ?? 0) + 1);
      this.vetoed += scores.vetoed[i]!;
      this.centsSum += scores.totalCents[i]!;
    }
    if (scores.stars) {
      this.hasStars = true;
      for (let i = 0; i < n; i++) this.starCounts.set(scores.stars[i]!, (this.starCounts.get(scores.stars[i]!) ?? 0) + 1);
    }
    scores.requirementIds.forEach((id, r) => {
      const t = this.tallies[r]!;
      if (t.id !== id) throw new Error(`summary: requirement ${id} out of order`);
      const st = scores.status.subarray(r * n, (r + 1) * n);
      for (let i = 0; i < n; i++) {
        const c = st[i]!;
        if (c === PASS) t.pass++;
        else if (c === FAIL) t.fail++;
        else if (c === MISSING) t.missing++;
        else if (c === INVALID) t.invalid++;
        else if (c === MANUAL) t.manual++;
        else if (c === SKIP) t.skipped++;
      }
    });
    this.keepLowest(file, sheet, scores);
  }

  /** The lowest totals so far: candidates from this sheet merged with the kept ones. */
  private keepLowest(file: string, sheet: SheetColumns, scores: CompactScores): void {
    const k = this.lowestCount;
    const order = Array.from({ length: scores.rowCount }, (_, i) => i).sort((a, b) => scores.totalCents[a]! - scores.totalCents[b]! || scores.rows[a]! - scores.rows[b]!);
    const text = (input: string, i: number): string | undefined => {
      const col = sheet.cells.get(input);
      const cell = col ? cellAt(col, i) : undefined;
      const t = cell ? cellText(cell).trim() : '';
      return t === '' ? undefined : t;
    };
    const fresh = order.slice(0, k).map((i): LowVillage => {
      const name = text('name', i);
      const code = text('code', i);
      return {
        file,
        sheet: sheet.name,
        row: scores.rows[i]!,
        ...(name !== undefined ? { name } : {}),
        ...(code !== undefined ? { code } : {}),
        total: scores.totalCents[i]! / 100,
        maxTotal: scores.maxCents[i]! / 100,
        level: scores.levelNames[scores.level[i]!]!,
      };
    });
    // Stable: kept villages (earlier files) come before this sheet's at equal totals.
    this.lowest = [...this.lowest, ...fresh].sort((a, b) => Math.round(a.total * 100) - Math.round(b.total * 100)).slice(0, k);
  }

  done(): Summary {
    const county = this.engine.county;
    const order = county?.levels?.map((l) => l.name) ?? DEFAULT_LEVELS;
    const names = [...order, ...[...this.levelCounts.keys()].filter((l) => !order.includes(l))];
    const out: Summary = {
      rulebook: { id: (county ?? this.engine.rulebook).id, name: (county ?? this.engine.rulebook).name },
      sheets: this.sheets,
      ignoredSheets: this.ignored,
      villages: this.villages,
      levels: names.map((name) => ({ name, villages: this.levelCounts.get(name) ?? 0 })),
      vetoed: this.vetoed,
      meanTotal: this.villages ? roundHalfUp(this.centsSum, this.villages) / 100 : null,
      requirements: this.tallies.map((t) => {
        const judged = judgedVillages(t);
        return { ...t, passRate: judged ? t.pass / judged : null };
      }),
      lowest: this.lowest,
    };
    if (this.hasStars) {
      const bands = [...new Set([...(county?.stars?.bands.map((b) => b.stars) ?? []), ...this.starCounts.keys(), 0])].sort((a, b) => b - a);
      out.stars = bands.map((stars) => ({ stars, villages: this.starCounts.get(stars) ?? 0 }));
    }
    return out;
  }
}

/** a ÷ b (b > 0, a an integer sum of cents) rounded half up to an integer. */
function roundHalfUp(a: number, b: number): number {
  const q = Math.floor(a / b);
  return (a - q * b) * 2 >= b ? q + 1 : q;
}
