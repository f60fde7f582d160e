// Demo activity: four quarters of submissions from every demo township (2025Q4–2026Q3), sent by the
// township's own officer account through acceptSubmission, so the demo goes through exactly the path real
// data takes (scope, hashing, R2, scoring, superseding, the ledger). Then the observation round hook.
import type { Bindings } from './env.ts';
import { createRound, insertScores } from './observations/store.ts';
import type { DemoCounty, DemoTownship } from '../shared/demo/generate.ts';
import { demoColumns, demoValues, prng } from '../shared/demo/generate.ts';
import { defaultRulebook } from '../shared/rulebook/load.ts';
import { parsePeriodLabel } from '../shared/scoring/period.ts';
import { buildSubmission, type Submission } from '../shared/submission.ts';
import { columnLetter } from '../shared/sheet/address.ts';
import type { ColumnReport, InputDef, Period, RawCell, Rulebook } from '../shared/types.ts';
import { toUser } from './auth/session.ts';
import { acceptSubmission } from './submissions/accept.ts';
import { rowsInput } from './submissions/canonical.ts';

export const DEMO_PERIODS = ['2025Q4', '2026Q1', '2026Q2', '2026Q3'] as const;

/** The first data row of a demo sheet (title, 填报单位 line and a two-row header above it). */
const FIRST_ROW = 5;

/** The Submission a demo township's officer would send for one quarter (messy cells, as typed). */
export function demoSubmission(rulebook: Rulebook, township: DemoTownship, period: Period, columns: readonly InputDef[] = demoColumns(rulebook)): Submission {
  const report: ColumnReport[] = columns.map((def, i) => ({
    index: i,
    letter: columnLetter(i),
    header: def.unit && !def.label.includes(`（${def.unit}）`) ? `${def.label}（${def.unit}）` : def.label,
    input: def.id,
    inputLabel: def.label,
    confidence: 1,
    matchedBy: 'exact',
  }));
  const rows = township.villages.map((village, r) => {
    const values = demoValues(rulebook, village, period, { messy: true });
    const row = FIRST_ROW + r;
    const cells: Record<string, RawCell | undefined> = {};
    report.forEach((col, i) => {
      const def = columns[i]!;
      const text = values[def.id];
      if (text === undefined || text === '') return;
      // Numbers an officer types are numbers in Excel (codes too); dates stay as typed.
      const value = /^\d+(\.\d+)?$/.test(text) && def.kind !== 'date' ? Number(text) : text;
      cells[def.id] = { address: `${col.letter}${row}`, value };
    });
    return { row, cells };
  });
  return buildSubmission({
    period: period.label,
    townshipCode: township.code,
    sheet: '调查表',
    fileName: `${township.name}${period.labelZh}村党组织建设情况调查表.xlsx`,
    source: 'browser',
    columns: report,
    rows,
  });
}

export async function loadDemoActivity(env: Bindings, demo: DemoCounty, opts: { login?: (i: number) => string; observations?: boolean } = {}): Promise<void> {
  const rulebook = defaultRulebook();
  const columns = demoColumns(rulebook);
  const periods = DEMO_PERIODS.map((p) => parsePeriodLabel(p)!);
  // Townships in parallel (they share nothing); within a township, quarters in order, so each quarter's
  // ledger closes what the previous one opened.
  await Promise.all(
    demo.townships.map(async (township, i) => {
      const login = opts.login ? opts.login(i) : `town${i + 1}`;
      const account = await env.DB.prepare('SELECT id, login, name, role, province_code, county_code, township_code FROM accounts WHERE login = ?')
        .bind(login)
        .first<Parameters<typeof toUser>[0]>();
      if (!account) throw new Error(`demo account ${login} missing`);
      const user = toUser(account);
      for (const period of periods) await acceptSubmission(env, user, rowsInput(demoSubmission(rulebook, township, period, columns)));
    }),
  );
  if (opts.observations !== false) await loadDemoObservations(env, demo);
}

export const DEMO_OBSERVERS = ['县委组织部 张某', '县委组织部 李某', '县纪委 王某', '县农业农村局 赵某', '乡镇党委书记代表 刘某'];

/**
 * The demo observation round (观摩评议): the county observes every township for 2026H1; five observers each
 * score each township (deterministic, around the township's village quality), through the same store as
 * the observation page.
 */
export async function loadDemoObservations(env: Bindings, demo: DemoCounty): Promise<void> {
  const round = await createRound(env, { countyCode: demo.code, period: '2026H1', level: 'township', title: '2026年上半年乡镇党建观摩评议', accountId: 'acc-county' });
  const rnd = prng(20261);
  const scores = demo.townships.flatMap((t) => {
    const quality = t.villages.reduce((s, v) => s + v.quality, 0) / Math.max(1, t.villages.length);
    return DEMO_OBSERVERS.map((observer) => ({ unit: t.code, observer, score: Math.round((70 + quality * 25 + (rnd() - 0.5) * 10) * 10) / 10 }));
  });
  await insertScores(env, round.id, scores, 'acc-county');
}
