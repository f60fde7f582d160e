// 区划代码调整: a county admin records a merge (≥ 2 codes become one new code), a split (one code becomes ≥ 2 new
// codes), a rename (a new name, on the same code or a new code of the same township) or a move (to another township
// of the county: the code's first 9 digits are the township, so a move always takes a new code — by default the new
// township's 9 digits + the village's own last 3, or the code the admin gives), each from a period. Old codes keep
// their rows and results and end from that period; new codes get new village rows. One D1 batch with its audit
// entry. The model: docs/design.md, "区划代码调整".
import * as v from 'valibot';
import type { Bindings, User } from '../env.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { actorOf, auditStatement } from '../audit/log.ts';
import { parsePeriodLabel } from '../../shared/scoring/period.ts';
import { endMonth, periodZh, startMonth } from './periods.ts';

export const CODE_CHANGE_KINDS = ['merge', 'split', 'rename', 'move'] as const;
export type CodeChangeKind = (typeof CODE_CHANGE_KINDS)[number];
export const KIND_ZH: Record<CodeChangeKind, string> = { merge: '合并', split: '拆分', rename: '更名', move: '调整乡镇' };

const Code = v.pipe(v.string('区划代码必须是文字'), v.trim(), v.regex(/^\d{12}$/, '村的区划代码应为12位数字'));
const TownshipCode = v.pipe(v.string('乡镇代码必须是文字'), v.trim(), v.regex(/^\d{9}$/, '乡镇代码应为9位数字'));
const VillageName = v.pipe(v.string('村名必须是文字'), v.trim(), v.minLength(1, '请填写村名'), v.maxLength(50, '村名最多 50 个字'));
const PeriodLabel = v.pipe(
  v.string('期次必须是文字'),
  v.trim(),
  v.check((s) => !!parsePeriodLabel(s), '期次应写成 2026、2026H1、2026Q1 或 2026-07'),
  v.transform((s) => parsePeriodLabel(s)!.label),
);
const Note = v.optional(v.pipe(v.string('说明必须是文字'), v.trim(), v.maxLength(200, '说明最多 200 个字')));
const NewVillage = v.strictObject({ code: Code, name: VillageName });

export const CodeChangeInput = v.variant(
  'kind',
  [
    v.strictObject({
      kind: v.literal('merge'),
      period: PeriodLabel,
      from: v.pipe(v.array(Code, '原代码应为数组'), v.minLength(2, '合并至少需要 2 个原代码'), v.maxLength(20, '一次最多合并 20 个村')),
      to: NewVillage,
      note: Note,
    }),
    v.strictObject({
      kind: v.literal('split'),
      period: PeriodLabel,
      from: Code,
      to: v.pipe(v.array(NewVillage, '新村应为数组'), v.minLength(2, '拆分至少需要 2 个新代码'), v.maxLength(20, '一次最多拆分为 20 个村')),
      note: Note,
    }),
    v.strictObject({ kind: v.literal('rename'), period: PeriodLabel, code: Code, name: VillageName, newCode: v.optional(Code), note: Note }),
    v.strictObject({ kind: v.literal('move'), period: PeriodLabel, code: Code, township: TownshipCode, newCode: v.optional(Code), name: v.optional(VillageName), note: Note }),
  ],
  '调整类型 kind 只能是 merge（合并）、split（拆分）、rename（更名）或 move（调整乡镇）',
);
export type CodeChangeInputT = v.InferOutput<typeof CodeChangeInput>;

interface VillageRow {
  code: string;
  name: string;
  township_code: string;
  valid_from: string | null;
  ended_from: string | null;
  ended_kind: string | null;
}

export interface CodeChangeView {
  id: string;
  kind: CodeChangeKind;
  kindZh: string;
  period: string;
  periodZh: string;
  from: { code: string; name: string; township: string }[];
  to: { code: string; name: string; township: string }[];
  oldName: string | null;
  note: string | null;
  createdBy: string;
  createdByName: string | null;
  createdAt: string;
}

interface Plan {
  olds: string[];
  news: { code: string; name: string; township: string }[];
  follows: boolean;
  /** A rename that keeps its code: only the name changes. */
  inPlace: boolean;
}

/** The county a caller may change codes of (county admin) or read them (admin, county staff). */
export function codesCounty(u: User, write: boolean): string {
  const ok = write ? u.role === 'admin' : u.role === 'admin' || u.role === 'county';
  if (!ok || !u.countyCode) throw forbidden(write ? '只有县管理员可以调整区划代码' : '只有县管理员和县委组织部可以查看区划代码调整');
  return u.countyCode;
}

function plan(input: CodeChangeInputT, villages: Map<string, VillageRow>): Plan {
  const town = (code: string) => code.slice(0, 9);
  switch (input.kind) {
    case 'merge':
      return { olds: input.from, news: [{ code: input.to.code, name: input.to.name, township: town(input.to.code) }], follows: true, inPlace: false };
    case 'split':
      return { olds: [input.from], news: input.to.map((n) => ({ code: n.code, name: n.name, township: town(n.code) })), follows: false, inPlace: false };
    case 'rename': {
      const code = input.newCode ?? input.code;
      if (town(code) !== town(input.code)) {
        throw badRequest('bad_code_change', `更名不改变乡镇：新代码${code}的前9位应与原代码相同（${town(input.code)}）；村划入其他乡镇请用“调整乡镇”（move）`);
      }
      return { olds: [input.code], news: [{ code, name: input.name, township: town(code) }], follows: true, inPlace: code === input.code };
    }
    case 'move': {
      const code = input.newCode ?? `${input.township}${input.code.slice(9)}`;
      if (town(code) !== input.township) throw badRequest('bad_code_change', `新代码${code}的前9位应为新乡镇的代码${input.township}：区划代码的前9位就是乡镇`);
      if (town(input.code) === input.township) throw badRequest('bad_code_change', `区划代码${input.code}已属于乡镇${input.township}：调整乡镇须换到另一个乡镇`);
      const name = input.name ?? villages.get(input.code)?.name ?? '';
      return { olds: [input.code], news: [{ code, name, township: input.township }], follows: true, inPlace: false };
    }
  }
}

/** Record one change: validated against the county's villages, townships and results, then one batch. */
export async function recordCodeChange(env: Bindings, admin: User, input: CodeChangeInputT): Promise<CodeChangeView> {
  const county = codesCounty(admin, true);
  const all = [...codesOf(input)];
  for (const c of all) if (!c.startsWith(county)) throw badRequest('other_county', `区划代码${c}不是本县（${county}）的代码`);
  if ('township' in input && !input.township.startsWith(county)) throw badRequest('other_county', `乡镇代码${input.township}不是本县（${county}）的乡镇`);

  const [vr, tr] = await env.DB.batch([
    env.DB.prepare(
      `SELECT v.code, v.name, v.township_code, vv.valid_from, vv.ended_from, c.kind AS ended_kind
       FROM villages v JOIN townships t ON t.code = v.township_code LEFT JOIN village_validity vv ON vv.code = v.code
       LEFT JOIN code_changes c ON c.id = vv.ended_by
       WHERE t.county_code = ?`,
    ).bind(county),
    env.DB.prepare('SELECT code, name FROM townships WHERE county_code = ?').bind(county),
  ]);
  const villages = new Map((vr!.results as unknown as VillageRow[]).map((r) => [r.code, r]));
  const townships = new Map((tr!.results as { code: string; name: string }[]).map((r) => [r.code, r.name]));
  if (input.kind === 'move' && !townships.has(input.township)) throw badRequest('unknown_township', `乡镇代码${input.township}不在本县乡镇名录中`);
  const p = plan(input, villages);
  const period = parsePeriodLabel(input.period)!;
  const pz = period.labelZh;

  // Within the request.
  const seen = new Set<string>();
  for (const c of [...p.olds, ...(p.inPlace ? [] : p.news.map((n) => n.code))]) {
    if (seen.has(c)) throw badRequest('bad_code_change', `区划代码${c}在本次调整中出现了两次：原代码与新代码都不能重复`);
    seen.add(c);
  }
  for (const n of p.news) if (!townships.has(n.township)) throw badRequest('unknown_township', `新代码${n.code}的前9位${n.township}不在本县乡镇名录中：区划代码的前9位应为所属乡镇的代码`);

  // Against the villages.
  for (const c of p.olds) {
    const old = villages.get(c);
    if (!old) throw conflict('code_conflict', `区划代码${c}不在本县村名录中，无法${KIND_ZH[input.kind]}`);
    if (old.ended_from) throw conflict('code_conflict', `区划代码${c}（${old.name}）已自${periodZh(old.ended_from)}起停用（${KIND_ZH[old.ended_kind as CodeChangeKind] ?? '调整'}），不能再调整`);
    const vf = old.valid_from ? parsePeriodLabel(old.valid_from) : undefined;
    if (vf && startMonth(period) <= startMonth(vf) && !p.inPlace) {
      throw conflict('code_conflict', `区划代码${c}（${old.name}）自${vf.labelZh}起才设立，调整须晚于${vf.labelZh}`);
    }
  }
  if (p.inPlace && villages.get(p.olds[0]!)!.name === p.news[0]!.name) throw badRequest('bad_code_change', `区划代码${p.olds[0]}的村名已是“${p.news[0]!.name}”`);
  if (!p.inPlace) {
    for (const n of p.news) {
      const taken = villages.get(n.code);
      if (taken) throw conflict('code_conflict', `区划代码${n.code}已是村名录中的“${taken.name}”：新代码不能与现有的村重复`);
      const elsewhere = await env.DB.prepare('SELECT code FROM villages WHERE code = ?').bind(n.code).first();
      if (elsewhere) throw conflict('code_conflict', `区划代码${n.code}已被使用`);
    }
  }

  // Against the results: an old code's results from this period on would be left with a code that has ended.
  if (!p.inPlace) {
    const res = await env.DB.prepare(
      `SELECT DISTINCT village_code, period FROM village_results WHERE superseded_by IS NULL AND village_code IN (SELECT value FROM json_each(?))`,
    )
      .bind(JSON.stringify(p.olds))
      .all<{ village_code: string; period: string }>();
    const late = res.results
      .map((r) => ({ ...r, p: parsePeriodLabel(r.period) }))
      .filter((r) => r.p && endMonth(r.p) >= startMonth(period))
      .sort((a, b) => endMonth(b.p!) - endMonth(a.p!))[0];
    if (late) {
      throw conflict(
        'code_conflict',
        `区划代码${late.village_code}已有${late.p!.labelZh}的考评结果：调整须从该期次之后生效（或先撤回该期上报），${pz}起生效会使已有结果落在停用的代码上`,
      );
    }
  }

  const id = crypto.randomUUID();
  const at = new Date().toISOString();
  const from = p.olds.map((c) => ({ code: c, name: villages.get(c)!.name, township: villages.get(c)!.township_code }));
  const oldName = p.inPlace ? villages.get(p.olds[0]!)!.name : null;
  const detail = { from, to: p.news, oldName, note: input.note ?? null };
  const db = env.DB;
  const s: D1PreparedStatement[] = [
    db.prepare('INSERT INTO code_changes (id, county_code, kind, effective_from, detail_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').bind(
      id,
      county,
      input.kind,
      period.label,
      JSON.stringify(detail),
      admin.id,
      at,
    ),
  ];
  if (p.inPlace) {
    s.push(db.prepare('UPDATE villages SET name = ? WHERE code = ?').bind(p.news[0]!.name, p.olds[0]!));
  } else {
    for (const n of p.news) {
      s.push(db.prepare('INSERT INTO villages (code, township_code, name) VALUES (?, ?, ?)').bind(n.code, n.township, n.name));
      s.push(db.prepare('INSERT INTO village_validity (code, valid_from, started_by) VALUES (?, ?, ?)').bind(n.code, period.label, id));
    }
    for (const o of p.olds) {
      s.push(
        db
          .prepare('INSERT INTO village_validity (code, ended_from, ended_by) VALUES (?1, ?2, ?3) ON CONFLICT (code) DO UPDATE SET ended_from = ?2, ended_by = ?3 WHERE ended_from IS NULL')
          .bind(o, period.label, id),
        // Guard: a change recorded meanwhile ended this code first → a duplicate key fails the whole batch.
        db.prepare('INSERT INTO village_validity (code) SELECT ?1 WHERE (SELECT ended_by FROM village_validity WHERE code = ?1) IS NOT ?2').bind(o, id),
      );
      for (const n of p.news) s.push(db.prepare('INSERT INTO code_change_links (change_id, old_code, new_code, follows) VALUES (?, ?, ?, ?)').bind(id, o, n.code, p.follows ? 1 : 0));
    }
  }
  const summary = changeSentence(input.kind, pz, from, p.news, oldName);
  s.push(
    auditStatement(db, {
      at,
      actor: actorOf(admin),
      county,
      action: 'village.code_change',
      target: id,
      summary,
      detail: { kind: input.kind, period: period.label, ...detail },
    }),
  );
  try {
    await db.batch(s);
  } catch (e) {
    // The guards above, or a new code taken meanwhile: another change came first; nothing of this one is stored.
    if (/UNIQUE constraint failed|PRIMARY KEY/i.test(String(e))) throw conflict('code_conflict', '另一项区划代码调整刚刚改动了相同的代码，本次调整未保存：请刷新后核对再记录');
    throw e;
  }
  return {
    id,
    kind: input.kind,
    kindZh: KIND_ZH[input.kind],
    period: period.label,
    periodZh: pz,
    ...detail,
    createdBy: admin.id,
    createdByName: admin.name,
    createdAt: at,
  };
}

function codesOf(input: CodeChangeInputT): string[] {
  switch (input.kind) {
    case 'merge':
      return [...input.from, input.to.code];
    case 'split':
      return [input.from, ...input.to.map((t) => t.code)];
    case 'rename':
    case 'move':
      return [input.code, ...(input.newCode ? [input.newCode] : [])];
  }
}

const list = (xs: readonly { code: string; name: string }[]) => xs.map((x) => `${x.code}（${x.name}）`).join('、');

/** The audit summary and the list page's sentence. */
export function changeSentence(
  kind: CodeChangeKind,
  pz: string,
  from: readonly { code: string; name: string }[],
  to: readonly { code: string; name: string; township: string }[],
  oldName: string | null,
): string {
  switch (kind) {
    case 'merge':
      return `自${pz}起，${list(from)}合并为${list(to)}`;
    case 'split':
      return `自${pz}起，${list(from)}拆分为${list(to)}`;
    case 'rename':
      return oldName ? `自${pz}起，${from[0]!.code}由“${oldName}”更名为“${to[0]!.name}”` : `自${pz}起，${list(from)}更名并改用新代码${list(to)}`;
    case 'move':
      return `自${pz}起，${list(from)}划入乡镇${to[0]!.township}，新代码${list(to)}`;
  }
}

interface ChangeRow {
  id: string;
  kind: CodeChangeKind;
  effective_from: string;
  detail_json: string;
  created_by: string;
  created_by_name: string | null;
  created_at: string;
}

/** The county's changes, newest first. */
export async function listCodeChanges(env: Bindings, county: string): Promise<CodeChangeView[]> {
  const r = await env.DB.prepare(
    `SELECT c.id, c.kind, c.effective_from, c.detail_json, c.created_by, a.name AS created_by_name, c.created_at
     FROM code_changes c LEFT JOIN accounts a ON a.id = c.created_by WHERE c.county_code = ? ORDER BY c.created_at DESC, c.id`,
  )
    .bind(county)
    .all<ChangeRow>();
  return r.results.map((x) => {
    const d = JSON.parse(x.detail_json) as Pick<CodeChangeView, 'from' | 'to' | 'oldName' | 'note'>;
    return {
      id: x.id,
      kind: x.kind,
      kindZh: KIND_ZH[x.kind],
      period: x.effective_from,
      periodZh: periodZh(x.effective_from),
      from: d.from,
      to: d.to,
      oldName: d.oldName ?? null,
      note: d.note ?? null,
      createdBy: x.created_by,
      createdByName: x.created_by_name,
      createdAt: x.created_at,
    };
  });
}

/** Undo the county's latest change, if no submission of the county was stored since it: its new villages go,
 * its old codes are valid again (an in-place rename gets its old name back). The change row goes too; the audit
 * log keeps both entries. */
export async function undoCodeChange(env: Bindings, admin: User, id: string): Promise<{ undone: CodeChangeView }> {
  const county = codesCounty(admin, true);
  const all = await listCodeChanges(env, county);
  const change = all.find((c) => c.id === id);
  if (!change) throw notFound('找不到这次区划代码调整');
  if (all[0]!.id !== id) throw conflict('code_conflict', `只能撤销最近一次调整（${all[0]!.kindZh}，自${all[0]!.periodZh}起）；请先撤销它`);
  const later = await env.DB.prepare('SELECT count(*) AS n, MIN(created_at) AS first FROM submissions WHERE county_code = ? AND created_at >= ?')
    .bind(county, change.createdAt)
    .first<{ n: number; first: string | null }>();
  if (later && later.n > 0) throw conflict('code_conflict', `这次调整之后本县已有 ${later.n} 次上报（最早 ${later.first?.slice(0, 10)}），不能撤销；如有错误请再记录一次调整`);
  const db = env.DB;
  const olds = JSON.stringify(change.from.map((f) => f.code));
  const s: D1PreparedStatement[] = [];
  if (change.oldName !== null) {
    s.push(db.prepare('UPDATE villages SET name = ? WHERE code = ?').bind(change.oldName, change.from[0]!.code));
  } else {
    s.push(
      db.prepare('DELETE FROM code_change_links WHERE change_id = ?').bind(id),
      db.prepare('DELETE FROM village_validity WHERE started_by = ?').bind(id),
      db.prepare('DELETE FROM villages WHERE code IN (SELECT value FROM json_each(?))').bind(JSON.stringify(change.to.map((t) => t.code))),
      db.prepare('UPDATE village_validity SET ended_from = NULL, ended_by = NULL WHERE ended_by = ?').bind(id),
      db.prepare('DELETE FROM village_validity WHERE code IN (SELECT value FROM json_each(?)) AND valid_from IS NULL AND ended_from IS NULL').bind(olds),
    );
  }
  s.push(db.prepare('DELETE FROM code_changes WHERE id = ?').bind(id));
  s.push(
    auditStatement(db, {
      at: new Date().toISOString(),
      actor: actorOf(admin),
      county,
      action: 'village.code_change_undo',
      target: id,
      summary: `撤销：${changeSentence(change.kind, change.periodZh, change.from, change.to, change.oldName)}`,
      detail: { kind: change.kind, period: change.period, from: change.from, to: change.to, oldName: change.oldName },
    }),
  );
  await db.batch(s);
  return { undone: change };
}
