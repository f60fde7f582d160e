// The header-variant corpus (header-corpus.json, built by header-corpus/build.ts from header-corpus/base.ts):
// every label is put into a small sheet beside a 乡镇 and a 村名 column and goes through findTable and mapColumns,
// exactly as the command, the page and the add-in read a sheet. Prints the accuracy and the misses.
//   npx vitest run --project node test/sheet/header-corpus.test.ts
import { describe, expect, it } from 'vitest';
import { findTable, isSheetProblem } from '../../shared/sheet/header.ts';
import { headerKey } from '../../shared/sheet/match.ts';
import { mapColumns } from '../../shared/sheet/mapping.ts';
import type { ColumnReport, InputDef } from '../../shared/types.ts';
import inputsJson from '../../shared/rulebook/inputs.json' with { type: 'json' };
import corpusJson from './header-corpus.json' with { type: 'json' };
import type { CorpusEntry } from './header-corpus/build.ts';
import { gridOf } from './helpers.ts';

const INPUTS = inputsJson as unknown as InputDef[];
const CORPUS = corpusJson as CorpusEntry[];
const LABEL_TO_ID = new Map(INPUTS.map((i) => [i.label, i.id]));
const KNOWN = new Set(INPUTS.flatMap((i) => [i.label, ...i.synonyms].map(headerKey)));
const isVerbatim = (e: CorpusEntry) => KNOWN.has(headerKey(e.path[e.path.length - 1]!));

/** Two identity columns that cannot be what the entry is about. */
function contextFor(expected: string | null): [string, string, string, string] {
  if (expected === 'township') return ['区划代码', '村名', '110101001001', '张庄村'];
  if (expected === 'name') return ['乡镇', '区划代码', '城关镇', '110101001001'];
  return ['乡镇', '村名', '城关镇', '张庄村'];
}

/** What the entry's column was mapped to. A column that lost a duplicate claim to a context column counts as
 * mapped to that input: the measure is what the matcher thinks the label is. */
function outcome(report: ColumnReport | undefined): { input: string | null; report?: ColumnReport } {
  if (!report) return { input: null };
  if (report.input !== null) return { input: report.input, report };
  const dup = /重复对应指标「(.+?)」/.exec(report.note ?? '');
  return { input: dup ? (LABEL_TO_ID.get(dup[1]!) ?? '?') : null, report };
}

/** The entry in a small sheet: 乡镇 and 村名 merged down the header rows, the entry's cells, and — under a group
 * header — two sibling columns under their own group, as a real multi-row header has. */
export function mapEntry(e: CorpusEntry): { input: string | null; report?: ColumnReport } {
  const depth = e.path.length;
  const [a, b, va, vb] = contextFor(e.expected);
  const siblings = e.expected === 'partyDays' || e.expected === 'memberAppraisals' ? ['党员大会', '党小组会'] : ['主题党日', '民主评议党员'];
  const rows: (string | number | null)[][] = [];
  for (let r = 0; r < depth; r++) {
    const row: (string | number | null)[] = [r === 0 ? a : null, r === 0 ? b : null, e.path[r]!];
    if (depth > 1) row.push(...(r === 0 ? ['活动开展（次）', null] : r === depth - 1 ? siblings : [null, null]));
    rows.push(row);
  }
  for (const v of [vb, vb.replace('张庄', '李家')]) rows.push([va, v, null, ...(depth > 1 ? [2, 1] : [])]);
  const merges = depth > 1 ? [`A1:A${depth}`, `B1:B${depth}`, 'D1:E1'] : [];
  const grid = gridOf(rows, merges);
  const layout = findTable(grid, INPUTS);
  // No header found (e.g. a row holding 填报人 reads as a 填报 line): the column maps to nothing.
  if (isSheetProblem(layout)) return { input: null };
  return outcome(mapColumns(layout, INPUTS, undefined, grid).find((c) => c.index === 2));
}

interface Tally {
  total: number;
  right: number;
  misses: string[];
  /** Columns left to the officer with candidates. */
  undecided: number;
  nullMapped: number;
}

function measure(entries: CorpusEntry[]): Tally {
  const t: Tally = { total: 0, right: 0, misses: [], nullMapped: 0, undecided: 0 };
  for (const e of entries) {
    const got = mapEntry(e);
    t.total++;
    if (got.report?.candidates) t.undecided++;
    if (got.input === e.expected) t.right++;
    else {
      if (e.expected === null) t.nullMapped++;
      const how = got.report ? ` ${got.report.matchedBy} ${Math.round(got.report.confidence * 100)}%${got.report.note ? ` ${got.report.note}` : ''}` : '';
      t.misses.push(`[${e.set}] ${JSON.stringify(e.path.join(' / '))}: want ${e.expected ?? 'none'}, got ${got.input ?? 'none'}${how}`);
    }
  }
  return t;
}

const pct = (t: Tally) => `${((100 * t.right) / t.total).toFixed(1)}% (${t.right}/${t.total})`;

describe('header-variant corpus', () => {
  it('is large enough, covers non-indicator columns and stays apart from the synonym lists', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(300);
    expect(CORPUS.filter((e) => e.expected === null).length).toBeGreaterThanOrEqual(60);
    const ids = new Set(INPUTS.map((i) => i.id));
    for (const e of CORPUS) if (e.expected !== null) expect(ids.has(e.expected), e.expected).toBe(true);
    // Labels whose leaf is, after normalisation (units, numbering, spaces, traditional characters), an input's
    // label or synonym: a minority (under 30%; most are the unit-bearing forms officers write, 党员大会（次）).
    // The accuracy on the rest is reported on its own below.
    const verbatim = CORPUS.filter(isVerbatim);
    console.log(`corpus: ${CORPUS.length} labels, ${CORPUS.filter((e) => e.expected === null).length} non-indicator, ${verbatim.length} equal to a label or synonym`);
    expect(verbatim.length / CORPUS.length).toBeLessThan(0.3);
  });

  it('maps ≥ 98% of the labels right and no non-indicator column', () => {
    const all = measure(CORPUS);
    const tune = measure(CORPUS.filter((e) => e.set === 'tune'));
    const held = measure(CORPUS.filter((e) => e.set === 'heldout'));
    const fresh = measure(CORPUS.filter((e) => e.set === 'fresh'));
    const unseen = measure(CORPUS.filter((e) => !isVerbatim(e)));
    console.log(
      `header corpus: ${pct(all)} right; tuning part ${pct(tune)}, held-out part ${pct(held)}, fresh part ${pct(fresh)}; labels in no synonym list ${pct(unseen)}; non-indicator columns mapped: ${all.nullMapped}; left to the officer with candidates: ${all.undecided}\n` +
        all.misses.map((m) => `  miss ${m}`).join('\n'),
    );
    expect(all.nullMapped).toBe(0);
    expect(all.right / all.total).toBeGreaterThanOrEqual(0.98);
    expect(unseen.right / unseen.total).toBeGreaterThanOrEqual(0.98);
  });
});
