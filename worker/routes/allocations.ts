// Routes for /api/allocations — being built (issue 3).
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const allocations = new Hono<AppEnv>();
