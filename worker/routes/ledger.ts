// Routes for /api/ledger — being built (issue 3).
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const ledger = new Hono<AppEnv>();
