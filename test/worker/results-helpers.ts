// Village results stored straight into D1, as the submissions pipeline leaves them (one submission per
// township and period, earlier active results of the same villages superseded): rankings and allocations tests.
import { env } from 'cloudflare:workers';

export interface Put {
  village: string;
  period: string;
  total: number;
  township?: string;
  name?: string;
  level?: string;
  veto?: boolean;
  weak?: boolean;
  results?: unknown[];
  county?: string;
}

let sub = 0;
/** Store results as one submission per township and period (the submissions pipeline is built in parallel). */
export async function putResults(rows: Put[], createdAt = '2026-10-01T00:00:00.000Z'): Promise<string[]> {
  const groups = new Map<string, Put[]>();
  for (const r of rows) {
    const t = r.township ?? r.village.slice(0, 9);
    const k = `${t}|${r.period}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const ids: string[] = [];
  for (const [k, list] of groups) {
    const [township, period] = k.split('|') as [string, string];
    const county = list[0]!.county ?? township.slice(0, 6);
    const id = `sub-${++sub}`;
    ids.push(id);
    // Earlier active results of these villages give way (as the submission pipeline does).
    await env.DB.prepare(`UPDATE village_results SET superseded_by = ? WHERE superseded_by IS NULL AND period = ? AND village_code IN (SELECT value FROM json_each(?))`)
      .bind(id, period, JSON.stringify(list.map((r) => r.village)))
      .run();
    await env.DB.prepare(
      `INSERT INTO submissions (id, sha256, r2_key, kind, county_code, township_code, period, rulebook_version, account_id, file_name, sheet, rows_total, rows_accepted, rows_rejected, outcome_json, created_at)
       VALUES (?, ?, ?, 'rows', ?, ?, ?, NULL, 'acc-admin', NULL, 'Sheet1', ?, ?, 0, '[]', ?)`,
    )
      .bind(id, id.padEnd(64, '0'), `raw/${id}`, county, township, period, list.length, list.length, createdAt)
      .run();
    for (let i = 0; i < list.length; i += 400) {
      const chunk = list.slice(i, i + 400).map((r, j) => ({
        code: r.village,
        row: i + j + 3,
        name: r.name ?? `村${r.village.slice(-3)}`,
        cents: Math.round(r.total * 100),
        level: r.level ?? '达标',
        veto: r.veto ? 1 : 0,
        weak: r.weak ? 1 : 0,
        results: JSON.stringify(r.results ?? []),
      }));
      const J = (f: string) => `json_extract(e.value, '$.${f}')`;
      await env.DB.prepare(
        `INSERT INTO village_results (submission_id, village_code, period, county_code, township_code, sheet_row, name, org_type, total_cents, max_cents, level,
           veto, weak_flag, pass_count, fail_count, open_count, results_json, superseded_by, created_at)
         SELECT ?1, ${J('code')}, ?2, ?3, ?4, ${J('row')}, ${J('name')}, '党支部', ${J('cents')}, 10000, ${J('level')}, ${J('veto')}, ${J('weak')}, 0, 0, 0, ${J('results')}, NULL, ?5
         FROM json_each(?6) AS e`,
      )
        .bind(id, period, county, township, createdAt, JSON.stringify(chunk))
        .run();
    }
  }
  return ids;
}
