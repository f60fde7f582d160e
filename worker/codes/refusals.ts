// What a submission is told about a code that a change ended (or that a change created) for its period:
// code → the Chinese reason, naming the new code(s) and the period. Read by worker/submissions/accept.ts and
// passed to vetRows; codes without a change are not in the map.
import type { Bindings } from '../env.ts';
import type { Period } from '../../shared/types.ts';
import { appliesTo, periodZh } from './periods.ts';

interface EndedRow {
  code: string;
  ended_from: string;
  kind: 'merge' | 'split' | 'rename' | 'move';
  new_code: string;
  new_name: string;
  township_name: string;
}

interface StartedRow {
  code: string;
  valid_from: string;
  old_code: string;
}

export async function codeRefusals(env: Bindings, countyCode: string, period: Period): Promise<Map<string, string>> {
  // Two reads, not a batch: the submission's one batch is its write (test/worker/submissions.test.ts breaks batch).
  const [ended, started] = await Promise.all([
    env.DB.prepare(
      `SELECT v.code, v.ended_from, c.kind, l.new_code, nv.name AS new_name, t.name AS township_name
       FROM village_validity v JOIN code_changes c ON c.id = v.ended_by
       JOIN code_change_links l ON l.change_id = c.id AND l.old_code = v.code
       JOIN villages nv ON nv.code = l.new_code JOIN townships t ON t.code = nv.township_code
       WHERE c.county_code = ? ORDER BY v.code, l.new_code`,
    )
      .bind(countyCode)
      .all<EndedRow>(),
    env.DB.prepare(
      `SELECT v.code, v.valid_from, l.old_code FROM village_validity v JOIN code_changes c ON c.id = v.started_by
       JOIN code_change_links l ON l.change_id = c.id AND l.new_code = v.code
       WHERE c.county_code = ? ORDER BY v.code, l.old_code`,
    )
      .bind(countyCode)
      .all<StartedRow>(),
  ]);
  const out = new Map<string, string>();
  const byOld = new Map<string, EndedRow[]>();
  for (const r of ended.results) {
    if (!appliesTo(r.ended_from, period)) continue;
    byOld.set(r.code, [...(byOld.get(r.code) ?? []), r]);
  }
  for (const [code, rows] of byOld) {
    const first = rows[0]!;
    const when = `自${periodZh(first.ended_from)}起`;
    const news = rows.map((r) => `${r.new_code}（${r.new_name}）`).join('、');
    const reason =
      first.kind === 'merge'
        ? `区划代码 ${code} ${when}已并入 ${news}，请改用新代码`
        : first.kind === 'split'
          ? `区划代码 ${code} ${when}已拆分为 ${news}，请按新村分别填报新代码`
          : first.kind === 'move'
            ? `区划代码 ${code} ${when}已划入${first.township_name}，新代码为 ${news}，请改用新代码，由${first.township_name}上报`
            : `区划代码 ${code} ${when}已更名并改用新代码 ${news}，请改用新代码`;
    out.set(code, reason);
  }
  const byNew = new Map<string, StartedRow[]>();
  for (const r of started.results) {
    if (appliesTo(r.valid_from, period)) continue;
    byNew.set(r.code, [...(byNew.get(r.code) ?? []), r]);
  }
  for (const [code, rows] of byNew) {
    const pz = periodZh(rows[0]!.valid_from);
    out.set(code, `区划代码 ${code} 自${pz}起才启用，${period.labelZh}请使用原代码 ${rows.map((r) => r.old_code).join('、')}`);
  }
  return out;
}
