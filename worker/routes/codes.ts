// /api/code-changes (docs/api.md, "区划代码调整"): the county's recorded code changes — list (county admin and
// county staff of the county), record one (county admin) and undo the latest (county admin, when no submission
// came after it). The caller's county only (no ?county=).
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { authenticate, requireRole } from '../auth/middleware.ts';
import { parseJson } from '../http.ts';
import { badRequest } from '../errors.ts';
import { CodeChangeInput, codesCounty, listCodeChanges, recordCodeChange, undoCodeChange } from '../codes/store.ts';

export const codeChanges = new Hono<AppEnv>()
  .use('*', authenticate)
  .get('/', requireRole('admin', 'county'), async (c) => {
    const county = codesCounty(c.get('user'), false);
    return c.json({ county, changes: await listCodeChanges(c.env, county) });
  })
  .post('/', requireRole('admin'), async (c) => {
    const input = await parseJson(c, CodeChangeInput);
    return c.json(await recordCodeChange(c.env, c.get('user'), input), 201);
  })
  // Undo the county's latest change when no submission of the county came after it.
  .post('/:id/undo', requireRole('admin'), async (c) => {
    const id = c.req.param('id');
    if (!/^[0-9a-f-]{36}$/.test(id)) throw badRequest('bad_id', '调整编号格式不对');
    return c.json(await undoCodeChange(c.env, c.get('user'), id));
  });
