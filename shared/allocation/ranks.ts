// Ranks: competition ranks computed from scores (1, 2, 2, 4: ties share the best rank), or published ranks
// checked against the scores so that money stays monotone in score and equal scores get equal money.
import { formatHundredths } from './rounding.ts';
import type { RankRange } from './types.ts';

export interface Ranked {
  id: string;
  name: string;
  /** Score in hundredths of a point. */
  hundredths: bigint;
}

/** Competition ranks: 1 + the number of units with a strictly higher score. Independent of order. */
export function competitionRanks(units: readonly Ranked[]): Map<string, number> {
  const sorted = [...units].sort((a, b) => (a.hundredths > b.hundredths ? -1 : a.hundredths < b.hundredths ? 1 : 0));
  const ranks = new Map<string, number>();
  let prev: bigint | null = null;
  let prevRank = 0;
  sorted.forEach((u, i) => {
    const rank = prev !== null && u.hundredths === prev ? prevRank : i + 1;
    ranks.set(u.id, rank);
    prev = u.hundredths;
    prevRank = rank;
  });
  return ranks;
}

/** Problems with published ranks: a higher score must not have a worse rank, and equal scores must share a
 * rank. Each problem is `units[i].rank：…`. `index` is the unit's position in the input. */
export function checkGivenRanks(units: readonly (Ranked & { rank: number; index: number })[]): string[] {
  const problems: string[] = [];
  const sorted = [...units].sort((a, b) =>
    a.hundredths > b.hundredths ? -1 : a.hundredths < b.hundredths ? 1 : a.rank - b.rank || a.index - b.index,
  );
  // Walk from the best score down, remembering the worst rank seen so far among strictly higher scores.
  let i = 0;
  let worstAbove: (Ranked & { rank: number; index: number }) | null = null;
  while (i < sorted.length) {
    let j = i;
    while (j < sorted.length && sorted[j]!.hundredths === sorted[i]!.hundredths) j++;
    const group = sorted.slice(i, j);
    const first = group[0]!;
    for (const u of group.slice(1)) {
      if (u.rank !== first.rank) {
        problems.push(
          `units[${u.index}].rank：得分相同（${formatHundredths(u.hundredths)}）的单位名次须相同，` +
            `${first.name}为第${first.rank}名，${u.name}为第${u.rank}名（同分同奖）`,
        );
      }
    }
    if (worstAbove !== null) {
      for (const u of group) {
        if (u.rank < worstAbove.rank) {
          problems.push(
            `units[${u.index}].rank：名次与得分不一致，${u.name}得分${formatHundredths(u.hundredths)}为第${u.rank}名，` +
              `而得分更高的${worstAbove.name}（${formatHundredths(worstAbove.hundredths)}）为第${worstAbove.rank}名`,
          );
        }
      }
    }
    for (const u of group) if (worstAbove === null || u.rank > worstAbove.rank) worstAbove = u;
    i = j;
  }
  return problems;
}

/** The entry of a rank table (tiers, rank points) whose range holds `rank`, with its index. */
export function findRange<T extends RankRange>(table: readonly T[], rank: number): { entry: T; index: number } | null {
  for (let index = 0; index < table.length; index++) {
    const entry = table[index]!;
    if (rank >= entry.fromRank && rank <= entry.toRank) return { entry, index };
  }
  return null;
}

/** 第1–3名 / 第4名. */
export function rangeLabel(r: RankRange): string {
  return r.fromRank === r.toRank ? `第${r.fromRank}名` : `第${r.fromRank}–${r.toRank}名`;
}
