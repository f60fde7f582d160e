// Matching header text to inputs: exact label, synonym, article reference, or a synonym inside the header.
// Everything is compared after normalizeText (full-width, spaces, traditional characters, case).
import { normalizeText } from '../text/normalize.ts';
import type { InputDef } from '../types.ts';
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

/** Normalised key of a header text or synonym: units, list numbering and required-field marks removed. */
export function headerKey(text: string): string {
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

export class InputMatcher {
  private readonly exact = new Map<string, InputDef>();
  private readonly synonyms = new Map<string, InputDef>();
  private readonly articles = new Map<string, InputDef[]>();
  /** Needles for containment, longest first. */
  private readonly needles: { key: string; input: InputDef }[] = [];
  readonly byId = new Map<string, InputDef>();

  constructor(readonly inputs: readonly InputDef[]) {
    const needles = new Map<string, InputDef>();
    for (const input of inputs) {
      this.byId.set(input.id, input);
      const labelKey = headerKey(input.label);
      for (const k of [labelKey, looseKey(labelKey), input.id.toLowerCase()]) {
        if (k && !this.exact.has(k)) this.exact.set(k, input);
      }
      if (labelKey.length >= 2 && !needles.has(labelKey)) needles.set(labelKey, input);
      for (const syn of input.synonyms) {
        const key = headerKey(syn);
        if (!key) continue;
        const art = articleRef(key, true);
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

  /** Match a header path (parent → leaf). */
  match(path: readonly string[]): HeaderMatch | undefined {
    const parts = path.filter((p) => p.trim() !== '');
    if (parts.length === 0) return undefined;
    const leaf = headerKey(parts[parts.length - 1]!);
    const full = headerKey(parts.map((p) => splitUnit(p).label).join(''));
    const candidates = unique([full, looseKey(full), leaf, looseKey(leaf)]).filter((k) => k !== '');

    for (const k of candidates) {
      const input = this.exact.get(k);
      if (input) return { input, confidence: CONFIDENCE.exact, matchedBy: 'exact', via: k };
    }
    for (const k of candidates) {
      const input = this.synonyms.get(k);
      if (input) return { input, confidence: CONFIDENCE.synonym, matchedBy: 'synonym', via: k };
    }
    const joined = normalizeText(parts.join('/'));
    const art = articleRef(joined);
    if (art) {
      const list = this.articles.get(art);
      if (list && list.length > 0) {
        // Several inputs under one article: let the rest of the header choose, else the first listed.
        const chosen = list.find((i) => this.needles.some((n) => n.input === i && joined.includes(n.key))) ?? list[0]!;
        return { input: chosen, confidence: CONFIDENCE.article, matchedBy: 'article', via: art };
      }
    }
    for (const hay of unique([leaf, full])) {
      const hit = this.needles.find((n) => hay.includes(n.key));
      if (hit) return { input: hit.input, confidence: CONFIDENCE.fuzzy, matchedBy: 'fuzzy', via: hit.key };
    }
    return undefined;
  }
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
