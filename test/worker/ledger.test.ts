import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import example from '../../shared/rulebook/county-example.json' with { type: 'json' };
import { call, T1, T2 } from './helpers.ts';
import { count, submission, V, type Answer } from './submission-helpers.ts';
import { currentQuarter } from '../../worker/routes/county.ts';
import { chinaToday, type LedgerItem } from '../../worker/ledger/items.ts';

const post = async (login: string, json: unknown): Promise<Answer> => {
  const res = await call(login, '/api/submissions', { method: 'POST', json });
  if (res.status !== 201) throw new Error(`${res.status} ${await res.text()}`);
  return res.json<Answer>();
};
/** One village row of T1 (or T2) with the given 活动场所面积; income 6万 passes basic-41 and demo-14-a. */
const one = (period: string, n: number, area: number, township = T1) => submission(period, [{ row: 5, code: V(n, township), name: `村${n}`, area, income: 6 }], township);
const list = async (login: string, query = ''): Promise<{ total: number; items: LedgerItem[]; today: string }> => {
  const res = await call(login, `/api/ledger${query}`);
  if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
  return res.json();
};
const itemsOf = async (village: string, req?: string) => (await list('county', `?village=${village}`)).items.filter((i) => !req || i.requirementId === req);

describe('the ledger follows the submissions', () => {
  it('opens an item per failing requirement and closes it when a later submission passes, keeping the evidence', async () => {
    const q1 = await post('town1', submission('2025Q1', [
      { row: 5, code: V(0), name: '张庄村', area: 60, income: 6 },
      { row: 6, code: V(1), name: '李寨村', area: 120, income: 6 },
    ]));
    const v0 = await itemsOf(V(0));
    expect(v0.map((i) => [i.requirementId, i.status]).sort()).toEqual([
      ['basic-24', 'open'],
      ['demo-13-a', 'open'],
    ]);
    const area = v0.find((i) => i.requirementId === 'basic-24')!;
    expect(area).toMatchObject({
      township: { code: T1, name: '东风镇' },
      village: { code: V(0), name: '张庄村' },
      standard: 'basic',
      article: 24,
      articleRef: '基本标准第24条',
      message: expect.stringMatching(/活动场所面积60平方米，不符合“不低于90平方米”/),
      foundPeriod: '2025Q1',
      foundSubmission: q1.submission.id,
      // Period end (2025-03-31) + 30 days (no county rulebook: the default).
      deadline: '2025-04-30',
      overdue: true,
      closedBy: null,
    });
    expect((await itemsOf(V(1))).map((i) => i.requirementId)).toEqual(['demo-13-a']);

    // Q2: the area is fixed; 示范 300㎡ is still not met.
    const q2 = await post('town1', one('2025Q2', 0, 120));
    const after = await itemsOf(V(0));
    expect(after).toHaveLength(2); // nothing deleted, nothing duplicated
    expect(after.find((i) => i.requirementId === 'basic-24')).toMatchObject({
      id: area.id,
      status: 'closed',
      overdue: false,
      foundPeriod: '2025Q1',
      closedBy: { kind: 'submission', submissionId: q2.submission.id },
      evidence: expect.stringMatching(/活动场所面积120平方米/),
      closedAt: q2.submission.createdAt,
    });
    expect(after.find((i) => i.requirementId === 'demo-13-a')).toMatchObject({ status: 'open', foundPeriod: '2025Q1' });
  });

  it('a pass for an earlier period does not close an item found later; a late failure already fixed later is recorded closed', async () => {
    const q3 = await post('town1', submission('2025Q3', [
      { row: 5, code: V(2), name: '王屯村', area: 60, income: 6 },
      { row: 6, code: V(3), name: '刘庄村', area: 120, income: 6 },
    ]));
    // A late 2025Q2 sheet: 王屯村 passed then, 刘庄村 failed then.
    await post('town1', submission('2025Q2', [
      { row: 5, code: V(2), name: '王屯村', area: 120, income: 6 },
      { row: 6, code: V(3), name: '刘庄村', area: 60, income: 6 },
    ]));
    expect(await itemsOf(V(2), 'basic-24')).toMatchObject([{ status: 'open', foundPeriod: '2025Q3' }]);
    expect(await itemsOf(V(3), 'basic-24')).toMatchObject([
      { status: 'closed', foundPeriod: '2025Q2', closedBy: { kind: 'submission', submissionId: q3.submission.id }, evidence: expect.stringMatching(/^2025年第三季度：.*120平方米/) },
    ]);
  });

  it('a requirement that fails again after being closed in the same period opens a new item', async () => {
    await post('town1', one('2025Q4', 4, 60));
    await post('town1', one('2025Q4', 4, 120));
    await post('town1', one('2025Q4', 4, 70));
    const items = await itemsOf(V(4), 'basic-24');
    expect(items.map((i) => [i.foundPeriod, i.status]).sort()).toEqual([
      ['2025Q4', 'closed'],
      ['2025Q4', 'open'],
    ]);
    // At most one open item per village and requirement, however it is written.
    const open = await env.DB.prepare("SELECT count(*) AS n FROM ledger_items WHERE village_code = ? AND requirement_id = 'basic-24' AND status = 'open'").bind(V(4)).first<{ n: number }>();
    expect(open!.n).toBe(1);
  });

  it('overdue: open and past its deadline (China time); filters by township, status and overdue', async () => {
    const now = currentQuarter();
    await post('town2', one(now, 0, 60, T2));
    const fresh = (await itemsOf(V(0, T2), 'basic-24'))[0]!;
    expect(fresh.deadline > chinaToday()).toBe(true);
    expect(fresh.overdue).toBe(false);
    const overdue = await list('county', '?overdue=1');
    expect(overdue.items.length).toBeGreaterThan(0);
    expect(overdue.items.every((i) => i.overdue && i.status === 'open' && i.deadline < overdue.today)).toBe(true);
    expect(overdue.items.some((i) => i.id === fresh.id)).toBe(false);
    expect((await list('county', '?overdue=0')).items.some((i) => i.id === fresh.id)).toBe(true);
    const t2 = await list('county', `?township=${T2}&status=open`);
    expect(t2.items.map((i) => i.id)).toContain(fresh.id);
    expect(t2.items.every((i) => i.township.code === T2 && i.status === 'open')).toBe(true);
    expect(t2.total).toBe(t2.items.length);
    const closed = await list('county', '?status=closed');
    expect(closed.items.every((i) => i.status === 'closed')).toBe(true);
    // Scope: a township officer sees their own township only; the other county sees nothing of ours.
    expect((await list('town2')).items.every((i) => i.township.code === T2)).toBe(true);
    expect((await call('town2', `/api/ledger?township=${T1}`)).status).toBe(403);
    expect((await call('other-county', `/api/ledger?township=${T1}`)).status).toBe(403);
    expect((await list('other-county')).total).toBe(0);
    expect((await call('province', '/api/ledger')).status).toBe(403);
    expect((await list('province', '?county=410999')).total).toBeGreaterThan(0);
    expect((await call('county', '/api/ledger?status=done')).status).toBe(400);
  });

  it('the county rulebook sets the rectification deadline (ledger.deadlineDays)', async () => {
    const put = await call('admin', '/api/county/rulebook', { method: 'PUT', json: { ...example, effectiveFrom: '2027', ledger: { deadlineDays: 45 } } });
    expect(put.status).toBe(201);
    const s = await post('town2', one('2027Q1', 1, 60, T2));
    expect(s.submission.rulebookVersion).toBe(1);
    // 2027-03-31 + 45 days.
    expect((await itemsOf(V(1, T2), 'basic-24'))[0]!.deadline).toBe('2027-05-15');
    // A period before the rulebook takes effect keeps the default 30 days.
    await post('town2', one('2026Q4', 2, 60, T2));
    expect((await itemsOf(V(2, T2), 'basic-24'))[0]!.deadline).toBe('2027-01-30');
  });
});

describe('notes and manual close', () => {
  async function anItem(): Promise<LedgerItem> {
    // A period after every other in this file, so no later result has already fixed it.
    await post('town1', one('2028Q1', 3, 10));
    return (await itemsOf(V(3), 'basic-24')).find((i) => i.foundPeriod === '2028Q1')!;
  }

  it('appends notes with who and when', async () => {
    const item = await anItem();
    const r1 = await call('town1', `/api/ledger/${item.id}/notes`, { method: 'POST', json: { text: '已联系村支书，计划下月扩建' } });
    expect(r1.status).toBe(200);
    const r2 = await call('county', `/api/ledger/${item.id}/notes`, { method: 'POST', json: { text: '  组织科已督办  ' } });
    const { item: updated } = await r2.json<{ item: LedgerItem }>();
    expect(updated.notes).toEqual([
      { at: expect.any(String), by: { id: 'acc-town1', name: 'town1' }, text: '已联系村支书，计划下月扩建' },
      { at: expect.any(String), by: { id: 'acc-county', name: 'county' }, text: '组织科已督办' },
    ]);
    expect(updated.status).toBe('open');
    expect((await call('town2', `/api/ledger/${item.id}/notes`, { method: 'POST', json: { text: 'x' } })).status).toBe(403);
    expect((await call('finance', `/api/ledger/${item.id}/notes`, { method: 'POST', json: { text: 'x' } })).status).toBe(403);
    expect((await call('other-county', `/api/ledger/${item.id}/notes`, { method: 'POST', json: { text: 'x' } })).status).toBe(403);
    const empty = await call('county', `/api/ledger/${item.id}/notes`, { method: 'POST', json: { text: '   ' } });
    expect(empty.status).toBe(400);
    expect((await empty.json<{ error: { message: string } }>()).error.message).toMatch(/text：请填写备注内容/);
    expect(await count('audit_log', "action = 'ledger.note' AND target = ?", item.id)).toBe(2);
  });

  it('county staff or an admin close an item by hand with a reason; the record is kept', async () => {
    const item = (await itemsOf(V(3), 'basic-24')).find((i) => i.foundPeriod === '2028Q1' && i.status === 'open') ?? (await anItem());
    expect((await call('town1', `/api/ledger/${item.id}/close`, { method: 'POST', json: { reason: '已整改' } })).status).toBe(403);
    expect((await call('finance', `/api/ledger/${item.id}/close`, { method: 'POST', json: { reason: '已整改' } })).status).toBe(403);
    expect((await call('other-county', `/api/ledger/${item.id}/close`, { method: 'POST', json: { reason: '已整改' } })).status).toBe(403);
    const noReason = await call('county', `/api/ledger/${item.id}/close`, { method: 'POST', json: {} });
    expect(noReason.status).toBe(400);
    expect((await noReason.json<{ error: { message: string } }>()).error.message).toMatch(/reason：缺少必填字段/);
    const res = await call('county', `/api/ledger/${item.id}/close`, { method: 'POST', json: { reason: '经实地核查，已租用村委会旁房屋扩建至120平方米' } });
    expect(res.status).toBe(200);
    const { item: closed } = await res.json<{ item: LedgerItem }>();
    expect(closed).toMatchObject({
      status: 'closed',
      overdue: false,
      closedBy: { kind: 'person', accountId: 'acc-county', name: 'county' },
      closeReason: '经实地核查，已租用村委会旁房屋扩建至120平方米',
      evidence: null,
      message: item.message,
      foundSubmission: item.foundSubmission,
    });
    const again = await call('admin', `/api/ledger/${item.id}/close`, { method: 'POST', json: { reason: '再次销号' } });
    expect(again.status).toBe(409);
    expect(await count('audit_log', "action = 'ledger.close' AND target = ?", item.id)).toBe(1);
    // A later passing submission does not touch a closed item.
    await post('town1', one('2028Q2', 3, 100));
    expect((await itemsOf(V(3), 'basic-24')).find((i) => i.id === item.id)).toMatchObject({ closedBy: { kind: 'person' }, closeReason: closed.closeReason });
    expect((await call('county', '/api/ledger/nope/close', { method: 'POST', json: { reason: '已整改' } })).status).toBe(404);
  });
});
