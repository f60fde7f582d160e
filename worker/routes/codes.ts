// /api/code-changes (docs/api.md, "区划代码调整"): the county's recorded code changes — list (county admin and
// county staff of the county) and record one (county admin). The caller's county only (no ?county=).
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { authenticate, requireRole } from '../auth/middleware.ts';
import { parseJson } from '../http.ts';
import { CodeChangeInput, codesCounty, listCodeChanges, recordCodeChange } from '../codes/store.ts';

export const codeChanges = new Hono<AppEnv>()
  .use('*', authenticate)
  .get('/', requireRole('admin', 'county'), async (c) => {
    const county = codesCounty(c.get('user'), false);
    return c.json({ county, changes: await listCodeChanges(c.env, county) });
  })
  .post('/', requireRole('admin'), async (c) => {
    const input = await parseJson(c, CodeChangeInput);
    return c.json(await recordCodeChange(c.env, c.get('user'), input), 201);
  });
