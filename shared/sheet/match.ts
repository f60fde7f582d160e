// Matching header text to inputs: exact label, synonym, article reference, then by facets (facets.ts): what the
// header is about, what happened and what it measures, scored against every input; a close second leaves the
// column to the officer. Everything is compared after normalizeText (full-width, spaces, traditional characters,
// case).
import { normalizeText } from '../text/normalize.ts';
import type { InputDef, RawCell } from '../types.ts';
import {
  describeInput,
  profileValues,
  readFacets,
  scoreFacets,
  unitMeasure,
  valuesFit,
  type HeaderFacets,
  type InputFacets,
  type Measure,
} from './facets.ts';
import { splitUnit } from './units.ts';

export type MatchedBy = 'exact' | 'synonym' | 'article' | 'fuzzy';

export interface HeaderMatch {
  input: InputDef;
  confidence: number;
  matchedBy: MatchedBy;
  /** The synonym or article that matched, normalised. */
  via: string;
}

export const CONFIDENCE: Record<MatchedBy, number> = { exact: 1, synonym: 0.95, article: 0.9, fuzzy: 0.8 };

/** Facet scores (0 … 1): a match needs FACET_ACCEPT and a lead of FACET_MARGIN over the next input; inputs within
 * the margin of the best, from FACET_CLOSE up, are reported as candidates instead. A facet match's confidence is
 * 0.6 + 0.35 × score: a perfect reading is as sure as a synonym (0.95), the weakest accepted one 0.85. */
export const FACET_ACCEPT = 0.7;
export const FACET_MARGIN = 0.12;
export const FACET_CLOSE = 0.6;

/** What the matcher found for one column: a match, or the close candidates it would not choose between. */
export interface ColumnMatch {
  match?: HeaderMatch;
  /** Two or more inputs the header could equally be (best first); set only when `match` is not. */
  candidates?: HeaderMatch[];
  /** The column's values decided between close candidates. */
  byValues?: boolean;
}

const KEY_CACHE = new Map<string, string>();
const KEY_CACHE_MAX = 20_000;

/** Normalised key of a header text or synonym: units, list numbering and required-field marks removed. Memoised:
 * findTable asks for the same cells once per candidate header block. */
export function headerKey(text: string): string {
  let key = KEY_CACHE.get(text);
  if (key === undefined) {
    key = computeHeaderKey(text);
    if (KEY_CACHE.size >= KEY_CACHE_MAX) KEY_CACHE.clear();
    KEY_CACHE.set(text, key);
  }
  return key;
}

function computeHeaderKey(text: string): string {
  let s = normalizeText(splitUnit(text).label);
  s = s.replace(/^[*★※]+|[*★※]+$/g, '');
  s = s.replace(/^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[.、](?=\D)/, '');
  s = s.replace(/[:：]$/, '');
  return s;
}

/** The key with every bracketed part removed: 软弱涣散村(是/否) → 软弱涣散村. */
export function looseKey(key: string): string {
  let prev = '';
  let s = key;
  while (s !== prev) {
    prev = s;
    s = s.replace(/\([^()]*\)|\[[^[\]]*\]|【[^【】]*】/g, '');
  }
  return s;
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 … 九十九 → number. */
export function parseChineseNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return undefined;
  const [, a, ten, b] = m;
  if (!ten) return a !== undefined && b === undefined ? CN_DIGITS[a] : undefined;
  return (a !== undefined ? CN_DIGITS[a]! : 1) * 10 + (b !== undefined ? CN_DIGITS[b]! : 0);
}

const ARTICLE = /(基本|示范)(?:标准)?第?(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:条|项)?/;
const ARTICLE_ONLY = /^(基本|示范)(?:标准)?第?(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:条|项)?$/;

/** An article reference in normalised text → "basic:27" / "demo:8". */
export function articleRef(normalized: string, whole = false): string | undefined {
  const m = (whole ? ARTICLE_ONLY : ARTICLE).exec(normalized);
  if (!m) return undefined;
  const n = parseChineseNumber(m[2]!);
  if (n === undefined || n < 1) return undefined;
  return `${m[1] === '基本' ? 'basic' : 'demo'}:${n}`;
}

interface PreparedInput {
  /** What the entry was computed from: an edited InputDef is prepared again. */
  label: string;
  synonymList: readonly string[];
  synonymCount: number;
  labelKey: string;
  synonyms: { key: string; art?: string }[];
  facets?: InputFacets;
}

/** Keys and facets of an input, computed once per InputDef object (a matcher is built for every sheet). */
const PREPARED = new WeakMap<InputDef, PreparedInput>();

function prepared(input: InputDef): PreparedInput {
  const hit = PREPARED.get(input);
  if (hit && hit.label === input.label && hit.synonymList === input.synonyms && hit.synonymCount === input.synonyms.length) return hit;
  const labelKey = headerKey(input.label);
  const synonyms: PreparedInput['synonyms'] = [];
  for (const syn of input.synonyms) {
    const key = headerKey(syn);
    if (!key) continue;
    const art = articleRef(key, true);
    synonyms.push(art ? { key, art } : { key });
  }
  const out: PreparedInput = { label: input.label, synonymList: input.synonyms, synonymCount: input.synonyms.length, labelKey, synonyms };
  // Judgements are named by their wording or their article, not composed of facets.
  if (input.kind !== 'judgement') {
    const f = describeInput(input, [labelKey, ...synonyms.filter((s) => !s.art).map((s) => s.key)].filter((k) => k !== ''));
    if (f.alternatives.length > 0) out.facets = f;
  }
  PREPARED.set(input, out);
  return out;
}

export class InputMatcher {
  private readonly exact = new Map<string, InputDef>();
  private readonly synonyms = new Map<string, InputDef>();
  private readonly articles = new Map<string, InputDef[]>();
  /** Needles for containment, longest first. */
  private readonly needles: { key: string; input: InputDef }[] = [];
  readonly byId = new Map<string, InputDef>();
  /** Facets of every input that can be named by facets (judgements are named by their text or article). */
  private readonly facets: InputFacets[] = [];

  constructor(readonly inputs: readonly InputDef[]) {
    const needles = new Map<string, InputDef>();
    for (const input of inputs) {
      this.byId.set(input.id, input);
      const { labelKey, synonyms, facets } = prepared(input);
      if (facets) this.facets.push(facets);
      for (const k of [labelKey, looseKey(labelKey), input.id.toLowerCase()]) {
        if (k && !this.exact.has(k)) this.exact.set(k, input);
      }
      if (labelKey.length >= 2 && !needles.has(labelKey)) needles.set(labelKey, input);
      for (const { key, art } of synonyms) {
        if (art) {
          const list = this.articles.get(art) ?? [];
          if (!list.includes(input)) list.push(input);
          this.articles.set(art, list);
          continue;
        }
        for (const k of [key, looseKey(key)]) if (k && !this.synonyms.has(k)) this.synonyms.set(k, input);
        if (key.length >= 2 && !needles.has(key)) needles.set(key, input);
      }
    }
    this.needles = [...needles].map(([key, input]) => ({ key, input })).sort((a, b) => b.key.length - a.key.length);
  }

  /** Results by path, for calls without values (findTable asks for the same paths once per candidate block). */
  private readonly memo = new Map<string, ColumnMatch>();

  /** Match a header path (parent → leaf). */
  match(path: readonly string[]): HeaderMatch | undefined {
    const k = path.join('\u0001');
    let r = this.memo.get(k);
    if (r === undefined) {
      r = this.matchColumn(path);
      if (this.memo.size < 10_000) this.memo.set(k, r);
    }
    return r.match;
  }

  /** Match a header path, with the column's values (a sample of its cells) to decide between close inputs. */
  matchColumn(path: readonly string[], values?: readonly (RawCell | undefined)[]): ColumnMatch {
    const parts = path.filter((p) => p.trim() !== '');
    if (parts.length === 0) return {};
    const leaf = headerKey(parts[parts.length - 1]!);
    const full = headerKey(parts.map((p) => splitUnit(p).label).join(''));
    const candidates = unique([full, looseKey(full), leaf, looseKey(leaf)]).filter((k) => k !== '');

    for (const k of candidates) {
      const input = this.exact.get(k);
      if (input) return { match: { input, confidence: CONFIDENCE.exact, matchedBy: 'exact', via: k } };
    }
    for (const k of candidates) {
      const input = this.synonyms.get(k);
      if (input) return { match: { input, confidence: CONFIDENCE.synonym, matchedBy: 'synonym', via: k } };
    }
    const joined = normalizeText(parts.join('/'));
    const art = articleRef(joined);
    if (art) {
      const list = this.articles.get(art);
      if (list && list.length > 0) {
        // Several inputs under one article: let the rest of the header choose, else the first listed.
        const chosen = list.find((i) => this.needles.some((n) => n.input === i && joined.includes(n.key))) ?? list[0]!;
        return { match: { input: chosen, confidence: CONFIDENCE.article, matchedBy: 'article', via: art } };
      }
    }
    return this.byFacets(parts, leaf, values);
  }

  private byFacets(parts: string[], leafKey: string, values?: readonly (RawCell | undefined)[]): ColumnMatch {
    const leaf = readFacets(leafKey);
    const parents = new Map<string, number>();
    let parentMeasure: Measure | undefined;
    const parentKeys: string[] = [];
    for (const p of parts.slice(0, -1)) {
      const key = headerKey(p);
      parentKeys.push(key);
      const f = readFacets(key);
      for (const [c, w] of f.concepts) parents.set(c, w);
      if (f.measure) parentMeasure = f.measure;
    }
    // The unit in brackets first (the lowest cell naming one), then a measure word in the leaf, then above.
    let unitM: Measure | undefined;
    for (const p of parts) {
      const s = splitUnit(p);
      if (s.unit !== undefined && s.info) unitM = unitMeasure(normalizeText(s.unit), s.info.family) ?? unitM;
    }
    const measure = unitM ?? leaf.measure ?? parentMeasure;
    if (leaf.concepts.size === 0 && parents.size === 0) return {};
    const h: HeaderFacets = { leaf: leaf.concepts, parents, unknown: leaf.unknown, ...(measure ? { measure } : {}) };

    const scored: { f: InputFacets; score: number; via: string; leafHit: boolean }[] = [];
    for (const f of this.facets) {
      const r = scoreFacets(h, f);
      if (r.score >= FACET_CLOSE) scored.push({ f, ...r });
    }
    if (scored.length === 0) return {};
    scored.sort((a, b) => b.score - a.score);
    const toMatch = (x: (typeof scored)[number]): HeaderMatch => ({
      input: x.f.input,
      confidence: Math.round((0.6 + 0.35 * x.score) * 100) / 100,
      matchedBy: 'fuzzy',
      // The cell whose wording decided: header.ts counts a match found only in a group header for little. A leaf
      // the lexicon reads completely (人数, 本年度, 累计学时) is a sub-header; one with unknown words may be data.
      via: x.leafHit || leaf.unknown === 0 ? leafKey : (parentKeys[parentKeys.length - 1] ?? leafKey),
    });
    const best = scored[0]!;
    const close = scored.filter((x) => best.score - x.score < FACET_MARGIN);
    if (close.length === 1) return best.score >= FACET_ACCEPT ? { match: toMatch(best) } : {};
    // Close inputs: the column's values may rule all but one out (dates, 是/否, counts, percentages).
    if (values && values.length > 0) {
      const profile = profileValues(values);
      const fitting = close.filter((x) => valuesFit(profile, x.f.measure) !== false);
      if (fitting.length === 1 && fitting[0]!.score >= FACET_ACCEPT) return { match: toMatch(fitting[0]!), byValues: true };
    }
    return { candidates: close.map(toMatch) };
  }
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
