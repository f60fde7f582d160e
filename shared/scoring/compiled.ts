// The decision engine: every requirement's status, every village's points, level, veto and stars for a whole
// sheet, without the Chinese explanations. It is the fast path for ranking and summarising many rows
// (a province holds ~45,000 villages); the explaining engine (evaluate.ts, points.ts) gives the sentences
// for any one village on demand. Both implement the same rules and test/scoring/compiled.test.ts checks that
// they agree on every status, total, level, veto and star for generated and mutated sheets.
//
// Why it is fast (measured in bench/, see bench/README.md): it works a column at a time, as a column store does.
// - Input arrives column by column (SheetColumns): no record per row, no key lookup per cell.
// - Each column is parsed once per distinct cell value (officers' columns repeat 是/否, small counts and the same
//   few texts) into typed arrays.
// - Each requirement is decided for all rows in one loop over those arrays, into its own status column; each
//   county item is then scored in one loop over its requirements' status columns. Nothing is allocated per
//   row except the stars' ranking.
import type { AppliesTo, Check, Comparator, InputDef, Judgement, Period, RawCell, Status } from '../types.ts';
import type { CountyItem } from '../rulebook/county.ts';
import { blankMarker, parseByKind } from '../values/index.ts';
import { isBlankValue } from '../values/blank.ts';
import type { Engine } from './evaluate.ts';
import { checkInputs } from './evaluate.ts';
import { UnknownInputError, type ColumnContext } from './inputs.ts';
import { expectedEvents } from './period.ts';
import { columnContexts, columnsOfRows, type SheetColumns, type SheetRows } from './sheet.ts';
import type { CellColumn } from '../sheet/columns.ts';

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
  /** Requirement ids in rulebook order. */
  requirementIds: readonly string[];
  /** The standard of each requirement (same order). */
  standards: readonly ('basic' | 'demo')[];
  /** Column-major: `status[r * rowCount + i]` is row i's status for requirement r (see `statusAt`). */
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

/** Row i's status code for requirement r. */
export function statusAt(s: CompactScores, i: number, r: number): number {
  return s.status[r * s.rowCount + i]!;
}

// Input read states, as in inputs.ts.
const UNMAPPED = 0;
const BLANK = 1;
const BAD = 2;
const OK = 3;
/** A blank cell of a percent column that may be derived from its two counts (resolved in Columns.load). */
const BLANK_DERIVABLE = 4;

/** One input's column, dictionary-encoded like its cells (shared/sheet/columns.ts): row i reads entry `codes[i]`.
 * Per entry: the read state, and the value as a number (count, quantity, percent, bool as 1/0, date as
 * year × 12 + month − 1) or, for the kinds that are not numbers (judgement, texts), as an object. */
interface Column {
  codes: Int32Array;
  state: Uint8Array;
  num: Float64Array;
  /** Empty for numeric kinds (count, quantities, percent, bool, date). */
  obj: unknown[];
  /** The value is held in `num` (not in `obj`). */
  numeric: boolean;
  kind: InputDef['kind'];
}

const OBJECT_KINDS: ReadonlySet<InputDef['kind']> = new Set(['judgement', 'code', 'orgType', 'unitType', 'text']);

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

class Columns {
  private readonly built = new Map<string, Column>();
  /** Every row reads entry 0 (a column not on the sheet). */
  private zeros: Int32Array | undefined;
  /** Row i reads entry i (a derived column). */
  private identity: Int32Array | undefined;
  constructor(
    private readonly engine: Engine,
    private readonly cells: ReadonlyMap<string, CellColumn>,
    private readonly n: number,
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

  /** Read the columns of these inputs, and of the counts their percents derive from: each distinct cell once. */
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
    for (const id of want) {
      const def = this.engine.inputs.get(id)!;
      const numeric = !OBJECT_KINDS.has(def.kind);
      const cc = this.mapped.has(id) ? this.cells.get(id) : undefined;
      // BLANK for now; a blank percent cell may still be derived from its two counts (below).
      const blank = def.derive ? BLANK_DERIVABLE : BLANK;
      if (!cc) {
        const state = Uint8Array.of(this.mapped.has(id) ? blank : UNMAPPED);
        this.built.set(id, { codes: (this.zeros ??= new Int32Array(this.n)), state, num: new Float64Array(1), obj: [undefined], numeric, kind: def.kind });
        continue;
      }
      const ctx = this.columnCtx.get(id) ?? {};
      const d = cc.dict.length;
      const state = new Uint8Array(d);
      const num = new Float64Array(d);
      const obj = new Array<unknown>(d).fill(undefined);
      for (let k = 0; k < d; k++) {
        const cell = cc.dict[k];
        if (cell === undefined || isBlankValue(cell.value)) {
          state[k] = blank;
          continue;
        }
        const p = readCell(def, cell, ctx);
        state[k] = p.state;
        num[k] = p.num;
        obj[k] = p.obj;
      }
      this.built.set(id, { codes: cc.codes, state, num, obj, numeric, kind: def.kind });
    }
    // Percents from their counts, after the counts are read (derive inputs are not themselves derived): these
    // columns are held per row.
    for (const id of want) {
      const def = this.engine.inputs.get(id)!;
      if (!def.derive) continue;
      const own = this.built.get(id)!;
      const isMapped = this.mapped.has(id);
      const n = this.n;
      const col: Column = { codes: this.identityCodes(), state: new Uint8Array(n), num: new Float64Array(n), obj: [], numeric: true, kind: def.kind };
      const p = this.built.get(def.derive.part)!;
      const w = this.built.get(def.derive.whole)!;
      for (let i = 0; i < n; i++) {
        const e = own.codes[i]!;
        const s = own.state[e]!;
        if (isMapped && s !== BLANK_DERIVABLE) {
          col.state[i] = s;
          col.num[i] = own.num[e]!;
          continue;
        }
        // part × 100 ÷ whole; the first problem among the two counts otherwise.
        const ps = p.state[p.codes[i]!]!;
        const ws = w.state[w.codes[i]!]!;
        let ds: number;
        if (ps === OK && ws === OK) {
          const wv = w.num[w.codes[i]!]!;
          if (wv === 0) ds = BAD;
          else {
            ds = OK;
            col.num[i] = (p.num[p.codes[i]!]! * 100) / wv;
          }
        } else if (ps === BAD || ps === BLANK) ds = ps;
        else if (ws === BAD || ws === BLANK) ds = ws;
        else ds = UNMAPPED;
        col.state[i] = ds === OK ? OK : isMapped ? BLANK : ds;
      }
      this.built.set(id, col);
    }
  }

  private identityCodes(): Int32Array {
    if (!this.identity) {
      this.identity = new Int32Array(this.n);
      for (let i = 0; i < this.n; i++) this.identity[i] = i;
    }
    return this.identity;
  }
}

/** One requirement's outcome for every row: its status column and the details its county item reads
 * (allocated only when an item reads them; 0 where a check does not set them). */
interface Outcome {
  st: Uint8Array;
  /** Events missed by a frequency check. */
  missed?: Float64Array;
  /** How far a threshold or range check fell short. */
  shortfall?: Float64Array;
  /** The judgement read by a judgement check. */
  judgement?: (Judgement | undefined)[];
}

type Needs = { missed: boolean; shortfall: boolean; judgement: boolean };

function newOutcome(st: Uint8Array, n: number, needs: Needs): Outcome {
  return {
    st,
    ...(needs.missed ? { missed: new Float64Array(n) } : {}),
    ...(needs.shortfall ? { shortfall: new Float64Array(n) } : {}),
    ...(needs.judgement ? { judgement: new Array<Judgement | undefined>(n).fill(undefined) } : {}),
  };
}

function unavailableCode(state: number): number {
  return state === BAD ? INVALID : MISSING;
}

function cmp(a: number, op: Comparator, b: number): boolean {
  return op === '>=' ? a >= b : op === '>' ? a > b : op === '<=' ? a <= b : a < b;
}

/** Decide one check for every row, into `o`. */
function runCheck(check: Check, cols: Columns, engine: Engine, period: Period, n: number, o: Outcome, overrideThreshold: number | undefined): void {
  const st = o.st;
  const threshold = (input: string, op: Comparator, value: number): void => {
    const { codes, state, num } = cols.get(input);
    const sf = o.shortfall;
    for (let i = 0; i < n; i++) {
      const e = codes[i]!;
      const s = state[e]!;
      if (s !== OK) {
        st[i] = unavailableCode(s);
        continue;
      }
      const v = num[e]!;
      const ok = cmp(v, op, value);
      if (sf && !ok) sf[i] = Math.abs(value - v);
      st[i] = ok ? PASS : FAIL;
    }
  };
  switch (check.kind) {
    case 'threshold':
      if (check.per && expectedEvents(1, check.per, period) === undefined) return void st.fill(SKIP);
      return threshold(check.input, check.op, overrideThreshold ?? check.value);
    case 'param': {
      const v = engine.params[check.param];
      if (v === undefined) return void st.fill(MANUAL);
      return threshold(check.input, check.op, overrideThreshold ?? v);
    }
    case 'range': {
      const { codes, state, num } = cols.get(check.input);
      const { min, max } = check;
      const sf = o.shortfall;
      for (let i = 0; i < n; i++) {
        const e = codes[i]!;
        const s = state[e]!;
        if (s !== OK) {
          st[i] = unavailableCode(s);
          continue;
        }
        const v = num[e]!;
        const ok = v >= min && v <= max;
        if (sf && !ok) sf[i] = v < min ? min - v : v - max;
        st[i] = ok ? PASS : FAIL;
      }
      return;
    }
    case 'frequency': {
      const base = expectedEvents(check.times, check.per, period);
      if (base === undefined) return void st.fill(SKIP);
      const { codes, state, num } = cols.get(check.input);
      const scale = check.scaleBy !== undefined ? cols.get(check.scaleBy) : undefined;
      const missed = o.missed;
      for (let i = 0; i < n; i++) {
        let expected = base;
        if (scale) {
          const se = scale.codes[i]!;
          const ss = scale.state[se]!;
          if (ss !== OK) {
            st[i] = unavailableCode(ss);
            continue;
          }
          expected = base * scale.num[se]!;
        }
        const e = codes[i]!;
        const s = state[e]!;
        if (s !== OK) {
          st[i] = unavailableCode(s);
          continue;
        }
        const v = num[e]!;
        const ok = v >= expected;
        if (missed && !ok) missed[i] = expected - v;
        st[i] = ok ? PASS : FAIL;
      }
      return;
    }
    case 'ratio': {
      const a = cols.get(check.numerator);
      const b = cols.get(check.denominator);
      const { op } = check;
      const value = overrideThreshold ?? check.value;
      for (let i = 0; i < n; i++) {
        const ae = a.codes[i]!;
        const as = a.state[ae]!;
        if (as !== OK) {
          st[i] = unavailableCode(as);
          continue;
        }
        const be = b.codes[i]!;
        const bs = b.state[be]!;
        if (bs !== OK) {
          st[i] = unavailableCode(bs);
          continue;
        }
        const bv = b.num[be]!;
        st[i] = bv === 0 ? SKIP : cmp(a.num[ae]!, op, value * bv) ? PASS : FAIL;
      }
      return;
    }
    case 'flag': {
      const { codes, state, num } = cols.get(check.input);
      const want = check.expect ? 1 : 0;
      for (let i = 0; i < n; i++) {
        const e = codes[i]!;
        const s = state[e]!;
        st[i] = s !== OK ? unavailableCode(s) : num[e] === want ? PASS : FAIL;
      }
      return;
    }
    case 'judgement': {
      const { codes, state, obj } = cols.get(check.input);
      const js = o.judgement;
      for (let i = 0; i < n; i++) {
        const e = codes[i]!;
        const s = state[e]!;
        if (s === UNMAPPED || s === BLANK) {
          st[i] = MANUAL;
          continue;
        }
        if (s === BAD) {
          st[i] = INVALID;
          continue;
        }
        const j = obj[e] as Judgement;
        if (js) js[i] = j;
        st[i] = j.kind === 'bool' ? (j.value ? PASS : FAIL) : j.kind === 'grade' ? (j.grade === '差' ? FAIL : PASS) : j.count === 0 ? PASS : FAIL;
      }
      return;
    }
    case 'term': {
      const { codes, state, num } = cols.get(check.input);
      const endIndex = period.year * 12 + (period.endMonth - 1);
      const shift = check.years * 12;
      for (let i = 0; i < n; i++) {
        const e = codes[i]!;
        const s = state[e]!;
        st[i] = s !== OK ? unavailableCode(s) : endIndex <= num[e]! + shift ? PASS : FAIL;
      }
      return;
    }
  }
}

/** Applicability of an article or requirement for every row: -1 applies, SKIP, or MISSING (cannot tell);
 * undefined when it applies everywhere. */
function appliesColumn(appliesTo: AppliesTo | undefined, cols: Columns, n: number): Int8Array | undefined {
  if (!appliesTo) return undefined;
  const out = new Int8Array(n).fill(-1);
  // The first condition that does not hold decides, in the order org, unit, when (as evaluate.ts).
  const settle = (i: number, r: number): void => {
    if (out[i] === -1) out[i] = r;
  };
  if (appliesTo.org) {
    const c = cols.get('orgType');
    const orgs = appliesTo.org as readonly string[];
    for (let i = 0; i < n; i++) {
      const e = c.codes[i]!;
      if (c.state[e] !== OK) settle(i, MISSING);
      else if (!orgs.includes(c.obj[e] as string)) settle(i, SKIP);
    }
  }
  if (appliesTo.unit) {
    const c = cols.get('unitType');
    const units = appliesTo.unit as readonly string[];
    for (let i = 0; i < n; i++) {
      const e = c.codes[i]!;
      if (!units.includes(c.state[e] === OK ? (c.obj[e] as string) : '村')) settle(i, SKIP);
    }
  }
  if (appliesTo.when) {
    const conds = appliesTo.when.anyOf.map((cond) => ({ c: cols.get(cond.input), want: cond.equals ? 1 : 0 }));
    for (let i = 0; i < n; i++) {
      let unknown = false;
      let holds = false;
      for (const { c, want } of conds) {
        const e = c.codes[i]!;
        if (c.state[e] === OK) {
          if (c.num[e] === want) {
            holds = true;
            break;
          }
        } else unknown = true;
      }
      if (!holds) settle(i, unknown ? MISSING : SKIP);
    }
  }
  return out;
}

/** Decide every requirement for every row: `status` column-major, one Outcome per requirement. */
function decideAll(engine: Engine, period: Period, cols: Columns, mapped: ReadonlySet<string>, n: number, status: Uint8Array, needs: readonly Needs[]): Outcome[] {
  const out: Outcome[] = [];
  let r = 0;
  for (const article of engine.rulebook.articles) {
    const articleApplies = appliesColumn(article.appliesTo, cols, n);
    for (const req of article.requirements) {
      const o = newOutcome(status.subarray(r * n, (r + 1) * n), n, needs[r]!);
      runCheck(req.check, cols, engine, period, n, o, engine.overrides.get(req.id)?.threshold);
      // The alternative counts only when its columns are on the sheet (or derivable), as in evaluate.ts.
      if (req.alt && checkInputs(req.alt).every((id) => mapped.has(id) || engine.inputs.get(id)?.derive)) {
        const a = newOutcome(new Uint8Array(n), n, needs[r]!);
        runCheck(req.alt, cols, engine, period, n, a, undefined);
        combineAlternative(o, a, n);
      }
      const reqApplies = appliesColumn(req.appliesTo, cols, n);
      if (articleApplies || reqApplies) {
        // An article that does not apply decides before the requirement's own condition (as evaluate.ts).
        const st = o.st;
        for (let i = 0; i < n; i++) {
          const a = articleApplies ? articleApplies[i]! : -1;
          const x = a !== -1 ? a : reqApplies ? reqApplies[i]! : -1;
          if (x !== -1) st[i] = x;
        }
      }
      out.push(o);
      r++;
    }
  }
  return out;
}

/** Where the main check neither passed nor was skipped, a passing alternative replaces it (details included);
 * a failed main check with an alternative that awaits observation awaits observation. */
function combineAlternative(o: Outcome, a: Outcome, n: number): void {
  const { st } = o;
  for (let i = 0; i < n; i++) {
    const m = st[i]!;
    if (m === SKIP || m === PASS) continue;
    const x = a.st[i]!;
    if (x === PASS) {
      st[i] = PASS;
      if (o.missed) o.missed[i] = a.missed![i]!;
      if (o.shortfall) o.shortfall[i] = a.shortfall![i]!;
      if (o.judgement) o.judgement[i] = a.judgement![i];
    } else if (x === MANUAL && m === FAIL) st[i] = MANUAL;
  }
}

const toCents = (p: number): number => Math.round(p * 100);
const GRADE_DEFAULT: Record<string, number> = { 好: 1, 较好: 0.8, 一般: 0.6, 差: 0 };

interface CompiledItem {
  outcomes: Outcome[];
  pointsC: number;
  item: CountyItem;
  style: NonNullable<CountyItem['style']>;
}

function isUnresolved(code: number): boolean {
  return code === MISSING || code === INVALID || code === MANUAL;
}

/** Add one item's points (the rules of points.ts itemScore), in cents, to every row's total and maximum. */
function addItem(ci: CompiledItem, n: number, notApplicableFull: boolean, total: Int32Array, max: Int32Array): void {
  const { pointsC, outcomes } = ci;
  const floor = ci.item.floorAtZero ?? true;
  for (let i = 0; i < n; i++) {
    let judged = 0;
    let notPassed = 0;
    let unresolved = 0;
    for (const o of outcomes) {
      const c = o.st[i]!;
      if (c === SKIP) continue;
      judged++;
      if (c !== PASS) notPassed++;
      if (isUnresolved(c)) unresolved++;
    }
    if (judged === 0) {
      if (notApplicableFull) {
        total[i]! += pointsC;
        max[i]! += pointsC;
      }
      continue;
    }
    const earned = raw(ci, i, judged, notPassed, unresolved);
    total[i]! += Math.min(floor ? Math.max(0, earned) : earned, pointsC);
    max[i]! += pointsC;
  }
}

/** An item's points for row i before the floor and the cap. */
function raw(ci: CompiledItem, i: number, judged: number, notPassed: number, unresolved: number): number {
  const { item, pointsC, outcomes } = ci;
  switch (ci.style) {
    case 'allOrNothing':
      return notPassed === 0 ? pointsC : 0;
    case 'perRequirement':
      if (item.per !== undefined) return pointsC - notPassed * toCents(item.per);
      return Math.floor((pointsC * (judged - notPassed)) / judged);
    case 'perMissedEvent': {
      if (unresolved) return 0;
      let missed = 0;
      for (const o of outcomes) if (o.st[i] !== SKIP) missed += o.missed![i]!;
      return pointsC - Math.round(missed * toCents(item.per ?? 0));
    }
    case 'perShortfallUnit': {
      if (unresolved) return 0;
      let units = 0;
      for (const o of outcomes) if (o.st[i] !== SKIP) units += Math.ceil(o.shortfall![i]! / (item.unit ?? 1) - 1e-9);
      return pointsC - units * toCents(item.per ?? 0);
    }
    case 'perFinding': {
      if (unresolved) return 0;
      let d = 0;
      for (const o of outcomes) {
        const c = o.st[i]!;
        if (c === SKIP) continue;
        const j = o.judgement![i];
        if (j?.kind === 'findings') d += j.count * toCents(item.per ?? 0);
        else if (c !== PASS) d += pointsC;
      }
      return pointsC - d;
    }
    case 'graded': {
      if (unresolved) return 0;
      const grades = (item.grades ?? GRADE_DEFAULT) as Record<string, number>;
      let sum = 0;
      for (const o of outcomes) {
        const c = o.st[i]!;
        if (c === SKIP) continue;
        const j = o.judgement![i];
        const f = j?.kind === 'grade' ? grades[j.grade]! : c === PASS ? 1 : 0;
        sum += Math.floor((pointsC * Math.round(f * 10000)) / 10000 / judged);
      }
      return sum;
    }
  }
}

/** Which details each requirement's county items read. */
function detailNeeds(engine: Engine, slotOf: ReadonlyMap<string, number>, R: number): Needs[] {
  const needs = Array.from({ length: R }, () => ({ missed: false, shortfall: false, judgement: false }));
  for (const item of engine.county?.scoring.items ?? []) {
    const ids = engine.refs.get(item.ref)?.requirementIds ?? [];
    const style = item.style ?? (ids.length === 1 ? 'allOrNothing' : 'perRequirement');
    for (const id of ids) {
      const nd = needs[slotOf.get(id)!]!;
      if (style === 'perMissedEvent') nd.missed = true;
      if (style === 'perShortfallUnit') nd.shortfall = true;
      if (style === 'perFinding' || style === 'graded') nd.judgement = true;
    }
  }
  return needs;
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

/** Score every row of a sheet: statuses, totals, levels, veto and stars, without explanations. Takes the rows
 * column by column (SheetColumns, as extractColumns reads them); records (SheetRows) are turned into columns first. */
export function scoreSheetCompact(engine: Engine, input: SheetColumns | SheetRows): CompactScores {
  const sheet = 'rows' in input ? columnsOfRows(input) : input;
  const n = sheet.rowNumbers.length;
  // Whether a percent column holds fractions depends only on which cells occur: its dictionary tells.
  const { ctx: columnCtx, columns } = columnContexts(engine, sheet.columns, (id) => sheet.cells.get(id)?.dict ?? []);
  const mapped = new Set(columns.map((c) => c.input).filter((x): x is string => !!x));
  const cols = new Columns(engine, sheet.cells, n, mapped, columnCtx);
  cols.load(neededInputs(engine));
  const requirementIds = engine.rulebook.articles.flatMap((a) => a.requirements.map((r) => r.id));
  const standards = engine.rulebook.articles.flatMap((a) => a.requirements.map(() => a.standard));
  const R = requirementIds.length;
  const slotOf = new Map(requirementIds.map((id, k) => [id, k]));
  const status = new Uint8Array(n * R);
  const outcomes = decideAll(engine, sheet.period, cols, mapped, n, status, detailNeeds(engine, slotOf, R));

  // The standards' own tallies, per row.
  const basicPass = new Int32Array(n);
  const basicFail = new Int32Array(n);
  const basicOpen = new Int32Array(n);
  const demoAll = new Int32Array(n);
  const demoPass = new Int32Array(n);
  for (let r = 0; r < R; r++) {
    const st = outcomes[r]!.st;
    if (standards[r] === 'basic') {
      for (let i = 0; i < n; i++) {
        const c = st[i]!;
        if (c === PASS) basicPass[i]!++;
        else if (c === FAIL) basicFail[i]!++;
        else if (c !== SKIP) basicOpen[i]!++;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const c = st[i]!;
        if (c === SKIP) continue;
        demoAll[i]!++;
        if (c === PASS) demoPass[i]!++;
      }
    }
  }
  // The standards' own levels (as points.ts defaultLevel).
  const defaultLevel = (i: number): string =>
    basicFail[i]! > 0 ? '未达标' : basicOpen[i]! > 0 ? '待定' : demoAll[i]! > 0 && demoPass[i] === demoAll[i] ? '示范' : '达标';
  const levelNames: string[] = [];
  const levelIndex = (name: string): number => {
    let k = levelNames.indexOf(name);
    if (k < 0) k = levelNames.push(name) - 1;
    return k;
  };

  const totalCents = new Int32Array(n);
  const maxCents = new Int32Array(n);
  const level = new Uint8Array(n);
  const vetoed = new Uint8Array(n);
  const rows = Int32Array.from(sheet.rowNumbers);
  const county = engine.county;
  const result: CompactScores = { rowCount: n, rows, requirementIds, standards, status, totalCents, maxCents, level, levelNames, vetoed };
  if (!county) {
    for (let i = 0; i < n; i++) {
      const judged = basicPass[i]! + basicFail[i]!;
      totalCents[i] = judged === 0 ? 0 : Math.floor((basicPass[i]! * 10000) / judged);
      maxCents[i] = 10000;
      level[i] = levelIndex(defaultLevel(i));
    }
    return result;
  }

  const notApplicableFull = (county.scoring.notApplicable ?? 'full') === 'full';
  for (const item of county.scoring.items) {
    const ids = engine.refs.get(item.ref)?.requirementIds ?? [];
    const ci: CompiledItem = {
      item,
      outcomes: ids.map((id) => outcomes[slotOf.get(id)!]!),
      pointsC: toCents(item.points),
      style: item.style ?? (ids.length === 1 ? 'allOrNothing' : 'perRequirement'),
    };
    addItem(ci, n, notApplicableFull, totalCents, maxCents);
  }
  for (const b of county.bonus ?? []) {
    const col = cols.get(b.input);
    const perC = toCents(b.pointsPerUnit);
    const maxC = toCents(b.max);
    const numeric = col.numeric && col.kind !== 'date';
    for (let i = 0; i < n; i++) {
      const e = col.codes[i]!;
      if (col.state[e] !== OK) continue;
      const c = Math.min(Math.round((numeric ? col.num[e]! : 0) * perC), maxC);
      if (c > 0) totalCents[i]! += c;
    }
  }
  for (const vt of county.veto ?? []) {
    for (const id of engine.refs.get(vt.ref)?.requirementIds ?? []) {
      const st = outcomes[slotOf.get(id)!]!.st;
      for (let i = 0; i < n; i++) if (st[i] === FAIL) vetoed[i] = 1;
    }
  }
  const levels = county.levels;
  const bounds = levels?.map((l) => ({
    name: l.name,
    minC: toCents(l.min),
    basicAll: (l.requires ?? []).includes('basicAllPass'),
    demoAll: (l.requires ?? []).includes('demoAllPass'),
  }));
  for (let i = 0; i < n; i++) {
    if (!bounds) {
      level[i] = levelIndex(defaultLevel(i));
      continue;
    }
    let name = bounds[bounds.length - 1]!.name;
    if (!vetoed[i]) {
      const basicAll = basicPass[i] === basicPass[i]! + basicFail[i]! + basicOpen[i]!;
      const demoAllPass = demoAll[i] === demoPass[i];
      for (const l of bounds) {
        if (totalCents[i]! < l.minC || (l.basicAll && !basicAll) || (l.demoAll && !demoAllPass)) continue;
        name = l.name;
        break;
      }
    }
    level[i] = levelIndex(name);
  }
  const bands = county.stars?.bands;
  if (bands?.length) result.stars = starsOf(totalCents, vetoed, bands);
  return result;
}

/** Stars by band, the rules of cohort.ts assignStars without its sentences: a vetoed village is not rated,
 * quotas are shares of the whole sheet, and a tie at a quota's cut is kept out as a whole. */
function starsOf(totalCents: Int32Array, vetoed: Uint8Array, bands: NonNullable<NonNullable<Engine['county']>['stars']>['bands']): Uint8Array {
  const n = totalCents.length;
  const stars = new Uint8Array(n);
  const assigned = new Uint8Array(n);
  const rated: number[] = [];
  for (let i = 0; i < n; i++) if (!vetoed[i]) rated.push(i);
  rated.sort((a, b) => totalCents[b]! - totalCents[a]!);
  const total = (i: number): number => totalCents[i]! / 100;
  for (const band of bands) {
    const eligible = rated.filter((i) => !assigned[i] && total(i) >= band.min);
    let cut: number | undefined;
    if (band.quota !== undefined) {
      const cap = Math.floor(band.quota * n + 1e-9);
      if (eligible.length > cap) cut = total(eligible[cap]!);
    }
    for (const i of eligible) {
      if (cut !== undefined && !(total(i) > cut)) continue;
      stars[i] = band.stars;
      assigned[i] = 1;
    }
  }
  return stars;
}
