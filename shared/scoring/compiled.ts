// The decision engine: every requirement's status, every village's points, level, veto and stars for a whole
// sheet, without the Chinese explanations. It is the fast path for ranking and summarising many rows
// (a province holds ~45,000 villages); the explaining engine (evaluate.ts, points.ts) gives the sentences
// for any one village on demand. Both implement the same rules and test/scoring/compiled.test.ts checks that
// they agree on every status, total, level, veto and star for generated and mutated sheets.
//
// Why it is fast (measured in bench/, see bench/README.md): each column is parsed once per distinct cell
// value (officers' columns repeat 是/否, small counts and the same few texts), values live in typed arrays,
// each requirement is compiled to a closure once per sheet, and nothing is allocated per requirement per row.
import type { AppliesTo, Check, Comparator, InputDef, Judgement, Period, RawCell, Status } from '../types.ts';
import type { CountyItem } from '../rulebook/county.ts';
import { blankMarker, isBlank, parseByKind } from '../values/index.ts';
import type { Engine } from './evaluate.ts';
import { checkInputs } from './evaluate.ts';
import { UnknownInputError, type ColumnContext } from './inputs.ts';
import { expectedEvents } from './period.ts';
import { columnContexts, type SheetRows } from './sheet.ts';
import { assignStars } from './cohort.ts';

/** Status codes in `CompactScores.status`. SKIP: not applicable or not due on this sheet. */
export const SKIP = 0;
export const PASS = 1;
export const FAIL = 2;
export const MISSING = 3;
export const INVALID = 4;
export const MANUAL = 5;
export const STATUS_OF_CODE: readonly (Status | 'skip')[] = ['skip', 'pass', 'fail', 'missing', 'invalid', 'manual'];

export interface CompactScores {
  rowCount: number;
  /** Sheet row numbers, in input order. */
  rows: Int32Array;
  /** Requirement ids in rulebook order; `status[i * requirementIds.length + r]` is row i's status for requirement r. */
  requirementIds: readonly string[];
  /** The standard of each requirement (same order). */
  standards: readonly ('basic' | 'demo')[];
  status: Uint8Array;
  /** Points in integer hundredths. */
  totalCents: Int32Array;
  maxCents: Int32Array;
  /** Index into `levelNames`. */
  level: Uint8Array;
  levelNames: readonly string[];
  /** 1 when a veto item failed. */
  vetoed: Uint8Array;
  /** Stars when the county rulebook has star bands. */
  stars?: Uint8Array;
}

// Input read states, as in inputs.ts.
const UNMAPPED = 0;
const BLANK = 1;
const BAD = 2;
const OK = 3;
/** A blank cell of a percent column that may be derived from its two counts (resolved in Columns.load). */
const BLANK_DERIVABLE = 4;

/** One input's column, read for every row: state, and the value as a number (count, quantity, percent, bool as
 * 1/0, date as year × 12 + month − 1) or, for the kinds that are not numbers (judgement, texts), as an object. */
interface Column {
  state: Uint8Array;
  num: Float64Array;
  /** Empty for numeric kinds (count, quantities, percent, bool, date). */
  obj: unknown[];
  /** The value is held in `num` (not in `obj`). */
  numeric: boolean;
  kind: InputDef['kind'];
}

const OBJECT_KINDS: ReadonlySet<InputDef['kind']> = new Set(['judgement', 'code', 'orgType', 'unitType', 'text']);

function newColumn(n: number, kind: InputDef['kind']): Column {
  const numeric = !OBJECT_KINDS.has(kind);
  return { state: new Uint8Array(n), num: new Float64Array(n), obj: numeric ? [] : new Array<unknown>(n).fill(undefined), numeric, kind };
}

type Parsed = { state: number; num: number; obj: unknown };

/** Reading one cell, without the per-cell reason texts the explaining engine builds. */
function readCell(def: InputDef, cell: RawCell, col: ColumnContext): Parsed {
  if (blankMarker(cell)) return { state: BLANK, num: 0, obj: undefined };
  const p = parseByKind(def.kind, cell, col);
  if (!p.ok) return { state: BAD, num: 0, obj: undefined };
  const v = p.value as unknown;
  if (typeof v === 'number') return { state: OK, num: v, obj: v };
  if (typeof v === 'boolean') return { state: OK, num: v ? 1 : 0, obj: v };
  if (def.kind === 'date') {
    const d = v as { year: number; month: number };
    return { state: OK, num: d.year * 12 + d.month - 1, obj: v };
  }
  return { state: OK, num: 0, obj: v };
}

/** Parse results by cell value; an entry also remembers the display text, format and formula it was read with. */
class CellMemo {
  private readonly map = new Map<unknown, { text: string | undefined; numFmt: string | undefined; formula: string | undefined; parsed: Parsed }>();
  constructor(
    private readonly def: InputDef,
    private readonly col: ColumnContext,
  ) {}
  read(cell: RawCell): Parsed {
    const v = cell.value;
    if (v instanceof Date) return readCell(this.def, cell, this.col);
    const hit = this.map.get(v);
    if (hit && hit.text === cell.text && hit.numFmt === cell.numFmt && hit.formula === cell.formula) return hit.parsed;
    const parsed = readCell(this.def, cell, this.col);
    if (!hit && this.map.size < 65536) this.map.set(v, { text: cell.text, numFmt: cell.numFmt, formula: cell.formula, parsed });
    return parsed;
  }
}

class Columns {
  private readonly built = new Map<string, Column>();
  constructor(
    private readonly engine: Engine,
    private readonly sheet: Pick<SheetRows, 'rows'>,
    private readonly mapped: ReadonlySet<string>,
    private readonly columnCtx: ReadonlyMap<string, ColumnContext>,
  ) {}

  get(id: string): Column {
    let c = this.built.get(id);
    if (!c) {
      this.load([id]);
      c = this.built.get(id)!;
    }
    return c;
  }

  /** Read the columns of these inputs (and of the counts their percents derive from) in one pass over the rows:
   * a row's cells are one object, so reading it row by row keeps it in cache (column by column over tens of
   * thousands of rows costs ~20× more). */
  load(ids: readonly string[]): void {
    const want = new Set<string>();
    const visit = (id: string): void => {
      if (want.has(id) || this.built.has(id)) return;
      const def = this.engine.inputs.get(id);
      if (!def) throw new UnknownInputError(id);
      want.add(id);
      if (def.derive) {
        visit(def.derive.part);
        visit(def.derive.whole);
      }
    };
    ids.forEach(visit);
    const n = this.sheet.rows.length;
    const read: { id: string; col: Column; memo: CellMemo; derivable: boolean }[] = [];
    for (const id of want) {
      const def = this.engine.inputs.get(id)!;
      const col = newColumn(n, def.kind);
      this.built.set(id, col);
      if (this.mapped.has(id)) read.push({ id, col, memo: new CellMemo(def, this.columnCtx.get(id) ?? {}), derivable: !!def.derive });
    }
    const rows = this.sheet.rows;
    for (let i = 0; i < n; i++) {
      const cells = rows[i]!.cells;
      for (const { id, col, memo, derivable } of read) {
        const cell = cells[id];
        if (!cell || isBlank(cell)) {
          // BLANK for now; a blank percent cell may still be derived from its two counts (below).
          col.state[i] = derivable ? BLANK_DERIVABLE : BLANK;
          continue;
        }
        const p = memo.read(cell);
        col.state[i] = p.state;
        col.num[i] = p.num;
        if (!col.numeric) col.obj[i] = p.obj;
      }
    }
    // Percents from their counts, after the counts are read (derive inputs are not themselves derived).
    for (const id of want) {
      const def = this.engine.inputs.get(id)!;
      if (!def.derive) continue;
      const col = this.built.get(id)!;
      const derived = this.derive(def.derive);
      const isMapped = this.mapped.has(id);
      for (let i = 0; i < n; i++) {
        if (!isMapped || col.state[i] === BLANK_DERIVABLE) {
          if (derived.state[i] === OK) {
            col.state[i] = OK;
            col.num[i] = derived.num[i]!;
          } else col.state[i] = isMapped ? BLANK : derived.state[i]!;
        }
      }
    }
  }

  /** A percent from two counts: part × 100 ÷ whole; the first problem among the two counts otherwise. */
  private derive({ part, whole }: { part: string; whole: string }): Column {
    const p = this.built.get(part)!;
    const w = this.built.get(whole)!;
    const n = this.sheet.rows.length;
    const col = newColumn(n, 'percent');
    for (let i = 0; i < n; i++) {
      const ps = p.state[i]!;
      const ws = w.state[i]!;
      if (ps === OK && ws === OK) {
        const wv = w.num[i]!;
        if (wv === 0) col.state[i] = BAD;
        else {
          col.state[i] = OK;
          col.num[i] = (p.num[i]! * 100) / wv;
        }
      } else if (ps === BAD || ps === BLANK) col.state[i] = ps;
      else if (ws === BAD || ws === BLANK) col.state[i] = ws;
      else col.state[i] = UNMAPPED;
    }
    return col;
  }
}

/** Per-row outcome details the points need, written by a check into its slot. */
interface Scratch {
  missed: Float64Array;
  shortfall: Float64Array;
  judgement: (Judgement | undefined)[];
}

/** A compiled check: row → status code, details written to `slot`. */
type Decide = (i: number, slot: number) => number;

function unavailableCode(state: number): number {
  return state === BAD ? INVALID : MISSING;
}

function cmp(a: number, op: Comparator, b: number): boolean {
  return op === '>=' ? a >= b : op === '>' ? a > b : op === '<=' ? a <= b : a < b;
}

function compileCheck(check: Check, cols: Columns, engine: Engine, period: Period, s: Scratch, overrideThreshold: number | undefined): Decide {
  const threshold = (input: string, op: Comparator, value: number): Decide => {
    const c = cols.get(input);
    return (i, slot) => {
      const st = c.state[i]!;
      if (st !== OK) return unavailableCode(st);
      const v = c.num[i]!;
      const ok = cmp(v, op, value);
      s.shortfall[slot] = ok ? 0 : Math.abs(value - v);
      return ok ? PASS : FAIL;
    };
  };
  switch (check.kind) {
    case 'threshold':
      if (check.per && expectedEvents(1, check.per, period) === undefined) return () => SKIP;
      return threshold(check.input, check.op, overrideThreshold ?? check.value);
    case 'param': {
      const v = engine.params[check.param];
      if (v === undefined) return () => MANUAL;
      return threshold(check.input, check.op, overrideThreshold ?? v);
    }
    case 'range': {
      const c = cols.get(check.input);
      const { min, max } = check;
      return (i, slot) => {
        const st = c.state[i]!;
        if (st !== OK) return unavailableCode(st);
        const v = c.num[i]!;
        const ok = v >= min && v <= max;
        s.shortfall[slot] = ok ? 0 : v < min ? min - v : v - max;
        return ok ? PASS : FAIL;
      };
    }
    case 'frequency': {
      const base = expectedEvents(check.times, check.per, period);
      if (base === undefined) return () => SKIP;
      const c = cols.get(check.input);
      const scale = check.scaleBy !== undefined ? cols.get(check.scaleBy) : undefined;
      return (i, slot) => {
        let expected = base;
        if (scale) {
          const ss = scale.state[i]!;
          if (ss !== OK) return unavailableCode(ss);
          expected = base * scale.num[i]!;
        }
        const st = c.state[i]!;
        if (st !== OK) return unavailableCode(st);
        const v = c.num[i]!;
        const ok = v >= expected;
        s.missed[slot] = ok ? 0 : expected - v;
        return ok ? PASS : FAIL;
      };
    }
    case 'ratio': {
      const a = cols.get(check.numerator);
      const b = cols.get(check.denominator);
      const { op } = check;
      const value = overrideThreshold ?? check.value;
      return (i) => {
        const as = a.state[i]!;
        if (as !== OK) return unavailableCode(as);
        const bs = b.state[i]!;
        if (bs !== OK) return unavailableCode(bs);
        const bv = b.num[i]!;
        if (bv === 0) return SKIP;
        return cmp(a.num[i]!, op, value * bv) ? PASS : FAIL;
      };
    }
    case 'flag': {
      const c = cols.get(check.input);
      const want = check.expect ? 1 : 0;
      return (i) => {
        const st = c.state[i]!;
        if (st !== OK) return unavailableCode(st);
        return c.num[i] === want ? PASS : FAIL;
      };
    }
    case 'judgement': {
      const c = cols.get(check.input);
      return (i, slot) => {
        const st = c.state[i]!;
        if (st === UNMAPPED || st === BLANK) return MANUAL;
        if (st === BAD) return INVALID;
        const j = c.obj[i] as Judgement;
        s.judgement[slot] = j;
        switch (j.kind) {
          case 'bool':
            return j.value ? PASS : FAIL;
          case 'grade':
            return j.grade === '差' ? FAIL : PASS;
          case 'findings':
            return j.count === 0 ? PASS : FAIL;
        }
      };
    }
    case 'term': {
      const c = cols.get(check.input);
      const endIndex = period.year * 12 + (period.endMonth - 1);
      const shift = check.years * 12;
      return (i) => {
        const st = c.state[i]!;
        if (st !== OK) return unavailableCode(st);
        return endIndex <= c.num[i]! + shift ? PASS : FAIL;
      };
    }
  }
}

/** Applicability of an article or requirement: -1 applies, SKIP, or MISSING (cannot tell). */
function compileApplies(appliesTo: AppliesTo | undefined, cols: Columns): ((i: number) => number) | undefined {
  if (!appliesTo) return undefined;
  const parts: ((i: number) => number)[] = [];
  if (appliesTo.org) {
    const c = cols.get('orgType');
    const orgs = appliesTo.org as readonly string[];
    parts.push((i) => (c.state[i] !== OK ? MISSING : orgs.includes(c.obj[i] as string) ? -1 : SKIP));
  }
  if (appliesTo.unit) {
    const c = cols.get('unitType');
    const units = appliesTo.unit as readonly string[];
    parts.push((i) => (units.includes(c.state[i] === OK ? (c.obj[i] as string) : '村') ? -1 : SKIP));
  }
  if (appliesTo.when) {
    const conds = appliesTo.when.anyOf.map((cond) => ({ c: cols.get(cond.input), want: cond.equals ? 1 : 0 }));
    parts.push((i) => {
      let unknown = false;
      for (const { c, want } of conds) {
        if (c.state[i] === OK) {
          if (c.num[i] === want) return -1;
        } else unknown = true;
      }
      return unknown ? MISSING : SKIP;
    });
  }
  return (i) => {
    for (const p of parts) {
      const r = p(i);
      if (r !== -1) return r;
    }
    return -1;
  };
}

interface CompiledRequirement {
  decide: (i: number, slot: number) => number;
  standard: 'basic' | 'demo';
}

function compileRequirements(engine: Engine, period: Period, cols: Columns, mapped: ReadonlySet<string>, s: Scratch, altSlot: number): CompiledRequirement[] {
  const out: CompiledRequirement[] = [];
  for (const article of engine.rulebook.articles) {
    const articleApplies = compileApplies(article.appliesTo, cols);
    for (const req of article.requirements) {
      const reqApplies = compileApplies(req.appliesTo, cols);
      const main = compileCheck(req.check, cols, engine, period, s, engine.overrides.get(req.id)?.threshold);
      // The alternative counts only when its columns are on the sheet (or derivable), as in evaluate.ts.
      const alt =
        req.alt && checkInputs(req.alt).every((id) => mapped.has(id) || engine.inputs.get(id)?.derive)
          ? compileCheck(req.alt, cols, engine, period, s, undefined)
          : undefined;
      const decide = (i: number, slot: number): number => {
        if (articleApplies) {
          const a = articleApplies(i);
          if (a !== -1) return a;
        }
        if (reqApplies) {
          const a = reqApplies(i);
          if (a !== -1) return a;
        }
        s.missed[slot] = Number.NaN;
        s.shortfall[slot] = Number.NaN;
        s.judgement[slot] = undefined;
        const m = main(i, slot);
        if (m === SKIP || m === PASS || !alt) return m;
        s.missed[altSlot] = Number.NaN;
        s.shortfall[altSlot] = Number.NaN;
        s.judgement[altSlot] = undefined;
        const a = alt(i, altSlot);
        if (a === SKIP) return m;
        if (a === PASS) {
          // The alternative's outcome replaces the main one.
          s.missed[slot] = s.missed[altSlot]!;
          s.shortfall[slot] = s.shortfall[altSlot]!;
          s.judgement[slot] = s.judgement[altSlot];
          return PASS;
        }
        if (m === FAIL && a === MANUAL) return MANUAL;
        return m;
      };
      out.push({ decide, standard: article.standard });
    }
  }
  return out;
}

const toCents = (p: number): number => Math.round(p * 100);
const GRADE_DEFAULT: Record<string, number> = { 好: 1, 较好: 0.8, 一般: 0.6, 差: 0 };

interface CompiledItem {
  slots: number[];
  pointsC: number;
  item: CountyItem;
  style: NonNullable<CountyItem['style']>;
}

function isUnresolved(code: number): boolean {
  return code === MISSING || code === INVALID || code === MANUAL;
}

/** Points one item earns, in cents (the rules of points.ts itemScore), written into `out` (reused: no allocation per row). */
function itemCents(ci: CompiledItem, st: Uint8Array, base: number, s: Scratch, notApplicableFull: boolean, out: { earned: number; counted: boolean }): void {
  const { pointsC, slots } = ci;
  let judged = 0;
  let notPassed = 0;
  let unresolved = 0;
  for (const k of slots) {
    const c = st[base + k]!;
    if (c === SKIP) continue;
    judged++;
    if (c !== PASS) notPassed++;
    if (isUnresolved(c)) unresolved++;
  }
  if (judged === 0) {
    out.earned = notApplicableFull ? pointsC : 0;
    out.counted = notApplicableFull;
    return;
  }
  const earned = raw(ci, st, base, s, judged, notPassed, unresolved);
  out.earned = Math.min((ci.item.floorAtZero ?? true) ? Math.max(0, earned) : earned, pointsC);
  out.counted = true;
}

/** An item's points before the floor and the cap. */
function raw(ci: CompiledItem, st: Uint8Array, base: number, s: Scratch, judged: number, notPassed: number, unresolved: number): number {
  const { item, pointsC, slots } = ci;
  switch (ci.style) {
    case 'allOrNothing':
      return notPassed === 0 ? pointsC : 0;
    case 'perRequirement':
      if (item.per !== undefined) return pointsC - notPassed * toCents(item.per);
      return Math.floor((pointsC * (judged - notPassed)) / judged);
    case 'perMissedEvent': {
      if (unresolved) return 0;
      let missed = 0;
      for (const k of slots) if (st[base + k] !== SKIP) missed += Number.isNaN(s.missed[k]!) ? 0 : s.missed[k]!;
      return pointsC - Math.round(missed * toCents(item.per ?? 0));
    }
    case 'perShortfallUnit': {
      if (unresolved) return 0;
      let units = 0;
      for (const k of slots) {
        if (st[base + k] === SKIP) continue;
        const sf = Number.isNaN(s.shortfall[k]!) ? 0 : s.shortfall[k]!;
        units += Math.ceil(sf / (item.unit ?? 1) - 1e-9);
      }
      return pointsC - units * toCents(item.per ?? 0);
    }
    case 'perFinding': {
      if (unresolved) return 0;
      let d = 0;
      for (const k of slots) {
        const c = st[base + k]!;
        if (c === SKIP) continue;
        const j = s.judgement[k];
        if (j?.kind === 'findings') d += j.count * toCents(item.per ?? 0);
        else if (c !== PASS) d += pointsC;
      }
      return pointsC - d;
    }
    case 'graded': {
      if (unresolved) return 0;
      const grades = (item.grades ?? GRADE_DEFAULT) as Record<string, number>;
      let sum = 0;
      for (const k of slots) {
        const c = st[base + k]!;
        if (c === SKIP) continue;
        const j = s.judgement[k];
        const f = j?.kind === 'grade' ? grades[j.grade]! : c === PASS ? 1 : 0;
        sum += Math.floor((pointsC * Math.round(f * 10000)) / 10000 / judged);
      }
      return sum;
    }
  }
}

/** Every input the rulebook reads: checks, alternatives, per-member scales, applicability and bonus items. */
function neededInputs(engine: Engine): string[] {
  const ids = new Set<string>(['orgType']);
  const applies = (a: AppliesTo | undefined) => {
    if (a?.org) ids.add('orgType');
    if (a?.unit) ids.add('unitType');
    for (const c of a?.when?.anyOf ?? []) ids.add(c.input);
  };
  const check = (c: Check | undefined) => {
    if (!c) return;
    for (const id of checkInputs(c)) ids.add(id);
    if (c.kind === 'frequency' && c.scaleBy !== undefined) ids.add(c.scaleBy);
  };
  for (const a of engine.rulebook.articles) {
    applies(a.appliesTo);
    for (const r of a.requirements) {
      applies(r.appliesTo);
      check(r.check);
      check(r.alt);
    }
  }
  for (const b of engine.county?.bonus ?? []) ids.add(b.input);
  return [...ids];
}

/** Score every row of a sheet: statuses, totals, levels, veto and stars, without explanations. */
export function scoreSheetCompact(engine: Engine, sheet: SheetRows): CompactScores {
  const { ctx: columnCtx, columns } = columnContexts(engine, sheet);
  const mapped = new Set(columns.map((c) => c.input).filter((x): x is string => !!x));
  const cols = new Columns(engine, sheet, mapped, columnCtx);
  cols.load(neededInputs(engine));
  const R = engine.rulebook.articles.reduce((n, a) => n + a.requirements.length, 0);
  const scratch: Scratch = { missed: new Float64Array(R + 1), shortfall: new Float64Array(R + 1), judgement: new Array(R + 1) };
  const reqs = compileRequirements(engine, sheet.period, cols, mapped, scratch, R);
  const requirementIds = engine.rulebook.articles.flatMap((a) => a.requirements.map((r) => r.id));
  const slotOf = new Map(requirementIds.map((id, k) => [id, k]));
  const standards = reqs.map((r) => r.standard);

  const county = engine.county;
  const items: CompiledItem[] = (county?.scoring.items ?? []).map((item) => {
    const ids = engine.refs.get(item.ref)?.requirementIds ?? [];
    return { item, slots: ids.map((id) => slotOf.get(id)!), pointsC: toCents(item.points), style: item.style ?? (ids.length === 1 ? 'allOrNothing' : 'perRequirement') };
  });
  const veto = (county?.veto ?? []).map((vt) => (engine.refs.get(vt.ref)?.requirementIds ?? []).map((id) => slotOf.get(id)!));
  const bonus = (county?.bonus ?? []).map((b) => ({ col: cols.get(b.input), perC: toCents(b.pointsPerUnit), maxC: toCents(b.max) }));
  const levelNames: string[] = [];
  const levelIndex = (name: string): number => {
    let k = levelNames.indexOf(name);
    if (k < 0) k = levelNames.push(name) - 1;
    return k;
  };
  const notApplicableFull = (county?.scoring.notApplicable ?? 'full') === 'full';
  const item = { earned: 0, counted: false };

  const n = sheet.rows.length;
  const status = new Uint8Array(n * R);
  const totalCents = new Int32Array(n);
  const maxCents = new Int32Array(n);
  const level = new Uint8Array(n);
  const vetoed = new Uint8Array(n);
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    rows[i] = sheet.rows[i]!.row;
    const base = i * R;
    let basicPass = 0;
    let basicFail = 0;
    let basicOpen = 0;
    let basicNotPass = 0;
    let demoAll = 0;
    let demoPass = 0;
    for (let r = 0; r < R; r++) {
      const c = reqs[r]!.decide(i, r);
      status[base + r] = c;
      if (c === SKIP) continue;
      if (standards[r] === 'basic') {
        if (c === PASS) basicPass++;
        else {
          basicNotPass++;
          if (c === FAIL) basicFail++;
          else basicOpen++;
        }
      } else {
        demoAll++;
        if (c === PASS) demoPass++;
      }
    }
    // The standards' own levels (as points.ts defaultLevel).
    const defaultLevel = basicFail > 0 ? '未达标' : basicOpen > 0 ? '待定' : demoAll > 0 && demoPass === demoAll ? '示范' : '达标';
    if (!county) {
      const judged = basicPass + basicFail;
      totalCents[i] = judged === 0 ? 0 : Math.floor((basicPass * 10000) / judged);
      maxCents[i] = 10000;
      level[i] = levelIndex(defaultLevel);
      continue;
    }
    let total = 0;
    let max = 0;
    for (const ci of items) {
      itemCents(ci, status, base, scratch, notApplicableFull, item);
      total += item.earned;
      if (item.counted) max += ci.pointsC;
    }
    for (const b of bonus) {
      if (b.col.state[i] !== OK) continue;
      const units = b.col.numeric && b.col.kind !== 'date' ? b.col.num[i]! : 0;
      const c = Math.min(Math.round(units * b.perC), b.maxC);
      if (c > 0) total += c;
    }
    let isVetoed = false;
    for (const slots of veto) for (const k of slots) if (status[base + k] === FAIL) isVetoed = true;
    totalCents[i] = total;
    maxCents[i] = max;
    vetoed[i] = isVetoed ? 1 : 0;
    const levels = county.levels;
    if (!levels) {
      level[i] = levelIndex(defaultLevel);
      continue;
    }
    const last = levels[levels.length - 1]!;
    let name = last.name;
    if (!isVetoed) {
      const basicAll = basicNotPass === 0;
      const demoAllPass = demoAll === demoPass;
      for (const l of levels) {
        if (total < toCents(l.min)) continue;
        const unmet = (l.requires ?? []).some((q) => (q === 'basicAllPass' ? !basicAll : q === 'demoAllPass' ? !demoAllPass : false));
        if (unmet) continue;
        name = l.name;
        break;
      }
    }
    level[i] = levelIndex(name);
  }
  const out: CompactScores = { rowCount: n, rows, requirementIds, standards, status, totalCents, maxCents, level, levelNames, vetoed };
  const bands = county?.stars?.bands;
  if (bands?.length) {
    // A vetoed village is not rated; quotas are still shares of the whole cohort (as in sheet.ts).
    const rated: { id: string; total: number }[] = [];
    for (let i = 0; i < n; i++) if (!vetoed[i]) rated.push({ id: String(rows[i]), total: totalCents[i]! / 100 });
    const got = assignStars(rated, bands, n);
    const stars = new Uint8Array(n);
    for (let i = 0; i < n; i++) stars[i] = got.get(String(rows[i]))?.stars ?? 0;
    out.stars = stars;
  }
  return out;
}
