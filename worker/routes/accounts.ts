// /api/accounts (docs/api.md, "Accounts"): a county admin's accounts of the county — list, create one, create
// from a sheet (姓名, 登录名, 乡镇, 角色, 手机号), change (name, phone, role, township, disabled) and reset the
// password. New accounts and resets answer a one-time password, once; it must be changed at the next sign-in.
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { badRequest } from '../errors.ts';
import { authenticate, requireRole } from '../auth/middleware.ts';
import { parseJson } from '../http.ts';
import { readForm } from '../submissions/body.ts';
import { AccountPatch, adminCounty, createAccounts, listAccounts, NewAccount, resetPassword, updateAccount } from '../accounts/store.ts';
import { readAccountSheet } from '../accounts/sheet.ts';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function accountId(id: string): string {
  if (!ID.test(id)) throw badRequest('bad_id', '账号编号格式不对');
  return id;
}

/** Accounts of the admin's county: the caller's county only (no ?county=). */
export const accounts = new Hono<AppEnv>()
  .use('*', authenticate, requireRole('admin'))
  .get('/', async (c) => {
    const county = adminCounty(c.get('user'));
    c.header('Cache-Control', 'no-store');
    return c.json({ county, accounts: await listAccounts(c.env, county) });
  })
  .post('/', async (c) => {
    const input = await parseJson(c, NewAccount);
    const [made] = await createAccounts(c.env, c.get('user'), [input], 'form');
    c.header('Cache-Control', 'no-store');
    return c.json(made!, 201);
  })
  // multipart/form-data, field `file` (xlsx or csv).
  .post('/import', async (c) => {
    const form = await readForm(c);
    const file = form.get('file');
    if (!file || typeof file === 'string') throw badRequest('no_file', '请选择名单文件（字段 file，xlsx 或 csv）');
    const rows = await readAccountSheet(new Uint8Array(await file.arrayBuffer()), file.name || '名单.xlsx');
    const made = await createAccounts(c.env, c.get('user'), rows, 'sheet');
    c.header('Cache-Control', 'no-store');
    return c.json({ created: made.map((m, i) => ({ row: rows[i]!.row, ...m })) }, 201);
  })
  .put('/:id', async (c) => {
    const patch = await parseJson(c, AccountPatch);
    return c.json({ account: await updateAccount(c.env, c.get('user'), accountId(c.req.param('id')), patch) });
  })
  .post('/:id/reset-password', async (c) => {
    const made = await resetPassword(c.env, c.get('user'), accountId(c.req.param('id')));
    c.header('Cache-Control', 'no-store');
    return c.json(made);
  });
