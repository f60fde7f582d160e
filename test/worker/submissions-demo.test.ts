import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { DEMO_COUNTY2, ensureDemo } from '../../worker/demo.ts';
import { DEMO_PERIODS } from '../../worker/demo-activity.ts';

const n = async (sql: string, ...args: unknown[]) => (await env.DB.prepare(sql).bind(...args).first<{ n: number }>())!.n;

describe('demo activity', () => {
  it('every demo township submits four quarters through acceptSubmission, as its own officer', async () => {
    const t0 = Date.now();
    await ensureDemo(env);
    const ms = Date.now() - t0;
    console.log(`demo load: ${ms} ms`);
    // Both demo counties: 示例县 (six townships, officers town1–6) and 示例二县 (three, c2town1–3).
    const townships = await n('SELECT count(*) AS n FROM townships');
    const villages = await n('SELECT count(*) AS n FROM villages');
    expect(await n("SELECT count(*) AS n FROM townships WHERE county_code = '410999'")).toBe(6);
    expect(await n('SELECT count(*) AS n FROM townships WHERE county_code = ?', DEMO_COUNTY2.code)).toBe(3);
    expect(townships).toBe(9);
    expect(await n('SELECT count(*) AS n FROM submissions')).toBe(townships * 4);
    const subs = await env.DB.prepare('SELECT s.period, s.township_code, a.township_code AS own, a.login, s.rows_total, s.rows_accepted, s.rulebook_version FROM submissions s JOIN accounts a ON a.id = s.account_id').all<{
      period: string;
      township_code: string;
      own: string;
      login: string;
      rows_total: number;
      rows_accepted: number;
      rulebook_version: number | null;
    }>();
    expect(new Set(subs.results.map((s) => s.period))).toEqual(new Set(DEMO_PERIODS));
    for (const s of subs.results) {
      expect(s.own).toBe(s.township_code);
      expect(s.login).toMatch(s.township_code.startsWith(DEMO_COUNTY2.code) ? /^c2town\d$/ : /^town\d$/);
      expect(s.rows_accepted).toBe(s.rows_total);
      expect(s.rulebook_version).toBe(1);
    }
    expect(await n('SELECT count(*) AS n FROM village_results WHERE superseded_by IS NULL')).toBe(villages * 4);
    // Raw bytes for every submission.
    const keys = (await env.RAW.list({ prefix: 'raw/' })).objects.length;
    expect(keys).toBe(townships * 4);
    // The ledger has both open items and items closed by a later quarter.
    expect(await n("SELECT count(*) AS n FROM ledger_items WHERE status = 'open'")).toBeGreaterThan(0);
    expect(await n("SELECT count(*) AS n FROM ledger_items WHERE status = 'closed' AND close_submission IS NOT NULL")).toBeGreaterThan(0);
    // Messy cells were read: every village row has county points.
    expect(await n('SELECT count(*) AS n FROM village_results WHERE total_cents > 0')).toBe(villages * 4);
    // One observation round: five observers scored every township for 2026H1, raw scores kept.
    expect(await n("SELECT count(*) AS n FROM observation_rounds WHERE level = 'township' AND period = '2026H1'")).toBe(1);
    expect(await n('SELECT count(*) AS n FROM observation_scores')).toBe(6 * 5);
    // Demo accounts share a password but not a salt (no two equal hashes).
    const hashes = (await env.DB.prepare('SELECT password_hash FROM accounts').all<{ password_hash: string }>()).results.map((r) => r.password_hash);
    expect(new Set(hashes.map((h) => h.split('$')[2])).size).toBe(hashes.length);
  });
});
