// Builds test/sheet/header-corpus.json from the base labels (base.ts) and the variation rules below.
//   npx tsx test/sheet/header-corpus/build.ts
// The rules are the ways a label changes between sheets: traditional characters, full-width forms and spaced-out
// characters, a line break inside the cell, a unit in brackets, a group header above, list numbering and 其中：.
// Every fourth base label (and every variant of it) is held out: tuning looks only at the other part. The labels of
// fresh.ts were written after the matcher was finished; they and their variants form the part 'fresh'.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js/cn2t';
import inputsJson from '../../../shared/rulebook/inputs.json' with { type: 'json' };
import { BASE } from './base.ts';
import { FRESH } from './fresh.ts';

export interface CorpusEntry {
  /** Header cells parent → leaf, as they appear (a leaf may hold a line break). */
  path: string[];
  /** The input id it must map to, or null when it is not an indicator column. */
  expected: string | null;
  source: string;
  set: 'tune' | 'heldout' | 'fresh';
}

const toTraditional: (s: string) => string = OpenCC.Converter({ from: 'cn', to: 'tw' });
const UNITS = new Map((inputsJson as { id: string; unit?: string }[]).map((i) => [i.id, i.unit]));

const HAS_UNIT = /[（(](人|名|次|个|户|学时|万元|元|㎡|平方米|%|％|亩|平方公里)[）)]\s*$/;

function fullWidth(s: string): string {
  return s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

function spaced(s: string): string {
  // 党员数 → 党　员　数 (officers pad short labels to centre them); longer labels get one space in the middle.
  const m = /^([^（(]*)(.*)$/.exec(s)!;
  const head = m[1]!;
  if (head.length <= 4) return [...head].join('\u3000') + m[2]!;
  const mid = Math.ceil(head.length / 2);
  return `${head.slice(0, mid)} ${head.slice(mid)}${m[2]!}`;
}

function lineBreak(s: string): string | undefined {
  const b = s.search(/[（(]/);
  if (b > 1) return `${s.slice(0, b)}\n${s.slice(b)}`;
  if (s.length < 4) return undefined;
  const mid = Math.ceil(s.length / 2);
  return `${s.slice(0, mid)}\n${s.slice(mid)}`;
}

const GROUPS = ['基本情况', '组织建设', '党员队伍建设', '考评指标（2024年度）', '村级组织运行情况', '主要指标'];

function parse(text: string): { path: string[]; expected: string | null; source: string }[] {
  return text.split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const [label, id, source] = l.split(' | ');
      if (label === undefined || id === undefined || source === undefined) throw new Error(`bad line: ${l}`);
      if (id !== '-' && !UNITS.has(id)) throw new Error(`unknown input ${id}: ${l}`);
      return { path: label.split(' / ').map((p) => p.replace(/\\n/g, '\n')), expected: id === '-' ? null : id, source };
    });
}

export function buildCorpus(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  const base = parse(BASE);
  [...base, ...parse(FRESH)].forEach((b, i) => {
    const set = i >= base.length ? 'fresh' : i % 4 === 3 ? 'heldout' : 'tune';
    out.push({ ...b, set });
    const leaf = b.path[b.path.length - 1]!;
    const withLeaf = (l: string) => [...b.path.slice(0, -1), l];
    const add = (path: string[], rule: string) => out.push({ path, expected: b.expected, source: `${b.source}; variation: ${rule}`, set });
    switch (i % 5) {
      case 0:
        add(b.path.map(toTraditional), 'traditional characters');
        break;
      case 1:
        if (/[!-~]/.test(b.path.join(''))) add(b.path.map(fullWidth), 'full-width forms');
        else add(withLeaf(spaced(leaf)), 'spaces inside the label');
        break;
      case 2: {
        const lb = lineBreak(leaf);
        if (lb) add(withLeaf(lb), 'line break inside the cell');
        break;
      }
      case 3: {
        const unit = b.expected ? UNITS.get(b.expected) : undefined;
        if (unit && !HAS_UNIT.test(leaf)) add(withLeaf(`${leaf}（${unit}）`), 'unit in brackets');
        else if (HAS_UNIT.test(leaf)) add(withLeaf(leaf.replace(HAS_UNIT, '')), 'unit dropped');
        break;
      }
      case 4:
        if (b.path.length === 1) add([GROUPS[Math.floor(i / 5) % GROUPS.length]!, leaf], 'group header above');
        break;
    }
    if (i % 7 === 0 && b.path.length === 1) add([`${(i % 9) + 1}.${leaf}`], 'list numbering');
  });
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const corpus = buildCorpus();
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'header-corpus.json');
  writeFileSync(file, `${JSON.stringify(corpus, null, 1)}\n`);
  const nulls = corpus.filter((e) => e.expected === null).length;
  const count = (set: CorpusEntry['set']) => corpus.filter((e) => e.set === set).length;
  console.log(`${corpus.length} entries (${nulls} null, ${count('heldout')} held out, ${count('fresh')} fresh) → ${file}`);
}
