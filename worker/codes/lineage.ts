// Which earlier codes a village's history runs through: the codes that a merge, a rename to a new code or a
// move made into it, and theirs in turn (a split's parts start afresh). Rankings look back through these for
// the previous period (movement, 连续后进) and trends show their periods before the change.
import type { Bindings } from '../env.ts';

/** code → every earlier code whose history it carries (transitively; the code itself not included). */
export async function loadAncestors(env: Bindings, countyCode: string): Promise<Map<string, string[]>> {
  const r = await env.DB.prepare(
    `SELECT l.old_code, l.new_code FROM code_change_links l JOIN code_changes c ON c.id = l.change_id
     WHERE c.county_code = ? AND l.follows = 1`,
  )
    .bind(countyCode)
    .all<{ old_code: string; new_code: string }>();
  return ancestorsOf(r.results.map((x) => [x.old_code, x.new_code]));
}

export function ancestorsOf(links: readonly (readonly [old: string, next: string])[]): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const [o, n] of links) parents.set(n, [...(parents.get(n) ?? []), o]);
  const out = new Map<string, string[]>();
  for (const code of parents.keys()) {
    const seen = new Set<string>();
    const stack = [...parents.get(code)!];
    while (stack.length) {
      const c = stack.pop()!;
      if (seen.has(c) || c === code) continue;
      seen.add(c);
      stack.push(...(parents.get(c) ?? []));
    }
    out.set(code, [...seen].sort());
  }
  return out;
}

/** The pairs (village, ancestor) for the ranking SQL's `links` table. */
export function linkPairs(ancestors: ReadonlyMap<string, readonly string[]>): { village: string; ancestor: string }[] {
  return [...ancestors].flatMap(([village, list]) => list.map((ancestor) => ({ village, ancestor })));
}
