// Routes for /api/rankings — being built (issue 3).
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const rankings = new Hono<AppEnv>();
