// Routes for /api/observations: 观摩评议 rounds and scores. County staff and admins create rounds and enter
// every observer's raw score; the aggregate (drop the highest and lowest with ≥ 3 observers, then the mean,
// exact in hundredths) and the rule it used are computed on read and returned with the scores.
import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv, User } from '../env.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { authenticate, requireRole } from '../auth/middleware.ts';
import { assertCounty, countyOf } from '../auth/scope.ts';
import { parseJson, parseQuery } from '../http.ts';
import { parsePeriodOrThrow } from '../aggregate/periods.ts';
import { OBSERVATION_RULE, toCents } from '../observations/aggregate.ts';
import { actorOf } from '../audit/log.ts';
import { observationScoresAudit } from '../audit/entries.ts';
import { createRound, getRound, roundView, scoresOf, unitNames, type RoundRow, type ScoreRow } from '../observations/store.ts';

const LEVEL_ZH = { village: '村', township: '乡镇' } as const;
const MAX_SCORES = 2000;

const NewRound = v.strictObject(
  {
    period: v.pipe(v.string('期次必须是文字'), v.minLength(1, '请填写期次')),
    level: v.picklist(['village', 'township'], '观摩对象应为 village（村）或 township（乡镇）'),
    title: v.pipe(v.string('标题必须是文字'), v.trim(), v.minLength(1, '请填写标题'), v.maxLength(100, '标题不超过100字')),
  },
  (i) => (i.expected === 'never' ? `不认识的字段${i.received}` : '请求内容应为 { period, level, title }'),
);

const ScoreEntry = v.strictObject(
  {
    unit: v.pipe(v.string('单位代码必须是文字'), v.regex(/^\d{9}(\d{3})?$/, '单位代码应为9位（乡镇）或12位（村）区划代码')),
    observer: v.pipe(v.string('评委必须是文字'), v.trim(), v.minLength(1, '请填写评委'), v.maxLength(50, '评委名称不超过50字')),
    score: v.pipe(
      v.number('评分必须是数字'),
      v.minValue(0, '评分应在0到100分之间'),
      v.maxValue(100, '评分应在0到100分之间'),
      v.check((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, '评分最多保留两位小数'),
    ),
  },
  (i) => (i.expected === 'never' ? `不认识的字段${i.received}` : '每条评分应为 { unit, observer, score }'),
);

const NewScores = v.strictObject(
  {
    scores: v.pipe(v.array(ScoreEntry, 'scores 必须是数组'), v.minLength(1, '至少录入一条评分'), v.maxLength(MAX_SCORES, `一次最多录入${MAX_SCORES}条评分`)),
    /** Replace an observer's score already entered for a unit (the old score is kept in the audit log). */
    replace: v.optional(v.boolean('replace 必须是 true 或 false')),
  },
  (i) => (i.expected === 'never' ? `不认识的字段${i.received}` : '请求内容应为 { scores: [...] }'),
);

const ListQuery = v.strictObject(
  {
    period: v.optional(v.string()),
    level: v.optional(v.picklist(['village', 'township'], 'level 应为 village 或 township')),
    county: v.optional(v.pipe(v.string(), v.regex(/^\d{6}$/, '县级区划代码应为6位数字'))),
  },
  '参数不正确',
);

/** A township officer sees only the units of their township. */
function unitFilter(u: User): (unit: string) => boolean {
  return u.role === 'township' ? (unit) => !!u.townshipCode && unit.startsWith(u.townshipCode) : () => true;
}

async function loadRoundFor(c: { env: AppEnv['Bindings']; get: (k: 'user') => User }, id: string): Promise<RoundRow> {
  const round = await getRound(c.env, id);
  if (!round) throw notFound('找不到该观摩评议轮次');
  const u = c.get('user');
  if (u.role === 'township') {
    if (u.townshipCode?.slice(0, 6) !== round.county_code) throw notFound('找不到该观摩评议轮次');
  } else {
    assertCounty(u, round.county_code);
  }
  return round;
}

export const observations = new Hono<AppEnv>()
  .use('*', authenticate)
  .post('/rounds', requireRole('county', 'admin'), async (c) => {
    const body = await parseJson(c, NewRound);
    const u = c.get('user');
    const county = countyOf(u);
    const period = parsePeriodOrThrow(body.period);
    if (body.level === 'village' && period.kind !== 'quarter') throw badRequest('bad_period', `村级观摩按季度进行，期次应写成 2026Q3 这样的季度（收到“${body.period}”）`);
    if (body.level === 'township' && period.kind !== 'half') throw badRequest('bad_period', `乡镇观摩按半年进行，期次应写成 2026H1 或 2026H2（收到“${body.period}”）`);
    const row = await createRound(c.env, { countyCode: county, period: period.label, level: body.level, title: body.title, accountId: u.id, actor: actorOf(u) });
    return c.json({ round: roundView(row, [], new Map()) }, 201);
  })
  .post('/rounds/:id/scores', requireRole('county', 'admin'), async (c) => {
    const round = await loadRoundFor(c, c.req.param('id'));
    const body = await parseJson(c, NewScores);
    const u = c.get('user');
    const names = await unitNames(c.env, round.county_code);
    const wantLength = round.level === 'village' ? 12 : 9;
    const problems: string[] = [];
    const seen = new Set<string>();
    body.scores.forEach((s, i) => {
      if (s.unit.length !== wantLength) problems.push(`scores[${i}].unit：本轮观摩对象为${LEVEL_ZH[round.level]}，代码应为${wantLength}位`);
      else if (!names.has(s.unit)) problems.push(`scores[${i}].unit：${s.unit}不是本县登记的${LEVEL_ZH[round.level]}`);
      const key = `${s.unit}|${s.observer}`;
      if (seen.has(key)) problems.push(`scores[${i}]：评委“${s.observer}”对${s.unit}的评分重复`);
      seen.add(key);
    });
    if (problems.length) throw badRequest('invalid', problems.slice(0, 20).join('；'), problems);
    const existing = await scoresOf(c.env, [round.id]);
    const old = new Map(existing.map((s) => [`${s.unit_code}|${s.observer}`, s]));
    const clashes = body.scores.filter((s) => old.has(`${s.unit}|${s.observer}`));
    if (clashes.length && !body.replace) {
      throw conflict(
        'score_exists',
        `以下评分已录入：${clashes
          .slice(0, 10)
          .map((s) => `${s.unit}（${s.observer}）`)
          .join('、')}${clashes.length > 10 ? `等${clashes.length}条` : ''}；如需更正，请带 replace: true 重新提交（原分数记入审计日志）`,
      );
    }
    const now = new Date().toISOString();
    const stmts: D1PreparedStatement[] = [];
    for (const s of body.scores) {
      const prev = old.get(`${s.unit}|${s.observer}`);
      if (prev) {
        stmts.push(
          c.env.DB.prepare('UPDATE observation_scores SET score_cents = ?, created_by = ?, created_at = ? WHERE round_id = ? AND unit_code = ? AND observer = ?').bind(
            toCents(s.score),
            u.id,
            now,
            round.id,
            s.unit,
            s.observer,
          ),
        );
      } else {
        stmts.push(
          c.env.DB.prepare('INSERT INTO observation_scores (round_id, unit_code, observer, score_cents, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)').bind(
            round.id,
            s.unit,
            s.observer,
            toCents(s.score),
            u.id,
            now,
          ),
        );
      }
    }
    stmts.push(
      observationScoresAudit(c.env.DB, {
        at: now,
        actor: actorOf(u),
        round,
        added: body.scores.length - clashes.length,
        replaced: clashes.map((s) => ({ unit: s.unit, observer: s.observer, old: old.get(`${s.unit}|${s.observer}`)!.score_cents / 100, new: s.score })),
      }),
    );
    await c.env.DB.batch(stmts);
    const scores = await scoresOf(c.env, [round.id]);
    return c.json({ round: roundView(round, scores, names), added: body.scores.length - clashes.length, replaced: clashes.length }, clashes.length === body.scores.length ? 200 : 201);
  })
  .get('/rounds', requireRole('county', 'admin', 'finance', 'province', 'township'), async (c) => {
    const q = parseQuery(c, ListQuery);
    const u = c.get('user');
    const county = countyOf(u, q.county);
    const period = q.period ? parsePeriodOrThrow(q.period).label : undefined;
    const where = ['county_code = ?'];
    const args: string[] = [county];
    if (period) {
      where.push('period = ?');
      args.push(period);
    }
    if (q.level) {
      where.push('level = ?');
      args.push(q.level);
    }
    const rounds = await c.env.DB.prepare(`SELECT * FROM observation_rounds WHERE ${where.join(' AND ')} ORDER BY period DESC, created_at DESC, id`)
      .bind(...args)
      .all<RoundRow>();
    const [scores, names] = await Promise.all([scoresOf(c.env, rounds.results.map((r) => r.id)), unitNames(c.env, county)]);
    const keep = unitFilter(u);
    const byRound = new Map<string, ScoreRow[]>();
    for (const s of scores) if (keep(s.unit_code)) byRound.set(s.round_id, [...(byRound.get(s.round_id) ?? []), s]);
    return c.json({ county, rule: OBSERVATION_RULE, rounds: rounds.results.map((r) => roundView(r, byRound.get(r.id) ?? [], names)) });
  })
  .get('/rounds/:id', requireRole('county', 'admin', 'finance', 'province', 'township'), async (c) => {
    const round = await loadRoundFor(c, c.req.param('id'));
    const keep = unitFilter(c.get('user'));
    const [scores, names] = await Promise.all([scoresOf(c.env, [round.id]), unitNames(c.env, round.county_code)]);
    return c.json({ round: roundView(round, scores.filter((s) => keep(s.unit_code)), names) });
  });
